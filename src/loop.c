/* SPDX-License-Identifier: ISC */
/*
 * loop - a small single-threaded reactor: fd watchers and timers.
 *
 * epoll(7) where available, poll(2) otherwise.  Timers live in a binary
 * min-heap keyed by expiry.  Watchers and timers are owned by the caller
 * (embedded in its structs); the loop only keeps pointers to active ones,
 * so stopping one inside any callback is safe: pending events that point
 * at a stopped watcher are dropped before they are dispatched.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_SYS_EPOLL_H
#include <sys/epoll.h>
#endif

#include "log.h"
#include "loop.h"
#include "util.h"

#define LOOP_MAX_EVENTS	256

/*
 * A timer's slot in the heap holds its expiry beside the pointer, so that
 * sifting compares the array alone: with thousands of sessions in flight
 * the timers live in as many struct probe, and reading each one's `when'
 * through its pointer missed the cache (heap_remove was 4 % of the user
 * CPU of bench/fleet-run at 0 ms).
 */
struct loop_heap_ent {
	uint64_t		 when;
	struct loop_timer	*t;
};

struct loop {
	uint64_t		 now;
	int			 stopped;
	size_t			 nios;
	struct loop_heap_ent	*heap;
	size_t			 nheap;
	size_t			 heapsize;
#ifdef HAVE_SYS_EPOLL_H
	int			 epfd;
	struct epoll_event	 events[LOOP_MAX_EVENTS];
	int			 nready;	/* events of the turn being dispatched */
	int			 cursor;
#else
	struct loop_io		**ios;		/* slot -> watcher */
	struct pollfd		*pfds;
	size_t			 nslots;
	size_t			 slotsize;
#endif
};

struct loop *
loop_new(void)
{
	struct loop	*l;

	l = xcalloc(1, sizeof(*l));
#ifdef HAVE_SYS_EPOLL_H
	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(l);
		return NULL;
	}
#endif
	l->now = util_now_ms();
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
#ifdef HAVE_SYS_EPOLL_H
	close(l->epfd);
#else
	free(l->ios);
	free(l->pfds);
#endif
	free(l->heap);
	free(l);
}

uint64_t
loop_now(const struct loop *l)
{
	return l->now;
}

void
loop_update_time(struct loop *l)
{
	l->now = util_now_ms();
}

size_t
loop_active_ios(const struct loop *l)
{
	return l->nios;
}

size_t
loop_active_timers(const struct loop *l)
{
	return l->nheap;
}

void
loop_stop(struct loop *l)
{
	l->stopped = 1;
}

/* ---- fd watchers ------------------------------------------------------ */

#ifdef HAVE_SYS_EPOLL_H
static uint32_t
loop_epoll_events(int events)
{
	uint32_t	 ev = 0;

	if (events & LOOP_READ)
		ev |= EPOLLIN | EPOLLRDHUP;
	if (events & LOOP_WRITE)
		ev |= EPOLLOUT;
	return ev;
}
#endif

/*
 * loop_io_start - watch fd for events (LOOP_READ|LOOP_WRITE); if io is
 * already active, only its events change.  Returns 0 or -1 (errno set).
 */
int
loop_io_start(struct loop *l, struct loop_io *io, int fd, int events,
    loop_io_cb cb, void *arg)
{
	if (io->active) {
		if (io->fd != fd)
			fatalx("%s: watcher active on fd %d, asked for %d",
			    __func__, io->fd, fd);
		io->cb = cb;
		io->arg = arg;
		return loop_io_set(l, io, events);
	}
	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
#ifdef HAVE_SYS_EPOLL_H
	{
		struct epoll_event	 ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = loop_epoll_events(events);
		ev.data.ptr = io;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) == -1)
			return -1;
	}
#else
	if (l->nslots == l->slotsize) {
		l->slotsize = l->slotsize ? l->slotsize * 2 : 64;
		l->ios = xreallocarray(l->ios, l->slotsize, sizeof(*l->ios));
		l->pfds = xreallocarray(l->pfds, l->slotsize, sizeof(*l->pfds));
	}
	io->slot = l->nslots++;
	l->ios[io->slot] = io;
	l->pfds[io->slot].fd = fd;
	l->pfds[io->slot].events = (events & LOOP_READ ? POLLIN : 0) |
	    (events & LOOP_WRITE ? POLLOUT : 0);
	l->pfds[io->slot].revents = 0;
#endif
	io->active = 1;
	l->nios++;
	return 0;
}

/*
 * loop_io_set - change the events an active watcher waits for
 */
int
loop_io_set(struct loop *l, struct loop_io *io, int events)
{
	if (!io->active)
		fatalx("%s: watcher not active", __func__);
	if (io->events == events)
		return 0;
	io->events = events;
#ifdef HAVE_SYS_EPOLL_H
	{
		struct epoll_event	 ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = loop_epoll_events(events);
		ev.data.ptr = io;
		if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) == -1)
			return -1;
	}
#else
	l->pfds[io->slot].events = (events & LOOP_READ ? POLLIN : 0) |
	    (events & LOOP_WRITE ? POLLOUT : 0);
#endif
	return 0;
}

/*
 * loop_io_stop - stop watching; the callback is never called again for
 * events already collected in this turn.  Safe on an inactive watcher.
 */
void
loop_io_stop(struct loop *l, struct loop_io *io)
{
	loop_io_stop_closing(l, io, 0);
}

/*
 * loop_io_stop_closing - loop_io_stop(), for a caller that closes the fd
 * next (closing: 1): closing the last reference takes the fd out of the
 * epoll set, so the EPOLL_CTL_DEL system call is skipped.
 */
void
loop_io_stop_closing(struct loop *l, struct loop_io *io, int closing)
{
	if (!io->active)
		return;
#ifdef HAVE_SYS_EPOLL_H
	{
		int	 i;

		/* the fd may already be closed: ENOENT/EBADF are fine */
		if (!closing)
			(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
		for (i = l->cursor; i < l->nready; i++)
			if (l->events[i].data.ptr == io)
				l->events[i].data.ptr = NULL;
	}
#else
	{
		size_t	 last = --l->nslots;

		if (io->slot != last) {
			l->ios[io->slot] = l->ios[last];
			l->pfds[io->slot] = l->pfds[last];
			l->ios[io->slot]->slot = io->slot;
		}
	}
#endif
	io->active = 0;
	l->nios--;
}

/* ---- timers: binary min-heap -------------------------------------------- */

static void
heap_swap(struct loop *l, size_t a, size_t b)
{
	struct loop_heap_ent	 e = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = e;
	l->heap[a].t->heap_idx = a;
	l->heap[b].t->heap_idx = b;
}

static void
heap_up(struct loop *l, size_t i)
{
	while (i > 0) {
		size_t	 parent = (i - 1) / 2;

		if (l->heap[parent].when <= l->heap[i].when)
			break;
		heap_swap(l, i, parent);
		i = parent;
	}
}

static void
heap_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t	 left = 2 * i + 1, right = left + 1, min = i;

		if (left < l->nheap && l->heap[left].when < l->heap[min].when)
			min = left;
		if (right < l->nheap && l->heap[right].when < l->heap[min].when)
			min = right;
		if (min == i)
			break;
		heap_swap(l, i, min);
		i = min;
	}
}

static void
heap_remove(struct loop *l, size_t i)
{
	size_t	 last = --l->nheap;

	if (i != last) {
		l->heap[i] = l->heap[last];
		l->heap[i].t->heap_idx = i;
		heap_down(l, i);
		heap_up(l, i);
	}
}

/*
 * loop_timer_start - (re)arm a one-shot timer to fire ms from now
 */
void
loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms,
    loop_timer_cb cb, void *arg)
{
	if (t->active)
		loop_timer_stop(l, t);
	t->when = l->now + ms;
	t->cb = cb;
	t->arg = arg;
	if (l->nheap == l->heapsize) {
		l->heapsize = l->heapsize ? l->heapsize * 2 : 64;
		l->heap = xreallocarray(l->heap, l->heapsize, sizeof(*l->heap));
	}
	t->heap_idx = l->nheap;
	l->heap[l->nheap].when = t->when;
	l->heap[l->nheap++].t = t;
	t->active = 1;
	heap_up(l, t->heap_idx);
}

/*
 * loop_timer_stop - disarm; safe on an inactive timer
 */
void
loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	if (!t->active)
		return;
	heap_remove(l, t->heap_idx);
	t->active = 0;
}

static void
loop_run_timers(struct loop *l)
{
	while (l->nheap > 0 && l->heap[0].when <= l->now) {
		struct loop_timer	*t = l->heap[0].t;

		heap_remove(l, 0);
		t->active = 0;
		t->cb(t, t->arg);
	}
}

/* ---- running ------------------------------------------------------------ */

/*
 * loop_run_once - wait for events (at most max_wait_ms, -1: no limit but
 * the next timer), dispatch them, then run expired timers.
 * Returns the number of fd events dispatched, or -1 on a poll error.
 */
int
loop_run_once(struct loop *l, int max_wait_ms)
{
	int	 timeout = max_wait_ms, n, dispatched = 0;

	loop_update_time(l);
	if (l->nheap > 0) {
		uint64_t	 when = l->heap[0].when;
		int		 t = when <= l->now ? 0 :
		    (when - l->now > 86400000 ? 86400000 : (int)(when - l->now));

		if (timeout < 0 || t < timeout)
			timeout = t;
	}
#ifdef HAVE_SYS_EPOLL_H
	n = epoll_wait(l->epfd, l->events, LOOP_MAX_EVENTS, timeout);
	if (n == -1 && errno != EINTR)
		return -1;
	loop_update_time(l);
	l->nready = n > 0 ? n : 0;
	for (l->cursor = 0; l->cursor < l->nready; ) {
		struct epoll_event	*ev = &l->events[l->cursor++];
		struct loop_io		*io = ev->data.ptr;
		int			 revents = 0;

		if (io == NULL || !io->active)
			continue;
		if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
			revents |= LOOP_READ;
		if (ev->events & EPOLLOUT)
			revents |= LOOP_WRITE;
		if (ev->events & EPOLLERR)
			revents |= LOOP_ERROR | (io->events & (LOOP_READ | LOOP_WRITE));
		revents &= io->events | LOOP_ERROR;
		if (revents == 0)
			continue;
		dispatched++;
		io->cb(io, io->fd, revents, io->arg);
	}
	l->nready = l->cursor = 0;
#else
	n = poll(l->pfds, l->nslots, timeout);
	if (n == -1 && errno != EINTR)
		return -1;
	loop_update_time(l);
	if (n > 0) {
		/* snapshot: callbacks may add or remove slots */
		size_t		 nslots = l->nslots, k;
		struct loop_io	**ready = xcalloc(nslots, sizeof(*ready));
		int		*rev = xcalloc(nslots, sizeof(*rev));
		size_t		 nr = 0;

		for (k = 0; k < nslots; k++) {
			short	 re = l->pfds[k].revents;
			int	 r = 0;

			if (re == 0)
				continue;
			if (re & (POLLIN | POLLHUP))
				r |= LOOP_READ;
			if (re & POLLOUT)
				r |= LOOP_WRITE;
			if (re & (POLLERR | POLLNVAL))
				r |= LOOP_ERROR | (l->ios[k]->events & (LOOP_READ | LOOP_WRITE));
			ready[nr] = l->ios[k];
			rev[nr++] = r;
		}
		for (k = 0; k < nr; k++) {
			size_t	 j;
			int	 still = 0;

			/* skip watchers stopped by an earlier callback */
			for (j = 0; j < l->nslots; j++)
				if (l->ios[j] == ready[k]) {
					still = 1;
					break;
				}
			if (!still)
				continue;
			dispatched++;
			ready[k]->cb(ready[k], ready[k]->fd, rev[k], ready[k]->arg);
		}
		free(ready);
		free(rev);
	}
#endif
	loop_run_timers(l);
	return dispatched;
}

/*
 * loop_run - run until nothing is active or loop_stop() is called
 */
int
loop_run(struct loop *l)
{
	l->stopped = 0;
	while (!l->stopped && (l->nios > 0 || l->nheap > 0))
		if (loop_run_once(l, -1) == -1)
			return -1;
	return 0;
}
