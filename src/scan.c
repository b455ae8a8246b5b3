/* SPDX-License-Identifier: ISC */
/*
 * scan - admission of targets.  Each target is resolved (resolver.c),
 * then every address of every MX is probed (probe.c), with at most
 * --concurrency sessions in flight overall, at most --per-ip sessions
 * against one address at a time, and at most --rate new connections a
 * second.  Every target, errors included, yields exactly one record.
 *
 * DNS runs ahead of the sessions with its own budget: --concurrency
 * bounds SMTP sessions only, and a new target is admitted (its MX and
 * address lookups started) while fewer than SCAN_DNS_AHEAD(P) targets
 * are in DNS and fewer than P sessions wait, resolved, for a slot.  So a
 * session slot never waits for an MX or address answer, and the PTR
 * check runs beside the session, never before it.
 *
 * Memory stays flat however long the input: targets are read lazily and
 * at most s->window of them (in DNS, queued, in flight, waiting for a
 * shared session or their PTR answer) are between admission and their
 * record at any time.
 *
 * Order: targets given on the command line are reported in their order
 * (completed ones wait for earlier ones; there are few).  Targets read
 * from a file (-f) are reported as they complete, so that one slow
 * server never holds up the stream.
 *
 * Sharing: within one run an (address, port, MX name) is probed once.
 * Every other target that leads to it waits for that session (or takes
 * its kept result) and reports a copy under its own name, marked shared;
 * its DNS, PTR, TLSA facts and findings stay its own.  --no-share turns
 * this off.
 *
 * Politeness: sessions beyond --per-ip wait in their address's own
 * queue; an address that answers 421 or "too many connections" is left
 * alone for SCAN_BACKOFF_MS before the next session to it.
 *
 * SIGINT/SIGTERM: admission stops, sessions and lookups in flight are
 * cut, sessions queued or parked behind an address are never started,
 * and every admitted target gets its record at once (marked
 * interrupted); scan_run() then returns 128 + the signal.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "baseline.h"
#include "cli.h"
#include "fetch.h"
#include "findings.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "outfile.h"
#include "policy.h"
#include "probe.h"
#include "report.h"
#include "resolver.h"
#include "scan.h"
#include "sts.h"
#include "tls.h"
#include "util.h"

#define SCAN_LINE_MAX		1024
#define SCAN_IP_BUCKETS		16384
#define SCAN_BACKOFF_MS		10000
#define SCAN_PROGRESS_MS	250
#define SCAN_FD_RESERVE		32	/* fds kept for DNS, stdio, the signal pipe */
#define SCAN_SHARE_KEEP		256	/* finished sessions kept for later targets */
/*
 * Completed targets written per turn of the loop: SCAN_EMIT_BATCH and
 * half of those waiting.  Sessions end in waves (those started together
 * get their replies together), and a wave's records written in one go
 * (findings, JSON: about 50 us each) hold up every reply that came in
 * meanwhile.  Written a part at a time, between the turns that read
 * replies, sessions keep moving; the half keeps the queue short when
 * targets complete faster than a fixed batch would write them (at 0 ms
 * a fixed 16 let the queue grow by 1.3 MiB of peak RSS).
 */
#define SCAN_EMIT_BATCH		16
/*
 * Targets in DNS at once: P/3, at least 16 (a -P 1 run still looks
 * ahead).  A domain takes two answers (MX, then A/AAAA/TLSA at once) and
 * its session seven replies, so P/3 lookups keep P sessions fed at equal
 * latencies with room to spare; more only costs memory (bench/fleet-run:
 * peak RSS at -P 1000 rose 2 MiB for every 500 more).
 */
#define SCAN_DNS_AHEAD(p)	((p) / 3 > 16 ? (p) / 3 : 16)

struct scan;
struct scan_ip;

struct scan_session {
	struct scan_target	*st;
	size_t			 hostidx;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct probe		*probe;
	struct scan_share	*share;		/* the session others wait for */
	int			 implicit_tls;	/* --submission: TLS from the first byte */
	struct scan_session	*next;		/* in a ready, wait or share queue */
	struct scan_session	*fprev, *fnext;	/* in flight */
};

struct scan_target {
	struct scan		*scan;
	size_t			 seq;		/* input order */
	struct target_spec	 spec;
	struct target_result	*t;
	struct probe_config	 pcfg;		/* per target: ETRN domain, TLS */
	struct probe_config	 pcfg465;	/* --submission: port 465, implicit TLS */
	int			 submission;	/* 587 and 465 (--submission, no port given) */
	int			 srv_wait;	/* SRV lookups in flight (RFC 6186 3.1) */
	struct dns_result	*srvdns;	/* addresses of each SRV target */
	size_t			 srvdns_wait;	/* their lookups in flight */
	struct scan_session	*sessions;
	size_t			 nsessions;
	/*
	 * what is not yet done: sessions, PTR checks, the MTA-STS check, and
	 * one hold until the sessions are known (scan_queue_sessions())
	 */
	size_t			 pending;
	uint64_t		 t0;
	struct scan_target	*cnext;		/* in the completed queue */
	struct scan_target	*next;		/* in the reorder list */
};

/* sessions against one address: count in flight, queue, back-off */
struct scan_ip {
	char			 addr[64];
	int			 n;
	uint64_t		 until;		/* no new session before this */
	struct scan_session	*wait, **waittail;
	struct scan_ip		*next;		/* hash chain */
};

/*
 * One session to an (address, port, MX name) for the whole run: the
 * targets that reach it while it runs wait in followers; once done, its
 * result is kept (the SCAN_SHARE_KEEP most recently used) for targets
 * admitted later, so memory stays bounded however long the input.
 */
struct scan_share {
	char			*key;
	char			*from;		/* the target it ran for */
	struct host_result	*res;		/* once done, else NULL */
	struct scan_session	*followers, **ftail;
	struct scan_share	*hnext;		/* hash chain */
	struct scan_share	*older, *newer;	/* kept, by last use */
};

struct scan {
	const struct cli_config	*cfg;
	struct loop		*loop;
	struct resolver		*resolver;
	struct fetcher		*fetcher;	/* MTA-STS policies; NULL with --no-mta-sts */
	struct sts_config	 sts;
	struct report		 report;
	struct outfile		 files[CLI_MAX_OUTPUTS];	/* -o */
	size_t			 nfiles;
	struct probe_config	 pcfg;
	struct tls_ctx		*tls_ctx;
	struct policy		*policy;	/* --expect / --policy, or NULL */
	int			 ordered;	/* report in input order */
	/* input */
	size_t			 nextarg;	/* operands, then --host */
	FILE			*file;
	int			 input_done;
	int			 input_may_block;	/* -f is a pipe or terminal */
	int			 input_error;	/* errno of a failed read of -f */
	size_t			 seq;
	/* admission */
	size_t			 active;	/* admitted, record not yet written */
	size_t			 window;
	size_t			 concurrency;
	size_t			 ndns;		/* targets waiting for MX/address answers */
	size_t			 dns_ahead;	/* at most this many */
	size_t			 nqueued;	/* sessions resolved, waiting for a slot */
	struct scan_session	*ready, **readytail;
	struct scan_session	*inflight_list;
	size_t			 inflight;
	struct scan_ip		*ips[SCAN_IP_BUCKETS];
	struct scan_ptrent	*ptrs[SCAN_IP_BUCKETS];	/* reverse DNS cache */
	size_t			 nptrs;
	struct scan_share	*shares[SCAN_IP_BUCKETS];
	struct scan_share	*kept_old, *kept_new;
	size_t			 nkept;
	int			 share_domain;	/* ETRN/ATRN take the target's domain */
	size_t			 nbackoff;	/* addresses in back-off */
	struct loop_timer	 wake;		/* back-off or rate limit ends */
	/* completed targets, written a part a turn */
	struct scan_target	*done_head, **done_tail;
	size_t			 ndone;
	struct loop_timer	 done_timer;
	double			 tokens;	/* --rate bucket */
	uint64_t		 tokens_at;
	/* output in order */
	struct scan_target	*waiting;	/* completed, sorted by seq */
	size_t			 next_out;
	int			 failed;
	int			 violated;
	int			 unverified;	/* a policy rule could not be checked */
	struct baseline		*baseline;	/* --baseline, or NULL */
	int			 regressed;	/* a change since it is a regression */
	/* progress and signals */
	size_t			 done, errors;
	uint64_t		 started;
	int			 progress;
	struct loop_timer	 progress_timer;
	int			 sigpipe[2];
	struct loop_io		 sigio;
	int			 stopping;	/* the signal number */
};

static void	scan_pump(struct scan *);
static void	scan_session_done_cb(struct probe *, struct host_result *, void *);

static int	 scan_sigfd = -1;	/* write end, for the handler */

/* ---- per-IP politeness ------------------------------------------------- */

static unsigned
scan_ip_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h % SCAN_IP_BUCKETS;
}

static struct scan_ip *
scan_ip(struct scan *s, const char *addr)
{
	struct scan_ip	**bucket = &s->ips[scan_ip_hash(addr)], *ip;

	for (ip = *bucket; ip != NULL; ip = ip->next)
		if (strcmp(ip->addr, addr) == 0)
			return ip;
	ip = xcalloc(1, sizeof(*ip));
	snprintf(ip->addr, sizeof(ip->addr), "%s", addr);
	ip->waittail = &ip->wait;
	ip->next = *bucket;
	*bucket = ip;
	return ip;
}

/* forget an address nobody needs any more */
static void
scan_ip_gc(struct scan *s, struct scan_ip *ip)
{
	struct scan_ip	**pp;

	if (ip->n > 0 || ip->wait != NULL || ip->until > loop_now(s->loop))
		return;
	for (pp = &s->ips[scan_ip_hash(ip->addr)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ip) {
			*pp = ip->next;
			if (ip->until != 0)
				s->nbackoff--;
			free(ip);
			return;
		}
}

static struct host_result *
scan_host(const struct scan_session *ss)
{
	return &ss->st->t->hosts[ss->hostidx];
}

static void
scan_ready_push(struct scan *s, struct scan_session *ss)
{
	ss->next = NULL;
	*s->readytail = ss;
	s->readytail = &ss->next;
}

/* move waiters of ip that may start now into the ready queue */
static void
scan_ip_release_waiters(struct scan *s, struct scan_ip *ip)
{
	int	 room = s->cfg->per_ip - ip->n;

	if (ip->until > loop_now(s->loop))
		return;
	while (room-- > 0 && ip->wait != NULL) {
		struct scan_session	*ss = ip->wait;

		if ((ip->wait = ss->next) == NULL)
			ip->waittail = &ip->wait;
		scan_ready_push(s, ss);
	}
}

/*
 * RFC 5321 4.2.3 / 3.8: 421 means "service not available, closing";
 * a greeting like "too many connections" says the same in words.
 */
static int
scan_host_busy(const struct host_result *h)
{
	const char	*t = h->banner.text;

	if (h->fail == PROBE_F_SHUTDOWN)
		return 1;
	return h->banner.code >= 400 && h->banner.code < 500 && t != NULL &&
	    (strcasestr(t, "too many") != NULL || strcasestr(t, "try again") != NULL);
}

/* ---- output ------------------------------------------------------------ */

static void
scan_emit(struct scan *s, struct scan_target *st)
{
	size_t	 i;

	if (result_target_failed(st->t)) {
		s->failed = 1;
		s->errors++;
	}
	if (result_violations(st->t) > 0)
		s->violated = 1;
	/* a rule that could not be checked is not a pass (4xx, not tried) */
	if (st->t->nviolations > result_violations(st->t))
		s->unverified = 1;
	/* before any output: every renderer reads the changes */
	if (s->baseline != NULL && baseline_compare(s->baseline, st->t) > 0)
		s->regressed = 1;
	s->done++;
	s->active--;
	report_target(&s->report, st->t);
	for (i = 0; i < s->nfiles; i++)
		report_target(&s->files[i].r, st->t);
	result_target_free(st->t);
	free(st->sessions);
	free(st);
}

/*
 * why none of t's addresses was probed, for the target's error (English:
 * JSON says it; the text report translates it, NC_())
 */
static const char *
scan_why_not_probed(const struct target_result *t)
{
	size_t	 i, refused = 0;

	if (result_target_outcome(t) == OUTCOME_TEMPORARY)
		return NC_("error", "only temporary answers (421 or 4xx) from "
		    "every address; try again later");
	for (i = 0; i < t->nhosts; i++)
		if (t->hosts[i].fail == PROBE_F_REJECT)
			refused++;
	if (refused == t->nhosts)
		return NC_("error", "every address refused the session "
		    "(greeting or EHLO)");
	return NC_("error", "no session ran to its end");
}

static void
scan_target_finish(struct scan_target *st)
{
	struct scan_target	**pp;
	struct scan		*s = st->scan;
	struct target_result	*t = st->t;

	if (s->stopping && !result_target_probed(t)) {
		t->interrupted = 1;
		free(t->error);
		t->error = xstrdup(NC_("error", "interrupted"));
	}
	if (result_target_failed(t) && t->error == NULL) {
		if (t->nhosts > 0)
			t->error = xstrdup(scan_why_not_probed(t));
		else if (t->dns.error != NULL)
			t->error = xstrdup(t->dns.error);
		else
			t->error = xstrdup(NC_("error", "no address to probe"));
	}
	findings_compute(t);
	if (s->policy != NULL)
		policy_check(s->policy, t);
	t->duration_ms = (long)(loop_now(s->loop) - st->t0);

	if (!s->ordered) {
		scan_emit(s, st);
	} else {
		for (pp = &s->waiting; *pp != NULL && (*pp)->seq < st->seq;
		    pp = &(*pp)->next)
			;
		st->next = *pp;
		*pp = st;
		while (s->waiting != NULL && s->waiting->seq == s->next_out) {
			struct scan_target	*w = s->waiting;

			s->waiting = w->next;
			s->next_out++;
			scan_emit(s, w);
		}
	}
	scan_pump(s);
}

static void
scan_done_cb(struct loop_timer *tm, void *arg)
{
	struct scan		*s = arg;
	struct scan_target	*st;
	size_t			 n, batch = SCAN_EMIT_BATCH + s->ndone / 2;

	(void)tm;
	for (n = 0; n < batch && (st = s->done_head) != NULL; n++) {
		if ((s->done_head = st->cnext) == NULL)
			s->done_tail = &s->done_head;
		s->ndone--;
		scan_target_finish(st);
	}
	if (s->done_head != NULL)
		loop_timer_start(s->loop, &s->done_timer, 1, scan_done_cb, s);
}

/*
 * complete from the loop, never from inside the call that admitted it,
 * and in the order of completion, a part a turn (SCAN_EMIT_BATCH)
 */
static void
scan_target_complete(struct scan_target *st)
{
	struct scan	*s = st->scan;

	st->cnext = NULL;
	*s->done_tail = st;
	s->done_tail = &st->cnext;
	s->ndone++;
	if (!s->done_timer.active)
		loop_timer_start(s->loop, &s->done_timer, 0, scan_done_cb, s);
}

/* ---- sessions ---------------------------------------------------------- */

static void
scan_inflight_remove(struct scan *s, struct scan_session *ss)
{
	if (ss->fprev != NULL)
		ss->fprev->fnext = ss->fnext;
	else
		s->inflight_list = ss->fnext;
	if (ss->fnext != NULL)
		ss->fnext->fprev = ss->fprev;
	ss->fprev = ss->fnext = NULL;
	s->inflight--;
}

/* ---- one session per (address, port, MX name) a run --------------------- */

/*
 * What makes two sessions the same: address, port, MX name (compared
 * without case, RFC 1035 2.3.3; it is the name TLS verifies), the number
 * of TLSA records whose match results are copied, and the domain when
 * ETRN or ATRN take the target's domain as their argument.
 */
static char *
scan_share_key(const struct scan *s, const struct scan_session *ss)
{
	const struct host_result	*h = &ss->st->t->hosts[ss->hostidx];
	char				*key, *c;

	key = xasprintf("%s|%u|%s|%zu|%s", h->address, (unsigned)h->port,
	    h->mx != NULL ? h->mx : "", h->tls.ntlsa,
	    s->share_domain && ss->st->pcfg.domain != NULL ?
	    ss->st->pcfg.domain : "");
	for (c = key; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return key;
}

static void
scan_share_unlink(struct scan *s, struct scan_share *e)
{
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		s->kept_old = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		s->kept_new = e->older;
	e->older = e->newer = NULL;
}

static void
scan_share_keep(struct scan *s, struct scan_share *e)
{
	e->older = s->kept_new;
	e->newer = NULL;
	if (s->kept_new != NULL)
		s->kept_new->newer = e;
	else
		s->kept_old = e;
	s->kept_new = e;
}

static void
scan_share_free(struct scan_share *e)
{
	if (e->res != NULL) {
		result_host_clear(e->res);
		free(e->res);
	}
	free(e->key);
	free(e->from);
	free(e);
}

/* forget the least recently used results beyond SCAN_SHARE_KEEP */
static void
scan_share_trim(struct scan *s)
{
	while (s->nkept > SCAN_SHARE_KEEP) {
		struct scan_share	*e = s->kept_old, **pp;

		scan_share_unlink(s, e);
		s->nkept--;
		for (pp = &s->shares[scan_ip_hash(e->key)]; *pp != e;
		    pp = &(*pp)->hnext)
			;
		*pp = e->hnext;
		scan_share_free(e);
	}
}

/* report e's session under the host of ss, a session that does not run */
static void
scan_share_apply(struct scan_share *e, struct scan_session *ss)
{
	struct host_result	*h = scan_host(ss);

	result_host_copy_session(h, e->res);
	h->shared = 1;
	h->shared_from = xstrdup(e->from);
	if (--ss->st->pending == 0)
		scan_target_complete(ss->st);
}

/*
 * scan_share_join - 1 if ss needs no session of its own: it waits for
 * the session that runs for its key, or took the kept result; 0 if it
 * runs, and then is the one the others wait for.
 */
static int
scan_share_join(struct scan *s, struct scan_session *ss)
{
	struct scan_share	**bucket, *e;
	char			*key;

	if (s->cfg->no_share)
		return 0;
	key = scan_share_key(s, ss);
	bucket = &s->shares[scan_ip_hash(key)];
	for (e = *bucket; e != NULL; e = e->hnext)
		if (strcmp(e->key, key) == 0)
			break;
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->key = key;
		e->from = xstrdup(ss->st->t->target);
		e->ftail = &e->followers;
		e->hnext = *bucket;
		*bucket = e;
		ss->share = e;
		return 0;
	}
	free(key);
	if (e->res != NULL) {
		scan_share_unlink(s, e);
		scan_share_keep(s, e);
		scan_share_apply(e, ss);
		return 1;
	}
	ss->next = NULL;
	*e->ftail = ss;
	e->ftail = &ss->next;
	return 1;
}

/* the session of ss ended (or will never run): serve those waiting */
static void
scan_share_finish(struct scan *s, struct scan_session *ss)
{
	struct scan_share	*e = ss->share;
	struct host_result	*h = scan_host(ss);
	struct scan_session	*f;

	if (e == NULL)
		return;
	ss->share = NULL;
	e->res = xcalloc(1, sizeof(*e->res));
	e->res->tls.tlsa = result_tlsa_dup(h->tls.tlsa, h->tls.ntlsa);
	e->res->tls.ntlsa = h->tls.ntlsa;
	result_host_copy_session(e->res, h);
	while ((f = e->followers) != NULL) {
		e->followers = f->next;
		scan_share_apply(e, f);
	}
	e->ftail = &e->followers;
	scan_share_keep(s, e);
	s->nkept++;
	scan_share_trim(s);
}

/* a session that will never run (interrupted before it started) */
static void
scan_session_skip(struct scan *s, struct scan_session *ss)
{
	struct host_result	*h = scan_host(ss);
	size_t			 i;

	h->fail = PROBE_F_INTERRUPTED;
	h->fail_state = NC_("session", "queued");
	result_host_error(h, 0, N_("interrupted before the session started"));
	result_host_set_cmds(h, ss->st->pcfg.ncmds);
	for (i = 0; i < h->ncmds; i++) {
		snprintf(h->cmds[i].verb, sizeof(h->cmds[i].verb), "%s",
		    ss->st->pcfg.cmds[i].verb);
		h->cmds[i].status = ST_NOT_TRIED;
		h->cmds[i].why_not_tried = "not reached: interrupted";
	}
	scan_share_finish(s, ss);
	if (--ss->st->pending == 0)
		scan_target_complete(ss->st);
}

static void
scan_session_done_cb(struct probe *p, struct host_result *hr, void *arg)
{
	struct scan_session	*ss = arg;
	struct scan_target	*st = ss->st;
	struct scan		*s = st->scan;
	struct scan_ip		*ip = scan_ip(s, hr->address);

	probe_free(p);
	ss->probe = NULL;
	scan_inflight_remove(s, ss);
	ip->n--;
	if (scan_host_busy(hr)) {
		if (ip->until == 0)
			s->nbackoff++;
		ip->until = loop_now(s->loop) + SCAN_BACKOFF_MS;
	}
	scan_ip_release_waiters(s, ip);
	scan_ip_gc(s, ip);
	scan_share_finish(s, ss);
	if (--st->pending == 0)
		scan_target_complete(st);
	scan_pump(s);
}

static int
scan_sockaddr(const char *addr, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return AF_INET6;
	}
	return -1;
}

/* one host entry, and its session, for every usable address */
static void
scan_add_address_port(struct scan_target *st, const struct mx_rec *mx,
    const char *mxhost, int pref, const char *addr, uint16_t port,
    int implicit_tls)
{
	struct target_result	*t = st->t;
	struct host_result	*h;
	struct scan_session	*ss;

	h = result_add_host(t);
	h->mx = mxhost != NULL ? xstrdup(mxhost) : NULL;
	h->preference = pref;
	if (mx != NULL && pref >= 0)
		result_host_add_mxref(h, pref, mxhost);
	snprintf(h->address, sizeof(h->address), "%s", addr);
	h->port = port;
	if (mx != NULL && mx->ntlsa > 0) {
		/* each session matches its own peer chain against a copy */
		h->tls.tlsa = result_tlsa_dup(mx->tlsa, mx->ntlsa);
		h->tls.ntlsa = mx->ntlsa;
	}
	if (mx != NULL)
		h->tls.tlsa_ad = mx->tlsa_ad;
	/* what dane_judge() needs: a failed TLSA lookup, an unsigned MX */
	if (mx != NULL && mx->tlsa_rcode != NULL && mx->ntlsa == 0 &&
	    strcmp(mx->tlsa_rcode, "NOERROR") != 0 &&
	    strcmp(mx->tlsa_rcode, "NXDOMAIN") != 0)
		h->tls.tlsa_error = xstrdup(mx->tlsa_rcode);
	h->tls.mx_insecure = t->dns.queried && !t->dns.mx_ad;
	st->sessions = xreallocarray(st->sessions, st->nsessions + 1,
	    sizeof(*st->sessions));
	ss = &st->sessions[st->nsessions];
	memset(ss, 0, sizeof(*ss));
	ss->st = st;
	ss->hostidx = t->nhosts - 1;
	ss->implicit_tls = implicit_tls;
	if ((h->family = scan_sockaddr(addr, port, &ss->ss, &ss->sslen)) == -1) {
		/* the resolver only hands out numeric addresses: be safe anyway */
		result_host_error(h, 0, N_("unusable address \"%s\""), addr);
		return;
	}
	st->nsessions++;
}

/*
 * one host entry, and its session, for the address on the target's port;
 * with --submission on both submission ports, 587 (STARTTLS) and 465
 * (implicit TLS), RFC 8314 3.3
 */
static void
scan_add_address(struct scan_target *st, const struct mx_rec *mx,
    const char *mxhost, int pref, const char *addr)
{
	struct scan	*s = st->scan;

	if (st->submission) {
		scan_add_address_port(st, mx, mxhost, pref, addr, 587, 0);
		scan_add_address_port(st, mx, mxhost, pref, addr, 465, 1);
	} else
		scan_add_address_port(st, mx, mxhost, pref, addr, st->spec.port ?
		    st->spec.port : (s->cfg->port ? s->cfg->port : 25), 0);
}

/* a host waiting for the reverse DNS of its address */
struct scan_ptr {
	struct scan_target	*st;
	size_t			 hostidx;
	struct scan_ptr		*next;
};

/*
 * Reverse DNS per address, looked up once a run however many targets
 * share the address (a batch of 10,000 domains on one hosting provider's
 * MX must not ask 10,000 times).  At most SCAN_PTR_CACHE addresses are
 * remembered; beyond that each asks on its own.
 */
#define SCAN_PTR_CACHE	65536

struct scan_ptrent {
	char			 addr[64];
	int			 done;
	int			 cached;	/* in the table, freed at the end */
	char			*name;
	int			 fcrdns;
	char			*error;
	struct scan_ptr		*waiters;
	struct scan_ptrent	*next;		/* hash chain */
};

static void
scan_ptr_apply(struct scan_ptr *sp, const char *name, int fcrdns, const char *error)
{
	struct scan_target	*st = sp->st;
	struct host_result	*h = &st->t->hosts[sp->hostidx];

	h->ptr.checked = 1;
	h->ptr.name = name != NULL ? xstrdup(name) : NULL;
	h->ptr.fcrdns = fcrdns;
	h->ptr.error = error != NULL ? xstrdup(error) : NULL;
	free(sp);
	if (--st->pending == 0)
		scan_target_complete(st);
}

static void
scan_ptr_done_cb(const char *name, int fcrdns, const char *error, void *arg)
{
	struct scan_ptrent	*e = arg;
	struct scan_ptr		*sp;

	e->done = 1;
	e->name = name != NULL ? xstrdup(name) : NULL;
	e->fcrdns = fcrdns;
	e->error = error != NULL ? xstrdup(error) : NULL;
	while ((sp = e->waiters) != NULL) {
		e->waiters = sp->next;
		scan_ptr_apply(sp, e->name, e->fcrdns, e->error);
	}
	if (!e->cached) {
		free(e->name);
		free(e->error);
		free(e);
	}
}

static void
scan_ptr_check(struct scan *s, struct scan_target *st, size_t hostidx)
{
	const char		*addr = st->t->hosts[hostidx].address;
	struct scan_ptrent	**bucket = &s->ptrs[scan_ip_hash(addr)], *e;
	struct scan_ptr		*sp = xcalloc(1, sizeof(*sp));

	sp->st = st;
	sp->hostidx = hostidx;
	for (e = *bucket; e != NULL; e = e->next)
		if (strcmp(e->addr, addr) == 0)
			break;
	if (e != NULL && e->done) {
		scan_ptr_apply(sp, e->name, e->fcrdns, e->error);
		return;
	}
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		snprintf(e->addr, sizeof(e->addr), "%s", addr);
		if (s->nptrs < SCAN_PTR_CACHE) {
			e->next = *bucket;
			*bucket = e;
			e->cached = 1;
			s->nptrs++;
		}
		sp->next = NULL;
		e->waiters = sp;
		resolver_lookup_ptr(s->resolver, addr, scan_ptr_done_cb, e);
		return;
	}
	sp->next = e->waiters;
	e->waiters = sp;
}

/* all sessions of a target are known: queue them, check reverse DNS */
static void
scan_queue_sessions(struct scan_target *st)
{
	struct scan	*s = st->scan;
	size_t		 i;

	st->pending += st->nsessions;
	if (!s->cfg->no_ptr && !s->stopping)
		st->pending += st->nsessions;
	for (i = 0; i < st->nsessions; i++) {
		if (!scan_share_join(s, &st->sessions[i])) {
			s->nqueued++;
			scan_ready_push(s, &st->sessions[i]);
		}
		if (!s->cfg->no_ptr && !s->stopping)
			scan_ptr_check(s, st, st->sessions[i].hostidx);
	}
	/* the hold of scan_admit() */
	if (--st->pending == 0)
		scan_target_complete(st);
}

/* MTA-STS and TLS-RPT of the domain are known (sts.c) */
static void
scan_sts_done_cb(void *arg)
{
	struct scan_target	*st = arg;

	if (--st->pending == 0)
		scan_target_complete(st);
}

/* the host entry of this target already probing addr, or NULL */
static struct host_result *
scan_find_host(struct target_result *t, const char *addr)
{
	size_t	 i;

	/* one port per target; the resolver writes addresses canonically */
	for (i = 0; i < t->nhosts; i++)
		if (strcmp(t->hosts[i].address, addr) == 0)
			return &t->hosts[i];
	return NULL;
}

/*
 * One session per (address, port) of a target, however many MX records
 * lead to it (one host at two preferences, two MX names on one address):
 * the MX list is in preference order, so the entry is named after the
 * most preferred record, and lists every record in mxrefs.
 */
static void
scan_dns_done_cb(struct dns_result *d, void *arg)
{
	struct scan_target	*st = arg;
	struct host_result	*h;
	size_t			 i, j;
	int			 fam = st->scan->cfg->family;

	st->scan->ndns--;

	for (i = 0; i < d->nmx; i++)
		for (j = 0; j < d->mx[i].naddrs; j++) {
			if ((h = scan_find_host(st->t, d->mx[i].addrs[j])) != NULL) {
				if (d->mx[i].preference >= 0)
					result_host_add_mxref(h, d->mx[i].preference,
					    d->mx[i].host);
				continue;
			}
			scan_add_address(st, &d->mx[i], d->mx[i].host,
			    d->mx[i].preference, d->mx[i].addrs[j]);
		}
	/* nothing to probe because of -4/-6: say so, not "no address" */
	for (i = 0; i < d->nmx && st->t->nhosts == 0 && st->t->error == NULL; i++)
		if (d->mx[i].addrs_excluded > 0)
			st->t->error = xasprintf("no address to probe: the IPv%d "
			    "addresses were excluded by -%d", fam == 4 ? 6 : 4, fam);
	scan_queue_sessions(st);
	scan_pump(st->scan);
}

/* ---- --submission: SRV (RFC 6186) ------------------------------------- */

/*
 * RFC 6186 3.1: the submission services of a domain; _submissions
 * (implicit TLS) first, as RFC 8314 5.1 prefers it, then _submission
 * (STARTTLS).
 */
static const struct {
	const char	*service;
	int		 implicit_tls;
} scan_srv_services[] = {
	{ "_submissions._tcp", 1 },
	{ "_submission._tcp", 0 },
};

static void	scan_srv_lookup(struct scan_target *);

/* the addresses of every SRV target are known: one session per address */
static void
scan_srv_hosts_done(struct scan_target *st)
{
	struct target_result	*t = st->t;
	size_t			 i, j;

	st->scan->ndns--;
	for (i = 0; i < t->nsubmission_srv; i++) {
		const struct submission_srv	*sv = &t->submission_srv[i];
		const struct dns_result		*d = &st->srvdns[i];

		for (j = 0; j < d->nmx; j++) {
			size_t	 k;

			for (k = 0; k < d->mx[j].naddrs; k++)
				scan_add_address_port(st, NULL, sv->target, -1,
				    d->mx[j].addrs[k], sv->port, sv->implicit_tls);
		}
	}
	/* nothing to probe: the first target's DNS error says why */
	for (i = 0; i < t->nsubmission_srv && t->nhosts == 0 &&
	    t->error == NULL; i++)
		if (st->srvdns[i].error != NULL)
			t->error = xasprintf("SRV target %s: %s",
			    t->submission_srv[i].target, st->srvdns[i].error);
	for (i = 0; i < t->nsubmission_srv; i++)
		result_dns_clear(&st->srvdns[i]);
	free(st->srvdns);
	st->srvdns = NULL;
	if (t->nhosts == 0 && t->error == NULL)
		t->error = xstrdup(result_submission_offered(t) ? "no address for the "
		    "SRV targets" : "submission is not offered: every SRV "
		    "target is \".\" (RFC 6186 3.4)");
	scan_queue_sessions(st);
	scan_pump(st->scan);
}

static void
scan_srv_host_cb(struct dns_result *d, void *arg)
{
	struct scan_target	*st = arg;

	(void)d;
	if (--st->srvdns_wait == 0)
		scan_srv_hosts_done(st);
}

/* both SRV answers are in: probe their targets, or fall back to the MX hosts */
static void
scan_srv_lookups_done(struct scan_target *st)
{
	struct scan		*s = st->scan;
	struct target_result	*t = st->t;
	size_t			 i;

	if (t->nsubmission_srv == 0) {
		/* RFC 6186 publishes nothing: the MX hosts, as before */
		resolver_lookup(s->resolver, st->spec.name, RESOLVE_MX,
		    s->cfg->family, &t->dns, scan_dns_done_cb, st);
		return;
	}
	t->submission_source = "srv";
	st->srvdns = xcalloc(t->nsubmission_srv, sizeof(*st->srvdns));
	st->srvdns_wait = 1;	/* held until every lookup is started */
	for (i = 0; i < t->nsubmission_srv; i++) {
		if (!result_srv_offered(&t->submission_srv[i]))
			continue;
		st->srvdns_wait++;
		resolver_lookup(s->resolver, t->submission_srv[i].target,
		    RESOLVE_HOST | RESOLVE_NO_TLSA, s->cfg->family,
		    &st->srvdns[i], scan_srv_host_cb, st);
	}
	if (--st->srvdns_wait == 0)
		scan_srv_hosts_done(st);
}

static void
scan_srv_cb(const struct resolver_srv *res, void *arg)
{
	struct scan_target	*st = arg;
	struct target_result	*t = st->t;
	size_t			 i, k = nitems(scan_srv_services) - st->srv_wait;

	/* a failed lookup is not "no records": say why the MX hosts came instead */
	if (res->error != NULL && t->submission_srv_error == NULL)
		t->submission_srv_error = xasprintf("%s.%s: %s%s",
		    scan_srv_services[k].service, st->spec.name, res->error,
		    res->transient ? " (may be temporary)" : "");
	for (i = 0; i < res->nsrv; i++) {
		struct submission_srv	*sv;

		t->submission_srv = xreallocarray(t->submission_srv,
		    t->nsubmission_srv + 1, sizeof(*t->submission_srv));
		sv = &t->submission_srv[t->nsubmission_srv++];
		sv->service = scan_srv_services[k].service;
		sv->implicit_tls = scan_srv_services[k].implicit_tls;
		sv->priority = res->srv[i].priority;
		sv->weight = res->srv[i].weight;
		sv->port = res->srv[i].port;
		sv->target = xstrdup(res->srv[i].target);
	}
	if (--st->srv_wait == 0)
		scan_srv_lookups_done(st);
	else
		scan_srv_lookup(st);
}

/* the next service's SRV lookup: one at a time, so that the order holds */
static void
scan_srv_lookup(struct scan_target *st)
{
	char	 name[300];
	size_t	 k = nitems(scan_srv_services) - st->srv_wait;

	snprintf(name, sizeof(name), "%s.%s", scan_srv_services[k].service,
	    st->spec.name);
	resolver_lookup_srv(st->scan->resolver, name, scan_srv_cb, st);
}

/* ---- input ------------------------------------------------------------- */

/* the next target string (allocated), or NULL at the end */
static char *
scan_next_input(struct scan *s, int *force_host, int *nul)
{
	const struct cli_config	*cfg = s->cfg;
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 n;

	*force_host = *nul = 0;
	if (s->nextarg < cfg->ntargets)
		return xstrdup(cfg->targets[s->nextarg++]);
	if (s->nextarg < cfg->ntargets + cfg->nhosts) {
		*force_host = 1;
		return xstrdup(cfg->hosts[s->nextarg++ - cfg->ntargets]);
	}
	if (s->file == NULL)
		return NULL;
	/* a pipe may hold the next line back: first write out what is done */
	if (s->input_may_block)
		report_flush(&s->report);
	while ((n = getline(&line, &cap, s->file)) != -1) {
		char	*b = line, *e = line + n;

		/*
		 * A NUL byte would silently cut the name short: the line
		 * becomes an error record, with each NUL shown as "\0".
		 */
		if (memchr(line, '\0', (size_t)n) != NULL) {
			struct buf	 shown = { 0 };
			ssize_t		 k;

			for (k = 0; k < n && k < SCAN_LINE_MAX; k++) {
				if (line[k] == '\0')
					buf_append(&shown, "\\0", 2);
				else if (line[k] != '\n' && line[k] != '\r')
					buf_append(&shown, &line[k], 1);
			}
			buf_append(&shown, "", 1);
			free(line);
			*nul = 1;
			return shown.data;
		}
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		*e = '\0';
		if (*b == '\0' || *b == '#')
			continue;
		if (e - b > SCAN_LINE_MAX)
			b[SCAN_LINE_MAX] = '\0';
		memmove(line, b, strlen(b) + 1);
		return line;
	}
	free(line);
	if (ferror(s->file)) {
		/* a list read in part is not a list probed: exit 64 */
		s->input_error = errno != 0 ? errno : EIO;
		log_warnx(_("reading the target list %s: %s"), cfg->target_file,
		    strerror(s->input_error));
	}
	return NULL;
}

static void
scan_admit(struct scan *s, char *input, int force_host, int nul)
{
	struct scan_target	*st;
	char			 err[256];
	int			 family;
	uint16_t		 port;

	st = xcalloc(1, sizeof(*st));
	st->scan = s;
	st->seq = s->seq++;
	st->t0 = loop_now(s->loop);
	st->t = result_target_new(input);
	st->pcfg = s->pcfg;
	s->active++;
	if (nul)
		snprintf(err, sizeof(err), "the line holds a NUL byte");
	if (nul || cli_parse_target(input, force_host, &st->spec, err,
	    sizeof(err)) == -1) {
		st->t->kind = force_host ? TARGET_HOST : TARGET_DOMAIN;
		st->t->error = xasprintf("invalid target: %s", err);
		free(input);
		scan_target_complete(st);
		return;
	}
	free(input);
	st->t->kind = st->spec.kind;
	st->t->name = xstrdup(st->spec.name);
	st->t->port = st->spec.port;
	/* ETRN's default argument: the domain (none for an IP literal) */
	st->pcfg.domain = st->spec.kind == TARGET_ADDRESS ? NULL : st->t->name;
	/* the control VRFY names a mailbox at the target domain, if it is one */
	st->pcfg.control_domain = st->spec.kind == TARGET_DOMAIN ?
	    st->t->name : NULL;
	port = st->spec.port ? st->spec.port : (s->cfg->port ? s->cfg->port : 25);
	/* --submission: a target without a port is probed on 587 and 465 */
	st->submission = s->cfg->submission && st->spec.port == 0;
	if (st->submission) {
		port = 587;
		st->t->submission_source = st->spec.kind == TARGET_DOMAIN ?
		    "mx" : st->spec.kind == TARGET_HOST ? "host" : "address";
	}
	/* RFC 8314: port 465 speaks TLS from the first byte */
	st->pcfg.implicit_tls = s->cfg->smtps || port == 465;
	if (st->pcfg.implicit_tls && st->pcfg.tls_ctx == NULL)
		st->pcfg.tls_ctx = s->tls_ctx;
	st->pcfg465 = st->pcfg;
	st->pcfg465.implicit_tls = 1;
	st->pcfg465.tls_ctx = s->tls_ctx;
	/* DANE for SMTP is for MX hosts (RFC 7672): no TLSA for submission */
	resolver_set_tlsa_port(s->resolver, s->cfg->no_dane || st->submission ?
	    0 : port);
	st->pending = 1;	/* held until the sessions are known */
	switch (st->spec.kind) {
	case TARGET_DOMAIN:
		/*
		 * RFC 8461: a mail domain's policy, beside its sessions; it
		 * is for MX hosts (port 25), not for submission (RFC 8314)
		 */
		if (s->fetcher != NULL && !st->submission) {
			st->pending++;
			sts_check(&s->sts, st->spec.name, &st->t->sts,
			    scan_sts_done_cb, st);
		}
		s->ndns++;
		if (st->submission) {
			/* RFC 6186 3.1: SRV first, the MX hosts if none */
			st->srv_wait = nitems(scan_srv_services);
			scan_srv_lookup(st);
		} else
			resolver_lookup(s->resolver, st->spec.name, RESOLVE_MX,
			    s->cfg->family, &st->t->dns, scan_dns_done_cb, st);
		break;
	case TARGET_HOST:
		s->ndns++;
		resolver_lookup(s->resolver, st->spec.name, RESOLVE_HOST,
		    s->cfg->family, &st->t->dns, scan_dns_done_cb, st);
		break;
	case TARGET_ADDRESS:
		family = strchr(st->spec.name, ':') != NULL ? 6 : 4;
		if (s->cfg->family != 0 && s->cfg->family != family)
			st->t->error = xasprintf("address %s excluded by -%d",
			    st->spec.name, s->cfg->family);
		else
			scan_add_address(st, NULL, NULL, -1, st->spec.name);
		scan_queue_sessions(st);
		break;
	}
}

/* ---- admission --------------------------------------------------------- */

static void
scan_wake_cb(struct loop_timer *t, void *arg)
{
	struct scan	*s = arg;
	size_t		 i;

	/* back-offs that ended: let their waiters go */
	if (s->nbackoff > 0)
		for (i = 0; i < SCAN_IP_BUCKETS; i++) {
			struct scan_ip	*ip, *next;

			for (ip = s->ips[i]; ip != NULL; ip = next) {
				next = ip->next;
				if (ip->until != 0 && ip->until <= loop_now(s->loop)) {
					ip->until = 0;
					s->nbackoff--;
					scan_ip_release_waiters(s, ip);
					scan_ip_gc(s, ip);
				}
			}
		}
	scan_pump(s);
}

/* --rate: a token bucket holding at most one second's worth */
static int
scan_rate_take(struct scan *s, uint64_t *wait_ms)
{
	double	 rate = s->cfg->rate;
	uint64_t now = loop_now(s->loop);

	if (rate <= 0)
		return 1;
	s->tokens += (double)(now - s->tokens_at) * rate / 1000.0;
	s->tokens_at = now;
	if (s->tokens > (rate > 1 ? rate : 1))
		s->tokens = rate > 1 ? rate : 1;
	if (s->tokens >= 1) {
		s->tokens -= 1;
		return 1;
	}
	*wait_ms = (uint64_t)((1 - s->tokens) * 1000.0 / rate) + 1;
	return 0;
}

/*
 * scan_reconnect_delay - a probe reconnects in plaintext after a failed
 * STARTTLS handshake: that connection takes a --rate token too, on
 * credit if none is left (the bucket goes below zero, so the sessions
 * after it wait for it), and waits until the token would have come.
 */
static uint64_t
scan_reconnect_delay(void *arg)
{
	struct scan	*s = arg;
	uint64_t	 wait_ms = 0;

	if (scan_rate_take(s, &wait_ms))
		return 0;
	s->tokens -= 1;
	return wait_ms;
}

static void
scan_start_sessions(struct scan *s)
{
	uint64_t	 wait_ms = 0, earliest = 0;

	while (s->ready != NULL && s->inflight < s->concurrency) {
		struct scan_session	*ss = s->ready;
		struct host_result	*h = scan_host(ss);
		struct scan_ip		*ip;

		if (s->stopping) {
			if ((s->ready = ss->next) == NULL)
				s->readytail = &s->ready;
			s->nqueued--;
			scan_session_skip(s, ss);
			continue;
		}
		ip = scan_ip(s, h->address);
		if (ip->n >= s->cfg->per_ip || ip->until > loop_now(s->loop)) {
			/* wait for this address's own turn */
			if ((s->ready = ss->next) == NULL)
				s->readytail = &s->ready;
			ss->next = NULL;
			*ip->waittail = ss;
			ip->waittail = &ss->next;
			if (ip->until > loop_now(s->loop) &&
			    (earliest == 0 || ip->until < earliest))
				earliest = ip->until;
			continue;
		}
		if (!scan_rate_take(s, &wait_ms)) {
			earliest = loop_now(s->loop) + wait_ms;
			break;
		}
		if ((s->ready = ss->next) == NULL)
			s->readytail = &s->ready;
		ip->n++;
		s->nqueued--;
		s->inflight++;
		ss->fprev = NULL;
		ss->fnext = s->inflight_list;
		if (s->inflight_list != NULL)
			s->inflight_list->fprev = ss;
		s->inflight_list = ss;
		ss->probe = probe_start(s->loop, ss->implicit_tls ?
		    &ss->st->pcfg465 : &ss->st->pcfg,
		    (struct sockaddr *)&ss->ss, ss->sslen, h,
		    scan_session_done_cb, ss);
	}
	if (earliest != 0 && (!s->wake.active || s->wake.when > earliest))
		loop_timer_start(s->loop, &s->wake, earliest - loop_now(s->loop),
		    scan_wake_cb, s);
	else if (s->nbackoff > 0 && !s->wake.active)
		loop_timer_start(s->loop, &s->wake, SCAN_BACKOFF_MS, scan_wake_cb, s);
}

/*
 * Lookups allowed in flight now: dns_ahead, or more while sessions and
 * resolved targets together are fewer than P (the start of a run, or
 * after a stretch of failed lookups), so that the slots fill in one
 * DNS round trip, not three.
 */
static size_t
scan_dns_budget(const struct scan *s)
{
	size_t	 busy = s->inflight + s->nqueued;

	if (busy < s->concurrency && s->concurrency - busy > s->dns_ahead)
		return s->concurrency - busy;
	return s->dns_ahead;
}

static void
scan_pump(struct scan *s)
{
	while (!s->input_done && !s->stopping && s->active < s->window &&
	    s->ndns < scan_dns_budget(s) && s->nqueued < s->concurrency) {
		int	 force_host, nul;
		char	*input = scan_next_input(s, &force_host, &nul);

		if (input == NULL) {
			s->input_done = 1;
			break;
		}
		/* --shard I/N: the other shards' lines are not ours to report */
		if (s->cfg->shard_n > 0 &&
		    cli_shard_of(input, s->cfg->shard_n) != s->cfg->shard_i) {
			free(input);
			continue;
		}
		scan_admit(s, input, force_host, nul);
	}
	scan_start_sessions(s);
}

/* ---- progress and signals ---------------------------------------------- */

static void
scan_progress_cb(struct loop_timer *t, void *arg)
{
	struct scan	*s = arg;
	double		 secs = (double)(loop_now(s->loop) - s->started) / 1000.0;

	fputs("\r\033[K", stderr);
	fprintf(stderr, _("%zu done, %.0f/s, %zu failed, %zu in flight%s"),
	    s->done, secs > 0 ? (double)s->done / secs : 0.0, s->errors,
	    s->inflight, s->stopping ? _(" (stopping)") : "");
	fflush(stderr);
	loop_timer_start(s->loop, t, SCAN_PROGRESS_MS, scan_progress_cb, s);
}

static void
scan_signal_handler(int sig)
{
	unsigned char	 b = (unsigned char)sig;
	int		 saved = errno;

	if (scan_sigfd != -1)
		(void)write(scan_sigfd, &b, 1);
	errno = saved;
}

static void
scan_signal_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct scan		*s = arg;
	struct scan_session	*ss, *next;
	struct scan_ip		*ip;
	unsigned char		 b;
	size_t			 i;

	if (read(fd, &b, 1) != 1 || s->stopping)
		return;
	s->stopping = b;
	s->input_done = 1;
	/* cut what is in flight: each still gets its record */
	for (ss = s->inflight_list; ss != NULL; ss = next) {
		next = ss->fnext;
		probe_abort(ss->probe);
	}
	/*
	 * Sessions parked behind an address's --per-ip limit or back-off
	 * would otherwise wait for it (SCAN_BACKOFF_MS): interrupt means
	 * now, so they get their record at once, never started.
	 */
	for (i = 0; i < SCAN_IP_BUCKETS; i++)
		for (ip = s->ips[i]; ip != NULL; ip = ip->next)
			while ((ss = ip->wait) != NULL) {
				if ((ip->wait = ss->next) == NULL)
					ip->waittail = &ip->wait;
				scan_session_skip(s, ss);
			}
	resolver_cancel(s->resolver);
	if (s->fetcher != NULL)
		fetcher_abort(s->fetcher);
	scan_pump(s);
}

static int
scan_signals_start(struct scan *s)
{
	struct sigaction	 sa;
	int			 i;

	if (pipe(s->sigpipe) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		(void)fcntl(s->sigpipe[i], F_SETFL, O_NONBLOCK);
		(void)fcntl(s->sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	scan_sigfd = s->sigpipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = scan_signal_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return loop_io_start(s->loop, &s->sigio, s->sigpipe[0], LOOP_READ,
	    scan_signal_cb, s);
}

static void
scan_signals_stop(struct scan *s)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	scan_sigfd = -1;
	loop_io_stop(s->loop, &s->sigio);
	close(s->sigpipe[0]);
	close(s->sigpipe[1]);
}

/* sessions need one fd each: raise the soft limit, and fit under it */
static size_t
scan_fit_concurrency(const struct cli_config *cfg)
{
	struct rlimit	 rl;
	size_t		 want = (size_t)cfg->concurrency, fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return want;
	if (rl.rlim_cur < rl.rlim_max &&
	    (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur < want + SCAN_FD_RESERVE)) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want + SCAN_FD_RESERVE)
		return want;
	fit = rl.rlim_cur > SCAN_FD_RESERVE * 2 ? rl.rlim_cur - SCAN_FD_RESERVE : 1;
	if (!cfg->quiet)
		log_warnx(_("open file limit %llu: at most %zu sessions at once"),
		    (unsigned long long)rl.rlim_cur, fit);
	return fit;
}

/*
 * scan_usage - a usage or input error found before probing: 64, or, with
 * --format nagios, UNKNOWN (3) with the one status line a monitoring
 * system reads (Monitoring Plugins guidelines)
 */
static int
scan_usage(const struct cli_config *cfg, FILE *out, const char *msg)
{
	log_warnx("%s", msg);
	if (cfg->format == FMT_NAGIOS) {
		fprintf(out, "SMTPPROBE UNKNOWN - %s\n", msg);
		return 3;
	}
	return 64;
}

/*
 * scan_run - see scan.h
 */
int
scan_run(const struct cli_config *cfg, struct loop *loop, FILE *out)
{
	struct scan	*s;
	char		 err[256], msg[512];
	const char	*nc;
	int		 status, nagios, files_failed = 0;
	size_t		 i;

	s = xcalloc(1, sizeof(*s));
	s->cfg = cfg;
	s->loop = loop;
	s->readytail = &s->ready;
	s->done_tail = &s->done_head;
	s->concurrency = scan_fit_concurrency(cfg);
	s->dns_ahead = SCAN_DNS_AHEAD(s->concurrency);
	/*
	 * in flight, queued and in DNS; a target waiting for its PTR answer
	 * or a shared session takes the room of one in DNS
	 */
	s->window = s->concurrency * 2 + s->dns_ahead;
	s->ordered = cfg->target_file == NULL;
	for (i = 0; i < cfg->ncmds; i++)
		if (cfg->cmds[i].arg == NULL &&
		    (strcmp(cfg->cmds[i].verb, "ETRN") == 0 ||
		    strcmp(cfg->cmds[i].verb, "ATRN") == 0))
			s->share_domain = 1;
	s->pcfg.helo = cfg->helo != NULL ? cfg->helo : probe_default_helo();
	s->pcfg.cmds = cfg->cmds;
	s->pcfg.ncmds = cfg->ncmds;
	s->pcfg.connect_timeout_ms = cfg->connect_timeout_ms;
	s->pcfg.timeout_ms = cfg->timeout_ms;
	s->pcfg.deadline_ms = cfg->deadline_ms;
	s->pcfg.transcript = cfg->transcript;
	s->pcfg.show_certs = cfg->show_certs;
	s->pcfg.tls_versions = cfg->tls_versions;
	s->pcfg.vrfy_control = !cfg->no_vrfy_control;
	s->tokens = 1;
	s->tokens_at = loop_now(loop);
	s->pcfg.reconnect_delay = scan_reconnect_delay;
	s->pcfg.reconnect_arg = s;
	s->started = loop_now(loop);
	s->sigpipe[0] = s->sigpipe[1] = -1;

	s->report.out = out;
	s->report.flush_per_turn = 1;	/* report_flush() after each loop turn */
	s->report.format = cfg->format;
	s->report.transcript = cfg->transcript;
	s->report.quiet = cfg->quiet;
	s->report.summary_only = cfg->summary_only;
	s->report.wide = cfg->wide;
	s->report.no_advice = cfg->no_advice;
	nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		s->report.color = 0;
	else if (cfg->color >= 0)
		s->report.color = cfg->color;
	else
		s->report.color = isatty(fileno(out));
	s->report.cert_warn_days = cfg->cert_warn_days;
	s->report.cert_crit_days = cfg->cert_crit_days;
	s->report.banner_warn_ms = cfg->banner_warn_ms;
	s->report.banner_crit_ms = cfg->banner_crit_ms;
	s->report.session_warn_ms = cfg->session_warn_ms;
	s->report.session_crit_ms = cfg->session_crit_ms;
	s->report.nagios_high = cfg->nagios_high;
	if (cfg->expect != NULL || cfg->policy_file != NULL) {
		char		 verbs[CLI_MAX_CMDS][8];
		const char	*missing;

		s->policy = cfg->expect != NULL ?
		    policy_parse(cfg->expect, err, sizeof(err)) :
		    policy_load(cfg->policy_file, err, sizeof(err));
		if (s->policy == NULL) {
			snprintf(msg, sizeof(msg), "%s: %s", cfg->expect != NULL ?
			    "--expect" : "--policy", err);
			free(s);
			return scan_usage(cfg, out, msg);
		}
		for (i = 0; i < cfg->ncmds; i++)
			snprintf(verbs[i], sizeof(verbs[i]), "%s", cfg->cmds[i].verb);
		if ((missing = policy_verb_missing(s->policy,
		    (const char (*)[8])verbs, cfg->ncmds)) != NULL) {
			snprintf(msg, sizeof(msg), _("the policy has a rule for "
			    "%s, which -c does not try: add it to -c"), missing);
			policy_free(s->policy);
			free(s);
			return scan_usage(cfg, out, msg);
		}
	}
	/* one TLS context for the run; STARTTLS uses it unless --no-starttls */
	if ((s->tls_ctx = tls_ctx_new(cfg->cafile, err, sizeof(err))) == NULL) {
		policy_free(s->policy);
		free(s);
		if (cfg->cafile != NULL)
			return scan_usage(cfg, out, err);
		log_warnx("%s", err);
		return 2;
	}
	s->pcfg.tls_ctx = cfg->no_starttls ? NULL : s->tls_ctx;
	if (cfg->target_file != NULL) {
		struct stat	 sb;

		if (strcmp(cfg->target_file, "-") == 0)
			s->file = stdin;
		else
			s->file = fopen(cfg->target_file, "r");
		/* a directory opens, then fails every read: refuse it now */
		if (s->file != NULL && fstat(fileno(s->file), &sb) == 0)
			s->input_may_block = !S_ISREG(sb.st_mode);
		if (s->file != NULL && s->input_may_block &&
		    S_ISDIR(sb.st_mode)) {
			if (s->file != stdin)
				fclose(s->file);
			s->file = NULL;
			errno = EISDIR;
		}
		if (s->file == NULL) {
			snprintf(msg, sizeof(msg), "%s: %s", cfg->target_file,
			    strerror(errno));
			tls_ctx_free(s->tls_ctx);
			policy_free(s->policy);
			free(s);
			return scan_usage(cfg, out, msg);
		}
	}
	for (i = 0; i < cfg->noutputs; i++) {
		if (outfile_open(&s->files[i], &cfg->outputs[i], &s->report, err,
		    sizeof(err)) == -1) {
			while (s->nfiles > 0) {
				/* nothing begun: just remove what was made */
				struct outfile	*f = &s->files[--s->nfiles];

				fclose(f->r.out);
				(void)unlink(f->tmp);
				free(f->tmp);
				free(f->path);
			}
			if (s->file != NULL && s->file != stdin)
				fclose(s->file);
			tls_ctx_free(s->tls_ctx);
			policy_free(s->policy);
			free(s);
			return scan_usage(cfg, out, err);
		}
		s->nfiles++;
	}
	if ((s->resolver = resolver_new(loop, cfg->dns_servers, cfg->dns_timeout_ms,
	    2, err, sizeof(err))) == NULL) {
		if (s->file != NULL && s->file != stdin)
			fclose(s->file);
		tls_ctx_free(s->tls_ctx);
		policy_free(s->policy);
		free(s);
		if (cfg->dns_servers != NULL)
			return scan_usage(cfg, out, err);
		log_warnx("%s", err);
		return 2;
	}
	if (!cfg->no_mta_sts) {
		/* --cafile applies to the policy fetch as to STARTTLS */
		if ((s->fetcher = fetcher_new(loop, cfg->cafile, err,
		    sizeof(err))) == NULL)
			log_warnx(_("%s: no MTA-STS policy fetch"), err);
		s->sts.resolver = s->resolver;
		s->sts.fetcher = s->fetcher;
		s->sts.family = cfg->family;
		s->sts.timeout_ms = cfg->timeout_ms;
		s->sts.port = sts_port_from_env();
	}
	if (scan_signals_start(s) == -1)
		log_warn("%s", _("cannot catch SIGINT/SIGTERM"));

	if (cfg->baseline != NULL) {
		/* an unreadable baseline is said, and the run goes on */
		s->baseline = baseline_load(cfg->baseline);
		s->report.baseline = s->baseline;
		s->report.baseline_regression = cfg->baseline_regression;
		for (i = 0; i < s->nfiles; i++) {
			s->files[i].r.baseline = s->baseline;
			s->files[i].r.baseline_regression = cfg->baseline_regression;
		}
	}
	report_begin(&s->report);
	for (i = 0; i < s->nfiles; i++)
		report_begin(&s->files[i].r);
	/* progress: for people at a terminal, never in pipes or with -q */
	s->progress = !cfg->quiet && isatty(STDERR_FILENO) &&
	    (cfg->target_file != NULL || cfg->ntargets + cfg->nhosts > 1);
	if (s->progress)
		loop_timer_start(loop, &s->progress_timer, SCAN_PROGRESS_MS,
		    scan_progress_cb, s);

	scan_pump(s);
	while (!s->input_done || s->active > 0) {
		if (loop_run_once(loop, -1) == -1 && errno != EINTR)
			fatal("event loop");
		scan_pump(s);
		report_flush(&s->report);
	}
	if (s->input_error != 0 && cfg->format == FMT_NAGIOS) {
		snprintf(msg, sizeof(msg), "cannot read the target list %s: %s",
		    cfg->target_file, strerror(s->input_error));
		report_nagios_unknown(&s->report, msg);
	}
	if (s->baseline != NULL)
		baseline_finish(s->baseline);
	nagios = report_end(&s->report);
	/* the files replace the last ones only when the run is whole */
	for (i = 0; i < s->nfiles; i++) {
		if (s->stopping || s->input_error != 0)
			outfile_discard(&s->files[i]);
		else if (outfile_commit(&s->files[i]) == -1)
			files_failed = 1;
	}
	if (s->progress) {
		loop_timer_stop(loop, &s->progress_timer);
		fputs("\r\033[K", stderr);
	}

	loop_timer_stop(loop, &s->wake);
	loop_timer_stop(loop, &s->done_timer);
	fetcher_free(s->fetcher);
	resolver_free(s->resolver);
	tls_ctx_free(s->tls_ctx);
	for (i = 0; i < SCAN_IP_BUCKETS; i++) {
		while (s->ips[i] != NULL) {
			struct scan_ip	*ip = s->ips[i];

			s->ips[i] = ip->next;
			free(ip);
		}
		while (s->shares[i] != NULL) {
			struct scan_share	*e = s->shares[i];

			s->shares[i] = e->hnext;
			scan_share_free(e);
		}
		while (s->ptrs[i] != NULL) {
			struct scan_ptrent	*e = s->ptrs[i];

			s->ptrs[i] = e->next;
			free(e->name);
			free(e->error);
			free(e);
		}
	}
	if (s->file != NULL && s->file != stdin)
		fclose(s->file);
	if (s->sigpipe[0] != -1)
		scan_signals_stop(s);
	/*
	 * 2 (not probed, or a rule unverified) outranks 1 (policy violated,
	 * or a regression since --baseline): one cannot audit what one
	 * cannot reach
	 */
	status = s->stopping ? 128 + s->stopping : nagios >= 0 ? nagios :
	    s->input_error != 0 ? 64 : s->failed || s->unverified ? 2 :
	    s->violated || s->regressed ? 1 : 0;
	if (files_failed && status < 3)
		status = 74;
	policy_free(s->policy);
	baseline_free(s->baseline);
	free(s);
	return status;
}
