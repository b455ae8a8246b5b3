/* SPDX-License-Identifier: ISC */
/*
 * report_text - one target for a human: a header saying what DNS said,
 * the capability matrix (one row per address, one column per command),
 * the SMTP transcripts when asked, advice and findings.
 *
 * Every string from the result goes through report_sanitize() before it
 * reaches the terminal, server text or not (DNS names, error messages
 * quoting replies): no control byte but '\n' and our own SGR colour
 * sequences is ever written.  Sanitized text is one byte per byte, so
 * column widths are strlen().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	return report_sanitize(s, s != NULL ? strlen(s) : 0, 0);
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
	s = xasprintf("%d %s", h->preference, n);
	free(n);
	return s;
}

static char *
address_cell(const struct host_result *h)
{
	char	*a, *s;

	a = report_sanitize(h->address, strnlen(h->address,
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

enum { COL_MX, COL_ADDRESS, COL_BANNER, COL_EHLO, COL_STARTTLS, COL_VERBS };

static void
matrix_build(struct matrix *m, const struct target_result *t)
{
	static const char	*fixed[COL_VERBS] = {
		"MX", "ADDRESS", "BANNER", "EHLO", "STARTTLS"
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
		const char			*tls, *tlscolor = NULL;
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
		if (h->tls.offered) {
			tls = "offered";
			tlscolor = h->tls.attempted && !h->tls.ok ? C_YELLOW :
			    C_GREEN;
		} else if (ehlo_answered) {
			tls = "no";
			tlscolor = C_YELLOW;
		} else
			tls = "-";
		cell_set(m, row, COL_STARTTLS, xstrdup(tls), tlscolor);
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
			fputs(", may be temporary", out);
		fprintf(out, "%s\n", color ? C_RESET : "");
		free(a);
	} else if (t->kind == TARGET_DOMAIN && d->null_mx)
		fputs("null MX (RFC 7505): this domain accepts no mail\n", out);
	else if (t->kind == TARGET_DOMAIN && d->implicit_mx)
		fputs("no MX: implicit MX (RFC 5321 5.1)\n", out);
	else if (t->kind == TARGET_DOMAIN)
		fprintf(out, "MX: %zu host%s\n", d->nmx, d->nmx == 1 ? "" : "s");
	else if (t->kind == TARGET_HOST)
		fprintf(out, "host, %zu address%s\n", t->nhosts,
		    t->nhosts == 1 ? "" : "es");
	else
		fputs("address, no DNS\n", out);

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
	if (t->error != NULL && (d->error == NULL ||
	    strcmp(t->error, d->error) != 0)) {
		a = san(t->error);
		fprintf(out, INDENT "error: %s\n", a);
		free(a);
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
			fprintf(out, "Transcript %s (%s):\n", addr, mx);
		else
			fprintf(out, "Transcript %s:\n", addr);
		free(addr);
		free(mx);
		s = report_sanitize(h->transcript, h->transcript_len, 1);
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
		fputs("Advice:\n", out);
	for (k = 0; k < ng; k++) {
		fputs(INDENT, out);
		if (t->nhosts > 1 && g[k].n == t->nhosts)
			fputs("all hosts: ", out);
		else if (t->nhosts > 1) {
			for (j = 0; j < g[k].n; j++) {
				a = address_cell(&t->hosts[g[k].hosts[j]]);
				fprintf(out, "%s%s", j > 0 ? ", " : "", a);
				free(a);
			}
			fputs(": ", out);
		}
		v = san(g[k].verb);
		a = san(g[k].advice);
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
	fputs("Findings:\n", out);
	for (i = 0; i < t->nfindings; i++) {
		f = &t->findings[i];
		cc = f->severity == SEV_HIGH ? C_RED :
		    f->severity == SEV_MEDIUM ? C_YELLOW : NULL;
		id = san(f->id);
		msg = san(f->message);
		if (color && cc != NULL)
			fprintf(out, INDENT "%s[%s]%s %s", cc,
			    severity_name(f->severity), C_RESET, id);
		else
			fprintf(out, INDENT "[%s] %s", severity_name(f->severity),
			    id);
		/* where, unless the message already says so */
		host = f->host != NULL && strstr(f->message, f->host) == NULL ?
		    san(f->host) : NULL;
		addr = f->address != NULL && strstr(f->message, f->address) ==
		    NULL ? san(f->address) : NULL;
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

/*
 * report_text_target - the matrix and advice for one target
 *
 * Writes the header (what DNS said), the matrix when any address was
 * probed, the transcripts when transcript is non-zero, then "Advice:"
 * and "Findings:".  Nothing from the result reaches out unsanitized.
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
	if (transcript)
		text_transcripts(out, t);
	text_advice(out, t);
	text_findings(out, t, color);
}
