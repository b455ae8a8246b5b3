/* SPDX-License-Identifier: ISC */
/*
 * ehlo - turn the text of a 250 EHLO reply into a list of extensions and
 * the capability bits smtpprobe acts on.
 *
 * RFC 5321 4.1.1.1 (EHLO response syntax), 4.1.2 and 2.2.2 (extensions):
 *   ehlo-ok-rsp = "250" SP Domain [ SP ehlo-greet ] CRLF
 *               / ( "250-" Domain [ SP ehlo-greet ] CRLF
 *                   *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
 *   ehlo-line    = ehlo-keyword *( SP ehlo-param )
 *   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 *   Domain       = sub-domain *("." sub-domain)         (4.1.2)
 * Keywords are case-insensitive (RFC 5321 2.4); they are stored upper-cased.
 *
 * Decisions (tested in check_ehlo.c):
 *  - Tolerant where real servers require it: a keyword may hold '_' after
 *    its first character.  Exim 4.9x sends PIPE_CONNECT (older releases
 *    X_PIPE_CONNECT), outside the grammar above; dropping it would hide a
 *    real extension.  Anything else the grammar does not allow is kept.
 *  - The keyword must be followed by SP, '=' or the end of the line;
 *    anything else (a leading space, a TAB, an empty line) makes the line
 *    unparsed: counted in malformed and its raw text reported (the first
 *    EHLO_MAX_UNPARSED such lines), never silently dropped.
 *  - The pre-RFC 4954 form "AUTH=LOGIN PLAIN" (sent by servers for old
 *    Outlook clients) is read as "AUTH LOGIN PLAIN".  This applies to any
 *    keyword followed by '='.  It is not reported separately: XXX
 *    struct ehlo_info has no field for it.
 *  - A keyword seen again is merged into the first one: its params are
 *    appended unless already present (byte-exact compare).
 *  - Params are split on SP only (RFC 5321: ehlo-param is %d33-126, so
 *    other bytes are kept raw inside a param); runs of spaces are one.
 *  - Every line counts, whether stored or not: past EHLO_MAX_EXTS distinct
 *    keywords, and past the reply's text cap (REPLY_TEXT_CAP; the reply
 *    parser reads those lines with ehlo_scan_line() as they arrive), a
 *    keyword line counts in ndropped and an unparsed one in malformed, and
 *    the keyword's EXT_* bit is still set in caps: a server must not hide
 *    STARTTLS behind 300 junk keywords or 8 KiB of junk text.
 *  - Params past EHLO_MAX_PARAMS per keyword are dropped silently.
 *  - The domain is the first word of the first line (leading spaces
 *    skipped) only when it is a name: a fully-qualified Domain (RFC 5321
 *    2.3.5: only FQDNs are permitted; so at least one dot, labels of
 *    letters, digits, '-' and, tolerated, '_', at most 63 bytes each and
 *    255 in all, a trailing root dot allowed) or an address literal in
 *    brackets (4.1.3).  Else NULL: the nameless "250- Hello [192.0.2.1]"
 *    of Exchange 2003 has no domain, not the domain "Hello".
 *
 * ehlo_diff() compares the replies before and after STARTTLS (RFC 3207
 * 4.2: the client must discard what it learnt before TLS and ask again).
 */
#include "config.h"

#include <ctype.h>
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
static unsigned	 ehlo_bit_n(const char *, size_t);
static struct ehlo_ext *ehlo_lookup(struct ehlo_info *, const char *);
static void	 ehlo_add_param(struct ehlo_ext *, const char *, size_t);
static void	 ehlo_unparsed(struct ehlo_info *, const char *, size_t);
static void	 ehlo_line(struct ehlo_info *, const char *, size_t);
static int	 ehlo_is_name(const char *, size_t);
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

/* a line that is not "keyword [param ...]": count it, keep the first ones */
static void
ehlo_unparsed(struct ehlo_info *info, const char *s, size_t len)
{
	info->malformed++;
	if (info->nunparsed >= EHLO_MAX_UNPARSED)
		return;
	info->unparsed = xreallocarray(info->unparsed, info->nunparsed + 1,
	    sizeof(*info->unparsed));
	info->unparsed[info->nunparsed++] = xstrndup(s, len);
}

/* One line after the first: "keyword [param ...]" (RFC 5321 4.1.1.1). */
static void
ehlo_line(struct ehlo_info *info, const char *s, size_t len)
{
	struct ehlo_ext	*ext;
	char		*name;
	size_t		 i, kwlen, start;
	unsigned	 bit;

	if ((kwlen = ehlo_scan_line(s, len, &bit)) == 0) {
		ehlo_unparsed(info, s, len);
		return;
	}
	info->caps |= bit;
	name = xstrndup(s, kwlen);
	for (i = 0; i < kwlen; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			name[i] -= 'a' - 'A';

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
 * ehlo_scan_line - read one line after the first of an EHLO reply
 *
 * The one place that decides what a keyword line is, both for the lines
 * ehlo_parse() reads from the reply text and for those the reply parser
 * could not store.  ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 * (RFC 5321 4.1.1.1), with '_' tolerated after the first character
 * (Exim's PIPE_CONNECT, X_PIPE_CONNECT); then SP (params), '=' (the old
 * "AUTH=LOGIN" form) or the end of the line.
 */
size_t
ehlo_scan_line(const char *s, size_t len, unsigned *bit)
{
	size_t	 kwlen;

	if (bit != NULL)
		*bit = 0;
	if (s == NULL || len == 0 || !ehlo_is_alnum((unsigned char)s[0]))
		return 0;
	for (kwlen = 1; kwlen < len; kwlen++)
		if (!ehlo_is_alnum((unsigned char)s[kwlen]) &&
		    s[kwlen] != '-' && s[kwlen] != '_')
			break;
	if (kwlen < len && s[kwlen] != ' ' && s[kwlen] != '=')
		return 0;
	if (bit != NULL)
		*bit = ehlo_bit_n(s, kwlen);
	return kwlen;
}

/*
 * The first word of the first line is the server's name only if it is
 * one: a fully-qualified domain (RFC 5321 4.1.2 Domain; 2.3.5: FQDNs
 * only), '_' tolerated in labels, or an address literal (4.1.3).  See
 * the top of the file.
 */
static int
ehlo_is_name(const char *s, size_t n)
{
	size_t	 i, label = 0, dots = 0;

	if (n >= 3 && s[0] == '[' && s[n - 1] == ']') {
		/* dcontent = %d33-90 / %d94-126 (RFC 5321 4.1.3) */
		for (i = 1; i < n - 1; i++)
			if ((unsigned char)s[i] < 33 ||
			    (unsigned char)s[i] > 126 || s[i] == '[' ||
			    s[i] == '\\' || s[i] == ']')
				return 0;
		return 1;
	}
	if (n > 1 && s[n - 1] == '.')	/* the root: "mx.example.com." */
		n--;
	if (n == 0 || n > 253)		/* RFC 1035 2.3.4, 255 on the wire */
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
			dots++;
		} else if (ehlo_is_alnum((unsigned char)s[i]) || s[i] == '-' ||
		    s[i] == '_') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0 && dots > 0;
}

/*
 * ehlo_parse - parse the text of a 250 EHLO reply into *info
 *
 * The first line gives the domain (see ehlo_is_name()); the rest of it
 * is the greeting and is not kept.  Each further line in the text is one
 * keyword line.  The lines the reply could not store (r->unstored) were
 * read by the reply parser as they arrived: they add their counts and
 * capability bits.  info is overwritten; the reply is only read.
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

	/* the lines past the text cap: their bits, and how many there were */
	info->caps = r->unstored.caps;
	if (r->unstored.nkeywords > 0)
		info->ndropped = (size_t)r->unstored.nkeywords;
	if (r->unstored.nlines > r->unstored.nkeywords)
		info->malformed = r->unstored.nlines - r->unstored.nkeywords;

	/* First line: Domain [ SP ehlo-greet ] */
	if ((eol = memchr(s, '\n', len)) == NULL)
		eol = end;
	while (s < eol && *s == ' ')
		s++;
	for (n = 0; s + n < eol && s[n] != ' '; n++)
		;
	if (ehlo_is_name(s, n))
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
	for (i = 0; i < info->nunparsed; i++)
		free(info->unparsed[i]);
	free(info->unparsed);
	free(info->domain);
	memset(info, 0, sizeof(*info));
}

/*
 * ehlo_info_copy - see ehlo.h (a session's result reported under a
 * second target is a copy: each record owns its strings)
 */
void
ehlo_info_copy(struct ehlo_info *dst, const struct ehlo_info *src)
{
	size_t	 i, j;

	*dst = *src;
	dst->domain = src->domain != NULL ? xstrdup(src->domain) : NULL;
	dst->exts = src->nexts > 0 ? xcalloc(src->nexts, sizeof(*dst->exts)) : NULL;
	for (i = 0; i < src->nexts; i++) {
		dst->exts[i].name = xstrdup(src->exts[i].name);
		dst->exts[i].nparams = src->exts[i].nparams;
		dst->exts[i].params = src->exts[i].nparams > 0 ?
		    xcalloc(src->exts[i].nparams, sizeof(char *)) : NULL;
		for (j = 0; j < src->exts[i].nparams; j++)
			dst->exts[i].params[j] = xstrdup(src->exts[i].params[j]);
	}
	dst->unparsed = src->nunparsed > 0 ?
	    xcalloc(src->nunparsed, sizeof(char *)) : NULL;
	for (i = 0; i < src->nunparsed; i++)
		dst->unparsed[i] = xstrdup(src->unparsed[i]);
}

/* EXT_* bit of the keyword s[0..n), matched in any case; 0 if none */
static unsigned
ehlo_bit_n(const char *s, size_t n)
{
	const char	*name;
	size_t		 i, j;
	unsigned char	 c;

	for (i = 0; i < nitems(ehlo_bits); i++) {
		name = ehlo_bits[i].name;
		for (j = 0; j < n && name[j] != '\0'; j++) {
			c = (unsigned char)s[j];
			if (c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (c != (unsigned char)name[j])
				break;
		}
		if (j == n && name[j] == '\0')
			return ehlo_bits[i].bit;
	}
	return 0;
}

/*
 * ehlo_keyword_bit - EXT_* bit for a keyword
 *
 * Matches in any case (RFC 5321 2.4); 0 for unknown keywords and NULL.
 */
unsigned
ehlo_keyword_bit(const char *kw)
{
	if (kw == NULL)
		return 0;
	return ehlo_bit_n(kw, strlen(kw));
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

/*
 * ehlo_auth - see ehlo.h.  The params are server bytes: each is copied
 * only when it is a valid mechanism name, so at most SASL_MECH_MAX bytes.
 */
void
ehlo_auth(const struct ehlo_info *info, struct ehlo_auth *out)
{
	const struct ehlo_ext	*e;
	const char		*p;
	char			 name[SASL_MECH_MAX + 1];
	size_t			 i, j, n;

	memset(out, 0, sizeof(*out));
	if (info == NULL)
		return;
	out->offered = (info->caps & EXT_AUTH) != 0;
	if ((e = ehlo_find(info, "AUTH")) == NULL)
		return;
	out->offered = 1;
	for (i = 0; i < e->nparams && out->nmechs < EHLO_MAX_PARAMS; i++) {
		p = e->params[i];
		for (n = 0; p[n] != '\0' && n <= SASL_MECH_MAX; n++) {
			if (!ehlo_is_alnum((unsigned char)p[n]) && p[n] != '-' &&
			    p[n] != '_')
				break;
			name[n] = (char)toupper((unsigned char)p[n]);
		}
		if (n == 0 || n > SASL_MECH_MAX || p[n] != '\0') {
			out->ninvalid++;
			continue;
		}
		name[n] = '\0';
		for (j = 0; j < out->nmechs; j++)
			if (strcmp(out->mechs[j], name) == 0)
				break;
		if (j < out->nmechs)
			continue;
		memcpy(out->mechs[out->nmechs++], name, n + 1);
		if (strcmp(name, "PLAIN") == 0 || strcmp(name, "LOGIN") == 0)
			out->cleartext = 1;
	}
}

/*
 * ehlo_diff() in O(n log n) for n keywords and params, whatever a server
 * sends (the lists come from hostile replies): each list sorted by name,
 * then merged; params compared as sorted sets.
 */
struct ehlo_key {
	const struct ehlo_ext	*ext;
	size_t			 idx;		/* position in its list */
};

static int
ehlo_key_cmp(const void *a, const void *b)
{
	const struct ehlo_key	*x = a, *y = b;
	int			 c;

	if ((c = ehlo_casecmp(x->ext->name, y->ext->name)) != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * The named extensions of info sorted by name (any case), only the first
 * of each name, as ehlo_find() sees them.  Returns how many; *out is
 * allocated.
 */
static size_t
ehlo_keys(const struct ehlo_info *info, struct ehlo_key **out)
{
	struct ehlo_key	*k;
	size_t		 i, n = 0, m = 0;

	k = xcalloc(info->nexts + 1, sizeof(*k));
	for (i = 0; i < info->nexts; i++)
		if (info->exts[i].name != NULL) {
			k[n].ext = &info->exts[i];
			k[n++].idx = i;
		}
	qsort(k, n, sizeof(*k), ehlo_key_cmp);
	for (i = 0; i < n; i++)
		if (m == 0 || ehlo_casecmp(k[m - 1].ext->name,
		    k[i].ext->name) != 0)
			k[m++] = k[i];
	*out = k;
	return m;
}

static int
ehlo_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the params of e as a set: sorted, no repeats, no NULLs; *out allocated */
static size_t
ehlo_param_set(const struct ehlo_ext *e, const char ***out)
{
	const char	**p;
	size_t		  i, n = 0, m = 0;

	p = xcalloc(e->nparams + 1, sizeof(*p));
	for (i = 0; i < e->nparams; i++)
		if (e->params[i] != NULL)
			p[n++] = e->params[i];
	qsort(p, n, sizeof(*p), ehlo_str_cmp);
	for (i = 0; i < n; i++)
		if (m == 0 || strcmp(p[m - 1], p[i]) != 0)
			p[m++] = p[i];
	*out = p;
	return m;
}

/* the same params in any order, repeats counting once */
static int
ehlo_same_params(const struct ehlo_ext *a, const struct ehlo_ext *b)
{
	const char	**pa, **pb;
	size_t		  na, nb, i;
	int		  same;

	na = ehlo_param_set(a, &pa);
	nb = ehlo_param_set(b, &pb);
	same = na == nb;
	for (i = 0; same && i < na; i++)
		same = strcmp(pa[i], pb[i]) == 0;
	free(pa);
	free(pb);
	return same;
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
	struct ehlo_key			*kb, *ka;
	const struct ehlo_ext		**partner;	/* by index in before */
	unsigned char			*bstate, *astate; /* 1 alone, 2 paired */
	size_t				 i, j, nb, na;
	int				 c;

	memset(out, 0, sizeof(*out));
	if (before == NULL)
		before = &none;
	if (after == NULL)
		after = &none;
	nb = ehlo_keys(before, &kb);
	na = ehlo_keys(after, &ka);
	partner = xcalloc(before->nexts + 1, sizeof(*partner));
	bstate = xcalloc(before->nexts + 1, 1);
	astate = xcalloc(after->nexts + 1, 1);
	for (i = j = 0; i < nb || j < na; ) {
		c = i >= nb ? 1 : j >= na ? -1 :
		    ehlo_casecmp(kb[i].ext->name, ka[j].ext->name);
		if (c < 0)
			bstate[kb[i++].idx] = 1;
		else if (c > 0)
			astate[ka[j++].idx] = 1;
		else {
			bstate[kb[i].idx] = 2;
			partner[kb[i++].idx] = ka[j].ext;
			astate[ka[j++].idx] = 2;
		}
	}

	if (nb > 0) {
		out->removed = xcalloc(nb, sizeof(*out->removed));
		out->changed = xcalloc(nb, sizeof(*out->changed));
	}
	if (na > 0)
		out->added = xcalloc(na, sizeof(*out->added));
	for (i = 0; i < before->nexts; i++) {
		if (bstate[i] == 1)
			out->removed[out->nremoved++] = &before->exts[i];
		else if (bstate[i] == 2 &&
		    !ehlo_same_params(&before->exts[i], partner[i])) {
			out->changed[out->nchanged].before = &before->exts[i];
			out->changed[out->nchanged++].after = partner[i];
		}
	}
	for (i = 0; i < after->nexts; i++)
		if (astate[i] == 1)
			out->added[out->nadded++] = &after->exts[i];
	/* empty lists are NULL, as ehlo_diff_free() leaves them */
	if (out->nremoved == 0) {
		free(out->removed);
		out->removed = NULL;
	}
	if (out->nchanged == 0) {
		free(out->changed);
		out->changed = NULL;
	}
	if (out->nadded == 0) {
		free(out->added);
		out->added = NULL;
	}
	free(kb);
	free(ka);
	free(partner);
	free(bstate);
	free(astate);
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
