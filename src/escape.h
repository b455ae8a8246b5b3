/* SPDX-License-Identifier: ISC */
/*
 * escape - server text made safe for a terminal, or valid UTF-8 for JSON.
 */
#ifndef SMTPPROBE_ESCAPE_H
#define SMTPPROBE_ESCAPE_H

#include <stddef.h>

/*
 * escape_terminal - copy server text for a terminal: control characters
 * and bytes >= 0x7f shown as '?' (Postfix), newlines kept if keep_nl.
 */
char	*escape_terminal(const char *text, size_t len, int keep_nl);

/*
 * escape_terminal_cjk - escape_terminal() that keeps CJK characters: for
 * translated messages (findings in zh_CN) that also quote server text.
 * text may be NULL.  Every byte maps to one byte.
 */
char	*escape_terminal_cjk(const char *text);

/*
 * escape_utf8 - copy with invalid UTF-8 replaced by U+FFFD (for JSON):
 * one U+FFFD per maximal ill-formed subpart (Unicode 15, 3.9), overlongs,
 * surrogates and code points over U+10FFFF are invalid; NUL also becomes
 * U+FFFD.  Control characters are kept.  text may be NULL (len 0).
 * Returns a NUL-terminated string the caller frees.
 */
char	*escape_utf8(const char *text, size_t len);

#endif
