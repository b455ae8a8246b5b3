/* SPDX-License-Identifier: ISC */
/*
 * jsonarena - jansson's allocator, and the encoder of one JSON record.
 *
 * Building and freeing the jansson tree of a record was most of the
 * instructions of a batch: hundreds of small malloc()s and free()s per
 * record.  jsonarena installs (json_set_alloc_funcs(), process-wide, on
 * first use) a pair that behaves exactly as malloc()/free() except
 * between jsonarena_begin() and jsonarena_end(): there every jansson
 * allocation comes from a bump arena, free() of such a block does
 * nothing, and jsonarena_end() takes back the whole arena at once.
 *
 * THE INVARIANT: a json_t (or any jansson allocation) made between
 * jsonarena_begin() and jsonarena_end() must not be used after
 * jsonarena_end(); the tree is not freed with json_decref(), it simply
 * ends with the arena.  A json_t made outside the window may be used and
 * freed anywhere, inside the window too (its blocks come from malloc()).
 * Freeing an arena block outside the window is a bug and aborts.  Under
 * AddressSanitizer the arena is poisoned after jsonarena_end() and
 * between blocks, so a tree that outlives its window is caught.
 */
#ifndef SMTPPROBE_JSONARENA_H
#define SMTPPROBE_JSONARENA_H

#include <stddef.h>

#include <jansson.h>

void	 jsonarena_begin(void);
void	 jsonarena_end(void);

/*
 * jsonarena_dump - json_dumpb() of obj into one buffer reused from call
 * to call (grown as needed).  Returns the text, not NUL-terminated, and
 * its length in *len; valid until the next call.  fatalx() if jansson
 * cannot encode obj.
 */
const char *jsonarena_dump(const json_t *obj, size_t flags, size_t *len);

#endif
