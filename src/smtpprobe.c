/* SPDX-License-Identifier: ISC */
/*
 * smtpprobe - what does this domain's mail server actually do?
 *
 * main(): parse the command line, then run one of: the probe of the
 * targets, "explain", or the built-in demo lab.  Everything else lives in
 * libsmtpprobe.a.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "demo.h"
#include "explain.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "scan.h"
#include "version.h"

#define SMTPPROBE_STDOUT_BUF	(256 * 1024)

int
main(int argc, char **argv)
{
	static char		 outbuf[SMTPPROBE_STDOUT_BUF];
	struct cli_config	 cfg;
	struct loop		*loop;
	char			 err[512];
	int			 status;

	log_init("smtpprobe", getenv("SMTPPROBE_DEBUG") != NULL);
	i18n_init();
	/* Nagios reads its status line: English in every locale */
	if (cli_wants_nagios(argc, argv))
		i18n_off();
	signal(SIGPIPE, SIG_IGN);

	if (cli_parse(argc, argv, &cfg, err, sizeof(err)) == -1) {
		cli_free(&cfg);
		/* Monitoring Plugins guidelines: a usage error is UNKNOWN (3) */
		if (cli_wants_nagios(argc, argv)) {
			printf("SMTPPROBE UNKNOWN - %s\n", strcmp(err,
			    "no target given") == 0 ? "no targets" : err);
			return 3;
		}
		fprintf(stderr, _("smtpprobe: %s\n"
		    "Try 'smtpprobe --help' for more information.\n"), err);
		return 64;
	}
	switch (cfg.mode) {
	case CLI_MODE_HELP:
		cli_usage(stdout);
		status = 0;
		break;
	case CLI_MODE_VERSION:
		version_print(stdout);
		status = 0;
		break;
	case CLI_MODE_EXPLAIN:
		status = explain_main_fmt(stdout, stderr, cfg.nexplain,
		    cfg.explain_args, cfg.format == FMT_JSON || cfg.format == FMT_JSONL);
		break;
	case CLI_MODE_DEMO:
		status = demo_run(&cfg, stdout);
		break;
	case CLI_MODE_PROBE:
		/*
		 * A batch writes its records once per event-loop turn
		 * (report_flush()), so stdout gets a buffer that holds a
		 * turn's worth: one write(2) a turn instead of one a record.
		 */
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
		if ((loop = loop_new()) == NULL)
			fatal("loop_new");
		status = scan_run(&cfg, loop, stdout);
		loop_free(loop);
		break;
	default:
		fatalx("%s: bad mode %d", __func__, cfg.mode);
	}
	cli_free(&cfg);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("%s", _("writing the report"));
		if (status == 0)
			status = 74;
	}
	return status;
}
