/*
 * verify.c: `fault-verify PUBKEY LOG [SIG]`: tl_log_verify from the
 * command line, for the fault injection of tests/fault/run.sh while the
 * tearline program has no verify command.  Prints "valid" or the failed
 * check; exits 0 (valid), 1 (not valid) or 2 (error), as tearline does.
 */
#include "tearline.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	tl_pubkey *pk = NULL;
	tl_log_report r;
	tl_diag d;
	char line[1024];
	tl_status st;

	if (argc < 3 || argc > 4) {
		fputs("usage: fault-verify PUBKEY LOG [SIG]\n", stderr);
		return 2;
	}
	if ((st = tl_pubkey_load(argv[1], &pk, &d)) != TL_OK) {
		tl_diag_format(&d, line, sizeof line);
		fprintf(stderr, "%s\n", line);
		return 2;
	}
	st = tl_log_verify(pk, argv[2], argc > 3 ? argv[3] : NULL, NULL, &r,
	    &d);
	tl_pubkey_free(pk);
	if (st == TL_OK) {
		printf("valid: %lu documents, %lu released, %lu withheld\n",
		    r.documents, r.released, r.withheld);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fputs("fault-verify: cannot write the result\n", stderr);
			return 2;
		}
		return 0;
	}
	tl_diag_format(&d, line, sizeof line);
	fprintf(stderr, "%s\n", line);
	return st == TL_EVERIFY ? 1 : 2;
}
