/* SPDX-License-Identifier: ISC */
/*
 * dane - the DANE rule for SMTP (see dane.h).
 *
 * RFC 7672 2.2: a DANE sender looks up TLSA records of _PORT._tcp.MX
 * only when the MX RRset is secure (2.2.1); a failed lookup makes it
 * defer the mail (2.2); unvalidated records are treated as absent;
 * records that exist but none usable still make TLS mandatory (3.1.3).
 * RFC 7672 3.1.1: a matching DANE-EE(3) record authenticates the server
 * by its certificate or key alone: name, chain and validity dates are
 * ignored.  RFC 7672 3.1.2 / RFC 7671 5.2: a DANE-TA(2) record is the
 * trust anchor of the chain; the name (3.2) and the dates of the
 * certificates below the anchor are still checked.
 */
#include "config.h"

#include "dane.h"

static const char *const dane_strstate[DANE_S_LAST] = {
	[DANE_S_NONE] = "none",
	[DANE_S_LOOKUP_FAILED] = "lookup-failed",
	[DANE_S_NOT_VALIDATED] = "not-validated",
	[DANE_S_MX_INSECURE] = "mx-insecure",
	[DANE_S_UNUSABLE] = "unusable",
	[DANE_S_UNCHECKED] = "unchecked",
	[DANE_S_EE] = "dane-ee",
	[DANE_S_TA] = "dane-ta",
	[DANE_S_MISMATCH] = "mismatch",
};

const char *
dane_state_name(enum dane_state s)
{
	return s < DANE_S_LAST ? dane_strstate[s] : "?";
}

/*
 * dane_judge - see dane.h
 */
void
dane_judge(const struct tls_result *tls, struct dane_verdict *v)
{
	size_t	 i;
	int	 ee = 0, ta = 0, ta_dates_ok = 0;

	v->usable = v->matched = 0;
	for (i = 0; i < tls->ntlsa; i++) {
		const struct tlsa_rec	*r = &tls->tlsa[i];

		if (r->matched == -1)
			continue;
		v->usable++;
		if (!tls->ok || r->matched != 1)
			continue;
		v->matched++;
		if (r->usage == 3)
			ee = 1;
		else if (r->usage == 2) {
			ta = 1;
			if (!r->ta_dates_bad)
				ta_dates_ok = 1;
		}
	}
	if (tls->tlsa_error != NULL)
		v->state = DANE_S_LOOKUP_FAILED;
	else if (tls->ntlsa == 0)
		v->state = DANE_S_NONE;
	else if (!tls->tlsa_ad)
		v->state = DANE_S_NOT_VALIDATED;
	else if (tls->mx_insecure)
		v->state = DANE_S_MX_INSECURE;
	else if (v->usable == 0)
		v->state = DANE_S_UNUSABLE;
	else if (!tls->ok)
		v->state = DANE_S_UNCHECKED;
	else if (ee)
		v->state = DANE_S_EE;
	else if (ta)
		v->state = DANE_S_TA;
	else
		v->state = DANE_S_MISMATCH;
	/* do DANE senders act on it?  Past MX_INSECURE the MX is secure */
	v->applies = v->state > DANE_S_MX_INSECURE ||
	    (v->state == DANE_S_LOOKUP_FAILED && !tls->mx_insecure);

	/* PKIX unless a validated match supersedes it */
	v->pkix = v->state != DANE_S_EE && v->state != DANE_S_TA;
	v->name_ok = tls->verify.name_ok;
	v->chain_ok = tls->verify.chain_ok;
	v->chain_error = v->chain_ok ? NULL : tls->verify.chain_error;
	v->dates_ok = tls->have_cert && tls->cert.days_left >= 0;
	v->dates_judged = v->state != DANE_S_EE;
	if (v->state == DANE_S_EE) {
		/* RFC 7672 3.1.1: the key alone; name, chain and dates ignored */
		v->name_ok = v->chain_ok = v->dates_ok = 1;
		v->chain_error = NULL;
	} else if (v->state == DANE_S_TA) {
		/* RFC 7672 3.1.2: the TLSA record is the trust anchor */
		v->chain_ok = ta_dates_ok;
		v->chain_error = ta_dates_ok ? NULL : "a certificate between the "
		    "leaf and the DANE-TA trust anchor is expired or not yet valid";
	}
	v->authenticated = v->state == DANE_S_EE || (v->state == DANE_S_TA &&
	    v->chain_ok && v->name_ok && v->dates_ok);
}
