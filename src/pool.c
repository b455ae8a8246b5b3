/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdlib.h>

#include "pool.h"
#include "util.h"

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
	pool_register(p);
	*(void **)b = p->head;
	p->head = b;
}
