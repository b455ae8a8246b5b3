/* SPDX-License-Identifier: ISC */
/*
 * resolver - c-ares on the event loop: domain -> MX list (by preference)
 * -> A/AAAA of every MX host.  Null MX (RFC 7505), implicit MX (RFC 5321
 * 5.1) and MX targets that are aliases are recognised.  No blocking calls.
 */
#ifndef SMTPPROBE_RESOLVER_H
#define SMTPPROBE_RESOLVER_H

#include <stdint.h>

#include "result.h"

struct loop;
struct resolver;

/* at most this many MX hosts of a domain are kept: the most preferred */
#define RESOLVER_MAX_MX	16

/* what to look up */
#define RESOLVE_MX	1	/* domain: MX, then addresses of each MX */
#define RESOLVE_HOST	2	/* host name: A/AAAA only */
#define RESOLVE_NO_TLSA	4	/* with RESOLVE_HOST: no TLSA query (not a mail host) */

/* the whole lookup is done: out is filled in (errors included) */
typedef void	(*resolver_cb)(struct dns_result *out, void *arg);

/*
 * resolver_new - a c-ares channel driven by loop
 *
 * servers: NULL for the system configuration, else "IP[:PORT][,...]"
 * (IPv6 as [addr]:port).  Returns NULL with the reason in err.
 */
struct resolver	*resolver_new(struct loop *, const char *servers, int timeout_ms,
		    int tries, char *err, size_t errlen);
void		 resolver_free(struct resolver *);	/* cancels pending lookups (callbacks run) */

/*
 * resolver_lookup - start a lookup; calls cb exactly once, never from
 * inside this call.  out is borrowed and must live until cb.  family is
 * 0 (A and AAAA), 4 or 6; with 4 or 6, a host without an address of that
 * family is asked for the other as well, so that its error says the
 * addresses were excluded (-4/-6) rather than missing.
 */
void	 resolver_lookup(struct resolver *, const char *name, int what, int family,
	    struct dns_result *out, resolver_cb cb, void *arg);

/*
 * resolver_set_tlsa_port - also look up the TLSA records of
 * _PORT._tcp.HOST for every host a lookup finds (RFC 7672 2.2), with the
 * AD bit set in the query (RFC 6840 5.7) so that a validating resolver
 * says whether it validated.  0 (the default) turns this off.  Applies
 * to the lookups started after the call.
 */
void	 resolver_set_tlsa_port(struct resolver *, uint16_t port);

/*
 * resolver_lookup_ptr - the PTR name of a numeric address (RFC 1035
 * 3.5, RFC 3596 2.5), then forward-confirm it (A/AAAA of that name must
 * include the address: FCrDNS).  cb gets the name (NULL if none), the
 * forward result (1 confirmed, 0 not, -1 unknown) and an error text
 * (NULL if none); it runs exactly once, from the loop.
 */
typedef void	(*resolver_ptr_cb)(const char *name, int fcrdns, const char *error,
		    void *arg);
void	 resolver_lookup_ptr(struct resolver *, const char *address,
	    resolver_ptr_cb cb, void *arg);

/*
 * resolver_lookup_txt - the TXT records of name (RFC 1035 3.3.14), each
 * record's character-strings joined into one string (as RFC 8461 3.1 and
 * RFC 8460 3 read them).  cb runs exactly once, from the loop (or at
 * once for a name c-ares cannot encode); the
 * result is valid only during cb.  No records (NXDOMAIN, NODATA) is not
 * an error: ntxt is 0 and error is NULL.
 */
#define RESOLVER_TXT_MAX	8	/* records kept */
#define RESOLVER_TXT_LEN	4096	/* bytes kept of one record, joined */
struct resolver_txt {
	const char	*rcode;		/* "NOERROR", "NXDOMAIN", "SERVFAIL", "TIMEOUT" ... */
	const char	*error;		/* the lookup failed: why; NULL if it did not */
	int		 transient;	/* the error may go away */
	char		*txt[RESOLVER_TXT_MAX];	/* NUL-terminated, may hold NULs: see len */
	size_t		 len[RESOLVER_TXT_MAX];
	size_t		 ntxt;
	size_t		 dropped;	/* records over RESOLVER_TXT_MAX or RESOLVER_TXT_LEN */
};
typedef void	(*resolver_txt_cb)(const struct resolver_txt *, void *arg);
void	 resolver_lookup_txt(struct resolver *, const char *name,
	    resolver_txt_cb cb, void *arg);

/*
 * resolver_lookup_srv - the SRV records of name (RFC 2782), sorted by
 * priority (lowest first), then weight (highest first).  A target of "."
 * means the service is not offered there (RFC 2782, RFC 6186 3.4).
 * Records whose target is not a host name (or whose port is 0) are
 * counted in bad, records
 * over RESOLVER_SRV_MAX in dropped (hostile DNS).  Called back as
 * resolver_lookup_txt(); no records is not an error.
 */
#define RESOLVER_SRV_MAX	8
struct resolver_srv_rec {
	uint16_t	 priority;
	uint16_t	 weight;
	uint16_t	 port;
	char		*target;	/* without the trailing dot; "." */
};
struct resolver_srv {
	const char		*rcode;
	const char		*error;
	int			 transient;
	struct resolver_srv_rec	 srv[RESOLVER_SRV_MAX];
	size_t			 nsrv;
	size_t			 dropped;	/* over RESOLVER_SRV_MAX */
	size_t			 bad;		/* target not a host name, or port 0 */
};
typedef void	(*resolver_srv_cb)(const struct resolver_srv *, void *arg);
void	 resolver_lookup_srv(struct resolver *, const char *name,
	    resolver_srv_cb cb, void *arg);

/* resolver_cancel - end every lookup in flight now (their callbacks run, with an error) */
void	 resolver_cancel(struct resolver *);

/* lookups in flight */
size_t	 resolver_pending(const struct resolver *);

#endif
