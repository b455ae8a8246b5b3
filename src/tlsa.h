/* SPDX-License-Identifier: ISC */
/*
 * tlsa - TLSA answers (RFC 6698 2.1) from raw DNS messages.  c-ares 1.18
 * has no TLSA parser, so the answer section is walked here.  Pure: no
 * I/O; bounds-checked against hostile input (a fuzz target).
 */
#ifndef SMTPPROBE_TLSA_H
#define SMTPPROBE_TLSA_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

#define TLSA_MAX_RECORDS	16	/* more are ignored */
#define TLSA_MAX_DATA		256	/* SHA-512 is 64; a full cert may be more: cut */

/*
 * tlsa_parse - parse a DNS response: its RCODE (*rcode), its AD bit
 * (*ad), and every TLSA record of its answer section (*recs, *n;
 * allocated, free with result_tlsa_free()).  Records with data longer
 * than TLSA_MAX_DATA are kept with their data cut and mtype forced to
 * 255 (unusable).  Returns 0, or -1 for a malformed message (nothing
 * allocated then).
 */
int	tlsa_parse(const uint8_t *msg, size_t len, int *rcode, int *ad,
	    struct tlsa_rec **recs, size_t *n);

/* tlsa_qname - "_25._tcp.mx.example.com" into buf; -1 if it does not fit */
int	tlsa_qname(char *buf, size_t size, uint16_t port, const char *host);

#endif
