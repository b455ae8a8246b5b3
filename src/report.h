/* SPDX-License-Identifier: ISC */
/*
 * report - renderers.  They only read struct target_result.
 */
#ifndef SMTPPROBE_REPORT_H
#define SMTPPROBE_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>

#include "cli.h"
#include "escape.h"
#include "result.h"
#include "summary.h"

struct report_text_run;

struct baseline;

struct report {
	FILE		*out;
	struct timespec	 started;	/* FMT_JSON: wall clock at report_begin() */
	uint64_t	 t0_ms;		/* monotonic, at report_begin() */
	size_t		 outcomes[OUTCOME_LAST];	/* FMT_JSON: targets by outcome */
	enum cli_format	 format;
	int		 color;		/* resolved: 0 or 1 */
	int		 transcript;
	int		 quiet;
	size_t		 ntargets;	/* written so far */
	int		 flush_per_turn;	/* report_flush() flushes, not each target */
	int		 unflushed;	/* written since the last flush */
	int		 cert_warn_days;	/* FMT_NAGIOS thresholds */
	int		 cert_crit_days;
	int		 banner_warn_ms;	/* 0: no threshold */
	int		 banner_crit_ms;
	int		 session_warn_ms;
	int		 session_crit_ms;
	int		 nagios_high;	/* state of a high finding (0..2) */
	const struct baseline *baseline;	/* --baseline, or NULL */
	int		 baseline_regression;	/* state of a regression (0..2) */
	void		*mon;		/* private: what nagios/prometheus collect */
	int		 summary_only;	/* FMT_TEXT, FMT_JSON: the summary, no target */
	int		 wide;		/* FMT_TEXT: the matrix as wide as it takes */
	int		 no_advice;	/* FMT_TEXT: no "Advice:" */
	struct summary	*summary;	/* private: FMT_TEXT, FMT_JSON, from report_begin() */
	struct report_text_run *text_run;	/* private: FMT_TEXT, what was said */
};

/*
 * report_begin, report_target, report_end - write a stream of targets in
 * r->format: text blocks separated by a blank line; JSON Lines (one
 * compact object a line); JSON (a bare object when r->single, else an
 * array, streamed: "[" at begin, "]" at end).  Output is flushed after
 * each target, or, with flush_per_turn set, by report_flush() (and
 * report_end()).  The caller fills in *r (zero ntargets) and owns r->out.
 */
void	 report_begin(struct report *);
void	 report_target(struct report *, const struct target_result *);
void	 report_flush(struct report *);
int	 report_end(struct report *);

/*
 * Monitoring formats collect over the whole run and write at the end:
 * a Nagios plugin prints one status line (with perfdata) and its exit
 * status is the plugin state; the Prometheus text format needs every
 * sample of a metric in one group.  (report_nagios.c, report_prometheus.c)
 */
void	 report_nagios_add(struct report *, const struct target_result *);
void	 report_nagios_unknown(struct report *, const char *);
int	 report_nagios_end(struct report *);	/* 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN */
void	 report_prometheus_add(struct report *, const struct target_result *);
void	 report_prometheus_end(struct report *);

/* report_json_target - the smtpprobe/2 object for one target (new reference) */
json_t	*report_json_target(const struct target_result *);
/*
 * report_json_target_line - the same object as one line of compact JSON
 * (JSON Lines), byte for byte what json_dumpb(JSON_COMPACT) makes of the
 * tree, written without one: not NUL-terminated, length in *len, valid
 * until the next call
 */
const char *report_json_target_line(const struct target_result *, size_t *len);
char	*report_json_run_head(const struct timespec *started);
char	*report_json_run_tail(long duration_ms, const size_t counts[OUTCOME_LAST],
	    const struct baseline *, const struct summary *);
/* report_json_summary - the run-level "summary" object (new reference) */
json_t	*report_json_summary(const struct summary *);

/*
 * report_text_target - the header, matrix, transcripts (if asked), advice
 * and findings for one target.  All server text is passed through
 * escape_terminal(); ANSI colour only when color is non-zero.
 */
void	 report_text_target(FILE *, const struct target_result *, int color, int transcript);
/* report_text_run_target - the same, as r says: TEXT_WIDTH columns unless r->wide */
void	 report_text_run_target(struct report *, const struct target_result *);
/* report_text_run_free - what report_text_run_target() kept; NULL does nothing */
void	 report_text_run_free(struct report_text_run *);
/* report_text_summary - the figures across the targets of a run (issue 14) */
void	 report_text_summary(FILE *, const struct summary *, int color);

#endif
