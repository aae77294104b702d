/*
 * tlcheck.h: helpers for the Check-based unit tests.  Each tests/test_*.c
 * is its own program; it includes this header and defines its suite.
 */
#ifndef TLCHECK_H
#define TLCHECK_H

#include <check.h>
#include <stddef.h>

#include "tearline.h"

/* Runs `s` and returns the process exit status (0 when all passed). */
int tlcheck_run(Suite *s);

/* Path of a file of the repository (tests run from its top directory). */
const char *tlcheck_path(const char *rel);

/* Path of ../shared/<rel> when present, else NULL (the caller skips, and
 * this prints the one-line reason). */
const char *tlcheck_shared(const char *rel);

/* Reads a whole (small) file into a malloc'd NUL-terminated buffer;
 * *len gets its length.  Aborts the test on failure. */
char *tlcheck_slurp(const char *path, size_t *len);

/* A fresh directory /tmp/tl-TAG-XXXXXX for one test program, made by
 * tlcheck_tmpdir_setup and removed with its contents by
 * tlcheck_tmpdir_teardown (use them as an unchecked fixture). */
void tlcheck_tmpdir_setup(const char *tag);
void tlcheck_tmpdir_teardown(void);
/* The same in /dev/shm when it is writable (a memory file system, where
 * fsync costs nothing: for tests that write thousands of files). */
void tlcheck_tmpdir_setup_memory(const char *tag);
const char *tlcheck_tmpdir(void);
/* Path of `name` in that directory; rotating static buffers, so up to 16
 * may be used in one expression. */
const char *tlcheck_tmp(const char *name);
/* Writes len bytes to path, failing the test on any error. */
void tlcheck_write(const char *path, const void *bytes, size_t len);
/* Runs a shell command made from fmt; returns its exit status, -1 if it
 * could not be run. */
int tlcheck_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fields of a line of a signed log (tearline-log(5)), read naively: the
 * number after "key": (-1 when absent), and the string after "key":"
 * up to the next quote into out (false when absent or too long). */
long tlcheck_log_num(const char *line, const char *key);
bool tlcheck_log_str(const char *line, const char *key, char *out,
    size_t size);

/* Collected parse of a whole document held in memory, for assertions. */
typedef struct tlcheck_doc {
	tl_docinfo info;
	unsigned long nportions;
	tl_portion *portions;    /* nportions entries */
	unsigned long ndiags;
	tl_diag *diags;          /* ndiags entries */
	unsigned long nlines;
	tl_line_role *roles;     /* role of each line, [0] = line 1 */
	unsigned long *owner;    /* portion of each line, [0] = line 1 */
} tlcheck_doc;

/* Parses `len` bytes of `text` as document `name`, feeding it in chunks
 * of `chunk` bytes (0 = all at once), and collects everything. */
void tlcheck_parse(tlcheck_doc *doc, const char *name, const char *text,
    size_t len, size_t chunk);
void tlcheck_doc_free(tlcheck_doc *doc);
/* The portion of `doc` that starts at `line`; fails the test if none. */
const tl_portion *tlcheck_portion_at(const tlcheck_doc *doc,
    unsigned long line);
/* True when some diagnostic has rule `rule` (and, if line != 0, line). */
int tlcheck_has_diag(const tlcheck_doc *doc, const char *rule,
    unsigned long line);

#endif
