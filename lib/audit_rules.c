/*
 * audit_rules.c: the audit's rules as data: for each stable id its
 * default severity, title, message template, the source it cites (an ISM
 * rule, the CFR, the E.O.) and its help text.  To add a rule: a row in
 * audit_rules.h's enum, its line here, the check in audit.c, and its
 * entry in tearline(1).
 */
#include "audit_rules.h"

#include <string.h>

#define E TL_SEV_ERROR
#define W TL_SEV_WARNING
#define N TL_SEV_NOTE
#define PORTION_SRC "32 CFR 2001.21 (portion marking)"

/* Messages take up to four details, {1} to {4}, filled in by report(). */
const tl_audit_rule tl_audit_rules[R_COUNT] = {
	[R_MARK_MALFORMED] = { "mark-malformed", E,
	    "A portion mark cannot be read",
	    "{1}", PORTION_SRC,
	    "A mark that cannot be read gives no level, so the portion is "
	    "withheld.  Rewrite it in a known form: (U), (C), (S//NF), "
	    "(S//REL TO USA, GBR)." },
	[R_MARK_UNKNOWN_TOKEN] = { "mark-unknown-token", W,
	    "A marking holds a control or country that is not known",
	    "{1}", "ISM controlled values (CVEs)",
	    "Controls and countries must come from the controlled "
	    "vocabularies; an unknown token withholds the portion.  Check the "
	    "spelling or use the ISO 3166 trigraph." },
	[R_MARK_BURIED] = { "mark-buried", W,
	    "A portion mark stands in the middle of a line or in a later "
	    "table cell",
	    "{1}", PORTION_SRC,
	    "A mark belongs at the start of its portion.  A buried mark may "
	    "classify the text around it, so the portion is decided at the "
	    "most restrictive of all its marks (unless the policy's "
	    "handling.buried-marks is trust-lead), and one that cannot be "
	    "read withholds it.  Split the portion, or move the mark to its "
	    "start." },
	[R_MARK_IN_RUNNING_TEXT] = { "mark-in-running-text", W,
	    "A mark at the start of a wrapped line would lower the running "
	    "paragraph's marking",
	    "{1}", PORTION_SRC,
	    "Without a blank line or a paragraph number before it, a "
	    "parenthesized word at the start of a line inside a paragraph is "
	    "read as text when taking it as a mark would release what the "
	    "paragraph withholds: \"(c)\" of an enumeration, an acronym.  "
	    "Start a real new portion with a blank line or a number." },
	[R_MARK_TRAILING] = { "mark-trailing", W,
	    "A portion's mark stands at the end of its line",
	    "{1}", PORTION_SRC,
	    "A clean mark that ends a line holding no mark of its own "
	    "(\"Section 2 - Definitions (U)\") is read as that line's mark, "
	    "and the line is a portion of its own.  A mark belongs at the "
	    "start of its portion: move it there." },
	[R_BANNER_DAMAGED] = { "banner-damaged", W,
	    "The classification banner is damaged (doubled or dropped "
	    "letter, re-typed case)",
	    "{1}", "32 CFR 2001.21 (overall marking)",
	    "The banner was read as the level shown, but a damaged banner "
	    "is easy to misread.  Retype it." },
	[R_AUTHORITY_RUN_IN] = { "authority-run-in", W,
	    "The Classified By line is run into the previous text",
	    "{1}", "32 CFR 2001.21(a)(1)",
	    "A lost line break put Classified By inside another line.  "
	    "Put it on a line of its own." },
	[R_INPUT_UTF8] = { "input-utf8", W, "The text is not valid UTF-8",
	    "{1}", "tearline input rules",
	    "Invalid bytes are kept as they are; columns count them one "
	    "each.  Convert the file to UTF-8." },
	[R_INPUT_NUL] = { "input-nul", E, "The text holds a NUL byte",
	    "{1}", "tearline input rules",
	    "A NUL byte is not text; the portion that holds it is withheld." },
	[R_INPUT_CRLF] = { "input-crlf", N, "The text has CRLF line endings",
	    "{1}", "tearline input rules",
	    "Only a note: copies keep the line endings they had." },
	[R_INPUT_HTML] = { "input-html", N, "The text was read from HTML",
	    "{1}", "tearline input rules",
	    "Only a note: tags were removed, block elements and <br> end "
	    "lines, table rows read as \"| cell | cell |\"; line numbers "
	    "are those of that text." },
	[R_INPUT_EMPTY] = { "input-empty", W, "The document is empty",
	    "{1}", "tearline input rules",
	    "An empty file has nothing to audit.  Check the path." },
	[R_PARSE_DIAGNOSTIC] = { "parse-diagnostic", W,
	    "Another diagnostic of the parser",
	    "{1} [{2}]", "tearline parser",
	    "A parser diagnostic this version of the audit has no rule "
	    "for; its own rule id is in brackets." },
	[R_PORTION_ABOVE_BANNER] = { "portion-above-banner", E,
	    "A portion is classified above the banner: a spill risk",
	    "portion marked ({1}) is {2}, above the banner level {3}: "
	    "spill risk",
	    "ISM-ID-00056; 32 CFR 2001.21 (overall marking)",
	    "The banner must be at least the highest level of any portion, "
	    "or readers cleared for the banner read the portion.  Raise the "
	    "banner or correct the portion mark." },
	[R_BANNER_ABOVE_PORTIONS] = { "banner-above-portions", W,
	    "The banner is above every portion",
	    "banner level {1} is above every portion (highest: {2} at line "
	    "{3}); a compilation needs its reason stated",
	    "ISM-ID-00108",
	    "A banner above all portions over-classifies, unless the "
	    "compilation itself is classified; then the reason is stated.  "
	    "Lower the banner or mark the compilation." },
	[R_BANNER_MISSING] = { "banner-missing", E,
	    "A document with classified portions has no banner",
	    "no classification banner, but the portion at line {1} is {2}",
	    "32 CFR 2001.21 (overall marking)",
	    "The overall classification must be marked at the top of the "
	    "document.  Add a banner at least as high as every portion." },
	[R_BANNER_CONTROL_MISSING] = { "banner-control-missing", E,
	    "A portion's control is missing from the banner",
	    "the banner lacks {1}, carried by the portion at line {2}",
	    "ISM-ID-00060 to ISM-ID-00086",
	    "Dissemination controls of the portions (NOFORN, ORCON, PROPIN, "
	    "FGI, NODIS, EXDIS, SBU in an unclassified document...) roll up "
	    "to the banner.  Add the control to the banner." },
	[R_BANNER_CONTROL_UNBACKED] = { "banner-control-unbacked", W,
	    "The banner carries a control no portion carries",
	    "the banner carries {1}, but no portion does",
	    "ISM-ID-00111 to ISM-ID-00116",
	    "Every control of the banner is backed by some portion.  Remove "
	    "it from the banner or mark the portion that needs it." },
	[R_BANNER_RELTO_WIDER] = { "banner-relto-wider", E,
	    "The banner's REL TO releases more than the portions allow",
	    "banner REL TO {1}, but {2}",
	    "ISM-ID-00320; ISM-ID-00088",
	    "The banner REL TO list is the intersection of the portions' "
	    "lists; a NOFORN portion, or a classified portion without REL "
	    "TO, forbids a banner REL TO.  Narrow the banner." },
	[R_BANNER_RELTO_NARROWER] = { "banner-relto-narrower", W,
	    "The banner's REL TO is narrower than the portions' lists",
	    "{1}", "ISM-ID-00320",
	    "Every classified portion is releasable to the countries named; "
	    "the banner releases to fewer.  Not a spill, but the document "
	    "is held back from readers it could go to." },
	[R_BANNER_CLOSING_MISMATCH] = { "banner-closing-mismatch", W,
	    "The closing banner disagrees with the opening banner",
	    "closing banner is {1}, the opening banner {2}",
	    "32 CFR 2001.21 (overall marking)",
	    "The overall marking is the same at the top and the bottom.  "
	    "Make the banners agree." },
	[R_ROUTING_MISMATCH] = { "routing-mismatch", E,
	    "The routing class letters disagree with the banner",
	    "routing class {1} means {2}, the banner is {3}",
	    "ACP 127 (security warning operating signal)",
	    "ZNY SSSSS (SECRET), CCCCC (CONFIDENTIAL) or ZNR UUUUU "
	    "(unclassified) is how the network handled the cable; it must "
	    "agree with the banner." },
	[R_NOFORN_RELTO] = { "noforn-relto", E,
	    "NOFORN (or NODIS/EXDIS) together with REL TO, EYES ONLY or "
	    "RELIDO",
	    "{1} \"{2}\" has {3} together with a release to foreign "
	    "countries", "ISM-ID-00033",
	    "NOFORN forbids any foreign release and NODIS/EXDIS imply it; a "
	    "REL TO list in the same marking contradicts it.  Keep one." },
	[R_NODIS_EXDIS] = { "nodis-exdis", E,
	    "NODIS and EXDIS in the same marking",
	    "{1} \"{2}\" has both NODIS and EXDIS",
	    "DoS distribution captions",
	    "NODIS and EXDIS are exclusive distribution captions.  Keep the "
	    "one that applies." },
	[R_RELTO_ORDER] = { "relto-order", W,
	    "A REL TO list is out of order or lacks USA",
	    "REL TO list \"{1}\": write \"{2}\" (USA first, then trigraphs, "
	    "then tetragraphs, each alphabetically)",
	    "ISM-ID-00214; ISM-ID-00041",
	    "REL TO lists begin with USA, then ISO 3166 trigraphs in "
	    "alphabetical order, then tetragraphs (FVEY, NATO)." },
	[R_RELTO_USA_ONLY] = { "relto-usa-only", E,
	    "REL TO USA alone",
	    "{1} \"{2}\" is REL TO USA alone; that is not a release",
	    "ISM-ID-00214",
	    "REL TO USA with no other country releases to no one; write "
	    "NOFORN instead." },
	[R_RELTO_FORM] = { "relto-form", W,
	    "A REL TO list that names countries other than by their codes",
	    "{1} \"{2}\" writes \"{3}\" in a REL TO list; write \"{4}\"",
	    "ISM-ID-00041",
	    "A REL TO list names countries by ISO 3166 trigraphs (GBR, not "
	    "UK or UNITED KINGDOM) and groups by tetragraphs (FVEY).  The "
	    "cable form \"REL UK\" is accepted as it was written." },
	[R_CONTROL_DUPLICATE] = { "control-duplicate", W,
	    "A control or country appears twice in one marking",
	    "{1} \"{2}\" has {3} twice", "ISM controlled values (CVEs)",
	    "Each control and each country is written once." },
	[R_CONTROL_DEPRECATED] = { "control-deprecated", W,
	    "A deprecated control",
	    "{1} \"{2}\" uses {3}, replaced by {4}", "12 FAM 540",
	    "LIMITED OFFICIAL USE (LOU) was replaced by SENSITIVE BUT "
	    "UNCLASSIFIED (SBU)." },
	[R_UNCLASS_CONTROL_CLASSIFIED] = { "unclass-control-classified", E,
	    "FOUO, SBU, LES or LOU on a classified marking",
	    "{1} \"{2}\" is {3} and carries {4}, a marking for unclassified "
	    "information only",
	    "ISM-ID-00030; 32 CFR 2001.23(a)",
	    "FOUO, SBU, LES and LOU mark unclassified information; with a "
	    "classification level they are prohibited.  Drop the control "
	    "or correct the level." },
	[R_CONTROL_BELOW_CONFIDENTIAL] = { "control-below-confidential", E,
	    "ORCON, SI, TK, HCS or FGI below CONFIDENTIAL",
	    "{1} \"{2}\" is {3} but carries {4}, which needs CONFIDENTIAL "
	    "or higher", "ISM-ID-00028",
	    "ORCON, the SCI control systems and FGI are only used on "
	    "classified information.  Correct the level or the control." },
	[R_PORTION_UNMARKED] = { "portion-unmarked", E,
	    "An unmarked paragraph in a classified document",
	    "unmarked {1} in a {2} document{3}", PORTION_SRC,
	    "Every portion of a classified document is marked; an unmarked "
	    "paragraph is withheld.  Add its portion mark." },
	[R_PORTION_UNMARKED_ITEM] = { "portion-unmarked-item", W,
	    "An unmarked bullet or sub-paragraph in a classified document",
	    "unmarked {1} in a {2} document{3}", PORTION_SRC,
	    "Bullets and sub-paragraphs are portions too.  Add a mark." },
	[R_PORTION_UNMARKED_HEADING] = { "portion-unmarked-heading", W,
	    "An unmarked heading in a classified document",
	    "unmarked {1} in a {2} document{3}", PORTION_SRC,
	    "Headings are portions; unmarked they are withheld.  Mark them, "
	    "e.g. (U) Summary." },
	[R_PORTION_UNMARKED_TRAILER] = { "portion-unmarked-trailer", W,
	    "Unmarked text after the last marked portion (signature, "
	    "trailer)",
	    "unmarked {1} after the last marked portion in a {2} "
	    "document{3}", PORTION_SRC,
	    "Short unmarked text at the end is usually a signature or a "
	    "trailer; it is withheld.  Mark it if it is content." },
	[R_SUBJECT_UNMARKED] = { "subject-unmarked", E,
	    "An unmarked SUBJECT line in a classified document",
	    "unmarked {1} in a {2} document{3}",
	    "32 CFR 2001.21 (portion marking); DoDM 5200.01 Vol 2 "
	    "(subjects and titles)",
	    "The subject line is a portion: mark it, e.g. SUBJECT: (U) ..." },
	[R_DOCUMENT_UNMARKED] = { "document-unmarked", N,
	    "A document without banner or portion marks",
	    "no classification banner and no portion marks: treated as an "
	    "unmarked document", "32 CFR 2001.21",
	    "Nothing in the document is marked; every portion is withheld by "
	    "a policy that withholds unmarked text." },
	[R_AUTHORITY_MISSING] = { "authority-missing", E,
	    "A classified document without Classified By or Derived From",
	    "{1} document without a Classified By (or Derived From) line",
	    "ISM-ID-00013; 32 CFR 2001.21(a)(1)",
	    "The classification authority is named on the face of every "
	    "classified document." },
	[R_REASON_MISSING] = { "reason-missing", E,
	    "A Classified By line without a reason",
	    "Classified By without a reason (1.4 and a letter a-h)",
	    "ISM-ID-00017; 32 CFR 2001.21(a)(3)",
	    "Original classification states its reason: 1.4 and the letters "
	    "of the categories, e.g. reasons 1.4 (b,d)." },
	[R_REASON_INVALID] = { "reason-invalid", E,
	    "A classification reason outside 1.4(a)-(h)",
	    "reason {1} {2}",
	    "E.O. 13526 sec. 1.4; E.O. 12958 sec. 1.5",
	    "Reasons are 1.4(a) to 1.4(h); cables before the 2003 amendment "
	    "wrote 1.5(a) to 1.5(g)." },
	[R_DECLASS_MISSING] = { "declass-missing", E,
	    "A classified document without declassification instructions",
	    "{1}", "ISM-ID-00014; 32 CFR 2001.21(a)(4)",
	    "A classified document carries a declassification date, event "
	    "or exemption: E.O. 12958: DECL: 11/18/2027." },
	[R_DECLASS_DATE_INVALID] = { "declass-date-invalid", E,
	    "A declassification date that is not a date",
	    "DECL \"{1}\" is not a date", "32 CFR 2001.21(a)(4)",
	    "Write the date as MM/DD/YYYY (or YYYY-MM-DD) with a real month "
	    "and day." },
	[R_DECLASS_EARLY] = { "declass-early", E,
	    "A declassification date before the document's date",
	    "DECL {1} is before the document's date {2}",
	    "32 CFR 2001.21(a)(4)",
	    "A document cannot be declassified before it was written; the "
	    "date is probably mistyped." },
	[R_DECLASS_LATE] = { "declass-late", E,
	    "A declassification date more than 25 years out without an "
	    "exemption",
	    "DECL {1} is more than 25 years after the document's date {2} "
	    "and cites no exemption", "E.O. 13526 sec. 1.5",
	    "Classification lasts at most 25 years unless an exemption "
	    "(25X1-25X9, 50X1-HUM...) is cited." },
	[R_AUTHORITY_UNCLASSIFIED] = { "authority-unclassified", W,
	    "An unclassified document with an authority block",
	    "{1} document carries {2}", "ISM-ID-00016",
	    "Classified By and declassification dates belong on classified "
	    "documents only." },
	[R_AUDIT_TRUNCATED] = { "audit-truncated", N,
	    "Findings were left out of the output",
	    "{1}", "tearline output limits",
	    "The output keeps a bounded number of findings; the count of the "
	    "rest is given." },
	[R_CONSISTENCY_MARK] = { "consistency-mark", W,
	    "A passage is marked two ways across the documents",
	    "passage also in {1}:{2}, marked ({3}) there and ({4}) here: one "
	    "copy may release what the other withholds",
	    "tearline consistency rules (one archive, one answer)",
	    "The same twelve words or more stand in two documents at two "
	    "levels.  Mark them alike, or withhold them at the higher level "
	    "in both copies." },
};

#undef E
#undef W
#undef N

size_t
tl_audit_rule_count(void)
{
	return R_COUNT;
}

const tl_audit_rule *
tl_audit_rule_at(size_t index)
{
	return index < R_COUNT ? &tl_audit_rules[index] : NULL;
}

long
tl_audit_rule_find(const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < R_COUNT; i++)
		if (strcmp(tl_audit_rules[i].id, id) == 0)
			return (long)i;
	return -1;
}
