/* SPDX-License-Identifier: ISC */
/*
 * fakesmtp - a scripted SMTP server on the event loop, for --demo,
 * tests/fakesmtpd and the benchmarks.  It speaks just enough of RFC 5321
 * to replay a scenario: a greeting, one reply per client line chosen by
 * the line's first word (or by a prefix of its argument, reply-arg),
 * delays, abrupt closes and raw bytes (bare LF,
 * garbage, a missing newline).  Never blocks; copes with pipelined input
 * and with clients that vanish.
 *
 * Scenario language: one directive a line, '#' starts a comment line,
 * blank lines are ignored.  TEXT and BYTES take the escapes \r \n \t \\
 * \| \xHH; in TEXT an unescaped '|' separates lines and every line is
 * sent followed by CRLF; BYTES are sent exactly as written.
 *
 *	welcome TEXT		greeting line(s), full lines with the code;
 *				repeated lines append (multi-line greeting)
 *	raw-welcome BYTES	greeting as exact bytes
 *	welcome-delay MS	wait before the greeting
 *	silent			never send a greeting (tarpit)
 *	reply VERB TEXT		reply to VERB (first word of the client line,
 *				case-insensitive); repeated lines append
 *	reply-arg VERB ARGPREFIX TEXT
 *				reply to the lines "VERB ARG" whose ARG starts
 *				with ARGPREFIX (one word, case-insensitive;
 *				the longest matching prefix wins) instead of
 *				the VERB rule: "reply-arg VRFY postmaster 252
 *				..." next to "reply VRFY 550 5.1.1 ...";
 *				delay and close rules of VERB still apply
 *	raw VERB BYTES		reply to VERB with exact bytes
 *	delay VERB MS		wait before replying to VERB
 *	close VERB		close (no reply) when VERB arrives
 *	close-after VERB	reply, then close
 *	default TEXT		reply to verbs without a rule
 *				(built in: 500 5.5.2 Command not recognized)
 *	expect L1|L2|...	the exact client lines expected on every
 *				connection; a line ending in '*' matches any
 *				line starting with what precedes the '*'
 *	expectN L1|L2|...	the same for connection N only (1 to 9),
 *				instead of `expect'; fakesmtpd also fails if
 *				connection N never came (a STARTTLS failure
 *				followed by the client's plaintext reconnect:
 *				expect1 for the TLS try, expect2 for the rest)
 *
 * TLS (RFC 3207 STARTTLS, RFC 8314 implicit TLS), non-blocking OpenSSL:
 *
 *	tls-cert CERT KEY	PEM certificate (chain) and key files; needed
 *				by starttls, starttls-inject and implicit-tls
 *	starttls		answer STARTTLS with "220 2.0.0 Ready to start
 *				TLS", then run the handshake (a `reply' or
 *				`raw' rule for STARTTLS overrides: 454 ...;
 *				`delay STARTTLS' applies).  Plaintext the
 *				client pipelined after STARTTLS is discarded
 *				(RFC 3207 5).  EHLO does not offer STARTTLS by
 *				itself: script it (reply EHLO 250-x|250 STARTTLS)
 *	starttls-inject BYTES	starttls, with BYTES sent in the same write
 *				right after the 220 (the injection of RFC 3207
 *				5 and CVE-2011-0411: a client must drop them)
 *	tls-fail MODE		after the 220, no handshake: `alert' waits
 *				for the ClientHello and answers with a fatal
 *				TLS handshake_failure alert record, `garbage'
 *				answers it with bytes that are not TLS, `close'
 *				closes at once.  Implies starttls; tls-cert is
 *				not needed.  With implicit-tls it applies at
 *				accept
 *	implicit-tls		handshake right after accept, the greeting
 *				and everything after it inside TLS
 *	tls-max-version V	cap the server at TLS V (1.0 1.1 1.2 1.3)
 *	tls-min-version V	accept TLS V and up (below 1.2: security
 *				level 0, for --tls-versions tests)
 *	reply-tls VERB TEXT	reply to VERB inside TLS only (the EHLO after
 *				STARTTLS: AUTH added, STARTTLS gone); delay
 *				and close rules of VERB still apply.  Inside
 *				TLS, STARTTLS gets "503 5.5.1 TLS already
 *				active" unless reply-tls STARTTLS says else
 *
 * `expect' counts every line of a connection, STARTTLS and what follows
 * it inside TLS alike.
 *
 * Built-in rules, unless scripted: EHLO and HELO -> 250 fake.invalid,
 * NOOP and RSET -> 250 2.0.0 OK, QUIT -> 221 2.0.0 Bye and close (QUIT
 * always closes after its reply, scripted or not).  Without welcome the
 * greeting is "220 fake.invalid ESMTP fakesmtp".  Client lines longer
 * than FAKESMTP_LINE_MAX get "500 5.5.6 Line too long".
 */
#ifndef SMTPPROBE_FAKESMTP_H
#define SMTPPROBE_FAKESMTP_H

#include <stddef.h>
#include <stdint.h>

#define FAKESMTP_LINE_MAX	1000	/* RFC 5321 4.5.3.1.6, CRLF included */

struct loop;
struct fakesmtp;
struct fakesmtp_script;

struct fakesmtp_stats {
	unsigned long	 connections;	/* accepted so far */
	unsigned	 max_concurrent;	/* sessions at once (from accept to QUIT) */
	unsigned	 current;	/* sessions open now, not yet at QUIT */
	unsigned long	 commands;	/* client lines processed */
	unsigned long	 expect_failures; /* connections that broke `expect' */
};

/* what a server reports to its observer (fakesmtpd's log, the tests) */
enum fakesmtp_event {
	FAKESMTP_EV_OPEN,	/* text: peer address */
	FAKESMTP_EV_RECV,	/* text: the client line, without CRLF */
	FAKESMTP_EV_SEND,	/* text: the bytes queued (may hold CRLFs) */
	FAKESMTP_EV_CLOSE,	/* text: why */
	FAKESMTP_EV_EXPECT,	/* text: what did not match */
	FAKESMTP_EV_TLS		/* text: handshake result, discarded input */
};

/* text is only valid during the call; conn numbers start at 1 */
typedef void	(*fakesmtp_event_cb)(struct fakesmtp *, enum fakesmtp_event,
		    unsigned long conn, const char *text, void *arg);

/*
 * fakesmtp_script_parse - compile scenario text
 *
 * Returns the script, or NULL with "line N: reason" in err.
 */
struct fakesmtp_script	*fakesmtp_script_parse(const char *text, char *err,
			    size_t errlen);

/* fakesmtp_script_free - NULL does nothing */
void			 fakesmtp_script_free(struct fakesmtp_script *);

/*
 * fakesmtp_script_conns - the highest N of the script's expectN lines
 * (0: none), i.e. how many connections the scenario needs to see
 */
unsigned		 fakesmtp_script_conns(const struct fakesmtp_script *);

/*
 * fakesmtp_new - listen on addr (numeric IPv4 or IPv6) and port (0: an
 * ephemeral port) and serve script (borrowed: it must outlive the
 * server; several servers may share one script).
 *
 * Returns NULL with the reason in err and errno kept from the failing
 * call (EADDRINUSE tells a port clash).
 */
struct fakesmtp		*fakesmtp_new(struct loop *, const struct fakesmtp_script *,
			    const char *addr, uint16_t port, char *err, size_t errlen);

/* fakesmtp_port - the port actually bound */
uint16_t		 fakesmtp_port(const struct fakesmtp *);

/* fakesmtp_set_observer - report events to cb (NULL: stop reporting) */
void			 fakesmtp_set_observer(struct fakesmtp *, fakesmtp_event_cb,
			    void *arg);

/* fakesmtp_stats - counters, valid until fakesmtp_free() */
const struct fakesmtp_stats *fakesmtp_stats(const struct fakesmtp *);

/*
 * fakesmtp_free - close the listener and every connection at once,
 * leaving no watcher or timer on the loop.  NULL does nothing.  Pending
 * connections are not checked against `expect'.
 */
void			 fakesmtp_free(struct fakesmtp *);

#endif
