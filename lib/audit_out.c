/*
 * audit_out.c: the JSON Lines writer of audit findings: one object per
 * finding, one per line, written as each finding is made (the format of
 * `tearline audit --format json`).
 */
#include "internal.h"

#include <string.h>

tl_status
tl_finding_write_json(const tl_finding *f, tl_write_fn out, void *ctx)
{
	const char *file = f->file ? f->file : f->diag.file;
	const char *source = f->rule ? f->rule->source : "";
	tl_buf b = { 0 };
	tl_status st;

	b.limit = 64 * 1024;
	st = tl_buf_puts(&b, "{\"file\":");
	if (st == TL_OK)
		st = tl_buf_json_str(&b, file, strlen(file));
	if (st == TL_OK)
		st = f->diag.line ? tl_buf_printf(&b, ",\"line\":%lu", f->diag.line) :
		    tl_buf_puts(&b, ",\"line\":null");
	if (st == TL_OK)
		st = f->diag.line && f->diag.col ?
		    tl_buf_printf(&b, ",\"column\":%lu", f->diag.col) :
		    tl_buf_puts(&b, ",\"column\":null");
	if (st == TL_OK)
		st = tl_buf_printf(&b, ",\"severity\":\"%s\",\"rule\":",
		    tl_severity_name(f->diag.severity));
	if (st == TL_OK)
		st = tl_buf_json_str(&b, f->diag.rule, strlen(f->diag.rule));
	if (st == TL_OK)
		st = tl_buf_puts(&b, ",\"message\":");
	if (st == TL_OK)
		st = tl_buf_json_str(&b, f->diag.message, strlen(f->diag.message));
	if (st == TL_OK)
		st = tl_buf_puts(&b, ",\"source\":");
	if (st == TL_OK)
		st = tl_buf_json_str(&b, source, strlen(source));
	if (st == TL_OK && f->related_file) {
		st = tl_buf_puts(&b, ",\"related\":[{\"file\":");
		if (st == TL_OK)
			st = tl_buf_json_str(&b, f->related_file,
			    strlen(f->related_file));
		if (st == TL_OK)
			st = tl_buf_printf(&b, ",\"line\":%lu}]", f->related_line);
	}
	if (st == TL_OK)
		st = tl_buf_puts(&b, "}\n");
	if (st == TL_OK)
		st = out(ctx, b.data, b.len);
	tl_buf_free(&b);
	return st;
}
