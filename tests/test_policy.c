/*
 * test_policy.c: the policy loader: bundled policies load and round-trip,
 * every class of error is reported at its position, hostile YAML never
 * crashes it, and the accessors return what the file says.
 */
#include "tlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies a literal into a fixed array field. */
#define SET(field, text) snprintf((field), sizeof(field), "%s", (text))

static const char *const bundled[] = {
	"policies/us-cables.yaml", "policies/capco.yaml", "policies/uk-gsc.yaml",
};

static const char minimal[] =
    "tearline-policy: 1\n"
    "name: minimal\n"
    "levels:\n"
    "  - name: UNCLASSIFIED\n"
    "  - name: SECRET\n"
    "    aliases: [S]\n";

typedef struct collected {
	unsigned n;
	tl_diag d[128];
} collected;

static void
collect(void *ctx, const tl_diag *d)
{
	collected *c = ctx;

	if (c->n < 128)
		c->d[c->n] = *d;
	c->n++;
}

static tl_policy *
load_text(const char *yaml)
{
	tl_policy *pol = NULL;
	tl_diag d;
	tl_status st = tl_policy_load_buffer("inline.yaml", yaml, strlen(yaml),
	    &pol, &d);

	ck_assert_msg(st == TL_OK, "inline policy: %s:%lu:%lu: %s", d.file,
	    d.line, d.col, d.message);
	return pol;
}

static tl_status
to_buf(void *ctx, const char *bytes, size_t len)
{
	char **s = ctx;
	size_t have = *s ? strlen(*s) : 0;

	*s = realloc(*s, have + len + 1);
	ck_assert(*s != NULL);
	memcpy(*s + have, bytes, len);
	(*s)[have + len] = '\0';
	return TL_OK;
}

static char *
show(const tl_policy *pol)
{
	char *s = NULL;

	ck_assert_int_eq(tl_policy_write_yaml(pol, to_buf, &s), TL_OK);
	ck_assert(s != NULL);
	return s;
}

/* The YAML after the three comment lines that name source and hash. */
static const char *
body(const char *yaml)
{
	const char *p = strstr(yaml, "tearline-policy: 1\n");

	ck_assert(p != NULL);
	return p;
}

START_TEST(bundled_policies_are_valid)
{
	collected c = { 0 };
	tl_policy *pol;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
		c.n = 0;
		ck_assert_int_eq(tl_policy_check(bundled[i], collect, &c), TL_OK);
		ck_assert_msg(c.n == 0, "%s: %s", bundled[i], c.d[0].message);
		ck_assert_int_eq(tl_policy_load(bundled[i], &pol, &d), TL_OK);
		ck_assert_uint_ge(tl_policy_level_count(pol), 4);
		ck_assert_uint_ge(tl_policy_reader_count(pol), 4);
		ck_assert_str_eq(tl_policy_source(pol), bundled[i]);
		tl_policy_free(pol);
	}
}
END_TEST

START_TEST(builtin_is_us_cables)
{
	tl_policy *b, *f;
	tl_diag d;
	size_t i;

	ck_assert_int_eq(tl_policy_load_builtin(&b, &d), TL_OK);
	ck_assert_int_eq(tl_policy_load("policies/us-cables.yaml", &f, &d), TL_OK);
	ck_assert_str_eq(tl_policy_name(b), "us-cables");
	ck_assert_str_eq(tl_policy_source(b), "builtin:us-cables.yaml");
	/* The hash is of the bytes: the built-in copy and the file agree. */
	ck_assert_str_eq(tl_policy_hash(b), tl_policy_hash(f));
	ck_assert_uint_eq(strlen(tl_policy_hash(b)), 64);
	for (i = 0; i < 64; i++)
		ck_assert(strchr("0123456789abcdef", tl_policy_hash(b)[i]));
	tl_policy_free(b);
	tl_policy_free(f);
	tl_policy_free(NULL);
}
END_TEST

START_TEST(hash_is_sha256_of_bytes)
{
	static const char tiny[] = "tearline-policy: 1\nname: t\nlevels: [{name: U}]\n";
	tl_policy *pol = load_text(tiny), *q;

	/* Known answer: printf '...' | sha256sum */
	ck_assert_str_eq(tl_policy_hash(pol),
	    "3d9fa10521a78e556cec0b64b5ddfe101fe3103e96b809592a0ec5a845864e84");
	/* A one-byte change changes the hash. */
	q = load_text("tearline-policy: 1\nname: t\nlevels: [{name: V}]\n");
	ck_assert_str_ne(tl_policy_hash(pol), tl_policy_hash(q));
	tl_policy_free(q);
	tl_policy_free(pol);
}
END_TEST

/* Each fixture's first line reads "# RULE at LINE:COL: why". */
START_TEST(every_error_class_at_its_position)
{
	static const char *const fixtures[] = {
		"unknown-key", "wrong-type", "duplicate-alias",
		"duplicate-control", "duplicate-key", "cycle-group",
		"cycle-implies", "undefined-level", "undefined-group",
		"undefined-control", "undefined-access", "empty-levels",
		"missing-version", "bad-effect", "bad-template", "yaml-syntax",
		"yaml-alias",
	};
	char path[256], rule[48], *text;
	unsigned long line, col;
	collected c;
	tl_policy *pol;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		snprintf(path, sizeof path, "tests/policies/%s.yaml", fixtures[i]);
		text = tlcheck_slurp(tlcheck_path(path), NULL);
		ck_assert_msg(sscanf(text, "# %47s at %lu:%lu:", rule, &line,
		    &col) == 3, "%s: no expectation line", path);
		free(text);
		memset(&c, 0, sizeof c);
		ck_assert_int_ne(tl_policy_check(path, collect, &c), TL_OK);
		ck_assert_uint_ge(c.n, 1);
		ck_assert_str_eq(c.d[0].file, path);
		ck_assert_msg(strcmp(c.d[0].rule, rule) == 0 &&
		    c.d[0].line == line && c.d[0].col == col,
		    "%s: got %s at %lu:%lu (%s), want %s at %lu:%lu", path,
		    c.d[0].rule, c.d[0].line, c.d[0].col, c.d[0].message, rule,
		    line, col);
		ck_assert_int_eq(c.d[0].severity, TL_SEV_ERROR);
		/* Loading fails the same way and leaves nothing behind. */
		pol = (tl_policy *)1;
		ck_assert_int_ne(tl_policy_load(path, &pol, &d), TL_OK);
		ck_assert_ptr_null(pol);
		ck_assert_uint_eq(d.line, line);
		ck_assert_uint_eq(d.col, col);
		ck_assert_str_eq(d.rule, rule);
	}
}
END_TEST

START_TEST(statuses_by_class)
{
	tl_policy *pol;
	tl_diag d;

	ck_assert_int_eq(tl_policy_load("tests/policies/yaml-syntax.yaml", &pol,
	    &d), TL_ESYNTAX);
	ck_assert_int_eq(tl_policy_load("tests/policies/wrong-type.yaml", &pol,
	    &d), TL_EPOLICY);
	ck_assert_int_eq(tl_policy_load("tests/policies/no-such-file.yaml", &pol,
	    &d), TL_EIO);
	ck_assert_str_eq(d.rule, "policy-io");
	ck_assert_str_eq(d.file, "tests/policies/no-such-file.yaml");
	ck_assert_int_eq(tl_policy_load_buffer("x", NULL, 3, &pol, &d),
	    TL_EUSAGE);
	ck_assert_int_eq(tl_policy_load_buffer("x", "", 0, &pol, &d), TL_EPOLICY);
	ck_assert_str_eq(d.rule, "policy-empty");
}
END_TEST

START_TEST(check_reports_every_problem_in_order)
{
	static const char bad[] =
	    "tearline-policy: 2\n"                    /* 1 version */
	    "name: many\n"
	    "levels:\n"
	    "  - name: SECRET\n"
	    "    aliases: [S, S]\n"                   /* 5 duplicate */
	    "controls:\n"
	    "  - name: X\n"
	    "    effect: nationals-only\n"            /* 8 no countries */
	    "readers:\n"
	    "  - name: r\n"
	    "    clearance: TOP SECRET\n"             /* 11 undefined */
	    "    nationality: usa\n"
	    "    colour: red\n";                      /* 13 unknown key */
	collected c = { 0 };
	tl_policy *pol;
	tl_diag d;
	unsigned i;

	ck_assert_int_eq(tl_policy_check_buffer("many.yaml", bad, strlen(bad),
	    collect, &c), TL_EPOLICY);
	ck_assert_uint_eq(c.n, 5);
	ck_assert_str_eq(c.d[0].rule, "policy-value");
	ck_assert_uint_eq(c.d[0].line, 1);
	ck_assert_uint_eq(c.d[0].col, 18);
	ck_assert_str_eq(c.d[1].rule, "policy-duplicate");
	ck_assert_uint_eq(c.d[1].line, 5);
	ck_assert_uint_eq(c.d[1].col, 18);
	ck_assert_str_eq(c.d[2].rule, "policy-missing");
	ck_assert_uint_eq(c.d[2].line, 7);
	ck_assert_str_eq(c.d[3].rule, "policy-undefined");
	ck_assert_uint_eq(c.d[3].line, 11);
	ck_assert_uint_eq(c.d[3].col, 16);
	ck_assert_str_eq(c.d[4].rule, "policy-unknown-key");
	ck_assert_uint_eq(c.d[4].line, 13);
	for (i = 1; i < c.n; i++)
		ck_assert_uint_ge(c.d[i].line, c.d[i - 1].line);
	/* The load reports the first and counts the rest. */
	ck_assert_int_ne(tl_policy_load_buffer("many.yaml", bad, strlen(bad),
	    &pol, &d), TL_OK);
	ck_assert_uint_eq(d.line, 1);
	ck_assert_ptr_nonnull(strstr(d.message, "and 4 more problems"));
}
END_TEST

START_TEST(show_round_trips)
{
	char *a, *b;
	tl_policy *pol, *again;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
		ck_assert_int_eq(tl_policy_load(bundled[i], &pol, &d), TL_OK);
		a = show(pol);
		ck_assert_msg(tl_policy_load_buffer("shown.yaml", a, strlen(a),
		    &again, &d) == TL_OK, "%s shown: %lu:%lu %s", bundled[i],
		    d.line, d.col, d.message);
		b = show(again);
		ck_assert_str_eq(body(a), body(b));
		free(a);
		free(b);
		tl_policy_free(pol);
		tl_policy_free(again);
	}
}
END_TEST

START_TEST(show_escapes_line_breaks_and_unprintables)
{
	/* U+0085, U+2028 and U+2029 are line breaks to YAML: raw inside
	 * double quotes they fold, with the spaces after them, into one
	 * space.  U+0080 and U+FEFF are not printable and would be refused.
	 * A placeholder holding each must come back as it was (found by
	 * fuzz_policy: regress/policy/crash-db1785f0...). */
	static const char yaml[] = "tearline-policy: 1\nname: t\n"
	    "levels: [{name: U}]\n"
	    "placeholder:\n  template: \"[{reason}\\L  a\\N  b\\P  c"
	    "\\x80d\\uFEFFe \\u00e9]\"\n";
	tl_policy *pol = load_text(yaml), *again;
	char *a = show(pol), *b;
	tl_diag d;

	ck_assert_ptr_nonnull(strstr(a, "\\u2028  a\\u0085  b\\u2029  c"
	    "\\u0080d\\ufeffe \xc3\xa9]"));
	ck_assert_msg(tl_policy_load_buffer("shown.yaml", a, strlen(a), &again,
	    &d) == TL_OK, "%lu:%lu %s", d.line, d.col, d.message);
	b = show(again);
	ck_assert_str_eq(body(a), body(b));
	ck_assert_ptr_nonnull(strstr(b, "\\u2028  a"));
	free(a);
	free(b);
	tl_policy_free(pol);
	tl_policy_free(again);
}
END_TEST

START_TEST(show_fills_defaults)
{
	tl_policy *pol = load_text(minimal);
	char *s = show(pol);

	ck_assert_ptr_nonnull(strstr(s, "  unmarked: withhold\n"));
	ck_assert_ptr_nonnull(strstr(s, "  unknown-level: above-all\n"));
	ck_assert_ptr_nonnull(strstr(s, "  unreadable-banner: highest\n"));
	ck_assert_ptr_nonnull(strstr(s, "  header: withhold\n"));
	ck_assert_ptr_nonnull(strstr(s, "  subject: portion\n"));
	ck_assert_ptr_nonnull(strstr(s, "    banner: SECRET\n"));
	ck_assert_ptr_nonnull(strstr(s, "  template: \"{lead}"));
	ck_assert_ptr_nonnull(strstr(s, "readers: []\n"));
	free(s);
	tl_policy_free(pol);
}
END_TEST

START_TEST(yaml_bombs_and_junk_never_crash)
{
	static const char laughs[] =
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
	static const char loop[] = "a: &a [*a]\n";
	size_t n = 200000, i, k;
	tl_policy *pol;
	char *buf, *orig;
	size_t olen;
	tl_diag d;
	unsigned long seed = 12345;

	buf = malloc(2 * 1024 * 1024 + 16);
	ck_assert(buf != NULL);
	/* Deep nesting. */
	memset(buf, '[', n);
	ck_assert_int_eq(tl_policy_load_buffer("deep", buf, n, &pol, &d),
	    TL_ELIMIT);
	ck_assert_str_eq(d.rule, "policy-limit");
	memset(buf, '{', n);
	ck_assert_int_ne(tl_policy_load_buffer("deep", buf, n, &pol, &d), TL_OK);
	/* Billion laughs, and an alias of itself. */
	ck_assert_int_eq(tl_policy_load_buffer("laughs", laughs,
	    strlen(laughs), &pol, &d), TL_ESYNTAX);
	ck_assert_uint_eq(d.line, 2);
	ck_assert_int_ne(tl_policy_load_buffer("loop", loop, strlen(loop), &pol,
	    &d), TL_OK);
	/* A huge scalar, and a file over the size cap. */
	memcpy(buf, "name: ", 6);
	memset(buf + 6, 'x', 100000);
	ck_assert_int_eq(tl_policy_load_buffer("huge", buf, 100006, &pol, &d),
	    TL_ELIMIT);
	memset(buf, '#', 2 * 1024 * 1024);
	ck_assert_int_eq(tl_policy_load_buffer("big", buf, 2 * 1024 * 1024,
	    &pol, &d), TL_ELIMIT);
	/* Binary junk: a fixed pseudo-random sequence. */
	for (i = 0; i < 64; i++) {
		for (k = 0; k < 512; k++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			buf[k] = (char)(seed >> 56);
		}
		pol = NULL;
		ck_assert_int_ne(tl_policy_load_buffer("junk", buf, 512, &pol, &d),
		    TL_OK);
		ck_assert_ptr_null(pol);
	}
	/* Mutations of a real policy: whatever loads must be usable. */
	orig = tlcheck_slurp(tlcheck_path("policies/us-cables.yaml"), &olen);
	for (i = 0; i < 300; i++) {
		memcpy(buf, orig, olen);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			buf[(seed >> 33) % olen] = (char)(seed >> 56);
		}
		pol = NULL;
		if (tl_policy_load_buffer("mutant", buf, olen - i % 7, &pol,
		    &d) == TL_OK) {
			char *s = show(pol);

			free(s);
			tl_policy_free(pol);
		} else {
			ck_assert_ptr_null(pol);
			ck_assert(d.message[0] != '\0');
		}
	}
	free(orig);
	free(buf);
}
END_TEST

START_TEST(levels_and_ranks)
{
	tl_policy *pol;
	tl_policy_level lv;
	tl_marking m;
	tl_diag d;

	ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	ck_assert_uint_eq(tl_policy_level_count(pol), 5);
	ck_assert(tl_policy_level_at(pol, 4, &lv));
	ck_assert_str_eq(lv.name, "SECRET");
	ck_assert_str_eq(lv.portion, "S");
	ck_assert_str_eq(lv.banner, "S E C R E T");
	ck_assert_int_eq(lv.routing, 'S');
	ck_assert_str_eq(lv.exemption, "(b)(1)");
	ck_assert(tl_policy_level_at(pol, 1, &lv));
	ck_assert_str_eq(lv.banner, "UNCLAS");
	ck_assert(!tl_policy_level_at(pol, 0, &lv));
	ck_assert_ptr_null(lv.name);
	ck_assert(!tl_policy_level_at(pol, 6, &lv));

	memset(&m, 0, sizeof m);
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 0); /* zeroed: unknown */
	SET(m.level_token, "S");
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 4);
	SET(m.level_token, "unclas");
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 1);
	SET(m.level_token, "TOPSECRET"); /* inner spaces removed */
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 5);
	SET(m.level_token, "SBU");
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 2);
	/* Token unknown to the policy: the canonical name decides. */
	SET(m.level_token, "SECRETISH");
	m.level = TL_LEVEL_SECRET;
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 4);
	m.level = TL_LEVEL_RESTRICTED; /* a level this policy lacks */
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 0);
	tl_policy_free(pol);
}
END_TEST

START_TEST(uk_old_scheme_maps_onto_new)
{
	tl_policy *pol;
	tl_marking m;
	tl_diag d;

	ck_assert_int_eq(tl_policy_load("policies/uk-gsc.yaml", &pol, &d), TL_OK);
	memset(&m, 0, sizeof m);
	m.level = TL_LEVEL_PROTECT;
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 1);     /* OFFICIAL */
	m.level = TL_LEVEL_RESTRICTED;
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 2);     /* O-S */
	m.level = TL_LEVEL_CONFIDENTIAL;
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 3);     /* SECRET */
	SET(m.level_token, "OFFICIAL-SENSITIVE");
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 2);
	m.level_token[0] = '\0';
	m.level = TL_LEVEL_TOP_SECRET;
	ck_assert_uint_eq(tl_policy_level_rank(pol, &m), 4);
	tl_policy_free(pol);
}
END_TEST

START_TEST(reader_profiles)
{
	tl_policy *pol;
	tl_reader r;
	tl_diag d;
	char line[200];

	ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	ck_assert_str_eq(tl_policy_reader_name(pol, 0), "us-top-secret");
	ck_assert_ptr_null(tl_policy_reader_name(pol, 99));
	ck_assert_int_eq(tl_reader_profile(pol, "gbr-secret", &r, &d), TL_OK);
	ck_assert_str_eq(r.name, "gbr-secret");
	ck_assert_uint_eq(r.rank, 4);
	ck_assert_str_eq(r.clearance, "SECRET");
	ck_assert_str_eq(r.nationality, "GBR");
	ck_assert(!r.is_public);
	ck_assert_int_eq(tl_reader_profile(pol, "public", &r, &d), TL_OK);
	ck_assert(r.is_public);
	ck_assert_uint_eq(r.rank, 1);
	ck_assert_int_eq(tl_reader_profile(pol, "us-top-secret", &r, &d), TL_OK);
	ck_assert_uint_eq(r.naccess, 5);
	ck_assert_str_eq(r.access[0], "ORCON");
	tl_reader_format(&r, line, sizeof line);
	ck_assert_str_eq(line, "us-top-secret (TOP SECRET, USA, access "
	    "ORCON,NODIS,EXDIS,LIMDIS,PROPIN)");
	/* Unknown: not found, with the known names, reader zeroed. */
	ck_assert_int_eq(tl_reader_profile(pol, "nobody", &r, &d), TL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(d.message, "us-secret, us-confidential"));
	ck_assert_uint_eq(r.rank, 0);
	ck_assert_str_eq(r.name, "");
	tl_policy_free(pol);
}
END_TEST

START_TEST(reader_adhoc)
{
	tl_policy *pol;
	tl_reader r;
	tl_diag d;
	char line[200];

	ck_assert_int_eq(tl_policy_load("policies/capco.yaml", &pol, &d), TL_OK);
	ck_assert_int_eq(tl_reader_adhoc(pol, "ts", "aus", "SI,tk", false, &r,
	    &d), TL_OK);
	ck_assert_uint_eq(r.rank, 4);
	ck_assert_str_eq(r.clearance, "TOP SECRET");
	ck_assert_str_eq(r.nationality, "AUS");
	ck_assert_uint_eq(r.naccess, 2);
	ck_assert_str_eq(r.access[1], "TK");
	tl_reader_format(&r, line, sizeof line);
	ck_assert_str_eq(line, "ad hoc (TOP SECRET, AUS, access SI,TK)");
	ck_assert_int_eq(tl_reader_adhoc(pol, "secret", "USA", NULL, true, &r,
	    &d), TL_OK);
	ck_assert(r.is_public);
	ck_assert_uint_eq(r.naccess, 0);

	ck_assert_int_eq(tl_reader_adhoc(pol, "COSMIC", "USA", NULL, false, &r,
	    &d), TL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(d.message, "UNCLASSIFIED, CONFIDENTIAL"));
	ck_assert_int_eq(tl_reader_adhoc(pol, "S", "UK", NULL, false, &r, &d),
	    TL_EUSAGE);
	ck_assert_int_eq(tl_reader_adhoc(pol, "S", "USA1", NULL, false, &r, &d),
	    TL_EUSAGE);
	ck_assert_int_eq(tl_reader_adhoc(pol, "S", "USA", "SI,,TK", false, &r,
	    &d), TL_EUSAGE);
	ck_assert_int_eq(tl_reader_adhoc(pol, "S", "USA", "SI,XX", false, &r,
	    &d), TL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(d.message, "'XX'"));
	ck_assert_uint_eq(r.rank, 0);
	ck_assert_uint_eq(r.naccess, 0);
	tl_policy_free(pol);
}
END_TEST

START_TEST(audit_rule_settings)
{
	static const char yaml[] =
	    "tearline-policy: 1\nname: a\nlevels: [{name: U}]\n"
	    "audit:\n"
	    "  banner-rollup: {enabled: false}\n"
	    "  portion-unmarked: {severity: warning}\n"
	    "  decl-date: {enabled: true, severity: note}\n";
	tl_policy *pol = load_text(yaml);
	bool on = true;
	tl_severity sev = TL_SEV_ERROR;
	char *s;

	ck_assert(tl_policy_rule(pol, "banner-rollup", &on, &sev));
	ck_assert(!on);
	ck_assert_int_eq(sev, TL_SEV_ERROR); /* the caller's default kept */
	on = true;
	ck_assert(tl_policy_rule(pol, "portion-unmarked", &on, &sev));
	ck_assert(on);
	ck_assert_int_eq(sev, TL_SEV_WARNING);
	ck_assert(tl_policy_rule(pol, "decl-date", &on, &sev));
	ck_assert_int_eq(sev, TL_SEV_NOTE);
	on = false;
	sev = TL_SEV_WARNING;
	ck_assert(!tl_policy_rule(pol, "not-mentioned", &on, &sev));
	ck_assert(!on);
	ck_assert_int_eq(sev, TL_SEV_WARNING);
	ck_assert(tl_policy_rule(pol, "banner-rollup", NULL, NULL));
	s = show(pol);
	ck_assert_ptr_nonnull(strstr(s, "  banner-rollup: {enabled: false}\n"));
	ck_assert_ptr_nonnull(strstr(s, "  decl-date: {enabled: true, "
	    "severity: note}\n"));
	free(s);
	tl_policy_free(pol);
}
END_TEST

START_TEST(parts_of_a_document)
{
	tl_policy *pol;
	tl_diag d;

	ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	ck_assert_int_eq(tl_policy_part(pol, TL_PART_HEADER), TL_PART_KEEP);
	ck_assert_int_eq(tl_policy_part(pol, TL_PART_SUBJECT), TL_PART_PORTION);
	ck_assert_int_eq(tl_policy_part(pol, (tl_part)9), TL_PART_WITHHOLD);
	tl_policy_free(pol);
	pol = load_text(minimal);
	ck_assert_int_eq(tl_policy_part(pol, TL_PART_HEADER), TL_PART_WITHHOLD);
	ck_assert_int_eq(tl_policy_part(pol, TL_PART_TAGS), TL_PART_WITHHOLD);
	ck_assert_int_eq(tl_policy_part(NULL, TL_PART_TAGS), TL_PART_WITHHOLD);
	tl_policy_free(pol);
}
END_TEST

static tl_portion
withheld_portion(void)
{
	tl_portion p;

	memset(&p, 0, sizeof p);
	p.index = 3;
	SET(p.lead, "2. ");
	SET(p.number, "2");
	p.marked = true;
	SET(p.mark_text, "C/NF");
	return p;
}

START_TEST(placeholder_rendering)
{
	tl_portion p = withheld_portion();
	tl_decision dec;
	tl_policy *pol;
	char out[256];
	size_t n;
	tl_diag d;

	memset(&dec, 0, sizeof dec);
	dec.rank = 3;
	SET(dec.rule, "nationals-only");
	SET(dec.reason, "NOFORN: for nationals of USA only; reader is GBR");
	SET(dec.exemption, "(b)(1)");
	ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	n = tl_policy_placeholder(pol, &p, &dec, out, sizeof out);
	ck_assert_str_eq(out, "2. (C/NF) [WITHHELD (b)(1): NOFORN: for "
	    "nationals of USA only; reader is GBR]");
	ck_assert_uint_eq(n, strlen(out));
	/* Empty values drop their conditional text. */
	p.marked = false;
	p.mark_text[0] = '\0';
	dec.exemption[0] = '\0';
	tl_policy_placeholder(pol, &p, &dec, out, sizeof out);
	ck_assert_str_eq(out, "2. [WITHHELD: NOFORN: for nationals of USA "
	    "only; reader is GBR]");
	/* Truncation: the full length is still returned. */
	ck_assert_uint_eq(tl_policy_placeholder(pol, &p, &dec, out, 8),
	    strlen("2. [WITHHELD: NOFORN: for nationals of USA only; reader "
	    "is GBR]"));
	ck_assert_str_eq(out, "2. [WIT");
	tl_policy_free(pol);

	pol = load_text("tearline-policy: 1\nname: t\nlevels: [{name: U}, "
	    "{name: C}, {name: S}]\nplaceholder:\n  template: \"{{{index}}} "
	    "{number}|{level}|{rule}|{reason:<%%%>}|{exemption:x}\"\n");
	p = withheld_portion();
	SET(dec.reason, "a\nb");
	tl_policy_placeholder(pol, &p, &dec, out, sizeof out);
	ck_assert_str_eq(out, "{3} 2|S|nationals-only|<%a b>|");
	ck_assert_uint_eq(tl_policy_placeholder(NULL, &p, &dec, out,
	    sizeof out), 0);
	ck_assert_str_eq(out, "");
	tl_policy_free(pol);
}
END_TEST

START_TEST(template_errors)
{
	static const char *const bad[] = {
		"{lead", "lead}", "{lead:x{y}", "{}", "{Lead}",
	};
	char yaml[256];
	tl_policy *pol;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(yaml, sizeof yaml, "tearline-policy: 1\nname: t\n"
		    "levels: [{name: U}]\nplaceholder: {template: \"%s\"}\n",
		    bad[i]);
		ck_assert_msg(tl_policy_load_buffer("t", yaml, strlen(yaml), &pol,
		    &d) == TL_EPOLICY, "template %s accepted", bad[i]);
		ck_assert_str_eq(d.rule, "policy-value");
		ck_assert_uint_eq(d.line, 4);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bundled_policies_are_valid);
	tcase_add_test(tc, builtin_is_us_cables);
	tcase_add_test(tc, hash_is_sha256_of_bytes);
	tcase_add_test(tc, every_error_class_at_its_position);
	tcase_add_test(tc, statuses_by_class);
	tcase_add_test(tc, check_reports_every_problem_in_order);
	tcase_add_test(tc, show_round_trips);
	tcase_add_test(tc, show_fills_defaults);
	tcase_add_test(tc, yaml_bombs_and_junk_never_crash);
	tcase_add_test(tc, levels_and_ranks);
	tcase_add_test(tc, uk_old_scheme_maps_onto_new);
	tcase_add_test(tc, reader_profiles);
	tcase_add_test(tc, reader_adhoc);
	tcase_add_test(tc, audit_rule_settings);
	tcase_add_test(tc, parts_of_a_document);
	tcase_add_test(tc, placeholder_rendering);
	tcase_add_test(tc, template_errors);
	tcase_add_test(tc, show_escapes_line_breaks_and_unprintables);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
