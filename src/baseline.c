/* SPDX-License-Identifier: ISC */
/*
 * baseline - --baseline FILE: what changed since an earlier run.  See
 * baseline.h.
 *
 * Both sides are read from their JSON form (the baseline from the file,
 * this run from report_json_target()), by the same digest functions, so
 * that a value cannot mean one thing on one side and another on the
 * other.  Every json_t made here is freed here, before the report of the
 * target is written.
 *
 * Each kind of change has its own function, and each decides severity
 * from what the rest of smtpprobe already decides: a command is open or
 * closed as codes_status_open() says (RFC 5321 7.3: VRFY/EXPN disclose
 * mailboxes), a finding counts as its own severity says (findings.c).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "baseline.h"
#include "codes.h"
#include "i18n.h"
#include "log.h"
#include "report.h"
#include "result.h"
#include "util.h"

#define BL_BUCKETS_MIN	1024	/* doubled when there are more targets */
#define BL_MAX_SAY	5	/* targets named in a stderr message */

struct bl_cmd {
	char		*verb;
	char		*status;
};

/* one host (address and port) of a target, as comparison needs it */
struct bl_host {
	char		*mx;
	char		*address;
	long long	 port;
	int		 reachable;	/* connect.ok */
	char		*connect_error;
	const char	*tls;		/* static: "ok", "failed", "not offered" ... */
	char		*tls_version;
	char		*sha256;
	char		*issuer;
	char		*not_after;
	char		*tlsa;		/* the records, sorted, one string; NULL: none */
	char		*dane_state;
	int		 dane_auth;
	char		**exts;		/* EHLO keywords (first EHLO), upper case */
	size_t		 nexts;
	struct bl_cmd	*cmds;
	size_t		 ncmds;
};

struct bl_mx {
	char		*host;
	char		**addrs;
	size_t		 naddrs;
};

struct bl_finding {
	char		*id;
	char		*host;
	char		*address;
	char		*severity;
};

struct bl_target {
	char		*target;
	char		*started;
	char		*error;		/* why the target was not probed */
	struct bl_mx	*mx;
	size_t		 nmx;
	struct bl_host	*hosts;
	size_t		 nhosts;
	struct bl_finding *findings;
	size_t		 nfindings;
	int		 seen;		/* this run has the target */
	struct bl_target *next;		/* hash chain */
};

struct baseline {
	char		*path;
	char		*time;		/* run "started", or the earliest target's */
	char		*error;
	struct bl_target **buckets;	/* hash chains */
	size_t		 nbuckets;	/* a power of two */
	struct bl_target **order;	/* every target, in the file's order */
	size_t		 nrecords;
	size_t		 nskipped;
	size_t		 ncompared;
	size_t		 nnew;
	char		*new_say[BL_MAX_SAY];
	const char	**missing;
	size_t		 nmissing;
};

/* ---- digest: the JSON of a target -> what comparison needs ----------- */

static char *
bl_strdup(const json_t *v)
{
	const char	*s = json_string_value(v);

	return s != NULL ? xstrdup(s) : NULL;
}

static const char *
bl_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
bl_strcmp_cb(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a JSON array of strings -> a sorted array (a set: order is not a change) */
static char **
bl_strings(const json_t *arr, size_t *n)
{
	char	**v;
	size_t	 i, k = 0;

	*n = 0;
	if (json_array_size(arr) == 0)
		return NULL;
	v = xcalloc(json_array_size(arr), sizeof(*v));
	for (i = 0; i < json_array_size(arr); i++)
		if (json_is_string(json_array_get(arr, i)))
			v[k++] = bl_strdup(json_array_get(arr, i));
	qsort(v, k, sizeof(*v), bl_strcmp_cb);
	*n = k;
	return v;
}

static void
bl_strings_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* the TLS outcome of a host, in words */
static const char *
bl_tls_state(const json_t *tls)
{
	if (json_is_true(json_object_get(tls, "ok")))
		return "ok";
	if (json_is_true(json_object_get(tls, "attempted")))
		return "failed";
	if (json_is_true(json_object_get(tls, "offered")))
		return "not tried";
	return "not offered";
}

/* TLSA records as one string: "3 1 1 ab..; 2 0 1 cd.." sorted, or NULL */
static char *
bl_tlsa(const json_t *dane)
{
	const json_t	*recs = json_object_get(dane, "records");
	char		**v, *s, *p;
	size_t		 i, k, n, len = 1;

	if ((n = json_array_size(recs)) == 0)
		return NULL;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		const json_t	*r = json_array_get(recs, i);
		const char	*data = bl_str(r, "data");

		v[i] = xasprintf("%lld %lld %lld %s",
		    json_integer_value(json_object_get(r, "usage")),
		    json_integer_value(json_object_get(r, "selector")),
		    json_integer_value(json_object_get(r, "matching_type")),
		    data != NULL ? data : "");
		len += strlen(v[i]) + 2;
	}
	qsort(v, n, sizeof(*v), bl_strcmp_cb);
	s = p = xmalloc(len);
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(p, "; ", 2);
			p += 2;
		}
		k = strlen(v[i]);
		memcpy(p, v[i], k);
		p += k;
	}
	*p = '\0';
	bl_strings_free(v, n);
	return s;
}

static void
bl_digest_host(struct bl_host *h, const json_t *o)
{
	const json_t	*tls = json_object_get(o, "tls");
	const json_t	*cert = json_object_get(tls, "peer_certificate");
	const json_t	*dane = json_object_get(tls, "dane");
	json_t		*exts, *cmds, *v;
	const char	*key;

	h->mx = bl_strdup(json_object_get(o, "mx"));
	h->address = bl_strdup(json_object_get(o, "address"));
	h->port = json_integer_value(json_object_get(o, "port"));
	h->reachable = json_is_true(json_object_get(json_object_get(o,
	    "connect"), "ok"));
	h->connect_error = bl_strdup(json_object_get(json_object_get(o,
	    "connect"), "error"));
	h->tls = bl_tls_state(tls);
	h->tls_version = bl_strdup(json_object_get(tls, "version"));
	h->sha256 = bl_strdup(json_object_get(cert, "sha256"));
	h->issuer = bl_strdup(json_object_get(cert, "issuer"));
	h->not_after = bl_strdup(json_object_get(cert, "not_after"));
	h->tlsa = bl_tlsa(dane);
	h->dane_state = bl_strdup(json_object_get(dane, "state"));
	h->dane_auth = json_is_true(json_object_get(dane, "authenticated"));

	exts = json_object_get(json_object_get(o, "ehlo"), "extensions");
	if (json_object_size(exts) > 0) {
		h->exts = xcalloc(json_object_size(exts), sizeof(*h->exts));
		json_object_foreach(exts, key, v) {
			char	*k = xstrdup(key), *p;

			for (p = k; *p != '\0'; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
			h->exts[h->nexts++] = k;
		}
		qsort(h->exts, h->nexts, sizeof(*h->exts), bl_strcmp_cb);
	}
	cmds = json_object_get(o, "commands");
	if (json_object_size(cmds) > 0) {
		h->cmds = xcalloc(json_object_size(cmds), sizeof(*h->cmds));
		json_object_foreach(cmds, key, v) {
			if (bl_str(v, "status") == NULL)
				continue;
			h->cmds[h->ncmds].verb = xstrdup(key);
			h->cmds[h->ncmds++].status = bl_strdup(json_object_get(v,
			    "status"));
		}
	}
}

static void
bl_host_clear(struct bl_host *h)
{
	size_t	 i;

	free(h->mx);
	free(h->address);
	free(h->connect_error);
	free(h->tls_version);
	free(h->sha256);
	free(h->issuer);
	free(h->not_after);
	free(h->tlsa);
	free(h->dane_state);
	bl_strings_free(h->exts, h->nexts);
	for (i = 0; i < h->ncmds; i++) {
		free(h->cmds[i].verb);
		free(h->cmds[i].status);
	}
	free(h->cmds);
}

/* a digest of a target object; NULL (with why) if it is not one */
static struct bl_target *
bl_digest(const json_t *o, const char **why)
{
	struct bl_target	*t;
	const json_t		*mx, *hosts, *fs;
	const char		*schema;
	size_t			 i;

	if (!json_is_object(o)) {
		*why = N_("that is not a JSON object");
		return NULL;
	}
	if ((schema = bl_str(o, "schema")) == NULL ||
	    strcmp(schema, RESULT_SCHEMA) != 0) {
		*why = N_("of another schema");
		return NULL;
	}
	if (bl_str(o, "target") == NULL) {
		*why = N_("without a target");
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->target = bl_strdup(json_object_get(o, "target"));
	t->started = bl_strdup(json_object_get(o, "started"));
	t->error = bl_strdup(json_object_get(o, "error"));

	mx = json_object_get(json_object_get(o, "dns"), "mx");
	if (json_array_size(mx) > 0)
		t->mx = xcalloc(json_array_size(mx), sizeof(*t->mx));
	for (i = 0; i < json_array_size(mx); i++) {
		const json_t	*m = json_array_get(mx, i);
		size_t		 j;

		if (bl_str(m, "host") == NULL)
			continue;
		/* a host at two preferences is one host */
		for (j = 0; j < t->nmx; j++)
			if (strcasecmp(t->mx[j].host, bl_str(m, "host")) == 0)
				break;
		if (j < t->nmx)
			continue;
		t->mx[t->nmx].host = bl_strdup(json_object_get(m, "host"));
		t->mx[t->nmx].addrs = bl_strings(json_object_get(m, "addresses"),
		    &t->mx[t->nmx].naddrs);
		t->nmx++;
	}
	hosts = json_object_get(o, "hosts");
	if (json_array_size(hosts) > 0)
		t->hosts = xcalloc(json_array_size(hosts), sizeof(*t->hosts));
	for (i = 0; i < json_array_size(hosts); i++)
		if (bl_str(json_array_get(hosts, i), "address") != NULL)
			bl_digest_host(&t->hosts[t->nhosts++], json_array_get(hosts, i));
	fs = json_object_get(o, "findings");
	if (json_array_size(fs) > 0)
		t->findings = xcalloc(json_array_size(fs), sizeof(*t->findings));
	for (i = 0; i < json_array_size(fs); i++) {
		const json_t		*f = json_array_get(fs, i);
		struct bl_finding	*d;

		if (bl_str(f, "id") == NULL)
			continue;
		d = &t->findings[t->nfindings++];
		d->id = bl_strdup(json_object_get(f, "id"));
		d->host = bl_strdup(json_object_get(f, "host"));
		d->address = bl_strdup(json_object_get(f, "address"));
		d->severity = bl_strdup(json_object_get(f, "severity"));
	}
	return t;
}

static void
bl_target_free(struct bl_target *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nmx; i++) {
		free(t->mx[i].host);
		bl_strings_free(t->mx[i].addrs, t->mx[i].naddrs);
	}
	free(t->mx);
	for (i = 0; i < t->nhosts; i++)
		bl_host_clear(&t->hosts[i]);
	free(t->hosts);
	for (i = 0; i < t->nfindings; i++) {
		free(t->findings[i].id);
		free(t->findings[i].host);
		free(t->findings[i].address);
		free(t->findings[i].severity);
	}
	free(t->findings);
	free(t->target);
	free(t->started);
	free(t->error);
	free(t);
}

/* ---- the table of baseline targets ----------------------------------- */

static size_t
bl_hash(const struct baseline *b, const char *s)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h & (b->nbuckets - 1);
}

static struct bl_target *
bl_find(const struct baseline *b, const char *target)
{
	struct bl_target	*t;

	if (b->nbuckets == 0)
		return NULL;
	for (t = b->buckets[bl_hash(b, target)]; t != NULL; t = t->next)
		if (strcmp(t->target, target) == 0)
			return t;
	return NULL;
}

/* take one record: a target object (or a run document's targets) */
static void
bl_add(struct baseline *b, const json_t *o, const char *where)
{
	struct bl_target	*t;
	const char		*why = NULL;
	size_t			 i, k;

	if ((t = bl_digest(o, &why)) == NULL) {
		const char	*schema = bl_str(o, "schema");

		if (b->nskipped++ >= BL_MAX_SAY)
			return;
		if (schema != NULL)
			log_warnx(_("baseline %s: %s: a record %s (%s, this "
			    "version writes %s): skipped"), b->path, where,
			    i18n_tr(why), schema, RESULT_SCHEMA);
		else
			log_warnx(_("baseline %s: %s: a record %s: skipped"),
			    b->path, where, i18n_tr(why));
		return;
	}
	if (bl_find(b, t->target) != NULL) {
		log_warnx(_("baseline %s: %s: %s is there twice: the first "
		    "record is used"), b->path, where, t->target);
		bl_target_free(t);
		return;
	}
	if (t->started != NULL && (b->time == NULL || strcmp(t->started,
	    b->time) < 0)) {
		free(b->time);
		b->time = xstrdup(t->started);
	}
	b->order = xreallocarray(b->order, b->nrecords + 1, sizeof(*b->order));
	b->order[b->nrecords++] = t;
	if (b->nrecords > b->nbuckets) {
		/* chains of one on average: rebuild them, twice as many */
		free(b->buckets);
		b->nbuckets = b->nbuckets == 0 ? BL_BUCKETS_MIN : 2 * b->nbuckets;
		b->buckets = xcalloc(b->nbuckets, sizeof(*b->buckets));
		for (i = 0; i < b->nrecords; i++) {
			k = bl_hash(b, b->order[i]->target);
			b->order[i]->next = b->buckets[k];
			b->buckets[k] = b->order[i];
		}
	} else {
		k = bl_hash(b, t->target);
		t->next = b->buckets[k];
		b->buckets[k] = t;
	}
}

/* a --format json document: run-level fields and "targets" */
static void
bl_add_run(struct baseline *b, const json_t *doc)
{
	const json_t	*ts = json_object_get(doc, "targets");
	const char	*schema = bl_str(doc, "schema");
	char		 where[64];
	size_t		 i;

	if (schema == NULL || strcmp(schema, RESULT_SCHEMA) != 0) {
		log_warnx(_("baseline %s: a run of schema %s, this version "
		    "writes %s: not compared"), b->path, schema != NULL ? schema :
		    _("(none)"), RESULT_SCHEMA);
		b->error = xstrdup("another schema");
		return;
	}
	for (i = 0; i < json_array_size(ts); i++) {
		snprintf(where, sizeof(where), "targets[%zu]", i);
		bl_add(b, json_array_get(ts, i), where);
	}
	if (bl_str(doc, "started") != NULL) {
		free(b->time);
		b->time = bl_strdup(json_object_get(doc, "started"));
	}
}

/* the file is one JSON document (pretty-printed --format json) */
static void
bl_load_document(struct baseline *b, FILE *f)
{
	json_error_t	 jerr;
	json_t		*doc;

	rewind(f);
	if ((doc = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		log_warnx(_("baseline %s: line %d: %s%s: not compared"), b->path,
		    jerr.line, jerr.text, feof(f) ? _(" (truncated?)") : "");
		b->error = xasprintf("line %d: %s", jerr.line, jerr.text);
		return;
	}
	if (json_is_array(doc)) {
		size_t	 i;
		char	 where[32];

		for (i = 0; i < json_array_size(doc); i++) {
			snprintf(where, sizeof(where), "[%zu]", i);
			bl_add(b, json_array_get(doc, i), where);
		}
	} else if (json_is_string(json_object_get(doc, "kind")) &&
	    strcmp(bl_str(doc, "kind"), "run") == 0)
		bl_add_run(b, doc);
	else
		bl_add(b, doc, "the document");
	json_decref(doc);
}

/*
 * JSON Lines: one record a line.  A line that is not JSON is skipped; the
 * last one without its newline is a file cut short (a run that was
 * killed, a full disk).
 */
static void
bl_load_lines(struct baseline *b, FILE *f)
{
	json_error_t	 jerr;
	json_t		*o;
	char		*line = NULL, where[48];
	size_t		 cap = 0, lineno = 0;
	ssize_t		 len;

	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		snprintf(where, sizeof(where), _("line %zu"), lineno);
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		if ((o = json_loadb(line, (size_t)len, 0, &jerr)) == NULL) {
			if (line[len - 1] != '\n')
				log_warnx(_("baseline %s: %s is cut short (a "
				    "truncated file?): skipped"), b->path, where);
			else if (b->nskipped < BL_MAX_SAY)
				log_warnx(_("baseline %s: %s is not JSON (%s): "
				    "skipped"), b->path, where, jerr.text);
			b->nskipped++;
			continue;
		}
		if (json_is_string(json_object_get(o, "kind")) &&
		    strcmp(bl_str(o, "kind"), "run") == 0)
			bl_add_run(b, o);
		else
			bl_add(b, o, where);
		json_decref(o);
	}
	if (ferror(f))
		log_warn("baseline %s", b->path);
	free(line);
}

/* a line that is "{" or "[" alone (blanks aside) */
static int
bl_opens_document(const char *line)
{
	line += strspn(line, " \t\r\n");
	if (*line != '{' && *line != '[')
		return 0;
	line++;
	return line[strspn(line, " \t\r\n")] == '\0';
}

struct baseline *
baseline_load(const char *path)
{
	struct baseline	*b;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	int		 document;

	b = xcalloc(1, sizeof(*b));
	b->path = xstrdup(path);
	if ((f = fopen(path, "r")) == NULL) {
		log_warnx(_("baseline %s: %s: nothing to compare with"), path,
		    strerror(errno));
		b->error = xstrdup(strerror(errno));
		return b;
	}
	/*
	 * --format json is indented: its first line is "{" alone (or "["
	 * for a hand-made array).  Anything else is JSON Lines, whose first
	 * line may be cut short like any other.
	 */
	len = getline(&line, &cap, f);
	document = len > 0 && bl_opens_document(line);
	free(line);
	if (len <= 0) {
		log_warnx(_("baseline %s: empty: nothing to compare with"), path);
		b->error = xstrdup("empty");
	} else if (document)
		bl_load_document(b, f);
	else {
		rewind(f);
		bl_load_lines(b, f);
	}
	fclose(f);
	if (b->nskipped > BL_MAX_SAY)
		log_warnx(_("baseline %s: %zu records skipped in all"), path,
		    b->nskipped);
	return b;
}

void
baseline_free(struct baseline *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nrecords; i++)
		bl_target_free(b->order[i]);
	free(b->order);
	free(b->buckets);
	for (i = 0; i < BL_MAX_SAY; i++)
		free(b->new_say[i]);
	free(b->missing);
	free(b->path);
	free(b->time);
	free(b->error);
	free(b);
}

/* ---- comparison: one function per kind of change --------------------- */

static int
bl_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
bl_has(char *const *v, size_t n, const char *s)
{
	return bsearch(&s, v, n, sizeof(*v), bl_strcmp_cb) != NULL;
}

static const struct bl_mx *
bl_find_mx(const struct bl_target *t, const char *host)
{
	size_t	 i;

	for (i = 0; i < t->nmx; i++)
		if (strcasecmp(t->mx[i].host, host) == 0)
			return &t->mx[i];
	return NULL;
}

/*
 * MX hosts added or removed, and the addresses of a host in both; the
 * order of the records (their preferences) is not a change
 */
static void
bl_diff_mx(struct target_result *t, const struct bl_target *was,
    const struct bl_target *now)
{
	const struct bl_mx	*a, *b;
	size_t			 i, j;

	for (i = 0; i < was->nmx; i++)
		if (bl_find_mx(now, was->mx[i].host) == NULL)
			result_add_change(t, CHG_MX, CHG_SEV_INFO, was->mx[i].host,
			    NULL, NULL, was->mx[i].host, NULL);
	for (i = 0; i < now->nmx; i++) {
		b = &now->mx[i];
		if ((a = bl_find_mx(was, b->host)) == NULL) {
			result_add_change(t, CHG_MX, CHG_SEV_INFO, b->host, NULL,
			    NULL, NULL, b->host);
			continue;
		}
		for (j = 0; j < a->naddrs; j++)
			if (!bl_has(b->addrs, b->naddrs, a->addrs[j]))
				result_add_change(t, CHG_ADDRESS, CHG_SEV_INFO,
				    b->host, a->addrs[j], NULL, a->addrs[j], NULL);
		for (j = 0; j < b->naddrs; j++)
			if (!bl_has(a->addrs, a->naddrs, b->addrs[j]))
				result_add_change(t, CHG_ADDRESS, CHG_SEV_INFO,
				    b->host, b->addrs[j], NULL, NULL, b->addrs[j]);
	}
}

/* a host that no longer answers (connect), or answers again */
static void
bl_diff_reachable(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	char	 was[160], now[160];

	if (a->reachable == b->reachable)
		return;
	snprintf(was, sizeof(was), "%s%s%s%s", a->reachable ? "reachable" :
	    "unreachable", a->connect_error != NULL ? " (" : "",
	    a->connect_error != NULL ? a->connect_error : "",
	    a->connect_error != NULL ? ")" : "");
	snprintf(now, sizeof(now), "%s%s%s%s", b->reachable ? "reachable" :
	    "unreachable", b->connect_error != NULL ? " (" : "",
	    b->connect_error != NULL ? b->connect_error : "",
	    b->connect_error != NULL ? ")" : "");
	result_add_change(t, CHG_REACHABLE, b->reachable ? CHG_SEV_IMPROVEMENT :
	    CHG_SEV_REGRESSION, b->mx, b->address, NULL, was, now);
}

/*
 * a command's status: which way it moved is codes_status_open()'s call
 * (closed -> open is a regression, open -> closed an improvement); a
 * status that proves nothing (4xx, error) or a command not tried on one
 * side is no verdict, and only a different status is a change (550 ->
 * 554, both "refused", is not)
 */
static void
bl_diff_commands(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	enum change_severity	 sev;
	size_t			 i, j;
	int			 sa, sb, oa, ob;

	for (i = 0; i < b->ncmds; i++) {
		for (j = 0; j < a->ncmds; j++)
			if (strcmp(a->cmds[j].verb, b->cmds[i].verb) == 0)
				break;
		if (j == a->ncmds || bl_streq(a->cmds[j].status, b->cmds[i].status))
			continue;
		sa = status_from_name(a->cmds[j].status);
		sb = status_from_name(b->cmds[i].status);
		if (sa == ST_NOT_TRIED || sb == ST_NOT_TRIED)
			continue;
		oa = sa < 0 ? -1 : codes_status_open((enum cmd_status)sa);
		ob = sb < 0 ? -1 : codes_status_open((enum cmd_status)sb);
		sev = oa == 0 && ob == 1 ? CHG_SEV_REGRESSION :
		    oa == 1 && ob == 0 ? CHG_SEV_IMPROVEMENT : CHG_SEV_INFO;
		result_add_change(t, CHG_COMMAND, sev, b->mx, b->address,
		    b->cmds[i].verb, a->cmds[j].status, b->cmds[i].status);
	}
}

/*
 * TLS: a handshake that worked and now fails or is not offered (RFC 3207)
 * is a regression, the reverse an improvement; not tried (--no-starttls)
 * on one side is no verdict
 */
static void
bl_diff_tls(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	enum change_severity	 sev = CHG_SEV_INFO;
	int			 oka, okb;

	if (strcmp(a->tls, b->tls) == 0)
		return;
	oka = strcmp(a->tls, "ok") == 0;
	okb = strcmp(b->tls, "ok") == 0;
	if (strcmp(a->tls, "not tried") != 0 && strcmp(b->tls, "not tried") != 0)
		sev = oka ? CHG_SEV_REGRESSION : okb ? CHG_SEV_IMPROVEMENT :
		    CHG_SEV_INFO;
	result_add_change(t, CHG_TLS, sev, b->mx, b->address, NULL, a->tls,
	    b->tls);
}

/*
 * The protocol version of two working sessions: "TLSv1.2" < "TLSv1.3"
 * as strings too; lower is a regression (RFC 8996: below 1.2 is
 * deprecated)
 */
static void
bl_diff_tls_version(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	int	 c;

	if (a->tls_version == NULL || b->tls_version == NULL ||
	    (c = strcmp(a->tls_version, b->tls_version)) == 0)
		return;
	result_add_change(t, CHG_TLS_VERSION, c > 0 ? CHG_SEV_REGRESSION :
	    CHG_SEV_IMPROVEMENT, b->mx, b->address, NULL, a->tls_version,
	    b->tls_version);
}

/*
 * The peer certificate: another one (renewals are normal: info), another
 * issuer (info), notAfter moved (earlier: a regression, later: an
 * improvement; RFC 3339 UTC strings compare as times)
 */
static void
bl_diff_certificate(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	int	 c;

	if (a->sha256 == NULL || b->sha256 == NULL)
		return;
	if (strcmp(a->sha256, b->sha256) != 0)
		result_add_change(t, CHG_CERTIFICATE, CHG_SEV_INFO, b->mx,
		    b->address, NULL, a->sha256, b->sha256);
	if (!bl_streq(a->issuer, b->issuer))
		result_add_change(t, CHG_CERT_ISSUER, CHG_SEV_INFO, b->mx,
		    b->address, NULL, a->issuer, b->issuer);
	if (a->not_after != NULL && b->not_after != NULL &&
	    (c = strcmp(a->not_after, b->not_after)) != 0)
		result_add_change(t, CHG_CERT_EXPIRY, c > 0 ?
		    CHG_SEV_REGRESSION : CHG_SEV_IMPROVEMENT, b->mx, b->address,
		    NULL, a->not_after, b->not_after);
}

/*
 * DANE (RFC 7672): the TLSA records (info: a key rollover publishes new
 * ones), and the state: authenticated -> not is a regression
 */
static void
bl_diff_dane(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	if (!bl_streq(a->tlsa, b->tlsa))
		result_add_change(t, CHG_TLSA, CHG_SEV_INFO, b->mx, b->address,
		    NULL, a->tlsa, b->tlsa);
	if (!bl_streq(a->dane_state, b->dane_state))
		result_add_change(t, CHG_DANE, a->dane_auth && !b->dane_auth ?
		    CHG_SEV_REGRESSION : !a->dane_auth && b->dane_auth ?
		    CHG_SEV_IMPROVEMENT : CHG_SEV_INFO, b->mx, b->address, NULL,
		    a->dane_state, b->dane_state);
}

/*
 * EHLO keywords added or removed (a set: their order is not a change);
 * STARTTLS is bl_diff_tls()'s
 */
static void
bl_diff_extensions(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	size_t	 i;

	for (i = 0; i < a->nexts; i++)
		if (strcmp(a->exts[i], "STARTTLS") != 0 &&
		    !bl_has(b->exts, b->nexts, a->exts[i]))
			result_add_change(t, CHG_EXTENSION, CHG_SEV_INFO, b->mx,
			    b->address, NULL, a->exts[i], NULL);
	for (i = 0; i < b->nexts; i++)
		if (strcmp(b->exts[i], "STARTTLS") != 0 &&
		    !bl_has(a->exts, a->nexts, b->exts[i]))
			result_add_change(t, CHG_EXTENSION, CHG_SEV_INFO, b->mx,
			    b->address, NULL, NULL, b->exts[i]);
}

static int
bl_finding_in(const struct bl_finding *f, const struct bl_target *t)
{
	size_t	 i;

	for (i = 0; i < t->nfindings; i++)
		if (strcmp(t->findings[i].id, f->id) == 0 &&
		    bl_streq(t->findings[i].host, f->host) &&
		    bl_streq(t->findings[i].address, f->address))
			return 1;
	return 0;
}

static const struct bl_host *
bl_host_at(const struct bl_target *t, const char *address)
{
	size_t	 i;

	for (i = 0; i < t->nhosts; i++)
		if (strcmp(t->hosts[i].address, address) == 0)
			return &t->hosts[i];
	return NULL;
}

static int
bl_any_reachable(const struct bl_target *t)
{
	size_t	 i;

	for (i = 0; i < t->nhosts; i++)
		if (t->hosts[i].reachable)
			return 1;
	return 0;
}

/*
 * Can a finding's coming or going be told?  Not on an address that one
 * run could not reach (that is bl_diff_reachable()'s change), nor, for a
 * finding of the whole target, when one run reached no host at all (a
 * DNS failure does not make VRFY go away, nor is a finding new because
 * the last run reached nothing).
 */
static int
bl_finding_comparable(const struct bl_finding *f, const struct bl_target *was,
    const struct bl_target *now)
{
	const struct bl_host	*a, *b;

	if (!bl_any_reachable(was) || !bl_any_reachable(now))
		return 0;
	if (f->address == NULL)
		return 1;
	a = bl_host_at(was, f->address);
	b = bl_host_at(now, f->address);
	return a == NULL || b == NULL || (a->reachable && b->reachable);
}

/*
 * findings (id, host, address) that appeared (a regression) or went away
 * (an improvement); info findings are info either way
 */
static void
bl_diff_findings(struct target_result *t, const struct bl_target *was,
    const struct bl_target *now)
{
	const struct bl_finding	*f;
	size_t			 i;
	int			 info;

	for (i = 0; i < was->nfindings; i++) {
		f = &was->findings[i];
		if (bl_finding_in(f, now) || !bl_finding_comparable(f, was, now))
			continue;
		info = bl_streq(f->severity, severity_name(SEV_INFO));
		result_add_change(t, CHG_FINDING, info ? CHG_SEV_INFO :
		    CHG_SEV_IMPROVEMENT, f->host, f->address, NULL, f->id, NULL);
	}
	for (i = 0; i < now->nfindings; i++) {
		f = &now->findings[i];
		if (bl_finding_in(f, was) || !bl_finding_comparable(f, was, now))
			continue;
		info = bl_streq(f->severity, severity_name(SEV_INFO));
		result_add_change(t, CHG_FINDING, info ? CHG_SEV_INFO :
		    CHG_SEV_REGRESSION, f->host, f->address, NULL, NULL, f->id);
	}
}

/*
 * The target as a whole: hosts were reached and now there is none to try
 * (DNS failed, no address), or the reverse.  Hosts in both runs are
 * bl_diff_reachable()'s.
 */
static void
bl_diff_target_reachable(struct target_result *t, const struct bl_target *was,
    const struct bl_target *now)
{
	if (now->nhosts == 0 && bl_any_reachable(was))
		result_add_change(t, CHG_REACHABLE, CHG_SEV_REGRESSION, NULL,
		    NULL, NULL, "reachable", now->error != NULL ? now->error :
		    "no host");
	else if (was->nhosts == 0 && bl_any_reachable(now))
		result_add_change(t, CHG_REACHABLE, CHG_SEV_IMPROVEMENT, NULL,
		    NULL, NULL, was->error != NULL ? was->error : "no host",
		    "reachable");
}

/* one host in both runs (same address and port) */
static void
bl_diff_host(struct target_result *t, const struct bl_host *a,
    const struct bl_host *b)
{
	bl_diff_reachable(t, a, b);
	if (!a->reachable || !b->reachable)
		return;		/* nothing else to compare */
	bl_diff_extensions(t, a, b);
	bl_diff_tls(t, a, b);
	bl_diff_tls_version(t, a, b);
	bl_diff_certificate(t, a, b);
	bl_diff_dane(t, a, b);
	bl_diff_commands(t, a, b);
}

/*
 * The baseline's record of host h: the same address and port, else the
 * same address alone (the port of a lab, such as --demo's, changes from
 * run to run), else NULL
 */
static const struct bl_host *
bl_match_host(const struct bl_target *was, const struct bl_host *h)
{
	const struct bl_host	*any = NULL;
	size_t			 j;

	for (j = 0; j < was->nhosts; j++) {
		if (strcmp(was->hosts[j].address, h->address) != 0)
			continue;
		if (was->hosts[j].port == h->port)
			return &was->hosts[j];
		if (any == NULL)
			any = &was->hosts[j];
	}
	return any;
}

/* the comparison of two digests: changes into t, regressions first */
static void
bl_diff(struct target_result *t, const struct bl_target *was,
    const struct bl_target *now)
{
	const struct bl_host	*a;
	size_t			 i, j;

	bl_diff_mx(t, was, now);
	bl_diff_target_reachable(t, was, now);
	for (i = 0; i < now->nhosts; i++)
		if ((a = bl_match_host(was, &now->hosts[i])) != NULL)
			bl_diff_host(t, a, &now->hosts[i]);
	bl_diff_findings(t, was, now);
	/* regressions first; ties keep their order (an insertion sort: stable) */
	for (i = 1; i < t->nchanges; i++) {
		struct change	 c = t->changes[i];

		for (j = i; j > 0 && t->changes[j - 1].severity < c.severity; j--)
			t->changes[j] = t->changes[j - 1];
		t->changes[j] = c;
	}
}

size_t
baseline_compare_json(struct baseline *b, const json_t *obj,
    struct target_result *t)
{
	struct bl_target	*was, *now;
	const char		*why;

	if ((was = bl_find(b, t->target)) == NULL) {
		t->baseline = -1;
		if (b->nnew < BL_MAX_SAY)
			b->new_say[b->nnew] = xstrdup(t->target);
		b->nnew++;
		return 0;
	}
	if ((now = bl_digest(obj, &why)) == NULL)
		fatalx("%s: this run's record of %s is %s", __func__, t->target,
		    why);
	was->seen = 1;
	b->ncompared++;
	t->baseline = 1;
	free(t->baseline_started);
	t->baseline_started = was->started != NULL ? xstrdup(was->started) :
	    NULL;
	bl_diff(t, was, now);
	bl_target_free(now);
	return result_regressions(t);
}

size_t
baseline_compare(struct baseline *b, struct target_result *t)
{
	json_t	*obj;
	size_t	 n;

	obj = report_json_target(t);
	n = baseline_compare_json(b, obj, t);
	json_decref(obj);
	return n;
}

void
baseline_finish(struct baseline *b)
{
	size_t	 i;

	free(b->missing);
	b->missing = NULL;
	b->nmissing = 0;
	for (i = 0; i < b->nrecords; i++)
		if (!b->order[i]->seen) {
			b->missing = xreallocarray(b->missing, b->nmissing + 1,
			    sizeof(*b->missing));
			b->missing[b->nmissing++] = b->order[i]->target;
		}
	/* an unreadable baseline was said at load: not once a target */
	for (i = 0; b->error == NULL && i < b->nnew && i < BL_MAX_SAY; i++)
		log_warnx(_("baseline %s: %s is not in it: nothing to compare"),
		    b->path, b->new_say[i]);
	if (b->error == NULL && b->nnew > BL_MAX_SAY)
		log_warnx(_("baseline %s: and %zu more targets not in it"),
		    b->path, b->nnew - BL_MAX_SAY);
	for (i = 0; i < b->nmissing && i < BL_MAX_SAY; i++)
		log_warnx(_("baseline %s: %s is not in this run"), b->path,
		    b->missing[i]);
	if (b->nmissing > BL_MAX_SAY)
		log_warnx(_("baseline %s: and %zu more targets not in this "
		    "run"), b->path, b->nmissing - BL_MAX_SAY);
}

void
baseline_summary(const struct baseline *b, struct baseline_summary *sum)
{
	sum->path = b->path;
	sum->time = b->time;
	sum->error = b->error;
	sum->records = b->nrecords;
	sum->skipped = b->nskipped;
	sum->compared = b->ncompared;
	sum->nnew = b->nnew;
	sum->missing = b->missing;
	sum->nmissing = b->nmissing;
}
