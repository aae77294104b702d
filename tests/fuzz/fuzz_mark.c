/*
 * fuzz_mark.c: the marking grammar (tl_marking_parse) on any bytes, and
 * its canonical form back through the grammar.
 *
 * Invariants: the status is TL_OK exactly for a marking that is neither
 * malformed nor holds unknown tokens; counts stay within their arrays and
 * every token is NUL-terminated; the canonical form of a clean marking
 * parses cleanly to the same level, controls and countries.
 */
#include "fuzz.h"

#include <string.h>

static void
check_tokens(const char (*tok)[TL_TOKEN_MAX], unsigned n, unsigned max,
    const char *what)
{
	unsigned i;

	FUZZ_CHECK(n <= max, "%u %s (at most %u)", n, what, max);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(memchr(tok[i], '\0', TL_TOKEN_MAX) != NULL,
		    "%s[%u] not NUL-terminated", what, i);
}

static void
check_marking(const tl_marking *m)
{
	unsigned i;

	FUZZ_CHECK((unsigned)m->level < TL_LEVEL_COUNT, "level %d",
	    (int)m->level);
	FUZZ_CHECK(memchr(m->level_token, '\0', TL_TOKEN_MAX) != NULL,
	    "level_token not NUL-terminated");
	check_tokens(m->controls, m->ncontrols, TL_MARK_CONTROLS_MAX,
	    "controls");
	check_tokens(m->unknown, m->nunknown, TL_MARK_UNKNOWN_MAX, "unknown");
	FUZZ_CHECK(m->nrel <= TL_MARK_REL_MAX, "%u countries", m->nrel);
	for (i = 0; i < m->nrel; i++)
		FUZZ_CHECK(memchr(m->rel[i], '\0', sizeof m->rel[i]) != NULL,
		    "rel[%u] not NUL-terminated", i);
}

/* True when every control of `a` is in `b`. */
static bool
controls_within(const tl_marking *a, const tl_marking *b)
{
	unsigned i;

	for (i = 0; i < a->ncontrols; i++)
		if (!tl_marking_has(b, a->controls[i]))
			return false;
	return true;
}

/* True when every country of `a` is in `b`; `usa` lets "USA" be in `a`
 * alone (the canonical form always names it first). */
static bool
rel_within(const tl_marking *a, const tl_marking *b, bool usa)
{
	unsigned i, j;

	for (i = 0; i < a->nrel; i++) {
		if (usa && strcmp(a->rel[i], "USA") == 0)
			continue;
		for (j = 0; j < b->nrel; j++)
			if (strcmp(a->rel[i], b->rel[j]) == 0)
				break;
		if (j == b->nrel)
			return false;
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tl_marking m, again;
	char why[160], canon[1024], why2[160];
	tl_status st, st2;
	size_t n;

	memset(why, 0x5a, sizeof why);
	st = tl_marking_parse(text, size, &m, why, sizeof why);
	FUZZ_CHECK(st == TL_OK || st == TL_ESYNTAX, "status %d", (int)st);
	check_marking(&m);
	FUZZ_CHECK((st == TL_OK) == (!m.malformed && m.nunknown == 0 &&
	    m.nrel_unknown == 0), "status %s but malformed=%d nunknown=%u "
	    "nrel_unknown=%u", tl_strerror(st), m.malformed, m.nunknown,
	    m.nrel_unknown);
	FUZZ_CHECK(m.nrel_unknown <= TL_MARK_UNKNOWN_MAX,
	    "nrel_unknown %u over its array", m.nrel_unknown);
	if (st != TL_OK)
		FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL,
		    "reason not NUL-terminated");
	/* A marking the grammar read cleanly always has a level. */
	if (st == TL_OK)
		FUZZ_CHECK(m.level != TL_LEVEL_UNKNOWN, "clean marking without "
		    "a level");

	n = tl_marking_format(&m, canon, sizeof canon);
	FUZZ_CHECK(strlen(canon) == (n < sizeof canon ? n : sizeof canon - 1),
	    "format returned %zu for \"%s\"", n, canon);
	if (st == TL_OK && n < sizeof canon && n <= TL_MARK_MAX) {
		st2 = tl_marking_parse(canon, n, &again, why2, sizeof why2);
		FUZZ_CHECK(st2 == TL_OK, "canonical form \"%s\" does not parse "
		    "cleanly: %s", canon, why2);
		FUZZ_CHECK(again.level == m.level, "\"%s\" reads as %s, not %s",
		    canon, tl_level_name(again.level), tl_level_name(m.level));
		FUZZ_CHECK(controls_within(&m, &again) &&
		    controls_within(&again, &m), "\"%s\" changes the controls",
		    canon);
		FUZZ_CHECK(again.rel_to == m.rel_to, "\"%s\" changes REL TO",
		    canon);
		if (m.nrel < TL_MARK_REL_MAX)
			FUZZ_CHECK(rel_within(&m, &again, false) &&
			    rel_within(&again, &m, true), "\"%s\" changes "
			    "the countries", canon);
	}

	/* The lookups that the parser and policies call on written tokens. */
	(void)tl_level_lookup(text, size);
	if (tl_country_code(text, size) != NULL)
		(void)tl_country_group(tl_country_code(text, size));
	return 0;
}
