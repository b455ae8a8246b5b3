/* SPDX-License-Identifier: ISC */
/*
 * check_tls - unit tests for the TLS module: certificate facts from the
 * fixtures of tests/tls/mkcerts.sh, real non-blocking handshakes between
 * an OpenSSL server and our client in one process over a loopback TCP
 * pair (RFC 8446, RFC 5246; RFC 6066 SNI), verification and RFC 6125
 * name checks, DANE matching (RFC 6698, 7671, 7672) and version
 * comparison.
 *
 * The fixtures are generated once per run by an unchecked fixture into a
 * temporary directory, removed when the run ends.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dane.h"
#include "result.h"
#include "tls.h"
#include "util.h"

#define nelem(a)	(sizeof(a) / sizeof((a)[0]))

static char	 fxdir[512];	/* set in the parent, inherited by each fork */
static time_t	 fxnow;		/* the wall clock just before generation */

/* ---------------------------------------------------------------- */
/* fixtures */

static void
fx_setup(void)
{
	const char	*top, *tmp;
	char		 cmd[2048];
	int		 rc;

	if (fxdir[0] != '\0')
		return;		/* once per run, not per TCase */
#ifdef TOP_SRCDIR
	top = TOP_SRCDIR;
#else
	if ((top = getenv("top_srcdir")) == NULL)
		top = "../..";
#endif
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fxdir, sizeof(fxdir), "%s/check_tls.XXXXXX", tmp);
	if (mkdtemp(fxdir) == NULL) {
		fxdir[0] = '\0';
		ck_abort_msg("mkdtemp: %s", strerror(errno));
	}
	fxnow = time(NULL);
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/tls/mkcerts.sh' '%s'", top,
	    fxdir);
	if ((rc = system(cmd)) != 0)
		ck_abort_msg("%s: got status %d, want 0", cmd, rc);
}

static void
fx_cleanup(void)
{
	char	 cmd[1024];

	if (fxdir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fxdir);
	if (system(cmd) != 0)
		fprintf(stderr, "check_tls: could not remove %s\n", fxdir);
	fxdir[0] = '\0';
}

/* the path of a fixture file; four rotating buffers */
static const char *
fx(const char *name)
{
	static char	 bufs[4][600];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", fxdir, name);
	return bufs[i];
}

/* "a|b": does s contain one of the alternatives, case-insensitively? */
static int
contains_any(const char *s, const char *alts)
{
	char	 buf[256], *tok, *save;
	size_t	 i, j;

	if (s == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", alts);
	for (tok = strtok_r(buf, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save))
		for (i = 0; s[i] != '\0'; i++) {
			for (j = 0; tok[j] != '\0' && s[i + j] != '\0' &&
			    tolower((unsigned char)s[i + j]) ==
			    tolower((unsigned char)tok[j]); j++)
				;
			if (tok[j] == '\0')
				return 1;
		}
	return 0;
}

/* first line of a command's output, or "" */
static void
run_line(const char *cmd, char *out, size_t size)
{
	FILE	*fp;

	out[0] = '\0';
	ck_assert_msg((fp = popen(cmd, "r")) != NULL, "popen %s", cmd);
	if (fgets(out, (int)size, fp) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	pclose(fp);
}

static time_t
parse_rfc3339(const char *s)
{
	struct tm	 tm;
	const char	*end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_msg(end != NULL && *end == '\0', "bad RFC 3339 time %s", s);
	return timegm(&tm);
}

/* ---------------------------------------------------------------- */
/* certificate facts from PEM files */

struct cf_vec {
	const char	*file;
	const char	*subject;
	const char	*issuer;
	const char	*sans;		/* "|"-joined */
	long		 days;		/* with now = fxnow */
	const char	*key_type;
	int		 key_bits;
	const char	*sig_alg;
	int		 self_signed;
};

static const struct cf_vec cf_vec[] = {
	{ "good.pem", "CN=mx.tls.test", "CN=smtpprobe test CA",
	  "DNS:mx.tls.test|IP:127.0.0.1", 30, "RSA", 2048,
	  "sha256WithRSAEncryption", 0 },
	{ "chain.pem", "CN=mx.tls.test", "CN=smtpprobe test CA",
	  "DNS:mx.tls.test|IP:127.0.0.1", 30, "RSA", 2048,
	  "sha256WithRSAEncryption", 0 },
	{ "expired.pem", "CN=mx.tls.test", "CN=smtpprobe test CA",
	  "DNS:mx.tls.test|IP:127.0.0.1", -370, "RSA", 2048,
	  "sha256WithRSAEncryption", 0 },
	{ "soon.pem", "CN=mx.tls.test", "CN=smtpprobe test CA",
	  "DNS:mx.tls.test|IP:127.0.0.1", 7, "RSA", 2048,
	  "sha256WithRSAEncryption", 0 },
	{ "wrongname.pem", "CN=other.test", "CN=smtpprobe test CA",
	  "DNS:other.test", 30, "RSA", 2048, "sha256WithRSAEncryption", 0 },
	{ "selfsigned.pem", "CN=mx.tls.test", "CN=mx.tls.test",
	  "DNS:mx.tls.test", 30, "RSA", 2048, "sha256WithRSAEncryption", 1 },
	{ "ec.pem", "CN=mx.tls.test", "CN=smtpprobe test CA",
	  "DNS:mx.tls.test|IP:127.0.0.1", 30, "EC", 256,
	  "sha256WithRSAEncryption", 0 },
	{ "ca.pem", "CN=smtpprobe test CA", "CN=smtpprobe test CA",
	  "", 3650, "RSA", 2048, "sha256WithRSAEncryption", 1 },
};

START_TEST(test_cert_facts)
{
	const struct cf_vec	*v = &cf_vec[_i];
	struct tls_cert		 c;
	struct tm		 tm;
	char			 err[256], sans[256], cmd[1024], line[512];
	char			 want[128], *p;
	size_t			 i, n;

	memset(&c, 0, sizeof(c));
	ck_assert_msg(tls_cert_facts_pem(fx(v->file), fxnow, &c, err,
	    sizeof(err)) == 0, "%s: %s", v->file, err);
	ck_assert_str_eq(c.subject, v->subject);
	ck_assert_str_eq(c.issuer, v->issuer);
	sans[0] = '\0';
	for (i = n = 0; i < c.nsans; i++)
		n += (size_t)snprintf(sans + n, sizeof(sans) - n, "%s%s",
		    i ? "|" : "", c.sans[i]);
	ck_assert_str_eq(sans, v->sans);
	ck_assert_msg(c.days_left == v->days, "%s days_left: got %ld, want %ld",
	    v->file, c.days_left, v->days);
	ck_assert_str_eq(c.key_type, v->key_type);
	ck_assert_msg(c.key_bits == v->key_bits, "key_bits: got %d, want %d",
	    c.key_bits, v->key_bits);
	ck_assert_str_eq(c.sig_alg, v->sig_alg);
	ck_assert_msg(c.self_signed == v->self_signed,
	    "self_signed: got %d, want %d", c.self_signed, v->self_signed);

	/* the fingerprint as openssl(1) prints it, normalised */
	snprintf(cmd, sizeof(cmd), "openssl x509 -noout -fingerprint -sha256 "
	    "-in '%s'", fx(v->file));
	run_line(cmd, line, sizeof(line));
	ck_assert_msg((p = strchr(line, '=')) != NULL, "%s: %s", cmd, line);
	for (n = 0, p++; *p != '\0' && n < sizeof(want) - 1; p++)
		if (*p != ':')
			want[n++] = (char)tolower((unsigned char)*p);
	want[n] = '\0';
	ck_assert_uint_eq(strlen(want), 64);
	ck_assert_str_eq(c.sha256, want);

	/* not_after as openssl(1) prints it: "notAfter=Dec 29 08:31:09 2026 GMT" */
	snprintf(cmd, sizeof(cmd), "openssl x509 -noout -enddate -in '%s'",
	    fx(v->file));
	run_line(cmd, line, sizeof(line));
	memset(&tm, 0, sizeof(tm));
	ck_assert_msg(strptime(line, "notAfter=%b %d %H:%M:%S %Y GMT", &tm)
	    != NULL, "unparsable: %s", line);
	strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ck_assert_str_eq(c.not_after, want);
	ck_assert(parse_rfc3339(c.not_before) < parse_rfc3339(c.not_after));

	result_cert_clear(&c);
	ck_assert_ptr_null(c.subject);
}
END_TEST

/* days_left = floor((not_after - now) / 86400) around not_after */
static const struct {
	long	 offset;	/* now = not_after + offset */
	long	 days;
} days_vec[] = {
	{ -5 * 86400 - 1, 5 }, { -86400, 1 }, { -86399, 0 }, { -1, 0 },
	{ 0, 0 }, { 1, -1 }, { 86400, -1 }, { 86401, -2 },
	{ 400 * 86400L, -400 },
};

START_TEST(test_days_left)
{
	struct tls_cert	 c;
	char		 err[256];
	time_t		 na;

	memset(&c, 0, sizeof(c));
	ck_assert_msg(tls_cert_facts_pem(fx("good.pem"), fxnow, &c, err,
	    sizeof(err)) == 0, "%s", err);
	na = parse_rfc3339(c.not_after);
	/* called again on a filled struct: must not leak */
	ck_assert_int_eq(tls_cert_facts_pem(fx("good.pem"),
	    na + days_vec[_i].offset, &c, err, sizeof(err)), 0);
	ck_assert_msg(c.days_left == days_vec[_i].days,
	    "offset %ld: got %ld, want %ld", days_vec[_i].offset, c.days_left,
	    days_vec[_i].days);
	result_cert_clear(&c);
}
END_TEST

static const struct {
	const char	*file;
	const char	*err;
} pem_err_vec[] = {
	{ "nonexistent.pem", "No such file" },
	{ "good.key", "no PEM certificate" },
	{ "openssl.cnf", "no PEM certificate" },
};

START_TEST(test_cert_facts_err)
{
	struct tls_cert	 c;
	char		 err[256] = "";

	memset(&c, 0, sizeof(c));
	ck_assert_msg(tls_cert_facts_pem(fx(pem_err_vec[_i].file), fxnow, &c,
	    err, sizeof(err)) == -1, "%s: got 0, want -1",
	    pem_err_vec[_i].file);
	ck_assert_msg(contains_any(err, pem_err_vec[_i].err), "err: %s", err);
	ck_assert_ptr_null(c.subject);
}
END_TEST

/* ---------------------------------------------------------------- */
/* a server and our client in one process */

struct pair {
	int		 cfd, sfd;
	struct tls_ctx	*cctx;
	struct tls_conn	*cc;
	SSL_CTX		*sctx;
	SSL		*ss;
	int		 crc;		/* client's last tls_handshake() */
	int		 sfailed;
};

/* a connected loopback TCP pair, both non-blocking */
static void
tcp_pair(int *cfd, int *sfd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 l;

	ck_assert_int_ge(l = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sin, &len), 0);
	ck_assert_int_ge(*cfd = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(connect(*cfd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	ck_assert_int_ge(*sfd = accept(l, NULL, NULL), 0);
	close(l);
	ck_assert_int_eq(fcntl(*cfd, F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fcntl(*sfd, F_SETFL, O_NONBLOCK), 0);
}

static int
hello_reject_cb(SSL *ssl, int *al, void *arg)
{
	(void)ssl;
	(void)arg;
	*al = SSL_AD_HANDSHAKE_FAILURE;
	return SSL_CLIENT_HELLO_ERROR;
}

/* cert: served chain file; key: its key; versions 0: library default */
static SSL_CTX *
server_ctx(const char *cert, const char *key, int minv, int maxv)
{
	SSL_CTX	*ctx;

	ck_assert_ptr_nonnull(ctx = SSL_CTX_new(TLS_server_method()));
	/* old protocol versions need level 0 on the server too */
	SSL_CTX_set_security_level(ctx, 0);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0"),
	    1);
	if (minv)
		ck_assert_int_eq(SSL_CTX_set_min_proto_version(ctx, minv), 1);
	if (maxv)
		ck_assert_int_eq(SSL_CTX_set_max_proto_version(ctx, maxv), 1);
	ck_assert_msg(SSL_CTX_use_certificate_chain_file(ctx, fx(cert)) == 1,
	    "%s", cert);
	ck_assert_msg(SSL_CTX_use_PrivateKey_file(ctx, fx(key),
	    SSL_FILETYPE_PEM) == 1, "%s", key);
	ck_assert_int_eq(SSL_CTX_check_private_key(ctx), 1);
	return ctx;
}

static void
pair_open(struct pair *p, const char *cafile, const char *sni,
    const char *cert, const char *key, int minv, int maxv)
{
	char	 err[256];

	memset(p, 0, sizeof(*p));
	tcp_pair(&p->cfd, &p->sfd);
	p->cctx = tls_ctx_new(cafile, err, sizeof(err));
	ck_assert_msg(p->cctx != NULL, "tls_ctx_new: %s", err);
	p->cc = tls_conn_new(p->cctx, p->cfd, sni, err, sizeof(err));
	ck_assert_msg(p->cc != NULL, "tls_conn_new: %s", err);
	p->sctx = server_ctx(cert, key, minv, maxv);
	ck_assert_ptr_nonnull(p->ss = SSL_new(p->sctx));
	ck_assert_int_eq(SSL_set_fd(p->ss, p->sfd), 1);
	SSL_set_accept_state(p->ss);
}

static void
pair_close(struct pair *p)
{
	tls_conn_free(p->cc);
	tls_ctx_free(p->cctx);
	SSL_free(p->ss);
	SSL_CTX_free(p->sctx);
	if (p->cfd >= 0)
		close(p->cfd);
	if (p->sfd >= 0)
		close(p->sfd);
	ERR_clear_error();
}

static void
wait_io(int a, int b)
{
	struct pollfd	 pfd[2];
	int		 n = 0;

	if (a >= 0) {
		pfd[n].fd = a;
		pfd[n++].events = POLLIN;
	}
	if (b >= 0) {
		pfd[n].fd = b;
		pfd[n++].events = POLLIN;
	}
	(void)poll(pfd, (nfds_t)n, 50);
}

/*
 * Step both sides alternately until both are done or the client fails.
 * Returns the client's final tls_handshake() value.
 */
static int
pair_handshake(struct pair *p)
{
	int	 cdone = 0, sdone = 0, i, r, e;

	for (i = 0; i < 400; i++) {
		if (!cdone) {
			p->crc = tls_handshake(p->cc);
			if (p->crc == TLS_OK)
				cdone = 1;
			else if (p->crc != TLS_WANT_READ &&
			    p->crc != TLS_WANT_WRITE)
				return p->crc;
			else
				ck_assert_str_eq(tls_error(p->cc), "");
		}
		if (!sdone && !p->sfailed) {
			if ((r = SSL_do_handshake(p->ss)) == 1)
				sdone = 1;
			else if ((e = SSL_get_error(p->ss, r)) !=
			    SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
				p->sfailed = 1;
			ERR_clear_error();
		}
		if (cdone && (sdone || p->sfailed))
			return TLS_OK;
		wait_io(p->cfd, p->sfd);
	}
	ck_abort_msg("handshake did not finish");
	return TLS_ERR;
}

struct hs_vec {
	const char	*label;
	const char	*cert, *key;	/* served */
	int		 use_ca;	/* cafile ca.pem; 0: system store */
	const char	*name;		/* checked name; NULL: peer address */
	int		 minv, maxv;	/* server versions */
	const char	*version;
	int		 chain_ok;
	const char	*chain_error;	/* "a|b" or NULL */
	int		 name_ok;
	int		 chain_len;
	const char	*key_type;
	int		 key_bits;
};

static const struct hs_vec hs_vec[] = {
	{ "good", "good.pem", "good.key", 1, "mx.tls.test", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "RSA", 2048 },
	{ "good-other-name", "good.pem", "good.key", 1, "other.test", 0, 0,
	  "TLSv1.3", 1, NULL, 0, 1, "RSA", 2048 },
	{ "good-sub-name", "good.pem", "good.key", 1, "a.mx.tls.test", 0, 0,
	  "TLSv1.3", 1, NULL, 0, 1, "RSA", 2048 },
	{ "good-ip", "good.pem", "good.key", 1, "127.0.0.1", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "RSA", 2048 },
	{ "good-other-ip", "good.pem", "good.key", 1, "127.0.0.2", 0, 0,
	  "TLSv1.3", 1, NULL, 0, 1, "RSA", 2048 },
	{ "good-peer-address", "good.pem", "good.key", 1, NULL, 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "RSA", 2048 },
	{ "good-trailing-dot", "good.pem", "good.key", 1, "mx.tls.test.", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "RSA", 2048 },
	{ "good-system-store", "good.pem", "good.key", 0, "mx.tls.test", 0, 0,
	  "TLSv1.3", 0, "unable to get local issuer|self-signed|self signed",
	  1, 1, "RSA", 2048 },
	{ "selfsigned", "selfsigned.pem", "selfsigned.key", 1, "mx.tls.test",
	  0, 0, "TLSv1.3", 0, "self-signed|self signed", 1, 1, "RSA", 2048 },
	{ "expired", "expired.pem", "expired.key", 1, "mx.tls.test", 0, 0,
	  "TLSv1.3", 0, "expired", 1, 1, "RSA", 2048 },
	{ "wrongname", "wrongname.pem", "wrongname.key", 1, "mx.tls.test",
	  0, 0, "TLSv1.3", 1, NULL, 0, 1, "RSA", 2048 },
	{ "ec", "ec.pem", "ec.key", 1, "mx.tls.test", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "EC", 256 },
	{ "chain", "chain.pem", "good.key", 1, "mx.tls.test", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 2, "RSA", 2048 },
	{ "soon", "soon.pem", "soon.key", 1, "mx.tls.test", 0, 0,
	  "TLSv1.3", 1, NULL, 1, 1, "RSA", 2048 },
	{ "tls1.2", "good.pem", "good.key", 1, "mx.tls.test", 0,
	  TLS1_2_VERSION, "TLSv1.2", 1, NULL, 1, 1, "RSA", 2048 },
	{ "tls1.2-ec", "ec.pem", "ec.key", 1, "mx.tls.test", 0,
	  TLS1_2_VERSION, "TLSv1.2", 1, NULL, 1, 1, "EC", 256 },
	/* old servers are reported, not missed (security level 0) */
	{ "tls1.1", "good.pem", "good.key", 1, "mx.tls.test", TLS1_1_VERSION,
	  TLS1_1_VERSION, "TLSv1.1", 1, NULL, 1, 1, "RSA", 2048 },
	{ "tls1.0", "good.pem", "good.key", 1, "mx.tls.test", TLS1_VERSION,
	  TLS1_VERSION, "TLSv1", 1, NULL, 1, 1, "RSA", 2048 },
};

START_TEST(test_handshake)
{
	const struct hs_vec	*v = &hs_vec[_i];
	struct tls_result	 r;
	struct pair		 p;
	int			 rc;

	pair_open(&p, v->use_ca ? fx("ca.pem") : NULL, "mx.tls.test", v->cert,
	    v->key, v->minv, v->maxv);
	rc = pair_handshake(&p);
	ck_assert_msg(rc == TLS_OK, "%s: got %d, want %d (%s)", v->label, rc,
	    TLS_OK, tls_error(p.cc));

	memset(&r, 0, sizeof(r));
	tls_facts(p.cc, v->name, fxnow, 0, &r);
	ck_assert_str_eq(r.version, v->version);
	ck_assert_ptr_nonnull(r.cipher);
	ck_assert_str_eq(r.cipher, SSL_get_cipher_name(p.ss));
	ck_assert_msg(r.group != NULL && *r.group != '\0', "%s: no group",
	    v->label);
	ck_assert_msg(r.have_cert == 1, "have_cert: got %d, want 1",
	    r.have_cert);
	ck_assert_msg(r.chain_len == v->chain_len,
	    "%s chain_len: got %d, want %d", v->label, r.chain_len,
	    v->chain_len);
	ck_assert_msg(r.verify.chain_ok == v->chain_ok,
	    "%s chain_ok: got %d, want %d (%s)", v->label, r.verify.chain_ok,
	    v->chain_ok, r.verify.chain_error ? r.verify.chain_error : "");
	if (v->chain_error == NULL)
		ck_assert_ptr_null(r.verify.chain_error);
	else
		ck_assert_msg(contains_any(r.verify.chain_error,
		    v->chain_error), "%s chain_error: got \"%s\", want \"%s\"",
		    v->label, r.verify.chain_error, v->chain_error);
	ck_assert_str_eq(r.verify.name, v->name ? v->name : "127.0.0.1");
	ck_assert_msg(r.verify.name_ok == v->name_ok,
	    "%s name_ok: got %d, want %d", v->label, r.verify.name_ok,
	    v->name_ok);
	ck_assert_str_eq(r.cert.key_type, v->key_type);
	ck_assert_msg(r.cert.key_bits == v->key_bits,
	    "key_bits: got %d, want %d", r.cert.key_bits, v->key_bits);
	ck_assert_ptr_nonnull(r.cert.sha256);
	ck_assert_str_eq(tls_error(p.cc), "");

	/* a second call replaces, it does not leak */
	tls_facts(p.cc, v->name, fxnow, 0, &r);
	ck_assert_str_eq(r.version, v->version);
	result_tls_clear(&r);
	pair_close(&p);
}
END_TEST

/* the first certificate of a PEM file, and its text as PEM_write gives it */
static X509 *
pem_first(const char *path, char **text)
{
	BIO	*bio;
	X509	*x;
	char	*data;
	long	 len;

	ck_assert_ptr_nonnull(bio = BIO_new_file(path, "r"));
	ck_assert_ptr_nonnull(x = PEM_read_bio_X509(bio, NULL, NULL, NULL));
	BIO_free(bio);
	ck_assert_ptr_nonnull(bio = BIO_new(BIO_s_mem()));
	ck_assert_int_eq(PEM_write_bio_X509(bio, x), 1);
	len = BIO_get_mem_data(bio, &data);
	*text = strndup(data, (size_t)len);
	BIO_free(bio);
	return x;
}

/* lower-case hex SHA-256 of the DER SubjectPublicKeyInfo, computed here */
static void
spki_hex(X509 *x, char out[65])
{
	unsigned char	 md[32], *der = NULL;
	int		 len, i;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(),
	    NULL), 1);
	OPENSSL_free(der);
	for (i = 0; i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
}

/*
 * The chain as sent (leaf, then the CA of chain.pem): subjects, the
 * SPKI digest that a TLSA 3 1 1 record holds, and PEM only when asked
 */
START_TEST(test_chain)
{
	struct tls_result	 r;
	struct pair		 p;
	X509			*leaf, *ca;
	char			*leafpem, *capem, hex[65];
	int			 keep = _i;

	pair_open(&p, fx("ca.pem"), "mx.tls.test", "chain.pem", "good.key",
	    0, 0);
	ck_assert_int_eq(pair_handshake(&p), TLS_OK);
	memset(&r, 0, sizeof(r));
	tls_facts(p.cc, "mx.tls.test", fxnow, keep, &r);
	leaf = pem_first(fx("good.pem"), &leafpem);
	ca = pem_first(fx("ca.pem"), &capem);

	ck_assert_int_eq(r.chain_len, 2);
	ck_assert_uint_eq(r.nchain, 2);
	ck_assert_int_eq(r.pem_kept, keep);
	spki_hex(leaf, hex);
	ck_assert_str_eq(r.cert.spki_sha256, hex);
	ck_assert_str_eq(r.chain[0].spki_sha256, hex);
	ck_assert_str_eq(r.chain[0].sha256, r.cert.sha256);
	ck_assert_str_eq(r.chain[0].subject, r.cert.subject);
	ck_assert_str_eq(r.chain[0].issuer, r.chain[1].subject);
	spki_hex(ca, hex);
	ck_assert_str_eq(r.chain[1].spki_sha256, hex);
	ck_assert_str_ne(r.chain[1].sha256, r.chain[0].sha256);
	if (keep) {
		ck_assert_str_eq(r.chain[0].pem, leafpem);
		ck_assert_str_eq(r.chain[1].pem, capem);
	} else {
		ck_assert_ptr_null(r.chain[0].pem);
		ck_assert_ptr_null(r.chain[1].pem);
	}
	/* a second call replaces the chain, it does not leak */
	tls_facts(p.cc, "mx.tls.test", fxnow, keep, &r);
	ck_assert_uint_eq(r.nchain, 2);
	X509_free(leaf);
	X509_free(ca);
	free(leafpem);
	free(capem);
	result_tls_clear(&r);
	pair_close(&p);
}
END_TEST

/* SNI: DNS names only, without the trailing dot (RFC 6066 3) */
static const struct {
	const char	*sni;
	const char	*want;		/* NULL: none sent */
} sni_vec[] = {
	{ "mx.tls.test", "mx.tls.test" },
	{ "mx.tls.test.", "mx.tls.test" },
	{ "127.0.0.1", NULL },
	{ "::1", NULL },
	{ "[::1]", NULL },
	{ "", NULL },
	{ NULL, NULL },
};

START_TEST(test_sni)
{
	struct pair	 p;
	const char	*got;
	int		 rc;

	pair_open(&p, fx("ca.pem"), sni_vec[_i].sni, "good.pem", "good.key",
	    0, 0);
	rc = pair_handshake(&p);
	ck_assert_msg(rc == TLS_OK, "got %d, want %d", rc, TLS_OK);
	got = SSL_get_servername(p.ss, TLSEXT_NAMETYPE_host_name);
	if (sni_vec[_i].want == NULL)
		ck_assert_msg(got == NULL, "%s: got SNI %s, want none",
		    sni_vec[_i].sni ? sni_vec[_i].sni : "NULL", got);
	else
		ck_assert_pstr_eq(got, sni_vec[_i].want);
	pair_close(&p);
}
END_TEST

/* read and write after the handshake, then the two kinds of end */
static const struct {
	int		 maxv;
	int		 close_notify;	/* 0: plain TCP close */
	const char	*err;
} io_vec[] = {
	{ 0, 1, "close_notify" },
	{ 0, 0, "eof" },
	{ TLS1_2_VERSION, 1, "close_notify" },
	{ TLS1_2_VERSION, 0, "eof" },
};

static ssize_t
client_read(struct pair *p, char *buf, size_t size)
{
	ssize_t	 n = TLS_WANT_READ;
	int	 i;

	for (i = 0; i < 100; i++) {
		n = tls_read(p->cc, buf, size);
		if (n != TLS_WANT_READ && n != TLS_WANT_WRITE)
			break;
		wait_io(p->cfd, -1);
	}
	return n;
}

START_TEST(test_io)
{
	static const char	 req[] = "EHLO probe.test\r\n";
	static const char	 rep[] = "250 mx.tls.test\r\n";
	struct pair		 p;
	char			 buf[128];
	ssize_t			 n;
	int			 i, r = -1;

	pair_open(&p, fx("ca.pem"), "mx.tls.test", "good.pem", "good.key", 0,
	    io_vec[_i].maxv);
	ck_assert_int_eq(pair_handshake(&p), TLS_OK);

	n = tls_write(p.cc, req, sizeof(req) - 1);
	ck_assert_msg(n == (ssize_t)sizeof(req) - 1, "write: got %zd, want %zu",
	    n, sizeof(req) - 1);
	for (i = 0; i < 100; i++) {
		if ((r = SSL_read(p.ss, buf, sizeof(buf))) > 0)
			break;
		ck_assert_int_eq(SSL_get_error(p.ss, r), SSL_ERROR_WANT_READ);
		wait_io(p.sfd, -1);
	}
	ck_assert_msg(r == (int)sizeof(req) - 1, "server read: got %d, want %d",
	    r, (int)sizeof(req) - 1);
	ck_assert_int_eq(memcmp(buf, req, sizeof(req) - 1), 0);

	ck_assert_int_eq(SSL_write(p.ss, rep, sizeof(rep) - 1),
	    (int)sizeof(rep) - 1);
	n = client_read(&p, buf, sizeof(buf));
	ck_assert_msg(n == (ssize_t)sizeof(rep) - 1, "read: got %zd, want %zu "
	    "(%s)", n, sizeof(rep) - 1, tls_error(p.cc));
	ck_assert_int_eq(memcmp(buf, rep, sizeof(rep) - 1), 0);
	ck_assert_int_eq(tls_write(p.cc, req, 0), 0);

	if (io_vec[_i].close_notify)
		(void)SSL_shutdown(p.ss);
	close(p.sfd);
	p.sfd = -1;
	n = client_read(&p, buf, sizeof(buf));
	ck_assert_msg(n == TLS_EOF, "end: got %zd, want %d (%s)", n, TLS_EOF,
	    tls_error(p.cc));
	ck_assert_msg(contains_any(tls_error(p.cc), io_vec[_i].err),
	    "error: got \"%s\", want \"%s\"", tls_error(p.cc), io_vec[_i].err);
	pair_close(&p);
}
END_TEST

/* the server fails the handshake in different ways */
enum fail_mode { FAIL_ALERT, FAIL_EOF, FAIL_PLAINTEXT, FAIL_RESET };

static const struct {
	enum fail_mode	 mode;
	const char	*err;
} fail_vec[] = {
	{ FAIL_ALERT, "alert received: handshake failure" },
	{ FAIL_EOF, "eof" },
	{ FAIL_PLAINTEXT, "wrong version number|packet length|record" },
	{ FAIL_RESET, "reset" },
};

START_TEST(test_handshake_fail)
{
	struct tls_result	 r;
	struct tlsa_rec		 rec;
	struct linger		 lg = { 1, 0 };
	struct pair		 p;
	static const char	 banner[] = "554 5.7.0 no TLS here\r\n";
	char			 buf[4096];
	int			 rc, i;

	pair_open(&p, fx("ca.pem"), "mx.tls.test", "good.pem", "good.key", 0,
	    0);
	if (fail_vec[_i].mode == FAIL_ALERT) {
		SSL_CTX_set_client_hello_cb(p.sctx, hello_reject_cb, NULL);
		rc = pair_handshake(&p);
	} else {
		/* the ClientHello goes out, then the server misbehaves */
		ck_assert_int_eq(tls_handshake(p.cc), TLS_WANT_READ);
		wait_io(p.sfd, -1);
		if (fail_vec[_i].mode == FAIL_RESET)
			ck_assert_int_eq(setsockopt(p.sfd, SOL_SOCKET,
			    SO_LINGER, &lg, sizeof(lg)), 0);
		else
			ck_assert_int_gt(read(p.sfd, buf, sizeof(buf)), 0);
		if (fail_vec[_i].mode == FAIL_PLAINTEXT)
			ck_assert_int_eq(write(p.sfd, banner,
			    sizeof(banner) - 1), (int)sizeof(banner) - 1);
		close(p.sfd);
		p.sfd = -1;
		for (i = 0; i < 100; i++) {
			rc = tls_handshake(p.cc);
			if (rc != TLS_WANT_READ && rc != TLS_WANT_WRITE)
				break;
			wait_io(p.cfd, -1);
		}
	}
	ck_assert_msg(rc == TLS_ERR || rc == TLS_EOF,
	    "got %d, want %d or %d", rc, TLS_ERR, TLS_EOF);
	ck_assert_msg(*tls_error(p.cc) != '\0', "empty tls_error");
	ck_assert_msg(contains_any(tls_error(p.cc), fail_vec[_i].err),
	    "error: got \"%s\", want \"%s\"", tls_error(p.cc),
	    fail_vec[_i].err);

	/* no certificate: facts and DANE say so and do not crash */
	memset(&r, 0, sizeof(r));
	tls_facts(p.cc, "mx.tls.test", fxnow, 0, &r);
	ck_assert_int_eq(r.have_cert, 0);
	ck_assert_int_eq(r.verify.chain_ok, 0);
	ck_assert_str_eq(r.verify.chain_error, "no peer certificate");
	ck_assert_int_eq(r.verify.name_ok, 0);
	memset(&rec, 0, sizeof(rec));
	rec.usage = 3;
	rec.selector = 1;
	rec.mtype = 0;
	rec.data = (uint8_t *)buf;
	rec.len = 10;
	ck_assert_int_eq(tls_dane_match(p.cc, &rec, 1), -1);
	result_tls_clear(&r);
	pair_close(&p);
}
END_TEST

/* ---------------------------------------------------------------- */
/* tls_ctx_new errors */

static const struct {
	const char	*file;		/* in fxdir; "/..." absolute */
	const char	*err;		/* NULL: success */
} ctx_vec[] = {
	{ "ca.pem", NULL },
	{ "chain.pem", NULL },
	{ "nonexistent.pem", "No such file" },
	{ "good.key", "no usable PEM" },
	{ "/dev/null", "no usable PEM" },
};

START_TEST(test_ctx)
{
	struct tls_ctx	*t;
	const char	*f = ctx_vec[_i].file;
	char		 err[512] = "";

	t = tls_ctx_new(f[0] == '/' ? f : fx(f), err, sizeof(err));
	if (ctx_vec[_i].err == NULL)
		ck_assert_msg(t != NULL, "%s: %s", f, err);
	else {
		ck_assert_msg(t == NULL, "%s: got a context, want NULL", f);
		ck_assert_msg(contains_any(err, ctx_vec[_i].err),
		    "error: got \"%s\", want \"%s\"", err, ctx_vec[_i].err);
		ck_assert_msg(strstr(err, f) != NULL, "no file name in %s",
		    err);
	}
	tls_ctx_free(t);
	tls_ctx_free(NULL);
	tls_conn_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- */
/* DANE */

/* the association data of x for selector/mtype, as a DNS zone would hold */
static void
mk_tlsa(const char *file, int selector, int mtype, struct tlsa_rec *rec)
{
	unsigned char	*der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	FILE		*fp;
	X509		*x;
	int		 len;

	ck_assert_ptr_nonnull(fp = fopen(fx(file), "r"));
	ck_assert_ptr_nonnull(x = PEM_read_X509(fp, NULL, NULL, NULL));
	fclose(fp);
	len = selector == 0 ? i2d_X509(x, &der) :
	    i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	ck_assert_int_gt(len, 0);
	if (mtype == 1 || mtype == 2) {
		ck_assert_int_eq(EVP_Digest(der, (size_t)len, md, &mdlen,
		    mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL), 1);
		rec->data = xmalloc(mdlen);
		memcpy(rec->data, md, mdlen);
		rec->len = mdlen;
	} else {
		/* exact, or an unknown type: the full data */
		rec->data = xmalloc((size_t)len);
		memcpy(rec->data, der, (size_t)len);
		rec->len = (size_t)len;
	}
	OPENSSL_free(der);
	X509_free(x);
}

enum tlsa_mangle { M_NONE, M_FLIP, M_SHORT };

struct dane_vec {
	const char	*label;
	const char	*served, *key;
	int		 usage, selector, mtype;
	const char	*from;		/* the certificate the record is made of */
	enum tlsa_mangle mangle;
	int		 matched;
};

static const struct dane_vec dane_vec[] = {
	{ "3 1 1", "good.pem", "good.key", 3, 1, 1, "good.pem", M_NONE, 1 },
	{ "3 1 2", "good.pem", "good.key", 3, 1, 2, "good.pem", M_NONE, 1 },
	{ "3 0 1", "good.pem", "good.key", 3, 0, 1, "good.pem", M_NONE, 1 },
	{ "3 0 0", "good.pem", "good.key", 3, 0, 0, "good.pem", M_NONE, 1 },
	{ "3 1 0", "chain.pem", "good.key", 3, 1, 0, "good.pem", M_NONE, 1 },
	{ "3 1 1 wrong hash", "good.pem", "good.key", 3, 1, 1, "good.pem",
	  M_FLIP, 0 },
	{ "3 1 1 other cert", "good.pem", "good.key", 3, 1, 1,
	  "selfsigned.pem", M_NONE, 0 },
	{ "3 1 1 short hash", "good.pem", "good.key", 3, 1, 1, "good.pem",
	  M_SHORT, -1 },
	{ "3 1 1 of the CA", "chain.pem", "good.key", 3, 1, 1, "ca.pem",
	  M_NONE, 0 },
	{ "2 0 2", "chain.pem", "good.key", 2, 0, 2, "ca.pem", M_NONE, 1 },
	{ "2 1 1", "chain.pem", "good.key", 2, 1, 1, "ca.pem", M_NONE, 1 },
	{ "2 0 2 wrong hash", "chain.pem", "good.key", 2, 0, 2, "ca.pem",
	  M_FLIP, 0 },
	{ "2 0 2 TA not sent", "good.pem", "good.key", 2, 0, 2, "ca.pem",
	  M_NONE, 0 },
	{ "2 0 2 TA did not sign", "badchain.pem", "selfsigned.key", 2, 0, 2,
	  "ca.pem", M_NONE, 0 },
	{ "2 1 1 of the leaf", "chain.pem", "good.key", 2, 1, 1, "good.pem",
	  M_NONE, 0 },
	{ "1 1 1 PKIX-EE", "good.pem", "good.key", 1, 1, 1, "good.pem",
	  M_NONE, -1 },
	{ "0 0 1 PKIX-TA", "chain.pem", "good.key", 0, 0, 1, "ca.pem",
	  M_NONE, -1 },
	{ "4 1 1 usage", "good.pem", "good.key", 4, 1, 1, "good.pem",
	  M_NONE, -1 },
	{ "3 1 9 mtype", "good.pem", "good.key", 3, 1, 9, "good.pem",
	  M_NONE, -1 },
	{ "3 2 1 selector", "good.pem", "good.key", 3, 2, 1, "good.pem",
	  M_NONE, -1 },
};

START_TEST(test_dane)
{
	const struct dane_vec	*v = &dane_vec[_i];
	struct tlsa_rec		 rec;
	struct pair		 p;
	int			 rc, want;

	pair_open(&p, fx("ca.pem"), "mx.tls.test", v->served, v->key, 0, 0);
	ck_assert_int_eq(pair_handshake(&p), TLS_OK);
	memset(&rec, 0, sizeof(rec));
	rec.usage = (uint8_t)v->usage;
	rec.selector = (uint8_t)v->selector;
	rec.mtype = (uint8_t)v->mtype;
	mk_tlsa(v->from, v->selector > 1 ? 1 : v->selector, v->mtype, &rec);
	if (v->mangle == M_FLIP)
		rec.data[rec.len / 2] ^= 0x01;
	else if (v->mangle == M_SHORT)
		rec.len--;
	rec.matched = 42;
	rc = tls_dane_match(p.cc, &rec, 1);
	ck_assert_msg(rec.matched == v->matched, "%s: matched: got %d, want %d",
	    v->label, rec.matched, v->matched);
	want = v->matched == 1 ? 1 : 0;
	ck_assert_msg(rc == want, "%s: got %d, want %d", v->label, rc, want);
	free(rec.data);
	pair_close(&p);
}
END_TEST

/*
 * The DANE verdict on real handshakes (dane_judge(), RFC 7672 3.1):
 * served chain, the one record, and what must come out.  No --cafile,
 * so PKIX alone never trusts the test CA.
 */
struct verdict_vec {
	const char	*label;
	const char	*served, *key;
	int		 usage, selector, mtype;
	const char	*from;
	enum dane_state	 state;
	int		 ta_dates_bad, chain_ok, dates_ok, authenticated;
};

static const struct verdict_vec verdict_vec[] = {
	/* 3.1.1: the key alone, an expired certificate is no fault */
	{ "EE, expired leaf", "expired.pem", "expired.key", 3, 1, 1,
	  "expired.pem", DANE_S_EE, 0, 1, 1, 1 },
	/* 3.1.2: the CA is the anchor: the chain is trusted */
	{ "TA, good chain", "chain.pem", "good.key", 2, 0, 1, "ca.pem",
	  DANE_S_TA, 0, 1, 1, 1 },
	/* ... but the intermediates below it keep their dates */
	{ "TA, expired intermediate", "ichain.pem", "leafi.key", 2, 0, 1,
	  "ca.pem", DANE_S_TA, 1, 0, 1, 0 },
	/* no anchor sent: no match, and PKIX judges the expired leaf */
	{ "TA not sent, expired leaf", "expired.pem", "expired.key", 2, 0, 1, "ca.pem",
	  DANE_S_MISMATCH, 0, 0, 0, 0 },
	{ "EE of another key", "good.pem", "good.key", 3, 1, 1,
	  "wrongname.pem", DANE_S_MISMATCH, 0, 0, 1, 0 },
};

START_TEST(test_dane_verdict)
{
	const struct verdict_vec *v = &verdict_vec[_i];
	struct tls_result	 r;
	struct dane_verdict	 dv;
	struct pair		 p;

	pair_open(&p, NULL, "mx.tls.test", v->served, v->key, 0, 0);
	ck_assert_int_eq(pair_handshake(&p), TLS_OK);
	memset(&r, 0, sizeof(r));
	tls_facts(p.cc, "mx.tls.test", fxnow, 0, &r);
	r.ok = 1;
	r.tlsa_ad = 1;
	r.ntlsa = 1;
	r.tlsa = xcalloc(1, sizeof(*r.tlsa));
	r.tlsa[0].usage = (uint8_t)v->usage;
	r.tlsa[0].selector = (uint8_t)v->selector;
	r.tlsa[0].mtype = (uint8_t)v->mtype;
	mk_tlsa(v->from, v->selector, v->mtype, &r.tlsa[0]);
	r.dane_matched = tls_dane_match(p.cc, r.tlsa, r.ntlsa);
	ck_assert_msg(r.tlsa[0].ta_dates_bad == v->ta_dates_bad,
	    "%s: ta_dates_bad %d", v->label, r.tlsa[0].ta_dates_bad);
	dane_judge(&r, &dv);
	ck_assert_msg(dv.state == v->state, "%s: state %s, want %s", v->label,
	    dane_state_name(dv.state), dane_state_name(v->state));
	ck_assert_msg(dv.chain_ok == v->chain_ok, "%s: chain_ok %d", v->label,
	    dv.chain_ok);
	ck_assert_msg(dv.dates_ok == v->dates_ok, "%s: dates_ok %d", v->label,
	    dv.dates_ok);
	ck_assert_msg(dv.authenticated == v->authenticated,
	    "%s: authenticated %d", v->label, dv.authenticated);
	ck_assert_int_eq(dv.name_ok, 1);	/* every leaf is for mx.tls.test */
	/* the same records without the AD bit: PKIX judges alone */
	r.tlsa_ad = 0;
	dane_judge(&r, &dv);
	ck_assert_int_eq(dv.state, DANE_S_NOT_VALIDATED);
	ck_assert_int_eq(dv.pkix, 1);
	ck_assert_int_eq(dv.chain_ok, 0);
	ck_assert_int_eq(dv.authenticated, 0);
	result_tls_clear(&r);
	pair_close(&p);
}
END_TEST

/* several records at once: the count of usable matches */
START_TEST(test_dane_many)
{
	struct tlsa_rec	*recs;
	struct pair	 p;
	static const int want[] = { 1, -1, 0, 1, -1 };
	size_t		 i;

	pair_open(&p, fx("ca.pem"), "mx.tls.test", "chain.pem", "good.key",
	    0, 0);
	ck_assert_int_eq(pair_handshake(&p), TLS_OK);
	recs = xcalloc(5, sizeof(*recs));
	recs[0].usage = 3; recs[0].selector = 1; recs[0].mtype = 1;
	mk_tlsa("good.pem", 1, 1, &recs[0]);
	recs[1].usage = 1; recs[1].selector = 1; recs[1].mtype = 1;
	mk_tlsa("good.pem", 1, 1, &recs[1]);
	recs[2].usage = 3; recs[2].selector = 1; recs[2].mtype = 1;
	mk_tlsa("wrongname.pem", 1, 1, &recs[2]);
	recs[3].usage = 2; recs[3].selector = 0; recs[3].mtype = 2;
	mk_tlsa("ca.pem", 0, 2, &recs[3]);
	recs[4].usage = 3; recs[4].selector = 1; recs[4].mtype = 3;
	mk_tlsa("good.pem", 1, 3, &recs[4]);
	ck_assert_int_eq(tls_dane_match(p.cc, recs, 5), 2);
	for (i = 0; i < 5; i++)
		ck_assert_msg(recs[i].matched == want[i],
		    "record %zu: got %d, want %d", i, recs[i].matched, want[i]);
	ck_assert_int_eq(tls_dane_match(p.cc, recs, 0), 0);
	result_tlsa_free(recs, 5);
	pair_close(&p);
}
END_TEST

/* ---------------------------------------------------------------- */
/* tls_version_at_least */

static const struct {
	const char	*version;
	int		 major, minor;
	int		 want;
} ver_vec[] = {
	{ "TLSv1.2", 1, 2, 1 },
	{ "TLSv1.3", 1, 2, 1 },
	{ "TLSv1.3", 1, 3, 1 },
	{ "TLSv1.2", 1, 3, 0 },
	{ "TLSv1.1", 1, 2, 0 },
	{ "TLSv1.1", 1, 1, 1 },
	{ "TLSv1.1", 1, 0, 1 },
	{ "TLSv1", 1, 0, 1 },
	{ "TLSv1", 1, 1, 0 },
	{ "TLSv1", 1, 2, 0 },
	{ "SSLv3", 1, 0, 0 },
	{ "SSLv3", 1, 2, 0 },
	{ "SSLv2", 1, 0, 0 },
	{ "unknown", 1, 0, 0 },
	{ "", 1, 0, 0 },
	{ NULL, 1, 0, 0 },
	{ "TLSv1.2x", 1, 0, 0 },
	{ "TLSv1.", 1, 0, 0 },
	{ "TLSv2", 1, 0, 0 },
	{ "tlsv1.2", 1, 2, 0 },
	{ "DTLSv1.2", 1, 0, 0 },
};

START_TEST(test_version)
{
	int	 got;

	got = tls_version_at_least(ver_vec[_i].version, ver_vec[_i].major,
	    ver_vec[_i].minor);
	ck_assert_msg(got == ver_vec[_i].want, "%s >= %d.%d: got %d, want %d",
	    ver_vec[_i].version ? ver_vec[_i].version : "NULL",
	    ver_vec[_i].major, ver_vec[_i].minor, got, ver_vec[_i].want);
}
END_TEST

/* --tls-versions: a pinned probe context against a server's range */
static const struct {
	int	 idx;		/* client pinned to tls_versions_name(idx) */
	int	 minv, maxv;	/* server */
	int	 want;		/* handshake completes */
} pin_vec[] = {
	{ 0, TLS1_VERSION, TLS1_3_VERSION, 1 },
	{ 1, TLS1_VERSION, TLS1_3_VERSION, 1 },
	{ 2, TLS1_VERSION, TLS1_3_VERSION, 1 },
	{ 3, TLS1_VERSION, TLS1_3_VERSION, 1 },
	{ 0, TLS1_2_VERSION, 0, 0 },
	{ 1, TLS1_2_VERSION, 0, 0 },
	{ 2, TLS1_2_VERSION, 0, 1 },
	{ 3, TLS1_2_VERSION, TLS1_2_VERSION, 0 },
	{ 2, TLS1_VERSION, TLS1_VERSION, 0 },
};

START_TEST(test_pinned)
{
	struct tls_result	 r;
	struct pair		 p;
	char			 err[256];
	int			 rc;

	pair_open(&p, NULL, "mx.tls.test", "good.pem", "good.key",
	    pin_vec[_i].minv, pin_vec[_i].maxv);
	tls_conn_free(p.cc);
	tls_ctx_free(p.cctx);
	p.cctx = tls_ctx_new_version(pin_vec[_i].idx, err, sizeof(err));
	ck_assert_msg(p.cctx != NULL, "tls_ctx_new_version: %s", err);
	ck_assert_ptr_nonnull(p.cc = tls_conn_new(p.cctx, p.cfd, NULL, err,
	    sizeof(err)));
	rc = pair_handshake(&p);
	ck_assert_msg((rc == TLS_OK) == pin_vec[_i].want,
	    "%s against %x..%x: got %d (%s)", tls_versions_name(pin_vec[_i].idx),
	    pin_vec[_i].minv, pin_vec[_i].maxv, rc, tls_error(p.cc));
	if (rc == TLS_OK) {
		memset(&r, 0, sizeof(r));
		tls_facts(p.cc, NULL, fxnow, 0, &r);
		ck_assert_str_eq(r.version, tls_versions_name(pin_vec[_i].idx));
		result_tls_clear(&r);
	}
	pair_close(&p);
}
END_TEST

START_TEST(test_versions_book)
{
	struct tls_result	 t;
	char			 err[64];

	memset(&t, 0, sizeof(t));
	ck_assert_ptr_null(tls_versions_name(-1));
	ck_assert_ptr_null(tls_versions_name(TLS_NVERSIONS));
	ck_assert_str_eq(tls_versions_name(0), "TLSv1");
	ck_assert_str_eq(tls_versions_name(3), "TLSv1.3");
	ck_assert_ptr_null(tls_ctx_new_version(4, err, sizeof(err)));

	/* not probed: the negotiated version decides */
	t.version = xstrdup("TLSv1.3");
	ck_assert_int_eq(tls_versions_legacy(&t.versions), 0);
	ck_assert_int_eq(tls_min_version_met(&t, 2), 1);
	ck_assert_int_eq(tls_min_version_met(&t, 3), 1);

	/* probed: 1.0 refused, 1.1 unknown, 1.2 and 1.3 accepted */
	tls_versions_record(&t.versions, 0, 0, "IGNORED", "alert");
	tls_versions_record(&t.versions, 1, -1, NULL, "4xx");
	tls_versions_record(&t.versions, 2, 1, "ECDHE-RSA-AES256-GCM-SHA384",
	    NULL);
	tls_versions_record(&t.versions, 3, 1, "TLS_AES_256_GCM_SHA384", NULL);
	tls_versions_record(&t.versions, 9, 1, "X", NULL);	/* ignored */
	tls_versions_record(&t.versions, -1, 1, "X", NULL);	/* ignored */
	ck_assert_int_eq(t.versions.probed, 1);
	ck_assert_ptr_null(t.versions.v[0].cipher);
	ck_assert_str_eq(t.versions.v[0].error, "alert");
	ck_assert_int_eq(t.versions.v[1].accepted, -1);
	ck_assert_str_eq(t.versions.v[3].cipher, "TLS_AES_256_GCM_SHA384");
	ck_assert_int_eq(tls_versions_legacy(&t.versions), 0);
	ck_assert_int_eq(tls_min_version_met(&t, 2), 1);
	/* 1.2 accepted: "nothing below 1.3" fails though 1.3 negotiated */
	ck_assert_int_eq(tls_min_version_met(&t, 3), 0);

	/* 1.1 accepted (a replaced outcome): legacy, and below 1.2 */
	tls_versions_record(&t.versions, 1, 1, "ECDHE-RSA-AES128-SHA", NULL);
	ck_assert_int_eq(tls_versions_legacy(&t.versions), 1);
	ck_assert_int_eq(tls_min_version_met(&t, 2), 0);
	ck_assert_int_eq(tls_min_version_met(&t, 1), 1);
	ck_assert_int_eq(tls_min_version_met(&t, 0), 1);
	ck_assert_ptr_null(t.versions.v[1].error);
	result_tls_clear(&t);
	ck_assert_int_eq(t.versions.probed, 0);
}
END_TEST

static Suite *
tls_suite(void)
{
	Suite	*s = suite_create("tls");
	TCase	*tc;

#define ADD_LOOP(label, fn, tab, fixture) do {				\
	tc = tcase_create(label);					\
	if (fixture)							\
		tcase_add_unchecked_fixture(tc, fx_setup, NULL);	\
	tcase_add_loop_test(tc, fn, 0, (int)nelem(tab));		\
	suite_add_tcase(s, tc);						\
} while (0)
	ADD_LOOP("cert_facts", test_cert_facts, cf_vec, 1);
	ADD_LOOP("days_left", test_days_left, days_vec, 1);
	ADD_LOOP("cert_facts_err", test_cert_facts_err, pem_err_vec, 1);
	ADD_LOOP("ctx", test_ctx, ctx_vec, 1);
	ADD_LOOP("handshake", test_handshake, hs_vec, 1);
	ADD_LOOP("sni", test_sni, sni_vec, 1);
	ADD_LOOP("io", test_io, io_vec, 1);
	ADD_LOOP("handshake_fail", test_handshake_fail, fail_vec, 1);
	ADD_LOOP("dane", test_dane, dane_vec, 1);
	ADD_LOOP("version", test_version, ver_vec, 0);
	ADD_LOOP("pinned", test_pinned, pin_vec, 1);
	tc = tcase_create("versions_book");
	tcase_add_test(tc, test_versions_book);
	suite_add_tcase(s, tc);
	tc = tcase_create("chain");
	tcase_add_unchecked_fixture(tc, fx_setup, NULL);
	tcase_add_loop_test(tc, test_chain, 0, 2);
	suite_add_tcase(s, tc);
	ADD_LOOP("dane_verdict", test_dane_verdict, verdict_vec, 1);
#undef ADD_LOOP

	tc = tcase_create("dane_many");
	tcase_add_unchecked_fixture(tc, fx_setup, NULL);
	tcase_add_test(tc, test_dane_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 nfail;

	/* as smtpprobe does: OpenSSL's socket BIO writes with write(2) */
	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(tls_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	fx_cleanup();
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
