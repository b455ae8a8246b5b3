/* SPDX-License-Identifier: ISC */
/*
 * ehlo - EHLO response -> extensions (RFC 5321 4.1.1.1, 2.2.2).  Pure.
 *
 * The first line of a 250 EHLO reply is the server's domain and greeting;
 * each further line is "keyword [param ...]".  Keywords are matched
 * case-insensitively and stored upper-cased; unknown keywords are kept.
 *
 * Every line counts, stored or not: what is stored is capped (the reply
 * text at REPLY_TEXT_CAP, EHLO_MAX_EXTS keywords, EHLO_MAX_UNPARSED raw
 * lines), what is understood is not.  The reply parser reads each line it
 * cannot store with ehlo_scan_line() as it arrives (struct smtp_reply's
 * unstored), so a server cannot hide STARTTLS behind 8 KiB of junk.
 */
#ifndef SMTPPROBE_EHLO_H
#define SMTPPROBE_EHLO_H

#include <stddef.h>

struct smtp_reply;

/* capability bits for the keywords smtpprobe acts on */
#define EXT_STARTTLS		0x0001	/* RFC 3207 */
#define EXT_PIPELINING		0x0002	/* RFC 2920 */
#define EXT_ETRN		0x0004	/* RFC 1985 */
#define EXT_ATRN		0x0008	/* RFC 2645 */
#define EXT_VRFY		0x0010	/* some servers list VRFY */
#define EXT_EXPN		0x0020	/* RFC 5321 4.1.1.7 */
#define EXT_HELP		0x0040
#define EXT_AUTH		0x0080	/* RFC 4954 */
#define EXT_SIZE		0x0100	/* RFC 1870 */
#define EXT_8BITMIME		0x0200	/* RFC 6152 */
#define EXT_ENHANCEDSTATUSCODES	0x0400	/* RFC 2034 */
#define EXT_DSN			0x0800	/* RFC 3461 */
#define EXT_SMTPUTF8		0x1000	/* RFC 6531 */
#define EXT_CHUNKING		0x2000	/* RFC 3030 */
#define EXT_TURN		0x4000	/* obsolete; some old servers list it */
#define EXT_REQUIRETLS		0x8000	/* RFC 8689 */

#define EHLO_MAX_EXTS		256	/* more are counted, not stored */
#define EHLO_MAX_PARAMS		32	/* per keyword */
#define EHLO_MAX_UNPARSED	16	/* raw unparsed lines kept; more counted */

struct ehlo_ext {
	char	 *name;			/* upper-cased keyword */
	char	**params;		/* as sent */
	size_t	  nparams;
};

struct ehlo_info {
	char		*domain;	/* the server's name (first word of the
					   first line when it is a name), or NULL */
	struct ehlo_ext	*exts;
	size_t		 nexts;
	size_t		 ndropped;	/* keyword lines not in exts: a new
					   keyword over EHLO_MAX_EXTS, or any
					   line past the reply's text cap */
	unsigned	 caps;		/* EXT_* of every keyword line, stored
					   or not */
	int		 malformed;	/* lines that are not "keyword [param
					   ...]", stored or not */
	char		**unparsed;	/* the first EHLO_MAX_UNPARSED of them
					   that are in the reply text, raw */
	size_t		 nunparsed;
};

/*
 * ehlo_parse - parse the text of a 250 EHLO reply into *info
 *
 * info is overwritten (call ehlo_info_free() first if it held data).
 * Allocates; never fails (xmalloc).
 */
void	 ehlo_parse(const struct smtp_reply *, struct ehlo_info *info);
void	 ehlo_info_free(struct ehlo_info *);	/* safe on a zeroed struct */
/* ehlo_info_copy - a deep copy of src into dst (dst is overwritten) */
void	 ehlo_info_copy(struct ehlo_info *dst, const struct ehlo_info *src);

/* ehlo_keyword_bit - EXT_* bit for a keyword (any case), or 0 */
unsigned ehlo_keyword_bit(const char *kw);

/*
 * ehlo_scan_line - read one line after the first of an EHLO reply (its
 * text after "250-"; len bytes, no NUL needed)
 *
 * Returns the length of its keyword, or 0 when the line is not "keyword
 * [param ...]" (unparsed); *bit (may be NULL) gets the keyword's EXT_*
 * bit, 0 if none.  No allocation: the reply parser calls it on every line
 * it does not store.
 */
size_t	 ehlo_scan_line(const char *s, size_t len, unsigned *bit);

/* ehlo_find - the extension named kw (any case), or NULL */
const struct ehlo_ext *ehlo_find(const struct ehlo_info *, const char *kw);

/*
 * The SASL mechanisms an EHLO reply advertises (RFC 4954 3: "AUTH mech
 * ..."; the pre-standard "AUTH=mech ..." form is read the same way by
 * ehlo_parse()).  Names are upper-cased and kept once each, in order;
 * a param that is not a SASL mechanism name (RFC 4422 3.1: 1 to 20 of
 * A-Z, 0-9, '-', '_') is counted in ninvalid, not kept.
 */
#define SASL_MECH_MAX	20	/* RFC 4422 3.1 */

struct ehlo_auth {
	int	 offered;	/* the AUTH keyword, stored or not (caps) */
	char	 mechs[EHLO_MAX_PARAMS][SASL_MECH_MAX + 1];
	size_t	 nmechs;
	size_t	 ninvalid;
	/*
	 * PLAIN (RFC 4616) or LOGIN: the password itself crosses the wire,
	 * only base64-encoded (RFC 4954 4: such mechanisms need TLS)
	 */
	int	 cleartext;
};

/* ehlo_auth - the AUTH mechanisms of info (NULL: none); out is overwritten */
void	 ehlo_auth(const struct ehlo_info *info, struct ehlo_auth *out);

/*
 * What changed between two EHLO replies of one session: RFC 3207 4.2
 * makes the client forget the first one after STARTTLS and ask again,
 * and servers typically add AUTH and drop STARTTLS inside TLS.
 * Every pointer borrows from the two ehlo_info structs compared.
 */
struct ehlo_change {
	const struct ehlo_ext	*before;
	const struct ehlo_ext	*after;
};

struct ehlo_diff {
	const struct ehlo_ext	**added;	/* in after only, same order */
	size_t			  nadded;
	const struct ehlo_ext	**removed;	/* in before only, same order */
	size_t			  nremoved;
	struct ehlo_change	 *changed;	/* same keyword, other params */
	size_t			  nchanged;
};

/*
 * ehlo_diff - compare the extensions of two EHLO replies
 *
 * Keywords match in any case; params are compared byte for byte, as a
 * set (order does not matter).  A keyword repeated within one list
 * counts once (the first, as ehlo_find() sees it); unnamed entries are
 * skipped.  Either info may be NULL (no extensions).  out is
 * overwritten; it borrows from before and after, which must outlive
 * it.  O(n log n) in keywords and params.  Allocates; never fails
 * (xmalloc).
 */
void	 ehlo_diff(const struct ehlo_info *before, const struct ehlo_info *after,
	    struct ehlo_diff *out);
void	 ehlo_diff_free(struct ehlo_diff *);	/* safe on a zeroed struct */

/* ehlo_diff_empty - 1 when nothing was added, removed or changed */
int	 ehlo_diff_empty(const struct ehlo_diff *);

#endif
