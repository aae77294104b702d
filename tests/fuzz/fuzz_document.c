/*
 * fuzz_document.c: the document parser, the audit, the model writer and
 * the redaction writer on any bytes, for two fixed readers of the
 * built-in policy (gbr-secret and public).
 *
 * Invariants:
 * - the events are well formed: lines numbered 1, 2, ... (fragments of
 *   one line share its number), portions numbered 1, 2, ..., opened and
 *   closed once, a portion's lines only while it is open, one END last,
 *   and the counts of the final docinfo agree with the events;
 * - feeding the same bytes in random-size chunks, or in the 64 KiB pieces
 *   that tl_parse_file reads, gives the same events as feeding them at
 *   once;
 * - the JSON model and every decision record are one line of valid
 *   UTF-8 without raw control characters;
 * - tl_redact_file succeeds; each report counts the document's portions;
 *   a copy withheld whole is one placeholder line; the file written is
 *   the bytes the output hook saw;
 * - no line of a withheld portion that appears nowhere else in the input
 *   (at least 16 bytes and a lower-case letter, so that it is text, not
 *   a marking) appears as a line of that reader's copy.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREADERS 2
static const char *const reader_names[NREADERS] = { "gbr-secret", "public" };

static tl_policy *policy;
static tl_reader readers[NREADERS];
static char *in_path, *out_path[NREADERS];

/* ------------------------------------------------------------------------
 * Small growable things
 * ---------------------------------------------------------------------- */

/* A multiset of line hashes, sorted before lookups. */
typedef struct hashes {
	uint64_t *h;
	size_t n, cap;
} hashes;

static void
hashes_add(hashes *s, uint64_t h)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->h = realloc(s->h, s->cap * sizeof *s->h);
		FUZZ_CHECK(s->h != NULL, "out of memory");
	}
	s->h[s->n++] = h;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
hashes_sort(hashes *s)
{
	if (s->n)
		qsort(s->h, s->n, sizeof *s->h, cmp_u64);
}

/* Occurrences of h in the sorted multiset. */
static size_t
hashes_count(const hashes *s, uint64_t h)
{
	size_t lo = 0, hi = s->n, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->h[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < s->n && s->h[lo + n] == h)
		n++;
	return n;
}

static void
hashes_free(hashes *s)
{
	free(s->h);
	memset(s, 0, sizeof *s);
}

/* FNV-1a, 64 bits. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ull

static uint64_t
fnv_u(uint64_t h, unsigned long long u)
{
	return fnv(h, &u, sizeof u);
}

static uint64_t
fnv_s(uint64_t h, const char *s, size_t max)
{
	const char *z = memchr(s, '\0', max);

	FUZZ_CHECK(z != NULL, "string field not NUL-terminated");
	return fnv(h, s, (size_t)(z - s) + 1);
}

/* Calls fn(ctx, line, len) for each line of s[0..n): split at '\n', one
 * '\r' before it dropped, as the parser splits; the last line may lack
 * its '\n'. */
static void
each_line(const char *s, size_t n, void (*fn)(void *, const char *, size_t),
    void *ctx)
{
	size_t start = 0, i, len;

	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		len = i - start;
		if (len && s[i - 1] == '\r')
			len--;
		fn(ctx, s + start, len);
		start = i + 1;
	}
	if (start < n)
		fn(ctx, s + start, n - start);
}

static void
add_line_hash(void *ctx, const char *s, size_t n)
{
	hashes_add(ctx, fnv(FNV_INIT, s, n));
}

/* Text of a line: long enough and with a lower-case letter, so that it
 * cannot be a marking, a banner or a placeholder's fixed part. */
static bool
is_text_line(const char *s, size_t n)
{
	size_t i;

	if (n < 16)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			return true;
	return false;
}

/* ------------------------------------------------------------------------
 * Parser events: a digest and structural checks
 * ---------------------------------------------------------------------- */

typedef struct watch {
	uint64_t digest;
	unsigned long lines;     /* last line number seen */
	bool in_line;            /* a long line's fragments are arriving */
	unsigned long portions;  /* portions begun */
	unsigned long open;      /* index of the open portion, 0 if none */
	unsigned long errors, warnings, ends;
	tl_audit *audit;         /* one-shot parse only */
	bool decide;             /* write decision records (one-shot only) */
	tl_docdecision dd;
} watch;

static uint64_t
digest_marking(uint64_t h, const tl_marking *m)
{
	unsigned i;

	h = fnv_u(h, m->level);
	h = fnv_s(h, m->level_token, sizeof m->level_token);
	h = fnv_u(h, m->ncontrols);
	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		h = fnv_s(h, m->controls[i], sizeof m->controls[i]);
	h = fnv_u(h, (unsigned)m->rel_to * 2 + m->rel_to_form);
	h = fnv_u(h, m->nrel);
	for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++)
		h = fnv_s(h, m->rel[i], sizeof m->rel[i]);
	h = fnv_u(h, m->nunknown);
	for (i = 0; i < m->nunknown && i < TL_MARK_UNKNOWN_MAX; i++)
		h = fnv_s(h, m->unknown[i], sizeof m->unknown[i]);
	return fnv_u(h, m->malformed);
}

static uint64_t
digest_portion(uint64_t h, const tl_portion *p)
{
	h = fnv_u(h, p->index);
	h = fnv_u(h, p->kind);
	h = fnv_u(h, p->line);
	h = fnv_u(h, p->col);
	h = fnv_u(h, p->end_line);
	h = fnv_s(h, p->lead, sizeof p->lead);
	h = fnv_s(h, p->number, sizeof p->number);
	h = fnv_u(h, p->marked);
	h = fnv_u(h, p->mark_col);
	h = fnv_s(h, p->mark_text, sizeof p->mark_text);
	h = digest_marking(h, &p->marking);
	return fnv_u(h, p->errors);
}

static uint64_t
digest_banner(uint64_t h, const tl_banner *b)
{
	h = fnv_u(h, b->line);
	h = fnv_u(h, b->col);
	h = fnv_s(h, b->text, sizeof b->text);
	h = digest_marking(h, &b->marking);
	h = fnv_u(h, (unsigned)b->damaged * 2 + b->spaced);
	return fnv_s(h, b->tail, sizeof b->tail);
}

static uint64_t
digest_doc(uint64_t h, const tl_docinfo *d)
{
	unsigned i;

	h = digest_banner(h, &d->banner);
	h = digest_banner(h, &d->closing);
	h = fnv_u(h, d->routing.line);
	h = fnv_s(h, d->routing.letters, sizeof d->routing.letters);
	h = fnv_u(h, d->routing.level);
	h = fnv_u(h, d->authority.line);
	h = fnv_s(h, d->authority.classified_by,
	    sizeof d->authority.classified_by);
	FUZZ_CHECK(d->authority.nreasons <= 8, "%u reasons",
	    d->authority.nreasons);
	for (i = 0; i < d->authority.nreasons; i++)
		h = fnv_s(h, d->authority.reasons[i],
		    sizeof d->authority.reasons[i]);
	h = fnv_u(h, d->authority.run_in);
	h = fnv_u(h, d->declassify.line);
	h = fnv_s(h, d->declassify.order, sizeof d->declassify.order);
	h = fnv_s(h, d->declassify.text, sizeof d->declassify.text);
	h = fnv_s(h, d->declassify.date, sizeof d->declassify.date);
	h = fnv_u(h, d->tags_line);
	h = fnv_u(h, d->subject_line);
	h = fnv_s(h, d->date, sizeof d->date);
	h = fnv_u(h, (unsigned)d->entire_text * 4 + d->sipdis * 2 + d->crlf);
	h = fnv_u(h, d->lines);
	h = fnv_u(h, d->portions);
	h = fnv_u(h, d->marked);
	h = fnv_u(h, d->errors);
	return fnv_u(h, d->warnings);
}

/* Checks that `s` is one line of valid UTF-8 JSON text: no raw control
 * character, a single '\n' at the end. */
static void
check_json_line(const char *s, size_t n, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	FUZZ_CHECK(n > 0 && s[n - 1] == '\n', "%s does not end in a newline",
	    what);
	FUZZ_CHECK(u[0] == '{', "%s does not start with '{'", what);
	while (i < n - 1) {
		unsigned c = u[i], k, need;

		FUZZ_CHECK(c >= 0x20, "%s has control byte 0x%02x at %zu", what,
		    c, i);
		if (c < 0x80) {
			i++;
			continue;
		}
		need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 && c <= 0xef ? 2 :
		    c >= 0xc2 && c <= 0xdf ? 1 : 0;
		FUZZ_CHECK(need > 0 && i + need < n, "%s: invalid UTF-8 at %zu",
		    what, i);
		for (k = 1; k <= need; k++)
			FUZZ_CHECK((u[i + k] & 0xc0) == 0x80, "%s: invalid "
			    "UTF-8 at %zu", what, i);
		i += need + 1;
	}
}

static tl_status
on_finding(void *ctx, const tl_finding *f)
{
	fuzz_bytes out = { 0 };

	(void)ctx;
	fuzz_check_diag(&f->diag);
	FUZZ_CHECK(f->rule != NULL && f->rule == tl_audit_rule_at(
	    f->rule_index), "finding with a bad rule index %zu", f->rule_index);
	FUZZ_CHECK(tl_finding_write_json(f, fuzz_to_bytes, &out) == TL_OK,
	    "finding not written");
	check_json_line(out.s, out.len, "finding");
	fuzz_bytes_free(&out);
	return TL_OK;
}

static void
decision_record(watch *w, const tl_event *ev)
{
	fuzz_bytes out = { 0 };
	tl_decision d;

	/* As the redaction does: the document is decided on what is known
	 * when its portions begin. */
	tl_decide_document(policy, &readers[0], ev->doc, &w->dd);
	tl_decide_portion(policy, &readers[0], &w->dd, ev->portion, &d);
	FUZZ_CHECK(memchr(d.rule, '\0', sizeof d.rule) &&
	    memchr(d.reason, '\0', sizeof d.reason) &&
	    memchr(d.exemption, '\0', sizeof d.exemption),
	    "decision strings not NUL-terminated");
	/* A portion with errors is withheld; an unmarked one gets the
	 * document's decision for unmarked text, no more. */
	if (ev->portion->errors)
		FUZZ_CHECK(d.verdict == TL_WITHHOLD, "portion %lu released "
		    "with %u errors, marked=%d", ev->portion->index,
		    ev->portion->errors, ev->portion->marked);
	else if (!ev->portion->marked &&
	    ev->portion->kind != TL_PORTION_SUBJECT) {
		/* Its page scope's decision where the page banners change
		 * (tl_docdecision.scopes), else the document's; a mark
		 * buried in it may only withhold more. */
		const tl_decision *u = &w->dd.unmarked;
		unsigned k = w->dd.nscopes < TL_SCOPES_MAX ? w->dd.nscopes :
		    TL_SCOPES_MAX;
		while (k > 0 && w->dd.scopes[k - 1].line > ev->portion->line)
			k--;
		if (k > 0)
			u = &w->dd.scopes[k - 1].unmarked;
		FUZZ_CHECK(d.verdict == u->verdict || (ev->portion->nburied &&
		    d.verdict == TL_WITHHOLD), "unmarked portion %lu decided "
		    "apart from the unmarked text of its pages",
		    ev->portion->index);
	}
	FUZZ_CHECK(tl_decision_write_json("fuzz.txt", ev->doc, ev->portion, &d,
	    fuzz_to_bytes, &out) == TL_OK, "decision record not written");
	check_json_line(out.s, out.len, "decision record");
	fuzz_bytes_free(&out);
}

static tl_status
on_event(void *ctx, const tl_event *ev)
{
	watch *w = ctx;
	uint64_t h = fnv_u(w->digest, ev->kind);

	FUZZ_CHECK(w->ends == 0, "event %d after END", (int)ev->kind);
	FUZZ_CHECK(ev->doc != NULL, "event without docinfo");
	switch (ev->kind) {
	case TL_EV_LINE: {
		const tl_line *l = ev->line;

		FUZZ_CHECK(l != NULL, "LINE without a line");
		FUZZ_CHECK((unsigned)l->role <= TL_LINE_STRAY, "role %d",
		    (int)l->role);
		if (w->in_line) {
			FUZZ_CHECK(!l->first && l->number == w->lines,
			    "fragment of line %lu, first=%d, while line %lu "
			    "is unfinished", l->number, l->first, w->lines);
		} else {
			FUZZ_CHECK(l->first && l->number == w->lines + 1,
			    "line %lu (first=%d) after line %lu", l->number,
			    l->first, w->lines);
			w->lines = l->number;
		}
		w->in_line = !l->last;
		FUZZ_CHECK(l->len <= TL_FRAGMENT_MAX, "fragment of %zu bytes",
		    l->len);
		FUZZ_CHECK(l->eol_len == strlen(l->eol) && (l->eol_len == 0 ||
		    strcmp(l->eol, "\n") == 0 || strcmp(l->eol, "\r\n") == 0),
		    "line ending of %zu bytes", l->eol_len);
		FUZZ_CHECK(l->last || l->eol_len == 0, "line ending on a "
		    "fragment that is not the last");
		if (l->portion)
			FUZZ_CHECK(l->portion == w->open, "line %lu of portion "
			    "%lu while portion %lu is open", l->number,
			    l->portion, w->open);
		h = fnv_u(h, l->role);
		h = fnv_u(h, l->number);
		h = fnv_u(h, l->portion);
		h = fnv(h, l->text, l->len);
		h = fnv(h, l->eol, l->eol_len);
		h = fnv_u(h, (unsigned)l->first * 2 + l->last);
		break;
	}
	case TL_EV_PORTION_BEGIN:
		FUZZ_CHECK(ev->portion != NULL, "PORTION_BEGIN without portion");
		FUZZ_CHECK(w->open == 0, "portion %lu begins inside portion %lu",
		    ev->portion->index, w->open);
		FUZZ_CHECK(ev->portion->index == w->portions + 1, "portion %lu "
		    "after portion %lu", ev->portion->index, w->portions);
		FUZZ_CHECK(!w->in_line, "portion begins inside a long line");
		FUZZ_CHECK(ev->portion->line == w->lines + 1, "portion %lu "
		    "begins on line %lu before line %lu", ev->portion->index,
		    ev->portion->line, w->lines + 1);
		w->open = ++w->portions;
		h = digest_portion(h, ev->portion);
		break;
	case TL_EV_PORTION_END:
		FUZZ_CHECK(ev->portion != NULL, "PORTION_END without portion");
		FUZZ_CHECK(w->open != 0 && ev->portion->index == w->open,
		    "portion %lu ends while %lu is open", ev->portion->index,
		    w->open);
		FUZZ_CHECK(ev->portion->end_line >= ev->portion->line &&
		    ev->portion->end_line <= w->lines, "portion %lu: lines "
		    "%lu-%lu, %lu lines read", ev->portion->index,
		    ev->portion->line, ev->portion->end_line, w->lines);
		FUZZ_CHECK(memchr(ev->portion->lead, '\0', TL_LEAD_MAX) &&
		    memchr(ev->portion->mark_text, '\0', TL_MARK_MAX + 1),
		    "portion strings not NUL-terminated");
		w->open = 0;
		if (w->decide)
			decision_record(w, ev);
		h = digest_portion(h, ev->portion);
		break;
	case TL_EV_DIAG:
		FUZZ_CHECK(ev->diag != NULL, "DIAG without diag");
		fuzz_check_diag(ev->diag);
		if (ev->diag->severity == TL_SEV_ERROR)
			w->errors++;
		else if (ev->diag->severity == TL_SEV_WARNING)
			w->warnings++;
		h = fnv_u(h, ev->diag->severity);
		h = fnv_u(h, ev->diag->status);
		h = fnv_u(h, ev->diag->line);
		h = fnv_u(h, ev->diag->col);
		h = fnv_s(h, ev->diag->rule, sizeof ev->diag->rule);
		h = fnv_s(h, ev->diag->message, sizeof ev->diag->message);
		break;
	case TL_EV_END:
		w->ends++;
		FUZZ_CHECK(w->open == 0 && !w->in_line, "END inside portion %lu",
		    w->open);
		FUZZ_CHECK(ev->doc->lines == w->lines, "docinfo counts %lu "
		    "lines, %lu were delivered", ev->doc->lines, w->lines);
		FUZZ_CHECK(ev->doc->portions == w->portions, "docinfo counts "
		    "%lu portions, %lu were delivered", ev->doc->portions,
		    w->portions);
		FUZZ_CHECK(ev->doc->errors == w->errors && ev->doc->warnings ==
		    w->warnings, "docinfo counts %lu errors, %lu warnings; "
		    "%lu, %lu were delivered", ev->doc->errors,
		    ev->doc->warnings, w->errors, w->warnings);
		FUZZ_CHECK(ev->doc->marked <= ev->doc->portions, "%lu marked "
		    "of %lu portions", ev->doc->marked, ev->doc->portions);
		h = digest_doc(h, ev->doc);
		break;
	default:
		FUZZ_CHECK(0, "event kind %d", (int)ev->kind);
	}
	w->digest = h;
	if (w->audit)
		return tl_audit_event(w->audit, ev);
	return TL_OK;
}

/* Parses the input fed in pieces whose sizes come from `seed` (0: all at
 * once, 1: 64 KiB pieces); returns the digest of the events. */
static uint64_t
parse(const uint8_t *data, size_t size, uint64_t seed, bool audit,
    unsigned long *portions)
{
	watch w;
	tl_parser *p;
	tl_status st = TL_OK;
	size_t off = 0, n;

	memset(&w, 0, sizeof w);
	w.digest = FNV_INIT;
	if (audit) {
		w.audit = tl_audit_new(on_finding, NULL);
		FUZZ_CHECK(w.audit != NULL, "out of memory");
		w.decide = true;
	}
	p = tl_parser_new("fuzz.txt", on_event, &w);
	FUZZ_CHECK(p != NULL, "out of memory");
	while (off < size && st == TL_OK) {
		if (seed == 0) {
			n = size;
		} else if (seed == 1) {
			n = 65536; /* as tl_parse_file reads */
		} else {
			/* xorshift64: sizes 1-16 mostly, sometimes up to 4 KiB */
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			n = seed % 8 == 0 ? 1 + (size_t)(seed >> 8) % 4096 :
			    1 + (size_t)(seed >> 8) % 16;
		}
		if (n > size - off)
			n = size - off;
		st = tl_parser_feed(p, (const char *)data + off, n);
		off += n;
	}
	if (st == TL_OK)
		st = tl_parser_finish(p);
	FUZZ_CHECK(st == TL_OK, "parser failed: %s", tl_strerror(st));
	FUZZ_CHECK(w.ends == 1, "%lu END events", w.ends);
	*portions = w.portions;
	if (audit) {
		FUZZ_CHECK(tl_audit_count(w.audit, TL_SEV_ERROR) +
		    tl_audit_count(w.audit, TL_SEV_WARNING) +
		    tl_audit_count(w.audit, TL_SEV_NOTE) < 1000000,
		    "finding counts");
		tl_audit_free(w.audit);
	}
	tl_parser_free(p);
	return w.digest;
}

/* ------------------------------------------------------------------------
 * Redaction with hooks
 * ---------------------------------------------------------------------- */

typedef struct copy {
	fuzz_bytes out;        /* what the output hook saw */
	hashes withheld;  /* text lines of withheld portions */
	hashes placeholders;
	unsigned long decisions;
} copy;

typedef struct spy {
	fuzz_bytes portion;    /* text of the portion being read */
	unsigned long portion_index;
	unsigned long begun;
	copy c[NREADERS];
} spy;

static tl_status
hook_begin(void *ctx, const tl_portion *p)
{
	spy *s = ctx;

	s->portion.len = 0;
	s->portion_index = p->index;
	s->begun++;
	return TL_OK;
}

static tl_status
hook_text(void *ctx, const tl_portion *p, const char *b, size_t n)
{
	spy *s = ctx;

	FUZZ_CHECK(p != NULL && p->index == s->portion_index, "text of "
	    "portion %lu while portion %lu is open", p ? p->index : 0,
	    s->portion_index);
	fuzz_bytes_add(&s->portion, b, n);
	return TL_OK;
}

static void
add_withheld(void *ctx, const char *line, size_t n)
{
	copy *c = ctx;

	if (!is_text_line(line, n))
		return;
	hashes_add(&c->withheld, fnv(FNV_INIT, line, n));
}

static tl_status
hook_decision(void *ctx, size_t target, const tl_portion *p,
    const tl_decision *d)
{
	spy *s = ctx;
	copy *c;
	char line[1024];
	size_t n;

	FUZZ_CHECK(target < NREADERS, "decision for target %zu", target);
	FUZZ_CHECK(p->index == s->portion_index, "decision on portion %lu "
	    "while portion %lu is open", p->index, s->portion_index);
	c = &s->c[target];
	c->decisions++;
	if (d->verdict == TL_RELEASE)
		return TL_OK;
	each_line(s->portion.s ? s->portion.s : "", s->portion.len,
	    add_withheld, c);
	n = tl_policy_placeholder(policy, p, d, line, sizeof line);
	if (n >= sizeof line)
		n = sizeof line - 1;
	hashes_add(&c->placeholders, fnv(FNV_INIT, line, n));
	return TL_OK;
}

static tl_status
hook_output(void *ctx, size_t target, const char *b, size_t n)
{
	spy *s = ctx;

	FUZZ_CHECK(target < NREADERS, "output for target %zu", target);
	fuzz_bytes_add(&s->c[target].out, b, n);
	return TL_OK;
}

struct leak_ctx {
	const hashes *input, *withheld, *placeholders;
	const char *reader;
};

static void
check_output_line(void *ctx, const char *line, size_t n)
{
	struct leak_ctx *k = ctx;
	uint64_t h;
	size_t w;

	if (!is_text_line(line, n))
		return;
	h = fnv(FNV_INIT, line, n);
	if ((w = hashes_count(k->withheld, h)) == 0)
		return;
	/* Also written outside withheld portions, or a placeholder: not a
	 * leak. */
	if (hashes_count(k->input, h) > w || hashes_count(k->placeholders, h))
		return;
	FUZZ_CHECK(0, "the copy for %s has the withheld line \"%.*s\"",
	    k->reader, (int)(n < 200 ? n : 200), line);
}

static void
redact(const uint8_t *data, size_t size, unsigned long portions)
{
	tl_redact_target targets[NREADERS];
	tl_redact_report reports[NREADERS];
	tl_redact_hooks hooks;
	tl_redact_options opt;
	hashes input = { 0 };
	spy s;
	tl_diag d;
	tl_status st;
	size_t i, flen;
	char *file;

	fuzz_write(in_path, data, size);
	memset(&s, 0, sizeof s);
	memset(&hooks, 0, sizeof hooks);
	hooks.ctx = &s;
	hooks.portion_begin = hook_begin;
	hooks.portion_text = hook_text;
	hooks.decision = hook_decision;
	hooks.output = hook_output;
	memset(&opt, 0, sizeof opt);
	opt.force = true;
	opt.hooks = &hooks;
	opt.spool_dir = fuzz_dir();
	for (i = 0; i < NREADERS; i++) {
		targets[i].reader = &readers[i];
		targets[i].path = out_path[i];
	}
	st = tl_redact_file(policy, in_path, targets, NREADERS, &opt, reports,
	    &d);
	FUZZ_CHECK(st == TL_OK, "tl_redact_file: %s: %s", tl_strerror(st),
	    d.message);
	fuzz_check_diag(&d);

	each_line((const char *)data, size, add_line_hash, &input);
	hashes_sort(&input);
	for (i = 0; i < NREADERS; i++) {
		tl_redact_report *r = &reports[i];
		copy *c = &s.c[i];
		struct leak_ctx k = { &input, &c->withheld, &c->placeholders,
			reader_names[i] };

		FUZZ_CHECK(r->portions == portions, "%s: report counts %lu "
		    "portions, the parser %lu", reader_names[i], r->portions,
		    portions);
		FUZZ_CHECK(c->decisions == portions, "%s: %lu decisions on %lu "
		    "portions", reader_names[i], c->decisions, portions);
		FUZZ_CHECK(r->released + r->withheld == r->portions, "%s: %lu "
		    "released + %lu withheld != %lu", reader_names[i],
		    r->released, r->withheld, r->portions);
		FUZZ_CHECK(memchr(r->reason, '\0', sizeof r->reason) &&
		    memchr(r->banner, '\0', sizeof r->banner),
		    "report strings not NUL-terminated");
		file = fuzz_slurp(out_path[i], &flen);
		FUZZ_CHECK(file != NULL, "%s: no copy written", reader_names[i]);
		FUZZ_CHECK(flen == c->out.len && (flen == 0 ||
		    memcmp(file, c->out.s, flen) == 0), "%s: the copy (%zu "
		    "bytes) is not what the output hook saw (%zu bytes)",
		    reader_names[i], flen, c->out.len);
		free(file);
		if (r->whole) {
			static const char head[] = "[WITHHELD: entire document: ";

			FUZZ_CHECK(r->released == 0, "withheld whole but %lu "
			    "released", r->released);
			FUZZ_CHECK(c->out.len > sizeof head && memcmp(c->out.s,
			    head, sizeof head - 1) == 0 &&
			    memchr(c->out.s, '\n', c->out.len) ==
			    c->out.s + c->out.len - 1, "%s: a copy withheld "
			    "whole is not one placeholder line",
			    reader_names[i]);
			continue;
		}
		hashes_sort(&c->withheld);
		hashes_sort(&c->placeholders);
		each_line(c->out.s ? c->out.s : "", c->out.len,
		    check_output_line, &k);
	}
	for (i = 0; i < NREADERS; i++) {
		fuzz_bytes_free(&s.c[i].out);
		hashes_free(&s.c[i].withheld);
		hashes_free(&s.c[i].placeholders);
	}
	fuzz_bytes_free(&s.portion);
	hashes_free(&input);
}

/* The JSON model of the document: one line of valid JSON text. */
static void
model(void)
{
	fuzz_bytes out = { 0 };
	unsigned long errors = 0;
	tl_diag d;
	tl_status st;

	st = tl_parse_write_json(in_path, "fuzz.txt", fuzz_to_bytes, &out, &errors,
	    &d);
	FUZZ_CHECK(st == TL_OK, "tl_parse_write_json: %s: %s",
	    tl_strerror(st), d.message);
	check_json_line(out.s, out.len, "model");
	fuzz_bytes_free(&out);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_load_readers(&policy, reader_names, readers, NREADERS);
	for (i = 0; i < NREADERS; i++) {
		char name[32];

		snprintf(name, sizeof name, "out%zu.txt", i);
		out_path[i] = fuzz_path(name);
	}
	in_path = fuzz_path("in.txt");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t whole, chunked;
	unsigned long portions, again;

	if (policy == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	whole = parse(data, size, 0, true, &portions);
	chunked = parse(data, size, fnv(FNV_INIT, data, size) | 2, false,
	    &again);
	FUZZ_CHECK(whole == chunked && portions == again, "events differ "
	    "when the input is fed in pieces");
	if (size > 65536) {
		chunked = parse(data, size, 1, false, &again);
		FUZZ_CHECK(whole == chunked, "events differ when the input is "
		    "fed in 64 KiB pieces");
	}
	redact(data, size, portions);
	model();
	return 0;
}
