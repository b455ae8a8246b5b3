/* SPDX-License-Identifier: ISC */
/*
 * tlsa - TLSA records from raw DNS responses (RFC 1035 4.1 message
 * format, RFC 6698 2.1 TLSA RDATA, RFC 7672 2.2 _PORT._tcp names).
 *
 * Names are skipped, never expanded: a label is a length byte (< 64) and
 * a pointer is two bytes (0xc0); either way the walk only moves forward
 * and checks every read against the end of the message, so no input can
 * loop or read out of bounds.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsa.h"
#include "util.h"

#define DNS_HEADER	12
#define TYPE_TLSA	52

static int
get16(const uint8_t *msg, size_t len, size_t off, unsigned *v)
{
	if (off + 2 > len)
		return -1;
	*v = (unsigned)msg[off] << 8 | msg[off + 1];
	return 0;
}

/* skip a (possibly compressed) name at *off */
static int
skip_name(const uint8_t *msg, size_t len, size_t *off)
{
	size_t	 o = *off;
	int	 labels = 0;

	for (;;) {
		uint8_t	 b;

		if (o >= len || ++labels > 128)
			return -1;
		b = msg[o];
		if (b == 0) {
			*off = o + 1;
			return 0;
		}
		if ((b & 0xc0) == 0xc0) {
			if (o + 2 > len)
				return -1;
			*off = o + 2;
			return 0;
		}
		if ((b & 0xc0) != 0)
			return -1;	/* 0x40/0x80: extended label types */
		o += 1 + b;
	}
}

/*
 * tlsa_parse - see tlsa.h
 */
int
tlsa_parse(const uint8_t *msg, size_t len, int *rcode, int *ad,
    struct tlsa_rec **recs, size_t *n)
{
	struct tlsa_rec	*out = NULL;
	size_t		 nout = 0, off = DNS_HEADER, i;
	unsigned	 qd, an, type, rdlen;

	*recs = NULL;
	*n = 0;
	if (len < DNS_HEADER || !(msg[2] & 0x80))	/* not a response */
		return -1;
	*rcode = msg[3] & 0x0f;
	*ad = (msg[3] & 0x20) != 0;
	qd = (unsigned)msg[4] << 8 | msg[5];
	an = (unsigned)msg[6] << 8 | msg[7];
	for (i = 0; i < qd; i++) {
		if (skip_name(msg, len, &off) == -1 || off + 4 > len)
			return -1;
		off += 4;
	}
	for (i = 0; i < an; i++) {
		if (skip_name(msg, len, &off) == -1 ||
		    get16(msg, len, off, &type) == -1 ||
		    get16(msg, len, off + 8, &rdlen) == -1)
			goto bad;
		off += 10;
		if (off + rdlen > len)
			goto bad;
		if (type == TYPE_TLSA && rdlen >= 3 && nout < TLSA_MAX_RECORDS) {
			struct tlsa_rec	*r;
			size_t		 dlen = rdlen - 3;

			if (out == NULL)
				out = xcalloc(TLSA_MAX_RECORDS, sizeof(*out));
			r = &out[nout++];
			r->usage = msg[off];
			r->selector = msg[off + 1];
			r->mtype = msg[off + 2];
			r->data = xmalloc(dlen ? dlen : 1);
			memcpy(r->data, msg + off + 3, dlen);
			r->len = dlen;
		}
		off += rdlen;
	}
	*recs = out;
	*n = nout;
	return 0;
bad:
	result_tlsa_free(out, nout);
	return -1;
}

/*
 * tlsa_qname - see tlsa.h
 */
int
tlsa_qname(char *buf, size_t size, uint16_t port, const char *host)
{
	int	 n = snprintf(buf, size, "_%u._tcp.%s", port, host);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}
