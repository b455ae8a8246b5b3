/* SPDX-License-Identifier: ISC */
/*
 * outfile - the files of -o FORMAT:FILE.  Each is written to a temporary
 * file beside FILE and renamed over it only when the run is complete, so
 * a reader (node_exporter, a monitoring check, a cron job) sees the last
 * whole file or the new whole file, never half of one, and a failed run
 * leaves the last good file in place.
 */
#ifndef SMTPPROBE_OUTFILE_H
#define SMTPPROBE_OUTFILE_H

#include "cli.h"
#include "report.h"

struct outfile {
	struct report	 r;		/* r.out is the temporary file */
	char		*path;		/* FILE */
	char		*tmp;		/* FILE.XXXXXX, until committed */
};

/*
 * outfile_open - create the temporary file for o, its report set up as
 * tmpl says (no colour: a file is not a terminal).  Returns 0, or -1
 * with the reason in err.
 */
int	outfile_open(struct outfile *, const struct cli_output *o,
	    const struct report *tmpl, char *err, size_t errlen);

/*
 * outfile_commit - finish the report, flush it to disk and rename it
 * over FILE.  Returns 0, or -1 (logged) when any write failed: then
 * FILE is left as it was.
 */
int	outfile_commit(struct outfile *);

/* outfile_discard - finish nothing, remove the temporary file */
void	outfile_discard(struct outfile *);

#endif
