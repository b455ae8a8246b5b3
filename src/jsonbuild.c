/* SPDX-License-Identifier: ISC */
/*
 * jsonbuild - see jsonbuild.h.  In JB_TREE a container is attached to
 * its parent when it is opened and filled afterwards (the parent holds
 * the reference, the stack borrows it); in JB_TEXT a container only
 * remembers whether it needs a comma before its next member.
 */
#include "config.h"

#include <string.h>

#include <jansson.h>

#include "jsonbuild.h"
#include "jsonwrite.h"
#include "log.h"

void
jb_init(struct jb *b, enum jb_mode mode)
{
	memset(b, 0, sizeof(*b));
	b->mode = mode;
	if (mode == JB_TEXT)
		jsonwrite_begin();
}

/* before a value: the comma, the key, where it goes */
static void
jb_before(struct jb *b)
{
	int	 in_obj;

	if (b->done)
		fatalx("jsonbuild: a second top-level value");
	if (b->depth == 0) {
		if (b->key != NULL)
			fatalx("jsonbuild: key \"%s\" outside an object", b->key);
		return;
	}
	in_obj = b->is_obj[b->depth - 1];
	if (in_obj && b->key == NULL)
		fatalx("jsonbuild: a member without a key");
	if (!in_obj && b->key != NULL)
		fatalx("jsonbuild: key \"%s\" in an array", b->key);
	if (b->mode == JB_TEXT) {
		if (b->nonempty[b->depth - 1])
			jsonwrite_char(',');
		b->nonempty[b->depth - 1] = 1;
		if (in_obj) {
			jsonwrite_string(b->key, strlen(b->key));
			jsonwrite_char(':');
		}
	}
}

/* JB_TREE: v (a new reference) into its place */
static void
jb_place(struct jb *b, json_t *v)
{
	json_t	*parent;
	int	 rc;

	if (v == NULL)
		fatalx("jsonbuild: jansson cannot make a value");
	if (b->depth == 0) {
		b->root = v;
		return;
	}
	parent = b->open[b->depth - 1];
	if (b->is_obj[b->depth - 1])
		rc = json_object_set_new_nocheck(parent, b->key, v);
	else
		rc = json_array_append_new(parent, v);
	if (rc == -1)
		fatalx("jsonbuild: cannot add to a container");
}

/* a value is complete: the key is used up, and maybe the whole value */
static void
jb_after(struct jb *b)
{
	b->key = NULL;
	if (b->depth == 0)
		b->done = 1;
}

void
jb_key(struct jb *b, const char *key)
{
	if (b->key != NULL)
		fatalx("jsonbuild: key \"%s\" without a value", b->key);
	b->key = key;
}

static void
jb_open(struct jb *b, int is_obj)
{
	json_t	*v;

	if (b->depth == JB_MAXDEPTH)
		fatalx("jsonbuild: nested deeper than %d", JB_MAXDEPTH);
	jb_before(b);
	if (b->mode == JB_TREE) {
		v = is_obj ? json_object() : json_array();
		jb_place(b, v);
		b->open[b->depth] = v;
	} else
		jsonwrite_char(is_obj ? '{' : '[');
	b->key = NULL;
	b->is_obj[b->depth] = (unsigned char)is_obj;
	b->nonempty[b->depth] = 0;
	b->depth++;
}

static void
jb_close(struct jb *b, int is_obj)
{
	if (b->depth == 0 || b->is_obj[b->depth - 1] != is_obj)
		fatalx("jsonbuild: closing an %s that is not open",
		    is_obj ? "object" : "array");
	if (b->key != NULL)
		fatalx("jsonbuild: key \"%s\" without a value", b->key);
	b->depth--;
	if (b->mode == JB_TEXT)
		jsonwrite_char(is_obj ? '}' : ']');
	jb_after(b);
}

void
jb_obj_open(struct jb *b)
{
	jb_open(b, 1);
}

void
jb_obj_close(struct jb *b)
{
	jb_close(b, 1);
}

void
jb_arr_open(struct jb *b)
{
	jb_open(b, 0);
}

void
jb_arr_close(struct jb *b)
{
	jb_close(b, 0);
}

void
jb_stringn(struct jb *b, const char *s, size_t len)
{
	jb_before(b);
	if (b->mode == JB_TREE)
		jb_place(b, json_stringn_nocheck(s, len));
	else
		jsonwrite_string(s, len);
	jb_after(b);
}

void
jb_int(struct jb *b, long long n)
{
	jb_before(b);
	if (b->mode == JB_TREE)
		jb_place(b, json_integer(n));
	else
		jsonwrite_integer(n);
	jb_after(b);
}

void
jb_bool(struct jb *b, int v)
{
	jb_before(b);
	if (b->mode == JB_TREE)
		jb_place(b, json_boolean(v));
	else if (v)
		jsonwrite_raw("true", 4);
	else
		jsonwrite_raw("false", 5);
	jb_after(b);
}

void
jb_null(struct jb *b)
{
	jb_before(b);
	if (b->mode == JB_TREE)
		jb_place(b, json_null());
	else
		jsonwrite_raw("null", 4);
	jb_after(b);
}

static void
jb_check_done(const struct jb *b, enum jb_mode mode)
{
	if (b->mode != mode)
		fatalx("jsonbuild: asked for the other mode's result");
	if (!b->done || b->depth != 0)
		fatalx("jsonbuild: the value is not complete");
}

json_t *
jb_tree(struct jb *b)
{
	json_t	*v;

	jb_check_done(b, JB_TREE);
	v = b->root;
	b->root = NULL;
	return v;
}

const char *
jb_text(struct jb *b, size_t *len)
{
	jb_check_done(b, JB_TEXT);
	return jsonwrite_text(len);
}
