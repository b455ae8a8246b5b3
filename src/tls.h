/* SPDX-License-Identifier: ISC */
/*
 * tls - OpenSSL for the probe: a client context, a non-blocking
 * handshake over an fd the caller owns, and the facts an auditor wants
 * about the session and the peer's certificate (RFC 3207 STARTTLS,
 * RFC 8314 implicit TLS, RFC 6125 name checks, RFC 7672 DANE for SMTP).
 *
 * The caller drives I/O: tls_handshake(), tls_read() and tls_write()
 * return TLS_WANT_READ / TLS_WANT_WRITE, which only change what the event
 * loop waits for.  Nothing here blocks or touches the event loop.
 */
#ifndef SMTPPROBE_TLS_H
#define SMTPPROBE_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "result.h"

#define TLS_OK		0
#define TLS_WANT_READ	(-2)
#define TLS_WANT_WRITE	(-3)
#define TLS_ERR		(-1)
#define TLS_EOF		(-4)	/* the peer closed (close_notify or TCP EOF) */

struct tls_ctx;
struct tls_conn;

/*
 * tls_ctx_new - a client context: TLS 1.0 and up allowed (so that old
 * servers can be reported rather than missed), the system trust store,
 * or cafile (PEM) instead when not NULL.  Certificates are never
 * enforced during the handshake: verification is recorded, not required
 * (SMTP between MTAs is opportunistic, RFC 3207 4.1).
 * Returns NULL with the reason in err.
 */
struct tls_ctx	*tls_ctx_new(const char *cafile, char *err, size_t errlen);
void		 tls_ctx_free(struct tls_ctx *);	/* NULL does nothing */

/*
 * tls_conn_new - a client session over fd (borrowed: not closed by
 * tls_conn_free).  sni is the server name to send (RFC 6066); NULL or an
 * IP literal sends none.  Returns NULL with the reason in err.
 */
struct tls_conn	*tls_conn_new(struct tls_ctx *, int fd, const char *sni,
		    char *err, size_t errlen);
void		 tls_conn_free(struct tls_conn *);	/* NULL does nothing */

/* tls_handshake - one step: TLS_OK when done, TLS_WANT_*, or TLS_ERR */
int		 tls_handshake(struct tls_conn *);

/*
 * tls_read / tls_write - bytes moved (> 0), or TLS_WANT_READ,
 * TLS_WANT_WRITE, TLS_EOF, TLS_ERR
 */
ssize_t		 tls_read(struct tls_conn *, void *, size_t);
ssize_t		 tls_write(struct tls_conn *, const void *, size_t);

/* tls_error - OpenSSL's reason for the last TLS_ERR (alert, verify ...) */
const char	*tls_error(const struct tls_conn *);

/*
 * tls_facts - after a completed handshake, fill out: version ("TLSv1.3"),
 * cipher, key-exchange group, the peer certificate's facts, the chain as
 * sent (digests; PEM too with keep_pem), and verification: the chain against the trust store, and the
 * name (X509_check_host) against `name' (the MX host name; NULL or an
 * IP literal: checked with X509_check_ip_asc).  now is the wall clock
 * (seconds) used for days_left, so tests are deterministic.
 */
void		 tls_facts(struct tls_conn *, const char *name, time_t now,
		    int keep_pem, struct tls_result *out);

/*
 * tls_dane_match - compare the peer chain with TLSA records (RFC 7672
 * 3.1: usages 2 DANE-TA and 3 DANE-EE; selectors 0 full certificate, 1
 * SubjectPublicKeyInfo; matching types 0 exact, 1 SHA-256, 2 SHA-512).
 * Sets recs[i].matched; usages 0 and 1 (PKIX) are marked unusable for
 * SMTP (RFC 7672 3.1.3).  Returns the number of usable records that
 * matched (0: none matched), or -1 if there is no peer certificate.
 */
int		 tls_dane_match(struct tls_conn *, struct tlsa_rec *recs, size_t n);

/*
 * tls_cert_facts_pem - the certificate facts of a PEM file's first
 * certificate (for tests and for `explain'); 0 or -1 with err set
 */
int		 tls_cert_facts_pem(const char *path, time_t now, struct tls_cert *out,
		    char *err, size_t errlen);

/* tls_version_at_least - "TLSv1.2" >= "TLSv1.2" style comparison */
int		 tls_version_at_least(const char *version, int major, int minor);

/*
 * --tls-versions bookkeeping.  Index i (0 .. TLS_NVERSIONS - 1) is
 * TLSv1, TLSv1.1, TLSv1.2, TLSv1.3; tls_versions_name() gives the JSON
 * key (SSL_get_version() spelling) and NULL out of range.
 */
const char	*tls_versions_name(int i);

/*
 * tls_ctx_new_version - a probe context pinned to exactly version i, at
 * security level 0 with "DEFAULT:@SECLEVEL=0" ciphers so that TLS 1.0
 * and 1.1 can be offered at all under OpenSSL 3.  Only for the
 * --tls-versions connections, never the main session.
 */
struct tls_ctx	*tls_ctx_new_version(int i, char *err, size_t errlen);

/*
 * tls_versions_record - the outcome of version i's connection: accepted
 * 1 (cipher negotiated), 0 (handshake refused) or -1 (could not tell:
 * no connection, no STARTTLS, a 4xx); error the reason or NULL.  Marks
 * tv probed; replaces an earlier outcome.  Out-of-range i does nothing.
 */
void		 tls_versions_record(struct tls_versions *tv, int i,
		    int accepted, const char *cipher, const char *error);

/* tls_versions_legacy - TLS 1.0 or 1.1 accepted (RFC 8996 2, 3) */
int		 tls_versions_legacy(const struct tls_versions *);

/*
 * tls_min_version_met - the one rule of "TLS >= 1.minor" (--expect):
 * with --tls-versions probed, no version below 1.minor is accepted;
 * otherwise the negotiated version is at least 1.minor.  1 met, 0 not.
 */
int		 tls_min_version_met(const struct tls_result *, int minor);

#endif
