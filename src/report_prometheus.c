/* SPDX-License-Identifier: ISC */
/*
 * report_prometheus - the Prometheus text exposition format, version
 * 0.0.4, for node_exporter's textfile collector (or any file-based
 * scrape).
 *
 * The format wants every sample of a metric family in one group, right
 * after its "# HELP" and "# TYPE" lines, so report_prometheus_add()
 * writes each sample into its family's buffer and
 * report_prometheus_end() writes the families in a fixed order.  All
 * metrics are gauges.  Label values escape backslash, double quote and
 * newline, and are made valid UTF-8 (the format requires it).
 *
 * A series must not appear twice: node_exporter refuses the whole file
 * then.  A target given twice, or an address probed twice within a
 * target, is written once (the first time).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codes.h"
#include "dane.h"
#include "escape.h"
#include "log.h"
#include "delivery.h"
#include "report.h"
#include "result.h"
#include "util.h"

enum prom_family {
	PM_UP,
	PM_REPLY_CODE,
	PM_STATUS,
	PM_OPEN,
	PM_TLS_VERSION,
	PM_TLS_OK,
	PM_CERT_EXPIRY,
	PM_CERT_VALID,
	PM_CONNECT,
	PM_SESSION,
	PM_TARGET_WALL,
	PM_FINDINGS,
	PM_FINDING,
	PM_VIOLATIONS,
	PM_FAILED,
	PM_CHANGES,
	PM_REGRESSIONS,
	PM_DELIVERY,
	PM_LAST_RUN,
	PM_LAST
};

static const struct {
	const char	*name;
	const char	*help;
} prom_families[PM_LAST] = {
	[PM_UP] = { "smtpprobe_up",
	    "1 if this address was probed (220 greeting, session ran to its end)" },
	[PM_REPLY_CODE] = { "smtpprobe_command_reply_code",
	    "Reply code to the command, 0 if there was none" },
	[PM_STATUS] = { "smtpprobe_command_status",
	    "Always 1; the status label says what the reply means" },
	[PM_OPEN] = { "smtpprobe_command_open",
	    "1 the command works (VRFY/EXPN disclose), 0 closed, -1 unknown (4xx, error, not tried)" },
	[PM_TLS_VERSION] = { "smtpprobe_tls_version",
	    "Negotiated TLS version (1.3, 1.2 ...), 0 without TLS" },
	[PM_TLS_OK] = { "smtpprobe_tls_handshake_ok",
	    "1 if the TLS handshake completed" },
	[PM_CERT_EXPIRY] = { "smtpprobe_cert_expiry_timestamp_seconds",
	    "notAfter of the server certificate, seconds since the epoch" },
	[PM_CERT_VALID] = { "smtpprobe_cert_valid",
	    "1 if chain, name and dates are valid as the DANE rule judges them "
	    "(RFC 7672 3.1: a DANE-EE match supersedes all three)" },
	[PM_CONNECT] = { "smtpprobe_connect_seconds",
	    "Time to establish the TCP connection" },
	[PM_SESSION] = { "smtpprobe_session_duration_seconds",
	    "Time of the SMTP session with this address, connect to close" },
	[PM_TARGET_WALL] = { "smtpprobe_target_wall_seconds",
	    "From admission to the record: DNS, waits for a slot (-P, --per-ip, --rate) and sessions" },
	[PM_FINDINGS] = { "smtpprobe_findings",
	    "Number of findings by severity" },
	[PM_FINDING] = { "smtpprobe_finding",
	    "Number of findings with this id (labels id and severity)" },
	[PM_VIOLATIONS] = { "smtpprobe_policy_violations",
	    "Number of definite --expect policy violations" },
	[PM_FAILED] = { "smtpprobe_target_failed",
	    "1 if no address of the target was probed (554, unreachable, 421, DNS failure)" },
	[PM_CHANGES] = { "smtpprobe_changes",
	    "Number of changes of this kind since the --baseline run (kinds with none are left out)" },
	[PM_REGRESSIONS] = { "smtpprobe_regressions",
	    "Number of changes since the --baseline run that are regressions" },
	[PM_DELIVERY] = { "smtpprobe_delivery",
	    "1 a sender of this kind (opportunistic, dane, mta-sts) would deliver, 0 it would not, -1 unknown" },
	[PM_LAST_RUN] = { "smtpprobe_last_run_timestamp_seconds",
	    "When this smtpprobe run finished, seconds since the epoch" },
};

/* a set of strings, open addressing (series already written) */
struct prom_set {
	char	**slot;
	size_t	 size;		/* a power of two, or 0 */
	size_t	 used;
};

struct prom {
	struct buf	 fam[PM_LAST];
	struct prom_set	 seen;
};

static uint64_t
prom_hash(const char *s, size_t len)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* add key (len bytes, may hold NULs); returns 0 if it was already there */
static int
prom_set_add(struct prom_set *set, const char *key, size_t len)
{
	char	**old;
	size_t	 i, oldsize, mask;

	if (set->used * 2 >= set->size) {
		old = set->slot;
		oldsize = set->size;
		set->size = oldsize ? oldsize * 2 : 64;
		set->slot = xcalloc(set->size, sizeof(*set->slot));
		set->used = 0;
		for (i = 0; i < oldsize; i++) {
			if (old[i] != NULL) {
				size_t	 klen;

				memcpy(&klen, old[i], sizeof(klen));
				prom_set_add(set, old[i] + sizeof(klen), klen);
				free(old[i]);
			}
		}
		free(old);
	}
	mask = set->size - 1;
	for (i = prom_hash(key, len) & mask; set->slot[i] != NULL; i = (i + 1) & mask) {
		size_t	 klen;

		memcpy(&klen, set->slot[i], sizeof(klen));
		if (klen == len && memcmp(set->slot[i] + sizeof(klen), key, len) == 0)
			return 0;
	}
	/* stored as the length, then the bytes */
	set->slot[i] = xmalloc(sizeof(len) + len);
	memcpy(set->slot[i], &len, sizeof(len));
	memcpy(set->slot[i] + sizeof(len), key, len);
	set->used++;
	return 1;
}

static void
prom_set_free(struct prom_set *set)
{
	size_t	 i;

	for (i = 0; i < set->size; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

/* name="value", the value escaped for the exposition format */
static void
prom_label(struct buf *b, const char *name, const char *value)
{
	char	*u, *p;

	u = escape_utf8(value, value ? strlen(value) : 0);
	buf_printf(b, "%s%s=\"", b->len > 0 ? "," : "", name);
	for (p = u; *p != '\0'; p++) {
		if (*p == '\\')
			buf_append(b, "\\\\", 2);
		else if (*p == '"')
			buf_append(b, "\\\"", 2);
		else if (*p == '\n')
			buf_append(b, "\\n", 2);
		else
			buf_append(b, p, 1);
	}
	buf_append(b, "\"", 1);
	free(u);
}

static void
prom_sample(struct prom *p, enum prom_family f, const char *labels,
    const char *value)
{
	buf_printf(&p->fam[f], "%s{%s} %s\n", prom_families[f].name, labels, value);
}

static void
prom_sample_long(struct prom *p, enum prom_family f, const char *labels, long v)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%ld", v);
	prom_sample(p, f, labels, s);
}

/* milliseconds as seconds, exactly */
static void
prom_sample_ms(struct prom *p, enum prom_family f, const char *labels, long ms)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%s%ld.%03ld", ms < 0 ? "-" : "",
	    labs(ms) / 1000, labs(ms) % 1000);
	prom_sample(p, f, labels, s);
}

/* "TLSv1.3" -> "1.3", "TLSv1" -> "1.0"; anything else "0" */
static void
prom_tls_version(const char *v, char *out, size_t outlen)
{
	unsigned	 maj, min;
	char		 rest;

	snprintf(out, outlen, "0");
	if (v == NULL || strncmp(v, "TLSv", 4) != 0)
		return;
	if (sscanf(v + 4, "%1u.%1u%c", &maj, &min, &rest) == 2)
		snprintf(out, outlen, "%u.%u", maj, min);
	else if (sscanf(v + 4, "%1u%c", &maj, &rest) == 1)
		snprintf(out, outlen, "%u.0", maj);
}

/* RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" as UNIX time; -1 if it is not one */
static int
prom_rfc3339(const char *s, time_t *out)
{
	struct tm	 tm;
	int		 n = 0;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 20 || s[n] != '\0')
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

static void
prom_host(struct prom *p, const struct target_result *t,
    const struct host_result *h)
{
	struct buf	 hl = { 0 }, cl = { 0 }, sl = { 0 }, key = { 0 };
	struct dane_verdict dv;
	char		 v[16];
	time_t		 exp;
	size_t		 i;

	/* one series per (target, mx, address) */
	buf_printf(&key, "%s%c%s%c%s", t->target, '\0', h->mx ? h->mx : "", '\0',
	    h->address);
	if (!prom_set_add(&p->seen, key.data, key.len)) {
		buf_free(&key);
		return;
	}
	buf_free(&key);

	prom_label(&hl, "target", t->target);
	prom_label(&hl, "mx", h->mx ? h->mx : "");
	prom_label(&hl, "address", h->address);

	prom_sample(p, PM_UP, hl.data, result_host_probed(h) ? "1" : "0");
	for (i = 0; i < h->ncmds; i++) {
		const struct cmd_result	*c = &h->cmds[i];

		cl.len = 0;
		buf_append(&cl, hl.data, hl.len);
		prom_label(&cl, "command", c->verb);
		prom_sample_long(p, PM_REPLY_CODE, cl.data, c->reply.code);
		/*
		 * One series a command, the status as a label value: a
		 * one-hot family would be 13 series a command a host.
		 */
		sl.len = 0;
		buf_append(&sl, cl.data, cl.len);
		prom_label(&sl, "status", status_name(c->status));
		prom_sample(p, PM_STATUS, sl.data, "1");
		prom_sample_long(p, PM_OPEN, cl.data, codes_status_open(c->status));
	}
	prom_tls_version(h->tls.ok ? h->tls.version : NULL, v, sizeof(v));
	prom_sample(p, PM_TLS_VERSION, hl.data, v);
	prom_sample(p, PM_TLS_OK, hl.data, h->tls.ok ? "1" : "0");
	if (h->tls.have_cert) {
		if (prom_rfc3339(h->tls.cert.not_after, &exp) == 0) {
			snprintf(v, sizeof(v), "%lld", (long long)exp);
			prom_sample(p, PM_CERT_EXPIRY, hl.data, v);
		}
		dane_judge(&h->tls, &dv);
		prom_sample(p, PM_CERT_VALID, hl.data, dv.chain_ok && dv.name_ok &&
		    dv.dates_ok ? "1" : "0");
	}
	if (h->connect.ok)
		prom_sample_ms(p, PM_CONNECT, hl.data, h->connect.ms);
	prom_sample_ms(p, PM_SESSION, hl.data, h->duration_ms);
	buf_free(&sl);
	buf_free(&cl);
	buf_free(&hl);
}

/*
 * prom_findings_by_id - smtpprobe_finding{target,id,severity} = how many
 * findings of that id the target has: alerts can be written on an id.
 * The ids come from findings.c's fixed table, so the series are bounded
 * by (targets x ids).  Quadratic in the findings of one target, which
 * are few.
 */
static void
prom_findings_by_id(struct prom *p, const struct target_result *t,
    const char *tlabels)
{
	struct buf	 l = { 0 };
	size_t		 i, j, n;

	for (i = 0; i < t->nfindings; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(t->findings[j].id, t->findings[i].id) == 0)
				break;
		if (j < i)
			continue;	/* counted with its first */
		for (n = 0, j = i; j < t->nfindings; j++)
			if (strcmp(t->findings[j].id, t->findings[i].id) == 0)
				n++;
		l.len = 0;
		buf_append(&l, tlabels, strlen(tlabels));
		prom_label(&l, "id", t->findings[i].id);
		prom_label(&l, "severity", severity_name(t->findings[i].severity));
		prom_sample_long(p, PM_FINDING, l.data, (long)n);
	}
	buf_free(&l);
}

/*
 * prom_changes - --baseline: smtpprobe_changes{target,kind} for each kind
 * of change the target has (a fixed set: bounded series), and
 * smtpprobe_regressions{target}, for every target compared
 */
static void
prom_changes(struct prom *p, const struct target_result *t, const char *tlabels)
{
	struct buf	 l = { 0 };
	size_t		 i, n[CHG_LAST] = { 0 };
	int		 k;

	if (t->baseline <= 0)
		return;
	for (i = 0; i < t->nchanges; i++)
		if ((unsigned)t->changes[i].kind < CHG_LAST)
			n[t->changes[i].kind]++;
	for (k = 0; k < CHG_LAST; k++) {
		if (n[k] == 0)
			continue;
		l.len = 0;
		buf_append(&l, tlabels, strlen(tlabels));
		prom_label(&l, "kind", change_kind_name((enum change_kind)k));
		prom_sample_long(p, PM_CHANGES, l.data, (long)n[k]);
	}
	prom_sample_long(p, PM_REGRESSIONS, tlabels, (long)result_regressions(t));
	buf_free(&l);
}

/*
 * report_prometheus_add - collect the samples of one target
 *
 * t is not kept.  A target already collected in this run is skipped:
 * its series would be duplicates.
 */
void
report_prometheus_add(struct report *r, const struct target_result *t)
{
	struct prom	*p;
	struct buf	 tl = { 0 }, sl = { 0 };
	size_t		 i, counts[SEV_HIGH + 1] = { 0 };
	int		 sev;

	if (r->mon == NULL)
		r->mon = xcalloc(1, sizeof(struct prom));
	p = r->mon;
	/* a leading NUL keeps target keys apart from host keys */
	buf_append(&tl, "", 1);
	buf_append(&tl, t->target, strlen(t->target));
	if (!prom_set_add(&p->seen, tl.data, tl.len)) {
		buf_free(&tl);
		return;
	}
	tl.len = 0;
	prom_label(&tl, "target", t->target);

	for (i = 0; i < t->nhosts; i++)
		prom_host(p, t, &t->hosts[i]);
	prom_sample_ms(p, PM_TARGET_WALL, tl.data, t->duration_ms);
	for (i = 0; i < t->nfindings; i++)
		if ((unsigned)t->findings[i].severity <= SEV_HIGH)
			counts[t->findings[i].severity]++;
	for (sev = SEV_INFO; sev <= SEV_HIGH; sev++) {
		sl.len = 0;
		buf_append(&sl, tl.data, tl.len);
		prom_label(&sl, "severity", severity_name((enum finding_severity)sev));
		prom_sample_long(p, PM_FINDINGS, sl.data, (long)counts[sev]);
	}
	prom_findings_by_id(p, t, tl.data);
	prom_sample_long(p, PM_VIOLATIONS, tl.data, (long)result_violations(t));
	prom_sample(p, PM_FAILED, tl.data, result_target_failed(t) ? "1" : "0");
	prom_changes(p, t, tl.data);
	for (sev = 0; t->kind == TARGET_DOMAIN && sev < DELIVERY_LAST; sev++) {
		struct delivery_verdict	 v;

		delivery_judge(t, (enum delivery_sender)sev, &v);
		sl.len = 0;
		buf_append(&sl, tl.data, tl.len);
		prom_label(&sl, "sender", delivery_sender_name((enum delivery_sender)sev));
		prom_sample_long(p, PM_DELIVERY, sl.data, v.delivers);
	}
	buf_free(&sl);
	buf_free(&tl);
}

/*
 * report_prometheus_end - write every family once, HELP and TYPE first
 *
 * Families without samples are left out, except the run timestamp,
 * which is always there (wall clock at this call).  Frees what
 * report_prometheus_add() collected.
 */
void
report_prometheus_end(struct report *r)
{
	struct prom	*p;
	struct timespec	 now;
	size_t		 f;

	if (r->mon == NULL)
		r->mon = xcalloc(1, sizeof(struct prom));
	p = r->mon;
	clock_gettime(CLOCK_REALTIME, &now);
	buf_printf(&p->fam[PM_LAST_RUN], "%s %lld.%03ld\n",
	    prom_families[PM_LAST_RUN].name, (long long)now.tv_sec,
	    now.tv_nsec / 1000000);
	for (f = 0; f < PM_LAST; f++) {
		if (p->fam[f].len == 0)
			continue;
		fprintf(r->out, "# HELP %s %s\n# TYPE %s gauge\n",
		    prom_families[f].name, prom_families[f].help,
		    prom_families[f].name);
		fwrite(p->fam[f].data, 1, p->fam[f].len, r->out);
	}
	for (f = 0; f < PM_LAST; f++)
		buf_free(&p->fam[f]);
	prom_set_free(&p->seen);
	free(p);
	r->mon = NULL;
}
