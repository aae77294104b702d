/*
 * libfault.c: allocation faults everywhere, libraries included.
 *
 * fault.c fails the calls made by tearline's own objects (with --wrap,
 * under the sanitizers).  This file instead replaces malloc and its
 * relatives for the whole process, as glibc allows, so that the Nth
 * allocation fails whoever asks for it: libyaml reading a policy, PCRE2
 * compiling a pattern, OpenSSL fetching SHA-256, libc opening a stream or
 * formatting a message.  It is linked into an ordinary (unsanitized)
 * build, tearline-libfault: AddressSanitizer replaces malloc itself.
 *
 *   TEARLINE_FAULT_ALLOC=N   the Nth allocation after start-up fails
 *   TEARLINE_FAULT_REPORT=F  as in fault.c: "injected: allocation N" when
 *                            the fault was injected, and "alloc N write 0"
 *                            at exit
 *
 * Allocations made while the shared libraries start, before this
 * program's constructor runs, are not counted: a failure there is the
 * loader's, not a path tearline could handle.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc's own allocator, under the names it exports for this purpose. */
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);

static unsigned long count, target;
static const char *report;
static bool started;

static void
say(const char *line, size_t len)
{
	int fd;

	if (report && (fd = open(report, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) >= 0) {
		(void)write(fd, line, len);
		close(fd);
	}
}

static void
write_report(void)
{
	char line[80];
	int len;

	started = false; /* what exit itself frees or allocates is not ours */
	len = snprintf(line, sizeof line, "alloc %lu write 0\n", count);
	say(line, (size_t)len);
}

__attribute__((constructor)) static void
libfault_init(void)
{
	const char *a = getenv("TEARLINE_FAULT_ALLOC");

	target = a ? strtoul(a, NULL, 10) : 0;
	report = getenv("TEARLINE_FAULT_REPORT");
	if (report && report[0] == '\0')
		report = NULL;
	if (report)
		atexit(write_report);
	started = true;
}

/* True when this allocation is the one to fail. */
static bool
fail_now(void)
{
	unsigned long n;
	char line[80];
	int len;

	if (!started)
		return false;
	n = __atomic_add_fetch(&count, 1, __ATOMIC_SEQ_CST);
	if (target == 0 || n != target)
		return false;
	len = snprintf(line, sizeof line, "injected: allocation %lu\n", n);
	say(line, (size_t)len);
	errno = ENOMEM;
	return true;
}

void *
malloc(size_t n)
{
	return fail_now() ? NULL : __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __libc_realloc(p, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
	return fail_now() ? NULL : __libc_memalign(align, n);
}

void *
memalign(size_t align, size_t n)
{
	return fail_now() ? NULL : __libc_memalign(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if (fail_now())
		return ENOMEM;
	if ((p = __libc_memalign(align, n)) == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
