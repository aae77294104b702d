/*
 * test_mark.c: the marking grammar (tl_marking_parse, tl_marking_format)
 * on every form of markings.md, malformed and look-alike marks, country
 * lookups, and random input that must neither crash nor break invariants.
 */
#include "tlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one mark must parse to.  Lists are comma-joined, "" when empty. */
typedef struct mcase {
	const char *in;
	tl_status status;
	tl_level level;
	const char *token;    /* level_token */
	const char *controls; /* canonical, written order */
	const char *rel;      /* NULL: no REL list; else its codes */
	bool rel_to_form;
	const char *unknown;
	bool malformed;
	const char *format;   /* tl_marking_format of the result */
} mcase;

static void
join(char *buf, size_t size, unsigned n, const char *items, size_t stride)
{
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, items + i * stride, size - strlen(buf) - 1);
	}
}

/* Parses c->in from an exact-size heap copy (ASan sees any over-read)
 * and checks every field. */
static void
check_case(const mcase *c)
{
	tl_marking m;
	char why[160], got[512], out[256];
	size_t len = strlen(c->in);
	char *copy = malloc(len ? len : 1);
	tl_status st;

	ck_assert(copy != NULL);
	memcpy(copy, c->in, len);
	st = tl_marking_parse(copy, len, &m, why, sizeof why);
	free(copy);
	ck_assert_msg(st == c->status, "\"%s\": status %d, want %d (%s)",
	    c->in, st, c->status, why);
	ck_assert_msg(m.level == c->level, "\"%s\": level %s, want %s", c->in,
	    tl_level_name(m.level), tl_level_name(c->level));
	ck_assert_msg(strcmp(m.level_token, c->token) == 0,
	    "\"%s\": level_token \"%s\", want \"%s\"", c->in, m.level_token,
	    c->token);
	join(got, sizeof got, m.ncontrols, m.controls[0], sizeof m.controls[0]);
	ck_assert_msg(strcmp(got, c->controls) == 0,
	    "\"%s\": controls \"%s\", want \"%s\"", c->in, got, c->controls);
	ck_assert_msg(m.rel_to == (c->rel != NULL), "\"%s\": rel_to %d",
	    c->in, m.rel_to);
	ck_assert_msg(m.rel_to_form == c->rel_to_form, "\"%s\": rel_to_form %d",
	    c->in, m.rel_to_form);
	join(got, sizeof got, m.nrel, m.rel[0], sizeof m.rel[0]);
	ck_assert_msg(strcmp(got, c->rel ? c->rel : "") == 0,
	    "\"%s\": rel \"%s\", want \"%s\"", c->in, got, c->rel);
	join(got, sizeof got, m.nunknown, m.unknown[0], sizeof m.unknown[0]);
	ck_assert_msg(strcmp(got, c->unknown) == 0,
	    "\"%s\": unknown \"%s\", want \"%s\"", c->in, got, c->unknown);
	ck_assert_msg(m.malformed == c->malformed, "\"%s\": malformed %d (%s)",
	    c->in, m.malformed, why);
	ck_assert_msg((st == TL_OK) == (why[0] == '\0'),
	    "\"%s\": why \"%s\" with status %d", c->in, why, st);
	tl_marking_format(&m, out, sizeof out);
	ck_assert_msg(strcmp(out, c->format) == 0,
	    "\"%s\": format \"%s\", want \"%s\"", c->in, out, c->format);
}

#define U TL_LEVEL_UNCLASSIFIED
#define C TL_LEVEL_CONFIDENTIAL
#define S TL_LEVEL_SECRET
#define TS TL_LEVEL_TOP_SECRET
#define UNK TL_LEVEL_UNKNOWN

/* The "Portion marks seen in real cables" and modern CAPCO forms of
 * markings.md. */
static const mcase seen[] = {
	{ "C", TL_OK, C, "C", "", NULL, false, "", false, "CONFIDENTIAL" },
	{ "S", TL_OK, S, "S", "", NULL, false, "", false, "SECRET" },
	{ "SBU", TL_OK, U, "SBU", "SBU", NULL, false, "", false,
	    "UNCLASSIFIED//SBU" },
	{ "S/NF", TL_OK, S, "S", "NOFORN", NULL, false, "", false,
	    "SECRET//NOFORN" },
	{ "U", TL_OK, U, "U", "", NULL, false, "", false, "UNCLASSIFIED" },
	{ "C/NF", TL_OK, C, "C", "NOFORN", NULL, false, "", false,
	    "CONFIDENTIAL//NOFORN" },
	{ "S//NF", TL_OK, S, "S", "NOFORN", NULL, false, "", false,
	    "SECRET//NOFORN" },
	{ "C//NF", TL_OK, C, "C", "NOFORN", NULL, false, "", false,
	    "CONFIDENTIAL//NOFORN" },
	{ "S/REL UK", TL_OK, S, "S", "", "GBR", false, "", false,
	    "SECRET//REL TO USA, GBR" },
	{ "S//REL TO USA, FVEY", TL_OK, S, "S", "", "USA,FVEY", true, "",
	    false, "SECRET//REL TO USA, FVEY" },
	{ "C/REL LIBYA", TL_OK, C, "C", "", "LBY", false, "", false,
	    "CONFIDENTIAL//REL TO USA, LBY" },
	{ "U//FOUO", TL_OK, U, "U", "FOUO", NULL, false, "", false,
	    "UNCLASSIFIED//FOUO" },
	{ "SBU/NF", TL_OK, U, "SBU", "SBU,NOFORN", NULL, false, "", false,
	    "UNCLASSIFIED//NOFORN//SBU" },
	{ "SBU/N", TL_OK, U, "SBU", "SBU,NOFORN", NULL, false, "", false,
	    "UNCLASSIFIED//NOFORN//SBU" },
	{ "S//FGI//NF", TL_OK, S, "S", "FGI,NOFORN", NULL, false, "", false,
	    "SECRET//FGI//NOFORN" },
	{ "C NF", TL_OK, C, "C", "NOFORN", NULL, false, "", false,
	    "CONFIDENTIAL//NOFORN" },
	{ "C/NOFORN", TL_OK, C, "C", "NOFORN", NULL, false, "", false,
	    "CONFIDENTIAL//NOFORN" },
	{ "S-NF", TL_OK, S, "S", "NOFORN", NULL, false, "", false,
	    "SECRET//NOFORN" },
	{ "c", TL_OK, C, "C", "", NULL, false, "", false, "CONFIDENTIAL" },
	{ "s/nf", TL_OK, S, "S", "NOFORN", NULL, false, "", false,
	    "SECRET//NOFORN" },
	{ "S/Rel UK", TL_OK, S, "S", "", "GBR", false, "", false,
	    "SECRET//REL TO USA, GBR" },
	{ "SECRET//REL GERMANY", TL_OK, S, "SECRET", "", "DEU", false, "",
	    false, "SECRET//REL TO USA, DEU" },
	{ " C ", TL_OK, C, "C", "", NULL, false, "", false, "CONFIDENTIAL" },
	{ "S/REL FRANCE, BRITAIN, TURKEY, SAUDI ARABIA, JORDAN, AND QATAR",
	    TL_OK, S, "S", "", "FRA,GBR,TUR,SAU,JOR,QAT", false, "", false,
	    "SECRET//REL TO USA, FRA, GBR, JOR, QAT, SAU, TUR" },
	{ "S//REL TO USA, GBR", TL_OK, S, "S", "", "USA,GBR", true, "", false,
	    "SECRET//REL TO USA, GBR" },
	{ "TS//SI//NF", TL_OK, TS, "TS", "SI,NOFORN", NULL, false, "", false,
	    "TOP SECRET//SI//NOFORN" },
	{ "TS//SI-G//OC/NF", TL_OK, TS, "TS", "SI-G,ORCON,NOFORN", NULL,
	    false, "", false, "TOP SECRET//SI-G//ORCON/NOFORN" },
	{ "TOP SECRET//SI//NOFORN", TL_OK, TS, "TOPSECRET", "SI,NOFORN", NULL,
	    false, "", false, "TOP SECRET//SI//NOFORN" },
	{ "SECRET//NOFORN", TL_OK, S, "SECRET", "NOFORN", NULL, false, "",
	    false, "SECRET//NOFORN" },
};

/* Case, spacing, separators, long and spelled-out forms, UK levels. */
static const mcase variants[] = {
	{ "  s  /  rel  to  usa ,  gbr  ", TL_OK, S, "S", "", "USA,GBR", true,
	    "", false, "SECRET//REL TO USA, GBR" },
	{ "\tc\t//\tnf", TL_OK, C, "C", "NOFORN", NULL, false, "", false,
	    "CONFIDENTIAL//NOFORN" },
	{ "Secret//NoForn", TL_OK, S, "SECRET", "NOFORN", NULL, false, "",
	    false, "SECRET//NOFORN" },
	{ "S - NF", TL_OK, S, "S", "NOFORN", NULL, false, "", false,
	    "SECRET//NOFORN" },
	{ "TOP SECRET-NF", TL_OK, TS, "TOPSECRET", "NOFORN", NULL, false, "",
	    false, "TOP SECRET//NOFORN" },
	{ "SECRET NOFORN", TL_OK, S, "SECRET", "NOFORN", NULL, false, "",
	    false, "SECRET//NOFORN" },
	{ "UNCLAS", TL_OK, U, "UNCLAS", "", NULL, false, "", false,
	    "UNCLASSIFIED" },
	{ "S E C R E T", TL_OK, S, "SECRET", "", NULL, false, "", false,
	    "SECRET" },
	{ "C O N F I D E N T I A L//NOFORN", TL_OK, C, "CONFIDENTIAL",
	    "NOFORN", NULL, false, "", false, "CONFIDENTIAL//NOFORN" },
	{ "SENSITIVE BUT UNCLASSIFIED", TL_OK, U, "SENSITIVEBUTUNCLASSIFIED",
	    "SBU", NULL, false, "", false, "UNCLASSIFIED//SBU" },
	{ "LIMITED OFFICIAL USE", TL_OK, U, "LIMITEDOFFICIALUSE", "LOU", NULL,
	    false, "", false, "UNCLASSIFIED//LOU" },
	{ "OFFICIAL", TL_OK, TL_LEVEL_OFFICIAL, "OFFICIAL", "", NULL, false,
	    "", false, "OFFICIAL" },
	{ "OFFICIAL-SENSITIVE", TL_OK, TL_LEVEL_OFFICIAL_SENSITIVE,
	    "OFFICIAL-SENSITIVE", "", NULL, false, "", false,
	    "OFFICIAL-SENSITIVE" },
	{ "official sensitive//uk eyes only", TL_OK,
	    TL_LEVEL_OFFICIAL_SENSITIVE, "OFFICIALSENSITIVE", "UK EYES ONLY",
	    NULL, false, "", false, "OFFICIAL-SENSITIVE//UK EYES ONLY" },
	{ "OFFICIAL//SENSITIVE", TL_OK, TL_LEVEL_OFFICIAL, "OFFICIAL",
	    "SENSITIVE", NULL, false, "", false, "OFFICIAL//SENSITIVE" },
	{ "SECRET//BRITAIN EYES ONLY", TL_OK, S, "SECRET", "UK EYES ONLY",
	    NULL, false, "", false, "SECRET//UK EYES ONLY" },
	{ "S//AUS EYES ONLY", TL_OK, S, "S", "AUS EYES ONLY", NULL, false, "",
	    false, "SECRET//AUS EYES ONLY" },
	{ "R", TL_OK, TL_LEVEL_RESTRICTED, "R", "", NULL, false, "", false,
	    "RESTRICTED" },
	{ "PROTECT", TL_OK, TL_LEVEL_PROTECT, "PROTECT", "", NULL, false, "",
	    false, "PROTECT" },
	{ "U//NOT RELEASABLE TO FOREIGN NATIONALS", TL_OK, U, "U", "NOFORN",
	    NULL, false, "", false, "UNCLASSIFIED//NOFORN" },
	/* Duplicates are kept as written (audit reports them), formatted
	 * once. */
	{ "S/NF/NOFORN", TL_OK, S, "S", "NOFORN,NOFORN", NULL, false, "",
	    false, "SECRET//NOFORN" },
	/* CAPCO order: SCI alphabetical, "/" within a category. */
	{ "TS//TK/HCS/SI//REL TO GBR//NF//NODIS/SBU", TL_OK, TS, "TS",
	    "TK,HCS,SI,NOFORN,NODIS,SBU", "GBR", true, "", false,
	    "TOP SECRET//HCS/SI/TK//NOFORN/REL TO USA, GBR//NODIS/SBU" },
	{ "S//REL TO NZL, FVEY, DEU, USA, AUS, NATO", TL_OK, S, "S", "",
	    "NZL,FVEY,DEU,USA,AUS,NATO", true, "", false,
	    "SECRET//REL TO USA, AUS, DEU, NZL, FVEY, NATO" },
	{ "S//REL TO USA, GBR, GBR", TL_OK, S, "S", "", "USA,GBR,GBR", true,
	    "", false, "SECRET//REL TO USA, GBR" },
	{ "S/REL UK AND US", TL_OK, S, "S", "", "GBR,USA", false, "", false,
	    "SECRET//REL TO USA, GBR" },
	{ "S/REL USA GBR", TL_OK, S, "S", "", "USA,GBR", false, "", false,
	    "SECRET//REL TO USA, GBR" },
	{ "S/REL UNITED KINGDOM, NEW ZEALAND", TL_OK, S, "S", "", "GBR,NZL",
	    false, "", false, "SECRET//REL TO USA, GBR, NZL" },
	/* An AND inside a country name stays in it. */
	{ "S/REL TRINIDAD AND TOBAGO AND BOSNIA AND HERZEGOVINA", TL_OK, S,
	    "S", "", "TTO,BIH", false, "", false,
	    "SECRET//REL TO USA, BIH, TTO" },
	/* AND alone is Andorra's trigraph. */
	{ "S//REL TO USA, AND", TL_OK, S, "S", "", "USA,AND", true, "", false,
	    "SECRET//REL TO USA, AND" },
	/* "TO" is the keyword; a second TO is Tonga. */
	{ "S//REL TO TO", TL_OK, S, "S", "", "TON", true, "", false,
	    "SECRET//REL TO USA, TON" },
	{ "S//NF/REL TO USA, GBR//ORCON", TL_OK, S, "S", "NOFORN,ORCON",
	    "USA,GBR", true, "", false,
	    "SECRET//ORCON/NOFORN/REL TO USA, GBR" },
};

/* Malformed marks and look-alikes: all must fail closed. */
static const mcase broken[] = {
	{ "", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	{ "   ", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	{ "//", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	{ "SNF", TL_ESYNTAX, UNK, "SNF", "", NULL, false, "", true,
	    "UNKNOWN" },
	{ "N/SF", TL_ESYNTAX, UNK, "N", "", NULL, false, "SF", true,
	    "UNKNOWN" },
	{ "/Rel UK", TL_ESYNTAX, UNK, "", "", "GBR", false, "", true,
	    "UNKNOWN//REL TO USA, GBR" },
	{ "S//REL", TL_ESYNTAX, S, "S", "", "", false, "", true,
	    "SECRET//REL TO USA" },
	{ "S//REL TO", TL_ESYNTAX, S, "S", "", "", true, "", true,
	    "SECRET//REL TO USA" },
	{ "S//", TL_ESYNTAX, S, "S", "", NULL, false, "", true, "SECRET" },
	{ "S///NF", TL_ESYNTAX, S, "S", "NOFORN", NULL, false, "", true,
	    "SECRET//NOFORN" },
	{ "S-", TL_ESYNTAX, S, "S", "", NULL, false, "", true, "SECRET" },
	{ "C, NF", TL_ESYNTAX, C, "C", "NOFORN", NULL, false, "", true,
	    "CONFIDENTIAL//NOFORN" },
	{ "S//REL TO USA,, GBR", TL_ESYNTAX, S, "S", "", "USA,GBR", true, "",
	    true, "SECRET//REL TO USA, GBR" },
	{ "S//REL TO USA, GBR,", TL_ESYNTAX, S, "S", "", "USA,GBR", true, "",
	    true, "SECRET//REL TO USA, GBR" },
	{ "S/REL JORDAN AND", TL_ESYNTAX, S, "S", "", "JOR", false, "", true,
	    "SECRET//REL TO USA, JOR" },
	{ "S//REL TO USA//REL TO GBR", TL_ESYNTAX, S, "S", "", "USA,GBR", true,
	    "", true, "SECRET//REL TO USA, GBR" },
	/* Look-alikes: an office symbol, reason letters. */
	{ "S/CT", TL_ESYNTAX, S, "S", "", NULL, false, "CT", false,
	    "SECRET" },
	{ "B/D", TL_ESYNTAX, UNK, "B", "", NULL, false, "D", true,
	    "UNKNOWN" },
	{ "1.4", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	{ "C)", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	/* NF is Norfolk Island's code and NOFORN: never read as a country. */
	{ "S/REL UK, NF", TL_ESYNTAX, S, "S", "", "GBR", false, "", true,
	    "SECRET//REL TO USA, GBR" },
	{ "S/REL UK NF", TL_ESYNTAX, S, "S", "", "", false, "UK NF", false,
	    "SECRET//REL TO USA" },
	{ "S//REL TO USA, GBR NOFORN", TL_ESYNTAX, S, "S", "", "USA,GBR", true,
	    "NOFORN", false, "SECRET//REL TO USA, GBR" },
	{ "S//REL TO USA, ENGLAND", TL_ESYNTAX, S, "S", "", "USA", true,
	    "ENGLAND", false, "SECRET//REL TO USA" },
	{ "S/REL SAUDI ARABIAA, QATAR", TL_ESYNTAX, S, "S", "", "QAT", false,
	    "SAUDI ARABIAA", false, "SECRET//REL TO USA, QAT" },
	{ "X NF", TL_ESYNTAX, UNK, "X", "NOFORN", NULL, false, "", true,
	    "UNKNOWN//NOFORN" },
	{ "S//EYES ONLY", TL_ESYNTAX, S, "S", "", NULL, false, "EYES,ONLY",
	    false, "SECRET" },
	/* Five unknown tokens: four kept, then malformed. */
	{ "S/A/B/C/D/E", TL_ESYNTAX, S, "S", "", NULL, false, "A,B,C,D", true,
	    "SECRET" },
};

START_TEST(t_seen)
{
	check_case(&seen[_i]);
}
END_TEST

START_TEST(t_variants)
{
	check_case(&variants[_i]);
}
END_TEST

START_TEST(t_broken)
{
	check_case(&broken[_i]);
}
END_TEST

/* The reason given for a failure names the problem. */
START_TEST(t_why)
{
	static const struct {
		const char *in;
		const char *why;
	} w[] = {
		{ "S/CT", "unknown control \"CT\"" },
		{ "/Rel UK", "no classification level before \"/\"" },
		{ "SNF", "\"SNF\" is not a classification level" },
		{ "", "empty mark" },
		{ "S//REL", "REL without countries" },
		{ "S//REL TO", "REL TO without countries" },
		{ "S//REL TO USA, XYZ",
		    "unknown country \"XYZ\" in the REL TO list" },
		{ "S/REL UK, NF", "\"NF\" in the REL list is both a country "
		    "code and a control" },
		{ "S//NF.", "unexpected character \".\" in mark" },
		{ "S\x01", "unexpected byte 0x01 in mark" },
		{ "S//", "nothing after the last \"/\"" },
	};
	tl_marking m;
	char why[160];
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++) {
		ck_assert_int_eq(tl_marking_parse(w[i].in, strlen(w[i].in), &m,
		    why, sizeof why), TL_ESYNTAX);
		ck_assert_str_eq(why, w[i].why);
	}
	/* why may be NULL or tiny; it is always NUL-terminated. */
	ck_assert_int_eq(tl_marking_parse("S/CT", 4, &m, NULL, 0), TL_ESYNTAX);
	memset(why, 'x', sizeof why);
	ck_assert_int_eq(tl_marking_parse("S/CT", 4, &m, why, 5), TL_ESYNTAX);
	ck_assert_str_eq(why, "unkn");
	memset(why, 'x', sizeof why);
	ck_assert_int_eq(tl_marking_parse("S/NF", 4, &m, why, sizeof why),
	    TL_OK);
	ck_assert_str_eq(why, "");
}
END_TEST

/* len is honoured: bytes after it are never read, a NUL inside is junk. */
START_TEST(t_len)
{
	tl_marking m;

	ck_assert_int_eq(tl_marking_parse("S/NF garbage", 4, &m, NULL, 0),
	    TL_OK);
	ck_assert(tl_marking_has(&m, "NOFORN"));
	ck_assert_int_eq(tl_marking_parse("S\0NF", 4, &m, NULL, 0),
	    TL_ESYNTAX);
	ck_assert(m.malformed);
	ck_assert_int_eq(tl_marking_parse(NULL, 0, &m, NULL, 0), TL_ESYNTAX);
	ck_assert(m.malformed);
}
END_TEST

/* 1000-byte inputs: truncated tokens, full arrays, too many words. */
START_TEST(t_long)
{
	char in[1001], why[160];
	tl_marking m;
	size_t n;

	memset(in, 'A', 1000);
	ck_assert_int_eq(tl_marking_parse(in, 1000, &m, why, sizeof why),
	    TL_ESYNTAX);
	ck_assert(m.malformed);
	ck_assert_int_eq(m.level, TL_LEVEL_UNKNOWN);
	ck_assert_uint_eq(strlen(m.level_token), TL_TOKEN_MAX - 1);

	memcpy(in, "S//", 3);
	for (n = 3; n + 3 <= 1000; n += 3)
		memcpy(in + n, "NF/", 3);
	ck_assert_int_eq(tl_marking_parse(in, n - 1, &m, why, sizeof why),
	    TL_ESYNTAX);
	ck_assert(m.malformed);
	ck_assert_uint_eq(m.ncontrols, TL_MARK_CONTROLS_MAX);
	ck_assert_str_eq(why, "more than 12 controls");

	n = (size_t)snprintf(in, sizeof in, "S//REL TO USA");
	while (n + 5 < 1000)
		n += (size_t)snprintf(in + n, sizeof in - n, ", GBR");
	ck_assert_int_eq(tl_marking_parse(in, n, &m, why, sizeof why),
	    TL_ESYNTAX);
	ck_assert(m.malformed);
	ck_assert_uint_le(m.nrel, TL_MARK_REL_MAX);

	/* 33 countries in one list: one more than the array. */
	n = (size_t)snprintf(in, sizeof in, "S//REL TO USA");
	for (int i = 0; i < 32; i++)
		n += (size_t)snprintf(in + n, sizeof in - n, ", DEU");
	ck_assert_int_eq(tl_marking_parse(in, n, &m, why, sizeof why),
	    TL_ESYNTAX);
	ck_assert_uint_eq(m.nrel, TL_MARK_REL_MAX);
	ck_assert_str_eq(why, "more than 32 countries in the REL TO list");
}
END_TEST

/* Formatting: canonical strings, hand-built markings, snprintf contract. */
START_TEST(t_format)
{
	tl_marking m;
	char buf[128], small[8];
	size_t n;

	memset(&m, 0, sizeof m);
	ck_assert_uint_eq(tl_marking_format(&m, buf, sizeof buf), 7);
	ck_assert_str_eq(buf, "UNKNOWN");

	m.level = TL_LEVEL_SECRET;
	m.rel_to = true;
	m.nrel = 3;
	memcpy(m.rel[0], "NATO", 5);
	memcpy(m.rel[1], "GBR", 4);
	memcpy(m.rel[2], "AUS", 4);
	m.ncontrols = 1;
	memcpy(m.controls[0], "NOFORN", 7);
	n = tl_marking_format(&m, buf, sizeof buf);
	ck_assert_str_eq(buf, "SECRET//NOFORN/REL TO USA, AUS, GBR, NATO");
	ck_assert_uint_eq(n, strlen(buf));

	/* Truncation: same return value, NUL-terminated prefix. */
	memset(small, 'x', sizeof small);
	ck_assert_uint_eq(tl_marking_format(&m, small, sizeof small), n);
	ck_assert_str_eq(small, "SECRET/");
	ck_assert_uint_eq(tl_marking_format(&m, NULL, 0), n);
	small[0] = 'x';
	ck_assert_uint_eq(tl_marking_format(&m, small, 1), n);
	ck_assert_int_eq(small[0], '\0');

	/* Strings without a NUL and counts past the arrays stay in bounds. */
	memset(m.controls[0], 'Z', TL_TOKEN_MAX);
	m.ncontrols = 1000;
	m.nrel = 1000;
	n = tl_marking_format(&m, buf, sizeof buf);
	ck_assert_uint_ge(n, 20);
	ck_assert(!tl_marking_has(&m, "NOFORN"));
}
END_TEST

/* Parse, format, parse again: the same canonical string. */
START_TEST(t_round_trip)
{
	static const char *in[] = {
		"s/nf", "C NF", "S-NF", "SBU/N", "S/REL UK", "tS//si-G//oc/nf",
		"S/REL FRANCE, BRITAIN, TURKEY, SAUDI ARABIA, JORDAN, "
		"AND QATAR", "U//FOUO", "OFFICIAL-SENSITIVE//UK EYES ONLY", "S//FGI//NF",
		"TS//TK/HCS/SI//REL TO GBR//NF//NODIS/SBU", "U//LES/PR/IMCON",
		"S//RELIDO//NOCONTRACT//EXDIS//LIMDIS", "S//NZL EYES ONLY",
	};
	tl_marking a, b;
	char fa[256], fb[256];
	size_t i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		ck_assert_msg(tl_marking_parse(in[i], strlen(in[i]), &a, NULL,
		    0) == TL_OK, "%s", in[i]);
		tl_marking_format(&a, fa, sizeof fa);
		ck_assert_msg(tl_marking_parse(fa, strlen(fa), &b, NULL, 0) ==
		    TL_OK, "%s -> %s", in[i], fa);
		tl_marking_format(&b, fb, sizeof fb);
		ck_assert_str_eq(fa, fb);
		ck_assert_int_eq(a.level, b.level);
	}
}
END_TEST

START_TEST(t_level)
{
	ck_assert_str_eq(tl_level_name(TL_LEVEL_TOP_SECRET), "TOP SECRET");
	ck_assert_str_eq(tl_level_name((tl_level)99), "UNKNOWN");
	ck_assert_int_eq(tl_level_lookup("unclas", 6), TL_LEVEL_UNCLASSIFIED);
	ck_assert_int_eq(tl_level_lookup("TOPSECRET", 9), TL_LEVEL_TOP_SECRET);
	ck_assert_int_eq(tl_level_lookup("OFFICIALSENSITIVE", 17),
	    TL_LEVEL_OFFICIAL_SENSITIVE);
	ck_assert_int_eq(tl_level_lookup("SECRETS", 7), TL_LEVEL_UNKNOWN);
	ck_assert_int_eq(tl_level_lookup("SECRET", 5), TL_LEVEL_UNKNOWN);
	ck_assert_int_eq(tl_level_lookup("SBU", 3), TL_LEVEL_UNKNOWN);
}
END_TEST

/* Every ISO 3166-1 alpha-3 code (249, territories included). */
static const char iso_codes[] =
	"ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT "
	"AZE BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL "
	"BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG "
	"COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM "
	"DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR "
	"GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY "
	"HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA "
	"JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY "
	"LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL "
	"MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM "
	"NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER "
	"PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU "
	"SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR "
	"SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON "
	"TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB "
	"VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE ";

START_TEST(t_country_codes)
{
	const char *p, *code;
	char lower[4];
	unsigned n = 0;

	for (p = iso_codes; *p != '\0'; p += 4, n++) {
		code = tl_country_code(p, 3);
		ck_assert_msg(code != NULL && strncmp(code, p, 3) == 0 &&
		    code[3] == '\0', "%.3s -> %s", p, code);
		lower[0] = (char)(p[0] - 'A' + 'a');
		lower[1] = (char)(p[1] - 'A' + 'a');
		lower[2] = (char)(p[2] - 'A' + 'a');
		ck_assert_ptr_eq(tl_country_code(lower, 3), code);
	}
	ck_assert_uint_eq(n, 249);
}
END_TEST

START_TEST(t_country_names)
{
	static const struct {
		const char *name;
		const char *code;
	} c[] = {
		{ "UK", "GBR" }, { "GB", "GBR" }, { "gbr", "GBR" },
		{ "BRITAIN", "GBR" }, { "Great Britain", "GBR" },
		{ "United Kingdom", "GBR" }, { "  united \t kingdom ", "GBR" },
		{ "US", "USA" }, { "USA", "USA" }, { "UNITED STATES", "USA" },
		{ "AMERICA", "USA" }, { "United States of America", "USA" },
		{ "GERMANY", "DEU" }, { "FRANCE", "FRA" }, { "TURKEY", "TUR" },
		{ "TURKIYE", "TUR" }, { "SAUDI ARABIA", "SAU" },
		{ "JORDAN", "JOR" }, { "QATAR", "QAT" }, { "LIBYA", "LBY" },
		{ "PAKISTAN", "PAK" }, { "NEW ZEALAND", "NZL" },
		{ "SOUTH KOREA", "KOR" }, { "NORTH KOREA", "PRK" },
		{ "BURMA", "MMR" }, { "IVORY COAST", "CIV" },
		{ "GUINEA-BISSAU", "GNB" }, { "GUINEA BISSAU", "GNB" },
		{ "GUINEA", "GIN" }, { "NIGER", "NER" }, { "NIGERIA", "NGA" },
		{ "CONGO", "COG" }, { "DRC", "COD" }, { "RUSSIA", "RUS" },
		{ "CZECH REPUBLIC", "CZE" }, { "CZECHIA", "CZE" },
		{ "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND",
		    "GBR" },
		{ "FVEY", "FVEY" }, { "nato", "NATO" }, { "ACGU", "ACGU" },
		{ "FIVE EYES", "FVEY" },
		/* Two-letter codes that are also English words or controls. */
		{ "IN", "IND" }, { "IS", "ISL" }, { "IT", "ITA" },
		{ "NO", "NOR" }, { "TO", "TON" }, { "AT", "AUT" },
		{ "BE", "BEL" }, { "ME", "MNE" }, { "NF", "NFK" },
		{ "SI", "SVN" }, { "TK", "TKL" }, { "PR", "PRI" },
		{ "AND", "AND" },
	};
	static const char *unknown[] = {
		"ENGLAND", "SCOTLAND", "XYZ", "EU", "KOREA", "U S", "",
		"   ", "FRANC", "FRANCEE", "UNITED",
		"A VERY LONG NAME THAT IS NOT ANY COUNTRY IN THE WORLD AT ALL",
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		const char *got = tl_country_code(c[i].name,
		    strlen(c[i].name));

		ck_assert_msg(got != NULL && strcmp(got, c[i].code) == 0,
		    "\"%s\" -> %s, want %s", c[i].name, got, c[i].code);
	}
	for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		ck_assert_msg(tl_country_code(unknown[i],
		    strlen(unknown[i])) == NULL, "\"%s\" resolved", unknown[i]);
	ck_assert_ptr_null(tl_country_code(NULL, 3));
	/* len is honoured. */
	ck_assert_str_eq(tl_country_code("GBRX", 3), "GBR");
}
END_TEST

START_TEST(t_country_groups)
{
	const char *g, *p;
	unsigned n = 0;
	char code[4];

	ck_assert_str_eq(tl_country_group("FVEY"), "USA AUS CAN GBR NZL");
	ck_assert_str_eq(tl_country_group("acgu"), "USA AUS CAN GBR");
	ck_assert_ptr_null(tl_country_group("GBR"));
	ck_assert_ptr_null(tl_country_group("EU"));
	ck_assert_ptr_null(tl_country_group(NULL));
	g = tl_country_group("NATO");
	ck_assert_ptr_nonnull(g);
	/* 32 members, each a known trigraph; the 2023-2024 accessions. */
	for (p = g; *p != '\0'; p += p[3] ? 4 : 3, n++) {
		memcpy(code, p, 3);
		code[3] = '\0';
		ck_assert_str_eq(tl_country_code(code, 3), code);
		ck_assert(p[3] == ' ' || p[3] == '\0');
	}
	ck_assert_uint_eq(n, 32);
	ck_assert_ptr_nonnull(strstr(g, "FIN"));
	ck_assert_ptr_nonnull(strstr(g, "SWE"));
	ck_assert_ptr_null(strstr(g, "AUS"));
}
END_TEST

/*
 * Invariants of every result, whatever the input:
 *  1. status is TL_OK exactly when !malformed and nunknown == 0, and a
 *     reason is given exactly when it is not TL_OK;
 *  2. a clean marking has a known level (level UNKNOWN => malformed);
 *  3. counts within the arrays, every string NUL-terminated in its array;
 *  4. a known level comes with a level_token that names it (through
 *     tl_level_lookup, or SBU/LOU forms whose control is first);
 *  5. a clean marking formats to a string that parses clean to the same
 *     level and formats identically.
 */
static void
check_invariants(const char *in, size_t len)
{
	char *copy = malloc(len ? len : 1);
	char why[160], f1[1024], f2[1024];
	tl_marking m, m2;
	tl_status st;
	unsigned i;

	ck_assert(copy != NULL);
	memcpy(copy, in, len);
	st = tl_marking_parse(copy, len, &m, why, sizeof why);
	free(copy);
	ck_assert(st == TL_OK || st == TL_ESYNTAX);
	ck_assert((st == TL_OK) == (!m.malformed && m.nunknown == 0));
	ck_assert((st == TL_OK) == (why[0] == '\0'));
	ck_assert(m.level != TL_LEVEL_UNKNOWN || m.malformed);
	ck_assert_uint_le(m.ncontrols, TL_MARK_CONTROLS_MAX);
	ck_assert_uint_le(m.nrel, TL_MARK_REL_MAX);
	ck_assert_uint_le(m.nunknown, TL_MARK_UNKNOWN_MAX);
	ck_assert(memchr(m.level_token, '\0', sizeof m.level_token));
	for (i = 0; i < m.ncontrols; i++)
		ck_assert(memchr(m.controls[i], '\0', TL_TOKEN_MAX) &&
		    m.controls[i][0] != '\0');
	for (i = 0; i < m.nrel; i++)
		ck_assert(memchr(m.rel[i], '\0', sizeof m.rel[i]) &&
		    m.rel[i][0] != '\0');
	for (i = 0; i < m.nunknown; i++)
		ck_assert(memchr(m.unknown[i], '\0', TL_TOKEN_MAX) &&
		    m.unknown[i][0] != '\0');
	if (m.level != TL_LEVEL_UNKNOWN)
		ck_assert(tl_level_lookup(m.level_token,
		    strlen(m.level_token)) == m.level ||
		    (m.ncontrols > 0 && (strcmp(m.controls[0], "SBU") == 0 ||
		    strcmp(m.controls[0], "LOU") == 0)));
	ck_assert_uint_lt(tl_marking_format(&m, f1, sizeof f1), sizeof f1);
	if (st != TL_OK)
		return;
	ck_assert_msg(tl_marking_parse(f1, strlen(f1), &m2, why, sizeof why)
	    == TL_OK, "\"%.*s\" -> \"%s\": %s", (int)len, in, f1, why);
	ck_assert_int_eq(m2.level, m.level);
	for (i = 0; i < m.ncontrols; i++)
		ck_assert(tl_marking_has(&m2, m.controls[i]));
	tl_marking_format(&m2, f2, sizeof f2);
	ck_assert_str_eq(f1, f2);
}

/* xorshift32: fixed seed, same sequence on every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

START_TEST(t_random_bytes)
{
	uint32_t seed = 0x7ea51e;
	char in[200];
	size_t len, i;
	int round;

	for (round = 0; round < 3000; round++) {
		len = rnd(&seed) % sizeof in;
		for (i = 0; i < len; i++)
			in[i] = (char)(rnd(&seed) & 0xff);
		check_invariants(in, len);
	}
}
END_TEST

/* Random sequences of mark pieces: reach deep into the grammar. */
START_TEST(t_random_pieces)
{
	static const char *piece[] = {
		"S", "C", "U", "TS", "SBU", "SECRET", "TOP", "OFFICIAL",
		"SENSITIVE", "/", "//", "///", " ", "  ", "-", ",", ", ", "REL",
		"REL TO", "TO", "AND", "USA", "UK", "GBR", "FVEY", "NATO",
		"SAUDI", "ARABIA", "NEW ZEALAND", "TRINIDAD", "NF", "N",
		"NOFORN",
		"OC", "ORCON", "SI", "SI-G", "TK", "HCS", "FGI", "FOUO", "EYES",
		"ONLY", "EYES ONLY", "LES", "PR", "X", "CT", "s", "rel", "nf",
		"E C R E T", "S E", "\t", "Q", "BUT", "UNCLASSIFIED", "LIMITED",
	};
	const size_t npiece = sizeof piece / sizeof piece[0];
	uint32_t seed = 0xc0ffee;
	char in[300];
	size_t len, plen;
	unsigned k, nk;
	int round;

	for (round = 0; round < 5000; round++) {
		len = 0;
		nk = rnd(&seed) % 14;
		for (k = 0; k < nk; k++) {
			const char *p = piece[rnd(&seed) % npiece];

			plen = strlen(p);
			if (len + plen > sizeof in)
				break;
			memcpy(in + len, p, plen);
			len += plen;
		}
		check_invariants(in, len);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mark");
	TCase *tc = tcase_create("grammar");

	tcase_add_loop_test(tc, t_seen, 0, (int)(sizeof seen / sizeof seen[0]));
	tcase_add_loop_test(tc, t_variants, 0,
	    (int)(sizeof variants / sizeof variants[0]));
	tcase_add_loop_test(tc, t_broken, 0,
	    (int)(sizeof broken / sizeof broken[0]));
	tcase_add_test(tc, t_why);
	tcase_add_test(tc, t_len);
	tcase_add_test(tc, t_long);
	tcase_add_test(tc, t_format);
	tcase_add_test(tc, t_round_trip);
	tcase_add_test(tc, t_level);
	suite_add_tcase(s, tc);

	tc = tcase_create("country");
	tcase_add_test(tc, t_country_codes);
	tcase_add_test(tc, t_country_names);
	tcase_add_test(tc, t_country_groups);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_random_bytes);
	tcase_add_test(tc, t_random_pieces);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
