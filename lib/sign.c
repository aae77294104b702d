/*
 * sign.c: keys and signatures in minisign's formats (Ed25519, prehashed
 * BLAKE2b-512 "ED" signatures, scrypt-encrypted secret keys) and the
 * hashes the signed log is built from: SHA-256, the line chain, keyed
 * commitment tags.  The one file that turns libsodium's -1 into tl_status.
 */
#include "internal.h"

#include <sodium.h>

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

/* minisign's algorithm tags and line prefixes (minisign.h). */
#define SIGALG "Ed"
#define SIGALG_HASHED "ED"
#define KDFALG "Sc"
#define KDFNONE "\0\0"
#define CHKALG "B2"
#define CKALG "Ck"
#define COMMENT_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "
#define DEFAULT_SIG_COMMENT "signature from tearline secret key"

/* minisign reads each comment line with fgets into 1024 (untrusted) or
 * 8192 (trusted) bytes and wants the newline inside: these are the
 * longest lines, newline excluded, that it reads back. */
#define COMMENT_LINE_MAX 1022
#define TRUSTED_LINE_MAX 8190

enum {
	KEYNUM = TL_KEYID_BYTES,
	PK_BYTES = 32,
	SK_BYTES = 64,	/* seed | public key */
	SIG_BYTES = 64,
	CHK_BYTES = 32,
	PREHASH_BYTES = 64,
	/* public key: "Ed" | keynum | pk */
	PUB_LEN = 2 + KEYNUM + PK_BYTES,
	/* signature line: "ED" | keynum | sig */
	SIGLINE_LEN = 2 + KEYNUM + SIG_BYTES,
	/* secret key: alg | kdf | chk alg | salt | ops | mem | keynum | sk | chk */
	SEC_KDF = 2,
	SEC_CHKALG = 4,
	SEC_SALT = 6,
	SEC_OPS = SEC_SALT + 32,
	SEC_MEM = SEC_OPS + 8,
	SEC_KEYNUM = SEC_MEM + 8,
	SEC_SK = SEC_KEYNUM + KEYNUM,
	SEC_CHK = SEC_SK + SK_BYTES,
	SEC_LEN = SEC_CHK + CHK_BYTES,
	SEC_CRYPT_LEN = KEYNUM + SK_BYTES + CHK_BYTES, /* the encrypted part */
	/* commitment key: "Ck" | key */
	CK_BYTES = 32,
	CK_LEN = 2 + CK_BYTES,
	/* caps on whole files: comfortably above the longest valid file */
	KEYFILE_MAX = 2048,
	SIGFILE_MAX = 16384
};

struct tl_seckey {
	unsigned char keynum[KEYNUM];
	unsigned char *sk; /* sodium_malloc'd; no access while idle */
};

struct tl_pubkey {
	unsigned char keynum[KEYNUM];
	unsigned char pk[PK_BYTES];
};

struct tl_sig {
	unsigned char keynum[KEYNUM];
	unsigned char sig[SIG_BYTES];
	unsigned char global[SIG_BYTES];
	char *trusted;     /* NUL-terminated */
	size_t trusted_len;
	char *path;        /* for diagnostics */
};

struct tl_sigcheck {
	tl_b2b hs;
	unsigned char pk[PK_BYTES];
	const tl_sig *sig;
};

struct tl_tag {
	tl_b2b hs;
	uint64_t len;
};

struct tl_commitkey {
	unsigned char *key; /* sodium_malloc'd; read-only */
	char id[TL_KEYID_HEX + 1];
};

/* A line of a small text file. */
struct span {
	const char *s;
	size_t len;
};

static tl_status
crypto_ready(tl_diag *d)
{
	if (sodium_init() < 0)
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "libsodium cannot be initialized");
	return TL_OK;
}

static tl_status
sys_error(tl_diag *d, const char *path, const char *what)
{
	int e = errno;

	return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
	    "%s: %s", what, strerror(e));
}

static void
le64_store(unsigned char *p, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static uint64_t
le64_load(const unsigned char *p)
{
	uint64_t x = 0;
	int i;

	for (i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

void
tl_hex_lower(const unsigned char *bin, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[bin[i] >> 4];
		hex[2 * i + 1] = digits[bin[i] & 15];
	}
	hex[2 * n] = '\0';
}

void
tl_keyid_hex(const unsigned char id[TL_KEYID_BYTES],
    char hex[TL_KEYID_HEX + 1])
{
	static const char digits[] = "0123456789ABCDEF";
	int i;

	/* minisign prints le64_load(keynum) with %016" PRIX64 ": the bytes
	 * in reverse order. */
	for (i = 0; i < KEYNUM; i++) {
		hex[2 * i] = digits[id[KEYNUM - 1 - i] >> 4];
		hex[2 * i + 1] = digits[id[KEYNUM - 1 - i] & 15];
	}
	hex[TL_KEYID_HEX] = '\0';
}

/* ------------------------------------------------------------------------
 * Files: small strict reads, streamed hashing, atomic writes
 * ---------------------------------------------------------------------- */

/* Reads the whole file at `path` into `buf` (`max` bytes, may be guarded
 * memory: read(2) leaves no copy in a stdio buffer).  A longer file is
 * TL_ESYNTAX: key and signature files are small, and the cap keeps a
 * hostile file from costing memory. */
static tl_status
read_small(const char *path, unsigned char *buf, size_t max, size_t *len,
    tl_diag *d)
{
	unsigned char extra;
	size_t n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return sys_error(d, path, "cannot open");
	for (;;) {
		if (n < max)
			r = read(fd, buf + n, max - n);
		else
			r = read(fd, &extra, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tl_status st = sys_error(d, path, "cannot read");

			close(fd);
			return st;
		}
		if (r == 0)
			break;
		if (n == max) {
			close(fd);
			return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 0,
			    0, "key-format", "file is longer than %zu bytes",
			    max);
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return TL_OK;
}

/* Streams the file at `path` through `fn` 64 KiB at a time. */
static tl_status
stream_file(const char *path, void (*fn)(void *, const unsigned char *,
    size_t), void *ctx, tl_diag *d)
{
	unsigned char *buf;
	tl_status st = TL_OK;
	ssize_t r;
	int fd;

	if ((buf = malloc(65536)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	if ((fd = open(path, O_RDONLY)) < 0) {
		free(buf);
		return sys_error(d, path, "cannot open");
	}
	for (;;) {
		r = read(fd, buf, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = sys_error(d, path, "cannot read");
			break;
		}
		if (r == 0)
			break;
		fn(ctx, buf, (size_t)r);
	}
	close(fd);
	free(buf);
	return st;
}

static tl_status
write_all(int fd, const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return TL_EIO;
		p += w;
		len -= (size_t)w;
	}
	return TL_OK;
}

/*
 * Writes `len` bytes to `path` atomically: a temporary file beside it
 * (mode `mode`), fsync, then rename (`force`) or link, which never
 * replaces an existing file (TL_EEXIST).  The temporary file is gone after
 * every outcome.
 */
static tl_status
write_atomic(const char *path, const void *bytes, size_t len, mode_t mode,
    bool force, tl_diag *d)
{
	tl_buf tmp = { 0 };
	tl_status st;
	int fd, e;

	if (tl_buf_puts(&tmp, path) != TL_OK ||
	    tl_buf_puts(&tmp, ".XXXXXX") != TL_OK) {
		tl_buf_free(&tmp);
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	}
	if ((fd = mkstemp(tmp.data)) < 0) {
		st = sys_error(d, path, "cannot create a temporary file");
		tl_buf_free(&tmp);
		return st;
	}
	if (fchmod(fd, mode) != 0 || write_all(fd, bytes, len) != TL_OK ||
	    fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp.data);
		errno = e;
		st = sys_error(d, path, "cannot write");
		tl_buf_free(&tmp);
		return st;
	}
	if (close(fd) != 0) {
		st = sys_error(d, path, "cannot write");
		unlink(tmp.data);
		tl_buf_free(&tmp);
		return st;
	}
	st = TL_OK;
	if (force) {
		if (rename(tmp.data, path) != 0) {
			st = sys_error(d, path, "cannot rename into place");
			unlink(tmp.data);
		}
	} else {
		if (link(tmp.data, path) != 0) {
			if (errno == EEXIST)
				st = tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
				    path, 0, 0, NULL,
				    "file exists (use force to replace it)");
			else
				st = sys_error(d, path, "cannot link into place");
		}
		unlink(tmp.data);
	}
	tl_buf_free(&tmp);
	if (st == TL_OK)
		tl_sync_dir(path);
	return st;
}

/* ------------------------------------------------------------------------
 * Strict parsing of minisign's small text files
 * ---------------------------------------------------------------------- */

/*
 * Splits `text` into exactly `want` lines, each ending in '\n' except the
 * last, which may end at the end of the file: minisign reads it with
 * fgets and accepts that.  NUL and CR are refused anywhere (minisign
 * strips CRs silently, which would let two different files mean the same
 * thing), and so is anything after the last line.
 */
static tl_status
split_lines(const char *path, const char *text, size_t len,
    struct span *lines, size_t want, tl_diag *d)
{
	size_t i, start = 0, n = 0;

	for (i = 0; i < len; i++) {
		if (text[i] == '\0' || text[i] == '\r')
			return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path,
			    n + 1, i - start + 1, "key-format", "%s byte",
			    text[i] ? "carriage return" : "NUL");
		if (text[i] != '\n')
			continue;
		if (n == want)
			break;
		lines[n].s = text + start;
		lines[n].len = i - start;
		n++;
		start = i + 1;
	}
	if (n == want && start < len)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, n + 1, 1,
		    "key-format", "unexpected text after line %zu", want);
	if (n + 1 == want && start < len) {
		lines[n].s = text + start;
		lines[n].len = len - start;
		n++;
	}
	if (n < want)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, n + 1, 1,
		    "key-format", "truncated: %zu of %zu lines", n, want);
	return TL_OK;
}

static tl_status
check_comment(const char *path, unsigned long line, const struct span *sp,
    const char *prefix, size_t max, tl_diag *d)
{
	size_t plen = strlen(prefix);

	if (sp->len < plen || memcmp(sp->s, prefix, plen) != 0)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line, 1,
		    "key-format", "line does not start with \"%s\"", prefix);
	if (sp->len > max)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line,
		    max + 1, "key-format", "comment line longer than %zu bytes",
		    max);
	return TL_OK;
}

/* Decodes one line of exactly `binlen` bytes of canonical standard
 * base64: the length must be exact and re-encoding must give the same
 * text (no stray padding bits), so that one value has one spelling. */
static tl_status
b64_decode(const char *path, unsigned long line, const struct span *sp,
    unsigned char *bin, size_t binlen, const char *what, tl_diag *d)
{
	const size_t want = sodium_base64_ENCODED_LEN(binlen,
	    sodium_base64_VARIANT_ORIGINAL) - 1;
	char canon[sodium_base64_ENCODED_LEN(SEC_LEN,
	    sodium_base64_VARIANT_ORIGINAL)];
	const char *end = NULL;
	size_t got = 0;
	int same;

	if (sp->len != want)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line, 1,
		    "key-format", "%s: %zu base64 characters where %zu are "
		    "expected", what, sp->len, want);
	if (sodium_base642bin(bin, binlen, sp->s, sp->len, NULL, &got, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != binlen ||
	    end != sp->s + sp->len)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line, 1,
		    "key-format", "%s: invalid base64", what);
	sodium_bin2base64(canon, sizeof canon, bin, binlen,
	    sodium_base64_VARIANT_ORIGINAL);
	same = memcmp(canon, sp->s, sp->len) == 0;
	sodium_memzero(canon, sizeof canon);
	if (!same)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line, 1,
		    "key-format", "%s: non-canonical base64", what);
	return TL_OK;
}

/* Appends the base64 of bin and a newline. */
static tl_status
b64_line(tl_buf *b, const unsigned char *bin, size_t binlen)
{
	char enc[sodium_base64_ENCODED_LEN(SEC_LEN,
	    sodium_base64_VARIANT_ORIGINAL)];
	tl_status st;

	sodium_bin2base64(enc, sizeof enc, bin, binlen,
	    sodium_base64_VARIANT_ORIGINAL);
	st = tl_buf_puts(b, enc);
	sodium_memzero(enc, sizeof enc);
	return st == TL_OK ? tl_buf_putc(b, '\n') : st;
}

/* ------------------------------------------------------------------------
 * Public keys
 * ---------------------------------------------------------------------- */

static tl_status
pubkey_decode(const char *path, unsigned long line, const struct span *sp,
    tl_pubkey **out, tl_diag *d)
{
	unsigned char raw[PUB_LEN];
	tl_pubkey *pk;
	tl_status st;

	if ((st = b64_decode(path, line, sp, raw, sizeof raw, "public key",
	    d)) != TL_OK)
		return st;
	if (memcmp(raw, SIGALG, 2) != 0)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, line, 1,
		    "key-format", "unsupported public key algorithm");
	if ((pk = malloc(sizeof *pk)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	memcpy(pk->keynum, raw + 2, KEYNUM);
	memcpy(pk->pk, raw + 2 + KEYNUM, PK_BYTES);
	*out = pk;
	return TL_OK;
}

tl_status
tl_pubkey_load(const char *path, tl_pubkey **out, tl_diag *d)
{
	unsigned char buf[KEYFILE_MAX];
	struct span lines[2];
	tl_status st;
	size_t len;

	*out = NULL;
	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no public key file given");
	if ((st = read_small(path, buf, sizeof buf, &len, d)) != TL_OK ||
	    (st = split_lines(path, (const char *)buf, len, lines, 2, d)) !=
	    TL_OK ||
	    (st = check_comment(path, 1, &lines[0], COMMENT_PREFIX,
	    COMMENT_LINE_MAX, d)) != TL_OK)
		return st;
	return pubkey_decode(path, 2, &lines[1], out, d);
}

tl_status
tl_pubkey_from_base64(const char *b64, tl_pubkey **out, tl_diag *d)
{
	struct span sp;

	*out = NULL;
	if (b64 == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no public key given");
	sp.s = b64;
	sp.len = strlen(b64);
	return pubkey_decode("public key", 1, &sp, out, d);
}

tl_status
tl_pubkey_from_seckey(const tl_seckey *sk, tl_pubkey **out)
{
	tl_pubkey *pk;

	*out = NULL;
	if ((pk = malloc(sizeof *pk)) == NULL)
		return TL_ENOMEM;
	memcpy(pk->keynum, sk->keynum, KEYNUM);
	if (sodium_mprotect_readonly(sk->sk) != 0) {
		free(pk);
		return TL_ECRYPTO;
	}
	memcpy(pk->pk, sk->sk + 32, PK_BYTES);
	sodium_mprotect_noaccess(sk->sk);
	*out = pk;
	return TL_OK;
}

void
tl_pubkey_keyid(const tl_pubkey *pk, unsigned char id[TL_KEYID_BYTES])
{
	memcpy(id, pk->keynum, KEYNUM);
}

size_t
tl_pubkey_base64(const tl_pubkey *pk, char *buf, size_t size)
{
	unsigned char raw[PUB_LEN];
	char enc[sodium_base64_ENCODED_LEN(PUB_LEN,
	    sodium_base64_VARIANT_ORIGINAL)];

	memcpy(raw, SIGALG, 2);
	memcpy(raw + 2, pk->keynum, KEYNUM);
	memcpy(raw + 2 + KEYNUM, pk->pk, PK_BYTES);
	sodium_bin2base64(enc, sizeof enc, raw, sizeof raw,
	    sodium_base64_VARIANT_ORIGINAL);
	if (size > 0)
		tl_strlcpy(buf, enc, strlen(enc), size);
	return strlen(enc);
}

void
tl_pubkey_free(tl_pubkey *pk)
{
	free(pk);
}

/* ------------------------------------------------------------------------
 * Secret keys
 * ---------------------------------------------------------------------- */

/* minisign's checksum: BLAKE2b-256("Ed" | keynum | sk). */
static void
seckey_checksum(const unsigned char *raw, unsigned char chk[CHK_BYTES])
{
	tl_b2b hs;

	tl_b2b_init(&hs, CHK_BYTES, NULL, 0, NULL, NULL);
	tl_b2b_update(&hs, raw, 2);
	tl_b2b_update(&hs, raw + SEC_KEYNUM, KEYNUM + SK_BYTES);
	tl_b2b_final(&hs, chk); /* wipes hs */
}

/* Hard limits on the scrypt parameters a key file may ask for: a hostile
 * file must not make us allocate without bound.  minisign never goes
 * above SENSITIVE. */
#define OPS_CAP \
	((uint64_t)crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE * 4)
#define MEM_CAP \
	((uint64_t)crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE * 2)

/* XORs the secret part of `raw` with the scrypt stream of `password`. */
static tl_status
seckey_crypt(unsigned char *raw, const char *password, const char *path,
    tl_diag *d)
{
	uint64_t ops = le64_load(raw + SEC_OPS), mem = le64_load(raw + SEC_MEM);
	unsigned char *stream;
	size_t i;

	if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
	    ops > OPS_CAP ||
	    mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN ||
	    mem > MEM_CAP)
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 2, 1,
		    "key-kdf", "unsupported scrypt limits (ops %llu, memory "
		    "%llu)", (unsigned long long)ops, (unsigned long long)mem);
	if ((stream = sodium_malloc(SEC_CRYPT_LEN)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	if (crypto_pwhash_scryptsalsa208sha256(stream, SEC_CRYPT_LEN,
	    password, strlen(password), raw + SEC_SALT, ops, (size_t)mem) !=
	    0) {
		sodium_free(stream);
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    "key-kdf", "key derivation failed (out of memory?)");
	}
	for (i = 0; i < SEC_CRYPT_LEN; i++)
		raw[SEC_KEYNUM + i] ^= stream[i];
	sodium_free(stream);
	return TL_OK;
}

/* True when sk (seed | pk) is what its seed derives: catches a damaged
 * unencrypted key whose checksum is all zeros. */
static bool
seckey_consistent(const unsigned char *sk)
{
	unsigned char *again;
	unsigned char pk[PK_BYTES];
	bool ok;

	if ((again = sodium_malloc(SK_BYTES)) == NULL)
		return false;
	ok = crypto_sign_seed_keypair(pk, again, sk) == 0 &&
	    sodium_memcmp(again, sk, SK_BYTES) == 0;
	sodium_free(again);
	return ok;
}

static tl_status
seckey_parse(const char *path, const char *password, unsigned char *file,
    unsigned char *raw, tl_seckey **out, tl_diag *d)
{
	static const unsigned char zero[CHK_BYTES];
	unsigned char chk[CHK_BYTES];
	struct span lines[2];
	tl_seckey *sk;
	tl_status st;
	size_t len;
	bool encrypted;

	if ((st = read_small(path, file, KEYFILE_MAX, &len, d)) != TL_OK ||
	    (st = split_lines(path, (const char *)file, len, lines, 2, d)) !=
	    TL_OK ||
	    (st = check_comment(path, 1, &lines[0], COMMENT_PREFIX,
	    COMMENT_LINE_MAX, d)) != TL_OK ||
	    (st = b64_decode(path, 2, &lines[1], raw, SEC_LEN, "secret key",
	    d)) != TL_OK)
		return st;
	if (memcmp(raw, SIGALG, 2) != 0)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2, 1,
		    "key-format", "unsupported signature algorithm");
	if (memcmp(raw + SEC_CHKALG, CHKALG, 2) != 0)
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2, 1,
		    "key-format", "unsupported checksum algorithm");
	if (memcmp(raw + SEC_KDF, KDFALG, 2) == 0)
		encrypted = true;
	else if (memcmp(raw + SEC_KDF, KDFNONE, 2) == 0)
		encrypted = false;
	else
		return tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2, 1,
		    "key-format", "unsupported key derivation function");
	if (encrypted) {
		if (password == NULL)
			return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0,
			    0, "key-password", "the secret key is encrypted: "
			    "a password is needed");
		if ((st = seckey_crypt(raw, password, path, d)) != TL_OK)
			return st;
	}
	seckey_checksum(raw, chk);
	if (sodium_memcmp(chk, raw + SEC_CHK, CHK_BYTES) != 0 &&
	    (encrypted || sodium_memcmp(raw + SEC_CHK, zero, CHK_BYTES) != 0)) {
		sodium_memzero(chk, sizeof chk);
		if (encrypted)
			return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0,
			    0, "key-password", "wrong password for this secret "
			    "key");
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 2, 1,
		    "key-checksum", "secret key checksum mismatch (damaged "
		    "key)");
	}
	sodium_memzero(chk, sizeof chk);
	if (!seckey_consistent(raw + SEC_SK))
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 2, 1,
		    "key-checksum", "secret key is inconsistent (damaged key)");
	if ((sk = malloc(sizeof *sk)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	if ((sk->sk = sodium_malloc(SK_BYTES)) == NULL) {
		free(sk);
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	}
	memcpy(sk->keynum, raw + SEC_KEYNUM, KEYNUM);
	memcpy(sk->sk, raw + SEC_SK, SK_BYTES);
	sodium_mprotect_noaccess(sk->sk);
	*out = sk;
	return TL_OK;
}

tl_status
tl_seckey_load(const char *path, const char *password, tl_seckey **out,
    tl_diag *d)
{
	unsigned char *file, *raw;
	tl_status st;

	*out = NULL;
	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no secret key file given");
	if ((st = crypto_ready(d)) != TL_OK)
		return st;
	file = sodium_malloc(KEYFILE_MAX);
	raw = sodium_malloc(SEC_LEN);
	if (file == NULL || raw == NULL)
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	else
		st = seckey_parse(path, password, file, raw, out, d);
	/* sodium_free wipes. */
	if (file)
		sodium_free(file);
	if (raw)
		sodium_free(raw);
	return st;
}

void
tl_seckey_keyid(const tl_seckey *sk, unsigned char id[TL_KEYID_BYTES])
{
	memcpy(id, sk->keynum, KEYNUM);
}

void
tl_seckey_free(tl_seckey *sk)
{
	if (sk == NULL)
		return;
	sodium_free(sk->sk);
	sodium_memzero(sk, sizeof *sk);
	free(sk);
}

static bool
path_exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* Builds the secret key file in guarded memory `text` and writes it. */
static tl_status
seckey_write(const char *path, const unsigned char *raw, const char *comment,
    bool force, tl_diag *d)
{
	/* The encoded key is secret when unencrypted: build it in guarded
	 * memory rather than in a tl_buf. */
	const size_t enclen = sodium_base64_ENCODED_LEN(SEC_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	size_t clen = strlen(COMMENT_PREFIX) + strlen(comment) + 1;
	size_t cap = clen + enclen + 1, len;
	char *text;
	tl_status st;

	if ((text = sodium_malloc(cap)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	snprintf(text, cap, "%s%s\n", COMMENT_PREFIX, comment);
	sodium_bin2base64(text + clen, cap - clen, raw, SEC_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	len = strlen(text);
	text[len++] = '\n';
	st = write_atomic(path, text, len, 0600, force, d);
	sodium_free(text);
	return st;
}

static tl_status
pubkey_write(const char *path, const unsigned char keynum[KEYNUM],
    const unsigned char pk[PK_BYTES], bool force, tl_diag *d)
{
	unsigned char raw[PUB_LEN];
	char id[TL_KEYID_HEX + 1];
	tl_buf b = { 0 };
	tl_status st;

	memcpy(raw, SIGALG, 2);
	memcpy(raw + 2, keynum, KEYNUM);
	memcpy(raw + 2 + KEYNUM, pk, PK_BYTES);
	tl_keyid_hex(keynum, id);
	if ((st = tl_buf_printf(&b, "%sminisign public key %s\n",
	    COMMENT_PREFIX, id)) != TL_OK ||
	    (st = b64_line(&b, raw, sizeof raw)) != TL_OK)
		st = tl_diag_set(d, st, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	else
		st = write_atomic(path, b.data, b.len, 0644, force, d);
	tl_buf_free(&b);
	return st;
}

static bool
comment_ok(const char *s, size_t max, bool allow_tab)
{
	size_t n = strlen(s), i;

	if (n > max)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || c == '\r' ||
		    (c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f)
			return false;
	}
	return true;
}

/* Encrypts the secret part of `raw` with a fresh salt at `cost`, halving
 * the limits while memory is short, as minisign does. */
static tl_status
seckey_encrypt(unsigned char *raw, const char *password, tl_kdf_cost cost,
    const char *path, tl_diag *d)
{
	unsigned long long ops;
	size_t mem, i;
	unsigned char *stream;

	if (cost == TL_KDF_INTERACTIVE) {
		ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE;
		mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE;
	} else {
		ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
		mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
	}
	memcpy(raw + SEC_KDF, KDFALG, 2);
	randombytes_buf(raw + SEC_SALT, 32);
	if ((stream = sodium_malloc(SEC_CRYPT_LEN)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	while (crypto_pwhash_scryptsalsa208sha256(stream, SEC_CRYPT_LEN,
	    password, strlen(password), raw + SEC_SALT, ops, mem) != 0) {
		ops /= 2;
		mem /= 2;
		if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
		    mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN) {
			sodium_free(stream);
			return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0,
			    0, "key-kdf", "key derivation failed: not enough "
			    "memory");
		}
	}
	le64_store(raw + SEC_OPS, ops);
	le64_store(raw + SEC_MEM, mem);
	for (i = 0; i < SEC_CRYPT_LEN; i++)
		raw[SEC_KEYNUM + i] ^= stream[i];
	sodium_free(stream);
	return TL_OK;
}

tl_status
tl_keypair_generate(const char *pubkey_path, const char *seckey_path,
    const char *password, tl_kdf_cost cost, const char *comment, bool force,
    tl_diag *d)
{
	unsigned char keynum[KEYNUM], pk[PK_BYTES];
	unsigned char *raw;
	bool encrypt = password != NULL && password[0] != '\0';
	tl_status st;

	if (pubkey_path == NULL || seckey_path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "key file names are required");
	if (comment == NULL)
		comment = encrypt ? "tearline encrypted secret key" :
		    "tearline secret key (unencrypted)";
	if (!comment_ok(comment, TL_UNTRUSTED_COMMENT_MAX, false))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "the comment must be one line of at most %d bytes",
		    TL_UNTRUSTED_COMMENT_MAX);
	if (!force) {
		if (path_exists(seckey_path))
			return tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
			    seckey_path, 0, 0, NULL,
			    "file exists (use force to replace it)");
		if (path_exists(pubkey_path))
			return tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
			    pubkey_path, 0, 0, NULL,
			    "file exists (use force to replace it)");
	}
	if ((st = crypto_ready(d)) != TL_OK)
		return st;
	if ((raw = sodium_malloc(SEC_LEN)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "out of memory");
	memset(raw, 0, SEC_LEN);
	memcpy(raw, SIGALG, 2);
	memcpy(raw + SEC_CHKALG, CHKALG, 2);
	randombytes_buf(raw + SEC_KEYNUM, KEYNUM);
	if (crypto_sign_keypair(pk, raw + SEC_SK) != 0) {
		sodium_free(raw);
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "key generation failed");
	}
	memcpy(keynum, raw + SEC_KEYNUM, KEYNUM);
	/* Unlike minisign -W, a valid checksum even when unencrypted. */
	seckey_checksum(raw, raw + SEC_CHK);
	st = TL_OK;
	if (encrypt)
		st = seckey_encrypt(raw, password, cost, seckey_path, d);
	if (st == TL_OK)
		st = seckey_write(seckey_path, raw, comment, force, d);
	sodium_free(raw);
	if (st != TL_OK)
		return st;
	if ((st = pubkey_write(pubkey_path, keynum, pk, force, d)) != TL_OK &&
	    !force)
		unlink(seckey_path); /* ours: link() just created it */
	return st;
}

/* ------------------------------------------------------------------------
 * Signatures
 * ---------------------------------------------------------------------- */

static void
blake2b_feed(void *ctx, const unsigned char *bytes, size_t len)
{
	tl_b2b_update(ctx, bytes, len);
}

_Static_assert(PREHASH_BYTES == TL_PREHASH_BYTES, "one prehash size");

/* Arguments of a signature: TL_OK, or TL_EUSAGE with the reason. */
static tl_status
sign_args_ok(const tl_seckey *sk, const char *trusted_comment,
    const char *untrusted_comment, const char *sig_path, tl_diag *d)
{
	if (sk == NULL || trusted_comment == NULL || sig_path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "signing: missing argument");
	if (!comment_ok(trusted_comment, TL_TRUSTED_COMMENT_MAX, true))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "the trusted comment must be one line of at most %d "
		    "bytes without control characters", TL_TRUSTED_COMMENT_MAX);
	if (untrusted_comment &&
	    !comment_ok(untrusted_comment, TL_UNTRUSTED_COMMENT_MAX, true))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "the untrusted comment must be one line of at most %d "
		    "bytes", TL_UNTRUSTED_COMMENT_MAX);
	return crypto_ready(d);
}

/* The signature of a file whose prehash is `hash`, written to sig_path;
 * `path` names the file in messages.  Arguments already checked. */
static tl_status
sign_hash(const tl_seckey *sk, const unsigned char hash[PREHASH_BYTES],
    const char *path, const char *trusted_comment,
    const char *untrusted_comment, const char *sig_path, tl_diag *d)
{
	unsigned char sigline[SIGLINE_LEN], global[SIG_BYTES];
	unsigned char *signed_tc;
	size_t tclen;
	tl_buf b = { 0 };
	tl_status st;
	int bad;

	if (untrusted_comment == NULL)
		untrusted_comment = DEFAULT_SIG_COMMENT;
	tclen = strlen(trusted_comment);
	if ((signed_tc = malloc(SIG_BYTES + tclen)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	memcpy(sigline, SIGALG_HASHED, 2);
	memcpy(sigline + 2, sk->keynum, KEYNUM);
	if (sodium_mprotect_readonly(sk->sk) != 0) {
		free(signed_tc);
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "cannot unlock the secret key's memory");
	}
	bad = crypto_sign_detached(sigline + 2 + KEYNUM, NULL, hash,
	    PREHASH_BYTES, sk->sk) != 0;
	memcpy(signed_tc, sigline + 2 + KEYNUM, SIG_BYTES);
	memcpy(signed_tc + SIG_BYTES, trusted_comment, tclen);
	bad = bad || crypto_sign_detached(global, NULL, signed_tc,
	    SIG_BYTES + tclen, sk->sk) != 0;
	/* Check with the public half, as minisign does: a fault while
	 * signing must not produce a signature that does not verify. */
	bad = bad || crypto_sign_verify_detached(sigline + 2 + KEYNUM, hash,
	    PREHASH_BYTES, sk->sk + 32) != 0 ||
	    crypto_sign_verify_detached(global, signed_tc, SIG_BYTES + tclen,
	    sk->sk + 32) != 0;
	sodium_mprotect_noaccess(sk->sk);
	free(signed_tc);
	if (bad)
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0, 0,
		    NULL, "signing failed");

	if ((st = tl_buf_printf(&b, "%s%s\n", COMMENT_PREFIX,
	    untrusted_comment)) != TL_OK ||
	    (st = b64_line(&b, sigline, sizeof sigline)) != TL_OK ||
	    (st = tl_buf_puts(&b, TRUSTED_PREFIX)) != TL_OK ||
	    (st = tl_buf_puts(&b, trusted_comment)) != TL_OK ||
	    (st = tl_buf_putc(&b, '\n')) != TL_OK ||
	    (st = b64_line(&b, global, sizeof global)) != TL_OK)
		st = tl_diag_set(d, st, TL_SEV_ERROR, sig_path, 0, 0, NULL,
		    "out of memory");
	else
		st = write_atomic(sig_path, b.data, b.len, 0644, true, d);
	tl_buf_free(&b);
	return st;
}

tl_status
tl_sign_file(const tl_seckey *sk, const char *path,
    const char *trusted_comment, const char *untrusted_comment,
    const char *sig_path, tl_diag *d)
{
	unsigned char hash[PREHASH_BYTES];
	tl_b2b *hs;
	tl_status st;

	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_sign_file: missing argument");
	if ((st = sign_args_ok(sk, trusted_comment, untrusted_comment,
	    sig_path, d)) != TL_OK)
		return st;
	if ((hs = malloc(sizeof *hs)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	tl_b2b_init(hs, PREHASH_BYTES, NULL, 0, NULL, NULL);
	st = stream_file(path, blake2b_feed, hs, d);
	tl_b2b_final(hs, hash);
	free(hs);
	if (st != TL_OK)
		return st;
	return sign_hash(sk, hash, path, trusted_comment, untrusted_comment,
	    sig_path, d);
}

tl_status
tl_sign_prehashed(const tl_seckey *sk,
    const unsigned char hash[TL_PREHASH_BYTES], const char *path,
    const char *trusted_comment, const char *untrusted_comment,
    const char *sig_path, tl_diag *d)
{
	tl_status st;

	if ((st = sign_args_ok(sk, trusted_comment, untrusted_comment,
	    sig_path, d)) != TL_OK)
		return st;
	return sign_hash(sk, hash, path, trusted_comment, untrusted_comment,
	    sig_path, d);
}

tl_status
tl_sig_load(const char *path, tl_sig **out, tl_diag *d)
{
	unsigned char *buf, raw[SIGLINE_LEN];
	struct span lines[4];
	tl_sig *sig = NULL;
	tl_status st;
	size_t len, plen = strlen(TRUSTED_PREFIX);

	*out = NULL;
	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no signature file given");
	if ((buf = malloc(SIGFILE_MAX)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	if ((st = read_small(path, buf, SIGFILE_MAX, &len, d)) != TL_OK ||
	    (st = split_lines(path, (const char *)buf, len, lines, 4, d)) !=
	    TL_OK ||
	    (st = check_comment(path, 1, &lines[0], COMMENT_PREFIX,
	    COMMENT_LINE_MAX, d)) != TL_OK ||
	    (st = check_comment(path, 3, &lines[2], TRUSTED_PREFIX,
	    TRUSTED_LINE_MAX, d)) != TL_OK)
		goto out;
	/* The algorithm comes first, so that a legacy signature is named as
	 * such rather than as a length error. */
	if ((st = b64_decode(path, 2, &lines[1], raw, sizeof raw, "signature",
	    d)) != TL_OK)
		goto out;
	if (memcmp(raw, SIGALG, 2) == 0) {
		st = tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2, 1,
		    "sig-format", "legacy (non-prehashed) signature: not "
		    "supported");
		goto out;
	}
	if (memcmp(raw, SIGALG_HASHED, 2) != 0) {
		st = tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2, 1,
		    "sig-format", "unsupported signature algorithm");
		goto out;
	}
	if ((sig = calloc(1, sizeof *sig)) == NULL ||
	    (sig->trusted = malloc(lines[2].len - plen + 1)) == NULL ||
	    (sig->path = strdup(path)) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto out;
	}
	if ((st = b64_decode(path, 4, &lines[3], sig->global,
	    sizeof sig->global, "global signature", d)) != TL_OK)
		goto out;
	memcpy(sig->keynum, raw + 2, KEYNUM);
	memcpy(sig->sig, raw + 2 + KEYNUM, SIG_BYTES);
	sig->trusted_len = lines[2].len - plen;
	memcpy(sig->trusted, lines[2].s + plen, sig->trusted_len);
	sig->trusted[sig->trusted_len] = '\0';
	*out = sig;
	sig = NULL;
out:
	tl_sig_free(sig);
	free(buf);
	return st;
}

const char *
tl_sig_trusted_comment(const tl_sig *sig)
{
	return sig->trusted;
}

void
tl_sig_keyid(const tl_sig *sig, unsigned char id[TL_KEYID_BYTES])
{
	memcpy(id, sig->keynum, KEYNUM);
}

void
tl_sig_free(tl_sig *sig)
{
	if (sig == NULL)
		return;
	free(sig->trusted);
	free(sig->path);
	free(sig);
}

tl_status
tl_sigcheck_new(const tl_pubkey *pk, const tl_sig *sig, tl_sigcheck **out,
    tl_diag *d)
{
	char sid[TL_KEYID_HEX + 1], pid[TL_KEYID_HEX + 1];
	tl_sigcheck *c;
	tl_status st;

	*out = NULL;
	if ((st = crypto_ready(d)) != TL_OK)
		return st;
	if (memcmp(sig->keynum, pk->keynum, KEYNUM) != 0) {
		tl_keyid_hex(sig->keynum, sid);
		tl_keyid_hex(pk->keynum, pid);
		return tl_diag_set(d, TL_EVERIFY, TL_SEV_ERROR, sig->path, 0, 0,
		    "key-id", "key id mismatch: signed by key %s, the public "
		    "key is %s", sid, pid);
	}
	if ((c = malloc(sizeof *c)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, sig->path, 0, 0,
		    NULL, "out of memory");
	tl_b2b_init(&c->hs, PREHASH_BYTES, NULL, 0, NULL, NULL);
	memcpy(c->pk, pk->pk, PK_BYTES);
	c->sig = sig;
	*out = c;
	return TL_OK;
}

void
tl_sigcheck_update(tl_sigcheck *c, const void *bytes, size_t len)
{
	tl_b2b_update(&c->hs, bytes, len);
}

tl_status
tl_sigcheck_final(tl_sigcheck *c, tl_diag *d)
{
	unsigned char hash[PREHASH_BYTES];
	unsigned char *signed_tc;
	const tl_sig *sig = c->sig;
	tl_status st = TL_OK;

	tl_b2b_final(&c->hs, hash);
	if (crypto_sign_verify_detached(sig->sig, hash, sizeof hash, c->pk) !=
	    0) {
		st = tl_diag_set(d, TL_EVERIFY, TL_SEV_ERROR, sig->path, 0, 0,
		    "signature", "signature verification failed");
		goto out;
	}
	if ((signed_tc = malloc(SIG_BYTES + sig->trusted_len)) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, sig->path, 0, 0,
		    NULL, "out of memory");
		goto out;
	}
	memcpy(signed_tc, sig->sig, SIG_BYTES);
	memcpy(signed_tc + SIG_BYTES, sig->trusted, sig->trusted_len);
	if (crypto_sign_verify_detached(sig->global, signed_tc,
	    SIG_BYTES + sig->trusted_len, c->pk) != 0)
		st = tl_diag_set(d, TL_EVERIFY, TL_SEV_ERROR, sig->path, 3, 1,
		    "comment-signature", "trusted comment signature "
		    "verification failed");
	free(signed_tc);
out:
	free(c);
	return st;
}

void
tl_sigcheck_free(tl_sigcheck *c)
{
	free(c);
}

static void
sigcheck_feed(void *ctx, const unsigned char *bytes, size_t len)
{
	tl_sigcheck_update(ctx, bytes, len);
}

tl_status
tl_verify_file(const tl_pubkey *pk, const char *path, const char *sig_path,
    char **trusted_comment, tl_diag *d)
{
	tl_sigcheck *c = NULL;
	tl_sig *sig = NULL;
	tl_status st;

	if (trusted_comment)
		*trusted_comment = NULL;
	if (pk == NULL || path == NULL || sig_path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_verify_file: missing argument");
	if ((st = tl_sig_load(sig_path, &sig, d)) != TL_OK)
		return st;
	if ((st = tl_sigcheck_new(pk, sig, &c, d)) == TL_OK) {
		if ((st = stream_file(path, sigcheck_feed, c, d)) != TL_OK)
			tl_sigcheck_free(c);
		else
			st = tl_sigcheck_final(c, d);
	}
	if (st == TL_OK && trusted_comment &&
	    (*trusted_comment = strdup(sig->trusted)) == NULL)
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	tl_sig_free(sig);
	return st;
}

/* ------------------------------------------------------------------------
 * Hashes for the log
 * ---------------------------------------------------------------------- */

static void
sha256_feed(void *ctx, const unsigned char *bytes, size_t len)
{
	tl_sha256_update(ctx, bytes, len);
}

tl_status
tl_sha256_file(const char *path, char hex[TL_HASH_HEX + 1], tl_diag *d)
{
	tl_sha256 *h;
	tl_status st;

	hex[0] = '\0';
	if ((st = tl_sha256_begin(&h)) != TL_OK)
		return tl_diag_set(d, st, TL_SEV_ERROR, path, 0, 0, NULL, "%s",
		    st == TL_ENOMEM ? "out of memory" : "SHA-256 is not available");
	if ((st = stream_file(path, sha256_feed, h, d)) != TL_OK) {
		tl_sha256_free(h);
		return st;
	}
	if (tl_sha256_final(h, hex) != TL_OK)
		return tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "SHA-256 failed");
	return TL_OK;
}

/* Personalizations are exactly 16 bytes long (BLAKE2b's); they keep the hashes of different roles apart. */
static const unsigned char PERSONAL_PREV[16] = "tearline-prev-v1";
static const unsigned char PERSONAL_ITAG[16] = "tearline-itag-v1";
static const unsigned char PERSONAL_PTAG[16] = "tearline-ptag-v1";
static const unsigned char PERSONAL_CKID[16] = "tearline-ckid-v1";

void
tl_chain_hash(const void *line, size_t len, char hex[TL_HASH_HEX + 1])
{
	unsigned char out[32];

	tl_b2b_hash(out, sizeof out, line, len, NULL, 0, PERSONAL_PREV);
	tl_hex_lower(out, sizeof out, hex);
}

tl_status
tl_random_hex(char *hex, size_t nbytes)
{
	unsigned char buf[64];
	size_t n;

	if (crypto_ready(NULL) != TL_OK)
		return TL_ECRYPTO;
	while (nbytes > 0) {
		n = nbytes < sizeof buf ? nbytes : sizeof buf;
		randombytes_buf(buf, n);
		tl_hex_lower(buf, n, hex);
		hex += 2 * n;
		nbytes -= n;
	}
	*hex = '\0';
	return TL_OK;
}

/* ------------------------------------------------------------------------
 * Commitment keys and tags
 * ---------------------------------------------------------------------- */

static tl_status
commitkey_new(const unsigned char *key, tl_commitkey **out)
{
	unsigned char h[32];
	tl_commitkey *ck;

	if ((ck = malloc(sizeof *ck)) == NULL)
		return TL_ENOMEM;
	if ((ck->key = sodium_malloc(CK_BYTES)) == NULL) {
		free(ck);
		return TL_ENOMEM;
	}
	memcpy(ck->key, key, CK_BYTES);
	sodium_mprotect_readonly(ck->key);
	tl_b2b_hash(h, sizeof h, key, CK_BYTES, NULL, 0, PERSONAL_CKID);
	tl_keyid_hex(h, ck->id);
	*out = ck;
	return TL_OK;
}

tl_status
tl_commitkey_generate(const char *path, bool force, tl_commitkey **out,
    tl_diag *d)
{
	unsigned char *raw;
	char *text;
	const size_t cap = 256;
	tl_commitkey *ck = NULL;
	tl_status st;
	size_t len;

	*out = NULL;
	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no commitment key file given");
	if ((st = crypto_ready(d)) != TL_OK)
		return st;
	raw = sodium_malloc(CK_LEN);
	text = sodium_malloc(cap);
	if (raw == NULL || text == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto out;
	}
	memcpy(raw, CKALG, 2);
	randombytes_buf(raw + 2, CK_BYTES);
	if (commitkey_new(raw + 2, &ck) != TL_OK) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto out;
	}
	snprintf(text, cap, "%stearline commitment key %s\n", COMMENT_PREFIX,
	    ck->id);
	len = strlen(text);
	sodium_bin2base64(text + len, cap - len, raw, CK_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	len = strlen(text);
	text[len++] = '\n';
	if ((st = write_atomic(path, text, len, 0600, force, d)) == TL_OK) {
		*out = ck;
		ck = NULL;
	}
out:
	tl_commitkey_free(ck);
	if (raw)
		sodium_free(raw);
	if (text)
		sodium_free(text);
	return st;
}

tl_status
tl_commitkey_load(const char *path, tl_commitkey **out, tl_diag *d)
{
	unsigned char *file, *raw;
	struct span lines[2];
	tl_status st;
	size_t len;

	*out = NULL;
	if (path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "no commitment key file given");
	if ((st = crypto_ready(d)) != TL_OK)
		return st;
	file = sodium_malloc(KEYFILE_MAX);
	raw = sodium_malloc(CK_LEN);
	if (file == NULL || raw == NULL)
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	else if ((st = read_small(path, file, KEYFILE_MAX, &len, d)) ==
	    TL_OK &&
	    (st = split_lines(path, (const char *)file, len, lines, 2, d)) ==
	    TL_OK &&
	    (st = check_comment(path, 1, &lines[0], COMMENT_PREFIX,
	    COMMENT_LINE_MAX, d)) == TL_OK &&
	    (st = b64_decode(path, 2, &lines[1], raw, CK_LEN,
	    "commitment key", d)) == TL_OK) {
		if (memcmp(raw, CKALG, 2) != 0)
			st = tl_diag_set(d, TL_ESYNTAX, TL_SEV_ERROR, path, 2,
			    1, "key-format", "not a tearline commitment key");
		else if (commitkey_new(raw + 2, out) != TL_OK)
			st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
			    NULL, "out of memory");
	}
	if (file)
		sodium_free(file);
	if (raw)
		sodium_free(raw);
	return st;
}

void
tl_commitkey_id(const tl_commitkey *ck, char hex[TL_KEYID_HEX + 1])
{
	memcpy(hex, ck->id, sizeof ck->id);
}

void
tl_commitkey_free(tl_commitkey *ck)
{
	if (ck == NULL)
		return;
	sodium_free(ck->key);
	free(ck);
}

static void
tag_u64(tl_tag *t, uint64_t x)
{
	unsigned char b[8];

	le64_store(b, x);
	tl_b2b_update(&t->hs, b, sizeof b);
}

tl_status
tl_tag_begin(const tl_commitkey *ck, const char *log_id, unsigned long doc,
    unsigned long portion, tl_tag **out)
{
	tl_status st;

	if ((st = tl_tag_proto(ck, log_id, portion == 0, out)) != TL_OK)
		return st;
	tag_u64(*out, doc);
	tag_u64(*out, portion);
	return TL_OK;
}

tl_status
tl_tag_proto(const tl_commitkey *ck, const char *log_id, bool input,
    tl_tag **out)
{
	tl_tag *t;

	*out = NULL;
	if (ck == NULL || log_id == NULL)
		return TL_EUSAGE;
	if ((t = malloc(sizeof *t)) == NULL)
		return TL_ENOMEM;
	/* What every tag of one kind in one log shares: the keyed state
	 * after the key block and the log id.  The key block (128 bytes) and
	 * the 40 bytes of the log id fill more than a block: BLAKE2b
	 * compresses the key block here, once, instead of once per portion. */
	tl_b2b_init(&t->hs, TL_TAG_BYTES, ck->key, CK_BYTES, NULL,
	    input ? PERSONAL_ITAG : PERSONAL_PTAG);
	t->len = 0;
	tag_u64(t, strlen(log_id));
	tl_b2b_update(&t->hs, log_id, strlen(log_id));
	*out = t;
	return TL_OK;
}

tl_status
tl_tag_restart(tl_tag **t, const tl_tag *proto, unsigned long doc,
    unsigned long portion)
{
	if (*t == NULL && (*t = malloc(sizeof **t)) == NULL)
		return TL_ENOMEM;
	/* A copy of a hash state goes on exactly as the original would. */
	memcpy(*t, proto, sizeof **t);
	tag_u64(*t, doc);
	tag_u64(*t, portion);
	return TL_OK;
}

void
tl_tag_digest(tl_tag *t, unsigned char out[TL_TAG_BYTES])
{
	/* The text's length comes last: the text is streamed, so its length
	 * is known only now.  Every earlier field has a fixed or a prefixed
	 * length, so the encoding stays unambiguous. */
	tag_u64(t, t->len);
	tl_b2b_final(&t->hs, out);
}

void
tl_tag_update(tl_tag *t, const void *bytes, size_t len)
{
	tl_b2b_update(&t->hs, bytes, len);
	t->len += len;
}

void
tl_tag_final(tl_tag *t, char hex[TL_HASH_HEX + 1])
{
	unsigned char out[TL_TAG_BYTES];

	tl_tag_digest(t, out);
	tl_hex_lower(out, sizeof out, hex);
	tl_tag_free(t);
}

void
tl_tag_free(tl_tag *t)
{
	if (t == NULL)
		return;
	sodium_memzero(t, sizeof *t);
	free(t);
}
