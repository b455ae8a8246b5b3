/* SPDX-License-Identifier: ISC */
/*
 * demo - `smtpprobe --demo': a lab of scripted SMTP servers and a fake
 * DNS zone on loopback, probed by the real resolver and probe code.
 */
#ifndef SMTPPROBE_DEMO_H
#define SMTPPROBE_DEMO_H

#include <stdio.h>

#include "cli.h"

/*
 * demo_run - start the lab (fakedns on 127.0.0.1, one fakesmtp per
 * personality on 127.0.0.11, .12, ... all on one ephemeral port), run
 * scan_run() over the lab's domains with cfg's output options, write the
 * report to out, tear the lab down.  cfg is borrowed; its targets are
 * ignored.  Returns scan_run()'s exit status, or 2 if the lab cannot
 * start (the reason is logged).
 */
int	 demo_run(const struct cli_config *cfg, FILE *out);

#endif
