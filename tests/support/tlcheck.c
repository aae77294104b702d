/*
 * tlcheck.c: shared support for the unit tests: running a suite, finding
 * files, and collecting a whole parse into arrays for assertions.
 */
#include "tlcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
tlcheck_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

const char *
tlcheck_path(const char *rel)
{
	return rel;
}

const char *
tlcheck_shared(const char *rel)
{
	static char path[1024];

	snprintf(path, sizeof path, "../shared/%s", rel);
	if (access(path, R_OK) == 0)
		return path;
	fprintf(stderr, "skip: %s absent (../shared is not beside the checkout)\n",
	    path);
	return NULL;
}

static char tmpdir[64];

void
tlcheck_tmpdir_setup(const char *tag)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tl-%s-XXXXXX", tag);
	ck_assert(mkdtemp(tmpdir) != NULL);
}

void
tlcheck_tmpdir_setup_memory(const char *tag)
{
	if (access("/dev/shm", W_OK) != 0) {
		tlcheck_tmpdir_setup(tag);
		return;
	}
	snprintf(tmpdir, sizeof tmpdir, "/dev/shm/tl-%s-XXXXXX", tag);
	ck_assert(mkdtemp(tmpdir) != NULL);
}

void
tlcheck_tmpdir_teardown(void)
{
	ck_assert_int_eq(tlcheck_sh("rm -rf '%s'", tmpdir), 0);
}

const char *
tlcheck_tmpdir(void)
{
	return tmpdir;
}

const char *
tlcheck_tmp(const char *name)
{
	static char bufs[16][256];
	static int next;
	char *b = bufs[next++ % 16];

	snprintf(b, 256, "%s/%s", tmpdir, name);
	return b;
}

void
tlcheck_write(const char *path, const void *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

int
tlcheck_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

char *
tlcheck_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert(buf != NULL);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void *
grow(void *p, unsigned long n, size_t size)
{
	/* Grow at powers of two only. */
	if (n && (n & (n - 1)) == 0) {
		p = realloc(p, (size_t)n * 2 * size);
		ck_assert(p != NULL);
	} else if (n == 0) {
		p = realloc(p, 2 * size);
		ck_assert(p != NULL);
	}
	return p;
}

static tl_status
collect(void *ctx, const tl_event *ev)
{
	tlcheck_doc *doc = ctx;

	switch (ev->kind) {
	case TL_EV_LINE:
		if (!ev->line->first)
			break;
		ck_assert_uint_eq(ev->line->number, doc->nlines + 1);
		doc->roles = grow(doc->roles, doc->nlines, sizeof *doc->roles);
		doc->owner = grow(doc->owner, doc->nlines, sizeof *doc->owner);
		doc->roles[doc->nlines] = ev->line->role;
		doc->owner[doc->nlines] = ev->line->portion;
		doc->nlines++;
		break;
	case TL_EV_PORTION_BEGIN:
		ck_assert_uint_eq(ev->portion->index, doc->nportions + 1);
		doc->portions = grow(doc->portions, doc->nportions,
		    sizeof *doc->portions);
		doc->portions[doc->nportions++] = *ev->portion;
		break;
	case TL_EV_PORTION_END:
		ck_assert_uint_ge(doc->nportions, ev->portion->index);
		doc->portions[ev->portion->index - 1] = *ev->portion;
		break;
	case TL_EV_DIAG:
		doc->diags = grow(doc->diags, doc->ndiags, sizeof *doc->diags);
		doc->diags[doc->ndiags++] = *ev->diag;
		break;
	case TL_EV_END:
		doc->info = *ev->doc;
		break;
	}
	return TL_OK;
}

void
tlcheck_parse(tlcheck_doc *doc, const char *name, const char *text,
    size_t len, size_t chunk)
{
	tl_parser *p;
	size_t off = 0, n;

	memset(doc, 0, sizeof *doc);
	p = tl_parser_new(name, collect, doc);
	ck_assert(p != NULL);
	if (chunk == 0)
		chunk = len ? len : 1;
	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		ck_assert_int_eq(tl_parser_feed(p, text + off, n), TL_OK);
		off += n;
	}
	ck_assert_int_eq(tl_parser_finish(p), TL_OK);
	tl_parser_free(p);
}

void
tlcheck_doc_free(tlcheck_doc *doc)
{
	free(doc->portions);
	free(doc->diags);
	free(doc->roles);
	free(doc->owner);
	memset(doc, 0, sizeof *doc);
}

const tl_portion *
tlcheck_portion_at(const tlcheck_doc *doc, unsigned long line)
{
	unsigned long i;

	for (i = 0; i < doc->nportions; i++)
		if (doc->portions[i].line == line)
			return &doc->portions[i];
	ck_abort_msg("no portion starts at line %lu", line);
	return NULL;
}

int
tlcheck_has_diag(const tlcheck_doc *doc, const char *rule, unsigned long line)
{
	unsigned long i;

	for (i = 0; i < doc->ndiags; i++)
		if (strcmp(doc->diags[i].rule, rule) == 0 &&
		    (line == 0 || doc->diags[i].line == line))
			return 1;
	return 0;
}

long
tlcheck_log_num(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	return (p = strstr(line, pat)) ? strtol(p + strlen(pat), NULL, 10) : -1;
}

bool
tlcheck_log_str(const char *line, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *p, *q;

	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	if ((p = strstr(line, pat)) == NULL)
		return false;
	p += strlen(pat);
	if ((q = strchr(p, '"')) == NULL || (size_t)(q - p) >= size)
		return false;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return true;
}
