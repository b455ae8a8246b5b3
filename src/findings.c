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
#include "util.h"

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
		if (!t->hosts[i].connect.ok)
			unreachable++;
	}
	if (unreachable > 0 && unreachable < t->nhosts)
		result_add_finding(t, SEV_MEDIUM, "mx-unreachable", NULL, NULL,
		    "%zu of %zu addresses could not be reached", unreachable,
		    t->nhosts);
}
