/*
 * mark.c: the marking grammar: one portion mark or banner classification
 * string into a tl_marking (level, controls, REL TO countries), and back
 * to its canonical banner form.
 */
#include "internal.h"

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

/* Aliases as they appear in marks and banners, upper case, no spaces
 * except where the written form has one.  The forms with spaces removed
 * ("TOPSECRET", "OFFICIALSENSITIVE") are what tl_marking_parse stores in
 * level_token, so that level_token always looks up to the same level. */
static const struct {
	const char *alias;
	tl_level level;
} level_aliases[] = {
	{ "U", TL_LEVEL_UNCLASSIFIED },
	{ "UNCLAS", TL_LEVEL_UNCLASSIFIED },
	{ "UNCLASSIFIED", TL_LEVEL_UNCLASSIFIED },
	{ "C", TL_LEVEL_CONFIDENTIAL },
	{ "CONFIDENTIAL", TL_LEVEL_CONFIDENTIAL },
	{ "S", TL_LEVEL_SECRET },
	{ "SECRET", TL_LEVEL_SECRET },
	{ "TS", TL_LEVEL_TOP_SECRET },
	{ "TOP SECRET", TL_LEVEL_TOP_SECRET },
	{ "TOPSECRET", TL_LEVEL_TOP_SECRET },
	{ "O", TL_LEVEL_OFFICIAL },
	{ "OFFICIAL", TL_LEVEL_OFFICIAL },
	{ "OS", TL_LEVEL_OFFICIAL_SENSITIVE },
	{ "OFFICIAL-SENSITIVE", TL_LEVEL_OFFICIAL_SENSITIVE },
	{ "OFFICIAL SENSITIVE", TL_LEVEL_OFFICIAL_SENSITIVE },
	{ "OFFICIALSENSITIVE", TL_LEVEL_OFFICIAL_SENSITIVE },
	{ "PROTECT", TL_LEVEL_PROTECT },
	{ "R", TL_LEVEL_RESTRICTED },
	{ "RESTRICTED", TL_LEVEL_RESTRICTED },
};

tl_level
tl_level_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof level_aliases / sizeof level_aliases[0]; i++)
		if (tl_ieq(name, len, level_aliases[i].alias))
			return level_aliases[i].level;
	return TL_LEVEL_UNKNOWN;
}

/* Written forms that stand where a level stands but are an unclassified
 * level plus a control: "(SBU)", "(SBU/NF)", a "LIMITED OFFICIAL USE"
 * banner.  tl_level_lookup does not know them: a policy level alias
 * "SBU" would wrongly drop the control. */
static const struct {
	const char *alias;
	tl_level level;
	const char *control;
} level_forms[] = {
	{ "SBU", TL_LEVEL_UNCLASSIFIED, "SBU" },
	{ "SENSITIVE BUT UNCLASSIFIED", TL_LEVEL_UNCLASSIFIED, "SBU" },
	{ "LOU", TL_LEVEL_UNCLASSIFIED, "LOU" },
	{ "LIMITED OFFICIAL USE", TL_LEVEL_UNCLASSIFIED, "LOU" },
};

/*
 * Controls: every written alias (upper case, single spaces) to its
 * canonical name.  The longest alias that matches at a position wins, so
 * "SENSITIVE BUT UNCLASSIFIED" is SBU, not SENSITIVE plus two unknowns.
 * "UK EYES ONLY" is not here: "<country> EYES ONLY" is matched with the
 * country table.  REL is not here: it opens a country list.
 */
static const struct {
	const char *alias;
	const char *name;
} control_aliases[] = {
	{ "N", "NOFORN" },
	{ "NF", "NOFORN" },
	{ "NOFORN", "NOFORN" },
	{ "NOT RELEASABLE TO FOREIGN NATIONALS", "NOFORN" },
	{ "OC", "ORCON" },
	{ "ORCON", "ORCON" },
	{ "ORIGINATOR CONTROLLED", "ORCON" },
	{ "PR", "PROPIN" },
	{ "PROPIN", "PROPIN" },
	{ "CAUTION PROPRIETARY INFORMATION INVOLVED", "PROPIN" },
	{ "FOUO", "FOUO" },
	{ "FOR OFFICIAL USE ONLY", "FOUO" },
	{ "SBU", "SBU" },
	{ "SENSITIVE BUT UNCLASSIFIED", "SBU" },
	{ "LES", "LES" },
	{ "LAW ENFORCEMENT SENSITIVE", "LES" },
	{ "LOU", "LOU" },
	{ "LIMITED OFFICIAL USE", "LOU" },
	{ "FGI", "FGI" },
	{ "FOREIGN GOVERNMENT INFORMATION", "FGI" },
	{ "NODIS", "NODIS" },
	{ "EXDIS", "EXDIS" },
	{ "LIMDIS", "LIMDIS" },
	{ "HCS", "HCS" },
	{ "SI", "SI" },
	{ "SI-G", "SI-G" },
	{ "TK", "TK" },
	{ "RELIDO", "RELIDO" },
	{ "IMCON", "IMCON" },
	{ "NOCONTRACT", "NOCONTRACT" },
	{ "SENSITIVE", "SENSITIVE" },
};

/* Longest control alias, in words ("NOT RELEASABLE TO FOREIGN NATIONALS"). */
#define CONTROL_WORDS_MAX 5
/* Longest country name, in words ("UNITED KINGDOM OF GREAT BRITAIN AND
 * NORTHERN IRELAND"). */
#define COUNTRY_WORDS_MAX 8
/* Words and commas in one segment between slashes; a REL TO list of
 * TL_MARK_REL_MAX codes needs 2 + 2 * 32.  More fails closed. */
#define SEG_TOKENS_MAX 128
/* A phrase of joined words; longer than every alias and country name. */
#define PHRASE_MAX 64

static const char *
control_lookup(const char *phrase)
{
	size_t i;

	for (i = 0; i < sizeof control_aliases / sizeof control_aliases[0]; i++)
		if (strcmp(phrase, control_aliases[i].alias) == 0)
			return control_aliases[i].name;
	return NULL;
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
 * the phrase did not fit: such a phrase matches no alias.
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

static void
add_rel(mctx *c, const char *code)
{
	tl_marking *m = c->m;

	if (m->nrel >= TL_MARK_REL_MAX) {
		bad(c, "more than %d countries in the REL TO list",
		    TL_MARK_REL_MAX);
		return;
	}
	tl_strlcpy(m->rel[m->nrel++], code, strlen(code), sizeof m->rel[0]);
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
rel_chunk(mctx *c, const mtok *t, unsigned a, unsigned b, const char *kw)
{
	char buf[PHRASE_MAX];
	const char *code;
	unsigned p = a, q, k, maxk;
	bool item_start = true, alone;

	if (b - a == 1 && tok_is(c, &t[a], "AND")) {
		add_rel(c, "AND");
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
			if (k == 1 && t[p].len <= 2 && control_lookup(buf)) {
				bad(c, "\"%s\" in the %s list is both a "
				    "country code and a control", buf, kw);
				p++;
			} else {
				add_rel(c, code);
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
		say(c, "unknown country \"%s\" in the %s list", buf, kw);
		add_unknown(c, buf);
		p = q;
		item_start = false;
	}
}

/* The list after "REL" at t[i] ("TO USA, GBR"): consumes the rest of the
 * segment.  Returns n. */
static unsigned
rel_list(mctx *c, const mtok *t, unsigned n, unsigned i)
{
	const char *kw = "REL";
	unsigned j;

	if (c->m->rel_to)
		bad(c, "more than one REL TO list");
	c->m->rel_to = true;
	if (i < n && tok_is(c, &t[i], "TO")) {
		c->m->rel_to_form = true;
		kw = "REL TO";
		i++;
	}
	if (i >= n) {
		bad(c, "%s without countries", kw);
		return n;
	}
	for (;;) {
		for (j = i; j < n && !t[j].comma; j++)
			continue;
		if (j == i)
			bad(c, "empty item in the %s list", kw);
		else
			rel_chunk(c, t, i, j, kw);
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

/* Controls and REL lists in t[i..n) of one segment. */
static void
controls(mctx *c, const mtok *t, unsigned n, unsigned i)
{
	char buf[PHRASE_MAX];
	const char *name;
	unsigned k, maxk;

	while (i < n) {
		if (t[i].comma) {
			bad(c, "\",\" outside a REL TO list");
			i++;
			continue;
		}
		if (tok_is(c, &t[i], "REL")) {
			i = rel_list(c, t, n, i + 1);
			continue;
		}
		if ((k = eyes_only(c, t, n, i, buf)) != 0) {
			add_control(c, buf);
			i += k;
			continue;
		}
		name = NULL;
		maxk = n - i < CONTROL_WORDS_MAX ? n - i : CONTROL_WORDS_MAX;
		for (k = maxk; k >= 1; k--)
			if (phrase(c, t, i, k, buf) &&
			    (name = control_lookup(buf)) != NULL)
				break;
		if (name != NULL) {
			add_control(c, name);
			i += k;
			continue;
		}
		phrase(c, t, i, 1, buf);
		buf[TL_TOKEN_MAX - 1] = '\0';
		say(c, "unknown control \"%s\"", buf);
		add_unknown(c, buf);
		i++;
	}
}

/* Looks up a level phrase: a level alias, or a form such as SBU that is a
 * level plus a control (returned in *control). */
static tl_level
level_match(const char *key, const char **control)
{
	tl_level level;
	size_t i;

	*control = NULL;
	level = tl_level_lookup(key, strlen(key));
	if (level != TL_LEVEL_UNKNOWN)
		return level;
	for (i = 0; i < sizeof level_forms / sizeof level_forms[0]; i++)
		if (strcmp(key, level_forms[i].alias) == 0) {
			*control = level_forms[i].control;
			return level_forms[i].level;
		}
	return TL_LEVEL_UNKNOWN;
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
 * The first segment, t[0..n) (n > 0): a level, then possibly controls
 * after a space or a hyphen ("C NF", "S-NF", "SECRET NOFORN").  Levels of
 * up to three words ("TOP SECRET", "SENSITIVE BUT UNCLASSIFIED") and
 * spaced letters ("S E C R E T") are tried longest first.
 */
static void
first_segment(mctx *c, mtok *t, unsigned n)
{
	char buf[PHRASE_MAX], key[PHRASE_MAX];
	const char *control = NULL;
	tl_level level = TL_LEVEL_UNKNOWN;
	unsigned run, k, start = 0, maxk;
	size_t d, cut;

	/* Spaced letters: four or more one-letter words. */
	for (run = 0; run < n && run + 1 < PHRASE_MAX && !t[run].comma &&
	    t[run].len == 1 && tl_isalpha((unsigned char)c->text[t[run].off]);
	    run++)
		continue;
	for (k = run; k >= 4 && level == TL_LEVEL_UNKNOWN; k--) {
		for (d = 0; d < k; d++)
			key[d] = (char)tl_toupper(
			    (unsigned char)c->text[t[d].off]);
		key[k] = '\0';
		if ((level = level_match(key, &control)) != TL_LEVEL_UNKNOWN)
			start = k;
	}
	/* Whole words, then the last word cut at a hyphen ("S-NF"). */
	maxk = n < 3 ? n : 3;
	for (k = maxk; k >= 1 && level == TL_LEVEL_UNKNOWN; k--) {
		if (!phrase(c, t, 0, k, key))
			continue;
		if ((level = level_match(key, &control)) != TL_LEVEL_UNKNOWN) {
			start = k;
			break;
		}
		for (d = t[k - 1].len; d-- > 1;) {
			if (c->text[t[k - 1].off + d] != '-')
				continue;
			cut = strlen(key) - (t[k - 1].len - d);
			memcpy(buf, key, cut);
			buf[cut] = '\0';
			level = level_match(buf, &control);
			if (level == TL_LEVEL_UNKNOWN)
				continue;
			memcpy(key, buf, cut + 1);
			/* The rest of the word is the first control. */
			t[k - 1].off += d + 1;
			t[k - 1].len -= d + 1;
			start = k - 1;
			if (t[k - 1].len == 0) {
				bad(c, "nothing after \"-\"");
				start = k;
			}
			break;
		}
	}
	if (level == TL_LEVEL_UNKNOWN) {
		if (t[0].comma) {
			bad(c, "no classification level before \",\"");
		} else {
			phrase(c, t, 0, 1, key);
			key[TL_TOKEN_MAX - 1] = '\0';
			bad(c, "\"%s\" is not a classification level", key);
		}
		set_level_token(c->m, t[0].comma ? "" : key);
		start = 1;
	} else {
		c->m->level = level;
		set_level_token(c->m, key);
		if (control != NULL)
			add_control(c, control);
		/* "S - NF": a lone hyphen between level and control. */
		if (start < n && tok_is(c, &t[start], "-")) {
			if (++start >= n)
				bad(c, "nothing after \"-\"");
		}
	}
	controls(c, t, n, start);
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
		    text[q] == '-'); q++)
			continue;
		t[n].off = p;
		t[n].len = q - p;
		t[n++].comma = false;
		p = q;
	}
	return n;
}

/*
 * The grammar (markings.md, "Portion marks"): segments split by "/" or
 * "//"; the first holds the level, optionally followed after a blank or a
 * hyphen by controls ("C NF", "S-NF"); later segments hold controls and
 * at most one REL list, which runs to the end of its segment.  Case and
 * blanks do not matter; anything but letters, blanks, "/", "-" and ","
 * makes the whole mark malformed at once.  Choices the header leaves open:
 * - level_token is the level as written, upper case, spaces removed
 *   ("TOPSECRET", "SBU"); it is empty when the first segment is empty.
 * - Duplicated controls are stored as written ("S/NF/NF" has NOFORN
 *   twice), so that audit can report them; the status is still TL_OK.
 * - Overflow fails closed: a 13th control, a 33rd country or a 5th
 *   unknown token is not stored and sets malformed; the counts never
 *   exceed the arrays.  Unknown tokens are truncated to 31 bytes.
 * - In a REL list a two-letter code is read only when it stands alone
 *   between commas/AND, and never when it is also a control (NF, SI, TK,
 *   PR): that is malformed.  Anything else unreadable is an unknown token.
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
	int ch;

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

	/* Letters, blanks, slashes, hyphens and commas only: marks have no
	 * digits, and anything else is not a mark we can trust. */
	for (i = 0; i < len; i++) {
		ch = (unsigned char)text[i];
		if (tl_isalpha(ch) || ch == ' ' || ch == '\t' || ch == '/' ||
		    ch == '-' || ch == ',')
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
		} else if (n == 0) {
			if (seg == 0)
				bad(&c, b < len ? "no classification level "
				    "before \"/\"" : "empty mark");
			else if (b == len)
				bad(&c, "nothing after the last \"/\"");
			else
				bad(&c, "empty segment between \"/\" "
				    "separators");
		} else if (seg == 0) {
			first_segment(&c, t, n);
		} else {
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
	if (!out->malformed && out->nunknown == 0)
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

/* Canonical order of controls in a banner, by CAPCO category: SCI
 * control systems, FGI, dissemination controls (REL TO among them), then
 * the non-IC ones.  Within a category controls are joined by "/",
 * categories by "//". */
enum { CAT_SCI = 1, CAT_FGI, CAT_DISSEM, CAT_OTHER };
#define REL_TO_SLOT NULL
static const struct {
	const char *name;
	int cat;
} control_order[] = {
	{ "HCS", CAT_SCI },
	{ "SI", CAT_SCI },
	{ "SI-G", CAT_SCI },
	{ "TK", CAT_SCI },
	{ "FGI", CAT_FGI },
	{ "ORCON", CAT_DISSEM },
	{ "IMCON", CAT_DISSEM },
	{ "NOCONTRACT", CAT_DISSEM },
	{ "PROPIN", CAT_DISSEM },
	{ "NOFORN", CAT_DISSEM },
	{ REL_TO_SLOT, CAT_DISSEM },
	{ "RELIDO", CAT_DISSEM },
	{ "NODIS", CAT_OTHER },
	{ "EXDIS", CAT_OTHER },
	{ "LIMDIS", CAT_OTHER },
	{ "SBU", CAT_OTHER },
	{ "FOUO", CAT_OTHER },
	{ "LES", CAT_OTHER },
	{ "LOU", CAT_OTHER },
	{ "SENSITIVE", CAT_OTHER },
	{ "UK EYES ONLY", CAT_OTHER },
};

static bool
in_order_table(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof control_order / sizeof control_order[0]; i++)
		if (control_order[i].name != NULL &&
		    strlen(control_order[i].name) == len &&
		    memcmp(control_order[i].name, s, len) == 0)
			return true;
	return false;
}

/* Sort key of a REL TO code: USA, then trigraphs, then the rest. */
static int
rel_cmp(const char *a, const char *b)
{
	size_t la = blen(a, 8), lb = blen(b, 8);
	int ra = beq(a, 8, "USA") ? 0 : la == 3 ? 1 : 2;
	int rb = beq(b, 8, "USA") ? 0 : lb == 3 ? 1 : 2;
	int d;

	if (ra != rb)
		return ra - rb;
	d = memcmp(a, b, la < lb ? la : lb);
	if (d != 0)
		return d;
	return la < lb ? -1 : la > lb;
}

static void
put_rel(fmtout *o, const tl_marking *m)
{
	const char *sorted[TL_MARK_REL_MAX + 1];
	const char *tmp;
	unsigned n = 0, i, j, nrel;

	sorted[n++] = "USA";
	nrel = m->nrel < TL_MARK_REL_MAX ? m->nrel : TL_MARK_REL_MAX;
	for (i = 0; i < nrel; i++) {
		if (blen(m->rel[i], sizeof m->rel[i]) == 0)
			continue;
		for (j = 0; j < n; j++)
			if (rel_cmp(sorted[j], m->rel[i]) == 0)
				break;
		if (j == n)
			sorted[n++] = m->rel[i];
	}
	/* Insertion sort: at most 33 entries. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && rel_cmp(sorted[j - 1], sorted[j]) > 0;
		    j--) {
			tmp = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = tmp;
		}
	puts0(o, "REL TO ");
	for (i = 0; i < n; i++) {
		if (i > 0)
			puts0(o, ", ");
		put(o, sorted[i], blen(sorted[i], 8));
	}
}

/*
 * The canonical banner form: level name, then the controls by category
 * (control_order), each once; controls the table does not know come last,
 * in written order.  Unknown tokens are not written.  A REL list is
 * written whenever rel_to is set or countries are present, with USA even
 * when not written.  Reads at most the array bounds of `m`, so a
 * hand-built marking without NULs or with large counts is safe.
 */
size_t
tl_marking_format(const tl_marking *m, char *buf, size_t size)
{
	static const tl_marking zero;
	fmtout o = { buf, size, 0 };
	unsigned i, j, nc;
	size_t k, len;
	int cat = 0;

	if (m == NULL)
		m = &zero;
	nc = m->ncontrols < TL_MARK_CONTROLS_MAX ? m->ncontrols :
	    TL_MARK_CONTROLS_MAX;
	puts0(&o, tl_level_name(m->level));
	for (k = 0; k < sizeof control_order / sizeof control_order[0]; k++) {
		if (control_order[k].name == REL_TO_SLOT) {
			if (!m->rel_to && m->nrel == 0)
				continue;
		} else if (!tl_marking_has(m, control_order[k].name)) {
			continue;
		}
		puts0(&o, cat == control_order[k].cat ? "/" : "//");
		cat = control_order[k].cat;
		if (control_order[k].name == REL_TO_SLOT)
			put_rel(&o, m);
		else
			puts0(&o, control_order[k].name);
	}
	/* Controls the table does not order ("AUS EYES ONLY"), as written,
	 * each once. */
	for (i = 0; i < nc; i++) {
		len = blen(m->controls[i], TL_TOKEN_MAX);
		if (len == 0 || in_order_table(m->controls[i], len))
			continue;
		for (j = 0; j < i; j++)
			if (blen(m->controls[j], TL_TOKEN_MAX) == len &&
			    memcmp(m->controls[j], m->controls[i], len) == 0)
				break;
		if (j < i)
			continue;
		puts0(&o, cat == CAT_OTHER ? "/" : "//");
		cat = CAT_OTHER;
		put(&o, m->controls[i], len);
	}
	if (size > 0)
		buf[o.n < size ? o.n : size - 1] = '\0';
	return o.n;
}
