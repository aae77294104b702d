/*
 * test_audit.c: the audit rules, each with a document that fires it and
 * one that stays silent; rule settings and level order; streaming; the
 * JSON Lines and SARIF writers; the expected findings of the corpus and
 * of the seeds.
 */
#include "tlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOT_MAX 512

typedef struct found {
	char rule[48];
	unsigned long line, col;
	tl_severity sev;
	char msg[400];
	size_t index;
} found;

typedef struct got {
	size_t n;
	found f[GOT_MAX];
} got;

static got G;

static tl_status
collect(void *ctx, const tl_finding *f)
{
	got *g = ctx;
	found *x;

	ck_assert_msg(g->n < GOT_MAX, "too many findings");
	x = &g->f[g->n++];
	snprintf(x->rule, sizeof x->rule, "%s", f->diag.rule);
	x->line = f->diag.line;
	x->col = f->diag.col;
	x->sev = f->diag.severity;
	snprintf(x->msg, sizeof x->msg, "%s", f->diag.message);
	x->index = f->rule_index;
	/* The finding names its row, and the row its id. */
	ck_assert_ptr_eq(f->rule, tl_audit_rule_at(f->rule_index));
	ck_assert_str_eq(f->rule->id, f->diag.rule);
	return TL_OK;
}

/* Audits `text` with audit `a` (a fresh one when NULL), `chunk` bytes
 * at a time (0: all at once), into G. */
static void
run_with(tl_audit *a, const char *text, size_t chunk)
{
	tl_audit *own = NULL;
	tl_parser *p;
	size_t len = strlen(text), off, n;

	memset(&G, 0, sizeof G);
	if (a == NULL)
		a = own = tl_audit_new(collect, &G);
	ck_assert_ptr_nonnull(a);
	p = tl_parser_new("doc.txt", tl_audit_event, a);
	ck_assert_ptr_nonnull(p);
	for (off = 0; off < len; off += n) {
		n = chunk && chunk < len - off ? chunk : len - off;
		ck_assert_int_eq(tl_parser_feed(p, text + off, n), TL_OK);
	}
	ck_assert_int_eq(tl_parser_finish(p), TL_OK);
	tl_parser_free(p);
	tl_audit_free(own);
}

static void
run(const char *text)
{
	run_with(NULL, text, 0);
}

static unsigned
count(const char *rule)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < G.n; i++)
		if (strcmp(G.f[i].rule, rule) == 0)
			k++;
	return k;
}

static const found *
find(const char *rule, unsigned long line)
{
	size_t i;

	for (i = 0; i < G.n; i++)
		if (strcmp(G.f[i].rule, rule) == 0 &&
		    (line == 0 || G.f[i].line == line))
			return &G.f[i];
	return NULL;
}

static void
dump(void)
{
	size_t i;

	for (i = 0; i < G.n; i++)
		fprintf(stderr, "  %lu:%lu %s %s [%s]\n", G.f[i].line, G.f[i].col,
		    tl_severity_name(G.f[i].sev), G.f[i].msg, G.f[i].rule);
}

#define FIRES(rule, line) do { \
	if (find(rule, line) == NULL) dump(); \
	ck_assert_msg(find(rule, line) != NULL, "%s at line %lu not found", \
	    rule, (unsigned long)(line)); \
} while (0)
#define SILENT(rule) do { \
	if (count(rule)) dump(); \
	ck_assert_msg(count(rule) == 0, "%s fired", rule); \
} while (0)
#define NOTHING() do { \
	if (G.n) dump(); \
	ck_assert_msg(G.n == 0, "%zu findings on a clean document", G.n); \
} while (0)

/* A clean header: banner on line 1, body from line 8. */
#define HEAD(banner) banner "\n\nE.O. 13526: DECL: 01/02/2030\n" \
	"SUBJECT: (U) TALKS\n\nClassified By: DCM A. Person, reasons " \
	"1.4 (b,d)\n\n"
/* With routing and a date-time group: banner on line 5, body from 12. */
#define DATED(zny, banner, decl) "VZCZCXYZ0001\n" zny "\nR 211601Z NOV 07\n" \
	"\n" banner "\n\nE.O. 12958: DECL: " decl "\nSUBJECT: (U) TALKS\n\n" \
	"Classified By: DCM A. Person, reasons 1.4 (b,d)\n\n"

/* ---- the table ---------------------------------------------------------- */

START_TEST(table_is_complete)
{
	size_t i, j, n = tl_audit_rule_count();
	const char *t;

	ck_assert_uint_ge(n, 30);
	ck_assert_ptr_null(tl_audit_rule_at(n));
	for (i = 0; i < n; i++) {
		const tl_audit_rule *r = tl_audit_rule_at(i);
		ck_assert_ptr_nonnull(r);
		ck_assert_msg(r->id && r->id[0] && r->summary && r->summary[0] &&
		    r->message && r->message[0] && r->source && r->source[0] &&
		    r->help && r->help[0], "row %zu has an empty field", i);
		ck_assert_uint_lt(strlen(r->id), sizeof ((tl_diag *)0)->rule);
		ck_assert(r->severity == TL_SEV_ERROR ||
		    r->severity == TL_SEV_WARNING || r->severity == TL_SEV_NOTE);
		for (t = r->id; *t; t++)
			ck_assert_msg((*t >= 'a' && *t <= 'z') || *t == '-' ||
			    (*t >= '0' && *t <= '9'), "id %s", r->id);
		for (t = strchr(r->message, '{'); t; t = strchr(t + 1, '{'))
			ck_assert_msg(t[1] >= '1' && t[1] <= '4' && t[2] == '}',
			    "placeholder in %s", r->id);
		ck_assert_int_eq(tl_audit_rule_find(r->id), (long)i);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(tl_audit_rule_at(j)->id, r->id);
	}
	ck_assert_int_eq(tl_audit_rule_find("no-such-rule"), -1);
	ck_assert_int_eq(tl_audit_rule_find(NULL), -1);
	/* The ids the parser reports are rows. */
	ck_assert_int_ge(tl_audit_rule_find("mark-malformed"), 0);
	ck_assert_int_ge(tl_audit_rule_find("mark-unknown-token"), 0);
	ck_assert_int_ge(tl_audit_rule_find("banner-damaged"), 0);
	ck_assert_int_ge(tl_audit_rule_find("authority-run-in"), 0);
	ck_assert_int_ge(tl_audit_rule_find("input-nul"), 0);
}
END_TEST

START_TEST(clean_document_has_no_findings)
{
	run(HEAD("SECRET//NOFORN") "1. (S//NF) First.\n\n2. (C) Second.\n");
	NOTHING();
	run(DATED("ZNY SSSSS ZZH", "S E C R E T LONDON 004327", "11/18/2027")
	    "1. (S) First.\n");
	NOTHING();
}
END_TEST

START_TEST(free_null)
{
	tl_audit_free(NULL);
	tl_sarif_free(NULL);
	ck_assert_ptr_null(tl_audit_new(NULL, NULL));
}
END_TEST

/* ---- banner roll-up ----------------------------------------------------- */

START_TEST(portion_above_banner)
{
	const found *f;

	run(HEAD("CONFIDENTIAL") "1. (S) Too high.\n\n2. (C) Fine.\n");
	FIRES("portion-above-banner", 8);
	f = find("portion-above-banner", 8);
	ck_assert_uint_eq(f->col, 4);
	ck_assert_int_eq(f->sev, TL_SEV_ERROR);
	ck_assert_ptr_nonnull(strstr(f->msg, "SECRET"));
	ck_assert_uint_eq(count("portion-above-banner"), 1);
	run(HEAD("CONFIDENTIAL") "1. (C) Fine.\n");
	SILENT("portion-above-banner");
	/* A malformed mark is reported once, as malformed, not as spill. */
	run(HEAD("CONFIDENTIAL") "1. (SNF) Bad.\n");
	FIRES("mark-malformed", 8);
	SILENT("portion-above-banner");
}
END_TEST

START_TEST(banner_above_portions)
{
	run(HEAD("SECRET") "1. (C) Only confidential.\n\n2. (U) And this.\n");
	FIRES("banner-above-portions", 1);
	ck_assert_int_eq(find("banner-above-portions", 1)->sev, TL_SEV_WARNING);
	run(HEAD("SECRET") "1. (S) Secret.\n\n2. (C) Confidential.\n");
	SILENT("banner-above-portions");
	/* An unmarked paragraph may be what the banner is for. */
	run(HEAD("SECRET") "1. (C) Marked.\n\n2. Unmarked.\n");
	SILENT("banner-above-portions");
	FIRES("portion-unmarked", 10);
}
END_TEST

START_TEST(banner_missing)
{
	run("SUBJECT: (U) TALKS\n\n1. (S) Secret without a banner.\n");
	FIRES("banner-missing", 3);
	run("SUBJECT: (U) TALKS\n\n1. (U) Nothing classified.\n");
	SILENT("banner-missing");
}
END_TEST

START_TEST(document_unmarked)
{
	run("A Headline\n\nSome text of an article. It goes on.\n\nMore text.\n");
	FIRES("document-unmarked", 1);
	ck_assert_int_eq(find("document-unmarked", 1)->sev, TL_SEV_NOTE);
	SILENT("portion-unmarked");
	SILENT("portion-unmarked-heading");
	run("SUBJECT: (U) TALKS\n\n1. (U) Marked.\n");
	SILENT("document-unmarked");
}
END_TEST

START_TEST(control_missing_from_banner)
{
	const found *f;

	run(HEAD("SECRET") "1. (S/NF) Noforn.\n\n2. (C//OC) Orcon.\n");
	ck_assert_uint_eq(count("banner-control-missing"), 2);
	f = find("banner-control-missing", 1);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->msg, "NOFORN"));
	ck_assert_ptr_nonnull(strstr(f->msg, "line 8"));
	ck_assert_int_eq(f->sev, TL_SEV_ERROR);
	run(HEAD("SECRET//ORCON/NOFORN") "1. (S/NF) Noforn.\n\n2. (C//OC) Orcon.\n");
	SILENT("banner-control-missing");
	/* NODIS on the banner implies NOFORN. */
	run(HEAD("SECRET") "NODIS\n\n1. (S/NF) Noforn.\n");
	SILENT("banner-control-missing");
	/* SBU rolls up in an unclassified document only. */
	run(HEAD("UNCLASSIFIED") "1. (SBU) Sensitive.\n");
	FIRES("banner-control-missing", 1);
	run(HEAD("UNCLAS") "SENSITIVE\n\n1. (SBU) Sensitive.\n");
	SILENT("banner-control-missing");
	run(HEAD("SECRET") "1. (S) Secret.\n\n2. (SBU) Sensitive.\n");
	SILENT("banner-control-missing");
	/* FGI and compartments too. */
	run(HEAD("TOP SECRET//SI//NOFORN") "1. (TS//SI-G//NF) G.\n\n"
	    "2. (S//FGI//NF) F.\n");
	ck_assert_uint_eq(count("banner-control-missing"), 2);
}
END_TEST

START_TEST(banner_control_unbacked)
{
	run(HEAD("SECRET//NOFORN") "1. (S) Secret.\n");
	FIRES("banner-control-unbacked", 1);
	ck_assert_int_eq(find("banner-control-unbacked", 1)->sev,
	    TL_SEV_WARNING);
	run(HEAD("SECRET//NOFORN") "1. (S//NF) Secret.\n");
	SILENT("banner-control-unbacked");
	/* Distribution captions bind the cable; portions do not repeat them. */
	run(HEAD("SECRET") "NODIS\n\n1. (S/NF) Secret.\n");
	SILENT("banner-control-unbacked");
	run(HEAD("UNCLAS") "SENSITIVE\n\n1. (U) Plain.\n");
	FIRES("banner-control-unbacked", 1);
}
END_TEST

START_TEST(banner_relto)
{
	const found *f;

	/* Wider than the intersection: a spill to AUS. */
	run(HEAD("SECRET//REL TO USA, AUS, GBR")
	    "1. (S//REL TO USA, GBR) One.\n\n2. (S//REL TO USA, AUS, GBR) Two.\n");
	f = find("banner-relto-wider", 1);
	if (f == NULL)
		dump();
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->msg, "AUS"));
	run(HEAD("SECRET//REL TO USA, GBR")
	    "1. (S//REL TO USA, GBR) One.\n\n2. (S//REL TO USA, AUS, GBR) Two.\n");
	SILENT("banner-relto-wider");
	SILENT("banner-relto-narrower");
	/* A NOFORN portion, or a classified portion without REL TO, forbids
	 * a banner REL TO. */
	run(HEAD("SECRET//REL TO USA, GBR")
	    "1. (S//REL TO USA, GBR) One.\n\n2. (S//NF) Two.\n");
	FIRES("banner-relto-wider", 1);
	run(HEAD("SECRET//REL TO USA, GBR")
	    "1. (S//REL TO USA, GBR) One.\n\n2. (C) Two.\n");
	FIRES("banner-relto-wider", 1);
	/* Unclassified portions do not constrain it. */
	run(HEAD("SECRET//REL TO USA, GBR")
	    "1. (S//REL TO USA, GBR) One.\n\n2. (U) Two.\n");
	SILENT("banner-relto-wider");
	/* Narrower: a warning. */
	run(HEAD("SECRET//REL TO USA, GBR")
	    "1. (S//REL TO USA, AUS, GBR) One.\n");
	FIRES("banner-relto-narrower", 1);
	ck_assert_int_eq(find("banner-relto-narrower", 1)->sev, TL_SEV_WARNING);
	run(HEAD("SECRET") "1. (S//REL TO USA, GBR) One.\n");
	FIRES("banner-relto-narrower", 1);
	/* Groups expand: FVEY is AUS CAN GBR NZL (and USA). */
	run(HEAD("SECRET//REL TO USA, AUS, CAN, GBR, NZL")
	    "1. (S//REL TO USA, FVEY) One.\n");
	SILENT("banner-relto-wider");
	SILENT("banner-relto-narrower");
	/* The cable form names GBR without USA. */
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S/REL UK) One.\n");
	SILENT("banner-relto-wider");
	SILENT("banner-relto-narrower");
}
END_TEST

START_TEST(routing_mismatch)
{
	run(DATED("ZNY CCCCC ZZH", "S E C R E T LONDON 004327", "11/18/2027")
	    "1. (S) First.\n");
	FIRES("routing-mismatch", 2);
	ck_assert_uint_eq(find("routing-mismatch", 2)->col, 5);
	run(DATED("ZNY SSSSS ZZH", "S E C R E T LONDON 004327", "11/18/2027")
	    "1. (S) First.\n");
	SILENT("routing-mismatch");
	run("VZCZCXYZ0001\nZNR UUUUU ZZH\nR 211601Z NOV 07\n\nUNCLAS ROME 000001\n"
	    "\nSENSITIVE\n\nE.O. 12958: N/A\nSUBJECT: (SBU) X\n\n1. (SBU) Y.\n");
	SILENT("routing-mismatch");
	NOTHING();
}
END_TEST

START_TEST(closing_banner_mismatch)
{
	run(HEAD("SECRET") "1. (S) First.\n\nCONFIDENTIAL\n");
	FIRES("banner-closing-mismatch", 10);
	run(HEAD("SECRET") "1. (S) First.\n\nSECRET\n");
	SILENT("banner-closing-mismatch");
}
END_TEST

START_TEST(banner_damaged)
{
	run(HEAD("SS E C R E T ROME 000001") "1. (S) First.\n");
	FIRES("banner-damaged", 1);
	run(HEAD("S E C R E T ROME 000001") "1. (S) First.\n");
	SILENT("banner-damaged");
}
END_TEST

/* ---- per portion -------------------------------------------------------- */

START_TEST(noforn_with_relto)
{
	run(HEAD("CONFIDENTIAL//NOFORN") "1. (C/NF/REL LIBYA) Both.\n");
	FIRES("noforn-relto", 8);
	ck_assert_int_eq(find("noforn-relto", 8)->sev, TL_SEV_ERROR);
	run(HEAD("CONFIDENTIAL//NOFORN") "1. (C/NF) Only NOFORN.\n");
	SILENT("noforn-relto");
	/* On the banner. */
	run(HEAD("SECRET//NOFORN/REL TO USA, GBR") "1. (S//REL TO USA, GBR) X.\n");
	FIRES("noforn-relto", 1);
	/* NODIS implies NOFORN. */
	run(HEAD("SECRET//NODIS") "1. (S//NODIS/REL TO USA, GBR) X.\n");
	FIRES("noforn-relto", 8);
}
END_TEST

START_TEST(nodis_with_exdis)
{
	run(HEAD("SECRET") "NODIS\nEXDIS\n\n1. (S/NODIS/EXDIS) Both.\n");
	FIRES("nodis-exdis", 11);
	FIRES("nodis-exdis", 1);
	run(HEAD("SECRET") "NODIS\n\n1. (S/NODIS) One.\n");
	SILENT("nodis-exdis");
}
END_TEST

START_TEST(relto_order_and_form)
{
	const found *f;

	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO GBR, USA) Order.\n");
	f = find("relto-order", 8);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->msg, "REL TO USA, GBR"));
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO GBR) No USA.\n");
	FIRES("relto-order", 8);
	run(HEAD("SECRET//REL TO USA, GBR, FVEY")
	    "1. (S//REL TO USA, FVEY, GBR) Tetragraph first.\n");
	FIRES("relto-order", 8);
	run(HEAD("SECRET//REL TO USA, AUS, GBR, FVEY")
	    "1. (S//REL TO USA, AUS, GBR, FVEY) Right.\n");
	SILENT("relto-order");
	/* Form: codes, not names. */
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO USA, UK) Name.\n");
	FIRES("relto-form", 8);
	ck_assert_ptr_nonnull(strstr(find("relto-form", 8)->msg, "\"UK\""));
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO USA, GBR) Code.\n");
	SILENT("relto-form");
	/* The cable form is accepted as written. */
	run(HEAD("SECRET") "1. (S/REL UK) Cable form.\n");
	SILENT("relto-form");
	SILENT("relto-order");
	/* REL TO USA alone. */
	run(HEAD("SECRET//NOFORN") "1. (S//REL TO USA) Alone.\n");
	FIRES("relto-usa-only", 8);
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO USA, GBR) Not alone.\n");
	SILENT("relto-usa-only");
}
END_TEST

START_TEST(unknown_tokens_and_duplicates)
{
	run(HEAD("SECRET") "1. (S/XYZZY) Unknown control.\n");
	FIRES("mark-unknown-token", 8);
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO USA, NARNIA) "
	    "Unknown country.\n");
	FIRES("mark-unknown-token", 8);
	run(HEAD("SECRET//NOFORN") "1. (S//NF) Known.\n");
	SILENT("mark-unknown-token");
	run(HEAD("SECRET//NOFORN") "1. (S//NF/NOFORN) Twice.\n");
	FIRES("control-duplicate", 8);
	run(HEAD("SECRET//REL TO USA, GBR") "1. (S//REL TO USA, GBR, GBR) "
	    "Twice.\n");
	FIRES("control-duplicate", 8);
	run(HEAD("SECRET//NOFORN") "1. (S//NF) Once.\n");
	SILENT("control-duplicate");
}
END_TEST

START_TEST(unclassified_only_controls)
{
	run(HEAD("CONFIDENTIAL") "1. (C//FOUO) Both.\n");
	FIRES("unclass-control-classified", 8);
	run(HEAD("SECRET") "1. (S) X.\n\n2. (U//FOUO) Fine.\n");
	SILENT("unclass-control-classified");
	/* "SENSITIVE" on a classified banner. */
	run(HEAD("SECRET") "SENSITIVE\n\n1. (S) X.\n");
	FIRES("unclass-control-classified", 1);
}
END_TEST

START_TEST(classified_only_controls)
{
	run(HEAD("UNCLASSIFIED//ORCON") "1. (U//ORCON) Orcon on U.\n");
	FIRES("control-below-confidential", 8);
	FIRES("control-below-confidential", 1);
	run(HEAD("UNCLASSIFIED//FGI") "1. (U//FGI) FGI on U.\n");
	FIRES("control-below-confidential", 8);
	run(HEAD("CONFIDENTIAL//ORCON") "1. (C//OC) Fine.\n");
	SILENT("control-below-confidential");
}
END_TEST

START_TEST(deprecated_control)
{
	run(HEAD("UNCLASSIFIED//LOU") "1. (U//LOU) Old.\n");
	FIRES("control-deprecated", 8);
	run(HEAD("UNCLASSIFIED//SBU") "1. (U//SBU) New.\n");
	SILENT("control-deprecated");
}
END_TEST

/* ---- unmarked portions -------------------------------------------------- */

START_TEST(unmarked_portions)
{
	const found *f;

	run(HEAD("SECRET") "1. (S) Marked.\n\n2. Unmarked paragraph.\n");
	f = find("portion-unmarked", 10);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->sev, TL_SEV_ERROR);
	ck_assert_uint_eq(f->col, 1);
	run(HEAD("UNCLASSIFIED") "1. (U) Marked.\n\n2. Unmarked paragraph.\n");
	SILENT("portion-unmarked");
	/* Bullets: a warning of their own rule. */
	run(HEAD("SECRET") "1. (S) Marked:\n\n-- an unmarked bullet;\n\n"
	    "2. (S) Marked.\n");
	FIRES("portion-unmarked-item", 10);
	SILENT("portion-unmarked");
}
END_TEST

START_TEST(unmarked_subject)
{
	run("SECRET\n\nSUBJECT: TALKS\n\n1. (S) Text.\n");
	FIRES("subject-unmarked", 3);
	ck_assert_int_eq(find("subject-unmarked", 3)->sev, TL_SEV_ERROR);
	run("SECRET\n\nSUBJECT: (U) TALKS\n\n1. (S) Text.\n");
	SILENT("subject-unmarked");
	/* An old cable's ENTIRE TEXT line covers the subject, even after it. */
	run("C O N F I D E N T I A L ROME 000001\n\nSUBJECT: TALKS\n\n"
	    "CONFIDENTIAL - ENTIRE TEXT\n\n1. TEXT.\n");
	SILENT("subject-unmarked");
	SILENT("portion-unmarked");
}
END_TEST

START_TEST(unmarked_headings_and_trailers)
{
	run(HEAD("SECRET") "Summary\n\n1. (S) Text.\n\nTerrorism\n\n"
	    "2. (S) Text.\n\nAmbassador Smith\n");
	FIRES("portion-unmarked-heading", 8);
	FIRES("portion-unmarked-heading", 12);
	ck_assert_int_eq(find("portion-unmarked-heading", 8)->sev,
	    TL_SEV_WARNING);
	/* The signature after the last marked portion. */
	ck_assert(find("portion-unmarked-heading", 16) ||
	    find("portion-unmarked-trailer", 16));
	SILENT("portion-unmarked");
	/* Unmarked text followed by a marked paragraph is not a trailer. */
	run(HEAD("SECRET") "1. (S) Text.\n\nAn unmarked paragraph that says "
	    "something.\n\n2. (S) Text.\n\nSignature.\n");
	FIRES("portion-unmarked", 10);
	FIRES("portion-unmarked-trailer", 14);
	ck_assert_uint_eq(count("portion-unmarked"), 1);
	/* A long unmarked text is content, not a signature. */
	run(HEAD("SECRET") "1. (S) Text.\n\nOne line,\ntwo lines,\nthree "
	    "lines,\nfour lines.\n");
	FIRES("portion-unmarked", 10);
	SILENT("portion-unmarked-trailer");
	/* Headings in an unclassified document are fine. */
	run(HEAD("UNCLASSIFIED") "Summary\n\n1. (U) Text.\n");
	SILENT("portion-unmarked-heading");
}
END_TEST

START_TEST(undecided_until_classified)
{
	/* No banner: the unmarked paragraph before the first classified
	 * portion is reported once the document turns out classified. */
	run("SUBJECT: TALKS\n\n1. Unmarked.\n\n2. (S) Secret.\n");
	FIRES("portion-unmarked", 3);
	FIRES("subject-unmarked", 1);
	FIRES("banner-missing", 5);
	run("SUBJECT: TALKS\n\n1. Unmarked.\n\n2. (U) Plain.\n");
	SILENT("portion-unmarked");
	SILENT("subject-unmarked");
}
END_TEST

START_TEST(malformed_mark)
{
	const found *f;

	run(HEAD("SECRET") "1. (SNF) Bad.\n");
	f = find("mark-malformed", 8);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->col, 4);
	ck_assert_int_eq(f->sev, TL_SEV_ERROR);
	SILENT("portion-unmarked");
	run(HEAD("SECRET") "1. (S/NF) Good.\n");
	SILENT("mark-malformed");
}
END_TEST

/* ---- authority ---------------------------------------------------------- */

START_TEST(authority_block)
{
	run("SECRET\n\nE.O. 13526: DECL: 01/02/2030\nSUBJECT: (U) X\n\n"
	    "1. (S) Text.\n");
	FIRES("authority-missing", 1);
	run("SECRET\n\nE.O. 13526: DECL: 01/02/2030\nSUBJECT: (U) X\n\n"
	    "Classified By: DCM A. Person\n\n1. (S) Text.\n");
	FIRES("reason-missing", 6);
	SILENT("authority-missing");
	/* Derived From needs no reason. */
	run("SECRET\n\nE.O. 13526: DECL: 01/02/2030\nSUBJECT: (U) X\n\n"
	    "Derived From: STATE 123456\n\n1. (S) Text.\n");
	SILENT("reason-missing");
	SILENT("authority-missing");
	run(HEAD("SECRET") "1. (S) Text.\n");
	SILENT("authority-missing");
	SILENT("reason-missing");
}
END_TEST

START_TEST(reasons)
{
	run("SECRET\n\nE.O. 13526: DECL: 01/02/2030\nSUBJECT: (U) X\n\n"
	    "Classified By: DCM A. Person, reasons 1.4 (j)\n\n1. (S) Text.\n");
	FIRES("reason-invalid", 6);
	/* 1.5 is the numbering of cables before 2003 ... */
	run("VZCZCXYZ0001\nR 211601Z NOV 02\n\nSECRET\n\n"
	    "E.O. 12958: DECL: 01/02/2012\nSUBJECT: (U) X\n\n"
	    "Classified By: DCM A. Person, REASON: 1.5 (D)\n\n1. (S) Text.\n");
	SILENT("reason-invalid");
	/* ... but not of later ones, and 1.5 had no (h). */
	run("VZCZCXYZ0001\nR 211601Z NOV 07\n\nSECRET\n\n"
	    "E.O. 12958: DECL: 01/02/2017\nSUBJECT: (U) X\n\n"
	    "Classified By: DCM A. Person, REASON: 1.5 (D)\n\n1. (S) Text.\n");
	FIRES("reason-invalid", 9);
	run("VZCZCXYZ0001\nR 211601Z NOV 02\n\nSECRET\n\n"
	    "E.O. 12958: DECL: 01/02/2012\nSUBJECT: (U) X\n\n"
	    "Classified By: DCM A. Person, REASON: 1.5 (H)\n\n1. (S) Text.\n");
	FIRES("reason-invalid", 9);
	run(HEAD("SECRET") "1. (S) Text.\n");
	SILENT("reason-invalid");
}
END_TEST

START_TEST(declassification)
{
	const found *f;

	run("SECRET\n\nSUBJECT: (U) X\n\nClassified By: A, reasons 1.4 (b)\n\n"
	    "1. (S) Text.\n");
	FIRES("declass-missing", 1);
	run("SECRET\n\nE.O. 12958: N/A\nSUBJECT: (U) X\n\nClassified By: A, "
	    "reasons 1.4 (b)\n\n1. (S) Text.\n");
	FIRES("declass-missing", 3);
	run(DATED("ZNY SSSSS ZZH", "SECRET", "02/30/2018") "1. (S) Text.\n");
	FIRES("declass-date-invalid", 7);
	run(DATED("ZNY SSSSS ZZH", "SECRET", "11/20/2006") "1. (S) Text.\n");
	f = find("declass-early", 7);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->msg, "2006-11-20"));
	ck_assert_ptr_nonnull(strstr(f->msg, "2007-11-21"));
	run(DATED("ZNY SSSSS ZZH", "SECRET", "11/22/2032") "1. (S) Text.\n");
	FIRES("declass-late", 7);
	/* 25 years to the day is allowed; an exemption lifts the limit; an
	 * event is not a date. */
	run(DATED("ZNY SSSSS ZZH", "SECRET", "11/21/2032") "1. (S) Text.\n");
	NOTHING();
	run(DATED("ZNY SSSSS ZZH", "SECRET", "25X1") "1. (S) Text.\n");
	NOTHING();
	run(DATED("ZNY SSSSS ZZH", "SECRET", "1.6X1, 1.6X6") "1. (S) Text.\n");
	NOTHING();
	run(DATED("ZNY SSSSS ZZH", "SECRET", "END OF TALKS") "1. (S) Text.\n");
	NOTHING();
}
END_TEST

START_TEST(unclassified_authority)
{
	run("UNCLAS ROME 000001\n\nE.O. 12958: N/A\nSUBJECT: (U) X\n\n"
	    "Classified By: A, reasons 1.4 (b)\n\n1. (U) Text.\n");
	FIRES("authority-unclassified", 6);
	ck_assert_int_eq(find("authority-unclassified", 6)->sev,
	    TL_SEV_WARNING);
	run("UNCLAS ROME 000001\n\nE.O. 12958: DECL: 01/01/2020\nSUBJECT: (U) X"
	    "\n\n1. (U) Text.\n");
	FIRES("authority-unclassified", 3);
	run("UNCLAS ROME 000001\n\nE.O. 12958: N/A\nSUBJECT: (U) X\n\n"
	    "1. (U) Text.\n");
	NOTHING();
}
END_TEST

START_TEST(uk_scheme_has_no_us_authority)
{
	run("SECRET UK EYES ONLY\n\nSUBJECT: (OFFICIAL-SENSITIVE) X\n\n"
	    "1. (SECRET UK EYES ONLY) Text.\n\n2. (OFFICIAL) More.\n");
	SILENT("authority-missing");
	SILENT("declass-missing");
	SILENT("portion-above-banner");
}
END_TEST

START_TEST(parser_diagnostics)
{
	run("SECRET\r\n\r\nE.O. 13526: DECL: 01/02/2030\r\nSUBJECT: (U) X\r\n"
	    "\r\nClassified By: A, reasons 1.4 (b)\r\n\r\n1. (S) Text.\r\n");
	FIRES("input-crlf", 1);
	ck_assert_int_eq(find("input-crlf", 1)->sev, TL_SEV_NOTE);
	run("");
	FIRES("input-empty", 0);
	{
		static const char nul[] = "SECRET\n\n1. (S) A\0B.\n";
		tl_audit *a = tl_audit_new(collect, &G);
		tl_parser *p = tl_parser_new("doc.txt", tl_audit_event, a);
		memset(&G, 0, sizeof G);
		ck_assert_int_eq(tl_parser_feed(p, nul, sizeof nul - 1), TL_OK);
		ck_assert_int_eq(tl_parser_finish(p), TL_OK);
		tl_parser_free(p);
		tl_audit_free(a);
		FIRES("input-nul", 3);
	}
}
END_TEST

/* ---- settings ----------------------------------------------------------- */

START_TEST(rule_settings)
{
	tl_audit *a = tl_audit_new(collect, &G);
	tl_severity sev;
	long i = tl_audit_rule_find("portion-unmarked-heading");

	ck_assert_ptr_nonnull(a);
	ck_assert(tl_audit_rule_get(a, (size_t)i, &sev));
	ck_assert_int_eq(sev, TL_SEV_WARNING);
	ck_assert_int_eq(tl_audit_rule_set(a, "no-such-rule", true,
	    TL_SEV_ERROR), TL_ENOTFOUND);
	ck_assert_int_eq(tl_audit_rule_set(a, "portion-unmarked-heading", true,
	    TL_SEV_ERROR), TL_OK);
	run_with(a, HEAD("SECRET") "Summary\n\n1. (S) Text.\n", 0);
	ck_assert_int_eq(find("portion-unmarked-heading", 8)->sev, TL_SEV_ERROR);
	ck_assert_uint_eq(tl_audit_count(a, TL_SEV_ERROR), 1);
	ck_assert_int_eq(tl_audit_rule_set(a, "portion-unmarked-heading", false,
	    TL_SEV_ERROR), TL_OK);
	ck_assert(!tl_audit_rule_get(a, (size_t)i, NULL));
	run_with(a, HEAD("SECRET") "Summary\n\n1. (S) Text.\n", 0);
	NOTHING();
	ck_assert(!tl_audit_rule_get(a, tl_audit_rule_count(), NULL));
	tl_audit_free(a);
}
END_TEST

static unsigned
reversed(const void *ctx, const tl_marking *m)
{
	(void)ctx;
	/* The audit hands the ranker the level, not the written token. */
	ck_assert_str_eq(m->level_token, "");
	switch (m->level) {
	case TL_LEVEL_SECRET: return 1;
	case TL_LEVEL_CONFIDENTIAL: return 2;
	default: return 0;
	}
}

START_TEST(ranking_function)
{
	tl_audit *a = tl_audit_new(collect, &G);

	tl_audit_set_ranking(a, reversed, NULL);
	run_with(a, HEAD("SECRET") "1. (C) Ranked above SECRET here.\n", 0);
	FIRES("portion-above-banner", 8);
	tl_audit_set_ranking(a, NULL, NULL);
	run_with(a, HEAD("SECRET") "1. (C) Below.\n", 0);
	SILENT("portion-above-banner");
	tl_audit_free(a);
}
END_TEST

static unsigned
by_policy(const void *ctx, const tl_marking *m)
{
	return tl_policy_level_rank(ctx, m);
}

START_TEST(policy_settings)
{
	static const char yaml[] =
	    "tearline-policy: 1\nname: t\nlevels:\n"
	    "  - {name: UNCLASSIFIED, aliases: [U, UNCLAS]}\n"
	    "  - {name: SBU}\n"
	    "  - {name: CONFIDENTIAL, aliases: [C]}\n"
	    "  - {name: SECRET, aliases: [S]}\n"
	    "audit:\n  portion-unmarked-heading: {severity: error}\n"
	    "  subject-unmarked: {enabled: false}\n";
	tl_policy *pol = NULL;
	tl_audit *a;
	tl_diag d;
	size_t i;

	if (tl_policy_load_buffer("t.yaml", yaml, sizeof yaml - 1, &pol, &d) !=
	    TL_OK)
		ck_abort_msg("policy: %s", d.message);
	a = tl_audit_new(collect, &G);
	for (i = 0; i < tl_audit_rule_count(); i++) {
		const tl_audit_rule *r = tl_audit_rule_at(i);
		bool en = true;
		tl_severity sev = r->severity;
		tl_policy_rule(pol, r->id, &en, &sev);
		tl_audit_rule_set(a, r->id, en, sev);
	}
	tl_audit_set_ranking(a, by_policy, pol);
	run_with(a, "SECRET\n\nSUBJECT: X\n\nSummary\n\n1. (S) Text.\n\n"
	    "2. (SBU) Sensitive: ranks as UNCLASSIFIED, not above it.\n", 0);
	ck_assert_int_eq(find("portion-unmarked-heading", 5)->sev, TL_SEV_ERROR);
	SILENT("subject-unmarked");
	SILENT("portion-above-banner");
	/* Under this policy SBU (a level) is not above an UNCLAS banner. */
	run_with(a, "UNCLAS ROME 000001\n\nSENSITIVE\n\nSUBJECT: (U) X\n\n"
	    "1. (SBU) Text.\n", 0);
	SILENT("portion-above-banner");
	tl_audit_free(a);
	tl_policy_free(pol);
}
END_TEST

/* ---- streaming ---------------------------------------------------------- */

START_TEST(chunked_feeding_gives_the_same_findings)
{
	static const char doc[] = "VZCZCXYZ0001\nZNY CCCCC ZZH\n"
	    "R 211601Z NOV 07\n\nS E C R E T ROME 000001\n\nNOFORN\n\n"
	    "E.O. 12958: DECL: 11/20/2006\nSUBJECT: TALKS\n\n"
	    "Classified By: A, reasons 1.4 (j)\n\nSummary\n\n"
	    "1. (TS/NF) High.\n\n2. Unmarked.\n\n3. (C/NF/REL UK) Both.\n\n"
	    "4. (SNF) Bad.\n\nSignature\n";
	got whole;
	size_t chunk, i;

	run(doc);
	whole = G;
	ck_assert_uint_ge(whole.n, 8);
	for (chunk = 1; chunk <= 7; chunk += 3) {
		run_with(NULL, doc, chunk);
		ck_assert_uint_eq(G.n, whole.n);
		for (i = 0; i < G.n; i++) {
			ck_assert_str_eq(G.f[i].rule, whole.f[i].rule);
			ck_assert_uint_eq(G.f[i].line, whole.f[i].line);
			ck_assert_uint_eq(G.f[i].col, whole.f[i].col);
		}
	}
}
END_TEST

static unsigned long nfound;

static tl_status
count_only(void *ctx, const tl_finding *f)
{
	(void)ctx;
	(void)f;
	nfound++;
	return TL_OK;
}

/* Many documents through one audit, and a long one: the state is reset
 * at each end and nothing is kept per portion. */
START_TEST(one_audit_many_documents)
{
	tl_audit *a = tl_audit_new(count_only, NULL);
	tl_parser *p;
	static const char para[] = "1. Unmarked paragraph.\n\n";
	int d, k;

	for (d = 0; d < 3; d++) {
		nfound = 0;
		p = tl_parser_new("long.txt", tl_audit_event, a);
		ck_assert_int_eq(tl_parser_feed(p, HEAD("SECRET"),
		    strlen(HEAD("SECRET"))), TL_OK);
		for (k = 0; k < 20000; k++)
			ck_assert_int_eq(tl_parser_feed(p, para, sizeof para - 1),
			    TL_OK);
		ck_assert_int_eq(tl_parser_finish(p), TL_OK);
		tl_parser_free(p);
		/* 20000 unmarked paragraphs, and no banner-above warning. */
		ck_assert_uint_eq(nfound, 20000);
	}
	ck_assert_uint_eq(tl_audit_count(a, TL_SEV_ERROR), 60000);
	tl_audit_free(a);
}
END_TEST

static tl_status
stop_at_first(void *ctx, const tl_finding *f)
{
	(void)ctx;
	(void)f;
	return TL_EIO;
}

START_TEST(callback_status_stops_the_audit)
{
	tl_audit *a = tl_audit_new(stop_at_first, NULL);
	tl_parser *p = tl_parser_new("t", tl_audit_event, a);
	static const char doc[] = "SECRET\n\n1. Unmarked.\n\n2. Unmarked.\n";

	tl_status st = tl_parser_feed(p, doc, sizeof doc - 1);

	/* The first finding fails: the feed (or the finish) says so. */
	if (st == TL_OK)
		st = tl_parser_finish(p);
	ck_assert_int_eq(st, TL_EIO);
	tl_parser_free(p);
	tl_audit_free(a);
}
END_TEST

/* ---- writers ------------------------------------------------------------ */

typedef struct outbuf {
	char *s;
	size_t n;
} outbuf;

static tl_status
to_mem(void *ctx, const char *bytes, size_t len)
{
	outbuf *o = ctx;

	o->s = realloc(o->s, o->n + len + 1);
	ck_assert_ptr_nonnull(o->s);
	memcpy(o->s + o->n, bytes, len);
	o->n += len;
	o->s[o->n] = '\0';
	return TL_OK;
}

static tl_finding
finding(const char *file, const char *rule, unsigned long line,
    unsigned long col, const char *msg)
{
	tl_finding f;
	long i = tl_audit_rule_find(rule);

	ck_assert_int_ge(i, 0);
	memset(&f, 0, sizeof f);
	f.file = file;
	f.rule_index = (size_t)i;
	f.rule = tl_audit_rule_at((size_t)i);
	f.diag.severity = f.rule->severity;
	f.diag.line = line;
	f.diag.col = col;
	snprintf(f.diag.rule, sizeof f.diag.rule, "%s", rule);
	snprintf(f.diag.message, sizeof f.diag.message, "%s", msg);
	snprintf(f.diag.file, sizeof f.diag.file, "%s", file);
	return f;
}

static unsigned long
occurrences(const char *hay, const char *needle)
{
	unsigned long k = 0;
	const char *p;

	for (p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		k++;
	return k;
}

START_TEST(json_line)
{
	outbuf o = { NULL, 0 };
	tl_finding f = finding("a \"b\".txt", "portion-above-banner", 3, 4,
	    "portion marked (S) is SECRET");

	ck_assert_int_eq(tl_finding_write_json(&f, to_mem, &o), TL_OK);
	ck_assert_str_eq(o.s, "{\"file\":\"a \\\"b\\\".txt\",\"line\":3,"
	    "\"column\":4,\"severity\":\"error\",\"rule\":"
	    "\"portion-above-banner\",\"message\":\"portion marked (S) is "
	    "SECRET\",\"source\":\"ISM-ID-00056; 32 CFR 2001.21 (overall "
	    "marking)\"}\n");
	free(o.s);
	o.s = NULL;
	o.n = 0;
	f = finding("x", "input-empty", 0, 0, "empty document");
	ck_assert_int_eq(tl_finding_write_json(&f, to_mem, &o), TL_OK);
	ck_assert_ptr_nonnull(strstr(o.s, "\"line\":null,\"column\":null"));
	free(o.s);
}
END_TEST

START_TEST(sarif_log)
{
	tl_sarif *s = tl_sarif_new();
	outbuf o = { NULL, 0 };
	tl_finding f = finding("dir/a b.txt", "subject-unmarked", 24, 1,
	    "unmarked SUBJECT line");

	ck_assert_int_eq(tl_sarif_add(s, &f), TL_OK);
	ck_assert_int_eq(tl_sarif_write(s, NULL, to_mem, &o), TL_OK);
	ck_assert_ptr_nonnull(strstr(o.s, "\"version\":\"2.1.0\""));
	ck_assert_ptr_nonnull(strstr(o.s, "\"name\":\"tearline\""));
	ck_assert_ptr_nonnull(strstr(o.s, "\"uri\":\"dir/a%20b.txt\""));
	ck_assert_ptr_nonnull(strstr(o.s, "\"region\":{\"startLine\":24,"
	    "\"startColumn\":1}"));
	ck_assert_ptr_nonnull(strstr(o.s, "\"executionSuccessful\":true"));
	ck_assert_uint_eq(occurrences(o.s, "\"ruleId\""), 1);
	/* Every rule is listed, in table order. */
	ck_assert_uint_eq(occurrences(o.s, "\"shortDescription\""),
	    tl_audit_rule_count());
	ck_assert_int_eq(o.s[o.n - 1], '\n');
	free(o.s);
	tl_sarif_free(s);
}
END_TEST

START_TEST(sarif_caps_results_per_document)
{
	tl_sarif *s = tl_sarif_new();
	outbuf o = { NULL, 0 };
	tl_finding f;
	unsigned long i;

	for (i = 0; i < TL_SARIF_RESULTS_MAX + 50; i++) {
		f = finding("a.txt", "portion-unmarked", i + 1, 1, "unmarked");
		ck_assert_int_eq(tl_sarif_add(s, &f), TL_OK);
	}
	f = finding("b.txt", "portion-unmarked", 1, 1, "unmarked");
	ck_assert_int_eq(tl_sarif_add(s, &f), TL_OK);
	ck_assert_int_eq(tl_sarif_write(s, NULL, to_mem, &o), TL_OK);
	/* 10000 kept for a.txt, one note for the 50 left out, one for b. */
	ck_assert_uint_eq(occurrences(o.s, "\"ruleId\""),
	    TL_SARIF_RESULTS_MAX + 2);
	ck_assert_ptr_nonnull(strstr(o.s, "50 more findings"));
	free(o.s);
	tl_sarif_free(s);
}
END_TEST

START_TEST(sarif_failure)
{
	tl_sarif *s = tl_sarif_new();
	outbuf o = { NULL, 0 };

	ck_assert_int_eq(tl_sarif_add_failure(s, "gone.txt",
	    "gone.txt: No such file"), TL_OK);
	ck_assert_int_eq(tl_sarif_write(s, NULL, to_mem, &o), TL_OK);
	ck_assert_ptr_nonnull(strstr(o.s, "\"executionSuccessful\":false"));
	ck_assert_ptr_nonnull(strstr(o.s, "\"toolExecutionNotifications\""));
	ck_assert_ptr_nonnull(strstr(o.s, "\"results\":[]"));
	free(o.s);
	tl_sarif_free(s);
}
END_TEST

/* ---- the corpus and the seeds ------------------------------------------- */

typedef struct expect {
	const char *rule;
	unsigned long line;
	const char *word; /* in the message, or NULL */
} expect;

static void
audit_path(const char *path)
{
	tl_audit *a = tl_audit_new(collect, &G);
	tl_diag d;

	memset(&G, 0, sizeof G);
	ck_assert_int_eq(tl_audit_file(a, path, &d), TL_OK);
	tl_audit_free(a);
}

/* Every expected finding is there, and no error finding is not. */
static void
check_file(const char *path, const expect *want, size_t nwant,
    bool warnings_exact)
{
	size_t i, j;

	audit_path(path);
	for (j = 0; j < nwant; j++) {
		for (i = 0; i < G.n; i++)
			if (strcmp(G.f[i].rule, want[j].rule) == 0 &&
			    G.f[i].line == want[j].line && (want[j].word == NULL ||
			    strstr(G.f[i].msg, want[j].word)))
				break;
		if (i == G.n)
			dump();
		ck_assert_msg(i < G.n, "%s: %s at %lu (%s) not found", path,
		    want[j].rule, want[j].line, want[j].word ? want[j].word : "");
	}
	for (i = 0; i < G.n; i++) {
		if (G.f[i].sev != TL_SEV_ERROR && !warnings_exact)
			continue;
		for (j = 0; j < nwant; j++)
			if (strcmp(G.f[i].rule, want[j].rule) == 0 &&
			    G.f[i].line == want[j].line)
				break;
		if (j == nwant)
			dump();
		ck_assert_msg(j < nwant, "%s: unexpected %s at %lu: %s", path,
		    G.f[i].rule, G.f[i].line, G.f[i].msg);
	}
}

#define CHECK(path, arr, exact) check_file(path, arr, sizeof arr / sizeof arr[0], exact)

START_TEST(corpus_clean_files)
{
	static const char *const clean[] = {
		"corpus/cable-ottawa-2012-secret.txt",
		"corpus/cable-london-2010-secret.txt",
		"corpus/cable-canberra-2013-confidential.txt",
		"corpus/cable-tbilisi-2006-unclassified.txt",
		"corpus/cable-paris-2008-unclassified.txt",
	};
	size_t i;

	for (i = 0; i < sizeof clean / sizeof clean[0]; i++) {
		audit_path(clean[i]);
		if (G.n)
			fprintf(stderr, "%s:\n", clean[i]);
		NOTHING();
	}
}
END_TEST

START_TEST(corpus_mistakes)
{
	static const expect tripoli[] = {
		{ "subject-unmarked", 21, NULL },
		{ "portion-above-banner", 49, NULL },
		{ "portion-unmarked", 54, NULL },
		{ "noforn-relto", 58, NULL },
	};
	static const expect baghdad[] = {
		{ "routing-mismatch", 5, "CCCCC" },
		{ "declass-early", 17, "2006-08-09" },
		{ "relto-order", 58, NULL },
		{ "relto-usa-only", 62, NULL },
	};
	static const expect berlin[] = {
		{ "banner-damaged", 14, NULL },
		{ "declass-late", 19, NULL },
		{ "unclass-control-classified", 40, "FOUO" },
		{ "control-below-confidential", 49, "ORCON" },
		/* The ORCON of line 49 is then not on the banner either. */
		{ "banner-control-missing", 14, "ORCON" },
	};
	static const expect kabul[] = {
		{ "banner-control-unbacked", 11, "SBU" },
		{ "authority-unclassified", 20, NULL },
	};
	static const expect washington[] = {
		{ "authority-missing", 7, NULL },
		{ "banner-control-missing", 7, "ORCON" },
		{ "banner-control-missing", 7, "SI-G" },
		{ "banner-control-missing", 7, "FGI" },
	};
	static const expect islamabad[] = {
		{ "banner-damaged", 14, NULL },
		{ "declass-date-invalid", 19, "02/30/2018" },
		{ "mark-malformed", 26, NULL },
		{ "mark-malformed", 37, NULL },
		{ "mark-malformed", 43, NULL },
		{ "mark-malformed", 59, NULL },
		{ "mark-malformed", 63, NULL },
	};
	static const expect riyadh[] = {
		{ "reason-invalid", 23, "1.4(j)" },
		{ "nodis-exdis", 46, NULL },
		/* Neither caption is on the banner. */
		{ "banner-control-missing", 13, "NODIS" },
		{ "banner-control-missing", 13, "EXDIS" },
	};

	CHECK("corpus/cable-tripoli-2008-confidential.txt", tripoli, false);
	CHECK("corpus/cable-baghdad-2007-secret.txt", baghdad, false);
	CHECK("corpus/cable-berlin-2009-secret.txt", berlin, false);
	CHECK("corpus/cable-kabul-2010-unclassified.txt", kabul, true);
	CHECK("corpus/cable-washington-2013-topsecret.txt", washington, false);
	CHECK("corpus/cable-islamabad-2008-secret.txt", islamabad, false);
	CHECK("corpus/cable-riyadh-2009-secret.txt", riyadh, false);
}
END_TEST

START_TEST(corpus_other_files)
{
	static const expect asuncion[] = {
		/* ENTIRE TEXT: no unmarked-portion findings; 1.5 in 2002. */
		{ "authority-run-in", 20, NULL },
	};
	static const expect ankara[] = {
		/* UK rules: no E.O. authority block expected. */
		{ "portion-unmarked-heading", 12, NULL },
		{ "portion-unmarked-heading", 19, NULL },
		{ "portion-unmarked-heading", 43, NULL },
	};
	static const expect news[] = {
		{ "document-unmarked", 1, NULL },
	};

	CHECK("corpus/cable-asuncion-2002-confidential.txt", asuncion, true);
	CHECK("corpus/cable-ankara-2016-secret.txt", ankara, false);
	CHECK("corpus/news-2008-unmarked.txt", news, true);
}
END_TEST

START_TEST(seed_london_2007)
{
	static const expect want[] = {
		{ "subject-unmarked", 24, NULL },
		{ "portion-unmarked-heading", 31, NULL },
		{ "portion-unmarked-heading", 38, NULL },
		{ "portion-unmarked-heading", 42, NULL },
		{ "portion-unmarked-heading", 48, NULL },
		{ "portion-unmarked-heading", 59, NULL },
		{ "portion-unmarked-heading", 75, NULL },
		{ "portion-unmarked-heading", 83, NULL },
		{ "portion-unmarked-trailer", 85, NULL },
	};
	const char *path = tlcheck_shared("corpus/seeds/cable-london-2007-secret.txt");

	if (path == NULL)
		return;
	/* Consistent roll-up: exactly these, nothing about the banner. */
	CHECK(path, want, true);
}
END_TEST

START_TEST(seed_london_2009)
{
	static const expect want[] = {
		{ "subject-unmarked", 27, NULL },
	};
	const char *path = tlcheck_shared(
	    "corpus/seeds/cable-london-2009-confidential.txt");

	if (path == NULL)
		return;
	CHECK(path, want, true);
}
END_TEST

START_TEST(seed_news)
{
	const char *path = tlcheck_shared("corpus/seeds/news-2007-unmarked.txt");
	size_t i;

	if (path == NULL)
		return;
	audit_path(path);
	for (i = 0; i < G.n; i++)
		ck_assert_msg(G.f[i].sev != TL_SEV_ERROR, "error %s", G.f[i].rule);
	FIRES("document-unmarked", 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("audit");
	TCase *t = tcase_create("rules");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, table_is_complete);
	tcase_add_test(t, clean_document_has_no_findings);
	tcase_add_test(t, free_null);
	tcase_add_test(t, portion_above_banner);
	tcase_add_test(t, banner_above_portions);
	tcase_add_test(t, banner_missing);
	tcase_add_test(t, document_unmarked);
	tcase_add_test(t, control_missing_from_banner);
	tcase_add_test(t, banner_control_unbacked);
	tcase_add_test(t, banner_relto);
	tcase_add_test(t, routing_mismatch);
	tcase_add_test(t, closing_banner_mismatch);
	tcase_add_test(t, banner_damaged);
	tcase_add_test(t, noforn_with_relto);
	tcase_add_test(t, nodis_with_exdis);
	tcase_add_test(t, relto_order_and_form);
	tcase_add_test(t, unknown_tokens_and_duplicates);
	tcase_add_test(t, unclassified_only_controls);
	tcase_add_test(t, classified_only_controls);
	tcase_add_test(t, deprecated_control);
	tcase_add_test(t, unmarked_portions);
	tcase_add_test(t, unmarked_subject);
	tcase_add_test(t, unmarked_headings_and_trailers);
	tcase_add_test(t, undecided_until_classified);
	tcase_add_test(t, malformed_mark);
	tcase_add_test(t, authority_block);
	tcase_add_test(t, reasons);
	tcase_add_test(t, declassification);
	tcase_add_test(t, unclassified_authority);
	tcase_add_test(t, uk_scheme_has_no_us_authority);
	tcase_add_test(t, parser_diagnostics);
	suite_add_tcase(s, t);

	t = tcase_create("settings");
	tcase_add_test(t, rule_settings);
	tcase_add_test(t, ranking_function);
	tcase_add_test(t, policy_settings);
	suite_add_tcase(s, t);

	t = tcase_create("streaming");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, chunked_feeding_gives_the_same_findings);
	tcase_add_test(t, one_audit_many_documents);
	tcase_add_test(t, callback_status_stops_the_audit);
	suite_add_tcase(s, t);

	t = tcase_create("writers");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, json_line);
	tcase_add_test(t, sarif_log);
	tcase_add_test(t, sarif_caps_results_per_document);
	tcase_add_test(t, sarif_failure);
	suite_add_tcase(s, t);

	t = tcase_create("corpus");
	tcase_add_test(t, corpus_clean_files);
	tcase_add_test(t, corpus_mistakes);
	tcase_add_test(t, corpus_other_files);
	tcase_add_test(t, seed_london_2007);
	tcase_add_test(t, seed_london_2009);
	tcase_add_test(t, seed_news);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
