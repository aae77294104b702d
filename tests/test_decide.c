/*
 * test_decide.c: reader decisions.  A decision table over levels,
 * controls and readers of the bundled policies (portions built by hand,
 * independent of the marking grammar), then whole-document decisions,
 * parts, and the handling choices a policy can make.
 */
#include "tlcheck.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SET(field, text) snprintf((field), sizeof(field), "%s", (text))

/*
 * A portion from a compact spec "LEVEL|CONTROLS|REL|UNKNOWN" (lists
 * comma-separated, trailing parts optional): "S|NOFORN", "S||USA,FVEY",
 * "S||()" for an empty REL TO list.  "-" is unmarked, a leading "!" a
 * malformed mark, a leading "#" a portion with a parse error.
 */
static tl_portion
portion(const char *spec)
{
	char buf[256], *field[4] = { NULL, NULL, NULL, NULL }, *p, *item;
	tl_portion po;
	tl_marking *m = &po.marking;
	size_t n;
	int i;

	memset(&po, 0, sizeof po);
	po.index = 1;
	po.line = 10;
	SET(po.lead, "1. ");
	SET(po.number, "1");
	if (strcmp(spec, "-") == 0)
		return po;
	po.marked = true;
	if (spec[0] == '!') {
		m->malformed = true;
		spec++;
	} else if (spec[0] == '#') {
		po.errors = 1;
		spec++;
	}
	SET(po.mark_text, spec);
	SET(buf, spec);
	for (i = 0, p = buf; i < 4 && p; i++) {
		field[i] = p;
		if ((p = strchr(p, '|')) != NULL)
			*p++ = '\0';
	}
	SET(m->level_token, field[0]);
	m->level = tl_level_lookup(field[0], strlen(field[0]));
	for (i = 1; i < 4; i++) {
		if (field[i] == NULL || field[i][0] == '\0')
			continue;
		if (i == 2)
			m->rel_to = true;
		if (strcmp(field[i], "()") == 0)
			continue;
		for (item = field[i]; item; item = p) {
			if ((p = strchr(item, ',')) != NULL)
				*p++ = '\0';
			if (i == 1) {
				n = m->ncontrols++;
				SET(m->controls[n], item);
			} else if (i == 2) {
				n = m->nrel++;
				SET(m->rel[n], item);
			} else {
				n = m->nunknown++;
				SET(m->unknown[n], item);
			}
		}
	}
	return po;
}

static tl_policy *
policy(const char *name)
{
	char path[128];
	tl_policy *pol;
	tl_diag d;

	if (name == NULL)
		ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	else {
		snprintf(path, sizeof path, "policies/%s.yaml", name);
		ck_assert_msg(tl_policy_load(path, &pol, &d) == TL_OK, "%s: %s",
		    path, d.message);
	}
	return pol;
}

static tl_policy *
policy_text(const char *yaml)
{
	tl_policy *pol;
	tl_diag d;

	ck_assert_msg(tl_policy_load_buffer("custom.yaml", yaml, strlen(yaml),
	    &pol, &d) == TL_OK, "%lu:%lu: %s", d.line, d.col, d.message);
	return pol;
}

/* A profile name, or "adhoc:LEVEL:NAT:ACCESS". */
static tl_reader
reader(const tl_policy *pol, const char *spec)
{
	char buf[128], *lvl, *nat, *acc;
	tl_reader r;
	tl_diag d;

	if (strncmp(spec, "adhoc:", 6) != 0) {
		ck_assert_msg(tl_reader_profile(pol, spec, &r, &d) == TL_OK,
		    "%s", d.message);
		return r;
	}
	SET(buf, spec + 6);
	lvl = buf;
	nat = strchr(lvl, ':');
	ck_assert(nat != NULL);
	*nat++ = '\0';
	acc = strchr(nat, ':');
	ck_assert(acc != NULL);
	*acc++ = '\0';
	ck_assert_msg(tl_reader_adhoc(pol, lvl, nat, acc, false, &r, &d) ==
	    TL_OK, "%s", d.message);
	return r;
}

/* A document with a readable banner of `level` and `controls`. */
static tl_docinfo
document(const char *level, const char *controls)
{
	tl_docinfo doc;
	char spec[128];
	tl_portion p;

	memset(&doc, 0, sizeof doc);
	doc.name = "doc.txt";
	if (level == NULL)
		return doc; /* no banner */
	snprintf(spec, sizeof spec, "%s|%s", level, controls ? controls : "");
	p = portion(spec);
	doc.banner.line = 5;
	doc.banner.col = 1;
	doc.banner.marking = p.marking;
	return doc;
}

typedef struct row {
	const char *policy;  /* NULL: the built-in us-cables */
	const char *reader;
	const char *mark;
	tl_verdict want;
	const char *rule;
} row;

#define R TL_RELEASE
#define W TL_WITHHOLD

static const row table[] = {
	/* Levels: clearance at or above. */
	{ NULL, "public", "U", R, "cleared" },
	{ NULL, "public", "C", W, "clearance" },
	{ NULL, "us-confidential", "C", R, "cleared" },
	{ NULL, "us-confidential", "S", W, "clearance" },
	{ NULL, "us-secret", "TS", W, "clearance" },
	{ NULL, "us-top-secret", "TS", R, "cleared" },
	{ NULL, "us-top-secret", "U", R, "cleared" },
	{ NULL, "public", "SBU", W, "clearance" },
	{ NULL, "us-official", "SBU", R, "cleared" },
	{ NULL, "us-official", "C", W, "clearance" },
	/* NOFORN for a US and a foreign reader. */
	{ NULL, "us-secret", "S|NOFORN", R, "cleared" },
	{ NULL, "gbr-secret", "S|NOFORN", W, "nationals-only" },
	{ NULL, "gbr-secret", "C|NOFORN", W, "nationals-only" },
	/* Foreign disclosure is explicit: classified text goes abroad only
	 * under a REL TO naming the reader; unclassified text goes. */
	{ NULL, "gbr-secret", "C", W, "foreign-disclosure" },
	{ NULL, "adhoc:SECRET:FRA:", "S", W, "foreign-disclosure" },
	{ NULL, "gbr-secret", "U", R, "cleared" },
	{ NULL, "gbr-secret", "C||GBR", R, "cleared" },
	{ "capco", "aus-ts-si", "S|SI", W, "foreign-disclosure" },
	{ "capco", "aus-ts-si", "S|SI|FVEY", R, "cleared" },
	{ NULL, "us-confidential", "S|NOFORN", W, "clearance" },
	{ NULL, "gbr-secret", "S|FGI,NOFORN", W, "nationals-only" },
	/* REL TO: any-of, groups from the policy, USA implicit. */
	{ NULL, "gbr-secret", "S||USA,FVEY", R, "cleared" },
	{ NULL, "adhoc:SECRET:FRA:", "S||USA,FVEY", W, "rel-to" },
	{ NULL, "adhoc:SECRET:FRA:", "S||USA,NATO", R, "cleared" },
	{ NULL, "adhoc:SECRET:JPN:", "S||USA,NATO", W, "rel-to" },
	{ NULL, "us-secret", "S||GBR", R, "cleared" },
	{ NULL, "gbr-secret", "S||GBR", R, "cleared" },
	{ NULL, "gbr-secret", "S||USA", W, "rel-to" },
	{ NULL, "gbr-secret", "S||()", W, "rel-to" },
	{ NULL, "gbr-secret", "S|NOFORN|USA,GBR", W, "nationals-only" },
	{ NULL, "adhoc:TOP SECRET:GBR:", "S||USA,GBR", R, "cleared" },
	/* ORCON: the originator's approval. */
	{ NULL, "us-secret", "C|ORCON", W, "approval" },
	{ NULL, "us-top-secret", "C|ORCON", R, "cleared" },
	{ NULL, "adhoc:CONFIDENTIAL:USA:ORCON", "C|ORCON", R, "cleared" },
	/* Not for the public. */
	{ NULL, "public", "U|FOUO", W, "not-public" },
	{ NULL, "us-official", "U|FOUO", R, "cleared" },
	{ NULL, "public", "U|SBU", W, "not-public" },
	{ NULL, "us-official", "SBU|SBU", R, "cleared" },
	/* Distribution captions and what they imply; no-effect markers. */
	{ NULL, "us-secret", "S|NODIS", W, "approval" },
	{ NULL, "us-top-secret", "S|NODIS", R, "cleared" },
	{ NULL, "adhoc:TOP SECRET:GBR:NODIS", "S|NODIS", W, "nationals-only" },
	{ NULL, "us-secret", "S|SIPDIS", R, "cleared" },
	/* Unknown and untrustworthy markings. */
	{ NULL, "us-top-secret", "S|XYZZY", W, "control-unknown" },
	{ NULL, "us-top-secret", "TS|SI-ABC", W, "control-unknown" },
	{ NULL, "us-top-secret", "S|||XYZZY", W, "token-unknown" },
	{ NULL, "us-top-secret", "Q", W, "level-unknown" },
	{ NULL, "us-top-secret", "R", W, "level-unknown" },
	{ NULL, "us-top-secret", "!S", W, "mark-malformed" },
	{ NULL, "us-top-secret", "#U", W, "mark-malformed" },
	/* Unmarked text takes the document's marking (here TOP SECRET). */
	{ NULL, "us-top-secret", "-", R, "cleared" },
	{ NULL, "us-secret", "-", W, "clearance" },
	/* SCI: every compartment (capco). */
	{ "capco", "us-ts-sci", "TS|SI,NOFORN", R, "cleared" },
	{ "capco", "us-top-secret", "TS|SI,NOFORN", W, "access" },
	{ "capco", "aus-ts-si", "TS|SI,NOFORN", W, "nationals-only" },
	{ "capco", "aus-ts-si", "TS|SI|USA,AUS", R, "cleared" },
	{ "capco", "aus-ts-si", "TS|SI,TK|USA,AUS", W, "access" },
	{ "capco", "us-ts-sci", "TS|SI,TK|USA,AUS", R, "cleared" },
	{ "capco", "us-ts-sci", "TS|SI-G", R, "cleared" },
	{ "capco", "aus-ts-si", "TS|SI-G|USA,FVEY", W, "access" },
	{ "capco", "adhoc:TS:AUS:SI,SI-G", "TS|SI-G|USA,FVEY", R, "cleared" },
	{ "capco", "gbr-secret", "S||USA,GBR", R, "cleared" },
	{ "capco", "gbr-secret", "S||USA,ACGU", R, "cleared" },
	{ "capco", "gbr-secret", "S|ORCON|USA,GBR", W, "approval" },
	{ "capco", "us-ts-sci", "S|ORCON", R, "cleared" },
	{ "capco", "public", "U|FOUO", W, "not-public" },
	{ "capco", "public", "U", R, "cleared" },
	{ "capco", "us-secret", "TS", W, "clearance" },
	/* UK: new scheme, old levels mapped onto it, UK EYES ONLY. */
	{ "uk-gsc", "public", "OFFICIAL", R, "cleared" },
	{ "uk-gsc", "public", "OFFICIAL-SENSITIVE", W, "clearance" },
	{ "uk-gsc", "gbr-official", "RESTRICTED", R, "cleared" },
	{ "uk-gsc", "public", "PROTECT", R, "cleared" },
	{ "uk-gsc", "gbr-official", "CONFIDENTIAL", W, "clearance" },
	{ "uk-gsc", "gbr-secret", "CONFIDENTIAL", R, "cleared" },
	{ "uk-gsc", "usa-secret", "SECRET|UK EYES ONLY", W, "nationals-only" },
	{ "uk-gsc", "gbr-secret", "SECRET|UK EYES ONLY", R, "cleared" },
	{ "uk-gsc", "gbr-official", "OS|PERSONAL", R, "cleared" },
	{ "uk-gsc", "usa-secret", "S||FVEY", R, "cleared" },
	{ "uk-gsc", "usa-secret", "S||AUS", W, "rel-to" },
	{ "uk-gsc", "usa-secret", "S|SAR-BP", W, "control-unknown" },
	{ "uk-gsc", "usa-secret", "S", W, "foreign-disclosure" },
};

START_TEST(decision_table)
{
	const row *t = &table[_i];
	tl_policy *pol = policy(t->policy);
	tl_reader r = reader(pol, t->reader);
	tl_docinfo doc = document("TS", NULL);
	tl_portion p = portion(t->mark);
	tl_docdecision dd;
	tl_decision dec;
	tl_verdict v;

	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	v = tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_msg(v == t->want && dec.verdict == v &&
	    strcmp(dec.rule, t->rule) == 0,
	    "%s / %s / (%s): got %s [%s] %s, want %s [%s]",
	    t->policy ? t->policy : "builtin", t->reader, t->mark,
	    v == TL_RELEASE ? "release" : "withhold", dec.rule, dec.reason,
	    t->want == TL_RELEASE ? "release" : "withhold", t->rule);
	ck_assert(dec.reason[0] != '\0');
	if (v == TL_RELEASE)
		ck_assert_str_eq(dec.exemption, "");
	tl_policy_free(pol);
}
END_TEST

START_TEST(reasons_name_the_failed_condition)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("TS", NULL);
	tl_docdecision dd;
	tl_decision dec;
	tl_reader r;
	tl_portion p;

	r = reader(pol, "gbr-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	p = portion("C|NOFORN");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "NOFORN: for nationals of USA only; "
	    "reader is GBR");
	ck_assert_str_eq(dec.exemption, "(b)(1)");
	ck_assert_uint_eq(dec.rank, 3);
	p = portion("S||USA,AUS");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "REL TO USA, AUS: reader nationality GBR "
	    "is not listed, nor a group holding it");

	r = reader(pol, "us-confidential");
	p = portion("S|NOFORN");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "portion is SECRET; reader is cleared "
	    "CONFIDENTIAL");
	p = portion("C");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "reader cleared CONFIDENTIAL for "
	    "CONFIDENTIAL; every control satisfied");

	r = reader(pol, "public");
	p = portion("U|FOUO");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "FOUO: not for the public");
	ck_assert_str_eq(dec.exemption, "(b)(2)"); /* the control's own */

	r = reader(pol, "adhoc:TOP SECRET:GBR:NODIS");
	p = portion("S|NODIS");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "NODIS implies NOFORN: for nationals of "
	    "USA only; reader is GBR");

	r = reader(pol, "us-top-secret");
	p = portion("!S/N F");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "mark 'S/N F' cannot be parsed");
	ck_assert_str_eq(dec.exemption, ""); /* us-cables names none */
	p = portion("-");
	tl_decide_document(pol, &r, &doc, &dd);
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "unmarked: takes the document's TOP "
	    "SECRET; reader cleared, every control satisfied");
	r = reader(pol, "us-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_str_eq(dec.reason, "unmarked, takes the document's TOP "
	    "SECRET: portion is TOP SECRET; reader is cleared SECRET");
	r = reader(pol, "us-top-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	p = portion("Q");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	ck_assert_ptr_nonnull(strstr(dec.reason, "level 'Q' is not defined"));
	ck_assert_uint_eq(dec.rank, 0);
	tl_policy_free(pol);
}
END_TEST

START_TEST(zeroed_and_null_withhold)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("U", NULL);
	tl_portion p = portion("U");
	tl_docdecision dd;
	tl_decision dec;
	tl_reader r;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(!dd.cleared);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	memset(&dec, 0xff, sizeof dec);
	ck_assert_int_eq(tl_decide_portion(NULL, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_int_eq(dec.verdict, TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_portion(pol, NULL, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_portion(pol, &r, NULL, &p, &dec), TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, NULL, &dec), TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, NULL), TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_document(pol, &r, NULL, &dd), TL_WITHHOLD);
	ck_assert_int_eq(dd.whole.verdict, TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_document(NULL, &r, &doc, &dd), TL_WITHHOLD);
	/* A reader filled by hand with a rank the policy lacks, and strings
	 * without their NUL: withheld, read within bounds. */
	memset(&r, 'A', sizeof r);
	r.rank = 99;
	r.naccess = 1000;
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_WITHHOLD);
	ck_assert_str_eq(dd.whole.rule, "clearance");
	r.rank = 5;
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p = portion("S|NOFORN");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "nationals-only");
	r.rank = 99;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	p = portion("U");
	/* A zeroed document decision withholds every portion. */
	memset(&dd, 0, sizeof dd);
	r = reader(pol, "us-top-secret");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	tl_policy_free(pol);
}
END_TEST

START_TEST(document_banner_read)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("SECRET", "NOFORN,SBU");
	tl_docdecision dd;
	tl_decision dec;
	tl_portion p = portion("U");
	tl_reader r;

	/* Banner NOFORN is a roll-up: portions still decide. */
	r = reader(pol, "gbr-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(dd.banner_read);
	ck_assert_uint_eq(dd.rank, 4);
	ck_assert(!dd.cleared);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	r = reader(pol, "us-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert(dd.cleared);
	r = reader(pol, "us-confidential");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(!dd.cleared);
	/* A spaced, damaged banner is read as written under us-cables... */
	doc.banner.damaged = true;
	doc.banner.spaced = true;
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(dd.banner_read);
	tl_policy_free(pol);
	/* ...and as the highest level under capco: what inherits it goes
	 * only to a reader cleared for that; marked portions still decide. */
	pol = policy("capco");
	doc = document("SECRET", "NOFORN");
	doc.banner.damaged = true;
	r = reader(pol, "us-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_str_eq(dd.whole.reason, "damaged banner; portions decided "
	    "one by one");
	ck_assert_uint_eq(dd.rank, 4);
	ck_assert(!dd.cleared);
	ck_assert_str_eq(dd.unmarked.rule, "clearance");
	p = portion("-");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	p = portion("S");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	r = reader(pol, "us-top-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(dd.cleared);
	tl_policy_free(pol);
}
END_TEST

/* More controls than a marking holds: none is dropped in silence, and
 * the text that inherits the roll-up is withheld, even from a reader
 * cleared for everything. */
START_TEST(controls_overflow_withholds_unmarked)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("SECRET", NULL);
	tl_docdecision dd;
	tl_reader r;
	char name[16];
	int i;

	for (i = 0; i <= TL_MARK_CONTROLS_MAX; i++) {
		snprintf(name, sizeof name, "X%d", i);
		ck_assert(tl_marking_add_control(&doc.evidence, name) ==
		    (i < TL_MARK_CONTROLS_MAX));
	}
	ck_assert(doc.evidence.malformed);
	ck_assert_uint_eq(doc.evidence.ncontrols, TL_MARK_CONTROLS_MAX);
	r = reader(pol, "us-top-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(dd.unmarked.verdict, TL_WITHHOLD);
	ck_assert_str_eq(dd.unmarked.rule, "document-banner");
	tl_policy_free(pol);
}
END_TEST

START_TEST(document_banner_missing_or_unreadable)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document(NULL, NULL);
	tl_portion p = portion("U");
	tl_docdecision dd;
	tl_decision dec;
	tl_reader r;

	/* No banner: the document is TOP SECRET//NOFORN by default.  A
	 * marked portion is still decided by its own mark; unmarked text
	 * goes only to a national cleared for the highest level. */
	r = reader(pol, "us-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_str_eq(dd.whole.reason, "no banner; portions decided one by "
	    "one");
	ck_assert_uint_eq(dd.rank, 5);
	ck_assert(tl_marking_has(&dd.marking, "NOFORN"));
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p = portion("-");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	ck_assert_ptr_nonnull(strstr(dec.reason, "banner not read"));
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_HEADER, &dec),
	    TL_RELEASE); /* header: keep */
	r = reader(pol, "us-top-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	/* Not to a foreign reader: NOFORN. */
	r = reader(pol, "gbr-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	/* Every control seen anywhere binds the text that inherits. */
	doc.evidence.level = TL_LEVEL_SECRET;
	SET(doc.evidence.level_token, "S");
	doc.evidence.ncontrols = 1;
	SET(doc.evidence.controls[0], "ORCON");
	r = reader(pol, "us-top-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_uint_eq(dd.rank, 5);
	ck_assert(tl_marking_has(&dd.marking, "ORCON"));
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	r = reader(pol, "us-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);

	/* No banner but a routing class: the highest level of that route. */
	doc = document(NULL, NULL);
	doc.routing.line = 3;
	SET(doc.routing.letters, "CCCCC");
	r = reader(pol, "us-confidential");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_uint_eq(dd.rank, 3);
	ck_assert(dd.cleared);
	SET(doc.routing.letters, "UUUUU"); /* SBU travels unclassified */
	r = reader(pol, "public");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_uint_eq(dd.rank, 2);
	ck_assert(!dd.cleared);

	/* A banner that cannot be read: malformed, or a level unknown. */
	doc = document("SECRET", NULL);
	doc.banner.marking.malformed = true;
	r = reader(pol, "us-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_str_eq(dd.whole.reason, "banner cannot be read; portions "
	    "decided one by one");
	ck_assert(!dd.banner_read);
	ck_assert(!dd.cleared);
	doc = document("COSMIC", NULL);
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert(!dd.cleared);
	r = reader(pol, "us-top-secret");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert(dd.cleared);
	tl_policy_free(pol);
}
END_TEST

START_TEST(document_scope_and_unknown_banner_controls)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("SECRET", "NODIS");
	tl_portion p = portion("U");
	tl_docdecision dd;
	tl_decision dec;
	tl_reader r;

	/* NODIS on the banner binds every portion. */
	r = reader(pol, "us-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_WITHHOLD);
	ck_assert_str_eq(dd.whole.rule, "approval");
	ck_assert_str_eq(dd.whole.reason, "banner NODIS: reader lacks the "
	    "originator's approval NODIS");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "approval");
	r = reader(pol, "us-top-secret");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	/* A control the policy does not know, on the banner: it withholds
	 * what inherits the banner, not the marked portions. */
	doc = document("SECRET", "NOFORN,BOGUS");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_str_eq(dd.unmarked.rule, "control-unknown");
	ck_assert_ptr_nonnull(strstr(dd.unmarked.reason, "'BOGUS'"));
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p = portion("-");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "control-unknown");
	doc = document("SECRET", NULL);
	doc.banner.marking.nunknown = 1;
	SET(doc.banner.marking.unknown[0], "ZZZ");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert_str_eq(dd.unmarked.rule, "token-unknown");
	p = portion("C");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	/* The controls the parser puts on cable banners are all known. */
	doc = document("SECRET", "NOFORN,SBU,ORCON,PROPIN,NOCONTRACT,LIMDIS,"
	    "EXDIS");
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	tl_policy_free(pol);
}
END_TEST

static const char custom[] =
    "tearline-policy: 1\n"
    "name: custom\n"
    "levels:\n"
    "  - {name: UNCLASSIFIED, aliases: [U]}\n"
    "  - {name: CONFIDENTIAL, aliases: [C]}\n"
    "  - {name: SECRET, aliases: [S]}\n"
    "  - {name: TOP SECRET, aliases: [TS]}\n"
    "controls:\n"
    "  - {name: NOFORN, aliases: [NF], effect: nationals-only, "
    "countries: [USA]}\n"
    "readers:\n"
    "  - {name: c, clearance: C, nationality: USA}\n"
    "  - {name: s, clearance: S, nationality: USA}\n"
    "  - {name: s-gbr, clearance: S, nationality: GBR}\n"
    "  - {name: ts, clearance: TS, nationality: USA}\n"
    "handling:\n"
    "  unmarked: banner\n"
    "  unknown-level: highest\n"
    "  unknown-control: ignore\n"
    "  unknown-token: ignore\n"
    "  missing-banner: portions\n"
    "  header: document\n"
    "  authority: withhold\n"
    "  tags: keep\n"
    "  subject: withhold\n";

/* A mark buried in the portion's text decides it at the most restrictive
 * of its marks; an unreadable one withholds it; a policy that trusts
 * lead marks decides by the lead mark alone. */
START_TEST(buried_marks)
{
	tl_policy *pol = policy_text(custom), *trust;
	tl_docinfo doc = document("SECRET", "NOFORN");
	tl_docdecision dd;
	tl_decision dec;
	tl_portion p = portion("C"), b = portion("S|NOFORN");
	tl_reader r = reader(pol, "c");
	char yaml[sizeof custom + 64];

	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p.nburied = 1;
	p.buried = b.marking;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	ck_assert_ptr_nonnull(strstr(dec.reason, "buried mark"));
	/* NOFORN of the buried mark binds a cleared foreign reader. */
	r = reader(pol, "s-gbr");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	r = reader(pol, "s");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p.buried.malformed = true;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "mark-buried");
	/* handling.buried-marks: trust-lead */
	snprintf(yaml, sizeof yaml, "%s  buried-marks: trust-lead\n", custom);
	trust = policy_text(yaml);
	r = reader(trust, "c");
	tl_decide_document(trust, &r, &doc, &dd);
	p.buried.malformed = false;
	ck_assert_int_eq(tl_decide_portion(trust, &r, &dd, &p, &dec), TL_RELEASE);
	tl_policy_free(trust);
	tl_policy_free(pol);
}
END_TEST

START_TEST(handling_choices)
{
	tl_policy *pol = policy_text(custom);
	tl_docinfo doc = document("SECRET", "NOFORN");
	tl_docdecision dd;
	tl_decision dec;
	tl_portion p;
	tl_reader r;

	/* Unmarked portions take the banner's marking. */
	p = portion("-");
	r = reader(pol, "s");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	ck_assert_ptr_nonnull(strstr(dec.reason, "takes the document's SECRET"));
	r = reader(pol, "c");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	r = reader(pol, "s-gbr");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "nationals-only");
	/* Parts: header by the document, authority withheld, TAGS kept. */
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_HEADER, &dec),
	    TL_WITHHOLD);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_TAGS, &dec),
	    TL_RELEASE);
	r = reader(pol, "s");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_HEADER, &dec),
	    TL_RELEASE);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_AUTHORITY, &dec),
	    TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "part");
	/* The subject is withheld even when marked. */
	p = portion("U");
	p.kind = TL_PORTION_SUBJECT;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.reason, "subject line: withheld by policy");
	/* Unknown levels rank as the highest; unknown markings ignored. */
	p = portion("Q|BOGUS||ZZZ");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	r = reader(pol, "ts");
	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	/* Still: a malformed mark withholds whatever the policy says. */
	p = portion("!TS");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	/* No banner: portions alone; unmarked ones have nothing to take. */
	doc = document(NULL, NULL);
	ck_assert_int_eq(tl_decide_document(pol, &r, &doc, &dd), TL_RELEASE);
	ck_assert(!dd.banner_read);
	p = portion("S");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	p = portion("-");
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_ptr_nonnull(strstr(dec.reason, "no banner: the document's "
	    "level is unknown"));
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_HEADER, &dec),
	    TL_WITHHOLD);
	tl_policy_free(pol);
}
END_TEST

START_TEST(us_cables_parts_and_subject)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("CONFIDENTIAL", "NOFORN");
	tl_docdecision dd;
	tl_decision dec;
	tl_portion p;
	tl_reader r = reader(pol, "public");

	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_HEADER, &dec),
	    TL_RELEASE);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_TAGS, &dec),
	    TL_RELEASE);
	/* The subject is decided as a portion. */
	p = portion("C");
	p.kind = TL_PORTION_SUBJECT;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	ck_assert_str_eq(dec.rule, "clearance");
	p = portion("U");
	p.kind = TL_PORTION_SUBJECT;
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_RELEASE);
	ck_assert_int_eq(tl_decide_part(pol, &dd, TL_PART_SUBJECT, &dec),
	    TL_WITHHOLD);
	tl_policy_free(pol);
}
END_TEST

/* The redaction writer's use: a placeholder for a real decision. */
START_TEST(placeholder_for_a_decision)
{
	tl_policy *pol = policy("capco");
	tl_docinfo doc = document("TS", "SI");
	tl_portion p = portion("TS|SI,NOFORN");
	tl_docdecision dd;
	tl_decision dec;
	tl_reader r = reader(pol, "aus-ts-si");
	char out[300];

	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decide_portion(pol, &r, &dd, &p, &dec), TL_WITHHOLD);
	tl_policy_placeholder(pol, &p, &dec, out, sizeof out);
	ck_assert_str_eq(out, "1. (TS|SI,NOFORN) [portion 1 withheld, (b)(1): "
	    "NOFORN: for nationals of USA only; reader is AUS]");
	tl_policy_free(pol);
}
END_TEST

static tl_status
to_buf(void *ctx, const char *bytes, size_t len)
{
	char *s = ctx;
	size_t have = strlen(s);

	ck_assert_uint_lt(have + len, 1024);
	memcpy(s + have, bytes, len);
	s[have + len] = '\0';
	return TL_OK;
}

START_TEST(decisions_as_json)
{
	tl_policy *pol = policy(NULL);
	tl_docinfo doc = document("SECRET", "NOFORN");
	tl_portion p = portion("C|NOFORN");
	tl_reader r = reader(pol, "gbr-secret");
	tl_docdecision dd;
	tl_decision dec;
	char out[1024] = "";

	tl_decide_document(pol, &r, &doc, &dd);
	ck_assert_int_eq(tl_decision_write_json("c.txt", &doc, NULL, &dd.whole,
	    to_buf, out), TL_OK);
	ck_assert_str_eq(out, "{\"type\":\"document\",\"file\":\"c.txt\","
	    "\"line\":5,\"marking\":\"SECRET//NOFORN\",\"decision\":"
	    "\"release\",\"rule\":\"cleared\",\"reason\":\"banner SECRET "
	    "read; portions decided one by one\",\"exemption\":\"\"}\n");
	tl_decide_portion(pol, &r, &dd, &p, &dec);
	out[0] = '\0';
	ck_assert_int_eq(tl_decision_write_json("c.txt", &doc, &p, &dec, to_buf,
	    out), TL_OK);
	ck_assert_str_eq(out, "{\"type\":\"portion\",\"file\":\"c.txt\","
	    "\"line\":10,\"portion\":1,\"kind\":\"paragraph\",\"marking\":"
	    "\"C|NOFORN\",\"decision\":\"withhold\",\"rule\":"
	    "\"nationals-only\",\"reason\":\"NOFORN: for nationals of USA "
	    "only; reader is GBR\",\"exemption\":\"(b)(1)\"}\n");
	/* Bytes of the input that are not UTF-8, quotes, control
	 * characters: still one valid line.  Unmarked: null. */
	SET(p.mark_text, "S\"\xff\t");
	out[0] = '\0';
	tl_decision_write_json("a\\b", &doc, &p, &dec, to_buf, out);
	ck_assert_ptr_nonnull(strstr(out, "\"file\":\"a\\\\b\""));
	ck_assert_ptr_nonnull(strstr(out, "\"marking\":\"S\\\"\xef\xbf\xbd\\t\""));
	p.marked = false;
	out[0] = '\0';
	tl_decision_write_json("c.txt", &doc, &p, &dec, to_buf, out);
	ck_assert_ptr_nonnull(strstr(out, "\"marking\":null,"));
	doc = document(NULL, NULL);
	out[0] = '\0';
	tl_decision_write_json("c.txt", &doc, NULL, &dd.whole, to_buf, out);
	ck_assert_ptr_nonnull(strstr(out, "\"line\":0,\"marking\":null,"));
	ck_assert_int_eq(tl_decision_write_json("c.txt", NULL, NULL, &dec,
	    to_buf, out), TL_EUSAGE);
	tl_policy_free(pol);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("decide");
	TCase *tc = tcase_create("decide");

	tcase_add_loop_test(tc, decision_table, 0,
	    (int)(sizeof table / sizeof table[0]));
	tcase_add_test(tc, reasons_name_the_failed_condition);
	tcase_add_test(tc, zeroed_and_null_withhold);
	tcase_add_test(tc, document_banner_read);
	tcase_add_test(tc, document_banner_missing_or_unreadable);
	tcase_add_test(tc, document_scope_and_unknown_banner_controls);
	tcase_add_test(tc, buried_marks);
	tcase_add_test(tc, handling_choices);
	tcase_add_test(tc, us_cables_parts_and_subject);
	tcase_add_test(tc, placeholder_for_a_decision);
	tcase_add_test(tc, decisions_as_json);
	tcase_add_test(tc, controls_overflow_withholds_unmarked);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
