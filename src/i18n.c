/* SPDX-License-Identifier: ISC */
/*
 * i18n - locale and message catalogue set-up.
 *
 * LC_ALL comes from the environment so that LC_MESSAGES picks the
 * catalogue and LC_CTYPE the output charset; LC_NUMERIC is put back to "C"
 * because Nagios perfdata, Prometheus samples and JSON print numbers with
 * printf and must keep the '.' decimal point in every locale, and the C
 * library's messages (strerror) are kept English for the same reason.
 */
#include "config.h"

#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

void
i18n_init(void)
{
	const char	*dir = getenv("SMTPPROBE_LOCALEDIR");

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* SMTPPROBE_LOCALEDIR: catalogues not yet installed (tests/i18n.sh) */
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	/*
	 * The C library's own messages (strerror: "Connection reset by
	 * peer") end up in JSON's error fields, which must not depend on the
	 * locale: its catalogue is pointed at a directory that has none, so
	 * they stay English everywhere.
	 */
	bindtextdomain("libc", "/nonexistent");
	textdomain(PACKAGE);
}

void
i18n_off(void)
{
	setlocale(LC_MESSAGES, "C");
}

const char *
i18n_tr(const char *s)
{
	if (s == NULL || *s == '\0')
		return s;
	return gettext(s);
}

const char *
i18n_trc(const char *ctx, const char *s)
{
	char		 key[512];
	const char	*t;
	int		 n;

	if (s == NULL || *s == '\0')
		return s;
	/* the catalogue's key: context, EOT, message (as pgettext() builds it) */
	n = snprintf(key, sizeof(key), "%s\004%s", ctx, s);
	if (n < 0 || (size_t)n >= sizeof(key))
		return s;
	t = gettext(key);
	return t == key ? s : t;
}
