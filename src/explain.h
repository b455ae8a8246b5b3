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

/*
 * explain_main_fmt - explain_main(), also for command names ("VRFY": what
 * it does, why sites disable it, its replies and their status, what to use
 * instead) and a command with a reply code ("VRFY 252").  json != 0 prints
 * one JSON object (schema "smtpprobe-explain/1", kind "code", "enhanced",
 * "command", "command_reply" or "comparison") instead of text.  Errors stay
 * one line on err.  Returns 0, 64 for a usage error, 70 out of memory.
 */
int	explain_main_fmt(FILE *out, FILE *err, int argc, char **argv,
	    int json);

#endif
