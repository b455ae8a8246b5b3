/* SPDX-License-Identifier: ISC */
/*
 * summary - see summary.h.  Pure counting: no I/O (the text and JSON
 * renderers print a struct summary), memory bounded by the constants of
 * summary.h whatever the number of targets.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codes.h"
#include "dane.h"
#include "i18n.h"
#include "log.h"
#include "summary.h"
#include "util.h"

static const char *class_names[SUM_LAST] = {
	[SUM_PROBED] = "probed",
	[SUM_NULL_MX] = "null_mx",
	[SUM_DNS_ERROR] = "dns_error",
	[SUM_UNREACHABLE] = "unreachable",
	[SUM_TEMPORARY] = "temporary",
	[SUM_INTERRUPTED] = "interrupted",
};

/*
 * JSON names; the matrix cell text (the same words the matrix has always
 * used); the words of the text summary.  Cells and words are English here
 * and translated where the text report prints them (i18n_tr()).
 */
static const struct {
	const char	*name;
	const char	*label;
	const char	*words;
} tls_names[TLSO_LAST] = {
	/* TRANSLATORS: the second string of each row is a cell of the
	 * matrix's TLS column (keep it short), the third the same outcome
	 * in the summary's "TLS:" line */
	[TLSO_NO_SESSION] = { "no_session", "-", N_("no session") },
	[TLSO_NOT_OFFERED] = { "not_offered", N_("none"), N_("not offered") },
	[TLSO_NOT_TRIED] = { "not_tried", N_("off"), N_("not tried") },
	[TLSO_REFUSED] = { "refused", N_("refused"), N_("refused") },
	[TLSO_FAILED] = { "failed", N_("failed"), N_("failed") },
	[TLSO_NO_CERT] = { "no_cert", N_("no cert"), N_("no cert") },
	[TLSO_DANE_MISMATCH] = { "dane_mismatch", N_("dane"),
	    N_("dane mismatch") },
	[TLSO_EXPIRED] = { "expired", N_("expired"), N_("expired") },
	[TLSO_SELF_SIGNED] = { "self_signed", N_("self-signed"),
	    N_("self signed") },
	[TLSO_UNTRUSTED] = { "untrusted", N_("untrusted"), N_("untrusted") },
	[TLSO_NAME_MISMATCH] = { "name_mismatch", N_("name"),
	    N_("name mismatch") },
	[TLSO_OK] = { "ok", N_("ok"), N_("ok") },
};

/*
 * summary_target_class - result_target_outcome(), with a failure split
 * by whether DNS gave any address to connect to
 */
enum summary_class
summary_target_class(const struct target_result *t)
{
	switch (result_target_outcome(t)) {
	case OUTCOME_OK:
		return SUM_PROBED;
	case OUTCOME_NULL_MX:
		return SUM_NULL_MX;
	case OUTCOME_TEMPORARY:
		return SUM_TEMPORARY;
	case OUTCOME_INTERRUPTED:
		return SUM_INTERRUPTED;
	case OUTCOME_FAILED:
		return t->nhosts == 0 ? SUM_DNS_ERROR : SUM_UNREACHABLE;
	default:
		fatalx("%s: bad outcome", __func__);
	}
}

const char *
summary_class_name(enum summary_class c)
{
	return c < SUM_LAST ? class_names[c] : "?";
}

/*
 * summary_tls_outcome - the verdict on an address's TLS, the most
 * serious first: no session, STARTTLS not offered (RFC 3207), not tried,
 * refused, failed; then on a completed handshake a DANE failure (RFC
 * 7672: a DANE sender will not deliver), an expired certificate, a
 * self-signed or otherwise untrusted chain, a name the certificate does
 * not cover (name, chain and dates as dane_judge() says, RFC 7672 3.1).
 */
enum tls_outcome
summary_tls_outcome(const struct host_result *h)
{
	const struct tls_result	*tls = &h->tls;
	struct dane_verdict	 v;
	int			 ehlo_answered;

	if (!tls->attempted) {
		if (tls->offered)
			return TLSO_NOT_TRIED;
		ehlo_answered = h->ehlo.used_helo ||
		    (h->ehlo.reply.code >= 200 && h->ehlo.reply.code < 300);
		return ehlo_answered ? TLSO_NOT_OFFERED : TLSO_NO_SESSION;
	}
	if (!tls->ok) {
		if (!tls->implicit && tls->starttls.code != 0 &&
		    tls->starttls.code != 220)
			return TLSO_REFUSED;
		return TLSO_FAILED;
	}
	if (!tls->have_cert)
		return TLSO_NO_CERT;
	dane_judge(tls, &v);
	if (v.state == DANE_S_MISMATCH)
		return TLSO_DANE_MISMATCH;
	if (!v.dates_ok)
		return TLSO_EXPIRED;
	if (!v.chain_ok)
		return v.pkix && tls->cert.self_signed ? TLSO_SELF_SIGNED :
		    TLSO_UNTRUSTED;
	if (!v.name_ok)
		return TLSO_NAME_MISMATCH;
	return TLSO_OK;
}

const char *
summary_tls_name(enum tls_outcome o)
{
	return o < TLSO_LAST ? tls_names[o].name : "?";
}

const char *
summary_tls_label(enum tls_outcome o)
{
	return o < TLSO_LAST ? tls_names[o].label : "?";
}

const char *
summary_tls_words(enum tls_outcome o)
{
	return o < TLSO_LAST ? tls_names[o].words : "?";
}

struct summary *
summary_new(void)
{
	return xcalloc(1, sizeof(struct summary));
}

static void
names_free(struct summary_names *l)
{
	size_t	 i;

	for (i = 0; i < l->nnames; i++)
		free(l->name[i]);
}

void
summary_free(struct summary *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < SUM_LAST; i++)
		names_free(&s->classes[i]);
	for (i = 0; i < s->nverbs; i++)
		names_free(&s->verbs[i].open_hosts);
	for (i = 0; i < TLSO_LAST; i++)
		names_free(&s->tls[i]);
	for (i = 0; i < s->nids; i++) {
		free(s->ids[i].id);
		names_free(&s->ids[i].targets);
	}
	for (i = 0; i < s->nworst; i++)
		free(s->worst[i].target);
	free(s);
}

/* one more occurrence; name kept while there is room (each name once) */
static void
names_add(struct summary_names *l, const char *name)
{
	size_t	 i;

	l->n++;
	if (name == NULL)
		return;
	for (i = 0; i < l->nnames; i++)
		if (strcasecmp(l->name[i], name) == 0) {
			l->named++;
			return;
		}
	if (l->nnames < SUMMARY_NAMES) {
		l->name[l->nnames++] = xstrdup(name);
		l->named++;
	}
}

static const char *
host_name(const struct host_result *h)
{
	return h->mx != NULL ? h->mx : h->address;
}

static struct summary_verb *
verb_slot(struct summary *s, const char *verb)
{
	size_t	 i;

	for (i = 0; i < s->nverbs; i++)
		if (strncmp(s->verbs[i].verb, verb, sizeof(s->verbs[i].verb)) == 0)
			return &s->verbs[i];
	if (s->nverbs == SUMMARY_VERBS)
		return NULL;
	snprintf(s->verbs[s->nverbs].verb, sizeof(s->verbs[0].verb), "%s", verb);
	return &s->verbs[s->nverbs++];
}

static void
count_host(struct summary *s, const struct host_result *h)
{
	struct summary_verb	*sv;
	enum cmd_status		 st;
	size_t			 i;

	s->hosts++;
	names_add(&s->tls[summary_tls_outcome(h)], host_name(h));
	if (!result_host_probed(h))
		return;
	s->hosts_probed++;
	for (i = 0; i < h->ncmds && i < PROBE_MAX_CMDS; i++) {
		if ((sv = verb_slot(s, h->cmds[i].verb)) == NULL)
			continue;
		st = h->cmds[i].status < ST_LAST ? h->cmds[i].status : ST_ERROR;
		sv->status[st]++;
		switch (codes_status_open(st)) {
		case 1:
			sv->open++;
			names_add(&sv->open_hosts, host_name(h));
			break;
		case 0:
			sv->closed++;
			break;
		default:
			sv->inconclusive++;
			break;
		}
	}
}

static void
count_finding(struct summary *s, const struct target_result *t,
    const struct finding *f)
{
	struct summary_finding	*sf = NULL;
	size_t			 i;

	if ((unsigned)f->severity > SEV_HIGH || f->id == NULL)
		return;
	s->sev[f->severity]++;
	for (i = 0; i < s->nids; i++)
		if (s->ids[i].severity == f->severity &&
		    strcmp(s->ids[i].id, f->id) == 0) {
			sf = &s->ids[i];
			break;
		}
	if (sf == NULL) {
		if (s->nids == SUMMARY_IDS) {
			s->other_ids++;
			return;
		}
		sf = &s->ids[s->nids++];
		sf->id = xstrdup(f->id);
		sf->severity = f->severity;
	}
	names_add(&sf->targets, t->target);
}

/* a before b: more high findings, then medium, then low */
static int
worse(const size_t a[SEV_HIGH + 1], const size_t b[SEV_HIGH + 1])
{
	int	 i;

	for (i = SEV_HIGH; i >= SEV_LOW; i--)
		if (a[i] != b[i])
			return a[i] > b[i];
	return 0;
}

/*
 * Keep the SUMMARY_NAMES worst targets seen so far (a target that only
 * ties keeps the earlier one in: the order stays the input's).
 */
static void
count_worst(struct summary *s, const struct target_result *t)
{
	size_t	 sev[SEV_HIGH + 1] = { 0 };
	size_t	 i, at;

	for (i = 0; i < t->nfindings; i++)
		if ((unsigned)t->findings[i].severity <= SEV_HIGH)
			sev[t->findings[i].severity]++;
	if (sev[SEV_HIGH] == 0 && sev[SEV_MEDIUM] == 0)
		return;
	s->worst_total++;
	for (at = 0; at < s->nworst; at++)
		if (worse(sev, s->worst[at].sev))
			break;
	if (at == SUMMARY_NAMES)
		return;
	if (s->nworst == SUMMARY_NAMES)
		free(s->worst[--s->nworst].target);
	memmove(&s->worst[at + 1], &s->worst[at],
	    (s->nworst - at) * sizeof(s->worst[0]));
	s->worst[at].target = xstrdup(t->target);
	memcpy(s->worst[at].sev, sev, sizeof(sev));
	s->nworst++;
}

/*
 * summary_add - count t: its class, each host record, each finding, and
 * its rank among the worst
 */
void
summary_add(struct summary *s, const struct target_result *t)
{
	enum summary_class	 c = summary_target_class(t);
	size_t			 i;

	s->targets++;
	names_add(&s->classes[c], c == SUM_PROBED ? NULL : t->target);
	for (i = 0; i < t->nhosts; i++)
		count_host(s, &t->hosts[i]);
	for (i = 0; i < t->nfindings; i++)
		count_finding(s, t, &t->findings[i]);
	count_worst(s, t);
}

static int
finding_cmp(const struct summary_finding *a, const struct summary_finding *b)
{
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->targets.n != b->targets.n)
		return a->targets.n > b->targets.n ? -1 : 1;
	return 0;
}

/*
 * summary_ids_sorted - s->ids in report order: the most severe first,
 * then the most frequent; a tie keeps the order the ids were first seen
 * in (insertion sort: stable).
 */
void
summary_ids_sorted(const struct summary *s,
    const struct summary_finding *order[SUMMARY_IDS])
{
	const struct summary_finding	*tmp;
	size_t				 i, j;

	for (i = 0; i < s->nids; i++)
		order[i] = &s->ids[i];
	for (i = 1; i < s->nids; i++)
		for (j = i; j > 0 && finding_cmp(order[j], order[j - 1]) < 0; j--) {
			tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
}
