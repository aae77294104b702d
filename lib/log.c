/*
 * log.c: the signed redaction log.  The writer appends compact JSON lines
 * (head, then per document its dec lines and a closing doc line, then
 * end), chains each to the previous one, counts them into an RFC 6962
 * Merkle tree and signs the file once.  The verifier reads a log back
 * once, strictly, and checks every link.  No portion text is ever
 * written, only keyed tags (sign.c computes them).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Fields every line starts with. */
enum { F_TYPE, F_SEQ, F_PREV };

static const struct field head_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "format", K_STR }, { "log_id", K_HEX32 }, { "key_id", K_KEYID },
	{ "commit_key_id", K_KEYID }, { "reader", K_STR },
	{ "policy_sha256", K_HEX64_NULL }, { "tool", K_STR },
	{ "created", K_STR_NULL },
};
enum { H_FORMAT = 3, H_LOGID, H_KEYID, H_CKID, H_READER, H_POLICY, H_TOOL,
	H_CREATED, H_N };

static const struct field dec_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "doc", K_UINT }, { "portion", K_UINT }, { "line", K_UINT },
	{ "mark", K_STR_NULL }, { "decision", K_DECISION },
	{ "rule", K_STR_NULL }, { "tag", K_HEX64 },
};
enum { D_DOC = 3, D_PORTION, D_LINE, D_MARK, D_DECISION, D_RULE, D_TAG,
	D_N };

static const struct field doc_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "doc", K_UINT }, { "input", K_STR }, { "input_tag", K_HEX64 },
	{ "output", K_STR_NULL }, { "output_sha256", K_HEX64_NULL },
	{ "reader", K_STR }, { "policy_sha256", K_HEX64_NULL },
	{ "portions", K_UINT },
};
enum { C_DOC = 3, C_INPUT, C_ITAG, C_OUTPUT, C_OSHA, C_READER, C_POLICY,
	C_PORTIONS, C_N };

static const struct field end_schema[] = {
	{ "type", K_TYPE }, { "seq", K_UINT }, { "prev", K_HEX64 },
	{ "entries", K_UINT }, { "root", K_HEX64 },
};
enum { E_ENTRIES = 3, E_ROOT, E_N };

enum { T_HEAD, T_DEC, T_DOC, T_END, T_COUNT };

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

static void
set_str(struct value *v, const char *s)
{
	v->null = s == NULL;
	v->s = s;
	v->len = s ? strlen(s) : 0;
}

static void
set_uint(struct value *v, unsigned long long u)
{
	v->null = false;
	v->u = u;
}

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

static bool
is_hex_str(const char *s, size_t want)
{
	return s != NULL && is_hex(s, strlen(s), want, false);
}

static bool
val_is(const struct value *v, const char *lit)
{
	return !v->null && v->len == strlen(lit) &&
	    memcmp(v->s, lit, v->len) == 0;
}

/* Index of the first value that does not fit its kind, or -1; `why`
 * receives what was expected. */
static int
check_values(int type, const struct value *v, const char **why)
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
			ok = val_is(x, "release") || val_is(x, "withhold");
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
static tl_status
serialize(tl_buf *b, int type, const struct value *v)
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

struct cursor {
	const char *s;
	size_t len, pos;
	char *arena; /* decoded strings; never longer than the line */
	size_t alen;
	const char *why;
};

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
static bool
parse_line(struct cursor *c, int *type, struct value *v)
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
		if (val_is(&tv, types[t].name))
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

/* ------------------------------------------------------------------------
 * Files
 * ---------------------------------------------------------------------- */

static tl_status
sys_error(tl_diag *d, const char *path, const char *what)
{
	int e = errno;

	return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
	    "%s: %s", what, strerror(e));
}

static bool
path_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

static char *
concat(const char *a, const char *b)
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
static tl_status
tag_file(tl_tag *t, const char *path, tl_diag *d)
{
	char buf[65536];
	FILE *f;
	size_t n;
	tl_status st = TL_OK;

	if ((f = fopen(path, "rb")) == NULL)
		return sys_error(d, path, "cannot open");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		tl_tag_update(t, buf, n);
	if (ferror(f))
		st = sys_error(d, path, "cannot read");
	fclose(f);
	return st;
}

/* ------------------------------------------------------------------------
 * The writer
 * ---------------------------------------------------------------------- */

struct tl_log {
	FILE *f;
	char *path, *sig_path, *tmp_path;
	const tl_seckey *sk;
	const tl_commitkey *ck;
	char log_id[TL_LOG_ID_HEX + 1];
	char *reader;
	char *policy; /* NULL: none */
	char *untrusted;
	char prev[TL_HASH_HEX + 1];
	unsigned long seq;          /* lines written */
	unsigned long doc;          /* current or last document */
	unsigned long pending;      /* dec lines of the current document */
	unsigned long last_portion;
	bool in_doc, force;
	tl_merkle *mt;
	/* minisign's prehash of the file, of the bytes as they are written:
	 * what is signed is what tearline wrote, and the log is not read
	 * back to sign it. */
	tl_b2b prehash;
	tl_buf line;
	tl_status failed; /* first error; the log can only be dropped */
	char iobuf[64 * 1024]; /* f's buffer: a large run has many short lines */
};

static void
log_release(tl_log *log)
{
	if (log->f)
		fclose(log->f);
	if (log->tmp_path)
		unlink(log->tmp_path);
	free(log->path);
	free(log->sig_path);
	free(log->tmp_path);
	free(log->reader);
	free(log->policy);
	free(log->untrusted);
	tl_merkle_free(log->mt);
	tl_buf_free(&log->line);
	free(log);
}

static tl_status
log_fail(tl_log *log, tl_diag *d, tl_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static tl_status
log_fail(tl_log *log, tl_diag *d, tl_status st, const char *fmt, ...)
{
	va_list ap;

	/* Usage errors leave the log intact; anything else poisons it. */
	if (st != TL_EUSAGE)
		log->failed = st;
	va_start(ap, fmt);
	tl_diag_vset(d, st, TL_SEV_ERROR, log->path, log->seq + 1, 0, NULL,
	    fmt, ap);
	va_end(ap);
	return st;
}

/* Writes one line: seq and prev filled in here; chained and counted. */
static tl_status
emit(tl_log *log, int type, struct value *v, tl_diag *d)
{
	tl_status st;

	if (log->failed)
		return tl_diag_set(d, log->failed, TL_SEV_ERROR, log->path, 0,
		    0, NULL, "the log failed earlier and cannot be written");
	set_uint(&v[F_SEQ], log->seq + 1);
	set_str(&v[F_PREV], log->prev);
	if ((st = serialize(&log->line, type, v)) != TL_OK ||
	    log->line.len > TL_LOG_LINE_MAX)
		return log_fail(log, d, st == TL_ENOMEM ? st : TL_ELIMIT,
		    "log line longer than %d bytes", TL_LOG_LINE_MAX);
	if (fwrite(log->line.data, 1, log->line.len, log->f) != log->line.len ||
	    putc('\n', log->f) == EOF)
		return log_fail(log, d, TL_EIO, "cannot write: %s",
		    strerror(errno));
	tl_b2b_update(&log->prehash, log->line.data, log->line.len);
	tl_b2b_update(&log->prehash, "\n", 1);
	if (type != T_END)
		tl_merkle_add(log->mt, log->line.data, log->line.len);
	tl_chain_hash(log->line.data, log->line.len, log->prev);
	log->seq++;
	return TL_OK;
}

tl_status
tl_log_open(const char *path, const tl_seckey *sk, const tl_commitkey *ck,
    const tl_log_params *p, tl_log **out, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char kid[TL_KEYID_BYTES];
	char key_id[TL_KEYID_HEX + 1], ck_id[TL_KEYID_HEX + 1];
	char *tool = NULL;
	tl_log *log;
	tl_status st;
	int fd;

	*out = NULL;
	if (path == NULL || sk == NULL || ck == NULL || p == NULL ||
	    p->reader == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "tl_log_open: path, keys and reader are required");
	if (p->policy_sha256 && !is_hex_str(p->policy_sha256, 64))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "policy hash: expected 64 lower-case hex digits");
	if (p->log_id && !is_hex_str(p->log_id, TL_LOG_ID_HEX))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "log id: expected %d lower-case hex digits",
		    TL_LOG_ID_HEX);
	if ((log = calloc(1, sizeof *log)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	log->sk = sk;
	log->ck = ck;
	log->force = p->force;
	log->line.limit = TL_LOG_LINE_MAX + 1;
	memcpy(log->prev, ZERO_HASH, sizeof log->prev);
	log->path = strdup(path);
	log->sig_path = p->sig_path ? strdup(p->sig_path) :
	    concat(path, ".minisig");
	log->tmp_path = NULL;
	log->reader = strdup(p->reader);
	log->policy = p->policy_sha256 ? strdup(p->policy_sha256) : NULL;
	log->untrusted = p->untrusted_comment ? strdup(p->untrusted_comment) :
	    NULL;
	log->mt = tl_merkle_new();
	tool = p->tool ? strdup(p->tool) : concat("tearline ", tl_version());
	if (log->path == NULL || log->sig_path == NULL ||
	    log->reader == NULL || log->mt == NULL || tool == NULL ||
	    (p->policy_sha256 && log->policy == NULL) ||
	    (p->untrusted_comment && log->untrusted == NULL)) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto fail;
	}
	if (p->log_id)
		memcpy(log->log_id, p->log_id, sizeof log->log_id);
	else if (tl_random_hex(log->log_id, TL_LOG_ID_HEX / 2) != TL_OK) {
		st = tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "no randomness for the log id");
		goto fail;
	}
	if (!p->force && (path_exists(log->path) ||
	    path_exists(log->sig_path))) {
		st = tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
		    path_exists(log->path) ? log->path : log->sig_path, 0, 0,
		    NULL, "file exists (use force to replace it)");
		goto fail;
	}
	if ((log->tmp_path = concat(path, ".XXXXXX")) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto fail;
	}
	if ((fd = mkstemp(log->tmp_path)) < 0) {
		st = sys_error(d, path, "cannot create a temporary file");
		free(log->tmp_path);
		log->tmp_path = NULL;
		goto fail;
	}
	if (fchmod(fd, 0644) != 0 || (log->f = fdopen(fd, "w")) == NULL) {
		st = sys_error(d, path, "cannot open the temporary file");
		close(fd);
		goto fail;
	}
	(void)setvbuf(log->f, log->iobuf, _IOFBF, sizeof log->iobuf);
	tl_b2b_init(&log->prehash, TL_PREHASH_BYTES, NULL, 0, NULL, NULL);

	tl_seckey_keyid(sk, kid);
	tl_keyid_hex(kid, key_id);
	tl_commitkey_id(ck, ck_id);
	set_str(&v[H_FORMAT], TL_LOG_FORMAT);
	set_str(&v[H_LOGID], log->log_id);
	set_str(&v[H_KEYID], key_id);
	set_str(&v[H_CKID], ck_id);
	set_str(&v[H_READER], log->reader);
	set_str(&v[H_POLICY], log->policy);
	set_str(&v[H_TOOL], tool);
	set_str(&v[H_CREATED], p->created);
	if ((st = emit(log, T_HEAD, v, d)) != TL_OK)
		goto fail;
	free(tool);
	*out = log;
	return TL_OK;
fail:
	free(tool);
	log_release(log);
	return st;
}

const char *
tl_log_id(const tl_log *log)
{
	return log->log_id;
}

tl_status
tl_log_doc_begin(tl_log *log, unsigned long *doc)
{
	if (log->failed)
		return log->failed;
	if (log->in_doc)
		return TL_EUSAGE;
	log->in_doc = true;
	log->doc++;
	log->pending = 0;
	log->last_portion = 0;
	*doc = log->doc;
	return TL_OK;
}

tl_status
tl_log_doc_skip(tl_log *log)
{
	if (log->failed)
		return log->failed;
	if (log->in_doc)
		return TL_EUSAGE;
	log->doc++;
	return TL_OK;
}

tl_status
tl_log_tag_begin(tl_log *log, unsigned long portion, tl_tag **out)
{
	*out = NULL;
	if (!log->in_doc)
		return TL_EUSAGE;
	return tl_tag_begin(log->ck, log->log_id, log->doc, portion, out);
}

tl_status
tl_log_decision(tl_log *log, const tl_log_dec_fields *dec, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	tl_status st;

	if (log->failed)
		return emit(log, T_DEC, v, d);
	if (!log->in_doc)
		return log_fail(log, d, TL_EUSAGE, "decision outside a "
		    "document (call tl_log_doc_begin)");
	if (dec->portion <= log->last_portion)
		return log_fail(log, d, TL_EUSAGE, "portion %lu after portion "
		    "%lu: indices must increase from 1", dec->portion,
		    log->last_portion);
	if (!is_hex_str(dec->tag, 64))
		return log_fail(log, d, TL_EUSAGE, "decision tag: expected 64 "
		    "lower-case hex digits");
	set_uint(&v[D_DOC], log->doc);
	set_uint(&v[D_PORTION], dec->portion);
	set_uint(&v[D_LINE], dec->line);
	set_str(&v[D_MARK], dec->mark);
	set_str(&v[D_DECISION], dec->release ? "release" : "withhold");
	set_str(&v[D_RULE], dec->rule);
	set_str(&v[D_TAG], dec->tag);
	if ((st = emit(log, T_DEC, v, d)) != TL_OK)
		return st;
	log->pending++;
	log->last_portion = dec->portion;
	return TL_OK;
}

tl_status
tl_log_doc_end(tl_log *log, const tl_log_doc_fields *doc, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	const char *policy;
	tl_status st;

	if (log->failed)
		return emit(log, T_DOC, v, d);
	if (!log->in_doc)
		return log_fail(log, d, TL_EUSAGE, "no document to end");
	if (doc->input == NULL || !is_hex_str(doc->input_tag, 64))
		return log_fail(log, d, TL_EUSAGE, "doc line: input name and "
		    "input tag (64 lower-case hex digits) are required");
	if ((doc->output == NULL) != (doc->output_sha256 == NULL) ||
	    (doc->output_sha256 && !is_hex_str(doc->output_sha256, 64)))
		return log_fail(log, d, TL_EUSAGE, "doc line: an output name "
		    "goes with its SHA-256 (64 lower-case hex digits)");
	policy = doc->policy_sha256 ? doc->policy_sha256 : log->policy;
	if (policy && !is_hex_str(policy, 64))
		return log_fail(log, d, TL_EUSAGE, "doc line: policy hash: "
		    "expected 64 lower-case hex digits");
	set_uint(&v[C_DOC], log->doc);
	set_str(&v[C_INPUT], doc->input);
	set_str(&v[C_ITAG], doc->input_tag);
	set_str(&v[C_OUTPUT], doc->output);
	set_str(&v[C_OSHA], doc->output_sha256);
	set_str(&v[C_READER], doc->reader ? doc->reader : log->reader);
	set_str(&v[C_POLICY], policy);
	set_uint(&v[C_PORTIONS], log->pending);
	if ((st = emit(log, T_DOC, v, d)) != TL_OK)
		return st;
	log->in_doc = false;
	return TL_OK;
}

/* Puts the signed temporary files in place: rename when replacing is
 * allowed, else link, which refuses to replace. */
static tl_status
publish(tl_log *log, const char *tmp_sig, tl_diag *d)
{
	if (log->force) {
		if (rename(log->tmp_path, log->path) != 0)
			return sys_error(d, log->path, "cannot rename into place");
		if (rename(tmp_sig, log->sig_path) != 0) {
			tl_status st = sys_error(d, log->sig_path,
			    "cannot rename into place");

			/* A log beside a stale signature helps nobody. */
			unlink(log->path);
			return st;
		}
		return TL_OK;
	}
	if (link(log->tmp_path, log->path) != 0) {
		if (errno == EEXIST)
			return tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
			    log->path, 0, 0, NULL,
			    "file exists (use force to replace it)");
		return sys_error(d, log->path, "cannot link into place");
	}
	if (link(tmp_sig, log->sig_path) != 0) {
		tl_status st = errno == EEXIST ?
		    tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR, log->sig_path, 0, 0,
		    NULL, "file exists (use force to replace it)") :
		    sys_error(d, log->sig_path, "cannot link into place");

		unlink(log->path); /* ours: linked just above */
		return st;
	}
	return TL_OK;
}

tl_status
tl_log_close(tl_log *log, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char root[TL_MERKLE_HASH_BYTES], prehash[TL_PREHASH_BYTES];
	char roothex[TL_HASH_HEX + 1], *tc = NULL, *tmp_sig = NULL;
	tl_buf tcb = { 0 };
	tl_status st;
	FILE *f;

	if (log == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_log_close: no log");
	if (log->failed) {
		st = tl_diag_set(d, log->failed, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: an earlier call failed (%s)",
		    tl_strerror(log->failed));
		goto out;
	}
	if (log->in_doc) {
		st = tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: document %lu was not ended",
		    log->doc);
		goto out;
	}
	if (tl_merkle_root(log->mt, root) != TL_OK) {
		st = tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: SHA-256 failed");
		goto out;
	}
	tl_hex_lower(root, sizeof root, roothex);
	set_uint(&v[E_ENTRIES], log->seq);
	set_str(&v[E_ROOT], roothex);
	if ((st = emit(log, T_END, v, d)) != TL_OK)
		goto out;
	f = log->f;
	log->f = NULL;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		st = sys_error(d, log->path, "cannot write");
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		st = sys_error(d, log->path, "cannot write");
		goto out;
	}
	if (tl_buf_printf(&tcb, "format:%s\tlog:%s\tentries:%lu\troot:%s",
	    TL_LOG_FORMAT, log->log_id, log->seq - 1, roothex) != TL_OK ||
	    (tmp_sig = concat(log->tmp_path, ".minisig")) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "out of memory");
		goto out;
	}
	tc = tcb.data;
	tl_b2b_final(&log->prehash, prehash);
	if ((st = tl_sign_prehashed(log->sk, prehash, log->tmp_path, tc,
	    log->untrusted, tmp_sig, d)) != TL_OK)
		goto out;
	st = publish(log, tmp_sig, d);
	unlink(tmp_sig);
	if (st == TL_OK) {
		tl_sync_dir(log->path);
		tl_sync_dir(log->sig_path);
	}
out:
	free(tmp_sig);
	tl_buf_free(&tcb);
	log_release(log);
	return st;
}

void
tl_log_abort(tl_log *log)
{
	if (log)
		log_release(log);
}

/* ------------------------------------------------------------------------
 * The verifier
 * ---------------------------------------------------------------------- */

struct vstate {
	const tl_pubkey *pk;
	const tl_log_verify_opts *o;
	tl_log_report *r;
	tl_diag *d;
	const char *path;
	char key_id[TL_KEYID_HEX + 1];
	char prev[TL_HASH_HEX + 1];
	char policy[TL_HASH_HEX + 1]; /* "" when not checked */
	unsigned long n;            /* lines so far */
	unsigned long docs;         /* doc lines so far */
	unsigned long last_doc;     /* number of the last doc line, 0: none */
	unsigned long open_doc;     /* number of the open document, 0: none */
	unsigned long pending;      /* dec lines of the open document */
	unsigned long last_portion;
	bool end_seen;
	tl_merkle *mt;
	bool *out_seen, *in_seen;
	char *arena;
	tl_buf ser;
};

static tl_status
vfail(struct vstate *s, tl_status st, const char *file, unsigned long line,
    size_t col, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Records the first failed check in the report and the diagnostic. */
static tl_status
vfail(struct vstate *s, tl_status st, const char *file, unsigned long line,
    size_t col, const char *check, const char *fmt, ...)
{
	char rule[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->r->message, sizeof s->r->message, fmt, ap);
	va_end(ap);
	s->r->valid = false;
	s->r->line = line;
	tl_strlcpy(s->r->check, check, strlen(check), sizeof s->r->check);
	snprintf(rule, sizeof rule, "log-%s", check);
	return tl_diag_set(s->d, st, TL_SEV_ERROR, file, line, col, rule, "%s",
	    s->r->message);
}

/* True when a name given to the verifier is the one the log wrote: both
 * go through the writer's escaping (invalid UTF-8 becomes U+FFFD). */
static bool
name_matches(const char *given, const struct value *v)
{
	tl_buf a = { 0 }, b = { 0 };
	bool same;

	if (v->null)
		return false;
	same = tl_buf_json_str(&a, given, strlen(given)) == TL_OK &&
	    tl_buf_json_str(&b, v->s, v->len) == TL_OK && a.len == b.len &&
	    memcmp(a.data, b.data, a.len) == 0;
	tl_buf_free(&a);
	tl_buf_free(&b);
	return same;
}

/* --all-outputs: hashes the output a doc line names, under outputs_dir
 * when the name is relative. */
static tl_status
check_named_output(struct vstate *s, const struct value *name,
    const struct value *sha)
{
	char hex[TL_HASH_HEX + 1];
	const char *dir = s->o->outputs_dir;
	tl_buf path = { 0 };
	tl_status st;

	if (memchr(name->s, '\0', name->len) != NULL)
		return vfail(s, TL_EVERIFY, s->path, s->n, name->col, "output",
		    "output name with a NUL byte");
	if (name->s[0] != '/' && dir && *dir &&
	    (tl_buf_append(&path, dir, strlen(dir)) != TL_OK ||
	    tl_buf_putc(&path, '/') != TL_OK))
		goto nomem;
	if (tl_buf_append(&path, name->s, name->len) != TL_OK ||
	    tl_buf_putc(&path, '\0') != TL_OK)
		goto nomem;
	st = tl_sha256_file(path.data, hex, s->d);
	if (st != TL_OK) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, name->col, "output",
		    "output \"%.*s\" named on line %lu cannot be read: %s",
		    (int)name->len, name->s, s->n, s->d->message);
	} else if (!val_is(sha, hex)) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, sha->col, "output",
		    "output \"%.*s\" is not the file the log describes on "
		    "line %lu", (int)name->len, name->s, s->n);
	} else {
		s->r->outputs_checked++;
	}
	tl_buf_free(&path);
	return st;
nomem:
	tl_buf_free(&path);
	return tl_diag_set(s->d, TL_ENOMEM, TL_SEV_ERROR, s->path, 0, 0, NULL,
	    "out of memory");
}

static tl_status
check_head(struct vstate *s, const struct value *v)
{
	char ck_id[TL_KEYID_HEX + 1];
	unsigned long n = s->n;

	if (!val_is(&v[H_FORMAT], TL_LOG_FORMAT))
		return vfail(s, TL_ESYNTAX, s->path, n, v[H_FORMAT].col,
		    "format", "unsupported log format (this verifier reads "
		    "%s)", TL_LOG_FORMAT);
	memcpy(s->r->log_id, v[H_LOGID].s, TL_LOG_ID_HEX + 1);
	memcpy(s->r->key_id, v[H_KEYID].s, TL_KEYID_HEX + 1);
	if (!val_is(&v[H_KEYID], s->key_id))
		return vfail(s, TL_EVERIFY, s->path, n, v[H_KEYID].col,
		    "key-id", "the log names signing key %s, the public key "
		    "is %s", v[H_KEYID].s, s->key_id);
	if (s->o->commit_key) {
		tl_commitkey_id(s->o->commit_key, ck_id);
		if (!val_is(&v[H_CKID], ck_id))
			return vfail(s, TL_EVERIFY, s->path, n, v[H_CKID].col,
			    "commit-key", "the log was written with commitment "
			    "key %s, the key given is %s", v[H_CKID].s, ck_id);
	}
	if (s->policy[0] && !val_is(&v[H_POLICY], s->policy))
		return vfail(s, TL_EVERIFY, s->path, n, v[H_POLICY].col,
		    "policy", "the policy given (SHA-256 %s) is not the "
		    "policy of the log", s->policy);
	return TL_OK;
}

static tl_status
check_doc(struct vstate *s, const struct value *v)
{
	char hex[TL_HASH_HEX + 1];
	unsigned long n = s->n;
	tl_tag *t;
	tl_status st;
	size_t i;

	if (s->open_doc ? v[C_DOC].u != s->open_doc : v[C_DOC].u <= s->last_doc)
		return vfail(s, TL_EVERIFY, s->path, n, v[C_DOC].col, "order",
		    "doc line for document %llu after %s %lu", v[C_DOC].u,
		    s->open_doc ? "the decisions of document" : "document",
		    s->open_doc ? s->open_doc : s->last_doc);
	if (v[C_PORTIONS].u != s->pending)
		return vfail(s, TL_EVERIFY, s->path, n, v[C_PORTIONS].col,
		    "count", "doc line counts %llu decisions, %lu precede it",
		    v[C_PORTIONS].u, s->pending);
	if (v[C_OUTPUT].null != v[C_OSHA].null)
		return vfail(s, TL_ESYNTAX, s->path, n, v[C_OSHA].col, "syntax",
		    "output and output_sha256 must both be null or both set");
	if (s->policy[0] && !val_is(&v[C_POLICY], s->policy))
		return vfail(s, TL_EVERIFY, s->path, n, v[C_POLICY].col,
		    "policy", "the policy given (SHA-256 %s) is not the "
		    "policy of document %llu", s->policy, v[C_DOC].u);
	for (i = 0; i < s->o->noutputs; i++) {
		if (!name_matches(s->o->outputs[i].name, &v[C_OUTPUT]))
			continue;
		if ((st = tl_sha256_file(s->o->outputs[i].path, hex, s->d)) !=
		    TL_OK)
			return st;
		if (!val_is(&v[C_OSHA], hex))
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[C_OSHA].col, "output", "output \"%s\" (%s) is "
			    "not the file the log describes on line %lu",
			    s->o->outputs[i].name, s->o->outputs[i].path, n);
		s->out_seen[i] = true;
		s->r->outputs_checked++;
	}
	if (s->o->all_outputs && !v[C_OUTPUT].null &&
	    !val_is(&v[C_OUTPUT], "-") &&
	    (st = check_named_output(s, &v[C_OUTPUT], &v[C_OSHA])) != TL_OK)
		return st;
	for (i = 0; i < s->o->ninputs; i++) {
		if (!name_matches(s->o->inputs[i].name, &v[C_INPUT]))
			continue;
		if (tl_tag_begin(s->o->commit_key, s->r->log_id, v[C_DOC].u, 0,
		    &t) != TL_OK)
			return tl_diag_set(s->d, TL_ENOMEM, TL_SEV_ERROR,
			    s->path, 0, 0, NULL, "out of memory");
		if ((st = tag_file(t, s->o->inputs[i].path, s->d)) != TL_OK) {
			tl_tag_free(t);
			return st;
		}
		tl_tag_final(t, hex);
		if (!val_is(&v[C_ITAG], hex))
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[C_ITAG].col, "input-tag", "input \"%s\" (%s) "
			    "does not match its tag on line %lu",
			    s->o->inputs[i].name, s->o->inputs[i].path, n);
		s->in_seen[i] = true;
		s->r->inputs_checked++;
	}
	s->docs++;
	s->last_doc = (unsigned long)v[C_DOC].u;
	s->open_doc = 0;
	s->r->documents++;
	s->pending = 0;
	s->last_portion = 0;
	return TL_OK;
}

/* Checks one line (newline excluded); counts it into the chain and the
 * tree when it passes. */
static tl_status
verify_line(struct vstate *s, const char *line, size_t len)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char root[TL_MERKLE_HASH_BYTES];
	char roothex[TL_HASH_HEX + 1];
	struct cursor c = { 0 };
	const char *why = "";
	unsigned long n = ++s->n;
	tl_status st;
	size_t i;
	int type, bad;

	s->r->lines = n;
	if (s->end_seen)
		return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
		    "line after the end line");
	c.s = line;
	c.len = len;
	c.arena = s->arena;
	if (!parse_line(&c, &type, v))
		return vfail(s, TL_ESYNTAX, s->path, n, c.pos + 1, "syntax",
		    "%s", c.why);
	if ((bad = check_values(type, v, &why)) >= 0)
		return vfail(s, TL_ESYNTAX, s->path, n, v[bad].col, "syntax",
		    "\"%s\": expected %s", types[type].schema[bad].key, why);
	if ((st = serialize(&s->ser, type, v)) != TL_OK)
		return tl_diag_set(s->d, st, TL_SEV_ERROR, s->path, n, 0, NULL,
		    "out of memory");
	if (s->ser.len != len || memcmp(s->ser.data, line, len) != 0) {
		for (i = 0; i < len && i < s->ser.len && line[i] ==
		    s->ser.data[i]; i++)
			;
		return vfail(s, TL_ESYNTAX, s->path, n, i + 1, "canonical",
		    "line is not in canonical form (differs from its "
		    "re-serialization at byte %zu)", i + 1);
	}
	if (v[F_SEQ].u != n)
		return vfail(s, TL_EVERIFY, s->path, n, v[F_SEQ].col, "sequence",
		    "seq is %llu on line %lu: a line was removed, added or "
		    "moved", v[F_SEQ].u, n);
	if (n == 1 && !val_is(&v[F_PREV], ZERO_HASH))
		return vfail(s, TL_EVERIFY, s->path, n, v[F_PREV].col, "chain",
		    "prev of the first line must be all zeros");
	if (n > 1 && !val_is(&v[F_PREV], s->prev))
		return vfail(s, TL_EVERIFY, s->path, n, v[F_PREV].col, "chain",
		    "prev does not match the hash of line %lu (line %lu or "
		    "%lu was altered)", n - 1, n - 1, n);
	if (n == 1 && type != T_HEAD)
		return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
		    "the first line must be the head line");
	switch (type) {
	case T_HEAD:
		if (n != 1)
			return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
			    "head line after line 1");
		if ((st = check_head(s, v)) != TL_OK)
			return st;
		break;
	case T_DEC:
		if (s->open_doc ? v[D_DOC].u != s->open_doc :
		    v[D_DOC].u <= s->last_doc)
			return vfail(s, TL_EVERIFY, s->path, n, v[D_DOC].col,
			    "order", "decision for document %llu after %s %lu",
			    v[D_DOC].u, s->open_doc ? "the decisions of "
			    "document" : "document", s->open_doc ? s->open_doc :
			    s->last_doc);
		s->open_doc = (unsigned long)v[D_DOC].u;
		if (v[D_PORTION].u <= s->last_portion)
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[D_PORTION].col, "order", "portion %llu after "
			    "portion %lu", v[D_PORTION].u, s->last_portion);
		s->last_portion = (unsigned long)v[D_PORTION].u;
		s->pending++;
		if (val_is(&v[D_DECISION], "release"))
			s->r->released++;
		else
			s->r->withheld++;
		break;
	case T_DOC:
		if ((st = check_doc(s, v)) != TL_OK)
			return st;
		break;
	case T_END:
		if (s->pending)
			return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
			    "document %lu has decisions but no doc line",
			    s->open_doc);
		if (v[E_ENTRIES].u != n - 1)
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[E_ENTRIES].col, "count", "end line counts %llu "
			    "entries, %lu precede it", v[E_ENTRIES].u, n - 1);
		if (tl_merkle_root(s->mt, root) != TL_OK)
			return vfail(s, TL_ECRYPTO, s->path, n, 1, "root",
			    "SHA-256 failed");
		tl_hex_lower(root, sizeof root, roothex);
		if (!val_is(&v[E_ROOT], roothex))
			return vfail(s, TL_EVERIFY, s->path, n, v[E_ROOT].col,
			    "root", "the Merkle root of lines 1-%lu is %s, "
			    "not the root of the end line", n - 1, roothex);
		memcpy(s->r->root, roothex, sizeof roothex);
		s->end_seen = true;
		break;
	}
	if (type != T_END)
		tl_merkle_add(s->mt, line, len);
	tl_chain_hash(line, len, s->prev);
	return TL_OK;
}

/* The first NUL or CR of s[0..n), or NULL. */
static const char *
nul_or_cr(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	const char *cr = memchr(s, '\r', nul ? (size_t)(nul - s) : n);

	return cr ? cr : nul;
}

/* Reads the log line by line with bounded memory, feeding every byte to
 * the signature check. */
static tl_status
verify_lines(struct vstate *s, FILE *f, tl_sigcheck *sc)
{
	tl_buf line = { 0 };
	char blk[65536];
	const char *nl, *bad;
	size_t blen, start, end;
	tl_status st = TL_OK;

	line.limit = TL_LOG_LINE_MAX + 1;
	for (;;) {
		blen = fread(blk, 1, sizeof blk, f);
		if (blen == 0)
			break;
		tl_sigcheck_update(sc, blk, blen);
		for (start = 0; start < blen; start = end + 1) {
			nl = memchr(blk + start, '\n', blen - start);
			end = nl ? (size_t)(nl - blk) : blen;
			if ((bad = nul_or_cr(blk + start, end - start)) != NULL) {
				st = vfail(s, TL_ESYNTAX, s->path, s->n + 1,
				    line.len + (size_t)(bad - (blk + start)) + 1,
				    "syntax", *bad ? "carriage return (CRLF line "
				    "endings are not allowed)" : "NUL byte");
				goto out;
			}
			if (line.len + (end - start) > TL_LOG_LINE_MAX ||
			    ((nl == NULL || line.len > 0) &&
			    tl_buf_append(&line, blk + start, end - start) != TL_OK)) {
				st = vfail(s, TL_ESYNTAX, s->path, s->n + 1,
				    TL_LOG_LINE_MAX + 1, "syntax", "line longer "
				    "than %d bytes", TL_LOG_LINE_MAX);
				goto out;
			}
			if (nl == NULL)
				break; /* the line goes on in the next block */
			/* A line inside the block is checked where it lies. */
			st = line.len > 0 ? verify_line(s, line.data, line.len) :
			    verify_line(s, blk + start, end - start);
			if (st != TL_OK)
				goto out;
			tl_buf_reset(&line);
		}
	}
	if (ferror(f)) {
		st = sys_error(s->d, s->path, "cannot read");
		goto out;
	}
	if (line.len > 0)
		st = vfail(s, TL_ESYNTAX, s->path, s->n + 1, line.len + 1,
		    "syntax", "the last line has no newline (truncated?)");
out:
	tl_buf_free(&line);
	return st;
}

static tl_status
verify_run(struct vstate *s, const char *sig_path)
{
	unsigned char kid[TL_KEYID_BYTES];
	char hex[TL_HASH_HEX + 1];
	tl_sigcheck *sc = NULL;
	tl_sig *sig = NULL;
	tl_buf tc = { 0 };
	tl_status st;
	FILE *f = NULL;
	size_t i;

	tl_pubkey_keyid(s->pk, kid);
	tl_keyid_hex(kid, s->key_id);
	if (s->o->policy_path) {
		if ((st = tl_sha256_file(s->o->policy_path, hex, s->d)) != TL_OK)
			return st;
		memcpy(s->policy, hex, sizeof hex);
	}
	if ((st = tl_sig_load(sig_path, &sig, s->d)) != TL_OK) {
		if (st == TL_ESYNTAX)
			tl_strlcpy(s->r->check, "syntax", 6,
			    sizeof s->r->check);
		return st;
	}
	if ((st = tl_sigcheck_new(s->pk, sig, &sc, s->d)) != TL_OK) {
		if (st == TL_EVERIFY)
			st = vfail(s, st, sig_path, 0, 0, "key-id",
			    "%s", s->d ? s->d->message : "key id mismatch");
		goto out;
	}
	if ((f = fopen(s->path, "rb")) == NULL) {
		st = sys_error(s->d, s->path, "cannot open");
		goto out;
	}
	if ((st = verify_lines(s, f, sc)) != TL_OK)
		goto out;
	if (s->n == 0) {
		st = vfail(s, TL_EVERIFY, s->path, 0, 0, "truncated",
		    "the log is empty");
		goto out;
	}
	if (!s->end_seen) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, 0, "truncated",
		    "no end line after line %lu: the log is truncated", s->n);
		goto out;
	}
	for (i = 0; i < s->o->noutputs; i++)
		if (!s->out_seen[i]) {
			st = vfail(s, TL_EVERIFY, s->o->outputs[i].path, 0, 0,
			    "output", "output \"%s\" is not in the log",
			    s->o->outputs[i].name);
			goto out;
		}
	for (i = 0; i < s->o->ninputs; i++)
		if (!s->in_seen[i]) {
			st = vfail(s, TL_EVERIFY, s->o->inputs[i].path, 0, 0,
			    "input-tag", "input \"%s\" is not in the log",
			    s->o->inputs[i].name);
			goto out;
		}
	st = tl_sigcheck_final(sc, s->d);
	sc = NULL;
	if (st == TL_EVERIFY) {
		char rule[24];

		tl_strlcpy(rule, s->d ? s->d->rule : "signature",
		    s->d ? strlen(s->d->rule) : 9, sizeof rule);
		st = vfail(s, st, sig_path, 0, 0, rule[0] ? rule : "signature",
		    "%s", s->d ? s->d->message : "signature verification "
		    "failed");
	}
	if (st != TL_OK)
		goto out;
	if ((st = tl_buf_printf(&tc, "format:%s\tlog:%s\tentries:%lu\t"
	    "root:%s", TL_LOG_FORMAT, s->r->log_id, s->n - 1, s->r->root)) !=
	    TL_OK) {
		st = tl_diag_set(s->d, st, TL_SEV_ERROR, s->path, 0, 0, NULL,
		    "out of memory");
		goto out;
	}
	if (strcmp(tc.data, tl_sig_trusted_comment(sig)) != 0) {
		st = vfail(s, TL_EVERIFY, sig_path, 3, 0, "trusted-comment",
		    "the trusted comment does not describe this log (expected "
		    "\"%s\")", tc.data);
		goto out;
	}
	tl_strlcpy(s->r->trusted_comment, tc.data, tc.len,
	    sizeof s->r->trusted_comment);
	s->r->valid = true;
out:
	if (f)
		fclose(f);
	tl_sigcheck_free(sc);
	tl_sig_free(sig);
	tl_buf_free(&tc);
	return st;
}

tl_status
tl_log_verify(const tl_pubkey *pk, const char *log_path,
    const char *sig_path, const tl_log_verify_opts *opts,
    tl_log_report *report, tl_diag *d)
{
	static const tl_log_verify_opts none;
	struct vstate s;
	char *sp = NULL;
	tl_status st;

	if (report == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "tl_log_verify: a report is required");
	memset(report, 0, sizeof *report);
	if (pk == NULL || log_path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "tl_log_verify: public key and log are required");
	if (opts == NULL)
		opts = &none;
	if (opts->ninputs && opts->commit_key == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "checking inputs needs the commitment key");
	memset(&s, 0, sizeof s);
	s.pk = pk;
	s.o = opts;
	s.r = report;
	s.d = d;
	s.path = log_path;
	s.mt = tl_merkle_new();
	s.arena = malloc(TL_LOG_LINE_MAX + 1);
	s.out_seen = calloc(opts->noutputs + 1, sizeof *s.out_seen);
	s.in_seen = calloc(opts->ninputs + 1, sizeof *s.in_seen);
	s.ser.limit = TL_LOG_LINE_MAX + 1;
	if (sig_path == NULL)
		sig_path = sp = concat(log_path, ".minisig");
	if (s.mt == NULL || s.arena == NULL || s.out_seen == NULL ||
	    s.in_seen == NULL || sig_path == NULL)
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "out of memory");
	else
		st = verify_run(&s, sig_path);
	if (st != TL_OK && report->check[0] == '\0') {
		/* Not a check of the log: an I/O or memory failure. */
		tl_strlcpy(report->check, "io", 2, sizeof report->check);
		if (d)
			tl_strlcpy(report->message, d->message,
			    strlen(d->message), sizeof report->message);
	}
	tl_merkle_free(s.mt);
	free(s.arena);
	free(s.out_seen);
	free(s.in_seen);
	tl_buf_free(&s.ser);
	free(sp);
	return st;
}
