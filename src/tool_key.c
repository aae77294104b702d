/*
 * tool_key.c: what the commands that use keys share: the password, asked
 * on the terminal or read from TEARLINE_PASSWORD_FILE, the default key
 * location, and loading a secret key that may or may not be encrypted.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Reads the first line of `path` into `buf` (TOOL_PASSWORD_MAX + 1 bytes). */
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
		if (n == TOOL_PASSWORD_MAX) {
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
		    TOOL_PASSWORD_MAX);
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
		if (n == TOOL_PASSWORD_MAX)
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
		tool_error("password longer than %d bytes", TOOL_PASSWORD_MAX);
		return -1;
	}
	if (r < 0) {
		tool_error("cannot read a password: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
tool_password(char *pw, char *again)
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
	if (rc == 0 && again)
		rc = password_from_tty(fd, "Password (again): ", again);
	close(fd);
	if (rc == 0 && again && strcmp(pw, again) != 0) {
		tool_error("the passwords do not match");
		rc = -1;
	}
	return rc;
}

char *
tool_default_seckey(void)
{
	const char *home = getenv("HOME");
	char *path;
	size_t n;

	if (home == NULL || *home == '\0') {
		tool_error("HOME is not set: name the secret key file");
		return NULL;
	}
	n = strlen(home) + sizeof "/.tearline/tearline.key";
	if ((path = malloc(n)) == NULL) {
		tool_error("out of memory");
		return NULL;
	}
	snprintf(path, n, "%s/.tearline/tearline.key", home);
	return path;
}

int
tool_seckey_open(const char *path, tl_seckey **out)
{
	static char pw[TOOL_PASSWORD_MAX + 1];
	tl_diag d;
	tl_status st;

	/* An unencrypted key loads without a password; an encrypted one
	 * says TL_ECRYPTO, and only then is a password asked for. */
	st = tl_seckey_load(path, NULL, out, &d);
	if (st == TL_ECRYPTO) {
		if (tool_password(pw, NULL) != 0)
			return TOOL_ERROR;
		st = tl_seckey_load(path, pw, out, &d);
		explicit_bzero(pw, sizeof pw);
	}
	if (st != TL_OK) {
		tool_diag(&d);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}
