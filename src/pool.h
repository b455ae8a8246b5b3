/* SPDX-License-Identifier: ISC */
/*
 * pool - free lists of same-size blocks, for the big objects a batch makes
 * and drops by the thousand: a session's struct probe (10 KiB), a target's
 * first host result (4 KiB).
 *
 * glibc serves blocks of 1 KiB and more from its sorted bins, not from the
 * per-thread cache, and with a thousand sessions in flight their frees and
 * mallocs interleave with small ones: bench/fleet-run's profile showed a
 * fifth of the user CPU in _int_malloc, malloc_consolidate and
 * unlink_chunk, and the heap grew with the number of targets
 * (fragmentation).  A freed block goes on its pool's list and the next
 * get takes it back, so a pool never holds more blocks than were in use
 * at once: memory stays at the peak, flat in the number of targets.
 *
 * Single-threaded, like the event loop that uses it.  Every pool is
 * emptied at exit (atexit), so valgrind sees no leak; under
 * AddressSanitizer a pool is plain malloc() and free(), so that a use
 * after pool_put() is still reported.
 */
#ifndef SMTPPROBE_POOL_H
#define SMTPPROBE_POOL_H

#include <stddef.h>

struct pool {
	size_t		 size;		/* of every block, >= sizeof(void *) */
	void		*head;		/* free blocks, linked through their first bytes */
	int		 registered;	/* on the list emptied at exit */
	struct pool	*next;
};

#define POOL_INITIALIZER(sz)	{ (sz), NULL, 0, NULL }

/* a block of pool->size bytes; contents undefined, like malloc() */
void	*pool_get(struct pool *);
/* give a block back; it must hold at least pool->size bytes.  NULL is ok */
void	 pool_put(struct pool *, void *);

#endif
