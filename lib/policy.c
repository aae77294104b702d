/*
 * policy.c: loads a YAML policy (levels, groups, controls, readers,
 * handling, placeholder, audit settings) into a tl_policy, reporting every
 * problem with its file:line:col (policy_show.c writes it back).
 * The only file that calls libyaml: its 1/0 returns and 0-based marks are
 * converted here, once.
 */
#include "policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <yaml.h>

/* The default policy, generated from policies/us-cables.yaml by
 * scripts/embed.sh (see Makefile). */
extern const char tl_builtin_policy[];
extern const size_t tl_builtin_policy_len;

#define BUILTIN_NAME "builtin:us-cables.yaml"

/* Caps that keep a hostile file from costing more than a few MB and a
 * few milliseconds: a policy is a small hand-written file. */
#define POL_FILE_MAX ((size_t)1024 * 1024)
#define POL_DEPTH_MAX 16
#define POL_NODES_MAX 50000
#define POL_SCALAR_MAX 1024
#define POL_LIST_MAX 64
#define POL_LEVELS_MAX 32
#define POL_GROUPS_MAX 64
#define POL_CONTROLS_MAX 128
#define POL_READERS_MAX 256
#define POL_RULES_MAX 256
#define POL_PROBLEMS_MAX 100

#define DEFAULT_TEMPLATE "{lead}{marking:(%) }[WITHHELD{exemption: %}: {reason}]"

/* ------------------------------------------------------------------------
 * Problems: every one goes to the caller's callback; the first is kept.
 * ---------------------------------------------------------------------- */

typedef struct sink_item {
	tl_diag d;
	unsigned long seq; /* report order, to keep the sort stable */
} sink_item;

typedef struct sink {
	const char *file;
	tl_policy_diag_fn fn;
	void *ctx;
	unsigned long n;  /* problems found, kept or not */
	sink_item *v;     /* the first POL_PROBLEMS_MAX, sorted by finish() */
	size_t nv;
	tl_diag first;    /* the first in file order, after finish() */
} sink;

static tl_status __attribute__((format(printf, 6, 7)))
problem(sink *sk, tl_status st, unsigned long line, unsigned long col,
    const char *rule, const char *fmt, ...)
{
	sink_item *it;
	tl_diag d;
	va_list ap;

	va_start(ap, fmt);
	tl_diag_vset(&d, st, TL_SEV_ERROR, sk->file, line, col, rule, fmt, ap);
	va_end(ap);
	if (sk->n == 0)
		sk->first = d;
	sk->n++;
	if (sk->nv < POL_PROBLEMS_MAX &&
	    (it = realloc(sk->v, (sk->nv + 1) * sizeof *it)) != NULL) {
		sk->v = it;
		sk->v[sk->nv].d = d;
		sk->v[sk->nv].seq = sk->nv;
		sk->nv++;
	}
	return st;
}

static int
item_cmp(const void *a, const void *b)
{
	const sink_item *x = a, *y = b;

	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	if (x->d.col != y->d.col)
		return x->d.col < y->d.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reports the problems kept, in file order (problems are found section
 * by section, then in cross-checks), and releases them. */
static void
finish(sink *sk)
{
	tl_diag d;
	size_t i;

	if (sk->nv) {
		qsort(sk->v, sk->nv, sizeof *sk->v, item_cmp);
		sk->first = sk->v[0].d;
	}
	for (i = 0; sk->fn && i < sk->nv; i++)
		sk->fn(sk->ctx, &sk->v[i].d);
	if (sk->fn && sk->n > sk->nv) {
		tl_diag_set(&d, sk->first.status, TL_SEV_ERROR, sk->file, 0, 0,
		    "policy-limit", "%lu more problems not shown", sk->n - sk->nv);
		sk->fn(sk->ctx, &d);
	}
	free(sk->v);
	sk->v = NULL;
	sk->nv = 0;
}

/* ------------------------------------------------------------------------
 * YAML to a small tree.  libyaml's event API never expands aliases; we
 * refuse them, and cap depth, node count and scalar size.
 * ---------------------------------------------------------------------- */

enum { Y_SCALAR, Y_SEQ, Y_MAP };

typedef struct ynode {
	int kind;
	unsigned long line, col;
	char *s;     /* scalar bytes, NUL-terminated */
	size_t len;
	bool plain;  /* unquoted scalar: may be null */
	struct ynode **kid; /* sequence items; mapping key, value, key... */
	size_t nkid, cap;
} ynode;

static void
ynode_free(ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkid; i++)
		ynode_free(n->kid[i]);
	free(n->kid);
	free(n->s);
	free(n);
}

typedef struct ybuild {
	sink *sk;
	ynode *root;
	ynode *stack[POL_DEPTH_MAX];
	size_t depth;
	size_t nodes;
	unsigned docs;
} ybuild;

/* libyaml marks are 0-based; ours are 1-based.  The one conversion. */
static unsigned long
mark_line(yaml_mark_t m)
{
	return (unsigned long)m.line + 1;
}

static unsigned long
mark_col(yaml_mark_t m)
{
	return (unsigned long)m.column + 1;
}

/* Position of byte `off` of `bytes`: for reader errors, where libyaml
 * gives only an offset. */
static void
offset_pos(const char *bytes, size_t len, size_t off, unsigned long *line,
    unsigned long *col)
{
	size_t i, bol = 0;

	if (off > len)
		off = len;
	*line = 1;
	for (i = 0; i < off; i++)
		if (bytes[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = 1 + tl_utf8_width(bytes + bol, off - bol);
}

static tl_status
yaml_problem(sink *sk, const yaml_parser_t *p, const char *bytes, size_t len)
{
	unsigned long line, col;
	const char *what = p->problem ? p->problem : "unreadable YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return problem(sk, TL_ENOMEM, 0, 0, "policy-yaml",
		    "out of memory reading YAML");
	case YAML_READER_ERROR:
		offset_pos(bytes, len, p->problem_offset, &line, &col);
		return problem(sk, TL_ESYNTAX, line, col, "policy-yaml",
		    "YAML: %s (byte 0x%02x)", what, (unsigned)p->problem_value & 0xffu);
	default:
		break;
	}
	if (p->context)
		return problem(sk, TL_ESYNTAX, mark_line(p->problem_mark),
		    mark_col(p->problem_mark), "policy-yaml",
		    "YAML: %s %s (from line %lu)", what, p->context,
		    mark_line(p->context_mark));
	return problem(sk, TL_ESYNTAX, mark_line(p->problem_mark),
	    mark_col(p->problem_mark), "policy-yaml", "YAML: %s", what);
}

/* Hangs a new node under the open collection (or makes it the root). */
static tl_status
yattach(ybuild *b, ynode *n)
{
	ynode *top, **kid;
	size_t cap;

	if (b->depth == 0) {
		b->root = n;
		return TL_OK;
	}
	top = b->stack[b->depth - 1];
	if (top->kind == Y_MAP && top->nkid % 2 == 0 && n->kind != Y_SCALAR) {
		unsigned long line = n->line, col = n->col;

		ynode_free(n);
		return problem(b->sk, TL_EPOLICY, line, col, "policy-type",
		    "wrong type: a mapping key must be a plain string");
	}
	if (top->nkid == top->cap) {
		cap = top->cap ? top->cap * 2 : 8;
		if ((kid = realloc(top->kid, cap * sizeof *kid)) == NULL) {
			ynode_free(n);
			return problem(b->sk, TL_ENOMEM, 0, 0, "policy-yaml",
			    "out of memory");
		}
		top->kid = kid;
		top->cap = cap;
	}
	top->kid[top->nkid++] = n;
	return TL_OK;
}

static tl_status
yevent(ybuild *b, const yaml_event_t *ev)
{
	unsigned long line = mark_line(ev->start_mark);
	unsigned long col = mark_col(ev->start_mark);
	ynode *n;
	tl_status st;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1)
			return problem(b->sk, TL_ESYNTAX, line, col, "policy-yaml",
			    "a policy file holds one YAML document, found another");
		return TL_OK;
	case YAML_ALIAS_EVENT:
		return problem(b->sk, TL_ESYNTAX, line, col, "policy-yaml",
		    "YAML aliases (*%s) are not allowed in a policy",
		    (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return TL_OK;
	default:
		return TL_OK;
	}
	if (++b->nodes > POL_NODES_MAX)
		return problem(b->sk, TL_ELIMIT, line, col, "policy-limit",
		    "more than %d YAML nodes", POL_NODES_MAX);
	if ((n = calloc(1, sizeof *n)) == NULL)
		return problem(b->sk, TL_ENOMEM, 0, 0, "policy-yaml", "out of memory");
	n->line = line;
	n->col = col;
	if (ev->type == YAML_SCALAR_EVENT) {
		n->kind = Y_SCALAR;
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (n->len > POL_SCALAR_MAX) {
			free(n);
			return problem(b->sk, TL_ELIMIT, line, col, "policy-limit",
			    "a scalar of %zu bytes (the limit is %d)",
			    ev->data.scalar.length, POL_SCALAR_MAX);
		}
		if ((n->s = malloc(n->len + 1)) == NULL) {
			free(n);
			return problem(b->sk, TL_ENOMEM, 0, 0, "policy-yaml",
			    "out of memory");
		}
		memcpy(n->s, ev->data.scalar.value, n->len);
		n->s[n->len] = '\0';
		return yattach(b, n);
	}
	n->kind = ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
	if (b->depth == POL_DEPTH_MAX) {
		free(n);
		return problem(b->sk, TL_ELIMIT, line, col, "policy-limit",
		    "nesting deeper than %d levels", POL_DEPTH_MAX);
	}
	if ((st = yattach(b, n)) != TL_OK)
		return st;
	b->stack[b->depth++] = n;
	return TL_OK;
}

/* Parses `bytes` into a tree; NULL root for an empty stream.  Stops at the
 * first YAML problem: nothing after it can be trusted. */
static tl_status
yaml_read(sink *sk, const char *bytes, size_t len, ynode **root)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	ybuild b;
	tl_status st = TL_OK;
	bool done;

	*root = NULL;
	memset(&b, 0, sizeof b);
	b.sk = sk;
	if (!yaml_parser_initialize(&parser))
		return problem(sk, TL_ENOMEM, 0, 0, "policy-yaml", "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			st = yaml_problem(sk, &parser, bytes, len);
			break;
		}
		st = yevent(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (st != TL_OK || done)
			break;
	}
	yaml_parser_delete(&parser);
	if (st != TL_OK) {
		ynode_free(b.root);
		return st;
	}
	*root = b.root;
	return TL_OK;
}

/* ------------------------------------------------------------------------
 * Typed access to the tree, each reporting its own problem.
 * ---------------------------------------------------------------------- */

static const char *
kind_name(const ynode *n)
{
	switch (n->kind) {
	case Y_SEQ: return "a list";
	case Y_MAP: return "a mapping";
	}
	return "a string";
}

/* An unquoted empty value, "~" or "null": an absent value. */
static bool
is_null(const ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && (n->len == 0 ||
	    strcmp(n->s, "~") == 0 || tl_ieq(n->s, n->len, "null"));
}

static bool
want_kind(sink *sk, const ynode *n, int kind, const char *what)
{
	static const char *const names[] = { "a string", "a list", "a mapping" };

	if (n->kind == kind)
		return true;
	problem(sk, TL_EPOLICY, n->line, n->col, "policy-type",
	    "wrong type: %s must be %s, not %s", what, names[kind], kind_name(n));
	return false;
}

/* Text of a scalar into dst: at most size-1 bytes, no control
 * characters.  Null gives "". */
static bool
want_str(sink *sk, const ynode *n, const char *what, char *dst, size_t size)
{
	size_t i;

	dst[0] = '\0';
	if (is_null(n))
		return true;
	if (!want_kind(sk, n, Y_SCALAR, what))
		return false;
	if (n->len >= size) {
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-value",
		    "%s is %zu bytes long (at most %zu)", what, n->len, size - 1);
		return false;
	}
	for (i = 0; i < n->len; i++)
		if ((unsigned char)n->s[i] < 0x20 || n->s[i] == 0x7f) {
			problem(sk, TL_EPOLICY, n->line, n->col, "policy-value",
			    "%s contains a control character", what);
			return false;
		}
	memcpy(dst, n->s, n->len + 1);
	return true;
}

static bool
want_bool(sink *sk, const ynode *n, const char *what, bool *out)
{
	if (!want_kind(sk, n, Y_SCALAR, what))
		return false;
	if (strcmp(n->s, "true") == 0 || strcmp(n->s, "false") == 0) {
		*out = n->s[0] == 't';
		return true;
	}
	problem(sk, TL_EPOLICY, n->line, n->col, "policy-type",
	    "wrong type: %s must be true or false, not '%s'", what, n->s);
	return false;
}

/* One of `names` (NULL-terminated), exactly as written; *out = its index. */
static bool
want_enum(sink *sk, const ynode *n, const char *what,
    const char *const *names, int *out)
{
	char list[256] = "";
	size_t i;

	if (!want_kind(sk, n, Y_SCALAR, what))
		return false;
	for (i = 0; names[i]; i++) {
		if (strcmp(n->s, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
		tl_pol_append(list, sizeof list, ", ", names[i]);
	}
	problem(sk, TL_EPOLICY, n->line, n->col, "policy-value",
	    "%s is '%s'; expected one of: %s", what, n->s, list);
	return false;
}

void
tl_pol_key(char key[POL_NAME_MAX], const char *s, size_t len)
{
	size_t i, k = 0;

	for (i = 0; i < len && k + 1 < POL_NAME_MAX; i++)
		if (s[i] != ' ' && s[i] != '\t')
			key[k++] = (char)tl_toupper((unsigned char)s[i]);
	key[k] = '\0';
}

void
tl_pol_append(char *buf, size_t size, const char *sep, const char *item)
{
	size_t used = strnlen(buf, size);

	if (used + 1 >= size)
		return;
	snprintf(buf + used, size - used, "%s%s", used ? sep : "", item);
}

/* A name: printable ASCII, something besides blanks, at most 63 bytes. */
static bool
want_name(sink *sk, const ynode *n, const char *what, pol_name *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	out->line = n->line;
	out->col = n->col;
	if (!want_str(sk, n, what, out->s, sizeof out->s))
		return false;
	for (i = 0; out->s[i]; i++)
		if ((unsigned char)out->s[i] >= 0x7f) {
			problem(sk, TL_EPOLICY, n->line, n->col, "policy-value",
			    "%s '%s' is not ASCII", what, out->s);
			return false;
		}
	tl_pol_key(out->key, out->s, strlen(out->s));
	if (out->key[0] == '\0') {
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-empty",
		    "%s is empty", what);
		return false;
	}
	return true;
}

/* Grows *v (of *n elements of `size` bytes) by one zeroed element. */
static void *
push(void *vp, size_t *n, size_t size, size_t max)
{
	void **v = vp;
	char *p;

	if (*n >= max)
		return NULL;
	if ((p = realloc(*v, (*n + 1) * size)) == NULL)
		return NULL;
	memset(p + *n * size, 0, size);
	*v = p;
	return p + (*n)++ * size;
}

/* A list of names (null is the empty list). */
static void
want_names(sink *sk, const ynode *n, const char *what, pol_names *out)
{
	pol_name *nm, tmp;
	size_t i;

	if (is_null(n) || !want_kind(sk, n, Y_SEQ, what))
		return;
	for (i = 0; i < n->nkid; i++) {
		if (!want_name(sk, n->kid[i], what, &tmp))
			continue;
		if ((nm = push(&out->v, &out->n, sizeof *nm, POL_LIST_MAX)) == NULL) {
			problem(sk, out->n >= POL_LIST_MAX ? TL_ELIMIT : TL_ENOMEM,
			    n->kid[i]->line, n->kid[i]->col, "policy-limit",
			    "%s: more than %d entries", what, POL_LIST_MAX);
			return;
		}
		*nm = tmp;
	}
}

static void
names_free(pol_names *ns)
{
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

/*
 * Finds the values of the keys of mapping `m` listed in `keys`
 * (NULL-terminated) into vals[] (NULL when absent).  Reports unknown and
 * repeated keys.  Returns false when `m` is not a mapping.
 */
static bool
fields(sink *sk, const ynode *m, const char *what, const char *const *keys,
    const ynode **vals)
{
	char list[400];
	const ynode *k;
	size_t i, j;

	for (j = 0; keys[j]; j++)
		vals[j] = NULL;
	if (!want_kind(sk, m, Y_MAP, what))
		return false;
	for (i = 0; i + 1 < m->nkid; i += 2) {
		k = m->kid[i];
		for (j = 0; keys[j] && strcmp(keys[j], k->s) != 0; j++)
			;
		if (keys[j] == NULL) {
			list[0] = '\0';
			for (j = 0; keys[j]; j++)
				tl_pol_append(list, sizeof list, ", ", keys[j]);
			problem(sk, TL_EPOLICY, k->line, k->col,
			    "policy-unknown-key", "unknown key '%s' in %s "
			    "(known: %s)", k->s, what, list);
			continue;
		}
		if (vals[j]) {
			problem(sk, TL_EPOLICY, k->line, k->col, "policy-duplicate",
			    "duplicate key '%s' in %s (first at line %lu)", k->s,
			    what, vals[j]->line);
			continue;
		}
		vals[j] = m->kid[i + 1];
	}
	return true;
}

/* ------------------------------------------------------------------------
 * The sections of a policy.
 * ---------------------------------------------------------------------- */

const char *const tl_pol_effect_names[] = {
	"none", "nationals-only", "rel-to", "approval", "access", "not-public",
	NULL
};
const char *const tl_pol_unmarked_names[] = { "withhold", "banner", NULL };
const char *const tl_pol_unknown_level_names[] = { "above-all", "highest",
	NULL };
const char *const tl_pol_unknown_names[] = { "withhold", "ignore", NULL };
const char *const tl_pol_banner_names[] = { "highest", "unknown",
	"portions", NULL };
const char *const tl_pol_damaged_names[] = { "as-read", "highest", NULL };
const char *const tl_pol_buried_names[] = { "raise", "trust-lead", NULL };
const char *const tl_pol_foreign_names[] = { "explicit", "implied", NULL };
/* In the order of tl_consistency. */
const char *const tl_pol_consistency_names[] = { "report", "withhold", "off",
	NULL };
const char *const tl_pol_part_names[] = { "withhold", "keep", "document",
	"portion", NULL };
const char *const tl_pol_scope_names[] = { "portion", "document", NULL };
static const char *const severity_names[] = { "error", "warning", "note",
	NULL };

static void
read_level(sink *sk, tl_policy *pol, const ynode *n, size_t idx)
{
	static const char *const keys[] = { "name", "aliases", "portion",
		"banner", "routing", "exemption", "description", "classified",
		NULL };
	const ynode *v[9];
	char what[96], routing[4];
	pol_level *lv;

	snprintf(what, sizeof what, "level %zu", idx + 1);
	if (!fields(sk, n, what, keys, v))
		return;
	if ((lv = push(&pol->levels, &pol->nlevels, sizeof *lv,
	    POL_LEVELS_MAX)) == NULL) {
		problem(sk, pol->nlevels >= POL_LEVELS_MAX ? TL_ELIMIT : TL_ENOMEM,
		    n->line, n->col, "policy-limit", "more than %d levels",
		    POL_LEVELS_MAX);
		return;
	}
	lv->name.line = n->line;
	lv->name.col = n->col;
	if (v[0] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'name'", what);
	else if (want_name(sk, v[0], "a level's name", &lv->name))
		snprintf(what, sizeof what, "level '%s'", lv->name.s);
	if (v[1])
		want_names(sk, v[1], "a level's aliases", &lv->aliases);
	if (v[2])
		want_str(sk, v[2], "a level's portion form", lv->portion,
		    sizeof lv->portion);
	if (v[3])
		want_str(sk, v[3], "a level's banner form", lv->banner,
		    sizeof lv->banner);
	if (v[4] && want_str(sk, v[4], "a level's routing letter", routing,
	    sizeof routing)) {
		if (routing[0] && (routing[1] || !tl_isupper(routing[0])))
			problem(sk, TL_EPOLICY, v[4]->line, v[4]->col,
			    "policy-value", "routing of %s must be one capital "
			    "letter (S for ZNY SSSSS), not '%s'", what, routing);
		else
			lv->routing = routing[0];
	}
	if (v[5])
		want_str(sk, v[5], "a level's exemption", lv->exemption,
		    sizeof lv->exemption);
	if (v[6])
		want_str(sk, v[6], "a level's description", lv->description,
		    sizeof lv->description);
	if (v[7] && want_bool(sk, v[7], "a level's 'classified'",
	    &lv->classified))
		lv->classified_set = true;
	/* Display forms default to the name. */
	if (lv->portion[0] == '\0')
		tl_strlcpy(lv->portion, lv->name.s, strlen(lv->name.s),
		    sizeof lv->portion);
	if (lv->banner[0] == '\0')
		tl_strlcpy(lv->banner, lv->name.s, strlen(lv->name.s),
		    sizeof lv->banner);
}

static void
read_groups(sink *sk, tl_policy *pol, const ynode *n)
{
	pol_group *g;
	char what[96];
	size_t i;

	if (is_null(n) || !want_kind(sk, n, Y_MAP, "'groups'"))
		return;
	for (i = 0; i + 1 < n->nkid; i += 2) {
		if ((g = push(&pol->groups, &pol->ngroups, sizeof *g,
		    POL_GROUPS_MAX)) == NULL) {
			problem(sk, TL_ELIMIT, n->kid[i]->line, n->kid[i]->col,
			    "policy-limit", "more than %d groups", POL_GROUPS_MAX);
			return;
		}
		if (!want_name(sk, n->kid[i], "a group's name", &g->name)) {
			pol->ngroups--;
			continue;
		}
		snprintf(what, sizeof what, "members of group '%s'", g->name.s);
		if (is_null(n->kid[i + 1]))
			problem(sk, TL_EPOLICY, n->kid[i + 1]->line,
			    n->kid[i + 1]->col, "policy-empty", "group '%s' has "
			    "no members", g->name.s);
		else
			want_names(sk, n->kid[i + 1], what, &g->members);
	}
}

static void
read_control(sink *sk, tl_policy *pol, const ynode *n, size_t idx)
{
	static const char *const keys[] = { "name", "aliases", "effect",
		"countries", "implicit", "needs", "implies", "scope",
		"exemption", "description", "implicit-with", NULL };
	const ynode *v[12];
	char what[96];
	pol_control *c;
	int e;

	snprintf(what, sizeof what, "control %zu", idx + 1);
	if (!fields(sk, n, what, keys, v))
		return;
	if ((c = push(&pol->controls, &pol->ncontrols, sizeof *c,
	    POL_CONTROLS_MAX)) == NULL) {
		problem(sk, TL_ELIMIT, n->line, n->col, "policy-limit",
		    "more than %d controls", POL_CONTROLS_MAX);
		return;
	}
	c->name.line = n->line;
	c->name.col = n->col;
	if (v[0] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'name'", what);
	else if (want_name(sk, v[0], "a control's name", &c->name))
		snprintf(what, sizeof what, "control '%s'", c->name.s);
	if (v[1])
		want_names(sk, v[1], "a control's aliases", &c->aliases);
	if (v[2] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'effect'", what);
	else if (want_enum(sk, v[2], "a control's effect", tl_pol_effect_names, &e)) {
		c->effect = (pol_effect)e;
		c->effect_set = true;
	}
	if (v[3])
		want_names(sk, v[3], "a control's countries", &c->countries);
	if (v[4])
		want_names(sk, v[4], "a control's implicit countries",
		    &c->implicit);
	if (v[5])
		want_names(sk, v[5], "a control's needs", &c->needs);
	if (v[6])
		want_names(sk, v[6], "a control's implies", &c->implies);
	if (v[7] && want_enum(sk, v[7], "a control's scope", tl_pol_scope_names, &e))
		c->doc_scope = e == 1;
	if (v[8])
		want_str(sk, v[8], "a control's exemption", c->exemption,
		    sizeof c->exemption);
	if (v[9])
		want_str(sk, v[9], "a control's description", c->description,
		    sizeof c->description);
	if (v[10])
		want_name(sk, v[10], "a control's implicit-with",
		    &c->implicit_with);
	if (!c->effect_set)
		return;
	/* Each list belongs to one effect; elsewhere it would be ignored,
	 * which hides a mistake. */
	if (v[3] && c->effect != POL_EFFECT_NATIONALS)
		problem(sk, TL_EPOLICY, v[3]->line, v[3]->col, "policy-value",
		    "'countries' applies to effect nationals-only, not %s (%s)",
		    tl_pol_effect_names[c->effect], what);
	if (c->effect == POL_EFFECT_NATIONALS && c->countries.n == 0)
		problem(sk, TL_EPOLICY, v[3] ? v[3]->line : n->line,
		    v[3] ? v[3]->col : n->col, v[3] ? "policy-empty" :
		    "policy-missing", "%s: effect nationals-only needs a list "
		    "of 'countries'", what);
	if (v[10] && (c->effect != POL_EFFECT_REL_TO || !v[4]))
		problem(sk, TL_EPOLICY, v[10]->line, v[10]->col, "policy-value",
		    "'implicit-with' applies to effect rel-to with 'implicit' (%s)",
		    what);
	if (v[4] && c->effect != POL_EFFECT_REL_TO)
		problem(sk, TL_EPOLICY, v[4]->line, v[4]->col, "policy-value",
		    "'implicit' applies to effect rel-to, not %s (%s)",
		    tl_pol_effect_names[c->effect], what);
	if (v[5] && c->effect != POL_EFFECT_ACCESS &&
	    c->effect != POL_EFFECT_APPROVAL)
		problem(sk, TL_EPOLICY, v[5]->line, v[5]->col, "policy-value",
		    "'needs' applies to effects access and approval, not %s (%s)",
		    tl_pol_effect_names[c->effect], what);
	if ((c->effect == POL_EFFECT_ACCESS ||
	    c->effect == POL_EFFECT_APPROVAL) && c->needs.n == 0 &&
	    c->name.key[0]) {
		/* Default: the reader holds an access of the control's name. */
		if (push(&c->needs.v, &c->needs.n, sizeof *c->needs.v, 1))
			c->needs.v[0] = c->name;
	}
}

static void
read_reader(sink *sk, tl_policy *pol, const ynode *n, size_t idx)
{
	static const char *const keys[] = { "name", "clearance",
		"nationality", "access", "approvals", "public", "description",
		NULL };
	const ynode *v[8], *at;
	char what[96];
	pol_reader *r;
	size_t i;

	snprintf(what, sizeof what, "reader %zu", idx + 1);
	if (!fields(sk, n, what, keys, v))
		return;
	if ((r = push(&pol->readers, &pol->nreaders, sizeof *r,
	    POL_READERS_MAX)) == NULL) {
		problem(sk, TL_ELIMIT, n->line, n->col, "policy-limit",
		    "more than %d readers", POL_READERS_MAX);
		return;
	}
	r->name.line = n->line;
	r->name.col = n->col;
	if (v[0] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'name'", what);
	else if (want_name(sk, v[0], "a reader's name", &r->name)) {
		snprintf(what, sizeof what, "reader '%s'", r->name.s);
		for (i = 0; r->name.s[i]; i++)
			if (r->name.s[i] == ' ' || r->name.s[i] == ',') {
				problem(sk, TL_EPOLICY, v[0]->line, v[0]->col,
				    "policy-value", "a reader's name has no blanks "
				    "or commas: '%s'", r->name.s);
				break;
			}
	}
	if (v[1] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'clearance'", what);
	else
		want_name(sk, v[1], "a reader's clearance", &r->clearance);
	if (v[2] == NULL)
		problem(sk, TL_EPOLICY, n->line, n->col, "policy-missing",
		    "%s has no 'nationality'", what);
	else
		want_name(sk, v[2], "a reader's nationality", &r->nationality);
	if (v[3])
		want_names(sk, v[3], "a reader's access", &r->access);
	if (v[4]) {
		pol_names more = { NULL, 0 };
		pol_name *nm;

		want_names(sk, v[4], "a reader's approvals", &more);
		for (i = 0; i < more.n; i++) {
			if ((nm = push(&r->access.v, &r->access.n,
			    sizeof *nm, 2 * POL_LIST_MAX)) == NULL)
				break;
			*nm = more.v[i];
		}
		names_free(&more);
	}
	/* Only `access` and `approvals` add entries: one of them is set. */
	at = v[3] ? v[3] : v[4];
	if (at && r->access.n > TL_READER_ACCESS_MAX)
		problem(sk, TL_ELIMIT, at->line, at->col, "policy-limit",
		    "%s holds more than %d accesses and approvals", what,
		    TL_READER_ACCESS_MAX);
	if (v[5])
		want_bool(sk, v[5], "a reader's 'public'", &r->is_public);
	if (v[6])
		want_str(sk, v[6], "a reader's description", r->description,
		    sizeof r->description);
}

static bool is_trigraph(const char *key);

static void
read_handling(sink *sk, tl_policy *pol, const ynode *n)
{
	static const char *const keys[] = { "unmarked", "unknown-level",
		"unknown-control", "unknown-token", "unreadable-banner",
		"missing-banner", "damaged-banner", "header", "authority",
		"tags", "subject", "foreign-disclosure", "buried-marks",
		"unprefixed-origin", "consistency", NULL };
	const ynode *v[16];
	int e;
	size_t i;

	if (is_null(n) || !fields(sk, n, "'handling'", keys, v))
		return;
	if (v[0] && want_enum(sk, v[0], "handling.unmarked", tl_pol_unmarked_names, &e))
		pol->unmarked = (pol_unmarked)e;
	if (v[1] && want_enum(sk, v[1], "handling.unknown-level",
	    tl_pol_unknown_level_names, &e))
		pol->unknown_level = (pol_unknown_level)e;
	if (v[2] && want_enum(sk, v[2], "handling.unknown-control",
	    tl_pol_unknown_names, &e))
		pol->unknown_control = (pol_unknown)e;
	if (v[3] && want_enum(sk, v[3], "handling.unknown-token",
	    tl_pol_unknown_names, &e))
		pol->unknown_token = (pol_unknown)e;
	if (v[4] && want_enum(sk, v[4], "handling.unreadable-banner",
	    tl_pol_banner_names, &e)) {
		if (e == POL_BANNER_PORTIONS)
			problem(sk, TL_EPOLICY, v[4]->line, v[4]->col,
			    "policy-value", "handling.unreadable-banner is "
			    "highest or unknown: a banner that cannot be read "
			    "is never ignored");
		else
			pol->unreadable_banner = (pol_banner_missing)e;
	}
	if (v[5] && want_enum(sk, v[5], "handling.missing-banner",
	    tl_pol_banner_names, &e))
		pol->missing_banner = (pol_banner_missing)e;
	if (v[6] && want_enum(sk, v[6], "handling.damaged-banner",
	    tl_pol_damaged_names, &e))
		pol->damaged_banner = (pol_banner_damaged)e;
	if (v[11] && want_enum(sk, v[11], "handling.foreign-disclosure",
	    tl_pol_foreign_names, &e))
		pol->foreign = (pol_foreign)e;
	if (v[12] && want_enum(sk, v[12], "handling.buried-marks",
	    tl_pol_buried_names, &e))
		pol->buried = (pol_buried)e;
	if (v[14] && want_enum(sk, v[14], "handling.consistency",
	    tl_pol_consistency_names, &e))
		pol->consistency = (tl_consistency)e;
	if (v[13] && want_str(sk, v[13], "handling.unprefixed-origin",
	    pol->unprefixed_origin, sizeof pol->unprefixed_origin) &&
	    pol->unprefixed_origin[0] != '\0' &&
	    !is_trigraph(pol->unprefixed_origin)) {
		problem(sk, TL_EPOLICY, v[13]->line, v[13]->col, "policy-value",
		    "handling.unprefixed-origin: \"%s\" is not a three-letter "
		    "country code", pol->unprefixed_origin);
		pol->unprefixed_origin[0] = '\0';
	}
	for (i = 0; i < 4; i++) {
		char what[40];

		if (v[7 + i] == NULL)
			continue;
		snprintf(what, sizeof what, "handling.%s", keys[7 + i]);
		if (!want_enum(sk, v[7 + i], what, tl_pol_part_names, &e))
			continue;
		if (e == TL_PART_PORTION && i != TL_PART_SUBJECT) {
			problem(sk, TL_EPOLICY, v[7 + i]->line, v[7 + i]->col,
			    "policy-value", "%s: only the subject is decided as "
			    "a portion", what);
			continue;
		}
		pol->parts[i] = (tl_part_action)e;
	}
}

/* Problem in a template, or NULL.  Shared with the renderer's grammar:
 * {name} or {name:TEXT}, TEXT without braces; {{ and }} are braces. */
static const char *const template_fields[] = { "lead", "number", "index",
	"marking", "level", "reason", "rule", "exemption", NULL };

static const char *
template_problem(const char *t, size_t *at)
{
	size_t i, j, k, nlen;

	for (i = 0; t[i]; i++) {
		*at = i;
		if (t[i] == '}') {
			if (t[i + 1] != '}')
				return "a lone '}' (write '}}' for a brace)";
			i++;
			continue;
		}
		if (t[i] != '{')
			continue;
		if (t[i + 1] == '{') {
			i++;
			continue;
		}
		for (j = i + 1; t[j] && t[j] != '}' && t[j] != ':' &&
		    t[j] != '{'; j++)
			;
		nlen = j - i - 1;
		for (k = 0; template_fields[k]; k++)
			if (strlen(template_fields[k]) == nlen &&
			    memcmp(template_fields[k], t + i + 1, nlen) == 0)
				break;
		if (template_fields[k] == NULL)
			return "an unknown field (known: lead, number, index, "
			    "marking, level, reason, rule, exemption)";
		if (t[j] == ':')
			for (j++; t[j] && t[j] != '}' && t[j] != '{'; j++)
				;
		if (t[j] != '}')
			return "a field without its closing '}'";
		i = j;
	}
	return NULL;
}

static void
read_placeholder(sink *sk, tl_policy *pol, const ynode *n)
{
	static const char *const keys[] = { "template", "exemption", NULL };
	const ynode *v[3];
	const char *why;
	size_t at = 0;

	if (is_null(n) || !fields(sk, n, "'placeholder'", keys, v))
		return;
	if (v[0] && want_str(sk, v[0], "placeholder.template", pol->template,
	    sizeof pol->template)) {
		if ((why = template_problem(pol->template, &at)) != NULL)
			/* Columns point into the scalar as written when it
			 * is on one line, which templates are. */
			problem(sk, TL_EPOLICY, v[0]->line, v[0]->col +
			    (v[0]->plain ? 0 : 1) + (unsigned long)at,
			    "policy-value", "placeholder.template has %s", why);
		else if (pol->template[0] == '\0')
			problem(sk, TL_EPOLICY, v[0]->line, v[0]->col,
			    "policy-empty", "placeholder.template is empty");
	}
	if (v[1])
		want_str(sk, v[1], "placeholder.exemption", pol->exemption,
		    sizeof pol->exemption);
}

static void
read_audit(sink *sk, tl_policy *pol, const ynode *n)
{
	static const char *const keys[] = { "enabled", "severity", NULL };
	const ynode *v[3];
	pol_rule *r;
	char what[80];
	size_t i, j;
	int e;

	if (is_null(n) || !want_kind(sk, n, Y_MAP, "'audit'"))
		return;
	for (i = 0; i + 1 < n->nkid; i += 2) {
		const ynode *k = n->kid[i];

		for (j = 0; j < k->len; j++)
			if (!(tl_islower(k->s[j]) || tl_isdigit(k->s[j]) ||
			    k->s[j] == '-'))
				break;
		if (k->len == 0 || j < k->len || k->len >= sizeof r->id) {
			problem(sk, TL_EPOLICY, k->line, k->col, "policy-value",
			    "an audit rule id is lower case letters, digits "
			    "and '-', at most %zu bytes: '%s'",
			    sizeof r->id - 1, k->s);
			continue;
		}
		for (j = 0; j < pol->nrules; j++)
			if (strcmp(pol->rules[j].id, k->s) == 0)
				break;
		if (j < pol->nrules) {
			problem(sk, TL_EPOLICY, k->line, k->col,
			    "policy-duplicate", "audit rule '%s' appears twice",
			    k->s);
			continue;
		}
		snprintf(what, sizeof what, "audit rule '%s'", k->s);
		if (!fields(sk, n->kid[i + 1], what, keys, v))
			continue;
		if ((r = push(&pol->rules, &pol->nrules, sizeof *r,
		    POL_RULES_MAX)) == NULL) {
			problem(sk, TL_ELIMIT, k->line, k->col, "policy-limit",
			    "more than %d audit rules", POL_RULES_MAX);
			return;
		}
		memcpy(r->id, k->s, k->len + 1);
		if (v[0] && want_bool(sk, v[0], "'enabled'", &r->enabled))
			r->has_enabled = true;
		if (v[1] && want_enum(sk, v[1], "'severity'", severity_names, &e)) {
			r->severity = (tl_severity)e;
			r->has_severity = true;
		}
	}
}

/* ------------------------------------------------------------------------
 * Cross-checks: names defined once, references defined, no cycles.
 * ---------------------------------------------------------------------- */

size_t
tl_pol_find_level(const tl_policy *pol, const char *s, size_t len)
{
	char key[POL_NAME_MAX];
	size_t i, j;

	tl_pol_key(key, s, len);
	if (key[0] == '\0')
		return SIZE_MAX;
	for (i = 0; i < pol->nlevels; i++) {
		if (strcmp(pol->levels[i].name.key, key) == 0)
			return i;
		for (j = 0; j < pol->levels[i].aliases.n; j++)
			if (strcmp(pol->levels[i].aliases.v[j].key, key) == 0)
				return i;
	}
	return SIZE_MAX;
}

size_t
tl_pol_find_control(const tl_policy *pol, const char *s, size_t len)
{
	char key[POL_NAME_MAX];
	size_t i, j;

	tl_pol_key(key, s, len);
	if (key[0] == '\0')
		return SIZE_MAX;
	for (i = 0; i < pol->ncontrols; i++) {
		if (strcmp(pol->controls[i].name.key, key) == 0)
			return i;
		for (j = 0; j < pol->controls[i].aliases.n; j++)
			if (strcmp(pol->controls[i].aliases.v[j].key, key) == 0)
				return i;
	}
	return SIZE_MAX;
}

size_t
tl_pol_find_group(const tl_policy *pol, const char *s, size_t len)
{
	char key[POL_NAME_MAX];
	size_t i;

	tl_pol_key(key, s, len);
	for (i = 0; i < pol->ngroups; i++)
		if (strcmp(pol->groups[i].name.key, key) == 0)
			return i;
	return SIZE_MAX;
}

static bool
country_in(const tl_policy *pol, const char *nat, const char *code,
    unsigned depth)
{
	size_t g, i;

	if (strcmp(nat, code) == 0)
		return true;
	/* Groups are acyclic once loaded; the depth bound is belt and
	 * braces for a policy built some other way. */
	if (depth > POL_GROUPS_MAX ||
	    (g = tl_pol_find_group(pol, code, strlen(code))) == SIZE_MAX)
		return false;
	for (i = 0; i < pol->groups[g].members.n; i++)
		if (country_in(pol, nat, pol->groups[g].members.v[i].key,
		    depth + 1))
			return true;
	return false;
}

bool
tl_pol_country_in(const tl_policy *pol, const char *nat, const char *code)
{
	char key[POL_NAME_MAX];

	tl_pol_key(key, code, strlen(code));
	return nat[0] != '\0' && country_in(pol, nat, key, 0);
}

static bool
is_trigraph(const char *key)
{
	return tl_isupper(key[0]) && tl_isupper(key[1]) && tl_isupper(key[2]) &&
	    key[3] == '\0';
}

/* A country list entry: a trigraph or a group of the policy. */
static void
check_countries(sink *sk, const tl_policy *pol, const pol_names *ns,
    const char *what)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!is_trigraph(ns->v[i].key) &&
		    tl_pol_find_group(pol, ns->v[i].s, strlen(ns->v[i].s)) == SIZE_MAX)
			problem(sk, TL_EPOLICY, ns->v[i].line, ns->v[i].col,
			    "policy-undefined", "%s: '%s' is neither a "
			    "three-letter country code nor a group of the policy",
			    what, ns->v[i].s);
}

/* Reports `nm` when an earlier name in the same namespace has its key.
 * `seen` holds the earlier names. */
static void
check_unique(sink *sk, const pol_name *nm, const pol_name *const *seen,
    size_t nseen, const char *what)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i]->key, nm->key) == 0) {
			problem(sk, TL_EPOLICY, nm->line, nm->col,
			    "policy-duplicate", "duplicate %s '%s' (first at "
			    "line %lu)", what, nm->s, seen[i]->line);
			return;
		}
}

/* Names and aliases of levels (or of controls) are one namespace. */
static void
check_namespace(sink *sk, const pol_name *const *names, size_t n,
    const char *what)
{
	size_t i;

	for (i = 1; i < n; i++)
		check_unique(sk, names[i], names, i, what);
}

typedef struct cycle_walk {
	sink *sk;
	const tl_policy *pol;
	unsigned char *state; /* 0 new, 1 on the path, 2 done */
	size_t path[POL_CONTROLS_MAX + 1];
	size_t depth;
	bool groups;          /* walking groups, else controls' implies */
} cycle_walk;

static const pol_name *
walk_name(const cycle_walk *w, size_t i)
{
	return w->groups ? &w->pol->groups[i].name : &w->pol->controls[i].name;
}

static void
walk(cycle_walk *w, size_t i)
{
	const pol_names *edges;
	char path[300];
	size_t e, t, k;

	w->state[i] = 1;
	w->path[w->depth++] = i;
	edges = w->groups ? &w->pol->groups[i].members :
	    &w->pol->controls[i].implies;
	for (e = 0; e < edges->n; e++) {
		t = w->groups ?
		    tl_pol_find_group(w->pol, edges->v[e].s, strlen(edges->v[e].s)) :
		    tl_pol_find_control(w->pol, edges->v[e].s, strlen(edges->v[e].s));
		if (t == SIZE_MAX || w->state[t] == 2)
			continue;
		if (w->state[t] == 0) {
			walk(w, t);
			continue;
		}
		/* A back edge: the path from t to here, then t again. */
		for (k = 0; w->path[k] != t; k++)
			;
		for (path[0] = '\0'; k < w->depth; k++)
			tl_pol_append(path, sizeof path, " -> ",
			    walk_name(w, w->path[k])->s);
		tl_pol_append(path, sizeof path, " -> ", walk_name(w, t)->s);
		problem(w->sk, TL_EPOLICY, edges->v[e].line, edges->v[e].col,
		    "policy-cycle", "%s cycle: %s", w->groups ? "group" :
		    "control implies", path);
	}
	w->depth--;
	w->state[i] = 2;
}

static void
check_cycles(sink *sk, const tl_policy *pol, bool groups)
{
	cycle_walk w;
	size_t i, n = groups ? pol->ngroups : pol->ncontrols;

	if (n == 0)
		return;
	memset(&w, 0, sizeof w);
	w.sk = sk;
	w.pol = pol;
	w.groups = groups;
	if ((w.state = calloc(n, 1)) == NULL) {
		problem(sk, TL_ENOMEM, 0, 0, "policy-limit", "out of memory");
		return;
	}
	for (i = 0; i < n; i++)
		if (w.state[i] == 0)
			walk(&w, i);
	free(w.state);
}

bool
tl_pol_needs_access(const tl_policy *pol, const char *key)
{
	size_t i, j;

	for (i = 0; i < pol->ncontrols; i++)
		for (j = 0; j < pol->controls[i].needs.n; j++)
			if (strcmp(pol->controls[i].needs.v[j].key, key) == 0)
				return true;
	return false;
}

static void
cross_check(sink *sk, tl_policy *pol, const ynode *levels_node)
{
	const pol_name **seen;
	size_t i, j, n, max;
	char what[96];

	max = pol->nlevels * (POL_LIST_MAX + 1) + pol->ncontrols *
	    (POL_LIST_MAX + 1) + pol->ngroups + pol->nreaders + 1;
	if ((seen = malloc(max * sizeof *seen)) == NULL) {
		problem(sk, TL_ENOMEM, 0, 0, "policy-limit", "out of memory");
		return;
	}
	/* Every level but the lowest is classified unless it says not. */
	for (i = 0; i < pol->nlevels; i++)
		if (!pol->levels[i].classified_set)
			pol->levels[i].classified = i > 0;
	if (levels_node && pol->nlevels == 0)
		problem(sk, TL_EPOLICY, levels_node->line, levels_node->col,
		    "policy-empty", "the level list is empty");
	for (n = 0, i = 0; i < pol->nlevels; i++) {
		if (pol->levels[i].name.key[0])
			seen[n++] = &pol->levels[i].name;
		for (j = 0; j < pol->levels[i].aliases.n; j++)
			seen[n++] = &pol->levels[i].aliases.v[j];
	}
	check_namespace(sk, seen, n, "level name or alias");
	for (n = 0, i = 0; i < pol->ncontrols; i++) {
		if (pol->controls[i].name.key[0])
			seen[n++] = &pol->controls[i].name;
		for (j = 0; j < pol->controls[i].aliases.n; j++)
			seen[n++] = &pol->controls[i].aliases.v[j];
	}
	check_namespace(sk, seen, n, "control name or alias");
	for (n = 0, i = 0; i < pol->ngroups; i++)
		seen[n++] = &pol->groups[i].name;
	check_namespace(sk, seen, n, "group");
	for (n = 0, i = 0; i < pol->nreaders; i++)
		if (pol->readers[i].name.key[0])
			seen[n++] = &pol->readers[i].name;
	check_namespace(sk, seen, n, "reader");
	free(seen);

	for (i = 0; i < pol->ngroups; i++) {
		snprintf(what, sizeof what, "group '%s'", pol->groups[i].name.s);
		check_countries(sk, pol, &pol->groups[i].members, what);
	}
	check_cycles(sk, pol, true);

	pol->rel_to = SIZE_MAX;
	for (i = 0; i < pol->ncontrols; i++) {
		pol_control *c = &pol->controls[i];

		snprintf(what, sizeof what, "control '%s'", c->name.s);
		check_countries(sk, pol, &c->countries, what);
		check_countries(sk, pol, &c->implicit, what);
		if (c->effect_set && c->effect == POL_EFFECT_REL_TO) {
			if (pol->rel_to != SIZE_MAX)
				problem(sk, TL_EPOLICY, c->name.line, c->name.col,
				    "policy-duplicate", "a second control with "
				    "effect rel-to ('%s', after '%s')", c->name.s,
				    pol->controls[pol->rel_to].name.s);
			else
				pol->rel_to = i;
		}
		if (c->implicit_with.s[0] && tl_pol_find_control(pol, c->implicit_with.s,
		    strlen(c->implicit_with.s)) == SIZE_MAX)
			problem(sk, TL_EPOLICY, c->implicit_with.line,
			    c->implicit_with.col, "policy-undefined", "%s: "
			    "implicit-with names undefined control '%s'", what,
			    c->implicit_with.s);
		if (c->implies.n &&
		    (c->implies_idx = calloc(c->implies.n, sizeof(size_t))) == NULL) {
			problem(sk, TL_ENOMEM, 0, 0, "policy-limit", "out of memory");
			return;
		}
		for (j = 0; j < c->implies.n; j++) {
			c->implies_idx[j] = tl_pol_find_control(pol,
			    c->implies.v[j].s, strlen(c->implies.v[j].s));
			if (c->implies_idx[j] == SIZE_MAX)
				problem(sk, TL_EPOLICY, c->implies.v[j].line,
				    c->implies.v[j].col, "policy-undefined",
				    "%s implies undefined control '%s'", what,
				    c->implies.v[j].s);
		}
	}
	check_cycles(sk, pol, false);

	for (i = 0; i < pol->nreaders; i++) {
		pol_reader *r = &pol->readers[i];
		size_t lv;

		snprintf(what, sizeof what, "reader '%s'", r->name.s);
		if (r->clearance.key[0]) {
			lv = tl_pol_find_level(pol, r->clearance.s,
			    strlen(r->clearance.s));
			if (lv == SIZE_MAX)
				problem(sk, TL_EPOLICY, r->clearance.line,
				    r->clearance.col, "policy-undefined",
				    "%s has clearance '%s', which is not a level "
				    "of the policy", what, r->clearance.s);
			else
				r->rank = (unsigned)lv + 1;
		}
		if (r->nationality.key[0] && !is_trigraph(r->nationality.key))
			problem(sk, TL_EPOLICY, r->nationality.line,
			    r->nationality.col, "policy-value", "%s: nationality "
			    "is one three-letter ISO 3166 code, not '%s'", what,
			    r->nationality.s);
		for (j = 0; j < r->access.n; j++)
			if (!tl_pol_needs_access(pol, r->access.v[j].key))
				problem(sk, TL_EPOLICY, r->access.v[j].line,
				    r->access.v[j].col, "policy-undefined",
				    "%s holds '%s', which no control of the policy "
				    "needs", what, r->access.v[j].s);
	}
}

/* ------------------------------------------------------------------------
 * Loading.
 * ---------------------------------------------------------------------- */

void
tl_policy_free(tl_policy *pol)
{
	size_t i;

	if (pol == NULL)
		return;
	for (i = 0; i < pol->nlevels; i++)
		names_free(&pol->levels[i].aliases);
	for (i = 0; i < pol->ngroups; i++)
		names_free(&pol->groups[i].members);
	for (i = 0; i < pol->ncontrols; i++) {
		pol_control *c = &pol->controls[i];

		names_free(&c->aliases);
		names_free(&c->countries);
		names_free(&c->implicit);
		names_free(&c->needs);
		names_free(&c->implies);
		free(c->implies_idx);
	}
	for (i = 0; i < pol->nreaders; i++)
		names_free(&pol->readers[i].access);
	free(pol->levels);
	free(pol->groups);
	free(pol->controls);
	free(pol->readers);
	free(pol->rules);
	free(pol);
}

static void
read_policy(sink *sk, tl_policy *pol, const ynode *root)
{
	static const char *const keys[] = { "tearline-policy", "name",
		"description", "levels", "groups", "controls", "readers",
		"handling", "placeholder", "audit", NULL };
	const ynode *v[11];
	size_t i;

	if (root == NULL) {
		problem(sk, TL_EPOLICY, 1, 1, "policy-empty",
		    "the file holds no policy (expected a mapping with "
		    "'tearline-policy: 1')");
		return;
	}
	if (!fields(sk, root, "the policy", keys, v))
		return;
	if (v[0] == NULL)
		problem(sk, TL_EPOLICY, root->line, root->col, "policy-missing",
		    "no 'tearline-policy: 1' (the format version)");
	else if (want_kind(sk, v[0], Y_SCALAR, "'tearline-policy'") &&
	    strcmp(v[0]->s, "1") != 0)
		problem(sk, TL_EPOLICY, v[0]->line, v[0]->col, "policy-value",
		    "format version '%s' is not supported (this tearline "
		    "reads 1)", v[0]->s);
	if (v[1] == NULL)
		problem(sk, TL_EPOLICY, root->line, root->col, "policy-missing",
		    "no 'name'");
	else {
		pol_name nm;

		if (want_name(sk, v[1], "the policy's name", &nm))
			memcpy(pol->name, nm.s, sizeof pol->name);
	}
	if (v[2])
		want_str(sk, v[2], "the description", pol->description,
		    sizeof pol->description);
	/* Groups first: controls and readers refer to them. */
	if (v[4])
		read_groups(sk, pol, v[4]);
	if (v[3] == NULL)
		problem(sk, TL_EPOLICY, root->line, root->col, "policy-missing",
		    "no 'levels' (the classification levels, lowest first)");
	else if (!is_null(v[3]) && want_kind(sk, v[3], Y_SEQ, "'levels'"))
		for (i = 0; i < v[3]->nkid; i++)
			read_level(sk, pol, v[3]->kid[i], i);
	if (v[5] && !is_null(v[5]) && want_kind(sk, v[5], Y_SEQ, "'controls'"))
		for (i = 0; i < v[5]->nkid; i++)
			read_control(sk, pol, v[5]->kid[i], i);
	if (v[6] && !is_null(v[6]) && want_kind(sk, v[6], Y_SEQ, "'readers'"))
		for (i = 0; i < v[6]->nkid; i++)
			read_reader(sk, pol, v[6]->kid[i], i);
	if (v[7])
		read_handling(sk, pol, v[7]);
	if (v[8])
		read_placeholder(sk, pol, v[8]);
	if (v[9])
		read_audit(sk, pol, v[9]);
	cross_check(sk, pol, v[3]);
}

/* Builds a policy from bytes; every problem goes to `sk`.  Returns the
 * policy only when there were none. */
static tl_policy *
build(sink *sk, const char *name, const char *bytes, size_t len)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	static const char hex[] = "0123456789abcdef";
	tl_policy *pol;
	ynode *root = NULL;
	size_t i;

	if (len > POL_FILE_MAX) {
		problem(sk, TL_ELIMIT, 0, 0, "policy-limit",
		    "%zu bytes; a policy is at most %zu", len, POL_FILE_MAX);
		return NULL;
	}
	if ((pol = calloc(1, sizeof *pol)) == NULL) {
		problem(sk, TL_ENOMEM, 0, 0, "policy-limit", "out of memory");
		return NULL;
	}
	tl_strlcpy(pol->source, name, strlen(name), sizeof pol->source);
	memcpy(pol->template, DEFAULT_TEMPLATE, sizeof DEFAULT_TEMPLATE);
	pol->rel_to = SIZE_MAX;
	/* The subject is a portion: an unmarked one is withheld anyway. */
	pol->parts[TL_PART_SUBJECT] = TL_PART_PORTION;
	if (yaml_read(sk, bytes, len, &root) == TL_OK)
		read_policy(sk, pol, root);
	ynode_free(root);
	if (sk->n) {
		tl_policy_free(pol);
		return NULL;
	}
	/* crypto_hash_sha256 cannot fail; its int is always 0. */
	(void)crypto_hash_sha256(digest, (const unsigned char *)bytes, len);
	for (i = 0; i < sizeof digest; i++) {
		pol->hash[2 * i] = hex[digest[i] >> 4];
		pol->hash[2 * i + 1] = hex[digest[i] & 15];
	}
	pol->hash[2 * sizeof digest] = '\0';
	return pol;
}

/* Reads a whole file of at most POL_FILE_MAX bytes (one more is read to
 * notice a larger one). */
static tl_status
slurp(sink *sk, const char *path, char **bytes, size_t *len)
{
	FILE *f;
	char *buf;
	size_t n;
	int err;

	*bytes = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return problem(sk, TL_EIO, 0, 0, "policy-io", "cannot open: %s",
		    strerror(errno));
	if ((buf = malloc(POL_FILE_MAX + 1)) == NULL) {
		fclose(f);
		return problem(sk, TL_ENOMEM, 0, 0, "policy-io", "out of memory");
	}
	n = fread(buf, 1, POL_FILE_MAX + 1, f);
	err = ferror(f) ? errno : 0;
	fclose(f);
	if (err) {
		free(buf);
		return problem(sk, TL_EIO, 0, 0, "policy-io", "cannot read: %s",
		    strerror(err));
	}
	*bytes = buf;
	*len = n;
	return TL_OK;
}

/* The first problem into `diag`, with a count of the others. */
static tl_status
fail(const sink *sk, tl_diag *diag)
{
	size_t used;

	if (diag == NULL)
		return sk->first.status;
	*diag = sk->first;
	if (sk->n > 1) {
		used = strlen(diag->message);
		snprintf(diag->message + used, sizeof diag->message - used,
		    " (and %lu more problem%s: see tearline policy check)",
		    sk->n - 1, sk->n > 2 ? "s" : "");
	}
	return sk->first.status;
}

tl_status
tl_policy_load_buffer(const char *name, const char *bytes, size_t len,
    tl_policy **out, tl_diag *diag)
{
	sink sk;

	memset(&sk, 0, sizeof sk);
	sk.file = name ? name : "";
	if (out == NULL || (bytes == NULL && len > 0))
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, sk.file, 0, 0,
		    NULL, "tl_policy_load_buffer: NULL argument");
	*out = build(&sk, sk.file, bytes ? bytes : "", len);
	finish(&sk);
	return *out ? TL_OK : fail(&sk, diag);
}

tl_status
tl_policy_load(const char *path, tl_policy **out, tl_diag *diag)
{
	sink sk;
	char *bytes;
	size_t len;

	memset(&sk, 0, sizeof sk);
	sk.file = path ? path : "";
	if (out == NULL || path == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, sk.file, 0, 0,
		    NULL, "tl_policy_load: NULL argument");
	*out = NULL;
	if (slurp(&sk, path, &bytes, &len) == TL_OK) {
		*out = build(&sk, path, bytes, len);
		free(bytes);
	}
	finish(&sk);
	return *out ? TL_OK : fail(&sk, diag);
}

tl_status
tl_policy_load_builtin(tl_policy **out, tl_diag *diag)
{
	return tl_policy_load_buffer(BUILTIN_NAME, tl_builtin_policy,
	    tl_builtin_policy_len, out, diag);
}

tl_status
tl_policy_check_buffer(const char *name, const char *bytes, size_t len,
    tl_policy_diag_fn fn, void *ctx)
{
	sink sk;
	tl_policy *pol;

	memset(&sk, 0, sizeof sk);
	sk.file = name ? name : "";
	sk.fn = fn;
	sk.ctx = ctx;
	pol = build(&sk, sk.file, bytes ? bytes : "", bytes ? len : 0);
	tl_policy_free(pol);
	finish(&sk);
	return sk.n ? sk.first.status : TL_OK;
}

tl_status
tl_policy_check(const char *path, tl_policy_diag_fn fn, void *ctx)
{
	sink sk;
	char *bytes;
	size_t len;
	tl_status st;

	memset(&sk, 0, sizeof sk);
	sk.file = path ? path : "";
	sk.fn = fn;
	sk.ctx = ctx;
	if (path == NULL)
		problem(&sk, TL_EUSAGE, 0, 0, "policy-io", "no file named");
	if (path == NULL || slurp(&sk, path, &bytes, &len) != TL_OK) {
		finish(&sk);
		return sk.first.status;
	}
	st = tl_policy_check_buffer(path, bytes, len, fn, ctx);
	free(bytes);
	return st;
}

/* ------------------------------------------------------------------------
 * Accessors.
 * ---------------------------------------------------------------------- */

const char *
tl_policy_name(const tl_policy *pol)
{
	return pol ? pol->name : "";
}

const char *
tl_policy_source(const tl_policy *pol)
{
	return pol ? pol->source : "";
}

const char *
tl_policy_hash(const tl_policy *pol)
{
	return pol ? pol->hash : "";
}

unsigned
tl_policy_level_count(const tl_policy *pol)
{
	return pol ? (unsigned)pol->nlevels : 0;
}

bool
tl_policy_level_at(const tl_policy *pol, unsigned rank, tl_policy_level *out)
{
	const pol_level *lv;

	memset(out, 0, sizeof *out);
	if (pol == NULL || rank == 0 || rank > pol->nlevels)
		return false;
	lv = &pol->levels[rank - 1];
	out->rank = rank;
	out->name = lv->name.s;
	out->portion = lv->portion;
	out->banner = lv->banner;
	out->routing = lv->routing;
	out->exemption = lv->exemption;
	return true;
}

unsigned
tl_policy_level_rank(const tl_policy *pol, const tl_marking *m)
{
	const char *canon;
	size_t i;

	if (pol == NULL || m == NULL)
		return 0;
	i = tl_pol_find_level(pol, m->level_token,
	    strnlen(m->level_token, sizeof m->level_token));
	if (i == SIZE_MAX && m->level != TL_LEVEL_UNKNOWN) {
		canon = tl_level_name(m->level);
		i = tl_pol_find_level(pol, canon, strlen(canon));
	}
	return i == SIZE_MAX ? 0 : (unsigned)i + 1;
}

size_t
tl_policy_reader_count(const tl_policy *pol)
{
	return pol ? pol->nreaders : 0;
}

const char *
tl_policy_reader_name(const tl_policy *pol, size_t i)
{
	return pol && i < pol->nreaders ? pol->readers[i].name.s : NULL;
}

bool
tl_policy_rule(const tl_policy *pol, const char *rule_id, bool *enabled,
    tl_severity *severity)
{
	size_t i;

	if (pol == NULL || rule_id == NULL)
		return false;
	for (i = 0; i < pol->nrules; i++) {
		const pol_rule *r = &pol->rules[i];

		if (strcmp(r->id, rule_id) != 0)
			continue;
		if (enabled && r->has_enabled)
			*enabled = r->enabled;
		if (severity && r->has_severity)
			*severity = r->severity;
		return true;
	}
	return false;
}

tl_consistency
tl_policy_consistency(const tl_policy *pol)
{
	return pol ? pol->consistency : TL_CONSISTENCY_REPORT;
}

tl_part_action
tl_policy_part(const tl_policy *pol, tl_part part)
{
	if (pol == NULL || (unsigned)part > TL_PART_SUBJECT)
		return TL_PART_WITHHOLD;
	return pol->parts[part];
}

