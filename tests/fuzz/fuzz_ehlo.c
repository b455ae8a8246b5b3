/* SPDX-License-Identifier: ISC */
/*
 * fuzz_ehlo - ehlo_parse(), ehlo_auth() and ehlo_diff() on hostile EHLO
 * replies.
 *
 * The input is server output: it goes through reply_feed() (all of it,
 * reset after REPLY_ERROR, a final CRLF added if a reply is left open),
 * and every complete reply is parsed as an EHLO response.  Each one is
 * diffed against a fixed Postfix-like EHLO (both ways), against itself
 * and against the previous reply of the input.  Everything is freed:
 * LeakSanitizer checks ehlo_info_free() and ehlo_diff_free().
 *
 * Oracles: the limits of ehlo.h (EHLO_MAX_EXTS, EHLO_MAX_PARAMS,
 * EHLO_MAX_UNPARSED), keywords stored upper-cased and well-formed ('_'
 * tolerated), params non-empty and without SP, caps covering every stored
 * keyword's bit and every keyword past the reply's text cap, every line
 * after the first counted once (stored, dropped or unparsed), a domain
 * that is a name, a reply diffed with itself is empty, and a diff only
 * points into its two inputs.
 */
#include "config.h"

#include <string.h>

#include "ehlo.h"
#include "reply.h"
#include "fuzz.h"

static const char fixed_ehlo[] =
	"250-mx.example.com\r\n"
	"250-PIPELINING\r\n"
	"250-SIZE 10240000\r\n"
	"250-VRFY\r\n"
	"250-ETRN\r\n"
	"250-STARTTLS\r\n"
	"250-AUTH PLAIN LOGIN\r\n"
	"250-AUTH=PLAIN LOGIN\r\n"
	"250-ENHANCEDSTATUSCODES\r\n"
	"250-8BITMIME\r\n"
	"250-DSN\r\n"
	"250-SMTPUTF8\r\n"
	"250 CHUNKING\r\n";

static int
ext_in(const struct ehlo_info *info, const struct ehlo_ext *e)
{
	return info != NULL && info->nexts > 0 && e >= info->exts &&
	    e < info->exts + info->nexts;
}

static void
check_info(const struct ehlo_info *info, const struct smtp_reply *r)
{
	size_t	 i, j, k;

	FUZZ_CHECK(info->nexts <= EHLO_MAX_EXTS);
	FUZZ_CHECK(info->nexts == 0 || info->exts != NULL);
	FUZZ_CHECK(info->malformed >= 0);
	FUZZ_CHECK(info->nunparsed <= EHLO_MAX_UNPARSED);
	FUZZ_CHECK(info->nunparsed <= (size_t)info->malformed);
	for (i = 0; i < info->nunparsed; i++)
		FUZZ_CHECK(info->unparsed[i] != NULL &&
		    strchr(info->unparsed[i], '\n') == NULL &&
		    ehlo_scan_line(info->unparsed[i],
		    strlen(info->unparsed[i]), NULL) == 0);
	if (r != NULL) {
		/* nothing past the text cap is lost */
		FUZZ_CHECK((info->caps & r->unstored.caps) == r->unstored.caps);
		FUZZ_CHECK(info->ndropped >= (size_t)r->unstored.nkeywords);
		/* each line after the first: a keyword line or unparsed */
		FUZZ_CHECK(info->nexts + info->ndropped +
		    (size_t)info->malformed <= (size_t)r->nlines - 1);
		FUZZ_CHECK(info->ndropped + (size_t)info->malformed <=
		    (size_t)r->nlines - 1);
	}
	if (info->domain != NULL) {
		FUZZ_CHECK(info->domain[0] != '\0');
		FUZZ_CHECK(strchr(info->domain, ' ') == NULL);
		FUZZ_CHECK(strchr(info->domain, '\n') == NULL);
		FUZZ_CHECK(info->domain[0] == '[' ||
		    strchr(info->domain, '.') != NULL);
	}
	for (i = 0; i < info->nexts; i++) {
		const struct ehlo_ext	*e = &info->exts[i];
		const char		*c;

		FUZZ_CHECK(e->name != NULL && e->name[0] != '\0');
		FUZZ_CHECK((e->name[0] >= 'A' && e->name[0] <= 'Z') ||
		    (e->name[0] >= '0' && e->name[0] <= '9'));
		for (c = e->name; *c != '\0'; c++)
			FUZZ_CHECK((*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_');
		FUZZ_CHECK((info->caps & ehlo_keyword_bit(e->name)) ==
		    ehlo_keyword_bit(e->name));
		/* keywords are distinct: a repeat is merged into the first */
		FUZZ_CHECK(ehlo_find(info, e->name) == e);
		FUZZ_CHECK(e->nparams <= EHLO_MAX_PARAMS);
		FUZZ_CHECK(e->nparams == 0 || e->params != NULL);
		for (j = 0; j < e->nparams; j++) {
			FUZZ_CHECK(e->params[j] != NULL && e->params[j][0] != '\0');
			FUZZ_CHECK(strchr(e->params[j], ' ') == NULL);
			FUZZ_CHECK(strchr(e->params[j], '\n') == NULL);
			for (k = 0; k < j; k++)	/* no duplicates */
				FUZZ_CHECK(strcmp(e->params[j], e->params[k]) != 0);
		}
	}
}

/* AUTH mechanisms: SASL names only (RFC 4422 3.1), each once, bounded */
static void
check_auth(const struct ehlo_info *info)
{
	struct ehlo_auth	 a;
	const char		*c;
	size_t			 i, j;
	int			 cleartext = 0;

	ehlo_auth(info, &a);
	FUZZ_CHECK(a.nmechs <= EHLO_MAX_PARAMS);
	FUZZ_CHECK(a.offered == ((info->caps & EXT_AUTH) != 0));
	for (i = 0; i < a.nmechs; i++) {
		FUZZ_CHECK(strlen(a.mechs[i]) >= 1 &&
		    strlen(a.mechs[i]) <= SASL_MECH_MAX);
		for (c = a.mechs[i]; *c != '\0'; c++)
			FUZZ_CHECK((*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_');
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(a.mechs[i], a.mechs[j]) != 0);
		if (strcmp(a.mechs[i], "PLAIN") == 0 ||
		    strcmp(a.mechs[i], "LOGIN") == 0)
			cleartext = 1;
	}
	FUZZ_CHECK(a.cleartext == cleartext);
}

static void
check_diff(const struct ehlo_info *before, const struct ehlo_info *after)
{
	struct ehlo_diff	 d;
	size_t			 i;

	ehlo_diff(before, after, &d);
	FUZZ_CHECK(d.nadded <= (after ? after->nexts : 0));
	FUZZ_CHECK(d.nremoved <= (before ? before->nexts : 0));
	FUZZ_CHECK(d.nchanged <= (before ? before->nexts : 0));
	for (i = 0; i < d.nadded; i++) {
		FUZZ_CHECK(ext_in(after, d.added[i]));
		FUZZ_CHECK(ehlo_find(before, d.added[i]->name) == NULL);
	}
	for (i = 0; i < d.nremoved; i++) {
		FUZZ_CHECK(ext_in(before, d.removed[i]));
		FUZZ_CHECK(ehlo_find(after, d.removed[i]->name) == NULL);
	}
	for (i = 0; i < d.nchanged; i++) {
		FUZZ_CHECK(ext_in(before, d.changed[i].before));
		FUZZ_CHECK(ext_in(after, d.changed[i].after));
	}
	if (before == after)
		FUZZ_CHECK(ehlo_diff_empty(&d));
	ehlo_diff_free(&d);
	FUZZ_CHECK(d.added == NULL && d.nadded == 0);
}

static void
parse_fixed(struct ehlo_info *info)
{
	struct reply_parser	 p;
	const struct smtp_reply	*r;

	reply_init(&p);
	FUZZ_CHECK(reply_feed(&p, fixed_ehlo, sizeof(fixed_ehlo) - 1, NULL,
	    &r) == REPLY_DONE);
	ehlo_parse(r, info);
}

/* one complete reply: parse, check, diff; keeps it as *prev */
static void
one_reply(const struct smtp_reply *r, const struct ehlo_info *fixed,
    struct ehlo_info *prev, int *have_prev)
{
	struct ehlo_info	 info;

	ehlo_parse(r, &info);
	check_info(&info, r);
	check_auth(&info);
	check_diff(fixed, &info);
	check_diff(&info, fixed);
	check_diff(&info, &info);
	check_diff(&info, NULL);
	check_diff(NULL, &info);
	if (*have_prev) {
		check_diff(prev, &info);
		ehlo_info_free(prev);
	}
	*prev = info;
	*have_prev = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_parser	 p;
	const struct smtp_reply	*r;
	struct ehlo_info	 fixed, prev;
	const char		*buf = (const char *)data;
	size_t			 off = 0, used;
	int			 rc, have_prev = 0;

	parse_fixed(&fixed);
	check_info(&fixed, NULL);
	memset(&prev, 0, sizeof(prev));
	ehlo_parse(NULL, &prev);	/* NULL reply: an empty info */
	FUZZ_CHECK(prev.nexts == 0 && prev.domain == NULL);

	reply_init(&p);
	while (off < size) {
		rc = reply_feed(&p, buf + off, size - off, &used, &r);
		off += used;
		if (rc == REPLY_DONE)
			one_reply(r, &fixed, &prev, &have_prev);
		else if (rc == REPLY_ERROR)
			reply_init(&p);
		if (used == 0)
			break;
	}
	/* a reply left open at the end of the input: close it */
	if (reply_pending(&p) &&
	    reply_feed(&p, "\r\n", 2, &used, &r) == REPLY_DONE)
		one_reply(r, &fixed, &prev, &have_prev);

	ehlo_info_free(&prev);
	ehlo_info_free(&fixed);
	FUZZ_CHECK(fixed.exts == NULL && fixed.nexts == 0);
	ehlo_info_free(NULL);
	return 0;
}
