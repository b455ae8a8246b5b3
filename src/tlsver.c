/* SPDX-License-Identifier: ISC */
/*
 * tlsver - see tlsver.h.  Every byte from the server is hostile: replies
 * go through the bounded reply parser, a reply that is not the expected
 * one ends that version's connection as "could not tell".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "probe.h"
#include "reply.h"
#include "result.h"
#include "tls.h"
#include "tlsver.h"
#include "util.h"

enum tlsver_state {
	TV_WAIT,	/* --rate before the connect */
	TV_CONNECT,
	TV_BANNER,
	TV_EHLO,
	TV_STARTTLS,
	TV_HANDSHAKE
};

struct tlsver {
	struct loop			*loop;
	const struct probe_config	*cfg;
	char				 helo[300];
	struct sockaddr_storage		 sa;
	socklen_t			 salen;
	struct tls_versions		*out;
	tlsver_done_cb			 done;
	void				*arg;
	int				 idx;		/* version being probed */
	enum tlsver_state		 state;
	int				 fd;
	struct loop_io			 io;
	struct loop_timer		 timer;
	struct tls_ctx			*ctx;
	struct tls_conn			*tls;
	struct reply_parser		 rp;
};

static void	tlsver_next(struct tlsver *);
static void	tlsver_io_cb(struct loop_io *, int, int, void *);

/* close this version's connection (a QUIT first when TLS is up) */
static void
tlsver_close(struct tlsver *tv)
{
	loop_timer_stop(tv->loop, &tv->timer);
	if (tv->fd != -1)
		loop_io_stop_closing(tv->loop, &tv->io, 1);
	if (tv->tls != NULL)
		tls_conn_free(tv->tls);
	tv->tls = NULL;
	tls_ctx_free(tv->ctx);
	tv->ctx = NULL;
	if (tv->fd != -1)
		close(tv->fd);
	tv->fd = -1;
}

/* record version idx's outcome and go on with the next one */
static void
tlsver_record(struct tlsver *tv, int accepted, const char *cipher,
    const char *error)
{
	tls_versions_record(tv->out, tv->idx, accepted, cipher, error);
	tlsver_close(tv);
	tv->idx++;
	tlsver_next(tv);
}

static void
tlsver_timeout_cb(struct loop_timer *t, void *arg)
{
	struct tlsver	*tv = arg;

	(void)t;
	tlsver_record(tv, -1, NULL, "timeout");
}

static void
tlsver_end_cb(struct loop_timer *t, void *arg)
{
	struct tlsver	*tv = arg;

	(void)t;
	tv->done(tv->arg);
}

static int
tlsver_send(struct tlsver *tv, const char *line)
{
	size_t	 len = strlen(line);
	ssize_t	 n;

	/* a few bytes on a fresh socket: a short write means trouble */
	n = send(tv->fd, line, len, MSG_NOSIGNAL);
	if (n != (ssize_t)len) {
		tlsver_record(tv, -1, NULL, n == -1 ? strerror(errno) :
		    "short write");
		return -1;
	}
	return 0;
}

static void
tlsver_step(struct tlsver *tv, enum tlsver_state s, int ms)
{
	tv->state = s;
	loop_timer_stop(tv->loop, &tv->timer);
	loop_timer_start(tv->loop, &tv->timer, (uint64_t)ms, tlsver_timeout_cb,
	    tv);
}

static void
tlsver_handshake_start(struct tlsver *tv)
{
	char	 err[256];

	tv->tls = tls_conn_new(tv->ctx, tv->fd, NULL, err, sizeof(err));
	if (tv->tls == NULL) {
		tlsver_record(tv, -1, NULL, err);
		return;
	}
	tlsver_step(tv, TV_HANDSHAKE, tv->cfg->timeout_ms);
	loop_io_set(tv->loop, &tv->io, LOOP_READ | LOOP_WRITE);
}

static void
tlsver_handshake(struct tlsver *tv)
{
	struct tls_result	 r;
	int			 rc;
	char			 why[256];

	rc = tls_handshake(tv->tls);
	if (rc == TLS_WANT_READ || rc == TLS_WANT_WRITE) {
		loop_io_set(tv->loop, &tv->io, rc == TLS_WANT_READ ?
		    LOOP_READ : LOOP_READ | LOOP_WRITE);
		return;
	}
	if (rc != TLS_OK) {
		/* tls_error() says "handshake: ..." itself */
		snprintf(why, sizeof(why), "%s", rc == TLS_EOF ?
		    "handshake: the server closed the connection" :
		    tls_error(tv->tls));
		tlsver_record(tv, 0, NULL, why);
		return;
	}
	memset(&r, 0, sizeof(r));
	tls_facts(tv->tls, NULL, 0, 0, &r);
	/* RFC 5321 4.1.1.10: QUIT; the reply does not matter here */
	(void)tls_write(tv->tls, "QUIT\r\n", 6);
	tlsver_record(tv, 1, r.cipher, NULL);
	result_tls_clear(&r);
}

/* a whole reply in the current state */
static void
tlsver_reply(struct tlsver *tv, const struct smtp_reply *r)
{
	char	 line[360];

	switch (tv->state) {
	case TV_BANNER:
		if (r->code / 100 != 2)
			break;
		snprintf(line, sizeof(line), "EHLO %s\r\n", tv->helo);
		if (tlsver_send(tv, line) == 0)
			tlsver_step(tv, TV_EHLO, tv->cfg->timeout_ms);
		return;
	case TV_EHLO:
		if (r->code / 100 != 2)
			break;
		if (tlsver_send(tv, "STARTTLS\r\n") == 0)
			tlsver_step(tv, TV_STARTTLS, tv->cfg->timeout_ms);
		return;
	case TV_STARTTLS:
		if (r->code != 220)
			break;
		tlsver_handshake_start(tv);
		return;
	default:
		break;
	}
	snprintf(line, sizeof(line), "%s: reply %d", tv->state == TV_BANNER ?
	    "banner" : tv->state == TV_EHLO ? "EHLO" : "STARTTLS", r->code);
	(void)send(tv->fd, "QUIT\r\n", 6, MSG_NOSIGNAL);
	tlsver_record(tv, -1, NULL, line);
}

/* plaintext bytes: one reply at a time, nothing after it expected */
static void
tlsver_read(struct tlsver *tv)
{
	const struct smtp_reply	*r;
	char			 buf[2048];
	size_t			 used;
	ssize_t			 n;
	int			 rc;

	n = recv(tv->fd, buf, sizeof(buf), 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		tlsver_record(tv, -1, NULL, n == 0 ?
		    "the server closed the connection" : strerror(errno));
		return;
	}
	rc = reply_feed(&tv->rp, buf, (size_t)n, &used, &r);
	if (rc == REPLY_ERROR) {
		tlsver_record(tv, -1, NULL, reply_error(&tv->rp));
		return;
	}
	if (rc == REPLY_DONE) {
		if ((size_t)n > used && tv->state == TV_STARTTLS) {
			/* RFC 3207 5: bytes after the 220 are not TLS */
			tlsver_record(tv, -1, NULL, "bytes after the 220 to "
			    "STARTTLS");
			return;
		}
		tlsver_reply(tv, r);
	}
}

static void
tlsver_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct tlsver	*tv = arg;
	int		 err = 0;
	socklen_t	 errlen = sizeof(err);

	(void)io;
	(void)fd;
	(void)revents;
	switch (tv->state) {
	case TV_CONNECT:
		if (getsockopt(tv->fd, SOL_SOCKET, SO_ERROR, &err,
		    &errlen) == -1)
			err = errno;
		if (err != 0) {
			tlsver_record(tv, -1, NULL, strerror(err));
			return;
		}
		loop_io_set(tv->loop, &tv->io, LOOP_READ);
		if (tv->cfg->implicit_tls)
			tlsver_handshake_start(tv);
		else
			tlsver_step(tv, TV_BANNER, tv->cfg->timeout_ms);
		return;
	case TV_HANDSHAKE:
		tlsver_handshake(tv);
		return;
	default:
		tlsver_read(tv);
		return;
	}
}

/* open the connection for version idx */
static void
tlsver_connect(struct tlsver *tv)
{
	char	 err[256];

	tv->ctx = tls_ctx_new_version(tv->idx, err, sizeof(err));
	if (tv->ctx == NULL) {
		tlsver_record(tv, -1, NULL, err);
		return;
	}
	reply_init(&tv->rp);
	tv->fd = util_socket(tv->sa.ss_family, SOCK_STREAM);
	if (tv->fd == -1) {
		tlsver_record(tv, -1, NULL, strerror(errno));
		return;
	}
	if (connect(tv->fd, (struct sockaddr *)&tv->sa, tv->salen) == -1 &&
	    errno != EINPROGRESS) {
		tlsver_record(tv, -1, NULL, strerror(errno));
		return;
	}
	if (loop_io_start(tv->loop, &tv->io, tv->fd, LOOP_WRITE, tlsver_io_cb,
	    tv) == -1) {
		close(tv->fd);
		tv->fd = -1;
		tlsver_record(tv, -1, NULL, strerror(errno));
		return;
	}
	tlsver_step(tv, TV_CONNECT, tv->cfg->connect_timeout_ms);
}

static void
tlsver_wait_cb(struct loop_timer *t, void *arg)
{
	(void)t;
	tlsver_connect(arg);
}

/* the next version, after its --rate token; done after the last */
static void
tlsver_next(struct tlsver *tv)
{
	uint64_t	 delay;

	if (tv->idx >= TLS_NVERSIONS) {
		loop_timer_start(tv->loop, &tv->timer, 0, tlsver_end_cb, tv);
		return;
	}
	delay = tv->cfg->reconnect_delay != NULL ?
	    tv->cfg->reconnect_delay(tv->cfg->reconnect_arg) : 0;
	tv->state = TV_WAIT;
	loop_timer_start(tv->loop, &tv->timer, delay, tlsver_wait_cb, tv);
}

struct tlsver *
tlsver_start(struct loop *loop, const struct probe_config *cfg,
    const char *helo, const struct sockaddr *sa, socklen_t salen,
    struct tls_versions *out, tlsver_done_cb done, void *arg)
{
	struct tlsver	*tv;

	tv = xcalloc(1, sizeof(*tv));
	tv->loop = loop;
	tv->cfg = cfg;
	snprintf(tv->helo, sizeof(tv->helo), "%s", helo);
	if (salen > sizeof(tv->sa))
		salen = sizeof(tv->sa);
	memcpy(&tv->sa, sa, salen);
	tv->salen = salen;
	tv->out = out;
	tv->done = done;
	tv->arg = arg;
	tv->fd = -1;
	tls_versions_clear(out);
	out->probed = 1;
	tlsver_next(tv);
	return tv;
}

void
tlsver_free(struct tlsver *tv)
{
	if (tv == NULL)
		return;
	tlsver_close(tv);
	loop_timer_stop(tv->loop, &tv->timer);
	free(tv);
}
