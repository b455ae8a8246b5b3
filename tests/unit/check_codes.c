/* SPDX-License-Identifier: ISC */
/*
 * check_codes - unit tests for codes.c (the reply-code knowledge base:
 * RFC 5321 4.2 reply codes, RFC 3463 enhanced codes, the status and advice
 * rules of RFC 5321 7.3, RFC 1985, RFC 2645) and explain.c.
 *
 * One TCase per behaviour, table-driven with tcase_add_loop_test().
 * Runs with CK_FORK (the Check default): every iteration is isolated.
 */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "ehlo.h"
#include "explain.h"
#include "result.h"

#define NROWS(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* ---- every entry is complete ------------------------------------------ */

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

START_TEST(test_entry_complete)
{
	const struct code_info	*t, *e;
	size_t			 n;
	const char		*cls;

	t = codes_all(&n);
	ck_assert_msg((size_t)_i < n, "got %d, want < %zu", _i, n);
	e = &t[_i];
	ck_assert_msg(nonempty(e->title), "%d: empty title", e->code);
	ck_assert_msg(nonempty(e->meaning), "%d: empty meaning", e->code);
	ck_assert_msg(nonempty(e->when), "%d: empty when", e->code);
	ck_assert_msg(nonempty(e->action), "%d: empty action", e->code);
	ck_assert_msg(nonempty(e->rfc) && strncmp(e->rfc, "RFC ", 4) == 0,
	    "%d: rfc \"%s\" does not start with \"RFC \"", e->code,
	    e->rfc ? e->rfc : "(null)");
	ck_assert_msg(nonempty(codes_replies_to(e->code)),
	    "%d: no replies_to", e->code);
	cls = codes_class_name(e->code);
	ck_assert_msg(cls != NULL, "%d: no class", e->code);
	/* the class follows the first digit */
	switch (e->code / 100) {
	case 2: ck_assert_str_eq(cls, "positive completion"); break;
	case 3: ck_assert_str_eq(cls, "positive intermediate"); break;
	case 4: ck_assert_str_eq(cls, "transient negative completion"); break;
	case 5: ck_assert_str_eq(cls, "permanent negative completion"); break;
	default: ck_abort_msg("code %d: first digit out of range", e->code);
	}
	ck_assert_msg(codes_lookup(e->code) == e, "%d: lookup got another "
	    "entry", e->code);
	if (_i > 0)
		ck_assert_msg(t[_i - 1].code < e->code, "got %d before %d, "
		    "want ascending", t[_i - 1].code, e->code);
}
END_TEST

/* RFC 5321 4.2.3: every code must be in the table, citing RFC 5321 */
static const int rfc5321_codes[] = {
	211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455,
	500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555,
};

START_TEST(test_rfc5321_present)
{
	int			 code = rfc5321_codes[_i];
	const struct code_info	*e = codes_lookup(code);

	ck_assert_msg(e != NULL, "code %d missing", code);
	ck_assert_msg(e->code == code, "got %d, want %d", e->code, code);
	ck_assert_msg(strstr(e->rfc, "RFC 5321") != NULL,
	    "%d: rfc \"%s\" does not cite RFC 5321", code, e->rfc);
}
END_TEST

/* facts that are easy to get wrong */
static const struct {
	int		 code;
	const char	*field;		/* "title", "meaning" ... */
	const char	*want;		/* substring */
} facts[] = {
	{ 252, "title", "Cannot VRFY user" },
	{ 252, "rfc", "7.3" },
	{ 502, "title", "not implemented" },
	{ 500, "title", "unrecognized" },
	{ 251, "title", "will forward" },
	{ 551, "title", "forward-path" },
	{ 421, "title", "closing transmission channel" },
	{ 554, "title", "no SMTP service" },
	{ 455, "title", "parameters" },
	{ 555, "title", "parameters" },
	{ 450, "when", "reylisting" },
	{ 502, "rfc", "4.2.4" },
};

START_TEST(test_facts)
{
	const struct code_info	*e = codes_lookup(facts[_i].code);
	const char		*s = NULL;

	ck_assert_msg(e != NULL, "code %d missing", facts[_i].code);
	if (strcmp(facts[_i].field, "title") == 0)
		s = e->title;
	else if (strcmp(facts[_i].field, "meaning") == 0)
		s = e->meaning;
	else if (strcmp(facts[_i].field, "when") == 0)
		s = e->when;
	else if (strcmp(facts[_i].field, "rfc") == 0)
		s = e->rfc;
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(strstr(s, facts[_i].want) != NULL,
	    "%d %s: got \"%s\", want it to contain \"%s\"", facts[_i].code,
	    facts[_i].field, s, facts[_i].want);
}
END_TEST

/* ---- class names ------------------------------------------------------- */

static const struct {
	int		 code;
	const char	*want;
} class_rows[] = {
	{ 211, "positive completion" },
	{ 299, "positive completion" },
	{ 354, "positive intermediate" },
	{ 421, "transient negative completion" },
	{ 459, "transient negative completion" },
	{ 502, "permanent negative completion" },
	{ 599, "permanent negative completion" },
	{ 0, NULL },
	{ 199, NULL },
	{ 600, NULL },
	{ 99, NULL },
	{ -250, NULL },
	{ 2500, NULL },
};

START_TEST(test_class_name)
{
	const char	*got = codes_class_name(class_rows[_i].code);
	const char	*want = class_rows[_i].want;

	if (want == NULL)
		ck_assert_msg(got == NULL, "%d: got \"%s\", want NULL",
		    class_rows[_i].code, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
		    "%d: got \"%s\", want \"%s\"", class_rows[_i].code,
		    got ? got : "(null)", want);
	/* the short label agrees with the long one */
	if (want != NULL)
		ck_assert_msg(strstr(codes_class_short(class_rows[_i].code),
		    want) != NULL, "%d: short label disagrees",
		    class_rows[_i].code);
	else
		ck_assert_ptr_null(codes_class_short(class_rows[_i].code));
}
END_TEST

/* ---- codes_status ------------------------------------------------------ */

static const struct {
	const char	*verb;
	int		 code;
	const char	*enh;
	enum cmd_status	 want;
} status_rows[] = {
	{ "VRFY", 250, NULL, ST_SUPPORTED },
	{ "VRFY", 251, NULL, ST_SUPPORTED },
	{ "VRFY", 252, NULL, ST_CANNOT_VERIFY },
	{ "VRFY", 252, "2.0.0", ST_CANNOT_VERIFY },
	{ "EXPN", 252, NULL, ST_CANNOT_VERIFY },
	{ "ETRN", 252, NULL, ST_SUPPORTED },	/* RFC 1985: OK, pending */
	{ "ETRN", 253, NULL, ST_SUPPORTED },
	{ "ETRN", 250, NULL, ST_SUPPORTED },
	{ "ETRN", 251, NULL, ST_SUPPORTED },	/* no messages waiting */
	{ "ETRN", 458, NULL, ST_TEMPORARY },
	{ "ETRN", 459, NULL, ST_TEMPORARY },
	{ "HELP", 214, NULL, ST_SUPPORTED },
	{ "HELP", 211, NULL, ST_SUPPORTED },
	{ "NOOP", 250, NULL, ST_SUPPORTED },
	{ "TURN", 250, NULL, ST_SUPPORTED },	/* would reverse roles */
	{ "TURN", 502, NULL, ST_NOT_IMPLEMENTED },
	{ "TURN", 500, NULL, ST_NOT_RECOGNIZED },
	{ "TURN", 354, NULL, ST_UNEXPECTED },
	{ "VRFY", 334, NULL, ST_UNEXPECTED },
	{ "VRFY", 421, NULL, ST_TEMPORARY },
	{ "VRFY", 450, "4.7.1", ST_TEMPORARY },
	{ "VRFY", 451, NULL, ST_TEMPORARY },	/* never not_implemented */
	{ "EXPN", 451, "4.3.0", ST_TEMPORARY },
	{ "TURN", 451, NULL, ST_TEMPORARY },
	{ "VRFY", 452, NULL, ST_TEMPORARY },
	{ "VRFY", 454, "4.7.0", ST_TEMPORARY },
	{ "VRFY", 500, NULL, ST_NOT_RECOGNIZED },
	{ "VRFY", 500, "5.5.1", ST_NOT_RECOGNIZED },
	{ "VRFY", 501, NULL, ST_SYNTAX },
	{ "VRFY", 501, "5.5.4", ST_SYNTAX },
	{ "VRFY", 501, "5.7.1", ST_REFUSED },	/* 5.7.x wins on 501 */
	{ "VRFY", 502, NULL, ST_NOT_IMPLEMENTED },
	{ "VRFY", 502, "5.5.1", ST_NOT_IMPLEMENTED },
	{ "VRFY", 502, "5.7.0", ST_NOT_IMPLEMENTED }, /* 5.7.x stays */
	{ "EXPN", 502, "5.7.1", ST_NOT_IMPLEMENTED },
	{ "VRFY", 503, NULL, ST_BAD_SEQUENCE },
	{ "VRFY", 503, "5.7.0", ST_REFUSED },
	{ "VRFY", 504, NULL, ST_PARAM_NOT_IMPLEMENTED },
	{ "VRFY", 504, "5.7.1", ST_PARAM_NOT_IMPLEMENTED },
	{ "VRFY", 530, NULL, ST_AUTH_REQUIRED },
	{ "VRFY", 530, "5.7.0", ST_AUTH_REQUIRED },
	{ "ATRN", 530, "5.7.0", ST_AUTH_REQUIRED },
	{ "VRFY", 550, NULL, ST_REFUSED },
	{ "VRFY", 550, "5.7.1", ST_REFUSED },
	{ "RCPT", 550, "5.1.1", ST_REFUSED },
	/* RFC 5321 3.5.3 / RFC 3463: answers about a mailbox (VRFY, EXPN) */
	{ "VRFY", 551, NULL, ST_NOT_LOCAL },
	{ "VRFY", 551, "5.1.6", ST_NOT_LOCAL },
	{ "EXPN", 551, "5.1.6", ST_NOT_LOCAL },
	{ "VRFY", 551, "5.7.1", ST_REFUSED },	/* policy wins */
	{ "RCPT", 551, NULL, ST_REFUSED },	/* only VRFY/EXPN */
	{ "VRFY", 550, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "EXPN", 550, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "vrfy", 550, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "VRFY", 553, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "VRFY", 550, "5.1.0", ST_REFUSED },	/* only X.1.1 says "no such" */
	{ "VRFY", 550, "5.1.2", ST_REFUSED },
	{ "VRFY", 550, "5.7.1", ST_REFUSED },
	{ "VRFY", 554, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "VRFY", 553, "5.1.4", ST_AMBIGUOUS },
	{ "EXPN", 553, NULL, ST_AMBIGUOUS },
	{ "VRFY", 553, "5.1.3", ST_REFUSED },	/* bad address syntax */
	{ "VRFY", 553, "5.7.1", ST_REFUSED },	/* policy */
	{ "TURN", 553, NULL, ST_REFUSED },
	{ "TURN", 550, "5.1.1", ST_REFUSED },
	{ "VRFY", 501, "5.1.1", ST_SYNTAX },	/* 501 is never a mailbox answer */
	{ "VRFY", 502, "5.1.1", ST_NOT_IMPLEMENTED },
	{ "RCPT", 552, NULL, ST_REFUSED },
	{ "VRFY", 553, NULL, ST_AMBIGUOUS },
	{ "TURN", 554, NULL, ST_REFUSED },
	{ "RCPT", 555, NULL, ST_REFUSED },
	{ "VRFY", 599, NULL, ST_UNEXPECTED },
	{ "VRFY", 599, "5.7.1", ST_REFUSED },
	{ "VRFY", 599, "5.7.x", ST_UNEXPECTED },	/* malformed enhanced */
	{ "VRFY", 0, NULL, ST_ERROR },
	{ "VRFY", 199, NULL, ST_ERROR },
	{ "VRFY", 600, NULL, ST_ERROR },
	{ "VRFY", -1, NULL, ST_ERROR },
	{ "vrfy", 252, NULL, ST_CANNOT_VERIFY },	/* any case */
	{ NULL, 252, NULL, ST_UNEXPECTED },
	{ "VRFY", 250, "", ST_SUPPORTED },
	/* success codes a command is not defined to return are nonsense */
	{ "VRFY", 221, NULL, ST_UNEXPECTED },
	{ "EXPN", 214, NULL, ST_UNEXPECTED },
	{ "TURN", 252, NULL, ST_UNEXPECTED },
	{ "TURN", 220, NULL, ST_UNEXPECTED },
	{ "VRFY", 253, NULL, ST_UNEXPECTED },
	{ "HELP", 250, NULL, ST_SUPPORTED },
	{ "NOOP", 251, NULL, ST_UNEXPECTED },
	/* the success replies of commands explain lists */
	{ "STARTTLS", 220, NULL, ST_SUPPORTED },
	{ "QUIT", 221, NULL, ST_SUPPORTED },
	{ "DATA", 354, NULL, ST_SUPPORTED },
	{ "AUTH", 334, NULL, ST_SUPPORTED },
	{ "AUTH", 235, NULL, ST_SUPPORTED },
	{ "AUTH", 535, NULL, ST_REFUSED },
	{ "VRFY", 220, NULL, ST_UNEXPECTED },
};

/*
 * codes_verdict(): the first reply and the control (a made-up name).
 * Postfix with VRFY on: 252 to postmaster, 550 5.1.1 to the made-up one.
 */
static const struct {
	const char	*verb;
	int		 code;
	const char	*enh;
	int		 ccode;		/* 0: no control */
	const char	*cenh;
	enum cmd_status	 want;
} verdict_rows[] = {
	{ "VRFY", 252, "2.0.0", 550, "5.1.1", ST_ENUMERABLE },	/* Postfix */
	{ "VRFY", 252, NULL, 550, NULL, ST_ENUMERABLE },	/* bare 550 */
	{ "VRFY", 252, "2.1.5", 553, "5.1.1", ST_ENUMERABLE },
	{ "VRFY", 250, "2.1.5", 550, "5.1.1", ST_ENUMERABLE },
	{ "VRFY", 251, NULL, 550, "5.1.1", ST_ENUMERABLE },
	{ "VRFY", 252, "2.1.5", 252, "2.1.5", ST_CANNOT_VERIFY },	/* Exim */
	{ "VRFY", 252, NULL, 0, NULL, ST_CANNOT_VERIFY },	/* no control */
	{ "VRFY", 252, NULL, 550, "5.7.1", ST_CANNOT_VERIFY },	/* policy */
	{ "VRFY", 252, NULL, 550, "5.1.2", ST_CANNOT_VERIFY },
	{ "VRFY", 252, NULL, 421, "4.7.0", ST_CANNOT_VERIFY },
	{ "VRFY", 252, NULL, 502, NULL, ST_CANNOT_VERIFY },
	{ "VRFY", 250, NULL, 250, NULL, ST_SUPPORTED },		/* yes to all */
	{ "VRFY", 550, "5.1.1", 550, "5.1.1", ST_UNKNOWN_MAILBOX },
	{ "VRFY", 550, NULL, 550, "5.1.1", ST_REFUSED },	/* no control rule */
	{ "VRFY", 502, NULL, 550, "5.1.1", ST_NOT_IMPLEMENTED },
	{ "VRFY", 553, NULL, 550, "5.1.1", ST_AMBIGUOUS },
	{ "EXPN", 252, NULL, 550, "5.1.1", ST_CANNOT_VERIFY },	/* VRFY only */
	{ "ETRN", 252, NULL, 550, "5.1.1", ST_SUPPORTED },
};

START_TEST(test_verdict)
{
	enum cmd_status	 got;

	got = codes_verdict(verdict_rows[_i].verb, verdict_rows[_i].code,
	    verdict_rows[_i].enh, verdict_rows[_i].ccode, verdict_rows[_i].cenh);
	ck_assert_msg(got == verdict_rows[_i].want,
	    "%s %d / %d %s: got %s, want %s", verdict_rows[_i].verb,
	    verdict_rows[_i].code, verdict_rows[_i].ccode,
	    verdict_rows[_i].cenh ? verdict_rows[_i].cenh : "-",
	    status_name(got), status_name(verdict_rows[_i].want));
}
END_TEST

/* when the control is sent: VRFY answered 2xx or 252, nothing else */
static const struct {
	const char	*verb;
	enum cmd_status	 st;
	int		 want;
} control_rows[] = {
	{ "VRFY", ST_CANNOT_VERIFY, 1 },
	{ "VRFY", ST_SUPPORTED, 1 },
	{ "vrfy", ST_SUPPORTED, 1 },
	{ "VRFY", ST_UNKNOWN_MAILBOX, 0 },
	{ "VRFY", ST_AMBIGUOUS, 0 },
	{ "VRFY", ST_NOT_LOCAL, 0 },
	{ "VRFY", ST_REFUSED, 0 },
	{ "VRFY", ST_NOT_IMPLEMENTED, 0 },
	{ "VRFY", ST_TEMPORARY, 0 },
	{ "VRFY", ST_ERROR, 0 },
	{ "EXPN", ST_CANNOT_VERIFY, 0 },
	{ "EXPN", ST_SUPPORTED, 0 },
	{ NULL, ST_SUPPORTED, 0 },
};

START_TEST(test_needs_control)
{
	int	 got;

	got = codes_needs_control(control_rows[_i].verb, control_rows[_i].st);
	ck_assert_msg(got == control_rows[_i].want, "%s %s: got %d, want %d",
	    control_rows[_i].verb ? control_rows[_i].verb : "(null)",
	    status_name(control_rows[_i].st), got, control_rows[_i].want);
}
END_TEST

/* the audit direction of every status (--expect, nagios, findings) */
static const int open_rows[ST_LAST] = {
	[ST_NOT_TRIED] = -1, [ST_SUPPORTED] = 1, [ST_CANNOT_VERIFY] = 0,
	[ST_NOT_IMPLEMENTED] = 0, [ST_NOT_RECOGNIZED] = 0,
	[ST_PARAM_NOT_IMPLEMENTED] = 0, [ST_REFUSED] = 0,
	[ST_AUTH_REQUIRED] = 0, [ST_BAD_SEQUENCE] = 0, [ST_TEMPORARY] = -1,
	[ST_SYNTAX] = 0, [ST_UNEXPECTED] = -1, [ST_ERROR] = -1,
	[ST_ENUMERABLE] = 1, [ST_UNKNOWN_MAILBOX] = 1, [ST_AMBIGUOUS] = 1,
	[ST_NOT_LOCAL] = 1,
};

START_TEST(test_status_open)
{
	int	 got = codes_status_open((enum cmd_status)_i);

	ck_assert_msg(got == open_rows[_i], "%s: got %d, want %d",
	    status_name((enum cmd_status)_i), got, open_rows[_i]);
	ck_assert_ptr_nonnull(status_name((enum cmd_status)_i));
	ck_assert_int_eq(status_from_name(status_name((enum cmd_status)_i)), _i);
}
END_TEST

START_TEST(test_status)
{
	enum cmd_status	 got;

	got = codes_status(status_rows[_i].verb, status_rows[_i].code,
	    status_rows[_i].enh);
	ck_assert_msg(got == status_rows[_i].want,
	    "%s %d %s: got %d, want %d",
	    status_rows[_i].verb ? status_rows[_i].verb : "(null)",
	    status_rows[_i].code,
	    status_rows[_i].enh ? status_rows[_i].enh : "-",
	    (int)got, (int)status_rows[_i].want);
}
END_TEST

/* no 4xx, to any command, with any enhanced code, is "not implemented" */
static const char *const verbs[] = {
	"VRFY", "EXPN", "TURN", "ETRN", "ATRN", "HELP", "NOOP", "RCPT",
};

START_TEST(test_status_4xx_temporary)
{
	int	 code;

	for (code = 400; code <= 499; code++) {
		enum cmd_status got = codes_status(verbs[_i], code, "5.7.1");

		ck_assert_msg(got == ST_TEMPORARY, "%s %d: got %d, want %d",
		    verbs[_i], code, (int)got, (int)ST_TEMPORARY);
	}
}
END_TEST

/* ---- advice ------------------------------------------------------------ */

static const struct {
	const char	*verb;
	enum cmd_status	 st;
	unsigned	 caps;
	const char	*want;		/* substring, or NULL: want NULL advice */
	const char	*want2;		/* second substring, or NULL */
	const char	*not;		/* must not appear, or NULL */
} advice_rows[] = {
	{ "VRFY", ST_NOT_IMPLEMENTED, 0, "RCPT TO", "RSET", NULL },
	{ "VRFY", ST_REFUSED, 0, "RCPT TO", "test message", NULL },
	{ "VRFY", ST_CANNOT_VERIFY, 0, "RCPT TO", "252", NULL },
	{ "VRFY", ST_NOT_RECOGNIZED, 0, "RCPT TO", "never DATA", NULL },
	{ "VRFY", ST_SUPPORTED, 0, "enumerate", "252", NULL },
	{ "EXPN", ST_NOT_IMPLEMENTED, 0, "owner", "membership", NULL },
	{ "EXPN", ST_REFUSED, 0, "owner", NULL, NULL },
	{ "EXPN", ST_SUPPORTED, 0, "members", "Disable", NULL },
	{ "VRFY", ST_ENUMERABLE, 0, "disable_vrfy_command = yes",
	  "PrivacyOptions=novrfy", NULL },
	{ "VRFY", ST_UNKNOWN_MAILBOX, 0, "enumerate", NULL, NULL },
	{ "VRFY", ST_AMBIGUOUS, 0, "enumerate", NULL, NULL },
	{ "VRFY", ST_NOT_LOCAL, 0, "enumerate", NULL, NULL },
	{ "EXPN", ST_UNKNOWN_MAILBOX, 0, "PrivacyOptions=noexpn", NULL, NULL },
	{ "TURN", ST_NOT_IMPLEMENTED, EXT_ETRN, "ETRN <domain>",
	  "advertises", "ATRN" },
	{ "TURN", ST_REFUSED, EXT_ETRN | EXT_STARTTLS, "ETRN", "RFC 1985",
	  "neither" },
	{ "TURN", ST_NOT_RECOGNIZED, EXT_ATRN, "ATRN", "RFC 2645",
	  "ETRN <domain>" },
	{ "TURN", ST_NOT_IMPLEMENTED, EXT_ATRN | EXT_ETRN, "ETRN", "ATRN",
	  "neither" },
	{ "TURN", ST_NOT_IMPLEMENTED, 0, "ETRN", "ATRN", NULL },
	{ "TURN", ST_NOT_IMPLEMENTED, 0, "neither", "provider", NULL },
	{ "TURN", ST_SUPPORTED, EXT_ETRN, "Dangerous", "disable", NULL },
	{ "TURN", ST_TEMPORARY, EXT_ETRN, "retry later", "greylisting",
	  "ETRN" },
	{ "VRFY", ST_TEMPORARY, 0, "retry later", "says nothing", NULL },
	{ "VRFY", ST_AUTH_REQUIRED, EXT_AUTH, "AUTH", "STARTTLS", NULL },
	{ "VRFY", ST_AUTH_REQUIRED, 0, "did not advertise AUTH", "TLS",
	  NULL },
	{ "ETRN", ST_SUPPORTED, 0, "RFC 1985", NULL, NULL },
	{ "ETRN", ST_TEMPORARY, 0, "459", NULL, NULL },
	{ "ETRN", ST_NOT_IMPLEMENTED, EXT_ATRN, "ATRN", NULL, NULL },
	{ "ETRN", ST_NOT_IMPLEMENTED, 0, "provider", NULL, "ATRN <domain>" },
	{ "ATRN", ST_AUTH_REQUIRED, 0, "AUTH", "RFC 2645", NULL },
	{ "ATRN", ST_NOT_IMPLEMENTED, EXT_ETRN, "ETRN", NULL, NULL },
	{ "vrfy", ST_REFUSED, 0, "RCPT TO", NULL, NULL },
	{ "VRFY", ST_NOT_TRIED, 0, NULL, NULL, NULL },
	{ "NOOP", ST_SUPPORTED, 0, NULL, NULL, NULL },
	{ "VRFY", ST_LAST, 0, NULL, NULL, NULL },
};

START_TEST(test_advice)
{
	const char	*a;

	a = codes_advice(advice_rows[_i].verb, advice_rows[_i].st,
	    advice_rows[_i].caps);
	if (advice_rows[_i].want == NULL) {
		ck_assert_msg(a == NULL, "%s/%d: got \"%s\", want NULL",
		    advice_rows[_i].verb, (int)advice_rows[_i].st, a);
		return;
	}
	ck_assert_msg(a != NULL, "%s/%d: got NULL, want advice",
	    advice_rows[_i].verb, (int)advice_rows[_i].st);
	ck_assert_msg(strstr(a, advice_rows[_i].want) != NULL,
	    "%s/%d: got \"%s\", want \"%s\" in it", advice_rows[_i].verb,
	    (int)advice_rows[_i].st, a, advice_rows[_i].want);
	if (advice_rows[_i].want2 != NULL)
		ck_assert_msg(strstr(a, advice_rows[_i].want2) != NULL,
		    "%s/%d: got \"%s\", want \"%s\" in it",
		    advice_rows[_i].verb, (int)advice_rows[_i].st, a,
		    advice_rows[_i].want2);
	if (advice_rows[_i].not != NULL)
		ck_assert_msg(strstr(a, advice_rows[_i].not) == NULL,
		    "%s/%d: got \"%s\", want no \"%s\" in it",
		    advice_rows[_i].verb, (int)advice_rows[_i].st, a,
		    advice_rows[_i].not);
}
END_TEST

/* every status of the vocabulary has a one-line meaning */
START_TEST(test_status_meaning)
{
	const char	*m = codes_status_meaning((enum cmd_status)_i);

	if (_i == ST_LAST) {
		ck_assert_msg(m == NULL, "ST_LAST: got \"%s\", want NULL", m);
		return;
	}
	ck_assert_msg(nonempty(m), "status %d: no meaning", _i);
	ck_assert_msg(strchr(m, '\n') == NULL, "status %d: not one line", _i);
}
END_TEST

/* ---- enhanced status codes -------------------------------------------- */

static const struct {
	const char	*in;
	const char	*want;		/* title substring, NULL: want NULL */
} enh_rows[] = {
	{ "5.1.1", "Bad destination mailbox address" },
	{ "4.1.1", "Bad destination mailbox address" },
	{ "2.1.1", "Bad destination mailbox address" },
	{ "X.1.1", "Bad destination mailbox address" },
	{ "2.1.5", "Destination address valid" },
	{ "5.7.1", "Delivery not authorized" },
	{ "5.7.8", "credentials invalid" },
	{ "4.7.0", "security status" },
	{ "5.1.10", "null MX" },
	{ "5.7.26", "Multiple authentication" },
	{ "4.4.7", "Delivery time expired" },
	{ "5.0.0", "Other undefined status" },
	{ "5.1", NULL },
	{ "9.1.1", NULL },
	{ "3.1.1", NULL },
	{ "5.1.1x", NULL },
	{ "5.1.1 ", NULL },
	{ " 5.1.1", NULL },
	{ "5..1", NULL },
	{ "5.1.", NULL },
	{ ".1.1", NULL },
	{ "5.01.1", NULL },
	{ "5.1.1000", NULL },
	{ "5.9.9", NULL },		/* well-formed, unknown */
	{ "55.1.1", NULL },
	{ "", NULL },
	{ NULL, NULL },
};

START_TEST(test_enhanced_lookup)
{
	const struct enhanced_info *e = codes_lookup_enhanced(enh_rows[_i].in);
	const char	*in = enh_rows[_i].in ? enh_rows[_i].in : "(null)";

	if (enh_rows[_i].want == NULL) {
		ck_assert_msg(e == NULL, "\"%s\": got \"%s\", want NULL", in,
		    e->code);
		return;
	}
	ck_assert_msg(e != NULL, "\"%s\": got NULL, want an entry", in);
	ck_assert_msg(strstr(e->title, enh_rows[_i].want) != NULL,
	    "\"%s\": got \"%s\", want \"%s\"", in, e->title,
	    enh_rows[_i].want);
}
END_TEST

static const struct {
	const char	*in;
	int		 rc, cls, sub, det;
} parse_rows[] = {
	{ "5.1.1", 0, 5, 1, 1 },
	{ "4.7.26", 0, 4, 7, 26 },
	{ "2.0.0", 0, 2, 0, 0 },
	{ "X.5.6", 0, 0, 5, 6 },
	{ "5.123.999", 0, 5, 123, 999 },
	{ "5.1", -1, 0, 0, 0 },
	{ "6.1.1", -1, 0, 0, 0 },
	{ "5.1.1.1", -1, 0, 0, 0 },
	{ "5.a.1", -1, 0, 0, 0 },
	{ "5.00.1", -1, 0, 0, 0 },
};

START_TEST(test_enhanced_parse)
{
	int	 cls = -7, sub = -7, det = -7, rc;

	rc = codes_parse_enhanced(parse_rows[_i].in, &cls, &sub, &det);
	ck_assert_msg(rc == parse_rows[_i].rc, "\"%s\": got %d, want %d",
	    parse_rows[_i].in, rc, parse_rows[_i].rc);
	if (rc != 0)
		return;
	ck_assert_msg(cls == parse_rows[_i].cls, "class: got %d, want %d",
	    cls, parse_rows[_i].cls);
	ck_assert_msg(sub == parse_rows[_i].sub, "subject: got %d, want %d",
	    sub, parse_rows[_i].sub);
	ck_assert_msg(det == parse_rows[_i].det, "detail: got %d, want %d",
	    det, parse_rows[_i].det);
}
END_TEST

/* the codes the brief requires, each present with a complete entry */
static const char *const enh_required[] = {
	"X.0.0",
	"X.1.0", "X.1.1", "X.1.2", "X.1.3", "X.1.4", "X.1.5", "X.1.6",
	"X.1.7", "X.1.8", "X.1.9", "X.1.10",
	"X.2.0", "X.2.1", "X.2.2", "X.2.3", "X.2.4",
	"X.3.0", "X.3.1", "X.3.2", "X.3.3", "X.3.4", "X.3.5",
	"X.4.0", "X.4.1", "X.4.2", "X.4.3", "X.4.4", "X.4.5", "X.4.6",
	"X.4.7",
	"X.5.0", "X.5.1", "X.5.2", "X.5.3", "X.5.4", "X.5.5", "X.5.6",
	"X.6.0",
	"X.7.0", "X.7.1", "X.7.2", "X.7.3", "X.7.4", "X.7.5", "X.7.6",
	"X.7.7", "X.7.8", "X.7.9", "X.7.10", "X.7.11", "X.7.12", "X.7.13",
	"X.7.26", "X.7.27",
};

START_TEST(test_enhanced_required)
{
	char				 five[16];
	const struct enhanced_info	*e;

	e = codes_lookup_enhanced(enh_required[_i]);
	ck_assert_msg(e != NULL, "%s missing", enh_required[_i]);
	ck_assert_str_eq(e->code, enh_required[_i]);
	ck_assert_msg(nonempty(e->title) && nonempty(e->meaning),
	    "%s: incomplete", e->code);
	/* the same entry answers for class 5 */
	snprintf(five, sizeof(five), "5%s", enh_required[_i] + 1);
	ck_assert_msg(codes_lookup_enhanced(five) == e, "%s: got another "
	    "entry", five);
}
END_TEST

START_TEST(test_enhanced_table)
{
	const struct enhanced_info	*t;
	size_t				 n;
	int				 cls;

	t = codes_enhanced_all(&n);
	ck_assert_msg((size_t)_i < n, "got %d, want < %zu", _i, n);
	ck_assert_msg(codes_parse_enhanced(t[_i].code, &cls, NULL, NULL) == 0,
	    "\"%s\" does not parse", t[_i].code);
	ck_assert_msg(cls == 0, "%s: got class %d, want 0 (X)", t[_i].code,
	    cls);
	ck_assert_msg(nonempty(t[_i].title) && nonempty(t[_i].meaning),
	    "%s: incomplete", t[_i].code);
	ck_assert_msg(codes_lookup_enhanced(t[_i].code) == &t[_i],
	    "%s: duplicate key", t[_i].code);
}
END_TEST

/* ---- explain ----------------------------------------------------------- */

struct capture {
	FILE	*out, *err;
	char	*obuf, *ebuf;
	size_t	 olen, elen;
};

static int
run_explain_fmt(struct capture *c, int argc, const char *const *args,
    int json)
{
	char	*argv[4] = { NULL, NULL, NULL, NULL };
	int	 i, rc;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < argc && i < 4; i++)
		argv[i] = strdup(args[i]);
	c->out = open_memstream(&c->obuf, &c->olen);
	c->err = open_memstream(&c->ebuf, &c->elen);
	ck_assert_ptr_nonnull(c->out);
	ck_assert_ptr_nonnull(c->err);
	rc = json ? explain_main_fmt(c->out, c->err, argc, argv, 1) :
	    explain_main(c->out, c->err, argc, argv);
	fclose(c->out);
	fclose(c->err);
	for (i = 0; i < 4; i++)
		free(argv[i]);
	return rc;
}

static int
run_explain(struct capture *c, int argc, const char *const *args)
{
	return run_explain_fmt(c, argc, args, 0);
}

static void
capture_free(struct capture *c)
{
	free(c->obuf);
	free(c->ebuf);
}

/* the longest line in s */
static size_t
max_line(const char *s)
{
	size_t	 max = 0, len;

	while (*s != '\0') {
		len = strcspn(s, "\n");
		if (len > max)
			max = len;
		s += len;
		if (*s == '\n')
			s++;
	}
	return max;
}

static const struct {
	int		 argc;
	const char	*argv[4];
	int		 rc;
	const char	*out[4];	/* substrings of out */
	const char	*err;		/* substring of err, NULL: want empty */
} explain_rows[] = {
	{ 1, { "550" }, 0, { "550 Requested action not taken",
	  "5xx permanent negative completion", "What to do", "RFC 5321" },
	  NULL },
	{ 1, { "252" }, 0, { "Cannot VRFY user", "RFC 5321 3.5.3, 7.3",
	  "When you meet it", "2xx positive completion" }, NULL },
	{ 2, { "251", "502" }, 0, { "User not local; will forward",
	  "Command not implemented", "Key difference",
	  "Which one you will see / what to do" }, NULL },
	{ 2, { "251", "502" }, 0, { "2xx reply", "5xx reply",
	  "On 251:", "On 502:" }, NULL },
	{ 2, { "502", "550" }, 0, { "Both are of class 5",
	  "second digit", NULL, NULL }, NULL },
	{ 1, { "5.1.1" }, 0, { "Bad destination mailbox address",
	  "5 permanent failure", "1 addressing status", NULL }, NULL },
	{ 2, { "550", "5.7.1" }, 0, { "mailbox unavailable",
	  "Delivery not authorized", "enhanced status code", NULL }, NULL },
	{ 2, { "4.7.1", "5.7.1" }, 0, { "persistent transient",
	  "permanent failure", "Key difference", NULL }, NULL },
	{ 1, { "299" }, 64, { NULL },
	  "smtpprobe: explain: unknown reply code 299" },
	{ 2, { "250", "299" }, 64, { NULL }, "unknown reply code 299" },
	{ 1, { "abc" }, 64, { NULL }, "not a reply code" },
	{ 1, { "5.1" }, 64, { NULL }, "malformed" },
	{ 1, { "9.1.1" }, 64, { NULL }, "malformed" },
	{ 1, { "5.9.9" }, 64, { NULL }, "unknown enhanced status code 5.9.9" },
	{ 1, { "2500" }, 64, { NULL }, "not a reply code" },
	{ 1, { "55\x1b" }, 64, { NULL }, "'55?'" },	/* no escapes echoed */
	{ 3, { "250", "251", "252" }, 64, { NULL }, "too many" },
	{ 0, { NULL }, 64, { NULL }, "usage" },
	/* enhanced codes side by side, and a reply code with one */
	{ 2, { "5.1.1", "5.7.1" }, 0, { "1 addressing status",
	  "7 security or policy status", "Key difference", "On 5.7.1:" },
	  NULL },
	{ 2, { "550", "5.7.1" }, 0, { "\"550 5.7.1 ...\"", "arrive together",
	  "On 550:", "On 5.7.1:" }, NULL },
	{ 2, { "250", "5.7.1" }, 0, { "do not belong in one", NULL, NULL,
	  NULL }, NULL },
	{ 1, { "5.7.1" }, 0, { "ENHANCEDSTATUSCODES", "policy",
	  "RFC 3463", "When you meet it" }, NULL },
	/* commands: the key facts */
	{ 1, { "VRFY" }, 0, { "252   cannot_verify", "RFC 5321 4.1.1.6",
	  "harvesting", "RCPT TO" }, NULL },
	{ 1, { "VRFY" }, 0, { "7.3", "502   not_implemented",
	  "550   refused", "What to use instead" }, NULL },
	{ 1, { "vrfy" }, 0, { "VRFY Verify", NULL, NULL, NULL }, NULL },
	{ 1, { "EXPN" }, 0, { "252   cannot_verify", "RFC 5321 4.1.1.7",
	  "7.3", "owner" }, NULL },
	{ 1, { "TURN" }, 0, { "App. F.1", "250   supported",
	  "If EHLO lists ETRN, but not ATRN:", "RFC 2645" }, NULL },
	{ 1, { "TURN" }, 0, { "authenticated", "neither ETRN nor ATRN",
	  "502   not_implemented", NULL }, NULL },
	{ 1, { "ETRN" }, 0, { "252   supported", "253   supported",
	  "RFC 1985", "459   temporary" }, NULL },
	{ 1, { "ATRN" }, 0, { "RFC 2645", "530   auth_required",
	  "If EHLO lists ETRN:", NULL }, NULL },
	{ 1, { "STARTTLS" }, 0, { "RFC 3207", "220   supported",
	  "clear text", NULL }, NULL },
	{ 1, { "HELP" }, 0, { "214   supported", "RFC 5321 4.1.1.8", NULL,
	  NULL }, NULL },
	{ 1, { "NOOP" }, 0, { "4.5.1", NULL, NULL, NULL }, NULL },
	{ 1, { "QUIT" }, 0, { "221   supported", NULL, NULL, NULL }, NULL },
	{ 2, { "VRFY", "252" }, 0, { "252 in answer to VRFY",
	  "cannot_verify", "RCPT TO", "Cannot VRFY user" }, NULL },
	{ 2, { "252", "ETRN" }, 0, { "252 in answer to ETRN",
	  "supported:", NULL, NULL }, NULL },
	{ 2, { "VRFY", "354" }, 0, { "not a usual reply", NULL, NULL, NULL },
	  NULL },
	{ 1, { "FOO" }, 64, { NULL }, "not a reply code or a known command: "
	  "'FOO'" },
	{ 1, { "VRFY2" }, 64, { NULL }, "not a reply code" },
	{ 2, { "VRFY", "EXPN" }, 64, { NULL }, "one command" },
	{ 2, { "VRFY", "5.7.1" }, 64, { NULL }, "three-digit" },
	{ 2, { "VRFY", "299" }, 64, { NULL }, "unknown reply code 299" },
};

START_TEST(test_explain)
{
	struct capture	 c;
	int		 rc, k;

	rc = run_explain(&c, explain_rows[_i].argc, explain_rows[_i].argv);
	ck_assert_msg(rc == explain_rows[_i].rc, "row %d: got %d, want %d",
	    _i, rc, explain_rows[_i].rc);
	for (k = 0; k < 4 && explain_rows[_i].out[k] != NULL; k++)
		ck_assert_msg(strstr(c.obuf, explain_rows[_i].out[k]) != NULL,
		    "row %d: want \"%s\" in output:\n%s", _i,
		    explain_rows[_i].out[k], c.obuf);
	if (explain_rows[_i].err == NULL) {
		ck_assert_msg(c.elen == 0, "row %d: got err \"%s\", want "
		    "none", _i, c.ebuf);
	} else {
		ck_assert_msg(strstr(c.ebuf, explain_rows[_i].err) != NULL,
		    "row %d: got err \"%s\", want \"%s\"", _i, c.ebuf,
		    explain_rows[_i].err);
		/* one line, and nothing on out */
		ck_assert_msg(strchr(c.ebuf, '\n') == c.ebuf + c.elen - 1,
		    "row %d: err is not one line: \"%s\"", _i, c.ebuf);
		ck_assert_msg(c.olen == 0, "row %d: got %zu bytes of output, "
		    "want 0", _i, c.olen);
	}
	ck_assert_msg(max_line(c.obuf) <= 78, "row %d: got a %zu-column "
	    "line, want <= 78", _i, max_line(c.obuf));
	capture_free(&c);
}
END_TEST

/* every code explains alone and against 502, within 78 columns */
START_TEST(test_explain_every_code)
{
	const struct code_info	*t;
	struct capture		 c;
	char			 code[8];
	const char		*args[2];
	size_t			 n;
	int			 rc;

	t = codes_all(&n);
	ck_assert_msg((size_t)_i < n, "got %d, want < %zu", _i, n);
	snprintf(code, sizeof(code), "%d", t[_i].code);
	args[0] = code;
	args[1] = "502";

	rc = run_explain(&c, 1, args);
	ck_assert_msg(rc == 0, "%s: got %d, want %d", code, rc, 0);
	ck_assert_msg(strstr(c.obuf, t[_i].title) != NULL,
	    "%s: title missing:\n%s", code, c.obuf);
	ck_assert_msg(strstr(c.obuf, t[_i].rfc) != NULL,
	    "%s: reference missing:\n%s", code, c.obuf);
	ck_assert_msg(max_line(c.obuf) <= 78, "%s: got %zu columns, want "
	    "<= 78", code, max_line(c.obuf));
	capture_free(&c);

	rc = run_explain(&c, 2, args);
	ck_assert_msg(rc == 0, "%s 502: got %d, want %d", code, rc, 0);
	ck_assert_msg(strstr(c.obuf, t[_i].title) != NULL &&
	    strstr(c.obuf, "Command not implemented") != NULL,
	    "%s 502: a title is missing:\n%s", code, c.obuf);
	ck_assert_msg(max_line(c.obuf) <= 78, "%s 502: got %zu columns, "
	    "want <= 78", code, max_line(c.obuf));
	capture_free(&c);
}
END_TEST

/* every command explains, with every reply it lists known and meaningful */
START_TEST(test_explain_command)
{
	const struct command_info	*t;
	const struct command_reply	*r;
	struct capture			 c;
	const char			*args[1];
	size_t				 n;
	int				 rc;

	t = codes_commands_all(&n);
	ck_assert_msg((size_t)_i < n, "got %d, want < %zu", _i, n);
	ck_assert_ptr_eq(codes_lookup_command(t[_i].name), &t[_i]);
	ck_assert_msg(nonempty(t[_i].title) && nonempty(t[_i].summary) &&
	    nonempty(t[_i].why_disabled), "%s: empty field", t[_i].name);
	ck_assert_msg(strncmp(t[_i].rfc, "RFC ", 4) == 0, "%s: rfc \"%s\"",
	    t[_i].name, t[_i].rfc);
	ck_assert_msg(nonempty(codes_command_instead(t[_i].name, 0)),
	    "%s: nothing instead", t[_i].name);
	if (_i > 0)
		ck_assert_msg(strcmp(t[_i - 1].name, t[_i].name) < 0,
		    "%s before %s", t[_i - 1].name, t[_i].name);
	for (r = t[_i].replies; r->code != 0; r++) {
		enum cmd_status st = codes_status(t[_i].name, r->code, NULL);

		ck_assert_msg(codes_lookup(r->code) != NULL, "%s %d: code "
		    "not in the table", t[_i].name, r->code);
		ck_assert_msg(st != ST_UNEXPECTED && st != ST_ERROR,
		    "%s %d: status %d", t[_i].name, r->code, (int)st);
		if (r > t[_i].replies)
			ck_assert_msg(r[-1].code < r->code, "%s: %d before %d",
			    t[_i].name, r[-1].code, r->code);
	}

	args[0] = t[_i].name;
	rc = run_explain(&c, 1, args);
	ck_assert_msg(rc == 0, "%s: got %d, want 0", t[_i].name, rc);
	ck_assert_msg(c.elen == 0, "%s: err \"%s\"", t[_i].name, c.ebuf);
	ck_assert_msg(strstr(c.obuf, t[_i].rfc) != NULL, "%s: no reference",
	    t[_i].name);
	ck_assert_msg(max_line(c.obuf) <= 78, "%s: got %zu columns, want "
	    "<= 78", t[_i].name, max_line(c.obuf));
	capture_free(&c);
}
END_TEST

static void
lookups(void)
{
	ck_assert_ptr_nonnull(codes_lookup_command("vRfY"));
	ck_assert_ptr_null(codes_lookup_command("FOO"));
	ck_assert_ptr_null(codes_lookup_command(""));
	ck_assert_ptr_null(codes_lookup_command(NULL));
	ck_assert_ptr_null(codes_command_instead("FOO", 0));
	ck_assert_ptr_nonnull(strstr(codes_command_instead("TURN", EXT_ETRN),
	    "ETRN <domain>"));
}

START_TEST(test_command_lookup)
{
	lookups();
}
END_TEST

/* ---- explain --format json --------------------------------------------- */

static json_t *
explain_json(int argc, const char *const *args)
{
	struct capture	 c;
	json_error_t	 jerr;
	json_t		*root;
	int		 rc;

	rc = run_explain_fmt(&c, argc, args, 1);
	ck_assert_msg(rc == 0, "%s: got %d, want 0 (err %s)", args[0], rc,
	    c.ebuf);
	ck_assert_msg(c.elen == 0, "%s: err \"%s\"", args[0], c.ebuf);
	root = json_loads(c.obuf, 0, &jerr);
	ck_assert_msg(root != NULL, "%s: not JSON (%s):\n%s", args[0],
	    jerr.text, c.obuf);
	ck_assert_msg(json_is_object(root), "%s: not an object", args[0]);
	ck_assert_str_eq(json_string_value(json_object_get(root, "schema")),
	    "smtpprobe-explain/1");
	capture_free(&c);
	return root;
}

static const char *
jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	ck_assert_msg(s != NULL, "no string \"%s\"", key);
	return s;
}

/* the fields every code or enhanced entry has */
static void
check_code_entry(json_t *e, const char *kind)
{
	static const char *const keys[] = {
		"title", "class", "meaning", "when", "action", "rfc",
	};
	size_t	 i;

	ck_assert_str_eq(jstr(e, "kind"), kind);
	ck_assert_ptr_nonnull(json_object_get(e, "code"));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(nonempty(jstr(e, keys[i])), "empty %s", keys[i]);
}

/* the status of `code' in the replies of a command object */
static const char *
reply_status(json_t *root, int code)
{
	json_t	*replies = json_object_get(root, "replies"), *r;
	size_t	 i;

	ck_assert(json_is_array(replies));
	json_array_foreach(replies, i, r) {
		if (json_integer_value(json_object_get(r, "code")) == code) {
			ck_assert(nonempty(jstr(r, "meaning")));
			return jstr(r, "status");
		}
	}
	ck_abort_msg("code %d not in replies", code);
	return NULL;
}

START_TEST(test_json_code)
{
	const char	*args[] = { "550" };
	json_t		*root = explain_json(1, args);

	check_code_entry(root, "code");
	ck_assert_int_eq(json_integer_value(json_object_get(root, "code")),
	    550);
	ck_assert_str_eq(jstr(root, "class"),
	    "5xx permanent negative completion");
	json_decref(root);
}
END_TEST

START_TEST(test_json_enhanced)
{
	const char	*args[] = { "5.7.1" };
	json_t		*root = explain_json(1, args);

	check_code_entry(root, "enhanced");
	ck_assert_str_eq(jstr(root, "code"), "5.7.1");
	ck_assert_ptr_nonnull(strstr(jstr(root, "rfc"), "RFC 3463"));
	ck_assert_ptr_nonnull(strstr(jstr(root, "subject"), "policy"));
	json_decref(root);
}
END_TEST

START_TEST(test_json_comparison)
{
	static const struct {
		const char	*a, *b, *kind_a, *kind_b;
	} rows[] = {
		{ "251", "502", "code", "code" },
		{ "5.1.1", "5.7.1", "enhanced", "enhanced" },
		{ "550", "5.7.1", "code", "enhanced" },
	};
	const char	*args[2] = { rows[_i].a, rows[_i].b };
	json_t		*root = explain_json(2, args), *items;

	ck_assert_str_eq(jstr(root, "kind"), "comparison");
	items = json_object_get(root, "items");
	ck_assert(json_is_array(items));
	ck_assert_int_eq(json_array_size(items), 2);
	check_code_entry(json_array_get(items, 0), rows[_i].kind_a);
	check_code_entry(json_array_get(items, 1), rows[_i].kind_b);
	ck_assert(nonempty(jstr(root, "key_difference")));
	ck_assert(nonempty(jstr(root, "which")));
	if (_i == 0) {
		ck_assert_int_eq(json_integer_value(json_object_get(
		    json_array_get(items, 0), "code")), 251);
		ck_assert_ptr_nonnull(strstr(jstr(root, "key_difference"),
		    "2xx reply"));
	}
	json_decref(root);
}
END_TEST

START_TEST(test_json_command)
{
	const char	*args[1];
	json_t		*root, *alts;

	args[0] = "VRFY";
	root = explain_json(1, args);
	ck_assert_str_eq(jstr(root, "kind"), "command");
	ck_assert_str_eq(jstr(root, "name"), "VRFY");
	ck_assert_ptr_nonnull(strstr(jstr(root, "rfc"), "RFC 5321"));
	ck_assert(nonempty(jstr(root, "summary")));
	ck_assert_ptr_nonnull(strstr(jstr(root, "why_disabled"), "7.3"));
	ck_assert_ptr_nonnull(strstr(jstr(root, "instead"), "RCPT TO"));
	ck_assert_str_eq(reply_status(root, 252), "cannot_verify");
	ck_assert_str_eq(reply_status(root, 502), "not_implemented");
	ck_assert_str_eq(reply_status(root, 250), "supported");
	/* RFC 5321 3.5.3: answers about a mailbox, and the control rule */
	ck_assert_str_eq(reply_status(root, 551), "not_local");
	ck_assert_str_eq(reply_status(root, 553), "ambiguous");
	ck_assert_ptr_nonnull(strstr(jstr(root, "reading"), "enumerable"));
	ck_assert_ptr_nonnull(strstr(jstr(root, "reading"), "550 5.1.1"));
	json_decref(root);

	args[0] = "etrn";
	root = explain_json(1, args);
	ck_assert_str_eq(jstr(root, "name"), "ETRN");
	ck_assert_str_eq(reply_status(root, 252), "supported");
	ck_assert_ptr_nonnull(strstr(jstr(root, "rfc"), "RFC 1985"));
	json_decref(root);

	args[0] = "TURN";
	root = explain_json(1, args);
	ck_assert_ptr_nonnull(strstr(jstr(root, "rfc"), "F.1"));
	ck_assert_str_eq(reply_status(root, 250), "supported");
	/* typical EHLO lists ETRN: the advice points at it */
	ck_assert_ptr_nonnull(strstr(jstr(root, "instead"), "ETRN <domain>"));
	alts = json_object_get(root, "instead_by_ehlo");
	ck_assert(json_is_array(alts));
	ck_assert_int_eq(json_array_size(alts), 4);
	json_decref(root);
}
END_TEST

START_TEST(test_json_command_reply)
{
	const char	*args[2] = { "VRFY", "252" };
	json_t		*root = explain_json(2, args);

	ck_assert_str_eq(jstr(root, "kind"), "command_reply");
	ck_assert_str_eq(jstr(root, "status"), "cannot_verify");
	check_code_entry(json_object_get(root, "entry"), "code");
	json_decref(root);
}
END_TEST

/* errors stay one line on err, with nothing on out, in JSON mode too */
START_TEST(test_json_errors)
{
	static const struct {
		int		 argc;
		const char	*argv[3];
	} rows[] = {
		{ 1, { "FOO" } }, { 1, { "299" } }, { 2, { "VRFY", "TURN" } },
		{ 3, { "250", "251", "252" } }, { 0, { NULL } },
	};
	struct capture	 c;
	int		 rc;

	rc = run_explain_fmt(&c, rows[_i].argc, rows[_i].argv, 1);
	ck_assert_int_eq(rc, 64);
	ck_assert_msg(c.olen == 0, "row %d: output \"%s\"", _i, c.obuf);
	ck_assert_msg(c.elen > 0 && strchr(c.ebuf, '\n') == c.ebuf +
	    c.elen - 1, "row %d: err \"%s\"", _i, c.ebuf);
	capture_free(&c);
}
END_TEST

static Suite *
codes_suite(void)
{
	Suite	*s = suite_create("codes");
	TCase	*tc;
	size_t	 ncodes, nenh, ncmds;

	codes_all(&ncodes);
	codes_enhanced_all(&nenh);
	codes_commands_all(&ncmds);

	tc = tcase_create("entry_complete");
	tcase_add_loop_test(tc, test_entry_complete, 0, (int)ncodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc5321_present");
	tcase_add_loop_test(tc, test_rfc5321_present, 0,
	    NROWS(rfc5321_codes));
	suite_add_tcase(s, tc);

	tc = tcase_create("facts");
	tcase_add_loop_test(tc, test_facts, 0, NROWS(facts));
	suite_add_tcase(s, tc);

	tc = tcase_create("class_name");
	tcase_add_loop_test(tc, test_class_name, 0, NROWS(class_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_loop_test(tc, test_status, 0, NROWS(status_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("verdict");
	tcase_add_loop_test(tc, test_verdict, 0, NROWS(verdict_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("needs_control");
	tcase_add_loop_test(tc, test_needs_control, 0, NROWS(control_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("status_open");
	tcase_add_loop_test(tc, test_status_open, 0, ST_LAST);
	suite_add_tcase(s, tc);

	tc = tcase_create("status_4xx_temporary");
	tcase_add_loop_test(tc, test_status_4xx_temporary, 0, NROWS(verbs));
	suite_add_tcase(s, tc);

	tc = tcase_create("status_meaning");
	tcase_add_loop_test(tc, test_status_meaning, 0, ST_LAST + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("advice");
	tcase_add_loop_test(tc, test_advice, 0, NROWS(advice_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("enhanced_lookup");
	tcase_add_loop_test(tc, test_enhanced_lookup, 0, NROWS(enh_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("enhanced_parse");
	tcase_add_loop_test(tc, test_enhanced_parse, 0, NROWS(parse_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("enhanced_required");
	tcase_add_loop_test(tc, test_enhanced_required, 0,
	    NROWS(enh_required));
	suite_add_tcase(s, tc);

	tc = tcase_create("enhanced_table");
	tcase_add_loop_test(tc, test_enhanced_table, 0, (int)nenh);
	suite_add_tcase(s, tc);

	tc = tcase_create("explain");
	tcase_add_loop_test(tc, test_explain, 0, NROWS(explain_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("explain_every_code");
	tcase_add_loop_test(tc, test_explain_every_code, 0, (int)ncodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("explain_command");
	tcase_add_loop_test(tc, test_explain_command, 0, (int)ncmds);
	tcase_add_test(tc, test_command_lookup);
	suite_add_tcase(s, tc);

	tc = tcase_create("explain_json");
	tcase_add_test(tc, test_json_code);
	tcase_add_test(tc, test_json_enhanced);
	tcase_add_loop_test(tc, test_json_comparison, 0, 3);
	tcase_add_test(tc, test_json_command);
	tcase_add_test(tc, test_json_command_reply);
	tcase_add_loop_test(tc, test_json_errors, 0, 5);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(codes_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
