/* SPDX-License-Identifier: ISC */
/*
 * check_reply - unit tests for the SMTP reply parser (RFC 5321 4.2,
 * 4.5.3.1.5; RFC 3463 enhanced codes).
 *
 * Every vector is fed whole, byte by byte, and in random chunk sizes
 * (fixed seeds); all splits must give the same replies, the same *used
 * offsets and the same final state.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ehlo.h"
#include "reply.h"

#define nelem(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXREP		4
#define NOCHECK		SIZE_MAX

struct exp_reply {
	int		 code;
	const char	*enh;
	int		 nlines;
	unsigned	 flags;
	const char	*text;		/* NULL: compare textlen only */
	size_t		 textlen;	/* when text is NULL */
	size_t		 end;		/* offset just past the reply */
};

struct rvec {
	const char	*name;
	const char	*in;
	size_t		 inlen;		/* 0: strlen(in) */
	size_t		(*gen)(char *, size_t);	/* builds the input instead */
	int		 nrep;
	struct exp_reply rep[MAXREP];
	int		 final;		/* REPLY_MORE or REPLY_ERROR */
	const char	*err;		/* substring of reply_error() */
	size_t		 errend;	/* offset consumed when the error showed */
	int		 pending;	/* reply_pending() at the end */
};

struct got_reply {
	int		 code;
	char		 enh[16];
	int		 nlines;
	unsigned	 flags;
	size_t		 textlen;
	char		 text[REPLY_TEXT_CAP + 1];
	size_t		 end;
};

struct got {
	int		 nrep;
	struct got_reply rep[MAXREP];
	int		 final;
	char		 err[128];
	size_t		 errend;
	int		 pending;
};

enum split { SPLIT_WHOLE, SPLIT_BYTE, SPLIT_RANDOM };

/*
 * The text holds whole lines, the first ones; the others are summed up
 * in unstored: the two add up to nlines.
 */
static void
check_stored_lines(const struct smtp_reply *r)
{
	int	 n = 1;
	size_t	 i;

	for (i = 0; i < r->textlen; i++)
		if (r->text[i] == '\n')
			n++;
	ck_assert_msg(n + r->unstored.nlines == r->nlines,
	    "%d lines in text + %d not stored != %d lines", n,
	    r->unstored.nlines, r->nlines);
	ck_assert_int_ge(r->unstored.nkeywords, 0);
	ck_assert_int_le(r->unstored.nkeywords, r->unstored.nlines);
	ck_assert(r->unstored.nlines == 0 ||
	    (r->flags & REPLY_F_TRUNCATED) != 0);
	ck_assert(r->unstored.nkeywords > 0 || r->unstored.caps == 0);
}

static char		 genbuf[256 * 1024];
static struct got	 got;
static uint32_t		 rng_state;

static uint32_t
rng(void)
{
	/* xorshift32: reproducible on every platform */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Feed in[0..len) to a fresh parser split as asked; record what happens. */
static void
run(const char *in, size_t len, enum split mode, size_t maxchunk,
    struct got *g)
{
	static struct reply_parser	 p;
	const struct smtp_reply		*out;
	size_t				 off = 0, chunk, coff, used;
	int				 rc;

	memset(g, 0, sizeof(*g));
	g->final = REPLY_MORE;
	/*
	 * probe_new() does not clear the parser's buffers: reply_init()
	 * alone must make dirty memory a fresh parser
	 */
	memset(&p, 0xa5, sizeof(p));
	reply_init(&p);
	ck_assert_int_eq(reply_pending(&p), 0);
	while (off < len) {
		if (mode == SPLIT_WHOLE)
			chunk = len - off;
		else if (mode == SPLIT_BYTE)
			chunk = 1;
		else
			chunk = 1 + rng() % maxchunk;
		if (chunk > len - off)
			chunk = len - off;
		for (coff = 0; coff < chunk; coff += used) {
			rc = reply_feed(&p, in + off + coff, chunk - coff, &used,
			    &out);
			ck_assert_msg(used <= chunk - coff,
			    "used %zu of %zu", used, chunk - coff);
			if (rc == REPLY_MORE) {
				ck_assert_msg(used == chunk - coff,
				    "MORE used %zu, want %zu", used,
				    chunk - coff);
				ck_assert_ptr_null(out);
			} else if (rc == REPLY_DONE) {
				struct got_reply *gr;

				ck_assert_ptr_nonnull(out);
				ck_assert_msg(used > 0, "DONE consumed nothing");
				ck_assert_msg(g->nrep < MAXREP, "too many replies");
				ck_assert_msg(out->textlen <= REPLY_TEXT_CAP &&
				    strlen(out->text) == out->textlen,
				    "textlen %zu, strlen %zu", out->textlen,
				    strlen(out->text));
				check_stored_lines(out);
				gr = &g->rep[g->nrep++];
				gr->code = out->code;
				memcpy(gr->enh, out->enhanced, sizeof(gr->enh));
				gr->nlines = out->nlines;
				gr->flags = out->flags;
				gr->textlen = out->textlen;
				memcpy(gr->text, out->text, out->textlen + 1);
				gr->end = off + coff + used;
			} else {
				ck_assert_int_eq(rc, REPLY_ERROR);
				ck_assert_ptr_null(out);
				g->final = REPLY_ERROR;
				g->errend = off + coff + used;
				snprintf(g->err, sizeof(g->err), "%s",
				    reply_error(&p));
				ck_assert_msg(g->err[0] != '\0', "empty error");
				/* errors are sticky until reply_init() */
				rc = reply_feed(&p, "250 ok\r\n", 8, &used, &out);
				ck_assert_int_eq(rc, REPLY_ERROR);
				ck_assert_uint_eq(used, 0);
				ck_assert_int_eq(reply_pending(&p), 0);
				return;
			}
		}
		off += chunk;
	}
	g->pending = reply_pending(&p);
}

static void
compare(const struct rvec *v, const struct got *g, const char *how)
{
	const struct exp_reply	*e;
	const struct got_reply	*r;
	int			 i;

	ck_assert_msg(g->nrep == v->nrep, "%s (%s): replies: got %d, want %d",
	    v->name, how, g->nrep, v->nrep);
	for (i = 0; i < v->nrep; i++) {
		e = &v->rep[i];
		r = &g->rep[i];
		ck_assert_msg(r->code == e->code,
		    "%s (%s) #%d: code: got %d, want %d", v->name, how, i,
		    r->code, e->code);
		ck_assert_msg(strcmp(r->enh, e->enh ? e->enh : "") == 0,
		    "%s (%s) #%d: enhanced: got \"%s\", want \"%s\"", v->name,
		    how, i, r->enh, e->enh ? e->enh : "");
		ck_assert_msg(r->nlines == e->nlines,
		    "%s (%s) #%d: nlines: got %d, want %d", v->name, how, i,
		    r->nlines, e->nlines);
		ck_assert_msg(r->flags == e->flags,
		    "%s (%s) #%d: flags: got 0x%x, want 0x%x", v->name, how, i,
		    r->flags, e->flags);
		if (e->text != NULL)
			ck_assert_msg(r->textlen == strlen(e->text) &&
			    memcmp(r->text, e->text, r->textlen) == 0,
			    "%s (%s) #%d: text: got \"%s\", want \"%s\"",
			    v->name, how, i, r->text, e->text);
		else if (e->textlen != NOCHECK)
			ck_assert_msg(r->textlen == e->textlen,
			    "%s (%s) #%d: textlen: got %zu, want %zu", v->name,
			    how, i, r->textlen, e->textlen);
		ck_assert_msg(r->end == e->end,
		    "%s (%s) #%d: end: got %zu, want %zu", v->name, how, i,
		    r->end, e->end);
	}
	ck_assert_msg(g->final == v->final, "%s (%s): final: got %d, want %d",
	    v->name, how, g->final, v->final);
	if (v->final == REPLY_ERROR) {
		ck_assert_msg(v->err != NULL && strstr(g->err, v->err) != NULL,
		    "%s (%s): error: got \"%s\", want \"%s\"", v->name, how,
		    g->err, v->err);
		ck_assert_msg(g->errend == v->errend,
		    "%s (%s): error at: got %zu, want %zu", v->name, how,
		    g->errend, v->errend);
	} else
		ck_assert_msg(g->pending == v->pending,
		    "%s (%s): pending: got %d, want %d", v->name, how,
		    g->pending, v->pending);
}

/* Whole, byte by byte, and six random splittings. */
static void
check_vector(const struct rvec *v)
{
	const char	*in = v->in;
	size_t		 len, maxchunk;
	char		 how[64];
	int		 s;

	if (v->gen != NULL) {
		len = v->gen(genbuf, sizeof(genbuf));
		in = genbuf;
	} else
		len = v->inlen ? v->inlen : strlen(in);

	run(in, len, SPLIT_WHOLE, 0, &got);
	compare(v, &got, "whole");
	run(in, len, SPLIT_BYTE, 0, &got);
	compare(v, &got, "byte by byte");
	for (s = 1; s <= 6; s++) {
		rng_state = 0x9e3779b9u * (uint32_t)s;
		maxchunk = s <= 3 ? 7 : 1500;
		snprintf(how, sizeof(how), "random seed %d, chunks <= %zu", s,
		    maxchunk);
		run(in, len, SPLIT_RANDOM, maxchunk, &got);
		compare(v, &got, how);
	}
}

#define R(c, e, n, f, t, end)	{ (c), (e), (n), (f), (t), NOCHECK, (end) }
#define RL(c, e, n, f, tl, end)	{ (c), (e), (n), (f), NULL, (tl), (end) }
#define LF	REPLY_F_BARE_LF
#define LONG	REPLY_F_LONG_LINE
#define TRUNC	REPLY_F_TRUNCATED
#define MISM	REPLY_F_CODE_MISMATCH
#define NUL	REPLY_F_NUL
#define CR	REPLY_F_BARE_CR

/* ---- single-line replies --------------------------------------------- */
static const struct rvec single_vec[] = {
	{ "250 ok", "250 ok\r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "ok", 8) }, REPLY_MORE, NULL, 0, 0 },
	{ "banner", "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n", 0,
	    NULL, 1, { R(220, "", 1, 0,
	    "mx.example.org ESMTP Postfix (Debian/GNU)", 47) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "code alone (RFC 5321 4.2: text optional)", "250\r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "", 5) }, REPLY_MORE, NULL, 0, 0 },
	{ "code and space, empty text", "250 \r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "", 6) }, REPLY_MORE, NULL, 0, 0 },
	{ "354", "354 End data with <CR><LF>.<CR><LF>\r\n", 0, NULL, 1,
	    { R(354, "", 1, 0, "End data with <CR><LF>.<CR><LF>", 37) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "502 vrfy", "502 5.5.1 VRFY command is disabled\r\n", 0, NULL, 1,
	    { R(502, "5.5.1", 1, 0, "5.5.1 VRFY command is disabled", 36) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "second digit 6..9 tolerated", "269 odd\r\n", 0, NULL, 1,
	    { R(269, "", 1, 0, "odd", 9) }, REPLY_MORE, NULL, 0, 0 },
	{ "599 upper bound", "599 x\r\n", 0, NULL, 1,
	    { R(599, "", 1, 0, "x", 7) }, REPLY_MORE, NULL, 0, 0 },
	{ "200 lower bound", "200 x\r\n", 0, NULL, 1,
	    { R(200, "", 1, 0, "x", 7) }, REPLY_MORE, NULL, 0, 0 },
	{ "escape sequences kept raw", "250 \x1b[31mred\x1b[0m \x07\r\n", 0,
	    NULL, 1, { R(250, "", 1, 0, "\x1b[31mred\x1b[0m \x07", 20) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "high bytes kept raw", "250 caf\xc3\xa9 \xff\xfe\r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "caf\xc3\xa9 \xff\xfe", 14) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "tab inside text kept", "250 a\tb\r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "a\tb", 9) }, REPLY_MORE, NULL, 0, 0 },
	{ "no LF yet", "250 ok", 0, NULL, 0, { { 0 } },
	    REPLY_MORE, NULL, 0, 1 },
	{ "CR without LF yet", "250 ok\r", 0, NULL, 0, { { 0 } },
	    REPLY_MORE, NULL, 0, 1 },
	{ "nothing", "", 0, NULL, 0, { { 0 } }, REPLY_MORE, NULL, 0, 0 },
};

/* ---- multi-line replies (RFC 5321 4.2.1) ------------------------------ */
static const struct rvec multi_vec[] = {
	{ "three lines", "250-a\r\n250-b\r\n250 c\r\n", 0, NULL, 1,
	    { R(250, "", 3, 0, "a\nb\nc", 21) }, REPLY_MORE, NULL, 0, 0 },
	{ "250- then 250 ", "250-\r\n250 \r\n", 0, NULL, 1,
	    { R(250, "", 2, 0, "\n", 12) }, REPLY_MORE, NULL, 0, 0 },
	{ "last line code alone", "250-a\r\n250\r\n", 0, NULL, 1,
	    { R(250, "", 2, 0, "a\n", 12) }, REPLY_MORE, NULL, 0, 0 },
	{ "postfix ehlo",
	    "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
	    "250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
	    0, NULL, 1, { R(250, "", 11, 0,
	    "mx.example.org\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nSTARTTLS\n"
	    "ENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8\nCHUNKING", 165) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "code mismatch: first wins", "250-a\r\n251 b\r\n", 0, NULL, 1,
	    { R(250, "", 2, MISM, "a\nb", 14) }, REPLY_MORE, NULL, 0, 0 },
	{ "code mismatch across classes", "550-a\r\n250-b\r\n550 c\r\n", 0,
	    NULL, 1, { R(550, "", 3, MISM, "a\nb\nc", 21) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "unfinished after first line", "250-a\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_MORE, NULL, 0, 1 },
	{ "unfinished second line", "250-a\r\n250-b", 0, NULL, 0, { { 0 } },
	    REPLY_MORE, NULL, 0, 1 },
	{ "space inside continuation text", "220-hello world\r\n220 bye now\r\n",
	    0, NULL, 1, { R(220, "", 2, 0, "hello world\nbye now", 30) },
	    REPLY_MORE, NULL, 0, 0 },
};

/* ---- line ends, NUL, CR (RFC 5321 2.3.8) ------------------------------ */
static const struct rvec lineend_vec[] = {
	{ "bare LF", "250 ok\n", 0, NULL, 1,
	    { R(250, "", 1, LF, "ok", 7) }, REPLY_MORE, NULL, 0, 0 },
	{ "bare LF in one line of two", "250-a\n250 b\r\n", 0, NULL, 1,
	    { R(250, "", 2, LF, "a\nb", 13) }, REPLY_MORE, NULL, 0, 0 },
	{ "bare CR inside text kept", "250 a\rb\r\n", 0, NULL, 1,
	    { R(250, "", 1, CR, "a\rb", 9) }, REPLY_MORE, NULL, 0, 0 },
	{ "CR CR LF: one CR stripped", "250 a\r\r\n", 0, NULL, 1,
	    { R(250, "", 1, CR, "a\r", 8) }, REPLY_MORE, NULL, 0, 0 },
	{ "bare CR does not end a line", "250-a\r250 b\r\n", 0, NULL, 0,
	    { { 0 } }, REPLY_MORE, NULL, 0, 1 },
	{ "NUL stored as ?", "250 a\0b\r\n", 9, NULL, 1,
	    { R(250, "", 1, NUL, "a?b", 9) }, REPLY_MORE, NULL, 0, 0 },
	{ "NUL and bare LF", "250-\0\n250 x\r\n", 13, NULL, 1,
	    { R(250, "", 2, NUL | LF, "?\nx", 13) }, REPLY_MORE, NULL, 0, 0 },
	{ "NUL in the code", "2\0\0 x\r\n", 7, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 2, 0 },
	{ "bare CR after code", "250\rx\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "bad separator 0x0d", 5, 0 },
};

/* ---- bad reply codes and lines: protocol errors ----------------------- */
static const struct rvec bad_vec[] = {
	{ "HTTP", "HTTP/1.1 400 Bad Request\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 1, 0 },
	{ "SSH banner", "SSH-2.0-OpenSSH_9.2\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 1, 0 },
	{ "099", "099 x\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "reply code 099 out of range", 3, 0 },
	{ "199", "199 x\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "reply code 199 out of range", 3, 0 },
	{ "699", "699 x\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "reply code 699 out of range", 3, 0 },
	{ "two digits", "25 x\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 3, 0 },
	{ "four digits", "2500 x\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "longer than three digits", 4, 0 },
	{ "tab after code (RFC 5321 4.2: SP only)", "250\tok\r\n", 0, NULL, 0,
	    { { 0 } }, REPLY_ERROR, "bad separator 0x09", 4, 0 },
	{ "letter after code", "250ok\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "bad separator 0x6f", 4, 0 },
	{ "leading space", " 250 ok\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 1, 0 },
	{ "empty line CRLF", "\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "empty reply line", 2, 0 },
	{ "empty line LF", "\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "empty reply line", 1, 0 },
	{ "short code", "25\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "reply code too short", 4, 0 },
	{ "empty line inside a reply", "250-a\r\n\r\n250 b\r\n", 0, NULL, 0,
	    { { 0 } }, REPLY_ERROR, "empty reply line", 9, 0 },
	{ "garbage continuation", "250-a\r\nxyz\r\n", 0, NULL, 0, { { 0 } },
	    REPLY_ERROR, "non-numeric reply code", 8, 0 },
	{ "bad code on continuation", "250-a\r\n699 b\r\n", 0, NULL, 0,
	    { { 0 } }, REPLY_ERROR, "699 out of range", 10, 0 },
	{ "error after a good reply", "250 ok\r\n\r\n", 0, NULL, 1,
	    { R(250, "", 1, 0, "ok", 8) }, REPLY_ERROR, "empty reply line", 10,
	    0 },
};

/* ---- RFC 3463 enhanced status codes ----------------------------------- */
static const struct rvec enh_vec[] = {
	{ "5.1.1", "550 5.1.1 <a@b>: Recipient address rejected\r\n", 0, NULL,
	    1, { R(550, "5.1.1", 1, 0,
	    "5.1.1 <a@b>: Recipient address rejected", 45) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "2.0.0", "250 2.0.0 Ok\r\n", 0, NULL, 1,
	    { R(250, "2.0.0", 1, 0, "2.0.0 Ok", 14) }, REPLY_MORE, NULL, 0, 0 },
	{ "code at end of text", "250 2.0.0\r\n", 0, NULL, 1,
	    { R(250, "2.0.0", 1, 0, "2.0.0", 11) }, REPLY_MORE, NULL, 0, 0 },
	{ "3-digit parts", "452 4.123.456 x\r\n", 0, NULL, 1,
	    { R(452, "4.123.456", 1, 0, "4.123.456 x", 17) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "5.1 is not one", "550 5.1 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "5.1 x", 11) }, REPLY_MORE, NULL, 0, 0 },
	{ "class 9", "550 9.1.1 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "9.1.1 x", 13) }, REPLY_MORE, NULL, 0, 0 },
	{ "class 3", "354 3.0.0 x\r\n", 0, NULL, 1,
	    { R(354, "", 1, 0, "3.0.0 x", 13) }, REPLY_MORE, NULL, 0, 0 },
	{ "4-digit detail", "550 5.1.1234 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "5.1.1234 x", 16) }, REPLY_MORE, NULL, 0, 0 },
	{ "four parts", "550 5.1.1.1 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "5.1.1.1 x", 15) }, REPLY_MORE, NULL, 0, 0 },
	{ "letter after code", "550 5.1.1x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "5.1.1x", 12) }, REPLY_MORE, NULL, 0, 0 },
	{ "empty part", "550 5..1 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, "5..1 x", 12) }, REPLY_MORE, NULL, 0, 0 },
	{ "not at the start", "550  5.1.1 x\r\n", 0, NULL, 1,
	    { R(550, "", 1, 0, " 5.1.1 x", 14) }, REPLY_MORE, NULL, 0, 0 },
	{ "class need not match the code", "250 5.1.1 odd\r\n", 0, NULL, 1,
	    { R(250, "5.1.1", 1, 0, "5.1.1 odd", 15) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "first line decides", "550-5.7.1 one\r\n550 5.7.2 two\r\n", 0,
	    NULL, 1, { R(550, "5.7.1", 2, 0, "5.7.1 one\n5.7.2 two", 30) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "only on later lines: none", "550-no code\r\n550 5.7.1 two\r\n", 0,
	    NULL, 1, { R(550, "", 2, 0, "no code\n5.7.1 two", 28) },
	    REPLY_MORE, NULL, 0, 0 },
};

/* ---- several replies in one stream ------------------------------------ */
static const struct rvec stream_vec[] = {
	{ "two replies in one buffer", "250 a\r\n251 b\r\n", 0, NULL, 2,
	    { R(250, "", 1, 0, "a", 7), R(251, "", 1, 0, "b", 14) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "leftover bytes", "220 hi\r\n250 nex", 0, NULL, 1,
	    { R(220, "", 1, 0, "hi", 8) }, REPLY_MORE, NULL, 0, 1 },
	{ "pipelined: multi then single",
	    "250-a\r\n250 b\r\n220 c\r\n354 go\r\n", 0, NULL, 3,
	    { R(250, "", 2, 0, "a\nb", 14), R(220, "", 1, 0, "c", 21),
	    R(354, "", 1, 0, "go", 29) }, REPLY_MORE, NULL, 0, 0 },
	{ "flags do not leak into the next reply",
	    "250-a\n251 b\r\n250 c\r\n", 0, NULL, 2,
	    { R(250, "", 2, LF | MISM, "a\nb", 13), R(250, "", 1, 0, "c", 20) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "enhanced code does not leak", "550 5.1.1 x\r\n250 ok\r\n", 0,
	    NULL, 2, { R(550, "5.1.1", 1, 0, "5.1.1 x", 13),
	    R(250, "", 1, 0, "ok", 21) }, REPLY_MORE, NULL, 0, 0 },
	{ "reply then garbage", "221 bye\r\nHTTP", 0, NULL, 1,
	    { R(221, "", 1, 0, "bye", 9) }, REPLY_ERROR, "non-numeric", 10, 0 },
};

/* ---- size limits (RFC 5321 4.5.3.1.5; REPLY_*_CAP) -------------------- */
static size_t
gen_line(char *b, size_t size, size_t textlen)
{
	size_t	 n;

	ck_assert(textlen + 8 <= size);
	memcpy(b, "250 ", 4);
	memset(b + 4, 'x', textlen);
	n = 4 + textlen;
	memcpy(b + n, "\r\n", 2);
	return n + 2;
}

/* "250 " + text + CRLF: 510 octets of line, 512 on the wire */
static size_t gen_510(char *b, size_t s) { return gen_line(b, s, 506); }
static size_t gen_511(char *b, size_t s) { return gen_line(b, s, 507); }
static size_t gen_600(char *b, size_t s) { return gen_line(b, s, 596); }
static size_t gen_cap(char *b, size_t s) { return gen_line(b, s, 1020); }
static size_t gen_cap1(char *b, size_t s) { return gen_line(b, s, 1021); }
static size_t gen_100k(char *b, size_t s) { return gen_line(b, s, 102400); }

static size_t
gen_lines(char *b, size_t size, int nlines, const char *text)
{
	size_t	 n = 0, tl = strlen(text);
	int	 i;

	for (i = 0; i < nlines; i++) {
		ck_assert(n + tl + 6 <= size);
		memcpy(b + n, i == nlines - 1 ? "250 " : "250-", 4);
		memcpy(b + n + 4, text, tl);
		memcpy(b + n + 4 + tl, "\r\n", 2);
		n += tl + 6;
	}
	return n;
}

static size_t gen_4096(char *b, size_t s) { return gen_lines(b, s, 4096, "x"); }
static size_t gen_4097(char *b, size_t s) { return gen_lines(b, s, 4097, "x"); }
static size_t gen_5000(char *b, size_t s) { return gen_lines(b, s, 5000, "xyz"); }
static size_t gen_wide(char *b, size_t s)
{
	static char	 t[1001];

	memset(t, 'w', 1000);
	return gen_lines(b, s, 20, t);
}

static size_t
gen_long_then_short(char *b, size_t size)
{
	size_t	 n = gen_line(b, size, 700);

	b[3] = '-';
	return n + gen_line(b + n, size - n, 2);
}

static const struct rvec limit_vec[] = {
	{ "510-octet line is fine", NULL, 0, gen_510, 1,
	    { RL(250, "", 1, 0, 506, 512) }, REPLY_MORE, NULL, 0, 0 },
	{ "511-octet line is long", NULL, 0, gen_511, 1,
	    { RL(250, "", 1, LONG, 507, 513) }, REPLY_MORE, NULL, 0, 0 },
	{ "600-byte line: flagged, kept", NULL, 0, gen_600, 1,
	    { RL(250, "", 1, LONG, 596, 602) }, REPLY_MORE, NULL, 0, 0 },
	{ "line exactly at REPLY_LINE_CAP", NULL, 0, gen_cap, 1,
	    { RL(250, "", 1, LONG, 1020, 1026) }, REPLY_MORE, NULL, 0, 0 },
	{ "one byte over REPLY_LINE_CAP", NULL, 0, gen_cap1, 1,
	    { RL(250, "", 1, LONG | TRUNC, 1020, 1027) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "100 KiB line: truncated, bounded", NULL, 0, gen_100k, 1,
	    { RL(250, "", 1, LONG | TRUNC, 1020, 102406) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "long flag from one line of two", NULL, 0, gen_long_then_short, 1,
	    { RL(250, "", 2, LONG, 703, 714) }, REPLY_MORE, NULL, 0, 0 },
	/* whole lines only: 8 of 1000 bytes and 7 separators */
	{ "text over REPLY_TEXT_CAP", NULL, 0, gen_wide, 1,
	    { RL(250, "", 20, LONG | TRUNC, 8 * 1001 - 1, 20 * 1006) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "4096 lines: the most allowed", NULL, 0, gen_4096, 1,
	    { RL(250, "", 4096, 0, 4096 * 2 - 1, 4096 * 7) },
	    REPLY_MORE, NULL, 0, 0 },
	{ "4097 lines: endless", NULL, 0, gen_4097, 0, { { 0 } },
	    REPLY_ERROR, "endless multi-line reply", 4096 * 7, 0 },
	{ "5000 lines: endless", NULL, 0, gen_5000, 0, { { 0 } },
	    REPLY_ERROR, "endless multi-line reply", 4096 * 9, 0 },
};

#define VEC_TEST(tab)							\
	START_TEST(test_##tab)						\
	{								\
		check_vector(&tab[_i]);					\
	}								\
	END_TEST

VEC_TEST(single_vec)
VEC_TEST(multi_vec)
VEC_TEST(lineend_vec)
VEC_TEST(bad_vec)
VEC_TEST(enh_vec)
VEC_TEST(stream_vec)
VEC_TEST(limit_vec)

/*
 * ---- lines past the text cap: read as EHLO lines, summed up ------------
 * "250-" + first (1000 bytes) + 7 lines of 1000 bytes fill 8007 bytes of
 * text; then the line at the edge (edge bytes), then the rest.
 */
static size_t
gen_edge(char *b, size_t size, size_t edge, const char *rest)
{
	size_t	 n = 0, i;

	for (i = 0; i < 9; i++) {
		size_t	 len = i < 8 ? 1000 : edge;

		ck_assert(n + len + 6 < size);
		memcpy(b + n, "250-", 4);
		memset(b + n + 4, i == 0 ? 'a' : 'b', len);
		memcpy(b + n + 4 + len, "\r\n", 2);
		n += len + 6;
	}
	ck_assert(n + strlen(rest) < size);
	memcpy(b + n, rest, strlen(rest));
	return n + strlen(rest);
}

static const struct {
	const char	*name;
	size_t		 edge;		/* bytes of line 9 */
	const char	*rest;		/* lines 10.. on the wire */
	size_t		 textlen;
	int		 nlines, unstored, nkeywords;
	unsigned	 caps;
} unst[] = {
	{ "exactly full, then STARTTLS, junk, AUTH=", 184,
	    "250-STARTTLS\r\n250- junk\r\n250 auth=PLAIN\r\n", REPLY_TEXT_CAP,
	    12, 3, 2, EXT_STARTTLS | EXT_AUTH },
	/* a line that would fit after one left out is left out too */
	{ "one byte over: that line and all after it", 185,
	    "250-X\r\n250 STARTTLS x y\r\n", 8007, 11, 3, 3, EXT_STARTTLS },
	{ "empty and bare lines past the cap", 185,
	    "250-\r\n250-\r\n250\r\n", 8007, 12, 4, 1, 0 },
	{ "everything fits", 100, "250 STARTTLS\r\n", 8007 + 101 + 9, 10, 0,
	    0, 0 },
};

START_TEST(test_unstored)
{
	struct reply_parser	 p;
	const struct smtp_reply	*r = NULL;
	size_t			 len, off, used;
	int			 byte, rc = REPLY_MORE;

	len = gen_edge(genbuf, sizeof(genbuf), unst[_i].edge, unst[_i].rest);
	for (byte = 0; byte < 2; byte++) {
		reply_init(&p);
		for (off = 0; off < len; off += used) {
			rc = reply_feed(&p, genbuf + off, byte ? 1 : len - off,
			    &used, &r);
			ck_assert_int_ne(rc, REPLY_ERROR);
		}
		ck_assert_int_eq(rc, REPLY_DONE);
		check_stored_lines(r);
		ck_assert_msg(r->textlen == unst[_i].textlen &&
		    r->nlines == unst[_i].nlines &&
		    r->unstored.nlines == unst[_i].unstored &&
		    r->unstored.nkeywords == unst[_i].nkeywords &&
		    r->unstored.caps == unst[_i].caps, "%s: got textlen %zu, "
		    "nlines %d, unstored %d/%d, caps 0x%x", unst[_i].name,
		    r->textlen, r->nlines, r->unstored.nlines,
		    r->unstored.nkeywords, r->unstored.caps);
		ck_assert_int_eq((r->flags & TRUNC) != 0,
		    unst[_i].unstored > 0);
		/* the summary belongs to one reply: the next starts clean */
		ck_assert_int_eq(reply_feed(&p, "250 x\r\n", 7, &used, &r),
		    REPLY_DONE);
		ck_assert_int_eq(r->unstored.nlines, 0);
		ck_assert_int_eq(r->unstored.nkeywords, 0);
		ck_assert_uint_eq(r->unstored.caps, 0);
	}
}
END_TEST

/* ---- reply_parse_enhanced() directly ---------------------------------- */
static const struct {
	const char	*text;
	size_t		 outsize;
	size_t		 want;
	const char	*out;
	size_t		 measure;	/* with out NULL */
} penh[] = {
	{ "2.0.0", 16, 5, "2.0.0", 5 },
	{ "5.7.1 Relay denied", 16, 5, "5.7.1", 5 },
	{ "4.123.456", 16, 9, "4.123.456", 9 },
	{ "4.123.456", 9, 0, "", 9 },	/* no room for the NUL */
	{ "4.123.456", 10, 9, "4.123.456", 9 },
	{ "5.1", 16, 0, "", 0 },
	{ "5.1.", 16, 0, "", 0 },
	{ "", 16, 0, "", 0 },
	{ "x.1.1", 16, 0, "", 0 },
	{ "5.1.1\t", 16, 0, "", 0 },
	{ "5.0001.1", 16, 0, "", 0 },
	{ "2.0.0.", 16, 0, "", 0 },
};

START_TEST(test_parse_enhanced)
{
	char	 out[16];
	size_t	 n;

	memset(out, 'Z', sizeof(out));
	n = reply_parse_enhanced(penh[_i].text, strlen(penh[_i].text), out,
	    penh[_i].outsize);
	ck_assert_msg(n == penh[_i].want, "\"%s\": got %zu, want %zu",
	    penh[_i].text, n, penh[_i].want);
	ck_assert_msg(strcmp(out, penh[_i].out) == 0,
	    "\"%s\": got \"%s\", want \"%s\"", penh[_i].text, out,
	    penh[_i].out);
	n = reply_parse_enhanced(penh[_i].text, strlen(penh[_i].text), NULL, 0);
	ck_assert_msg(n == penh[_i].measure, "\"%s\" measured: got %zu, "
	    "want %zu", penh[_i].text, n, penh[_i].measure);
}
END_TEST

START_TEST(test_parse_enhanced_len)
{
	char	 out[16];

	/* len bounds the scan: "5.1.1" cut to "5.1." is no code */
	ck_assert_uint_eq(reply_parse_enhanced("5.1.1 x", 4, out, sizeof(out)),
	    0);
	ck_assert_uint_eq(reply_parse_enhanced("5.1.1x", 5, out, sizeof(out)),
	    5);
	ck_assert_str_eq(out, "5.1.1");
	ck_assert_uint_eq(reply_parse_enhanced(NULL, 5, out, sizeof(out)), 0);
}
END_TEST

/* ---- API behaviour ---------------------------------------------------- */
START_TEST(test_sticky_error)
{
	struct reply_parser	 p;
	const struct smtp_reply	*out;
	size_t			 used;

	reply_init(&p);
	ck_assert_str_eq(reply_error(&p), "");
	ck_assert_int_eq(reply_feed(&p, "xyz\r\n", 5, &used, &out),
	    REPLY_ERROR);
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(reply_feed(&p, "250 ok\r\n", 8, &used, &out),
	    REPLY_ERROR);
	ck_assert_uint_eq(used, 0);
	reply_init(&p);
	ck_assert_str_eq(reply_error(&p), "");
	ck_assert_int_eq(reply_feed(&p, "250 ok\r\n", 8, &used, &out),
	    REPLY_DONE);
	ck_assert_uint_eq(used, 8);
}
END_TEST

START_TEST(test_out_lifetime)
{
	struct reply_parser	 p;
	const struct smtp_reply	*out, *out2;
	size_t			 used;

	reply_init(&p);
	ck_assert_int_eq(reply_feed(&p, "250 a\n", 6, &used, &out), REPLY_DONE);
	ck_assert_uint_eq(out->flags, REPLY_F_BARE_LF);
	ck_assert_int_eq(reply_pending(&p), 0);
	/* *out still holds the finished reply until the next call */
	ck_assert_str_eq(out->text, "a");
	ck_assert_int_eq(reply_feed(&p, "25", 2, &used, &out2), REPLY_MORE);
	ck_assert_ptr_null(out2);
	ck_assert_int_eq(reply_pending(&p), 1);
	ck_assert_int_eq(reply_feed(&p, "1 b\r\n", 5, &used, &out2),
	    REPLY_DONE);
	ck_assert_int_eq(out2->code, 251);
	ck_assert_uint_eq(out2->flags, 0);
	ck_assert_str_eq(out2->text, "b");
}
END_TEST

START_TEST(test_null_args)
{
	struct reply_parser	 p;
	size_t			 used = 99;

	reply_init(&p);
	ck_assert_int_eq(reply_feed(&p, NULL, 0, &used, NULL), REPLY_MORE);
	ck_assert_uint_eq(used, 0);
	ck_assert_int_eq(reply_feed(&p, NULL, 10, NULL, NULL), REPLY_MORE);
	ck_assert_int_eq(reply_feed(&p, "250 x\r\n", 7, NULL, NULL),
	    REPLY_DONE);
	ck_assert_int_eq(reply_pending(&p), 0);
}
END_TEST

START_TEST(test_pending)
{
	static const struct {
		const char	*in;
		int		 want;
	} pv[] = {
		{ "", 0 }, { "2", 1 }, { "\r", 1 }, { "250-x\r\n", 1 },
		{ "250 x\r\n", 0 }, { "250-x\r\n250 y\r\n", 0 },
		{ "250 x\r\n2", 1 }, { "xyz", 0 },
	};
	struct reply_parser	 p;
	size_t			 used, off, i;
	int			 rc;

	for (i = 0; i < nelem(pv); i++) {
		reply_init(&p);
		for (off = 0; off < strlen(pv[i].in); off += used) {
			rc = reply_feed(&p, pv[i].in + off,
			    strlen(pv[i].in) - off, &used, NULL);
			if (rc == REPLY_ERROR)
				break;
		}
		ck_assert_msg(reply_pending(&p) == pv[i].want,
		    "\"%s\": got %d, want %d", pv[i].in, reply_pending(&p),
		    pv[i].want);
	}
}
END_TEST

/* ---- robustness: random bytes never crash, hang or overflow ----------- */
START_TEST(test_random_bytes)
{
	static const char	 alpha[] = "0123456789-  \r\n\n2255\t\0x";
	static struct reply_parser p;
	const struct smtp_reply	*out;
	char			 buf[600];
	size_t			 len, off, used, i, chunk;
	int			 iter, rc, ndone = 0, nerr = 0;

	rng_state = 20240601u + (uint32_t)_i;
	for (iter = 0; iter < 20000; iter++) {
		len = rng() % sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = (char)(rng() % 4 == 0 ? (int)(rng() & 0xff) :
			    alpha[rng() % (sizeof(alpha) - 1)]);
		/* mostly valid-looking starts so that deep states are hit */
		if (len >= 4 && rng() % 2 == 0)
			memcpy(buf, rng() % 2 ? "250-" : "250 ", 4);
		reply_init(&p);
		for (off = 0; off < len; off += used) {
			chunk = 1 + rng() % 64;
			if (chunk > len - off)
				chunk = len - off;
			rc = reply_feed(&p, buf + off, chunk, &used, &out);
			ck_assert_msg(used <= chunk, "used %zu > %zu", used,
			    chunk);
			if (rc == REPLY_DONE) {
				ndone++;
				ck_assert_ptr_nonnull(out);
				ck_assert_msg(used > 0, "DONE used 0");
				ck_assert_msg(out->code >= 200 &&
				    out->code <= 599, "code %d", out->code);
				ck_assert_msg(out->nlines >= 1 &&
				    out->nlines <= REPLY_MAX_LINES,
				    "nlines %d", out->nlines);
				ck_assert_msg(out->textlen <= REPLY_TEXT_CAP &&
				    strlen(out->text) == out->textlen,
				    "textlen %zu", out->textlen);
				ck_assert_msg(strlen(out->enhanced) <
				    sizeof(out->enhanced), "enhanced");
				check_stored_lines(out);
			} else if (rc == REPLY_ERROR) {
				nerr++;
				ck_assert_msg(reply_error(&p)[0] != '\0',
				    "no reason");
				break;
			} else
				ck_assert_msg(rc == REPLY_MORE && used == chunk,
				    "rc %d used %zu chunk %zu", rc, used,
				    chunk);
		}
	}
	/* the generator must reach both outcomes */
	ck_assert_msg(ndone > 1000 && nerr > 1000, "done %d, errors %d",
	    ndone, nerr);
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite	*s = suite_create("reply");
	TCase	*tc;

#define ADD_VEC(label, tab) do {					\
	tc = tcase_create(label);					\
	tcase_add_loop_test(tc, test_##tab, 0, (int)nelem(tab));	\
	suite_add_tcase(s, tc);						\
} while (0)
	ADD_VEC("single_line", single_vec);
	ADD_VEC("multi_line", multi_vec);
	ADD_VEC("line_ends", lineend_vec);
	ADD_VEC("bad_code", bad_vec);
	ADD_VEC("enhanced", enh_vec);
	ADD_VEC("stream", stream_vec);
	ADD_VEC("limits", limit_vec);
	tcase_set_timeout(tc, 60);	/* 100 KiB fed byte by byte, sanitized */
#undef ADD_VEC

	tc = tcase_create("unstored");
	tcase_add_loop_test(tc, test_unstored, 0, (int)nelem(unst));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_enhanced");
	tcase_add_loop_test(tc, test_parse_enhanced, 0, (int)nelem(penh));
	tcase_add_test(tc, test_parse_enhanced_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_sticky_error);
	tcase_add_test(tc, test_out_lifetime);
	tcase_add_test(tc, test_null_args);
	tcase_add_test(tc, test_pending);
	suite_add_tcase(s, tc);

	tc = tcase_create("random_bytes");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random_bytes, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(reply_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
