/* SPDX-License-Identifier: ISC */
/*
 * jsonwrite - see jsonwrite.h.  One output buffer, reused from record to
 * record; a cache of encoded strings, where a string may take one of
 * JSONWRITE_WAYS slots chosen by its hash and replaces the one least
 * recently used (with one slot each, two frequent strings of one slot
 * pushed each other out on every record); and a table of the hashes of
 * strings seen once, so that a string unique to one target (a banner, an
 * address) is encoded and never kept.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonwrite.h"
#include "log.h"
#include "util.h"

#define JSONWRITE_SLOTS		4096	/* cached strings, a power of two */
#define JSONWRITE_WAYS		4	/* slots a string may take */
#define JSONWRITE_SEEN		8192	/* hashes of strings seen once */
#define JSONWRITE_MAXLEN	512	/* longer strings are never cached */

struct jw_slot {
	uint64_t	 hash;		/* 0: empty */
	size_t		 len;		/* of the string */
	size_t		 enclen;	/* of its encoding */
	uint64_t	 stamp;		/* when last used */
	char		*text;		/* the string, then its encoding */
};

static struct {
	char		*buf;
	size_t		 size, used;
	uint64_t	 clock;		/* strings written so far */
	struct jw_slot	 slot[JSONWRITE_SLOTS];
	uint64_t	 seen[JSONWRITE_SEEN];
} jw;

static inline void
jw_reserve(size_t n)
{
	if (jw.size - jw.used >= n)
		return;
	jw.size = (jw.used + n) * 2;
	jw.buf = xreallocarray(jw.buf, jw.size, 1);
}

static inline void
jw_put(const char *s, size_t n)
{
	jw_reserve(n);
	memcpy(jw.buf + jw.used, s, n);
	jw.used += n;
}

static inline void
jw_putc(char c)
{
	jw_reserve(1);
	jw.buf[jw.used++] = c;
}

/*
 * A 64-bit hash of a string, eight octets a step, never 0 (0 marks an
 * empty slot).  Equal hashes are confirmed with memcmp().
 */
static uint64_t
jw_hash(const char *s, size_t len)
{
	uint64_t	 h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return h != 0 ? h : 1;
}

/* jansson's encoding of the string s at the end of the buffer */
static void
jw_dump(const char *s, size_t len)
{
	json_t	*v;
	size_t	 n;

	if ((v = json_stringn_nocheck(s, len)) == NULL)
		fatalx("%s: out of memory", __func__);
	/* at most 6 octets a character (\u001f), and the quotes */
	jw_reserve(len * 6 + 2);
	n = json_dumpb(v, jw.buf + jw.used, jw.size - jw.used,
	    JSON_COMPACT | JSON_ENCODE_ANY);
	if (n > jw.size - jw.used) {
		jw_reserve(n);
		if (json_dumpb(v, jw.buf + jw.used, jw.size - jw.used,
		    JSON_COMPACT | JSON_ENCODE_ANY) != n)
			n = 0;
	}
	json_decref(v);
	if (n == 0)
		fatalx("%s: cannot encode JSON", __func__);
	jw.used += n;
}

/*
 * 1 when every octet of s is printable ASCII other than '"' and '\\'.
 * Such a string is its own JSON text between quotes: RFC 8259 section 7
 * requires escapes only for the quotation mark, the reverse solidus and
 * U+0000 to U+001F, and jansson (without JSON_ENSURE_ASCII or
 * JSON_ESCAPE_SLASH, which smtpprobe never sets) writes every other
 * printable ASCII octet unchanged.  Nothing is escaped by hand: a string
 * with any other octet goes to jansson.  check_jsonwrite compares the
 * result with jansson's for each of the 256 octets.
 */
static int
jw_plain(const char *s, size_t len)
{
	static unsigned char	 plain[256];	/* 1: the octet is plain */
	const unsigned char	*p = (const unsigned char *)s, *end = p + len;
	int			 c;

	if (!plain['a']) {
		for (c = 0x20; c <= 0x7e; c++)
			plain[c] = 1;
		plain['"'] = plain['\\'] = 0;
	}
	/* one table lookup an octet: this loop sees every octet of a record */
	for (; end - p >= 4; p += 4)
		if (!(plain[p[0]] & plain[p[1]] & plain[p[2]] & plain[p[3]]))
			return 0;
	for (; p < end; p++)
		if (!plain[*p])
			return 0;
	return 1;
}

/*
 * A string: as it is when plain, else from the cache, or encoded by
 * jansson and kept if it was seen before.
 */
static void
jw_string(const char *s, size_t len)
{
	struct jw_slot	*set = NULL, *sl;
	uint64_t	 h = 0, *seen;
	size_t		 start, i;

	if (jw_plain(s, len)) {
		jw_reserve(len + 2);
		jw.buf[jw.used++] = '"';
		memcpy(jw.buf + jw.used, s, len);
		jw.used += len;
		jw.buf[jw.used++] = '"';
		return;
	}
	jw.clock++;
	if (len <= JSONWRITE_MAXLEN) {
		h = jw_hash(s, len);
		set = &jw.slot[h & (JSONWRITE_SLOTS - JSONWRITE_WAYS)];
		for (i = 0; i < JSONWRITE_WAYS; i++) {
			sl = &set[i];
			if (sl->hash == h && sl->len == len &&
			    memcmp(sl->text, s, len) == 0) {
				sl->stamp = jw.clock;
				jw_put(sl->text + len, sl->enclen);
				return;
			}
		}
	}
	start = jw.used;
	jw_dump(s, len);
	if (set == NULL)
		return;
	seen = &jw.seen[(h >> 32) & (JSONWRITE_SEEN - 1)];
	if (*seen != h) {
		*seen = h;
		return;
	}
	/* the second time: keep it, in the slot of its set used least lately */
	for (sl = set, i = 1; i < JSONWRITE_WAYS; i++)
		if (set[i].stamp < sl->stamp)
			sl = &set[i];
	free(sl->text);
	sl->hash = h;
	sl->len = len;
	sl->stamp = jw.clock;
	sl->enclen = jw.used - start;
	sl->text = xmalloc(len + sl->enclen);
	memcpy(sl->text, s, len);
	memcpy(sl->text + len, jw.buf + start, sl->enclen);
}

/* an integer in decimal, as jansson's "%" JSON_INTEGER_FORMAT writes it */
static void
jw_integer(long long n)
{
	char			 num[24], *p = num + sizeof(num);
	unsigned long long	 u;

	u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		*--p = '-';
	jw_put(p, (size_t)(num + sizeof(num) - p));
}

void
jsonwrite_begin(void)
{
	jw.used = 0;
}

void
jsonwrite_raw(const char *s, size_t len)
{
	jw_put(s, len);
}

void
jsonwrite_char(char c)
{
	jw_putc(c);
}

void
jsonwrite_string(const char *s, size_t len)
{
	jw_string(s, len);
}

void
jsonwrite_integer(long long n)
{
	jw_integer(n);
}

const char *
jsonwrite_text(size_t *len)
{
	*len = jw.used;
	return jw.buf;
}

void
jsonwrite_reset(void)
{
	size_t	 i;

	for (i = 0; i < JSONWRITE_SLOTS; i++)
		free(jw.slot[i].text);
	free(jw.buf);
	memset(&jw, 0, sizeof(jw));
}
