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
#include "jsonbuild.h"
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

/* 1 when no octet of s has its high bit set; eight octets a step */
static int
is_ascii(const char *s, size_t len)
{
	uint64_t	 w, high = 0;
	size_t		 i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		high |= w;
	}
	for (; i < len; i++)
		high |= (unsigned char)s[i];
	return (high & 0x8080808080808080ULL) == 0;
}

/*
 * The len octets at s as a JSON string's text: valid UTF-8 without NUL
 * (RFC 8259 8.1; jansson refuses anything else).  s itself in the usual
 * case, ASCII without NUL; else escape_utf8()'s copy (invalid bytes and
 * NUL become U+FFFD), which *tofree holds for the caller to free.  Its
 * length in *outlen.  Every server byte that reaches JSON goes through
 * here.
 */
static const char *
utf8_of(const char *s, size_t len, size_t *outlen, char **tofree)
{
	*tofree = NULL;
	*outlen = len;
	if (is_ascii(s, len) && memchr(s, '\0', len) == NULL)
		return s;
	*tofree = escape_utf8(s, len);
	*outlen = strlen(*tofree);
	return *tofree;
}

/* bytes (NULL: null) as a JSON string, made valid UTF-8 */
static json_t *
jbytes(const char *s, size_t len)
{
	json_t		*v;
	const char	*u;
	char		*tofree;

	if (s == NULL)
		return jcheck(json_null(), "null");
	u = utf8_of(s, len, &len, &tofree);
	v = jcheck(json_stringn_nocheck(u, len), "string");
	free(tofree);
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

/* n (0 <= n < 10^width) in width decimal digits, zero-padded */
static void
put_digits(char *p, int n, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + n % 10);
		n /= 10;
	}
}

/* RFC 3339 UTC with milliseconds: 2026-11-29T08:30:00.123Z; 0 or -1 */
static int
format_time(const struct timespec *ts, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 sec = ts->tv_sec;
	long		 ms = ts->tv_nsec / 1000000;

	if (gmtime_r(&sec, &tm) == NULL)
		return -1;
	if (ms < 0 || ms > 999)
		ms = 0;
	/* every record has one: snprintf() of seven numbers was 1 % of a batch */
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 || size < 25) {
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
		return 0;
	}
	put_digits(buf, tm.tm_year + 1900, 4);
	buf[4] = '-';
	put_digits(buf + 5, tm.tm_mon + 1, 2);
	buf[7] = '-';
	put_digits(buf + 8, tm.tm_mday, 2);
	buf[10] = 'T';
	put_digits(buf + 11, tm.tm_hour, 2);
	buf[13] = ':';
	put_digits(buf + 14, tm.tm_min, 2);
	buf[16] = ':';
	put_digits(buf + 17, tm.tm_sec, 2);
	buf[19] = '.';
	put_digits(buf + 20, (int)ms, 3);
	buf[23] = 'Z';
	buf[24] = '\0';
	return 0;
}

static json_t *
jtime(const struct timespec *ts)
{
	char	 buf[64];

	if (format_time(ts, buf, sizeof(buf)) == -1)
		return jnull();
	return jstr(buf);
}

/*
 * The target's record, written top down with jsonbuild (jsonbuild.h):
 * the same calls make the jansson tree (--format json, baseline.c) or
 * the JSON Lines text.  Each json_* below writes one value; the k*
 * helpers write a member of the object being written: its key, then the
 * value.
 */

/* bytes (NULL: null) as a JSON string, made valid UTF-8 */
static void
bbytes(struct jb *b, const char *s, size_t len)
{
	const char	*u;
	char		*tofree;

	if (s == NULL) {
		jb_null(b);
		return;
	}
	u = utf8_of(s, len, &len, &tofree);
	jb_stringn(b, u, len);
	free(tofree);
}

static void
bstr(struct jb *b, const char *s)
{
	bbytes(b, s, s != NULL ? strlen(s) : 0);
}

static void
kstr(struct jb *b, const char *key, const char *s)
{
	jb_key(b, key);
	bstr(b, s);
}

static void
kbytes(struct jb *b, const char *key, const char *s, size_t len)
{
	jb_key(b, key);
	bbytes(b, s, len);
}

static void
kint(struct jb *b, const char *key, long long n)
{
	jb_key(b, key);
	jb_int(b, n);
}

/* n when known, else null */
static void
kint_or_null(struct jb *b, const char *key, int known, long long n)
{
	jb_key(b, key);
	if (known)
		jb_int(b, n);
	else
		jb_null(b);
}

static void
kbool(struct jb *b, const char *key, int v)
{
	jb_key(b, key);
	jb_bool(b, v);
}

/* v < 0: null (not known), else a boolean */
static void
kbool_or_null(struct jb *b, const char *key, int v)
{
	jb_key(b, key);
	if (v < 0)
		jb_null(b);
	else
		jb_bool(b, v);
}

/* a key made of server bytes (an EHLO keyword, a verb; s a C string) */
static const char *
server_key(const char *s, char **tofree)
{
	size_t	 len;

	return utf8_of(s, strlen(s), &len, tofree);
}

/*
 * The keys of one object made of EHLO keywords, so that a repeated one
 * (made valid UTF-8, two keywords may collide) keeps its first value.
 */
struct ext_keys {
	char	**key;
	size_t	  n;
};

/* 1: key is new in this object (the set keeps a copy), 0: seen before */
static int
ext_keys_add(struct ext_keys *ks, const char *key)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		if (strcmp(ks->key[i], key) == 0)
			return 0;
	ks->key = xreallocarray(ks->key, ks->n + 1, sizeof(*ks->key));
	ks->key[ks->n++] = xstrdup(key);
	return 1;
}

static void
ext_keys_free(struct ext_keys *ks)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		free(ks->key[i]);
	free(ks->key);
	ks->key = NULL;
	ks->n = 0;
}


static void
json_time(struct jb *b, const struct timespec *ts)
{
	char	 buf[64];

	if (format_time(ts, buf, sizeof(buf)) == -1)
		jb_null(b);
	else
		bstr(b, buf);
}

static void
json_dns(struct jb *b, const struct dns_result *d)
{
	size_t	 i, j;

	jb_obj_open(b);
	jb_key(b, "mx");
	jb_arr_open(b);
	for (i = 0; i < d->nmx; i++) {
		const struct mx_rec	*m = &d->mx[i];

		jb_obj_open(b);
		kint_or_null(b, "preference", m->preference >= 0,
		    m->preference);
		kstr(b, "host", m->host);
		jb_key(b, "addresses");
		jb_arr_open(b);
		for (j = 0; j < m->naddrs; j++)
			bstr(b, m->addrs[j]);
		jb_arr_close(b);
		kbool(b, "cname", m->is_cname);
		kstr(b, "error", m->error);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	/* the records the MX cap left out, most preferred first */
	jb_key(b, "mx_dropped");
	jb_arr_open(b);
	for (i = 0; i < d->nmx_dropped; i++) {
		jb_obj_open(b);
		kint(b, "preference", d->mx_dropped[i].preference);
		kstr(b, "host", d->mx_dropped[i].host);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	kbool(b, "null_mx", d->null_mx);
	kbool(b, "implicit_mx", d->implicit_mx);
	/* the MX answer was DNSSEC-validated (RFC 7672 2.2.1); null: no MX query */
	kbool_or_null(b, "mx_ad", d->queried ? d->mx_ad != 0 : -1);
	kstr(b, "rcode", d->rcode);
	kstr(b, "error", d->error);
	jb_obj_close(b);
}

/* {"code", "text"} of a reply, or null when none was received */
static void
json_reply(struct jb *b, const struct reply_rec *r)
{
	if (r->code == 0 && r->text == NULL) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kint_or_null(b, "code", r->code != 0, r->code);
	kbytes(b, "text", r->text, r->textlen);
	jb_obj_close(b);
}

/* the params of an extension: ["PLAIN", "LOGIN"] */
static void
json_params(struct jb *b, const struct ehlo_ext *e)
{
	size_t	 j;

	jb_arr_open(b);
	for (j = 0; j < e->nparams; j++)
		bstr(b, e->params[j]);
	jb_arr_close(b);
}

/*
 * The key of an extension's member, unless its name (server bytes, made
 * valid UTF-8) is already a key of this object: a repeated one, first
 * wins.  Returns 0 when the member is to be left out.
 */
static int
key_ext(struct jb *b, struct ext_keys *ks, const struct ehlo_ext *e)
{
	const char	*key;
	char		*tofree;
	int		 isnew;

	key = server_key(e->name, &tofree);
	if ((isnew = ext_keys_add(ks, key)))
		jb_key(b, ks->key[ks->n - 1]);
	free(tofree);
	return isnew;
}

/* {NAME: [params]} of an EHLO reply */
static void
json_extensions(struct jb *b, const struct ehlo_info *info)
{
	struct ext_keys	 ks = { NULL, 0 };
	size_t		 i;

	jb_obj_open(b);
	for (i = 0; i < info->nexts; i++) {
		const struct ehlo_ext	*e = &info->exts[i];

		if (e->name != NULL && key_ext(b, &ks, e))
			json_params(b, e);
	}
	jb_obj_close(b);
	ext_keys_free(&ks);
}

/*
 * What of an EHLO reply is not in extensions, so that nothing the server
 * sent is silently lost: the lines that are not "keyword [param ...]"
 * (raw, the first EHLO_MAX_UNPARSED), how many more of them there were,
 * and how many keyword lines were read (their EXT_* bits count, as for
 * tls.offered) but not stored (past EHLO_MAX_EXTS keywords or the reply's
 * text cap).  Members of the object being written.
 */
static void
json_ehlo_rest(struct jb *b, const struct ehlo_info *info)
{
	size_t	 i;

	jb_key(b, "unparsed");
	jb_arr_open(b);
	for (i = 0; i < info->nunparsed; i++)
		bstr(b, info->unparsed[i]);
	jb_arr_close(b);
	kint(b, "unparsed_not_stored",
	    (long long)info->malformed - (long long)info->nunparsed);
	kint(b, "extensions_not_stored", (long long)info->ndropped);
}

static void
json_ehlo(struct jb *b, const struct host_result *h)
{
	const struct ehlo_info	*info = &h->ehlo.info;

	if (h->ehlo.reply.code == 0 && h->ehlo.reply.text == NULL &&
	    !h->ehlo.used_helo) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kint_or_null(b, "code", h->ehlo.reply.code != 0, h->ehlo.reply.code);
	kbytes(b, "text", h->ehlo.reply.text, h->ehlo.reply.textlen);
	kstr(b, "domain", info->domain);
	kbool(b, "helo_fallback", h->ehlo.used_helo);
	if (h->ehlo.used_helo) {
		jb_key(b, "helo");
		json_reply(b, &h->ehlo.helo_reply);
	}
	jb_key(b, "extensions");
	json_extensions(b, info);
	json_ehlo_rest(b, info);
	jb_obj_close(b);
}

/* the peer certificate's facts, or null */
static void
json_cert(struct jb *b, const struct tls_result *tls)
{
	const struct tls_cert	*c = &tls->cert;
	size_t			 i;

	if (!tls->have_cert) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kstr(b, "subject", c->subject);
	kstr(b, "issuer", c->issuer);
	jb_key(b, "sans");
	jb_arr_open(b);
	for (i = 0; i < c->nsans; i++)
		bstr(b, c->sans[i]);
	jb_arr_close(b);
	kstr(b, "not_before", c->not_before);
	kstr(b, "not_after", c->not_after);
	kint(b, "days_left", c->days_left);
	kstr(b, "key_type", c->key_type);
	kint(b, "key_bits", c->key_bits);
	kstr(b, "signature_algorithm", c->sig_alg);
	kstr(b, "sha256", c->sha256);
	kstr(b, "spki_sha256", c->spki_sha256);
	kbool(b, "self_signed", c->self_signed);
	jb_obj_close(b);
}

/*
 * The chain as the peer sent it, leaf first: digests always, "pem" null
 * unless --show-certs kept it (tls.pem_kept says which); null without a
 * completed handshake.
 */
static void
json_chain(struct jb *b, const struct tls_result *tls)
{
	const struct tls_chain_cert	*cc;
	size_t				 i;

	if (!tls->have_cert) {
		jb_null(b);
		return;
	}
	jb_arr_open(b);
	for (i = 0; i < tls->nchain; i++) {
		cc = &tls->chain[i];
		jb_obj_open(b);
		kstr(b, "subject", cc->subject);
		kstr(b, "issuer", cc->issuer);
		kstr(b, "sha256", cc->sha256);
		kstr(b, "spki_sha256", cc->spki_sha256);
		kstr(b, "pem", cc->pem);
		jb_obj_close(b);
	}
	jb_arr_close(b);
}

/* what was checked about the certificate, or null without one */
static void
json_verify(struct jb *b, const struct tls_result *tls)
{
	if (!tls->have_cert) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kbool(b, "chain_ok", tls->verify.chain_ok);
	kstr(b, "chain_error", tls->verify.chain_error);
	kstr(b, "name", tls->verify.name);
	kbool(b, "name_ok", tls->verify.name_ok);
	jb_obj_close(b);
}

/* the EHLO reply inside TLS (RFC 3207 4.2), or null */
static void
json_ehlo_after(struct jb *b, const struct tls_result *tls)
{
	const struct reply_rec	*r = &tls->ehlo_after_reply;

	if (!tls->have_ehlo_after) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kint_or_null(b, "code", r->code != 0, r->code);
	kbytes(b, "text", r->text, r->textlen);
	jb_key(b, "extensions");
	json_extensions(b, &tls->ehlo_after);
	json_ehlo_rest(b, &tls->ehlo_after);
	jb_obj_close(b);
}

/* {NAME: [params]} of some extensions of an ehlo_diff */
static void
json_ext_list(struct jb *b, const struct ehlo_ext **exts, size_t n)
{
	struct ext_keys	 ks = { NULL, 0 };
	size_t		 i;

	jb_obj_open(b);
	for (i = 0; i < n; i++)
		if (key_ext(b, &ks, exts[i]))
			json_params(b, exts[i]);
	jb_obj_close(b);
	ext_keys_free(&ks);
}

/*
 * What the EHLO reply inside TLS says differently from the first one:
 * {"added": {NAME: [..]}, "removed": {..}, "changed": {NAME: {"before":
 * [..], "after": [..]}}}, or null when there is no second reply.
 */
static void
json_ehlo_diff(struct jb *b, const struct host_result *h)
{
	struct ehlo_diff	 d;
	struct ext_keys		 ks = { NULL, 0 };
	size_t			 i;

	if (!h->tls.have_ehlo_after) {
		jb_null(b);
		return;
	}
	ehlo_diff(&h->ehlo.info, &h->tls.ehlo_after, &d);
	jb_obj_open(b);
	jb_key(b, "added");
	json_ext_list(b, d.added, d.nadded);
	jb_key(b, "removed");
	json_ext_list(b, d.removed, d.nremoved);
	jb_key(b, "changed");
	jb_obj_open(b);
	for (i = 0; i < d.nchanged; i++) {
		if (!key_ext(b, &ks, d.changed[i].before))
			continue;
		jb_obj_open(b);
		jb_key(b, "before");
		json_params(b, d.changed[i].before);
		jb_key(b, "after");
		json_params(b, d.changed[i].after);
		jb_obj_close(b);
	}
	jb_obj_close(b);
	ext_keys_free(&ks);
	jb_obj_close(b);
	ehlo_diff_free(&d);
}

/* lower-case hex of TLSA association data */
static void
json_hex(struct jb *b, const uint8_t *data, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
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
	jb_stringn(b, s, 2 * len);
	free(s);
}

/*
 * TLSA records of the MX, how the peer matched them, and what that means
 * (dane_judge(), RFC 7672); null without TLSA records or a failed lookup
 */
static void
json_dane(struct jb *b, const struct tls_result *tls)
{
	struct dane_verdict	 v;
	size_t			 i;

	if (tls->ntlsa == 0 && tls->tlsa_error == NULL) {
		jb_null(b);
		return;
	}
	dane_judge(tls, &v);
	jb_obj_open(b);
	jb_key(b, "records");
	jb_arr_open(b);
	for (i = 0; i < tls->ntlsa; i++) {
		const struct tlsa_rec	*t = &tls->tlsa[i];

		jb_obj_open(b);
		kint(b, "usage", t->usage);
		kint(b, "selector", t->selector);
		kint(b, "matching_type", t->mtype);
		jb_key(b, "data");
		json_hex(b, t->data, t->data != NULL ? t->len : 0);
		/*
		 * null: not compared (no handshake) or unusable for SMTP
		 * (-1: PKIX usages, RFC 7672 3.1.3)
		 */
		kbool_or_null(b, "matched", !tls->ok || t->matched < 0 ? -1 :
		    t->matched != 0);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	kbool(b, "ad", tls->tlsa_ad);
	/* a count: named so that it is not read as the records' boolean */
	kint_or_null(b, "matched_count", tls->ok && tls->dane_matched >= 0,
	    tls->dane_matched);
	kstr(b, "error", tls->tlsa_error);
	kstr(b, "state", dane_state_name(v.state));
	kbool(b, "applies", v.applies);
	kbool(b, "authenticated", v.authenticated);
	kbool(b, "pkix", v.pkix);
	jb_obj_close(b);
}

/* --tls-versions: {"TLSv1": {accepted, cipher, error}, ...} or null */
static void
json_tls_versions(struct jb *b, const struct tls_versions *tv)
{
	int	 i;

	if (!tv->probed) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	for (i = 0; i < TLS_NVERSIONS; i++) {
		jb_key(b, tls_versions_name(i));
		jb_obj_open(b);
		kbool_or_null(b, "accepted", tv->v[i].accepted < 0 ? -1 :
		    tv->v[i].accepted != 0);
		kstr(b, "cipher", tv->v[i].cipher);
		kstr(b, "error", tv->v[i].error);
		jb_obj_close(b);
	}
	jb_obj_close(b);
}

/*
 * The "tls" object: what was offered and tried, the STARTTLS reply, the
 * session, the peer certificate and its verification, the EHLO reply
 * inside TLS and what changed in it, and DANE.  Values that only a
 * completed handshake gives are null without one.
 */
static void
json_tls(struct jb *b, const struct host_result *h)
{
	const struct tls_result	*tls = &h->tls;

	jb_obj_open(b);
	kbool(b, "offered", tls->offered);
	kbool(b, "implicit", tls->implicit);
	kbool(b, "attempted", tls->attempted);
	jb_key(b, "starttls");
	json_reply(b, &tls->starttls);
	kbool(b, "ok", tls->ok);
	kint_or_null(b, "handshake_ms", tls->ok, tls->handshake_ms);
	kstr(b, "version", tls->version);
	kstr(b, "cipher", tls->cipher);
	kstr(b, "group", tls->group);
	kstr(b, "error", tls->error);
	kbool(b, "injection", tls->injection);
	kbool(b, "fallback", tls->fallback);
	jb_key(b, "peer_certificate");
	json_cert(b, tls);
	kint_or_null(b, "chain_length", tls->have_cert, tls->chain_len);
	jb_key(b, "chain");
	json_chain(b, tls);
	kbool(b, "pem_kept", tls->pem_kept && tls->have_cert);
	jb_key(b, "verify");
	json_verify(b, tls);
	jb_key(b, "ehlo_after");
	json_ehlo_after(b, tls);
	jb_key(b, "ehlo_diff");
	json_ehlo_diff(b, h);
	jb_key(b, "dane");
	json_dane(b, tls);
	jb_key(b, "versions");
	json_tls_versions(b, &tls->versions);
	jb_obj_close(b);
}

/* mechanisms, or null when that EHLO reply was not read */
static void
json_mechs(struct jb *b, int known, const struct ehlo_auth *a)
{
	size_t	 i;

	if (!known) {
		jb_null(b);
		return;
	}
	jb_arr_open(b);
	for (i = 0; i < a->nmechs; i++)
		bstr(b, a->mechs[i]);
	jb_arr_close(b);
}

/* SMTP AUTH as advertised before and after TLS (auth_view()) */
static void
json_auth(struct jb *b, const struct host_result *h)
{
	struct auth_view	 a;

	auth_view(h, &a);
	jb_obj_open(b);
	jb_key(b, "before_tls");
	json_mechs(b, a.known_before, &a.before);
	jb_key(b, "after_tls");
	json_mechs(b, a.known_after, &a.after);
	kbool(b, "cleartext_before_tls", a.cleartext_before_tls);
	jb_obj_close(b);
}

/* the enhanced code of a reply, or null */
static void
kenhanced(struct jb *b, const char *key, const struct reply_rec *r)
{
	jb_key(b, key);
	if (r->enhanced[0] != '\0')
		bbytes(b, r->enhanced, strnlen(r->enhanced,
		    sizeof(r->enhanced)));
	else
		jb_null(b);
}

/* VRFY's control probe (codes_verdict()): null when it was not sent */
static void
json_control(struct jb *b, const struct cmd_result *c)
{
	if (!c->control.sent) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kstr(b, "arg", c->control.arg);
	kint_or_null(b, "code", c->control.reply.code != 0,
	    c->control.reply.code);
	kenhanced(b, "enhanced", &c->control.reply);
	kbytes(b, "text", c->control.reply.text, c->control.reply.textlen);
	kstr(b, "status", status_name(c->control.status));
	jb_obj_close(b);
}

static void
json_command(struct jb *b, const struct cmd_result *c)
{
	jb_obj_open(b);
	if (c->status == ST_NOT_TRIED) {
		kstr(b, "status", status_name(c->status));
		kstr(b, "reason", c->why_not_tried);
		jb_obj_close(b);
		return;
	}
	kstr(b, "arg", c->arg);
	kint_or_null(b, "code", c->reply.code != 0, c->reply.code);
	kenhanced(b, "enhanced", &c->reply);
	kbytes(b, "text", c->reply.text, c->reply.textlen);
	kstr(b, "status", status_name(c->status));
	if (strcmp(c->verb, "VRFY") == 0) {
		jb_key(b, "control");
		json_control(b, c);
	}
	kstr(b, "advice", c->advice);
	kbool(b, "advertised", c->advertised);
	kbool(b, "tls", c->in_tls);
	kint(b, "ms", c->reply.ms);
	if (c->status == ST_ERROR && c->why_not_tried != NULL)
		kstr(b, "reason", c->why_not_tried);
	jb_obj_close(b);
}

/*
 * Every MX record this one session stands for: "preferences" and
 * "mx_names", each value once, in preference order (scan.c adds the
 * records sorted, so the first are "preference" and "mx").  Both are
 * empty for a host or address target.  Members of the host's object.
 */
static void
json_mxrefs(struct jb *b, const struct host_result *h)
{
	size_t	 i, j;

	jb_key(b, "preferences");
	jb_arr_open(b);
	for (i = 0; i < h->nmxrefs; i++) {
		for (j = 0; j < i &&
		    h->mxrefs[j].preference != h->mxrefs[i].preference; j++)
			;
		if (j == i)
			jb_int(b, h->mxrefs[i].preference);
	}
	jb_arr_close(b);
	jb_key(b, "mx_names");
	jb_arr_open(b);
	for (i = 0; i < h->nmxrefs; i++) {
		for (j = 0; j < i &&
		    strcasecmp(h->mxrefs[j].host, h->mxrefs[i].host) != 0; j++)
			;
		if (j == i)
			bstr(b, h->mxrefs[i].host);
	}
	jb_arr_close(b);
}

static void	 json_delivery(struct jb *, const struct target_result *,
		    const struct host_result *);

/* the commands tried, by verb (one key per verb: cli.c refuses a verb given twice) */
static void
json_commands(struct jb *b, const struct host_result *h)
{
	char		 verb[sizeof(h->cmds[0].verb) + 1], *tofree;
	size_t		 i, n;

	jb_obj_open(b);
	for (i = 0; i < h->ncmds && i < PROBE_MAX_CMDS; i++) {
		n = strnlen(h->cmds[i].verb, sizeof(h->cmds[i].verb));
		memcpy(verb, h->cmds[i].verb, n);
		verb[n] = '\0';
		jb_key(b, server_key(verb, &tofree));
		json_command(b, &h->cmds[i]);
		free(tofree);
	}
	jb_obj_close(b);
}

static void
json_host(struct jb *b, const struct target_result *t,
    const struct host_result *h)
{
	size_t	 i;

	jb_obj_open(b);
	kstr(b, "mx", h->mx);
	kint_or_null(b, "preference", h->preference >= 0, h->preference);
	json_mxrefs(b, h);
	kbytes(b, "address", h->address, strnlen(h->address,
	    sizeof(h->address)));
	kint(b, "port", h->port);

	jb_key(b, "connect");
	jb_obj_open(b);
	kbool(b, "ok", h->connect.ok);
	kint(b, "ms", h->connect.ms);
	kstr(b, "error", h->connect.error);
	jb_obj_close(b);

	jb_key(b, "banner");
	json_reply(b, &h->banner);
	jb_key(b, "ptr");
	if (h->ptr.checked) {
		jb_obj_open(b);
		kstr(b, "name", h->ptr.name);
		kbool_or_null(b, "fcrdns", h->ptr.fcrdns < 0 ? -1 :
		    h->ptr.fcrdns != 0);
		kstr(b, "error", h->ptr.error);
		jb_obj_close(b);
	} else
		jb_null(b);
	jb_key(b, "ehlo");
	json_ehlo(b, h);
	jb_key(b, "tls");
	json_tls(b, h);
	/* RFC 8461 4.1: the policy's mx pattern this MX matches */
	jb_key(b, "mx_match");
	if (t->sts.have_policy)
		bstr(b, delivery_mx_match(t, h->mx));
	else
		jb_null(b);
	jb_key(b, "delivery");
	json_delivery(b, t, h);
	jb_key(b, "auth");
	json_auth(b, h);
	jb_key(b, "commands");
	json_commands(b, h);

	jb_key(b, "quit");
	if (h->quit.code != 0) {
		jb_obj_open(b);
		kint(b, "code", h->quit.code);
		jb_obj_close(b);
	} else
		jb_null(b);

	kstr(b, "error", h->error);
	jb_key(b, "failure");
	if (h->fail != PROBE_F_NONE) {
		jb_obj_open(b);
		kstr(b, "class", probe_fail_name(h->fail));
		kstr(b, "state", h->fail_state);
		jb_obj_close(b);
	} else
		jb_null(b);

	jb_key(b, "flags");
	jb_arr_open(b);
	for (i = 0; i < nitems(reply_flag_names); i++)
		if (h->flags & reply_flag_names[i].bit)
			bstr(b, reply_flag_names[i].name);
	jb_arr_close(b);
	kbool(b, "early_talker", h->early_talker);
	kint(b, "duration_ms", h->duration_ms);
	kbool(b, "shared", h->shared);
	jb_key(b, "shared_from");
	if (h->shared_from != NULL)
		bstr(b, h->shared_from);
	else
		jb_null(b);
	if (h->transcript != NULL) {
		/* -v: the dialogue, one line an element ("-> ", "<- ", "** ") */
		const char	*line = h->transcript, *end = h->transcript +
		    h->transcript_len, *nl;

		jb_key(b, "transcript");
		jb_arr_open(b);
		while (line < end) {
			nl = memchr(line, '\n', (size_t)(end - line));
			if (nl == NULL)
				nl = end;
			bbytes(b, line, (size_t)(nl - line));
			line = nl + 1;
		}
		jb_arr_close(b);
	}
	jb_obj_close(b);
}

/* {"delivers": true|false|null, "reason": ...} */
static void
json_verdict(struct jb *b, const struct delivery_verdict *v)
{
	jb_obj_open(b);
	kbool_or_null(b, "delivers", v->delivers < 0 ? -1 : v->delivers != 0);
	kstr(b, "reason", v->reason);
	jb_obj_close(b);
}

/* {"opportunistic": ..., "dane": ..., "mta_sts": ...}: delivery.c decides */
static void
json_delivery(struct jb *b, const struct target_result *t,
    const struct host_result *h)
{
	static const char	*keys[DELIVERY_LAST] = {
		"opportunistic", "dane", "mta_sts"
	};
	struct delivery_verdict	 v;
	int			 i;

	jb_obj_open(b);
	for (i = 0; i < DELIVERY_LAST; i++) {
		if (h != NULL)
			delivery_judge_host(t, h, (enum delivery_sender)i, &v);
		else
			delivery_judge(t, (enum delivery_sender)i, &v);
		jb_key(b, keys[i]);
		json_verdict(b, &v);
	}
	jb_obj_close(b);
}

/* MTA-STS of a domain (RFC 8461): null when not looked up */
static void
json_mta_sts(struct jb *b, const struct target_result *t)
{
	const struct sts_result	*s = &t->sts;
	size_t			 i;

	if (!s->checked) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kstr(b, "txt", s->txt);
	kstr(b, "txt_rcode", s->txt_rcode);
	kstr(b, "txt_error", s->txt_error != NULL ? s->txt_error :
	    s->txt_invalid);
	jb_key(b, "id");
	if (s->id[0] != '\0')
		bstr(b, s->id);
	else
		jb_null(b);
	jb_key(b, "policy");
	if (s->have_policy) {
		jb_obj_open(b);
		kstr(b, "mode", mtasts_mode_name(s->policy.mode));
		jb_key(b, "mx");
		jb_arr_open(b);
		for (i = 0; i < s->policy.nmx; i++)
			bstr(b, s->policy.mx[i]);
		jb_arr_close(b);
		kint(b, "max_age", s->policy.max_age);
		jb_obj_close(b);
	} else
		jb_null(b);
	kstr(b, "policy_error", s->policy_error);
	jb_key(b, "fetch");
	jb_obj_open(b);
	kstr(b, "url", s->policy_url);
	kstr(b, "address", s->policy_address);
	kint_or_null(b, "status", s->status > 0, s->status);
	kstr(b, "class", s->fetch_class);
	kstr(b, "error", s->fetch_error);
	kint(b, "ms", s->fetch_ms);
	jb_obj_close(b);
	/* what a sender applies: none unless TXT and policy are both valid */
	kstr(b, "mode", mtasts_mode_name(delivery_sts_mode(t)));
	jb_obj_close(b);
}

/* TLS-RPT of a domain (RFC 8460): null when not looked up */
static void
json_tls_rpt(struct jb *b, const struct sts_result *s)
{
	size_t	 i;

	if (!s->checked) {
		jb_null(b);
		return;
	}
	jb_obj_open(b);
	kstr(b, "txt", s->rpt_txt);
	kstr(b, "error", s->rpt_error != NULL ? s->rpt_error : s->rpt_invalid);
	jb_key(b, "rua");
	jb_arr_open(b);
	for (i = 0; s->have_rpt && i < s->rpt.nrua; i++)
		bstr(b, s->rpt.rua[i]);
	jb_arr_close(b);
	jb_obj_close(b);
}

static void
json_finding(struct jb *b, const struct finding *f)
{
	jb_obj_open(b);
	kstr(b, "severity", severity_name(f->severity));
	kstr(b, "id", f->id);
	kstr(b, "host", f->host);
	kstr(b, "address", f->address);
	kstr(b, "message", f->message);
	kstr(b, "advice", f->advice);
	kstr(b, "rfc", f->rfc);
	jb_obj_close(b);
}

/*
 * --baseline: what changed since the baseline (baseline.c), regressions
 * first; null when the target is not in the baseline
 */
static void
json_changes(struct jb *b, const struct target_result *t)
{
	size_t	 i;

	if (t->baseline < 0) {
		jb_null(b);
		return;
	}
	jb_arr_open(b);
	for (i = 0; i < t->nchanges; i++) {
		const struct change	*c = &t->changes[i];

		jb_obj_open(b);
		kstr(b, "kind", change_kind_name(c->kind));
		kstr(b, "severity", change_severity_name(c->severity));
		kstr(b, "host", c->host);
		kstr(b, "address", c->address);
		kstr(b, "command", c->command);
		kstr(b, "before", c->before);
		kstr(b, "after", c->after);
		jb_obj_close(b);
	}
	jb_arr_close(b);
}

/* --submission only: where the hosts probed on 587 and 465 came from */
static void
json_submission(struct jb *b, const struct target_result *t)
{
	size_t	 i;

	jb_obj_open(b);
	kstr(b, "source", t->submission_source);
	if (t->submission_srv_error != NULL)
		kstr(b, "srv_error", t->submission_srv_error);
	if (t->nsubmission_srv > 0) {
		/* RFC 6186 3.1: the SRV records, in probe order */
		jb_key(b, "srv");
		jb_arr_open(b);
		for (i = 0; i < t->nsubmission_srv; i++) {
			const struct submission_srv *sv = &t->submission_srv[i];

			jb_obj_open(b);
			kstr(b, "service", sv->service);
			kint(b, "priority", sv->priority);
			kint(b, "weight", sv->weight);
			kint(b, "port", sv->port);
			kstr(b, "target", sv->target);
			kbool(b, "offered", result_srv_offered(sv));
			jb_obj_close(b);
		}
		jb_arr_close(b);
	}
	jb_obj_close(b);
}

/* --policy: the spec, and what broke it */
static void
json_policy(struct jb *b, const struct target_result *t)
{
	size_t	 i;

	jb_obj_open(b);
	kstr(b, "spec", t->policy_spec);
	kbool(b, "ok", result_violations(t) == 0);
	jb_key(b, "violations");
	jb_arr_open(b);
	for (i = 0; i < t->nviolations; i++) {
		const struct violation	*v = &t->violations[i];

		jb_obj_open(b);
		kstr(b, "rule", v->rule);
		kstr(b, "host", v->host);
		kstr(b, "address", v->address);
		kstr(b, "message", v->message);
		kbool(b, "unverified", v->unverified);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	jb_obj_close(b);
}

/*
 * The smtpprobe/2 object for one target.  The layout is documented in
 * DESIGN.md ("JSON"), the man page and contrib/schema.json.
 */
static void
json_target(struct jb *b, const struct target_result *t)
{
	size_t	 i;

	if ((unsigned)t->kind >= nitems(kind_names))
		fatalx("%s: bad target kind %d", __func__, (int)t->kind);
	jb_obj_open(b);
	kstr(b, "schema", RESULT_SCHEMA);
	kstr(b, "target", t->target);
	kstr(b, "kind", kind_names[t->kind]);
	jb_key(b, "started");
	json_time(b, &t->started);
	kint(b, "duration_ms", t->duration_ms);
	jb_key(b, "dns");
	if (t->kind == TARGET_ADDRESS)
		jb_null(b);
	else
		json_dns(b, &t->dns);
	if (t->submission_source != NULL) {
		jb_key(b, "submission");
		json_submission(b, t);
	}

	jb_key(b, "hosts");
	jb_arr_open(b);
	for (i = 0; i < t->nhosts; i++)
		json_host(b, t, &t->hosts[i]);
	jb_arr_close(b);

	jb_key(b, "findings");
	jb_arr_open(b);
	for (i = 0; i < t->nfindings; i++)
		json_finding(b, &t->findings[i]);
	jb_arr_close(b);
	jb_key(b, "mta_sts");
	json_mta_sts(b, t);
	jb_key(b, "tls_rpt");
	json_tls_rpt(b, &t->sts);
	jb_key(b, "delivery");
	json_delivery(b, t, NULL);
	jb_key(b, "policy");
	if (t->policy_checked)
		json_policy(b, t);
	else
		jb_null(b);
	if (t->baseline != 0) {
		jb_key(b, "changes");
		json_changes(b, t);
	}
	kstr(b, "outcome", result_outcome_name(result_target_outcome(t)));
	kstr(b, "error", t->error);
	if (t->interrupted)
		kbool(b, "interrupted", 1);
	jb_obj_close(b);
}

/*
 * report_json_target - the smtpprobe/2 object for one target, as a
 * jansson tree.  Returns a new reference; never NULL (fatalx() if
 * jansson cannot allocate).
 */
json_t *
report_json_target(const struct target_result *t)
{
	struct jb	 b;

	jb_init(&b, JB_TREE);
	json_target(&b, t);
	return jb_tree(&b);
}

/*
 * report_json_target_line - the same object as compact JSON text, byte
 * for byte what json_dumpb(report_json_target(t), JSON_COMPACT) writes,
 * without the tree (jsonbuild.h): not NUL-terminated, its length in
 * *len, valid until the next call.
 */
const char *
report_json_target_line(const struct target_result *t, size_t *len)
{
	struct jb	 b;

	jb_init(&b, JB_TEXT);
	json_target(&b, t);
	return jb_text(&b, len);
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
