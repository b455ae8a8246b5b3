/* SPDX-License-Identifier: ISC */
/*
 * loop - a small single-threaded reactor: fd watchers and timers.
 *
 * epoll on Linux, poll(2) elsewhere.  Watchers and timers are embedded in
 * the caller's own structures (as in libuv): the loop never allocates
 * them and never frees them.  A watcher or timer may be stopped from any
 * callback, including its own; a stopped watcher is never called again.
 */
#ifndef SMTPPROBE_LOOP_H
#define SMTPPROBE_LOOP_H

#include <stddef.h>
#include <stdint.h>

#define LOOP_READ	0x01
#define LOOP_WRITE	0x02
#define LOOP_ERROR	0x04	/* reported only, never requested */

struct loop;
struct loop_io;
struct loop_timer;

typedef void	(*loop_io_cb)(struct loop_io *, int fd, int revents, void *arg);
typedef void	(*loop_timer_cb)(struct loop_timer *, void *arg);

struct loop_io {
	int		 fd;
	int		 events;
	int		 active;
	loop_io_cb	 cb;
	void		*arg;
	size_t		 slot;		/* private: index in the poll table */
};

struct loop_timer {
	uint64_t	 when;		/* loop time in ms */
	size_t		 heap_idx;	/* private */
	int		 active;
	loop_timer_cb	 cb;
	void		*arg;
};

struct loop	*loop_new(void);
void		 loop_free(struct loop *);	/* loop_free(NULL) does nothing */

/* Start watching fd (or change its events if already active). */
int	 loop_io_start(struct loop *, struct loop_io *, int fd, int events,
	    loop_io_cb, void *arg);
int	 loop_io_set(struct loop *, struct loop_io *, int events);
void	 loop_io_stop(struct loop *, struct loop_io *);
/* the same, when the caller closes the fd right after (one syscall fewer) */
void	 loop_io_stop_closing(struct loop *, struct loop_io *, int closing);

/* (Re)arm a one-shot timer ms from now. */
void	 loop_timer_start(struct loop *, struct loop_timer *, uint64_t ms,
	    loop_timer_cb, void *arg);
void	 loop_timer_stop(struct loop *, struct loop_timer *);

uint64_t loop_now(const struct loop *);		/* monotonic ms, cached per turn */
void	 loop_update_time(struct loop *);

/* One turn: wait at most max_wait_ms (-1: until an event or timer). */
int	 loop_run_once(struct loop *, int max_wait_ms);
/* Run until nothing is active or loop_stop() is called. */
int	 loop_run(struct loop *);
void	 loop_stop(struct loop *);

size_t	 loop_active_ios(const struct loop *);
size_t	 loop_active_timers(const struct loop *);

#endif
