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

static void
report_dump(struct report *r, const struct target_result *t, size_t flags)
{
	json_t	*obj;

	char	*text;

	/*
	 * One string, one write: json_dumpf() would push every token
	 * through stdio separately, a sixth of the run time of a batch.
	 */
	obj = report_json_target(t);
	if ((text = json_dumps(obj, flags)) == NULL)
		fatalx("%s: cannot encode JSON for %s", __func__, t->target);
	fputs(text, r->out);
	free(text);
	json_decref(obj);
}

/*
 * report_begin - start the output stream: the head of the --format json
 * document (run-level fields and the opening of "targets")
 */
void
report_begin(struct report *r)
{
	char	*head;

	r->ntargets = 0;
	memset(r->outcomes, 0, sizeof(r->outcomes));
	clock_gettime(CLOCK_REALTIME, &r->started);
	r->t0_ms = util_now_ms();
	if (r->format == FMT_JSON) {
		head = report_json_run_head(&r->started);
		fputs(head, r->out);
		free(head);
		fflush(r->out);
	}
}

/*
 * report_target - write one target and flush
 *
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
		r->outcomes[result_target_outcome(t)]++;
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
	char	*tail;

	if (r->format == FMT_JSON) {
		if (r->ntargets > 0)
			fputc('\n', r->out);
		tail = report_json_run_tail((long)(util_now_ms() - r->t0_ms),
		    r->outcomes);
		fputs(tail, r->out);
		free(tail);
	} else if (r->format == FMT_NAGIOS)
		status = report_nagios_end(r);
	else if (r->format == FMT_PROMETHEUS)
		report_prometheus_end(r);
	fflush(r->out);
	return status;
}
