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

#include <string.h>

#include "findings.h"
#include "tls.h"
#include "util.h"

#define FINDINGS_CERT_WARN_DAYS	14

static void
findings_host(struct target_result *t, const struct host_result *h)
{
	size_t	 i;

	for (i = 0; i < h->ncmds; i++) {
		const struct cmd_result	*c = &h->cmds[i];

		if (c->status == ST_NOT_TRIED)
			continue;
		if (c->status == ST_SUPPORTED && strcmp(c->verb, "VRFY") == 0)
			result_add_finding(t, SEV_MEDIUM, "vrfy-enabled", h->mx,
			    h->address, "VRFY answered %d: mailbox names can be "
			    "enumerated (RFC 5321 7.3)", c->reply.code);
		if (c->status == ST_SUPPORTED && strcmp(c->verb, "EXPN") == 0)
			result_add_finding(t, SEV_MEDIUM, "expn-enabled", h->mx,
			    h->address, "EXPN answered %d: mailing list members "
			    "are disclosed (RFC 5321 7.3)", c->reply.code);
		if (c->status == ST_SUPPORTED && strcmp(c->verb, "TURN") == 0)
			result_add_finding(t, SEV_HIGH, "turn-accepted", h->mx,
			    h->address, "TURN answered %d: an unauthenticated "
			    "client may take this server's queued mail (RFC 5321 "
			    "App. F.1)", c->reply.code);
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
	size_t			 i, usable = 0;
	int			 dane_ee;

	/* only a session that got as far as EHLO can tell */
	if (h->ehlo.reply.code != 250 && !tls->implicit)
		return;
	if (!tls->offered && !tls->implicit)
		result_add_finding(t, SEV_MEDIUM, "starttls-missing", h->mx, h->address,
		    "STARTTLS is not offered: mail to this host travels in "
		    "clear text (RFC 3207)");
	if (tls->attempted && !tls->ok)
		result_add_finding(t, SEV_HIGH, "starttls-unusable", h->mx, h->address,
		    "TLS is %s but did not work (%s)%s", tls->implicit ?
		    "required" : "offered", tls->error ? tls->error : "unknown",
		    tls->fallback ? "; senders fall back to clear text" : "");
	if (tls->injection)
		result_add_finding(t, SEV_HIGH, "starttls-injection", h->mx, h->address,
		    "the server sent bytes after its 220 to STARTTLS, before the "
		    "handshake; they were discarded (RFC 3207 5: a sign of "
		    "command injection)");
	if (tls->have_ehlo_after && (tls->ehlo_after.caps & EXT_STARTTLS))
		result_add_finding(t, SEV_LOW, "starttls-after-tls", h->mx, h->address,
		    "STARTTLS is still advertised inside TLS (RFC 3207 4.2)");
	if (!tls->ok)
		return;
	if (tls->version != NULL && !tls_version_at_least(tls->version, 1, 2))
		result_add_finding(t, SEV_MEDIUM, "tls-version-old", h->mx, h->address,
		    "negotiated %s: TLS below 1.2 is deprecated (RFC 8996)",
		    tls->version);
	if (tls->have_cert && tls->cert.days_left < 0)
		result_add_finding(t, SEV_HIGH, "cert-expired", h->mx, h->address,
		    "the certificate expired on %s",
		    tls->cert.not_after ? tls->cert.not_after : "?");
	else if (tls->have_cert && tls->cert.days_left <= FINDINGS_CERT_WARN_DAYS)
		result_add_finding(t, SEV_MEDIUM, "cert-expiring", h->mx, h->address,
		    "the certificate expires in %ld days (%s)", tls->cert.days_left,
		    tls->cert.not_after ? tls->cert.not_after : "?");
	/*
	 * RFC 7672 3.1.1: a matching DANE-EE record from validated DNS
	 * authenticates the server by its key alone; name and chain then
	 * do not matter.
	 */
	dane_ee = 0;
	for (i = 0; i < tls->ntlsa; i++)
		if (tls->tlsa[i].usage == 3 && tls->tlsa[i].matched == 1 &&
		    tls->tlsa_ad)
			dane_ee = 1;
	if (tls->have_cert && !tls->verify.name_ok && !dane_ee)
		result_add_finding(t, SEV_MEDIUM, "cert-name-mismatch", h->mx, h->address,
		    "the certificate does not cover %s", tls->verify.name ?
		    tls->verify.name : "the host name");
	if (tls->have_cert && !tls->verify.chain_ok && !dane_ee)
		result_add_finding(t, SEV_LOW, "cert-untrusted", h->mx, h->address,
		    "the certificate chain does not verify: %s%s",
		    tls->verify.chain_error ? tls->verify.chain_error : "unknown",
		    tls->cert.self_signed && (tls->verify.chain_error == NULL ||
		    strstr(tls->verify.chain_error, "self-signed") == NULL) ?
		    " (self-signed)" : "");
	for (i = 0; i < tls->ntlsa; i++)
		if (tls->tlsa[i].matched != -1)
			usable++;
	if (tls->ntlsa > 0 && usable == 0)
		result_add_finding(t, SEV_LOW, "dane-unusable", h->mx, h->address,
		    "%zu TLSA records, none usable for SMTP (RFC 7672 3.1.3)",
		    tls->ntlsa);
	else if (usable > 0 && tls->dane_matched <= 0)
		result_add_finding(t, tls->tlsa_ad ? SEV_HIGH : SEV_MEDIUM,
		    "dane-mismatch", h->mx, h->address,
		    "none of the %zu usable TLSA records matches the certificate "
		    "chain: %s (RFC 7672)", usable, tls->tlsa_ad ?
		    "DANE senders will not deliver" :
		    "once the zone is DNSSEC-signed, DANE senders will not deliver");
	if (tls->ntlsa > 0 && !tls->tlsa_ad)
		result_add_finding(t, SEV_INFO, "dane-not-validated", h->mx, h->address,
		    "the TLSA records were not DNSSEC-validated by the resolver "
		    "(no AD bit); DANE needs validated records (RFC 7672 2.2)");
}

/*
 * findings_compute - see findings.h
 */
void
findings_compute(struct target_result *t)
{
	size_t	 i, unreachable = 0;

	for (i = 0; i < t->dns.nmx; i++)
		if (t->dns.mx[i].is_cname)
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
	if (t->dns.mx_dropped > 0)
		result_add_finding(t, SEV_INFO, "mx-limit", NULL, NULL,
		    "%zu more MX records were not probed (at most %zu are)",
		    t->dns.mx_dropped, t->dns.nmx);
	for (i = 0; i < t->dns.nmx; i++)
		if (t->dns.mx[i].addrs_dropped > 0)
			result_add_finding(t, SEV_INFO, "address-limit",
			    t->dns.mx[i].host, NULL, "%zu more addresses of %s "
			    "were not probed", t->dns.mx[i].addrs_dropped,
			    t->dns.mx[i].host);
	for (i = 0; i < t->nhosts; i++) {
		findings_host(t, &t->hosts[i]);
		findings_tls(t, &t->hosts[i]);
		if (!t->hosts[i].connect.ok)
			unreachable++;
	}
	if (unreachable > 0 && unreachable < t->nhosts)
		result_add_finding(t, SEV_MEDIUM, "mx-unreachable", NULL, NULL,
		    "%zu of %zu addresses could not be reached", unreachable,
		    t->nhosts);
}
