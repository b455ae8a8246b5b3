/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdlib.h>

#include "pool.h"
#include "util.h"

/*
 * Under AddressSanitizer a pool is plain malloc() and free(), so that a
 * use after pool_put() is still caught as a use after free.
 */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_PASSTHROUGH	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_PASSTHROUGH	1
#endif
#endif
#ifndef POOL_PASSTHROUGH
#define POOL_PASSTHROUGH	0
#endif

static struct pool	*pools;		/* every pool used so far */

static void
pool_drain_all(void)
{
	struct pool	*p;
	void		*b;

	for (p = pools; p != NULL; p = p->next)
		while ((b = p->head) != NULL) {
			p->head = *(void **)b;
			free(b);
		}
}

static void
pool_register(struct pool *p)
{
	if (p->registered)
		return;
	if (pools == NULL)
		atexit(pool_drain_all);
	p->registered = 1;
	p->next = pools;
	pools = p;
}

void *
pool_get(struct pool *p)
{
	void	*b;

	if (POOL_PASSTHROUGH)
		return xmalloc(p->size);
	pool_register(p);
	if ((b = p->head) == NULL)
		return xmalloc(p->size);
	p->head = *(void **)b;
	return b;
}

void
pool_put(struct pool *p, void *b)
{
	if (b == NULL)
		return;
	if (POOL_PASSTHROUGH) {
		free(b);
		return;
	}
	pool_register(p);
	*(void **)b = p->head;
	p->head = b;
}
