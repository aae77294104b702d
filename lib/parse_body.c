/*
 * parse_body.c: body lines.  Reads paragraph numbers and portion marks,
 * groups lines into portions and holds back gap lines and a possible
 * heading until the next line says what they are.
 */
#include "parse.h"
#include "register.h"

#include <stdio.h>
#include <string.h>

static unsigned plain_rank(tl_level l);
static bool classified(tl_level l);
static tl_status scan_buried(tl_parser *p, const linebuf *L, size_t from,
    size_t to);
static size_t trailing_mark(tl_parser *p, const char *s, size_t n,
    size_t from, tl_portion *po);

/* ---------------------------------------------------------------------
 * Sentences
 * ------------------------------------------------------------------- */

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
	if (n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?'))
		return true;
	/* Cables close a summary or a comment without a stop: "... prior
	 * to London. END SUMMARY", "End comment". */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '-'))
		n--;
	return (n >= 11 && tl_ieq(s + n - 11, 11, "END SUMMARY")) ||
	    (n >= 11 && tl_ieq(s + n - 11, 11, "END COMMENT")) ||
	    (n >= 8 && tl_ieq(s + n - 8, 8, "END NOTE"));
}

static bool
starts_lower(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && tl_islower((unsigned char)s[i]);
}

/* ---------------------------------------------------------------------
 * Portion leads and marks
 * ------------------------------------------------------------------- */

static bool
is_mark_char(int c)
{
	return tl_isalpha(c) || c == ' ' || c == '/' || c == '-' || c == ',';
}

/* Paragraph number forms at s[at..n): "1.", "1.(C)", "¶4.", "[1](#)2.",
 * "- [1](#).", "A.", "(a)", "(1)", "--", "-", "*".  Fills *l; false when
 * the line has no lead (it may still start with a mark, or a label that
 * counts only before one: parse_label). */
static bool
parse_lead(const char *s, size_t n, size_t at, lead *l)
{
	size_t i = skip_ws(s, n, at), j, k;

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

/* True when w (upper case letters only) is a run of control forms of
 * the register: "NF", "NFOC", "SIG" (SI + G is not one: "SI-G" is). */
static bool
controls_run(const char *w, size_t n, unsigned depth)
{
	char part[TL_TOKEN_MAX];
	size_t cut;
	reg_hit h;

	if (n == 0)
		return true;
	if (depth > 4)
		return false;
	for (cut = n < sizeof part - 1 ? n : sizeof part - 1; cut > 0; cut--) {
		memcpy(part, w, cut);
		part[cut] = '\0';
		if (tl_reg_find(REG_NS_CONTROL, part, &h) &&
		    controls_run(w + cut, n - cut, depth + 1))
			return true;
	}
	return false;
}

/* Does the mark text s[0..n) read as a level form followed by control
 * forms once the separators are dropped ("SNF": S + NF, "TSSINF")?  Or,
 * written with slashes, does one of its parts name a level or control
 * ("N/SF", "/Rel UK")?  Words that merely look like marks, acronyms
 * ("VEM", "DHS", "FDP") and OCR'd names ("KGB ENTRY", "GARLAND"), do
 * not. */
static bool
splits_as_mark(const char *s, size_t n)
{
	char w[32], part[TL_TOKEN_MAX];
	size_t i, k = 0, cut, a, b;
	reg_hit h;

	if (memchr(s, '/', n) != NULL) {
		for (a = 0; a < n; a = b + 1) {
			size_t e;
			for (b = a; b < n && s[b] != '/'; b++)
				;
			a = skip_ws(s, b, a);
			/* the part's first word, upper-cased */
			for (e = a; e < b && tl_isalpha((unsigned char)s[e]) &&
			    e - a < sizeof part - 1; e++)
				part[e - a] = (char)tl_toupper((unsigned char)s[e]);
			part[e - a] = '\0';
			if (e > a && (tl_reg_find(REG_NS_LEVEL, part, &h) ||
			    tl_reg_find(REG_NS_CONTROL, part, &h)))
				return true;
		}
		return false;
	}
	for (i = 0; i < n; i++) {
		if (tl_isalpha((unsigned char)s[i])) {
			if (k + 1 >= sizeof w)
				return false;
			w[k++] = (char)tl_toupper((unsigned char)s[i]);
		} else if (s[i] != ' ' && s[i] != '-' && s[i] != ',') {
			return false;
		}
	}
	for (cut = 1; cut < k && cut < sizeof part; cut++) {
		memcpy(part, w, cut);
		part[cut] = '\0';
		if (tl_reg_find(REG_NS_LEVEL, part, &h) &&
		    controls_run(w + cut, k - cut, 0))
			return true;
	}
	return false;
}

/* Is the text of a parenthesized candidate meant as a portion mark?  A
 * known level first; otherwise only what splits into level and control
 * forms of the register (splits_as_mark), so "(Comment)", "(VEM)" and
 * "(KGB ENTRY)" stay text while "(SNF)" is a malformed mark. */
static bool
mark_like(const char *s, size_t n, const tl_marking *m)
{
	size_t i;

	if (m->level != TL_LEVEL_UNKNOWN)
		return true;
	/* "//" is the separator of CAPCO's segments and of nothing in
	 * prose: "(CUI//SP-PRVCY)" is meant as a mark, read or not. */
	for (i = 0; i + 1 < n; i++)
		if (s[i] == '/' && s[i + 1] == '/')
			return true;
	return splits_as_mark(s, n);
}

/* *dst = *src for a zeroed dst: the entries in use only.  A marking is
 * mostly room for lists (about 950 bytes) that a mark such as "(C)"
 * leaves empty.  The trap: every field of tl_marking must be named here;
 * one that is not silently reads as zero for a remembered mark (the
 * test remembered_marks_are_whole compares against a fresh parse). */
static void
marking_copy(tl_marking *dst, const tl_marking *src)
{
	unsigned nc = src->ncontrols < TL_MARK_CONTROLS_MAX ? src->ncontrols :
	    TL_MARK_CONTROLS_MAX;
	unsigned nr = src->nrel < TL_MARK_REL_MAX ? src->nrel : TL_MARK_REL_MAX;
	unsigned nu = src->nunknown < TL_MARK_UNKNOWN_MAX ? src->nunknown :
	    TL_MARK_UNKNOWN_MAX;
	unsigned nf = src->nfgi < TL_MARK_FGI_MAX ? src->nfgi : TL_MARK_FGI_MAX;

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
	dst->nrel_unknown = src->nrel_unknown;
	memcpy(dst->rel_unknown, src->rel_unknown, (src->nrel_unknown <
	    TL_MARK_UNKNOWN_MAX ? src->nrel_unknown : TL_MARK_UNKNOWN_MAX) *
	    sizeof dst->rel_unknown[0]);
	dst->malformed = src->malformed;
	dst->rel_banner = src->rel_banner;
	dst->ndisplay = src->ndisplay; /* its entries are the tail of rel */
	dst->nfgi = src->nfgi;
	memcpy(dst->fgi, src->fgi, nf * sizeof dst->fgi[0]);
	memcpy(dst->declass, src->declass, sizeof dst->declass);
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

/* False when tlp_parse_mark at s[at..n) without a paragraph number surely
 * finds nothing (and leaves its portion untouched): no '(' there. */
static bool
may_open_mark(const char *s, size_t n, size_t at)
{
	size_t i = skip_ws(s, n, at);

	return i < n && s[i] == '(';
}

/* An HTML line break inside a mark of a converted table cell,
 * "(S//REL TO USA, <br> FVEY)": "<br>", "<br/>" or "<br />" at s[i..n).
 * Returns its length, or 0. */
static size_t
html_break(const char *s, size_t n, size_t i)
{
	static const char *const forms[] = { "<br>", "<br/>", "<br />" };
	size_t k;

	for (k = 0; k < sizeof forms / sizeof forms[0]; k++)
		if (tl_iprefix(s + i, n - i, forms[k]))
			return strlen(forms[k]);
	return 0;
}

/* The text of a parenthesized mark at s[at] == '(', up to its ')': the
 * characters is_mark_char accepts (and digits when `digits`), with any
 * HTML line break read as a space.  Fills out[0..*len) and *close (the
 * ')'), and returns true; false when no ')' closes a mark-like run.  In a
 * mark with a break, white space runs become one space and none ends it;
 * a mark without one is copied as written. */
static bool
mark_span(const char *s, size_t n, size_t at, bool digits, char *out,
    size_t *len, size_t *close)
{
	size_t j = at + 1, k = 0, br;
	bool broken = false;

	while (j < n && k <= TL_MARK_MAX) {
		int c = (unsigned char)s[j];
		if (c == ')')
			break;
		if ((br = html_break(s, n, j)) != 0) {
			broken = true;
			c = ' ';
			j += br;
		} else if (is_mark_char(c) || (digits && tl_isdigit(c))) {
			j++;
		} else {
			return false;
		}
		if (c == ' ' && broken && (k == 0 || out[k - 1] == ' '))
			continue; /* a break next to a space: one space */
		out[k++] = (char)c;
	}
	if (j >= n || s[j] != ')' || k == 0 || k > TL_MARK_MAX)
		return false;
	while (k > 0 && out[k - 1] == ' ' && broken)
		k--;
	*len = k;
	*close = j;
	return true;
}

/*
 * Looks for a portion mark at s[at..n): "(C/NF)", "( C )", "(s/nf)",
 * malformed "C)" (after a paragraph number only) and "(S/NF" with no
 * closing parenthesis.  Fills the mark fields of the portion, which the
 * caller has zeroed, and *end (just past the mark).  `why` gets the
 * reason for MARK_BAD/MARK_UNKNOWN.
 */
mark_result
tlp_parse_mark(tl_parser *p, const char *s, size_t n, size_t at, bool numbered,
    tl_portion *po, size_t *end, char *why, size_t whylen)
{
	size_t i = skip_ws(s, n, at), j, k;
	tl_status st;

	why[0] = '\0';
	if (i >= n)
		return MARK_NONE;
	if (s[i] == '(') {
		char text[TL_MARK_MAX + 1];
		size_t len;
		if (mark_span(s, n, i, false, text, &len, &j)) {
			st = marking_parse_memo(p, text, len, &po->marking,
			    why, whylen);
			if (!mark_like(text, len, &po->marking))
				return MARK_NONE;
			po->marked = true;
			po->mark_col = col_at(s, i);
			tl_strlcpy(po->mark_text, text, len, sizeof po->mark_text);
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

/* A typed page number on a line of its own: "- 2 -", "-2-", "Page 3",
 * "Page 3 of 7".  Stray, like a cable's page-break line. */
static bool
is_page_number(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0), d;

	n = rtrim(s, n);
	if (i < n && s[i] == '-') {
		i = skip_ws(s, n, i + 1);
		for (d = i; i < n && tl_isdigit((unsigned char)s[i]); i++)
			;
		if (i == d || i - d > 3)
			return false;
		i = skip_ws(s, n, i);
		return i + 1 == n && s[i] == '-';
	}
	if (n - i < 6 || !tl_iprefix(s + i, n - i, "page "))
		return false;
	i = skip_ws(s, n, i + 5);
	for (d = i; i < n && tl_isdigit((unsigned char)s[i]); i++)
		;
	if (i == d || i - d > 4)
		return false;
	if (i == n)
		return true;
	i = skip_ws(s, n, i);
	if (n - i < 3 || !tl_iprefix(s + i, n - i, "of "))
		return false;
	i = skip_ws(s, n, i + 3);
	for (d = i; i < n && tl_isdigit((unsigned char)s[i]); i++)
		;
	return i > d && i - d <= 4 && i == n;
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
	return tlp_emit_line(p, h->role, h->number, portion, base, h->len,
	    h->eol_len == 2 ? "\r\n" : h->eol_len ? "\n" : "", h->eol_len,
	    true, true);
}

/* Releases the gap: its lines belong to the open portion when `inside`,
 * else the portion ends first and they stand between portions. */
tl_status
tlp_flush_gap(tl_parser *p, bool inside)
{
	tl_status st = TL_OK;
	unsigned i;

	if (!inside && (st = tlp_end_portion(p)) != TL_OK)
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
tl_status
tlp_flush_heading(tl_parser *p, bool heading)
{
	tl_status st;
	held h = p->heading;

	p->heading_pending = false;
	p->heading_portion.kind = heading ? TL_PORTION_HEADING :
	    p->heading_portion.kind;
	if ((st = tlp_begin_portion(p, &p->heading_portion)) != TL_OK)
		return st;
	if (memchr(p->hold.data + h.off, '(', h.len) != NULL) {
		linebuf hl;
		memset(&hl, 0, sizeof hl);
		hl.s = p->hold.data + h.off;
		hl.n = h.len;
		hl.number = h.number;
		if ((st = scan_buried(p, &hl, 0, hl.n)) != TL_OK)
			return st;
	}
	st = emit_held(p, &h, p->cur->index);
	p->last_content = h.number;
	p->open_sentence = !ends_sentence(p->hold.data + h.off, h.len);
	if (p->ngap == 0)
		tl_buf_reset(&p->hold);
	if (st == TL_OK && heading)
		st = tlp_end_portion(p);
	return st;
}

/* ---------------------------------------------------------------------
 * Line handling
 * ------------------------------------------------------------------- */


/* True when lit[0..m) occurs in s[0..n). */
static bool
find_bytes(const char *s, size_t n, const char *lit, size_t m)
{
	size_t i;

	for (i = 0; m <= n && i + m <= n; i++)
		if (s[i] == lit[0] && memcmp(s + i, lit, m) == 0)
			return true;
	return false;
}

/* A one-letter "(C)" at s[at] whose predecessor "(B)" stands earlier in
 * the line: an enumeration's label, "(A) ..., (B) ..., (C) ...", not a
 * mark.  len is the length of the text inside the parentheses. */
static bool
enumeration_letter(const char *s, size_t at, size_t len)
{
	char prev[3] = { '(', 0, ')' };

	if (len != 1)
		return false;
	prev[1] = (char)(s[at + 1] - 1);
	return find_bytes(s, at, prev, 3);
}

/* The REL TO list of `b` became that of `m`: so do the codes of it no
 * table knows (tl_marking.rel_unknown). */
static void
rel_unknown_copy(tl_marking *b, const tl_marking *m)
{
	b->nrel_unknown = m->nrel_unknown < TL_MARK_UNKNOWN_MAX ?
	    m->nrel_unknown : TL_MARK_UNKNOWN_MAX;
	memcpy(b->rel_unknown, m->rel_unknown, b->nrel_unknown *
	    sizeof b->rel_unknown[0]);
}

/* Rolls buried mark `m` into the open portion's `buried`: the highest
 * level, every control and FGI owner, the REL TO countries every
 * classified mark's list names (an unclassified mark limits no list, as
 * in the banner's roll-up).  A list that does not fit fails closed
 * (malformed). */
static void
bury(tl_portion *po, const tl_marking *m)
{
	tl_marking *b = &po->buried;
	unsigned i, k;
	bool b_open; /* only unclassified marks rolled in so far */

	if (po->nburied++ == 0) {
		memset(b, 0, sizeof *b);
		marking_copy(b, m);
		b->ndisplay = 0; /* DISPLAY ONLY countries: not a REL TO list */
		if (!b->rel_to)
			b->nrel = 0;
		else if (m->ndisplay <= b->nrel)
			b->nrel -= m->ndisplay;
		return;
	}
	b_open = !classified(b->level);
	if (plain_rank(m->level) > plain_rank(b->level)) {
		b->level = m->level;
		memcpy(b->level_token, m->level_token, sizeof b->level_token);
	} else if (plain_rank(m->level) == plain_rank(b->level) &&
	    m->level != b->level) {
		b->malformed = true; /* two schemes at one rank: no order */
	}
	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++) {
		if (tl_marking_has(b, m->controls[i]))
			continue;
		if (b->ncontrols >= TL_MARK_CONTROLS_MAX) {
			b->malformed = true;
			break;
		}
		memcpy(b->controls[b->ncontrols++], m->controls[i],
		    sizeof b->controls[0]);
	}
	for (i = 0; i < m->nfgi && i < TL_MARK_FGI_MAX; i++) {
		if (has_code((const char (*)[8])b->fgi, b->nfgi, m->fgi[i]))
			continue;
		if (b->nfgi >= TL_MARK_FGI_MAX) {
			b->malformed = true;
			break;
		}
		memcpy(b->fgi[b->nfgi++], m->fgi[i], sizeof b->fgi[0]);
	}
	if (!classified(m->level) && !m->rel_to) {
		/* An unclassified mark limits no REL TO list. */
	} else if (classified(m->level) && b_open) {
		/* The first classified mark sets the list. */
		b->rel_to = m->rel_to;
		b->rel_banner = m->rel_banner;
		b->nrel = 0;
		for (i = 0; m->rel_to && i + m->ndisplay < m->nrel &&
		    i < TL_MARK_REL_MAX; i++)
			memcpy(b->rel[b->nrel++], m->rel[i], sizeof b->rel[0]);
		rel_unknown_copy(b, m);
	} else if (!m->rel_to || !b->rel_to) {
		b->rel_to = false;
		b->rel_banner = false;
		b->nrel = 0;
	} else if (m->rel_banner && m->nrel == m->ndisplay) {
		/* A bare REL: the banner's list; the other list stands. */
	} else if (b->rel_banner && b->nrel == 0) {
		b->rel_banner = false;
		for (i = 0; i + m->ndisplay < m->nrel && i < TL_MARK_REL_MAX; i++)
			memcpy(b->rel[b->nrel++], m->rel[i], sizeof b->rel[0]);
		rel_unknown_copy(b, m);
	} else {
		for (i = k = 0; i < b->nrel; i++)
			if (has_code(m->rel, m->nrel - m->ndisplay, b->rel[i]))
				memmove(b->rel[k++], b->rel[i], sizeof b->rel[0]);
		b->nrel = k;
	}
	b->malformed = b->malformed || m->malformed;
}

/* Does the "(" at s[at] open a mark that counts inside a portion's
 * text?  A clean mark of the register in upper case ("(S//SI)", "(C)"),
 * or a CAPCO-like one ("//") that cannot be parsed (then m->malformed).
 * "(B/D)", "(R-TN)", "(s)", "analyst(S)", "1.4(B)" and an enumeration's
 * "(C)" after "(B)" stay text.  Fills *m and *close (the ")"). */
static bool
inner_mark(tl_parser *p, const char *s, size_t n, size_t at, tl_marking *m,
    size_t *close)
{
	char text[TL_MARK_MAX + 1], why[8];
	size_t len, k;

	/* Digits too: OCR'd marks ("S//S1//REL") must be seen. */
	if (!mark_span(s, n, at, true, text, &len, close))
		return false;
	for (k = 0; k < len; k++)
		if (tl_islower((unsigned char)text[k]))
			return false;
	if (at > 0 && (tl_isalpha((unsigned char)s[at - 1]) ||
	    tl_isdigit((unsigned char)s[at - 1])))
		return false;
	/* An unknown country code alone does not make it unreadable
	 * (tl_marking.rel_unknown). */
	if ((marking_parse_memo(p, text, len, m, why, sizeof why) != TL_OK &&
	    (m->malformed || m->nunknown)) || m->level == TL_LEVEL_UNKNOWN) {
		if (!find_bytes(text, len, "//", 2))
			return false;
		m->malformed = true;
		return true;
	}
	return !enumeration_letter(s, at, len);
}

/* Marks buried in s[from..to) of content line L of the open portion: in
 * the middle of the line or in a later table cell (inner_mark).  The
 * portion's own lead mark is skipped. */
static tl_status
scan_buried(tl_parser *p, const linebuf *L, size_t from, size_t to)
{
	const char *s = L->s, *q;
	size_t i = from, j;
	tl_portion *po = p->cur;
	tl_status st;
	tl_marking m;

	while (i < to && (q = memchr(s + i, '(', to - i)) != NULL) {
		size_t at = (size_t)(q - s);
		i = at + 1;
		if (L->number == po->line && po->marked &&
		    col_at(s, at) == po->mark_col)
			continue; /* the lead mark */
		if (!inner_mark(p, s, to, at, &m, &j))
			continue;
		bury(po, &m);
		st = tlp_diag(p, TL_SEV_WARNING, L->number, col_at(s, at),
		    "mark-buried", "mark \"(%.*s)\" inside the portion's text%s",
		    (int)(j - at - 1 < 60 ? j - at - 1 : 60), s + at + 1,
		    m.malformed ?
		    " cannot be read: the portion is withheld" :
		    ": the portion is decided at the most restrictive of its marks");
		if (st != TL_OK)
			return st;
		i = j + 1;
	}
	return TL_OK;
}

/* Where a cell of table row L ("| ... |") starts with a mark, at or after
 * s[from]: right after a bar, or after an HTML line break inside a cell,
 * with text after it in its cell.  "| 10. (U) The fact ... | N/A | (C//REL)
 * AFTAC personnel do not ... |": a classification guide marks each
 * statement of a row, and each is a portion of its own (tlp_content splits
 * the line there), decided at its own mark, not at its neighbours'.  The
 * open portion's lead mark is never one.  Returns the offset of the bar or
 * break before the mark, where the cell's portion begins (its lead), and
 * sets *mark to the "("; 0 when there is none. */
static size_t
cell_mark(tl_parser *p, const linebuf *L, size_t from, size_t *mark)
{
	const char *s = L->s, *q;
	size_t n = L->n, i = skip_ws(s, n, 0), at, k, sep, close;
	tl_marking m;

	if (i >= n || s[i] != '|')
		return 0;
	for (i = from; i < n && (q = memchr(s + i, '(', n - i)) != NULL; ) {
		at = (size_t)(q - s);
		i = at + 1;
		for (k = at; k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'); k--)
			;
		if (k > from + 1 && s[k - 1] == '|')
			sep = k - 1;
		else if (k >= from + 5 && tl_iprefix(s + k - 4, 4, "<br>"))
			sep = k - 4;
		else
			continue;
		if (p->in_portion && L->number == p->cur->line &&
		    p->cur->marked && col_at(s, at) == p->cur->mark_col)
			continue;
		if (!inner_mark(p, s, n, at, &m, &close))
			continue;
		for (k = close + 1; k < n && s[k] != '|' &&
		    !tl_isalpha((unsigned char)s[k]) &&
		    !tl_isdigit((unsigned char)s[k]); k++)
			;
		if (k < n && s[k] != '|') {
			*mark = at;
			return sep;
		}
	}
	return 0;
}

/* Begins the portion of a cell whose lead (a bar or a break) is at
 * L->s[at] and whose mark is at L->s[mark] (cell_mark); the caller has
 * ended the one before it. */
static tl_status
cell_portion(tl_parser *p, const linebuf *L, size_t at, size_t mark)
{
	tl_portion *po = next_slot(p);
	mark_result mr;
	size_t end;
	char why[160];
	tl_status st;

	memset(po, 0, sizeof *po);
	po->kind = TL_PORTION_TEXT;
	po->line = L->number;
	po->col = col_at(L->s, at);
	tl_strlcpy(po->lead, L->s + at, mark - at, sizeof po->lead);
	mr = tlp_parse_mark(p, L->s, L->n, mark, false, po, &end, why,
	    sizeof why);
	if (mr == MARK_NONE) {
		/* inner_mark read a malformed CAPCO-like mark that
		 * tlp_parse_mark does not take: withheld, as it would be
		 * buried. */
		po->marked = true;
		po->marking.malformed = true;
		po->mark_col = col_at(L->s, mark);
		mr = MARK_BAD;
		snprintf(why, sizeof why, "cannot be read");
	}
	if ((st = tlp_begin_portion(p, po)) != TL_OK)
		return st;
	if (mr == MARK_BAD)
		p->cur->errors++;
	return tlp_report_mark(p, mr, p->cur, L->number, why);
}

/* A markdown heading: "# ...", "## ...". */
static bool
md_heading(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && s[i] == '#' && markup_prefix(s, n) > i;
}

/* A table row whole on its line, "| cell | cell |": no sentence runs
 * on from it. */
static bool
whole_row(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	n = rtrim(s, n);
	return i < n && s[i] == '|' && n - i > 1 && s[n - 1] == '|';
}

/* Does line s[0..n) end with a clean mark of the register? */
static bool
ends_with_mark(tl_parser *p, const char *s, size_t n)
{
	return trailing_mark(p, s, n, 0, NULL) != 0;
}

/* Content line of the open portion.  A table row whose later cells
 * start with marks is split there: each such cell begins a portion of
 * its own in the middle of the line (cell_mark), and the line goes out
 * as fragments, one per portion. */
tl_status
tlp_content(tl_parser *p, const linebuf *L)
{
	size_t from = 0, at, mark = 0;
	bool first = true;
	tl_status st;

	for (;;) {
		at = L->complete && !L->nul ? cell_mark(p, L, from, &mark) : 0;
		if (memchr(L->s + from, '(', (at ? at : L->n) - from) != NULL &&
		    (st = scan_buried(p, L, from, at ? at : L->n)) != TL_OK)
			return st;
		p->last_content = L->number;
		if (at == 0)
			break;
		if ((st = tlp_emit_line(p, TL_LINE_BODY, L->number,
		    p->cur->index, L->s + from, at - from, NULL, 0, first,
		    false)) != TL_OK ||
		    (st = tlp_end_portion(p)) != TL_OK ||
		    (st = cell_portion(p, L, at, mark)) != TL_OK)
			return st;
		from = at;
		first = false;
	}
	/* A markdown heading and a line that ends with a mark close their
	 * sentence: the next line is no wrapped part of them. */
	p->open_sentence = !ends_sentence(L->s, L->n) &&
	    !md_heading(L->s, L->n) && !whole_row(L->s, L->n) &&
	    !ends_with_mark(p, L->s, L->n);
	if (L->nul)
		p->cur->errors++;
	return tlp_emit_line(p, TL_LINE_BODY, L->number, p->cur->index,
	    L->s + from, L->n - from, L->eol, L->eol_len, first, L->complete);
}

tl_status
tlp_report_mark(tl_parser *p, mark_result r, const tl_portion *po, unsigned long number,
    const char *why)
{
	if (r == MARK_BAD)
		return tlp_diag(p, TL_SEV_ERROR, number, po->mark_col, "mark-malformed",
		    "malformed portion mark \"%s\": %s; the portion is withheld",
		    po->mark_text, why[0] ? why : "cannot be read");
	if (r == MARK_UNKNOWN)
		return tlp_diag(p, TL_SEV_WARNING, number, po->mark_col,
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

	if ((st = tlp_flush_gap(p, false)) != TL_OK)
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
	if ((st = tlp_begin_portion(p, tmpl)) != TL_OK)
		return st;
	if (mr == MARK_BAD)
		p->cur->errors++;
	if ((st = tlp_report_mark(p, mr, p->cur, L->number, why)) != TL_OK)
		return st;
	return tlp_content(p, L);
}

/* A portion of one line marked at its end (trailing_mark): begun, its
 * line, a warning, and ended, so the next line starts a portion of its
 * own. */
static tl_status
trailing_portion(tl_parser *p, const linebuf *L, const lead *ld,
    const tl_portion *tmpl)
{
	tl_status st = start_portion(p, L, ld, tmpl, MARK_OK, "");

	if (st != TL_OK)
		return st;
	st = tlp_diag(p, TL_SEV_WARNING, L->number, p->cur->mark_col,
	    "mark-trailing", "mark \"(%s)\" at the end of the portion's line "
	    "is read as its mark", p->cur->mark_text);
	if (st != TL_OK)
		return st;
	return tlp_end_portion(p);
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

/* ---------------------------------------------------------------------
 * Where a mark is read
 * ------------------------------------------------------------------- */

static bool
roman(int c, bool upper)
{
	return c != '\0' && strchr(upper ? "IVXLC" : "ivxlc", c) != NULL;
}

/* Labels that count only before a mark, at s[at..n): "1)", "a)", "A)", "a.",
 * "(13)", "(ii)", roman "II." and "iv.", outline "3.1.", "3.1", "8.0",
 * "1.2.3", a footnote's bare number "1" and an agenda's "0930-0945".  Returns where the mark may
 * start (after the label), or 0 when there is no such label; the label
 * goes into number[16].  Alone, such a label is prose ("1) what" inside
 * a sentence, "3.1 per cent"): parse_lead's forms are the paragraph
 * numbers that stand without a mark. */
static size_t
parse_label(const char *s, size_t n, size_t at, char number[16])
{
	size_t i = skip_ws(s, n, at), j = i, end;

	if (i >= n)
		return 0;
	if (s[i] == '(') {
		/* "(13)", "(ii)" */
		for (j = i + 1; j < n && j - i <= 4 &&
		    (tl_isdigit((unsigned char)s[j]) || roman(s[j], false)); j++)
			;
		if (j - i < 3 || j >= n || s[j] != ')')
			return 0;
		end = j + 1;
		i++;
	} else if (tl_isdigit((unsigned char)s[i])) {
		/* "1)", "3.1", "3.1.", "1.2.3", "1" */
		while (j < n && (tl_isdigit((unsigned char)s[j]) ||
		    (s[j] == '.' && j + 1 < n && tl_isdigit((unsigned char)s[j + 1]))) &&
		    j - i < 12)
			j++;
		/* an agenda's time, "0930-0945" */
		if (j - i == 4 && j + 5 <= n && s[j] == '-' &&
		    tl_isdigit((unsigned char)s[j + 1]) &&
		    tl_isdigit((unsigned char)s[j + 2]) &&
		    tl_isdigit((unsigned char)s[j + 3]) &&
		    tl_isdigit((unsigned char)s[j + 4]))
			j += 5;
		end = j;
		if (j < n && (s[j] == ')' || s[j] == '.'))
			end = j + 1;
	} else if (tl_isalpha((unsigned char)s[i])) {
		/* "a)", "A)", "a.", "II.", "iv." */
		if (i + 1 < n && (s[i + 1] == ')' || s[i + 1] == '.')) {
			j = i + 1;
		} else {
			bool up = tl_isupper((unsigned char)s[i]);
			while (j < n && j - i < 6 && roman(s[j], up))
				j++;
			if (j == i || j >= n || s[j] != '.')
				return 0;
		}
		end = j + 1;
	} else {
		return 0;
	}
	if (end >= n || (s[end] != ' ' && s[end] != '\t' && s[end] != '('))
		return 0;
	tl_strlcpy(number, s + i, j - i < 15 ? j - i : 15, 16);
	return end;
}

/* Ranks for comparing two marks of one document, whatever the policy:
 * the US order, the UK and NATO levels set where they stand; unknown
 * above all. */
static unsigned
plain_rank(tl_level l)
{
	switch (l) {
	case TL_LEVEL_UNCLASSIFIED:
	case TL_LEVEL_OFFICIAL:
		return 1;
	case TL_LEVEL_PROTECT:
	case TL_LEVEL_OFFICIAL_SENSITIVE:
		return 2;
	case TL_LEVEL_RESTRICTED:
		return 3;
	case TL_LEVEL_CONFIDENTIAL:
		return 4;
	case TL_LEVEL_SECRET:
		return 5;
	case TL_LEVEL_TOP_SECRET:
		return 6;
	case TL_LEVEL_UNKNOWN:
		break;
	}
	return 7;
}

/* Above UNCLASSIFIED and OFFICIAL (unknown included: fail closed). */
static bool
classified(tl_level l)
{
	return plain_rank(l) > 1;
}

/* Would text under marking `m` be released to a reader that `run`
 * withholds it from?  True when m has a lower level (or one of another
 * scheme), lacks one of run's controls or FGI owners, or releases to a
 * country run's REL TO list does not name.  A malformed m withholds
 * anyway: it never lowers. */
static bool
lowers(const tl_marking *m, const tl_marking *run)
{
	unsigned i, rm = plain_rank(m->level), rr = plain_rank(run->level);

	if (m->malformed)
		return false;
	if (rm < rr || (rm == rr && m->level != run->level))
		return true;
	for (i = 0; i < run->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		if (!tl_marking_has(m, run->controls[i]))
			return true;
	for (i = 0; i < run->nfgi && i < TL_MARK_FGI_MAX; i++)
		if (!has_code(m->fgi, m->nfgi, run->fgi[i]))
			return true;
	if (run->rel_to && !tl_marking_has(m, "NOFORN")) {
		if (!m->rel_to || (m->rel_banner && !run->rel_banner))
			return true;
		for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++)
			if (!has_code(run->rel, run->nrel, m->rel[i]))
				return true;
	}
	return false;
}

/* The marking the open portion's text is held under, for lowers():
 * its mark, or the banner's for an unmarked portion.  NULL when the
 * portion is withheld whatever a reader holds (a malformed mark, an
 * error, no banner to inherit): any mark would release more. */
static const tl_marking *
running_marking(const tl_parser *p)
{
	const tl_portion *c = p->cur;

	if (c->errors || c->marking.malformed)
		return NULL;
	if (c->marked)
		return &c->marking;
	if (p->doc.banner.line && !p->doc.banner.marking.malformed &&
	    p->doc.banner.marking.level != TL_LEVEL_UNKNOWN)
		return &p->doc.banner.marking;
	return NULL;
}

/* Is the line a wrapped line of the open paragraph, where a parenthesized
 * word at its start is prose ("(c) sense that ...")?  A paragraph runs on
 * when no blank line came between and its last line left a sentence
 * open; a line that ends a sentence may end a paragraph (converted
 * documents hold one paragraph a line). */
static bool
running(const tl_parser *p)
{
	unsigned i;

	if (!p->in_portion || !p->open_sentence)
		return false;
	for (i = 0; i < p->ngap; i++)
		if (p->gap[i].role == TL_LINE_BLANK)
			return false;
	return true;
}

/* "(c)" after an item "(b)": the next letter of an enumeration, not a
 * CONFIDENTIAL mark.  s[i] is the '('. */
static bool
enumeration_next(const tl_parser *p, unsigned long line, const char *s,
    size_t n, size_t i)
{
	const char *prev;

	/* The item before may have ended with its line (mark-trailing). */
	if (p->cur == NULL || p->doc.portions == 0 ||
	    (!p->in_portion && p->cur->end_line + 1 != line) ||
	    i + 3 > n || s[i] != '(' || s[i + 2] != ')' ||
	    !tl_islower((unsigned char)s[i + 1]))
		return false;
	prev = p->cur->number;
	return prev[0] != '\0' && prev[1] == '\0' &&
	    (unsigned char)prev[0] + 1 == (unsigned char)s[i + 1];
}

/* A mark's text that could also be an enumeration's letter: one letter,
 * save the capital U (no list runs to a "(U)" item without the marks
 * reading it first). */
static bool
enumerator_like(const char *t)
{
	return tl_isalpha((unsigned char)t[0]) && t[1] == '\0' &&
	    t[0] != 'U';
}

/* A table row of a converted document: "| cell | cell |".  Rows follow
 * each other with no blank line; each is a portion of its own. */
static bool
table_row(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	return i < n && s[i] == '|';
}

/* A section banner with a portion mark on the same line:
 * "TOP SECRET//SI//REL TO USA, FVEY (S//REL) Tor Operation".  Returns
 * the offset of the mark's '(' and fills *b, or 0. */
static size_t
banner_then_mark(const char *s, size_t n, size_t from, tl_banner *b)
{
	size_t k;

	for (k = from + 1; k < n; k++) {
		if (s[k] != '(')
			continue;
		if (s[k - 1] != ' ' || !all_upper_words(s + from, k - from) ||
		    !tlp_parse_banner(s + from, k - from, b))
			return 0;
		b->col += col_at(s, from) - 1;
		return k;
	}
	return 0;
}

/* A short first word ending in '.' or ')' and then '(': maybe a label
 * and a mark ("a. (TS//SI)", "iv) (S)"), for the general path. */
static bool
short_word_then_paren(const char *s, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && j - i < 6 && !tl_isspace((unsigned char)s[j]))
		j++;
	if (j == i || j >= n || (s[j - 1] != '.' && s[j - 1] != ')'))
		return false;
	j = skip_ws(s, n, j);
	return j < n && s[j] == '(';
}

/* A table row whose first cell ends with "This Exhibit is X": the
 * statement of the table's marking after a caption.  Reads X into *b;
 * returns its offset, or 0. */
static size_t
exhibit_in_row(const char *s, size_t n, tl_banner *b)
{
	static const char lit[] = "This Exhibit is ";
	size_t i = skip_ws(s, n, 0), bar, at, end;

	if (i >= n || s[i] != '|')
		return 0;
	for (bar = i + 1; bar < n && s[bar] != '|'; bar++)
		;
	at = ifind(s + i, bar - i, lit);
	if (at >= bar - i)
		return 0;
	at = skip_ws(s, bar, i + at + sizeof lit - 1);
	end = rtrim(s, bar);
	if (at >= end || !tlp_parse_banner(s + at, end - at, b))
		return 0;
	return at;
}

/* A form's field label: "OFFICE OF ORIGIN: (U) F78", "| PURPOSE OF
 * VISIT: | (S//NF) ...".  Up to 60 bytes of words in capitals (a few
 * small letters allowed, "Date/TIME OF VISIT:"), digits and / & - . , '
 * before a colon.  Returns the offset after the colon, or 0. */
static size_t
field_label(const char *s, size_t n, size_t at)
{
	size_t i = skip_ws(s, n, at), j;
	unsigned upper = 0, lower = 0;

	for (j = i; j < n && j - i <= 60 && s[j] != ':'; j++) {
		unsigned char c = (unsigned char)s[j];
		if (tl_isupper(c))
			upper++;
		else if (tl_islower(c))
			lower++;
		else if (!tl_isdigit(c) && (c == '\0' ||
		    strchr(" /&-.,'", c) == NULL))
			return 0;
	}
	if (j >= n || s[j] != ':' || upper < 2 || upper < 3 * lower)
		return 0;
	return j + 1;
}

/* An agenda or table row whose first cells hold only a time or a label:
 * "| 0845 | (U//FOUO) Arrival | GH 2B |".  Returns the offset where the
 * row's mark may start (the next cell's first byte), or 0. */
static size_t
row_mark_cell(const char *s, size_t n, size_t from)
{
	size_t i = from, cells;

	for (cells = 0; cells < 2; cells++) {
		size_t j = skip_ws(s, n, i), k;
		if (j < n && s[j] == '(')
			return cells ? j : 0;
		if ((k = field_label(s, n, j)) == 0)
			for (k = j; k < n && k - j <= 12 &&
			    (tl_isdigit((unsigned char)s[k]) || s[k] == '-' ||
			    s[k] == '.' || s[k] == ':'); k++)
				;
		k = skip_ws(s, n, k);
		if (k >= n || s[k] != '|')
			return 0;
		i = k + 1;
	}
	i = skip_ws(s, n, i);
	return i < n && s[i] == '(' ? i : 0;
}

/* A mark that ends a portion's only line: "Section 2 - Definitions (U)",
 * "(a) Acquisition means ... party. (U)", the style of court and agency
 * documents that mark at the end.  A clean mark of the register only,
 * with text before it on the line; it becomes the portion's mark (po,
 * unless NULL) and the portion ends with the line.  Returns the mark's
 * offset, or 0. */
static size_t
trailing_mark(tl_parser *p, const char *s, size_t n, size_t from,
    tl_portion *po)
{
	size_t e = n, at, end;
	tl_portion t;
	char why[8];

	while (e > from && tl_isspace((unsigned char)s[e - 1]))
		e--;
	if (e < from + 4 || s[e - 1] != ')')
		return 0;
	for (at = e - 1; at > from && s[at] != '(' && e - at <= TL_MARK_MAX + 2;
	    at--)
		;
	if (s[at] != '(' || at <= from + 1 || s[at - 1] != ' ')
		return 0;
	if (skip_ws(s, n, from) >= at)
		return 0; /* nothing before the mark */
	memset(&t, 0, sizeof t);
	if (tlp_parse_mark(p, s, e, at, false, &t, &end, why, sizeof why) !=
	    MARK_OK || end != e || t.marking.level == TL_LEVEL_UNKNOWN ||
	    enumeration_letter(s, at, e - at - 2))
		return 0;
	if (po == NULL)
		return at;
	po->marking = t.marking;
	po->marked = true;
	po->mark_col = t.mark_col;
	memcpy(po->mark_text, t.mark_text, sizeof po->mark_text);
	return at;
}

/* Does line s[0..n) start a portion of its own (a lead, a label and a
 * mark, a mark, a table row)?  For the heading look-ahead. */
static bool
starts_portion(tl_parser *p, const char *s, size_t n)
{
	size_t from = markup_prefix(s, n), e, at;
	lead l;
	tl_portion t;
	char w[8], num[16];

	if (from >= n)
		from = 0;
	if (table_row(s, n) || parse_lead(s, n, from, &l))
		return true;
	memset(&t, 0, sizeof t);
	at = parse_label(s, n, from, num);
	if (at && tlp_parse_mark(p, s, n, at, true, &t, &e, w, sizeof w) != MARK_NONE)
		return true;
	memset(&t, 0, sizeof t);
	return may_open_mark(s, n, from) &&
	    tlp_parse_mark(p, s, n, from, false, &t, &e, w, sizeof w) != MARK_NONE;
}

tl_status
tlp_body_line(tl_parser *p, const linebuf *L)
{
	tl_portion *po;
	lead ld;
	mark_result mr;
	size_t mark_end = 0, from, at;
	char why[160];
	tl_banner b;
	bool numbered, row;

	/* A table that stated its marking ends at its last row. */
	if (p->in_exhibit && !table_row(L->s, L->n))
		tlp_scope_exhibit_end(p, L->number);
	/* A pending heading is decided by this line. */
	if (p->heading_pending) {
		bool gap = is_blank(L->s, L->n);
		tl_status st;
		if (gap || !L->complete) {
			if ((st = tlp_flush_heading(p, gap)) != TL_OK)
				return st;
		} else {
			bool starts = starts_portion(p, L->s, L->n);
			if ((st = tlp_flush_heading(p, starts || tlp_control_line(p, L->s, L->n, NULL, false))) != TL_OK)
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
		    (lower || p->ngap == 0 || p->open_sentence) &&
		    !short_word_then_paren(L->s, L->n, i)) {
			tl_status st = tlp_flush_gap(p, true);
			return st != TL_OK ? st : tlp_content(p, L);
		}
	}
	if (is_blank(L->s, L->n) && L->complete) {
		if (!p->in_portion)
			return tlp_emit_line(p, TL_LINE_BLANK, L->number, 0, L->s, L->n,
			    L->eol, L->eol_len, true, true);
		if (p->ngap == HOLD_LINES_MAX || L->n > HOLD_LINE_MAX) {
			tl_status st = tlp_flush_gap(p, false);
			if (st != TL_OK)
				return st;
			return tlp_emit_line(p, TL_LINE_BLANK, L->number, 0, L->s,
			    L->n, L->eol, L->eol_len, true, true);
		}
		return hold_line(p, &p->gap[p->ngap++], TL_LINE_BLANK, L->number,
		    L->s, L->n, L->eol_len);
	}
	/* The markup a converter puts before the text ("## ", "> ", "| ",
	 * "**"): leads, marks and banners are read after it. */
	from = markup_prefix(L->s, L->n);
	if (from >= L->n)
		from = 0;
	/* Stray SIPDIS (or other control words) and page-break lines, and
	 * repeated section banners ("# TOP SECRET//SI//NOFORN" at each page
	 * top): not content; inside a portion they wait in the gap. */
	if (L->complete && L->n <= HOLD_LINE_MAX) {
		tl_line_role role = TL_LINE_BODY;
		size_t cl;
		if (tlp_control_line(p, L->s, L->n, NULL, false)) {
			role = TL_LINE_STRAY;
			if (ifind(L->s, L->n, "SIPDIS") < L->n)
				p->doc.sipdis = true;
		} else if (is_page_break(L->s, L->n) ||
		    is_page_number(L->s, L->n)) {
			role = TL_LINE_STRAY;
		} else if (!L->nul && may_be_banner(L->s + from, L->n - from) &&
		    all_upper_words(L->s + from, L->n - from) &&
		    tlp_parse_banner(L->s + from, L->n - from, &b)) {
			/* A section banner, damaged ones ("E C R E T SECTION
			 * 02 OF 02") included: the redaction writer must be
			 * able to recompute it like any other banner.  Only
			 * the opening banner's damage is warned about. */
			role = TL_LINE_BANNER;
			b.line = L->number;
			b.col += col_at(L->s, from) - 1;
			b.at += from;
			tlp_body_banner(p, &b);
		} else if (!L->nul && (cl = tlp_classification_line(L->s, L->n)) > 0 &&
		    tlp_parse_banner(L->s + cl, L->n - cl, &b)) {
			/* "Overall Classification: ..." at a page's foot, "This
			 * Exhibit is SECRET//NOFORN" in a table's first cell. */
			role = TL_LINE_BANNER;
			b.line = L->number;
			b.at += cl;
			b.col = col_at(L->s, b.at);
			if (table_row(L->s, L->n))
				tlp_exhibit_banner(p, &b);
			else
				tlp_body_banner(p, &b);
		} else if (!L->nul && (cl = exhibit_in_row(L->s, L->n, &b)) > 0) {
			/* "| Budget Chart ... This Exhibit is SECRET//NOFORN |" */
			role = TL_LINE_BANNER;
			b.line = L->number;
			b.at = cl;
			b.col = col_at(L->s, b.at);
			tlp_exhibit_banner(p, &b);
		}
		if (role != TL_LINE_BODY) {
			if (!p->in_portion)
				return tlp_emit_line(p, role, L->number, 0, L->s, L->n,
				    L->eol, L->eol_len, true, true);
			if (p->ngap == HOLD_LINES_MAX) {
				tl_status st = tlp_flush_gap(p, false);
				if (st != TL_OK)
					return st;
				return tlp_emit_line(p, role, L->number, 0, L->s,
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
	 * tlp_parse_mark finds nothing unless the line has a lead or a '(' where
	 * a mark may start. */
	row = table_row(L->s, L->n);
	numbered = parse_lead(L->s, L->n, from, &ld);
	why[0] = '\0';
	mr = MARK_NONE;
	po = next_slot(p);
	if (!numbered && enumeration_next(p, L->number, L->s, L->n, ld.mark_at)) {
		/* "(c)" after "(b)": an item label, whatever letter. */
		ld.number[0] = L->s[ld.mark_at + 1];
		ld.numbered = numbered = true;
		ld.kind = TL_PORTION_ITEM;
		ld.mark_at += 3;
	}
	if (numbered || may_open_mark(L->s, L->n, ld.mark_at)) {
		memset(po, 0, sizeof *po);
		mr = tlp_parse_mark(p, L->s, L->n, ld.mark_at, numbered, po, &mark_end,
		    why, sizeof why);
	}
	if (!numbered && mr == MARK_NONE &&
	    (at = parse_label(L->s, L->n, from, ld.number)) != 0) {
		/* "1) (S/NF)", "II. (S)", "2.4. (TS//SI//NF)", "1 (TS//SI)" */
		memset(po, 0, sizeof *po);
		mr = tlp_parse_mark(p, L->s, L->n, at, false, po, &mark_end, why,
		    sizeof why);
		if (mr != MARK_NONE) {
			ld.numbered = numbered = true;
			ld.kind = tl_isdigit((unsigned char)ld.number[0]) &&
			    L->s[at - 1] != ')' ? TL_PORTION_PARAGRAPH :
			    TL_PORTION_ITEM;
			ld.mark_at = at;
		} else {
			ld.number[0] = '\0';
		}
	}
	if (!numbered && mr == MARK_NONE && !row &&
	    (at = field_label(L->s, L->n, from)) != 0 &&
	    (at = skip_ws(L->s, L->n, at)) < L->n && L->s[at] == '(') {
		/* "OFFICE OF ORIGIN: (U) F78 Chief of Staff": the label is
		 * the field's, the mark after it the line's. */
		memset(po, 0, sizeof *po);
		mr = tlp_parse_mark(p, L->s, L->n, at, false, po, &mark_end, why,
		    sizeof why);
		if (mr == MARK_OK) {
			ld.numbered = numbered = true;
			ld.mark_at = at;
		} else {
			mr = MARK_NONE;
		}
	}
	if (!numbered && mr == MARK_NONE && L->complete && !L->nul &&
	    (at = banner_then_mark(L->s, L->n, from, &b)) != 0) {
		/* "TOP SECRET//SI//REL TO USA, FVEY (S//REL) Tor": the banner
		 * is a section banner, the rest a portion with its mark. */
		memset(po, 0, sizeof *po);
		mr = tlp_parse_mark(p, L->s, L->n, at, false, po, &mark_end, why,
		    sizeof why);
		if (mr != MARK_NONE) {
			b.line = L->number;
			tlp_body_banner(p, &b);
			ld.numbered = numbered = true;
			ld.mark_at = at;
		}
	}
	/* A mark is a mark where a reader sees one: at the start of a
	 * paragraph, after its number, label or bullet.  At the start of a
	 * wrapped line of a running paragraph, a single letter that may be
	 * an enumerator ("(c) sense that", "(S)") is prose unless it keeps
	 * the paragraph's marking or raises it: a mark that would release
	 * what the paragraph withholds is not taken (fail closed).  A mark
	 * no prose writes, "(U//FOUO)", "(TS//SI)", "(U)", starts a portion
	 * (the one-paragraph-a-line style of converted documents). */
	if (mr != MARK_NONE && !numbered && !row && !md_heading(L->s, L->n) &&
	    running(p)) {
		const tl_marking *run = running_marking(p);
		if (mr != MARK_OK || (enumerator_like(po->mark_text) &&
		    (run == NULL || lowers(&po->marking, run)))) {
			tl_status st = tlp_diag(p, TL_SEV_WARNING, L->number,
			    po->mark_col, "mark-in-running-text", "\"(%s)\" at "
			    "the start of a wrapped line is read as text: as a "
			    "mark it would %s the running paragraph's marking",
			    po->mark_text, mr != MARK_OK ? "replace" : "lower");
			if (st != TL_OK)
				return st;
			mr = MARK_NONE;
		}
	}
	if (row && mr == MARK_NONE &&
	    (at = row_mark_cell(L->s, L->n, from)) != 0) {
		/* "| 0845 | (U//FOUO) Arrival |", "| 1. | (U) Added |": the
		 * time or number in the first cell is the row's label */
		memset(po, 0, sizeof *po);
		mr = tlp_parse_mark(p, L->s, L->n, at, false, po, &mark_end, why,
		    sizeof why);
		if (mr != MARK_NONE)
			ld.mark_at = at;
	}
	if (numbered || mr != MARK_NONE || row) {
		size_t tail = 0;
		if (!numbered && mr == MARK_NONE)
			memset(po, 0, sizeof *po); /* an unmarked row */
		if (numbered && mr == MARK_NONE && !row && L->complete) {
			memset(po, 0, sizeof *po);
			tail = trailing_mark(p, L->s, L->n, ld.mark_at, po);
		}
		portion_template(po, L, &ld, mark_end, numbered || mr != MARK_NONE ?
		    ld.kind : TL_PORTION_TEXT);
		if (!numbered && mr != MARK_NONE)
			po->col = po->mark_col;
		if (tail)
			return trailing_portion(p, L, &ld, po);
		return start_portion(p, L, &ld, po, mr, why);
	}

	/* Plain text: a continuation of the open portion, or a new one. */
	if (p->in_portion) {
		size_t i = skip_ws(L->s, L->n, 0);
		bool cont = p->ngap == 0 || p->open_sentence ||
		    starts_lower(L->s, L->n);
		/* A page's repeated header ("SUBJECT: ..." after a page break)
		 * is never the paragraph's text: it is the subject again,
		 * decided as the document's unmarked text. */
		if (tl_iprefix(L->s + i, L->n - i, "SUBJECT:") ||
		    tl_iprefix(L->s + i, L->n - i, "SUBJ:"))
			cont = false;
		if (cont) {
			tl_status st = tlp_flush_gap(p, true);
			if (st != TL_OK)
				return st;
			return tlp_content(p, L);
		}
	}
	memset(po, 0, sizeof *po);
	if (L->complete && !L->nul && trailing_mark(p, L->s, L->n, from, po)) {
		portion_template(po, L, &ld, 0, TL_PORTION_TEXT);
		po->col = col_at(L->s, skip_ws(L->s, L->n, from));
		return trailing_portion(p, L, &ld, po);
	}
	portion_template(po, L, &ld, 0, TL_PORTION_TEXT);
	return start_portion(p, L, &ld, po, MARK_NONE, why);
}

bool
tlp_starts_paragraph(tl_parser *p, const char *s, size_t n)
{
	return starts_portion(p, s, n);
}
