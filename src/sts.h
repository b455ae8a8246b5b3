/* SPDX-License-Identifier: ISC */
/*
 * sts - discover a domain's MTA-STS (RFC 8461) and TLS-RPT (RFC 8460):
 * the _mta-sts and _smtp._tls TXT records, the address of mta-sts.DOMAIN
 * through smtpprobe's own resolver, and the policy over HTTPS (fetch.c),
 * all on the event loop, beside the SMTP sessions.  Fills a sts_result;
 * what it means is delivery.c's and findings.c's business.
 */
#ifndef SMTPPROBE_STS_H
#define SMTPPROBE_STS_H

#include <stdint.h>

#include "result.h"

struct resolver;
struct fetcher;

struct sts_config {
	struct resolver	*resolver;
	struct fetcher	*fetcher;
	int		 family;	/* 0, 4 or 6 (-4/-6) */
	long		 timeout_ms;	/* the policy fetch, whole */
	uint16_t	 port;		/* 0: 443; SMTPPROBE_MTA_STS_PORT, tests only */
};

typedef void	(*sts_done_cb)(void *arg);

/*
 * sts_check - look up domain's records and fetch its policy into out
 * (out->checked set).  The policy is fetched even without a TXT record,
 * so that a policy without record can be reported.  cb runs once, when
 * everything is done; cfg and out must live until then.
 */
void	 sts_check(const struct sts_config *cfg, const char *domain,
	    struct sts_result *out, sts_done_cb cb, void *arg);

/* sts_port_from_env - SMTPPROBE_MTA_STS_PORT (test-only), 0 if unset or invalid */
uint16_t sts_port_from_env(void);

#endif
