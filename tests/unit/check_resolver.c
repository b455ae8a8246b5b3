/* SPDX-License-Identifier: ISC */
/*
 * check_resolver - c-ares on the loop against the fakedns responder
 * (src/fakedns.c writes answers byte by byte: c-ares 1.18 has no record
 * builder).  MX ordering, null MX (RFC 7505), implicit MX (RFC 5321 5.1),
 * aliases as MX targets, NXDOMAIN vs SERVFAIL vs timeout, -4/-6, caps.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakedns.h"
#include "loop.h"
#include "resolver.h"
#include "result.h"

static const char zone[] =
    "multi.test MX 20 b.multi.test\n"
    "multi.test MX 10 a.multi.test\n"
    "a.multi.test A 127.0.0.10\n"
    "a.multi.test AAAA ::1\n"
    "b.multi.test A 127.0.0.11\n"
    "b.multi.test A 127.0.0.12\n"
    "null.test MX 0 .\n"
    "implicit.test A 127.0.0.20\n"
    "alias.test MX 10 cname.alias.test\n"
    "cname.alias.test CNAME real.alias.test\n"
    "real.alias.test A 127.0.0.30\n"
    "noaddr.test MX 10 nowhere.noaddr.test\n"
    "broken.test SERVFAIL\n"
    "slow.test TIMEOUT\n"
    "txtonly.test TXT hello\n"
    /* RFC 6186 3.1: submission services, out of order, one not offered */
    "_submission._tcp.srv.test SRV 20 0 2587 b.srv.test\n"
    "_submission._tcp.srv.test SRV 10 5 1587 a.srv.test.\n"
    "_submission._tcp.srv.test SRV 10 50 3587 c.srv.test\n"
    "_submissions._tcp.srv.test SRV 0 0 0 .\n"
    "_submission._tcp.many.test SRV 1 0 587 a.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 b.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 c.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 d.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 e.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 f.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 g.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 h.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 i.many.test\n"
    "_submission._tcp.many.test SRV 1 0 587 j.many.test\n"
    "host.test A 127.0.0.40\n"
    "v6.test MX 10 mx.v6.test\n"
    "mx.v6.test AAAA 2001:db8::25\n"
    "mx.v6.test A 127.0.0.41\n"
    "dane.test MX 10 mx.dane.test\n"
    "mx.dane.test A 127.0.0.42\n"
    "_25._tcp.mx.dane.test TLSA 3 1 1 "
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
    "_25._tcp.mx.dane.test TLSA 2 0 2 00ff\n"
    "literal.test MX 10 192.0.2.25\n"
    "literal.test MX 20 mx.literal.test\n"
    "mx.literal.test A 127.0.0.43\n"
    "chain.test MX 10 a.chain.test\n"
    "a.chain.test CNAME b.chain.test\n"
    "b.chain.test CNAME c.chain.test\n"
    "c.chain.test A 127.0.0.44\n"
    "big.test MX 10 mx.big.test\n"
    "mx.big.test TRUNCATE\n"
    "mx.big.test A 127.0.0.45\n"
    /* one host at two preferences */
    "twice.test MX 20 mx.twice.test\n"
    "twice.test MX 10 MX.twice.test.\n"
    "mx.twice.test A 127.0.0.46\n"
    "mx.twice.test AAAA 2001:db8::46\n"
    /* only one address family */
    "v6only.test MX 10 mx.v6only.test\n"
    "mx.v6only.test AAAA 2001:db8::47\n"
    "mx.v6only.test AAAA 2001:db8::48\n"
    "v4only.test A 127.0.0.48\n"
    "empty.test MX 10 mx.empty.test\n"
    "mx.empty.test TXT no address here\n"
    /* DNSSEC: a validated MX whose TLSA lookup fails */
    "sec.test MX 10 mx.sec.test\n"
    "sec.test SECURE\n"
    "mx.sec.test A 127.0.0.49\n"
    "_25._tcp.mx.sec.test SERVFAIL\n"
    "49.0.0.127.in-addr.arpa PTR mx.sec.test\n"
    /* TXT: one record in two character-strings, and a second record */
    "_mta-sts.txt.test TXT \"v=STSv1; \" \"id=20260101;\"\n"
    "_mta-sts.txt.test TXT other\n"
    "_mta-sts.bad.test SERVFAIL\n"
    "mx.txt.test A 127.0.0.52\n"
    "_25._tcp.mx.txt.test TLSA 3 1 1 00ff\n";

/*
 * 20 MX records at mixed preferences, in scrambled order: the 16 most
 * preferred (lowest values) must be kept, whatever their place in the
 * answer.  Two share preference 30 (DNS order kept between them).
 */
static const struct {
	int		 pref;
	const char	*host;
} scrambled[] = {
	{ 90, "s90" }, { 5, "s05" }, { 70, "s70" }, { 30, "s30a" },
	{ 95, "s95" }, { 15, "s15" }, { 60, "s60" }, { 99, "s99" },
	{ 10, "s10" }, { 45, "s45" }, { 30, "s30b" }, { 80, "s80" },
	{ 20, "s20" }, { 85, "s85" }, { 50, "s50" }, { 40, "s40" },
	{ 65, "s65" }, { 25, "s25" }, { 55, "s55" }, { 35, "s35" },
};

static struct loop	*L;
static struct fakedns	*D;
static struct resolver	*R;
static int		 calls;

static void
setup(void)
{
	char	 err[256], servers[64];
	int	 i;

	L = loop_new();
	D = fakedns_new(L, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_msg(D != NULL, "fakedns: %s", err);
	ck_assert_msg(fakedns_load(D, zone, err, sizeof(err)) == 0, "zone: %s", err);
	/* 40 MX records: more than the resolver keeps */
	for (i = 0; i < 40; i++) {
		char	 rd[96], host[64];

		snprintf(host, sizeof(host), "mx%02d.many.test", i);
		snprintf(rd, sizeof(rd), "%d %s", i, host);
		ck_assert_int_eq(fakedns_add(D, "many.test", "MX", rd), 0);
		ck_assert_int_eq(fakedns_add(D, host, "A", "127.0.0.50"), 0);
	}
	for (i = 0; i < (int)(sizeof(scrambled) / sizeof(scrambled[0])); i++) {
		char	 rd[96], host[64];

		snprintf(host, sizeof(host), "%s.scrambled.test", scrambled[i].host);
		snprintf(rd, sizeof(rd), "%d %s", scrambled[i].pref, host);
		ck_assert_int_eq(fakedns_add(D, "scrambled.test", "MX", rd), 0);
		ck_assert_int_eq(fakedns_add(D, host, "A", "127.0.0.51"), 0);
	}
	snprintf(servers, sizeof(servers), "127.0.0.1:%u", fakedns_port(D));
	R = resolver_new(L, servers, 300, 1, err, sizeof(err));
	ck_assert_msg(R != NULL, "resolver: %s", err);
	calls = 0;
}

static void
teardown(void)
{
	resolver_free(R);
	fakedns_free(D);
	ck_assert_uint_eq(loop_active_ios(L), 0);
	ck_assert_uint_eq(loop_active_timers(L), 0);
	loop_free(L);
}

static void
done_cb(struct dns_result *d, void *arg)
{
	calls++;
}

static void
lookup(const char *name, int what, int family, struct dns_result *d)
{
	memset(d, 0, sizeof(*d));
	resolver_lookup(R, name, what, family, d, done_cb, NULL);
	ck_assert_int_eq(calls, 0);	/* never from inside resolver_lookup */
	while (calls == 0)
		ck_assert_int_ne(loop_run_once(L, 2000), -1);
	ck_assert_int_eq(calls, 1);
}

/* TXT results, copied out of the callback */
static struct {
	int	 calls;
	char	 rcode[16];
	int	 error, transient;
	size_t	 ntxt;
	char	 txt[4][64];
	size_t	 len[4];
} tx;

static void
txt_cb(const struct resolver_txt *r, void *arg)
{
	size_t	 i;

	tx.calls++;
	snprintf(tx.rcode, sizeof(tx.rcode), "%s", r->rcode);
	tx.error = r->error != NULL;
	tx.transient = r->transient;
	tx.ntxt = r->ntxt;
	for (i = 0; i < r->ntxt && i < 4; i++) {
		snprintf(tx.txt[i], sizeof(tx.txt[i]), "%s", r->txt[i]);
		tx.len[i] = r->len[i];
	}
}

/* a record lookup calls back once, from the loop, and leaves nothing behind */
static void
run_until_called(const int *ncalls)
{
	ck_assert_int_eq(*ncalls, 0);
	while (*ncalls == 0)
		ck_assert_int_ne(loop_run_once(L, 2000), -1);
	ck_assert_int_eq(*ncalls, 1);
	ck_assert_uint_eq(resolver_pending(R), 0);
}

static void
lookup_txt(const char *name)
{
	memset(&tx, 0, sizeof(tx));
	resolver_lookup_txt(R, name, txt_cb, NULL);
	run_until_called(&tx.calls);
}

START_TEST(txt_records_joined)
{
	size_t	 i, sts = 0;

	lookup_txt("_mta-sts.txt.test");
	ck_assert_str_eq(tx.rcode, "NOERROR");
	ck_assert_int_eq(tx.error, 0);
	ck_assert_uint_eq(tx.ntxt, 2);
	/* RFC 8461 3.1: the strings of one record are concatenated */
	for (i = 0; i < 2; i++)
		if (strcmp(tx.txt[i], "v=STSv1; id=20260101;") == 0) {
			sts++;
			ck_assert_uint_eq(tx.len[i], 21);
		} else
			ck_assert_str_eq(tx.txt[i], "other");
	ck_assert_uint_eq(sts, 1);
}
END_TEST

START_TEST(txt_none_is_not_an_error)
{
	lookup_txt("_mta-sts.nowhere.test");
	ck_assert_str_eq(tx.rcode, "NXDOMAIN");
	ck_assert_int_eq(tx.error, 0);
	ck_assert_uint_eq(tx.ntxt, 0);
	lookup_txt("host.test");	/* the name exists, no TXT: NODATA */
	ck_assert_str_eq(tx.rcode, "NOERROR");
	ck_assert_int_eq(tx.error, 0);
	ck_assert_uint_eq(tx.ntxt, 0);
}
END_TEST

static struct {
	int	 calls;
	char	 rcode[16];
	int	 error;
	size_t	 nsrv, dropped, bad;
	char	 line[4][80];
} sv;

static void
srv_cb(const struct resolver_srv *r, void *arg)
{
	size_t	 i;

	sv.calls++;
	snprintf(sv.rcode, sizeof(sv.rcode), "%s", r->rcode);
	sv.error = r->error != NULL;
	sv.nsrv = r->nsrv;
	sv.dropped = r->dropped;
	sv.bad = r->bad;
	for (i = 0; i < r->nsrv && i < 4; i++)
		snprintf(sv.line[i], sizeof(sv.line[i]), "%u %u %u %s",
		    r->srv[i].priority, r->srv[i].weight, r->srv[i].port,
		    r->srv[i].target);
}

static void
lookup_srv(const char *name)
{
	memset(&sv, 0, sizeof(sv));
	resolver_lookup_srv(R, name, srv_cb, NULL);
	run_until_called(&sv.calls);
}

/* RFC 2782: by priority, lowest first, then by weight, heaviest first */
START_TEST(srv_sorted)
{
	lookup_srv("_submission._tcp.srv.test");
	ck_assert_str_eq(sv.rcode, "NOERROR");
	ck_assert_int_eq(sv.error, 0);
	ck_assert_uint_eq(sv.nsrv, 3);
	ck_assert_str_eq(sv.line[0], "10 50 3587 c.srv.test");
	ck_assert_str_eq(sv.line[1], "10 5 1587 a.srv.test");
	ck_assert_str_eq(sv.line[2], "20 0 2587 b.srv.test");
	/* RFC 2782, RFC 6186 3.4: "." is "not offered" */
	lookup_srv("_submissions._tcp.srv.test");
	ck_assert_uint_eq(sv.nsrv, 1);
	ck_assert_str_eq(sv.line[0], "0 0 0 .");
	lookup_srv("_submission._tcp.nowhere.test");
	ck_assert_str_eq(sv.rcode, "NXDOMAIN");
	ck_assert_int_eq(sv.error, 0);
	ck_assert_uint_eq(sv.nsrv, 0);
	lookup_srv("broken.test");
	ck_assert_int_eq(sv.error, 1);
}
END_TEST

/* hostile DNS: a bounded count of records */
START_TEST(srv_capped)
{
	lookup_srv("_submission._tcp.many.test");
	ck_assert_uint_eq(sv.nsrv, RESOLVER_SRV_MAX);
	ck_assert_uint_eq(sv.dropped, 10 - RESOLVER_SRV_MAX);
}
END_TEST

START_TEST(txt_servfail)
{
	lookup_txt("_mta-sts.bad.test");
	ck_assert_str_eq(tx.rcode, "SERVFAIL");
	ck_assert_int_eq(tx.error, 1);
	ck_assert_int_eq(tx.transient, 1);
}
END_TEST

/* the policy host is not a mail host: no TLSA query for it */
START_TEST(host_without_tlsa)
{
	struct dns_result	 d;

	resolver_set_tlsa_port(R, 25);
	lookup("mx.txt.test", RESOLVE_HOST | RESOLVE_NO_TLSA, 0, &d);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_int_eq(d.mx[0].tlsa_queried, 0);
	ck_assert_uint_eq(fakedns_tlsa_queries(D), 0);
	result_dns_clear(&d);
	calls = 0;
	lookup("mx.txt.test", RESOLVE_HOST, 0, &d);
	ck_assert_int_eq(d.mx[0].tlsa_queried, 1);
	result_dns_clear(&d);
}
END_TEST

START_TEST(mx_ordered_with_addresses)
{
	struct dns_result	 d;

	lookup("multi.test", RESOLVE_MX, 0, &d);
	ck_assert_ptr_null(d.error);
	ck_assert_str_eq(d.rcode, "NOERROR");
	ck_assert_uint_eq(d.nmx, 2);
	ck_assert_int_eq(d.mx[0].preference, 10);
	ck_assert_str_eq(d.mx[0].host, "a.multi.test");
	ck_assert_int_eq(d.mx[1].preference, 20);
	ck_assert_uint_eq(d.mx[0].naddrs, 2);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.10");	/* A before AAAA */
	ck_assert_str_eq(d.mx[0].addrs[1], "::1");
	ck_assert_uint_eq(d.mx[1].naddrs, 2);
	ck_assert_int_eq(d.null_mx, 0);
	ck_assert_int_eq(d.implicit_mx, 0);
	result_dns_clear(&d);
}
END_TEST

START_TEST(family_filter)
{
	struct dns_result	 d;

	lookup("v6.test", RESOLVE_MX, 6, &d);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "2001:db8::25");
	result_dns_clear(&d);
	calls = 0;
	lookup("v6.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.41");
	result_dns_clear(&d);
}
END_TEST

START_TEST(null_mx)
{
	struct dns_result	 d;

	lookup("null.test", RESOLVE_MX, 0, &d);
	ck_assert_int_eq(d.null_mx, 1);
	ck_assert_uint_eq(d.nmx, 0);
	ck_assert_ptr_null(d.error);
	result_dns_clear(&d);
}
END_TEST

START_TEST(implicit_mx)
{
	struct dns_result	 d;

	lookup("implicit.test", RESOLVE_MX, 0, &d);
	ck_assert_int_eq(d.implicit_mx, 1);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_str_eq(d.mx[0].host, "implicit.test");
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.20");
	result_dns_clear(&d);
}
END_TEST

START_TEST(nxdomain_is_permanent)
{
	struct dns_result	 d;

	lookup("nope.test", RESOLVE_MX, 0, &d);
	ck_assert_str_eq(d.rcode, "NXDOMAIN");
	ck_assert_ptr_nonnull(d.error);
	ck_assert_int_eq(d.transient, 0);
	ck_assert_uint_eq(d.nmx, 0);
	result_dns_clear(&d);
}
END_TEST

START_TEST(servfail_is_transient)
{
	struct dns_result	 d;

	lookup("broken.test", RESOLVE_MX, 0, &d);
	ck_assert_str_eq(d.rcode, "SERVFAIL");
	ck_assert_ptr_nonnull(d.error);
	ck_assert_int_eq(d.transient, 1);
	result_dns_clear(&d);
}
END_TEST

START_TEST(timeout_is_transient)
{
	struct dns_result	 d;

	lookup("slow.test", RESOLVE_MX, 0, &d);
	ck_assert_str_eq(d.rcode, "TIMEOUT");
	ck_assert_int_eq(d.transient, 1);
	result_dns_clear(&d);
}
END_TEST

START_TEST(mx_alias_flagged)
{
	struct dns_result	 d;

	lookup("alias.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_int_eq(d.mx[0].is_cname, 1);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.30");
	result_dns_clear(&d);
}
END_TEST

START_TEST(mx_without_address)
{
	struct dns_result	 d;

	lookup("noaddr.test", RESOLVE_MX, 0, &d);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_uint_eq(d.mx[0].naddrs, 0);
	ck_assert_ptr_nonnull(d.mx[0].error);
	ck_assert_ptr_nonnull(strstr(d.mx[0].error, "NXDOMAIN"));
	result_dns_clear(&d);
}
END_TEST

START_TEST(no_mx_no_address)
{
	struct dns_result	 d;

	/* the name exists (TXT) but has neither MX nor A: implicit MX, no address */
	lookup("txtonly.test", RESOLVE_MX, 0, &d);
	ck_assert_int_eq(d.implicit_mx, 1);
	ck_assert_uint_eq(d.mx[0].naddrs, 0);
	ck_assert_ptr_nonnull(d.mx[0].error);
	result_dns_clear(&d);
}
END_TEST

START_TEST(mx_capped)
{
	struct dns_result	 d;

	lookup("many.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 16);
	ck_assert_int_eq(d.mx[0].preference, 0);
	ck_assert_int_eq(d.mx[15].preference, 15);
	ck_assert_ptr_null(d.error);		/* a limit, not an error */
	ck_assert_uint_eq(d.nmx_dropped, 24);
	ck_assert_int_eq(d.mx_dropped[0].preference, 16);
	ck_assert_str_eq(d.mx_dropped[0].host, "mx16.many.test");
	ck_assert_int_eq(d.mx_dropped[23].preference, 39);
	result_dns_clear(&d);
}
END_TEST

/* sorted first, then capped: the least preferred are left out, and named */
START_TEST(mx_capped_after_sorting)
{
	static const int	 kept[16] = { 5, 10, 15, 20, 25, 30, 30, 35, 40, 45,
	    50, 55, 60, 65, 70, 80 };
	static const char	*dropped[4] = { "s85", "s90", "s95", "s99" };
	struct dns_result	 d;
	char			 want[64];
	size_t			 i;

	lookup("scrambled.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 16);
	for (i = 0; i < 16; i++)
		ck_assert_msg(d.mx[i].preference == kept[i],
		    "mx[%zu]: got preference %d, want %d", i, d.mx[i].preference,
		    kept[i]);
	/* equal preferences keep the order of the answer */
	ck_assert_str_eq(d.mx[5].host, "s30a.scrambled.test");
	ck_assert_str_eq(d.mx[6].host, "s30b.scrambled.test");
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_uint_eq(d.nmx_dropped, 4);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "%s.scrambled.test", dropped[i]);
		ck_assert_str_eq(d.mx_dropped[i].host, want);
		ck_assert_int_eq(d.mx_dropped[i].preference, atoi(dropped[i] + 1));
	}
	result_dns_clear(&d);
}
END_TEST

/* one host at two preferences: both records kept, its addresses asked once */
START_TEST(mx_same_host_twice)
{
	struct dns_result	 d;
	unsigned long		 before = fakedns_queries(D);

	lookup("twice.test", RESOLVE_MX, 0, &d);
	ck_assert_uint_eq(d.nmx, 2);
	ck_assert_int_eq(d.mx[0].preference, 10);
	ck_assert_int_eq(d.mx[1].preference, 20);
	ck_assert_int_eq(result_mx_first(&d, 0), 1);
	ck_assert_int_eq(result_mx_first(&d, 1), 0);	/* MX.twice.test. is the same */
	ck_assert_uint_eq(d.mx[0].naddrs, 2);
	ck_assert_uint_eq(d.mx[1].naddrs, 2);
	ck_assert_str_eq(d.mx[1].addrs[0], "127.0.0.46");
	ck_assert_str_eq(d.mx[1].addrs[1], "2001:db8::46");
	ck_assert_uint_eq(d.nmx_dropped, 0);
	/* MX, A, AAAA: the second record costs no query */
	ck_assert_uint_eq(fakedns_queries(D) - before, 3);
	result_dns_clear(&d);
}
END_TEST

/* -4 on an IPv6-only host says so; it is not "no address records" */
START_TEST(family_excluded_named)
{
	struct dns_result	 d;

	lookup("v6only.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_uint_eq(d.mx[0].naddrs, 0);
	ck_assert_uint_eq(d.mx[0].addrs_excluded, 2);
	ck_assert_ptr_nonnull(d.mx[0].error);
	ck_assert_msg(strstr(d.mx[0].error, "IPv6 addresses excluded by -4") != NULL,
	    "got \"%s\"", d.mx[0].error);
	result_dns_clear(&d);
	calls = 0;
	lookup("v4only.test", RESOLVE_HOST, 6, &d);
	ck_assert_uint_eq(d.mx[0].naddrs, 0);
	ck_assert_uint_eq(d.mx[0].addrs_excluded, 1);
	ck_assert_msg(strstr(d.mx[0].error, "1 IPv4 address excluded by -6") != NULL,
	    "got \"%s\"", d.mx[0].error);
	result_dns_clear(&d);
	/* neither family: still "no address records" */
	calls = 0;
	lookup("empty.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.mx[0].addrs_excluded, 0);
	ck_assert_str_eq(d.mx[0].error, "no address records");
	result_dns_clear(&d);
	/* the family asked for exists: nothing else is asked */
	calls = 0;
	lookup("v6only.test", RESOLVE_MX, 6, &d);
	ck_assert_uint_eq(d.mx[0].naddrs, 2);
	ck_assert_ptr_null(d.mx[0].error);
	result_dns_clear(&d);
}
END_TEST

START_TEST(tlsa_records)
{
	struct dns_result	 d;

	resolver_set_tlsa_port(R, 25);
	lookup("dane.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_int_eq(d.mx[0].tlsa_queried, 1);
	ck_assert_str_eq(d.mx[0].tlsa_rcode, "NOERROR");
	ck_assert_uint_eq(d.mx[0].ntlsa, 2);
	ck_assert_int_eq(d.mx[0].tlsa[0].usage, 3);
	ck_assert_int_eq(d.mx[0].tlsa[0].selector, 1);
	ck_assert_int_eq(d.mx[0].tlsa[0].mtype, 1);
	ck_assert_uint_eq(d.mx[0].tlsa[0].len, 32);
	ck_assert_int_eq(d.mx[0].tlsa[0].data[1], 0x23);
	ck_assert_int_eq(d.mx[0].tlsa[1].usage, 2);
	ck_assert_uint_eq(d.mx[0].tlsa[1].len, 2);
	ck_assert_int_eq(d.mx[0].tlsa[1].data[1], 0xff);
	ck_assert_int_eq(d.mx[0].tlsa_ad, 0);	/* fakedns does not validate */
	result_dns_clear(&d);
	calls = 0;
	/* no TLSA records: NXDOMAIN for the _25._tcp name, addresses still found */
	lookup("multi.test", RESOLVE_MX, 4, &d);
	ck_assert_int_eq(d.mx[0].tlsa_queried, 1);
	ck_assert_uint_eq(d.mx[0].ntlsa, 0);
	ck_assert_str_eq(d.mx[0].tlsa_rcode, "NXDOMAIN");
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	result_dns_clear(&d);
	/* off by default */
	resolver_set_tlsa_port(R, 0);
	calls = 0;
	lookup("dane.test", RESOLVE_MX, 4, &d);
	ck_assert_int_eq(d.mx[0].tlsa_queried, 0);
	result_dns_clear(&d);
}
END_TEST

static int	 ptr_fcrdns;

static void
ptr_cb(const char *name, int fcrdns, const char *error, void *arg)
{
	ptr_fcrdns = fcrdns;
	calls++;
}

/*
 * RFC 7672 2.2.1: the MX query asks for the AD bit and records it; a
 * failed TLSA lookup keeps its rcode; the FCrDNS forward lookup of a PTR
 * name sends no TLSA query (it is not a mail destination).
 */
START_TEST(dane_dnssec)
{
	struct dns_result	 d;
	unsigned long		 tlsa;

	resolver_set_tlsa_port(R, 25);
	lookup("sec.test", RESOLVE_MX, 4, &d);
	ck_assert_int_eq(d.mx_ad, 1);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_str_eq(d.mx[0].tlsa_rcode, "SERVFAIL");
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	result_dns_clear(&d);
	calls = 0;
	lookup("dane.test", RESOLVE_MX, 4, &d);
	ck_assert_int_eq(d.mx_ad, 0);
	result_dns_clear(&d);
	calls = 0;
	tlsa = fakedns_tlsa_queries(D);
	resolver_lookup_ptr(R, "127.0.0.49", ptr_cb, NULL);
	while (calls == 0)
		ck_assert_int_ne(loop_run_once(L, 2000), -1);
	ck_assert_int_eq(ptr_fcrdns, 1);
	ck_assert_uint_eq(fakedns_tlsa_queries(D), tlsa);
}
END_TEST

START_TEST(mx_ip_literal)
{
	struct dns_result	 d;

	lookup("literal.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 2);
	ck_assert_str_eq(d.mx[0].host, "192.0.2.25");
	ck_assert_uint_eq(d.mx[0].naddrs, 0);		/* never probed */
	ck_assert_ptr_nonnull(strstr(d.mx[0].error, "not a valid MX target"));
	ck_assert_uint_eq(d.mx[1].naddrs, 1);		/* the next one is */
	result_dns_clear(&d);
}
END_TEST

START_TEST(mx_cname_chain)
{
	struct dns_result	 d;

	lookup("chain.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_int_eq(d.mx[0].is_cname, 1);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.44");
	result_dns_clear(&d);
}
END_TEST

/* a truncated UDP answer (TC) is asked again over TCP by c-ares */
START_TEST(truncated_answer_retried_over_tcp)
{
	struct dns_result	 d;
	unsigned long		 before = fakedns_queries(D);

	lookup("big.test", RESOLVE_MX, 4, &d);
	ck_assert_uint_eq(d.nmx, 1);
	/* over UDP the A answer of mx.big.test comes back empty with TC set;
	 * only the TCP retry can have found the address */
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.45");
	ck_assert_uint_gt(fakedns_queries(D), before + 2);
	result_dns_clear(&d);
}
END_TEST

START_TEST(host_lookup)
{
	struct dns_result	 d;

	lookup("host.test", RESOLVE_HOST, 0, &d);
	ck_assert_int_eq(d.queried, 0);
	ck_assert_uint_eq(d.nmx, 1);
	ck_assert_int_eq(d.mx[0].preference, -1);
	ck_assert_uint_eq(d.mx[0].naddrs, 1);
	ck_assert_str_eq(d.mx[0].addrs[0], "127.0.0.40");
	result_dns_clear(&d);
}
END_TEST

/* more lookups than queries allowed in flight: all answered, none lost */
START_TEST(many_at_once)
{
	static struct dns_result d[600];
	int			 i, ok = 0;

	for (i = 0; i < 600; i++) {
		memset(&d[i], 0, sizeof(d[i]));
		resolver_lookup(R, "multi.test", RESOLVE_MX, 0, &d[i], done_cb, NULL);
	}
	while (calls < 600)
		ck_assert_int_ne(loop_run_once(L, 2000), -1);
	for (i = 0; i < 600; i++) {
		if (d[i].error == NULL && d[i].nmx == 2 && d[i].mx[0].naddrs == 2)
			ok++;
		result_dns_clear(&d[i]);
	}
	ck_assert_msg(ok == 600, "got %d complete answers, want 600", ok);
}
END_TEST

START_TEST(cancel_pending)
{
	static struct dns_result d[400];
	int			 i, cancelled = 0;

	for (i = 0; i < 400; i++) {
		memset(&d[i], 0, sizeof(d[i]));
		resolver_lookup(R, "slow.test", RESOLVE_MX, 0, &d[i], done_cb, NULL);
	}
	resolver_cancel(R);
	while (calls < 400)
		ck_assert_int_ne(loop_run_once(L, 2000), -1);
	for (i = 0; i < 400; i++) {
		if (d[i].error != NULL)
			cancelled++;
		result_dns_clear(&d[i]);
	}
	ck_assert_int_eq(cancelled, 400);
	ck_assert_uint_eq(resolver_pending(R), 0);
}
END_TEST

START_TEST(free_with_pending_lookup)
{
	struct dns_result	 d;

	memset(&d, 0, sizeof(d));
	resolver_lookup(R, "slow.test", RESOLVE_MX, 0, &d, done_cb, NULL);
	ck_assert_uint_eq(resolver_pending(R), 1);
	resolver_free(R);
	R = NULL;
	ck_assert_int_eq(calls, 1);	/* cancelled, reported once */
	ck_assert_ptr_nonnull(d.error);
	result_dns_clear(&d);
}
END_TEST

START_TEST(bad_server_list)
{
	char		 err[256] = "";
	struct resolver	*r = resolver_new(L, "not an address", 100, 1, err, sizeof(err));

	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(err, "--dns-server"));
}
END_TEST

static Suite *
resolver_suite(void)
{
	Suite	*s = suite_create("resolver");
	TCase	*tc;

	tc = tcase_create("mx");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mx_ordered_with_addresses);
	tcase_add_test(tc, family_filter);
	tcase_add_test(tc, null_mx);
	tcase_add_test(tc, implicit_mx);
	tcase_add_test(tc, mx_alias_flagged);
	tcase_add_test(tc, mx_without_address);
	tcase_add_test(tc, no_mx_no_address);
	tcase_add_test(tc, mx_capped);
	tcase_add_test(tc, mx_capped_after_sorting);
	tcase_add_test(tc, mx_same_host_twice);
	tcase_add_test(tc, family_excluded_named);
	tcase_add_test(tc, host_lookup);
	tcase_add_test(tc, tlsa_records);
	tcase_add_test(tc, dane_dnssec);
	tcase_add_test(tc, mx_ip_literal);
	tcase_add_test(tc, mx_cname_chain);
	tcase_add_test(tc, truncated_answer_retried_over_tcp);
	tcase_add_test(tc, txt_records_joined);
	tcase_add_test(tc, txt_none_is_not_an_error);
	tcase_add_test(tc, srv_sorted);
	tcase_add_test(tc, srv_capped);
	tcase_add_test(tc, host_without_tlsa);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nxdomain_is_permanent);
	tcase_add_test(tc, servfail_is_transient);
	tcase_add_test(tc, timeout_is_transient);
	tcase_add_test(tc, txt_servfail);
	tcase_add_test(tc, free_with_pending_lookup);
	tcase_add_test(tc, many_at_once);
	tcase_add_test(tc, cancel_pending);
	tcase_add_test(tc, bad_server_list);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(resolver_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
