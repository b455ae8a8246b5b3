/* SPDX-License-Identifier: ISC */
/*
 * findings - what a finished target's results mean for its operator:
 * enumeration holes (VRFY/EXPN answered), TURN accepted, commands
 * advertised in EHLO but refused (RFC 5321 4.2.4), DNS oddities.  Pure:
 * reads a struct target_result and appends to its findings.
 */
#ifndef SMTPPROBE_FINDINGS_H
#define SMTPPROBE_FINDINGS_H

#include "result.h"

/*
 * findings_compute - append the findings of t (call once, when the
 * target is complete)
 */
void	findings_compute(struct target_result *t);

#endif
