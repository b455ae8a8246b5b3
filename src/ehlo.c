/* SPDX-License-Identifier: ISC */
/*
 * ehlo - turn the text of a 250 EHLO reply into a list of extensions and
 * the capability bits smtpprobe acts on.
 *
 * RFC 5321 4.1.1.1 (EHLO response syntax) and 2.2.2 (extensions):
 *   ehlo-ok-rsp = "250" SP Domain [ SP ehlo-greet ] CRLF
 *               / ( "250-" Domain [ SP ehlo-greet ] CRLF
 *                   *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
 *   ehlo-line    = ehlo-keyword *( SP ehlo-param )
 *   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 * Keywords are case-insensitive (RFC 5321 2.4); they are stored upper-cased.
 *
 * Decisions (tested in check_ehlo.c):
 *  - The keyword must be followed by SP, '=' or the end of the line;
 *    anything else (a leading space, a TAB, an empty line, "X_Y") makes the
 *    line malformed: counted and skipped.  XXX this includes Exim's real
 *    "X_PIPE_CONNECT" ('_' is outside the RFC 5321 grammar).
 *  - The pre-RFC 4954 form "AUTH=LOGIN PLAIN" (sent by servers for old
 *    Outlook clients) is read as "AUTH LOGIN PLAIN".  This applies to any
 *    keyword followed by '='.  It is not reported separately: XXX
 *    struct ehlo_info has no field for it.
 *  - A keyword seen again is merged into the first one: its params are
 *    appended unless already present (byte-exact compare).
 *  - Params are split on SP only (RFC 5321: ehlo-param is %d33-126, so
 *    other bytes are kept raw inside a param); runs of spaces are one.
 *  - Past EHLO_MAX_EXTS distinct keywords, each further line with a new
 *    keyword counts in ndropped, but its EXT_* bit is still set in caps:
 *    a server must not hide STARTTLS behind 300 junk keywords.
 *  - Params past EHLO_MAX_PARAMS per keyword are dropped silently.
 *
 * ehlo_diff() compares the replies before and after STARTTLS (RFC 3207
 * 4.2: the client must discard what it learnt before TLS and ask again).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ehlo.h"
#include "reply.h"
#include "util.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} ehlo_bits[] = {
	{ "STARTTLS",		 EXT_STARTTLS },		/* RFC 3207 */
	{ "PIPELINING",		 EXT_PIPELINING },		/* RFC 2920 */
	{ "ETRN",		 EXT_ETRN },			/* RFC 1985 */
	{ "ATRN",		 EXT_ATRN },			/* RFC 2645 */
	{ "VRFY",		 EXT_VRFY },
	{ "EXPN",		 EXT_EXPN },			/* RFC 5321 */
	{ "HELP",		 EXT_HELP },
	{ "AUTH",		 EXT_AUTH },			/* RFC 4954 */
	{ "SIZE",		 EXT_SIZE },			/* RFC 1870 */
	{ "8BITMIME",		 EXT_8BITMIME },		/* RFC 6152 */
	{ "ENHANCEDSTATUSCODES", EXT_ENHANCEDSTATUSCODES },	/* RFC 2034 */
	{ "DSN",		 EXT_DSN },			/* RFC 3461 */
	{ "SMTPUTF8",		 EXT_SMTPUTF8 },		/* RFC 6531 */
	{ "CHUNKING",		 EXT_CHUNKING },		/* RFC 3030 */
	{ "TURN",		 EXT_TURN },
	{ "REQUIRETLS",		 EXT_REQUIRETLS },		/* RFC 8689 */
};

static int	 ehlo_is_alnum(unsigned char);
static int	 ehlo_casecmp(const char *, const char *);
static struct ehlo_ext *ehlo_lookup(struct ehlo_info *, const char *);
static void	 ehlo_add_param(struct ehlo_ext *, const char *, size_t);
static void	 ehlo_line(struct ehlo_info *, const char *, size_t);
static int	 ehlo_first(const struct ehlo_info *, size_t);
static int	 ehlo_has_param(const struct ehlo_ext *, const char *);
static int	 ehlo_same_params(const struct ehlo_ext *,
		    const struct ehlo_ext *);

/* ASCII only: keywords are ASCII, and the locale must not matter. */
static int
ehlo_is_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

static int
ehlo_casecmp(const char *a, const char *b)
{
	unsigned char	 ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'a' && ca <= 'z')
			ca -= 'a' - 'A';
		if (cb >= 'a' && cb <= 'z')
			cb -= 'a' - 'A';
	} while (ca == cb && ca != '\0');
	return (int)ca - (int)cb;
}

static struct ehlo_ext *
ehlo_lookup(struct ehlo_info *info, const char *name)
{
	size_t	 i;

	for (i = 0; i < info->nexts; i++)
		if (strcmp(info->exts[i].name, name) == 0)
			return &info->exts[i];
	return NULL;
}

static void
ehlo_add_param(struct ehlo_ext *ext, const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < ext->nparams; i++)
		if (strlen(ext->params[i]) == n &&
		    memcmp(ext->params[i], p, n) == 0)
			return;
	if (ext->nparams >= EHLO_MAX_PARAMS)
		return;
	ext->params = xreallocarray(ext->params, ext->nparams + 1,
	    sizeof(*ext->params));
	ext->params[ext->nparams++] = xstrndup(p, n);
}

/* One line after the first: "keyword [param ...]" (RFC 5321 4.1.1.1). */
static void
ehlo_line(struct ehlo_info *info, const char *s, size_t len)
{
	struct ehlo_ext	*ext;
	char		*name;
	size_t		 i, kwlen, start;

	/* ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
	if (len == 0 || !ehlo_is_alnum((unsigned char)s[0])) {
		info->malformed++;
		return;
	}
	for (kwlen = 1; kwlen < len; kwlen++)
		if (!ehlo_is_alnum((unsigned char)s[kwlen]) && s[kwlen] != '-')
			break;
	/* SP starts the params; '=' is the old "AUTH=LOGIN" form. */
	if (kwlen < len && s[kwlen] != ' ' && s[kwlen] != '=') {
		info->malformed++;
		return;
	}
	name = xstrndup(s, kwlen);
	for (i = 0; i < kwlen; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			name[i] -= 'a' - 'A';
	info->caps |= ehlo_keyword_bit(name);

	if ((ext = ehlo_lookup(info, name)) != NULL)
		free(name);	/* RFC 5321 is silent on repeats: merge */
	else if (info->nexts >= EHLO_MAX_EXTS) {
		info->ndropped++;
		free(name);
		return;
	} else {
		info->exts = xreallocarray(info->exts, info->nexts + 1,
		    sizeof(*info->exts));
		ext = &info->exts[info->nexts++];
		memset(ext, 0, sizeof(*ext));
		ext->name = name;
	}

	/* params: split on SP (ehlo-param = 1*(%d33-126)) */
	for (i = kwlen + 1; i < len; ) {
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i > start)
			ehlo_add_param(ext, s + start, i - start);
	}
}

/*
 * ehlo_parse - parse the text of a 250 EHLO reply into *info
 *
 * The first line gives the domain (its first word; NULL if the line is
 * empty), the rest of it is the greeting and is not kept.  Each further
 * line is one keyword.  info is overwritten; the reply is only read.
 */
void
ehlo_parse(const struct smtp_reply *r, struct ehlo_info *info)
{
	const char	*s, *eol, *end;
	size_t		 len, n;

	memset(info, 0, sizeof(*info));
	if (r == NULL)
		return;
	len = r->textlen;
	if (len > REPLY_TEXT_CAP)	/* never trust a length blindly */
		len = REPLY_TEXT_CAP;
	s = r->text;
	end = s + len;

	/* First line: Domain [ SP ehlo-greet ] */
	if ((eol = memchr(s, '\n', len)) == NULL)
		eol = end;
	while (s < eol && *s == ' ')
		s++;
	for (n = 0; s + n < eol && s[n] != ' '; n++)
		;
	if (n > 0)
		info->domain = xstrndup(s, n);
	if (eol == end)
		return;

	for (s = eol + 1; s <= end; s = eol + 1) {
		if ((eol = memchr(s, '\n', (size_t)(end - s))) == NULL)
			eol = end;
		ehlo_line(info, s, (size_t)(eol - s));
		if (eol == end)
			break;
	}
}

/*
 * ehlo_info_free - release what ehlo_parse() allocated
 *
 * Leaves *info zeroed; safe on a zeroed struct and on NULL.
 */
void
ehlo_info_free(struct ehlo_info *info)
{
	size_t	 i, j;

	if (info == NULL)
		return;
	for (i = 0; i < info->nexts; i++) {
		for (j = 0; j < info->exts[i].nparams; j++)
			free(info->exts[i].params[j]);
		free(info->exts[i].params);
		free(info->exts[i].name);
	}
	free(info->exts);
	free(info->domain);
	memset(info, 0, sizeof(*info));
}

/*
 * ehlo_keyword_bit - EXT_* bit for a keyword
 *
 * Matches in any case (RFC 5321 2.4); 0 for unknown keywords and NULL.
 */
unsigned
ehlo_keyword_bit(const char *kw)
{
	size_t	 i;

	if (kw == NULL)
		return 0;
	for (i = 0; i < nitems(ehlo_bits); i++)
		if (ehlo_casecmp(kw, ehlo_bits[i].name) == 0)
			return ehlo_bits[i].bit;
	return 0;
}

/*
 * ehlo_find - the extension named kw
 *
 * Matches in any case; NULL if it was not stored (never advertised, or
 * dropped past EHLO_MAX_EXTS) or if info or kw is NULL.
 */
const struct ehlo_ext *
ehlo_find(const struct ehlo_info *info, const char *kw)
{
	size_t	 i;

	if (info == NULL || kw == NULL)
		return NULL;
	for (i = 0; i < info->nexts; i++)
		if (info->exts[i].name != NULL &&
		    ehlo_casecmp(info->exts[i].name, kw) == 0)
			return &info->exts[i];
	return NULL;
}

/* the i-th extension has a name and is the first with that name */
static int
ehlo_first(const struct ehlo_info *info, size_t i)
{
	return info->exts[i].name != NULL &&
	    ehlo_find(info, info->exts[i].name) == &info->exts[i];
}

static int
ehlo_has_param(const struct ehlo_ext *e, const char *p)
{
	size_t	 i;

	for (i = 0; i < e->nparams; i++)
		if (e->params[i] != NULL && strcmp(e->params[i], p) == 0)
			return 1;
	return 0;
}

/* the same params in any order; each side is checked against the other */
static int
ehlo_same_params(const struct ehlo_ext *a, const struct ehlo_ext *b)
{
	size_t	 i;

	for (i = 0; i < a->nparams; i++)
		if (a->params[i] != NULL && !ehlo_has_param(b, a->params[i]))
			return 0;
	for (i = 0; i < b->nparams; i++)
		if (b->params[i] != NULL && !ehlo_has_param(a, b->params[i]))
			return 0;
	return 1;
}

/*
 * ehlo_diff - compare the extensions of two EHLO replies
 *
 * Added keywords come in the order of after, removed and changed ones
 * in the order of before.  See ehlo.h for what matches.
 */
void
ehlo_diff(const struct ehlo_info *before, const struct ehlo_info *after,
    struct ehlo_diff *out)
{
	static const struct ehlo_info	 none;
	const struct ehlo_ext		*b, *a;
	size_t				 i;

	memset(out, 0, sizeof(*out));
	if (before == NULL)
		before = &none;
	if (after == NULL)
		after = &none;
	for (i = 0; i < before->nexts; i++) {
		if (!ehlo_first(before, i))
			continue;
		b = &before->exts[i];
		if ((a = ehlo_find(after, b->name)) == NULL) {
			out->removed = xreallocarray(out->removed,
			    out->nremoved + 1, sizeof(*out->removed));
			out->removed[out->nremoved++] = b;
		} else if (!ehlo_same_params(b, a)) {
			out->changed = xreallocarray(out->changed,
			    out->nchanged + 1, sizeof(*out->changed));
			out->changed[out->nchanged].before = b;
			out->changed[out->nchanged++].after = a;
		}
	}
	for (i = 0; i < after->nexts; i++) {
		if (!ehlo_first(after, i))
			continue;
		a = &after->exts[i];
		if (ehlo_find(before, a->name) == NULL) {
			out->added = xreallocarray(out->added, out->nadded + 1,
			    sizeof(*out->added));
			out->added[out->nadded++] = a;
		}
	}
}

/*
 * ehlo_diff_free - release the arrays of an ehlo_diff (not what they
 * point to: that belongs to the two ehlo_info structs)
 *
 * Leaves *d zeroed; safe on a zeroed struct and on NULL.
 */
void
ehlo_diff_free(struct ehlo_diff *d)
{
	if (d == NULL)
		return;
	free(d->added);
	free(d->removed);
	free(d->changed);
	memset(d, 0, sizeof(*d));
}

/*
 * ehlo_diff_empty - 1 when the two replies offered the same extensions
 */
int
ehlo_diff_empty(const struct ehlo_diff *d)
{
	return d->nadded == 0 && d->nremoved == 0 && d->nchanged == 0;
}
