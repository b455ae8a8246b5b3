/* SPDX-License-Identifier: ISC */
/*
 * result - the one data model: target -> MX hosts -> addresses -> command
 * results.  Probing code fills it in; renderers only read it.
 *
 * Every string here is owned by the struct that holds it and freed by
 * result_target_free().  Server text is kept as raw bytes: renderers
 * escape it for their medium.
 */
#ifndef SMTPPROBE_RESULT_H
#define SMTPPROBE_RESULT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ehlo.h"
#include "mtasts.h"

#define RESULT_SCHEMA	"smtpprobe/2"

/*
 * What a command's reply says about support for it.  The names (JSON
 * "status") are part of the output contract: see status_name().
 */
enum cmd_status {
	ST_NOT_TRIED = 0,
	ST_SUPPORTED,		/* 2xx (250, 251; 252 for ETRN) */
	ST_CANNOT_VERIFY,	/* 252 to VRFY/EXPN: disabled, RFC 5321 7.3 */
	ST_NOT_IMPLEMENTED,	/* 502 */
	ST_NOT_RECOGNIZED,	/* 500 */
	ST_PARAM_NOT_IMPLEMENTED, /* 504 */
	ST_REFUSED,		/* 550-556 (not X.1.1), 5.7.x: policy */
	ST_AUTH_REQUIRED,	/* 530 */
	ST_BAD_SEQUENCE,	/* 503 */
	ST_TEMPORARY,		/* 4xx: says nothing about support */
	ST_SYNTAX,		/* 501 */
	ST_UNEXPECTED,		/* a code that makes no sense for the command */
	ST_ERROR,		/* timeout, reset, protocol error */
	/*
	 * VRFY/EXPN answers about a mailbox (RFC 5321 3.5.3, RFC 3463 X.1.x):
	 * the command works and discloses something.  See codes_verdict().
	 */
	ST_ENUMERABLE,		/* 2xx/252 to the name, "unknown" to a made-up one */
	ST_UNKNOWN_MAILBOX,	/* 5xx with X.1.1: "no such mailbox" */
	ST_AMBIGUOUS,		/* 553 "User ambiguous", candidates listed */
	ST_NOT_LOCAL,		/* 551 "User not local; please try <path>" */
	ST_LAST
};
const char	*status_name(enum cmd_status);
int		 status_from_name(const char *);	/* -1 if unknown */

/*
 * An error worded by the program, kept as its catalogue message (an N_()
 * format) and its arguments, so that it can be said in English (JSON,
 * Nagios, Prometheus: the error field beside it holds that) and, in the
 * text report, in the user's language (result_msg_text()).
 *
 * The format has only "%s" conversions, one per argument; every argument
 * is a string.  An argument whose bit is set in words is a word the
 * catalogue translates too, in context "session" (the state a session
 * failed in: "ehlo", "banner"); the others (command names, reply codes,
 * numbers, server or OpenSSL text, strerror()) stay as they are.  With
 * sub, the last argument is worded by that second catalogue format (one
 * "%s" at most: the argument): a detail with its own words, such as a
 * reply parser's error.
 */
#define RESULT_MSG_ARGS	3
struct result_msg {
	const char	*fmt;		/* static; NULL: no message */
	const char	*sub;		/* static, or NULL */
	char		*arg[RESULT_MSG_ARGS];
	unsigned char	 words;		/* bit i: arg[i] is translated */
};
/*
 * result_msg_set - m says fmt with the string arguments (as many as fmt
 * has conversions); returns its English text, which the caller owns
 */
char	*result_msg_set(struct result_msg *m, unsigned words, const char *sub,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
char	*result_msg_vset(struct result_msg *m, unsigned words, const char *sub,
	    const char *fmt, va_list) __attribute__((format(printf, 4, 0)));
void	 result_msg_clear(struct result_msg *);
void	 result_msg_copy(struct result_msg *dst, const struct result_msg *src);
/*
 * result_msg_text - m in the user's language (the caller frees), or a copy
 * of english when m holds no message (an error made elsewhere, as the
 * unit tests' fixtures do) or the catalogue's translation does not fit
 */
char	*result_msg_text(const struct result_msg *m, const char *english);
/* result_msg_arg_text - m's argument i as result_msg_text() says it, or NULL */
const char *result_msg_arg_text(const struct result_msg *m, size_t i);

/* a reply as recorded: code 0 means no reply was received */
struct reply_rec {
	int		 code;
	char		 enhanced[16];
	char		*text;		/* lines joined by '\n', raw bytes; NULL if none */
	size_t		 textlen;
	unsigned	 flags;		/* REPLY_F_* */
	long		 ms;		/* from sending the command (or connect) to the reply */
};

#define PROBE_MAX_CMDS	16

struct cmd_result {
	char		 verb[8];	/* "VRFY" */
	char		*arg;		/* "postmaster", or NULL */
	enum cmd_status	 status;
	const char	*why_not_tried;	/* static string, with ST_NOT_TRIED */
	const char	*advice;	/* static string from codes.c, or NULL */
	int		 advertised;	/* the EHLO reply listed this keyword */
	int		 in_tls;	/* sent inside TLS */
	struct reply_rec reply;
	/*
	 * VRFY only: the same command with a made-up argument, sent when the
	 * first reply alone cannot tell whether the server discloses which
	 * mailboxes exist (codes_needs_control()).  status above is then the
	 * verdict over both replies (codes_verdict()).
	 */
	struct {
		int		 sent;
		char		*arg;	/* "smtpprobe-k3x9...@example.com" */
		enum cmd_status	 status;	/* of this reply alone */
		struct reply_rec reply;
	} control;
};

/* failure classes that end a session early (after OpenSMTPD's FAIL_*) */
enum probe_fail {
	PROBE_F_NONE = 0,
	PROBE_F_CONN,		/* refused, reset, EOF */
	PROBE_F_TIMEOUT,
	PROBE_F_PROTO,		/* unparseable reply */
	PROBE_F_TLS,
	PROBE_F_SHUTDOWN,	/* 421 from the server */
	PROBE_F_REJECT,		/* 554 greeting */
	PROBE_F_INTERNAL,	/* socket() failed, out of fds ... */
	PROBE_F_INTERRUPTED,	/* SIGINT/SIGTERM cut the session */
	PROBE_F_LAST
};
const char	*probe_fail_name(enum probe_fail);

/* a TLSA record (RFC 6698 2.1), copied from the DNS answer */
struct tlsa_rec {
	uint8_t		 usage;		/* 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE */
	uint8_t		 selector;	/* 0 full certificate, 1 SubjectPublicKeyInfo */
	uint8_t		 mtype;		/* 0 exact, 1 SHA-256, 2 SHA-512 */
	uint8_t		*data;
	size_t		 len;
	int		 matched;	/* set by tls_dane_match(): 1 yes, 0 no, -1 unusable */
	int		 ta_dates_bad;	/* DANE-TA match: a certificate between the
					   leaf and the TA is expired or not yet valid */
};

/* facts of an X.509 certificate */
struct tls_cert {
	char		*subject;	/* RFC 2253 one-line form */
	char		*issuer;
	char		**sans;		/* "DNS:mx.example.com", "IP:192.0.2.1" */
	size_t		 nsans;
	char		*not_before;	/* RFC 3339 UTC */
	char		*not_after;
	long		 days_left;	/* negative: expired that many days ago */
	char		*key_type;	/* "RSA", "EC", "ED25519" ... */
	int		 key_bits;
	char		*sig_alg;	/* "sha256WithRSAEncryption" */
	char		*sha256;	/* fingerprint, lower-case hex, no colons */
	char		*spki_sha256;	/* SHA-256 of the DER SubjectPublicKeyInfo:
					   the data of TLSA 3 1 1 (RFC 6698 2.1.2) */
	int		 self_signed;
};

/*
 * A certificate of the chain as the peer sent it (RFC 8446 4.4.2), leaf
 * first.  The digests are always kept; the PEM text (about 2 KB a
 * certificate) only when asked (--show-certs), so that a batch of many
 * hosts does not carry every chain.
 */
#define TLS_CHAIN_MAX	10	/* certificates kept; chain_len counts them all */
struct tls_chain_cert {
	char		*subject;	/* RFC 2253 one-line form */
	char		*issuer;
	char		*sha256;	/* of the DER certificate (TLSA x 0 1) */
	char		*spki_sha256;	/* of the DER SubjectPublicKeyInfo (TLSA x 1 1) */
	char		*pem;		/* NULL unless pem_kept */
};

/*
 * --tls-versions: which protocol versions the server accepts, one short
 * extra connection pinned to each (RFC 8996 deprecates TLS 1.0 and 1.1)
 */
#define TLS_NVERSIONS	4	/* TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 */

struct tls_version_probe {
	int		 accepted;	/* 1 yes, 0 no, -1 could not tell */
	char		*cipher;	/* negotiated, when accepted */
	char		*error;		/* why not, or why unknown */
};

struct tls_versions {
	int		 probed;	/* --tls-versions ran for this address */
	struct tls_version_probe v[TLS_NVERSIONS];
};

struct tls_result {
	int		 offered;	/* STARTTLS in the first EHLO reply */
	int		 implicit;	/* --smtps: TLS from the first byte */
	int		 attempted;	/* STARTTLS sent, or implicit TLS */
	struct reply_rec starttls;	/* the reply to STARTTLS */
	int		 ok;		/* handshake completed */
	long		 handshake_ms;
	char		*version;	/* "TLSv1.3" */
	char		*cipher;
	char		*group;		/* key exchange group, "X25519" */
	char		*error;		/* refused, handshake failure, alert */
	struct result_msg error_msg;	/* error as a message (result_msg) */
	int		 injection;	/* bytes after the 220 to STARTTLS (RFC 3207 5) */
	int		 fallback;	/* commands ran over a plaintext reconnect */
	int		 have_cert;
	struct tls_cert	 cert;
	int		 chain_len;
	struct tls_chain_cert *chain;	/* the first TLS_CHAIN_MAX of chain_len */
	size_t		 nchain;
	int		 pem_kept;	/* chain[].pem was asked for (--show-certs) */
	struct {
		int	 chain_ok;	/* chain verifies against the trust store */
		char	*chain_error;	/* OpenSSL's reason, NULL when ok */
		int	 name_ok;	/* the certificate covers name */
		char	*name;		/* the name checked (MX host or address) */
	} verify;
	/* the EHLO reply after the handshake (RFC 3207 4.2: ask again) */
	int		 have_ehlo_after;
	struct reply_rec ehlo_after_reply;
	struct ehlo_info ehlo_after;
	/* DANE (RFC 7672): TLSA records of _PORT._tcp.MX, copied from DNS */
	struct tlsa_rec	*tlsa;
	size_t		 ntlsa;
	int		 tlsa_ad;	/* the resolver set the AD bit */
	int		 dane_matched;	/* usable records that matched */
	char		*tlsa_error;	/* the TLSA lookup failed: "SERVFAIL", "TIMEOUT" ... */
	int		 mx_insecure;	/* the MX answer had no AD bit (RFC 7672 2.2.1) */
	struct tls_versions versions;	/* --tls-versions */
};

/* an MX record as (preference, host name): where an address was found, or one left out */
struct mx_ref {
	int		 preference;
	char		*host;
};

/* host_result.flags beyond the REPLY_F_* bits of reply.h */
#define HOST_F_EXTRA_BYTES	0x0100	/* bytes after a final reply, before our next command */

struct host_result {
	char		*mx;		/* MX host name (or the target for direct probes) */
	int		 preference;	/* -1 when there is no MX record */
	/*
	 * Every MX record that led to this address and port, most preferred
	 * first (the first is mx, preference): one session serves them all.
	 * Empty for a host or address target.
	 */
	struct mx_ref	*mxrefs;
	size_t		 nmxrefs;
	char		 address[64];	/* numeric */
	int		 family;	/* AF_INET / AF_INET6 */
	uint16_t	 port;
	struct {
		int	 ok;
		long	 ms;
		char	*error;
	} connect;
	struct reply_rec banner;
	struct {
		int	 checked;	/* a PTR lookup was made */
		char	*name;		/* the PTR name, or NULL */
		int	 fcrdns;	/* 1 the name leads back, 0 it does not, -1 unknown */
		char	*error;
	} ptr;
	struct {
		struct reply_rec reply;
		int		 used_helo;	/* EHLO refused, HELO used */
		struct reply_rec helo_reply;	/* when used_helo */
		struct ehlo_info info;
	} ehlo;
	struct tls_result tls;
	/*
	 * The commands tried, in order; at most PROBE_MAX_CMDS.  An array of
	 * exactly ncmds (result_host_set_cmds()), not PROBE_MAX_CMDS inline:
	 * most runs try three, and a batch holds thousands of host results.
	 */
	struct cmd_result *cmds;
	size_t		 ncmds;
	struct reply_rec quit;
	enum probe_fail	 fail;
	const char	*fail_state;	/* state name the failure happened in */
	char		*error;		/* human-readable, English; NULL if none */
	struct result_msg error_msg;	/* error as a message (result_msg) */
	unsigned	 flags;		/* REPLY_F_* and HOST_F_* seen in the session */
	int		 early_talker;	/* bytes before the banner was complete */
	long		 duration_ms;
	char		*transcript;	/* "-> EHLO x\n<- 250 ok\n"; NULL unless asked */
	size_t		 transcript_len;
	/*
	 * The session fields (connect .. transcript) are a copy of a session
	 * this run made for another target, shared_from (scan.c: one
	 * session per address, port and MX name in a run).
	 */
	int		 shared;
	char		*shared_from;
};

struct mx_rec {
	int		 preference;
	char		*host;
	char		**addrs;	/* numeric addresses, in DNS order, A before AAAA */
	size_t		 naddrs;
	int		 is_cname;	/* the MX target is an alias (RFC 5321 5.1) */
	size_t		 addrs_dropped;	/* addresses over the per-host cap */
	/* no address of the family asked for (-4, -6), this many of the other */
	size_t		 addrs_excluded;
	char		*error;		/* e.g. "no address (NXDOMAIN)" */
	/* DANE (RFC 7672 2.2): TLSA records of _PORT._tcp.HOST */
	int		 tlsa_queried;
	char		*tlsa_rcode;	/* "NOERROR", "NXDOMAIN", "TIMEOUT" ... */
	int		 tlsa_ad;	/* AD bit of the answer (RFC 6840 5.7) */
	struct tlsa_rec	*tlsa;
	size_t		 ntlsa;
};

/* --submission: one SRV record of the domain (RFC 6186 3.1, RFC 2782) */
struct submission_srv {
	const char	*service;	/* static: "_submissions._tcp", "_submission._tcp" */
	int		 implicit_tls;	/* _submissions: TLS from the first byte */
	uint16_t	 priority;
	uint16_t	 weight;
	uint16_t	 port;
	char		*target;	/* "." : the service is not offered (RFC 6186 3.4) */
};

/* RFC 2782, RFC 6186 3.4: the target "." says the service is not offered */
int	 result_srv_offered(const struct submission_srv *);
/* any SRV record of the target offers submission (1 without SRV records) */
struct target_result;
int	 result_submission_offered(const struct target_result *);

struct dns_result {
	struct mx_rec	*mx;
	size_t		 nmx;
	int		 null_mx;	/* RFC 7505 */
	int		 implicit_mx;	/* RFC 5321 5.1 */
	int		 queried;	/* an MX query was made (domain targets) */
	int		 null_mx_mixed;	/* "MX 0 ." next to other MX records (RFC 7505 3) */
	struct mx_ref	*mx_dropped;	/* MX records over the per-domain cap, most preferred first */
	size_t		 nmx_dropped;
	char		*rcode;		/* "NOERROR", "NXDOMAIN", "SERVFAIL", "TIMEOUT" ... */
	char		*error;		/* human-readable, NULL if none */
	int		 transient;	/* the error may go away (SERVFAIL, timeout) */
	int		 mx_ad;		/* the MX answer had the AD bit (RFC 6840 5.7) */
};

enum finding_severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH };
const char	*severity_name(enum finding_severity);

struct finding {
	enum finding_severity	 severity;
	char			*id;
	char			*host;		/* MX host or NULL */
	char			*address;	/* or NULL */
	char			*message;
	char			*message_text;	/* message in the user's language
						   (text report), or NULL */
	const char		*advice;	/* static, from findings.c, or NULL */
	const char		*rfc;		/* static: "RFC 5321 7.3", or NULL */
};

/*
 * --baseline: one thing that differs from the baseline's record of the
 * target (baseline.c).  The kind names are output (JSON changes[].kind,
 * Prometheus label): see change_kind_name().
 */
enum change_kind {
	CHG_MX = 0,		/* an MX host added (before NULL) or removed */
	CHG_ADDRESS,		/* an address of an MX host added or removed */
	CHG_REACHABLE,		/* a host became unreachable, or reachable again */
	CHG_COMMAND,		/* a command's status */
	CHG_TLS,		/* STARTTLS/TLS worked, and now does not (or back) */
	CHG_TLS_VERSION,
	CHG_CERTIFICATE,	/* another certificate (SHA-256) */
	CHG_CERT_ISSUER,
	CHG_CERT_EXPIRY,	/* notAfter moved */
	CHG_TLSA,		/* the TLSA records of the MX */
	CHG_DANE,		/* the DANE state (RFC 7672) */
	CHG_EXTENSION,		/* an EHLO keyword added or removed */
	CHG_FINDING,		/* a finding appeared or went away */
	CHG_LAST
};
enum change_severity { CHG_SEV_INFO = 0, CHG_SEV_IMPROVEMENT, CHG_SEV_REGRESSION };
const char	*change_kind_name(enum change_kind);
const char	*change_severity_name(enum change_severity);
struct change;
char		*change_text(const struct change *);	/* the caller frees */
char		*change_text_local(const struct change *);	/* translated */

struct change {
	enum change_kind	 kind;
	enum change_severity	 severity;
	char			*host;		/* MX host, or NULL */
	char			*address;	/* or NULL */
	char			*command;	/* CHG_COMMAND: the verb */
	char			*before;	/* NULL: absent before (added) */
	char			*after;		/* NULL: absent now (removed) */
};

enum target_kind {
	TARGET_DOMAIN,		/* MX lookup */
	TARGET_HOST,		/* a host name: A/AAAA, no MX */
	TARGET_ADDRESS		/* an IP literal */
};

/*
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) of a domain target, as
 * found: sts.c fills it in, delivery.c and findings.c judge it.
 */
struct sts_result {
	int		 checked;	/* looked up (a domain, without --no-mta-sts) */
	/* _mta-sts.DOMAIN TXT (RFC 8461 3.1) */
	char		*txt_rcode;	/* "NOERROR", "NXDOMAIN", "SERVFAIL" ... */
	char		*txt_error;	/* the lookup failed (not: no record) */
	size_t		 ntxt;		/* records starting with "v=STSv1" */
	char		*txt;		/* the first of them, as published */
	char		*txt_invalid;	/* why it is not a valid record; NULL if it is */
	char		 id[33];	/* its id, when valid */
	/* the policy fetch (RFC 8461 3.3) */
	int		 fetched;	/* a fetch was tried */
	char		*policy_url;
	char		*policy_address;	/* where it connected, NULL if none */
	long		 status;	/* HTTP status, 0 if none */
	char		*fetch_class;	/* why there is no policy body: "dns", "connect",
					   "tls", "timeout", "too-large", "http",
					   "redirect", "http-status", "media-type" ... */
	char		*fetch_error;	/* in words */
	long		 fetch_ms;
	int		 have_policy;	/* policy parsed */
	struct mtasts_policy policy;
	char		*policy_error;	/* a body that does not parse */
	/* _smtp._tls.DOMAIN TXT (RFC 8460 3) */
	char		*rpt_rcode;
	char		*rpt_error;	/* the lookup failed */
	size_t		 nrpt;		/* records starting with "v=TLSRPTv1" */
	char		*rpt_txt;
	char		*rpt_invalid;	/* why it is not valid; NULL if it is */
	int		 have_rpt;
	struct tlsrpt_record rpt;
};
void	 result_sts_clear(struct sts_result *);

/* a breach of the --expect policy, or a rule the probe could not check */
struct violation {
	char		*rule;		/* "VRFY=off" */
	char		*host;		/* MX host or NULL */
	char		*address;	/* or NULL */
	char		*message;
	char		*message_text;	/* message in the user's language
					   (text report), or NULL */
	int		 unverified;	/* could not be checked (4xx, not tried) */
};

struct target_result {
	char		*target;	/* as given */
	enum target_kind kind;
	char		*name;		/* domain / host / address without port */
	uint16_t	 port;		/* 0: default */
	struct timespec	 started;	/* wall clock */
	long		 duration_ms;
	struct dns_result dns;
	struct sts_result sts;
	struct host_result *hosts;
	size_t		 nhosts;
	struct finding	*findings;
	size_t		 nfindings;
	char		*error;		/* target-level error (DNS, no host) */
	int		 interrupted;	/* cut short by SIGINT/SIGTERM */
	/*
	 * --submission: where the submission hosts came from, "srv" (the
	 * domain's SRV records, RFC 6186 3.1), "mx" (the domain's MX hosts),
	 * "host" (--host or a host name), "address"; static, NULL without
	 * --submission
	 */
	const char	*submission_source;
	struct submission_srv *submission_srv;	/* "srv": the records, in probe order */
	size_t		 nsubmission_srv;
	char		*submission_srv_error;	/* an SRV lookup failed: why (then "mx") */
	int		 policy_checked;	/* --expect was given */
	char		*policy_spec;		/* the rules, normalised */
	struct violation *violations;
	size_t		 nviolations;
	/* --baseline: 0 not asked, 1 compared, -1 the target is not in the baseline */
	int		 baseline;
	char		*baseline_started;	/* the baseline's "started" of the target */
	struct change	*changes;	/* regressions first, then improvements, info */
	size_t		 nchanges;
};

struct target_result	*result_target_new(const char *target);
void			 result_target_free(struct target_result *);
struct host_result	*result_add_host(struct target_result *);	/* zeroed, owned by target */
void			 result_add_finding(struct target_result *, enum finding_severity,
			    const char *id, const char *host, const char *address,
			    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void			 result_add_violation(struct target_result *, const char *rule,
			    const char *host, const char *address, int unverified,
			    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void			 result_add_change(struct target_result *, enum change_kind,
			    enum change_severity, const char *host, const char *address,
			    const char *command, const char *before, const char *after);
/* result_regressions - changes since the baseline that are regressions */
size_t			 result_regressions(const struct target_result *);
/* result_violations - definite violations (not the unverified ones) */
size_t			 result_violations(const struct target_result *);
void			 result_reply_set(struct reply_rec *, int code, const char *enhanced,
			    const char *text, size_t textlen, unsigned flags, long ms);
void			 result_reply_clear(struct reply_rec *);
void			 result_host_clear(struct host_result *);
/*
 * result_host_error - set h's error: fmt with its string arguments (see
 * struct result_msg for words); the English in h->error
 */
void			 result_host_error(struct host_result *h, unsigned words,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * result_host_error_text - h's error in the user's language, NULL if none
 * (the caller frees); result_tls_error_text - the same for its TLS error
 */
char			*result_host_error_text(const struct host_result *h);
char			*result_tls_error_text(const struct tls_result *tls);
/*
 * result_host_copy_session - copy what a session found (connect, banner,
 * EHLO, TLS, commands, QUIT, failure, transcript) from src to dst, which
 * has no session data yet.  dst keeps its own MX names, address, PTR and
 * TLSA records; only the TLSA match results are copied (when dst holds
 * as many records as src).
 */
/*
 * result_host_set_cmds - give h n zeroed commands (n <= PROBE_MAX_CMDS),
 * for a host that has none yet
 */
void			 result_host_set_cmds(struct host_result *h, size_t n);
/* result_host_add_cmd - append a zeroed command (tests, fixtures) */
struct cmd_result	*result_host_add_cmd(struct host_result *h);
void			 result_host_copy_session(struct host_result *dst,
			    const struct host_result *src);
void			 result_tls_clear(struct tls_result *);
void			 tls_versions_clear(struct tls_versions *);
void			 result_cert_clear(struct tls_cert *);
void			 result_chain_free(struct tls_chain_cert *, size_t);
void			 result_tlsa_free(struct tlsa_rec *, size_t);
void			 result_dns_clear(struct dns_result *);
/*
 * result_mx_first - is d->mx[i] the first record naming its host?  A
 * host listed at two preferences is one host (looked up, probed and
 * reported once).
 */
int			 result_mx_first(const struct dns_result *, size_t i);
struct tlsa_rec		*result_tlsa_dup(const struct tlsa_rec *, size_t);
/* result_host_add_mxref - record that (preference, host) leads to h; once each */
void			 result_host_add_mxref(struct host_result *, int preference,
			    const char *host);

/* what a finished target amounts to: see result_target_outcome() */
enum target_outcome {
	OUTCOME_OK = 0,		/* at least one address was probed */
	OUTCOME_NULL_MX,	/* RFC 7505: the domain takes no mail */
	OUTCOME_TEMPORARY,	/* nothing probed; only 421/4xx answers */
	OUTCOME_FAILED,		/* nothing probed: 554, unreachable, DNS ... */
	OUTCOME_INTERRUPTED,	/* cut short by SIGINT/SIGTERM */
	OUTCOME_LAST
};
enum target_outcome	 result_target_outcome(const struct target_result *);
const char		*result_outcome_name(enum target_outcome);
int			 result_host_probed(const struct host_result *);
int			 result_target_probed(const struct target_result *);
/* result_target_failed - not verified (exit status 2); see result.c */
int			 result_target_failed(const struct target_result *);

#endif
