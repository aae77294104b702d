/*
 * internal.h: helpers shared by the library's stages.  Not installed.
 * Every foreign convention (libyaml 1/0, pcre2 negatives, libsodium -1,
 * errno) is converted to tl_status in the one file that calls it.
 */
#ifndef TL_INTERNAL_H
#define TL_INTERNAL_H

#include "tearline.h"

#include <stdarg.h>
#include <string.h>

/* Growable byte buffer with a hard cap.  The zero value is an empty,
 * usable buffer with the default cap.  Contents are always NUL-terminated
 * once anything was appended (the NUL is not counted in len). */
typedef struct tl_buf {
	char *data;
	size_t len;
	size_t cap;   /* allocated bytes */
	size_t limit; /* hard cap on len; 0 = TL_BUF_DEFAULT_LIMIT */
} tl_buf;

#define TL_BUF_DEFAULT_LIMIT ((size_t)64 * 1024 * 1024)

/* The general case of tl_buf_append: grows the buffer (util.c). */
tl_status tl_buf_grow_append(tl_buf *b, const void *bytes, size_t len);

/* Appends len bytes.  Returns TL_ELIMIT when len would exceed the limit
 * (the buffer is left unchanged), TL_ENOMEM when allocation fails.
 * Inline: writers append many small pieces, and most fit in place. */
static inline tl_status
tl_buf_append(tl_buf *b, const void *bytes, size_t len)
{
	if (b->cap - b->len > len &&
	    b->len + len <= (b->limit ? b->limit : TL_BUF_DEFAULT_LIMIT)) {
		memcpy(b->data + b->len, bytes, len);
		b->len += len;
		b->data[b->len] = '\0';
		return TL_OK;
	}
	return tl_buf_grow_append(b, bytes, len);
}

static inline tl_status
tl_buf_puts(tl_buf *b, const char *s)
{
	return tl_buf_append(b, s, strlen(s));
}

static inline tl_status
tl_buf_putc(tl_buf *b, char c)
{
	return tl_buf_append(b, &c, 1);
}
/* printf-style append; the formatted piece must fit in 4 KiB. */
tl_status tl_buf_printf(tl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included.  Invalid UTF-8
 * bytes become U+FFFD so that the output is always valid JSON. */
tl_status tl_buf_json_str(tl_buf *b, const char *s, size_t len);
/* Bytes at the start of s[0..len) that a JSON string holds as they are:
 * ASCII from 0x20, but '"' and '\\'. */
size_t tl_json_plain_run(const char *s, size_t len);
/* v in decimal at out (room for TL_UTOA_MAX bytes, no NUL written);
 * returns the digits written. */
#define TL_UTOA_MAX 20
size_t tl_utoa(unsigned long long v, char *out);
void tl_buf_reset(tl_buf *b); /* len = 0, keeps memory */
void tl_buf_free(tl_buf *b);  /* releases memory, back to the zero value */

/* Fills d (may be NULL) and returns status, so callers can write
 * `return tl_diag_set(d, TL_ESYNTAX, ...)`. */
tl_status tl_diag_set(tl_diag *d, tl_status status, tl_severity sev,
    const char *file, unsigned long line, unsigned long col, const char *rule,
    const char *fmt, ...) __attribute__((format(printf, 8, 9)));
tl_status tl_diag_vset(tl_diag *d, tl_status status, tl_severity sev,
    const char *file, unsigned long line, unsigned long col, const char *rule,
    const char *fmt, va_list ap) __attribute__((format(printf, 8, 0)));

/* Copies at most size-1 bytes of src[0..len) into dst, NUL-terminated. */
void tl_strlcpy(char *dst, const char *src, size_t len, size_t size);

/* Number of code points in s[0..len): UTF-8 lead bytes counted, so a
 * column is 1 + tl_utf8_width(line, offset).  Bytes of invalid sequences
 * count one each. */
unsigned long tl_utf8_width(const char *s, size_t len);

/* Offset of the first invalid UTF-8 byte in s[0..len), or len if valid. */
size_t tl_utf8_check(const char *s, size_t len);

/* Length of the valid UTF-8 sequence at s[0..len) and its code point in
 * *cp; 0 when the bytes there are not one. */
size_t tl_utf8_decode(const char *s, size_t len, unsigned long *cp);

/* Adds control `name` to `m` unless `m` holds it.  When the list is full
 * the control is not dropped silently: `m` becomes malformed (what it
 * governs is then withheld) and false is returned. */
bool tl_marking_add_control(tl_marking *m, const char *name);

/* A reason with every quoted part masked (tl_marking_mask) but the
 * string `keep` (the policy's name; may be NULL): a reason quotes what a
 * document's marks say ("mark 'S//REL' cannot be parsed"), and a "mark"
 * may be a parenthesis of prose the parser took for one.  An unclosed
 * quote is masked to the end.  Writes a NUL-terminated string of at most
 * size-1 bytes. */
void tl_reason_mask(const char *in, const char *keep, char *out, size_t size);

/* Whether portion p's mark reads as a marking: a level first, its
 * segments in order (unknown words in them allowed).  One that does not
 * may be a parenthesis of prose the parser took for a mark. */
bool tl_mark_readable(const tl_portion *p);

/* The mark of portion p as a copy or a log may show it: as written when
 * it reads as a marking (tl_mark_readable), else masked
 * (tl_marking_mask).  snprintf's contract. */
size_t tl_mark_shown(const tl_portion *p, char *buf, size_t size);

/* ASCII-only helpers: no locale. */
static inline int tl_isspace(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
static inline int tl_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int tl_isupper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int tl_islower(int c) { return c >= 'a' && c <= 'z'; }
static inline int tl_isalpha(int c) { return tl_isupper(c) || tl_islower(c); }
static inline int tl_toupper(int c) { return tl_islower(c) ? c - 'a' + 'A' : c; }
static inline int tl_tolower(int c) { return tl_isupper(c) ? c - 'A' + 'a' : c; }

/* Case-insensitive ASCII comparison of s[0..len) with NUL-terminated lit;
 * true when equal. */
bool tl_ieq(const char *s, size_t len, const char *lit);
/* True when s[0..len) starts with lit, case-insensitively. */
bool tl_iprefix(const char *s, size_t len, const char *lit);

/* tl_parse_file that also passes every byte read to bytes_fn (may be
 * NULL) before parsing it: the keyed input tag of the signed log. */
/* Whether the first nv country codes of v (a marking's rel, fgi or
 * rel_unknown) hold `code`. */
static inline bool
has_code(const char (*v)[8], unsigned nv, const char *code)
{
	unsigned i;

	for (i = 0; i < nv; i++)
		if (strncmp(v[i], code, 8) == 0)
			return true;
	return false;
}

/* consist.c: fingerprints of marked passages across a run's documents
 * (audit rule consistency-mark).  A passage is TL_CONSIST_WORDS words; one
 * found in more than max(TL_CONSIST_COMMON_MIN, documents / 100)
 * documents is boilerplate. */
#define TL_CONSIST_WORDS 12
#define TL_CONSIST_COMMON_MIN 5
/* One pair of places: the lower-marked first. */
typedef struct tl_consist_pair {
	const char *file, *mark;
	unsigned long line;
	const char *other_file, *other_mark;
	unsigned long other_line;
} tl_consist_pair;
typedef tl_status (*tl_consist_fn)(void *ctx, const tl_consist_pair *p);
/* A store in a new file under `dir` (NULL: $TMPDIR or /tmp), removed by
 * tl_consist_close. */
tl_status tl_consist_open(tl_consist **out, const char *dir, tl_diag *diag);
void tl_consist_close(tl_consist *c);
/* The next document; its portions follow. */
tl_status tl_consist_doc(tl_consist *c, const char *file);
/* A portion begins: its passages are stored at `rank` (0: not stored)
 * with `mark` (its mark as written, or for text with no mark of its own
 * the banner's level: tl_consist_mark_of). */
void tl_consist_portion(tl_consist *c, const tl_portion *po, unsigned rank,
    const char *mark);
void tl_consist_mark_of(const tl_banner *b, char *out, size_t size);
/* Text of the open portion; `line_end` when a line of it ends. */
tl_status tl_consist_text(tl_consist *c, const char *s, size_t n,
    bool line_end);
/* Every pair of places where one passage carries two ranks, to `fn`. */
tl_status tl_consist_pairs(tl_consist *c, tl_consist_fn fn, void *ctx,
    tl_diag *diag);
/* A copy's questions to a sealed store (tl_consist_seal), one document
 * (`path`, as tl_consist_add_file named it) at a time; not shared
 * between threads. */
typedef struct tl_consist_probe tl_consist_probe;
tl_status tl_consist_probe_new(const tl_consist *c, const char *path,
    tl_consist_probe **out, tl_diag *diag);
void tl_consist_probe_free(tl_consist_probe *p);
void tl_consist_probe_portion(tl_consist_probe *p, const tl_portion *po,
    unsigned rank);
tl_status tl_consist_probe_text(tl_consist_probe *p, const char *s, size_t n,
    bool line_end);
/* At the portion's end: *hit is the place marked highest above it that
 * shares one of its passages, or NULL. */
tl_status tl_consist_probe_end(tl_consist_probe *p, const tl_consist_hit **hit);

/* The label given for document `name` (tl_label_use) into *m, NULL for
 * none; TL_EUSAGE when it was given for another document. */
tl_status tl_label_for(const char *name, const tl_marking **m, tl_diag *diag);

tl_status tl_parse_file_hooked(const char *path, tl_event_fn fn, void *ctx,
    tl_status (*bytes_fn)(void *, const char *, size_t), void *bytes_ctx,
    tl_diag *d);
/* The same from an open file descriptor, read from where it stands to its
 * end and not closed; `name` is the document's name for the parser,
 * `path` the one for messages. */
tl_status tl_parse_fd_hooked(int fd, const char *name, const char *path,
    tl_event_fn fn, void *ctx,
    tl_status (*bytes_fn)(void *, const char *, size_t), void *bytes_ctx,
    tl_diag *d);


/* Output written atomically (outfile.c): a temporary file beside the
 * target, fsync, then link (no clobber) or rename (force); removed on
 * abort.  "-" writes standard output directly. */
typedef struct tl_outfile {
	int fd;
	bool is_stdout;
	bool is_stream; /* a device or FIFO named by path: written in place */
	bool force;
	bool nosync;    /* TL_OUT_NOSYNC: neither the copy nor its directory
			 * is fsynced at commit */
	char *path; /* target; NULL for stdout */
	char *tmp;  /* temporary name while open; NULL after commit/abort */
} tl_outfile;

#define TL_OUT_FORCE  0x1 /* replace an existing file */
#define TL_OUT_NOSYNC 0x2 /* the caller makes the file durable */
#define TL_OUT_FILE   0x4 /* the caller found no device, FIFO or socket at
			   * the path (tl_outfile_is_stream): no new look */
tl_status tl_outfile_open(tl_outfile *o, const char *path, unsigned flags,
    tl_diag *d);
/* True when `path` names an existing character device, FIFO or socket
 * (/dev/null, /dev/full, /dev/stdout, a pipe): written in place, with no
 * temporary file, as standard output is; --force is not needed.  With
 * `exists` not NULL, the same stat(2) says whether anything is there
 * (following symbolic links; "-": false). */
bool tl_outfile_is_stream(const char *path, bool *exists);
tl_status tl_outfile_write(tl_outfile *o, const void *bytes, size_t len,
    tl_diag *d);
tl_status tl_outfile_commit(tl_outfile *o, tl_diag *d);
void tl_outfile_abort(tl_outfile *o); /* safe after commit and twice */

/* fsync of the directory holding `path`, so that a rename or link into
 * it survives a crash.  Best effort: errors (EINVAL on file systems that
 * cannot sync a directory) are ignored. */
void tl_sync_dir(const char *path);

/* An anonymous spool file in `dir` (created, then unlinked at once, so
 * nothing is left behind whatever happens).  Returns an fd or -1 with
 * errno set. */
int tl_spool_open(const char *dir);

/* write(2) in full, retrying on EINTR; TL_EIO with d on failure. */
tl_status tl_write_all(int fd, const void *bytes, size_t len, const char *name,
    tl_diag *d);

/* --- sha256.c: a tl_sha256 reused for many short hashes (Merkle nodes).
 * A failure inside libcrypto is kept in `h`: the digest is zeroes and
 * tl_sha256_ok (and tl_sha256_final) report it. */
#define TL_SHA256_BYTES 32
void tl_sha256_digest(tl_sha256 *h, unsigned char out[TL_SHA256_BYTES]);
void tl_sha256_reset(tl_sha256 *h); /* after digest: hash anew */
bool tl_sha256_ok(const tl_sha256 *h);

/* `n` bytes as 2n lower-case hex digits and a NUL (sign.c). */
void tl_hex_lower(const unsigned char *bin, size_t n, char *hex);

/* --- sign.c: tags by the hundred thousand.  A prototype holds what all
 * tags of one kind (input: portion 0, or portion) in one log share;
 * tl_tag_restart starts a tag from it in *t (allocated when NULL, reused
 * after tl_tag_digest), equal to tl_tag_begin(ck, log_id, doc, portion).
 * tl_tag_digest is tl_tag_final without the free, in bytes rather than
 * hex.  Free all with tl_tag_free. */
#define TL_TAG_BYTES 32
tl_status tl_tag_proto(const tl_commitkey *ck, const char *log_id,
    bool input, tl_tag **out);
tl_status tl_tag_restart(tl_tag **t, const tl_tag *proto, unsigned long doc,
    unsigned long portion);
void tl_tag_digest(tl_tag *t, unsigned char out[TL_TAG_BYTES]);

/* --- sign.c: tl_sign_file for a file whose minisign prehash (BLAKE2b-512
 * of all its bytes) the caller computed as it wrote it; `path` names the
 * file in messages. */
#define TL_PREHASH_BYTES 64
tl_status tl_sign_prehashed(const tl_seckey *sk,
    const unsigned char hash[TL_PREHASH_BYTES], const char *path,
    const char *trusted_comment, const char *untrusted_comment,
    const char *sig_path, tl_diag *d);

/* --- blake2b.c: BLAKE2b (RFC 7693), the same hash as libsodium's
 * crypto_generichash_blake2b_*.  outlen is 1 to 64, keylen 0 to 64; salt
 * and personal are 16 bytes, or NULL for zeroes.  tl_b2b_final writes
 * outlen bytes and wipes the state; a state may be copied to go on from
 * the same point twice. */
#define TL_B2B_BLOCK 128
typedef struct tl_b2b {
	uint64_t h[8];
	uint64_t t[2];              /* bytes compressed, with the block due */
	unsigned char buf[TL_B2B_BLOCK];
	size_t buflen;
	size_t outlen;
} tl_b2b;
void tl_b2b_init(tl_b2b *s, size_t outlen, const void *key, size_t keylen,
    const unsigned char *salt, const unsigned char *personal);
void tl_b2b_update(tl_b2b *s, const void *in, size_t len);
void tl_b2b_final(tl_b2b *s, unsigned char *out);
/* One call: no salt. */
void tl_b2b_hash(unsigned char *out, size_t outlen, const void *in, size_t len,
    const void *key, size_t keylen, const unsigned char *personal);

#endif
