/*
 * parse_header.c: the header zone, up to the first body line: the routing
 * header, banners, control lines, TAGS, REF and SUBJECT lines; hands the
 * authority block to parse_authority.c.
 */
#include "parse.h"

#include <stdio.h>
#include <string.h>

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
	/* "O R 141437Z NOV 07": the action's and the info addressees'
	 * precedence, written apart. */
	if (i == 1 && n > 4 && s[1] == ' ' && is_prec((unsigned char)s[2]) &&
	    s[3] == ' ')
		i = 3;
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
	if ((year = tlp_read_num(s, n, &i, 4)) < 0)
		return false;
	/* Transmission indicators may follow: "O 071830Z SEP 07 ZDK",
	 * "ZFF-4". */
	while (i < n) {
		size_t w;
		if (s[i++] != ' ' || i >= n || s[i] != 'Z')
			return false;
		for (w = i; i < n && (tl_isupper((unsigned char)s[i]) ||
		    tl_isdigit((unsigned char)s[i]) || s[i] == '-'); i++)
			;
		if (i - w > 6)
			return false;
	}
	if (year < 100)
		year += year < 70 ? 2000 : 1900;
	if (!tlp_valid_date(year, mon, day))
		return false;
	tlp_iso_date(iso, year, mon, day);
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
	{
		tl_marking m;

		memset(&m, 0, sizeof m);
		m.level = p->doc.routing.level;
		tl_strlcpy(m.level_token, tl_level_name(m.level),
		    strlen(tl_level_name(m.level)), sizeof m.level_token);
		tlp_evidence_add(p, &m, number);
	}
	return true;
}

static const char *const weekdays[7] = { "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday" };
static const char *const month_names[12] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* The date line a publisher puts before the banner: "Friday, 23 February
 * 2001, 15:53".  Notes the date when the routing header gave none. */
static bool
date_line(tl_parser *p, const char *s, size_t n)
{
	size_t i = 0, k, m;
	int day, year, mon = -1;

	if (n > 48 || !tl_isupper((unsigned char)s[0]))
		return false;
	for (k = 0; k < 7; k++)
		if (tl_iprefix(s, n, weekdays[k]))
			break;
	if (k == 7)
		return false;
	i = strlen(weekdays[k]);
	if (i >= n || s[i++] != ',')
		return false;
	i = skip_ws(s, n, i);
	if ((day = tlp_read_num(s, n, &i, 2)) < 0)
		return false;
	i = skip_ws(s, n, i);
	for (k = 0; k < 12 && mon < 0; k++) {
		m = strlen(month_names[k]);
		if (n - i >= m && tl_iprefix(s + i, n - i, month_names[k])) {
			mon = (int)k + 1;
			i += m;
		}
	}
	if (mon < 0)
		return false;
	i = skip_ws(s, n, i);
	if ((year = tlp_read_num(s, n, &i, 4)) < 0 || !tlp_valid_date(year, mon, day))
		return false;
	/* The time: ", 15:53" */
	for (; i < n; i++)
		if (!tl_isdigit((unsigned char)s[i]) && s[i] != ':' &&
		    s[i] != ',' && s[i] != ' ')
			return false;
	if (!p->doc.date[0])
		tlp_iso_date(p->doc.date, year, mon, day);
	return true;
}

/* A wrapped line of an address list before the banner: "RUEHROV RUEHSR
 * RUEHVK", "EUROPEAN POLITICAL COLLECTIVE", "CIA WASHINGTON DC//NHTC//",
 * "AMEMBASSY NEW DELHI PRIORITY".  Upper case, a few words, no sentence,
 * no colon, and nothing the header reads otherwise (a banner, a control
 * line, TAGS, an E.O. line). */
static bool
address_line(tl_parser *p, const char *s, size_t t)
{
	size_t i, words = 0;
	tl_banner b;

	if (t == 0 || t > 80 || s[t - 1] == '.')
		return false;
	i = skip_ws(s, t, 0);
	if (!tl_isupper((unsigned char)s[i]) && s[i] != '/')
		return false;
	for (; i < t; i++) {
		if (tl_islower((unsigned char)s[i]) || s[i] == ':' ||
		    s[i] == '(' || s[i] == '"')
			return false;
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			words++;
	}
	if (words > 8)
		return false;
	return !tlp_parse_banner(s, t, &b) && !tlp_control_line(p, s, t, NULL, false) &&
	    !tlp_is_eo(s, t) && !tl_iprefix(s + skip_ws(s, t, 0), t, "TAGS");
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
	    all_upper_words(s + 3, t - 3)) {
		p->hctx = HCTX_ROUTING; /* routing indicators may wrap */
		return true; /* RR RUEHWEB */
	}
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
	if (p->zone == ZONE_TOP && p->doc.banner.line == 0) {
		/* Before the banner: the publisher's note, the date line, a
		 * print header, the wrapped address list. */
		if (tl_iprefix(s, t, "This record is a partial extract of the original cable"))
			return true;
		if (date_line(p, s, t))
			return true;
		if (t >= 7 && memcmp(s, "PAGE ", 5) == 0 &&
		    tl_isdigit((unsigned char)s[5]) && tl_isdigit((unsigned char)s[6]) &&
		    all_upper_words(s, t))
			return true;
		if (p->hctx == HCTX_ROUTING && !p->routing_gap &&
		    address_line(p, s, t))
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Banners
 * ------------------------------------------------------------------- */

static const char *const banner_words[] = { "TOPSECRET", "SECRET",
	"CONFIDENTIAL", "UNCLASSIFIED", "UNCLAS" };

/* Level word for a collapsed (unspaced, upper-cased) word; *damaged set
 * for a doubled or dropped first letter, or a letter typed twice inside
 * it.  NULL when not a level word. */
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
		/* Doubled or stray first letter: SSECRET, UUNCLAS, CSECRET. */
		if (n == m + 1 && memcmp(w + 1, banner_words[k], m) == 0)
			return *damaged = true, banner_words[k];
		/* Dropped first letter: ECRET, NCLAS. */
		if (n == m - 1 && m > 5 && memcmp(w, banner_words[k] + 1, m - 1) == 0)
			return *damaged = true, banner_words[k];
		/* A letter typed twice inside the word: SECRRET, SECRETT. */
		if (n == m + 1 && m > 5) {
			size_t i;
			for (i = 1; i < n; i++)
				if (w[i] == w[i - 1] && memcmp(w, banner_words[k], i) == 0 &&
				    memcmp(w + i + 1, banner_words[k] + i, m - i) == 0)
					return *damaged = true, banner_words[k];
		}
	}
	return NULL;
}

static bool control_word(const char *s, size_t n);

/* True when the rest of a banner line is what follows a classification:
 * nothing, "SECTION 01 OF 03", a station and serial number, control
 * words ("NOFORN SIPDIS", "UK EYES ONLY"), or a serial and then control
 * words.  Anything else after the serial is other text run in. */
static bool
banner_tail_ok(const char *s, size_t n)
{
	size_t i, j, after = 0;

	n = rtrim(s, n);
	if (n == 0)
		return true;
	if (n > 95)
		return false;
	/* Past the last number of 2 digits or more (a serial, "OF 03"). */
	for (i = 0; i < n; i = j) {
		i = skip_ws(s, n, i);
		for (j = i; j < n && s[j] != ' ' && s[j] != '\t'; j++)
			;
		if (j - i >= 2) {
			size_t k = i;
			while (k < j && tl_isdigit((unsigned char)s[k]))
				k++;
			if (k == j)
				after = j;
		}
	}
	if (after == n)
		return true;
	/* Then control words only. */
	for (i = after; i < n; i = j) {
		i = skip_ws(s, n, i);
		for (j = i; j < n && s[j] != ' ' && s[j] != '\t' && s[j] != ','; j++)
			;
		if (j > i && !control_word(s + i, j - i) && !tl_ieq(s + i, j - i, "UK") &&
		    !tl_ieq(s + i, j - i, "EYES") && !tl_ieq(s + i, j - i, "ONLY"))
			return false;
		while (j < n && s[j] == ',')
			j++;
	}
	return true;
}


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

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tl_isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* True for a banner tail in upper case, but for the word "of" of a
 * section count ("SECTION 01 of 03 ROME 000123"). */
static bool
tail_upper(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		i = skip_ws(s, n, i);
		for (j = i; j < n && s[j] != ' ' && s[j] != '\t'; j++)
			;
		if (j > i && !tl_ieq(s + i, j - i, "of") && !all_upper_words(s + i, j - i) &&
		    !tl_isdigit((unsigned char)s[i]))
			return false;
		i = j;
	}
	return true;
}

/* Letters of upper-case words separated by single spaces, joined while
 * they may still spell a level word: "C ONFIDENTIAL", "CONFI DENTIAL",
 * "TOP S E C R E T".  The longest join that is a level word (or one of
 * its damaged forms) wins; *end is where it stops.  Two words at least:
 * one word is a plain form, read elsewhere. */
static const char *
joined_level(const char *s, size_t n, size_t i, char word[32], size_t *wlen,
    size_t *end, bool *damaged)
{
	size_t w = 0, j, words = 0;
	const char *best = NULL, *lvl;
	bool d;

	while (i < n && tl_isupper((unsigned char)s[i])) {
		for (j = i; j < n && tl_isupper((unsigned char)s[j]); j++)
			;
		if (j < n && s[j] != ' ' && s[j] != '\t')
			break;
		if (w + (j - i) >= 14)
			break;
		memcpy(word + w, s + i, j - i);
		w += j - i;
		words++;
		/* "TOP SECRET" is how the level is spelt, not a break. */
		if (words >= 2 && !(words == 2 && w == 9 &&
		    memcmp(word, "TOPSECRET", 9) == 0) &&
		    (lvl = banner_word(word, w, &d)) != NULL) {
			best = lvl;
			*wlen = w;
			*end = j;
			*damaged = true;
		}
		if (j >= n || s[j] != ' ')
			break;
		i = j + 1;
	}
	return best;
}

/* Fills the text, tail and place of banner *b (its marking is set): the
 * banner is s[start..end), its tail s[tail..end). */
static void
banner_fill(tl_banner *b, const char *s, size_t start, size_t tail,
    size_t end, bool damaged, bool spaced)
{
	b->damaged = damaged;
	b->spaced = spaced;
	b->at = start;
	b->col = col_at(s, start);
	tl_strlcpy(b->text, s + start, end - start, sizeof b->text);
	tl_strlcpy(b->tail, s + tail, end - tail, sizeof b->tail);
}

/* Marking forms of other schemes that the register reads with spaces:
 * "UK TOP SECRET STRAP1", "TOP SECRET STRAP1 COMINT", "SECRET STRAP 1",
 * "NATO SECRET", "COSMIC TOP SECRET".  The longest run of upper-case
 * words from `start` that parses clean, up to six; *end past it. */
static bool
register_form(const char *s, size_t n, size_t start, tl_marking *m,
    size_t *end)
{
	size_t i = start, j, words = 0, best = 0;
	tl_marking t;

	while (i < n && words < 6) {
		for (j = i; j < n && s[j] != ' ' && s[j] != '\t'; j++)
			if (tl_islower((unsigned char)s[j]))
				return best > 0;
		if (j == i)
			break;
		words++;
		if (tl_marking_parse(s + start, j - start, &t, NULL, 0) == TL_OK &&
		    t.level != TL_LEVEL_UNKNOWN && t.nunknown == 0 && !t.malformed) {
			*m = t;
			best = j;
		}
		i = skip_ws(s, n, j);
	}
	if (best == 0)
		return false;
	*end = best;
	return true;
}

/* The first word of the register's spaced forms (register_form). */
static bool
register_initial(const char *s, size_t n)
{
	static const char *const first[] = { "UK", "NATO", "COSMIC", "TOP",
		"SECRET", "CONFIDENTIAL", "RESTRICTED", "OFFICIAL",
		"UNCLASSIFIED" };
	size_t j, k;

	for (j = 0; j < n && s[j] != ' '; j++)
		;
	for (k = 0; k < sizeof first / sizeof first[0]; k++)
		if (tl_ieq(s, j, first[k]) && memcmp(s, first[k], j) == 0)
			return true;
	/* A word an extension made a marking of its own ("CUI"), on a
	 * short line: banners of other schemes are short.  Three letters at
	 * least: a portion's abbreviation alone on a line ("NS", "TS") is a
	 * scanned page's noise, not a banner. */
	if (n <= 40 && j >= 3 && all_upper_words(s, j)) {
		tl_marking m;
		return tl_marking_parse(s, j, &m, NULL, 0) == TL_OK &&
		    m.level != TL_LEVEL_UNKNOWN;
	}
	return false;
}

/*
 * Recognizes a banner at s[0..n) and fills *b.  Accepts spaced letters
 * ("S E C R E T LONDON 004327", damaged "SS E C R E T", "E C R E T",
 * "CSE C R E T", "C ONFIDENTIAL", re-typed "S e c r e t berlin 001068"),
 * plain words ("UNCLAS SECTION 01 OF 06 TBILISI 002290", "UUNCLAS"),
 * CAPCO strings ("SECRET//NOFORN", "TOP SECRET//SI//NOFORN"), the
 * register's spaced forms ("UK TOP SECRET STRAP1", "NATO SECRET"),
 * "SENSITIVE BUT UNCLASSIFIED" and "LIMITED OFFICIAL USE", after the
 * markup of a converted document ("# SECRET//NOFORN", "**SECRET**").
 * Plain and CAPCO forms must be upper case, so that prose ("Secret talks
 * were held") is not taken for a banner.  With `titled`, a CAPCO banner
 * may be followed by any text (a title on the banner's line); b->tail is
 * then empty and *rest is where that text starts.
 */
static bool
banner_scan(const char *s, size_t n, tl_banner *b, bool titled, size_t *rest)
{
	char word[32];
	size_t i, start, w = 0, end, tail;
	const char *lvl;
	bool damaged = false, lower = false, spaced = false, zeroed = false;
	int c0;

	/* `b` is zeroed on the first write only: callers read it only when
	 * a banner was found.  Most lines stop at their first letter. */
	n = rtrim(s, n);
	while (n > 0 && (s[n - 1] == '*' || s[n - 1] == '|' || s[n - 1] == '_'))
		n = rtrim(s, n - 1);
	i = skip_ws(s, n, 0);
	if (i < n && !tl_isalpha((unsigned char)s[i]))
		i = markup_prefix(s, n);
	start = end = i;
	if (i >= n)
		return false;
	c0 = (unsigned char)s[i];
	if (!banner_initial(c0))
		return false;
	/* Spaced letters: single letters separated by one space; the first
	 * group may hold up to three (a doubled or stray first letter, "TOP
	 * S E C R E T").  A longer word ends the classification and starts
	 * the tail ("S E C R E T LONDON 004327"). */
	for (size_t k = i, first = 1; k < n; first = 0) {
		size_t run = k;
		while (run < n && tl_isalpha((unsigned char)s[run]))
			run++;
		if (run == k || run - k > (first ? 3u : 1u) ||
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
	/* Words broken apart: "C ONFIDENTIAL SECTION 01 OF 02". */
	w = 0;
	if ((lvl = joined_level(s, n, start, word, &w, &end, &damaged)) != NULL) {
		spaced = true;
		goto found;
	}
	/* Plain or CAPCO form, upper case only. */
	lower = false;
	spaced = false;
	damaged = false;
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
			if (!zeroed) {
				memset(b, 0, sizeof *b);
				zeroed = true;
			}
			/* Controls of several words ("FOR OFFICIAL USE ONLY",
			 * "COMINT/TALENT KEYHOLE//REL TO USA, AUS, and GBR"):
			 * while the marking does not parse clean, the next words
			 * may complete it; the longest clean reading wins. */
			if (tl_marking_parse(s + start, e - start, &b->marking, NULL,
			    0) != TL_OK) {
				size_t x = e, words;
				tl_marking t;
				for (words = 0; x < n && words < 10; words++) {
					x = skip_ws(s, n, x);
					while (x < n && s[x] != ' ')
						x++;
					if (tl_marking_parse(s + start, x - start, &t, NULL,
					    0) == TL_OK) {
						b->marking = t;
						e = x;
					}
				}
			}
			if (!titled && !banner_tail_ok(s + e, n - e))
				continue;
			if (b->marking.level == TL_LEVEL_UNKNOWN)
				continue;
			b->marking.malformed = false;
			end = e;
			if (titled) {
				banner_fill(b, s, start, end, end, false, false);
				*rest = skip_ws(s, n, end);
				return true;
			}
		} else {
			if (!zeroed) {
				memset(b, 0, sizeof *b);
				zeroed = true;
			}
			b->marking.level = plain[k].level;
			tl_strlcpy(b->marking.level_token, plain[k].text, m,
			    sizeof b->marking.level_token);
			if (plain[k].control)
				tl_marking_add_control(&b->marking, plain[k].control);
			tail = skip_ws(s, n, end);
			if (!titled && !banner_tail_ok(s + tail, n - tail))
				continue; /* perhaps a register form */
		}
		damaged = plain[k].text[0] == plain[k].text[1] ||
		    strcmp(plain[k].text, "NCLAS") == 0;
		goto found_plain;
	}
	/* A plain level word typed or scanned with a letter twice, alone
	 * or before a banner's tail: "SECRRET", "UNCLASS". */
	if (!titled) {
		size_t e = start;
		while (e < n && tl_isupper((unsigned char)s[e]))
			e++;
		if (e - start >= 6 && e - start < sizeof word &&
		    (e == n || s[e] == ' ') &&
		    banner_tail_ok(s + skip_ws(s, n, e), n - skip_ws(s, n, e))) {
			memcpy(word, s + start, e - start);
			word[e - start] = '\0';
			w = e - start;
			if ((lvl = banner_word(word, w, &damaged)) != NULL &&
			    damaged) {
				end = e;
				goto found;
			}
			damaged = false;
		}
	}
	if (!titled && register_initial(s + start, n - start)) {
		tl_marking m;
		if (register_form(s, n, start, &m, &end)) {
			memset(b, 0, sizeof *b);
			b->marking = m;
			goto found_plain;
		}
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
	if (titled) {
		/* A banner whose line lost its newline: "C O N F I D E N T I
		 * A L SECTION 01 OF 02 MOSCOW 000228  SIPDIS  STATE FOR ...":
		 * the classification, the station and the serial, then the
		 * next header lines run in. */
		size_t k = tail, j, serial = 0;
		/* Plain words run in only with a section count: "SECRET
		 * SERVICE AGENTS 145 ..." is prose. */
		if (!spaced && !tl_iprefix(s + tail, n - tail, "SECTION "))
			return false;
		while (k < n && serial == 0) {
			for (j = k; j < n && s[j] != ' '; j++)
				;
			if (j - k >= 3 && j - k <= 8 && all_digits(s + k, j - k))
				serial = j;
			else if (!all_upper_words(s + k, j - k) &&
			    !all_digits(s + k, j - k))
				return false;
			k = skip_ws(s, n, j);
		}
		if (serial == 0 || k >= n || serial - tail > 60)
			return false;
		banner_fill(b, s, start, tail, serial, damaged || lower, spaced);
		*rest = k;
		return true;
	}
	if (!banner_tail_ok(s + tail, n - tail))
		return false;
	/* Lower-case tails only with a re-typed (lower-case) banner. */
	if (!lower && !tail_upper(s + tail, n - tail))
		return false;
	banner_fill(b, s, start, tail, n, damaged || lower, spaced);
	/* Control words in the tail belong to the banner. */
	if (ifind(s + tail, n - tail, "NOFORN") < n - tail)
		tl_marking_add_control(&b->marking, "NOFORN");
	if (ifind(s + tail, n - tail, "NODIS") < n - tail)
		tl_marking_add_control(&b->marking, "NODIS");
	if (ifind(s + tail, n - tail, "EXDIS") < n - tail)
		tl_marking_add_control(&b->marking, "EXDIS");
	if (ifind(s + tail, n - tail, "UK EYES ONLY") < n - tail)
		tl_marking_add_control(&b->marking, "UK EYES ONLY");
	return true;
}

bool
tlp_parse_banner(const char *s, size_t n, tl_banner *b)
{
	return banner_scan(s, n, b, false, NULL);
}

bool
tlp_banner_with_title(const char *s, size_t n, tl_banner *b, size_t *rest)
{
	return banner_scan(s, n, b, true, rest);
}

/* ---------------------------------------------------------------------
 * Control lines
 * ------------------------------------------------------------------- */

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

/* True when s[0..n) is one of the words control lines are made of. */
static bool
control_word(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < sizeof control_words / sizeof control_words[0]; k++)
		if (n == control_words[k].len && control_words[k].real &&
		    tl_ieq(s, n, control_words[k].word))
			return true;
	return false;
}

/* A line of control words ("NOFORN", "NOFORN SIPDIS", "SIPDIS SIPDIS",
 * "NOFORN, NOT FOR INTERNET DISTRIBUTION") or an office routing line
 * ("DEPT FOR EUR/WE", "DEPARTMENT FOR ...", "PASS TO ...").  With apply,
 * adds the controls to `m` and notes SIPDIS in the docinfo. */
bool
tlp_control_line(tl_parser *p, const char *s, size_t n, tl_marking *m, bool apply)
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
			tl_marking_add_control(m, control_words[k].control);
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
 * Header lines
 * ------------------------------------------------------------------- */

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

/* Where the marking of an "Overall Classification: ..." or
 * "Classification: ..." line starts (after markup, the label and its
 * colon); 0 for any other line. */
size_t
tlp_classification_line(const char *s, size_t n)
{
	size_t i = markup_prefix(s, n), c, j;

	if (i >= n || (s[i] != 'O' && s[i] != 'o' && s[i] != 'C' && s[i] != 'c' &&
	    s[i] != 'T'))
		return 0;
	/* "This Exhibit is SECRET//NOFORN", "This document is classified
	 * TOP SECRET//SI": a statement of the whole's marking, in a
	 * capitalised sentence of a few words. */
	if (tl_iprefix(s + i, n - i, "This ")) {
		j = skip_ws(s, n, i + 5);
		while (j < n && tl_isalpha((unsigned char)s[j]))
			j++;
		j = skip_ws(s, n, j);
		if (!tl_iprefix(s + j, n - j, "is ") && !tl_iprefix(s + j, n - j, "are "))
			return 0;
		j = skip_ws(s, n, j + (s[j + 2] == ' ' ? 3 : 4));
		if (tl_iprefix(s + j, n - j, "classified "))
			j = skip_ws(s, n, j + 11);
		return j < n && tl_isupper((unsigned char)s[j]) ? j : 0;
	}
	if (tl_iprefix(s + i, n - i, "OVERALL CLASSIFICATION"))
		i += strlen("OVERALL CLASSIFICATION");
	else if (tl_iprefix(s + i, n - i, "CLASSIFICATION"))
		i += strlen("CLASSIFICATION");
	else
		return 0;
	c = skip_ws(s, n, i);
	if (c >= n || s[c] != ':')
		return 0;
	c = skip_ws(s, n, c + 1);
	return c < n ? c : 0;
}

bool
tlp_header_anchor(tl_parser *p, const linebuf *L)
{
	const char *s = L->s;
	size_t n = L->n, at;
	tl_banner b;

	if (!L->complete || L->nul || is_blank(s, n))
		return false;
	at = skip_ws(s, n, 0);
	if (n - at >= 9 && (memcmp(s + at, "ZNY ", 4) == 0 ||
	    memcmp(s + at, "ZNR ", 4) == 0))
		return true;
	if (tl_iprefix(s + at, n - at, "SUBJECT:") || tl_iprefix(s + at, n - at, "SUBJ:") ||
	    tl_iprefix(s + at, n - at, "CLASSIFIED BY") ||
	    tl_iprefix(s + at, n - at, "DERIVED FROM") || tlp_is_eo(s, n) ||
	    (tl_iprefix(s + at, n - at, "TAGS") && at + 4 < n &&
	    (s[at + 4] == ':' || s[at + 4] == ' ')))
		return true;
	if (tlp_classification_line(s, n) > 0)
		return true;
	if (entire_text(s, n) != TL_LEVEL_UNKNOWN)
		return true;
	if (tlp_control_line(p, s, n, NULL, false))
		return true;
	return may_be_banner(s + markup_prefix(s, n), n - markup_prefix(s, n)) &&
	    (tlp_parse_banner(s, n, &b) || (p->doc.banner.line == 0 &&
	    tlp_banner_with_title(s, n, &b, &at)));
}

/* Lines of the header (before the body).  Returns true in *done when the
 * line was a header line and has been emitted. */
tl_status
tlp_header_line(tl_parser *p, const linebuf *L, bool *done)
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
		p->routing_gap = true;
		if (p->in_portion && (st = tlp_end_portion(p)) != TL_OK)
			return st;
		return tlp_emit_line(p, TL_LINE_BLANK, L->number, 0, s, n, L->eol,
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
		p->routing_gap = false;
		role = TL_LINE_ROUTING;
		goto emit;
	}
	if ((at = tlp_classification_line(s, n)) > 0) {
		/* "Overall Classification: TOP SECRET//SI//NOFORN": the
		 * document's marking, stated in words. */
		if (tlp_parse_banner(s + at, n - at, &b)) {
			b.line = L->number;
			b.at += at;
			b.col = col_at(s, b.at);
			tlp_banner_read(p, &b);
			if (p->doc.banner.line == 0) {
				p->doc.banner = b;
				p->zone = ZONE_HEADER;
				p->hctx = HCTX_NONE;
			}
			role = TL_LINE_BANNER;
			goto emit;
		}
	}
	if (p->doc.banner.line == 0 && tlp_parse_banner(s, n, &b)) {
		b.line = L->number;
		p->doc.banner = b;
		tlp_banner_read(p, &b);
		p->zone = ZONE_HEADER;
		p->hctx = HCTX_NONE;
		if (b.damaged && (st = tlp_diag(p, TL_SEV_WARNING, L->number, b.col,
		    "banner-damaged", "damaged banner \"%s\" read as %s",
		    b.text, tl_level_name(b.marking.level))) != TL_OK)
			return st;
		role = TL_LINE_BANNER;
		goto emit;
	}
	if (p->doc.banner.line == 0 && p->zone == ZONE_TOP &&
	    tlp_banner_with_title(s, n, &b, &at)) {
		/* "UNCLASSIFIED//FOR OFFICIAL USE ONLY BOUNDLESS - Questions":
		 * the banner is the document's; the line goes on as text (or
		 * as a portion, when a mark follows), decided at it. */
		b.line = L->number;
		p->doc.banner = b;
		tlp_banner_read(p, &b);
		p->zone = ZONE_HEADER;
		p->hctx = HCTX_NONE;
		goto not_header;
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
		/* A second banner line in the header (e.g. after routing, or
		 * another page's): it raises the evidence like any other. */
		if (tlp_parse_banner(s, n, &b)) {
			b.line = L->number;
			tlp_banner_read(p, &b);
			role = TL_LINE_BANNER;
			goto header;
		}
	}
	if (tlp_control_line(p, s, n, &p->doc.banner.marking, true)) {
		role = TL_LINE_CONTROL;
		goto header;
	}
	if (tlp_is_eo(s, n)) {
		tlp_parse_eo(p, s, n, L->number);
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
			tlp_parse_classified_by(&p->doc.authority, s + at, n - at);
		}
		p->hctx = HCTX_AUTHORITY;
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (tl_iprefix(s + at, n - at, "REASON")) {
		if (p->doc.authority.nreasons == 0)
			tlp_parse_reasons(&p->doc.authority, s + at, n - at);
		role = TL_LINE_AUTHORITY;
		goto header;
	}
	if (p->hctx == HCTX_AUTHORITY && p->doc.authority.nreasons == 0 &&
	    (ifind(s, n, "1.4") < n || ifind(s, n, "1.5") < n)) {
		tlp_parse_reasons(&p->doc.authority, s, n);
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

		if (p->in_portion && (st = tlp_end_portion(p)) != TL_OK)
			return st;
		memset(&po, 0, sizeof po);
		memset(&ld, 0, sizeof ld);
		ld.mark_at = colon;
		mr = tlp_parse_mark(p, s, n, colon, false, &po, &e, why, sizeof why);
		po.kind = TL_PORTION_SUBJECT;
		po.line = L->number;
		po.col = col_at(s, at);
		tl_strlcpy(po.lead, s + at, skip_ws(s, n, colon) - at, sizeof po.lead);
		p->doc.subject_line = L->number;
		if ((st = tlp_begin_portion(p, &po)) != TL_OK)
			return st;
		if (mr == MARK_BAD)
			p->cur->errors++;
		if ((st = tlp_report_mark(p, mr, p->cur, L->number, why)) != TL_OK)
			return st;
		p->hctx = HCTX_SUBJECT;
		st = tlp_content(p, L);
		goto run_in;
	}
	/* Continuations of a multi-line header item. */
	if (p->hctx == HCTX_SUBJECT && p->in_portion) {
		st = tlp_content(p, L);
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
	if (p->in_portion && (st = tlp_end_portion(p)) != TL_OK)
		return st;
	if (p->zone == ZONE_TOP)
		p->zone = ZONE_HEADER;
	st = tlp_emit_line(p, role, L->number, 0, s, n, L->eol, L->eol_len, true, true);
run_in:
	/* "REF: ASUNCION 396Classified By: ..." lost its newline. */
	if (st == TL_OK && p->doc.authority.line == 0 &&
	    (at = ifind(s + 1, n - 1, "classified by")) < n - 1) {
		at += 1;
		p->doc.authority.line = L->number;
		p->doc.authority.col = col_at(s, at);
		p->doc.authority.run_in = true;
		tlp_parse_classified_by(&p->doc.authority, s + at, n - at);
		p->hctx = HCTX_AUTHORITY;
		st = tlp_diag(p, TL_SEV_WARNING, L->number, p->doc.authority.col,
		    "authority-run-in",
		    "\"Classified By\" run into the previous text (lost line break)");
	}
	return st;
emit:
	return tlp_emit_line(p, role, L->number, 0, s, n, L->eol, L->eol_len, true, true);
}
