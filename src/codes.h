/* SPDX-License-Identifier: ISC */
/*
 * codes - the reply-code knowledge base: every RFC 5321 reply code, the
 * common RFC 3463 enhanced status codes, what a reply to VRFY, EXPN,
 * TURN, ETRN ... means for support of that command (RFC 5321 7.3), and
 * what to do instead.  Pure tables and functions.
 */
#ifndef SMTPPROBE_CODES_H
#define SMTPPROBE_CODES_H

#include "result.h"

struct code_info {
	int		 code;
	const char	*title;		/* "Command not implemented" */
	const char	*meaning;	/* what the server is saying */
	const char	*when;		/* when a client meets it */
	const char	*action;	/* what to do about it */
	const char	*rfc;		/* "RFC 5321 4.2.3" */
};

struct enhanced_info {
	const char	*code;		/* "X.1.1": class-independent */
	const char	*title;
	const char	*meaning;
};

/* codes_lookup - the entry for a three-digit code, or NULL */
const struct code_info	*codes_lookup(int code);
/* codes_all - the table and its length (for listings and tests) */
const struct code_info	*codes_all(size_t *n);

/* codes_class_name - "positive completion" ... from the first digit, or NULL */
const char	*codes_class_name(int code);
/* codes_class_short - "2xx positive completion" style label */
const char	*codes_class_short(int code);
/* codes_replies_to - the commands a code answers, for humans, or NULL */
const char	*codes_replies_to(int code);

/* codes_lookup_enhanced - entry for "5.1.1" (any class) or NULL */
const struct enhanced_info *codes_lookup_enhanced(const char *enhanced);
/* codes_enhanced_all - the enhanced-code table and its length */
const struct enhanced_info *codes_enhanced_all(size_t *n);
/*
 * codes_parse_enhanced - "5.1.1" -> class (2, 4, 5; 0 for 'X'), subject,
 * detail (any pointer may be NULL).  0, or -1 if malformed (RFC 3463 2).
 */
int		 codes_parse_enhanced(const char *s, int *cls, int *subject,
		    int *detail);

/*
 * codes_status - what reply `code' to command `verb' (upper case) says
 * about support: e.g. ("VRFY", 252) -> ST_CANNOT_VERIFY but ("ETRN", 252)
 * -> ST_SUPPORTED; 4xx -> ST_TEMPORARY; 502 -> ST_NOT_IMPLEMENTED.
 * enhanced (may be "" or NULL) refines: 5.7.x -> ST_REFUSED; for VRFY
 * and EXPN 551 -> ST_NOT_LOCAL, X.1.1 -> ST_UNKNOWN_MAILBOX, 553 (not
 * X.1.3) -> ST_AMBIGUOUS (RFC 5321 3.5.3, RFC 3463).
 */
enum cmd_status	 codes_status(const char *verb, int code, const char *enhanced);

/*
 * codes_advice - what to do, given the result of `verb' and what the
 * server advertised in EHLO (EXT_* bits of ehlo.h).  A static string, or
 * NULL when there is nothing useful to say.  Concrete: TURN refused with
 * ETRN advertised -> use ETRN; without -> ETRN/ATRN explained.
 */
const char	*codes_advice(const char *verb, enum cmd_status, unsigned caps);

/*
 * codes_needs_control - 1 if the status of the first reply to `verb'
 * leaves open whether the server discloses which mailboxes exist, so
 * that a second VRFY with a made-up name (the control) must be asked:
 * VRFY answered 2xx or 252.
 */
int		 codes_needs_control(const char *verb, enum cmd_status);

/*
 * codes_verdict - the status of `verb' from its reply (code, enhanced)
 * and, for VRFY, the reply to the control probe (ccode 0: none was sent
 * or none came).  The one rule every output reads (via the stored
 * status): 252 to the name and 550 5.1.1 to the made-up one ->
 * ST_ENUMERABLE; otherwise codes_status() of the first reply.
 * enhanced and cenhanced may be "" or NULL.
 */
enum cmd_status	 codes_verdict(const char *verb, int code, const char *enhanced,
		    int ccode, const char *cenhanced);

/*
 * codes_status_open - which way a status points for an audit: 1 the
 * command works (2xx) or discloses mailboxes (enumerable, unknown_mailbox,
 * ambiguous, not_local), 0 it is refused (252 or a 5xx), -1 the reply
 * proves nothing (4xx, unexpected, error, not tried)
 */
int		 codes_status_open(enum cmd_status);

/* codes_status_meaning - one line on what a status means */
const char	*codes_status_meaning(enum cmd_status);

/*
 * What smtpprobe knows about an SMTP command, for "smtpprobe explain VRFY".
 * The status of each reply is not stored: it comes from codes_status(), so
 * the table of replies cannot drift from what a probe reports.
 */
struct command_reply {
	int		 code;		/* a code codes_lookup() knows; 0 ends */
	const char	*note;		/* what it means for this command, or NULL */
};

struct command_info {
	const char	*name;		/* "VRFY" */
	const char	*title;		/* "Verify an address" */
	const char	*summary;	/* what it does */
	const char	*rfc;		/* "RFC 5321 4.1.1.6, 3.5" */
	const char	*why_disabled;	/* why sites switch it off */
	const char	*instead;	/* when codes_advice() has nothing */
	unsigned	 instead_caps;	/* EXT_* bits the advice depends on */
	const struct command_reply *replies;
	const char	*reading;	/* how smtpprobe reads the replies, or NULL */
};

/* codes_lookup_command - the entry for a command name (any case), or NULL */
const struct command_info *codes_lookup_command(const char *name);
/* codes_commands_all - the command table and its length */
const struct command_info *codes_commands_all(size_t *n);
/*
 * codes_command_instead - what to use instead of `name' when the server
 * does not offer it, given the EXT_* bits of its EHLO: codes_advice() for
 * a 502, or the entry's own text when that has nothing to say.  NULL for
 * an unknown command.
 */
const char	*codes_command_instead(const char *name, unsigned caps);
/* a typical EHLO of a mail exchanger (Postfix defaults): EXT_* bits */
#define CODES_TYPICAL_CAPS	(EXT_PIPELINING | EXT_SIZE | EXT_ETRN | \
	EXT_STARTTLS | EXT_ENHANCEDSTATUSCODES | EXT_8BITMIME | EXT_DSN | \
	EXT_SMTPUTF8 | EXT_CHUNKING)

#endif
