/*
 * tool_audit.c: `tearline audit`: marking consistency findings for each
 * document, as compiler-style text, JSON Lines or one SARIF 2.1.0 log.
 */
#define _DEFAULT_SOURCE
#include "tool.h"
#include "tool_reader.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
"usage: tearline audit [--policy FILE] [--format text|json|sarif] [-r] FILE...\n"
"       tearline audit --list-rules [--policy FILE]\n"
"\n"
"Checks the markings of each FILE (- for standard input): portions above\n"
"the banner, controls and REL TO lists that do not roll up, malformed or\n"
"unmarked portions, the authority block, the routing class.  Every finding\n"
"has a rule id, a severity, a position and the source it enforces.\n"
"\n"
"  --policy FILE        level order and rule settings (the policy's audit:\n"
"                       section); default: the built-in us-cables policy\n"
"  -f, --format text    file:line:col: severity: message [rule] (default)\n"
"  -f, --format json    one JSON object per finding, one per line\n"
"  -f, --format sarif   one SARIF 2.1.0 log for all files\n"
"  -r, --recursive      FILE may be a directory: every regular file below it\n"
"                       (names starting with a dot are skipped)\n"
"  --list-rules         print the rule table: id, severity, source, summary\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 no finding is an error; 1 some finding is an error; 2 usage\n"
"error or a file that cannot be read (the other files are still audited).\n"
"\n"
"Examples:\n"
"  tearline audit corpus/cable-london-2010-secret.txt\n"
"  tearline audit --format sarif -r corpus > audit.sarif\n";

enum { FMT_TEXT, FMT_JSON, FMT_SARIF };
enum { OPT_POLICY = 0x200, OPT_LIST_RULES };

typedef struct sink {
	int format;
	FILE *out;
	tl_sarif *sarif;
	bool write_failed;
} sink;

static tl_status
on_finding(void *ctx, const tl_finding *f)
{
	sink *k = ctx;
	tl_status st;

	switch (k->format) {
	case FMT_SARIF:
		return tl_sarif_add(k->sarif, f);
	case FMT_JSON:
		st = tl_finding_write_json(f, tool_write_file, k->out);
		break;
	default:
		if (f->diag.line && f->diag.col)
			fprintf(k->out, "%s:%lu:%lu: ", f->file, f->diag.line,
			    f->diag.col);
		else if (f->diag.line)
			fprintf(k->out, "%s:%lu: ", f->file, f->diag.line);
		else
			fprintf(k->out, "%s: ", f->file);
		fprintf(k->out, "%s: %s [%s]\n",
		    tl_severity_name(f->diag.severity), f->diag.message,
		    f->diag.rule);
		st = tool_stdout_failed() ? TL_EIO : TL_OK; /* k->out: stdout */
		break;
	}
	if (st != TL_OK)
		k->write_failed = true;
	return st;
}

static unsigned
rank_by_policy(const void *ctx, const tl_marking *m)
{
	return tl_policy_level_rank(ctx, m);
}

/* Rule settings and level order from the policy. */
static void
configure(tl_audit *a, const tl_policy *pol)
{
	size_t i, n = tl_audit_rule_count();

	for (i = 0; i < n; i++) {
		const tl_audit_rule *r = tl_audit_rule_at(i);
		bool enabled = true;
		tl_severity sev = r->severity;
		tl_policy_rule(pol, r->id, &enabled, &sev);
		tl_audit_rule_set(a, r->id, enabled, sev);
	}
	tl_audit_set_ranking(a, rank_by_policy, pol);
}

static int
list_rules(const tl_audit *a)
{
	size_t i, n = tl_audit_rule_count();
	tl_severity sev;
	bool enabled;

	for (i = 0; i < n; i++) {
		const tl_audit_rule *r = tl_audit_rule_at(i);
		enabled = tl_audit_rule_get(a, i, &sev);
		printf("%-28s %-8s %s\n%-28s %s\n", r->id,
		    enabled ? tl_severity_name(sev) : "off", r->summary, "",
		    r->source);
	}
	return TOOL_OK;
}

/* Audits one file; returns TOOL_OK or TOOL_ERROR (unreadable). */
static int
audit_one(tl_audit *a, sink *k, const char *path)
{
	tl_diag d;
	char line[1024];

	if (tl_audit_file(a, path, &d) == TL_OK)
		return TOOL_OK;
	if (k->write_failed)
		return TOOL_ERROR;
	tool_diag(&d);
	if (k->format == FMT_SARIF) {
		tl_diag_format(&d, line, sizeof line);
		if (tl_sarif_add_failure(k->sarif, strcmp(path, "-") == 0 ?
		    "<stdin>" : path, line) != TL_OK)
			k->write_failed = true;
	}
	return TOOL_ERROR;
}

/* Audits every regular file below `dir`, sorted per directory so that
 * the output is reproducible.  Symbolic links and names starting with a
 * dot are skipped, as `tearline redact -r` does. */
static int
walk(tl_audit *a, sink *k, const char *dir, int depth)
{
	struct dirent **ents;
	int n, i, rc = TOOL_OK;

	if (depth > 64) {
		tool_error("audit: %s: directories nested too deep", dir);
		return TOOL_ERROR;
	}
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0) {
		tool_error("audit: %s: %s", dir, strerror(errno));
		return TOOL_ERROR;
	}
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t plen = strlen(dir) + strlen(name) + 2;
		char *path = NULL;
		struct stat sb;
		int r = TOOL_OK;

		if (name[0] != '.' && !k->write_failed &&
		    (path = malloc(plen)) != NULL) {
			snprintf(path, plen, "%s%s%s", dir,
			    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
			if (lstat(path, &sb) != 0) {
				tool_error("audit: %s: %s", path, strerror(errno));
				r = TOOL_ERROR;
			} else if (S_ISDIR(sb.st_mode)) {
				r = walk(a, k, path, depth + 1);
			} else if (S_ISREG(sb.st_mode)) {
				r = audit_one(a, k, path);
			}
		} else if (name[0] != '.' && !k->write_failed) {
			tool_error("audit: out of memory");
			r = TOOL_ERROR;
		}
		if (r > rc)
			rc = r;
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int
audit_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "format", required_argument, NULL, 'f' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy = NULL;
	bool recursive = false, rules = false;
	sink k = { FMT_TEXT, stdout, NULL, false };
	tl_policy *pol = NULL;
	tl_audit *a = NULL;
	struct stat sb;
	int c, i, rc = TOOL_OK, r;

	while ((c = getopt_long(argc, argv, "+f:rh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_POLICY:
			policy = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				k.format = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				k.format = FMT_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				k.format = FMT_SARIF;
			else {
				tool_error("audit: unknown format '%s' (text, json "
				    "or sarif)", optarg);
				return TOOL_ERROR;
			}
			break;
		case 'r':
			recursive = true;
			break;
		case OPT_LIST_RULES:
			rules = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return TOOL_OK;
		default:
			fputs(usage_text, stderr);
			return TOOL_ERROR;
		}
	}
	if (optind >= argc && !rules) {
		tool_error("audit: no input files (use - for standard input)");
		return TOOL_ERROR;
	}
	if (tool_policy_open(policy, &pol) != TOOL_OK)
		return TOOL_ERROR;
	if ((a = tl_audit_new(on_finding, &k)) == NULL ||
	    (k.format == FMT_SARIF && (k.sarif = tl_sarif_new()) == NULL)) {
		tool_error("audit: out of memory");
		rc = TOOL_ERROR;
		goto done;
	}
	configure(a, pol);
	if (rules) {
		rc = list_rules(a);
		goto flush;
	}
	for (i = optind; i < argc && !k.write_failed; i++) {
		if (recursive && strcmp(argv[i], "-") != 0 &&
		    stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			r = walk(a, &k, argv[i], 0);
		else
			r = audit_one(a, &k, argv[i]);
		if (r > rc)
			rc = r;
	}
	/* The findings that need every document: consistency-mark. */
	if (!k.write_failed) {
		tl_diag d;
		if (tl_audit_finish(a, &d) != TL_OK && !k.write_failed) {
			tool_diag(&d);
			rc = TOOL_ERROR;
		}
	}
	if (k.format == FMT_SARIF && !k.write_failed &&
	    tl_sarif_write(k.sarif, a, tool_write_file, stdout) != TL_OK)
		k.write_failed = true;
	if (rc == TOOL_OK && tl_audit_count(a, TL_SEV_ERROR) > 0)
		rc = TOOL_NEGATIVE;
flush:
	rc = tool_stdout_done("audit", rc);
	/* Not standard output: the report could not be made. */
	if (k.write_failed && rc != TOOL_ERROR) {
		tool_error("audit: out of memory");
		rc = TOOL_ERROR;
	}
done:
	tl_sarif_free(k.sarif);
	tl_audit_free(a);
	tl_policy_free(pol);
	return rc;
}

const tool_cmd tool_audit_cmd = {
	"audit", audit_main,
	"check markings: roll-up, portions, authority (text, JSON, SARIF)",
	usage_text,
};
