/* SPDX-License-Identifier: ISC */
/*
 * policy - audit policies for --expect and --policy.
 *
 * "off" for a command means any refusal: 252 (disabled the RFC 5321 7.3
 * way) or a 5xx.  A 4xx, a timeout or a command never reached proves
 * nothing either way (RFC 5321 4.2.5: greylisting), so such a host is
 * reported as unverified for that rule rather than as compliant or not.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codes.h"
#include "dane.h"
#include "delivery.h"
#include "i18n.h"
#include "policy.h"
#include "tls.h"
#include "util.h"

#define POLICY_MAX_RULES	32
#define POLICY_FILE_MAX		(64 * 1024)

enum rule_kind {
	RULE_CMD,		/* VERB=on|off */
	RULE_STARTTLS,		/* STARTTLS=on|off */
	RULE_TLS_MIN,		/* TLS>=x.y */
	RULE_CERT_VALID,	/* CERT=valid */
	RULE_DANE_VALID,	/* DANE=valid */
	RULE_DELIVERY		/* DELIVERY=opportunistic|dane|mta-sts */
};

struct rule {
	enum rule_kind	 kind;
	char		 verb[8];
	int		 on;
	int		 major, minor;
	int		 sender;	/* RULE_DELIVERY: enum delivery_sender */
	char		 text[32];	/* as normalised */
};

struct policy {
	struct rule	 rules[POLICY_MAX_RULES];
	size_t		 nrules;
	char		*spec;
};

static const char *policy_verbs[] = {
	"VRFY", "EXPN", "TURN", "ETRN", "ATRN", "HELP", "NOOP"
};

static int
policy_errorf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
policy_errorf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	/* a usage error: in the user's language (English for --format nagios) */
	va_start(ap, fmt);
	vsnprintf(err, errlen, _(fmt), ap);
	va_end(ap);
	return -1;
}

static int
policy_onoff(const char *v, int *on)
{
	if (strcasecmp(v, "on") == 0)
		*on = 1;
	else if (strcasecmp(v, "off") == 0)
		*on = 0;
	else
		return -1;
	return 0;
}

/* one rule, e.g. "VRFY=off" or "TLS>=1.2" */
static int
policy_rule(const char *tok, struct rule *r, char *err, size_t errlen)
{
	const char	*eq;
	char		 key[16];
	size_t		 i;

	memset(r, 0, sizeof(*r));
	if (strncasecmp(tok, "TLS>=", 5) == 0) {
		char	 junk;

		if (sscanf(tok + 5, "%d.%d%c", &r->major, &r->minor, &junk) != 2 ||
		    r->major != 1 || r->minor < 0 || r->minor > 3)
			return policy_errorf(err, errlen, "\"%s\": want TLS>=1.0 .. "
			    "TLS>=1.3", tok);
		r->kind = RULE_TLS_MIN;
		snprintf(r->text, sizeof(r->text), "TLS>=1.%d", r->minor);
		return 0;
	}
	if ((eq = strchr(tok, '=')) == NULL || eq == tok ||
	    (size_t)(eq - tok) >= sizeof(key))
		return policy_errorf(err, errlen, "\"%s\" is not NAME=VALUE", tok);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - tok), tok);
	for (i = 0; key[i] != '\0'; i++)
		key[i] = (char)toupper((unsigned char)key[i]);
	eq++;
	if (strcmp(key, "STARTTLS") == 0) {
		r->kind = RULE_STARTTLS;
		if (policy_onoff(eq, &r->on) == -1)
			return policy_errorf(err, errlen, "\"%s\": STARTTLS is on "
			    "or off", tok);
		snprintf(r->text, sizeof(r->text), "STARTTLS=%s", r->on ? "on" : "off");
		return 0;
	}
	if (strcmp(key, "CERT") == 0 || strcmp(key, "DANE") == 0) {
		if (strcasecmp(eq, "valid") != 0)
			return policy_errorf(err, errlen, "\"%s\": %s takes only "
			    "\"valid\"", tok, key);
		r->kind = key[0] == 'C' ? RULE_CERT_VALID : RULE_DANE_VALID;
		snprintf(r->text, sizeof(r->text), "%s=valid", key);
		return 0;
	}
	if (strcmp(key, "DELIVERY") == 0) {
		if ((r->sender = delivery_sender_from_name(eq)) == -1)
			return policy_errorf(err, errlen, "\"%s\": DELIVERY is "
			    "opportunistic, dane or mta-sts", tok);
		r->kind = RULE_DELIVERY;
		snprintf(r->text, sizeof(r->text), "DELIVERY=%s",
		    delivery_sender_name((enum delivery_sender)r->sender));
		return 0;
	}
	for (i = 0; i < nitems(policy_verbs); i++)
		if (strcmp(key, policy_verbs[i]) == 0)
			break;
	if (i == nitems(policy_verbs))
		return policy_errorf(err, errlen, "\"%s\": unknown rule (VRFY, EXPN, "
		    "TURN, ETRN, ATRN, HELP, NOOP, STARTTLS, TLS>=, CERT, DANE, DELIVERY)", tok);
	if (policy_onoff(eq, &r->on) == -1)
		return policy_errorf(err, errlen, "\"%s\": %s is on or off", tok, key);
	r->kind = RULE_CMD;
	snprintf(r->verb, sizeof(r->verb), "%s", policy_verbs[i]);
	snprintf(r->text, sizeof(r->text), "%s=%s", policy_verbs[i],
	    r->on ? "on" : "off");
	return 0;
}

/*
 * policy_parse - see policy.h
 */
struct policy *
policy_parse(const char *text, char *err, size_t errlen)
{
	struct policy	*p;
	struct buf	 spec = { 0 };
	char		*copy, *line, *lsave = NULL;

	p = xcalloc(1, sizeof(*p));
	copy = xstrdup(text);
	for (line = strtok_r(copy, "\n", &lsave); line != NULL;
	    line = strtok_r(NULL, "\n", &lsave)) {
		char	*hash = strchr(line, '#'), *tok, *tsave = NULL;

		if (hash != NULL)
			*hash = '\0';
		for (tok = strtok_r(line, ", \t\r", &tsave); tok != NULL;
		    tok = strtok_r(NULL, ", \t\r", &tsave)) {
			if (p->nrules == POLICY_MAX_RULES) {
				policy_errorf(err, errlen, "more than %d rules",
				    POLICY_MAX_RULES);
				goto fail;
			}
			if (policy_rule(tok, &p->rules[p->nrules], err, errlen) == -1)
				goto fail;
			buf_printf(&spec, "%s%s", p->nrules > 0 ? "," : "",
			    p->rules[p->nrules].text);
			p->nrules++;
		}
	}
	if (p->nrules == 0) {
		policy_errorf(err, errlen, "the policy has no rules");
		goto fail;
	}
	free(copy);
	p->spec = spec.data;
	return p;
fail:
	free(copy);
	buf_free(&spec);
	free(p);
	return NULL;
}

/*
 * policy_load - see policy.h
 */
struct policy *
policy_load(const char *path, char *err, size_t errlen)
{
	struct policy	*p;
	FILE		*fp;
	char		*text;
	size_t		 n;

	if ((fp = fopen(path, "r")) == NULL) {
		policy_errorf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	text = xmalloc(POLICY_FILE_MAX + 1);
	n = fread(text, 1, POLICY_FILE_MAX + 1, fp);
	fclose(fp);
	if (n > POLICY_FILE_MAX) {
		free(text);
		policy_errorf(err, errlen, "%s: larger than %d bytes", path,
		    POLICY_FILE_MAX);
		return NULL;
	}
	text[n] = '\0';
	if (memchr(text, '\0', n) != NULL) {
		free(text);
		policy_errorf(err, errlen, "%s: not a text file", path);
		return NULL;
	}
	if ((p = policy_parse(text, err, errlen)) == NULL) {
		char	 tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		policy_errorf(err, errlen, "%s: %s", path, tmp);
	}
	free(text);
	return p;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	free(p->spec);
	free(p);
}

const char *
policy_spec(const struct policy *p)
{
	return p->spec;
}

/*
 * policy_verb_missing - see policy.h
 */
const char *
policy_verb_missing(const struct policy *p, const char (*verbs)[8], size_t nverbs)
{
	size_t	 i, j;

	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i].kind != RULE_CMD)
			continue;
		for (j = 0; j < nverbs; j++)
			if (strcmp(verbs[j], p->rules[i].verb) == 0)
				break;
		if (j == nverbs)
			return p->rules[i].verb;
	}
	return NULL;
}

/*
 * the last violation's message in the user's language: delivery.c's reason
 * for the text report (the English one stays the message)
 */
static void
policy_reason_text(struct target_result *t, const char *text)
{
	struct violation	*v = &t->violations[t->nviolations - 1];

	if (strcmp(text, v->message) == 0)
		return;
	free(v->message_text);
	v->message_text = xstrdup(text);
}

/*
 * The messages are English (JSON, Nagios); result_add_violation() words
 * them in the user's language for the text report too (po/Makevars:
 * VIOLATION and UNVERIFIED are gettext keywords).
 */
static void
policy_check_host(const struct rule *r, struct target_result *t,
    const struct host_result *h)
{
	const struct tls_result	*tls = &h->tls;
	struct dane_verdict	 dv;
	int			 reached = h->ehlo.reply.code == 250 ||
	    h->ehlo.helo_reply.code == 250 || tls->implicit;
	size_t			 i;

#define VIOLATION(...)	result_add_violation(t, r->text, h->mx, h->address, 0, __VA_ARGS__)
#define UNVERIFIED(...)	result_add_violation(t, r->text, h->mx, h->address, 1, __VA_ARGS__)
	switch (r->kind) {
	case RULE_CMD:
		for (i = 0; i < h->ncmds; i++) {
			const struct cmd_result	*c = &h->cmds[i];
			int			 state;

			if (strcmp(c->verb, r->verb) != 0)
				continue;
			state = codes_status_open(c->status);
			if (state == -1 && c->reply.code >= 400 &&
			    c->reply.code < 500)
				UNVERIFIED("%s could not be checked: %s (4xx proves "
				    "nothing)", r->verb, status_name(c->status));
			else if (state == -1)
				UNVERIFIED("%s could not be checked: %s%s", r->verb,
				    status_name(c->status), c->reply.code ? " " : "");
			else if (state != r->on)
				VIOLATION("%s answered %d (%s); the policy wants it %s",
				    r->verb, c->reply.code, status_name(c->status),
				    r->on ? "on" : "off");
			return;
		}
		UNVERIFIED("%s was not tried", r->verb);
		return;
	case RULE_STARTTLS:
		if (!reached) {
			UNVERIFIED("the session did not reach EHLO");
			return;
		}
		if (r->on && !tls->ok && !tls->offered && !tls->implicit)
			VIOLATION("no TLS session: STARTTLS is not offered");
		else if (r->on && !tls->ok && !tls->attempted)
			VIOLATION("no TLS session: STARTTLS was not attempted "
			    "(--no-starttls)");
		else if (r->on && !tls->ok && tls->error != NULL) {
			char	*e, *text;

			VIOLATION("no TLS session: %s", tls->error);
			/* the TLS error as the text report says it */
			e = result_tls_error_text(tls);
			text = xasprintf(_("no TLS session: %s"), e);
			policy_reason_text(t, text);
			free(text);
			free(e);
		}
		else if (r->on && !tls->ok)
			VIOLATION("no TLS session: the handshake failed");
		else if (!r->on && tls->offered)
			VIOLATION("STARTTLS is offered");
		return;
	case RULE_TLS_MIN:
		if (!tls->ok) {
			if (reached)
				VIOLATION("no TLS session, so no TLS 1.%d", r->minor);
			else
				UNVERIFIED("the session did not reach EHLO");
		} else if (tls_min_version_met(tls, r->minor))
			;
		else if (tls->versions.probed)
			VIOLATION("accepts a version below TLS 1.%d "
			    "(--tls-versions)", r->minor);
		else
			VIOLATION("negotiated %s, below TLS 1.%d", tls->version,
			    r->minor);
		return;
	case RULE_CERT_VALID:
		/* dane_judge(): a DANE-EE match supersedes name, chain, dates */
		dane_judge(tls, &dv);
		if (!tls->ok || !tls->have_cert) {
			if (reached)
				VIOLATION("no certificate to check (no TLS session)");
			else
				UNVERIFIED("the session did not reach EHLO");
		} else if (!dv.dates_ok)
			VIOLATION("the certificate expired on %s", tls->cert.not_after ?
			    tls->cert.not_after : "?");
		else if (!dv.chain_ok)
			VIOLATION("the chain does not verify: %s", dv.chain_error ?
			    dv.chain_error : "?");
		else if (!dv.name_ok && tls->verify.name != NULL)
			VIOLATION("the certificate does not cover %s",
			    tls->verify.name);
		else if (!dv.name_ok)
			VIOLATION("the certificate does not cover the name");
		return;
	case RULE_DELIVERY: {
		/* delivery.c decides; every address must take the mail */
		struct delivery_verdict	 v;

		delivery_judge_host(t, h, (enum delivery_sender)r->sender, &v);
		if (v.delivers == 1)
			return;
		/* not VIOLATION(): "%s" is no message for the catalogue */
		result_add_violation(t, r->text, h->mx, h->address,
		    v.delivers == -1, "%s", v.reason);
		delivery_judge_host_text(t, h, (enum delivery_sender)r->sender, &v);
		policy_reason_text(t, v.reason);
		return;
	}
	case RULE_DANE_VALID:
		/* RFC 7672 2.2: only validated records under a secure MX count */
		dane_judge(tls, &dv);
		if (dv.authenticated)
			return;
		switch (dv.state) {
		case DANE_S_NONE:
			VIOLATION("no TLSA records");
			break;
		case DANE_S_LOOKUP_FAILED:
			VIOLATION("the TLSA lookup failed (%s)", tls->tlsa_error);
			break;
		case DANE_S_NOT_VALIDATED:
			VIOLATION("the TLSA records are not DNSSEC-validated (no AD "
			    "bit)");
			break;
		case DANE_S_MX_INSECURE:
			VIOLATION("the MX answer is not DNSSEC-validated, so DANE "
			    "does not apply (RFC 7672 2.2.1)");
			break;
		case DANE_S_UNUSABLE:
			VIOLATION("no TLSA record is usable for SMTP");
			break;
		case DANE_S_UNCHECKED:
			if (reached)
				VIOLATION("TLSA records, but no TLS session to match them");
			else
				UNVERIFIED("TLSA records, but no TLS session to match them");
			break;
		case DANE_S_TA:
			if (!dv.chain_ok)
				VIOLATION("the DANE-TA chain does not authenticate "
				    "the server: %s", dv.chain_error != NULL ?
				    dv.chain_error : "?");
			else if (!dv.dates_ok)
				VIOLATION("the DANE-TA chain does not authenticate "
				    "the server: the certificate is expired");
			else
				VIOLATION("the DANE-TA chain does not authenticate "
				    "the server: the certificate does not cover the "
				    "name");
			break;
		default:
			VIOLATION("no TLSA record matches the certificate chain");
			break;
		}
		return;
	}
#undef VIOLATION
#undef UNVERIFIED
}

/*
 * policy_check - see policy.h
 */
void
policy_check(const struct policy *p, struct target_result *t)
{
	size_t	 i, j;

	t->policy_checked = 1;
	free(t->policy_spec);
	t->policy_spec = xstrdup(p->spec);
	for (j = 0; j < t->nhosts; j++)
		for (i = 0; i < p->nrules; i++)
			policy_check_host(&p->rules[i], t, &t->hosts[j]);
}
