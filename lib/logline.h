/*
 * logline.h: the signed log's lines, shared by the writer (log.c) and the
 * verifier (verify.c): the index of each field in its line type's schema
 * (the schemas themselves are in logline.c), one parsed value, and the
 * strict reader and canonical writer of a line.  Private to the library.
 */
#ifndef TL_LOGLINE_H
#define TL_LOGLINE_H

#include "internal.h"

#include <string.h>

/* The index of each field in its line's schema (logline.c): the fields
 * every line starts with, then those of head, dec, doc and end lines. */
enum { F_TYPE, F_SEQ, F_PREV };
enum { H_FORMAT = 3, H_LOGID, H_KEYID, H_CKID, H_READER, H_POLICY, H_TOOL,
	H_CREATED, H_N };
enum { D_DOC = 3, D_PORTION, D_LINE, D_MARK, D_DECISION, D_RULE, D_TAG,
	D_N };
enum { C_DOC = 3, C_INPUT, C_ITAG, C_OUTPUT, C_OSHA, C_READER, C_POLICY,
	C_PORTIONS, C_N };
enum { E_ENTRIES = 3, E_ROOT, E_N };

/* Line types. */
enum { T_HEAD, T_DEC, T_DOC, T_END, T_COUNT };

#define MAX_FIELDS 11
#define UINT_DIGITS 15 /* below 2^53: exact in every JSON reader */
#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* One field's value.  Strings are not NUL-terminated in general. */
struct value {
	bool null;
	unsigned long long u;
	const char *s;
	size_t len;
	size_t col; /* 1-based column of the value in the parsed line */
};

static inline void
set_str(struct value *v, const char *s)
{
	v->null = s == NULL;
	v->s = s;
	v->len = s ? strlen(s) : 0;
}

static inline void
set_uint(struct value *v, unsigned long long u)
{
	v->null = false;
	v->u = u;
}

/* A reader's place in one line; decoded strings go to `arena`, which the
 * caller sizes to the line. */
struct cursor {
	const char *s;
	size_t len, pos;
	char *arena; /* decoded strings; never longer than the line */
	size_t alen;
	const char *why;
};

/* Field i's key in line type `type` (T_HEAD...). */
const char *tl_logline_key(int type, size_t i);

/* True when v is the string `lit`. */
bool tl_logline_is(const struct value *v, const char *lit);

/* True when s is `want` lower-case hex digits. */
bool tl_logline_hex(const char *s, size_t want);

/* Index of the first value that does not fit its kind, or -1; `why`
 * receives what was expected. */
int tl_logline_check(int type, const struct value *v, const char **why);

/* Appends the canonical form of a line of `type` with values v. */
tl_status tl_logline_write(tl_buf *b, int type, const struct value *v);

/* Reads one line at c into *type and v[]; false with c->why and c->pos on
 * a syntax error. */
bool tl_logline_read(struct cursor *c, int *type, struct value *v);

/* The files around a log: errno as a diagnostic, existence, "a" "b"
 * joined (malloc'd, NULL when out of memory), a file streamed into a
 * keyed tag. */
tl_status tl_logfile_error(tl_diag *d, const char *path, const char *what);
bool tl_logfile_exists(const char *path);
char *tl_logfile_concat(const char *a, const char *b);
tl_status tl_logfile_tag(tl_tag *t, const char *path, tl_diag *d);

#endif
