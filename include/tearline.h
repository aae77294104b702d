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

/** Level for a canonical name or common alias (U, C, S, TS, UNCLAS...),
 *  case-insensitive; TL_LEVEL_UNKNOWN when not recognized. */
tl_level tl_level_lookup(const char *name, size_t len);

#define TL_TOKEN_MAX 32        /**< bytes per token, NUL included */
#define TL_MARK_CONTROLS_MAX 12 /**< controls kept per marking */
#define TL_MARK_REL_MAX 32      /**< countries kept per REL TO list */
#define TL_MARK_UNKNOWN_MAX 4   /**< unknown tokens kept per marking */

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
	/** Canonical control names in written order, REL TO excluded:
	 *  "NOFORN", "ORCON", "SBU", "FOUO", "FGI", "SI", "SI-G", "TK",
	 *  "NODIS", "EXDIS", "UK EYES ONLY"... */
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
	/** Syntax error (no level, empty, unbalanced): the mark cannot be
	 *  trusted and must withhold.  The parser says why in a diagnostic. */
	bool malformed;
} tl_marking;

/**
 * Parses the text of one mark, `len` bytes at `text`, without the
 * surrounding parentheses: "C/NF", "s//rel to usa, gbr", "SECRET//NOFORN",
 * "TS//SI-G//OC/NF", "S/REL FRANCE, BRITAIN, AND QATAR", " C ".
 * Always fills `out` (zeroed first).  Returns TL_OK for a clean marking,
 * TL_ESYNTAX when `out->malformed` or `out->nunknown` is set; then `why`
 * (may be NULL) receives a one-line reason of at most `whylen` bytes.
 */
tl_status tl_marking_parse(const char *text, size_t len, tl_marking *out,
    char *why, size_t whylen);

/**
 * Writes the canonical banner form of `m` ("SECRET//NOFORN",
 * "SECRET//REL TO USA, GBR", "TOP SECRET//SI//NOFORN", "UNCLASSIFIED")
 * into `buf`, NUL-terminated.  Returns the length needed, as snprintf.
 * REL TO lists come out USA first, then trigraphs, then tetragraphs.
 */
size_t tl_marking_format(const tl_marking *m, char *buf, size_t size);

/** True when `m` carries control `name` (canonical, e.g. "NOFORN"). */
bool tl_marking_has(const tl_marking *m, const char *name);

/**
 * ISO 3166 trigraph or tetragraph for a country name or code as found in
 * REL TO lists ("UK", "BRITAIN", "GBR", "United Kingdom" -> "GBR";
 * "FVEY" -> "FVEY"), case-insensitive.  Returns a static string, or NULL
 * when the name is not known.
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
} tl_portion;

/** A banner line: opening, repeated section banner or closing banner. */
typedef struct tl_banner {
	unsigned long line; /**< 0 when there is no banner */
	unsigned long col;
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
	unsigned long lines;    /**< lines read so far */
	unsigned long portions; /**< portions begun so far */
	unsigned long marked;   /**< portions with a mark */
	unsigned long errors;   /**< error diagnostics so far */
	unsigned long warnings; /**< warning diagnostics so far */
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
/* --- policy: end --- */

/* --- redact: begin (redact.c) --- */
/* --- redact: end --- */

/* --- log: begin (sign.c, log.c) --- */
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
} tl_finding;

/** Receives each finding in the order found.  A status other than TL_OK
 *  stops the audit, which returns it. */
typedef tl_status (*tl_finding_fn)(void *ctx, const tl_finding *f);

/**
 * Orders levels: returns the rank of the level of `m` (1 = lowest),
 * 0 when unknown.  tl_policy_level_rank has this shape; the audit passes
 * a copy of the marking whose level_token is empty, so that forms such
 * as "SBU" rank as their level (UNCLASSIFIED) and their control is
 * checked by the roll-up rules instead.
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

/** Effective settings of row `index`: returns whether it is enabled and
 *  stores its severity in `*severity` (may be NULL).  False for an index
 *  out of range. */
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
