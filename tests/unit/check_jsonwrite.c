/* SPDX-License-Identifier: ISC */
/*
 * check_jsonwrite - jsonwrite, driven value by value over a jansson
 * tree (write_tree() below, as jsonbuild.c drives it over a record),
 * writes exactly what jansson's json_dumps(JSON_COMPACT) writes of that
 * tree: for hostile strings and keys (quotes,
 * backslashes, control characters, NUL, UTF-8, long texts), for every
 * kind of value, and while its string cache fills, hits, evicts and is
 * reset, and for each ASCII octet, whether written as it is or by
 * jansson.  (check_report compares every report fixture's record too.)
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonwrite.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define S(lit)		{ lit, sizeof(lit) - 1 }

/* v through jsonwrite's calls, in the order json_dumps() writes it */
static void
write_value(json_t *v)
{
	void		*it;
	char		*real;
	size_t		 i, n = 0;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jsonwrite_char('{');
		/* in order of insertion, as json_dumps() without JSON_SORT_KEYS */
		for (it = json_object_iter(v); it != NULL;
		    it = json_object_iter_next(v, it)) {
			if (n++ > 0)
				jsonwrite_char(',');
			/* a key may hold a NUL (json_object_setn()) */
			jsonwrite_string(json_object_iter_key(it),
			    json_object_iter_key_len(it));
			jsonwrite_char(':');
			write_value(json_object_iter_value(it));
		}
		jsonwrite_char('}');
		break;
	case JSON_ARRAY:
		jsonwrite_char('[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				jsonwrite_char(',');
			write_value(json_array_get(v, i));
		}
		jsonwrite_char(']');
		break;
	case JSON_STRING:
		jsonwrite_string(json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jsonwrite_integer(json_integer_value(v));
		break;
	case JSON_TRUE:
		jsonwrite_raw("true", 4);
		break;
	case JSON_FALSE:
		jsonwrite_raw("false", 5);
		break;
	case JSON_NULL:
		jsonwrite_raw("null", 4);
		break;
	default:	/* a real: jsonwrite has none, jansson's own text */
		real = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		ck_assert_ptr_nonnull(real);
		jsonwrite_raw(real, strlen(real));
		free(real);
		break;
	}
}

static const char *
write_tree(json_t *obj, size_t *len)
{
	jsonwrite_begin();
	write_value(obj);
	return jsonwrite_text(len);
}

/* obj written three times (miss, kept, hit) must equal jansson's text */
static void
assert_same(json_t *obj)
{
	char		*want;
	const char	*got;
	size_t		 len;
	int		 k;

	want = json_dumps(obj, JSON_COMPACT);
	ck_assert_ptr_nonnull(want);
	for (k = 0; k < 3; k++) {
		got = write_tree(obj, &len);
		ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
		    "pass %d:\n got  %.*s\n want %s", k, (int)len, got, want);
	}
	free(want);
}

static const struct {
	const char	*s;
	size_t		 len;
} strings[] = {
	S(""),
	S("plain"),
	S("quote \" and backslash \\ and slash /"),
	S("\b\f\n\r\t\x01\x1f\x7f"),
	S("a\0b"),				/* an embedded NUL */
	S("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x93\xa7"),
	S("\xe2\x80\xa8 line separator"),
	S("250-mx.example.com Hello\n250 PIPELINING"),
};

START_TEST(test_string_values)
{
	json_t	*a = json_array(), *o = json_object();

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_array_append_new(a,
	    json_stringn(strings[_i].s, strings[_i].len)), 0);
	/* the same text as a key, and as a value under a key */
	ck_assert_int_eq(json_object_setn_new(o, strings[_i].s, strings[_i].len,
	    json_stringn(strings[_i].s, strings[_i].len)), 0);
	ck_assert_int_eq(json_object_set(o, "list", a), 0);
	assert_same(a);
	assert_same(o);
	json_decref(a);
	json_decref(o);
}
END_TEST

START_TEST(test_every_kind)
{
	json_t	*o;

	o = json_pack("{s:{}, s:[], s:[[],{}], s:I, s:I, s:i, s:b, s:b, s:n,"
	    " s:f, s:f, s:{s:{s:[i,s,n]}}}",
	    "empty_object", "empty_array", "nested_empty", "max", (json_int_t)LLONG_MAX,
	    "min", (json_int_t)LLONG_MIN, "zero", 0, "yes", 1, "no", 0, "none",
	    "real", 0.1, "big_real", 1e300,
	    "deep", "er", "est", 1, "x", "\"y\"");
	ck_assert_ptr_nonnull(o);
	assert_same(o);
	json_decref(o);
}
END_TEST

/*
 * Each ASCII octet inside a string, as a value and as a key: a string of
 * printable ASCII without '"' and '\\' is written as it is, the rest by
 * jansson; both must be jansson's text (U+0080 and up are never plain).
 */
START_TEST(test_each_octet)
{
	json_t	*a, *o;
	char	 s[3];
	int	 c;

	for (c = 0; c < 0x80; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'b';
		a = json_array();
		o = json_object();
		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(json_array_append_new(a,
		    json_stringn(s, sizeof(s))), 0);
		ck_assert_int_eq(json_object_setn_new(o, s, sizeof(s),
		    json_stringn(s + 1, 1)), 0);
		assert_same(a);
		assert_same(o);
		json_decref(a);
		json_decref(o);
	}
}
END_TEST

/* integers at every digit count and both signs, and the extremes */
START_TEST(test_integers)
{
	json_t		*a = json_array();
	json_int_t	 n;
	int		 d;

	ck_assert_ptr_nonnull(a);
	for (n = 1, d = 0; d < 18; d++, n *= 10) {
		json_array_append_new(a, json_integer(n - 1));
		json_array_append_new(a, json_integer(n));
		json_array_append_new(a, json_integer(-n));
		json_array_append_new(a, json_integer(-n + 1));
	}
	json_array_append_new(a, json_integer(LLONG_MAX));
	json_array_append_new(a, json_integer(LLONG_MIN));
	json_array_append_new(a, json_integer(LLONG_MIN + 1));
	ck_assert_int_eq(json_array_size(a), 18 * 4 + 3);
	assert_same(a);
	json_decref(a);
}
END_TEST

/* strings longer than the cache takes, at the edges of its limit */
START_TEST(test_long_strings)
{
	static const size_t	 lens[] = { 511, 512, 513, 4096, 70000 };
	json_t			*o = json_object();
	char			*s;
	size_t			 i, j;

	ck_assert_ptr_nonnull(o);
	for (i = 0; i < nitems(lens); i++) {
		s = malloc(lens[i] + 1);
		ck_assert_ptr_nonnull(s);
		for (j = 0; j < lens[i]; j++)
			s[j] = j % 50 == 49 ? '"' : (char)('a' + j % 26);
		s[lens[i]] = '\0';
		ck_assert_int_eq(json_object_set_new(o, s, json_string(s)), 0);
		free(s);
	}
	assert_same(o);
	json_decref(o);
}
END_TEST

/*
 * Far more repeated strings than the cache holds, in rounds: every slot
 * is taken and retaken, and each text still comes out as jansson writes
 * it (a slot that kept a wrong string would show here).
 */
START_TEST(test_cache_pressure)
{
	char	 buf[64];
	json_t	*o;
	int	 round, i;

	for (round = 0; round < 3; round++) {
		o = json_object();
		ck_assert_ptr_nonnull(o);
		for (i = 0; i < 20000; i++) {
			snprintf(buf, sizeof(buf), "k%d\t\"%d\"", i % 7000, i);
			ck_assert_int_eq(json_object_set_new(o, buf,
			    json_string(buf + 1)), 0);
		}
		assert_same(o);
		json_decref(o);
	}
	jsonwrite_reset();
	o = json_pack("{s:s}", "after", "reset");
	ck_assert_ptr_nonnull(o);
	assert_same(o);
	json_decref(o);
}
END_TEST

static Suite *
jsonwrite_suite(void)
{
	Suite	*s = suite_create("jsonwrite");
	TCase	*tc;

	tc = tcase_create("bytes");
	tcase_add_loop_test(tc, test_string_values, 0, nitems(strings));
	tcase_add_test(tc, test_every_kind);
	tcase_add_test(tc, test_each_octet);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_long_strings);
	tcase_add_test(tc, test_cache_pressure);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(jsonwrite_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	jsonwrite_reset();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
