/* SPDX-License-Identifier: ISC */
/*
 * fuzz - shared bits of the libFuzzer targets in tests/fuzz.  Each
 * fuzz_<name>.c defines LLVMFuzzerTestOneInput(); it is linked either
 * with libFuzzer (configure --enable-fuzzing) or with replay.c, a tiny
 * main() that feeds every corpus file once (make check).
 */
#ifndef SMTPPROBE_FUZZ_H
#define SMTPPROBE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * FUZZ_CHECK - an invariant of the code under test.  Not assert(): it
 * must hold with NDEBUG too, and abort() is what libFuzzer (and the
 * replay driver's caller) reports as a crash.
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif
