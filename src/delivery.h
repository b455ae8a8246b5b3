/* SPDX-License-Identifier: ISC */
/*
 * delivery - would a sender deliver mail to this domain, and why not?
 * Three kinds of sender, judged from what was observed:
 *
 *  opportunistic  RFC 3207 as most MTAs run it: TLS when offered, clear
 *                 text when TLS is missing or fails;
 *  dane           RFC 7672: authenticated TLS when the MX has secure
 *                 usable TLSA records, otherwise opportunistic;
 *  mta-sts        RFC 8461 in the policy's mode: in enforce mode only to
 *                 an MX a policy pattern matches, over TLS with a
 *                 certificate valid for the MX name (4.1, 4.2, 5).
 *
 * The one place these rules live: text, JSON, findings, Nagios,
 * Prometheus and --expect ask delivery_judge() and delivery_judge_host();
 * the text report asks their _text twins, which word the same verdict in
 * the user's language.
 * Pure: reads a finished target_result.
 */
#ifndef SMTPPROBE_DELIVERY_H
#define SMTPPROBE_DELIVERY_H

#include "result.h"

enum delivery_sender {
	DELIVERY_OPPORTUNISTIC,
	DELIVERY_DANE,
	DELIVERY_MTA_STS,
	DELIVERY_LAST
};
/* "opportunistic", "dane", "mta-sts" (output names); -1 if unknown */
const char	*delivery_sender_name(enum delivery_sender);
int		 delivery_sender_from_name(const char *);

/* why, as a fact findings and tests can switch on */
enum delivery_why {
	DELIVERY_W_TLS,			/* delivers over TLS */
	DELIVERY_W_CLEARTEXT,		/* delivers, but in clear text */
	DELIVERY_W_AUTHENTICATED,	/* delivers over authenticated TLS */
	DELIVERY_W_NOT_REACHED,		/* the address did not take a session */
	DELIVERY_W_TEMPORARY,		/* 4xx, interrupted: cannot tell */
	DELIVERY_W_NULL_MX,		/* RFC 7505: no mail at all */
	DELIVERY_W_NO_HOST,		/* nothing to deliver to */
	DELIVERY_W_DANE_DEFER,		/* RFC 7672: TLSA lookup failed, no match, no TLS */
	DELIVERY_W_STS_NO_POLICY,	/* no usable policy: opportunistic (RFC 8461 5) */
	DELIVERY_W_STS_TESTING,		/* testing/none: delivers whatever (RFC 8461 5) */
	DELIVERY_W_STS_MX_NOT_MATCHED,	/* enforce: MX matches no pattern (4.1) */
	DELIVERY_W_STS_NO_TLS,		/* enforce: no STARTTLS or handshake failed (4.2) */
	DELIVERY_W_STS_CERT_INVALID,	/* enforce: certificate not valid for the MX (4.2) */
	DELIVERY_W_LAST
};

/* room for a translated reason too: a CJK character takes 3 bytes */
#define DELIVERY_REASON_MAX	512

struct delivery_verdict {
	int		 delivers;	/* 1 yes, 0 no, -1 cannot tell (JSON null) */
	enum delivery_why why;
	char		 reason[DELIVERY_REASON_MAX];
};

/*
 * delivery_action - the verdict in one word: "delivers", "defers" (the
 * sender keeps the message and retries), "bounces" (it returns the message
 * at once: a null MX, RFC 7505 3; no address at all, RFC 5321 5.1) or
 * "unknown"
 */
const char	*delivery_action(const struct delivery_verdict *);

/* delivery_judge_host - what sender would do with the address h of t */
void	 delivery_judge_host(const struct target_result *t, const struct host_result *h,
	    enum delivery_sender sender, struct delivery_verdict *v);
/*
 * delivery_judge - what sender would do with the target: it tries the
 * MX hosts in preference order, so it delivers if one address takes the
 * mail; the reason names that address, or the most preferred refusal.
 */
void	 delivery_judge(const struct target_result *t, enum delivery_sender sender,
	    struct delivery_verdict *v);
/*
 * delivery_judge_text, delivery_judge_host_text - the same verdicts, with
 * the reason in the user's language (the text report; the English one is
 * for JSON, findings, Nagios, Prometheus and --expect)
 */
void	 delivery_judge_text(const struct target_result *t,
	    enum delivery_sender sender, struct delivery_verdict *v);
void	 delivery_judge_host_text(const struct target_result *t,
	    const struct host_result *h, enum delivery_sender sender,
	    struct delivery_verdict *v);

/*
 * delivery_mx_match - the MTA-STS mx pattern of t's policy that matches
 * host name mx (RFC 8461 4.1), NULL if none or no policy
 */
const char	*delivery_mx_match(const struct target_result *t, const char *mx);
/* delivery_sts_mode - the mode an MTA-STS sender applies: none without a usable policy */
enum mtasts_mode delivery_sts_mode(const struct target_result *t);

#endif
