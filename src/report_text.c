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
 * sequences is ever written.  Sanitized text is one byte per byte, so
 * column widths are strlen().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "dane.h"
#include "ehlo.h"
#include "escape.h"
#include "i18n.h"
#include "log.h"
#include "report.h"
#include "result.h"
#include "util.h"

#define C_RED		"\033[31m"
#define C_GREEN		"\033[32m"
#define C_YELLOW	"\033[33m"
#define C_BOLD		"\033[1m"
#define C_RESET		"\033[0m"

#define COL_GAP		2	/* spaces between columns */
#define INDENT		"  "

/* matrix cell text for each status, after the code: "502 not impl" */
static const char *status_short[ST_LAST] = {
	[ST_NOT_TRIED] = "-",
	[ST_SUPPORTED] = "SUPPORTED",
	[ST_CANNOT_VERIFY] = "cannot verify",
	[ST_NOT_IMPLEMENTED] = "not impl",
	[ST_NOT_RECOGNIZED] = "unrecognized",
	[ST_PARAM_NOT_IMPLEMENTED] = "param not impl",
	[ST_REFUSED] = "refused",
	[ST_AUTH_REQUIRED] = "auth required",
	[ST_BAD_SEQUENCE] = "bad sequence",
	[ST_TEMPORARY] = "temporary",
	[ST_SYNTAX] = "syntax error",
	[ST_UNEXPECTED] = "unexpected",
	[ST_ERROR] = "error",
	[ST_ENUMERABLE] = "enumerable",
	[ST_UNKNOWN_MAILBOX] = "unknown mailbox",
	[ST_AMBIGUOUS] = "ambiguous",
	[ST_NOT_LOCAL] = "not local",
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
};

static char *
san(const char *s)
{
	return escape_terminal(s, s != NULL ? strlen(s) : 0, 0);
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
	label = status_short[c->status];
	if (c->status == ST_NOT_TRIED || c->reply.code == 0)
		return xstrdup(label);
	return xasprintf("%d %s", c->reply.code, label);
}

/* what ended the session, or NULL: "connect: Connection refused" */
static char *
host_error(const struct host_result *h)
{
	char	*a, *b, *s;

	if (h->error != NULL)
		return san(h->error);
	if (!h->connect.ok && h->connect.error != NULL) {
		a = san(h->connect.error);
		s = xasprintf("connect: %s", a);
		free(a);
		return s;
	}
	if (h->fail != PROBE_F_NONE) {
		if (h->fail_state == NULL)
			return xstrdup(probe_fail_name(h->fail));
		/* state names are lower case: "ehlo" reads as the command */
		b = san(h->fail_state);
		for (a = b; *a != '\0'; a++)
			if (*a >= 'a' && *a <= 'z')
				*a = (char)(*a - 'a' + 'A');
		s = xasprintf("%s in %s", probe_fail_name(h->fail), b);
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
address_cell(const struct host_result *h)
{
	char	*a, *s;

	a = escape_terminal(h->address, strnlen(h->address,
	    sizeof(h->address)), 0);
	if (h->port == 0 || h->port == 25)
		return a;
	if (h->family == AF_INET6 || strchr(a, ':') != NULL)
		s = xasprintf("[%s]:%u", a, (unsigned)h->port);
	else
		s = xasprintf("%s:%u", a, (unsigned)h->port);
	free(a);
	return s;
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

/*
 * The verdict on a completed handshake, the most serious first: a DANE
 * failure (RFC 7672: a DANE sender will not deliver), an expired
 * certificate, a self-signed or otherwise untrusted chain, a name the
 * certificate does not cover; else "ok".
 */
static const char *
tls_verdict(const struct tls_result *tls, const char **color)
{
	struct dane_verdict	 v;

	*color = C_YELLOW;
	if (!tls->have_cert)
		return "no cert";
	/* name, chain and dates as dane_judge() says (RFC 7672 3.1) */
	dane_judge(tls, &v);
	if (v.state == DANE_S_MISMATCH) {
		*color = C_RED;
		return "dane";
	}
	if (!v.dates_ok) {
		*color = C_RED;
		return "expired";
	}
	if (!v.chain_ok)
		return v.pkix && tls->cert.self_signed ? "self-signed" : "untrusted";
	if (!v.name_ok)
		return "name";
	*color = C_GREEN;
	return "ok";
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
 * The TLS cell: "-" (never got as far as EHLO), "none" (neither offered
 * nor implicit), "off" (offered, not tried: --no-starttls), "refused"
 * (STARTTLS answered other than 220), "failed" (no completed handshake),
 * or the version and verdict: "1.3 ok", "1.2 untrusted".
 */
static char *
tls_cell(const struct host_result *h, int ehlo_answered, const char **color)
{
	const struct tls_result	*tls = &h->tls;
	const char		*verdict;
	char			*v, *s;

	*color = NULL;
	if (!tls->attempted) {
		if (tls->offered)
			return xstrdup("off");
		if (!ehlo_answered)
			return xstrdup("-");
		*color = C_YELLOW;
		return xstrdup("none");
	}
	if (!tls->ok) {
		if (!tls->implicit && tls->starttls.code != 0 &&
		    tls->starttls.code != 220) {
			*color = C_YELLOW;
			return xstrdup("refused");
		}
		*color = C_RED;
		return xstrdup("failed");
	}
	verdict = tls_verdict(tls, color);
	if (strcmp(verdict, "ok") == 0 && tls_version_old(tls->version))
		*color = C_YELLOW;
	v = tls_version_short(tls->version);
	s = xasprintf("%s %s", v, verdict);
	free(v);
	return s;
}

enum { COL_MX, COL_ADDRESS, COL_BANNER, COL_EHLO, COL_TLS, COL_VERBS };

static void
matrix_build(struct matrix *m, const struct target_result *t)
{
	static const char	*fixed[COL_VERBS] = {
		"MX", "ADDRESS", "BANNER", "EHLO", "TLS"
	};
	char			(*verbs)[8];
	char			*err;
	size_t			 nverbs, i, j, row, col, errcol = 0, len;
	int			 any_error = 0;

	for (i = 0; i < t->nhosts; i++) {
		if ((err = host_error(&t->hosts[i])) != NULL)
			any_error = 1;
		free(err);
	}
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
		int				 ehlo_answered;

		row = 1 + i;
		cell_set(m, row, COL_MX, mx_cell(h), NULL);
		cell_set(m, row, COL_ADDRESS, address_cell(h), NULL);
		cell_set(m, row, COL_BANNER, code_cell(h->banner.code),
		    code_color(h->banner.code));
		if (h->ehlo.used_helo)
			cell_set(m, row, COL_EHLO, xstrdup("HELO"), C_YELLOW);
		else
			cell_set(m, row, COL_EHLO, code_cell(h->ehlo.reply.code),
			    code_color(h->ehlo.reply.code));
		ehlo_answered = h->ehlo.used_helo || (h->ehlo.reply.code >= 200 &&
		    h->ehlo.reply.code < 300);
		tls = tls_cell(h, ehlo_answered, &tlscolor);
		cell_set(m, row, COL_TLS, tls, tlscolor);
		for (j = 0; j < nverbs; j++) {
			if ((c = host_cmd(h, verbs[j])) == NULL)
				cell_set(m, row, COL_VERBS + j, xstrdup("-"), NULL);
			else
				cell_set(m, row, COL_VERBS + j, cmd_cell(c),
				    status_color(c->verb, c->status));
		}
		if (any_error) {
			err = host_error(h);
			cell_set(m, row, errcol, err != NULL ? err : xstrdup(""),
			    C_RED);
		}
	}
	free(verbs);

	for (row = 0; row < m->nrows; row++)
		for (col = 0; col < m->ncols; col++)
			if ((len = strlen(cell_at(m, row, col)->s)) > m->width[col])
				m->width[col] = len;
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
			len = strlen(c->s);
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

	if (t->kind != TARGET_ADDRESS && d->error != NULL) {
		a = san(d->error);
		fprintf(out, "%sDNS error: %s", color ? C_RED : "", a);
		if (d->rcode != NULL && strstr(d->error, d->rcode) == NULL) {
			b = san(d->rcode);
			fprintf(out, " (%s)", b);
			free(b);
		}
		if (d->transient)
			fputs(_(", may be temporary"), out);
		fprintf(out, "%s\n", color ? C_RESET : "");
		free(a);
	} else if (t->kind == TARGET_DOMAIN && d->null_mx)
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
		fprintf(out, INDENT "%s: one session for MX %s\n", a, b);
		free(a);
		free(b);
	}
	if (t->error != NULL && (d->error == NULL ||
	    strcmp(t->error, d->error) != 0)) {
		a = san(t->error);
		fprintf(out, INDENT "error: %s\n", a);
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

/* " (reason)" from tls->error, without probe.c's "handshake: " */
static void
tls_reason(FILE *out, const struct tls_result *tls)
{
	static const char	 prefix[] = "handshake: ";
	const char		*e = tls->error;
	char			*a;

	if (e == NULL || *e == '\0')
		return;
	if (strncmp(e, prefix, sizeof(prefix) - 1) == 0)
		e += sizeof(prefix) - 1;
	a = san(e);
	fprintf(out, " (%s)", a);
	free(a);
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

	a = san(c->subject != NULL ? c->subject : "(no subject)");
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
		fputs("; chain, name and dates: ", out);
		put(out, color, C_GREEN, "DANE-EE (RFC 7672 3.1.1)");
		return;
	}
	fputs("; chain: ", out);
	if (v.chain_ok)
		put(out, color, C_GREEN, v.state == DANE_S_TA ? "DANE-TA" : "ok");
	else {
		put(out, color, C_YELLOW, "untrusted");
		if (v.chain_error != NULL) {
			a = san(v.chain_error);
			fprintf(out, " (%s)", a);
			free(a);
		}
	}
	if (tls->verify.name == NULL)
		return;
	a = san(tls->verify.name);
	fprintf(out, "; name %s: ", a);
	free(a);
	if (v.name_ok)
		put(out, color, C_GREEN, "ok");
	else
		put(out, color, C_YELLOW, "mismatch");
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
		a = xasprintf("TLSA lookup failed (%s)", tls->tlsa_error);
		put(out, color, v.applies ? C_RED : C_YELLOW, a);
		free(a);
		return;
	}
	if (v.state == DANE_S_EE || v.state == DANE_S_TA)
		cc = C_GREEN;
	else if (v.applies)
		cc = C_RED;		/* RFC 7672 2.2: a DANE sender defers */
	if (tls->ntlsa == 1)
		a = xasprintf("%zu of 1 TLSA record matches", v.matched);
	else
		a = xasprintf("%zu of %zu TLSA records match", v.matched,
		    tls->ntlsa);
	put(out, color, cc, a);
	free(a);
	if (v.usable < tls->ntlsa)
		fprintf(out, ", %zu unusable", tls->ntlsa - v.usable);
	fputs(tls->tlsa_ad ? " (DNSSEC-validated)" : " (not DNSSEC-validated)",
	    out);
	if (v.state == DANE_S_MX_INSECURE)
		fputs(", MX not DNSSEC-validated: DANE does not apply", out);
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
	fputs(INDENT INDENT "EHLO after STARTTLS: ", out);
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
			fputs(" (none)", out);
		PARAMS(d.changed[i].before);
		fputs(" ->", out);
		if (d.changed[i].after->nparams == 0)
			fputs(" (none)", out);
		PARAMS(d.changed[i].after);
		sep = ", ";
	}
#undef PARAMS
	fputc('\n', out);
	ehlo_diff_free(&d);
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
	char				*a, *b;
	size_t				 i;
	int				 any = 0;

	for (i = 0; i < t->nhosts; i++) {
		h = &t->hosts[i];
		tls = &h->tls;
		if (!tls->attempted)
			continue;
		if (!any++)
			fputs(_("TLS:\n"), out);
		a = address_cell(h);
		if (h->mx != NULL) {
			b = san(h->mx);
			fprintf(out, INDENT "%s %s: ", b, a);
			free(b);
		} else
			fprintf(out, INDENT "%s: ", a);
		free(a);

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
 * Advice per (verb, advice) pair, said once: "all hosts: ..." when every
 * host gave it, else prefixed by the addresses that did.
 */
static void
text_advice(FILE *out, const struct target_result *t)
{
	struct group {
		const char	*verb;
		const char	*advice;
		size_t		*hosts;
		size_t		 n;
	}		*g = NULL;
	size_t		 ng = 0, i, j, k, max = 0;
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
			if (g[k].n == 0 || g[k].hosts[g[k].n - 1] != i)
				g[k].hosts[g[k].n++] = i;
		}
	}
	if (ng > 0)
		fputs(_("Advice:\n"), out);
	for (k = 0; k < ng; k++) {
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
}

static void
text_findings(FILE *out, const struct target_result *t, int color)
{
	const struct finding	*f;
	const char		*cc;
	char			*id, *msg, *host, *addr;
	size_t			 i;

	if (t->nfindings == 0)
		return;
	fputs(_("Findings:\n"), out);
	for (i = 0; i < t->nfindings; i++) {
		f = &t->findings[i];
		cc = f->severity == SEV_HIGH ? C_RED :
		    f->severity == SEV_MEDIUM ? C_YELLOW : NULL;
		id = san(f->id);
		msg = f->message_text != NULL ?
		    escape_terminal_cjk(f->message_text) : san(f->message);
		if (color && cc != NULL)
			fprintf(out, INDENT "%s[%s]%s %s", cc,
			    severity_name(f->severity), C_RESET, id);
		else
			fprintf(out, INDENT "[%s] %s", severity_name(f->severity),
			    id);
		/*
		 * Where, always in one form: "(HOST ADDRESS)", or the one of
		 * the two a finding has, so that a reader (or grep) finds
		 * every finding of a host the same way.
		 */
		host = f->host != NULL ? san(f->host) : NULL;
		addr = f->address != NULL ? san(f->address) : NULL;
		if (host != NULL && addr != NULL)
			fprintf(out, " (%s %s)", host, addr);
		else if (host != NULL || addr != NULL)
			fprintf(out, " (%s)", host != NULL ? host : addr);
		fprintf(out, ": %s", msg);
		fputc('\n', out);
		free(id);
		free(msg);
		free(host);
		free(addr);
	}
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
		msg = san(v->message);
		where = san(v->host != NULL ? v->host : v->address != NULL ?
		    v->address : "");
		fprintf(out, INDENT "%s %s%s%s%s: %s\n", v->unverified ?
		    "[unverified]" : "[violated]", rule, where[0] ? " (" : "",
		    where, where[0] ? ")" : "", msg);
		free(rule);
		free(msg);
		free(where);
	}
	free(spec);
}

/*
 * report_text_target - the matrix and advice for one target
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
	struct matrix	 m;

	text_header(out, t, color);
	if (t->nhosts > 0) {
		memset(&m, 0, sizeof(m));
		matrix_build(&m, t);
		matrix_print(out, &m, color);
		matrix_free(&m);
	}
	text_tls(out, t, color);
	if (transcript)
		text_transcripts(out, t);
	text_advice(out, t);
	text_findings(out, t, color);
	text_policy(out, t, color);
}
