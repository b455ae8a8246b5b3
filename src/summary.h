/* SPDX-License-Identifier: ISC */
/*
 * summary - figures across the targets of a run (issue 14): targets by
 * outcome, host records by the status class of each command, TLS
 * outcomes, findings by id and severity, the worst targets.  It is fed
 * each target as it finishes and keeps counts and the first few names
 * only, never a record, so its memory does not grow with the run.
 *
 * The classes are the ones every output asks: result_target_outcome()
 * for targets, codes_status_open() for commands, summary_tls_outcome()
 * for TLS (also the text matrix's TLS cell).
 */
#ifndef SMTPPROBE_SUMMARY_H
#define SMTPPROBE_SUMMARY_H

#include <stddef.h>

#include "result.h"

#define SUMMARY_NAMES	3	/* names kept per list: "a, b, c and 4 more" */
#define SUMMARY_VERBS	16	/* distinct commands counted (cli: at most 16) */
#define SUMMARY_IDS	64	/* distinct finding ids counted; more are "other" */

/*
 * What a target amounts to, for a reader of a batch: the outcome of
 * result_target_outcome(), with OUTCOME_FAILED split by whether any
 * address was found at all.
 */
enum summary_class {
	SUM_PROBED = 0,		/* OUTCOME_OK */
	SUM_NULL_MX,		/* OUTCOME_NULL_MX (RFC 7505) */
	SUM_DNS_ERROR,		/* OUTCOME_FAILED, no address to connect to */
	SUM_UNREACHABLE,	/* OUTCOME_FAILED, no address completed a session */
	SUM_TEMPORARY,		/* OUTCOME_TEMPORARY: only 421/4xx answers */
	SUM_INTERRUPTED,	/* OUTCOME_INTERRUPTED */
	SUM_LAST
};
enum summary_class	 summary_target_class(const struct target_result *);
const char		*summary_class_name(enum summary_class);

/*
 * TLS as one word per address, the most serious problem first: the
 * matrix's TLS cell and the summary both ask summary_tls_outcome().
 */
enum tls_outcome {
	TLSO_NO_SESSION = 0,	/* never got as far as an EHLO answer */
	TLSO_NOT_OFFERED,	/* no STARTTLS in EHLO (RFC 3207) */
	TLSO_NOT_TRIED,		/* offered, --no-starttls */
	TLSO_REFUSED,		/* STARTTLS answered other than 220 */
	TLSO_FAILED,		/* no completed handshake */
	TLSO_NO_CERT,
	TLSO_DANE_MISMATCH,	/* RFC 7672: a DANE sender will not deliver */
	TLSO_EXPIRED,
	TLSO_SELF_SIGNED,
	TLSO_UNTRUSTED,
	TLSO_NAME_MISMATCH,
	TLSO_OK,
	TLSO_LAST
};
enum tls_outcome	 summary_tls_outcome(const struct host_result *);
const char		*summary_tls_name(enum tls_outcome);	/* "not_offered" */
const char		*summary_tls_label(enum tls_outcome);	/* "none": the matrix cell */
const char		*summary_tls_words(enum tls_outcome);	/* "not offered": the summary's */

/* a count and the first few names it was made of */
struct summary_names {
	size_t		 n;		/* occurrences */
	size_t		 named;		/* of them, under one of the names kept */
	size_t		 nnames;
	char		*name[SUMMARY_NAMES];
};

struct summary_verb {
	char		 verb[8];
	size_t		 open;		/* codes_status_open() == 1 */
	size_t		 closed;	/* == 0 */
	size_t		 inconclusive;	/* -1: 4xx, error, not tried */
	size_t		 status[ST_LAST];
	struct summary_names open_hosts;
};

struct summary_finding {
	char		*id;
	enum finding_severity severity;
	struct summary_names targets;	/* n: findings; names: targets */
};

/* a target with findings of medium severity or more, ranked */
struct summary_worst {
	char		*target;
	size_t		 sev[SEV_HIGH + 1];
};

struct summary {
	size_t			 targets;
	struct summary_names	 classes[SUM_LAST];	/* names: not SUM_PROBED */
	size_t			 hosts;		/* host records (a shared address under each target) */
	size_t			 hosts_probed;	/* result_host_probed() */
	struct summary_verb	 verbs[SUMMARY_VERBS];
	size_t			 nverbs;
	struct summary_names	 tls[TLSO_LAST];
	size_t			 sev[SEV_HIGH + 1];	/* findings by severity */
	struct summary_finding	 ids[SUMMARY_IDS];
	size_t			 nids;
	size_t			 other_ids;	/* findings of ids over SUMMARY_IDS */
	struct summary_worst	 worst[SUMMARY_NAMES];
	size_t			 nworst;	/* kept in worst[] */
	size_t			 worst_total;	/* targets with a medium or high finding */
};

/* summary_new - an empty summary; summary_free(NULL) does nothing */
struct summary	*summary_new(void);
void		 summary_free(struct summary *);
/* summary_add - count one finished target (borrowed; nothing of it is kept but names) */
void		 summary_add(struct summary *, const struct target_result *);
/* summary_ids_sorted - the ids, the most severe then the most frequent first */
void		 summary_ids_sorted(const struct summary *,
		    const struct summary_finding *order[SUMMARY_IDS]);

#endif
