/*
 * sha256.c: SHA-256, by OpenSSL's libcrypto.
 *
 * SHA-256 is what a signed run hashes most: every log line as a Merkle
 * leaf, every node above it, every copy.  libsodium's SHA-256 is portable
 * C; libcrypto's uses the processor's SHA extensions (or AVX2) when it
 * has them, which made it three to four times as fast on the machines we
 * measured, for long inputs and for the 65-byte nodes alike.  Everything
 * else cryptographic (Ed25519, scrypt) stays with libsodium; BLAKE2b is
 * our own (blake2b.c says why).
 *
 * A context is made once and reused: begin, update, digest, reset.  The
 * algorithm is fetched once per process.  libcrypto's calls return a
 * status; a failure is kept in the context and reported by
 * tl_sha256_final and tl_sha256_ok, so that callers hashing in a loop
 * check once.
 *
 * Out of memory at the wrong moment, OpenSSL 3.0 leaves its default
 * library context half made and crashes on the next fetch (a NULL lock;
 * openssl/openssl#25442 and #22950, found here by tests/fault/libfault.c).
 * OSSL_LIB_CTX_get0_global_default() is the one call that reports that
 * failure, so it is asked first, and a failed fetch is tried again by the
 * next tl_sha256_begin rather than remembered.
 */
#include "internal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>

struct tl_sha256 {
	EVP_MD_CTX *ctx;
	const EVP_MD *md;
	bool failed;
};

static pthread_mutex_t sha256_mu = PTHREAD_MUTEX_INITIALIZER;
static EVP_MD *sha256_md; /* fetched once, kept for the process */

static const EVP_MD *
fetch_md(void)
{
	const EVP_MD *md;

	pthread_mutex_lock(&sha256_mu);
	if (sha256_md == NULL && OSSL_LIB_CTX_get0_global_default() != NULL)
		sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	md = sha256_md;
	pthread_mutex_unlock(&sha256_mu);
	return md;
}

tl_status
tl_sha256_begin(tl_sha256 **out)
{
	tl_sha256 *h;

	*out = NULL;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return TL_ENOMEM;
	if ((h->md = fetch_md()) == NULL) {
		free(h);
		return TL_ECRYPTO;
	}
	if ((h->ctx = EVP_MD_CTX_new()) == NULL) {
		free(h);
		return TL_ENOMEM;
	}
	if (EVP_DigestInit_ex2(h->ctx, h->md, NULL) != 1) {
		tl_sha256_free(h);
		return TL_ECRYPTO;
	}
	*out = h;
	return TL_OK;
}

void
tl_sha256_update(tl_sha256 *h, const void *bytes, size_t len)
{
	if (!h->failed && EVP_DigestUpdate(h->ctx, bytes, len) != 1)
		h->failed = true;
}

void
tl_sha256_digest(tl_sha256 *h, unsigned char out[TL_SHA256_BYTES])
{
	unsigned int n = 0;

	if (h->failed || EVP_DigestFinal_ex(h->ctx, out, &n) != 1 ||
	    n != TL_SHA256_BYTES) {
		h->failed = true;
		memset(out, 0, TL_SHA256_BYTES);
	}
}

void
tl_sha256_reset(tl_sha256 *h)
{
	if (!h->failed && EVP_DigestInit_ex2(h->ctx, h->md, NULL) != 1)
		h->failed = true;
}

bool
tl_sha256_ok(const tl_sha256 *h)
{
	return !h->failed;
}

tl_status
tl_sha256_final(tl_sha256 *h, char hex[TL_HASH_HEX + 1])
{
	unsigned char digest[TL_SHA256_BYTES];
	tl_status st;

	tl_sha256_digest(h, digest);
	st = h->failed ? TL_ECRYPTO : TL_OK;
	if (st == TL_OK)
		tl_hex_lower(digest, sizeof digest, hex);
	else
		hex[0] = '\0';
	tl_sha256_free(h);
	return st;
}

void
tl_sha256_free(tl_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
