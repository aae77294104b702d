/*
 * sarif.c: the SARIF 2.1.0 writer of audit findings (`tearline audit
 * --format sarif`).  SARIF is one JSON object, so results are collected,
 * bounded per document and in all, and written with the rule table.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_BYTES_MAX ((size_t)64 * 1024 * 1024)

struct tl_sarif {
	tl_buf results;            /* JSON of the kept results, comma-led */
	unsigned long nresults;
	tl_buf failures;           /* JSON of tool execution notifications */
	char *file;                /* document of the latest result */
	unsigned long kept;        /* results kept for that document */
	unsigned long dropped;     /* results past TL_SARIF_RESULTS_MAX */
	unsigned long over;        /* results past SARIF_BYTES_MAX, all files */
};

tl_sarif *
tl_sarif_new(void)
{
	tl_sarif *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->results.limit = SARIF_BYTES_MAX;
	s->failures.limit = 1024 * 1024;
	return s;
}

void
tl_sarif_free(tl_sarif *s)
{
	if (s == NULL)
		return;
	tl_buf_free(&s->results);
	tl_buf_free(&s->failures);
	free(s->file);
	free(s);
}

static const char *
level_name(tl_severity sev)
{
	return tl_severity_name(sev); /* "error", "warning", "note" */
}

/* The file name as a URI reference: every byte but unreserved ones and
 * "/" percent-encoded, so "<stdin>", spaces and ":" stay valid. */
static tl_status
put_uri(tl_buf *b, const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	tl_status st = tl_buf_putc(b, '"');

	for (p = (const unsigned char *)file; *p && st == TL_OK; p++) {
		if (tl_isalpha(*p) || tl_isdigit(*p) || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~' || *p == '/') {
			st = tl_buf_putc(b, (char)*p);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			st = tl_buf_append(b, esc, 3);
		}
	}
	return st == TL_OK ? tl_buf_putc(b, '"') : st;
}

static tl_status
put_str(tl_buf *b, const char *s)
{
	return tl_buf_json_str(b, s, strlen(s));
}

/* {"physicalLocation":{"artifactLocation":{"uri":...},"region":...}} */
static tl_status
put_location(tl_buf *b, const char *file, unsigned long line,
    unsigned long col)
{
	tl_status st = tl_buf_puts(b,
	    "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");

	if (st == TL_OK)
		st = put_uri(b, file);
	if (st == TL_OK)
		st = tl_buf_putc(b, '}');
	if (st == TL_OK && line) {
		st = tl_buf_printf(b, ",\"region\":{\"startLine\":%lu", line);
		if (st == TL_OK && col)
			st = tl_buf_printf(b, ",\"startColumn\":%lu", col);
		if (st == TL_OK)
			st = tl_buf_putc(b, '}');
	}
	return st == TL_OK ? tl_buf_puts(b, "}}") : st;
}

static tl_status
put_result(tl_buf *b, size_t rule, tl_severity sev, const char *message,
    const char *file, unsigned long line, unsigned long col,
    const char *related, unsigned long related_line)
{
	const tl_audit_rule *r = tl_audit_rule_at(rule);
	tl_status st;

	st = tl_buf_puts(b, ",{\"ruleId\":");
	if (st == TL_OK)
		st = put_str(b, r ? r->id : "");
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\","
		    "\"message\":{\"text\":", rule, level_name(sev));
	if (st == TL_OK)
		st = put_str(b, message);
	if (st == TL_OK)
		st = tl_buf_puts(b, "},\"locations\":[");
	if (st == TL_OK)
		st = put_location(b, file, line, col);
	if (st == TL_OK && related) {
		/* consistency-mark: the other place of the passage. */
		st = tl_buf_puts(b, "],\"relatedLocations\":[");
		if (st == TL_OK)
			st = tl_buf_puts(b, "{\"id\":0,\"physicalLocation\":"
			    "{\"artifactLocation\":{\"uri\":");
		if (st == TL_OK)
			st = put_uri(b, related);
		if (st == TL_OK)
			st = tl_buf_printf(b, "},\"region\":{\"startLine\":%lu}},"
			    "\"message\":{\"text\":\"the same passage\"}}",
			    related_line ? related_line : 1);
	}
	return st == TL_OK ? tl_buf_puts(b, "]}") : st;
}

/* Appends a finished piece to the results, or counts it when the log is
 * at its size cap.  Only allocation failure is an error. */
static tl_status
keep(tl_sarif *s, const tl_buf *piece)
{
	tl_status st = tl_buf_append(&s->results, piece->data, piece->len);

	if (st == TL_ELIMIT) {
		s->over++;
		return TL_OK;
	}
	if (st == TL_OK)
		s->nresults++;
	return st;
}

/* The note result for the results of `file` past the per-document cap. */
static tl_status
put_dropped_note(tl_buf *b, const char *file, unsigned long dropped)
{
	long rule = tl_audit_rule_find("audit-truncated");
	char msg[160];

	snprintf(msg, sizeof msg, "%lu more findings in this document were "
	    "left out (at most %d are kept per document)", dropped,
	    TL_SARIF_RESULTS_MAX);
	return put_result(b, rule < 0 ? 0 : (size_t)rule, TL_SEV_NOTE, msg,
	    file, 0, 0, NULL, 0);
}

/* Ends the per-document count of the current file. */
static tl_status
close_document(tl_sarif *s)
{
	tl_buf piece = { 0 };
	tl_status st = TL_OK;

	if (s->file && s->dropped > 0) {
		st = put_dropped_note(&piece, s->file, s->dropped);
		if (st == TL_OK)
			st = keep(s, &piece);
		tl_buf_free(&piece);
	}
	free(s->file);
	s->file = NULL;
	s->kept = s->dropped = 0;
	return st;
}

tl_status
tl_sarif_add(tl_sarif *s, const tl_finding *f)
{
	const char *file = f->file ? f->file : f->diag.file;
	tl_buf piece = { 0 };
	tl_status st;

	if (s->file == NULL || strcmp(s->file, file) != 0) {
		if ((st = close_document(s)) != TL_OK)
			return st;
		if ((s->file = strdup(file)) == NULL)
			return TL_ENOMEM;
	}
	if (s->kept >= TL_SARIF_RESULTS_MAX) {
		s->dropped++;
		return TL_OK;
	}
	piece.limit = 64 * 1024;
	st = put_result(&piece, f->rule_index, f->diag.severity,
	    f->diag.message, file, f->diag.line, f->diag.line ? f->diag.col : 0,
	    f->related_file, f->related_line);
	if (st == TL_OK && (st = keep(s, &piece)) == TL_OK)
		s->kept++;
	tl_buf_free(&piece);
	return st == TL_ELIMIT ? TL_OK : st;
}

tl_status
tl_sarif_add_failure(tl_sarif *s, const char *file, const char *message)
{
	size_t mark = s->failures.len;
	tl_status st;

	st = tl_buf_puts(&s->failures, s->failures.len ? ",{" : "{");
	if (st == TL_OK)
		st = tl_buf_puts(&s->failures, "\"level\":\"error\",\"message\":"
		    "{\"text\":");
	if (st == TL_OK)
		st = put_str(&s->failures, message);
	if (st == TL_OK)
		st = tl_buf_puts(&s->failures, "},\"locations\":[");
	if (st == TL_OK)
		st = put_location(&s->failures, file, 0, 0);
	if (st == TL_OK)
		st = tl_buf_puts(&s->failures, "]}");
	if (st != TL_OK) {
		/* Keep the notifications well-formed: drop the partial one. */
		s->failures.len = mark;
		if (s->failures.data)
			s->failures.data[mark] = '\0';
	}
	return st == TL_ELIMIT ? TL_OK : st;
}

/* One rule of tool.driver.rules, with the effective settings. */
static tl_status
put_rule(tl_buf *b, const tl_audit_rule *r, bool enabled, tl_severity sev)
{
	char text[1024];
	tl_status st;

	st = tl_buf_puts(b, "{\"id\":");
	if (st == TL_OK)
		st = put_str(b, r->id);
	if (st == TL_OK)
		st = tl_buf_puts(b, ",\"shortDescription\":{\"text\":");
	if (st == TL_OK)
		st = put_str(b, r->summary);
	snprintf(text, sizeof text, "%s. Source: %s.", r->summary, r->source);
	if (st == TL_OK)
		st = tl_buf_puts(b, "},\"fullDescription\":{\"text\":");
	if (st == TL_OK)
		st = put_str(b, text);
	snprintf(text, sizeof text, "%s Source: %s. See tearline(1), AUDIT "
	    "RULES.", r->help, r->source);
	if (st == TL_OK)
		st = tl_buf_puts(b, "},\"help\":{\"text\":");
	if (st == TL_OK)
		st = put_str(b, text);
	if (st == TL_OK)
		st = tl_buf_printf(b, "},\"defaultConfiguration\":{\"enabled\":%s,"
		    "\"level\":\"%s\"},\"properties\":{\"source\":",
		    enabled ? "true" : "false", level_name(sev));
	if (st == TL_OK)
		st = put_str(b, r->source);
	return st == TL_OK ? tl_buf_puts(b, "}}") : st;
}

/* Writes b and empties it. */
static tl_status
flush(tl_buf *b, tl_write_fn out, void *ctx)
{
	tl_status st = b->len ? out(ctx, b->data, b->len) : TL_OK;

	tl_buf_reset(b);
	return st;
}

tl_status
tl_sarif_write(const tl_sarif *s, const tl_audit *a, tl_write_fn out,
    void *ctx)
{
	tl_buf b = { 0 };
	tl_severity sev;
	bool enabled;
	size_t i, n = tl_audit_rule_count();
	tl_status st;

	st = tl_buf_puts(&b, "{\"$schema\":\"" SARIF_SCHEMA "\","
	    "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":"
	    "{\"name\":\"tearline\",\"version\":");
	if (st == TL_OK)
		st = put_str(&b, tl_version());
	if (st == TL_OK)
		st = tl_buf_puts(&b, ",\"semanticVersion\":");
	if (st == TL_OK)
		st = put_str(&b, tl_version());
	if (st == TL_OK)
		st = tl_buf_puts(&b, ",\"rules\":[");
	for (i = 0; i < n && st == TL_OK; i++) {
		enabled = tl_audit_rule_get(a, i, &sev);
		if (i > 0)
			st = tl_buf_putc(&b, ',');
		if (st == TL_OK)
			st = put_rule(&b, tl_audit_rule_at(i), enabled, sev);
	}
	if (st == TL_OK)
		st = tl_buf_printf(&b, "]}},\"invocations\":[{"
		    "\"executionSuccessful\":%s",
		    s->failures.len ? "false" : "true");
	if (st == TL_OK && s->failures.len) {
		st = tl_buf_puts(&b, ",\"toolExecutionNotifications\":[");
		if (st == TL_OK)
			st = tl_buf_append(&b, s->failures.data, s->failures.len);
		if (st == TL_OK)
			st = tl_buf_putc(&b, ']');
	}
	if (st == TL_OK)
		st = tl_buf_puts(&b, "}],\"columnKind\":\"unicodeCodePoints\","
		    "\"results\":[");
	if (st == TL_OK)
		st = flush(&b, out, ctx);
	/* The kept results, without the first one's leading comma. */
	if (st == TL_OK && s->results.len > 1)
		st = out(ctx, s->results.data + 1, s->results.len - 1);
	/* Notes for what was left out: the last document's overflow and
	 * the results past the size cap.  They follow a kept result or
	 * stand first; strip the comma in the latter case. */
	if (st == TL_OK && s->file && s->dropped > 0) {
		st = put_dropped_note(&b, s->file, s->dropped);
		if (st == TL_OK)
			st = out(ctx, b.data + (s->results.len ? 0 : 1),
			    b.len - (s->results.len ? 0 : 1));
		tl_buf_reset(&b);
	}
	if (st == TL_OK && s->over > 0) {
		long rule = tl_audit_rule_find("audit-truncated");
		char msg[160];
		bool first = s->results.len == 0 && !(s->file && s->dropped);
		snprintf(msg, sizeof msg, "%lu more findings were left out: the "
		    "log reached its size limit of %zu bytes", s->over,
		    SARIF_BYTES_MAX);
		st = tl_buf_puts(&b, ",{\"ruleId\":\"audit-truncated\"");
		if (st == TL_OK)
			st = tl_buf_printf(&b, ",\"ruleIndex\":%ld,\"level\":"
			    "\"note\",\"message\":{\"text\":", rule);
		if (st == TL_OK)
			st = put_str(&b, msg);
		if (st == TL_OK)
			st = tl_buf_puts(&b, "}}");
		if (st == TL_OK)
			st = out(ctx, b.data + (first ? 1 : 0), b.len - (first ? 1 : 0));
		tl_buf_reset(&b);
	}
	if (st == TL_OK)
		st = tl_buf_puts(&b, "]}]}\n");
	if (st == TL_OK)
		st = flush(&b, out, ctx);
	tl_buf_free(&b);
	return st;
}
