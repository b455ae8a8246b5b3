/* SPDX-License-Identifier: ISC */
/*
 * check_findings - every finding id fires on the result that should raise
 * it, and a clean result raises none.  Each case starts from the same
 * clean target (one MX, STARTTLS with a valid certificate, VRFY 252, EXPN
 * and TURN 502, forward-confirmed PTR) and changes one thing.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ehlo.h"
#include "findings.h"
#include "reply.h"
#include "result.h"
#include "util.h"

static void
set_cmd(struct host_result *h, size_t i, const char *verb, int code,
    enum cmd_status st)
{
	snprintf(h->cmds[i].verb, sizeof(h->cmds[i].verb), "%s", verb);
	h->cmds[i].status = st;
	result_reply_set(&h->cmds[i].reply, code, NULL, "x", 1, 0, 1);
}

static struct target_result *
clean_target(void)
{
	struct target_result	*t = result_target_new("example.com");
	struct host_result	*h;

	t->kind = TARGET_DOMAIN;
	t->name = xstrdup("example.com");
	t->dns.nmx = 1;
	t->dns.mx = xcalloc(1, sizeof(*t->dns.mx));
	t->dns.mx[0].preference = 10;
	t->dns.mx[0].host = xstrdup("mx.example.com");
	h = result_add_host(t);
	h->mx = xstrdup("mx.example.com");
	h->preference = 10;
	snprintf(h->address, sizeof(h->address), "192.0.2.1");
	h->connect.ok = 1;
	result_reply_set(&h->banner, 220, NULL, "mx.example.com ESMTP", 20, 0, 5);
	result_reply_set(&h->ehlo.reply, 250, NULL, "mx.example.com", 14, 0, 1);
	h->ehlo.info.domain = xstrdup("mx.example.com");
	h->ehlo.info.caps = EXT_STARTTLS;
	h->tls.offered = h->tls.attempted = h->tls.ok = 1;
	h->tls.version = xstrdup("TLSv1.3");
	h->tls.have_cert = 1;
	h->tls.cert.days_left = 90;
	h->tls.cert.not_after = xstrdup("2027-02-27T00:00:00Z");
	h->tls.verify.chain_ok = h->tls.verify.name_ok = 1;
	h->ptr.checked = 1;
	h->ptr.name = xstrdup("mx.example.com");
	h->ptr.fcrdns = 1;
	result_host_set_cmds(h, 3);
	set_cmd(h, 0, "VRFY", 252, ST_CANNOT_VERIFY);
	set_cmd(h, 1, "EXPN", 502, ST_NOT_IMPLEMENTED);
	set_cmd(h, 2, "TURN", 502, ST_NOT_IMPLEMENTED);
	return t;
}

#define H(t)	(&(t)->hosts[0])

static void m_vrfy_enabled(struct target_result *t) { set_cmd(H(t), 0, "VRFY", 250, ST_SUPPORTED); }
static void m_expn_enabled(struct target_result *t) { set_cmd(H(t), 1, "EXPN", 250, ST_SUPPORTED); }
static void m_turn_accepted(struct target_result *t) { set_cmd(H(t), 2, "TURN", 250, ST_SUPPORTED); }
static void m_vrfy_noncompliant(struct target_result *t) { set_cmd(H(t), 0, "VRFY", 502, ST_NOT_IMPLEMENTED); }
static void m_advertised(struct target_result *t)
{
	H(t)->cmds[1].advertised = 1;	/* EXPN listed, then 502 */
}
static void m_cname(struct target_result *t) { t->dns.mx[0].is_cname = 1; }
static void m_ip_literal(struct target_result *t)
{
	free(t->dns.mx[0].host);
	t->dns.mx[0].host = xstrdup("192.0.2.25");
}
static void m_unreachable(struct target_result *t)
{
	struct host_result	*h = result_add_host(t);

	h->mx = xstrdup("mx.example.com");
	snprintf(h->address, sizeof(h->address), "192.0.2.2");
	h->connect.ok = 0;
}
static void m_implicit(struct target_result *t) { t->dns.implicit_mx = 1; }
static void m_null_mx(struct target_result *t) { t->dns.null_mx = 1; }
static void m_null_mixed(struct target_result *t) { t->dns.null_mx_mixed = 1; }
static void m_mx_limit(struct target_result *t)
{
	t->dns.mx_dropped = xcalloc(1, sizeof(*t->dns.mx_dropped));
	t->dns.mx_dropped[0].preference = 90;
	t->dns.mx_dropped[0].host = xstrdup("mx17.example.com");
	t->dns.nmx_dropped = 1;
}
static void m_addr_limit(struct target_result *t) { t->dns.mx[0].addrs_dropped = 3; }
static void m_no_starttls(struct target_result *t)
{
	H(t)->tls.offered = H(t)->tls.attempted = H(t)->tls.ok = 0;
	H(t)->tls.have_cert = 0;
}
static void m_unusable(struct target_result *t)
{
	H(t)->tls.ok = 0;
	H(t)->tls.have_cert = 0;
	H(t)->tls.error = xstrdup("handshake: wrong version number");
}
static void m_injection(struct target_result *t) { H(t)->tls.injection = 1; }
static void m_after_tls(struct target_result *t)
{
	H(t)->tls.have_ehlo_after = 1;
	H(t)->tls.ehlo_after.caps = EXT_STARTTLS;
}
static void m_old_tls(struct target_result *t)
{
	free(H(t)->tls.version);
	H(t)->tls.version = xstrdup("TLSv1.1");
}
static void m_expired(struct target_result *t) { H(t)->tls.cert.days_left = -3; }
static void m_expiring(struct target_result *t) { H(t)->tls.cert.days_left = 5; }
static void m_name(struct target_result *t) { H(t)->tls.verify.name_ok = 0; }
static void m_untrusted(struct target_result *t)
{
	H(t)->tls.verify.chain_ok = 0;
	H(t)->tls.verify.chain_error = xstrdup("unable to get local issuer certificate");
}
static void
add_tlsa(struct target_result *t, int usage, int matched, int ad)
{
	struct tls_result	*tls = &H(t)->tls;

	tls->tlsa = xcalloc(1, sizeof(*tls->tlsa));
	tls->tlsa[0].usage = (uint8_t)usage;
	tls->tlsa[0].selector = 1;
	tls->tlsa[0].mtype = 1;
	tls->tlsa[0].data = xmalloc(1);
	tls->tlsa[0].len = 1;
	tls->tlsa[0].matched = matched;
	tls->ntlsa = 1;
	tls->tlsa_ad = ad;
	tls->dane_matched = matched == 1 ? 1 : 0;
}
static void m_dane_mismatch(struct target_result *t) { add_tlsa(t, 3, 0, 1); }
static void m_dane_unusable(struct target_result *t) { add_tlsa(t, 1, -1, 1); }
static void m_dane_unvalidated(struct target_result *t) { add_tlsa(t, 3, 1, 0); }
static void m_dane_lookup(struct target_result *t)
{
	H(t)->tls.tlsa_error = xstrdup("SERVFAIL");
}
static void m_dane_mx_insecure(struct target_result *t)
{
	add_tlsa(t, 3, 1, 1);
	H(t)->tls.mx_insecure = 1;
}
static void m_ptr_missing(struct target_result *t)
{
	free(H(t)->ptr.name);
	H(t)->ptr.name = NULL;
	H(t)->ptr.fcrdns = -1;
	H(t)->ptr.error = xstrdup("no PTR record");
}
static void m_fcrdns(struct target_result *t) { H(t)->ptr.fcrdns = 0; }
static void m_version(struct target_result *t)
{
	result_reply_set(&H(t)->banner, 220, NULL, "mx.example.com ESMTP Exim 4.96",
	    30, 0, 5);
}
static void m_version_in_name(struct target_result *t)
{
	result_reply_set(&H(t)->banner, 220, NULL, "mx.exim.example ESMTP Exim 4.96",
	    31, 0, 5);
}
static void m_version_sendmail(struct target_result *t)
{
	result_reply_set(&H(t)->banner, 220, NULL, "sendmail.example.com ESMTP "
	    "Sendmail 8.15.2/8.15.2; Mon, 1 Jan 2024", 66, 0, 5);
}
static void m_names(struct target_result *t)
{
	result_reply_set(&H(t)->banner, 220, NULL, "other.example.net ESMTP", 23,
	    0, 5);
}
static void m_greylisted(struct target_result *t)
{
	set_cmd(H(t), 0, "VRFY", 451, ST_TEMPORARY);
	set_cmd(H(t), 1, "EXPN", 451, ST_TEMPORARY);
	set_cmd(H(t), 2, "TURN", 451, ST_TEMPORARY);
}
static void m_slow(struct target_result *t) { H(t)->banner.ms = 9000; }

/* an AUTH line with these mechanisms in an EHLO reply's extensions */
static void
add_auth(struct ehlo_info *info, const char *m1, const char *m2)
{
	struct ehlo_ext	*e;

	info->exts = xreallocarray(info->exts, info->nexts + 1, sizeof(*e));
	e = &info->exts[info->nexts++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup("AUTH");
	e->params = xcalloc(2, sizeof(char *));
	e->params[e->nparams++] = xstrdup(m1);
	if (m2 != NULL)
		e->params[e->nparams++] = xstrdup(m2);
	info->caps |= EXT_AUTH;
}
/* inside TLS only, as a submission server should: no finding off port 25 */
static void
m_auth_after_tls(struct target_result *t)
{
	H(t)->port = 587;
	H(t)->tls.have_ehlo_after = 1;
	result_reply_set(&H(t)->tls.ehlo_after_reply, 250, NULL, "mx", 2, 0, 1);
	add_auth(&H(t)->tls.ehlo_after, "PLAIN", "LOGIN");
}
static void
m_auth_before_tls(struct target_result *t)
{
	H(t)->port = 2525;
	add_auth(&H(t)->ehlo.info, "LOGIN", "PLAIN");
}
static void
m_auth_before_tls_587(struct target_result *t)
{
	H(t)->port = 587;
	add_auth(&H(t)->ehlo.info, "PLAIN", NULL);
}
static void
m_sub_no_starttls(struct target_result *t)
{
	m_no_starttls(t);
	H(t)->port = 587;
}
static void
m_sub_465_not_tls(struct target_result *t)
{
	H(t)->port = 465;
	H(t)->tls.offered = 0;
	H(t)->tls.implicit = 1;
	H(t)->tls.ok = 0;
	H(t)->tls.error = xstrdup("wrong version number");
}
/* CRAM-MD5 before TLS sends no password: only auth-on-mx */
static void
m_auth_on_mx(struct target_result *t)
{
	H(t)->port = 25;
	result_host_add_mxref(H(t), 10, "mx.example.com");
	add_auth(&H(t)->ehlo.info, "CRAM-MD5", NULL);
}

static const struct {
	const char	*id;
	void		(*mutate)(struct target_result *);
	enum finding_severity sev;
} cases[] = {
	{ "vrfy-enabled", m_vrfy_enabled, SEV_MEDIUM },
	{ "expn-enabled", m_expn_enabled, SEV_MEDIUM },
	{ "turn-accepted", m_turn_accepted, SEV_HIGH },
	{ "vrfy-noncompliant", m_vrfy_noncompliant, SEV_INFO },
	{ "advertised-but-refused", m_advertised, SEV_LOW },
	{ "mx-is-cname", m_cname, SEV_LOW },
	{ "mx-ip-literal", m_ip_literal, SEV_MEDIUM },
	{ "mx-unreachable", m_unreachable, SEV_MEDIUM },
	{ "implicit-mx", m_implicit, SEV_INFO },
	{ "null-mx", m_null_mx, SEV_INFO },
	{ "null-mx-with-other-mx", m_null_mixed, SEV_MEDIUM },
	{ "mx-limit", m_mx_limit, SEV_INFO },
	{ "address-limit", m_addr_limit, SEV_INFO },
	{ "starttls-missing", m_no_starttls, SEV_MEDIUM },
	{ "starttls-unusable", m_unusable, SEV_HIGH },
	{ "starttls-injection", m_injection, SEV_HIGH },
	{ "starttls-after-tls", m_after_tls, SEV_LOW },
	{ "tls-version-old", m_old_tls, SEV_MEDIUM },
	{ "cert-expired", m_expired, SEV_HIGH },
	{ "cert-expiring", m_expiring, SEV_MEDIUM },
	{ "cert-name-mismatch", m_name, SEV_MEDIUM },
	{ "cert-untrusted", m_untrusted, SEV_LOW },
	{ "dane-mismatch", m_dane_mismatch, SEV_HIGH },
	{ "dane-unusable", m_dane_unusable, SEV_LOW },
	{ "dane-not-validated", m_dane_unvalidated, SEV_INFO },
	{ "dane-lookup-failed", m_dane_lookup, SEV_HIGH },
	{ "dane-mx-insecure", m_dane_mx_insecure, SEV_INFO },
	{ "ptr-missing", m_ptr_missing, SEV_LOW },
	{ "fcrdns-mismatch", m_fcrdns, SEV_LOW },
	{ "banner-version-leak", m_version, SEV_LOW },
	{ "name-mismatch", m_names, SEV_INFO },
	{ "greylisted", m_greylisted, SEV_INFO },
	{ "slow-banner", m_slow, SEV_LOW },
	{ "auth-plaintext-before-tls", m_auth_before_tls, SEV_MEDIUM },
	{ "auth-plaintext-before-tls", m_auth_before_tls_587, SEV_HIGH },
	{ "auth-on-mx", m_auth_on_mx, SEV_LOW },
	{ "submission-no-starttls", m_sub_no_starttls, SEV_HIGH },
	{ "submission-465-not-tls", m_sub_465_not_tls, SEV_HIGH },
};

/* on the submission ports the submission finding replaces the general one */
static const struct {
	void		(*mutate)(struct target_result *);
	const char	*absent;
} replaced_cases[] = {
	{ m_sub_no_starttls, "starttls-missing" },
	{ m_sub_465_not_tls, "starttls-unusable" },
};

START_TEST(submission_replaces)
{
	struct target_result	*t = clean_target();
	size_t			 i;

	replaced_cases[_i].mutate(t);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		ck_assert_msg(strcmp(t->findings[i].id,
		    replaced_cases[_i].absent) != 0, "%s raised too",
		    replaced_cases[_i].absent);
	result_target_free(t);
}
END_TEST

START_TEST(clean_target_has_no_findings)
{
	struct target_result	*t = clean_target();
	size_t			 i;

	if (_i == 1)
		m_auth_after_tls(t);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		ck_abort_msg("clean target raised %s: %s", t->findings[i].id,
		    t->findings[i].message);
	result_target_free(t);
}
END_TEST

START_TEST(each_id_fires)
{
	struct target_result	*t = clean_target();
	size_t			 i, n = 0;

	cases[_i].mutate(t);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++) {
		if (strcmp(t->findings[i].id, cases[_i].id) != 0)
			continue;
		n++;
		ck_assert_msg(t->findings[i].severity == cases[_i].sev,
		    "%s: got severity %s, want %s", cases[_i].id,
		    severity_name(t->findings[i].severity),
		    severity_name(cases[_i].sev));
		ck_assert_msg(t->findings[i].message[0] != '\0', "%s: no message",
		    cases[_i].id);
		/* every id carries its advice or its standard */
		ck_assert_msg(t->findings[i].advice != NULL ||
		    t->findings[i].rfc != NULL, "%s: no advice and no RFC",
		    cases[_i].id);
	}
	ck_assert_msg(n == 1, "%s: got %zu findings with that id, want 1",
	    cases[_i].id, n);
	result_target_free(t);
}
END_TEST

/* the finding names what was found, beyond the id */
static const struct {
	void		(*mutate)(struct target_result *);
	const char	*id;
	const char	*part;	/* of the message */
} message_cases[] = {
	{ m_mx_limit, "mx-limit", "90 mx17.example.com" },
	{ m_version, "banner-version-leak", "Exim 4.96" },
	/* the MTA's name first appears inside the host name */
	{ m_version_in_name, "banner-version-leak", "Exim 4.96" },
	{ m_version_sendmail, "banner-version-leak", "Sendmail 8.15.2" },
	{ m_auth_before_tls, "auth-plaintext-before-tls", "AUTH LOGIN PLAIN is "
	  "offered before TLS" },
	{ m_auth_on_mx, "auth-on-mx", "AUTH CRAM-MD5 is offered on port 25" },
};

START_TEST(message_names_it)
{
	struct target_result	*t = clean_target();
	size_t			 i, n = 0;

	message_cases[_i].mutate(t);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++) {
		if (strcmp(t->findings[i].id, message_cases[_i].id) != 0)
			continue;
		n++;
		ck_assert_msg(strstr(t->findings[i].message,
		    message_cases[_i].part) != NULL, "%s: \"%s\" lacks \"%s\"",
		    message_cases[_i].id, t->findings[i].message,
		    message_cases[_i].part);
	}
	ck_assert_msg(n == 1, "%s: got %zu findings, want 1", message_cases[_i].id, n);
	result_target_free(t);
}
END_TEST

/*
 * A version is "digit.digit" near an MTA's name: banners without one are
 * not searched (findings_version_leak()'s pre-check), and that check
 * must not miss a version at the very end or after a numbered host name.
 */
static const struct {
	const char	*banner;
	const char	*leak;	/* in the message; NULL: no finding */
} leak_cases[] = {
	{ "mx-0001.fleet.test ESMTP Postfix (Debian/GNU)", NULL },
	{ "10.0.0.1 ESMTP Postfix", NULL },
	{ "mx.example.com Microsoft ESMTP MAIL Service ready", NULL },
	{ "mx.example.com ESMTP Exim 4.9", "Exim 4.9" },
	{ "mx-0002.fleet.test ESMTP Postfix 3.7.1", "Postfix 3.7.1" },
	{ "mx.example.com ESMTP Exim 4", NULL },
};

START_TEST(version_leak_needs_a_number)
{
	struct target_result	*t = clean_target();
	size_t			 i, n = 0;

	result_reply_set(&H(t)->banner, 220, NULL, leak_cases[_i].banner,
	    strlen(leak_cases[_i].banner), 0, 5);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++) {
		if (strcmp(t->findings[i].id, "banner-version-leak") != 0)
			continue;
		n++;
		ck_assert_ptr_nonnull(leak_cases[_i].leak);
		ck_assert_msg(strstr(t->findings[i].message,
		    leak_cases[_i].leak) != NULL, "\"%s\" lacks \"%s\"",
		    t->findings[i].message, leak_cases[_i].leak);
	}
	ck_assert_uint_eq(n, leak_cases[_i].leak != NULL);
	result_target_free(t);
}
END_TEST

/*
 * One host listed at two preferences is one host: its DNS findings
 * (alias, address limit) are raised once, not once a record.
 */
START_TEST(same_host_twice_once)
{
	struct target_result	*t = clean_target();
	size_t			 i, cname = 0, limit = 0;

	t->dns.mx = xreallocarray(t->dns.mx, 2, sizeof(*t->dns.mx));
	memset(&t->dns.mx[1], 0, sizeof(t->dns.mx[1]));
	t->dns.mx[1].preference = 20;
	t->dns.mx[1].host = xstrdup("MX.example.com");
	t->dns.nmx = 2;
	t->dns.mx[0].is_cname = t->dns.mx[1].is_cname = 1;
	t->dns.mx[0].addrs_dropped = t->dns.mx[1].addrs_dropped = 2;
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++) {
		cname += strcmp(t->findings[i].id, "mx-is-cname") == 0;
		limit += strcmp(t->findings[i].id, "address-limit") == 0;
	}
	ck_assert_msg(cname == 1, "got %zu mx-is-cname, want 1", cname);
	ck_assert_msg(limit == 1, "got %zu address-limit, want 1", limit);
	result_target_free(t);
}
END_TEST

/* a DANE-EE match from validated DNS authenticates the server by its key */
START_TEST(dane_ee_silences_name_and_chain)
{
	struct target_result	*t = clean_target();
	size_t			 i;

	m_name(t);
	m_untrusted(t);
	add_tlsa(t, 3, 1, 1);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		ck_assert_msg(strcmp(t->findings[i].id, "cert-name-mismatch") != 0 &&
		    strcmp(t->findings[i].id, "cert-untrusted") != 0,
		    "got %s despite a validated DANE-EE match", t->findings[i].id);
	result_target_free(t);
}
END_TEST

/* RFC 7672 3.1.1: the dates do not count either under a DANE-EE match */
START_TEST(dane_ee_silences_expiry)
{
	struct target_result	*t = clean_target();
	size_t			 i;

	H(t)->tls.cert.days_left = -30;
	add_tlsa(t, 3, 1, 1);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		ck_abort_msg("got %s despite a validated DANE-EE match",
		    t->findings[i].id);
	result_target_free(t);
	/* without validation the expiry counts */
	t = clean_target();
	H(t)->tls.cert.days_left = -30;
	add_tlsa(t, 3, 1, 0);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		if (strcmp(t->findings[i].id, "cert-expired") == 0)
			break;
	ck_assert_msg(i < t->nfindings, "no cert-expired without validated DANE");
	result_target_free(t);
}
END_TEST

/* RFC 7672 2.2: with TLSA records in force, DANE senders defer, never clear text */
START_TEST(starttls_unusable_under_dane)
{
	struct target_result	*t = clean_target();
	size_t			 i;

	H(t)->tls.ok = 0;
	H(t)->tls.fallback = 1;
	H(t)->tls.error = xstrdup("handshake failed");
	add_tlsa(t, 3, 0, 1);
	findings_compute(t);
	for (i = 0; i < t->nfindings; i++)
		if (strcmp(t->findings[i].id, "starttls-unusable") == 0)
			break;
	ck_assert_uint_lt(i, t->nfindings);
	ck_assert_ptr_null(strstr(t->findings[i].message, "clear text"));
	ck_assert_ptr_nonnull(strstr(t->findings[i].message, "DANE senders defer"));
	result_target_free(t);
}
END_TEST

/*
 * The EHLO name in name-mismatch is ehlo.domain (ehlo_parse() decides):
 * the "Hello" of a nameless "250-Hello [192.0.2.1]" is no name.
 */
START_TEST(name_mismatch_uses_ehlo_domain)
{
	static const struct {
		const char	*text, *domain, *want;
	} v[] = {
		{ "Hello [192.0.2.1]", NULL, "the names disagree: greeting "
		    "other.example.net, MX mx.example.com, PTR mx.example.com" },
		{ "other.example.org Hello", "other.example.org", "the names "
		    "disagree: greeting other.example.net, EHLO "
		    "other.example.org, MX mx.example.com, PTR mx.example.com" },
	};
	struct target_result	*t;
	size_t			 i, k, n;

	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		t = clean_target();
		m_names(t);
		result_reply_set(&H(t)->ehlo.reply, 250, NULL, v[k].text,
		    strlen(v[k].text), 0, 1);
		free(H(t)->ehlo.info.domain);
		H(t)->ehlo.info.domain = v[k].domain ? xstrdup(v[k].domain) :
		    NULL;
		findings_compute(t);
		for (i = n = 0; i < t->nfindings; i++) {
			if (strcmp(t->findings[i].id, "name-mismatch") != 0)
				continue;
			n++;
			ck_assert_str_eq(t->findings[i].message, v[k].want);
		}
		ck_assert_uint_eq(n, 1);
		result_target_free(t);
	}
}
END_TEST

static Suite *
findings_suite(void)
{
	Suite	*s = suite_create("findings");
	TCase	*tc = tcase_create("ids");

	tcase_add_loop_test(tc, clean_target_has_no_findings, 0, 2);
	tcase_add_loop_test(tc, submission_replaces, 0, nitems(replaced_cases));
	tcase_add_loop_test(tc, each_id_fires, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, dane_ee_silences_name_and_chain);
	tcase_add_loop_test(tc, message_names_it, 0,
	    sizeof(message_cases) / sizeof(message_cases[0]));
	tcase_add_loop_test(tc, version_leak_needs_a_number, 0,
	    sizeof(leak_cases) / sizeof(leak_cases[0]));
	tcase_add_test(tc, same_host_twice_once);
	tcase_add_test(tc, dane_ee_silences_expiry);
	tcase_add_test(tc, starttls_unusable_under_dane);
	tcase_add_test(tc, name_mismatch_uses_ehlo_domain);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(findings_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
