/*
 * tool_reader.h: the READER-OPTIONS and --policy option shared by the
 * commands that decide for a reader (decide, redact): option table
 * entries, their usage text, and turning them into a tl_policy and a
 * tl_reader with messages on stderr.
 */
#ifndef TL_TOOL_READER_H
#define TL_TOOL_READER_H

#include "tool.h"

#include <getopt.h>

/* getopt_long values of the options; above every character value. */
enum {
	TOOL_OPT_POLICY = 0x200,
	TOOL_OPT_READER,
	TOOL_OPT_CLEARANCE,
	TOOL_OPT_NATIONALITY,
	TOOL_OPT_ACCESS,
	TOOL_OPT_PUBLIC
};

/* Entries for a `struct option` table, before its terminating zeros. */
#define TOOL_READER_LONGOPTS \
	{ "policy", required_argument, NULL, TOOL_OPT_POLICY }, \
	{ "reader", required_argument, NULL, TOOL_OPT_READER }, \
	{ "clearance", required_argument, NULL, TOOL_OPT_CLEARANCE }, \
	{ "nationality", required_argument, NULL, TOOL_OPT_NATIONALITY }, \
	{ "access", required_argument, NULL, TOOL_OPT_ACCESS }, \
	{ "public", no_argument, NULL, TOOL_OPT_PUBLIC }

/* Usage lines for them, to paste into a command's usage text. */
#define TOOL_READER_USAGE \
	"  --policy FILE        the policy (default: the built-in us-cables)\n" \
	"  --reader NAME        a reader profile of the policy, or an ad-hoc\n" \
	"                       reader:\n" \
	"  --clearance LEVEL    a level of the policy (name or alias)\n" \
	"  --nationality CODE   three-letter ISO 3166 code (USA, GBR)\n" \
	"  --access A,B,...     accesses and approvals held (SI,TK,ORCON)\n" \
	"  --public             the reader is the public\n"

/* What the options said; zero it before parsing.  Strings point into argv. */
typedef struct tool_reader_opts {
	const char *policy;
	const char *reader;
	const char *clearance;
	const char *nationality;
	const char *access;
	int is_public;
} tool_reader_opts;

/* Records option `opt` with argument `arg` when it is one of
 * TOOL_OPT_*.  Returns 1 when it was, 0 when it is another option. */
int tool_reader_option(tool_reader_opts *o, int opt, const char *arg);

/* Loads the policy at `path`, or the built-in one when `path` is NULL.
 * On failure prints the diagnostic and returns TOOL_ERROR; else TOOL_OK
 * with *out to be freed by tl_policy_free. */
int tool_policy_open(const char *path, tl_policy **out);

/* Makes the reader the options describe under `pol`: --reader, or
 * --clearance with --nationality (--access, --public optional).  On
 * failure prints why and returns TOOL_ERROR; else TOOL_OK. */
int tool_reader_make(const tool_reader_opts *o, const tl_policy *pol,
    tl_reader *out);

#endif
