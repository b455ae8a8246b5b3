/* SPDX-License-Identifier: ISC */
/*
 * fakesmtpd - replay SMTP scenario files (see src/fakesmtp.h) on
 * loopback for the scenario tests, optionally with a fake DNS zone.
 *
 *	fakesmtpd [-v] [-a ADDR] [-p PORT] [--port-file FILE]
 *	    [--dns ZONEFILE] [--dns-port P] [--dns-port-file FILE]
 *	    [--max-conns N] SCENARIO...
 *
 * One server per scenario, on PORT, PORT+1, ... or on ephemeral ports.
 * Prints "LISTEN <scenario> <addr> <port>" (and "DNS <zonefile> <addr>
 * <port>") on stdout, flushed (in the zone, "@PORT@" stands for the
 * first server's port, for TLSA names like _@PORT@._tcp.mx.test), then writes the SMTP ports one a line to
 * --port-file (atomically: written aside, then renamed).  Runs until
 * SIGTERM or SIGINT, or until N connections have closed with
 * --max-conns.  Exit status: 0, 1 if a connection broke its scenario's
 * `expect' (or a connection an `expectN' names never came), 64 usage
 * error, 70 cannot start.  Statistics and expect
 * failures go to stderr; -v adds the dialogue.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakedns.h"
#include "fakesmtp.h"
#include "log.h"
#include "loop.h"
#include "util.h"

#define FAKESMTPD_USAGE "usage: fakesmtpd [-v] [-a ADDR] [-p PORT] " \
	"[--port-file FILE] [--dns ZONEFILE] [--dns-port P] " \
	"[--dns-port-file FILE] [--max-conns N] SCENARIO...\n"

struct fakesmtpd_server {
	const char		*path;
	struct fakesmtp_script	*script;
	struct fakesmtp		*srv;
};

static int		 fakesmtpd_sigpipe[2] = { -1, -1 };
static int		 fakesmtpd_verbose;

static void
fakesmtpd_signal(int sig)
{
	int	 saved = errno;

	if (write(fakesmtpd_sigpipe[1], "x", 1) == -1) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

static void
fakesmtpd_sig_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	char	 tmp[64];
	int	*stop = arg;

	while (read(fd, tmp, sizeof(tmp)) > 0)
		;
	*stop = 1;
}

/* print one line per line of text, escaping control bytes */
static void
fakesmtpd_print(const char *who, unsigned long conn, const char *dir,
    const char *text)
{
	const char	*p = text;

	do {
		size_t	 n = strcspn(p, "\n");

		fprintf(stderr, "fakesmtpd: %s #%lu %s ", who, conn, dir);
		for (size_t i = 0; i < n; i++) {
			unsigned char	 ch = (unsigned char)p[i];

			if (ch == '\r' && i + 1 == n && p[n] == '\n')
				continue;
			if (ch < 0x20 || ch == 0x7f || ch == '\\')
				fprintf(stderr, "\\x%02x", ch);
			else
				fputc(ch, stderr);
		}
		fputc('\n', stderr);
		p += n;
		if (*p == '\n')
			p++;
	} while (*p != '\0');
}

static void
fakesmtpd_event_cb(struct fakesmtp *srv, enum fakesmtp_event ev,
    unsigned long conn, const char *text, void *arg)
{
	const struct fakesmtpd_server	*s = arg;

	switch (ev) {
	case FAKESMTP_EV_EXPECT:
		fprintf(stderr, "fakesmtpd: %s #%lu expect: %s\n", s->path, conn,
		    text);
		return;
	case FAKESMTP_EV_OPEN:
		if (fakesmtpd_verbose)
			fprintf(stderr, "fakesmtpd: %s #%lu open %s\n", s->path,
			    conn, text);
		return;
	case FAKESMTP_EV_CLOSE:
		if (fakesmtpd_verbose)
			fprintf(stderr, "fakesmtpd: %s #%lu close: %s\n", s->path,
			    conn, text);
		return;
	case FAKESMTP_EV_RECV:
		if (fakesmtpd_verbose)
			fakesmtpd_print(s->path, conn, "<-", text);
		return;
	case FAKESMTP_EV_SEND:
		if (fakesmtpd_verbose)
			fakesmtpd_print(s->path, conn, "->", text);
		return;
	case FAKESMTP_EV_TLS:
		if (fakesmtpd_verbose)
			fprintf(stderr, "fakesmtpd: %s #%lu tls: %s\n", s->path,
			    conn, text);
		return;
	}
}

static char *
fakesmtpd_slurp(const char *path)
{
	struct buf	 b = { 0 };
	char		 tmp[8192];
	size_t		 n;
	FILE		*fp;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		buf_append(&b, tmp, n);
	if (ferror(fp)) {
		fclose(fp);
		buf_free(&b);
		return NULL;
	}
	fclose(fp);
	buf_append(&b, "", 0);
	return b.data;
}

static int
fakesmtpd_write_ports(const char *path, const uint16_t *ports, size_t n)
{
	char	*tmp = xasprintf("%s.tmp", path);
	FILE	*fp;
	size_t	 i;
	int	 rc = -1;

	if ((fp = fopen(tmp, "w")) != NULL) {
		for (i = 0; i < n; i++)
			fprintf(fp, "%u\n", (unsigned)ports[i]);
		if (fclose(fp) == 0 && rename(tmp, path) == 0)
			rc = 0;
	}
	if (rc == -1)
		log_warn("%s", path);
	free(tmp);
	return rc;
}

static long
fakesmtpd_number(const char *s, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max) {
		fprintf(stderr, "fakesmtpd: bad number: %s\n%s", s, FAKESMTPD_USAGE);
		exit(64);
	}
	return v;
}

/* replace every "@PORT@" in *text with port */
static void
fakesmtpd_subst_port(char **text, uint16_t port)
{
	struct buf	 b = { 0 };
	const char	*p = *text, *at;

	while ((at = strstr(p, "@PORT@")) != NULL) {
		buf_append(&b, p, (size_t)(at - p));
		buf_printf(&b, "%u", (unsigned)port);
		p = at + 6;
	}
	if (b.data == NULL)
		return;
	buf_printf(&b, "%s", p);
	free(*text);
	*text = b.data;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file",		required_argument, NULL, 'P' },
		{ "dns",		required_argument, NULL, 'd' },
		{ "dns-port",		required_argument, NULL, 'D' },
		{ "dns-port-file",	required_argument, NULL, 'F' },
		{ "max-conns",		required_argument, NULL, 'm' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct fakesmtpd_server	*servers;
	struct fakedns		*dns = NULL;
	struct loop		*loop;
	struct loop_io		 sigio = { 0 };
	struct sigaction	 sa;
	const char		*addr = "127.0.0.1", *port_file = NULL;
	const char		*zone_file = NULL, *dns_port_file = NULL;
	uint16_t		*ports;
	long			 base_port = -1, dns_port = 0, max_conns = 0;
	unsigned long		 failures = 0;
	char			 err[256];
	int			 ch, i, n, stop = 0;

	log_init("fakesmtpd", 0);
	while ((ch = getopt_long(argc, argv, "a:p:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			base_port = fakesmtpd_number(optarg, 65535);
			break;
		case 'P':
			port_file = optarg;
			break;
		case 'd':
			zone_file = optarg;
			break;
		case 'D':
			dns_port = fakesmtpd_number(optarg, 65535);
			break;
		case 'F':
			dns_port_file = optarg;
			break;
		case 'm':
			max_conns = fakesmtpd_number(optarg, 1000000000L);
			break;
		case 'v':
			fakesmtpd_verbose = 1;
			break;
		case 'h':
			fputs(FAKESMTPD_USAGE, stdout);
			return 0;
		default:
			fputs(FAKESMTPD_USAGE, stderr);
			return 64;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (base_port > 0 && base_port + argc - 1 > 65535)) {
		fputs(FAKESMTPD_USAGE, stderr);
		return 64;
	}

	if ((loop = loop_new()) == NULL)
		fatal("loop_new");
	if (pipe(fakesmtpd_sigpipe) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++)
		if (fcntl(fakesmtpd_sigpipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(fakesmtpd_sigpipe[i], F_SETFD, FD_CLOEXEC) == -1)
			fatal("fcntl");
	if (loop_io_start(loop, &sigio, fakesmtpd_sigpipe[0], LOOP_READ,
	    fakesmtpd_sig_cb, &stop) == -1)
		fatal("loop_io_start");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fakesmtpd_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
		fatal("sigaction");
	signal(SIGPIPE, SIG_IGN);

	servers = xcalloc((size_t)argc, sizeof(*servers));
	ports = xcalloc((size_t)argc, sizeof(*ports));
	for (n = 0; n < argc; n++) {
		struct fakesmtpd_server	*s = &servers[n];
		char			*text;

		s->path = argv[n];
		if ((text = fakesmtpd_slurp(s->path)) == NULL)
			fatal("%s", s->path);
		s->script = fakesmtp_script_parse(text, err, sizeof(err));
		free(text);
		if (s->script == NULL)
			fatalx("%s: %s", s->path, err);
		s->srv = fakesmtp_new(loop, s->script, addr,
		    base_port > 0 ? (uint16_t)(base_port + n) : 0, err, sizeof(err));
		if (s->srv == NULL)
			fatalx("%s: %s", s->path, err);
		fakesmtp_set_observer(s->srv, fakesmtpd_event_cb, s);
		ports[n] = fakesmtp_port(s->srv);
		printf("LISTEN %s %s %u\n", s->path, addr, (unsigned)ports[n]);
	}
	if (zone_file != NULL) {
		char	*text;
		uint16_t dp;

		if ((text = fakesmtpd_slurp(zone_file)) == NULL)
			fatal("%s", zone_file);
		/* "_@PORT@._tcp.mx" names the first server's TLSA records */
		if (argc > 0)
			fakesmtpd_subst_port(&text, ports[0]);
		if ((dns = fakedns_new(loop, addr, (uint16_t)dns_port, err,
		    sizeof(err))) == NULL)
			fatalx("dns: %s", err);
		if (fakedns_load(dns, text, err, sizeof(err)) == -1)
			fatalx("%s: %s", zone_file, err);
		free(text);
		dp = fakedns_port(dns);
		printf("DNS %s %s %u\n", zone_file, addr, (unsigned)dp);
		if (dns_port_file != NULL &&
		    fakesmtpd_write_ports(dns_port_file, &dp, 1) == -1)
			return 70;
	}
	fflush(stdout);
	if (port_file != NULL &&
	    fakesmtpd_write_ports(port_file, ports, (size_t)argc) == -1)
		return 70;

	while (!stop) {
		if (loop_run_once(loop, -1) == -1)
			fatal("loop");
		if (max_conns > 0) {
			unsigned long	 closed = 0;

			for (n = 0; n < argc; n++) {
				const struct fakesmtp_stats *st =
				    fakesmtp_stats(servers[n].srv);

				closed += st->connections - st->current;
			}
			if (closed >= (unsigned long)max_conns)
				stop = 1;
		}
	}

	for (n = 0; n < argc; n++) {
		const struct fakesmtp_stats *st = fakesmtp_stats(servers[n].srv);

		fprintf(stderr, "fakesmtpd: %s: connections %lu max_concurrent %u "
		    "commands %lu expect_failures %lu\n", servers[n].path,
		    st->connections, st->max_concurrent, st->commands,
		    st->expect_failures);
		failures += st->expect_failures;
		if (st->connections < fakesmtp_script_conns(servers[n].script)) {
			/* expectN for a connection that never came */
			fprintf(stderr, "fakesmtpd: %s expect: connection %u never "
			    "came (%lu seen)\n", servers[n].path,
			    fakesmtp_script_conns(servers[n].script), st->connections);
			failures++;
		}
		fakesmtp_free(servers[n].srv);
		fakesmtp_script_free(servers[n].script);
	}
	if (dns != NULL) {
		fprintf(stderr, "fakesmtpd: dns: queries %lu tlsa %lu\n",
		    fakedns_queries(dns), fakedns_tlsa_queries(dns));
		fakedns_free(dns);
	}
	loop_io_stop(loop, &sigio);
	close(fakesmtpd_sigpipe[0]);
	close(fakesmtpd_sigpipe[1]);
	if (loop_active_ios(loop) != 0 || loop_active_timers(loop) != 0)
		log_warnx("left on the loop: %zu fds, %zu timers",
		    loop_active_ios(loop), loop_active_timers(loop));
	loop_free(loop);
	free(servers);
	free(ports);
	return failures > 0 ? 1 : 0;
}
