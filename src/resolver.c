/* SPDX-License-Identifier: ISC */
/*
 * resolver - c-ares on the event loop: domain -> MX list (by preference)
 * -> A/AAAA of every MX host.
 *
 * RFC 5321 5.1 (MX lookup, implicit MX, aliases as MX targets), RFC 7505
 * (null MX), RFC 1035 / RFC 3596 (A / AAAA).
 *
 * c-ares's ARES_OPT_SOCK_STATE_CB adds and removes its sockets in loop.c;
 * ready fds go to ares_process_fd() (c-ares 1.18 has no ares_process_fds),
 * and a loop timer armed from ares_timeout() drives retransmissions with
 * ares_process_fd(ARES_SOCKET_BAD, ARES_SOCKET_BAD).  Answer buffers are
 * gone when a c-ares callback returns: everything needed is copied.
 *
 * Bounds: at most RESOLVER_MAX_MX MX hosts per domain (the most
 * preferred: the records are sorted first, then cut, and the ones left
 * out are listed) and RESOLVER_MAX_ADDRS addresses per host are kept, so
 * a hostile zone cannot make one target cost unbounded work.  A host
 * named by several MX records is looked up once.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ares.h>
#include <netdb.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "loop.h"
#include "resolver.h"
#include "tlsa.h"
#include "util.h"

#define RESOLVER_MAX_ADDRS	8
/*
 * Internal flag for resolver_lookup()'s what: the family is ours, not
 * the user's -4/-6 (FCrDNS), so no query to say what it left out.
 */
#define LOOKUP_F_NO_FAMILY_NOTE	0x100
/*
 * Queries outstanding at once.  c-ares 1.18 reads every answer from one
 * UDP socket per server, so all the answers to the queries in flight may
 * sit in that socket's receive buffer at once: what does not fit is
 * dropped by the kernel (Udp.RcvbufErrors) and costs a timeout.  That
 * was the cause of the lost answers under load: SO_RCVBUF is silently
 * capped at net.core.rmem_max (212992 by default), whatever c-ares asks
 * for.  So the resolver forces the buffer (SO_RCVBUFFORCE, allowed with
 * CAP_NET_ADMIN) to RESOLVER_RCVBUF, reads back what it got, and keeps
 * no more queries in flight than that buffer holds answers: measured on
 * Linux 6.x loopback, a datagram of up to 512 octets (a UDP DNS answer
 * without EDNS, RFC 1035 4.2.1) takes RESOLVER_ANSWER_TRUESIZE octets of
 * it.  4 MiB (8 MiB as the kernel counts) holds 6553 answers; the
 * 212992 default (425984) holds 332.  Queries beyond the cap wait in a
 * FIFO.  Until the socket exists the cap is RESOLVER_MIN_INFLIGHT.
 */
#define RESOLVER_RCVBUF			(4 * 1024 * 1024)
#define RESOLVER_ANSWER_TRUESIZE	1280
#define RESOLVER_MIN_INFLIGHT		256
/*
 * and never more than this: the server has a receive buffer too.  4096
 * at 50 ms per answer carries 80,000 queries a second, 10 times what
 * 2,500 domains a second ask (MX, A, AAAA, TLSA, PTR); measured with
 * bench/run: no answer lost (Udp.RcvbufErrors unchanged).
 */
#define RESOLVER_MAX_INFLIGHT		4096

#ifndef T_MX
#define T_MX	15
#endif
#ifndef T_A
#define T_A	1
#endif
#ifndef T_AAAA
#define T_AAAA	28
#endif
#ifndef T_TXT
#define T_TXT	16
#endif
#ifndef T_SRV
#define T_SRV	33
#endif
#ifndef C_IN
#define C_IN	1
#endif

struct resolver_sock {
	struct resolver		*r;
	ares_socket_t		 fd;
	struct loop_io		 io;
	struct resolver_sock	*next;
};

struct lookup_host {
	char		**v4, **v6;
	size_t		  n4, n6;
	size_t		  extra;	/* addresses over the cap */
	size_t		  excluded;	/* addresses of the family -4/-6 leaves out */
	size_t		  same_as;	/* 1 + index of an earlier MX with this name, or 0 */
	int		  st4, st6;	/* ares status, -1 = not asked */
	int		  cname;
	int		  tlsa_queried;
	int		  tlsa_rcode;	/* DNS RCODE, or -1 with tlsa_status */
	int		  tlsa_status;	/* ares status of the query */
	int		  tlsa_ad;
	struct tlsa_rec	 *tlsa;
	size_t		  ntlsa;
};

struct lookup {
	struct resolver		*r;
	char			*name;
	int			 what;
	int			 family;
	int			 explain_family;	/* say what -4/-6 left out */
	struct dns_result	*out;
	resolver_cb		 cb;
	void			*arg;
	int			 pending;	/* c-ares queries in flight */
	struct lookup_host	*hosts;		/* parallel to out->mx */
	uint16_t		 tlsa_port;	/* 0: no TLSA lookups */
	struct loop_timer	 done;
	struct lookup		*prev, *next;
};

/* a query waiting for room, or in flight (for the completion count) */
struct resolver_query {
	struct resolver		*r;
	char			*name;		/* ares_query */
	int			 type;
	unsigned char		*qbuf;		/* ares_send: the message */
	int			 qlen;
	ares_callback		 cb;
	void			*arg;
	struct resolver_query	*next;
};

/* PTR of an address, then A/AAAA of that name (FCrDNS) */
struct ptr_lookup {
	struct resolver		*r;
	char			 addr[64];
	unsigned char		 bin[16];
	int			 family;
	resolver_ptr_cb		 cb;
	void			*arg;
	char			*name;
	int			 fcrdns;
	char			*error;
	struct dns_result	 fwd;
	struct loop_timer	 done;
	struct ptr_lookup	*prev, *next;
};

struct addr_query {
	struct lookup	*lk;
	size_t		 idx;
	int		 family;
	int		 excluded;	/* only counting what -4/-6 leaves out */
};

struct resolver {
	struct loop		*loop;
	ares_channel		 channel;
	struct resolver_sock	*socks;
	struct loop_timer	 timer;
	struct lookup		*lookups;
	size_t			 npending;
	int			 destroying;
	int			 cancelling;
	uint16_t		 tlsa_port;
	struct ptr_lookup	*ptrs;
	size_t			 inflight;	/* queries handed to c-ares */
	size_t			 maxinflight;	/* answers the receive buffer holds */
	size_t			 nsocks;	/* UDP sockets made by c-ares */
	struct resolver_query	*qhead, **qtail;	/* waiting for room */
	size_t			 nrr;		/* TXT and SRV lookups in flight */
};

static void	resolver_rearm(struct resolver *);

/* ---- c-ares <-> loop -------------------------------------------------- */

static void
resolver_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct resolver_sock	*s = arg;
	struct resolver		*r = s->r;

	ares_process_fd(r->channel,
	    (revents & (LOOP_READ | LOOP_ERROR)) ? fd : ARES_SOCKET_BAD,
	    (revents & LOOP_WRITE) ? fd : ARES_SOCKET_BAD);
	resolver_rearm(r);
}

static void
resolver_sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
	struct resolver		*r = data;
	struct resolver_sock	*s, **sp;
	int			 events = (readable ? LOOP_READ : 0) |
	    (writable ? LOOP_WRITE : 0);

	for (sp = &r->socks; (s = *sp) != NULL; sp = &s->next)
		if (s->fd == fd)
			break;
	if (events == 0) {
		if (s != NULL) {
			loop_io_stop(r->loop, &s->io);
			*sp = s->next;
			free(s);
		}
		return;
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->r = r;
		s->fd = fd;
		s->next = r->socks;
		r->socks = s;
	}
	if (loop_io_start(r->loop, &s->io, fd, events, resolver_io_cb, s) == -1)
		log_warn("resolver: cannot watch fd %d", (int)fd);
}

static void
resolver_timer_cb(struct loop_timer *t, void *arg)
{
	struct resolver	*r = arg;

	ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	resolver_rearm(r);
}

static void
resolver_rearm(struct resolver *r)
{
	struct timeval	 tv, *tvp;

	if (r->destroying)
		return;
	if (r->npending == 0) {
		loop_timer_stop(r->loop, &r->timer);
		return;
	}
	/*
	 * ares_timeout() walks every query in flight (c-ares 1.18): asked
	 * after each answer it cost more than the answers themselves.  A
	 * query sent later never times out earlier than those before it
	 * (one timeout for all), so an armed timer stays right; one that
	 * fires early finds nothing due and is armed again from here.
	 */
	if (r->timer.active)
		return;
	if ((tvp = ares_timeout(r->channel, NULL, &tv)) == NULL) {
		loop_timer_stop(r->loop, &r->timer);
		return;
	}
	loop_timer_start(r->loop, &r->timer,
	    (uint64_t)tvp->tv_sec * 1000 + (uint64_t)(tvp->tv_usec + 999) / 1000,
	    resolver_timer_cb, r);
}

/*
 * c-ares made a socket: give a UDP one the receive buffer its queries in
 * flight need (see RESOLVER_RCVBUF), and fit the cap to what it got.
 */
static int
resolver_sock_create_cb(ares_socket_t fd, int type, void *data)
{
	struct resolver	*r = data;
	int		 want = RESOLVER_RCVBUF, got = 0;
	socklen_t	 len = sizeof(got);
	size_t		 fit;

	if (type != SOCK_DGRAM)
		return 0;
#ifdef SO_RCVBUFFORCE
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) == -1)
#endif
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == -1 || got <= 0)
		return 0;
	fit = (size_t)got / RESOLVER_ANSWER_TRUESIZE;
	/* several sockets (servers): the smallest buffer decides */
	if (fit < RESOLVER_MIN_INFLIGHT)
		fit = RESOLVER_MIN_INFLIGHT;
	if (fit > RESOLVER_MAX_INFLIGHT)
		fit = RESOLVER_MAX_INFLIGHT;
	if (r->nsocks++ == 0 || fit < r->maxinflight)
		r->maxinflight = fit;
	return 0;
}

/* ---- bounded query issue ------------------------------------------------ */

static void	resolver_issue_next(struct resolver *);

static void
resolver_query_done_cb(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct resolver_query	*q = arg;
	struct resolver		*r = q->r;

	r->inflight--;
	q->cb(q->arg, status, timeouts, abuf, alen);
	free(q->name);
	free(q->qbuf);
	free(q);
	if (!r->destroying && !r->cancelling)
		resolver_issue_next(r);
}

static void
resolver_issue_next(struct resolver *r)
{
	while (r->qhead != NULL && r->inflight < r->maxinflight) {
		struct resolver_query	*q = r->qhead;

		if ((r->qhead = q->next) == NULL)
			r->qtail = &r->qhead;
		r->inflight++;
		if (q->qbuf != NULL)
			ares_send(r->channel, q->qbuf, q->qlen,
			    resolver_query_done_cb, q);
		else
			ares_query(r->channel, q->name, C_IN, q->type,
			    resolver_query_done_cb, q);
	}
}

/* ares_query() or ares_send(), now or when there is room */
static void
resolver_issue(struct resolver *r, const char *name, int type,
    const unsigned char *qbuf, int qlen, ares_callback cb, void *arg)
{
	struct resolver_query	*q = xcalloc(1, sizeof(*q));

	q->r = r;
	q->type = type;
	if (qbuf != NULL) {
		q->qbuf = xmalloc((size_t)qlen);
		memcpy(q->qbuf, qbuf, (size_t)qlen);
		q->qlen = qlen;
	} else
		q->name = xstrdup(name);
	q->cb = cb;
	q->arg = arg;
	*r->qtail = q;
	r->qtail = &q->next;
	resolver_issue_next(r);
}

/*
 * A query built by hand with the AD bit set (RFC 6840 5.7: "tell me
 * whether you validated"), sent with ares_send(): c-ares 1.18 has no
 * flag for AD.  The callback gets the raw answer; see resolver_ad_status().
 * -1 if the name cannot be encoded (nothing issued then).
 */
static int
resolver_issue_ad(struct resolver *r, const char *name, int type,
    ares_callback cb, void *arg)
{
	unsigned char	*qbuf = NULL;
	int		 qlen = 0;

	if (ares_create_query(name, C_IN, type, 0, 1, &qbuf, &qlen, 0) !=
	    ARES_SUCCESS)
		return -1;
	if (qlen > 3)
		qbuf[3] |= 0x20;
	resolver_issue(r, NULL, type, qbuf, qlen, cb, arg);
	ares_free_string(qbuf);
	return 0;
}

/*
 * The ares_query() status of an ares_send() answer (which c-ares hands
 * over whatever its RCODE, with ARES_FLAG_NOCHECKRESP), and its AD bit
 * in *ad (RFC 4035 3.2.3: set only for data the resolver validated).
 */
static int
resolver_ad_status(int status, const unsigned char *abuf, int alen, int *ad)
{
	*ad = 0;
	if (status != ARES_SUCCESS)
		return status;
	if (abuf == NULL || alen < 12)
		return ARES_EBADRESP;
	switch (abuf[3] & 0x0f) {
	case 0:
		*ad = (abuf[3] & 0x20) != 0;
		return abuf[6] == 0 && abuf[7] == 0 ? ARES_ENODATA : ARES_SUCCESS;
	case 1:
		return ARES_EFORMERR;
	case 2:
		return ARES_ESERVFAIL;
	case 3:
		return ARES_ENOTFOUND;
	case 4:
		return ARES_ENOTIMP;
	case 5:
		return ARES_EREFUSED;
	default:
		return ARES_EBADRESP;
	}
}

/* fail every query still waiting for room (cancel, destroy) */
static void
resolver_drain(struct resolver *r, int status)
{
	while (r->qhead != NULL) {
		struct resolver_query	*q = r->qhead;

		if ((r->qhead = q->next) == NULL)
			r->qtail = &r->qhead;
		q->cb(q->arg, status, 0, NULL, 0);
		free(q->name);
		free(q->qbuf);
		free(q);
	}
}

/*
 * resolver_new - a c-ares channel driven by loop
 */
struct resolver *
resolver_new(struct loop *loop, const char *servers, int timeout_ms, int tries,
    char *err, size_t errlen)
{
	static int		 inited;
	struct resolver		*r;
	struct ares_options	 opts;
	int			 rc, mask;

	if (!inited) {
		if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
			snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
			return NULL;
		}
		inited = 1;
	}
	r = xcalloc(1, sizeof(*r));
	r->loop = loop;
	r->qtail = &r->qhead;
	memset(&opts, 0, sizeof(opts));
	opts.sock_state_cb = resolver_sock_state_cb;
	opts.sock_state_cb_data = r;
	opts.timeout = timeout_ms > 0 ? timeout_ms : 2000;
	opts.tries = tries > 0 ? tries : 2;
	/*
	 * NOCHECKRESP: hand SERVFAIL and REFUSED answers to us instead of
	 * retrying other servers and reporting "connection refused" (what
	 * c-ares 1.18 does): SERVFAIL must be reported as such, a transient
	 * failure distinct from NXDOMAIN.
	 */
	opts.flags = ARES_FLAG_NOCHECKRESP;
	/* room for a burst of answers (the kernel caps it at rmem_max) */
	opts.socket_receive_buffer_size = RESOLVER_RCVBUF;
	mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	    ARES_OPT_FLAGS | ARES_OPT_SOCK_RCVBUF;
	if ((rc = ares_init_options(&r->channel, &opts, mask)) != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(rc));
		free(r);
		return NULL;
	}
	r->maxinflight = RESOLVER_MIN_INFLIGHT;
	ares_set_socket_callback(r->channel, resolver_sock_create_cb, r);
	if (servers != NULL &&
	    (rc = ares_set_servers_ports_csv(r->channel, servers)) != ARES_SUCCESS) {
		snprintf(err, errlen, "invalid --dns-server \"%s\": %s", servers,
		    ares_strerror(rc));
		ares_destroy(r->channel);
		free(r);
		return NULL;
	}
	return r;
}

/*
 * resolver_free - cancel every lookup (their callbacks run, with an
 * error) and free the channel.  NULL does nothing.
 */
void
resolver_free(struct resolver *r)
{
	struct resolver_sock	*s;

	if (r == NULL)
		return;
	r->destroying = 1;
	ares_destroy(r->channel);	/* runs pending c-ares callbacks */
	resolver_drain(r, ARES_EDESTRUCTION);
	loop_timer_stop(r->loop, &r->timer);
	while (r->lookups != NULL) {
		struct lookup	*lk = r->lookups;

		/* finished but not yet reported: report now */
		loop_timer_stop(r->loop, &lk->done);
		lk->done.cb(&lk->done, lk);
	}
	while (r->ptrs != NULL) {
		struct ptr_lookup	*pl = r->ptrs;

		loop_timer_stop(r->loop, &pl->done);
		pl->done.cb(&pl->done, pl);
	}
	while ((s = r->socks) != NULL) {
		r->socks = s->next;
		loop_io_stop(r->loop, &s->io);
		free(s);
	}
	free(r);
}

/*
 * resolver_cancel - see resolver.h
 */
void
resolver_cancel(struct resolver *r)
{
	/* nothing queued may be issued from the callbacks while cancelling */
	r->cancelling = 1;
	ares_cancel(r->channel);
	resolver_drain(r, ARES_ECANCELLED);
	r->cancelling = 0;
	resolver_rearm(r);
}

size_t
resolver_pending(const struct resolver *r)
{
	size_t			 n = 0;
	struct lookup		*lk;
	struct ptr_lookup	*pl;

	for (lk = r->lookups; lk != NULL; lk = lk->next)
		n++;
	for (pl = r->ptrs; pl != NULL; pl = pl->next)
		n++;
	return n + r->nrr;
}

/* ---- lookups ---------------------------------------------------------- */

static const char *
resolver_rcode(int status)
{
	switch (status) {
	case ARES_SUCCESS:
	case ARES_ENODATA:
		return "NOERROR";
	case ARES_ENOTFOUND:
		return "NXDOMAIN";
	case ARES_ESERVFAIL:
		return "SERVFAIL";
	case ARES_EREFUSED:
		return "REFUSED";
	case ARES_ETIMEOUT:
		return "TIMEOUT";
	case ARES_EFORMERR:
		return "FORMERR";
	case ARES_ENOTIMP:
		return "NOTIMP";
	case ARES_ECONNREFUSED:
		return "CONNREFUSED";
	case ARES_EBADRESP:
		return "BADRESP";
	default:
		return "ERROR";
	}
}

static int
resolver_transient(int status)
{
	return status == ARES_ESERVFAIL || status == ARES_ETIMEOUT ||
	    status == ARES_ECONNREFUSED || status == ARES_EREFUSED;
}

static void
lookup_report_cb(struct loop_timer *t, void *arg)
{
	struct lookup	*lk = arg;
	struct resolver	*r = lk->r;

	if (lk->prev != NULL)
		lk->prev->next = lk->next;
	else
		r->lookups = lk->next;
	if (lk->next != NULL)
		lk->next->prev = lk->prev;
	lk->cb(lk->out, lk->arg);
	free(lk->name);
	free(lk);
}

/* a second MX record naming the same host: the same answers (deep copies) */
static void
lookup_copy_mx(struct mx_rec *dst, const struct mx_rec *src)
{
	size_t	 j;

	dst->naddrs = src->naddrs;
	dst->addrs = xcalloc(src->naddrs ? src->naddrs : 1, sizeof(char *));
	for (j = 0; j < src->naddrs; j++)
		dst->addrs[j] = xstrdup(src->addrs[j]);
	dst->is_cname = src->is_cname;
	dst->addrs_dropped = src->addrs_dropped;
	dst->addrs_excluded = src->addrs_excluded;
	dst->error = src->error != NULL ? xstrdup(src->error) : NULL;
	dst->tlsa_queried = src->tlsa_queried;
	dst->tlsa_rcode = src->tlsa_rcode != NULL ? xstrdup(src->tlsa_rcode) : NULL;
	dst->tlsa_ad = src->tlsa_ad;
	dst->tlsa = result_tlsa_dup(src->tlsa, src->ntlsa);
	dst->ntlsa = src->ntlsa;
}

/* merge per-host address lists into out->mx, set per-host errors */
static void
lookup_finish(struct lookup *lk)
{
	struct dns_result	*d = lk->out;
	size_t			 i, j;

	for (i = 0; i < d->nmx && lk->hosts != NULL; i++) {
		struct lookup_host	*h = &lk->hosts[i];
		struct mx_rec		*mx = &d->mx[i];

		if (h->same_as != 0) {
			/* an earlier record, already finished (same_as - 1 < i) */
			lookup_copy_mx(mx, &d->mx[h->same_as - 1]);
			continue;
		}
		mx->naddrs = h->n4 + h->n6;
		mx->addrs = xcalloc(mx->naddrs ? mx->naddrs : 1, sizeof(char *));
		for (j = 0; j < h->n4; j++)
			mx->addrs[j] = h->v4[j];
		for (j = 0; j < h->n6; j++)
			mx->addrs[h->n4 + j] = h->v6[j];
		free(h->v4);
		free(h->v6);
		mx->is_cname = h->cname;
		if (h->tlsa_queried) {
			static const char *rcodes[] = { "NOERROR", "FORMERR",
			    "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };

			mx->tlsa_queried = 1;
			mx->tlsa_ad = h->tlsa_ad;
			mx->tlsa = h->tlsa;
			mx->ntlsa = h->ntlsa;
			if (h->tlsa_rcode >= 0 && (size_t)h->tlsa_rcode < nitems(rcodes))
				mx->tlsa_rcode = xstrdup(rcodes[h->tlsa_rcode]);
			else if (h->tlsa_rcode >= 0)
				mx->tlsa_rcode = xasprintf("RCODE%d", h->tlsa_rcode);
			else
				mx->tlsa_rcode = xstrdup(resolver_rcode(h->tlsa_status));
		}
		if (mx->naddrs == 0 && mx->error == NULL) {
			int	 st = h->st4 != ARES_ENODATA && h->st4 != -1 ?
			    h->st4 : h->st6;

			if (h->excluded > 0) {
				/* say why: not "no address records" (-4 on an IPv6-only host) */
				mx->addrs_excluded = h->excluded;
				mx->error = xasprintf("no IPv%d address; %zu IPv%d "
				    "address%s excluded by -%d", lk->family, h->excluded,
				    lk->family == 4 ? 6 : 4, h->excluded == 1 ? "" : "es",
				    lk->family);
			} else if (st == -1 || st == ARES_ENODATA || st == ARES_SUCCESS)
				mx->error = xstrdup("no address records");
			else if (st == ARES_ENOTFOUND)
				mx->error = xstrdup("no address: host does not exist (NXDOMAIN)");
			else
				mx->error = xasprintf("no address: %s (%s)",
				    ares_strerror(st), resolver_rcode(st));
		}
		mx->addrs_dropped = h->extra;
	}
	free(lk->hosts);
	lk->hosts = NULL;
	/* report from the loop, never from inside resolver_lookup() */
	if (lk->r->destroying)
		lookup_report_cb(&lk->done, lk);
	else
		loop_timer_start(lk->r->loop, &lk->done, 0, lookup_report_cb, lk);
}

static void
lookup_query_done(struct lookup *lk)
{
	lk->r->npending--;
	if (--lk->pending == 0)
		lookup_finish(lk);
}

static int
name_eq(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* keep one address of h, at most RESOLVER_MAX_ADDRS of a family */
static void
lookup_host_keep(struct lookup_host *h, const struct addr_query *q, const void *bin)
{
	char	***list = q->family == AF_INET ? &h->v4 : &h->v6;
	size_t	  *n = q->family == AF_INET ? &h->n4 : &h->n6;
	char	   buf[INET6_ADDRSTRLEN];

	if (q->excluded) {
		h->excluded++;
		return;
	}
	if (*n == RESOLVER_MAX_ADDRS) {
		h->extra++;
		return;
	}
	if (*list == NULL)
		*list = xcalloc(RESOLVER_MAX_ADDRS, sizeof(char *));
	inet_ntop(q->family, bin, buf, sizeof(buf));
	(*list)[(*n)++] = xstrdup(buf);
}

static void	resolver_addr_cb(void *, int, int, unsigned char *, int);

/* A or AAAA of the idx'th host; excluded: only to count what -4/-6 leaves out */
static void
lookup_address_query(struct lookup *lk, size_t idx, int family, int excluded)
{
	struct addr_query	*q = xcalloc(1, sizeof(*q));

	q->lk = lk;
	q->idx = idx;
	q->family = family;
	q->excluded = excluded;
	lk->pending++;
	lk->r->npending++;
	resolver_issue(lk->r, lk->out->mx[idx].host, family == AF_INET ? T_A : T_AAAA,
	    NULL, 0, resolver_addr_cb, q);
}

static void
resolver_addr_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct addr_query	*q = arg;
	struct lookup		*lk = q->lk;
	struct resolver		*r = lk->r;
	struct lookup_host	*h = &lk->hosts[q->idx];
	struct hostent		*he = NULL;
	int			 i, n, rc;

	if (status == ARES_SUCCESS) {
		if (q->family == AF_INET) {
			struct ares_addrttl	 ttls[RESOLVER_MAX_ADDRS * 4];

			n = (int)nitems(ttls);
			rc = ares_parse_a_reply(abuf, alen, &he, ttls, &n);
			for (i = 0; rc == ARES_SUCCESS && i < n; i++)
				lookup_host_keep(h, q, &ttls[i].ipaddr);
		} else {
			struct ares_addr6ttl	 ttls[RESOLVER_MAX_ADDRS * 4];

			n = (int)nitems(ttls);
			rc = ares_parse_aaaa_reply(abuf, alen, &he, ttls, &n);
			for (i = 0; rc == ARES_SUCCESS && i < n; i++)
				lookup_host_keep(h, q, &ttls[i].ip6addr);
		}
		/* an alias: the canonical name differs from the name asked */
		if (rc == ARES_SUCCESS && he != NULL && he->h_name != NULL &&
		    !name_eq(he->h_name, lk->out->mx[q->idx].host))
			h->cname = 1;
		if (he != NULL)
			ares_free_hostent(he);
		status = rc;
	}
	if (q->excluded)
		;	/* only h->excluded counts */
	else if (q->family == AF_INET)
		h->st4 = status;
	else
		h->st6 = status;
	/*
	 * -4 or -6 and the name has no address of that family: ask for the
	 * other one too, only to say that -4/-6 left those out (a user reads
	 * "no address records" as a DNS fault).
	 */
	if (!q->excluded && lk->explain_family && lk->family != 0 &&
	    (status == ARES_SUCCESS || status == ARES_ENODATA) &&
	    h->n4 + h->n6 + h->extra == 0 && !r->destroying && !r->cancelling)
		lookup_address_query(lk, q->idx, q->family == AF_INET ? AF_INET6 :
		    AF_INET, 1);
	free(q);
	lookup_query_done(lk);
}

static void
resolver_tlsa_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct addr_query	*q = arg;
	struct lookup		*lk = q->lk;
	struct lookup_host	*h = &lk->hosts[q->idx];
	int			 rcode = -1, ad = 0;

	h->tlsa_queried = 1;
	h->tlsa_status = status;
	h->tlsa_rcode = -1;
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0) {
		if (tlsa_parse(abuf, (size_t)alen, &rcode, &ad, &h->tlsa,
		    &h->ntlsa) == 0) {
			h->tlsa_rcode = rcode;
			h->tlsa_ad = ad;
		} else
			h->tlsa_status = ARES_EBADRESP;
	}
	free(q);
	lookup_query_done(lk);
}

/* TLSA of _PORT._tcp.HOST, sent with AD=1 (RFC 6840 5.7) */
static void
lookup_tlsa(struct lookup *lk, size_t idx)
{
	struct resolver		*r = lk->r;
	struct addr_query	*q;
	char			 qname[300];

	if (lk->tlsa_port == 0 || tlsa_qname(qname, sizeof(qname), lk->tlsa_port,
	    lk->out->mx[idx].host) == -1)
		return;
	q = xcalloc(1, sizeof(*q));
	q->lk = lk;
	q->idx = idx;
	lk->pending++;
	r->npending++;
	if (resolver_issue_ad(r, qname, 52, resolver_tlsa_cb, q) == -1) {
		lk->pending--;
		r->npending--;
		free(q);
	}
}

void
resolver_set_tlsa_port(struct resolver *r, uint16_t port)
{
	r->tlsa_port = port;
}

static void
lookup_addresses(struct lookup *lk, size_t idx)
{
	const char		*host = lk->out->mx[idx].host;
	int			 fams[2], nf = 0, i;

	lk->hosts[idx].st4 = lk->hosts[idx].st6 = -1;
	if (lk->what == RESOLVE_MX) {
		unsigned char	 bin[16];

		/* RFC 5321 5.1: an MX names a host; an address is not one */
		if (inet_pton(AF_INET, host, bin) == 1 ||
		    inet_pton(AF_INET6, host, bin) == 1) {
			lk->out->mx[idx].error = xstrdup("an IP address is not a "
			    "valid MX target (RFC 5321 5.1)");
			return;
		}
	}
	if (lk->family != 6)
		fams[nf++] = AF_INET;
	if (lk->family != 4)
		fams[nf++] = AF_INET6;
	lookup_tlsa(lk, idx);
	for (i = 0; i < nf; i++)
		lookup_address_query(lk, idx, fams[i], 0);
}

/*
 * The hosts file (c-ares reads it itself: a local file, no network).
 * Used for host targets only: mail routing (MX targets) is DNS's.
 */
static int
lookup_hosts_file(struct lookup *lk, size_t idx)
{
	struct lookup_host	*h = &lk->hosts[idx];
	const char		*name = lk->out->mx[idx].host;
	char			 buf[INET6_ADDRSTRLEN];
	int			 fams[2], nf = 0, i, found = 0;

	h->st4 = h->st6 = -1;
	if (lk->family != 6)
		fams[nf++] = AF_INET;
	if (lk->family != 4)
		fams[nf++] = AF_INET6;
	for (i = 0; i < nf; i++) {
		struct hostent	*he = NULL;
		char		**ap;

		if (ares_gethostbyname_file(lk->r->channel, name, fams[i], &he) !=
		    ARES_SUCCESS || he == NULL)
			continue;
		for (ap = he->h_addr_list; *ap != NULL; ap++) {
			char	***list = fams[i] == AF_INET ? &h->v4 : &h->v6;
			size_t	 *n = fams[i] == AF_INET ? &h->n4 : &h->n6;

			if (*n == RESOLVER_MAX_ADDRS) {
				h->extra++;
				continue;
			}
			if (*list == NULL)
				*list = xcalloc(RESOLVER_MAX_ADDRS, sizeof(char *));
			inet_ntop(fams[i], *ap, buf, sizeof(buf));
			(*list)[(*n)++] = xstrdup(buf);
			found = 1;
		}
		ares_free_hostent(he);
	}
	return found;
}

/* RFC 7505: "MX 0 ." is a null MX */
static int
mx_is_null(const char *host)
{
	return host[0] == '\0' || strcmp(host, ".") == 0;
}

/* an MX record being sorted: by preference, ties in DNS answer order */
struct mx_sort {
	int		 preference;
	size_t		 order;
	const char	*host;
};

static int
mx_sort_cmp(const void *a, const void *b)
{
	const struct mx_sort	*x = a, *y = b;

	if (x->preference != y->preference)
		return x->preference < y->preference ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Sort the n MX records, then keep those of the RESOLVER_MAX_MX most
 * preferred hosts (RFC 5321 5.1: the lowest preference is tried first,
 * so the least preferred are the ones to leave out); list the others in
 * d->mx_dropped.  A record naming a host already kept stays: it costs
 * no lookup (same_as) and no session.
 */
static void
lookup_sort_cap(struct lookup *lk, struct mx_sort *recs, size_t n)
{
	struct dns_result	*d = lk->out;
	size_t			 kept[RESOLVER_MAX_MX], nkept = 0, i, k;

	qsort(recs, n, sizeof(*recs), mx_sort_cmp);
	d->mx = xcalloc(n, sizeof(*d->mx));
	lk->hosts = xcalloc(n, sizeof(*lk->hosts));
	for (i = 0; i < n; i++) {
		for (k = 0; k < nkept; k++)
			if (name_eq(d->mx[kept[k]].host, recs[i].host))
				break;
		if (k == nkept && nkept == RESOLVER_MAX_MX) {
			d->mx_dropped = xreallocarray(d->mx_dropped,
			    d->nmx_dropped + 1, sizeof(*d->mx_dropped));
			d->mx_dropped[d->nmx_dropped].preference = recs[i].preference;
			d->mx_dropped[d->nmx_dropped].host = xstrdup(recs[i].host);
			d->nmx_dropped++;
			continue;
		}
		if (k == nkept)
			kept[nkept++] = d->nmx;
		else
			lk->hosts[d->nmx].same_as = kept[k] + 1;
		d->mx[d->nmx].preference = recs[i].preference;
		d->mx[d->nmx].host = xstrdup(recs[i].host);
		d->nmx++;
	}
}

static void
resolver_mx_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct lookup		*lk = arg;
	struct dns_result	*d = lk->out;
	struct ares_mx_reply	*mxs = NULL, *m;
	struct mx_sort		*recs;
	size_t			 n = 0, i;
	int			 rc, nullmx = 0;

	d->queried = 1;
	/* RFC 7672 2.2.1: DANE applies only if the MX RRset is secure */
	status = resolver_ad_status(status, abuf, alen, &d->mx_ad);
	if (status == ARES_ENODATA) {
		/* RFC 5321 5.1: no MX, the domain itself is the implicit MX */
		d->rcode = xstrdup("NOERROR");
		d->implicit_mx = 1;
		d->nmx = 1;
		d->mx = xcalloc(1, sizeof(*d->mx));
		d->mx[0].preference = 0;
		d->mx[0].host = xstrdup(lk->name);
		lk->hosts = xcalloc(1, sizeof(*lk->hosts));
		lookup_addresses(lk, 0);
		lookup_query_done(lk);
		return;
	}
	if (status != ARES_SUCCESS) {
		d->rcode = xstrdup(resolver_rcode(status));
		d->transient = resolver_transient(status);
		if (status == ARES_ENOTFOUND)
			d->error = xasprintf("%s does not exist (NXDOMAIN)", lk->name);
		else
			d->error = xasprintf("MX lookup failed: %s (%s)",
			    ares_strerror(status), d->rcode);
		lookup_query_done(lk);
		return;
	}
	d->rcode = xstrdup("NOERROR");
	if ((rc = ares_parse_mx_reply(abuf, alen, &mxs)) != ARES_SUCCESS) {
		if (rc == ARES_ENODATA) {
			/* answer with no MX records (e.g. only a CNAME) */
			d->implicit_mx = 1;
			d->nmx = 1;
			d->mx = xcalloc(1, sizeof(*d->mx));
			d->mx[0].host = xstrdup(lk->name);
			lk->hosts = xcalloc(1, sizeof(*lk->hosts));
			lookup_addresses(lk, 0);
		} else {
			d->error = xasprintf("malformed MX answer: %s", ares_strerror(rc));
			d->transient = 1;
		}
		lookup_query_done(lk);
		return;
	}
	for (m = mxs; m != NULL; m = m->next) {
		if (mx_is_null(m->host))
			nullmx++;
		else
			n++;
	}
	if (nullmx > 0 && n == 0) {
		d->null_mx = 1;
		ares_free_data(mxs);
		lookup_query_done(lk);
		return;
	}
	recs = xcalloc(n, sizeof(*recs));
	for (m = mxs, n = 0; m != NULL; m = m->next)
		if (!mx_is_null(m->host)) {
			recs[n].preference = m->priority;
			recs[n].order = n;
			recs[n].host = m->host;
			n++;
		}
	lookup_sort_cap(lk, recs, n);
	free(recs);
	ares_free_data(mxs);
	/* RFC 7505 3: a null MX must be the only MX; probe the others anyway */
	d->null_mx_mixed = nullmx > 0;
	for (i = 0; i < d->nmx; i++)
		if (lk->hosts[i].same_as == 0)
			lookup_addresses(lk, i);
	lookup_query_done(lk);
}

/* start a lookup; tlsa_port 0: no TLSA queries */
static void
lookup_start(struct resolver *r, const char *name, int what, int family,
    struct dns_result *out, resolver_cb cb, void *arg, uint16_t tlsa_port)
{
	struct lookup	*lk;

	lk = xcalloc(1, sizeof(*lk));
	lk->r = r;
	lk->name = xstrdup(name);
	lk->what = what & ~LOOKUP_F_NO_FAMILY_NOTE;
	lk->family = family;
	lk->explain_family = !(what & LOOKUP_F_NO_FAMILY_NOTE);
	lk->out = out;
	lk->tlsa_port = tlsa_port;
	lk->cb = cb;
	lk->arg = arg;
	lk->done.cb = lookup_report_cb;	/* for resolver_free() */
	lk->done.arg = lk;
	lk->next = r->lookups;
	if (r->lookups != NULL)
		r->lookups->prev = lk;
	r->lookups = lk;

	/* hold one reference so that synchronous c-ares callbacks cannot finish it */
	lk->pending = 1;
	r->npending++;
	if (what == RESOLVE_MX) {
		lk->pending++;
		r->npending++;
		if (resolver_issue_ad(r, name, T_MX, resolver_mx_cb, lk) == -1)
			resolver_issue(r, name, T_MX, NULL, 0, resolver_mx_cb, lk);
	} else {
		out->nmx = 1;
		out->mx = xcalloc(1, sizeof(*out->mx));
		out->mx[0].preference = -1;
		out->mx[0].host = xstrdup(name);
		lk->hosts = xcalloc(1, sizeof(*lk->hosts));
		/* a host named by the user: /etc/hosts first, as the system would */
		if (!lookup_hosts_file(lk, 0))
			lookup_addresses(lk, 0);
		else
			lookup_tlsa(lk, 0);
	}
	lookup_query_done(lk);
	resolver_rearm(r);
}

/*
 * resolver_lookup - start a lookup; see resolver.h
 */
void
resolver_lookup(struct resolver *r, const char *name, int what, int family,
    struct dns_result *out, resolver_cb cb, void *arg)
{
	lookup_start(r, name, what & ~RESOLVE_NO_TLSA, family, out, cb, arg,
	    (what & RESOLVE_NO_TLSA) ? 0 : r->tlsa_port);
}

/* ---- PTR and FCrDNS ------------------------------------------------------ */

static void
ptr_report_cb(struct loop_timer *t, void *arg)
{
	struct ptr_lookup	*pl = arg;
	struct resolver		*r = pl->r;

	if (pl->prev != NULL)
		pl->prev->next = pl->next;
	else
		r->ptrs = pl->next;
	if (pl->next != NULL)
		pl->next->prev = pl->prev;
	pl->cb(pl->name, pl->fcrdns, pl->error, pl->arg);
	free(pl->name);
	free(pl->error);
	result_dns_clear(&pl->fwd);
	free(pl);
}

static void
ptr_finish(struct ptr_lookup *pl)
{
	if (pl->r->destroying)
		ptr_report_cb(&pl->done, pl);
	else
		loop_timer_start(pl->r->loop, &pl->done, 0, ptr_report_cb, pl);
}

static void
ptr_forward_cb(struct dns_result *d, void *arg)
{
	struct ptr_lookup	*pl = arg;
	size_t			 i;

	pl->fcrdns = d->nmx > 0 && d->mx[0].error == NULL ? 0 : -1;
	for (i = 0; d->nmx > 0 && i < d->mx[0].naddrs; i++) {
		unsigned char	 bin[16];

		if (inet_pton(pl->family, d->mx[0].addrs[i], bin) == 1 &&
		    memcmp(bin, pl->bin, pl->family == AF_INET ? 4 : 16) == 0)
			pl->fcrdns = 1;
	}
	if (pl->fcrdns == -1 && d->nmx > 0 && d->mx[0].error != NULL) {
		/* the name has no address at all: that is a clear "no" */
		pl->fcrdns = strstr(d->mx[0].error, "NXDOMAIN") != NULL ||
		    strstr(d->mx[0].error, "no address records") != NULL ? 0 : -1;
		free(pl->error);
		pl->error = xasprintf("%s: %s", pl->name, d->mx[0].error);
	}
	/* the report runs from the loop already (resolver_lookup's cb) */
	ptr_report_cb(&pl->done, pl);
}

static void
resolver_ptr_answer_cb(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct ptr_lookup	*pl = arg;
	struct hostent		*he = NULL;
	int			 rc;

	if (status == ARES_SUCCESS) {
		rc = ares_parse_ptr_reply(abuf, alen, pl->bin,
		    pl->family == AF_INET ? 4 : 16, pl->family, &he);
		if (rc == ARES_SUCCESS && he != NULL && he->h_name != NULL &&
		    he->h_name[0] != '\0')
			pl->name = xstrdup(he->h_name);
		else
			status = rc == ARES_SUCCESS ? ARES_ENODATA : rc;
		if (he != NULL)
			ares_free_hostent(he);
	}
	if (pl->name == NULL) {
		pl->fcrdns = -1;
		pl->error = status == ARES_ENOTFOUND || status == ARES_ENODATA ?
		    xstrdup("no PTR record") : xasprintf("PTR lookup failed: %s (%s)",
		    ares_strerror(status), resolver_rcode(status));
		ptr_finish(pl);
		return;
	}
	if (pl->r->destroying || pl->r->cancelling) {
		ptr_finish(pl);
		return;
	}
	/*
	 * forward-confirm: the PTR name must lead back to the address.  No
	 * TLSA query: the PTR name is not a mail destination (RFC 7672 2.2).
	 */
	lookup_start(pl->r, pl->name, RESOLVE_HOST | LOOKUP_F_NO_FAMILY_NOTE,
	    pl->family == AF_INET ? 4 : 6, &pl->fwd, ptr_forward_cb, pl, 0);
}

/*
 * resolver_lookup_ptr - see resolver.h
 */
void
resolver_lookup_ptr(struct resolver *r, const char *address, resolver_ptr_cb cb,
    void *arg)
{
	struct ptr_lookup	*pl;
	struct buf		 q = { 0 };
	int			 i;

	pl = xcalloc(1, sizeof(*pl));
	pl->r = r;
	pl->cb = cb;
	pl->arg = arg;
	pl->fcrdns = -1;
	pl->done.cb = ptr_report_cb;	/* for resolver_free() */
	pl->done.arg = pl;
	snprintf(pl->addr, sizeof(pl->addr), "%s", address);
	pl->next = r->ptrs;
	if (r->ptrs != NULL)
		r->ptrs->prev = pl;
	r->ptrs = pl;
	if (inet_pton(AF_INET, address, pl->bin) == 1) {
		pl->family = AF_INET;
		for (i = 3; i >= 0; i--)
			buf_printf(&q, "%u.", pl->bin[i]);
		buf_printf(&q, "in-addr.arpa");
	} else if (inet_pton(AF_INET6, address, pl->bin) == 1) {
		pl->family = AF_INET6;
		for (i = 15; i >= 0; i--)
			buf_printf(&q, "%x.%x.", pl->bin[i] & 0xf, pl->bin[i] >> 4);
		buf_printf(&q, "ip6.arpa");
	} else {
		pl->error = xstrdup("not a numeric address");
		ptr_finish(pl);
		return;
	}
	resolver_issue(r, q.data, 12 /* PTR */, NULL, 0, resolver_ptr_answer_cb, pl);
	buf_free(&q);
	resolver_rearm(r);
}

/* ---- TXT ----------------------------------------------------------------- */

/*
 * One TXT or SRV lookup: a single query whose answer is parsed by its
 * type's answer callback; the status handling and the count of lookups
 * in flight are shared.
 */
struct rr_lookup {
	struct resolver		*r;
	resolver_txt_cb		 txt_cb;	/* one of these */
	resolver_srv_cb		 srv_cb;
	void			*arg;
};

/*
 * the rcode, error and transience of a record lookup's status: no
 * records (NXDOMAIN, NODATA) is not an error
 */
static void
rr_status(int status, const char *malformed, const char **rcode,
    const char **error, int *transient)
{
	*rcode = resolver_rcode(status);
	*error = NULL;
	*transient = 0;
	if (status != ARES_SUCCESS && status != ARES_ENODATA &&
	    status != ARES_ENOTFOUND) {
		*error = status == ARES_EBADRESP ? malformed :
		    ares_strerror(status);
		*transient = resolver_transient(status);
	}
}

static void
rr_issue(struct resolver *r, const char *name, int type, ares_callback answer,
    resolver_txt_cb txt_cb, resolver_srv_cb srv_cb, void *arg)
{
	struct rr_lookup	*rl = xcalloc(1, sizeof(*rl));

	rl->r = r;
	rl->txt_cb = txt_cb;
	rl->srv_cb = srv_cb;
	rl->arg = arg;
	r->nrr++;
	resolver_issue(r, name, type, NULL, 0, answer, rl);
	resolver_rearm(r);
}

/*
 * One TXT record is a sequence of character-strings (RFC 1035 3.3.14);
 * ares_parse_txt_ext() returns them in order with record_start set on
 * the first of each record.  They are joined without separator, the
 * reading of RFC 8461 3.1 and RFC 7208 3.3.  Records over the caps are
 * counted, not kept.
 */
static void
txt_collect(struct resolver_txt *res, const struct ares_txt_ext *t)
{
	int	 keep = 0;

	for (; t != NULL; t = t->next) {
		if (t->record_start) {
			keep = res->ntxt < RESOLVER_TXT_MAX;
			if (keep) {
				res->txt[res->ntxt] = xcalloc(1, 1);
				res->len[res->ntxt++] = 0;
			} else
				res->dropped++;
		}
		if (!keep || res->ntxt == 0)
			continue;
		if (res->len[res->ntxt - 1] + t->length > RESOLVER_TXT_LEN) {
			/* too long to be one of ours: drop it, say so */
			free(res->txt[--res->ntxt]);
			res->txt[res->ntxt] = NULL;
			res->dropped++;
			keep = 0;
			continue;
		}
		{
			size_t	 n = res->len[res->ntxt - 1];
			char	*p = xreallocarray(res->txt[res->ntxt - 1], 1, n + t->length + 1);

			memcpy(p + n, t->txt, t->length);
			p[n + t->length] = '\0';
			res->txt[res->ntxt - 1] = p;
			res->len[res->ntxt - 1] = n + t->length;
		}
	}
}

static void
resolver_txt_answer_cb(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct rr_lookup	*rl = arg;
	struct resolver_txt	 res;
	struct ares_txt_ext	*txt = NULL;
	size_t			 i;

	memset(&res, 0, sizeof(res));
	if (status == ARES_SUCCESS) {
		if ((status = ares_parse_txt_reply_ext(abuf, alen, &txt)) ==
		    ARES_SUCCESS)
			txt_collect(&res, txt);
		if (txt != NULL)
			ares_free_data(txt);
	}
	rr_status(status, "malformed TXT answer", &res.rcode, &res.error,
	    &res.transient);
	rl->r->nrr--;
	rl->txt_cb(&res, rl->arg);
	for (i = 0; i < res.ntxt; i++)
		free(res.txt[i]);
	free(rl);
}

/*
 * resolver_lookup_txt - see resolver.h.  The callback runs from c-ares's
 * (so from the loop), or from resolver_free()/resolver_cancel() with an
 * error; c-ares calls it from inside ares_query() only for a name it
 * cannot encode, which callers avoid by passing names they built.
 */
void
resolver_lookup_txt(struct resolver *r, const char *name, resolver_txt_cb cb,
    void *arg)
{
	rr_issue(r, name, T_TXT, resolver_txt_answer_cb, cb, NULL, arg);
}

/* ---- SRV ----------------------------------------------------------------- */

/*
 * a target name we will connect to: a host name (RFC 1123 2.1), or the
 * root ("." or, as c-ares spells it, "")
 */
static int
srv_target_ok(const char *t)
{
	size_t	 len = strlen(t), lab = 0;

	if (len == 0 || strcmp(t, ".") == 0)
		return 1;
	if (len == 0 || len > 253)
		return 0;
	for (; *t != '\0'; t++) {
		if (*t == '.') {
			if (lab == 0)
				return 0;
			lab = 0;
		} else if (isalnum((unsigned char)*t) || *t == '-' || *t == '_') {
			if (++lab > 63)
				return 0;
		} else
			return 0;
	}
	return 1;
}

static int
srv_cmp(const void *a, const void *b)
{
	const struct resolver_srv_rec	*x = a, *y = b;

	/* RFC 2782: lowest priority first; among equals, heaviest first */
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->target, y->target);
}

static void
resolver_srv_answer_cb(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct rr_lookup	*rl = arg;
	struct resolver_srv	 res;
	struct ares_srv_reply	*srv = NULL, *p;
	size_t			 i;

	memset(&res, 0, sizeof(res));
	if (status == ARES_SUCCESS) {
		if ((status = ares_parse_srv_reply(abuf, alen, &srv)) ==
		    ARES_SUCCESS)
			for (p = srv; p != NULL; p = p->next) {
				struct resolver_srv_rec	*rec;

				/* a service on port 0 cannot be reached */
				if (!srv_target_ok(p->host) || (p->port == 0 &&
				    *p->host != '\0' && strcmp(p->host, ".") != 0)) {
					res.bad++;
					continue;
				}
				if (res.nsrv == RESOLVER_SRV_MAX) {
					res.dropped++;
					continue;
				}
				rec = &res.srv[res.nsrv++];
				rec->priority = p->priority;
				rec->weight = p->weight;
				rec->port = p->port;
				rec->target = xstrdup(*p->host == '\0' ? "." :
				    p->host);
			}
		if (srv != NULL)
			ares_free_data(srv);
	}
	qsort(res.srv, res.nsrv, sizeof(res.srv[0]), srv_cmp);
	rr_status(status, "malformed SRV answer", &res.rcode, &res.error,
	    &res.transient);
	rl->r->nrr--;
	rl->srv_cb(&res, rl->arg);
	for (i = 0; i < res.nsrv; i++)
		free(res.srv[i].target);
	free(rl);
}

/* resolver_lookup_srv - see resolver.h; called back as resolver_lookup_txt() */
void
resolver_lookup_srv(struct resolver *r, const char *name, resolver_srv_cb cb,
    void *arg)
{
	rr_issue(r, name, T_SRV, resolver_srv_answer_cb, NULL, cb, arg);
}
