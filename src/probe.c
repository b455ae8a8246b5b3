/* SPDX-License-Identifier: ISC */
/*
 * probe - one non-blocking SMTP session against one address.
 *
 * RFC 5321: 3.1 (greeting; 554 means no service), 4.1.1.1 (EHLO, HELO
 * fallback), 3.5 and 7.3 (VRFY, EXPN), 4.1.1.10 (QUIT), 4.2 (replies),
 * 3.8 (421 closes the session), App. F.1 (TURN).  RFC 1985 (ETRN),
 * RFC 2645 (ATRN), RFC 3207 (STARTTLS: recorded here, used by tls.c).
 *
 * The session is a state machine after OpenSMTPD's smtp_client.c:
 * probe_enter() alone writes p->state, sends the state's command and arms
 * the state's timeout; probe_io_cb() only moves bytes; each complete reply
 * goes to probe_reply(), a switch on the state that records the result
 * and calls probe_enter() with the next state.  Commands are sent one at a
 * time, each after the previous reply (no pipelining).  A VRFY whose
 * reply leaves open whether the server discloses mailboxes (2xx, 252) is
 * followed by the control: VRFY with a name that cannot exist (RFC 5321
 * 3.5.3, 7.3; see codes_verdict()).  DATA is never
 * sent.  A rejected VRFY is a finding, not an error: the session ends
 * early only on PROBE_F_* failures, recorded with the state they
 * happened in.  Every byte from the server is treated as hostile: the
 * reply parser bounds what is kept, and timeouts bound how long it waits.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codes.h"
#include "ehlo.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "pool.h"
#include "probe.h"
#include "reply.h"
#include "tls.h"
#include "tlsver.h"
#include "util.h"

#define PROBE_TRANSCRIPT_CAP	(64 * 1024)
#define PROBE_READ_CHUNK	4096
#define PROBE_CLOSE_WAIT_MS	2000	/* after 221, for the server to close */
#define PROBE_DRAIN_MAX		(64 * 1024)	/* unasked bytes before a command */

enum probe_state {
	PROBE_S_CONNECT,
	PROBE_S_BANNER,
	PROBE_S_EHLO,
	PROBE_S_HELO,
	PROBE_S_STARTTLS,
	PROBE_S_HANDSHAKE,
	PROBE_S_EHLO_TLS,	/* EHLO again, inside TLS (RFC 3207 4.2) */
	PROBE_S_CMD,		/* the command p->cmdidx of cfg->cmds */
	PROBE_S_CONTROL,	/* the same VRFY with a made-up name */
	PROBE_S_QUIT,
	PROBE_S_DONE,
	PROBE_S_LAST
};

/*
 * The states' names: JSON's error.state, and a word in the session's
 * error ("no reply in ehlo ..."), which the text report translates
 * (msgctxt "session": see probe_words())
 */
static const char *strstate[PROBE_S_LAST] = {
	/* TRANSLATORS: the states of an SMTP session, in its error
	 * messages ("interrupted in %s"): a step, or the command sent */
	[PROBE_S_CONNECT] = NC_("session", "connect"),
	[PROBE_S_BANNER] = NC_("session", "banner"),
	[PROBE_S_EHLO] = NC_("session", "ehlo"),
	[PROBE_S_HELO] = NC_("session", "helo"),
	[PROBE_S_STARTTLS] = NC_("session", "starttls"),
	[PROBE_S_HANDSHAKE] = NC_("session", "handshake"),
	[PROBE_S_EHLO_TLS] = NC_("session", "ehlo_tls"),
	[PROBE_S_CMD] = NC_("session", "command"),
	[PROBE_S_CONTROL] = NC_("session", "control"),
	[PROBE_S_QUIT] = NC_("session", "quit"),
	[PROBE_S_DONE] = NC_("session", "done"),
};

/* a number as a message argument (struct result_msg: strings only) */
#define NUM(n)	probe_num((char[24]){ 0 }, (long)(n))

static const char *
probe_num(char *buf, long n)
{
	snprintf(buf, 24, "%ld", n);
	return buf;
}

struct probe {
	struct loop			*loop;
	const struct probe_config	*cfg;
	struct host_result		*hr;
	int				 fd;
	struct loop_io			 io;
	struct loop_timer		 timer;		/* current phase */
	struct loop_timer		 deadline;	/* whole session */
	struct loop_timer		 later;		/* deferred done */
	enum probe_state		 state;
	size_t				 cmdidx;
	struct buf			 out;
	struct buf			 transcript;
	uint64_t			 t_start;
	uint64_t			 t_sent;
	char				 helo[300];
	struct tls_conn			*tls;
	int				 tls_on;	/* I/O goes through tls */
	int				 no_starttls;	/* after a failed handshake */
	int				 tls_accepted;	/* TLS began on this fd: no more plaintext */
	int				 read_wants_write;	/* tls_read said TLS_WANT_WRITE */
	int				 write_wants_read;	/* tls_write said TLS_WANT_READ */
	/*
	 * Set while handling a plaintext read that left the socket empty
	 * (recv() returned less than it asked for): probe_drain() has
	 * nothing to find then, and skips its recv() (one a command).
	 */
	int				 read_empty;
	struct sockaddr_storage		 sa;		/* for a plaintext reconnect */
	socklen_t			 salen;
	probe_done_cb			 done;
	void				*arg;
	struct tlsver			*tlsver;	/* --tls-versions, after the session */
	/*
	 * Last, and not cleared by probe_new(): the parser's line and text
	 * buffers (9 KiB of the struct) are valid up to their lengths, which
	 * reply_init() resets; most of their pages are never touched.
	 */
	struct reply_parser		 rp;
};

/* sessions come and go by the thousand in a batch: see pool.h */
static struct pool	 probe_pool = POOL_INITIALIZER(sizeof(struct probe));

static void	probe_enter(struct probe *, enum probe_state);
static void	probe_reply(struct probe *, const struct smtp_reply *);
static void	probe_fail(struct probe *, enum probe_fail, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	probe_failx(struct probe *, enum probe_fail, unsigned,
		    const char *, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
static void	probe_io_cb(struct loop_io *, int, int, void *);
static void	probe_next_cmd(struct probe *);
static void	probe_handshake(struct probe *);
static void	probe_tls_failed(struct probe *, const char *, int);
static const char *probe_tls_name(const struct probe *);
static unsigned	probe_caps(const struct probe *);

/*
 * probe_default_helo - this host's name if it is fully qualified, else
 * NULL (the session then uses its own address literal, RFC 5321 4.1.3).
 * gethostname() does not touch DNS, so it cannot block.
 */
const char *
probe_default_helo(void)
{
	static char	 name[256];
	static int	 done;

	if (!done) {
		done = 1;
		if (gethostname(name, sizeof(name) - 1) == -1 ||
		    strchr(name, '.') == NULL || name[strlen(name) - 1] == '.')
			name[0] = '\0';
	}
	return name[0] != '\0' ? name : NULL;
}

static long
probe_elapsed(const struct probe *p, uint64_t since)
{
	return (long)(loop_now(p->loop) - since);
}

static void
probe_trace(struct probe *p, const char *dir, const char *line, size_t len)
{
	if (!p->cfg->transcript)
		return;
	buf_append(&p->transcript, dir, strlen(dir));
	buf_append(&p->transcript, line, len);
	buf_append(&p->transcript, "\n", 1);
}

/* raw bytes (a broken reply, stray bytes): one transcript line a line */
static void
probe_trace_bytes(struct probe *p, const char *dir, const char *b, size_t len)
{
	const char	*end = b + len, *nl;

	while (b < end) {
		size_t	 n;

		nl = memchr(b, '\n', (size_t)(end - b));
		n = nl != NULL ? (size_t)(nl - b) : (size_t)(end - b);
		probe_trace(p, dir, b, n > 0 && b[n - 1] == '\r' ? n - 1 : n);
		b += n + (nl != NULL);
	}
}

static void
probe_trace_reply(struct probe *p, const struct smtp_reply *r)
{
	const char	*s = r->text, *nl;
	char		 prefix[8];
	int		 i = 0;

	if (!p->cfg->transcript)
		return;
	do {
		nl = memchr(s, '\n', r->textlen - (size_t)(s - r->text));
		i++;
		snprintf(prefix, sizeof(prefix), "<- %03d%c", r->code,
		    nl != NULL ? '-' : ' ');
		buf_append(&p->transcript, prefix, strlen(prefix));
		buf_append(&p->transcript, s,
		    nl != NULL ? (size_t)(nl - s) : r->textlen - (size_t)(s - r->text));
		buf_append(&p->transcript, "\n", 1);
		s = nl != NULL ? nl + 1 : NULL;
	} while (s != NULL);
}

static void
probe_record(struct probe *p, struct reply_rec *rec, const struct smtp_reply *r)
{
	result_reply_set(rec, r->code, r->enhanced, r->text, r->textlen,
	    r->flags, probe_elapsed(p, p->t_sent));
	p->hr->flags |= r->flags;
}

/* ---- output ------------------------------------------------------------ */

/*
 * probe_io_events - what to wait for outside the handshake: always the
 * server's bytes; writability when output is pending, unless the TLS
 * write waits for the peer (TLS 1.2 renegotiation: polling for WRITE
 * then would spin), and when a TLS read must write first (its half of a
 * renegotiation, a TLS 1.3 KeyUpdate answer) to make progress.  While a
 * read waits to write, readability is not asked for: the read cannot move
 * until the write went out, so a readable socket would wake the loop for
 * nothing, over and over.
 */
static void
probe_io_events(struct probe *p)
{
	int	 ev = LOOP_READ;

	if (p->read_wants_write)
		ev = LOOP_WRITE;
	else if (p->out.len > 0 && !p->write_wants_read)
		ev |= LOOP_WRITE;
	loop_io_set(p->loop, &p->io, ev);
}

static void
probe_flush(struct probe *p)
{
	ssize_t	 n;

	p->write_wants_read = 0;
	while (p->out.len > 0) {
		if (p->tls_on) {
			n = tls_write(p->tls, p->out.data, p->out.len);
			if (n == TLS_WANT_READ)
				p->write_wants_read = 1;
			if (n == TLS_WANT_WRITE || n == TLS_WANT_READ)
				break;
			if (n < 0) {
				probe_fail(p, PROBE_F_TLS, N_("TLS write in %s: %s"),
				    strstate[p->state], tls_error(p->tls));
				return;
			}
		} else {
			n = send(p->fd, p->out.data, p->out.len, MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR)
					continue;
				probe_fail(p, PROBE_F_CONN, N_("send in %s: %s"),
				    strstate[p->state], strerror(errno));
				return;
			}
		}
		buf_consume(&p->out, (size_t)n);
	}
	probe_io_events(p);
}

static ssize_t	probe_recv(struct probe *, char *, size_t);

/*
 * probe_unasked - bytes the server sent that answer nothing we asked
 * (after a reply, before our next command): never taken as the answer
 * to a command.  One exception: a 421 among them is the shutdown notice
 * RFC 5321 3.8 lets a server send at any time, so it ends the session
 * as a shutdown (and so starts scan.c's per-address back-off).  After
 * QUIT it changes nothing: the work is done and the server closes anyway.
 * The parser keeps a partial reply across calls; the caller resets it
 * before the next command.  Returns 0, or -1 when the session ended.
 */
static int
probe_unasked(struct probe *p, const char *b, size_t len)
{
	const struct smtp_reply	*r;
	size_t			 used;
	int			 rc;

	probe_trace_bytes(p, "<! ", b, len);
	while (len > 0 && p->state != PROBE_S_QUIT) {
		rc = reply_feed(&p->rp, b, len, &used, &r);
		if (rc != REPLY_DONE) {
			if (rc == REPLY_ERROR)
				reply_init(&p->rp);	/* not a reply: skip it */
			break;
		}
		b += used;
		len -= used;
		if (r->code == 421) {
			probe_fail(p, PROBE_F_SHUTDOWN, N_("server closed the session "
			    "in %s: 421 (unsolicited, RFC 5321 3.8)"),
			    strstate[p->state]);
			return -1;
		}
	}
	return 0;
}

/*
 * probe_drain - before a command goes out, take whatever the server sent
 * unasked (after its last reply): it cannot be the answer to the command
 * we are about to send, and must not be mistaken for it.  Recorded as an
 * early talker, discarded.  A server that keeps talking past
 * PROBE_DRAIN_MAX is broken (or hostile): a protocol error.
 * Returns 0, or -1 when the session ended.
 */
static int
probe_drain(struct probe *p)
{
	char	 buf[PROBE_READ_CHUNK];
	size_t	 total = 0;
	ssize_t	 n;

	if (p->fd == -1 || p->read_empty)
		return 0;
	reply_init(&p->rp);
	for (;;) {
		if ((n = probe_recv(p, buf, sizeof(buf))) == -1)
			return 0;		/* nothing (more) waiting */
		if (n == -2)
			return -1;		/* probe_recv() ended the session */
		if (n == 0)
			return 0;		/* EOF: the next read reports it */
		p->hr->early_talker = 1;
		p->hr->flags |= HOST_F_EXTRA_BYTES;
		if (probe_unasked(p, buf, (size_t)n) == -1)
			return -1;
		total += (size_t)n;
		if (total > PROBE_DRAIN_MAX) {
			probe_fail(p, PROBE_F_PROTO, N_("protocol error in %s: the "
			    "server keeps sending without being asked (over %s "
			    "bytes)"), strstate[p->state], NUM(PROBE_DRAIN_MAX));
			return -1;
		}
	}
}

static void
probe_send(struct probe *p, const char *line)
{
	if (probe_drain(p) == -1)
		return;
	/* a reply half-parsed from unasked bytes is gone with them */
	reply_init(&p->rp);
	probe_trace(p, "-> ", line, strlen(line));
	buf_append(&p->out, line, strlen(line));
	buf_append(&p->out, "\r\n", 2);
	p->t_sent = loop_now(p->loop);
	probe_flush(p);
}

/* ---- ending ------------------------------------------------------------ */

static void
probe_finish_cb(struct loop_timer *t, void *arg)
{
	struct probe	*p = arg;

	p->done(p, p->hr, p->arg);
}

static void
probe_versions_done_cb(void *arg)
{
	struct probe	*p = arg;

	tlsver_free(p->tlsver);
	p->tlsver = NULL;
	p->hr->duration_ms = probe_elapsed(p, p->t_start);
	p->done(p, p->hr, p->arg);
}

/* mark commands never reached; close; report from the loop */
static void
probe_finish(struct probe *p, const char *why)
{
	struct host_result	*hr = p->hr;
	size_t			 i;

	for (i = 0; i < hr->ncmds; i++)
		if (hr->cmds[i].status == ST_NOT_TRIED &&
		    hr->cmds[i].why_not_tried == NULL)
			hr->cmds[i].why_not_tried = why;
	loop_timer_stop(p->loop, &p->timer);
	loop_timer_stop(p->loop, &p->deadline);
	/* the socket is ours alone and closed below (never dup'ed) */
	loop_io_stop_closing(p->loop, &p->io, p->fd != -1);
	tls_conn_free(p->tls);
	p->tls = NULL;
	p->tls_on = 0;
	if (p->fd != -1) {
		close(p->fd);
		p->fd = -1;
	}
	p->state = PROBE_S_DONE;
	hr->duration_ms = probe_elapsed(p, p->t_start);
	if (p->transcript.len > 0) {
		hr->transcript = p->transcript.data;
		hr->transcript_len = p->transcript.len;
		p->transcript.data = NULL;
		p->transcript.len = p->transcript.size = 0;
	}
	/*
	 * --tls-versions: the extra connections run inside this session's
	 * --per-ip slot (done is not called until they end), each paced by
	 * reconnect_delay (--rate).  Only where TLS was offered.
	 */
	if (p->cfg->tls_versions && p->salen > 0 && hr->connect.ok &&
	    (hr->tls.offered || hr->tls.implicit) && !hr->tls.versions.probed) {
		p->tlsver = tlsver_start(p->loop, p->cfg, p->helo,
		    (struct sockaddr *)&p->sa, p->salen, &hr->tls.versions,
		    probe_versions_done_cb, p);
		return;
	}
	/* deferred, so that done never runs inside probe_start() */
	loop_timer_start(p->loop, &p->later, 0, probe_finish_cb, p);
}

static const char *
probe_fail_why(enum probe_fail f)
{
	switch (f) {
	case PROBE_F_CONN:
		return "not reached: the connection failed or was lost";
	case PROBE_F_TIMEOUT:
		return "not reached: the session timed out";
	case PROBE_F_PROTO:
		return "not reached: the server broke the protocol";
	case PROBE_F_TLS:
		return "not reached: TLS failed";
	case PROBE_F_SHUTDOWN:
		return "not reached: the server closed the session (421)";
	case PROBE_F_REJECT:
		return "not reached: the server refused the session at greeting";
	case PROBE_F_INTERRUPTED:
		return "not reached: interrupted";
	default:
		return "not reached: internal error";
	}
}

/*
 * The words of a session error: an argument that is one of strstate's
 * names (the state the session was in) is a word the text report
 * translates (msgctxt "session"); the others, command names, numbers and
 * text from the server, OpenSSL or the C library, are said as they are.
 * fmt has "%s" conversions only (struct result_msg).
 */
static unsigned
probe_words(const char *fmt, va_list ap)
{
	va_list		 ap2;
	const char	*p, *a;
	unsigned	 words = 0, n = 0;
	size_t		 i;

	va_copy(ap2, ap);
	for (p = fmt; (p = strchr(p, '%')) != NULL; p += 2) {
		if (p[1] == '%')
			continue;
		a = va_arg(ap2, const char *);
		for (i = 0; i < PROBE_S_LAST; i++)
			if (a == strstate[i])
				words |= 1u << n;
		n++;
	}
	va_end(ap2);
	return words;
}

/*
 * The session's error, the first one only: fmt (N_(), "%s" conversions
 * only) and its arguments, in hr->error (English) and hr->error_msg (see
 * struct result_msg: words are the arguments to translate beyond the
 * state names, sub the format of the last argument)
 */
static void
probe_error(struct probe *p, unsigned words, const char *sub, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

static void
probe_error(struct probe *p, unsigned words, const char *sub, const char *fmt,
    va_list ap)
{
	words |= probe_words(fmt, ap);
	free(p->hr->error);
	p->hr->error = result_msg_vset(&p->hr->error_msg, words, sub, fmt, ap);
}

static void	probe_failv(struct probe *, enum probe_fail, unsigned,
		    const char *, const char *, va_list)
		    __attribute__((format(printf, 5, 0)));

/* probe_fail - the session failed (f): record why, end it */
static void
probe_fail(struct probe *p, enum probe_fail f, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	probe_failv(p, f, 0, NULL, fmt, ap);
	va_end(ap);
}

/* probe_failx - probe_fail() with words and sub as probe_error() takes them */
static void
probe_failx(struct probe *p, enum probe_fail f, unsigned words, const char *sub,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	probe_failv(p, f, words, sub, fmt, ap);
	va_end(ap);
}

static void
probe_failv(struct probe *p, enum probe_fail f, unsigned words,
    const char *sub, const char *fmt, va_list ap)
{
	if (p->state == PROBE_S_DONE)
		return;
	if (p->hr->fail == PROBE_F_NONE) {
		p->hr->fail = f;
		p->hr->fail_state = strstate[p->state];
		probe_error(p, words, sub, fmt, ap);
	}
	if (p->cfg->transcript)
		buf_printf(&p->transcript, "** %s\n", p->hr->error);
	if (p->state == PROBE_S_CMD) {
		/* sent, but no usable reply: an error, not "not tried" */
		struct cmd_result	*c = &p->hr->cmds[p->cmdidx];

		/* a 421 that answered nothing: the command was not reached */
		if (c->reply.code == 0 && f != PROBE_F_SHUTDOWN) {
			c->status = ST_ERROR;
			c->reply.ms = probe_elapsed(p, p->t_sent);
			c->why_not_tried = f == PROBE_F_TIMEOUT ?
			    "no reply: timed out" : f == PROBE_F_PROTO ?
			    "no reply: the server broke the protocol" :
			    f == PROBE_F_INTERRUPTED ? "no reply: interrupted" :
			    "no reply: the connection was lost";
		}
	}
	/*
	 * The server is still there but silent or talking nonsense: say
	 * goodbye (RFC 5321 4.1.1.10) without waiting for the answer.
	 * Once TLS began on this connection (220 to STARTTLS, or implicit
	 * TLS) plaintext never goes out again, RFC 3207 4: inside a
	 * handshake that did not finish there is no channel for a QUIT.
	 */
	if ((f == PROBE_F_TIMEOUT || f == PROBE_F_PROTO) && p->fd != -1 &&
	    p->state > PROBE_S_BANNER && p->state < PROBE_S_QUIT &&
	    (p->tls_on || !p->tls_accepted)) {
		probe_trace(p, "-> ", "QUIT (not waiting for a reply)", 30);
		if (p->tls_on)
			(void)tls_write(p->tls, "QUIT\r\n", 6);
		else
			(void)send(p->fd, "QUIT\r\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	probe_finish(p, probe_fail_why(f));
}

/* ---- states ------------------------------------------------------------ */

static void
probe_timeout_cb(struct loop_timer *t, void *arg)
{
	struct probe	*p = arg;

	if (p->state == PROBE_S_CONNECT)
		probe_fail(p, PROBE_F_TIMEOUT, N_("connect timed out after %s ms"),
		    NUM(p->cfg->connect_timeout_ms));
	else if (p->state == PROBE_S_HANDSHAKE)
		probe_tls_failed(p, NC_("session", "handshake timed out"), 1);
	else if (p->state == PROBE_S_CMD)
		probe_fail(p, PROBE_F_TIMEOUT, N_("no reply to %s within %s ms"),
		    p->hr->cmds[p->cmdidx].verb, NUM(p->cfg->timeout_ms));
	else if (p->state == PROBE_S_QUIT)
		/* the work is done: a server slow to answer or close QUIT is not a failure */
		probe_enter(p, PROBE_S_DONE);
	else
		probe_fail(p, PROBE_F_TIMEOUT, N_("no %s reply within %s ms"),
		    strstate[p->state], NUM(p->cfg->timeout_ms));
}

static void
probe_deadline_cb(struct loop_timer *t, void *arg)
{
	struct probe	*p = arg;

	/* the work is done once QUIT is sent: no failure for a slow goodbye */
	if (p->state == PROBE_S_QUIT) {
		probe_enter(p, PROBE_S_DONE);
		return;
	}
	probe_fail(p, PROBE_F_TIMEOUT, N_("session deadline of %s ms reached in "
	    "%s"), NUM(p->cfg->deadline_ms), strstate[p->state]);
}

static const char *
probe_cmd_default_arg(const struct probe *p, const char *verb)
{
	if (strcmp(verb, "VRFY") == 0 || strcmp(verb, "EXPN") == 0)
		return "postmaster";
	if (strcmp(verb, "ETRN") == 0 || strcmp(verb, "ATRN") == 0)
		return p->cfg->domain;
	return NULL;
}

static unsigned
probe_cmd_ext(const char *verb)
{
	return ehlo_keyword_bit(verb);
}

/*
 * probe_enter - the only place that writes p->state: send the state's
 * command and arm its timeout
 */
static void
probe_enter(struct probe *p, enum probe_state s)
{
	struct host_result	*hr = p->hr;
	char			 line[600];

	if (p->cfg->transcript && s != PROBE_S_DONE)
		log_debug("%s: %s -> %s", hr->address, strstate[p->state], strstate[s]);
	p->state = s;
	switch (s) {
	case PROBE_S_BANNER:
		p->t_sent = loop_now(p->loop);
		break;
	case PROBE_S_EHLO:
		snprintf(line, sizeof(line), "EHLO %s", p->helo);
		probe_send(p, line);
		break;
	case PROBE_S_HELO:
		snprintf(line, sizeof(line), "HELO %s", p->helo);
		probe_send(p, line);
		break;
	case PROBE_S_STARTTLS:
		hr->tls.attempted = 1;
		probe_send(p, "STARTTLS");
		break;
	case PROBE_S_HANDSHAKE: {
		char	 err[256];

		hr->tls.attempted = 1;
		p->tls_accepted = 1;
		p->t_sent = loop_now(p->loop);
		p->tls = tls_conn_new(p->cfg->tls_ctx, p->fd, probe_tls_name(p),
		    err, sizeof(err));
		if (p->tls == NULL) {
			probe_tls_failed(p, err, 0);
			return;
		}
		loop_timer_start(p->loop, &p->timer, (uint64_t)p->cfg->timeout_ms,
		    probe_timeout_cb, p);
		probe_handshake(p);
		return;
	}
	case PROBE_S_EHLO_TLS:
		snprintf(line, sizeof(line), "EHLO %s", p->helo);
		probe_send(p, line);
		break;
	case PROBE_S_CONTROL:
		snprintf(line, sizeof(line), "%s %s", hr->cmds[p->cmdidx].verb,
		    hr->cmds[p->cmdidx].control.arg);
		probe_send(p, line);
		break;
	case PROBE_S_CMD: {
		struct cmd_result	*c = &hr->cmds[p->cmdidx];

		c->in_tls = p->tls_on;
		if (c->arg != NULL)
			snprintf(line, sizeof(line), "%s %s", c->verb, c->arg);
		else
			snprintf(line, sizeof(line), "%s", c->verb);
		probe_send(p, line);
		break;
	}
	case PROBE_S_QUIT:
		probe_send(p, "QUIT");
		break;
	case PROBE_S_DONE:
		probe_finish(p, "not reached");
		return;
	default:
		fatalx("%s: bad state %d", __func__, s);
	}
	if (p->state != s)	/* the send failed and ended the session */
		return;
	loop_timer_start(p->loop, &p->timer, (uint64_t)p->cfg->timeout_ms,
	    probe_timeout_cb, p);
}

/* what the server offers now: the EHLO inside TLS replaces the first */
static unsigned
probe_caps(const struct probe *p)
{
	return p->hr->tls.have_ehlo_after ? p->hr->tls.ehlo_after.caps :
	    p->hr->ehlo.info.caps;
}

/*
 * probe_control_arg - the made-up name for the control VRFY of c:
 * "smtpprobe-" and 12 random lower-case letters and digits, so that no
 * real mailbox has it, then "@" and the domain of c's own argument if it
 * has one, else of the target when it is a domain (so that the name is
 * one the server is responsible for), else nothing.  Not cryptographic:
 * it only has to be unlikely to exist and differ between runs.
 */
static void
probe_control_arg(struct probe *p, struct cmd_result *c)
{
	static const char	 alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	static uint64_t		 counter;
	char			 local[32];
	const char		*dom = p->cfg->control_domain, *at;
	uint64_t		 x, z;
	size_t			 i, n;

	x = p->t_start ^ loop_now(p->loop) ^ ((uint64_t)getpid() << 32) ^
	    (uint64_t)(uintptr_t)p ^ (++counter * 0x9e3779b97f4a7c15ULL);
	n = (size_t)snprintf(local, sizeof(local), "smtpprobe-");
	for (i = 0; i < 12; i++) {
		/* splitmix64 step */
		x += 0x9e3779b97f4a7c15ULL;
		z = x;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		local[n++] = alnum[z % (sizeof(alnum) - 1)];
	}
	local[n] = '\0';
	if (c->arg != NULL && (at = strrchr(c->arg, '@')) != NULL)
		dom = at + 1;
	free(c->control.arg);
	if (dom != NULL && dom[0] != '\0')
		c->control.arg = xasprintf("%s@%.*s", local,
		    (int)strcspn(dom, "> \t"), dom);
	else
		c->control.arg = xstrdup(local);
	c->control.sent = 1;
	c->control.status = ST_ERROR;	/* until a reply comes */
}

/* the command at p->cmdidx or the next one that can be sent, else QUIT */
static void
probe_next_cmd(struct probe *p)
{
	while (p->cmdidx < p->hr->ncmds &&
	    p->hr->cmds[p->cmdidx].why_not_tried != NULL)
		p->cmdidx++;	/* skipped up front (ETRN without a domain) */
	probe_enter(p, p->cmdidx < p->hr->ncmds ? PROBE_S_CMD : PROBE_S_QUIT);
}

/* after EHLO/HELO: the first command, or QUIT */
static void
probe_commands(struct probe *p)
{
	size_t	 i;

	for (i = 0; i < p->hr->ncmds; i++)
		p->hr->cmds[i].advertised =
		    (probe_caps(p) & probe_cmd_ext(p->hr->cmds[i].verb)) != 0;
	p->cmdidx = 0;
	probe_next_cmd(p);
}

/*
 * probe_quit_early - the server will not take commands: record why (fmt
 * and its arguments, as probe_fail() takes them), skip the commands
 * (why: JSON's reason), and say goodbye politely
 */
static void	probe_quit_early(struct probe *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
probe_quit_early(struct probe *p, const char *why, const char *fmt, ...)
{
	struct host_result	*hr = p->hr;
	va_list			 ap;
	size_t			 i;

	if (hr->fail == PROBE_F_NONE) {
		hr->fail = PROBE_F_REJECT;
		hr->fail_state = strstate[p->state];
	}
	va_start(ap, fmt);
	probe_error(p, 0, NULL, fmt, ap);
	va_end(ap);
	for (i = 0; i < hr->ncmds; i++)
		hr->cmds[i].why_not_tried = why;
	probe_enter(p, PROBE_S_QUIT);
}

/*
 * probe_reply - a complete reply arrived in the current state
 */
static void
probe_reply(struct probe *p, const struct smtp_reply *r)
{
	struct host_result	*hr = p->hr;

	probe_trace_reply(p, r);
	if (p->state == PROBE_S_QUIT && hr->quit.code != 0) {
		/*
		 * More after the answer to QUIT: nothing was asked.  The close
		 * wait armed by the first answer stands, never extended, or a
		 * server repeating 221 would hold the session for ever.
		 */
		hr->flags |= HOST_F_EXTRA_BYTES;
		return;
	}
	loop_timer_stop(p->loop, &p->timer);

	/* RFC 5321 3.8: 421 closes the channel, whatever we asked */
	if (r->code == 421 && p->state != PROBE_S_QUIT) {
		switch (p->state) {
		case PROBE_S_BANNER:
			probe_record(p, &hr->banner, r);
			break;
		case PROBE_S_EHLO:
			probe_record(p, &hr->ehlo.reply, r);
			break;
		case PROBE_S_HELO:
			probe_record(p, &hr->ehlo.helo_reply, r);
			break;
		case PROBE_S_STARTTLS:
			probe_record(p, &hr->tls.starttls, r);
			break;
		case PROBE_S_EHLO_TLS:
			probe_record(p, &hr->tls.ehlo_after_reply, r);
			break;
		case PROBE_S_CMD:
			probe_record(p, &hr->cmds[p->cmdidx].reply, r);
			hr->cmds[p->cmdidx].status = ST_TEMPORARY;
			hr->cmds[p->cmdidx].advice = codes_advice(
			    hr->cmds[p->cmdidx].verb, ST_TEMPORARY, probe_caps(p));
			break;
		case PROBE_S_CONTROL:	/* the first reply's status stands */
			probe_record(p, &hr->cmds[p->cmdidx].control.reply, r);
			hr->cmds[p->cmdidx].control.status = ST_TEMPORARY;
			break;
		default:
			break;
		}
		probe_fail(p, PROBE_F_SHUTDOWN, N_("server closed the session in "
		    "%s: 421"), strstate[p->state]);
		return;
	}

	switch (p->state) {
	case PROBE_S_BANNER:
		probe_record(p, &hr->banner, r);
		if (r->code == 220) {
			probe_enter(p, PROBE_S_EHLO);
		} else {
			/* RFC 5321 3.1: 554 means no SMTP service here */
			probe_quit_early(p, "not reached: the server refused the "
			    "session at greeting",
			    N_("greeting refused the session: %s"), NUM(r->code));
		}
		break;
	case PROBE_S_EHLO:
		probe_record(p, &hr->ehlo.reply, r);
		if (r->code == 250) {
			ehlo_info_free(&hr->ehlo.info);	/* a reconnect asks again */
			ehlo_parse(r, &hr->ehlo.info);
			if (!p->tls_on)
				hr->tls.offered = (hr->ehlo.info.caps & EXT_STARTTLS) != 0;
			if (hr->tls.offered && p->cfg->tls_ctx != NULL &&
			    !p->no_starttls && !p->tls_on)
				probe_enter(p, PROBE_S_STARTTLS);
			else
				probe_commands(p);
		} else if (r->code >= 500) {
			/* RFC 5321 4.1.1.1: fall back to HELO */
			hr->ehlo.used_helo = 1;
			probe_enter(p, PROBE_S_HELO);
		} else {
			probe_quit_early(p, "not reached: the server refused EHLO",
			    N_("EHLO refused: %s"), NUM(r->code));
		}
		break;
	case PROBE_S_HELO:
		probe_record(p, &hr->ehlo.helo_reply, r);
		if (r->code == 250) {
			probe_commands(p);
		} else {
			probe_quit_early(p, "not reached: the server refused EHLO "
			    "and HELO", N_("EHLO and HELO refused: %s"), NUM(r->code));
		}
		break;
	case PROBE_S_STARTTLS:
		probe_record(p, &hr->tls.starttls, r);
		if (r->code == 220) {
			probe_enter(p, PROBE_S_HANDSHAKE);
		} else {
			/* refused (454, 5xx): carry on in plaintext, as an MTA would */
			free(hr->tls.error);
			hr->tls.error = result_msg_set(&hr->tls.error_msg, 0, NULL,
			    N_("STARTTLS refused: %s"), NUM(r->code));
			probe_commands(p);
		}
		break;
	case PROBE_S_EHLO_TLS:
		probe_record(p, &hr->tls.ehlo_after_reply, r);
		if (r->code == 250) {
			ehlo_info_free(&hr->tls.ehlo_after);
			ehlo_parse(r, &hr->tls.ehlo_after);
			hr->tls.have_ehlo_after = 1;
			probe_commands(p);
		} else {
			probe_quit_early(p, "not reached: the server refused EHLO "
			    "inside TLS", N_("EHLO after STARTTLS refused: %s"),
			    NUM(r->code));
		}
		break;
	case PROBE_S_CMD: {
		struct cmd_result	*c = &hr->cmds[p->cmdidx];

		probe_record(p, &c->reply, r);
		c->status = codes_status(c->verb, r->code, r->enhanced);
		c->advice = codes_advice(c->verb, c->status, probe_caps(p));
		if (p->cfg->vrfy_control && codes_needs_control(c->verb, c->status)) {
			probe_control_arg(p, c);
			probe_enter(p, PROBE_S_CONTROL);
			break;
		}
		p->cmdidx++;
		probe_next_cmd(p);
		break;
	}
	case PROBE_S_CONTROL: {
		struct cmd_result	*c = &hr->cmds[p->cmdidx];

		probe_record(p, &c->control.reply, r);
		c->control.status = codes_status(c->verb, r->code, r->enhanced);
		c->status = codes_verdict(c->verb, c->reply.code, c->reply.enhanced,
		    r->code, r->enhanced);
		c->advice = codes_advice(c->verb, c->status, probe_caps(p));
		p->cmdidx++;
		probe_next_cmd(p);
		break;
	}
	case PROBE_S_QUIT:
		/*
		 * RFC 5321 4.1.1.10: the server sends 221 and then closes.
		 * Wait (briefly) for that close, so that the session is not
		 * counted as over, and the next one to this address started,
		 * while the server still holds this connection.  Armed once,
		 * here: later replies do not extend it (see above).
		 */
		probe_record(p, &hr->quit, r);
		loop_timer_start(p->loop, &p->timer,
		    (uint64_t)(p->cfg->timeout_ms < PROBE_CLOSE_WAIT_MS ?
		    p->cfg->timeout_ms : PROBE_CLOSE_WAIT_MS), probe_timeout_cb, p);
		break;
	default:
		fatalx("%s: bad state %d", __func__, p->state);
	}
}

/* ---- TLS --------------------------------------------------------------- */

/* the name to send as SNI and to check the certificate against */
static const char *
probe_tls_name(const struct probe *p)
{
	const char	*mx = p->hr->mx;

	return mx != NULL && mx[0] != '\0' ? mx : p->hr->address;
}

static void	probe_connect(struct probe *);
static void	probe_reconnect_cb(struct loop_timer *, void *);

/*
 * probe_tls_failed - the handshake did not complete: reason is OpenSSL's,
 * or (word) one of ours that the catalogue translates (NC_("session")).
 * With STARTTLS, do what a sending MTA does: reconnect and carry on in
 * plaintext, marking the results as such.  Implicit TLS has no plaintext
 * to fall back to.
 */
static void
probe_tls_failed(struct probe *p, const char *reason, int word)
{
	struct host_result	*hr = p->hr;
	uint64_t		 delay;

	/* "%s": not a message for the catalogue, only its argument is */
	if (hr->tls.error == NULL)
		hr->tls.error = strncmp(reason, "handshake", 9) == 0 ?
		    result_msg_set(&hr->tls.error_msg, word != 0, NULL, "%s",
		    reason) : result_msg_set(&hr->tls.error_msg, word != 0, NULL,
		    N_("handshake: %s"), reason);
	if (p->cfg->implicit_tls || p->salen == 0) {
		probe_failx(p, PROBE_F_TLS, word != 0, NULL,
		    N_("TLS handshake failed: %s"), reason);
		return;
	}
	if (p->cfg->transcript)
		buf_printf(&p->transcript, "** TLS handshake failed: %s; "
		    "reconnecting without STARTTLS\n", reason);
	hr->tls.fallback = 1;
	p->no_starttls = 1;
	loop_timer_stop(p->loop, &p->timer);
	loop_io_stop(p->loop, &p->io);
	tls_conn_free(p->tls);
	p->tls = NULL;
	p->tls_on = 0;
	p->tls_accepted = 0;	/* the new connection starts in plaintext */
	close(p->fd);
	p->fd = -1;
	reply_init(&p->rp);
	buf_consume(&p->out, p->out.len);
	p->state = PROBE_S_CONNECT;
	/* a new connection: paced like any other (--rate) */
	delay = p->cfg->reconnect_delay != NULL ?
	    p->cfg->reconnect_delay(p->cfg->reconnect_arg) : 0;
	if (delay > 0) {
		if (p->cfg->transcript)
			buf_printf(&p->transcript, "** waiting %llu ms (--rate) "
			    "before reconnecting\n", (unsigned long long)delay);
		loop_timer_start(p->loop, &p->timer, delay, probe_reconnect_cb, p);
		return;
	}
	probe_connect(p);
}

static void
probe_reconnect_cb(struct loop_timer *t, void *arg)
{
	probe_connect(arg);
}

/* one handshake step; called again on every readiness change */
static void
probe_handshake(struct probe *p)
{
	struct host_result	*hr = p->hr;
	int			 rc;

	rc = tls_handshake(p->tls);
	if (rc == TLS_WANT_READ) {
		loop_io_set(p->loop, &p->io, LOOP_READ);
		return;
	}
	if (rc == TLS_WANT_WRITE) {
		loop_io_set(p->loop, &p->io, LOOP_READ | LOOP_WRITE);
		return;
	}
	if (rc != TLS_OK) {
		if (rc == TLS_EOF)
			probe_tls_failed(p, NC_("session", "the server closed "
			    "the connection"), 1);
		else
			probe_tls_failed(p, tls_error(p->tls), 0);
		return;
	}
	loop_timer_stop(p->loop, &p->timer);
	loop_io_set(p->loop, &p->io, LOOP_READ);
	p->read_wants_write = p->write_wants_read = 0;
	p->tls_on = 1;
	hr->tls.ok = 1;
	hr->tls.handshake_ms = probe_elapsed(p, p->t_sent);
	tls_facts(p->tls, probe_tls_name(p), time(NULL), p->cfg->show_certs,
	    &hr->tls);
	if (hr->tls.ntlsa > 0)
		hr->tls.dane_matched = tls_dane_match(p->tls, hr->tls.tlsa,
		    hr->tls.ntlsa);
	if (p->cfg->transcript)
		buf_printf(&p->transcript, "** TLS: %s, %s\n",
		    hr->tls.version ? hr->tls.version : "?",
		    hr->tls.cipher ? hr->tls.cipher : "?");
	/* implicit TLS: the greeting comes inside; STARTTLS: ask EHLO again */
	probe_enter(p, p->cfg->implicit_tls && hr->banner.code == 0 ?
	    PROBE_S_BANNER : PROBE_S_EHLO_TLS);
}

/* ---- I/O --------------------------------------------------------------- */

static void
probe_connected(struct probe *p)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	int			 err = 0;
	socklen_t		 errlen = sizeof(err);

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &errlen) == -1)
		err = errno;
	if (err != 0) {
		free(p->hr->connect.error);
		p->hr->connect.error = xstrdup(strerror(err));
		probe_fail(p, PROBE_F_CONN, N_("connect: %s"), strerror(err));
		return;
	}
	p->hr->connect.ok = 1;
	if (!p->hr->tls.fallback)
		p->hr->connect.ms = probe_elapsed(p, p->t_start);
	if (p->helo[0] == '\0' &&
	    getsockname(p->fd, (struct sockaddr *)&ss, &sslen) == 0) {
		char	 a[INET6_ADDRSTRLEN];

		/* RFC 5321 4.1.3 address literal of our own end */
		if (ss.ss_family == AF_INET6) {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
			    a, sizeof(a));
			snprintf(p->helo, sizeof(p->helo), "[IPv6:%s]", a);
		} else {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
			    a, sizeof(a));
			snprintf(p->helo, sizeof(p->helo), "[%s]", a);
		}
	}
	loop_timer_stop(p->loop, &p->timer);
	loop_io_set(p->loop, &p->io, LOOP_READ);
	if (p->cfg->implicit_tls) {
		p->hr->tls.implicit = 1;
		probe_enter(p, PROBE_S_HANDSHAKE);
		return;
	}
	probe_enter(p, PROBE_S_BANNER);
}

/* bytes from the server: > 0, 0 at EOF, -1 nothing now, -2 failed */
static ssize_t
probe_recv(struct probe *p, char *buf, size_t len)
{
	ssize_t	 n;

	if (p->tls_on) {
		n = tls_read(p->tls, buf, len);
		if (n == TLS_WANT_WRITE) {
			/* retried when the socket can take bytes: probe_io_cb() */
			p->read_wants_write = 1;
			probe_io_events(p);
			return -1;
		}
		if (p->read_wants_write) {
			p->read_wants_write = 0;
			probe_io_events(p);
		}
		if (n > 0)
			return n;
		if (n == TLS_WANT_READ)
			return -1;
		if (n == TLS_EOF)
			return 0;
		probe_fail(p, PROBE_F_TLS, N_("TLS read in %s: %s"),
		    strstate[p->state], tls_error(p->tls));
		return -2;
	}
	n = recv(p->fd, buf, len, 0);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return -1;
	/* TRANSLATORS: the C library's error, then the state of the session */
	probe_fail(p, PROBE_F_CONN, N_("%s in %s"), strerror(errno),
	    strstate[p->state]);
	return -2;
}

static void
probe_read(struct probe *p)
{
	char			 buf[PROBE_READ_CHUNK];
	const struct smtp_reply	*r;
	ssize_t			 n;
	size_t			 off, used;
	int			 rc, was_starttls;

	/*
	 * Plaintext: one read per readiness event (the loop is level
	 * triggered).  TLS: read until OpenSSL wants more from the socket,
	 * since it may hold decrypted bytes the kernel no longer reports.
	 */
	do {
		if ((n = probe_recv(p, buf, sizeof(buf))) < 0)
			return;
		p->read_empty = !p->tls_on && (size_t)n < sizeof(buf);
		if (n == 0) {
			if (p->state == PROBE_S_QUIT) {
				/* closing without a 221 after QUIT is harmless */
				probe_enter(p, PROBE_S_DONE);
				return;
			}
			if (reply_pending(&p->rp))
				probe_fail(p, PROBE_F_CONN, N_("connection closed "
				    "by the server in %s (in the middle of a "
				    "reply)"), strstate[p->state]);
			else
				probe_fail(p, PROBE_F_CONN, N_("connection closed "
				    "by the server in %s"), strstate[p->state]);
			return;
		}
		for (off = 0; off < (size_t)n && p->state != PROBE_S_DONE; off += used) {
			rc = reply_feed(&p->rp, buf + off, (size_t)n - off, &used, &r);
			if (rc == REPLY_ERROR) {
				probe_trace_bytes(p, "<- ", buf + off, (size_t)n - off);
				/* the parser's reason has its own message */
				probe_failx(p, PROBE_F_PROTO, 0,
				    reply_error_fmt(&p->rp), N_("protocol error in "
				    "%s: %s"), strstate[p->state],
				    reply_error_arg(&p->rp));
				return;
			}
			if (rc == REPLY_MORE)
				break;
			if (p->out.len > 0 || p->state == PROBE_S_CONNECT) {
				/* a reply before our command was even written */
				p->hr->early_talker = 1;
			}
			/* the handshake may finish, or fail, inside probe_reply() */
			was_starttls = p->state == PROBE_S_STARTTLS && r->code == 220;
			probe_reply(p, r);
			if (off + used < (size_t)n && p->state != PROBE_S_DONE) {
				/*
				 * More bytes came with the reply, before we sent
				 * the next command: they cannot be the answer to
				 * it.  After STARTTLS's 220 they are what RFC 3207
				 * 5 warns of (injected commands): never let them
				 * into the TLS session, not even a 421.  Else
				 * record and discard them, but for a 421.
				 */
				reply_init(&p->rp);
				if (was_starttls) {
					p->hr->tls.injection = 1;
					probe_trace_bytes(p, "<! ", buf + off + used,
					    (size_t)n - off - used);
				} else {
					p->hr->flags |= HOST_F_EXTRA_BYTES;
					if (probe_unasked(p, buf + off + used,
					    (size_t)n - off - used) == -1)
						return;
				}
				reply_init(&p->rp);
				break;
			}
		}
	} while (p->tls_on && p->state != PROBE_S_DONE && p->state != PROBE_S_HANDSHAKE);
}

static void
probe_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct probe	*p = arg;

	if (p->state == PROBE_S_CONNECT) {
		probe_connected(p);
		return;
	}
	if (p->state == PROBE_S_HANDSHAKE) {
		probe_handshake(p);
		return;
	}
	/*
	 * TLS may cross the directions (tls_read wanting to write, tls_write
	 * wanting to read): each side is retried on the other's readiness.
	 */
	if ((revents & LOOP_WRITE) || p->out.len > 0) {
		probe_flush(p);
		if (p->state == PROBE_S_DONE)
			return;
	}
	if ((revents & (LOOP_READ | LOOP_ERROR)) ||
	    ((revents & LOOP_WRITE) && p->read_wants_write)) {
		probe_read(p);
		p->read_empty = 0;	/* p lives on: done runs from a timer */
	}
	/* the read may have taken what the stalled write waited for */
	if (p->state != PROBE_S_DONE && p->state != PROBE_S_HANDSHAKE &&
	    p->write_wants_read && p->out.len > 0)
		probe_flush(p);
}

/* ---- life cycle -------------------------------------------------------- */

static struct probe *
probe_new(struct loop *loop, const struct probe_config *cfg,
    struct host_result *hr, probe_done_cb done, void *arg)
{
	struct probe	*p;
	size_t		 i;

	p = pool_get(&probe_pool);
	memset(p, 0, offsetof(struct probe, rp));
	p->loop = loop;
	p->cfg = cfg;
	p->hr = hr;
	p->fd = -1;
	p->done = done;
	p->arg = arg;
	p->t_start = loop_now(loop);
	p->transcript.cap_max = PROBE_TRANSCRIPT_CAP;
	reply_init(&p->rp);
	if (cfg->helo != NULL)
		snprintf(p->helo, sizeof(p->helo), "%s", cfg->helo);
	result_host_set_cmds(hr,
	    cfg->ncmds < PROBE_MAX_CMDS ? cfg->ncmds : PROBE_MAX_CMDS);
	for (i = 0; i < hr->ncmds; i++) {
		const char	*a = cfg->cmds[i].arg;

		snprintf(hr->cmds[i].verb, sizeof(hr->cmds[i].verb), "%s",
		    cfg->cmds[i].verb);
		if (a == NULL)
			a = probe_cmd_default_arg(p, hr->cmds[i].verb);
		hr->cmds[i].arg = a != NULL ? xstrdup(a) : NULL;
		hr->cmds[i].status = ST_NOT_TRIED;
		/* RFC 1985: ETRN names the domain whose queue to start */
		if (a == NULL && strcmp(hr->cmds[i].verb, "ETRN") == 0)
			hr->cmds[i].why_not_tried = "ETRN needs a domain: "
			    "give one with -c ETRN=DOMAIN";
	}
	if (cfg->deadline_ms > 0)
		loop_timer_start(loop, &p->deadline, (uint64_t)cfg->deadline_ms,
		    probe_deadline_cb, p);
	return p;
}

/* open a socket to p->sa and start connecting (also for the reconnect) */
static void
probe_connect(struct probe *p)
{
	const struct sockaddr	*sa = (const struct sockaddr *)&p->sa;
	struct host_result	*hr = p->hr;

	p->state = PROBE_S_CONNECT;
	p->fd = util_socket(sa->sa_family, SOCK_STREAM);
	if (p->fd == -1) {
		hr->connect.ok = 0;
		free(hr->connect.error);
		hr->connect.error = xasprintf("socket: %s", strerror(errno));
		probe_fail(p, errno == EAFNOSUPPORT ? PROBE_F_CONN : PROBE_F_INTERNAL,
		    N_("socket: %s"), strerror(errno));
		return;
	}
	if (connect(p->fd, sa, p->salen) == -1 && errno != EINPROGRESS) {
		hr->connect.ok = 0;
		free(hr->connect.error);
		hr->connect.error = xstrdup(strerror(errno));
		probe_fail(p, PROBE_F_CONN, N_("connect: %s"), strerror(errno));
		return;
	}
	if (loop_io_start(p->loop, &p->io, p->fd, LOOP_WRITE, probe_io_cb, p) == -1) {
		probe_fail(p, PROBE_F_INTERNAL, N_("cannot watch socket: %s"),
		    strerror(errno));
		return;
	}
	loop_timer_start(p->loop, &p->timer, (uint64_t)p->cfg->connect_timeout_ms,
	    probe_timeout_cb, p);
}

/*
 * probe_start - connect and run a session; see probe.h
 */
struct probe *
probe_start(struct loop *loop, const struct probe_config *cfg,
    const struct sockaddr *sa, socklen_t salen, struct host_result *hr,
    probe_done_cb done, void *arg)
{
	struct probe	*p;

	p = probe_new(loop, cfg, hr, done, arg);
	if (salen > sizeof(p->sa))
		salen = sizeof(p->sa);
	memcpy(&p->sa, sa, salen);
	p->salen = salen;
	probe_connect(p);
	return p;
}

/*
 * probe_start_fd - run a session over a connected fd (handed over).
 * There is no address to reconnect to, so a failed STARTTLS handshake
 * ends the session.
 */
struct probe *
probe_start_fd(struct loop *loop, const struct probe_config *cfg, int fd,
    struct host_result *hr, probe_done_cb done, void *arg)
{
	struct probe	*p;
	int		 fl;

	p = probe_new(loop, cfg, hr, done, arg);
	p->fd = fd;
	p->state = PROBE_S_CONNECT;
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (p->helo[0] == '\0')
		snprintf(p->helo, sizeof(p->helo), "[127.0.0.1]");
	if (loop_io_start(loop, &p->io, fd, LOOP_READ, probe_io_cb, p) == -1) {
		probe_fail(p, PROBE_F_INTERNAL, N_("cannot watch socket: %s"),
		    strerror(errno));
		return p;
	}
	hr->connect.ok = 1;
	if (cfg->implicit_tls) {
		hr->tls.implicit = 1;
		probe_enter(p, PROBE_S_HANDSHAKE);
	} else
		probe_enter(p, PROBE_S_BANNER);
	return p;
}

/*
 * probe_abort - see probe.h
 */
void
probe_abort(struct probe *p)
{
	if (p->tlsver != NULL) {
		/* interrupted during --tls-versions: keep what was recorded */
		tlsver_free(p->tlsver);
		p->tlsver = NULL;
		loop_timer_start(p->loop, &p->later, 0, probe_finish_cb, p);
		return;
	}
	probe_fail(p, PROBE_F_INTERRUPTED, N_("interrupted in %s"),
	    strstate[p->state]);
}

/*
 * probe_free - close and free; never calls done
 */
void
probe_free(struct probe *p)
{
	if (p == NULL)
		return;
	loop_timer_stop(p->loop, &p->timer);
	loop_timer_stop(p->loop, &p->deadline);
	loop_timer_stop(p->loop, &p->later);
	loop_io_stop(p->loop, &p->io);
	tlsver_free(p->tlsver);
	tls_conn_free(p->tls);
	if (p->fd != -1)
		close(p->fd);
	buf_free(&p->out);
	buf_free(&p->transcript);
	pool_put(&probe_pool, p);
}
