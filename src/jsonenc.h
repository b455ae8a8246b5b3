/* SPDX-License-Identifier: ISC */
/*
 * jsonenc - a jansson tree to JSON text, byte for byte what json_dumpb()
 * writes with the same flags, in a fraction of its instructions.
 *
 * jansson 2.14's encoder formats a pointer with snprintf() and fills a
 * hashtable for every object and array it enters (its loop check), and
 * hands every token to a callback: that was more than half the
 * instructions of a batch.  A record's tree is built by report_json.c,
 * which makes no loops, so the check buys nothing here.
 *
 * Flags: JSON_COMPACT, JSON_INDENT(n) and JSON_PRESERVE_ORDER (objects
 * are always written in insertion order, as jansson 2.14 does); any
 * other flag, a real number, or a value that is not an object or array
 * at the top is a bug (fatalx()).  Strings are written as they are
 * stored, with the escapes jansson uses ("\"", "\\", \b \f \n \r \t,
 * \u00XX for other controls): they are valid UTF-8 by construction.
 */
#ifndef SMTPPROBE_JSONENC_H
#define SMTPPROBE_JSONENC_H

#include <jansson.h>

#include "util.h"

/*
 * jsonenc_dump - append the text of v to *out (NUL-terminated, as
 * buf_append() keeps it); v is not changed (not const: jansson's object
 * iterator takes a plain json_t *)
 */
void	 jsonenc_dump(json_t *v, size_t flags, struct buf *out);

#endif
