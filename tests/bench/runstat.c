/*
 * runstat.c: runs one command and reports its wall time and the peak
 * resident memory of that child alone (wait4's ru_maxrss), for `make bench`;
 * no dependence on /usr/bin/time.
 *
 *   runstat [-o OUT] -- COMMAND [ARG...]
 *
 * The command's standard output goes to OUT (default /dev/null), its
 * standard error is inherited.  Prints one line on standard output:
 * "SECONDS MAXRSS_KIB STATUS", STATUS being the exit status, or 128+N
 * for a death by signal N.  Exits 0 when the command ran, 2 when it could
 * not be started.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *outpath = "/dev/null";
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int i = 1, status, fd, code;

	if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
		outpath = argv[i + 1];
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fputs("usage: runstat [-o OUT] -- COMMAND [ARG...]\n", stderr);
		return 2;
	}
	if ((fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		fprintf(stderr, "runstat: %s: %s\n", outpath, strerror(errno));
		return 2;
	}
	fflush(stdout);
	t0 = now();
	if ((pid = fork()) < 0) {
		fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		if (dup2(fd, STDOUT_FILENO) < 0)
			_exit(127);
		close(fd);
		execvp(argv[i], argv + i);
		fprintf(stderr, "runstat: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	close(fd);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	t1 = now();
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 255;
	printf("%.4f %ld %d\n", t1 - t0, ru.ru_maxrss, code);
	return code == 127 ? 2 : 0;
}
