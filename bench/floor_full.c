/* SPDX-License-Identifier: ISC */
/*
 * floor_full - the least a client can do and still do smtpprobe's default
 * work per domain on the loopback fleet.  It is a measuring stick for
 * issue 11's CPU and rate targets, never a probe: no library, no record
 * worth the name, no TLS (the fleet refuses STARTTLS), fixed buffers.
 *
 * Per domain, like `smtpprobe --no-mta-sts':
 *   DNS (one UDP socket, hand-built queries, answers matched by ID):
 *     MX of the domain; then A, AAAA and TLSA (_25._tcp.MX) of the first
 *     MX host; PTR of its address once the A answer is in.  The session
 *     starts when A and AAAA are answered (TLSA and PTR run beside it).
 *   SMTP: banner, EHLO, STARTTLS where EHLO offers it (the fleet answers
 *     454), VRFY postmaster, a second VRFY of a made-up user where the
 *     first got 252 (smtpprobe's control), EXPN, TURN, QUIT, then it waits
 *     for the server to close.
 *   A one-line record per domain on stdout (buffered).
 * Admission as in smtpprobe's scan.c: -c sessions at most, -D domains in
 * DNS at most (default c/3), at most c resolved domains waiting for a slot.
 *
 *   floor_full -s 127.0.0.1:5354 -f domains.txt [-c 1000] [-D N] [-t MS]
 *
 * Prints a line per domain, then one JSON line (rate, CPU per host, the
 * mean time of a whole session from connect() to the server's close)
 * last on stdout; exit 0 iff every domain got its whole session and all five
 * answers.
 *
 * Build: make -C bench floor_full (cc -O2, no library).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { Q_MX, Q_A, Q_AAAA, Q_TLSA, Q_PTR, NQ };
static const uint16_t qtypes[NQ] = { 15, 1, 28, 52, 12 };

/* session steps, in order; some are skipped */
enum { S_BANNER, S_EHLO, S_STARTTLS, S_VRFY, S_VRFY2, S_EXPN, S_TURN,
	S_QUIT, S_EOF, S_DONE };
static const char *cmds[] = {
	NULL, "EHLO floor.fleet.test\r\n", "STARTTLS\r\n",
	"VRFY postmaster\r\n", "VRFY floor-control-7q2x\r\n",
	"EXPN postmaster\r\n", "TURN\r\n", "QUIT\r\n", NULL, NULL
};

struct tgt {
	int		 used, fd, step, len, dns_left, need_addr, starttls;
	int		 codes[S_DONE], failed, in_dns, queued;
	struct in_addr	 addr;
	struct tgt	*next;			/* queue, or the free list */
	double		 admitted, start;
	char		 name[256], mx[256];
	char		 buf[2048];
};

static int		 ep, dns_fd;
static struct tgt	*T;
static size_t		 ntgt;
static int32_t		 idmap[65536];		/* id -> target * NQ + qtype, -1 */
static uint16_t		 nextid;
static long		 nqueries, nanswers;

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a name in wire format; 0 on a name that does not fit */
static size_t
put_name(unsigned char *p, size_t cap, const char *name)
{
	size_t	 n = 0;

	while (*name != '\0') {
		const char	*dot = strchr(name, '.');
		size_t		 l = dot ? (size_t)(dot - name) : strlen(name);

		if (l == 0 || l > 63 || n + l + 2 > cap)
			return 0;
		p[n++] = (unsigned char)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot != NULL);
	}
	p[n++] = 0;
	return n;
}

static int
send_query(size_t ti, int q, const char *name)
{
	unsigned char	 pkt[512];
	size_t		 n;
	int		 tries;

	for (tries = 0; idmap[nextid] != -1 && tries < 65536; tries++)
		nextid++;
	if (tries == 65536)
		return -1;
	memset(pkt, 0, 12);
	pkt[0] = nextid >> 8;
	pkt[1] = nextid & 0xff;
	pkt[2] = 0x01;				/* RD */
	pkt[5] = 1;				/* QDCOUNT */
	if ((n = put_name(pkt + 12, sizeof(pkt) - 16, name)) == 0)
		return -1;
	n += 12;
	pkt[n++] = qtypes[q] >> 8;
	pkt[n++] = qtypes[q] & 0xff;
	pkt[n++] = 0;
	pkt[n++] = 1;				/* IN */
	if (send(dns_fd, pkt, n, 0) != (ssize_t)n)
		return -1;
	idmap[nextid++] = (int32_t)(ti * NQ + (size_t)q);
	T[ti].dns_left++;
	nqueries++;
	return 0;
}

/* skip a (possibly compressed) name; returns the offset after it or 0 */
static size_t
skip_name(const unsigned char *m, size_t len, size_t off)
{
	while (off < len) {
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (m[off] == 0)
			return off + 1;
		off += 1 + (size_t)m[off];
	}
	return 0;
}

/* expand a name into out (dotted, no final dot); 0 on error */
static int
get_name(const unsigned char *m, size_t len, size_t off, char *out, size_t cap)
{
	size_t	 o = 0;
	int	 hops = 0;

	while (off < len && hops < 32) {
		if ((m[off] & 0xc0) == 0xc0) {
			if (off + 1 >= len)
				return 0;
			off = ((size_t)(m[off] & 0x3f) << 8) | m[off + 1];
			hops++;
			continue;
		}
		if (m[off] == 0) {
			if (o > 0)
				o--;			/* the last dot */
			out[o] = '\0';
			return 1;
		}
		if (off + 1 + m[off] > len || o + m[off] + 2 > cap)
			return 0;
		memcpy(out + o, m + off + 1, m[off]);
		o += m[off];
		out[o++] = '.';
		off += 1 + (size_t)m[off];
	}
	return 0;
}

static void	session_start(size_t);
static void	target_check(size_t);

static size_t	 conc = 1000, dns_budget, nactive, nsessions, nindns,
		 nqueued;
static struct tgt *qhead, *qtail, *freelist;

static void
dns_answer(const unsigned char *m, size_t len)
{
	int32_t		 v;
	size_t		 ti, off, an, i;
	int		 q, rcode;
	struct tgt	*t;

	if (len < 12)
		return;
	v = idmap[(m[0] << 8) | m[1]];
	if (v < 0)
		return;
	idmap[(m[0] << 8) | m[1]] = -1;
	ti = (size_t)v / NQ;
	q = v % NQ;
	t = &T[ti];
	t->dns_left--;
	nanswers++;
	rcode = m[3] & 0x0f;
	an = ((size_t)m[6] << 8) | m[7];
	off = skip_name(m, len, 12);
	if (off == 0 || off + 4 > len)
		rcode = -1;
	off += 4;
	for (i = 0; rcode == 0 && i < an; i++) {
		uint16_t	 type, rdlen;

		if ((off = skip_name(m, len, off)) == 0 || off + 10 > len)
			break;
		type = (uint16_t)((m[off] << 8) | m[off + 1]);
		rdlen = (uint16_t)((m[off + 8] << 8) | m[off + 9]);
		off += 10;
		if (off + rdlen > len)
			break;
		if (q == Q_MX && type == 15 && t->mx[0] == '\0')
			(void)get_name(m, len, off + 2, t->mx, sizeof(t->mx));
		if (q == Q_A && type == 1 && rdlen == 4 && t->addr.s_addr == 0)
			memcpy(&t->addr, m + off, 4);
		off += rdlen;
	}
	if (q == Q_MX) {
		char	 tlsa[300];

		if (t->mx[0] == '\0') {
			t->failed = 1;
			t->in_dns = 0;
			nindns--;
			target_check(ti);
			return;
		}
		snprintf(tlsa, sizeof(tlsa), "_25._tcp.%s", t->mx);
		t->need_addr = 2;
		if (send_query(ti, Q_A, t->mx) == -1 ||
		    send_query(ti, Q_AAAA, t->mx) == -1 ||
		    send_query(ti, Q_TLSA, tlsa) == -1)
			t->failed = 1;
		return;
	}
	if (q == Q_A && t->addr.s_addr != 0) {
		char			 ptr[64];
		const unsigned char	*b = (const unsigned char *)&t->addr;

		snprintf(ptr, sizeof(ptr), "%u.%u.%u.%u.in-addr.arpa",
		    b[3], b[2], b[1], b[0]);
		if (send_query(ti, Q_PTR, ptr) == -1)
			t->failed = 1;
	}
	if ((q == Q_A || q == Q_AAAA) && --t->need_addr == 0) {
		t->in_dns = 0;
		nindns--;
		if (t->addr.s_addr == 0) {
			t->failed = 1;
			target_check(ti);
			return;
		}
		t->next = NULL;
		t->queued = 1;
		if (qtail)
			qtail->next = t;
		else
			qhead = t;
		qtail = t;
		nqueued++;
		return;
	}
	target_check(ti);
}

static long	 done, ok;
static double	 session_s;			/* sum of whole sessions' time */
static FILE	*input;
static int	 input_done;

/* a target with its session over and every answer in gets its record */
static void
target_check(size_t ti)
{
	struct tgt	*t = &T[ti];

	if (t->dns_left > 0 || t->in_dns || t->fd != -1 ||
	    (t->step != S_DONE && !t->failed))
		return;
	printf("%s %s %s %d %d %d %d %d %d\n", t->name, t->mx,
	    inet_ntoa(t->addr), t->codes[S_BANNER], t->codes[S_EHLO],
	    t->codes[S_VRFY], t->codes[S_EXPN], t->codes[S_TURN],
	    t->codes[S_QUIT]);
	if (!t->failed && t->step == S_DONE)
		ok++;
	done++;
	t->used = 0;
	t->next = freelist;
	freelist = t;
	nactive--;
}

static void
admit(void)
{
	char	 line[sizeof(T->name)];
	size_t	 i;

	while (!input_done && nindns < dns_budget && nactive < ntgt &&
	    nqueued < conc) {
		if (fgets(line, sizeof(line), input) == NULL) {
			input_done = 1;
			break;
		}
		line[strcspn(line, "\r\n \t")] = '\0';
		if (line[0] == '\0')
			continue;
		i = (size_t)(freelist - T);
		freelist = freelist->next;
		memset(&T[i], 0, offsetof(struct tgt, buf));
		T[i].used = 1;
		T[i].fd = -1;
		T[i].in_dns = 1;
		T[i].admitted = now();
		snprintf(T[i].name, sizeof(T[i].name), "%s", line);
		nactive++;
		nindns++;
		if (send_query(i, Q_MX, T[i].name) == -1) {
			T[i].failed = 1;
			T[i].in_dns = 0;
			nindns--;
			target_check(i);
		}
	}
	while (qhead != NULL && nsessions < conc) {
		struct tgt	*t = qhead;

		if ((qhead = t->next) == NULL)
			qtail = NULL;
		nqueued--;
		t->queued = 0;
		session_start((size_t)(t - T));
	}
}

static void
session_end(size_t ti, int failed)
{
	struct tgt	*t = &T[ti];

	close(t->fd);
	t->fd = -1;
	t->failed |= failed;
	nsessions--;
	target_check(ti);
}

static void
session_start(size_t ti)
{
	struct tgt		*t = &T[ti];
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(25);
	sin.sin_addr = t->addr;
	t->start = now();
	nsessions++;
	if ((t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1) {
		nsessions--;
		t->failed = 1;
		target_check(ti);
		return;
	}
	if (connect(t->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS) {
		session_end(ti, 1);
		return;
	}
	ev.events = EPOLLIN;
	ev.data.u64 = ti;
	epoll_ctl(ep, EPOLL_CTL_ADD, t->fd, &ev);
}

static int
next_step(struct tgt *t, int code)
{
	switch (t->step) {
	case S_BANNER:
		return code == 220 ? S_EHLO : -1;
	case S_EHLO:
		if (code != 250)
			return -1;
		return t->starttls ? S_STARTTLS : S_VRFY;
	case S_STARTTLS:
		return S_VRFY;
	case S_VRFY:
		return code == 252 ? S_VRFY2 : S_EXPN;
	case S_VRFY2:
		return S_EXPN;
	case S_EXPN:
		return S_TURN;
	case S_TURN:
		return S_QUIT;
	case S_QUIT:
		return code == 221 ? S_EOF : -1;
	}
	return -1;
}

static void
session_read(size_t ti)
{
	struct tgt	*t = &T[ti];
	ssize_t		 r;

	r = recv(t->fd, t->buf + t->len, sizeof(t->buf) - 1 - (size_t)t->len, 0);
	if (r == -1 && errno == EAGAIN)
		return;
	if (r <= 0) {
		if (r == 0 && t->step == S_EOF) {
			t->step = S_DONE;
			session_s += now() - t->start;
			session_end(ti, 0);
		} else
			session_end(ti, 1);
		return;
	}
	t->len += (int)r;
	t->buf[t->len] = '\0';
	for (;;) {
		char	*p = t->buf, *eol, *fin = NULL;
		int	 code, step;

		/* a reply ends with a line "NNN text" (no hyphen) */
		while ((eol = strstr(p, "\r\n")) != NULL) {
			if (t->step == S_EHLO && eol - p >= 12 &&
			    strncmp(p + 4, "STARTTLS", 8) == 0)
				t->starttls = 1;
			if (eol - p >= 3 && (eol - p == 3 || p[3] == ' ')) {
				fin = eol + 2;
				break;
			}
			p = eol + 2;
		}
		if (fin == NULL) {
			if (t->len == (int)sizeof(t->buf) - 1)
				session_end(ti, 1);
			return;
		}
		code = atoi(p);
		t->codes[t->step] = code;
		t->len -= (int)(fin - t->buf);
		memmove(t->buf, fin, (size_t)t->len + 1);
		if ((step = next_step(t, code)) == -1) {
			session_end(ti, 1);
			return;
		}
		t->step = step;
		if (cmds[step] != NULL && send(t->fd, cmds[step],
		    strlen(cmds[step]), MSG_NOSIGNAL) == -1) {
			session_end(ti, 1);
			return;
		}
		if (step == S_EOF)
			return;
	}
}

int
main(int argc, char **argv)
{
	const char		*server = "127.0.0.1:5354", *file = NULL;
	struct sockaddr_in	 sin;
	struct epoll_event	 ev, evs[512];
	struct rlimit		 rl;
	struct rusage		 ru;
	char			 host[64], *colon;
	int			 opt, rbuf = 4 << 20, timeout_ms = 10000;
	double			 t0, wall, us, ss, last_sweep;
	size_t			 i, j;

	while ((opt = getopt(argc, argv, "s:f:c:D:t:")) != -1) {
		switch (opt) {
		case 's': server = optarg; break;
		case 'f': file = optarg; break;
		case 'c': conc = (size_t)atol(optarg); break;
		case 'D': dns_budget = (size_t)atol(optarg); break;
		case 't': timeout_ms = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: floor_full -s IP:PORT -f FILE "
			    "[-c N] [-D N] [-t MS]\n");
			return 2;
		}
	}
	if (file == NULL || conc < 1 || conc > 20000 ||
	    (input = fopen(file, "r")) == NULL) {
		fprintf(stderr, "floor_full: -f FILE (readable), -c 1..20000\n");
		return 2;
	}
	if (dns_budget == 0)
		dns_budget = conc / 3 > 0 ? conc / 3 : 1;
	snprintf(host, sizeof(host), "%s", server);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if ((colon = strchr(host, ':')) == NULL) {
		sin.sin_port = htons(53);
	} else {
		*colon = '\0';
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
	}
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "floor_full: -s %s: not IPv4[:port]\n", server);
		return 2;
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	setvbuf(stdout, NULL, _IOFBF, 256 << 10);
	memset(idmap, 0xff, sizeof(idmap));
	ntgt = 2 * conc + dns_budget;
	if ((T = calloc(ntgt, sizeof(*T))) == NULL)
		return 2;
	for (i = ntgt; i-- > 0; ) {
		T[i].next = freelist;
		freelist = &T[i];
	}
	ep = epoll_create1(0);
	dns_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	/* as smtpprobe's resolver: 4 MiB forced (root), or what the kernel allows */
	if (setsockopt(dns_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rbuf,
	    sizeof(rbuf)) == -1)
		(void)setsockopt(dns_fd, SOL_SOCKET, SO_RCVBUF, &rbuf,
		    sizeof(rbuf));
	if (connect(dns_fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("floor_full: connect");
		return 2;
	}
	ev.events = EPOLLIN;
	ev.data.u64 = UINT64_MAX;
	epoll_ctl(ep, EPOLL_CTL_ADD, dns_fd, &ev);

	t0 = last_sweep = now();
	admit();
	while (nactive > 0 || !input_done) {
		int	 n, k;

		n = epoll_wait(ep, evs, 512, 100);
		for (k = 0; k < n; k++) {
			if (evs[k].data.u64 == UINT64_MAX) {
				unsigned char	 m[4096];
				ssize_t		 r;

				while ((r = recv(dns_fd, m, sizeof(m), 0)) > 0)
					dns_answer(m, (size_t)r);
			} else if (T[evs[k].data.u64].fd != -1)
				session_read((size_t)evs[k].data.u64);
		}
		if (now() - last_sweep > 0.1) {
			/* deadlines: a session or lookup older than -t fails */
			double	 t = now(), lim = timeout_ms / 1000.0;

			last_sweep = t;
			for (i = 0; i < ntgt; i++) {
				struct tgt	*x = &T[i];

				if (!x->used || x->queued)
					continue;
				if (x->fd != -1 && t - x->start > lim)
					session_end(i, 1);
				else if (x->fd == -1 && t - x->admitted > 2 * lim) {
					/* lost answers */
					for (j = 0; j < 65536; j++)
						if (idmap[j] >= 0 &&
						    (size_t)idmap[j] / NQ == i)
							idmap[j] = -1;
					x->dns_left = 0;
					if (x->in_dns)
						nindns--;
					x->in_dns = 0;
					x->failed = 1;
					target_check(i);
				}
			}
		}
		admit();
	}
	fflush(stdout);
	wall = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	us = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	ss = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("{\"tool\":\"floor_full\",\"concurrency\":%zu,"
	    "\"dns_budget\":%zu,\"attempted\":%ld,\"ok\":%ld,\"queries\":%ld,"
	    "\"answers\":%ld,\"wall_s\":%.4f,\"user_s\":%.4f,\"sys_s\":%.4f,"
	    "\"hosts_per_s\":%.1f,\"cpu_s_per_1000\":%.4f,\"session_ms\":%.1f,"
	    "\"maxrss_kb\":%ld}\n",
	    conc, dns_budget, done, ok, nqueries, nanswers, wall, us, ss,
	    ok / wall, done ? (us + ss) / done * 1000 : 0,
	    ok ? session_s / ok * 1000 : 0, ru.ru_maxrss);
	fflush(stdout);
	return ok == done && input_done && nactive == 0 ? 0 : 1;
}
