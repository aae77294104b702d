/*
 * logline.c: the log's line format.  One schema per line type drives the
 * writer, the strict reader and the re-serialization that proves a line
 * canonical; and the small file helpers the writer and verifier share.
 */
#include "logline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* tl_diag_set returns its `status` argument.  Saying so here lets the
 * static analyzer, which does not look into util.c, follow error paths. */
#define tl_diag_set(d, status, ...) \
	((void)(tl_diag_set)((d), (status), __VA_ARGS__), (status))

/* ------------------------------------------------------------------------
 * The line schemas: one table drives the writer, the parser and the
 * re-serialization that proves a line canonical.
 * ---------------------------------------------------------------------- */

enum kind {
	K_TYPE,       /* the line type, fixed per schema */
	K_UINT,       /* non-negative integer, at most 15 digits */
	K_STR,        /* string */
	K_STR_NULL,   /* string or null */
	K_HEX64,      /* 64 lower-case hex digits */
	K_HEX64_NULL, /* the same or null */
	K_HEX32,      /* 32 lower-case hex digits */
	K_KEYID,      /* 16 upper-case hex digits */
	K_DECISION    /* "release" or "withhold" */
};

struct field {
	const char *key;
	enum kind kind;
};

/* The order of each schema is that of its field indices in logline.h
 * (F_*, then H_*, D_*, C_* or E_*). */
static const struct field head_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "format", K_STR }, { "log_id", K_HEX32 }, { "key_id", K_KEYID },
	{ "commit_key_id", K_KEYID }, { "reader", K_STR },
	{ "policy_sha256", K_HEX64_NULL }, { "tool", K_STR },
	{ "created", K_STR_NULL },
};

static const struct field dec_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "doc", K_UINT }, { "portion", K_UINT }, { "line", K_UINT },
	{ "mark", K_STR_NULL }, { "decision", K_DECISION },
	{ "rule", K_STR_NULL }, { "tag", K_HEX64 },
};

static const struct field doc_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "doc", K_UINT }, { "input", K_STR }, { "input_tag", K_HEX64 },
	{ "output", K_STR_NULL }, { "output_sha256", K_HEX64_NULL },
	{ "reader", K_STR }, { "policy_sha256", K_HEX64_NULL },
	{ "portions", K_UINT },
};

static const struct field end_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "entries", K_UINT }, { "root", K_HEX64 },
};

static const struct {
	const char *name;
	const struct field *schema;
	size_t n;
} types[T_COUNT] = {
	[T_HEAD] = { "head", head_schema, H_N },
	[T_DEC] = { "dec", dec_schema, D_N },
	[T_DOC] = { "doc", doc_schema, C_N },
	[T_END] = { "end", end_schema, E_N },
};



static bool
is_hex(const char *s, size_t len, size_t want, bool upper)
{
	size_t i;
	unsigned bad = 0, a = upper ? 'A' : 'a';

	if (len != want)
		return false;
	/* No branch per digit: hashes are random, and a branch on digit or
	 * letter would be mispredicted half the time. */
	for (i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i];
		bad |= (c - '0' > 9u) & (c - a > 5u);
	}
	return bad == 0;
}

bool
tl_logline_hex(const char *s, size_t want)
{
	return s != NULL && is_hex(s, strlen(s), want, false);
}

bool
tl_logline_is(const struct value *v, const char *lit)
{
	return !v->null && v->len == strlen(lit) &&
	    memcmp(v->s, lit, v->len) == 0;
}

/* Index of the first value that does not fit its kind, or -1; `why`
 * receives what was expected. */
int
tl_logline_check(int type, const struct value *v, const char **why)
{
	const struct field *f = types[type].schema;
	size_t i;

	for (i = 0; i < types[type].n; i++) {
		const struct value *x = &v[i];
		bool ok = true;

		switch (f[i].kind) {
		case K_TYPE:
		case K_UINT:
		case K_STR_NULL:
			break;
		case K_STR:
			ok = !x->null;
			*why = "a string";
			break;
		case K_HEX64_NULL:
			if (x->null)
				break;
			/* FALLTHROUGH */
		case K_HEX64:
			ok = !x->null && is_hex(x->s, x->len, 64, false);
			*why = "64 lower-case hex digits";
			break;
		case K_HEX32:
			ok = !x->null && is_hex(x->s, x->len, 32, false);
			*why = "32 lower-case hex digits";
			break;
		case K_KEYID:
			ok = !x->null && is_hex(x->s, x->len, 16, true);
			*why = "16 upper-case hex digits";
			break;
		case K_DECISION:
			ok = tl_logline_is(x, "release") || tl_logline_is(x, "withhold");
			*why = "\"release\" or \"withhold\"";
			break;
		}
		if (!ok)
			return (int)i;
	}
	return -1;
}

/* u in decimal. */
static tl_status
put_uint(tl_buf *b, unsigned long long u)
{
	char d[TL_UTOA_MAX];

	return tl_buf_append(b, d, tl_utoa(u, d));
}

/* The one serialization of a line: fixed key order, no spaces, strings
 * escaped by tl_buf_json_str.  Lines that do not come out of this
 * byte for byte are rejected by the verifier. */
tl_status
tl_logline_write(tl_buf *b, int type, const struct value *v)
{
	const struct field *f = types[type].schema;
	tl_status st;
	size_t i;

	tl_buf_reset(b);
	st = tl_buf_putc(b, '{');
	for (i = 0; st == TL_OK && i < types[type].n; i++) {
		/* Keys and type names are plain identifiers: nothing to
		 * escape. */
		if (i > 0)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = tl_buf_putc(b, '"');
		if (st == TL_OK)
			st = tl_buf_puts(b, f[i].key);
		if (st == TL_OK)
			st = tl_buf_append(b, "\":", 2);
		if (st != TL_OK)
			break;
		if (f[i].kind == K_TYPE)
			st = tl_buf_json_str(b, types[type].name,
			    strlen(types[type].name));
		else if (f[i].kind == K_UINT)
			st = put_uint(b, v[i].u);
		else if (v[i].null)
			st = tl_buf_puts(b, "null");
		else
			st = tl_buf_json_str(b, v[i].s, v[i].len);
	}
	return st == TL_OK ? tl_buf_putc(b, '}') : st;
}

/* ------------------------------------------------------------------------
 * A reader for the log's own compact lines: the keys of one schema in
 * order; values that are strings, integers or null.  Not a JSON parser.
 * ---------------------------------------------------------------------- */


static bool
take(struct cursor *c, char ch)
{
	if (c->pos < c->len && c->s[c->pos] == ch) {
		c->pos++;
		return true;
	}
	return false;
}

static int
hexval(int ch)
{
	if (tl_isdigit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decodes a string literal into the arena.  \u escapes of surrogates
 * are refused; anything the writer would not write comes out different
 * on re-serialization and is caught there. */
static bool
parse_string(struct cursor *c, const char **out, size_t *outlen)
{
	char *dst = c->arena + c->alen;
	size_t n = 0;
	unsigned cp;
	int i, h;

	if (!take(c, '"')) {
		c->why = "expected a string";
		return false;
	}
	for (;;) {
		unsigned char ch;
		/* Bytes that stand for themselves, a word at a time; the
		 * loop below takes the rest one by one. */
		size_t run = tl_json_plain_run(c->s + c->pos, c->len - c->pos);

		memcpy(dst + n, c->s + c->pos, run);
		n += run;
		c->pos += run;
		if (c->pos >= c->len) {
			c->why = "unterminated string";
			return false;
		}
		ch = (unsigned char)c->s[c->pos++];
		if (ch == '"')
			break;
		if (ch < 0x20) {
			c->why = "control character in a string";
			c->pos--;
			return false;
		}
		if (ch != '\\') {
			dst[n++] = (char)ch;
			continue;
		}
		if (c->pos >= c->len) {
			c->why = "unterminated string";
			return false;
		}
		switch (c->s[c->pos++]) {
		case '"': dst[n++] = '"'; break;
		case '\\': dst[n++] = '\\'; break;
		case '/': dst[n++] = '/'; break;
		case 'b': dst[n++] = '\b'; break;
		case 'f': dst[n++] = '\f'; break;
		case 'n': dst[n++] = '\n'; break;
		case 'r': dst[n++] = '\r'; break;
		case 't': dst[n++] = '\t'; break;
		case 'u':
			for (cp = 0, i = 0; i < 4; i++) {
				if (c->pos >= c->len ||
				    (h = hexval((unsigned char)c->s[c->pos])) <
				    0) {
					c->why = "bad \\u escape";
					return false;
				}
				cp = cp << 4 | (unsigned)h;
				c->pos++;
			}
			if (cp >= 0xd800 && cp <= 0xdfff) {
				c->why = "surrogate in a \\u escape";
				return false;
			}
			/* At most 3 bytes from 6 characters of input. */
			if (cp < 0x80)
				dst[n++] = (char)cp;
			else if (cp < 0x800) {
				dst[n++] = (char)(0xc0 | cp >> 6);
				dst[n++] = (char)(0x80 | (cp & 0x3f));
			} else {
				dst[n++] = (char)(0xe0 | cp >> 12);
				dst[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
				dst[n++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		default:
			c->why = "bad escape";
			return false;
		}
	}
	dst[n] = '\0';
	*out = dst;
	*outlen = n;
	c->alen += n + 1;
	return true;
}

static bool
parse_uint(struct cursor *c, unsigned long long *u)
{
	size_t start = c->pos;

	*u = 0;
	while (c->pos < c->len && tl_isdigit((unsigned char)c->s[c->pos])) {
		if (c->pos - start == UINT_DIGITS) {
			c->why = "number too long";
			return false;
		}
		*u = *u * 10 + (unsigned)(c->s[c->pos] - '0');
		c->pos++;
	}
	if (c->pos == start) {
		c->why = "expected a number";
		return false;
	}
	if (c->s[start] == '0' && c->pos - start > 1) {
		c->why = "leading zero";
		return false;
	}
	return true;
}

static bool
parse_value(struct cursor *c, enum kind kind, struct value *v)
{
	v->col = c->pos + 1;
	v->null = false;
	if (kind == K_UINT)
		return parse_uint(c, &v->u);
	if (c->len - c->pos >= 4 && memcmp(c->s + c->pos, "null", 4) == 0) {
		if (kind != K_STR_NULL && kind != K_HEX64_NULL) {
			c->why = "null where a value is required";
			return false;
		}
		c->pos += 4;
		v->null = true;
		v->s = NULL;
		v->len = 0;
		return true;
	}
	return parse_string(c, &v->s, &v->len);
}

static bool
parse_key(struct cursor *c, const char *key)
{
	const char *s;
	size_t len;

	if (!parse_string(c, &s, &len) || len != strlen(key) ||
	    memcmp(s, key, len) != 0) {
		c->why = "unexpected key (keys come in a fixed order)";
		return false;
	}
	if (!take(c, ':')) {
		c->why = "expected ':'";
		return false;
	}
	return true;
}

/* Parses one line; on failure returns false with c->why and c->pos. */
bool
tl_logline_read(struct cursor *c, int *type, struct value *v)
{
	const struct field *f;
	struct value tv;
	size_t i;
	int t;

	if (!take(c, '{')) {
		c->why = "expected '{'";
		return false;
	}
	if (!parse_key(c, "type") || !parse_value(c, K_STR, &tv))
		return false;
	for (t = 0; t < T_COUNT; t++)
		if (tl_logline_is(&tv, types[t].name))
			break;
	if (t == T_COUNT) {
		c->pos = tv.col - 1;
		c->why = "unknown line type";
		return false;
	}
	f = types[t].schema;
	v[0] = tv;
	for (i = 1; i < types[t].n; i++) {
		if (!take(c, ',')) {
			c->why = "expected ','";
			return false;
		}
		if (!parse_key(c, f[i].key) || !parse_value(c, f[i].kind, &v[i]))
			return false;
	}
	if (!take(c, '}')) {
		c->why = "expected '}'";
		return false;
	}
	if (c->pos != c->len) {
		c->why = "text after the object";
		return false;
	}
	*type = t;
	return true;
}

const char *
tl_logline_key(int type, size_t i)
{
	return types[type].schema[i].key;
}

/* ------------------------------------------------------------------------
 * Files
 * ---------------------------------------------------------------------- */

tl_status
tl_logfile_error(tl_diag *d, const char *path, const char *what)
{
	int e = errno;

	return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
	    "%s: %s", what, strerror(e));
}

bool
tl_logfile_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

char *
tl_logfile_concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

/* Streams the file at `path` into a tag. */
tl_status
tl_logfile_tag(tl_tag *t, const char *path, tl_diag *d)
{
	char buf[65536];
	FILE *f;
	size_t n;
	tl_status st = TL_OK;

	if ((f = fopen(path, "rb")) == NULL)
		return tl_logfile_error(d, path, "cannot open");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		tl_tag_update(t, buf, n);
	if (ferror(f))
		st = tl_logfile_error(d, path, "cannot read");
	fclose(f);
	return st;
}
