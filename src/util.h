/* SPDX-License-Identifier: ISC */
/*
 * util - allocation that cannot fail, a growable byte buffer, monotonic time.
 */
#ifndef SMTPPROBE_UTIL_H
#define SMTPPROBE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* xmalloc family: call fatal() on failure; never return NULL. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * struct buf - growable byte buffer.  buf_append() keeps the contents
 * NUL-terminated (the NUL is not counted in len).  If cap_max is non-zero,
 * appends beyond it are dropped and buf->truncated is set.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	size_t	 cap_max;
	int	 truncated;
};
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_consume(struct buf *, size_t);	/* drop n bytes from the front */
void	 buf_free(struct buf *);

/* monotonic milliseconds */
uint64_t	 util_now_ms(void);

/* a non-blocking, close-on-exec socket; -1 with errno on failure */
int		 util_socket(int family, int type);

/* wipe memory that held secrets */
void	 util_wipe(void *, size_t);

#endif
