/*
 * test_header.c: the header zone on the forms real archives put before
 * and around the banner: publishers' preambles, date lines, wrapped
 * address lists, DTGs without a VZCZC line, damaged and run-in banners,
 * the register's spaced forms, markdown banners, "Overall
 * Classification:" lines and a banner with a title on its line.  Every
 * text here is made up; the forms are those of real cables and memos.
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

static void
teardown(void)
{
	tlcheck_doc_free(&D);
}

static const tl_portion *
portion_at_line(unsigned long line)
{
	return tlcheck_portion_at(&D, line);
}

/* ---- what comes before the banner ------------------------------------ */

START_TEST(publisher_note_and_date_line)
{
	parse_str(
	    "This record is a partial extract of the original cable. The full text of the original cable is not available.\n"
	    "\n"
	    "Tuesday, 14 March 2006, 09:12\n"
	    "S E C R E T SECTION 01 OF 02 VALLETTA 000321\n"
	    "\n"
	    "SIPDIS\n"
	    "\n"
	    "EO 12958 DECL: 03/13/2016\n"
	    "SUBJECT: HARBOUR TALKS\n"
	    "\n"
	    "1. (S) The minister said.\n");
	ck_assert_uint_eq(D.info.banner.line, 4);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert_int_eq(D.roles[0], TL_LINE_ROUTING);
	ck_assert_int_eq(D.roles[2], TL_LINE_ROUTING);
	ck_assert_str_eq(D.info.date, "2006-03-14");
	ck_assert_uint_eq(D.info.subject_line, 9);
	ck_assert_uint_eq(D.info.declassify.line, 8);
}
END_TEST

START_TEST(dtg_without_vzczc_and_wrapped_addresses)
{
	static const char *const dtg[] = {
		"O R 141437Z NOV 07", "O 071830Z SEP 07 ZDK", "P R 020915Z AUG 09",
		"O P 131528Z MAY 08", "R 281125Z FEB 09 ZDS",
	};
	char doc[1024];
	size_t i;

	for (i = 0; i < sizeof dtg / sizeof dtg[0]; i++) {
		snprintf(doc, sizeof doc,
		    "%s\n"
		    "FM AMEMBASSY VALLETTA\n"
		    "TO SECSTATE WASHDC IMMEDIATE 4411\n"
		    "INFO EUROPEAN POLITICAL COLLECTIVE PRIORITY\n"
		    "AMEMBASSY ROME PRIORITY\n"
		    "CIA WASHINGTON DC//NHTC// 0112\n"
		    "RUEHROV RUEHSR RUEHVK\n"
		    "\n"
		    "C O N F I D E N T I A L VALLETTA 000321\n"
		    "\n"
		    "1. (C) Text.\n", dtg[i]);
		parse_str(doc);
		ck_assert_msg(D.info.banner.line == 9, "\"%s\": banner at %lu",
		    dtg[i], D.info.banner.line);
		ck_assert_msg(D.roles[0] == TL_LINE_ROUTING, "\"%s\" not routing", dtg[i]);
		ck_assert_int_eq(D.roles[4], TL_LINE_ROUTING);
		ck_assert_int_eq(D.roles[5], TL_LINE_ROUTING);
		ck_assert_int_eq(D.roles[6], TL_LINE_ROUTING);
		ck_assert_msg(D.info.date[0] != '\0', "\"%s\": no date", dtg[i]);
	}
}
END_TEST

/* A line the header cannot read, before the banner: it is held, then
 * becomes text decided at the document's level, and the banner is read. */
START_TEST(unknown_preamble_is_text_before_the_banner)
{
	parse_str(
	    "null\n"
	    "Jane Q Clerk  04/02/2006 10:11:12 AM  From  DB/Inbox:  Search Results\n"
	    "\n"
	    "Cable\n"
	    "CONFIDENTIAL\n"
	    "\n"
	    "SUBJECT: FISHING RIGHTS\n"
	    "\n"
	    "1. (C) Text.\n");
	ck_assert_uint_eq(D.info.banner.line, 5);
	ck_assert_uint_eq(D.owner[0], 1);
	ck_assert_int_eq(portion_at_line(1)->kind, TL_PORTION_TEXT);
	ck_assert(!portion_at_line(1)->marked);
	ck_assert_int_eq(D.roles[4], TL_LINE_BANNER);
	ck_assert_uint_eq(D.owner[4], 0);
	ck_assert_uint_eq(D.info.subject_line, 7);
}
END_TEST

/* With no banner after them, held lines are the body's, as if never
 * held: the same portions as a parse that never holds. */
START_TEST(held_lines_without_banner_are_body)
{
	parse_str(
	    "Notes from the meeting\n"
	    "The minister said little.\n"
	    "\n"
	    "1. (C) Text.\n");
	ck_assert_uint_eq(D.info.banner.line, 0);
	ck_assert_uint_eq(D.nportions, 2);
	ck_assert_uint_eq(D.portions[0].line, 1);
	ck_assert_uint_eq(D.portions[0].end_line, 2);
	ck_assert(D.portions[1].marked);
	ck_assert_int_eq(D.roles[1], TL_LINE_BODY);
}
END_TEST

/* A control line after an unknown header line still reaches the banner. */
START_TEST(control_line_after_unknown_header_line)
{
	parse_str(
	    "S E C R E T VALLETTA 000400\n"
	    "\n"
	    "C O R R E C T E D  C O P Y - ADDED CAPTION\n"
	    "NOFORN\n"
	    "SIPDIS\n"
	    "\n"
	    "UNCLAS SECTION 01 OF 02 VALLETTA 000401\n");
	ck_assert(tl_marking_has(&D.info.banner.marking, "NOFORN"));
	ck_assert_int_eq(D.roles[3], TL_LINE_CONTROL);
	parse_str(
	    "UNCLAS SECTION 01 OF 02 VALLETTA 000401\n"
	    "\n"
	    "DOJ PLEASE PASS TO THE OFFICE OF THE\n"
	    "ATTORNEY GENERAL\n"
	    "\n"
	    "SENSITIVE\n"
	    "\n"
	    "E.O. 12958: N/A\n"
	    "\n"
	    "1. (SBU) Text.\n");
	ck_assert(tl_marking_has(&D.info.banner.marking, "SBU"));
	ck_assert_int_eq(D.roles[5], TL_LINE_CONTROL);
}
END_TEST

/* ---- banner forms ------------------------------------------------------ */

START_TEST(banner_forms_of_real_archives)
{
	static const struct {
		const char *line;
		tl_level level;
		const char *control;
		bool damaged;
	} t[] = {
		{ "C ONFIDENTIAL SECTION 01 of 02 VALLETTA 000123", TL_LEVEL_CONFIDENTIAL, NULL, true },
		{ "CSE C R E T VALLETTA 000123", TL_LEVEL_SECRET, NULL, true },
		{ "SECRET SECTION 01 of 03 VALLETTA 000123", TL_LEVEL_SECRET, NULL, false },
		{ "UK TOP SECRET STRAP1", TL_LEVEL_TOP_SECRET, "STRAP1", false },
		{ "TOP SECRET STRAP1 COMINT", TL_LEVEL_TOP_SECRET, "SI", false },
		{ "SECRET STRAP 1", TL_LEVEL_SECRET, "STRAP1", false },
		{ "NATO SECRET", TL_LEVEL_SECRET, "NATO", false },
		{ "COSMIC TOP SECRET", TL_LEVEL_TOP_SECRET, "NATO", false },
		{ "# SECRET//COMINT//NOFORN//20320108", TL_LEVEL_SECRET, "NOFORN", false },
		{ "## TOP SECRET//SI//NOFORN", TL_LEVEL_TOP_SECRET, "SI", false },
		{ "**SECRET//NOFORN**", TL_LEVEL_SECRET, "NOFORN", false },
		{ "Overall Classification: TOP SECRET//SI//NOFORN", TL_LEVEL_TOP_SECRET, "NOFORN", false },
		{ "S E C R E T VALLETTA 000243 SIPDIS NOFORN", TL_LEVEL_SECRET, "NOFORN", false },
		{ "| This Exhibit is SECRET//NOFORN |  |  |", TL_LEVEL_SECRET, "NOFORN", false },
		{ "This document is classified TOP SECRET//SI", TL_LEVEL_TOP_SECRET, "SI", false },
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
		ck_assert_int_eq(D.roles[0], TL_LINE_BANNER);
	}
}
END_TEST

START_TEST(register_lookalikes_are_text)
{
	static const char *const t[] = {
		"TOP SECRET OFFICIALS MET IN THE CAPITAL",
		"SECRET SERVICE AGENTS 145 ARRESTED",
		"UK OFFICIALS SAID LITTLE",
		"NATO MEMBERS MET",
		"Classification: not yet decided",
		"This document is a work of fiction",
		"This is SECRET",
		"NS", /* a portion's abbreviation alone: scan noise */
	};
	char doc[256];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(doc, sizeof doc, "%s\n\n1. (U) Text.\n", t[i]);
		parse_str(doc);
		ck_assert_msg(D.info.banner.line == 0, "\"%s\" taken for a banner", t[i]);
	}
}
END_TEST

/* A banner whose line goes on: the banner is the document's, the line is
 * text decided at it. */
START_TEST(banner_with_title_or_run_in)
{
	parse_str("UNCLASSIFIED//FOR OFFICIAL USE ONLY HARBOURMASTER - Questions and Answers\n"
	    "\n"
	    "(U//FOUO) Text.\n");
	ck_assert_uint_eq(D.info.banner.line, 1);
	ck_assert(tl_marking_has(&D.info.banner.marking, "FOUO"));
	ck_assert_uint_eq(D.owner[0], 1);
	ck_assert(!portion_at_line(1)->marked);

	parse_str("C O N F I D E N T I A L SECTION 01 OF 02 VALLETTA 000228  SIPDIS  STATE FOR EUR/WE\n"
	    "\n"
	    "1.(C) Text.\n");
	ck_assert_uint_eq(D.info.banner.line, 1);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_CONFIDENTIAL);
	ck_assert_str_eq(D.info.banner.tail, "SECTION 01 OF 02 VALLETTA 000228");
	ck_assert_uint_eq(D.owner[0], 1);
}
END_TEST

START_TEST(declassify_on_capco)
{
	parse_str("SECRET//NOFORN\n"
	    "\n"
	    "Classified By: J. Doe, Chief\n"
	    "Derived From: NSA/CSSM 1-52\n"
	    "Declassify On: 20380401\n"
	    "\n"
	    "(S//NF) Text.\n");
	ck_assert_uint_eq(D.info.declassify.line, 5);
	ck_assert_str_eq(D.info.declassify.date, "2038-04-01");
	ck_assert_str_eq(D.info.declassify.text, "20380401");
	ck_assert_uint_eq(D.info.authority.line, 3);

	/* At the end, after the text, as memos end. */
	parse_str("SECRET//NOFORN\n"
	    "\n"
	    "(S//NF) Text of the memo.\n"
	    "Dated in the field, it goes on.\n"
	    "\n"
	    "Classified By: J. Doe, Chief\n"
	    "Derived From: NSA/CSSM 1-52\n"
	    "Dated: 20070108\n"
	    "Declassify On: 25X1\n");
	ck_assert_uint_eq(D.info.authority.line, 6);
	ck_assert_str_eq(D.info.authority.classified_by, "J. Doe, Chief");
	ck_assert_uint_eq(D.info.declassify.line, 9);
	ck_assert_str_eq(D.info.declassify.text, "25X1");
	ck_assert_int_eq(D.roles[5], TL_LINE_AUTHORITY);
	ck_assert_int_eq(D.roles[7], TL_LINE_AUTHORITY);
	ck_assert_int_eq(D.roles[8], TL_LINE_DECL);
	ck_assert_uint_eq(D.owner[5], 0);
	ck_assert_uint_eq(D.portions[0].end_line, 4);
	ck_assert_uint_eq(D.nportions, 1);
}
END_TEST

/* Two cable forms that ended a paragraph too late: a summary closed with
 * no stop, and the subject repeated after a page break. */
START_TEST(end_summary_and_repeated_subject)
{
	parse_str("SECRET\n"
	    "\n"
	    "1. (C) The minister spoke of ferries. END SUMMARY\n"
	    "\n"
	    "Harbour Talks Stall Again\n"
	    "------------------------\n"
	    "\n"
	    "2. (C) He went on to say that the quota\n"
	    "\n"
	    "VALLETTA 00000321 002 OF 002\n"
	    "\n"
	    "SUBJECT: HARBOUR TALKS STALL OVER FERRY QUOTAS\n"
	    "\n"
	    "would be cut.\n");
	ck_assert_uint_eq(portion_at_line(3)->end_line, 3);
	ck_assert(!portion_at_line(5)->marked);
	ck_assert_uint_ne(D.owner[11], D.owner[7]);
	ck_assert_uint_ne(D.owner[11], 0);
	ck_assert(!portion_at_line(12)->marked);
}
END_TEST

/* A converted briefing: a title page, then page banners in the body.
 * The first banner read is the document's; the highest raises it. */
START_TEST(page_banners_make_the_banner)
{
	parse_str("# Harbour Operations\n"
	    "\n"
	    "1. (U) Slide one text.\n"
	    "\n"
	    "# SECRET//REL TO USA, FVEY\n"
	    "\n"
	    "- (S//REL TO USA, FVEY) Slide two text.\n"
	    "\n"
	    "Overall Classification: TOP SECRET//SI//REL TO USA, FVEY\n");
	ck_assert_uint_eq(D.info.banner.line, 5);
	ck_assert_int_eq(D.info.banner.marking.level, TL_LEVEL_SECRET);
	ck_assert_int_eq(D.roles[4], TL_LINE_BANNER);
	ck_assert_int_eq(D.roles[8], TL_LINE_BANNER);
	ck_assert_uint_eq(D.info.closing.line, 9);
	ck_assert_int_eq(D.info.evidence.level, TL_LEVEL_TOP_SECRET);
	ck_assert(tl_marking_has(&D.info.evidence, "SI"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("header");
	TCase *tc = tcase_create("header");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, publisher_note_and_date_line);
	tcase_add_test(tc, dtg_without_vzczc_and_wrapped_addresses);
	tcase_add_test(tc, unknown_preamble_is_text_before_the_banner);
	tcase_add_test(tc, held_lines_without_banner_are_body);
	tcase_add_test(tc, control_line_after_unknown_header_line);
	tcase_add_test(tc, banner_forms_of_real_archives);
	tcase_add_test(tc, register_lookalikes_are_text);
	tcase_add_test(tc, banner_with_title_or_run_in);
	tcase_add_test(tc, declassify_on_capco);
	tcase_add_test(tc, end_summary_and_repeated_subject);
	tcase_add_test(tc, page_banners_make_the_banner);
	suite_add_tcase(s, tc);
	return tlcheck_run(s);
}
