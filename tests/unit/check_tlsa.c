/* SPDX-License-Identifier: ISC */
/*
 * check_tlsa - TLSA records out of raw DNS responses: real answers built
 * by fakedns, every truncation of them, and hand-made hostile messages.
 */
#include "config.h"

#include <ares.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakedns.h"
#include "loop.h"
#include "result.h"
#include "tlsa.h"

static size_t
answer_for(const char *zone, const char *qname, uint8_t *out, size_t outlen)
{
	struct loop	*loop = loop_new();
	struct fakedns	*d;
	unsigned char	*q = NULL;
	int		 qlen = 0;
	char		 err[128];
	size_t		 n;

	d = fakedns_new(loop, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(fakedns_load(d, zone, err, sizeof(err)), 0);
	ck_assert_int_eq(ares_create_query(qname, 1, 52, 0x1234, 1, &q, &qlen, 0),
	    ARES_SUCCESS);
	n = fakedns_answer(d, q, (size_t)qlen, out, outlen);
	ares_free_string(q);
	fakedns_free(d);
	loop_free(loop);
	return n;
}

static const char zone[] =
    "_25._tcp.mx.t TLSA 3 1 1 "
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
    "_25._tcp.mx.t TLSA 2 0 0 abcd\n"
    "_25._tcp.alias.t CNAME _25._tcp.mx.t\n";

START_TEST(parse_real_answer)
{
	uint8_t		 msg[512];
	size_t		 len, n;
	struct tlsa_rec	*r;
	int		 rcode, ad;

	len = answer_for(zone, "_25._tcp.mx.t", msg, sizeof(msg));
	ck_assert_uint_gt(len, 12);
	ck_assert_int_eq(tlsa_parse(msg, len, &rcode, &ad, &r, &n), 0);
	ck_assert_int_eq(rcode, 0);
	ck_assert_int_eq(ad, 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(r[0].usage, 3);
	ck_assert_int_eq(r[0].selector, 1);
	ck_assert_int_eq(r[0].mtype, 1);
	ck_assert_uint_eq(r[0].len, 32);
	ck_assert_int_eq(r[0].data[31], 0xff);
	ck_assert_int_eq(r[1].usage, 2);
	ck_assert_uint_eq(r[1].len, 2);
	result_tlsa_free(r, n);
}
END_TEST

/* a record longer than 256 octets (3 1 0, RSA-2048: 294) is kept whole */
START_TEST(parse_long_record)
{
	char		 z[64 + 2 * 294 + 2];
	uint8_t		 msg[512];
	size_t		 len, n, i;
	struct tlsa_rec	*r;
	int		 rcode, ad, k;

	k = snprintf(z, sizeof(z), "_25._tcp.mx.t TLSA 3 1 0 ");
	for (i = 0; i < 294; i++)
		k += snprintf(z + k, sizeof(z) - (size_t)k, "%02x",
		    (unsigned)(i & 0xff));
	len = answer_for(z, "_25._tcp.mx.t", msg, sizeof(msg));
	ck_assert_int_eq(tlsa_parse(msg, len, &rcode, &ad, &r, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(r[0].mtype, 0);
	ck_assert_uint_eq(r[0].len, 294);
	ck_assert_int_eq(r[0].data[293], 293 & 0xff);
	result_tlsa_free(r, n);
}
END_TEST

START_TEST(parse_through_cname_and_nxdomain)
{
	uint8_t		 msg[512];
	size_t		 len, n;
	struct tlsa_rec	*r;
	int		 rcode, ad;

	len = answer_for(zone, "_25._tcp.alias.t", msg, sizeof(msg));
	ck_assert_int_eq(tlsa_parse(msg, len, &rcode, &ad, &r, &n), 0);
	ck_assert_uint_eq(n, 2);	/* the CNAME is skipped, its target's TLSA kept */
	result_tlsa_free(r, n);
	len = answer_for(zone, "_25._tcp.none.t", msg, sizeof(msg));
	ck_assert_int_eq(tlsa_parse(msg, len, &rcode, &ad, &r, &n), 0);
	ck_assert_int_eq(rcode, 3);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(r);
}
END_TEST

/* every cut of a good answer is either parsed or refused, never overread */
START_TEST(every_truncation)
{
	uint8_t		 msg[512], *copy;
	size_t		 len, cut, n;
	struct tlsa_rec	*r;
	int		 rcode, ad, refused = 0;

	len = answer_for(zone, "_25._tcp.mx.t", msg, sizeof(msg));
	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);	/* exact size: ASan sees overreads */
		memcpy(copy, msg, cut);
		if (tlsa_parse(copy, cut, &rcode, &ad, &r, &n) == -1) {
			refused++;
			ck_assert_ptr_null(r);
		} else
			result_tlsa_free(r, n);
		free(copy);
	}
	ck_assert_uint_eq((size_t)refused, len);	/* a cut answer is malformed */
}
END_TEST

static const struct {
	const char	*name;
	uint8_t		 msg[64];
	size_t		 len;
	int		 rc;
	size_t		 n;
} hostile[] = {
	{ "a query, not a response",
	  { 0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, -1, 0 },
	{ "empty response", { 0x12, 0x34, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, 0, 0 },
	{ "AD bit and SERVFAIL", { 0, 0, 0x81, 0xa2, 0, 0, 0, 0, 0, 0, 0, 0 }, 12, 0, 0 },
	{ "answer count larger than the message",
	  { 0, 0, 0x81, 0x80, 0, 0, 0xff, 0xff, 0, 0, 0, 0 }, 12, -1, 0 },
	{ "label running off the end",
	  { 0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f, 'a' }, 14, -1, 0 },
	{ "extended label type",
	  { 0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 52, 0, 1 }, 18, -1, 0 },
	{ "self-pointing name in an answer, rdlength past the end",
	  { 0, 0, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 52, 0, 1,
	    0, 0, 0, 1, 0x01, 0x00, 3, 1, 1 }, 27, -1, 0 },
	{ "TLSA with rdlength 2 (too short) is skipped",
	  { 0, 0, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 52, 0, 1,
	    0, 0, 0, 1, 0, 2, 3, 1 }, 25, 0, 0 },
	{ "TLSA with empty data",
	  { 0, 0, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 52, 0, 1,
	    0, 0, 0, 1, 0, 3, 3, 1, 1 }, 26, 0, 1 },
};

START_TEST(hostile_messages)
{
	struct tlsa_rec	*r;
	size_t		 n;
	int		 rcode = -1, ad = -1, rc;
	uint8_t		*copy = malloc(hostile[_i].len);

	memcpy(copy, hostile[_i].msg, hostile[_i].len);
	rc = tlsa_parse(copy, hostile[_i].len, &rcode, &ad, &r, &n);
	ck_assert_msg(rc == hostile[_i].rc, "%s: got %d, want %d", hostile[_i].name,
	    rc, hostile[_i].rc);
	if (rc == 0) {
		ck_assert_msg(n == hostile[_i].n, "%s: got %zu records, want %zu",
		    hostile[_i].name, n, hostile[_i].n);
		result_tlsa_free(r, n);
	}
	if (_i == 2) {
		ck_assert_int_eq(ad, 1);
		ck_assert_int_eq(rcode, 2);
	}
	free(copy);
}
END_TEST

START_TEST(qname)
{
	char	 buf[32];

	ck_assert_int_eq(tlsa_qname(buf, sizeof(buf), 25, "mx.example.com"), 0);
	ck_assert_str_eq(buf, "_25._tcp.mx.example.com");
	ck_assert_int_eq(tlsa_qname(buf, 10, 25, "mx.example.com"), -1);
}
END_TEST

static Suite *
tlsa_suite(void)
{
	Suite	*s = suite_create("tlsa");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, parse_real_answer);
	tcase_add_test(tc, parse_long_record);
	tcase_add_test(tc, parse_through_cname_and_nxdomain);
	tcase_add_test(tc, every_truncation);
	tcase_add_loop_test(tc, hostile_messages, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, qname);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tlsa_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
