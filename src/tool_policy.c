/*
 * tool_policy.c: `tearline policy check FILE...` validates policies and
 * names every problem by file:line:col; `policy show [FILE]` prints the
 * effective policy; `policy readers [FILE]` lists its reader profiles.
 */
#define _DEFAULT_SOURCE
#include "tool_reader.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tearline policy check FILE...\n"
    "       tearline policy show [FILE]\n"
    "       tearline policy readers [FILE]\n"
    "\n"
    "check    validate each policy; every problem is reported as\n"
    "         FILE:LINE:COL: error: MESSAGE [rule].  FILE - reads stdin.\n"
    "show     print the effective policy (defaults filled in) as YAML;\n"
    "         without FILE, the built-in us-cables policy.\n"
    "readers  list the reader profiles of the policy.\n"
    "\n"
    "The format is described in tearline-policy(5).\n"
    "Exit status: 0 valid; 2 invalid policy, unreadable file or usage.\n";

static void
print_problem(void *ctx, const tl_diag *d)
{
	(void)ctx;
	tool_diag(d);
}

/* Reads standard input whole (policies are small; the library caps the
 * size it accepts, so reading stops one byte past that). */
static char *
read_stdin(size_t *len)
{
	size_t cap = 1024 * 1024 + 1, n = 0, r;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	while (n < cap && (r = fread(buf + n, 1, cap - n, stdin)) > 0)
		n += r;
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static int
check(int argc, char **argv)
{
	int i, rc = TOOL_OK;
	tl_status st;
	char *bytes;
	size_t len;

	if (argc < 1) {
		fputs(usage, stderr);
		return TOOL_ERROR;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if ((bytes = read_stdin(&len)) == NULL) {
				tool_error("cannot read standard input");
				rc = TOOL_ERROR;
				continue;
			}
			st = tl_policy_check_buffer("<stdin>", bytes, len,
			    print_problem, NULL);
			free(bytes);
		} else
			st = tl_policy_check(argv[i], print_problem, NULL);
		if (st == TL_OK)
			printf("%s: ok\n", argv[i]);
		else
			rc = TOOL_ERROR;
	}
	return tool_stdout_done("policy check", rc);
}

static int
show(int argc, char **argv)
{
	tl_policy *pol;
	tl_status st;

	if (argc > 1) {
		fputs(usage, stderr);
		return TOOL_ERROR;
	}
	if (tool_policy_open(argc ? argv[0] : NULL, &pol) != TOOL_OK)
		return TOOL_ERROR;
	st = tl_policy_write_yaml(pol, tool_write_file, stdout);
	tl_policy_free(pol);
	if (st != TL_OK && !tool_stdout_failed()) {
		tool_error("policy show: out of memory");
		return TOOL_ERROR;
	}
	return tool_stdout_done("policy show", TOOL_OK);
}

static int
readers(int argc, char **argv)
{
	char line[1024];
	tl_policy *pol;
	tl_reader r;
	size_t i;

	if (argc > 1) {
		fputs(usage, stderr);
		return TOOL_ERROR;
	}
	if (tool_policy_open(argc ? argv[0] : NULL, &pol) != TOOL_OK)
		return TOOL_ERROR;
	for (i = 0; i < tl_policy_reader_count(pol); i++) {
		if (tl_reader_profile(pol, tl_policy_reader_name(pol, i), &r,
		    NULL) != TL_OK)
			continue;
		tl_reader_format(&r, line, sizeof line);
		printf("%s\n", line);
	}
	tl_policy_free(pol);
	return tool_stdout_done("policy readers", TOOL_OK);
}

static int
policy_main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return TOOL_ERROR;
	}
	if (strcmp(argv[1], "check") == 0)
		return check(argc - 2, argv + 2);
	if (strcmp(argv[1], "show") == 0)
		return show(argc - 2, argv + 2);
	if (strcmp(argv[1], "readers") == 0)
		return readers(argc - 2, argv + 2);
	tool_error("policy: unknown action '%s' (check, show, readers)",
	    argv[1]);
	return TOOL_ERROR;
}

const tool_cmd tool_policy_cmd = {
	"policy", policy_main, "validate and show policies", usage
};
