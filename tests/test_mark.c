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
	{ "S//DISPLAY ONLY", TL_ESYNTAX, S, "S", "DISPLAY ONLY", NULL, false,
	    "", true, "SECRET//DISPLAY ONLY" },
	{ "S//REL TO USA/DISPLAY ONLY AFG/DISPLAY ONLY IRQ", TL_ESYNTAX, S,
	    "S", "DISPLAY ONLY,DISPLAY ONLY", "USA,AFG,IRQ", true, "", true,
	    "SECRET//REL TO USA/DISPLAY ONLY AFG, IRQ" },
	{ "S//REL//REL TO GBR", TL_ESYNTAX, S, "S", "", "GBR", true, "", true,
	    "SECRET//REL TO USA, GBR" },
	{ "S//OC,", TL_ESYNTAX, S, "S", "ORCON", NULL, false, "", true,
	    "SECRET//ORCON" },
	{ "S//,NF", TL_ESYNTAX, S, "S", "NOFORN", NULL, false, "", true,
	    "SECRET//NOFORN" },
	{ "S//OC,,NF", TL_ESYNTAX, S, "S", "ORCON,NOFORN", NULL, false, "",
	    true, "SECRET//ORCON/NOFORN" },
	/* A leading "//" opens a non-US level, nothing else. */
	{ "//", TL_ESYNTAX, UNK, "", "", NULL, false, "", true, "UNKNOWN" },
	{ "//NF", TL_ESYNTAX, UNK, "NF", "", NULL, false, "", true,
	    "UNKNOWN" },
	{ "GBR S", TL_ESYNTAX, UNK, "GBR", "", NULL, false, "S", true,
	    "UNKNOWN" },
	{ "JOINT", TL_ESYNTAX, UNK, "JOINT", "", NULL, false, "", true,
	    "UNKNOWN" },
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

/* What a mark of the register must parse to: always TL_OK.  Lists are
 * comma-joined, "" when empty; `rel` holds the REL TO countries and then
 * the DISPLAY ONLY ones (the last `ndisplay`). */
typedef struct rcase {
	const char *in;
	tl_level level;
	const char *token;
	const char *controls;
	bool rel_to;
	const char *rel;
	bool rel_banner;
	unsigned ndisplay;
	const char *fgi;
	const char *declass;
	const char *format;
} rcase;

#define R_RES TL_LEVEL_RESTRICTED
#define R_OFF TL_LEVEL_OFFICIAL
#define R_OS TL_LEVEL_OFFICIAL_SENSITIVE

/* The forms of issue #18 and of the real modern documents beside the
 * checkout (../shared/real-modern): CAPCO banners and portions, long
 * forms, comma lists, declassification fields, non-US, NATO and UK. */
static const rcase registered[] = {
	/* REL without a list: the banner's list (rel_banner). */
	{ "S//SI//REL", S, "S", "SI", true, "", true, 0, "", "",
	    "SECRET//SI//REL" },
	{ "S//REL", S, "S", "", true, "", true, 0, "", "", "SECRET//REL" },
	{ "C//REL", C, "C", "", true, "", true, 0, "", "",
	    "CONFIDENTIAL//REL" },
	{ "TS//SI//REL", TS, "TS", "SI", true, "", true, 0, "", "",
	    "TOP SECRET//SI//REL" },
	{ "S//TK//REL", S, "S", "TK", true, "", true, 0, "", "",
	    "SECRET//TK//REL" },
	/* Comma lists of controls. */
	{ "S//OC,NF", S, "S", "ORCON,NOFORN", false, "", false, 0, "", "",
	    "SECRET//ORCON/NOFORN" },
	{ "TS//SI//OC, NF", TS, "TS", "SI,ORCON,NOFORN", false, "", false, 0,
	    "", "", "TOP SECRET//SI//ORCON/NOFORN" },
	/* Banners, with their declassification field. */
	{ "TOP SECRET//COMINT//REL TO USA, AUS, CAN, GBR, NZL//20320108", TS,
	    "TOPSECRET", "SI", true, "USA,AUS,CAN,GBR,NZL", false, 0, "",
	    "20320108",
	    "TOP SECRET//SI//REL TO USA, AUS, CAN, GBR, NZL//20320108" },
	{ "SECRET//COMINT//NOFORN//20310108", S, "SECRET", "SI,NOFORN", false,
	    "", false, 0, "", "20310108", "SECRET//SI//NOFORN//20310108" },
	{ "SECRET//SI//ORCON/NOFORN", S, "SECRET", "SI,ORCON,NOFORN", false,
	    "", false, 0, "", "", "SECRET//SI//ORCON/NOFORN" },
	{ "TOP SECRET//SI//REL TO USA,FVEY", TS, "TOPSECRET", "SI", true,
	    "USA,FVEY", false, 0, "", "", "TOP SECRET//SI//REL TO USA, FVEY" },
	{ "SECRET//TALENT KEYHOLE// REL TO USA, AUS, CAN, GBR, NZL", S,
	    "SECRET", "TK", true, "USA,AUS,CAN,GBR,NZL", false, 0, "", "",
	    "SECRET//TK//REL TO USA, AUS, CAN, GBR, NZL" },
	{ "SECRET//COMINT/TALENT KEYHOLE//REL TO USA, AUS, and GBR//25X1", S,
	    "SECRET", "SI,TK", true, "USA,AUS,GBR", false, 0, "", "25X1",
	    "SECRET//SI/TK//REL TO USA, AUS, GBR//25X1" },
	{ "UNCLASSIFIED//FOR OFFICIAL USE ONLY", U, "UNCLASSIFIED", "FOUO",
	    false, "", false, 0, "", "", "UNCLASSIFIED//FOUO" },
	{ "TS//SI//NF//MR", TS, "TS", "SI,NOFORN", false, "", false, 0, "",
	    "MR", "TOP SECRET//SI//NOFORN//MR" },
	{ "S//NF//25X1-human", S, "S", "NOFORN", false, "", false, 0, "",
	    "25X1-HUMAN", "SECRET//NOFORN//25X1-HUMAN" },
	{ "S//50X1-HUM", S, "S", "", false, "", false, 0, "", "50X1-HUM",
	    "SECRET//50X1-HUM" },
	/* SCI in short and long form, compartments. */
	{ "TS//SPECIAL INTELLIGENCE//NF", TS, "TS", "SI,NOFORN", false, "",
	    false, 0, "", "", "TOP SECRET//SI//NOFORN" },
	{ "TS//SI-GAMMA//OC/NF", TS, "TS", "SI-G,ORCON,NOFORN", false, "",
	    false, 0, "", "", "TOP SECRET//SI-G//ORCON/NOFORN" },
	{ "TS//TALENT KEYHOLE/HCS-P//NF", TS, "TS", "TK,HCS-P,NOFORN", false,
	    "", false, 0, "", "", "TOP SECRET//HCS-P/TK//NOFORN" },
	{ "TS//SI-ECI ABC//NF", TS, "TS", "SI-ECI ABC,NOFORN", false, "",
	    false, 0, "", "", "TOP SECRET//SI-ECI ABC//NOFORN" },
	{ "TS//SI/SI-ABC//NF", TS, "TS", "SI,SI-ABC,NOFORN", false, "",
	    false, 0, "", "", "TOP SECRET//SI/SI-ABC//NOFORN" },
	{ "TS//KDK-BLFH-X1Y2//NF", TS, "TS", "KDK-BLFH-X1Y2,NOFORN", false,
	    "", false, 0, "", "", "TOP SECRET//KDK-BLFH-X1Y2//NOFORN" },
	/* Special access programs, kept as written. */
	{ "TS//SAR-BP//NF", TS, "TS", "SAR-BP,NOFORN", false, "", false, 0,
	    "", "", "TOP SECRET//SAR-BP//NOFORN" },
	{ "S//SPECIAL ACCESS REQUIRED-BUTTER//NF", S, "S",
	    "SAR-BUTTER,NOFORN", false, "", false, 0, "", "",
	    "SECRET//SAR-BUTTER//NOFORN" },
	/* Atomic energy markings. */
	{ "S//RD//NF", S, "S", "RD,NOFORN", false, "", false, 0, "", "",
	    "SECRET//RD//NOFORN" },
	{ "S//RD-CNWDI", S, "S", "RD,CNWDI", false, "", false, 0, "", "",
	    "SECRET//RD/CNWDI" },
	{ "C//FRD", C, "C", "FRD", false, "", false, 0, "", "",
	    "CONFIDENTIAL//FRD" },
	{ "S//RD-SIGMA-14", S, "S", "RD-SG-14", false, "", false, 0, "", "",
	    "SECRET//RD-SG-14" },
	{ "S//TFNI", S, "S", "TFNI", false, "", false, 0, "", "",
	    "SECRET//TFNI" },
	{ "U//DOD UCNI", U, "U", "DCNI", false, "", false, 0, "", "",
	    "UNCLASSIFIED//DCNI" },
	/* FGI with its countries. */
	{ "S//FGI DEU GBR//NF", S, "S", "FGI,NOFORN", false, "", false, 0,
	    "DEU,GBR", "", "SECRET//FGI DEU GBR//NOFORN" },
	{ "S//FGI//NF", S, "S", "FGI,NOFORN", false, "", false, 0, "", "",
	    "SECRET//FGI//NOFORN" },
	/* Non-US levels: a country's (FGI), NATO's, JOINT. */
	{ "//GBR SECRET", S, "SECRET", "FGI", false, "", false, 0, "GBR", "",
	    "SECRET//FGI GBR" },
	{ "//DEU S//REL TO USA, DEU", S, "S", "FGI", true, "USA,DEU", false,
	    0, "DEU", "", "SECRET//FGI DEU//REL TO USA, DEU" },
	{ "//NATO SECRET", S, "NATOSECRET", "NATO", false, "", false, 0, "",
	    "", "SECRET//NATO" },
	{ "//COSMIC TOP SECRET//ATOMAL", TS, "COSMICTOPSECRET", "NATO,ATOMAL",
	    false, "", false, 0, "", "", "TOP SECRET//NATO/ATOMAL" },
	{ "COSMIC TOP SECRET", TS, "COSMICTOPSECRET", "NATO", false, "",
	    false, 0, "", "", "TOP SECRET//NATO" },
	{ "//CTSA", TS, "CTSA", "NATO,ATOMAL", false, "", false, 0, "", "",
	    "TOP SECRET//NATO/ATOMAL" },
	{ "//NS//BOHEMIA", S, "NS", "NATO,BOHEMIA", false, "", false, 0, "",
	    "", "SECRET//NATO/BOHEMIA" },
	{ "NATO RESTRICTED", R_RES, "NATORESTRICTED", "NATO", false, "",
	    false, 0, "", "", "RESTRICTED//NATO" },
	{ "NATO UNCLASSIFIED", U, "NATOUNCLASSIFIED", "NATO", false, "",
	    false, 0, "", "", "UNCLASSIFIED//NATO" },
	{ "//NC", C, "NC", "NATO", false, "", false, 0, "", "",
	    "CONFIDENTIAL//NATO" },
	{ "//JOINT SECRET CAN GBR USA", S, "SECRET", "JOINT", false, "", false,
	    0, "CAN,GBR,USA", "", "SECRET//JOINT CAN GBR USA" },
	{ "//JOINT S USA, GBR//REL TO USA, GBR, AUS", S, "S", "JOINT", true,
	    "USA,GBR,AUS", false, 0, "USA,GBR", "",
	    "SECRET//JOINT GBR USA//REL TO USA, AUS, GBR" },
	/* Dissemination controls. */
	{ "S//ORCON-USGOV/NF", S, "S", "ORCON-USGOV,NOFORN", false, "", false,
	    0, "", "", "SECRET//ORCON-USGOV/NOFORN" },
	{ "S//OC-USGOV", S, "S", "ORCON-USGOV", false, "", false, 0, "", "",
	    "SECRET//ORCON-USGOV" },
	{ "S//IMC/PR/RELIDO", S, "S", "IMCON,PROPIN,RELIDO", false, "", false,
	    0, "", "", "SECRET//IMCON/PROPIN/RELIDO" },
	{ "S//FISA/RSEN/DSEN", S, "S", "FISA,RSEN,DSEN", false, "", false, 0,
	    "", "", "SECRET//RSEN/FISA/DSEN" },
	{ "S//RS", S, "S", "RSEN", false, "", false, 0, "", "",
	    "SECRET//RSEN" },
	{ "S//REL TO USA, GBR/DISPLAY ONLY AFG, IRQ", S, "S", "DISPLAY ONLY",
	    true, "USA,GBR,AFG,IRQ", false, 2, "", "",
	    "SECRET//REL TO USA, GBR/DISPLAY ONLY AFG, IRQ" },
	{ "S//DISPLAY ONLY IRQ", S, "S", "DISPLAY ONLY", false, "IRQ", false,
	    1, "", "", "SECRET//DISPLAY ONLY IRQ" },
	{ "S//DISPLAY ONLY IRQ//REL TO USA, GBR", S, "S", "DISPLAY ONLY",
	    true, "USA,GBR,IRQ", false, 1, "", "",
	    "SECRET//REL TO USA, GBR/DISPLAY ONLY IRQ" },
	{ "S//SI//REL/DISPLAY ONLY AFG", S, "S", "SI,DISPLAY ONLY", true,
	    "AFG", true, 1, "", "", "SECRET//SI//REL/DISPLAY ONLY AFG" },
	/* Non-IC and cable forms. */
	{ "U//LES", U, "U", "LES", false, "", false, 0, "", "",
	    "UNCLASSIFIED//LES" },
	{ "U//SBU", U, "U", "SBU", false, "", false, 0, "", "",
	    "UNCLASSIFIED//SBU" },
	{ "U//SBU-NF", U, "U", "SBU,NOFORN", false, "", false, 0, "", "",
	    "UNCLASSIFIED//NOFORN//SBU" },
	{ "U//LES-NF", U, "U", "LES,NOFORN", false, "", false, 0, "", "",
	    "UNCLASSIFIED//NOFORN//LES" },
	{ "S//XD/DS", S, "S", "EXDIS,LIMDIS", false, "", false, 0, "", "",
	    "SECRET//EXDIS/LIMDIS" },
	{ "U//SSI/NNPI", U, "U", "SSI,NNPI", false, "", false, 0, "", "",
	    "UNCLASSIFIED//SSI/NNPI" },
	{ "U//ACCM-BLUE", U, "U", "ACCM-BLUE", false, "", false, 0, "", "",
	    "UNCLASSIFIED//ACCM-BLUE" },
	/* UK: the levels, STRAP, caveats, descriptors. */
	{ "UK SECRET", S, "UKSECRET", "", false, "", false, 0, "", "",
	    "SECRET" },
	{ "UK TOP SECRET STRAP1", TS, "UKTOPSECRET", "STRAP1", false, "",
	    false, 0, "", "", "TOP SECRET//STRAP1" },
	{ "TOP SECRET STRAP1 COMINT", TS, "TOPSECRET", "STRAP1,SI", false,
	    "", false, 0, "", "", "TOP SECRET//SI//STRAP1" },
	{ "SECRET STRAP 1", S, "SECRET", "STRAP1", false, "", false, 0, "",
	    "", "SECRET//STRAP1" },
	{ "TOP SECRET STRAP 3 UK EYES ONLY", TS, "TOPSECRET",
	    "STRAP3,UK EYES ONLY", false, "", false, 0, "", "",
	    "TOP SECRET//UK EYES ONLY/STRAP3" },
	{ "UK OFFICIAL-SENSITIVE COMMERCIAL", R_OS, "UKOFFICIAL-SENSITIVE",
	    "COMMERCIAL", false, "", false, 0, "", "",
	    "OFFICIAL-SENSITIVE//COMMERCIAL" },
	{ "OFFICIAL-SENSITIVE//LOCATION SENSITIVE", R_OS,
	    "OFFICIAL-SENSITIVE", "LOCSEN", false, "", false, 0, "", "",
	    "OFFICIAL-SENSITIVE//LOCSEN" },
	{ "UK OFFICIAL", R_OFF, "UKOFFICIAL", "", false, "", false, 0, "", "",
	    "OFFICIAL" },
	{ "RESTRICTED", R_RES, "RESTRICTED", "", false, "", false, 0, "", "",
	    "RESTRICTED" },
	{ "SECRET//UKEO", S, "SECRET", "UK EYES ONLY", false, "", false, 0,
	    "", "", "SECRET//UK EYES ONLY" },
	/* Codes of the register's REL TO lists. */
	{ "S//REL TO USA, ISAF, XKS", S, "S", "", true, "USA,ISAF,XKS", false,
	    0, "", "", "SECRET//REL TO USA, XKS, ISAF" },
	/* Forms of the real documents. */
	{ "U/FOUO", U, "U", "FOUO", false, "", false, 0, "", "",
	    "UNCLASSIFIED//FOUO" },
	{ "S//REL NATO", S, "S", "", true, "NATO", false, 0, "", "",
	    "SECRET//REL TO USA, NATO" },
	{ "S//REL USA, SWE", S, "S", "", true, "USA,SWE", false, 0, "", "",
	    "SECRET//REL TO USA, SWE" },
	{ "TS/SI//NF", TS, "TS", "SI,NOFORN", false, "", false, 0, "", "",
	    "TOP SECRET//SI//NOFORN" },
	{ "S//SI/TK", S, "S", "SI,TK", false, "", false, 0, "", "",
	    "SECRET//SI/TK" },
	{ "S//SI//REL TO USA, AUS, CAN, DEU, GBR and NZL", S, "S", "SI", true,
	    "USA,AUS,CAN,DEU,GBR,NZL", false, 0, "", "",
	    "SECRET//SI//REL TO USA, AUS, CAN, DEU, GBR, NZL" },
};

static void
check_registered(const rcase *c)
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
	ck_assert_msg(st == TL_OK, "\"%s\": status %d (%s)", c->in, st, why);
	ck_assert_msg(m.level == c->level, "\"%s\": level %s, want %s", c->in,
	    tl_level_name(m.level), tl_level_name(c->level));
	ck_assert_msg(strcmp(m.level_token, c->token) == 0,
	    "\"%s\": level_token \"%s\", want \"%s\"", c->in, m.level_token,
	    c->token);
	join(got, sizeof got, m.ncontrols, m.controls[0], sizeof m.controls[0]);
	ck_assert_msg(strcmp(got, c->controls) == 0,
	    "\"%s\": controls \"%s\", want \"%s\"", c->in, got, c->controls);
	ck_assert_msg(m.rel_to == c->rel_to, "\"%s\": rel_to %d", c->in,
	    m.rel_to);
	join(got, sizeof got, m.nrel, m.rel[0], sizeof m.rel[0]);
	ck_assert_msg(strcmp(got, c->rel) == 0, "\"%s\": rel \"%s\", want "
	    "\"%s\"", c->in, got, c->rel);
	ck_assert_msg(m.rel_banner == c->rel_banner, "\"%s\": rel_banner %d",
	    c->in, m.rel_banner);
	ck_assert_msg(m.ndisplay == c->ndisplay, "\"%s\": ndisplay %u",
	    c->in, m.ndisplay);
	join(got, sizeof got, m.nfgi, m.fgi[0], sizeof m.fgi[0]);
	ck_assert_msg(strcmp(got, c->fgi) == 0, "\"%s\": fgi \"%s\", want "
	    "\"%s\"", c->in, got, c->fgi);
	ck_assert_msg(strcmp(m.declass, c->declass) == 0, "\"%s\": declass "
	    "\"%s\", want \"%s\"", c->in, m.declass, c->declass);
	ck_assert_msg(m.nunknown == 0 && !m.malformed, "\"%s\"", c->in);
	tl_marking_format(&m, out, sizeof out);
	ck_assert_msg(strcmp(out, c->format) == 0,
	    "\"%s\": format \"%s\", want \"%s\"", c->in, out, c->format);
}

START_TEST(t_registered)
{
	check_registered(&registered[_i]);
}
END_TEST

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
		{ "S//REL TO", "REL TO without countries" },
		{ "S//DISPLAY ONLY", "DISPLAY ONLY without countries" },
		{ "S//SI//XYZZY//NF", "unknown control \"XYZZY\"" },
		{ "S//SI//20321345", "unknown control \"20321345\"" },
		{ "S//REL TO USA, CBR", "country code \"CBR\" in the REL TO "
		    "list is not known: it admits no reader" },
		{ "S//REL TO USA, NOT A LAND", "unknown country \"NOT A LAND\" "
		    "in the REL TO list" },
		{ "S/REL UK, RS", "\"RS\" in the REL list is both a country "
		    "code and a control" },
		{ "//", "no classification level after \"//\"" },
		{ "S//OC,", "\",\" outside a REL TO list" },
		{ "S//DISPLAY ONLY XYZ", "country code \"XYZ\" in the DISPLAY "
		    "ONLY list is not known: it admits no reader" },
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

/* A three-letter code no table knows ("CBR", an OCR'd GBR) stays in the
 * REL TO list and is named in rel_unknown, not in unknown: it admits only
 * a reader of that code, so the portion is not withheld for it.  Longer
 * unknown names and control words stay unknown tokens. */
START_TEST(t_rel_unknown_code)
{
	tl_marking m;
	char why[160];
	unsigned i;
	bool cbr = false, deu = false;

	ck_assert_int_eq(tl_marking_parse("S//SI//REL TO USA, AUS, CAN, DEU, "
	    "CBR, NZL", 42, &m, why, sizeof why), TL_ESYNTAX);
	ck_assert(!m.malformed);
	ck_assert_uint_eq(m.nunknown, 0);
	ck_assert_uint_eq(m.nrel_unknown, 1);
	ck_assert_str_eq(m.rel_unknown[0], "CBR");
	ck_assert_uint_eq(m.nrel, 6);
	for (i = 0; i < m.nrel; i++) {
		cbr = cbr || strcmp(m.rel[i], "CBR") == 0;
		deu = deu || strcmp(m.rel[i], "DEU") == 0;
	}
	ck_assert(cbr && deu);
	ck_assert(strstr(why, "\"CBR\"") != NULL);

	/* Not a trigraph: an unknown token as before. */
	tl_marking_parse("S//REL TO USA, NOT A LAND", 25, &m, NULL, 0);
	ck_assert_uint_eq(m.nunknown, 1);
	ck_assert_uint_eq(m.nrel_unknown, 0);
	/* Five codes no table knows: the fifth does not fit, malformed. */
	tl_marking_parse("S//REL TO USA, QQA, QQB, QQC, QQD, QQE", 38, &m,
	    NULL, 0);
	ck_assert(m.malformed);
	ck_assert_uint_eq(m.nrel_unknown, TL_MARK_UNKNOWN_MAX);
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
		"S//SI//REL", "S//OC,NF", "//GBR S//REL TO USA, GBR",
		"//JOINT S CAN USA//SI", "//COSMIC TOP SECRET//ATOMAL",
		"S//REL TO USA, GBR/DISPLAY ONLY AFG, IRQ", "S//DISPLAY ONLY NZL",
		"TS//SAR-BP/SAR-GB//RD-CNWDI//FGI DEU//NF//25X1",
		"TOP SECRET STRAP1 COMINT UK EYES ONLY", "TS//SI-ECI ABC/TK//RSEN",
		"S//REL/DISPLAY ONLY AFG//20320108",
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
 *  4. a known level comes with a level_token that reads back through
 *     the grammar as the same level (TOPSECRET, SBU, NATOSECRET, CTS);
 *     FGI and DISPLAY ONLY counts within bounds, a bare REL has no list;
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
	ck_assert((st == TL_OK) == (!m.malformed && m.nunknown == 0 &&
	    m.nrel_unknown == 0));
	ck_assert_uint_le(m.nrel_unknown, TL_MARK_UNKNOWN_MAX);
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
	if (m.level != TL_LEVEL_UNKNOWN) {
		tl_marking_parse(m.level_token, strlen(m.level_token), &m2,
		    NULL, 0);
		ck_assert_msg(m2.level == m.level, "\"%.*s\": level_token "
		    "\"%s\" reads as %s", (int)len, in, m.level_token,
		    tl_level_name(m2.level));
	}
	ck_assert_uint_le(m.nfgi, TL_MARK_FGI_MAX);
	ck_assert_uint_le(m.ndisplay, m.nrel);
	ck_assert(memchr(m.declass, '\0', sizeof m.declass));
	ck_assert(!m.rel_banner || (m.rel_to && m.nrel == m.ndisplay));
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
		"20320108", "25X1", "MR", "1", "STRAP", "STRAP1", "DISPLAY ONLY",
		"DISPLAY", "FGI", "DEU", "JOINT", "NATO SECRET", "NS", "CTS",
		"ATOMAL", "COSMIC", "SAR-", "SAR-BP", "SI-ECI", "SPECIAL",
		"ACCESS", "REQUIRED-BP", "RD-CNWDI", "UK", "ISAF", "XXX", "AND",
		",NF", "OC,", "SBU-NF", "ORCON-USGOV", "COMINT", "KEYHOLE",
		"TALENT", "//GBR S", "//", "RS",
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

/* ------------------------------------------------------------------------
 * The register itself: every form of register/tearline.reg reads as its
 * entry says; extensions; what a bad register file gets.
 * ---------------------------------------------------------------------- */

/* Trims s in place; returns it. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* `form` with its '*' (if any) replaced by "ABC9". */
static void
fill(char *out, size_t size, const char *form)
{
	const char *star = strchr(form, '*');

	if (star == NULL)
		snprintf(out, size, "%s", form);
	else
		snprintf(out, size, "%.*sABC9%s", (int)(star - form), form,
		    star + 1);
}

/* Parses `mark`, which must be clean and carry control `name`. */
static void
want_control(const char *mark, const char *name)
{
	tl_marking m;
	char why[160];

	ck_assert_msg(tl_marking_parse(mark, strlen(mark), &m, why,
	    sizeof why) == TL_OK, "\"%s\": %s", mark, why);
	ck_assert_msg(tl_marking_has(&m, name), "\"%s\" lacks %s", mark, name);
}

/*
 * One entry of the register file: KIND NAME [= F | F...] [-> T + T...]
 * [; FLAGS].  Each of its forms must read as the entry: a level alone,
 * a marking as its level and controls, a control in a later segment
 * (patterns with "ABC9" for their part), a declassification field as
 * the last segment, a country code in a REL TO list.
 */
static void
check_entry(char *line)
{
	char *kind, *name, *forms = NULL, *arrow = NULL, *flags = NULL, *p;
	char *form, *tgt[8], mark[256], canon[64];
	unsigned ntgt = 0, i;
	tl_marking m;
	char why[160];

	if ((flags = strchr(line, ';')) != NULL)
		*flags++ = '\0';
	if ((p = strstr(line, "->")) != NULL) {
		*p = '\0';
		arrow = p + 2;
	}
	if ((p = strchr(line, '=')) != NULL) {
		*p = '\0';
		forms = p + 1;
	}
	kind = trim(line);
	for (p = kind; *p && *p != ' '; p++)
		continue;
	*p++ = '\0';
	name = trim(p);
	for (p = arrow; p != NULL;) {
		char *end = strchr(p, '+');

		if (end)
			*end = '\0';
		ck_assert_uint_lt(ntgt, 8);
		tgt[ntgt++] = trim(p);
		p = end ? end + 1 : NULL;
	}
	fill(canon, sizeof canon, name);
	form = name;
	for (;;) {
		char f[96];

		fill(f, sizeof f, trim(form));
		if (strcmp(kind, "level") == 0) {
			ck_assert_msg(tl_level_lookup(f, strlen(f)) !=
			    TL_LEVEL_UNKNOWN, "level form %s", f);
			ck_assert_str_eq(tl_level_name(tl_level_lookup(f,
			    strlen(f))), name);
			ck_assert_int_eq(tl_marking_parse(f, strlen(f), &m,
			    why, sizeof why), TL_OK);
			ck_assert_str_eq(tl_level_name(m.level), name);
		} else if (strcmp(kind, "marking") == 0) {
			ck_assert_msg(tl_marking_parse(f, strlen(f), &m, why,
			    sizeof why) == TL_OK, "%s: %s", f, why);
			ck_assert_str_eq(tl_level_name(m.level), tgt[0]);
			ck_assert_uint_eq(m.ncontrols, ntgt - 1);
			for (i = 1; i < ntgt; i++)
				ck_assert(tl_marking_has(&m, tgt[i]));
			/* A marking is not a level alone: SBU keeps SBU. */
			ck_assert_int_eq(tl_level_lookup(f, strlen(f)),
			    TL_LEVEL_UNKNOWN);
		} else if (strcmp(kind, "declass") == 0) {
			snprintf(mark, sizeof mark, "S//NF//%s", f);
			ck_assert_msg(tl_marking_parse(mark, strlen(mark), &m,
			    why, sizeof why) == TL_OK, "%s: %s", mark, why);
			ck_assert_str_eq(m.declass, f);
		} else if (strcmp(kind, "country") == 0) {
			ck_assert_str_eq(tl_country_code(f, strlen(f)), name);
			snprintf(mark, sizeof mark, "S//REL TO USA, %s", f);
			ck_assert_msg(tl_marking_parse(mark, strlen(mark), &m,
			    why, sizeof why) == TL_OK, "%s: %s", mark, why);
			ck_assert_str_eq(m.rel[1], name);
		} else if (flags && strstr(flags, "list=rel")) {
			snprintf(mark, sizeof mark, "S//%s USA, GBR", f);
			ck_assert_msg(tl_marking_parse(mark, strlen(mark), &m,
			    why, sizeof why) == TL_OK, "%s: %s", mark, why);
			ck_assert(m.rel_to && m.nrel == 2);
		} else if (flags && strstr(flags, "list=display")) {
			snprintf(mark, sizeof mark, "S//%s AFG", f);
			want_control(mark, canon);
		} else {
			snprintf(mark, sizeof mark, "TS//%s", f);
			if (ntgt == 0) {
				want_control(mark, canon);
			} else {
				for (i = 0; i < ntgt; i++)
					want_control(mark, tgt[i]);
			}
		}
		if (forms == NULL)
			break;
		form = forms;
		if ((p = strchr(forms, '|')) != NULL) {
			*p = '\0';
			forms = p + 1;
		} else {
			forms = NULL;
		}
	}
}

START_TEST(t_register_file)
{
	size_t len;
	char *text = tlcheck_slurp(tlcheck_path("register/tearline.reg"),
	    &len);
	char *line, *next, *hash;
	unsigned entries = 0;

	for (line = text; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (*trim(line) == '\0')
			continue;
		check_entry(line);
		entries++;
	}
	free(text);
	/* The whole CAPCO vocabulary of ISM, UK, NATO and the cables. */
	ck_assert_uint_ge(entries, 150);
}
END_TEST

/* An unknown token is never dropped: kept in unknown, named in why. */
START_TEST(t_unknown_kept)
{
	static const struct {
		const char *in;
		const char *unknown;
	} u[] = {
		{ "TS//SI//RI/REL TO USA, FVEY", "RI" },
		{ "S//S1//REL TO USA, AUS", "S1" },
		{ "TOP SECRET STRAPI", "STRAPI" },
		{ "S//NF//20321345", "20321345" },
		{ "S//SAR-", "SAR-" },
		{ "S//SI//ECI ABC", "ECI" },
		{ "//GBR S//BLUEFOX", "BLUEFOX" },
		{ "CUI//SP-PRVCY", "SP-PRVCY" },
	};
	tl_marking m;
	char why[160], want[80];
	size_t i;

	for (i = 0; i < sizeof u / sizeof u[0]; i++) {
		tl_marking_parse(u[i].in, strlen(u[i].in), &m, why, sizeof why);
		ck_assert_msg(m.nunknown >= 1 || m.malformed, "%s", u[i].in);
		if (m.malformed)
			continue;
		ck_assert_msg(strcmp(m.unknown[0], u[i].unknown) == 0,
		    "%s: unknown %s", u[i].in, m.unknown[0]);
		snprintf(want, sizeof want, "\"%s\"", u[i].unknown);
		ck_assert_msg(strstr(why, want) != NULL, "%s: %s", u[i].in,
		    why);
	}
}
END_TEST

/* The CUI Registry drops in as an extension file (register/cui.reg). */
START_TEST(t_register_cui)
{
	tl_marking m;
	tl_diag d;
	char why[160], out[256];

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(tl_marking_parse("CUI", 3, &m, why, sizeof why),
	    TL_ESYNTAX);
	ck_assert_int_eq(tl_register_load(tlcheck_path("register/cui.reg"),
	    &d), TL_OK);
	ck_assert_int_eq(tl_marking_parse("CUI", 3, &m, why, sizeof why),
	    TL_OK);
	ck_assert_int_eq(m.level, TL_LEVEL_UNCLASSIFIED);
	ck_assert_str_eq(m.level_token, "CUI");
	ck_assert(tl_marking_has(&m, "CUI"));
	ck_assert_int_eq(tl_marking_parse("CUI//SP-PRVCY", 13, &m, why,
	    sizeof why), TL_OK);
	ck_assert(tl_marking_has(&m, "CUI") && tl_marking_has(&m, "SP-PRVCY"));
	want_control("CUI//SP-CTI//FED ONLY", "FED ONLY");
	want_control("CUI//NOCON", "NOCON");
	want_control("CUI//DL ONLY", "DL ONLY");
	want_control("CUI//FEDCON", "FEDCON");
	want_control("U//CUI//NOFORN", "CUI");
	want_control("CUI//SPECIFIED-EXPT", "SP-EXPT");
	ck_assert_int_eq(tl_marking_parse("CUI//SP-PRVCY//REL TO USA, GBR", 30,
	    &m, why, sizeof why), TL_OK);
	ck_assert(m.rel_to && m.nrel == 2);
	tl_marking_format(&m, out, sizeof out);
	ck_assert_str_eq(out, "UNCLASSIFIED//REL TO USA, GBR//CUI/SP-PRVCY");
	/* A second load of the same file: every name defined twice. */
	ck_assert_int_eq(tl_register_load(tlcheck_path("register/cui.reg"),
	    &d), TL_ESYNTAX);
	ck_assert_str_eq(d.rule, "register-duplicate");
	want_control("CUI//NOCON", "NOCON");
	/* Back to the compiled-in register. */
	tl_register_reset();
	ck_assert_int_eq(tl_marking_parse("CUI//NOCON", 10, &m, why,
	    sizeof why), TL_ESYNTAX);
	ck_assert_int_eq(tl_marking_parse("S//NF", 5, &m, why, sizeof why),
	    TL_OK);
}
END_TEST

/* An office adds a form to an existing control, a control, a level
 * form; a file with any problem adds nothing. */
START_TEST(t_register_extend)
{
	static const char ext[] =
	    "# an office's additions\n"
	    "dissem NOFORN = NOFORNO   # a typing habit of the office\n"
	    "sci    BLUEFOX = BLUE FOX\n"
	    "marking BLUEFOX SECRET -> SECRET + BLUEFOX\n"
	    "dissem RELBY-* \n"
	    "country TEST\n"
	    "declass 25X1-TEST\n";
	tl_marking m;
	tl_diag d;
	char why[160], out[128];

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(tl_register_load_buffer("office.reg", ext,
	    sizeof ext - 1, &d), TL_OK);
	want_control("S//NOFORNO", "NOFORN");
	want_control("TS//BLUE FOX//NF", "BLUEFOX");
	want_control("S//RELBY-XY", "RELBY-XY");
	ck_assert_int_eq(tl_marking_parse("BLUEFOX SECRET//NF", 18, &m, why,
	    sizeof why), TL_OK);
	ck_assert_int_eq(m.level, TL_LEVEL_SECRET);
	ck_assert_str_eq(m.level_token, "BLUEFOXSECRET");
	ck_assert(tl_marking_has(&m, "BLUEFOX"));
	tl_marking_format(&m, out, sizeof out);
	ck_assert_str_eq(out, "SECRET//BLUEFOX//NOFORN");
	ck_assert_str_eq(tl_country_code("test", 4), "TEST");
	ck_assert_int_eq(tl_marking_parse("S//NF//25X1-TEST", 16, &m, why,
	    sizeof why), TL_OK);
	ck_assert_str_eq(m.declass, "25X1-TEST");
	tl_register_reset();
	ck_assert_int_eq(tl_marking_parse("S//NOFORNO", 10, &m, why,
	    sizeof why), TL_ESYNTAX);
	ck_assert_ptr_null(tl_country_code("TEST", 4));
}
END_TEST

/* The EXAMPLES of tearline-register(5), taken from the page itself. */
/* tl_marking_mask: the register's words stay, anything else is "?". */
START_TEST(t_mask)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "S//REL TO USA, XYZ", "S//REL TO USA, ?" },
		{ "TS//SI-G//OC/NF", "TS//SI-G//OC/NF" },
		{ "S//REL", "S//REL" },
		{ "/Rel UK", "/? UK" },
		{ "C/NF", "C/NF" },
		{ "SNF", "?" },
		{ "the plan/it is at noon", "? ?/? ? ? ?" },
		{ "SMITH/JONES", "?/?" },
		{ "s//nf", "?//?" },
		{ "SECRET//UK EYES ONLY", "SECRET//UK EYES ONLY" },
		{ "", "" },
	};
	char buf[64];
	size_t i, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = tl_marking_mask(cases[i].in, strlen(cases[i].in), buf,
		    sizeof buf);
		ck_assert_str_eq(buf, cases[i].want);
		ck_assert_uint_eq(n, strlen(cases[i].want));
	}
	/* snprintf's contract: the length needed, a truncated text. */
	n = tl_marking_mask("S//REL TO USA", 13, buf, 4);
	ck_assert_uint_eq(n, 13);
	ck_assert_str_eq(buf, "S//");
	ck_assert_uint_eq(tl_marking_mask(NULL, 0, buf, sizeof buf), 0);
}
END_TEST

START_TEST(t_register_man_example)
{
	size_t len, n = 0;
	char *page = tlcheck_slurp(tlcheck_path("man/tearline-register.5"),
	    &len);
	char *start = strstr(page, "$ cat office.reg\n"), *end;
	tl_marking m;
	tl_diag d;
	char why[160];

	ck_assert_ptr_nonnull(start);
	start += strlen("$ cat office.reg\n");
	end = strstr(start, ".Ed\n");
	ck_assert_ptr_nonnull(end);
	n = (size_t)(end - start);
	ck_assert_int_eq(tl_register_load_buffer("office.reg", start, n, &d),
	    TL_OK);
	ck_assert_msg(tl_marking_parse("BLUEFOX SECRET//NOFORNO", 23, &m, why,
	    sizeof why) == TL_OK, "%s", why);
	ck_assert_int_eq(m.level, TL_LEVEL_SECRET);
	ck_assert(tl_marking_has(&m, "BLUEFOX") && tl_marking_has(&m,
	    "NOFORN"));
	ck_assert_str_eq(tl_country_code("TEST", 4), "TEST");
	tl_register_reset();
	free(page);
}
END_TEST

START_TEST(t_register_errors)
{
	static const struct {
		const char *text;
		tl_status st;
		unsigned long line;
		const char *rule;
		const char *msg; /* part of the message */
	} e[] = {
		{ "bogus X\n", TL_ESYNTAX, 1, "register-syntax", "unknown kind" },
		{ "dissem GOOD1\ndissem NF2 = NF\n", TL_ESYNTAX, 2,
		    "register-duplicate", "'NF' is already a form of 'NOFORN'" },
		{ "dissem GOOD1\n\n# c\ndissem NF\n", TL_ESYNTAX, 4,
		    "register-duplicate", "NF" },
		{ "sci A = X\nsci B = X\n", TL_ESYNTAX, 2, "register-duplicate",
		    "'X' is a form of both" },
		{ "dissem GOOD1\nmarking FOO -> SECRET + NOPE\n", TL_ESYNTAX, 2,
		    "register-undefined", "'NOPE'" },
		{ "marking FOO -> SUPER SECRET\n", TL_ESYNTAX, 1,
		    "register-undefined", "not a level" },
		{ "marking FOO = BAR\n", TL_ESYNTAX, 1, "register-syntax",
		    "needs '->" },
		{ "level ULTRA\n", TL_ESYNTAX, 1, "register-undefined",
		    "not a level of tearline" },
		{ "dissem A/B\n", TL_ESYNTAX, 1, "register-syntax", "holds '/'" },
		{ "dissem A,B\n", TL_ESYNTAX, 1, "register-syntax", "holds ','" },
		{ "dissem X*Y*\n", TL_ESYNTAX, 1, "register-syntax",
		    "more than one '*'" },
		{ "dissem X* = Y\n", TL_ESYNTAX, 1, "register-syntax",
		    "one '*'" },
		{ "level SECRET = S*\n", TL_ESYNTAX, 1, "register-syntax",
		    "holds '*'" },
		{ "dissem RELX ; list=rel\n", TL_ESYNTAX, 1,
		    "register-duplicate", "list=rel" },
		{ "dissem RELX ; shout\n", TL_ESYNTAX, 1, "register-syntax",
		    "unknown flag" },
		{ "country US\n", TL_ESYNTAX, 1, "register-syntax",
		    "three or four" },
		{ "dissem NOFORN ; list=fgi\n", TL_ESYNTAX, 1,
		    "register-duplicate", "already defined" },
		{ "dissem THISNAMEISFARTOOLONGFORATOKEN-XYZ\n", TL_ESYNTAX, 1,
		    "register-syntax", "longer than 31 bytes" },
		{ "dissem A B C D E F G H I\n", TL_ESYNTAX, 1, "register-syntax",
		    "more than 8 words" },
		{ "dissem X -> \n", TL_ESYNTAX, 1, "register-syntax",
		    "empty target" },
		{ "dissem \xc3\xa9\n", TL_ESYNTAX, 1, "register-syntax",
		    "printable ASCII" },
		{ "dissem =\n", TL_ESYNTAX, 1, "register-syntax", "empty name" },
	};
	tl_marking m;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof e / sizeof e[0]; i++) {
		memset(&d, 0, sizeof d);
		ck_assert_msg(tl_register_load_buffer("bad.reg", e[i].text,
		    strlen(e[i].text), &d) == e[i].st, "case %zu: %s", i,
		    d.message);
		ck_assert_str_eq(d.file, "bad.reg");
		ck_assert_msg(d.line == e[i].line, "case %zu: line %lu (%s)",
		    i, d.line, d.message);
		ck_assert_str_eq(d.rule, e[i].rule);
		ck_assert_msg(strstr(d.message, e[i].msg) != NULL,
		    "case %zu: \"%s\" lacks \"%s\"", i, d.message, e[i].msg);
		/* Nothing of a refused file stays. */
		ck_assert_int_eq(tl_marking_parse("S//GOOD1", 8, &m, NULL, 0),
		    TL_ESYNTAX);
		ck_assert_int_eq(tl_marking_parse("TS//SI//NF", 10, &m, NULL,
		    0), TL_OK);
	}
	/* Over 1 MiB, an unreadable path, NULL arguments. */
	{
		size_t big = 1024 * 1024 + 2;
		char *text = malloc(big);

		ck_assert(text != NULL);
		memset(text, '\n', big);
		ck_assert_int_eq(tl_register_load_buffer("big.reg", text, big,
		    &d), TL_ELIMIT);
		free(text);
	}
	ck_assert_int_eq(tl_register_load("/nonexistent/x.reg", &d), TL_EIO);
	ck_assert_str_eq(d.rule, "register-io");
	ck_assert_int_eq(tl_register_load(NULL, NULL), TL_EUSAGE);
	ck_assert_int_eq(tl_register_load_buffer("x", NULL, 3, NULL),
	    TL_EUSAGE);
	ck_assert_int_eq(tl_register_load_buffer(NULL, "", 0, NULL), TL_OK);
}
END_TEST

/* The canonical controls of the register files that stand for
 * themselves: no pattern, no "->", not REL TO (a marking's rel_to). */
static unsigned
register_controls(const char *path, char names[][TL_TOKEN_MAX],
    unsigned max)
{
	static const char *const kinds[] = { "sci ", "sap ", "aea ", "nonus ",
		"fgi ", "dissem ", "nonic ", "caveat ", "cui ", "other " };
	size_t len, k;
	char *text = tlcheck_slurp(tlcheck_path(path), &len);
	char *line, *next, *name, *end;
	unsigned n = 0;

	for (line = text; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
			if (strncmp(line, kinds[k], strlen(kinds[k])) == 0)
				break;
		if (k == sizeof kinds / sizeof kinds[0] || strstr(line, "->") ||
		    strchr(line, '*') || strstr(line, "list=rel"))
			continue;
		name = trim(line + strlen(kinds[k]));
		for (end = name; *end && *end != '=' && *end != ';' &&
		    *end != '#'; end++)
			continue;
		*end = '\0';
		ck_assert_uint_lt(n, max);
		snprintf(names[n++], TL_TOKEN_MAX, "%s", trim(name));
	}
	free(text);
	return n;
}

/* Every bundled policy defines every control the register can give a
 * mark, and those of the CUI extension: a reader is refused for a
 * control it lacks, never for one the policy has not heard of. */
START_TEST(t_policies_know_register)
{
	static const char *const eyes[] = { "UK EYES ONLY", "AUS EYES ONLY",
		"CAN EYES ONLY", "NZL EYES ONLY", "USA EYES ONLY" };
	static char names[300][TL_TOKEN_MAX];
	static const char *const policies[] = { "policies/us-cables.yaml",
		"policies/capco.yaml", "policies/uk-gsc.yaml",
		"policies/nato.yaml" };
	unsigned n, i, p;
	tl_policy *pol;
	tl_policy_level lv;
	tl_reader r;
	tl_docinfo doc;
	tl_docdecision dd;
	tl_portion po;
	tl_decision dec;
	tl_diag d;

	n = register_controls("register/tearline.reg", names, 300);
	n += register_controls("register/cui.reg", names + n, 300 - n);
	for (i = 0; i < sizeof eyes / sizeof eyes[0]; i++)
		snprintf(names[n++], TL_TOKEN_MAX, "%s", eyes[i]);
	ck_assert_uint_ge(n, 75);
	for (p = 0; p < sizeof policies / sizeof policies[0]; p++) {
		ck_assert_msg(tl_policy_load(tlcheck_path(policies[p]), &pol,
		    &d) == TL_OK, "%s: %s", policies[p], d.message);
		/* A US reader cleared for the highest level, a document with
		 * a banner of that level: only the control can withhold. */
		ck_assert(tl_policy_level_at(pol, tl_policy_level_count(pol),
		    &lv));
		ck_assert_int_eq(tl_reader_adhoc(pol, lv.name, "USA", NULL,
		    false, &r, &d), TL_OK);
		memset(&doc, 0, sizeof doc);
		doc.name = "doc.txt";
		doc.banner.line = 1;
		tl_marking_parse("TS", 2, &doc.banner.marking, NULL, 0);
		snprintf(doc.banner.marking.level_token, TL_TOKEN_MAX, "%s",
		    lv.name);
		tl_decide_document(pol, &r, &doc, &dd);
		for (i = 0; i < n; i++) {
			memset(&po, 0, sizeof po);
			po.index = 1;
			po.marked = true;
			po.marking = doc.banner.marking;
			po.marking.ncontrols = 1;
			snprintf(po.marking.controls[0], TL_TOKEN_MAX, "%s",
			    names[i]);
			tl_decide_portion(pol, &r, &dd, &po, &dec);
			ck_assert_msg(strcmp(dec.rule, "control-unknown") != 0,
			    "%s does not define %s", policies[p], names[i]);
		}
		tl_policy_free(pol);
	}
}
END_TEST

/* Marks as written, through the register, decided by the bundled
 * policies: what each reader gets, and why. */
START_TEST(t_register_decisions)
{
	static const struct {
		const char *policy, *reader, *mark;
		tl_verdict want;
		const char *rule;
	} row[] = {
		{ "capco", "us-ts-sci", "TS//COMINT//NF", TL_RELEASE, "cleared" },
		{ "capco", "us-top-secret", "TS//SPECIAL INTELLIGENCE//NF",
		    TL_WITHHOLD, "access" },
		{ "capco", "us-ts-sci", "S//OC,NF", TL_RELEASE, "cleared" },
		{ "capco", "us-secret", "S//OC,NF", TL_WITHHOLD, "approval" },
		{ "capco", "us-secret", "S//NF//20320108", TL_RELEASE,
		    "cleared" },
		{ "capco", "us-top-secret", "S//RD//NF", TL_WITHHOLD, "access" },
		{ "capco", "us-top-secret", "TS//SAR-BP//NF", TL_WITHHOLD,
		    "access" }, /* capco defines SAR-BP: us-secret-sar holds it */
		{ "capco", "us-top-secret", "TS//SAR-ZZ//NF", TL_WITHHOLD,
		    "control-unknown" },
		{ "capco", "gbr-secret", "S//DISPLAY ONLY GBR", TL_RELEASE,
		    "cleared" },
		{ "capco", "gbr-secret", "S//REL TO USA/DISPLAY ONLY AUS",
		    TL_WITHHOLD, "rel-to" },
		/* A bare REL: the decision does not yet take the banner's
		 * list, so only the REL TO control's implicit USA passes. */
		{ "capco", "gbr-secret", "S//REL", TL_WITHHOLD, "rel-to" },
		{ "capco", "us-secret", "S//REL", TL_RELEASE, "cleared" },
		{ "capco", "aus-ts-si", "//GBR S", TL_WITHHOLD,
		    "nationals-only" },
		{ "capco", "us-top-secret", "//NATO SECRET", TL_WITHHOLD,
		    "access" },
		{ "us-cables", "public", "U//FOUO", TL_WITHHOLD, "not-public" },
		{ "us-cables", "us-official", "LOU", TL_RELEASE, "cleared" },
		{ "us-cables", "us-secret", "S//ORCON-USGOV", TL_WITHHOLD,
		    "approval" },
		{ "uk-gsc", "gbr-secret", "UK SECRET UK EYES ONLY", TL_RELEASE,
		    "cleared" },
		{ "uk-gsc", "usa-secret", "UK SECRET UK EYES ONLY", TL_WITHHOLD,
		    "nationals-only" },
		{ "uk-gsc", "gbr-top-secret", "UK TOP SECRET STRAP1",
		    TL_WITHHOLD, "access" },
		{ "uk-gsc", "gbr-secret", "S//NF", TL_WITHHOLD,
		    "nationals-only" },
		{ "nato", "nato-cts", "CTSA", TL_RELEASE, "cleared" },
		{ "nato", "nato-secret", "NS//ATOMAL", TL_WITHHOLD, "access" },
		{ "nato", "nato-secret", "//NATO SECRET", TL_RELEASE, "cleared" },
		{ "nato", "nato-restricted", "NS", TL_WITHHOLD, "clearance" },
		{ "nato", "aus-secret", "NS//REL TO ISAF, AUS", TL_WITHHOLD,
		    "nationals-only" },
		{ "nato", "aus-secret", "S//REL TO USA, AUS", TL_RELEASE,
		    "cleared" },
		{ "nato", "public", "NU", TL_WITHHOLD, "nationals-only" },
		/* A nation's own marking with no REL TO: foreign disclosure
		 * is explicit, NATO membership does not stand in for it. */
		{ "nato", "usa-secret", "UK SECRET", TL_WITHHOLD,
		    "foreign-disclosure" },
		{ "nato", "usa-secret", "NS", TL_RELEASE, "cleared" },
	};
	char path[64];
	tl_policy *pol;
	tl_policy_level lv;
	tl_reader r;
	tl_docinfo doc;
	tl_docdecision dd;
	tl_portion po;
	tl_decision dec;
	tl_diag d;
	size_t i;

	for (i = 0; i < sizeof row / sizeof row[0]; i++) {
		snprintf(path, sizeof path, "policies/%s.yaml", row[i].policy);
		ck_assert_int_eq(tl_policy_load(tlcheck_path(path), &pol, &d),
		    TL_OK);
		ck_assert_int_eq(tl_reader_profile(pol, row[i].reader, &r, &d),
		    TL_OK);
		ck_assert(tl_policy_level_at(pol, tl_policy_level_count(pol),
		    &lv));
		memset(&doc, 0, sizeof doc);
		doc.name = "doc.txt";
		doc.banner.line = 1;
		tl_marking_parse("TS", 2, &doc.banner.marking, NULL, 0);
		snprintf(doc.banner.marking.level_token, TL_TOKEN_MAX, "%s",
		    lv.name);
		tl_decide_document(pol, &r, &doc, &dd);
		memset(&po, 0, sizeof po);
		po.index = 1;
		po.marked = true;
		ck_assert_msg(tl_marking_parse(row[i].mark,
		    strlen(row[i].mark), &po.marking, NULL, 0) == TL_OK, "%s",
		    row[i].mark);
		tl_decide_portion(pol, &r, &dd, &po, &dec);
		ck_assert_msg(dec.verdict == row[i].want &&
		    strcmp(dec.rule, row[i].rule) == 0, "%s / %s / (%s): %s [%s] "
		    "%s", row[i].policy, row[i].reader, row[i].mark,
		    dec.verdict == TL_RELEASE ? "release" : "withhold", dec.rule,
		    dec.reason);
		tl_policy_free(pol);
	}
}
END_TEST

/* Level lookups: levels alone, never a marking; register codes; XXX,
 * the bundled policies' "no nationality", is no country. */
START_TEST(t_register_lookups)
{
	ck_assert_int_eq(tl_level_lookup("R", 1), TL_LEVEL_RESTRICTED);
	ck_assert_int_eq(tl_level_lookup("os", 2),
	    TL_LEVEL_OFFICIAL_SENSITIVE);
	ck_assert_int_eq(tl_level_lookup("NATO SECRET", 11), TL_LEVEL_UNKNOWN);
	ck_assert_int_eq(tl_level_lookup("UK SECRET", 9), TL_LEVEL_UNKNOWN);
	ck_assert_int_eq(tl_level_lookup("S\0", 2), TL_LEVEL_UNKNOWN);
	ck_assert_int_eq(tl_level_lookup(NULL, 2), TL_LEVEL_UNKNOWN);
	ck_assert_str_eq(tl_country_code("isaf", 4), "ISAF");
	ck_assert_str_eq(tl_country_code("XKS", 3), "XKS");
	ck_assert_ptr_null(tl_country_code("XXX", 3));
	ck_assert_ptr_null(tl_country_group("ISAF"));
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
	tcase_add_loop_test(tc, t_registered, 0,
	    (int)(sizeof registered / sizeof registered[0]));
	tcase_add_test(tc, t_why);
	tcase_add_test(tc, t_rel_unknown_code);
	tcase_add_test(tc, t_len);
	tcase_add_test(tc, t_long);
	tcase_add_test(tc, t_format);
	tcase_add_test(tc, t_round_trip);
	tcase_add_test(tc, t_level);
	suite_add_tcase(s, tc);

	tc = tcase_create("register");
	tcase_add_test(tc, t_register_file);
	tcase_add_test(tc, t_unknown_kept);
	tcase_add_test(tc, t_register_cui);
	tcase_add_test(tc, t_register_extend);
	tcase_add_test(tc, t_register_man_example);
	tcase_add_test(tc, t_mask);
	tcase_add_test(tc, t_register_errors);
	tcase_add_test(tc, t_register_lookups);
	tcase_add_test(tc, t_policies_know_register);
	tcase_add_test(tc, t_register_decisions);
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
