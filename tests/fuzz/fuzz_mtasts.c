/* SPDX-License-Identifier: ISC */
/*
 * fuzz_mtasts - the MTA-STS and TLS-RPT parsers (src/mtasts.c) on hostile
 * bytes: the same input is an MTA-STS policy body, an _mta-sts TXT record
 * and an _smtp._tls TXT record, and, split at its first LF, an MX pattern
 * and an MX host name for mtasts_mx_match().
 *
 * Oracles, beyond "no crash, no leak": what mtasts.h promises.  A parsed
 * policy has a known mode, 0 <= max_age <= MTASTS_MAX_AGE_MAX, an mx
 * unless mode none, at most MTASTS_MAX_MX patterns that are lower-case
 * names (or "*." and a name) and match what they should, and written out
 * again it parses to itself.  A parsed TXT record has an id of 1 to 32
 * letters and digits; a TLS-RPT record 1 to TLSRPT_MAX_RUA mailto: or
 * https:// URIs.  On failure nothing is left allocated and the reason is
 * one printable line that fits the buffer.  The matcher ignores case and
 * one trailing dot on the host.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mtasts.h"
#include "fuzz.h"

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static void
check_reason(const char *err, size_t errlen)
{
	size_t	 i, n = strlen(err);

	FUZZ_CHECK(n > 0 && n < errlen);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(err[i] >= 0x20 && err[i] < 0x7f);
}

static void
check_pattern(const char *mx)
{
	char		 host[300];
	const char	*name = mx;
	size_t		 i, n = strlen(mx);

	FUZZ_CHECK(n > 0 && n <= 255);
	for (i = 0; i < n; i++)
		FUZZ_CHECK((mx[i] >= 'a' && mx[i] <= 'z') ||
		    (mx[i] >= '0' && mx[i] <= '9') || mx[i] == '-' ||
		    mx[i] == '.' || (mx[i] == '*' && i == 0));
	if (mx[0] == '*') {
		FUZZ_CHECK(mx[1] == '.');
		name = mx + 2;
		/* exactly one label more than the name, not the name itself */
		snprintf(host, sizeof(host), "mx.%s", name);
		FUZZ_CHECK(mtasts_mx_match(mx, host));
		snprintf(host, sizeof(host), "A.B.%s.", name);
		FUZZ_CHECK(!mtasts_mx_match(mx, host));
		FUZZ_CHECK(!mtasts_mx_match(mx, name));
	} else {
		FUZZ_CHECK(mtasts_mx_match(mx, mx));
		snprintf(host, sizeof(host), "%s.", mx);
		FUZZ_CHECK(mtasts_mx_match(mx, host));
	}
	FUZZ_CHECK(name[0] != '\0' && name[0] != '.');
	FUZZ_CHECK(name[strlen(name) - 1] != '.');
	FUZZ_CHECK(strstr(name, "..") == NULL);
}

static void
fuzz_policy(const char *buf, size_t len)
{
	struct mtasts_policy	 p, q;
	char			 err[256], small[8], *out;
	size_t			 i, n, cap;
	int			 rc;

	rc = mtasts_policy_parse(buf, len, &p, err, sizeof(err));
	if (rc == -1) {
		check_reason(err, sizeof(err));
		FUZZ_CHECK(p.nmx == 0 && p.nmx_dropped == 0 && p.mx[0] == NULL);
		/* a short buffer: the same answer, truncated */
		FUZZ_CHECK(mtasts_policy_parse(buf, len, &q, small,
		    sizeof(small)) == -1);
		FUZZ_CHECK(strlen(small) < sizeof(small));
		FUZZ_CHECK(strncmp(small, err, strlen(small)) == 0);
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(p.mode == MTASTS_MODE_NONE ||
	    p.mode == MTASTS_MODE_TESTING || p.mode == MTASTS_MODE_ENFORCE);
	FUZZ_CHECK(p.max_age >= 0 && p.max_age <= MTASTS_MAX_AGE_MAX);
	FUZZ_CHECK(p.mode == MTASTS_MODE_NONE || p.nmx > 0);
	FUZZ_CHECK(p.nmx <= MTASTS_MAX_MX);
	FUZZ_CHECK(p.nmx_dropped == 0 || p.nmx == MTASTS_MAX_MX);
	for (i = 0; i < p.nmx; i++) {
		check_pattern(p.mx[i]);
		if (p.mx[i][0] != '*')
			FUZZ_CHECK(mtasts_policy_match(&p, p.mx[i]) != NULL);
	}

	/* written out again, it parses to itself */
	cap = 64 + p.nmx * 262;
	out = malloc(cap);
	FUZZ_CHECK(out != NULL);
	n = (size_t)snprintf(out, cap, "version: STSv1\r\nmode: %s\r\n"
	    "max_age: %ld\r\n", mtasts_mode_name(p.mode), p.max_age);
	for (i = 0; i < p.nmx; i++)
		n += (size_t)snprintf(out + n, cap - n, "mx: %s\n", p.mx[i]);
	FUZZ_CHECK(n < cap);
	FUZZ_CHECK(mtasts_policy_parse(out, n, &q, err, sizeof(err)) == 0);
	FUZZ_CHECK(q.mode == p.mode && q.max_age == p.max_age);
	FUZZ_CHECK(q.nmx == p.nmx && q.nmx_dropped == 0);
	for (i = 0; i < p.nmx; i++)
		FUZZ_CHECK(strcmp(q.mx[i], p.mx[i]) == 0);
	mtasts_policy_clear(&q);
	free(out);
	mtasts_policy_clear(&p);
	FUZZ_CHECK(p.nmx == 0 && p.mx[0] == NULL);
}

static void
fuzz_txt(const char *buf, size_t len)
{
	struct mtasts_txt	 t, u;
	char			 err[256], rec[64];
	size_t			 i, n;

	if (mtasts_txt_parse(buf, len, &t, err, sizeof(err)) == -1) {
		check_reason(err, sizeof(err));
		FUZZ_CHECK(t.id[0] == '\0');
		return;
	}
	FUZZ_CHECK(mtasts_txt_is_sts(buf, len));
	n = strlen(t.id);
	FUZZ_CHECK(n >= 1 && n <= 32);
	for (i = 0; i < n; i++)
		FUZZ_CHECK((t.id[i] >= 'a' && t.id[i] <= 'z') ||
		    (t.id[i] >= 'A' && t.id[i] <= 'Z') ||
		    (t.id[i] >= '0' && t.id[i] <= '9'));
	n = (size_t)snprintf(rec, sizeof(rec), "v=STSv1; id=%s;", t.id);
	FUZZ_CHECK(mtasts_txt_parse(rec, n, &u, err, sizeof(err)) == 0);
	FUZZ_CHECK(strcmp(u.id, t.id) == 0);
}

static void
fuzz_tlsrpt(const char *buf, size_t len)
{
	struct tlsrpt_record	 r;
	char			 err[256];
	size_t			 i;

	if (tlsrpt_parse(buf, len, &r, err, sizeof(err)) == -1) {
		check_reason(err, sizeof(err));
		FUZZ_CHECK(r.nrua == 0 && r.rua[0] == NULL);
		return;
	}
	FUZZ_CHECK(tlsrpt_is_record(buf, len));
	FUZZ_CHECK(r.nrua >= 1 && r.nrua <= TLSRPT_MAX_RUA);
	for (i = 0; i < r.nrua; i++)
		FUZZ_CHECK(strncasecmp(r.rua[i], "mailto:", 7) == 0 ||
		    strncasecmp(r.rua[i], "https://", 8) == 0);
	tlsrpt_clear(&r);
	FUZZ_CHECK(r.nrua == 0);
}

/* pattern LF host: case and one trailing dot on the host do not matter */
static void
fuzz_match(const char *buf, size_t len)
{
	const char	*nl = memchr(buf, '\n', len);
	char		*pat, *host, *alt;
	size_t		 plen, hlen, i;
	int		 m;

	if (nl == NULL || memchr(buf, '\0', len) != NULL)
		return;
	plen = (size_t)(nl - buf);
	hlen = len - plen - 1;
	pat = malloc(plen + 1);
	host = malloc(hlen + 1);
	alt = malloc(hlen + 2);
	FUZZ_CHECK(pat != NULL && host != NULL && alt != NULL);
	memcpy(pat, buf, plen);
	pat[plen] = '\0';
	memcpy(host, nl + 1, hlen);
	host[hlen] = '\0';

	m = mtasts_mx_match(pat, host);
	FUZZ_CHECK(m == 0 || m == 1);
	for (i = 0; i < hlen; i++)
		alt[i] = (char)lower_ascii((unsigned char)host[i]);
	alt[hlen] = '\0';
	FUZZ_CHECK(mtasts_mx_match(pat, alt) == m);
	if (hlen == 0 || host[hlen - 1] != '.') {
		alt[hlen] = '.';
		alt[hlen + 1] = '\0';
		FUZZ_CHECK(mtasts_mx_match(pat, alt) == m);
	}
	free(alt);
	free(host);
	free(pat);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*buf = (const char *)data;

	fuzz_policy(buf, size);
	fuzz_txt(buf, size);
	fuzz_tlsrpt(buf, size);
	fuzz_match(buf, size);
	return 0;
}
