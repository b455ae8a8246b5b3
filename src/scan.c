/* SPDX-License-Identifier: ISC */
/*
 * scan - admission of targets.  Each target is resolved (resolver.c),
 * then every address of every MX is probed (probe.c), with at most
 * --concurrency sessions in flight overall and at most --per-ip sessions
 * against one address at a time.  Every target, errors included, yields
 * exactly one record for the reporter.
 *
 * Order: jsonl records are written as targets complete; text and json
 * keep the input order (completed targets wait for earlier ones).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "findings.h"
#include "log.h"
#include "loop.h"
#include "probe.h"
#include "report.h"
#include "resolver.h"
#include "scan.h"
#include "tls.h"
#include "util.h"

#define SCAN_LINE_MAX	1024

struct scan;

struct scan_session {
	struct scan_target	*st;
	size_t			 hostidx;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	struct probe		*probe;
	struct scan_session	*next;		/* in the ready queue */
};

struct scan_target {
	struct scan		*scan;
	size_t			 seq;		/* input order */
	struct target_spec	 spec;
	struct target_result	*t;
	struct probe_config	 pcfg;		/* per target: ETRN domain */
	struct scan_session	*sessions;
	size_t			 nsessions;
	size_t			 pending;	/* sessions not yet done */
	uint64_t		 t0;
	int			 done;
	struct loop_timer	 later;		/* deferred completion */
	struct scan_target	*next;		/* in the reorder list */
};

struct scan_ipcount {
	char			 addr[64];
	int			 n;
	struct scan_ipcount	*next;
};

struct scan {
	const struct cli_config	*cfg;
	struct loop		*loop;
	struct resolver		*resolver;
	struct report		 report;
	struct probe_config	 pcfg;
	struct tls_ctx		*tls_ctx;
	/* input */
	size_t			 nextarg;	/* operands, then --host */
	FILE			*file;
	int			 input_done;
	size_t			 seq;
	/* admission */
	size_t			 active;	/* targets admitted, not complete */
	size_t			 window;
	struct scan_session	*ready, **readytail;
	size_t			 inflight;
	struct scan_ipcount	*ipcounts;
	/* output in order */
	struct scan_target	*waiting;	/* completed, sorted by seq */
	size_t			 next_out;
	int			 failed;
};

static void	scan_pump(struct scan *);

/* ---- per-IP politeness ------------------------------------------------- */

static struct scan_ipcount *
scan_ip(struct scan *s, const char *addr, int create)
{
	struct scan_ipcount	*c;

	for (c = s->ipcounts; c != NULL; c = c->next)
		if (strcmp(c->addr, addr) == 0)
			return c;
	if (!create)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	snprintf(c->addr, sizeof(c->addr), "%s", addr);
	c->next = s->ipcounts;
	s->ipcounts = c;
	return c;
}

static void
scan_ip_release(struct scan *s, const char *addr)
{
	struct scan_ipcount	*c, **cp;

	for (cp = &s->ipcounts; (c = *cp) != NULL; cp = &c->next)
		if (strcmp(c->addr, addr) == 0) {
			if (--c->n <= 0) {
				*cp = c->next;
				free(c);
			}
			return;
		}
}

/* ---- output ------------------------------------------------------------ */

static void
scan_emit(struct scan *s, struct scan_target *st)
{
	if (result_target_failed(st->t))
		s->failed = 1;
	report_target(&s->report, st->t);
	result_target_free(st->t);
	free(st->sessions);
	free(st);
}

static void
scan_target_complete_cb(struct loop_timer *tm, void *arg)
{
	struct scan_target	*st = arg, **pp;
	struct scan		*s = st->scan;
	struct target_result	*t = st->t;
	size_t			 i;

	/*
	 * Probed: a session ran to its end (a 554 greeting is an answer
	 * too).  One cut short by a timeout, a reset or a 421 did not.
	 */
	for (i = 0; i < t->nhosts; i++)
		if (t->hosts[i].banner.code != 0 &&
		    (t->hosts[i].fail == PROBE_F_NONE ||
		    t->hosts[i].fail == PROBE_F_REJECT))
			t->probed_ok = 1;
	if (!t->probed_ok && t->error == NULL && !t->dns.null_mx) {
		if (t->nhosts > 0)
			t->error = xstrdup("no session ran to its end");
		else if (t->dns.error != NULL)
			t->error = xstrdup(t->dns.error);
		else
			t->error = xstrdup("no address to probe");
	}
	findings_compute(t);
	t->duration_ms = (long)(loop_now(s->loop) - st->t0);
	s->active--;

	if (s->cfg->format == FMT_JSONL) {
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

/* complete from the loop, never from inside the call that admitted it */
static void
scan_target_complete(struct scan_target *st)
{
	loop_timer_start(st->scan->loop, &st->later, 0, scan_target_complete_cb, st);
}

/* ---- sessions ---------------------------------------------------------- */

static void
scan_session_done_cb(struct probe *p, struct host_result *hr, void *arg)
{
	struct scan_session	*ss = arg;
	struct scan_target	*st = ss->st;
	struct scan		*s = st->scan;

	probe_free(p);
	ss->probe = NULL;
	s->inflight--;
	scan_ip_release(s, hr->address);
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

/* one host entry and its session for every usable address */
static void
scan_add_address(struct scan_target *st, const struct mx_rec *mx,
    const char *mxhost, int pref, const char *addr)
{
	struct scan		*s = st->scan;
	struct target_result	*t = st->t;
	struct host_result	*h;
	struct scan_session	*ss;
	uint16_t		 port = st->spec.port ? st->spec.port :
	    (s->cfg->port ? s->cfg->port : 25);

	h = result_add_host(t);
	h->mx = mxhost != NULL ? xstrdup(mxhost) : NULL;
	h->preference = pref;
	snprintf(h->address, sizeof(h->address), "%s", addr);
	h->port = port;
	if (mx != NULL && mx->ntlsa > 0) {
		size_t	 i;

		/* each session matches its own peer chain against a copy */
		h->tls.tlsa = xcalloc(mx->ntlsa, sizeof(*h->tls.tlsa));
		for (i = 0; i < mx->ntlsa; i++) {
			h->tls.tlsa[i] = mx->tlsa[i];
			h->tls.tlsa[i].data = xmalloc(mx->tlsa[i].len ? mx->tlsa[i].len : 1);
			memcpy(h->tls.tlsa[i].data, mx->tlsa[i].data, mx->tlsa[i].len);
		}
		h->tls.ntlsa = mx->ntlsa;
	}
	if (mx != NULL)
		h->tls.tlsa_ad = mx->tlsa_ad;
	st->sessions = xreallocarray(st->sessions, st->nsessions + 1,
	    sizeof(*st->sessions));
	ss = &st->sessions[st->nsessions];
	memset(ss, 0, sizeof(*ss));
	ss->st = st;
	ss->hostidx = t->nhosts - 1;
	if ((h->family = scan_sockaddr(addr, port, &ss->ss, &ss->sslen)) == -1) {
		/* the resolver only hands out numeric addresses: be safe anyway */
		h->error = xasprintf("unusable address \"%s\"", addr);
		return;
	}
	st->nsessions++;
}

/* all sessions known: put them in the ready queue */
static void
scan_queue_sessions(struct scan_target *st)
{
	struct scan	*s = st->scan;
	size_t		 i;

	st->pending = st->nsessions;
	if (st->nsessions == 0) {
		scan_target_complete(st);
		return;
	}
	for (i = 0; i < st->nsessions; i++) {
		struct scan_session	*ss = &st->sessions[i];

		ss->next = NULL;
		*s->readytail = ss;
		s->readytail = &ss->next;
	}
}

static void
scan_dns_done_cb(struct dns_result *d, void *arg)
{
	struct scan_target	*st = arg;
	size_t			 i, j;

	for (i = 0; i < d->nmx; i++)
		for (j = 0; j < d->mx[i].naddrs; j++)
			scan_add_address(st, &d->mx[i], d->mx[i].host,
			    d->mx[i].preference, d->mx[i].addrs[j]);
	scan_queue_sessions(st);
	scan_pump(st->scan);
}

/* ---- input ------------------------------------------------------------- */

/* the next target string, or NULL at the end; *owned says to free it */
static char *
scan_next_input(struct scan *s, int *force_host)
{
	const struct cli_config	*cfg = s->cfg;
	char			*line = NULL;
	size_t			 cap = 0;
	ssize_t			 n;

	*force_host = 0;
	if (s->nextarg < cfg->ntargets)
		return xstrdup(cfg->targets[s->nextarg++]);
	if (s->nextarg < cfg->ntargets + cfg->nhosts) {
		*force_host = 1;
		return xstrdup(cfg->hosts[s->nextarg++ - cfg->ntargets]);
	}
	if (s->file == NULL)
		return NULL;
	while ((n = getline(&line, &cap, s->file)) != -1) {
		char	*b = line, *e = line + n;

		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'))
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
	if (ferror(s->file))
		log_warn("reading the target list");
	return NULL;
}

static void
scan_admit(struct scan *s, char *input, int force_host)
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
	if (cli_parse_target(input, force_host, &st->spec, err, sizeof(err)) == -1) {
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
	port = st->spec.port ? st->spec.port : (s->cfg->port ? s->cfg->port : 25);
	/* RFC 8314: port 465 speaks TLS from the first byte */
	st->pcfg.implicit_tls = s->cfg->smtps || port == 465;
	if (st->pcfg.implicit_tls && st->pcfg.tls_ctx == NULL)
		st->pcfg.tls_ctx = s->tls_ctx;
	resolver_set_tlsa_port(s->resolver, s->cfg->no_dane ? 0 : port);
	switch (st->spec.kind) {
	case TARGET_DOMAIN:
		resolver_lookup(s->resolver, st->spec.name, RESOLVE_MX,
		    s->cfg->family, &st->t->dns, scan_dns_done_cb, st);
		break;
	case TARGET_HOST:
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
scan_start_sessions(struct scan *s)
{
	struct scan_session	*ss, **pp;

	for (pp = &s->ready; (ss = *pp) != NULL && s->inflight <
	    (size_t)s->cfg->concurrency; ) {
		struct host_result	*h = &ss->st->t->hosts[ss->hostidx];
		struct scan_ipcount	*c = scan_ip(s, h->address, 1);

		if (c->n >= s->cfg->per_ip) {
			pp = &ss->next;
			continue;
		}
		*pp = ss->next;
		if (*pp == NULL)
			s->readytail = pp;
		c->n++;
		s->inflight++;
		ss->probe = probe_start(s->loop, &ss->st->pcfg,
		    (struct sockaddr *)&ss->ss, ss->sslen, h,
		    scan_session_done_cb, ss);
	}
}

static void
scan_pump(struct scan *s)
{
	while (!s->input_done && s->active < s->window) {
		int	 force_host;
		char	*input = scan_next_input(s, &force_host);

		if (input == NULL) {
			s->input_done = 1;
			break;
		}
		scan_admit(s, input, force_host);
	}
	scan_start_sessions(s);
}

/*
 * scan_run - see scan.h
 */
int
scan_run(const struct cli_config *cfg, struct loop *loop, FILE *out)
{
	struct scan	 s;
	char		 err[256];
	const char	*nc;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.loop = loop;
	s.readytail = &s.ready;
	s.window = (size_t)cfg->concurrency * 2;
	s.pcfg.helo = cfg->helo != NULL ? cfg->helo : probe_default_helo();
	s.pcfg.cmds = cfg->cmds;
	s.pcfg.ncmds = cfg->ncmds;
	s.pcfg.connect_timeout_ms = cfg->connect_timeout_ms;
	s.pcfg.timeout_ms = cfg->timeout_ms;
	s.pcfg.deadline_ms = cfg->deadline_ms;
	s.pcfg.transcript = cfg->transcript;
	/* one TLS context for the run; STARTTLS uses it unless --no-starttls */
	if ((s.tls_ctx = tls_ctx_new(cfg->cafile, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return cfg->cafile != NULL ? 64 : 2;
	}
	s.pcfg.tls_ctx = cfg->no_starttls ? NULL : s.tls_ctx;

	if (cfg->target_file != NULL) {
		if (strcmp(cfg->target_file, "-") == 0)
			s.file = stdin;
		else if ((s.file = fopen(cfg->target_file, "r")) == NULL) {
			log_warn("%s", cfg->target_file);
			tls_ctx_free(s.tls_ctx);
			return 64;
		}
	}
	if ((s.resolver = resolver_new(loop, cfg->dns_servers, cfg->dns_timeout_ms,
	    2, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		if (s.file != NULL && s.file != stdin)
			fclose(s.file);
		tls_ctx_free(s.tls_ctx);
		return cfg->dns_servers != NULL ? 64 : 2;
	}

	s.report.out = out;
	s.report.format = cfg->format;
	s.report.transcript = cfg->transcript;
	s.report.quiet = cfg->quiet;
	nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		s.report.color = 0;
	else if (cfg->color >= 0)
		s.report.color = cfg->color;
	else
		s.report.color = isatty(fileno(out));
	s.report.single = cfg->target_file == NULL &&
	    cfg->ntargets + cfg->nhosts == 1;
	report_begin(&s.report);

	scan_pump(&s);
	while (!s.input_done || s.active > 0) {
		if (loop_run_once(loop, -1) == -1)
			fatal("event loop");
		scan_pump(&s);
	}
	report_end(&s.report);

	resolver_free(s.resolver);
	tls_ctx_free(s.tls_ctx);
	while (s.ipcounts != NULL) {
		struct scan_ipcount	*c = s.ipcounts;

		s.ipcounts = c->next;
		free(c);
	}
	if (s.file != NULL && s.file != stdin)
		fclose(s.file);
	return s.failed ? 2 : 0;
}
