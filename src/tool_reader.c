/*
 * tool_reader.c: READER-OPTIONS (--reader, or --clearance/--nationality/
 * --access/--public) and --policy for the commands that decide for a
 * reader; errors are printed here so that every command words them alike.
 */
#include "tool_reader.h"

#include <string.h>

int
tool_reader_option(tool_reader_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case TOOL_OPT_POLICY: o->policy = arg; return 1;
	case TOOL_OPT_READER: o->reader = arg; return 1;
	case TOOL_OPT_CLEARANCE: o->clearance = arg; return 1;
	case TOOL_OPT_NATIONALITY: o->nationality = arg; return 1;
	case TOOL_OPT_ACCESS: o->access = arg; return 1;
	case TOOL_OPT_PUBLIC: o->is_public = 1; return 1;
	default: return 0;
	}
}

int
tool_policy_open(const char *path, tl_policy **out)
{
	tl_diag d;
	tl_status st;

	st = path ? tl_policy_load(path, out, &d) :
	    tl_policy_load_builtin(out, &d);
	if (st != TL_OK) {
		tool_diag(&d);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}

int
tool_reader_make(const tool_reader_opts *o, const tl_policy *pol,
    tl_reader *out)
{
	bool adhoc = o->clearance || o->nationality || o->access ||
	    o->is_public;
	tl_diag d;
	tl_status st;

	if (o->reader && adhoc) {
		tool_error("--reader names a profile; it does not combine with "
		    "--clearance, --nationality, --access or --public");
		return TOOL_ERROR;
	}
	if (o->reader)
		st = tl_reader_profile(pol, o->reader, out, &d);
	else if (o->clearance && o->nationality)
		st = tl_reader_adhoc(pol, o->clearance, o->nationality,
		    o->access, o->is_public != 0, out, &d);
	else {
		tool_error("no reader: give --reader NAME, or --clearance LEVEL "
		    "and --nationality CODE");
		return TOOL_ERROR;
	}
	if (st != TL_OK) {
		tool_error("%s", d.message);
		return TOOL_ERROR;
	}
	return TOOL_OK;
}
