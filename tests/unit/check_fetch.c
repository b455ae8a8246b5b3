/* SPDX-License-Identifier: ISC */
/*
 * check_fetch - the HTTPS fetcher on the event loop against a real TLS
 * server: openssl s_server -WWW (it serves files of its working
 * directory, .html as text/html, the rest as text/plain) on 127.0.0.20,
 * with the certificates of tests/tls/mkcerts.sh (mx.tls.test, signed by
 * the test CA).  What is checked: a good fetch, the certificate refused
 * without the CA file and for another name, the size cap, the media
 * type as sent, a refused connection, and abort.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "loop.h"

#define FX_ADDR	"127.0.0.20"

static char	 fxdir[512];
static pid_t	 server = -1;
static uint16_t	 server_port;

static void
fx_write(const char *name, const char *data, size_t len)
{
	char	 path[700];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/www/%s", fxdir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static void
fx_setup(void)
{
	const char	*top, *tmp;
	char		 cmd[1200], line[256], *big;
	int		 pfd[2];
	FILE		*out;

#ifdef TOP_SRCDIR
	top = TOP_SRCDIR;
#else
	top = "../..";
#endif
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(fxdir, sizeof(fxdir), "%s/check_fetch.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(fxdir));
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/tls/mkcerts.sh' '%s' && mkdir '%s/www'",
	    top, fxdir, fxdir);
	ck_assert_int_eq(system(cmd), 0);
	fx_write("policy.txt", "version: STSv1\r\nmode: enforce\r\n", 31);
	fx_write("page.html", "<p>hi</p>\n", 10);
	big = malloc(70000);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', 70000);
	fx_write("big.txt", big, 70000);
	free(big);

	ck_assert_int_eq(pipe(pfd), 0);
	if ((server = fork()) == 0) {
		char	 cert[600], key[600], www[600];

		snprintf(cert, sizeof(cert), "%s/good.pem", fxdir);
		snprintf(key, sizeof(key), "%s/good.key", fxdir);
		snprintf(www, sizeof(www), "%s/www", fxdir);
		dup2(pfd[1], 1);
		close(pfd[0]);
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		if (chdir(www) == -1)
			_exit(127);
		execlp("openssl", "openssl", "s_server", "-WWW", "-accept",
		    FX_ADDR ":0", "-cert", cert, "-key", key, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	ck_assert_int_gt(server, 0);
	ck_assert_ptr_nonnull(out = fdopen(pfd[0], "r"));
	/* "ACCEPT 127.0.0.20:PORT": listening, and on which port */
	while (fgets(line, sizeof(line), out) != NULL) {
		char	*c;

		if (strncmp(line, "ACCEPT ", 7) == 0 &&
		    (c = strrchr(line, ':')) != NULL) {
			server_port = (uint16_t)atoi(c + 1);
			break;
		}
	}
	fclose(out);
	ck_assert_msg(server_port != 0, "openssl s_server did not start");
}

static void
fx_teardown(void)
{
	char	 cmd[600];

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fxdir);
	if (fxdir[0] != '\0' && system(cmd) != 0)
		fprintf(stderr, "check_fetch: could not remove %s\n", fxdir);
}

/* what the callback saw */
struct seen {
	int		 calls;
	enum fetch_error err;
	long		 status;
	char		 ctype[64];
	char		 body[128];
	size_t		 len;
};

static void
seen_cb(const struct fetch_response *r, void *arg)
{
	struct seen	*s = arg;

	s->calls++;
	s->err = r->err;
	s->status = r->status;
	snprintf(s->ctype, sizeof(s->ctype), "%s",
	    r->content_type != NULL ? r->content_type : "");
	snprintf(s->body, sizeof(s->body), "%s", r->body);
	s->len = r->len;
}

static void
run_fetch(const char *cafile, const char *host, uint16_t port, const char *path,
    struct seen *s)
{
	struct loop		*loop = loop_new();
	struct fetcher		*f;
	struct fetch_request	 rq = { host, FX_ADDR, port, path, 10000, 65536 };
	char			 err[256], ca[600];
	int			 turns = 0;

	snprintf(ca, sizeof(ca), "%s/%s", fxdir, cafile != NULL ? cafile : "");
	ck_assert_ptr_nonnull(f = fetcher_new(loop, cafile != NULL ? ca : NULL,
	    err, sizeof(err)));
	memset(s, 0, sizeof(*s));
	fetch_start(f, &rq, seen_cb, s);
	ck_assert_int_eq(s->calls, 0);	/* never from inside fetch_start */
	while (s->calls == 0 && turns++ < 100000)
		ck_assert_int_ne(loop_run_once(loop, 1000), -1);
	ck_assert_int_eq(s->calls, 1);
	ck_assert_uint_eq(fetcher_pending(f), 0);
	fetcher_free(f);
	ck_assert_uint_eq(loop_active_ios(loop), 0);
	loop_free(loop);
}

START_TEST(test_good)
{
	struct seen	 s;

	run_fetch("ca.pem", "mx.tls.test", server_port, "/policy.txt", &s);
	ck_assert_int_eq(s.err, FETCH_OK);
	ck_assert_int_eq(s.status, 200);
	ck_assert_str_eq(s.ctype, "text/plain");
	ck_assert_str_eq(s.body, "version: STSv1\r\nmode: enforce\r\n");
	ck_assert_uint_eq(s.len, 31);
}
END_TEST

START_TEST(test_media_type)
{
	struct seen	 s;

	run_fetch("ca.pem", "mx.tls.test", server_port, "/page.html", &s);
	ck_assert_int_eq(s.err, FETCH_OK);
	ck_assert_str_eq(s.ctype, "text/html");
}
END_TEST

START_TEST(test_untrusted)
{
	struct seen	 s;

	/* the system store does not hold the test CA */
	run_fetch(NULL, "mx.tls.test", server_port, "/policy.txt", &s);
	ck_assert_int_eq(s.err, FETCH_E_TLS);
	ck_assert_int_eq(s.status, 0);
	ck_assert_uint_eq(s.len, 0);
}
END_TEST

START_TEST(test_wrong_name)
{
	struct seen	 s;

	run_fetch("ca.pem", "mta-sts.other.test", server_port, "/policy.txt", &s);
	ck_assert_int_eq(s.err, FETCH_E_TLS);
}
END_TEST

START_TEST(test_too_large)
{
	struct seen	 s;

	run_fetch("ca.pem", "mx.tls.test", server_port, "/big.txt", &s);
	ck_assert_int_eq(s.err, FETCH_E_TOO_LARGE);
	ck_assert_uint_le(s.len, 65536);
}
END_TEST

START_TEST(test_refused)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	struct seen		 s;
	int			 fd;

	/* a port that was free a moment ago: nothing listens there */
	ck_assert_int_ge(fd = socket(AF_INET, SOCK_STREAM, 0), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, FX_ADDR, &sin.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	close(fd);
	run_fetch("ca.pem", "mx.tls.test", ntohs(sin.sin_port), "/policy.txt", &s);
	ck_assert_int_eq(s.err, FETCH_E_CONNECT);
}
END_TEST

START_TEST(test_abort)
{
	struct loop		*loop = loop_new();
	struct fetcher		*f;
	struct fetch_request	 rq = { "mx.tls.test", FX_ADDR, server_port,
				    "/policy.txt", 10000, 65536 };
	struct seen		 s[2];
	char			 err[256];

	ck_assert_ptr_nonnull(f = fetcher_new(loop, NULL, err, sizeof(err)));
	memset(s, 0, sizeof(s));
	fetch_start(f, &rq, seen_cb, &s[0]);
	fetch_start(f, &rq, seen_cb, &s[1]);
	ck_assert_uint_eq(fetcher_pending(f), 2);
	(void)loop_run_once(loop, 0);
	fetcher_abort(f);
	ck_assert_int_eq(s[0].calls, 1);
	ck_assert_int_eq(s[1].calls, 1);
	ck_assert_int_eq(s[0].err, FETCH_E_ABORTED);
	ck_assert_uint_eq(fetcher_pending(f), 0);
	/* started after the abort: refused, from the loop */
	memset(s, 0, sizeof(s));
	fetch_start(f, &rq, seen_cb, &s[0]);
	ck_assert_int_eq(s[0].calls, 0);
	(void)loop_run_once(loop, 1000);
	ck_assert_int_eq(s[0].calls, 1);
	ck_assert_int_eq(s[0].err, FETCH_E_ABORTED);
	ck_assert_uint_eq(fetcher_pending(f), 0);
	fetcher_free(f);
	ck_assert_uint_eq(loop_active_ios(loop), 0);
	ck_assert_uint_eq(loop_active_timers(loop), 0);
	loop_free(loop);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(fetch_error_name(FETCH_OK), "ok");
	ck_assert_str_eq(fetch_error_name(FETCH_E_TLS), "tls");
	ck_assert_str_eq(fetch_error_name(FETCH_E_TOO_LARGE), "too-large");
	ck_assert_str_eq(fetch_error_name(FETCH_E_LAST), "internal");
}
END_TEST

static Suite *
fetch_suite(void)
{
	Suite	*s = suite_create("fetch");
	TCase	*tc = tcase_create("https");

	tcase_add_unchecked_fixture(tc, fx_setup, fx_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_media_type);
	tcase_add_test(tc, test_untrusted);
	tcase_add_test(tc, test_wrong_name);
	tcase_add_test(tc, test_too_large);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_abort);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fetch_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
