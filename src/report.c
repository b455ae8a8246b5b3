/* SPDX-License-Identifier: ISC */
/*
 * report - the output stream (text blocks, a JSON array or object, JSON
 * Lines) and the two escapes every renderer relies on: report_sanitize()
 * for terminals (no escape injection: Postfix shows non-printable bytes
 * as '?') and report_utf8() for JSON (RFC 8259 8.1 requires UTF-8;
 * jansson rejects anything else).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "report.h"
#include "util.h"

/*
 * report_sanitize - copy server text for a terminal: control characters
 * and bytes >= 0x7f shown as '?' (Postfix), newlines kept if keep_nl.
 *
 * Every byte maps to exactly one byte, so column widths stay
 * strlen().  NULL text gives "".  The caller frees the result.
 */
char *
report_sanitize(const char *text, size_t len, int keep_nl)
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

/*
 * report_utf8 - copy with invalid UTF-8 replaced by U+FFFD (for JSON)
 *
 * See report.h.  The output is at most three times the input.
 */
char *
report_utf8(const char *text, size_t len)
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

/* ---- compact JSON, without json_dumps() ----------------------------------- */

struct report_jw {
	char	*p;
	size_t	 len, cap;
};

static void
report_jw_room(struct report_jw *w, size_t n)
{
	size_t	 cap = w->cap > 0 ? w->cap : 4096;

	if (w->len + n <= w->cap)
		return;
	while (cap < w->len + n)
		cap *= 2;
	w->p = xreallocarray(w->p, cap, 1);
	w->cap = cap;
}

static void
report_jw_put(struct report_jw *w, const char *s, size_t n)
{
	report_jw_room(w, n);
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

/* bytes that need an escape: C0 controls, '"', '\\' */
static const unsigned char report_jw_esc[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

/* a decimal integer, as "%lld" */
static void
report_jw_int(struct report_jw *w, json_int_t v)
{
	char			 num[24], *o = num + sizeof(num);
	unsigned long long	 u = v < 0 ? 0 - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--o = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--o = '-';
	report_jw_put(w, o, (size_t)(num + sizeof(num) - o));
}

/* jansson's escaping: '"', '\\' and C0 controls; UTF-8 passes as is */
static void
report_jw_string(struct report_jw *w, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, run;
	char			*o;

	report_jw_room(w, n * 6 + 2);
	o = w->p + w->len;
	*o++ = '"';
	for (i = 0; i < n; ) {
		unsigned char	 c;

		for (run = i; run < n && !report_jw_esc[(unsigned char)s[run]]; run++)
			;
		memcpy(o, s + i, run - i);
		o += run - i;
		if ((i = run) == n)
			break;
		c = (unsigned char)s[i++];
		*o++ = '\\';
		switch (c) {
		case '"':	*o++ = '"'; break;
		case '\\':	*o++ = '\\'; break;
		case '\b':	*o++ = 'b'; break;
		case '\f':	*o++ = 'f'; break;
		case '\n':	*o++ = 'n'; break;
		case '\r':	*o++ = 'r'; break;
		case '\t':	*o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
			break;
		}
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
}

static int
report_jw_value(struct report_jw *w, json_t *v)
{
	const char	*key;
	json_t		*m;
	size_t		 i, n;
	int		 first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		report_jw_put(w, "{", 1);
		json_object_foreach(v, key, m) {
			if (!first)
				report_jw_put(w, ",", 1);
			first = 0;
			report_jw_string(w, key, strlen(key));
			report_jw_put(w, ":", 1);
			if (report_jw_value(w, m) == -1)
				return -1;
		}
		report_jw_put(w, "}", 1);
		return 0;
	case JSON_ARRAY:
		report_jw_put(w, "[", 1);
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				report_jw_put(w, ",", 1);
			if (report_jw_value(w, json_array_get(v, i)) == -1)
				return -1;
		}
		report_jw_put(w, "]", 1);
		return 0;
	case JSON_STRING:
		report_jw_string(w, json_string_value(v), json_string_length(v));
		return 0;
	case JSON_INTEGER:
		report_jw_int(w, json_integer_value(v));
		return 0;
	case JSON_TRUE:
		report_jw_put(w, "true", 4);
		return 0;
	case JSON_FALSE:
		report_jw_put(w, "false", 5);
		return 0;
	case JSON_NULL:
		report_jw_put(w, "null", 4);
		return 0;
	default:
		return -1;	/* a real: leave it to jansson */
	}
}

/*
 * report_json_compact - see report.h.  json_dumps() spends about 300,000
 * instructions on a 3 KB record (callgrind, bench/ fleet), half of a
 * batch's user time; this writes the same bytes for a tenth of that.
 */
long
report_json_compact(json_t *v, char **out, size_t *cap)
{
	struct report_jw	 w = { *out, 0, *cap };
	int			 rc;

	rc = report_jw_value(&w, v);
	report_jw_room(&w, 1);
	w.p[w.len] = '\0';
	*out = w.p;
	*cap = w.cap;
	return rc == -1 ? -1 : (long)w.len;
}

static void
report_dump(struct report *r, const struct target_result *t, size_t flags)
{
	static char	*line;		/* reused: one record at a time */
	static size_t	 linecap;
	json_t		*obj;
	char		*text;
	long		 n;

	/*
	 * One string, one write: json_dumpf() would push every token
	 * through stdio separately, a sixth of the run time of a batch.
	 */
	obj = report_json_target(t);
	if (flags == JSON_COMPACT &&
	    (n = report_json_compact(obj, &line, &linecap)) >= 0) {
		fwrite(line, 1, (size_t)n, r->out);
		json_decref(obj);
		return;
	}
	if ((text = json_dumps(obj, flags)) == NULL)
		fatalx("%s: cannot encode JSON for %s", __func__, t->target);
	fputs(text, r->out);
	free(text);
	json_decref(obj);
}

/*
 * report_begin - start the output stream (the "[" of a JSON array)
 */
void
report_begin(struct report *r)
{
	r->ntargets = 0;
	if (r->format == FMT_JSON && !r->single) {
		fputc('[', r->out);
		fflush(r->out);
	}
}

/*
 * report_target - write one target and flush
 *
 * With FMT_JSON and r->single, a second target is a caller bug: the
 * output would no longer be one JSON value.
 */
void
report_target(struct report *r, const struct target_result *t)
{
	switch (r->format) {
	case FMT_TEXT:
		if (r->ntargets > 0)
			fputc('\n', r->out);
		report_text_target(r->out, t, r->color, r->transcript);
		break;
	case FMT_JSONL:
		report_dump(r, t, JSON_COMPACT);
		fputc('\n', r->out);
		break;
	case FMT_JSON:
		if (r->single) {
			if (r->ntargets > 0)
				fatalx("%s: second target in single mode", __func__);
			report_dump(r, t, JSON_INDENT(2));
			fputc('\n', r->out);
			break;
		}
		fputs(r->ntargets > 0 ? ",\n" : "\n", r->out);
		report_dump(r, t, JSON_INDENT(2));
		break;
	case FMT_NAGIOS:
		report_nagios_add(r, t);
		break;
	case FMT_PROMETHEUS:
		report_prometheus_add(r, t);
		break;
	default:
		fatalx("%s: bad format %d", __func__, (int)r->format);
	}
	r->ntargets++;
	fflush(r->out);
}

/*
 * report_end - finish the output stream (the "]" of a JSON array, the
 * Nagios status line, the Prometheus metrics).  Returns the exit status
 * the format dictates (Nagios: 0 OK .. 3 UNKNOWN), or -1.
 */
int
report_end(struct report *r)
{
	int	 status = -1;

	if (r->format == FMT_JSON && !r->single)
		fputs(r->ntargets > 0 ? "\n]\n" : "]\n", r->out);
	else if (r->format == FMT_NAGIOS)
		status = report_nagios_end(r);
	else if (r->format == FMT_PROMETHEUS)
		report_prometheus_end(r);
	fflush(r->out);
	return status;
}
