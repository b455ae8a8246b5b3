/* SPDX-License-Identifier: ISC */
/*
 * fuzz_record - the JSON Lines writer (report_json_target_line(),
 * src/report_json.c over jsonbuild.c and jsonwrite.c) against the jansson
 * tree of the same record (report_json_target()), on hostile server bytes.
 *
 * The input is server output: it goes through reply_feed() (all of it,
 * reset after REPLY_ERROR, a final CRLF added if a reply is left open),
 * and the complete replies, in order, are one session's, filled in as
 * probe.c records them: the banner, the EHLO reply (parsed when 250),
 * the EHLO reply inside TLS (the handshake counted as done; parsed, and
 * diffed with the first, when 250), then VRFY (with its control probe
 * when codes_needs_control() asks for one), EXPN, TURN and QUIT.  The
 * target is a domain whose one MX is named by the first reply's text
 * (raw bytes, as hostile as they come), the transcript is the raw input
 * (NUL bytes included) and one finding quotes the first reply's text.
 * Missing replies leave those parts empty.
 *
 * Oracles: the tree encodes (json_dumps(JSON_COMPACT) does not fail on
 * it: every string made valid UTF-8), and the line is byte for byte that
 * text (report.h's promise), one line without a newline, that parses
 * back (json_loadb()) to a value json_equal() to the tree.  The line is
 * written three times in a row and compared each time: jsonwrite keeps a
 * string it has seen twice (the second call) and copies it from its
 * cache from then on (the third).  Everything is freed: LeakSanitizer
 * checks result_target_free() and the writers.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codes.h"
#include "ehlo.h"
#include "reply.h"
#include "report.h"
#include "result.h"
#include "util.h"
#include "fuzz.h"

/* banner, EHLO, EHLO in TLS, VRFY, its control, EXPN, TURN, QUIT */
#define NREPLIES	8

/* 2026-11-29T08:30:00.123Z, as the unit tests' fixtures */
#define FIXED_SEC	1795941000
#define FIXED_NSEC	123000000L

#define MX_ADDRESS	"192.0.2.10"

static struct smtp_reply	 replies[NREPLIES];

/* the next reply of the session, or NULL when the input has no more */
static const struct smtp_reply *
next_reply(size_t n, size_t *i)
{
	return *i < n ? &replies[(*i)++] : NULL;
}

/* as probe_record() keeps a reply */
static void
record(struct host_result *h, struct reply_rec *rec,
    const struct smtp_reply *r, long ms)
{
	result_reply_set(rec, r->code, r->enhanced, r->text, r->textlen,
	    r->flags, ms);
	h->flags |= r->flags;
}

/* what the server offers now: the EHLO inside TLS replaces the first */
static unsigned
caps(const struct host_result *h)
{
	return h->tls.have_ehlo_after ? h->tls.ehlo_after.caps :
	    h->ehlo.info.caps;
}

/* the commands, each with the next reply, as probe.c's PROBE_S_CMD */
static void
commands(struct host_result *h, size_t n, size_t *i)
{
	static const char	*verbs[] = { "VRFY", "EXPN", "TURN" };
	static const char	*args[] = { "postmaster", "postmaster", NULL };
	const struct smtp_reply	*r;
	struct cmd_result	*c;
	size_t			 k;

	for (k = 0; k < nitems(verbs) && (r = next_reply(n, i)) != NULL; k++) {
		c = result_host_add_cmd(h);
		snprintf(c->verb, sizeof(c->verb), "%s", verbs[k]);
		c->arg = args[k] != NULL ? xstrdup(args[k]) : NULL;
		c->in_tls = h->tls.ok;
		c->advertised = (caps(h) & ehlo_keyword_bit(verbs[k])) != 0;
		record(h, &c->reply, r, 4);
		c->status = codes_status(c->verb, r->code, r->enhanced);
		c->advice = codes_advice(c->verb, c->status, caps(h));
		if (!codes_needs_control(c->verb, c->status) ||
		    (r = next_reply(n, i)) == NULL)
			continue;
		/* VRFY's control probe (probe_control_arg(), PROBE_S_CONTROL) */
		c->control.sent = 1;
		c->control.arg = xstrdup("smtpprobe-k3x9q2m7z1w5@example.com");
		record(h, &c->control.reply, r, 3);
		c->control.status = codes_status(c->verb, r->code, r->enhanced);
		c->status = codes_verdict(c->verb, c->reply.code,
		    c->reply.enhanced, r->code, r->enhanced);
		c->advice = codes_advice(c->verb, c->status, caps(h));
	}
}

static struct target_result *
build(const uint8_t *data, size_t size, size_t n)
{
	struct target_result	*t;
	struct host_result	*h;
	struct mx_rec		*m;
	const struct smtp_reply	*r;
	char			*mxname;
	size_t			 i = 0;

	t = result_target_new("example.com");
	t->kind = TARGET_DOMAIN;
	t->name = xstrdup("example.com");
	t->started.tv_sec = FIXED_SEC;
	t->started.tv_nsec = FIXED_NSEC;
	t->duration_ms = 842;

	/* the MX host: the first reply's text, raw (a C string: no NUL in it) */
	mxname = n > 0 ? xstrndup(replies[0].text, replies[0].textlen) :
	    xstrdup("mx.example.com");
	t->dns.queried = 1;
	t->dns.rcode = xstrdup("NOERROR");
	t->dns.mx = xcalloc(1, sizeof(*t->dns.mx));
	t->dns.nmx = 1;
	m = &t->dns.mx[0];
	m->preference = 10;
	m->host = xstrdup(mxname);
	m->addrs = xcalloc(1, sizeof(*m->addrs));
	m->addrs[m->naddrs++] = xstrdup(MX_ADDRESS);

	h = result_add_host(t);
	h->mx = mxname;
	h->preference = 10;
	result_host_add_mxref(h, 10, mxname);
	snprintf(h->address, sizeof(h->address), "%s", MX_ADDRESS);
	h->family = AF_INET;
	h->port = 25;
	h->connect.ok = 1;
	h->connect.ms = 12;
	h->duration_ms = 230;

	if ((r = next_reply(n, &i)) != NULL)
		record(h, &h->banner, r, 31);
	if ((r = next_reply(n, &i)) != NULL) {
		record(h, &h->ehlo.reply, r, 9);
		if (r->code == 250) {
			ehlo_parse(r, &h->ehlo.info);
			h->tls.offered =
			    (h->ehlo.info.caps & EXT_STARTTLS) != 0;
		}
	}
	if ((r = next_reply(n, &i)) != NULL) {
		/* STARTTLS accepted, the handshake done (tls_facts()) */
		h->tls.offered = 1;
		h->tls.attempted = 1;
		result_reply_set(&h->tls.starttls, 220, "2.0.0",
		    "2.0.0 Ready to start TLS", 24, 0, 2);
		h->tls.ok = 1;
		h->tls.handshake_ms = 18;
		h->tls.version = xstrdup("TLSv1.3");
		h->tls.cipher = xstrdup("TLS_AES_256_GCM_SHA384");
		h->tls.group = xstrdup("X25519");
		record(h, &h->tls.ehlo_after_reply, r, 7);
		if (r->code == 250) {
			ehlo_parse(r, &h->tls.ehlo_after);
			h->tls.have_ehlo_after = 1;
		}
	}
	commands(h, n, &i);
	if ((r = next_reply(n, &i)) != NULL)
		record(h, &h->quit, r, 1);

	/* -v: the dialogue as it came, one element a line */
	if (size > 0) {
		h->transcript = xmalloc(size);
		memcpy(h->transcript, data, size);
		h->transcript_len = size;
	}
	if (n > 0)
		result_add_finding(t, SEV_LOW, "fuzz-reply", h->mx, h->address,
		    "%s", replies[0].text);
	return t;
}

/* the line, once more, against the tree and its compact text */
static void
check_line(const struct target_result *t, json_t *tree, const char *want)
{
	const char	*line;
	json_t		*back;
	size_t		 len, wlen = strlen(want), k;
	int		 same;

	line = report_json_target_line(t, &len);
	FUZZ_CHECK(line != NULL);
	same = len == wlen && memcmp(line, want, len) == 0;
	if (!same) {
		for (k = 0; k < len && k < wlen && line[k] == want[k]; k++)
			;
		fprintf(stderr, "fuzz_record: line (%zu octets) and tree (%zu) "
		    "differ at octet %zu:\n line %.*s\n tree %.*s\n", len, wlen,
		    k, (int)(len - k < 200 ? len - k : 200), line + k,
		    (int)(wlen - k < 200 ? wlen - k : 200), want + k);
	}
	FUZZ_CHECK(len == wlen && memcmp(line, want, len) == 0);
	FUZZ_CHECK(memchr(line, '\n', len) == NULL);
	back = json_loadb(line, len, 0, NULL);
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(json_equal(back, tree));
	json_decref(back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_parser	 p;
	const struct smtp_reply	*r;
	struct target_result	*t;
	json_t			*tree;
	char			*want;
	const char		*buf = (const char *)data;
	size_t			 off = 0, used, n = 0;
	int			 rc;

	reply_init(&p);
	while (off < size && n < NREPLIES) {
		rc = reply_feed(&p, buf + off, size - off, &used, &r);
		off += used;
		if (rc == REPLY_DONE)
			replies[n++] = *r;
		else if (rc == REPLY_ERROR)
			reply_init(&p);
		if (used == 0)
			break;
	}
	/* a reply left open at the end of the input: close it */
	if (n < NREPLIES && reply_pending(&p) &&
	    reply_feed(&p, "\r\n", 2, &used, &r) == REPLY_DONE)
		replies[n++] = *r;

	t = build(data, size, n);
	tree = report_json_target(t);
	FUZZ_CHECK(tree != NULL);
	want = json_dumps(tree, JSON_COMPACT);
	FUZZ_CHECK(want != NULL);
	check_line(t, tree, want);	/* strings seen once: encoded */
	check_line(t, tree, want);	/* seen twice: kept in the cache */
	check_line(t, tree, want);	/* from the cache */
	free(want);
	json_decref(tree);
	result_target_free(t);
	return 0;
}
