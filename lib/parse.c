/*
 * parse.c: the document parser.  Splits the input into lines, gives each
 * line its role (routing, banner, control, authority, portion content...),
 * groups content lines into portions, and reports everything as events in
 * input order while holding only a bounded look-ahead.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lines held back until the next line says what they are: the blank,
 * stray and repeated-banner lines of a gap between paragraphs, and a
 * possible heading.  Such lines are short; longer ones are never held. */
#define HOLD_LINES_MAX 64
#define HOLD_LINE_MAX 512
#define HEADING_MAX 100 /* longest line taken for a heading */

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

	bool utf8_reported;
	bool crlf_reported;
	bool any_bytes;

	mark_memo marks[MARK_MEMO];
	/* Inside one tl_parser_feed call: [plain_from, plain_end) of the
	 * caller's bytes is plain ASCII without NUL (feed_plain). */
	const char *plain_from, *plain_end;
};

/* ---------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------- */

static tl_status
emit(tl_parser *p, tl_event *ev)
{
	tl_status st;

	if (p->failed)
		return p->failed;
	ev->doc = &p->doc;
	if ((st = p->fn(p->ctx, ev)) != TL_OK)
		p->failed = st;
	return st;
}

static tl_status
emit_line(tl_parser *p, tl_line_role role, unsigned long number,
    unsigned long portion, const char *text, size_t len, const char *eol,
    size_t eol_len, bool first, bool last)
{
	tl_line line = { role, number, portion, text, len,
		eol ? eol : "", eol_len, first, last };
	tl_event ev = { .kind = TL_EV_LINE, .line = &line };

	return emit(p, &ev);
}

static tl_status diag(tl_parser *p, tl_severity sev, unsigned long line,
    unsigned long col, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static tl_status
diag(tl_parser *p, tl_severity sev, unsigned long line, unsigned long col,
    const char *rule, const char *fmt, ...)
{
	tl_event ev = { .kind = TL_EV_DIAG };
	tl_diag d;
	va_list ap;

	va_start(ap, fmt);
	tl_diag_vset(&d, sev == TL_SEV_ERROR ? TL_ESYNTAX : TL_OK, sev, p->name,
	    line, col, rule, fmt, ap);
	va_end(ap);
	if (sev == TL_SEV_ERROR)
		p->doc.errors++;
	else if (sev == TL_SEV_WARNING)
		p->doc.warnings++;
	ev.diag = &d;
	return emit(p, &ev);
}

/* The slot that is not the current portion's. */
static tl_portion *
next_slot(tl_parser *p)
{
	return &p->slot[p->cur == &p->slot[0]];
}

/* Begins the portion `tmpl` (built in next_slot, or copied there). */
static tl_status
begin_portion(tl_parser *p, const tl_portion *tmpl)
{
	tl_event ev = { .kind = TL_EV_PORTION_BEGIN };
	tl_portion *next = next_slot(p);

	if (tmpl != next)
		*next = *tmpl;
	p->cur = next;
	p->cur->index = ++p->doc.portions;
	p->cur->end_line = 0;
	if (p->cur->marked)
		p->doc.marked++;
	p->in_portion = true;
	p->last_content = p->cur->line;
	p->open_sentence = false;
	ev.portion = p->cur;
	return emit(p, &ev);
}

static tl_status
end_portion(tl_parser *p)
{
	tl_event ev = { .kind = TL_EV_PORTION_END };

	if (!p->in_portion)
		return TL_OK;
	p->in_portion = false;
	p->cur->end_line = p->last_content;
	ev.portion = p->cur;
	return emit(p, &ev);
}

/* ---------------------------------------------------------------------
 * Small text helpers
 * ------------------------------------------------------------------- */

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && tl_isspace((unsigned char)s[i]))
		i++;
	return i;
}

static size_t
rtrim(const char *s, size_t n)
{
	while (n > 0 && tl_isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static bool
is_blank(const char *s, size_t n)
{
	return skip_ws(s, n, 0) == n;
}

static unsigned long
col_at(const char *s, size_t off)
{
	return 1 + tl_utf8_width(s, off);
}

/* Case-insensitive search of lit in s[0..n); offset or n. */
static size_t
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

static bool
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

/* True when the line ends a sentence: last visible character, after
 * closing quotes and brackets, is . ! or ?  Lines ending with a colon,
 * a comma or a word continue on the next line. */
static bool
ends_sentence(const char *s, size_t n)
{
	n = rtrim(s, n);
	while (n > 0 && (s[n - 1] == '"' || s[n - 1] == '\'' ||
	    s[n - 1] == ')' || s[n - 1] == ']'))
		n--;
	/* Typographic closing quotes (U+201D, U+2019) end a sentence too. */
	while (n >= 3 && (unsigned char)s[n - 3] == 0xe2 &&
	    (unsigned char)s[n - 2] == 0x80 &&
	    ((unsigned char)s[n - 1] == 0x9d || (unsigned char)s[n - 1] == 0x99))
		n -= 3;
	return n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?');
}

static bool
starts_lower(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && tl_islower((unsigned char)s[i]);
}

/* Reads 1-3 digits at s[*i]; returns the value or -1. */
static int
read_num(const char *s, size_t n, size_t *i, size_t maxdigits)
{
	size_t k = 0;
	int v = 0;

	while (*i < n && k < maxdigits && tl_isdigit((unsigned char)s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

/* Writes YYYY-MM-DD; the caller has checked the ranges (valid_date). */
static void
iso_date(char iso[11], int y, int m, int d)
{
	iso[0] = (char)('0' + y / 1000 % 10);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
}

static bool
valid_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };

	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return true;
}

/* Parses m/d/yyyy, m/d/yy, yyyy/mm/dd or yyyy-mm-dd (the whole of
 * s[0..n) but trailing punctuation) into ISO form.  False if none. */
static bool
parse_date(const char *s, size_t n, char iso[11])
{
	size_t i = 0;
	int a, b, c, y, m, d;
	char sep;

	n = rtrim(s, n);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ','))
		n--;
	if ((a = read_num(s, n, &i, 4)) < 0 || i >= n)
		return false;
	size_t alen = i;
	sep = s[i++];
	if (sep != '/' && sep != '-')
		return false;
	if ((b = read_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != sep)
		return false;
	size_t cstart = i;
	if ((c = read_num(s, n, &i, 4)) < 0 || i != n)
		return false;
	if (alen == 4) {
		y = a, m = b, d = c;
		if (i - cstart > 2)
			return false;
	} else {
		if (alen > 2)
			return false;
		m = a, d = b;
		if (i - cstart == 2)
			y = c < 70 ? 2000 + c : 1900 + c;
		else if (i - cstart == 4)
			y = c;
		else
			return false;
	}
	if (!valid_date(y, m, d))
		return false;
	iso_date(iso, y, m, d);
	return true;
}

/* ---------------------------------------------------------------------
 * Routing header
 * ------------------------------------------------------------------- */

static const char *const months[12] = { "JAN", "FEB", "MAR", "APR", "MAY",
	"JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };

static bool
is_prec(int c)
{
	return c == 'Z' || c == 'O' || c == 'P' || c == 'R';
}

/* Date-time group "R 211601Z NOV 07": precedence, DDHHMMZ, MON, YY. */
static bool
parse_dtg(const char *s, size_t n, char iso[11])
{
	size_t i = 0;
	int day, year, mon = -1, k;

	n = rtrim(s, n);
	while (i < n && i < 2 && is_prec((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= n || s[i++] != ' ')
		return false;
	if (i + 7 > n)
		return false;
	for (k = 0; k < 6; k++)
		if (!tl_isdigit((unsigned char)s[i + (size_t)k]))
			return false;
	if (s[i + 6] != 'Z')
		return false;
	day = (s[i] - '0') * 10 + (s[i + 1] - '0');
	i += 7;
	if (i + 4 > n || s[i] != ' ')
		return false;
	i++;
	for (k = 0; k < 12; k++)
		if (i + 3 <= n && memcmp(s + i, months[k], 3) == 0)
			mon = k + 1;
	if (mon < 0)
		return false;
	i += 3;
	if (i >= n || s[i++] != ' ')
		return false;
	if ((year = read_num(s, n, &i, 4)) < 0 || i != n)
		return false;
	if (year < 100)
		year += year < 70 ? 2000 : 1900;
	if (!valid_date(year, mon, day))
		return false;
	iso_date(iso, year, mon, day);
	return true;
}

/* "ZNY SSSSS ZZH" (classified) or "ZNR UUUUU ZZH" (unclassified). */
static bool
parse_zny(tl_parser *p, const char *s, size_t n, unsigned long number)
{
	size_t i;
	char c;

	n = rtrim(s, n);
	if (n < 9 || memcmp(s, "ZN", 2) != 0 || (s[2] != 'Y' && s[2] != 'R') ||
	    s[3] != ' ')
		return false;
	c = s[4];
	for (i = 4; i < 9; i++)
		if (s[i] != c || !tl_isupper((unsigned char)c))
			return false;
	p->doc.routing.line = number;
	p->doc.routing.col = 5;
	tl_strlcpy(p->doc.routing.letters, s + 4, 5, sizeof p->doc.routing.letters);
	switch (c) {
	case 'U': p->doc.routing.level = TL_LEVEL_UNCLASSIFIED; break;
	case 'C': p->doc.routing.level = TL_LEVEL_CONFIDENTIAL; break;
	case 'S': p->doc.routing.level = TL_LEVEL_SECRET; break;
	case 'T': p->doc.routing.level = TL_LEVEL_TOP_SECRET; break;
	default: p->doc.routing.level = TL_LEVEL_UNKNOWN; break;
	}
	return true;
}

/* A line of the transmission header or of a distribution list. */
static bool
is_routing(tl_parser *p, const char *s, size_t n)
{
	size_t t = rtrim(s, n), i;
	char iso[11];

	if (tl_iprefix(s, t, "VZCZC") || (t == 2 && memcmp(s, "BT", 2) == 0) ||
	    (t == 4 && memcmp(s, "NNNN", 4) == 0))
		return true;
	if (t >= 5 && is_prec((unsigned char)s[0]) &&
	    is_prec((unsigned char)s[1]) && s[2] == ' ' && s[3] == 'R' &&
	    all_upper_words(s + 3, t - 3))
		return true; /* RR RUEHWEB */
	if (t > 4 && memcmp(s, "DE R", 4) == 0)
		return true;
	if (parse_dtg(s, t, iso)) {
		if (!p->doc.date[0])
			memcpy(p->doc.date, iso, sizeof iso);
		return true;
	}
	/* UK telegrams: "TELNO 214", "OF 171530Z OCT 16". */
	if (t > 6 && memcmp(s, "TELNO ", 6) == 0)
		return true;
	if (t > 10 && t < 40 && memcmp(s, "OF ", 3) == 0) {
		char dtg[48];
		int k = snprintf(dtg, sizeof dtg, "R %.*s", (int)(t - 3), s + 3);
		if (k > 0 && parse_dtg(dtg, (size_t)k, iso)) {
			if (!p->doc.date[0])
				memcpy(p->doc.date, iso, sizeof iso);
			return true;
		}
	}
	if (t > 3 && (memcmp(s, "FM ", 3) == 0 || memcmp(s, "TO ", 3) == 0)) {
		p->hctx = HCTX_ROUTING;
		return true;
	}
	if (t > 5 && memcmp(s, "INFO", 4) == 0 && (s[4] == ' ' || s[4] == '\t')) {
		i = skip_ws(s, t, 4);
		p->hctx = tl_iprefix(s + i, t - i, "LOG-") ? HCTX_DISTLIST :
		    HCTX_ROUTING;
		return true;
	}
	/* Continuation of an address list: "RUEHC/SECSTATE WASHDC 6389". */
	if (p->hctx == HCTX_ROUTING) {
		for (i = 0; i < t && tl_isupper((unsigned char)s[i]); i++)
			;
		if (i >= 4 && i < t && s[i] == '/' && s[0] == 'R')
			return true;
	}
	/* Distribution list continuation: tab-led "DOTE-00" tokens. */
	if (p->hctx == HCTX_DISTLIST && (s[0] == '\t' || ifind(s, t, "-00") < t))
		return true;
	return false;
}

/* ---------------------------------------------------------------------
 * Banners
 * ------------------------------------------------------------------- */

static const char *const banner_words[] = { "TOPSECRET", "SECRET",
	"CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS" };

/* Level word for a collapsed (unspaced, upper-cased) word; *damaged set
 * for a doubled or dropped first letter.  NULL when not a level word. */
static const char *
banner_word(const char *w, size_t n, bool *damaged)
{
	size_t k, m;

	*damaged = false;
	for (k = 0; k < sizeof banner_words / sizeof banner_words[0]; k++) {
		m = strlen(banner_words[k]);
		if (n == m && memcmp(w, banner_words[k], m) == 0)
			return banner_words[k];
	}
	for (k = 0; k < sizeof banner_words / sizeof banner_words[0]; k++) {
		m = strlen(banner_words[k]);
		/* Doubled first letter: SSECRET, UUNCLAS. */
		if (n == m + 1 && w[0] == banner_words[k][0] &&
		    memcmp(w + 1, banner_words[k], m) == 0)
			return *damaged = true, banner_words[k];
		/* Dropped first letter: ECRET, NCLAS. */
		if (n == m - 1 && m > 5 && memcmp(w, banner_words[k] + 1, m - 1) == 0)
			return *damaged = true, banner_words[k];
	}
	return NULL;
}

/* True when the rest of a banner line is what follows a classification:
 * nothing, controls, "SECTION 01 OF 03", a station and serial number. */
static bool
banner_tail_ok(const char *s, size_t n)
{
	size_t i;

	n = rtrim(s, n);
	if (n == 0)
		return true;
	if (n > 95)
		return false;
	/* Ends with a serial number (3+ digits) or "NN OF NN". */
	i = n;
	while (i > 0 && tl_isdigit((unsigned char)s[i - 1]))
		i--;
	if (n - i >= 2)
		return true;
	/* Control words or a caveat only: "NOFORN", "NOFORN SIPDIS",
	 * "UK EYES ONLY". */
	return ifind(s, n, "EYES ONLY") < n || ifind(s, n, "NOFORN") < n || ifind(s, n, "SIPDIS") < n ||
	    ifind(s, n, "NODIS") < n || ifind(s, n, "EXDIS") < n;
}

static void add_control(tl_marking *m, const char *name);

/* Whether a space after the `n` bytes at `s` (a CAPCO banner from its
 * first "/") is inside a REL TO list: after "REL", "TO", "AND" or a
 * comma.  The first other space ends the classification and starts the
 * tail ("SECRET//REL TO USA, GBR SECTION 01 OF 02 LONDON 000415"). */
static bool
rel_list_goes_on(const char *s, size_t n)
{
	size_t w = n;

	if (ifind(s, n, "REL") == n)
		return false;
	if (n > 0 && s[n - 1] == ',')
		return true;
	while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '/')
		w--;
	return tl_ieq(s + w, n - w, "REL") || tl_ieq(s + w, n - w, "TO") ||
	    tl_ieq(s + w, n - w, "AND");
}

/* Can a banner start with letter c?  Every form starts with a letter that
 * begins a level word, its doubled or dropped form or a plain form
 * (SECRET, ECRET, LIMITED..., RESTRICTED); spaced forms in either case. */
static bool
banner_initial(int c)
{
	c = tl_toupper(c);
	return c == 'S' || c == 'C' || c == 'U' || c == 'T' || c == 'E' ||
	    c == 'O' || c == 'N' || c == 'L' || c == 'R';
}

/* The cheap half of parse_banner: the first visible letter. */
static bool
may_be_banner(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && banner_initial((unsigned char)s[i]);
}

/*
 * Recognizes a banner line and fills *b.  Accepts spaced letters
 * ("S E C R E T LONDON 004327", damaged "SS E C R E T", "E C R E T",
 * re-typed "S e c r e t berlin 001068"), plain words ("UNCLAS SECTION 01
 * OF 06 TBILISI 002290", "UUNCLAS"), CAPCO strings ("SECRET//NOFORN",
 * "TOP SECRET//SI//NOFORN"), "SENSITIVE BUT UNCLASSIFIED" and "LIMITED
 * OFFICIAL USE".  Plain and CAPCO forms must be upper case, so that prose
 * ("Secret talks were held") is not taken for a banner.
 */
static bool
parse_banner(const char *s, size_t n, tl_banner *b)
{
	char word[32];
	size_t i = skip_ws(s, n, 0), start = i, w = 0, end = i, tail;
	const char *lvl;
	bool damaged = false, lower = false, spaced = false, zeroed = false;
	int c0;

	/* `b` is zeroed on the first write only: callers read it only when
	 * a banner was found.  Most lines stop at their first letter. */
	n = rtrim(s, n);
	if (i >= n)
		return false;
	c0 = (unsigned char)s[i];
	if (!banner_initial(c0))
		return false;
	/* Spaced letters: single letters separated by one space; the first
	 * group may hold two (a doubled first letter).  A longer word ends the
	 * classification and starts the tail ("S E C R E T LONDON 004327"). */
	for (size_t k = i, first = 1; k < n; first = 0) {
		size_t run = k;
		while (run < n && tl_isalpha((unsigned char)s[run]))
			run++;
		if (run == k || run - k > (first ? 2u : 1u) ||
		    w + (run - k) >= sizeof word)
			break;
		for (; k < run; k++) {
			if (tl_islower((unsigned char)s[k]))
				lower = true;
			word[w++] = (char)tl_toupper((unsigned char)s[k]);
		}
		end = k;
		if (k < n && s[k] == ' ')
			k++;
		else
			break;
	}
	if (w >= 5) {
		word[w] = '\0';
		if ((lvl = banner_word(word, w, &damaged)) != NULL) {
			spaced = true;
			goto found;
		}
	}
	/* Plain or CAPCO form, upper case only. */
	lower = false;
	spaced = false;
	static const struct {
		const char *text;
		size_t len;
		tl_level level;
		const char *control;
	} plain[] = {
		{ "SENSITIVE BUT UNCLASSIFIED", 26, TL_LEVEL_UNCLASSIFIED, "SBU" },
		{ "LIMITED OFFICIAL USE", 20, TL_LEVEL_UNCLASSIFIED, "SBU" },
		{ "TOP SECRET", 10, TL_LEVEL_TOP_SECRET, NULL },
		{ "OFFICIAL-SENSITIVE", 18, TL_LEVEL_OFFICIAL_SENSITIVE, NULL },
		{ "UNCLASSIFIED", 12, TL_LEVEL_UNCLASSIFIED, NULL },
		{ "CONFIDENTIAL", 12, TL_LEVEL_CONFIDENTIAL, NULL },
		{ "RESTRICTED", 10, TL_LEVEL_RESTRICTED, NULL },
		{ "OFFICIAL", 8, TL_LEVEL_OFFICIAL, NULL },
		{ "UUNCLAS", 7, TL_LEVEL_UNCLASSIFIED, NULL },
		{ "UNCLAS", 6, TL_LEVEL_UNCLASSIFIED, NULL },
		{ "SSECRET", 7, TL_LEVEL_SECRET, NULL },
		{ "SECRET", 6, TL_LEVEL_SECRET, NULL },
		{ "NCLAS", 5, TL_LEVEL_UNCLASSIFIED, NULL },
	};
	for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
		size_t m = plain[k].len;
		if (n - start < m || s[start] != plain[k].text[0] ||
		    memcmp(s + start, plain[k].text, m) != 0)
			continue;
		end = start + m;
		if (end < n && s[end] != ' ' && s[end] != '/' && s[end] != '\t')
			continue;
		if (end < n && s[end] == '/') {
			/* CAPCO: the classification runs to the first space
			 * that is not inside a REL TO list. */
			size_t e = end;
			while (e < n && !(s[e] == ' ' && !rel_list_goes_on(s + end, e - end)))
				e++;
			if (!banner_tail_ok(s + e, n - e))
				continue;
			if (!zeroed) {
				memset(b, 0, sizeof *b);
				zeroed = true;
			}
			tl_marking_parse(s + start, e - start, &b->marking, NULL, 0);
			if (b->marking.level == TL_LEVEL_UNKNOWN)
				continue;
			b->marking.malformed = false;
			end = e;
		} else {
			/* The last write of the loop: it goes to found_plain. */
			if (!zeroed)
				memset(b, 0, sizeof *b);
			b->marking.level = plain[k].level;
			tl_strlcpy(b->marking.level_token, plain[k].text, m,
			    sizeof b->marking.level_token);
			if (plain[k].control)
				add_control(&b->marking, plain[k].control);
		}
		damaged = plain[k].text[0] == plain[k].text[1] ||
		    strcmp(plain[k].text, "NCLAS") == 0;
		goto found_plain;
	}
	return false;

found:
	memset(b, 0, sizeof *b);
	b->marking.level = tl_level_lookup(lvl, strlen(lvl));
	if (strcmp(lvl, "TOPSECRET") == 0)
		b->marking.level = TL_LEVEL_TOP_SECRET;
	tl_strlcpy(b->marking.level_token, word, w, sizeof b->marking.level_token);
found_plain:
	tail = skip_ws(s, n, end);
	if (!banner_tail_ok(s + tail, n - tail))
		return false;
	/* Lower-case tails only with a re-typed (lower-case) banner. */
	if (!lower && !all_upper_words(s + tail, n - tail) && tail < n &&
	    !tl_isdigit((unsigned char)s[tail]))
		return false;
	b->damaged = damaged || lower;
	b->spaced = spaced;
	tl_strlcpy(b->text, s + start, n - start, sizeof b->text);
	tl_strlcpy(b->tail, s + tail, n - tail, sizeof b->tail);
	b->col = col_at(s, start);
	/* Control words in the tail belong to the banner. */
	if (ifind(s + tail, n - tail, "NOFORN") < n - tail)
		add_control(&b->marking, "NOFORN");
	if (ifind(s + tail, n - tail, "NODIS") < n - tail)
		add_control(&b->marking, "NODIS");
	if (ifind(s + tail, n - tail, "EXDIS") < n - tail)
		add_control(&b->marking, "EXDIS");
	if (ifind(s + tail, n - tail, "UK EYES ONLY") < n - tail)
		add_control(&b->marking, "UK EYES ONLY");
	return true;
}

/* ---------------------------------------------------------------------
 * Control lines
 * ------------------------------------------------------------------- */

static void
add_control(tl_marking *m, const char *name)
{
	if (tl_marking_has(m, name) || m->ncontrols >= TL_MARK_CONTROLS_MAX)
		return;
	tl_strlcpy(m->controls[m->ncontrols++], name, strlen(name),
	    TL_TOKEN_MAX);
}

/* Words that make up control lines, with the control each adds to the
 * banner (NULL: a marker with no control of its own); `real` is false for
 * the words of "NOT FOR INTERNET DISTRIBUTION", which alone do not make a
 * control line. */
static const struct {
	const char *word;
	size_t len;
	const char *control;
	bool real;
} control_words[] = {
	{ "NOFORN", 6, "NOFORN", true }, { "SIPDIS", 6, NULL, true },
	{ "NODIS", 5, "NODIS", true }, { "EXDIS", 5, "EXDIS", true },
	{ "LIMDIS", 6, "LIMDIS", true }, { "STADIS", 6, NULL, true },
	{ "SENSITIVE", 9, "SBU", true }, { "ORCON", 5, "ORCON", true },
	{ "PROPIN", 6, "PROPIN", true },
	{ "NOCONTRACT", 10, "NOCONTRACT", true }, { "NOT", 3, NULL, false },
	{ "FOR", 3, NULL, false }, { "INTERNET", 8, NULL, false },
	{ "DISTRIBUTION", 12, NULL, false }, { "CHEROKEE", 8, NULL, true },
};

/* A line of control words ("NOFORN", "NOFORN SIPDIS", "SIPDIS SIPDIS",
 * "NOFORN, NOT FOR INTERNET DISTRIBUTION") or an office routing line
 * ("DEPT FOR EUR/WE", "DEPARTMENT FOR ...", "PASS TO ...").  With apply,
 * adds the controls to `m` and notes SIPDIS in the docinfo. */
static bool
control_line(tl_parser *p, const char *s, size_t n, tl_marking *m, bool apply)
{
	size_t i = skip_ws(s, n, 0), j, k;
	bool any = false, real = false;

	n = rtrim(s, n);
	/* Every form below starts with an upper-case letter: the control
	 * words are matched exactly, the office prefixes need an all
	 * upper-case line.  Most lines are prose and stop here. */
	if (i >= n || !tl_isupper((unsigned char)s[i]))
		return false;
	/* Both forms need the second letter upper case too ("Dept for" is
	 * prose): "Smith said" stops here. */
	if (i + 1 < n && tl_islower((unsigned char)s[i + 1]))
		return false;
	if ((s[i] == 'D' || s[i] == 'S' || s[i] == 'P') &&
	    (tl_iprefix(s + i, n - i, "DEPT FOR ") ||
	    tl_iprefix(s + i, n - i, "DEPARTMENT FOR ") ||
	    tl_iprefix(s + i, n - i, "STATE FOR ") ||
	    tl_iprefix(s + i, n - i, "PASS TO ") ||
	    tl_iprefix(s + i, n - i, "STATE PASS ")))
		return all_upper_words(s + i, n - i);
	while (i < n) {
		/* Control words are upper-case letters only. */
		for (j = i; j < n && s[j] != ' ' && s[j] != ',' && s[j] != '\t'; j++)
			if (!tl_isupper((unsigned char)s[j]))
				return false;
		for (k = 0; k < sizeof control_words / sizeof control_words[0]; k++)
			if (j - i == control_words[k].len &&
			    memcmp(s + i, control_words[k].word, j - i) == 0)
				break;
		if (k == sizeof control_words / sizeof control_words[0])
			return false;
		if (control_words[k].real)
			real = true;
		if (apply && control_words[k].control)
			add_control(m, control_words[k].control);
		if (apply && strcmp(control_words[k].word, "SIPDIS") == 0)
			p->doc.sipdis = true;
		any = true;
		while (j < n && (s[j] == ' ' || s[j] == ',' || s[j] == '\t'))
			j++;
		i = j;
	}
	return any && real;
}

/* ---------------------------------------------------------------------
 * Authority block
 * ------------------------------------------------------------------- */

/* Reads reasons after "1.4"/"1.5" at s[0..n): single letters, however
 * written: "(b,d)", "(b) and (d)", "(b),(d)", "b/d", "(B/D)". */
static void
parse_reasons(tl_authority *a, const char *s, size_t n)
{
	size_t i = 0, j;
	size_t at = n;
	char section[4];

	for (i = 0; i + 3 <= n; i++)
		if (s[i] == '1' && s[i + 1] == '.' &&
		    (s[i + 2] == '4' || s[i + 2] == '5') &&
		    (i == 0 || !tl_isdigit((unsigned char)s[i - 1]))) {
			at = i;
			break;
		}
	if (at == n)
		return;
	memcpy(section, s + at, 3);
	section[3] = '\0';
	for (i = at + 3; i < n;) {
		if (!tl_isalpha((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && tl_isalpha((unsigned char)s[j]); j++)
			;
		if (j - i == 1) {
			if (a->nreasons < sizeof a->reasons / sizeof a->reasons[0])
				snprintf(a->reasons[a->nreasons++],
				    sizeof a->reasons[0], "%s(%c)", section,
				    (char)(s[i] | 0x20));
		} else if (!tl_ieq(s + i, j - i, "and") &&
		    !tl_ieq(s + i, j - i, "or")) {
			break;
		}
		i = j;
	}
}

/* Fills the authority from "Classified By: NAME, reasons 1.4 (b,d)"
 * starting at s[0] ("Classified By" itself). */
static void
parse_classified_by(tl_authority *a, const char *s, size_t n)
{
	size_t i = strlen("classified by"), end, r;

	n = rtrim(s, n);
	if (tl_iprefix(s, n, "derived from"))
		i = strlen("derived from");
	while (i < n && (s[i] == ':' || s[i] == ' ' || s[i] == '\t'))
		i++;
	r = ifind(s + i, n - i, "reason");
	end = i + r;
	/* Drop ", " / " for " / "; " before "reasons". */
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == ',' ||
	    s[end - 1] == ';' || s[end - 1] == ':'))
		end--;
	if (end - i >= 4 && tl_ieq(s + end - 4, 4, " for"))
		end -= 4;
	tl_strlcpy(a->classified_by, s + i, end - i, sizeof a->classified_by);
	if (r < n - i)
		parse_reasons(a, s + i + r, n - i - r);
}

/* E.O. line: "E.O. 12958: DECL: 11/18/2027", "EO 12958 DECL: 2020/02/23",
 * "decl: 6/30/08", "E.O. 12958: N/A", "E.O. 13526". */
static bool
is_eo(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	if (tl_iprefix(s + i, n - i, "DECL"))
		return i + 4 < n && (s[i + 4] == ':' || s[i + 4] == ' ');
	if (tl_iprefix(s + i, n - i, "E.O.") || tl_iprefix(s + i, n - i, "E. O.") ||
	    tl_iprefix(s + i, n - i, "E.0."))
		return true;
	return tl_iprefix(s + i, n - i, "EO ") && i + 3 < n &&
	    tl_isdigit((unsigned char)s[skip_ws(s, n, i + 3)]);
}

static void
parse_eo(tl_parser *p, const char *s, size_t n, unsigned long number)
{
	tl_declassify *d = &p->doc.declassify;
	size_t i = skip_ws(s, n, 0), j, k;

	n = rtrim(s, n);
	if (d->line == 0) {
		d->line = number;
		d->col = col_at(s, i);
	}
	/* Order number: the first run of 5 digits. */
	for (j = i; j < n && !tl_isdigit((unsigned char)s[j]); j++)
		if (tl_iprefix(s + j, n - j, "DECL"))
			break;
	for (k = j; k < n && tl_isdigit((unsigned char)s[k]); k++)
		;
	if (k - j == 5 && !d->order[0])
		tl_strlcpy(d->order, s + j, k - j, sizeof d->order);
	j = ifind(s, n, "DECL");
	if (j < n) {
		j += 4;
		while (j < n && (s[j] == ':' || s[j] == ' '))
			j++;
	} else {
		/* "E.O. 12958: N/A": what follows the order's colon. */
		j = ifind(s, n, ":");
		j = j < n ? skip_ws(s, n, j + 1) : n;
	}
	if (j < n) {
		tl_strlcpy(d->text, s + j, n - j, sizeof d->text);
		if (!parse_date(s + j, n - j, d->date))
			d->date[0] = '\0';
		d->col = col_at(s, j);
	}
}

/* "CONFIDENTIAL - ENTIRE TEXT" */
static tl_level
entire_text(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0), e = ifind(s, n, "ENTIRE TEXT");
	size_t k;

	if (e == n)
		return TL_LEVEL_UNKNOWN;
	k = e;
	while (k > i && (s[k - 1] == ' ' || s[k - 1] == '-'))
		k--;
	return tl_level_lookup(s + i, k - i);
}

/* ---------------------------------------------------------------------
 * Portion leads and marks
 * ------------------------------------------------------------------- */

typedef struct lead {
	size_t start;    /* first visible character */
	size_t mark_at;  /* where a mark may begin (after the number) */
	tl_portion_kind kind;
	bool numbered;   /* a paragraph number or bullet was found */
	char number[16];
} lead;

static bool
is_mark_char(int c)
{
	return tl_isalpha(c) || c == ' ' || c == '/' || c == '-' || c == ',';
}

/* Paragraph number forms: "1.", "1.(C)", "¶4.", "[1](#)2.", "- [1](#).",
 * "A.", "(a)", "(1)", "--", "-", "*".  Fills *l; false when the line has
 * no lead (it may still start with a mark). */
static bool
parse_lead(const char *s, size_t n, lead *l)
{
	size_t i = skip_ws(s, n, 0), j, k;

	memset(l, 0, sizeof *l);
	l->start = i;
	l->kind = TL_PORTION_PARAGRAPH;
	if (i >= n)
		return false;
	/* Web copies: "- [1](#). " and "[1](#)1. " */
	j = i;
	if (s[j] == '-' && j + 2 < n && s[j + 1] == ' ' && s[j + 2] == '[')
		j += 2;
	if (s[j] == '[') {
		k = j + 1;
		while (k < n && tl_isdigit((unsigned char)s[k]))
			k++;
		if (k > j + 1 && k - j - 1 < 4 && n - k >= 4 &&
		    memcmp(s + k, "](#)", 4) == 0) {
			tl_strlcpy(l->number, s + j + 1, k - j - 1, sizeof l->number);
			j = k + 4;
			k = j;
			while (k < n && tl_isdigit((unsigned char)s[k]))
				k++;
			if (k > j) /* "[1](#)2." -> the number is 2 */
				tl_strlcpy(l->number, s + j, k - j, sizeof l->number);
			if (k < n && s[k] == '.') {
				l->numbered = true;
				l->mark_at = k + 1;
				return true;
			}
			return false;
		}
	}
	j = i;
	/* Pilcrow U+00B6 */
	if (j + 1 < n && (unsigned char)s[j] == 0xc2 && (unsigned char)s[j + 1] == 0xb6) {
		j = skip_ws(s, n, j + 2);
	}
	k = j;
	while (k < n && k - j < 3 && tl_isdigit((unsigned char)s[k]))
		k++;
	if (k > j && k < n && s[k] == '.' &&
	    (k + 1 == n || s[k + 1] == ' ' || s[k + 1] == '(' || s[k + 1] == '\t')) {
		tl_strlcpy(l->number, s + j, k - j, sizeof l->number);
		l->numbered = true;
		l->mark_at = k + 1;
		return true;
	}
	/* "A. " sub-paragraph */
	if (tl_isupper((unsigned char)s[i]) && i + 2 < n && s[i + 1] == '.' &&
	    s[i + 2] == ' ') {
		l->number[0] = s[i];
		l->numbered = true;
		l->kind = TL_PORTION_ITEM;
		l->mark_at = i + 2;
		return true;
	}
	/* "(a) " / "(1) " sub-paragraph; "(c)" alone is read as a mark. */
	if (s[i] == '(' && i + 3 < n && s[i + 2] == ')' && s[i + 3] == ' ' &&
	    (tl_islower((unsigned char)s[i + 1]) || tl_isdigit((unsigned char)s[i + 1]))) {
		int c = s[i + 1];
		size_t after = skip_ws(s, n, i + 3);
		if ((c != 'u' && c != 'c' && c != 's') ||
		    (after < n && s[after] == '(')) {
			l->number[0] = (char)c;
			l->numbered = true;
			l->kind = TL_PORTION_ITEM;
			l->mark_at = i + 3;
			return true;
		}
	}
	/* Bullets */
	if (n - i >= 3 && s[i] == '-' && s[i + 1] == '-' && s[i + 2] == ' ') {
		memcpy(l->number, "--", 2);
		l->numbered = true;
		l->kind = TL_PORTION_ITEM;
		l->mark_at = i + 3;
		return true;
	}
	if (n - i >= 2 && (s[i] == '-' || s[i] == '*') && s[i + 1] == ' ') {
		l->number[0] = s[i];
		l->numbered = true;
		l->kind = TL_PORTION_ITEM;
		l->mark_at = i + 2;
		return true;
	}
	l->mark_at = i;
	return false;
}

typedef enum mark_result {
	MARK_NONE = 0, /* no mark here */
	MARK_OK,       /* a mark, parsed clean */
	MARK_UNKNOWN,  /* a mark with tokens the grammar does not know */
	MARK_BAD       /* something that is meant as a mark but is malformed */
} mark_result;

/* Is the text of a parenthesized candidate meant as a portion mark?
 * Known level first; otherwise only short upper-case or slashed forms
 * ("SNF", "N/SF", "/Rel UK") count, so "(Comment)" stays text. */
static bool
mark_like(const char *s, size_t n, const tl_marking *m)
{
	size_t i, letters = 0;

	if (m->level != TL_LEVEL_UNKNOWN)
		return true;
	for (i = 0; i < n; i++)
		if (s[i] == '/')
			return true;
	for (i = 0; i < n; i++) {
		if (tl_islower((unsigned char)s[i]))
			return false;
		if (tl_isupper((unsigned char)s[i]))
			letters++;
	}
	return letters > 0 && letters <= 8;
}

/* *dst = *src for a zeroed dst: the entries in use only.  A marking is
 * mostly room for lists (about 950 bytes) that a mark such as "(C)"
 * leaves empty. */
static void
marking_copy(tl_marking *dst, const tl_marking *src)
{
	unsigned nc = src->ncontrols < TL_MARK_CONTROLS_MAX ? src->ncontrols :
	    TL_MARK_CONTROLS_MAX;
	unsigned nr = src->nrel < TL_MARK_REL_MAX ? src->nrel : TL_MARK_REL_MAX;
	unsigned nu = src->nunknown < TL_MARK_UNKNOWN_MAX ? src->nunknown :
	    TL_MARK_UNKNOWN_MAX;

	dst->level = src->level;
	memcpy(dst->level_token, src->level_token, sizeof dst->level_token);
	dst->ncontrols = src->ncontrols;
	memcpy(dst->controls, src->controls, nc * sizeof dst->controls[0]);
	dst->rel_to = src->rel_to;
	dst->rel_to_form = src->rel_to_form;
	dst->nrel = src->nrel;
	memcpy(dst->rel, src->rel, nr * sizeof dst->rel[0]);
	dst->nunknown = src->nunknown;
	memcpy(dst->unknown, src->unknown, nu * sizeof dst->unknown[0]);
	dst->malformed = src->malformed;
}

/* tl_marking_parse through the parser's memo, into a zeroed *out.
 * Documents repeat a few marks ("(S//NF)", "(C)", "(U)") thousands of
 * times and the grammar is a pure function of the text, so a remembered
 * result is exactly what the call would return.  `why` gets the same
 * (truncated) reason. */
static tl_status
marking_parse_memo(tl_parser *p, const char *s, size_t n, tl_marking *out,
    char *why, size_t whylen)
{
	mark_memo *e;
	unsigned h = 0;
	size_t i;

	if (n == 0 || n > sizeof p->marks[0].text)
		return tl_marking_parse(s, n, out, why, whylen);
	for (i = 0; i < n; i++)
		h = h * 31 + (unsigned char)s[i];
	e = &p->marks[h % MARK_MEMO];
	if (e->len != n || memcmp(e->text, s, n) != 0) {
		e->len = 0;
		e->st = tl_marking_parse(s, n, &e->m, e->why, sizeof e->why);
		memcpy(e->text, s, n);
		e->len = n;
	}
	marking_copy(out, &e->m);
	if (why != NULL && whylen > 0)
		tl_strlcpy(why, e->why, strlen(e->why), whylen);
	return e->st;
}

/* False when parse_mark at s[at..n) without a paragraph number surely
 * finds nothing (and leaves its portion untouched): no '(' there. */
static bool
may_open_mark(const char *s, size_t n, size_t at)
{
	size_t i = skip_ws(s, n, at);

	return i < n && s[i] == '(';
}

/*
 * Looks for a portion mark at s[at..n): "(C/NF)", "( C )", "(s/nf)",
 * malformed "C)" (after a paragraph number only) and "(S/NF" with no
 * closing parenthesis.  Fills the mark fields of the portion, which the
 * caller has zeroed, and *end (just past the mark).  `why` gets the
 * reason for MARK_BAD/MARK_UNKNOWN.
 */
static mark_result
parse_mark(tl_parser *p, const char *s, size_t n, size_t at, bool numbered,
    tl_portion *po, size_t *end, char *why, size_t whylen)
{
	size_t i = skip_ws(s, n, at), j, k;
	tl_status st;

	why[0] = '\0';
	if (i >= n)
		return MARK_NONE;
	if (s[i] == '(') {
		for (j = i + 1; j < n && j - i - 1 <= TL_MARK_MAX && is_mark_char((unsigned char)s[j]); j++)
			;
		if (j < n && s[j] == ')' && j > i + 1) {
			st = marking_parse_memo(p, s + i + 1, j - i - 1, &po->marking,
			    why, whylen);
			if (!mark_like(s + i + 1, j - i - 1, &po->marking))
				return MARK_NONE;
			po->marked = true;
			po->mark_col = col_at(s, i);
			tl_strlcpy(po->mark_text, s + i + 1, j - i - 1, sizeof po->mark_text);
			*end = j + 1;
			if (st == TL_OK)
				return MARK_OK;
			return po->marking.malformed ? MARK_BAD : MARK_UNKNOWN;
		}
		/* No closing parenthesis: "(S/NF Smith said".  A mark only if
		 * the first word alone reads as one with a known level. */
		for (k = i + 1; k < n && s[k] != ' ' && s[k] != ')' && k - i < 40; k++)
			;
		if (k > i + 1 && (k == n || s[k] == ' ')) {
			tl_marking m;
			size_t c;
			for (c = i + 1; c < k && is_mark_char((unsigned char)s[c]); c++)
				;
			if (c == k && tl_marking_parse(s + i + 1, k - i - 1, &m, NULL, 0) == TL_OK &&
			    m.level != TL_LEVEL_UNKNOWN && (k - i - 1 <= 4 || memchr(s + i + 1, '/', k - i - 1))) {
				po->marking = m;
				po->marking.malformed = true;
				po->marked = true;
				po->mark_col = col_at(s, i);
				tl_strlcpy(po->mark_text, s + i + 1, k - i - 1, sizeof po->mark_text);
				snprintf(why, whylen, "mark \"(%.*s\" has no closing parenthesis",
				    (int)(k - i - 1), s + i + 1);
				*end = k;
				return MARK_BAD;
			}
		}
		return MARK_NONE;
	}
	/* "1. C) text": a level followed by ')' with no '('. */
	if (numbered) {
		for (j = i; j < n && j - i < 16 && (tl_isalpha((unsigned char)s[j]) || s[j] == '/'); j++)
			;
		if (j > i && j < n && s[j] == ')') {
			tl_marking m;
			tl_marking_parse(s + i, j - i, &m, NULL, 0);
			if (m.level != TL_LEVEL_UNKNOWN) {
				po->marking = m;
				po->marking.malformed = true;
				po->marked = true;
				po->mark_col = col_at(s, i);
				tl_strlcpy(po->mark_text, s + i, j - i, sizeof po->mark_text);
				snprintf(why, whylen, "mark \"%.*s)\" has no opening parenthesis",
				    (int)(j - i), s + i);
				*end = j + 1;
				return MARK_BAD;
			}
		}
	}
	return MARK_NONE;
}

/* Page-break line of a multi-part cable: "BAGHDAD 00000011  003 OF 003". */
static bool
is_page_break(const char *s, size_t n)
{
	size_t i, d;

	n = rtrim(s, n);
	if (n < 12 || !tl_isupper((unsigned char)s[0]))
		return false;
	/* Ends "NNN OF NNN" */
	i = n;
	while (i > 0 && tl_isdigit((unsigned char)s[i - 1]))
		i--;
	if (n - i < 1 || i < 5 || memcmp(s + i - 4, " OF ", 4) != 0)
		return false;
	i -= 4;
	d = i;
	while (i > 0 && tl_isdigit((unsigned char)s[i - 1]))
		i--;
	if (d - i < 1 || i == 0 || s[i - 1] != ' ')
		return false;
	/* Then spaces and a serial number, after the station name. */
	while (i > 0 && s[i - 1] == ' ')
		i--;
	d = i;
	while (i > 0 && tl_isdigit((unsigned char)s[i - 1]))
		i--;
	if (d - i < 4 || i == 0 || s[i - 1] != ' ')
		return false;
	return all_upper_words(s, i);
}

/* ---------------------------------------------------------------------
 * The look-ahead: gap lines and a pending heading
 * ------------------------------------------------------------------- */

static tl_status
hold_line(tl_parser *p, held *h, tl_line_role role, unsigned long number,
    const char *s, size_t n, size_t eol_len)
{
	tl_status st;

	h->role = role;
	h->number = number;
	h->off = p->hold.len;
	h->len = n;
	h->eol_len = eol_len;
	if ((st = tl_buf_append(&p->hold, s, n)) != TL_OK)
		return st;
	return tl_buf_append(&p->hold, eol_len == 2 ? "\r\n" : "\n", eol_len);
}

static tl_status
emit_held(tl_parser *p, const held *h, unsigned long portion)
{
	const char *base = p->hold.data + h->off;

	/* The ending as a string of its own, as tl_line promises: the held
	 * bytes after it are the next held line, not a NUL. */
	return emit_line(p, h->role, h->number, portion, base, h->len,
	    h->eol_len == 2 ? "\r\n" : h->eol_len ? "\n" : "", h->eol_len,
	    true, true);
}

/* Releases the gap: its lines belong to the open portion when `inside`,
 * else the portion ends first and they stand between portions. */
static tl_status
flush_gap(tl_parser *p, bool inside)
{
	tl_status st = TL_OK;
	unsigned i;

	if (!inside && (st = end_portion(p)) != TL_OK)
		return st;
	for (i = 0; i < p->ngap && st == TL_OK; i++)
		st = emit_held(p, &p->gap[i], inside ? p->cur->index : 0);
	p->ngap = 0;
	if (!p->heading_pending)
		tl_buf_reset(&p->hold);
	return st;
}

/* Emits the pending heading candidate as its own portion (`heading`) or
 * as the first line of a text portion that goes on (`!heading`). */
static tl_status
flush_heading(tl_parser *p, bool heading)
{
	tl_status st;
	held h = p->heading;

	p->heading_pending = false;
	p->heading_portion.kind = heading ? TL_PORTION_HEADING :
	    p->heading_portion.kind;
	if ((st = begin_portion(p, &p->heading_portion)) != TL_OK)
		return st;
	st = emit_held(p, &h, p->cur->index);
	p->last_content = h.number;
	p->open_sentence = !ends_sentence(p->hold.data + h.off, h.len);
	if (p->ngap == 0)
		tl_buf_reset(&p->hold);
	if (st == TL_OK && heading)
		st = end_portion(p);
	return st;
}

/* ---------------------------------------------------------------------
 * Line handling
 * ------------------------------------------------------------------- */

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

/* Content line of the open portion. */
static tl_status
content(tl_parser *p, const linebuf *L)
{
	p->last_content = L->number;
	p->open_sentence = !ends_sentence(L->s, L->n);
	if (L->nul)
		p->cur->errors++;
	return emit_line(p, TL_LINE_BODY, L->number, p->cur->index, L->s, L->n,
	    L->eol, L->eol_len, true, L->complete);
}

static tl_status
report_mark(tl_parser *p, mark_result r, const tl_portion *po, unsigned long number,
    const char *why)
{
	if (r == MARK_BAD)
		return diag(p, TL_SEV_ERROR, number, po->mark_col, "mark-malformed",
		    "malformed portion mark \"%s\": %s; the portion is withheld",
		    po->mark_text, why[0] ? why : "cannot be read");
	if (r == MARK_UNKNOWN)
		return diag(p, TL_SEV_WARNING, number, po->mark_col,
		    "mark-unknown-token", "portion mark \"%s\": %s", po->mark_text,
		    why[0] ? why : "unknown token");
	return TL_OK;
}

/* Starts a portion at a line with a lead or a mark, or a new unmarked
 * text paragraph.  Handles the heading look-ahead. */
static tl_status
start_portion(tl_parser *p, const linebuf *L, const lead *ld, const tl_portion *tmpl,
    mark_result mr, const char *why)
{
	tl_status st;

	if ((st = flush_gap(p, false)) != TL_OK)
		return st;
	/* A short unnumbered, unmarked line may be a heading: wait for the
	 * next line to tell. */
	if (!tmpl->marked && !ld->numbered && L->complete && !L->nul &&
	    L->n <= HEADING_MAX && !ends_sentence(L->s, L->n) &&
	    !starts_lower(L->s, L->n)) {
		p->heading_portion = *tmpl;
		p->heading_pending = true;
		return hold_line(p, &p->heading, TL_LINE_BODY, L->number, L->s,
		    L->n, L->eol_len);
	}
	if ((st = begin_portion(p, tmpl)) != TL_OK)
		return st;
	if (mr == MARK_BAD)
		p->cur->errors++;
	if ((st = report_mark(p, mr, p->cur, L->number, why)) != TL_OK)
		return st;
	return content(p, L);
}

static void
portion_template(tl_portion *po, const linebuf *L, const lead *ld,
    size_t mark_end, tl_portion_kind kind)
{
	size_t lead_end;

	po->line = L->number;
	po->col = col_at(L->s, ld->start);
	po->kind = kind;
	tl_strlcpy(po->number, ld->number, strlen(ld->number), sizeof po->number);
	/* The lead is what precedes the mark or, unmarked, the text: the
	 * number and the white space after it ("5. "). */
	lead_end = skip_ws(L->s, L->n, ld->mark_at);
	if (po->marked && po->mark_col) {
		/* up to the mark's first byte */
		size_t k = ld->mark_at;
		while (k < L->n && k < mark_end && L->s[k] != '(' &&
		    !tl_isalpha((unsigned char)L->s[k]))
			k++;
		lead_end = k;
	}
	if (!ld->numbered && !po->marked)
		lead_end = 0;
	tl_strlcpy(po->lead, L->s, lead_end, sizeof po->lead);
}

static tl_status
body_line(tl_parser *p, const linebuf *L)
{
	tl_portion *po;
	lead ld;
	mark_result mr;
	size_t mark_end = 0;
	char why[160];
	tl_banner b;
	bool numbered;

	/* A pending heading is decided by this line. */
	if (p->heading_pending) {
		bool gap = is_blank(L->s, L->n);
		tl_status st;
		if (gap || !L->complete) {
			if ((st = flush_heading(p, gap)) != TL_OK)
				return st;
		} else {
			lead l2;
			tl_portion t2;
			bool starts = parse_lead(L->s, L->n, &l2);
			memset(&t2, 0, sizeof t2);
			size_t e2;
			char w2[8];
			starts = starts || parse_mark(p, L->s, L->n, l2.mark_at, false, &t2, &e2, w2, sizeof w2) != MARK_NONE;
			if ((st = flush_heading(p, starts || control_line(p, L->s, L->n, NULL, false))) != TL_OK)
				return st;
		}
	}
	/* The common case first: prose inside a portion.  A line whose first
	 * visible character is a lower-case letter, or an upper-case letter
	 * followed by a lower-case one ("The", "According"), is not blank,
	 * not a control line (upper-case words), page break or banner (upper
	 * case throughout), has no lead ("A. " needs the dot) and no mark.
	 * It continues the portion when it starts lower case, follows it
	 * directly or the portion's last line left a sentence open (rules 3
	 * and 4); otherwise the general path below starts a text portion. */
	if (p->in_portion) {
		size_t i = skip_ws(L->s, L->n, 0);
		int c = i < L->n ? (unsigned char)L->s[i] : 0;
		bool lower = tl_islower(c);
		if ((lower || (tl_isupper(c) && i + 1 < L->n &&
		    tl_islower((unsigned char)L->s[i + 1]))) &&
		    (lower || p->ngap == 0 || p->open_sentence)) {
			tl_status st = flush_gap(p, true);
			return st != TL_OK ? st : content(p, L);
		}
	}
	if (is_blank(L->s, L->n) && L->complete) {
		if (!p->in_portion)
			return emit_line(p, TL_LINE_BLANK, L->number, 0, L->s, L->n,
			    L->eol, L->eol_len, true, true);
		if (p->ngap == HOLD_LINES_MAX || L->n > HOLD_LINE_MAX) {
			tl_status st = flush_gap(p, false);
			if (st != TL_OK)
				return st;
			return emit_line(p, TL_LINE_BLANK, L->number, 0, L->s,
			    L->n, L->eol, L->eol_len, true, true);
		}
		return hold_line(p, &p->gap[p->ngap++], TL_LINE_BLANK, L->number,
		    L->s, L->n, L->eol_len);
	}
	/* Stray SIPDIS (or other control words) and page-break lines, and
	 * repeated section banners: not content; inside a portion they wait
	 * in the gap. */
	if (L->complete && L->n <= HOLD_LINE_MAX) {
		tl_line_role role = TL_LINE_BODY;
		if (control_line(p, L->s, L->n, NULL, false)) {
			role = TL_LINE_STRAY;
			if (ifind(L->s, L->n, "SIPDIS") < L->n)
				p->doc.sipdis = true;
		} else if (is_page_break(L->s, L->n)) {
			role = TL_LINE_STRAY;
		} else if (!L->nul && may_be_banner(L->s, L->n) &&
		    all_upper_words(L->s, L->n) && parse_banner(L->s, L->n, &b)) {
			/* A section banner, damaged ones ("E C R E T SECTION
			 * 02 OF 02") included: the redaction writer must be
			 * able to recompute it like any other banner.  Only
			 * the opening banner's damage is warned about. */
			role = TL_LINE_BANNER;
			b.line = L->number;
			p->doc.closing = b;
		}
		if (role != TL_LINE_BODY) {
			if (!p->in_portion)
				return emit_line(p, role, L->number, 0, L->s, L->n,
				    L->eol, L->eol_len, true, true);
			if (p->ngap == HOLD_LINES_MAX) {
				tl_status st = flush_gap(p, false);
				if (st != TL_OK)
					return st;
				return emit_line(p, role, L->number, 0, L->s,
				    L->n, L->eol, L->eol_len, true, true);
			}
			return hold_line(p, &p->gap[p->ngap++], role, L->number,
			    L->s, L->n, L->eol_len);
		}
	}

	/* A lead or a mark starts a new portion. */
	/* The portion template, built in the next slot, is zeroed only for a
	 * line that may start a portion: a continuation line, the common
	 * case, never uses it.
	 * parse_mark finds nothing unless the line has a lead or a '(' where
	 * a mark may start. */
	numbered = parse_lead(L->s, L->n, &ld);
	why[0] = '\0';
	mr = MARK_NONE;
	po = next_slot(p);
	if (numbered || may_open_mark(L->s, L->n, ld.mark_at)) {
		memset(po, 0, sizeof *po);
		mr = parse_mark(p, L->s, L->n, ld.mark_at, numbered, po, &mark_end,
		    why, sizeof why);
	}
	if (numbered || mr != MARK_NONE) {
		portion_template(po, L, &ld, mark_end, ld.kind);
		if (!numbered)
			po->col = po->mark_col;
		return start_portion(p, L, &ld, po, mr, why);
	}

	/* Plain text: a continuation of the open portion, or a new one. */
	if (p->in_portion) {
		bool cont = p->ngap == 0 || p->open_sentence ||
		    starts_lower(L->s, L->n);
		if (cont) {
			tl_status st = flush_gap(p, true);
			if (st != TL_OK)
				return st;
			return content(p, L);
		}
	}
	memset(po, 0, sizeof *po);
	portion_template(po, L, &ld, 0, TL_PORTION_TEXT);
	return start_portion(p, L, &ld, po, MARK_NONE, why);
}

/* Lines of the header (before the body).  Returns true in *done when the
 * line was a header line and has been emitted. */
static tl_status
header_line(tl_parser *p, const linebuf *L, bool *done)
{
	const char *s = L->s;
	size_t n = L->n, at;
	tl_banner b;
	tl_level lv;
	tl_line_role role;
	tl_status st;

	*done = true;
	if (is_blank(s, n)) {
		if (p->hctx != HCTX_DISTLIST && p->hctx != HCTX_ROUTING)
			p->hctx = HCTX_NONE;
		if (p->in_portion && (st = end_portion(p)) != TL_OK)
			return st;
		return emit_line(p, TL_LINE_BLANK, L->number, 0, s, n, L->eol,
		    L->eol_len, true, true);
	}
	if (!L->complete || L->nul)
		goto not_header;

	if (p->zone == ZONE_TOP && parse_zny(p, s, n, L->number)) {
		role = TL_LINE_ROUTING_CLASS;
		goto emit;
	}
	/* Routing lines come before the banner in cables and after it in
	 * UK telegrams; either way before any other header line. */
	if ((p->zone == ZONE_TOP || p->hctx == HCTX_ROUTING ||
	    p->doc.subject_line == 0) && p->doc.tags_line == 0 &&
	    p->doc.declassify.line == 0 && is_routing(p, s, n)) {
		role = TL_LINE_ROUTING;
		goto emit;
	}
	if (p->doc.banner.line == 0 && parse_banner(s, n, &b)) {
		b.line = L->number;
		p->doc.banner = b;
		p->zone = ZONE_HEADER;
		p->hctx = HCTX_NONE;
		if (b.damaged && (st = diag(p, TL_SEV_WARNING, L->number, b.col,
		    "banner-damaged", "damaged banner \"%s\" read as %s",
		    b.text, tl_level_name(b.marking.level))) != TL_OK)
			return st;
		role = TL_LINE_BANNER;
		goto emit;
	}
	if ((lv = entire_text(s, n)) != TL_LEVEL_UNKNOWN) {
		p->doc.entire_text = true;
		if (p->doc.banner.line == 0) {
			p->doc.banner.marking.level = lv;
			p->doc.banner.line = L->number;
			p->doc.banner.col = col_at(s, skip_ws(s, n, 0));
			tl_strlcpy(p->doc.banner.text, s, rtrim(s, n), sizeof p->doc.banner.text);
		}
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (p->zone != ZONE_TOP || p->doc.banner.line) {
		/* A second banner line in the header (e.g. after routing). */
		if (parse_banner(s, n, &b)) {
			role = TL_LINE_BANNER;
			goto header;
		}
	}
	if (control_line(p, s, n, &p->doc.banner.marking, true)) {
		role = TL_LINE_CONTROL;
		goto header;
	}
	if (is_eo(s, n)) {
		parse_eo(p, s, n, L->number);
		role = TL_LINE_DECL;
		p->hctx = HCTX_NONE;
		goto header;
	}
	at = skip_ws(s, n, 0);
	if (tl_iprefix(s + at, n - at, "TAGS") && at + 4 < n &&
	    (s[at + 4] == ':' || s[at + 4] == ' ')) {
		p->doc.tags_line = L->number;
		p->hctx = HCTX_NONE;
		role = TL_LINE_TAGS;
		goto header;
	}
	if (tl_iprefix(s + at, n - at, "CLASSIFIED BY") ||
	    tl_iprefix(s + at, n - at, "DERIVED FROM")) {
		if (p->doc.authority.line == 0) {
			p->doc.authority.line = L->number;
			p->doc.authority.col = col_at(s, at);
			parse_classified_by(&p->doc.authority, s + at, n - at);
		}
		p->hctx = HCTX_AUTHORITY;
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (tl_iprefix(s + at, n - at, "REASON")) {
		if (p->doc.authority.nreasons == 0)
			parse_reasons(&p->doc.authority, s + at, n - at);
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (p->hctx == HCTX_AUTHORITY && p->doc.authority.nreasons == 0 &&
	    (ifind(s, n, "1.4") < n || ifind(s, n, "1.5") < n)) {
		parse_reasons(&p->doc.authority, s, n);
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (tl_iprefix(s + at, n - at, "REF") &&
	    (tl_iprefix(s + at, n - at, "REF:") || tl_iprefix(s + at, n - at, "REFS:") ||
	    tl_iprefix(s + at, n - at, "REF ") || tl_iprefix(s + at, n - at, "REFTEL") ||
	    tl_iprefix(s + at, n - at, "REFERENCE:"))) {
		p->hctx = HCTX_REF;
		role = TL_LINE_REF;
		goto header;
	}
	if (tl_iprefix(s + at, n - at, "SUBJECT:") || tl_iprefix(s + at, n - at, "SUBJ:")) {
		tl_portion po;
		lead ld;
		mark_result mr;
		size_t e = 0;
		char why[160];
		const char *c = memchr(s + at, ':', n - at);
		size_t colon = c ? (size_t)(c - s) + 1 : n;

		if (p->in_portion && (st = end_portion(p)) != TL_OK)
			return st;
		memset(&po, 0, sizeof po);
		memset(&ld, 0, sizeof ld);
		ld.mark_at = colon;
		mr = parse_mark(p, s, n, colon, false, &po, &e, why, sizeof why);
		po.kind = TL_PORTION_SUBJECT;
		po.line = L->number;
		po.col = col_at(s, at);
		tl_strlcpy(po.lead, s + at, skip_ws(s, n, colon) - at, sizeof po.lead);
		p->doc.subject_line = L->number;
		if ((st = begin_portion(p, &po)) != TL_OK)
			return st;
		if (mr == MARK_BAD)
			p->cur->errors++;
		if ((st = report_mark(p, mr, p->cur, L->number, why)) != TL_OK)
			return st;
		p->hctx = HCTX_SUBJECT;
		st = content(p, L);
		goto run_in;
	}
	/* Continuations of a multi-line header item. */
	if (p->hctx == HCTX_SUBJECT && p->in_portion) {
		st = content(p, L);
		goto run_in;
	}
	if (p->hctx == HCTX_REF) {
		role = TL_LINE_REF;
		goto header;
	}
	if (p->zone == ZONE_TOP && p->hctx == HCTX_DISTLIST && s[0] == '\t') {
		role = TL_LINE_ROUTING;
		goto emit;
	}
not_header:
	*done = false;
	return TL_OK;

header:
	if (p->in_portion && (st = end_portion(p)) != TL_OK)
		return st;
	if (p->zone == ZONE_TOP)
		p->zone = ZONE_HEADER;
	st = emit_line(p, role, L->number, 0, s, n, L->eol, L->eol_len, true, true);
run_in:
	/* "REF: ASUNCION 396Classified By: ..." lost its newline. */
	if (st == TL_OK && p->doc.authority.line == 0 &&
	    (at = ifind(s + 1, n - 1, "classified by")) < n - 1) {
		at += 1;
		p->doc.authority.line = L->number;
		p->doc.authority.col = col_at(s, at);
		p->doc.authority.run_in = true;
		parse_classified_by(&p->doc.authority, s + at, n - at);
		p->hctx = HCTX_AUTHORITY;
		st = diag(p, TL_SEV_WARNING, L->number, p->doc.authority.col,
		    "authority-run-in",
		    "\"Classified By\" run into the previous text (lost line break)");
	}
	return st;
emit:
	return emit_line(p, role, L->number, 0, s, n, L->eol, L->eol_len, true, true);
}

/* Bytes at the start of s[0..n) that are ASCII and not NUL; eight at a
 * time. */
static size_t
plain_run(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
	size_t i = 0;
	uint64_t w, a, b, c, d;

	/* 32 bytes at a time, then the word and the byte that stop it.  In
	 * (x - ones) | x a byte has its high bit set when it is >= 0x80 or 0
	 * (or lies above a 0 byte, whose borrow it takes): never for plain
	 * bytes alone. */
	for (; i + 32 <= n; i += 32) {
		memcpy(&a, s + i, 8);
		memcpy(&b, s + i + 8, 8);
		memcpy(&c, s + i + 16, 8);
		memcpy(&d, s + i + 24, 8);
		if ((((a - ones) | a) | ((b - ones) | b) | ((c - ones) | c) |
		    ((d - ones) | d)) & highs)
			break;
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & highs) || ((w - ones) & ~w & highs))
			break;
	}
	for (; i < n; i++)
		if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
			break;
	return i;
}

static bool
plain_ascii(const char *s, size_t n)
{
	return plain_run(s, n) == n;
}

/* Whether line s[0..n), inside the bytes given to tl_parser_feed (which
 * end at `end`), is plain ASCII without NUL.  The check runs ahead to the
 * first byte that is not, once; lines before that byte are known plain. */
static int
feed_plain(tl_parser *p, const char *s, size_t n, const char *end)
{
	if (p->plain_from != NULL && s >= p->plain_from && s <= p->plain_end) {
		if (s + n <= p->plain_end)
			return 1;
		if (p->plain_end < end) /* the byte at plain_end is in the line */
			return 0;
	}
	p->plain_from = s;
	p->plain_end = s + plain_run(s, (size_t)(end - s));
	return s + n <= p->plain_end;
}

/* Checks bytes, then routes the line to the header or the body. */
static tl_status
process_line(tl_parser *p, linebuf *L)
{
	const char *z;
	size_t bad;
	tl_status st;
	bool done = false, plain;

	/* The usual line is plain ASCII: no NUL, nothing to check. */
	plain = L->plain >= 0 ? L->plain == 1 : plain_ascii(L->s, L->n);
	if (!plain && (z = memchr(L->s, '\0', L->n)) != NULL) {
		L->nul = true;
		L->nul_col = col_at(L->s, (size_t)(z - L->s));
	}
	if (!plain && !p->utf8_reported &&
	    (bad = tl_utf8_check(L->s, L->n)) < L->n) {
		p->utf8_reported = true;
		if ((st = diag(p, TL_SEV_WARNING, L->number, col_at(L->s, bad),
		    "input-utf8", "invalid UTF-8 (first of possibly more); bytes are kept as they are")) != TL_OK)
			return st;
	}
	if (L->eol_len == 2 && !p->crlf_reported) {
		p->crlf_reported = true;
		p->doc.crlf = true;
		if ((st = diag(p, TL_SEV_NOTE, L->number, 0, "input-crlf",
		    "CRLF line endings; copies keep them")) != TL_OK)
			return st;
	}
	if (L->nul && (st = diag(p, TL_SEV_ERROR, L->number, L->nul_col, "input-nul",
	    "NUL byte in text; the portion holding it is withheld")) != TL_OK)
		return st;

	if (p->zone != ZONE_BODY) {
		if ((st = header_line(p, L, &done)) != TL_OK || done)
			return st;
		/* The first line that is not header starts the body. */
		p->zone = ZONE_BODY;
		p->hctx = HCTX_NONE;
		if (p->in_portion && (st = end_portion(p)) != TL_OK)
			return st;
	}
	return body_line(p, L);
}

/* ---------------------------------------------------------------------
 * Line assembly and the public API
 * ------------------------------------------------------------------- */

tl_parser *
tl_parser_new(const char *name, tl_event_fn fn, void *ctx)
{
	tl_parser *p;

	if (fn == NULL || (p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	if ((p->name = strdup(name ? name : "-")) == NULL) {
		free(p);
		return NULL;
	}
	p->fn = fn;
	p->ctx = ctx;
	p->cur = &p->slot[0];
	p->doc.name = p->name;
	p->line.limit = TL_FRAGMENT_MAX;
	p->hold.limit = (size_t)HOLD_LINES_MAX * (HOLD_LINE_MAX + 2) * 2;
	return p;
}

void
tl_parser_free(tl_parser *p)
{
	if (p == NULL)
		return;
	tl_buf_free(&p->line);
	tl_buf_free(&p->hold);
	free(p->name);
	free(p);
}

const tl_docinfo *
tl_parser_docinfo(const tl_parser *p)
{
	return &p->doc;
}

/* One complete line (without its '\n'); `cont` when it ends a long line
 * whose earlier fragments were delivered already. */
static tl_status
finish_line(tl_parser *p, const char *s, size_t n, bool has_nl, int plain)
{
	linebuf L;
	const char *eol = has_nl ? "\n" : "";
	size_t eol_len = has_nl ? 1 : 0;

	if (has_nl && n > 0 && s[n - 1] == '\r') {
		n--;
		eol = "\r\n";
		eol_len = 2;
	}
	if (p->in_long) {
		p->in_long = false;
		return emit_line(p, p->long_role, p->long_number, p->long_portion,
		    s, n, eol, eol_len, false, true);
	}
	memset(&L, 0, sizeof L);
	L.s = s;
	L.n = n;
	L.eol = eol;
	L.eol_len = eol_len;
	L.number = ++p->doc.lines;
	L.complete = true;
	L.plain = plain;
	return process_line(p, &L);
}

/* The first TL_FRAGMENT_MAX bytes of a line with no end in sight. */
static tl_status
start_long(tl_parser *p, const char *s, size_t n)
{
	linebuf L;
	tl_status st;

	memset(&L, 0, sizeof L);
	L.s = s;
	L.n = n;
	L.number = ++p->doc.lines;
	L.complete = false;
	L.plain = -1;
	/* Long lines are content; a pending look-ahead is settled first. */
	if ((st = process_line(p, &L)) != TL_OK)
		return st;
	p->in_long = true;
	p->long_number = L.number;
	p->long_portion = p->in_portion ? p->cur->index : 0;
	p->long_role = TL_LINE_BODY; /* a long line is always content */
	return TL_OK;
}

static tl_status
long_fragment(tl_parser *p, const char *s, size_t n)
{
	return emit_line(p, p->long_role, p->long_number, p->long_portion, s, n,
	    "", 0, false, false);
}

tl_status
tl_parser_feed(tl_parser *p, const char *bytes, size_t len)
{
	const char *nl, *end = bytes + len;
	size_t take;
	tl_status st;

	if (p->failed)
		return p->failed;
	if (len)
		p->any_bytes = true;
	/* What feed_plain knows is about these bytes only. */
	p->plain_from = p->plain_end = NULL;
	while (len > 0) {
		/* A full line buffer becomes a fragment only once the next
		 * byte shows that the line goes on: a line of exactly
		 * TL_FRAGMENT_MAX bytes is one line wherever the input was
		 * cut into pieces. */
		if (p->line.len == TL_FRAGMENT_MAX && bytes[0] != '\n') {
			st = p->in_long ? long_fragment(p, p->line.data, p->line.len) :
			    start_long(p, p->line.data, p->line.len);
			tl_buf_reset(&p->line);
			if (st != TL_OK)
				return p->failed = st;
		}
		nl = memchr(bytes, '\n', len);
		if (nl && p->line.len == 0 && (size_t)(nl - bytes) <= TL_FRAGMENT_MAX) {
			/* Fast path: the whole line is in the caller's bytes. */
			if ((st = finish_line(p, bytes, (size_t)(nl - bytes), true,
			    feed_plain(p, bytes, (size_t)(nl - bytes), end))) != TL_OK)
				return p->failed = st;
			len -= (size_t)(nl - bytes) + 1;
			bytes = nl + 1;
			continue;
		}
		take = nl ? (size_t)(nl - bytes) : len;
		if (take > TL_FRAGMENT_MAX - p->line.len)
			take = TL_FRAGMENT_MAX - p->line.len;
		if (take && (st = tl_buf_append(&p->line, bytes, take)) != TL_OK)
			return p->failed = st;
		bytes += take;
		len -= take;
		if (nl && bytes == nl) {
			st = finish_line(p, p->line.data ? p->line.data : "",
			    p->line.len, true, -1);
			tl_buf_reset(&p->line);
			bytes++;
			len--;
			if (st != TL_OK)
				return p->failed = st;
		}
	}
	return TL_OK;
}

tl_status
tl_parser_finish(tl_parser *p)
{
	tl_event ev = { .kind = TL_EV_END };
	tl_status st = TL_OK;

	if (p->failed)
		return p->failed;
	if (p->line.len > 0 || p->in_long) {
		st = finish_line(p, p->line.data ? p->line.data : "", p->line.len,
		    false, -1);
		tl_buf_reset(&p->line);
	}
	if (st == TL_OK && p->heading_pending)
		st = flush_heading(p, true);
	if (st == TL_OK)
		st = flush_gap(p, false);
	if (st == TL_OK)
		st = end_portion(p);
	if (st == TL_OK && !p->any_bytes)
		st = diag(p, TL_SEV_WARNING, 0, 0, "input-empty", "empty document");
	if (st == TL_OK)
		st = emit(p, &ev);
	if (st != TL_OK)
		p->failed = st;
	return st;
}

tl_status
tl_parse_file(const char *path, tl_event_fn fn, void *ctx, tl_diag *d)
{
	return tl_parse_file_hooked(path, fn, ctx, NULL, NULL, d);
}

tl_status
tl_parse_file_hooked(const char *path, tl_event_fn fn, void *ctx,
    tl_status (*bytes_fn)(void *, const char *, size_t), void *bytes_ctx,
    tl_diag *d)
{
	char buf[64 * 1024];
	tl_parser *p;
	tl_status st = TL_OK, hs;
	ssize_t r;
	int fd;

	if (d)
		memset(d, 0, sizeof *d);
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) < 0)
		return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "%s", strerror(errno));
	if ((p = tl_parser_new(strcmp(path, "-") == 0 ? "<stdin>" : path, fn, ctx)) == NULL) {
		if (fd != STDIN_FILENO)
			close(fd);
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	}
	for (;;) {
		r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
			    "%s", strerror(errno));
			break;
		}
		if (r == 0) {
			st = tl_parser_finish(p);
			break;
		}
		if (bytes_fn && (st = bytes_fn(bytes_ctx, buf, (size_t)r)) != TL_OK)
			break;
		if ((st = tl_parser_feed(p, buf, (size_t)r)) != TL_OK)
			break;
	}
	/* A document the parser gives up on is still read to its end for
	 * `bytes_fn`, which sees every byte of the input (the log's tag). */
	while (bytes_fn && (st == TL_ELIMIT || st == TL_ESYNTAX)) {
		r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				st = tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0,
				    NULL, "%s", strerror(errno));
			break;
		}
		if ((hs = bytes_fn(bytes_ctx, buf, (size_t)r)) != TL_OK) {
			st = hs;
			break;
		}
	}
	if (st != TL_OK && d && d->message[0] == '\0')
		tl_diag_set(d, st, TL_SEV_ERROR, path, p->doc.lines, 0, NULL, "%s",
		    tl_strerror(st));
	if (fd != STDIN_FILENO)
		close(fd);
	tl_parser_free(p);
	return st;
}

const char *
tl_line_role_name(tl_line_role role)
{
	static const char *const names[] = { "body", "blank", "routing",
		"routing-class", "banner", "control", "decl", "tags", "ref",
		"authority", "stray" };

	return (unsigned)role < sizeof names / sizeof names[0] ? names[role] : "body";
}

const char *
tl_portion_kind_name(tl_portion_kind kind)
{
	static const char *const names[] = { "paragraph", "subject", "heading",
		"item", "text" };

	return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] :
	    "paragraph";
}
