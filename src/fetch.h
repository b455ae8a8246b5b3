/* SPDX-License-Identifier: ISC */
/*
 * fetch - HTTPS GET on the event loop, through libcurl's multi socket
 * interface (curl_multi_socket_action): the fds and the timer of every
 * transfer live in loop.c next to the SMTP sessions and c-ares.
 *
 * Deliberately narrow, for the MTA-STS policy (RFC 8461 3.3): HTTPS only,
 * no redirect followed (a 3xx is reported with its Location), the host's
 * address given by the caller (so smtpprobe's resolver, and --dns-server,
 * decide where it connects), the certificate verified for the host name
 * against the system store or the CA file, a size cap, a timeout, no
 * proxy.  What the response means is the caller's business.
 */
#ifndef SMTPPROBE_FETCH_H
#define SMTPPROBE_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct fetcher;

/* why a fetch has no usable response; the names are output (JSON fetch.error class) */
enum fetch_error {
	FETCH_OK = 0,		/* a complete HTTP response (any status) */
	FETCH_E_CONNECT,	/* refused, unreachable */
	FETCH_E_TLS,		/* handshake failed, certificate not valid for the host */
	FETCH_E_TIMEOUT,
	FETCH_E_TOO_LARGE,	/* over max_bytes: cut */
	FETCH_E_HTTP,		/* not an HTTP response, or a broken one */
	FETCH_E_ABORTED,	/* fetcher_abort(), fetcher_free() */
	FETCH_E_INTERNAL,
	FETCH_E_LAST
};
const char	*fetch_error_name(enum fetch_error);	/* "connect", "tls" ... */

struct fetch_request {
	const char	*host;		/* name in the URL and the certificate */
	const char	*address;	/* numeric: where to connect */
	uint16_t	 port;		/* 0: 443 */
	const char	*path;		/* "/.well-known/mta-sts.txt" */
	long		 timeout_ms;	/* the whole transfer */
	size_t		 max_bytes;	/* body cap */
};

struct fetch_response {
	enum fetch_error err;
	const char	*error;		/* libcurl's words when err != FETCH_OK */
	long		 status;	/* HTTP status, 0 if none */
	const char	*content_type;	/* as sent, or NULL */
	const char	*location;	/* of a 3xx, or NULL */
	const char	*body;		/* NUL-terminated; may hold NULs: see len */
	size_t		 len;
	long		 ms;		/* from the start to the end */
};

/*
 * called once per fetch_start(), from the loop; the response lives only
 * during the call, which must not free the fetcher
 */
typedef void	(*fetch_cb)(const struct fetch_response *, void *arg);

/*
 * fetcher_new - transfers driven by loop.  cafile: PEM file of trusted
 * CAs, or NULL for the system store.  NULL with the reason in err.
 */
struct fetcher	*fetcher_new(struct loop *, const char *cafile, char *err, size_t errlen);
/* fetcher_free - abort what is in flight (callbacks run) and free; NULL does nothing */
void		 fetcher_free(struct fetcher *);
/*
 * fetcher_abort - end every transfer now (each callback runs with
 * FETCH_E_ABORTED), and every one started later at once (SIGINT: a lookup
 * answered after it must not start a fetch)
 */
void		 fetcher_abort(struct fetcher *);
size_t		 fetcher_pending(const struct fetcher *);

/* fetch_start - GET https://host[:port]path; cb runs exactly once, never from inside this call */
void		 fetch_start(struct fetcher *, const struct fetch_request *,
		    fetch_cb cb, void *arg);

#endif
