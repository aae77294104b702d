/*
 * test_parse.c: the document parser: header forms, banners, portion
 * leads and extents, malformed marks, bad input, and the seeds.
 */
#include "tlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tlcheck_doc D;

static void
parse_str(const char *text)
{
	tlcheck_doc_free(&D);
	tlcheck_parse(&D, "t.txt", text, strlen(text), 0);
}

static const tl_portion *
portion_at_line(unsigned long line)
{
	return tlcheck_portion_at(&D, line);
}

static void
teardown(void)
{
	tlcheck_doc_free(&D);
}

/* ---- banners ---------------------------------------------------------- */

START_TEST(banner_spaced_with_station)
{
	parse_str("S E C R E T LONDON 004327\n\nNOFORN\nSIPDIS\n\n1. (S/NF) Text.\n");
	ck_assert_uint_eq(D.info.banner.line, 1);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert(D.info.banner.spaced);
	ck_assert(!D.info.banner.damaged);
	ck_assert_str_eq(D.info.banner.tail, "LONDON 004327");
	ck_assert(tl_marking_has(&D.info.banner.marking, "NOFORN"));
	ck_assert(!tl_marking_has(&D.info.banner.marking, "SIPDIS"));
	ck_assert(D.info.sipdis);
	ck_assert_int_eq(D.roles[2], TL_LINE_CONTROL);
	ck_assert_int_eq(D.roles[3], TL_LINE_CONTROL);
	ck_assert_uint_eq(D.ndiags, 0);
}
END_TEST

START_TEST(banner_forms)
{
	static const struct {
		const char *line;
		tl_level level;
		const char *control;
		bool damaged;
	} t[] = {
		{ "C O N F I D E N T I A L SECTION 01 OF 03 TRIPOLI 000220", TL_LEVEL_CONFIDENTIAL, NULL, false },
		{ "UNCLAS SECTION 01 OF 06 TBILISI 002290", TL_LEVEL_UNCLASSIFIED, NULL, false },
		{ "SECRET//NOFORN", TL_LEVEL_SECRET, "NOFORN", false },
		{ "TOP SECRET//SI//NOFORN", TL_LEVEL_TOP_SECRET, "SI", false },
		{ "CONFIDENTIAL", TL_LEVEL_CONFIDENTIAL, NULL, false },
		{ "SENSITIVE BUT UNCLASSIFIED", TL_LEVEL_UNCLASSIFIED, "SBU", false },
		{ "LIMITED OFFICIAL USE", TL_LEVEL_UNCLASSIFIED, "SBU", false },
		{ "T O P S E C R E T KABUL 000123", TL_LEVEL_TOP_SECRET, NULL, false },
		{ "SS E C R E T ROME 000412", TL_LEVEL_SECRET, NULL, true },
		{ "E C R E T ROME 000412", TL_LEVEL_SECRET, NULL, true },
		{ "UUNCLAS MADRID 001200", TL_LEVEL_UNCLASSIFIED, NULL, true },
		{ "S e c r e t berlin 001068", TL_LEVEL_SECRET, NULL, true },
		{ "OFFICIAL-SENSITIVE", TL_LEVEL_OFFICIAL_SENSITIVE, NULL, false },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "%s\n\n1. (U) Text.\n", t[i].line);
		parse_str(doc);
		ck_assert_msg(D.info.banner.line == 1, "no banner in \"%s\"", t[i].line);
		ck_assert_msg(D.info.banner.marking.level == t[i].level,
		    "\"%s\": level %s", t[i].line,
		    tl_level_name(D.info.banner.marking.level));
		if (t[i].control)
			ck_assert_msg(tl_marking_has(&D.info.banner.marking, t[i].control),
			    "\"%s\" lacks %s", t[i].line, t[i].control);
		ck_assert_msg(D.info.banner.damaged == t[i].damaged, "\"%s\" damaged", t[i].line);
		ck_assert_msg(tlcheck_has_diag(&D, "banner-damaged", 1) == t[i].damaged,
		    "\"%s\": damaged banner must warn, a clean one must not", t[i].line);
		ck_assert_int_eq(D.roles[0], TL_LINE_BANNER);
	}
}
END_TEST

START_TEST(banner_lookalikes_are_text)
{
	static const char *const t[] = {
		"Secret talks were held in the capital.",
		"SECRET TALKS WERE HELD IN THE CAPITAL",
		"CONFIDENTIAL - ENTIRE TEXT",
		"S E C R E T A R Y",
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "%s\n", t[i]);
		parse_str(doc);
		ck_assert_msg(D.info.banner.line == 0 || D.info.entire_text,
		    "\"%s\" taken for a banner", t[i]);
	}
}
END_TEST

START_TEST(entire_text_old_cable)
{
	parse_str("CONFIDENTIAL - ENTIRE TEXT\n\n1. THE MINISTER SAID.\n");
	ck_assert(D.info.entire_text);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert_int_eq(D.roles[0], TL_LINE_AUTHORITY);
}
END_TEST

START_TEST(closing_banner_after_body)
{
	parse_str("SECRET\n\n1. (S) Text of the cable.\n\nSECRET\n");
	ck_assert_uint_eq(D.info.closing.line, 5);
	ck_assert_int_eq(D.roles[4], TL_LINE_BANNER);
	ck_assert_uint_eq(D.owner[4], 0);
	ck_assert_uint_eq(D.portions[0].end_line, 3);
}
END_TEST

/* ---- routing header ------------------------------------------------- */

START_TEST(routing_header)
{
	parse_str("VZCZCXYZ0042\nOO RUEHWEB\n\nDE RUEHRO #0412/01 1231500\n"
	    "ZNY CCCCC ZZH\nO 031500Z MAY 08\nFM AMEMBASSY ROME\n"
	    "TO RUEHC/SECSTATE WASHDC IMMEDIATE 1234\nRUEHLO/AMEMBASSY LONDON 0042\n"
	    "INFO RUEHFR/AMEMBASSY PARIS 0077\n\n"
	    "C O N F I D E N T I A L ROME 000412\n\n1. (C) Text.\n");
	ck_assert_int_eq(D.roles[0], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[1], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[3], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[4], TL_LINE_ROUTING_CLASS);
	ck_assert_int_eq(D.roles[5], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[8], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[9], TL_LINE_ROUTING);
	ck_assert_str_eq(D.info.routing.letters, "CCCCC");
	ck_assert_int_eq(D.info.routing.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert_uint_eq(D.info.routing.line, 5);
	ck_assert_str_eq(D.info.date, "2008-05-03");
	ck_assert_uint_eq(D.info.banner.line, 12);
	ck_assert_uint_eq(D.nportions, 1);
}
END_TEST

START_TEST(distribution_list)
{
	parse_str("INFO\tLOG-00\tEEB-00\tAF-00\n\tDOTE-00\tPDI-00\n\t/000W\t\n\n"
	    "R 021200Z JUN 09\nFM AMEMBASSY OSLO\nTO SECSTATE WASHDC 0101\n\n"
	    "UNCLAS OSLO 000101\n\n1. (U) Text.\n");
	ck_assert_int_eq(D.roles[0], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[1], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[2], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[4], TL_LINE_ROUTING);
	ck_assert_str_eq(D.info.date, "2009-06-02");
	ck_assert_uint_eq(D.info.banner.line, 9);
}
END_TEST

/* ---- authority block ------------------------------------------------ */

START_TEST(eo_forms)
{
	static const struct {
		const char *line, *text, *date, *order;
	} t[] = {
		{ "E.O. 12958: DECL: 11/18/2027", "11/18/2027", "2027-11-18", "12958" },
		{ "EO 12958 DECL: 2020/02/23", "2020/02/23", "2020-02-23", "12958" },
		{ "decl: 6/30/08", "6/30/08", "2008-06-30", "" },
		{ "E.O. 12958: N/A", "N/A", "", "12958" },
		{ "E.O. 13526", "", "", "13526" },
		{ "E.O. 12958: DECL: 02/30/2019", "02/30/2019", "", "12958" },
		{ "E.O. 12958: DECL: 1.6X6", "1.6X6", "", "12958" },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\n%s\n\n1. (S) Text.\n", t[i].line);
		parse_str(doc);
		ck_assert_uint_eq(D.info.declassify.line, 3);
		ck_assert_int_eq(D.roles[2], TL_LINE_DECL);
		ck_assert_str_eq(D.info.declassify.text, t[i].text);
		ck_assert_str_eq(D.info.declassify.date, t[i].date);
		ck_assert_str_eq(D.info.declassify.order, t[i].order);
	}
}
END_TEST

START_TEST(classified_by_forms)
{
	static const struct {
		const char *line, *by, *r1, *r2;
	} t[] = {
		{ "Classified By: DCM Jane Roe, reasons 1.4 (b,d)", "DCM Jane Roe", "1.4(b)", "1.4(d)" },
		{ "CLASSIFIED BY: POLOFF A. SMITH. REASON: 1.4 (b), (d)", "POLOFF A. SMITH.", "1.4(b)", "1.4(d)" },
		{ "Classified By: Ambassador X for reasons 1.4 (b) and (d)", "Ambassador X", "1.4(b)", "1.4(d)" },
		{ "Classified By: CDA Y, Reasons 1.4(b),(d)", "CDA Y", "1.4(b)", "1.4(d)" },
		{ "Classified By: PolCouns Z, reason 1.4 b/d", "PolCouns Z", "1.4(b)", "1.4(d)" },
		{ "Classified By: DCM Q, Reasons 1.4 (B/D)", "DCM Q", "1.4(b)", "1.4(d)" },
		{ "CLASSIFIED BY: AMB W. REASON: 1.5 (D)", "AMB W.", "1.5(d)", NULL },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\n%s\n\n1. (S) Text.\n", t[i].line);
		parse_str(doc);
		ck_assert_uint_eq(D.info.authority.line, 3);
		ck_assert_int_eq(D.roles[2], TL_LINE_AUTHORITY);
		ck_assert_str_eq(D.info.authority.classified_by, t[i].by);
		ck_assert_uint_ge(D.info.authority.nreasons, 1);
		ck_assert_str_eq(D.info.authority.reasons[0], t[i].r1);
		if (t[i].r2) {
			ck_assert_uint_eq(D.info.authority.nreasons, 2);
			ck_assert_str_eq(D.info.authority.reasons[1], t[i].r2);
		} else {
			ck_assert_uint_eq(D.info.authority.nreasons, 1);
		}
	}
}
END_TEST

START_TEST(reasons_on_next_line)
{
	parse_str("SECRET\n\nCLASSIFIED BY: POLOFF R. LEE\nREASON: 1.4 (c)\n\n1. (S) Text.\n");
	ck_assert_str_eq(D.info.authority.classified_by, "POLOFF R. LEE");
	ck_assert_uint_eq(D.info.authority.nreasons, 1);
	ck_assert_str_eq(D.info.authority.reasons[0], "1.4(c)");
	ck_assert_int_eq(D.roles[3], TL_LINE_AUTHORITY);
}
END_TEST

START_TEST(classified_by_run_in)
{
	parse_str("CONFIDENTIAL\n\nREF: ASUNCION 396Classified By: DCM Ann Doe, reasons 1.4 (d)\n\n1. (C) Text.\n");
	ck_assert_uint_eq(D.info.authority.line, 3);
	ck_assert_uint_eq(D.info.authority.col, 18);
	ck_assert(D.info.authority.run_in);
	ck_assert_str_eq(D.info.authority.classified_by, "DCM Ann Doe");
	ck_assert_str_eq(D.info.authority.reasons[0], "1.4(d)");
	ck_assert(tlcheck_has_diag(&D, "authority-run-in", 3));
	ck_assert_int_eq(D.roles[2], TL_LINE_REF);
}
END_TEST

START_TEST(tags_subject_ref)
{
	parse_str("SECRET\n\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL PTER XX\n"
	    "SUBJECT: (C) TALKS WITH THE\nMINISTRY OF THINGS\n\n"
	    "REF: A. STATE 1234\n     B. ROME 567\n\nClassified By: X, reasons 1.4 (b)\n\n"
	    "1. (S) Text.\n");
	ck_assert_uint_eq(D.info.tags_line, 4);
	ck_assert_int_eq(D.roles[3], TL_LINE_TAGS);
	ck_assert_uint_eq(D.info.subject_line, 5);
	ck_assert_uint_ge(D.nportions, 2);
	ck_assert_int_eq(D.portions[0].kind, TL_PORTION_SUBJECT);
	ck_assert(D.portions[0].marked);
	ck_assert_str_eq(D.portions[0].mark_text, "C");
	ck_assert_str_eq(D.portions[0].lead, "SUBJECT: ");
	ck_assert_uint_eq(D.portions[0].end_line, 6);
	ck_assert_uint_eq(D.owner[5], 1);
	ck_assert_int_eq(D.roles[7], TL_LINE_REF);
	ck_assert_int_eq(D.roles[8], TL_LINE_REF);
	ck_assert_int_eq(D.portions[1].kind, TL_PORTION_PARAGRAPH);
	ck_assert_uint_eq(D.portions[1].line, 13);
}
END_TEST

/* ---- portions ------------------------------------------------------- */

START_TEST(paragraph_number_forms)
{
	static const struct {
		const char *line, *number, *mark, *lead;
		tl_portion_kind kind;
	} t[] = {
		{ "1. (C) Text.", "1", "C", "1. ", TL_PORTION_PARAGRAPH },
		{ "1.(C) Text.", "1", "C", "1.", TL_PORTION_PARAGRAPH },
		{ "\xc2\xb6" "4. (C/NF) Text.", "4", "C/NF", "\xc2\xb6" "4. ", TL_PORTION_PARAGRAPH },
		{ "[1](#)2. (C/NF) Text.", "2", "C/NF", "[1](#)2. ", TL_PORTION_PARAGRAPH },
		{ "- [3](#). (C/NF) Text.", "3", "C/NF", "- [3](#). ", TL_PORTION_PARAGRAPH },
		{ "A. (S) Text.", "A", "S", "A. ", TL_PORTION_ITEM },
		{ "(a) (S) Text.", "a", "S", "(a) ", TL_PORTION_ITEM },
		{ "-- (U) Text.", "--", "U", "-- ", TL_PORTION_ITEM },
		{ "(U) Unnumbered but marked.", "", "U", "", TL_PORTION_PARAGRAPH },
		{ "12. ( C ) Inner spaces.", "12", " C ", "12. ", TL_PORTION_PARAGRAPH },
		{ "3. (s/nf) Lower case.", "3", "s/nf", "3. ", TL_PORTION_PARAGRAPH },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\n%s\n", t[i].line);
		parse_str(doc);
		ck_assert_uint_eq(D.nportions, 1);
		ck_assert_str_eq(D.portions[0].number, t[i].number);
		ck_assert_msg(D.portions[0].marked, "\"%s\" not marked", t[i].line);
		ck_assert_str_eq(D.portions[0].mark_text, t[i].mark);
		ck_assert_str_eq(D.portions[0].lead, t[i].lead);
		ck_assert_int_eq(D.portions[0].kind, t[i].kind);
		ck_assert_uint_eq(D.portions[0].errors, 0);
		ck_assert_uint_eq(D.portions[0].line, 3);
		ck_assert_uint_eq(D.portions[0].col, 1);
	}
}
END_TEST

START_TEST(mark_levels_and_controls)
{
	parse_str("SECRET//NOFORN\n\n1. (S//REL TO USA, GBR) One.\n\n2. (C/NF) Two.\n\n"
	    "3. (SBU) Three.\n\n4. (TS//SI-G//OC/NF) Four.\n");
	ck_assert_uint_eq(D.nportions, 4);
	ck_assert_int_eq(D.portions[0].marking.level, TL_LEVEL_SECRET);
	ck_assert(D.portions[0].marking.rel_to);
	ck_assert_int_eq(D.portions[1].marking.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert(tl_marking_has(&D.portions[1].marking, "NOFORN"));
	ck_assert_int_eq(D.portions[2].marking.level, TL_LEVEL_UNCLASSIFIED);
	ck_assert(tl_marking_has(&D.portions[2].marking, "SBU"));
	ck_assert_int_eq(D.portions[3].marking.level, TL_LEVEL_TOP_SECRET);
	ck_assert(tl_marking_has(&D.portions[3].marking, "ORCON"));
	ck_assert_uint_eq(D.portions[3].mark_col, 4);
}
END_TEST

/* A mark seen again comes out of the parser's memo; its marking must be
 * what tl_marking_parse makes of the text, byte for byte (a field the
 * memo's copy forgot would differ), the first time and the second. */
START_TEST(remembered_marks_are_whole)
{
	static const char *const marks[] = { "S//REL TO USA, GBR, AUS",
	    "TS//SI-G//OC/NF", "C/NF", "U//FOUO", "S//NF//XYZZY",
	    "S//REL UK", "S//SI//REL", "S//FGI DEU GBR//NF",
	    "S//DISPLAY ONLY AFG, IRQ", "S//NF" };
	char text[2048];
	size_t n = 0, i, k;

	n += (size_t)snprintf(text + n, sizeof text - n, "SECRET//NOFORN\n\n");
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
			n += (size_t)snprintf(text + n, sizeof text - n,
			    "%zu. (%s) Paragraph.\n\n", k * 10 + i + 1, marks[i]);
	parse_str(text);
	ck_assert_uint_eq(D.nportions, 20);
	for (i = 0; i < D.nportions; i++) {
		const tl_portion *po = &D.portions[i];
		tl_marking m;
		ck_assert(po->marked);
		(void)tl_marking_parse(po->mark_text, strlen(po->mark_text), &m,
		    NULL, 0);
		ck_assert_msg(memcmp(&m, &po->marking, sizeof m) == 0,
		    "portion %zu (%s): marking differs from a fresh parse", i + 1,
		    po->mark_text);
	}
}
END_TEST

START_TEST(continuations_and_stray_lines)
{
	parse_str("SECRET\n\n"
	    "1. (S/NF) The minister said that the plan would go ahead despite\n" /* 3 */
	    "\n"
	    "SIPDIS\n"                                                        /* 5 */
	    "the objections of the opposition.\n"                             /* 6 */
	    "\n"
	    "ROME 00000412  002 OF 003\n"                                     /* 8 */
	    "\n"
	    "and he would see to it himself.\n"                               /* 10 */
	    "\n"
	    "Economic Matters\n"                                              /* 12 */
	    "\n"
	    "2. (U) The economy grew.\n"                                      /* 14 */
	    "\n"
	    "SIPDIS\n"                                                        /* 16 */
	    "\n"
	    "3. Unmarked numbered paragraph.\n");                             /* 18 */
	ck_assert_uint_eq(D.nportions, 4);
	ck_assert_uint_eq(D.portions[0].end_line, 10);
	ck_assert_int_eq(D.roles[4], TL_LINE_STRAY);
	ck_assert_uint_eq(D.owner[4], 1);
	ck_assert_int_eq(D.roles[7], TL_LINE_STRAY);
	ck_assert_uint_eq(D.owner[7], 1);
	ck_assert_uint_eq(D.owner[9], 1);
	ck_assert_uint_eq(D.owner[5], 1);
	ck_assert_int_eq(D.roles[5], TL_LINE_BODY);
	/* The heading is its own unmarked portion; separators own nothing. */
	ck_assert_int_eq(D.portions[1].kind, TL_PORTION_HEADING);
	ck_assert_uint_eq(D.portions[1].line, 12);
	ck_assert(!D.portions[1].marked);
	ck_assert_uint_eq(D.owner[10], 0);
	ck_assert_uint_eq(D.portions[2].end_line, 14);
	ck_assert_uint_eq(D.owner[15], 0); /* SIPDIS between portions */
	ck_assert_int_eq(D.roles[15], TL_LINE_STRAY);
	ck_assert(!D.portions[3].marked);
	ck_assert_str_eq(D.portions[3].number, "3");
	ck_assert_int_eq(D.portions[3].marking.level, TL_LEVEL_UNKNOWN);
}
END_TEST

START_TEST(new_paragraph_after_finished_sentence)
{
	parse_str("SECRET\n\n1. (S) First paragraph ends here.\n\nA new unmarked paragraph starts.\n");
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_uint_eq(D.portions[0].end_line, 3);
	ck_assert_int_eq(D.portions[1].kind, TL_PORTION_TEXT);
	ck_assert(!D.portions[1].marked);
	/* ... but a sentence that goes on after a blank line continues. */
	parse_str("SECRET\n\n1. (S) First paragraph goes on\n\nInto the next line.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert_uint_eq(D.portions[0].end_line, 5);
}
END_TEST

START_TEST(lookalikes_are_not_marks)
{
	parse_str("SECRET\n\nClassified By: A B, reasons 1.4 (B/D)\n\n"
	    "1. (S) He met the (S/CT) coordinator and (C) others.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert_str_eq(D.portions[0].mark_text, "S");
	/* "(C)" in the middle of the line is a buried mark now (warned; it
	 * does not raise an (S) portion); "(S/CT)" is an office symbol. */
	ck_assert_uint_eq(D.ndiags, 1);
	ck_assert(tlcheck_has_diag(&D, "mark-buried", 5));
	ck_assert_uint_eq(D.portions[0].nburied, 1);
	ck_assert_str_eq(D.info.authority.reasons[1], "1.4(d)");
	/* Parenthetical prose at the start of a paragraph is not a mark. */
	parse_str("SECRET\n\n1. (S) Text.\n\n(Comment: this is prose.)\n");
	ck_assert(!D.portions[1].marked);
	ck_assert_uint_eq(D.ndiags, 0);
}
END_TEST

/* Labels that count before a mark: the (S/NF) questions after an "A. (U)"
 * heading are portions of their own, not the heading's continuation. */
START_TEST(labels_before_marks)
{
	static const struct {
		const char *line, *number, *mark;
	} t[] = {
		{ "1) (S/NF) HOW IS THE MINISTER?", "1", "S/NF" },
		{ "a) (C) Lettered.", "a", "C" },
		{ "B) (SBU) Upper case.", "B", "SBU" },
		{ "a. (TS//SI//REL) Dotted letter.", "a", "TS//SI//REL" },
		{ "II. (S) Roman.", "II", "S" },
		{ "iv. (C) Small roman.", "iv", "C" },
		{ "3.1. (S//NF) Outline.", "3.1", "S//NF" },
		{ "3.1 (S//NF) Outline.", "3.1", "S//NF" },
		{ "8.0 (U) Outline.", "8.0", "U" },
		{ "1.2.3 (C) Outline.", "1.2.3", "C" },
		{ "(13) (C) Parenthesized.", "13", "C" },
		{ "1 (TS//SI) Footnote.", "1", "TS//SI" },
		{ "* (S//SI) Footnote sign.", "*", "S//SI" },
		{ "## I. (U) Overview", "I", "U" },
		{ "## (U) Heading", "", "U" },
		{ "> (C) Quoted.", "", "C" },
		{ "**(S)** Emphasis.", "", "S" },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\nA. (U) THE HEADING:\n\n%s\n",
		    t[i].line);
		parse_str(doc);
		ck_assert_msg(D.nportions == 2, "\"%s\": %lu portions", t[i].line,
		    D.nportions);
		ck_assert_msg(D.portions[1].marked, "\"%s\" not marked", t[i].line);
		ck_assert_str_eq(D.portions[1].mark_text, t[i].mark);
		ck_assert_str_eq(D.portions[1].number, t[i].number);
		ck_assert_uint_eq(D.portions[1].line, 5);
	}
	/* Alone, such a label is prose: "3.1 per cent" goes on. */
	parse_str("SECRET\n\n1. (S) Growth was\n3.1 per cent.\n");
	ck_assert_uint_eq(D.nportions, 1);
}
END_TEST

/* A parenthesized word at the start of a wrapped line is prose; one that
 * would lower the running paragraph's marking is not taken (warned). */
START_TEST(mark_in_running_text)
{
	const tl_portion *po;

	parse_str("SECRET\n\n"
	    "1. (S) The talks covered (a) bases, (b) the budget, and\n" /* 3 */
	    "(c) sense that the neighbours would object.\n");           /* 4 */
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert_uint_eq(D.portions[0].end_line, 4);
	ck_assert(tlcheck_has_diag(&D, "mark-in-running-text", 4));
	/* NOFORN dropped: lowering too. */
	parse_str("SECRET//NOFORN\n\n1. (S//NF) The minister said that\n"
	    "(S) would be the answer.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert(tlcheck_has_diag(&D, "mark-in-running-text", 4));
	/* A raising mark is taken; so is any mark after a blank line or a
	 * finished sentence. */
	parse_str("SECRET\n\n1. (C) The minister said that\n(S) Secret text.\n");
	ck_assert_uint_eq(D.nportions, 2);
	parse_str("SECRET\n\n(S) One paragraph a line.\n(U) The next one.\n");
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_str_eq(D.portions[1].mark_text, "U");
	parse_str("SECRET\n\n1. (S) It goes on\n\n(U) A new paragraph.\n");
	ck_assert_uint_eq(D.nportions, 2);
	/* "(c)" after an item "(b)" is the next item, not CONFIDENTIAL. */
	parse_str("SECRET\n\n9. (S) Consider:\n\n(a) one;\n(b) two;\n(c) three.\n");
	ck_assert_uint_eq(D.nportions, 4);
	po = portion_at_line(7);
	ck_assert(!po->marked);
	ck_assert_str_eq(po->number, "c");
	ck_assert_uint_eq(D.ndiags, 0);
	/* A mark no prose writes starts a portion even where it lowers: the
	 * one-paragraph-a-line fields of a converted guide. */
	parse_str("SECRET\n\n(U//FOUO) PROJECT NAME: The activities\n"
	    "(U) OFFICE OF ORIGIN: Oversight\n"                         /* 4 */
	    "(S//NF) The fact that the work\n"
	    "(U//FOUO) POC: The chief\n");                              /* 6 */
	ck_assert_uint_eq(D.nportions, 4);
	ck_assert_str_eq(portion_at_line(4)->mark_text, "U");
	ck_assert_str_eq(portion_at_line(6)->mark_text, "U//FOUO");
	ck_assert(!tlcheck_has_diag(&D, "mark-in-running-text", 4));
	/* A heading is never the wrapped line of the text above it. */
	parse_str("SECRET\n\n(S) Endorsed by the Associate Director for\n"
	    "# (U) Change Register\n");
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_str_eq(portion_at_line(4)->mark_text, "U");
}
END_TEST

/* Acronyms and names in parentheses are text, not malformed marks. */
START_TEST(acronyms_are_not_marks)
{
	static const char *const t[] = { "(VEM)", "(FDP)", "(DHS)", "(DCOS)",
		"(AG)", "(B)", "(KGB ENTRY)", "(ORONE)", "(MARK)", "(GARLAND)",
		"(SSIDENT)" };
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\n1. (S) Text.\n\n%s said so.\n",
		    t[i]);
		parse_str(doc);
		ck_assert_msg(!D.portions[D.nportions - 1].marked, "%s", t[i]);
		ck_assert_msg(D.info.errors == 0, "%s: an error", t[i]);
	}
}
END_TEST

/* Table rows of a converted document are portions of their own. */
START_TEST(table_rows)
{
	parse_str("SECRET//NOFORN\n\n(U) The guide.\n\n"
	    "| Description | Class |\n"                                  /* 5 */
	    "| :--: | :--: |\n"                                         /* 6 */
	    "| 2.4. (TS//SI//NF) The fact that. | TOP SECRET |\n"        /* 7 */
	    "| 2.5. (U) The other fact. | UNCLASSIFIED |\n");            /* 8 */
	ck_assert_str_eq(portion_at_line(7)->mark_text, "TS//SI//NF");
	ck_assert_str_eq(portion_at_line(7)->number, "2.4");
	ck_assert_uint_eq(portion_at_line(7)->end_line, 7);
	ck_assert_str_eq(portion_at_line(8)->mark_text, "U");
	ck_assert(!portion_at_line(6)->marked);
	/* A number in a cell of its own is the row's label. */
	parse_str("SECRET\n\n| No. | Change |\n| :--: | :-- |\n"
	    "| 1. | (U) Added the register. | nnh |\n"                /* 5 */
	    "| 2. | (S//NF) Renumbered. | nnh |\n");                  /* 6 */
	ck_assert_str_eq(portion_at_line(5)->mark_text, "U");
	ck_assert_str_eq(portion_at_line(6)->mark_text, "S//NF");
	ck_assert_uint_eq(portion_at_line(5)->nburied, 0);
	/* A form's field label before the mark, on a line or in a cell; a
	 * whole row ends its sentence; prose before a colon is no label. */
	parse_str("SECRET//NOFORN\n\nOFFICE OF ORIGIN: (U) The harbour\n"
	    "POC: (U//FOUO) The chief\n\n"                           /* 4 */
	    "| PURPOSE OF VISIT: | (S//NF) Talks. |\n"                /* 6 */
	    "| Date/TIME OF VISIT: | (U) 24 April |\n\n"             /* 7 */
	    "The minister said: (C) nothing.\n");                    /* 9 */
	ck_assert_str_eq(portion_at_line(3)->mark_text, "U");
	ck_assert_str_eq(portion_at_line(4)->mark_text, "U//FOUO");
	ck_assert_str_eq(portion_at_line(6)->mark_text, "S//NF");
	ck_assert_str_eq(portion_at_line(7)->mark_text, "U");
	ck_assert_uint_eq(portion_at_line(7)->end_line, 7);
	ck_assert(!portion_at_line(9)->marked);
	ck_assert_uint_eq(portion_at_line(9)->nburied, 1);
}
END_TEST

/* A table cell (or a line of one after <br>) that starts with a mark and
 * has text after it is a portion of its own, in the middle of the row's
 * line: a guide's remark is not decided with the fact it comments on.  A
 * cell that holds only a mark stays buried. */
START_TEST(cell_portions)
{
	const tl_portion *po;

	parse_str("SECRET//REL TO USA, FVEY\n\n"
	    "| Fact | Class | Remarks |\n| :-- | :-- | :-- |\n"
	    "| 10. (U) The fact. | U | (C//REL) Staff do not support it. |\n"
	    "| 11. (C//REL) A mission. | C | (U) Details may <br> be more. "
	    "<br> (S//NF) Details are secret. |\n"                      /* 6 */
	    "| 12. (U) Last fact. | U | (S//NF) |\n");                  /* 7 */
	ck_assert_uint_eq(D.nportions, 8); /* 2 headings, 2 + 3 + 1 */
	po = &D.portions[2];
	ck_assert_uint_eq(po->line, 5);
	ck_assert_str_eq(po->mark_text, "U");
	ck_assert_uint_eq(po->end_line, 5);
	ck_assert_uint_eq(po->nburied, 0);
	po = &D.portions[3];
	ck_assert_uint_eq(po->line, 5);
	ck_assert_str_eq(po->mark_text, "C//REL");
	ck_assert_str_eq(po->lead, "| ");
	ck_assert_uint_eq(po->col, 25);
	ck_assert_uint_eq(po->mark_col, 27);
	ck_assert_int_eq(po->marking.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert_str_eq(D.portions[4].mark_text, "C//REL");
	ck_assert_uint_eq(D.portions[4].nburied, 0);
	ck_assert_str_eq(D.portions[5].mark_text, "U");
	po = &D.portions[6];
	ck_assert_str_eq(po->mark_text, "S//NF");
	ck_assert_str_eq(po->lead, "<br> ");
	ck_assert_uint_eq(po->line, 6);
	/* The line belongs to the portion its first fragment is in. */
	ck_assert_uint_eq(D.owner[5], D.portions[4].index);
	po = &D.portions[7];
	ck_assert_str_eq(po->mark_text, "U");
	ck_assert_uint_eq(po->nburied, 1);
	ck_assert(tl_marking_has(&po->buried, "NOFORN"));
	ck_assert(!tlcheck_has_diag(&D, "mark-buried", 5));
	ck_assert(tlcheck_has_diag(&D, "mark-buried", 7));
	/* Outside a table a mark after a bar is text of its portion. */
	parse_str("SECRET\n\n(U) Either | (S) this or that.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert_uint_eq(D.portions[0].nburied, 1);
}
END_TEST

/* Marks in the middle of a line or in a later table cell are buried:
 * rolled into the portion's `buried`, warned; an unreadable CAPCO-like
 * one makes it malformed. */
START_TEST(buried_marks)
{
	const tl_portion *po;

	parse_str("SECRET//NOFORN\n\n"
	    "(U) Communications of persons (S//SI//REL TO USA, GBR) go on\n" /* 3 */
	    "and the (TS//SI//REL TO USA, AUS, GBR) part too.\n"           /* 4 */
	    "\n| (U) The fact. | (S//SI//NF) |\n"                           /* 6 */
	    "\n| (U) Other fact. | (S//S1//REL) |\n"                        /* 8 */
	    "\n(U) Options (A) one, (B) two, (C) three.\n");                /* 10 */
	po = portion_at_line(3);
	ck_assert_uint_eq(po->nburied, 2);
	ck_assert_str_eq(po->mark_text, "U");
	ck_assert_int_eq(po->marking.level, TL_LEVEL_UNCLASSIFIED);
	ck_assert_int_eq(po->buried.level, TL_LEVEL_TOP_SECRET);
	ck_assert(tl_marking_has(&po->buried, "SI"));
	ck_assert(po->buried.rel_to);
	ck_assert_uint_eq(po->buried.nrel, 2); /* USA, GBR */
	ck_assert(tlcheck_has_diag(&D, "mark-buried", 3));
	ck_assert(tlcheck_has_diag(&D, "mark-buried", 4));
	po = portion_at_line(6);
	ck_assert_uint_eq(po->nburied, 1);
	ck_assert(tl_marking_has(&po->buried, "NOFORN"));
	po = portion_at_line(8);
	ck_assert(po->buried.malformed);
	ck_assert_uint_eq(portion_at_line(10)->nburied, 0);
}
END_TEST

/* Page banners after markup are banner lines; a banner with a portion
 * mark on the same line is a banner and a portion. */
START_TEST(banners_in_body)
{
	parse_str("SECRET//NOFORN\n\n(S//NF) Text that goes on\n"
	    "# TOP SECRET//SI//NOFORN\n\nto the next page.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert_int_eq(D.roles[3], TL_LINE_BANNER);
	ck_assert_uint_eq(D.info.closing.line, 4);
	ck_assert_int_eq(D.info.evidence.level, TL_LEVEL_TOP_SECRET);
	parse_str("SECRET\n\n(S) Text.\n\n"
	    "TOP SECRET//SI//REL TO USA, FVEY (S//REL) Operation name (1)\n");
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_str_eq(D.portions[1].mark_text, "S//REL");
	ck_assert_uint_eq(D.info.closing.line, 5);
	ck_assert_int_eq(D.info.closing.marking.level, TL_LEVEL_TOP_SECRET);
}
END_TEST

/* Page scopes: where the page banners change, unmarked text takes its
 * pages' banner; a second banner in the header raises the evidence. */
START_TEST(page_scopes)
{
	const tl_scope *sc;

	parse_str("TOP SECRET//SI//REL TO USA, FVEY\n\nThe cell\n"
	    "\nTOP SECRET//SI//REL TO USA, FVEY\n\nThe gauges\n"      /* 5 */
	    "\nTOP SECRET//SI/JX/REL TO USA, FVEY\n\nThe tables\n"    /* 9 */
	    "\nTOP SECRET//SI//REL TO USA, FVEY\n\nThe models\n"      /* 13 */
	    "\n## UK TOP SECRET STRAP1\n\nThe partner gauges\n"       /* 17 */
	    "\nUK TOP SECRET STRAP1\n\nCalibration\n");               /* 21 */
	ck_assert_uint_eq(D.info.nscopes, 7);
	sc = D.info.scopes;
	/* Lines 1-9: the first banner's pages. */
	ck_assert_uint_eq(sc[0].line, 1);
	ck_assert(tl_marking_has(&sc[0].marking, "SI"));
	ck_assert(!tl_marking_has(&sc[0].marking, "STRAP1"));
	ck_assert(sc[0].marking.rel_to);
	/* A banner with a token nobody knows is a page of its own. */
	ck_assert_uint_eq(sc[1].line, 6);
	ck_assert_uint_eq(sc[1].marking.nunknown, 1);
	ck_assert_uint_eq(sc[2].line, 9);
	ck_assert_uint_eq(sc[2].marking.nunknown, 1);
	ck_assert_uint_eq(sc[3].line, 10);
	ck_assert_uint_eq(sc[3].marking.nunknown, 1);
	ck_assert_uint_eq(sc[4].line, 13);
	ck_assert_uint_eq(sc[4].marking.nunknown, 0);
	/* Between the last US banner and the first UK one: both, and no
	 * REL TO list (the UK banner gives none). */
	ck_assert_uint_eq(sc[5].line, 14);
	ck_assert(tl_marking_has(&sc[5].marking, "SI"));
	ck_assert(tl_marking_has(&sc[5].marking, "STRAP1"));
	ck_assert(!sc[5].marking.rel_to);
	ck_assert_uint_eq(sc[6].line, 17);
	ck_assert(tl_marking_has(&sc[6].marking, "STRAP1"));
	ck_assert(!tl_marking_has(&sc[6].marking, "SI"));
	ck_assert(tl_marking_has(&D.info.evidence, "STRAP1"));
	/* The same banner on every page: the document's marking decides. */
	parse_str("SECRET//NOFORN\n\n(S//NF) One.\n\nSECRET//NOFORN\n\n"
	    "Two.\n\nSECRET//NOFORN\n");
	ck_assert_uint_eq(D.info.nscopes, 0);
	/* A damaged banner: no scopes. */
	parse_str("SECRET//NOFORN\n\nOne.\n\nE C R E T\n\nTwo.\n\n"
	    "TOP SECRET//SI\n\nThree.\n");
	ck_assert_uint_eq(D.info.nscopes, 0);
	parse_str("SECRET//NOFORN\n\nOne.\n\nSECRET\n\nTwo.\n\n"
	    "TOP SECRET//SI\n\nThree.\n");
	ck_assert_uint_eq(D.info.nscopes, 5);
	/* A mark on a page raises its scope only. */
	parse_str("SECRET//NOFORN\n\n(TS//NF) One.\n\nTwo.\n\n"
	    "CONFIDENTIAL\n\nThree.\n");
	ck_assert_uint_eq(D.info.nscopes, 3);
	ck_assert_int_eq(D.info.scopes[0].marking.level, TL_LEVEL_SECRET);
	ck_assert_int_eq(D.info.scopes[1].marking.level, TL_LEVEL_TOP_SECRET);
	ck_assert_int_eq(D.info.scopes[2].marking.level,
	    TL_LEVEL_CONFIDENTIAL);
	/* A table that states its marking is a scope to its last row,
	 * raised by the marks in it; after it, the document's. */
	parse_str("(U) Budget\n\n| This Exhibit is SECRET//NOFORN | |\n"
	    "| :-- | :-- |\n| Funding | 12.4 |\n| (TS//NF) Site | 3 |\n"   /* 6 */
	    "\nText after the table\n");                                  /* 8 */
	ck_assert_uint_eq(D.info.nscopes, 2);
	ck_assert_uint_eq(D.info.scopes[0].line, 3);
	ck_assert(D.info.scopes[0].table);
	ck_assert_int_eq(D.info.scopes[0].marking.level, TL_LEVEL_TOP_SECRET);
	ck_assert(tl_marking_has(&D.info.scopes[0].marking, "NOFORN"));
	ck_assert_uint_eq(D.info.scopes[1].line, 7);
	ck_assert(D.info.scopes[1].document);
	/* An unmarked line, then another page's banner still in the header
	 * zone: the evidence holds it (it used to be dropped). */
	parse_str("TOP SECRET//SI//REL TO USA, FVEY\n\nSome text here\n\n"
	    "UK TOP SECRET STRAP1\n\nThe gauges\n");
	ck_assert(tl_marking_has(&D.info.evidence, "STRAP1"));
}
END_TEST

START_TEST(malformed_marks)
{
	static const struct {
		const char *line;
		unsigned long col;
	} t[] = {
		{ "1. C) Missing open parenthesis.", 4 },
		{ "2. (SNF) Not a level.", 4 },
		{ "3. (N/SF) Swapped.", 4 },
		{ "4. (/Rel UK) No level.", 4 },
		{ "5. (S/NF Missing close parenthesis.", 4 },
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "SECRET\n\n%s\n", t[i].line);
		parse_str(doc);
		ck_assert_uint_eq(D.nportions, 1);
		ck_assert_msg(D.portions[0].marked, "\"%s\"", t[i].line);
		ck_assert_msg(D.portions[0].errors > 0, "\"%s\" has no error", t[i].line);
		ck_assert_msg(tlcheck_has_diag(&D, "mark-malformed", 3), "\"%s\"", t[i].line);
		ck_assert_uint_eq(D.diags[0].col, t[i].col);
		ck_assert_int_eq(D.diags[0].severity, TL_SEV_ERROR);
		ck_assert(D.portions[0].marking.malformed);
	}
}
END_TEST

START_TEST(unknown_token_warns)
{
	parse_str("SECRET\n\n(S/CT) At the start of a paragraph.\n");
	ck_assert_uint_eq(D.nportions, 1);
	ck_assert(D.portions[0].marked);
	ck_assert_uint_gt(D.portions[0].marking.nunknown, 0);
	ck_assert(tlcheck_has_diag(&D, "mark-unknown-token", 3));
}
END_TEST

START_TEST(unmarked_document)
{
	parse_str("Posted on June 1, 2008\n\nA Headline About Things\n\n"
	    "The minister said on Tuesday that talks would go on.\n\n"
	    "Nobody else commented.\n");
	ck_assert_uint_eq(D.info.banner.line, 0);
	ck_assert_uint_eq(D.info.marked, 0);
	ck_assert_uint_eq(D.nportions, 4);
	ck_assert_uint_eq(D.info.errors, 0);
	ck_assert_int_eq(D.portions[0].kind, TL_PORTION_HEADING);
	ck_assert_int_eq(D.portions[2].kind, TL_PORTION_TEXT);
}
END_TEST

/* ---- bad input ------------------------------------------------------ */

START_TEST(crlf_and_no_final_newline)
{
	parse_str("SECRET\r\n\r\n1. (S) Text\r\ngoes on.\r\n\r\n2. (U) End.");
	ck_assert(D.info.crlf);
	ck_assert(tlcheck_has_diag(&D, "input-crlf", 1));
	ck_assert_uint_eq(D.info.banner.line, 1);
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_uint_eq(D.portions[0].end_line, 4);
	ck_assert_uint_eq(D.portions[1].line, 6);
	ck_assert_uint_eq(D.nlines, 6);
}
END_TEST

START_TEST(nul_and_invalid_utf8)
{
	static const char doc[] = "SECRET\n\n1. (S) Bad \xff\xfe bytes.\n\n2. (U) A NUL\0 here.\n";

	tlcheck_doc_free(&D);
	tlcheck_parse(&D, "t.txt", doc, sizeof doc - 1, 0);
	ck_assert(tlcheck_has_diag(&D, "input-utf8", 3));
	ck_assert(tlcheck_has_diag(&D, "input-nul", 5));
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_uint_eq(D.portions[0].errors, 0);
	ck_assert_uint_eq(D.portions[1].errors, 1);
	ck_assert_uint_eq(D.info.errors, 1);
}
END_TEST

START_TEST(empty_document)
{
	parse_str("");
	ck_assert_uint_eq(D.nportions, 0);
	ck_assert(tlcheck_has_diag(&D, "input-empty", 0));
	ck_assert_uint_eq(D.info.errors, 0);
}
END_TEST

/* A 10 MB line arrives in fragments, with bounded memory, as content. */
static unsigned long long_pieces, long_bytes;

static tl_status
count_fragments(void *ctx, const tl_event *ev)
{
	(void)ctx;
	if (ev->kind == TL_EV_LINE && ev->line->number == 3) {
		ck_assert_uint_le(ev->line->len, TL_FRAGMENT_MAX);
		ck_assert_uint_eq(ev->line->portion, 1);
		long_pieces++;
		long_bytes += ev->line->len;
	}
	return TL_OK;
}

START_TEST(ten_megabyte_line)
{
	size_t n = 10u * 1024 * 1024, head = 16, i;
	char *doc = malloc(n + 32);
	tl_parser *p;

	ck_assert(doc != NULL);
	memcpy(doc, "SECRET\n\n1. (S) ", head);
	for (i = head; i < n; i++)
		doc[i] = (char)('a' + i % 26);
	memcpy(doc + n, "\n2. (U) x\n", 10);
	long_pieces = long_bytes = 0;
	p = tl_parser_new("big", count_fragments, NULL);
	for (i = 0; i < n + 10; i += 100000)
		ck_assert_int_eq(tl_parser_feed(p, doc + i, n + 10 - i < 100000 ? n + 10 - i : 100000), TL_OK);
	ck_assert_int_eq(tl_parser_finish(p), TL_OK);
	ck_assert_uint_eq(tl_parser_docinfo(p)->portions, 2);
	tl_parser_free(p);
	ck_assert_uint_eq(long_bytes, n - 8);
	ck_assert_uint_ge(long_pieces, n / TL_FRAGMENT_MAX);
	free(doc);
}
END_TEST

/* Feeding the same document in pieces of any size gives the same events. */
START_TEST(chunking_does_not_matter)
{
	static const char doc[] =
	    "VZCZCXYZ0001\nRR RUEHWEB\n\nDE RUEHLO #1/01 3251601\nZNY SSSSS ZZH\n"
	    "R 211601Z NOV 07\nFM AMEMBASSY LONDON\n\nS E C R E T LONDON 000001\n\n"
	    "NOFORN\nSIPDIS\n\nE.O. 12958: DECL: 11/18/2027\nTAGS: PREL\n"
	    "SUBJECT: A SUBJECT\nGOING ON\n\nClassified By: A B, reasons 1.4 (b,d)\n\n"
	    "Summary\n\n[1](#)1. (C/NF) Text going on\n\nSIPDIS\nafter a stray line.\n\n"
	    "Heading\n\n\xc2\xb6" "2. (S/NF) More.\r\n\r\n3. Unmarked.\n19. (U) End";
	tlcheck_doc whole, piece;
	size_t chunk, i;

	tlcheck_parse(&whole, "c", doc, sizeof doc - 1, 0);
	for (chunk = 1; chunk < 40; chunk += 3) {
		tlcheck_parse(&piece, "c", doc, sizeof doc - 1, chunk);
		ck_assert_uint_eq(piece.nportions, whole.nportions);
		ck_assert_uint_eq(piece.nlines, whole.nlines);
		ck_assert_uint_eq(piece.ndiags, whole.ndiags);
		for (i = 0; i < whole.nportions; i++)
			ck_assert_mem_eq(&piece.portions[i], &whole.portions[i], sizeof whole.portions[i]);
		for (i = 0; i < whole.nlines; i++) {
			ck_assert_int_eq(piece.roles[i], whole.roles[i]);
			ck_assert_uint_eq(piece.owner[i], whole.owner[i]);
		}
		tlcheck_doc_free(&piece);
	}
	ck_assert_uint_eq(whole.info.marked, 3);
	tlcheck_doc_free(&whole);
}
END_TEST

/* An HTML document is read as its text: block elements and <br> end
 * lines, rows read as "| cell |" rows (with cell portions), entities are
 * decoded, comments, scripts and styles dropped; cut anywhere, it reads
 * the same.  Text that only looks like HTML stays text. */
START_TEST(html_input)
{
	static const char doc[] =
	    "\xEF\xBB\xBF  <!doctype HTML><html><head><title>T</title>"
	    "<style>p{} /* (TS) */</style><script>x=\"<p>(TS//NF) no</p>\"</script>"
	    "</head><body><p>SECRET//NOFORN</p>\n<!-- (TS//SI) not text -->"
	    "<p>(U) One &amp; two&nbsp;three &#167;&#xA7; &bogus; 1 &lt; 2</p>"
	    "<p>(S//NF) A line<br>and its next.</p><table><tr><th>A</th>"
	    "<th>B</th></tr><tr><td>1. (U) Fact.</td><td>(C) Remark text.</td>"
	    "</tr></table><p>SECRET//NOFORN</p></body></html>";
	tlcheck_doc whole, piece;
	size_t chunk, i;
	const tl_portion *po;

	tlcheck_parse(&whole, "h", doc, sizeof doc - 1, 0);
	ck_assert(whole.info.html);
	ck_assert(tlcheck_has_diag(&whole, "input-html", 0));
	ck_assert_int_eq(whole.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert(tl_marking_has(&whole.info.banner.marking, "NOFORN"));
	ck_assert(whole.info.closing.line > whole.info.banner.line);
	/* Marks: the (U), the (S//NF), the row's (U) and its cell's (C);
	 * none from the comment, the script or the style. */
	ck_assert_uint_eq(whole.info.marked, 4);
	for (i = 0; i < whole.nportions; i++) {
		po = &whole.portions[i];
		ck_assert(strcmp(po->mark_text, "TS") != 0 &&
		    strcmp(po->mark_text, "TS//NF") != 0 &&
		    strcmp(po->mark_text, "TS//SI") != 0);
		ck_assert_uint_eq(po->nburied, 0);
	}
	po = &whole.portions[whole.nportions - 1];
	ck_assert_str_eq(po->mark_text, "C");
	ck_assert_str_eq(po->lead, "| ");
	for (chunk = 1; chunk < 40; chunk += 3) {
		tlcheck_parse(&piece, "h", doc, sizeof doc - 1, chunk);
		ck_assert_uint_eq(piece.nportions, whole.nportions);
		ck_assert_uint_eq(piece.nlines, whole.nlines);
		ck_assert_uint_eq(piece.ndiags, whole.ndiags);
		for (i = 0; i < whole.nportions; i++)
			ck_assert_mem_eq(&piece.portions[i], &whole.portions[i],
			    sizeof whole.portions[i]);
		tlcheck_doc_free(&piece);
	}
	tlcheck_doc_free(&whole);
	/* Not HTML: a tag-like word, or "<html" inside the text. */
	parse_str("<htmlx>\n(S) A paragraph.\n");
	ck_assert(!D.info.html);
	parse_str("SECRET\n\n(S) The <html> tag and &amp; stay.\n");
	ck_assert(!D.info.html);
	ck_assert_uint_eq(D.info.marked, 1);
	/* An HTML document cut short still ends its last line. */
	parse_str("<html><p>(S) x &am");
	ck_assert(D.info.html);
	ck_assert_uint_eq(D.info.marked, 1);
}
END_TEST

/* Typed and scanned memos: a level word with a letter twice ("SECRRET",
 * a banner read as damaged), typed page numbers ("- 2 -", "Page 3 of 3")
 * that are no content; a word that only starts like a level stays text. */
START_TEST(ocr_forms)
{
	parse_str("S E C R E T\n\n1. The pilot came.\n\n- 2 -\n\nSECRRET\n\n"
	    "2. He left.\n\nPage 3 of 3\n\nSECRETS OF THE TRADE\n");
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert_int_eq(D.roles[4], TL_LINE_STRAY);   /* - 2 - */
	ck_assert_int_eq(D.roles[6], TL_LINE_BANNER);  /* SECRRET */
	ck_assert_int_eq(D.roles[10], TL_LINE_STRAY);  /* Page 3 of 3 */
	ck_assert_int_eq(D.roles[12], TL_LINE_BODY);   /* SECRETS OF ... */
	ck_assert_uint_eq(D.owner[4], 0);
	ck_assert_uint_eq(D.owner[10], 0);
	parse_str("UNCLASS\n\n(U) Text.\n");
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_UNCLASSIFIED);
	ck_assert(D.info.banner.damaged);
	parse_str("SECRET\n\n(U) Text\n- 2 - 3\nPage three\n");
	ck_assert_int_eq(D.roles[3], TL_LINE_BODY);
	ck_assert_int_eq(D.roles[4], TL_LINE_BODY);
}
END_TEST

/* ---- the seeds (skipped without ../shared) -------------------------- */

static void
parse_seed(const char *rel)
{
	const char *path = tlcheck_shared(rel);
	char *text;
	size_t n;

	tlcheck_doc_free(&D);
	if (path == NULL)
		return;
	text = tlcheck_slurp(path, &n);
	tlcheck_parse(&D, path, text, n, 0);
	free(text);
}

START_TEST(seed_london_2007)
{
	static const struct {
		unsigned long line, end;
		const char *mark;
	} paras[] = {
		{ 33, 36, "C/NF" }, { 40, 40, "C/NF" }, { 44, 46, "S/NF" },
		{ 50, 53, "C/NF" }, { 55, 57, "S/NF" }, { 61, 64, "C/NF" },
		{ 66, 71, "C/NF" }, { 77, 79, "S/NF" }, { 81, 81, "U" },
	};
	size_t i;

	parse_seed("corpus/seeds/cable-london-2007-secret.txt");
	if (D.nlines == 0)
		return;
	ck_assert_uint_eq(D.info.marked, 9);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert(tl_marking_has(&D.info.banner.marking, "NOFORN"));
	ck_assert_uint_eq(D.info.banner.line, 15);
	ck_assert_str_eq(D.info.routing.letters, "SSSSS");
	ck_assert_str_eq(D.info.date, "2007-11-21");
	ck_assert_str_eq(D.info.declassify.date, "2027-11-18");
	ck_assert_str_eq(D.info.authority.classified_by, "DCM Richard LeBaron");
	ck_assert_uint_eq(D.info.authority.nreasons, 2);
	ck_assert_uint_eq(D.info.authority.line, 29);
	ck_assert_uint_eq(D.info.errors, 0);
	/* Unmarked subject, first portion. */
	ck_assert_int_eq(D.portions[0].kind, TL_PORTION_SUBJECT);
	ck_assert(!D.portions[0].marked);
	ck_assert_uint_eq(D.portions[0].end_line, 25);
	for (i = 0; i < sizeof paras / sizeof paras[0]; i++) {
		const tl_portion *po = portion_at_line(paras[i].line);
		ck_assert_msg(po->marked, "line %lu", paras[i].line);
		ck_assert_str_eq(po->mark_text, paras[i].mark);
		ck_assert_msg(po->end_line == paras[i].end, "portion at %lu ends at %lu, not %lu",
		    paras[i].line, po->end_line, paras[i].end);
	}
	ck_assert_int_eq(portion_at_line(31)->kind, TL_PORTION_HEADING);
	ck_assert_int_eq(portion_at_line(38)->kind, TL_PORTION_HEADING);
	ck_assert_int_eq(portion_at_line(48)->kind, TL_PORTION_HEADING);
	ck_assert_int_eq(D.roles[34], TL_LINE_STRAY); /* SIPDIS at 35 */
	ck_assert_uint_eq(D.owner[34], portion_at_line(33)->index);
	ck_assert_int_eq(D.roles[72], TL_LINE_STRAY); /* SIPDIS at 73 */
	ck_assert_uint_eq(D.owner[72], 0);
}
END_TEST

START_TEST(seed_london_2009)
{
	unsigned long i, paragraphs = 0;

	parse_seed("corpus/seeds/cable-london-2009-confidential.txt");
	if (D.nlines == 0)
		return;
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert(tl_marking_has(&D.info.banner.marking, "NOFORN"));
	ck_assert_str_eq(D.info.date, "2009-08-21");
	ck_assert_str_eq(D.info.declassify.date, "2019-08-20");
	ck_assert_str_eq(D.info.authority.classified_by, "Political Counselor Robin Quinville");
	ck_assert_str_eq(D.info.authority.reasons[1], "1.4(d)");
	for (i = 0; i < 10; i++)
		ck_assert_msg(D.roles[2 + i] == TL_LINE_ROUTING || D.roles[2 + i] == TL_LINE_BLANK,
		    "line %lu is %s", i + 3, tl_line_role_name(D.roles[2 + i]));
	for (i = 0; i < D.nportions; i++) {
		if (D.portions[i].kind != TL_PORTION_PARAGRAPH)
			continue;
		paragraphs++;
		ck_assert(D.portions[i].marked);
		ck_assert_str_eq(D.portions[i].mark_text, "C/NF");
		ck_assert_uint_eq(strtoul(D.portions[i].number, NULL, 10), paragraphs);
	}
	ck_assert_uint_eq(paragraphs, 13);
	ck_assert_uint_eq(D.info.marked, 13);
	ck_assert_uint_eq(D.info.errors, 0);
}
END_TEST

START_TEST(seed_news)
{
	parse_seed("corpus/seeds/news-2007-unmarked.txt");
	if (D.nlines == 0)
		return;
	ck_assert_uint_eq(D.info.banner.line, 0);
	ck_assert_uint_eq(D.info.marked, 0);
	ck_assert_uint_gt(D.nportions, 10);
	ck_assert_uint_eq(D.info.errors, 0);
	ck_assert_uint_eq(D.info.authority.line, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, banner_spaced_with_station);
	tcase_add_test(tc, banner_forms);
	tcase_add_test(tc, banner_lookalikes_are_text);
	tcase_add_test(tc, entire_text_old_cable);
	tcase_add_test(tc, closing_banner_after_body);
	tcase_add_test(tc, routing_header);
	tcase_add_test(tc, distribution_list);
	tcase_add_test(tc, eo_forms);
	tcase_add_test(tc, classified_by_forms);
	tcase_add_test(tc, reasons_on_next_line);
	tcase_add_test(tc, classified_by_run_in);
	tcase_add_test(tc, tags_subject_ref);
	tcase_add_test(tc, paragraph_number_forms);
	tcase_add_test(tc, mark_levels_and_controls);
	tcase_add_test(tc, remembered_marks_are_whole);
	tcase_add_test(tc, continuations_and_stray_lines);
	tcase_add_test(tc, new_paragraph_after_finished_sentence);
	tcase_add_test(tc, lookalikes_are_not_marks);
	tcase_add_test(tc, labels_before_marks);
	tcase_add_test(tc, mark_in_running_text);
	tcase_add_test(tc, acronyms_are_not_marks);
	tcase_add_test(tc, table_rows);
	tcase_add_test(tc, ocr_forms);
	tcase_add_test(tc, html_input);
	tcase_add_test(tc, cell_portions);
	tcase_add_test(tc, page_scopes);
	tcase_add_test(tc, banners_in_body);
	tcase_add_test(tc, buried_marks);
	tcase_add_test(tc, malformed_marks);
	tcase_add_test(tc, unknown_token_warns);
	tcase_add_test(tc, unmarked_document);
	tcase_add_test(tc, crlf_and_no_final_newline);
	tcase_add_test(tc, nul_and_invalid_utf8);
	tcase_add_test(tc, empty_document);
	tcase_add_test(tc, ten_megabyte_line);
	tcase_add_test(tc, chunking_does_not_matter);
	tcase_add_test(tc, seed_london_2007);
	tcase_add_test(tc, seed_london_2009);
	tcase_add_test(tc, seed_news);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
