/* SPDX-License-Identifier: ISC */
/*
 * result - the one data model: constructors, destructors and the names
 * of its enumerations (which are part of the JSON contract).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "log.h"
#include "pool.h"
#include "result.h"
#include "util.h"

/*
 * A batch makes and drops a target result for every line of input, and
 * most targets have one host: those blocks (1 and 4 KiB) are reused from
 * target to target (pool.h) instead of going back to malloc.
 */
static struct pool	 target_pool = POOL_INITIALIZER(sizeof(struct target_result));
static struct pool	 host_pool = POOL_INITIALIZER(sizeof(struct host_result));

static const char *status_names[ST_LAST] = {
	[ST_NOT_TRIED] = "not_tried",
	[ST_SUPPORTED] = "supported",
	[ST_CANNOT_VERIFY] = "cannot_verify",
	[ST_NOT_IMPLEMENTED] = "not_implemented",
	[ST_NOT_RECOGNIZED] = "not_recognized",
	[ST_PARAM_NOT_IMPLEMENTED] = "parameter_not_implemented",
	[ST_REFUSED] = "refused",
	[ST_AUTH_REQUIRED] = "auth_required",
	[ST_BAD_SEQUENCE] = "bad_sequence",
	[ST_TEMPORARY] = "temporary",
	[ST_SYNTAX] = "syntax",
	[ST_UNEXPECTED] = "unexpected",
	[ST_ERROR] = "error",
	[ST_ENUMERABLE] = "enumerable",
	[ST_UNKNOWN_MAILBOX] = "unknown_mailbox",
	[ST_AMBIGUOUS] = "ambiguous",
	[ST_NOT_LOCAL] = "not_local",
};

/*
 * JSON's names; the text report says them (when a session has no error
 * text) with i18n_trc("failure", name)
 */
static const char *fail_names[PROBE_F_LAST] = {
	/* TRANSLATORS: what ended a session, when nothing more is known */
	[PROBE_F_NONE] = NC_("failure", "none"),
	[PROBE_F_CONN] = NC_("failure", "connection"),
	[PROBE_F_TIMEOUT] = NC_("failure", "timeout"),
	[PROBE_F_PROTO] = NC_("failure", "protocol"),
	[PROBE_F_TLS] = NC_("failure", "tls"),
	[PROBE_F_SHUTDOWN] = NC_("failure", "shutdown"),
	[PROBE_F_REJECT] = NC_("failure", "rejected"),
	[PROBE_F_INTERNAL] = NC_("failure", "internal"),
	[PROBE_F_INTERRUPTED] = NC_("failure", "interrupted"),
};

static const char *severity_names[] = {
	[SEV_INFO] = "info",
	[SEV_LOW] = "low",
	[SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high",
};

/*
 * status_name - the JSON name of a command status
 */
const char *
status_name(enum cmd_status s)
{
	if ((unsigned)s >= ST_LAST)
		fatalx("%s: bad status %d", __func__, (int)s);
	return status_names[s];
}

/*
 * status_from_name - inverse of status_name(); -1 if unknown
 */
int
status_from_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < ST_LAST; i++)
		if (strcmp(status_names[i], name) == 0)
			return (int)i;
	return -1;
}

/*
 * probe_fail_name - the JSON name of a failure class
 */
const char *
probe_fail_name(enum probe_fail f)
{
	if ((unsigned)f >= PROBE_F_LAST)
		fatalx("%s: bad failure class %d", __func__, (int)f);
	return fail_names[f];
}

/*
 * severity_name - the JSON name of a finding's severity
 */
const char *
severity_name(enum finding_severity s)
{
	if ((unsigned)s >= nitems(severity_names))
		fatalx("%s: bad severity %d", __func__, (int)s);
	return severity_names[s];
}

/*
 * result_target_new - an empty result for a target, as the user wrote it
 */
struct target_result *
result_target_new(const char *target)
{
	struct target_result	*t;

	t = pool_get(&target_pool);
	memset(t, 0, sizeof(*t));
	t->target = xstrdup(target);
	clock_gettime(CLOCK_REALTIME, &t->started);
	return t;
}

void
result_reply_clear(struct reply_rec *r)
{
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/*
 * result_reply_set - record a reply; text is copied
 */
void
result_reply_set(struct reply_rec *r, int code, const char *enhanced,
    const char *text, size_t textlen, unsigned flags, long ms)
{
	result_reply_clear(r);
	r->code = code;
	if (enhanced != NULL)
		snprintf(r->enhanced, sizeof(r->enhanced), "%s", enhanced);
	if (text != NULL) {
		r->text = xstrndup(text, textlen);
		r->textlen = textlen;
	}
	r->flags = flags;
	r->ms = ms;
}

void
result_cert_clear(struct tls_cert *c)
{
	size_t	 i;

	free(c->subject);
	free(c->issuer);
	for (i = 0; i < c->nsans; i++)
		free(c->sans[i]);
	free(c->sans);
	free(c->not_before);
	free(c->not_after);
	free(c->key_type);
	free(c->sig_alg);
	free(c->sha256);
	free(c->spki_sha256);
	memset(c, 0, sizeof(*c));
}

void
result_chain_free(struct tls_chain_cert *chain, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(chain[i].subject);
		free(chain[i].issuer);
		free(chain[i].sha256);
		free(chain[i].spki_sha256);
		free(chain[i].pem);
	}
	free(chain);
}

void
result_tlsa_free(struct tlsa_rec *recs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(recs[i].data);
	free(recs);
}

/*
 * result_tlsa_dup - a deep copy of n TLSA records (NULL when n is 0)
 */
struct tlsa_rec *
result_tlsa_dup(const struct tlsa_rec *recs, size_t n)
{
	struct tlsa_rec	*c;
	size_t		 i;

	if (n == 0)
		return NULL;
	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		c[i] = recs[i];
		c[i].data = xmalloc(recs[i].len ? recs[i].len : 1);
		memcpy(c[i].data, recs[i].data, recs[i].len);
	}
	return c;
}

static void
result_mxrefs_free(struct mx_ref *refs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(refs[i].host);
	free(refs);
}

/*
 * result_host_add_mxref - see result.h.  Host names compare without
 * regard to case (RFC 1035 2.3.3).
 */
void
result_host_add_mxref(struct host_result *h, int preference, const char *host)
{
	size_t	 i;

	for (i = 0; i < h->nmxrefs; i++)
		if (h->mxrefs[i].preference == preference &&
		    strcasecmp(h->mxrefs[i].host, host) == 0)
			return;
	h->mxrefs = xreallocarray(h->mxrefs, h->nmxrefs + 1, sizeof(*h->mxrefs));
	h->mxrefs[h->nmxrefs].preference = preference;
	h->mxrefs[h->nmxrefs].host = xstrdup(host);
	h->nmxrefs++;
}

void
tls_versions_clear(struct tls_versions *tv)
{
	size_t	 i;

	for (i = 0; i < TLS_NVERSIONS; i++) {
		free(tv->v[i].cipher);
		free(tv->v[i].error);
	}
	memset(tv, 0, sizeof(*tv));
}

void
result_tls_clear(struct tls_result *t)
{
	result_reply_clear(&t->starttls);
	free(t->version);
	free(t->cipher);
	free(t->group);
	free(t->error);
	result_msg_clear(&t->error_msg);
	result_cert_clear(&t->cert);
	result_chain_free(t->chain, t->nchain);
	free(t->verify.chain_error);
	free(t->verify.name);
	result_reply_clear(&t->ehlo_after_reply);
	ehlo_info_free(&t->ehlo_after);
	result_tlsa_free(t->tlsa, t->ntlsa);
	free(t->tlsa_error);
	tls_versions_clear(&t->versions);
	memset(t, 0, sizeof(*t));
}

void
result_host_clear(struct host_result *h)
{
	size_t	 i;

	free(h->mx);
	result_mxrefs_free(h->mxrefs, h->nmxrefs);
	free(h->connect.error);
	result_reply_clear(&h->banner);
	free(h->ptr.name);
	free(h->ptr.error);
	result_reply_clear(&h->ehlo.reply);
	result_reply_clear(&h->ehlo.helo_reply);
	ehlo_info_free(&h->ehlo.info);
	result_tls_clear(&h->tls);
	for (i = 0; i < h->ncmds; i++) {
		free(h->cmds[i].arg);
		result_reply_clear(&h->cmds[i].reply);
		free(h->cmds[i].control.arg);
		result_reply_clear(&h->cmds[i].control.reply);
	}
	free(h->cmds);
	result_reply_clear(&h->quit);
	free(h->error);
	result_msg_clear(&h->error_msg);
	free(h->transcript);
	free(h->shared_from);
	memset(h, 0, sizeof(*h));
}

static char *
result_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* ---- messages (struct result_msg) -------------------------------------- */

/*
 * fmt with its conversions replaced by the n strings of args: "%s" (the
 * next one), "%N$s" (the Nth, as a translation may reorder them) and
 * "%.0s" or "%N$.0s" (none: a translation may leave one out), "%%",
 * N from 1 to 9; NULL for anything else, or an argument beyond n
 */
static char *
result_msg_format(const char *fmt, const char *const *args, size_t n)
{
	struct buf	 b = { 0 };
	const char	*p;
	size_t		 i, next = 0;
	int		 drop;

	buf_append(&b, "", 0);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			buf_append(&b, p, 1);
			continue;
		}
		if (*++p == '%') {
			buf_append(&b, "%", 1);
			continue;
		}
		i = next;
		if (*p >= '1' && *p <= '9' && p[1] == '$') {
			i = (size_t)(*p - '1');
			p += 2;
		}
		drop = p[0] == '.' && p[1] == '0';
		if (drop)
			p += 2;
		if (*p != 's' || i >= n) {
			buf_free(&b);
			return NULL;
		}
		if (!drop)
			buf_append(&b, args[i], strlen(args[i]));
		next = i + 1;
	}
	return b.data;
}

/* m in English (local 0), or in the user's language; NULL if it does not fit */
static char *
result_msg_words(const struct result_msg *m, int local)
{
	const char	*a[RESULT_MSG_ARGS];
	char		*last = NULL, *s;
	size_t		 n;

	for (n = 0; n < RESULT_MSG_ARGS && m->arg[n] != NULL; n++)
		a[n] = local && (m->words & (1u << n)) ?
		    i18n_trc("session", m->arg[n]) : m->arg[n];
	if (m->sub != NULL && n > 0) {
		if ((last = result_msg_format(local ? i18n_tr(m->sub) : m->sub,
		    &a[n - 1], 1)) == NULL)
			return NULL;
		a[n - 1] = last;
	}
	s = result_msg_format(local ? i18n_tr(m->fmt) : m->fmt, a, n);
	free(last);
	return s;
}

void
result_msg_clear(struct result_msg *m)
{
	size_t	 i;

	for (i = 0; i < RESULT_MSG_ARGS; i++)
		free(m->arg[i]);
	memset(m, 0, sizeof(*m));
}

/* dst holds nothing of its own (zeroed, or a shallow copy of src) */
void
result_msg_copy(struct result_msg *dst, const struct result_msg *src)
{
	size_t	 i;

	*dst = *src;
	for (i = 0; i < RESULT_MSG_ARGS; i++)
		dst->arg[i] = result_strdup(src->arg[i]);
}

char *
result_msg_vset(struct result_msg *m, unsigned words, const char *sub,
    const char *fmt, va_list ap)
{
	const char	*p, *a;
	size_t		 n = 0;
	char		*s;

	result_msg_clear(m);
	for (p = fmt; (p = strchr(p, '%')) != NULL; p += 2) {
		if (p[1] == '%')
			continue;
		if (p[1] != 's' || n == RESULT_MSG_ARGS)
			fatalx("%s: not a message format: \"%s\"", __func__, fmt);
		a = va_arg(ap, const char *);
		m->arg[n++] = xstrdup(a != NULL ? a : "");
	}
	m->fmt = fmt;
	m->sub = n > 0 ? sub : NULL;
	m->words = (unsigned char)(words & ((1u << n) - 1));
	if ((s = result_msg_words(m, 0)) == NULL)
		fatalx("%s: not a message format: \"%s\"", __func__,
		    sub != NULL ? sub : fmt);
	return s;
}

char *
result_msg_set(struct result_msg *m, unsigned words, const char *sub,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = result_msg_vset(m, words, sub, fmt, ap);
	va_end(ap);
	return s;
}

char *
result_msg_text(const struct result_msg *m, const char *english)
{
	char	*s, *en;

	if (m->fmt == NULL)
		return result_strdup(english);
	/* only while m still says what english says (it was not replaced) */
	if (english != NULL) {
		en = result_msg_words(m, 0);
		if (en == NULL || strcmp(en, english) != 0) {
			free(en);
			return xstrdup(english);
		}
		free(en);
	}
	if ((s = result_msg_words(m, 1)) == NULL)
		s = result_msg_words(m, 0);
	return s;
}

void
result_host_error(struct host_result *h, unsigned words, const char *fmt, ...)
{
	va_list	 ap;

	free(h->error);
	va_start(ap, fmt);
	h->error = result_msg_vset(&h->error_msg, words, NULL, fmt, ap);
	va_end(ap);
}

const char *
result_msg_arg_text(const struct result_msg *m, size_t i)
{
	if (i >= RESULT_MSG_ARGS || m->arg[i] == NULL)
		return NULL;
	return m->words & (1u << i) ? i18n_trc("session", m->arg[i]) : m->arg[i];
}

char *
result_host_error_text(const struct host_result *h)
{
	if (h->error == NULL)
		return NULL;
	return result_msg_text(&h->error_msg, h->error);
}

char *
result_tls_error_text(const struct tls_result *tls)
{
	if (tls->error == NULL)
		return NULL;
	return result_msg_text(&tls->error_msg, tls->error);
}

static void
result_reply_copy(struct reply_rec *dst, const struct reply_rec *src)
{
	*dst = *src;
	dst->text = src->text != NULL ? xstrndup(src->text, src->textlen) : NULL;
}

static void
result_cert_copy(struct tls_cert *dst, const struct tls_cert *src)
{
	size_t	 i;

	*dst = *src;
	dst->subject = result_strdup(src->subject);
	dst->issuer = result_strdup(src->issuer);
	dst->sans = src->nsans > 0 ? xcalloc(src->nsans, sizeof(char *)) : NULL;
	for (i = 0; i < src->nsans; i++)
		dst->sans[i] = xstrdup(src->sans[i]);
	dst->not_before = result_strdup(src->not_before);
	dst->not_after = result_strdup(src->not_after);
	dst->key_type = result_strdup(src->key_type);
	dst->sig_alg = result_strdup(src->sig_alg);
	dst->sha256 = result_strdup(src->sha256);
	dst->spki_sha256 = result_strdup(src->spki_sha256);
}

static struct tls_chain_cert *
result_chain_copy(const struct tls_chain_cert *src, size_t n)
{
	struct tls_chain_cert	*c;
	size_t			 i;

	if (n == 0)
		return NULL;
	c = xcalloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		c[i].subject = result_strdup(src[i].subject);
		c[i].issuer = result_strdup(src[i].issuer);
		c[i].sha256 = result_strdup(src[i].sha256);
		c[i].spki_sha256 = result_strdup(src[i].spki_sha256);
		c[i].pem = result_strdup(src[i].pem);
	}
	return c;
}

/* the session's part of a tls_result; dst keeps its TLSA facts from DNS */
static void
result_tls_copy_session(struct tls_result *dst, const struct tls_result *src)
{
	struct tls_result	 own = *dst;
	size_t			 i;

	*dst = *src;
	result_reply_copy(&dst->starttls, &src->starttls);
	dst->version = result_strdup(src->version);
	dst->cipher = result_strdup(src->cipher);
	dst->group = result_strdup(src->group);
	dst->error = result_strdup(src->error);
	result_msg_copy(&dst->error_msg, &src->error_msg);
	result_cert_copy(&dst->cert, &src->cert);
	dst->chain = result_chain_copy(src->chain, src->nchain);
	dst->verify.chain_error = result_strdup(src->verify.chain_error);
	dst->verify.name = result_strdup(src->verify.name);
	result_reply_copy(&dst->ehlo_after_reply, &src->ehlo_after_reply);
	ehlo_info_copy(&dst->ehlo_after, &src->ehlo_after);
	for (i = 0; i < TLS_NVERSIONS; i++) {
		dst->versions.v[i].cipher = result_strdup(src->versions.v[i].cipher);
		dst->versions.v[i].error = result_strdup(src->versions.v[i].error);
	}
	dst->tlsa = own.tlsa;
	dst->ntlsa = own.ntlsa;
	dst->tlsa_ad = own.tlsa_ad;
	dst->tlsa_error = own.tlsa_error;
	dst->mx_insecure = own.mx_insecure;
	dst->dane_matched = 0;
	if (own.ntlsa == src->ntlsa) {
		dst->dane_matched = src->dane_matched;
		for (i = 0; i < own.ntlsa; i++) {
			dst->tlsa[i].matched = src->tlsa[i].matched;
			dst->tlsa[i].ta_dates_bad = src->tlsa[i].ta_dates_bad;
		}
	}
}

void
result_host_set_cmds(struct host_result *h, size_t n)
{
	if (h->ncmds != 0 || h->cmds != NULL)
		fatalx("%s: the host has commands already", __func__);
	if (n > PROBE_MAX_CMDS)
		fatalx("%s: %zu commands", __func__, n);
	h->cmds = n > 0 ? xcalloc(n, sizeof(*h->cmds)) : NULL;
	h->ncmds = n;
}

struct cmd_result *
result_host_add_cmd(struct host_result *h)
{
	struct cmd_result	*c;

	if (h->ncmds >= PROBE_MAX_CMDS)
		fatalx("%s: more than %d commands", __func__, PROBE_MAX_CMDS);
	h->cmds = xreallocarray(h->cmds, h->ncmds + 1, sizeof(*h->cmds));
	c = &h->cmds[h->ncmds++];
	memset(c, 0, sizeof(*c));
	return c;
}

/*
 * result_host_copy_session - see result.h
 */
void
result_host_copy_session(struct host_result *dst, const struct host_result *src)
{
	size_t	 i;

	dst->connect = src->connect;
	dst->connect.error = result_strdup(src->connect.error);
	result_reply_copy(&dst->banner, &src->banner);
	result_reply_copy(&dst->ehlo.reply, &src->ehlo.reply);
	dst->ehlo.used_helo = src->ehlo.used_helo;
	result_reply_copy(&dst->ehlo.helo_reply, &src->ehlo.helo_reply);
	ehlo_info_copy(&dst->ehlo.info, &src->ehlo.info);
	result_tls_copy_session(&dst->tls, &src->tls);
	result_host_set_cmds(dst, src->ncmds);
	for (i = 0; i < src->ncmds; i++) {
		dst->cmds[i] = src->cmds[i];
		dst->cmds[i].arg = result_strdup(src->cmds[i].arg);
		result_reply_copy(&dst->cmds[i].reply, &src->cmds[i].reply);
		/* the control VRFY's name and reply belong to each copy too */
		dst->cmds[i].control.arg = result_strdup(src->cmds[i].control.arg);
		result_reply_copy(&dst->cmds[i].control.reply,
		    &src->cmds[i].control.reply);
	}
	result_reply_copy(&dst->quit, &src->quit);
	dst->fail = src->fail;
	dst->fail_state = src->fail_state;
	dst->error = result_strdup(src->error);
	result_msg_copy(&dst->error_msg, &src->error_msg);
	dst->flags = src->flags;
	dst->early_talker = src->early_talker;
	dst->duration_ms = src->duration_ms;
	dst->transcript = src->transcript != NULL ?
	    xstrndup(src->transcript, src->transcript_len) : NULL;
	dst->transcript_len = src->transcript_len;
}

void
result_dns_clear(struct dns_result *d)
{
	size_t	 i, j;

	for (i = 0; i < d->nmx; i++) {
		free(d->mx[i].host);
		for (j = 0; j < d->mx[i].naddrs; j++)
			free(d->mx[i].addrs[j]);
		free(d->mx[i].addrs);
		free(d->mx[i].error);
		free(d->mx[i].tlsa_rcode);
		result_tlsa_free(d->mx[i].tlsa, d->mx[i].ntlsa);
	}
	free(d->mx);
	result_mxrefs_free(d->mx_dropped, d->nmx_dropped);
	free(d->rcode);
	free(d->error);
	memset(d, 0, sizeof(*d));
}

/*
 * result_mx_first - see result.h
 */
int
result_mx_first(const struct dns_result *d, size_t i)
{
	size_t	 j;

	for (j = 0; j < i; j++)
		if (strcasecmp(d->mx[j].host, d->mx[i].host) == 0)
			return 0;
	return 1;
}

/*
 * result_target_free - free a target and everything it owns; NULL is fine
 */
int
result_srv_offered(const struct submission_srv *sv)
{
	return strcmp(sv->target, ".") != 0;
}

int
result_submission_offered(const struct target_result *t)
{
	size_t	 i;

	for (i = 0; i < t->nsubmission_srv; i++)
		if (result_srv_offered(&t->submission_srv[i]))
			return 1;
	return t->nsubmission_srv == 0;
}

void
result_target_free(struct target_result *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	free(t->target);
	free(t->name);
	result_dns_clear(&t->dns);
	result_sts_clear(&t->sts);
	for (i = 0; i < t->nhosts; i++)
		result_host_clear(&t->hosts[i]);
	/* a block of one host came from (or fits) host_pool */
	if (t->nhosts == 1)
		pool_put(&host_pool, t->hosts);
	else
		free(t->hosts);
	for (i = 0; i < t->nfindings; i++) {
		free(t->findings[i].id);
		free(t->findings[i].host);
		free(t->findings[i].address);
		free(t->findings[i].message);
		free(t->findings[i].message_text);
	}
	free(t->findings);
	for (i = 0; i < t->nviolations; i++) {
		free(t->violations[i].rule);
		free(t->violations[i].host);
		free(t->violations[i].address);
		free(t->violations[i].message);
		free(t->violations[i].message_text);
	}
	free(t->violations);
	free(t->policy_spec);
	for (i = 0; i < t->nchanges; i++) {
		free(t->changes[i].host);
		free(t->changes[i].address);
		free(t->changes[i].command);
		free(t->changes[i].before);
		free(t->changes[i].after);
	}
	free(t->changes);
	free(t->baseline_started);
	for (i = 0; i < t->nsubmission_srv; i++)
		free(t->submission_srv[i].target);
	free(t->submission_srv);
	free(t->submission_srv_error);
	free(t->error);
	pool_put(&target_pool, t);
}

static const char *change_kind_names[CHG_LAST] = {
	[CHG_MX] = "mx",
	[CHG_ADDRESS] = "address",
	[CHG_REACHABLE] = "reachable",
	[CHG_COMMAND] = "command",
	[CHG_TLS] = "tls",
	[CHG_TLS_VERSION] = "tls-version",
	[CHG_CERTIFICATE] = "certificate",
	[CHG_CERT_ISSUER] = "certificate-issuer",
	[CHG_CERT_EXPIRY] = "certificate-expiry",
	[CHG_TLSA] = "tlsa",
	[CHG_DANE] = "dane",
	[CHG_EXTENSION] = "extension",
	[CHG_FINDING] = "finding",
};

const char *
change_kind_name(enum change_kind k)
{
	if ((unsigned)k >= CHG_LAST)
		return "unknown";
	return change_kind_names[k];
}

const char *
change_severity_name(enum change_severity s)
{
	switch (s) {
	case CHG_SEV_REGRESSION:
		return "regression";
	case CHG_SEV_IMPROVEMENT:
		return "improvement";
	default:
		return "info";
	}
}

/* English (Nagios), or the user's language (the text report) */
#define W(s)	(local ? _(s) : (s))

/*
 * A change in words (raw: the renderer escapes it): "command VRFY
 * (mx.example.com 192.0.2.1): not_implemented -> supported", "mx: added
 * mx2.example.com"; the kind, command and values stay as JSON says them
 */
static char *
change_words(const struct change *c, int local)
{
	const char	*h = c->host, *a = c->address;
	char		*where, *s;

	if (c->kind == CHG_MX || (h == NULL && a == NULL))
		where = xstrdup("");	/* an MX change: the host is the value */
	else
		where = xasprintf(" (%s%s%s)", h != NULL ? h : "",
		    h != NULL && a != NULL ? " " : "", a != NULL ? a : "");
	/* TRANSLATORS: the kind of change, " " and the command (or two
	 * empty strings), " (HOST ADDRESS)" (or empty), then the value */
	if (c->before == NULL)
		s = xasprintf(W(N_("%s%s%s%s: added %s")),
		    change_kind_name(c->kind), c->command != NULL ? " " : "",
		    c->command != NULL ? c->command : "", where,
		    c->after != NULL ? c->after : "");
	else if (c->after == NULL)
		s = xasprintf(W(N_("%s%s%s%s: removed %s")),
		    change_kind_name(c->kind), c->command != NULL ? " " : "",
		    c->command != NULL ? c->command : "", where, c->before);
	else
		s = xasprintf("%s%s%s%s: %s -> %s", change_kind_name(c->kind),
		    c->command != NULL ? " " : "", c->command != NULL ?
		    c->command : "", where, c->before, c->after);
	free(where);
	return s;
}
#undef W

/* change_text - a change in words, for Nagios (English) */
char *
change_text(const struct change *c)
{
	return change_words(c, 0);
}

/* change_text_local - the same, in the user's language (text report) */
char *
change_text_local(const struct change *c)
{
	return change_words(c, 1);
}

/* result_add_change - append a change; the strings are copied (NULL kept) */
void
result_add_change(struct target_result *t, enum change_kind kind,
    enum change_severity sev, const char *host, const char *address,
    const char *command, const char *before, const char *after)
{
	struct change	*c;

	t->changes = xreallocarray(t->changes, t->nchanges + 1,
	    sizeof(*t->changes));
	c = &t->changes[t->nchanges++];
	c->kind = kind;
	c->severity = sev;
	c->host = host != NULL ? xstrdup(host) : NULL;
	c->address = address != NULL ? xstrdup(address) : NULL;
	c->command = command != NULL ? xstrdup(command) : NULL;
	c->before = before != NULL ? xstrdup(before) : NULL;
	c->after = after != NULL ? xstrdup(after) : NULL;
}

size_t
result_regressions(const struct target_result *t)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->nchanges; i++)
		if (t->changes[i].severity == CHG_SEV_REGRESSION)
			n++;
	return n;
}

/* result_sts_clear - free what s holds and zero it */
void
result_sts_clear(struct sts_result *s)
{
	free(s->txt_rcode);
	free(s->txt_error);
	free(s->txt);
	free(s->txt_invalid);
	free(s->policy_url);
	free(s->policy_address);
	free(s->fetch_class);
	free(s->fetch_error);
	if (s->have_policy)
		mtasts_policy_clear(&s->policy);
	free(s->policy_error);
	free(s->rpt_rcode);
	free(s->rpt_error);
	free(s->rpt_txt);
	free(s->rpt_invalid);
	if (s->have_rpt)
		tlsrpt_clear(&s->rpt);
	memset(s, 0, sizeof(*s));
}

/*
 * result_add_host - append a zeroed host result, owned by the target.
 * The pointer stays valid only until the next result_add_host().
 */
struct host_result *
result_add_host(struct target_result *t)
{
	struct host_result	*h;

	if (t->nhosts == 0)
		t->hosts = pool_get(&host_pool);
	else
		t->hosts = xreallocarray(t->hosts, t->nhosts + 1,
		    sizeof(*t->hosts));
	h = &t->hosts[t->nhosts++];
	memset(h, 0, sizeof(*h));
	h->preference = -1;
	return h;
}

/*
 * A finding's or violation's message: in English (JSON, Nagios and
 * Prometheus say it), and in the user's language for the text report in
 * *text when the catalogue has fmt (else NULL)
 */
static char	*result_vmessage(const char *, va_list, char **)
    __attribute__((format(printf, 1, 0)));

static char *
result_vmessage(const char *fmt, va_list ap, char **text)
{
	va_list	 ap2;
	char	*msg;

	va_copy(ap2, ap);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	*text = NULL;
	if (gettext(fmt) != fmt && vasprintf(text, gettext(fmt), ap2) == -1)
		fatal("vasprintf");
	va_end(ap2);
	return msg;
}

/*
 * result_add_finding - append a finding; strings are copied
 */
void
result_add_finding(struct target_result *t, enum finding_severity sev,
    const char *id, const char *host, const char *address, const char *fmt, ...)
{
	struct finding	*f;
	va_list		 ap;
	char		*msg, *text;

	va_start(ap, fmt);
	msg = result_vmessage(fmt, ap, &text);
	va_end(ap);
	t->findings = xreallocarray(t->findings, t->nfindings + 1, sizeof(*t->findings));
	f = &t->findings[t->nfindings++];
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->id = xstrdup(id);
	f->host = host ? xstrdup(host) : NULL;
	f->address = address ? xstrdup(address) : NULL;
	f->message = msg;
	f->message_text = text;
}

/*
 * result_add_violation - append a policy violation; strings are copied
 */
void
result_add_violation(struct target_result *t, const char *rule, const char *host,
    const char *address, int unverified, const char *fmt, ...)
{
	struct violation	*v;
	va_list			 ap;
	char			*msg, *text;

	va_start(ap, fmt);
	msg = result_vmessage(fmt, ap, &text);
	va_end(ap);
	t->violations = xreallocarray(t->violations, t->nviolations + 1,
	    sizeof(*t->violations));
	v = &t->violations[t->nviolations++];
	v->rule = xstrdup(rule);
	v->host = host ? xstrdup(host) : NULL;
	v->address = address ? xstrdup(address) : NULL;
	v->message = msg;
	v->message_text = text;
	v->unverified = unverified;
}

size_t
result_violations(const struct target_result *t)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->nviolations; i++)
		if (!t->violations[i].unverified)
			n++;
	return n;
}

/*
 * result_host_probed - a session to this address ran to its end: the
 * greeting was 220 and the commands were answered (a QUIT that got no
 * 221 included).  A 554 greeting, a 421, a refused EHLO and HELO, a
 * timeout or a reset leave nothing verified (RFC 5321 3.1, 3.8): such
 * an address is not probed.
 */
int
result_host_probed(const struct host_result *h)
{
	return h->banner.code == 220 && h->fail == PROBE_F_NONE;
}

/* result_target_probed - at least one address of t was probed */
int
result_target_probed(const struct target_result *t)
{
	size_t	 i;

	for (i = 0; i < t->nhosts; i++)
		if (result_host_probed(&t->hosts[i]))
			return 1;
	return 0;
}

/*
 * result_target_outcome - the one rule for "was this target verified?",
 * asked by the exit status, the Nagios state, the Prometheus `failed'
 * series and the JSON `outcome'.
 *
 * OK: at least one address was probed.  NULL_MX: a null MX (RFC 7505)
 * is a complete answer.  TEMPORARY: nothing was probed and every address
 * that answered said 4xx (a 421 or a 4xx greeting: busy, greylisted),
 * so trying later may work.  FAILED: nothing was probed for a lasting or
 * unknown reason (554 or 5xx greeting, unreachable, timeout, reset, DNS
 * failure, no address).  INTERRUPTED: our own signal cut it short.
 */
enum target_outcome
result_target_outcome(const struct target_result *t)
{
	const struct host_result	*h;
	size_t				 i, temporary = 0;

	if (t->interrupted)
		return OUTCOME_INTERRUPTED;
	if (t->dns.null_mx)
		return OUTCOME_NULL_MX;
	if (result_target_probed(t))
		return OUTCOME_OK;
	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		if (h->fail == PROBE_F_SHUTDOWN || (h->banner.code >= 400 &&
		    h->banner.code < 500) || (h->fail == PROBE_F_REJECT &&
		    h->ehlo.reply.code >= 400 && h->ehlo.reply.code < 500))
			temporary++;
	}
	if (t->nhosts > 0 && temporary == t->nhosts)
		return OUTCOME_TEMPORARY;
	return OUTCOME_FAILED;
}

static const char *strooutcome[OUTCOME_LAST] = {
	[OUTCOME_OK] = "ok",
	[OUTCOME_NULL_MX] = "null_mx",
	[OUTCOME_TEMPORARY] = "temporary",
	[OUTCOME_FAILED] = "failed",
	[OUTCOME_INTERRUPTED] = "interrupted",
};

const char *
result_outcome_name(enum target_outcome o)
{
	return o < OUTCOME_LAST ? strooutcome[o] : "?";
}

/*
 * result_target_failed - the target could not be verified (see
 * result_target_outcome()): exit status 2.
 */
int
result_target_failed(const struct target_result *t)
{
	enum target_outcome	 o = result_target_outcome(t);

	return o != OUTCOME_OK && o != OUTCOME_NULL_MX;
}
