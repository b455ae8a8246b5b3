/* SPDX-License-Identifier: ISC */
/*
 * explain - "smtpprobe explain CODE [CODE]": the knowledge base of codes.c
 * for humans.  One operand prints the full entry of a reply code (RFC 5321
 * 4.2) or of an enhanced status code (RFC 3463); two print a side-by-side
 * comparison: each code's class, meaning, when it appears and what to do,
 * then the key difference and which one a client will see.
 *
 * Plain text wrapped at 78 columns, no colour.  Server text never reaches
 * this module; operands are echoed only in error messages, sanitized.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "explain.h"

#define EXPLAIN_WIDTH	78	/* last column used */
#define EXPLAIN_INDENT	20	/* column where field values start */
#define EXPLAIN_EX_USAGE 64	/* sysexits EX_USAGE */

/* one operand, resolved */
struct operand {
	const char			*name;	/* as given */
	int				 cls;	/* first digit: 2 ... 5 */
	const struct code_info		*ci;	/* a three-digit reply code ... */
	const struct enhanced_info	*ei;	/* ... or an enhanced one */
	int				 subject;	/* enhanced only */
};

/*
 * Print text after `label', word-wrapped at EXPLAIN_WIDTH, continuation
 * lines indented by `indent' columns.  The label is padded to `indent';
 * a longer label pushes the first line's text further right.
 */
static void
wrap(FILE *out, const char *label, size_t indent, const char *text)
{
	size_t	 col, start, wlen;
	const char *w;

	fputs(label, out);
	col = strlen(label);
	for (; col < indent; col++)
		fputc(' ', out);
	if (col > indent) {
		fputc(' ', out);
		col++;
	}
	start = col;		/* no separator before a line's first word */
	w = text;
	for (;;) {
		while (*w == ' ' || *w == '\n' || *w == '\t')
			w++;
		if (*w == '\0')
			break;
		wlen = strcspn(w, " \n\t");
		if (col > start && col + 1 + wlen > EXPLAIN_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', out);
			col++;
		}
		fwrite(w, 1, wlen, out);
		col += wlen;
		w += wlen;
	}
	fputc('\n', out);
}

/* a field of an entry: "  Label:" then the wrapped value */
static void
field(FILE *out, const char *label, const char *text)
{
	char	 buf[EXPLAIN_INDENT + 8];

	if (text == NULL || *text == '\0')
		return;
	snprintf(buf, sizeof(buf), "  %s:", label);
	wrap(out, buf, EXPLAIN_INDENT, text);
}

/* what the first digit says, for the key difference (RFC 5321 4.2.1) */
static const char *
class_gist(int cls)
{
	switch (cls) {
	case 2:
		return "the request was carried out";
	case 3:
		return "the server accepted the command and waits for more input";
	case 4:
		return "the request failed this time, but the same request may "
		    "succeed later";
	case 5:
		return "the request failed and will fail again if repeated "
		    "unchanged";
	}
	return "unknown";
}

/* the second digit's function group (RFC 5321 4.2.1) */
static const char *
group_name(int code)
{
	switch (code / 10 % 10) {
	case 0:
		return "syntax and command support (x0z)";
	case 1:
		return "information (x1z)";
	case 2:
		return "the transmission channel (x2z)";
	case 3:
	case 4:
		return "a group RFC 5321 leaves unspecified, used by extensions "
		    "such as AUTH (x3z/x4z)";
	case 5:
		return "the mail system and mailboxes (x5z)";
	}
	return "unknown";
}

/* RFC 3463 3.1: the class of an enhanced status code */
static const char *
enh_class_name(int cls)
{
	switch (cls) {
	case 2:
		return "2 success";
	case 4:
		return "4 persistent transient failure";
	case 5:
		return "5 permanent failure";
	}
	return NULL;
}

/* RFC 3463 3.2 ... 3.9: the subject of an enhanced status code */
static const char *
enh_subject_name(int subject)
{
	static const char *const names[] = {
		"0 other or undefined status",
		"1 addressing status",
		"2 mailbox status",
		"3 mail system status",
		"4 network and routing status",
		"5 mail delivery protocol status",
		"6 message content or media status",
		"7 security or policy status",
	};

	if (subject < 0 || (size_t)subject >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[subject];
}

/* what to do about an enhanced code: its class decides */
static const char *
enh_action(int cls)
{
	switch (cls) {
	case 2:
		return "Nothing: the code accompanies a success.";
	case 4:
		return "Retry later; the condition is expected to clear.";
	case 5:
		return "Do not retry unchanged: fix the cause the code names, or "
		    "contact the postmaster.";
	}
	return NULL;
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
			fprintf(err, "smtpprobe: explain: unknown reply code %s\n",
			    safe);
			return -1;
		}
		op->cls = code / 100;
		return 0;
	}
	if (strchr(arg, '.') != NULL) {
		if (codes_parse_enhanced(arg, &cls, &op->subject, NULL) == -1 ||
		    cls == 0) {
			fprintf(err, "smtpprobe: explain: malformed enhanced "
			    "status code '%s' (want e.g. 5.1.1)\n", safe);
			return -1;
		}
		if ((op->ei = codes_lookup_enhanced(arg)) == NULL) {
			fprintf(err, "smtpprobe: explain: unknown enhanced "
			    "status code %s\n", safe);
			return -1;
		}
		op->cls = cls;
		return 0;
	}
	fprintf(err, "smtpprobe: explain: not a reply code: '%s' (want e.g. "
	    "550 or 5.1.1)\n", safe);
	return -1;
}

/* the heading line: "550 Requested action not taken ..." */
static void
heading(FILE *out, const struct operand *op)
{
	char	 buf[16];

	snprintf(buf, sizeof(buf), "%s", op->name);
	wrap(out, buf, strlen(buf) + 1,
	    op->ci != NULL ? op->ci->title : op->ei->title);
}

/* the entry of one code; `full' adds the fields a comparison leaves out */
static void
entry(FILE *out, const struct operand *op, int full)
{
	heading(out, op);
	if (op->ci != NULL) {
		field(out, "Class", codes_class_short(op->ci->code));
		field(out, "Meaning", op->ci->meaning);
		field(out, "When you meet it", op->ci->when);
		if (full)
			field(out, "Answers", codes_replies_to(op->ci->code));
		field(out, "What to do", op->ci->action);
		if (full)
			field(out, "Reference", op->ci->rfc);
	} else {
		field(out, "Class", enh_class_name(op->cls));
		field(out, "Subject", enh_subject_name(op->subject));
		field(out, "Meaning", op->ei->meaning);
		field(out, "What to do", enh_action(op->cls));
		if (full)
			field(out, "Reference", "RFC 3463; IANA SMTP Enhanced "
			    "Status Codes registry");
	}
}

/* the title of an operand, for sentences */
static const char *
title_of(const struct operand *op)
{
	return op->ci != NULL ? op->ci->title : op->ei->title;
}

/* a short class label: "2xx reply" or "class 5 enhanced code" */
static void
class_label(char *buf, size_t size, const struct operand *op)
{
	if (op->ci != NULL)
		snprintf(buf, size, "a %dxx reply", op->cls);
	else
		snprintf(buf, size, "a class %d enhanced status code", op->cls);
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

static void
key_difference(FILE *out, const struct operand *a, const struct operand *b)
{
	char	 text[1024], la[48], lb[48];
	size_t	 n = 0;

	text[0] = '\0';
	if (strcmp(a->name, b->name) == 0) {
		wrap(out, " ", 2, "None: both operands are the same code.");
		return;
	}
	if ((a->ci == NULL) != (b->ci == NULL)) {
		const struct operand *basic = a->ci != NULL ? a : b;
		const struct operand *enh = a->ci != NULL ? b : a;

		appendf(text, sizeof(text), &n, "%s is a three-digit reply "
		    "code (RFC 5321); %s is an enhanced status code (RFC 3463) "
		    "that a server puts at the start of the reply text to say "
		    "more precisely what happened, as in \"%d50 %s ...\". ",
		    basic->name, enh->name, enh->cls, enh->name);
	}
	class_label(la, sizeof(la), a);
	class_label(lb, sizeof(lb), b);
	if (a->cls != b->cls)
		appendf(text, sizeof(text), &n, "%s is %s: %s. %s is %s: %s.",
		    a->name, la, class_gist(a->cls), b->name, lb,
		    class_gist(b->cls));
	else
		appendf(text, sizeof(text), &n, "Both are of class %d: %s. "
		    "They differ in the cause: %s means \"%s\", while %s "
		    "means \"%s\".", a->cls, class_gist(a->cls), a->name,
		    title_of(a), b->name, title_of(b));
	if (a->ci != NULL && b->ci != NULL) {
		if (a->ci->code / 10 % 10 != b->ci->code / 10 % 10)
			appendf(text, sizeof(text), &n, " By the second digit, "
			    "%s is about %s; %s is about %s.", a->name,
			    group_name(a->ci->code), b->name,
			    group_name(b->ci->code));
		else
			appendf(text, sizeof(text), &n, " Both are about %s.",
			    group_name(a->ci->code));
	} else if (a->ei != NULL && b->ei != NULL) {
		if (a->subject != b->subject)
			appendf(text, sizeof(text), &n, " By subject, %s is "
			    "%s; %s is %s.", a->name,
			    enh_subject_name(a->subject), b->name,
			    enh_subject_name(b->subject));
		else
			appendf(text, sizeof(text), &n, " Both have subject "
			    "%s.", enh_subject_name(a->subject));
	}
	wrap(out, " ", 2, text);
}

static void
which_one(FILE *out, const struct operand *a, const struct operand *b)
{
	const struct operand *ops[2] = { a, b };
	char	 text[512], label[24];
	int	 i;

	for (i = 0; i < 2; i++) {
		const struct operand *op = ops[i];

		if (op->ci != NULL && codes_replies_to(op->ci->code) != NULL)
			snprintf(text, sizeof(text), "%s answers %s.", op->name,
			    codes_replies_to(op->ci->code));
		else if (op->ci != NULL)
			snprintf(text, sizeof(text), "%s: %s", op->name,
			    op->ci->when);
		else
			snprintf(text, sizeof(text), "%s comes inside the text "
			    "of a %dxx reply from a server that advertises "
			    "ENHANCEDSTATUSCODES (RFC 2034).", op->name,
			    op->cls);
		wrap(out, " ", 2, text);
	}
	for (i = 0; i < 2; i++) {
		const struct operand *op = ops[i];

		snprintf(label, sizeof(label), "  On %s:", op->name);
		wrap(out, label, 4, op->ci != NULL ? op->ci->action :
		    enh_action(op->cls));
	}
}

static void
compare(FILE *out, const struct operand *a, const struct operand *b)
{
	fprintf(out, "%s vs %s\n\n", a->name, b->name);
	entry(out, a, 0);
	fputc('\n', out);
	entry(out, b, 0);
	fputs("\nKey difference\n", out);
	key_difference(out, a, b);
	fputs("\nWhich one you will see / what to do\n", out);
	which_one(out, a, b);
}

/*
 * explain_main - "smtpprobe explain CODE [CODE]"
 *
 * argv[0 .. argc-1] are the operands after "explain" (borrowed).  A code
 * is three digits (550) or an enhanced status code (5.1.1).  Prints the
 * entry, or a comparison of two, to out; a usage error is one line on
 * err.  Returns 0, or 64 for a usage error.
 */
int
explain_main(FILE *out, FILE *err, int argc, char **argv)
{
	struct operand	 ops[2];
	int		 i;

	if (argc < 1 || argv == NULL) {
		fprintf(err, "smtpprobe: explain: usage: smtpprobe explain "
		    "CODE [CODE]\n");
		return EXPLAIN_EX_USAGE;
	}
	if (argc > 2) {
		fprintf(err, "smtpprobe: explain: too many codes (%d); give one "
		    "code, or two to compare\n", argc);
		return EXPLAIN_EX_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i] == NULL) {
			fprintf(err, "smtpprobe: explain: missing code\n");
			return EXPLAIN_EX_USAGE;
		}
		if (resolve(err, argv[i], &ops[i]) == -1)
			return EXPLAIN_EX_USAGE;
	}
	if (argc == 1)
		entry(out, &ops[0], 1);
	else
		compare(out, &ops[0], &ops[1]);
	return 0;
}
