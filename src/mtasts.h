/* SPDX-License-Identifier: ISC */
/*
 * mtasts.h - MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) records and
 * policies: strict parsers and the MX pattern matcher.  Pure functions on
 * bytes: no network, no result structures.  Every input is hostile.
 */
#ifndef SMTPPROBE_MTASTS_H
#define SMTPPROBE_MTASTS_H

#include <stddef.h>

#define MTASTS_POLICY_MAX	65536	/* bytes fetched at most (RFC 8461 3.3 leaves the cap to us) */
#define MTASTS_MAX_MX		64	/* mx lines kept */
#define MTASTS_MAX_AGE_MAX	31557600L	/* RFC 8461 3.2: about one year */
#define MTASTS_MAX_AGE_LOW	86400L	/* below a day: a finding (advice of 3.2) */

enum mtasts_mode { MTASTS_MODE_NONE, MTASTS_MODE_TESTING, MTASTS_MODE_ENFORCE };
const char	*mtasts_mode_name(enum mtasts_mode);	/* "none", "testing", "enforce" */

/* _mta-sts.DOMAIN TXT (RFC 8461 3.1) */
struct mtasts_txt {
	char	id[33];		/* 1*32(ALPHA / DIGIT) */
};
/*
 * mtasts_txt_parse - parse one TXT record (its character-strings already
 * joined).  Returns 0 and fills out, or -1 with a one-line reason in err
 * (not an STSv1 record, missing id, bad id, bad field syntax).
 */
int	 mtasts_txt_is_sts(const char *txt, size_t len);	/* starts with "v=STSv1" */
int	 mtasts_txt_parse(const char *txt, size_t len, struct mtasts_txt *out,
	    char *err, size_t errlen);

/* the policy file (RFC 8461 3.2) */
struct mtasts_policy {
	enum mtasts_mode mode;
	long		 max_age;
	char		*mx[MTASTS_MAX_MX];	/* patterns as written, lower-cased */
	size_t		 nmx;
	size_t		 nmx_dropped;		/* over MTASTS_MAX_MX */
};
/*
 * mtasts_policy_parse - parse a policy body (CRLF or LF lines).  Returns 0
 * and fills out (free with mtasts_policy_clear), or -1 with a reason in err
 * (version missing or not STSv1, mode missing or unknown, max_age missing,
 * not a number or above MTASTS_MAX_AGE_MAX, mx missing in mode testing or
 * enforce, bad mx pattern, NUL or control bytes, a line that is not
 * "key: value").  A repeated field other than mx is not an error: RFC 8461
 * 3.2 has all but the first ignored (the same for a repeated id= in the
 * TXT record and rua= in TLS-RPT).
 */
int	 mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out,
	    char *err, size_t errlen);
void	 mtasts_policy_clear(struct mtasts_policy *);

/*
 * mtasts_mx_match - does MX host name mx (trailing dot allowed, any case)
 * match pattern (RFC 8461 4.1: exact, or "*." matching exactly one
 * leftmost label)?  1 or 0.
 */
int	 mtasts_mx_match(const char *pattern, const char *mx);
/* mtasts_policy_match - the first pattern of p that matches mx, or NULL */
const char *mtasts_policy_match(const struct mtasts_policy *p, const char *mx);

/* _smtp._tls.DOMAIN TXT (RFC 8460 3) */
#define TLSRPT_MAX_RUA	8
struct tlsrpt_record {
	char	*rua[TLSRPT_MAX_RUA];	/* "mailto:..." or "https://..." */
	size_t	 nrua;
};
/*
 * tlsrpt_parse - parse one TXT record: 0 and out (free with tlsrpt_clear;
 * the first TLSRPT_MAX_RUA URIs, every one checked), or -1 with a reason
 * in err (not TLSRPTv1, no rua=, a URI not mailto: or https://, bad field
 * syntax).
 */
int	 tlsrpt_is_record(const char *txt, size_t len);	/* starts with "v=TLSRPTv1" */
int	 tlsrpt_parse(const char *txt, size_t len, struct tlsrpt_record *out,
	    char *err, size_t errlen);
void	 tlsrpt_clear(struct tlsrpt_record *);

#endif
