/* SPDX-License-Identifier: ISC */
/*
 * auth - what a session's EHLO replies say about SMTP AUTH (RFC 4954)
 * before and after TLS.  The one rule that findings, the text and JSON
 * reports follow.  smtpprobe never sends AUTH: the advertisement alone
 * says whether a client would be invited to send a password in clear
 * text (see the man page, AUTH).
 */
#ifndef SMTPPROBE_AUTH_H
#define SMTPPROBE_AUTH_H

#include "ehlo.h"
#include "result.h"

struct auth_view {
	int		 known_before;	/* an EHLO reply in clear text was read,
					   or the session was implicit TLS
					   (nothing is said before TLS) */
	struct ehlo_auth before;
	int		 known_after;	/* an EHLO reply inside TLS was read */
	struct ehlo_auth after;
	/* PLAIN or LOGIN offered in clear text (RFC 4954 4, RFC 8314 3) */
	int		 cleartext_before_tls;
	int		 offered;	/* AUTH before or after TLS */
};

/* auth_view - the AUTH facts of h; out is overwritten */
void	 auth_view(const struct host_result *h, struct auth_view *out);

/* auth_mechs_str - "PLAIN LOGIN" (mechanisms joined by a space) into buf */
void	 auth_mechs_str(const struct ehlo_auth *, char *buf, size_t len);

#endif
