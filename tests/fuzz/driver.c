/*
 * driver.c: runs a fuzz target without libFuzzer, for `make check`:
 * LLVMFuzzerTestOneInput once on every file named on the command line
 * and on every regular file in the directories named (not recursive).
 * Built with gcc and ASan/UBSan; a broken invariant or a sanitizer
 * report aborts the run.  Prints "NAME: N inputs" on success.
 */
#define _DEFAULT_SOURCE
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long runs;

static int
run_file(const char *path)
{
	size_t len;
	char *bytes = fuzz_slurp(path, &len);
	uint8_t *copy;

	if (bytes == NULL) {
		perror(path);
		return -1;
	}
	/* An exact-size copy, so that ASan sees a read past the end. */
	copy = malloc(len ? len : 1);
	if (copy == NULL) {
		free(bytes);
		return -1;
	}
	memcpy(copy, bytes, len);
	free(bytes);
	fprintf(stderr, "running %s\n", path);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	runs++;
	return 0;
}

static int
run_dir(const char *dir)
{
	struct dirent **list;
	struct stat sb;
	char path[4096];
	int n, i, rc = 0;

	if ((n = scandir(dir, &list, NULL, alphasort)) < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && stat(path, &sb) == 0 &&
		    S_ISREG(sb.st_mode) && run_file(path) != 0)
			rc = -1;
		free(list[i]);
	}
	free(list);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat sb;
	int i, rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) != 0) {
			/* A target with no regression inputs yet. */
			continue;
		}
		if ((S_ISDIR(sb.st_mode) ? run_dir(argv[i]) :
		    run_file(argv[i])) != 0)
			rc = 1;
	}
	printf("%s: %lu inputs\n", argv[0], runs);
	return rc;
}
