/*
 * fuzz_seckey.c: the secret key reader (tl_seckey_load) on any file.
 *
 * The reader is tried without a password and, when the file asks for the
 * cheapest scrypt limits (so that each run stays fast), with the test
 * password of tests/keys/test.key.  Invariants: a failure leaves *out NULL
 * and fills the diagnostic; a key that loads signs a file, and the
 * signature verifies with the public half of that key.
 */
#include "fuzz.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD "tearline-test-password"

static char *key_path, *msg_path, *sig_path;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(sodium_init() >= 0, "libsodium");
	key_path = fuzz_path("fuzz.key");
	msg_path = fuzz_path("message.txt");
	sig_path = fuzz_path("message.txt.minisig");
	fuzz_write(msg_path, "tearline fuzz message\n", 22);
	return 0;
}

/* True when the second line of the file decodes to a secret key whose
 * scrypt limits are minimal: then a password attempt costs little. */
static bool
cheap_kdf(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size), *end;
	unsigned char raw[158];
	size_t got = 0;
	uint64_t ops = 0, mem = 0;
	int i;

	if (nl == NULL)
		return false;
	nl++;
	end = memchr(nl, '\n', size - (size_t)(nl - data));
	if (end == NULL)
		end = data + size;
	if (sodium_base642bin(raw, sizeof raw, (const char *)nl,
	    (size_t)(end - nl), NULL, &got, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != sizeof raw)
		return false;
	for (i = 7; i >= 0; i--) {
		ops = ops << 8 | raw[38 + i];
		mem = mem << 8 | raw[46 + i];
	}
	return ops <= 65536 && mem <= (16u << 20);
}

static void
check_key(tl_seckey *sk)
{
	unsigned char kid[TL_KEYID_BYTES], pkid[TL_KEYID_BYTES];
	char hex[TL_KEYID_HEX + 1];
	tl_pubkey *pk = NULL;
	char *comment = NULL;
	tl_diag d;
	tl_status st;

	tl_seckey_keyid(sk, kid);
	tl_keyid_hex(kid, hex);
	FUZZ_CHECK(strlen(hex) == TL_KEYID_HEX, "key id \"%s\"", hex);
	FUZZ_CHECK(tl_pubkey_from_seckey(sk, &pk) == TL_OK, "public half");
	tl_pubkey_keyid(pk, pkid);
	FUZZ_CHECK(memcmp(kid, pkid, sizeof kid) == 0, "key ids differ");
	st = tl_sign_file(sk, msg_path, "fuzz", NULL, sig_path, &d);
	FUZZ_CHECK(st == TL_OK, "a loaded key does not sign: %s", d.message);
	st = tl_verify_file(pk, msg_path, sig_path, &comment, &d);
	FUZZ_CHECK(st == TL_OK, "a loaded key signs what its public half "
	    "does not verify: %s", d.message);
	FUZZ_CHECK(comment && strcmp(comment, "fuzz") == 0, "trusted comment");
	free(comment);
	tl_pubkey_free(pk);
}

static void
try_load(const char *password)
{
	tl_seckey *sk = (tl_seckey *)&sk; /* not NULL: must be reset */
	tl_diag d;
	tl_status st;

	memset(&d, 0, sizeof d);
	st = tl_seckey_load(key_path, password, &sk, &d);
	fuzz_check_status(st);
	if (st != TL_OK) {
		FUZZ_CHECK(sk == NULL, "a key returned with %s",
		    tl_strerror(st));
		FUZZ_CHECK(st == TL_ESYNTAX || st == TL_ECRYPTO, "status %s: %s",
		    tl_strerror(st), d.message);
		fuzz_check_failure(st, &d);
		return;
	}
	FUZZ_CHECK(sk != NULL, "TL_OK without a key");
	check_key(sk);
	tl_seckey_free(sk);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (key_path == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_write(key_path, data, size);
	try_load(NULL);
	if (cheap_kdf(data, size))
		try_load(PASSWORD);
	return 0;
}
