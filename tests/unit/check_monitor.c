/* SPDX-License-Identifier: ISC */
/*
 * check_monitor - unit tests for the monitoring renderers:
 * report_nagios.c (plugin state, status line, perfdata grammar of the
 * Monitoring Plugins Development Guidelines, no '|' leaking from server
 * text) and report_prometheus.c (text exposition format 0.0.4: every
 * family once, contiguous, HELP and TYPE first; label escaping; sample
 * values).
 *
 * Fixtures are target_results built in C, as probe.c would fill them,
 * rendered through report_target()/report_end() into a memory stream.
 * Both outputs are read back with small parsers written here from the
 * format descriptions, not from the renderers.
 */
#include "config.h"

#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "result.h"
#include "util.h"

#define NOT_AFTER	"2027-01-01T00:00:00Z"

/* ------------------------------------------------------------------ */
/* fixtures */

static void
fx_reply(struct reply_rec *r, int code, const char *text, long ms)
{
	result_reply_set(r, code, NULL, text, text != NULL ? strlen(text) : 0,
	    0, ms);
}

static void
fx_cmd(struct host_result *h, const char *verb, int code, enum cmd_status st)
{
	struct cmd_result	*c = result_host_add_cmd(h);

	snprintf(c->verb, sizeof(c->verb), "%s", verb);
	c->status = st;
	if (code != 0)
		fx_reply(&c->reply, code, "5.5.1 Command not implemented", 3);
}

/* a host whose session ran to its end: 220, 250, TLS 1.3, 502 x 3 */
static struct host_result *
fx_host(struct target_result *t, const char *mx, const char *addr, long days)
{
	struct host_result	*h;

	h = result_add_host(t);
	h->mx = xstrdup(mx);
	snprintf(h->address, sizeof(h->address), "%s", addr);
	h->port = 25;
	h->connect.ok = 1;
	h->connect.ms = 12;
	fx_reply(&h->banner, 220, "mx ESMTP", 30);
	fx_reply(&h->ehlo.reply, 250, "mx\nSTARTTLS", 5);
	h->tls.offered = 1;
	h->tls.attempted = 1;
	fx_reply(&h->tls.starttls, 220, "Ready", 2);
	h->tls.ok = 1;
	h->tls.handshake_ms = 40;
	h->tls.version = xstrdup("TLSv1.3");
	h->tls.have_cert = 1;
	h->tls.cert.days_left = days;
	h->tls.cert.not_after = xstrdup(NOT_AFTER);
	fx_cmd(h, "VRFY", 502, ST_NOT_IMPLEMENTED);
	fx_cmd(h, "EXPN", 502, ST_NOT_IMPLEMENTED);
	fx_cmd(h, "TURN", 502, ST_NOT_IMPLEMENTED);
	h->duration_ms = 120;
	return h;
}

/* example.com: two addresses of one MX, everything closed, cert 30 days */
static struct target_result *
fx_good(const char *target)
{
	struct target_result	*t;

	t = result_target_new(target);
	t->kind = TARGET_DOMAIN;
	t->name = xstrdup(target);
	t->duration_ms = 842;
	fx_host(t, "mx1.example.com", "192.0.2.1", 30);
	fx_host(t, "mx1.example.com", "192.0.2.2", 30);
	return t;
}

/* ------------------------------------------------------------------ */
/* rendering */

struct rendered {
	char	*out;
	size_t	 len;
	int	 status;
};

/* render (and free) ts through the report stream in one format */
static void
render(enum cli_format fmt, struct target_result **ts, size_t n, int warn,
    int crit, struct rendered *o)
{
	struct report	 r;
	FILE		*f;
	size_t		 i;

	memset(o, 0, sizeof(*o));
	f = open_memstream(&o->out, &o->len);
	ck_assert_ptr_nonnull(f);
	memset(&r, 0, sizeof(r));
	r.out = f;
	r.format = fmt;
	r.cert_warn_days = warn;
	r.cert_crit_days = crit;
	r.nagios_high = 1;	/* the default of --nagios-high */
	report_begin(&r);
	for (i = 0; i < n; i++) {
		report_target(&r, ts[i]);
		result_target_free(ts[i]);
	}
	o->status = report_end(&r);
	ck_assert_ptr_null(r.mon);
	ck_assert_int_eq(fclose(f), 0);
}

/* ------------------------------------------------------------------ */
/* Nagios: the state and the status line */

#define MAXT	3

struct nagios_case {
	const char	*name;
	void		(*build)(struct target_result **, size_t *);
	int		 want;		/* plugin state */
	const char	*want_text;	/* substring of the first line, or NULL */
};

static void
b_ok(struct target_result **ts, size_t *n)
{
	ts[(*n)++] = fx_good("example.com");
}

static void
b_none(struct target_result **ts, size_t *n)
{
	(void)ts;
	*n = 0;
}

static void
b_failed(struct target_result **ts, size_t *n)
{
	struct target_result	*t;

	ts[(*n)++] = fx_good("example.com");
	t = result_target_new("broken.example");
	t->error = xstrdup("NXDOMAIN");
	ts[(*n)++] = t;
}

static void
b_unreachable(struct target_result **ts, size_t *n)
{
	struct target_result	*t;
	struct host_result	*h;

	t = result_target_new("dead.example");
	h = result_add_host(t);
	h->mx = xstrdup("mx.dead.example");
	snprintf(h->address, sizeof(h->address), "192.0.2.9");
	h->port = 25;
	h->fail = PROBE_F_CONN;
	h->connect.error = xstrdup("Connection refused");
	h->error = xstrdup("connect: Connection refused");
	ts[(*n)++] = t;
}

static void
b_violation(struct target_result **ts, size_t *n)
{
	struct target_result	*t = fx_good("example.com");
	struct cmd_result	*c = &t->hosts[0].cmds[0];

	c->status = ST_SUPPORTED;
	fx_reply(&c->reply, 250, "<postmaster@example.com>", 3);
	t->policy_checked = 1;
	result_add_violation(t, "VRFY=off", "mx1.example.com", "192.0.2.1", 0,
	    "VRFY answered 250");
	ts[(*n)++] = t;
}

static void
b_unverified(struct target_result **ts, size_t *n)
{
	struct target_result	*t = fx_good("example.com");
	struct cmd_result	*c = &t->hosts[0].cmds[1];

	c->status = ST_TEMPORARY;
	fx_reply(&c->reply, 451, "try later", 3);
	t->policy_checked = 1;
	result_add_violation(t, "EXPN=off", "mx1.example.com", "192.0.2.1", 1,
	    "EXPN answered 451");
	ts[(*n)++] = t;
}

static void
b_high(struct target_result **ts, size_t *n)
{
	struct target_result	*t = fx_good("example.com");

	result_add_finding(t, SEV_HIGH, "starttls-injection", "mx1.example.com",
	    "192.0.2.1", "bytes after 220");
	ts[(*n)++] = t;
}

static void
b_medium(struct target_result **ts, size_t *n)
{
	struct target_result	*t = fx_good("example.com");

	result_add_finding(t, SEV_MEDIUM, "tls-version-old", "mx1.example.com",
	    "192.0.2.1", "TLSv1.1");
	ts[(*n)++] = t;
}

static void
fx_days(struct target_result **ts, size_t *n, long days)
{
	struct target_result	*t = fx_good("example.com");

	t->hosts[1].tls.cert.days_left = days;
	ts[(*n)++] = t;
}

static void b_cert10(struct target_result **ts, size_t *n) { fx_days(ts, n, 10); }
static void b_cert3(struct target_result **ts, size_t *n) { fx_days(ts, n, 3); }
static void b_cert14(struct target_result **ts, size_t *n) { fx_days(ts, n, 14); }
static void b_cert7(struct target_result **ts, size_t *n) { fx_days(ts, n, 7); }
static void b_cert0(struct target_result **ts, size_t *n) { fx_days(ts, n, 0); }
static void b_expired(struct target_result **ts, size_t *n) { fx_days(ts, n, -2); }

/*
 * RFC 7672 3.1.1: an expired certificate under a validated DANE-EE
 * match is no fault: no CRITICAL for its dates
 */
static void
b_expired_dane_ee(struct target_result **ts, size_t *n)
{
	struct tls_result	*tls;

	fx_days(ts, n, -2);
	tls = &ts[*n - 1]->hosts[1].tls;
	tls->tlsa = xcalloc(1, sizeof(*tls->tlsa));
	tls->tlsa[0].usage = 3;
	tls->tlsa[0].selector = 1;
	tls->tlsa[0].mtype = 1;
	tls->tlsa[0].data = xcalloc(1, 32);
	tls->tlsa[0].len = 32;
	tls->tlsa[0].matched = 1;
	tls->ntlsa = 1;
	tls->tlsa_ad = 1;
	tls->dane_matched = 1;
}

static void
b_interrupted(struct target_result **ts, size_t *n)
{
	struct target_result	*t;

	t = result_target_new("example.com");
	t->interrupted = 1;
	ts[(*n)++] = t;
	t = result_target_new("example.net");
	t->interrupted = 1;
	ts[(*n)++] = t;
}

static void
b_interrupted_violation(struct target_result **ts, size_t *n)
{
	b_violation(ts, n);
	ts[0]->interrupted = 1;
}

static void
b_some_interrupted(struct target_result **ts, size_t *n)
{
	struct target_result	*t;

	ts[(*n)++] = fx_good("example.com");
	t = result_target_new("example.net");
	t->interrupted = 1;
	ts[(*n)++] = t;
}

static void
b_null_mx(struct target_result **ts, size_t *n)
{
	struct target_result	*t;

	t = result_target_new("nomail.example");
	t->dns.queried = 1;
	t->dns.null_mx = 1;
	ts[(*n)++] = t;
}

static void
b_hostile(struct target_result **ts, size_t *n)
{
	struct target_result	*t = fx_good("ex|ample.com");
	struct host_result	*h;

	free(t->hosts[0].mx);
	t->hosts[0].mx = xstrdup("mx|1.example.com\n\x1b[31m");
	fx_reply(&t->hosts[0].banner, 220, "evil | banner\r\nmore", 30);
	result_add_finding(t, SEV_HIGH, "starttls-injection", "mx|1.example.com",
	    "192.0.2.1", "server said \"a|b\"\nand 'c=d'");
	t->policy_checked = 1;
	result_add_violation(t, "VRFY=off", "mx|1.example.com\n", "192.0.2.1", 0,
	    "reply: 250 ok | yes\n");
	h = result_add_host(t);
	h->mx = xstrdup("mx2|x.example.com");
	snprintf(h->address, sizeof(h->address), "2001:db8::1");
	h->port = 25;
	h->fail = PROBE_F_CONN;
	h->connect.error = xstrdup("refused | by\npeer");
	h->error = xstrdup("connect | failed");
	ts[(*n)++] = t;
}

static const struct nagios_case nagios_cases[] = {
	{ "all_ok", b_ok, 0,
	    "SMTPPROBE OK - 2 hosts probed, VRFY/EXPN/TURN closed | " },
	{ "one_target_failed", b_failed, 2,
	    "SMTPPROBE CRITICAL - broken.example: not probed (NXDOMAIN)" },
	{ "unreachable", b_unreachable, 2, "dead.example: not probed" },
	{ "violation", b_violation, 2,
	    "SMTPPROBE CRITICAL - mx1.example.com: VRFY=off violated (250)" },
	{ "only_unverified", b_unverified, 1,
	    "SMTPPROBE WARNING - mx1.example.com: EXPN=off unverified (451)" },
	{ "high_finding", b_high, 1,
	    "SMTPPROBE WARNING - mx1.example.com: starttls-injection" },
	{ "medium_finding", b_medium, 0, "SMTPPROBE OK - " },
	{ "cert_10_days", b_cert10, 1,
	    "SMTPPROBE WARNING - mx1.example.com: cert expires in 10 days" },
	{ "cert_3_days", b_cert3, 2,
	    "SMTPPROBE CRITICAL - mx1.example.com: cert expires in 3 days" },
	{ "cert_14_days", b_cert14, 0, "SMTPPROBE OK - " },
	{ "cert_7_days", b_cert7, 1, "cert expires in 7 days" },
	{ "cert_today", b_cert0, 2, "cert expires today" },
	{ "cert_expired", b_expired, 2, "cert expired 2 days ago" },
	{ "cert_expired_dane_ee", b_expired_dane_ee, 0, "SMTPPROBE OK - " },
	{ "no_targets", b_none, 3, "SMTPPROBE UNKNOWN - no targets | " },
	{ "all_interrupted", b_interrupted, 3, "SMTPPROBE UNKNOWN - " },
	{ "interrupted_violation", b_interrupted_violation, 2, "violated" },
	{ "some_interrupted", b_some_interrupted, 3, "example.net: interrupted" },
	{ "null_mx", b_null_mx, 0, "SMTPPROBE OK - 0 hosts probed" },
	{ "hostile_text", b_hostile, 2, NULL },
};

static void
nagios_render(const struct nagios_case *c, struct rendered *o)
{
	struct target_result	*ts[MAXT];
	size_t			 n = 0;

	c->build(ts, &n);
	ck_assert_uint_le(n, MAXT);
	render(FMT_NAGIOS, ts, n, 14, 7, o);
}

START_TEST(test_nagios_state)
{
	const struct nagios_case	*c = &nagios_cases[_i];
	struct rendered			 o;

	nagios_render(c, &o);
	ck_assert_msg(o.status == c->want, "%s: got %d, want %d\n%s", c->name,
	    o.status, c->want, o.out);
	if (c->want_text != NULL)
		ck_assert_msg(strstr(o.out, c->want_text) != NULL &&
		    strstr(o.out, c->want_text) < strchr(o.out, '\n'),
		    "%s: got \"%s\", want \"%s\" in the first line", c->name,
		    o.out, c->want_text);
	free(o.out);
}
END_TEST

/* the status line, and no '|' or control character outside the perfdata */
START_TEST(test_nagios_line)
{
	const struct nagios_case	*c = &nagios_cases[_i];
	struct rendered			 o;
	regex_t				 re;
	const char			*p, *nl;
	size_t				 line = 0, pipes;

	nagios_render(c, &o);
	ck_assert_int_eq(regcomp(&re, "^SMTPPROBE (OK|WARNING|CRITICAL|UNKNOWN) "
	    "- [^|\n]* \\| ", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, o.out, 0, NULL, 0) == 0, "%s: got \"%s\"",
	    c->name, o.out);
	regfree(&re);
	ck_assert_msg(o.len > 0 && o.out[o.len - 1] == '\n', "%s: no final newline",
	    c->name);
	for (p = o.out; *p != '\0'; p = nl + 1, line++) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		pipes = 0;
		for (; p < nl; p++) {
			if (*p == '|')
				pipes++;
			ck_assert_msg((unsigned char)*p >= 0x20 &&
			    (unsigned char)*p < 0x7f, "%s: line %zu: byte 0x%02x",
			    c->name, line, (unsigned char)*p);
		}
		ck_assert_msg(pipes == (line == 0 ? 1u : 0u),
		    "%s: line %zu: got %zu '|', want %u", c->name, line, pipes,
		    line == 0 ? 1u : 0u);
	}
	free(o.out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Nagios: perfdata, parsed by the guidelines' grammar */

struct perf_item {
	char	 label[128];
	double	 value;
	char	 uom[4];
	char	 field[4][32];	/* warn, crit, min, max ("" if empty) */
};

static int
perf_number(const char *s, size_t len)
{
	char	 buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	strtod(buf, &end);
	return *end == '\0' && strspn(buf, "-0123456789.") == len;
}

/* a threshold range: [@][start:][end], start may be ~ */
static int
perf_range(const char *s)
{
	const char	*colon;

	if (*s == '\0')
		return 1;
	if (*s == '@')
		s++;
	if ((colon = strchr(s, ':')) != NULL) {
		if (!(colon - s == 1 && *s == '~') &&
		    !perf_number(s, (size_t)(colon - s)))
			return 0;
		s = colon + 1;
		return *s == '\0' || perf_number(s, strlen(s));
	}
	return perf_number(s, strlen(s));
}

/* parse "'label'=value[UOM];[warn];[crit];[min];[max] ..."; -1 if malformed */
static int
perf_parse(const char *s, struct perf_item *items, size_t max)
{
	static const char	*uoms[] = { "", "s", "ms", "us", "%", "B", "KB",
	    "MB", "TB", "c" };
	struct perf_item	*it;
	const char		*e, *v;
	size_t			 n = 0, len, k, f;
	int			 ok;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			return (int)n;
		if (n == max)
			return -1;
		it = &items[n];
		memset(it, 0, sizeof(*it));
		if (*s == '\'') {
			if ((e = strchr(s + 1, '\'')) == NULL || e[1] != '=')
				return -1;
			len = (size_t)(e - s - 1);
			if (memchr(s + 1, '=', len) != NULL)
				return -1;
			s++;
		} else {
			len = strcspn(s, "= '");
			if (s[len] != '=')
				return -1;
			e = s + len - 1;
		}
		if (len == 0 || len >= sizeof(it->label))
			return -1;
		memcpy(it->label, s, len);
		s = e + 2;		/* past "'=" or "=" */
		v = s;
		len = strspn(s, "-0123456789.");
		if (!perf_number(v, len))
			return -1;
		it->value = strtod(v, NULL);
		s += len;
		len = strcspn(s, "; \n");
		ok = 0;
		for (k = 0; k < nitems(uoms); k++)
			if (strlen(uoms[k]) == len && strncmp(uoms[k], s, len) == 0)
				ok = 1;
		if (!ok)
			return -1;
		memcpy(it->uom, s, len);
		s += len;
		for (f = 0; f < 4 && *s == ';'; f++) {
			s++;
			len = strcspn(s, "; \n");
			if (len >= sizeof(it->field[f]))
				return -1;
			memcpy(it->field[f], s, len);
			s += len;
			if (f < 2 && !perf_range(it->field[f]))
				return -1;
			if (f >= 2 && len > 0 && !perf_number(it->field[f], len))
				return -1;
		}
		if (*s != ' ' && *s != '\n' && *s != '\0')
			return -1;
		n++;
	}
}

static int
perf_of(const char *out, struct perf_item *items, size_t max)
{
	const char	*p = strstr(out, " | ");

	ck_assert_ptr_nonnull(p);
	return perf_parse(p + 3, items, max);
}

START_TEST(test_nagios_perf_grammar)
{
	const struct nagios_case	*c = &nagios_cases[_i];
	struct perf_item		 items[64];
	struct rendered			 o;
	int				 n, i, j;

	nagios_render(c, &o);
	n = perf_of(o.out, items, nitems(items));
	ck_assert_msg(n >= 3, "%s: perfdata does not parse: %s", c->name, o.out);
	for (i = 0; i < n; i++) {
		if (strstr(items[i].label, "_cert_days") != NULL)
			ck_assert_msg(items[i].field[0][0] != '\0' &&
			    items[i].field[1][0] != '\0',
			    "%s: %s without thresholds", c->name, items[i].label);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(items[i].label, items[j].label) != 0,
			    "%s: label %s twice", c->name, items[i].label);
	}
	free(o.out);
}
END_TEST

struct perf_case {
	const char	*label;
	double		 value;
	const char	*uom;
	const char	*warn, *crit, *min;
};

static const struct perf_case perf_cases[] = {
	{ "targets", 1, "", "", "", "0" },
	{ "hosts_probed", 2, "", "", "", "0" },
	{ "violations", 0, "", "", "", "0" },
	{ "mx1.example.com_192.0.2.1_connect", 12, "ms", "", "", "0" },
	{ "mx1.example.com_192.0.2.1_banner", 30, "ms", "", "", "0" },
	{ "mx1.example.com_192.0.2.1_ehlo", 5, "ms", "", "", "0" },
	{ "mx1.example.com_192.0.2.1_tls_handshake", 40, "ms", "", "", "0" },
	{ "mx1.example.com_192.0.2.1_cert_days", 30, "", "14:", "7:", "" },
	{ "mx1.example.com_192.0.2.2_cert_days", 30, "", "14:", "7:", "" },
};

START_TEST(test_nagios_perf_values)
{
	const struct perf_case	*pc = &perf_cases[_i];
	struct nagios_case	 c = { "all_ok", b_ok, 0, NULL };
	struct perf_item	 items[64];
	struct rendered		 o;
	int			 n, i, found = 0;

	nagios_render(&c, &o);
	n = perf_of(o.out, items, nitems(items));
	for (i = 0; i < n; i++) {
		if (strcmp(items[i].label, pc->label) != 0)
			continue;
		found = 1;
		ck_assert_msg(items[i].value == pc->value, "%s: got %g, want %g",
		    pc->label, items[i].value, pc->value);
		ck_assert_str_eq(items[i].uom, pc->uom);
		ck_assert_str_eq(items[i].field[0], pc->warn);
		ck_assert_str_eq(items[i].field[1], pc->crit);
		ck_assert_str_eq(items[i].field[2], pc->min);
	}
	ck_assert_msg(found, "%s: missing from %s", pc->label, o.out);
	free(o.out);
}
END_TEST

/* a host without TLS has no handshake or certificate perfdata */
START_TEST(test_nagios_perf_no_tls)
{
	struct target_result	*t = fx_good("example.com");
	struct perf_item	 items[64];
	struct rendered		 o;
	int			 n, i;

	t->hosts[0].tls.ok = 0;
	render(FMT_NAGIOS, &t, 1, 14, 7, &o);
	n = perf_of(o.out, items, nitems(items));
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(strncmp(items[i].label, "mx1.example.com_192.0.2.1_t",
		    27) != 0 && strcmp(items[i].label,
		    "mx1.example.com_192.0.2.1_cert_days") != 0,
		    "got %s for a host without TLS", items[i].label);
	free(o.out);
}
END_TEST

/* the long output: one line per host with the codes, then violations */
START_TEST(test_nagios_long)
{
	struct nagios_case	 c = { "violation", b_violation, 2, NULL };
	struct rendered		 o;

	nagios_render(&c, &o);
	ck_assert_msg(strstr(o.out, "\nmx1.example.com 192.0.2.1:25 banner=220 "
	    "EHLO=250 TLSv1.3 VRFY=250 EXPN=502 TURN=502\n") != NULL,
	    "got %s", o.out);
	ck_assert_msg(strstr(o.out, "\nmx1.example.com 192.0.2.2:25 ") != NULL,
	    "got %s", o.out);
	ck_assert_msg(strstr(o.out, "\nviolation VRFY=off mx1.example.com "
	    "192.0.2.1: VRFY answered 250\n") != NULL, "got %s", o.out);
	free(o.out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Prometheus: a parser for the text format 0.0.4 */

#define PROM_MAXLABELS	8

struct prom_sample {
	char	*name;
	char	*key[PROM_MAXLABELS];
	char	*val[PROM_MAXLABELS];	/* unescaped */
	size_t	 nlabels;
	double	 value;
	char	*series;		/* the line up to the value */
};

struct prom_doc {
	struct prom_sample	*s;
	size_t			 n;
	char			*fam[64];	/* families, in order */
	size_t			 nfam;
};

static int
prom_name_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == ':'))
			return 0;
	return 1;
}

static void
prom_doc_free(struct prom_doc *d)
{
	size_t	 i, j;

	for (i = 0; i < d->n; i++) {
		free(d->s[i].name);
		free(d->s[i].series);
		for (j = 0; j < d->s[i].nlabels; j++) {
			free(d->s[i].key[j]);
			free(d->s[i].val[j]);
		}
	}
	free(d->s);
	for (i = 0; i < d->nfam; i++)
		free(d->fam[i]);
}

/*
 * Parse the whole exposition; every structural rule is an assertion:
 * HELP then TYPE gauge then the samples of that family, no family twice,
 * no series twice, every value a number.
 */
static void
prom_parse(const char *text, struct prom_doc *d)
{
	const char		*p = text, *nl, *q, *e;
	char			*line, *end;
	enum { WANT_HELP, WANT_TYPE, IN_FAMILY } st = WANT_HELP;
	const char		*cur = NULL;
	struct prom_sample	*s;
	size_t			 i, len, lineno = 0;

	memset(d, 0, sizeof(*d));
	for (; *p != '\0'; p = nl + 1, lineno++) {
		nl = strchr(p, '\n');
		ck_assert_msg(nl != NULL, "line %zu: no newline", lineno);
		line = xstrndup(p, (size_t)(nl - p));
		if (strncmp(line, "# HELP ", 7) == 0) {
			q = line + 7;
			len = strcspn(q, " ");
			ck_assert_msg(prom_name_ok(q, len) && q[len] == ' ',
			    "line %zu: bad HELP: %s", lineno, line);
			for (i = 0; i < d->nfam; i++)
				ck_assert_msg(strlen(d->fam[i]) != len ||
				    strncmp(d->fam[i], q, len) != 0,
				    "line %zu: family %.*s again", lineno,
				    (int)len, q);
			ck_assert_uint_lt(d->nfam, nitems(d->fam));
			ck_assert_msg(st != WANT_TYPE,
			    "line %zu: HELP where TYPE was due", lineno);
			d->fam[d->nfam++] = xstrndup(q, len);
			cur = d->fam[d->nfam - 1];
			st = WANT_TYPE;
		} else if (strncmp(line, "# TYPE ", 7) == 0) {
			ck_assert_msg(st == WANT_TYPE, "line %zu: TYPE without HELP",
			    lineno);
			q = line + 7;
			len = strlen(cur);
			ck_assert_msg(strncmp(q, cur, len) == 0 &&
			    strcmp(q + len, " gauge") == 0,
			    "line %zu: got \"%s\", want \"# TYPE %s gauge\"",
			    lineno, line, cur);
			st = IN_FAMILY;
		} else {
			ck_assert_msg(line[0] != '#' && line[0] != '\0',
			    "line %zu: unexpected \"%s\"", lineno, line);
			ck_assert_msg(st == IN_FAMILY,
			    "line %zu: sample before HELP/TYPE", lineno);
			d->s = xreallocarray(d->s, d->n + 1, sizeof(*d->s));
			s = &d->s[d->n++];
			memset(s, 0, sizeof(*s));
			q = line;
			len = strcspn(q, "{ ");
			ck_assert_msg(prom_name_ok(q, len), "line %zu: bad name",
			    lineno);
			s->name = xstrndup(q, len);
			ck_assert_msg(strcmp(s->name, cur) == 0,
			    "line %zu: got %s inside family %s", lineno,
			    s->name, cur);
			q += len;
			if (*q == '{') {
				q++;
				while (*q != '}') {
					struct buf	 v = { 0 };

					ck_assert_uint_lt(s->nlabels, PROM_MAXLABELS);
					len = strcspn(q, "=");
					ck_assert_msg(prom_name_ok(q, len) &&
					    q[len] == '=' && q[len + 1] == '"',
					    "line %zu: bad label at %s", lineno, q);
					s->key[s->nlabels] = xstrndup(q, len);
					for (q += len + 2; *q != '"'; q++) {
						ck_assert_msg(*q != '\0',
						    "line %zu: open label value",
						    lineno);
						if (*q == '\\') {
							q++;
							ck_assert_msg(*q == '\\' ||
							    *q == '"' || *q == 'n',
							    "line %zu: bad escape \\%c",
							    lineno, *q);
							buf_append(&v, *q == 'n' ?
							    "\n" : q, 1);
						} else
							buf_append(&v, q, 1);
					}
					s->val[s->nlabels++] = v.data ? v.data :
					    xstrdup("");
					q++;
					if (*q == ',')
						q++;
					else
						ck_assert_msg(*q == '}',
						    "line %zu: got '%c' after a label",
						    lineno, *q);
				}
				q++;
			}
			ck_assert_msg(*q == ' ', "line %zu: no space before the "
			    "value", lineno);
			s->series = xstrndup(line, (size_t)(q - line));
			e = q + 1;
			s->value = strtod(e, &end);
			ck_assert_msg(end != e && *end == '\0',
			    "line %zu: value \"%s\" is not a number", lineno, e);
			for (i = 0; i + 1 < d->n; i++)
				ck_assert_msg(strcmp(d->s[i].series, s->series) != 0,
				    "line %zu: series %s twice", lineno, s->series);
		}
		free(line);
	}
	ck_assert_msg(st == IN_FAMILY, "a family without samples at the end");
}

/* the value of name{labels}; labels "k=v,k=v" must all match; -1 if none */
static int
prom_find(const struct prom_doc *d, const char *name, const char *labels,
    double *value)
{
	const struct prom_sample	*s;
	char				*want, *tok, *save, *eq;
	size_t				 i, j, nwant;
	int				 match;

	for (i = 0; i < d->n; i++) {
		s = &d->s[i];
		if (strcmp(s->name, name) != 0)
			continue;
		want = xstrdup(labels);
		match = 1;
		nwant = 0;
		for (tok = strtok_r(want, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			nwant++;
			eq = strchr(tok, '=');
			*eq = '\0';
			for (j = 0; j < s->nlabels; j++)
				if (strcmp(s->key[j], tok) == 0)
					break;
			if (j == s->nlabels || strcmp(s->val[j], eq + 1) != 0)
				match = 0;
		}
		free(want);
		if (match && nwant == s->nlabels) {
			*value = s->value;
			return 0;
		}
	}
	return -1;
}

static void
prom_render(struct target_result **ts, size_t n, struct prom_doc *d,
    struct rendered *o)
{
	render(FMT_PROMETHEUS, ts, n, 14, 7, o);
	prom_parse(o->out, d);
}

/* ------------------------------------------------------------------ */
/* Prometheus tests */

/* every fixture of the Nagios table parses as a valid exposition */
START_TEST(test_prom_structure)
{
	const struct nagios_case	*c = &nagios_cases[_i];
	struct target_result		*ts[MAXT];
	struct prom_doc			 d;
	struct rendered			 o;
	size_t				 n = 0;
	double				 v;

	c->build(ts, &n);
	prom_render(ts, n, &d, &o);
	ck_assert_msg(o.status == -1, "%s: got %d, want -1", c->name, o.status);
	ck_assert_msg(prom_find(&d, "smtpprobe_last_run_timestamp_seconds", "",
	    &v) == 0, "%s: no last run timestamp", c->name);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

struct prom_case {
	const char	*name;
	const char	*labels;
	double		 want;
};

#define L_HOST	"target=example.com,mx=mx1.example.com,address=192.0.2.1"

static const struct prom_case prom_cases[] = {
	{ "smtpprobe_up", L_HOST, 1 },
	{ "smtpprobe_command_reply_code", L_HOST ",command=VRFY", 502 },
	{ "smtpprobe_command_reply_code", L_HOST ",command=EXPN", 451 },
	{ "smtpprobe_command_status", L_HOST ",command=VRFY,status=not_implemented", 1 },
	{ "smtpprobe_command_status", L_HOST ",command=EXPN,status=temporary", 1 },
	{ "smtpprobe_command_open", L_HOST ",command=VRFY", 0 },
	{ "smtpprobe_command_open", L_HOST ",command=EXPN", -1 },
	{ "smtpprobe_tls_version", L_HOST, 1.3 },
	{ "smtpprobe_tls_handshake_ok", L_HOST, 1 },
	/* the fixture's chain does not verify (PKIX, no DANE) */
	{ "smtpprobe_cert_valid", L_HOST, 0 },
	{ "smtpprobe_connect_seconds", L_HOST, 0.012 },
	{ "smtpprobe_session_duration_seconds", L_HOST, 0.25 },
	{ "smtpprobe_target_wall_seconds", "target=example.com", 0.842 },
	{ "smtpprobe_finding", "target=example.com,id=starttls-injection,severity=high", 1 },
	{ "smtpprobe_finding", "target=example.com,id=turn-accepted,severity=high", 1 },
	{ "smtpprobe_findings", "target=example.com,severity=info", 0 },
	{ "smtpprobe_findings", "target=example.com,severity=low", 0 },
	{ "smtpprobe_findings", "target=example.com,severity=medium", 0 },
	{ "smtpprobe_findings", "target=example.com,severity=high", 2 },
	{ "smtpprobe_policy_violations", "target=example.com", 1 },
	{ "smtpprobe_target_failed", "target=example.com", 0 },
	{ "smtpprobe_target_failed", "target=broken.example", 1 },
	{ "smtpprobe_up", "target=example.com,mx=mx1.example.com,address=192.0.2.2", 0 },
	{ "smtpprobe_tls_version", "target=example.com,mx=mx1.example.com,address=192.0.2.2", 0 },
	{ "smtpprobe_tls_handshake_ok", "target=example.com,mx=mx1.example.com,address=192.0.2.2", 0 },
	{ "smtpprobe_policy_violations", "target=broken.example", 0 },
};

/* example.com (VRFY 502, EXPN 451 unverified, two high findings, one
 * violation; the second address failed before TLS) and broken.example */
static size_t
fx_prom(struct target_result **ts)
{
	struct target_result	*t = fx_good("example.com");
	struct host_result	*h2 = &t->hosts[1];
	struct cmd_result	*c = &t->hosts[0].cmds[1];

	c->status = ST_TEMPORARY;
	fx_reply(&c->reply, 451, "try later", 3);
	result_add_finding(t, SEV_HIGH, "starttls-injection", "mx1.example.com",
	    "192.0.2.1", "x");
	result_add_finding(t, SEV_HIGH, "turn-accepted", "mx1.example.com",
	    "192.0.2.1", "y");
	result_add_violation(t, "VRFY=off", "mx1.example.com", NULL, 0, "z");
	result_add_violation(t, "EXPN=off", "mx1.example.com", NULL, 1, "w");
	h2->fail = PROBE_F_TIMEOUT;
	h2->tls.ok = 0;
	t->hosts[0].duration_ms = 250;
	ts[0] = t;
	t = result_target_new("broken.example");
	t->error = xstrdup("NXDOMAIN");
	ts[1] = t;
	return 2;
}

START_TEST(test_prom_values)
{
	const struct prom_case	*pc = &prom_cases[_i];
	struct target_result	*ts[MAXT];
	struct prom_doc		 d;
	struct rendered		 o;
	double			 v;

	prom_render(ts, fx_prom(ts), &d, &o);
	ck_assert_msg(prom_find(&d, pc->name, pc->labels, &v) == 0,
	    "%s{%s} missing from\n%s", pc->name, pc->labels, o.out);
	ck_assert_msg(v == pc->want, "%s{%s}: got %g, want %g", pc->name,
	    pc->labels, v, pc->want);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/*
 * one status series a command, with the status as a label (not 13
 * one-hot series), and no series for a status the command does not have
 */
START_TEST(test_prom_one_status)
{
	struct target_result	*ts[MAXT];
	struct prom_doc		 d;
	struct rendered		 o;
	size_t			 i, n = 0;

	prom_render(ts, fx_prom(ts), &d, &o);
	for (i = 0; i < d.n; i++) {
		if (strcmp(d.s[i].name, "smtpprobe_command_status") != 0 ||
		    strstr(d.s[i].series, "192.0.2.1") == NULL ||
		    strstr(d.s[i].series, "command=\"TURN\"") == NULL)
			continue;
		ck_assert_msg(d.s[i].value == 1, "got %g, want 1", d.s[i].value);
		n++;
	}
	ck_assert_msg(n == 1, "got %zu TURN status series, want 1", n);
	ck_assert_msg(strstr(o.out, "status=\"supported\"") == NULL,
	    "a status no command has is written:\n%s", o.out);
	ck_assert_msg(strstr(o.out, "days_left") == NULL,
	    "days are not a Prometheus base unit:\n%s", o.out);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/* notAfter as UNIX time, computed here independently with timegm() */
START_TEST(test_prom_cert_expiry)
{
	struct target_result	*ts[MAXT];
	struct prom_doc		 d;
	struct rendered		 o;
	struct tm		 tm;
	double			 v;
	time_t			 want;

	memset(&tm, 0, sizeof(tm));
	ck_assert_ptr_nonnull(strptime(NOT_AFTER, "%Y-%m-%dT%H:%M:%SZ", &tm));
	want = timegm(&tm);
	ck_assert_int_eq((long long)want, 1798761600LL);
	prom_render(ts, fx_prom(ts), &d, &o);
	ck_assert_int_eq(prom_find(&d, "smtpprobe_cert_expiry_timestamp_seconds",
	    L_HOST, &v), 0);
	ck_assert_msg(v == (double)want, "got %.0f, want %lld", v,
	    (long long)want);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/* a '"', a '\' and a newline in the target name, escaped and restored */
START_TEST(test_prom_escape)
{
	static const char	 name[] = "we\"ird\\name\nx";
	struct target_result	*t = fx_good(name);
	struct prom_doc		 d;
	struct rendered		 o;
	size_t			 i, found = 0;

	prom_render(&t, 1, &d, &o);
	ck_assert_msg(strstr(o.out, "target=\"we\\\"ird\\\\name\\nx\"") != NULL,
	    "got %s", o.out);
	for (i = 0; i < d.n; i++)
		if (d.s[i].nlabels > 0 && strcmp(d.s[i].key[0], "target") == 0) {
			ck_assert_str_eq(d.s[i].val[0], name);
			found++;
		}
	ck_assert_uint_gt(found, 0);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/* the same target twice: its series once (the parser rejects duplicates) */
START_TEST(test_prom_duplicate_target)
{
	struct target_result	*ts[2];
	struct prom_doc		 d;
	struct rendered		 o;
	size_t			 i, n = 0;

	ts[0] = fx_good("example.com");
	ts[1] = fx_good("example.com");
	prom_render(ts, 2, &d, &o);
	for (i = 0; i < d.n; i++)
		if (strcmp(d.s[i].name, "smtpprobe_target_failed") == 0)
			n++;
	ck_assert_msg(n == 1, "got %zu, want 1", n);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/* the run timestamp is the wall clock of report_end() */
START_TEST(test_prom_last_run)
{
	struct target_result	*t = fx_good("example.com");
	struct prom_doc		 d;
	struct rendered		 o;
	time_t			 before, after;
	double			 v;

	before = time(NULL);
	prom_render(&t, 1, &d, &o);
	after = time(NULL);
	ck_assert_int_eq(prom_find(&d, "smtpprobe_last_run_timestamp_seconds",
	    "", &v), 0);
	ck_assert_msg(v >= (double)before && v < (double)after + 1,
	    "got %.3f, want %lld..%lld", v, (long long)before, (long long)after);
	prom_doc_free(&d);
	free(o.out);
}
END_TEST

/* promtool, when installed, agrees that the output is valid */
START_TEST(test_prom_promtool)
{
	struct target_result	*ts[MAXT];
	struct rendered		 o;
	char			 path[] = "/tmp/check_monitor.XXXXXX", cmd[256];
	FILE			*f;
	int			 fd, rc;

	/* Debian's prometheus package: scripts/install-deps installs it */
	ck_assert_msg(system("command -v promtool >/dev/null 2>&1") == 0,
	    "promtool is missing: apt-get install prometheus");
	render(FMT_PROMETHEUS, ts, fx_prom(ts), 14, 7, &o);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(o.out, 1, o.len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
	rc = system(cmd);
	unlink(path);
	ck_assert_msg(rc == 0, "got %d, want 0 from promtool for\n%s", rc, o.out);
	free(o.out);
}
END_TEST

static Suite *
monitor_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("monitor");

	tc = tcase_create("nagios_state");
	tcase_add_loop_test(tc, test_nagios_state, 0, nitems(nagios_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("nagios_line");
	tcase_add_loop_test(tc, test_nagios_line, 0, nitems(nagios_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("nagios_perf_grammar");
	tcase_add_loop_test(tc, test_nagios_perf_grammar, 0, nitems(nagios_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("nagios_perf_values");
	tcase_add_loop_test(tc, test_nagios_perf_values, 0, nitems(perf_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("nagios_perf_no_tls");
	tcase_add_test(tc, test_nagios_perf_no_tls);
	suite_add_tcase(s, tc);

	tc = tcase_create("nagios_long");
	tcase_add_test(tc, test_nagios_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_structure");
	tcase_add_loop_test(tc, test_prom_structure, 0, nitems(nagios_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_values");
	tcase_add_loop_test(tc, test_prom_values, 0, nitems(prom_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_one_hot");
	tcase_add_test(tc, test_prom_one_status);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_cert_expiry");
	tcase_add_test(tc, test_prom_cert_expiry);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_escape");
	tcase_add_test(tc, test_prom_escape);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_duplicate_target");
	tcase_add_test(tc, test_prom_duplicate_target);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_last_run");
	tcase_add_test(tc, test_prom_last_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("prom_promtool");
	tcase_add_test(tc, test_prom_promtool);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(monitor_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
