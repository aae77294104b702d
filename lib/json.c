/*
 * json.c: the model writer: one document as one line of JSON (the format
 * of `tearline parse --format json`).  Portions are written as the parser
 * delivers them, so memory does not grow with the document.
 */
#include "internal.h"

#include <string.h>

#define DIAGS_KEPT 1000
#define FLUSH_AT (1024 * 1024)

typedef struct jw {
	tl_write_fn out;
	void *outctx;
	tl_buf buf;        /* pending output, flushed past FLUSH_AT bytes */
	tl_buf diags;      /* JSON of the first DIAGS_KEPT diagnostics */
	unsigned long ndiags;
	unsigned long dropped;
	bool first_portion;
	bool flushed;      /* part of this document's line went out */
	unsigned long errors;
} jw;

static tl_status
jw_flush(jw *w, bool force)
{
	tl_status st;

	if (w->buf.len == 0 || (!force && w->buf.len < FLUSH_AT))
		return TL_OK;
	w->flushed = true;
	st = w->out(w->outctx, w->buf.data, w->buf.len);
	tl_buf_reset(&w->buf);
	return st;
}

static tl_status
put_str(tl_buf *b, const char *s)
{
	return tl_buf_json_str(b, s, strlen(s));
}

/* "key":"value" or "key":null when value is empty. */
static tl_status
put_opt(tl_buf *b, const char *key, const char *value)
{
	tl_status st = tl_buf_putc(b, '"');

	if (st == TL_OK)
		st = tl_buf_puts(b, key);
	if (st == TL_OK)
		st = tl_buf_puts(b, "\":");
	if (st != TL_OK)
		return st;
	return value && value[0] ? put_str(b, value) : tl_buf_puts(b, "null");
}

static tl_status
put_pos(tl_buf *b, const char *key, unsigned long v)
{
	return v ? tl_buf_printf(b, ",\"%s\":%lu", key, v) :
	    tl_buf_printf(b, ",\"%s\":null", key);
}

/* "controls":[...] with REL TO as one canonical string. */
static tl_status
put_controls(tl_buf *b, const tl_marking *m)
{
	tl_status st = tl_buf_puts(b, "\"controls\":[");
	char canon[512], *rel;
	unsigned i;

	for (i = 0; st == TL_OK && i < m->ncontrols; i++) {
		if (i)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = put_str(b, m->controls[i]);
	}
	if (st == TL_OK && m->rel_to) {
		tl_marking_format(m, canon, sizeof canon);
		if ((rel = strstr(canon, "REL TO")) != NULL) {
			char *end = strchr(rel, '/');
			if (end)
				*end = '\0';
			if (m->ncontrols)
				st = tl_buf_putc(b, ',');
			if (st == TL_OK)
				st = put_str(b, rel);
		}
	}
	return st == TL_OK ? tl_buf_putc(b, ']') : st;
}

/* A portion's JSON is built in a local array and appended once: its
 * fields are short and bounded (lead, number, mark text), its numbers
 * are formatted by hand, and plain ASCII strings need no escaping.  A
 * string that does goes through tl_buf_json_str. */
typedef struct pbuf {
	tl_buf *b;
	tl_status st;
	size_t n;
	char d[2048];
} pbuf;

#define PB_LIT(p, s) pb_lit((p), (s), sizeof(s) - 1)

static void
pb_lit(pbuf *p, const char *s, size_t n)
{
	memcpy(p->d + p->n, s, n);
	p->n += n;
}

/* v in decimal. */
static void
pb_num(pbuf *p, unsigned long v)
{
	p->n += tl_utoa(v, p->d + p->n);
}

static void
pb_flush(pbuf *p)
{
	if (p->st == TL_OK && p->n)
		p->st = tl_buf_append(p->b, p->d, p->n);
	p->n = 0;
}

/* s (at most `max` bytes, NUL-terminated within them) as a JSON string. */
static void
pb_str(pbuf *p, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	if (tl_json_plain_run(s, len) < len) {
		pb_flush(p);
		if (p->st == TL_OK)
			p->st = tl_buf_json_str(p->b, s, len);
		return;
	}
	p->d[p->n++] = '"';
	memcpy(p->d + p->n, s, len);
	p->n += len;
	p->d[p->n++] = '"';
}

/* s as a JSON string, or null when empty (as put_opt). */
static void
pb_opt(pbuf *p, const char *s, size_t max)
{
	if (s[0] == '\0')
		PB_LIT(p, "null");
	else
		pb_str(p, s, max);
}

/* The "controls" member (as put_controls); a REL TO list, which needs
 * the canonical form, goes through put_controls itself. */
static void
pb_controls(pbuf *p, const tl_marking *m)
{
	unsigned i;

	if (m->rel_to || m->ncontrols > TL_MARK_CONTROLS_MAX) {
		pb_flush(p);
		if (p->st == TL_OK)
			p->st = put_controls(p->b, m);
		return;
	}
	PB_LIT(p, "\"controls\":[");
	for (i = 0; i < m->ncontrols; i++) {
		if (i)
			PB_LIT(p, ",");
		pb_str(p, m->controls[i], TL_TOKEN_MAX);
	}
	PB_LIT(p, "]");
}

static tl_status
put_portion(tl_buf *b, const tl_portion *po)
{
	pbuf p;
	const char *kind = tl_portion_kind_name(po->kind);
	const char *level = tl_level_name(po->marking.level);

	p.b = b;
	p.st = TL_OK;
	p.n = 0;
	PB_LIT(&p, "{\"index\":");
	pb_num(&p, po->index);
	PB_LIT(&p, ",\"kind\":\"");
	pb_lit(&p, kind, strlen(kind));
	PB_LIT(&p, "\",\"line\":");
	pb_num(&p, po->line);
	PB_LIT(&p, ",\"column\":");
	pb_num(&p, po->col);
	PB_LIT(&p, ",\"end_line\":");
	pb_num(&p, po->end_line);
	PB_LIT(&p, ",\"number\":");
	pb_opt(&p, po->number, sizeof po->number);
	if (po->marked) {
		PB_LIT(&p, ",\"marking\":");
		pb_opt(&p, po->mark_text, sizeof po->mark_text);
		PB_LIT(&p, ",\"mark_column\":");
		pb_num(&p, po->mark_col);
		PB_LIT(&p, ",\"level\":\"");
		pb_lit(&p, level, strlen(level));
		PB_LIT(&p, "\",");
		pb_controls(&p, &po->marking);
	} else {
		PB_LIT(&p, ",\"marking\":null,\"mark_column\":null,"
		    "\"level\":null,\"controls\":[]");
	}
	PB_LIT(&p, ",\"errors\":");
	pb_num(&p, po->errors);
	PB_LIT(&p, "}");
	pb_flush(&p);
	return p.st;
}

static tl_status
put_banner(tl_buf *b, const char *key, const tl_banner *bn)
{
	tl_status st;

	if (bn->line == 0)
		return tl_buf_printf(b, ",\"%s\":null", key);
	st = tl_buf_printf(b, ",\"%s\":{\"level\":", key);
	if (st == TL_OK)
		st = put_str(b, tl_level_name(bn->marking.level));
	if (st == TL_OK)
		st = tl_buf_putc(b, ',');
	if (st == TL_OK)
		st = put_controls(b, &bn->marking);
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"line\":%lu,\"column\":%lu,", bn->line,
		    bn->col);
	if (st == TL_OK)
		st = put_opt(b, "text", bn->text);
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"damaged\":%s}", bn->damaged ? "true" :
		    "false");
	return st;
}

static tl_status
put_docinfo(tl_buf *b, const tl_docinfo *d)
{
	const tl_authority *a = &d->authority;
	const tl_declassify *dc = &d->declassify;
	tl_status st;
	unsigned i;

	st = put_banner(b, "banner", &d->banner);
	if (st == TL_OK && !d->labelled)
		st = tl_buf_puts(b, ",\"label\":null");
	else if (st == TL_OK) {
		st = tl_buf_puts(b, ",\"label\":{\"level\":");
		if (st == TL_OK)
			st = put_str(b, tl_level_name(d->label.level));
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = put_controls(b, &d->label);
		if (st == TL_OK)
			st = tl_buf_putc(b, '}');
	}
	if (st == TL_OK)
		st = put_banner(b, "closing_banner", &d->closing);
	/* Page scopes, only where the banners change (tl_docinfo.scopes). */
	for (i = 0; st == TL_OK && i < d->nscopes && i < TL_SCOPES_MAX; i++) {
		st = tl_buf_printf(b, "%s{\"line\":%lu,\"level\":",
		    i ? "," : ",\"scopes\":[", d->scopes[i].line);
		if (st == TL_OK)
			st = put_str(b, tl_level_name(d->scopes[i].marking.level));
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = put_controls(b, &d->scopes[i].marking);
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"table\":%s,\"document\":%s}",
			    d->scopes[i].table ? "true" : "false",
			    d->scopes[i].document ? "true" : "false");
		if (st == TL_OK && i + 1 == d->nscopes)
			st = tl_buf_putc(b, ']');
	}
	if (st == TL_OK && d->routing.line) {
		st = tl_buf_puts(b, ",\"routing\":{");
		if (st == TL_OK)
			st = put_opt(b, "letters", d->routing.letters);
		if (st == TL_OK)
			st = tl_buf_puts(b, ",\"level\":");
		if (st == TL_OK)
			st = put_str(b, tl_level_name(d->routing.level));
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"line\":%lu}", d->routing.line);
	} else if (st == TL_OK) {
		st = tl_buf_puts(b, ",\"routing\":null");
	}
	if (st == TL_OK && a->line) {
		st = tl_buf_puts(b, ",\"authority\":{");
		if (st == TL_OK)
			st = put_opt(b, "classified_by", a->classified_by);
		if (st == TL_OK)
			st = tl_buf_puts(b, ",\"reasons\":[");
		for (i = 0; st == TL_OK && i < a->nreasons; i++) {
			if (i)
				st = tl_buf_putc(b, ',');
			if (st == TL_OK)
				st = put_str(b, a->reasons[i]);
		}
		if (st == TL_OK)
			st = tl_buf_printf(b, "],\"line\":%lu,\"column\":%lu,"
			    "\"run_in\":%s}", a->line, a->col,
			    a->run_in ? "true" : "false");
	} else if (st == TL_OK) {
		st = tl_buf_puts(b, ",\"authority\":null");
	}
	if (st == TL_OK && dc->line) {
		st = tl_buf_puts(b, ",\"declassify\":{");
		if (st == TL_OK)
			st = put_opt(b, "date", dc->date);
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = put_opt(b, "text", dc->text);
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = put_opt(b, "order", dc->order);
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"line\":%lu}", dc->line);
	} else if (st == TL_OK) {
		st = tl_buf_puts(b, ",\"declassify\":null");
	}
	if (st == TL_OK)
		st = tl_buf_puts(b, ",");
	if (st == TL_OK)
		st = put_opt(b, "date", d->date);
	if (st == TL_OK)
		st = put_pos(b, "tags_line", d->tags_line);
	if (st == TL_OK)
		st = put_pos(b, "subject_line", d->subject_line);
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"entire_text\":%s,\"sipdis\":%s,"
		    "\"crlf\":%s,\"html\":%s,\"lines\":%lu,\"portion_count\":%lu,"
		    "\"marked_count\":%lu,\"error_count\":%lu,"
		    "\"warning_count\":%lu", d->entire_text ? "true" : "false",
		    d->sipdis ? "true" : "false", d->crlf ? "true" : "false",
		    d->html ? "true" : "false",
		    d->lines, d->portions, d->marked, d->errors, d->warnings);
	return st;
}

static tl_status
put_diag(tl_buf *b, const tl_diag *d)
{
	tl_status st = tl_buf_printf(b, "{\"severity\":\"%s\",\"line\":",
	    tl_severity_name(d->severity));

	if (st == TL_OK)
		st = d->line ? tl_buf_printf(b, "%lu", d->line) :
		    tl_buf_puts(b, "null");
	if (st == TL_OK)
		st = tl_buf_puts(b, ",\"column\":");
	if (st == TL_OK)
		st = d->col ? tl_buf_printf(b, "%lu", d->col) :
		    tl_buf_puts(b, "null");
	if (st == TL_OK)
		st = tl_buf_puts(b, ",");
	if (st == TL_OK)
		st = put_opt(b, "rule", d->rule);
	if (st == TL_OK)
		st = tl_buf_puts(b, ",");
	if (st == TL_OK)
		st = put_opt(b, "message", d->message);
	return st == TL_OK ? tl_buf_putc(b, '}') : st;
}

static tl_status
on_event(void *ctx, const tl_event *ev)
{
	jw *w = ctx;
	tl_status st = TL_OK;

	switch (ev->kind) {
	case TL_EV_PORTION_END:
		if (!w->first_portion)
			st = tl_buf_putc(&w->buf, ',');
		w->first_portion = false;
		if (st == TL_OK)
			st = put_portion(&w->buf, ev->portion);
		return st == TL_OK ? jw_flush(w, false) : st;
	case TL_EV_DIAG:
		if (w->ndiags >= DIAGS_KEPT) {
			w->dropped++;
			return TL_OK;
		}
		if (w->ndiags++)
			st = tl_buf_putc(&w->diags, ',');
		return st == TL_OK ? put_diag(&w->diags, ev->diag) : st;
	case TL_EV_END:
		w->errors = ev->doc->errors;
		st = tl_buf_puts(&w->buf, "]");
		if (st == TL_OK)
			st = put_docinfo(&w->buf, ev->doc);
		if (st == TL_OK)
			st = tl_buf_puts(&w->buf, ",\"diagnostics\":[");
		if (st == TL_OK && w->diags.len)
			st = tl_buf_append(&w->buf, w->diags.data, w->diags.len);
		if (st == TL_OK)
			st = tl_buf_printf(&w->buf, "],\"diagnostics_dropped\":%lu}\n",
			    w->dropped);
		return st;
	case TL_EV_LINE:
	case TL_EV_PORTION_BEGIN:
		break;
	}
	return TL_OK;
}

tl_status
tl_parse_write_json(const char *path, const char *name, tl_write_fn out,
    void *outctx, unsigned long *errors, tl_diag *diag)
{
	jw w;
	tl_status st;

	memset(&w, 0, sizeof w);
	w.out = out;
	w.outctx = outctx;
	w.first_portion = true;
	st = tl_buf_puts(&w.buf, "{\"file\":");
	if (st == TL_OK)
		st = put_str(&w.buf, name ? name : path);
	if (st == TL_OK)
		st = tl_buf_puts(&w.buf, ",\"portions\":[");
	if (st == TL_OK)
		st = tl_parse_file(path, on_event, &w, diag);
	/* A document that fails before FLUSH_AT bytes of output is not written
	 * at all.  One that fails later has written part of its line: end
	 * that line, so that the next document's line stays separate and the
	 * broken one does not parse as JSON. */
	if (st == TL_OK)
		st = jw_flush(&w, true);
	else if (w.flushed)
		out(outctx, "\n", 1);
	tl_buf_free(&w.buf);
	tl_buf_free(&w.diags);
	if (errors)
		*errors = w.errors;
	return st;
}
