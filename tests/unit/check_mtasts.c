/* SPDX-License-Identifier: ISC */
/*
 * check_mtasts - the MTA-STS TXT record and policy parsers (RFC 8461 3.1,
 * 3.2), the MX pattern matcher (RFC 8461 4.1) and the TLS-RPT record
 * parser (RFC 8460 3): the RFCs' examples, every rule, every error path
 * (each error case names a part of the reason it must give).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"

#define nelem(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- _mta-sts TXT ------------------------------------------------------ */

struct txt_vec {
	const char	*in;
	size_t		 len;	/* 0: strlen(in) */
	const char	*id;	/* NULL: an error */
	const char	*why;	/* a part of the reason */
};

static const char id32[] = "abcdefghijklmnopqrstuvwxyz012345";

static const struct txt_vec txt_vec[] = {
	/* RFC 8461 3.1 example */
	{ "v=STSv1; id=20160831085700Z;", 0, "20160831085700Z", NULL },
	{ "v=STSv1;id=abc", 0, "abc", NULL },
	{ "v=STSv1 ;\tid=A1 ; ", 0, "A1", NULL },
	{ "v=STSv1; x_y.z-1=a:b/c; id=X", 0, "X", NULL },
	{ "v=STSv1; id=abcdefghijklmnopqrstuvwxyz012345", 0, id32, NULL },
	/* 3.2: a repeated field other than mx: the first counts */
	{ "v=STSv1; id=first; id=second", 0, "first", NULL },
	{ "v=STSv1; id=1; v=STSv2", 0, "1", NULL },
	{ "", 0, NULL, "does not begin with \"v=STSv1\"" },
	{ "v=STSv2; id=1", 0, NULL, "does not begin" },
	{ "V=STSv1; id=1", 0, NULL, "does not begin" },
	{ " v=STSv1; id=1", 0, NULL, "does not begin" },
	{ "v=STSv10; id=1", 0, NULL, "does not begin" },
	{ "v=STSv1", 0, NULL, "no id= field" },
	{ "v=STSv1;", 0, NULL, "no id= field" },
	{ "v=STSv1; ext=1", 0, NULL, "no id= field" },
	{ "v=STSv1; ID=1", 0, NULL, "no id= field" },
	{ "v=STSv1; id=", 0, NULL, "is not 1 to 32 letters" },
	{ "v=STSv1; id=abcdefghijklmnopqrstuvwxyz0123456", 0, NULL,
	    "is not 1 to 32" },
	{ "v=STSv1; id=2016-08-31", 0, NULL, "is not 1 to 32" },
	{ "v=STSv1; id=ok; id=not-ok", 0, NULL, "\"not-ok\" is not 1 to 32" },
	{ "v=STSv1; id=1 ", 0, NULL, "white space after the last field" },
	{ "v=STSv1 id=1", 0, NULL, "where \";\" should be" },
	{ "v=STSv1; id=1; ; x=1", 0, NULL, "has no \"=\"" },
	{ "v=STSv1; id=1; foo", 0, NULL, "field \"foo\" has no \"=\"" },
	{ "v=STSv1; id=1; _x=1", 0, NULL, "bad field name \"_x\"" },
	{ "v=STSv1; id=1; abcdefghijklmnopqrstuvwxyz0123456=1", 0, NULL,
	    "bad field name" },
	{ "v=STSv1; id =1", 0, NULL, "bad field name \"id \"" },
	{ "v=STSv1; id=1; x=a=b", 0, NULL, "field \"x\": the value" },
	{ "v=STSv1; id=1; x=", 0, NULL, "field \"x\": the value is empty" },
	{ "v=STSv1; id=1; x=a b", 0, NULL, "field \"x\"" },
	{ "v=STSv1; id=1; x=\xc3\xa9", 0, NULL, "field \"x\"" },
	{ "v=STSv1; id=1; x=a\0b", 17, NULL, "field \"x\"" },
	{ "v=STSv1; id=1\0", 14, NULL, "is not 1 to 32" },
};

START_TEST(test_txt)
{
	const struct txt_vec	*v = &txt_vec[_i];
	struct mtasts_txt	 t;
	char			 err[256] = "";
	size_t			 len = v->len ? v->len : strlen(v->in);
	int			 rc;

	memset(&t, 'Z', sizeof(t));
	rc = mtasts_txt_parse(v->in, len, &t, err, sizeof(err));
	if (v->id != NULL) {
		ck_assert_msg(rc == 0, "%s: got -1 (%s), want 0", v->in, err);
		ck_assert_str_eq(t.id, v->id);
	} else {
		ck_assert_msg(rc == -1, "%s: got %d, want -1", v->in, rc);
		ck_assert_str_eq(t.id, "");
		ck_assert_msg(strstr(err, v->why) != NULL,
		    "%s: reason \"%s\", want \"%s\" in it", v->in, err, v->why);
		ck_assert_msg(strstr(err, "RFC 8461 3.1") != NULL, "%s", err);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
}
END_TEST

struct is_vec {
	const char	*in;
	int		 sts, tlsrpt;
};

static const struct is_vec is_vec[] = {
	{ "v=STSv1; id=1", 1, 0 },
	{ "v=STSv1", 1, 0 },
	{ "v=STSv1 ;id=1", 1, 0 },
	{ "v=STSv1\t", 1, 0 },
	{ "v=STSv10", 0, 0 },
	{ "v=STSv", 0, 0 },
	{ "v=stsv1", 0, 0 },
	{ " v=STSv1", 0, 0 },
	{ "v=spf1 -all", 0, 0 },
	{ "v=TLSRPTv1; rua=mailto:a@b", 0, 1 },
	{ "v=TLSRPTv1", 0, 1 },
	{ "v=TLSRPTv10", 0, 0 },
	{ "v=TLSRPT", 0, 0 },
	{ "", 0, 0 },
};

START_TEST(test_is)
{
	const struct is_vec	*v = &is_vec[_i];

	ck_assert_int_eq(mtasts_txt_is_sts(v->in, strlen(v->in)), v->sts);
	ck_assert_int_eq(tlsrpt_is_record(v->in, strlen(v->in)), v->tlsrpt);
}
END_TEST

START_TEST(test_is_null)
{
	struct mtasts_txt	t;
	char			err[64];

	ck_assert_int_eq(mtasts_txt_is_sts(NULL, 0), 0);
	ck_assert_int_eq(tlsrpt_is_record(NULL, 0), 0);
	ck_assert_int_eq(mtasts_txt_parse(NULL, 0, &t, err, sizeof(err)), -1);
	/* a short buffer holds a truncated reason, a zero one nothing */
	ck_assert_int_eq(mtasts_txt_parse("x", 1, &t, err, 5), -1);
	ck_assert_uint_eq(strlen(err), 4);
	ck_assert_int_eq(mtasts_txt_parse("x", 1, &t, NULL, 0), -1);
}
END_TEST

/* ---- the policy -------------------------------------------------------- */

struct policy_vec {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 ok;
	enum mtasts_mode mode;
	long		 max_age;
	const char	*mx;		/* ok: the patterns, joined by " " */
	const char	*why;		/* !ok: a part of the reason */
};

#define P_ERR(n, in, why)	{ n, in, 0, 0, 0, 0, NULL, why }

static const struct policy_vec policy_vec[] = {
	/* RFC 8461 3.2, the two examples (LF and CRLF) */
	{ "rfc-enforce", "version: STSv1\nmode: enforce\nmx: mail.example.com\n"
	    "mx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n",
	    0, 1, MTASTS_MODE_ENFORCE, 604800,
	    "mail.example.com *.example.net backupmx.example.com", NULL },
	{ "rfc-testing-crlf", "version: STSv1\r\nmode: testing\r\n"
	    "mx: gmail-smtp-in.l.google.com\r\nmx: *.gmail-smtp-in.l.google.com\r\n"
	    "max_age: 86400\r\n", 0, 1, MTASTS_MODE_TESTING, 86400,
	    "gmail-smtp-in.l.google.com *.gmail-smtp-in.l.google.com", NULL },
	{ "no-final-newline", "version: STSv1\nmode: enforce\nmx: a.example\n"
	    "max_age: 1", 0, 1, MTASTS_MODE_ENFORCE, 1, "a.example", NULL },
	{ "mixed-terms", "version: STSv1\r\nmode: enforce\nmx: a.example\r\n"
	    "max_age: 0\n", 0, 1, MTASTS_MODE_ENFORCE, 0, "a.example", NULL },
	{ "none-without-mx", "version: STSv1\nmode: none\nmax_age: 86400\n",
	    0, 1, MTASTS_MODE_NONE, 86400, "", NULL },
	{ "wsp", "version:STSv1\t \nmode:\t enforce \nmx:  A.Example.COM\t\n"
	    "max_age: 31557600  \n", 0, 1, MTASTS_MODE_ENFORCE, 31557600,
	    "a.example.com", NULL },
	{ "order-and-ext", "mx: b.example\nmax_age: 10\nfoo_bar-1.x: any "
	    "value; with = and: \xc3\xa9\nmode: enforce\nversion: STSv1\n"
	    "Mode: bogus\n", 0, 1, MTASTS_MODE_ENFORCE, 10, "b.example", NULL },
	/* 3.2: a repeated field other than mx: only the first counts */
	{ "dup-first-wins", "version: STSv1\nmode: testing\nmode: enforce\n"
	    "max_age: 5\nmax_age: 6\nversion: STSv9\nmx: a.example\n"
	    "mode: whatever\nmax_age: notanumber\n", 0, 1,
	    MTASTS_MODE_TESTING, 5, "a.example", NULL },
	{ "max-age-10-digits", "version: STSv1\nmode: none\nmax_age: 0000086400\n",
	    0, 1, MTASTS_MODE_NONE, 86400, "", NULL },
	{ "mx-forms", "version: STSv1\nmode: enforce\nmax_age: 1\nmx: localhost\n"
	    "mx: *.com\nmx: 1-2.x9\nmx: xn--bcher-kva.example\n", 0, 1,
	    MTASTS_MODE_ENFORCE, 1, "localhost *.com 1-2.x9 xn--bcher-kva.example",
	    NULL },

	P_ERR("empty", "", "no version field"),
	P_ERR("no-version", "mode: none\nmax_age: 1\n", "no version field"),
	P_ERR("version-case", "Version: STSv1\nmode: none\nmax_age: 1\n",
	    "no version field (RFC 8461 3.2: required; keys are case-sensitive)"),
	P_ERR("no-mode", "version: STSv1\nmax_age: 1\n", "no mode field"),
	P_ERR("no-max-age", "version: STSv1\nmode: none\n", "no max_age field"),
	P_ERR("no-mx-enforce", "version: STSv1\nmode: enforce\nmax_age: 1\n",
	    "no mx field in mode enforce"),
	P_ERR("no-mx-testing", "version: STSv1\nmode: testing\nmax_age: 1\n"
	    "MX: a.example\n", "no mx field in mode testing (RFC 8461 3.2: "
	    "required unless mode is none; keys are case-sensitive)"),
	P_ERR("bad-version", "version: STSv2\nmode: none\nmax_age: 1\n",
	    "line 1: version \"STSv2\" is not STSv1"),
	P_ERR("version-lower", "version: stsv1\n", "is not STSv1"),
	P_ERR("bad-mode", "version: STSv1\nmode: Enforce\n",
	    "line 2: mode \"Enforce\" is not enforce, testing or none"),
	P_ERR("mode-report", "mode: report\n", "mode \"report\""),
	P_ERR("max-age-neg", "max_age: -1\n", "max_age \"-1\" is not 1 to 10"),
	P_ERR("max-age-11", "max_age: 00000086400\n", "is not 1 to 10 digits"),
	P_ERR("max-age-big", "max_age: 9999999999\n",
	    "max_age 9999999999 is above 31557600"),
	P_ERR("max-age-over", "max_age: 31557601\n", "is above 31557600"),
	P_ERR("max-age-float", "max_age: 1.5\n", "not 1 to 10 digits"),
	P_ERR("max-age-empty", "max_age:\n", "line 1: max_age has no value"),
	P_ERR("max-age-inner-space", "max_age: 1 2\n", "not 1 to 10 digits"),
	P_ERR("mx-empty-label", "mx: a..example\n", "mx \"a..example\": empty label"),
	P_ERR("mx-trailing-dot", "mx: a.example.\n", "ends with '.'"),
	P_ERR("mx-inner-wildcard", "mx: a.*.example\n", "not a letter, digit"),
	P_ERR("mx-double-wildcard", "mx: *.*.example\n", "not a letter, digit"),
	P_ERR("mx-bare-star", "mx: *\n", "not a letter, digit"),
	P_ERR("mx-star-dot", "mx: *.\n", "mx \"*.\": empty"),
	P_ERR("mx-underscore", "mx: a_b.example\n", "not a letter, digit"),
	P_ERR("mx-hyphen-start", "mx: -a.example\n", "label starts with '-'"),
	P_ERR("mx-hyphen-end", "mx: a-.example\n", "label ends with '-'"),
	P_ERR("mx-hyphen-last", "mx: a.example-\n", "label ends with '-'"),
	P_ERR("mx-label-64", "mx: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa.example\n", "label longer than 63"),
	P_ERR("mx-space", "mx: a.example b.example\n", "not a letter, digit"),
	P_ERR("mx-no-value", "mx: \n", "line 1: mx has no value"),
	P_ERR("leading-space", " version: STSv1\n", "line 1: \" version: STSv1\" "
	    "is not \"key: value\""),
	P_ERR("space-before-colon", "version : STSv1\n", "is not \"key: value\""),
	P_ERR("no-colon", "version STSv1\n", "is not \"key: value\""),
	P_ERR("empty-key", ": x\n", "is not \"key: value\""),
	P_ERR("bad-key", "_x: 1\n", "is not \"key: value\""),
	P_ERR("long-key", "abcdefghijklmnopqrstuvwxyz0123456: 1\n",
	    "is not \"key: value\""),
	P_ERR("blank-line", "version: STSv1\n\nmode: none\n", "line 2: empty line"),
	P_ERR("trailing-blank", "version: STSv1\nmode: none\nmax_age: 1\n\n",
	    "line 4: empty line"),
	P_ERR("crlf-blank", "version: STSv1\r\n\r\n", "line 2: empty line"),
	P_ERR("bare-cr", "version: STSv1\rmode: none\n", "control byte 0x0d "
	    "(a CR not before LF)"),
	P_ERR("final-cr", "version: STSv1\nmode: none\nmax_age: 1\r",
	    "line 3: control byte 0x0d"),
	P_ERR("control", "version: STSv1\nx: a\x01z\n", "line 2: control byte 0x01"),
	P_ERR("del", "x: a\x7f\n", "control byte 0x7f"),
	P_ERR("escape", "x: \x1b[31m\n", "control byte 0x1b"),
	P_ERR("ext-empty", "foo:\n", "line 1: foo has no value"),
	P_ERR("ext-tab-inside", "foo: a\tb\n", "a TAB inside its value"),
	P_ERR("html", "<html><body>404</body></html>\n", "is not \"key: value\""),
	P_ERR("bom", "\xef\xbb\xbfversion: STSv1\n", "is not \"key: value\""),
	P_ERR("dup-still-syntax", "version: STSv1\nmode: none\nmax_age: 1\n"
	    "mode:\n", "line 4: mode has no value"),
	P_ERR("dup-mx-bad", "version: STSv1\nmode: enforce\nmax_age: 1\n"
	    "mx: a.example\nmx: bad..example\n", "line 5: mx"),
};

START_TEST(test_policy)
{
	const struct policy_vec	*v = &policy_vec[_i];
	struct mtasts_policy	 p;
	char			 err[256] = "", got[1024] = "";
	size_t			 i, len = v->len ? v->len : strlen(v->in);
	int			 rc;

	rc = mtasts_policy_parse(v->in, len, &p, err, sizeof(err));
	if (v->ok) {
		ck_assert_msg(rc == 0, "%s: got -1 (%s), want 0", v->name, err);
		ck_assert_int_eq(p.mode, v->mode);
		ck_assert_int_eq(p.max_age, v->max_age);
		for (i = 0; i < p.nmx; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", i ? " " : "", p.mx[i]);
		ck_assert_msg(strcmp(got, v->mx) == 0, "%s: mx \"%s\", want "
		    "\"%s\"", v->name, got, v->mx);
		ck_assert_uint_eq(p.nmx_dropped, 0);
	} else {
		ck_assert_msg(rc == -1, "%s: got %d, want -1", v->name, rc);
		ck_assert_msg(strstr(err, v->why) != NULL,
		    "%s: reason \"%s\", want \"%s\" in it", v->name, err, v->why);
		ck_assert_ptr_null(strchr(err, '\n'));
		/* nothing left allocated or set */
		ck_assert_uint_eq(p.nmx, 0);
		ck_assert_ptr_null(p.mx[0]);
	}
	mtasts_policy_clear(&p);
	ck_assert_uint_eq(p.nmx, 0);
}
END_TEST

/* bytes that cannot be written in a C string, and the size cap */
START_TEST(test_policy_bytes)
{
	static const char	 nul[] = "version: STSv1\nmode: n\0ne\nmax_age: 1\n";
	struct mtasts_policy	 p;
	char			 err[256];
	char			*big;

	ck_assert_int_eq(mtasts_policy_parse(nul, sizeof(nul) - 1, &p, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "line 2: NUL byte");
	ck_assert_int_eq(mtasts_policy_parse(NULL, 0, &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no version field"));

	big = malloc(MTASTS_POLICY_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', MTASTS_POLICY_MAX + 1);
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_MAX + 1, &p, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "policy of 65537 bytes, more than 65536");
	/* a 64 KiB line is read, and only QUOTE_MAX bytes of it quoted */
	ck_assert_int_eq(mtasts_policy_parse(big, MTASTS_POLICY_MAX, &p, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" "
	    "is not \"key: value\" with a key of 1 to 32 letters, digits, "
	    "\"_-.\" (RFC 8461 3.2)");
	free(big);
}
END_TEST

/* an mx pattern of 253 bytes (RFC 1035 2.3.4) is a name, 254 is not */
START_TEST(test_policy_long_mx)
{
	struct mtasts_policy	 p;
	char			 body[512], err[256], label[64];
	int			 n;

	memset(label, 'a', 63);
	label[63] = '\0';
	/* 3 labels of 63 and one of 61, with the dots: 253 */
	n = snprintf(body, sizeof(body), "version: STSv1\nmode: testing\n"
	    "max_age: 1\nmx: *.%s.%s.%s.%.61s\n", label, label, label, label);
	ck_assert_int_eq(mtasts_policy_parse(body, (size_t)n, &p, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(strlen(p.mx[0]), 2 + 253);
	mtasts_policy_clear(&p);
	n = snprintf(body, sizeof(body), "version: STSv1\nmode: testing\n"
	    "max_age: 1\nmx: %s.%s.%s.%.62s\n", label, label, label, label);
	ck_assert_int_eq(mtasts_policy_parse(body, (size_t)n, &p, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 253 bytes"));
	tlsrpt_clear(NULL);
}
END_TEST

/* more mx lines than MTASTS_MAX_MX: the rest counted, still checked */
START_TEST(test_policy_many_mx)
{
	struct mtasts_policy	 p;
	char			 body[8192], err[256];
	size_t			 n;
	int			 i;

	n = (size_t)snprintf(body, sizeof(body), "version: STSv1\nmode: enforce\n"
	    "max_age: 604800\n");
	for (i = 0; i < MTASTS_MAX_MX + 3; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		    "mx: MX%d.Example.NET\n", i);
	ck_assert_int_eq(mtasts_policy_parse(body, n, &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.nmx, MTASTS_MAX_MX);
	ck_assert_uint_eq(p.nmx_dropped, 3);
	ck_assert_str_eq(p.mx[0], "mx0.example.net");
	ck_assert_str_eq(p.mx[MTASTS_MAX_MX - 1], "mx63.example.net");
	ck_assert_str_eq(mtasts_policy_match(&p, "MX63.example.net."),
	    "mx63.example.net");
	ck_assert_ptr_null(mtasts_policy_match(&p, "mx64.example.net"));
	mtasts_policy_clear(&p);

	n += (size_t)snprintf(body + n, sizeof(body) - n, "mx: bad_.example\n");
	ck_assert_int_eq(mtasts_policy_parse(body, n, &p, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "line 71: mx \"bad_.example\""));
	ck_assert_uint_eq(p.nmx, 0);
	ck_assert_uint_eq(p.nmx_dropped, 0);
	mtasts_policy_clear(NULL);
}
END_TEST

/* ---- MX matching (RFC 8461 4.1) ---------------------------------------- */

struct match_vec {
	const char	*pattern, *mx;
	int		 want;
};

static const struct match_vec match_vec[] = {
	{ "mail.example.com", "mail.example.com", 1 },
	{ "mail.example.com", "MAIL.Example.COM", 1 },
	{ "mail.example.com", "mail.example.com.", 1 },
	{ "Mail.Example.com", "mail.example.com", 1 },
	{ "mail.example.com", "mail.example.com..", 0 },
	{ "mail.example.com", "mail.example.co", 0 },
	{ "mail.example.com", "xmail.example.com", 0 },
	{ "mail.example.com", "a.mail.example.com", 0 },
	{ "mail.example.com", "", 0 },
	{ "mail.example.com", ".", 0 },
	/* 4.1: "*." is exactly one leftmost label */
	{ "*.example.com", "mx.example.com", 1 },
	{ "*.example.com", "MX.EXAMPLE.COM.", 1 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", ".example.com", 0 },
	{ "*.example.com", "mx.example.com.evil", 0 },
	{ "*.example.com", "mxexample.com", 0 },
	{ "*.example.com", "mx.xexample.com", 0 },
	{ "*.mail.example.com", "mail.example.com", 0 },
	{ "*.mail.example.com", "a.mail.example.com", 1 },
	{ "*.example.com", "*.example.com", 1 },
	{ "example.com", "*.example.com", 0 },
	{ "*", "a", 0 },
	{ "*.", "a", 0 },
	{ "", "", 0 },
};

START_TEST(test_match)
{
	const struct match_vec	*v = &match_vec[_i];

	ck_assert_msg(mtasts_mx_match(v->pattern, v->mx) == v->want,
	    "\"%s\" vs \"%s\": got %d, want %d", v->pattern, v->mx,
	    !v->want, v->want);
}
END_TEST

START_TEST(test_match_null)
{
	ck_assert_int_eq(mtasts_mx_match(NULL, "a"), 0);
	ck_assert_int_eq(mtasts_mx_match("a", NULL), 0);
	ck_assert_ptr_null(mtasts_policy_match(NULL, "a"));
}
END_TEST

START_TEST(test_policy_match)
{
	static const char	 body[] = "version: STSv1\nmode: enforce\n"
	    "mx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n";
	struct mtasts_policy	 p;
	char			 err[128];

	ck_assert_int_eq(mtasts_policy_parse(body, sizeof(body) - 1, &p, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(mtasts_policy_match(&p, "mail.example.com."),
	    "mail.example.com");
	ck_assert_str_eq(mtasts_policy_match(&p, "MX1.example.NET"),
	    "*.example.net");
	ck_assert_ptr_null(mtasts_policy_match(&p, "example.net"));
	ck_assert_ptr_null(mtasts_policy_match(&p, "a.b.example.net"));
	ck_assert_ptr_null(mtasts_policy_match(&p, "mail.example.org"));
	mtasts_policy_clear(&p);
}
END_TEST

START_TEST(test_mode_name)
{
	ck_assert_str_eq(mtasts_mode_name(MTASTS_MODE_NONE), "none");
	ck_assert_str_eq(mtasts_mode_name(MTASTS_MODE_TESTING), "testing");
	ck_assert_str_eq(mtasts_mode_name(MTASTS_MODE_ENFORCE), "enforce");
	ck_assert_str_eq(mtasts_mode_name((enum mtasts_mode)7), "unknown");
}
END_TEST

/* ---- _smtp._tls TXT (RFC 8460 3) --------------------------------------- */

struct tlsrpt_vec {
	const char	*in;
	const char	*rua;	/* the URIs joined by " "; NULL: an error */
	const char	*why;
};

static const struct tlsrpt_vec tlsrpt_vec[] = {
	/* RFC 8460 3 examples */
	{ "v=TLSRPTv1;rua=mailto:reports@example.com",
	    "mailto:reports@example.com", NULL },
	{ "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
	    "https://reporting.example.com/v1/tlsrpt", NULL },
	{ "v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example."
	    "com/v1/tlsrpt", "mailto:reports@example.com https://reporting."
	    "example.com/v1/tlsrpt", NULL },
	{ "v=TLSRPTv1 ; rua=mailto:a@b.example , \tMAILTO:c%2Bd@e.example ; ",
	    "mailto:a@b.example MAILTO:c%2Bd@e.example", NULL },
	{ "v=TLSRPTv1; ext=1; rua=HTTPS://r.example/?a=b&c=d#f",
	    "HTTPS://r.example/?a=b&c=d#f", NULL },
	{ "v=TLSRPTv1; rua=mailto:a@x; rua=bogus", "mailto:a@x", NULL },
	{ "v=TLSRPTv1; rua=mailto:1@x,mailto:2@x,mailto:3@x,mailto:4@x,"
	    "mailto:5@x,mailto:6@x,mailto:7@x,mailto:8@x,mailto:9@x",
	    "mailto:1@x mailto:2@x mailto:3@x mailto:4@x mailto:5@x mailto:6@x "
	    "mailto:7@x mailto:8@x", NULL },
	{ "v=TLSRPTv2; rua=mailto:a@b", NULL, "does not begin with \"v=TLSRPTv1\"" },
	{ "rua=mailto:a@b", NULL, "does not begin" },
	{ "v=TLSRPTv1", NULL, "no rua= field" },
	{ "v=TLSRPTv1;", NULL, "no rua= field" },
	{ "v=TLSRPTv1; RUA=mailto:a@b", NULL, "no rua= field" },
	{ "v=TLSRPTv1; rua=", NULL, "rua URI \"\": empty" },
	{ "v=TLSRPTv1; rua=mailto:a@b,", NULL, "rua URI \"\": empty" },
	{ "v=TLSRPTv1; rua=mailto:a@b,,mailto:c@d", NULL, "empty" },
	{ "v=TLSRPTv1; rua=http://r.example/", NULL,
	    "\"http://r.example/\": not a mailto: or https:// URI" },
	{ "v=TLSRPTv1; rua=a@b.example", NULL, "not a mailto: or https://" },
	{ "v=TLSRPTv1; rua=mailto:", NULL, "not a mailto: or https://" },
	{ "v=TLSRPTv1; rua=mailto:ab.example", NULL, "without local-part@domain" },
	{ "v=TLSRPTv1; rua=mailto:@b.example", NULL, "without local-part@domain" },
	{ "v=TLSRPTv1; rua=mailto:a@", NULL, "without local-part@domain" },
	{ "v=TLSRPTv1; rua=https:///x", NULL, "without a host" },
	{ "v=TLSRPTv1; rua=https://", NULL, "not a mailto: or https://" },
	{ "v=TLSRPTv1; rua=mailto:a%2@b", NULL, "not followed by two hex" },
	{ "v=TLSRPTv1; rua=mailto:a%zz@b", NULL, "not followed by two hex" },
	{ "v=TLSRPTv1; rua=mailto:a\"b@c", NULL, "a byte that a URI cannot hold" },
	{ "v=TLSRPTv1; rua=mailto:a@b mailto:c@d", NULL,
	    "\"mailto:c@d\" where \",\" or \";\" should be" },
	{ "v=TLSRPTv1; rua=mailto:a@b ", NULL, "white space after the last" },
	{ "v=TLSRPTv1; rua=mailto:a@b; x", NULL, "field \"x\" has no \"=\"" },
	{ "v=TLSRPTv1; rua=mailto:a@b; x=a b", NULL, "tlsrpt-ext-value" },
	{ "v=TLSRPTv1; rua=mailto:a@b; -x=1", NULL, "bad field name" },
	{ "v=TLSRPTv1 rua=mailto:a@b", NULL, "where \";\" should be" },
};

START_TEST(test_tlsrpt)
{
	const struct tlsrpt_vec	*v = &tlsrpt_vec[_i];
	struct tlsrpt_record	 r;
	char			 err[256] = "", got[1024] = "";
	size_t			 i;
	int			 rc;

	rc = tlsrpt_parse(v->in, strlen(v->in), &r, err, sizeof(err));
	if (v->rua != NULL) {
		ck_assert_msg(rc == 0, "%s: got -1 (%s), want 0", v->in, err);
		for (i = 0; i < r.nrua; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", i ? " " : "", r.rua[i]);
		ck_assert_msg(strcmp(got, v->rua) == 0, "%s: rua \"%s\", want "
		    "\"%s\"", v->in, got, v->rua);
	} else {
		ck_assert_msg(rc == -1, "%s: got %d, want -1", v->in, rc);
		ck_assert_msg(strstr(err, v->why) != NULL,
		    "%s: reason \"%s\", want \"%s\" in it", v->in, err, v->why);
		ck_assert_msg(strstr(err, "RFC 8460 3") != NULL, "%s", err);
		ck_assert_uint_eq(r.nrua, 0);
		ck_assert_ptr_null(r.rua[0]);
	}
	tlsrpt_clear(&r);
	ck_assert_uint_eq(r.nrua, 0);
}
END_TEST

static Suite *
mtasts_suite(void)
{
	Suite	*s = suite_create("mtasts");
	TCase	*tc;

#define ADD_LOOP(name, fn, tab) do {					\
	tc = tcase_create(name);					\
	tcase_add_loop_test(tc, fn, 0, (int)nelem(tab));		\
	suite_add_tcase(s, tc);						\
} while (0)
	ADD_LOOP("txt", test_txt, txt_vec);
	ADD_LOOP("is", test_is, is_vec);
	ADD_LOOP("policy", test_policy, policy_vec);
	ADD_LOOP("match", test_match, match_vec);
	ADD_LOOP("tlsrpt", test_tlsrpt, tlsrpt_vec);
#undef ADD_LOOP
	tcase_add_test(tc = tcase_create("is_null"), test_is_null);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("policy_bytes"), test_policy_bytes);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("policy_long_mx"), test_policy_long_mx);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("policy_many_mx"), test_policy_many_mx);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("match_null"), test_match_null);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("policy_match"), test_policy_match);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("mode_name"), test_mode_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mtasts_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
