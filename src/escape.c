/* SPDX-License-Identifier: ISC */
/*
 * escape - the two escapes every renderer relies on: escape_terminal()
 * for terminals (no escape injection: Postfix shows non-printable bytes
 * as '?') and escape_utf8() for JSON and Prometheus labels (RFC 8259 8.1
 * requires UTF-8; jansson rejects anything else).  Pure functions over
 * bytes; they depend on nothing but util.c.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "log.h"
#include "util.h"

/*
 * escape_terminal - copy server text for a terminal: control characters
 * and bytes >= 0x7f shown as '?' (Postfix), newlines kept if keep_nl.
 *
 * Every byte maps to exactly one byte, so column widths stay
 * strlen().  NULL text gives "".  The caller frees the result.
 */
char *
escape_terminal(const char *text, size_t len, int keep_nl)
{
	char	*out;
	size_t	 i;

	if (text == NULL)
		len = 0;
	if (len == SIZE_MAX)
		fatalx("%s: length overflows", __func__);
	out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)text[i];

		if ((c >= 0x20 && c < 0x7f) || (c == '\n' && keep_nl))
			out[i] = (char)c;
		else
			out[i] = '?';
	}
	out[len] = '\0';
	return out;
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7),
 * or 0 with *bad set to the length of the maximal ill-formed subpart,
 * which becomes one U+FFFD (the "best practice" of Unicode 3.9, as
 * Python and the WHATWG decoder do).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 need, k;

	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (c == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;		/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;		/* over U+10FFFF */
	} else {
		*bad = 1;			/* 80..C1 (C0, C1 overlong), F5..FF */
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= len || s[k] < lo || s[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

/* the code point of the well-formed UTF-8 sequence of n bytes at s */
static uint32_t
utf8_decode(const unsigned char *s, size_t n)
{
	uint32_t	 cp = s[0] & (0x7f >> n);
	size_t		 k;

	for (k = 1; k < n; k++)
		cp = cp << 6 | (s[k] & 0x3f);
	return cp;
}

/*
 * Characters a translated message (CJK) may show on a terminal: CJK
 * punctuation and ideographs, fullwidth forms, curly quotes.  None is a
 * control, a combining mark or a direction override.
 */
static int
cjk_printable(uint32_t cp)
{
	return (cp >= 0x2018 && cp <= 0x201d) ||
	    (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0x3400 && cp <= 0x9fff) ||
	    (cp >= 0xff01 && cp <= 0xff5e);
}

/*
 * escape_terminal_cjk - escape_terminal() for a translated message: the
 * same, except that well-formed UTF-8 for CJK characters stays as it is.
 */
char *
escape_terminal_cjk(const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 len = text != NULL ? strlen(text) : 0;
	size_t			 i = 0, n, bad;
	char			*out;

	out = xmalloc(len + 1);
	while (i < len) {
		if (s[i] >= 0x80 && (n = utf8_seq(s + i, len - i, &bad)) > 0 &&
		    cjk_printable(utf8_decode(s + i, n))) {
			memcpy(out + i, s + i, n);
			i += n;
			continue;
		}
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
		i++;
	}
	out[len] = '\0';
	return out;
}

/*
 * escape_utf8 - copy with invalid UTF-8 replaced by U+FFFD (for JSON)
 *
 * See report.h.  The output is at most three times the input.
 */
char *
escape_utf8(const char *text, size_t len)
{
	static const char	 repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	const unsigned char	*s = (const unsigned char *)text;
	char			*out, *o;
	size_t			 i = 0, n, bad;

	if (text == NULL)
		len = 0;
	if (len > (SIZE_MAX - 1) / 3)
		fatalx("%s: length overflows", __func__);
	o = out = xmalloc(len * 3 + 1);
	while (i < len) {
		if (s[i] != 0 && s[i] < 0x80) {
			*o++ = (char)s[i++];
			continue;
		}
		if (s[i] != 0 && (n = utf8_seq(s + i, len - i, &bad)) > 0) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		if (s[i] == 0)
			bad = 1;
		memcpy(o, repl, 3);
		o += 3;
		i += bad;
	}
	*o = '\0';
	return out;
}
