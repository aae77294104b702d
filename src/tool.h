/*
 * tool.h: shared by the files of the `tearline` program (src/tearline.c,
 * src/tool_*.c).  The program uses only the public header of the library.
 */
#ifndef TL_TOOL_H
#define TL_TOOL_H

#include "tearline.h"

#include <stdio.h>

/* Exit codes: 0 ok; 1 a negative verdict (findings, verification failed,
 * a document withheld whole); 2 usage, input or system error. */
enum { TOOL_OK = 0, TOOL_NEGATIVE = 1, TOOL_ERROR = 2 };

/* One subcommand.  `main` gets argv with argv[0] = the command name. */
typedef struct tool_cmd {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary; /* one line for `tearline --help` */
	const char *usage;   /* full text for `tearline help NAME`, `NAME --help` */
} tool_cmd;

/* Each tool_*.c defines its command(s); tearline.c lists them. */
extern const tool_cmd tool_parse_cmd;
extern const tool_cmd tool_policy_cmd;
extern const tool_cmd tool_decide_cmd;
extern const tool_cmd tool_redact_cmd;
extern const tool_cmd tool_keygen_cmd;
extern const tool_cmd tool_audit_cmd;
extern const tool_cmd tool_verify_cmd;

/* "tearline: message" on stderr. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A diagnostic on stderr as "file:line:col: severity: message [rule]". */
void tool_diag(const tl_diag *d);
/* Prints cmd->usage to `f`. */
void tool_usage(const tool_cmd *cmd, FILE *f);
/* tl_write_fn writing to the FILE * in ctx. */
tl_status tool_write_file(void *ctx, const char *bytes, size_t len);
/* True once a write to standard output has failed (a closed pipe: the
 * reader of `tearline parse | head` is gone).  A command stops there
 * and leaves the message to tool_stdout_done. */
bool tool_stdout_failed(void);
/* The exit status of a command whose status so far is `rc`, after
 * flushing standard output: `rc`, or TOOL_ERROR after one line that says
 * why standard output could not be written ("Broken pipe"). */
int tool_stdout_done(const char *cmd, int rc);
/* Longest password, as minisign: it reads at most 1023 bytes and
 * truncates the rest; refusing longer ones keeps the two tools agreeing. */
#define TOOL_PASSWORD_MAX 1023
/* Fills `pw` (TOOL_PASSWORD_MAX + 1 bytes) from the first line of the file
 * named by TEARLINE_PASSWORD_FILE, else from the terminal, asked twice
 * when `again` (same size) is not NULL.  0, or -1 after a message. */
int tool_password(char *pw, char *again);
/* "$HOME/.tearline/tearline.key", malloc'd; NULL after a message. */
char *tool_default_seckey(void);
/* Loads the secret key at `path`, asking for its password only when it
 * is encrypted.  TOOL_OK, or TOOL_ERROR after a message. */
int tool_seckey_open(const char *path, tl_seckey **out);
/* --format json|text of `cmd`: sets *json, or says what is wrong and
 * returns -1. */
int tool_json_format(const char *cmd, const char *arg, bool *json);
/* True when argv[i] is -h or --help. */
int tool_wants_help(int argc, char **argv);

#endif
