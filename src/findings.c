/* SPDX-License-Identifier: ISC */
/*
 * findings - derive stable, documented finding ids from a finished target.
 *
 * RFC 5321 7.3 (VRFY/EXPN as an information leak, 252 as the compliant
 * way to disable them), 4.2.4 (a server must not advertise what it then
 * refuses with 500/502), App. F.1 (TURN), 5.1 (MX targets must not be
 * aliases), RFC 7505 (null MX).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "codes.h"
#include "dane.h"
#include "delivery.h"
#include "findings.h"
#include "i18n.h"
#include "log.h"
#include "resolver.h"
#include "tls.h"
#include "util.h"

#define FINDINGS_CERT_WARN_DAYS	14

/* "550 5.1.1" or "252": a reply's code and enhanced code */
static void
findings_reply_str(char *buf, size_t len, const struct reply_rec *r)
{
	if (r->enhanced[0] != '\0')
		snprintf(buf, len, "%d %.*s", r->code, (int)sizeof(r->enhanced),
		    r->enhanced);
	else
		snprintf(buf, len, "%d", r->code);
}

/*
 * The text report's message of the finding just added, when its
 * arguments are words the catalogue translates too (result_add_finding()
 * translates the format only); NULL when it says what the English says
 */
static void
findings_text(struct target_result *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
findings_text(struct target_result *t, const char *fmt, ...)
{
	struct finding	*f = &t->findings[t->nfindings - 1];
	va_list		 ap;
	char		*text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	free(f->message_text);
	f->message_text = NULL;
	if (strcmp(text, f->message) != 0)
		f->message_text = text;
	else
		free(text);
}

/*
 * vrfy-enabled / expn-enabled: the command answers about mailboxes (any
 * status codes_status_open() counts as open).  The message says what was
 * seen: both replies when the control probe decided (codes_verdict()).
 */
static void
findings_disclosure(struct target_result *t, const struct host_result *h,
    const struct cmd_result *c)
{
	const char	*id, *arg = c->arg ? c->arg : "";
	char		 first[32], ctl[32];

	/* each case a whole message, so that the catalogue translates it */
	id = strcmp(c->verb, "VRFY") == 0 ? "vrfy-enabled" : "expn-enabled";
	findings_reply_str(first, sizeof(first), &c->reply);
	switch (c->status) {
	case ST_ENUMERABLE:
		findings_reply_str(ctl, sizeof(ctl), &c->control.reply);
		result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
		    "%s answered %s to %s and %s to the made-up %s: the answer "
		    "tells which mailboxes exist, so they can be enumerated "
		    "(RFC 5321 7.3)", c->verb, first, c->arg ? c->arg : "",
		    ctl, c->control.arg ? c->control.arg : "");
		return;
	case ST_UNKNOWN_MAILBOX:
		result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
		    "%s answered %s to %s: the server says the mailbox does not "
		    "exist, so existing ones can be told apart (RFC 5321 3.5.3, "
		    "7.3)", c->verb, first, arg);
		return;
	case ST_AMBIGUOUS:
		result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
		    "%s answered %s to %s: \"user ambiguous\": the reply can "
		    "list candidate mailboxes (RFC 5321 3.5.3, 7.3)", c->verb,
		    first, arg);
		return;
	case ST_NOT_LOCAL:
		result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
		    "%s answered %s to %s: \"user not local\": the server knows "
		    "the user and says where it receives mail (RFC 5321 3.4, "
		    "3.5.3)", c->verb, first, arg);
		return;
	case ST_SUPPORTED:
		if (c->control.sent && c->control.reply.code / 100 == 2) {
			findings_reply_str(ctl, sizeof(ctl), &c->control.reply);
			result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
			    "%s answered %s to %s and %s to the made-up %s: it "
			    "works but confirms any name (RFC 5321 7.3)",
			    c->verb, first, c->arg ? c->arg : "", ctl,
			    c->control.arg ? c->control.arg : "");
			return;
		}
		/* FALLTHROUGH */
	default:
		if (strcmp(c->verb, "VRFY") == 0)
			result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
			    "%s answered %s to %s: mailbox names can be "
			    "enumerated (RFC 5321 7.3)", c->verb, first, arg);
		else
			result_add_finding(t, SEV_MEDIUM, id, h->mx, h->address,
			    "%s answered %s to %s: mailing list members are "
			    "disclosed (RFC 5321 7.3)", c->verb, first, arg);
		break;
	}
}

static void
findings_host(struct target_result *t, const struct host_result *h)
{
	size_t	 i;

	for (i = 0; i < h->ncmds; i++) {
		const struct cmd_result	*c = &h->cmds[i];

		if (c->status == ST_NOT_TRIED)
			continue;
		if (codes_status_open(c->status) == 1 &&
		    (strcmp(c->verb, "VRFY") == 0 || strcmp(c->verb, "EXPN") == 0))
			findings_disclosure(t, h, c);
		if (c->status == ST_SUPPORTED && strcmp(c->verb, "TURN") == 0)
			result_add_finding(t, SEV_HIGH, "turn-accepted", h->mx,
			    h->address, "TURN answered %d: an unauthenticated "
			    "client may take this server's queued mail (RFC 5321 "
			    "App. F.1)", c->reply.code);
		/* RFC 5321 7.3: a site that disables VRFY should answer 252 */
		if (strcmp(c->verb, "VRFY") == 0 && (c->status == ST_NOT_IMPLEMENTED ||
		    c->status == ST_NOT_RECOGNIZED))
			result_add_finding(t, SEV_INFO, "vrfy-noncompliant", h->mx,
			    h->address, "VRFY answered %d; RFC 5321 7.3 asks a site "
			    "that disables VRFY to answer 252", c->reply.code);
		if (c->advertised && (c->status == ST_NOT_IMPLEMENTED ||
		    c->status == ST_NOT_RECOGNIZED))
			result_add_finding(t, SEV_LOW, "advertised-but-refused",
			    h->mx, h->address, "%s is advertised in EHLO but "
			    "answered %d (RFC 5321 4.2.4)", c->verb, c->reply.code);
	}
}

/*
 * TLS: RFC 3207 (STARTTLS, 4.2 and 5), RFC 8996 (TLS below 1.2 is
 * deprecated), RFC 6125 (names), RFC 7672 (DANE for SMTP).
 */
static void
findings_tls(struct target_result *t, const struct host_result *h)
{
	const struct tls_result	*tls = &h->tls;
	struct dane_verdict	 v;

	dane_judge(tls, &v);
	/* a DNS fact, whatever the session did (RFC 7672 2.2) */
	if (v.state == DANE_S_LOOKUP_FAILED && v.applies)
		result_add_finding(t, SEV_HIGH, "dane-lookup-failed", h->mx,
		    h->address, "the TLSA lookup failed (%s): DANE senders defer "
		    "mail to this host until it answers (RFC 7672 2.2)",
		    tls->tlsa_error);
	else if (v.state == DANE_S_LOOKUP_FAILED)
		result_add_finding(t, SEV_MEDIUM, "dane-lookup-failed", h->mx,
		    h->address, "the TLSA lookup failed (%s): DANE senders defer "
		    "mail to this host until it answers (RFC 7672 2.2); the MX "
		    "answer was not DNSSEC-validated, so this matters only if the "
		    "MX zone is signed", tls->tlsa_error);
	/* only a session that got as far as EHLO can tell */
	if (h->ehlo.reply.code != 250 && !tls->implicit)
		return;
	/*
	 * The submission ports (RFC 8314 3): 587 without STARTTLS, 465 that
	 * does not speak TLS from the first byte, are reported as such
	 * instead of starttls-missing / starttls-unusable: mail clients send
	 * passwords there.
	 */
	if (!tls->offered && !tls->implicit && h->port == 587)
		result_add_finding(t, SEV_HIGH, "submission-no-starttls", h->mx,
		    h->address, "port 587 (submission, RFC 6409) offers no "
		    "STARTTLS: mail clients send their password and mail in "
		    "clear text (RFC 8314 3)");
	else if (!tls->offered && !tls->implicit)
		result_add_finding(t, SEV_MEDIUM, "starttls-missing", h->mx, h->address,
		    "STARTTLS is not offered: mail to this host travels in "
		    "clear text (RFC 3207)");
	/*
	 * The TLS error as JSON says it, and as the text report says it
	 * (result_tls_error_text()): a message of each, whole sentences so
	 * that the catalogue translates "offered" and "required" with them
	 */
#define TLS_FINDING(id, fmt)	do {					\
	result_add_finding(t, SEV_HIGH, id, h->mx, h->address, fmt, terr);	\
	findings_text(t, _(fmt), tl);					\
} while (0)
	if (tls->attempted && !tls->ok) {
		const char	*terr = tls->error != NULL ? tls->error : "unknown";
		char		*tl = tls->error != NULL ?
			    result_tls_error_text(tls) : xstrdup(_("unknown"));

		if (tls->implicit && h->port == 465)
			TLS_FINDING("submission-465-not-tls", N_("port 465 does "
			    "not speak TLS from the first byte (%s); RFC 8314 "
			    "3.3 reserves it for implicit TLS"));
		/* RFC 7672 2.2, 3.1.3: with TLSA records in force, TLS is mandatory */
		else if (v.applies && tls->implicit)
			TLS_FINDING("starttls-unusable", N_("TLS is required but "
			    "did not work (%s); DANE senders defer the mail (its "
			    "TLSA records make TLS mandatory, RFC 7672 2.2)"));
		else if (v.applies)
			TLS_FINDING("starttls-unusable", N_("TLS is offered but "
			    "did not work (%s); DANE senders defer the mail (its "
			    "TLSA records make TLS mandatory, RFC 7672 2.2)"));
		else if (tls->fallback && tls->implicit)
			TLS_FINDING("starttls-unusable", N_("TLS is required but "
			    "did not work (%s); senders fall back to clear text"));
		else if (tls->fallback)
			TLS_FINDING("starttls-unusable", N_("TLS is offered but "
			    "did not work (%s); senders fall back to clear text"));
		else if (tls->implicit)
			TLS_FINDING("starttls-unusable", N_("TLS is required but "
			    "did not work (%s)"));
		else
			TLS_FINDING("starttls-unusable", N_("TLS is offered but "
			    "did not work (%s)"));
		free(tl);
	}
#undef TLS_FINDING
	if (tls->injection)
		result_add_finding(t, SEV_HIGH, "starttls-injection", h->mx, h->address,
		    "the server sent bytes after its 220 to STARTTLS, before the "
		    "handshake; they were discarded (RFC 3207 5: a sign of "
		    "command injection)");
	if (tls->have_ehlo_after && (tls->ehlo_after.caps & EXT_STARTTLS))
		result_add_finding(t, SEV_LOW, "starttls-after-tls", h->mx, h->address,
		    "STARTTLS is still advertised inside TLS (RFC 3207 4.2)");
	/* --tls-versions: RFC 8996 2, 3 deprecate TLS 1.0 and 1.1 */
	if (tls_versions_legacy(&tls->versions))
		result_add_finding(t, SEV_MEDIUM, "tls-legacy-accepted", h->mx,
		    h->address, "the server accepts %s: deprecated (RFC 8996)",
		    tls->versions.v[0].accepted == 1 &&
		    tls->versions.v[1].accepted == 1 ? "TLS 1.0 and 1.1" :
		    tls->versions.v[0].accepted == 1 ? "TLS 1.0" : "TLS 1.1");
	if (!tls->ok)
		return;
	if (tls->version != NULL && !tls_version_at_least(tls->version, 1, 2))
		result_add_finding(t, SEV_MEDIUM, "tls-version-old", h->mx, h->address,
		    "negotiated %s: TLS below 1.2 is deprecated (RFC 8996)",
		    tls->version);
	/* name, chain and dates as dane_judge() says (RFC 7672 3.1.1, 3.1.2) */
	if (tls->have_cert && v.dates_judged && !v.dates_ok)
		result_add_finding(t, SEV_HIGH, "cert-expired", h->mx, h->address,
		    "the certificate expired on %s",
		    tls->cert.not_after ? tls->cert.not_after : "?");
	else if (tls->have_cert && v.dates_judged &&
	    tls->cert.days_left <= FINDINGS_CERT_WARN_DAYS)
		result_add_finding(t, SEV_MEDIUM, "cert-expiring", h->mx, h->address,
		    "the certificate expires in %ld days (%s)", tls->cert.days_left,
		    tls->cert.not_after ? tls->cert.not_after : "?");
	if (tls->have_cert && !v.name_ok && tls->verify.name != NULL)
		result_add_finding(t, SEV_MEDIUM, "cert-name-mismatch", h->mx, h->address,
		    "the certificate does not cover %s", tls->verify.name);
	else if (tls->have_cert && !v.name_ok)
		result_add_finding(t, SEV_MEDIUM, "cert-name-mismatch", h->mx, h->address,
		    "the certificate does not cover the host name");
	if (tls->have_cert && !v.chain_ok && v.pkix && tls->cert.self_signed &&
	    (v.chain_error == NULL || strstr(v.chain_error, "self-signed") == NULL))
		result_add_finding(t, SEV_LOW, "cert-untrusted", h->mx, h->address,
		    "the certificate chain does not verify: %s (self-signed)",
		    v.chain_error ? v.chain_error : "unknown");
	else if (tls->have_cert && !v.chain_ok)
		result_add_finding(t, SEV_LOW, "cert-untrusted", h->mx, h->address,
		    "the certificate chain does not verify: %s",
		    v.chain_error ? v.chain_error : "unknown");
	if (tls->ntlsa > 0 && v.usable == 0)
		result_add_finding(t, SEV_LOW, "dane-unusable", h->mx, h->address,
		    "%zu TLSA records, none usable for SMTP (RFC 7672 3.1.3)",
		    tls->ntlsa);
	else if (v.usable > 0 && v.matched == 0 && v.applies)
		result_add_finding(t, SEV_HIGH, "dane-mismatch", h->mx, h->address,
		    "none of the %zu usable TLSA records matches the certificate "
		    "chain: DANE senders will not deliver (RFC 7672)", v.usable);
	else if (v.usable > 0 && v.matched == 0)
		result_add_finding(t, SEV_MEDIUM, "dane-mismatch", h->mx, h->address,
		    "none of the %zu usable TLSA records matches the certificate "
		    "chain: once the zone is DNSSEC-signed, DANE senders will not "
		    "deliver (RFC 7672)", v.usable);
	if (v.state == DANE_S_NOT_VALIDATED)
		result_add_finding(t, SEV_INFO, "dane-not-validated", h->mx, h->address,
		    "the TLSA records were not DNSSEC-validated by the resolver "
		    "(no AD bit); DANE needs validated records (RFC 7672 2.2)");
	else if (v.state == DANE_S_MX_INSECURE)
		result_add_finding(t, SEV_INFO, "dane-mx-insecure", h->mx, h->address,
		    "the TLSA records are validated but the MX answer is not (no "
		    "AD bit): DANE does not apply to this host (RFC 7672 2.2.1)");
}

/*
 * AUTH as advertised (auth_view()); the probe never sends AUTH.
 * auth-plaintext-before-tls: PLAIN or LOGIN before TLS invites a client
 * to send its password in clear text (RFC 4954 4; RFC 8314 3 wants
 * submission with credentials over TLS only): high on 587, where mail
 * clients log in, medium elsewhere.  auth-on-mx: AUTH on port 25 of a
 * host an MX record names, a password-guessing target that MX service
 * does not need (RFC 6409 3.1 puts authenticated submission on 587).
 */
static void
findings_auth(struct target_result *t, const struct host_result *h)
{
	struct auth_view	 a;
	char			 mechs[256];

	auth_view(h, &a);
	if (a.cleartext_before_tls) {
		auth_mechs_str(&a.before, mechs, sizeof(mechs));
		result_add_finding(t, h->port == 587 ? SEV_HIGH : SEV_MEDIUM,
		    "auth-plaintext-before-tls", h->mx, h->address,
		    "AUTH %s is offered before TLS: a client may send its "
		    "password in clear text (RFC 4954 4, RFC 8314 3)", mechs);
	}
	if (a.offered && h->port == 25 && h->nmxrefs > 0) {
		auth_mechs_str(a.before.nmechs > 0 ? &a.before : &a.after, mechs,
		    sizeof(mechs));
		result_add_finding(t, SEV_LOW, "auth-on-mx", h->mx, h->address,
		    "AUTH%s%s is offered on port 25 of an MX host: a target for "
		    "password guessing that receiving mail does not need (RFC "
		    "6409 3.1)", mechs[0] != '\0' ? " " : "", mechs);
	}
}

/* the first word of a greeting or EHLO line: the name the server gives */
static void
findings_first_word(const char *text, char *out, size_t size)
{
	size_t	 n = 0;

	out[0] = '\0';
	if (text == NULL)
		return;
	while (text[n] != '\0' && text[n] != ' ' && text[n] != '\n' && n + 1 < size)
		n++;
	memcpy(out, text, n);
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[n - 1] = '\0';
}

/*
 * A version number ("4.96", "8.15.2/8.15.2") within a few characters
 * after s; its length in *len, or NULL.
 */
static const char *
findings_version_near(const char *s, size_t *len)
{
	const char	*v;

	for (v = s; *v != '\0' && v < s + 12; v++)
		if (isdigit((unsigned char)v[0]) && v[1] == '.' &&
		    isdigit((unsigned char)v[2])) {
			*len = 0;
			while (v[*len] != '\0' && (isalnum((unsigned char)v[*len]) ||
			    v[*len] == '.' || v[*len] == '-') && *len < 24)
				(*len)++;
			return v;
		}
	return NULL;
}

/*
 * A software name followed by a version number in the greeting tells an
 * attacker which exploits to try (CWE-200).  The list covers the MTAs
 * that print their version by default or commonly.  Every occurrence of
 * a name counts, not just the first: the name often appears first inside
 * the host name ("220 mx.exim.example ESMTP Exim 4.96").
 */
static const char *
findings_version_leak(const char *banner)
{
	static const char *mtas[] = {
		"Postfix", "Exim", "Sendmail", "Microsoft ESMTP MAIL Service",
		"Exchange", "qmail", "OpenSMTPD", "Haraka", "hMailServer",
		"MDaemon", "Zimbra", "IceWarp", "Kerio", "CommuniGate", "Courier",
		"MailEnable", "Lotus Domino", "Domino", "ArGoSoft", "Postfix-"
	};
	static char	 found[96];
	const char	*p, *v;
	size_t		 i, n;

	if (banner == NULL)
		return NULL;
	/*
	 * findings_version_near() wants "digit.digit": a banner without one
	 * (most of them) is not searched for the twenty names at all
	 */
	for (p = banner; *p != '\0'; p++)
		if (p[0] == '.' && p > banner &&
		    isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
			break;
	if (*p == '\0')
		return NULL;
	for (i = 0; i < nitems(mtas); i++)
		for (p = strcasestr(banner, mtas[i]); p != NULL;
		    p = strcasestr(p + 1, mtas[i]))
			if ((v = findings_version_near(p + strlen(mtas[i]), &n)) != NULL) {
				snprintf(found, sizeof(found), "%s %.*s", mtas[i],
				    (int)n, v);
				return found;
			}
	return NULL;
}

#define FINDINGS_SLOW_BANNER_MS	5000

/* hygiene: reverse DNS, names, version leaks, greylisting, a slow greeting */
static void
findings_hygiene(struct target_result *t, const struct host_result *h)
{
	char		 bname[256], ename[256];
	const char	*leak;
	size_t		 i, temp = 0, tried = 0;

	if (h->ptr.checked && h->ptr.name == NULL && h->ptr.error != NULL &&
	    strcmp(h->ptr.error, "no PTR record") == 0)
		result_add_finding(t, SEV_LOW, "ptr-missing", h->mx, h->address,
		    "%s has no PTR record; many receivers distrust such senders, "
		    "and this host's replies may come from it", h->address);
	if (h->ptr.checked && h->ptr.name != NULL && h->ptr.fcrdns == 0)
		result_add_finding(t, SEV_LOW, "fcrdns-mismatch", h->mx, h->address,
		    "the PTR name %s does not resolve back to %s (forward-confirmed "
		    "reverse DNS fails)", h->ptr.name, h->address);
	if (h->banner.code == 220 && (leak = findings_version_leak(h->banner.text)))
		result_add_finding(t, SEV_LOW, "banner-version-leak", h->mx, h->address,
		    "the greeting names the software and its version (%s)", leak);
	if (h->banner.code == 220 && h->banner.ms > FINDINGS_SLOW_BANNER_MS)
		result_add_finding(t, SEV_LOW, "slow-banner", h->mx, h->address,
		    "the greeting took more than %d s (banner.ms has the time): a "
		    "tarpit, an overloaded server or slow reverse DNS on its side",
		    FINDINGS_SLOW_BANNER_MS / 1000);
	for (i = 0; i < h->ncmds; i++) {
		if (h->cmds[i].status == ST_NOT_TRIED)
			continue;
		tried++;
		if (h->cmds[i].status == ST_TEMPORARY)
			temp++;
	}
	/*
	 * Greylisting: every command answered 4xx (a 421 that closed the
	 * session after one command is a shutdown, not greylisting), or
	 * EHLO itself deferred with 450/451.
	 */
	if ((tried == h->ncmds && tried > 0 && temp == tried &&
	    h->fail != PROBE_F_SHUTDOWN) ||
	    (h->ehlo.reply.code == 450 || h->ehlo.reply.code == 451)) {
		if (tried > 0 && temp == tried)
			result_add_finding(t, SEV_INFO, "greylisted", h->mx,
			    h->address, "every command got a 4xx reply: "
			    "greylisting or rate limiting; probe again later, "
			    "nothing was learnt about support");
		else
			result_add_finding(t, SEV_INFO, "greylisted", h->mx,
			    h->address, "EHLO was deferred (4xx): greylisting or "
			    "rate limiting; probe again later, nothing was learnt "
			    "about support");
	}
	/* the names a host gives itself should agree with DNS */
	if (h->banner.code == 220 && h->ehlo.reply.code == 250) {
		const char	*names[4];
		/* TRANSLATORS: where a host's name came from (name-mismatch) */
		const char	*labels[4] = { N_("greeting"), "EHLO", "MX", "PTR" };
		size_t		 n = 0, k;
		struct buf	 b = { 0 }, bt = { 0 };
		int		 differ = 0;

		findings_first_word(h->banner.text, bname, sizeof(bname));
		/* ehlo_parse() decides what the EHLO name is (NULL: none) */
		findings_first_word(h->ehlo.info.domain, ename, sizeof(ename));
		names[n++] = bname;
		names[n++] = ename;
		names[n++] = h->mx;
		names[n++] = h->ptr.name;
		for (k = 1; k < n; k++)
			if (names[k] != NULL && names[0][0] != '\0' &&
			    strchr(names[k], '.') != NULL &&
			    strcasecmp(names[k], names[0]) != 0 &&
			    !(k == 2 && h->preference < 0))
				differ = 1;
		if (differ && strchr(bname, '.') != NULL) {
			for (k = 0; k < n; k++)
				if (names[k] != NULL && names[k][0] != '\0') {
					buf_printf(&b, "%s%s %s", b.len ? ", " : "",
					    labels[k], names[k]);
					buf_printf(&bt, "%s%s %s", bt.len ? ", " :
					    "", i18n_tr(labels[k]), names[k]);
				}
			result_add_finding(t, SEV_INFO, "name-mismatch", h->mx,
			    h->address, "the names disagree: %s", b.data);
			findings_text(t, _("the names disagree: %s"), bt.data);
			buf_free(&b);
			buf_free(&bt);
		}
	}
}

/*
 * What to do about each finding, and the standard behind it: one table,
 * so the advice for an id is the same wherever the finding comes from.
 * The advice is English here (JSON's `advice'); N_() puts it in the
 * catalogue, and what shows it to a person translates it with i18n_tr().
 */
static const struct {
	const char	*id;
	const char	*advice;
	const char	*rfc;
} findings_meta[] = {
	{ "vrfy-enabled", N_("Disable VRFY (Postfix: disable_vrfy_command = yes; "
	    "Sendmail: PrivacyOptions=novrfy; Exim refuses VRFY unless an "
	    "acl_smtp_vrfy ACL accepts it); a disabled VRFY should answer 252 "
	    "to every name alike."), "RFC 5321 7.3" },
	{ "expn-enabled", N_("Disable EXPN (Sendmail: PrivacyOptions=noexpn; "
	    "Exim refuses EXPN unless an acl_smtp_expn ACL accepts it; Postfix "
	    "has no EXPN); list owners can share membership another way."),
	    "RFC 5321 7.3" },
	{ "turn-accepted", N_("Disable TURN now; offer ETRN (RFC 1985) or "
	    "authenticated ATRN (RFC 2645) to sites that pull their mail."),
	    "RFC 5321 App. F.1" },
	{ "vrfy-noncompliant", N_("Nothing is exposed; answering 252 instead "
	    "tells clients the command exists but will not confirm addresses."),
	    "RFC 5321 7.3" },
	{ "advertised-but-refused", N_("Stop advertising the keyword in EHLO, or "
	    "implement the command."), "RFC 5321 4.2.4" },
	{ "mx-is-cname", N_("Point the MX record at the host's canonical name "
	    "(the name with the A/AAAA records)."), "RFC 5321 5.1" },
	{ "mx-ip-literal", N_("Publish a host name in the MX record, with A/AAAA "
	    "records for it; an address is not a valid MX target."), "RFC 5321 5.1" },
	{ "mx-unreachable", N_("Check the unreachable addresses: firewall, "
	    "listener, or stale DNS records."), "RFC 5321 5.1" },
	{ "implicit-mx", N_("Publish an MX record, or a null MX (MX 0 .) if the "
	    "domain takes no mail."), "RFC 5321 5.1" },
	{ "null-mx", NULL, "RFC 7505" },
	{ "null-mx-with-other-mx", N_("Remove the null MX, or remove the other MX "
	    "records: a domain either takes mail or does not."), "RFC 7505 3" },
	{ "mx-limit", N_("Probe the rest separately if they matter (the limit is "
	    "16 MX hosts per domain)."), NULL },
	{ "address-limit", N_("Probe the remaining addresses directly as targets."),
	    NULL },
	{ "starttls-missing", N_("Enable STARTTLS with a certificate for the MX "
	    "name (Postfix: smtpd_tls_security_level = may)."), "RFC 3207" },
	{ "starttls-unusable", N_("Fix the TLS setup (certificate, key, protocol "
	    "versions) or stop advertising STARTTLS."), "RFC 3207" },
	{ "starttls-injection", N_("Check for a middlebox or a server bug that "
	    "sends data after 220; the server must wait for the handshake."),
	    "RFC 3207 5" },
	{ "starttls-after-tls", N_("Stop advertising STARTTLS inside TLS."),
	    "RFC 3207 4.2" },
	{ "submission-no-starttls", N_("Offer STARTTLS on port 587 (Postfix "
	    "master.cf submission: -o smtpd_tls_security_level=encrypt), or "
	    "move clients to port 465."), "RFC 8314 3" },
	{ "submission-465-not-tls", N_("Speak TLS from the first byte on port "
	    "465 (Postfix master.cf submissions: -o smtpd_tls_wrappermode=yes)."),
	    "RFC 8314 3.3" },
	{ "auth-plaintext-before-tls", N_("Offer AUTH only inside TLS (Postfix: "
	    "smtpd_tls_auth_only = yes; Exim: auth_advertise_hosts = "
	    "${if eq{$tls_in_cipher}{}{}{*}}), or use port 465 with implicit "
	    "TLS."), "RFC 8314 3" },
	{ "auth-on-mx", N_("Offer AUTH on the submission ports (587, 465) only, "
	    "unless authenticated relaying on port 25 is intended (Postfix: "
	    "smtpd_sasl_auth_enable in master.cf for submission only)."),
	    "RFC 6409 3.1" },
	{ "tls-version-old", N_("Allow TLS 1.2 and 1.3 (and drop older versions "
	    "when your senders can)."), "RFC 8996" },
	{ "tls-legacy-accepted", N_("Set the server's minimum protocol to TLS 1.2 "
	    "(Postfix: smtpd_tls_protocols = >=TLSv1.2)."), "RFC 8996 2, 3" },
	{ "cert-expired", N_("Renew the certificate now."), "RFC 5280 4.1.2.5" },
	{ "cert-expiring", N_("Renew the certificate before it expires."),
	    "RFC 5280 4.1.2.5" },
	{ "cert-name-mismatch", N_("Use a certificate whose names cover the MX "
	    "host name."), "RFC 6125" },
	{ "cert-untrusted", N_("Use a certificate from a public CA (or publish "
	    "DANE TLSA records) so that verifying senders can authenticate "
	    "the server."), "RFC 7672" },
	{ "dane-mismatch", N_("Update the TLSA records to match the certificate "
	    "(publish the new ones before a key change)."), "RFC 7672" },
	{ "dane-unusable", N_("Use usage 2 (DANE-TA) or 3 (DANE-EE) for SMTP."),
	    "RFC 7672 3.1.3" },
	{ "dane-not-validated", N_("Sign the zone (DNSSEC) and use a validating "
	    "resolver, or the TLSA records have no effect."), "RFC 7672 2.2" },
	{ "dane-lookup-failed", N_("Fix the zone of the _PORT._tcp name (DNSSEC "
	    "signatures, lame or unreachable servers) so that TLSA queries "
	    "answer."), "RFC 7672 2.2" },
	{ "dane-mx-insecure", N_("Sign the zone that holds the MX records "
	    "(DNSSEC), or the TLSA records are never used."), "RFC 7672 2.2.1" },
	{ "ptr-missing", N_("Publish a PTR record for the address, naming the "
	    "host."), "RFC 1912 2.1" },
	{ "fcrdns-mismatch", N_("Make the PTR name resolve back to the address "
	    "(or fix the PTR)."), "RFC 1912 2.1" },
	{ "banner-version-leak", N_("Remove the version from the greeting "
	    "(Postfix: smtpd_banner; Exim: smtp_banner)."), NULL },
	{ "name-mismatch", N_("Use one name for the host in its greeting, EHLO "
	    "reply, MX record and PTR."), "RFC 5321 4.1.3" },
	{ "greylisted", N_("Probe again after the greylisting delay."),
	    "RFC 6647" },
	{ "slow-banner", N_("Check the server's load, its reverse DNS lookups and "
	    "any deliberate greeting delay."), "RFC 5321 4.5.3.2" },
	{ "mta-sts-txt-invalid", N_("Publish exactly one TXT record "
	    "\"v=STSv1; id=ID;\" at _mta-sts.DOMAIN, id 1 to 32 letters and "
	    "digits."), "RFC 8461 3.1" },
	{ "mta-sts-txt-without-policy", N_("Serve the policy at https://mta-sts."
	    "DOMAIN/.well-known/mta-sts.txt, or remove the TXT record."),
	    "RFC 8461 3.3" },
	{ "mta-sts-policy-without-txt", N_("Publish \"v=STSv1; id=ID;\" at "
	    "_mta-sts.DOMAIN (a new id whenever the policy changes)."),
	    "RFC 8461 3.1" },
	{ "mta-sts-fetch-tls", N_("Serve mta-sts.DOMAIN with a certificate from a "
	    "public CA that covers that name."), "RFC 8461 3.3" },
	{ "mta-sts-fetch-http-status", N_("Serve the policy with status 200 at "
	    "/.well-known/mta-sts.txt."), "RFC 8461 3.3" },
	{ "mta-sts-fetch-redirect", N_("Serve the policy directly: senders do not "
	    "follow redirects."), "RFC 8461 3.3" },
	{ "mta-sts-fetch-media-type", N_("Serve the policy as Content-Type: "
	    "text/plain."), "RFC 8461 3.3" },
	{ "mta-sts-fetch-too-large", N_("Keep the policy short: version, mode, "
	    "max_age and the mx lines."), "RFC 8461 3.3" },
	{ "mta-sts-policy-syntax", N_("Fix the policy: \"version: STSv1\", "
	    "\"mode: enforce|testing|none\", \"max_age: SECONDS\" (at most "
	    "31557600) and one \"mx:\" line per MX pattern."), "RFC 8461 3.2" },
	{ "mta-sts-mx-not-matched", N_("Add an mx line for this host (or a "
	    "\"*.\" pattern covering it) to the policy, and change the TXT id."),
	    "RFC 8461 4.1" },
	{ "mta-sts-mx-no-tls", N_("Offer STARTTLS on this MX, or leave enforce "
	    "mode until every MX does."), "RFC 8461 4.2" },
	{ "mta-sts-mx-cert-invalid", N_("Use a certificate from a public CA whose "
	    "names cover the MX host name."), "RFC 8461 4.2" },
	{ "mta-sts-max-age-short", N_("Use a max_age of weeks (604800 or more; "
	    "RFC 8461 suggests that long values are safe)."), "RFC 8461 3.2" },
	{ "mta-sts-testing", N_("Once TLS-RPT reports show no failures, switch "
	    "the policy to mode enforce."), "RFC 8461 5" },
	{ "tls-rpt-missing", N_("Publish \"v=TLSRPTv1; rua=mailto:ADDRESS\" at "
	    "_smtp._tls.DOMAIN to receive senders' failure reports."),
	    "RFC 8460 3" },
	{ "tls-rpt-invalid", N_("Fix the record: \"v=TLSRPTv1; rua=mailto:...\" "
	    "or rua=https://..., comma-separated."), "RFC 8460 3" },
};

/* attach advice and the RFC to every finding that has none */
static void
findings_annotate(struct target_result *t)
{
	size_t	 i, j;

	for (i = 0; i < t->nfindings; i++)
		for (j = 0; j < nitems(findings_meta); j++)
			if (strcmp(t->findings[i].id, findings_meta[j].id) == 0) {
				t->findings[i].advice = findings_meta[j].advice;
				t->findings[i].rfc = findings_meta[j].rfc;
				break;
			}
}

#define FINDINGS_MX_LIMIT_NAMED	8	/* dropped records named in the message */

/* the MX records left out by the cap, named (all of them are in the JSON) */
static void
findings_mx_limit(struct target_result *t)
{
	const struct dns_result	*d = &t->dns;
	struct buf		 b = { 0 }, bt = { 0 };
	size_t			 i;

	for (i = 0; i < d->nmx_dropped && i < FINDINGS_MX_LIMIT_NAMED; i++)
		buf_printf(&b, "%s%d %s", i > 0 ? ", " : "",
		    d->mx_dropped[i].preference, d->mx_dropped[i].host);
	buf_printf(&bt, "%s", b.data);
	if (d->nmx_dropped > FINDINGS_MX_LIMIT_NAMED) {
		buf_printf(&b, " and %zu more", d->nmx_dropped -
		    FINDINGS_MX_LIMIT_NAMED);
		/* TRANSLATORS: after the MX records named, how many more */
		buf_printf(&bt, i18n_trc("mx-limit", " and %zu more"),
		    d->nmx_dropped - FINDINGS_MX_LIMIT_NAMED);
	}
	if (d->nmx_dropped == 1)
		result_add_finding(t, SEV_INFO, "mx-limit", NULL, NULL,
		    "%zu MX record was not probed (only the %d most preferred "
		    "hosts are): %s", d->nmx_dropped, RESOLVER_MAX_MX, b.data);
	else
		result_add_finding(t, SEV_INFO, "mx-limit", NULL, NULL,
		    "%zu MX records were not probed (only the %d most preferred "
		    "hosts are): %s", d->nmx_dropped, RESOLVER_MAX_MX, b.data);
	/* the tail in the user's language too (the count decides no form in it) */
	findings_text(t, d->nmx_dropped == 1 ? _("%zu MX record was not probed "
	    "(only the %d most preferred hosts are): %s") : _("%zu MX records "
	    "were not probed (only the %d most preferred hosts are): %s"),
	    d->nmx_dropped, RESOLVER_MAX_MX, bt.data);
	buf_free(&b);
	buf_free(&bt);
}

/* is host name mx the first of t's hosts with that name? */
static int
findings_first_mx(const struct target_result *t, size_t i)
{
	size_t	 j;

	for (j = 0; j < i; j++)
		if (strcasecmp(t->hosts[j].mx, t->hosts[i].mx) == 0)
			return 0;
	return 1;
}

/*
 * a high finding whose message is delivery.c's MTA-STS reason v: the
 * English one, and the text report's from delivery_judge_host_text()
 */
static void
findings_delivery(struct target_result *t, const struct host_result *h,
    const char *id, const struct delivery_verdict *v)
{
	struct delivery_verdict	 vt;

	result_add_finding(t, SEV_HIGH, id, h->mx, h->address, "%s", v->reason);
	delivery_judge_host_text(t, h, DELIVERY_MTA_STS, &vt);
	findings_text(t, "%s", vt.reason);
}

/*
 * MTA-STS (RFC 8461) per MX: what an MTA-STS sender in the policy's mode
 * would refuse (delivery.c decides; this only names it).  In testing
 * mode only the MX match is reported: TLS failures there are reported
 * to the domain (TLS-RPT), not enforced.
 */
static void
findings_sts_hosts(struct target_result *t)
{
	enum mtasts_mode	 mode = delivery_sts_mode(t);
	struct delivery_verdict	 v;
	size_t			 i;

	if (mode == MTASTS_MODE_NONE)
		return;
	for (i = 0; i < t->nhosts; i++) {
		const struct host_result	*h = &t->hosts[i];

		if (findings_first_mx(t, i) && delivery_mx_match(t, h->mx) ==
		    NULL && mode == MTASTS_MODE_ENFORCE)
			result_add_finding(t, SEV_HIGH, "mta-sts-mx-not-matched",
			    h->mx, NULL, "MX %s matches no mx line of the %s "
			    "policy: MTA-STS senders will not deliver to it (RFC "
			    "8461 4.1)", h->mx, mtasts_mode_name(mode));
		else if (findings_first_mx(t, i) &&
		    delivery_mx_match(t, h->mx) == NULL)
			result_add_finding(t, SEV_MEDIUM, "mta-sts-mx-not-matched",
			    h->mx, NULL, "MX %s matches no mx line of the %s "
			    "policy: in enforce mode senders would not deliver to "
			    "it (RFC 8461 4.1)", h->mx, mtasts_mode_name(mode));
		if (mode != MTASTS_MODE_ENFORCE)
			continue;
		delivery_judge_host(t, h, DELIVERY_MTA_STS, &v);
		if (v.why == DELIVERY_W_STS_NO_TLS)
			findings_delivery(t, h, "mta-sts-mx-no-tls", &v);
		else if (v.why == DELIVERY_W_STS_CERT_INVALID)
			findings_delivery(t, h, "mta-sts-mx-cert-invalid", &v);
	}
}

/* the policy fetch failed: the finding for its class (RFC 8461 3.3) */
static void
findings_sts_fetch(struct target_result *t)
{
	static const struct {
		const char	*class, *id;
	} ids[] = {
		{ "tls", "mta-sts-fetch-tls" },
		{ "redirect", "mta-sts-fetch-redirect" },
		{ "media-type", "mta-sts-fetch-media-type" },
		{ "too-large", "mta-sts-fetch-too-large" },
		{ "http-status", "mta-sts-fetch-http-status" },
		{ "http", "mta-sts-fetch-http-status" },
	};
	const struct sts_result	*s = &t->sts;
	size_t			 i;

	for (i = 0; i < nitems(ids); i++)
		if (strcmp(s->fetch_class, ids[i].class) == 0) {
			result_add_finding(t, SEV_MEDIUM, ids[i].id, NULL, NULL,
			    "the MTA-STS policy %s cannot be used: %s; senders "
			    "act as if there were no policy (RFC 8461 3.3, 5)",
			    s->policy_url, s->fetch_error);
			return;
		}
	/* nothing answered: no DNS name, no listener, no answer in time */
	result_add_finding(t, SEV_MEDIUM, "mta-sts-txt-without-policy", NULL, NULL,
	    "_mta-sts.%s announces a policy, but none could be fetched: %s "
	    "(RFC 8461 3.3)", t->name, s->fetch_error);
}

/* MTA-STS and TLS-RPT of a domain (RFC 8461, RFC 8460) */
static void
findings_sts(struct target_result *t)
{
	const struct sts_result	*s = &t->sts;
	int			 dane = 0;
	size_t			 i;

	if (s->txt_invalid != NULL)
		result_add_finding(t, SEV_MEDIUM, "mta-sts-txt-invalid", NULL, NULL,
		    "_mta-sts.%s: %s; senders ignore the policy (RFC 8461 3.1)",
		    t->name, s->txt_invalid);
	if (s->ntxt > 0 && s->fetch_class != NULL)
		findings_sts_fetch(t);
	if (s->ntxt > 0 && s->policy_error != NULL)
		result_add_finding(t, SEV_MEDIUM, "mta-sts-policy-syntax", NULL, NULL,
		    "the MTA-STS policy %s is not valid: %s; senders act as if "
		    "there were no policy (RFC 8461 3.2)", s->policy_url,
		    s->policy_error);
	if (s->ntxt == 0 && s->txt_error == NULL && s->have_policy)
		result_add_finding(t, SEV_MEDIUM, "mta-sts-policy-without-txt", NULL,
		    NULL, "%s serves a policy, but _mta-sts.%s has no v=STSv1 TXT "
		    "record: senders never fetch it (RFC 8461 3.1)", s->policy_url,
		    t->name);
	if (s->have_policy && s->policy.mode != MTASTS_MODE_NONE &&
	    s->policy.max_age < MTASTS_MAX_AGE_LOW)
		result_add_finding(t, SEV_LOW, "mta-sts-max-age-short", NULL, NULL,
		    "max_age %ld: senders forget the policy within a day, so an "
		    "attacker who blocks the fetch soon after wins (RFC 8461 3.2)",
		    s->policy.max_age);
	if (delivery_sts_mode(t) == MTASTS_MODE_TESTING)
		result_add_finding(t, SEV_INFO, "mta-sts-testing", NULL, NULL,
		    "the MTA-STS policy is in mode testing: failures are "
		    "reported, not enforced (RFC 8461 5)");
	findings_sts_hosts(t);

	for (i = 0; i < t->nhosts; i++) {
		struct dane_verdict	 dv;

		dane_judge(&t->hosts[i].tls, &dv);
		if (dv.applies)
			dane = 1;
	}
	if (s->rpt_invalid != NULL)
		result_add_finding(t, SEV_LOW, "tls-rpt-invalid", NULL, NULL,
		    "_smtp._tls.%s: %s; senders send no reports (RFC 8460 3)",
		    t->name, s->rpt_invalid);
	else if (s->nrpt == 0 && s->rpt_error == NULL &&
	    (dane || s->ntxt > 0 || s->have_policy))
		result_add_finding(t, SEV_LOW, "tls-rpt-missing", NULL, NULL,
		    "no TLS-RPT record (_smtp._tls.%s) although %s is in use: "
		    "senders' TLS failures go unseen (RFC 8460 3)", t->name,
		    dane ? "DANE" : "MTA-STS");
}

/*
 * findings_compute - see findings.h
 */
void
findings_compute(struct target_result *t)
{
	size_t	 i, unreachable = 0;

	for (i = 0; i < t->dns.nmx; i++) {
		struct in6_addr	 a6;
		struct in_addr	 a4;

		if (result_mx_first(&t->dns, i) &&
		    (inet_pton(AF_INET, t->dns.mx[i].host, &a4) == 1 ||
		    inet_pton(AF_INET6, t->dns.mx[i].host, &a6) == 1))
			result_add_finding(t, SEV_MEDIUM, "mx-ip-literal",
			    t->dns.mx[i].host, NULL, "the MX target %s is an IP "
			    "address, not a host name; it is not probed",
			    t->dns.mx[i].host);
	}
	for (i = 0; i < t->dns.nmx; i++)
		if (t->dns.mx[i].is_cname && result_mx_first(&t->dns, i))
			result_add_finding(t, SEV_LOW, "mx-is-cname",
			    t->dns.mx[i].host, NULL, "MX target %s is an alias "
			    "(CNAME); RFC 5321 5.1 asks for a host name with "
			    "address records", t->dns.mx[i].host);
	if (t->dns.implicit_mx)
		result_add_finding(t, SEV_INFO, "implicit-mx", NULL, NULL,
		    "no MX record: mail goes to the domain's own address "
		    "(implicit MX, RFC 5321 5.1)");
	if (t->dns.null_mx)
		result_add_finding(t, SEV_INFO, "null-mx", NULL, NULL,
		    "null MX (RFC 7505): this domain accepts no mail");
	if (t->dns.null_mx_mixed)
		result_add_finding(t, SEV_MEDIUM, "null-mx-with-other-mx", NULL, NULL,
		    "a null MX (\"MX 0 .\") stands next to other MX records; "
		    "RFC 7505 3 says it must be the only one: senders will "
		    "disagree on whether this domain takes mail");
	if (t->dns.nmx_dropped > 0)
		findings_mx_limit(t);
	for (i = 0; i < t->dns.nmx; i++)
		if (t->dns.mx[i].addrs_dropped > 0 && result_mx_first(&t->dns, i))
			result_add_finding(t, SEV_INFO, "address-limit",
			    t->dns.mx[i].host, NULL, "%zu more addresses of %s "
			    "were not probed", t->dns.mx[i].addrs_dropped,
			    t->dns.mx[i].host);
	for (i = 0; i < t->nhosts; i++) {
		findings_host(t, &t->hosts[i]);
		findings_tls(t, &t->hosts[i]);
		findings_auth(t, &t->hosts[i]);
		findings_hygiene(t, &t->hosts[i]);
		if (!t->hosts[i].connect.ok)
			unreachable++;
	}
	if (t->sts.checked)
		findings_sts(t);
	if (unreachable > 0 && unreachable < t->nhosts)
		result_add_finding(t, SEV_MEDIUM, "mx-unreachable", NULL, NULL,
		    "%zu of %zu addresses could not be reached", unreachable,
		    t->nhosts);
	findings_annotate(t);
}
