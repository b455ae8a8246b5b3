/* SPDX-License-Identifier: ISC */
/*
 * outfile - see outfile.h.  The temporary file is made with mkstemp() in
 * FILE's own directory, so that rename(2) replaces FILE atomically
 * (same file system), with the mode a plain fopen() would give (0666
 * less the umask) rather than mkstemp()'s 0600.
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outfile.h"
#include "util.h"

int
outfile_open(struct outfile *f, const struct cli_output *o,
    const struct report *tmpl, char *err, size_t errlen)
{
	mode_t	 mask;
	int	 fd;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(o->path);
	f->tmp = xasprintf("%s.XXXXXX", o->path);
	if ((fd = mkstemp(f->tmp)) == -1) {
		snprintf(err, errlen, "-o %s: %s", o->path, strerror(errno));
		free(f->tmp);
		free(f->path);
		f->tmp = f->path = NULL;
		return -1;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	/* the run's settings (thresholds, -v), its own stream and format */
	f->r = *tmpl;
	f->r.mon = NULL;
	f->r.ntargets = 0;
	f->r.flush_per_turn = 0;	/* whole records in the file, each flushed */
	f->r.unflushed = 0;
	if ((f->r.out = fdopen(fd, "w")) == NULL)
		fatal("fdopen");
	f->r.format = o->format;
	f->r.color = 0;
	return 0;
}

int
outfile_commit(struct outfile *f)
{
	int	 bad;

	(void)report_end(&f->r);
	bad = fflush(f->r.out) == EOF || ferror(f->r.out) ||
	    fsync(fileno(f->r.out)) == -1;
	if (fclose(f->r.out) == EOF)
		bad = 1;
	f->r.out = NULL;
	if (bad || rename(f->tmp, f->path) == -1) {
		log_warn("-o %s: not written", f->path);
		(void)unlink(f->tmp);
		bad = 1;
	}
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
	return bad ? -1 : 0;
}

void
outfile_discard(struct outfile *f)
{
	if (f->r.out != NULL) {
		/* what the monitoring formats collected is freed by their end */
		(void)report_end(&f->r);
		fclose(f->r.out);
		f->r.out = NULL;
	}
	if (f->tmp != NULL) {
		(void)unlink(f->tmp);
		log_warnx("-o %s: left as it was (the run did not complete)",
		    f->path);
	}
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
}
