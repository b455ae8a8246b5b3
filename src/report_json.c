/* SPDX-License-Identifier: ISC */
/*
 * report_json - one target as a smtpprobe/1 JSON object (jansson).
 *
 * JSON text must be UTF-8 (RFC 8259 8.1) and jansson refuses strings that
 * are not (json_string() returns NULL), so every string, ours or the
 * server's, goes through escape_utf8() first: invalid bytes become
 * U+FFFD, control characters are kept and escaped by jansson.  A value
 * jansson cannot build is a bug, not a silently missing key: fatalx().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "baseline.h"
#include "auth.h"
#include "dane.h"
#include "delivery.h"
#include "ehlo.h"
#include "escape.h"
#include "log.h"
#include "reply.h"
#include "report.h"
#include "result.h"
#include "tls.h"
#include "util.h"

static const struct {
	unsigned	 bit;
	const char	*name;
} reply_flag_names[] = {
	{ REPLY_F_BARE_LF, "bare_lf" },
	{ REPLY_F_LONG_LINE, "long_line" },
	{ REPLY_F_TRUNCATED, "truncated" },
	{ REPLY_F_CODE_MISMATCH, "code_mismatch" },
	{ REPLY_F_NUL, "nul" },
	{ REPLY_F_BARE_CR, "bare_cr" },
	{ HOST_F_EXTRA_BYTES, "extra_bytes" },
};

static const char *kind_names[] = {
	[TARGET_DOMAIN] = "domain",
	[TARGET_HOST] = "host",
	[TARGET_ADDRESS] = "address",
};

static json_t *
jcheck(json_t *v, const char *what)
{
	if (v == NULL)
		fatalx("report_json: cannot build %s", what);
	return v;
}

static void
jset(json_t *obj, const char *key, json_t *v)
{
	/* every key is a literal or escape_utf8() output: valid UTF-8 */
	if (v == NULL || json_object_set_new_nocheck(obj, key, v) == -1)
		fatalx("report_json: cannot set \"%s\"", key);
}

static void
jappend(json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) == -1)
		fatalx("report_json: cannot append to an array");
}

/* bytes (NULL: null) as a JSON string, made valid UTF-8 */
static json_t *
jbytes(const char *s, size_t len)
{
	json_t	*v;
	char	*u;

	size_t	 i;

	if (s == NULL)
		return jcheck(json_null(), "null");
	/* the usual case, plain ASCII, needs no copy and no second check */
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
			break;
	if (i == len)
		return jcheck(json_stringn_nocheck(s, len), "string");
	/* escape_utf8() makes it valid UTF-8, without NUL */
	u = escape_utf8(s, len);
	v = jcheck(json_string_nocheck(u), "string");
	free(u);
	return v;
}

static json_t *
jstr(const char *s)
{
	return jbytes(s, s != NULL ? strlen(s) : 0);
}

static json_t *
jint(long long n)
{
	return jcheck(json_integer(n), "integer");
}

static json_t *
jbool(int b)
{
	return jcheck(json_boolean(b), "boolean");
}

static json_t *
jnull(void)
{
	return jcheck(json_null(), "null");
}

static json_t *
jobj(void)
{
	return jcheck(json_object(), "object");
}

static json_t *
jarr(void)
{
	return jcheck(json_array(), "array");
}

/* RFC 3339 UTC with milliseconds: 2026-11-29T08:30:00.123Z */
static json_t *
jtime(const struct timespec *ts)
{
	struct tm	 tm;
	time_t		 sec = ts->tv_sec;
	long		 ms = ts->tv_nsec / 1000000;
	char		 buf[64];

	if (gmtime_r(&sec, &tm) == NULL)
		return jnull();
	if (ms < 0 || ms > 999)
		ms = 0;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	return jstr(buf);
}

static json_t *
json_dns(const struct dns_result *d)
{
	json_t	*o, *mxs, *mx, *addrs;
	size_t	 i, j;

	o = jobj();
	mxs = jarr();
	for (i = 0; i < d->nmx; i++) {
		const struct mx_rec	*m = &d->mx[i];

		mx = jobj();
		jset(mx, "preference", m->preference >= 0 ?
		    jint(m->preference) : jnull());
		jset(mx, "host", jstr(m->host));
		addrs = jarr();
		for (j = 0; j < m->naddrs; j++)
			jappend(addrs, jstr(m->addrs[j]));
		jset(mx, "addresses", addrs);
		jset(mx, "cname", jbool(m->is_cname));
		jset(mx, "error", jstr(m->error));
		jappend(mxs, mx);
	}
	jset(o, "mx", mxs);
	/* the records the MX cap left out, most preferred first */
	mxs = jarr();
	for (i = 0; i < d->nmx_dropped; i++) {
		mx = jobj();
		jset(mx, "preference", jint(d->mx_dropped[i].preference));
		jset(mx, "host", jstr(d->mx_dropped[i].host));
		jappend(mxs, mx);
	}
	jset(o, "mx_dropped", mxs);
	jset(o, "null_mx", jbool(d->null_mx));
	jset(o, "implicit_mx", jbool(d->implicit_mx));
	/* the MX answer was DNSSEC-validated (RFC 7672 2.2.1); null: no MX query */
	jset(o, "mx_ad", d->queried ? jbool(d->mx_ad) : jnull());
	jset(o, "rcode", jstr(d->rcode));
	jset(o, "error", jstr(d->error));
	return o;
}

/* {"code", "text"} of a reply, or null when none was received */
static json_t *
json_reply(const struct reply_rec *r)
{
	json_t	*o;

	if (r->code == 0 && r->text == NULL)
		return jnull();
	o = jobj();
	jset(o, "code", r->code != 0 ? jint(r->code) : jnull());
	jset(o, "text", jbytes(r->text, r->textlen));
	return o;
}

/* the params of an extension: ["PLAIN", "LOGIN"] */
static json_t *
json_params(const struct ehlo_ext *e)
{
	json_t	*params;
	size_t	 j;

	params = jarr();
	for (j = 0; j < e->nparams; j++)
		jappend(params, jstr(e->params[j]));
	return params;
}

/*
 * Set obj[NAME] = v for an extension.  Keywords are server bytes too:
 * made valid UTF-8 they may collide; a repeated one: first wins, and v
 * is dropped.
 */
static void
jset_ext(json_t *obj, const struct ehlo_ext *e, json_t *v)
{
	char	*key;

	key = escape_utf8(e->name, strlen(e->name));
	if (json_object_get(obj, key) == NULL)
		jset(obj, key, v);
	else
		json_decref(v);
	free(key);
}

/* {NAME: [params]} of an EHLO reply */
static json_t *
json_extensions(const struct ehlo_info *info)
{
	json_t	*exts;
	size_t	 i;

	exts = jobj();
	for (i = 0; i < info->nexts; i++) {
		const struct ehlo_ext	*e = &info->exts[i];

		if (e->name != NULL)
			jset_ext(exts, e, json_params(e));
	}
	return exts;
}

/*
 * What of an EHLO reply is not in extensions, so that nothing the server
 * sent is silently lost: the lines that are not "keyword [param ...]"
 * (raw, the first EHLO_MAX_UNPARSED), how many more of them there were,
 * and how many keyword lines were read (their EXT_* bits count, as for
 * tls.offered) but not stored (past EHLO_MAX_EXTS keywords or the reply's
 * text cap).
 */
static void
json_ehlo_rest(json_t *o, const struct ehlo_info *info)
{
	json_t	*lines;
	size_t	 i;

	lines = jarr();
	for (i = 0; i < info->nunparsed; i++)
		jappend(lines, jstr(info->unparsed[i]));
	jset(o, "unparsed", lines);
	jset(o, "unparsed_not_stored",
	    jint((long long)info->malformed - (long long)info->nunparsed));
	jset(o, "extensions_not_stored", jint((long long)info->ndropped));
}

static json_t *
json_ehlo(const struct host_result *h)
{
	const struct ehlo_info	*info = &h->ehlo.info;
	json_t			*o;

	if (h->ehlo.reply.code == 0 && h->ehlo.reply.text == NULL &&
	    !h->ehlo.used_helo)
		return jnull();
	o = jobj();
	jset(o, "code", h->ehlo.reply.code != 0 ? jint(h->ehlo.reply.code) :
	    jnull());
	jset(o, "text", jbytes(h->ehlo.reply.text, h->ehlo.reply.textlen));
	jset(o, "domain", jstr(info->domain));
	jset(o, "helo_fallback", jbool(h->ehlo.used_helo));
	if (h->ehlo.used_helo)
		jset(o, "helo", json_reply(&h->ehlo.helo_reply));
	jset(o, "extensions", json_extensions(info));
	json_ehlo_rest(o, info);
	return o;
}

/* the peer certificate's facts, or null */
static json_t *
json_cert(const struct tls_result *tls)
{
	const struct tls_cert	*c = &tls->cert;
	json_t			*o, *sans;
	size_t			 i;

	if (!tls->have_cert)
		return jnull();
	o = jobj();
	jset(o, "subject", jstr(c->subject));
	jset(o, "issuer", jstr(c->issuer));
	sans = jarr();
	for (i = 0; i < c->nsans; i++)
		jappend(sans, jstr(c->sans[i]));
	jset(o, "sans", sans);
	jset(o, "not_before", jstr(c->not_before));
	jset(o, "not_after", jstr(c->not_after));
	jset(o, "days_left", jint(c->days_left));
	jset(o, "key_type", jstr(c->key_type));
	jset(o, "key_bits", jint(c->key_bits));
	jset(o, "signature_algorithm", jstr(c->sig_alg));
	jset(o, "sha256", jstr(c->sha256));
	jset(o, "spki_sha256", jstr(c->spki_sha256));
	jset(o, "self_signed", jbool(c->self_signed));
	return o;
}

/*
 * The chain as the peer sent it, leaf first: digests always, "pem" null
 * unless --show-certs kept it (tls.pem_kept says which); null without a
 * completed handshake.
 */
static json_t *
json_chain(const struct tls_result *tls)
{
	const struct tls_chain_cert	*cc;
	json_t				*a, *o;
	size_t				 i;

	if (!tls->have_cert)
		return jnull();
	a = jarr();
	for (i = 0; i < tls->nchain; i++) {
		cc = &tls->chain[i];
		o = jobj();
		jset(o, "subject", jstr(cc->subject));
		jset(o, "issuer", jstr(cc->issuer));
		jset(o, "sha256", jstr(cc->sha256));
		jset(o, "spki_sha256", jstr(cc->spki_sha256));
		jset(o, "pem", jstr(cc->pem));
		jappend(a, o);
	}
	return a;
}

/* what was checked about the certificate, or null without one */
static json_t *
json_verify(const struct tls_result *tls)
{
	json_t	*o;

	if (!tls->have_cert)
		return jnull();
	o = jobj();
	jset(o, "chain_ok", jbool(tls->verify.chain_ok));
	jset(o, "chain_error", jstr(tls->verify.chain_error));
	jset(o, "name", jstr(tls->verify.name));
	jset(o, "name_ok", jbool(tls->verify.name_ok));
	return o;
}

/* the EHLO reply inside TLS (RFC 3207 4.2), or null */
static json_t *
json_ehlo_after(const struct tls_result *tls)
{
	const struct reply_rec	*r = &tls->ehlo_after_reply;
	json_t			*o;

	if (!tls->have_ehlo_after)
		return jnull();
	o = jobj();
	jset(o, "code", r->code != 0 ? jint(r->code) : jnull());
	jset(o, "text", jbytes(r->text, r->textlen));
	jset(o, "extensions", json_extensions(&tls->ehlo_after));
	json_ehlo_rest(o, &tls->ehlo_after);
	return o;
}

/*
 * What the EHLO reply inside TLS says differently from the first one:
 * {"added": {NAME: [..]}, "removed": {..}, "changed": {NAME: {"before":
 * [..], "after": [..]}}}, or null when there is no second reply.
 */
static json_t *
json_ehlo_diff(const struct host_result *h)
{
	struct ehlo_diff	 d;
	json_t			*o, *sub, *ch;
	size_t			 i;

	if (!h->tls.have_ehlo_after)
		return jnull();
	ehlo_diff(&h->ehlo.info, &h->tls.ehlo_after, &d);
	o = jobj();
	sub = jobj();
	for (i = 0; i < d.nadded; i++)
		jset_ext(sub, d.added[i], json_params(d.added[i]));
	jset(o, "added", sub);
	sub = jobj();
	for (i = 0; i < d.nremoved; i++)
		jset_ext(sub, d.removed[i], json_params(d.removed[i]));
	jset(o, "removed", sub);
	sub = jobj();
	for (i = 0; i < d.nchanged; i++) {
		ch = jobj();
		jset(ch, "before", json_params(d.changed[i].before));
		jset(ch, "after", json_params(d.changed[i].after));
		jset_ext(sub, d.changed[i].before, ch);
	}
	jset(o, "changed", sub);
	ehlo_diff_free(&d);
	return o;
}

/* lower-case hex of TLSA association data */
static json_t *
jhex(const uint8_t *data, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	json_t			*v;
	char			*s;
	size_t			 i;

	if (len > (SIZE_MAX - 1) / 2)
		fatalx("%s: length overflows", __func__);
	s = xmalloc(len * 2 + 1);
	for (i = 0; i < len; i++) {
		s[2 * i] = hex[data[i] >> 4];
		s[2 * i + 1] = hex[data[i] & 0x0f];
	}
	s[2 * len] = '\0';
	v = jstr(s);
	free(s);
	return v;
}

/*
 * TLSA records of the MX, how the peer matched them, and what that means
 * (dane_judge(), RFC 7672); null without TLSA records or a failed lookup
 */
static json_t *
json_dane(const struct tls_result *tls)
{
	struct dane_verdict	 v;
	json_t			*o, *recs, *rec;
	size_t			 i;

	if (tls->ntlsa == 0 && tls->tlsa_error == NULL)
		return jnull();
	dane_judge(tls, &v);
	o = jobj();
	recs = jarr();
	for (i = 0; i < tls->ntlsa; i++) {
		const struct tlsa_rec	*t = &tls->tlsa[i];

		rec = jobj();
		jset(rec, "usage", jint(t->usage));
		jset(rec, "selector", jint(t->selector));
		jset(rec, "matching_type", jint(t->mtype));
		jset(rec, "data", jhex(t->data, t->data != NULL ? t->len : 0));
		/*
		 * null: not compared (no handshake) or unusable for SMTP
		 * (-1: PKIX usages, RFC 7672 3.1.3)
		 */
		jset(rec, "matched", !tls->ok || t->matched < 0 ? jnull() :
		    jbool(t->matched));
		jappend(recs, rec);
	}
	jset(o, "records", recs);
	jset(o, "ad", jbool(tls->tlsa_ad));
	/* a count: named so that it is not read as the records' boolean */
	jset(o, "matched_count", tls->ok && tls->dane_matched >= 0 ?
	    jint(tls->dane_matched) : jnull());
	jset(o, "error", jstr(tls->tlsa_error));
	jset(o, "state", jstr(dane_state_name(v.state)));
	jset(o, "applies", jbool(v.applies));
	jset(o, "authenticated", jbool(v.authenticated));
	jset(o, "pkix", jbool(v.pkix));
	return o;
}

/* --tls-versions: {"TLSv1": {accepted, cipher, error}, ...} or null */
static json_t *
json_tls_versions(const struct tls_versions *tv)
{
	json_t	*o, *v;
	int	 i;

	if (!tv->probed)
		return jnull();
	o = jobj();
	for (i = 0; i < TLS_NVERSIONS; i++) {
		v = jobj();
		jset(v, "accepted", tv->v[i].accepted < 0 ? jnull() :
		    jbool(tv->v[i].accepted));
		jset(v, "cipher", jstr(tv->v[i].cipher));
		jset(v, "error", jstr(tv->v[i].error));
		jset(o, tls_versions_name(i), v);
	}
	return o;
}

/*
 * The "tls" object: what was offered and tried, the STARTTLS reply, the
 * session, the peer certificate and its verification, the EHLO reply
 * inside TLS and what changed in it, and DANE.  Values that only a
 * completed handshake gives are null without one.
 */
static json_t *
json_tls(const struct host_result *h)
{
	const struct tls_result	*tls = &h->tls;
	json_t			*o;

	o = jobj();
	jset(o, "offered", jbool(tls->offered));
	jset(o, "implicit", jbool(tls->implicit));
	jset(o, "attempted", jbool(tls->attempted));
	jset(o, "starttls", json_reply(&tls->starttls));
	jset(o, "ok", jbool(tls->ok));
	jset(o, "handshake_ms", tls->ok ? jint(tls->handshake_ms) : jnull());
	jset(o, "version", jstr(tls->version));
	jset(o, "cipher", jstr(tls->cipher));
	jset(o, "group", jstr(tls->group));
	jset(o, "error", jstr(tls->error));
	jset(o, "injection", jbool(tls->injection));
	jset(o, "fallback", jbool(tls->fallback));
	jset(o, "peer_certificate", json_cert(tls));
	jset(o, "chain_length", tls->have_cert ? jint(tls->chain_len) :
	    jnull());
	jset(o, "chain", json_chain(tls));
	jset(o, "pem_kept", jbool(tls->pem_kept && tls->have_cert));
	jset(o, "verify", json_verify(tls));
	jset(o, "ehlo_after", json_ehlo_after(tls));
	jset(o, "ehlo_diff", json_ehlo_diff(h));
	jset(o, "dane", json_dane(tls));
	jset(o, "versions", json_tls_versions(&tls->versions));
	return o;
}

/* mechanisms, or null when that EHLO reply was not read */
static json_t *
json_mechs(int known, const struct ehlo_auth *a)
{
	json_t	*arr;
	size_t	 i;

	if (!known)
		return jnull();
	arr = jarr();
	for (i = 0; i < a->nmechs; i++)
		jappend(arr, jstr(a->mechs[i]));
	return arr;
}

/* SMTP AUTH as advertised before and after TLS (auth_view()) */
static json_t *
json_auth(const struct host_result *h)
{
	struct auth_view	 a;
	json_t			*o;

	auth_view(h, &a);
	o = jobj();
	jset(o, "before_tls", json_mechs(a.known_before, &a.before));
	jset(o, "after_tls", json_mechs(a.known_after, &a.after));
	jset(o, "cleartext_before_tls", jbool(a.cleartext_before_tls));
	return o;
}

/* the enhanced code of a reply, or null */
static json_t *
json_enhanced(const struct reply_rec *r)
{
	return r->enhanced[0] != '\0' ? jbytes(r->enhanced,
	    strnlen(r->enhanced, sizeof(r->enhanced))) : jnull();
}

/* VRFY's control probe (codes_verdict()): null when it was not sent */
static json_t *
json_control(const struct cmd_result *c)
{
	json_t	*o;

	if (!c->control.sent)
		return jnull();
	o = jobj();
	jset(o, "arg", jstr(c->control.arg));
	jset(o, "code", c->control.reply.code != 0 ?
	    jint(c->control.reply.code) : jnull());
	jset(o, "enhanced", json_enhanced(&c->control.reply));
	jset(o, "text", jbytes(c->control.reply.text, c->control.reply.textlen));
	jset(o, "status", jstr(status_name(c->control.status)));
	return o;
}

static json_t *
json_command(const struct cmd_result *c)
{
	json_t	*o;

	o = jobj();
	if (c->status == ST_NOT_TRIED) {
		jset(o, "status", jstr(status_name(c->status)));
		jset(o, "reason", jstr(c->why_not_tried));
		return o;
	}
	jset(o, "arg", jstr(c->arg));
	jset(o, "code", c->reply.code != 0 ? jint(c->reply.code) : jnull());
	jset(o, "enhanced", json_enhanced(&c->reply));
	jset(o, "text", jbytes(c->reply.text, c->reply.textlen));
	jset(o, "status", jstr(status_name(c->status)));
	if (strcmp(c->verb, "VRFY") == 0)
		jset(o, "control", json_control(c));
	jset(o, "advice", jstr(c->advice));
	jset(o, "advertised", jbool(c->advertised));
	jset(o, "tls", jbool(c->in_tls));
	jset(o, "ms", jint(c->reply.ms));
	if (c->status == ST_ERROR && c->why_not_tried != NULL)
		jset(o, "reason", jstr(c->why_not_tried));
	return o;
}

/*
 * Every MX record this one session stands for: "preferences" and
 * "mx_names", each value once, in preference order (scan.c adds the
 * records sorted, so the first are "preference" and "mx").  Both are
 * empty for a host or address target.
 */
static void
json_mxrefs(json_t *o, const struct host_result *h)
{
	json_t	*prefs, *names;
	size_t	 i, j;

	prefs = jarr();
	names = jarr();
	for (i = 0; i < h->nmxrefs; i++) {
		const struct mx_ref	*r = &h->mxrefs[i];

		for (j = 0; j < i && h->mxrefs[j].preference != r->preference; j++)
			;
		if (j == i)
			jappend(prefs, jint(r->preference));
		for (j = 0; j < i && strcasecmp(h->mxrefs[j].host, r->host) != 0; j++)
			;
		if (j == i)
			jappend(names, jstr(r->host));
	}
	jset(o, "preferences", prefs);
	jset(o, "mx_names", names);
}

static json_t	*json_delivery(const struct target_result *,
		    const struct host_result *);

static json_t *
json_host(const struct target_result *t, const struct host_result *h)
{
	json_t	*o, *sub, *cmds, *flags;
	char	*key;
	size_t	 i;

	o = jobj();
	jset(o, "mx", jstr(h->mx));
	jset(o, "preference", h->preference >= 0 ? jint(h->preference) :
	    jnull());
	json_mxrefs(o, h);
	jset(o, "address", jbytes(h->address, strnlen(h->address,
	    sizeof(h->address))));
	jset(o, "port", jint(h->port));

	sub = jobj();
	jset(sub, "ok", jbool(h->connect.ok));
	jset(sub, "ms", jint(h->connect.ms));
	jset(sub, "error", jstr(h->connect.error));
	jset(o, "connect", sub);

	jset(o, "banner", json_reply(&h->banner));
	if (h->ptr.checked) {
		sub = jobj();
		jset(sub, "name", jstr(h->ptr.name));
		jset(sub, "fcrdns", h->ptr.fcrdns < 0 ? jnull() :
		    jbool(h->ptr.fcrdns));
		jset(sub, "error", jstr(h->ptr.error));
		jset(o, "ptr", sub);
	} else
		jset(o, "ptr", jnull());
	jset(o, "ehlo", json_ehlo(h));
	jset(o, "tls", json_tls(h));
	/* RFC 8461 4.1: the policy's mx pattern this MX matches */
	jset(o, "mx_match", t->sts.have_policy ? jstr(delivery_mx_match(t, h->mx)) :
	    jnull());
	jset(o, "delivery", json_delivery(t, h));
	jset(o, "auth", json_auth(h));

	cmds = jobj();
	for (i = 0; i < h->ncmds && i < PROBE_MAX_CMDS; i++) {
		key = escape_utf8(h->cmds[i].verb, strnlen(h->cmds[i].verb,
		    sizeof(h->cmds[i].verb)));
		/* one key per verb: cli.c refuses a verb given twice */
		jset(cmds, key, json_command(&h->cmds[i]));
		free(key);
	}
	jset(o, "commands", cmds);

	if (h->quit.code != 0) {
		sub = jobj();
		jset(sub, "code", jint(h->quit.code));
		jset(o, "quit", sub);
	} else
		jset(o, "quit", jnull());

	jset(o, "error", jstr(h->error));
	if (h->fail != PROBE_F_NONE) {
		sub = jobj();
		jset(sub, "class", jstr(probe_fail_name(h->fail)));
		jset(sub, "state", jstr(h->fail_state));
		jset(o, "failure", sub);
	} else
		jset(o, "failure", jnull());

	flags = jarr();
	for (i = 0; i < nitems(reply_flag_names); i++)
		if (h->flags & reply_flag_names[i].bit)
			jappend(flags, jstr(reply_flag_names[i].name));
	jset(o, "flags", flags);
	jset(o, "early_talker", jbool(h->early_talker));
	jset(o, "duration_ms", jint(h->duration_ms));
	jset(o, "shared", jbool(h->shared));
	jset(o, "shared_from", h->shared_from != NULL ? jstr(h->shared_from) : jnull());
	if (h->transcript != NULL) {
		/* -v: the dialogue, one line an element ("-> ", "<- ", "** ") */
		const char	*line = h->transcript, *end = h->transcript +
		    h->transcript_len, *nl;

		sub = jarr();
		while (line < end) {
			nl = memchr(line, '\n', (size_t)(end - line));
			if (nl == NULL)
				nl = end;
			jappend(sub, jbytes(line, (size_t)(nl - line)));
			line = nl + 1;
		}
		jset(o, "transcript", sub);
	}
	return o;
}

/* {"delivers": true|false|null, "reason": ...} */
static json_t *
json_verdict(const struct delivery_verdict *v)
{
	json_t	*o = jobj();

	jset(o, "delivers", v->delivers < 0 ? jnull() : jbool(v->delivers));
	jset(o, "reason", jstr(v->reason));
	return o;
}

/* {"opportunistic": ..., "dane": ..., "mta_sts": ...}: delivery.c decides */
static json_t *
json_delivery(const struct target_result *t, const struct host_result *h)
{
	static const char	*keys[DELIVERY_LAST] = {
		"opportunistic", "dane", "mta_sts"
	};
	struct delivery_verdict	 v;
	json_t			*o = jobj();
	int			 i;

	for (i = 0; i < DELIVERY_LAST; i++) {
		if (h != NULL)
			delivery_judge_host(t, h, (enum delivery_sender)i, &v);
		else
			delivery_judge(t, (enum delivery_sender)i, &v);
		jset(o, keys[i], json_verdict(&v));
	}
	return o;
}

/* MTA-STS of a domain (RFC 8461): null when not looked up */
static json_t *
json_mta_sts(const struct target_result *t)
{
	const struct sts_result	*s = &t->sts;
	json_t	*o, *sub, *mx;
	size_t	 i;

	if (!s->checked)
		return jnull();
	o = jobj();
	jset(o, "txt", jstr(s->txt));
	jset(o, "txt_rcode", jstr(s->txt_rcode));
	jset(o, "txt_error", jstr(s->txt_error != NULL ? s->txt_error :
	    s->txt_invalid));
	jset(o, "id", s->id[0] != '\0' ? jstr(s->id) : jnull());
	if (s->have_policy) {
		sub = jobj();
		mx = jarr();
		jset(sub, "mode", jstr(mtasts_mode_name(s->policy.mode)));
		for (i = 0; i < s->policy.nmx; i++)
			jappend(mx, jstr(s->policy.mx[i]));
		jset(sub, "mx", mx);
		jset(sub, "max_age", jint(s->policy.max_age));
		jset(o, "policy", sub);
	} else
		jset(o, "policy", jnull());
	jset(o, "policy_error", jstr(s->policy_error));
	sub = jobj();
	jset(sub, "url", jstr(s->policy_url));
	jset(sub, "address", jstr(s->policy_address));
	jset(sub, "status", s->status > 0 ? jint(s->status) : jnull());
	jset(sub, "class", jstr(s->fetch_class));
	jset(sub, "error", jstr(s->fetch_error));
	jset(sub, "ms", jint(s->fetch_ms));
	jset(o, "fetch", sub);
	/* what a sender applies: none unless TXT and policy are both valid */
	jset(o, "mode", jstr(mtasts_mode_name(delivery_sts_mode(t))));
	return o;
}

/* TLS-RPT of a domain (RFC 8460): null when not looked up */
static json_t *
json_tls_rpt(const struct sts_result *s)
{
	json_t	*o, *rua;
	size_t	 i;

	if (!s->checked)
		return jnull();
	o = jobj();
	rua = jarr();
	jset(o, "txt", jstr(s->rpt_txt));
	jset(o, "error", jstr(s->rpt_error != NULL ? s->rpt_error : s->rpt_invalid));
	for (i = 0; s->have_rpt && i < s->rpt.nrua; i++)
		jappend(rua, jstr(s->rpt.rua[i]));
	jset(o, "rua", rua);
	return o;
}

static json_t *
json_finding(const struct finding *f)
{
	json_t	*o;

	o = jobj();
	jset(o, "severity", jstr(severity_name(f->severity)));
	jset(o, "id", jstr(f->id));
	jset(o, "host", jstr(f->host));
	jset(o, "address", jstr(f->address));
	jset(o, "message", jstr(f->message));
	jset(o, "advice", jstr(f->advice));
	jset(o, "rfc", jstr(f->rfc));
	return o;
}

/*
 * --baseline: what changed since the baseline (baseline.c), regressions
 * first; null when the target is not in the baseline
 */
static json_t *
json_changes(const struct target_result *t)
{
	json_t	*arr, *o;
	size_t	 i;

	if (t->baseline < 0)
		return jnull();
	arr = jarr();
	for (i = 0; i < t->nchanges; i++) {
		const struct change	*c = &t->changes[i];

		o = jobj();
		jset(o, "kind", jstr(change_kind_name(c->kind)));
		jset(o, "severity", jstr(change_severity_name(c->severity)));
		jset(o, "host", jstr(c->host));
		jset(o, "address", jstr(c->address));
		jset(o, "command", jstr(c->command));
		jset(o, "before", jstr(c->before));
		jset(o, "after", jstr(c->after));
		jappend(arr, o);
	}
	return arr;
}

/* the run-level "baseline": the file, its time, what was compared */
static json_t *
json_baseline(const struct baseline *b)
{
	struct baseline_summary	 sum;
	json_t			*o, *arr;
	size_t			 i;

	baseline_summary(b, &sum);
	o = jobj();
	jset(o, "file", jstr(sum.path));
	jset(o, "time", jstr(sum.time));
	jset(o, "error", jstr(sum.error));
	jset(o, "targets_read", jint((long long)sum.records));
	jset(o, "records_skipped", jint((long long)sum.skipped));
	jset(o, "targets_compared", jint((long long)sum.compared));
	jset(o, "targets_new", jint((long long)sum.nnew));
	arr = jarr();
	for (i = 0; i < sum.nmissing; i++)
		jappend(arr, jstr(sum.missing[i]));
	jset(o, "missing", arr);
	return o;
}

/*
 * report_json_target - the smtpprobe/1 object for one target
 *
 * Returns a new reference; never NULL (fatalx() if jansson cannot
 * allocate).  The layout is documented in DESIGN.md ("JSON"), the man
 * page and contrib/schema.json.
 */
json_t *
report_json_target(const struct target_result *t)
{
	json_t	*o, *arr;
	size_t	 i;

	if ((unsigned)t->kind >= nitems(kind_names))
		fatalx("%s: bad target kind %d", __func__, (int)t->kind);
	o = jobj();
	jset(o, "schema", jstr(RESULT_SCHEMA));
	jset(o, "target", jstr(t->target));
	jset(o, "kind", jstr(kind_names[t->kind]));
	jset(o, "started", jtime(&t->started));
	jset(o, "duration_ms", jint(t->duration_ms));
	jset(o, "dns", t->kind == TARGET_ADDRESS ? jnull() : json_dns(&t->dns));
	/* --submission only: where the hosts probed on 587 and 465 came from */
	if (t->submission_source != NULL) {
		json_t	*sub = jobj();

		jset(sub, "source", jstr(t->submission_source));
		if (t->submission_srv_error != NULL)
			jset(sub, "srv_error", jstr(t->submission_srv_error));
		if (t->nsubmission_srv > 0) {
			/* RFC 6186 3.1: the SRV records, in probe order */
			arr = jarr();
			for (i = 0; i < t->nsubmission_srv; i++) {
				const struct submission_srv *sv =
				    &t->submission_srv[i];
				json_t	*r = jobj();

				jset(r, "service", jstr(sv->service));
				jset(r, "priority", jint(sv->priority));
				jset(r, "weight", jint(sv->weight));
				jset(r, "port", jint(sv->port));
				jset(r, "target", jstr(sv->target));
				jset(r, "offered", jbool(result_srv_offered(sv)));
				jappend(arr, r);
			}
			jset(sub, "srv", arr);
		}
		jset(o, "submission", sub);
	}

	arr = jarr();
	for (i = 0; i < t->nhosts; i++)
		jappend(arr, json_host(t, &t->hosts[i]));
	jset(o, "hosts", arr);

	arr = jarr();
	for (i = 0; i < t->nfindings; i++)
		jappend(arr, json_finding(&t->findings[i]));
	jset(o, "findings", arr);
	jset(o, "mta_sts", json_mta_sts(t));
	jset(o, "tls_rpt", json_tls_rpt(&t->sts));
	jset(o, "delivery", json_delivery(t, NULL));
	if (t->policy_checked) {
		json_t	*pol = jobj(), *vs = jarr();

		jset(pol, "spec", jstr(t->policy_spec));
		jset(pol, "ok", jbool(result_violations(t) == 0));
		for (i = 0; i < t->nviolations; i++) {
			const struct violation	*v = &t->violations[i];
			json_t			*vo = jobj();

			jset(vo, "rule", jstr(v->rule));
			jset(vo, "host", jstr(v->host));
			jset(vo, "address", jstr(v->address));
			jset(vo, "message", jstr(v->message));
			jset(vo, "unverified", jbool(v->unverified));
			jappend(vs, vo);
		}
		jset(pol, "violations", vs);
		jset(o, "policy", pol);
	} else
		jset(o, "policy", jnull());
	if (t->baseline != 0)
		jset(o, "changes", json_changes(t));
	jset(o, "outcome", jstr(result_outcome_name(result_target_outcome(t))));
	jset(o, "error", jstr(t->error));
	if (t->interrupted)
		jset(o, "interrupted", jbool(1));
	return o;
}

/*
 * report_json_run_head, report_json_run_tail - the --format json document
 * around the targets.  Its shape does not depend on how many targets
 * there are: the run-level fields, then "targets": [ ... ], streamed as
 * they finish.  The head is the text before the first target, the tail
 * the text after the last (both NUL-terminated, the caller frees them).
 */
char *
report_json_run_head(const struct timespec *started)
{
	json_t	*o = jobj();
	char	*text, *head;

	jset(o, "schema", jstr(RESULT_SCHEMA));
	jset(o, "kind", jstr("run"));
	jset(o, "started", jtime(started));
	if ((text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		fatalx("%s: cannot encode JSON", __func__);
	json_decref(o);
	/* drop the closing "\n}" and open the targets array */
	text[strlen(text) - 2] = '\0';
	head = xasprintf("%s,\n  \"targets\": [", text);
	free(text);
	return head;
}

/* {"count": n, "first": [names], "more": n} of a summary list */
static json_t *
json_sum_names(const struct summary_names *l)
{
	json_t	*o = jobj(), *arr = jarr();
	size_t	 i;

	jset(o, "count", jint((long long)l->n));
	for (i = 0; i < l->nnames; i++)
		jappend(arr, jstr(l->name[i]));
	jset(o, "first", arr);
	jset(o, "more", jint((long long)(l->n - l->named)));
	return o;
}

/*
 * report_json_summary - the run-level "summary" (issue 14): the same
 * figures as the text summary, every class present (zero or not) so that
 * a consumer needs no defaults.  contrib/schema.json, "summary".
 */
json_t *
report_json_summary(const struct summary *s)
{
	const struct summary_finding	*order[SUMMARY_IDS];
	json_t				*o = jobj(), *c, *v, *st, *arr;
	size_t				 i, j;
	int				 sev;

	c = jobj();
	jset(c, "total", jint((long long)s->targets));
	for (i = 0; i < SUM_LAST; i++)
		jset(c, summary_class_name((enum summary_class)i),
		    json_sum_names(&s->classes[i]));
	jset(o, "targets", c);
	c = jobj();
	jset(c, "total", jint((long long)s->hosts));
	jset(c, "probed", jint((long long)s->hosts_probed));
	jset(o, "hosts", c);

	c = jobj();
	for (i = 0; i < s->nverbs; i++) {
		const struct summary_verb *sv = &s->verbs[i];

		v = jobj();
		jset(v, "open", json_sum_names(&sv->open_hosts));
		jset(v, "closed", jint((long long)sv->closed));
		jset(v, "inconclusive", jint((long long)sv->inconclusive));
		st = jobj();
		for (j = 0; j < ST_LAST; j++)
			if (sv->status[j] > 0)
				jset(st, status_name((enum cmd_status)j),
				    jint((long long)sv->status[j]));
		jset(v, "statuses", st);
		jset(c, sv->verb, v);
	}
	jset(o, "commands", c);

	c = jobj();
	for (i = 0; i < TLSO_LAST; i++)
		jset(c, summary_tls_name((enum tls_outcome)i),
		    json_sum_names(&s->tls[i]));
	jset(o, "tls", c);

	c = jobj();
	v = jobj();
	for (sev = SEV_HIGH; sev >= SEV_INFO; sev--)
		jset(v, severity_name((enum finding_severity)sev),
		    jint((long long)s->sev[sev]));
	jset(c, "by_severity", v);
	arr = jarr();
	summary_ids_sorted(s, order);
	for (i = 0; i < s->nids; i++) {
		v = json_sum_names(&order[i]->targets);
		jset(v, "id", jstr(order[i]->id));
		jset(v, "severity", jstr(severity_name(order[i]->severity)));
		jappend(arr, v);
	}
	jset(c, "by_id", arr);
	jset(c, "other", jint((long long)s->other_ids));
	jset(o, "findings", c);

	c = jobj();
	arr = jarr();
	for (i = 0; i < s->nworst; i++) {
		v = jobj();
		jset(v, "target", jstr(s->worst[i].target));
		for (sev = SEV_HIGH; sev >= SEV_LOW; sev--)
			jset(v, severity_name((enum finding_severity)sev),
			    jint((long long)s->worst[i].sev[sev]));
		jappend(arr, v);
	}
	jset(c, "first", arr);
	jset(c, "more", jint((long long)(s->worst_total - s->nworst)));
	jset(o, "worst", c);
	return o;
}

/*
 * member_text - o (taken) encoded as a member of the run document: its
 * lines after the first indented by two more columns
 */
static char *
member_text(json_t *o)
{
	struct buf	 b = { 0 };
	char		*text, *p;

	if ((text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		fatalx("%s: cannot encode JSON", __func__);
	json_decref(o);
	for (p = text; *p != '\0'; p++) {
		buf_append(&b, p, 1);
		if (*p == '\n')
			buf_append(&b, "  ", 2);
	}
	buf_append(&b, "", 1);
	free(text);
	text = xstrdup(b.data);
	buf_free(&b);
	return text;
}

char *
report_json_run_tail(long duration_ms, const size_t counts[OUTCOME_LAST],
    const struct baseline *b, const struct summary *sum)
{
	json_t	*c = jobj();
	char	*text, *tail, *btext = NULL, *stext = NULL;
	size_t	 i, n = 0;

	for (i = 0; i < OUTCOME_LAST; i++) {
		jset(c, result_outcome_name((enum target_outcome)i),
		    jint((long long)counts[i]));
		n += counts[i];
	}
	jset(c, "targets", jint((long long)n));
	if ((text = json_dumps(c, JSON_INDENT(4) | JSON_PRESERVE_ORDER)) == NULL)
		fatalx("%s: cannot encode JSON", __func__);
	json_decref(c);
	/* the closing brace of counts, indented as a member of the document */
	text[strlen(text) - 1] = '\0';
	if (b != NULL)
		btext = member_text(json_baseline(b));
	if (sum != NULL)
		stext = member_text(report_json_summary(sum));
	tail = xasprintf("],\n  \"duration_ms\": %ld,\n%s%s%s  \"counts\": %s  }"
	    "%s%s\n}\n", duration_ms, b != NULL ? "  \"baseline\": " : "",
	    b != NULL ? btext : "", b != NULL ? ",\n" : "", text,
	    stext != NULL ? ",\n  \"summary\": " : "", stext != NULL ? stext : "");
	free(stext);
	free(text);
	free(btext);
	return tail;
}
