/* SPDX-License-Identifier: ISC */
/*
 * util - allocation that cannot fail, a growable byte buffer, monotonic time.
 */
#include "config.h"

#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("malloc %zu", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		fatal("calloc %zu x %zu", nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu x %zu overflows", nmemb, size);
	if ((p = realloc(ptr, nmemb * size == 0 ? 1 : nmemb * size)) == NULL)
		fatal("realloc %zu x %zu", nmemb, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vasprintf");
	return p;
}

void
buf_append(struct buf *b, const void *data, size_t len)
{
	size_t	 want;

	if (b->cap_max != 0 && b->len + len > b->cap_max) {
		b->truncated = 1;
		len = b->cap_max > b->len ? b->cap_max - b->len : 0;
	}
	want = b->len + len + 1;
	if (want > b->size) {
		size_t	 nsize = b->size ? b->size : 256;

		while (nsize < want)
			nsize *= 2;
		b->data = xreallocarray(b->data, 1, nsize);
		b->size = nsize;
	}
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vasprintf");
	buf_append(b, p, (size_t)n);
	free(p);
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->data != NULL)
		b->data[b->len] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
	b->truncated = 0;
}

uint64_t
util_now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
util_wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, n);
#else
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
#endif
}

/*
 * util_socket - a non-blocking, close-on-exec socket (SOCK_NONBLOCK and
 * SOCK_CLOEXEC are not everywhere).  Returns the fd, or -1 with errno.
 */
int
util_socket(int family, int type)
{
	int	 fd;

#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
	if ((fd = socket(family, type, 0)) != -1 &&
	    (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)) {
		int	 saved = errno;

		close(fd);
		errno = saved;
		fd = -1;
	}
#endif
	return fd;
}
