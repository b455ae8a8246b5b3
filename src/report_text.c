/* SPDX-License-Identifier: ISC */
/*
 * report_text - one target for a human: a header saying what DNS said,
 * the capability matrix (one row per address, one column per command),
 * the TLS details of each address that tried TLS (RFC 3207 STARTTLS,
 * RFC 8314 implicit TLS, RFC 7672 DANE), the SMTP transcripts when
 * asked, advice and findings.
 *
 * Every string from the result goes through escape_terminal() before it
 * reaches the terminal, server text or not (DNS names, error messages
 * quoting replies): no control byte but '\n' and our own SGR colour
 * sequences is ever written.  Column widths are terminal columns
 * (text_width()): a translated word may hold CJK characters, two columns
 * each; sanitized server text is one column per byte.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <wchar.h>

#include "codes.h"
#include "dane.h"
#include "delivery.h"
#include "ehlo.h"
#include "escape.h"
#include "i18n.h"
#include "log.h"
#include "report.h"
#include "result.h"
#include "summary.h"
#include "util.h"

#define C_RED		"\033[31m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_BOLD		"\033[1m"
#define C_RESET		"\033[0m"

#define COL_GAP		2	/* spaces between columns */
#define TEXT_WIDTH	80	/* the matrix fits this many columns (not --wide) */
#define MX_MIN		12	/* an MX cell is never shortened below this */
#define INDENT		"  "

/*
 * matrix cell text for each status, after the code: "502 not impl"
 * (--wide; translated where the cell is made)
 */
static const char *status_short[ST_LAST] = {
	/* TRANSLATORS: a status in a cell of the --wide matrix, after the
	 * reply code: keep it short */
	[ST_NOT_TRIED] = "-",
	[ST_SUPPORTED] = NC_("matrix", "SUPPORTED"),
	[ST_CANNOT_VERIFY] = NC_("matrix", "cannot verify"),
	[ST_NOT_IMPLEMENTED] = NC_("matrix", "not impl"),
	[ST_NOT_RECOGNIZED] = NC_("matrix", "unrecognized"),
	[ST_PARAM_NOT_IMPLEMENTED] = NC_("matrix", "param not impl"),
	[ST_REFUSED] = NC_("matrix", "refused"),
	[ST_AUTH_REQUIRED] = NC_("matrix", "auth required"),
	[ST_BAD_SEQUENCE] = NC_("matrix", "bad sequence"),
	[ST_TEMPORARY] = NC_("matrix", "temporary"),
	[ST_SYNTAX] = NC_("matrix", "syntax error"),
	[ST_UNEXPECTED] = NC_("matrix", "unexpected"),
	[ST_ERROR] = NC_("matrix", "error"),
	[ST_ENUMERABLE] = NC_("matrix", "enumerable"),
	[ST_UNKNOWN_MAILBOX] = NC_("matrix", "unknown mailbox"),
	[ST_AMBIGUOUS] = NC_("matrix", "ambiguous"),
	[ST_NOT_LOCAL] = NC_("matrix", "not local"),
};

struct cell {
	char		*s;
	const char	*color;		/* NULL: plain */
};

struct matrix {
	size_t		 ncols;
	size_t		 nrows;		/* the header row is row 0 */
	struct cell	*cells;		/* nrows * ncols */
	size_t		*width;
	int		 narrow;	/* fit TEXT_WIDTH (not --wide) */
	uint16_t	 port;		/* narrow: the port of every row, in the header */
	int		 any_open;	/* narrow: a cell is marked '!' */
	int		 any_short;	/* narrow: an MX name was shortened */
};

static char *
san(const char *s)
{
	return escape_terminal(s, s != NULL ? strlen(s) : 0, 0);
}

/*
 * text_width - the terminal columns s takes in the current locale (a CJK
 * character two, wcswidth()); ASCII, or text the locale cannot decode,
 * is one column per byte
 */
static size_t
text_width(const char *s)
{
	wchar_t		 wbuf[128], *w = wbuf;
	const char	*p;
	size_t		 n, len = strlen(s);
	int		 cols;

	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0' || (n = mbstowcs(NULL, s, 0)) == (size_t)-1)
		return len;
	if (n >= nitems(wbuf))
		w = xreallocarray(NULL, n + 1, sizeof(*w));
	mbstowcs(w, s, n + 1);
	cols = wcswidth(w, n);
	if (w != wbuf)
		free(w);
	return cols < 0 ? len : (size_t)cols;
}

/*
 * A message that quotes server text, in English and in the user's
 * language: the translation keeps its CJK characters, the English one is
 * san()'d as ever (so that LANG=C output does not change)
 */
static char *
san_local(const char *english, const char *local)
{
	if (local != NULL && english != NULL && strcmp(local, english) != 0)
		return escape_terminal_cjk(local);
	return san(english);
}

static struct cell *
cell_at(struct matrix *m, size_t row, size_t col)
{
	return &m->cells[row * m->ncols + col];
}

static void
cell_set(struct matrix *m, size_t row, size_t col, char *s, const char *color)
{
	struct cell	*c = cell_at(m, row, col);

	free(c->s);
	c->s = s;
	c->color = color;
}

/* VRFY, EXPN and TURN leak addresses or mail: "supported" is the finding */
static int
sensitive_verb(const char *verb)
{
	return strcmp(verb, "VRFY") == 0 || strcmp(verb, "EXPN") == 0 ||
	    strcmp(verb, "TURN") == 0;
}

static const char *
status_color(const char *verb, enum cmd_status st)
{
	switch (st) {
	case ST_SUPPORTED:
	case ST_ENUMERABLE:
	case ST_UNKNOWN_MAILBOX:
	case ST_AMBIGUOUS:
	case ST_NOT_LOCAL:
		return sensitive_verb(verb) ? C_RED : NULL;
	case ST_CANNOT_VERIFY:
	case ST_NOT_IMPLEMENTED:
	case ST_NOT_RECOGNIZED:
	case ST_PARAM_NOT_IMPLEMENTED:
	case ST_REFUSED:
	case ST_AUTH_REQUIRED:
		return sensitive_verb(verb) ? C_GREEN : NULL;
	case ST_BAD_SEQUENCE:
	case ST_TEMPORARY:
	case ST_SYNTAX:
	case ST_UNEXPECTED:
	case ST_ERROR:
		return C_YELLOW;
	case ST_NOT_TRIED:
	default:
		return NULL;
	}
}

static const char *
code_color(int code)
{
	if (code >= 500)
		return C_RED;
	if (code >= 400)
		return C_YELLOW;
	return NULL;
}

static char *
code_cell(int code)
{
	return code != 0 ? xasprintf("%d", code) : xstrdup("-");
}

static char *
cmd_cell(const struct cmd_result *c)
{
	const char	*label;

	if ((unsigned)c->status >= ST_LAST)
		fatalx("%s: bad status %d", __func__, (int)c->status);
	/* NC_: "temporary" is a count word in the summary */
	label = i18n_trc("matrix", status_short[c->status]);
	if (c->status == ST_NOT_TRIED || c->reply.code == 0)
		return xstrdup(label);
	return xasprintf("%d %s", c->reply.code, label);
}

/*
 * The narrow cell: the code alone, with '!' when VRFY, EXPN or TURN is
 * open (works, or discloses mailboxes: codes_status_open()); "err" when
 * no reply came; "-" when not sent.  The status words are in the
 * findings and the advice.
 */
static char *
cmd_cell_narrow(const struct cmd_result *c, int *open)
{
	if (c->status == ST_NOT_TRIED)
		return xstrdup("-");
	if (c->reply.code == 0)
		return xstrdup("err");
	if (sensitive_verb(c->verb) && codes_status_open(c->status) == 1) {
		*open = 1;
		return xasprintf("%d!", c->reply.code);
	}
	return xasprintf("%d", c->reply.code);
}

/*
 * what ended the session, in the user's language, or NULL: "connect:
 * Connection refused" (result_host_error_text(): server and C library
 * text as it came)
 */
static char *
host_error(const struct host_result *h)
{
	const char	*fail, *state;
	char		*a, *b, *s;

	if (h->error != NULL) {
		a = result_host_error_text(h);
		s = san_local(h->error, a);
		free(a);
		return s;
	}
	if (!h->connect.ok && h->connect.error != NULL) {
		a = san(h->connect.error);
		s = xasprintf(_("connect: %s"), a);
		free(a);
		return s;
	}
	if (h->fail != PROBE_F_NONE) {
		fail = i18n_trc("failure", probe_fail_name(h->fail));
		if (h->fail_state == NULL)
			return xstrdup(fail);
		state = i18n_trc("session", h->fail_state);
		b = san_local(h->fail_state, state);
		/* untranslated, "ehlo" reads as the command in upper case */
		for (a = b; state == h->fail_state && *a != '\0'; a++)
			if (*a >= 'a' && *a <= 'z')
				*a = (char)(*a - 'a' + 'A');
		s = xasprintf(_("%s in %s"), fail, b);
		free(b);
		return s;
	}
	return NULL;
}

/*
 * Several MX records on one address (one session): each name once with
 * all its preferences, "10,20 mx.example" or "10 mx1.example, 20
 * mx2.example", in preference order.  The header notes it in full; the
 * matrix cell shows the most preferred record and "+N" others.
 */
static char *
mx_cell_records(const struct host_result *h)
{
	struct buf	 b = { 0 };
	char		*n, *s;
	size_t		 i, j, k;

	for (i = 0; i < h->nmxrefs; i++) {
		for (j = 0; j < i; j++)
			if (strcasecmp(h->mxrefs[j].host, h->mxrefs[i].host) == 0)
				break;
		if (j < i)
			continue;	/* this name is done */
		if (b.len > 0)
			buf_printf(&b, ", ");
		for (k = i; k < h->nmxrefs; k++)
			if (strcasecmp(h->mxrefs[k].host, h->mxrefs[i].host) == 0)
				buf_printf(&b, "%s%d", k > i ? "," : "",
				    h->mxrefs[k].preference);
		n = san(h->mxrefs[i].host);
		buf_printf(&b, " %s", n);
		free(n);
	}
	s = xstrdup(b.data);
	buf_free(&b);
	return s;
}

static char *
mx_cell(const struct host_result *h)
{
	char	*n, *s;

	if (h->mx == NULL)
		return h->preference >= 0 ? xasprintf("%d", h->preference) :
		    xstrdup("-");
	n = san(h->mx);
	if (h->preference < 0)
		return n;
	if (h->nmxrefs > 1)
		s = xasprintf("%d %s +%zu", h->preference, n, h->nmxrefs - 1);
	else
		s = xasprintf("%d %s", h->preference, n);
	free(n);
	return s;
}

static char *
address_cell_port(const struct host_result *h, int with_port)
{
	char	*a, *s;

	a = escape_terminal(h->address, strnlen(h->address,
	    sizeof(h->address)), 0);
	if (h->port == 0 || h->port == 25 || !with_port)
		return a;
	if (h->family == AF_INET6 || strchr(a, ':') != NULL)
		s = xasprintf("[%s]:%u", a, (unsigned)h->port);
	else
		s = xasprintf("%s:%u", a, (unsigned)h->port);
	free(a);
	return s;
}

static char *
address_cell(const struct host_result *h)
{
	return address_cell_port(h, 1);
}

/*
 * "a...z": s shortened in the middle to max bytes (s is sanitized: one
 * byte a column), the end kept longer since it names the domain
 */
static char *
shorten_middle(const char *s, size_t max)
{
	size_t	 len = strlen(s), head, tail;

	if (len <= max || max < 5)
		return xstrdup(s);
	head = (max - 3) / 2;
	tail = max - 3 - head;
	return xasprintf("%.*s...%s", (int)head, s, s + len - tail);
}

/* mx_cell() in at most max columns: the name shortened, not the preference */
static char *
mx_cell_fit(const struct host_result *h, size_t max, int *shortened)
{
	char	*cell = mx_cell(h), *n, *short_n, *s, *at;
	size_t	 over;

	*shortened = 0;
	if (strlen(cell) <= max || h->mx == NULL)
		return cell;
	n = san(h->mx);
	if ((at = strstr(cell, n)) == NULL || strlen(n) <= strlen(cell) - max) {
		free(n);
		return cell;
	}
	over = strlen(cell) - max;
	short_n = shorten_middle(n, strlen(n) - over);
	s = xasprintf("%.*s%s%s", (int)(at - cell), cell, short_n,
	    at + strlen(n));
	*shortened = strcmp(short_n, n) != 0;
	free(short_n);
	free(n);
	free(cell);
	return s;
}

/* the port all hosts of t share when it is not 25, else 0 */
static uint16_t
common_port(const struct target_result *t)
{
	size_t	 i;

	if (t->nhosts == 0 || t->hosts[0].port == 0 || t->hosts[0].port == 25)
		return 0;
	for (i = 1; i < t->nhosts; i++)
		if (t->hosts[i].port != t->hosts[0].port)
			return 0;
	return t->hosts[0].port;
}

static const struct cmd_result *
host_cmd(const struct host_result *h, const char *verb)
{
	size_t	 i;

	for (i = 0; i < h->ncmds && i < PROBE_MAX_CMDS; i++)
		if (strncmp(h->cmds[i].verb, verb, sizeof(h->cmds[i].verb)) == 0)
			return &h->cmds[i];
	return NULL;
}

/* the verbs of all hosts, in order of first appearance */
static size_t
collect_verbs(const struct target_result *t, char (**verbs)[8])
{
	size_t	 i, j, k, n = 0, max = 0;

	for (i = 0; i < t->nhosts; i++)
		max += t->hosts[i].ncmds;
	*verbs = xreallocarray(NULL, max == 0 ? 1 : max, sizeof(**verbs));
	for (i = 0; i < t->nhosts; i++) {
		const struct host_result *h = &t->hosts[i];

		for (j = 0; j < h->ncmds && j < PROBE_MAX_CMDS; j++) {
			for (k = 0; k < n; k++)
				if (strncmp((*verbs)[k], h->cmds[j].verb, 8) == 0)
					break;
			if (k == n) {
				memcpy((*verbs)[n], h->cmds[j].verb, 8);
				(*verbs)[n][7] = '\0';
				n++;
			}
		}
	}
	return n;
}

/* "1.3" for "TLSv1.3", "1.0" for OpenSSL's "TLSv1"; other names as they are */
static char *
tls_version_short(const char *v)
{
	if (v == NULL)
		return xstrdup("?");
	if (strcmp(v, "TLSv1") == 0)
		return xstrdup("1.0");
	if (strncmp(v, "TLSv", 4) == 0 && v[4] != '\0')
		return san(v + 4);
	return san(v);
}

/* TLS 1.0 and 1.1 are deprecated (RFC 8996) */
static int
tls_version_old(const char *v)
{
	return v == NULL || strcmp(v, "TLSv1.2") < 0 ||
	    strncmp(v, "TLSv", 4) != 0;
}

/*
 * The TLS cell: the word of summary_tls_outcome(), after the version
 * when a handshake completed: "none", "refused", "1.3 ok", "1.2 untrusted".
 */
static char *
tls_cell(const struct host_result *h, const char **color)
{
	enum tls_outcome	 o = summary_tls_outcome(h);
	char			*v, *s;

	switch (o) {
	case TLSO_NO_SESSION:
	case TLSO_NOT_TRIED:
		*color = NULL;
		break;
	case TLSO_NOT_OFFERED:
	case TLSO_REFUSED:
	case TLSO_NO_CERT:
	case TLSO_SELF_SIGNED:
	case TLSO_UNTRUSTED:
	case TLSO_NAME_MISMATCH:
		*color = C_YELLOW;
		break;
	case TLSO_OK:
		*color = tls_version_old(h->tls.version) ? C_YELLOW : C_GREEN;
		break;
	default:
		*color = C_RED;
		break;
	}
	if (o < TLSO_NO_CERT)
		return xstrdup(i18n_tr(summary_tls_label(o)));
	v = tls_version_short(h->tls.version);
	s = xasprintf("%s %s", v, i18n_tr(summary_tls_label(o)));
	free(v);
	return s;
}

enum { COL_MX, COL_ADDRESS, COL_BANNER, COL_EHLO, COL_TLS, COL_VERBS };

static void
matrix_widths(struct matrix *m)
{
	size_t	 row, col, len;

	memset(m->width, 0, m->ncols * sizeof(*m->width));
	for (row = 0; row < m->nrows; row++)
		for (col = 0; col < m->ncols; col++)
			if ((len = text_width(cell_at(m, row, col)->s)) > m->width[col])
				m->width[col] = len;
}

/*
 * Narrow: when the rows are wider than TEXT_WIDTH, shorten the MX names
 * in the middle ("mx1.ver...example.com"), never below MX_MIN columns;
 * the full names follow the matrix (text_full_names()).
 */
static void
matrix_fit(struct matrix *m, const struct target_result *t)
{
	size_t	 total, col, max, i;
	int	 shortened;

	total = strlen(INDENT);
	for (col = 0; col < m->ncols; col++)
		total += m->width[col] + (col > 0 ? COL_GAP : 0);
	if (total <= TEXT_WIDTH)
		return;
	max = m->width[COL_MX] > total - TEXT_WIDTH ?
	    m->width[COL_MX] - (total - TEXT_WIDTH) : 0;
	if (max < MX_MIN)
		max = MX_MIN;
	for (i = 0; i < t->nhosts; i++) {
		cell_set(m, 1 + i, COL_MX, mx_cell_fit(&t->hosts[i], max,
		    &shortened), NULL);
		m->any_short |= shortened;
	}
	matrix_widths(m);
}

static void
matrix_build(struct matrix *m, const struct target_result *t)
{
	static const char	*fixed[COL_VERBS] = {
		"MX", "ADDRESS", "BANNER", "EHLO", "TLS"
	};
	char			(*verbs)[8];
	char			*err;
	size_t			 nverbs, i, j, row, col, errcol = 0;
	int			 any_error = 0;

	/* narrow: errors go below the matrix (text_errors()) */
	for (i = 0; i < t->nhosts && !m->narrow; i++) {
		if ((err = host_error(&t->hosts[i])) != NULL)
			any_error = 1;
		free(err);
	}
	m->port = m->narrow ? common_port(t) : 0;
	nverbs = collect_verbs(t, &verbs);
	m->ncols = COL_VERBS + nverbs + (any_error ? 1 : 0);
	m->nrows = 1 + t->nhosts;
	m->cells = xcalloc(m->nrows * m->ncols, sizeof(*m->cells));
	m->width = xcalloc(m->ncols, sizeof(*m->width));

	for (col = 0; col < COL_VERBS; col++)
		cell_set(m, 0, col, xstrdup(fixed[col]), NULL);
	for (j = 0; j < nverbs; j++)
		cell_set(m, 0, COL_VERBS + j, san(verbs[j]), NULL);
	if (any_error) {
		errcol = COL_VERBS + nverbs;
		cell_set(m, 0, errcol, xstrdup("ERROR"), NULL);
	}

	for (i = 0; i < t->nhosts; i++) {
		const struct host_result	*h = &t->hosts[i];
		const struct cmd_result		*c;
		const char			*tlscolor = NULL;
		char				*tls;

		row = 1 + i;
		cell_set(m, row, COL_MX, mx_cell(h), NULL);
		cell_set(m, row, COL_ADDRESS, address_cell_port(h, m->port == 0),
		    NULL);
		cell_set(m, row, COL_BANNER, code_cell(h->banner.code),
		    code_color(h->banner.code));
		if (h->ehlo.used_helo)
			cell_set(m, row, COL_EHLO, xstrdup("HELO"), C_YELLOW);
		else
			cell_set(m, row, COL_EHLO, code_cell(h->ehlo.reply.code),
			    code_color(h->ehlo.reply.code));
		tls = tls_cell(h, &tlscolor);
		cell_set(m, row, COL_TLS, tls, tlscolor);
		for (j = 0; j < nverbs; j++) {
			if ((c = host_cmd(h, verbs[j])) == NULL)
				cell_set(m, row, COL_VERBS + j, xstrdup("-"), NULL);
			else
				cell_set(m, row, COL_VERBS + j, m->narrow ?
				    cmd_cell_narrow(c, &m->any_open) : cmd_cell(c),
				    status_color(c->verb, c->status));
		}
		if (any_error) {
			err = host_error(h);
			cell_set(m, row, errcol, err != NULL ? err : xstrdup(""),
			    C_RED);
		}
	}
	free(verbs);

	matrix_widths(m);
	if (m->narrow)
		matrix_fit(m, t);
}

static void
matrix_print(FILE *out, struct matrix *m, int color)
{
	const struct cell	*c;
	const char		*cc;
	size_t			 row, col, last, len;

	for (row = 0; row < m->nrows; row++) {
		/* no padding after the last non-empty cell: no trailing blanks */
		for (last = m->ncols; last > 0; last--)
			if (cell_at(m, row, last - 1)->s[0] != '\0')
				break;
		fputs(INDENT, out);
		for (col = 0; col < last; col++) {
			c = cell_at(m, row, col);
			cc = row == 0 ? C_BOLD : c->color;
			len = text_width(c->s);
			if (color && cc != NULL && len > 0)
				fprintf(out, "%s%s%s", cc, c->s, C_RESET);
			else
				fputs(c->s, out);
			if (col + 1 < last)
				fprintf(out, "%*s", (int)(m->width[col] - len +
				    COL_GAP), "");
		}
		fputc('\n', out);
	}
}

static void
matrix_free(struct matrix *m)
{
	size_t	 i;

	for (i = 0; i < m->nrows * m->ncols; i++)
		free(m->cells[i].s);
	free(m->cells);
	free(m->width);
	memset(m, 0, sizeof(*m));
}

/* distinct MX host names: a host listed at two preferences is one host */
static size_t
text_mx_hosts(const struct dns_result *d)
{
	size_t	 i, n = 0;

	for (i = 0; i < d->nmx; i++)
		n += result_mx_first(d, i);
	return n;
}

/* --submission: the domain's SRV records (RFC 6186 3.1), in probe order */
static void
text_srv(FILE *out, const struct target_result *t)
{
	size_t	 i;

	fprintf(out, _("submission SRV (RFC 6186): %zu record%s\n"),
	    t->nsubmission_srv, t->nsubmission_srv == 1 ? "" : "s");
	for (i = 0; i < t->nsubmission_srv; i++) {
		const struct submission_srv	*sv = &t->submission_srv[i];
		char				*target = san(sv->target);

		if (result_srv_offered(sv))
			fprintf(out, "  %s %u %u %u %s\n", sv->service,
			    sv->priority, sv->weight, sv->port, target);
		else
			fprintf(out, _("  %s: not offered (target \".\", "
			    "RFC 6186 3.4)\n"), sv->service);
		free(target);
	}
}

static void
text_header(FILE *out, const struct target_result *t, int color)
{
	const struct dns_result	*d = &t->dns;
	char			*name, *a, *b;
	size_t			 i;

	name = san(t->target);
	if (color)
		fprintf(out, "%s%s%s: ", C_BOLD, name, C_RESET);
	else
		fprintf(out, "%s: ", name);
	free(name);

	/* --submission: the SRV lookup failed, the MX hosts are probed */
	if (t->submission_srv_error != NULL) {
		a = san(t->submission_srv_error);
		fprintf(out, _("submission SRV lookup failed (%s), the MX hosts "
		    "instead: "), a);
		free(a);
	}
	if (t->kind != TARGET_ADDRESS && d->error != NULL) {
		a = san(d->error);
		fputs(color ? C_RED : "", out);
		fprintf(out, _("DNS error: %s"), a);
		if (d->rcode != NULL && strstr(d->error, d->rcode) == NULL) {
			b = san(d->rcode);
			fprintf(out, " (%s)", b);
			free(b);
		}
		if (d->transient)
			fputs(_(", may be temporary"), out);
		fprintf(out, "%s\n", color ? C_RESET : "");
		free(a);
	} else if (t->nsubmission_srv > 0)
		text_srv(out, t);
	else if (t->kind == TARGET_DOMAIN && d->null_mx)
		fputs(_("null MX (RFC 7505): this domain accepts no mail\n"), out);
	else if (t->kind == TARGET_DOMAIN && d->implicit_mx)
		fputs(_("no MX: implicit MX (RFC 5321 5.1)\n"), out);
	else if (t->kind == TARGET_DOMAIN) {
		fprintf(out, _("MX: %zu host%s%s"), text_mx_hosts(d),
		    text_mx_hosts(d) == 1 ? "" : "s",
		    d->mx_ad ? _(", DNSSEC-validated") : "");
		if (d->nmx_dropped > 0)
			fprintf(out, _(", %zu more MX record%s not probed (mx-limit)"),
			    d->nmx_dropped, d->nmx_dropped == 1 ? "" : "s");
		fputc('\n', out);
	}
	else if (t->kind == TARGET_HOST)
		fprintf(out, _("host, %zu address%s\n"), t->nhosts,
		    t->nhosts == 1 ? "" : "es");
	else
		fputs(_("address, no DNS\n"), out);

	for (i = 0; i < d->nmx; i++) {
		if (d->mx[i].error == NULL)
			continue;
		a = san(d->mx[i].host);
		b = san(d->mx[i].error);
		if (d->mx[i].preference >= 0)
			fprintf(out, INDENT "MX %d %s: %s\n", d->mx[i].preference, a, b);
		else
			fprintf(out, INDENT "%s: %s\n", a, b);
		free(a);
		free(b);
	}
	for (i = 0; i < t->nhosts; i++) {
		if (t->hosts[i].nmxrefs < 2)
			continue;
		a = address_cell(&t->hosts[i]);
		b = mx_cell_records(&t->hosts[i]);
		fputs(INDENT, out);
		fprintf(out, _("%s: one session for MX %s\n"), a, b);
		free(a);
		free(b);
	}
	if (t->error != NULL && (d->error == NULL ||
	    strcmp(t->error, d->error) != 0)) {
		/* scan.c's fixed errors are in the catalogue (NC_()) */
		a = san_local(t->error, i18n_trc("error", t->error));
		fputs(INDENT, out);
		fprintf(out, _("error: %s\n"), a);
		free(a);
	}
}

/* s in colour cc (when color and cc are set); s is already sanitized */
static void
put(FILE *out, int color, const char *cc, const char *s)
{
	if (color && cc != NULL)
		fprintf(out, "%s%s%s", cc, s, C_RESET);
	else
		fputs(s, out);
}

/*
 * " (reason)" from tls->error, without probe.c's "handshake: ", in the
 * user's language (result_tls_error_text())
 */
static void
tls_reason(FILE *out, const struct tls_result *tls)
{
	static const char	 prefix[] = "handshake: ";
	const char		*e = tls->error;
	char			*a, *local = NULL;

	if (e == NULL || *e == '\0')
		return;
	if (strncmp(e, prefix, sizeof(prefix) - 1) == 0) {
		e += sizeof(prefix) - 1;
		/* probe.c's "handshake: %s": its argument alone */
		if (tls->error_msg.fmt != NULL &&
		    strcmp(tls->error_msg.fmt, "handshake: %s") == 0 &&
		    result_msg_arg_text(&tls->error_msg, 0) != NULL)
			local = xstrdup(result_msg_arg_text(&tls->error_msg, 0));
	} else
		local = result_tls_error_text(tls);
	a = san_local(e, local);
	fprintf(out, " (%s)", a);
	free(a);
	free(local);
}

/* " text" of the first line of a reply, if it has text */
static void
tls_first_line(FILE *out, const struct reply_rec *r)
{
	const char	*nl;
	size_t		 n;
	char		*a;

	if (r->text == NULL || r->textlen == 0)
		return;
	n = r->textlen;
	if ((nl = memchr(r->text, '\n', n)) != NULL)
		n = (size_t)(nl - r->text);
	a = escape_terminal(r->text, n, 0);
	fprintf(out, " %s", a);
	free(a);
}

/* "; certificate CN=x (issuer CN=y), expires 2026-12-29 (30 days)" */
static void
tls_cert_text(FILE *out, const struct tls_result *tls, int color)
{
	const struct tls_cert	*c = &tls->cert;
	struct dane_verdict	 v;
	char			*a, *date;
	long			 d = c->days_left;

	dane_judge(tls, &v);

	a = c->subject != NULL ? san(c->subject) : xstrdup(_("(no subject)"));
	fprintf(out, _("; certificate %s"), a);
	free(a);
	if (c->self_signed)
		fputs(_(" (self-signed)"), out);
	else if (c->issuer != NULL) {
		a = san(c->issuer);
		fprintf(out, _(" (issuer %s)"), a);
		free(a);
	}
	if (c->not_after == NULL)
		return;
	/* RFC 3339: the date is the first 10 characters */
	date = escape_terminal(c->not_after, strnlen(c->not_after, 10), 0);
	if (d < 0) {
		a = xasprintf(_("expired %s (%ld day%s ago)"), date, -d,
		    d == -1 ? "" : "s");
		fputs(", ", out);
		put(out, color, v.dates_judged ? C_RED : NULL, a);
	} else {
		a = xasprintf(_("expires %s (%ld day%s)"), date, d,
		    d == 1 ? "" : "s");
		fputs(", ", out);
		put(out, color, d < 14 && v.dates_judged ? C_YELLOW : NULL, a);
	}
	free(a);
	free(date);
}

/*
 * "; chain: ok; name mx.example.com: ok", as dane_judge() judges them:
 * "; chain, name and dates: DANE-EE" under a DANE-EE match.
 */
static void
tls_verify_text(FILE *out, const struct tls_result *tls, int color)
{
	struct dane_verdict	 v;
	char			*a;

	dane_judge(tls, &v);
	if (v.state == DANE_S_EE) {
		fputs(_("; chain, name and dates: "), out);
		put(out, color, C_GREEN, "DANE-EE (RFC 7672 3.1.1)");
		return;
	}
	fputs(_("; chain: "), out);
	if (v.chain_ok)
		put(out, color, C_GREEN, v.state == DANE_S_TA ? "DANE-TA" : _("ok"));
	else {
		put(out, color, C_YELLOW, _("untrusted"));
		if (v.chain_error != NULL) {
			a = san(v.chain_error);
			fprintf(out, " (%s)", a);
			free(a);
		}
	}
	if (tls->verify.name == NULL)
		return;
	a = san(tls->verify.name);
	fprintf(out, _("; name %s: "), a);
	free(a);
	if (v.name_ok)
		put(out, color, C_GREEN, _("ok"));
	else
		put(out, color, C_YELLOW, _("mismatch"));
}

/*
 * "; DANE: 1 of 2 TLSA records match (not DNSSEC-validated)", or
 * "; DANE: TLSA lookup failed (SERVFAIL)"
 */
static void
tls_dane_text(FILE *out, const struct tls_result *tls, int color)
{
	struct dane_verdict	 v;
	const char		*cc = NULL;
	char			*a;

	dane_judge(tls, &v);
	fputs("; DANE: ", out);
	if (v.state == DANE_S_LOOKUP_FAILED) {
		a = xasprintf(_("TLSA lookup failed (%s)"), tls->tlsa_error);
		put(out, color, v.applies ? C_RED : C_YELLOW, a);
		free(a);
		return;
	}
	if (v.state == DANE_S_EE || v.state == DANE_S_TA)
		cc = C_GREEN;
	else if (v.applies)
		cc = C_RED;		/* RFC 7672 2.2: a DANE sender defers */
	if (tls->ntlsa == 1)
		a = xasprintf(_("%zu of 1 TLSA record matches"), v.matched);
	else
		a = xasprintf(_("%zu of %zu TLSA records match"), v.matched,
		    tls->ntlsa);
	put(out, color, cc, a);
	free(a);
	if (v.usable < tls->ntlsa)
		fprintf(out, _(", %zu unusable"), tls->ntlsa - v.usable);
	fputs(tls->tlsa_ad ? _(" (DNSSEC-validated)") :
	    _(" (not DNSSEC-validated)"), out);
	if (v.state == DANE_S_MX_INSECURE)
		fputs(_(", MX not DNSSEC-validated: DANE does not apply"), out);
}

/* "EHLO after STARTTLS: +AUTH PLAIN LOGIN, -STARTTLS, ~SIZE 1000 -> 2000" */
static void
tls_ehlo_diff_text(FILE *out, const struct host_result *h)
{
	struct ehlo_diff	 d;
	const char		*sep = "";
	size_t			 i, j;
	char			*a;

	if (!h->tls.have_ehlo_after)
		return;
	ehlo_diff(&h->ehlo.info, &h->tls.ehlo_after, &d);
	if (ehlo_diff_empty(&d)) {
		ehlo_diff_free(&d);
		return;
	}
	fputs(INDENT INDENT, out);
	fputs(_("EHLO after STARTTLS: "), out);
#define PARAMS(e) do {							\
	for (j = 0; j < (e)->nparams; j++) {				\
		a = san((e)->params[j]);				\
		fprintf(out, " %s", a);					\
		free(a);						\
	}								\
} while (0)
	for (i = 0; i < d.nadded; i++) {
		a = san(d.added[i]->name);
		fprintf(out, "%s+%s", sep, a);
		free(a);
		PARAMS(d.added[i]);
		sep = ", ";
	}
	for (i = 0; i < d.nremoved; i++) {
		a = san(d.removed[i]->name);
		fprintf(out, "%s-%s", sep, a);
		free(a);
		sep = ", ";
	}
	for (i = 0; i < d.nchanged; i++) {
		a = san(d.changed[i].before->name);
		fprintf(out, "%s~%s", sep, a);
		free(a);
		if (d.changed[i].before->nparams == 0)
			fputs(_(" (none)"), out);
		PARAMS(d.changed[i].before);
		fputs(" ->", out);
		if (d.changed[i].after->nparams == 0)
			fputs(_(" (none)"), out);
		PARAMS(d.changed[i].after);
		sep = ", ";
	}
#undef PARAMS
	fputc('\n', out);
	ehlo_diff_free(&d);
}

/* the start of a line about one address: "  mx.example.com 192.0.2.1:25: " */
static void
host_line(FILE *out, const struct host_result *h)
{
	char	*a, *b;

	a = address_cell(h);
	if (h->mx != NULL) {
		b = san(h->mx);
		fprintf(out, INDENT "%s %s: ", b, a);
		free(b);
	} else
		fprintf(out, INDENT "%s: ", a);
	free(a);
}

/*
 * The peer certificate as ready TLSA records (RFC 6698 2.1, RFC 7672
 * 3.1.1: DANE-EE), the key first: "3 1 1" survives a renewal with the
 * same key.  A header line names the owner (_PORT._tcp.HOST., RFC 7672
 * 2.2.1) when there is an MX or host name.  80 columns: the record
 * lines are 79.
 */
static void
tls_digest_text(FILE *out, const struct host_result *h)
{
	const struct tls_cert	*c = &h->tls.cert;
	char			*name;

	if (c->spki_sha256 == NULL && c->sha256 == NULL)
		return;
	if (h->mx != NULL) {
		name = san(h->mx);
		fputs(INDENT INDENT, out);
		fprintf(out, _("DANE-EE records for _%u._tcp.%s%s\n"),
		    (unsigned)h->port, name, name[0] != '\0' &&
		    name[strlen(name) - 1] == '.' ? "" : ".");
		free(name);
	} else {
		fputs(INDENT INDENT, out);
		fputs(_("DANE-EE records:\n"), out);
	}
	if (c->spki_sha256 != NULL)
		fprintf(out, INDENT INDENT "TLSA 3 1 1 %s\n", c->spki_sha256);
	if (c->sha256 != NULL)
		fprintf(out, INDENT INDENT "TLSA 3 0 1 %s\n", c->sha256);
}

/* --show-certs: the chain as sent, each certificate's subject and PEM */
static void
tls_chain_text(FILE *out, const struct tls_result *tls)
{
	size_t	 i;
	char	*a;

	for (i = 0; i < tls->nchain; i++) {
		if (tls->chain[i].pem == NULL)
			continue;
		a = tls->chain[i].subject != NULL ? san(tls->chain[i].subject) :
		    xstrdup(_("(no subject)"));
		fputs(INDENT INDENT, out);
		fprintf(out, _("certificate %zu: %s\n"), i, a);
		free(a);
		/* OpenSSL's own base64 armour: no server bytes to escape */
		fputs(tls->chain[i].pem, out);
	}
	if (tls->pem_kept && (size_t)tls->chain_len > tls->nchain) {
		fputs(INDENT INDENT, out);
		fprintf(out, _("(%d more not kept)\n"),
		    tls->chain_len - (int)tls->nchain);
	}
}

/* --tls-versions: "TLS versions: 1.0 no, ..., 1.3 yes (TLS_AES_...)" */
static void
tls_versions_text(FILE *out, const struct tls_versions *tv, int color)
{
	const struct tls_version_probe	*vp;
	char				*a;
	int				 i;

	if (!tv->probed)
		return;
	fputs(INDENT INDENT, out);
	fputs(_("TLS versions:"), out);
	for (i = 0; i < TLS_NVERSIONS; i++) {
		vp = &tv->v[i];
		fprintf(out, "%s 1.%d ", i > 0 ? "," : "", i);
		if (vp->accepted == 1) {
			put(out, color, i < 2 ? C_YELLOW : NULL, _("yes"));
			if (vp->cipher != NULL) {
				a = san(vp->cipher);
				fprintf(out, " (%s)", a);
				free(a);
			}
		} else
			fputs(vp->accepted == 0 ? _("no") : _("unknown"), out);
	}
	fputc('\n', out);
}

/*
 * "TLS:", then a line for each address that tried TLS: the session and
 * certificate, or why there was none; then what changed in EHLO inside
 * TLS (RFC 3207 4.2) and bytes injected after the 220 (RFC 3207 5).
 */
static void
text_tls(FILE *out, const struct target_result *t, int color)
{
	const struct host_result	*h;
	const struct tls_result		*tls;
	char				*a;
	size_t				 i;
	int				 any = 0;

	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		tls = &h->tls;
		if (!tls->attempted)
			continue;
		if (!any++)
			fputs(_("TLS:\n"), out);
		host_line(out, h);

		if (tls->ok) {
			a = san(tls->version != NULL ? tls->version : "TLS");
			put(out, color, tls_version_old(tls->version) ?
			    C_YELLOW : NULL, a);
			free(a);
			if (tls->cipher != NULL) {
				a = san(tls->cipher);
				fprintf(out, " %s", a);
				free(a);
			}
			if (tls->group != NULL) {
				a = san(tls->group);
				fprintf(out, " %s", a);
				free(a);
			}
			if (tls->have_cert) {
				tls_cert_text(out, tls, color);
				tls_verify_text(out, tls, color);
			} else
				fputs(_("; no certificate"), out);
			if (tls->ntlsa > 0 || tls->tlsa_error != NULL)
				tls_dane_text(out, tls, color);
		} else if (!tls->implicit && tls->starttls.code != 0 &&
		    tls->starttls.code != 220) {
			put(out, color, C_YELLOW, _("STARTTLS refused"));
			fprintf(out, ": %d", tls->starttls.code);
			tls_first_line(out, &tls->starttls);
			fputs(_("; commands ran in plaintext"), out);
		} else if (!tls->implicit && tls->starttls.code == 0) {
			put(out, color, C_RED, _("no reply to STARTTLS"));
			tls_reason(out, tls);
		} else {
			put(out, color, C_RED, _("handshake failed"));
			tls_reason(out, tls);
			if (tls->fallback)
				fputs(_("; commands ran over a plaintext "
				    "reconnect"), out);
		}
		fputc('\n', out);
		tls_versions_text(out, &tls->versions, color);
		if (tls->ok && tls->have_cert) {
			tls_digest_text(out, h);
			tls_chain_text(out, tls);
		}
		if (tls->injection) {
			fputs(INDENT INDENT, out);
			put(out, color, C_RED, _("STARTTLS injection: bytes after "
			    "220 were discarded"));
			fputc('\n', out);
		}
		tls_ehlo_diff_text(out, h);
	}
}

static void
text_transcripts(FILE *out, const struct target_result *t)
{
	const struct host_result	*h;
	char				*s, *line, *nl, *addr, *mx;
	size_t				 i;

	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		if (h->transcript == NULL || h->transcript_len == 0)
			continue;
		addr = address_cell(h);
		mx = san(h->mx);
		if (h->mx != NULL)
			fprintf(out, _("Transcript %s (%s):\n"), addr, mx);
		else
			fprintf(out, _("Transcript %s:\n"), addr);
		free(addr);
		free(mx);
		s = escape_terminal(h->transcript, h->transcript_len, 1);
		for (line = s; *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl = '\0';
			fprintf(out, INDENT "%s\n", line);
			if (nl == NULL)
				break;
		}
		free(s);
	}
}

/*
 * What a run has said: each (command, status, advice) once in a run
 * (issue 14).  Advice strings are codes.c's static text, so the set is
 * as small as that table whatever the number of targets.
 */
struct advice_seen {
	char		 verb[8];
	enum cmd_status	 status;
	const char	*advice;	/* static, codes.c */
};
struct report_text_run {
	struct advice_seen *seen;
	size_t		 n;
	const char	**fadvice;	/* findings' advice said (static, findings.c) */
	size_t		 nfadvice;
};

static int
advice_said(const struct report_text_run *run, const char *verb,
    enum cmd_status st, const char *advice)
{
	size_t	 i;

	for (i = 0; run != NULL && i < run->n; i++)
		if (run->seen[i].status == st && strncmp(run->seen[i].verb, verb,
		    sizeof(run->seen[i].verb)) == 0 &&
		    strcmp(run->seen[i].advice, advice) == 0)
			return 1;
	return 0;
}

static void
advice_remember(struct report_text_run *run, const char *verb,
    enum cmd_status st, const char *advice)
{
	if (run == NULL || advice_said(run, verb, st, advice))
		return;
	run->seen = xreallocarray(run->seen, run->n + 1, sizeof(*run->seen));
	snprintf(run->seen[run->n].verb, sizeof(run->seen[0].verb), "%s", verb);
	run->seen[run->n].status = st;
	run->seen[run->n].advice = advice;
	run->n++;
}

void
report_text_run_free(struct report_text_run *run)
{
	if (run == NULL)
		return;
	free(run->seen);
	free(run->fadvice);
	free(run);
}

/*
 * Advice per (verb, advice) pair, said once: "all hosts: ..." when every
 * host gave it, else prefixed by the addresses that did.  In a run (run
 * not NULL), a (verb, status, advice) said for an earlier target is not
 * said again.
 */
static void
text_advice(FILE *out, const struct target_result *t,
    struct report_text_run *run)
{
	struct group {
		const char	*verb;
		const char	*advice;
		size_t		*hosts;
		size_t		 n;
		int		 fresh;	/* a (status) of it not said in the run */
	}		*g = NULL;
	size_t		 ng = 0, i, j, k, max = 0, nfresh = 0;
	char		*a, *v;

	for (i = 0; i < t->nhosts; i++)
		max += t->hosts[i].ncmds;
	if (max == 0)
		return;
	g = xcalloc(max, sizeof(*g));
	for (i = 0; i < t->nhosts; i++) {
		const struct host_result *h = &t->hosts[i];

		for (j = 0; j < h->ncmds && j < PROBE_MAX_CMDS; j++) {
			const struct cmd_result *c = &h->cmds[j];

			if (c->advice == NULL)
				continue;
			for (k = 0; k < ng; k++)
				if (strcmp(g[k].verb, c->verb) == 0 &&
				    strcmp(g[k].advice, c->advice) == 0)
					break;
			if (k == ng) {
				g[ng].verb = c->verb;
				g[ng].advice = c->advice;
				g[ng].hosts = xcalloc(t->nhosts, sizeof(size_t));
				ng++;
			}
			if (!advice_said(run, c->verb, c->status, c->advice))
				g[k].fresh = 1;
			if (g[k].n == 0 || g[k].hosts[g[k].n - 1] != i)
				g[k].hosts[g[k].n++] = i;
		}
	}
	for (k = 0; k < ng; k++)
		nfresh += g[k].fresh;
	if (ng > 0)
		fputs(_("Advice:\n"), out);
	if (nfresh < ng) {
		/* "as above: VRFY, TURN": said for an earlier target */
		fputs(INDENT, out);
		fputs(_("as above:"), out);
		for (k = 0, j = 0; k < ng; k++) {
			if (g[k].fresh)
				continue;
			for (i = 0; i < k; i++)
				if (!g[i].fresh && strcmp(g[i].verb, g[k].verb) == 0)
					break;
			if (i < k)
				continue;	/* this verb is named */
			v = san(g[k].verb);
			fprintf(out, "%s %s", j++ > 0 ? "," : "", v);
			free(v);
		}
		fputc('\n', out);
	}
	for (k = 0; k < ng; k++) {
		if (!g[k].fresh) {
			free(g[k].hosts);
			continue;
		}
		fputs(INDENT, out);
		if (t->nhosts > 1 && g[k].n == t->nhosts)
			fputs(_("all hosts: "), out);
		else if (t->nhosts > 1) {
			for (j = 0; j < g[k].n; j++) {
				a = address_cell(&t->hosts[g[k].hosts[j]]);
				fprintf(out, "%s%s", j > 0 ? ", " : "", a);
				free(a);
			}
			fputs(": ", out);
		}
		v = san(g[k].verb);
		a = xstrdup(i18n_tr(g[k].advice));	/* codes.c's text, not the server's */
		fprintf(out, "%s: %s\n", v, a);
		free(v);
		free(a);
		free(g[k].hosts);
	}
	free(g);
	/* said now: later targets of the run leave it out */
	for (i = 0; run != NULL && i < t->nhosts; i++)
		for (j = 0; j < t->hosts[i].ncmds && j < PROBE_MAX_CMDS; j++)
			if (t->hosts[i].cmds[j].advice != NULL)
				advice_remember(run, t->hosts[i].cmds[j].verb,
				    t->hosts[i].cmds[j].status,
				    t->hosts[i].cmds[j].advice);
}

/* "(HOST ADDRESS)", or the one of the two a finding has, or "" */
static char *
finding_where(const struct finding *f)
{
	char	*host, *addr, *s;

	host = f->host != NULL ? san(f->host) : NULL;
	addr = f->address != NULL ? san(f->address) : NULL;
	if (host != NULL && addr != NULL)
		s = xasprintf("%s %s", host, addr);
	else if (host != NULL || addr != NULL)
		s = xstrdup(host != NULL ? host : addr);
	else
		s = xstrdup("");
	free(host);
	free(addr);
	return s;
}

#define FINDING_GROUP	3	/* this many hosts with one finding: one line */
#define FINDING_NAMES	4	/* hosts named on a grouped line */

static int
finding_same(const struct finding *a, const struct finding *b)
{
	return a->severity == b->severity && a->id != NULL && b->id != NULL &&
	    strcmp(a->id, b->id) == 0;
}

/*
 * "    advice: ..." under a finding: what findings.c advises for its id, in
 * the user's language, once in run (a target on its own: run is its own)
 */
static void
finding_advice(FILE *out, const struct finding *f, struct report_text_run *run)
{
	size_t	 i;

	if (f->advice == NULL)
		return;
	for (i = 0; i < run->nfadvice; i++)
		if (strcmp(run->fadvice[i], f->advice) == 0)
			return;
	run->fadvice = xreallocarray(run->fadvice, run->nfadvice + 1,
	    sizeof(*run->fadvice));
	run->fadvice[run->nfadvice++] = f->advice;
	/* findings.c's text, not the server's */
	fprintf(out, INDENT INDENT "%s%s\n", _("advice: "), i18n_tr(f->advice));
}

/*
 * "Findings:", a line each ("[severity] id (host address): message"),
 * with its advice under it unless advice is 0 (--no-advice)
 */
static void
text_findings(FILE *out, const struct target_result *t, int color, int advice,
    struct report_text_run *run)
{
	struct report_text_run	 own = { 0 };
	const struct finding	*f;
	const char		*cc;
	char			*id, *msg, *where;
	unsigned char		*done;
	size_t			 i, j, n, named;
	int			 same_msg;

	if (t->nfindings == 0)
		return;
	fputs(_("Findings:\n"), out);
	done = xcalloc(t->nfindings, 1);
	for (i = 0; i < t->nfindings; i++) {
		if (done[i])
			continue;
		f = &t->findings[i];
		cc = f->severity == SEV_HIGH ? C_RED :
		    f->severity == SEV_MEDIUM ? C_YELLOW : NULL;
		id = san(f->id);
		msg = san_local(f->message, f->message_text);
		if (color && cc != NULL)
			fprintf(out, INDENT "%s[%s]%s %s", cc,
			    severity_name(f->severity), C_RESET, id);
		else
			fprintf(out, INDENT "[%s] %s", severity_name(f->severity),
			    id);
		for (j = i + 1, n = 1, same_msg = 1; j < t->nfindings; j++)
			if (finding_same(f, &t->findings[j])) {
				n++;
				same_msg &= f->message != NULL &&
				    t->findings[j].message != NULL &&
				    strcmp(f->message, t->findings[j].message) == 0;
			}
		if (n >= FINDING_GROUP) {
			/* "(4 hosts: a 192.0.2.1, b 192.0.2.2, ... and 1 more)" */
			fprintf(out, _(" (%zu hosts: "), n);
			for (j = i, named = 0; j < t->nfindings; j++) {
				if (j != i && !finding_same(f, &t->findings[j]))
					continue;
				done[j] = 1;
				if (named++ >= FINDING_NAMES)
					continue;
				where = finding_where(&t->findings[j]);
				fprintf(out, "%s%s", named > 1 ? ", " : "",
				    where[0] != '\0' ? where : "-");
				free(where);
			}
			if (n > FINDING_NAMES)
				fprintf(out, _(" and %zu more"), n - FINDING_NAMES);
			fprintf(out, "): %s%s\n", msg, same_msg ? "" :
			    _(" (the first of them)"));
			if (advice)
				finding_advice(out, f, run != NULL ? run : &own);
		} else {
			/*
			 * Where, always in one form: "(HOST ADDRESS)", or the
			 * one of the two a finding has, so that a reader (or
			 * grep) finds every finding of a host the same way.
			 */
			where = finding_where(f);
			if (where[0] != '\0')
				fprintf(out, " (%s)", where);
			fprintf(out, ": %s\n", msg);
			free(where);
			if (advice)
				finding_advice(out, f, run != NULL ? run : &own);
		}
		free(id);
		free(msg);
	}
	free(done);
	free(own.fadvice);
}

static void
text_policy(FILE *out, const struct target_result *t, int color)
{
	char	*spec, *rule, *msg, *where;
	size_t	 i, bad = result_violations(t);

	if (!t->policy_checked)
		return;
	spec = san(t->policy_spec != NULL ? t->policy_spec : "");
	if (bad == 0 && t->nviolations == 0) {
		fprintf(out, _("Policy %s: "), spec);
		put(out, color, C_GREEN, _("met"));
		fputc('\n', out);
		free(spec);
		return;
	}
	fprintf(out, _("Policy %s: "), spec);
	if (bad > 0)
		put(out, color, C_RED, _("VIOLATED"));
	else
		put(out, color, C_YELLOW, _("not verified"));
	fputc('\n', out);
	for (i = 0; i < t->nviolations; i++) {
		const struct violation	*v = &t->violations[i];

		rule = san(v->rule);
		msg = san_local(v->message, v->message_text);
		where = san(v->host != NULL ? v->host : v->address != NULL ?
		    v->address : "");
		fprintf(out, INDENT "%s %s%s%s%s: %s\n", v->unverified ?
		    _("[unverified]") : _("[violated]"), rule, where[0] ? " (" : "",
		    where, where[0] ? ")" : "", msg);
		free(rule);
		free(msg);
		free(where);
	}
	free(spec);
}

/* word, then s (from DNS or a server) sanitized: san() would mangle a translated word */
static void
buf_san(struct buf *b, const char *word, const char *s)
{
	char	*clean = san(s);

	buf_printf(b, "%s%s", word, clean);
	free(clean);
}

/* "MTA-STS: ..." and "TLS-RPT: ..." of a domain (RFC 8461, RFC 8460) */
static void
text_sts(FILE *out, const struct target_result *t, int color)
{
	const struct sts_result	*s = &t->sts;
	struct buf		 b = { 0 };
	size_t			 i;

	if (!s->checked)
		return;
	if (s->ntxt == 0 && !s->have_policy && s->txt_error == NULL)
		buf_printf(&b, "%s", _("none (no _mta-sts TXT record)"));
	else {
		buf_printf(&b, "%s", mtasts_mode_name(delivery_sts_mode(t)));
		if (s->txt_error != NULL)
			buf_san(&b, _("; TXT lookup failed: "), s->txt_error);
		else if (s->txt_invalid != NULL)
			buf_san(&b, _("; TXT invalid: "), s->txt_invalid);
		else if (s->ntxt == 0)
			buf_printf(&b, "%s", _("; no TXT record"));
		else
			buf_san(&b, _("; id "), s->id);
		if (s->have_policy) {
			buf_printf(&b, _("; policy mode %s, max_age %ld, mx"),
			    mtasts_mode_name(s->policy.mode), s->policy.max_age);
			for (i = 0; i < s->policy.nmx; i++)
				buf_san(&b, i > 0 ? ", " : " ", s->policy.mx[i]);
		} else if (s->policy_error != NULL)
			buf_san(&b, _("; policy invalid: "), s->policy_error);
		else if (s->fetch_error != NULL)
			buf_san(&b, _("; no policy: "), s->fetch_error);
	}
	fprintf(out, "MTA-STS: %s\n", b.data != NULL ? b.data : "");
	buf_free(&b);

	memset(&b, 0, sizeof(b));
	if (s->have_rpt)
		for (i = 0; i < s->rpt.nrua; i++)
			buf_san(&b, i > 0 ? ", " : "", s->rpt.rua[i]);
	else if (s->rpt_error != NULL)
		buf_san(&b, _("lookup failed: "), s->rpt_error);
	else if (s->rpt_invalid != NULL)
		buf_san(&b, _("invalid: "), s->rpt_invalid);
	else
		buf_printf(&b, "%s", _("none"));
	fprintf(out, "TLS-RPT: %s\n", b.data != NULL ? b.data : "");
	buf_free(&b);
}

/* what each kind of sender would do (delivery.c), for a domain */
static void
text_delivery(FILE *out, const struct target_result *t, int color)
{
	static const char	*labels[DELIVERY_LAST] = {
		"opportunistic", "DANE", "MTA-STS"
	};
	struct delivery_verdict	 v, vt;
	const char		*action;
	char			*reason;
	int			 i;

	if (t->kind != TARGET_DOMAIN)
		return;
	fputs(_("Delivery:\n"), out);
	for (i = 0; i < DELIVERY_LAST; i++) {
		delivery_judge(t, (enum delivery_sender)i, &v);
		fprintf(out, INDENT "%-14s ", labels[i]);
		/* TRANSLATORS: the four words take the same terminal width */
		action = delivery_action(&v);
		if (strcmp(action, "delivers") == 0)
			put(out, color, C_GREEN, _("delivers"));
		else if (strcmp(action, "defers") == 0)
			put(out, color, C_RED, _("defers  "));
		else if (strcmp(action, "bounces") == 0)
			put(out, color, C_RED, _("bounces "));
		else
			put(out, color, C_YELLOW, _("unknown "));
		delivery_judge_text(t, (enum delivery_sender)i, &vt);
		reason = san_local(v.reason, vt.reason);
		fprintf(out, "  %s\n", reason);
		free(reason);
	}
}

/*
 * --baseline: "Changes since TIME", regressions first (baseline.c sorted
 * them): "[regression] command VRFY (HOST ADDRESS): not_implemented ->
 * supported"; "added X" or "removed X" when one side has none
 */
static void
text_changes(FILE *out, const struct target_result *t, int color)
{
	const struct change	*c;
	char			*when, *line, *local, *clean;
	size_t			 i;

	if (t->baseline == 0)
		return;
	if (t->baseline < 0) {
		fputs(_("Changes: not in the baseline, nothing to compare\n"), out);
		return;
	}
	when = t->baseline_started != NULL ? san(t->baseline_started) :
	    xstrdup(_("the baseline"));
	fprintf(out, _("Changes since %s:%s\n"), when, t->nchanges == 0 ?
	    _(" none") : "");
	free(when);
	for (i = 0; i < t->nchanges; i++) {
		c = &t->changes[i];
		fputs(INDENT, out);
		put(out, color, c->severity == CHG_SEV_REGRESSION ? C_RED :
		    c->severity == CHG_SEV_IMPROVEMENT ? C_GREEN : NULL,
		    c->severity == CHG_SEV_REGRESSION ? _("[regression]") :
		    c->severity == CHG_SEV_IMPROVEMENT ? _("[improvement]") :
		    _("[info]"));
		line = change_text(c);
		local = change_text_local(c);
		clean = san_local(line, local);
		fprintf(out, " %s\n", clean);
		free(clean);
		free(local);
		free(line);
	}
}

/*
 * Narrow: after the matrix, what it left out: the port all rows share,
 * what '!' means, the full MX names it shortened, and what ended each
 * failed session (the wide matrix's ERROR column), as
 * "mx.example.com 192.0.2.1: connect: Connection refused".
 */
static void
text_matrix_notes(FILE *out, const struct target_result *t,
    struct matrix *m, int color)
{
	const struct host_result	*h;
	char				*a, *b, *e;
	size_t				 i;
	int				 any = 0;

	if (m->port != 0) {
		fputs(INDENT, out);
		fprintf(out, _("every address on port %u\n"), (unsigned)m->port);
	}
	if (m->any_open)
		fprintf(out, INDENT "%s\n", _("!: the command works or tells which "
		    "mailboxes exist (see Findings)"));
	/* each shortened cell once, with the MX name in full */
	for (i = 0; i < t->nhosts && m->any_short; i++) {
		a = cell_at(m, 1 + i, COL_MX)->s;
		b = mx_cell(&t->hosts[i]);
		if (strcmp(a, b) != 0 && (i == 0 ||
		    strcmp(a, cell_at(m, i, COL_MX)->s) != 0)) {
			if (!any++)
				fputs(_("Full names:\n"), out);
			e = san(t->hosts[i].mx);
			fprintf(out, INDENT "%s: %s\n", a, e);
			free(e);
		}
		free(b);
	}
	for (i = 0, any = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		if ((e = host_error(h)) == NULL)
			continue;
		if (!any++)
			fputs(_("Errors:\n"), out);
		host_line(out, h);
		put(out, color, C_RED, e);
		fputc('\n', out);
		free(e);
	}
}

struct text_style {
	int	 color;
	int	 transcript;
	int	 wide;		/* today's matrix: full words, the ERROR column */
	int	 no_advice;
	struct report_text_run *run;	/* NULL: one target on its own */
};

static void
text_target(FILE *out, const struct target_result *t,
    const struct text_style *st)
{
	struct matrix	 m;

	text_header(out, t, st->color);
	if (t->nhosts > 0) {
		memset(&m, 0, sizeof(m));
		m.narrow = !st->wide;
		matrix_build(&m, t);
		matrix_print(out, &m, st->color);
		if (m.narrow)
			text_matrix_notes(out, t, &m, st->color);
		matrix_free(&m);
	}
	text_tls(out, t, st->color);
	text_sts(out, t, st->color);
	text_delivery(out, t, st->color);
	if (st->transcript)
		text_transcripts(out, t);
	if (!st->no_advice)
		text_advice(out, t, st->run);
	text_findings(out, t, st->color, !st->no_advice, st->run);
	text_policy(out, t, st->color);
	text_changes(out, t, st->color);
}

/*
 * report_text_target - the matrix and advice for one target, in the
 * --wide layout (the words of each status, the ERROR column)
 *
 * Writes the header (what DNS said), the matrix when any address was
 * probed, "TLS:" for the addresses that tried TLS, the transcripts when
 * transcript is non-zero, then "Advice:" and "Findings:".  Nothing from
 * the result reaches out unsanitized.
 */
void
report_text_target(FILE *out, const struct target_result *t, int color,
    int transcript)
{
	struct text_style	 st = { color, transcript, 1, 0, NULL };

	text_target(out, t, &st);
}

/*
 * report_text_run_target - one target of r's run, as r's options say:
 * the matrix in TEXT_WIDTH columns unless r->wide, no advice with
 * r->no_advice
 */
void
report_text_run_target(struct report *r, const struct target_result *t)
{
	struct text_style	 st = { r->color, r->transcript, r->wide,
	    r->no_advice, NULL };

	if (r->text_run == NULL)
		r->text_run = xcalloc(1, sizeof(*r->text_run));
	st.run = r->text_run;

	text_target(r->out, t, &st);
}

/* ---- the summary of a run (issue 14) ---------------------------------- */

#define SUM_WIDTH	80	/* summary lines wrap at this column */

/*
 * Items separated by ", ", wrapped before SUM_WIDTH under col0; then
 * " and N more" for the occurrences no name stands for.  Returns the
 * column reached.
 */
static size_t
sum_list(FILE *out, size_t col, size_t col0, const struct summary_names *l)
{
	size_t	 i, more = l->n - l->named;
	char	*a;

	for (i = 0; i < l->nnames + (more > 0); i++) {
		a = i < l->nnames ? san(l->name[i]) :
		    xasprintf(_("and %zu more"), more);
		if (i > 0 && i < l->nnames) {
			fputc(',', out);
			col++;
		}
		/* one column kept for a closing parenthesis */
		if (i > 0 && col + 1 + text_width(a) > SUM_WIDTH - 1) {
			fprintf(out, "\n%*s", (int)col0, "");
			col = col0;
		} else if (i > 0) {
			fputc(' ', out);
			col++;
		}
		fputs(a, out);
		col += text_width(a);
		free(a);
	}
	return col;
}

/* "a, b, c and 2 more": the names of l on one line, sanitized */
static char *
sum_names_line(const struct summary_names *l)
{
	struct buf	 b = { 0 };
	size_t		 i, more = l->n - l->named;
	char		*a;

	for (i = 0; i < l->nnames; i++) {
		a = san(l->name[i]);
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", a);
		free(a);
	}
	if (more > 0) {
		a = xasprintf(_("and %zu more"), more);
		buf_printf(&b, " %s", a);
		free(a);
	}
	a = xstrdup(b.data != NULL ? b.data : "");
	buf_free(&b);
	return a;
}

/*
 * sep, "3 open", then " (a, b and 1 more)" when l names any; the whole
 * item moves to a new line at column 4 when it does not fit on this one
 * (a separator's comma stays behind), and its names wrap when they do
 * not fit on a line of their own.  hosts: n counts hosts (a language may
 * word that apart from counting targets or replies)
 */
static void
sum_named(FILE *out, size_t *col, const char *sep, size_t n, const char *what,
    const struct summary_names *l, int hosts)
{
	/* TRANSLATORS: a number of hosts and their TLS outcome ("3 refused") */
	char	*a = hosts ? xasprintf(_("%zu %s"), n, what) :
		    xasprintf("%zu %s", n, what), *names = NULL;
	size_t	 len = text_width(a);

	if (l != NULL && l->nnames > 0) {
		names = sum_names_line(l);
		len += text_width(names) + 3;
	}
	if (*sep != '\0' && *col + strlen(sep) + len > SUM_WIDTH) {
		fputs(",\n    ", out);
		*col = 4;
	} else {
		fputs(sep, out);
		*col += strlen(sep);
	}
	if (*col + len <= SUM_WIDTH || names == NULL) {
		fputs(a, out);
		if (names != NULL)
			fprintf(out, " (%s)", names);
		*col += len;
	} else {
		fprintf(out, "%s (", a);
		*col = sum_list(out, *col + text_width(a) + 2, 6, l);
		fputc(')', out);
		(*col)++;
	}
	free(names);
	free(a);
}

/*
 * report_text_summary - the figures of struct summary as text, at most
 * SUM_WIDTH columns but for a single name longer than that
 */
void
report_text_summary(FILE *out, const struct summary *s, int color)
{
	static const char	*class_words[SUM_LAST] = {
		[SUM_PROBED] = N_("probed"),
		[SUM_NULL_MX] = N_("null MX"),
		[SUM_DNS_ERROR] = N_("DNS error"),
		[SUM_UNREACHABLE] = N_("unreachable"),
		[SUM_TEMPORARY] = N_("temporary"),
		[SUM_INTERRUPTED] = N_("interrupted"),
	};
	/* the counts of "findings:" and "worst:" (the "[high]" tags of the
	 * lines below them are the severities' names, as in JSON) */
	static const char	*sev_words[] = {
		[SEV_INFO] = N_("info"),
		[SEV_LOW] = N_("low"),
		[SEV_MEDIUM] = N_("medium"),
		[SEV_HIGH] = N_("high"),
	};
	const struct summary_finding	*order[SUMMARY_IDS];
	const char			*sep;
	char				*a, *w;
	size_t				 i, col, len;
	int				 sev;

	if (color)
		fprintf(out, "%s%s%s", C_BOLD, _("Summary"), C_RESET);
	else
		fputs(_("Summary"), out);
	fprintf(out, _(": %zu target%s, %zu host%s (%zu probed)\n"), s->targets,
	    s->targets == 1 ? "" : "s", s->hosts, s->hosts == 1 ? "" : "s",
	    s->hosts_probed);

	fprintf(out, INDENT "%s", _("targets: "));
	col = strlen(INDENT) + text_width(_("targets: "));
	for (i = 0, sep = ""; i < SUM_LAST; i++) {
		if (s->classes[i].n == 0)
			continue;
		sum_named(out, &col, sep, s->classes[i].n, _(class_words[i]),
		    &s->classes[i], 0);
		sep = ", ";
	}
	if (s->targets == 0)
		fputs(_("none"), out);
	fputc('\n', out);

	for (i = 0; i < s->nverbs; i++) {
		const struct summary_verb *v = &s->verbs[i];

		a = san(v->verb);
		fprintf(out, INDENT "%s: ", a);
		col = strlen(INDENT) + text_width(a) + 2;
		free(a);
		sum_named(out, &col, "", v->open, _("open"), &v->open_hosts, 0);
		sum_named(out, &col, ", ", v->closed, _("closed"), NULL, 0);
		if (v->inconclusive > 0)
			sum_named(out, &col, ", ", v->inconclusive,
			    _("inconclusive"), NULL, 0);
		fputc('\n', out);
	}

	if (s->hosts > 0) {
		fputs(INDENT "TLS: ", out);
		col = strlen(INDENT "TLS: ");
		for (i = TLSO_LAST, sep = ""; i-- > 0; ) {
			if (s->tls[i].n == 0)
				continue;
			sum_named(out, &col, sep, s->tls[i].n,
			    i18n_tr(summary_tls_words((enum tls_outcome)i)),
			    i == TLSO_OK ? NULL : &s->tls[i], 1);
			sep = ", ";
		}
		fputc('\n', out);
	}

	fprintf(out, INDENT "%s", _("findings: "));
	for (sev = SEV_HIGH, sep = ""; sev >= SEV_INFO; sev--) {
		fprintf(out, "%s%zu %s", sep, s->sev[sev],
		    i18n_tr(sev_words[sev]));
		sep = ", ";
	}
	fputc('\n', out);
	summary_ids_sorted(s, order);
	for (i = 0; i < s->nids; i++) {
		const struct summary_finding *f = order[i];
		const char *cc = f->severity == SEV_HIGH ? C_RED :
		    f->severity == SEV_MEDIUM ? C_YELLOW : NULL;

		a = san(f->id);
		fputs(INDENT INDENT, out);
		w = xasprintf("[%s]", severity_name(f->severity));
		put(out, color, cc, w);
		col = 4 + strlen(w);
		free(w);
		w = xasprintf(" %s: %zu (", a, f->targets.n);
		fputs(w, out);
		col += strlen(w);
		free(w);
		free(a);
		col = sum_list(out, col, 6, &f->targets);
		fputs(")\n", out);
	}
	if (s->other_ids > 0) {
		fputs(INDENT INDENT, out);
		fprintf(out, _("%zu more findings of other kinds\n"),
		    s->other_ids);
	}

	if (s->nworst > 0) {
		fprintf(out, INDENT "%s", _("worst: "));
		col = strlen(INDENT) + text_width(_("worst: "));
		for (i = 0; i < s->nworst; i++) {
			struct buf	 b = { 0 };

			a = san(s->worst[i].target);
			buf_printf(&b, "%s%s (", i > 0 ? ", " : "", a);
			free(a);
			for (sev = SEV_HIGH, sep = ""; sev >= SEV_LOW; sev--) {
				if (s->worst[i].sev[sev] == 0)
					continue;
				buf_printf(&b, "%s%zu %s", sep, s->worst[i].sev[sev],
				    i18n_tr(sev_words[sev]));
				sep = ", ";
			}
			buf_printf(&b, ")");
			len = text_width(b.data);
			if (i > 0 && col + len > SUM_WIDTH) {
				fprintf(out, ",\n%*s%s", 4, "", b.data + 2);
				col = 4 + len - 2;
			} else {
				fputs(b.data, out);
				col += len;
			}
			buf_free(&b);
		}
		if (s->worst_total > s->nworst)
			fprintf(out, _("%sand %zu more with medium or high findings"),
			    col + 40 > SUM_WIDTH ? "\n    " : " ",
			    s->worst_total - s->nworst);
		fputc('\n', out);
	}
}
