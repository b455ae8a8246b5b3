/* SPDX-License-Identifier: ISC */
/*
 * fakedns - a tiny authoritative DNS responder on the event loop, for
 * --demo and the tests.  Answers UDP and TCP queries (RFC 1035 4.2) from
 * a table; the answer bytes are written by hand (c-ares 1.18 has no
 * record-building API).
 *
 * Names match case-insensitively, a trailing dot is optional.  For a
 * query NAME/TYPE: records of that type -> NOERROR with them; NAME has
 * a CNAME -> the CNAME, then the chain is followed inside the table (at
 * most 8 hops) appending the target's records of TYPE; NAME exists (or
 * has names below it) but not with TYPE -> NODATA (NOERROR, no answer);
 * otherwise NXDOMAIN.  QR, AA and RA are set, ID, RD and the question
 * are copied.  UDP answers are limited to 512 octets (TC set beyond).
 * Anything malformed is dropped without an answer.
 */
#ifndef SMTPPROBE_FAKEDNS_H
#define SMTPPROBE_FAKEDNS_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct fakedns;

/*
 * fakedns_new - listen on addr (numeric IPv4 or IPv6), UDP and TCP, on
 * port (0: an ephemeral port, the same number for both).
 *
 * Returns NULL with the reason in err and errno kept.
 */
struct fakedns	*fakedns_new(struct loop *, const char *addr, uint16_t port,
		    char *err, size_t errlen);

/*
 * fakedns_add - add one record.  type: MX ("10 mx.example." or "0 ."
 * for a null MX), A, AAAA, CNAME, NS, PTR, TXT ("text" or "\"a\" \"b\"");
 * or a pseudo-type that applies to every query for name: SERVFAIL,
 * REFUSED (answer that rcode), TIMEOUT (never answer), TRUNCATE (TC bit
 * and an empty answer over UDP; TCP answers normally), SECURE (set the
 * AD bit on NOERROR answers, as a validating resolver does for a signed
 * zone: RFC 4035 3.2.3, RFC 6840 5.7), DELAY ("MS": send each UDP
 * answer for name MS milliseconds late, as a distant server would; the
 * name "*" delays every name without a DELAY of its own; TCP answers
 * are not delayed).  TLSA rdata is "U S M hex", of
 * any length up to 65535 octets (answers over 512 octets set TC on UDP
 * and go whole over TCP).  rdata may be
 * NULL for pseudo-types.  Returns 0, or -1 (errno EINVAL) on bad input.
 */
int		 fakedns_add(struct fakedns *, const char *name, const char *type,
		    const char *rdata);

/*
 * fakedns_load - add records from zone-like text: lines "name TYPE
 * rdata", '#' or ';' comment lines, blank lines ignored.
 *
 * Returns 0, or -1 with "line N: reason" in err (records before the bad
 * line stay added).
 */
int		 fakedns_load(struct fakedns *, const char *zonetext, char *err,
		    size_t errlen);

/* fakedns_port - the port actually bound */
uint16_t	 fakedns_port(const struct fakedns *);

/* fakedns_queries - well-formed queries received so far (UDP and TCP) */
unsigned long	 fakedns_queries(const struct fakedns *);

/* fakedns_tlsa_queries - the TLSA (type 52) queries among them */
unsigned long	 fakedns_tlsa_queries(const struct fakedns *);

/*
 * fakedns_answer - build the UDP answer to one query (no I/O: for tests
 * and fuzzing); at most min(outlen, 512) octets.  Returns its length, or
 * 0 when the query is malformed or must not be answered.
 */
size_t		 fakedns_answer(struct fakedns *, const uint8_t *query, size_t qlen,
		    uint8_t *out, size_t outlen);

/*
 * fakedns_free - close every socket; leaves no watcher or timer on the
 * loop.  NULL does nothing.
 */
void		 fakedns_free(struct fakedns *);

#endif
