/*
 * stats.h: the counts of a run of redactions (stats.c), kept by the
 * redactor (redact.c).  Not installed.
 *
 * The redactor counts each document into one stats_tally per target, and
 * adds the tally to the run's counts once the document's copies are
 * written: a document that fails adds nothing but to the failures.
 */
#ifndef TL_STATS_H
#define TL_STATS_H

#include "internal.h"

#define STATS_RULE_MAX 48     /* bytes of a rule id, as tl_decision.rule */
#define STATS_RULES_MAX 24    /* distinct rule ids kept; the rest: "other" */
#define STATS_DOC_REASONS 32  /* distinct reasons kept per document */
#define STATS_REASON_MAX 200  /* bytes of a reason, as tl_decision.reason */
#define STATS_FILE_MAX 256    /* bytes of an example's file name */
#define STATS_PORTION_DIAGS 4 /* diagnostic rule ids counted per portion */

typedef struct stats_count {
	char rule[STATS_RULE_MAX];
	unsigned long portions, lines;
} stats_count;

typedef struct stats_reason {
	char rule[STATS_RULE_MAX];
	/* As the decision gave it (the key: masking is slow, and done once
	 * per distinct reason of a run), and masked: what is shown. */
	char raw[STATS_REASON_MAX];
	char reason[STATS_REASON_MAX]; /* "" in a document's tally */
	unsigned long portions, lines;
	char file[STATS_FILE_MAX];     /* the example: "" in a document's tally */
	unsigned long line;
} stats_reason;

/* The counts of one document for one target.  Only the counters and the
 * entries in use are ever read: stats_tally_init clears no table. */
typedef struct stats_tally {
	tl_redact_totals tot;
	unsigned nrules, ndiags, nreasons;
	stats_count rules[STATS_RULES_MAX];
	stats_count diags[STATS_RULES_MAX];
	stats_reason reasons[STATS_DOC_REASONS];
	/* Withheld portions whose reason did not fit in `reasons`. */
	unsigned long other_portions, other_lines;
	unsigned last; /* the entry of the last reason counted */
} stats_tally;

/* An empty tally for a document. */
void tl_stats_tally_init(stats_tally *t);

/* Counts portion `po` (of `lines` text lines), decided as `d`, with the
 * rule ids of the `ndiags` diagnostics that fell in it. */
void tl_stats_tally_portion(stats_tally *t, const tl_portion *po,
    const tl_decision *d, unsigned long lines,
    const char (*diags)[STATS_RULE_MAX], unsigned ndiags);

/* Adds the tally `t` of document `file` for reader `reader` to the run.
 * With `whole_rule` not NULL the document was withheld whole, for
 * `whole_reason`: its portions and lines are counted as withheld under
 * that rule, whatever the tally says of them. */
void tl_stats_add(tl_redact_stats *s, size_t reader, const char *file,
    const stats_tally *t, const char *whole_rule, const char *whole_reason);

/* A document whose copies were not written. */
void tl_stats_add_failed(tl_redact_stats *s);

#endif
