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

/* minisign reads at most 1023 bytes of password and truncates the rest;
 * refusing longer ones keeps the two tools agreeing on the key. */
#define PASSWORD_MAX 1023

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

/* Reads the first line of `path` into `buf` (PASSWORD_MAX + 1 bytes). */
static int
password_from_file(const char *path, char *buf)
{
	size_t n = 0;
	int fd, c = 0;
	ssize_t r;
	char ch;

	if ((fd = open(path, O_RDONLY)) < 0) {
		tool_error("%s: %s", path, strerror(errno));
		return -1;
	}
	/* One byte at a time: nothing past the first line is read into a
	 * buffer that would then need wiping. */
	while ((r = read(fd, &ch, 1)) == 1 && ch != '\n') {
		if (n == PASSWORD_MAX) {
			c = -1;
			break;
		}
		buf[n++] = ch;
	}
	if (r < 0) {
		tool_error("%s: %s", path, strerror(errno));
		c = -2;
	}
	close(fd);
	explicit_bzero(&ch, sizeof ch);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (c == -1)
		tool_error("%s: password longer than %d bytes", path,
		    PASSWORD_MAX);
	return c;
}

/* Asks for a line on the terminal with echo off. */
static int
password_from_tty(int fd, const char *prompt, char *buf)
{
	struct termios old, quiet;
	size_t n = 0;
	int bad = 0;
	ssize_t r;
	char ch;

	if (tcgetattr(fd, &old) != 0) {
		tool_error("cannot read a password: not a terminal");
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		tool_error("cannot read a password: %s", strerror(errno));
		return -1;
	}
	while ((r = read(fd, &ch, 1)) == 1 && ch != '\n') {
		if (n == PASSWORD_MAX)
			bad = 1;
		else
			buf[n++] = ch;
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* only cosmetic: the prompt's line stays open */
	}
	explicit_bzero(&ch, sizeof ch);
	buf[n] = '\0';
	if (bad) {
		tool_error("password longer than %d bytes", PASSWORD_MAX);
		return -1;
	}
	if (r < 0) {
		tool_error("cannot read a password: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Fills `pw`: from TEARLINE_PASSWORD_FILE, else asked twice. */
static int
get_password(char *pw, char *again)
{
	const char *file = getenv("TEARLINE_PASSWORD_FILE");
	int fd, rc;

	if (file && *file)
		return password_from_file(file, pw);
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY)) < 0) {
		tool_error("no terminal to ask for a password: set "
		    "TEARLINE_PASSWORD_FILE, or use -W for an unencrypted key");
		return -1;
	}
	rc = password_from_tty(fd, "Password: ", pw);
	if (rc == 0)
		rc = password_from_tty(fd, "Password (again): ", again);
	close(fd);
	if (rc == 0 && strcmp(pw, again) != 0) {
		tool_error("the passwords do not match");
		rc = -1;
	}
	return rc;
}

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
	static char pw[PASSWORD_MAX + 1], again[PASSWORD_MAX + 1];
	const char *pub = "tearline.pub", *sec = NULL, *comment = NULL;
	const char *home;
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
	if (sec == NULL) {
		if ((home = getenv("HOME")) == NULL || *home == '\0') {
			tool_error("HOME is not set: name the secret key with -s");
			return TOOL_ERROR;
		}
		if ((defsec = malloc(strlen(home) + 32)) == NULL) {
			tool_error("out of memory");
			return TOOL_ERROR;
		}
		snprintf(defsec, strlen(home) + 32, "%s/.tearline/tearline.key",
		    home);
		sec = defsec;
	}
	make_key_dir(sec);
	if (!nopw) {
		if (get_password(pw, again) != 0)
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
