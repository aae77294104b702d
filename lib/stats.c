/*
 * stats.c: the counts of a run of redactions, per reader: what was
 * released and withheld, by decision rule, by parser diagnostic and by
 * reason, and the documents withheld whole; written as text or JSON.
 * Counts only, in tables of fixed size: never a document's text.
 */
#include "stats.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stats_whole {
	char file[STATS_FILE_MAX];
	char rule[STATS_RULE_MAX];
	char reason[STATS_REASON_MAX];
} stats_whole;

typedef struct stats_reader {
	char name[200];
	tl_redact_totals tot;
	unsigned nrules, ndiags, nreasons, nwhole;
	stats_count rules[STATS_RULES_MAX];
	stats_count diags[STATS_RULES_MAX];
	stats_reason reasons[TL_STATS_REASONS_MAX];
	unsigned long other_portions, other_lines;
	stats_whole whole[TL_STATS_WHOLE_MAX]; /* the first names, sorted */
} stats_reader;

struct tl_redact_stats {
	pthread_mutex_t mu;
	char policy[128];
	size_t nreaders;
	stats_reader *r;
	unsigned long failed;
};

/* ---------------------------------------------------------------------
 * Masking of reasons
 * ------------------------------------------------------------------- */

/* ---------------------------------------------------------------------
 * A document's tally
 * ------------------------------------------------------------------- */

void
tl_stats_tally_init(stats_tally *t)
{
	memset(&t->tot, 0, sizeof t->tot);
	t->nrules = t->ndiags = t->nreasons = 0;
	t->other_portions = t->other_lines = 0;
	t->last = STATS_DOC_REASONS;
}

/* Adds to the entry of `rule` in table `v` of *n entries; the last entry
 * of a full table takes the rest, as "other". */
static void
count_add(stats_count *v, unsigned *n, const char *rule,
    unsigned long portions, unsigned long lines)
{
	unsigned i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i].rule, rule) == 0)
			break;
	if (i == *n) {
		if (*n == STATS_RULES_MAX) {
			i = STATS_RULES_MAX - 1;
			memcpy(v[i].rule, "other", sizeof "other");
		} else {
			tl_strlcpy(v[i].rule, rule, strnlen(rule,
			    STATS_RULE_MAX), sizeof v[i].rule);
			v[i].portions = v[i].lines = 0;
			(*n)++;
		}
	}
	v[i].portions += portions;
	v[i].lines += lines;
}

void
tl_stats_tally_portion(stats_tally *t, const tl_portion *po,
    const tl_decision *d, unsigned long lines,
    const char (*diags)[STATS_RULE_MAX], unsigned ndiags)
{
	stats_reason *e;
	unsigned i;

	t->tot.portions++;
	t->tot.lines += lines;
	if (d->verdict == TL_RELEASE) {
		t->tot.released++;
		t->tot.lines_released += lines;
		return;
	}
	t->tot.withheld++;
	t->tot.lines_withheld += lines;
	count_add(t->rules, &t->nrules, d->rule, 1, lines);
	for (i = 0; i < ndiags; i++)
		count_add(t->diags, &t->ndiags, diags[i], 1, lines);
	/* A document repeats a few reasons, often one after another. */
	if (t->last >= t->nreasons ||
	    strncmp(t->reasons[t->last].rule, d->rule, STATS_RULE_MAX) != 0 ||
	    strncmp(t->reasons[t->last].raw, d->reason, STATS_REASON_MAX) != 0) {
		for (i = 0; i < t->nreasons; i++)
			if (strncmp(t->reasons[i].rule, d->rule,
			    STATS_RULE_MAX) == 0 && strncmp(t->reasons[i].raw,
			    d->reason, STATS_REASON_MAX) == 0)
				break;
		if (i == t->nreasons && i < STATS_DOC_REASONS) {
			e = &t->reasons[t->nreasons++];
			tl_strlcpy(e->rule, d->rule, strnlen(d->rule,
			    sizeof d->rule), sizeof e->rule);
			tl_strlcpy(e->raw, d->reason, strnlen(d->reason,
			    sizeof d->reason), sizeof e->raw);
			e->reason[0] = '\0';
			e->portions = e->lines = 0;
			e->file[0] = '\0';
			e->line = po->line;
		}
		t->last = i;
	}
	if (t->last < t->nreasons) {
		t->reasons[t->last].portions++;
		t->reasons[t->last].lines += lines;
	} else {
		t->other_portions++;
		t->other_lines += lines;
	}
}

/* ---------------------------------------------------------------------
 * The run's counts
 * ------------------------------------------------------------------- */

tl_redact_stats *
tl_redact_stats_new(const tl_policy *policy, const tl_reader *readers,
    size_t nreaders)
{
	tl_redact_stats *s;
	const char *pn;
	size_t i;

	if (readers == NULL || nreaders == 0)
		return NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	if ((s->r = calloc(nreaders, sizeof *s->r)) == NULL ||
	    pthread_mutex_init(&s->mu, NULL) != 0) {
		free(s->r);
		free(s);
		return NULL;
	}
	s->nreaders = nreaders;
	pn = policy ? tl_policy_name(policy) : NULL;
	if (pn)
		tl_strlcpy(s->policy, pn, strlen(pn), sizeof s->policy);
	for (i = 0; i < nreaders; i++) {
		if (readers[i].name[0])
			tl_strlcpy(s->r[i].name, readers[i].name,
			    strnlen(readers[i].name, sizeof readers[i].name),
			    sizeof s->r[i].name);
		else
			tl_reader_format(&readers[i], s->r[i].name,
			    sizeof s->r[i].name);
	}
	return s;
}

void
tl_redact_stats_free(tl_redact_stats *s)
{
	if (s == NULL)
		return;
	pthread_mutex_destroy(&s->mu);
	free(s->r);
	free(s);
}

tl_status
tl_redact_stats_totals(const tl_redact_stats *s, size_t reader,
    tl_redact_totals *out)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (s == NULL || out == NULL || reader >= s->nreaders)
		return TL_EUSAGE;
	*out = s->r[reader].tot;
	return TL_OK;
}

unsigned long
tl_redact_stats_failed(const tl_redact_stats *s)
{
	return s ? s->failed : 0;
}

void
tl_stats_add_failed(tl_redact_stats *s)
{
	pthread_mutex_lock(&s->mu);
	s->failed++;
	pthread_mutex_unlock(&s->mu);
}

/* The example of a reason: the first location in name order, whatever
 * order the documents came in. */
static bool
earlier(const char *file, unsigned long line, const stats_reason *e)
{
	int c = strcmp(file, e->file);

	return c < 0 || (c == 0 && line < e->line);
}

static void
reason_add(stats_reader *r, const char *policy, const char *rule,
    const char *raw, unsigned long portions, unsigned long lines,
    const char *file, unsigned long line)
{
	stats_reason *e;
	unsigned i;

	for (i = 0; i < r->nreasons; i++)
		if (strncmp(r->reasons[i].rule, rule, STATS_RULE_MAX) == 0 &&
		    strncmp(r->reasons[i].raw, raw, STATS_REASON_MAX) == 0)
			break;
	if (i == r->nreasons) {
		if (i == TL_STATS_REASONS_MAX) {
			r->other_portions += portions;
			r->other_lines += lines;
			return;
		}
		e = &r->reasons[r->nreasons++];
		tl_strlcpy(e->rule, rule, strnlen(rule, STATS_RULE_MAX),
		    sizeof e->rule);
		tl_strlcpy(e->raw, raw, strnlen(raw, STATS_REASON_MAX),
		    sizeof e->raw);
		tl_reason_mask(e->raw, policy, e->reason, sizeof e->reason);
		e->portions = e->lines = 0;
		tl_strlcpy(e->file, file, strlen(file), sizeof e->file);
		e->line = line;
	}
	e = &r->reasons[i];
	e->portions += portions;
	e->lines += lines;
	if (earlier(file, line, e)) {
		tl_strlcpy(e->file, file, strlen(file), sizeof e->file);
		e->line = line;
	}
}

/* Keeps the first TL_STATS_WHOLE_MAX names in name order. */
static void
whole_add(stats_reader *r, const char *file, const char *rule,
    const char *reason)
{
	unsigned i = r->nwhole, k;

	while (i > 0 && strcmp(file, r->whole[i - 1].file) < 0)
		i--;
	if (i == TL_STATS_WHOLE_MAX)
		return;
	k = r->nwhole < TL_STATS_WHOLE_MAX ? r->nwhole : TL_STATS_WHOLE_MAX - 1;
	memmove(&r->whole[i + 1], &r->whole[i], (k - i) * sizeof r->whole[0]);
	if (r->nwhole < TL_STATS_WHOLE_MAX)
		r->nwhole++;
	tl_strlcpy(r->whole[i].file, file, strlen(file), sizeof r->whole[i].file);
	tl_strlcpy(r->whole[i].rule, rule, strnlen(rule, STATS_RULE_MAX),
	    sizeof r->whole[i].rule);
	tl_strlcpy(r->whole[i].reason, reason, strnlen(reason,
	    STATS_REASON_MAX), sizeof r->whole[i].reason);
}

void
tl_stats_add(tl_redact_stats *s, size_t reader, const char *file,
    const stats_tally *t, const char *whole_rule, const char *whole_reason)
{
	stats_reader *r;
	char masked[STATS_REASON_MAX];
	unsigned i;

	if (reader >= s->nreaders)
		return;
	if (whole_rule)
		tl_reason_mask(whole_reason, s->policy, masked, sizeof masked);
	pthread_mutex_lock(&s->mu);
	r = &s->r[reader];
	r->tot.documents++;
	r->tot.portions += t->tot.portions;
	r->tot.lines += t->tot.lines;
	if (whole_rule) {
		r->tot.whole++;
		r->tot.withheld += t->tot.portions;
		r->tot.lines_withheld += t->tot.lines;
		if (t->tot.portions) {
			count_add(r->rules, &r->nrules, whole_rule,
			    t->tot.portions, t->tot.lines);
			reason_add(r, s->policy, whole_rule, whole_reason,
			    t->tot.portions, t->tot.lines, file, 0);
		}
		whole_add(r, file, whole_rule, masked);
		pthread_mutex_unlock(&s->mu);
		return;
	}
	r->tot.released += t->tot.released;
	r->tot.withheld += t->tot.withheld;
	r->tot.lines_released += t->tot.lines_released;
	r->tot.lines_withheld += t->tot.lines_withheld;
	for (i = 0; i < t->nrules; i++)
		count_add(r->rules, &r->nrules, t->rules[i].rule,
		    t->rules[i].portions, t->rules[i].lines);
	for (i = 0; i < t->ndiags; i++)
		count_add(r->diags, &r->ndiags, t->diags[i].rule,
		    t->diags[i].portions, t->diags[i].lines);
	for (i = 0; i < t->nreasons; i++)
		reason_add(r, s->policy, t->reasons[i].rule, t->reasons[i].raw,
		    t->reasons[i].portions, t->reasons[i].lines, file,
		    t->reasons[i].line);
	r->other_portions += t->other_portions;
	r->other_lines += t->other_lines;
	pthread_mutex_unlock(&s->mu);
}

/* ---------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------- */

/* Most portions first, then by rule id and reason: the same order
 * whatever order the documents were counted in. */
static int
count_cmp(const void *a, const void *b)
{
	const stats_count *x = a, *y = b;

	if (x->portions != y->portions)
		return x->portions > y->portions ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/* By rule and shown reason: equal ones side by side. */
static int
reason_key_cmp(const void *a, const void *b)
{
	const stats_reason *x = a, *y = b;
	int c;

	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	return strcmp(x->reason, y->reason);
}

static int
reason_cmp(const void *a, const void *b)
{
	const stats_reason *x = a, *y = b;

	if (x->portions != y->portions)
		return x->portions > y->portions ? -1 : 1;
	return reason_key_cmp(a, b);
}

/* A reader's tables in output order, as sorted copies; reasons that
 * masking made equal are one. */
typedef struct sorted {
	stats_count rules[STATS_RULES_MAX], diags[STATS_RULES_MAX];
	stats_reason reasons[TL_STATS_REASONS_MAX];
	unsigned nreasons;
} sorted;

static void
sort_reader(const stats_reader *r, sorted *o)
{
	unsigned i, n = 0;

	memcpy(o->rules, r->rules, r->nrules * sizeof r->rules[0]);
	memcpy(o->diags, r->diags, r->ndiags * sizeof r->diags[0]);
	qsort(o->rules, r->nrules, sizeof o->rules[0], count_cmp);
	qsort(o->diags, r->ndiags, sizeof o->diags[0], count_cmp);
	memcpy(o->reasons, r->reasons, r->nreasons * sizeof r->reasons[0]);
	qsort(o->reasons, r->nreasons, sizeof o->reasons[0], reason_key_cmp);
	for (i = 0; i < r->nreasons; i++) {
		stats_reason *e = &o->reasons[i], *m;
		if (n > 0 && reason_key_cmp(&o->reasons[n - 1], e) == 0) {
			m = &o->reasons[n - 1];
			m->portions += e->portions;
			m->lines += e->lines;
			if (earlier(e->file, e->line, m)) {
				memcpy(m->file, e->file, sizeof m->file);
				m->line = e->line;
			}
			continue;
		}
		if (n != i)
			o->reasons[n] = *e;
		n++;
	}
	o->nreasons = n;
	qsort(o->reasons, n, sizeof o->reasons[0], reason_cmp);
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static tl_status
text_counts(tl_buf *b, const char *what, const stats_count *v, unsigned n)
{
	unsigned i;
	tl_status st = TL_OK;

	if (n == 0)
		return TL_OK;
	st = tl_buf_printf(b, "  withheld by %s:", what);
	for (i = 0; i < n && st == TL_OK; i++)
		st = tl_buf_printf(b, "%s %s %lu", i ? "," : "", v[i].rule,
		    v[i].portions);
	return st == TL_OK ? tl_buf_putc(b, '\n') : st;
}

/* "file:line", or "file" for a document withheld whole. */
static tl_status
text_where(tl_buf *b, const char *file, unsigned long line)
{
	return line ? tl_buf_printf(b, "%.255s:%lu", file, line) :
	    tl_buf_printf(b, "%.255s", file);
}

#define TEXT_WHOLE_MAX 5 /* names of documents withheld whole in the text */

tl_status
tl_redact_stats_write_text(const tl_redact_stats *s, unsigned top,
    tl_write_fn out, void *ctx)
{
	tl_buf b = { 0 };
	sorted *o;
	size_t k;
	unsigned i;
	tl_status st = TL_OK;

	if (s == NULL || out == NULL)
		return TL_EUSAGE;
	if ((o = malloc(sizeof *o)) == NULL)
		return TL_ENOMEM;
	for (k = 0; k < s->nreaders && st == TL_OK; k++) {
		const stats_reader *r = &s->r[k];
		const tl_redact_totals *t = &r->tot;
		unsigned long more_p = r->other_portions;

		tl_buf_reset(&b);
		sort_reader(r, o);
		st = tl_buf_printf(&b, "redact: reader %s: %lu document%s",
		    r->name, t->documents, plural(t->documents, "", "s"));
		if (st == TL_OK && t->whole)
			st = tl_buf_printf(&b, ", %lu withheld whole", t->whole);
		if (st == TL_OK)
			st = tl_buf_printf(&b, "\n  portions: %lu released, %lu "
			    "withheld of %lu; lines: %lu released, %lu withheld "
			    "of %lu\n", t->released, t->withheld, t->portions,
			    t->lines_released, t->lines_withheld, t->lines);
		if (st == TL_OK)
			st = text_counts(&b, "rule", o->rules, r->nrules);
		if (st == TL_OK)
			st = text_counts(&b, "diagnostic", o->diags, r->ndiags);
		for (i = 0; i < o->nreasons && st == TL_OK; i++) {
			const stats_reason *e = &o->reasons[i];
			if (i >= top) {
				more_p += e->portions;
				continue;
			}
			st = tl_buf_printf(&b, "  %lu portion%s: %s (e.g. ",
			    e->portions, plural(e->portions, "", "s"), e->reason);
			if (st == TL_OK)
				st = text_where(&b, e->file, e->line);
			if (st == TL_OK)
				st = tl_buf_puts(&b, ")\n");
		}
		if (st == TL_OK && more_p)
			st = tl_buf_printf(&b, "  %lu portion%s for other reasons\n",
			    more_p, plural(more_p, "", "s"));
		if (st == TL_OK && t->whole) {
			st = tl_buf_puts(&b, "  withheld whole:");
			for (i = 0; i < r->nwhole && i < TEXT_WHOLE_MAX &&
			    st == TL_OK; i++)
				st = tl_buf_printf(&b, "%s %.255s (%s)", i ? "," : "",
				    r->whole[i].file, r->whole[i].rule);
			if (st == TL_OK && t->whole > i)
				st = tl_buf_printf(&b, " and %lu more", t->whole - i);
			if (st == TL_OK)
				st = tl_buf_putc(&b, '\n');
		}
		if (st == TL_OK)
			st = out(ctx, b.data, b.len);
	}
	if (st == TL_OK && s->failed) {
		tl_buf_reset(&b);
		st = tl_buf_printf(&b, "redact: %lu document%s failed and %s "
		    "not counted\n", s->failed, plural(s->failed, "", "s"),
		    plural(s->failed, "is", "are"));
		if (st == TL_OK)
			st = out(ctx, b.data, b.len);
	}
	tl_buf_free(&b);
	free(o);
	return st;
}

static tl_status
json_key(tl_buf *b, const char *key)
{
	tl_status st = tl_buf_putc(b, '"');

	if (st == TL_OK)
		st = tl_buf_puts(b, key);
	return st == TL_OK ? tl_buf_puts(b, "\":") : st;
}

static tl_status
json_str(tl_buf *b, const char *key, const char *v, size_t max)
{
	tl_status st = json_key(b, key);

	return st == TL_OK ? tl_buf_json_str(b, v, strnlen(v, max)) : st;
}

static tl_status
json_counts(tl_buf *b, const char *key, const stats_count *v, unsigned n)
{
	unsigned i;
	tl_status st = json_key(b, key);

	if (st == TL_OK)
		st = tl_buf_putc(b, '[');
	for (i = 0; i < n && st == TL_OK; i++) {
		if (i)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = tl_buf_putc(b, '{');
		if (st == TL_OK)
			st = json_str(b, "rule", v[i].rule, sizeof v[i].rule);
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"portions\":%lu,\"lines\":%lu}",
			    v[i].portions, v[i].lines);
	}
	return st == TL_OK ? tl_buf_putc(b, ']') : st;
}

static tl_status
json_reader(tl_buf *b, const stats_reader *r, sorted *o)
{
	const tl_redact_totals *t = &r->tot;
	unsigned i;
	tl_status st;

	sort_reader(r, o);
	st = tl_buf_putc(b, '{');
	if (st == TL_OK)
		st = json_str(b, "reader", r->name, sizeof r->name);
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"documents\":%lu,\"portions\":{\"total\":"
		    "%lu,\"released\":%lu,\"withheld\":%lu},\"lines\":{\"total\":"
		    "%lu,\"released\":%lu,\"withheld\":%lu},", t->documents,
		    t->portions, t->released, t->withheld, t->lines,
		    t->lines_released, t->lines_withheld);
	if (st == TL_OK)
		st = json_counts(b, "by_rule", o->rules, r->nrules);
	if (st == TL_OK)
		st = tl_buf_putc(b, ',');
	if (st == TL_OK)
		st = json_counts(b, "by_diagnostic", o->diags, r->ndiags);
	if (st == TL_OK)
		st = tl_buf_puts(b, ",\"reasons\":[");
	for (i = 0; i < o->nreasons && st == TL_OK; i++) {
		const stats_reason *e = &o->reasons[i];
		st = tl_buf_puts(b, i ? ",{" : "{");
		if (st == TL_OK)
			st = json_str(b, "rule", e->rule, sizeof e->rule);
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = json_str(b, "reason", e->reason, sizeof e->reason);
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"portions\":%lu,\"lines\":%lu,"
			    "\"example\":{", e->portions, e->lines);
		if (st == TL_OK)
			st = json_str(b, "file", e->file, sizeof e->file);
		if (st == TL_OK)
			st = tl_buf_printf(b, ",\"line\":%lu}}", e->line);
	}
	if (st == TL_OK)
		st = tl_buf_printf(b, "],\"reasons_other\":{\"portions\":%lu,"
		    "\"lines\":%lu},\"whole\":{\"count\":%lu,\"documents\":[",
		    r->other_portions, r->other_lines, t->whole);
	for (i = 0; i < r->nwhole && st == TL_OK; i++) {
		st = tl_buf_puts(b, i ? ",{" : "{");
		if (st == TL_OK)
			st = json_str(b, "file", r->whole[i].file,
			    sizeof r->whole[i].file);
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = json_str(b, "rule", r->whole[i].rule,
			    sizeof r->whole[i].rule);
		if (st == TL_OK)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = json_str(b, "reason", r->whole[i].reason,
			    sizeof r->whole[i].reason);
		if (st == TL_OK)
			st = tl_buf_putc(b, '}');
	}
	return st == TL_OK ? tl_buf_puts(b, "]}}") : st;
}

/* The JSON form into `b`. */
static tl_status
json_build(const tl_redact_stats *s, tl_buf *b)
{
	sorted *o;
	size_t k;
	tl_status st;

	if ((o = malloc(sizeof *o)) == NULL)
		return TL_ENOMEM;
	st = tl_buf_printf(b, "{\"tearline_stats\":1,\"tearline\":\"%s\",",
	    TEARLINE_VERSION);
	if (st == TL_OK)
		st = json_str(b, "policy", s->policy, sizeof s->policy);
	if (st == TL_OK)
		st = tl_buf_printf(b, ",\"failed\":%lu,\"readers\":[", s->failed);
	for (k = 0; k < s->nreaders && st == TL_OK; k++) {
		if (k)
			st = tl_buf_putc(b, ',');
		if (st == TL_OK)
			st = json_reader(b, &s->r[k], o);
	}
	if (st == TL_OK)
		st = tl_buf_puts(b, "]}\n");
	free(o);
	return st;
}

tl_status
tl_redact_stats_write_json(const tl_redact_stats *s, tl_write_fn out,
    void *ctx)
{
	tl_buf b = { 0 };
	tl_status st;

	if (s == NULL || out == NULL)
		return TL_EUSAGE;
	if ((st = json_build(s, &b)) == TL_OK)
		st = out(ctx, b.data, b.len);
	tl_buf_free(&b);
	return st;
}

tl_status
tl_redact_stats_save(const tl_redact_stats *s, const char *path, bool force,
    tl_diag *diag)
{
	tl_outfile o = { .fd = -1 };
	tl_buf b = { 0 };
	tl_status st;

	if (s == NULL || path == NULL)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0, NULL,
		    "no statistics or no file");
	if ((st = json_build(s, &b)) != TL_OK)
		tl_diag_set(diag, st, TL_SEV_ERROR, path, 0, 0, NULL, "%s",
		    tl_strerror(st));
	if (st == TL_OK)
		st = tl_outfile_open(&o, path, force ? TL_OUT_FORCE : 0, diag);
	if (st == TL_OK)
		st = tl_outfile_write(&o, b.data, b.len, diag);
	if (st == TL_OK)
		st = tl_outfile_commit(&o, diag);
	tl_outfile_abort(&o);
	tl_buf_free(&b);
	return st;
}
