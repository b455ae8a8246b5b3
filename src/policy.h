/* SPDX-License-Identifier: ISC */
/*
 * policy - --expect / --policy: an audit policy such as
 * "VRFY=off,EXPN=off,TURN=off,STARTTLS=on,TLS>=1.2,CERT=valid", checked
 * against every host of a finished target.  Pure: parses text, reads a
 * struct target_result, appends violations to it.
 */
#ifndef SMTPPROBE_POLICY_H
#define SMTPPROBE_POLICY_H

#include <stddef.h>

#include "result.h"

struct policy;

/*
 * policy_parse - rules separated by commas, blanks or newlines; '#'
 * starts a comment that runs to the end of the line.  Rules:
 *   VERB=off|on   VRFY EXPN TURN ETRN ATRN HELP NOOP: off is any refusal
 *                 (252 or 5xx), on is a 2xx success
 *   STARTTLS=on   a TLS session was set up (STARTTLS or implicit)
 *   STARTTLS=off  STARTTLS is not offered
 *   TLS>=1.2      at least that version (1.0 .. 1.3)
 *   CERT=valid    chain verifies, name matches, not expired
 *   DANE=valid    TLSA records exist and one matches
 * Returns NULL with a one-line reason in err.
 */
struct policy	*policy_parse(const char *text, char *err, size_t errlen);

/* policy_load - policy_parse() of a file's contents */
struct policy	*policy_load(const char *path, char *err, size_t errlen);

void		 policy_free(struct policy *);	/* NULL does nothing */

/* policy_spec - the rules, normalised: "VRFY=off,TLS>=1.2" */
const char	*policy_spec(const struct policy *);

/*
 * policy_verb_missing - the first command the policy names that is not
 * among cmds (upper case verbs), or NULL
 */
const char	*policy_verb_missing(const struct policy *, const char (*verbs)[8],
		    size_t nverbs);

/*
 * policy_check - check every host of t; append violations (definite
 * ones, and rules that could not be checked as unverified) and set
 * t->policy_checked
 */
void		 policy_check(const struct policy *, struct target_result *t);

#endif
