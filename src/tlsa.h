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

/*
 * tlsa_parse - parse a DNS response: its RCODE (*rcode), its AD bit
 * (*ad), and every TLSA record of its answer section (*recs, *n;
 * allocated, free with result_tlsa_free()).  Every record is kept
 * whole: a full certificate (selector 0, matching type 0) or a raw RSA
 * key (3 1 0, 294 octets for RSA-2048) is longer than a digest, and an
 * RR's data is at most 65535 octets anyway (RFC 1035 3.2.1), bounded by
 * the message.  Returns 0, or -1 for a malformed message (nothing
 * allocated then).
 */
int	tlsa_parse(const uint8_t *msg, size_t len, int *rcode, int *ad,
	    struct tlsa_rec **recs, size_t *n);

/* tlsa_qname - "_25._tcp.mx.example.com" into buf; -1 if it does not fit */
int	tlsa_qname(char *buf, size_t size, uint16_t port, const char *host);

#endif
