/*
 * fuzz_commitkey.c: the commitment key reader (tl_commitkey_load) on any
 * file.
 *
 * Invariants: a failure leaves *out NULL and fills the diagnostic; a key
 * that loads has a 16-digit id and makes tags: the same text gives the
 * same tag however it is fed, another portion number another tag.
 */
#include "fuzz.h"

#include <string.h>

static char *key_path;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	key_path = fuzz_path("fuzz.ckey");
	return 0;
}

static void
tag(const tl_commitkey *ck, unsigned long portion, const char *text,
    size_t split, char hex[TL_HASH_HEX + 1])
{
	tl_tag *t = NULL;

	FUZZ_CHECK(tl_tag_begin(ck, "0123456789abcdef0123456789abcdef", 1,
	    portion, &t) == TL_OK && t != NULL, "tl_tag_begin");
	tl_tag_update(t, text, split);
	tl_tag_update(t, text + split, strlen(text) - split);
	tl_tag_final(t, hex);
	FUZZ_CHECK(strlen(hex) == TL_HASH_HEX, "tag \"%s\"", hex);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "1. (S//NF) the text of a portion";
	tl_commitkey *ck = (tl_commitkey *)&ck; /* not NULL: must be reset */
	char id[TL_KEYID_HEX + 1], a[TL_HASH_HEX + 1], b[TL_HASH_HEX + 1];
	tl_diag d;
	tl_status st;

	if (key_path == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_write(key_path, data, size);
	memset(&d, 0, sizeof d);
	st = tl_commitkey_load(key_path, &ck, &d);
	fuzz_check_status(st);
	if (st != TL_OK) {
		FUZZ_CHECK(ck == NULL, "a key returned with %s",
		    tl_strerror(st));
		FUZZ_CHECK(st == TL_ESYNTAX, "status %s: %s", tl_strerror(st),
		    d.message);
		fuzz_check_failure(st, &d);
		return 0;
	}
	FUZZ_CHECK(ck != NULL, "TL_OK without a key");
	tl_commitkey_id(ck, id);
	FUZZ_CHECK(strlen(id) == TL_KEYID_HEX, "key id \"%s\"", id);
	tag(ck, 1, text, 0, a);
	tag(ck, 1, text, 7, b);
	FUZZ_CHECK(strcmp(a, b) == 0, "the tag depends on how text is fed");
	tag(ck, 2, text, 3, b);
	FUZZ_CHECK(strcmp(a, b) != 0, "two portions, one tag");
	tl_commitkey_free(ck);
	return 0;
}
