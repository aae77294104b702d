/*
 * tool_parse.c: `tearline parse`: the model of each document, as JSON
 * Lines or as a readable summary.
 */
#define _DEFAULT_SOURCE
#include "tool.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: tearline parse [--format json|text] FILE...\n"
"\n"
"Reads each FILE (- for standard input) as one marked document and prints\n"
"its model: banner, routing class, authority block, declassification,\n"
"every portion with its position and marking, and diagnostics.\n"
"\n"
"  -f, --format json   one JSON object per file, one per line (default)\n"
"  -f, --format text   a readable summary; diagnostics go to stderr\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 every file parsed without an error diagnostic; 1 some\n"
"file has error diagnostics (e.g. a malformed mark); 2 usage error or a\n"
"file that cannot be read.\n"
"\n"
"Examples:\n"
"  tearline parse corpus/cable-london-2007-secret.txt\n"
"  tearline parse --format text corpus/*.txt\n";

typedef struct summary {
	FILE *out;
	unsigned long errors;
} summary;

static tl_status
text_event(void *ctx, const tl_event *ev)
{
	summary *s = ctx;
	const tl_portion *po = ev->portion;
	const tl_docinfo *d = ev->doc;
	char canon[512];
	unsigned i;

	switch (ev->kind) {
	case TL_EV_PORTION_END:
		if (po->marked)
			tl_marking_format(&po->marking, canon, sizeof canon);
		fprintf(s->out, "  %4lu %-9s line %lu-%lu  %-14s %s%s\n",
		    po->index, tl_portion_kind_name(po->kind), po->line,
		    po->end_line, po->marked ? po->mark_text : "-",
		    po->marked ? canon : "unmarked",
		    po->errors ? "  [error]" : "");
		break;
	case TL_EV_DIAG:
		tool_diag(ev->diag);
		if (ev->diag->severity == TL_SEV_ERROR)
			s->errors++;
		break;
	case TL_EV_END:
		if (d->banner.line) {
			tl_marking_format(&d->banner.marking, canon, sizeof canon);
			fprintf(s->out, "  banner: %s (line %lu: %s)%s\n", canon,
			    d->banner.line, d->banner.text,
			    d->banner.damaged ? " [damaged]" : "");
		} else {
			fprintf(s->out, "  banner: none\n");
		}
		if (d->routing.line)
			fprintf(s->out, "  routing: %s = %s (line %lu)\n",
			    d->routing.letters, tl_level_name(d->routing.level),
			    d->routing.line);
		if (d->date[0])
			fprintf(s->out, "  date: %s\n", d->date);
		if (d->authority.line) {
			fprintf(s->out, "  classified by: %s; reasons",
			    d->authority.classified_by);
			for (i = 0; i < d->authority.nreasons; i++)
				fprintf(s->out, " %s", d->authority.reasons[i]);
			fprintf(s->out, " (line %lu)\n", d->authority.line);
		}
		if (d->declassify.line)
			fprintf(s->out, "  declassify: %s%s%s (line %lu)\n",
			    d->declassify.text, d->declassify.date[0] ? " = " : "",
			    d->declassify.date, d->declassify.line);
		fprintf(s->out, "  %lu lines, %lu portions, %lu marked, %lu errors, "
		    "%lu warnings\n", d->lines, d->portions, d->marked, d->errors,
		    d->warnings);
		break;
	case TL_EV_LINE:
	case TL_EV_PORTION_BEGIN:
		break;
	}
	return tool_stdout_failed() ? TL_EIO : TL_OK; /* s->out is stdout */
}

static int
parse_json(const char *path)
{
	unsigned long errors = 0;
	tl_diag d;

	if (tl_parse_write_json(path, strcmp(path, "-") == 0 ? "<stdin>" : path,
	    tool_write_file, stdout, &errors, &d) != TL_OK) {
		if (!tool_stdout_failed()) /* else tool_stdout_done says it */
			tool_diag(&d);
		return TOOL_ERROR;
	}
	return errors ? TOOL_NEGATIVE : TOOL_OK;
}

static int
parse_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i, rc = TOOL_OK, r;
	bool json = true;
	summary s = { stdout, 0 };
	tl_diag d;

	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (tool_json_format("parse", optarg, &json) != 0)
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
		tool_error("parse: no input files (use - for standard input)");
		return TOOL_ERROR;
	}
	for (i = optind; i < argc && !tool_stdout_failed(); i++) {
		if (json) {
			r = parse_json(argv[i]);
		} else {
			unsigned long before = s.errors;
			printf("%s:\n", argv[i]);
			if (tl_parse_file(argv[i], text_event, &s, &d) != TL_OK) {
				if (!tool_stdout_failed())
					tool_diag(&d);
				r = TOOL_ERROR;
			} else {
				r = s.errors > before ? TOOL_NEGATIVE : TOOL_OK;
			}
		}
		if (r > rc)
			rc = r;
	}
	return tool_stdout_done("parse", rc);
}

const tool_cmd tool_parse_cmd = {
	"parse", parse_main, "print the marking model of documents (JSON or text)",
	usage_text,
};
