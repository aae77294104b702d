/*
 * tool_verify.c: `tearline verify`: checks a signed redaction log, and the
 * copies, policy and originals it describes.
 */
#include "tool.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: tearline verify [-p PUBKEY | -P BASE64] [-x SIG] [--policy FILE]\n"
"                       [--all-outputs [-C DIR]] [--commit-key CKEY\n"
"                       --original FILE ...] [-q] LOG [REDACTED...]\n"
"\n"
"Checks the signed log LOG of a redaction run: its minisign signature and\n"
"trusted comment, the hash chain, the order and counts of its lines, the\n"
"Merkle root; then that each REDACTED file is byte for byte the copy the\n"
"log describes under that name (the name the copy had when it was made,\n"
"e.g. out/cable.public.txt).\n"
"\n"
"  -p, --pubkey FILE      public key (default: ./tearline.pub)\n"
"  -P, --pubkey-base64 K  the public key as `minisign -P` takes it\n"
"  -x, --sig FILE         the signature (default: LOG.minisig)\n"
"      --policy FILE      also check that the run used this policy\n"
"  -a, --all-outputs      also check every copy the log names\n"
"  -C, --dir DIR          ... found under DIR when the name is relative\n"
"                         (default: the current directory)\n"
"      --commit-key CKEY  the run's commitment key, to check originals\n"
"      --original FILE    an original named FILE in the log: its keyed\n"
"                         tag must match (may be repeated)\n"
"  -q, --quiet            print nothing when the log is valid\n"
"  -h, --help             this text\n"
"\n"
"The whole log is read once, with bounded memory; the first failed check\n"
"is reported with its line.\n"
"\n"
"Exit status: 0 valid; 1 a check failed (tampering, wrong key, a copy,\n"
"policy or original that differs); 2 a malformed log or signature, a\n"
"usage or I/O error.\n"
"\n"
"Examples:\n"
"  tearline verify -p tearline.pub out/redact.log\n"
"  tearline verify -p tearline.pub --all-outputs out/redact.log\n"
"  tearline verify -p tearline.pub out/redact.log out/cable.public.txt\n"
"  minisign -Vm out/redact.log -p tearline.pub\n";

#define FILES_MAX 4096

static int
verify_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pubkey", required_argument, NULL, 'p' },
		{ "pubkey-base64", required_argument, NULL, 'P' },
		{ "sig", required_argument, NULL, 'x' },
		{ "policy", required_argument, NULL, 'y' },
		{ "all-outputs", no_argument, NULL, 'a' },
		{ "dir", required_argument, NULL, 'C' },
		{ "commit-key", required_argument, NULL, 'K' },
		{ "original", required_argument, NULL, 'O' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static tl_log_file outs[FILES_MAX], ins[FILES_MAX];
	const char *pubfile = NULL, *pub64 = NULL, *sig = NULL, *ckfile = NULL;
	const char *log;
	tl_log_verify_opts o;
	tl_log_report r;
	tl_pubkey *pk = NULL;
	tl_commitkey *ck = NULL;
	bool quiet = false;
	tl_diag d;
	tl_status st;
	int ch, rc = TOOL_ERROR;

	memset(&o, 0, sizeof o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:P:x:aC:qh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'p': pubfile = optarg; break;
		case 'P': pub64 = optarg; break;
		case 'x': sig = optarg; break;
		case 'y': o.policy_path = optarg; break;
		case 'a': o.all_outputs = true; break;
		case 'C': o.outputs_dir = optarg; break;
		case 'K': ckfile = optarg; break;
		case 'O':
			if (o.ninputs == FILES_MAX) {
				tool_error("verify: at most %d originals", FILES_MAX);
				return TOOL_ERROR;
			}
			ins[o.ninputs].name = ins[o.ninputs].path = optarg;
			o.ninputs++;
			break;
		case 'q': quiet = true; break;
		case 'h':
			fputs(usage_text, stdout);
			return TOOL_OK;
		default:
			goto usage;
		}
	}
	if (optind >= argc) {
		tool_error("verify: no log given");
		goto usage;
	}
	if (pubfile && pub64) {
		tool_error("verify: -p and -P exclude each other");
		goto usage;
	}
	if ((ckfile != NULL) != (o.ninputs > 0)) {
		tool_error("verify: --commit-key and --original go together");
		goto usage;
	}
	if (o.outputs_dir && !o.all_outputs) {
		tool_error("verify: -C is for --all-outputs");
		goto usage;
	}
	log = argv[optind++];
	if (argc - optind > FILES_MAX) {
		tool_error("verify: at most %d redacted files", FILES_MAX);
		return TOOL_ERROR;
	}
	for (; optind < argc; optind++) {
		outs[o.noutputs].name = outs[o.noutputs].path = argv[optind];
		o.noutputs++;
	}
	o.outputs = outs;
	o.inputs = ins;

	st = pub64 ? tl_pubkey_from_base64(pub64, &pk, &d) :
	    tl_pubkey_load(pubfile ? pubfile : "tearline.pub", &pk, &d);
	if (st != TL_OK) {
		tool_diag(&d);
		goto out;
	}
	if (ckfile && tl_commitkey_load(ckfile, &ck, &d) != TL_OK) {
		tool_diag(&d);
		goto out;
	}
	o.commit_key = ck;
	st = tl_log_verify(pk, log, sig, &o, &r, &d);
	if (st == TL_OK) {
		if (!quiet)
			printf("%s: valid: log %s, key %s, %lu document%s, %lu "
			    "released and %lu withheld portions, %lu cop%s and "
			    "%lu original%s checked, root %s\n", log, r.log_id,
			    r.key_id, r.documents, r.documents == 1 ? "" : "s",
			    r.released, r.withheld, r.outputs_checked,
			    r.outputs_checked == 1 ? "y" : "ies",
			    r.inputs_checked, r.inputs_checked == 1 ? "" : "s",
			    r.root);
		rc = fflush(stdout) == 0 ? TOOL_OK : TOOL_ERROR;
	} else {
		tool_diag(&d);
		if (st == TL_EVERIFY)
			fprintf(stderr, "%s: INVALID: check '%s' failed%s\n", log,
			    r.check, r.line ? "" : " (not on one line)");
		rc = st == TL_EVERIFY ? TOOL_NEGATIVE : TOOL_ERROR;
	}
out:
	tl_commitkey_free(ck);
	tl_pubkey_free(pk);
	return rc;
usage:
	fputs("see: tearline verify --help\n", stderr);
	return TOOL_ERROR;
}

const tool_cmd tool_verify_cmd = {
	"verify", verify_main, "check a signed redaction log and its copies",
	usage_text,
};
