/* SPDX-License-Identifier: ISC */
/*
 * jsonarena - see jsonarena.h.  The arena is a list of chunks; blocks are
 * cut from the newest one, 16-byte aligned as malloc()'s are.  When a
 * record needed more than one chunk, jsonarena_end() replaces them by one
 * chunk of their total size, so that a run settles on a single chunk and
 * the free() hook's "is this an arena block" test is one comparison pair.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonarena.h"
#include "log.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define JSONARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSONARENA_ASAN 1
#endif
#endif

#ifdef JSONARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_REDZONE	16	/* poisoned gap after each block */
#define arena_poison(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define arena_unpoison(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_REDZONE	0
#define arena_poison(p, n)	((void)(p), (void)(n))
#define arena_unpoison(p, n)	((void)(p), (void)(n))
#endif

#define ARENA_ALIGN	16
#define ARENA_CHUNK	(64 * 1024)	/* a record with its tree is ~20 KiB */

struct arena_chunk {
	struct arena_chunk	*next;	/* older chunk */
	size_t			 size;	/* of data[] */
	size_t			 used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static struct {
	struct arena_chunk	*chunks;	/* newest first */
	int			 active;	/* between begin and end */
	int			 hooked;	/* json_set_alloc_funcs() done */
	char			*dump;		/* jsonarena_dump()'s buffer */
	size_t			 dumpsize;
} arena;

static struct arena_chunk *
arena_chunk_new(size_t size, struct arena_chunk *next)
{
	struct arena_chunk	*c;

	c = xmalloc(sizeof(*c) + size);
	c->next = next;
	c->size = size;
	c->used = 0;
	arena_poison(c->data, size);
	return c;
}

static int
arena_owns(const void *p)
{
	const struct arena_chunk	*c;
	uintptr_t			 u = (uintptr_t)p;

	for (c = arena.chunks; c != NULL; c = c->next)
		if (u >= (uintptr_t)c->data && u < (uintptr_t)c->data + c->size)
			return 1;
	return 0;
}

static void *
arena_malloc_cb(size_t n)
{
	struct arena_chunk	*c = arena.chunks;
	size_t			 need;
	void			*p;

	if (!arena.active)
		return malloc(n);
	need = (n + ARENA_REDZONE + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		return NULL;
	if (c == NULL || c->size - c->used < need) {
		c = arena_chunk_new(need > ARENA_CHUNK ? need : ARENA_CHUNK,
		    arena.chunks);
		arena.chunks = c;
	}
	p = c->data + c->used;
	c->used += need;
	arena_unpoison(p, n);
	return p;
}

static void
arena_free_cb(void *p)
{
	if (p == NULL)
		return;
	if (!arena_owns(p)) {
		free(p);
		return;
	}
	/* an arena block dies with the arena, at jsonarena_end() */
	if (!arena.active)
		fatalx("jsonarena: a JSON value outlived its record");
}

void
jsonarena_begin(void)
{
	if (arena.active)
		fatalx("%s: already in a record", __func__);
	if (!arena.hooked) {
		json_set_alloc_funcs(arena_malloc_cb, arena_free_cb);
		arena.hooked = 1;
	}
	arena.active = 1;
}

void
jsonarena_end(void)
{
	struct arena_chunk	*c, *next;
	size_t			 total = 0;

	if (!arena.active)
		fatalx("%s: not in a record", __func__);
	arena.active = 0;
	if (arena.chunks != NULL && arena.chunks->next != NULL) {
		for (c = arena.chunks; c != NULL; c = next) {
			next = c->next;
			total += c->size;
			free(c);
		}
		arena.chunks = arena_chunk_new(total, NULL);
	} else if (arena.chunks != NULL) {
		arena_poison(arena.chunks->data, arena.chunks->used);
		arena.chunks->used = 0;
	}
}

const char *
jsonarena_dump(const json_t *obj, size_t flags, size_t *len)
{
	size_t	 n;

	n = json_dumpb(obj, arena.dump, arena.dumpsize, flags);
	if (n == 0)
		fatalx("%s: cannot encode JSON", __func__);
	if (n > arena.dumpsize) {
		/* too small: grow (with room to spare) and encode again */
		free(arena.dump);
		arena.dumpsize = n + n / 2;
		arena.dump = xmalloc(arena.dumpsize);
		if (json_dumpb(obj, arena.dump, arena.dumpsize, flags) != n)
			fatalx("%s: cannot encode JSON", __func__);
	}
	*len = n;
	return arena.dump;
}
