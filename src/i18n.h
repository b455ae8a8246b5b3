/* SPDX-License-Identifier: ISC */
/*
 * i18n - GNU gettext for the messages a person reads: --help, errors,
 * `explain`, the text report's words, advice and findings.  Machine output
 * (JSON, jsonl, Nagios, Prometheus) never goes through it and stays English
 * whatever LANG says.
 *
 *   _("text")    translate now
 *   N_("text")   mark for the catalogue only (tables); translate where the
 *                text is rendered for a person, with i18n_tr()
 *   NC_("ctx", "text")
 *                N_() with a context (msgctxt), for a word translated
 *                otherwise elsewhere; translate with i18n_trc("ctx", s)
 */
#ifndef SMTPPROBE_I18N_H
#define SMTPPROBE_I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	s	/* unparenthesized: it may initialize a char array */
#define NC_(c, s)	s

/* setlocale() from the environment and bind the "smtpprobe" catalogue */
void		 i18n_init(void);
/* back to the untranslated messages (Nagios: English for the machine) */
void		 i18n_off(void);
/* gettext() of a table string; NULL and "" pass through (gettext("") is
 * the catalogue's header) */
const char	*i18n_tr(const char *) __attribute__((format_arg(1)));
/* i18n_tr() of s in context ctx (pgettext()); s itself when untranslated */
const char	*i18n_trc(const char *ctx, const char *s)
		    __attribute__((format_arg(2)));

#endif
