/* SPDX-License-Identifier: ISC */
/*
 * explain - "smtpprobe explain CODE [CODE]": the knowledge base of codes.c
 * for humans.  One operand prints the full entry of a reply code (RFC 5321
 * 4.2), of an enhanced status code (RFC 3463) or of a command (VRFY, TURN
 * ...: what it does, why sites switch it off, what each reply means for it
 * and what to use instead); two codes print a side-by-side comparison:
 * each code's class, meaning, when it appears and what to do, then the key
 * difference and which one a client will see.  A command and a reply code
 * ("VRFY 252") print what that reply means for that command.
 *
 * Plain text wrapped at 78 columns, no colour; or one JSON object (schema
 * "smtpprobe-explain/1", built with jansson).  Server text never reaches
 * this module; operands are echoed only in error messages, sanitized.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jansson.h>

#include "codes.h"
#include "ehlo.h"
#include "explain.h"
#include "i18n.h"
#include "result.h"

#define EXPLAIN_WIDTH	78	/* last column used */
#define EXPLAIN_INDENT	20	/* column where field values start */
#define EXPLAIN_EX_USAGE 64	/* sysexits EX_USAGE */
#define EXPLAIN_EX_SOFTWARE 70	/* sysexits EX_SOFTWARE: out of memory */
#define EXPLAIN_SCHEMA	"smtpprobe-explain/1"

/*
 * Text output is translated, JSON is not (machines read it): the sentences
 * that both share go through XT(), which translates only while explain_tr
 * is set.
 */
static int	explain_tr;
#define XT(s)	(explain_tr ? i18n_tr(s) : (s))

/* one operand, resolved */
struct operand {
	const char			*name;	/* as given */
	int				 cls;	/* first digit: 2 ... 5 */
	const struct code_info		*ci;	/* a three-digit reply code ... */
	const struct enhanced_info	*ei;	/* ... or an enhanced one ... */
	const struct command_info	*cmd;	/* ... or a command */
	int				 subject;	/* enhanced only */
};

/*
 * Room for an enhanced code's "when" and "what to do", built when printed
 * (a Chinese character takes 3 bytes).
 */
#define ENH_WHEN_SIZE	512
#define ENH_ACTION_SIZE	1024

/* the blanks between words */
static int
is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

/*
 * The columns of the character at s, whose length goes to *len: 2 for a
 * wide (CJK) character in a UTF-8 locale, 1 for anything else, including
 * every byte of a multibyte sequence that the locale does not know.
 */
static int
char_cols(const char *s, size_t *len)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n;
	int		 w;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		return 1;
	}
	*len = n;
	w = wcwidth(wc);
	return w == 2 ? 2 : 1;
}

/* the columns a string takes on a terminal */
static size_t
str_cols(const char *s)
{
	size_t	 cols = 0, len;

	for (; *s != '\0'; s += len)
		cols += (size_t)char_cols(s, &len);
	return cols;
}

/* whether the character at s (of length len) is one of the marks */
static int
is_mark(const char *s, size_t len, const char *const *marks, size_t nmarks)
{
	size_t	 i;

	for (i = 0; i < nmarks; i++)
		if (len == strlen(marks[i]) && memcmp(s, marks[i], len) == 0)
			return 1;
	return 0;
}

/* Chinese punctuation that must not end a line */
static int
is_opening(const char *s, size_t len)
{
	static const char *const opening[] = {
		"\xef\xbc\x88", "\xe2\x80\x9c", "\xe3\x80\x8c",	/* （“「 */
		"\xe3\x80\x8a",					/* 《 */
	};

	return is_mark(s, len, opening, sizeof(opening) / sizeof(opening[0]));
}

/* Chinese punctuation that must not begin a line */
static int
is_closing(const char *s, size_t len)
{
	static const char *const closing[] = {
		"\xef\xbc\x8c", "\xe3\x80\x82", "\xe3\x80\x81",	/* ，。、 */
		"\xef\xbc\x9b", "\xef\xbc\x9a", "\xef\xbc\x89",	/* ；：） */
		"\xe2\x80\x9d", "\xe3\x80\x8d", "\xe3\x80\x8b",	/* ”」》 */
		"\xef\xbc\x81", "\xef\xbc\x9f",			/* ！？ */
	};

	return is_mark(s, len, closing, sizeof(closing) / sizeof(closing[0]));
}

/*
 * The length of the next piece of text that a line break must not split,
 * its columns in *cols: a run of narrow characters up to a blank, or one
 * wide (CJK) character, since Chinese puts no blanks between words; a
 * closing punctuation mark stays with the piece before it, an opening one
 * with the piece after it.
 */
static size_t
piece(const char *w, size_t *cols)
{
	size_t	 n = 0, len;
	int	 c, prev_wide = 0, prev_open = 0;

	*cols = 0;
	while (w[n] != '\0' && !is_blank(w[n])) {
		c = char_cols(w + n, &len);
		if (n > 0 && (c == 2 || prev_wide) && !prev_open &&
		    !is_closing(w + n, len))
			break;
		prev_open = is_opening(w + n, len);
		n += len;
		*cols += (size_t)c;
		prev_wide = c == 2;
	}
	return n;
}

/*
 * Print text after `label', word-wrapped at EXPLAIN_WIDTH, continuation
 * lines indented by `indent' columns.  The label is padded to `indent';
 * a longer label pushes the first line's text further right.  Columns are
 * terminal columns, so that Chinese text wraps as English does.
 */
static void
wrap(FILE *out, const char *label, size_t indent, const char *text)
{
	size_t	 col, start, wlen, wcols;
	const char *w;
	int	 blank;

	fputs(label, out);
	col = str_cols(label);
	for (; col < indent; col++)
		fputc(' ', out);
	if (col > indent) {
		fputc(' ', out);
		col++;
	}
	start = col;		/* no separator before a line's first word */
	w = text;
	for (;;) {
		for (blank = 0; is_blank(*w); w++)
			blank = 1;
		if (*w == '\0')
			break;
		wlen = piece(w, &wcols);
		if (col > start && col + (size_t)blank + wcols > EXPLAIN_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = start = indent;
		} else if (col > start && blank) {
			fputc(' ', out);
			col++;
		}
		fwrite(w, 1, wlen, out);
		col += wcols;
		w += wlen;
	}
	fputc('\n', out);
}

/* a field of an entry: "  Label:" then the wrapped value */
static void
field(FILE *out, const char *label, const char *text)
{
	char	 buf[EXPLAIN_INDENT + 48];

	if (text == NULL || *text == '\0')
		return;
	snprintf(buf, sizeof(buf), "  %s:", i18n_tr(label));
	wrap(out, buf, EXPLAIN_INDENT, i18n_tr(text));
}

/* what the first digit says, for the key difference (RFC 5321 4.2.1) */
static const char *
class_gist(int cls)
{
	switch (cls) {
	case 2:
		return XT("the request was carried out");
	case 3:
		return XT("the server accepted the command and waits for more input");
	case 4:
		return XT("the request failed this time, but the same request may "
		    "succeed later");
	case 5:
		return XT("the request failed and will fail again if repeated "
		    "unchanged");
	}
	return XT("unknown");
}

/* the second digit's function group (RFC 5321 4.2.1) */
static const char *
group_name(int code)
{
	switch (code / 10 % 10) {
	case 0:
		return XT("syntax and command support (x0z)");
	case 1:
		return XT("information (x1z)");
	case 2:
		return XT("the transmission channel (x2z)");
	case 3:
	case 4:
		return XT("a group RFC 5321 leaves unspecified, used by extensions "
		    "such as AUTH (x3z/x4z)");
	case 5:
		return XT("the mail system and mailboxes (x5z)");
	}
	return XT("unknown");
}

/* RFC 3463 3.1: the class of an enhanced status code */
static const char *
enh_class_name(int cls)
{
	switch (cls) {
	case 2:
		return N_("2 success");
	case 4:
		return N_("4 persistent transient failure");
	case 5:
		return N_("5 permanent failure");
	}
	return NULL;
}

/* RFC 3463 3.2 ... 3.9: the subject of an enhanced status code */
static const char *
enh_subject_name(int subject)
{
	static const char *const names[] = {
		N_("0 other or undefined status"),
		N_("1 addressing status"),
		N_("2 mailbox status"),
		N_("3 mail system status"),
		N_("4 network and routing status"),
		N_("5 mail delivery protocol status"),
		N_("6 message content or media status"),
		N_("7 security or policy status"),
	};

	if (subject < 0 || (size_t)subject >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[subject];
}

#define ENH_REFERENCE \
	N_("RFC 3463; IANA SMTP Enhanced Status Codes registry")

/* who must act on a failure with this subject */
static const char *
enh_actor(int subject)
{
	switch (subject) {
	case 1:
		return XT("sender (fix the address)");
	case 2:
		return XT("recipient (the mailbox)");
	case 3:
	case 4:
		return XT("receiving site's postmaster");
	case 5:
		return XT("client software");
	case 6:
		return XT("sender (change the message)");
	case 7:
		return XT("sender's setup or the receiving site's policy");
	}
	return XT("reader of the reply text");
}

/* RFC 3463 3.2 ... 3.9: what a failure with this subject asks of the sender */
static const char *
enh_subject_fix(int subject)
{
	static const char *const fixes[] = {
		N_("The code carries no detail: read the reply text."),
		N_("The address is at fault: check it for typos and check the "
		"domain; if it keeps failing, remove it from your lists."),
		N_("The address is right, but the mailbox cannot take the "
		"message (full, disabled, or the message is too large for it): "
		"reach the recipient another way or send something smaller."),
		N_("The receiving system has a problem of its own (full, "
		"misconfigured, shutting down): its postmaster must fix it."),
		N_("Routing failed on the way: check the destination's MX and "
		"address records and whether its hosts are reachable."),
		N_("The client broke the protocol: check the command and its "
		"arguments against the server's EHLO reply; this is usually a "
		"client bug."),
		N_("The content is not acceptable: change the format, encoding "
		"or size of the message."),
		N_("A security or policy check failed (relaying denied, block "
		"list, SPF/DKIM/DMARC, missing authentication or TLS): read the "
		"text, fix the sending side, or send the full reply to the "
		"postmaster."),
	};

	if (subject < 0 || (size_t)subject >= sizeof(fixes) / sizeof(fixes[0]))
		subject = 0;
	return XT(fixes[subject]);
}

/*
 * What to do about an enhanced code: its class, then its subject.  Built
 * when it is printed, in the language of the output (XT).
 */
static void
enh_action(char *buf, size_t size, const struct operand *op)
{
	switch (op->cls) {
	case 2:
		snprintf(buf, size, "%s",
		    XT("Nothing: the code accompanies a success."));
		break;
	case 4:
		snprintf(buf, size, XT("Retry later; the condition is expected "
		    "to clear. If it does not: %s"),
		    enh_subject_fix(op->subject));
		break;
	default:
		snprintf(buf, size, XT("Do not retry unchanged. %s"),
		    enh_subject_fix(op->subject));
		break;
	}
}

/* when a client meets an enhanced code (RFC 2034 3, RFC 3464 2.3.4) */
static void
enh_when(char *buf, size_t size, const struct operand *op)
{
	snprintf(buf, size, XT("Right after the reply code, at the start of "
	    "the text of a %dxx reply (\"%d50 %s ...\"), from servers that "
	    "advertise ENHANCEDSTATUSCODES (RFC 2034); also in the Status field "
	    "of bounce reports (RFC 3464)."), op->cls, op->cls, op->name);
}

/* copy an operand for an error message: bounded, printable */
static void
sanitize(char *dst, size_t size, const char *src)
{
	size_t	 i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = isprint((unsigned char)src[i]) ? src[i] : '?';
	dst[i] = '\0';
}

/* a command name: letters only, as SMTP spells them */
static int
is_word(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalpha((unsigned char)*s))
			return 0;
	return 1;
}

/* resolve an operand; on failure print one line to err and return -1 */
static int
resolve(FILE *err, const char *arg, struct operand *op)
{
	char	 safe[40];
	int	 code = 0, cls, i;

	memset(op, 0, sizeof(*op));
	op->name = arg;
	sanitize(safe, sizeof(safe), arg);
	if (strlen(arg) == 3 && isdigit((unsigned char)arg[0]) &&
	    isdigit((unsigned char)arg[1]) && isdigit((unsigned char)arg[2])) {
		for (i = 0; i < 3; i++)
			code = code * 10 + (arg[i] - '0');
		if ((op->ci = codes_lookup(code)) == NULL) {
			fprintf(err, _("smtpprobe: explain: unknown reply code %s\n"),
			    safe);
			return -1;
		}
		op->cls = code / 100;
		return 0;
	}
	if (strchr(arg, '.') != NULL) {
		if (codes_parse_enhanced(arg, &cls, &op->subject, NULL) == -1 ||
		    cls == 0) {
			fprintf(err, _("smtpprobe: explain: malformed enhanced "
			    "status code '%s' (want e.g. 5.1.1)\n"), safe);
			return -1;
		}
		if ((op->ei = codes_lookup_enhanced(arg)) == NULL) {
			fprintf(err, _("smtpprobe: explain: unknown enhanced "
			    "status code %s\n"), safe);
			return -1;
		}
		op->cls = cls;
		return 0;
	}
	if (is_word(arg) && (op->cmd = codes_lookup_command(arg)) != NULL) {
		op->name = op->cmd->name;	/* canonical upper case */
		return 0;
	}
	if (is_word(arg))
		fprintf(err, _("smtpprobe: explain: not a reply code or a known "
		    "command: '%s' (want e.g. 550, 5.1.1 or VRFY)\n"), safe);
	else
		fprintf(err, _("smtpprobe: explain: not a reply code: '%s' (want "
		    "e.g. 550, 5.1.1 or VRFY)\n"), safe);
	return -1;
}

/* the heading line: "550 Requested action not taken ..." */
static void
heading(FILE *out, const struct operand *op)
{
	char	 buf[16];

	snprintf(buf, sizeof(buf), "%s", op->name);
	wrap(out, buf, strlen(buf) + 1,
	    i18n_tr(op->ci != NULL ? op->ci->title : op->ei->title));
}

/* the entry of one code; `full' adds the fields a comparison leaves out */
static void
entry(FILE *out, const struct operand *op, int full)
{
	char	 when[ENH_WHEN_SIZE], action[ENH_ACTION_SIZE];

	heading(out, op);
	if (op->ci != NULL) {
		field(out, N_("Class"), codes_class_short(op->ci->code));
		field(out, N_("Meaning"), op->ci->meaning);
		field(out, N_("When you meet it"), op->ci->when);
		if (full)
			field(out, N_("Answers"), codes_replies_to(op->ci->code));
		field(out, N_("What to do"), op->ci->action);
		if (full)
			field(out, N_("Reference"), op->ci->rfc);
	} else {
		field(out, N_("Class"), enh_class_name(op->cls));
		field(out, N_("Subject"), enh_subject_name(op->subject));
		field(out, N_("Meaning"), op->ei->meaning);
		if (full) {
			enh_when(when, sizeof(when), op);
			field(out, N_("When you meet it"), when);
		}
		enh_action(action, sizeof(action), op);
		field(out, N_("What to do"), action);
		if (full)
			field(out, N_("Reference"), ENH_REFERENCE);
	}
}

/* the title of an operand, for sentences */
static const char *
title_of(const struct operand *op)
{
	return XT(op->ci != NULL ? op->ci->title : op->ei->title);
}

/* what to do about an operand; buf holds an enhanced code's */
static const char *
action_of(const struct operand *op, char *buf, size_t size)
{
	if (op->ci != NULL)
		return XT(op->ci->action);
	enh_action(buf, size, op);
	return buf;
}

/* a short class label: "2xx reply" or "class 5 enhanced code" */
static void
class_label(char *buf, size_t size, const struct operand *op)
{
	if (op->ci != NULL)
		snprintf(buf, size, XT("a %dxx reply"), op->cls);
	else
		snprintf(buf, size, XT("a class %d enhanced status code"), op->cls);
}

/* append to a bounded buffer; output past its end is dropped */
static void __attribute__((format(printf, 4, 5)))
appendf(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	if (*n + 1 >= size)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	*n += (size_t)r;
	if (*n >= size)
		*n = size - 1;
}

/* the key difference between two codes, as one paragraph */
static void
key_text(char *text, size_t size, const struct operand *a,
    const struct operand *b)
{
	char	 la[48], lb[48];
	size_t	 n = 0;

	text[0] = '\0';
	if (strcmp(a->name, b->name) == 0) {
		appendf(text, size, &n, XT("None: both operands are the same "
		    "code."));
		return;
	}
	if ((a->ci == NULL) != (b->ci == NULL)) {
		const struct operand *basic = a->ci != NULL ? a : b;
		const struct operand *enh = a->ci != NULL ? b : a;

		appendf(text, size, &n, XT("%s is a three-digit reply code (RFC "
		    "5321) and says how the client must react; %s is an "
		    "enhanced status code (RFC 3463) that a server puts at the "
		    "start of the reply text to say more precisely why, as in "
		    "\"%d50 %s ...\". "), basic->name, enh->name, enh->cls,
		    enh->name);
		if (basic->cls == enh->cls)
			appendf(text, size, &n, XT("The two can arrive together, "
			    "\"%s %s ...\": read the reply code for what to do "
			    "next and the enhanced code for the cause. "),
			    basic->name, enh->name);
		else
			appendf(text, size, &n, XT("They do not belong in one "
			    "reply: the class of an enhanced code follows the "
			    "first digit of the reply code it comes with. "));
	}
	class_label(la, sizeof(la), a);
	class_label(lb, sizeof(lb), b);
	if (a->cls != b->cls)
		appendf(text, size, &n, XT("%s is %s: %s. %s is %s: %s."),
		    a->name, la, class_gist(a->cls), b->name, lb,
		    class_gist(b->cls));
	else
		appendf(text, size, &n, XT("Both are of class %d: %s. "
		    "They differ in the cause: %s means \"%s\", while %s "
		    "means \"%s\"."), a->cls, class_gist(a->cls), a->name,
		    title_of(a), b->name, title_of(b));
	if (a->ci != NULL && b->ci != NULL) {
		if (a->ci->code / 10 % 10 != b->ci->code / 10 % 10)
			appendf(text, size, &n, XT(" By the second digit, "
			    "%s is about %s; %s is about %s."), a->name,
			    group_name(a->ci->code), b->name,
			    group_name(b->ci->code));
		else
			appendf(text, size, &n, XT(" Both are about %s."),
			    group_name(a->ci->code));
	} else if (a->ei != NULL && b->ei != NULL) {
		if (a->subject != b->subject)
			appendf(text, size, &n, XT(" By subject, %s is "
			    "%s; %s is %s, so the fix lies elsewhere: %s is "
			    "for the %s to act on, %s for the %s."), a->name,
			    XT(enh_subject_name(a->subject)), b->name,
			    XT(enh_subject_name(b->subject)), a->name,
			    enh_actor(a->subject), b->name,
			    enh_actor(b->subject));
		else
			appendf(text, size, &n, XT(" Both have subject "
			    "%s."), XT(enh_subject_name(a->subject)));
	}
}

/* where a client meets an operand, as one sentence */
static void
seen_text(char *text, size_t size, const struct operand *op)
{
	if (op->ci != NULL && codes_replies_to(op->ci->code) != NULL)
		snprintf(text, size, XT("%s answers %s."), op->name,
		    XT(codes_replies_to(op->ci->code)));
	else if (op->ci != NULL)
		snprintf(text, size, XT("%s: %s"), op->name, XT(op->ci->when));
	else
		snprintf(text, size, XT("%s comes inside the text of a %dxx reply "
		    "from a server that advertises ENHANCEDSTATUSCODES (RFC "
		    "2034)."), op->name, op->cls);
}

static void
which_one(FILE *out, const struct operand *a, const struct operand *b)
{
	const struct operand *ops[2] = { a, b };
	char	 text[512], label[24], action[ENH_ACTION_SIZE];
	int	 i;

	for (i = 0; i < 2; i++) {
		seen_text(text, sizeof(text), ops[i]);
		wrap(out, " ", 2, text);
	}
	for (i = 0; i < 2; i++) {
		snprintf(label, sizeof(label), _("  On %s:"), ops[i]->name);
		wrap(out, label, 4, action_of(ops[i], action, sizeof(action)));
	}
}

static void
compare(FILE *out, const struct operand *a, const struct operand *b)
{
	char	 text[1536];

	fprintf(out, _("%s vs %s\n\n"), a->name, b->name);
	entry(out, a, 0);
	fputc('\n', out);
	entry(out, b, 0);
	fputs(_("\nKey difference\n"), out);
	key_text(text, sizeof(text), a, b);
	wrap(out, " ", 2, text);
	fputs(_("\nWhich one you will see / what to do\n"), out);
	which_one(out, a, b);
}

/* ---- commands ---------------------------------------------------------- */

/* the EHLO keywords advice can depend on */
static const struct {
	unsigned	 bit;
	const char	*name;
} cap_names[] = {
	{ EXT_STARTTLS, "STARTTLS" },
	{ EXT_ETRN, "ETRN" },
	{ EXT_ATRN, "ATRN" },
	{ EXT_AUTH, "AUTH" },
};

/*
 * The names of the keywords of `mask' that are (in) or are not in `set',
 * joined by `sep'; returns how many.
 */
static int
caps_join(char *buf, size_t size, unsigned mask, unsigned set, int in,
    const char *sep)
{
	size_t	 n = 0, i;
	int	 count = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++) {
		if (!(mask & cap_names[i].bit) ||
		    !(set & cap_names[i].bit) != !in)
			continue;
		appendf(buf, size, &n, "%s%s", count++ ? sep : "",
		    cap_names[i].name);
	}
	return count;
}

/*
 * "If EHLO lists ETRN, but not ATRN:": the label for the bits `set' of
 * `mask', one whole sentence to translate per case, the keywords kept out
 * of it.
 */
static void
caps_label(char *buf, size_t size, unsigned mask, unsigned set)
{
	char	 in[128], out[128];
	int	 nin, nout;

	/* TRANSLATORS: joins EHLO keywords that are listed: "ETRN and ATRN" */
	nin = caps_join(in, sizeof(in), mask, set, 1, _(" and "));
	/* TRANSLATORS: joins EHLO keywords that are not listed:
	 * "neither ETRN nor ATRN" */
	nout = caps_join(out, sizeof(out), mask, set, 0, _(" nor "));
	if (nin > 0 && nout > 0)
		snprintf(buf, size, _("If EHLO lists %s, but not %s:"), in,
		    out);
	else if (nin > 0)
		snprintf(buf, size, _("If EHLO lists %s:"), in);
	else if (nout == 1)
		snprintf(buf, size, _("If EHLO does not list %s:"), out);
	else
		snprintf(buf, size, _("If EHLO lists neither %s:"), out);
}

/* the width of the widest status name among a command's replies */
static int
status_width(const struct command_info *cmd)
{
	const struct command_reply *r;
	size_t	 w = str_cols(_("Status"));

	for (r = cmd->replies; r->code != 0; r++)
		if (strlen(status_name(codes_status(cmd->name, r->code,
		    NULL))) > w)
			w = strlen(status_name(codes_status(cmd->name, r->code,
			    NULL)));
	return (int)w;
}

/* what a reply means for a command: its note, or the code's title */
static const char *
reply_meaning(const struct command_reply *r)
{
	const struct code_info *ci;

	if (r->note != NULL)
		return r->note;
	ci = codes_lookup(r->code);
	return ci != NULL ? ci->title : "";
}

/* s, then blanks up to `cols' terminal columns */
static void
put_padded(FILE *out, const char *s, size_t cols)
{
	size_t	 n;

	fputs(s, out);
	for (n = str_cols(s); n < cols; n++)
		fputc(' ', out);
}

/* the entry of a command: what, why off, replies, instead */
static void
command_entry(FILE *out, const struct command_info *cmd)
{
	const struct command_reply *r;
	char	 label[160];
	int	 w = status_width(cmd);
	unsigned sub;

	wrap(out, cmd->name, strlen(cmd->name) + 1, i18n_tr(cmd->title));
	field(out, N_("What it does"), cmd->summary);
	field(out, N_("Reference"), cmd->rfc);
	field(out, N_("Why disabled"), cmd->why_disabled);

	fputc('\n', out);
	fprintf(out, _("Replies to %s and the status smtpprobe reports\n"),
	    cmd->name);
	/* the column heads, padded by terminal columns: "  Code  Status ..." */
	fputs("  ", out);
	put_padded(out, _("Code"), 4);
	fputs("  ", out);
	put_padded(out, _("Status"), (size_t)w);
	fprintf(out, "  %s\n", _("Meaning"));
	for (r = cmd->replies; r->code != 0; r++) {
		snprintf(label, sizeof(label), "  %d   %-*s", r->code, w,
		    status_name(codes_status(cmd->name, r->code, NULL)));
		wrap(out, label, (size_t)w + 10, i18n_tr(reply_meaning(r)));
	}

	if (cmd->reading != NULL) {
		fputs(_("\nHow smtpprobe reads the replies\n"), out);
		wrap(out, " ", 2, i18n_tr(cmd->reading));
	}

	fputs(_("\nWhat to use instead\n"), out);
	if (cmd->instead_caps == 0) {
		wrap(out, " ", 2, i18n_tr(codes_command_instead(cmd->name,
		    CODES_TYPICAL_CAPS)));
		return;
	}
	/* every combination of the keywords the advice depends on */
	sub = cmd->instead_caps;
	for (;;) {
		caps_label(label, sizeof(label), cmd->instead_caps, sub);
		wrap(out, " ", 2, label);
		wrap(out, " ", 4, i18n_tr(codes_command_instead(cmd->name, sub)));
		if (sub == 0)
			break;
		sub = (sub - 1) & cmd->instead_caps;
	}
}

/* "VRFY 252": what one reply means for one command */
static const struct command_reply *
command_reply_of(const struct command_info *cmd, int code)
{
	const struct command_reply *r;

	for (r = cmd->replies; r->code != 0; r++)
		if (r->code == code)
			return r;
	return NULL;
}

static void
command_code(FILE *out, const struct operand *cop, const struct operand *kop)
{
	const struct command_info *cmd = cop->cmd;
	const struct command_reply *r = command_reply_of(cmd, kop->ci->code);
	enum cmd_status st = codes_status(cmd->name, kop->ci->code, NULL);
	char	 head[96], text[512];
	const char *advice;

	snprintf(head, sizeof(head), _("%d in answer to %s"), kop->ci->code,
	    cmd->name);
	fprintf(out, "%s\n", head);
	snprintf(text, sizeof(text), "%s: %s", status_name(st),
	    i18n_tr(codes_status_meaning(st)));
	field(out, N_("Status"), text);
	if (r != NULL)
		field(out, N_("For this command"), reply_meaning(r));
	else {
		snprintf(text, sizeof(text), _("%d is not a usual reply to %s; "
		    "see the replies listed by \"smtpprobe explain %s\"."),
		    kop->ci->code, cmd->name, cmd->name);
		field(out, N_("For this command"), text);
	}
	if ((advice = codes_advice(cmd->name, st, CODES_TYPICAL_CAPS)) != NULL)
		field(out, N_("What to do"), advice);
	fputc('\n', out);
	entry(out, kop, 1);
}

/* ---- JSON -------------------------------------------------------------- */

/* json_object_set_new() with a string that may be NULL (-> null) */
static int
jset_str(json_t *obj, const char *key, const char *value)
{
	return json_object_set_new(obj, key, value != NULL ?
	    json_string(value) : json_null());
}

/* the fields of a code or enhanced-code entry, added to obj */
static int
json_fill_code(json_t *obj, const struct operand *op)
{
	char	 when[ENH_WHEN_SIZE], action[ENH_ACTION_SIZE];
	int	 rc = 0;

	if (op->ci != NULL) {
		rc |= jset_str(obj, "kind", "code");
		rc |= json_object_set_new(obj, "code",
		    json_integer(op->ci->code));
		rc |= jset_str(obj, "title", op->ci->title);
		rc |= jset_str(obj, "class", codes_class_short(op->ci->code));
		rc |= jset_str(obj, "meaning", op->ci->meaning);
		rc |= jset_str(obj, "when", op->ci->when);
		rc |= jset_str(obj, "answers", codes_replies_to(op->ci->code));
		rc |= jset_str(obj, "action", op->ci->action);
		rc |= jset_str(obj, "rfc", op->ci->rfc);
	} else {
		rc |= jset_str(obj, "kind", "enhanced");
		rc |= jset_str(obj, "code", op->name);
		rc |= jset_str(obj, "title", op->ei->title);
		rc |= jset_str(obj, "class", enh_class_name(op->cls));
		rc |= jset_str(obj, "subject", enh_subject_name(op->subject));
		rc |= jset_str(obj, "meaning", op->ei->meaning);
		enh_when(when, sizeof(when), op);
		rc |= jset_str(obj, "when", when);
		enh_action(action, sizeof(action), op);
		rc |= jset_str(obj, "action", action);
		rc |= jset_str(obj, "rfc", ENH_REFERENCE);
	}
	return rc;
}

/* ["ETRN", "ATRN"]: the keywords of `set' within `mask' */
static json_t *
json_caps(unsigned mask, unsigned set)
{
	json_t	*a = json_array();
	size_t	 i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if ((mask & set & cap_names[i].bit) &&
		    json_array_append_new(a, json_string(cap_names[i].name)))
			break;
	return a;
}

static int
json_fill_command(json_t *obj, const struct command_info *cmd)
{
	const struct command_reply *r;
	json_t	*replies, *alts, *o;
	unsigned sub;
	int	 rc = 0;

	rc |= jset_str(obj, "kind", "command");
	rc |= jset_str(obj, "name", cmd->name);
	rc |= jset_str(obj, "title", cmd->title);
	rc |= jset_str(obj, "summary", cmd->summary);
	rc |= jset_str(obj, "rfc", cmd->rfc);
	rc |= jset_str(obj, "why_disabled", cmd->why_disabled);
	if ((replies = json_array()) == NULL ||
	    json_object_set_new(obj, "replies", replies) == -1)
		return -1;
	for (r = cmd->replies; r->code != 0; r++) {
		if ((o = json_object()) == NULL ||
		    json_array_append_new(replies, o) == -1)
			return -1;
		rc |= json_object_set_new(o, "code", json_integer(r->code));
		rc |= jset_str(o, "status", status_name(codes_status(cmd->name,
		    r->code, NULL)));
		rc |= jset_str(o, "meaning", reply_meaning(r));
	}
	if (cmd->reading != NULL)
		rc |= jset_str(obj, "reading", cmd->reading);
	rc |= jset_str(obj, "instead", codes_command_instead(cmd->name,
	    CODES_TYPICAL_CAPS));
	if ((alts = json_array()) == NULL ||
	    json_object_set_new(obj, "instead_by_ehlo", alts) == -1)
		return -1;
	sub = cmd->instead_caps;
	for (;;) {
		if ((o = json_object()) == NULL ||
		    json_array_append_new(alts, o) == -1)
			return -1;
		rc |= json_object_set_new(o, "ehlo",
		    json_caps(cmd->instead_caps, sub));
		rc |= jset_str(o, "advice", codes_command_instead(cmd->name,
		    sub));
		if (sub == 0)
			break;
		sub = (sub - 1) & cmd->instead_caps;
	}
	return rc;
}

static int
json_fill_command_code(json_t *obj, const struct operand *cop,
    const struct operand *kop)
{
	const struct command_info *cmd = cop->cmd;
	const struct command_reply *r = command_reply_of(cmd, kop->ci->code);
	enum cmd_status st = codes_status(cmd->name, kop->ci->code, NULL);
	json_t	*e;
	int	 rc = 0;

	rc |= jset_str(obj, "kind", "command_reply");
	rc |= jset_str(obj, "name", cmd->name);
	rc |= json_object_set_new(obj, "code", json_integer(kop->ci->code));
	rc |= jset_str(obj, "status", status_name(st));
	rc |= jset_str(obj, "status_meaning", codes_status_meaning(st));
	rc |= jset_str(obj, "meaning", r != NULL ? reply_meaning(r) : NULL);
	rc |= json_object_set_new(obj, "usual", json_boolean(r != NULL));
	rc |= jset_str(obj, "advice", codes_advice(cmd->name, st,
	    CODES_TYPICAL_CAPS));
	if ((e = json_object()) == NULL ||
	    json_object_set_new(obj, "entry", e) == -1)
		return -1;
	return rc | json_fill_code(e, kop);
}

static int
json_fill_comparison(json_t *obj, const struct operand *a,
    const struct operand *b)
{
	const struct operand *ops[2] = { a, b };
	json_t	*items, *e;
	char	 text[1536], seen[512], action[ENH_ACTION_SIZE];
	size_t	 n = 0;
	int	 i, rc = 0;

	rc |= jset_str(obj, "kind", "comparison");
	if ((items = json_array()) == NULL ||
	    json_object_set_new(obj, "items", items) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		if ((e = json_object()) == NULL ||
		    json_array_append_new(items, e) == -1)
			return -1;
		rc |= json_fill_code(e, ops[i]);
	}
	key_text(text, sizeof(text), a, b);
	rc |= jset_str(obj, "key_difference", text);
	text[0] = '\0';
	for (i = 0; i < 2; i++) {
		seen_text(seen, sizeof(seen), ops[i]);
		appendf(text, sizeof(text), &n, "%s%s On %s: %s", i ? " " : "",
		    seen, ops[i]->name, action_of(ops[i], action,
		    sizeof(action)));
	}
	rc |= jset_str(obj, "which", text);
	return rc;
}

/* build the JSON object for the resolved operands and print it */
static int
explain_json(FILE *out, FILE *err, int argc, const struct operand *ops)
{
	json_t	*obj;
	char	*text;
	int	 rc;

	if ((obj = json_object()) == NULL)
		goto nomem;
	rc = jset_str(obj, "schema", EXPLAIN_SCHEMA);
	if (argc == 1 && ops[0].cmd != NULL)
		rc |= json_fill_command(obj, ops[0].cmd);
	else if (argc == 1)
		rc |= json_fill_code(obj, &ops[0]);
	else if (ops[0].cmd != NULL)
		rc |= json_fill_command_code(obj, &ops[0], &ops[1]);
	else if (ops[1].cmd != NULL)
		rc |= json_fill_command_code(obj, &ops[1], &ops[0]);
	else
		rc |= json_fill_comparison(obj, &ops[0], &ops[1]);
	if (rc != 0 || (text = json_dumps(obj, JSON_INDENT(2))) == NULL) {
		json_decref(obj);
		goto nomem;
	}
	json_decref(obj);
	fputs(text, out);
	fputc('\n', out);
	free(text);
	return 0;
nomem:
	fprintf(err, _("smtpprobe: explain: out of memory\n"));
	return EXPLAIN_EX_SOFTWARE;
}

/*
 * explain_main_fmt - "smtpprobe [--format json] explain OPERAND [OPERAND]"
 *
 * argv[0 .. argc-1] are the operands after "explain" (borrowed).  An
 * operand is a reply code (550), an enhanced status code (5.1.1) or a
 * command name in any case (VRFY).  One operand prints its entry; two
 * codes print a comparison; a command and a reply code print what that
 * reply means for the command.  json selects one JSON object (schema
 * "smtpprobe-explain/1") instead of text.  A usage error is one line on
 * err and nothing on out.  Returns 0, 64 for a usage error, 70 when
 * memory runs out.
 */
int
explain_main_fmt(FILE *out, FILE *err, int argc, char **argv, int json)
{
	struct operand	 ops[2];
	int		 i;

	if (argc < 1 || argv == NULL) {
		fprintf(err, _("smtpprobe: explain: usage: smtpprobe explain "
		    "CODE [CODE] | COMMAND [CODE]\n"));
		return EXPLAIN_EX_USAGE;
	}
	if (argc > 2) {
		fprintf(err, _("smtpprobe: explain: too many operands (%d); give "
		    "one code or command, or two codes to compare\n"), argc);
		return EXPLAIN_EX_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL) {
			fprintf(err, _("smtpprobe: explain: missing code\n"));
			return EXPLAIN_EX_USAGE;
		}
		if (resolve(err, argv[i], &ops[i]) == -1)
			return EXPLAIN_EX_USAGE;
	}
	if (argc == 2 && ops[0].cmd != NULL && ops[1].cmd != NULL) {
		fprintf(err, _("smtpprobe: explain: give one command at a time "
		    "(optionally with a reply code, as in VRFY 252)\n"));
		return EXPLAIN_EX_USAGE;
	}
	if (argc == 2 && (ops[0].cmd != NULL || ops[1].cmd != NULL) &&
	    (ops[0].ei != NULL || ops[1].ei != NULL)) {
		fprintf(err, _("smtpprobe: explain: a command goes with a "
		    "three-digit reply code (as in VRFY 252), not an enhanced "
		    "status code\n"));
		return EXPLAIN_EX_USAGE;
	}
	if (json)
		return explain_json(out, err, argc, ops);
	explain_tr = 1;
	if (argc == 1 && ops[0].cmd != NULL)
		command_entry(out, ops[0].cmd);
	else if (argc == 1)
		entry(out, &ops[0], 1);
	else if (ops[0].cmd != NULL)
		command_code(out, &ops[0], &ops[1]);
	else if (ops[1].cmd != NULL)
		command_code(out, &ops[1], &ops[0]);
	else
		compare(out, &ops[0], &ops[1]);
	return 0;
}

/*
 * explain_main - explain_main_fmt() with text output
 */
int
explain_main(FILE *out, FILE *err, int argc, char **argv)
{
	return explain_main_fmt(out, err, argc, argv, 0);
}
