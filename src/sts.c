/* SPDX-License-Identifier: ISC */
/*
 * sts - MTA-STS and TLS-RPT discovery: see sts.h.
 *
 * RFC 8461 3.1 (the _mta-sts TXT record: exactly one "v=STSv1" record
 * counts), 3.3 (the policy at https://mta-sts.DOMAIN/.well-known/
 * mta-sts.txt: certificate valid for that name, no redirects, media type
 * text/plain), 3.2 (the policy's syntax); RFC 8460 3 (the _smtp._tls
 * TXT record: exactly one "v=TLSRPTv1" record counts).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "fetch.h"
#include "mtasts.h"
#include "resolver.h"
#include "sts.h"
#include "util.h"

#define STS_PATH	"/.well-known/mta-sts.txt"
#define STS_SHOWN_MAX	256	/* bytes of server text kept in messages */

struct sts_job {
	const struct sts_config	*cfg;
	char			*domain;
	char			*policy_host;
	struct sts_result	*out;
	struct dns_result	 addr;
	int			 pending;
	sts_done_cb		 cb;
	void			*arg;
};

static void
sts_release(struct sts_job *j)
{
	if (--j->pending > 0)
		return;
	result_dns_clear(&j->addr);
	free(j->domain);
	free(j->policy_host);
	j->cb(j->arg);
	free(j);
}

/* server text for messages and reports: printable, bounded */
static char *
sts_shown(const char *s, size_t len)
{
	return escape_terminal(s, len < STS_SHOWN_MAX ? len : STS_SHOWN_MAX, 0);
}

/*
 * Of the TXT records, those that start with the version tag count; RFC
 * 8461 3.1 and RFC 8460 3 both say: not exactly one, no policy.
 */
static size_t
sts_pick(const struct resolver_txt *r, int (*is)(const char *, size_t),
    size_t *first)
{
	size_t	 i, n = 0;

	for (i = 0; i < r->ntxt; i++)
		if (is(r->txt[i], r->len[i]) && n++ == 0)
			*first = i;
	return n;
}

static void
sts_txt_cb(const struct resolver_txt *r, void *arg)
{
	struct sts_job		*j = arg;
	struct sts_result	*o = j->out;
	struct mtasts_txt	 txt;
	char			 err[256];
	size_t			 first = 0;

	o->txt_rcode = xstrdup(r->rcode);
	if (r->error != NULL)
		o->txt_error = xstrdup(r->error);
	o->ntxt = sts_pick(r, mtasts_txt_is_sts, &first);
	if (o->ntxt > 0) {
		o->txt = sts_shown(r->txt[first], r->len[first]);
		memset(&txt, 0, sizeof(txt));
		if (o->ntxt > 1)
			o->txt_invalid = xasprintf("%zu records start with "
			    "v=STSv1; exactly one is allowed (RFC 8461 3.1)", o->ntxt);
		else if (mtasts_txt_parse(r->txt[first], r->len[first], &txt, err,
		    sizeof(err)) == -1)
			o->txt_invalid = xstrdup(err);
		else
			snprintf(o->id, sizeof(o->id), "%s", txt.id);
	}
	sts_release(j);
}

static void
sts_rpt_cb(const struct resolver_txt *r, void *arg)
{
	struct sts_job		*j = arg;
	struct sts_result	*o = j->out;
	char			 err[256];
	size_t			 first = 0;

	o->rpt_rcode = xstrdup(r->rcode);
	if (r->error != NULL)
		o->rpt_error = xstrdup(r->error);
	o->nrpt = sts_pick(r, tlsrpt_is_record, &first);
	if (o->nrpt > 0) {
		o->rpt_txt = sts_shown(r->txt[first], r->len[first]);
		if (o->nrpt > 1)
			o->rpt_invalid = xasprintf("%zu records start with "
			    "v=TLSRPTv1; exactly one is allowed (RFC 8460 3)",
			    o->nrpt);
		else if (tlsrpt_parse(r->txt[first], r->len[first], &o->rpt, err,
		    sizeof(err)) == -1)
			o->rpt_invalid = xstrdup(err);
		else
			o->have_rpt = 1;
	}
	sts_release(j);
}

/* RFC 8461 3.3: "text/plain", parameters (charset) allowed */
static int
sts_media_type_ok(const char *ct)
{
	size_t	 n;

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, "text/plain", 10) != 0)
		return 0;
	n = 10;
	while (ct[n] == ' ' || ct[n] == '\t')
		n++;
	return ct[n] == '\0' || ct[n] == ';';
}

static void
sts_fetch_fail(struct sts_result *o, const char *class, char *msg)
{
	o->fetch_class = xstrdup(class);
	o->fetch_error = msg;
}

static void
sts_fetch_cb(const struct fetch_response *r, void *arg)
{
	struct sts_job		*j = arg;
	struct sts_result	*o = j->out;
	char			 err[256], *shown;

	o->status = r->status;
	o->fetch_ms = r->ms;
	if (r->err != FETCH_OK)
		sts_fetch_fail(o, fetch_error_name(r->err), xasprintf("%s: %s",
		    j->policy_host, r->error != NULL ? r->error : "failed"));
	else if (r->status >= 300 && r->status < 400) {
		shown = r->location != NULL ? sts_shown(r->location,
		    strlen(r->location)) : xstrdup("nowhere");
		sts_fetch_fail(o, "redirect", xasprintf("HTTP %ld redirect to %s: "
		    "senders do not follow it (RFC 8461 3.3)", r->status, shown));
		free(shown);
	} else if (r->status != 200)
		sts_fetch_fail(o, "http-status", xasprintf("HTTP %ld, not 200 "
		    "(RFC 8461 3.3)", r->status));
	else if (!sts_media_type_ok(r->content_type)) {
		shown = r->content_type != NULL ? sts_shown(r->content_type,
		    strlen(r->content_type)) : xstrdup("none");
		sts_fetch_fail(o, "media-type", xasprintf("Content-Type %s, not "
		    "text/plain (RFC 8461 3.3)", shown));
		free(shown);
	} else if (mtasts_policy_parse(r->body, r->len, &o->policy, err,
	    sizeof(err)) == -1)
		o->policy_error = xstrdup(err);
	else
		o->have_policy = 1;
	sts_release(j);
}

static void
sts_addr_cb(struct dns_result *d, void *arg)
{
	struct sts_job		*j = arg;
	struct sts_result	*o = j->out;
	struct fetch_request	 rq;

	o->fetched = 1;
	if (d->nmx == 0 || d->mx[0].naddrs == 0) {
		sts_fetch_fail(o, "dns", xasprintf("%s: %s", j->policy_host,
		    d->nmx > 0 && d->mx[0].error != NULL ? d->mx[0].error :
		    d->error != NULL ? d->error : "no address"));
		sts_release(j);
		return;
	}
	o->policy_address = xstrdup(d->mx[0].addrs[0]);
	memset(&rq, 0, sizeof(rq));
	rq.host = j->policy_host;
	rq.address = o->policy_address;
	rq.port = j->cfg->port;
	rq.path = STS_PATH;
	rq.timeout_ms = j->cfg->timeout_ms;
	rq.max_bytes = MTASTS_POLICY_MAX;
	fetch_start(j->cfg->fetcher, &rq, sts_fetch_cb, j);
}

void
sts_check(const struct sts_config *cfg, const char *domain, struct sts_result *out,
    sts_done_cb cb, void *arg)
{
	struct sts_job	*j = xcalloc(1, sizeof(*j));
	char		*name;

	j->cfg = cfg;
	j->domain = xstrdup(domain);
	j->policy_host = xasprintf("mta-sts.%s", domain);
	j->out = out;
	j->cb = cb;
	j->arg = arg;
	out->checked = 1;
	out->policy_url = xasprintf("https://%s" STS_PATH, j->policy_host);
	j->pending = 4;		/* three lookups, and this call */
	name = xasprintf("_mta-sts.%s", domain);
	resolver_lookup_txt(cfg->resolver, name, sts_txt_cb, j);
	free(name);
	name = xasprintf("_smtp._tls.%s", domain);
	resolver_lookup_txt(cfg->resolver, name, sts_rpt_cb, j);
	free(name);
	/* RFC 8461 3.3: fetched even without the TXT record, to report it */
	resolver_lookup(cfg->resolver, j->policy_host, RESOLVE_HOST | RESOLVE_NO_TLSA,
	    cfg->family, &j->addr, sts_addr_cb, j);
	sts_release(j);
}

uint16_t
sts_port_from_env(void)
{
	const char	*s = getenv("SMTPPROBE_MTA_STS_PORT");
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return 0;
	return (uint16_t)v;
}
