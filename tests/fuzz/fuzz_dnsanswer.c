/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dnsanswer - fakedns_answer() on random queries against a small
 * zone loaded once (CNAME chains and loops, pseudo-types, TLSA, a TXT
 * record big enough to truncate, a 253-octet name).
 *
 * Input: byte 0 picks the output buffer (bit 7 set: 4096 bytes, i.e.
 * the UDP limit of 512; else byte0 * 4 bytes, 0..508), the rest is the
 * query.  The output buffer is exactly that size (ASan sees overruns).
 *
 * Oracles: the answer fits min(outlen, 512); it is a response (QR) with
 * the query's ID, RD and question, QDCOUNT 1, no authority or
 * additional records; its answer section walks to exactly its end with
 * ANCOUNT records; and tlsa_parse() (the resolver's own DNS parser)
 * accepts it with the same RCODE.
 */
#include "config.h"

#include <string.h>

#include "fakedns.h"
#include "loop.h"
#include "tlsa.h"
#include "fuzz.h"

static const char fuzz_zone[] =
	"# the zone of the fuzz target; names match case-insensitively\n"
	"example.test MX 10 mx.example.test.\n"
	"example.test MX 20 mx2.example.test\n"
	"example.test TXT \"v=spf1 mx -all\"\n"
	"mx.example.test A 192.0.2.1\n"
	"mx.example.test AAAA 2001:db8::1\n"
	"mx2.example.test A 192.0.2.2\n"
	"_25._tcp.mx.example.test TLSA 3 1 1 "
	    "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1\n"
	"_25._tcp.mx.example.test TLSA 2 0 1 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
	"_25._tcp.mx2.example.test CNAME _25._tcp.mx.example.test\n"
	"alias.example.test CNAME mx.example.test.\n"
	"a2.example.test CNAME alias.example.test\n"
	"dangling.example.test CNAME nowhere.example.test\n"
	"loop1.example.test CNAME loop2.example.test\n"
	"loop2.example.test CNAME loop1.example.test\n"
	"self.example.test CNAME self.example.test\n"
	"tosf.example.test CNAME sf.example.test\n"
	"null.example.test MX 0 .\n"
	"sf.example.test SERVFAIL\n"
	"ref.example.test REFUSED\n"
	"to.example.test TIMEOUT\n"
	"tc.example.test TRUNCATE\n"
	"tc.example.test A 192.0.2.9\n"
	"ns.example.test NS mx.example.test\n"
	"1.2.0.192.in-addr.arpa PTR mx.example.test\n"
	"big.example.test TXT \"0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "\" \"0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789\"\n"
	"many.example.test A 192.0.2.11\n"
	"many.example.test A 192.0.2.12\n"
	"many.example.test A 192.0.2.13\n"
	"many.example.test A 192.0.2.14\n"
	"many.example.test AAAA 2001:db8::11\n"
	"many.example.test AAAA 2001:db8::12\n"
	"cbig.example.test CNAME big.example.test\n"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
	"ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc."
	"ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd A 192.0.2.99\n"
	"long.example.test CNAME aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
	"ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc."
	"ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.\n";

static struct loop	*fuzz_loop;
static struct fakedns	*fuzz_dns;

static void
fuzz_init(void)
{
	char	 err[256];

	if (fuzz_dns != NULL)
		return;
	fuzz_loop = loop_new();
	FUZZ_CHECK(fuzz_loop != NULL);
	fuzz_dns = fakedns_new(fuzz_loop, "127.0.0.1", 0, err, sizeof(err));
	if (fuzz_dns == NULL) {
		fprintf(stderr, "fuzz_dnsanswer: %s\n", err);
		abort();
	}
	if (fakedns_load(fuzz_dns, fuzz_zone, err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_dnsanswer: zone: %s\n", err);
		abort();
	}
}

/* skip a name as fakedns writes it: labels, or a pointer to offset 12 */
static int
skip_name(const uint8_t *a, size_t len, size_t *off)
{
	size_t	 o = *off;

	for (;;) {
		if (o >= len)
			return -1;
		if (a[o] == 0) {
			*off = o + 1;
			return 0;
		}
		if ((a[o] & 0xc0) == 0xc0) {
			if (o + 2 > len || a[o] != 0xc0 || a[o + 1] != 12)
				return -1;
			*off = o + 2;
			return 0;
		}
		if (a[o] > 63)
			return -1;
		o += 1 + a[o];
	}
}

static void
check_answer(const uint8_t *q, size_t qlen, const uint8_t *a, size_t alen,
    size_t outlen)
{
	struct tlsa_rec	*recs;
	size_t		 qend = 12, off, i, n;
	unsigned	 ancount, rdlen;
	int		 rcode, ad;

	FUZZ_CHECK(alen <= outlen && alen <= 512);
	/* the question fakedns accepted: labels, root, type, class */
	FUZZ_CHECK(qlen >= 12);
	FUZZ_CHECK(skip_name(q, qlen, &qend) == 0);
	qend += 4;
	FUZZ_CHECK(qend <= qlen && alen >= qend);
	FUZZ_CHECK(memcmp(a, q, 2) == 0);			/* ID */
	FUZZ_CHECK(a[2] & 0x80);				/* QR */
	FUZZ_CHECK((a[2] & 0x01) == (q[2] & 0x01));		/* RD */
	FUZZ_CHECK((a[2] & 0x78) == 0);				/* QUERY */
	FUZZ_CHECK(a[4] == 0 && a[5] == 1);			/* QDCOUNT */
	FUZZ_CHECK(a[8] == 0 && a[9] == 0 && a[10] == 0 && a[11] == 0);
	FUZZ_CHECK(memcmp(a + 12, q + 12, qend - 12) == 0);	/* question */

	ancount = (unsigned)a[6] << 8 | a[7];
	off = qend;
	for (i = 0; i < ancount; i++) {
		FUZZ_CHECK(skip_name(a, alen, &off) == 0);
		FUZZ_CHECK(off + 10 <= alen);
		rdlen = (unsigned)a[off + 8] << 8 | a[off + 9];
		off += 10;
		FUZZ_CHECK(off + rdlen <= alen);
		off += rdlen;
	}
	FUZZ_CHECK(off == alen);	/* ANCOUNT records, nothing more */

	FUZZ_CHECK(tlsa_parse(a, alen, &rcode, &ad, &recs, &n) == 0);
	FUZZ_CHECK(rcode == (a[3] & 0x0f));
	FUZZ_CHECK(n <= ancount);
	result_tlsa_free(recs, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		*out;
	size_t		 outlen, alen;
	unsigned long	 before;

	fuzz_init();
	if (size == 0)
		return 0;
	outlen = data[0] & 0x80 ? 4096 : (size_t)data[0] * 4;
	if ((out = malloc(outlen ? outlen : 1)) == NULL)
		return 0;
	before = fakedns_queries(fuzz_dns);
	alen = fakedns_answer(fuzz_dns, data + 1, size - 1, out, outlen);
	FUZZ_CHECK(fakedns_queries(fuzz_dns) - before <= 1);
	if (alen > 0)
		check_answer(data + 1, size - 1, out, alen, outlen);
	free(out);
	/* the loop holds only the two listening sockets */
	FUZZ_CHECK(loop_active_ios(fuzz_loop) == 2);
	FUZZ_CHECK(loop_active_timers(fuzz_loop) == 0);
	return 0;
}
