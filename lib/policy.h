/*
 * policy.h: the in-memory form of a loaded policy, shared by policy.c
 * (which builds it from YAML) and decide.c (which reads it).  Not
 * installed; nothing outside these two files may depend on it.
 */
#ifndef TL_POLICY_H
#define TL_POLICY_H

#include "internal.h"

#define POL_NAME_MAX 64   /* bytes of a name, NUL included */
#define POL_TEXT_MAX 256  /* bytes of a description */
#define POL_TEMPLATE_MAX 512
#define POL_EXEMPTION_MAX 24

/* A name as written in the policy, with where it was written (for the
 * messages of validation) and its match key: upper case, blanks removed,
 * so that "REL TO", "rel to" and "RELTO" are one name. */
typedef struct pol_name {
	char s[POL_NAME_MAX];
	char key[POL_NAME_MAX];
	unsigned long line, col;
} pol_name;

typedef struct pol_names {
	pol_name *v;
	size_t n;
} pol_names;

typedef struct pol_level {
	pol_name name;
	pol_names aliases;
	char portion[POL_NAME_MAX];  /* portion-mark form: "S" */
	char banner[POL_NAME_MAX * 2]; /* banner form: "S E C R E T" */
	char routing;                /* ZNY letter, '\0' when none */
	char exemption[POL_EXEMPTION_MAX];
	char description[POL_TEXT_MAX];
	/* Classified: goes to a foreign reader only under a REL TO naming
	 * it (handling.foreign-disclosure).  Default: every level but the
	 * lowest. */
	bool classified;
	bool classified_set;
} pol_level;

typedef struct pol_group {
	pol_name name;
	pol_names members;
} pol_group;

/* What a control demands of a reader.  Declared in the order
 * policy show writes them. */
typedef enum pol_effect {
	POL_EFFECT_NONE = 0,
	POL_EFFECT_NATIONALS,  /* nationality among `countries` */
	POL_EFFECT_REL_TO,     /* nationality on the portion's REL TO list */
	POL_EFFECT_APPROVAL,   /* reader holds every approval in `needs` */
	POL_EFFECT_ACCESS,     /* reader holds every access in `needs` */
	POL_EFFECT_NOT_PUBLIC  /* reader is not the public */
} pol_effect;

typedef struct pol_control {
	pol_name name;
	pol_names aliases;
	pol_effect effect;
	bool effect_set;
	pol_names countries; /* nationals-only */
	pol_names implicit;  /* rel-to: nationalities that always pass */
	/* rel-to: the control a marking must carry for `implicit` to apply
	 * (the originator's own marking, NATO); "" when always. */
	pol_name implicit_with;
	pol_names needs;     /* access, approval: defaults to the name */
	pol_names implies;   /* other controls checked with this one */
	size_t *implies_idx; /* resolved indexes of `implies` */
	bool doc_scope;      /* on a banner: applies to every portion */
	char exemption[POL_EXEMPTION_MAX];
	char description[POL_TEXT_MAX];
} pol_control;

typedef struct pol_reader {
	pol_name name;
	pol_name clearance;
	unsigned rank;       /* resolved clearance, 1-based */
	pol_name nationality;
	pol_names access;
	bool is_public;
	char description[POL_TEXT_MAX];
} pol_reader;

typedef struct pol_rule {
	char id[48];
	bool has_enabled, enabled;
	bool has_severity;
	tl_severity severity;
} pol_rule;

/* Handling choices.  Each enum's zero value is the fail-closed default. */
typedef enum { POL_UNMARKED_WITHHOLD = 0, POL_UNMARKED_BANNER } pol_unmarked;
typedef enum { POL_UNKNOWN_LEVEL_ABOVE_ALL = 0, POL_UNKNOWN_LEVEL_HIGHEST } pol_unknown_level;
typedef enum { POL_UNKNOWN_WITHHOLD = 0, POL_UNKNOWN_IGNORE } pol_unknown;
typedef enum { POL_BANNER_HIGHEST = 0, POL_BANNER_UNKNOWN, POL_BANNER_PORTIONS } pol_banner_missing;
typedef enum { POL_DAMAGED_AS_READ = 0, POL_DAMAGED_HIGHEST } pol_banner_damaged;
/* Marks buried inside a portion's text (tl_portion.buried): they raise
 * the portion (the default: fail closed), or only the lead mark counts
 * (classification guides whose cells classify other facts). */
typedef enum { POL_BURIED_RAISE = 0, POL_BURIED_TRUST_LEAD } pol_buried;
typedef enum { POL_FOREIGN_EXPLICIT = 0, POL_FOREIGN_IMPLIED } pol_foreign;

struct tl_policy {
	char source[256];   /* file name as given, or "builtin:us-cables.yaml" */
	char hash[65];      /* SHA-256 of the bytes loaded, lower-case hex */
	char name[POL_NAME_MAX];
	char description[POL_TEXT_MAX];

	pol_level *levels;  /* lowest first; rank = index + 1 */
	size_t nlevels;
	pol_group *groups;
	size_t ngroups;
	pol_control *controls;
	size_t ncontrols;
	size_t rel_to;      /* index of the rel-to control, or SIZE_MAX */
	pol_reader *readers;
	size_t nreaders;
	pol_rule *rules;
	size_t nrules;

	pol_unmarked unmarked;
	pol_unknown_level unknown_level;
	pol_unknown unknown_control;
	pol_unknown unknown_token;
	pol_banner_missing unreadable_banner; /* PORTIONS not allowed */
	pol_banner_missing missing_banner;
	pol_banner_damaged damaged_banner;
	pol_buried buried;
	pol_foreign foreign;
	tl_consistency consistency;           /* handling.consistency */
	/* handling.unprefixed-origin: the nation whose levels are written
	 * with no country before them in this office's holdings ("USA":
	 * CAPCO writes others' "//GBR SECRET"); "" when not set, and a plain
	 * banner then shows no originator. */
	char unprefixed_origin[4];
	tl_part_action parts[4];              /* indexed by tl_part */

	char template[POL_TEMPLATE_MAX];
	char exemption[POL_EXEMPTION_MAX];    /* when no level or control names one */
};

/* Match key of s[0..len): upper case, blanks removed, truncated. */
void tl_pol_key(char key[POL_NAME_MAX], const char *s, size_t len);

/* Index of the level, control or group whose name or alias has the key of
 * s[0..len); SIZE_MAX when none. */
size_t tl_pol_find_level(const tl_policy *pol, const char *s, size_t len);
size_t tl_pol_find_control(const tl_policy *pol, const char *s, size_t len);
size_t tl_pol_find_group(const tl_policy *pol, const char *s, size_t len);

/* True when country code `nat` is `code` or a member (at any depth) of
 * the group named `code`. */
bool tl_pol_country_in(const tl_policy *pol, const char *nat, const char *code);

/* True when some control of the policy needs access or approval `key`
 * (a match key). */
bool tl_pol_needs_access(const tl_policy *pol, const char *key);

/* Appends `sep` (unless `buf` is still empty) and `item` to the text in
 * `buf` of `size` bytes, truncating what does not fit.  For the lists
 * that messages and reasons name. */
void tl_pol_append(char *buf, size_t size, const char *sep, const char *item);

/* The YAML words of each enumerated setting, NULL-terminated, in the
 * order of its enum: policy.c reads them, policy_show.c writes them. */
extern const char *const tl_pol_effect_names[];   /* a control's effect */
extern const char *const tl_pol_unmarked_names[]; /* handling.unmarked */
extern const char *const tl_pol_unknown_level_names[];
extern const char *const tl_pol_unknown_names[];  /* handling.unknown-control */
extern const char *const tl_pol_banner_names[];   /* handling.banner */
extern const char *const tl_pol_damaged_names[];
extern const char *const tl_pol_buried_names[];   /* handling.buried-marks */
extern const char *const tl_pol_consistency_names[]; /* handling.consistency */
extern const char *const tl_pol_foreign_names[];  /* handling.foreign */
extern const char *const tl_pol_part_names[];     /* parts: */
extern const char *const tl_pol_scope_names[];    /* 0 portion, 1 document */

#endif
