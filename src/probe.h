/* SPDX-License-Identifier: ISC */
/*
 * probe - one non-blocking SMTP session against one address (RFC 5321):
 * connect -> [TLS] -> banner -> EHLO (HELO fallback) -> [STARTTLS ->
 * handshake -> EHLO] -> commands -> QUIT; a failed STARTTLS handshake
 * reconnects and runs the commands in plaintext.  Never sends DATA.  Waits for each reply.  Records everything
 * into a struct host_result; never prints.
 */
#ifndef SMTPPROBE_PROBE_H
#define SMTPPROBE_PROBE_H

#include <sys/socket.h>
#include <stdint.h>

#include "cli.h"
#include "result.h"

struct loop;
struct probe;
struct tls_ctx;

struct probe_config {
	const char		*helo;		/* EHLO/HELO argument */
	const struct probe_cmd	*cmds;
	size_t			 ncmds;
	const char		*domain;	/* default argument of ETRN */
	int			 vrfy_control;	/* VRFY a made-up name too (codes_needs_control()) */
	const char		*control_domain; /* its domain: the target domain, or NULL */
	int			 connect_timeout_ms;
	int			 timeout_ms;	/* per reply */
	int			 deadline_ms;	/* whole session, 0: none */
	int			 transcript;
	struct tls_ctx		*tls_ctx;	/* NULL: never STARTTLS */
	int			 implicit_tls;	/* TLS from the first byte (RFC 8314) */
	int			 show_certs;	/* keep the peer chain as PEM too */
	int			 tls_versions;	/* then probe each version (tlsver.h) */
	/*
	 * Before the plaintext reconnect after a failed STARTTLS handshake:
	 * how many ms to wait first (--rate counts that connection too).
	 * NULL: reconnect at once.
	 */
	uint64_t		(*reconnect_delay)(void *arg);
	void			*reconnect_arg;
};

typedef void	(*probe_done_cb)(struct probe *, struct host_result *, void *arg);

/*
 * probe_start - connect to sa and run a session, filling hr (borrowed,
 * must outlive the probe).  Always calls done exactly once, from the
 * loop (never from inside probe_start), even when the connect fails at
 * once.  cfg is borrowed for the life of the probe.
 */
struct probe	*probe_start(struct loop *, const struct probe_config *cfg,
		    const struct sockaddr *sa, socklen_t salen,
		    struct host_result *hr, probe_done_cb done, void *arg);

/* probe_start_fd - run a session over an already connected fd (tests) */
struct probe	*probe_start_fd(struct loop *, const struct probe_config *cfg, int fd,
		    struct host_result *hr, probe_done_cb done, void *arg);

/*
 * probe_abort - end the session now (SIGINT): recorded as interrupted,
 * done is called from the loop as usual
 */
void		 probe_abort(struct probe *);

/* probe_free - close and free; never calls done.  NULL does nothing. */
void		 probe_free(struct probe *);

/* probe_default_helo - this host's FQDN, else "[127.0.0.1]"-style literal */
const char	*probe_default_helo(void);

#endif
