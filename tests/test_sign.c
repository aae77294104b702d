/*
 * test_sign.c: minisign-compatible keys and signatures (both ways with
 * the installed minisign), strict parsing of key and signature files, the
 * RFC 6962 Merkle tree against its published vectors and a naive
 * recursive definition, and the hashes and keyed tags of the log.
 */
#define _DEFAULT_SOURCE /* mkdtemp */

#include "tlcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h" /* tl_b2b: tested against libsodium */

#define KEYS "tests/keys/"
#define TEST_PASSWORD "tearline-test-password"

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/* Each test gets a fresh directory (tests/support). */
static void
setup(void)
{
	tlcheck_tmpdir_setup("sign");
}

static void
teardown(void)
{
	tlcheck_tmpdir_teardown();
}

static void
write_str(const char *path, const char *s)
{
	tlcheck_write(path, s, strlen(s));
}

static int
have_minisign(void)
{
	if (system("command -v minisign >/dev/null 2>&1") == 0)
		return 1;
	fprintf(stderr, "skip: minisign is not installed\n");
	return 0;
}

static tl_seckey *
load_sk(const char *path, const char *pw)
{
	tl_seckey *sk = NULL;
	tl_diag d;
	tl_status st = tl_seckey_load(path, pw, &sk, &d);

	ck_assert_msg(st == TL_OK, "%s: %s", path, d.message);
	return sk;
}

static tl_pubkey *
load_pk(const char *path)
{
	tl_pubkey *pk = NULL;
	tl_diag d;
	tl_status st = tl_pubkey_load(path, &pk, &d);

	ck_assert_msg(st == TL_OK, "%s: %s", path, d.message);
	return pk;
}

static void
keyid_of_pk(const tl_pubkey *pk, char hex[TL_KEYID_HEX + 1])
{
	unsigned char id[TL_KEYID_BYTES];

	tl_pubkey_keyid(pk, id);
	tl_keyid_hex(id, hex);
}

/* The minisign known-answer vector of signed-log.md. */
#define KAT_PUB "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
#define KAT_SIG "RUQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1mGTk" \
	"UidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo="
#define KAT_TC "timestamp:1556193335\tfile:test"
#define KAT_GLOBAL "y/rUw2y8/hOUYjZU71eHp/Wo1KZ40fGy2VJEDl34XMJM+TX48Ss/" \
	"17u3IvIfbVR1FkZZSNCisQbuQY+bHwhEBg=="

static void
write_kat_sig(const char *path, const char *tc, const char *global,
    const char *tail)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "untrusted comment: signature from minisign "
	    "secret key\n%s\ntrusted comment: %s\n%s%s", KAT_SIG, tc, global,
	    tail);
	write_str(path, buf);
}

/* ------------------------------------------------------------------------
 * Known answers
 * ---------------------------------------------------------------------- */

START_TEST(test_minisign_vector)
{
	tl_pubkey *pk = NULL;
	char *tc = NULL, id[TL_KEYID_HEX + 1];
	tl_diag d;

	ck_assert_int_eq(tl_pubkey_from_base64(KAT_PUB, &pk, &d), TL_OK);
	write_str(tlcheck_tmp("test"), "test");
	write_kat_sig(tlcheck_tmp("test.minisig"), KAT_TC, KAT_GLOBAL, "\n");
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("test"), tlcheck_tmp("test.minisig"),
	    &tc, &d), TL_OK);
	ck_assert_str_eq(tc, KAT_TC);
	free(tc);
	keyid_of_pk(pk, id);
	ck_assert_str_eq(id, "E7620F1842B4E81F");

	/* One byte more in the message: the signature fails. */
	write_str(tlcheck_tmp("test"), "test!");
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("test"), tlcheck_tmp("test.minisig"),
	    &tc, &d), TL_EVERIFY);
	ck_assert_ptr_null(tc);
	ck_assert_str_eq(d.rule, "signature");

	/* An edited trusted comment: the global signature fails. */
	write_str(tlcheck_tmp("test"), "test");
	write_kat_sig(tlcheck_tmp("test.minisig"), "timestamp:1556193336\tfile:test",
	    KAT_GLOBAL, "\n");
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("test"), tlcheck_tmp("test.minisig"),
	    NULL, &d), TL_EVERIFY);
	ck_assert_str_eq(d.rule, "comment-signature");
	ck_assert_uint_eq(d.line, 3);

	/* minisign accepts a last line without its newline: so do we. */
	write_kat_sig(tlcheck_tmp("test.minisig"), KAT_TC, KAT_GLOBAL, "");
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("test"), tlcheck_tmp("test.minisig"),
	    NULL, &d), TL_OK);
	tl_pubkey_free(pk);
}
END_TEST

/* tl_sha256 (libcrypto) against libsodium's SHA-256, for every length up
 * to four blocks and past, fed in pieces of varying size: the block
 * boundaries and the padding cases (55, 56, 63, 64 bytes) all come up. */
START_TEST(test_sha256_against_libsodium)
{
	unsigned char msg[300], want[crypto_hash_sha256_BYTES];
	char hex[TL_HASH_HEX + 1], wanthex[TL_HASH_HEX + 1];
	size_t len, off, step, i;
	tl_sha256 *h;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 131 + 7);
	for (len = 0; len <= sizeof msg; len++) {
		ck_assert_int_eq(tl_sha256_begin(&h), TL_OK);
		step = len % 7 + 1;
		for (off = 0; off < len; off += step)
			tl_sha256_update(h, msg + off,
			    len - off < step ? len - off : step);
		ck_assert_int_eq(tl_sha256_final(h, hex), TL_OK);
		crypto_hash_sha256(want, msg, len);
		sodium_bin2hex(wanthex, sizeof wanthex, want, sizeof want);
		if (strcmp(hex, wanthex) != 0)
			ck_abort_msg("length %zu: %s, libsodium says %s", len, hex,
			    wanthex);
	}
}
END_TEST

/* tl_b2b (blake2b.c) against libsodium's BLAKE2b, which it replaces in
 * the log: every output length and every key length, with and without a
 * salt and a personalisation, then every message length up to a few
 * blocks fed in pieces of varying size, and RFC 7693's test vector. */
static void
b2b_check(const unsigned char *msg, size_t len, size_t outlen,
    const unsigned char *key, size_t keylen, const unsigned char *salt,
    const unsigned char *personal, size_t step)
{
	unsigned char want[64], got[64], one[64];
	crypto_generichash_blake2b_state ref;
	tl_b2b s;
	size_t off;

	ck_assert_int_eq(crypto_generichash_blake2b_init_salt_personal(&ref,
	    keylen ? key : NULL, keylen, outlen, salt, personal), 0);
	crypto_generichash_blake2b_update(&ref, msg, len);
	ck_assert_int_eq(crypto_generichash_blake2b_final(&ref, want, outlen), 0);
	tl_b2b_init(&s, outlen, key, keylen, salt, personal);
	for (off = 0; off < len; off += step)
		tl_b2b_update(&s, msg + off, len - off < step ? len - off : step);
	memset(got, 0xA5, sizeof got);
	tl_b2b_final(&s, got);
	if (memcmp(got, want, outlen) != 0 || (outlen < 64 && got[outlen] != 0xA5))
		ck_abort_msg("BLAKE2b of %zu bytes (out %zu, key %zu, salt %d, "
		    "personal %d, pieces of %zu) differs from libsodium's", len,
		    outlen, keylen, salt != NULL, personal != NULL, step);
	if (salt == NULL) {
		tl_b2b_hash(one, outlen, msg, len, key, keylen, personal);
		ck_assert_mem_eq(one, want, outlen);
	}
}

START_TEST(test_blake2b_against_libsodium)
{
	static const char abc512[] =
	    "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
	    "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";
	unsigned char msg[1100], key[64], salt[16], personal[16], out[64];
	char hex[129];
	size_t len, outlen, keylen, i, step;
	int sp;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 167 + 13);
	for (i = 0; i < sizeof key; i++)
		key[i] = (unsigned char)(255 - i * 3);
	memcpy(salt, "0123456789abcdef", 16);
	memcpy(personal, "tearline-test-v1", 16);

	for (outlen = 1; outlen <= 64; outlen++)
		for (keylen = 0; keylen <= 64; keylen++)
			for (sp = 0; sp < 4; sp++)
				b2b_check(msg, (outlen * 7 + keylen) % 300,
				    outlen, key, keylen, sp & 1 ? salt : NULL,
				    sp & 2 ? personal : NULL, keylen % 5 + 1);
	/* Lengths around every block boundary up to eight blocks, in pieces
	 * of 1 to 200 bytes: whole blocks, a last block that is full, a
	 * piece that ends where the buffer does. */
	for (len = 0; len <= sizeof msg; len++) {
		step = len % 200 + 1;
		b2b_check(msg, len, 64, key, 0, NULL, NULL, step);
		b2b_check(msg, len, 32, key, 32, NULL, personal, 128);
		b2b_check(msg, len, 32, key, 64, salt, personal, len + 1);
	}

	tl_b2b_hash(out, 64, "abc", 3, NULL, 0, NULL);
	sodium_bin2hex(hex, sizeof hex, out, 64);
	ck_assert_str_eq(hex, abc512);
}
END_TEST

START_TEST(test_hash_known_answers)
{
	tl_sha256 *h;
	tl_commitkey *ck;
	tl_tag *t;
	char hex[TL_HASH_HEX + 1], id[TL_KEYID_HEX + 1];
	tl_diag d;
	const char *text = "The ambassador met the minister.";

	ck_assert_int_eq(tl_sha256_begin(&h), TL_OK);
	tl_sha256_update(h, "a", 1);
	tl_sha256_update(h, "bc", 2);
	ck_assert_int_eq(tl_sha256_final(h, hex), TL_OK);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	write_str(tlcheck_tmp("abc"), "abc");
	ck_assert_int_eq(tl_sha256_file(tlcheck_tmp("abc"), hex, &d), TL_OK);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(tl_sha256_file(tlcheck_tmp("absent"), hex, &d), TL_EIO);

	/* Values computed independently with Python's hashlib.blake2b. */
	tl_chain_hash("", 0, hex);
	ck_assert_str_eq(hex, "be782fa69fb7aec4671e0d39a2e17eb5"
	    "c254a09a0f3a2a19a4215c069baff516");
	tl_chain_hash("{\"type\":\"end\"}", 14, hex);
	ck_assert_str_eq(hex, "c2c48b1e27596c765688fd72fccef215"
	    "cbb37d837475876e31e1d32696b9e927");

	/* tests/keys/commit.key holds the bytes 0..31. */
	ck_assert_int_eq(tl_commitkey_load(KEYS "commit.key", &ck, &d), TL_OK);
	tl_commitkey_id(ck, id);
	ck_assert_str_eq(id, "49BF8F2598FF0084");
	ck_assert_int_eq(tl_tag_begin(ck, "00112233445566778899aabbccddeeff",
	    2, 3, &t), TL_OK);
	tl_tag_update(t, text, 10);
	tl_tag_update(t, text + 10, strlen(text) - 10);
	tl_tag_final(t, hex);
	ck_assert_str_eq(hex, "64b43517fc717ad84194db80f7244256"
	    "e48e6209ddc200797ab31e5e01ad0885");
	ck_assert_int_eq(tl_tag_begin(ck, "00112233445566778899aabbccddeeff",
	    1, 0, &t), TL_OK);
	tl_tag_update(t, "whole input\n", 12);
	tl_tag_final(t, hex);
	ck_assert_str_eq(hex, "659d9ea8a391d39d39e7d9e38238e223"
	    "2adf3ceabcc207edb4df165f4c605e45");
	tl_commitkey_free(ck);
}
END_TEST

/* ------------------------------------------------------------------------
 * Keys
 * ---------------------------------------------------------------------- */

START_TEST(test_key_kinds)
{
	tl_seckey *sk = NULL;
	tl_pubkey *pk, *pk2 = NULL;
	unsigned char a[TL_KEYID_BYTES], b[TL_KEYID_BYTES];
	char b64[80], *text;
	tl_diag d;

	/* Encrypted (scrypt), right password. */
	sk = load_sk(KEYS "test.key", TEST_PASSWORD);
	pk = load_pk(KEYS "test.pub");
	tl_seckey_keyid(sk, a);
	tl_pubkey_keyid(pk, b);
	ck_assert_mem_eq(a, b, TL_KEYID_BYTES);
	ck_assert_int_eq(tl_pubkey_from_seckey(sk, &pk2), TL_OK);
	ck_assert_uint_eq(tl_pubkey_base64(pk2, b64, sizeof b64), 56);
	text = tlcheck_slurp(KEYS "test.pub", NULL);
	ck_assert(strstr(text, b64) != NULL);
	free(text);
	tl_pubkey_free(pk2);
	tl_seckey_free(sk);

	/* Wrong or missing password. */
	sk = NULL;
	ck_assert_int_eq(tl_seckey_load(KEYS "test.key", "wrong", &sk, &d),
	    TL_ECRYPTO);
	ck_assert_ptr_null(sk);
	ck_assert(strstr(d.message, "wrong password") != NULL);
	ck_assert_int_eq(tl_seckey_load(KEYS "test.key", NULL, &sk, &d),
	    TL_ECRYPTO);
	ck_assert(strstr(d.message, "password") != NULL);

	/* Unencrypted, tearline's (valid checksum). */
	sk = load_sk(KEYS "nopw.key", NULL);
	tl_seckey_free(sk);
	/* Made by `minisign -G -W`: an all-zero checksum. */
	sk = load_sk(KEYS "minisign-w.key", "ignored");
	tl_seckey_free(sk);
	tl_pubkey_free(pk);
	tl_seckey_free(NULL);
	tl_pubkey_free(NULL);
}
END_TEST

START_TEST(test_keypair_generate)
{
	tl_seckey *sk;
	tl_pubkey *pk;
	struct stat sb;
	unsigned char a[TL_KEYID_BYTES], b[TL_KEYID_BYTES];
	char *text;
	tl_diag d;

	ck_assert_int_eq(tl_keypair_generate(tlcheck_tmp("k.pub"), tlcheck_tmp("k.key"),
	    "pw one", TL_KDF_INTERACTIVE, NULL, false, &d), TL_OK);
	ck_assert_int_eq(stat(tlcheck_tmp("k.key"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(tlcheck_tmp("k.pub"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0644);
	sk = load_sk(tlcheck_tmp("k.key"), "pw one");
	pk = load_pk(tlcheck_tmp("k.pub"));
	tl_seckey_keyid(sk, a);
	tl_pubkey_keyid(pk, b);
	ck_assert_mem_eq(a, b, TL_KEYID_BYTES);
	tl_seckey_free(sk);
	tl_pubkey_free(pk);

	/* No overwrite without force; nothing changes. */
	ck_assert_int_eq(tl_keypair_generate(tlcheck_tmp("k.pub"), tlcheck_tmp("k.key"), NULL,
	    TL_KDF_INTERACTIVE, NULL, false, &d), TL_EEXIST);
	sk = load_sk(tlcheck_tmp("k.key"), "pw one");
	tl_seckey_free(sk);
	/* Only the secret key exists: still refused, no public key made. */
	ck_assert_int_eq(tl_keypair_generate(tlcheck_tmp("k2.pub"), tlcheck_tmp("k.key"), NULL,
	    TL_KDF_INTERACTIVE, NULL, false, &d), TL_EEXIST);
	ck_assert_int_ne(access(tlcheck_tmp("k2.pub"), F_OK), 0);
	/* With force: replaced, unencrypted now. */
	ck_assert_int_eq(tl_keypair_generate(tlcheck_tmp("k.pub"), tlcheck_tmp("k.key"), NULL,
	    TL_KDF_INTERACTIVE, "a comment", true, &d), TL_OK);
	sk = load_sk(tlcheck_tmp("k.key"), NULL);
	tl_seckey_free(sk);
	text = tlcheck_slurp(tlcheck_tmp("k.key"), NULL);
	ck_assert(strncmp(text, "untrusted comment: a comment\n", 29) == 0);
	free(text);
	/* A comment on two lines is refused. */
	ck_assert_int_eq(tl_keypair_generate(tlcheck_tmp("k3.pub"), tlcheck_tmp("k3.key"),
	    NULL, TL_KDF_INTERACTIVE, "two\nlines", false, &d), TL_EUSAGE);
	/* No temporary files are left behind. */
	ck_assert_int_eq(tlcheck_sh("test $(ls '%s' | wc -l) -eq 2", tlcheck_tmpdir()), 0);
}
END_TEST

START_TEST(test_sign_verify_roundtrip)
{
	tl_seckey *sk = load_sk(KEYS "nopw.key", NULL);
	tl_pubkey *pk = load_pk(KEYS "nopw.pub"), *other = load_pk(KEYS
	    "other.pub");
	char *tc = NULL, *big;
	size_t i, n = 3u << 20;
	tl_diag d;

	/* A 3 MiB file: hashed in pieces. */
	ck_assert((big = malloc(n)) != NULL);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7 + (i >> 12));
	tlcheck_write(tlcheck_tmp("big"), big, n);
	free(big);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("big"), "file:big\tround trip",
	    NULL, tlcheck_tmp("big.minisig"), &d), TL_OK);
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("big"), tlcheck_tmp("big.minisig"),
	    &tc, &d), TL_OK);
	ck_assert_str_eq(tc, "file:big\tround trip");
	free(tc);

	/* Another key: the key id mismatch has its own message. */
	ck_assert_int_eq(tl_verify_file(other, tlcheck_tmp("big"), tlcheck_tmp("big.minisig"),
	    NULL, &d), TL_EVERIFY);
	ck_assert_str_eq(d.rule, "key-id");
	ck_assert(strstr(d.message, "key id mismatch") != NULL);
	ck_assert(strstr(d.message, "53ABB9082C9DFA25") != NULL);

	/* Bad comments are refused before anything is written. */
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("big"), "two\nlines", NULL,
	    tlcheck_tmp("x.minisig"), &d), TL_EUSAGE);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("big"), "ok", "a\rb",
	    tlcheck_tmp("x.minisig"), &d), TL_EUSAGE);
	big = calloc(1, TL_TRUSTED_COMMENT_MAX + 2);
	memset(big, 'x', TL_TRUSTED_COMMENT_MAX + 1);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("big"), big, NULL,
	    tlcheck_tmp("x.minisig"), &d), TL_EUSAGE);
	big[TL_TRUSTED_COMMENT_MAX] = '\0';
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("big"), big, NULL,
	    tlcheck_tmp("x.minisig"), &d), TL_OK);
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("big"), tlcheck_tmp("x.minisig"),
	    NULL, &d), TL_OK);
	free(big);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("absent"), "c", NULL,
	    tlcheck_tmp("y.minisig"), &d), TL_EIO);
	ck_assert_int_ne(access(tlcheck_tmp("y.minisig"), F_OK), 0);

	tl_seckey_free(sk);
	tl_pubkey_free(pk);
	tl_pubkey_free(other);
}
END_TEST

/* ------------------------------------------------------------------------
 * Interoperability with the installed minisign
 * ---------------------------------------------------------------------- */

START_TEST(test_minisign_verifies_ours)
{
	tl_seckey *sk;
	tl_diag d;

	if (!have_minisign())
		return;
	write_str(tlcheck_tmp("msg"), "a message\n");
	/* Encrypted key and unencrypted key. */
	sk = load_sk(KEYS "test.key", TEST_PASSWORD);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("msg"), "by tearline", NULL,
	    tlcheck_tmp("msg.minisig"), &d), TL_OK);
	tl_seckey_free(sk);
	ck_assert_int_eq(tlcheck_sh("minisign -Vm '%s' -p " KEYS "test.pub -q",
	    tlcheck_tmp("msg")), 0);
	ck_assert_int_eq(tlcheck_sh("minisign -QVm '%s' -p " KEYS "test.pub | "
	    "grep -qx 'by tearline'", tlcheck_tmp("msg")), 0);
	/* minisign rejects it for another key, or a changed message. */
	ck_assert_int_ne(tlcheck_sh("minisign -Vm '%s' -p " KEYS "other.pub -q "
	    "2>/dev/null", tlcheck_tmp("msg")), 0);
	write_str(tlcheck_tmp("msg"), "a message!\n");
	ck_assert_int_ne(tlcheck_sh("minisign -Vm '%s' -p " KEYS "test.pub -q",
	    tlcheck_tmp("msg")), 0);

	sk = load_sk(KEYS "nopw.key", NULL);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("msg"), "", "custom comment",
	    tlcheck_tmp("msg.minisig"), &d), TL_OK);
	tl_seckey_free(sk);
	ck_assert_int_eq(tlcheck_sh("minisign -Vm '%s' -p " KEYS "nopw.pub -q",
	    tlcheck_tmp("msg")), 0);
}
END_TEST

START_TEST(test_we_verify_minisign)
{
	tl_seckey *sk;
	tl_pubkey *pk;
	char *tc = NULL;
	tl_diag d;

	if (!have_minisign())
		return;
	write_str(tlcheck_tmp("msg"), "signed by minisign\n");
	/* minisign reads tearline's encrypted key with a piped password. */
	ck_assert_int_eq(tlcheck_sh("printf '%%s\\n' '" TEST_PASSWORD "' | minisign "
	    "-S -s " KEYS "test.key -m '%s' -t 'from minisign' >/dev/null "
	    "2>&1",
	    tlcheck_tmp("msg")), 0);
	pk = load_pk(KEYS "test.pub");
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("msg"), tlcheck_tmp("msg.minisig"),
	    &tc, &d), TL_OK);
	ck_assert_str_eq(tc, "from minisign");
	free(tc);
	tl_pubkey_free(pk);

	/* A fresh `minisign -G -W` key pair: read, sign, verify both ways. */
	ck_assert_int_eq(tlcheck_sh("minisign -G -W -p '%s' -s '%s' >/dev/null",
	    tlcheck_tmp("m.pub"), tlcheck_tmp("m.key")), 0);
	sk = load_sk(tlcheck_tmp("m.key"), NULL);
	ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("msg"), "t", NULL,
	    tlcheck_tmp("msg2.minisig"), &d), TL_OK);
	tl_seckey_free(sk);
	ck_assert_int_eq(tlcheck_sh("minisign -Vm '%s' -x '%s' -p '%s' -q",
	    tlcheck_tmp("msg"), tlcheck_tmp("msg2.minisig"), tlcheck_tmp("m.pub")), 0);
	ck_assert_int_eq(tlcheck_sh("minisign -S -s '%s' -m '%s' </dev/null "
	    ">/dev/null", tlcheck_tmp("m.key"), tlcheck_tmp("msg")), 0);
	pk = load_pk(tlcheck_tmp("m.pub"));
	ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("msg"), tlcheck_tmp("msg.minisig"),
	    NULL, &d), TL_OK);
	tl_pubkey_free(pk);
}
END_TEST

/* ------------------------------------------------------------------------
 * Malformed key and signature files: TL_ESYNTAX, never a crash
 * ---------------------------------------------------------------------- */

static tl_status
verify_kat_file(const char *sigtext, size_t len, tl_diag *d)
{
	tl_pubkey *pk;
	tl_status st;

	ck_assert_int_eq(tl_pubkey_from_base64(KAT_PUB, &pk, d), TL_OK);
	write_str(tlcheck_tmp("test"), "test");
	tlcheck_write(tlcheck_tmp("bad.minisig"), sigtext, len);
	st = tl_verify_file(pk, tlcheck_tmp("test"), tlcheck_tmp("bad.minisig"), NULL, d);
	tl_pubkey_free(pk);
	return st;
}

#define HEAD1 "untrusted comment: x\n"
#define TC1 "trusted comment: " KAT_TC "\n"

START_TEST(test_malformed_signatures)
{
	static const struct {
		const char *text;
		unsigned long line;
	} cases[] = {
		/* CRLF line endings */
		{ "untrusted comment: x\r\n" KAT_SIG "\r\n" TC1 KAT_GLOBAL "\n",
		    1 },
		/* bad base64 character */
		{ HEAD1 "RUQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1m"
		    "GTkUidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLz!wo=\n" TC1
		    KAT_GLOBAL "\n", 2 },
		/* wrong length */
		{ HEAD1 KAT_SIG "AAAA\n" TC1 KAT_GLOBAL "\n", 2 },
		/* non-canonical padding bits in the global signature */
		{ HEAD1 KAT_SIG "\n" TC1 "y/rUw2y8/hOUYjZU71eHp/Wo1KZ40fGy2VJEDl34X"
		    "MJM+TX48Ss/17u3IvIfbVR1FkZZSNCisQbuQY+bHwhEBh==\n", 4 },
		/* unknown algorithm "EE" */
		{ HEAD1 "RUUf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1m"
		    "GTkUidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo=\n" TC1
		    KAT_GLOBAL "\n", 2 },
		/* legacy "Ed": needs the whole file in memory: refused */
		{ HEAD1 "RWQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1m"
		    "GTkUidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo=\n" TC1
		    KAT_GLOBAL "\n", 2 },
		/* missing prefixes */
		{ "comment: x\n" KAT_SIG "\n" TC1 KAT_GLOBAL "\n", 1 },
		{ HEAD1 KAT_SIG "\ncomment: x\n" KAT_GLOBAL "\n", 3 },
		/* truncated, empty, extra line, blank line at the end */
		{ HEAD1 KAT_SIG "\n" TC1, 4 },
		{ "", 1 },
		{ HEAD1 KAT_SIG "\n" TC1 KAT_GLOBAL "\nmore\n", 5 },
		{ HEAD1 KAT_SIG "\n" TC1 KAT_GLOBAL "\n\n", 5 },
	};
	char *huge;
	size_t i;
	tl_diag d;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(verify_kat_file(cases[i].text,
		    strlen(cases[i].text), &d) == TL_ESYNTAX,
		    "case %zu accepted", i);
		ck_assert_msg(d.line == cases[i].line, "case %zu: line %lu, "
		    "expected %lu (%s)", i, d.line, cases[i].line, d.message);
	}
	ck_assert(strstr(d.message, "after line 4") != NULL);

	/* A NUL inside the trusted comment. */
	{
		char buf[512];
		int n = snprintf(buf, sizeof buf, HEAD1 "%s\ntrusted comment: "
		    "a@b\n%s\n", KAT_SIG, KAT_GLOBAL);
		char *at = strchr(buf, '@');

		*at = '\0';
		ck_assert_int_eq(verify_kat_file(buf, (size_t)n, &d),
		    TL_ESYNTAX);
		ck_assert_uint_eq(d.line, 3);
		ck_assert(strstr(d.message, "NUL") != NULL);
	}
	/* A 1 MB file and an over-long trusted comment. */
	huge = malloc(1u << 20);
	memset(huge, 'A', 1u << 20);
	memcpy(huge, HEAD1, strlen(HEAD1));
	ck_assert_int_eq(verify_kat_file(huge, 1u << 20, &d), TL_ESYNTAX);
	memcpy(huge + strlen(HEAD1), KAT_SIG "\ntrusted comment: ",
	    strlen(KAT_SIG) + 18);
	huge[9000] = '\n';
	memcpy(huge + 9001, KAT_GLOBAL "\n", strlen(KAT_GLOBAL) + 1);
	ck_assert_int_eq(verify_kat_file(huge, 9001 + strlen(KAT_GLOBAL) + 1,
	    &d), TL_ESYNTAX);
	ck_assert_uint_eq(d.line, 3);
	free(huge);
	/* A missing signature file is I/O, not syntax. */
	{
		tl_pubkey *pk;

		ck_assert_int_eq(tl_pubkey_from_base64(KAT_PUB, &pk, &d),
		    TL_OK);
		ck_assert_int_eq(tl_verify_file(pk, tlcheck_tmp("test"),
		    tlcheck_tmp("absent.minisig"), NULL, &d), TL_EIO);
		tl_pubkey_free(pk);
	}
}
END_TEST

START_TEST(test_malformed_keys)
{
	tl_pubkey *pk = NULL;
	tl_seckey *sk = NULL;
	tl_commitkey *ck = NULL;
	char *text, *p;
	size_t len;
	tl_diag d;

	/* Public keys given as strings. */
	ck_assert_int_eq(tl_pubkey_from_base64("", &pk, &d), TL_ESYNTAX);
	ck_assert_int_eq(tl_pubkey_from_base64(KAT_PUB "=", &pk, &d),
	    TL_ESYNTAX);
	ck_assert_int_eq(tl_pubkey_from_base64("RUQf6LRCGA9i53mlYecO4IzT51TGPp"
	    "vWucNSCh1CBM0QTaLn73Y7GFO3", &pk, &d), TL_ESYNTAX); /* "ED" */
	ck_assert_ptr_null(pk);

	/* Public key files: CRLF, no comment, extra line. */
	write_str(tlcheck_tmp("p1"), "untrusted comment: k\r\n" KAT_PUB "\r\n");
	ck_assert_int_eq(tl_pubkey_load(tlcheck_tmp("p1"), &pk, &d), TL_ESYNTAX);
	write_str(tlcheck_tmp("p2"), KAT_PUB "\n");
	ck_assert_int_eq(tl_pubkey_load(tlcheck_tmp("p2"), &pk, &d), TL_ESYNTAX);
	write_str(tlcheck_tmp("p3"), "untrusted comment: k\n" KAT_PUB "\nx\n");
	ck_assert_int_eq(tl_pubkey_load(tlcheck_tmp("p3"), &pk, &d), TL_ESYNTAX);
	write_str(tlcheck_tmp("p4"), "untrusted comment: k\n" KAT_PUB);
	ck_assert_int_eq(tl_pubkey_load(tlcheck_tmp("p4"), &pk, &d), TL_OK);
	tl_pubkey_free(pk);
	ck_assert_int_eq(tl_pubkey_load(tlcheck_tmp("absent"), &pk, &d), TL_EIO);

	/* Secret keys: a flipped bit in an unencrypted key's secret is
	 * caught by its checksum; in a minisign -W key (zero checksum) by
	 * the consistency of seed and public half. */
	text = tlcheck_slurp(KEYS "nopw.key", &len);
	p = strchr(text, '\n') + 1 + 100;
	*p = *p == 'A' ? 'B' : 'A';
	tlcheck_write(tlcheck_tmp("s1"), text, len);
	ck_assert_int_eq(tl_seckey_load(tlcheck_tmp("s1"), NULL, &sk, &d), TL_ECRYPTO);
	free(text);
	text = tlcheck_slurp(KEYS "minisign-w.key", &len);
	p = strchr(text, '\n') + 1 + 100;
	*p = *p == 'A' ? 'B' : 'A';
	tlcheck_write(tlcheck_tmp("s2"), text, len);
	ck_assert_int_eq(tl_seckey_load(tlcheck_tmp("s2"), NULL, &sk, &d), TL_ECRYPTO);
	/* Truncated base64, and a public key where a secret one goes. */
	tlcheck_write(tlcheck_tmp("s3"), text, len - 10);
	ck_assert_int_eq(tl_seckey_load(tlcheck_tmp("s3"), NULL, &sk, &d), TL_ESYNTAX);
	free(text);
	ck_assert_int_eq(tl_seckey_load(KEYS "test.pub", NULL, &sk, &d),
	    TL_ESYNTAX);
	ck_assert_ptr_null(sk);

	/* Commitment keys. */
	ck_assert_int_eq(tl_commitkey_load(KEYS "test.pub", &ck, &d),
	    TL_ESYNTAX);
	write_str(tlcheck_tmp("c1"), "untrusted comment: x\nQ2sAAQIDBAUGBwgJCgsMDQ4PEB"
	    "ESExQVFhcYGRobHB0eHw==\r\n");
	ck_assert_int_eq(tl_commitkey_load(tlcheck_tmp("c1"), &ck, &d), TL_ESYNTAX);
	ck_assert_ptr_null(ck);
}
END_TEST

START_TEST(test_commitkey_and_tags)
{
	tl_commitkey *a, *b, *a2;
	char id1[TL_KEYID_HEX + 1], id2[TL_KEYID_HEX + 1];
	char t1[TL_HASH_HEX + 1], t2[TL_HASH_HEX + 1];
	const char *lid = "0123456789abcdef0123456789abcdef";
	struct stat sb;
	tl_tag *t;
	tl_diag d;

	ck_assert_int_eq(tl_commitkey_generate(tlcheck_tmp("a.ck"), false, &a, &d),
	    TL_OK);
	ck_assert_int_eq(stat(tlcheck_tmp("a.ck"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(tl_commitkey_generate(tlcheck_tmp("a.ck"), false, &b, &d),
	    TL_EEXIST);
	ck_assert_int_eq(tl_commitkey_generate(tlcheck_tmp("b.ck"), false, &b, &d),
	    TL_OK);
	ck_assert_int_eq(tl_commitkey_load(tlcheck_tmp("a.ck"), &a2, &d), TL_OK);
	tl_commitkey_id(a, id1);
	tl_commitkey_id(a2, id2);
	ck_assert_str_eq(id1, id2);
	tl_commitkey_id(b, id2);
	ck_assert_str_ne(id1, id2);

	/* Same key, same fields, same text: same tag (loaded key too). */
	ck_assert_int_eq(tl_tag_begin(a, lid, 1, 2, &t), TL_OK);
	tl_tag_update(t, "same text", 9);
	tl_tag_final(t, t1);
	ck_assert_int_eq(tl_tag_begin(a2, lid, 1, 2, &t), TL_OK);
	tl_tag_update(t, "same ", 5);
	tl_tag_update(t, "text", 4);
	tl_tag_final(t, t2);
	ck_assert_str_eq(t1, t2);
	/* Any other portion, document, log or key: another tag. */
	ck_assert_int_eq(tl_tag_begin(a, lid, 1, 3, &t), TL_OK);
	tl_tag_update(t, "same text", 9);
	tl_tag_final(t, t2);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(tl_tag_begin(a, lid, 2, 2, &t), TL_OK);
	tl_tag_update(t, "same text", 9);
	tl_tag_final(t, t2);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(tl_tag_begin(a, "f123456789abcdef0123456789abcdef",
	    1, 2, &t), TL_OK);
	tl_tag_update(t, "same text", 9);
	tl_tag_final(t, t2);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(tl_tag_begin(b, lid, 1, 2, &t), TL_OK);
	tl_tag_update(t, "same text", 9);
	tl_tag_final(t, t2);
	ck_assert_str_ne(t1, t2);
	/* The text's length is bound: moving bytes between the log id and
	 * the text cannot give the same tag. */
	ck_assert_int_eq(tl_tag_begin(a, lid, 1, 2, &t), TL_OK);
	tl_tag_update(t, "same text\0", 10);
	tl_tag_final(t, t2);
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(tl_tag_begin(NULL, lid, 1, 2, &t), TL_EUSAGE);
	tl_tag_free(NULL);
	ck_assert_int_eq(tl_tag_begin(a, lid, 1, 2, &t), TL_OK);
	tl_tag_free(t);

	tl_commitkey_free(a);
	tl_commitkey_free(a2);
	tl_commitkey_free(b);
	tl_commitkey_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------------
 * Merkle tree
 * ---------------------------------------------------------------------- */

/* The RFC 6962 test leaves (certificate-transparency, transparency-dev
 * testonly/constants.go) and the roots of their first n, n = 1..8. */
static const struct {
	const char *leaf;
	size_t len;
} rfc_leaves[8] = {
	{ "", 0 }, { "\x00", 1 }, { "\x10", 1 }, { "\x20\x21", 2 },
	{ "\x30\x31", 2 }, { "\x40\x41\x42\x43", 4 },
	{ "\x50\x51\x52\x53\x54\x55\x56\x57", 8 },
	{ "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
	    16 },
};
static const char *const rfc_roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void
tohex(const unsigned char *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void
node(const unsigned char *l, const unsigned char *r, unsigned char *out)
{
	unsigned char buf[65];

	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	crypto_hash_sha256(out, buf, sizeof buf);
}

/* RFC 6962 section 2.1, word for word: MTH(D[n]) over leaf hashes. */
static void
naive_root(unsigned char (*lh)[32], size_t n, unsigned char *out)
{
	unsigned char l[32], r[32];
	size_t k = 1;

	if (n == 1) {
		memcpy(out, lh[0], 32);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	naive_root(lh, k, l);
	naive_root(lh + k, n - k, r);
	node(l, r, out);
}

/* RFC 6962 section 2.1.1: PATH(m, D[n]), appended to path. */
static void
naive_path(unsigned char (*lh)[32], size_t n, size_t m,
    unsigned char (*path)[32], size_t *np)
{
	size_t k = 1;

	if (n == 1)
		return;
	while (k * 2 < n)
		k *= 2;
	if (m < k) {
		naive_path(lh, k, m, path, np);
		naive_root(lh + k, n - k, path[(*np)++]);
	} else {
		naive_path(lh + k, n - k, m - k, path, np);
		naive_root(lh, k, path[(*np)++]);
	}
}

START_TEST(test_merkle_rfc6962)
{
	unsigned char root[32];
	char hex[65];
	tl_merkle *m = tl_merkle_new();
	size_t n;

	ck_assert_ptr_nonnull(m);
	tl_merkle_root(m, root);
	tohex(root, 32, hex);
	ck_assert_str_eq(hex, rfc_roots[0]);
	for (n = 1; n <= 8; n++) {
		tl_merkle_add(m, rfc_leaves[n - 1].leaf, rfc_leaves[n - 1].len);
		ck_assert_uint_eq(tl_merkle_size(m), n);
		tl_merkle_root(m, root);
		tohex(root, 32, hex);
		ck_assert_msg(strcmp(hex, rfc_roots[n]) == 0,
		    "%zu leaves: %s", n, hex);
	}
	tl_merkle_free(m);
	tl_merkle_free(NULL);
	tl_merkle_leaf_hash("", 0, root);
	tohex(root, 32, hex);
	ck_assert_str_eq(hex, rfc_roots[1]);
}
END_TEST

START_TEST(test_merkle_against_naive)
{
	enum { N = 70 };
	unsigned char lh[N][32], root[32], want[32];
	unsigned char path[16][32];
	char leaf[16];
	tl_merkle *m = tl_merkle_new();
	size_t n, i, np;

	for (n = 1; n <= N; n++) {
		snprintf(leaf, sizeof leaf, "leaf %zu", n - 1);
		tl_merkle_leaf_hash(leaf, strlen(leaf), lh[n - 1]);
		tl_merkle_add(m, leaf, strlen(leaf));
		tl_merkle_root(m, root);
		naive_root(lh, n, want);
		ck_assert_msg(memcmp(root, want, 32) == 0, "%zu leaves", n);
		if (n > 33 && n != N)
			continue;
		/* Every inclusion proof verifies; any change fails it. */
		for (i = 0; i < n; i++) {
			np = 0;
			naive_path(lh, n, i, path, &np);
			ck_assert_int_eq(tl_merkle_verify_inclusion(lh[i], i, n,
			    (const unsigned char (*)[32])path, np, root), TL_OK);
			ck_assert_int_eq(tl_merkle_verify_inclusion(lh[(i + 1) %
			    n], i, n, (const unsigned char (*)[32])path, np,
			    root), n == 1 ? TL_OK : TL_EVERIFY);
			if (np > 0) {
				path[np - 1][0] ^= 1;
				ck_assert_int_eq(tl_merkle_verify_inclusion(
				    lh[i], i, n, (const unsigned char (*)[32])
				    path, np, root), TL_EVERIFY);
				ck_assert_int_eq(tl_merkle_verify_inclusion(
				    lh[i], i, n, (const unsigned char (*)[32])
				    path, np - 1, root), TL_EVERIFY);
			}
			ck_assert_int_eq(tl_merkle_verify_inclusion(lh[i], n,
			    n, (const unsigned char (*)[32])path, np, root),
			    TL_EVERIFY);
		}
	}
	tl_merkle_free(m);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sign");
	TCase *tc = tcase_create("sign");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_minisign_vector);
	tcase_add_test(tc, test_hash_known_answers);
	tcase_add_test(tc, test_sha256_against_libsodium);
	tcase_add_test(tc, test_blake2b_against_libsodium);
	tcase_add_test(tc, test_key_kinds);
	tcase_add_test(tc, test_keypair_generate);
	tcase_add_test(tc, test_sign_verify_roundtrip);
	tcase_add_test(tc, test_minisign_verifies_ours);
	tcase_add_test(tc, test_we_verify_minisign);
	tcase_add_test(tc, test_malformed_signatures);
	tcase_add_test(tc, test_malformed_keys);
	tcase_add_test(tc, test_commitkey_and_tags);
	tcase_add_test(tc, test_merkle_rfc6962);
	tcase_add_test(tc, test_merkle_against_naive);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
