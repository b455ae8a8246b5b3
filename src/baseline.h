/* SPDX-License-Identifier: ISC */
/*
 * baseline - --baseline FILE: what changed since an earlier run.
 *
 * The earlier run's output (--format jsonl, one target a line, or the
 * --format json document) is read once, at start-up.  Of each target only
 * a digest is kept (MX hosts and addresses, per host: reachability,
 * command statuses, TLS, certificate, TLSA/DANE, EHLO keywords; the
 * findings), keyed by the target as given.  Each target of this run is
 * then compared with its digest, host by host (address and port), and
 * the differences stored in target_result.changes for every renderer.
 *
 * The file is not trusted to be whole or of this version: a line that is
 * not JSON, a truncated last line, a record of another schema or without
 * a target is skipped with a message on stderr; an unreadable file leaves
 * an empty baseline (every target "not in the baseline").  The run itself
 * never stops for it.
 */
#ifndef SMTPPROBE_BASELINE_H
#define SMTPPROBE_BASELINE_H

#include <stddef.h>

#include <jansson.h>

#include "result.h"

struct baseline;

/* baseline_load - read path; never NULL (problems go to stderr) */
struct baseline	*baseline_load(const char *path);
void		 baseline_free(struct baseline *);

/*
 * baseline_compare - fill t->baseline, t->baseline_started and
 * t->changes from the baseline's record of t->target.  Returns the
 * number of regressions.
 */
size_t		 baseline_compare(struct baseline *, struct target_result *t);
/* the same with this run's target as its JSON object (report_json_target()) */
size_t		 baseline_compare_json(struct baseline *, const json_t *now,
		    struct target_result *t);

/*
 * baseline_finish - say on stderr which targets were in only one of the
 * two runs (after the last baseline_compare())
 */
void		 baseline_finish(struct baseline *);

/* what was read and compared: the run-level JSON "baseline" */
struct baseline_summary {
	const char	*path;
	const char	*time;		/* the baseline's start; NULL: unknown */
	const char	*error;		/* why nothing was read; NULL: read */
	size_t		 records;	/* targets read */
	size_t		 skipped;	/* records not read (not JSON, cut short ...) */
	size_t		 compared;	/* targets of this run found in it */
	size_t		 nnew;		/* targets of this run not in it */
	const char *const *missing;	/* its targets not in this run (after
					   baseline_finish()) */
	size_t		 nmissing;
};
void		 baseline_summary(const struct baseline *, struct baseline_summary *);

#endif
