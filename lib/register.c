/*
 * register.c: the marking register.  Reads the text format of
 * tearline-register(5) -- register/tearline.reg compiled into the
 * library, and the extension files of tl_register_load -- into
 * fixed-size static tables, and answers the grammar's lookups.  Nothing
 * is allocated but the copy of a file being read: a register that would
 * overflow fails the load that overfills it, never a parse.
 */
#include "register.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char tl_builtin_register[];
extern const size_t tl_builtin_register_len;

#define REG_ENTRIES_MAX 1024
#define REG_FORMS_MAX 3072
#define REG_PATTERNS_MAX 128
#define REG_TEXT_MAX (64 * 1024)
#define REG_FORM_MAX 64               /* bytes of a form, NUL included */
#define REG_WORDS_MAX 8               /* words of a form */
#define REG_FILE_MAX (1024 * 1024)    /* bytes of a register file */
#define REG_BUILTIN_NAME "builtin:tearline.reg"

typedef struct reg_form {
	const char *text;   /* upper case, single spaces; a pattern has '*' */
	unsigned entry;     /* index into reg.entries */
	reg_ns ns;
	unsigned words;
	size_t fixed;       /* pattern: bytes before the '*' */
	bool variant;       /* a level form with its blanks removed */
	unsigned long line; /* where it was written */
} reg_form;

static struct {
	reg_entry entries[REG_ENTRIES_MAX];
	unsigned long entry_line[REG_ENTRIES_MAX];
	size_t nentries;
	reg_form forms[REG_FORMS_MAX];   /* exact forms, sorted (form_cmp) */
	size_t nforms;
	reg_form pats[REG_PATTERNS_MAX]; /* patterns, sorted (pat_cmp) */
	size_t npats;
	char text[REG_TEXT_MAX];
	size_t ntext;
	unsigned words_max[REG_NS_COUNT];
	const reg_entry *lists[REG_LIST_JOINT + 1];
} reg;

static pthread_once_t reg_once = PTHREAD_ONCE_INIT;
/* Serializes loads and resets; lookups do not take it (see
 * tl_register_load: loads happen before parsing starts). */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------------
 * Lookups.
 * ---------------------------------------------------------------------- */

static int
form_cmp(const void *a, const void *b)
{
	const reg_form *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* Patterns of a namespace together, the longest fixed part first, then
 * in definition order. */
static int
pat_cmp(const void *a, const void *b)
{
	const reg_form *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	if (x->fixed != y->fixed)
		return x->fixed > y->fixed ? -1 : 1;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return strcmp(x->text, y->text);
}

static const reg_form *
find_exact(reg_ns ns, const char *text, size_t lo, size_t hi)
{
	reg_form key;
	size_t mid;
	int c;

	key.ns = ns;
	key.text = text;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = form_cmp(&key, &reg.forms[mid]);
		if (c == 0)
			return &reg.forms[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
part_char(int c)
{
	return tl_isupper(c) || tl_isdigit(c) || c == '-';
}

/*
 * Matches `phrase` against pattern text `pat` (one '*', `fixed` bytes
 * before it): the fixed parts as they are, the '*' one or more letters,
 * digits or hyphens.  On a match stores in `name` (TL_TOKEN_MAX bytes)
 * the canonical name `canon` with its '*' replaced by what the pattern's
 * '*' took; false when it does not fit.
 */
static bool
pat_match(const char *pat, size_t fixed, const char *phrase,
    const char *canon, char *name)
{
	const char *suffix = pat + fixed + 1, *star;
	size_t plen = strlen(phrase), slen = strlen(suffix), mid, i, pre;

	if (plen <= fixed + slen || strncmp(phrase, pat, fixed) != 0 ||
	    strcmp(phrase + plen - slen, suffix) != 0)
		return false;
	mid = plen - fixed - slen;
	for (i = fixed; i < fixed + mid; i++)
		if (!part_char((unsigned char)phrase[i]))
			return false;
	star = strchr(canon, '*');
	if (star == NULL)
		return false;
	pre = (size_t)(star - canon);
	if (strlen(canon) - 1 + mid >= TL_TOKEN_MAX)
		return false;
	memcpy(name, canon, pre);
	memcpy(name + pre, phrase + fixed, mid);
	memcpy(name + pre + mid, star + 1, strlen(star + 1) + 1);
	return true;
}

static void reset_locked(void);

static void
builtin_load(void)
{
	pthread_mutex_lock(&reg_lock);
	reset_locked();
	pthread_mutex_unlock(&reg_lock);
}

void
tl_reg_init(void)
{
	pthread_once(&reg_once, builtin_load);
}

bool
tl_reg_find(reg_ns ns, const char *phrase, reg_hit *hit)
{
	const reg_form *f;
	const reg_entry *e;
	size_t i;

	tl_reg_init();
	memset(hit, 0, sizeof *hit);
	if ((f = find_exact(ns, phrase, 0, reg.nforms)) != NULL) {
		e = &reg.entries[f->entry];
		hit->e = e;
		tl_strlcpy(hit->name, e->name, strlen(e->name), sizeof hit->name);
		hit->words = f->words;
		return true;
	}
	for (i = 0; i < reg.npats; i++) {
		f = &reg.pats[i];
		if (f->ns != ns)
			continue;
		e = &reg.entries[f->entry];
		if (pat_match(f->text, f->fixed, phrase, e->name, hit->name)) {
			hit->e = e;
			hit->words = f->words;
			return true;
		}
	}
	return false;
}

unsigned
tl_reg_words_max(reg_ns ns)
{
	tl_reg_init();
	return (unsigned)ns < REG_NS_COUNT ? reg.words_max[ns] : 0;
}

bool
tl_reg_control_rank(const char *name, size_t len, reg_cat *cat, unsigned *order)
{
	char key[TL_TOKEN_MAX], tmp[TL_TOKEN_MAX];
	const reg_form *f;
	const reg_entry *e;
	size_t i;

	tl_reg_init();
	*cat = REG_CAT_LAST;
	*order = 0;
	if (len == 0 || len >= sizeof key)
		return false;
	memcpy(key, name, len);
	key[len] = '\0';
	if ((f = find_exact(REG_NS_CONTROL, key, 0, reg.nforms)) != NULL) {
		e = &reg.entries[f->entry];
		if (e->stands_alone && strcmp(e->name, key) == 0) {
			*cat = e->cat;
			*order = e->order;
			return true;
		}
	}
	/* A name a pattern made: "SAR-BP" from "SAR-*". */
	for (i = 0; i < reg.npats; i++) {
		f = &reg.pats[i];
		e = &reg.entries[f->entry];
		if (f->ns != REG_NS_CONTROL || strcmp(f->text, e->name) != 0)
			continue;
		if (pat_match(f->text, f->fixed, key, e->name, tmp) &&
		    strcmp(tmp, key) == 0) {
			*cat = e->cat;
			*order = e->order;
			return true;
		}
	}
	return false;
}

const reg_entry *
tl_reg_list_entry(reg_list list)
{
	tl_reg_init();
	return (unsigned)list <= REG_LIST_JOINT ? reg.lists[list] : NULL;
}

const char *
tl_reg_country(const char *key)
{
	const reg_form *f;

	tl_reg_init();
	f = find_exact(REG_NS_COUNTRY, key, 0, reg.nforms);
	return f ? reg.entries[f->entry].name : NULL;
}

/* ------------------------------------------------------------------------
 * Loading.
 * ---------------------------------------------------------------------- */

static const struct {
	const char *word;
	reg_ns ns;
	reg_cat cat;
	bool marking;
} kinds[] = {
	{ "level", REG_NS_LEVEL, REG_CAT_NONE, false },
	{ "marking", REG_NS_LEVEL, REG_CAT_NONE, true },
	{ "sci", REG_NS_CONTROL, REG_CAT_SCI, false },
	{ "sap", REG_NS_CONTROL, REG_CAT_SAP, false },
	{ "aea", REG_NS_CONTROL, REG_CAT_AEA, false },
	{ "nonus", REG_NS_CONTROL, REG_CAT_NONUS, false },
	{ "fgi", REG_NS_CONTROL, REG_CAT_FGI, false },
	{ "dissem", REG_NS_CONTROL, REG_CAT_DISSEM, false },
	{ "nonic", REG_NS_CONTROL, REG_CAT_NONIC, false },
	{ "caveat", REG_NS_CONTROL, REG_CAT_CAVEAT, false },
	{ "cui", REG_NS_CONTROL, REG_CAT_CUI, false },
	{ "other", REG_NS_CONTROL, REG_CAT_OTHER, false },
	{ "declass", REG_NS_DECLASS, REG_CAT_NONE, false },
	{ "country", REG_NS_COUNTRY, REG_CAT_NONE, false },
};

static const char *const list_names[] = {
	[REG_LIST_NONE] = "", [REG_LIST_REL] = "rel",
	[REG_LIST_DISPLAY] = "display", [REG_LIST_FGI] = "fgi",
	[REG_LIST_JOINT] = "joint",
};

/* One load: where the text comes from, the first problem, and the
 * tables' counts before it began (a failed load puts them back). */
typedef struct loader {
	const char *name;
	tl_diag *diag;
	tl_status st;
	unsigned long line;
	size_t nentries, nforms, npats, ntext;
	const reg_entry *lists[REG_LIST_JOINT + 1];
	/* `->` targets, resolved once every line is read. */
	const char *target[REG_ENTRIES_MAX][REG_EXPAND_MAX + 1];
	unsigned ntarget[REG_ENTRIES_MAX];
} loader;

static void fail(loader *L, tl_status st, unsigned long line,
    const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records the first problem of the load. */
static void
fail(loader *L, tl_status st, unsigned long line, const char *rule,
    const char *fmt, ...)
{
	va_list ap;

	if (L->st != TL_OK)
		return;
	L->st = st;
	va_start(ap, fmt);
	tl_diag_vset(L->diag, st, TL_SEV_ERROR, L->name, line, 0, rule, fmt,
	    ap);
	va_end(ap);
}

/* A copy of s[0..n) in the text pool, NUL-terminated; NULL when full. */
static const char *
pool(loader *L, const char *s, size_t n)
{
	char *p;

	if (reg.ntext + n + 1 > sizeof reg.text) {
		fail(L, TL_ELIMIT, L->line, "register-limit", "the register "
		    "is full (%zu bytes of names and forms)", sizeof reg.text);
		return NULL;
	}
	p = reg.text + reg.ntext;
	memcpy(p, s, n);
	p[n] = '\0';
	reg.ntext += n + 1;
	return p;
}

/*
 * s[0..n) in upper case with runs of blanks made one space, trimmed,
 * into out (REG_FORM_MAX bytes).  Returns the number of words; 0 when
 * empty, too long, or holding a byte a form cannot (only letters,
 * digits, '-' and, where `star`, one '*'): the grammar splits marks at
 * '/' and ',', so no form can hold them.
 */
static unsigned
norm(loader *L, const char *s, size_t n, char *out, bool star,
    const char *what)
{
	size_t i, k = 0;
	unsigned words = 0, stars = 0;
	bool blank = false;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == ' ' || c == '\t') {
			blank = k > 0;
			continue;
		}
		if (!(tl_isalpha(c) || tl_isdigit(c) || c == '-' ||
		    (c == '*' && star))) {
			fail(L, TL_ESYNTAX, L->line, "register-syntax", "%s "
			    "'%.*s' holds '%c'; forms are letters, digits, "
			    "'-'%s and blanks", what, (int)n, s, c > ' ' &&
			    c < 0x7f ? c : '?', star ? ", one '*'" : "");
			return 0;
		}
		if (c == '*' && ++stars > 1) {
			fail(L, TL_ESYNTAX, L->line, "register-syntax", "%s "
			    "'%.*s' has more than one '*'", what, (int)n, s);
			return 0;
		}
		if (k + 2 >= REG_FORM_MAX) {
			fail(L, TL_ESYNTAX, L->line, "register-syntax", "%s "
			    "'%.*s' is longer than %d bytes", what, (int)n, s,
			    REG_FORM_MAX - 1);
			return 0;
		}
		if (blank || k == 0) {
			if (k > 0)
				out[k++] = ' ';
			words++;
			blank = false;
		}
		out[k++] = (char)tl_toupper(c);
	}
	out[k] = '\0';
	if (k == 0) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "empty %s",
		    what);
		return 0;
	}
	if (words > REG_WORDS_MAX) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "%s '%s' has "
		    "more than %d words", what, out, REG_WORDS_MAX);
		return 0;
	}
	return words;
}

/* The entry of namespace `ns` whose canonical name is `name`: among the
 * forms of earlier loads (sorted), then among this load's entries. */
static reg_entry *
entry_named(const loader *L, reg_ns ns, const char *name)
{
	const reg_form *f = find_exact(ns, name, 0, L->nforms);
	size_t i;

	if (f && strcmp(reg.entries[f->entry].name, name) == 0)
		return &reg.entries[f->entry];
	for (i = 0; i < L->npats; i++)
		if (reg.pats[i].ns == ns &&
		    strcmp(reg.entries[reg.pats[i].entry].name, name) == 0)
			return &reg.entries[reg.pats[i].entry];
	for (i = L->nentries; i < reg.nentries; i++)
		if (reg.entries[i].ns == ns && strcmp(reg.entries[i].name,
		    name) == 0)
			return &reg.entries[i];
	return NULL;
}

/* Adds written form `text` of entry `e`. */
static void
add_form(loader *L, const reg_entry *e, const char *text, unsigned words,
    bool variant)
{
	const char *star = strchr(text, '*');
	const char *copy;
	reg_form *f;

	if ((star != NULL) != (strchr(e->name, '*') != NULL)) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "'%s': a "
		    "pattern's name and every one of its forms have one '*', "
		    "other entries none", text);
		return;
	}
	if (star && e->ns != REG_NS_CONTROL) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "'%s': only "
		    "controls may be patterns", text);
		return;
	}
	if (star ? reg.npats >= REG_PATTERNS_MAX : reg.nforms >= REG_FORMS_MAX) {
		fail(L, TL_ELIMIT, L->line, "register-limit", "the register is "
		    "full (%d forms, %d patterns)", REG_FORMS_MAX,
		    REG_PATTERNS_MAX);
		return;
	}
	if ((copy = pool(L, text, strlen(text))) == NULL)
		return;
	f = star ? &reg.pats[reg.npats++] : &reg.forms[reg.nforms++];
	memset(f, 0, sizeof *f);
	f->text = copy;
	f->entry = (unsigned)(e - reg.entries);
	f->ns = e->ns;
	f->words = words;
	f->fixed = star ? (size_t)(star - text) : 0;
	f->variant = variant;
	f->line = L->line;
}

/* Splits s[0..n) at `sep`, calling fn on each piece. */
static void
each_piece(loader *L, const char *s, size_t n, char sep,
    void (*fn)(loader *, const char *, size_t, void *), void *ctx)
{
	size_t a = 0, b;

	for (;;) {
		for (b = a; b < n && s[b] != sep; b++)
			continue;
		fn(L, s + a, b - a, ctx);
		if (b >= n)
			break;
		a = b + 1;
	}
}

static void
piece_form(loader *L, const char *s, size_t n, void *ctx)
{
	reg_entry *e = ctx;
	char buf[REG_FORM_MAX];
	unsigned words;

	if ((words = norm(L, s, n, buf, e->ns == REG_NS_CONTROL,
	    "form")) != 0)
		add_form(L, e, buf, words, false);
}

static void
piece_target(loader *L, const char *s, size_t n, void *ctx)
{
	reg_entry *e = ctx;
	size_t i = (size_t)(e - reg.entries);
	char buf[REG_FORM_MAX];

	if (norm(L, s, n, buf, false, "target") == 0)
		return;
	if (L->ntarget[i] > REG_EXPAND_MAX) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "more than %d "
		    "targets after '->'", REG_EXPAND_MAX + 1);
		return;
	}
	L->target[i][L->ntarget[i]++] = pool(L, buf, strlen(buf));
}

static void
piece_flag(loader *L, const char *s, size_t n, void *ctx)
{
	reg_entry *e = ctx;
	size_t i;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	for (i = 1; i <= REG_LIST_JOINT; i++)
		if (n == 5 + strlen(list_names[i]) &&
		    memcmp(s, "list=", 5) == 0 &&
		    memcmp(s + 5, list_names[i], n - 5) == 0)
			break;
	if (i > REG_LIST_JOINT || e->ns != REG_NS_CONTROL) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "unknown flag "
		    "'%.*s' (flags: list=rel, list=display, list=fgi, "
		    "list=joint, on controls)", (int)n, s);
		return;
	}
	if (L->lists[i] != NULL || reg.lists[i] != NULL) {
		fail(L, TL_ESYNTAX, L->line, "register-duplicate", "a second "
		    "control with list=%s ('%s', after '%s')", list_names[i],
		    e->name, (L->lists[i] ? L->lists[i] : reg.lists[i])->name);
		return;
	}
	e->list = (reg_list)i;
	L->lists[i] = e;
}

/* Finds the first occurrence of `needle` in s[0..n); n when none. */
static size_t
find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return i;
	return n;
}

/* One line, comment and blanks already cut away: s[0..n), n > 0. */
static void
load_line(loader *L, const char *s, size_t n)
{
	char name[REG_FORM_MAX];
	size_t k, i, semi, arrow, eq, end;
	reg_entry *e;
	unsigned words;
	bool has_arrow, has_flags;

	for (k = 0; k < n && s[k] != ' ' && s[k] != '\t'; k++)
		continue;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].word) == k && memcmp(s, kinds[i].word, k) == 0)
			break;
	if (i == sizeof kinds / sizeof kinds[0]) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "unknown kind "
		    "'%.*s' (kinds: level, marking, sci, sap, aea, nonus, fgi, "
		    "dissem, nonic, caveat, cui, other, declass, country)",
		    (int)k, s);
		return;
	}
	s += k;
	n -= k;
	semi = find(s, n, ";");
	arrow = find(s, semi, "->");
	eq = find(s, arrow, "=");
	has_arrow = arrow < semi;
	has_flags = semi < n;
	if ((words = norm(L, s, eq, name, kinds[i].ns == REG_NS_CONTROL,
	    "name")) == 0)
		return;
	if (kinds[i].ns != REG_NS_LEVEL && strlen(name) -
	    (strchr(name, '*') != NULL) >= TL_TOKEN_MAX) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "name '%s' is "
		    "longer than %d bytes", name, TL_TOKEN_MAX - 1);
		return;
	}

	/* A name already defined: more forms for it, nothing else. */
	e = entry_named(L, kinds[i].ns, name);
	if (e != NULL) {
		if (has_arrow || has_flags || e->cat != kinds[i].cat ||
		    e->marking != kinds[i].marking) {
			fail(L, TL_ESYNTAX, L->line, "register-duplicate", "'%s' "
			    "is already defined; a later line may only add "
			    "forms to it (same kind, no '->' or ';')", name);
			return;
		}
		if (eq < arrow)
			each_piece(L, s + eq + 1, arrow - eq - 1, '|',
			    piece_form, e);
		return;
	}

	if (reg.nentries >= REG_ENTRIES_MAX) {
		fail(L, TL_ELIMIT, L->line, "register-limit", "the register is "
		    "full (%d entries)", REG_ENTRIES_MAX);
		return;
	}
	e = &reg.entries[reg.nentries];
	memset(e, 0, sizeof *e);
	if ((e->name = pool(L, name, strlen(name))) == NULL)
		return;
	e->ns = kinds[i].ns;
	e->cat = kinds[i].cat;
	e->marking = kinds[i].marking;
	e->stands_alone = e->ns == REG_NS_CONTROL && !has_arrow;
	e->order = (unsigned)reg.nentries;
	reg.entry_line[reg.nentries] = L->line;
	L->ntarget[reg.nentries] = 0;
	reg.nentries++;

	if (e->ns == REG_NS_LEVEL && !e->marking) {
		for (k = 1; k < TL_LEVEL_COUNT; k++)
			if (strcmp(name, tl_level_name((tl_level)k)) == 0)
				e->level = (tl_level)k;
		if (e->level == TL_LEVEL_UNKNOWN)
			fail(L, TL_ESYNTAX, L->line, "register-undefined", "'%s' "
			    "is not a level of tearline (levels: UNCLASSIFIED, "
			    "CONFIDENTIAL, SECRET, TOP SECRET, OFFICIAL, "
			    "OFFICIAL-SENSITIVE, PROTECT, RESTRICTED); a "
			    "'marking' line maps other forms onto one", name);
	}
	if (e->ns == REG_NS_COUNTRY) {
		for (k = 0; name[k]; k++)
			if (!tl_isupper((unsigned char)name[k]) &&
			    !tl_isdigit((unsigned char)name[k]))
				break;
		if (name[k] || k < 3 || k > 4)
			fail(L, TL_ESYNTAX, L->line, "register-syntax", "country "
			    "'%s' is not a code of three or four letters or "
			    "digits", name);
	}
	add_form(L, e, name, words, false);
	if (eq < arrow)
		each_piece(L, s + eq + 1, arrow - eq - 1, '|', piece_form, e);
	end = semi;
	if (has_arrow) {
		if (e->ns != REG_NS_CONTROL && !e->marking)
			fail(L, TL_ESYNTAX, L->line, "register-syntax", "'->' "
			    "belongs to markings and controls only");
		else
			each_piece(L, s + arrow + 2, end - arrow - 2, '+',
			    piece_target, e);
	} else if (e->marking) {
		fail(L, TL_ESYNTAX, L->line, "register-syntax", "marking '%s' "
		    "needs '-> LEVEL [+ CONTROL...]'", name);
	}
	if (has_flags)
		each_piece(L, s + semi + 1, n - semi - 1, ' ', piece_flag, e);
}

/* Resolves the `->` targets of this load's entries: a marking's first
 * is a level, every other one a control standing for itself. */
static void
resolve(loader *L)
{
	const reg_entry *t;
	reg_entry *e;
	size_t i, j, k;

	for (i = L->nentries; i < reg.nentries && L->st == TL_OK; i++) {
		e = &reg.entries[i];
		j = 0;
		if (e->marking) {
			for (k = 1; k < TL_LEVEL_COUNT; k++)
				if (L->ntarget[i] && strcmp(L->target[i][0],
				    tl_level_name((tl_level)k)) == 0)
					e->level = (tl_level)k;
			if (e->level == TL_LEVEL_UNKNOWN) {
				fail(L, TL_ESYNTAX, reg.entry_line[i],
				    "register-undefined", "marking '%s': '%s' is "
				    "not a level", e->name, L->ntarget[i] ?
				    L->target[i][0] : "");
				return;
			}
			j = 1;
		}
		if (L->ntarget[i] - j > REG_EXPAND_MAX) {
			fail(L, TL_ESYNTAX, reg.entry_line[i], "register-syntax",
			    "'%s' stands for more than %d controls", e->name,
			    REG_EXPAND_MAX);
			return;
		}
		for (; j < L->ntarget[i]; j++) {
			t = entry_named(L, REG_NS_CONTROL, L->target[i][j]);
			if (t == NULL || !t->stands_alone ||
			    strchr(t->name, '*') != NULL) {
				fail(L, TL_ESYNTAX, reg.entry_line[i],
				    "register-undefined", "'%s' stands for '%s', "
				    "which is not a control of the register",
				    e->name, L->target[i][j]);
				return;
			}
			e->expand[e->nexpand++] = t->name;
		}
		if (e->ns == REG_NS_CONTROL && !e->stands_alone &&
		    e->nexpand == 0)
			fail(L, TL_ESYNTAX, reg.entry_line[i], "register-syntax",
			    "'%s': nothing after '->'", e->name);
	}
}

/* Level forms of this load with their blanks removed ("TOP SECRET" is
 * also "TOPSECRET"): the level_token of a marking reads back as the
 * same level.  A variant that is already a form is left out. */
static void
add_variants(loader *L)
{
	char buf[REG_FORM_MAX];
	size_t i, n = reg.nforms, k, j;

	for (i = L->nforms; i < n && L->st == TL_OK; i++) {
		if (reg.forms[i].ns != REG_NS_LEVEL || reg.forms[i].words < 2)
			continue;
		for (k = 0, j = 0; reg.forms[i].text[j]; j++)
			if (reg.forms[i].text[j] != ' ')
				buf[k++] = reg.forms[i].text[j];
		buf[k] = '\0';
		L->line = reg.forms[i].line;
		add_form(L, &reg.entries[reg.forms[i].entry], buf, 1, true);
	}
}

#define REG_DROP ((unsigned)-1)

/*
 * Checks this load's forms (the unsorted tail of the tables) against
 * each other and against the earlier loads' (the sorted head), without
 * touching the head: a form written twice in a namespace is an error; a
 * variant gives way to any other form (and two entries' equal variants
 * both go).  Then merges the tail in.  On an error the head is as it
 * was, and dropping the tail undoes the load.
 */
static void
merge_forms(loader *L)
{
	static size_t stale[REG_FORMS_MAX]; /* earlier variants to drop */
	const reg_form *o;
	reg_form *a, *b;
	size_t i, j, k, nstale = 0;

	qsort(reg.forms + L->nforms, reg.nforms - L->nforms,
	    sizeof reg.forms[0], form_cmp);
	for (i = k = L->nforms; i < reg.nforms; i++) {
		b = &reg.forms[i];
		a = k > L->nforms ? &reg.forms[k - 1] : NULL;
		if (a == NULL || form_cmp(a, b) != 0) {
			o = find_exact(b->ns, b->text, 0, L->nforms);
			if (o != NULL && b->variant)
				continue;
			if (o != NULL && o->variant) {
				stale[nstale++] = (size_t)(o - reg.forms);
			} else if (o != NULL) {
				fail(L, TL_ESYNTAX, b->line, "register-duplicate",
				    "'%s' is already a form of '%s'", b->text,
				    reg.entries[o->entry].name);
				return;
			}
			reg.forms[k++] = *b;
			continue;
		}
		if (b->variant) {
			if (a->variant && a->entry != b->entry)
				a->entry = REG_DROP;
			continue;
		}
		if (a->variant) {
			*a = *b;
			continue;
		}
		fail(L, TL_ESYNTAX, b->line, "register-duplicate", "'%s' is a "
		    "form of both '%s' and '%s'", b->text,
		    reg.entries[a->entry].name, reg.entries[b->entry].name);
		return;
	}
	for (i = L->npats; i < reg.npats; i++)
		for (j = 0; j < i; j++)
			if (reg.pats[j].ns == reg.pats[i].ns &&
			    strcmp(reg.pats[j].text, reg.pats[i].text) == 0) {
				fail(L, TL_ESYNTAX, reg.pats[i].line,
				    "register-duplicate", "pattern '%s' is "
				    "defined twice", reg.pats[i].text);
				return;
			}
	/* No error is possible from here: the load commits. */
	reg.nforms = k;
	for (i = 0; i < nstale; i++)
		reg.forms[stale[i]].entry = REG_DROP;
	for (i = 0, k = 0; i < reg.nforms; i++)
		if (reg.forms[i].entry != REG_DROP)
			reg.forms[k++] = reg.forms[i];
	reg.nforms = k;
	qsort(reg.forms, reg.nforms, sizeof reg.forms[0], form_cmp);
	qsort(reg.pats, reg.npats, sizeof reg.pats[0], pat_cmp);
}

static void
tally(void)
{
	size_t i;

	memset(reg.words_max, 0, sizeof reg.words_max);
	memset(reg.lists, 0, sizeof reg.lists);
	for (i = 0; i < reg.nforms; i++)
		if (reg.forms[i].words > reg.words_max[reg.forms[i].ns])
			reg.words_max[reg.forms[i].ns] = reg.forms[i].words;
	for (i = 0; i < reg.npats; i++)
		if (reg.pats[i].words > reg.words_max[reg.pats[i].ns])
			reg.words_max[reg.pats[i].ns] = reg.pats[i].words;
	for (i = 0; i < reg.nentries; i++)
		if (reg.entries[i].list != REG_LIST_NONE)
			reg.lists[reg.entries[i].list] = &reg.entries[i];
}

/* Reads register text: every entry of it, or (on any problem) none. */
static tl_status
load(const char *name, const char *bytes, size_t len, tl_diag *diag)
{
	static loader L; /* large (the targets); serialized by reg_lock */
	size_t a = 0, b, e, s;

	memset(&L, 0, sizeof L);
	L.name = name;
	L.diag = diag;
	L.nentries = reg.nentries;
	L.nforms = reg.nforms;
	L.npats = reg.npats;
	L.ntext = reg.ntext;
	if (len > REG_FILE_MAX)
		fail(&L, TL_ELIMIT, 0, "register-limit", "larger than %d bytes",
		    REG_FILE_MAX);
	while (a < len && L.st == TL_OK) {
		L.line++;
		for (b = a; b < len && bytes[b] != '\n'; b++)
			if (bytes[b] == '\0' || (unsigned char)bytes[b] >= 0x7f)
				fail(&L, TL_ESYNTAX, L.line, "register-syntax",
				    "a byte that is not printable ASCII");
		for (e = a; e < b && bytes[e] != '#'; e++)
			continue;
		for (s = a; s < e && tl_isspace((unsigned char)bytes[s]); s++)
			continue;
		while (e > s && tl_isspace((unsigned char)bytes[e - 1]))
			e--;
		if (e > s && L.st == TL_OK)
			load_line(&L, bytes + s, e - s);
		a = b + 1;
	}
	if (L.st == TL_OK)
		resolve(&L);
	if (L.st == TL_OK)
		add_variants(&L);
	if (L.st == TL_OK)
		merge_forms(&L);
	if (L.st != TL_OK) {
		/* Nothing of this text stays: earlier loads were not touched. */
		reg.nforms = L.nforms;
		reg.npats = L.npats;
		reg.nentries = L.nentries;
		reg.ntext = L.ntext;
	}
	tally();
	/* L outlives the call: keep no pointer to the caller's memory. */
	L.diag = NULL;
	L.name = NULL;
	return L.st;
}

tl_status
tl_register_load_buffer(const char *name, const char *bytes, size_t len,
    tl_diag *diag)
{
	tl_status st;

	if (bytes == NULL && len > 0)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_register_load_buffer: NULL bytes");
	tl_reg_init();
	pthread_mutex_lock(&reg_lock);
	st = load(name ? name : "register", bytes ? bytes : "", len, diag);
	pthread_mutex_unlock(&reg_lock);
	return st;
}

tl_status
tl_register_load(const char *path, tl_diag *diag)
{
	tl_buf b = { NULL, 0, 0, REG_FILE_MAX + 1 };
	char chunk[4096];
	tl_status st = TL_OK;
	size_t n;
	FILE *f;

	if (path == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_register_load: NULL path");
	if ((f = fopen(path, "rb")) == NULL)
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, path, 0, 0,
		    "register-io", "cannot open: %s", strerror(errno));
	while (st == TL_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		st = tl_buf_append(&b, chunk, n);
	if (st == TL_OK && ferror(f))
		st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, path, 0, 0,
		    "register-io", "cannot read: %s", strerror(errno));
	else if (st == TL_ELIMIT)
		tl_diag_set(diag, st, TL_SEV_ERROR, path, 0, 0,
		    "register-limit", "larger than %d bytes", REG_FILE_MAX);
	else if (st != TL_OK)
		tl_diag_set(diag, st, TL_SEV_ERROR, path, 0, 0,
		    "register-io", "%s", tl_strerror(st));
	fclose(f);
	if (st == TL_OK)
		st = tl_register_load_buffer(path, b.data ? b.data : "", b.len,
		    diag);
	tl_buf_free(&b);
	return st;
}

/* Back to the compiled-in register alone; reg_lock held. */
static void
reset_locked(void)
{
	tl_diag d;

	reg.nentries = 0;
	memset(reg.lists, 0, sizeof reg.lists);
	reg.nforms = 0;
	reg.npats = 0;
	reg.ntext = 0;
	/* The compiled-in text is tested (test_mark.c); were it ever
	 * refused, the register stays empty and every mark withholds. */
	(void)load(REG_BUILTIN_NAME, tl_builtin_register,
	    tl_builtin_register_len, &d);
}

void
tl_register_reset(void)
{
	tl_reg_init();
	pthread_mutex_lock(&reg_lock);
	reset_locked();
	pthread_mutex_unlock(&reg_lock);
}
