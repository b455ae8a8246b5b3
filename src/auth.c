/* SPDX-License-Identifier: ISC */
/*
 * auth - SMTP AUTH as advertised before and after TLS (RFC 4954 3, 4;
 * RFC 8314 3: submission with credentials only over TLS).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"

/*
 * The EHLO reply of the session's first EHLO is in clear text unless the
 * session was implicit TLS (RFC 8314 3.3); the one after STARTTLS (RFC
 * 3207 4.2) is inside TLS.  A HELO fallback advertises nothing.
 */
void
auth_view(const struct host_result *h, struct auth_view *out)
{
	const struct tls_result	*tls = &h->tls;
	int			 ehlo_ok;

	memset(out, 0, sizeof(*out));
	ehlo_ok = h->ehlo.reply.code == 250 && !h->ehlo.used_helo;
	if (tls->implicit) {
		out->known_before = h->connect.ok;
		if (ehlo_ok && tls->ok) {
			out->known_after = 1;
			ehlo_auth(&h->ehlo.info, &out->after);
		}
	} else {
		if (ehlo_ok) {
			out->known_before = 1;
			ehlo_auth(&h->ehlo.info, &out->before);
		}
		if (tls->have_ehlo_after && tls->ehlo_after_reply.code == 250) {
			out->known_after = 1;
			ehlo_auth(&tls->ehlo_after, &out->after);
		}
	}
	out->cleartext_before_tls = out->before.cleartext;
	out->offered = out->before.offered || out->after.offered;
}

void
auth_mechs_str(const struct ehlo_auth *a, char *buf, size_t len)
{
	size_t	 i, off = 0;
	int	 n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < a->nmechs; i++) {
		n = snprintf(buf + off, len - off, "%s%s", i > 0 ? " " : "",
		    a->mechs[i]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}
