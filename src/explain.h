/* SPDX-License-Identifier: ISC */
/*
 * explain - "smtpprobe explain CODE [CODE]": the knowledge base for humans.
 */
#ifndef SMTPPROBE_EXPLAIN_H
#define SMTPPROBE_EXPLAIN_H

#include <stdio.h>

/*
 * explain_main - print the entry of one code, or a side-by-side comparison
 * of two, to out.  argv holds the operands after "explain".  Errors go to
 * err as one line.  Returns the exit status: 0, or 64 for a usage error
 * (no code, more than two, or a code the knowledge base does not know).
 */
int	explain_main(FILE *out, FILE *err, int argc, char **argv);

#endif
