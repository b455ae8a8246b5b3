/* SPDX-License-Identifier: ISC */
/*
 * fuzz_reply - reply_feed() on hostile server output, fed in chunks.
 *
 * Input: byte 0 picks k = byte0 & 7 chunk-size bytes that follow; the
 * rest is the server's output.  k == 0 feeds everything in one call;
 * otherwise chunk i is sized by size byte i % k (bit 7 set: 64-byte
 * steps, so that lines past REPLY_LINE_CAP are reached).  After
 * REPLY_ERROR the parser is reset and fed the bytes after the next LF.
 *
 * Oracles, beyond "no crash": the invariants reply.h promises (code
 * 200..599, textlen <= REPLY_TEXT_CAP, text NUL-terminated with no NUL
 * inside, *used within bounds, errors sticky, the text holding the first
 * lines whole and the unstored summary counting the rest), and reply.c's
 * promise
 * that every split gives the same results: the chunked run must see
 * the same replies and errors, at the same offsets, as a run that
 * feeds all the remaining bytes at once.
 */
#include "config.h"

#include <string.h>

#include "reply.h"
#include "fuzz.h"

#define FUZZ_REPLY_FLAGS	(REPLY_F_BARE_LF | REPLY_F_LONG_LINE | \
	REPLY_F_TRUNCATED | REPLY_F_CODE_MISMATCH | REPLY_F_NUL | REPLY_F_BARE_CR)

/* what one run saw, folded into a hash (FNV-1a, 64 bits) */
struct fuzz_trace {
	uint64_t	 h;
	unsigned	 ndone, nerror;
};

static void
trace_add(struct fuzz_trace *t, const void *p, size_t n)
{
	const unsigned char	*b = p;

	while (n-- > 0) {
		t->h ^= *b++;
		t->h *= 1099511628211ULL;
	}
}

static void
trace_num(struct fuzz_trace *t, uint64_t v)
{
	trace_add(t, &v, sizeof(v));
}

static void
check_reply(const struct smtp_reply *r)
{
	const char	*nl;
	char		 enh[16];
	size_t		 n;

	FUZZ_CHECK(r != NULL);
	FUZZ_CHECK(r->code >= 200 && r->code <= 599);
	FUZZ_CHECK(r->nlines >= 1 && r->nlines <= REPLY_MAX_LINES);
	FUZZ_CHECK(r->textlen <= REPLY_TEXT_CAP);
	FUZZ_CHECK(r->text[r->textlen] == '\0');
	FUZZ_CHECK(memchr(r->text, '\0', r->textlen) == NULL);	/* NUL -> '?' */
	FUZZ_CHECK((r->flags & ~(unsigned)FUZZ_REPLY_FLAGS) == 0);
	FUZZ_CHECK(memchr(r->enhanced, '\0', sizeof(r->enhanced)) != NULL);
	/* lines in the text plus those summed up in unstored: all of them */
	for (n = 1, nl = r->text; (nl = memchr(nl, '\n',
	    r->textlen - (size_t)(nl - r->text))) != NULL; nl++)
		n++;
	FUZZ_CHECK(n + (size_t)r->unstored.nlines == (size_t)r->nlines);
	FUZZ_CHECK(r->unstored.nkeywords >= 0 &&
	    r->unstored.nkeywords <= r->unstored.nlines);
	FUZZ_CHECK(r->unstored.nlines == 0 || (r->flags & REPLY_F_TRUNCATED));
	FUZZ_CHECK(r->unstored.nkeywords > 0 || r->unstored.caps == 0);
	/* the enhanced code is the one at the start of the first line */
	nl = memchr(r->text, '\n', r->textlen);
	n = reply_parse_enhanced(r->text, nl != NULL ? (size_t)(nl - r->text) :
	    r->textlen, enh, sizeof(enh));
	if (r->enhanced[0] != '\0') {
		FUZZ_CHECK(n > 0 && strcmp(enh, r->enhanced) == 0);
		FUZZ_CHECK(strncmp(r->text, r->enhanced, strlen(r->enhanced)) == 0);
	} else
		FUZZ_CHECK(n == 0);
}

static void
trace_reply(struct fuzz_trace *t, size_t at, const struct smtp_reply *r)
{
	t->ndone++;
	trace_num(t, 1);
	trace_num(t, at);
	trace_num(t, (uint64_t)r->code);
	trace_num(t, (uint64_t)r->nlines);
	trace_num(t, r->flags);
	trace_num(t, r->textlen);
	trace_add(t, r->text, r->textlen);
	trace_add(t, r->enhanced, strlen(r->enhanced));
}

/*
 * Feed buf[0..len) in chunks (sizes NULL: all at once each call).
 * Returns the trace.
 */
static struct fuzz_trace
run(const char *buf, size_t len, const uint8_t *sizes, size_t nsizes)
{
	struct reply_parser		 p;
	const struct smtp_reply		*r;
	struct fuzz_trace		 t = { 14695981039346656037ULL, 0, 0 };
	const char			*nl;
	size_t				 off = 0, j = 0, chunk, pos, used;
	int				 rc, skip = 0;

	reply_init(&p);
	FUZZ_CHECK(!reply_pending(&p));
	/* NULL buffer: nothing consumed, nothing returned */
	rc = reply_feed(&p, NULL, 7, &used, &r);
	FUZZ_CHECK(rc == REPLY_MORE && used == 0 && r == NULL);

	while (off < len) {
		if (sizes == NULL)
			chunk = len - off;
		else {
			uint8_t	 s = sizes[j++ % nsizes];

			chunk = s & 0x80 ? (size_t)(s & 0x7f) * 64 + 1 :
			    (size_t)s + 1;
			if (chunk > len - off)
				chunk = len - off;
		}
		pos = 0;
		if (skip) {
			nl = memchr(buf + off, '\n', chunk);
			if (nl == NULL) {
				off += chunk;
				continue;
			}
			pos = (size_t)(nl - (buf + off)) + 1;
			skip = 0;
		}
		while (pos < chunk) {
			rc = reply_feed(&p, buf + off + pos, chunk - pos, &used, &r);
			FUZZ_CHECK(used <= chunk - pos);
			pos += used;
			switch (rc) {
			case REPLY_MORE:
				FUZZ_CHECK(r == NULL);
				FUZZ_CHECK(pos == chunk);
				/* bytes were taken and no reply ended: some are held */
				FUZZ_CHECK(used == 0 || reply_pending(&p));
				break;
			case REPLY_DONE:
				FUZZ_CHECK(used > 0);
				check_reply(r);
				FUZZ_CHECK(!reply_pending(&p));
				trace_reply(&t, off + pos, r);
				/* a zero-length call keeps the parser at the boundary */
				rc = reply_feed(&p, buf, 0, &used, &r);
				FUZZ_CHECK(rc == REPLY_MORE && used == 0 && r == NULL);
				break;
			case REPLY_ERROR:
				FUZZ_CHECK(r == NULL);
				FUZZ_CHECK(used > 0);	/* the byte that showed it */
				FUZZ_CHECK(reply_error(&p)[0] != '\0');
				FUZZ_CHECK(!reply_pending(&p));
				t.nerror++;
				trace_num(&t, 2);
				trace_num(&t, off + pos);
				trace_add(&t, reply_error(&p), strlen(reply_error(&p)));
				/* sticky until reply_init() */
				rc = reply_feed(&p, "220 x\r\n", 7, &used, &r);
				FUZZ_CHECK(rc == REPLY_ERROR && used == 0 && r == NULL);
				reply_init(&p);
				/*
				 * Resynchronise after the next LF, as a lenient
				 * client would: restarting at every byte of
				 * garbage costs a reply_init() (9 KB) each and
				 * finds nothing more.
				 */
				nl = memchr(buf + off + pos, '\n', chunk - pos);
				if (nl != NULL) {
					pos = (size_t)(nl - (buf + off)) + 1;
					break;
				}
				skip = 1;	/* into the next chunks */
				pos = chunk;
				break;
			default:
				FUZZ_CHECK(!"reply_feed returned an unknown value");
			}
		}
		off += chunk;
	}
	trace_num(&t, 3);
	trace_num(&t, (uint64_t)reply_pending(&p));
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_trace	 a, b;
	const char		*buf;
	char			 enh[16];
	size_t			 k, len, n;

	if (size == 0)
		return 0;
	k = data[0] & 7;
	if (size < 1 + k)
		return 0;
	buf = (const char *)data + 1 + k;
	len = size - 1 - k;

	a = run(buf, len, k > 0 ? data + 1 : NULL, k);
	if (k > 0) {
		b = run(buf, len, NULL, 0);
		/* reply.c: every split gives the same results */
		FUZZ_CHECK(a.ndone == b.ndone);
		FUZZ_CHECK(a.nerror == b.nerror);
		FUZZ_CHECK(a.h == b.h);
	}

	/* the enhanced-code scanner on its own, on raw bytes */
	n = reply_parse_enhanced(buf, len, enh, sizeof(enh));
	FUZZ_CHECK(n <= len && n < sizeof(enh));
	FUZZ_CHECK(n == 0 ? enh[0] == '\0' : strlen(enh) == n);
	/* measuring (out NULL) agrees: a code has at most 9 bytes */
	FUZZ_CHECK(reply_parse_enhanced(buf, len, NULL, 0) == n);
	return 0;
}
