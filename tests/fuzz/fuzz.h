/*
 * fuzz.h: shared by the fuzz targets tests/fuzz/fuzz_*.c.  Each target
 * defines LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize);
 * it is linked either with libFuzzer (clang, `make fuzz`) or with
 * tests/fuzz/driver.c (gcc, replayed by `make check`).
 *
 * A broken invariant aborts with a message: libFuzzer keeps the input as
 * a crasher, the driver fails the check.
 */
#ifndef TL_FUZZ_H
#define TL_FUZZ_H

#include "tearline.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Aborts with file:line and the message when `cond` is false. */
#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                  \
		if (!(cond))                                                  \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);    \
	} while (0)

void fuzz_fail(const char *file, int line, const char *cond,
    const char *fmt, ...) __attribute__((format(printf, 4, 5), noreturn));

/* A private directory for the process's scratch files, on tmpfs when
 * there is one (fsync is cheap there), removed with its contents at
 * exit.  Aborts when it cannot be made. */
const char *fuzz_dir(void);
/* Path of `name` inside fuzz_dir(): a static buffer per call site is
 * the caller's business; this returns a fresh malloc'd string. */
char *fuzz_path(const char *name);
/* Writes len bytes to path (replacing it); aborts on failure. */
void fuzz_write(const char *path, const void *bytes, size_t len);
/* Reads a whole file into a malloc'd buffer (NUL-terminated, *len its
 * length); NULL when it cannot be read. */
char *fuzz_slurp(const char *path, size_t *len);
/* Path of a file of the repository's tests/keys (found from the
 * environment variable TL_FUZZ_KEYS, else relative to the working
 * directory or to the executable's build/ directory); aborts when
 * absent.  Returns a static string per name. */
const char *fuzz_key(const char *name);

/* Diagnostics and reports: every string field is NUL-terminated. */
/* The test keys of tests/keys (nopw.key, nopw.pub, commit.key), for the
 * targets that sign or check a log; aborts when one does not load. */
void fuzz_load_keys(tl_seckey **sk, tl_pubkey **pk, tl_commitkey **ck);
/* The built-in policy and the profiles `names[0..n)` of it; aborts when
 * one does not load. */
void fuzz_load_readers(tl_policy **pol, const char *const *names,
    tl_reader *readers, size_t n);
/* A growing NUL-terminated buffer of bytes (aborts when out of memory). */
typedef struct fuzz_bytes {
	char *s;
	size_t len, cap;
} fuzz_bytes;
void fuzz_bytes_add(fuzz_bytes *b, const void *p, size_t n);
void fuzz_bytes_free(fuzz_bytes *b);
/* A tl_write_fn appending to the fuzz_bytes `ctx`. */
tl_status fuzz_to_bytes(void *ctx, const char *s, size_t n);
void fuzz_check_diag(const tl_diag *d);
/* `st` is one of the statuses the library defines. */
void fuzz_check_status(tl_status st);
/* A failed call's diagnostic: well formed (fuzz_check_diag), with the
 * status the call returned and a message. */
void fuzz_check_failure(tl_status st, const tl_diag *d);

#endif
