/* SPDX-License-Identifier: ISC */
/*
 * check_fake - the test servers themselves: fakesmtp scenario parsing
 * and sessions (pipelining, delays, closes, overlong lines, expect), and
 * fakedns answers (NOERROR, NODATA, NXDOMAIN, CNAME chains, pseudo-types,
 * random input).  Clients are non-blocking sockets driven by the same
 * loop as the servers; every test ends with nothing left on the loop.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fakedns.h"
#include "fakesmtp.h"
#include "loop.h"
#include "util.h"

static struct loop	*loop;

static void
setup(void)
{
	loop = loop_new();
	ck_assert_ptr_nonnull(loop);
}

static void
teardown(void)
{
	ck_assert_msg(loop_active_ios(loop) == 0, "got %zu fds, want 0",
	    loop_active_ios(loop));
	ck_assert_msg(loop_active_timers(loop) == 0, "got %zu timers, want 0",
	    loop_active_timers(loop));
	loop_free(loop);
}

/* ---- a loop-driven client ------------------------------------------------ */

struct client {
	int		 fd;
	struct loop_io	 io;
	struct buf	 out;
	struct buf	 in;
	int		 done;
};

static void
client_io_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct client	*c = arg;
	char		 tmp[4096];
	ssize_t		 n;

	if ((revents & LOOP_WRITE) && c->out.len > 0) {
		n = send(fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n > 0)
			buf_consume(&c->out, (size_t)n);
	}
	if (revents & (LOOP_READ | LOOP_ERROR)) {
		while ((n = recv(fd, tmp, sizeof(tmp), 0)) > 0)
			buf_append(&c->in, tmp, (size_t)n);
		if (n == 0 || (n == -1 && errno != EAGAIN)) {
			c->done = 1;
			loop_io_stop(loop, &c->io);
			return;
		}
	}
	loop_io_set(loop, &c->io, LOOP_READ | (c->out.len > 0 ? LOOP_WRITE : 0));
}

static void
client_start(struct client *c, const char *addr, uint16_t port, const char *send)
{
	struct sockaddr_in	 sin;

	memset(c, 0, sizeof(*c));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(c->fd, 0);
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		ck_assert_int_eq(errno, EINPROGRESS);
	buf_append(&c->out, send, strlen(send));
	ck_assert_int_eq(loop_io_start(loop, &c->io, c->fd,
	    LOOP_READ | LOOP_WRITE, client_io_cb, c), 0);
}

/* run the loop until every client is done, at most ms */
static void
clients_run(struct client *cs, size_t n, int ms)
{
	uint64_t	 end = util_now_ms() + (uint64_t)ms;
	size_t		 i, done;

	for (;;) {
		for (i = done = 0; i < n; i++)
			done += cs[i].done;
		if (done == n || util_now_ms() > end)
			break;
		loop_run_once(loop, 20);
	}
	for (i = 0; i < n; i++) {
		loop_io_stop(loop, &cs[i].io);
		close(cs[i].fd);
		buf_free(&cs[i].out);
	}
}

/* ---- fakesmtp: scenario parsing ------------------------------------------- */

static const struct {
	const char	*text;
	const char	*err;	/* NULL: parses */
} parse_tests[] = {
	{ "# nothing\n\n", NULL },
	{ "welcome 220 a\r\nreply EHLO 250-a|250 b\nexpect EHLO x|QUIT\n", NULL },
	{ "raw VRFY \\x00\\xff\\r\\n\\|\n", NULL },
	{ "  delay  EXPN  40  \nclose TURN\nclose-after VRFY\nsilent\n", NULL },
	{ "welcome 220\nbogus x\n", "line 2: unknown directive" },
	{ "delay EXPN forty\n", "line 1: bad milliseconds" },
	{ "reply\n", "line 1: missing VERB" },
	{ "raw X \\q\n", "line 1: unknown escape" },
	{ "raw X \\x4\n", "line 1: \\x needs two hex digits" },
	{ "raw X abc\\\n", "line 1: backslash at end of line" },
	{ "close TURN now\n", "line 1: trailing text after VERB" },
	{ "silent yes\n", "line 1: silent takes no argument" },
	{ "expect A\nexpect B\n", "line 2: expect given twice" },
	{ "welcome-delay\n", "line 1: bad milliseconds" },
	{ "reply-arg VRFY postmaster 252 2.0.0 postmaster\n", NULL },
	{ "reply-arg VRFY\n", "line 1: missing ARGPREFIX" },
	{ "reply-arg\n", "line 1: missing VERB" },
	{ "reply-arg VRFY "
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 252 x\n",
	    "line 1: ARGPREFIX too long" },
};

START_TEST(test_script_parse)
{
	struct fakesmtp_script	*sc;
	char			 err[128] = "";

	sc = fakesmtp_script_parse(parse_tests[_i].text, err, sizeof(err));
	if (parse_tests[_i].err == NULL) {
		ck_assert_msg(sc != NULL, "got error \"%s\", want success", err);
	} else {
		ck_assert_msg(sc == NULL, "got success, want \"%s\"",
		    parse_tests[_i].err);
		ck_assert_str_eq(err, parse_tests[_i].err);
	}
	fakesmtp_script_free(sc);
}
END_TEST

/* ---- fakesmtp: sessions -------------------------------------------------- */

static const struct {
	const char	*script;
	const char	*send;
	const char	*want;		/* everything the client reads */
	unsigned long	 expect_failures;
} session_tests[] = {
	/* built-in defaults, pipelined in one packet */
	{ "", "EHLO x\r\nNOOP\r\nRSET\r\nFOO\r\nQUIT\r\nNOOP\r\n",
	    "220 fake.invalid ESMTP fakesmtp\r\n250 fake.invalid\r\n"
	    "250 2.0.0 OK\r\n250 2.0.0 OK\r\n500 5.5.2 Command not recognized\r\n"
	    "221 2.0.0 Bye\r\n", 0 },
	/* multi-line welcome and replies, case-insensitive verbs, bare LF in */
	{ "welcome 220-a\nwelcome 220 b\nreply EHLO 250-x|250 y\n"
	  "reply vrfy 252 2.1.5 maybe\ndefault 502 no\n"
	  "expect ehlo h|vrfy *|EXPN x|QUIT\n",
	    "ehlo h\nvrfy root\r\nEXPN x\r\nQUIT\r\n",
	    "220-a\r\n220 b\r\n250-x\r\n250 y\r\n252 2.1.5 maybe\r\n502 no\r\n"
	    "221 2.0.0 Bye\r\n", 0 },
	/* raw bytes, delays keep the order, close-after */
	{ "raw-welcome 220 bare\\n\nraw VRFY 250 no newline\ndelay VRFY 50\n"
	  "reply EXPN 550 x\nclose-after EXPN\n",
	    "VRFY a\r\nEXPN b\r\nTURN\r\n",
	    "220 bare\n250 no newline550 x\r\n", 0 },
	/* close without a reply; expect mismatch */
	{ "close TURN\nexpect EHLO a|TURN\n", "EHLO b\r\nTURN\r\nQUIT\r\n",
	    "220 fake.invalid ESMTP fakesmtp\r\n250 fake.invalid\r\n", 1 },
	/* the client stops early: a missing expected line is a failure */
	{ "expect EHLO a|VRFY b|QUIT\n", "EHLO a\r\nQUIT\r\n",
	    "220 fake.invalid ESMTP fakesmtp\r\n250 fake.invalid\r\n"
	    "221 2.0.0 Bye\r\n", 1 },
	/*
	 * reply-arg: by a prefix of the argument, any case, the longest
	 * prefix first; other arguments fall back to the VERB rule, and the
	 * VERB's close-after applies to the reply-arg rule too
	 */
	{ "reply-arg VRFY postmaster 252 2.0.0 postmaster\n"
	  "reply-arg VRFY post 250 short prefix\n"
	  "reply-arg vrfy postmaster@b 251 longest|251 two lines\n"
	  "reply VRFY 550 5.1.1 unknown\n"
	  "reply-arg EXPN x 250 list\nclose-after EXPN\n",
	    "VRFY postmaster\r\nvrfy POSTMASTER@b.test\r\nVRFY postal\r\n"
	    "VRFY smtpprobe-x\r\nVRFY\r\nNOOP postmaster\r\nEXPN xyz\r\n",
	    "220 fake.invalid ESMTP fakesmtp\r\n252 2.0.0 postmaster\r\n"
	    "251 longest\r\n251 two lines\r\n250 short prefix\r\n"
	    "550 5.1.1 unknown\r\n550 5.1.1 unknown\r\n250 2.0.0 OK\r\n"
	    "250 list\r\n", 0 },
	/* delayed welcome, scripted QUIT still closes */
	{ "welcome-delay 30\nreply QUIT 221 ciao\n", "QUIT\r\n",
	    "220 fake.invalid ESMTP fakesmtp\r\n221 ciao\r\n", 0 },
};

START_TEST(test_session)
{
	struct fakesmtp_script	*sc;
	struct fakesmtp		*srv;
	struct client		 c;
	char			 err[128];

	sc = fakesmtp_script_parse(session_tests[_i].script, err, sizeof(err));
	ck_assert_msg(sc != NULL, "%s", err);
	srv = fakesmtp_new(loop, sc, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_msg(srv != NULL, "%s", err);
	client_start(&c, "127.0.0.1", fakesmtp_port(srv), session_tests[_i].send);
	clients_run(&c, 1, 3000);
	ck_assert_msg(c.done, "server did not close");
	ck_assert_str_eq(c.in.data != NULL ? c.in.data : "", session_tests[_i].want);
	/* the server closes after the client saw EOF: let it finish */
	for (int k = 0; k < 50 && fakesmtp_stats(srv)->current > 0; k++)
		loop_run_once(loop, 20);
	ck_assert_msg(fakesmtp_stats(srv)->expect_failures ==
	    session_tests[_i].expect_failures, "got %lu expect failures, want %lu",
	    fakesmtp_stats(srv)->expect_failures,
	    session_tests[_i].expect_failures);
	ck_assert_uint_eq(fakesmtp_stats(srv)->connections, 1);
	buf_free(&c.in);
	fakesmtp_free(srv);
	fakesmtp_script_free(sc);
}
END_TEST

START_TEST(test_long_line)
{
	struct fakesmtp_script	*sc;
	struct fakesmtp		*srv;
	struct client		 c;
	struct buf		 send = { 0 };
	char			 err[128];
	int			 i;

	for (i = 0; i < 5000; i++)
		buf_append(&send, "x", 1);
	buf_append(&send, "\r\nNOOP\r\nQUIT\r\n", 14);
	sc = fakesmtp_script_parse("", err, sizeof(err));
	srv = fakesmtp_new(loop, sc, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(srv);
	client_start(&c, "127.0.0.1", fakesmtp_port(srv), send.data);
	clients_run(&c, 1, 3000);
	ck_assert_str_eq(c.in.data, "220 fake.invalid ESMTP fakesmtp\r\n"
	    "500 5.5.6 Line too long\r\n250 2.0.0 OK\r\n221 2.0.0 Bye\r\n");
	buf_free(&c.in);
	buf_free(&send);
	fakesmtp_free(srv);
	fakesmtp_script_free(sc);
}
END_TEST

/* many clients at once, some vanishing mid-delay; free with sessions open */
START_TEST(test_many_and_free)
{
	struct fakesmtp_script	*sc;
	struct fakesmtp		*srv;
	struct client		 cs[40];
	char			 err[128];
	size_t			 i;

	sc = fakesmtp_script_parse("delay VRFY 20\nsilent\n", err, sizeof(err));
	srv = fakesmtp_new(loop, sc, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(srv);
	for (i = 0; i < nitems(cs); i++)
		client_start(&cs[i], "127.0.0.1", fakesmtp_port(srv),
		    i % 2 ? "VRFY a\r\nQUIT\r\n" : "VRFY a\r\n");
	for (i = 0; i < 50 && fakesmtp_stats(srv)->connections < nitems(cs); i++)
		loop_run_once(loop, 20);
	ck_assert_uint_eq(fakesmtp_stats(srv)->connections, nitems(cs));
	ck_assert_uint_eq(fakesmtp_stats(srv)->max_concurrent, nitems(cs));
	/* even clients vanish before their delayed reply */
	for (i = 0; i < nitems(cs); i += 2) {
		loop_io_stop(loop, &cs[i].io);
		close(cs[i].fd);
		cs[i].fd = -1;
		cs[i].done = 1;
	}
	clients_run(cs, nitems(cs), 3000);
	for (i = 1; i < nitems(cs); i += 2) {
		ck_assert_str_eq(cs[i].in.data,
		    "500 5.5.2 Command not recognized\r\n221 2.0.0 Bye\r\n");
		buf_free(&cs[i].in);
	}
	fakesmtp_free(srv);	/* with lingering or open sessions */
	fakesmtp_script_free(sc);
}
END_TEST

/* ---- fakedns ------------------------------------------------------------- */

static const char fake_zone[] =
	"# test zone\n"
	"example.test MX 10 mx.example.test.\n"
	"example.test MX 20 mx2.example.test\n"
	"mx.example.test A 192.0.2.1\n"
	"mx.example.test AAAA 2001:db8::1\n"
	"alias.example.test CNAME mx.example.test.\n"
	"a2.example.test CNAME alias.example.test\n"
	"dangling.example.test CNAME nowhere.example.test\n"
	"loop1.example.test CNAME loop2.example.test\n"
	"loop2.example.test CNAME loop1.example.test\n"
	"null.example.test MX 0 .\n"
	"sf.example.test SERVFAIL\n"
	"ref.example.test REFUSED\n"
	"to.example.test TIMEOUT\n"
	"tc.example.test TRUNCATE\n"
	"tc.example.test A 192.0.2.9\n"
	"txt.example.test TXT \"v=spf1 -all\" \"two\"\n";

static size_t
dns_query(uint8_t *q, const char *name, unsigned type)
{
	size_t	 len = 12;
	const char *p = name;

	memset(q, 0, 12);
	q[0] = 0xbe;
	q[1] = 0xef;
	q[2] = 0x01;		/* RD */
	q[5] = 1;		/* QDCOUNT */
	while (*p != '\0') {
		size_t	 n = strcspn(p, ".");

		q[len++] = (uint8_t)n;
		memcpy(q + len, p, n);
		len += n;
		p += n;
		if (*p == '.')
			p++;
	}
	q[len++] = 0;
	q[len++] = (uint8_t)(type >> 8);
	q[len++] = (uint8_t)type;
	q[len++] = 0;
	q[len++] = 1;
	return len;
}

static const struct {
	const char	*name;
	unsigned	 type;
	int		 answered;
	int		 rcode;
	int		 ancount;
	int		 tc;
} dns_tests[] = {
	{ "example.test", 15, 1, 0, 2, 0 },
	{ "EXAMPLE.Test", 15, 1, 0, 2, 0 },
	{ "example.test", 1, 1, 0, 0, 0 },		/* NODATA */
	{ "test", 1, 1, 0, 0, 0 },			/* empty non-terminal */
	{ "nosuch.example.test", 1, 1, 3, 0, 0 },	/* NXDOMAIN */
	{ "mx.example.test", 28, 1, 0, 1, 0 },
	{ "alias.example.test", 1, 1, 0, 2, 0 },	/* CNAME + A */
	{ "a2.example.test", 1, 1, 0, 3, 0 },
	{ "alias.example.test", 5, 1, 0, 1, 0 },
	{ "alias.example.test", 15, 1, 0, 1, 0 },	/* CNAME, NODATA */
	{ "dangling.example.test", 1, 1, 3, 1, 0 },
	{ "loop1.example.test", 1, 1, 0, 8, 0 },	/* 8 hops, then stop */
	{ "null.example.test", 15, 1, 0, 1, 0 },
	{ "sf.example.test", 1, 1, 2, 0, 0 },
	{ "ref.example.test", 15, 1, 5, 0, 0 },
	{ "to.example.test", 1, 0, 0, 0, 0 },
	{ "tc.example.test", 1, 1, 0, 0, 1 },
	{ "txt.example.test", 16, 1, 0, 1, 0 },
};

START_TEST(test_dns_answer)
{
	struct fakedns	*dns;
	uint8_t		 q[512], a[512];
	size_t		 qlen, alen;
	char		 err[128];

	dns = fakedns_new(loop, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_msg(dns != NULL, "%s", err);
	ck_assert_msg(fakedns_load(dns, fake_zone, err, sizeof(err)) == 0, "%s", err);
	qlen = dns_query(q, dns_tests[_i].name, dns_tests[_i].type);
	alen = fakedns_answer(dns, q, qlen, a, sizeof(a));
	ck_assert_msg((alen > 0) == dns_tests[_i].answered, "got %zu octets, want %s",
	    alen, dns_tests[_i].answered ? "an answer" : "none");
	if (alen > 0) {
		ck_assert_int_ge(alen, qlen);
		ck_assert_int_eq(a[0], 0xbe);
		ck_assert_int_eq(a[1], 0xef);
		ck_assert_int_eq(a[2] & 0x85, 0x85);		/* QR AA RD */
		ck_assert_int_eq((a[2] & 0x02) != 0, dns_tests[_i].tc);
		ck_assert_int_eq(a[3] & 0x80, 0x80);		/* RA */
		ck_assert_msg((a[3] & 0x0f) == dns_tests[_i].rcode,
		    "got rcode %d, want %d", a[3] & 0x0f, dns_tests[_i].rcode);
		ck_assert_msg(a[7] == dns_tests[_i].ancount,
		    "got ancount %d, want %d", a[7], dns_tests[_i].ancount);
		ck_assert_int_eq(memcmp(a + 12, q + 12, qlen - 12), 0);
	}
	ck_assert_uint_eq(fakedns_queries(dns), 1);
	fakedns_free(dns);
}
END_TEST

static const struct {
	const char	*name, *type, *rdata;
} dns_bad[] = {
	{ "a..b", "A", "192.0.2.1" }, { "a", "A", "x" }, { "a", "AAAA", "1.2.3.4" },
	{ "a", "MX", "mx" }, { "a", "MX", "70000 mx" }, { "a", "MX", "10 a b" },
	{ "a", "BOGUS", "" }, { "a", "SERVFAIL", "x" }, { "a", "TXT", "\"open" },
	{ "a", "CNAME", "" },
};

START_TEST(test_dns_bad_records)
{
	struct fakedns	*dns;
	char		 err[128];

	dns = fakedns_new(loop, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(dns);
	ck_assert_int_eq(fakedns_add(dns, dns_bad[_i].name, dns_bad[_i].type,
	    dns_bad[_i].rdata), -1);
	ck_assert_int_eq(fakedns_load(dns, "ok A 192.0.2.1\n\nbad A\n", err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "line 3: bad record \"bad A \"");
	fakedns_free(dns);
}
END_TEST

/* random bytes and mutated queries: never crash, never overrun */
START_TEST(test_dns_fuzz)
{
	struct fakedns	*dns;
	uint8_t		 q[600], a[512];
	size_t		 qlen, i, k;
	char		 err[128];

	dns = fakedns_new(loop, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(dns);
	ck_assert_int_eq(fakedns_load(dns, fake_zone, err, sizeof(err)), 0);
	srandom(42);
	for (i = 0; i < 20000; i++) {
		if (i % 2) {
			qlen = (size_t)random() % sizeof(q);
			for (k = 0; k < qlen; k++)
				q[k] = (uint8_t)random();
		} else {
			qlen = dns_query(q, "a2.example.test", 1);
			for (k = 0; k < 3; k++)
				q[(size_t)random() % qlen] = (uint8_t)random();
			qlen = (size_t)random() % (qlen + 1);
		}
		(void)fakedns_answer(dns, q, qlen, a, sizeof(a) - (size_t)(i % 500));
	}
	fakedns_free(dns);
}
END_TEST

/* one real UDP round trip through the loop */
START_TEST(test_dns_udp)
{
	struct fakedns		*dns;
	struct sockaddr_in	 sin;
	uint8_t			 q[512], a[512];
	ssize_t			 n = -1;
	size_t			 qlen;
	char			 err[128];
	int			 fd, k;

	dns = fakedns_new(loop, "127.0.0.1", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(dns);
	ck_assert_int_eq(fakedns_add(dns, "example.test", "MX", "0 ."), 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(fakedns_port(dns));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	qlen = dns_query(q, "example.test", 15);
	ck_assert_int_eq(sendto(fd, "junk", 4, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), 4);
	ck_assert_int_eq(sendto(fd, q, qlen, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), (ssize_t)qlen);
	for (k = 0; k < 100 && n <= 0; k++) {
		loop_run_once(loop, 10);
		n = recv(fd, a, sizeof(a), 0);
	}
	ck_assert_int_eq(n, (ssize_t)qlen + 2 + 10 + 3);	/* ptr, fixed, 0 0 . */
	ck_assert_int_eq(a[7], 1);
	ck_assert_int_eq(a[n - 1], 0);
	ck_assert_uint_eq(fakedns_queries(dns), 1);
	close(fd);
	fakedns_free(dns);
}
END_TEST

static Suite *
fake_suite(void)
{
	Suite	*s = suite_create("fake");
	TCase	*tc;

	tc = tcase_create("script_parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_script_parse, 0, nitems(parse_tests));
	suite_add_tcase(s, tc);

	tc = tcase_create("session");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_session, 0, nitems(session_tests));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_many_and_free);
	suite_add_tcase(s, tc);

	tc = tcase_create("dns");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_dns_answer, 0, nitems(dns_tests));
	tcase_add_loop_test(tc, test_dns_bad_records, 0, nitems(dns_bad));
	tcase_add_test(tc, test_dns_fuzz);
	tcase_add_test(tc, test_dns_udp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fake_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
