/*
 * fault.c: fault injection for a test build of the tearline program,
 * linked with -Wl,--wrap=SYMBOL for each function below (see FAULT_WRAP
 * in the Makefile).  The library and the
 * program are the ordinary objects; only the link differs.
 *
 *   TEARLINE_FAULT_ALLOC=N   the Nth allocation fails (malloc, calloc,
 *                            realloc, aligned_alloc, strdup, strndup,
 *                            sodium_malloc, fopen, fdopen,
 *                            yaml_parser_initialize, pthread_create)
 *   TEARLINE_FAULT_WRITE=N   the Nth write fails (write, fsync, syncfs,
 *                            rename, link, mkstemp, mkdir, fchmod, and
 *                            stdio output on any stream but stderr)
 *   TEARLINE_FAULT_REPORT=F  F is created when the fault was injected,
 *                            and receives the number of calls of each
 *                            kind at exit ("alloc N write M")
 *   TEARLINE_FAULT_STACK=1   the sanitizer prints the stack of the call
 *                            that fails (on stderr; for debugging)
 *
 * Calls are counted across threads, in the order they happen; the tests
 * run the program with one worker so that the order is fixed.  Only calls
 * from tearline's own objects are counted: allocations inside libyaml,
 * libsodium or libc are failed by libfault.c's build instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* The real functions, which --wrap names __real_X. */
void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__real_aligned_alloc(size_t, size_t);
char *__real_strdup(const char *);
char *__real_strndup(const char *, size_t);
void *__real_sodium_malloc(size_t);
FILE *__real_fopen(const char *, const char *);
FILE *__real_fdopen(int, const char *);
int __real_yaml_parser_initialize(yaml_parser_t *);
int __real_pthread_create(pthread_t *, const pthread_attr_t *,
    void *(*)(void *), void *);
ssize_t __real_write(int, const void *, size_t);
int __real_fsync(int);
int __real_syncfs(int);
int __real_rename(const char *, const char *);
int __real_link(const char *, const char *);
int __real_mkstemp(char *);
int __real_mkdir(const char *, mode_t);
int __real_fchmod(int, mode_t);
size_t __real_fwrite(const void *, size_t, size_t, FILE *);
int __real_fputs(const char *, FILE *);
int __real_fputc(int, FILE *);
int __real_putc(int, FILE *);
int __real_puts(const char *);
int __real_vfprintf(FILE *, const char *, va_list);
int __real_fflush(FILE *);

/* The wrappers, declared for -Wmissing-prototypes. */
void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);
void *__wrap_aligned_alloc(size_t, size_t);
char *__wrap_strdup(const char *);
char *__wrap_strndup(const char *, size_t);
void *__wrap_sodium_malloc(size_t);
FILE *__wrap_fopen(const char *, const char *);
FILE *__wrap_fdopen(int, const char *);
int __wrap_yaml_parser_initialize(yaml_parser_t *);
int __wrap_pthread_create(pthread_t *, const pthread_attr_t *,
    void *(*)(void *), void *);
ssize_t __wrap_write(int, const void *, size_t);
int __wrap_fsync(int);
int __wrap_syncfs(int);
int __wrap_rename(const char *, const char *);
int __wrap_link(const char *, const char *);
int __wrap_mkstemp(char *);
int __wrap_mkdir(const char *, mode_t);
int __wrap_fchmod(int, mode_t);
size_t __wrap_fwrite(const void *, size_t, size_t, FILE *);
int __wrap_fputs(const char *, FILE *);
int __wrap_fputc(int, FILE *);
int __wrap_putc(int, FILE *);
int __wrap_puts(const char *);
int __wrap_printf(const char *, ...);
int __wrap_fprintf(FILE *, const char *, ...);
int __wrap_vfprintf(FILE *, const char *, va_list);
int __wrap_fflush(FILE *);

enum { ALLOC, WRITE };

static unsigned long counts[2];
static unsigned long target[2];
static const char *report;
static bool started, stack;

void __sanitizer_print_stack_trace(void);

static void
write_report(void)
{
	char line[80];
	int fd, len;

	if (report == NULL || (fd = open(report, O_WRONLY | O_CREAT |
	    O_APPEND | O_CLOEXEC, 0644)) < 0)
		return;
	len = snprintf(line, sizeof line, "alloc %lu write %lu\n",
	    counts[ALLOC], counts[WRITE]);
	(void)__real_write(fd, line, (size_t)len);
	close(fd);
}

/* Reads the settings once, before main: the library itself never reads
 * the environment. */
__attribute__((constructor)) static void
fault_init(void)
{
	const char *a = getenv("TEARLINE_FAULT_ALLOC");
	const char *w = getenv("TEARLINE_FAULT_WRITE");

	target[ALLOC] = a ? strtoul(a, NULL, 10) : 0;
	target[WRITE] = w ? strtoul(w, NULL, 10) : 0;
	stack = getenv("TEARLINE_FAULT_STACK") != NULL;
	report = getenv("TEARLINE_FAULT_REPORT");
	if (report && report[0] == '\0')
		report = NULL;
	if (report)
		atexit(write_report);
	started = true;
}

/* True when this call is the one to fail; says so in the report file. */
static bool
fail_now(int kind)
{
	unsigned long n;
	int fd, saved = errno;

	if (!started)
		return false;
	n = __atomic_add_fetch(&counts[kind], 1, __ATOMIC_SEQ_CST);
	if (target[kind] == 0 || n != target[kind])
		return false;
	if (report && (fd = open(report, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) >= 0) {
		static const char *const what[] = { "allocation", "write" };
		char line[80];
		int len = snprintf(line, sizeof line, "injected: %s %lu\n",
		    what[kind], n);

		(void)__real_write(fd, line, (size_t)len);
		close(fd);
	}
	if (stack)
		__sanitizer_print_stack_trace();
	errno = saved;
	return true;
}

/* stdio output that fails: the stream's error indicator is set, as a
 * failed write would set it (glibc's flag), so that ferror() sees it. */
static bool
stream_fails(FILE *f)
{
	if (f == stderr || !fail_now(WRITE))
		return false;
	f->_flags |= _IO_ERR_SEEN;
	errno = EIO;
	return true;
}

/* ------------------------------------------------------------------------
 * Allocations
 * ---------------------------------------------------------------------- */

#define ALLOC_FAILS(ret)                                                      \
	do {                                                                  \
		if (fail_now(ALLOC)) {                                        \
			errno = ENOMEM;                                       \
			return ret;                                           \
		}                                                             \
	} while (0)

void *
__wrap_malloc(size_t n)
{
	ALLOC_FAILS(NULL);
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	ALLOC_FAILS(NULL);
	return __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	ALLOC_FAILS(NULL);
	return __real_realloc(p, n);
}

void *
__wrap_aligned_alloc(size_t align, size_t n)
{
	ALLOC_FAILS(NULL);
	return __real_aligned_alloc(align, n);
}

char *
__wrap_strdup(const char *s)
{
	ALLOC_FAILS(NULL);
	return __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	ALLOC_FAILS(NULL);
	return __real_strndup(s, n);
}

void *
__wrap_sodium_malloc(size_t n)
{
	ALLOC_FAILS(NULL);
	return __real_sodium_malloc(n);
}

FILE *
__wrap_fopen(const char *path, const char *mode)
{
	ALLOC_FAILS(NULL);
	return __real_fopen(path, mode);
}

FILE *
__wrap_fdopen(int fd, const char *mode)
{
	ALLOC_FAILS(NULL);
	return __real_fdopen(fd, mode);
}

int
__wrap_yaml_parser_initialize(yaml_parser_t *parser)
{
	if (fail_now(ALLOC)) {
		memset(parser, 0, sizeof *parser);
		parser->error = YAML_MEMORY_ERROR;
		return 0;
	}
	return __real_yaml_parser_initialize(parser);
}

int
__wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	if (fail_now(ALLOC))
		return EAGAIN;
	return __real_pthread_create(t, attr, fn, arg);
}

/* ------------------------------------------------------------------------
 * Writes
 * ---------------------------------------------------------------------- */

#define WRITE_FAILS(ret)                                                      \
	do {                                                                  \
		if (fail_now(WRITE)) {                                        \
			errno = EIO;                                          \
			return ret;                                           \
		}                                                             \
	} while (0)

ssize_t
__wrap_write(int fd, const void *p, size_t n)
{
	if (fd != STDERR_FILENO)
		WRITE_FAILS(-1);
	return __real_write(fd, p, n);
}

int
__wrap_fsync(int fd)
{
	WRITE_FAILS(-1);
	return __real_fsync(fd);
}

int
__wrap_syncfs(int fd)
{
	WRITE_FAILS(-1);
	return __real_syncfs(fd);
}

int
__wrap_rename(const char *from, const char *to)
{
	WRITE_FAILS(-1);
	return __real_rename(from, to);
}

int
__wrap_link(const char *from, const char *to)
{
	WRITE_FAILS(-1);
	return __real_link(from, to);
}

int
__wrap_mkstemp(char *tmpl)
{
	WRITE_FAILS(-1);
	return __real_mkstemp(tmpl);
}

int
__wrap_mkdir(const char *path, mode_t mode)
{
	WRITE_FAILS(-1);
	return __real_mkdir(path, mode);
}

int
__wrap_fchmod(int fd, mode_t mode)
{
	WRITE_FAILS(-1);
	return __real_fchmod(fd, mode);
}

size_t
__wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	if (stream_fails(f))
		return 0;
	return __real_fwrite(p, size, n, f);
}

int
__wrap_fputs(const char *s, FILE *f)
{
	if (stream_fails(f))
		return EOF;
	return __real_fputs(s, f);
}

int
__wrap_fputc(int c, FILE *f)
{
	if (stream_fails(f))
		return EOF;
	return __real_fputc(c, f);
}

int
__wrap_putc(int c, FILE *f)
{
	if (stream_fails(f))
		return EOF;
	return __real_putc(c, f);
}

int
__wrap_puts(const char *s)
{
	if (stream_fails(stdout))
		return EOF;
	return __real_puts(s);
}

int
__wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	if (stream_fails(f))
		return -1;
	return __real_vfprintf(f, fmt, ap);
}

int
__wrap_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = __wrap_vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int
__wrap_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = __wrap_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int
__wrap_fflush(FILE *f)
{
	if (f != NULL && stream_fails(f))
		return EOF;
	return __real_fflush(f);
}
