/* SPDX-License-Identifier: ISC */
/*
 * cli - argv -> struct cli_config, and target strings -> struct
 * target_spec.  Everything the user types is checked here, so that the
 * rest of the program can trust it: a name or argument that would let a
 * CR/LF into the SMTP dialogue is a usage error.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "i18n.h"
#include "util.h"

#define CLI_DEFAULT_CONNECT_TIMEOUT	10000
#define CLI_DEFAULT_TIMEOUT		30000
#define CLI_DEFAULT_DEADLINE		120000
#define CLI_DEFAULT_DNS_TIMEOUT		3000
#define CLI_DEFAULT_CONCURRENCY		500
#define CLI_DEFAULT_PER_IP		1

static const char *cli_verbs[] = {
	"VRFY", "EXPN", "TURN", "ETRN", "ATRN", "HELP", "NOOP"
};

enum {
	OPT_HELO = 256, OPT_DNS_SERVER, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT,
	OPT_DEADLINE, OPT_DNS_TIMEOUT, OPT_PER_IP, OPT_FORMAT, OPT_JSON,
	OPT_DEMO, OPT_HOST, OPT_COLOR, OPT_NO_COLOR, OPT_NO_STARTTLS, OPT_SMTPS,
	OPT_CAFILE, OPT_NO_DANE, OPT_RATE, OPT_SHARD, OPT_EXPECT, OPT_POLICY,
	OPT_CERT_WARN, OPT_CERT_CRIT, OPT_NO_PTR, OPT_BANNER_WARN, OPT_BANNER_CRIT,
	OPT_SESSION_WARN, OPT_SESSION_CRIT, OPT_NAGIOS_HIGH,
	OPT_NO_VRFY_CONTROL, OPT_NO_SHARE, OPT_BASELINE, OPT_BASELINE_REGRESSION,
	OPT_SUMMARY_ONLY, OPT_WIDE, OPT_NO_ADVICE,
	OPT_NO_MTA_STS, OPT_SHOW_CERTS, OPT_SUBMISSION, OPT_TLS_VERSIONS
};

static const char *cli_format_names[] = {
	[FMT_TEXT] = "text",
	[FMT_JSON] = "json",
	[FMT_JSONL] = "jsonl",
	[FMT_NAGIOS] = "nagios",
	[FMT_PROMETHEUS] = "prometheus",
};

/* a format name (len bytes of s) -> *fmt; -1 if unknown */
static int
cli_format_of(const char *s, size_t len, enum cli_format *fmt)
{
	size_t	 i;

	for (i = 0; i < sizeof(cli_format_names) / sizeof(cli_format_names[0]); i++)
		if (strlen(cli_format_names[i]) == len &&
		    strncmp(s, cli_format_names[i], len) == 0) {
			*fmt = (enum cli_format)i;
			return 0;
		}
	return -1;
}

static const struct option cli_options[] = {
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "demo",		no_argument,		NULL, OPT_DEMO },
	{ "file",		required_argument,	NULL, 'f' },
	{ "host",		required_argument,	NULL, OPT_HOST },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "json",		no_argument,		NULL, OPT_JSON },
	{ "output",		required_argument,	NULL, 'o' },
	{ "transcript",		no_argument,		NULL, 'v' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "commands",		required_argument,	NULL, 'c' },
	{ "port",		required_argument,	NULL, 'p' },
	{ "helo",		required_argument,	NULL, OPT_HELO },
	{ "dns-server",		required_argument,	NULL, OPT_DNS_SERVER },
	{ "dns-timeout",	required_argument,	NULL, OPT_DNS_TIMEOUT },
	{ "connect-timeout",	required_argument,	NULL, OPT_CONNECT_TIMEOUT },
	{ "timeout",		required_argument,	NULL, OPT_TIMEOUT },
	{ "deadline",		required_argument,	NULL, OPT_DEADLINE },
	{ "concurrency",	required_argument,	NULL, 'P' },
	{ "per-ip",		required_argument,	NULL, OPT_PER_IP },
	{ "no-share",		no_argument,		NULL, OPT_NO_SHARE },
	{ "color",		optional_argument,	NULL, OPT_COLOR },
	{ "no-color",		no_argument,		NULL, OPT_NO_COLOR },
	{ "summary-only",	no_argument,		NULL, OPT_SUMMARY_ONLY },
	{ "wide",		no_argument,		NULL, OPT_WIDE },
	{ "no-advice",		no_argument,		NULL, OPT_NO_ADVICE },
	{ "no-starttls",	no_argument,		NULL, OPT_NO_STARTTLS },
	{ "smtps",		no_argument,		NULL, OPT_SMTPS },
	{ "cafile",		required_argument,	NULL, OPT_CAFILE },
	{ "no-dane",		no_argument,		NULL, OPT_NO_DANE },
	{ "show-certs",		no_argument,		NULL, OPT_SHOW_CERTS },
	{ "tls-versions",	no_argument,		NULL, OPT_TLS_VERSIONS },
	{ "submission",		no_argument,		NULL, OPT_SUBMISSION },
	{ "no-vrfy-control",	no_argument,		NULL, OPT_NO_VRFY_CONTROL },
	{ "no-ptr",		no_argument,		NULL, OPT_NO_PTR },
	{ "no-mta-sts",		no_argument,		NULL, OPT_NO_MTA_STS },
	{ "rate",		required_argument,	NULL, OPT_RATE },
	{ "shard",		required_argument,	NULL, OPT_SHARD },
	{ "expect",		required_argument,	NULL, OPT_EXPECT },
	{ "policy",		required_argument,	NULL, OPT_POLICY },
	{ "cert-warn",		required_argument,	NULL, OPT_CERT_WARN },
	{ "cert-crit",		required_argument,	NULL, OPT_CERT_CRIT },
	{ "banner-warn",	required_argument,	NULL, OPT_BANNER_WARN },
	{ "banner-crit",	required_argument,	NULL, OPT_BANNER_CRIT },
	{ "session-warn",	required_argument,	NULL, OPT_SESSION_WARN },
	{ "session-crit",	required_argument,	NULL, OPT_SESSION_CRIT },
	{ "nagios-high",	required_argument,	NULL, OPT_NAGIOS_HIGH },
	{ "baseline",		required_argument,	NULL, OPT_BASELINE },
	{ "baseline-regression", required_argument,	NULL, OPT_BASELINE_REGRESSION },
	{ NULL, 0, NULL, 0 }
};

/*
 * cli_usage - the --help text
 */
void
cli_usage(FILE *fp)
{
	fputs(_(
"usage: smtpprobe [OPTIONS] DOMAIN...      look up MX, probe every address\n"
"       smtpprobe [OPTIONS] HOST:PORT | IP | [IPv6]:PORT | --host NAME\n"
"       smtpprobe [OPTIONS] -f FILE        one target a line ('-' = stdin)\n"
"       smtpprobe explain CODE [CODE]      what a reply code means; two: compare\n"
"       smtpprobe explain COMMAND [CODE]   a command (VRFY, TURN ...) and replies\n"
"       smtpprobe --demo                   probe a built-in loopback lab\n"
"\n"
"Probing:\n"
"  -c, --commands LIST     commands to try, in order (default VRFY,EXPN,TURN);\n"
"                          also ETRN, ATRN, HELP, NOOP; VERB=ARG: its argument\n"
"  -p, --port PORT         SMTP port (default 25)\n"
"  -4, -6                  probe IPv4 / IPv6 addresses only (not both)\n"
"      --helo NAME         EHLO/HELO name (default: this host's FQDN, else\n"
"                          an address literal)\n"
"      --host NAME         probe host NAME directly (no MX lookup)\n"
"  -f, --file FILE         targets, one a line ('#' comments, '-' = stdin)\n"
"      --dns-server LIST   IP[:PORT][,...] instead of the system resolver\n"
"      --no-ptr            skip the reverse DNS (PTR, FCrDNS) checks\n"
"      --submission        probe the submission ports 587 (STARTTLS) and 465\n"
"                          (implicit TLS) of each host instead of port 25;\n"
"                          for a domain, its SRV records (RFC 6186), else its\n"
"                          MX hosts\n"
"      --no-vrfy-control   after a 2xx/252 to VRFY, do not VRFY a made-up name\n"
"                          to see whether the server discloses mailboxes\n"
"\n"
"TLS:\n"
"      --no-starttls       never upgrade with STARTTLS\n"
"      --smtps             implicit TLS from the first byte (default on port 465)\n"
"      --cafile FILE       trust these PEM certificates, not the system store\n"
"      --no-dane           do not look up TLSA records (RFC 7672)\n"
"      --no-mta-sts        skip MTA-STS and TLS-RPT (RFC 8461, RFC 8460)\n"
"      --show-certs        keep the peer's certificate chain as PEM (text\n"
"                          report and JSON tls.chain[].pem)\n"
"      --tls-versions      also try TLS 1.0, 1.1, 1.2, 1.3 one by one\n"
"\n"
"Timeouts (a number of seconds, or with a unit: 500ms, 10s, 2m):\n"
"      --connect-timeout T connect (default 10s)\n"
"      --timeout T         each reply (default 30s)\n"
"      --deadline T        a whole session (default 120s; 0 = none)\n"
"      --dns-timeout T     each DNS try (default 3s)\n"
"\n"
"Scale and politeness:\n"
"  -P, --concurrency N     sessions in flight (default 500)\n"
"      --per-ip N          sessions per address at a time (default 1)\n"
"      --rate N            new connections per second (default: no limit)\n"
"      --shard I/N         take share I (0..N-1) of the targets, by a hash\n"
"      --no-share          one session per target and address, even when\n"
"                          targets share an MX host (default: probe each\n"
"                          address, port and MX name once a run)\n"
"\n"
"Audit:\n"
"      --expect SPEC       policy, e.g. VRFY=off,EXPN=off,TURN=off,STARTTLS=on,\n"
"                          TLS>=1.2,CERT=valid,DANE=valid,\n"
"                          DELIVERY=opportunistic|dane|mta-sts;\n"
"                          exit 1 on a breach\n"
"      --policy FILE       the same, one rule a line ('#' comments)\n"
"      --cert-warn DAYS    nagios: WARNING when a certificate expires sooner (14)\n"
"      --cert-crit DAYS    nagios: CRITICAL when sooner still (7)\n"
"      --banner-warn T, --banner-crit T\n"
"                          nagios: WARNING/CRITICAL when a greeting takes T\n"
"      --session-warn T, --session-crit T\n"
"                          nagios: the same for a whole session\n"
"      --nagios-high STATE nagios: a high finding is ok, warning (default)\n"
"                          or critical\n"
"      --baseline FILE     report what changed since the run that wrote FILE\n"
"                          (its jsonl or json output); exit 1 on a regression\n"
"      --baseline-regression STATE\n"
"                          nagios: a regression is ok, warning (default) or\n"
"                          critical\n"
"\n"
"Output:\n"
"      --format FMT        text (default), json, jsonl, nagios or prometheus\n"
"      --json              same as --format json\n"
"  -o, --output FMT:FILE   also write FMT to FILE, replaced whole at the end of\n"
"                          the run (repeatable: -o jsonl:a -o prometheus:b)\n"
"      --summary-only      text, json: only the figures across all targets\n"
"                          (text prints them after a run of several targets)\n"
"      --wide              text: the matrix as wide as its cells (default: fit\n"
"                          80 columns, long names shortened in the middle)\n"
"      --no-advice         text: no Advice lines\n"
"  -v, --transcript        show the SMTP dialogue (-> sent, <- received)\n"
"  -q, --quiet             no progress or notes on stderr\n"
"      --color[=WHEN]      auto (default), always, never; NO_COLOR is honoured\n"
"      --no-color          the same as --color=never\n"
"  -h, --help              this text\n"
"  -V, --version           version, library versions and build options\n"
"\n"
"Exit status: 0 all targets probed (and the policy met); 1 policy violated;\n"
"2 some target not probed or a rule unverified; 64 usage error; 130/143\n"
"interrupted.\n"
"With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (usage errors\n"
"included).  See smtpprobe(1).\n"), fp);
}

/* a Nagios state by name: "ok" 0, "warning" 1, "critical" 2; -1 if none */
static int
cli_nagios_state(const char *s)
{
	if (strcmp(s, "ok") == 0)
		return 0;
	if (strcmp(s, "warning") == 0)
		return 1;
	if (strcmp(s, "critical") == 0)
		return 2;
	return -1;
}

static int
cli_errorf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
cli_errorf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, _(fmt), ap);
	va_end(ap);
	return -1;
}

/* "10", "10s", "500ms", "2m" -> milliseconds; -1 if malformed */
static long
cli_duration(const char *s)
{
	char		*end;
	double		 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !(v >= 0))
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60000;
	else if (strcmp(end, "ms") != 0)
		return -1;
	/* at most a day: keeps every deadline well inside an int */
	if (v > 86400000.0)
		return -1;
	return (long)v;
}

static int
cli_number(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* a word we may put on an SMTP command line: printable, no spaces */
static int
cli_safe_word(const char *s, size_t max)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++, n++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return n > 0 && n <= max;
}

/* an argument: printable ASCII, inner spaces allowed */
static int
cli_safe_arg(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > max || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~')
			return 0;
	return 1;
}

/*
 * cli_parse_commands - see cli.h
 */
int
cli_parse_commands(const char *list, struct cli_config *cfg, char *err, size_t errlen)
{
	char	*copy, *tok, *save = NULL;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < cfg->ncmds; i++)
		free(cfg->cmds[i].arg);
	cfg->ncmds = 0;
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char	*arg = strchr(tok, '=');
		int	 known = 0;

		if (arg != NULL)
			*arg++ = '\0';
		for (i = 0; i < nitems(cli_verbs); i++)
			if (strcasecmp(tok, cli_verbs[i]) == 0) {
				known = 1;
				break;
			}
		if (!known) {
			rc = cli_errorf(err, errlen, "unknown command \"%s\" in "
			    "--commands (known: VRFY EXPN TURN ETRN ATRN HELP NOOP)", tok);
			break;
		}
		for (size_t k = 0; k < cfg->ncmds; k++)
			if (strcmp(cfg->cmds[k].verb, cli_verbs[i]) == 0)
				known = 0;
		if (!known) {
			rc = cli_errorf(err, errlen, "%s given twice in --commands",
			    cli_verbs[i]);
			break;
		}
		if (cfg->ncmds == CLI_MAX_CMDS) {
			rc = cli_errorf(err, errlen, "too many commands (at most %d)",
			    CLI_MAX_CMDS);
			break;
		}
		if (arg != NULL && !cli_safe_arg(arg, 255)) {
			rc = cli_errorf(err, errlen, "bad argument for %s: printable "
			    "ASCII only, 1 to 255 characters", cli_verbs[i]);
			break;
		}
		snprintf(cfg->cmds[cfg->ncmds].verb, sizeof(cfg->cmds[0].verb),
		    "%s", cli_verbs[i]);
		cfg->cmds[cfg->ncmds].arg = arg != NULL ? xstrdup(arg) : NULL;
		cfg->ncmds++;
	}
	if (rc == 0 && cfg->ncmds == 0)
		rc = cli_errorf(err, errlen, "--commands needs at least one command");
	free(copy);
	return rc;
}

/* RFC 1035 letters, digits, hyphens, dots; underscores tolerated */
static int
cli_valid_name(const char *s)
{
	size_t	 len = strlen(s), label = 0;

	if (len == 0 || len > 253 || s[0] == '.' || strstr(s, "..") != NULL)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

/*
 * cli_valid_dns_server - one --dns-server entry: IPv4[:PORT], IPv6,
 * or [IPv6]:PORT, with PORT from 1 to 65535 (the forms c-ares takes in
 * ares_set_servers_ports_csv()).  A bad entry is a usage error now, not
 * a DNS failure of every target later.
 */
static int
cli_valid_dns_server(const char *s, size_t len)
{
	char		 host[INET6_ADDRSTRLEN + 8], portbuf[8];
	const char	*end = s + len, *colon;
	struct in6_addr	 a6;
	struct in_addr	 a4;
	long		 port;

	portbuf[0] = '\0';
	if (len > 0 && s[0] == '[') {
		const char	*close = memchr(s, ']', len);

		if (close == NULL || (size_t)(close - s - 1) >= sizeof(host))
			return 0;
		snprintf(host, sizeof(host), "%.*s", (int)(close - s - 1), s + 1);
		if (inet_pton(AF_INET6, host, &a6) != 1)
			return 0;
		if (close + 1 == end)
			return 1;
		if (close[1] != ':' || (size_t)(end - close - 2) >= sizeof(portbuf))
			return 0;
		snprintf(portbuf, sizeof(portbuf), "%.*s", (int)(end - close - 2),
		    close + 2);
		return cli_number(portbuf, 1, 65535, &port) == 0;
	}
	if (len >= sizeof(host))
		return 0;
	snprintf(host, sizeof(host), "%.*s", (int)len, s);
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return 1;
	if ((colon = strchr(host, ':')) != NULL) {
		if (strlen(colon + 1) >= sizeof(portbuf))
			return 0;
		snprintf(portbuf, sizeof(portbuf), "%s", colon + 1);
		host[colon - host] = '\0';
		if (cli_number(portbuf, 1, 65535, &port) == -1)
			return 0;
	}
	return inet_pton(AF_INET, host, &a4) == 1;
}

/* cli_valid_dns_servers - a comma-separated list of cli_valid_dns_server() */
static const char *
cli_bad_dns_server(const char *list, size_t *badlen)
{
	const char	*s = list, *comma;
	size_t		 len;

	do {
		comma = strchr(s, ',');
		len = comma != NULL ? (size_t)(comma - s) : strlen(s);
		if (!cli_valid_dns_server(s, len)) {
			*badlen = len;
			return s;
		}
		s = comma != NULL ? comma + 1 : NULL;
	} while (s != NULL);
	return NULL;
}

/*
 * cli_mistaken_word - a first operand that reads as a subcommand this
 * program does not have ("help", "version", "demo"): what was meant, or
 * NULL.  Such a word would otherwise go to DNS as a single-label name.
 */
static const char *
cli_mistaken_word(const char *s)
{
	if (strcmp(s, "help") == 0)
		return "--help (or explain CODE)";
	if (strcmp(s, "version") == 0)
		return "--version";
	if (strcmp(s, "demo") == 0)
		return "--demo";
	return NULL;
}

/*
 * cli_parse_target - see cli.h
 */
int
cli_parse_target(const char *s, int force_host, struct target_spec *t,
    char *err, size_t errlen)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*colon;
	char		 host[256];
	long		 port = 0;

	memset(t, 0, sizeof(*t));
	if (*s == '\0')
		return cli_errorf(err, errlen, "empty target");
	if (strlen(s) >= sizeof(host))
		return cli_errorf(err, errlen, "target too long");
	if (s[0] == '[') {
		const char	*close = strchr(s, ']');

		if (close == NULL)
			return cli_errorf(err, errlen, "\"%s\": missing ']'", s);
		snprintf(host, sizeof(host), "%.*s", (int)(close - s - 1), s + 1);
		if (strncasecmp(host, "IPv6:", 5) == 0)
			memmove(host, host + 5, strlen(host + 5) + 1);
		if (inet_pton(AF_INET6, host, &a6) != 1 &&
		    inet_pton(AF_INET, host, &a4) != 1)
			return cli_errorf(err, errlen, "\"%s\": not an IP address", s);
		if (close[1] == ':') {
			if (cli_number(close + 2, 1, 65535, &port) == -1)
				return cli_errorf(err, errlen, "\"%s\": bad port", s);
		} else if (close[1] != '\0')
			return cli_errorf(err, errlen, "\"%s\": junk after ']'", s);
		t->kind = TARGET_ADDRESS;
		snprintf(t->name, sizeof(t->name), "%s", host);
		t->port = (uint16_t)port;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		t->kind = TARGET_ADDRESS;
		snprintf(t->name, sizeof(t->name), "%s", s);
		return 0;
	}
	colon = strchr(s, ':');
	if (colon != NULL) {
		if (strchr(colon + 1, ':') != NULL)
			return cli_errorf(err, errlen, "\"%s\": write IPv6 addresses "
			    "with a port as [ADDRESS]:PORT", s);
		if (cli_number(colon + 1, 1, 65535, &port) == -1)
			return cli_errorf(err, errlen, "\"%s\": bad port", s);
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	} else
		snprintf(host, sizeof(host), "%s", s);
	t->port = (uint16_t)port;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		t->kind = TARGET_ADDRESS;
		snprintf(t->name, sizeof(t->name), "%s", host);
		return 0;
	}
	/* a trailing dot is fine in DNS; drop it for display and lookup */
	if (host[0] != '\0' && host[strlen(host) - 1] == '.')
		host[strlen(host) - 1] = '\0';
	if (!cli_valid_name(host))
		return cli_errorf(err, errlen, "\"%s\": not a valid domain or host name", s);
	t->kind = (colon != NULL || force_host) ? TARGET_HOST : TARGET_DOMAIN;
	snprintf(t->name, sizeof(t->name), "%s", host);
	return 0;
}

static int
cli_set_duration(const char *opt, const char *val, int *out, int allow_zero,
    char *err, size_t errlen)
{
	long	 ms = cli_duration(val);

	if (ms < 0 || (ms == 0 && !allow_zero))
		return cli_errorf(err, errlen, "%s: bad duration \"%s\" (e.g. 10, 10s, "
		    "500ms, 2m)", opt, val);
	*out = (int)ms;
	return 0;
}

/*
 * cli_parse - see cli.h
 */
int
cli_parse(int argc, char **argv, struct cli_config *cfg, char *err, size_t errlen)
{
	const char	*bad, *word;
	size_t		 badlen;
	int		 ch, i;
	long		 n;

	memset(cfg, 0, sizeof(*cfg));
	/*
	 * "--color always": getopt leaves an optional argument given with a
	 * space as an operand, which would be probed as a host "always".
	 * Catch it before getopt reorders argv.
	 */
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--color") == 0 &&
		    (strcmp(argv[i + 1], "always") == 0 ||
		    strcmp(argv[i + 1], "never") == 0 ||
		    strcmp(argv[i + 1], "auto") == 0))
			return cli_errorf(err, errlen, "write --color=%s (with '='): "
			    "\"%s\" would be taken for a target", argv[i + 1],
			    argv[i + 1]);
	}
	cfg->color = -1;
	cfg->connect_timeout_ms = CLI_DEFAULT_CONNECT_TIMEOUT;
	cfg->timeout_ms = CLI_DEFAULT_TIMEOUT;
	cfg->deadline_ms = CLI_DEFAULT_DEADLINE;
	cfg->dns_timeout_ms = CLI_DEFAULT_DNS_TIMEOUT;
	cfg->concurrency = CLI_DEFAULT_CONCURRENCY;
	cfg->per_ip = CLI_DEFAULT_PER_IP;
	cfg->cert_warn_days = 14;
	cfg->cert_crit_days = 7;
	cfg->nagios_high = 1;
	cfg->baseline_regression = 1;
	cfg->hosts = xcalloc((size_t)argc + 1, sizeof(char *));

	/*
	 * Reset getopt fully: cli_parse() may run more than once in a
	 * process (tests, fuzzing), and glibc keeps its place inside a
	 * bundle of short options unless optind is 0; BSDs want optreset.
	 */
#ifdef __GLIBC__
	optind = 0;
#else
	optind = 1;
	optreset = 1;
#endif
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hVf:vqc:p:46P:o:", cli_options, NULL)) != -1) {
		switch (ch) {
		case 'h':
			cfg->mode = CLI_MODE_HELP;
			break;
		case 'V':
			cfg->mode = CLI_MODE_VERSION;
			break;
		case OPT_DEMO:
			cfg->mode = CLI_MODE_DEMO;
			break;
		case 'f':
			cfg->target_file = optarg;
			break;
		case OPT_HOST:
			cfg->hosts[cfg->nhosts++] = optarg;
			break;
		case OPT_FORMAT:
			if (cli_format_of(optarg, strlen(optarg), &cfg->format) == -1)
				return cli_errorf(err, errlen, "--format: unknown format "
				    "\"%s\" (text, json, jsonl, nagios, prometheus)", optarg);
			break;
		case 'o': {
			const char	*colon = strchr(optarg, ':');
			struct cli_output *o;
			size_t		 k;

			if (cfg->noutputs == CLI_MAX_OUTPUTS)
				return cli_errorf(err, errlen, "-o: at most %d files",
				    CLI_MAX_OUTPUTS);
			o = &cfg->outputs[cfg->noutputs];
			if (colon == NULL || cli_format_of(optarg,
			    (size_t)(colon - optarg), &o->format) == -1)
				return cli_errorf(err, errlen, "-o: \"%s\" is not "
				    "FORMAT:FILE (text, json, jsonl, nagios, prometheus)",
				    optarg);
			o->path = colon + 1;
			if (o->path[0] == '\0')
				return cli_errorf(err, errlen, "-o %s: no file name", optarg);
			for (k = 0; k < cfg->noutputs; k++)
				if (strcmp(cfg->outputs[k].path, o->path) == 0)
					return cli_errorf(err, errlen, "-o: %s named twice",
					    o->path);
			cfg->noutputs++;
			break;
		}
		case OPT_JSON:
			cfg->format = FMT_JSON;
			break;
		case 'v':
			cfg->transcript = 1;
			break;
		case 'q':
			cfg->quiet = 1;
			break;
		case 'c':
			if (cli_parse_commands(optarg, cfg, err, errlen) == -1)
				return -1;
			break;
		case 'p':
			if (cli_number(optarg, 1, 65535, &n) == -1)
				return cli_errorf(err, errlen, "-p: bad port \"%s\"", optarg);
			cfg->port = (uint16_t)n;
			break;
		case '4':
		case '6':
			/* one family or both (the default), never "neither" */
			if (cfg->family != 0 && cfg->family != ch - '0')
				return cli_errorf(err, errlen, "-4 and -6 exclude each "
				    "other (give neither to probe both IPv4 and IPv6)");
			cfg->family = ch - '0';
			break;
		case OPT_HELO:
			if (!cli_safe_word(optarg, 255))
				return cli_errorf(err, errlen, "--helo: \"%s\" is not a "
				    "usable name (printable ASCII, no spaces)", optarg);
			cfg->helo = optarg;
			break;
		case OPT_DNS_SERVER:
			if (!cli_safe_word(optarg, 1000))
				return cli_errorf(err, errlen, "--dns-server: bad list");
			if ((bad = cli_bad_dns_server(optarg, &badlen)) != NULL)
				return cli_errorf(err, errlen, "--dns-server: \"%.*s\" "
				    "is not IP[:PORT] or [IPv6]:PORT with a port from "
				    "1 to 65535", (int)badlen, bad);
			cfg->dns_servers = optarg;
			break;
		case OPT_DNS_TIMEOUT:
			if (cli_set_duration("--dns-timeout", optarg,
			    &cfg->dns_timeout_ms, 0, err, errlen) == -1)
				return -1;
			break;
		case OPT_CONNECT_TIMEOUT:
			if (cli_set_duration("--connect-timeout", optarg,
			    &cfg->connect_timeout_ms, 0, err, errlen) == -1)
				return -1;
			break;
		case OPT_TIMEOUT:
			if (cli_set_duration("--timeout", optarg,
			    &cfg->timeout_ms, 0, err, errlen) == -1)
				return -1;
			break;
		case OPT_DEADLINE:
			if (cli_set_duration("--deadline", optarg,
			    &cfg->deadline_ms, 1, err, errlen) == -1)
				return -1;
			break;
		case 'P':
			if (cli_number(optarg, 1, 100000, &n) == -1)
				return cli_errorf(err, errlen, "-P: bad concurrency \"%s\" "
				    "(1 to 100000)", optarg);
			cfg->concurrency = (int)n;
			break;
		case OPT_PER_IP:
			if (cli_number(optarg, 1, 1000, &n) == -1)
				return cli_errorf(err, errlen, "--per-ip: bad number \"%s\"",
				    optarg);
			cfg->per_ip = (int)n;
			break;
		case OPT_NO_SHARE:
			cfg->no_share = 1;
			break;
		case OPT_SUMMARY_ONLY:
			cfg->summary_only = 1;
			break;
		case OPT_WIDE:
			cfg->wide = 1;
			break;
		case OPT_NO_ADVICE:
			cfg->no_advice = 1;
			break;
		case OPT_COLOR:
			if (optarg == NULL || strcmp(optarg, "always") == 0)
				cfg->color = 1;
			else if (strcmp(optarg, "never") == 0)
				cfg->color = 0;
			else if (strcmp(optarg, "auto") == 0)
				cfg->color = -1;
			else
				return cli_errorf(err, errlen, "--color: \"%s\" is not auto, "
				    "always or never", optarg);
			break;
		case OPT_NO_COLOR:
			cfg->color = 0;
			break;
		case OPT_NO_STARTTLS:
			cfg->no_starttls = 1;
			break;
		case OPT_SMTPS:
			cfg->smtps = 1;
			break;
		case OPT_CAFILE:
			cfg->cafile = optarg;
			break;
		case OPT_NO_DANE:
			cfg->no_dane = 1;
			break;
		case OPT_NO_MTA_STS:
			cfg->no_mta_sts = 1;
			break;
		case OPT_SHOW_CERTS:
			cfg->show_certs = 1;
			break;
		case OPT_TLS_VERSIONS:
			cfg->tls_versions = 1;
			break;
		case OPT_SUBMISSION:
			cfg->submission = 1;
			break;
		case OPT_NO_PTR:
			cfg->no_ptr = 1;
			break;
		case OPT_NO_VRFY_CONTROL:
			cfg->no_vrfy_control = 1;
			break;
		case OPT_RATE: {
			char	*end;

			errno = 0;
			cfg->rate = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    !(cfg->rate >= 0) || cfg->rate > 1e6)
				return cli_errorf(err, errlen, "--rate: bad number \"%s\" "
				    "(connections per second, 0 = no limit)", optarg);
			break;
		}
		case OPT_EXPECT:
			cfg->expect = optarg;
			break;
		case OPT_POLICY:
			cfg->policy_file = optarg;
			break;
		case OPT_CERT_WARN:
		case OPT_CERT_CRIT:
			if (cli_number(optarg, 0, 3650, &n) == -1)
				return cli_errorf(err, errlen, "--cert-%s: bad number of "
				    "days \"%s\"", ch == OPT_CERT_WARN ? "warn" : "crit",
				    optarg);
			if (ch == OPT_CERT_WARN)
				cfg->cert_warn_days = (int)n;
			else
				cfg->cert_crit_days = (int)n;
			break;
		case OPT_BANNER_WARN:
		case OPT_BANNER_CRIT:
		case OPT_SESSION_WARN:
		case OPT_SESSION_CRIT: {
			static const char *name[] = { "--banner-warn",
			    "--banner-crit", "--session-warn", "--session-crit" };
			int	*to[] = { &cfg->banner_warn_ms, &cfg->banner_crit_ms,
			    &cfg->session_warn_ms, &cfg->session_crit_ms };

			if (cli_set_duration(name[ch - OPT_BANNER_WARN], optarg,
			    to[ch - OPT_BANNER_WARN], 1, err, errlen) == -1)
				return -1;
			break;
		}
		case OPT_NAGIOS_HIGH:
			if ((cfg->nagios_high = cli_nagios_state(optarg)) == -1)
				return cli_errorf(err, errlen, "--nagios-high: \"%s\" is "
				    "not ok, warning or critical", optarg);
			break;
		case OPT_BASELINE:
			cfg->baseline = optarg;
			break;
		case OPT_BASELINE_REGRESSION:
			if ((cfg->baseline_regression = cli_nagios_state(optarg)) == -1)
				return cli_errorf(err, errlen, "--baseline-regression: "
				    "\"%s\" is not ok, warning or critical", optarg);
			break;
		case OPT_SHARD: {
			unsigned	 si, sn;
			char		 junk;

			if (sscanf(optarg, "%u/%u%c", &si, &sn, &junk) != 2 || sn == 0 ||
			    sn > 1000000 || si >= sn)
				return cli_errorf(err, errlen, "--shard: \"%s\" is not I/N "
				    "with 0 <= I < N", optarg);
			cfg->shard_i = si;
			cfg->shard_n = sn;
			break;
		}
		case ':':
			return cli_errorf(err, errlen, "option %s needs an argument",
			    argv[optind - 1]);
		case '?':
		default:
			if (optopt != 0)
				return cli_errorf(err, errlen, "unknown option -%c", optopt);
			return cli_errorf(err, errlen, "unknown option %s", argv[optind - 1]);
		}
	}
	if (cfg->ncmds == 0 && cli_parse_commands("VRFY,EXPN,TURN", cfg, err, errlen) == -1)
		return -1;
	if (cfg->expect != NULL && cfg->policy_file != NULL)
		return cli_errorf(err, errlen, "--expect and --policy exclude each other");
	if (cfg->banner_crit_ms > 0 && cfg->banner_warn_ms > cfg->banner_crit_ms)
		return cli_errorf(err, errlen, "--banner-warn must not exceed "
		    "--banner-crit");
	if (cfg->session_crit_ms > 0 && cfg->session_warn_ms > cfg->session_crit_ms)
		return cli_errorf(err, errlen, "--session-warn must not exceed "
		    "--session-crit");
	if (cfg->cert_crit_days > cfg->cert_warn_days)
		return cli_errorf(err, errlen, "--cert-crit (%d) must not exceed "
		    "--cert-warn (%d)", cfg->cert_crit_days, cfg->cert_warn_days);
	if (cfg->summary_only && cfg->format != FMT_TEXT && cfg->format != FMT_JSON)
		return cli_errorf(err, errlen, "--summary-only applies to --format "
		    "text and json");
	cfg->targets = argv + optind;
	cfg->ntargets = (size_t)(argc - optind);

	if (cfg->mode == CLI_MODE_HELP || cfg->mode == CLI_MODE_VERSION)
		return 0;
	if (cfg->ntargets > 0 && (word = cli_mistaken_word(cfg->targets[0])) != NULL)
		return cli_errorf(err, errlen, "\"%s\" is not a target here: "
		    "did you mean %s?", cfg->targets[0], word);
	if (cfg->ntargets > 0 && strcmp(cfg->targets[0], "explain") == 0) {
		cfg->mode = CLI_MODE_EXPLAIN;
		cfg->explain_args = cfg->targets + 1;
		cfg->nexplain = (int)cfg->ntargets - 1;
		cfg->targets = NULL;
		cfg->ntargets = 0;
		return 0;
	}
	if (cfg->mode == CLI_MODE_DEMO) {
		if (cfg->ntargets > 0 || cfg->nhosts > 0 || cfg->target_file != NULL)
			return cli_errorf(err, errlen, "--demo takes no targets");
		return 0;
	}
	if (cfg->ntargets == 0 && cfg->nhosts == 0 && cfg->target_file == NULL)
		return cli_errorf(err, errlen, "no target given");
	/* check every target now: a typo is a usage error, not a DNS error */
	for (i = 0; i < (int)cfg->ntargets + (int)cfg->nhosts; i++) {
		struct target_spec	 t;
		int			 host = i >= (int)cfg->ntargets;
		const char		*s = host ? cfg->hosts[i - cfg->ntargets] :
		    cfg->targets[i];

		if (cli_parse_target(s, host, &t, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * cli_wants_nagios - --format nagios (or --format=nagios) is on the
 * command line, read without getopt: a usage error must still be
 * reported the way a monitoring plugin reports it (UNKNOWN, exit 3),
 * whichever option the parse stopped at.
 */
int
cli_wants_nagios(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--format=nagios") == 0)
			return 1;
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    strcmp(argv[i + 1], "nagios") == 0)
			return 1;
	}
	return 0;
}

/*
 * cli_shard_of - FNV-1a of the target as written, modulo n: stable
 * across runs, machines and versions, so N jobs split one list
 */
unsigned
cli_shard_of(const char *target, unsigned n)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *target != '\0'; target++) {
		h ^= (unsigned char)*target;
		h *= 1099511628211ULL;
	}
	return (unsigned)(h % n);
}

/*
 * cli_free - free what cli_parse() allocated
 */
void
cli_free(struct cli_config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->ncmds; i++)
		free(cfg->cmds[i].arg);
	free(cfg->hosts);
	memset(cfg, 0, sizeof(*cfg));
}
