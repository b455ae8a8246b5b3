/* SPDX-License-Identifier: ISC */
/*
 * report_nagios - a Nagios / Icinga plugin result (Monitoring Plugins
 * Development Guidelines, "Plugin Output" and "Performance data"):
 *
 *	SMTPPROBE STATE - text | 'label'=value[UOM];[warn];[crit];[min];[max] ...
 *	long output, one line per host, then violations and findings
 *
 * and the plugin state as the exit status: 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN.  The state needs the whole run, so report_nagios_add()
 * copies what it needs (the target_result is freed after the call) and
 * report_nagios_end() writes everything.
 *
 * '|' separates text from perfdata, so no '|' may appear in the text or
 * the long output: server text goes through nagios_clean(), which also
 * turns control characters into '?'.  Perfdata labels keep only
 * [A-Za-z0-9._:-] ("=" and "'" would break the grammar).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "dane.h"
#include "escape.h"
#include "log.h"
#include "delivery.h"
#include "report.h"
#include "result.h"
#include "util.h"

/* plugin states; the values are the exit status */
enum nagios_state {
	NAGIOS_OK = 0,
	NAGIOS_WARNING = 1,
	NAGIOS_CRITICAL = 2,
	NAGIOS_UNKNOWN = 3,
	NAGIOS_LAST
};

static const char *strstate[NAGIOS_LAST] = {
	[NAGIOS_OK] = "OK",
	[NAGIOS_WARNING] = "WARNING",
	[NAGIOS_CRITICAL] = "CRITICAL",
	[NAGIOS_UNKNOWN] = "UNKNOWN",
};

/* how bad a state is: a problem state beats UNKNOWN, UNKNOWN beats OK */
static const int state_rank[NAGIOS_LAST] = {
	[NAGIOS_OK] = 0,
	[NAGIOS_UNKNOWN] = 1,
	[NAGIOS_WARNING] = 2,
	[NAGIOS_CRITICAL] = 3,
};

#define NAGIOS_SHOW_PROBLEMS	3	/* named in the status line */
#define NAGIOS_TEXT_MAX		80	/* bytes of server text in a problem */

struct nagios_problem {
	enum nagios_state	 state;
	char			*text;	/* clean: no '|', no control characters */
};

/* what the tried commands of one verb said, over every host */
struct nagios_verb {
	char		 verb[8];
	size_t		 open;		/* 2xx */
	size_t		 closed;	/* a permanent refusal or 252 */
	size_t		 unclear;	/* 4xx, errors, unexpected codes */
};

struct nagios {
	size_t			 ntargets;
	size_t			 ninterrupted;
	size_t			 nhosts;	/* sessions that ran to their end */
	size_t			 nviolations;	/* definite ones */
	struct nagios_problem	*probs;
	size_t			 nprobs;
	struct nagios_verb	 verbs[PROBE_MAX_CMDS];
	size_t			 nverbs;
	char			**labels;	/* perfdata label prefixes written */
	size_t			 nlabels;
	struct buf		 perf;		/* " 'label'=value..." */
	struct buf		 lng;		/* long output lines */
};

/* server or user text, fit for the status line: no '|', no controls */
static char *
nagios_clean(const char *s, size_t max)
{
	char	*out;
	size_t	 i, len;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if (len > max)
		len = max;
	out = escape_terminal(s, len, 0);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '|')
			out[i] = '/';
	return out;
}

/* a perfdata label part: only [A-Za-z0-9._:-], anything else is '_' */
static void
nagios_label(struct buf *b, const char *s)
{
	char	 c;

	for (; s != NULL && *s != '\0'; s++) {
		c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-')
			buf_append(b, &c, 1);
		else
			buf_append(b, "_", 1);
	}
}

static struct nagios *
nagios_get(struct report *r)
{
	if (r->mon == NULL)
		r->mon = xcalloc(1, sizeof(struct nagios));
	return r->mon;
}

static void
nagios_problem(struct nagios *n, enum nagios_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* record a problem once: the same text twice (two addresses of one MX) is one */
static void
nagios_problem(struct nagios *n, enum nagios_state st, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;
	size_t	 i;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	for (i = 0; i < n->nprobs; i++) {
		if (strcmp(n->probs[i].text, text) == 0) {
			if (state_rank[st] > state_rank[n->probs[i].state])
				n->probs[i].state = st;
			free(text);
			return;
		}
	}
	n->probs = xreallocarray(n->probs, n->nprobs + 1, sizeof(*n->probs));
	n->probs[n->nprobs].state = st;
	n->probs[n->nprobs].text = text;
	n->nprobs++;
}


static void
nagios_verb(struct nagios *n, const struct cmd_result *c)
{
	struct nagios_verb	*v = NULL;
	size_t			 i;

	if (c->status == ST_NOT_TRIED)
		return;
	for (i = 0; i < n->nverbs; i++)
		if (strcmp(n->verbs[i].verb, c->verb) == 0)
			v = &n->verbs[i];
	if (v == NULL) {
		if (n->nverbs == nitems(n->verbs))
			return;		/* XXX more distinct verbs than -c allows */
		v = &n->verbs[n->nverbs++];
		snprintf(v->verb, sizeof(v->verb), "%s", c->verb);
	}
	switch (codes_status_open(c->status)) {
	case 1:
		v->open++;
		break;
	case 0:
		v->closed++;
		break;
	default:
		v->unclear++;
		break;
	}
}

/* the reply code behind a rule such as "VRFY=off" on one host, or 0 */
static int
nagios_rule_code(const struct target_result *t, const struct violation *v)
{
	const struct host_result	*h;
	size_t				 i, j, len;

	len = strcspn(v->rule, "=");
	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		if (v->address != NULL && strcmp(h->address, v->address) != 0)
			continue;
		if (v->host != NULL && (h->mx == NULL || strcmp(h->mx, v->host) != 0))
			continue;
		if (len == 8 && strncmp(v->rule, "STARTTLS", len) == 0)
			return h->tls.starttls.code;
		for (j = 0; j < h->ncmds; j++)
			if (strlen(h->cmds[j].verb) == len &&
			    strncmp(h->cmds[j].verb, v->rule, len) == 0)
				return h->cmds[j].reply.code;
	}
	return 0;
}

static void
nagios_violations(struct nagios *n, const struct target_result *t)
{
	const struct violation	*v;
	char			*who, *rule, *msg, code[16];
	size_t			 i;
	int			 rc;

	for (i = 0; i < t->nviolations; i++) {
		v = &t->violations[i];
		who = nagios_clean(v->host ? v->host : t->target, NAGIOS_TEXT_MAX);
		rule = nagios_clean(v->rule, NAGIOS_TEXT_MAX);
		msg = nagios_clean(v->message, 2 * NAGIOS_TEXT_MAX);
		code[0] = '\0';
		if ((rc = nagios_rule_code(t, v)) != 0)
			snprintf(code, sizeof(code), " (%d)", rc);
		if (v->unverified)
			nagios_problem(n, NAGIOS_WARNING, "%s: %s unverified%s",
			    who, rule, code);
		else
			nagios_problem(n, NAGIOS_CRITICAL, "%s: %s violated%s",
			    who, rule, code);
		buf_printf(&n->lng, "%s %s %s%s%s: %s\n",
		    v->unverified ? "unverified" : "violation", rule, who,
		    v->address ? " " : "", v->address ? v->address : "", msg);
		free(msg);
		free(rule);
		free(who);
	}
}

static void
nagios_findings(struct nagios *n, const struct report *r,
    const struct target_result *t)
{
	const struct finding	*f;
	char			*who, *id, *msg;
	size_t			 i;

	for (i = 0; i < t->nfindings; i++) {
		f = &t->findings[i];
		who = nagios_clean(f->host ? f->host : t->target, NAGIOS_TEXT_MAX);
		id = nagios_clean(f->id, NAGIOS_TEXT_MAX);
		msg = nagios_clean(f->message, 2 * NAGIOS_TEXT_MAX);
		/* the certificate check below names expiry with its own words */
		if (f->severity == SEV_HIGH && strncmp(f->id, "cert-expir", 10) != 0 &&
		    r->nagios_high != 0)
			nagios_problem(n, r->nagios_high == 2 ? NAGIOS_CRITICAL :
			    NAGIOS_WARNING, "%s: %s", who, id);
		buf_printf(&n->lng, "finding %s %s %s%s%s: %s\n",
		    severity_name(f->severity), id, who,
		    f->address ? " " : "", f->address ? f->address : "", msg);
		free(msg);
		free(id);
		free(who);
	}
}

/*
 * --baseline: a regression is a problem of the --baseline-regression
 * state, named in the status line; every change is a long-output line
 */
static void
nagios_changes(struct nagios *n, const struct report *r,
    const struct target_result *t)
{
	const struct change	*c;
	char			*who, *text, *line;
	size_t			 i;

	who = nagios_clean(t->target, NAGIOS_TEXT_MAX);
	for (i = 0; i < t->nchanges; i++) {
		c = &t->changes[i];
		text = change_text(c);
		line = nagios_clean(text, 2 * NAGIOS_TEXT_MAX);
		if (c->severity == CHG_SEV_REGRESSION && r->baseline_regression != 0)
			nagios_problem(n, r->baseline_regression == 2 ?
			    NAGIOS_CRITICAL : NAGIOS_WARNING, "%s: %s", who, line);
		buf_printf(&n->lng, "change %s %s: %s\n",
		    change_severity_name(c->severity), who, line);
		free(line);
		free(text);
	}
	free(who);
}

static void
nagios_cert(struct nagios *n, const struct report *r, const struct host_result *h)
{
	enum nagios_state	 st;
	struct dane_verdict	 v;
	long			 d = h->tls.cert.days_left;
	char			*who;

	if (!h->tls.ok || !h->tls.have_cert)
		return;
	/* RFC 7672 3.1.1: under a DANE-EE match the dates do not count */
	dane_judge(&h->tls, &v);
	if (!v.dates_judged)
		return;
	if (d < 0 || d < r->cert_crit_days)
		st = NAGIOS_CRITICAL;
	else if (d < r->cert_warn_days)
		st = NAGIOS_WARNING;
	else
		return;
	who = nagios_clean(h->mx ? h->mx : h->address, NAGIOS_TEXT_MAX);
	if (d < 0)
		nagios_problem(n, st, "%s: cert expired %ld day%s ago", who, -d,
		    d == -1 ? "" : "s");
	else if (d == 0)
		nagios_problem(n, st, "%s: cert expires today", who);
	else
		nagios_problem(n, st, "%s: cert expires in %ld day%s", who, d,
		    d == 1 ? "" : "s");
	free(who);
}

static void	nagios_delivery(struct nagios *, const struct target_result *,
		    const char *);

/* one perfdata item: 'prefix_name'=value[uom];warn;crit;min */
static void
nagios_perf(struct nagios *n, const char *prefix, const char *name, long value,
    const char *uom, const char *thresholds)
{
	buf_printf(&n->perf, " '%s_%s'=%ld%s;%s", prefix, name, value, uom,
	    thresholds);
}

/* "W;C;0" for perfdata (empty where no threshold is set) */
static void
nagios_thresholds(char *th, size_t len, int warn_ms, int crit_ms)
{
	char	 w[16] = "", c[16] = "";

	if (warn_ms > 0)
		snprintf(w, sizeof(w), "%d", warn_ms);
	if (crit_ms > 0)
		snprintf(c, sizeof(c), "%d", crit_ms);
	snprintf(th, len, "%s;%s;0", w, c);
}

/*
 * nagios_times - check_smtp's -w/-c: a greeting or a whole session that
 * took longer than its threshold is a problem of that state
 */
static void
nagios_times(struct nagios *n, const struct report *r,
    const struct host_result *h)
{
	char	*who = nagios_clean(h->mx != NULL ? h->mx : h->address,
	    NAGIOS_TEXT_MAX);

	if (h->banner.code != 0) {
		if (r->banner_crit_ms > 0 && h->banner.ms >= r->banner_crit_ms)
			nagios_problem(n, NAGIOS_CRITICAL, "%s %s: greeting after "
			    "%ld ms", who, h->address, h->banner.ms);
		else if (r->banner_warn_ms > 0 && h->banner.ms >= r->banner_warn_ms)
			nagios_problem(n, NAGIOS_WARNING, "%s %s: greeting after "
			    "%ld ms", who, h->address, h->banner.ms);
	}
	if (h->connect.ok) {
		if (r->session_crit_ms > 0 && h->duration_ms >= r->session_crit_ms)
			nagios_problem(n, NAGIOS_CRITICAL, "%s %s: session took "
			    "%ld ms", who, h->address, h->duration_ms);
		else if (r->session_warn_ms > 0 &&
		    h->duration_ms >= r->session_warn_ms)
			nagios_problem(n, NAGIOS_WARNING, "%s %s: session took "
			    "%ld ms", who, h->address, h->duration_ms);
	}
	free(who);
}

static void
nagios_host_perf(struct nagios *n, const struct report *r,
    const struct host_result *h)
{
	struct buf	 label = { 0 };
	char		 th[64];
	size_t		 i;

	nagios_label(&label, h->mx ? h->mx : h->address);
	buf_append(&label, "_", 1);
	nagios_label(&label, h->address);
	/* two targets sharing an MX: one set of perfdata per address */
	for (i = 0; i < n->nlabels; i++) {
		if (strcmp(n->labels[i], label.data) == 0) {
			buf_free(&label);
			return;
		}
	}
	n->labels = xreallocarray(n->labels, n->nlabels + 1, sizeof(*n->labels));
	n->labels[n->nlabels++] = xstrdup(label.data);

	if (h->connect.ok)
		nagios_perf(n, label.data, "connect", h->connect.ms, "ms", ";;0");
	if (h->banner.code != 0) {
		nagios_thresholds(th, sizeof(th), r->banner_warn_ms,
		    r->banner_crit_ms);
		nagios_perf(n, label.data, "banner", h->banner.ms, "ms", th);
	}
	if (h->ehlo.reply.code != 0)
		nagios_perf(n, label.data, "ehlo", h->ehlo.reply.ms, "ms", ";;0");
	if (h->tls.ok)
		nagios_perf(n, label.data, "tls_handshake", h->tls.handshake_ms,
		    "ms", ";;0");
	if (h->connect.ok) {
		nagios_thresholds(th, sizeof(th), r->session_warn_ms,
		    r->session_crit_ms);
		nagios_perf(n, label.data, "session", h->duration_ms, "ms", th);
	}
	if (h->tls.ok && h->tls.have_cert) {
		/*
		 * Guidelines, thresholds: "N:" alerts below N, which is
		 * what a certificate needs; a bare "N" would alert above
		 * it.  No min: an expired certificate goes negative.
		 */
		snprintf(th, sizeof(th), "%d:;%d:", r->cert_warn_days,
		    r->cert_crit_days);
		nagios_perf(n, label.data, "cert_days", h->tls.cert.days_left, "",
		    th);
	}
	buf_free(&label);
}

/* the long output line of one host: where, codes, TLS, commands */
static void
nagios_host_line(struct nagios *n, const struct host_result *h)
{
	char	*mx, *err;
	size_t	 i;

	mx = nagios_clean(h->mx ? h->mx : "", NAGIOS_TEXT_MAX);
	if (strchr(h->address, ':') != NULL)
		buf_printf(&n->lng, "%s [%s]:%u", mx, h->address, (unsigned)h->port);
	else
		buf_printf(&n->lng, "%s %s:%u", mx, h->address, (unsigned)h->port);
	if (!h->connect.ok) {
		err = nagios_clean(h->connect.error ? h->connect.error :
		    h->error, 2 * NAGIOS_TEXT_MAX);
		buf_printf(&n->lng, " connect failed: %s\n", err);
		free(err);
		free(mx);
		return;
	}
	if (h->banner.code != 0)
		buf_printf(&n->lng, " banner=%d", h->banner.code);
	if (h->ehlo.used_helo)
		buf_printf(&n->lng, " HELO=%d", h->ehlo.helo_reply.code);
	else if (h->ehlo.reply.code != 0)
		buf_printf(&n->lng, " EHLO=%d", h->ehlo.reply.code);
	if (h->tls.attempted) {
		if (h->tls.ok) {
			char	*v = nagios_clean(h->tls.version ?
			    h->tls.version : "TLS", 32);

			buf_printf(&n->lng, " %s", v);
			free(v);
		} else
			buf_printf(&n->lng, " TLS=failed");
	} else if (h->tls.offered)
		buf_printf(&n->lng, " STARTTLS=not_used");
	for (i = 0; i < h->ncmds; i++) {
		const struct cmd_result	*c = &h->cmds[i];
		char			*verb = nagios_clean(c->verb, sizeof(c->verb));

		if (c->reply.code != 0)
			buf_printf(&n->lng, " %s=%d", verb, c->reply.code);
		else
			buf_printf(&n->lng, " %s=%s", verb, status_name(c->status));
		free(verb);
	}
	if (h->fail != PROBE_F_NONE) {
		err = nagios_clean(h->error, 2 * NAGIOS_TEXT_MAX);
		buf_printf(&n->lng, " (%s: %s)", probe_fail_name(h->fail), err);
		free(err);
	}
	buf_append(&n->lng, "\n", 1);
	free(mx);
}

/* the first error of t or its hosts, cleaned, or NULL; free() it */
static char *
nagios_target_error(const struct target_result *t)
{
	size_t	 i;

	if (t->error != NULL)
		return nagios_clean(t->error, NAGIOS_TEXT_MAX);
	for (i = 0; i < t->nhosts; i++)
		if (t->hosts[i].error != NULL)
			return nagios_clean(t->hosts[i].error, NAGIOS_TEXT_MAX);
	return NULL;
}

/*
 * report_nagios_unknown - the run itself went wrong (the target list
 * could not be read to its end): UNKNOWN, whatever the targets said
 */
void
report_nagios_unknown(struct report *r, const char *what)
{
	struct nagios	*n = nagios_get(r);
	char		*text = nagios_clean(what, NAGIOS_TEXT_MAX);

	nagios_problem(n, NAGIOS_UNKNOWN, "%s", text);
	free(text);
}

/*
 * report_nagios_add - take in one target for the Nagios result
 *
 * Copies what the status line, perfdata and long output need; t is not
 * kept.
 */
void
report_nagios_add(struct report *r, const struct target_result *t)
{
	struct nagios			*n = nagios_get(r);
	const struct host_result	*h;
	char				*who, *err;
	size_t				 i, j;

	n->ntargets++;
	n->nviolations += result_violations(t);
	who = nagios_clean(t->target, NAGIOS_TEXT_MAX);
	if (t->interrupted)
		n->ninterrupted++;
	switch (result_target_outcome(t)) {
	case OUTCOME_OK:
	case OUTCOME_NULL_MX:
		break;
	case OUTCOME_INTERRUPTED:
		/* our own SIGINT/SIGTERM says nothing about the server */
		nagios_problem(n, NAGIOS_UNKNOWN, "%s: interrupted", who);
		break;
	case OUTCOME_TEMPORARY:
		/* as check_smtp: a busy server is WARNING, not OK */
		err = nagios_target_error(t);
		nagios_problem(n, NAGIOS_WARNING, "%s: not probed (%s)", who,
		    err ? err : "temporary answers only");
		free(err);
		break;
	default:
		err = nagios_target_error(t);
		nagios_problem(n, NAGIOS_CRITICAL, "%s: not probed (%s)", who,
		    err ? err : "no host completed a session");
		free(err);
		break;
	}
	if (t->error != NULL) {
		err = nagios_clean(t->error, 2 * NAGIOS_TEXT_MAX);
		buf_printf(&n->lng, "%s: %s\n", who, err);
		free(err);
	}
	if (t->dns.null_mx)
		buf_printf(&n->lng, "%s: null MX (RFC 7505), accepts no mail\n", who);
	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		if (result_host_probed(h))
			n->nhosts++;
		for (j = 0; j < h->ncmds; j++)
			nagios_verb(n, &h->cmds[j]);
		nagios_cert(n, r, h);
		nagios_host_perf(n, r, h);
		nagios_times(n, r, h);
		nagios_host_line(n, h);
	}
	nagios_delivery(n, t, who);
	nagios_violations(n, t);
	nagios_findings(n, r, t);
	nagios_changes(n, r, t);
	free(who);
}

/*
 * A domain's delivery verdicts (delivery.c) as perfdata, 1 delivers, 0
 * not, -1 unknown: DOMAIN_delivery_dane=1;;;-1;1, and one long line.
 */
static void
nagios_delivery(struct nagios *n, const struct target_result *t, const char *who)
{
	struct delivery_verdict	 v;
	struct buf		 label = { 0 };
	char			 name[32], *dash;
	int			 i;

	if (t->kind != TARGET_DOMAIN)
		return;
	nagios_label(&label, t->target);
	buf_printf(&n->lng, "%s: delivery", who);
	for (i = 0; i < DELIVERY_LAST; i++) {
		const char	*s = delivery_sender_name((enum delivery_sender)i);

		delivery_judge(t, (enum delivery_sender)i, &v);
		snprintf(name, sizeof(name), "delivery_%s", s);
		if ((dash = strchr(name, '-')) != NULL)
			*dash = '_';	/* "mta-sts" -> "delivery_mta_sts" */
		nagios_perf(n, label.data, name, v.delivers, "", ";;-1;1");
		buf_printf(&n->lng, "%s %s %s", i > 0 ? "," : "", s,
		    v.delivers == 1 ? "yes" : v.delivers == 0 ? "no" : "unknown");
	}
	buf_append(&n->lng, "\n", 1);
	buf_free(&label);
}

/* "VRFY/EXPN/TURN closed, ETRN open" from the verbs seen */
static void
nagios_summary_verbs(struct buf *b, const struct nagios *n)
{
	static const char	*what[] = { "closed", "open", "unclear" };
	size_t			 i, k, seen;
	int			 kind;

	for (k = 0; k < nitems(what); k++) {
		seen = 0;
		for (i = 0; i < n->nverbs; i++) {
			const struct nagios_verb	*v = &n->verbs[i];

			if (v->open > 0)
				kind = 1;
			else if (v->unclear > 0)
				kind = 2;
			else
				kind = 0;
			if ((size_t)kind != k)
				continue;
			buf_printf(b, "%s%s", seen == 0 ? ", " : "/", v->verb);
			seen++;
		}
		if (seen > 0)
			buf_printf(b, " %s", what[k]);
	}
}

static void
nagios_free(struct nagios *n)
{
	size_t	 i;

	for (i = 0; i < n->nprobs; i++)
		free(n->probs[i].text);
	free(n->probs);
	for (i = 0; i < n->nlabels; i++)
		free(n->labels[i]);
	free(n->labels);
	buf_free(&n->perf);
	buf_free(&n->lng);
	free(n);
}

/*
 * report_nagios_end - write the plugin output; returns the state
 *
 * CRITICAL: a target could not be probed, a definite policy violation,
 * or a certificate that expired or has fewer than cert_crit_days left.
 * WARNING: a high-severity finding, a rule that could not be verified,
 * fewer than cert_warn_days left.  UNKNOWN: no targets, or nothing worse
 * than targets cut short by a signal.  Frees what report_nagios_add()
 * collected.
 */
int
report_nagios_end(struct report *r)
{
	static const enum nagios_state	 order[] = {
		NAGIOS_CRITICAL, NAGIOS_WARNING, NAGIOS_UNKNOWN
	};
	struct nagios			*n = nagios_get(r);
	struct buf			 text = { 0 };
	enum nagios_state		 st = NAGIOS_OK;
	size_t				 i, k, shown;

	for (i = 0; i < n->nprobs; i++)
		if (state_rank[n->probs[i].state] > state_rank[st])
			st = n->probs[i].state;
	if (n->ntargets == 0 || n->ninterrupted == n->ntargets)
		if (state_rank[st] < state_rank[NAGIOS_UNKNOWN])
			st = NAGIOS_UNKNOWN;

	if (n->ntargets == 0)
		buf_printf(&text, "no targets");
	else if (st == NAGIOS_OK) {
		if (n->ntargets > 1)
			buf_printf(&text, "%zu targets, ", n->ntargets);
		buf_printf(&text, "%zu host%s probed", n->nhosts,
		    n->nhosts == 1 ? "" : "s");
		nagios_summary_verbs(&text, n);
	} else {
		/* the worst problems first: CRITICAL, WARNING, UNKNOWN */
		shown = 0;
		for (k = 0; k < nitems(order); k++) {
			for (i = 0; i < n->nprobs; i++) {
				if (n->probs[i].state != order[k])
					continue;
				if (shown < NAGIOS_SHOW_PROBLEMS)
					buf_printf(&text, "%s%s",
					    shown > 0 ? ", " : "",
					    n->probs[i].text);
				shown++;
			}
		}
		if (shown > NAGIOS_SHOW_PROBLEMS)
			buf_printf(&text, " (%zu more)", shown - NAGIOS_SHOW_PROBLEMS);
		if (shown == 0)
			buf_printf(&text, "every target was interrupted");
	}
	fprintf(r->out, "SMTPPROBE %s - %s | 'targets'=%zu;;;0 'hosts_probed'=%zu;;;0 "
	    "'violations'=%zu;;;0%s\n", strstate[st], text.data, n->ntargets,
	    n->nhosts, n->nviolations, n->perf.data ? n->perf.data : "");
	if (n->lng.len > 0)
		fputs(n->lng.data, r->out);
	buf_free(&text);
	nagios_free(n);
	r->mon = NULL;
	return (int)st;
}
