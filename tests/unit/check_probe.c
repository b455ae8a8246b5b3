/* SPDX-License-Identifier: ISC */
/*
 * check_probe - the SMTP session state machine, driven over a
 * socketpair() by a scripted peer on the same loop: what is sent, what is
 * recorded, how each way a session can end is reported.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "loop.h"
#include "probe.h"
#include "reply.h"
#include "result.h"
#include "tls.h"

/* ---- the scripted peer -------------------------------------------------- */

struct rule {
	const char	*verb;		/* first word of the client's line */
	const char	*reply;		/* bytes to send; NULL: stay silent; "CLOSE": close */
};

struct scenario {
	const char	*name;
	const char	*banner;	/* bytes; NULL: silent */
	struct rule	 rules[8];
	int		 timeout_ms;
	/* expectations */
	int		 want_banner;
	int		 want_ehlo;
	int		 want_helo;	/* EHLO refused, HELO used */
	int		 want_codes[3];	/* VRFY EXPN TURN; 0: no reply */
	int		 want_status[3];
	int		 want_fail;
	int		 want_quit;	/* code of the QUIT reply, 0: none */
	unsigned	 want_flags;	/* bits that must be set in hr.flags */
	const char	*want_sent;	/* the client's lines, '|' separated */
};

#define EHLO_OK	"250-fake.test\r\n250-PIPELINING\r\n250 ETRN\r\n"

static const struct scenario scenarios[] = {
	{ "postfix-like", "220 fake.test ESMTP\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "502 5.5.1 VRFY command is disabled\r\n" },
	    { "EXPN", "502 5.5.2 Error: command not recognized\r\n" },
	    { "TURN", "502 5.5.2 Error: command not recognized\r\n" },
	    { "QUIT", "221 2.0.0 Bye\r\n" } }, 2000,
	  220, 250, 0, { 502, 502, 502 },
	  { ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED },
	  PROBE_F_NONE, 221, 0,
	  "EHLO probe.test|VRFY postmaster|EXPN postmaster|TURN|QUIT" },
	{ "exim-like", "220 exim.test ESMTP Exim 4.96\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "252 2.1.5 Administrative prohibition\r\n" },
	    { "EXPN", "550 5.7.1 Administrative prohibition\r\n" },
	    { "TURN", "500 5.5.1 Unrecognized command\r\n" },
	    { "QUIT", "221 closing\r\n" } }, 2000,
	  220, 250, 0, { 252, 550, 500 },
	  { ST_CANNOT_VERIFY, ST_REFUSED, ST_NOT_RECOGNIZED },
	  PROBE_F_NONE, 221, 0, NULL },
	{ "permissive", "220 old.test Sendmail\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "251 2.1.5 User not local; will forward\r\n" },
	    { "EXPN", "250-<a@old.test>\r\n250 <b@old.test>\r\n" },
	    { "TURN", "250 OK\r\n" }, { "QUIT", "221 bye\r\n" } }, 2000,
	  220, 250, 0, { 251, 250, 250 },
	  { ST_SUPPORTED, ST_SUPPORTED, ST_SUPPORTED }, PROBE_F_NONE, 221, 0, NULL },
	{ "greylisting", "220 grey.test\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "451 4.7.1 try later\r\n" },
	    { "EXPN", "451 4.7.1 try later\r\n" }, { "TURN", "451 4.7.1 later\r\n" },
	    { "QUIT", "221 bye\r\n" } }, 2000,
	  220, 250, 0, { 451, 451, 451 },
	  { ST_TEMPORARY, ST_TEMPORARY, ST_TEMPORARY }, PROBE_F_NONE, 221, 0, NULL },
	{ "554 greeting", "554 5.7.1 go away\r\n",
	  { { "QUIT", "221 bye\r\n" } }, 2000,
	  554, 0, 0, { 0, 0, 0 }, { ST_NOT_TRIED, ST_NOT_TRIED, ST_NOT_TRIED },
	  PROBE_F_REJECT, 221, 0, "QUIT" },
	{ "HELO fallback", "220 ancient.test\r\n",
	  { { "EHLO", "502 5.5.2 what?\r\n" }, { "HELO", "250 ancient.test\r\n" },
	    { "VRFY", "502 no\r\n" }, { "EXPN", "502 no\r\n" }, { "TURN", "502 no\r\n" },
	    { "QUIT", "221 bye\r\n" } }, 2000,
	  220, 502, 1, { 502, 502, 502 },
	  { ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED },
	  PROBE_F_NONE, 221, 0,
	  "EHLO probe.test|HELO probe.test|VRFY postmaster|EXPN postmaster|TURN|QUIT" },
	{ "421 after EHLO", "220 busy.test\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "421 4.3.2 shutting down\r\n" } }, 2000,
	  220, 250, 0, { 421, 0, 0 }, { ST_TEMPORARY, ST_NOT_TRIED, ST_NOT_TRIED },
	  PROBE_F_SHUTDOWN, 0, 0, NULL },
	{ "close after VRFY", "220 flaky.test\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "CLOSE" } }, 2000,
	  220, 250, 0, { 0, 0, 0 }, { ST_ERROR, ST_NOT_TRIED, ST_NOT_TRIED },
	  PROBE_F_CONN, 0, 0, NULL },
	{ "silent at EXPN", "220 slow.test\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "252 maybe\r\n" }, { "EXPN", NULL } }, 150,
	  220, 250, 0, { 252, 0, 0 }, { ST_CANNOT_VERIFY, ST_ERROR, ST_NOT_TRIED },
	  PROBE_F_TIMEOUT, 0, 0,
	  "EHLO probe.test|VRFY postmaster|EXPN postmaster|QUIT" },
	{ "silent server", NULL, { { NULL, NULL } }, 150,
	  0, 0, 0, { 0, 0, 0 }, { ST_NOT_TRIED, ST_NOT_TRIED, ST_NOT_TRIED },
	  PROBE_F_TIMEOUT, 0, 0, "" },
	{ "garbage reply", "220 odd.test\r\n",
	  { { "EHLO", "HTTP/1.1 400 Bad Request\r\n" } }, 2000,
	  220, 0, 0, { 0, 0, 0 }, { ST_NOT_TRIED, ST_NOT_TRIED, ST_NOT_TRIED },
	  PROBE_F_PROTO, 0, 0, NULL },
	{ "bare LF and multi-line banner", "220-lf.test\n220 second line\n",
	  { { "EHLO", "250 lf.test\n" }, { "VRFY", "502 no\n" }, { "EXPN", "502 no\n" },
	    { "TURN", "502 no\n" }, { "QUIT", "221 bye\n" } }, 2000,
	  220, 250, 0, { 502, 502, 502 },
	  { ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED },
	  PROBE_F_NONE, 221, REPLY_F_BARE_LF, NULL },
	{ "extra bytes after a reply", "220 chatty.test\r\n",
	  { { "EHLO", EHLO_OK "250 surprise\r\n" }, { "VRFY", "502 no\r\n" },
	    { "EXPN", "502 no\r\n" }, { "TURN", "502 no\r\n" }, { "QUIT", "221 bye\r\n" } },
	  2000, 220, 250, 0, { 502, 502, 502 },
	  { ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED },
	  PROBE_F_NONE, 221, HOST_F_EXTRA_BYTES, NULL },
	{ "close without 221", "220 rude.test\r\n",
	  { { "EHLO", EHLO_OK }, { "VRFY", "502 no\r\n" }, { "EXPN", "502 no\r\n" },
	    { "TURN", "502 no\r\n" }, { "QUIT", "CLOSE" } }, 2000,
	  220, 250, 0, { 502, 502, 502 },
	  { ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED, ST_NOT_IMPLEMENTED },
	  PROBE_F_NONE, 0, 0, NULL },
};

struct peer {
	const struct scenario	*sc;
	struct loop		*loop;
	int			 fd;
	struct loop_io		 io;
	char			 in[4096];
	size_t			 inlen;
	char			 sent[1024];	/* client lines joined by '|' */
};

static void
peer_close(struct peer *pr)
{
	if (pr->fd == -1)
		return;
	loop_io_stop(pr->loop, &pr->io);
	close(pr->fd);
	pr->fd = -1;
}

static void
peer_line(struct peer *pr, const char *line)
{
	const struct rule	*r;
	size_t			 i, used = strlen(pr->sent);

	snprintf(pr->sent + used, sizeof(pr->sent) - used, "%s%s",
	    used > 0 ? "|" : "", line);
	for (i = 0; i < 8; i++) {
		r = &pr->sc->rules[i];
		if (r->verb == NULL)
			break;
		if (strncmp(line, r->verb, strlen(r->verb)) != 0)
			continue;
		if (r->reply == NULL)
			return;
		if (strcmp(r->reply, "CLOSE") == 0) {
			peer_close(pr);
			return;
		}
		ck_assert_int_eq(write(pr->fd, r->reply, strlen(r->reply)),
		    (ssize_t)strlen(r->reply));
		return;
	}
}

static void
peer_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct peer	*pr = arg;
	ssize_t		 n;
	char		*nl;

	n = read(fd, pr->in + pr->inlen, sizeof(pr->in) - pr->inlen - 1);
	if (n <= 0) {
		peer_close(pr);
		return;
	}
	pr->inlen += (size_t)n;
	pr->in[pr->inlen] = '\0';
	while (pr->fd != -1 && (nl = strstr(pr->in, "\r\n")) != NULL) {
		*nl = '\0';
		peer_line(pr, pr->in);
		memmove(pr->in, nl + 2, pr->inlen - (size_t)(nl + 2 - pr->in) + 1);
		pr->inlen -= (size_t)(nl + 2 - pr->in) + 0;
		pr->inlen = strlen(pr->in);
	}
}

/* ---- the tests ------------------------------------------------------------ */

static int	 done_calls;

static void
cfg_init(struct probe_config *cfg, const struct probe_cmd *cmds, size_t ncmds,
    int timeout_ms)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->helo = "probe.test";
	cfg->cmds = cmds;
	cfg->ncmds = ncmds;
	cfg->connect_timeout_ms = 1000;
	cfg->timeout_ms = timeout_ms;
}

static void
done_cb(struct probe *p, struct host_result *hr, void *arg)
{
	done_calls++;
	probe_free(p);
}

static const struct probe_cmd default_cmds[] = {
	{ "VRFY", NULL }, { "EXPN", NULL }, { "TURN", NULL }
};

START_TEST(session)
{
	const struct scenario	*sc = &scenarios[_i];
	struct loop		*loop = loop_new();
	struct probe_config	 cfg;
	struct host_result	 hr;
	struct peer		 pr;
	int			 sv[2], i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.helo = "probe.test";
	cfg.cmds = default_cmds;
	cfg.ncmds = 3;
	cfg.domain = "example.test";
	cfg.connect_timeout_ms = 1000;
	cfg.timeout_ms = sc->timeout_ms;
	cfg.deadline_ms = 5000;
	cfg.transcript = 1;
	memset(&hr, 0, sizeof(hr));
	memset(&pr, 0, sizeof(pr));
	done_calls = 0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pr.sc = sc;
	pr.loop = loop;
	pr.fd = sv[1];
	ck_assert_int_eq(loop_io_start(loop, &pr.io, sv[1], LOOP_READ, peer_cb, &pr), 0);
	if (sc->banner != NULL)
		ck_assert_int_eq(write(sv[1], sc->banner, strlen(sc->banner)),
		    (ssize_t)strlen(sc->banner));
	ck_assert_ptr_nonnull(probe_start_fd(loop, &cfg, sv[0], &hr, done_cb, NULL));
	ck_assert_int_eq(done_calls, 0);	/* never from inside probe_start */

	while (done_calls == 0)
		ck_assert_int_ne(loop_run_once(loop, 1000), -1);
	/* let the peer read what was sent last (a QUIT not waited for) */
	for (i = 0; i < 10 && pr.fd != -1; i++)
		loop_run_once(loop, 50);
	peer_close(&pr);
	ck_assert_int_eq(done_calls, 1);

	ck_assert_msg(hr.banner.code == sc->want_banner, "%s: banner: got %d, want %d",
	    sc->name, hr.banner.code, sc->want_banner);
	ck_assert_msg(hr.ehlo.reply.code == sc->want_ehlo, "%s: EHLO: got %d, want %d",
	    sc->name, hr.ehlo.reply.code, sc->want_ehlo);
	ck_assert_msg(hr.ehlo.used_helo == sc->want_helo, "%s: HELO fallback: got %d, want %d",
	    sc->name, hr.ehlo.used_helo, sc->want_helo);
	ck_assert_uint_eq(hr.ncmds, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_msg(hr.cmds[i].reply.code == sc->want_codes[i],
		    "%s: %s: got code %d, want %d", sc->name, hr.cmds[i].verb,
		    hr.cmds[i].reply.code, sc->want_codes[i]);
		ck_assert_msg((int)hr.cmds[i].status == sc->want_status[i],
		    "%s: %s: got status %s, want %s", sc->name, hr.cmds[i].verb,
		    status_name(hr.cmds[i].status), status_name(sc->want_status[i]));
		if (hr.cmds[i].status == ST_NOT_TRIED)
			ck_assert_msg(hr.cmds[i].why_not_tried != NULL,
			    "%s: %s not tried without a reason", sc->name, hr.cmds[i].verb);
	}
	ck_assert_msg((int)hr.fail == sc->want_fail, "%s: failure: got %s, want %s",
	    sc->name, probe_fail_name(hr.fail), probe_fail_name(sc->want_fail));
	if (sc->want_fail != PROBE_F_NONE)
		ck_assert_msg(hr.error != NULL && hr.fail_state != NULL,
		    "%s: failure without error text or state", sc->name);
	ck_assert_msg(hr.quit.code == sc->want_quit, "%s: QUIT: got %d, want %d",
	    sc->name, hr.quit.code, sc->want_quit);
	ck_assert_msg((hr.flags & sc->want_flags) == sc->want_flags,
	    "%s: flags: got %#x, want %#x set", sc->name, hr.flags, sc->want_flags);
	if (sc->want_sent != NULL)
		ck_assert_str_eq(pr.sent, sc->want_sent);
	/* the probe never sends DATA */
	ck_assert_ptr_null(strstr(pr.sent, "DATA"));
	/* the transcript shows both directions */
	if (sc->banner != NULL)
		ck_assert_ptr_nonnull(hr.transcript);

	result_host_clear(&hr);
	ck_assert_uint_eq(loop_active_ios(loop), 0);
	ck_assert_uint_eq(loop_active_timers(loop), 0);
	loop_free(loop);
}
END_TEST

START_TEST(connect_refused)
{
	struct loop		*loop = loop_new();
	struct probe_config	 cfg;
	struct host_result	 hr;
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 s;

	/* a port that was just free: bind, learn it, close */
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	close(s);

	cfg_init(&cfg, default_cmds, 3, 1000);
	memset(&hr, 0, sizeof(hr));
	done_calls = 0;
	ck_assert_ptr_nonnull(probe_start(loop, &cfg, (struct sockaddr *)&sin,
	    sizeof(sin), &hr, done_cb, NULL));
	while (done_calls == 0)
		loop_run_once(loop, 1000);
	ck_assert_int_eq(hr.connect.ok, 0);
	ck_assert_ptr_nonnull(hr.connect.error);
	ck_assert_int_eq(hr.fail, PROBE_F_CONN);
	ck_assert_int_eq(hr.cmds[0].status, ST_NOT_TRIED);
	result_host_clear(&hr);
	ck_assert_uint_eq(loop_active_ios(loop), 0);
	ck_assert_uint_eq(loop_active_timers(loop), 0);
	loop_free(loop);
}
END_TEST

/* ---- TLS I/O in crossed directions ----------------------------------------- */

/*
 * A TLS 1.2 server peer on the same loop (implicit TLS): greeting, EHLO,
 * then before the VRFY reply it starts a renegotiation (HelloRequest)
 * and stops reading for TLSP_STALL_MS.  The client takes the 252, sends
 * QUIT, and its tls_write() wants to read (the renegotiation needs the
 * ServerHello): the probe must wait for the socket to be readable, not
 * poll for WRITE (a busy loop) nor stall until the timeout.
 */
#define TLSP_STALL_MS	300

struct tlspeer {
	struct loop		*loop;
	struct loop_io		 io;
	struct loop_timer	 stall;
	int			 fd;
	SSL			*ssl;
	int			 step;		/* lines answered */
	char			 in[512];
	size_t			 inlen;
	int			 renegotiated;
	int			 clogfd;	/* >= 0: fill the client's send queue */
	size_t			 clogged;	/* junk bytes queued that way */
};

static void
tlspeer_send(struct tlspeer *tp, const char *s)
{
	ck_assert_int_eq(SSL_write(tp->ssl, s, (int)strlen(s)), (int)strlen(s));
}

static void tlspeer_cb(struct loop_io *, int, int, void *);

/*
 * Fill the client's send queue: junk written on the client's own socket
 * until not even one more byte fits.  It waits in the peer's receive
 * queue, and the peer drains it, unread by TLS, when it resumes.
 */
static void
tlspeer_clog(struct tlspeer *tp)
{
	char	 junk[4096];
	size_t	 chunk = sizeof(junk);
	ssize_t	 n;

	memset(junk, 'j', sizeof(junk));
	while (chunk > 0) {
		n = write(tp->clogfd, junk, chunk);
		if (n > 0)
			tp->clogged += (size_t)n;
		else
			chunk /= 2;
	}
}

static void
tlspeer_resume_cb(struct loop_timer *t, void *arg)
{
	struct tlspeer	*tp = arg;
	char		 junk[4096];
	ssize_t		 n;

	while (tp->clogged > 0) {
		n = read(tp->fd, junk, tp->clogged < sizeof(junk) ?
		    tp->clogged : sizeof(junk));
		ck_assert_int_gt(n, 0);
		tp->clogged -= (size_t)n;
	}
	loop_io_start(tp->loop, &tp->io, tp->fd, LOOP_READ, tlspeer_cb, tp);
}

static void
tlspeer_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct tlspeer	*tp = arg;
	char		*nl;
	int		 n;

	if (!SSL_is_init_finished(tp->ssl) && tp->step == 0) {
		if (SSL_do_handshake(tp->ssl) != 1)
			return;
		tlspeer_send(tp, "220 tls.test ESMTP\r\n");
		tp->step = 1;
		return;
	}
	for (;;) {
		n = SSL_read(tp->ssl, tp->in + tp->inlen,
		    (int)(sizeof(tp->in) - 1 - tp->inlen));
		if (n <= 0) {
			if (SSL_get_error(tp->ssl, n) != SSL_ERROR_WANT_READ &&
			    SSL_get_error(tp->ssl, n) != SSL_ERROR_WANT_WRITE) {
				loop_io_stop(tp->loop, &tp->io);
				close(tp->fd);
				tp->fd = -1;
			}
			return;
		}
		tp->inlen += (size_t)n;
		tp->in[tp->inlen] = '\0';
		while ((nl = strchr(tp->in, '\n')) != NULL) {
			if (strncmp(tp->in, "EHLO", 4) == 0)
				tlspeer_send(tp, "250 tls.test\r\n");
			else if (strncmp(tp->in, "VRFY", 4) == 0) {
				/* HelloRequest, then the reply, then go quiet */
				if (tp->clogfd >= 0)
					tlspeer_clog(tp);
				ck_assert_int_eq(SSL_renegotiate(tp->ssl), 1);
				(void)SSL_do_handshake(tp->ssl);
				tlspeer_send(tp, "252 2.1.5 Cannot VRFY\r\n");
				tp->renegotiated = 1;
				loop_io_stop(tp->loop, &tp->io);
				loop_timer_start(tp->loop, &tp->stall, TLSP_STALL_MS,
				    tlspeer_resume_cb, tp);
			} else if (strncmp(tp->in, "QUIT", 4) == 0) {
				tlspeer_send(tp, "221 2.0.0 Bye\r\n");
				loop_io_stop(tp->loop, &tp->io);
				close(tp->fd);
				tp->fd = -1;
				return;
			} else
				tlspeer_send(tp, "500 5.5.2 what\r\n");
			tp->inlen -= (size_t)(nl + 1 - tp->in);
			memmove(tp->in, nl + 1, tp->inlen + 1);
			if (!tp->io.active)
				return;
		}
	}
}

/* a throw-away self-signed P-256 certificate for the peer */
static SSL_CTX *
tlspeer_ctx(void)
{
	SSL_CTX		*ctx;
	EVP_PKEY	*key;
	X509		*x;

	ck_assert_ptr_nonnull(key = EVP_EC_gen("P-256"));
	ck_assert_ptr_nonnull(x = X509_new());
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	    (const unsigned char *)"tls.test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, key);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	ck_assert_ptr_nonnull(ctx = SSL_CTX_new(TLS_server_method()));
	ck_assert_int_eq(SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION), 1);
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
}

/*
 * tls_crossed - run the renegotiating peer; with clog, the client's send
 * queue is full when the HelloRequest arrives, so its tls_read() wants
 * to write (the ClientHello): the probe must retry the read once the
 * socket is writable, not stall until the timeout
 */
static void
tls_crossed(int clog)
{
	static const struct probe_cmd	 cmds[] = { { "VRFY", NULL } };
	struct loop		*loop = loop_new();
	struct probe_config	 cfg;
	struct host_result	 hr;
	struct tlspeer		 tp;
	struct tls_ctx		*cctx;
	SSL_CTX			*sctx = tlspeer_ctx();
	char			 err[256];
	uint64_t		 t0;
	int			 sv[2], turns = 0;

	ck_assert_ptr_nonnull(cctx = tls_ctx_new(NULL, err, sizeof(err)));
	cfg_init(&cfg, cmds, 1, 3000);
	cfg.deadline_ms = 5000;
	cfg.tls_ctx = cctx;
	cfg.implicit_tls = 1;
	cfg.transcript = 1;
	memset(&hr, 0, sizeof(hr));
	memset(&tp, 0, sizeof(tp));
	tp.clogfd = -1;
	done_calls = 0;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	tp.loop = loop;
	tp.fd = sv[1];
	if (clog)
		tp.clogfd = sv[0];
	ck_assert_ptr_nonnull(tp.ssl = SSL_new(sctx));
	SSL_set_fd(tp.ssl, sv[1]);
	SSL_set_accept_state(tp.ssl);
	ck_assert_int_eq(loop_io_start(loop, &tp.io, sv[1], LOOP_READ, tlspeer_cb, &tp), 0);
	ck_assert_ptr_nonnull(probe_start_fd(loop, &cfg, sv[0], &hr, done_cb, NULL));
	loop_update_time(loop);
	t0 = loop_now(loop);
	while (done_calls == 0 && turns < 100000) {
		ck_assert_int_ne(loop_run_once(loop, 1000), -1);
		turns++;
	}
	loop_update_time(loop);
	ck_assert_int_eq(done_calls, 1);
	ck_assert_int_eq(tp.renegotiated, 1);
	if (clog)
		ck_assert_uint_eq(tp.clogged, 0);	/* all of it drained */
	ck_assert_msg(hr.fail == PROBE_F_NONE, "failed: %s", hr.error);
	ck_assert_int_eq(hr.tls.ok, 1);
	ck_assert_int_eq(hr.cmds[0].reply.code, 252);
	ck_assert_int_eq(hr.quit.code, 221);
	/* progress, not the timeout: the stall, then at once */
	ck_assert_uint_lt(loop_now(loop) - t0, 1500);
	/* and no spinning while the peer was quiet: a few turns, not thousands */
	ck_assert_msg(turns < 100, "%d loop turns", turns);

	loop_timer_stop(loop, &tp.stall);
	loop_io_stop(loop, &tp.io);
	SSL_free(tp.ssl);
	if (tp.fd != -1)
		close(tp.fd);
	SSL_CTX_free(sctx);
	tls_ctx_free(cctx);
	result_host_clear(&hr);
	loop_free(loop);
}

START_TEST(tls_write_wants_read)
{
	tls_crossed(0);
}
END_TEST

START_TEST(tls_read_wants_write)
{
	tls_crossed(1);
}
END_TEST

static Suite *
probe_suite(void)
{
	Suite	*s = suite_create("probe");
	TCase	*tc;

	tc = tcase_create("sessions");
	tcase_add_loop_test(tc, session, 0, sizeof(scenarios) / sizeof(scenarios[0]));
	tcase_add_test(tc, connect_refused);
	tcase_add_test(tc, tls_write_wants_read);
	tcase_add_test(tc, tls_read_wants_write);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(probe_suite());
	int	 failed;

	signal(SIGPIPE, SIG_IGN);	/* as smtpprobe does: TLS writes use write(2) */

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
