/* SPDX-License-Identifier: ISC */
/*
 * tlsver - --tls-versions: after the main session, one short extra
 * connection per protocol version (TLS 1.0 .. 1.3), each pinned to
 * exactly that version: banner, EHLO, STARTTLS (RFC 3207), handshake,
 * QUIT; or the handshake at once for implicit TLS (RFC 8314).  The
 * connections run one after another, each paced by the caller's
 * reconnect_delay (--rate) and inside the caller's --per-ip slot.
 */
#ifndef SMTPPROBE_TLSVER_H
#define SMTPPROBE_TLSVER_H

#include <sys/types.h>
#include <sys/socket.h>

struct loop;
struct probe_config;
struct tls_versions;
struct tlsver;

typedef void	(*tlsver_done_cb)(void *arg);

/*
 * tlsver_start - probe the four versions against sa, filling out
 * (borrowed).  done runs once, from the loop, when all are recorded.
 * cfg gives helo (NULL: helo), timeouts, implicit_tls, reconnect_delay.
 */
struct tlsver	*tlsver_start(struct loop *, const struct probe_config *cfg,
		    const char *helo, const struct sockaddr *sa, socklen_t salen,
		    struct tls_versions *out, tlsver_done_cb done, void *arg);
void		 tlsver_free(struct tlsver *);	/* never calls done */

#endif
