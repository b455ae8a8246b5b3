/* SPDX-License-Identifier: ISC */
/*
 * check_ehlo - unit tests for the EHLO response parser (RFC 5321 4.1.1.1,
 * 2.2.2; keyword bits for RFC 3207, 2920, 1985, 2645, 4954, 1870, 6152,
 * 2034, 3461, 6531, 3030, 8689).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ehlo.h"
#include "reply.h"
#include "util.h"

#define nelem(a)	(sizeof(a) / sizeof((a)[0]))

static struct smtp_reply	 rep;
static char			 big[REPLY_TEXT_CAP + 1];

static const struct smtp_reply *
mkreply(const char *text)
{
	memset(&rep, 0, sizeof(rep));
	rep.code = 250;
	rep.textlen = strlen(text);
	ck_assert(rep.textlen <= REPLY_TEXT_CAP);
	memcpy(rep.text, text, rep.textlen + 1);
	rep.nlines = 1;
	return &rep;
}

/* "NAME p1 p2|NAME2": every stored extension in order */
static void
dump(const struct ehlo_info *info, char *out, size_t size)
{
	size_t	 i, j, n = 0;

	out[0] = '\0';
	for (i = 0; i < info->nexts; i++) {
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
		    info->exts[i].name);
		ck_assert(n < size);
		for (j = 0; j < info->exts[i].nparams; j++) {
			n += (size_t)snprintf(out + n, size - n, " %s",
			    info->exts[i].params[j]);
			ck_assert(n < size);
		}
	}
}

struct evec {
	const char	*name;
	const char	*text;
	const char	*domain;	/* NULL: none */
	const char	*exts;		/* as dump() writes it */
	unsigned	 caps;
	int		 malformed;
	const char	*unparsed;	/* as dump_unparsed() writes them */
};

/* "line1|line2": the unparsed lines kept, raw */
static void
dump_unparsed(const struct ehlo_info *info, char *out, size_t size)
{
	size_t	 i, n = 0;

	out[0] = '\0';
	for (i = 0; i < info->nunparsed; i++) {
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
		    info->unparsed[i]);
		ck_assert(n < size);
	}
}

static void
check_evec(const struct evec *v)
{
	struct ehlo_info	 info;
	static char		 got[16384];

	memset(&info, 0xa5, sizeof(info));	/* ehlo_parse overwrites */
	ehlo_parse(mkreply(v->text), &info);
	if (v->domain == NULL)
		ck_assert_msg(info.domain == NULL, "%s: domain: got \"%s\", "
		    "want NULL", v->name, info.domain);
	else
		ck_assert_msg(info.domain != NULL &&
		    strcmp(info.domain, v->domain) == 0,
		    "%s: domain: got \"%s\", want \"%s\"", v->name,
		    info.domain ? info.domain : "(null)", v->domain);
	dump(&info, got, sizeof(got));
	ck_assert_msg(strcmp(got, v->exts) == 0,
	    "%s: extensions: got \"%s\", want \"%s\"", v->name, got, v->exts);
	ck_assert_msg(info.caps == v->caps, "%s: caps: got 0x%x, want 0x%x",
	    v->name, info.caps, v->caps);
	ck_assert_msg(info.malformed == v->malformed,
	    "%s: malformed: got %d, want %d", v->name, info.malformed,
	    v->malformed);
	ck_assert_msg(info.ndropped == 0, "%s: ndropped: got %zu, want 0",
	    v->name, info.ndropped);
	dump_unparsed(&info, got, sizeof(got));
	ck_assert_msg(strcmp(got, v->unparsed ? v->unparsed : "") == 0,
	    "%s: unparsed: got \"%s\", want \"%s\"", v->name, got,
	    v->unparsed ? v->unparsed : "");
	ehlo_info_free(&info);
	ck_assert_ptr_null(info.unparsed);
	ck_assert_ptr_null(info.exts);
	ck_assert_ptr_null(info.domain);
	ck_assert_uint_eq(info.nexts, 0);
}

#define POSTFIX_CAPS	(EXT_PIPELINING | EXT_SIZE | EXT_VRFY | EXT_ETRN | \
	EXT_STARTTLS | EXT_ENHANCEDSTATUSCODES | EXT_8BITMIME | EXT_DSN | \
	EXT_SMTPUTF8 | EXT_CHUNKING)

/* ---- real servers ----------------------------------------------------- */
static const struct evec server_vec[] = {
	{ "Postfix 3.7",
	    "mx.example.org\nPIPELINING\nSIZE 10240000\nVRFY\nETRN\nSTARTTLS\n"
	    "ENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8\nCHUNKING",
	    "mx.example.org",
	    "PIPELINING|SIZE 10240000|VRFY|ETRN|STARTTLS|ENHANCEDSTATUSCODES|"
	    "8BITMIME|DSN|SMTPUTF8|CHUNKING", POSTFIX_CAPS, 0, NULL },
	/* '_' is outside the RFC 5321 ehlo-keyword grammar; tolerated */
	{ "Exim 4.94 (X_PIPE_CONNECT)",
	    "mail.example.net Hello client.example [192.0.2.1]\nSIZE 52428800\n"
	    "8BITMIME\nPIPELINING\nX_PIPE_CONNECT\nAUTH PLAIN LOGIN\n"
	    "CHUNKING\nSTARTTLS\nHELP",
	    "mail.example.net",
	    "SIZE 52428800|8BITMIME|PIPELINING|X_PIPE_CONNECT|"
	    "AUTH PLAIN LOGIN|CHUNKING|STARTTLS|HELP", EXT_SIZE |
	    EXT_8BITMIME | EXT_PIPELINING | EXT_AUTH | EXT_CHUNKING |
	    EXT_STARTTLS | EXT_HELP, 0, NULL },
	{ "Exim 4.97 (PIPE_CONNECT)",
	    "mail.example.net Hello client.example [192.0.2.1]\nSIZE 52428800\n"
	    "LIMITS MAILMAX=1000 RCPTMAX=50000\n8BITMIME\nPIPELINING\n"
	    "PIPE_CONNECT\nCHUNKING\nSTARTTLS\nHELP",
	    "mail.example.net",
	    "SIZE 52428800|LIMITS MAILMAX=1000 RCPTMAX=50000|8BITMIME|"
	    "PIPELINING|PIPE_CONNECT|CHUNKING|STARTTLS|HELP", EXT_SIZE |
	    EXT_8BITMIME | EXT_PIPELINING | EXT_CHUNKING | EXT_STARTTLS |
	    EXT_HELP, 0, NULL },
	/* no name configured: "250- Hello [192.0.2.1]", no domain at all */
	{ "Exchange 2003, nameless",
	    " Hello [192.0.2.1]\nTURN\nSIZE\nETRN\nPIPELINING\nDSN\n"
	    "ENHANCEDSTATUSCODES\n8bitmime\nBINARYMIME\nCHUNKING\nVRFY\n"
	    "X-EXPS GSSAPI NTLM LOGIN\nX-EXPS=LOGIN\nAUTH GSSAPI NTLM LOGIN\n"
	    "AUTH=LOGIN\nX-LINK2STATE\nXEXCH50\nOK",
	    NULL,
	    "TURN|SIZE|ETRN|PIPELINING|DSN|ENHANCEDSTATUSCODES|8BITMIME|"
	    "BINARYMIME|CHUNKING|VRFY|X-EXPS GSSAPI NTLM LOGIN|"
	    "AUTH GSSAPI NTLM LOGIN|X-LINK2STATE|XEXCH50|OK", EXT_TURN |
	    EXT_SIZE | EXT_ETRN | EXT_PIPELINING | EXT_DSN |
	    EXT_ENHANCEDSTATUSCODES | EXT_8BITMIME | EXT_CHUNKING | EXT_VRFY |
	    EXT_AUTH, 0, NULL },
	{ "Exchange",
	    "EX01.corp.example Hello [192.0.2.9]\nSIZE 37748736\nPIPELINING\n"
	    "DSN\nENHANCEDSTATUSCODES\nSTARTTLS\nX-ANONYMOUSTLS\n"
	    "AUTH NTLM\nX-EXPS GSSAPI NTLM\n8BITMIME\nBINARYMIME\nCHUNKING\n"
	    "XEXCH50\nXRDST\nXSHADOWREQUEST",
	    "EX01.corp.example",
	    "SIZE 37748736|PIPELINING|DSN|ENHANCEDSTATUSCODES|STARTTLS|"
	    "X-ANONYMOUSTLS|AUTH NTLM|X-EXPS GSSAPI NTLM|8BITMIME|BINARYMIME|"
	    "CHUNKING|XEXCH50|XRDST|XSHADOWREQUEST",
	    EXT_SIZE | EXT_PIPELINING | EXT_DSN | EXT_ENHANCEDSTATUSCODES |
	    EXT_STARTTLS | EXT_AUTH | EXT_8BITMIME | EXT_CHUNKING, 0, NULL },
	{ "old sendmail with TURN and EXPN",
	    "old.example Hello x, pleased to meet you\nENHANCEDSTATUSCODES\n"
	    "EXPN\nVERB\n8BITMIME\nSIZE\nDSN\nONEX\nETRN\nXUSR\nHELP\nTURN",
	    "old.example",
	    "ENHANCEDSTATUSCODES|EXPN|VERB|8BITMIME|SIZE|DSN|ONEX|ETRN|XUSR|"
	    "HELP|TURN", EXT_ENHANCEDSTATUSCODES | EXT_EXPN | EXT_8BITMIME |
	    EXT_SIZE | EXT_DSN | EXT_ETRN | EXT_HELP | EXT_TURN, 0, NULL },
	{ "ODMR server", "odmr.example\nATRN\nAUTH CRAM-MD5\nREQUIRETLS",
	    "odmr.example", "ATRN|AUTH CRAM-MD5|REQUIRETLS",
	    EXT_ATRN | EXT_AUTH | EXT_REQUIRETLS, 0, NULL },
};

/* ---- keyword case, legacy AUTH=, duplicates --------------------------- */
static const struct evec keyword_vec[] = {
	{ "lowercase keywords", "host\nstarttls\nsize 1000\nAuth plain",
	    NULL, "STARTTLS|SIZE 1000|AUTH plain",
	    EXT_STARTTLS | EXT_SIZE | EXT_AUTH, 0, NULL },
	{ "AUTH=LOGIN alone", "h\nAUTH=LOGIN PLAIN", NULL, "AUTH LOGIN PLAIN",
	    EXT_AUTH, 0, NULL },
	{ "AUTH then AUTH= merged", "h\nAUTH PLAIN LOGIN\nAUTH=LOGIN PLAIN",
	    NULL, "AUTH PLAIN LOGIN", EXT_AUTH, 0, NULL },
	{ "AUTH= then AUTH merged",
	    "h\nAUTH=LOGIN\nAUTH LOGIN PLAIN CRAM-MD5", NULL,
	    "AUTH LOGIN PLAIN CRAM-MD5", EXT_AUTH, 0, NULL },
	{ "AUTH= with nothing", "h\nAUTH=", NULL, "AUTH", EXT_AUTH, 0, NULL },
	{ "duplicates merged", "h\nSIZE 1000\nsize 2000\nSIZE 1000\n"
	    "PIPELINING\npipelining", NULL, "SIZE 1000 2000|PIPELINING",
	    EXT_SIZE | EXT_PIPELINING, 0, NULL },
	{ "runs of spaces", "h\nSIZE   1000  \nX-A  b   c", NULL,
	    "SIZE 1000|X-A b c", EXT_SIZE, 0, NULL },
	{ "digits and dashes", "h\n8BITMIME\nX-LINK2STATE\n0-\nA-B-C x",
	    NULL, "8BITMIME|X-LINK2STATE|0-|A-B-C x", EXT_8BITMIME, 0, NULL },
	{ "raw bytes kept in params", "h\nXFOO a\x01" "b \xff\nSIZE 9\r",
	    NULL, "XFOO a\x01" "b \xff|SIZE 9\r", EXT_SIZE, 0, NULL },
	{ "near-miss names get no bit", "h\nSTARTTLSX\nXAUTH\nSTART-TLS",
	    NULL, "STARTTLSX|XAUTH|START-TLS", 0, 0, NULL },
};

/* ---- the first line, malformed lines ---------------------------------- */
static const struct evec line_vec[] = {
	{ "empty first line", "\nSTARTTLS", NULL, "STARTTLS", EXT_STARTTLS,
	    0, NULL },
	{ "blank first line", "   \nSTARTTLS", NULL, "STARTTLS",
	    EXT_STARTTLS, 0, NULL },
	{ "leading spaces before domain", "  mx.example hi", "mx.example",
	    "", 0, 0, NULL },
	{ "single-line reply", "mx.example Hello there", "mx.example", "", 0,
	    0, NULL },
	{ "nothing at all", "", NULL, "", 0, 0, NULL },
	{ "unparsed lines reported, not discarded",
	    "h\n-FOO\n\n FOO\n_Y\nFOO\tBAR\nGOOD\n=x\n\xff\nSIZE:10\nX_Y z",
	    NULL, "GOOD|X_Y z", 0, 8,
	    "-FOO|| FOO|_Y|FOO\tBAR|=x|\xff|SIZE:10" },
	{ "empty last line", "h\nSTARTTLS\n", NULL, "STARTTLS", EXT_STARTTLS,
	    1, "" },
	{ "only empty lines", "h\n\n\n", NULL, "", 0, 3, "||" },
};

/*
 * ---- the domain: a name or an address literal (RFC 5321 4.1.1.1,
 * 4.1.2, 2.3.5), else NULL -------------------------------------------
 */
#define A31	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"	/* 31 bytes */
static const struct evec domain_vec[] = {
	{ "Exchange 2003: \"250- Hello \"", " Hello ", NULL, "", 0, 0, NULL },
	{ "greeting word only: \"250-Hello \"", "Hello ", NULL, "", 0, 0, NULL },
	{ "single label", "localhost ESMTP", NULL, "", 0, 0, NULL },
	{ "address literal", "[192.0.2.1] hi", "[192.0.2.1]", "", 0, 0, NULL },
	{ "IPv6 address literal", "[IPv6:2001:db8::1]", "[IPv6:2001:db8::1]",
	    "", 0, 0, NULL },
	{ "empty address literal", "[] hi", NULL, "", 0, 0, NULL },
	{ "unclosed address literal", "[192.0.2.1 hi", NULL, "", 0, 0, NULL },
	{ "trailing root dot kept", "mx.example.com. hi", "mx.example.com.",
	    "", 0, 0, NULL },
	{ "underscore tolerated", "mx_1.corp.example", "mx_1.corp.example",
	    "", 0, 0, NULL },
	{ "empty label", "mx..example", NULL, "", 0, 0, NULL },
	{ "leading dot", ".example.com", NULL, "", 0, 0, NULL },
	{ "only a dot", ". hi", NULL, "", 0, 0, NULL },
	{ "bad byte", "mx.exa\x01mple", NULL, "", 0, 0, NULL },
	{ "UTF-8 is not a name here", "m\xc3\xbc.example", NULL, "", 0, 0,
	    NULL },
	{ "63-byte label", A31 A31 "a.example", A31 A31 "a.example", "", 0,
	    0, NULL },
	{ "64-byte label", A31 A31 "aa.example", NULL, "", 0, 0, NULL },
};

#define EVEC_TEST(tab)							\
	START_TEST(test_##tab)						\
	{								\
		check_evec(&tab[_i]);					\
	}								\
	END_TEST

EVEC_TEST(server_vec)
EVEC_TEST(keyword_vec)
EVEC_TEST(line_vec)
EVEC_TEST(domain_vec)

/* ---- caps: EHLO_MAX_EXTS, EHLO_MAX_PARAMS ----------------------------- */
START_TEST(test_ext_cap)
{
	struct ehlo_info	 info;
	size_t			 n = 0;
	int			 i;

	n += (size_t)snprintf(big + n, sizeof(big) - n, "h");
	for (i = 0; i < 299; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "\nX%d", i);
	/* after the cap: a repeat of a stored keyword, and STARTTLS */
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\nx5 p\nSTARTTLS");
	ck_assert(n < sizeof(big));
	ehlo_parse(mkreply(big), &info);
	ck_assert_msg(info.nexts == EHLO_MAX_EXTS, "nexts: got %zu, want %d",
	    info.nexts, EHLO_MAX_EXTS);
	ck_assert_msg(info.ndropped == 300 - EHLO_MAX_EXTS,
	    "ndropped: got %zu, want %d", info.ndropped, 300 - EHLO_MAX_EXTS);
	ck_assert_str_eq(info.exts[255].name, "X255");
	ck_assert_ptr_nonnull(ehlo_find(&info, "x5"));
	ck_assert_uint_eq(ehlo_find(&info, "X5")->nparams, 1);
	ck_assert_ptr_null(ehlo_find(&info, "X256"));
	/* dropped, but still advertised */
	ck_assert_ptr_null(ehlo_find(&info, "STARTTLS"));
	ck_assert_msg(info.caps == EXT_STARTTLS, "caps: got 0x%x, want 0x%x",
	    info.caps, EXT_STARTTLS);
	ehlo_info_free(&info);
}
END_TEST

static const struct {
	int	 nfirst;	/* params on "AUTH" */
	int	 nsecond;	/* new ones on a second "AUTH=" line */
	size_t	 want;
} pcap[] = {
	{ 31, 0, 31 }, { 32, 0, 32 }, { 33, 0, 32 }, { 40, 0, 32 },
	{ 30, 5, 32 }, { 0, 50, 32 }, { 10, 10, 20 },
};

START_TEST(test_param_cap)
{
	struct ehlo_info	 info;
	const struct ehlo_ext	*ext;
	size_t			 n = 0;
	int			 i;

	n += (size_t)snprintf(big + n, sizeof(big) - n, "h\nAUTH");
	for (i = 0; i < pcap[_i].nfirst; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, " M%d", i);
	n += (size_t)snprintf(big + n, sizeof(big) - n, "\nAUTH=M0");
	for (i = 0; i < pcap[_i].nsecond; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, " N%d", i);
	ck_assert(n < sizeof(big));
	ehlo_parse(mkreply(big), &info);
	ck_assert_uint_eq(info.nexts, 1);
	ext = ehlo_find(&info, "auth");
	ck_assert_ptr_nonnull(ext);
	ck_assert_msg(ext->nparams == pcap[_i].want,
	    "%d+%d: nparams: got %zu, want %zu", pcap[_i].nfirst,
	    pcap[_i].nsecond, ext->nparams, pcap[_i].want);
	ck_assert_str_eq(ext->params[0], "M0");
	ehlo_info_free(&info);
}
END_TEST

/* ---- ehlo_keyword_bit() ----------------------------------------------- */
static const struct {
	const char	*kw;
	unsigned	 bit;
} kbits[] = {
	{ "STARTTLS", EXT_STARTTLS }, { "starttls", EXT_STARTTLS },
	{ "StartTLS", EXT_STARTTLS }, { "PIPELINING", EXT_PIPELINING },
	{ "ETRN", EXT_ETRN }, { "ATRN", EXT_ATRN }, { "VRFY", EXT_VRFY },
	{ "EXPN", EXT_EXPN }, { "HELP", EXT_HELP }, { "AUTH", EXT_AUTH },
	{ "auth", EXT_AUTH }, { "SIZE", EXT_SIZE },
	{ "8BITMIME", EXT_8BITMIME }, { "8bitmime", EXT_8BITMIME },
	{ "ENHANCEDSTATUSCODES", EXT_ENHANCEDSTATUSCODES },
	{ "DSN", EXT_DSN }, { "SMTPUTF8", EXT_SMTPUTF8 },
	{ "CHUNKING", EXT_CHUNKING }, { "TURN", EXT_TURN },
	{ "REQUIRETLS", EXT_REQUIRETLS },
	{ "", 0 }, { NULL, 0 }, { "STARTTLS ", 0 }, { "XAUTH", 0 },
	{ "AUT", 0 }, { "X-EXPS", 0 }, { "BINARYMIME", 0 }, { "S\xc3\xaeZE", 0 },
};

START_TEST(test_keyword_bit)
{
	unsigned	 got = ehlo_keyword_bit(kbits[_i].kw);

	ck_assert_msg(got == kbits[_i].bit, "\"%s\": got 0x%x, want 0x%x",
	    kbits[_i].kw ? kbits[_i].kw : "(null)", got, kbits[_i].bit);
}
END_TEST

START_TEST(test_keyword_bits_all)
{
	unsigned	 all = 0, b;
	size_t		 i;

	for (i = 0; i < nelem(kbits); i++) {
		if (kbits[i].kw == NULL || kbits[i].bit == 0)
			continue;
		b = ehlo_keyword_bit(kbits[i].kw);
		all |= b;
	}
	ck_assert_msg(all == 0xffff, "bits covered: got 0x%x, want 0x%x", all,
	    0xffffu);
}
END_TEST

/* ---- ehlo_find() ------------------------------------------------------ */
static const struct {
	const char	*kw;
	const char	*want;	/* name found, or NULL */
} finds[] = {
	{ "AUTH", "AUTH" }, { "auth", "AUTH" }, { "Auth", "AUTH" },
	{ "x-exps", "X-EXPS" }, { "STARTTLS", "STARTTLS" },
	{ "SIZE", NULL }, { "", NULL }, { "AUT", NULL }, { "AUTHX", NULL },
	{ NULL, NULL },
};

START_TEST(test_find)
{
	struct ehlo_info	 info;
	const struct ehlo_ext	*ext;

	ehlo_parse(mkreply("h\nauth login\nX-EXPS NTLM\nSTARTTLS"), &info);
	ext = ehlo_find(&info, finds[_i].kw);
	if (finds[_i].want == NULL)
		ck_assert_msg(ext == NULL, "\"%s\": got %s, want NULL",
		    finds[_i].kw ? finds[_i].kw : "(null)",
		    ext ? ext->name : "");
	else
		ck_assert_msg(ext != NULL && strcmp(ext->name,
		    finds[_i].want) == 0, "\"%s\": got %s, want %s",
		    finds[_i].kw, ext ? ext->name : "NULL", finds[_i].want);
	ck_assert_ptr_null(ehlo_find(NULL, "AUTH"));
	ehlo_info_free(&info);
}
END_TEST

/* ---- AUTH mechanisms (RFC 4954 3, RFC 4422 3.1) ------------------------ */
static const struct {
	const char	*text;		/* EHLO reply text, lines split by \n */
	int		 offered;
	const char	*mechs;		/* joined by a space */
	size_t		 ninvalid;
	int		 cleartext;
} auths[] = {
	{ "mx\nAUTH PLAIN LOGIN", 1, "PLAIN LOGIN", 0, 1 },
	/* the pre-RFC 4954 form for old Outlook clients, alone and beside */
	{ "mx\nAUTH=LOGIN", 1, "LOGIN", 0, 1 },
	{ "mx\nAUTH=LOGIN PLAIN", 1, "LOGIN PLAIN", 0, 1 },
	{ "mx\nAUTH CRAM-MD5 PLAIN\nAUTH=LOGIN", 1, "CRAM-MD5 PLAIN LOGIN", 0, 1 },
	{ "mx\nAUTH=LOGIN\nAUTH LOGIN", 1, "LOGIN", 0, 1 },
	/* case-insensitive, kept once each, upper-cased */
	{ "mx\nauth plain Plain login", 1, "PLAIN LOGIN", 0, 1 },
	{ "mx\nAUTH SCRAM-SHA-256 XOAUTH2 GSSAPI", 1,
	  "SCRAM-SHA-256 XOAUTH2 GSSAPI", 0, 0 },
	{ "mx\nAUTH CRAM-MD5", 1, "CRAM-MD5", 0, 0 },
	/* AUTH with no mechanism: offered, nothing to use */
	{ "mx\nAUTH", 1, "", 0, 0 },
	/* not SASL names: too long, bad bytes, an '=' inside */
	{ "mx\nAUTH ABCDEFGHIJKLMNOPQRSTU PLAIN", 1, "PLAIN", 1, 1 },
	{ "mx\nAUTH ABCDEFGHIJKLMNOPQRST", 1, "ABCDEFGHIJKLMNOPQRST", 0, 0 },
	{ "mx\nAUTH P*AIN LOG\x1bIN =X", 1, "", 3, 0 },
	{ "mx\nAUTH=", 1, "", 0, 0 },
	/* no AUTH; a keyword that only starts like it */
	{ "mx\nSIZE 1000\nSTARTTLS", 0, "", 0, 0 },
	{ "mx\nAUTHX PLAIN", 0, "", 0, 0 },
	{ "mx", 0, "", 0, 0 },
};

START_TEST(test_auth)
{
	struct ehlo_info	 info;
	struct ehlo_auth	 a;
	char			 got[1024];
	size_t			 i, n = 0;

	ehlo_parse(mkreply(auths[_i].text), &info);
	memset(&a, 0xa5, sizeof(a));	/* ehlo_auth overwrites */
	ehlo_auth(&info, &a);
	got[0] = '\0';
	for (i = 0; i < a.nmechs; i++)
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s",
		    i ? " " : "", a.mechs[i]);
	ck_assert_msg(strcmp(got, auths[_i].mechs) == 0,
	    "\"%s\": mechs \"%s\", want \"%s\"", auths[_i].text, got,
	    auths[_i].mechs);
	ck_assert_int_eq(a.offered, auths[_i].offered);
	ck_assert_uint_eq(a.ninvalid, auths[_i].ninvalid);
	ck_assert_int_eq(a.cleartext, auths[_i].cleartext);
	ehlo_info_free(&info);
}
END_TEST

/* NULL info; AUTH past the keyword cap still counts as offered */
START_TEST(test_auth_edges)
{
	struct ehlo_info	 info;
	struct ehlo_auth	 a;

	ehlo_auth(NULL, &a);
	ck_assert_int_eq(a.offered, 0);
	ck_assert_uint_eq(a.nmechs, 0);
	memset(&info, 0, sizeof(info));
	info.caps = EXT_AUTH;
	ehlo_auth(&info, &a);
	ck_assert_int_eq(a.offered, 1);
	ck_assert_uint_eq(a.nmechs, 0);
	ck_assert_int_eq(a.cleartext, 0);
}
END_TEST

/* ---- lifetime --------------------------------------------------------- */
START_TEST(test_free)
{
	struct ehlo_info	 info;

	memset(&info, 0, sizeof(info));
	ehlo_info_free(&info);		/* zeroed: fine */
	ehlo_info_free(NULL);
	ehlo_parse(mkreply("h\nSIZE 1\nAUTH A B"), &info);
	ehlo_info_free(&info);
	ehlo_info_free(&info);		/* zeroed again by the first call */
	ehlo_parse(NULL, &info);
	ck_assert_ptr_null(info.domain);
	ck_assert_uint_eq(info.nexts, 0);
	ehlo_info_free(&info);
}
END_TEST

/* ---- ehlo_diff(): before and after STARTTLS (RFC 3207 4.2) ------------ */

/* "+NAME p|-NAME p|~NAME b1 b2>a1 a2": added, then removed, then changed */
static void
dump_ext(const struct ehlo_ext *e, char *out, size_t size, size_t *n)
{
	size_t	 j;

	*n += (size_t)snprintf(out + *n, size - *n, "%s", e->name);
	ck_assert(*n < size);
	for (j = 0; j < e->nparams; j++) {
		*n += (size_t)snprintf(out + *n, size - *n, " %s", e->params[j]);
		ck_assert(*n < size);
	}
}

static void
dump_diff(const struct ehlo_diff *d, char *out, size_t size)
{
	size_t	 i, n = 0;

	out[0] = '\0';
#define SEP(c) do {							\
	n += (size_t)snprintf(out + n, size - n, "%s%c", n ? "|" : "", c); \
	ck_assert(n < size);						\
} while (0)
	for (i = 0; i < d->nadded; i++) {
		SEP('+');
		dump_ext(d->added[i], out, size, &n);
	}
	for (i = 0; i < d->nremoved; i++) {
		SEP('-');
		dump_ext(d->removed[i], out, size, &n);
	}
	for (i = 0; i < d->nchanged; i++) {
		SEP('~');
		dump_ext(d->changed[i].before, out, size, &n);
		n += (size_t)snprintf(out + n, size - n, ">");
		ck_assert(n < size);
		dump_ext(d->changed[i].after, out, size, &n);
	}
#undef SEP
}

static const struct {
	const char	*name;
	const char	*before;	/* EHLO reply texts */
	const char	*after;
	const char	*want;		/* as dump_diff() writes it */
} diffs[] = {
	{ "Postfix: AUTH inside TLS only, STARTTLS gone",
	    "mx\nPIPELINING\nSIZE 10240000\nSTARTTLS\n8BITMIME",
	    "mx\nPIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\n8BITMIME",
	    "+AUTH PLAIN LOGIN|-STARTTLS" },
	{ "identical", "mx\nSIZE 1000\nSTARTTLS", "mx\nSIZE 1000\nSTARTTLS",
	    "" },
	{ "both empty", "mx", "mx", "" },
	{ "order of keywords does not matter",
	    "mx\nA\nB\nC", "mx\nC\nA\nB", "" },
	{ "order of params does not matter",
	    "mx\nAUTH PLAIN LOGIN", "mx\nAUTH LOGIN PLAIN", "" },
	{ "keyword case does not matter",
	    "mx\nsize 1000\nStartTLS", "mx\nSIZE 1000\nSTARTTLS", "" },
	{ "param value changed", "mx\nSIZE 1000", "mx\nSIZE 2000",
	    "~SIZE 1000>SIZE 2000" },
	{ "param case is significant", "mx\nAUTH plain", "mx\nAUTH PLAIN",
	    "~AUTH plain>AUTH PLAIN" },
	{ "param added to a bare keyword", "mx\nSIZE", "mx\nSIZE 1000",
	    "~SIZE>SIZE 1000" },
	{ "params dropped", "mx\nAUTH PLAIN LOGIN", "mx\nAUTH",
	    "~AUTH PLAIN LOGIN>AUTH" },
	{ "subset of params", "mx\nAUTH PLAIN", "mx\nAUTH PLAIN LOGIN",
	    "~AUTH PLAIN>AUTH PLAIN LOGIN" },
	{ "everything new", "mx", "mx\nAUTH X\nSIZE 1",
	    "+AUTH X|+SIZE 1" },
	{ "everything gone", "mx\nSTARTTLS\nVRFY", "mx",
	    "-STARTTLS|-VRFY" },
	{ "all three, in list order",
	    "mx\nSTARTTLS\nSIZE 1000\nVRFY\nETRN",
	    "mx\nETRN\nCHUNKING\nSIZE 2000\nAUTH PLAIN",
	    "+CHUNKING|+AUTH PLAIN|-STARTTLS|-VRFY|~SIZE 1000>SIZE 2000" },
	{ "legacy AUTH= merged on one side only",
	    "mx\nAUTH=LOGIN\nAUTH LOGIN PLAIN", "mx\nAUTH PLAIN LOGIN", "" },
};

START_TEST(test_diff)
{
	struct ehlo_info	 before, after;
	struct ehlo_diff	 d;
	char			 got[1024];

	ehlo_parse(mkreply(diffs[_i].before), &before);
	ehlo_parse(mkreply(diffs[_i].after), &after);
	memset(&d, 0xa5, sizeof(d));		/* ehlo_diff overwrites */
	ehlo_diff(&before, &after, &d);
	dump_diff(&d, got, sizeof(got));
	ck_assert_msg(strcmp(got, diffs[_i].want) == 0,
	    "%s: got \"%s\", want \"%s\"", diffs[_i].name, got,
	    diffs[_i].want);
	ck_assert_int_eq(ehlo_diff_empty(&d), diffs[_i].want[0] == '\0');
	ehlo_diff_free(&d);
	ck_assert_ptr_null(d.added);
	ck_assert_uint_eq(d.nchanged, 0);
	ehlo_info_free(&before);
	ehlo_info_free(&after);
}
END_TEST

/* NULL infos, unnamed entries and repeated keywords built by hand */
START_TEST(test_diff_edges)
{
	struct ehlo_info	 info, odd;
	struct ehlo_diff	 d;
	char			 got[256];
	struct ehlo_ext		 exts[4];
	char			*p1[] = { "1000" }, *p2[] = { "2000" };

	ehlo_parse(mkreply("mx\nSIZE 1000\nSTARTTLS"), &info);
	ehlo_diff(NULL, &info, &d);
	dump_diff(&d, got, sizeof(got));
	ck_assert_str_eq(got, "+SIZE 1000|+STARTTLS");
	ehlo_diff_free(&d);
	ehlo_diff(&info, NULL, &d);
	dump_diff(&d, got, sizeof(got));
	ck_assert_str_eq(got, "-SIZE 1000|-STARTTLS");
	ehlo_diff_free(&d);
	ehlo_diff(NULL, NULL, &d);
	ck_assert(ehlo_diff_empty(&d));
	ehlo_diff_free(&d);
	ehlo_diff_free(&d);			/* zeroed: fine */
	ehlo_diff_free(NULL);

	/* ehlo.c never stores these; the first SIZE counts, as in ehlo_find */
	memset(&odd, 0, sizeof(odd));
	memset(exts, 0, sizeof(exts));
	exts[0].name = NULL;
	exts[1].name = "size";
	exts[1].params = p2;
	exts[1].nparams = 1;
	exts[2].name = "SIZE";
	exts[2].params = p1;
	exts[2].nparams = 1;
	exts[3].name = "STARTTLS";
	odd.exts = exts;
	odd.nexts = nelem(exts);
	ehlo_diff(&info, &odd, &d);
	dump_diff(&d, got, sizeof(got));
	ck_assert_str_eq(got, "~SIZE 1000>size 2000");
	ehlo_diff_free(&d);
	ehlo_diff(&odd, &info, &d);
	dump_diff(&d, got, sizeof(got));
	ck_assert_str_eq(got, "~size 2000>SIZE 1000");
	ehlo_diff_free(&d);
	ehlo_info_free(&info);
}
END_TEST

/*
 * Hand-built lists far longer than ehlo_parse() makes: ehlo_diff() is
 * O(n log n), so 50000 keywords each side take milliseconds (a quadratic
 * diff would run into the test timeout).
 */
START_TEST(test_diff_large)
{
	enum { N = 50000 };
	struct ehlo_info	 before, after;
	struct ehlo_diff	 d;
	static char		*p1[] = { "1" }, *p2[] = { "2" };
	char			 name[32];
	size_t			 i;

	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	before.exts = xcalloc(N, sizeof(*before.exts));
	after.exts = xcalloc(N, sizeof(*after.exts));
	before.nexts = after.nexts = N;
	for (i = 0; i < N; i++) {
		/* after: the same names in reverse order, K0 -> K-NEW */
		snprintf(name, sizeof(name), "K%zu", i);
		before.exts[i].name = xstrdup(name);
		snprintf(name, sizeof(name), "k%zu", N - 1 - i);
		after.exts[i].name = xstrdup(N - 1 - i == 0 ? "K-NEW" : name);
		before.exts[i].params = p1;
		before.exts[i].nparams = 1;
		after.exts[i].params = N - 1 - i == 7 ? p2 : p1;
		after.exts[i].nparams = 1;
	}
	ehlo_diff(&before, &after, &d);
	ck_assert_uint_eq(d.nadded, 1);
	ck_assert_str_eq(d.added[0]->name, "K-NEW");
	ck_assert_uint_eq(d.nremoved, 1);
	ck_assert_str_eq(d.removed[0]->name, "K0");
	ck_assert_uint_eq(d.nchanged, 1);
	ck_assert_str_eq(d.changed[0].before->name, "K7");
	ck_assert_str_eq(d.changed[0].after->name, "k7");
	ehlo_diff_free(&d);
	for (i = 0; i < N; i++) {
		free(before.exts[i].name);
		free(after.exts[i].name);
	}
	free(before.exts);
	free(after.exts);
}
END_TEST

/* ---- from the wire: reply_feed() then ehlo_parse() -------------------- */
START_TEST(test_from_wire)
{
	static const char	 wire[] =
	    "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-AUTH=LOGIN\r\n250-auth PLAIN LOGIN\r\n250-STARTTLS\n"
	    "250 8BITMIME\r\n";
	struct reply_parser	 p;
	const struct smtp_reply	*r;
	struct ehlo_info	 info;
	char			 got[512];
	size_t			 used;

	reply_init(&p);
	ck_assert_int_eq(reply_feed(&p, wire, sizeof(wire) - 1, &used, &r),
	    REPLY_DONE);
	ck_assert_uint_eq(used, sizeof(wire) - 1);
	ehlo_parse(r, &info);
	ck_assert_str_eq(info.domain, "mx.example.org");
	dump(&info, got, sizeof(got));
	ck_assert_str_eq(got, "PIPELINING|SIZE 10240000|AUTH LOGIN PLAIN|"
	    "STARTTLS|8BITMIME");
	ck_assert_uint_eq(info.caps, EXT_PIPELINING | EXT_SIZE | EXT_AUTH |
	    EXT_STARTTLS | EXT_8BITMIME);
	ck_assert_int_eq(info.malformed, 0);
	ehlo_info_free(&info);
}
END_TEST

/*
 * ---- streaming: every line counts, also past the caps of reply.c -------
 * The server output goes through reply_feed(); each generator writes
 * the wire bytes into wire[] and returns their length.
 */
static char	 wire[64 * 1024];

/* append "250-TEXT\r\n" (or "250 TEXT\r\n" when last) */
static size_t
wline(size_t n, int last, const char *text)
{
	int	 k;

	k = snprintf(wire + n, sizeof(wire) - n, "250%c%s\r\n",
	    last ? ' ' : '-', text);
	ck_assert(k > 0 && (size_t)k < sizeof(wire) - n);
	return n + (size_t)k;
}

/*
 * 200 legal lines (9.5 kB), the last one STARTTLS; with junk, every
 * tenth line is unparsed (a leading space)
 */
static size_t
gen_200_lines(int junk)
{
	char	 kw[64];
	size_t	 n = wline(0, 0, "mx.example.org Hello");
	int	 i;

	for (i = 1; i < 199; i++) {
		snprintf(kw, sizeof(kw), junk && i % 10 == 0 ?
		    " junk line %03d, not a keyword line" :
		    "X-JUNK-KEYWORD-%03d PARAM-ONE PARAM-TWO PARAM-3", i);
		n = wline(n, 0, kw);
	}
	return wline(n, 1, "STARTTLS");
}
static size_t gen_200(void) { return gen_200_lines(0); }
static size_t gen_200_junk(void) { return gen_200_lines(1); }

/* a 5000-byte line (past REPLY_LINE_CAP) before STARTTLS */
static size_t
gen_long_line(void)
{
	static char	 kw[5001];
	size_t		 n = wline(0, 0, "mx.example.org");

	memset(kw, 'K', sizeof(kw) - 1);
	n = wline(n, 0, kw);
	memcpy(kw, "SIZE ", 5);		/* a keyword with a 4995-byte param */
	n = wline(n, 0, kw);
	return wline(n, 1, "STARTTLS");
}

/* lines cut at REPLY_LINE_CAP fill the text; STARTTLS comes after it */
static size_t
gen_long_lines_cap(void)
{
	static char	 kw[1501];
	size_t		 n = wline(0, 0, "mx.example.org");
	int		 i;

	memset(kw, 'p', sizeof(kw) - 1);
	memcpy(kw, "X-LONG ", 7);
	for (i = 0; i < 9; i++)
		n = wline(n, 0, kw);
	memcpy(kw, "STARTTLS ", 9);	/* itself cut at the line cap */
	return wline(n, 1, kw);
}

/* REPLY_MAX_LINES lines, the last one STARTTLS: the most allowed */
static size_t
gen_max_lines(void)
{
	size_t	 n = wline(0, 0, "mx.example.org");
	int	 i;

	for (i = 2; i < REPLY_MAX_LINES; i++)
		n = wline(n, 0, "X");
	return wline(n, 1, "STARTTLS");
}

static const struct {
	const char	*name;
	size_t		(*gen)(void);
	unsigned	 caps;
	size_t		 nexts;		/* distinct keywords stored */
	size_t		 ndropped;	/* keyword lines not stored */
	int		 malformed;	/* unparsed lines, stored or not */
	size_t		 nunparsed;	/* of them, kept raw */
	int		 stored;	/* STARTTLS is in exts */
} streams[] = {
	/* 20 + 173 * 47 bytes of text: lines 175..200 are not stored */
	{ "200 lines, STARTTLS past the text cap", gen_200, EXT_STARTTLS,
	    173, 26, 0, 0, 0 },
	/* text: 161 keyword and 17 junk lines; after it 19 and 2 */
	{ "unparsed lines past the text cap", gen_200_junk, EXT_STARTTLS,
	    161, 19, 19, EHLO_MAX_UNPARSED, 0 },
	{ "STARTTLS after a line over the line cap", gen_long_line,
	    EXT_STARTTLS | EXT_SIZE, 3, 0, 0, 0, 1 },
	/* 14 + 8 * 1021 bytes of text: the 9th X-LONG and STARTTLS left */
	{ "STARTTLS cut at the line cap, past the text cap",
	    gen_long_lines_cap, EXT_STARTTLS, 1, 2, 0, 0, 0 },
	/* 14 + 4089 * 2 bytes of text: 5 "X" and STARTTLS left */
	{ "STARTTLS as line REPLY_MAX_LINES", gen_max_lines, EXT_STARTTLS, 1,
	    6, 0, 0, 0 },
};

START_TEST(test_stream)
{
	struct reply_parser	 p;
	const struct smtp_reply	*r = NULL;
	struct ehlo_info	 info;
	size_t			 len, used;

	/* every split gives the same reply: check_reply tests that */
	len = streams[_i].gen();
	reply_init(&p);
	ck_assert_int_eq(reply_feed(&p, wire, len, &used, &r), REPLY_DONE);
	ck_assert_uint_eq(used, len);
	ehlo_parse(r, &info);
	ck_assert_str_eq(info.domain, "mx.example.org");
	ck_assert_msg(info.caps == streams[_i].caps &&
	    info.nexts == streams[_i].nexts &&
	    info.ndropped == streams[_i].ndropped &&
	    info.malformed == streams[_i].malformed &&
	    info.nunparsed == streams[_i].nunparsed,
	    "%s: got caps 0x%x, nexts %zu, ndropped %zu, malformed %d, "
	    "nunparsed %zu; want 0x%x, %zu, %zu, %d, %zu", streams[_i].name,
	    info.caps, info.nexts, info.ndropped, info.malformed,
	    info.nunparsed, streams[_i].caps, streams[_i].nexts,
	    streams[_i].ndropped, streams[_i].malformed,
	    streams[_i].nunparsed);
	ck_assert_int_eq(ehlo_find(&info, "STARTTLS") != NULL,
	    streams[_i].stored);
	ehlo_info_free(&info);
}
END_TEST

static Suite *
ehlo_suite(void)
{
	Suite	*s = suite_create("ehlo");
	TCase	*tc;

#define ADD_LOOP(label, fn, tab) do {					\
	tc = tcase_create(label);					\
	tcase_add_loop_test(tc, fn, 0, (int)nelem(tab));		\
	suite_add_tcase(s, tc);						\
} while (0)
	ADD_LOOP("servers", test_server_vec, server_vec);
	ADD_LOOP("keywords", test_keyword_vec, keyword_vec);
	ADD_LOOP("lines", test_line_vec, line_vec);
	ADD_LOOP("domain", test_domain_vec, domain_vec);
	ADD_LOOP("param_cap", test_param_cap, pcap);
	ADD_LOOP("keyword_bit", test_keyword_bit, kbits);
	ADD_LOOP("find", test_find, finds);
	ADD_LOOP("diff", test_diff, diffs);
	ADD_LOOP("stream", test_stream, streams);
	ADD_LOOP("auth", test_auth, auths);
#undef ADD_LOOP
	tcase_add_test(tc = tcase_create("ext_cap"), test_ext_cap);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("keyword_bits_all"),
	    test_keyword_bits_all);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("free"), test_free);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("from_wire"), test_from_wire);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("diff_edges"), test_diff_edges);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("diff_large"), test_diff_large);
	suite_add_tcase(s, tc);
	tcase_add_test(tc = tcase_create("auth_edges"), test_auth_edges);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ehlo_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
