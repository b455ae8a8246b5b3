/* SPDX-License-Identifier: ISC */
/*
 * report - the output stream: text blocks, the JSON run document, JSON
 * Lines, and the monitoring formats.  It hands each target to the
 * renderers (report_text.c, report_json.c, report_nagios.c,
 * report_prometheus.c); they in turn use escape.c, never this file, so
 * data flows one way: report -> renderers -> escape.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonarena.h"
#include "log.h"
#include "report.h"
#include "util.h"

static void
report_dump(struct report *r, const struct target_result *t, size_t flags)
{
	json_t		*obj;
	const char	*text;
	size_t		 len;

	/*
	 * One buffer, one write: json_dumpf() would push every token
	 * through stdio separately, a sixth of the run time of a batch.
	 * The tree lives in jsonarena's arena and ends with it: no
	 * json_decref(), and nothing of it may be kept (jsonarena.h).
	 */
	jsonarena_begin();
	/*
	 * JSON Lines: the text written directly (jsonbuild.h), the same
	 * bytes json_dumpb() makes of the tree, at a fraction of the cost
	 */
	if (flags == JSON_COMPACT)
		text = report_json_target_line(t, &len);
	else {
		obj = report_json_target(t);
		text = jsonarena_dump(obj, flags, &len);
	}
	fwrite(text, 1, len, r->out);
	jsonarena_end();
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
	/* a copy of another report's settings (outfile.c) has its own summary */
	r->summary = r->format == FMT_TEXT || r->format == FMT_JSON ?
	    summary_new() : NULL;
	r->text_run = NULL;
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
 * report_target - write one target, and flush unless r->flush_per_turn
 */
void
report_target(struct report *r, const struct target_result *t)
{
	if (r->summary != NULL)
		summary_add(r->summary, t);
	switch (r->format) {
	case FMT_TEXT:
		if (r->summary_only)
			break;
		if (r->ntargets > 0)
			fputc('\n', r->out);
		report_text_run_target(r, t);
		break;
	case FMT_JSONL:
		report_dump(r, t, JSON_COMPACT);
		fputc('\n', r->out);
		break;
	case FMT_JSON:
		r->outcomes[result_target_outcome(t)]++;
		if (r->summary_only)
			break;
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
	if (r->flush_per_turn)
		r->unflushed = 1;
	else
		fflush(r->out);
}

/*
 * report_flush - write out what report_target() buffered (flush_per_turn):
 * the batch calls it at the end of every event-loop turn, so records
 * leave in one write a turn instead of one a record, and none waits
 * longer than the turn that finished it.
 */
void
report_flush(struct report *r)
{
	if (r->unflushed) {
		r->unflushed = 0;
		fflush(r->out);
	}
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

	if (r->format == FMT_TEXT && r->summary != NULL &&
	    (r->ntargets > 1 || r->summary_only)) {
		/* a batch ends with its summary; --summary-only prints it alone */
		if (!r->summary_only && r->ntargets > 0)
			fputc('\n', r->out);
		report_text_summary(r->out, r->summary, r->color);
	} else if (r->format == FMT_JSON) {
		if (r->ntargets > 0 && !r->summary_only)
			fputc('\n', r->out);
		tail = report_json_run_tail((long)(util_now_ms() - r->t0_ms),
		    r->outcomes, r->baseline, r->summary);
		fputs(tail, r->out);
		free(tail);
	} else if (r->format == FMT_NAGIOS)
		status = report_nagios_end(r);
	else if (r->format == FMT_PROMETHEUS)
		report_prometheus_end(r);
	r->unflushed = 0;
	summary_free(r->summary);
	r->summary = NULL;
	report_text_run_free(r->text_run);
	r->text_run = NULL;
	fflush(r->out);
	return status;
}
