/* SPDX-License-Identifier: ISC */
/*
 * check_baseline - unit tests for baseline.c (--baseline FILE): every
 * kind of change in both directions with its severity, reordering that
 * is not a change (MX records, addresses, EHLO keywords, hosts,
 * findings), and input that is not a whole baseline of this version
 * (a truncated last line, a garbage line, another schema, a missing
 * file, a truncated document, a target in only one of the two runs).
 *
 * Both sides are smtpprobe/2 target objects, as report_json_target()
 * writes them: the "before" one goes through a file, as a baseline does.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "baseline.h"
#include "result.h"
#include "util.h"

/* one target, one MX with two addresses, one host probed over TLS */
static const char base_json[] =
"{\"schema\": \"" RESULT_SCHEMA "\", \"target\": \"bl.test\", \"kind\": \"domain\","
" \"started\": \"2026-12-01T10:00:00.000Z\","
" \"dns\": {\"mx\": ["
"   {\"preference\": 10, \"host\": \"mx1.bl.test\", \"addresses\": [\"192.0.2.1\", \"192.0.2.2\"]},"
"   {\"preference\": 20, \"host\": \"mx2.bl.test\", \"addresses\": [\"192.0.2.9\"]}]},"
" \"hosts\": ["
"  {\"mx\": \"mx1.bl.test\", \"address\": \"192.0.2.1\", \"port\": 25,"
"   \"connect\": {\"ok\": true, \"error\": null},"
"   \"ehlo\": {\"code\": 250, \"extensions\": {\"PIPELINING\": [], \"SIZE\": [\"1000\"], \"STARTTLS\": []}},"
"   \"tls\": {\"offered\": true, \"attempted\": true, \"ok\": true, \"version\": \"TLSv1.3\","
"    \"peer_certificate\": {\"sha256\": \"aa11\", \"issuer\": \"CN=CA one\","
"     \"not_after\": \"2027-03-01T00:00:00Z\"},"
"    \"dane\": {\"records\": [{\"usage\": 3, \"selector\": 1, \"matching_type\": 1, \"data\": \"ab\"},"
"                             {\"usage\": 2, \"selector\": 0, \"matching_type\": 1, \"data\": \"cd\"}],"
"     \"state\": \"dane-ee\", \"authenticated\": true}},"
"   \"commands\": {\"VRFY\": {\"code\": 502, \"status\": \"not_implemented\"},"
"                  \"EXPN\": {\"code\": 550, \"status\": \"refused\"},"
"                  \"TURN\": {\"code\": 451, \"status\": \"temporary\"}}},"
"  {\"mx\": \"mx1.bl.test\", \"address\": \"192.0.2.2\", \"port\": 25,"
"   \"connect\": {\"ok\": true, \"error\": null}, \"tls\": {\"offered\": false},"
"   \"commands\": {}}],"
" \"findings\": ["
"   {\"severity\": \"info\", \"id\": \"vrfy-noncompliant\", \"host\": \"mx1.bl.test\", \"address\": \"192.0.2.1\"},"
"   {\"severity\": \"low\", \"id\": \"no-starttls\", \"host\": \"mx1.bl.test\", \"address\": \"192.0.2.2\"}]}";

static char	 tmpdir[] = "/tmp/check_baseline.XXXXXX";
static int	 nfile;

static json_t *
base(void)
{
	json_error_t	 err;
	json_t		*o;

	o = json_loads(base_json, 0, &err);
	ck_assert_msg(o != NULL, "fixture: %s at %d", err.text, err.column);
	return o;
}

/* obj at a path of keys and array indexes: "hosts", "#0", "tls" */
static json_t *
at(json_t *o, const char *path)
{
	char	*p, *s, *tok;

	p = s = xstrdup(path);
	while ((tok = strsep(&s, "/")) != NULL)
		if (tok[0] != '\0')
			o = tok[0] == '#' ? json_array_get(o, (size_t)atoi(tok + 1)) :
		    json_object_get(o, tok);
	free(p);
	ck_assert_msg(o != NULL, "no %s", path);
	return o;
}

static void
set_str(json_t *o, const char *path, const char *key, const char *v)
{
	json_object_set_new(at(o, path), key, v != NULL ? json_string(v) :
	    json_null());
}

static void
set_bool(json_t *o, const char *path, const char *key, int v)
{
	json_object_set_new(at(o, path), key, json_boolean(v));
}

static struct baseline_summary
sum(const struct baseline *b)
{
	struct baseline_summary	 s;

	baseline_summary(b, &s);
	return s;
}

/* a file holding text; its path (static storage per call) */
static char *
file_with(const char *text)
{
	static char	 path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/b%d", tmpdir, nfile++);
	ck_assert((f = fopen(path, "w")) != NULL);
	fputs(text, f);
	fclose(f);
	return path;
}

/* the changes of `now' since `was' (which goes through a JSON Lines file) */
static struct target_result *
diff(json_t *was, json_t *now)
{
	struct baseline		*b;
	struct target_result	*t;
	char			*line, *text;

	line = json_dumps(was, JSON_COMPACT);
	text = xasprintf("%s\n", line);
	b = baseline_load(file_with(text));
	free(text);
	free(line);
	t = result_target_new(json_string_value(json_object_get(now, "target")));
	baseline_compare_json(b, now, t);
	baseline_free(b);
	json_decref(was);
	json_decref(now);
	return t;
}

/* the only change of a kind, checked: severity, before, after */
static void
expect_one(struct target_result *t, enum change_kind kind,
    enum change_severity sev, const char *before, const char *after)
{
	const struct change	*c = NULL;
	size_t			 i, n = 0;

	for (i = 0; i < t->nchanges; i++)
		if (t->changes[i].kind == kind) {
			c = &t->changes[i];
			n++;
		}
	ck_assert_msg(n == 1, "%zu changes of kind %s, want 1 (of %zu)", n,
	    change_kind_name(kind), t->nchanges);
	ck_assert_str_eq(change_severity_name(c->severity),
	    change_severity_name(sev));
	if (before == NULL)
		ck_assert_ptr_null(c->before);
	else
		ck_assert_str_eq(c->before, before);
	if (after == NULL)
		ck_assert_ptr_null(c->after);
	else
		ck_assert_str_eq(c->after, after);
}

/* exactly n changes in all */
static void
expect_n(struct target_result *t, size_t n)
{
	size_t	 i;

	for (i = 0; i < t->nchanges && t->nchanges != n; i++) {
		char	*s = change_text(&t->changes[i]);

		fprintf(stderr, "#   change: %s\n", s);
		free(s);
	}
	ck_assert_uint_eq(t->nchanges, n);
}

/* ---- no change -------------------------------------------------------- */

START_TEST(test_same)
{
	struct target_result	*t = diff(base(), base());

	ck_assert_int_eq(t->baseline, 1);
	ck_assert_str_eq(t->baseline_started, "2026-12-01T10:00:00.000Z");
	expect_n(t, 0);
	result_target_free(t);
}
END_TEST

/* MX order, address order, EHLO keyword order and case, host and finding order */
START_TEST(test_reorder_is_not_a_change)
{
	json_t			*now = base(), *mx, *hosts, *fs, *exts;
	struct target_result	*t;

	mx = at(now, "dns/mx");
	json_array_insert(mx, 0, json_array_get(mx, 1));
	json_array_remove(mx, 2);
	json_object_set_new(at(mx, "#0"), "preference", json_integer(5));
	json_array_insert_new(at(now, "dns/mx/#1/addresses"), 0,
	    json_string("192.0.2.2"));
	json_array_remove(at(now, "dns/mx/#1/addresses"), 2);
	hosts = at(now, "hosts");
	json_array_insert(hosts, 0, json_array_get(hosts, 1));
	json_array_remove(hosts, 2);
	fs = at(now, "findings");
	json_array_insert(fs, 0, json_array_get(fs, 1));
	json_array_remove(fs, 2);
	exts = json_object();
	json_object_set_new(exts, "starttls", json_array());
	json_object_set_new(exts, "SIZE", json_pack("[s]", "1000"));
	json_object_set_new(exts, "Pipelining", json_array());
	json_object_set_new(at(now, "hosts/#1/ehlo"), "extensions", exts);
	t = diff(base(), now);
	expect_n(t, 0);
	result_target_free(t);
}
END_TEST

/* ---- each kind, both directions --------------------------------------- */

START_TEST(test_mx)
{
	json_t			*now = base();
	struct target_result	*t;

	json_array_remove(at(now, "dns/mx"), 1);
	t = diff(base(), now);
	expect_one(t, CHG_MX, CHG_SEV_INFO, "mx2.bl.test", NULL);
	expect_n(t, 1);
	result_target_free(t);

	now = base();
	json_array_remove(at(now, "dns/mx"), 1);
	t = diff(now, base());
	expect_one(t, CHG_MX, CHG_SEV_INFO, NULL, "mx2.bl.test");
	result_target_free(t);
}
END_TEST

START_TEST(test_address)
{
	json_t			*now = base();
	struct target_result	*t;

	json_array_append_new(at(now, "dns/mx/#0/addresses"),
	    json_string("2001:db8::1"));
	t = diff(base(), now);
	expect_one(t, CHG_ADDRESS, CHG_SEV_INFO, NULL, "2001:db8::1");
	ck_assert_str_eq(t->changes[0].host, "mx1.bl.test");
	expect_n(t, 1);
	result_target_free(t);

	now = base();
	json_array_append_new(at(now, "dns/mx/#0/addresses"),
	    json_string("2001:db8::1"));
	t = diff(now, base());
	expect_one(t, CHG_ADDRESS, CHG_SEV_INFO, "2001:db8::1", NULL);
	result_target_free(t);
}
END_TEST

/* the open/closed verdict is codes_status_open()'s */
START_TEST(test_command)
{
	static const struct {
		const char		*before, *after;
		enum change_severity	 sev;
	} cases[] = {
		{ "not_implemented", "supported", CHG_SEV_REGRESSION },
		{ "supported", "not_implemented", CHG_SEV_IMPROVEMENT },
		{ "supported", "cannot_verify", CHG_SEV_IMPROVEMENT },	/* 250 -> 252 */
		{ "cannot_verify", "enumerable", CHG_SEV_REGRESSION },
		{ "refused", "not_implemented", CHG_SEV_INFO },	/* closed both */
		{ "temporary", "supported", CHG_SEV_INFO },	/* 4xx proved nothing */
		{ "supported", "error", CHG_SEV_INFO },
	};
	struct target_result	*t;
	json_t			*was, *now;
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		was = base();
		now = base();
		set_str(was, "hosts/#0/commands/VRFY", "status", cases[i].before);
		set_str(now, "hosts/#0/commands/VRFY", "status", cases[i].after);
		t = diff(was, now);
		expect_one(t, CHG_COMMAND, cases[i].sev, cases[i].before,
		    cases[i].after);
		ck_assert_str_eq(t->changes[0].command, "VRFY");
		ck_assert_str_eq(t->changes[0].address, "192.0.2.1");
		result_target_free(t);
	}
	/* not tried on one side (another -c): no verdict, no change */
	now = base();
	set_str(now, "hosts/#0/commands/VRFY", "status", "not_tried");
	t = diff(base(), now);
	expect_n(t, 0);
	result_target_free(t);
	/* another code, the same status: not a change */
	now = base();
	json_object_set_new(at(now, "hosts/#0/commands/EXPN"), "code",
	    json_integer(554));
	t = diff(base(), now);
	expect_n(t, 0);
	result_target_free(t);
}
END_TEST

/* a host on another port (a lab's): matched by its address */
START_TEST(test_port_changed)
{
	json_t			*now = base();
	struct target_result	*t;

	json_object_set_new(at(now, "hosts/#0"), "port", json_integer(2525));
	json_object_set_new(at(now, "hosts/#1"), "port", json_integer(2525));
	set_str(now, "hosts/#0/commands/VRFY", "status", "supported");
	t = diff(base(), now);
	expect_one(t, CHG_COMMAND, CHG_SEV_REGRESSION, "not_implemented",
	    "supported");
	expect_n(t, 1);
	result_target_free(t);
}
END_TEST

START_TEST(test_tls_lost_gained)
{
	json_t			*now = base();
	struct target_result	*t;

	set_bool(now, "hosts/#0/tls", "ok", 0);
	set_str(now, "hosts/#0/tls", "version", NULL);
	json_object_set_new(at(now, "hosts/#0/tls"), "peer_certificate",
	    json_null());
	t = diff(base(), now);
	expect_one(t, CHG_TLS, CHG_SEV_REGRESSION, "ok", "failed");
	result_target_free(t);

	now = base();
	set_bool(now, "hosts/#0/tls", "ok", 0);
	set_bool(now, "hosts/#0/tls", "offered", 0);
	set_bool(now, "hosts/#0/tls", "attempted", 0);
	t = diff(now, base());
	expect_one(t, CHG_TLS, CHG_SEV_IMPROVEMENT, "not offered", "ok");
	result_target_free(t);
}
END_TEST

/*
 * path/key set to value in the second run: one change of kind from was
 * to value, of severity sev, and nothing else; and back again, the
 * opposite severity
 */
static void
both_ways(const char *path, const char *key, const char *was,
    const char *value, enum change_kind kind, enum change_severity sev)
{
	struct target_result	*t;
	json_t			*now;
	int			 back;

	for (back = 0; back <= 1; back++) {
		now = base();
		set_str(now, path, key, value);
		t = back ? diff(now, base()) : diff(base(), now);
		expect_one(t, kind, !back ? sev : sev == CHG_SEV_REGRESSION ?
		    CHG_SEV_IMPROVEMENT : CHG_SEV_REGRESSION, back ? value : was,
		    back ? was : value);
		expect_n(t, 1);
		result_target_free(t);
	}
}

START_TEST(test_tls_version)
{
	both_ways("hosts/#0/tls", "version", "TLSv1.3", "TLSv1.2",
	    CHG_TLS_VERSION, CHG_SEV_REGRESSION);
}
END_TEST

START_TEST(test_certificate)
{
	json_t			*now = base();
	struct target_result	*t;

	set_str(now, "hosts/#0/tls/peer_certificate", "sha256", "bb22");
	set_str(now, "hosts/#0/tls/peer_certificate", "issuer", "CN=CA two");
	set_str(now, "hosts/#0/tls/peer_certificate", "not_after",
	    "2027-06-01T00:00:00Z");
	t = diff(base(), now);
	expect_one(t, CHG_CERTIFICATE, CHG_SEV_INFO, "aa11", "bb22");
	expect_one(t, CHG_CERT_ISSUER, CHG_SEV_INFO, "CN=CA one", "CN=CA two");
	expect_one(t, CHG_CERT_EXPIRY, CHG_SEV_IMPROVEMENT,
	    "2027-03-01T00:00:00Z", "2027-06-01T00:00:00Z");
	expect_n(t, 3);
	result_target_free(t);

	both_ways("hosts/#0/tls/peer_certificate", "not_after",
	    "2027-03-01T00:00:00Z", "2027-01-01T00:00:00Z", CHG_CERT_EXPIRY,
	    CHG_SEV_REGRESSION);
}
END_TEST

START_TEST(test_dane)
{
	json_t			*now = base();
	struct target_result	*t;

	/* the records in another order: not a change */
	json_array_insert(at(now, "hosts/#0/tls/dane/records"), 0,
	    json_array_get(at(now, "hosts/#0/tls/dane/records"), 1));
	json_array_remove(at(now, "hosts/#0/tls/dane/records"), 2);
	t = diff(base(), now);
	expect_n(t, 0);
	result_target_free(t);

	now = base();
	set_str(now, "hosts/#0/tls/dane/records/#0", "data", "ef");
	set_str(now, "hosts/#0/tls/dane", "state", "mismatch");
	set_bool(now, "hosts/#0/tls/dane", "authenticated", 0);
	t = diff(base(), now);
	expect_one(t, CHG_TLSA, CHG_SEV_INFO, "2 0 1 cd; 3 1 1 ab",
	    "2 0 1 cd; 3 1 1 ef");
	expect_one(t, CHG_DANE, CHG_SEV_REGRESSION, "dane-ee", "mismatch");
	result_target_free(t);

	now = base();
	json_object_set_new(at(now, "hosts/#0/tls"), "dane", json_null());
	t = diff(now, base());
	expect_one(t, CHG_TLSA, CHG_SEV_INFO, NULL, "2 0 1 cd; 3 1 1 ab");
	expect_one(t, CHG_DANE, CHG_SEV_IMPROVEMENT, NULL, "dane-ee");
	result_target_free(t);
}
END_TEST

START_TEST(test_findings)
{
	json_t			*now = base();
	struct target_result	*t;

	json_array_append_new(at(now, "findings"), json_pack(
	    "{s:s, s:s, s:s, s:s}", "severity", "medium", "id", "vrfy-enabled",
	    "host", "mx1.bl.test", "address", "192.0.2.1"));
	t = diff(base(), now);
	expect_one(t, CHG_FINDING, CHG_SEV_REGRESSION, NULL, "vrfy-enabled");
	result_target_free(t);

	now = base();
	json_array_remove(at(now, "findings"), 1);	/* no-starttls, low */
	t = diff(base(), now);
	expect_one(t, CHG_FINDING, CHG_SEV_IMPROVEMENT, "no-starttls", NULL);
	result_target_free(t);

	now = base();
	json_array_remove(at(now, "findings"), 0);	/* an info finding */
	t = diff(base(), now);
	expect_one(t, CHG_FINDING, CHG_SEV_INFO, "vrfy-noncompliant", NULL);
	result_target_free(t);

	/* the same id on another address is another finding */
	now = base();
	set_str(now, "findings/#1", "address", "192.0.2.1");
	t = diff(base(), now);
	expect_n(t, 2);
	result_target_free(t);
}
END_TEST

START_TEST(test_reachable)
{
	json_t			*now = base();
	struct target_result	*t;

	set_bool(now, "hosts/#0/connect", "ok", 0);
	set_str(now, "hosts/#0/connect", "error", "Connection refused");
	set_bool(now, "hosts/#0/tls", "ok", 0);
	set_str(now, "hosts/#0/commands/VRFY", "status", "not_tried");
	json_array_remove(at(now, "findings"), 0);	/* on 192.0.2.1 */
	t = diff(base(), now);
	expect_one(t, CHG_REACHABLE, CHG_SEV_REGRESSION, "reachable",
	    "unreachable (Connection refused)");
	/* nothing else is compared on an unreachable host, findings included */
	expect_n(t, 1);
	result_target_free(t);

	/* DNS failed: no host, no finding; only the MX hosts went away */
	now = base();
	json_object_set_new(at(now, "dns"), "mx", json_array());
	json_object_set_new(now, "hosts", json_array());
	json_array_clear(at(now, "findings"));
	json_array_append_new(at(now, "findings"), json_pack("{s:s, s:s}",
	    "severity", "medium", "id", "dns-error"));
	set_str(now, "", "error", "DNS: SERVFAIL");
	t = diff(base(), now);
	expect_one(t, CHG_REACHABLE, CHG_SEV_REGRESSION, "reachable",
	    "DNS: SERVFAIL");
	ck_assert_ptr_null(t->changes[0].host);
	ck_assert_uint_eq(result_regressions(t), 1);
	/* the two MX hosts went away; the findings say nothing */
	expect_n(t, 3);
	result_target_free(t);

	/* and back */
	now = base();
	json_object_set_new(at(now, "dns"), "mx", json_array());
	json_object_set_new(now, "hosts", json_array());
	json_array_clear(at(now, "findings"));
	t = diff(now, base());
	expect_one(t, CHG_REACHABLE, CHG_SEV_IMPROVEMENT, "no host", "reachable");
	expect_n(t, 3);
	result_target_free(t);

	now = base();
	set_bool(now, "hosts/#0/connect", "ok", 0);
	t = diff(now, base());
	expect_one(t, CHG_REACHABLE, CHG_SEV_IMPROVEMENT, "unreachable",
	    "reachable");
	result_target_free(t);
}
END_TEST

START_TEST(test_extension)
{
	json_t			*now = base();
	struct target_result	*t;

	json_object_del(at(now, "hosts/#0/ehlo/extensions"), "SIZE");
	json_object_set_new(at(now, "hosts/#0/ehlo/extensions"), "ETRN",
	    json_array());
	t = diff(base(), now);
	expect_n(t, 2);
	ck_assert_str_eq(t->changes[0].before, "SIZE");
	ck_assert_ptr_null(t->changes[0].after);
	ck_assert_ptr_null(t->changes[1].before);
	ck_assert_str_eq(t->changes[1].after, "ETRN");
	result_target_free(t);
}
END_TEST

START_TEST(test_regressions_first)
{
	json_t			*now = base();
	struct target_result	*t;
	size_t			 i;

	json_array_remove(at(now, "dns/mx"), 1);		/* info */
	json_array_remove(at(now, "findings"), 1);		/* improvement */
	set_str(now, "hosts/#0/commands/VRFY", "status", "supported");	/* regression */
	set_str(now, "hosts/#0/tls", "version", "TLSv1.2");	/* regression */
	t = diff(base(), now);
	ck_assert_uint_eq(result_regressions(t), 2);
	for (i = 1; i < t->nchanges; i++)
		ck_assert_int_ge(t->changes[i - 1].severity, t->changes[i].severity);
	ck_assert_int_eq(t->changes[0].severity, CHG_SEV_REGRESSION);
	ck_assert_int_eq(t->changes[t->nchanges - 1].severity, CHG_SEV_INFO);
	result_target_free(t);
}
END_TEST

/* ---- input that is not a whole baseline of this version --------------- */

/* a record of target name, one line */
static char *
record(const char *target, const char *schema)
{
	json_t	*o = base();
	char	*s;

	set_str(o, "", "target", target);
	set_str(o, "", "schema", schema);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static struct target_result *
compare_named(struct baseline *b, const char *target)
{
	struct target_result	*t;
	json_t			*now = base();

	set_str(now, "", "target", target);
	t = result_target_new(target);
	baseline_compare_json(b, now, t);
	json_decref(now);
	return t;
}

START_TEST(test_truncated_and_garbage_lines)
{
	struct baseline		*b;
	struct target_result	*t;
	char			*a = record("a.test", RESULT_SCHEMA);
	char			*c = record("c.test", RESULT_SCHEMA);
	char			*text;

	/* a garbage line, a blank line, then a last line cut in the middle */
	text = xasprintf("%s\nnot json at all\n\n%s\n%.*s", a, c, 40, a);
	b = baseline_load(file_with(text));
	ck_assert_uint_eq(sum(b).records, 2);
	ck_assert_uint_eq(sum(b).skipped, 2);
	ck_assert_ptr_null(sum(b).error);
	t = compare_named(b, "a.test");
	ck_assert_int_eq(t->baseline, 1);
	expect_n(t, 0);
	result_target_free(t);
	t = compare_named(b, "c.test");
	ck_assert_int_eq(t->baseline, 1);
	result_target_free(t);
	baseline_free(b);
	free(text);
	free(a);
	free(c);
}
END_TEST

START_TEST(test_other_schema)
{
	struct baseline		*b;
	struct target_result	*t;
	char			*a = record("a.test", "smtpprobe/1");
	char			*text;

	text = xasprintf("%s\n", a);
	b = baseline_load(file_with(text));
	ck_assert_uint_eq(sum(b).records, 0);
	ck_assert_uint_eq(sum(b).skipped, 1);
	t = compare_named(b, "a.test");
	ck_assert_int_eq(t->baseline, -1);
	ck_assert_uint_eq(t->nchanges, 0);
	result_target_free(t);
	baseline_free(b);
	free(text);
	free(a);

	/* a run document of another schema: nothing of it is read */
	b = baseline_load(file_with("{\n  \"schema\": \"smtpprobe/3\",\n"
	    "  \"kind\": \"run\",\n  \"targets\": []\n}\n"));
	ck_assert_ptr_nonnull(sum(b).error);
	ck_assert_uint_eq(sum(b).records, 0);
	baseline_free(b);
}
END_TEST

START_TEST(test_missing_file)
{
	struct baseline		*b;
	struct target_result	*t;
	char			 path[300];

	snprintf(path, sizeof(path), "%s/no-such-file", tmpdir);
	b = baseline_load(path);
	ck_assert_ptr_nonnull(sum(b).error);
	t = compare_named(b, "a.test");
	ck_assert_int_eq(t->baseline, -1);
	result_target_free(t);
	baseline_finish(b);
	baseline_free(b);

	b = baseline_load(file_with(""));
	ck_assert_ptr_nonnull(sum(b).error);
	baseline_free(b);
}
END_TEST

/* --format json: the run document, whole and cut short */
START_TEST(test_document)
{
	struct baseline		*b;
	struct target_result	*t;
	json_t			*doc, *ts;
	char			*text;

	doc = json_pack("{s:s, s:s, s:s}", "schema", RESULT_SCHEMA, "kind", "run",
	    "started", "2026-12-01T09:59:59.000Z");
	ts = json_array();
	json_array_append_new(ts, base());
	json_object_set_new(doc, "targets", ts);
	text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	b = baseline_load(file_with(text));
	ck_assert_ptr_null(sum(b).error);
	ck_assert_uint_eq(sum(b).records, 1);
	ck_assert_str_eq(sum(b).time, "2026-12-01T09:59:59.000Z");
	t = compare_named(b, "bl.test");
	ck_assert_int_eq(t->baseline, 1);
	expect_n(t, 0);
	result_target_free(t);
	baseline_free(b);

	/* cut in the middle: said, nothing read, no crash */
	text[strlen(text) / 2] = '\0';
	b = baseline_load(file_with(text));
	ck_assert_ptr_nonnull(sum(b).error);
	ck_assert_uint_eq(sum(b).records, 0);
	t = compare_named(b, "bl.test");
	ck_assert_int_eq(t->baseline, -1);
	result_target_free(t);
	baseline_free(b);
	free(text);
}
END_TEST

/* a target in only one of the two runs, on either side */
START_TEST(test_missing_target)
{
	struct baseline		*b;
	struct target_result	*t;
	char			*a = record("a.test", RESULT_SCHEMA);
	char			*c = record("c.test", RESULT_SCHEMA);
	char			*z = record("z.test", RESULT_SCHEMA);
	char			*m = record("m.test", RESULT_SCHEMA);
	char			*text;

	/* a.test twice */
	text = xasprintf("%s\n%s\n%s\n%s\n%s\n", a, c, z, a, m);
	b = baseline_load(file_with(text));
	ck_assert_uint_eq(sum(b).records, 4);
	t = compare_named(b, "a.test");
	ck_assert_int_eq(t->baseline, 1);
	result_target_free(t);
	t = compare_named(b, "new.test");
	ck_assert_int_eq(t->baseline, -1);
	result_target_free(t);
	baseline_finish(b);
	ck_assert_uint_eq(sum(b).compared, 1);
	ck_assert_uint_eq(sum(b).nnew, 1);
	/* in the order of the file */
	ck_assert_uint_eq(sum(b).nmissing, 3);
	ck_assert_str_eq(sum(b).missing[0], "c.test");
	ck_assert_str_eq(sum(b).missing[1], "z.test");
	ck_assert_str_eq(sum(b).missing[2], "m.test");
	baseline_free(b);
	free(text);
	free(a);
	free(c);
	free(z);
	free(m);
}
END_TEST

/* more targets than the table starts with: every one is found */
START_TEST(test_many_targets)
{
	struct baseline		*b;
	struct target_result	*t;
	char			*text, name[32];
	size_t			 i, n = 5000, len = 0;

	text = xmalloc(n * 64);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, 64, "{\"schema\": \""
		    RESULT_SCHEMA "\", \"target\": \"t%zu.test\"}\n", i);
	b = baseline_load(file_with(text));
	ck_assert_uint_eq(sum(b).records, n);
	for (i = 0; i < n; i += 7) {
		snprintf(name, sizeof(name), "t%zu.test", i);
		t = compare_named(b, name);
		ck_assert_int_eq(t->baseline, 1);
		result_target_free(t);
	}
	baseline_finish(b);
	ck_assert_uint_eq(sum(b).nmissing, n - (n + 6) / 7);
	ck_assert_str_eq(sum(b).missing[0], "t1.test");
	baseline_free(b);
	free(text);
}
END_TEST

/* hostile types where strings or objects belong: skipped values, no crash */
START_TEST(test_wrong_types)
{
	struct baseline		*b;
	struct target_result	*t;

	b = baseline_load(file_with("{\"schema\": \"" RESULT_SCHEMA "\", "
	    "\"target\": \"a.test\", \"dns\": {\"mx\": [1, {\"host\": 2}, "
	    "{\"host\": \"m\", \"addresses\": [3, null]}]}, \"hosts\": [{\"address\": "
	    "\"192.0.2.1\", \"tls\": [], \"commands\": {\"VRFY\": 5}, \"ehlo\": "
	    "{\"extensions\": []}}, 7], \"findings\": {\"id\": 1}}\n"
	    "[1, 2]\n\"x\"\n{\"schema\": 2}\n"));
	ck_assert_uint_eq(sum(b).records, 1);
	ck_assert_uint_eq(sum(b).skipped, 3);
	t = compare_named(b, "a.test");
	ck_assert_int_eq(t->baseline, 1);
	result_target_free(t);
	baseline_free(b);
}
END_TEST

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char	 path[300];
	int	 i;

	for (i = 0; i < nfile; i++) {
		snprintf(path, sizeof(path), "%s/b%d", tmpdir, i);
		(void)unlink(path);
	}
	(void)rmdir(tmpdir);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_baseline.XXXXXX");
	nfile = 0;
}

static Suite *
baseline_suite(void)
{
	Suite	*s = suite_create("baseline");
	TCase	*tc = tcase_create("compare");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_reorder_is_not_a_change);
	tcase_add_test(tc, test_mx);
	tcase_add_test(tc, test_address);
	tcase_add_test(tc, test_command);
	tcase_add_test(tc, test_port_changed);
	tcase_add_test(tc, test_tls_lost_gained);
	tcase_add_test(tc, test_tls_version);
	tcase_add_test(tc, test_certificate);
	tcase_add_test(tc, test_dane);
	tcase_add_test(tc, test_findings);
	tcase_add_test(tc, test_reachable);
	tcase_add_test(tc, test_extension);
	tcase_add_test(tc, test_regressions_first);
	suite_add_tcase(s, tc);
	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_truncated_and_garbage_lines);
	tcase_add_test(tc, test_other_schema);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_document);
	tcase_add_test(tc, test_missing_target);
	tcase_add_test(tc, test_wrong_types);
	tcase_add_test(tc, test_many_targets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(baseline_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
