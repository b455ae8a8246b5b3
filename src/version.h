/* SPDX-License-Identifier: ISC */
/*
 * version - what `smtpprobe --version` prints: the program's version, the
 * versions of the libraries it runs with (as `curl --version` does) and how
 * it was built (sanitizers, fuzzing).
 */
#ifndef SMTPPROBE_VERSION_H
#define SMTPPROBE_VERSION_H

#include <stdio.h>

void	version_print(FILE *);

#endif
