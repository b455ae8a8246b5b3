/* SPDX-License-Identifier: ISC */
/*
 * cli - argv -> struct cli_config, and target strings -> struct target_spec.
 */
#ifndef SMTPPROBE_CLI_H
#define SMTPPROBE_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "result.h"

enum cli_mode {
	CLI_MODE_PROBE = 0,
	CLI_MODE_EXPLAIN,
	CLI_MODE_DEMO,
	CLI_MODE_HELP,
	CLI_MODE_VERSION
};

enum cli_format {
	FMT_TEXT = 0,
	FMT_JSON,
	FMT_JSONL,
	FMT_NAGIOS,		/* Monitoring Plugins: one status line + perfdata */
	FMT_PROMETHEUS		/* text exposition format (node_exporter textfile) */
};

#define CLI_MAX_CMDS	PROBE_MAX_CMDS
#define CLI_MAX_OUTPUTS	8

/* -o FORMAT:FILE */
struct cli_output {
	enum cli_format	 format;
	const char	*path;		/* borrowed from argv */
};

struct probe_cmd {
	char	 verb[8];	/* upper case: VRFY EXPN TURN ETRN ATRN HELP NOOP */
	char	*arg;		/* NULL: the default argument */
};

struct cli_config {
	enum cli_mode	 mode;
	char		**targets;	/* operands (borrowed from argv) */
	size_t		 ntargets;
	char		**hosts;	/* --host NAME (borrowed) */
	size_t		 nhosts;
	const char	*target_file;	/* -f FILE, "-" = stdin */
	char		**explain_args;	/* after "explain" (borrowed) */
	int		 nexplain;
	enum cli_format	 format;
	struct cli_output outputs[CLI_MAX_OUTPUTS];	/* -o, in order */
	size_t		 noutputs;
	int		 transcript;	/* -v */
	int		 quiet;		/* -q */
	int		 color;		/* -1 auto, 0 never, 1 always */
	int		 summary_only;	/* --summary-only (text, json) */
	int		 wide;		/* --wide: the text matrix as wide as it takes */
	int		 no_advice;	/* --no-advice */
	struct probe_cmd cmds[CLI_MAX_CMDS];
	size_t		 ncmds;
	uint16_t	 port;		/* 0: 25 */
	int		 family;	/* 0 any, 4, 6 */
	const char	*helo;		/* NULL: this host's FQDN */
	const char	*dns_servers;	/* NULL: system resolver */
	int		 connect_timeout_ms;
	int		 timeout_ms;
	int		 deadline_ms;
	int		 dns_timeout_ms;
	int		 concurrency;
	int		 per_ip;
	int		 no_share;	/* a session per target, never shared */
	int		 no_starttls;	/* never send STARTTLS */
	int		 smtps;		/* implicit TLS (also the default on port 465) */
	const char	*cafile;	/* PEM trust anchors instead of the system store */
	int		 no_dane;	/* skip the TLSA lookups */
	int		 no_mta_sts;	/* skip MTA-STS and TLS-RPT (RFC 8461, 8460) */
	int		 show_certs;	/* keep the peer chain as PEM (--show-certs) */
	int		 tls_versions;	/* probe each TLS version (--tls-versions) */
	int		 submission;	/* probe 587 and 465 (--submission) */
	int		 no_ptr;	/* skip the PTR / FCrDNS lookups */
	int		 no_vrfy_control; /* no control VRFY (codes_needs_control()) */
	double		 rate;		/* new connections per second, 0: no limit */
	unsigned	 shard_i;	/* --shard I/N: this run takes share I */
	unsigned	 shard_n;	/* 0: no sharding */
	const char	*expect;	/* --expect SPEC (audit policy) */
	const char	*policy_file;	/* --policy FILE: the same from a file */
	int		 cert_warn_days;	/* --cert-warn (nagios), default 14 */
	int		 cert_crit_days;	/* --cert-crit (nagios), default 7 */
	int		 banner_warn_ms;	/* --banner-warn/-crit (nagios), 0: none */
	int		 banner_crit_ms;
	int		 session_warn_ms;	/* --session-warn/-crit (nagios), 0: none */
	int		 session_crit_ms;
	int		 nagios_high;	/* --nagios-high: state of a high finding,
					   0 OK, 1 WARNING (default), 2 CRITICAL */
	const char	*baseline;	/* --baseline FILE: a run to compare with */
	int		 baseline_regression;	/* nagios state of a regression
						   (as nagios_high) */
};

/* cli_shard_of - the shard (0 .. n-1) a target line belongs to */
unsigned	 cli_shard_of(const char *target, unsigned n);

/*
 * cli_parse - fill *cfg from argv
 *
 * Returns 0, or -1 with a one-line reason in err (a usage error: exit 64).
 */
int	 cli_parse(int argc, char **argv, struct cli_config *cfg, char *err, size_t errlen);
void	 cli_free(struct cli_config *);
void	 cli_usage(FILE *);		/* --help text */

/*
 * cli_parse_commands - "VRFY,EXPN,TURN" or "VRFY=root,ETRN" into cfg->cmds.
 * Returns 0, or -1 with the reason in err.
 */
int	 cli_parse_commands(const char *list, struct cli_config *, char *err, size_t);

/* a target as written by the user */
struct target_spec {
	enum target_kind kind;
	char		 name[256];	/* domain, host name, or numeric address */
	uint16_t	 port;		/* 0: not given */
};

/*
 * cli_parse_target - "example.com", "mx.example.com:2525", "192.0.2.1",
 * "192.0.2.1:25", "[2001:db8::1]:25", "2001:db8::1".  A bare name is a
 * DOMAIN (MX lookup); a name with a port is a HOST.  force_host makes a
 * bare name a HOST (--host).  Returns 0, or -1 with the reason in err.
 */
int	 cli_parse_target(const char *s, int force_host, struct target_spec *,
	    char *err, size_t errlen);

/* cli_wants_nagios - "--format nagios" is among the arguments */
int	cli_wants_nagios(int argc, char **argv);

#endif
