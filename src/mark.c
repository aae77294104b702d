/*
 * mark.c: the marking grammar: one portion mark or banner classification
 * string into a tl_marking (level, controls, REL TO countries), and back
 * to its canonical banner form.
 */
#include "internal.h"

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
 * except where the written form has one. */
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

bool
tl_marking_has(const tl_marking *m, const char *name)
{
	unsigned i;

	for (i = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++)
		if (strcmp(m->controls[i], name) == 0)
			return true;
	return false;
}
