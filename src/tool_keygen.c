/*
 * tool_keygen.c: `tearline keygen`: makes the Ed25519 key pair that signs
 * logs, in minisign's formats, asking for the password on the terminal or
 * reading it from the file named by TEARLINE_PASSWORD_FILE.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: tearline keygen [-Wf] [-p PUBKEY] [-s SECKEY] [-c COMMENT]\n"
    "                       [--kdf sensitive|interactive]\n"
    "\n"
    "Generates the Ed25519 key pair that signs redaction logs, in\n"
    "minisign's formats: minisign reads both files, and\n"
    "`minisign -Vm LOG -p PUBKEY` verifies a log tearline signed.\n"
    "\n"
    "  -W, --no-password   write the secret key unencrypted (minisign -W)\n"
    "  -f, --force         replace existing key files\n"
    "  -p, --pubkey FILE   public key file (default: ./tearline.pub)\n"
    "  -s, --seckey FILE   secret key file (default:\n"
    "                      ~/.tearline/tearline.key); a missing parent\n"
    "                      directory is created with mode 0700\n"
    "  -c, --comment TEXT  the secret key's untrusted comment\n"
    "      --kdf COST      scrypt cost of the key encryption: sensitive\n"
    "                      (default, 1 GiB as minisign) or interactive\n"
    "                      (16 MiB: tests and throw-away keys only)\n"
    "\n"
    "The secret key is written with mode 0600, the public key 0644.  The\n"
    "password is asked twice on the terminal, without echo, or read from\n"
    "the first line of the file named by TEARLINE_PASSWORD_FILE (its\n"
    "newline, and a CR before it, removed).\n"
    "\n"
    "Examples:\n"
    "  tearline keygen\n"
    "  tearline keygen -W -p run.pub -s run.key\n"
    "  TEARLINE_PASSWORD_FILE=pw.txt tearline keygen -s keys/signer.key\n"
    "\n"
    "Exit status: 0 the keys were written; 2 usage error, a key file\n"
    "exists, no password, or an I/O error.\n";

/* Creates the directory of `path` (one level) with mode 0700 when it is
 * missing, as minisign does for its key directory. */
static void
make_key_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (slash == NULL || slash == path)
		return;
	if ((dir = strndup(path, (size_t)(slash - path))) == NULL)
		return;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		tool_error("%s: %s (creating the key directory)", dir,
		    strerror(errno));
	free(dir);
}

static int
keygen_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-password", no_argument, NULL, 'W' },
		{ "force", no_argument, NULL, 'f' },
		{ "pubkey", required_argument, NULL, 'p' },
		{ "seckey", required_argument, NULL, 's' },
		{ "comment", required_argument, NULL, 'c' },
		{ "kdf", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	static char pw[TOOL_PASSWORD_MAX + 1], again[TOOL_PASSWORD_MAX + 1];
	const char *pub = "tearline.pub", *sec = NULL, *comment = NULL;
	char *defsec = NULL, id[TL_KEYID_HEX + 1], b64[64];
	unsigned char kid[TL_KEYID_BYTES];
	tl_kdf_cost cost = TL_KDF_SENSITIVE;
	bool nopw = false, force = false;
	tl_pubkey *pk = NULL;
	tl_diag d;
	tl_status st;
	int ch, rc = TOOL_ERROR;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "Wfp:s:c:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'W': nopw = true; break;
		case 'f': force = true; break;
		case 'p': pub = optarg; break;
		case 's': sec = optarg; break;
		case 'c': comment = optarg; break;
		case 'K':
			if (strcmp(optarg, "sensitive") == 0)
				cost = TL_KDF_SENSITIVE;
			else if (strcmp(optarg, "interactive") == 0)
				cost = TL_KDF_INTERACTIVE;
			else {
				tool_error("--kdf: '%s' is neither sensitive "
				    "nor interactive", optarg);
				return TOOL_ERROR;
			}
			break;
		default:
			fputs(usage_text, stderr);
			return TOOL_ERROR;
		}
	}
	if (optind != argc) {
		tool_error("keygen: unexpected argument '%s'", argv[optind]);
		fputs(usage_text, stderr);
		return TOOL_ERROR;
	}
	if (sec == NULL && (sec = defsec = tool_default_seckey()) == NULL)
		return TOOL_ERROR;
	/* Checked again when writing; here so that nobody types a password
	 * for nothing. */
	if (!force && (access(sec, F_OK) == 0 || access(pub, F_OK) == 0)) {
		tool_error("%s exists: use -f to replace the key pair",
		    access(sec, F_OK) == 0 ? sec : pub);
		goto out;
	}
	make_key_dir(sec);
	if (!nopw) {
		if (tool_password(pw, again) != 0)
			goto out;
		if (pw[0] == '\0') {
			tool_error("empty password: use -W for an unencrypted "
			    "key");
			goto out;
		}
	}
	st = tl_keypair_generate(pub, sec, nopw ? NULL : pw, cost, comment,
	    force, &d);
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(again, sizeof again);
	if (st != TL_OK) {
		tool_diag(&d);
		goto out;
	}
	if (tl_pubkey_load(pub, &pk, &d) != TL_OK) {
		tool_diag(&d);
		goto out;
	}
	tl_pubkey_keyid(pk, kid);
	tl_keyid_hex(kid, id);
	tl_pubkey_base64(pk, b64, sizeof b64);
	printf("secret key: %s (%s; keep it secret)\n", sec,
	    nopw ? "unencrypted" : "encrypted");
	printf("public key: %s\n", pub);
	printf("key id: %s\n", id);
	printf("verify a signed log with: minisign -Vm LOG -P %s\n", b64);
	rc = fflush(stdout) == 0 ? TOOL_OK : TOOL_ERROR;
out:
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(again, sizeof again);
	tl_pubkey_free(pk);
	free(defsec);
	return rc;
}

const tool_cmd tool_keygen_cmd = {
	"keygen",
	keygen_main,
	"make a key pair for signing logs (minisign format)",
	usage_text,
};
