/* SPDX-License-Identifier: ISC */
/*
 * demo - `smtpprobe --demo': probe a built-in lab on loopback, offline.
 *
 * The lab is a fakedns zone on 127.0.0.1 (ephemeral port) and one
 * scripted SMTP personality per loopback address 127.0.0.11, .12, ...,
 * all on one shared ephemeral port (the probe has a single --port for
 * every target, and an MX record carries no port).  The first server
 * binds port 0 to learn P, the others bind P; if P is taken on another
 * address the whole lab is rebuilt on a new port, a few times.  Every
 * domain has an MX pointing to its own mx host; nullmx.demo.test has a
 * null MX (RFC 7505).  The personalities imitate what real MTAs answer
 * to VRFY, EXPN and TURN (RFC 5321 3.5, 7.3; RFC 2645 for TURN).  None
 * speaks TLS: STARTTLS is advertised where the real MTA would, and
 * answered with 454 (TLS not available, RFC 3207 4).
 *
 * Linux routes all of 127.0.0.0/8 to lo; elsewhere the addresses need
 * aliases (e.g. `ifconfig lo0 alias 127.0.0.11').
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "demo.h"
#include "fakedns.h"
#include "fakesmtp.h"
#include "i18n.h"
#include "log.h"
#include "loop.h"
#include "scan.h"
#include "util.h"

#define DEMO_TRIES	5

struct demo_personality {
	const char	*domain;	/* its MX is mx.<domain> */
	const char	*addr;
	const char	*script;
};

static const struct demo_personality demo_lab_servers[] = {
	{ "postfix.demo.test", "127.0.0.11",
	    "welcome 220 mx.postfix.demo.test ESMTP Postfix (Debian/GNU)\n"
	    "reply EHLO 250-mx.postfix.demo.test|250-PIPELINING"
	    "|250-SIZE 10240000|250-ETRN|250-STARTTLS"
	    "|250-ENHANCEDSTATUSCODES|250-8BITMIME|250-DSN|250-SMTPUTF8"
	    "|250 CHUNKING\n"
	    "reply HELO 250 mx.postfix.demo.test\n"
	    "reply STARTTLS 454 4.7.0 TLS not available due to local problem\n"
	    "reply VRFY 502 5.5.1 VRFY command is disabled\n"
	    "reply EXPN 500 5.5.2 Error: command not recognized\n"
	    "reply TURN 500 5.5.2 Error: command not recognized\n"
	    "reply ETRN 250 Queuing started\n"
	    "default 500 5.5.2 Error: command not recognized\n" },
	/*
	 * Postfix with VRFY left on (disable_vrfy_command = no, the default)
	 * and a local recipient table: 252 to a known name, 550 5.1.1 to
	 * the others; the control VRFY shows it: enumerable.
	 */
	{ "vrfy.demo.test", "127.0.0.17",
	    "welcome 220 mx.vrfy.demo.test ESMTP Postfix (Debian/GNU)\n"
	    "reply EHLO 250-mx.vrfy.demo.test|250-PIPELINING"
	    "|250-SIZE 10240000|250-VRFY|250-ETRN|250-STARTTLS"
	    "|250-ENHANCEDSTATUSCODES|250-8BITMIME|250-DSN|250-SMTPUTF8"
	    "|250 CHUNKING\n"
	    "reply HELO 250 mx.vrfy.demo.test\n"
	    "reply STARTTLS 454 4.7.0 TLS not available due to local problem\n"
	    "reply-arg VRFY postmaster 252 2.0.0 postmaster\n"
	    "reply VRFY 550 5.1.1 Recipient address rejected: User unknown in"
	    " local recipient table\n"
	    "reply EXPN 502 5.5.2 Error: command not recognized\n"
	    "reply TURN 502 5.5.2 Error: command not recognized\n"
	    "default 502 5.5.2 Error: command not recognized\n" },
	{ "exim.demo.test", "127.0.0.12",
	    "welcome 220 mx.exim.demo.test ESMTP Exim 4.96\n"
	    "reply EHLO 250-mx.exim.demo.test Hello probe|250-SIZE 52428800"
	    "|250-8BITMIME|250-PIPELINING|250-CHUNKING|250-STARTTLS|250 HELP\n"
	    "reply HELO 250 mx.exim.demo.test Hello probe\n"
	    "reply STARTTLS 454 4.7.0 TLS currently unavailable\n"
	    "reply VRFY 252 2.1.5 Administrative prohibition\n"
	    "reply EXPN 550 5.7.1 Administrative prohibition\n"
	    "reply TURN 500 5.5.1 Unrecognized command\n"
	    "reply HELP 214-Commands supported:"
	    "|214 AUTH HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP\n"
	    "reply QUIT 221 mx.exim.demo.test closing connection\n"
	    "default 500 5.5.1 Unrecognized command\n" },
	{ "legacy.demo.test", "127.0.0.13",
	    "welcome 220 legacy.demo.test Sendmail 8.9.3/8.9.3;"
	    " Fri, 31 Dec 1999 23:59:59 GMT\n"
	    "reply EHLO 250-legacy.demo.test Hello, pleased to meet you"
	    "|250-EXPN|250-VERB|250-8BITMIME|250-SIZE|250-DSN|250-ONEX"
	    "|250-ETRN|250-XUSR|250 HELP\n"
	    "reply HELO 250 legacy.demo.test Hello, pleased to meet you\n"
	    "reply-arg VRFY postmaster 250 2.1.5 Postmaster"
	    " <postmaster@legacy.demo.test>\n"
	    "reply VRFY 550 5.1.1 User unknown\n"
	    "reply EXPN 250 2.1.5 <root@legacy.demo.test>\n"
	    "reply TURN 250 OK\n"
	    "reply ETRN 250 Queuing for node legacy.demo.test started\n"
	    "reply QUIT 221 legacy.demo.test closing connection\n"
	    "default 500 Command unrecognized\n" },
	{ "forward.demo.test", "127.0.0.14",
	    "welcome 220 forward.demo.test ESMTP Sendmail 8.12.11\n"
	    "reply EHLO 250-forward.demo.test Hello, pleased to meet you"
	    "|250-ENHANCEDSTATUSCODES|250-PIPELINING|250-EXPN|250-VERB"
	    "|250-8BITMIME|250-SIZE|250-DSN|250-ETRN|250 HELP\n"
	    "reply HELO 250 forward.demo.test Hello, pleased to meet you\n"
	    "reply VRFY 251 2.1.5 User not local; will forward to"
	    " <pm@elsewhere.test>\n"
	    "reply EXPN 250 2.1.5 <pm@elsewhere.test>\n"
	    "reply TURN 502 5.5.1 Sorry, we do not allow this operation\n"
	    "reply QUIT 221 2.0.0 forward.demo.test closing connection\n"
	    "default 500 5.5.1 Command unrecognized\n" },
	{ "reject.demo.test", "127.0.0.15",
	    /* RFC 5321 3.1: after a 554 greeting, 503 to all but QUIT */
	    "welcome 554 5.7.1 reject.demo.test ESMTP not accepting connections\n"
	    "reply EHLO 503 5.5.1 Bad sequence of commands\n"
	    "reply HELO 503 5.5.1 Bad sequence of commands\n"
	    "default 503 5.5.1 Bad sequence of commands\n" },
	{ "greylist.demo.test", "127.0.0.16",
	    "welcome 220 mx.greylist.demo.test ESMTP\n"
	    "reply EHLO 250-mx.greylist.demo.test|250-PIPELINING|250-SIZE 20480000"
	    "|250-ENHANCEDSTATUSCODES|250 8BITMIME\n"
	    "reply HELO 250 mx.greylist.demo.test\n"
	    "reply VRFY 451 4.7.1 Greylisted, please try again later\n"
	    "reply EXPN 451 4.7.1 Greylisted, please try again later\n"
	    "reply TURN 451 4.7.1 Greylisted, please try again later\n"
	    "default 502 5.5.2 Command not implemented\n" },
};

#define DEMO_NSERVERS	nitems(demo_lab_servers)

/* the targets, in report order (char[] because cli_config is not const) */
static char	demo_t_postfix[] = "postfix.demo.test";
static char	demo_t_vrfy[] = "vrfy.demo.test";
static char	demo_t_exim[] = "exim.demo.test";
static char	demo_t_legacy[] = "legacy.demo.test";
static char	demo_t_forward[] = "forward.demo.test";
static char	demo_t_reject[] = "reject.demo.test";
static char	demo_t_greylist[] = "greylist.demo.test";
static char	demo_t_nullmx[] = "nullmx.demo.test";
static char	*demo_targets[] = {
	demo_t_postfix, demo_t_vrfy, demo_t_exim, demo_t_legacy, demo_t_forward,
	demo_t_reject, demo_t_greylist, demo_t_nullmx,
};

struct demo_lab {
	struct loop		*loop;
	struct fakedns		*dns;
	struct fakesmtp_script	*scripts[DEMO_NSERVERS];
	struct fakesmtp		*servers[DEMO_NSERVERS];
	uint16_t		 port;
};

static void
demo_lab_stop(struct demo_lab *lab)
{
	size_t	 i;

	for (i = 0; i < DEMO_NSERVERS; i++) {
		fakesmtp_free(lab->servers[i]);
		lab->servers[i] = NULL;
	}
	fakedns_free(lab->dns);
	lab->dns = NULL;
}

/* bind everything once; returns -1 with err and errno set */

/* "127.0.0.11" -> "11.0.0.127.in-addr.arpa" */
static const char *
demo_ptr_name(const char *addr, char *buf, size_t size)
{
	unsigned	 a, b, c, d;

	if (sscanf(addr, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		fatalx("%s: bad lab address %s", __func__, addr);
	snprintf(buf, size, "%u.%u.%u.%u.in-addr.arpa", d, c, b, a);
	return buf;
}

static int
demo_lab_start(struct demo_lab *lab, char *err, size_t errlen)
{
	struct buf	 zone = { 0 };
	size_t		 i;
	int		 saved;
	char		 ptr[64];

	for (i = 0; i < DEMO_NSERVERS; i++) {
		const struct demo_personality *p = &demo_lab_servers[i];

		lab->servers[i] = fakesmtp_new(lab->loop, lab->scripts[i], p->addr,
		    lab->port, err, errlen);
		if (lab->servers[i] == NULL)
			goto fail;
		if (i == 0)
			lab->port = fakesmtp_port(lab->servers[0]);
		buf_printf(&zone, "%s MX 10 mx.%s.\nmx.%s A %s\n", p->domain,
		    p->domain, p->domain, p->addr);
		/*
		 * Reverse DNS: most lab hosts have a PTR that leads back
		 * (FCrDNS); the old permissive one has a stale PTR that does
		 * not, and the 554 rejecter none at all.
		 */
		if (strcmp(p->domain, "legacy.demo.test") == 0)
			buf_printf(&zone, "%s PTR old-name.demo.test.\n",
			    demo_ptr_name(p->addr, ptr, sizeof(ptr)));
		else if (strcmp(p->domain, "reject.demo.test") != 0)
			buf_printf(&zone, "%s PTR mx.%s.\n",
			    demo_ptr_name(p->addr, ptr, sizeof(ptr)), p->domain);
	}
	buf_printf(&zone, "nullmx.demo.test MX 0 .\n");
	if ((lab->dns = fakedns_new(lab->loop, "127.0.0.1", 0, err, errlen)) == NULL)
		goto fail;
	if (fakedns_load(lab->dns, zone.data, err, errlen) == -1)
		fatalx("%s: built-in zone: %s", __func__, err);
	buf_free(&zone);
	return 0;

fail:
	saved = errno;
	buf_free(&zone);
	demo_lab_stop(lab);
	errno = saved;
	return -1;
}

/*
 * demo_run - start the lab, probe it with scan_run(), tear it down
 *
 * Returns scan_run()'s exit status, as a real run over the same domains
 * would: 2, since reject.demo.test refuses every session on purpose.
 * Also 2 if the lab cannot start (a message says so).
 */
int
demo_run(const struct cli_config *cfg, FILE *out)
{
	struct demo_lab		 lab;
	struct cli_config	 copy;
	char			 err[256], servers[64];
	size_t			 i;
	int			 try, status;

	memset(&lab, 0, sizeof(lab));
	if ((lab.loop = loop_new()) == NULL) {
		log_warn("demo: loop_new");
		return 2;
	}
	for (i = 0; i < DEMO_NSERVERS; i++)
		if ((lab.scripts[i] = fakesmtp_script_parse(
		    demo_lab_servers[i].script, err, sizeof(err))) == NULL)
			fatalx("%s: %s: %s", __func__, demo_lab_servers[i].domain,
			    err);

	for (try = 0; try < DEMO_TRIES; try++) {
		lab.port = 0;
		if (demo_lab_start(&lab, err, sizeof(err)) == 0 ||
		    errno != EADDRINUSE)
			break;
		log_debug("demo: %s, trying another port", err);
	}
	if (lab.dns == NULL) {
		/* for the person who ran --demo: translated (English under
		 * --format nagios, see i18n_off()) */
		log_warnx(_("demo: cannot start the lab: %s%s"), err,
		    errno == EADDRNOTAVAIL ? _(" (the lab needs 127.0.0.11-17 "
		    "on the loopback interface)") : "");
		status = 2;
		goto done;
	}

	snprintf(servers, sizeof(servers), "127.0.0.1:%u",
	    (unsigned)fakedns_port(lab.dns));
	copy = *cfg;
	copy.mode = CLI_MODE_PROBE;
	copy.targets = demo_targets;
	copy.ntargets = nitems(demo_targets);
	copy.hosts = NULL;
	copy.nhosts = 0;
	copy.target_file = NULL;
	copy.dns_servers = servers;
	copy.port = lab.port;
	log_debug("demo: dns 127.0.0.1 port %u, smtp port %u",
	    (unsigned)fakedns_port(lab.dns), (unsigned)lab.port);

	status = scan_run(&copy, lab.loop, out);
	demo_lab_stop(&lab);

done:
	for (i = 0; i < DEMO_NSERVERS; i++)
		fakesmtp_script_free(lab.scripts[i]);
	if (loop_active_ios(lab.loop) != 0 || loop_active_timers(lab.loop) != 0)
		log_warnx("demo: left on the loop: %zu fds, %zu timers",
		    loop_active_ios(lab.loop), loop_active_timers(lab.loop));
	else
		loop_free(lab.loop);
	return status;
}
