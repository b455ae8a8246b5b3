/* SPDX-License-Identifier: ISC */
/*
 * mtasts - MTA-STS (RFC 8461) TXT records and policies, TLS-RPT (RFC 8460)
 * TXT records, and the MX pattern matcher of RFC 8461 4.1.
 *
 * Strict: what the ABNF of RFC 8461 3.1/3.2 and RFC 8460 3 does not
 * produce is an error with a one-line reason, because a sender that
 * cannot parse a policy does not apply it.  Two rules come from the prose,
 * not the grammar:
 *
 * - "If any non-repeated field--i.e., all fields excluding "mx"--is
 *   duplicated, all entries except for the first SHALL be ignored"
 *   (RFC 8461 3.2, after "Parsers MUST accept TXT records and policy
 *   files ...").  So a second "mode:" or a second "id=" is ignored, not an
 *   error; the same rule is applied to TLS-RPT's rua=, on which RFC 8460
 *   says nothing.
 * - Unknown fields SHALL be ignored (same paragraph), but they must still
 *   have the syntax of an extension field.
 *
 * Every input is hostile: all walks are bounded by len, nothing is copied
 * before it is validated, and reasons quote at most QUOTE_MAX bytes with
 * anything unprintable shown as '?'.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "util.h"

#define QUOTE_MAX	32	/* hostile bytes quoted in a reason */
#define EXT_NAME_MAX	32	/* (ALPHA / DIGIT) *31(...) */
#define DOMAIN_MAX	253	/* RFC 1035 2.3.4, no trailing dot */
#define LABEL_MAX	63

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

static int
is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static unsigned char
to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison of n bytes (no locale) */
static int
eq_nocase(const char *a, const char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (to_lower((unsigned char)a[i]) !=
		    to_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* s[0..n) is exactly the NUL-terminated word w (case-sensitive) */
static int
eq_word(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* a bounded, printable excerpt of hostile bytes for a reason */
static void
quote(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t	 i, k = n > QUOTE_MAX ? QUOTE_MAX : n;

	if (dstlen == 0)
		return;
	for (i = 0; i < k && i + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?';
	}
	dst[i] = '\0';
	if (k < n && i + 4 <= dstlen)
		memcpy(dst + i, "...", 4);
}

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * sts-ext-name / sts-policy-ext-name / tlsrpt-ext-name, one production in
 * both RFCs: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 */
static int
ext_name_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > EXT_NAME_MAX || !is_alnum((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!is_alnum(c) && c != '_' && c != '-' && c != '.')
			return 0;
	}
	return 1;
}

/*
 * sts-ext-value (RFC 8461 3.1) and tlsrpt-ext-value (RFC 8460 3):
 * 1*(%x21-3A / %x3C / %x3E-7E), printable ASCII but SP, ";" and "="
 */
static int
txt_ext_value_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return 0;
	}
	return 1;
}

/*
 * Domain of RFC 5321 4.1.2 (sub-domain *("." sub-domain), sub-domain =
 * Let-dig [Ldh-str]) within the lengths of RFC 1035 2.3.4.  Returns NULL
 * or what is wrong.
 */
static const char *
domain_error(const char *s, size_t n)
{
	size_t	 i, label = 0;

	if (n == 0)
		return "empty";
	if (n > DOMAIN_MAX)
		return "longer than 253 bytes";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return "empty label";
			if (s[i - 1] == '-')
				return "label ends with '-'";
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return "not a letter, digit, '-' or '.'";
		if (label == 0 && c == '-')
			return "label starts with '-'";
		if (++label > LABEL_MAX)
			return "label longer than 63 bytes";
	}
	if (label == 0)
		return "ends with '.'";
	if (s[n - 1] == '-')
		return "label ends with '-'";
	return NULL;
}

/*
 * A TXT record of the form of RFC 8461 3.1 and RFC 8460 3:
 *   record = version 1*(delim field) [delim]
 *   delim  = *WSP ";" *WSP
 *   field  = name "=" value
 * rec_next() returns the next field (1), the end (0) or an error (-1).
 * The value is everything up to the next ";" less the white space of the
 * delimiter; the caller checks it against its production.
 */
struct rec_field {
	const char	*name, *val;
	size_t		 namelen, vallen;
};

static int
rec_next(const char *s, size_t len, size_t *pos, struct rec_field *f,
    const char *rfc, char *err, size_t errlen)
{
	char	 q[QUOTE_MAX + 4];
	size_t	 p = *pos, v, e;

	while (p < len && is_wsp((unsigned char)s[p]))
		p++;
	if (p == len) {
		if (p != *pos)
			return fail(err, errlen, "white space after the last "
			    "field (%s: only \";\" may follow)", rfc);
		*pos = p;
		return 0;
	}
	if (s[p] != ';') {
		quote(q, sizeof(q), s + p, len - p);
		return fail(err, errlen, "\"%s\" where \";\" should be "
		    "(%s)", q, rfc);
	}
	p++;
	while (p < len && is_wsp((unsigned char)s[p]))
		p++;
	if (p == len) {		/* [delim] at the end */
		*pos = p;
		return 0;
	}
	f->name = s + p;
	while (p < len && s[p] != '=' && s[p] != ';')
		p++;
	f->namelen = (size_t)(s + p - f->name);
	if (p == len || s[p] != '=') {
		quote(q, sizeof(q), f->name, f->namelen);
		return fail(err, errlen, "field \"%s\" has no \"=\" (%s)",
		    q, rfc);
	}
	if (!ext_name_ok(f->name, f->namelen)) {
		quote(q, sizeof(q), f->name, f->namelen);
		return fail(err, errlen, "bad field name \"%s\" (%s: a letter "
		    "or digit, then at most 31 of letters, digits, "
		    "\"_-.\")", q, rfc);
	}
	v = ++p;
	while (p < len && s[p] != ';')
		p++;
	/* white space before ";" belongs to delim; before the end: error */
	for (e = p; e > v && is_wsp((unsigned char)s[e - 1]); e--)
		;
	f->val = s + v;
	f->vallen = e - v;
	*pos = e;
	return 1;
}

/* txt begins with the version tag word, followed by the end, WSP or ";" */
static int
has_version(const char *txt, size_t len, const char *tag)
{
	size_t	 n = strlen(tag);

	if (txt == NULL || len < n || memcmp(txt, tag, n) != 0)
		return 0;
	return len == n || txt[n] == ';' || is_wsp((unsigned char)txt[n]);
}

/* the record begins with its version tag, or a reason */
static int
rec_begin(const char *txt, size_t len, const char *tag, const char *rfc,
    char *err, size_t errlen)
{
	char	 q[QUOTE_MAX + 4];

	if (has_version(txt, len, tag))
		return 0;
	quote(q, sizeof(q), txt != NULL ? txt : "", txt != NULL ? len : 0);
	return fail(err, errlen, "\"%s\" does not begin with \"%s\" (%s)", q,
	    tag, rfc);
}

/* an extension field's value, or a reason naming the production */
static int
rec_ext_value(const struct rec_field *f, const char *rfc, const char *prod,
    char *err, size_t errlen)
{
	char	 q[QUOTE_MAX + 4];

	if (txt_ext_value_ok(f->val, f->vallen))
		return 0;
	quote(q, sizeof(q), f->name, f->namelen);
	return fail(err, errlen, "field \"%s\": the value is empty or holds "
	    "a space, control, \";\", \"=\" or non-ASCII byte (%s %s)", q,
	    rfc, prod);
}

const char *
mtasts_mode_name(enum mtasts_mode m)
{
	switch (m) {
	case MTASTS_MODE_NONE:
		return "none";
	case MTASTS_MODE_TESTING:
		return "testing";
	case MTASTS_MODE_ENFORCE:
		return "enforce";
	}
	return "unknown";
}

/* ---- _mta-sts TXT record (RFC 8461 3.1) ------------------------------ */

int
mtasts_txt_is_sts(const char *txt, size_t len)
{
	return has_version(txt, len, "v=STSv1");
}

int
mtasts_txt_parse(const char *txt, size_t len, struct mtasts_txt *out,
    char *err, size_t errlen)
{
	static const char	 rfc[] = "RFC 8461 3.1";
	struct rec_field	 f;
	char			 q[QUOTE_MAX + 4];
	size_t			 pos, i;
	int			 rc, have_id = 0;

	out->id[0] = '\0';
	if (rec_begin(txt, len, "v=STSv1", rfc, err, errlen) == -1)
		return -1;
	pos = strlen("v=STSv1");
	while ((rc = rec_next(txt, len, &pos, &f, rfc, err, errlen)) == 1) {
		if (eq_word(f.name, f.namelen, "id")) {
			/* sts-id = %s"id=" 1*32(ALPHA / DIGIT) */
			for (i = 0; i < f.vallen &&
			    is_alnum((unsigned char)f.val[i]); i++)
				;
			if (f.vallen == 0 || f.vallen > sizeof(out->id) - 1 ||
			    i != f.vallen) {
				quote(q, sizeof(q), f.val, f.vallen);
				out->id[0] = '\0';
				return fail(err, errlen, "id \"%s\" is not 1 to 32 "
				    "letters and digits (%s)", q, rfc);
			}
			if (have_id)	/* 3.2: the first one counts */
				continue;
			memcpy(out->id, f.val, f.vallen);
			out->id[f.vallen] = '\0';
			have_id = 1;
		} else if (rec_ext_value(&f, rfc, "sts-ext-value", err,
		    errlen) == -1) {
			out->id[0] = '\0';
			return -1;
		}
	}
	if (rc < 0) {
		out->id[0] = '\0';
		return -1;
	}
	if (!have_id)
		return fail(err, errlen, "no id= field (%s: required)", rfc);
	return 0;
}

/* ---- the policy file (RFC 8461 3.2) ---------------------------------- */

/*
 * sts-policy-ext-value: sts-policy-vchar [*(%x20 / sts-policy-vchar)
 * sts-policy-vchar], vchar = VCHAR / UTF-8.  Called after the white space
 * around the value is gone, so a control byte here (TAB: the rest are
 * refused per line) is inside the value.  Bytes >= 0x80 are taken as they
 * come: the policy is text/plain and we only compare ASCII values.
 */
static int
policy_value_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

/*
 * mx_pattern_error - sts-policy-mx-value = ["*."] Domain
 * (RFC 8461 3.2, Domain of RFC 5321 4.1.2).  NULL or what is wrong.
 */
static const char *
mx_pattern_error(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
	}
	return domain_error(s, n);
}

/* one line, without its terminator; 0 or -1 */
static int
policy_line(const char *s, size_t n, unsigned lineno, struct mtasts_policy *out,
    unsigned *seen, const char **hint, char *err, size_t errlen)
{
	static const char	 rfc[] = "RFC 8461 3.2";
	static const char *const known[] = {
		"version", "mode", "max_age", "mx"
	};
	char			 q[QUOTE_MAX + 4];
	const char		*name = s, *val, *why;
	char			*mx;
	size_t			 namelen, vallen, i;
	unsigned long long	 age;

	if (n == 0)
		return fail(err, errlen, "line %u: empty line (%s: every "
		    "line is \"key: value\")", lineno, rfc);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return fail(err, errlen, "line %u: NUL byte", lineno);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(err, errlen, "line %u: control byte "
			    "0x%02x%s", lineno, c,
			    c == '\r' ? " (a CR not before LF)" : "");
	}
	for (i = 0; i < n && s[i] != ':'; i++)
		;
	namelen = i;
	if (i == n || !ext_name_ok(name, namelen)) {
		quote(q, sizeof(q), s, n);
		return fail(err, errlen, "line %u: \"%s\" is not \"key: "
		    "value\" with a key of 1 to 32 letters, digits, \"_-.\" "
		    "(%s)", lineno, q, rfc);
	}
	/* sts-policy-field-delim = ":" *WSP; the field is followed by *WSP */
	for (i++; i < n && is_wsp((unsigned char)s[i]); i++)
		;
	val = s + i;
	for (vallen = n - i; vallen > 0 &&
	    is_wsp((unsigned char)val[vallen - 1]); vallen--)
		;
	quote(q, sizeof(q), name, namelen);
	if (!policy_value_ok(val, vallen))
		return fail(err, errlen, "line %u: %s has %s (%s)", lineno, q,
		    vallen == 0 ? "no value" : "a TAB inside its value", rfc);

	/* keys are case-sensitive (%s"..." in the ABNF, RFC 7405) */
	if (eq_word(name, namelen, "mx")) {
		if ((why = mx_pattern_error(val, vallen)) != NULL) {
			quote(q, sizeof(q), val, vallen);
			return fail(err, errlen, "line %u: mx \"%s\": %s (%s: "
			    "a domain name, or \"*.\" and a domain name)",
			    lineno, q, why, rfc);
		}
		if (out->nmx == MTASTS_MAX_MX) {
			out->nmx_dropped++;
			return 0;
		}
		mx = out->mx[out->nmx++] = xstrndup(val, vallen);
		for (i = 0; i < vallen; i++)
			mx[i] = (char)to_lower((unsigned char)mx[i]);
		return 0;
	}
	for (i = 0; i < 3; i++)
		if (eq_word(name, namelen, known[i]))
			break;
	if (i == 3) {
		/* unknown: ignored (3.2); a near miss goes into the reason */
		for (i = 0; i < 4 && *hint == NULL; i++)
			if (strlen(known[i]) == namelen &&
			    eq_nocase(name, known[i], namelen))
				*hint = known[i];
		return 0;
	}
	if (*seen & (1u << i))	/* 3.2: all but the first ignored */
		return 0;
	*seen |= 1u << i;
	quote(q, sizeof(q), val, vallen);
	switch (i) {
	case 0:		/* version */
		if (!eq_word(val, vallen, "STSv1"))
			return fail(err, errlen, "line %u: version \"%s\" is not "
			    "STSv1 (%s)", lineno, q, rfc);
		break;
	case 1:		/* mode */
		if (eq_word(val, vallen, "enforce"))
			out->mode = MTASTS_MODE_ENFORCE;
		else if (eq_word(val, vallen, "testing"))
			out->mode = MTASTS_MODE_TESTING;
		else if (eq_word(val, vallen, "none"))
			out->mode = MTASTS_MODE_NONE;
		else
			return fail(err, errlen, "line %u: mode \"%s\" is not "
			    "enforce, testing or none (%s)", lineno, q, rfc);
		break;
	default:	/* max_age = 1*10DIGIT, at most 31557600 */
		for (age = 0, i = 0; i < vallen && i <= 10 &&
		    is_digit((unsigned char)val[i]); i++)
			age = age * 10 + (unsigned)(val[i] - '0');
		if (i != vallen || vallen > 10)
			return fail(err, errlen, "line %u: max_age \"%s\" is not "
			    "1 to 10 digits (%s)", lineno, q, rfc);
		if (age > (unsigned long long)MTASTS_MAX_AGE_MAX)
			return fail(err, errlen, "line %u: max_age %llu is above "
			    "%ld (%s: MUST be at most about a year)", lineno,
			    age, MTASTS_MAX_AGE_MAX, rfc);
		out->max_age = (long)age;
		break;
	}
	return 0;
}

static int
policy_parse(const char *body, size_t len, struct mtasts_policy *out,
    char *err, size_t errlen)
{
	static const char	 rfc[] = "RFC 8461 3.2";
	const char		*nl, *hint = NULL;
	size_t			 p = 0, n;
	unsigned		 lineno = 0, seen = 0;

	if (len > MTASTS_POLICY_MAX)
		return fail(err, errlen, "policy of %zu bytes, more than %d",
		    len, MTASTS_POLICY_MAX);
	/* sts-policy-term = LF / CRLF; one term may end the last line */
	while (p < len) {
		lineno++;
		nl = memchr(body + p, '\n', len - p);
		n = nl != NULL ? (size_t)(nl - (body + p)) : len - p;
		if (nl != NULL && n > 0 && body[p + n - 1] == '\r')
			n--;
		if (policy_line(body + p, n, lineno, out, &seen, &hint, err,
		    errlen) == -1)
			return -1;
		p = nl != NULL ? (size_t)(nl - body) + 1 : len;
	}
	if (!(seen & 1u) || !(seen & 2u) || !(seen & 4u)) {
		const char *miss = !(seen & 1u) ? "version" :
		    !(seen & 2u) ? "mode" : "max_age";

		if (hint != NULL && strcmp(hint, miss) == 0)
			return fail(err, errlen, "no %s field (%s: required; "
			    "keys are case-sensitive)", miss, rfc);
		return fail(err, errlen, "no %s field (%s: required)", miss,
		    rfc);
	}
	if (out->mode != MTASTS_MODE_NONE && out->nmx == 0)
		return fail(err, errlen, "no mx field in mode %s (%s: required "
		    "unless mode is none%s)", mtasts_mode_name(out->mode), rfc,
		    hint != NULL && strcmp(hint, "mx") == 0 ?
		    "; keys are case-sensitive" : "");
	return 0;
}

int
mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (body == NULL)
		len = 0;
	if (policy_parse(body, len, out, err, errlen) == -1) {
		mtasts_policy_clear(out);
		return -1;
	}
	return 0;
}

void
mtasts_policy_clear(struct mtasts_policy *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nmx && i < MTASTS_MAX_MX; i++)
		free(p->mx[i]);
	memset(p, 0, sizeof(*p));
}

/* ---- MX host matching (RFC 8461 4.1) --------------------------------- */

int
mtasts_mx_match(const char *pattern, const char *mx)
{
	size_t	 plen, mlen, slen;

	if (pattern == NULL || mx == NULL)
		return 0;
	plen = strlen(pattern);
	mlen = strlen(mx);
	/* an MX target is a fully qualified name: its trailing dot is noise */
	if (mlen > 0 && mx[mlen - 1] == '.')
		mlen--;
	if (plen > 0 && pattern[plen - 1] == '.')
		plen--;
	if (plen == 0 || mlen == 0)
		return 0;
	if (plen >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		/*
		 * "*.example.com" stands for exactly one leftmost label:
		 * "mx.example.com", not "example.com" or "a.b.example.com".
		 */
		slen = plen - 1;	/* ".example.com" */
		if (mlen <= slen ||
		    !eq_nocase(mx + mlen - slen, pattern + 1, slen))
			return 0;
		return memchr(mx, '.', mlen - slen) == NULL;
	}
	return plen == mlen && eq_nocase(pattern, mx, mlen);
}

const char *
mtasts_policy_match(const struct mtasts_policy *p, const char *mx)
{
	size_t	 i;

	for (i = 0; p != NULL && i < p->nmx && i < MTASTS_MAX_MX; i++)
		if (mtasts_mx_match(p->mx[i], mx))
			return p->mx[i];
	return NULL;
}

/* ---- _smtp._tls TXT record (RFC 8460 3) ------------------------------ */

static int
is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * tlsrpt-uri = URI (RFC 3986) of scheme mailto (an address with "@") or
 * https (a host): the bytes of a URI, "%" with two hex digits, and not
 * "," or ";" (the separators of the record).  NULL or what is wrong.
 */
static const char *
rua_uri_error(const char *s, size_t n)
{
	static const char	 uri_chars[] = "-._~:/?#[]@!$&'()*+=";
	const char		*at, *rest;
	size_t			 i, restlen;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= n || !is_hex((unsigned char)s[i + 1]) ||
			    !is_hex((unsigned char)s[i + 2]))
				return "\"%\" not followed by two hex digits";
			i += 2;
		} else if (!is_alnum(c) &&
		    (c == '\0' || strchr(uri_chars, c) == NULL))
			return "a byte that a URI cannot hold";
	}
	if (n > 7 && eq_nocase(s, "mailto:", 7)) {
		rest = s + 7;
		restlen = n - 7;
		at = memchr(rest, '@', restlen);
		if (at == NULL || at == rest || at == rest + restlen - 1)
			return "a mailto: URI without local-part@domain";
		return NULL;
	}
	if (n > 8 && eq_nocase(s, "https://", 8)) {
		if (s[8] == '/' || s[8] == '?' || s[8] == '#')
			return "an https: URI without a host";
		return NULL;
	}
	return "not a mailto: or https:// URI";
}

/* rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri) */
static int
rua_parse(const char *s, size_t n, struct tlsrpt_record *out, char *err,
    size_t errlen)
{
	char		 q[QUOTE_MAX + 4];
	const char	*why;
	size_t		 p = 0, b, e;

	for (;;) {
		b = p;
		while (p < n && s[p] != ',' && !is_wsp((unsigned char)s[p]))
			p++;
		e = p;
		if (e == b || (why = rua_uri_error(s + b, e - b)) != NULL) {
			quote(q, sizeof(q), s + b, e - b);
			return fail(err, errlen, "rua URI \"%s\": %s "
			    "(RFC 8460 3)", q, e == b ? "empty" : why);
		}
		if (out->nrua < TLSRPT_MAX_RUA)
			out->rua[out->nrua++] = xstrndup(s + b, e - b);
		while (p < n && is_wsp((unsigned char)s[p]))
			p++;
		if (p == n)
			return 0;
		if (s[p] != ',') {
			quote(q, sizeof(q), s + p, n - p);
			return fail(err, errlen, "rua: \"%s\" where \",\" or "
			    "\";\" should be (RFC 8460 3)", q);
		}
		for (p++; p < n && is_wsp((unsigned char)s[p]); p++)
			;
	}
}

int
tlsrpt_is_record(const char *txt, size_t len)
{
	return has_version(txt, len, "v=TLSRPTv1");
}

static int
tlsrpt_fields(const char *txt, size_t len, struct tlsrpt_record *out,
    char *err, size_t errlen)
{
	static const char	 rfc[] = "RFC 8460 3";
	struct rec_field	 f;
	size_t			 pos;
	int			 rc, have_rua = 0;

	if (rec_begin(txt, len, "v=TLSRPTv1", rfc, err, errlen) == -1)
		return -1;
	pos = strlen("v=TLSRPTv1");
	while ((rc = rec_next(txt, len, &pos, &f, rfc, err, errlen)) == 1) {
		if (eq_word(f.name, f.namelen, "rua")) {
			/* the rule of RFC 8461 3.2: the first one counts */
			if (have_rua)
				continue;
			if (rua_parse(f.val, f.vallen, out, err, errlen) == -1)
				return -1;
			have_rua = 1;
		} else if (rec_ext_value(&f, rfc, "tlsrpt-ext-value", err,
		    errlen) == -1)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (!have_rua)
		return fail(err, errlen, "no rua= field (%s: required)", rfc);
	return 0;
}

int
tlsrpt_parse(const char *txt, size_t len, struct tlsrpt_record *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (tlsrpt_fields(txt, len, out, err, errlen) == -1) {
		tlsrpt_clear(out);
		return -1;
	}
	return 0;
}

void
tlsrpt_clear(struct tlsrpt_record *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrua && i < TLSRPT_MAX_RUA; i++)
		free(r->rua[i]);
	memset(r, 0, sizeof(*r));
}
