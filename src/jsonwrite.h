/* SPDX-License-Identifier: ISC */
/*
 * jsonwrite - compact JSON text, written value by value (jsonbuild.c
 * drives it for a JSON Lines record), byte for byte what
 * json_dumpb(JSON_COMPACT) writes of the same value, at a fraction of
 * its cost.
 *
 * json_dumpb() spent most of a batch's user time on a JSON Lines record:
 * it checks every object and array for loops (an address printed with
 * snprintf() and entered in a hash table) and walks every string code
 * point by code point, keys included, though a record repeats the same
 * keys and most of the same texts (advice, reasons, statuses) from one
 * target to the next.
 *
 * jsonwrite writes the punctuation, integers and literals.  A string of
 * printable ASCII other than '"' and '\\' is its own encoding (RFC 8259
 * section 7) and is copied between quotes; every other string and key
 * is encoded by jansson (json_dumpb() of the string alone: JSON is never
 * escaped by hand, DESIGN.md).  Such a string seen twice is kept with
 * its encoding in a small cache (jsonwrite.c: a fixed number of slots,
 * strings up to a fixed length), and later copies are taken from there.
 * Memory is bounded by the cache's size, whatever the input.
 *
 * jsonwrite_begin() empties the buffer; jsonwrite_raw() and
 * jsonwrite_char() append punctuation and literals as given;
 * jsonwrite_string() appends a string (valid UTF-8, NUL allowed);
 * jsonwrite_integer() an integer as jansson writes it; jsonwrite_text()
 * is the text so far, not NUL-terminated, valid until the next
 * jsonwrite_begin().  fatalx() if jansson cannot encode a string.
 */
#ifndef SMTPPROBE_JSONWRITE_H
#define SMTPPROBE_JSONWRITE_H

#include <stddef.h>

void		 jsonwrite_begin(void);
void		 jsonwrite_raw(const char *s, size_t len);
void		 jsonwrite_char(char c);
void		 jsonwrite_string(const char *s, size_t len);
void		 jsonwrite_integer(long long n);
const char	*jsonwrite_text(size_t *len);

/* jsonwrite_reset - empty the cache and free its memory (tests) */
void		 jsonwrite_reset(void);

#endif
