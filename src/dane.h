/* SPDX-License-Identifier: ISC */
/*
 * dane - the one place that decides what DANE (RFC 7672, RFC 6698) means
 * for a host: which DANE state applies, and whether the certificate's
 * name, chain and validity dates are judged by PKIX or superseded by a
 * TLSA match.  Findings, --expect, and every report format ask
 * dane_judge(); none of them re-decides.  Pure: reads a tls_result.
 */
#ifndef SMTPPROBE_DANE_H
#define SMTPPROBE_DANE_H

#include <stddef.h>

#include "result.h"

/* in order of precedence; the names (JSON tls.dane.state) are output */
enum dane_state {
	DANE_S_NONE = 0,	/* no TLSA lookup, or no TLSA records */
	DANE_S_LOOKUP_FAILED,	/* SERVFAIL, timeout: DANE senders defer (RFC 7672 2.2) */
	DANE_S_NOT_VALIDATED,	/* records without the AD bit: no effect */
	DANE_S_MX_INSECURE,	/* the MX answer was not validated (RFC 7672 2.2.1) */
	DANE_S_UNUSABLE,	/* no usable record: TLS required, not authenticated (3.1.3) */
	DANE_S_UNCHECKED,	/* usable records, but no TLS session to match */
	DANE_S_EE,		/* a DANE-EE(3) record matches (RFC 7672 3.1.1) */
	DANE_S_TA,		/* a DANE-TA(2) record anchors the chain (3.1.2) */
	DANE_S_MISMATCH,	/* usable records, none matches: senders defer */
	DANE_S_LAST
};

struct dane_verdict {
	enum dane_state	 state;
	int		 applies;	/* DANE senders use the records (validated, MX secure) */
	size_t		 usable;	/* records of usage 2 or 3 that can be compared */
	size_t		 matched;	/* of those, matched the peer chain */
	/*
	 * The judgement of the certificate, PKIX or DANE (meaningful with a
	 * certificate).  DANE-EE: all three superseded (1).  DANE-TA: the
	 * chain ends at the TLSA anchor; name and dates are still judged.
	 */
	int		 pkix;		/* 1: name, chain and dates are PKIX's */
	int		 dates_judged;	/* 0 under DANE-EE: not even "expiring" matters */
	int		 name_ok;
	int		 chain_ok;
	int		 dates_ok;	/* the leaf is within its validity period */
	const char	*chain_error;	/* why chain_ok is 0, NULL if it is not */
	int		 authenticated;	/* DANE authenticates the server (EE, or TA with a sound chain and name) */
};

/* dane_judge - the verdict for one host's TLS result */
void		 dane_judge(const struct tls_result *, struct dane_verdict *);

/* "none", "lookup-failed", "not-validated", "mx-insecure", ... */
const char	*dane_state_name(enum dane_state);

#endif
