/* SPDX-License-Identifier: ISC */
/*
 * delivery - the sender's verdict: see delivery.h.
 *
 * RFC 3207 and RFC 7435 (opportunistic TLS), RFC 7672 (DANE for SMTP:
 * 2.2 lookups, 3.1 TLSA usages, 2.2.1 secure MX), RFC 8461 (MTA-STS:
 * 3.1 the TXT record, 3.3 the policy fetch, 4.1 MX matching, 4.2
 * certificate validation, 5 policy application).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dane.h"
#include "delivery.h"
#include "i18n.h"
#include "util.h"

/*
 * The words of a reason: English for machines (JSON, findings, Nagios,
 * --expect), or in the user's language for the text report.  Each rule
 * below is written once and worded either way by `local'.
 */
#define W(s)	(local ? _(s) : (s))

static const char *delivery_sender_names[DELIVERY_LAST] = {
	"opportunistic", "dane", "mta-sts"
};

const char *
delivery_sender_name(enum delivery_sender s)
{
	return s < DELIVERY_LAST ? delivery_sender_names[s] : "?";
}

int
delivery_sender_from_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < DELIVERY_LAST; i++)
		if (strcmp(name, delivery_sender_names[i]) == 0)
			return (int)i;
	return -1;
}

static void
verdict(struct delivery_verdict *v, int delivers, enum delivery_why why,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
verdict(struct delivery_verdict *v, int delivers, enum delivery_why why,
    const char *fmt, ...)
{
	va_list	 ap;

	v->delivers = delivers;
	v->why = why;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
}

/* rewrite v's reason (its arguments may include another verdict's) */
static void
reword(struct delivery_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reword(struct delivery_verdict *v, const char *fmt, ...)
{
	char	 tmp[DELIVERY_REASON_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memcpy(v->reason, tmp, sizeof(v->reason));
}

/*
 * A session's or TLS error (english, the message m) as a reason quotes
 * it: English, or in the user's language (result_msg_text()) in buf, of
 * DELIVERY_REASON_MAX bytes
 */
static const char *
error_words(const char *english, const struct result_msg *m, int local,
    char *buf)
{
	char	*s;

	if (!local || english == NULL)
		return english;
	s = result_msg_text(m, english);
	snprintf(buf, DELIVERY_REASON_MAX, "%s", s);
	free(s);
	return buf;
}

/* why there was no session: h's error, or the class of its failure */
static const char *
fail_words(const struct host_result *h, int local, char *buf)
{
	if (h->error != NULL)
		return error_words(h->error, &h->error_msg, local, buf);
	return local ? i18n_trc("failure", probe_fail_name(h->fail)) :
	    probe_fail_name(h->fail);
}

/* the TLS failure in a few words (buf: see error_words()) */
static const char *
tls_failure(const struct tls_result *tls, int local, char *buf)
{
	if (!tls->offered && !tls->implicit)
		return W(N_("no STARTTLS offered"));
	if (tls->error != NULL)
		return error_words(tls->error, &tls->error_msg, local, buf);
	return W(N_("TLS handshake failed"));
}

/*
 * Opportunistic TLS (RFC 3207, RFC 7435): any server that takes a
 * session takes the mail; TLS when it works, clear text otherwise.  A
 * sender falls back to clear text after a failed handshake.
 */
static void
judge_opportunistic(const struct host_result *h, struct delivery_verdict *v,
    int local)
{
	char	 eb[DELIVERY_REASON_MAX];

	if (!h->connect.ok) {
		verdict(v, 0, DELIVERY_W_NOT_REACHED, W(N_("not reachable: %s")),
		    h->connect.error != NULL ? h->connect.error :
		    W(N_("connection failed")));
		return;
	}
	if (h->fail == PROBE_F_INTERRUPTED || h->fail == PROBE_F_SHUTDOWN ||
	    (h->banner.code >= 400 && h->banner.code < 500)) {
		verdict(v, -1, DELIVERY_W_TEMPORARY, W(N_("no verdict: %s")),
		    h->error != NULL ? error_words(h->error, &h->error_msg,
		    local, eb) : W(N_("temporary failure")));
		return;
	}
	if (h->fail == PROBE_F_TLS) {
		verdict(v, 1, DELIVERY_W_CLEARTEXT, W(N_("in clear text: TLS "
		    "failed (%s), senders retry without it (RFC 7435 4)")),
		    tls_failure(&h->tls, local, eb));
		return;
	}
	if (!result_host_probed(h)) {
		verdict(v, 0, DELIVERY_W_NOT_REACHED, W(N_("no session: %s")),
		    fail_words(h, local, eb));
		return;
	}
	if (h->tls.ok && !h->tls.fallback)
		verdict(v, 1, DELIVERY_W_TLS, W(N_("over %s")),
		    h->tls.version != NULL ? h->tls.version : "TLS");
	else
		verdict(v, 1, DELIVERY_W_CLEARTEXT, W(N_("in clear text: %s")),
		    h->tls.fallback ? W(N_("TLS failed, the retry without it "
		    "worked")) : tls_failure(&h->tls, local, eb));
}

/* RFC 7672: DANE applies only to secure, usable TLSA records of a secure MX */
static void
judge_dane(const struct host_result *h, struct delivery_verdict *v, int local)
{
	struct delivery_verdict	 base;
	struct dane_verdict	 dv;
	char			 eb[DELIVERY_REASON_MAX];

	judge_opportunistic(h, &base, local);
	dane_judge(&h->tls, &dv);
	if (!dv.applies) {
		*v = base;
		reword(v, W(N_("no secure TLSA records (%s), as opportunistic: %s")),
		    dane_state_name(dv.state), base.reason);
		return;
	}
	if (base.why == DELIVERY_W_NOT_REACHED || base.why == DELIVERY_W_TEMPORARY) {
		*v = base;
		return;
	}
	switch (dv.state) {
	case DANE_S_LOOKUP_FAILED:
		verdict(v, 0, DELIVERY_W_DANE_DEFER, W(N_("the TLSA lookup failed "
		    "(%s): DANE senders defer (RFC 7672 2.2)")), h->tls.tlsa_error);
		break;
	case DANE_S_UNUSABLE:
		if (h->tls.ok)
			verdict(v, 1, DELIVERY_W_TLS, "%s", W(N_("over TLS, not "
			    "authenticated: no usable TLSA record (RFC 7672 "
			    "3.1.3)")));
		else
			verdict(v, 0, DELIVERY_W_DANE_DEFER, W(N_("TLSA records "
			    "require TLS (RFC 7672 3.1.3): %s")),
			    tls_failure(&h->tls, local, eb));
		break;
	case DANE_S_EE:
	case DANE_S_TA:
		if (dv.authenticated)
			verdict(v, 1, DELIVERY_W_AUTHENTICATED, W(N_("a %s TLSA "
			    "record matches (RFC 7672 %s)")), dv.state == DANE_S_EE ?
			    "DANE-EE" : "DANE-TA", dv.state == DANE_S_EE ?
			    "3.1.1" : "3.1.2");
		else
			verdict(v, 0, DELIVERY_W_DANE_DEFER, W(N_("the DANE-TA "
			    "record matches but %s (RFC 7672 3.1.2)")), !dv.name_ok ?
			    W(N_("the name does not")) : dv.chain_error != NULL ?
			    dv.chain_error : W(N_("the dates do not")));
		break;
	case DANE_S_UNCHECKED:
		verdict(v, 0, DELIVERY_W_DANE_DEFER, W(N_("secure TLSA records but "
		    "%s: DANE senders defer (RFC 7672 2.2)")),
		    tls_failure(&h->tls, local, eb));
		break;
	default:
		verdict(v, 0, DELIVERY_W_DANE_DEFER, "%s", W(N_("no TLSA record "
		    "matches the certificate: DANE senders defer (RFC 7672 3.1)")));
		break;
	}
}

/*
 * RFC 8461 3.1 and 5: a sender uses a policy only if there is exactly
 * one valid "v=STSv1" TXT record and the policy was fetched and parsed;
 * otherwise it delivers as if the domain had no MTA-STS.  (A policy
 * published without TXT record is never fetched by a sender.)
 */
enum mtasts_mode
delivery_sts_mode(const struct target_result *t)
{
	const struct sts_result	*s = &t->sts;

	if (!s->checked || s->ntxt != 1 || s->txt_invalid != NULL ||
	    !s->have_policy)
		return MTASTS_MODE_NONE;
	return s->policy.mode;
}

static int
delivery_sts_usable(const struct target_result *t)
{
	const struct sts_result	*s = &t->sts;

	return s->checked && s->ntxt == 1 && s->txt_invalid == NULL &&
	    s->have_policy;
}

const char *
delivery_mx_match(const struct target_result *t, const char *mx)
{
	if (!t->sts.have_policy || mx == NULL)
		return NULL;
	return mtasts_policy_match(&t->sts.policy, mx);
}

static void
judge_sts(const struct target_result *t, const struct host_result *h,
    struct delivery_verdict *v, int local)
{
	struct delivery_verdict	 base;
	const char		*pattern, *mx = h->mx != NULL ? h->mx : h->address;
	char			 eb[DELIVERY_REASON_MAX];

	judge_opportunistic(h, &base, local);
	if (!delivery_sts_usable(t)) {
		*v = base;
		v->why = base.delivers == 1 ? DELIVERY_W_STS_NO_POLICY : base.why;
		reword(v, W(N_("no usable MTA-STS policy, as opportunistic "
		    "(RFC 8461 5): %s")), base.reason);
		return;
	}
	if (t->sts.policy.mode != MTASTS_MODE_ENFORCE) {
		*v = base;
		v->why = base.delivers == 1 ? DELIVERY_W_STS_TESTING : base.why;
		reword(v, W(N_("mode %s delivers whatever the checks say "
		    "(RFC 8461 5): %s")), mtasts_mode_name(t->sts.policy.mode),
		    base.reason);
		return;
	}
	if (base.why == DELIVERY_W_NOT_REACHED || base.why == DELIVERY_W_TEMPORARY) {
		*v = base;
		return;
	}
	if ((pattern = delivery_mx_match(t, mx)) == NULL)
		verdict(v, 0, DELIVERY_W_STS_MX_NOT_MATCHED, W(N_("enforce: %s "
		    "matches no mx line of the policy (RFC 8461 4.1)")), mx);
	else if (!h->tls.ok || h->tls.fallback)
		verdict(v, 0, DELIVERY_W_STS_NO_TLS, W(N_("enforce: TLS is "
		    "required (RFC 8461 4.2): %s")), tls_failure(&h->tls, local,
		    eb));
	else if (!h->tls.verify.chain_ok || !h->tls.verify.name_ok)
		verdict(v, 0, DELIVERY_W_STS_CERT_INVALID, W(N_("enforce: the "
		    "certificate is not valid for %s (RFC 8461 4.2): %s")), mx,
		    !h->tls.verify.chain_ok ? (h->tls.verify.chain_error != NULL ?
		    h->tls.verify.chain_error : W(N_("untrusted chain"))) :
		    W(N_("the name does not match")));
	else
		verdict(v, 1, DELIVERY_W_AUTHENTICATED, W(N_("enforce: matches "
		    "\"%s\", certificate valid (RFC 8461 4.1, 4.2)")), pattern);
}

static void
judge_host(const struct target_result *t, const struct host_result *h,
    enum delivery_sender sender, struct delivery_verdict *v, int local)
{
	switch (sender) {
	case DELIVERY_DANE:
		judge_dane(h, v, local);
		break;
	case DELIVERY_MTA_STS:
		judge_sts(t, h, v, local);
		break;
	default:
		judge_opportunistic(h, v, local);
		break;
	}
}

void
delivery_judge_host(const struct target_result *t, const struct host_result *h,
    enum delivery_sender sender, struct delivery_verdict *v)
{
	judge_host(t, h, sender, v, 0);
}

void
delivery_judge_host_text(const struct target_result *t,
    const struct host_result *h, enum delivery_sender sender,
    struct delivery_verdict *v)
{
	judge_host(t, h, sender, v, 1);
}

/* "mx.example.com (192.0.2.25): reason", or "192.0.2.25: reason" */
static void
named(struct delivery_verdict *v, const struct host_result *h,
    const struct delivery_verdict *hv)
{
	*v = *hv;
	if (h->mx != NULL)
		reword(v, "%s (%s): %s", h->mx, h->address, hv->reason);
	else
		reword(v, "%s: %s", h->address, hv->reason);
}

const char *
delivery_action(const struct delivery_verdict *v)
{
	if (v->delivers == 1)
		return "delivers";
	if (v->delivers < 0)
		return "unknown";
	if (v->why == DELIVERY_W_NULL_MX || v->why == DELIVERY_W_NO_HOST)
		return "bounces";
	return "defers";
}

static void
judge(const struct target_result *t, enum delivery_sender sender,
    struct delivery_verdict *v, int local)
{
	struct delivery_verdict	 hv, first_no, first_unknown;
	const struct host_result *no_h = NULL, *unknown_h = NULL;
	size_t			 i;

	if (t->dns.null_mx) {
		verdict(v, 0, DELIVERY_W_NULL_MX, "%s", W(N_("null MX: the domain "
		    "takes no mail (RFC 7505)")));
		return;
	}
	if (t->nhosts == 0) {
		if (t->error != NULL)
			verdict(v, t->dns.transient ? -1 : 0, t->dns.transient ?
			    DELIVERY_W_TEMPORARY : DELIVERY_W_NO_HOST,
			    W(N_("no address to deliver to: %s")),
			    local ? i18n_trc("error", t->error) : t->error);
		else
			verdict(v, t->dns.transient ? -1 : 0, t->dns.transient ?
			    DELIVERY_W_TEMPORARY : DELIVERY_W_NO_HOST, "%s",
			    W(N_("no address to deliver to")));
		return;
	}
	/* hosts are in MX preference order: a sender tries them so */
	for (i = 0; i < t->nhosts; i++) {
		const struct host_result	*h = &t->hosts[i];

		judge_host(t, h, sender, &hv, local);
		if (hv.delivers == 1) {
			named(v, h, &hv);
			return;
		}
		if (hv.delivers == -1 && unknown_h == NULL) {
			unknown_h = h;
			first_unknown = hv;
		}
		if (hv.delivers == 0 && no_h == NULL) {
			no_h = h;
			first_no = hv;
		}
	}
	if (unknown_h != NULL)
		named(v, unknown_h, &first_unknown);
	else
		named(v, no_h, &first_no);
}

void
delivery_judge(const struct target_result *t, enum delivery_sender sender,
    struct delivery_verdict *v)
{
	judge(t, sender, v, 0);
}

void
delivery_judge_text(const struct target_result *t, enum delivery_sender sender,
    struct delivery_verdict *v)
{
	judge(t, sender, v, 1);
}
