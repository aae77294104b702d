/*
 * parse.h: the parser's state and the calls its four files make across:
 * parse.c (the driver), parse_header.c, parse_authority.c, parse_body.c.
 * Not installed; nothing outside those files may depend on it.
 */
#ifndef TL_PARSE_H
#define TL_PARSE_H

#include "internal.h"

/* Lines held back until the next line says what they are: the blank,
 * stray and repeated-banner lines of a gap between paragraphs, and a
 * possible heading.  Such lines are short; longer ones are never held. */
#define HOLD_LINES_MAX 64
#define HOLD_LINE_MAX 512
#define HEADING_MAX 100 /* longest line taken for a heading */
/* Lines held in the header zone until the next header line or the body
 * tells what they are (a preamble, a title, an unknown header line). */
#define TOP_HOLD_MAX 40

typedef enum zone {
	ZONE_TOP = 0, /* before the banner: routing header, distribution */
	ZONE_HEADER,  /* after the banner, before the first body portion */
	ZONE_BODY
} zone;

/* Header line whose continuation lines follow it. */
typedef enum hctx {
	HCTX_NONE = 0,
	HCTX_SUBJECT,
	HCTX_REF,
	HCTX_AUTHORITY,
	HCTX_ROUTING,
	HCTX_DISTLIST
} hctx;

/* A remembered tl_marking_parse result (marking_parse_memo). */
#define MARK_MEMO 64
typedef struct mark_memo {
	size_t len; /* of text; 0: empty */
	char text[TL_MARK_MAX + 1];
	tl_status st;
	tl_marking m;
	char why[160];
} mark_memo;

typedef struct held {
	tl_line_role role;
	unsigned long number;
	size_t off; /* into parser->hold */
	size_t len;
	size_t eol_len;
} held;

/* The HTML reader's state (html.c): a few dozen bytes. */
typedef struct tlp_html {
	int state;
	char tag[16];
	size_t taglen;
	bool closing, named;
	char quote;
	char ent[12];
	size_t entlen;
	char raw[8];     /* "script" or "style" while skipping its text */
	size_t rawlen;
	unsigned dashes;
	bool comment_seen;
	bool pre;        /* inside <pre>: white space kept */
	bool row;        /* inside <tr> */
	unsigned cells;  /* cells of the row so far */
	unsigned want;   /* line ends asked for before the next text */
	unsigned nl_run; /* line ends just written */
	bool col0;       /* at the start of a line */
	bool space;      /* a blank to write before the next text */
	bool any;        /* text written */
} tlp_html;

/* Converts `n` bytes of an HTML document to text, appended to `out`. */
tl_status tlp_html_feed(tlp_html *h, const char *s, size_t n, tl_buf *out);
/* The end of the document: what is pending, and a final line end. */
tl_status tlp_html_finish(tlp_html *h, tl_buf *out);

/* How the input is read: not decided yet (its first bytes are held in
 * tl_parser.sniff), as text, or as HTML. */
typedef enum input_form { FORM_SNIFF = 0, FORM_TEXT, FORM_HTML } input_form;
#define SNIFF_MAX 64

struct tl_parser {
	char *name;
	tl_event_fn fn;
	void *ctx;
	tl_status failed; /* sticky: first error of a callback */
	tl_docinfo doc;

	/* Assembly of the current line when it spans feed() calls. */
	tl_buf line;
	bool in_long;           /* delivering a line longer than a fragment */
	tl_line_role long_role; /* role and owner of that line's fragments */
	unsigned long long_portion;
	unsigned long long_number;

	zone zone;
	hctx hctx;
	bool routing_gap; /* a blank line since the last routing line */
	bool in_portion;
	/* The open (or last) portion is one of two slots; the next one is
	 * built in the other (next_slot) and the two trade places when it
	 * begins, instead of a kilobyte copied per portion. */
	tl_portion slot[2];
	tl_portion *cur;
	unsigned long last_content; /* last content line of `cur` */
	bool open_sentence;         /* `cur` ends without ending a sentence */

	/* Gap and heading look-ahead. */
	tl_buf hold;
	held gap[HOLD_LINES_MAX];
	unsigned ngap;
	bool heading_pending;
	held heading;
	tl_portion heading_portion;

	/* Header look-ahead: lines the header zone does not read, held
	 * until a header line says they were a preamble (they become text
	 * before it) or the body starts (they are its first lines). */
	tl_buf top;
	held toph[TOP_HOLD_MAX];
	unsigned ntop;

	bool utf8_reported;
	bool crlf_reported;
	bool any_bytes;

	mark_memo marks[MARK_MEMO];
	/* Inside one tl_parser_feed call: [plain_from, plain_end) of the
	 * caller's bytes is plain ASCII without NUL (feed_plain). */
	const char *plain_from, *plain_end;
	/* Page scopes (tl_docinfo.scopes) as banners arrive: the last
	 * banner, the marks since it, the run of pages under it. */
	tl_marking scope_banner;
	unsigned long scope_line; /* 0: no banner yet */
	tl_marking scope_ev;
	tl_marking scope_run;
	unsigned long scope_run_line;
	bool scopes_off; /* a banner not read, or too many scopes */
	bool in_exhibit; /* in a table that stated its marking */
	unsigned exhibit; /* its scope's index */

	/* HTML input: read as the text a reader sees (html.c). */
	input_form form;
	char sniff[SNIFF_MAX];
	size_t nsniff;
	tlp_html html;
	tl_buf html_out;
};

/* The paragraph number or bullet that leads a body line (parse_lead). */
typedef struct lead {
	size_t start;    /* first visible character */
	size_t mark_at;  /* where a mark may begin (after the number) */
	tl_portion_kind kind;
	bool numbered;   /* a paragraph number or bullet was found */
	char number[16];
} lead;

/* What tlp_parse_mark found. */
typedef enum mark_result {
	MARK_NONE = 0, /* no mark here */
	MARK_OK,       /* a mark, parsed clean */
	MARK_UNKNOWN,  /* a mark with tokens the grammar does not know */
	MARK_BAD       /* something that is meant as a mark but is malformed */
} mark_result;

/* One line as the driver hands it to the header and the body: s[0..n)
 * without its ending eol[0..eol_len). */
typedef struct linebuf {
	const char *s;
	size_t n;
	const char *eol;
	size_t eol_len;
	unsigned long number;
	bool complete; /* false: first fragment of a very long line */
	bool nul;      /* has a NUL byte */
	unsigned long nul_col;
	int plain;     /* plain ASCII without NUL: 1 yes, 0 no, -1 unknown */
} linebuf;

/* The slot that is not the current portion's. */
static inline tl_portion *
next_slot(tl_parser *p)
{
	return &p->slot[p->cur == &p->slot[0]];
}

/* ---------------------------------------------------------------------
 * Small text helpers
 * ------------------------------------------------------------------- */

static inline size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && tl_isspace((unsigned char)s[i]))
		i++;
	return i;
}

static inline size_t
rtrim(const char *s, size_t n)
{
	while (n > 0 && tl_isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static inline bool
is_blank(const char *s, size_t n)
{
	return skip_ws(s, n, 0) == n;
}

static inline unsigned long
col_at(const char *s, size_t off)
{
	return 1 + tl_utf8_width(s, off);
}

/* Case-insensitive search of lit in s[0..n); offset or n. */
static inline size_t
ifind(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit), i;
	int c0 = tl_toupper((unsigned char)lit[0]);

	if (m == 0)
		return 0;
	/* The first byte decides at most places: the full compare runs only
	 * where it matches. */
	for (i = 0; m <= n && i <= n - m; i++)
		if (tl_toupper((unsigned char)s[i]) == c0 &&
		    tl_iprefix(s + i, n - i, lit))
			return i;
	return n;
}

static inline bool
all_upper_words(const char *s, size_t n)
{
	size_t i;
	bool letter = false;

	for (i = 0; i < n; i++) {
		if (tl_islower((unsigned char)s[i]))
			return false;
		if (tl_isupper((unsigned char)s[i]))
			letter = true;
	}
	return letter;
}

/* Where the text of s[0..n) starts after the markup a converter puts
 * before it: white space, markdown heading signs ("# ", "## "), quote
 * signs ("> "), a table row's first bar ("| "), emphasis ("**"), an
 * HTML line break ("<br>").  Bullets and numbers are not markup: they are
 * leads (parse_lead).  Returns n for a line of markup only. */
static inline size_t
markup_prefix(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0), j;

	for (;;) {
		j = i;
		while (j < n && s[j] == '#' && j - i < 6)
			j++;
		if (j > i && (j == n || s[j] == ' ' || s[j] == '\t')) {
			i = skip_ws(s, n, j);
			continue;
		}
		if (i < n && (s[i] == '>' || s[i] == '|') &&
		    (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t')) {
			i = skip_ws(s, n, i + 1);
			continue;
		}
		if (i + 1 < n && ((s[i] == '*' && s[i + 1] == '*') ||
		    (s[i] == '_' && s[i + 1] == '_'))) {
			i = skip_ws(s, n, i + 2);
			continue;
		}
		if (n - i >= 4 && tl_iprefix(s + i, n - i, "<br>")) {
			i = skip_ws(s, n, i + 4);
			continue;
		}
		return i;
	}
}


/* Can a banner start with letter c?  Every form starts with a letter that
 * begins a level word, its doubled or dropped form or a plain form
 * (SECRET, ECRET, LIMITED..., RESTRICTED); spaced forms in either case. */
static inline bool
banner_initial(int c)
{
	c = tl_toupper(c);
	return c == 'S' || c == 'C' || c == 'U' || c == 'T' || c == 'E' ||
	    c == 'O' || c == 'N' || c == 'L' || c == 'R';
}

/* The cheap half of tlp_parse_banner: the first visible letter. */
static inline bool
may_be_banner(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && banner_initial((unsigned char)s[i]);
}

/* ---------------------------------------------------------------------
 * parse.c: events.  Each returns the callback's status; after a callback
 * has failed, that status again without calling it (p->failed is sticky).
 * ------------------------------------------------------------------- */

/* Reports line `number`, text[0..len) with the ending eol[0..eol_len)
 * (eol NULL: none), as `role`, in portion `portion` (0: between
 * portions); `first` and `last` say which fragments of a long line it
 * is, as in tl_line. */
tl_status tlp_emit_line(tl_parser *p, tl_line_role role, unsigned long number,
    unsigned long portion, const char *text, size_t len, const char *eol,
    size_t eol_len, bool first, bool last);

/* Reports a diagnostic at line:col (1-based; 0: none) under `rule` and
 * counts errors and warnings in the docinfo.  An error carries
 * TL_ESYNTAX, anything else TL_OK. */
tl_status tlp_diag(tl_parser *p, tl_severity sev, unsigned long line,
    unsigned long col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Begins the portion `tmpl` (built in next_slot, or copied there): gives
 * it the next index, makes it current and reports it.  It does not end
 * an open portion: the caller has. */
tl_status tlp_begin_portion(tl_parser *p, const tl_portion *tmpl);

/* Ends the open portion at its last content line and reports it; TL_OK
 * and nothing reported when no portion is open. */
tl_status tlp_end_portion(tl_parser *p);

/* ---------------------------------------------------------------------
 * parse_header.c
 * ------------------------------------------------------------------- */

/* Takes line L when it belongs to the header zone (routing, banner,
 * control, authority, DECL, TAGS, REF, SUBJECT lines and their
 * continuations): notes it in the docinfo, emits it and sets *done.
 * Otherwise *done is false and nothing was emitted: the line starts the
 * body.  Ends the open portion (a subject) before any other header line. */
tl_status tlp_header_line(tl_parser *p, const linebuf *L, bool *done);

/* Where the marking of a line that states the whole's marking starts:
 * "Overall Classification: TOP SECRET//SI//NOFORN", "Classification:
 * SECRET", "This Exhibit is SECRET//NOFORN" (after markup); 0 for any
 * other line.  The marking itself is the caller's to read (tlp_parse_banner
 * from there). */
size_t tlp_classification_line(const char *s, size_t n);

/* True when line L is one the header zone reads for sure, so that lines
 * held before it (a preamble) end there: a banner, a routing class, an
 * "Overall Classification:" line, TAGS, SUBJECT, an E.O. or DECL line,
 * Classified By, ENTIRE TEXT.  Emits nothing. */
bool tlp_header_anchor(tl_parser *p, const linebuf *L);

/* True for a line of control words ("NOFORN SIPDIS", "NOFORN, NOT FOR
 * INTERNET DISTRIBUTION") or an office routing line ("DEPT FOR EUR/WE").
 * With `apply`, adds the controls to `m` and notes SIPDIS in the docinfo;
 * the trap: the words before the first that is not a control word are
 * applied even when it returns false.  Without `apply`, `m` may be NULL. */
bool tlp_control_line(tl_parser *p, const char *s, size_t n, tl_marking *m,
    bool apply);

/* True when s[0..n) is a banner line (spaced, damaged, plain or CAPCO
 * forms; upper case but for a re-typed spaced banner); fills *b with its
 * marking, text, tail, column and damage.  *b may be written when it
 * returns false too, and is meaningful only when it returns true; b->line
 * is the caller's to set. */
bool tlp_parse_banner(const char *s, size_t n, tl_banner *b);

/* True when s[0..n) starts with a CAPCO banner (a level and "//" forms)
 * that other text follows on the same line: a title, a portion mark
 * ("TOP SECRET//SI//REL TO USA, FVEY (S//REL) Tor Operation").  Fills *b
 * as tlp_parse_banner does, with an empty tail, and *rest with where the
 * other text starts. */
bool tlp_banner_with_title(const char *s, size_t n, tl_banner *b, size_t *rest);

/* ---------------------------------------------------------------------
 * parse_authority.c
 * ------------------------------------------------------------------- */

/* Reads up to `maxdigits` decimal digits at s[*i], advancing *i past
 * them; returns their value, or -1 (and *i unchanged) when there is no
 * digit there. */
int tlp_read_num(const char *s, size_t n, size_t *i, size_t maxdigits);

/* True when y-m-d is a date of the years 1900 to 2999. */
bool tlp_valid_date(int y, int m, int d);

/* Writes "YYYY-MM-DD" and a NUL; the date must be valid (tlp_valid_date). */
void tlp_iso_date(char iso[11], int y, int m, int d);

/* Adds to a->reasons the reasons written after the first "1.4" or "1.5"
 * in s[0..n) ("(b,d)", "(b) and (d)", "b/d"...), as "1.4(b)", up to the
 * array's room; nothing when neither is there. */
void tlp_parse_reasons(tl_authority *a, const char *s, size_t n);

/* Fills a->classified_by and a->reasons from s[0..n), which starts with
 * "Classified By" or "Derived From"; a->line and a->col are the
 * caller's. */
void tlp_parse_classified_by(tl_authority *a, const char *s, size_t n);

/* True when s[0..n) is an E.O. or DECL line ("E.O. 12958: DECL:
 * 11/18/2027", "DECL: 6/30/08", "E.O. 13526"). */
bool tlp_is_eo(const char *s, size_t n);

/* Fills the docinfo's declassify from the E.O./DECL line `number`: the
 * order number, the text after DECL (or after the order's colon) and its
 * date when one can be read.  Its position is that of the first such
 * line; a later line may still fill in what an earlier one lacked. */
void tlp_parse_eo(tl_parser *p, const char *s, size_t n, unsigned long number);

/* True when body line L is a field of an authority block written after
 * the text ("Classified By:", "Derived From:", "Declassify On:"; "Dated:"
 * and "Reason:" inside such a block), as memos and briefings end. */
bool tlp_authority_line_ahead(tl_parser *p, const linebuf *L);

/* Notes authority line L in the docinfo (the first Classified By or
 * Derived From, the declassification, the reasons) and emits it between
 * portions.  The caller has ended the open portion. */
tl_status tlp_authority_line(tl_parser *p, const linebuf *L);

/* ---------------------------------------------------------------------
 * parse_body.c
 * ------------------------------------------------------------------- */

/* Takes a body line: continues the open portion, starts a new one, or
 * holds the line in the look-ahead (gap lines, a heading candidate). */
tl_status tlp_body_line(tl_parser *p, const linebuf *L);

/* Emits L as a content line of the open portion (which must exist) and
 * notes where that portion ends and whether a sentence is left open. */
tl_status tlp_content(tl_parser *p, const linebuf *L);

/* True when s[0..n) starts a body paragraph: a paragraph number, label
 * or bullet, or a portion mark at its start. */
bool tlp_starts_paragraph(tl_parser *p, const char *s, size_t n);

/* Looks for a portion mark at s[at..n) ("(C/NF)", "( C )", "(S/NF" with
 * no closing parenthesis; with `numbered`, also "C)").  Fills the mark
 * fields of *po, which the caller has zeroed, and *end (just past the
 * mark); `why` (whylen > 0) gets the reason for MARK_BAD and
 * MARK_UNKNOWN, "" otherwise.  *po and *end are untouched for
 * MARK_NONE, but po->marking may have been written. */
mark_result tlp_parse_mark(tl_parser *p, const char *s, size_t n, size_t at,
    bool numbered, tl_portion *po, size_t *end, char *why, size_t whylen);

/* Reports a malformed mark (an error) or one with unknown tokens (a
 * warning) of the portion *po on line `number`; TL_OK and nothing for
 * MARK_NONE and MARK_OK. */
tl_status tlp_report_mark(tl_parser *p, mark_result r, const tl_portion *po,
    unsigned long number, const char *why);

/* Releases the held gap lines: into the open portion when `inside`,
 * otherwise after ending it, between portions. */
tl_status tlp_flush_gap(tl_parser *p, bool inside);

/* Emits the pending heading candidate: as a heading portion of its own
 * (`heading`) or as the first line of a text portion that goes on.
 * Only when p->heading_pending. */
tl_status tlp_flush_heading(tl_parser *p, bool heading);

/* Notes banner *b, read in the body (a section or page banner): the last
 * one is the closing banner; the first is the document's banner when the
 * header had none; its marking joins the evidence. */
void tlp_body_banner(tl_parser *p, const tl_banner *b);

/* Rolls marking `m`, seen at `line`, into the document's evidence
 * (tl_docinfo.evidence): a higher level replaces the lower, controls are
 * added.  REL TO lists are not rolled in; they never raise. */
void tlp_evidence_add(tl_parser *p, const tl_marking *m, unsigned long line);

/* A banner line read at b->line, of the header or the body: it raises
 * the evidence (tlp_evidence_add), and the page scopes
 * (tl_docinfo.scopes) change where the banners do. */
void tlp_banner_read(tl_parser *p, const tl_banner *b);

/* "| This Exhibit is SECRET//NOFORN |": the table's first row states
 * its marking, which its rows take (a scope of its own) up to the
 * line after its last row, `tlp_scope_exhibit_end`. */
void tlp_exhibit_banner(tl_parser *p, const tl_banner *b);
void tlp_scope_exhibit_end(tl_parser *p, unsigned long line);

/* Closes the page scopes at the end of the document. */
void tlp_scope_end(tl_parser *p);

#endif
