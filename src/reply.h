/* SPDX-License-Identifier: ISC */
/*
 * reply - incremental SMTP reply parser (RFC 5321 section 4.2).  Pure: no
 * I/O, no allocation.  Fed any number of bytes at a time.
 *
 * Tolerant of what real servers send, exact in what it reports:
 *  - a line ends at LF; one CR before it is stripped; a bare LF is flagged;
 *  - "ddd" is followed by SP, "-" or end of line; anything else, or a
 *    first digit outside 2..5, is a protocol error (REPLY_ERROR);
 *  - all lines of a multi-line reply should share one code; a mismatch
 *    is flagged (the first line's code wins);
 *  - lines longer than 512 octets (RFC 5321 4.5.3.1.5) are flagged; bytes
 *    past REPLY_LINE_CAP are consumed but not stored (flagged truncated);
 *  - at most REPLY_TEXT_CAP bytes of text are stored per reply, whole
 *    lines only; the lines after the first that does not fit are not
 *    stored but still read, as EHLO lines (ehlo_scan_line(), ehlo.h), into
 *    a fixed-size summary (unstored); a reply of more than
 *    REPLY_MAX_LINES lines is a protocol error (endless reply).
 */
#ifndef SMTPPROBE_REPLY_H
#define SMTPPROBE_REPLY_H

#include <stddef.h>

#define REPLY_LINE_CAP		1024	/* bytes of one line kept */
#define REPLY_TEXT_CAP		8192	/* bytes of text kept per reply */
#define REPLY_MAX_LINES		4096	/* more is an endless reply: error */
#define REPLY_RFC_LINE_MAX	512	/* RFC 5321 4.5.3.1.5, CRLF included */

/* flags of struct smtp_reply */
#define REPLY_F_BARE_LF		0x01	/* a line ended in LF without CR */
#define REPLY_F_LONG_LINE	0x02	/* a line over 512 octets */
#define REPLY_F_TRUNCATED	0x04	/* text or a line was cut at a cap */
#define REPLY_F_CODE_MISMATCH	0x08	/* lines of one reply differ in code */
#define REPLY_F_NUL		0x10	/* NUL byte(s) in the text */
#define REPLY_F_BARE_CR		0x20	/* a CR not followed by LF inside a line */

/* return values of reply_feed() */
#define REPLY_MORE	0
#define REPLY_DONE	1
#define REPLY_ERROR	(-1)

struct smtp_reply {
	int		 code;		/* 200..599 */
	char		 enhanced[16];	/* RFC 3463 "x.y.z" of the first line, or "" */
	int		 nlines;	/* lines received (may exceed stored ones) */
	unsigned	 flags;		/* REPLY_F_* */
	size_t		 textlen;
	/*
	 * Text of each line after "ddd" and the separator, lines joined by
	 * '\n', NUL-terminated.  Raw server bytes (NUL stored as '?'): may
	 * be invalid UTF-8 or contain control characters.  Whole lines (each
	 * as kept under REPLY_LINE_CAP): the first nlines - unstored.nlines.
	 */
	char		 text[REPLY_TEXT_CAP + 1];
	/*
	 * The lines that did not fit in text, each read as an EHLO keyword
	 * line when it arrived: what is stored is capped, what is understood
	 * is not (a STARTTLS after 8 KiB of junk keywords still counts).
	 * All zero when every line is in text.
	 */
	struct reply_unstored {
		int	 nlines;	/* lines not in text */
		int	 nkeywords;	/* of them, "keyword [param ...]" lines */
		unsigned caps;		/* EXT_* bits of their keywords */
	}		 unstored;
};

struct reply_parser {
	/* private */
	char		 line[REPLY_LINE_CAP + 1];
	size_t		 linelen;	/* bytes stored */
	size_t		 linetotal;	/* bytes seen on this line */
	int		 cr_pending;
	int		 in_reply;	/* seen the first line of a reply */
	unsigned	 lineflags;
	struct smtp_reply cur;
	char		 error[128];
	const char	*error_fmt;	/* error's message (N_()), one "%s" at most */
	char		 error_arg[16];	/* its argument, or "" */
};

/*
 * reply_init - reset a parser to expect a new reply
 */
void	reply_init(struct reply_parser *);

/*
 * reply_feed - consume server output
 *
 * Consumes bytes from buf (len of them) and stores in *used how many it
 * took.  Returns REPLY_DONE when a whole reply has been parsed (*out then
 * points into the parser and is valid until the next call; bytes after
 * the reply are left unconsumed: call again with buf + *used to parse
 * them), REPLY_MORE when all bytes were consumed without completing a
 * reply, or REPLY_ERROR for a protocol error (reply_error() says what).
 * After REPLY_DONE the parser is ready for the next reply.
 */
int	reply_feed(struct reply_parser *, const char *buf, size_t len,
	    size_t *used, const struct smtp_reply **out);

/* reply_error - the reason for the last REPLY_ERROR */
const char *reply_error(const struct reply_parser *);
/*
 * reply_error_fmt, reply_error_arg - the same reason as a catalogue
 * message (N_(), one "%s" at most; NULL before any error) and its
 * argument ("" if none), for a struct result_msg's sub; reply_error() is
 * the one with the other
 */
const char *reply_error_fmt(const struct reply_parser *);
const char *reply_error_arg(const struct reply_parser *);

/* reply_pending - bytes of an unfinished reply are buffered */
int	reply_pending(const struct reply_parser *);

/*
 * reply_parse_enhanced - find an RFC 3463 code (class.subject.detail,
 * class 2, 4 or 5) at the start of text; copy it into out (size >= 16).
 * Returns its length in text (including no trailing space) or 0.
 */
size_t	reply_parse_enhanced(const char *text, size_t len, char *out, size_t outsize);

#endif
