/* SPDX-License-Identifier: ISC */
/*
 * jsonbuild - write a JSON value once, get it as a jansson tree or as
 * compact JSON text.
 *
 * A target's record is laid out in one place (report_json.c), for three
 * uses: the indented --format json document and the baseline digests
 * (baseline.c) need the jansson tree; a JSON Lines record only needs its
 * text, and building the tree first, then walking it, was half the
 * user time of a batch at 0 ms latency (bench/README.md).  The caller
 * writes the value top down: open and close objects and arrays, give a
 * key before each member of an object, then the member's value.  The
 * same calls make either result:
 *
 *   JB_TREE  a jansson tree, jb_tree() returns it (a new reference);
 *   JB_TEXT  jsonwrite's buffer, byte for byte what
 *            json_dumpb(tree, JSON_COMPACT) writes of that tree
 *            (jsonwrite.h); jb_text() returns it.
 *
 * Every string and key must be valid UTF-8 (escape_utf8() output or a
 * literal); jansson encodes them in both modes.  A key given twice in one
 * object is the caller's bug: the tree would keep one member, the text
 * two.  Misuse (a value without a key inside an object, a key outside
 * one, nesting deeper than JB_MAXDEPTH, unbalanced closes) is fatalx().
 */
#ifndef SMTPPROBE_JSONBUILD_H
#define SMTPPROBE_JSONBUILD_H

#include <stddef.h>

#include <jansson.h>

#define JB_MAXDEPTH	16

enum jb_mode {
	JB_TREE,
	JB_TEXT,
};

struct jb {
	enum jb_mode	 mode;
	int		 depth;		/* open containers */
	int		 done;		/* the top-level value is complete */
	const char	*key;		/* given, not yet used */
	json_t		*root;		/* JB_TREE */
	json_t		*open[JB_MAXDEPTH];	/* JB_TREE: borrowed */
	unsigned char	 is_obj[JB_MAXDEPTH];
	unsigned char	 nonempty[JB_MAXDEPTH];	/* JB_TEXT: needs a comma */
};

void		 jb_init(struct jb *, enum jb_mode);

void		 jb_key(struct jb *, const char *key);
void		 jb_obj_open(struct jb *);
void		 jb_obj_close(struct jb *);
void		 jb_arr_open(struct jb *);
void		 jb_arr_close(struct jb *);
/* s: len octets of valid UTF-8 (a NUL among them allowed) */
void		 jb_stringn(struct jb *, const char *s, size_t len);
void		 jb_int(struct jb *, long long);
void		 jb_bool(struct jb *, int);
void		 jb_null(struct jb *);

/* JB_TREE: the value written (a new reference, the caller owns it) */
json_t		*jb_tree(struct jb *);
/* JB_TEXT: the text, not NUL-terminated; valid as jsonwrite_text() says */
const char	*jb_text(struct jb *, size_t *len);

#endif
