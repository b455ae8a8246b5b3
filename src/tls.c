/* SPDX-License-Identifier: ISC */
/*
 * tls - OpenSSL for the probe: a client context that accepts what old
 * servers speak, a non-blocking handshake over an fd the caller owns, the
 * facts an auditor wants about the session and the peer's certificate,
 * and DANE matching.
 *
 * RFC 3207 (STARTTLS), RFC 8314 (implicit TLS), RFC 6066 3 (SNI),
 * RFC 6125 (server identity: X509_check_host / X509_check_ip_asc),
 * RFC 6698, 7671 and 7672 (DANE TLSA, for SMTP), RFC 3339 (timestamps).
 *
 * Written against OpenSSL 3.0 (Debian 12) and newer: no API here is newer
 * than 3.0, and none is deprecated in 3.0.
 *
 * Nothing here is enforced: the handshake runs with SSL_VERIFY_NONE and
 * the verification result is read afterwards, because SMTP between MTAs
 * is opportunistic (RFC 3207 4.1) and the probe reports, it does not
 * decide.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "result.h"
#include "tls.h"
#include "util.h"

struct tls_ctx {
	SSL_CTX		*ctx;
	int		 store_loaded;	/* the system trust store, loaded lazily */
};

struct tls_conn {
	SSL		*ssl;
	int		 alert_recv;	/* last alert received, -1: none */
	int		 alert_sent;	/* last fatal alert sent, -1: none */
	char		 err[512];
};

static const char *tls_reason(unsigned long);
static int	 tls_is_ip(const char *);
static void	 tls_info_cb(const SSL *, int, int);
static int	 tls_map(struct tls_conn *, int, const char *);
static char	*tls_name_str(const X509_NAME *);
static char	*tls_time_str(const ASN1_TIME *, struct tm *);
static long	 tls_days_left(const struct tm *, time_t);
static int64_t	 tls_days_from_civil(int64_t, int, int);
static char	*tls_printable(const unsigned char *, int);
static void	 tls_sans(X509 *, struct tls_cert *);
static void	 tls_cert_fill(X509 *, time_t, struct tls_cert *);
static int	 tls_tlsa_cmp(X509 *, const struct tlsa_rec *);
static int	 tls_issued_chain(STACK_OF(X509) *, int);

/* OpenSSL's reason for an error code, never NULL */
static const char *
tls_reason(unsigned long e)
{
	const char	*s;

	if (e == 0)
		return "unknown error";
	if ((s = ERR_reason_error_string(e)) == NULL)
		return "unknown OpenSSL error";
	return s;
}

/*
 * tls_ctx_new - a client context that reports old servers rather than
 * missing them, with the trust store loaded but not enforced
 */
struct tls_ctx *
tls_ctx_new(const char *cafile, char *err, size_t errlen)
{
	struct tls_ctx	*t;
	SSL_CTX		*ctx;
	FILE		*fp;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		snprintf(err, errlen, "SSL_CTX_new: %s",
		    tls_reason(ERR_get_error()));
		ERR_clear_error();
		return NULL;
	}
	/*
	 * An auditor must see TLS 1.0 and 1.1 servers, and servers with
	 * 1024-bit keys or SHA-1 signatures, to report them: OpenSSL 3's
	 * defaults (security level 1 or 2 from the system openssl.cnf,
	 * TLS 1.2 minimum on some distributions) would make such a
	 * handshake fail, and the probe would report "no TLS" instead of
	 * "weak TLS".  Level 0 also allows TLS 1.0/1.1's SHA-1/MD5
	 * handshake signatures.  Nothing secret is sent over this session.
	 */
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1)
		goto ssl_fail;
	SSL_CTX_set_security_level(ctx, 0);
	/* verify, record, never abort: see SSL_get_verify_result() */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (cafile != NULL) {
		/* fopen first: OpenSSL's "system lib" says less than errno */
		if ((fp = fopen(cafile, "r")) == NULL) {
			snprintf(err, errlen, "%s: %s", cafile, strerror(errno));
			goto fail;
		}
		fclose(fp);
		if (SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) {
			snprintf(err, errlen, "%s: no usable PEM certificate (%s)",
			    cafile, tls_reason(ERR_peek_error()));
			goto fail;
		}
	}
	/*
	 * The system trust store (some 150 certificates to parse, tens of
	 * milliseconds) is loaded on the first TLS session, not here: most
	 * runs of a batch against servers without STARTTLS never need it.
	 */
	/*
	 * The probe's buffers move (struct buf) and a short write is
	 * fine: the loop calls again when the fd is writable.
	 */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

	t = xmalloc(sizeof(*t));
	t->ctx = ctx;
	t->store_loaded = cafile != NULL;
	ERR_clear_error();
	return t;

 ssl_fail:
	snprintf(err, errlen, "SSL_CTX setup: %s",
	    tls_reason(ERR_peek_error()));
 fail:
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * tls_ctx_free - release a context; sessions made from it hold their own
 * reference, so they may outlive it.  NULL does nothing.
 */
void
tls_ctx_free(struct tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

/* an IPv4 or IPv6 literal, with or without [brackets] */
static int
tls_is_ip(const char *s)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	char		 buf[INET6_ADDRSTRLEN + 2];
	size_t		 len;

	if (inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1)
		return 1;
	len = strlen(s);
	if (len > 2 && len < sizeof(buf) && s[0] == '[' && s[len - 1] == ']') {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		return inet_pton(AF_INET6, buf, &a6) == 1;
	}
	return 0;
}

/* remember alerts: SSL_get_error() only says "SSL" */
static void
tls_info_cb(const SSL *ssl, int where, int ret)
{
	struct tls_conn	*c = SSL_get_app_data(ssl);

	if (c == NULL || !(where & SSL_CB_ALERT))
		return;
	if (where & SSL_CB_READ)
		c->alert_recv = ret;
	else if ((ret >> 8) == SSL3_AL_FATAL)
		c->alert_sent = ret;
}

/*
 * tls_conn_new - a client session over a borrowed fd, sending SNI for
 * DNS names only (RFC 6066 3: "Literal IPv4 and IPv6 addresses are not
 * permitted in HostName", and no trailing dot)
 */
struct tls_conn *
tls_conn_new(struct tls_ctx *t, int fd, const char *sni, char *err,
    size_t errlen)
{
	struct tls_conn	*c;
	char		 name[256];
	size_t		 len;

	if (!t->store_loaded) {
		t->store_loaded = 1;
		/* without a store every chain is reported unverified: not fatal */
		if (SSL_CTX_set_default_verify_paths(t->ctx) != 1)
			ERR_clear_error();
	}
	c = xmalloc(sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->alert_recv = c->alert_sent = -1;
	if ((c->ssl = SSL_new(t->ctx)) == NULL)
		goto ssl_fail;
	SSL_set_app_data(c->ssl, c);
	SSL_set_info_callback(c->ssl, tls_info_cb);
	/* a socket BIO with BIO_NOCLOSE: SSL_free() leaves fd open */
	if (SSL_set_fd(c->ssl, fd) != 1)
		goto ssl_fail;
	if (sni != NULL && *sni != '\0' && !tls_is_ip(sni)) {
		len = strlen(sni);
		if (len > 1 && sni[len - 1] == '.')
			len--;
		if (len >= sizeof(name)) {
			snprintf(err, errlen, "server name too long for SNI");
			goto fail;
		}
		memcpy(name, sni, len);
		name[len] = '\0';
		if (SSL_set_tlsext_host_name(c->ssl, name) != 1)
			goto ssl_fail;
	}
	SSL_set_connect_state(c->ssl);
	ERR_clear_error();
	return c;

 ssl_fail:
	snprintf(err, errlen, "SSL session setup: %s",
	    tls_reason(ERR_peek_error()));
 fail:
	ERR_clear_error();
	SSL_free(c->ssl);
	free(c);
	return NULL;
}

/*
 * tls_conn_free - free the session without sending close_notify (the
 * caller may SSL-shut down by other means; the fd stays open).  NULL does
 * nothing.
 */
void
tls_conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	free(c);
}

/*
 * Map an SSL_* return value to TLS_*, saving a reason for TLS_ERR and
 * TLS_EOF.  The caller cleared the error queue before the call, so what
 * is queued now is ours; the queue is left empty.
 */
static int
tls_map(struct tls_conn *c, int ret, const char *op)
{
	unsigned long	 e;
	int		 se, saved = errno, n, rv;
	char		 ebuf[256];

	se = SSL_get_error(c->ssl, ret);
	switch (se) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(c->err, sizeof(c->err), "%s: closed by the peer "
		    "(close_notify)", op);
		ERR_clear_error();
		return TLS_EOF;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			ERR_clear_error();
			if (saved == 0) {
				snprintf(c->err, sizeof(c->err),
				    "%s: unexpected EOF", op);
				return TLS_EOF;
			}
			snprintf(c->err, sizeof(c->err), "%s: %s", op,
			    strerror(saved));
			return TLS_ERR;
		}
		break;
	default:
		break;
	}

	/*
	 * OpenSSL 3 reports a TCP EOF without close_notify as an
	 * SSL_ERROR_SSL "unexpected eof while reading" unless
	 * SSL_OP_IGNORE_UNEXPECTED_EOF is set (it is not: truncation is
	 * worth knowing); 1.1.1 said SSL_ERROR_SYSCALL with errno 0.
	 */
	rv = TLS_ERR;
	e = ERR_get_error();
	if (e != 0) {
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			rv = TLS_EOF;
		/* the reason alone ("wrong version number"), not OpenSSL's codes */
		if (ERR_reason_error_string(e) != NULL)
			snprintf(ebuf, sizeof(ebuf), "%s", ERR_reason_error_string(e));
		else
			ERR_error_string_n(e, ebuf, sizeof(ebuf));
	} else
		snprintf(ebuf, sizeof(ebuf), "SSL error %d", se);
	n = snprintf(c->err, sizeof(c->err), "%s: %s", op, ebuf);
	if (n > 0 && (size_t)n < sizeof(c->err) && c->alert_recv != -1)
		n += snprintf(c->err + n, sizeof(c->err) - (size_t)n,
		    " (alert received: %s)",
		    SSL_alert_desc_string_long(c->alert_recv));
	else if (n > 0 && (size_t)n < sizeof(c->err) && c->alert_sent != -1 &&
	    rv != TLS_EOF)	/* 3.0 "sends" decode_error on a TCP EOF */
		n += snprintf(c->err + n, sizeof(c->err) - (size_t)n,
		    " (alert sent: %s)",
		    SSL_alert_desc_string_long(c->alert_sent));
	ERR_clear_error();
	return rv;
}

/*
 * tls_handshake - one non-blocking handshake step.  An EOF from the peer
 * during the handshake is a failure (TLS_ERR, "unexpected EOF"), as the
 * contract in tls.h has no TLS_EOF here.
 */
int
tls_handshake(struct tls_conn *c)
{
	int	 ret, rv;

	ERR_clear_error();
	errno = 0;
	c->alert_recv = c->alert_sent = -1;
	if ((ret = SSL_do_handshake(c->ssl)) == 1)
		return TLS_OK;
	rv = tls_map(c, ret, "handshake");
	return rv == TLS_EOF ? TLS_ERR : rv;
}

/*
 * tls_read - up to len bytes (at most INT_MAX per call): > 0, or
 * TLS_WANT_READ / TLS_WANT_WRITE (renegotiation, TLS 1.3 tickets),
 * TLS_EOF or TLS_ERR
 */
ssize_t
tls_read(struct tls_conn *c, void *buf, size_t len)
{
	int	 ret;

	if (len == 0)
		return 0;
	if (len > INT_MAX)
		len = INT_MAX;
	ERR_clear_error();
	errno = 0;
	c->alert_recv = c->alert_sent = -1;
	if ((ret = SSL_read(c->ssl, buf, (int)len)) > 0)
		return ret;
	return tls_map(c, ret, "read");
}

/*
 * tls_write - up to len bytes; partial writes are allowed, and after
 * TLS_WANT_* the caller may retry from a moved buffer
 */
ssize_t
tls_write(struct tls_conn *c, const void *buf, size_t len)
{
	int	 ret;

	if (len == 0)
		return 0;
	if (len > INT_MAX)
		len = INT_MAX;
	ERR_clear_error();
	errno = 0;
	c->alert_recv = c->alert_sent = -1;
	if ((ret = SSL_write(c->ssl, buf, (int)len)) > 0)
		return ret;
	return tls_map(c, ret, "write");
}

/*
 * tls_error - the reason for the last TLS_ERR or TLS_EOF; "" if none.
 * Valid until the next call on c.
 */
const char *
tls_error(const struct tls_conn *c)
{
	return c->err;
}

/* RFC 2253 one-line form; non-ASCII is escaped (\XX), so it is ASCII */
static char *
tls_name_str(const X509_NAME *name)
{
	BIO	*bio;
	char	*data, *s;
	long	 len;

	if (name == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		return xstrdup("");
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0)
		len = 0;
	else
		len = BIO_get_mem_data(bio, &data);
	s = len > 0 ? xstrndup(data, (size_t)len) : xstrdup("");
	BIO_free(bio);
	return s;
}

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant) */
static int64_t
tls_days_from_civil(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* floor((t - now) / 86400), without timegm() or a 32-bit time_t */
static long
tls_days_left(const struct tm *tm, time_t now)
{
	int64_t	 t, diff;

	t = tls_days_from_civil((int64_t)tm->tm_year + 1900, tm->tm_mon + 1,
	    tm->tm_mday) * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 +
	    tm->tm_sec;
	diff = t - (int64_t)now;
	if (diff >= 0)
		return (long)(diff / 86400);
	return (long)-((-diff + 86399) / 86400);
}

/* RFC 3339 UTC, "2026-11-29T08:00:00Z"; NULL if unparsable */
static char *
tls_time_str(const ASN1_TIME *t, struct tm *tm)
{
	char	 buf[32];

	memset(tm, 0, sizeof(*tm));
	if (t == NULL || ASN1_TIME_to_tm(t, tm) != 1)
		return NULL;
	if (strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", tm) == 0)
		return NULL;
	return xstrdup(buf);
}

/*
 * A SAN's bytes as a C string: an embedded NUL (the null-prefix attack)
 * or a control character becomes '?', so the report shows it.
 */
static char *
tls_printable(const unsigned char *p, int len)
{
	char	*s;
	int	 i;

	if (p == NULL || len < 0)
		len = 0;
	s = xmalloc((size_t)len + 1);
	for (i = 0; i < len; i++)
		s[i] = (p[i] < 0x20 || p[i] == 0x7f) ? '?' : (char)p[i];
	s[len] = '\0';
	return s;
}

/* subjectAltName: "DNS:name" and "IP:address" entries, in order */
static void
tls_sans(X509 *x, struct tls_cert *out)
{
	GENERAL_NAMES		*gens;
	const GENERAL_NAME	*g;
	const unsigned char	*p;
	char			 abuf[INET6_ADDRSTRLEN], *v;
	int			 i, n, len;

	if ((gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
	    NULL)) == NULL)
		return;
	n = sk_GENERAL_NAME_num(gens);
	out->sans = xreallocarray(NULL, n > 0 ? (size_t)n : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS) {
			v = tls_printable(ASN1_STRING_get0_data(g->d.dNSName),
			    ASN1_STRING_length(g->d.dNSName));
			out->sans[out->nsans++] = xasprintf("DNS:%s", v);
			free(v);
		} else if (g->type == GEN_IPADD) {
			p = ASN1_STRING_get0_data(g->d.iPAddress);
			len = ASN1_STRING_length(g->d.iPAddress);
			if ((len == 4 && inet_ntop(AF_INET, p, abuf,
			    sizeof(abuf)) != NULL) || (len == 16 &&
			    inet_ntop(AF_INET6, p, abuf, sizeof(abuf)) != NULL))
				out->sans[out->nsans++] = xasprintf("IP:%s",
				    abuf);
			else
				out->sans[out->nsans++] = xasprintf(
				    "IP:<%d bytes>", len);
		}
		/* XXX email, URI, otherName (SRV-ID, RFC 4985) not shown */
	}
	GENERAL_NAMES_free(gens);
}

/* lower-case hex of n bytes, no colons */
static char *
tls_hex(const unsigned char *md, size_t n)
{
	char	*s;
	size_t	 i;

	s = xmalloc(n * 2 + 1);
	for (i = 0; i < n; i++)
		snprintf(s + i * 2, 3, "%02x", md[i]);
	return s;
}

/* SHA-256 of the DER certificate: TLSA selector 0, matching type 1 */
static char *
tls_cert_sha256(X509 *x)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;

	if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1)
		return NULL;
	return tls_hex(md, mdlen);
}

/*
 * SHA-256 of the DER SubjectPublicKeyInfo: TLSA selector 1, matching
 * type 1 (RFC 6698 2.1.2, 2.1.3), what DANE-EE "3 1 1" records publish
 */
static char *
tls_spki_sha256(X509 *x)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned char	*der = NULL;
	unsigned int	 mdlen;
	int		 len;
	char		*hex = NULL;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	if (len > 0 && EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(),
	    NULL) == 1)
		hex = tls_hex(md, mdlen);
	OPENSSL_free(der);
	return hex;
}

/* the certificate as PEM text ("-----BEGIN CERTIFICATE-----\n...") */
static char *
tls_cert_pem(X509 *x)
{
	BIO	*bio;
	char	*data, *pem = NULL;
	long	 len;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_X509(bio, x) == 1 &&
	    (len = BIO_get_mem_data(bio, &data)) > 0)
		pem = xstrndup(data, (size_t)len);
	BIO_free(bio);
	return pem;
}

/*
 * The chain as the peer sent it, leaf first, at most TLS_CHAIN_MAX
 * certificates (OpenSSL already bounds the whole list: max_cert_list);
 * the PEM text only with keep_pem.
 */
static void
tls_chain_fill(STACK_OF(X509) *chain, int keep_pem, struct tls_result *out)
{
	struct tls_chain_cert	*cc;
	X509			*x;
	size_t			 i, n;

	n = (size_t)sk_X509_num(chain);
	if (n > TLS_CHAIN_MAX)
		n = TLS_CHAIN_MAX;
	if (n == 0)
		return;
	out->chain = xcalloc(n, sizeof(*out->chain));
	for (i = 0; i < n; i++) {
		x = sk_X509_value(chain, (int)i);
		cc = &out->chain[out->nchain++];
		cc->subject = tls_name_str(X509_get_subject_name(x));
		cc->issuer = tls_name_str(X509_get_issuer_name(x));
		cc->sha256 = tls_cert_sha256(x);
		cc->spki_sha256 = tls_spki_sha256(x);
		if (keep_pem)
			cc->pem = tls_cert_pem(x);
	}
	ERR_clear_error();
}

/* every struct tls_cert field of x; out's previous contents are freed */
static void
tls_cert_fill(X509 *x, time_t now, struct tls_cert *out)
{
	static const struct {
		int		 id;
		const char	*name;
	} keytypes[] = {
		{ EVP_PKEY_RSA, "RSA" }, { EVP_PKEY_RSA_PSS, "RSA-PSS" },
		{ EVP_PKEY_EC, "EC" }, { EVP_PKEY_DSA, "DSA" },
		{ EVP_PKEY_ED25519, "ED25519" }, { EVP_PKEY_ED448, "ED448" },
	};
	const X509_ALGOR	*alg;
	const ASN1_OBJECT	*obj;
	EVP_PKEY		*pk;
	const char		*kt;
	char			 buf[128];
	struct tm		 tm;
	size_t			 k;
	int			 id;

	result_cert_clear(out);
	out->subject = tls_name_str(X509_get_subject_name(x));
	out->issuer = tls_name_str(X509_get_issuer_name(x));
	tls_sans(x, out);
	out->not_before = tls_time_str(X509_get0_notBefore(x), &tm);
	out->not_after = tls_time_str(X509_get0_notAfter(x), &tm);
	if (out->not_after != NULL)
		out->days_left = tls_days_left(&tm, now);

	if ((pk = X509_get0_pubkey(x)) != NULL) {
		/*
		 * The base id first: stable short names across 3.x.
		 * EVP_PKEY_get0_type_name() covers provider-only keys.
		 */
		id = EVP_PKEY_get_base_id(pk);
		kt = NULL;
		for (k = 0; k < nitems(keytypes); k++)
			if (keytypes[k].id == id)
				kt = keytypes[k].name;
		if (kt == NULL)
			kt = EVP_PKEY_get0_type_name(pk);
		if (kt == NULL && id != NID_undef)
			kt = OBJ_nid2sn(id);
		out->key_type = xstrdup(kt != NULL ? kt : "unknown");
		out->key_bits = EVP_PKEY_get_bits(pk);
	} else
		out->key_type = xstrdup("unknown");

	/* the long name: "sha256WithRSAEncryption"; else the dotted OID */
	X509_get0_signature(NULL, &alg, x);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (obj == NULL || OBJ_obj2txt(buf, sizeof(buf), obj, 0) <= 0)
		snprintf(buf, sizeof(buf), "unknown");
	out->sig_alg = xstrdup(buf);

	out->sha256 = tls_cert_sha256(x);
	out->spki_sha256 = tls_spki_sha256(x);
	/*
	 * Names and key identifiers match and the certificate's own key
	 * verifies its signature (X509_self_signed(), OpenSSL 3.0); unlike
	 * X509_check_issued() this does not depend on keyUsage.
	 */
	out->self_signed = X509_self_signed(x, 1) == 1;
	ERR_clear_error();
}

/*
 * tls_facts - the session and the peer certificate, after the handshake.
 * Fields of out that it sets are freed first, so it may be called again;
 * out must be zeroed or hold owned strings (result.h).
 */
void
tls_facts(struct tls_conn *c, const char *name, time_t now, int keep_pem,
    struct tls_result *out)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	STACK_OF(X509)		*chain;
	const SSL_CIPHER	*cipher;
	EVP_PKEY		*tmp = NULL;
	X509			*leaf;
	const char		*s;
	char			 host[256], abuf[INET6_ADDRSTRLEN];
	size_t			 len;
	long			 v;
	int			 nid, fd;

	free(out->version);
	free(out->cipher);
	free(out->group);
	free(out->verify.chain_error);
	free(out->verify.name);
	out->version = out->cipher = out->group = NULL;
	out->verify.chain_error = out->verify.name = NULL;
	out->verify.chain_ok = out->verify.name_ok = 0;
	result_cert_clear(&out->cert);
	out->have_cert = 0;
	out->chain_len = 0;
	result_chain_free(out->chain, out->nchain);
	out->chain = NULL;
	out->nchain = 0;
	out->pem_kept = keep_pem;

	out->version = xstrdup(SSL_get_version(c->ssl));
	if ((cipher = SSL_get_current_cipher(c->ssl)) != NULL)
		out->cipher = xstrdup(SSL_CIPHER_get_name(cipher));

	/*
	 * The negotiated group (ECDHE or FFDHE, TLS 1.2 and 1.3).  3.0's
	 * SSL_group_to_name() gives the TLS name ("x25519", "secp256r1");
	 * for a TLS 1.2 DHE exchange without a named group, the server's
	 * ephemeral key says "DH-<bits>".
	 */
	nid = SSL_get_negotiated_group(c->ssl);
	if (nid > 0 && (s = SSL_group_to_name(c->ssl, nid)) != NULL)
		out->group = xstrdup(s);
	else if (SSL_get_peer_tmp_key(c->ssl, &tmp) == 1 && tmp != NULL) {
		if (EVP_PKEY_get_base_id(tmp) == EVP_PKEY_DH)
			out->group = xasprintf("DH-%d", EVP_PKEY_get_bits(tmp));
		else if ((s = EVP_PKEY_get0_type_name(tmp)) != NULL)
			out->group = xstrdup(s);
		EVP_PKEY_free(tmp);
	}

	if ((chain = SSL_get_peer_cert_chain(c->ssl)) != NULL) {
		out->chain_len = sk_X509_num(chain);	/* leaf included */
		tls_chain_fill(chain, keep_pem, out);
	}

	if ((leaf = SSL_get0_peer_certificate(c->ssl)) == NULL) {
		out->verify.chain_error = xstrdup("no peer certificate");
	} else {
		out->have_cert = 1;
		tls_cert_fill(leaf, now, &out->cert);
		/* computed during the handshake although not enforced */
		if ((v = SSL_get_verify_result(c->ssl)) == X509_V_OK)
			out->verify.chain_ok = 1;
		else
			out->verify.chain_error =
			    xstrdup(X509_verify_cert_error_string(v));
	}

	/* the name: given, else the peer's address (a direct probe) */
	if (name == NULL || *name == '\0') {
		fd = SSL_get_fd(c->ssl);
		name = NULL;
		if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss,
		    &sslen) == 0) {
			if (ss.ss_family == AF_INET)
				name = inet_ntop(AF_INET, &((struct sockaddr_in *)
				    &ss)->sin_addr, abuf, sizeof(abuf));
			else if (ss.ss_family == AF_INET6)
				name = inet_ntop(AF_INET6, &((struct
				    sockaddr_in6 *)&ss)->sin6_addr, abuf,
				    sizeof(abuf));
		}
		if (name == NULL)
			return;
	}
	out->verify.name = xstrdup(name);
	if (leaf == NULL)
		return;

	/* RFC 6125 6.4: no trailing dot, no brackets, no partial wildcards */
	len = strlen(name);
	if (len >= sizeof(host))
		return;
	memcpy(host, name, len + 1);
	if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
		memmove(host, host + 1, len - 2);
		host[len - 2] = '\0';
	} else if (len > 1 && host[len - 1] == '.')
		host[len - 1] = '\0';
	if (tls_is_ip(host))
		out->verify.name_ok = X509_check_ip_asc(leaf, host, 0) == 1;
	else
		out->verify.name_ok = X509_check_host(leaf, host, 0,
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	ERR_clear_error();
}

/* 1 if x matches rec (selector, matching type), 0 if not, -1 unusable */
static int
tls_tlsa_cmp(X509 *x, const struct tlsa_rec *rec)
{
	unsigned char	*der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	const EVP_MD	*type;
	int		 len, rv = 0;

	switch (rec->selector) {
	case 0:
		len = i2d_X509(x, &der);
		break;
	case 1:
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
		break;
	default:
		return -1;
	}
	if (len <= 0)
		return 0;
	switch (rec->mtype) {
	case 0:
		rv = rec->len == (size_t)len &&
		    memcmp(der, rec->data, rec->len) == 0;
		break;
	case 1:
	case 2:
		type = rec->mtype == 1 ? EVP_sha256() : EVP_sha512();
		if (EVP_Digest(der, (size_t)len, md, &mdlen, type, NULL) == 1)
			rv = rec->len == mdlen &&
			    memcmp(md, rec->data, mdlen) == 0;
		break;
	default:
		rv = -1;
		break;
	}
	OPENSSL_free(der);
	return rv;
}

/*
 * 1 if chain[0] .. chain[depth - 1] each carry the signature of the next
 * certificate: then chain[depth] really issued the leaf's chain.  Without
 * this, a man in the middle could append the genuine trust anchor to
 * its own certificate and "match" a DANE-TA record.
 */
static int
tls_issued_chain(STACK_OF(X509) *chain, int depth)
{
	X509		*sub, *iss;
	EVP_PKEY	*pk;
	int		 i;

	for (i = 0; i < depth; i++) {
		sub = sk_X509_value(chain, i);
		iss = sk_X509_value(chain, i + 1);
		if (X509_check_issued(iss, sub) != X509_V_OK)
			return 0;
		if ((pk = X509_get0_pubkey(iss)) == NULL ||
		    X509_verify(sub, pk) != 1)
			return 0;
	}
	return 1;
}

/*
 * 1 if chain[1] .. chain[depth - 1], the intermediates between the leaf
 * and a DANE-TA trust anchor at depth, are within their validity
 * period: RFC 7672 3.1.2 keeps PKIX chain checks below the anchor (the
 * leaf's own dates are in tls_cert; the anchor's are not checked, as
 * for any trust anchor, RFC 5280 6.1.1 (d)).
 */
static int
tls_intermediates_current(STACK_OF(X509) *chain, int depth)
{
	X509	*x;
	int	 i;

	for (i = 1; i < depth; i++) {
		x = sk_X509_value(chain, i);
		if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0 ||
		    X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
			return 0;
	}
	return 1;
}

/*
 * tls_dane_match - RFC 7672 3.1: DANE-EE(3) against the leaf's
 * certificate or key; DANE-TA(2) against an issuer the server sent
 * (RFC 7671 5.2.2: the TA must be in the chain unless it is given as a
 * key, which we cannot use without its certificate either), that really
 * signed the chain below it.  PKIX-TA(0) and PKIX-EE(1), unknown
 * selectors and matching types, and digests of the wrong length are
 * unusable (-1; RFC 7672 3.1.3, RFC 7671 4.1 and 5).  A DANE-TA match
 * also records whether the intermediates below the anchor are within
 * their dates (ta_dates_bad).  What a match means for the name, chain
 * and dates is decided by dane_judge() (dane.h), not here.
 */
int
tls_dane_match(struct tls_conn *c, struct tlsa_rec *recs, size_t n)
{
	STACK_OF(X509)	*chain;
	X509		*leaf;
	size_t		 i;
	int		 d, nchain, nmatched = 0, r;

	leaf = SSL_get0_peer_certificate(c->ssl);
	chain = SSL_get_peer_cert_chain(c->ssl);
	nchain = chain != NULL ? sk_X509_num(chain) : 0;
	for (i = 0; i < n; i++) {
		recs[i].matched = 0;
		recs[i].ta_dates_bad = 0;
		if ((recs[i].usage != 2 && recs[i].usage != 3) ||
		    recs[i].selector > 1 || recs[i].mtype > 2 ||
		    (recs[i].mtype == 0 && recs[i].len == 0) ||
		    (recs[i].mtype == 1 && recs[i].len != 32) ||
		    (recs[i].mtype == 2 && recs[i].len != 64)) {
			recs[i].matched = -1;
			continue;
		}
		if (leaf == NULL)
			continue;
		if (recs[i].usage == 3)
			r = tls_tlsa_cmp(leaf, &recs[i]);
		else {
			/* depth 0 is the leaf: a TA is an issuer above it */
			r = 0;
			for (d = 1; d < nchain && r != 1; d++)
				if (tls_tlsa_cmp(sk_X509_value(chain, d),
				    &recs[i]) == 1 &&
				    (r = tls_issued_chain(chain, d)) == 1)
					recs[i].ta_dates_bad =
					    !tls_intermediates_current(chain, d);
		}
		recs[i].matched = r;
		if (r == 1)
			nmatched++;
	}
	ERR_clear_error();
	return leaf == NULL ? -1 : nmatched;
}

/*
 * tls_cert_facts_pem - facts of the first certificate in a PEM file.
 * out must be zeroed or hold owned strings; it is cleared first.
 */
int
tls_cert_facts_pem(const char *path, time_t now, struct tls_cert *out,
    char *err, size_t errlen)
{
	FILE	*fp;
	X509	*x;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL) {
		snprintf(err, errlen, "%s: no PEM certificate (%s)", path,
		    tls_reason(ERR_peek_error()));
		ERR_clear_error();
		return -1;
	}
	tls_cert_fill(x, now, out);
	X509_free(x);
	return 0;
}

/*
 * tls_version_at_least - compare SSL_get_version() strings with TLS
 * major.minor: SSLv2 < SSLv3 < TLSv1 (1.0) < TLSv1.1 < ...  Unknown
 * strings compare as lowest (0).
 */
int
tls_version_at_least(const char *version, int major, int minor)
{
	int	 have, want, maj, min = 0;
	char	 c;

	if (version == NULL || major < 0 || minor < 0 || major > 9 ||
	    minor > 255)
		return 0;
	/* protocol numbers on the wire: SSLv3 3.0, TLS 1.x = 3.(x + 1) */
	if (strcmp(version, "SSLv2") == 0)
		have = 0x0200;
	else if (strcmp(version, "SSLv3") == 0)
		have = 0x0300;
	else if (strncmp(version, "TLSv", 4) == 0 &&
	    (sscanf(version + 4, "%d%c", &maj, &c) == 1 ||
	    (sscanf(version + 4, "%d.%d%c", &maj, &min, &c) == 2 &&
	    strchr(version, '.') != NULL)) && maj == 1 && min >= 0 &&
	    min < 250)
		have = 0x0301 + min;
	else
		return 0;
	want = major == 0 ? 0x0300 : 0x0200 + major * 0x100 + 1 + minor;
	return have >= want;
}

/* --tls-versions: index -> protocol number and SSL_get_version() name */
static const struct {
	const char	*name;
	int		 proto;
} tls_version_tab[TLS_NVERSIONS] = {
	{ "TLSv1", TLS1_VERSION },
	{ "TLSv1.1", TLS1_1_VERSION },
	{ "TLSv1.2", TLS1_2_VERSION },
	{ "TLSv1.3", TLS1_3_VERSION }
};

const char *
tls_versions_name(int i)
{
	return i >= 0 && i < TLS_NVERSIONS ? tls_version_tab[i].name : NULL;
}

struct tls_ctx *
tls_ctx_new_version(int i, char *err, size_t errlen)
{
	struct tls_ctx	*t;
	int		 v;

	if (i < 0 || i >= TLS_NVERSIONS) {
		snprintf(err, errlen, "no such TLS version index %d", i);
		return NULL;
	}
	if ((t = tls_ctx_new(NULL, err, errlen)) == NULL)
		return NULL;
	v = tls_version_tab[i].proto;
	/*
	 * OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1/MD5 handshake signatures)
	 * above level 0, also through the cipher string's own level; the
	 * system openssl.cnf may set both.  Probe contexts only.
	 */
	SSL_CTX_set_security_level(t->ctx, 0);
	if (SSL_CTX_set_cipher_list(t->ctx, "DEFAULT:@SECLEVEL=0") != 1 ||
	    SSL_CTX_set_min_proto_version(t->ctx, v) != 1 ||
	    SSL_CTX_set_max_proto_version(t->ctx, v) != 1) {
		snprintf(err, errlen, "SSL_CTX setup for %s: %s",
		    tls_version_tab[i].name, tls_reason(ERR_peek_error()));
		ERR_clear_error();
		tls_ctx_free(t);
		return NULL;
	}
	return t;
}

void
tls_versions_record(struct tls_versions *tv, int i, int accepted,
    const char *cipher, const char *error)
{
	struct tls_version_probe	*vp;

	if (i < 0 || i >= TLS_NVERSIONS)
		return;
	vp = &tv->v[i];
	free(vp->cipher);
	free(vp->error);
	vp->accepted = accepted > 0 ? 1 : accepted == 0 ? 0 : -1;
	vp->cipher = vp->accepted == 1 && cipher != NULL ?
	    xstrdup(cipher) : NULL;
	vp->error = error != NULL ? xstrdup(error) : NULL;
	tv->probed = 1;
}

/* RFC 8996 2 (TLS 1.0) and 3 (TLS 1.1): MUST NOT be negotiated */
int
tls_versions_legacy(const struct tls_versions *tv)
{
	return tv->probed && (tv->v[0].accepted == 1 ||
	    tv->v[1].accepted == 1);
}

int
tls_min_version_met(const struct tls_result *t, int minor)
{
	int	 i;

	if (t->versions.probed) {
		/* index i is TLS 1.i: every version below 1.minor refused */
		for (i = 0; i < minor && i < TLS_NVERSIONS; i++)
			if (t->versions.v[i].accepted == 1)
				return 0;
		return 1;
	}
	return tls_version_at_least(t->version, 1, minor);
}
