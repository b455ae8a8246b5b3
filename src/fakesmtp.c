/* SPDX-License-Identifier: ISC */
/*
 * fakesmtp - a scripted SMTP server on the event loop (see fakesmtp.h
 * for the scenario language).
 *
 * Each connection is a small state machine driven by conn_process():
 * complete client lines (LF-terminated, one CR stripped: bare LF is
 * tolerated) are taken from the input buffer one at a time while the
 * connection is ready, so pipelined commands (RFC 2920) are answered in
 * order, each after its own scripted delay.  Replies are batched into one
 * output buffer and written when the socket allows.  Input is read even
 * while a reply is delayed (a real server's kernel buffers it too) up to
 * a cap; output beyond a cap pauses line processing (a client that
 * pipelines without reading).  Closing is graceful: flush, shut down the
 * write side, drain the client until EOF or a short linger timeout, so the
 * client sees our last reply and a FIN rather than a reset.
 *
 * TLS (STARTTLS or implicit) is OpenSSL on the same non-blocking fd:
 * SSL_accept() is stepped from the event loop, WANT_READ/WANT_WRITE only
 * change the fd interest; afterwards conn_read() and conn_flush() go
 * through SSL_read()/SSL_write() and the rest of the machine is the
 * same.  The error queue is cleared before every SSL call and emptied
 * after it: --demo runs the client in the same thread.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "fakesmtp.h"
#include "log.h"
#include "loop.h"
#include "util.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* the program ignores SIGPIPE */
#endif


#define FAKESMTP_VERB_MAX	32
#define FAKESMTP_IN_MAX		(64 * 1024)	/* stop reading beyond this */
#define FAKESMTP_OUT_HIGH	(64 * 1024)	/* stop answering beyond this */
#define FAKESMTP_LINGER_MS	1000
#define FAKESMTP_ACCEPT_BURST	128
#define FAKESMTP_PAUSE_MS	100		/* after EMFILE */

#define FAKESMTP_DEFAULT_WELCOME "220 fake.invalid ESMTP fakesmtp\r\n"
#define FAKESMTP_DEFAULT_REPLY	"500 5.5.2 Command not recognized\r\n"
#define FAKESMTP_TOOLONG_REPLY	"500 5.5.6 Line too long\r\n"
#define FAKESMTP_STARTTLS_REPLY	"220 2.0.0 Ready to start TLS\r\n"
#define FAKESMTP_TLS_ACTIVE	"503 5.5.1 TLS already active\r\n"

/* a fatal handshake_failure alert record (RFC 8446 6, B.1: 21 3.3 len 2) */
#define FAKESMTP_TLS_ALERT	"\x15\x03\x03\x00\x02\x02\x28"
#define FAKESMTP_TLS_GARBAGE	"500 5.5.1 this is not TLS\r\n"

#define FAKESMTP_EXPECT_CONNS	9	/* expect1 ... expect9 */

enum fakesmtp_tls_fail {
	TLS_FAIL_NONE,
	TLS_FAIL_ALERT,		/* a TLS alert record for the ClientHello */
	TLS_FAIL_GARBAGE,	/* non-TLS bytes for the ClientHello */
	TLS_FAIL_CLOSE		/* close, no handshake */
};

struct fakesmtp_rule {
	char		 verb[FAKESMTP_VERB_MAX];	/* upper case */
	char		 argp[FAKESMTP_VERB_MAX];	/* reply-arg: argument prefix */
	struct buf	 reply;
	int		 has_reply;
	unsigned	 delay_ms;
	int		 close_before;
	int		 close_after;
	int		 starttls;	/* after the reply: TLS (or tls-fail) */
};

struct fakesmtp_expect {
	char		**lines;
	size_t		 n;
	int		 set;
};

struct fakesmtp_script {
	struct buf		 welcome;
	int			 has_welcome;
	unsigned		 welcome_delay_ms;
	int			 silent;
	struct fakesmtp_rule	*rules;
	size_t			 nrules;
	struct buf		 deflt;
	/* [0] `expect', every connection; [N] `expectN', connection N */
	struct fakesmtp_expect	 expect[FAKESMTP_EXPECT_CONNS + 1];
	unsigned		 expect_conns;	/* highest N given */
	/* TLS */
	char			*tls_cert, *tls_key;
	unsigned		 tls_cert_line;
	SSL_CTX			*tls_ctx;	/* with tls-cert */
	int			 starttls;
	struct buf		 inject;	/* starttls-inject */
	enum fakesmtp_tls_fail	 tls_fail;
	int			 implicit_tls;
	int			 tls_max;	/* TLS1_2_VERSION ...; 0: no cap */
	int			 tls_min;	/* TLS1_VERSION ...; 0: library default */
	struct fakesmtp_rule	*tls_rules;	/* reply-tls */
	size_t			 ntls_rules;
	struct fakesmtp_rule	*arg_rules;	/* reply-arg */
	size_t			 narg_rules;
};

enum conn_state {
	CONN_S_WELCOME,		/* waiting to send the greeting */
	CONN_S_READY,		/* taking client lines */
	CONN_S_DELAY,		/* a reply is held back by `delay' */
	CONN_S_CLOSING,		/* flush, then linger */
	CONN_S_LINGER,		/* write side shut, draining the client */
	CONN_S_STARTTLS,	/* flush the 220, then handshake or tls-fail */
	CONN_S_HANDSHAKE,	/* SSL_accept() in progress */
	CONN_S_TLS_FAIL,	/* tls-fail: waiting for the ClientHello */
	CONN_S_LAST
};

static const char *const conn_strstate[CONN_S_LAST] = {
	"WELCOME", "READY", "DELAY", "CLOSING", "LINGER", "STARTTLS",
	"HANDSHAKE", "TLS_FAIL"
};

struct fakesmtp_conn {
	struct fakesmtp			*srv;
	struct fakesmtp_conn		*prev, *next;
	unsigned long			 id;
	int				 fd;
	enum conn_state			 state;
	struct loop_io			 io;
	struct loop_timer		 timer;
	struct buf			 in;
	struct buf			 out;
	const struct fakesmtp_rule	*pending;	/* CONN_S_DELAY */
	int				 eof;		/* client closed */
	int				 skipping;	/* inside an overlong line */
	const struct fakesmtp_expect	*expect;	/* NULL: unchecked */
	size_t				 expect_pos;
	int				 expect_bad;
	SSL				*ssl;
	int				 tls_up;	/* I/O goes through ssl */
	int				 tls_dead;	/* fatal error: no shutdown */
	int				 greeted;	/* implicit TLS: greeting due */
	int				 hello;		/* TLS_FAIL: ClientHello came */
	int				 quit;		/* QUIT received: session over */
};

struct fakesmtp {
	struct loop			*loop;
	const struct fakesmtp_script	*script;
	int				 fd;
	uint16_t			 port;
	struct loop_io			 io;
	struct loop_timer		 pause;
	struct fakesmtp_conn		*conns;
	struct fakesmtp_stats		 stats;
	fakesmtp_event_cb		 obs;
	void				*obs_arg;
};

static void	conn_process(struct fakesmtp_conn *);
static void	conn_close(struct fakesmtp_conn *, const char *);
static void	conn_read(struct fakesmtp_conn *);
static void	conn_timer_cb(struct loop_timer *, void *);

/* ---- scenario parsing --------------------------------------------------- */

static int
fakesmtp_hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower((unsigned char)ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/*
 * Decode escapes of s[0..n) into out.  Returns 0, or -1 with the reason
 * in *why.
 */
static int
fakesmtp_unescape(const char *s, size_t n, struct buf *out, const char **why)
{
	size_t	 i;
	char	 ch;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			buf_append(out, &s[i], 1);
			continue;
		}
		if (++i == n) {
			*why = "backslash at end of line";
			return -1;
		}
		switch (s[i]) {
		case 'r':	ch = '\r'; break;
		case 'n':	ch = '\n'; break;
		case 't':	ch = '\t'; break;
		case '\\':	ch = '\\'; break;
		case '|':	ch = '|'; break;
		case 'x':
			if (i + 2 >= n ||
			    (hi = fakesmtp_hexval(s[i + 1])) == -1 ||
			    (lo = fakesmtp_hexval(s[i + 2])) == -1) {
				*why = "\\x needs two hex digits";
				return -1;
			}
			ch = (char)(hi << 4 | lo);
			i += 2;
			break;
		default:
			*why = "unknown escape";
			return -1;
		}
		buf_append(out, &ch, 1);
	}
	return 0;
}

/* length of the next '|'-separated piece of s (escaped '|' skipped) */
static size_t
fakesmtp_piece(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && s[i] != '|'; i++)
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
	return i;
}

/* TEXT: pieces separated by '|', each decoded and followed by CRLF */
static int
fakesmtp_text(const char *s, struct buf *out, const char **why)
{
	size_t	 n;

	for (;;) {
		n = fakesmtp_piece(s);
		if (fakesmtp_unescape(s, n, out, why) == -1)
			return -1;
		buf_append(out, "\r\n", 2);
		if (s[n] == '\0')
			return 0;
		s += n + 1;
	}
}

static struct fakesmtp_rule *
fakesmtp_rule_find(struct fakesmtp_rule *rules, size_t nrules, const char *verb,
    size_t len)
{
	size_t	 i;

	if (len == 0 || len >= FAKESMTP_VERB_MAX)
		return NULL;
	for (i = 0; i < nrules; i++)
		if (strncasecmp(rules[i].verb, verb, len) == 0 &&
		    rules[i].verb[len] == '\0')
			return &rules[i];
	return NULL;
}

/* the rule for verb in *rules (created if new) */
static struct fakesmtp_rule *
fakesmtp_rule_get(struct fakesmtp_rule **rules, size_t *nrules, const char *verb)
{
	struct fakesmtp_rule	*r;
	size_t			 i;

	if ((r = fakesmtp_rule_find(*rules, *nrules, verb, strlen(verb))) != NULL)
		return r;
	*rules = xreallocarray(*rules, *nrules + 1, sizeof(**rules));
	r = &(*rules)[(*nrules)++];
	memset(r, 0, sizeof(*r));
	for (i = 0; verb[i] != '\0'; i++)
		r->verb[i] = (char)toupper((unsigned char)verb[i]);
	return r;
}

static int
fakesmtp_parse_ms(const char *s, unsigned *ms)
{
	char		*end;
	unsigned long	 v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno != 0 || *end != '\0' || v > 86400000UL)
		return -1;
	*ms = (unsigned)v;
	return 0;
}

static void
fakesmtp_builtin(struct fakesmtp_script *sc, const char *verb, const char *text,
    int close_after)
{
	struct fakesmtp_rule	*r = fakesmtp_rule_get(&sc->rules, &sc->nrules, verb);

	if (!r->has_reply) {
		buf_append(&r->reply, text, strlen(text));
		r->has_reply = 1;
	}
	if (close_after)
		r->close_after = 1;
}

/* expect (n 0) or expectN: L1|L2|... */
static int
fakesmtp_expect_parse(struct fakesmtp_script *sc, unsigned n, const char *p,
    const char **why)
{
	struct fakesmtp_expect	*e = &sc->expect[n];
	size_t			 len;

	if (e->set) {
		*why = "expect given twice";
		return -1;
	}
	e->set = 1;
	if (n > sc->expect_conns)
		sc->expect_conns = n;
	for (;;) {
		struct buf	 b = { 0 };

		len = fakesmtp_piece(p);
		if (fakesmtp_unescape(p, len, &b, why) == -1) {
			buf_free(&b);
			return -1;
		}
		buf_append(&b, "", 0);
		e->lines = xreallocarray(e->lines, e->n + 1, sizeof(*e->lines));
		e->lines[e->n++] = b.data;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* the TLS directives (see fakesmtp.h) */
static int
fakesmtp_tls_directive(struct fakesmtp_script *sc, char *kw, char *arg,
    const char **why)
{
	static const struct {
		const char	*name;
		int		 version;
	} versions[] = {
		{ "1.0", TLS1_VERSION }, { "1.1", TLS1_1_VERSION },
		{ "1.2", TLS1_2_VERSION }, { "1.3", TLS1_3_VERSION }
	};
	size_t	 i, n;

	if (strcmp(kw, "starttls-inject") == 0) {
		sc->starttls = 1;
		if (*arg == '\0') {
			*why = "starttls-inject needs BYTES";
			return -1;
		}
		return fakesmtp_unescape(arg, strlen(arg), &sc->inject, why);
	}
	if (strcmp(kw, "tls-cert") == 0) {
		char	*key;

		if (sc->tls_cert != NULL) {
			*why = "tls-cert given twice";
			return -1;
		}
		n = strcspn(arg, " \t");
		key = arg + n + strspn(arg + n, " \t");
		if (n == 0 || *key == '\0' || key[strcspn(key, " \t")] != '\0') {
			*why = "tls-cert needs CERTFILE KEYFILE";
			return -1;
		}
		sc->tls_cert = xstrndup(arg, n);
		sc->tls_key = xstrdup(key);
		return 0;
	}
	if (strcmp(kw, "tls-fail") == 0) {
		sc->starttls = 1;
		if (strcmp(arg, "alert") == 0)
			sc->tls_fail = TLS_FAIL_ALERT;
		else if (strcmp(arg, "garbage") == 0)
			sc->tls_fail = TLS_FAIL_GARBAGE;
		else if (strcmp(arg, "close") == 0)
			sc->tls_fail = TLS_FAIL_CLOSE;
		else {
			*why = "tls-fail takes alert, garbage or close";
			return -1;
		}
		return 0;
	}
	if (strcmp(kw, "tls-max-version") == 0 ||
	    strcmp(kw, "tls-min-version") == 0) {
		for (i = 0; i < nitems(versions); i++)
			if (strcmp(arg, versions[i].name) == 0) {
				*(kw[4] == 'm' && kw[5] == 'a' ? &sc->tls_max :
				    &sc->tls_min) = versions[i].version;
				return 0;
			}
		*why = "tls-max-version and tls-min-version take 1.0, 1.1, "
		    "1.2 or 1.3";
		return -1;
	}
	if (*arg != '\0') {
		*why = "trailing text";
		return -1;
	}
	if (strcmp(kw, "starttls") == 0) {
		sc->starttls = 1;
		return 0;
	}
	if (strcmp(kw, "implicit-tls") == 0) {
		sc->implicit_tls = 1;
		return 0;
	}
	*why = "unknown directive";
	return -1;
}

/* the server context of tls-cert; 0, or -1 with the reason in err */
static int
fakesmtp_tls_setup(struct fakesmtp_script *sc, char *err, size_t errlen)
{
	SSL_CTX		*ctx;
	const char	*what;
	char		 ebuf[256];

	ERR_clear_error();
	what = "SSL_CTX_new";
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		goto fail;
	what = sc->tls_cert;
	if (SSL_CTX_use_certificate_chain_file(ctx, sc->tls_cert) != 1)
		goto fail;
	what = sc->tls_key;
	if (SSL_CTX_use_PrivateKey_file(ctx, sc->tls_key, SSL_FILETYPE_PEM) != 1)
		goto fail;
	what = "the key does not match the certificate";
	if (SSL_CTX_check_private_key(ctx) != 1)
		goto fail;
	what = "tls-max-version";
	/*
	 * OpenSSL 3 allows TLS 1.0 and 1.1 only at security level 0, of
	 * the context and of the cipher string (the system openssl.cnf
	 * may set @SECLEVEL=2 there)
	 */
	if ((sc->tls_max != 0 && sc->tls_max < TLS1_2_VERSION) ||
	    (sc->tls_min != 0 && sc->tls_min < TLS1_2_VERSION)) {
		SSL_CTX_set_security_level(ctx, 0);
		if (SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0") != 1)
			goto fail;
	}
	if (sc->tls_max != 0 &&
	    SSL_CTX_set_max_proto_version(ctx, sc->tls_max) != 1)
		goto fail;
	what = "tls-min-version";
	if (sc->tls_min != 0 &&
	    SSL_CTX_set_min_proto_version(ctx, sc->tls_min) != 1)
		goto fail;
	/* a client that vanishes without close_notify is just gone */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	(void)SSL_CTX_set_num_tickets(ctx, 0);
	sc->tls_ctx = ctx;
	ERR_clear_error();
	return 0;

fail:
	/* the first error queued is the cause, the rest are callers */
	ERR_error_string_n(ERR_peek_error(), ebuf, sizeof(ebuf));
	ERR_clear_error();
	snprintf(err, errlen, "line %u: tls-cert: %s: %s", sc->tls_cert_line,
	    what, ebuf);
	SSL_CTX_free(ctx);
	return -1;
}

/*
 * After the last line: TLS checks, and reply-tls and reply-arg rules take
 * the delay and close rules of their verb.  0, or -1 with the reason in err.
 */
static int
fakesmtp_script_finish(struct fakesmtp_script *sc, unsigned lineno, char *err,
    size_t errlen)
{
	struct fakesmtp_rule	*r, *t;
	size_t			 i;

	if ((sc->starttls && sc->tls_fail == TLS_FAIL_NONE) ||
	    (sc->implicit_tls && sc->tls_fail == TLS_FAIL_NONE) ||
	    sc->tls_max != 0 || sc->ntls_rules > 0) {
		if (sc->tls_cert == NULL) {
			snprintf(err, errlen, "line %u: starttls, implicit-tls, "
			    "tls-max-version and reply-tls need tls-cert", lineno);
			return -1;
		}
	}
	if (sc->tls_cert != NULL && fakesmtp_tls_setup(sc, err, errlen) == -1)
		return -1;
	if (sc->starttls) {
		r = fakesmtp_rule_get(&sc->rules, &sc->nrules, "STARTTLS");
		if (!r->has_reply) {
			buf_append(&r->reply, FAKESMTP_STARTTLS_REPLY,
			    strlen(FAKESMTP_STARTTLS_REPLY));
			if (sc->inject.len > 0)
				buf_append(&r->reply, sc->inject.data, sc->inject.len);
			r->has_reply = 1;
			r->starttls = !r->close_before && !r->close_after;
		}
	}
	for (i = 0; i < sc->ntls_rules + sc->narg_rules; i++) {
		t = i < sc->ntls_rules ? &sc->tls_rules[i] :
		    &sc->arg_rules[i - sc->ntls_rules];
		r = fakesmtp_rule_find(sc->rules, sc->nrules, t->verb,
		    strlen(t->verb));
		if (r == NULL)
			continue;
		t->delay_ms = r->delay_ms;
		t->close_before = r->close_before;
		t->close_after = r->close_after;
	}
	return 0;
}

/*
 * reply-arg VERB ARGPREFIX TEXT: a rule of its own for the lines "VERB
 * ARG" whose ARG starts with ARGPREFIX (case-insensitive); repeated
 * lines for the same pair append to its reply
 */
static int
fakesmtp_arg_rule(struct fakesmtp_script *sc, const char *verb, char *arg,
    const char **why)
{
	struct fakesmtp_rule	*r = NULL;
	size_t			 i, n;

	n = strcspn(arg, " \t");
	if (n == 0) {
		*why = "missing ARGPREFIX";
		return -1;
	}
	if (n >= FAKESMTP_VERB_MAX) {
		*why = "ARGPREFIX too long";
		return -1;
	}
	for (i = 0; i < sc->narg_rules && r == NULL; i++)
		if (strcasecmp(sc->arg_rules[i].verb, verb) == 0 &&
		    strncasecmp(sc->arg_rules[i].argp, arg, n) == 0 &&
		    sc->arg_rules[i].argp[n] == '\0')
			r = &sc->arg_rules[i];
	if (r == NULL) {
		sc->arg_rules = xreallocarray(sc->arg_rules, sc->narg_rules + 1,
		    sizeof(*sc->arg_rules));
		r = &sc->arg_rules[sc->narg_rules++];
		memset(r, 0, sizeof(*r));
		for (i = 0; verb[i] != '\0'; i++)
			r->verb[i] = (char)toupper((unsigned char)verb[i]);
		memcpy(r->argp, arg, n);
	}
	arg += n;
	arg += strspn(arg, " \t");
	r->has_reply = 1;
	return fakesmtp_text(arg, &r->reply, why);
}

/* one directive; line is NUL-terminated, without newline */
static int
fakesmtp_directive(struct fakesmtp_script *sc, char *line, const char **why)
{
	char			*kw = line, *arg, *verb = NULL;
	struct fakesmtp_rule	*r;
	size_t			 n;

	n = strcspn(kw, " \t");
	arg = kw + n;
	if (*arg != '\0')
		*arg++ = '\0';
	arg += strspn(arg, " \t");

	/* directives that take a VERB first */
	if (strcmp(kw, "reply") == 0 || strcmp(kw, "raw") == 0 ||
	    strcmp(kw, "delay") == 0 || strcmp(kw, "close") == 0 ||
	    strcmp(kw, "close-after") == 0 || strcmp(kw, "reply-tls") == 0 ||
	    strcmp(kw, "reply-arg") == 0) {
		verb = arg;
		n = strcspn(verb, " \t");
		if (n == 0) {
			*why = "missing VERB";
			return -1;
		}
		if (n >= FAKESMTP_VERB_MAX) {
			*why = "VERB too long";
			return -1;
		}
		arg = verb + n;
		if (*arg != '\0')
			*arg++ = '\0';
		arg += strspn(arg, " \t");
	}

	if (strcmp(kw, "welcome") == 0 || strcmp(kw, "raw-welcome") == 0) {
		sc->has_welcome = 1;
		if (kw[0] == 'r')
			return fakesmtp_unescape(arg, strlen(arg), &sc->welcome, why);
		return fakesmtp_text(arg, &sc->welcome, why);
	}
	if (strcmp(kw, "welcome-delay") == 0) {
		if (fakesmtp_parse_ms(arg, &sc->welcome_delay_ms) == -1) {
			*why = "bad milliseconds";
			return -1;
		}
		return 0;
	}
	if (strcmp(kw, "silent") == 0) {
		if (*arg != '\0') {
			*why = "silent takes no argument";
			return -1;
		}
		sc->silent = 1;
		return 0;
	}
	if (strcmp(kw, "default") == 0) {
		return fakesmtp_text(arg, &sc->deflt, why);
	}
	if (strncmp(kw, "expect", 6) == 0 &&
	    (kw[6] == '\0' || (kw[6] >= '1' && kw[6] <= '0' + FAKESMTP_EXPECT_CONNS &&
	    kw[7] == '\0')))
		return fakesmtp_expect_parse(sc, kw[6] == '\0' ? 0 :
		    (unsigned)(kw[6] - '0'), arg, why);
	if (strncmp(kw, "tls-", 4) == 0 || strncmp(kw, "starttls", 8) == 0 ||
	    strcmp(kw, "implicit-tls") == 0)
		return fakesmtp_tls_directive(sc, kw, arg, why);
	if (verb == NULL) {
		*why = "unknown directive";
		return -1;
	}

	if (strcmp(kw, "reply-tls") == 0) {
		r = fakesmtp_rule_get(&sc->tls_rules, &sc->ntls_rules, verb);
		r->has_reply = 1;
		return fakesmtp_text(arg, &r->reply, why);
	}
	if (strcmp(kw, "reply-arg") == 0)
		return fakesmtp_arg_rule(sc, verb, arg, why);
	r = fakesmtp_rule_get(&sc->rules, &sc->nrules, verb);
	if (strcmp(kw, "reply") == 0) {
		r->has_reply = 1;
		return fakesmtp_text(arg, &r->reply, why);
	}
	if (strcmp(kw, "raw") == 0) {
		r->has_reply = 1;
		return fakesmtp_unescape(arg, strlen(arg), &r->reply, why);
	}
	if (strcmp(kw, "delay") == 0) {
		if (fakesmtp_parse_ms(arg, &r->delay_ms) == -1) {
			*why = "bad milliseconds";
			return -1;
		}
		return 0;
	}
	if (*arg != '\0') {
		*why = "trailing text after VERB";
		return -1;
	}
	if (strcmp(kw, "close") == 0)
		r->close_before = 1;
	else
		r->close_after = 1;
	return 0;
}

/*
 * fakesmtp_script_parse - compile scenario text
 *
 * Returns the script, or NULL with "line N: reason" in err.
 */
struct fakesmtp_script *
fakesmtp_script_parse(const char *text, char *err, size_t errlen)
{
	struct fakesmtp_script	*sc;
	const char		*p = text, *nl, *why = NULL;
	unsigned		 lineno = 0;

	sc = xcalloc(1, sizeof(*sc));
	while (*p != '\0') {
		char	*line;
		size_t	 n;

		lineno++;
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		line = xstrndup(p, n);
		p += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		{
			char	*s = line + strspn(line, " \t");

			if (*s != '\0' && *s != '#' &&
			    fakesmtp_directive(sc, s, &why) == -1) {
				snprintf(err, errlen, "line %u: %s", lineno, why);
				free(line);
				fakesmtp_script_free(sc);
				return NULL;
			}
		}
		free(line);
		if (sc->tls_cert != NULL && sc->tls_cert_line == 0)
			sc->tls_cert_line = lineno;
	}
	if (!sc->has_welcome)
		buf_append(&sc->welcome, FAKESMTP_DEFAULT_WELCOME,
		    strlen(FAKESMTP_DEFAULT_WELCOME));
	if (sc->deflt.len == 0)
		buf_append(&sc->deflt, FAKESMTP_DEFAULT_REPLY,
		    strlen(FAKESMTP_DEFAULT_REPLY));
	fakesmtp_builtin(sc, "EHLO", "250 fake.invalid\r\n", 0);
	fakesmtp_builtin(sc, "HELO", "250 fake.invalid\r\n", 0);
	fakesmtp_builtin(sc, "NOOP", "250 2.0.0 OK\r\n", 0);
	fakesmtp_builtin(sc, "RSET", "250 2.0.0 OK\r\n", 0);
	fakesmtp_builtin(sc, "QUIT", "221 2.0.0 Bye\r\n", 1);
	if (fakesmtp_script_finish(sc, lineno, err, errlen) == -1) {
		fakesmtp_script_free(sc);
		return NULL;
	}
	return sc;
}

/*
 * fakesmtp_script_free - NULL does nothing
 */
void
fakesmtp_script_free(struct fakesmtp_script *sc)
{
	size_t	 i, n;

	if (sc == NULL)
		return;
	buf_free(&sc->welcome);
	buf_free(&sc->deflt);
	for (i = 0; i < sc->nrules; i++)
		buf_free(&sc->rules[i].reply);
	free(sc->rules);
	for (i = 0; i < sc->ntls_rules; i++)
		buf_free(&sc->tls_rules[i].reply);
	free(sc->tls_rules);
	for (i = 0; i < sc->narg_rules; i++)
		buf_free(&sc->arg_rules[i].reply);
	free(sc->arg_rules);
	for (n = 0; n < nitems(sc->expect); n++) {
		for (i = 0; i < sc->expect[n].n; i++)
			free(sc->expect[n].lines[i]);
		free(sc->expect[n].lines);
	}
	free(sc->tls_cert);
	free(sc->tls_key);
	buf_free(&sc->inject);
	SSL_CTX_free(sc->tls_ctx);
	free(sc);
}

/*
 * fakesmtp_script_conns - the highest N of the expectN lines (0: none)
 */
unsigned
fakesmtp_script_conns(const struct fakesmtp_script *sc)
{
	return sc->expect_conns;
}

/* ---- connections -------------------------------------------------------- */

static void
conn_event(struct fakesmtp_conn *c, enum fakesmtp_event ev, const char *text)
{
	if (c->srv->obs != NULL)
		c->srv->obs(c->srv, ev, c->id, text, c->srv->obs_arg);
}

static void
conn_send(struct fakesmtp_conn *c, const struct buf *b)
{
	if (b->len == 0)
		return;
	buf_append(&c->out, b->data, b->len);
	conn_event(c, FAKESMTP_EV_SEND, b->data);
}

static void
conn_send_str(struct fakesmtp_conn *c, const char *s, size_t len)
{
	struct buf	 b = { 0 };

	buf_append(&b, s, len);
	conn_send(c, &b);
	buf_free(&b);
}

/* OpenSSL's reason for a failed call (the queue is left empty) */
static void
conn_ssl_reason(const char *op, char *out, size_t outlen)
{
	char		 ebuf[256];
	unsigned long	 e = ERR_get_error();

	if (e != 0)
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
	else if (errno != 0)
		snprintf(ebuf, sizeof(ebuf), "%s", strerror(errno));
	else
		snprintf(ebuf, sizeof(ebuf), "unexpected EOF");
	ERR_clear_error();
	snprintf(out, outlen, "%s: %s", op, ebuf);
}

/* got or want NULL: the end of the connection */
static void
conn_expect_fail(struct fakesmtp_conn *c, const char *got, const char *want)
{
	unsigned long	 n = (unsigned long)c->expect_pos + 1;
	char		*msg;

	c->expect_bad = 1;
	c->srv->stats.expect_failures++;
	if (c->srv->obs == NULL)
		return;
	if (got == NULL)
		msg = xasprintf("line %lu: got end of connection, want \"%s\"",
		    n, want);
	else if (want == NULL)
		msg = xasprintf("line %lu: got \"%s\", want end of connection",
		    n, got);
	else
		msg = xasprintf("line %lu: got \"%s\", want \"%s\"", n, got, want);
	conn_event(c, FAKESMTP_EV_EXPECT, msg);
	free(msg);
}

static int
fakesmtp_expect_match(const char *want, const char *got)
{
	size_t	 n = strlen(want);

	if (n > 0 && want[n - 1] == '*')
		return strncmp(want, got, n - 1) == 0;
	return strcmp(want, got) == 0;
}

static void
conn_expect(struct fakesmtp_conn *c, const char *line)
{
	const struct fakesmtp_expect	*e = c->expect;

	if (e == NULL || c->expect_bad)
		return;
	if (c->expect_pos >= e->n) {
		conn_expect_fail(c, line, NULL);
		return;
	}
	if (!fakesmtp_expect_match(e->lines[c->expect_pos], line)) {
		conn_expect_fail(c, line, e->lines[c->expect_pos]);
		return;
	}
	c->expect_pos++;
}

/* reply to one rule (NULL: the default) and apply close-after */
static void
conn_reply(struct fakesmtp_conn *c, const struct fakesmtp_rule *r)
{
	if (r != NULL && r->starttls && c->ssl != NULL) {
		/* STARTTLS inside TLS (RFC 3207 4.2 leaves it undefined) */
		conn_send_str(c, FAKESMTP_TLS_ACTIVE, strlen(FAKESMTP_TLS_ACTIVE));
		return;
	}
	if (r != NULL && r->has_reply)
		conn_send(c, &r->reply);
	else
		conn_send(c, &c->srv->script->deflt);
	if (r != NULL && r->close_after)
		c->state = CONN_S_CLOSING;
	else if (r != NULL && r->starttls) {
		/*
		 * RFC 3207 5: what the client pipelined after STARTTLS must
		 * not count as sent inside TLS.  Nothing is read again before
		 * the 220 is out, so in holds plaintext only.
		 */
		if (c->in.len > 0) {
			char	*msg = xasprintf("discarded %zu plaintext bytes sent "
			    "after STARTTLS", c->in.len);

			conn_event(c, FAKESMTP_EV_TLS, msg);
			free(msg);
			buf_consume(&c->in, c->in.len);
		}
		c->skipping = 0;
		c->state = CONN_S_STARTTLS;
	}
}

/* the greeting, now or after welcome-delay (or never: silent) */
static void
conn_greet(struct fakesmtp_conn *c)
{
	const struct fakesmtp_script	*sc = c->srv->script;

	c->greeted = 1;
	if (sc->silent) {
		c->state = CONN_S_READY;
	} else if (sc->welcome_delay_ms > 0) {
		c->state = CONN_S_WELCOME;
		loop_timer_start(c->srv->loop, &c->timer, sc->welcome_delay_ms,
		    conn_timer_cb, c);
	} else {
		conn_send(c, &sc->welcome);
		c->state = CONN_S_READY;
	}
}

static void
conn_timer_cb(struct loop_timer *t, void *arg)
{
	struct fakesmtp_conn	*c = arg;

	switch (c->state) {
	case CONN_S_WELCOME:
		conn_send(c, &c->srv->script->welcome);
		c->state = CONN_S_READY;
		break;
	case CONN_S_DELAY:
		c->state = CONN_S_READY;
		conn_reply(c, c->pending);
		c->pending = NULL;
		break;
	case CONN_S_LINGER:
		conn_close(c, "linger timeout");
		return;
	default:
		fatalx("%s: bad state %s", __func__, conn_strstate[c->state]);
	}
	conn_process(c);
}

/*
 * The rule for a line: a reply-arg rule whose verb and argument prefix
 * match (the longest prefix wins), else by the verb, inside TLS reply-tls
 * rules first.
 */
static const struct fakesmtp_rule *
conn_rule(const struct fakesmtp_conn *c, const char *line)
{
	const struct fakesmtp_script	*sc = c->srv->script;
	const struct fakesmtp_rule	*r = NULL;
	size_t				 len = strcspn(line, " \t"), i, best = 0;
	const char			*arg = line + len;

	arg += strspn(arg, " \t");
	for (i = 0; i < sc->narg_rules; i++) {
		const struct fakesmtp_rule	*a = &sc->arg_rules[i];
		size_t				 n = strlen(a->argp);

		if (strlen(a->verb) == len && strncasecmp(a->verb, line, len) == 0 &&
		    strncasecmp(a->argp, arg, n) == 0 && n > best) {
			r = a;
			best = n;
		}
	}
	if (r != NULL)
		return r;
	if (c->ssl != NULL)
		r = fakesmtp_rule_find(sc->tls_rules, sc->ntls_rules, line, len);
	if (r == NULL)
		r = fakesmtp_rule_find(sc->rules, sc->nrules, line, len);
	return r;
}

/* one complete client line (NUL-terminated copy, CRLF removed) */
static void
conn_line(struct fakesmtp_conn *c, const char *line)
{
	const struct fakesmtp_rule	*r;

	c->srv->stats.commands++;
	/*
	 * A session counts as concurrent until its QUIT: after that only
	 * TCP's own goodbye is left, which the client cannot wait out
	 * without racing the kernel (the server's close may be seen after
	 * the client's next connect).
	 */
	if (!c->quit && strncasecmp(line, "QUIT", 4) == 0 &&
	    (line[4] == '\0' || line[4] == ' ')) {
		c->quit = 1;
		c->srv->stats.current--;
	}
	conn_event(c, FAKESMTP_EV_RECV, line);
	conn_expect(c, line);
	r = conn_rule(c, line);
	if (r != NULL && r->close_before) {
		c->state = CONN_S_CLOSING;
		return;
	}
	if (r != NULL && r->delay_ms > 0) {
		c->pending = r;
		c->state = CONN_S_DELAY;
		loop_timer_start(c->srv->loop, &c->timer, r->delay_ms,
		    conn_timer_cb, c);
		return;
	}
	conn_reply(c, r);
}

/*
 * Take the next line from the input.  Returns 1 if a line was handled
 * (or an overlong one answered), 0 if no complete line is buffered.
 */
static int
conn_next_line(struct fakesmtp_conn *c)
{
	char	*nl, *line;
	size_t	 n;

	nl = c->in.len > 0 ? memchr(c->in.data, '\n', c->in.len) : NULL;
	if (nl == NULL) {
		if (c->in.len >= FAKESMTP_LINE_MAX) {
			/* drop what we have; answer once the line ends */
			c->skipping = 1;
			buf_consume(&c->in, c->in.len);
		}
		return 0;
	}
	n = (size_t)(nl - c->in.data);
	if (c->skipping || n + 1 > FAKESMTP_LINE_MAX) {
		c->skipping = 0;
		buf_consume(&c->in, n + 1);
		c->srv->stats.commands++;
		conn_event(c, FAKESMTP_EV_RECV, "(line too long)");
		conn_expect(c, "(line too long)");
		conn_send_str(c, FAKESMTP_TOOLONG_REPLY,
		    strlen(FAKESMTP_TOOLONG_REPLY));
		return 1;
	}
	if (n > 0 && c->in.data[n - 1] == '\r')
		line = xstrndup(c->in.data, n - 1);
	else
		line = xstrndup(c->in.data, n);
	buf_consume(&c->in, n + 1);
	conn_line(c, line);
	free(line);
	return 1;
}

/* write what we can; returns -1 if the connection was closed */
static int
conn_flush(struct fakesmtp_conn *c)
{
	ssize_t	 n;
	int	 rc;
	char	 why[300];

	while (c->out.len > 0) {
		if (c->tls_up) {
			ERR_clear_error();
			errno = 0;
			rc = SSL_write(c->ssl, c->out.data, c->out.len > INT_MAX ?
			    INT_MAX : (int)c->out.len);
			if (rc > 0) {
				buf_consume(&c->out, (size_t)rc);
				continue;
			}
			switch (SSL_get_error(c->ssl, rc)) {
			case SSL_ERROR_WANT_WRITE:
			case SSL_ERROR_WANT_READ:
				return 0;
			default:
				c->tls_dead = 1;
				conn_ssl_reason("SSL_write", why, sizeof(why));
				conn_close(c, why);
				return -1;
			}
		}
		n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			conn_close(c, strerror(errno));
			return -1;
		}
		buf_consume(&c->out, (size_t)n);
	}
	return 0;
}

/*
 * One SSL_accept() step; the interest follows what OpenSSL wants.  May
 * free c.
 */
static void
conn_handshake(struct fakesmtp_conn *c)
{
	int	 rc, events;
	char	 why[300], *msg;

	ERR_clear_error();
	errno = 0;
	rc = SSL_accept(c->ssl);
	if (rc == 1) {
		ERR_clear_error();
		c->tls_up = 1;
		msg = xasprintf("handshake done: %s %s", SSL_get_version(c->ssl),
		    SSL_get_cipher_name(c->ssl));
		conn_event(c, FAKESMTP_EV_TLS, msg);
		free(msg);
		c->state = CONN_S_READY;
		if (!c->greeted)	/* implicit TLS: the greeting comes inside */
			conn_greet(c);
		conn_process(c);
		return;
	}
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		events = LOOP_READ;
		break;
	case SSL_ERROR_WANT_WRITE:
		events = LOOP_READ | LOOP_WRITE;
		break;
	default:
		c->tls_dead = 1;
		conn_ssl_reason("TLS handshake failed", why, sizeof(why));
		conn_close(c, why);
		return;
	}
	if (loop_io_set(c->srv->loop, &c->io, events) == -1)
		conn_close(c, "epoll_ctl failed");
}

/* the 220 to STARTTLS is out (or implicit TLS begins): TLS or tls-fail */
static void
conn_start_tls(struct fakesmtp_conn *c)
{
	const struct fakesmtp_script	*sc = c->srv->script;
	char				 why[300];

	switch (sc->tls_fail) {
	case TLS_FAIL_CLOSE:
		conn_event(c, FAKESMTP_EV_TLS, "tls-fail close: no handshake");
		c->state = CONN_S_CLOSING;
		return;
	case TLS_FAIL_ALERT:
	case TLS_FAIL_GARBAGE:
		c->state = CONN_S_TLS_FAIL;
		return;
	case TLS_FAIL_NONE:
		break;
	}
	ERR_clear_error();
	if ((c->ssl = SSL_new(sc->tls_ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1) {
		c->tls_dead = 1;
		conn_ssl_reason("SSL_new", why, sizeof(why));
		c->state = CONN_S_CLOSING;
		conn_event(c, FAKESMTP_EV_TLS, why);
		return;
	}
	SSL_set_accept_state(c->ssl);
	c->state = CONN_S_HANDSHAKE;
}

/* tls-fail alert or garbage: the ClientHello (or EOF) came, answer it */
static void
conn_tls_fail(struct fakesmtp_conn *c)
{
	if (c->srv->script->tls_fail == TLS_FAIL_ALERT) {
		conn_event(c, FAKESMTP_EV_TLS, "tls-fail alert: sending a "
		    "handshake_failure alert");
		conn_send_str(c, FAKESMTP_TLS_ALERT, sizeof(FAKESMTP_TLS_ALERT) - 1);
	} else {
		conn_event(c, FAKESMTP_EV_TLS, "tls-fail garbage: answering the "
		    "ClientHello in plaintext");
		conn_send_str(c, FAKESMTP_TLS_GARBAGE,
		    sizeof(FAKESMTP_TLS_GARBAGE) - 1);
	}
	c->state = CONN_S_CLOSING;
}

/*
 * The driver: answer buffered lines while ready, write, handle closing,
 * then set the fd interest.  May free c.
 */
static void
conn_process(struct fakesmtp_conn *c)
{
	int	 events = 0;

	if (c->state == CONN_S_HANDSHAKE) {
		conn_handshake(c);
		return;
	}
	if (c->state == CONN_S_TLS_FAIL && (c->hello || c->eof))
		conn_tls_fail(c);
	/* OpenSSL may hold decrypted bytes the kernel no longer reports */
	if (c->tls_up && c->state == CONN_S_READY && !c->eof &&
	    c->in.len < FAKESMTP_IN_MAX && SSL_has_pending(c->ssl))
		conn_read(c);
	while (c->state == CONN_S_READY && c->out.len < FAKESMTP_OUT_HIGH)
		if (!conn_next_line(c))
			break;
	if (c->state == CONN_S_READY && c->eof &&
	    (c->in.len == 0 || memchr(c->in.data, '\n', c->in.len) == NULL))
		c->state = CONN_S_CLOSING;	/* client gone, all answered */

	if (conn_flush(c) == -1)
		return;

	if (c->state == CONN_S_STARTTLS && c->out.len == 0) {
		conn_start_tls(c);
		if (c->state == CONN_S_HANDSHAKE) {
			conn_handshake(c);
			return;
		}
	}

	if (c->state == CONN_S_CLOSING && c->out.len == 0) {
		if (c->tls_up && !c->tls_dead) {
			ERR_clear_error();
			(void)SSL_shutdown(c->ssl);	/* our close_notify */
			ERR_clear_error();
		}
		c->tls_up = 0;
		(void)shutdown(c->fd, SHUT_WR);
		if (c->eof) {
			conn_close(c, "closed");
			return;
		}
		c->state = CONN_S_LINGER;
		buf_free(&c->in);
		loop_timer_start(c->srv->loop, &c->timer, FAKESMTP_LINGER_MS,
		    conn_timer_cb, c);
	}

	/* STARTTLS: read nothing more in plaintext until the 220 is out */
	if (!c->eof && c->state != CONN_S_STARTTLS &&
	    (c->state == CONN_S_LINGER || c->in.len < FAKESMTP_IN_MAX))
		events |= LOOP_READ;
	if (c->out.len > 0)
		events |= LOOP_WRITE;
	if (loop_io_set(c->srv->loop, &c->io, events) == -1)
		conn_close(c, "epoll_ctl failed");
}

/* SSL_read() into in; returns like recv(), -1 with errno EAGAIN: later */
static ssize_t
conn_ssl_recv(struct fakesmtp_conn *c, char *tmp, size_t len)
{
	int	 rc;
	char	 why[300];

	ERR_clear_error();
	errno = 0;
	rc = SSL_read(c->ssl, tmp, (int)len);
	if (rc > 0)
		return rc;
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:	/* close_notify (or a bare EOF) */
		ERR_clear_error();
		return 0;
	default:
		c->tls_dead = 1;
		conn_ssl_reason("SSL_read", why, sizeof(why));
		conn_event(c, FAKESMTP_EV_TLS, why);
		errno = ECONNRESET;
		return -1;
	}
}

static void
conn_read(struct fakesmtp_conn *c)
{
	char	 tmp[4096];
	ssize_t	 n;

	while (!c->eof) {
		if (c->state != CONN_S_LINGER && c->in.len >= FAKESMTP_IN_MAX)
			break;
		if (c->tls_up)
			n = conn_ssl_recv(c, tmp, sizeof(tmp));
		else
			n = recv(c->fd, tmp, sizeof(tmp), 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			c->eof = 1;	/* reset: nothing more to read or say */
			c->out.len = 0;
			break;
		}
		if (n == 0) {
			c->eof = 1;
			break;
		}
		if (c->state == CONN_S_TLS_FAIL)
			c->hello = 1;	/* the ClientHello, dropped */
		else if (c->state != CONN_S_LINGER)
			buf_append(&c->in, tmp, (size_t)n);
	}
}

static void
conn_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct fakesmtp_conn	*c = arg;

	if (c->state == CONN_S_HANDSHAKE) {
		conn_handshake(c);
		return;
	}
	if (revents & LOOP_READ) {
		conn_read(c);
		if (c->eof && c->state == CONN_S_LINGER) {
			conn_close(c, "closed");
			return;
		}
	}
	if ((revents & LOOP_ERROR) && !(revents & LOOP_READ)) {
		conn_close(c, "socket error");
		return;
	}
	conn_process(c);
}

static void
conn_close(struct fakesmtp_conn *c, const char *why)
{
	struct fakesmtp			*srv = c->srv;
	const struct fakesmtp_expect	*e = c->expect;

	if (why != NULL) {	/* NULL: fakesmtp_free(), no verdicts */
		if (e != NULL && !c->expect_bad && c->expect_pos < e->n)
			conn_expect_fail(c, NULL, e->lines[c->expect_pos]);
		conn_event(c, FAKESMTP_EV_CLOSE, why);
	}
	loop_io_stop(srv->loop, &c->io);
	loop_timer_stop(srv->loop, &c->timer);
	SSL_free(c->ssl);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	if (!c->quit)
		srv->stats.current--;
	free(c);
}

static void
fakesmtp_conn_new(struct fakesmtp *srv, int fd, const struct sockaddr *sa)
{
	const struct fakesmtp_script	*sc = srv->script;
	struct fakesmtp_conn		*c;

	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->fd = fd;
	c->id = ++srv->stats.connections;
	if (c->id <= FAKESMTP_EXPECT_CONNS && sc->expect[c->id].set)
		c->expect = &sc->expect[c->id];
	else if (sc->expect[0].set)
		c->expect = &sc->expect[0];
	if (loop_io_start(srv->loop, &c->io, fd, LOOP_READ, conn_io_cb, c) == -1) {
		close(fd);
		free(c);
		return;
	}
	c->next = srv->conns;
	if (c->next != NULL)
		c->next->prev = c;
	srv->conns = c;
	if (++srv->stats.current > srv->stats.max_concurrent)
		srv->stats.max_concurrent = srv->stats.current;

	if (srv->obs != NULL) {
		char	 host[INET6_ADDRSTRLEN] = "?", *text;
		int	 port = 0;

		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)sa;

			inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
			port = ntohs(sin->sin_port);
		} else if (sa->sa_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)sa;

			inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
			port = ntohs(sin6->sin6_port);
		}
		text = xasprintf("%s port %d", host, port);
		conn_event(c, FAKESMTP_EV_OPEN, text);
		free(text);
	}

	if (sc->implicit_tls) {
		conn_start_tls(c);	/* greeting after the handshake */
		if (c->state == CONN_S_HANDSHAKE) {
			conn_handshake(c);
			return;
		}
	} else
		conn_greet(c);
	conn_process(c);
}

/* ---- the listener ------------------------------------------------------- */

static void	fakesmtp_accept_cb(struct loop_io *, int, int, void *);

static void
fakesmtp_pause_cb(struct loop_timer *t, void *arg)
{
	struct fakesmtp	*srv = arg;

	if (loop_io_start(srv->loop, &srv->io, srv->fd, LOOP_READ,
	    fakesmtp_accept_cb, srv) == -1)
		log_warn("fakesmtp: cannot resume listening");
}

static void
fakesmtp_accept_cb(struct loop_io *io, int lfd, int revents, void *arg)
{
	struct fakesmtp		*srv = arg;
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	int			 fd, i;

	for (i = 0; i < FAKESMTP_ACCEPT_BURST; i++) {
		slen = sizeof(ss);
#ifdef HAVE_ACCEPT4
		fd = accept4(lfd, (struct sockaddr *)&ss, &slen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
		fd = accept(lfd, (struct sockaddr *)&ss, &slen);
		if (fd != -1 &&
		    (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
		    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)) {
			close(fd);
			continue;
		}
#endif
		if (fd == -1) {
			switch (errno) {
			case EINTR:
			case ECONNABORTED:
			case EPROTO:
				continue;
			case EMFILE:
			case ENFILE:
			case ENOBUFS:
			case ENOMEM:
				/* out of fds: stop spinning on a ready listener */
				log_debug("fakesmtp: accept: %s", strerror(errno));
				loop_io_stop(srv->loop, &srv->io);
				loop_timer_start(srv->loop, &srv->pause,
				    FAKESMTP_PAUSE_MS, fakesmtp_pause_cb, srv);
				return;
			default:
				return;
			}
		}
		fakesmtp_conn_new(srv, fd, (struct sockaddr *)&ss);
	}
}

/*
 * fakesmtp_new - listen on addr:port and serve script (borrowed)
 *
 * Returns NULL with the reason in err; errno is kept from the failing
 * call.
 */
struct fakesmtp *
fakesmtp_new(struct loop *loop, const struct fakesmtp_script *script,
    const char *addr, uint16_t port, char *err, size_t errlen)
{
	struct fakesmtp		*srv;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 slen;
	const char		*what;
	int			 fd = -1, on = 1, saved;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		slen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		slen = sizeof(*sin6);
	} else {
		snprintf(err, errlen, "%s: not a numeric address", addr);
		errno = EINVAL;
		return NULL;
	}
	what = "socket";
	if ((fd = util_socket(ss.ss_family, SOCK_STREAM)) == -1)
		goto fail;
	what = "setsockopt";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	if (ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	what = "bind";
	if (bind(fd, (struct sockaddr *)&ss, slen) == -1)
		goto fail;
	what = "listen";
	if (listen(fd, 4096) == -1)
		goto fail;
	what = "getsockname";
	slen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1)
		goto fail;

	srv = xcalloc(1, sizeof(*srv));
	srv->loop = loop;
	srv->script = script;
	srv->fd = fd;
	srv->port = ntohs(ss.ss_family == AF_INET ? sin->sin_port : sin6->sin6_port);
	if (loop_io_start(loop, &srv->io, fd, LOOP_READ, fakesmtp_accept_cb,
	    srv) == -1) {
		free(srv);
		what = "loop_io_start";
		goto fail;
	}
	return srv;

fail:
	saved = errno;
	snprintf(err, errlen, "%s %s port %u: %s", what, addr, (unsigned)port,
	    strerror(saved));
	if (fd != -1)
		close(fd);
	errno = saved;
	return NULL;
}

/*
 * fakesmtp_port - the port actually bound
 */
uint16_t
fakesmtp_port(const struct fakesmtp *srv)
{
	return srv->port;
}

/*
 * fakesmtp_set_observer - report events to cb (NULL: stop reporting)
 */
void
fakesmtp_set_observer(struct fakesmtp *srv, fakesmtp_event_cb cb, void *arg)
{
	srv->obs = cb;
	srv->obs_arg = arg;
}

/*
 * fakesmtp_stats - counters, valid until fakesmtp_free()
 */
const struct fakesmtp_stats *
fakesmtp_stats(const struct fakesmtp *srv)
{
	return &srv->stats;
}

/*
 * fakesmtp_free - close the listener and every connection; leaves no
 * watcher or timer on the loop.  NULL does nothing.
 */
void
fakesmtp_free(struct fakesmtp *srv)
{
	if (srv == NULL)
		return;
	while (srv->conns != NULL)
		conn_close(srv->conns, NULL);
	loop_io_stop(srv->loop, &srv->io);
	loop_timer_stop(srv->loop, &srv->pause);
	close(srv->fd);
	free(srv);
}
