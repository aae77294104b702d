/*
 * parse.c: the document parser's driver.  Splits the input into lines,
 * checks their bytes and hands each to the header (parse_header.c) or the
 * body (parse_body.c); reports everything as events in input order.
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

tl_status
tlp_emit_line(tl_parser *p, tl_line_role role, unsigned long number,
    unsigned long portion, const char *text, size_t len, const char *eol,
    size_t eol_len, bool first, bool last)
{
	tl_line line = { role, number, portion, text, len,
		eol ? eol : "", eol_len, first, last };
	tl_event ev = { .kind = TL_EV_LINE, .line = &line };

	return emit(p, &ev);
}

tl_status
tlp_diag(tl_parser *p, tl_severity sev, unsigned long line, unsigned long col,
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

/* The weight of a level in the evidence roll-up, one scale for every
 * scheme (an OFFICIAL page and a SECRET mark: SECRET wins). */
static int
level_weight(tl_level level)
{
	switch (level) {
	case TL_LEVEL_UNCLASSIFIED: case TL_LEVEL_OFFICIAL: return 1;
	case TL_LEVEL_PROTECT: case TL_LEVEL_OFFICIAL_SENSITIVE: return 2;
	case TL_LEVEL_RESTRICTED: return 2;
	case TL_LEVEL_CONFIDENTIAL: return 3;
	case TL_LEVEL_SECRET: return 4;
	case TL_LEVEL_TOP_SECRET: return 5;
	case TL_LEVEL_UNKNOWN: break;
	}
	return 0;
}

/* Rolls m into e: the higher level, every control.  True when the level
 * rose. */
static bool
roll(tl_marking *e, const tl_marking *m)
{
	unsigned i;
	bool rose = false;

	if (level_weight(m->level) > level_weight(e->level)) {
		e->level = m->level;
		memcpy(e->level_token, m->level_token, sizeof e->level_token);
		rose = true;
	}
	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		tl_marking_add_control(e, m->controls[i]);
	return rose;
}

void
tlp_evidence_add(tl_parser *p, const tl_marking *m, unsigned long line)
{
	if (roll(&p->doc.evidence, m))
		p->doc.evidence_line = line;
	roll(&p->scope_ev, m);
	if (p->in_exhibit)
		roll(&p->doc.scopes[p->exhibit].marking, m);
}

/* Page scopes (tl_docinfo.scopes).  A run of pages under one banner
 * takes that banner and every mark on its pages; the text between the
 * last banner of one run and the first of the next takes both banners
 * and its own marks. */

/* The same REL TO list (or none), in any order. */
static bool
same_rel(const tl_marking *a, const tl_marking *b)
{
	unsigned i, nb = b->nrel < TL_MARK_REL_MAX ? b->nrel : TL_MARK_REL_MAX;

	if (a->rel_to != b->rel_to || a->nrel != b->nrel)
		return false;
	for (i = 0; i < a->nrel && i < TL_MARK_REL_MAX; i++)
		if (!has_code((const char (*)[8])b->rel, nb, a->rel[i]))
			return false;
	return true;
}

/* Same banner: level, controls and REL TO list, in any order. */
static bool
same_banner(const tl_marking *a, const tl_marking *b)
{
	unsigned i;

	if (a->level != b->level || a->ncontrols != b->ncontrols ||
	    a->nunknown != b->nunknown || !same_rel(a, b))
		return false;
	for (i = 0; i < a->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		if (!tl_marking_has(b, a->controls[i]))
			return false;
	for (i = 0; i < a->nunknown && i < TL_MARK_UNKNOWN_MAX; i++)
		if (strcmp(a->unknown[i], b->unknown[i]) != 0)
			return false;
	return true;
}

/* Adds the unknown tokens of m to e; one that does not fit makes e
 * unreadable (withheld), never dropped. */
static void
roll_unknown(tl_marking *e, const tl_marking *m)
{
	unsigned i, j;

	for (i = 0; i < m->nunknown && i < TL_MARK_UNKNOWN_MAX; i++) {
		for (j = 0; j < e->nunknown; j++)
			if (strcmp(e->unknown[j], m->unknown[i]) == 0)
				break;
		if (j < e->nunknown)
			continue;
		if (e->nunknown == TL_MARK_UNKNOWN_MAX) {
			e->malformed = true;
			return;
		}
		memcpy(e->unknown[e->nunknown++], m->unknown[i],
		    sizeof e->unknown[0]);
	}
}

static void
scope_push(tl_parser *p, unsigned long line, const tl_marking *m)
{
	tl_docinfo *d = &p->doc;

	if (d->nscopes == TL_SCOPES_MAX) {
		p->scopes_off = true;
		return;
	}
	d->scopes[d->nscopes].line = line;
	d->scopes[d->nscopes].marking = *m;
	d->scopes[d->nscopes].document = false;
	d->scopes[d->nscopes].table = false;
	d->nscopes++;
}

/* A banner a scope may be taken from: read undamaged, with a level.  A
 * banner with a token nobody knows ("TOP SECRET/JSI/REL TO USA") is one:
 * a scope of its own, whose text withholds what inherits it. */
static bool
scope_banner_ok(const tl_banner *b)
{
	return !b->damaged && !b->marking.malformed &&
	    b->marking.level != TL_LEVEL_UNKNOWN;
}

static void
scope_banner(tl_parser *p, const tl_banner *b)
{
	const tl_marking *m = &b->marking;

	if (!scope_banner_ok(b))
		p->scopes_off = true;
	if (p->scopes_off)
		return;
	if (p->scope_line == 0) {
		/* Text before the first banner takes it. */
		p->scope_run = *m;
		p->scope_run_line = 1;
		roll(&p->scope_run, &p->scope_ev);
	} else if (same_banner(m, &p->scope_banner)) {
		roll(&p->scope_run, &p->scope_ev);
	} else {
		tl_marking between = p->scope_banner;

		scope_push(p, p->scope_run_line, &p->scope_run);
		roll(&between, m);
		roll_unknown(&between, m);
		roll(&between, &p->scope_ev);
		if (!same_rel(m, &p->scope_banner)) {
			/* Two lists, or one: only a list both give holds. */
			between.rel_to = false;
			between.nrel = 0;
		}
		scope_push(p, p->scope_line + 1, &between);
		p->scope_run = *m;
		p->scope_run_line = b->line;
	}
	p->scope_banner = *m;
	p->scope_line = b->line;
	memset(&p->scope_ev, 0, sizeof p->scope_ev);
}

void
tlp_banner_read(tl_parser *p, const tl_banner *b)
{
	scope_banner(p, b);
	tlp_evidence_add(p, &b->marking, b->line);
}

void
tlp_exhibit_banner(tl_parser *p, const tl_banner *b)
{
	tlp_scope_exhibit_end(p, b->line);
	p->doc.closing = *b;
	if (p->doc.banner.line == 0)
		p->doc.banner = *b;
	if (!p->scopes_off && scope_banner_ok(b)) {
		scope_push(p, b->line, &b->marking);
		if (!p->scopes_off) {
			p->in_exhibit = true;
			p->exhibit = p->doc.nscopes - 1;
			p->doc.scopes[p->exhibit].table = true;
		}
	}
	tlp_evidence_add(p, &b->marking, b->line);
}

void
tlp_scope_exhibit_end(tl_parser *p, unsigned long line)
{
	tl_marking none;

	if (!p->in_exhibit)
		return;
	p->in_exhibit = false;
	memset(&none, 0, sizeof none);
	scope_push(p, line, &none);
	if (!p->scopes_off)
		p->doc.scopes[p->doc.nscopes - 1].document = true;
}

void
tlp_scope_end(tl_parser *p)
{
	tl_docinfo *d = &p->doc;
	unsigned i, j;

	tlp_scope_exhibit_end(p, d->lines + 1);
	if (p->scope_line != 0 && !p->scopes_off) {
		roll(&p->scope_run, &p->scope_ev);
		scope_push(p, p->scope_run_line, &p->scope_run);
	}
	/* Runs are kept when they close, tables when they open: in line
	 * order, a later scope wins where they overlap. */
	for (i = 1; i < d->nscopes; i++) {
		tl_scope t = d->scopes[i];
		for (j = i; j > 0 && d->scopes[j - 1].line > t.line; j--)
			d->scopes[j] = d->scopes[j - 1];
		d->scopes[j] = t;
	}
	/* One scope is the document's marking; none is safer than some. */
	if (p->scopes_off || p->doc.nscopes < 2)
		p->doc.nscopes = 0;
}

void
tlp_body_banner(tl_parser *p, const tl_banner *b)
{
	p->doc.closing = *b;
	/* Page banners of a converted document, a banner after a cover
	 * page: the first one read is the document's, when the header gave
	 * none (raised by the others through the evidence). */
	if (p->doc.banner.line == 0)
		p->doc.banner = *b;
	tlp_banner_read(p, b);
}

/* Begins the portion `tmpl` (built in next_slot, or copied there). */
tl_status
tlp_begin_portion(tl_parser *p, const tl_portion *tmpl)
{
	tl_event ev = { .kind = TL_EV_PORTION_BEGIN };
	tl_portion *next = next_slot(p);

	if (tmpl != next)
		*next = *tmpl;
	p->cur = next;
	p->cur->index = ++p->doc.portions;
	p->cur->end_line = 0;
	if (p->cur->marked) {
		p->doc.marked++;
		tlp_evidence_add(p, &p->cur->marking, p->cur->line);
	}
	p->in_portion = true;
	p->last_content = p->cur->line;
	p->open_sentence = false;
	ev.portion = p->cur;
	return emit(p, &ev);
}

tl_status
tlp_end_portion(tl_parser *p)
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
 * Line handling
 * ------------------------------------------------------------------- */

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

/* ---------------------------------------------------------------------
 * The header look-ahead
 *
 * The header zone does not end at the first line it cannot read: a
 * publisher's preamble, a title or an unknown header line may come before
 * the banner or between header lines.  Such lines are held (a bounded
 * number of short lines) until the next line tells: a header line
 * (tlp_header_anchor) makes them text before it, and the header zone goes
 * on; a paragraph, a long line, a full hold or the end of the input
 * starts the body with them, exactly as if they had never been held.
 * ------------------------------------------------------------------- */

/* Whether line L may be held: short, whole, no paragraph start. */
static bool
top_holds(tl_parser *p, const linebuf *L)
{
	if (!L->complete || L->nul || L->n > HOLD_LINE_MAX ||
	    p->ntop >= TOP_HOLD_MAX)
		return false;
	return is_blank(L->s, L->n) || !tlp_starts_paragraph(p, L->s, L->n);
}

static tl_status
top_hold(tl_parser *p, const linebuf *L)
{
	held *h = &p->toph[p->ntop];
	tl_status st;

	h->role = TL_LINE_BODY;
	h->number = L->number;
	h->off = p->top.len;
	h->len = L->n;
	h->eol_len = L->eol_len;
	if ((st = tl_buf_append(&p->top, L->s, L->n)) != TL_OK)
		return st;
	p->ntop++;
	return TL_OK;
}

/* Hands the held lines to the body in order.  With `to_body` the body
 * goes on from there; otherwise their portions end and the header zone
 * takes the next line. */
static tl_status
top_release(tl_parser *p, bool to_body)
{
	zone z = p->zone;
	tl_status st = TL_OK;
	unsigned i;

	p->zone = ZONE_BODY;
	p->hctx = HCTX_NONE;
	for (i = 0; i < p->ntop && st == TL_OK; i++) {
		const held *h = &p->toph[i];
		linebuf H;

		memset(&H, 0, sizeof H);
		H.s = p->top.data + h->off;
		H.n = h->len;
		H.eol = h->eol_len == 2 ? "\r\n" : h->eol_len ? "\n" : "";
		H.eol_len = h->eol_len;
		H.number = h->number;
		H.complete = true;
		H.plain = -1;
		st = tlp_body_line(p, &H);
	}
	p->ntop = 0;
	tl_buf_reset(&p->top);
	if (to_body || st != TL_OK)
		return st;
	if (p->heading_pending)
		st = tlp_flush_heading(p, true);
	if (st == TL_OK)
		st = tlp_flush_gap(p, false);
	p->zone = z;
	return st;
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
		if ((st = tlp_diag(p, TL_SEV_WARNING, L->number, col_at(L->s, bad),
		    "input-utf8", "invalid UTF-8 (first of possibly more); bytes are kept as they are")) != TL_OK)
			return st;
	}
	if (L->eol_len == 2 && !p->crlf_reported) {
		p->crlf_reported = true;
		p->doc.crlf = true;
		if ((st = tlp_diag(p, TL_SEV_NOTE, L->number, 0, "input-crlf",
		    "CRLF line endings; copies keep them")) != TL_OK)
			return st;
	}
	if (L->nul && (st = tlp_diag(p, TL_SEV_ERROR, L->number, L->nul_col, "input-nul",
	    "NUL byte in text; the portion holding it is withheld")) != TL_OK)
		return st;

	if (p->zone != ZONE_BODY) {
		if (p->ntop > 0 && !tlp_header_anchor(p, L)) {
			if (top_holds(p, L))
				return top_hold(p, L);
			/* The body has started: what was held is its start. */
			if ((st = top_release(p, true)) != TL_OK)
				return st;
			return tlp_body_line(p, L);
		}
		/* A header line after held lines: they were text before
		 * it (a preamble, a title). */
		if (p->ntop > 0 && (st = top_release(p, false)) != TL_OK)
			return st;
		if ((st = tlp_header_line(p, L, &done)) != TL_OK || done)
			return st;
		if (top_holds(p, L)) {
			if (p->in_portion && (st = tlp_end_portion(p)) != TL_OK)
				return st;
			return top_hold(p, L);
		}
		/* A paragraph starts the body. */
		p->zone = ZONE_BODY;
		p->hctx = HCTX_NONE;
		if (p->in_portion && (st = tlp_end_portion(p)) != TL_OK)
			return st;
	}
	/* The authority block at the end of a memo: fields, not text. */
	if (tlp_authority_line_ahead(p, L)) {
		if (p->heading_pending && (st = tlp_flush_heading(p, true)) != TL_OK)
			return st;
		if ((st = tlp_flush_gap(p, false)) != TL_OK)
			return st;
		return tlp_authority_line(p, L);
	}
	if (p->hctx == HCTX_AUTHORITY)
		p->hctx = HCTX_NONE;
	return tlp_body_line(p, L);
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
	p->top.limit = (size_t)TOP_HOLD_MAX * HOLD_LINE_MAX;
	return p;
}

void
tl_parser_free(tl_parser *p)
{
	if (p == NULL)
		return;
	tl_buf_free(&p->line);
	tl_buf_free(&p->hold);
	tl_buf_free(&p->top);
	tl_buf_free(&p->html_out);
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
		return tlp_emit_line(p, p->long_role, p->long_number, p->long_portion,
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
	return tlp_emit_line(p, p->long_role, p->long_number, p->long_portion, s, n,
	    "", 0, false, false);
}

/* The input's text, as it is or as the HTML reader made it. */
static tl_status
feed_text(tl_parser *p, const char *bytes, size_t len)
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

/* Is s[0..n) the start of an HTML document: "<!DOCTYPE html" or
 * "<html" after white space or a byte-order mark, in any case?  1 yes, 0
 * no, -1 when the bytes so far do not tell. */
static int
html_start(const char *s, size_t n)
{
	static const char *const forms[] = { "<!doctype html", "<html" };
	size_t i = 0, k, j;
	int need_more = 0;

	if (n < 3 && memcmp(s, "\xEF\xBB\xBF", n) == 0)
		return -1; /* a byte-order mark, cut short */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (tl_isspace((unsigned char)s[i]) || s[i] == '\n'))
		i++;
	if (i == n)
		return -1;
	for (k = 0; k < 2; k++) {
		const char *f = forms[k];
		for (j = 0; f[j] && i + j < n &&
		    tl_tolower((unsigned char)s[i + j]) == f[j]; j++)
			;
		if (f[j] == '\0') {
			/* "<html" must end its word: "<htmlx" is no tag. */
			if (i + j == n)
				need_more = 1;
			else if (!tl_isalpha((unsigned char)s[i + j]))
				return 1;
		} else if (i + j == n) {
			need_more = 1;
		}
	}
	return need_more ? -1 : 0;
}

/* Converts s[0..n) of an HTML document and feeds its text. */
static tl_status
feed_html(tl_parser *p, const char *s, size_t n)
{
	tl_status st;
	size_t i, step;

	/* In blocks, so the text held at once stays small. */
	for (i = 0; i < n; i += step) {
		step = n - i < 16384 ? n - i : 16384;
		tl_buf_reset(&p->html_out);
		if ((st = tlp_html_feed(&p->html, s + i, step, &p->html_out)) !=
		    TL_OK ||
		    (st = feed_text(p, p->html_out.data ? p->html_out.data : "",
		    p->html_out.len)) != TL_OK)
			return st;
	}
	return TL_OK;
}

/* Decides how the input is read from the held first bytes (final: true
 * at the end of the input) and feeds them. */
static tl_status
decide_form(tl_parser *p, bool final)
{
	int h = html_start(p->sniff, p->nsniff);
	tl_status st;

	if (h < 0 && !final && p->nsniff < SNIFF_MAX)
		return TL_OK;
	if (h > 0) {
		p->form = FORM_HTML;
		p->doc.html = true;
		p->html.col0 = true;
		if ((st = tlp_diag(p, TL_SEV_NOTE, 0, 0, "input-html", "read "
		    "as HTML: tags removed, block elements and <br> end lines, "
		    "table rows read as \"| cell | cell |\", entities decoded; "
		    "line numbers are those of that text")) != TL_OK)
			return st;
		return feed_html(p, p->sniff, p->nsniff);
	}
	p->form = FORM_TEXT;
	return feed_text(p, p->sniff, p->nsniff);
}

tl_status
tl_parser_feed(tl_parser *p, const char *bytes, size_t len)
{
	tl_status st;
	size_t take;

	if (p->failed)
		return p->failed;
	if (p->form == FORM_SNIFF) {
		take = SNIFF_MAX - p->nsniff < len ? SNIFF_MAX - p->nsniff : len;
		memcpy(p->sniff + p->nsniff, bytes, take);
		p->nsniff += take;
		bytes += take;
		len -= take;
		if (take > 0)
			p->any_bytes = true;
		if ((st = decide_form(p, false)) != TL_OK)
			return p->failed = st;
		if (p->form == FORM_SNIFF)
			return TL_OK;
	}
	st = p->form == FORM_HTML ? feed_html(p, bytes, len) :
	    feed_text(p, bytes, len);
	if (st != TL_OK)
		p->failed = st;
	return st;
}

tl_status
tl_parser_finish(tl_parser *p)
{
	tl_event ev = { .kind = TL_EV_END };
	tl_status st = TL_OK;

	if (p->failed)
		return p->failed;
	if (p->form == FORM_SNIFF && (st = decide_form(p, true)) != TL_OK)
		return p->failed = st;
	if (p->form == FORM_HTML) {
		tl_buf_reset(&p->html_out);
		if ((st = tlp_html_finish(&p->html, &p->html_out)) != TL_OK ||
		    (st = feed_text(p, p->html_out.data ? p->html_out.data : "",
		    p->html_out.len)) != TL_OK)
			return p->failed = st;
	}
	if (p->line.len > 0 || p->in_long) {
		st = finish_line(p, p->line.data ? p->line.data : "", p->line.len,
		    false, -1);
		tl_buf_reset(&p->line);
	}
	if (st == TL_OK && p->ntop > 0)
		st = top_release(p, true);
	if (st == TL_OK && p->heading_pending)
		st = tlp_flush_heading(p, true);
	if (st == TL_OK)
		st = tlp_flush_gap(p, false);
	if (st == TL_OK)
		st = tlp_end_portion(p);
	if (st == TL_OK && !p->any_bytes)
		st = tlp_diag(p, TL_SEV_WARNING, 0, 0, "input-empty", "empty document");
	if (st == TL_OK) {
		tlp_scope_end(p);
		st = emit(p, &ev);
	}
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
	tl_status st;
	int fd;

	if (d)
		memset(d, 0, sizeof *d);
	if (strcmp(path, "-") == 0)
		return tl_parse_fd_hooked(STDIN_FILENO, "<stdin>", path, fn, ctx,
		    bytes_fn, bytes_ctx, d);
	if ((fd = open(path, O_RDONLY)) < 0)
		return tl_diag_set(d, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "%s", strerror(errno));
	st = tl_parse_fd_hooked(fd, path, path, fn, ctx, bytes_fn, bytes_ctx, d);
	close(fd);
	return st;
}

tl_status
tl_parse_fd_hooked(int fd, const char *name, const char *path,
    tl_event_fn fn, void *ctx,
    tl_status (*bytes_fn)(void *, const char *, size_t), void *bytes_ctx,
    tl_diag *d)
{
	char buf[64 * 1024];
	tl_parser *p;
	tl_status st = TL_OK, hs;
	ssize_t r;
	const tl_marking *label;

	if (d)
		memset(d, 0, sizeof *d);
	if ((st = tl_label_for(name, &label, d)) != TL_OK)
		return st;
	if ((p = tl_parser_new(name, fn, ctx)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
	if (label != NULL) {
		p->doc.labelled = true;
		p->doc.label = *label;
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
