/*
 * fuzz_log.c: the signed-log verifier (tl_log_verify) on any log, signed
 * for each run with the fixed test key tests/keys/nopw.key so that the
 * checks behind the signature are reached too.
 *
 * Input: the first line is the trusted comment to sign with (replaced by
 * "" when tl_sign_file refuses it); the rest is the log.  The verifier
 * also gets the commitment key tests/keys/commit.key, the policy, input
 * and output files of the known-good log tests/keys/golden.log (rebuilt
 * here as tests/test_log.c writes them), so that the seed made from that
 * log verifies in full.
 *
 * Invariants: the status is TL_OK, TL_EVERIFY or TL_ESYNTAX; TL_OK
 * exactly when the report says valid; an invalid report names a known
 * check and a message; a valid one carries the trusted comment signed
 * and counts that add up to its lines.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tl_seckey *sk;
static tl_pubkey *pk;
static tl_commitkey *ck;
static char *log_path, *in_path, *out_path, *policy_path;

static const char *const checks[] = { "syntax", "canonical", "sequence",
	"chain", "order", "format", "key-id", "commit-key", "count", "root",
	"truncated", "output", "input-tag", "policy", "signature",
	"comment-signature", "trusted-comment", NULL };

/* Document 1 of the known-good log, as tests/test_log.c writes it. */
static const char header[] = "SECRET//NOFORN\nSUBJECT: test document 0\n\n";
static const char *const portions[] = {
	"(U) The embassy is closed on the national holiday.\n",
	("(S//NF) The attache counted forty vehicles at the northern "
	    "crossing before dawn.\n"),
	"(C) 42\n",
	"(U) Visa hours are unchanged.\n",
};
static const bool released[] = { true, false, false, true };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *in, *out;
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_load_keys(&sk, &pk, &ck);
	log_path = fuzz_path("run.log");
	in_path = fuzz_path("in1.txt");
	out_path = fuzz_path("out1.txt");
	policy_path = fuzz_path("policy.yaml");
	in = fopen(in_path, "wb");
	out = fopen(out_path, "wb");
	FUZZ_CHECK(in && out, "cannot write the log's files");
	fputs(header, in);
	fputs(header, out);
	for (i = 0; i < 4; i++) {
		fputs(portions[i], in);
		fputs(released[i] ? portions[i] : "[portion withheld]\n", out);
	}
	FUZZ_CHECK(fclose(in) == 0 && fclose(out) == 0, "cannot write");
	fuzz_write(policy_path, "reader: test-reader\n", 20);
	return 0;
}

static bool
known_check(const char *c)
{
	size_t i;

	for (i = 0; checks[i]; i++)
		if (strcmp(c, checks[i]) == 0)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	char *comment, *sig_path;
	tl_log_file outputs[1], inputs[1];
	tl_log_verify_opts opts;
	tl_log_report r;
	tl_diag d;
	tl_status st;
	size_t clen;

	if (sk == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	nl = memchr(data, '\n', size);
	clen = nl ? (size_t)(nl - data) : size;
	comment = malloc(clen + 1);
	FUZZ_CHECK(comment != NULL, "out of memory");
	memcpy(comment, data, clen);
	comment[clen] = '\0';
	fuzz_write(log_path, nl ? nl + 1 : data + size,
	    nl ? size - clen - 1 : 0);
	sig_path = fuzz_path("run.log.minisig");
	st = tl_sign_file(sk, log_path, comment, NULL, sig_path, &d);
	if (st == TL_EUSAGE) {
		comment[0] = '\0';
		st = tl_sign_file(sk, log_path, comment, NULL, sig_path, &d);
	}
	FUZZ_CHECK(st == TL_OK, "cannot sign the log: %s", d.message);

	outputs[0].name = "out1.txt";
	outputs[0].path = out_path;
	inputs[0].name = "in1.txt";
	inputs[0].path = in_path;
	memset(&opts, 0, sizeof opts);
	opts.outputs = outputs;
	opts.noutputs = 1;
	opts.inputs = inputs;
	opts.ninputs = 1;
	opts.commit_key = ck;
	opts.policy_path = policy_path;
	memset(&r, 0x5a, sizeof r);
	memset(&d, 0, sizeof d);
	st = tl_log_verify(pk, log_path, NULL, &opts, &r, &d);
	fuzz_check_status(st);
	FUZZ_CHECK(st == TL_OK || st == TL_EVERIFY || st == TL_ESYNTAX,
	    "status %s: %s", tl_strerror(st), d.message);
	FUZZ_CHECK((st == TL_OK) == r.valid, "status %s, valid=%d",
	    tl_strerror(st), r.valid);
	FUZZ_CHECK(memchr(r.check, '\0', sizeof r.check) &&
	    memchr(r.message, '\0', sizeof r.message) &&
	    memchr(r.log_id, '\0', sizeof r.log_id) &&
	    memchr(r.key_id, '\0', sizeof r.key_id) &&
	    memchr(r.root, '\0', sizeof r.root) &&
	    memchr(r.trusted_comment, '\0', sizeof r.trusted_comment),
	    "report strings not NUL-terminated");
	if (st != TL_OK) {
		FUZZ_CHECK(known_check(r.check), "failed check \"%s\" (%s)",
		    r.check, r.message);
		FUZZ_CHECK(r.message[0] && d.message[0], "failure without a "
		    "message");
		fuzz_check_failure(st, &d);
	} else {
		FUZZ_CHECK(r.check[0] == '\0', "valid, check \"%s\"", r.check);
		FUZZ_CHECK(strcmp(r.trusted_comment, comment) == 0, "trusted "
		    "comment \"%s\", signed \"%s\"", r.trusted_comment, comment);
		FUZZ_CHECK(r.lines == r.documents + r.released + r.withheld + 2,
		    "%lu lines: %lu documents, %lu released, %lu withheld",
		    r.lines, r.documents, r.released, r.withheld);
		FUZZ_CHECK(r.outputs_checked == 1 && r.inputs_checked == 1,
		    "a valid log without the named files");
	}
	free(comment);
	free(sig_path);
	return 0;
}
