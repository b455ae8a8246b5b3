/* SPDX-License-Identifier: ISC */
/*
 * jsonenc - see jsonenc.h.  The layout rules are jansson 2.14's dump.c:
 * after "{" or "[" of a non-empty container and after each ",", an
 * indent (a newline and INDENT x depth spaces, or with no indent a space
 * unless JSON_COMPACT); before the closing bracket the indent of the
 * container's own depth; ":" or ": " (not compact) after a key; empty
 * containers as "{}" and "[]".
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "jsonenc.h"
#include "log.h"
#include "util.h"

#define JSONENC_FLAGS	(JSON_MAX_INDENT | JSON_COMPACT | JSON_PRESERVE_ORDER)

static void
jsonenc_indent(struct buf *b, size_t flags, size_t depth, int space)
{
	static const char	 spaces[] = "                                ";
	size_t			 n = JSON_INDENT(flags) * depth, k;

	if (JSON_INDENT(flags) > 0) {
		buf_append(b, "\n", 1);
		for (; n > 0; n -= k) {
			k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
			buf_append(b, spaces, k);
		}
	} else if (space && !(flags & JSON_COMPACT))
		buf_append(b, " ", 1);
}

/* a string, quoted; runs without anything to escape are copied whole */
static void
jsonenc_string(struct buf *b, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const char		*run = s, *end = s + len;
	char			 esc[6];
	size_t			 n;

	buf_append(b, "\"", 1);
	for (; s < end; s++) {
		unsigned char	 c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		esc[0] = '\\';
		n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			n = 6;
			break;
		}
		buf_append(b, esc, n);
	}
	buf_append(b, run, (size_t)(end - run));
	buf_append(b, "\"", 1);
}

static void
jsonenc_integer(struct buf *b, json_int_t v)
{
	char		 digits[24], *p = digits + sizeof(digits);
	uint64_t	 u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(digits + sizeof(digits) - p));
}

static void
jsonenc_value(struct buf *b, json_t *v, size_t flags, size_t depth)
{
	const char	*sep = flags & JSON_COMPACT ? ":" : ": ";
	size_t		 seplen = flags & JSON_COMPACT ? 1 : 2, i, n;
	void		*it;

	switch (json_typeof(v)) {
	case JSON_NULL:
		buf_append(b, "null", 4);
		break;
	case JSON_TRUE:
		buf_append(b, "true", 4);
		break;
	case JSON_FALSE:
		buf_append(b, "false", 5);
		break;
	case JSON_INTEGER:
		jsonenc_integer(b, json_integer_value(v));
		break;
	case JSON_STRING:
		jsonenc_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_ARRAY:
		buf_append(b, "[", 1);
		if ((n = json_array_size(v)) == 0) {
			buf_append(b, "]", 1);
			break;
		}
		jsonenc_indent(b, flags, depth + 1, 0);
		for (i = 0; i < n; i++) {
			jsonenc_value(b, json_array_get(v, i), flags, depth + 1);
			if (i + 1 < n) {
				buf_append(b, ",", 1);
				jsonenc_indent(b, flags, depth + 1, 1);
			}
		}
		jsonenc_indent(b, flags, depth, 0);
		buf_append(b, "]", 1);
		break;
	case JSON_OBJECT:
		buf_append(b, "{", 1);
		if ((it = json_object_iter(v)) == NULL) {
			buf_append(b, "}", 1);
			break;
		}
		jsonenc_indent(b, flags, depth + 1, 0);
		while (it != NULL) {
			const char	*key = json_object_iter_key(it);

			jsonenc_string(b, key, strlen(key));
			buf_append(b, sep, seplen);
			jsonenc_value(b, json_object_iter_value(it), flags,
			    depth + 1);
			if ((it = json_object_iter_next(v, it)) != NULL) {
				buf_append(b, ",", 1);
				jsonenc_indent(b, flags, depth + 1, 1);
			}
		}
		jsonenc_indent(b, flags, depth, 0);
		buf_append(b, "}", 1);
		break;
	default:
		fatalx("jsonenc: cannot encode a value of type %d",
		    (int)json_typeof(v));
	}
}

void
jsonenc_dump(json_t *v, size_t flags, struct buf *out)
{
	if ((flags & ~(size_t)JSONENC_FLAGS) != 0)
		fatalx("%s: unsupported flags %#zx", __func__, flags);
	if (!json_is_object(v) && !json_is_array(v))
		fatalx("%s: not an object or array", __func__);
	jsonenc_value(out, v, flags, 0);
}
