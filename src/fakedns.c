/* SPDX-License-Identifier: ISC */
/*
 * fakedns - a tiny authoritative DNS responder on the event loop (see
 * fakedns.h).  RFC 1035: message format (4.1), names (3.1, 4.1.4: we
 * never read compression pointers in the question and only write one,
 * to the question name), TCP framing (4.2.2); RFC 2308 NODATA and
 * NXDOMAIN; RFC 7505 null MX is just "MX 0 .".  EDNS (RFC 6891) is not
 * spoken: an OPT record in the query is ignored and the answer carries
 * none, which is what a responder without EDNS does.
 *
 * Queries are parsed defensively (the fuzz tests feed random bytes):
 * everything is bounds-checked and anything odd is dropped.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fakedns.h"
#include "log.h"
#include "loop.h"
#include "util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* the program ignores SIGPIPE */
#endif


#define DNS_HDR_LEN	12
#define DNS_UDP_MAX	512
#define DNS_TCP_MAX	65535
#define DNS_NAME_MAX	255	/* wire octets, RFC 1035 3.1 */
#define DNS_TTL		300
#define DNS_CHAIN_MAX	8
#define DNS_UDP_BURST	64
#define DNS_TCP_IDLE_MS	10000

#define T_A		1
#define T_NS		2
#define T_CNAME		5
#define T_PTR		12
#define T_MX		15
#define T_TXT		16
#define T_SRV		33
#define T_AAAA		28
#define T_TLSA		52
#define T_ANY		255
#define C_IN		1
#define C_ANY		255

#define R_NOERROR	0
#define R_SERVFAIL	2
#define R_NXDOMAIN	3
#define R_REFUSED	5

/* pseudo-types, never on the wire */
#define P_SERVFAIL	0x10000
#define P_REFUSED	0x10001
#define P_TIMEOUT	0x10002
#define P_TRUNCATE	0x10003
#define P_SECURE	0x10004	/* set AD: "validated" (RFC 4035 3.2.3) */
#define P_DELAY		0x10005	/* answer over UDP this many ms later */

static const struct {
	const char	*name;
	unsigned	 type;
} fakedns_types[] = {
	{ "A", T_A }, { "NS", T_NS }, { "CNAME", T_CNAME }, { "PTR", T_PTR },
	{ "MX", T_MX }, { "TXT", T_TXT }, { "AAAA", T_AAAA }, { "TLSA", T_TLSA },
	{ "SRV", T_SRV },
	{ "SERVFAIL", P_SERVFAIL }, { "REFUSED", P_REFUSED },
	{ "TIMEOUT", P_TIMEOUT }, { "TRUNCATE", P_TRUNCATE },
	{ "SECURE", P_SECURE }, { "DELAY", P_DELAY },
};

struct fakedns_rr {
	char		*name;		/* canonical: lower case, no final dot */
	uint8_t		 wire[DNS_NAME_MAX];	/* name, wire form */
	size_t		 wirelen;
	unsigned	 type;
	uint8_t		*rdata;
	size_t		 rdlen;
	char		*target;	/* CNAME: canonical target */
	unsigned	 delay_ms;	/* DELAY */
};

/* a UDP answer held back by DELAY */
struct fakedns_later {
	struct fakedns		*dns;
	struct fakedns_later	*prev, *next;
	struct loop_timer	 timer;
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	size_t			 len;
	uint8_t			 msg[];
};

struct fakedns_tcp {
	struct fakedns		*dns;
	struct fakedns_tcp	*prev, *next;
	int			 fd;
	struct loop_io		 io;
	struct loop_timer	 idle;
	struct buf		 in;
	struct buf		 out;
	int			 eof;
};

struct fakedns {
	struct loop		*loop;
	int			 ufd, tfd;
	uint16_t		 port;
	struct loop_io		 uio, tio;
	struct fakedns_rr	*rrs;
	size_t			 nrrs;
	struct fakedns_tcp	*conns;
	unsigned long		 queries;
	unsigned long		 tlsa_queries;
	unsigned		 delay_ms;	/* of the last query built */
	struct fakedns_later	*later;		/* answers held back */
	uint8_t			 rbuf[DNS_TCP_MAX + 2];
	uint8_t			 wbuf[DNS_TCP_MAX + 2];
};

/* ---- names ---------------------------------------------------------------- */

/*
 * Canonical form of a presentation name: lower case, no final dot, the
 * root is "".  Returns NULL if a label is empty or too long.
 */
static char *
fakedns_canon(const char *name, uint8_t *wire, size_t *wirelen)
{
	size_t	 n = strlen(name), i, lab = 0, w = 1;
	char	*c;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > 253)
		return NULL;
	c = xstrndup(name, n);
	for (i = 0; i < n; i++) {
		c[i] = (char)tolower((unsigned char)c[i]);
		if (c[i] == '.') {
			if (lab == 0)
				goto bad;
			wire[w - lab - 1] = (uint8_t)lab;
			lab = 0;
			w++;
			continue;
		}
		if (++lab > 63)
			goto bad;
		wire[w++] = (uint8_t)c[i];
	}
	if (n > 0) {
		if (lab == 0)
			goto bad;
		wire[w - lab - 1] = (uint8_t)lab;
		w++;
	}
	wire[w - 1] = 0;
	*wirelen = w;
	return c;
bad:
	free(c);
	return NULL;
}

/* does canonical name exist in the table, itself or with names below it? */
static int
fakedns_exists(const struct fakedns *dns, const char *name)
{
	size_t	 i, n = strlen(name), m;

	for (i = 0; i < dns->nrrs; i++) {
		const char	*rn = dns->rrs[i].name;

		if (strcmp(rn, name) == 0 || n == 0)
			return 1;
		m = strlen(rn);
		if (m > n && rn[m - n - 1] == '.' && strcmp(rn + m - n, name) == 0)
			return 1;
	}
	return 0;
}

/* ---- the table ------------------------------------------------------------ */

static int
fakedns_txt(const char *s, struct buf *b)
{
	uint8_t	 len;
	size_t	 n;

	if (*s != '"') {
		n = strlen(s);
		do {	/* one or more strings of at most 255 octets */
			len = (uint8_t)(n > 255 ? 255 : n);
			buf_append(b, &len, 1);
			buf_append(b, s, len);
			s += len;
			n -= len;
		} while (n > 0);
		return 0;
	}
	while (*s == '"') {
		size_t	 at = b->len;

		buf_append(b, "", 1);	/* length, patched below */
		for (s++, n = 0; *s != '"'; s++, n++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			if (*s == '\0' || n == 255)
				return -1;
			buf_append(b, s, 1);
		}
		b->data[at] = (char)(uint8_t)n;
		s++;
		s += strspn(s, " \t");
	}
	return *s == '\0' ? 0 : -1;
}

/*
 * fakedns_add - add one record (or pseudo-type) for name
 *
 * Returns 0, or -1 with errno EINVAL.
 */
int
fakedns_add(struct fakedns *dns, const char *name, const char *type,
    const char *rdata)
{
	struct fakedns_rr	 rr;
	struct buf		 b = { 0 };
	uint8_t			 tw[DNS_NAME_MAX];
	size_t			 i, twlen;
	char			*t = NULL, *end;
	unsigned long		 pref;

	memset(&rr, 0, sizeof(rr));
	for (i = 0; i < nitems(fakedns_types); i++)
		if (strcasecmp(type, fakedns_types[i].name) == 0)
			break;
	if (i == nitems(fakedns_types))
		goto bad;
	rr.type = fakedns_types[i].type;
	if ((rr.name = fakedns_canon(name, rr.wire, &rr.wirelen)) == NULL)
		goto bad;
	if (rdata == NULL)
		rdata = "";
	rdata += strspn(rdata, " \t");

	switch (rr.type) {
	case T_A:
	case T_AAAA: {
		uint8_t	 a[16];

		if (inet_pton(rr.type == T_A ? AF_INET : AF_INET6, rdata, a) != 1)
			goto bad;
		buf_append(&b, a, rr.type == T_A ? 4 : 16);
		break;
	}
	case T_MX:
	case T_SRV:
		/*
		 * MX: "PREF HOST"; SRV: "PRIORITY WEIGHT PORT TARGET"
		 * (RFC 2782), each number 16 bits
		 */
		for (i = 0; i < (rr.type == T_SRV ? 3u : 1u); i++) {
			uint8_t	 p[2];

			if (!isdigit((unsigned char)*rdata))
				goto bad;
			errno = 0;
			pref = strtoul(rdata, &end, 10);
			if (errno != 0 || pref > 65535 ||
			    (*end != ' ' && *end != '\t'))
				goto bad;
			rdata = end + strspn(end, " \t");
			p[0] = (uint8_t)(pref >> 8);
			p[1] = (uint8_t)pref;
			buf_append(&b, p, 2);
		}
		/* FALLTHROUGH */
	case T_NS:
	case T_CNAME:
	case T_PTR:
		if (*rdata == '\0' || strpbrk(rdata, " \t") != NULL)
			goto bad;
		if ((t = fakedns_canon(rdata, tw, &twlen)) == NULL)
			goto bad;
		buf_append(&b, tw, twlen);
		if (rr.type == T_CNAME) {
			rr.target = t;
			t = NULL;
		}
		break;
	case T_TXT:
		if (fakedns_txt(rdata, &b) == -1)
			goto bad;
		break;
	case T_TLSA: {
		/* "3 1 1 <hex>" (RFC 6698 2.2 presentation form) */
		unsigned long	 f[3];
		int		 k;

		for (k = 0; k < 3; k++) {
			if (!isdigit((unsigned char)*rdata))
				goto bad;
			f[k] = strtoul(rdata, &end, 10);
			if (f[k] > 255 || (*end != ' ' && *end != '\t'))
				goto bad;
			rdata = end + strspn(end, " \t");
		}
		for (k = 0; k < 3; k++) {
			uint8_t	 v = (uint8_t)f[k];

			buf_append(&b, &v, 1);
		}
		while (isxdigit((unsigned char)rdata[0]) &&
		    isxdigit((unsigned char)rdata[1])) {
			char	 hx[3] = { rdata[0], rdata[1], '\0' };
			uint8_t	 v = (uint8_t)strtoul(hx, NULL, 16);

			buf_append(&b, &v, 1);
			rdata += 2;
		}
		if (*rdata != '\0')
			goto bad;
		break;
	}
	case P_DELAY:
		if (!isdigit((unsigned char)*rdata))
			goto bad;
		errno = 0;
		pref = strtoul(rdata, &end, 10);
		if (errno != 0 || *end != '\0' || pref > 60000)
			goto bad;
		rr.delay_ms = (unsigned)pref;
		break;
	default:	/* pseudo-types take no data */
		if (*rdata != '\0')
			goto bad;
		break;
	}
	free(t);
	rr.rdata = (uint8_t *)b.data;
	rr.rdlen = b.len;
	if (rr.rdlen > 65535)
		goto bad;
	dns->rrs = xreallocarray(dns->rrs, dns->nrrs + 1, sizeof(*dns->rrs));
	dns->rrs[dns->nrrs++] = rr;
	return 0;
bad:
	free(t);
	free(rr.name);
	free(rr.target);
	buf_free(&b);
	errno = EINVAL;
	return -1;
}

/*
 * fakedns_load - add the records of zone-like text
 *
 * Returns 0, or -1 with "line N: reason" in err.
 */
int
fakedns_load(struct fakedns *dns, const char *text, char *err, size_t errlen)
{
	const char	*p = text, *nl;
	unsigned	 lineno = 0;

	while (*p != '\0') {
		char	*line, *name, *type, *rdata, *e;
		size_t	 n;

		lineno++;
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		line = xstrndup(p, n);
		p += n + (nl != NULL);
		for (e = line + n; e > line && isspace((unsigned char)e[-1]); )
			*--e = '\0';
		name = line + strspn(line, " \t");
		if (*name == '\0' || *name == '#' || *name == ';') {
			free(line);
			continue;
		}
		type = name + strcspn(name, " \t");
		if (*type != '\0')
			*type++ = '\0';
		type += strspn(type, " \t");
		rdata = type + strcspn(type, " \t");
		if (*rdata != '\0')
			*rdata++ = '\0';
		if (*type == '\0') {
			snprintf(err, errlen, "line %u: missing type", lineno);
			free(line);
			return -1;
		}
		if (fakedns_add(dns, name, type, rdata) == -1) {
			snprintf(err, errlen, "line %u: bad record \"%s %s %s\"",
			    lineno, name, type, rdata);
			free(line);
			return -1;
		}
		free(line);
	}
	return 0;
}

/* ---- answering ------------------------------------------------------------- */

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* pseudo-type flags of a canonical name */
static unsigned
fakedns_pseudo(const struct fakedns *dns, const char *name)
{
	unsigned	 f = 0;
	size_t		 i;

	for (i = 0; i < dns->nrrs; i++)
		if (dns->rrs[i].type >= P_SERVFAIL &&
		    strcmp(dns->rrs[i].name, name) == 0)
			f |= 1u << (dns->rrs[i].type - P_SERVFAIL);
	return f;
}
#define PF(p)	(1u << ((p) - P_SERVFAIL))

/* DELAY of a canonical name: its own, else that of "*" (every name) */
static unsigned
fakedns_delay(const struct fakedns *dns, const char *name)
{
	unsigned	 any = 0;
	size_t		 i;

	for (i = 0; i < dns->nrrs; i++) {
		if (dns->rrs[i].type != P_DELAY)
			continue;
		if (strcmp(dns->rrs[i].name, name) == 0)
			return dns->rrs[i].delay_ms;
		if (strcmp(dns->rrs[i].name, "*") == 0)
			any = dns->rrs[i].delay_ms;
	}
	return any;
}

/* append one RR; owner NULL: a pointer to the question name */
static int
fakedns_put_rr(uint8_t *out, size_t *len, size_t max,
    const struct fakedns_rr *owner, const struct fakedns_rr *rr)
{
	size_t	 need = (owner ? owner->wirelen : 2) + 10 + rr->rdlen, at = *len;

	if (at + need > max)
		return -1;
	if (owner != NULL) {
		memcpy(out + at, owner->wire, owner->wirelen);
		at += owner->wirelen;
	} else {
		put16(out + at, 0xc000 | DNS_HDR_LEN);
		at += 2;
	}
	put16(out + at, rr->type);
	put16(out + at + 2, C_IN);
	put16(out + at + 4, 0);
	put16(out + at + 6, DNS_TTL);
	put16(out + at + 8, (unsigned)rr->rdlen);
	at += 10;
	memcpy(out + at, rr->rdata, rr->rdlen);
	*len = at + rr->rdlen;
	return 0;
}

static size_t
fakedns_build(struct fakedns *dns, const uint8_t *q, size_t qlen, uint8_t *out,
    size_t max, int tcp)
{
	char		 qname[DNS_NAME_MAX + 1];
	const char	*cur;
	const struct fakedns_rr *owner = NULL;
	size_t		 off = DNS_HDR_LEN, nlen = 0, len, i, qend;
	unsigned	 qtype, qclass, flags, rcode = R_NOERROR, ancount = 0;
	int		 hop, tc = 0, ad;

	if (qlen < DNS_HDR_LEN || max < DNS_HDR_LEN)
		return 0;
	if ((q[2] & 0x80) != 0 || (q[2] & 0x78) != 0)	/* QR, or not QUERY */
		return 0;
	if (q[4] != 0 || q[5] != 1)			/* QDCOUNT == 1 */
		return 0;
	for (;;) {
		unsigned	 lab;

		if (off >= qlen)
			return 0;
		lab = q[off++];
		if (lab == 0)
			break;
		if (lab > 63 || off + lab > qlen || nlen + lab + 1 > DNS_NAME_MAX - 1)
			return 0;	/* also refuses compression pointers */
		if (nlen > 0)
			qname[nlen++] = '.';
		for (i = 0; i < lab; i++) {
			int	 ch = q[off + i];

			if (ch == '.' || ch == '\0')
				ch = '?';	/* cannot match a table name */
			qname[nlen++] = (char)tolower(ch);
		}
		off += lab;
	}
	qname[nlen] = '\0';
	if (off + 4 > qlen)
		return 0;
	qtype = (unsigned)q[off] << 8 | q[off + 1];
	qclass = (unsigned)q[off + 2] << 8 | q[off + 3];
	qend = off + 4;
	dns->queries++;
	if (qtype == T_TLSA)
		dns->tlsa_queries++;
	if (qend > max)
		return 0;

	flags = fakedns_pseudo(dns, qname);
	dns->delay_ms = fakedns_delay(dns, qname);
	ad = (flags & PF(P_SECURE)) != 0;
	if (flags & PF(P_TIMEOUT))
		return 0;
	memcpy(out, q, qend);		/* ID, flags (patched below), question */
	len = qend;
	if (qclass != C_IN && qclass != C_ANY)
		rcode = R_REFUSED;
	else if (flags & PF(P_SERVFAIL))
		rcode = R_SERVFAIL;
	else if (flags & PF(P_REFUSED))
		rcode = R_REFUSED;
	else if ((flags & PF(P_TRUNCATE)) && !tcp)
		tc = 1;
	else {
		cur = qname;
		for (hop = 0; ; hop++) {
			const struct fakedns_rr *cname = NULL;
			int			 matched = 0;

			if (hop > 0 && (flags = fakedns_pseudo(dns, cur) &
			    ~PF(P_SECURE)) != 0) {
				if (flags & PF(P_SERVFAIL))
					rcode = R_SERVFAIL;
				else if (flags & PF(P_REFUSED))
					rcode = R_REFUSED;
				if (rcode != R_NOERROR)
					break;
			}
			for (i = 0; i < dns->nrrs && !tc; i++) {
				const struct fakedns_rr *rr = &dns->rrs[i];

				if (rr->type >= P_SERVFAIL || strcmp(rr->name, cur) != 0)
					continue;
				if (rr->type == T_CNAME)
					cname = rr;
				if (rr->type != qtype && qtype != T_ANY)
					continue;
				matched = 1;
				if (fakedns_put_rr(out, &len, max, owner, rr) == -1)
					tc = 1;
				else
					ancount++;
			}
			if (matched || tc)
				break;
			if (cname != NULL && hop < DNS_CHAIN_MAX) {
				if (fakedns_put_rr(out, &len, max, owner, cname) == -1) {
					tc = 1;
					break;
				}
				ancount++;
				cur = cname->target;
				/* the next owner: any RR of the target's name */
				owner = NULL;
				for (i = 0; i < dns->nrrs; i++)
					if (strcmp(dns->rrs[i].name, cur) == 0) {
						owner = &dns->rrs[i];
						break;
					}
				if (owner == NULL) {
					rcode = R_NXDOMAIN;	/* RFC 6604 */
					break;
				}
				continue;
			}
			if (cname == NULL && !fakedns_exists(dns, cur))
				rcode = R_NXDOMAIN;
			break;
		}
	}
	out[2] = (uint8_t)(0x80 | 0x04 | (tc ? 0x02 : 0) | (q[2] & 0x01));
	/* AD only on a NOERROR answer, as a validating resolver sets it */
	out[3] = (uint8_t)(0x80 | (ad && rcode == R_NOERROR ? 0x20 : 0) | rcode);
	put16(out + 4, 1);
	put16(out + 6, ancount);
	put16(out + 8, 0);
	put16(out + 10, 0);
	return len;
}

/*
 * fakedns_answer - build the UDP answer to one query
 *
 * Returns its length, or 0 if nothing must be sent.
 */
size_t
fakedns_answer(struct fakedns *dns, const uint8_t *query, size_t qlen,
    uint8_t *out, size_t outlen)
{
	return fakedns_build(dns, query, qlen, out,
	    outlen > DNS_UDP_MAX ? DNS_UDP_MAX : outlen, 0);
}

/* ---- UDP ------------------------------------------------------------------- */

static void
fakedns_later_free(struct fakedns_later *l)
{
	struct fakedns	*dns = l->dns;

	loop_timer_stop(dns->loop, &l->timer);
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		dns->later = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
	free(l);
}

static void
fakedns_later_cb(struct loop_timer *t, void *arg)
{
	struct fakedns_later	*l = arg;

	(void)sendto(l->dns->ufd, l->msg, l->len, MSG_DONTWAIT,
	    (struct sockaddr *)&l->ss, l->slen);
	fakedns_later_free(l);
}

/* DELAY: send the answer in dns->wbuf dns->delay_ms from now */
static void
fakedns_hold(struct fakedns *dns, size_t alen, const struct sockaddr_storage *ss,
    socklen_t slen)
{
	struct fakedns_later	*l = xcalloc(1, sizeof(*l) + alen);

	l->dns = dns;
	memcpy(l->msg, dns->wbuf, alen);
	l->len = alen;
	memcpy(&l->ss, ss, sizeof(*ss));
	l->slen = slen;
	l->next = dns->later;
	if (dns->later != NULL)
		dns->later->prev = l;
	dns->later = l;
	loop_timer_start(dns->loop, &l->timer, dns->delay_ms, fakedns_later_cb, l);
}

static void
fakedns_udp_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct fakedns		*dns = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	ssize_t			 n;
	size_t			 alen;
	int			 i;

	for (i = 0; i < DNS_UDP_BURST; i++) {
		slen = sizeof(ss);
		n = recvfrom(fd, dns->rbuf, sizeof(dns->rbuf), 0,
		    (struct sockaddr *)&ss, &slen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;		/* EAGAIN, or an ICMP error: drop */
		}
		dns->delay_ms = 0;
		alen = fakedns_build(dns, dns->rbuf, (size_t)n, dns->wbuf,
		    DNS_UDP_MAX, 0);
		if (alen > 0 && dns->delay_ms > 0)
			fakedns_hold(dns, alen, &ss, slen);
		else if (alen > 0)
			(void)sendto(fd, dns->wbuf, alen, MSG_DONTWAIT,
			    (struct sockaddr *)&ss, slen);
	}
}

/* ---- TCP (RFC 1035 4.2.2: two-octet length, then the message) --------------- */

static void	fakedns_tcp_cb(struct loop_io *, int, int, void *);

static void
fakedns_tcp_close(struct fakedns_tcp *c)
{
	struct fakedns	*dns = c->dns;

	loop_io_stop(dns->loop, &c->io);
	loop_timer_stop(dns->loop, &c->idle);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		dns->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c);
}

static void
fakedns_tcp_idle_cb(struct loop_timer *t, void *arg)
{
	fakedns_tcp_close(arg);
}

static void
fakedns_tcp_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct fakedns_tcp	*c = arg;
	struct fakedns		*dns = c->dns;
	ssize_t			 n;
	size_t			 mlen, alen;

	if (revents & LOOP_READ) {
		while (c->in.len < 2 + DNS_TCP_MAX) {
			n = recv(fd, dns->rbuf, sizeof(dns->rbuf), 0);
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0) {
				c->eof = 1;
				break;
			}
			buf_append(&c->in, dns->rbuf, (size_t)n);
		}
		while (c->in.len >= 2) {
			mlen = (size_t)(uint8_t)c->in.data[0] << 8 |
			    (uint8_t)c->in.data[1];
			if (c->in.len < 2 + mlen)
				break;
			alen = fakedns_build(dns, (const uint8_t *)c->in.data + 2,
			    mlen, dns->wbuf + 2, DNS_TCP_MAX, 1);
			buf_consume(&c->in, 2 + mlen);
			if (alen == 0)
				continue;
			put16(dns->wbuf, (unsigned)alen);
			buf_append(&c->out, dns->wbuf, alen + 2);
		}
		loop_timer_start(dns->loop, &c->idle, DNS_TCP_IDLE_MS,
		    fakedns_tcp_idle_cb, c);
	}
	while (c->out.len > 0) {
		n = send(fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1) {
			fakedns_tcp_close(c);
			return;
		}
		buf_consume(&c->out, (size_t)n);
	}
	if ((c->eof && c->out.len == 0) || (revents & LOOP_ERROR)) {
		fakedns_tcp_close(c);
		return;
	}
	if (loop_io_set(dns->loop, &c->io,
	    (c->eof ? 0 : LOOP_READ) | (c->out.len > 0 ? LOOP_WRITE : 0)) == -1)
		fakedns_tcp_close(c);
}

static void
fakedns_accept_cb(struct loop_io *io, int lfd, int revents, void *arg)
{
	struct fakedns		*dns = arg;
	struct fakedns_tcp	*c;
	int			 fd, i;

	for (i = 0; i < 16; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
		    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
			close(fd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->dns = dns;
		c->fd = fd;
		if (loop_io_start(dns->loop, &c->io, fd, LOOP_READ, fakedns_tcp_cb,
		    c) == -1) {
			close(fd);
			free(c);
			continue;
		}
		loop_timer_start(dns->loop, &c->idle, DNS_TCP_IDLE_MS,
		    fakedns_tcp_idle_cb, c);
		c->next = dns->conns;
		if (c->next != NULL)
			c->next->prev = c;
		dns->conns = c;
	}
}

/* ---- life cycle ------------------------------------------------------------- */

static struct fakedns *
fakedns_open(struct loop *loop, const char *addr, uint16_t port, char *err,
    size_t errlen)
{
	struct fakedns		*dns = NULL;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 slen;
	const char		*what;
	int			 ufd = -1, tfd = -1, on = 1, saved;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		slen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		slen = sizeof(*sin6);
	} else {
		snprintf(err, errlen, "%s: not a numeric address", addr);
		errno = EINVAL;
		return NULL;
	}
	/* UDP first: with port 0 it picks the number TCP then also takes */
	what = "socket";
	if ((ufd = util_socket(ss.ss_family, SOCK_DGRAM)) == -1)
		goto fail;
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(ufd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	what = "bind udp";
	if (ss.ss_family == AF_INET)
		sin->sin_port = htons(port);
	else
		sin6->sin6_port = htons(port);
	/*
	 * A server that keeps up: a test that starts hundreds of lookups in
	 * one loop turn (the resolver on this same loop) must not lose
	 * queries to the 212992-octet default buffer.  Best effort.
	 */
	{
		int	 rcvbuf = 4 * 1024 * 1024;

#ifdef SO_RCVBUFFORCE
		if (setsockopt(ufd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		    sizeof(rcvbuf)) == -1)
#endif
			(void)setsockopt(ufd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			    sizeof(rcvbuf));
	}
	if (bind(ufd, (struct sockaddr *)&ss, slen) == -1)
		goto fail;
	what = "getsockname";
	if (getsockname(ufd, (struct sockaddr *)&ss, &slen) == -1)
		goto fail;
	port = ntohs(ss.ss_family == AF_INET ? sin->sin_port : sin6->sin6_port);

	what = "socket";
	if ((tfd = util_socket(ss.ss_family, SOCK_STREAM)) == -1)
		goto fail;
	if (setsockopt(tfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ss.ss_family == AF_INET6 &&
	    setsockopt(tfd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1))
		goto fail;
	what = "bind tcp";
	if (bind(tfd, (struct sockaddr *)&ss, slen) == -1)
		goto fail;
	what = "listen";
	if (listen(tfd, 64) == -1)
		goto fail;

	dns = xcalloc(1, sizeof(*dns));
	dns->loop = loop;
	dns->ufd = ufd;
	dns->tfd = tfd;
	dns->port = port;
	what = "loop_io_start";
	if (loop_io_start(loop, &dns->uio, ufd, LOOP_READ, fakedns_udp_cb, dns) == -1)
		goto fail;
	if (loop_io_start(loop, &dns->tio, tfd, LOOP_READ, fakedns_accept_cb,
	    dns) == -1) {
		loop_io_stop(loop, &dns->uio);
		goto fail;
	}
	return dns;

fail:
	saved = errno;
	snprintf(err, errlen, "%s %s port %u: %s", what, addr, (unsigned)port,
	    strerror(saved));
	free(dns);
	if (tfd != -1)
		close(tfd);
	if (ufd != -1)
		close(ufd);
	errno = saved;
	return NULL;
}

/*
 * fakedns_new - listen on addr:port over UDP and TCP
 *
 * Returns NULL with the reason in err, errno kept.
 */
struct fakedns *
fakedns_new(struct loop *loop, const char *addr, uint16_t port, char *err,
    size_t errlen)
{
	struct fakedns	*dns;
	int		 tries = 0;

	/* an ephemeral UDP port may be taken for TCP: pick another */
	while ((dns = fakedns_open(loop, addr, port, err, errlen)) == NULL &&
	    port == 0 && errno == EADDRINUSE && ++tries < 10)
		;
	return dns;
}

/*
 * fakedns_port - the port actually bound
 */
uint16_t
fakedns_port(const struct fakedns *dns)
{
	return dns->port;
}

/*
 * fakedns_queries - well-formed queries received so far
 */
unsigned long
fakedns_queries(const struct fakedns *dns)
{
	return dns->queries;
}

/*
 * fakedns_tlsa_queries - well-formed TLSA queries received so far
 */
unsigned long
fakedns_tlsa_queries(const struct fakedns *dns)
{
	return dns->tlsa_queries;
}

/*
 * fakedns_free - close every socket, leave nothing on the loop
 */
void
fakedns_free(struct fakedns *dns)
{
	size_t	 i;

	if (dns == NULL)
		return;
	while (dns->conns != NULL)
		fakedns_tcp_close(dns->conns);
	while (dns->later != NULL)
		fakedns_later_free(dns->later);
	loop_io_stop(dns->loop, &dns->uio);
	loop_io_stop(dns->loop, &dns->tio);
	close(dns->ufd);
	close(dns->tfd);
	for (i = 0; i < dns->nrrs; i++) {
		free(dns->rrs[i].name);
		free(dns->rrs[i].rdata);
		free(dns->rrs[i].target);
	}
	free(dns->rrs);
	free(dns);
}
