/*
 * tearline.c: the `tearline` program's entry point: global options and
 * dispatch to the subcommands in src/tool_*.c.
 */
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One entry per subcommand, in the order `--help` lists them. */
static const tool_cmd *const commands[] = {
	&tool_parse_cmd,
	&tool_policy_cmd,
	&tool_decide_cmd,
	&tool_redact_cmd,
	&tool_keygen_cmd,
	&tool_verify_cmd,
	&tool_audit_cmd,
	NULL
};

void
tool_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tearline: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
tool_diag(const tl_diag *d)
{
	char line[1024];

	tl_diag_format(d, line, sizeof line);
	fprintf(stderr, "%s\n", line);
}

void
tool_usage(const tool_cmd *cmd, FILE *f)
{
	fputs(cmd->usage, f);
}

/* errno of the first failed write to standard output, 0 while none. */
static int stdout_errno;

tl_status
tool_write_file(void *ctx, const char *bytes, size_t len)
{
	FILE *f = ctx;

	errno = 0;
	if (fwrite(bytes, 1, len, f) == len)
		return TL_OK;
	if (f == stdout && stdout_errno == 0)
		stdout_errno = errno ? errno : EIO;
	return TL_EIO;
}

bool
tool_stdout_failed(void)
{
	if (!ferror(stdout))
		return false;
	/* Called right after the writes, errno still says why. */
	if (stdout_errno == 0)
		stdout_errno = errno ? errno : EIO;
	return true;
}

int
tool_stdout_done(const char *cmd, int rc)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	if (stdout_errno == 0)
		stdout_errno = errno ? errno : EIO;
	tool_error("%s: cannot write standard output: %s", cmd,
	    strerror(stdout_errno));
	return TOOL_ERROR;
}

int
tool_json_format(const char *cmd, const char *arg, bool *json)
{
	if (strcmp(arg, "json") == 0 || strcmp(arg, "text") == 0) {
		*json = arg[0] == 'j';
		return 0;
	}
	tool_error("%s: unknown format '%s' (json or text)", cmd, arg);
	return -1;
}

int
tool_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: tearline [--version] [--help] [--register FILE]... [--label FILE]\n"
	      "                COMMAND [ARGS...]\n\n"
	      "Parse, decide, redact, sign, verify and audit classification-"
	      "marked documents.\n\n"
	      "  --register FILE  add the marking words of FILE to the built-in\n"
	      "                   register (tearline-register(5)); repeatable\n"
	      "  --label FILE     the STANAG 4774 confidentiality label (XML) of\n"
	      "                   the one document the command reads: its overall\n"
	      "                   marking where the text has no banner\n\n"
	      "Commands:\n", f);
	for (i = 0; commands[i]; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("  help       show the usage of a command: tearline help COMMAND\n\n"
	      "Exit status: 0 success; 1 a negative verdict (findings, failed\n"
	      "verification, a document withheld whole); 2 usage, input or\n"
	      "system error.  See tearline(1).\n", f);
}

static const tool_cmd *
find(const char *name)
{
	size_t i;

	for (i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* Loads the register extension at `path`; false (reported) on error. */
static bool
load_register(const char *path)
{
	tl_diag d;

	if (tl_register_load(path, &d) == TL_OK)
		return true;
	tool_diag(&d);
	return false;
}

/* Reads the STANAG 4774 label at `path` for the command's document;
 * false (reported) on error. */
static bool
use_label(const char *path)
{
	tl_marking m;
	tl_diag d;

	if (tl_label_read(path, &m, NULL, 0, &d) != TL_OK) {
		tool_diag(&d);
		return false;
	}
	tl_label_use(&m, path);
	return true;
}

int
main(int argc, char **argv)
{
	const tool_cmd *cmd;
	const char *label_path = NULL;

	/* A closed pipe is an ordinary write error here, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	/* Global options before the command: register extensions, loaded
	 * before any command parses a mark (and before any worker); a
	 * label, read once the register is complete. */
	while (argc >= 2 && (strncmp(argv[1], "--register", 10) == 0 ||
	    strncmp(argv[1], "--label", 7) == 0)) {
		bool reg = argv[1][2] == 'r';
		size_t k = reg ? 10 : 7;
		const char *path;
		if (argv[1][k] == '=') {
			path = argv[1] + k + 1;
			argc -= 1;
			argv += 1;
		} else if (argv[1][k] == '\0' && argc >= 3) {
			path = argv[2];
			argc -= 2;
			argv += 2;
		} else {
			tool_error("%s needs a FILE (see tearline --help)",
			    reg ? "--register" : "--label");
			return TOOL_ERROR;
		}
		if (!reg) {
			if (label_path != NULL) {
				tool_error("--label is given once: one document's "
				    "label (see tearline --help)");
				return TOOL_ERROR;
			}
			label_path = path;
		} else if (!load_register(path)) {
			return TOOL_ERROR;
		}
	}
	if (label_path != NULL && !use_label(label_path))
		return TOOL_ERROR;
	if (argc < 2) {
		usage(stderr);
		return TOOL_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return TOOL_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tearline %s\n", tl_version());
		return TOOL_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return TOOL_OK;
		}
		if ((cmd = find(argv[2])) == NULL) {
			tool_error("unknown command '%s' (see tearline --help)", argv[2]);
			return TOOL_ERROR;
		}
		tool_usage(cmd, stdout);
		return TOOL_OK;
	}
	if ((cmd = find(argv[1])) == NULL) {
		tool_error("unknown command '%s' (see tearline --help)", argv[1]);
		return TOOL_ERROR;
	}
	if (tool_wants_help(argc - 1, argv + 1)) {
		tool_usage(cmd, stdout);
		return TOOL_OK;
	}
	return cmd->main(argc - 1, argv + 1);
}
