/*
 * mark.c: the marking grammar: one portion mark or banner classification
 * string into a tl_marking (level, controls, REL TO and DISPLAY ONLY
 * countries, FGI countries, declassification field), and back to its
 * canonical banner form.  The words are the register's (register.c);
 * this file knows only the shape: segments, the level first, lists.
 */
#include "register.h"

#include <stdio.h>
#include <string.h>

static const char *const level_names[TL_LEVEL_COUNT] = {
	[TL_LEVEL_UNKNOWN] = "UNKNOWN",
	[TL_LEVEL_UNCLASSIFIED] = "UNCLASSIFIED",
	[TL_LEVEL_CONFIDENTIAL] = "CONFIDENTIAL",
	[TL_LEVEL_SECRET] = "SECRET",
	[TL_LEVEL_TOP_SECRET] = "TOP SECRET",
	[TL_LEVEL_OFFICIAL] = "OFFICIAL",
	[TL_LEVEL_OFFICIAL_SENSITIVE] = "OFFICIAL-SENSITIVE",
	[TL_LEVEL_PROTECT] = "PROTECT",
	[TL_LEVEL_RESTRICTED] = "RESTRICTED",
};

const char *
tl_level_name(tl_level level)
{
	if ((unsigned)level >= TL_LEVEL_COUNT)
		return level_names[TL_LEVEL_UNKNOWN];
	return level_names[level];
}

/* Longest country name, in words ("UNITED KINGDOM OF GREAT BRITAIN AND
 * NORTHERN IRELAND"). */
#define COUNTRY_WORDS_MAX 8
/* Words and commas in one segment between slashes; a REL TO list of
 * TL_MARK_REL_MAX codes needs 2 + 2 * 32.  More fails closed. */
#define SEG_TOKENS_MAX 128
/* A phrase of joined words; longer than every form and country name. */
#define PHRASE_MAX 64

/* A form of the level namespace that names a level alone (not SBU, not
 * NATO SECRET: those are markings, a level with controls).  Exact and
 * case-insensitive, as written: "TOP SECRET", "TOPSECRET", "unclas". */
tl_level
tl_level_lookup(const char *name, size_t len)
{
	char key[PHRASE_MAX];
	reg_hit h;
	size_t i;

	if (name == NULL || len == 0 || len >= sizeof key)
		return TL_LEVEL_UNKNOWN;
	for (i = 0; i < len; i++) {
		if (name[i] == '\0')
			return TL_LEVEL_UNKNOWN;
		key[i] = (char)tl_toupper((unsigned char)name[i]);
	}
	key[len] = '\0';
	if (!tl_reg_find(REG_NS_LEVEL, key, &h) || h.e->marking)
		return TL_LEVEL_UNKNOWN;
	return h.e->level;
}

/* A word or a comma of the mark: bytes [off, off + len) of the text. */
typedef struct mtok {
	size_t off;
	size_t len;
	bool comma;
} mtok;

/* State of one tl_marking_parse call.  The first reason given wins. */
typedef struct mctx {
	const char *text;
	tl_marking *m;
	char *why;
	size_t whylen;
	bool said;
	bool nonus; /* the mark began with "//": a non-US level may follow */
} mctx;

static void vsay(mctx *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void say(mctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void bad(mctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The first reason given wins; later ones are dropped. */
static void
vsay(mctx *c, const char *fmt, va_list ap)
{
	if (c->said)
		return;
	c->said = true;
	if (c->why != NULL && c->whylen != 0)
		vsnprintf(c->why, c->whylen, fmt, ap);
}

static void
say(mctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(c, fmt, ap);
	va_end(ap);
}

/* Marks the marking malformed (it withholds) and gives the reason. */
static void
bad(mctx *c, const char *fmt, ...)
{
	va_list ap;

	c->m->malformed = true;
	va_start(ap, fmt);
	vsay(c, fmt, ap);
	va_end(ap);
}

static bool
tok_is(const mctx *c, const mtok *t, const char *lit)
{
	return !t->comma && tl_ieq(c->text + t->off, t->len, lit);
}

/*
 * Joins words t[i..i+k) upper-cased with single spaces into buf (size
 * PHRASE_MAX), truncating.  Returns false when a comma is in the range or
 * the phrase did not fit: such a phrase matches no form.
 */
static bool
phrase(const mctx *c, const mtok *t, unsigned i, unsigned k, char *buf)
{
	size_t n = 0, j;
	unsigned w;
	bool fit = true;

	for (w = i; w < i + k; w++) {
		if (t[w].comma)
			fit = false;
		if (w > i) {
			if (n + 1 < PHRASE_MAX)
				buf[n++] = ' ';
			else
				fit = false;
		}
		for (j = 0; j < t[w].len; j++) {
			if (n + 1 < PHRASE_MAX)
				buf[n++] = (char)tl_toupper(
				    (unsigned char)c->text[t[w].off + j]);
			else
				fit = false;
		}
	}
	buf[n] = '\0';
	return fit;
}

/* The longest phrase at t[i..n) that the register has in `ns`: its word
 * count, 0 when none. */
static unsigned
longest(const mctx *c, const mtok *t, unsigned n, unsigned i, reg_ns ns,
    reg_hit *hit)
{
	char buf[PHRASE_MAX];
	unsigned k, maxk = tl_reg_words_max(ns);

	if (maxk > n - i)
		maxk = n - i;
	for (k = maxk; k >= 1; k--)
		if (phrase(c, t, i, k, buf) && tl_reg_find(ns, buf, hit))
			return k;
	return 0;
}

static void
add_control(mctx *c, const char *name)
{
	tl_marking *m = c->m;

	if (m->ncontrols >= TL_MARK_CONTROLS_MAX) {
		bad(c, "more than %d controls", TL_MARK_CONTROLS_MAX);
		return;
	}
	tl_strlcpy(m->controls[m->ncontrols++], name, strlen(name),
	    TL_TOKEN_MAX);
}

/* The controls a register entry stands for: its canonical name, or the
 * controls of a form such as SBU-NF. */
static void
add_hit(mctx *c, const reg_hit *h)
{
	unsigned i;

	if (h->e->nexpand == 0) {
		add_control(c, h->name);
		return;
	}
	for (i = 0; i < h->e->nexpand; i++)
		add_control(c, h->e->expand[i]);
}

/* A country of a REL TO list (before the DISPLAY ONLY ones, which stay
 * last) or, with `display`, of a DISPLAY ONLY list. */
static void
add_rel(mctx *c, const char *code, bool display)
{
	tl_marking *m = c->m;
	unsigned at = display ? m->nrel : m->nrel - m->ndisplay;

	if (m->nrel >= TL_MARK_REL_MAX) {
		bad(c, "more than %d countries in the %s list",
		    TL_MARK_REL_MAX, display ? "DISPLAY ONLY" : "REL TO");
		return;
	}
	memmove(m->rel[at + 1], m->rel[at], (m->nrel - at) * sizeof m->rel[0]);
	tl_strlcpy(m->rel[at], code, strlen(code), sizeof m->rel[0]);
	m->nrel++;
	if (display)
		m->ndisplay++;
}

static void
add_fgi(mctx *c, const char *code)
{
	tl_marking *m = c->m;

	if (m->nfgi >= TL_MARK_FGI_MAX) {
		bad(c, "more than %d FGI or owner countries", TL_MARK_FGI_MAX);
		return;
	}
	tl_strlcpy(m->fgi[m->nfgi++], code, strlen(code), sizeof m->fgi[0]);
}

/* Keeps an unknown token (truncated to TL_TOKEN_MAX - 1 bytes).  Past
 * TL_MARK_UNKNOWN_MAX nothing is kept and the marking is malformed:
 * nunknown never exceeds the array. */
static void
add_unknown(mctx *c, const char *tok)
{
	tl_marking *m = c->m;

	if (m->nunknown >= TL_MARK_UNKNOWN_MAX) {
		bad(c, "more than %d unknown tokens", TL_MARK_UNKNOWN_MAX);
		return;
	}
	tl_strlcpy(m->unknown[m->nunknown++], tok, strlen(tok), TL_TOKEN_MAX);
}

/* Three letters, no control and no country the register knows: a
 * country code of a REL TO list that may be damaged or new. */
static bool
trigraph_like(const char *w)
{
	reg_hit h;

	return strlen(w) == 3 && tl_isupper((unsigned char)w[0]) &&
	    tl_isupper((unsigned char)w[1]) && tl_isupper((unsigned char)w[2]) &&
	    !tl_reg_find(REG_NS_CONTROL, w, &h);
}

/* Notes a country code of the list that no table knows (rel_unknown). */
static void
add_rel_unknown(mctx *c, const char *code)
{
	tl_marking *m = c->m;

	if (m->nrel_unknown >= TL_MARK_UNKNOWN_MAX) {
		bad(c, "more than %d unknown country codes", TL_MARK_UNKNOWN_MAX);
		return;
	}
	tl_strlcpy(m->rel_unknown[m->nrel_unknown++], code, strlen(code),
	    sizeof m->rel_unknown[0]);
}

/* An unknown word t[i]: kept, and named in the reason. */
static void
unknown_word(mctx *c, const mtok *t, unsigned i, const char *what)
{
	char buf[PHRASE_MAX];

	phrase(c, t, i, 1, buf);
	buf[TL_TOKEN_MAX - 1] = '\0';
	say(c, "unknown %s \"%s\"", what, buf);
	add_unknown(c, buf);
}

/* The country code t[i] is, written as a code (three or four letters or
 * digits that are themselves a code: "DEU", "NATO", "ISAF"); NULL for a
 * name, a two-letter code or anything else. */
static const char *
code_at(const mctx *c, const mtok *t, unsigned i)
{
	char buf[8];
	const char *code;
	size_t j;

	if (t[i].comma || t[i].len < 3 || t[i].len > 4)
		return NULL;
	for (j = 0; j < t[i].len; j++)
		buf[j] = (char)tl_toupper((unsigned char)c->text[t[i].off + j]);
	buf[j] = '\0';
	code = tl_country_code(buf, j);
	return code != NULL && strcmp(code, buf) == 0 ? code : NULL;
}

/* Country codes from t[i], separated by blanks or commas ("FGI DEU GBR",
 * "JOINT S CAN, GBR"), into fgi: returns the index after them. */
static unsigned
code_list(mctx *c, const mtok *t, unsigned n, unsigned i)
{
	const char *code;

	while (i < n) {
		if (t[i].comma && i + 1 < n && code_at(c, t, i + 1) != NULL) {
			i++;
			continue;
		}
		if ((code = code_at(c, t, i)) == NULL)
			break;
		add_fgi(c, code);
		i++;
	}
	return i;
}

/*
 * One comma-separated chunk t[a..b) of a REL list: "USA", "SAUDI ARABIA",
 * "AND QATAR", "JORDAN AND QATAR", "TRINIDAD AND TOBAGO".  Country names
 * are matched longest first, so an AND inside a name stays in it; any
 * other AND separates two countries.  A chunk that is only "AND" is
 * Andorra's trigraph.  A two-letter code is taken only when it stands
 * alone between separators, and never when it is also a control (NF is
 * Norfolk Island and NOFORN): reading NOFORN as a country would release.
 */
static void
rel_chunk(mctx *c, const mtok *t, unsigned a, unsigned b, const char *kw,
    bool display)
{
	char buf[PHRASE_MAX];
	const char *code;
	unsigned p = a, q, k, maxk;
	bool item_start = true, alone;
	reg_hit h;

	if (b - a == 1 && tok_is(c, &t[a], "AND")) {
		add_rel(c, "AND", display);
		return;
	}
	while (p < b) {
		if (tok_is(c, &t[p], "AND")) {
			if (p + 1 >= b) {
				bad(c, "%s list ends with \"AND\"", kw);
				return;
			}
			if (item_start && p != a)
				bad(c, "empty item in the %s list", kw);
			item_start = true;
			p++;
			continue;
		}
		code = NULL;
		maxk = b - p < COUNTRY_WORDS_MAX ? b - p : COUNTRY_WORDS_MAX;
		for (k = maxk; k >= 1 && code == NULL; k--) {
			if (!phrase(c, t, p, k, buf))
				continue;
			if (k == 1 && t[p].len <= 2) {
				alone = item_start && (p + 1 == b ||
				    tok_is(c, &t[p + 1], "AND"));
				if (!alone)
					continue;
			}
			code = tl_country_code(buf, strlen(buf));
			if (code != NULL)
				break;
		}
		if (code != NULL) {
			if (k == 1 && t[p].len <= 2 &&
			    tl_reg_find(REG_NS_CONTROL, buf, &h)) {
				bad(c, "\"%s\" in the %s list is both a "
				    "country code and a control", buf, kw);
				p++;
			} else {
				add_rel(c, code, display);
				p += k;
			}
			item_start = false;
			continue;
		}
		/* Unknown: everything up to the next separating AND. */
		for (q = p + 1; q < b; q++)
			if (tok_is(c, &t[q], "AND") && q + 1 < b)
				break;
		phrase(c, t, p, q - p, buf);
		buf[TL_TOKEN_MAX - 1] = '\0';
		if (q == p + 1 && trigraph_like(buf)) {
			/* "CBR" (an OCR'd GBR): kept in the list, where a
			 * decision lets it admit nobody (rel_unknown). */
			say(c, "country code \"%s\" in the %s list is not "
			    "known: it admits no reader", buf, kw);
			add_rel(c, buf, display);
			add_rel_unknown(c, buf);
		} else {
			say(c, "unknown country \"%s\" in the %s list", buf,
			    kw);
			add_unknown(c, buf);
		}
		p = q;
		item_start = false;
	}
}

/*
 * The list after a REL TO or DISPLAY ONLY form (`h`, of `k` words, at
 * t[i - k]): consumes the rest of the segment.  A bare "REL" with
 * nothing after it in its segment is the banner's list (rel_banner).
 * Returns n.
 */
static unsigned
country_list(mctx *c, const mtok *t, unsigned n, unsigned i,
    const reg_hit *h, unsigned k)
{
	bool display = h->e->list == REG_LIST_DISPLAY;
	char kw[PHRASE_MAX];
	unsigned j;

	phrase(c, t, i - k, k, kw);
	if (display) {
		if (c->m->ndisplay > 0)
			bad(c, "more than one DISPLAY ONLY list");
	} else {
		if (c->m->rel_to)
			bad(c, "more than one REL TO list");
		c->m->rel_to = true;
		c->m->rel_to_form = k > 1;
	}
	if (i >= n) {
		if (!display && k == 1)
			c->m->rel_banner = true;
		else
			bad(c, "%s without countries", kw);
		return n;
	}
	for (;;) {
		for (j = i; j < n && !t[j].comma; j++)
			continue;
		if (j == i)
			bad(c, "empty item in the %s list", kw);
		else
			rel_chunk(c, t, i, j, kw, display);
		if (j >= n)
			break;
		i = j + 1;
		if (i >= n) {
			bad(c, "%s list ends with \",\"", kw);
			break;
		}
	}
	return n;
}

/* "<country> EYES ONLY" at t[i]: returns the words used, 0 if none, and
 * the control name in buf ("UK EYES ONLY" for the UK, else "AUS EYES
 * ONLY"). */
static unsigned
eyes_only(const mctx *c, const mtok *t, unsigned n, unsigned i, char *buf)
{
	const char *code;
	unsigned k;

	for (k = 3; k >= 1; k--) {
		if (i + k + 2 > n || !tok_is(c, &t[i + k], "EYES") ||
		    !tok_is(c, &t[i + k + 1], "ONLY"))
			continue;
		if (!phrase(c, t, i, k, buf))
			continue;
		code = tl_country_code(buf, strlen(buf));
		if (code == NULL)
			continue;
		if (strcmp(code, "GBR") == 0)
			code = "UK";
		snprintf(buf, PHRASE_MAX, "%s EYES ONLY", code);
		return k + 2;
	}
	return 0;
}

/*
 * Controls and lists in t[i..n) of one segment.  A comma may separate
 * two controls ("OC,NF"), never follow the level ("C, NF").
 */
static void
controls(mctx *c, const mtok *t, unsigned n, unsigned i)
{
	char buf[PHRASE_MAX];
	bool item = false;
	unsigned k;
	reg_hit h;

	while (i < n) {
		if (t[i].comma) {
			if (!item || i + 1 >= n || t[i + 1].comma)
				bad(c, "\",\" outside a REL TO list");
			item = false;
			i++;
			continue;
		}
		item = true;
		if ((k = eyes_only(c, t, n, i, buf)) != 0) {
			add_control(c, buf);
			i += k;
			continue;
		}
		if ((k = longest(c, t, n, i, REG_NS_CONTROL, &h)) == 0) {
			unknown_word(c, t, i, "control");
			i++;
			continue;
		}
		i += k;
		switch (h.e->list) {
		case REG_LIST_REL:
		case REG_LIST_DISPLAY:
			if (h.e->list == REG_LIST_DISPLAY)
				add_hit(c, &h);
			i = country_list(c, t, n, i, &h, k);
			break;
		case REG_LIST_FGI:
		case REG_LIST_JOINT:
			add_hit(c, &h);
			i = code_list(c, t, n, i);
			break;
		case REG_LIST_NONE:
			add_hit(c, &h);
			break;
		}
	}
}

/* Stores key in level_token without its spaces. */
static void
set_level_token(tl_marking *m, const char *key)
{
	size_t n = 0;

	for (; *key != '\0' && n + 1 < sizeof m->level_token; key++)
		if (*key != ' ')
			m->level_token[n++] = *key;
	m->level_token[n] = '\0';
}

/*
 * A level at t[p..n) (p < n): spaced letters ("S E C R E T"), then whole
 * words longest first ("TOP SECRET", "COSMIC TOP SECRET", "UK TOP
 * SECRET"), then the last word cut at a hyphen ("S-NF", "TOP SECRET-NF":
 * the rest of the word becomes the next token).  On success sets the
 * level, level_token and the marking's controls, stores in *next the
 * index of the first token after the level and returns true.
 */
static bool
level_at(mctx *c, mtok *t, unsigned n, unsigned p, unsigned *next)
{
	char buf[PHRASE_MAX], key[PHRASE_MAX];
	unsigned run, k, maxk, start = 0;
	bool found = false;
	size_t d, cut;
	reg_hit h;

	memset(&h, 0, sizeof h);

	/* Spaced letters: four or more one-letter words. */
	for (run = p; run < n && run - p + 1 < PHRASE_MAX && !t[run].comma &&
	    t[run].len == 1 && tl_isalpha((unsigned char)c->text[t[run].off]);
	    run++)
		continue;
	for (k = run - p; k >= 4 && !found; k--) {
		for (d = 0; d < k; d++)
			key[d] = (char)tl_toupper(
			    (unsigned char)c->text[t[p + d].off]);
		key[k] = '\0';
		if ((found = tl_reg_find(REG_NS_LEVEL, key, &h)))
			start = p + k;
	}
	maxk = tl_reg_words_max(REG_NS_LEVEL);
	if (maxk > n - p)
		maxk = n - p;
	for (k = maxk; k >= 1 && !found; k--) {
		if (!phrase(c, t, p, k, key))
			continue;
		if ((found = tl_reg_find(REG_NS_LEVEL, key, &h))) {
			start = p + k;
			break;
		}
		for (d = t[p + k - 1].len; d-- > 1;) {
			if (c->text[t[p + k - 1].off + d] != '-')
				continue;
			cut = strlen(key) - (t[p + k - 1].len - d);
			memcpy(buf, key, cut);
			buf[cut] = '\0';
			if (!tl_reg_find(REG_NS_LEVEL, buf, &h))
				continue;
			found = true;
			memcpy(key, buf, cut + 1);
			/* The rest of the word is the first control. */
			t[p + k - 1].off += d + 1;
			t[p + k - 1].len -= d + 1;
			start = p + k - 1;
			if (t[p + k - 1].len == 0) {
				bad(c, "nothing after \"-\"");
				start = p + k;
			}
			break;
		}
	}
	if (!found)
		return false;
	c->m->level = h.e->level;
	set_level_token(c->m, key);
	for (k = 0; k < h.e->nexpand; k++)
		add_control(c, h.e->expand[k]);
	*next = start;
	return true;
}

/*
 * The first segment, t[0..n) (n > 0): a level, then possibly controls
 * after a space or a hyphen ("C NF", "S-NF", "SECRET NOFORN", "TOP
 * SECRET STRAP1 COMINT").  Also the non-US forms: "JOINT S CAN GBR USA"
 * (a level owned jointly: control JOINT, the owners in fgi) and, after a
 * leading "//", "GBR S" (a level of that country: control FGI).
 */
static void
first_segment(mctx *c, mtok *t, unsigned n)
{
	const reg_entry *joint = tl_reg_list_entry(REG_LIST_JOINT);
	const reg_entry *fgi = tl_reg_list_entry(REG_LIST_FGI);
	const char *owner = NULL;
	char key[PHRASE_MAX];
	unsigned start = 0, p = 0;
	bool found;

	if (joint != NULL && n > 1 && phrase(c, t, 0, 1, key) &&
	    strcmp(key, joint->name) == 0)
		p = 1;
	found = level_at(c, t, n, p, &start);
	if (!found && p == 0 && c->nonus && fgi != NULL && n > 1 &&
	    (owner = code_at(c, t, 0)) != NULL)
		found = level_at(c, t, n, 1, &start);
	if (!found) {
		if (t[p].comma) {
			bad(c, "no classification level before \",\"");
		} else {
			phrase(c, t, p, 1, key);
			key[TL_TOKEN_MAX - 1] = '\0';
			bad(c, "\"%s\" is not a classification level", key);
		}
		set_level_token(c->m, t[p].comma ? "" : key);
		controls(c, t, n, p + 1);
		return;
	}
	if (p == 1) {
		add_control(c, joint->name);
		start = code_list(c, t, n, start);
	} else if (owner != NULL) {
		add_control(c, fgi->name);
		add_fgi(c, owner);
	}
	/* "S - NF": a lone hyphen between level and control. */
	if (start < n && tok_is(c, &t[start], "-")) {
		if (++start >= n)
			bad(c, "nothing after \"-\"");
	}
	controls(c, t, n, start);
}

/* A valid date written YYYYMMDD. */
static bool
is_date(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int y = 0, m, d, i;

	for (i = 0; i < 8; i++)
		if (!tl_isdigit((unsigned char)s[i]))
			return false;
	if (s[8] != '\0')
		return false;
	for (i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	d = (s[6] - '0') * 10 + (s[7] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
}

/* The last segment of a banner as its declassification field: a date
 * (20320108) or a form of the register (25X1, 25X1-HUMAN, MR), and not
 * a control.  Stores it in declass; false when it is none. */
static bool
declass_field(mctx *c, const mtok *t, unsigned n)
{
	char buf[PHRASE_MAX];
	reg_hit h;

	if (n > tl_reg_words_max(REG_NS_DECLASS) && n > 1)
		return false;
	if (!phrase(c, t, 0, n, buf) || tl_reg_find(REG_NS_CONTROL, buf, &h))
		return false;
	if (!is_date(buf) && !tl_reg_find(REG_NS_DECLASS, buf, &h))
		return false;
	tl_strlcpy(c->m->declass, buf, strlen(buf), sizeof c->m->declass);
	return true;
}

/* Splits text[a..b) into words and commas.  Returns the count, or
 * SEG_TOKENS_MAX + 1 when there are more than fit. */
static unsigned
tokenize(const char *text, size_t a, size_t b, mtok *t)
{
	unsigned n = 0;
	size_t p = a, q;

	while (p < b) {
		if (tl_isspace((unsigned char)text[p])) {
			p++;
			continue;
		}
		if (n >= SEG_TOKENS_MAX)
			return SEG_TOKENS_MAX + 1;
		if (text[p] == ',') {
			t[n].off = p;
			t[n].len = 1;
			t[n++].comma = true;
			p++;
			continue;
		}
		for (q = p; q < b && (tl_isalpha((unsigned char)text[q]) ||
		    tl_isdigit((unsigned char)text[q]) || text[q] == '-'); q++)
			continue;
		t[n].off = p;
		t[n].len = q - p;
		t[n++].comma = false;
		p = q;
	}
	return n;
}

/*
 * The grammar (markings.md, "Portion marks"; tearline-register(5)):
 * segments split by "/" or "//"; the first holds the level, optionally
 * followed after a blank or a hyphen by controls ("C NF", "S-NF"); later
 * segments hold controls, commas between them ("OC,NF"), and at most one
 * REL TO and one DISPLAY ONLY list, each running to the end of its
 * segment.  A mark may open with "//" before a non-US level ("//GBR S",
 * "//NATO SECRET"), and a banner may end with its declassification field
 * ("//20320108", "//25X1").  Case and blanks do not matter; anything but
 * letters, digits, blanks, "/", "-" and "," makes the whole mark
 * malformed at once.  Choices the header leaves open:
 * - level_token is the level as written, upper case, spaces removed
 *   ("TOPSECRET", "SBU", "NATOSECRET"); it is empty when the first
 *   segment is empty.  It reads back through the grammar as the same
 *   level.
 * - Duplicated controls are stored as written ("S/NF/NF" has NOFORN
 *   twice), so that audit can report them; the status is still TL_OK.
 * - Overflow fails closed: a 13th control, a 33rd country, a 17th FGI
 *   country or a 5th unknown token is not stored and sets malformed; the
 *   counts never exceed the arrays.  Unknown tokens are truncated to 31
 *   bytes.
 * - In a REL list a two-letter code is read only when it stands alone
 *   between commas/AND, and never when it is also a control (NF, SI, TK,
 *   PR, RS): that is malformed.  Anything else unreadable is an unknown
 *   token, never dropped.
 * - The first reason found is the one given in `why`.
 */
tl_status
tl_marking_parse(const char *text, size_t len, tl_marking *out, char *why,
    size_t whylen)
{
	mtok t[SEG_TOKENS_MAX];
	mctx c;
	size_t i, a, b;
	unsigned n, seg;
	bool first = true;
	int ch;

	tl_reg_init();
	memset(out, 0, sizeof *out);
	memset(&c, 0, sizeof c);
	c.text = text;
	c.m = out;
	c.why = why;
	c.whylen = whylen;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (text == NULL)
		len = 0;

	/* Letters, digits, blanks, slashes, hyphens and commas only:
	 * anything else is not a mark we can trust. */
	for (i = 0; i < len; i++) {
		ch = (unsigned char)text[i];
		if (tl_isalpha(ch) || tl_isdigit(ch) || ch == ' ' ||
		    ch == '\t' || ch == '/' || ch == '-' || ch == ',')
			continue;
		if (ch > ' ' && ch < 0x7f)
			bad(&c, "unexpected character \"%c\" in mark", ch);
		else
			bad(&c, "unexpected byte 0x%02X in mark", (unsigned)ch);
		return TL_ESYNTAX;
	}

	/* Segments between "/" or "//". */
	for (a = 0, seg = 0;; seg++) {
		for (b = a; b < len && text[b] != '/'; b++)
			continue;
		n = tokenize(text, a, b, t);
		if (n > SEG_TOKENS_MAX) {
			bad(&c, "more than %d words between slashes",
			    SEG_TOKENS_MAX);
			first = false;
		} else if (n == 0) {
			if (seg == 0 && b + 1 < len && text[b + 1] == '/') {
				/* "//GBR S", "//NATO SECRET": non-US. */
				c.nonus = true;
			} else if (first) {
				bad(&c, c.nonus ? "no classification level "
				    "after \"//\"" : b < len ? "no "
				    "classification level before \"/\"" :
				    "empty mark");
				first = false;
			} else if (b == len) {
				bad(&c, "nothing after the last \"/\"");
			} else {
				bad(&c, "empty segment between \"/\" "
				    "separators");
			}
		} else if (first) {
			first_segment(&c, t, n);
			first = false;
		} else if (b < len || !declass_field(&c, t, n)) {
			controls(&c, t, n, 0);
		}
		if (b >= len)
			break;
		a = b + 1;
		if (a < len && text[a] == '/')
			a++;
	}

	/* A clean marking always has a level. */
	if (out->level == TL_LEVEL_UNKNOWN && !out->malformed)
		bad(&c, "no classification level");
	if (!out->malformed && out->nunknown == 0 && out->nrel_unknown == 0)
		return TL_OK;
	if (!c.said)
		say(&c, "malformed mark");
	return TL_ESYNTAX;
}

/* Bounded length: hand-built markings may lack a NUL. */
static size_t
blen(const char *s, size_t max)
{
	const char *z = memchr(s, '\0', max);

	return z ? (size_t)(z - s) : max;
}

static bool
beq(const char *s, size_t max, const char *lit)
{
	size_t n = blen(s, max);

	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

bool
tl_marking_has(const tl_marking *m, const char *name)
{
	unsigned i;

	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		if (beq(m->controls[i], TL_TOKEN_MAX, name))
			return true;
	return false;
}

bool
tl_marking_add_control(tl_marking *m, const char *name)
{
	if (tl_marking_has(m, name))
		return true;
	if (m->ncontrols >= TL_MARK_CONTROLS_MAX) {
		/* A control that cannot be held must not be lost: the
		 * marking can no longer be read, and what it governs is
		 * withheld. */
		m->malformed = true;
		return false;
	}
	tl_strlcpy(m->controls[m->ncontrols++], name, strnlen(name,
	    TL_TOKEN_MAX), TL_TOKEN_MAX);
	return true;
}

/* Output with snprintf's contract: counts everything, stores what fits. */
typedef struct fmtout {
	char *buf;
	size_t size;
	size_t n;
} fmtout;

static void
put(fmtout *o, const char *s, size_t len)
{
	size_t room;

	if (o->size > 0 && o->n < o->size - 1) {
		room = o->size - 1 - o->n;
		memcpy(o->buf + o->n, s, len < room ? len : room);
	}
	o->n += len;
}

static void
puts0(fmtout *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Sort key of a country code: USA (with `usa`), then trigraphs, then
 * the rest. */
static int
rel_cmp(const char *a, const char *b, bool usa)
{
	size_t la = blen(a, 8), lb = blen(b, 8);
	int ra = usa && beq(a, 8, "USA") ? 0 : la == 3 ? 1 : 2;
	int rb = usa && beq(b, 8, "USA") ? 0 : lb == 3 ? 1 : 2;
	int d;

	if (ra != rb)
		return ra - rb;
	d = memcmp(a, b, la < lb ? la : lb);
	if (d != 0)
		return d;
	return la < lb ? -1 : la > lb;
}

/* How put_codes orders a list. */
enum { CODES_ALPHA, CODES_USA_FIRST, CODES_REL_TO };

/* Codes v[0..n) sorted by rel_cmp, each once, separated by `sep`: FGI
 * and JOINT lists in alphabetical order, trigraphs first; DISPLAY ONLY
 * with USA first; a REL TO list with USA first whether written or not. */
static void
put_codes(fmtout *o, const char (*v)[8], unsigned n, int how,
    const char *sep)
{
	const char *sorted[TL_MARK_REL_MAX + 1];
	const char *tmp;
	bool usa = how != CODES_ALPHA;
	unsigned k = 0, i, j;

	if (how == CODES_REL_TO)
		sorted[k++] = "USA";
	for (i = 0; i < n; i++) {
		if (blen(v[i], sizeof v[i]) == 0)
			continue;
		for (j = 0; j < k; j++)
			if (rel_cmp(sorted[j], v[i], usa) == 0)
				break;
		if (j == k)
			sorted[k++] = v[i];
	}
	/* Insertion sort: at most 33 entries. */
	for (i = 1; i < k; i++)
		for (j = i; j > 0 && rel_cmp(sorted[j - 1], sorted[j], usa) > 0;
		    j--) {
			tmp = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = tmp;
		}
	for (i = 0; i < k; i++) {
		if (i > 0)
			puts0(o, sep);
		put(o, sorted[i], blen(sorted[i], 8));
	}
}

/* One thing a canonical banner writes after the level. */
typedef struct fitem {
	reg_cat cat;
	unsigned order;
	unsigned seq;     /* written order, the last tie-break */
	int control;      /* index into controls, or ITEM_REL */
} fitem;
#define ITEM_REL (-1)

/* Where a control goes in a canonical banner: by its register entry,
 * "<country> EYES ONLY" with UK EYES ONLY, anything else last. */
static void
rank_control(const char *name, size_t len, fitem *it)
{
	static const char eyes[] = " EYES ONLY";
	size_t ne = sizeof eyes - 1;

	if (tl_reg_control_rank(name, len, &it->cat, &it->order))
		return;
	if (len > ne && memcmp(name + len - ne, eyes, ne) == 0 &&
	    tl_reg_control_rank("UK EYES ONLY", 12, &it->cat, &it->order))
		return;
	it->cat = REG_CAT_LAST;
	it->order = 0;
}

static bool
item_before(const fitem *a, const fitem *b)
{
	if (a->cat != b->cat)
		return a->cat < b->cat;
	if (a->order != b->order)
		return a->order < b->order;
	return a->seq < b->seq;
}

/*
 * The canonical banner form: level name, then the controls by register
 * category (SCI, SAP, AEA, non-US, FGI, dissemination, non-IC, caveats,
 * CUI, others), "/" within a category and "//" between, each control
 * once; controls the register does not know come last, in written order.
 * FGI and JOINT carry their countries ("FGI DEU GBR"), DISPLAY ONLY its
 * list.  A REL TO list is written whenever rel_to is set or REL TO
 * countries are present, with USA even when not written; a bare REL is
 * "REL".  The declassification field comes last.  Unknown tokens are not
 * written.  Reads at most the array bounds of `m`, so a hand-built
 * marking without NULs or with large counts is safe.
 */
size_t
tl_marking_format(const tl_marking *m, char *buf, size_t size)
{
	static const tl_marking zero;
	const reg_entry *fgi, *joint, *disp, *rel;
	fitem items[TL_MARK_CONTROLS_MAX + 1], tmp;
	fmtout o = { buf, size, 0 };
	unsigned i, j, nc, nrel, ndisp, nfgi, nit = 0;
	const char *name;
	size_t len;
	bool codes_done = false;
	reg_cat cat = REG_CAT_NONE;

	if (m == NULL)
		m = &zero;
	tl_reg_init();
	fgi = tl_reg_list_entry(REG_LIST_FGI);
	joint = tl_reg_list_entry(REG_LIST_JOINT);
	disp = tl_reg_list_entry(REG_LIST_DISPLAY);
	rel = tl_reg_list_entry(REG_LIST_REL);
	nc = m->ncontrols < TL_MARK_CONTROLS_MAX ? m->ncontrols :
	    TL_MARK_CONTROLS_MAX;
	nrel = m->nrel < TL_MARK_REL_MAX ? m->nrel : TL_MARK_REL_MAX;
	ndisp = m->ndisplay < nrel ? m->ndisplay : nrel;
	nfgi = m->nfgi < TL_MARK_FGI_MAX ? m->nfgi : TL_MARK_FGI_MAX;

	for (i = 0; i < nc; i++) {
		len = blen(m->controls[i], TL_TOKEN_MAX);
		if (len == 0)
			continue;
		for (j = 0; j < i; j++)
			if (blen(m->controls[j], TL_TOKEN_MAX) == len &&
			    memcmp(m->controls[j], m->controls[i], len) == 0)
				break;
		if (j < i)
			continue;
		rank_control(m->controls[i], len, &items[nit]);
		items[nit].seq = i;
		items[nit++].control = (int)i;
	}
	if (m->rel_to || nrel > ndisp) {
		items[nit].cat = rel ? rel->cat : REG_CAT_DISSEM;
		items[nit].order = rel ? rel->order : 0;
		items[nit].seq = 0;
		items[nit++].control = ITEM_REL;
	}
	/* Insertion sort: at most 13 items. */
	for (i = 1; i < nit; i++)
		for (j = i; j > 0 && item_before(&items[j], &items[j - 1]); j--) {
			tmp = items[j];
			items[j] = items[j - 1];
			items[j - 1] = tmp;
		}

	puts0(&o, tl_level_name(m->level));
	for (i = 0; i < nit; i++) {
		puts0(&o, cat == items[i].cat ? "/" : "//");
		cat = items[i].cat;
		if (items[i].control == ITEM_REL) {
			if (m->rel_banner && nrel == ndisp) {
				puts0(&o, "REL");
			} else {
				puts0(&o, "REL TO ");
				put_codes(&o, m->rel, nrel - ndisp, CODES_REL_TO,
				    ", ");
			}
			continue;
		}
		name = m->controls[items[i].control];
		len = blen(name, TL_TOKEN_MAX);
		put(&o, name, len);
		if (disp && beq(name, TL_TOKEN_MAX, disp->name) && ndisp > 0) {
			puts0(&o, " ");
			put_codes(&o, m->rel + (nrel - ndisp), ndisp,
			    CODES_USA_FIRST, ", ");
		}
		/* The countries go with JOINT when there is one, else FGI. */
		if (nfgi > 0 && !codes_done && ((joint && beq(name,
		    TL_TOKEN_MAX, joint->name)) || (fgi && beq(name,
		    TL_TOKEN_MAX, fgi->name) && !(joint &&
		    tl_marking_has(m, joint->name))))) {
			puts0(&o, " ");
			put_codes(&o, m->fgi, nfgi, CODES_ALPHA, " ");
			codes_done = true;
		}
	}
	if (blen(m->declass, sizeof m->declass) > 0) {
		puts0(&o, "//");
		put(&o, m->declass, blen(m->declass, sizeof m->declass));
	}
	if (size > 0)
		buf[o.n < size ? o.n : size - 1] = '\0';
	return o.n;
}

/* ---------------------------------------------------------------------
 * Masking: a mark as it may be shown where the text it stands in may not
 * ------------------------------------------------------------------- */

/* Words that join the register's forms ("REL TO USA AND GBR", "UK EYES
 * ONLY"): shown, since alone they say nothing of a document. */
static bool
glue_word(const char *w)
{
	return strcmp(w, "TO") == 0 || strcmp(w, "AND") == 0 ||
	    strcmp(w, "OF") == 0 || strcmp(w, "EYES") == 0 ||
	    strcmp(w, "ONLY") == 0;
}

/* True when the upper-case phrase `p` is a form of the register (a
 * level, control, declassification field or country) or a country the
 * country table knows. */
static bool
vocabulary(const char *p)
{
	reg_hit hit;
	unsigned ns;

	for (ns = 0; ns < REG_NS_COUNT; ns++)
		if (tl_reg_find((reg_ns)ns, p, &hit))
			return true;
	return tl_country_code(p, strlen(p)) != NULL ||
	    tl_level_lookup(p, strlen(p)) != TL_LEVEL_UNKNOWN;
}

static bool
mask_sep(int c)
{
	return c == ' ' || c == '\t' || c == '/' || c == ',' || c == '(' ||
	    c == ')';
}

#define MASK_WORDS_MAX 8 /* words one phrase of the register may have */

size_t
tl_marking_mask(const char *text, size_t len, char *buf, size_t size)
{
	fmtout o = { buf, size, 0 };
	size_t i = 0, start[MASK_WORDS_MAX], end[MASK_WORDS_MAX], j;
	unsigned maxk = 1, ns, n, k;
	char p[PHRASE_MAX];

	tl_reg_init();
	for (ns = 0; ns < REG_NS_COUNT; ns++)
		if (tl_reg_words_max((reg_ns)ns) > maxk)
			maxk = tl_reg_words_max((reg_ns)ns);
	if (maxk > MASK_WORDS_MAX)
		maxk = MASK_WORDS_MAX;
	if (text == NULL)
		len = 0;
	while (i < len) {
		if (mask_sep((unsigned char)text[i])) {
			put(&o, text + i, 1);
			i++;
			continue;
		}
		/* The words from here that only blanks separate: a phrase
		 * of the register never spans "/" or ",". */
		for (n = 0, j = i; n < maxk && j < len;) {
			start[n] = j;
			while (j < len && !mask_sep((unsigned char)text[j]))
				j++;
			end[n++] = j;
			while (j < len && (text[j] == ' ' || text[j] == '\t'))
				j++;
			if (j >= len || mask_sep((unsigned char)text[j]))
				break;
		}
		for (k = n; k >= 1; k--) {
			size_t m = 0, w, c;
			bool fit = true;
			for (w = 0; w < k && fit; w++) {
				if (w > 0 && m + 1 < sizeof p)
					p[m++] = ' ';
				for (c = start[w]; c < end[w] && fit; c++) {
					/* Forms are written in capitals; a
					 * word in lower case is prose ("is",
					 * "at" are also country codes). */
					if (m + 1 >= sizeof p ||
					    tl_islower((unsigned char)text[c]))
						fit = false;
					else
						p[m++] = (char)tl_toupper(
						    (unsigned char)text[c]);
				}
			}
			p[m] = '\0';
			if (fit && (vocabulary(p) || (k == 1 && glue_word(p))))
				break;
		}
		if (k >= 1) { /* shown as written */
			put(&o, text + i, end[k - 1] - i);
			i = end[k - 1];
		} else { /* one word that the register does not have */
			put(&o, "?", 1);
			i = end[0];
		}
	}
	if (size > 0)
		buf[o.n < size ? o.n : size - 1] = '\0';
	return o.n;
}

/* ---------------------------------------------------------------------
 * What a copy, a log or a summary may show of a mark
 * ------------------------------------------------------------------- */

static bool
quote_opens(const char *s, size_t i)
{
	return (s[i] == '\'' || s[i] == '"') && (i == 0 || s[i - 1] == ' ' ||
	    s[i - 1] == '(');
}

/*
 * A reason as the stats may show it.  A decision's reason is made of the
 * policy's names, the reader's attributes, canonical codes and numbers,
 * and, in quotes, what the document's marks say: "mark 'S//REL' cannot
 * be parsed", "unknown token 'XYZ' in the marking".  A "mark" may be a
 * parenthesis of the text that the parser took for one, so every quoted
 * part is masked (tl_marking_mask) but the policy's name `keep`.  An
 * unclosed quote (a reason cut short) is masked to the end.
 */
void
tl_reason_mask(const char *in, const char *keep, char *out, size_t size)
{
	size_t i = 0, n = strlen(in), o = 0, j, w;
	char q;

	while (i < n && o + 1 < size) {
		if (!quote_opens(in, i)) {
			out[o++] = in[i++];
			continue;
		}
		q = in[i];
		for (j = i + 1; j < n && !(in[j] == q && (j + 1 == n ||
		    in[j + 1] == ' ' || in[j + 1] == ',' || in[j + 1] == ';' ||
		    in[j + 1] == ':' || in[j + 1] == ')' || in[j + 1] == '.'));
		    j++)
			;
		out[o++] = q;
		if (keep && keep[0] && j - i - 1 == strlen(keep) &&
		    memcmp(in + i + 1, keep, j - i - 1) == 0) {
			w = j - i - 1 < size - o ? j - i - 1 : size - o - 1;
			memcpy(out + o, in + i + 1, w);
		} else {
			w = tl_marking_mask(in + i + 1, j - i - 1, out + o,
			    size - o);
			if (w >= size - o)
				w = size - o - 1;
		}
		o += w;
		if (j < n && o + 1 < size)
			out[o++] = q;
		i = j < n ? j + 1 : n;
	}
	out[o < size ? o : size - 1] = '\0';
}

bool
tl_mark_readable(const tl_portion *p)
{
	return p->marked && !p->marking.malformed &&
	    p->marking.level != TL_LEVEL_UNKNOWN;
}

size_t
tl_mark_shown(const tl_portion *p, char *buf, size_t size)
{
	size_t n = strnlen(p->mark_text, sizeof p->mark_text);

	if (!tl_mark_readable(p))
		return tl_marking_mask(p->mark_text, n, buf, size);
	if (size) {
		tl_strlcpy(buf, p->mark_text, n, size);
	}
	return n;
}
