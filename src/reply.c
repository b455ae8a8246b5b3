/* SPDX-License-Identifier: ISC */
/*
 * reply - incremental SMTP reply parser.  No I/O and no allocation: the
 * parser state is one fixed-size struct, so any byte stream, fed in any
 * split, costs bounded memory and linear time (a fuzz target).
 *
 * Implements the reply syntax of RFC 5321 section 4.2 (reply lines,
 * multi-line replies), the line limit of RFC 5321 section 4.5.3.1.5, and
 * picks up the enhanced status code of RFC 3463 (as announced by RFC 2034)
 * from the first line.
 *
 * Decisions the header leaves open (each is tested in check_reply.c):
 *  - The parser works byte by byte, so every split of the input gives the
 *    same results, including the same *used counts.
 *  - A line is rejected as soon as its first four bytes show it cannot be a
 *    reply line ("HTTP/1.1 400" fails at the 'H', byte 1): a server that
 *    speaks another protocol and never sends LF is caught at once instead
 *    of at the timeout.
 *  - The second and third digits may be 0..9 (RFC 5321 4.2.1 only defines
 *    0..5 for the second one): tolerated, the code is reported as sent.
 *  - After the code only SP, '-' or the end of the line are accepted; a
 *    TAB (or any other byte) is a protocol error, as the header says
 *    (RFC 5321 4.2: Reply-code [ SP textstring ] CRLF).
 *  - A CR that is not followed by LF is kept in the text as a raw CR and
 *    flagged REPLY_F_BARE_CR (the renderers escape it).
 *  - A line is "long" when its text plus a CRLF exceeds 512 octets, also
 *    when it actually ended in a bare LF.
 *  - REPLY_F_NUL is set for any NUL on a line, even one past the line cap.
 *  - The text holds whole lines: the first line that does not fit under
 *    REPLY_TEXT_CAP is left out with every line after it (flagged
 *    truncated), so the text never ends in half a keyword.  Each line
 *    left out is read, while it is still in the line buffer, by
 *    ehlo_scan_line() (pure, no allocation) into cur.unstored; any reply
 *    may be an EHLO reply, and only the caller knows.
 *  - Errors are sticky: after REPLY_ERROR every call returns REPLY_ERROR
 *    with *used 0 until reply_init().  *used on the failing call counts
 *    the byte that showed the error.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ehlo.h"
#include "i18n.h"
#include "reply.h"

#define REPLY_IS_DIGIT(c)	((c) >= '0' && (c) <= '9')

static int	reply_fail(struct reply_parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	reply_check_prefix(struct reply_parser *, size_t);
static int	reply_store(struct reply_parser *, unsigned char);
static int	reply_append(struct smtp_reply *, const char *, size_t, int);
static void	reply_unstored(struct smtp_reply *, const char *, size_t);
static int	reply_line_end(struct reply_parser *, int);
static int	reply_byte(struct reply_parser *, unsigned char);

/* forget a reply, cheaply: text is valid up to textlen */
static void
reply_clear(struct smtp_reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	r->nlines = 0;
	r->flags = 0;
	r->textlen = 0;
	r->text[0] = '\0';
	memset(&r->unstored, 0, sizeof(r->unstored));
}

/*
 * reply_init - reset a parser to expect a new reply
 */
void
reply_init(struct reply_parser *p)
{
	/*
	 * Only the bookkeeping: the line and text buffers (9 KiB) are
	 * valid up to their lengths, so clearing them on every reply (as a
	 * memset of the whole struct would) is wasted work.
	 */
	p->linelen = p->linetotal = 0;
	p->cr_pending = p->in_reply = 0;
	p->lineflags = 0;
	p->line[0] = '\0';
	p->error[0] = '\0';
	p->error_fmt = NULL;
	p->error_arg[0] = '\0';
	reply_clear(&p->cur);
}

/*
 * Record the reason for a protocol error; always returns REPLY_ERROR.
 * fmt is a catalogue message with one "%s" at most (its argument a short
 * string), kept as well for the text report (reply_error_fmt()).
 */
static int
reply_fail(struct reply_parser *p, const char *fmt, ...)
{
	va_list	 ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	p->error_fmt = fmt;
	p->error_arg[0] = '\0';
	if (strstr(fmt, "%s") != NULL)
		snprintf(p->error_arg, sizeof(p->error_arg), "%s",
		    va_arg(ap2, const char *));
	va_end(ap2);
	va_end(ap);
	if (p->error[0] == '\0') {	/* never leave the error unset */
		strcpy(p->error, "protocol error");
		p->error_fmt = N_("protocol error");
	}
	return REPLY_ERROR;
}

/*
 * Check byte idx (0..3) of the current line, just stored.  RFC 5321 4.2:
 * Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *              Reply-code [ SP textstring ] CRLF
 * Reply-code = %x32-35 %x30-35 %x30-39
 */
static int
reply_check_prefix(struct reply_parser *p, size_t idx)
{
	const char	*l = p->line;
	unsigned char	 c = (unsigned char)l[idx];
	char		 arg[8];
	int		 code;

	if (idx < 3) {
		if (!REPLY_IS_DIGIT(c))
			return reply_fail(p, N_("non-numeric reply code"));
		if (idx < 2)
			return REPLY_MORE;
		/* Tolerant: second and third digit 0..9, see the top. */
		if (l[0] < '2' || l[0] > '5') {
			snprintf(arg, sizeof(arg), "%.3s", l);
			return reply_fail(p, N_("reply code %s out of range"), arg);
		}
		code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		/* RFC 5321 4.2.1: each line of a multi-line reply has the code. */
		if (p->in_reply && code != p->cur.code)
			p->lineflags |= REPLY_F_CODE_MISMATCH;
		return REPLY_MORE;
	}
	if (c == ' ' || c == '-')
		return REPLY_MORE;
	if (REPLY_IS_DIGIT(c))
		return reply_fail(p, N_("reply code longer than three digits"));
	snprintf(arg, sizeof(arg), "0x%02x", c);
	/* TRANSLATORS: the byte after the reply code, in hex ("0x3a") */
	return reply_fail(p, N_("bad separator %s after reply code"), arg);
}

/* Add one byte to the current line, keeping at most REPLY_LINE_CAP. */
static int
reply_store(struct reply_parser *p, unsigned char c)
{
	size_t	 idx = p->linetotal;

	if (p->linelen < REPLY_LINE_CAP) {
		p->line[p->linelen++] = (char)c;
		p->line[p->linelen] = '\0';
	} else
		p->lineflags |= REPLY_F_TRUNCATED;
	if (p->linetotal < SIZE_MAX)
		p->linetotal++;
	if (idx < 4)
		return reply_check_prefix(p, idx);
	return REPLY_MORE;
}

/*
 * Append one line's text to the reply, '\n' first if sep, if all of it
 * fits under the cap and no line before it was left out (text stays the
 * first lines, each whole).  Returns 1 if stored, 0 if left out.
 */
static int
reply_append(struct smtp_reply *r, const char *s, size_t n, int sep)
{
	size_t	 room = REPLY_TEXT_CAP - r->textlen;

	if (r->unstored.nlines > 0 || n + (sep ? 1 : 0) > room)
		return 0;
	if (sep)
		r->text[r->textlen++] = '\n';
	if (n > 0)
		memcpy(r->text + r->textlen, s, n);
	r->textlen += n;
	r->text[r->textlen] = '\0';
	return 1;
}

/*
 * A line left out of the text: read it now, as ehlo.c reads the stored
 * ones, since it is gone after this.  Constant space, time linear in the
 * line (kept under REPLY_LINE_CAP).  The first line always fits.
 */
static void
reply_unstored(struct smtp_reply *r, const char *s, size_t n)
{
	unsigned	 bit;

	r->flags |= REPLY_F_TRUNCATED;
	r->unstored.nlines++;
	if (ehlo_scan_line(s, n, &bit) > 0) {
		r->unstored.nkeywords++;
		r->unstored.caps |= bit;
	}
}

/* A line ended (LF seen; bare if no CR before it). */
static int
reply_line_end(struct reply_parser *p, int bare)
{
	struct smtp_reply	*r = &p->cur;
	int			 last;

	/* RFC 5321 2.3.8: lines end in CRLF; tolerate LF, but say so. */
	if (bare)
		p->lineflags |= REPLY_F_BARE_LF;
	if (p->linetotal == 0)
		return reply_fail(p, N_("empty reply line"));
	if (p->linetotal < 3)
		return reply_fail(p, N_("reply code too short"));
	/* RFC 5321 4.5.3.1.5: 512 octets per reply line, CRLF included. */
	if (p->linetotal > REPLY_RFC_LINE_MAX - 2)
		p->lineflags |= REPLY_F_LONG_LINE;

	/* "ddd" alone or "ddd SP ..." ends the reply; "ddd-" continues it. */
	last = p->linetotal == 3 || p->line[3] == ' ';
	if (r->nlines == 0)
		r->code = (p->line[0] - '0') * 100 + (p->line[1] - '0') * 10 +
		    (p->line[2] - '0');
	if (!reply_append(r, p->line + 4, p->linelen > 4 ? p->linelen - 4 : 0,
	    r->nlines > 0))
		reply_unstored(r, p->line + 4, p->linelen > 4 ?
		    p->linelen - 4 : 0);
	if (r->nlines == 0)	/* RFC 3463 code: the first line decides */
		reply_parse_enhanced(r->text, r->textlen, r->enhanced,
		    sizeof(r->enhanced));
	r->nlines++;
	r->flags |= p->lineflags;

	p->linelen = p->linetotal = 0;
	p->line[0] = '\0';
	p->lineflags = 0;

	if (last) {
		p->in_reply = 0;	/* cur is cleared on the next call */
		return REPLY_DONE;
	}
	if (r->nlines >= REPLY_MAX_LINES) {
		char	 max[16];

		snprintf(max, sizeof(max), "%d", REPLY_MAX_LINES);
		return reply_fail(p, N_("endless multi-line reply (over %s "
		    "lines)"), max);
	}
	p->in_reply = 1;
	return REPLY_MORE;
}

static int
reply_byte(struct reply_parser *p, unsigned char c)
{
	int	 rc;

	if (p->cr_pending) {
		p->cr_pending = 0;
		if (c == '\n')
			return reply_line_end(p, 0);
		/* RFC 5321 2.3.8: a CR without LF; keep it raw, flag it. */
		p->lineflags |= REPLY_F_BARE_CR;
		if ((rc = reply_store(p, '\r')) != REPLY_MORE)
			return rc;
	}
	switch (c) {
	case '\n':
		return reply_line_end(p, 1);
	case '\r':
		p->cr_pending = 1;
		return REPLY_MORE;
	case '\0':
		p->lineflags |= REPLY_F_NUL;
		c = '?';
		break;
	default:
		break;
	}
	return reply_store(p, c);
}

/*
 * reply_feed - consume server output
 *
 * Returns REPLY_DONE (*out valid until the next call; *used counts the
 * bytes up to and including the reply's last LF), REPLY_MORE (all len
 * bytes consumed) or REPLY_ERROR (*used counts the bytes up to the one
 * that showed the error; sticky until reply_init()).  *out is NULL
 * unless REPLY_DONE.  used and out may be NULL.
 */
int
reply_feed(struct reply_parser *p, const char *buf, size_t len,
    size_t *used, const struct smtp_reply **out)
{
	size_t	 i = 0;
	int	 rc = REPLY_MORE;

	if (used != NULL)
		*used = 0;
	if (out != NULL)
		*out = NULL;
	if (p->error[0] != '\0')
		return REPLY_ERROR;
	/* The reply returned last time is forgotten only now. */
	if (!p->in_reply && p->cur.nlines > 0)
		reply_clear(&p->cur);
	if (buf == NULL)
		len = 0;
	while (i < len) {
		rc = reply_byte(p, (unsigned char)buf[i++]);
		if (rc != REPLY_MORE)
			break;
	}
	if (used != NULL)
		*used = i;
	if (rc == REPLY_DONE && out != NULL)
		*out = &p->cur;
	return rc;
}

/*
 * reply_error - the reason for the last REPLY_ERROR
 *
 * A string inside the parser, valid while it lives; "" if none.
 */
const char *
reply_error(const struct reply_parser *p)
{
	return p->error;
}

const char *
reply_error_fmt(const struct reply_parser *p)
{
	return p->error_fmt;
}

const char *
reply_error_arg(const struct reply_parser *p)
{
	return p->error_arg;
}

/*
 * reply_pending - bytes of an unfinished reply are buffered
 *
 * True after part of a line or the first lines of a multi-line reply;
 * false at a reply boundary and after REPLY_ERROR.
 */
int
reply_pending(const struct reply_parser *p)
{
	if (p->error[0] != '\0')
		return 0;
	return p->linetotal > 0 || p->cr_pending || p->in_reply;
}

/*
 * reply_parse_enhanced - find an RFC 3463 code at the start of text
 *
 * RFC 3463 section 2: status-code = class "." subject "." detail, with
 * class "2" / "4" / "5" and subject, detail 1*3digit; it must be followed
 * by SP or the end of text.  Copies it, NUL-terminated, into out when it
 * fits in outsize (out may be NULL to measure only).  Returns its length,
 * or 0 (out then holds "" if outsize > 0).
 */
size_t
reply_parse_enhanced(const char *text, size_t len, char *out, size_t outsize)
{
	size_t	 i, n;
	int	 part;

	if (out != NULL && outsize > 0)
		out[0] = '\0';
	if (text == NULL || len < 5)
		return 0;
	if (text[0] != '2' && text[0] != '4' && text[0] != '5')
		return 0;
	if (text[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (n = 0; i < len && n < 4 && REPLY_IS_DIGIT(text[i]); n++)
			i++;
		if (n < 1 || n > 3)
			return 0;
		if (part == 0) {
			if (i >= len || text[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < len && text[i] != ' ')
		return 0;
	if (out != NULL) {
		if (outsize <= i)
			return 0;
		memcpy(out, text, i);
		out[i] = '\0';
	}
	return i;
}
