/*
 * fuzz.c: support for the fuzz targets: failing loudly, a scratch
 * directory removed at exit, small file helpers, fixed test keys.
 */
#define _DEFAULT_SOURCE
#include "fuzz.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: fuzz invariant broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static char scratch[256];

static void
remove_scratch(void)
{
	DIR *dir;
	struct dirent *e;
	char path[512];

	if (scratch[0] == '\0' || (dir = opendir(scratch)) == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(scratch);
}

const char *
fuzz_dir(void)
{
	struct stat sb;
	const char *base;

	if (scratch[0])
		return scratch;
	/* `make fuzz` names a base it removes afterwards, so that nothing
	 * is left behind by a run that crashed. */
	if ((base = getenv("TL_FUZZ_TMP")) == NULL || base[0] == '\0')
		base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) &&
		    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof scratch, "%s/tl-fuzz-XXXXXX", base);
	if (mkdtemp(scratch) == NULL) {
		perror(scratch);
		abort();
	}
	atexit(remove_scratch);
	return scratch;
}

char *
fuzz_path(const char *name)
{
	const char *dir = fuzz_dir();
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	FUZZ_CHECK(p != NULL, "out of memory");
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

void
fuzz_write(const char *path, const void *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	FUZZ_CHECK(f != NULL, "cannot create %s", path);
	FUZZ_CHECK(len == 0 || fwrite(bytes, 1, len, f) == len,
	    "cannot write %s", path);
	FUZZ_CHECK(fclose(f) == 0, "cannot write %s", path);
}

char *
fuzz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *n;
	size_t cap = 0, got = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - got < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((n = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = n;
		}
		r = fread(buf + got, 1, cap - got - 1, f);
		got += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[got] = '\0';
	*len = got;
	return buf;
}

const char *
fuzz_key(const char *name)
{
	static char paths[8][512];
	static unsigned next;
	const char *dir = getenv("TL_FUZZ_KEYS");
	char *p = paths[next++ % 8];

	snprintf(p, sizeof paths[0], "%s/%s", dir ? dir : "tests/keys", name);
	FUZZ_CHECK(access(p, R_OK) == 0, "test key %s not found (run from "
	    "the top of the repository or set TL_FUZZ_KEYS)", p);
	return p;
}

static void
check_str(const char *s, size_t size, const char *what)
{
	FUZZ_CHECK(memchr(s, '\0', size) != NULL, "%s is not NUL-terminated",
	    what);
}

void
fuzz_check_diag(const tl_diag *d)
{
	check_str(d->file, sizeof d->file, "diag.file");
	check_str(d->rule, sizeof d->rule, "diag.rule");
	check_str(d->message, sizeof d->message, "diag.message");
	fuzz_check_status(d->status);
	FUZZ_CHECK((unsigned)d->severity <= TL_SEV_NOTE, "severity %d",
	    (int)d->severity);
}

void
fuzz_bytes_add(fuzz_bytes *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		FUZZ_CHECK(b->s != NULL, "out of memory");
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
fuzz_bytes_free(fuzz_bytes *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

tl_status
fuzz_to_bytes(void *ctx, const char *s, size_t n)
{
	fuzz_bytes_add(ctx, s, n);
	return TL_OK;
}

void
fuzz_load_keys(tl_seckey **sk, tl_pubkey **pk, tl_commitkey **ck)
{
	tl_diag d;

	FUZZ_CHECK(tl_seckey_load(fuzz_key("nopw.key"), NULL, sk, &d) ==
	    TL_OK, "%s", d.message);
	FUZZ_CHECK(tl_pubkey_load(fuzz_key("nopw.pub"), pk, &d) == TL_OK,
	    "%s", d.message);
	FUZZ_CHECK(tl_commitkey_load(fuzz_key("commit.key"), ck, &d) ==
	    TL_OK, "%s", d.message);
}

void
fuzz_load_readers(tl_policy **pol, const char *const *names,
    tl_reader *readers, size_t n)
{
	tl_diag d;
	size_t i;

	FUZZ_CHECK(tl_policy_load_builtin(pol, &d) == TL_OK, "%s", d.message);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(tl_reader_profile(*pol, names[i], &readers[i], &d) ==
		    TL_OK, "%s", d.message);
}

void
fuzz_check_failure(tl_status st, const tl_diag *d)
{
	fuzz_check_diag(d);
	FUZZ_CHECK(d->status == st, "diag status %s, returned %s",
	    tl_strerror(d->status), tl_strerror(st));
	FUZZ_CHECK(d->message[0] != '\0', "failure without a message");
}

void
fuzz_check_status(tl_status st)
{
	FUZZ_CHECK((unsigned)st <= TL_ENOTFOUND, "status %d out of range",
	    (int)st);
	FUZZ_CHECK(tl_strerror(st) != NULL, "no text for status %d", (int)st);
}
