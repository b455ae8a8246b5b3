/* SPDX-License-Identifier: ISC */
/*
 * check_jsonbuild - one sequence of jsonbuild calls makes a jansson tree
 * (JB_TREE) and compact text (JB_TEXT), and the text is byte for byte
 * json_dumps(tree, JSON_COMPACT): nesting, empty containers, every kind
 * of value, hostile strings and keys.  Misuse ends the program (exit 70,
 * fatalx()) instead of writing invalid JSON.  (check_report compares
 * every report fixture's record made both ways.)
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonbuild.h"
#include "jsonwrite.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* the value written by fn in both modes: the text must be the tree's */
static void
assert_both(void (*fn)(struct jb *), const char *expect)
{
	struct jb	 b;
	json_t		*tree;
	const char	*got;
	char		*want;
	size_t		 len;

	jb_init(&b, JB_TREE);
	fn(&b);
	tree = jb_tree(&b);
	ck_assert_ptr_nonnull(tree);
	want = json_dumps(tree, JSON_COMPACT | JSON_ENCODE_ANY);
	ck_assert_ptr_nonnull(want);
	jb_init(&b, JB_TEXT);
	fn(&b);
	got = jb_text(&b, &len);
	ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0,
	    "\n got  %.*s\n want %s", (int)len, got, want);
	if (expect != NULL)
		ck_assert_str_eq(want, expect);
	free(want);
	json_decref(tree);
}

static void
w_nested(struct jb *b)
{
	jb_obj_open(b);
	jb_key(b, "a");
	jb_arr_open(b);
	jb_int(b, 1);
	jb_arr_open(b);
	jb_arr_close(b);
	jb_obj_open(b);
	jb_obj_close(b);
	jb_null(b);
	jb_bool(b, 1);
	jb_bool(b, 0);
	jb_arr_close(b);
	jb_key(b, "b");
	jb_obj_open(b);
	jb_key(b, "c");
	jb_stringn(b, "d", 1);
	jb_obj_close(b);
	jb_key(b, "empty");
	jb_arr_open(b);
	jb_arr_close(b);
	jb_obj_close(b);
}

START_TEST(test_nesting)
{
	assert_both(w_nested,
	    "{\"a\":[1,[],{},null,true,false],\"b\":{\"c\":\"d\"},\"empty\":[]}");
}
END_TEST

static void
w_empty_obj(struct jb *b)
{
	jb_obj_open(b);
	jb_obj_close(b);
}

static void
w_scalar(struct jb *b)
{
	jb_int(b, LLONG_MIN);
}

START_TEST(test_top_level)
{
	assert_both(w_empty_obj, "{}");
	assert_both(w_scalar, "-9223372036854775808");
}
END_TEST

static const struct {
	const char	*s;
	size_t		 len;
} strings[] = {
	{ "", 0 },
	{ "quote \" backslash \\ slash /", 27 },
	{ "\b\f\n\r\t\x01\x1f\x7f", 8 },
	{ "a\0b", 3 },
	{ "caf\xc3\xa9 \xe4\xb8\xad\xf0\x9f\x93\xa7", 13 },
};
static size_t	 cur;

static void
w_strings(struct jb *b)
{
	jb_obj_open(b);
	/* a hostile string as a key, when it is a C string */
	jb_key(b, strlen(strings[cur].s) == strings[cur].len ?
	    strings[cur].s : "k");
	jb_arr_open(b);
	jb_stringn(b, strings[cur].s, strings[cur].len);
	jb_int(b, LLONG_MAX);
	jb_int(b, -1);
	jb_arr_close(b);
	jb_obj_close(b);
}

START_TEST(test_strings)
{
	int	 k;

	cur = (size_t)_i;
	for (k = 0; k < 3; k++)		/* jsonwrite's cache: miss, kept, hit */
		assert_both(w_strings, NULL);
}
END_TEST

/* each of these is a bug in the caller: fatalx(), exit status 70 */
START_TEST(test_misuse_member_without_key)
{
	struct jb	 b;

	jb_init(&b, JB_TEXT);
	jb_obj_open(&b);
	jb_int(&b, 1);
}
END_TEST

START_TEST(test_misuse_key_in_array)
{
	struct jb	 b;

	jb_init(&b, JB_TREE);
	jb_arr_open(&b);
	jb_key(&b, "k");
	jb_int(&b, 1);
}
END_TEST

START_TEST(test_misuse_unbalanced)
{
	struct jb	 b;

	jb_init(&b, JB_TEXT);
	jb_obj_open(&b);
	jb_arr_close(&b);
}
END_TEST

START_TEST(test_misuse_incomplete)
{
	struct jb	 b;
	size_t		 len;

	jb_init(&b, JB_TEXT);
	jb_arr_open(&b);
	(void)jb_text(&b, &len);
}
END_TEST

START_TEST(test_misuse_too_deep)
{
	struct jb	 b;
	int		 i;

	jb_init(&b, JB_TREE);
	for (i = 0; i <= JB_MAXDEPTH; i++)
		jb_arr_open(&b);
}
END_TEST

START_TEST(test_misuse_two_values)
{
	struct jb	 b;

	jb_init(&b, JB_TEXT);
	jb_null(&b);
	jb_null(&b);
}
END_TEST

static Suite *
jsonbuild_suite(void)
{
	Suite	*s = suite_create("jsonbuild");
	TCase	*tc;

	tc = tcase_create("bytes");
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_top_level);
	tcase_add_loop_test(tc, test_strings, 0, (int)nitems(strings));
	suite_add_tcase(s, tc);

	tc = tcase_create("misuse");
	tcase_add_exit_test(tc, test_misuse_member_without_key, 70);
	tcase_add_exit_test(tc, test_misuse_key_in_array, 70);
	tcase_add_exit_test(tc, test_misuse_unbalanced, 70);
	tcase_add_exit_test(tc, test_misuse_incomplete, 70);
	tcase_add_exit_test(tc, test_misuse_too_deep, 70);
	tcase_add_exit_test(tc, test_misuse_two_values, 70);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(jsonbuild_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	jsonwrite_reset();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
