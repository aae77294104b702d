/*
 * fuzz_pubkey.c: the public key readers (tl_pubkey_load on a file,
 * tl_pubkey_from_base64 on a string) on any bytes.
 *
 * Invariants: a failure leaves *out NULL and fills the diagnostic; a key
 * that loads prints back (tl_pubkey_base64) as the very base64 it was
 * read from, and that string loads to the same key id.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static char *key_path;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	key_path = fuzz_path("fuzz.pub");
	return 0;
}

static void
check_failure(tl_status st, const tl_pubkey *pk, const tl_diag *d)
{
	fuzz_check_status(st);
	FUZZ_CHECK(pk == NULL, "a key returned with %s", tl_strerror(st));
	FUZZ_CHECK(st == TL_ESYNTAX, "status %s: %s", tl_strerror(st),
	    d->message);
	fuzz_check_failure(st, d);
}

/* The key prints back as `b64` (n bytes) and reads back from it. */
static void
check_key(const tl_pubkey *pk, const char *b64, size_t n)
{
	unsigned char id[TL_KEYID_BYTES], id2[TL_KEYID_BYTES];
	char out[64];
	tl_pubkey *again = NULL;
	tl_diag d;

	FUZZ_CHECK(tl_pubkey_base64(pk, out, sizeof out) == 56, "base64 length");
	FUZZ_CHECK(n == 56 && memcmp(out, b64, 56) == 0, "the key prints as "
	    "%s, it was read from \"%.*s\"", out, (int)n, b64);
	FUZZ_CHECK(tl_pubkey_from_base64(out, &again, &d) == TL_OK,
	    "printed key does not read back: %s", d.message);
	tl_pubkey_keyid(pk, id);
	tl_pubkey_keyid(again, id2);
	FUZZ_CHECK(memcmp(id, id2, sizeof id) == 0, "key id changes");
	tl_pubkey_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_pubkey *pk = (tl_pubkey *)&pk; /* not NULL: must be reset */
	const char *line2;
	char *str;
	tl_diag d;
	tl_status st;

	if (key_path == NULL)
		LLVMFuzzerInitialize(NULL, NULL);

	/* As a file: two lines. */
	fuzz_write(key_path, data, size);
	memset(&d, 0, sizeof d);
	st = tl_pubkey_load(key_path, &pk, &d);
	if (st != TL_OK) {
		check_failure(st, pk, &d);
	} else {
		FUZZ_CHECK(pk != NULL, "TL_OK without a key");
		line2 = memchr(data, '\n', size);
		FUZZ_CHECK(line2 != NULL, "a key file of one line loads");
		line2++;
		check_key(pk, line2, size - (size_t)(line2 - (const char *)data) -
		    (data[size - 1] == '\n'));
		tl_pubkey_free(pk);
	}

	/* As the string minisign -P takes (cut at the first NUL). */
	if ((str = malloc(size + 1)) == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	pk = (tl_pubkey *)&pk;
	memset(&d, 0, sizeof d);
	st = tl_pubkey_from_base64(str, &pk, &d);
	if (st != TL_OK) {
		check_failure(st, pk, &d);
	} else {
		check_key(pk, str, strlen(str));
		tl_pubkey_free(pk);
	}
	free(str);
	return 0;
}
