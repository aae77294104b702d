/*
 * tearline.h: the one public header of libtearline.
 *
 * tearline reads classification-marked documents (diplomatic cables and the
 * like), decides for each portion whether a given reader may see it, writes
 * the releasable copy, and proves what it did with a signed log.
 *
 * Pipeline, one stage per source file:
 *   parse (tl_parser) -> model (tl_portion, tl_docinfo) -> policy (tl_decide)
 *   -> redact -> log/sign -> verify.   audit reads the model only.
 *
 * Rules that hold for every declaration below:
 * - Fallible calls return tl_status (TL_OK == 0) and, when given a tl_diag,
 *   fill it with a position and a message.  They never print or exit.
 * - Arguments are borrowed.  Objects returned through _new/_load/_parse
 *   belong to the caller and are released with the matching _free;
 *   every _free accepts NULL.
 * - Zero values fail closed: TL_LEVEL_UNKNOWN ranks above every level,
 *   TL_WITHHOLD == 0, TL_SEV_ERROR == 0.
 * - Lines and columns are 1-based; columns count Unicode code points
 *   (bytes, where a line is not valid UTF-8).  0 means "no position".
 */
#ifndef TEARLINE_H
#define TEARLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Library version, "MAJOR.MINOR.PATCH". */
#define TEARLINE_VERSION "0.1.0"

/** Returns the version of the linked library (may differ from the header). */
const char *tl_version(void);

/* ------------------------------------------------------------------------
 * Status and diagnostics
 * ---------------------------------------------------------------------- */

/** Result of every fallible call. */
typedef enum tl_status {
	TL_OK = 0,
	TL_ENOMEM,   /**< out of memory */
	TL_EIO,      /**< a read, write, rename or fsync failed */
	TL_ELIMIT,   /**< input over a hard cap (line, header, entries) */
	TL_ESYNTAX,  /**< malformed input: document, YAML, key, signature, log */
	TL_EPOLICY,  /**< a policy that loads but does not make sense */
	TL_EUSAGE,   /**< a bad argument from the caller */
	TL_ECRYPTO,  /**< a key that cannot be used (wrong password, bad checksum) */
	TL_EVERIFY,  /**< a signature, chain, root or hash did not verify */
	TL_EEXIST,   /**< the output exists and overwriting was not asked for */
	TL_EINTR,    /**< interrupted by a signal; partial output was removed */
	TL_ENOTFOUND /**< a named reader, rule or entry does not exist */
} tl_status;

/** Returns a static, one-line description of a status. Never NULL. */
const char *tl_strerror(tl_status status);

/** Severity of a diagnostic.  The zero value is the strictest. */
typedef enum tl_severity {
	TL_SEV_ERROR = 0,
	TL_SEV_WARNING,
	TL_SEV_NOTE
} tl_severity;

/** Returns "error", "warning" or "note". */
const char *tl_severity_name(tl_severity severity);

/**
 * A diagnostic: where, how bad, which rule, what.  Owned by the caller,
 * filled by the library.  Strings are always NUL-terminated and truncated
 * to fit.  `rule` is a stable id such as "mark-malformed"; empty if none.
 */
typedef struct tl_diag {
	tl_status status;
	tl_severity severity;
	unsigned long line;
	unsigned long col;
	char file[256];
	char rule[48];
	char message[400];
} tl_diag;

/**
 * Formats `d` as "file:line:col: severity: message [rule]" (fields that are
 * absent are left out) into `buf` of `size` bytes, NUL-terminated.
 * Returns the length the full text needs, as snprintf does.
 */
size_t tl_diag_format(const tl_diag *d, char *buf, size_t size);

/**
 * A sink for output: called with consecutive pieces of the output.
 * Returns TL_OK or a status that aborts the writer that called it.
 */
typedef tl_status (*tl_write_fn)(void *ctx, const char *bytes, size_t len);

/* ------------------------------------------------------------------------
 * Markings: the grammar of one portion mark or banner string (mark.c)
 * ---------------------------------------------------------------------- */

/**
 * Classification levels the grammar knows.  Values are names, not ranks:
 * the policy orders them.  TL_LEVEL_UNKNOWN (0) is an unreadable level and
 * ranks above every other level in every policy.
 */
typedef enum tl_level {
	TL_LEVEL_UNKNOWN = 0,
	TL_LEVEL_UNCLASSIFIED,
	TL_LEVEL_CONFIDENTIAL,
	TL_LEVEL_SECRET,
	TL_LEVEL_TOP_SECRET,
	TL_LEVEL_OFFICIAL,           /**< UK GSC (2014 on) */
	TL_LEVEL_OFFICIAL_SENSITIVE, /**< UK GSC */
	TL_LEVEL_PROTECT,            /**< older UK scheme */
	TL_LEVEL_RESTRICTED          /**< older UK scheme */
} tl_level;

/** Number of tl_level values, for tables indexed by level. */
#define TL_LEVEL_COUNT 9

/** Canonical name ("UNCLASSIFIED", "TOP SECRET", "UNKNOWN"). Never NULL. */
const char *tl_level_name(tl_level level);

/** Level for a canonical name or a form the register gives the level
 *  itself (U, C, S, TS, UNCLAS, TOPSECRET, R...), case-insensitive;
 *  TL_LEVEL_UNKNOWN when not recognized, and for forms that are a level
 *  and controls (SBU, NATO SECRET: tl_marking_parse reads those). */
tl_level tl_level_lookup(const char *name, size_t len);

#define TL_TOKEN_MAX 32        /**< bytes per token, NUL included */
#define TL_MARK_CONTROLS_MAX 12 /**< controls kept per marking */
#define TL_MARK_REL_MAX 32      /**< countries kept per REL TO list */
#define TL_MARK_UNKNOWN_MAX 4   /**< unknown tokens kept per marking */
#define TL_MARK_FGI_MAX 16      /**< FGI, non-US and JOINT countries kept */

/**
 * One parsed marking: a portion mark "(S//REL TO USA, GBR)" without its
 * parentheses, or the classification part of a banner ("SECRET//NOFORN").
 * A plain value, no pointers: copy it freely.  A zeroed tl_marking reads
 * as level UNKNOWN, which withholds.
 */
typedef struct tl_marking {
	tl_level level;
	/** Level token as written, upper-cased, inner spaces removed ("C",
	 *  "UNCLAS", "SECRET"); lets a policy resolve its own aliases. */
	char level_token[TL_TOKEN_MAX];
	/** Canonical control names in written order, REL TO excluded, as
	 *  the register (tearline-register(5)) names them: "NOFORN",
	 *  "ORCON", "SBU", "FOUO", "FGI", "SI" (for SI, COMINT, SPECIAL
	 *  INTELLIGENCE), "SI-G", "TK", "HCS", "SI-ECI ABC", "SAR-BP", "RD",
	 *  "CNWDI", "NATO", "ATOMAL", "DISPLAY ONLY", "STRAP1", "NODIS",
	 *  "UK EYES ONLY"...  A form that stands for several controls adds
	 *  each: "NATO SECRET" is level SECRET with "NATO", "SBU-NF" is "SBU"
	 *  and "NOFORN". */
	unsigned ncontrols;
	char controls[TL_MARK_CONTROLS_MAX][TL_TOKEN_MAX];
	/** A REL TO list was written ("REL TO USA, GBR", "REL UK"). */
	bool rel_to;
	/** The modern form "REL TO" was used (not the cable form "REL"). */
	bool rel_to_form;
	/** Countries of the REL TO list as ISO 3166 trigraphs or tetragraphs
	 *  (FVEY, NATO), in written order, USA only if written. */
	unsigned nrel;
	char rel[TL_MARK_REL_MAX][8];
	/** Tokens that are neither a level, a control nor a country. */
	unsigned nunknown;
	char unknown[TL_MARK_UNKNOWN_MAX][TL_TOKEN_MAX];
	/** Three-letter codes of the REL TO or DISPLAY ONLY list that no
	 *  country table knows ("CBR", an OCR'd GBR).  They stay in `rel`,
	 *  where a decision lets them admit nobody (a reader who claims the
	 *  code included): they never widen a release, so they withhold
	 *  nothing (unlike `unknown`); tl_marking_parse still names them. */
	unsigned nrel_unknown;
	char rel_unknown[TL_MARK_UNKNOWN_MAX][8];
	/** Syntax error (no level, empty, unbalanced): the mark cannot be
	 *  trusted and must withhold.  The parser says why in a diagnostic. */
	bool malformed;
	/** A bare "REL" with no list ("S//SI//REL"): CAPCO lets a portion
	 *  say REL when its list is the banner's.  rel_to is set and the
	 *  list is empty (nrel == ndisplay): a decision that does not take
	 *  the banner's list admits only the REL TO control's implicit
	 *  nationalities. */
	bool rel_banner;
	/** The last `ndisplay` entries of `rel` came from a DISPLAY ONLY
	 *  list ("DISPLAY ONLY AFG, IRQ"; the control "DISPLAY ONLY" is in
	 *  `controls`).  For foreign disclosure they count as REL TO
	 *  countries; rel_to is set only by a REL TO list. */
	unsigned ndisplay;
	/** Countries named by "FGI DEU GBR", the owner of a non-US level
	 *  ("//GBR SECRET": control FGI, country GBR) or the owners of a
	 *  JOINT one ("//JOINT SECRET CAN GBR USA": control JOINT). */
	unsigned nfgi;
	char fgi[TL_MARK_FGI_MAX][8];
	/** The declassification field of a banner, as written, upper case
	 *  ("20320108", "25X1", "25X1-HUMAN", "MR"); "" when none.  Never
	 *  an unknown token. */
	char declass[24];
} tl_marking;

/**
 * Reads the STANAG 4774 confidentiality label (ADatP-4774's XML form) at
 * `path` into `out`: the marking it says ("NATO" and "SECRET" with a
 * RESTRICTIVE category ATOMAL and a PERMISSIVE "Releasable To" of SWE:
 * NATO SECRET//ATOMAL//REL TO SWE), and that marking's text into
 * text[0..textlen) (may be NULL).  Returns TL_OK; TL_EIO, TL_ELIMIT (over
 * 64 KiB), TL_ESYNTAX (not such a label, a DOCTYPE, a classification the
 * register cannot read), with file:line:col in `diag`.  Unknown category
 * values are kept as unknown tokens: they withhold what inherits them.
 */
tl_status tl_label_read(const char *path, tl_marking *out, char *text,
    size_t textlen, tl_diag *diag);

/**
 * Gives the label marking `m` (read by tl_label_read from `source`) to the
 * one document the following parses read: the first document parsed
 * takes it (tl_docinfo.labelled), and a parse of another document fails
 * with TL_EUSAGE, so a label never reaches a document it was not given
 * for.  NULL forgets it.  Not thread-safe: call it before parsing.
 */
void tl_label_use(const tl_marking *m, const char *source);

/**
 * Parses the text of one mark, `len` bytes at `text`, without the
 * surrounding parentheses: "C/NF", "s//rel to usa, gbr", "SECRET//NOFORN",
 * "TS//SI-G//OC/NF", "S/REL FRANCE, BRITAIN, AND QATAR", " C ",
 * "S//OC,NF", "S//SI//REL", "//GBR S", "//NATO SECRET//ATOMAL",
 * "TOP SECRET STRAP1 COMINT", "TOP SECRET//COMINT//REL TO USA, FVEY//
 * 20320108".  The words come from the marking register (see
 * tl_register_load).  Always fills `out` (zeroed first).  Returns TL_OK
 * for a clean marking, TL_ESYNTAX when `out->malformed`, `out->nunknown`
 * or `out->nrel_unknown` is set; then `why` (may be NULL) receives a
 * one-line reason of at most `whylen` bytes, naming the first unknown
 * token.
 */
tl_status tl_marking_parse(const char *text, size_t len, tl_marking *out,
    char *why, size_t whylen);

/**
 * Adds the entries of the register extension file at `path` (format:
 * tearline-register(5)) to the marking register, which starts as the
 * register compiled into the library (register/tearline.reg: the CAPCO
 * register, cable, UK and NATO forms).  This is how an office adds a
 * level form, a control or an alias of one without a rebuild.  A file
 * is taken whole or not at all.  Returns TL_OK; TL_EIO (cannot read),
 * TL_ESYNTAX (a line that is not an entry, a form defined twice, a
 * target that is not a level or control), TL_ELIMIT (over 1 MiB, or
 * the register full), with `diag` (may be NULL) naming file and line.
 * Not thread-safe: load before any thread parses marks, since the
 * grammar reads the register without a lock.
 */
tl_status tl_register_load(const char *path, tl_diag *diag);

/** As tl_register_load, from `len` bytes at `bytes`; `name` is the file
 *  name used in diagnostics. */
tl_status tl_register_load_buffer(const char *name, const char *bytes,
    size_t len, tl_diag *diag);

/** Drops every extension: back to the compiled-in register alone.
 *  Not thread-safe, as tl_register_load. */
void tl_register_reset(void);

/**
 * Writes the canonical banner form of `m` ("SECRET//NOFORN",
 * "SECRET//REL TO USA, GBR", "TOP SECRET//SI//NOFORN", "UNCLASSIFIED")
 * into `buf`, NUL-terminated.  Returns the length needed, as snprintf.
 * Controls come in the register's order of categories; REL TO lists
 * USA first, then trigraphs, then tetragraphs; a bare REL as "REL";
 * FGI and JOINT with their countries, DISPLAY ONLY with its list; the
 * declassification field last ("SECRET//FGI DEU//NOFORN//25X1").
 */
size_t tl_marking_format(const tl_marking *m, char *buf, size_t size);

/**
 * Writes mark text `text` (`len` bytes), or any text quoted from one,
 * into `buf` (NUL-terminated, truncated to `size`) with every word that
 * is not a form of the marking register (a level, control, country or
 * declassification field, alone or as part of a longer form such as
 * "REL TO"), written in capitals, replaced by "?": "S//REL TO USA, XYZ"
 * stays "S//REL TO USA, ?", "(the plan/it is at noon)" becomes
 * "(? ?/? ? ? ?)" (a mark written in lower case is masked whole).  Separators (blanks,
 * "/", ",", parentheses) are kept.  For showing a mark where the text it
 * may really be (a parenthesis the parser took for a mark) must not be
 * shown.  Returns the length needed, as snprintf.
 */
size_t tl_marking_mask(const char *text, size_t len, char *buf, size_t size);

/** True when `m` carries control `name` (canonical, e.g. "NOFORN"). */
bool tl_marking_has(const tl_marking *m, const char *name);

/**
 * ISO 3166 trigraph or tetragraph for a country name or code as found in
 * REL TO lists ("UK", "BRITAIN", "GBR", "United Kingdom" -> "GBR";
 * "FVEY" -> "FVEY"), case-insensitive; also the register's other codes
 * ("ISAF", "XKS").  Returns a static string, or NULL when the name is
 * not known.
 */
const char *tl_country_code(const char *name, size_t len);

/** Members of a tetragraph group ("FVEY" -> "USA AUS CAN GBR NZL"),
 *  space-separated, static; NULL when `code` is not a known group. */
const char *tl_country_group(const char *code);

/* ------------------------------------------------------------------------
 * The document model (parse.c)
 * ---------------------------------------------------------------------- */

/** What a portion is.  Unmarked kinds are still portions: they withhold. */
typedef enum tl_portion_kind {
	TL_PORTION_PARAGRAPH = 0, /**< a body paragraph, numbered or not */
	TL_PORTION_SUBJECT,       /**< the SUBJECT line, itself a portion */
	TL_PORTION_HEADING,       /**< a short unmarked title line */
	TL_PORTION_ITEM,          /**< a bullet or lettered sub-paragraph */
	TL_PORTION_TEXT           /**< unnumbered text (articles, trailers) */
} tl_portion_kind;

/** "paragraph", "subject", "heading", "item", "text". */
const char *tl_portion_kind_name(tl_portion_kind kind);

#define TL_LEAD_MAX 40  /**< bytes of paragraph lead kept ("[1](#)1. ") */
#define TL_MARK_MAX 160 /**< longest mark text accepted, parentheses excluded */

/**
 * One portion of a document: a paragraph with its continuations.
 * Holds positions and the marking, never the text.
 */
typedef struct tl_portion {
	unsigned long index;    /**< 1-based, document order */
	tl_portion_kind kind;
	unsigned long line;     /**< first line */
	unsigned long col;      /**< column where the lead or text starts */
	unsigned long end_line; /**< last content line; 0 until PORTION_END */
	/** Everything before the mark, as written: "1. ", "[1](#)2. ",
	 *  "- [3](#). ", "SUBJECT: ", "A. ", "-- "; "" when none.  Truncated
	 *  to TL_LEAD_MAX - 1 bytes. */
	char lead[TL_LEAD_MAX];
	/** Paragraph number as written ("1", "A", "a", "4"); "" if none. */
	char number[16];
	bool marked;             /**< a mark (even a malformed one) was found */
	unsigned long mark_col;  /**< column of the mark's "(" (0 if none) */
	/** The mark as written, without parentheses ("C/NF"); "" if none. */
	char mark_text[TL_MARK_MAX + 1];
	tl_marking marking;      /**< zeroed (level UNKNOWN) when unmarked */
	/** Error-severity diagnostics that fell inside this portion
	 *  (malformed mark, NUL byte...).  Non-zero must withhold. */
	unsigned errors;
	/** Marks buried in the portion's text: in the middle of a line or
	 *  in a later table cell ("text (S//SI) text", "| (U) x | (S//REL)
	 *  |"), each warned about (rule mark-buried).  `marking` stays the
	 *  lead mark; a decision takes the portion at the most restrictive of
	 *  it and every buried mark unless the policy trusts lead marks
	 *  (tearline-policy(5), handling.buried-marks).  Complete only at
	 *  TL_EV_PORTION_END: a line may bury one after the portion began. */
	unsigned nburied;
	/** The buried marks rolled into one: the highest level, every
	 *  control and FGI owner, the REL TO countries every list names (no
	 *  list when one has none).  Malformed when one of them cannot be
	 *  parsed.  Zeroed when nburied is 0. */
	tl_marking buried;
} tl_portion;

/** A banner line: opening, repeated section banner or closing banner. */
typedef struct tl_banner {
	unsigned long line; /**< 0 when there is no banner */
	unsigned long col;
	size_t at;          /**< byte offset of the classification in its line */
	char text[160];     /**< the line as written, trimmed, truncated */
	/** Level of the banner; controls of the banner itself and of the
	 *  control lines that follow it (NOFORN, SENSITIVE -> SBU...). */
	tl_marking marking;
	bool damaged; /**< doubled/dropped letter or re-typed case (warned) */
	bool spaced;  /**< written with spaced letters: "S E C R E T" */
	/** What follows the classification: "LONDON 004327",
	 *  "SECTION 01 OF 03 TRIPOLI 000220"; "" when none. */
	char tail[96];
} tl_banner;

/** The Classified By line and its reasons. */
typedef struct tl_authority {
	unsigned long line; /**< 0 when absent */
	unsigned long col;
	char classified_by[128]; /**< "DCM Richard LeBaron" */
	/** Reasons normalized to "1.4(b)", "1.5(d)", in written order. */
	unsigned nreasons;
	char reasons[8][8];
	bool run_in; /**< found inside another line (lost newline) */
} tl_authority;

/** The E.O./DECL line. */
typedef struct tl_declassify {
	unsigned long line; /**< 0 when absent */
	unsigned long col;
	char order[16]; /**< executive order number, "12958", "13526"; "" */
	char text[64];  /**< what follows DECL:, as written ("11/18/2027") */
	char date[11];  /**< ISO 8601 date when text is a date, else "" */
} tl_declassify;

/** The transmission header's class letters (ZNY SSSSS ZZH). */
typedef struct tl_routing {
	unsigned long line; /**< 0 when absent */
	unsigned long col;
	char letters[8];    /**< "SSSSS", "CCCCC", "UUUUU" */
	tl_level level;     /**< what the letters mean */
} tl_routing;

#define TL_SCOPES_MAX 8 /**< page scopes kept per document */

/**
 * The text under one banner where a document's page banners change (a
 * briefing whose last pages are another agency's, a guide whose annex is
 * marked lower): a run of pages under the same banner, or the text
 * between the last banner of one run and the first of the next; or a
 * table whose first row states its marking ("| This Exhibit is
 * SECRET//NOFORN |"), up to its last row.
 */
typedef struct tl_scope {
	unsigned long line;  /**< first line of the scope */
	/** Its banner (both, between two runs, with a REL TO list only where
	 *  they agree) raised by every mark in the scope. */
	tl_marking marking;
	/** The scope takes the document's marking, not `marking`: the text
	 *  after a table that stated its own ("This Exhibit is SECRET"). */
	bool document;
	/** The scope is a table that stated its marking, not pages. */
	bool table;
} tl_scope;

/**
 * What the parser knows of the whole document.  Filled in as lines arrive;
 * final at TL_EV_END.  Owned by the parser.
 */
typedef struct tl_docinfo {
	const char *name;       /**< the name given to the parser */
	tl_banner banner;       /**< the first banner */
	tl_banner closing;      /**< the last banner line after the body */
	tl_routing routing;
	tl_authority authority;
	tl_declassify declassify;
	unsigned long tags_line;    /**< TAGS: line, 0 if none */
	unsigned long subject_line; /**< SUBJECT: line, 0 if none */
	char date[11];   /**< document date from the date-time group, ISO */
	bool entire_text; /**< "CONFIDENTIAL - ENTIRE TEXT" (old cables) */
	bool sipdis;      /**< a SIPDIS marker was seen */
	bool crlf;        /**< CRLF line endings were seen */
	/** The input is an HTML document ("<!DOCTYPE html" or "<html" at
	 *  its start), read as its text: tags removed, block elements and
	 *  <br> ending lines, table rows as "| cell | cell |", entities
	 *  decoded.  Line numbers are those of that text. */
	bool html;
	/** A STANAG 4774 label was given for the document (tl_label_use):
	 *  `label` is its marking.  Where the text has no banner it stands
	 *  for one; where it has one, it raises it (tl_decide_document). */
	bool labelled;
	tl_marking label;
	unsigned long lines;    /**< lines read so far */
	unsigned long portions; /**< portions begun so far */
	unsigned long marked;   /**< portions with a mark */
	unsigned long errors;   /**< error diagnostics so far */
	unsigned long warnings; /**< warning diagnostics so far */
	/** Every marking the document shows, rolled into one: the most
	 *  restrictive level of any banner line, routing class and portion
	 *  mark, and the union of their controls (REL TO lists are not
	 *  rolled in: they never raise).  Text with no mark of its own is
	 *  decided at the banner raised by this, never lowered
	 *  (tl_decide_document).  Complete only at TL_EV_END: a caller that
	 *  decides while streaming takes it from tl_doc_scan first. */
	tl_marking evidence;
	unsigned long evidence_line; /**< where its level was seen; 0: none */
	/** Page scopes in line order, where the banners change: text with
	 *  no mark of its own at line L takes the marking of the last scope
	 *  that starts at or before L (a page's banner is the highest
	 *  marking on that page), not the whole document's.  0 when the
	 *  banners never change, when one cannot be read, or past
	 *  TL_SCOPES_MAX: the document's marking decides.  Complete only at
	 *  TL_EV_END. */
	unsigned nscopes;
	tl_scope scopes[TL_SCOPES_MAX];
} tl_docinfo;

/* ------------------------------------------------------------------------
 * The streaming parser (parse.c)
 * ---------------------------------------------------------------------- */

/** The part a line plays. */
typedef enum tl_line_role {
	TL_LINE_BODY = 0,  /**< content of its portion */
	TL_LINE_BLANK,     /**< blank (inside a portion when `portion` != 0) */
	TL_LINE_ROUTING,   /**< transmission header or distribution list */
	TL_LINE_ROUTING_CLASS, /**< the ZNY SSSSS ZZH line */
	TL_LINE_BANNER,    /**< classification banner (any position) */
	TL_LINE_CONTROL,   /**< NOFORN, SIPDIS, DEPT FOR EUR/WE... */
	TL_LINE_DECL,      /**< E.O. .../DECL: line */
	TL_LINE_TAGS,      /**< TAGS: line */
	TL_LINE_REF,       /**< REF: line(s) */
	TL_LINE_AUTHORITY, /**< Classified By / Reason line(s), ENTIRE TEXT */
	TL_LINE_STRAY      /**< stray SIPDIS or page-break line: not content */
} tl_line_role;

/** "body", "blank", "routing", ... */
const char *tl_line_role_name(tl_line_role role);

/** Longest piece of a line delivered at once.  Longer lines arrive as
 *  several TL_EV_LINE events with `first`/`last` set accordingly. */
#define TL_FRAGMENT_MAX (64u * 1024u)

/** One line, or one piece of a very long line. */
typedef struct tl_line {
	tl_line_role role;
	unsigned long number;  /**< 1-based line number */
	unsigned long portion; /**< index of the portion it belongs to, or 0 */
	const char *text;      /**< bytes of the line, line ending excluded */
	size_t len;
	const char *eol;       /**< "\n", "\r\n", or "" (last line, or not last fragment) */
	size_t eol_len;
	bool first;            /**< first fragment of the line */
	bool last;             /**< last fragment of the line */
} tl_line;

/** Kinds of parser events, delivered in input order. */
typedef enum tl_event_kind {
	TL_EV_LINE = 0,      /**< a line: `line` set */
	TL_EV_PORTION_BEGIN, /**< before the portion's first line: `portion` */
	TL_EV_PORTION_END,   /**< after its last line; `portion->end_line` set */
	TL_EV_DIAG,          /**< a diagnostic: `diag` */
	TL_EV_END            /**< end of document; `doc` is final */
} tl_event_kind;

/** An event.  Every pointer is valid only during the callback. */
typedef struct tl_event {
	tl_event_kind kind;
	const tl_line *line;
	const tl_portion *portion;
	const tl_diag *diag;
	const tl_docinfo *doc; /**< always set */
} tl_event;

/** Receives events.  A status other than TL_OK stops the parser, which
 *  returns that status from tl_parser_feed/tl_parser_finish. */
typedef tl_status (*tl_event_fn)(void *ctx, const tl_event *ev);

/** A streaming document parser.  Memory is bounded by TL_FRAGMENT_MAX
 *  and a small look-ahead, never by the size of the input. */
typedef struct tl_parser tl_parser;

/**
 * Creates a parser for one document called `name` (used in diagnostics;
 * copied).  `fn` receives every event with `ctx`.  Returns NULL on
 * allocation failure.  Free with tl_parser_free.
 */
tl_parser *tl_parser_new(const char *name, tl_event_fn fn, void *ctx);

/**
 * Feeds the next `len` bytes of the document.  Events are delivered from
 * inside this call.  Returns TL_OK, or the first non-OK status of the
 * callback, or TL_ENOMEM; after an error the parser must only be freed.
 */
tl_status tl_parser_feed(tl_parser *p, const char *bytes, size_t len);

/** Ends the document: flushes the look-ahead and delivers TL_EV_END. */
tl_status tl_parser_finish(tl_parser *p);

/** What the parser knows so far (final after tl_parser_finish). */
const tl_docinfo *tl_parser_docinfo(const tl_parser *p);

/** Releases the parser.  NULL is a no-op. */
void tl_parser_free(tl_parser *p);

/**
 * Convenience: parses the file at `path` ("-" is standard input), 64 KiB
 * at a time, delivering events to `fn`.  On an I/O error returns TL_EIO
 * and describes it in `diag` (may be NULL) as "path: strerror".
 */
tl_status tl_parse_file(const char *path, tl_event_fn fn, void *ctx,
    tl_diag *diag);

/**
 * Reads the whole document at `path` once and fills `*out` with what the
 * parser knows at its end (banners, routing class, evidence...), so that
 * a caller that then streams it can decide text with no mark of its own
 * before the end (tl_decide_document).  `out->name` is NULL.  A document
 * the parser gives up on (TL_ELIMIT, TL_ESYNTAX) still fills what was
 * read.  "-" cannot be read twice: callers spool standard input first.
 */
tl_status tl_doc_scan(const char *path, tl_docinfo *out, tl_diag *diag);

/** tl_parse_file from an open descriptor, read from where it stands to
 *  its end and left open; `name` names the document in events and
 *  messages. */
tl_status tl_parse_fd(int fd, const char *name, tl_event_fn fn, void *ctx,
    tl_diag *diag);

/** tl_doc_scan from an open descriptor, as tl_parse_fd reads it. */
tl_status tl_doc_scan_fd(int fd, const char *name, tl_docinfo *out,
    tl_diag *diag);

/**
 * Writes the model of the document at `path` as one JSON object on one
 * line (the format of `tearline parse --format json`, documented in
 * tearline(1)).  `name` is the value of "file".  Memory stays bounded:
 * portions are written as they are parsed; at most 1000 diagnostics are
 * kept and a count of the rest is written.  `errors` (may be NULL) gets
 * the number of error diagnostics.  On failure nothing is written if the
 * output had not yet passed 1 MiB; otherwise the partial line is ended
 * with a newline (it is not valid JSON).
 */
tl_status tl_parse_write_json(const char *path, const char *name,
    tl_write_fn out, void *outctx, unsigned long *errors, tl_diag *diag);

/* --- policy: begin (policy.c) --- */

/* ------------------------------------------------------------------------
 * Policies (policy.c) and reader decisions (decide.c).  The format is
 * documented in tearline-policy(5).
 * ---------------------------------------------------------------------- */

/** A loaded, validated policy.  Opaque; immutable once loaded, so one
 *  policy may serve any number of readers and threads. */
typedef struct tl_policy tl_policy;

/** Receives each problem tl_policy_check finds, in file order.  `d` is
 *  valid only during the call. */
typedef void (*tl_policy_diag_fn)(void *ctx, const tl_diag *d);

/**
 * Loads and validates the policy file at `path`.  On success stores a new
 * policy in `*out` (free with tl_policy_free) and returns TL_OK.  On
 * failure `*out` is NULL and `diag` (may be NULL) describes the first
 * problem as file:line:col (the message counts any further ones).
 * Returns TL_EIO (cannot read), TL_ELIMIT (over 1 MiB, or a cap on
 * nesting, scalars or entries), TL_ESYNTAX (not YAML, or YAML aliases),
 * TL_EPOLICY (YAML that is not a valid policy), or TL_ENOMEM.
 */
tl_status tl_policy_load(const char *path, tl_policy **out, tl_diag *diag);

/**
 * As tl_policy_load, from `len` bytes at `bytes` (need not be
 * NUL-terminated); `name` is the file name used in diagnostics.  Never
 * crashes on any input: a fuzz target.
 */
tl_status tl_policy_load_buffer(const char *name, const char *bytes,
    size_t len, tl_policy **out, tl_diag *diag);

/**
 * As tl_policy_load, from the copy of policies/us-cables.yaml compiled
 * into the library; its source name is "builtin:us-cables.yaml" and its
 * hash that of the file's bytes.
 */
tl_status tl_policy_load_builtin(tl_policy **out, tl_diag *diag);

/**
 * Validates the policy file at `path`, reporting EVERY problem (up to
 * 100) to `fn` (may be NULL) with its 1-based file:line:col and a rule id
 * ("policy-yaml", "policy-unknown-key", "policy-type", "policy-duplicate",
 * "policy-cycle", "policy-undefined", "policy-empty", "policy-missing",
 * "policy-value", "policy-limit", "policy-io").  Returns TL_OK when valid,
 * else the status of the first problem.
 */
tl_status tl_policy_check(const char *path, tl_policy_diag_fn fn, void *ctx);

/** As tl_policy_check, for `len` bytes at `bytes` named `name`. */
tl_status tl_policy_check_buffer(const char *name, const char *bytes,
    size_t len, tl_policy_diag_fn fn, void *ctx);

/** Releases a policy.  NULL is a no-op. */
void tl_policy_free(tl_policy *pol);

/** The policy's `name:` ("us-cables").  Valid while `pol` lives. */
const char *tl_policy_name(const tl_policy *pol);

/** Where the policy came from: the path given, or "builtin:us-cables.yaml". */
const char *tl_policy_source(const tl_policy *pol);

/** SHA-256 of the exact bytes loaded, 64 lower-case hex digits: stable
 *  for a given file, and what `sha256sum FILE` prints. */
const char *tl_policy_hash(const tl_policy *pol);

/**
 * Writes the effective policy as YAML, every default filled in, in a
 * fixed order (the output of `tearline policy show`).  The output is
 * itself a valid policy that loads to the same decisions.  Returns TL_OK
 * or the first failing status of `out`.
 */
tl_status tl_policy_write_yaml(const tl_policy *pol, tl_write_fn out,
    void *ctx);

/** One classification level of a policy, for display.  The strings
 *  belong to the policy and live as long as it. */
typedef struct tl_policy_level {
	unsigned rank;          /**< 1 = lowest; levels are ranked in order */
	const char *name;       /**< "SECRET" */
	const char *portion;    /**< portion-mark form: "S" */
	const char *banner;     /**< banner form: "S E C R E T", "UNCLAS" */
	char routing;           /**< ZNY letter ('S' for SSSSS), '\0' if none */
	const char *exemption;  /**< FOIA-style code for it, "" if none */
} tl_policy_level;

/** Number of levels; the highest has this rank. */
unsigned tl_policy_level_count(const tl_policy *pol);

/** Fills `out` for level `rank` (1..count).  Returns false, leaving `out`
 *  zeroed, for any other rank (0 is the unknown level). */
bool tl_policy_level_at(const tl_policy *pol, unsigned rank,
    tl_policy_level *out);

/**
 * Rank of the level of `m` under `pol`: its level_token through the
 * policy's names and aliases first, then tl_level_name(m->level).
 * Returns 0 (unknown: ranks above every clearance) when neither matches.
 */
unsigned tl_policy_level_rank(const tl_policy *pol, const tl_marking *m);

/** Number of reader profiles in the policy. */
size_t tl_policy_reader_count(const tl_policy *pol);

/** Name of profile `i` (0-based, file order), NULL when out of range. */
const char *tl_policy_reader_name(const tl_policy *pol, size_t i);

/**
 * Settings of audit rule `rule_id` ("banner-rollup"...).  The caller
 * stores its defaults in `*enabled` and `*severity` (either may be NULL);
 * the policy's settings, where it has any, overwrite them.  Returns true
 * when the policy mentions the rule.
 */
bool tl_policy_rule(const tl_policy *pol, const char *rule_id,
    bool *enabled, tl_severity *severity);

/** Parts of a document that are not body portions. */
typedef enum tl_part {
	TL_PART_HEADER = 0, /**< routing header and control lines */
	TL_PART_AUTHORITY,  /**< Classified By, E.O./DECL, REF lines */
	TL_PART_TAGS,       /**< the TAGS: line */
	TL_PART_SUBJECT     /**< the SUBJECT: line (also a portion) */
} tl_part;

/** What a policy does with a part.  The zero value withholds. */
typedef enum tl_part_action {
	TL_PART_WITHHOLD = 0, /**< always withheld */
	TL_PART_KEEP,         /**< always released */
	TL_PART_DOCUMENT,     /**< released when the reader may read the
	                           whole document (banner level and controls) */
	TL_PART_PORTION       /**< decided as a portion (subject only) */
} tl_part_action;

/** The policy's action for `part`; TL_PART_WITHHOLD for a bad `part`. */
tl_part_action tl_policy_part(const tl_policy *pol, tl_part part);

#define TL_READER_ACCESS_MAX 16 /**< accesses/approvals per reader */

/**
 * A reader: whom a decision is for.  A plain value made by
 * tl_reader_profile or tl_reader_adhoc against one policy, and valid only
 * with that policy (the rank is the policy's).  A zeroed reader has no
 * clearance and no nationality: it is refused everything.
 */
typedef struct tl_reader {
	char name[64];         /**< profile name; "" for an ad-hoc reader */
	unsigned rank;         /**< clearance rank, 1 = lowest; 0 = none */
	char clearance[64];    /**< the level's name in the policy */
	char nationality[8];   /**< ISO 3166 trigraph, upper case: "USA" */
	bool is_public;        /**< the public: refused not-public controls */
	unsigned naccess;      /**< accesses and approvals held: "SI", "ORCON" */
	char access[TL_READER_ACCESS_MAX][TL_TOKEN_MAX];
} tl_reader;

/**
 * Fills `out` from the policy's profile `name`.  Returns TL_OK, or
 * TL_ENOTFOUND with the known names listed in `diag`; `out` is zeroed on
 * error.
 */
tl_status tl_reader_profile(const tl_policy *pol, const char *name,
    tl_reader *out, tl_diag *diag);

/**
 * Fills `out` with an ad-hoc reader: `clearance` a level name or alias
 * of the policy, `nationality` a three-letter code, `access` a
 * comma-separated list of accesses/approvals the policy knows (NULL or
 * "" for none).  Returns TL_OK; TL_ENOTFOUND for an unknown level or
 * access (the known ones listed in `diag`), TL_EUSAGE for a malformed
 * nationality or list; `out` is zeroed on error.
 */
tl_status tl_reader_adhoc(const tl_policy *pol, const char *clearance,
    const char *nationality, const char *access, bool is_public,
    tl_reader *out, tl_diag *diag);

/** Writes a one-line description of `r` ("us-secret (SECRET, USA)",
 *  "ad hoc (SECRET, GBR, access SI,TK)") into `buf`; returns the length
 *  needed, as snprintf. */
size_t tl_reader_format(const tl_reader *r, char *buf, size_t size);

/** Outcome of a decision.  The zero value withholds. */
typedef enum tl_verdict {
	TL_WITHHOLD = 0,
	TL_RELEASE
} tl_verdict;

/**
 * A decision on a portion or part.  `rule` is a stable id: "cleared"
 * (released), or why it was withheld: "document-banner",
 * "document-unknown", "unmarked", "mark-malformed", "level-unknown",
 * "clearance", "control-unknown", "nationals-only", "rel-to",
 * "approval", "access", "not-public", "token-unknown", "part".
 * `reason` is one line naming the first condition that failed.
 * `exemption` is the FOIA-style code of the withholding ("(b)(1)"), "".
 */
typedef struct tl_decision {
	tl_verdict verdict;
	unsigned rank;  /**< the portion's level rank, 0 = unknown */
	char rule[48];
	char reason[200];
	char exemption[24];
} tl_decision;

/** The decision on a whole document, made before its portions. */
typedef struct tl_docdecision {
	/** TL_WITHHOLD here withholds every portion and part: only a
	 *  document-scope control of the banner the reader fails (NODIS), or
	 *  no usable reader.  A banner that cannot be read, or that carries a
	 *  token the policy does not know, withholds only the text that
	 *  inherits it (`unmarked`), never the marked portions. */
	tl_decision whole;
	/** The reader may read text that inherits the document's marking:
	 *  parts with action TL_PART_DOCUMENT are released. */
	bool cleared;
	/** The banner was present and read. */
	bool banner_read;
	/** The document's evidence (tl_docinfo.evidence) raised the banner's
	 *  level or added controls to it. */
	bool raised;
	/** The banner read is another originator's than the nations the
	 *  policy passes implicitly (a NOFORN banner for a policy whose
	 *  REL TO passes GBR): its portions' marks are that originator's,
	 *  and a reader of those nations gets classified text only where a
	 *  REL TO names them. */
	bool foreign;
	/** The nation the banner shows the document is from: the one
	 *  country of a nationals-only control (NOFORN: USA; UK EYES ONLY:
	 *  GBR) or the first of a REL TO list that starts with USA; "" when
	 *  it shows none.  Its nationals are no foreign readers: classified
	 *  text with no REL TO reaches them (every other control still
	 *  applies). */
	char origin[8];
	/** Level rank the document is treated as (0 = unknown). */
	unsigned rank;
	/** The marking text with no mark of its own inherits: the banner
	 *  raised by the evidence; with no readable banner, the policy's
	 *  highest level, NOFORN and every control seen anywhere. */
	tl_marking marking;
	/** The decision for such text (unmarked portions; the parts the
	 *  policy decides with the document). */
	tl_decision unmarked;
	/** The decision for unmarked text in each page scope of the
	 *  document (tl_docinfo.scopes), in the same order; 0 when the
	 *  document's decides everywhere. */
	unsigned nscopes;
	struct {
		unsigned long line; /**< first line of the scope */
		tl_decision unmarked;
	} scopes[TL_SCOPES_MAX];
} tl_docdecision;

/**
 * Decides the document described by `doc` for `reader`.  Always fills
 * `out`; returns out->whole.verdict.  NULL arguments withhold.
 *
 * Only the header counts: the banner, its control lines and the routing
 * class, which are complete when the first portion begins
 * (TL_EV_PORTION_BEGIN) and do not change after it.  A streaming caller
 * such as tl_redact_file decides there; `tearline decide` decides again at
 * TL_EV_END with the same result (the closing banner is not read).
 */
tl_verdict tl_decide_document(const tl_policy *pol, const tl_reader *reader,
    const tl_docinfo *doc, tl_docdecision *out);

/**
 * Decides portion `p` of a document decided as `dd`: released only when
 * the document is not withheld whole, the mark was parsed without error,
 * the reader's clearance is at or above its level, every control is
 * satisfied and no token is unknown.  Always fills `out`; returns
 * out->verdict.  NULL arguments withhold.
 */
tl_verdict tl_decide_portion(const tl_policy *pol, const tl_reader *reader,
    const tl_docdecision *dd, const tl_portion *p, tl_decision *out);

/**
 * Decides a non-portion part of a document decided as `dd` by the
 * policy's action for it (rule "part").  For TL_PART_SUBJECT with action
 * TL_PART_PORTION, decide the subject portion with tl_decide_portion
 * instead; this then withholds.  Returns out->verdict.
 */
tl_verdict tl_decide_part(const tl_policy *pol, const tl_docdecision *dd,
    tl_part part, tl_decision *out);

/**
 * Renders the policy's placeholder for withheld portion `p` decided as
 * `d` into `buf` (NUL-terminated, truncated to `size`).  Returns the
 * length the whole text needs, as snprintf.  Fields are described in
 * tearline-policy(5): {lead} {number} {index} {marking} {level} {reason}
 * {rule} {exemption}, and {field:TEXT} for TEXT with % replaced by the
 * value, or nothing when the value is empty.  Values never contain
 * control characters.
 */
size_t tl_policy_placeholder(const tl_policy *pol, const tl_portion *p,
    const tl_decision *d, char *buf, size_t size);

/**
 * Writes one decision as a line of JSON, "\n" included: the format of
 * `tearline decide --format json`.  With portion `p`:
 * {"type":"portion","file","line","portion","kind","marking","decision",
 * "rule","reason","exemption"}, marking the mark as written or null when
 * unmarked.  With `p` NULL, the record of document `doc`:
 * {"type":"document","file","line","marking","decision","rule","reason",
 * "exemption"}, line and marking those of the banner (0 and null without
 * one).  Invalid UTF-8 becomes U+FFFD.  Returns TL_OK, TL_EUSAGE for
 * missing arguments, or the first failing status of `out`.
 */
tl_status tl_decision_write_json(const char *file, const tl_docinfo *doc,
    const tl_portion *p, const tl_decision *d, tl_write_fn out, void *ctx);

/* --- policy: end --- */

/* --- redact: begin (redact.c) --- */

/* ------------------------------------------------------------------------
 * Releasable copies (redact.c)
 * ---------------------------------------------------------------------- */

/** One copy to write: for whom, and where ("-" is standard output). */
typedef struct tl_redact_target {
	const tl_reader *reader;
	const char *path;
} tl_redact_target;

/** What was written for one target. */
typedef struct tl_redact_report {
	unsigned long portions; /**< portions in the document */
	unsigned long released;
	unsigned long withheld;
	/** The whole document was replaced by one placeholder: its structure
	 *  could not be parsed (binary input, a parser limit) or the policy
	 *  withheld it whole.  `reason` says why. */
	bool whole;
	char reason[200];
	/** Rank (in the policy) of the highest released portion; the banner
	 *  of the copy is this level's.  0 when nothing was released. */
	unsigned rank;
	char banner[160]; /**< the first banner line written, "" if none */
	/** Portions with a passage marked higher in another input
	 *  (tl_redact_options.consist), whatever was decided. */
	unsigned long consistency;
} tl_redact_report;

/**
 * Callbacks that watch a redaction, for the signed log.  Every member may
 * be NULL.  A status other than TL_OK aborts the redaction, which then
 * removes its outputs and returns that status.
 */
typedef struct tl_redact_hooks {
	void *ctx;
	/** Every byte of the input, in order, once. */
	tl_status (*input)(void *ctx, const char *bytes, size_t len);
	/** The bytes of portion `p` (its lines with their line endings,
	 *  continuation and stray lines included), in order, once per
	 *  portion whatever the number of targets; called between
	 *  `portion_begin` and the decisions on the portion. */
	tl_status (*portion_text)(void *ctx, const tl_portion *p,
	    const char *bytes, size_t len);
	/** Called once per portion before its text. */
	tl_status (*portion_begin)(void *ctx, const tl_portion *p);
	/** The final decision on portion `p` for target `target`. */
	tl_status (*decision)(void *ctx, size_t target, const tl_portion *p,
	    const tl_decision *d);
	/** Every byte written to target `target`'s copy, in order. */
	tl_status (*output)(void *ctx, size_t target, const char *bytes,
	    size_t len);
} tl_redact_hooks;

/**
 * What a run of redactions released and withheld, per reader: opaque.
 * Memory stays flat whatever the number of documents: counts per reader,
 * per decision rule and per parser diagnostic rule id, the most frequent
 * reasons (at most TL_STATS_REASONS_MAX, the rest counted together) with
 * one example location each, and the documents withheld whole (their
 * number, and the first TL_STATS_WHOLE_MAX names in name order).  One
 * object may be shared by threads that redact at once.
 *
 * It never holds a document's text: rule ids, counts, file names, line
 * numbers, and reasons whose quoted parts (the marks) went through
 * tl_marking_mask.
 */
typedef struct tl_redact_stats tl_redact_stats;

#define TL_STATS_REASONS_MAX 128 /**< distinct reasons kept per reader */
#define TL_STATS_WHOLE_MAX 20    /**< names of documents withheld whole kept */

/** The totals of one reader (tl_redact_stats_totals). */
typedef struct tl_redact_totals {
	unsigned long documents; /**< documents with a copy for the reader */
	unsigned long whole;     /**< of them, withheld whole */
	unsigned long portions, released, withheld;
	/** Text lines of portions (a long line once, blank lines not). */
	unsigned long lines, lines_released, lines_withheld;
} tl_redact_totals;

/**
 * Makes empty counts for `nreaders` readers: reader i is target i of
 * every tl_redact_file call that counts into it (targets past nreaders
 * are not counted).  Readers are named by `name`, or by
 * tl_reader_format when it is empty; `policy` (may be NULL) names the
 * policy in the output.  Both are copied.  NULL on allocation failure or
 * with no reader.  Free with tl_redact_stats_free.
 */
tl_redact_stats *tl_redact_stats_new(const tl_policy *policy,
    const tl_reader *readers, size_t nreaders);

/** Releases the counts.  NULL is a no-op. */
void tl_redact_stats_free(tl_redact_stats *s);

/** Fills `out` with reader `reader`'s totals; TL_EUSAGE (and zeroes) for
 *  a reader out of range. */
tl_status tl_redact_stats_totals(const tl_redact_stats *s, size_t reader,
    tl_redact_totals *out);

/** Documents whose redaction failed (no copy was written): counted by
 *  tl_redact_file itself, interrupted ones excepted. */
unsigned long tl_redact_stats_failed(const tl_redact_stats *s);

/**
 * Writes the counts as a short text for a person, one block per reader:
 * portions and lines released and withheld, withheld portions by rule and
 * by diagnostic, the `top` most frequent reasons with an example
 * location, the documents withheld whole (the first few).  Returns TL_OK
 * or the first failing status of `out`.
 */
tl_status tl_redact_stats_write_text(const tl_redact_stats *s, unsigned top,
    tl_write_fn out, void *ctx);

/**
 * Writes the counts as one JSON object and a newline, in the format
 * tearline(1) documents under "STATISTICS" ("tearline_stats": 1).
 * Returns TL_OK, TL_ENOMEM, or the first failing status of `out`.
 */
tl_status tl_redact_stats_write_json(const tl_redact_stats *s,
    tl_write_fn out, void *ctx);

/**
 * Writes the JSON form to the file at `path`, atomically: a temporary
 * file beside it, fsynced, then put in place with mode 0644 (replacing an
 * existing file only with `force`, else TL_EEXIST).  On any error no file
 * is left and an existing one is untouched.  TL_OK, TL_EEXIST, TL_EIO,
 * TL_ENOMEM, with `diag` (may be NULL).
 */
tl_status tl_redact_stats_save(const tl_redact_stats *s, const char *path,
    bool force, tl_diag *diag);

/* --- consistency across a run (consist.c) --- */

/**
 * The marked passages of every input of a run, kept as keyed hashes of
 * twelve-word runs in a scratch SQLite database (under $TMPDIR, removed
 * by tl_consist_free), so that a copy can ask whether a passage it
 * releases stands at a higher marking in another input.  Common text (in
 * more than max(5, 1% of the documents)) is not compared.
 */
typedef struct tl_consist tl_consist;

/** The place a passage stands at a higher marking. */
typedef struct tl_consist_hit {
	unsigned rank;              /**< that marking's rank in the policy */
	char file[256];             /**< the other document, as added */
	unsigned long line;         /**< its portion's first line */
	char mark[TL_MARK_MAX + 1]; /**< its mark as written ("S/NF") */
} tl_consist_hit;

/** What redact does with a passage marked higher in another input. */
typedef enum tl_consistency {
	TL_CONSISTENCY_REPORT = 0, /**< release as decided; count it */
	TL_CONSISTENCY_WITHHOLD,   /**< decide it at the higher marking */
	TL_CONSISTENCY_OFF         /**< do not compare */
} tl_consistency;

/** The policy's handling.consistency (report when it says none). */
tl_consistency tl_policy_consistency(const tl_policy *pol);

/** A new, empty store.  TL_OK; TL_EIO (no scratch file), TL_ENOMEM. */
tl_status tl_consist_new(tl_consist **out, tl_diag *diag);
/** Releases the store and removes its file.  NULL is a no-op. */
void tl_consist_free(tl_consist *c);
/**
 * Reads the input at `path` and adds the passages of its portions at
 * their ranks in `pol` (text with no mark of its own at its banner's).
 * Every input first, then tl_consist_seal.  An input that cannot be read
 * is left out (TL_OK: its redaction reports it); TL_EIO with `diag` for a
 * database error.
 */
tl_status tl_consist_add_file(tl_consist *c, const tl_policy *pol,
    const char *path, tl_diag *diag);
/** Ends the adding: finds the passages at two ranks in two documents. */
tl_status tl_consist_seal(tl_consist *c, tl_diag *diag);

/** Options of tl_redact_file.  A zeroed struct is valid. */
typedef struct tl_redact_options {
	bool force;             /**< replace existing outputs */
	/** Checked between lines: non-zero stops the run with TL_EINTR and
	 *  no output left behind.  Meant for a flag set by a signal handler. */
	const volatile int *cancel;
	/** Directory for the spool of a copy written to standard output;
	 *  NULL means "/tmp".  Copies to files spool beside the file. */
	const char *spool_dir;
	const tl_redact_hooks *hooks; /**< NULL: no callbacks */
	/** Neither a copy nor its directory is fsynced before it is put in
	 *  place: the caller makes the copies durable itself (syncfs(2) once
	 *  for a whole run) before it relies on them.  Until then a crash
	 *  can leave a copy empty or cut short under its final name. */
	bool no_sync;
	/** Counts of what was released and withheld, added to after each
	 *  document (tl_redact_stats_new); NULL: none kept. */
	tl_redact_stats *stats;
	/** A sealed store of the run's inputs (tl_consist_seal), or NULL:
	 *  with it, a marked portion whose passage stands at a higher marking
	 *  in another input is counted (tl_redact_report.consistency) and,
	 *  with TL_CONSISTENCY_WITHHOLD, decided at that marking too (rule
	 *  "consistency", the other place in the reason). */
	const tl_consist *consist;
	tl_consistency consistency;
} tl_redact_options;

/**
 * Writes the releasable copy of document `input` ("-" is standard input)
 * for each of `ntargets` targets, deciding every portion with `pol`.
 * Released portions appear byte for byte; each withheld portion,
 * continuation lines included, becomes one placeholder line from the
 * policy's template; banners, control lines and the routing class are
 * recomputed from what was released; the authority block stays only
 * while classified portions remain and the policy releases it.
 *
 * Parses the input once; memory does not grow with its size.  Each copy
 * is spooled to an unlinked file and assembled into a temporary file that
 * is fsynced (unless `no_sync`) and linked into place (renamed over an
 * existing file only with `force`).  On any error, or on cancel, no output file is left and
 * no existing file is touched.  `reports` (may be NULL) has `ntargets`
 * entries.  Returns TL_OK (a document withheld whole is still TL_OK: see
 * reports[i].whole), TL_EEXIST, TL_EIO, TL_EINTR, TL_ENOMEM, TL_EUSAGE, or
 * the status a hook returned.
 */
tl_status tl_redact_file(const tl_policy *pol, const char *input,
    const tl_redact_target *targets, size_t ntargets,
    const tl_redact_options *opt, tl_redact_report *reports, tl_diag *diag);

/* --- redact: end --- */

/* --- log: begin (sign.c, log.c) --- */

/* ------------------------------------------------------------------------
 * Keys and signatures in minisign's formats (sign.c)
 *
 * Files written here are read by stock minisign (0.11) and files minisign
 * writes are read here: Ed25519 keys, "ED" signatures over the BLAKE2b-512
 * of a file plus a signed trusted comment, scrypt-encrypted secret keys.
 * Secret key material lives only in libsodium's guarded memory and is
 * wiped when released.  Nothing here prints or reads the environment.
 * ---------------------------------------------------------------------- */

#define TL_KEYID_BYTES 8  /**< bytes of a key id */
#define TL_KEYID_HEX 16   /**< characters of a printed key id, NUL excluded */
#define TL_HASH_HEX 64    /**< characters of a 32-byte hash in hex, NUL excluded */
/** Longest trusted comment minisign can read back, in bytes. */
#define TL_TRUSTED_COMMENT_MAX 8173
/** Longest untrusted comment minisign can read back, in bytes. */
#define TL_UNTRUSTED_COMMENT_MAX 1003

/** A secret signing key: opaque, in guarded memory.  Not to be used by two
 *  threads at once (its memory is unlocked only while signing). */
typedef struct tl_seckey tl_seckey;
/** A public key: opaque. */
typedef struct tl_pubkey tl_pubkey;
/** A parsed .minisig file: opaque. */
typedef struct tl_sig tl_sig;

/** Cost of the scrypt key derivation that protects a secret key.  The zero
 *  value is the strong one that minisign itself uses (1 GiB of memory). */
typedef enum tl_kdf_cost {
	TL_KDF_SENSITIVE = 0, /**< minisign's default: real keys */
	TL_KDF_INTERACTIVE    /**< 16 MiB, fast: tests and throw-away keys */
} tl_kdf_cost;

/**
 * Generates a key pair and writes the secret key to `seckey_path` (mode
 * 0600) and the public key to `pubkey_path` (mode 0644), each atomically.
 * `password` NULL or "" writes an unencrypted secret key (minisign -W);
 * otherwise the key is encrypted with scrypt at `cost`.  `comment` (may be
 * NULL) is the secret key's untrusted comment.  Without `force`, an
 * existing file is TL_EEXIST and nothing is written.  On error no new file
 * is left behind (with `force`, a replaced file may already be replaced).
 */
tl_status tl_keypair_generate(const char *pubkey_path, const char *seckey_path,
    const char *password, tl_kdf_cost cost, const char *comment, bool force,
    tl_diag *diag);

/**
 * Loads the secret key at `path`; `password` may be NULL for an
 * unencrypted key (it is ignored then).  Returns TL_ECRYPTO for a wrong
 * password, a missing one, or a damaged key; TL_ESYNTAX for a malformed
 * file; TL_EIO when it cannot be read.  An all-zero checksum is accepted on
 * unencrypted keys, as `minisign -G -W` writes them.  On success *out
 * belongs to the caller (tl_seckey_free); on error *out is NULL.
 */
tl_status tl_seckey_load(const char *path, const char *password,
    tl_seckey **out, tl_diag *diag);

/** Copies the key id of `sk` to `id`. */
void tl_seckey_keyid(const tl_seckey *sk, unsigned char id[TL_KEYID_BYTES]);

/** Wipes and releases `sk`.  NULL is a no-op. */
void tl_seckey_free(tl_seckey *sk);

/**
 * Loads a minisign public key file (two lines: untrusted comment, base64).
 * TL_ESYNTAX when malformed, TL_EIO when unreadable.  *out belongs to the
 * caller (tl_pubkey_free); NULL on error.
 */
tl_status tl_pubkey_load(const char *path, tl_pubkey **out, tl_diag *diag);

/** Parses a public key given as its base64 string, as `minisign -P` takes
 *  it (exactly 56 characters).  As tl_pubkey_load otherwise. */
tl_status tl_pubkey_from_base64(const char *b64, tl_pubkey **out,
    tl_diag *diag);

/** The public half of `sk`, as a new object (tl_pubkey_free); TL_ENOMEM
 *  leaves *out NULL. */
tl_status tl_pubkey_from_seckey(const tl_seckey *sk, tl_pubkey **out);

/** Copies the key id of `pk` to `id`. */
void tl_pubkey_keyid(const tl_pubkey *pk, unsigned char id[TL_KEYID_BYTES]);

/** Writes the base64 form of `pk` (what `minisign -P` takes) to `buf`,
 *  NUL-terminated; returns the length it needs (56), as snprintf. */
size_t tl_pubkey_base64(const tl_pubkey *pk, char *buf, size_t size);

/** Releases `pk`.  NULL is a no-op. */
void tl_pubkey_free(tl_pubkey *pk);

/** Formats a key id as minisign prints it: 16 upper-case hex digits of the
 *  id read as a little-endian 64-bit number. */
void tl_keyid_hex(const unsigned char id[TL_KEYID_BYTES],
    char hex[TL_KEYID_HEX + 1]);

/**
 * Signs the file at `path` and writes the signature to `sig_path`
 * atomically (replacing it), in minisign's format: a prehashed "ED"
 * signature and a global signature over it and `trusted_comment`.
 * `trusted_comment` (required; "" allowed) must have at most
 * TL_TRUSTED_COMMENT_MAX bytes and no control characters but TAB;
 * `untrusted_comment` (NULL: a default) at most TL_UNTRUSTED_COMMENT_MAX
 * and no CR or LF; else TL_EUSAGE.  The file is hashed in pieces, never
 * held whole.  On error no signature file is left behind.
 */
tl_status tl_sign_file(const tl_seckey *sk, const char *path,
    const char *trusted_comment, const char *untrusted_comment,
    const char *sig_path, tl_diag *diag);

/**
 * Verifies the signature `sig_path` of the file at `path` with `pk`:
 * key ids, the file signature, then the trusted comment signature, as
 * `minisign -V` does.  Returns TL_OK when both verify, TL_EVERIFY when
 * they do not (a key id mismatch has its own message, rule "key-id"),
 * TL_ESYNTAX when the signature file is malformed, TL_EIO when a file
 * cannot be read.  When `trusted_comment` is not NULL it receives, on
 * TL_OK only, the verified trusted comment (malloc'd: release with free);
 * otherwise it is set to NULL.
 */
tl_status tl_verify_file(const tl_pubkey *pk, const char *path,
    const char *sig_path, char **trusted_comment, tl_diag *diag);

/**
 * Parses a .minisig file strictly: four lines, no CR or NUL, exact base64,
 * the prehashed algorithm "ED" (legacy "Ed" signatures are refused: they
 * need the whole file in memory).  As minisign, the last line may lack its
 * newline.  TL_ESYNTAX when malformed.  *out belongs to the caller
 * (tl_sig_free); NULL on error.
 */
tl_status tl_sig_load(const char *path, tl_sig **out, tl_diag *diag);

/** The trusted comment of `sig` (not yet verified!), NUL-terminated,
 *  owned by `sig`. */
const char *tl_sig_trusted_comment(const tl_sig *sig);

/** Copies the key id that `sig` names to `id`. */
void tl_sig_keyid(const tl_sig *sig, unsigned char id[TL_KEYID_BYTES]);

/** Releases `sig`.  NULL is a no-op. */
void tl_sig_free(tl_sig *sig);

/** A signature check fed the signed bytes piece by piece: opaque. */
typedef struct tl_sigcheck tl_sigcheck;

/**
 * Starts checking `sig` with `pk`.  Returns TL_EVERIFY (rule "key-id") when
 * the key ids differ, TL_ENOMEM; on TL_OK *out belongs to the caller and
 * must end with tl_sigcheck_final or tl_sigcheck_free.  `sig` must outlive
 * the check.
 */
tl_status tl_sigcheck_new(const tl_pubkey *pk, const tl_sig *sig,
    tl_sigcheck **out, tl_diag *diag);

/** Feeds the next `len` bytes of the signed file. */
void tl_sigcheck_update(tl_sigcheck *c, const void *bytes, size_t len);

/** Checks the file signature, then the trusted comment signature, and
 *  releases `c`.  TL_OK or TL_EVERIFY (rules "signature",
 *  "comment-signature"). */
tl_status tl_sigcheck_final(tl_sigcheck *c, tl_diag *diag);

/** Releases an unfinished check.  NULL is a no-op. */
void tl_sigcheck_free(tl_sigcheck *c);

/* ------------------------------------------------------------------------
 * Hashes the log is built from (sha256.c, sign.c)
 * ---------------------------------------------------------------------- */

/** A SHA-256 computation fed piece by piece (OpenSSL's libcrypto does the
 *  hashing): opaque. */
typedef struct tl_sha256 tl_sha256;

/** Starts a SHA-256.  TL_ENOMEM or TL_ECRYPTO (libcrypto cannot give
 *  SHA-256) leaves *out NULL.  End with tl_sha256_final or
 *  tl_sha256_free. */
tl_status tl_sha256_begin(tl_sha256 **out);
/** Feeds `len` bytes. */
void tl_sha256_update(tl_sha256 *h, const void *bytes, size_t len);
/** Writes the digest as 64 lower-case hex digits and a NUL, and releases
 *  `h`.  TL_ECRYPTO (and `hex` "") if libcrypto failed on the way. */
tl_status tl_sha256_final(tl_sha256 *h, char hex[TL_HASH_HEX + 1]);
/** Releases an unfinished SHA-256.  NULL is a no-op. */
void tl_sha256_free(tl_sha256 *h);

/** SHA-256 of the file at `path`, read in pieces, as lower-case hex.
 *  TL_EIO when it cannot be read (`hex` is then ""). */
tl_status tl_sha256_file(const char *path, char hex[TL_HASH_HEX + 1],
    tl_diag *diag);

/**
 * The log's chain hash of one line (`len` bytes, newline excluded):
 * BLAKE2b-256 personalized with "tearline-prev-v1", as lower-case hex.
 * The next line carries it as "prev".
 */
void tl_chain_hash(const void *line, size_t len, char hex[TL_HASH_HEX + 1]);

/** Fills `hex` with 2 * `nbytes` lower-case hex digits of fresh randomness
 *  and a NUL (`hex` holds 2 * nbytes + 1).  TL_ECRYPTO if libsodium
 *  cannot start. */
tl_status tl_random_hex(char *hex, size_t nbytes);

/**
 * A commitment key K_c: 32 random bytes that key the log's commitment
 * tags, kept in its own 0600 file and never written into a log (the log
 * carries only its id).  Opaque; the bytes live in guarded memory.
 * File format: "untrusted comment: tearline commitment key ID\n" and the
 * base64 of "Ck" followed by the 32 bytes.
 */
typedef struct tl_commitkey tl_commitkey;

/** Creates a fresh commitment key, writes it to `path` (mode 0600,
 *  atomically; TL_EEXIST when it exists and not `force`) and returns it in
 *  *out (tl_commitkey_free).  *out is NULL on error. */
tl_status tl_commitkey_generate(const char *path, bool force,
    tl_commitkey **out, tl_diag *diag);

/** Loads a commitment key file.  TL_ESYNTAX when malformed, TL_EIO when
 *  unreadable; *out NULL on error. */
tl_status tl_commitkey_load(const char *path, tl_commitkey **out,
    tl_diag *diag);

/** The id of `ck` as 16 upper-case hex digits: the first 8 bytes of its
 *  BLAKE2b-256 personalized with "tearline-ckid-v1".  Reveals nothing of
 *  the key. */
void tl_commitkey_id(const tl_commitkey *ck, char hex[TL_KEYID_HEX + 1]);

/** Wipes and releases `ck`.  NULL is a no-op. */
void tl_commitkey_free(tl_commitkey *ck);

/**
 * A keyed commitment tag being computed: opaque.
 *
 * tag = BLAKE2b-256(key K_c, personalization P,
 *                   u64le(len log_id) | log_id | u64le(doc) |
 *                   u64le(portion) | text | u64le(len text))
 * with P = "tearline-itag-v1" for a whole input (portion 0) and
 * "tearline-ptag-v1" for a portion.  Without K_c nobody can test a guess
 * of the text; equal texts in two portions get different tags.
 */
typedef struct tl_tag tl_tag;

/**
 * Starts the tag of portion `portion` (1-based; 0 = the whole input
 * document) of document `doc` (1-based in the run) of log `log_id`.  The
 * caller then feeds the text with tl_tag_update.  TL_EUSAGE when `ck` or
 * `log_id` is NULL, TL_ENOMEM; *out NULL on error.
 */
tl_status tl_tag_begin(const tl_commitkey *ck, const char *log_id,
    unsigned long doc, unsigned long portion, tl_tag **out);
/** Feeds `len` more bytes of the text. */
void tl_tag_update(tl_tag *t, const void *bytes, size_t len);
/** Writes the tag as 64 lower-case hex digits and a NUL; wipes and
 *  releases `t`. */
void tl_tag_final(tl_tag *t, char hex[TL_HASH_HEX + 1]);
/** Wipes and releases an unfinished tag.  NULL is a no-op. */
void tl_tag_free(tl_tag *t);

/* ------------------------------------------------------------------------
 * RFC 6962 Merkle tree hash with SHA-256 (merkle.c)
 * ---------------------------------------------------------------------- */

#define TL_MERKLE_HASH_BYTES 32 /**< bytes of every Merkle hash */

/** An append-only Merkle tree: keeps one hash per level, O(log n) memory,
 *  never the leaves.  Opaque. */
typedef struct tl_merkle tl_merkle;

/** A new empty tree (release with tl_merkle_free); NULL when out of
 *  memory or when libcrypto cannot give SHA-256. */
tl_merkle *tl_merkle_new(void);
/** Appends a leaf of `len` bytes: its hash is SHA-256(0x00 | leaf). */
void tl_merkle_add(tl_merkle *m, const void *leaf, size_t len);
/** Number of leaves added so far. */
uint64_t tl_merkle_size(const tl_merkle *m);
/** The root hash of the leaves so far (SHA-256("") for none), where
 *  node = SHA-256(0x01 | left | right) and a tree of n leaves splits at
 *  the largest power of two below n, as RFC 6962 section 2.1 says.
 *  TL_ECRYPTO (root zeroed) if a hash failed since tl_merkle_new. */
tl_status tl_merkle_root(const tl_merkle *m,
    unsigned char root[TL_MERKLE_HASH_BYTES]);
/** Releases `m`.  NULL is a no-op. */
void tl_merkle_free(tl_merkle *m);

/** The leaf hash SHA-256(0x00 | leaf).  TL_ENOMEM or TL_ECRYPTO when it
 *  cannot be computed. */
tl_status tl_merkle_leaf_hash(const void *leaf, size_t len,
    unsigned char out[TL_MERKLE_HASH_BYTES]);

/**
 * Checks an RFC 6962 inclusion proof: that a leaf with hash `leaf_hash`
 * at 0-based `index` belongs to the tree of `size` leaves with root
 * `root`, given the `npath` sibling hashes of its audit path (bottom up).
 * Returns TL_OK or TL_EVERIFY (also for index >= size or a path of the
 * wrong length), or TL_ENOMEM or TL_ECRYPTO when it cannot hash.
 */
tl_status tl_merkle_verify_inclusion(
    const unsigned char leaf_hash[TL_MERKLE_HASH_BYTES], uint64_t index,
    uint64_t size, const unsigned char (*path)[TL_MERKLE_HASH_BYTES],
    size_t npath, const unsigned char root[TL_MERKLE_HASH_BYTES]);

/* ------------------------------------------------------------------------
 * The signed log (log.c): JSON Lines, hash-chained, a Merkle root and one
 * minisign signature per run.  The format is in tearline-log(5).
 * ---------------------------------------------------------------------- */

#define TL_LOG_FORMAT "tearline-log-1" /**< value of the head's "format" */
#define TL_LOG_ID_HEX 32               /**< characters of a log id */
/** Longest log line in bytes, newline excluded: the writer refuses longer
 *  lines (TL_ELIMIT) and the verifier rejects them (TL_ESYNTAX). */
#define TL_LOG_LINE_MAX 65536

/** A log being written: opaque. */
typedef struct tl_log tl_log;

/** What the head line of a new log says, and how it is written. */
typedef struct tl_log_params {
	const char *sig_path;      /**< NULL: the log's path + ".minisig" */
	const char *log_id;        /**< 32 lower-case hex; NULL: random */
	const char *reader;        /**< the reader decided for; required */
	const char *policy_sha256; /**< 64 lower-case hex, or NULL */
	const char *created;       /**< a time stamp as the caller wants it
	                                (ISO 8601 UTC advised), or NULL */
	const char *tool;          /**< NULL: "tearline " TEARLINE_VERSION */
	const char *untrusted_comment; /**< of the .minisig; NULL: default */
	bool force; /**< replace an existing log and signature */
} tl_log_params;

/**
 * Starts the log `path`: writes its head line to a temporary file beside
 * it.  `sk` signs at tl_log_close; `ck` is the commitment key whose id the
 * head records; both are borrowed and must outlive the log.  Returns
 * TL_EEXIST when the log or its signature exists and not params->force,
 * TL_EUSAGE for a missing or malformed parameter, TL_EIO.  On success
 * *out must end with tl_log_close or tl_log_abort; on error it is NULL and
 * no file is left behind.
 */
tl_status tl_log_open(const char *path, const tl_seckey *sk,
    const tl_commitkey *ck, const tl_log_params *params, tl_log **out,
    tl_diag *diag);

/** The log id (32 lower-case hex), owned by `log`. */
const char *tl_log_id(const tl_log *log);

/**
 * Starts the next document; *doc receives its number (1, 2, ...).  Its
 * decisions follow (tl_log_decision) and tl_log_doc_end writes its doc
 * line after them, so that nothing is held in memory.  TL_EUSAGE when the
 * previous document was not ended.
 */
tl_status tl_log_doc_begin(tl_log *log, unsigned long *doc);

/**
 * Passes over the next document number without writing anything: the
 * document of a run that failed and left no copy.  The verifier accepts
 * such gaps (document numbers only increase), so a gap in a log says that
 * a document of the run was not done.  TL_EUSAGE inside a document.
 */
tl_status tl_log_doc_skip(tl_log *log);

/** Starts the commitment tag of portion `portion` (0 = the whole input) of
 *  the current document, with the log's key and id: tl_tag_begin. */
tl_status tl_log_tag_begin(tl_log *log, unsigned long portion,
    tl_tag **out);

/** One decision: never the text of the portion, only its keyed tag. */
typedef struct tl_log_dec_fields {
	unsigned long portion; /**< 1-based, increasing within the document */
	unsigned long line;    /**< first line of the portion */
	const char *mark;      /**< the mark as written, NULL when unmarked */
	bool release;          /**< false: withheld (the zero value) */
	const char *rule;      /**< id of the deciding rule, or NULL */
	const char *tag;       /**< 64 hex from tl_tag_final; required */
} tl_log_dec_fields;

/** Appends a dec line for the current document.  TL_EUSAGE outside a
 *  document, for a portion index that does not increase or a malformed
 *  tag; TL_ELIMIT for an over-long line; TL_EIO.  After any error the log
 *  can only be closed (which fails) or aborted. */
tl_status tl_log_decision(tl_log *log, const tl_log_dec_fields *dec,
    tl_diag *diag);

/** What the doc line says of a finished document. */
typedef struct tl_log_doc_fields {
	const char *input;         /**< input name; required */
	const char *input_tag;     /**< 64 hex: tag of portion 0; required */
	const char *output;        /**< output name, NULL when none written */
	const char *output_sha256; /**< 64 hex, NULL exactly when output is */
	const char *reader;        /**< NULL: the head's */
	const char *policy_sha256; /**< NULL: the head's */
} tl_log_doc_fields;

/** Ends the current document with its doc line (which counts its
 *  decisions).  Errors as tl_log_decision. */
tl_status tl_log_doc_end(tl_log *log, const tl_log_doc_fields *doc,
    tl_diag *diag);

/**
 * Finishes the log: writes the end line (entry count, Merkle root), fsyncs,
 * signs it (trusted comment "format:F<TAB>log:ID<TAB>entries:N<TAB>root:R"),
 * then renames the log and its signature into place.  Releases `log` in
 * every case.  On error (including an earlier failed call, or an unended
 * document) no log, signature or temporary file is left behind.
 */
tl_status tl_log_close(tl_log *log, tl_diag *diag);

/** Abandons the log: removes its temporary file and releases it.  NULL is
 *  a no-op. */
void tl_log_abort(tl_log *log);

/** A named file given to the verifier: `name` as the log writes it. */
typedef struct tl_log_file {
	const char *name;
	const char *path;
} tl_log_file;

/** What tl_log_verify compares besides the log itself.  All optional. */
typedef struct tl_log_verify_opts {
	const tl_log_file *outputs; /**< redacted files, by output name */
	size_t noutputs;
	const char *policy_path;    /**< policy file: its SHA-256 */
	const tl_commitkey *commit_key; /**< for the input tags */
	const tl_log_file *inputs;  /**< originals, by input name */
	size_t ninputs;
	/** Also check every output the log names (but "-"), found under
	 *  `outputs_dir` (NULL: the current directory) when its name is
	 *  relative; a missing one fails check "output". */
	bool all_outputs;
	const char *outputs_dir;
} tl_log_verify_opts;

/** What tl_log_verify found.  `check` names the first failed check
 *  ("syntax", "canonical", "sequence", "chain", "order", "format",
 *  "key-id", "commit-key", "count", "root", "truncated", "output",
 *  "input-tag", "policy", "signature", "comment-signature",
 *  "trusted-comment"), "" when the log is valid; `line` is its line
 *  (0 when the check is not about one line). */
typedef struct tl_log_report {
	bool valid;
	unsigned long line;
	char check[24];
	char message[400];
	char log_id[TL_LOG_ID_HEX + 1];
	char key_id[TL_KEYID_HEX + 1];
	char root[TL_HASH_HEX + 1];
	unsigned long lines;     /**< lines read */
	unsigned long documents; /**< doc lines */
	unsigned long released;  /**< dec lines that release */
	unsigned long withheld;  /**< dec lines that withhold */
	unsigned long outputs_checked;
	unsigned long inputs_checked;
	char trusted_comment[TL_TRUSTED_COMMENT_MAX + 1]; /**< once verified */
} tl_log_report;

/**
 * Verifies the log at `log_path` against its signature `sig_path` (NULL:
 * log_path + ".minisig") and `pk`, reading it once with bounded memory:
 * key ids; every line strict (re-serializes to the same bytes; no CR, NUL,
 * over-long line; final newline); sequence, chain, document order and
 * counts; the Merkle root against the end line; then the signature, the
 * trusted comment signature and the trusted comment against the end line.
 * With `opts`, also the SHA-256 of the named outputs and the policy, and
 * the keyed tags of the named inputs.  Returns TL_OK (valid), TL_EVERIFY
 * (invalid), TL_ESYNTAX (malformed log or signature), TL_EIO, TL_ENOMEM.
 * `report` (required) says what was checked and, when not valid, which
 * check failed on which line; `diag` says the same as a message.
 */
tl_status tl_log_verify(const tl_pubkey *pk, const char *log_path,
    const char *sig_path, const tl_log_verify_opts *opts,
    tl_log_report *report, tl_diag *diag);

/* ------------------------------------------------------------------------
 * Redaction with a signed log (runlog.c): tl_redact_file, recorded
 * ---------------------------------------------------------------------- */

/** A signed log shared by the redactions of one run: opaque.  Unlike a
 *  tl_log it may be used by several threads at once. */
typedef struct tl_runlog tl_runlog;

/**
 * Starts the log of a run, as tl_log_open (same arguments and errors).
 * `sk` and `ck` are borrowed and must outlive the run log.
 */
tl_status tl_runlog_open(const char *path, const tl_seckey *sk,
    const tl_commitkey *ck, const tl_log_params *params, tl_runlog **out,
    tl_diag *diag);

/**
 * tl_redact_file (same arguments, `opt->hooks` must be NULL), recording
 * in `rl` one document per target: a dec line per portion with its keyed
 * tag, then a doc line with the keyed tag of the input and the name and
 * SHA-256 of the copy.  The lines wait for the document's turn in memory,
 * 64 KiB per target at most, and past that in an unlinked spool file in
 * `opt->spool_dir` (or /tmp), so memory does not grow with the document.
 *
 * Thread-safe: each call reserves its document numbers when it starts
 * and writes its lines when every call that started before it has
 * written, so the numbers in the log increase in the order the calls
 * started.  A call that fails records nothing and skips its numbers
 * (tl_log_doc_skip).  Returns what tl_redact_file returns, or the error
 * of the log (TL_EIO...), after which the run log can only be aborted or
 * closed with that error.
 */
tl_status tl_runlog_redact(tl_runlog *rl, const tl_policy *pol,
    const char *input, const tl_redact_target *targets, size_t ntargets,
    const tl_redact_options *opt, tl_redact_report *reports, tl_diag *diag);

/** Number of documents recorded so far (doc lines written). */
unsigned long tl_runlog_documents(tl_runlog *rl);

/** The log id (32 lower-case hex), owned by `rl`. */
const char *tl_runlog_id(const tl_runlog *rl);

/**
 * Finishes the log and signs it (tl_log_close) once no redaction is under
 * way.  Releases `rl` in every case; on error no log or signature is left.
 */
tl_status tl_runlog_close(tl_runlog *rl, tl_diag *diag);

/** Abandons the log (tl_log_abort) and releases `rl`.  NULL is a no-op. */
void tl_runlog_abort(tl_runlog *rl);

/* --- log: end --- */

/* --- audit: begin (audit.c) --- */

/* ------------------------------------------------------------------------
 * Audit: marking consistency checks (audit.c) over the parser's events,
 * with writers for JSON Lines (audit_out.c) and SARIF 2.1.0 (sarif.c).
 * ---------------------------------------------------------------------- */

/**
 * One row of the audit rule table.  Rules are data: every finding names
 * its row, and a policy may change a rule's severity or disable it.
 * Rows and their strings are static and never change.
 */
typedef struct tl_audit_rule {
	const char *id;       /**< stable id: "portion-above-banner" */
	tl_severity severity; /**< default severity */
	const char *summary;  /**< one line: what the rule checks */
	const char *message;  /**< text of a finding; {1} to {4} are
	                           filled in with its details */
	const char *source;   /**< what it enforces: "ISM-ID-00056; 32 CFR
	                           2001.21" */
	const char *help;     /**< why it matters and how to fix it */
} tl_audit_rule;

/** Number of rows in the rule table. */
size_t tl_audit_rule_count(void);

/** Row `index` (0-based, table order, stable within a version), or NULL
 *  when out of range. */
const tl_audit_rule *tl_audit_rule_at(size_t index);

/** Index of the rule `id` in the table, or -1 when there is none. */
long tl_audit_rule_find(const char *id);

/**
 * One finding.  `diag` holds the position (1-based; 0 = none), the
 * effective severity, the rule id and the message; `diag.file` is a
 * truncated copy of `file`.  Valid only during the callback.
 */
typedef struct tl_finding {
	tl_diag diag;
	const char *file;           /**< the document's name, untruncated */
	size_t rule_index;          /**< row of the rule table */
	const tl_audit_rule *rule;  /**< that row */
	/** The other place a finding names (consistency-mark: the same
	 *  passage in another document); NULL and 0 when none. */
	const char *related_file;
	unsigned long related_line;
} tl_finding;

/** Receives each finding in the order found.  A status other than TL_OK
 *  stops the audit, which returns it. */
typedef tl_status (*tl_finding_fn)(void *ctx, const tl_finding *f);

/**
 * Orders levels: returns the rank of the level of `m` (1 = lowest),
 * 0 when unknown (never compared).  To rank by a policy, wrap
 * tl_policy_level_rank(ctx, m).  The audit passes a copy of the marking
 * whose level_token is empty, so that forms such as "SBU" rank as their
 * level (UNCLASSIFIED) and their control is checked by the roll-up rules.
 */
typedef unsigned (*tl_audit_rank_fn)(const void *ctx, const tl_marking *m);

/** An audit: consumes parser events, reports findings.  Memory does not
 *  grow with the document. */
typedef struct tl_audit tl_audit;

/**
 * Creates an audit that reports findings to `fn` with `ctx`.  Every rule
 * starts enabled with its default severity; levels are ranked by the
 * built-in table (U < C < S < TS; OFFICIAL < OFFICIAL-SENSITIVE < SECRET
 * < TOP SECRET) until tl_audit_set_ranking.  Returns NULL when out of
 * memory or `fn` is NULL.  Free with tl_audit_free.
 */
tl_audit *tl_audit_new(tl_finding_fn fn, void *ctx);

/** Releases an audit.  NULL is a no-op. */
void tl_audit_free(tl_audit *a);

/**
 * Sets rule `id` enabled or not, with `severity`.  Returns TL_OK, or
 * TL_ENOTFOUND (nothing changed) when no rule has that id.
 */
tl_status tl_audit_rule_set(tl_audit *a, const char *id, bool enabled,
    tl_severity severity);

/** Effective settings of row `index` in `a` (NULL: the defaults):
 *  returns whether it is enabled and stores its severity in `*severity`
 *  (may be NULL).  False for an index out of range. */
bool tl_audit_rule_get(const tl_audit *a, size_t index,
    tl_severity *severity);

/** Ranks levels with `fn` (e.g. the policy's order) from now on; NULL
 *  goes back to the built-in table.  `ctx` is borrowed. */
void tl_audit_set_ranking(tl_audit *a, tl_audit_rank_fn fn, const void *ctx);

/**
 * The event consumer: pass it as the tl_event_fn of a parser with the
 * audit as `ctx`.  Per-portion checks run at TL_EV_PORTION_END,
 * document checks at TL_EV_END, after which the audit is ready for the
 * next document.  Parser diagnostics become findings of their own rule
 * ("mark-malformed", "banner-damaged", ...).  Returns TL_OK or the first
 * failing status of the finding callback.
 */
tl_status tl_audit_event(void *audit, const tl_event *ev);

/**
 * Audits the document at `path` ("-" is standard input) with
 * tl_parse_file.  Returns TL_OK when the document was read to its end
 * (whatever was found); on an I/O error TL_EIO with `diag` (may be
 * NULL) saying why; findings made before the error stay delivered.
 */
tl_status tl_audit_file(tl_audit *a, const char *path, tl_diag *diag);

/**
 * Ends an audit of several documents: reports the findings that need them
 * all, rule consistency-mark (the same passage, twelve words or more
 * outside boilerplate, marked at two levels in two documents; one finding
 * at the lower-marked place, naming the other in related_file and
 * related_line).  The passages were kept as keyed hashes in a scratch
 * SQLite database under $TMPDIR, removed here, so memory does not grow
 * with the run.  Call it once, after the last document.  Returns TL_OK,
 * the callback's status, or TL_EIO with `diag` when the database failed.
 */
tl_status tl_audit_finish(tl_audit *a, tl_diag *diag);

/** Number of findings of `severity` delivered since tl_audit_new. */
unsigned long tl_audit_count(const tl_audit *a, tl_severity severity);

/**
 * Writes `f` as one JSON object and a newline (JSON Lines): "file",
 * "line", "column" (null when 0), "severity", "rule", "message",
 * "source".  Returns TL_OK or the failing status of `out`.
 */
tl_status tl_finding_write_json(const tl_finding *f, tl_write_fn out,
    void *ctx);

/** Most results a SARIF log keeps per document; the rest are counted
 *  in one note result (rule "audit-truncated"). */
#define TL_SARIF_RESULTS_MAX 10000

/** A SARIF 2.1.0 log being collected: results are kept (bounded by
 *  TL_SARIF_RESULTS_MAX per document and a 64 MiB cap in all) until
 *  tl_sarif_write, because SARIF is one JSON object. */
typedef struct tl_sarif tl_sarif;

/** Creates an empty log.  Returns NULL when out of memory. */
tl_sarif *tl_sarif_new(void);

/** Releases a log.  NULL is a no-op. */
void tl_sarif_free(tl_sarif *s);

/**
 * Adds `f` as a result.  Past the caps the finding is only counted.
 * Returns TL_OK, or TL_ENOMEM (the log is unchanged).
 */
tl_status tl_sarif_add(tl_sarif *s, const tl_finding *f);

/**
 * Records that `file` could not be audited (`message` says why): the
 * log's invocation is then marked unsuccessful and carries the message
 * as a tool execution notification.  Returns TL_OK or TL_ENOMEM.
 */
tl_status tl_sarif_add_failure(tl_sarif *s, const char *file,
    const char *message);

/**
 * Writes the whole log, one JSON object and a newline: `runs[0].tool.
 * driver` names tearline, its version and every rule of the table with
 * the effective settings of `a` (may be NULL: the defaults), then the
 * results.  Returns TL_OK or the first failing status of `out`; on
 * failure the output may be partial.
 */
tl_status tl_sarif_write(const tl_sarif *s, const tl_audit *a,
    tl_write_fn out, void *ctx);

/* --- audit: end --- */

#ifdef __cplusplus
}
#endif

#endif /* TEARLINE_H */
