/*
 * tool_decide.c: `tearline decide`: for one reader, the decision on every
 * portion of each document (release or withhold, the rule, the reason),
 * as text or JSON Lines, without writing any copy.
 */
#define _DEFAULT_SOURCE
#include "tool_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: tearline decide [--policy FILE] READER-OPTIONS [--format text|json]\n"
"                       FILE...\n"
"\n"
"Decides, for one reader, every portion of each FILE (- for standard\n"
"input): release or withhold, the id of the rule that decided, and a\n"
"one-line reason naming the first condition that failed.  The document\n"
"is read once first: text with no mark of its own is decided at its\n"
"banner raised by every mark it shows (or, with no readable banner, at\n"
"the policy's highest level, NOFORN); each marked portion by its own\n"
"mark.  Classified text goes to a foreign reader only under a REL TO\n"
"naming it.\n"
"\n"
TOOL_READER_USAGE
"  -f, --format text    one line per document and per portion (default)\n"
"  -f, --format json    JSON Lines: a \"document\" record, then one\n"
"                       \"portion\" record each with line, marking,\n"
"                       decision, rule, reason, exemption\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 decided; 1 some document is withheld whole (a\n"
"document-wide control such as NODIS refuses the reader); 2 usage\n"
"error, invalid policy, unknown reader or unreadable file.\n"
"\n"
"Examples:\n"
"  tearline decide --reader gbr-secret cable.txt\n"
"  tearline decide --clearance SECRET --nationality FRA --format json \\\n"
"      cable.txt\n"
"  tearline decide --policy policies/capco.yaml --reader us-ts-sci r.txt\n";

typedef struct decider {
	const tl_policy *pol;
	const tl_reader *reader;
	const char *file;    /* name shown */
	bool json;
	FILE *out;
	bool decided;        /* the document decision is made */
	tl_docinfo scan;     /* the whole document, read once before */
	bool scanned;
	tl_docdecision dd;
	unsigned long released, withheld;
} decider;

/* Text output: one line each, control characters shown as '?'. */
static void
text_str(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static const char *
verdict_name(tl_verdict v)
{
	return v == TL_RELEASE ? "release" : "withhold";
}

static void
print_document(decider *dc, const tl_docinfo *doc)
{
	const tl_decision *w = &dc->dd.whole;
	char banner[512] = "";

	if (dc->json) {
		tl_decision_write_json(dc->file, doc, NULL, w, tool_write_file,
		    dc->out);
		return;
	}
	if (doc->banner.line)
		tl_marking_format(&doc->banner.marking, banner, sizeof banner);
	text_str(dc->out, dc->file);
	fputs(": document ", dc->out);
	if (doc->banner.line) {
		text_str(dc->out, banner);
		fprintf(dc->out, " (banner line %lu)", doc->banner.line);
	} else
		fputs("without a banner", dc->out);
	fprintf(dc->out, ": %s [%s] ", verdict_name(w->verdict), w->rule);
	text_str(dc->out, w->reason);
	fputc('\n', dc->out);
}

static void
print_portion(decider *dc, const tl_portion *po, const tl_decision *d)
{
	if (dc->json) {
		tl_decision_write_json(dc->file, NULL, po, d, tool_write_file,
		    dc->out);
		return;
	}
	text_str(dc->out, dc->file);
	fprintf(dc->out, ":%lu: %s %lu ", po->line,
	    tl_portion_kind_name(po->kind), po->index);
	if (po->marked) {
		fputc('(', dc->out);
		text_str(dc->out, po->mark_text);
		fputc(')', dc->out);
	} else
		fputs("unmarked", dc->out);
	fprintf(dc->out, ": %s [%s] ", verdict_name(d->verdict), d->rule);
	text_str(dc->out, d->reason);
	fputc('\n', dc->out);
}

/* The document is decided once, before its first portion, on what the
 * scan of the whole document found (as the redaction writer does, so
 * both agree); standard input, which cannot be read twice, on what the
 * parser has read by then. */
static void
decide_document(decider *dc, const tl_docinfo *doc)
{
	if (dc->decided)
		return;
	dc->decided = true;
	tl_decide_document(dc->pol, dc->reader, dc->scanned ? &dc->scan : doc,
	    &dc->dd);
	print_document(dc, doc);
}

static tl_status
on_event(void *ctx, const tl_event *ev)
{
	decider *dc = ctx;
	const tl_portion *po = ev->portion;
	tl_decision d;

	switch (ev->kind) {
	case TL_EV_PORTION_BEGIN:
		decide_document(dc, ev->doc);
		break;
	case TL_EV_PORTION_END:
		/* At its end: a mark buried in a later line counts. */
		if (po->kind == TL_PORTION_SUBJECT &&
		    tl_policy_part(dc->pol, TL_PART_SUBJECT) != TL_PART_PORTION)
			tl_decide_part(dc->pol, &dc->dd, TL_PART_SUBJECT, &d);
		else
			tl_decide_portion(dc->pol, dc->reader, &dc->dd, po, &d);
		if (d.verdict == TL_RELEASE)
			dc->released++;
		else
			dc->withheld++;
		print_portion(dc, po, &d);
		break;
	case TL_EV_END:
		decide_document(dc, ev->doc);
		break;
	case TL_EV_LINE:
	case TL_EV_DIAG:
		break;
	}
	return tool_stdout_failed() ? TL_EIO : TL_OK; /* dc->out is stdout */
}

/* Standard input is read twice too: spooled to a temporary file first. */
static int
decide_stdin(decider *dc)
{
	char buf[64 * 1024];
	FILE *tmp = tmpfile();
	size_t n;
	tl_diag d;
	tl_status st;
	int rc = TOOL_OK;

	if (tmp == NULL) {
		tool_error("decide: cannot make a temporary file: %s",
		    strerror(errno));
		return TOOL_ERROR;
	}
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, tmp) != n)
			break;
	if (ferror(stdin) || ferror(tmp) || fflush(tmp) != 0) {
		tool_error("decide: reading standard input: %s", strerror(errno));
		fclose(tmp);
		return TOOL_ERROR;
	}
	rewind(tmp);
	st = tl_doc_scan_fd(fileno(tmp), dc->file, &dc->scan, &d);
	dc->scanned = st == TL_OK;
	rewind(tmp);
	if (lseek(fileno(tmp), 0, SEEK_SET) != 0 ||
	    tl_parse_fd(fileno(tmp), dc->file, on_event, dc, &d) != TL_OK) {
		if (!tool_stdout_failed())
			tool_diag(&d);
		rc = TOOL_ERROR;
	}
	fclose(tmp);
	return rc;
}

static int
decide_file(decider *dc, const char *path)
{
	tl_diag d;
	tl_status st;

	dc->file = strcmp(path, "-") == 0 ? "<stdin>" : path;
	dc->decided = false;
	dc->released = dc->withheld = 0;
	dc->scanned = false;
	if (strcmp(path, "-") == 0) {
		if (decide_stdin(dc) != TOOL_OK)
			return TOOL_ERROR;
	} else {
		st = tl_doc_scan(path, &dc->scan, &d);
		if (st == TL_EIO || st == TL_ENOMEM) {
			tool_diag(&d);
			return TOOL_ERROR;
		}
		dc->scanned = st == TL_OK;
		if (tl_parse_file(path, on_event, dc, &d) != TL_OK) {
			if (!tool_stdout_failed()) /* else tool_stdout_done */
				tool_diag(&d);
			return TOOL_ERROR;
		}
	}
	if (!dc->json) {
		text_str(dc->out, dc->file);
		fprintf(dc->out, ": %lu released, %lu withheld\n", dc->released,
		    dc->withheld);
	}
	return dc->dd.whole.verdict == TL_RELEASE ? TOOL_OK : TOOL_NEGATIVE;
}

static int
decide_main(int argc, char **argv)
{
	static const struct option opts[] = {
		TOOL_READER_LONGOPTS,
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	tool_reader_opts ro;
	tl_policy *pol = NULL;
	tl_reader reader;
	decider dc;
	char who[512];
	int c, i, r, rc = TOOL_OK;

	memset(&ro, 0, sizeof ro);
	memset(&dc, 0, sizeof dc);
	dc.out = stdout;
	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		if (tool_reader_option(&ro, c, optarg))
			continue;
		switch (c) {
		case 'f':
			if (tool_json_format("decide", optarg, &dc.json) != 0)
				return TOOL_ERROR;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return TOOL_OK;
		default:
			fputs(usage_text, stderr);
			return TOOL_ERROR;
		}
	}
	if (optind >= argc) {
		tool_error("decide: no input files (use - for standard input)");
		return TOOL_ERROR;
	}
	if (tool_policy_open(ro.policy, &pol) != TOOL_OK)
		return TOOL_ERROR;
	if (tool_reader_make(&ro, pol, &reader) != TOOL_OK) {
		tl_policy_free(pol);
		return TOOL_ERROR;
	}
	dc.pol = pol;
	dc.reader = &reader;
	if (!dc.json) {
		tl_reader_format(&reader, who, sizeof who);
		printf("reader %s, policy %s (%s)\n", who, tl_policy_name(pol),
		    tl_policy_source(pol));
	}
	for (i = optind; i < argc && !tool_stdout_failed(); i++) {
		r = decide_file(&dc, argv[i]);
		if (r > rc)
			rc = r;
	}
	tl_policy_free(pol);
	return tool_stdout_done("decide", rc);
}

const tool_cmd tool_decide_cmd = {
	"decide", decide_main, "show each portion's decision for a reader",
	usage_text,
};
