/*
 * scan.c: one read of a whole document for what only its end tells: the
 * banners further down and the evidence of every mark (tl_doc_scan).
 * The redactor and `tearline decide` scan first, then stream.
 */
#include "internal.h"

#include <string.h>

static tl_status
keep_end(void *ctx, const tl_event *ev)
{
	if (ev->kind == TL_EV_END)
		*(tl_docinfo *)ctx = *ev->doc;
	return TL_OK;
}

tl_status
tl_doc_scan(const char *path, tl_docinfo *out, tl_diag *diag)
{
	tl_status st;

	if (out == NULL || path == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_doc_scan: NULL argument");
	memset(out, 0, sizeof *out);
	st = tl_parse_file(path, keep_end, out, diag);
	out->name = NULL;
	return st;
}

tl_status
tl_doc_scan_fd(int fd, const char *name, tl_docinfo *out, tl_diag *diag)
{
	tl_status st;

	if (out == NULL || name == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_doc_scan_fd: NULL argument");
	memset(out, 0, sizeof *out);
	st = tl_parse_fd_hooked(fd, name, name, keep_end, out, NULL, NULL,
	    diag);
	out->name = NULL;
	return st;
}

tl_status
tl_parse_fd(int fd, const char *name, tl_event_fn fn, void *ctx,
    tl_diag *diag)
{
	if (name == NULL || fn == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_parse_fd: NULL argument");
	return tl_parse_fd_hooked(fd, name, name, fn, ctx, NULL, NULL, diag);
}
