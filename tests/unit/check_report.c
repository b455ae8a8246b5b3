/* SPDX-License-Identifier: ISC */
/*
 * check_report - unit tests for the renderers (report.c, report_text.c,
 * report_json.c): JSON against golden files in tests/golden/report-*.json,
 * the text matrix cell by cell, terminal safety for hostile server text,
 * the UTF-8 and terminal escapes, and the output stream modes.
 *
 * Fixtures are target_results built in C, as probe.c would fill them.
 * UPDATE_GOLDEN=1 rewrites the golden files instead of comparing: review
 * every changed golden by eye before committing it.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <jansson.h>

#include "ehlo.h"
#include "jsonarena.h"
#include "reply.h"
#include "report.h"
#include "result.h"
#include "summary.h"
#include "util.h"

#ifndef GOLDEN_DIR
#define GOLDEN_DIR "tests/golden"
#endif

/* 2026-11-29T08:30:00.123Z */
#define FIXED_SEC	1795941000
#define FIXED_NSEC	123000000L

/* advice strings, as codes.c would hand them to probe.c */
#define ADV_VRFY_OFF	"VRFY is off: check a mailbox with RCPT TO inside a " \
			"transaction (then RSET), or send a test message"
#define ADV_EXPN_OFF	"EXPN is off: ask the list owner for the membership"
#define ADV_TURN_ETRN	"TURN is off: use ETRN (RFC 1985), which this server " \
			"advertises"
#define ADV_TURN_OFF	"TURN is off: use ETRN (RFC 1985) if the server " \
			"advertises it, or ATRN (RFC 2645, ODMR)"
#define ADV_VRFY_ON	"VRFY confirms mailboxes to anyone: disable it " \
			"(Postfix: disable_vrfy_command = yes)"
#define ADV_EXPN_ON	"EXPN discloses list members: disable it"
#define ADV_TURN_ON	"TURN hands queued mail to an unauthenticated " \
			"client: disable it, offer ATRN (RFC 2645)"

/* ------------------------------------------------------------------ */
/* fixture helpers */

static struct target_result *
fx_target(const char *target, enum target_kind kind, const char *name)
{
	struct target_result	*t;

	t = result_target_new(target);
	t->kind = kind;
	t->name = xstrdup(name);
	t->started.tv_sec = FIXED_SEC;
	t->started.tv_nsec = FIXED_NSEC;
	t->duration_ms = 842;
	return t;
}

static void
fx_dns(struct target_result *t, const char *rcode)
{
	t->dns.queried = 1;
	t->dns.rcode = xstrdup(rcode);
}

static struct mx_rec *
fx_mx(struct target_result *t, int pref, const char *host, const char *a1,
    const char *a2)
{
	struct mx_rec	*m;

	t->dns.mx = xreallocarray(t->dns.mx, t->dns.nmx + 1, sizeof(*m));
	m = &t->dns.mx[t->dns.nmx++];
	memset(m, 0, sizeof(*m));
	m->preference = pref;
	m->host = xstrdup(host);
	m->addrs = xcalloc(2, sizeof(char *));
	if (a1 != NULL)
		m->addrs[m->naddrs++] = xstrdup(a1);
	if (a2 != NULL)
		m->addrs[m->naddrs++] = xstrdup(a2);
	return m;
}

static struct host_result *
fx_host(struct target_result *t, const char *mx, int pref, const char *addr,
    uint16_t port)
{
	struct host_result	*h;

	h = result_add_host(t);
	h->mx = mx != NULL ? xstrdup(mx) : NULL;
	h->preference = pref;
	if (mx != NULL && pref >= 0)	/* as scan.c records an MX record */
		result_host_add_mxref(h, pref, mx);
	snprintf(h->address, sizeof(h->address), "%s", addr);
	h->family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	h->port = port;
	h->connect.ok = 1;
	h->connect.ms = 12;
	h->duration_ms = 230;
	return h;
}

static void
fx_reply(struct reply_rec *r, int code, const char *enh, const char *text,
    long ms)
{
	result_reply_set(r, code, enh, text, text != NULL ? strlen(text) : 0,
	    0, ms);
}

/* a 250 EHLO reply, parsed by ehlo.c as probe.c does */
static void
fx_ehlo(struct host_result *h, const char *text)
{
	struct smtp_reply	*r;

	r = xcalloc(1, sizeof(*r));
	r->code = 250;
	r->textlen = strlen(text);
	r->nlines = 1;
	memcpy(r->text, text, r->textlen + 1);
	fx_reply(&h->ehlo.reply, 250, "", text, 9);
	ehlo_parse(r, &h->ehlo.info);
	free(r);
}

/* a fingerprint-shaped hex string: 64 characters from a seed */
static char *
fx_hex64(unsigned seed)
{
	static const char	 hex[] = "0123456789abcdef";
	char			*s;
	size_t			 i;

	s = xmalloc(65);
	for (i = 0; i < 64; i++)
		s[i] = hex[(seed + i * 7) & 0x0f];
	s[64] = '\0';
	return s;
}

/*
 * The peer certificate of a completed handshake, as tls_facts() fills it
 * in: CN=name issued by "CN=Test CA" (or by itself), valid for another
 * days_left days, chain and name verified unless the test says otherwise.
 */
static void
fx_cert(struct host_result *h, const char *name, long days_left,
    int self_signed)
{
	struct tls_cert	*c = &h->tls.cert;
	time_t		 nb, na;
	struct tm	 tm;
	char		 buf[32];

	h->tls.have_cert = 1;
	c->subject = xasprintf("CN=%s", name);
	c->issuer = self_signed ? xstrdup(c->subject) : xstrdup("CN=Test CA");
	c->sans = xcalloc(2, sizeof(*c->sans));
	c->sans[c->nsans++] = xasprintf("DNS:%s", name);
	c->sans[c->nsans++] = xasprintf("IP:%s", h->address);
	na = FIXED_SEC + days_left * 86400;
	nb = na - 90 * 86400;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&nb, &tm));
	c->not_before = xstrdup(buf);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&na, &tm));
	c->not_after = xstrdup(buf);
	c->days_left = days_left;
	c->key_type = xstrdup("EC");
	c->key_bits = 256;
	c->sig_alg = xstrdup("ecdsa-with-SHA256");
	c->sha256 = fx_hex64((unsigned)strlen(name));
	c->spki_sha256 = fx_hex64((unsigned)strlen(name) + 1);
	c->self_signed = self_signed;
	h->tls.chain_len = self_signed ? 1 : 2;
	/* the chain as sent: the leaf, and the CA unless self-signed */
	result_chain_free(h->tls.chain, h->tls.nchain);	/* a fixture's second call */
	h->tls.nchain = (size_t)h->tls.chain_len;
	h->tls.chain = xcalloc(h->tls.nchain, sizeof(*h->tls.chain));
	h->tls.chain[0].subject = xstrdup(c->subject);
	h->tls.chain[0].issuer = xstrdup(c->issuer);
	h->tls.chain[0].sha256 = xstrdup(c->sha256);
	h->tls.chain[0].spki_sha256 = xstrdup(c->spki_sha256);
	if (!self_signed) {
		h->tls.chain[1].subject = xstrdup("CN=Test CA");
		h->tls.chain[1].issuer = xstrdup("CN=Test CA");
		h->tls.chain[1].sha256 = fx_hex64(3);
		h->tls.chain[1].spki_sha256 = fx_hex64(4);
	}
	h->tls.verify.chain_ok = !self_signed;
	h->tls.verify.chain_error = self_signed ?
	    xstrdup("self-signed certificate") : NULL;
	h->tls.verify.name = xstrdup(name);
	h->tls.verify.name_ok = 1;
}

/* STARTTLS offered, 220, and a completed TLS 1.3 handshake */
static void
fx_tls(struct host_result *h)
{
	h->tls.offered = 1;
	h->tls.attempted = 1;
	fx_reply(&h->tls.starttls, 220, "2.0.0", "2.0.0 Ready to start TLS", 2);
	h->tls.ok = 1;
	h->tls.handshake_ms = 18;
	h->tls.version = xstrdup("TLSv1.3");
	h->tls.cipher = xstrdup("TLS_AES_256_GCM_SHA384");
	h->tls.group = xstrdup("X25519");
	fx_cert(h, h->mx != NULL ? h->mx : h->address, 30, 0);
}

/* the EHLO reply inside TLS, parsed as probe.c does */
static void
fx_ehlo_after(struct host_result *h, const char *text)
{
	struct smtp_reply	*r;

	r = xcalloc(1, sizeof(*r));
	r->code = 250;
	r->textlen = strlen(text);
	r->nlines = 1;
	memcpy(r->text, text, r->textlen + 1);
	fx_reply(&h->tls.ehlo_after_reply, 250, "", text, 7);
	ehlo_parse(r, &h->tls.ehlo_after);
	h->tls.have_ehlo_after = 1;
	free(r);
}

static void
fx_tlsa(struct host_result *h, uint8_t usage, uint8_t selector,
    uint8_t mtype, unsigned seed, int matched)
{
	struct tlsa_rec	*r;
	size_t		 i;

	h->tls.tlsa = xreallocarray(h->tls.tlsa, h->tls.ntlsa + 1,
	    sizeof(*h->tls.tlsa));
	r = &h->tls.tlsa[h->tls.ntlsa++];
	memset(r, 0, sizeof(*r));
	r->usage = usage;
	r->selector = selector;
	r->mtype = mtype;
	r->len = 32;
	r->data = xmalloc(r->len);
	for (i = 0; i < r->len; i++)
		r->data[i] = (uint8_t)(seed + i * 13);
	r->matched = matched;
}

static struct cmd_result *
fx_cmd(struct host_result *h, const char *verb, const char *arg,
    enum cmd_status st, int code, const char *enh, const char *text,
    const char *advice, int advertised)
{
	struct cmd_result	*c;

	ck_assert_uint_lt(h->ncmds, PROBE_MAX_CMDS);
	c = result_host_add_cmd(h);
	snprintf(c->verb, sizeof(c->verb), "%s", verb);
	c->arg = arg != NULL ? xstrdup(arg) : NULL;
	c->status = st;
	c->advice = advice;
	c->advertised = advertised;
	c->in_tls = h->tls.ok;		/* fixtures add TLS before commands */
	fx_reply(&c->reply, code, enh, text, 4);
	return c;
}

static void
fx_not_tried(struct host_result *h, const char *verb, const char *why)
{
	struct cmd_result	*c;

	c = fx_cmd(h, verb, NULL, ST_NOT_TRIED, 0, NULL, NULL, NULL, 0);
	c->why_not_tried = why;
}

static void
fx_quit(struct host_result *h)
{
	fx_reply(&h->quit, 221, "2.0.0", "2.0.0 Bye", 1);
}

/* a Postfix 3.x with disable_vrfy_command = yes: everything 502 */
static void
fx_postfix_host(struct target_result *t, const char *mx, int pref,
    const char *addr)
{
	struct host_result	*h;
	char			*banner, *ehlo;

	h = fx_host(t, mx, pref, addr, 25);
	banner = xasprintf("%s ESMTP Postfix (Debian/GNU)", mx);
	fx_reply(&h->banner, 220, "", banner, 31);
	free(banner);
	ehlo = xasprintf("%s\nPIPELINING\nSIZE 10240000\nETRN\nSTARTTLS\n"
	    "ENHANCEDSTATUSCODES\n8BITMIME\nDSN\nSMTPUTF8\nCHUNKING", mx);
	fx_ehlo(h, ehlo);
	free(ehlo);
	fx_tls(h);
	fx_cmd(h, "VRFY", "postmaster", ST_NOT_IMPLEMENTED, 502, "5.5.1",
	    "5.5.1 VRFY command is disabled", ADV_VRFY_OFF, 0);
	fx_cmd(h, "EXPN", "postmaster", ST_NOT_IMPLEMENTED, 502, "5.5.2",
	    "5.5.2 Error: command not recognized", ADV_EXPN_OFF, 0);
	fx_cmd(h, "TURN", NULL, ST_NOT_IMPLEMENTED, 502, "5.5.2",
	    "5.5.2 Error: command not recognized", ADV_TURN_ETRN, 0);
	fx_quit(h);
}

/* ------------------------------------------------------------------ */
/* fixtures */

static struct target_result *
fixture_postfix(void)
{
	struct target_result	*t;

	t = fx_target("example.com", TARGET_DOMAIN, "example.com");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx.example.com", "192.0.2.10", NULL);
	fx_postfix_host(t, "mx.example.com", 10, "192.0.2.10");
	return t;
}

/* Exim 4.96, one MX with an IPv4 and an IPv6 address */
static struct target_result *
fixture_exim(void)
{
	struct target_result	*t;
	struct host_result	*h;
	const char		*addrs[] = { "192.0.2.20", "2001:db8::20" };
	size_t			 i;

	t = fx_target("exim.example", TARGET_DOMAIN, "exim.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 5, "mail.exim.example", addrs[0], addrs[1]);
	for (i = 0; i < nitems(addrs); i++) {
		h = fx_host(t, "mail.exim.example", 5, addrs[i], 25);
		fx_reply(&h->banner, 220, "", "mail.exim.example ESMTP Exim "
		    "4.96 Sun, 29 Nov 2026 08:30:00 +0000", 40);
		fx_ehlo(h, "mail.exim.example Hello probe.invalid "
		    "[198.51.100.1]\nSIZE 52428800\n8BITMIME\nPIPELINING\n"
		    "CHUNKING\nSTARTTLS\nHELP");
		fx_tls(h);
		fx_cmd(h, "VRFY", "postmaster", ST_CANNOT_VERIFY, 252, "",
		    "Administrative prohibition", ADV_VRFY_OFF, 0);
		fx_cmd(h, "EXPN", "postmaster", ST_REFUSED, 550, "5.7.1",
		    "5.7.1 Administrative prohibition", ADV_EXPN_OFF, 0);
		fx_cmd(h, "TURN", NULL, ST_NOT_RECOGNIZED, 500, "",
		    "unrecognized command", ADV_TURN_OFF, 0);
		fx_quit(h);
	}
	return t;
}

/* an old Sendmail that answers everything, without STARTTLS */
static struct target_result *
fixture_permissive(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("open.example", TARGET_DOMAIN, "open.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mail.open.example", "203.0.113.5", NULL);
	h = fx_host(t, "mail.open.example", 10, "203.0.113.5", 25);
	fx_reply(&h->banner, 220, "", "mail.open.example ESMTP Sendmail "
	    "8.12.11; Sun, 29 Nov 2026 08:30:00 GMT", 55);
	fx_ehlo(h, "mail.open.example Hello probe.invalid, pleased to meet "
	    "you\nEXPN\nVERB\n8BITMIME\nSIZE\nDSN\nETRN\nHELP");
	fx_cmd(h, "VRFY", "postmaster", ST_SUPPORTED, 250, "2.1.5",
	    "2.1.5 Postmaster <postmaster@open.example>", ADV_VRFY_ON, 0);
	fx_cmd(h, "EXPN", "postmaster", ST_SUPPORTED, 250, "2.1.5",
	    "2.1.5 Alice <alice@open.example>\n2.1.5 Bob <bob@open.example>",
	    ADV_EXPN_ON, 1);
	fx_cmd(h, "TURN", NULL, ST_SUPPORTED, 250, "", "OK", ADV_TURN_ON, 0);
	fx_quit(h);
	result_add_finding(t, SEV_HIGH, "vrfy-enabled", "mail.open.example",
	    "203.0.113.5", "VRFY confirms mailboxes (250)");
	result_add_finding(t, SEV_HIGH, "expn-enabled", "mail.open.example",
	    "203.0.113.5", "EXPN lists the members of postmaster (250)");
	result_add_finding(t, SEV_HIGH, "turn-enabled", "mail.open.example",
	    "203.0.113.5", "TURN accepted without authentication (250)");
	result_add_finding(t, SEV_MEDIUM, "no-starttls", "mail.open.example",
	    "203.0.113.5", "STARTTLS is not offered: mail to "
	    "mail.open.example travels in clear text");
	return t;
}

static struct target_result *
fixture_nullmx(void)
{
	struct target_result	*t;

	t = fx_target("nomail.example", TARGET_DOMAIN, "nomail.example");
	fx_dns(t, "NOERROR");
	t->dns.null_mx = 1;
	t->duration_ms = 15;
	result_add_finding(t, SEV_INFO, "null-mx", NULL, NULL,
	    "nomail.example publishes a null MX (RFC 7505): it accepts no mail");
	return t;
}

static struct target_result *
fixture_nxdomain(void)
{
	struct target_result	*t;

	t = fx_target("no-such-domain.invalid", TARGET_DOMAIN,
	    "no-such-domain.invalid");
	fx_dns(t, "NXDOMAIN");
	t->dns.error = xstrdup("no-such-domain.invalid: no such domain "
	    "(NXDOMAIN)");
	t->error = xstrdup(t->dns.error);
	t->duration_ms = 21;
	return t;
}

/* two MX: the first (a CNAME) refuses connections */
static struct target_result *
fixture_refused(void)
{
	struct target_result	*t;
	struct host_result	*h;
	struct mx_rec		*m;

	t = fx_target("two.example", TARGET_DOMAIN, "two.example");
	fx_dns(t, "NOERROR");
	m = fx_mx(t, 10, "mx1.two.example", "192.0.2.31", NULL);
	m->is_cname = 1;
	fx_mx(t, 20, "mx2.two.example", "192.0.2.32", NULL);
	m = fx_mx(t, 30, "mx3.two.example", NULL, NULL);
	m->error = xstrdup("no address (NXDOMAIN)");

	h = fx_host(t, "mx1.two.example", 10, "192.0.2.31", 25);
	h->connect.ok = 0;
	h->connect.ms = 3;
	h->connect.error = xstrdup("Connection refused");
	h->fail = PROBE_F_CONN;
	h->fail_state = "connect";
	h->error = xstrdup("connect: Connection refused");
	h->duration_ms = 3;
	fx_not_tried(h, "VRFY", "not connected");
	fx_not_tried(h, "EXPN", "not connected");
	fx_not_tried(h, "TURN", "not connected");

	fx_postfix_host(t, "mx2.two.example", 20, "192.0.2.32");
	result_add_finding(t, SEV_HIGH, "mx-is-cname", "mx1.two.example",
	    NULL, "mx1.two.example is an alias (CNAME): an MX must name a "
	    "host (RFC 5321 5.1)");
	result_add_finding(t, SEV_MEDIUM, "mx-unreachable", "mx1.two.example",
	    "192.0.2.31", "connection refused");
	return t;
}

/* a direct probe whose server never answers EHLO */
static struct target_result *
fixture_timeout(void)
{
	struct target_result	*t;
	struct host_result	*h;
	static const char	 why[] = "session ended: timeout in EHLO";

	t = fx_target("slow.example.net:2525", TARGET_HOST, "slow.example.net");
	t->port = 2525;
	t->duration_ms = 30015;
	h = fx_host(t, "slow.example.net", -1, "192.0.2.40", 2525);
	fx_reply(&h->banner, 220, "", "slow.example.net ESMTP", 8);
	h->fail = PROBE_F_TIMEOUT;
	h->fail_state = "ehlo";
	h->error = xstrdup("no reply to EHLO within 30000 ms");
	h->duration_ms = 30010;
	fx_not_tried(h, "VRFY", why);
	fx_not_tried(h, "EXPN", why);
	fx_not_tried(h, "TURN", why);
	t->error = xstrdup("no address completed a session");
	return t;
}

/*
 * A hostile server: CSI and OSC sequences, a C1 CSI byte, invalid UTF-8,
 * an overlong NUL and a surrogate, NUL (stored by reply.c as '?'), CR.
 */
#define HOSTILE_BANNER	"evil.example \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 " \
			"caf\xc3\xa9 \xff\xfe nul?here"
#define HOSTILE_VRFY	"5.7.1 \x1b]8;;http://evil.example/\x07" "click" \
			"\x1b]8;;\x07 \x9b" "31m\r"

static struct target_result *
fixture_hostile(void)
{
	struct target_result	*t;
	struct host_result	*h;
	struct ehlo_info	*info;
	static const char	 transcript[] =
	    "<- 220 evil.example \x1b[31mRED\x1b[0m \x1b]0;pwned\x07\n"
	    "-> EHLO probe.invalid\n"
	    "<- 250-evil.\xff" "example greets you\n"
	    "<- 250 X-\xff" "BAD\x1b[2J\n"
	    "-> VRFY postmaster\n"
	    "<- 550 " HOSTILE_VRFY "\n"
	    "-> QUIT\n"
	    "<- 221 bye\n";

	t = fx_target("198.51.100.7", TARGET_ADDRESS, "198.51.100.7");
	h = fx_host(t, NULL, -1, "198.51.100.7", 25);
	result_reply_set(&h->banner, 220, "", HOSTILE_BANNER,
	    strlen(HOSTILE_BANNER), REPLY_F_NUL | REPLY_F_BARE_CR, 5);
	fx_ehlo(h, "evil.\xff" "example greets you\nPIPELINING\n"
	    "XBAD p\xc0\x80q \xed\xa0\x80\x1b[2J\nSIZE 1000");
	/* ehlo.c refuses such keywords and domains: renderers must not trust it */
	info = &h->ehlo.info;
	free(info->domain);
	info->domain = xstrdup("evil.\xff" "example");
	info->exts = xreallocarray(info->exts, info->nexts + 1,
	    sizeof(*info->exts));
	memset(&info->exts[info->nexts], 0, sizeof(*info->exts));
	info->exts[info->nexts++].name = xstrdup("X-\xff" "BAD\x1b[2J");
	fx_cmd(h, "VRFY", "postmaster", ST_REFUSED, 550, "5.7.1",
	    HOSTILE_VRFY, ADV_VRFY_OFF, 0);
	fx_cmd(h, "EXPN", "postmaster", ST_NOT_IMPLEMENTED, 502, "",
	    "\x1b[2J\x1b[H", ADV_EXPN_OFF, 0);
	fx_cmd(h, "TURN", NULL, ST_NOT_IMPLEMENTED, 502, "", "no", ADV_TURN_OFF,
	    0);
	fx_reply(&h->quit, 221, "", "bye", 1);
	h->flags = REPLY_F_NUL | REPLY_F_BARE_CR | REPLY_F_BARE_LF |
	    HOST_F_EXTRA_BYTES;
	h->early_talker = 1;
	h->transcript = xstrdup(transcript);
	h->transcript_len = strlen(transcript);
	result_add_finding(t, SEV_LOW, "early-talker", NULL, "198.51.100.7",
	    "server sent \x1b[5mdata\x1b[0m before its greeting");
	return t;
}

/* EHLO refused with 500, HELO accepted: an old server */
static struct target_result *
fixture_helo(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("old.example.org", TARGET_DOMAIN, "old.example.org");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "old.example.org", "192.0.2.50", NULL);
	h = fx_host(t, "old.example.org", 10, "192.0.2.50", 25);
	fx_reply(&h->banner, 220, "", "old.example.org SMTP ready", 20);
	fx_reply(&h->ehlo.reply, 500, "", "Command unrecognized", 3);
	h->ehlo.used_helo = 1;
	fx_reply(&h->ehlo.helo_reply, 250, "", "old.example.org Hello "
	    "probe.invalid", 3);
	fx_cmd(h, "VRFY", "postmaster", ST_CANNOT_VERIFY, 252, "",
	    "Cannot VRFY user, but will accept message and attempt delivery",
	    ADV_VRFY_OFF, 0);
	fx_cmd(h, "EXPN", "postmaster", ST_NOT_IMPLEMENTED, 502, "",
	    "Command not implemented", ADV_EXPN_OFF, 0);
	fx_cmd(h, "TURN", NULL, ST_NOT_IMPLEMENTED, 502, "",
	    "Command not implemented", ADV_TURN_OFF, 0);
	fx_quit(h);
	result_add_finding(t, SEV_MEDIUM, "no-ehlo", "old.example.org",
	    "192.0.2.50", "EHLO refused (500): no ESMTP, no STARTTLS");
	return t;
}

/* no MX record: the domain itself is the mail host (RFC 5321 5.1) */
static struct target_result *
fixture_implicit(void)
{
	struct target_result	*t;

	t = fx_target("implicit.example", TARGET_DOMAIN, "implicit.example");
	fx_dns(t, "NOERROR");
	t->dns.implicit_mx = 1;
	fx_mx(t, -1, "implicit.example", "192.0.2.60", NULL);
	fx_postfix_host(t, "implicit.example", -1, "192.0.2.60");
	return t;
}

/*
 * A good STARTTLS session: TLS 1.3, a trusted certificate for the MX,
 * AUTH only inside TLS (and STARTTLS gone, SIZE raised), and DANE: a
 * DNSSEC-validated 3 1 1 that matches, a 2 0 1 that does not, a PKIX-EE
 * record that SMTP cannot use (RFC 7672 3.1.3).
 */
static struct target_result *
fixture_tls(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("tls.example", TARGET_DOMAIN, "tls.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx.tls.example", "192.0.2.70", NULL);
	h = fx_host(t, "mx.tls.example", 10, "192.0.2.70", 25);
	fx_reply(&h->banner, 220, "", "mx.tls.example ESMTP Postfix", 20);
	fx_ehlo(h, "mx.tls.example\nPIPELINING\nSIZE 1000\nSTARTTLS\n"
	    "8BITMIME");
	fx_tls(h);
	fx_ehlo_after(h, "mx.tls.example\nPIPELINING\nSIZE 2000\n"
	    "AUTH PLAIN LOGIN\n8BITMIME");
	fx_tlsa(h, 3, 1, 1, 0x10, 1);
	fx_tlsa(h, 2, 0, 1, 0x20, 0);
	fx_tlsa(h, 1, 1, 1, 0x30, -1);
	h->tls.tlsa_ad = 1;
	h->tls.dane_matched = 1;
	fx_cmd(h, "VRFY", "postmaster", ST_NOT_IMPLEMENTED, 502, "5.5.1",
	    "5.5.1 VRFY command is disabled", ADV_VRFY_OFF, 0);
	fx_cmd(h, "EXPN", "postmaster", ST_NOT_IMPLEMENTED, 502, "5.5.2",
	    "5.5.2 Error: command not recognized", ADV_EXPN_OFF, 0);
	fx_cmd(h, "TURN", NULL, ST_NOT_IMPLEMENTED, 502, "5.5.2",
	    "5.5.2 Error: command not recognized", ADV_TURN_OFF, 0);
	fx_quit(h);
	return t;
}

/*
 * A self-signed certificate with hostile names, and bytes after the 220
 * to STARTTLS (RFC 3207 5: discarded, reported)
 */
static struct target_result *
fixture_selfsigned(void)
{
	struct target_result	*t;
	struct host_result	*h;
	struct tls_cert		*c;

	t = fx_target("self.example", TARGET_DOMAIN, "self.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx.self.example", "192.0.2.71", NULL);
	h = fx_host(t, "mx.self.example", 10, "192.0.2.71", 25);
	fx_reply(&h->banner, 220, "", "mx.self.example ESMTP", 20);
	fx_ehlo(h, "mx.self.example\nSTARTTLS\nSIZE 1000");
	fx_tls(h);
	c = &h->tls.cert;
	result_cert_clear(c);
	free(h->tls.verify.name);
	free(h->tls.verify.chain_error);
	fx_cert(h, "mx.self.example", 300, 1);
	/* certificate text is the server's: CN=\x1b[2J must not reach a tty */
	free(c->subject);
	c->subject = xstrdup("CN=mx.self.example\x1b[2J,O=caf\xc3\xa9");
	h->tls.injection = 1;
	fx_ehlo_after(h, "mx.self.example\nSIZE 1000");
	fx_cmd(h, "VRFY", "postmaster", ST_CANNOT_VERIFY, 252, "2.0.0",
	    "2.0.0 Cannot VRFY user", ADV_VRFY_OFF, 0);
	fx_quit(h);
	return t;
}

/* 220 to STARTTLS, then a failed handshake: plaintext reconnect */
static struct target_result *
fixture_tlsfail(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("oldtls.example", TARGET_DOMAIN, "oldtls.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx.oldtls.example", "192.0.2.72", NULL);
	h = fx_host(t, "mx.oldtls.example", 10, "192.0.2.72", 25);
	fx_reply(&h->banner, 220, "", "mx.oldtls.example ESMTP", 20);
	fx_ehlo(h, "mx.oldtls.example\nSTARTTLS\nETRN");
	h->tls.offered = 1;
	h->tls.attempted = 1;
	fx_reply(&h->tls.starttls, 220, "", "Ready to start TLS", 2);
	h->tls.error = xstrdup("handshake: tlsv1 alert protocol "
	    "version");
	h->tls.fallback = 1;
	fx_cmd(h, "VRFY", "postmaster", ST_NOT_IMPLEMENTED, 502, "", "no",
	    ADV_VRFY_OFF, 0);
	fx_cmd(h, "TURN", NULL, ST_NOT_IMPLEMENTED, 502, "", "no",
	    ADV_TURN_ETRN, 0);
	fx_quit(h);
	return t;
}

/* STARTTLS advertised, then refused with 454 (RFC 3207 4) */
static struct target_result *
fixture_starttls454(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("notls.example", TARGET_DOMAIN, "notls.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx.notls.example", "192.0.2.73", NULL);
	h = fx_host(t, "mx.notls.example", 10, "192.0.2.73", 25);
	fx_reply(&h->banner, 220, "", "mx.notls.example ESMTP", 20);
	fx_ehlo(h, "mx.notls.example\nSTARTTLS\nSIZE 1000");
	h->tls.offered = 1;
	h->tls.attempted = 1;
	fx_reply(&h->tls.starttls, 454, "4.7.0", "4.7.0 TLS not available "
	    "due to local problem\nsecond line", 3);
	h->tls.error = xstrdup("STARTTLS refused: 454");
	fx_cmd(h, "VRFY", "postmaster", ST_NOT_IMPLEMENTED, 502, "", "no",
	    ADV_VRFY_OFF, 0);
	fx_quit(h);
	return t;
}

/* --smtps: TLS from the first byte (RFC 8314), TLS 1.2, no second EHLO */
static struct target_result *
fixture_smtps(void)
{
	struct target_result	*t;
	struct host_result	*h;

	t = fx_target("smtp.example.net:465", TARGET_HOST, "smtp.example.net");
	t->port = 465;
	h = fx_host(t, "smtp.example.net", -1, "192.0.2.74", 465);
	h->tls.implicit = 1;
	h->tls.attempted = 1;
	h->tls.ok = 1;
	h->tls.handshake_ms = 25;
	h->tls.version = xstrdup("TLSv1.2");
	h->tls.cipher = xstrdup("ECDHE-RSA-AES256-GCM-SHA384");
	h->tls.group = xstrdup("secp384r1");
	fx_cert(h, "smtp.example.net", 200, 0);
	fx_reply(&h->banner, 220, "", "smtp.example.net ESMTP", 20);
	fx_ehlo(h, "smtp.example.net\nAUTH PLAIN\nSIZE 1000");
	fx_cmd(h, "VRFY", "postmaster", ST_NOT_IMPLEMENTED, 502, "", "no",
	    ADV_VRFY_OFF, 0);
	fx_quit(h);
	return t;
}

/* a provider's long MX names, one on IPv6: the narrow matrix shortens them */
static struct target_result *
fixture_longnames(void)
{
	struct target_result	*t;

	t = fx_target("longnames.example", TARGET_DOMAIN, "longnames.example");
	fx_dns(t, "NOERROR");
	fx_mx(t, 10, "mx-eu-west-1a.inbound.mail-protection.example.net",
	    "192.0.2.81", "2001:db8:4f3a:1200::25");
	fx_postfix_host(t, "mx-eu-west-1a.inbound.mail-protection.example.net",
	    10, "192.0.2.81");
	fx_postfix_host(t, "mx-eu-west-1a.inbound.mail-protection.example.net",
	    10, "2001:db8:4f3a:1200::25");
	return t;
}

static const struct fixture {
	const char		*name;
	struct target_result	*(*build)(void);
} fixtures[] = {
	{ "postfix", fixture_postfix },
	{ "exim", fixture_exim },
	{ "permissive", fixture_permissive },
	{ "nullmx", fixture_nullmx },
	{ "nxdomain", fixture_nxdomain },
	{ "refused", fixture_refused },
	{ "timeout", fixture_timeout },
	{ "hostile", fixture_hostile },
	{ "helo", fixture_helo },
	{ "implicit", fixture_implicit },
	{ "tls", fixture_tls },
	{ "selfsigned", fixture_selfsigned },
	{ "tlsfail", fixture_tlsfail },
	{ "starttls454", fixture_starttls454 },
	{ "smtps", fixture_smtps },
	{ "longnames", fixture_longnames },
};

static struct target_result *
fixture(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(fixtures); i++)
		if (strcmp(fixtures[i].name, name) == 0)
			return fixtures[i].build();
	ck_abort_msg("no fixture %s", name);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* output capture */

static char *
render_text(const struct target_result *t, int color, int transcript)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	report_text_target(f, t, color, transcript);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

static char *
render_stream(enum cli_format fmt, size_t n)
{
	struct report	 r;
	struct target_result *t;
	char		*buf = NULL, name[32];
	size_t		 len = 0, i;

	memset(&r, 0, sizeof(r));
	r.out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(r.out);
	r.format = fmt;
	report_begin(&r);
	for (i = 0; i < n; i++) {
		t = fixture(fixtures[i % nitems(fixtures)].name);
		snprintf(name, sizeof(name), "t%zu.example", i);
		free(t->target);
		t->target = xstrdup(name);
		report_target(&r, t);
		result_target_free(t);
	}
	report_end(&r);
	ck_assert_uint_eq(r.ntargets, n);
	ck_assert_int_eq(fclose(r.out), 0);
	return buf;
}


/*
 * Every fixture in order as one text batch (the summary at the end), as
 * a run of smtpprobe writes it: wide as --wide, only as --summary-only.
 */
/*
 * n targets from build(i) as one text run, with r's settings (wide,
 * summary_only, no_advice); the caller frees the text
 */
static char *
render_text_run(struct report *r, struct target_result *(*build)(size_t),
    size_t n)
{
	struct target_result	*t;
	char			*buf = NULL;
	size_t			 len = 0, i;

	r->out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(r->out);
	r->format = FMT_TEXT;
	report_begin(r);
	for (i = 0; i < n; i++) {
		t = build(i);
		report_target(r, t);
		result_target_free(t);
	}
	report_end(r);
	ck_assert_int_eq(fclose(r->out), 0);
	return buf;
}

static struct target_result *
build_fixture(size_t i)
{
	return fixtures[i].build();
}

static char *
render_batch(int wide, int only)
{
	struct report	 r;

	memset(&r, 0, sizeof(r));
	r.wide = wide;
	r.summary_only = only;
	return render_text_run(&r, build_fixture, nitems(fixtures));
}

/* text against tests/golden/NAME.txt; UPDATE_GOLDEN=1 rewrites it */
static void
text_golden(const char *name, const char *got)
{
	char		 path[4096];
	char		*want = NULL;
	size_t		 len = 0;
	const char	*update = getenv("UPDATE_GOLDEN");
	FILE		*f;
	ssize_t		 n;

	snprintf(path, sizeof(path), "%s/%s.txt", GOLDEN_DIR, name);
	if (update != NULL && strcmp(update, "1") == 0) {
		f = fopen(path, "w");
		ck_assert_msg(f != NULL, "cannot write %s", path);
		fputs(got, f);
		ck_assert_int_eq(fclose(f), 0);
	}
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: missing; run with UPDATE_GOLDEN=1 to "
	    "create it", path);
	n = getdelim(&want, &len, '\0', f);
	fclose(f);
	if (n < 0 || strcmp(got, want) != 0)
		fprintf(stderr, "%s: got:\n%s\n", name, got);
	ck_assert_msg(n >= 0 && strcmp(got, want) == 0, "%s: text differs from %s",
	    name, path);
	free(want);
}

/* the line of text containing needle, copied; NULL if none */
static char *
line_with(const char *text, const char *needle)
{
	const char	*p, *b, *e;

	if ((p = strstr(text, needle)) == NULL)
		return NULL;
	for (b = p; b > text && b[-1] != '\n'; b--)
		;
	if ((e = strchr(p, '\n')) == NULL)
		e = p + strlen(p);
	return xstrndup(b, (size_t)(e - b));
}

/* ------------------------------------------------------------------ */
/* escape_utf8 */

static const struct {
	const char	*in;
	size_t		 inlen;
	const char	*want;
} utf8_cases[] = {
#define U(in, want)	{ in, sizeof(in) - 1, want }
#define FFFD		"\xef\xbf\xbd"
	U("plain ascii", "plain ascii"),
	U("", ""),
	U("caf\xc3\xa9", "caf\xc3\xa9"),			/* 2 bytes */
	U("\xe2\x82\xac", "\xe2\x82\xac"),			/* 3 bytes */
	U("\xf0\x9d\x84\x9e", "\xf0\x9d\x84\x9e"),		/* 4 bytes */
	U("\xed\x9f\xbf", "\xed\x9f\xbf"),			/* U+D7FF */
	U("\xee\x80\x80", "\xee\x80\x80"),			/* U+E000 */
	U("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),		/* U+10FFFF */
	U(FFFD, FFFD),
	U("\x1b[31m\t\r\n", "\x1b[31m\t\r\n"),			/* controls stay */
	U("\xff", FFFD),
	U("\x80", FFFD),					/* lone continuation */
	U("a\xe2\x82", "a" FFFD),				/* truncated at end */
	U("\xf0\x9f\x98" "x", FFFD "x"),			/* truncated mid-text */
	U("\xc3" "A", FFFD "A"),
	U("\xc0\x80", FFFD FFFD),				/* overlong NUL */
	U("\xc1\xbf", FFFD FFFD),				/* overlong */
	U("\xe0\x80\x80", FFFD FFFD FFFD),			/* overlong */
	U("\xed\xa0\x80", FFFD FFFD FFFD),			/* surrogate */
	U("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD),		/* > U+10FFFF */
	U("\xf5\x80", FFFD FFFD),
	U("\xe1\x80\xe1\x80\x80", FFFD "\xe1\x80\x80"),
	U("a\0b", "a" FFFD "b"),				/* NUL */
#undef U
};

START_TEST(test_utf8)
{
	char	*got;

	got = escape_utf8(utf8_cases[_i].in, utf8_cases[_i].inlen);
	ck_assert_msg(strcmp(got, utf8_cases[_i].want) == 0,
	    "case %d: got \"%s\", want \"%s\"", _i, got, utf8_cases[_i].want);
	free(got);
}
END_TEST

START_TEST(test_utf8_null)
{
	char	*got;

	got = escape_utf8(NULL, 0);
	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* escape_terminal */

static const struct {
	const char	*in;
	size_t		 inlen;
	int		 keep_nl;
	const char	*want;
} sanitize_cases[] = {
#define S(in, nl, want)	{ in, sizeof(in) - 1, nl, want }
	S("250 ok", 0, "250 ok"),
	S("a\x1b[31mb", 0, "a?[31mb"),
	S("\x1b]0;title\x07", 0, "?]0;title?"),
	S("caf\xc3\xa9", 0, "caf??"),
	S("a\nb", 1, "a\nb"),
	S("a\nb", 0, "a?b"),
	S("a\r\nb", 1, "a?\nb"),
	S("\t\x7f\x9b", 1, "???"),
	S("n\0l", 0, "n?l"),
	S("~ !", 0, "~ !"),
#undef S
};

START_TEST(test_sanitize)
{
	char	*got;

	got = escape_terminal(sanitize_cases[_i].in, sanitize_cases[_i].inlen,
	    sanitize_cases[_i].keep_nl);
	ck_assert_msg(strcmp(got, sanitize_cases[_i].want) == 0,
	    "case %d: got \"%s\", want \"%s\"", _i, got,
	    sanitize_cases[_i].want);
	free(got);
}
END_TEST

/* ------------------------------------------------------------------ */
/* JSON */

START_TEST(test_json_golden)
{
	const char		*name = fixtures[_i].name;
	struct target_result	*t;
	json_t			*got, *want;
	json_error_t		 err;
	char			 path[4096];
	char			*dump;
	const char		*update;
	FILE			*f;

	snprintf(path, sizeof(path), "%s/report-%s.json", GOLDEN_DIR, name);
	t = fixtures[_i].build();
	got = report_json_target(t);
	ck_assert_ptr_nonnull(got);
	update = getenv("UPDATE_GOLDEN");
	if (update != NULL && strcmp(update, "1") == 0) {
		f = fopen(path, "w");
		ck_assert_msg(f != NULL, "cannot write %s", path);
		ck_assert_int_eq(json_dumpf(got, f, JSON_INDENT(2)), 0);
		fputc('\n', f);
		ck_assert_int_eq(fclose(f), 0);
	}
	want = json_load_file(path, 0, &err);
	ck_assert_msg(want != NULL, "%s: %s (line %d); run with "
	    "UPDATE_GOLDEN=1 to create it", path, err.text, err.line);
	if (!json_equal(got, want)) {
		dump = json_dumps(got, JSON_INDENT(2));
		fprintf(stderr, "%s: got:\n%s\n", name, dump);
		free(dump);
	}
	ck_assert_msg(json_equal(got, want), "%s: JSON differs from %s",
	    name, path);
	json_decref(got);
	json_decref(want);
	result_target_free(t);
}
END_TEST

/*
 * report_target() writes each record inside jsonarena's window, as text
 * through jsonbuild (JSON Lines) or as a tree encoded by json_dumpb()
 * (JSON): the bytes must be those of json_dumps() of the same tree built
 * with plain malloc(), in both formats, also when jsonwrite's cache
 * supplies the second and third record's strings; jansson values
 * made outside a record's window stay ordinary heap values, which may be
 * freed inside a window.
 */
START_TEST(test_json_arena_bytes)
{
	static const struct {
		enum cli_format	 fmt;
		size_t		 flags;
	} forms[] = {
		{ FMT_JSONL, JSON_COMPACT },
		{ FMT_JSON, JSON_INDENT(2) },
	};
	struct target_result	*t;
	struct report		 r;
	json_t			*before, *obj, *after;
	char			*buf, *want, *got;
	size_t			 len, i, k;

	t = fixtures[_i].build();
	before = json_pack("{s:[i,s]}", "kept", 1, "across the record");
	ck_assert_ptr_nonnull(before);
	for (i = 0; i < nitems(forms); i++) {
		buf = NULL;
		len = 0;
		memset(&r, 0, sizeof(r));
		r.out = open_memstream(&buf, &len);
		ck_assert_ptr_nonnull(r.out);
		r.format = forms[i].fmt;
		report_begin(&r);
		for (k = 0; k < 3; k++)	/* the arena and buffer reused */
			report_target(&r, t);
		report_end(&r);
		ck_assert_int_eq(fclose(r.out), 0);

		obj = report_json_target(t);	/* outside: plain malloc() */
		want = json_dumps(obj, forms[i].flags);
		ck_assert_ptr_nonnull(want);
		json_decref(obj);
		got = strstr(buf, want);
		ck_assert_msg(got != NULL, "%s: record not byte-identical:\n%s",
		    fixtures[_i].name, buf);
		/* three identical records, one after the other */
		got = strstr(got + 1, want);
		ck_assert_ptr_nonnull(got);
		ck_assert_ptr_nonnull(strstr(got + 1, want));
		free(want);
		free(buf);
	}
	after = json_deep_copy(before);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(after,
	    "kept"), 1)), "across the record");
	jsonarena_begin();
	json_decref(before);	/* heap blocks, freed inside a window */
	jsonarena_end();
	json_decref(after);
	result_target_free(t);
}
END_TEST

static void
fx_add_ext(struct ehlo_info *info, const char *name, const char *param)
{
	struct ehlo_ext	*e;

	info->exts = xreallocarray(info->exts, info->nexts + 1,
	    sizeof(*info->exts));
	e = &info->exts[info->nexts++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->params = xcalloc(1, sizeof(*e->params));
	e->params[0] = xstrdup(param);
	e->nparams = 1;
}

/*
 * Two EHLO keywords that differ only in invalid UTF-8 become one JSON
 * key: the first keeps it, in "extensions" and in "ehlo_diff", and the
 * JSON Lines text (jsonbuild, no tree) is still byte for byte the tree's.
 */
START_TEST(test_json_line_colliding_keys)
{
	struct target_result	*t;
	struct host_result	*h;
	json_t			*obj;
	char			*want;
	const char		*got;
	size_t			 len;

	t = fixture("tls");
	h = &t->hosts[0];
	fx_add_ext(&h->ehlo.info, "X-\xff", "one");
	fx_add_ext(&h->ehlo.info, "X-\xfe", "two");
	fx_add_ext(&h->tls.ehlo_after, "X-\xff", "three");
	fx_add_ext(&h->tls.ehlo_after, "X-\xfe", "four");
	obj = report_json_target(t);
	want = json_dumps(obj, JSON_COMPACT);
	ck_assert_ptr_nonnull(want);
	got = report_json_target_line(t, &len);
	ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
	    "line differs from the tree:\n got  %.*s\n want %s", (int)len, got,
	    want);
	ck_assert_ptr_nonnull(strstr(want, "\"X-\xef\xbf\xbd\":[\"one\"]"));
	ck_assert_ptr_nonnull(strstr(want, "\"X-\xef\xbf\xbd\":[\"three\"]"));
	ck_assert_ptr_nonnull(strstr(want, "\"X-\xef\xbf\xbd\":{\"before\":"
	    "[\"one\"],\"after\":[\"three\"]}"));
	ck_assert_ptr_null(strstr(want, "\"two\""));
	ck_assert_ptr_null(strstr(want, "\"four\""));
	free(want);
	json_decref(obj);
	result_target_free(t);
}
END_TEST

/* "started": every field zero-padded, in the tree and in the line */
START_TEST(test_json_started_padding)
{
	struct target_result	*t;
	json_t			*obj;
	const char		*line;
	size_t			 len;

	t = fixture("postfix");
	t->started.tv_sec = 1767323045;		/* 2026-01-02T03:04:05Z */
	t->started.tv_nsec = 6000000;
	obj = report_json_target(t);
	ck_assert_str_eq(json_string_value(json_object_get(obj, "started")),
	    "2026-01-02T03:04:05.006Z");
	line = report_json_target_line(t, &len);
	ck_assert_ptr_nonnull(memmem(line, len,
	    "\"started\":\"2026-01-02T03:04:05.006Z\"", 36));
	json_decref(obj);
	result_target_free(t);
}
END_TEST

/* every object survives a dump and a parse unchanged */
START_TEST(test_json_roundtrip)
{
	struct target_result	*t;
	json_t			*obj, *back;
	char			*s;

	t = fixtures[_i].build();
	obj = report_json_target(t);
	s = json_dumps(obj, JSON_COMPACT);
	ck_assert_msg(s != NULL, "%s: json_dumps failed", fixtures[_i].name);
	back = json_loads(s, 0, NULL);
	ck_assert_msg(back != NULL && json_equal(obj, back),
	    "%s: round trip differs", fixtures[_i].name);
	free(s);
	json_decref(back);
	json_decref(obj);
	result_target_free(t);
}
END_TEST

/* individual values, independent of the goldens */
static const struct {
	const char	*fixture;
	const char	*path;		/* keys and array indexes, '/'-separated */
	const char	*want;		/* JSON */
} json_field_cases[] = {
	{ "postfix", "schema", "\"smtpprobe/2\"" },
	{ "postfix", "kind", "\"domain\"" },
	{ "postfix", "started", "\"2026-11-29T08:30:00.123Z\"" },
	{ "postfix", "hosts/0/commands/VRFY/status", "\"not_implemented\"" },
	{ "postfix", "hosts/0/commands/VRFY/code", "502" },
	{ "postfix", "hosts/0/commands/VRFY/enhanced", "\"5.5.1\"" },
	{ "postfix", "hosts/0/commands/TURN/arg", "null" },
	{ "postfix", "hosts/0/ehlo/extensions/SIZE", "[\"10240000\"]" },
	{ "postfix", "hosts/0/ehlo/domain", "\"mx.example.com\"" },
	{ "postfix", "hosts/0/tls/ok", "true" },
	{ "postfix", "hosts/0/quit", "{\"code\": 221}" },
	{ "postfix", "hosts/0/failure", "null" },
	{ "exim", "hosts/1/address", "\"2001:db8::20\"" },
	{ "exim", "hosts/1/commands/VRFY/status", "\"cannot_verify\"" },
	{ "exim", "hosts/1/commands/VRFY/enhanced", "null" },
	{ "exim", "hosts/1/commands/EXPN/status", "\"refused\"" },
	{ "exim", "hosts/1/commands/TURN/status", "\"not_recognized\"" },
	{ "permissive", "hosts/0/commands/TURN/status", "\"supported\"" },
	{ "permissive", "hosts/0/commands/EXPN/advertised", "true" },
	{ "permissive", "hosts/0/commands/EXPN/text",
	    "\"2.1.5 Alice <alice@open.example>\\n2.1.5 Bob <bob@open.example>\"" },
	{ "permissive", "hosts/0/tls/offered", "false" },
	{ "permissive", "findings/0/severity", "\"high\"" },
	{ "nullmx", "dns/null_mx", "true" },
	{ "nullmx", "hosts", "[]" },
	{ "nxdomain", "dns/rcode", "\"NXDOMAIN\"" },
	{ "nxdomain", "error",
	    "\"no-such-domain.invalid: no such domain (NXDOMAIN)\"" },
	{ "refused", "dns/mx/0/cname", "true" },
	{ "refused", "hosts/0/connect",
	    "{\"ok\": false, \"ms\": 3, \"error\": \"Connection refused\"}" },
	{ "refused", "hosts/0/banner", "null" },
	{ "refused", "hosts/0/ehlo", "null" },
	{ "refused", "hosts/0/failure",
	    "{\"class\": \"connection\", \"state\": \"connect\"}" },
	{ "refused", "hosts/0/commands/VRFY",
	    "{\"status\": \"not_tried\", \"reason\": \"not connected\"}" },
	{ "timeout", "kind", "\"host\"" },
	{ "timeout", "hosts/0/preference", "null" },
	{ "timeout", "hosts/0/port", "2525" },
	{ "timeout", "hosts/0/failure",
	    "{\"class\": \"timeout\", \"state\": \"ehlo\"}" },
	{ "timeout", "hosts/0/commands/EXPN/status", "\"not_tried\"" },
	{ "hostile", "dns", "null" },
	{ "hostile", "kind", "\"address\"" },
	{ "hostile", "hosts/0/banner/text",
	    "\"evil.example \\u001b[31mRED\\u001b[0m \\u001b]0;pwned\\u0007 "
	    "caf\\u00e9 \\ufffd\\ufffd nul?here\"" },
	{ "hostile", "hosts/0/ehlo/domain", "\"evil.\\ufffdexample\"" },
	{ "hostile", "hosts/0/ehlo/extensions/XBAD",
	    "[\"p\\ufffd\\ufffdq\", \"\\ufffd\\ufffd\\ufffd\\u001b[2J\"]" },
	{ "hostile", "hosts/0/ehlo/extensions/X-\xef\xbf\xbd" "BAD\x1b[2J",
	    "[]" },
	{ "hostile", "hosts/0/commands/VRFY/text",
	    "\"5.7.1 \\u001b]8;;http://evil.example/\\u0007click"
	    "\\u001b]8;;\\u0007 \\ufffd31m\\r\"" },
	{ "hostile", "hosts/0/flags",
	    "[\"bare_lf\", \"nul\", \"bare_cr\", \"extra_bytes\"]" },
	{ "hostile", "hosts/0/early_talker", "true" },
	{ "helo", "hosts/0/ehlo/helo_fallback", "true" },
	{ "helo", "hosts/0/ehlo/code", "500" },
	{ "helo", "hosts/0/ehlo/helo/code", "250" },
	{ "helo", "hosts/0/ehlo/extensions", "{}" },
	{ "helo", "hosts/0/tls/offered", "false" },
	{ "implicit", "dns/implicit_mx", "true" },
	{ "implicit", "hosts/0/preference", "null" },
	{ "postfix", "hosts/0/tls/version", "\"TLSv1.3\"" },
	{ "postfix", "hosts/0/tls/dane", "null" },
	{ "postfix", "hosts/0/tls/ehlo_after", "null" },
	{ "postfix", "hosts/0/tls/ehlo_diff", "null" },
	{ "postfix", "hosts/0/commands/VRFY/tls", "true" },
	{ "permissive", "hosts/0/tls/starttls", "null" },
	{ "permissive", "hosts/0/tls/peer_certificate", "null" },
	{ "permissive", "hosts/0/tls/verify", "null" },
	{ "permissive", "hosts/0/tls/handshake_ms", "null" },
	{ "permissive", "hosts/0/commands/VRFY/tls", "false" },
	{ "tls", "hosts/0/tls/starttls",
	    "{\"code\": 220, \"text\": \"2.0.0 Ready to start TLS\"}" },
	{ "tls", "hosts/0/tls/handshake_ms", "18" },
	{ "tls", "hosts/0/tls/group", "\"X25519\"" },
	{ "tls", "hosts/0/tls/injection", "false" },
	{ "tls", "hosts/0/tls/fallback", "false" },
	{ "tls", "hosts/0/tls/chain_length", "2" },
	{ "tls", "hosts/0/tls/peer_certificate/subject",
	    "\"CN=mx.tls.example\"" },
	{ "tls", "hosts/0/tls/peer_certificate/sans",
	    "[\"DNS:mx.tls.example\", \"IP:192.0.2.70\"]" },
	{ "tls", "hosts/0/tls/peer_certificate/not_after",
	    "\"2026-12-29T08:30:00Z\"" },
	{ "tls", "hosts/0/tls/peer_certificate/days_left", "30" },
	{ "tls", "hosts/0/tls/peer_certificate/key_bits", "256" },
	{ "tls", "hosts/0/tls/peer_certificate/signature_algorithm",
	    "\"ecdsa-with-SHA256\"" },
	{ "tls", "hosts/0/tls/peer_certificate/self_signed", "false" },
	{ "tls", "hosts/0/tls/verify", "{\"chain_ok\": true, \"chain_error\": "
	    "null, \"name\": \"mx.tls.example\", \"name_ok\": true}" },
	{ "tls", "hosts/0/tls/ehlo_after/code", "250" },
	{ "tls", "hosts/0/tls/ehlo_after/extensions/AUTH",
	    "[\"PLAIN\", \"LOGIN\"]" },
	{ "tls", "hosts/0/tls/ehlo_diff",
	    "{\"added\": {\"AUTH\": [\"PLAIN\", \"LOGIN\"]}, "
	    "\"removed\": {\"STARTTLS\": []}, "
	    "\"changed\": {\"SIZE\": {\"before\": [\"1000\"], "
	    "\"after\": [\"2000\"]}}}" },
	{ "tls", "hosts/0/tls/dane/records/0",
	    "{\"usage\": 3, \"selector\": 1, \"matching_type\": 1, "
	    "\"data\": \"101d2a3744515e6b7885929facb9c6d3e0edfa07"
	    "14212e3b4855626f7c8996a3\", \"matched\": true}" },
	{ "tls", "hosts/0/tls/dane/records/1/matched", "false" },
	{ "tls", "hosts/0/tls/dane/records/2/matched", "null" },
	{ "tls", "hosts/0/tls/dane/ad", "true" },
	{ "tls", "hosts/0/tls/dane/matched_count", "1" },
	{ "tls", "hosts/0/commands/VRFY/tls", "true" },
	{ "selfsigned", "hosts/0/tls/injection", "true" },
	{ "selfsigned", "hosts/0/tls/peer_certificate/self_signed", "true" },
	{ "selfsigned", "hosts/0/tls/peer_certificate/subject",
	    "\"CN=mx.self.example\\u001b[2J,O=caf\\u00e9\"" },
	{ "selfsigned", "hosts/0/tls/verify/chain_error",
	    "\"self-signed certificate\"" },
	{ "selfsigned", "hosts/0/tls/ehlo_diff",
	    "{\"added\": {}, \"removed\": {\"STARTTLS\": []}, "
	    "\"changed\": {}}" },
	{ "tlsfail", "hosts/0/tls/ok", "false" },
	{ "tlsfail", "hosts/0/tls/fallback", "true" },
	{ "tlsfail", "hosts/0/tls/error",
	    "\"handshake: tlsv1 alert protocol version\"" },
	{ "tlsfail", "hosts/0/tls/handshake_ms", "null" },
	{ "tlsfail", "hosts/0/tls/peer_certificate", "null" },
	{ "tlsfail", "hosts/0/tls/chain_length", "null" },
	{ "tlsfail", "hosts/0/tls/ehlo_diff", "null" },
	{ "tlsfail", "hosts/0/commands/VRFY/tls", "false" },
	{ "starttls454", "hosts/0/tls/starttls/code", "454" },
	{ "starttls454", "hosts/0/tls/attempted", "true" },
	{ "starttls454", "hosts/0/tls/ok", "false" },
	{ "starttls454", "hosts/0/tls/error", "\"STARTTLS refused: 454\"" },
	{ "smtps", "hosts/0/tls/implicit", "true" },
	{ "smtps", "hosts/0/tls/offered", "false" },
	{ "smtps", "hosts/0/tls/starttls", "null" },
	{ "smtps", "hosts/0/tls/version", "\"TLSv1.2\"" },
	{ "smtps", "hosts/0/tls/ehlo_after", "null" },
	{ "smtps", "hosts/0/commands/VRFY/tls", "true" },
};

static json_t *
json_at(json_t *v, const char *path)
{
	char	*copy, *seg, *save = NULL, *end;
	long	 idx;

	copy = xstrdup(path);
	for (seg = strtok_r(copy, "/", &save); seg != NULL && v != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (json_is_array(v)) {
			idx = strtol(seg, &end, 10);
			v = *end == '\0' ? json_array_get(v, (size_t)idx) : NULL;
		} else
			v = json_object_get(v, seg);
	}
	free(copy);
	return v;
}

START_TEST(test_json_fields)
{
	struct target_result	*t;
	json_t			*obj, *got, *want;
	json_error_t		 err;
	char			*dump;

	t = fixture(json_field_cases[_i].fixture);
	obj = report_json_target(t);
	want = json_loads(json_field_cases[_i].want, JSON_DECODE_ANY, &err);
	ck_assert_msg(want != NULL, "bad want %s: %s",
	    json_field_cases[_i].want, err.text);
	got = json_at(obj, json_field_cases[_i].path);
	ck_assert_msg(got != NULL, "%s: no %s", json_field_cases[_i].fixture,
	    json_field_cases[_i].path);
	dump = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
	ck_assert_msg(json_equal(got, want), "%s %s: got %s, want %s",
	    json_field_cases[_i].fixture, json_field_cases[_i].path, dump,
	    json_field_cases[_i].want);
	free(dump);
	json_decref(want);
	json_decref(obj);
	result_target_free(t);
}
END_TEST

/* every host's "tls" object has every key, in this order */
static const char *const tls_keys[] = {
	"offered", "implicit", "attempted", "starttls", "ok", "handshake_ms",
	"version", "cipher", "group", "error", "injection", "fallback",
	"peer_certificate", "chain_length", "chain", "pem_kept", "verify",
	"ehlo_after",
	"ehlo_diff", "dane", "versions",
};
static const char *const cert_keys[] = {
	"subject", "issuer", "sans", "not_before", "not_after", "days_left",
	"key_type", "key_bits", "signature_algorithm", "sha256", "spki_sha256",
	"self_signed",
};

static void
check_keys(json_t *obj, const char *const *want, size_t n, const char *what)
{
	void	*it;
	size_t	 i = 0;

	ck_assert_msg(json_is_object(obj), "%s: not an object", what);
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it), i++) {
		ck_assert_msg(i < n, "%s: extra key \"%s\"", what,
		    json_object_iter_key(it));
		ck_assert_msg(strcmp(json_object_iter_key(it), want[i]) == 0,
		    "%s: key %zu: got \"%s\", want \"%s\"", what, i,
		    json_object_iter_key(it), want[i]);
	}
	ck_assert_msg(i == n, "%s: got %zu keys, want %zu", what, i, n);
}

START_TEST(test_json_tls_keys)
{
	struct target_result	*t;
	json_t			*obj, *hosts, *tls, *cert;
	size_t			 i;

	t = fixtures[_i].build();
	obj = report_json_target(t);
	hosts = json_object_get(obj, "hosts");
	for (i = 0; i < json_array_size(hosts); i++) {
		tls = json_object_get(json_array_get(hosts, i), "tls");
		check_keys(tls, tls_keys, nitems(tls_keys), fixtures[_i].name);
		cert = json_object_get(tls, "peer_certificate");
		if (!json_is_null(cert))
			check_keys(cert, cert_keys, nitems(cert_keys),
			    fixtures[_i].name);
	}
	json_decref(obj);
	result_target_free(t);
}
END_TEST

/* ------------------------------------------------------------------ */
/* text */

/* a cell of the matrix: the row of `row', under the header `column' */
static const struct {
	const char	*fixture;
	const char	*row;		/* text that identifies the row */
	const char	*column;
	const char	*want;
} text_cell_cases[] = {
	{ "postfix", "192.0.2.10", "MX", "10 mx.example.com" },
	{ "postfix", "192.0.2.10", "BANNER", "220" },
	{ "postfix", "192.0.2.10", "EHLO", "250" },
	{ "postfix", "192.0.2.10", "TLS", "1.3 ok" },
	{ "postfix", "192.0.2.10", "VRFY", "502 not impl" },
	{ "postfix", "192.0.2.10", "EXPN", "502 not impl" },
	{ "postfix", "192.0.2.10", "TURN", "502 not impl" },
	{ "exim", "192.0.2.20", "VRFY", "252 cannot verify" },
	{ "exim", "2001:db8::20", "VRFY", "252 cannot verify" },
	{ "exim", "2001:db8::20", "EXPN", "550 refused" },
	{ "exim", "2001:db8::20", "TURN", "500 unrecognized" },
	{ "permissive", "203.0.113.5", "VRFY", "250 SUPPORTED" },
	{ "permissive", "203.0.113.5", "EXPN", "250 SUPPORTED" },
	{ "permissive", "203.0.113.5", "TURN", "250 SUPPORTED" },
	{ "permissive", "203.0.113.5", "TLS", "none" },
	{ "refused", "192.0.2.31", "BANNER", "-" },
	{ "refused", "192.0.2.31", "TLS", "-" },
	{ "refused", "192.0.2.31", "VRFY", "-" },
	{ "refused", "192.0.2.31", "ERROR", "connect: Connection refused" },
	{ "refused", "192.0.2.32", "MX", "20 mx2.two.example" },
	{ "refused", "192.0.2.32", "VRFY", "502 not impl" },
	{ "timeout", "192.0.2.40:2525", "MX", "slow.example.net" },
	{ "timeout", "192.0.2.40:2525", "BANNER", "220" },
	{ "timeout", "192.0.2.40:2525", "EHLO", "-" },
	{ "timeout", "192.0.2.40:2525", "TURN", "-" },
	{ "timeout", "192.0.2.40:2525", "ERROR",
	    "no reply to EHLO within 30000 ms" },
	{ "hostile", "198.51.100.7", "VRFY", "550 refused" },
	{ "hostile", "198.51.100.7", "MX", "-" },
	{ "helo", "192.0.2.50", "EHLO", "HELO" },
	{ "helo", "192.0.2.50", "TLS", "none" },
	{ "helo", "192.0.2.50", "VRFY", "252 cannot verify" },
	{ "implicit", "192.0.2.60", "MX", "implicit.example" },
	{ "exim", "2001:db8::20", "TLS", "1.3 ok" },
	{ "refused", "192.0.2.32", "TLS", "1.3 ok" },
	{ "tls", "192.0.2.70", "TLS", "1.3 ok" },
	{ "tls", "192.0.2.70", "VRFY", "502 not impl" },
	{ "selfsigned", "192.0.2.71", "TLS", "1.3 self-signed" },
	{ "tlsfail", "192.0.2.72", "TLS", "failed" },
	{ "tlsfail", "192.0.2.72", "VRFY", "502 not impl" },
	{ "starttls454", "192.0.2.73", "TLS", "refused" },
	{ "smtps", "192.0.2.74:465", "TLS", "1.2 ok" },
	{ "smtps", "192.0.2.74:465", "BANNER", "220" },
};

/* offset of the header cell `name' in a header line, or -1 */
static long
column_offset(const char *header, const char *name)
{
	const char	*p = header;
	size_t		 n = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == header || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return (long)(p - header);
		p += n;
	}
	return -1;
}

START_TEST(test_text_cells)
{
	struct target_result	*t;
	char			*text, *header, *row, key[96];
	const char		*want = text_cell_cases[_i].want;
	long			 off;
	size_t			 n = strlen(want);

	t = fixture(text_cell_cases[_i].fixture);
	text = render_text(t, 0, 0);
	header = line_with(text, "  MX  ");
	ck_assert_msg(header != NULL, "no header row in:\n%s", text);
	off = column_offset(header, text_cell_cases[_i].column);
	ck_assert_msg(off >= 0, "no column %s in \"%s\"",
	    text_cell_cases[_i].column, header);
	/* the row key is the ADDRESS cell: padded by blanks, unlike the header */
	snprintf(key, sizeof(key), "  %s ", text_cell_cases[_i].row);
	row = line_with(text, key);
	ck_assert_msg(row != NULL, "no row %s in:\n%s",
	    text_cell_cases[_i].row, text);
	ck_assert_msg((long)strlen(row) >= off + (long)n &&
	    strncmp(row + off, want, n) == 0 &&
	    (row[off + (long)n] == ' ' || row[off + (long)n] == '\0'),
	    "%s %s/%s: got \"%.*s\", want \"%s\" in:\n%s",
	    text_cell_cases[_i].fixture, text_cell_cases[_i].row,
	    text_cell_cases[_i].column, (int)n,
	    (long)strlen(row) > off ? row + off : "", want, text);
	free(header);
	free(row);
	free(text);
	result_target_free(t);
}
END_TEST

/*
 * The TLS cell of the postfix fixture (TLS 1.3, trusted, 30 days left)
 * with one thing changed: the most serious problem wins.
 */
static const struct {
	const char	*name;
	const char	*version;	/* NULL: keep */
	int		 attempted;
	int		 have_cert;
	int		 chain_ok;
	int		 name_ok;
	int		 self_signed;
	long		 days_left;
	int		 dane;		/* 1 DNSSEC-validated and no match */
	const char	*want;
} verdict_cases[] = {
	{ "good", NULL, 1, 1, 1, 1, 0, 30, 0, "1.3 ok" },
	{ "--no-starttls", NULL, 0, 1, 1, 1, 0, 30, 0, "off" },
	{ "untrusted", NULL, 1, 1, 0, 1, 0, 30, 0, "1.3 untrusted" },
	{ "self-signed", NULL, 1, 1, 0, 1, 1, 30, 0, "1.3 self-signed" },
	{ "self-signed, trusted (--cafile)", NULL, 1, 1, 1, 1, 1, 30, 0,
	    "1.3 ok" },
	{ "name", NULL, 1, 1, 1, 0, 0, 30, 0, "1.3 name" },
	{ "expired", NULL, 1, 1, 1, 1, 0, -3, 0, "1.3 expired" },
	{ "expires today", NULL, 1, 1, 1, 1, 0, 0, 0, "1.3 ok" },
	{ "expired beats self-signed", NULL, 1, 1, 0, 0, 1, -1, 0,
	    "1.3 expired" },
	{ "untrusted beats name", NULL, 1, 1, 0, 0, 0, 30, 0,
	    "1.3 untrusted" },
	{ "DANE failure beats everything", NULL, 1, 1, 0, 0, 1, -1, 1,
	    "1.3 dane" },
	{ "no certificate", NULL, 1, 0, 0, 0, 0, 0, 0, "1.3 no cert" },
	{ "TLS 1.2", "TLSv1.2", 1, 1, 1, 1, 0, 30, 0, "1.2 ok" },
	{ "OpenSSL's TLSv1", "TLSv1", 1, 1, 1, 1, 0, 30, 0, "1.0 ok" },
	{ "hostile version", "TLSv\x1b[2J", 1, 1, 1, 1, 0, 30, 0, "?[2J ok" },
};

START_TEST(test_text_tls_verdict)
{
	struct target_result	*t;
	struct host_result	*h;
	char			*text, *header, *row, *got, *sp;
	long			 off;

	t = fixture("postfix");
	h = &t->hosts[0];
	if (verdict_cases[_i].version != NULL) {
		free(h->tls.version);
		h->tls.version = xstrdup(verdict_cases[_i].version);
	}
	if (!verdict_cases[_i].attempted) {
		h->tls.attempted = 0;
		h->tls.ok = 0;
	}
	h->tls.have_cert = verdict_cases[_i].have_cert;
	h->tls.verify.chain_ok = verdict_cases[_i].chain_ok;
	h->tls.verify.name_ok = verdict_cases[_i].name_ok;
	h->tls.cert.self_signed = verdict_cases[_i].self_signed;
	h->tls.cert.days_left = verdict_cases[_i].days_left;
	if (verdict_cases[_i].dane) {
		fx_tlsa(h, 3, 1, 1, 0x40, 0);
		fx_tlsa(h, 0, 0, 1, 0x50, -1);
		h->tls.tlsa_ad = 1;
		h->tls.dane_matched = 0;
	}
	text = render_text(t, 0, 0);
	header = line_with(text, "  MX  ");
	row = line_with(text, "  192.0.2.10 ");
	ck_assert_msg(header != NULL && row != NULL, "no matrix in:\n%s", text);
	off = column_offset(header, "TLS");
	ck_assert_msg(off >= 0 && (long)strlen(row) > off, "no TLS column");
	got = xstrdup(row + off);
	/* the cell ends before two blanks (the next column) */
	if ((sp = strstr(got, "  ")) != NULL)
		*sp = '\0';
	ck_assert_msg(strcmp(got, verdict_cases[_i].want) == 0,
	    "%s: got \"%s\", want \"%s\"", verdict_cases[_i].name, got,
	    verdict_cases[_i].want);
	free(got);
	free(header);
	free(row);
	free(text);
	result_target_free(t);
}
END_TEST

/* lines the whole block must contain *//* lines the whole block must contain */
static const struct {
	const char	*fixture;
	const char	*want;
} text_line_cases[] = {
	{ "postfix", "example.com: MX: 1 host\n" },
	{ "postfix", "  TURN: " ADV_TURN_ETRN "\n" },
	{ "exim", "Advice:\n  all hosts: VRFY: " ADV_VRFY_OFF "\n" },
	{ "exim", "  all hosts: TURN: " ADV_TURN_OFF "\n" },
	{ "permissive", "  [high] vrfy-enabled (mail.open.example 203.0.113.5): "
	    "VRFY confirms mailboxes (250)\n" },
	{ "permissive", "  [medium] no-starttls (mail.open.example 203.0.113.5): STARTTLS is not "
	    "offered: mail to mail.open.example travels in clear text\n" },
	{ "nullmx", "nomail.example: null MX (RFC 7505): this domain accepts "
	    "no mail\n" },
	{ "nullmx", "  [info] null-mx: nomail.example publishes" },
	{ "nxdomain", "no-such-domain.invalid: DNS error: no-such-domain."
	    "invalid: no such domain (NXDOMAIN)\n" },
	{ "refused", "two.example: MX: 3 hosts\n"
	    "  MX 30 mx3.two.example: no address (NXDOMAIN)\n" },
	{ "refused", "  [high] mx-is-cname (mx1.two.example): mx1.two.example is an alias" },
	{ "refused", "Advice:\n  192.0.2.32: VRFY: " ADV_VRFY_OFF "\n" },
	{ "timeout", "slow.example.net:2525: host, 1 address\n"
	    "  error: no address completed a session\n" },
	{ "hostile", "198.51.100.7: address, no DNS\n" },
	{ "hostile", "  [low] early-talker (198.51.100.7): server sent "
	    "?[5mdata?[0m before its greeting\n" },
	{ "implicit", "implicit.example: no MX: implicit MX (RFC 5321 5.1)\n" },
	{ "postfix", "TLS:\n  mx.example.com 192.0.2.10: TLSv1.3 "
	    "TLS_AES_256_GCM_SHA384 X25519; certificate CN=mx.example.com "
	    "(issuer CN=Test CA), expires 2026-12-29 (30 days); chain: ok; "
	    "name mx.example.com: ok\n"
	    "    DANE-EE records for _25._tcp.mx.example.com.\n"
	    "    TLSA 3 1 1 f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4b2907e5c3a18\n"
	    "    TLSA 3 0 1 e5c3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4b2907e5c3a18f6d4b2907\n"
	    "Delivery:\n" },
	{ "exim", "TLS:\n  mail.exim.example 192.0.2.20: TLSv1.3 " },
	{ "exim", "\n  mail.exim.example 2001:db8::20: TLSv1.3 " },
	{ "tls", "TLS:\n  mx.tls.example 192.0.2.70: TLSv1.3 "
	    "TLS_AES_256_GCM_SHA384 X25519; certificate CN=mx.tls.example "
	    "(issuer CN=Test CA), expires 2026-12-29 (30 days); chain, name "
	    "and dates: DANE-EE (RFC 7672 3.1.1); DANE: 1 of 3 TLSA records match, "
	    "1 unusable (DNSSEC-validated)\n" },
	{ "tls", "\n    EHLO after STARTTLS: +AUTH PLAIN LOGIN, -STARTTLS, "
	    "~SIZE 1000 -> 2000\nDelivery:\n" },
	{ "selfsigned", "  mx.self.example 192.0.2.71: TLSv1.3 "
	    "TLS_AES_256_GCM_SHA384 X25519; certificate "
	    "CN=mx.self.example?[2J,O=caf?? (self-signed), expires 2027-09-25 "
	    "(300 days); chain: untrusted (self-signed certificate); name "
	    "mx.self.example: ok\n" },
	{ "selfsigned", "\n    STARTTLS injection: bytes after 220 were "
	    "discarded\n    EHLO after STARTTLS: -STARTTLS\n" },
	{ "tlsfail", "TLS:\n  mx.oldtls.example 192.0.2.72: handshake failed "
	    "(tlsv1 alert protocol version); commands ran over a plaintext "
	    "reconnect\nDelivery:\n" },
	/* the senders' verdicts (delivery.c), for a domain */
	{ "postfix", "Delivery:\n  opportunistic  delivers  mx.example.com "
	    "(192.0.2.10): over TLSv1.3\n" },
	{ "tls", "\n  DANE           delivers  mx.tls.example (192.0.2.70): a "
	    "DANE-EE TLSA record matches (RFC 7672 3.1.1)\n" },
	{ "starttls454", "TLS:\n  mx.notls.example 192.0.2.73: STARTTLS "
	    "refused: 454 4.7.0 TLS not available due to local problem; "
	    "commands ran in plaintext\n" },
	{ "smtps", "TLS:\n  smtp.example.net 192.0.2.74:465: TLSv1.2 "
	    "ECDHE-RSA-AES256-GCM-SHA384 secp384r1; certificate "
	    "CN=smtp.example.net (issuer CN=Test CA), expires 2027-06-17 "
	    "(200 days); chain: ok; name smtp.example.net: ok\n" },
};

/* --show-certs: the kept PEM of each certificate, after its subject */
START_TEST(test_text_pem)
{
	struct target_result	*t;
	struct host_result	*h;
	char			*text;
	json_t			*obj;

	t = fixture("smtps");
	h = &t->hosts[0];
	h->tls.pem_kept = 1;
	h->tls.chain[0].pem = xstrdup("-----BEGIN CERTIFICATE-----\nMIIB\n"
	    "-----END CERTIFICATE-----\n");
	h->tls.chain[1].pem = xstrdup("-----BEGIN CERTIFICATE-----\nMIIC\n"
	    "-----END CERTIFICATE-----\n");
	text = render_text(t, 0, 0);
	ck_assert_msg(strstr(text, "    certificate 0: CN=smtp.example.net\n"
	    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	    "    certificate 1: CN=Test CA\n-----BEGIN CERTIFICATE-----\nMIIC\n")
	    != NULL, "no PEM chain in:\n%s", text);
	free(text);
	obj = report_json_target(t);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(json_array_get(json_object_get(obj,
	    "hosts"), 0), "tls"), "chain"), 1), "pem")),
	    "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
	ck_assert(json_is_true(json_object_get(json_object_get(json_array_get(
	    json_object_get(obj, "hosts"), 0), "tls"), "pem_kept")));
	json_decref(obj);
	result_target_free(t);
}
END_TEST

START_TEST(test_text_lines)
{
	struct target_result	*t;
	char			*text;

	t = fixture(text_line_cases[_i].fixture);
	text = render_text(t, 0, 0);
	ck_assert_msg(strstr(text, text_line_cases[_i].want) != NULL,
	    "%s: want \"%s\" in:\n%s", text_line_cases[_i].fixture,
	    text_line_cases[_i].want, text);
	free(text);
	result_target_free(t);
}
END_TEST

/* things the block must not contain */
static const struct {
	const char	*fixture;
	const char	*unwanted;
} text_absent_cases[] = {
	{ "nxdomain", "  error: " },		/* same as the DNS error */
	{ "nxdomain", "  MX  " },		/* no matrix without hosts */
	{ "nullmx", "Advice:" },
	{ "postfix", "ERROR" },			/* no error column if no error */
	{ "postfix", "Findings:" },
	{ "exim", "192.0.2.20: VRFY" },		/* said once, for all hosts */
	{ "hostile", "Transcript" },		/* only when asked */
	{ "postfix", " \n" },			/* no trailing blanks */
	{ "refused", " \n" },
	{ "timeout", " \n" },
	{ "permissive", "TLS:\n" },		/* no address tried TLS */
	{ "helo", "TLS:\n" },
	{ "postfix", "EHLO after STARTTLS" },	/* no second EHLO recorded */
	{ "smtps", "EHLO after STARTTLS" },	/* implicit TLS: one EHLO */
	{ "starttls454", "second line" },	/* the first line will do */
	{ "tls", "STARTTLS injection" },
	{ "tls", " \n" },
	{ "selfsigned", " \n" },
	{ "tlsfail", " \n" },
};

START_TEST(test_text_absent)
{
	struct target_result	*t;
	char			*text;

	t = fixture(text_absent_cases[_i].fixture);
	text = render_text(t, 0, 0);
	ck_assert_msg(strstr(text, text_absent_cases[_i].unwanted) == NULL,
	    "%s: unwanted \"%s\" in:\n%s", text_absent_cases[_i].fixture,
	    text_absent_cases[_i].unwanted, text);
	free(text);
	result_target_free(t);
}
END_TEST

/* without colour: no byte outside printable ASCII but '\n' */
START_TEST(test_text_no_control)
{
	struct target_result	*t;
	char			*text;
	const unsigned char	*p;

	t = fixtures[_i].build();
	text = render_text(t, 0, 1);
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f),
		    "%s: byte 0x%02x at offset %td", fixtures[_i].name, *p,
		    (const char *)p - text);
	free(text);
	result_target_free(t);
}
END_TEST

/* with colour: every ESC starts one of our SGR sequences, ESC [ digits m */
START_TEST(test_text_color_sgr_only)
{
	struct target_result	*t;
	char			*text;
	const unsigned char	*p;
	int			 nesc = 0;

	t = fixtures[_i].build();
	text = render_text(t, 1, 1);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == 0x1b) {
			nesc++;
			ck_assert_msg(p[1] == '[', "%s: ESC not CSI at %td",
			    fixtures[_i].name, (const char *)p - text);
			for (p += 2; (*p >= '0' && *p <= '9') || *p == ';'; p++)
				;
			ck_assert_msg(*p == 'm', "%s: CSI ends in 0x%02x, want "
			    "'m'", fixtures[_i].name, *p);
			continue;
		}
		ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f),
		    "%s: byte 0x%02x at offset %td", fixtures[_i].name, *p,
		    (const char *)p - text);
	}
	ck_assert_msg(nesc > 0, "%s: no colour at all", fixtures[_i].name);
	free(text);
	result_target_free(t);
}
END_TEST

static const struct {
	const char	*fixture;
	const char	*want;
} text_color_cases[] = {
	{ "permissive", "\033[31m250 SUPPORTED\033[0m" },	/* red: open */
	{ "postfix", "\033[32m502 not impl\033[0m" },		/* green: closed */
	{ "exim", "\033[32m252 cannot verify\033[0m" },
	{ "exim", "\033[32m550 refused\033[0m" },
	{ "refused", "\033[31mconnect: Connection refused\033[0m" },
	{ "permissive", "\033[31m[high]\033[0m vrfy-enabled" },
	{ "tls", "\033[32m1.3 ok\033[0m" },
	{ "tls", "chain, name and dates: \033[32mDANE-EE (RFC 7672 3.1.1)\033[0m" },
	{ "tls", "DANE: \033[32m1 of 3 TLSA records match\033[0m" },
	{ "selfsigned", "\033[33m1.3 self-signed\033[0m" },
	{ "selfsigned", "\033[31mSTARTTLS injection: bytes after 220 were "
	    "discarded\033[0m" },
	{ "tlsfail", "\033[31mfailed\033[0m" },
	{ "tlsfail", "\033[31mhandshake failed\033[0m (tlsv1" },
	{ "starttls454", "\033[33mrefused\033[0m" },
	{ "permissive", "\033[33mnone\033[0m" },
};

START_TEST(test_text_color)
{
	struct target_result	*t;
	char			*text;

	t = fixture(text_color_cases[_i].fixture);
	text = render_text(t, 1, 0);
	ck_assert_msg(strstr(text, text_color_cases[_i].want) != NULL,
	    "%s: want colour sequence %d", text_color_cases[_i].fixture, _i);
	free(text);
	result_target_free(t);
}
END_TEST

START_TEST(test_text_transcript)
{
	struct target_result	*t;
	char			*text, *matrix_end, *tr;

	t = fixture("hostile");
	text = render_text(t, 0, 1);
	tr = strstr(text, "Transcript 198.51.100.7:\n");
	ck_assert_msg(tr != NULL, "no transcript header in:\n%s", text);
	matrix_end = strstr(text, "  198.51.100.7 ");
	ck_assert_msg(matrix_end != NULL && matrix_end < tr,
	    "transcript not after the matrix:\n%s", text);
	ck_assert_msg(strstr(tr, "\n  -> EHLO probe.invalid\n") != NULL,
	    "no sent line in:\n%s", tr);
	ck_assert_msg(strstr(tr, "\n  <- 250-evil.?example greets you\n")
	    != NULL, "no received line in:\n%s", tr);
	ck_assert_msg(strstr(tr, "<- 550 5.7.1 ?]8;;http://evil.example/?click"
	    "?]8;;? ?31m?\n") != NULL, "hostile reply not sanitized:\n%s", tr);
	free(text);
	result_target_free(t);
}
END_TEST

/* the ERROR cell when probe.c left no message: built from the failure */
static const struct {
	enum probe_fail	 fail;
	const char	*state;
	const char	*connect_error;
	const char	*want;
} error_fallback_cases[] = {
	{ PROBE_F_TIMEOUT, "ehlo", NULL, "timeout in EHLO" },
	{ PROBE_F_PROTO, NULL, NULL, "protocol" },
	{ PROBE_F_CONN, "connect", "Connection refused",
	    "connect: Connection refused" },
	{ PROBE_F_TLS, "starttls\x1b[2J", NULL, "tls in STARTTLS?[2J" },
};

START_TEST(test_text_error_fallback)
{
	struct target_result	*t;
	struct host_result	*h;
	char			*text, *row, *want;

	t = fixture("timeout");
	h = &t->hosts[0];
	free(h->error);
	h->error = NULL;
	h->fail = error_fallback_cases[_i].fail;
	h->fail_state = error_fallback_cases[_i].state;
	if (error_fallback_cases[_i].connect_error != NULL) {
		h->connect.ok = 0;
		h->connect.error = xstrdup(error_fallback_cases[_i].connect_error);
	}
	text = render_text(t, 0, 0);
	row = line_with(text, "  192.0.2.40:2525 ");
	ck_assert_msg(row != NULL, "no row in:\n%s", text);
	want = xasprintf("  %s", error_fallback_cases[_i].want);
	ck_assert_msg(strlen(row) >= strlen(want) &&
	    strcmp(row + strlen(row) - strlen(want), want) == 0,
	    "got row \"%s\", want it to end in \"%s\"", row, want);
	free(want);
	free(row);
	free(text);
	result_target_free(t);
}
END_TEST

/* ------------------------------------------------------------------ */
/* streams */

static const size_t stream_counts[] = { 0, 1, 3 };

/*
 * --format json: one run document whatever the number of targets (0, 1
 * or 3): run-level fields, the targets in order, counts by outcome
 */
START_TEST(test_stream_json_run)
{
	size_t		 n = stream_counts[_i], i;
	char		*out, name[32];
	json_t		*run, *arr, *counts;
	json_error_t	 err;

	out = render_stream(FMT_JSON, n);
	run = json_loads(out, 0, &err);
	ck_assert_msg(run != NULL, "not JSON (%s):\n%s", err.text, out);
	ck_assert_msg(json_is_object(run), "not an object:\n%s", out);
	ck_assert_str_eq(json_string_value(json_object_get(run, "schema")),
	    RESULT_SCHEMA);
	ck_assert_str_eq(json_string_value(json_object_get(run, "kind")), "run");
	ck_assert(json_is_string(json_object_get(run, "started")));
	ck_assert(json_is_integer(json_object_get(run, "duration_ms")));
	arr = json_object_get(run, "targets");
	ck_assert_msg(json_is_array(arr), "targets is not an array:\n%s", out);
	ck_assert_msg(json_array_size(arr) == n, "got %zu targets, want %zu",
	    json_array_size(arr), n);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t%zu.example", i);
		ck_assert_str_eq(json_string_value(json_object_get(
		    json_array_get(arr, i), "target")), name);
	}
	counts = json_object_get(run, "counts");
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "targets")),
	    (json_int_t)n);
	ck_assert_msg(strncmp(out, "{\n  \"schema\"", 12) == 0,
	    "not indented by 2:\n%.40s", out);
	ck_assert_msg(out[strlen(out) - 1] == '\n', "no final newline");
	json_decref(run);
	free(out);
}
END_TEST

START_TEST(test_stream_jsonl)
{
	size_t		 n = stream_counts[_i], lines = 0;
	char		*out, *line, *nl, name[32];
	json_t		*obj;
	json_error_t	 err;

	out = render_stream(FMT_JSONL, n);
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_msg(nl != NULL, "line %zu has no newline", lines);
		*nl = '\0';
		obj = json_loads(line, 0, &err);
		ck_assert_msg(obj != NULL && json_is_object(obj),
		    "line %zu is not a JSON object: %s", lines, err.text);
		snprintf(name, sizeof(name), "t%zu.example", lines);
		ck_assert_str_eq(json_string_value(json_object_get(obj,
		    "target")), name);
		json_decref(obj);
		lines++;
	}
	ck_assert_msg(lines == n, "got %zu lines, want %zu", lines, n);
	free(out);
}
END_TEST

START_TEST(test_stream_text)
{
	char	*out, *second;

	out = render_stream(FMT_TEXT, 2);
	ck_assert_msg(strncmp(out, "t0.example: ", 12) == 0,
	    "does not start with the first target:\n%s", out);
	second = strstr(out, "\n\nt1.example: ");
	ck_assert_msg(second != NULL, "no blank line before the second "
	    "target:\n%s", out);
	ck_assert_msg(strstr(out, "\n\n\n") == NULL, "two blank lines:\n%s", out);
	free(out);
}
END_TEST


/* ------------------------------------------------------------------ */
/* the summary of a run (summary.c, report_text_summary, report_json_summary) */

static const struct {
	const char	*name;
	int		 wide;
} batch_goldens[] = {
	{ "report-batch", 0 },
	{ "report-batch-wide", 1 },
};

START_TEST(test_text_golden)
{
	char	*out = render_batch(batch_goldens[_i].wide, 0);

	text_golden(batch_goldens[_i].name, out);
	free(out);
}
END_TEST

/*
 * Not --wide: every matrix line (no ": " in it) and every summary line
 * fits TEXT_WIDTH columns, the long MX names of the longnames fixture
 * included; --wide keeps them whole.  The owner name of the TLSA lines is
 * never shortened: it is there to be copied into a zone.
 */
START_TEST(test_text_narrow)
{
	char	*out = render_batch(0, 0), *wide = render_batch(1, 0);
	char	*line, *nl, *sum;

	sum = strstr(out, "\nSummary: ");
	ck_assert_ptr_nonnull(sum);
	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		if (strncmp(line, "    DANE-EE records for ", 24) == 0)
			continue;
		if (line > sum || strstr(line, ": ") == NULL ||
		    strstr(line, ": ") > nl)
			ck_assert_msg(nl - line <= 80, "%d columns: %.*s",
			    (int)(nl - line), (int)(nl - line), line);
	}
	ck_assert_msg(strstr(out, "  10 mx-e....net  192.0.2.81  ") != NULL,
	    "no shortened name in:\n%s", out);
	ck_assert_msg(strstr(out, "Full names:\n  10 mx-e....net: "
	    "mx-eu-west-1a.inbound.mail-protection.example.net\n") != NULL,
	    "no full name in:\n%s", out);
	ck_assert(strstr(wide, "  10 mx-eu-west-1a.inbound.mail-protection."
	    "example.net  192.0.2.81  ") != NULL);
	ck_assert(strstr(wide, "Full names:") == NULL);
	free(out);
	free(wide);
}
END_TEST


/* advice is said once a run per (command, status, advice) */
START_TEST(test_text_advice_once)
{
	struct report		 r;
	struct target_result	*t;
	char			*buf = NULL, *second;
	size_t			 len = 0, i;

	memset(&r, 0, sizeof(r));
	r.out = open_memstream(&buf, &len);
	r.format = FMT_TEXT;
	report_begin(&r);
	for (i = 0; i < 2; i++) {
		t = fixture("postfix");
		report_target(&r, t);
		result_target_free(t);
	}
	report_end(&r);
	ck_assert_int_eq(fclose(r.out), 0);
	second = strstr(buf, "\n\nexample.com: ");
	ck_assert_msg(second != NULL, "no second target:\n%s", buf);
	ck_assert_msg(strstr(buf, "  VRFY: " ADV_VRFY_OFF "\n") < second,
	    "no advice for the first target:\n%s", buf);
	ck_assert_msg(strstr(second, ADV_VRFY_OFF) == NULL, "advice said twice:\n%s",
	    buf);
	ck_assert_msg(strstr(second, "Advice:\n  as above: VRFY, EXPN, TURN\n") !=
	    NULL, "no \"as above\" in:\n%s", second);
	free(buf);
}
END_TEST

/* --no-advice: no Advice block at all */
START_TEST(test_text_no_advice)
{
	struct report		 r;
	struct target_result	*t;
	char			*buf = NULL;
	size_t			 len = 0;

	memset(&r, 0, sizeof(r));
	r.out = open_memstream(&buf, &len);
	r.format = FMT_TEXT;
	r.no_advice = 1;
	report_begin(&r);
	t = fixture("postfix");
	report_target(&r, t);
	result_target_free(t);
	report_end(&r);
	ck_assert_int_eq(fclose(r.out), 0);
	ck_assert_msg(strstr(buf, "Advice") == NULL, "got:\n%s", buf);
	ck_assert_msg(strstr(buf, "  10 mx.example.com  ") != NULL, "got:\n%s", buf);
	free(buf);
}
END_TEST

/*
 * A finding's advice: under its first line, once a run (once a target
 * with two hosts); none with --no-advice
 */
#define ADV_STARTTLS	"Enable STARTTLS with a certificate for the MX name."

static struct target_result *
fx_advised(void)
{
	struct target_result	*t;
	size_t			 i;

	t = fx_target("advised.example", TARGET_DOMAIN, "advised.example");
	fx_postfix_host(t, "mx.advised.example", 10, "192.0.2.90");
	fx_postfix_host(t, "mx.advised.example", 10, "192.0.2.91");
	for (i = 0; i < 2; i++) {
		result_add_finding(t, SEV_MEDIUM, "starttls-missing",
		    "mx.advised.example", i == 0 ? "192.0.2.90" : "192.0.2.91",
		    "STARTTLS is not offered");
		t->findings[t->nfindings - 1].advice = ADV_STARTTLS;
	}
	return t;
}

static struct target_result *
build_advised(size_t i)
{
	(void)i;
	return fx_advised();
}

static char *
render_run(int no_advice, size_t n)
{
	struct report	 r;

	memset(&r, 0, sizeof(r));
	r.no_advice = no_advice;
	return render_text_run(&r, build_advised, n);
}

START_TEST(test_text_finding_advice)
{
	char	*one, *two, *none, *p;

	one = render_run(0, 1);
	ck_assert_msg(strstr(one, "  [medium] starttls-missing (mx.advised.example "
	    "192.0.2.90): STARTTLS is not offered\n    advice: " ADV_STARTTLS
	    "\n  [medium] starttls-missing (mx.advised.example 192.0.2.91): "
	    "STARTTLS is not offered\n") != NULL, "got:\n%s", one);
	p = strstr(one, ADV_STARTTLS);
	ck_assert_msg(strstr(p + 1, ADV_STARTTLS) == NULL, "said twice:\n%s", one);
	two = render_run(0, 2);
	p = strstr(two, ADV_STARTTLS);
	ck_assert_msg(p != NULL && strstr(p + 1, ADV_STARTTLS) == NULL,
	    "not once a run:\n%s", two);
	none = render_run(1, 1);
	ck_assert_msg(strstr(none, "advice") == NULL &&
	    strstr(none, "STARTTLS is not offered") != NULL, "got:\n%s", none);
	free(one);
	free(two);
	free(none);
}
END_TEST

/*
 * The same finding on 3 hosts or more: one line with the count and the
 * hosts (at most 4 named); on 2 hosts: a line each
 */
START_TEST(test_text_findings_grouped)
{
	struct target_result	*t;
	char			*text, addr[32];
	size_t			 i;

	t = fx_target("many.example", TARGET_DOMAIN, "many.example");
	for (i = 0; i < 5; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%zu", 100 + i);
		fx_postfix_host(t, "mx.many.example", 10, addr);
		result_add_finding(t, SEV_MEDIUM, "starttls-missing",
		    "mx.many.example", addr, "STARTTLS is not offered");
	}
	result_add_finding(t, SEV_LOW, "ptr-missing", "mx.many.example",
	    "192.0.2.100", "no PTR for 192.0.2.100");
	result_add_finding(t, SEV_LOW, "ptr-missing", "mx.many.example",
	    "192.0.2.101", "no PTR for 192.0.2.101");
	text = render_text(t, 0, 0);
	ck_assert_msg(strstr(text, "  [medium] starttls-missing (5 hosts: "
	    "mx.many.example 192.0.2.100, mx.many.example 192.0.2.101, "
	    "mx.many.example 192.0.2.102, mx.many.example 192.0.2.103 and 1 "
	    "more): STARTTLS is not offered\n") != NULL, "got:\n%s", text);
	ck_assert_msg(strstr(text, "(mx.many.example 192.0.2.104)") == NULL,
	    "a grouped finding on its own line:\n%s", text);
	ck_assert_msg(strstr(text, "  [low] ptr-missing (mx.many.example "
	    "192.0.2.101): no PTR for 192.0.2.101\n") != NULL,
	    "two hosts are not grouped:\n%s", text);
	free(text);
	result_target_free(t);
}
END_TEST

/* --summary-only: the summary alone, the same as the batch's last block */
START_TEST(test_summary_only)
{
	char	*all = render_batch(0, 0), *only = render_batch(0, 1), *tail;

	ck_assert_msg(strncmp(only, "Summary: ", 9) == 0, "got:\n%s", only);
	tail = strstr(all, "\nSummary: ");
	ck_assert_msg(tail != NULL, "no summary in the batch:\n%s", all);
	ck_assert_str_eq(tail + 1, only);
	free(all);
	free(only);
}
END_TEST

/* one target: no summary, unless asked for */
START_TEST(test_summary_single)
{
	char	*out = render_stream(FMT_TEXT, 1);

	ck_assert_msg(strstr(out, "Summary") == NULL, "got:\n%s", out);
	free(out);
}
END_TEST

static struct summary *
summary_of(const char *const *names, size_t n)
{
	struct summary		*s = summary_new();
	struct target_result	*t;
	size_t			 i;

	for (i = 0; i < n; i++) {
		t = fixture(names[i]);
		summary_add(s, t);
		result_target_free(t);
	}
	return s;
}

START_TEST(test_summary_counts)
{
	static const char *const names[] = {
		"postfix", "exim", "permissive", "nullmx", "nxdomain",
		"refused", "timeout", "tls", "selfsigned", "tlsfail",
	};
	struct summary		*s = summary_of(names, nitems(names));
	const struct summary_verb *v = NULL;
	size_t			 i, total, sev;

	ck_assert_uint_eq(s->targets, nitems(names));
	for (i = total = 0; i < SUM_LAST; i++)
		total += s->classes[i].n;
	ck_assert_uint_eq(total, s->targets);
	ck_assert_uint_eq(s->classes[SUM_NULL_MX].n, 1);
	ck_assert_str_eq(s->classes[SUM_NULL_MX].name[0], "nomail.example");
	ck_assert_uint_eq(s->classes[SUM_DNS_ERROR].n, 1);
	ck_assert_str_eq(s->classes[SUM_DNS_ERROR].name[0], "no-such-domain.invalid");
	ck_assert_uint_eq(s->classes[SUM_PROBED].nnames, 0);	/* never named */
	for (i = total = 0; i < TLSO_LAST; i++)
		total += s->tls[i].n;
	ck_assert_uint_eq(total, s->hosts);	/* each host has one TLS outcome */
	ck_assert_uint_le(s->hosts_probed, s->hosts);
	for (i = 0; i < s->nverbs; i++)
		if (strcmp(s->verbs[i].verb, "VRFY") == 0)
			v = &s->verbs[i];
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->open + v->closed + v->inconclusive,
	    v->status[ST_SUPPORTED] + v->status[ST_ENUMERABLE] +
	    v->status[ST_UNKNOWN_MAILBOX] + v->status[ST_AMBIGUOUS] +
	    v->status[ST_NOT_LOCAL] + v->status[ST_CANNOT_VERIFY] +
	    v->status[ST_NOT_IMPLEMENTED] + v->status[ST_NOT_RECOGNIZED] +
	    v->status[ST_PARAM_NOT_IMPLEMENTED] + v->status[ST_REFUSED] +
	    v->status[ST_AUTH_REQUIRED] + v->status[ST_BAD_SEQUENCE] +
	    v->status[ST_SYNTAX] + v->status[ST_TEMPORARY] +
	    v->status[ST_UNEXPECTED] + v->status[ST_ERROR] +
	    v->status[ST_NOT_TRIED]);
	for (sev = total = 0; sev <= SEV_HIGH; sev++)
		total += s->sev[sev];
	for (i = 0; i < nitems(names); i++) {
		struct target_result *t = fixture(names[i]);

		total -= t->nfindings;
		result_target_free(t);
	}
	ck_assert_uint_eq(total, 0);		/* every finding counted once */
	summary_free(s);
}
END_TEST

/* a list keeps SUMMARY_NAMES names, each once, and counts the rest */
START_TEST(test_summary_names)
{
	static const char *const names[] = {
		"nxdomain", "nxdomain", "nullmx", "nxdomain", "nxdomain",
		"nxdomain",
	};
	struct summary		*s = summary_new();
	struct target_result	*t;
	char			 name[32];
	size_t			 i;

	for (i = 0; i < nitems(names); i++) {
		t = fixture(names[i]);
		/* the second nxdomain has the first one's name again */
		snprintf(name, sizeof(name), "d%zu.example", i == 1 ? 0 : i);
		free(t->target);
		t->target = xstrdup(name);
		summary_add(s, t);
		result_target_free(t);
	}
	ck_assert_uint_eq(s->classes[SUM_DNS_ERROR].n, 5);
	ck_assert_uint_eq(s->classes[SUM_DNS_ERROR].nnames, SUMMARY_NAMES);
	ck_assert_str_eq(s->classes[SUM_DNS_ERROR].name[0], "d0.example");
	ck_assert_str_eq(s->classes[SUM_DNS_ERROR].name[1], "d3.example");
	ck_assert_str_eq(s->classes[SUM_DNS_ERROR].name[2], "d4.example");
	/* d0 twice, d3, d4: named; d5: "and 1 more" */
	ck_assert_uint_eq(s->classes[SUM_DNS_ERROR].named, 4);
	summary_free(s);
}
END_TEST

/* the worst targets: most high findings first, ties in input order */
START_TEST(test_summary_worst)
{
	struct summary		*s = summary_new();
	struct target_result	*t;
	static const struct {
		const char	*name;
		int		 high, medium;
	} in[] = {
		{ "a", 0, 1 }, { "b", 1, 0 }, { "c", 0, 0 }, { "d", 1, 2 },
		{ "e", 0, 1 }, { "f", 1, 0 },
	};
	static const char *const want[] = { "d", "b", "f" };
	size_t			 i;
	int			 k;

	for (i = 0; i < nitems(in); i++) {
		t = fx_target(in[i].name, TARGET_DOMAIN, in[i].name);
		for (k = 0; k < in[i].high; k++)
			result_add_finding(t, SEV_HIGH, "x-high", NULL, NULL, "h");
		for (k = 0; k < in[i].medium; k++)
			result_add_finding(t, SEV_MEDIUM, "x-medium", NULL, NULL, "m");
		result_add_finding(t, SEV_LOW, "x-low", NULL, NULL, "l");
		summary_add(s, t);
		result_target_free(t);
	}
	ck_assert_uint_eq(s->nworst, nitems(want));
	for (i = 0; i < nitems(want); i++)
		ck_assert_str_eq(s->worst[i].target, want[i]);
	ck_assert_uint_eq(s->worst_total, 5);	/* c has a low finding only */
	ck_assert_uint_eq(s->sev[SEV_LOW], nitems(in));
	ck_assert_uint_eq(s->nids, 3);
	summary_free(s);
}
END_TEST

/* --format json: the run document's summary counts every target */
START_TEST(test_stream_json_summary)
{
	char		*out = render_stream(FMT_JSON, 3);
	json_t		*run, *sum;

	run = json_loads(out, 0, NULL);
	ck_assert_ptr_nonnull(run);
	sum = json_object_get(run, "summary");
	ck_assert_msg(json_is_object(sum), "no summary:\n%s", out);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(sum,
	    "targets"), "total")), 3);
	ck_assert(json_is_object(json_object_get(sum, "tls")));
	ck_assert(json_is_array(json_object_get(json_object_get(sum,
	    "findings"), "by_id")));
	json_decref(run);
	free(out);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("report");

	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_utf8, 0, nitems(utf8_cases));
	tcase_add_test(tc, test_utf8_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("sanitize");
	tcase_add_loop_test(tc, test_sanitize, 0, nitems(sanitize_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("summary");
	tcase_add_loop_test(tc, test_text_golden, 0, nitems(batch_goldens));
	tcase_add_test(tc, test_summary_only);
	tcase_add_test(tc, test_text_narrow);
	tcase_add_test(tc, test_text_advice_once);
	tcase_add_test(tc, test_text_no_advice);
	tcase_add_test(tc, test_text_finding_advice);
	tcase_add_test(tc, test_text_findings_grouped);
	tcase_add_test(tc, test_summary_single);
	tcase_add_test(tc, test_summary_counts);
	tcase_add_test(tc, test_summary_names);
	tcase_add_test(tc, test_summary_worst);
	tcase_add_test(tc, test_stream_json_summary);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_golden");
	tcase_add_loop_test(tc, test_json_golden, 0, nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("json_arena_bytes");
	tcase_add_loop_test(tc, test_json_arena_bytes, 0, nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("json_roundtrip");
	tcase_add_loop_test(tc, test_json_roundtrip, 0, nitems(fixtures));
	tcase_add_test(tc, test_json_line_colliding_keys);
	tcase_add_test(tc, test_json_started_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_fields");
	tcase_add_loop_test(tc, test_json_fields, 0, nitems(json_field_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("json_tls_keys");
	tcase_add_loop_test(tc, test_json_tls_keys, 0, nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_tls_verdict");
	tcase_add_loop_test(tc, test_text_tls_verdict, 0, nitems(verdict_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_cells");
	tcase_add_loop_test(tc, test_text_cells, 0, nitems(text_cell_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_pem");
	tcase_add_test(tc, test_text_pem);
	suite_add_tcase(s, tc);
	tc = tcase_create("text_lines");
	tcase_add_loop_test(tc, test_text_lines, 0, nitems(text_line_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_absent");
	tcase_add_loop_test(tc, test_text_absent, 0, nitems(text_absent_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_no_control");
	tcase_add_loop_test(tc, test_text_no_control, 0, nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_color_sgr_only");
	tcase_add_loop_test(tc, test_text_color_sgr_only, 0, nitems(fixtures));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_color");
	tcase_add_loop_test(tc, test_text_color, 0, nitems(text_color_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_error_fallback");
	tcase_add_loop_test(tc, test_text_error_fallback, 0,
	    nitems(error_fallback_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text_transcript");
	tcase_add_test(tc, test_text_transcript);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream_json_run");
	tcase_add_loop_test(tc, test_stream_json_run, 0, nitems(stream_counts));
	suite_add_tcase(s, tc);

	tc = tcase_create("stream_jsonl");
	tcase_add_loop_test(tc, test_stream_jsonl, 0, nitems(stream_counts));
	suite_add_tcase(s, tc);

	tc = tcase_create("stream_text");
	tcase_add_test(tc, test_stream_text);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(report_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
