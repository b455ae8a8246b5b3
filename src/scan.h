/* SPDX-License-Identifier: ISC */
/*
 * scan - admission of targets: resolve each, probe each address with at
 * most --concurrency sessions in flight and one session per IP at a
 * time, hand every finished target (errors included) to the reporter.
 */
#ifndef SMTPPROBE_SCAN_H
#define SMTPPROBE_SCAN_H

#include <stdio.h>

#include "cli.h"

struct loop;

/*
 * scan_run - probe every target of cfg (operands, --host, -f FILE) on
 * loop, writing the report to out.  Returns the exit status (0, 2, or 64
 * for an unusable target list).
 */
int	 scan_run(const struct cli_config *cfg, struct loop *loop, FILE *out);

#endif
