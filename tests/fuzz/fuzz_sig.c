/*
 * fuzz_sig.c: the .minisig reader (tl_sig_load) and the signature check
 * (tl_sigcheck_*, tl_verify_file) on any file, against a fixed message
 * and the fixed test key pair tests/keys/nopw.{key,pub}.
 *
 * Invariants: a failure leaves *out NULL and fills the diagnostic; a
 * signature that loads has a one-line trusted comment; checking it gives
 * TL_OK or TL_EVERIFY, the same result fed whole or in pieces, and the
 * same as tl_verify_file; TL_OK only for the message and trusted comment
 * the test key signed (seed: tests/fuzz/seed/sig).
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

static const char message[] = "tearline fuzz message\n";
static char *sig_path, *msg_path;
static tl_pubkey *pk;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tl_diag d;

	(void)argc;
	(void)argv;
	sig_path = fuzz_path("fuzz.minisig");
	msg_path = fuzz_path("message.txt");
	fuzz_write(msg_path, message, sizeof message - 1);
	FUZZ_CHECK(tl_pubkey_load(fuzz_key("nopw.pub"), &pk, &d) == TL_OK,
	    "%s", d.message);
	return 0;
}

/* Checks `sig` fed in pieces of `step` bytes (0: whole). */
static tl_status
check(const tl_sig *sig, size_t step, tl_diag *d)
{
	tl_sigcheck *c = NULL;
	tl_status st;
	size_t off, n, len = sizeof message - 1;

	st = tl_sigcheck_new(pk, sig, &c, d);
	if (st != TL_OK) {
		FUZZ_CHECK(st == TL_EVERIFY && c == NULL && strcmp(d->rule,
		    "key-id") == 0, "tl_sigcheck_new: %s [%s]",
		    tl_strerror(st), d->rule);
		return st;
	}
	for (off = 0; off < len; off += n) {
		n = step && step < len - off ? step : len - off;
		tl_sigcheck_update(c, message + off, n);
	}
	st = tl_sigcheck_final(c, d);
	FUZZ_CHECK(st == TL_OK || st == TL_EVERIFY, "tl_sigcheck_final: %s",
	    tl_strerror(st));
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_sig *sig = (tl_sig *)&sig; /* not NULL: must be reset */
	unsigned char id[TL_KEYID_BYTES];
	const char *tc;
	char *vtc = NULL;
	tl_diag d;
	tl_status st, whole, pieces, file;

	if (sig_path == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_write(sig_path, data, size);
	memset(&d, 0, sizeof d);
	st = tl_sig_load(sig_path, &sig, &d);
	fuzz_check_status(st);
	if (st != TL_OK) {
		FUZZ_CHECK(sig == NULL, "a signature returned with %s",
		    tl_strerror(st));
		FUZZ_CHECK(st == TL_ESYNTAX, "status %s: %s", tl_strerror(st),
		    d.message);
		fuzz_check_failure(st, &d);
		/* tl_verify_file reads it the same way. */
		st = tl_verify_file(pk, msg_path, sig_path, &vtc, &d);
		FUZZ_CHECK(st == TL_ESYNTAX && vtc == NULL, "tl_verify_file on "
		    "an unreadable signature: %s", tl_strerror(st));
		return 0;
	}
	FUZZ_CHECK(sig != NULL, "TL_OK without a signature");
	tc = tl_sig_trusted_comment(sig);
	FUZZ_CHECK(tc != NULL && strchr(tc, '\n') == NULL && strchr(tc, '\r') ==
	    NULL, "trusted comment of more than one line");
	tl_sig_keyid(sig, id);

	whole = check(sig, 0, &d);
	pieces = check(sig, 5, &d);
	FUZZ_CHECK(whole == pieces, "fed whole: %s, in pieces: %s",
	    tl_strerror(whole), tl_strerror(pieces));
	file = tl_verify_file(pk, msg_path, sig_path, &vtc, &d);
	FUZZ_CHECK(file == whole, "tl_verify_file: %s, tl_sigcheck: %s",
	    tl_strerror(file), tl_strerror(whole));
	FUZZ_CHECK((file == TL_OK) == (vtc != NULL), "trusted comment "
	    "returned with %s", tl_strerror(file));
	if (file == TL_OK)
		FUZZ_CHECK(strcmp(vtc, tc) == 0, "verified comment \"%s\", "
		    "read \"%s\"", vtc, tc);
	free(vtc);
	tl_sig_free(sig);
	return 0;
}
