/* SPDX-License-Identifier: ISC */
/*
 * check_delivery - the sender's verdicts of src/delivery.c as a table:
 * one MX host (mx.example.com), built by hand, under every combination
 * that changes what an opportunistic, a DANE (RFC 7672) and an MTA-STS
 * (RFC 8461) sender would do; then the target-level rule (MX preference
 * order, null MX) and the names.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery.h"

/* what the host looks like */
enum tlsk { T_NONE, T_OK, T_FAIL };		/* no STARTTLS, TLS up, handshake failed */
enum certk { C_GOOD, C_UNTRUSTED, C_WRONGNAME };
enum danek { D_NONE, D_EE_MATCH, D_MISMATCH, D_LOOKUP_FAILED, D_NOT_VALIDATED };
enum stsk { S_NONE, S_ENFORCE, S_TESTING, S_ENFORCE_NO_TXT, S_ENFORCE_OTHER_MX };

static const struct row {
	const char	*label;
	int		 reached;	/* connected, 220, session to its end */
	enum tlsk	 tls;
	enum certk	 cert;
	enum danek	 dane;
	enum stsk	 sts;
	int		 opp, dane_ok, sts_ok;	/* delivers: 1, 0, -1 */
	enum delivery_why sts_why;
} rows[] = {
	{ "plain server, no policy", 1, T_NONE, C_GOOD, D_NONE, S_NONE,
	  1, 1, 1, DELIVERY_W_STS_NO_POLICY },
	{ "unreachable", 0, T_NONE, C_GOOD, D_NONE, S_ENFORCE,
	  0, 0, 0, DELIVERY_W_NOT_REACHED },
	{ "TLS, good cert, enforce", 1, T_OK, C_GOOD, D_NONE, S_ENFORCE,
	  1, 1, 1, DELIVERY_W_AUTHENTICATED },
	{ "no STARTTLS, enforce", 1, T_NONE, C_GOOD, D_NONE, S_ENFORCE,
	  1, 1, 0, DELIVERY_W_STS_NO_TLS },
	{ "handshake failed, enforce", 1, T_FAIL, C_GOOD, D_NONE, S_ENFORCE,
	  1, 1, 0, DELIVERY_W_STS_NO_TLS },
	{ "untrusted cert, enforce", 1, T_OK, C_UNTRUSTED, D_NONE, S_ENFORCE,
	  1, 1, 0, DELIVERY_W_STS_CERT_INVALID },
	{ "wrong name, enforce", 1, T_OK, C_WRONGNAME, D_NONE, S_ENFORCE,
	  1, 1, 0, DELIVERY_W_STS_CERT_INVALID },
	{ "MX not in the policy, enforce", 1, T_OK, C_GOOD, D_NONE,
	  S_ENFORCE_OTHER_MX, 1, 1, 0, DELIVERY_W_STS_MX_NOT_MATCHED },
	{ "untrusted cert, testing", 1, T_OK, C_UNTRUSTED, D_NONE, S_TESTING,
	  1, 1, 1, DELIVERY_W_STS_TESTING },
	{ "enforce policy without TXT: never used", 1, T_NONE, C_GOOD, D_NONE,
	  S_ENFORCE_NO_TXT, 1, 1, 1, DELIVERY_W_STS_NO_POLICY },
	/* DANE supersedes PKIX: a self-signed certificate with a DANE-EE match */
	{ "DANE-EE match, untrusted cert", 1, T_OK, C_UNTRUSTED, D_EE_MATCH,
	  S_NONE, 1, 1, 1, DELIVERY_W_STS_NO_POLICY },
	{ "DANE mismatch", 1, T_OK, C_GOOD, D_MISMATCH, S_NONE,
	  1, 0, 1, DELIVERY_W_STS_NO_POLICY },
	{ "DANE, no STARTTLS", 1, T_NONE, C_GOOD, D_EE_MATCH, S_NONE,
	  1, 0, 1, DELIVERY_W_STS_NO_POLICY },
	{ "TLSA lookup failed under a secure MX", 1, T_OK, C_GOOD,
	  D_LOOKUP_FAILED, S_NONE, 1, 0, 1, DELIVERY_W_STS_NO_POLICY },
	{ "TLSA records not validated: no effect", 1, T_NONE, C_GOOD,
	  D_NOT_VALIDATED, S_NONE, 1, 1, 1, DELIVERY_W_STS_NO_POLICY },
};

static char	 mx_name[] = "mx.example.com";
static char	 pat_exact[] = "mx.example.com", pat_wild[] = "*.example.net";
static uint8_t	 tlsa_data[32];

/* fill t (one host) for row r; nothing here is heap-allocated */
static void
build(struct target_result *t, struct host_result *h, struct tlsa_rec *rec,
    const struct row *r)
{
	memset(t, 0, sizeof(*t));
	memset(h, 0, sizeof(*h));
	memset(rec, 0, sizeof(*rec));
	t->kind = TARGET_DOMAIN;
	t->hosts = h;
	t->nhosts = 1;
	h->mx = mx_name;
	snprintf(h->address, sizeof(h->address), "192.0.2.25");
	h->connect.ok = r->reached;
	if (r->reached)
		h->banner.code = 220;
	else
		h->fail = PROBE_F_CONN;
	h->tls.offered = r->tls != T_NONE;
	h->tls.attempted = r->tls != T_NONE;
	h->tls.ok = r->tls == T_OK;
	h->tls.version = r->tls == T_OK ? (char *)"TLSv1.3" : NULL;
	h->tls.verify.chain_ok = r->tls == T_OK && r->cert != C_UNTRUSTED;
	h->tls.verify.name_ok = r->tls == T_OK && r->cert != C_WRONGNAME;
	if (r->dane != D_NONE) {
		rec->usage = 3;
		rec->selector = 1;
		rec->mtype = 1;
		rec->data = tlsa_data;
		rec->len = sizeof(tlsa_data);
		rec->matched = r->tls == T_OK && r->dane == D_EE_MATCH ? 1 : 0;
		h->tls.tlsa = rec;
		h->tls.ntlsa = 1;
		h->tls.tlsa_ad = r->dane != D_NOT_VALIDATED;
		if (r->dane == D_LOOKUP_FAILED) {
			h->tls.tlsa = NULL;
			h->tls.ntlsa = 0;
			h->tls.tlsa_error = (char *)"SERVFAIL";
		}
	}
	if (r->sts != S_NONE) {
		t->sts.checked = 1;
		t->sts.ntxt = r->sts == S_ENFORCE_NO_TXT ? 0 : 1;
		t->sts.have_policy = 1;
		t->sts.policy.mode = r->sts == S_TESTING ? MTASTS_MODE_TESTING :
		    MTASTS_MODE_ENFORCE;
		t->sts.policy.max_age = 604800;
		t->sts.policy.mx[0] = r->sts == S_ENFORCE_OTHER_MX ? pat_wild : pat_exact;
		t->sts.policy.nmx = 1;
	}
}

START_TEST(test_rules)
{
	const struct row	*r = &rows[_i];
	struct target_result	 t;
	struct host_result	 h;
	struct tlsa_rec		 rec;
	struct delivery_verdict	 v;

	build(&t, &h, &rec, r);
	delivery_judge_host(&t, &h, DELIVERY_OPPORTUNISTIC, &v);
	ck_assert_msg(v.delivers == r->opp, "%s: opportunistic %d, want %d (%s)",
	    r->label, v.delivers, r->opp, v.reason);
	delivery_judge_host(&t, &h, DELIVERY_DANE, &v);
	ck_assert_msg(v.delivers == r->dane_ok, "%s: dane %d, want %d (%s)",
	    r->label, v.delivers, r->dane_ok, v.reason);
	delivery_judge_host(&t, &h, DELIVERY_MTA_STS, &v);
	ck_assert_msg(v.delivers == r->sts_ok, "%s: mta-sts %d, want %d (%s)",
	    r->label, v.delivers, r->sts_ok, v.reason);
	ck_assert_msg(v.why == r->sts_why, "%s: mta-sts why %d, want %d (%s)",
	    r->label, v.why, r->sts_why, v.reason);
	ck_assert_msg(v.reason[0] != '\0', "%s: no reason", r->label);
	/* one host: the target's verdict is the host's, named */
	delivery_judge(&t, DELIVERY_MTA_STS, &v);
	ck_assert_int_eq(v.delivers, r->sts_ok);
	ck_assert_msg(strncmp(v.reason, "mx.example.com (192.0.2.25): ", 29) == 0,
	    "%s", v.reason);
}
END_TEST

/* RFC 8461 4.1 through delivery_mx_match: the pattern, or NULL */
START_TEST(test_mx_match)
{
	struct target_result	 t;
	struct host_result	 h;
	struct tlsa_rec		 rec;

	build(&t, &h, &rec, &rows[2]);
	ck_assert_str_eq(delivery_mx_match(&t, "mx.example.com"), "mx.example.com");
	ck_assert_ptr_null(delivery_mx_match(&t, "mx2.example.com"));
	build(&t, &h, &rec, &rows[7]);
	ck_assert_str_eq(delivery_mx_match(&t, "a.example.net"), "*.example.net");
	ck_assert_ptr_null(delivery_mx_match(&t, "a.b.example.net"));
	build(&t, &h, &rec, &rows[0]);
	ck_assert_ptr_null(delivery_mx_match(&t, "mx.example.com"));
	ck_assert_int_eq(delivery_sts_mode(&t), MTASTS_MODE_NONE);
}
END_TEST

/* the sender tries MX hosts in order: one that delivers is enough */
START_TEST(test_target_order)
{
	struct target_result	 t;
	struct host_result	 h[2];
	struct tlsa_rec		 rec[2];
	struct delivery_verdict	 v;

	build(&t, &h[1], &rec[1], &rows[2]);	/* good: TLS, matched */
	build(&t, &h[0], &rec[0], &rows[3]);	/* no STARTTLS */
	t.hosts = h;
	t.nhosts = 2;
	snprintf(h[1].address, sizeof(h[1].address), "192.0.2.26");
	delivery_judge(&t, DELIVERY_MTA_STS, &v);
	ck_assert_int_eq(v.delivers, 1);
	ck_assert_msg(strstr(v.reason, "192.0.2.26") != NULL, "%s", v.reason);
	/* both refuse: the most preferred one's reason */
	build(&t, &h[1], &rec[1], &rows[5]);
	build(&t, &h[0], &rec[0], &rows[3]);
	t.hosts = h;
	t.nhosts = 2;
	delivery_judge(&t, DELIVERY_MTA_STS, &v);
	ck_assert_int_eq(v.delivers, 0);
	ck_assert_int_eq(v.why, DELIVERY_W_STS_NO_TLS);
	ck_assert_str_eq(delivery_action(&v), "defers");	/* RFC 8461 5 */
	/* a temporary failure makes "cannot tell", not "no" */
	h[1].fail = PROBE_F_SHUTDOWN;
	h[1].banner.code = 421;
	delivery_judge(&t, DELIVERY_OPPORTUNISTIC, &v);
	ck_assert_int_eq(v.delivers, 1);	/* h[0] takes mail in clear text */
	delivery_judge(&t, DELIVERY_MTA_STS, &v);
	ck_assert_int_eq(v.delivers, -1);
}
END_TEST

START_TEST(test_null_mx_and_nothing)
{
	struct target_result	 t;
	struct delivery_verdict	 v;
	int			 s;

	memset(&t, 0, sizeof(t));
	t.kind = TARGET_DOMAIN;
	t.dns.null_mx = 1;
	for (s = 0; s < DELIVERY_LAST; s++) {
		delivery_judge(&t, (enum delivery_sender)s, &v);
		ck_assert_int_eq(v.delivers, 0);
		ck_assert_int_eq(v.why, DELIVERY_W_NULL_MX);
		/* RFC 7505 3: returned at once, not retried */
		ck_assert_str_eq(delivery_action(&v), "bounces");
	}
	t.dns.null_mx = 0;
	/* NXDOMAIN: no address at all (RFC 5321 5.1) */
	delivery_judge(&t, DELIVERY_OPPORTUNISTIC, &v);
	ck_assert_int_eq(v.why, DELIVERY_W_NO_HOST);
	ck_assert_str_eq(delivery_action(&v), "bounces");
	t.dns.transient = 1;
	delivery_judge(&t, DELIVERY_DANE, &v);
	ck_assert_int_eq(v.delivers, -1);
	ck_assert_str_eq(delivery_action(&v), "unknown");
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(delivery_sender_name(DELIVERY_OPPORTUNISTIC), "opportunistic");
	ck_assert_str_eq(delivery_sender_name(DELIVERY_MTA_STS), "mta-sts");
	ck_assert_int_eq(delivery_sender_from_name("dane"), DELIVERY_DANE);
	ck_assert_int_eq(delivery_sender_from_name("mta-sts"), DELIVERY_MTA_STS);
	ck_assert_int_eq(delivery_sender_from_name("DANE"), -1);
	ck_assert_int_eq(delivery_sender_from_name(""), -1);
}
END_TEST

static Suite *
delivery_suite(void)
{
	Suite	*s = suite_create("delivery");
	TCase	*tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_rules, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_mx_match);
	tcase_add_test(tc, test_target_order);
	tcase_add_test(tc, test_null_mx_and_nothing);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(delivery_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
