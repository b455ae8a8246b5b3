/* SPDX-License-Identifier: ISC */
/*
 * fakesmtp - a scripted SMTP server on the event loop, for --demo,
 * tests/fakesmtpd and the benchmarks.  It speaks just enough of RFC 5321
 * to replay a scenario: a greeting, one reply per client line chosen by
 * the line's first word, delays, abrupt closes and raw bytes (bare LF,
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
 *	raw VERB BYTES		reply to VERB with exact bytes
 *	delay VERB MS		wait before replying to VERB
 *	close VERB		close (no reply) when VERB arrives
 *	close-after VERB	reply, then close
 *	default TEXT		reply to verbs without a rule
 *				(built in: 500 5.5.2 Command not recognized)
 *	expect L1|L2|...	the exact client lines expected on every
 *				connection; a line ending in '*' matches any
 *				line starting with what precedes the '*'
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
	unsigned	 max_concurrent;
	unsigned	 current;	/* open now */
	unsigned long	 commands;	/* client lines processed */
	unsigned long	 expect_failures; /* connections that broke `expect' */
};

/* what a server reports to its observer (fakesmtpd's log, the tests) */
enum fakesmtp_event {
	FAKESMTP_EV_OPEN,	/* text: peer address */
	FAKESMTP_EV_RECV,	/* text: the client line, without CRLF */
	FAKESMTP_EV_SEND,	/* text: the bytes queued (may hold CRLFs) */
	FAKESMTP_EV_CLOSE,	/* text: why */
	FAKESMTP_EV_EXPECT	/* text: what did not match */
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
