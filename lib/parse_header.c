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
	{
		tl_marking m;

		memset(&m, 0, sizeof m);
		m.level = p->doc.routing.level;
		tl_strlcpy(m.level_token, tl_level_name(m.level),
		    strlen(tl_level_name(m.level)), sizeof m.level_token);
		evidence_add(p, &m, number);
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

/*
 * Recognizes a banner line and fills *b.  Accepts spaced letters
 * ("S E C R E T LONDON 004327", damaged "SS E C R E T", "E C R E T",
 * re-typed "S e c r e t berlin 001068"), plain words ("UNCLAS SECTION 01
 * OF 06 TBILISI 002290", "UUNCLAS"), CAPCO strings ("SECRET//NOFORN",
 * "TOP SECRET//SI//NOFORN"), "SENSITIVE BUT UNCLASSIFIED" and "LIMITED
 * OFFICIAL USE".  Plain and CAPCO forms must be upper case, so that prose
 * ("Secret talks were held") is not taken for a banner.
 */
bool
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
bool
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

/* Lines of the header (before the body).  Returns true in *done when the
 * line was a header line and has been emitted. */
tl_status
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
		evidence_add(p, &b.marking, L->number);
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
