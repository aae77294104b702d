/*
 * audit.c: marking consistency checks.  Consumes the parser's events,
 * checks each portion as it ends and the whole document (banner roll-up,
 * routing, authority block) at its end, keeping only aggregates, and
 * reports findings under the stable rule ids of one table.
 */
#include "audit_rules.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * State
 * ------------------------------------------------------------------- */

/* Caps of the aggregates.  A document never needs more; past them the
 * audit says so in one audit-truncated note instead of growing. */
#define CONTROLS_SEEN_MAX 48
#define REL_SET_MAX 256   /* ISO 3166 has 249 codes */
#define PENDING_MAX 16
#define TRAILER_LINES_MAX 3

typedef struct where {
	unsigned long line;
	unsigned long col;
} where;

typedef struct seen_control {
	char name[TL_TOKEN_MAX];
	where at;
} seen_control;

/* A set of country codes, groups expanded, USA left out (the originator
 * is always a reader, and the cable form "REL UK" does not name it). */
typedef struct relset {
	unsigned n;
	char code[REL_SET_MAX][8];
} relset;

/* An unmarked heading or text portion whose rule depends on what comes
 * after it: text followed by nothing marked is a trailer. */
typedef struct pending {
	tl_portion_kind kind;
	where at;
	unsigned long end_line;
} pending;

/* Unmarked portions seen before the document's class was known (no
 * banner yet, no classified portion yet), by kind. */
typedef struct undecided {
	unsigned long count;
	where first;
} undecided;

/* Everything kept about the document being audited: fixed size. */
typedef struct docstate {
	/* Union of the portions' controls, with the first carrier. */
	seen_control controls[CONTROLS_SEEN_MAX];
	unsigned ncontrols;
	/* REL TO roll-up: intersection of the classified portions' lists. */
	relset inter;
	undecided undecided[5];  /* by tl_portion_kind */
	pending pend[PENDING_MAX];
	unsigned npend;
	unsigned long unmarked;  /* unmarked non-heading portions reported */
	unsigned max_rank;       /* highest ranked portion */
	tl_level max_level;
	where max_at;
	/* The highest portion that ended before the banner was seen. */
	char early_mark[TL_MARK_MAX + 1];
	unsigned early_rank;
	tl_level early_level;
	where early_at;
	/* First classified portion. */
	tl_level classified_level;
	where classified_at;
	where noforn_at;         /* first NOFORN, NODIS or EXDIS portion */
	where norel_at;          /* first classified portion without REL TO */
	where subject_at;
	bool any_marked;         /* a portion with a mark */
	bool any_unknown_level;  /* a mark whose level does not rank */
	bool any_classified;
	bool controls_full;
	bool noforn;
	bool norel;
	bool rel_started;        /* inter holds the first list */
	bool derived;            /* the authority line is Derived From */
	bool uk;                 /* UK levels or caveat: no E.O. authority */
	/* An unmarked SUBJECT waits for the header to end: a later
	 * "CONFIDENTIAL - ENTIRE TEXT" line excuses it. */
	bool subject_pending;
} docstate;

/* Recent (marking, rank) pairs of the ranking function: each portion
 * asks for its own rank and the banner's, and documents repeat a few
 * markings.  The function ranks a marking, nothing else. */
#define RANK_MEMO 32

struct tl_audit {
	tl_finding_fn fn;
	void *ctx;
	tl_audit_rank_fn rank;
	const void *rank_ctx;
	struct {
		bool used;
		tl_marking m;
		unsigned rank;
	} memo[RANK_MEMO];
	bool enabled[R_COUNT];
	tl_severity severity[R_COUNT];
	unsigned long counts[3];
	docstate d;
	/* consistency-mark: the run's passages, opened with the first
	 * document that has a marked portion; the first failure. */
	tl_consist *cs;
	bool cs_doc;      /* the current document is registered */
	tl_status cs_st;
	tl_diag cs_diag;
};

tl_audit *
tl_audit_new(tl_finding_fn fn, void *ctx)
{
	tl_audit *a;
	size_t i;

	if (fn == NULL || (a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	a->fn = fn;
	a->ctx = ctx;
	for (i = 0; i < R_COUNT; i++) {
		a->enabled[i] = true;
		a->severity[i] = tl_audit_rules[i].severity;
	}
	return a;
}

void
tl_audit_free(tl_audit *a)
{
	if (a == NULL)
		return;
	tl_consist_close(a->cs);
	free(a);
}

tl_status
tl_audit_rule_set(tl_audit *a, const char *id, bool enabled,
    tl_severity severity)
{
	long i = tl_audit_rule_find(id);

	if (i < 0)
		return TL_ENOTFOUND;
	if (severity != TL_SEV_WARNING && severity != TL_SEV_NOTE)
		severity = TL_SEV_ERROR;
	a->enabled[i] = enabled;
	a->severity[i] = severity;
	return TL_OK;
}

bool
tl_audit_rule_get(const tl_audit *a, size_t index, tl_severity *severity)
{
	if (index >= R_COUNT)
		return false;
	if (severity)
		*severity = a ? a->severity[index] : tl_audit_rules[index].severity;
	return a ? a->enabled[index] : true;
}

void
tl_audit_set_ranking(tl_audit *a, tl_audit_rank_fn fn, const void *ctx)
{
	a->rank = fn;
	a->rank_ctx = ctx;
	memset(a->memo, 0, sizeof a->memo);
}

unsigned long
tl_audit_count(const tl_audit *a, tl_severity severity)
{
	if (a == NULL || (unsigned)severity > TL_SEV_NOTE)
		return 0;
	return a->counts[severity];
}

/* ---------------------------------------------------------------------
 * Reporting
 * ------------------------------------------------------------------- */

/* Appends s to buf[*n..size) with control characters replaced: details
 * come from the document and end up on terminals. */
static void
put_detail(char *buf, size_t size, size_t *n, const char *s)
{
	for (; s && *s && *n + 1 < size; s++)
		buf[(*n)++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
}

/* Expands a message template: {1}..{4} become the details. */
static void
expand(char *buf, size_t size, const char *tmpl, const char *const *arg,
    size_t nargs)
{
	size_t n = 0;
	const char *t;

	for (t = tmpl; *t && n + 1 < size; t++) {
		if (t[0] == '{' && t[1] >= '1' && t[1] <= '9' && t[2] == '}') {
			size_t k = (size_t)(t[1] - '1');
			if (k < nargs)
				put_detail(buf, size, &n, arg[k]);
			t += 2;
			continue;
		}
		buf[n++] = *t;
	}
	buf[n] = '\0';
}

/* A finding of `rule` in document `name` at line:col, its message from
 * args[0..4); `related` (NULL: none) is the other place it names. */
static tl_status
deliver(tl_audit *a, const char *name, unsigned rule, unsigned long line,
    unsigned long col, const char *const args[4], const char *related,
    unsigned long related_line)
{
	tl_finding f;

	if (rule >= R_COUNT || !a->enabled[rule])
		return TL_OK;
	memset(&f, 0, sizeof f);
	f.file = name;
	f.rule_index = rule;
	f.rule = &tl_audit_rules[rule];
	f.related_file = related;
	f.related_line = related_line;
	f.diag.severity = a->severity[rule];
	f.diag.line = line;
	f.diag.col = line ? col : 0;
	tl_strlcpy(f.diag.file, name, strlen(name), sizeof f.diag.file);
	tl_strlcpy(f.diag.rule, tl_audit_rules[rule].id, strlen(tl_audit_rules[rule].id),
	    sizeof f.diag.rule);
	expand(f.diag.message, sizeof f.diag.message, tl_audit_rules[rule].message,
	    args, 4);
	a->counts[f.diag.severity]++;
	return a->fn(a->ctx, &f);
}

static tl_status
report(tl_audit *a, const tl_docinfo *doc, unsigned rule, unsigned long line,
    unsigned long col, const char *a1, const char *a2, const char *a3,
    const char *a4)
{
	const char *const args[4] = { a1, a2, a3, a4 };

	return deliver(a, doc && doc->name ? doc->name : "", rule, line, col,
	    args, NULL, 0);
}

/* A parser diagnostic as a finding of its own rule. */
static tl_status
report_diag(tl_audit *a, const tl_docinfo *doc, const tl_diag *d)
{
	long i = tl_audit_rule_find(d->rule);
	unsigned rule = (unsigned)R_PARSE_DIAGNOSTIC;

	/* Only the parser's own rules; an audit rule id coming from the
	 * parser would be a bug, reported as what it is. */
	if (i >= 0 && i < (long)R_PORTION_ABOVE_BANNER)
		rule = (unsigned)i;
	return report(a, doc, rule, d->line, d->col, d->message,
	    d->rule[0] ? d->rule : "none", NULL, NULL);
}

static char *
ulstr(char buf[24], unsigned long v)
{
	snprintf(buf, 24, "%lu", v);
	return buf;
}

/* ---------------------------------------------------------------------
 * Levels
 * ------------------------------------------------------------------- */

/* Built-in order when no policy ranks levels: the US levels, the UK
 * government security classifications, and the older UK scheme, on one
 * scale.  Only comparisons within one scheme are meaningful. */
static unsigned
builtin_rank(tl_level level)
{
	switch (level) {
	case TL_LEVEL_UNCLASSIFIED: return 1;
	case TL_LEVEL_OFFICIAL: return 1;
	case TL_LEVEL_PROTECT: return 2;
	case TL_LEVEL_OFFICIAL_SENSITIVE: return 2;
	case TL_LEVEL_RESTRICTED: return 3;
	case TL_LEVEL_CONFIDENTIAL: return 4;
	case TL_LEVEL_SECRET: return 5;
	case TL_LEVEL_TOP_SECRET: return 6;
	case TL_LEVEL_UNKNOWN: break;
	}
	return 0;
}

/* The one place levels are ordered.  0: unknown, never compared. */
static unsigned
rank_of(tl_audit *a, const tl_marking *m)
{
	/* The memo's markings are copies with level_token[0] cleared: the
	 * bytes after that one are compared as they are. */
	const size_t rest = offsetof(tl_marking, level_token) + 1;
	tl_marking copy;
	unsigned h, r;

	if (m->level == TL_LEVEL_UNKNOWN || m->malformed)
		return 0;
	if (a->rank == NULL)
		return builtin_rank(m->level);
	h = (unsigned)m->level * 131u + m->ncontrols * 31u + m->nrel * 7u +
	    (unsigned char)m->controls[0][0] + (unsigned char)m->controls[0][1] +
	    (unsigned char)m->rel[0][0] * 3u + (unsigned char)m->rel[0][1] +
	    (unsigned char)m->level_token[1] * 5u + m->rel_to_form;
	h %= RANK_MEMO;
	if (a->memo[h].used && a->memo[h].m.level == m->level &&
	    memcmp((const char *)&a->memo[h].m + rest, (const char *)m + rest,
	    sizeof *m - rest) == 0)
		return a->memo[h].rank;
	copy = *m;
	copy.level_token[0] = '\0';
	r = a->rank(a->rank_ctx, &copy);
	a->memo[h].used = true;
	a->memo[h].m = copy;
	a->memo[h].rank = r;
	return r;
}

/* Classified information in the sense of the marking rules: the levels
 * that need an authority block and make every portion need a mark. */
static bool
classified(tl_level level)
{
	return level == TL_LEVEL_CONFIDENTIAL || level == TL_LEVEL_SECRET ||
	    level == TL_LEVEL_TOP_SECRET || level == TL_LEVEL_RESTRICTED;
}

/* Markings of the UK schemes: their documents carry no E.O. authority
 * block, so the US authority rules do not apply to them. */
static bool
uk_marking(const tl_marking *m)
{
	return m->level == TL_LEVEL_OFFICIAL ||
	    m->level == TL_LEVEL_OFFICIAL_SENSITIVE ||
	    m->level == TL_LEVEL_PROTECT || m->level == TL_LEVEL_RESTRICTED ||
	    tl_marking_has(m, "UK EYES ONLY");
}

/* 1 classified, 0 unclassified, -1 not known yet (no banner, and no
 * classified portion so far).  A banner whose level cannot be read
 * counts as classified: fail closed. */
static int
doc_class(const tl_audit *a, const tl_docinfo *doc)
{
	if (doc->banner.line)
		return doc->banner.marking.level == TL_LEVEL_UNKNOWN ||
		    classified(doc->banner.marking.level);
	return a->d.any_classified ? 1 : -1;
}

static const char *
doc_level_name(const tl_audit *a, const tl_docinfo *doc)
{
	if (doc->banner.line)
		return tl_level_name(doc->banner.marking.level);
	return tl_level_name(a->d.classified_level);
}

/* ---------------------------------------------------------------------
 * Checks of one marking (portion or banner)
 * ------------------------------------------------------------------- */

static bool
has(const tl_marking *m, const char *name)
{
	return tl_marking_has(m, name);
}

static bool
eyes_only(const tl_marking *m)
{
	unsigned i;
	size_t n;

	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++) {
		n = strnlen(m->controls[i], TL_TOKEN_MAX);
		if (n > 9 && memcmp(m->controls[i] + n - 9, "EYES ONLY", 9) == 0)
			return true;
	}
	return false;
}

static bool
is_usa(const char *code)
{
	return strcmp(code, "USA") == 0;
}

/* Sort key of a REL TO code: USA, trigraphs, then tetragraphs. */
static int
rel_cmp(const char *x, const char *y)
{
	int rx = is_usa(x) ? 0 : strlen(x) == 3 ? 1 : 2;
	int ry = is_usa(y) ? 0 : strlen(y) == 3 ? 1 : 2;

	return rx != ry ? rx - ry : strcmp(x, y);
}

/* Writes the REL list of m as written ("GBR, USA") into buf. */
static void
rel_written(const tl_marking *m, char *buf, size_t size)
{
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++) {
		int k = snprintf(buf + n, size - n, "%s%.8s", i ? ", " : "",
		    m->rel[i]);
		if (k < 0 || (size_t)k >= size - n)
			break;
		n += (size_t)k;
	}
}

/* Writes the canonical "REL TO USA, ..." of m into buf. */
static void
rel_canonical(const tl_marking *m, char *buf, size_t size)
{
	tl_marking only;
	char full[512];
	const char *r;

	memset(&only, 0, sizeof only);
	only.level = m->level;
	only.rel_to = true;
	only.nrel = m->nrel < TL_MARK_REL_MAX ? m->nrel : TL_MARK_REL_MAX;
	memcpy(only.rel, m->rel, sizeof only.rel);
	tl_marking_format(&only, full, sizeof full);
	r = strstr(full, "REL TO ");
	tl_strlcpy(buf, r ? r : full, strlen(r ? r : full), size);
}

static bool
is_code(const char *s, size_t n)
{
	size_t i;

	if (n != 3 && n != 4)
		return false;
	for (i = 0; i < n; i++)
		if (!tl_isupper((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * The REL TO form names countries by their codes: each comma-separated
 * item of the list as written must be a trigraph or tetragraph in upper
 * case.  Reports the first item that is not ("UK", "United Kingdom").
 */
static tl_status
check_relto_form(tl_audit *a, const tl_docinfo *doc, const tl_marking *m,
    const char *written, const char *what, const char *text,
    unsigned long line, unsigned long col)
{
	char item[64], canon[512];
	size_t n = written ? strlen(written) : 0, i, j, e;

	for (i = 0; i + 6 <= n; i++)
		if (tl_iprefix(written + i, n - i, "REL TO") &&
		    (i == 0 || !tl_isalpha((unsigned char)written[i - 1])))
			break;
	if (i + 6 > n)
		return TL_OK;
	for (i += 6; i < n && written[i] != '/';) {
		while (i < n && (written[i] == ' ' || written[i] == ','))
			i++;
		for (j = i; j < n && written[j] != ',' && written[j] != '/'; j++)
			;
		for (e = j; e > i && written[e - 1] == ' '; e--)
			;
		if (e > i && !is_code(written + i, e - i)) {
			tl_strlcpy(item, written + i, e - i, sizeof item);
			rel_canonical(m, canon, sizeof canon);
			return report(a, doc, R_RELTO_FORM, line, col, what, text,
			    item, canon);
		}
		i = j;
	}
	return TL_OK;
}

/* What a finding calls the marking: "portion" or "banner". */
static const char *
what_name(bool banner)
{
	return banner ? "banner" : "portion";
}

/*
 * Rules of one marking, for portions and the banner alike: NOFORN with
 * REL TO, NODIS with EXDIS, REL TO order and form, duplicates, deprecated
 * controls, unclassified-only and classified-only controls.  `text` is
 * the marking for messages, `written` the text it was read from.
 */
static tl_status
check_marking(tl_audit *a, const tl_docinfo *doc, const tl_marking *m,
    const char *text, const char *written, bool banner, unsigned long line,
    unsigned long col)
{
	static const char *const unclass_only[] = { "FOUO", "SBU", "LES",
		"LOU", NULL };
	static const char *const class_only[] = { "ORCON", "SI", "SI-G",
		"TK", "HCS", "FGI", NULL };
	const char *what = what_name(banner);
	const char *lvl = tl_level_name(m->level);
	char buf[512], canon[512];
	tl_status st = TL_OK;
	unsigned i, j;
	size_t k;

	if (m->malformed)
		return TL_OK;
	if ((has(m, "NOFORN") || has(m, "NODIS") || has(m, "EXDIS")) &&
	    (m->rel_to || eyes_only(m) || has(m, "RELIDO"))) {
		const char *which = has(m, "NOFORN") ? "NOFORN" :
		    has(m, "NODIS") ? "NODIS" : "EXDIS";
		if ((st = report(a, doc, R_NOFORN_RELTO, line, col, what, text,
		    which, NULL)) != TL_OK)
			return st;
	}
	if (has(m, "NODIS") && has(m, "EXDIS") &&
	    (st = report(a, doc, R_NODIS_EXDIS, line, col, what, text, NULL,
	    NULL)) != TL_OK)
		return st;
	if (m->rel_to && m->nrel > 0) {
		bool usa_only = true, ordered = true;
		for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++)
			if (!is_usa(m->rel[i]))
				usa_only = false;
		rel_written(m, buf, sizeof buf);
		rel_canonical(m, canon, sizeof canon);
		if (usa_only) {
			st = report(a, doc, R_RELTO_USA_ONLY, line, col, what,
			    text, NULL, NULL);
		} else if (m->rel_to_form) {
			st = check_relto_form(a, doc, m, written, what, text,
			    line, col);
			if (st != TL_OK)
				return st;
			if (!is_usa(m->rel[0]))
				ordered = false;
			for (i = 1; i < m->nrel && i < TL_MARK_REL_MAX; i++)
				if (rel_cmp(m->rel[i - 1], m->rel[i]) >= 0)
					ordered = false;
			if (!ordered)
				st = report(a, doc, R_RELTO_ORDER, line, col,
				    buf, canon, NULL, NULL);
		}
		if (st != TL_OK)
			return st;
		for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++)
			for (j = 0; j < i; j++)
				if (strncmp(m->rel[i], m->rel[j],
				    sizeof m->rel[i]) == 0) {
					snprintf(buf, sizeof buf, "country %.8s",
					    m->rel[i]);
					if ((st = report(a, doc,
					    R_CONTROL_DUPLICATE, line, col, what,
					    text, buf, NULL)) != TL_OK)
						return st;
					break;
				}
	}
	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		for (j = 0; j < i; j++)
			if (strncmp(m->controls[i], m->controls[j],
			    TL_TOKEN_MAX) == 0) {
				if ((st = report(a, doc, R_CONTROL_DUPLICATE,
				    line, col, what, text, m->controls[i],
				    NULL)) != TL_OK)
					return st;
				break;
			}
	if (has(m, "LOU") && (st = report(a, doc, R_CONTROL_DEPRECATED, line,
	    col, what, text, "LOU", "SBU")) != TL_OK)
		return st;
	if (classified(m->level)) {
		for (k = 0; unclass_only[k]; k++)
			if (has(m, unclass_only[k]) &&
			    (st = report(a, doc, R_UNCLASS_CONTROL_CLASSIFIED,
			    line, col, what, text, lvl, unclass_only[k])) != TL_OK)
				return st;
	} else if (m->level != TL_LEVEL_UNKNOWN) {
		for (k = 0; class_only[k]; k++)
			if (has(m, class_only[k]) &&
			    (st = report(a, doc, R_CONTROL_BELOW_CONFIDENTIAL,
			    line, col, what, text, lvl, class_only[k])) != TL_OK)
				return st;
	}
	return TL_OK;
}

/* ---------------------------------------------------------------------
 * Roll-up aggregates
 * ------------------------------------------------------------------- */

static bool
relset_has(const relset *s, const char *code)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->code[i], code) == 0)
			return true;
	return false;
}

static void
relset_add(relset *s, const char *code)
{
	if (is_usa(code) || relset_has(s, code) || s->n >= REL_SET_MAX)
		return;
	tl_strlcpy(s->code[s->n++], code, strlen(code), sizeof s->code[0]);
}

/* The countries a marking releases to, groups expanded, USA left out. */
static void
relset_of(const tl_marking *m, relset *s)
{
	char code[8];
	const char *members, *p;
	unsigned i;
	size_t n;

	s->n = 0;
	for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++) {
		tl_strlcpy(code, m->rel[i], strnlen(m->rel[i], sizeof m->rel[i]),
		    sizeof code);
		if ((members = tl_country_group(code)) == NULL) {
			relset_add(s, code);
			continue;
		}
		for (p = members; *p;) {
			while (*p == ' ')
				p++;
			for (n = 0; p[n] && p[n] != ' '; n++)
				;
			if (n > 0 && n < sizeof code) {
				memcpy(code, p, n);
				code[n] = '\0';
				relset_add(s, code);
			}
			p += n;
		}
	}
}

static void
relset_intersect(relset *s, const relset *t)
{
	unsigned i, k = 0;

	for (i = 0; i < s->n; i++)
		if (relset_has(t, s->code[i]))
			memmove(s->code[k++], s->code[i], sizeof s->code[0]);
	s->n = k;
}

/* "AUS, GBR" in sorted order, or "no country". */
static void
relset_format(const relset *s, char *buf, size_t size)
{
	const char *sorted[REL_SET_MAX] = { NULL };
	const char *t;
	unsigned i, j, count = s->n < REL_SET_MAX ? s->n : REL_SET_MAX;
	size_t n = 0;

	for (i = 0; i < count; i++)
		sorted[i] = s->code[i];
	for (i = 1; i < count; i++)
		for (j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
			t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	buf[0] = '\0';
	if (count == 0) {
		tl_strlcpy(buf, "no country", 10, size);
		return;
	}
	for (i = 0; i < count; i++) {
		int k = snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
		    sorted[i]);
		if (k < 0 || (size_t)k >= size - n)
			break;
		n += (size_t)k;
	}
}

/* Controls that roll up from portions to the banner.  SBU and its kin
 * do only in unclassified documents: in a classified one the level
 * supersedes them. */
static bool
rolls_up(const char *control, bool classified_doc)
{
	if (strcmp(control, "SBU") == 0 || strcmp(control, "FOUO") == 0 ||
	    strcmp(control, "LES") == 0 || strcmp(control, "LOU") == 0 ||
	    strcmp(control, "SENSITIVE") == 0)
		return !classified_doc;
	return true;
}

static void
note_controls(docstate *d, const tl_portion *p)
{
	const tl_marking *m = &p->marking;
	unsigned i, j;

	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++) {
		for (j = 0; j < d->ncontrols; j++)
			if (strncmp(d->controls[j].name, m->controls[i],
			    TL_TOKEN_MAX) == 0)
				break;
		if (j < d->ncontrols)
			continue;
		if (d->ncontrols == CONTROLS_SEEN_MAX) {
			d->controls_full = true;
			continue;
		}
		tl_strlcpy(d->controls[j].name, m->controls[i],
		    strnlen(m->controls[i], TL_TOKEN_MAX), TL_TOKEN_MAX);
		d->controls[j].at.line = p->line;
		d->controls[j].at.col = p->mark_col;
		d->ncontrols++;
	}
}

static const seen_control *
seen(const docstate *d, const char *name)
{
	unsigned i;

	for (i = 0; i < d->ncontrols; i++)
		if (strcmp(d->controls[i].name, name) == 0)
			return &d->controls[i];
	return NULL;
}

/* Folds a marked portion into the roll-up aggregates. */
static void
roll_up(tl_audit *a, const tl_portion *p, unsigned rank)
{
	docstate *d = &a->d;
	const tl_marking *m = &p->marking;
	where at = { p->line, p->mark_col };
	relset s;

	d->any_marked = true;
	if (uk_marking(m))
		d->uk = true;
	if (rank == 0) {
		d->any_unknown_level = true;
		return;
	}
	if (rank > d->max_rank) {
		d->max_rank = rank;
		d->max_at = at;
		d->max_level = m->level;
	}
	note_controls(d, p);
	if ((has(m, "NOFORN") || has(m, "NODIS") || has(m, "EXDIS")) &&
	    !d->noforn) {
		d->noforn = true;
		d->noforn_at = at;
	}
	if (!classified(m->level))
		return;
	if (!d->any_classified) {
		d->any_classified = true;
		d->classified_at = at;
		d->classified_level = m->level;
	}
	if (!m->rel_to) {
		if (!d->norel) {
			d->norel = true;
			d->norel_at = at;
		}
		return;
	}
	relset_of(m, &s);
	if (!d->rel_started) {
		d->inter = s;
		d->rel_started = true;
	} else {
		relset_intersect(&d->inter, &s);
	}
}

/* ---------------------------------------------------------------------
 * Unmarked portions
 * ------------------------------------------------------------------- */

static unsigned
unmarked_rule(tl_portion_kind kind)
{
	switch (kind) {
	case TL_PORTION_SUBJECT: return R_SUBJECT_UNMARKED;
	case TL_PORTION_HEADING: return R_PORTION_UNMARKED_HEADING;
	case TL_PORTION_ITEM: return R_PORTION_UNMARKED_ITEM;
	case TL_PORTION_PARAGRAPH:
	case TL_PORTION_TEXT: break;
	}
	return R_PORTION_UNMARKED;
}

static const char *
kind_noun(tl_portion_kind kind)
{
	switch (kind) {
	case TL_PORTION_SUBJECT: return "SUBJECT line";
	case TL_PORTION_HEADING: return "heading";
	case TL_PORTION_ITEM: return "bullet or sub-paragraph";
	case TL_PORTION_TEXT: return "text";
	case TL_PORTION_PARAGRAPH: break;
	}
	return "paragraph";
}

static tl_status
report_unmarked(tl_audit *a, const tl_docinfo *doc, unsigned rule,
    tl_portion_kind kind, where at, const char *extra)
{
	if (rule != R_PORTION_UNMARKED_HEADING &&
	    rule != R_PORTION_UNMARKED_TRAILER)
		a->d.unmarked++;
	return report(a, doc, rule, at.line, at.col, kind_noun(kind),
	    doc_level_name(a, doc), extra ? extra : "", NULL);
}

/* Reports the pending portions: as trailers when nothing marked came
 * after them (`trailer`), else as what they are. */
static tl_status
flush_pending(tl_audit *a, const tl_docinfo *doc, bool trailer)
{
	docstate *d = &a->d;
	tl_status st = TL_OK;
	unsigned i, rule;

	for (i = 0; i < d->npend && st == TL_OK; i++) {
		rule = unmarked_rule(d->pend[i].kind);
		if (trailer && d->pend[i].kind == TL_PORTION_TEXT)
			rule = R_PORTION_UNMARKED_TRAILER;
		st = report_unmarked(a, doc, rule, d->pend[i].kind,
		    d->pend[i].at, NULL);
	}
	d->npend = 0;
	return st;
}

static tl_status
unmarked_portion(tl_audit *a, const tl_docinfo *doc, const tl_portion *p)
{
	docstate *d = &a->d;
	where at = { p->line, p->col };
	undecided *u;
	int cls;
	tl_status st;

	/* "CONFIDENTIAL - ENTIRE TEXT": every portion is at that level. */
	if (doc->entire_text)
		return TL_OK;
	cls = doc_class(a, doc);
	if (cls == 0)
		return TL_OK;
	if (cls < 0) {
		u = &d->undecided[(unsigned)p->kind < 5 ? p->kind : 0];
		if (u->count++ == 0)
			u->first = at;
		return TL_OK;
	}
	/* Short text after the last marked portion may be a signature:
	 * wait until the next marked portion, or the end, says which. */
	if ((p->kind == TL_PORTION_TEXT && d->any_marked &&
	    p->end_line - p->line < TRAILER_LINES_MAX) ||
	    (p->kind == TL_PORTION_HEADING && d->npend > 0)) {
		if (d->npend == PENDING_MAX &&
		    (st = flush_pending(a, doc, false)) != TL_OK)
			return st;
		d->pend[d->npend].kind = p->kind;
		d->pend[d->npend].at = at;
		d->pend[d->npend].end_line = p->end_line;
		d->npend++;
		return TL_OK;
	}
	if (p->kind == TL_PORTION_SUBJECT) {
		d->subject_pending = true;
		d->subject_at = at;
		return TL_OK;
	}
	if ((st = flush_pending(a, doc, false)) != TL_OK)
		return st;
	return report_unmarked(a, doc, unmarked_rule(p->kind), p->kind, at,
	    NULL);
}

/* Reports a waiting unmarked SUBJECT once the header is over. */
static tl_status
flush_subject(tl_audit *a, const tl_docinfo *doc)
{
	if (!a->d.subject_pending)
		return TL_OK;
	a->d.subject_pending = false;
	if (doc->entire_text)
		return TL_OK;
	return report_unmarked(a, doc, R_SUBJECT_UNMARKED, TL_PORTION_SUBJECT,
	    a->d.subject_at, NULL);
}

/* ---------------------------------------------------------------------
 * Per portion
 * ------------------------------------------------------------------- */

static tl_status
portion_end(tl_audit *a, const tl_docinfo *doc, const tl_portion *p)
{
	docstate *d = &a->d;
	unsigned rank, brank;
	char mark[TL_MARK_MAX + 1];
	tl_status st;

	if (!p->marked)
		return unmarked_portion(a, doc, p);
	tl_strlcpy(mark, p->mark_text, strnlen(p->mark_text, sizeof p->mark_text),
	    sizeof mark);
	rank = rank_of(a, &p->marking);
	roll_up(a, p, rank);
	if (rank && doc->banner.line) {
		brank = rank_of(a, &doc->banner.marking);
		if (brank && rank > brank &&
		    (st = report(a, doc, R_PORTION_ABOVE_BANNER, p->line,
		    p->mark_col, mark, tl_level_name(p->marking.level),
		    tl_level_name(doc->banner.marking.level), NULL)) != TL_OK)
			return st;
	} else if (rank && rank > d->early_rank) {
		d->early_rank = rank;
		d->early_at.line = p->line;
		d->early_at.col = p->mark_col;
		d->early_level = p->marking.level;
		tl_strlcpy(d->early_mark, mark, strlen(mark), sizeof d->early_mark);
	}
	return check_marking(a, doc, &p->marking, mark, mark, false, p->line,
	    p->mark_col);
}

/* ---------------------------------------------------------------------
 * Per document
 * ------------------------------------------------------------------- */

static tl_status
check_routing(tl_audit *a, const tl_docinfo *doc)
{
	const tl_routing *r = &doc->routing;
	tl_level bl = doc->banner.marking.level;

	if (r->line == 0 || doc->banner.line == 0 || bl == TL_LEVEL_UNKNOWN)
		return TL_OK;
	if (r->level == bl)
		return TL_OK;
	return report(a, doc, R_ROUTING_MISMATCH, r->line, r->col, r->letters,
	    r->level == TL_LEVEL_UNKNOWN ? "an unknown class" :
	    tl_level_name(r->level), tl_level_name(bl), NULL);
}

static tl_status
check_banner_marking(tl_audit *a, const tl_docinfo *doc)
{
	const tl_banner *b = &doc->banner;
	char text[TL_MARK_MAX + 1], why[200];
	unsigned i;
	size_t n;
	tl_status st;

	tl_marking_format(&b->marking, text, sizeof text);
	if ((st = check_marking(a, doc, &b->marking, text, b->text, true,
	    b->line, b->col)) != TL_OK)
		return st;
	for (i = 0; i < b->marking.nunknown && i < TL_MARK_UNKNOWN_MAX; i++) {
		n = strnlen(b->marking.unknown[i], TL_TOKEN_MAX);
		snprintf(why, sizeof why, "banner \"%s\": unknown token \"%.*s\"",
		    b->text, (int)n, b->marking.unknown[i]);
		if ((st = report(a, doc, R_MARK_UNKNOWN_TOKEN, b->line, b->col,
		    why, NULL, NULL, NULL)) != TL_OK)
			return st;
	}
	if (doc->closing.line && doc->closing.line != b->line &&
	    doc->closing.marking.level != b->marking.level &&
	    (st = report(a, doc, R_BANNER_CLOSING_MISMATCH, doc->closing.line,
	    doc->closing.col, tl_level_name(doc->closing.marking.level),
	    tl_level_name(b->marking.level), NULL, NULL)) != TL_OK)
		return st;
	return TL_OK;
}

/* Level roll-up: portions before the banner, the banner above all. */
static tl_status
check_levels(tl_audit *a, const tl_docinfo *doc)
{
	docstate *d = &a->d;
	const tl_banner *b = &doc->banner;
	unsigned brank = rank_of(a, &b->marking);
	char num[24];
	tl_status st;

	if (brank == 0)
		return TL_OK;
	if (d->early_rank > brank &&
	    (st = report(a, doc, R_PORTION_ABOVE_BANNER, d->early_at.line,
	    d->early_at.col, d->early_mark, tl_level_name(d->early_level),
	    tl_level_name(b->marking.level), NULL)) != TL_OK)
		return st;
	/* Only when every portion's level is known: an unmarked or
	 * unreadable portion may be what the banner is for. */
	if (d->any_marked && !d->any_unknown_level && d->unmarked == 0 &&
	    d->max_rank && d->max_rank < brank)
		return report(a, doc, R_BANNER_ABOVE_PORTIONS, b->line, b->col,
		    tl_level_name(b->marking.level),
		    tl_level_name(d->max_level), ulstr(num, d->max_at.line),
		    NULL);
	return TL_OK;
}

/* Control roll-up both ways. */
static tl_status
check_controls(tl_audit *a, const tl_docinfo *doc)
{
	docstate *d = &a->d;
	const tl_banner *b = &doc->banner;
	const tl_marking *bm = &b->marking;
	bool cls = classified(bm->level) || bm->level == TL_LEVEL_UNKNOWN;
	bool implied_nf = has(bm, "NODIS") || has(bm, "EXDIS");
	char num[24], name[TL_TOKEN_MAX];
	unsigned i;
	tl_status st;

	for (i = 0; i < d->ncontrols; i++) {
		const seen_control *c = &d->controls[i];
		if (!rolls_up(c->name, cls) || has(bm, c->name))
			continue;
		if (strcmp(c->name, "NOFORN") == 0 && implied_nf)
			continue;
		if ((st = report(a, doc, R_BANNER_CONTROL_MISSING, b->line,
		    b->col, c->name, ulstr(num, c->at.line), NULL,
		    NULL)) != TL_OK)
			return st;
	}
	if (d->controls_full && (st = report(a, doc, R_AUDIT_TRUNCATED, b->line,
	    b->col, "more distinct controls than the audit keeps; the "
	    "control roll-up is incomplete", NULL, NULL, NULL)) != TL_OK)
		return st;
	if (!d->any_marked)
		return TL_OK;
	for (i = 0; i < bm->ncontrols && i < TL_MARK_CONTROLS_MAX; i++) {
		tl_strlcpy(name, bm->controls[i],
		    strnlen(bm->controls[i], TL_TOKEN_MAX), sizeof name);
		/* Distribution captions bind the whole cable; portions do
		 * not repeat them. */
		if (strcmp(name, "NODIS") == 0 || strcmp(name, "EXDIS") == 0 ||
		    strcmp(name, "LIMDIS") == 0)
			continue;
		if (!rolls_up(name, cls) || seen(d, name))
			continue;
		if (strcmp(name, "NOFORN") == 0 &&
		    (seen(d, "NODIS") || seen(d, "EXDIS")))
			continue;
		if ((st = report(a, doc, R_BANNER_CONTROL_UNBACKED, b->line,
		    b->col, name, NULL, NULL, NULL)) != TL_OK)
			return st;
	}
	return TL_OK;
}

/* REL TO roll-up: the banner's list is the intersection of the lists of
 * the classified portions. */
static tl_status
check_relto(tl_audit *a, const tl_docinfo *doc)
{
	docstate *d = &a->d;
	const tl_banner *b = &doc->banner;
	const tl_marking *bm = &b->marking;
	char list[1200], why[1400], num[24];
	relset bs, extra;
	unsigned i;

	if (!d->any_classified)
		return TL_OK;
	relset_of(bm, &bs);
	relset_format(&bs, list, sizeof list);
	if (bm->rel_to) {
		if (d->noforn) {
			snprintf(why, sizeof why, "the portion at line %s is "
			    "NOFORN", ulstr(num, d->noforn_at.line));
			return report(a, doc, R_BANNER_RELTO_WIDER, b->line,
			    b->col, list, why, NULL, NULL);
		}
		if (d->norel) {
			snprintf(why, sizeof why, "the classified portion at "
			    "line %s has no REL TO", ulstr(num, d->norel_at.line));
			return report(a, doc, R_BANNER_RELTO_WIDER, b->line,
			    b->col, list, why, NULL, NULL);
		}
		extra.n = 0;
		for (i = 0; i < bs.n; i++)
			if (!relset_has(&d->inter, bs.code[i]))
				relset_add(&extra, bs.code[i]);
		if (extra.n > 0) {
			char ex[1200], in[1200];
			relset_format(&extra, ex, sizeof ex);
			relset_format(&d->inter, in, sizeof in);
			snprintf(why, sizeof why, "the portions are all "
			    "releasable only to %.200s (beyond USA): %.150s not",
			    in, ex);
			return report(a, doc, R_BANNER_RELTO_WIDER, b->line,
			    b->col, list, why, NULL, NULL);
		}
		extra.n = 0;
		for (i = 0; i < d->inter.n; i++)
			if (!relset_has(&bs, d->inter.code[i]))
				relset_add(&extra, d->inter.code[i]);
		if (extra.n > 0) {
			char ex[1200];
			relset_format(&extra, ex, sizeof ex);
			snprintf(why, sizeof why, "banner REL TO %.150s leaves "
			    "out %.150s, to which every classified portion is "
			    "releasable", list, ex);
			return report(a, doc, R_BANNER_RELTO_NARROWER, b->line,
			    b->col, why, NULL, NULL, NULL);
		}
		return TL_OK;
	}
	/* No banner REL TO: narrower, unless the banner is NOFORN (or a
	 * caption that implies it) or the portions allow no release. */
	if (d->noforn || d->norel || !d->rel_started || d->inter.n == 0 ||
	    has(bm, "NOFORN") || has(bm, "NODIS") || has(bm, "EXDIS"))
		return TL_OK;
	relset_format(&d->inter, list, sizeof list);
	snprintf(why, sizeof why, "every classified portion is releasable to "
	    "%.300s, but the banner has no REL TO", list);
	return report(a, doc, R_BANNER_RELTO_NARROWER, b->line, b->col, why,
	    NULL, NULL, NULL);
}

/* Exemption codes that allow classification past 25 years, or stand
 * for a date: X1-X8 (E.O. 12958), 25X1-25X9, 50X1-HUM, 50X2-WMD,
 * 75X.., "MR" and "OADR" (older orders).  Found as words of the text. */
static bool
exemption(const char *s)
{
	size_t i = 0, j;

	while (s[i]) {
		while (s[i] && !tl_isalpha((unsigned char)s[i]) &&
		    !tl_isdigit((unsigned char)s[i]))
			i++;
		for (j = i; s[j] && (tl_isalpha((unsigned char)s[j]) ||
		    tl_isdigit((unsigned char)s[j]) || s[j] == '-'); j++)
			;
		if (j > i) {
			const char *w = s + i;
			size_t n = j - i, k = 0;
			while (k < n && tl_isdigit((unsigned char)w[k]))
				k++;
			/* X1, 25X1, 50X1-HUM; "1.6X1" leaves the word 6X1 */
			if (k <= 2 && k + 1 < n &&
			    tl_toupper((unsigned char)w[k]) == 'X' &&
			    tl_isdigit((unsigned char)w[k + 1]))
				return true;
			if (tl_ieq(w, n, "MR") || tl_ieq(w, n, "OADR"))
				return true;
		}
		i = j;
	}
	return false;
}

/* Adds 25 years to an ISO date "YYYY-MM-DD" (string order is date
 * order, so Feb 29 + 25 years compares correctly as is). */
static void
plus_25_years(const char *iso, char out[11])
{
	int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 +
	    (iso[2] - '0') * 10 + (iso[3] - '0') + 25;

	memcpy(out, iso, 11);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
}

/* The authority block of a classified document. */
static tl_status
check_authority(tl_audit *a, const tl_docinfo *doc)
{
	const tl_authority *au = &doc->authority;
	const tl_declassify *dc = &doc->declassify;
	const char *lvl = doc_level_name(a, doc);
	unsigned long bl = doc->banner.line ? doc->banner.line : 1;
	unsigned long bc = doc->banner.line ? doc->banner.col : 1;
	char limit[11], why[200];
	const char *t;
	unsigned i;
	tl_status st;

	if (au->line == 0) {
		if ((st = report(a, doc, R_AUTHORITY_MISSING, bl, bc, lvl, NULL,
		    NULL, NULL)) != TL_OK)
			return st;
	} else if (au->nreasons == 0 && !a->d.derived) {
		if ((st = report(a, doc, R_REASON_MISSING, au->line, au->col,
		    NULL, NULL, NULL, NULL)) != TL_OK)
			return st;
	}
	for (i = 0; i < au->nreasons && i < 8; i++) {
		const char *r = au->reasons[i];
		char letter = r[4];
		const char *bad = NULL;
		/* "1.4(b)" / "1.5(d)" as the parser normalizes them. */
		if (strncmp(r, "1.4(", 4) == 0) {
			if (letter < 'a' || letter > 'h')
				bad = "is not a category of section 1.4 (a-h)";
		} else if (strncmp(r, "1.5(", 4) == 0) {
			if (letter < 'a' || letter > 'g')
				bad = "is not a category of section 1.5 of E.O. "
				    "12958 (a-g)";
			else if (doc->date[0] && strcmp(doc->date, "2003-03-25") >= 0)
				bad = "uses the pre-2003 numbering (1.5) in a "
				    "document dated after E.O. 13292; cite 1.4";
		} else {
			bad = "is not a reason of section 1.4";
		}
		if (bad && (st = report(a, doc, R_REASON_INVALID, au->line,
		    au->col, r, bad, NULL, NULL)) != TL_OK)
			return st;
	}
	/* Declassification. */
	if (dc->line == 0)
		return report(a, doc, R_DECLASS_MISSING, bl, bc,
		    "classified document without a declassification date, "
		    "event or exemption (DECL:)", NULL, NULL, NULL);
	t = dc->text;
	while (*t == ' ')
		t++;
	if (*t == '\0' || tl_ieq(t, strlen(t), "N/A") ||
	    tl_ieq(t, strlen(t), "NA") || tl_ieq(t, strlen(t), "NONE")) {
		snprintf(why, sizeof why, "classified document with DECL "
		    "\"%s\": no declassification date, event or exemption", t);
		return report(a, doc, R_DECLASS_MISSING, dc->line, dc->col, why,
		    NULL, NULL, NULL);
	}
	if (exemption(t))
		return TL_OK;
	if (dc->date[0] == '\0') {
		/* Digits first: meant as a date.  Words: an event. */
		if (tl_isdigit((unsigned char)*t))
			return report(a, doc, R_DECLASS_DATE_INVALID, dc->line,
			    dc->col, t, NULL, NULL, NULL);
		return TL_OK;
	}
	if (doc->date[0] == '\0')
		return TL_OK;
	if (strcmp(dc->date, doc->date) < 0)
		return report(a, doc, R_DECLASS_EARLY, dc->line, dc->col,
		    dc->date, doc->date, NULL, NULL);
	plus_25_years(doc->date, limit);
	if (strcmp(dc->date, limit) > 0)
		return report(a, doc, R_DECLASS_LATE, dc->line, dc->col,
		    dc->date, doc->date, NULL, NULL);
	return TL_OK;
}

static tl_status
check_unclassified_authority(tl_audit *a, const tl_docinfo *doc)
{
	const char *lvl = doc->banner.line ?
	    tl_level_name(doc->banner.marking.level) : "unclassified";
	tl_status st;

	if (doc->authority.line && (st = report(a, doc,
	    R_AUTHORITY_UNCLASSIFIED, doc->authority.line, doc->authority.col,
	    lvl, "a Classified By line", NULL, NULL)) != TL_OK)
		return st;
	if (doc->declassify.line && doc->declassify.date[0])
		return report(a, doc, R_AUTHORITY_UNCLASSIFIED,
		    doc->declassify.line, doc->declassify.col, lvl,
		    "a declassification date", NULL, NULL);
	return TL_OK;
}

static tl_status
document_end(tl_audit *a, const tl_docinfo *doc)
{
	docstate *d = &a->d;
	const tl_banner *b = &doc->banner;
	char num[24], extra[96];
	unsigned k;
	int cls;
	tl_status st;

	if ((st = flush_subject(a, doc)) != TL_OK ||
	    (st = flush_pending(a, doc, true)) != TL_OK)
		return st;
	cls = doc_class(a, doc);
	if (b->line && uk_marking(&b->marking))
		d->uk = true;
	/* Unmarked portions that came before the class was known. */
	for (k = 0; k < 5 && cls > 0 && !doc->entire_text; k++) {
		undecided *u = &d->undecided[k];
		if (u->count == 0)
			continue;
		extra[0] = '\0';
		if (u->count > 1)
			snprintf(extra, sizeof extra, " (and %lu more before the "
			    "first classified portion)", u->count - 1);
		if ((st = report_unmarked(a, doc, unmarked_rule((tl_portion_kind)k),
		    (tl_portion_kind)k, u->first, extra)) != TL_OK)
			return st;
	}
	if ((st = check_routing(a, doc)) != TL_OK)
		return st;
	st = TL_OK;
	if (b->line == 0) {
		if (d->any_classified)
			st = report(a, doc, R_BANNER_MISSING,
			    d->classified_at.line, d->classified_at.col,
			    ulstr(num, d->classified_at.line),
			    tl_level_name(d->classified_level), NULL, NULL);
		else if (!d->any_marked && doc->portions > 0)
			st = report(a, doc, R_DOCUMENT_UNMARKED, 1, 1, NULL, NULL,
			    NULL, NULL);
		if (st != TL_OK)
			return st;
	} else {
		if ((st = check_banner_marking(a, doc)) != TL_OK ||
		    (st = check_levels(a, doc)) != TL_OK ||
		    (st = check_controls(a, doc)) != TL_OK ||
		    (st = check_relto(a, doc)) != TL_OK)
			return st;
	}
	if (d->uk)
		return TL_OK;
	if (cls > 0)
		return check_authority(a, doc);
	return check_unclassified_authority(a, doc);
}

/* ---------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------- */

static tl_status consist_failed(tl_audit *a, tl_status st);
static tl_status consist_portion(tl_audit *a, const tl_docinfo *doc,
    const tl_portion *p);

tl_status
tl_audit_event(void *audit, const tl_event *ev)
{
	tl_audit *a = audit;
	const tl_docinfo *doc = ev->doc;
	const tl_portion *p = ev->portion;
	const tl_line *l = ev->line;
	tl_status st = TL_OK;
	size_t i;

	switch (ev->kind) {
	case TL_EV_LINE:
		if (a->cs && a->cs_doc && l->portion && l->role == TL_LINE_BODY &&
		    (st = tl_consist_text(a->cs, l->text, l->len, l->last)) !=
		    TL_OK)
			return consist_failed(a, st);
		if (l->role == TL_LINE_AUTHORITY && l->first &&
		    l->number == doc->authority.line) {
			for (i = 0; i < l->len && tl_isspace((unsigned char)l->text[i]); i++)
				;
			a->d.derived = tl_iprefix(l->text + i, l->len - i,
			    "DERIVED FROM");
		}
		break;
	case TL_EV_PORTION_BEGIN:
		if ((st = consist_portion(a, doc, p)) != TL_OK)
			return st;
		if (p->kind != TL_PORTION_SUBJECT)
			st = flush_subject(a, doc);
		/* What follows pending unmarked text decides it is not a
		 * trailer: anything but more unmarked text or headings. */
		if (st == TL_OK && a->d.npend > 0 && (p->marked ||
		    (p->kind != TL_PORTION_TEXT && p->kind != TL_PORTION_HEADING)))
			st = flush_pending(a, doc, false);
		break;
	case TL_EV_PORTION_END:
		st = portion_end(a, doc, p);
		break;
	case TL_EV_DIAG:
		st = report_diag(a, doc, ev->diag);
		break;
	case TL_EV_END:
		st = document_end(a, doc);
		memset(&a->d, 0, sizeof a->d);
		a->cs_doc = false;
		break;
	}
	return st;
}

/* A consistency store that failed: the audit of each document goes on,
 * and tl_audit_finish reports why the run could not be compared. */
static tl_status
consist_failed(tl_audit *a, tl_status st)
{
	if (a->cs_st == TL_OK) {
		a->cs_st = st;
		tl_diag_set(&a->cs_diag, st, TL_SEV_ERROR, NULL, 0, 0, NULL,
		    "consistency database: cannot store a passage");
	}
	tl_consist_close(a->cs);
	a->cs = NULL;
	return TL_OK;
}

/* A portion begins: its passages join the run's, at its mark's rank. */
static tl_status
consist_portion(tl_audit *a, const tl_docinfo *doc, const tl_portion *p)
{
	tl_status st;
	unsigned rank;

	char mark[TL_MARK_MAX + 1];

	if (!a->enabled[R_CONSISTENCY_MARK] || a->cs_st != TL_OK)
		return TL_OK;
	/* Text with no mark of its own stands at its banner's level. */
	if (p->marked) {
		rank = p->marking.malformed ? 0 : rank_of(a, &p->marking);
		tl_strlcpy(mark, p->mark_text, strlen(p->mark_text), sizeof mark);
	} else {
		rank = doc->banner.line ? rank_of(a, &doc->banner.marking) : 0;
		tl_consist_mark_of(&doc->banner, mark, sizeof mark);
	}
	if (rank == 0) {
		if (a->cs != NULL && a->cs_doc)
			tl_consist_portion(a->cs, p, 0, "");
		return TL_OK;
	}
	if (a->cs == NULL &&
	    (st = tl_consist_open(&a->cs, NULL, &a->cs_diag)) != TL_OK) {
		a->cs_st = st;
		return TL_OK;
	}
	if (!a->cs_doc) {
		if ((st = tl_consist_doc(a->cs, doc->name ? doc->name : "")) !=
		    TL_OK)
			return consist_failed(a, st);
		a->cs_doc = true;
	}
	tl_consist_portion(a->cs, p, rank, mark);
	return TL_OK;
}

static tl_status
on_pair(void *ctx, const tl_consist_pair *pr)
{
	char line[24];
	const char *args[4];

	snprintf(line, sizeof line, "%lu", pr->other_line);
	args[0] = pr->other_file;
	args[1] = line;
	args[2] = pr->other_mark;
	args[3] = pr->mark;
	return deliver(ctx, pr->file, R_CONSISTENCY_MARK, pr->line, 1, args,
	    pr->other_file, pr->other_line);
}

tl_status
tl_audit_finish(tl_audit *a, tl_diag *diag)
{
	tl_status st = TL_OK;

	if (a->cs_st != TL_OK) {
		if (diag)
			*diag = a->cs_diag;
		st = a->cs_st;
	} else if (a->cs != NULL && a->enabled[R_CONSISTENCY_MARK]) {
		st = tl_consist_pairs(a->cs, on_pair, a, diag);
	}
	tl_consist_close(a->cs);
	a->cs = NULL;
	return st;
}

tl_status
tl_audit_file(tl_audit *a, const char *path, tl_diag *diag)
{
	tl_status st;

	memset(&a->d, 0, sizeof a->d);
	st = tl_parse_file(path, tl_audit_event, a, diag);
	memset(&a->d, 0, sizeof a->d);
	return st;
}
