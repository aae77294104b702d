/*
 * register.h: the marking register (register.c), read by the grammar
 * (mark.c) and the country table (country.c).  Not installed.
 *
 * The register holds every written form of a level, control,
 * declassification field and extra country code, each tied to an entry
 * with its canonical name.  It starts as register/tearline.reg compiled
 * into the library and grows with tl_register_load.  Forms are upper
 * case with single spaces; lookups take a phrase in that shape.
 */
#ifndef TL_REGISTER_H
#define TL_REGISTER_H

#include "internal.h"

/* Namespaces: a form may be both a level form and a control (SBU), but
 * is defined once in each. */
typedef enum reg_ns {
	REG_NS_LEVEL = 0, /* levels, and markings that stand for one */
	REG_NS_CONTROL,
	REG_NS_DECLASS,
	REG_NS_COUNTRY,
	REG_NS_COUNT
} reg_ns;

/* Categories of controls, in the order a canonical banner writes them;
 * REG_CAT_LAST ranks a control the register does not have. */
typedef enum reg_cat {
	REG_CAT_NONE = 0, /* not a control */
	REG_CAT_SCI,
	REG_CAT_SAP,
	REG_CAT_AEA,
	REG_CAT_NONUS,
	REG_CAT_FGI,
	REG_CAT_DISSEM,
	REG_CAT_NONIC,
	REG_CAT_CAVEAT,
	REG_CAT_CUI,
	REG_CAT_OTHER,
	REG_CAT_LAST
} reg_cat;

/* Controls after which the grammar reads a country list. */
typedef enum reg_list {
	REG_LIST_NONE = 0,
	REG_LIST_REL,     /* REL TO: to the end of the segment; bare REL */
	REG_LIST_DISPLAY, /* DISPLAY ONLY: to the end of the segment */
	REG_LIST_FGI,     /* FGI: the country codes that follow, if any */
	REG_LIST_JOINT    /* JOINT: a level, then its owners' codes */
} reg_list;

#define REG_EXPAND_MAX 3 /* controls one form stands for */

typedef struct reg_entry {
	const char *name;  /* canonical; a pattern's part is '*' */
	reg_ns ns;
	reg_cat cat;
	reg_list list;
	tl_level level;    /* REG_NS_LEVEL */
	bool marking;      /* a level form with controls ("NATO SECRET") */
	/* The controls the entry stands for, when not its own name: a
	 * marking (NATO SECRET: NATO) or a combined control (SBU-NF: SBU,
	 * NOFORN).  A control with nexpand 0 stands for itself. */
	unsigned nexpand;
	const char *expand[REG_EXPAND_MAX];
	bool stands_alone; /* a control entry without `->` */
	unsigned order;    /* definition order, for banners */
} reg_entry;

/* A lookup's result: the entry, and its canonical name with a
 * pattern's part filled in ("SAR-*" read from "SAR-BP": "SAR-BP"). */
typedef struct reg_hit {
	const reg_entry *e;
	char name[TL_TOKEN_MAX];
	unsigned words; /* words of the form that matched */
} reg_hit;

/* Loads the compiled-in register once per process (pthread_once).  The
 * lookups call it; callers need not. */
void tl_reg_init(void);

/* Looks up `phrase` (upper case, single spaces) in `ns`: exact forms
 * first, then patterns, the longest fixed part first.  Returns false
 * when nothing matches, or when a pattern's canonical name would not
 * fit in TL_TOKEN_MAX. */
bool tl_reg_find(reg_ns ns, const char *phrase, reg_hit *hit);

/* Most words any form of `ns` has: how far the grammar looks ahead. */
unsigned tl_reg_words_max(reg_ns ns);

/* Category and order of canonical control `name` (len bytes) for a
 * canonical banner; false (and REG_CAT_LAST) when the register has no
 * control of that canonical name. */
bool tl_reg_control_rank(const char *name, size_t len, reg_cat *cat,
    unsigned *order);

/* The entry of list kind `list` (REL TO, DISPLAY ONLY...), or NULL. */
const reg_entry *tl_reg_list_entry(reg_list list);

/* The code of an extra country or group code (ISAF, XKS), as the
 * register spells it, for `key` in upper case; NULL when not there. */
const char *tl_reg_country(const char *key);

#endif
