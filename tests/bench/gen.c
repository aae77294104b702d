/*
 * gen.c: the benchmark's corpus generator.  Writes fictional cables in the
 * style of the files in corpus/ (routing header with ZNY class letters, banner,
 * control lines, authority block, numbered paragraphs with portion marks,
 * items, continuations, stray SIPDIS, page breaks, a few quirks) from a
 * seeded PRNG: cable k depends only on the seed and k, so the same seed
 * gives the same bytes, whether as one big file or as many small ones.
 *
 *   gen [-S SEED] -s SIZE FILE   cables concatenated until SIZE bytes
 *                                (K, M, G suffixes: powers of 1024)
 *   gen [-S SEED] -n N DIR       N files, DIR/NNN/cable-NNNNNNN.txt
 *
 * Prints "cables N bytes B" on standard output.  Every name, station
 * serial and sentence is made up.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one stream per cable. */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t
next64(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static unsigned
below(rng *r, unsigned n)
{
	return (unsigned)(((next64(r) >> 32) * (uint64_t)n) >> 32);
}

static bool
chance(rng *r, unsigned per_mille)
{
	return below(r, 1000) < per_mille;
}

#define PICK(r, a) ((a)[below((r), (unsigned)(sizeof(a) / sizeof((a)[0])))])

/* ------------------------------------------------------------------ */
/* Output buffer for one cable. */

typedef struct out {
	char *buf;
	size_t len, cap;
	bool crlf;
} out;

static void
grow(out *o, size_t more)
{
	char *n;
	size_t cap = o->cap ? o->cap : 16384;

	while (cap - o->len < more + 1)
		cap *= 2;
	if (cap == o->cap)
		return;
	if ((n = realloc(o->buf, cap)) == NULL) {
		fputs("gen: out of memory\n", stderr);
		exit(2);
	}
	o->buf = n;
	o->cap = cap;
}

static void
put(out *o, const char *s, size_t n)
{
	grow(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
puts_(out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
printf_(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
printf_(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow(o, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

static void
eol(out *o)
{
	puts_(o, o->crlf ? "\r\n" : "\n");
}

/* A whole line. */
static void
line(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
line(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		grow(o, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
		o->len += (size_t)n;
	}
	eol(o);
}

/* ------------------------------------------------------------------ */
/* Vocabulary: fictional officials and plain diplomatic prose. */

static const struct station {
	const char *name; /* FM AMEMBASSY NAME */
	const char *ri;   /* routing indicator */
	const char *tag;  /* country tag */
} stations[] = {
	{ "LONDON", "RUEHLO", "UK" }, { "PARIS", "RUEHFR", "FR" },
	{ "BERLIN", "RUEHRL", "GM" }, { "ANKARA", "RUEHAK", "TU" },
	{ "BAGHDAD", "RUEHGB", "IZ" }, { "TRIPOLI", "RUEHTRO", "LY" },
	{ "OTTAWA", "RUEHOT", "CA" }, { "CANBERRA", "RUEHBY", "AS" },
	{ "TBILISI", "RUEHSI", "GG" }, { "KABUL", "RUEHBUL", "AF" },
	{ "ISLAMABAD", "RUEHIL", "PK" }, { "RIYADH", "RUEHRH", "SA" },
	{ "ASUNCION", "RUEHAC", "PA" }, { "ROME", "RUEHRO", "IT" },
	{ "MADRID", "RUEHMD", "SP" }, { "WARSAW", "RUEHWR", "PL" },
	{ "OSLO", "RUEHNY", "NO" }, { "NAIROBI", "RUEHNR", "KE" },
	{ "LIMA", "RUEHPE", "PE" }, { "HANOI", "RUEHHI", "VM" },
	{ "AMMAN", "RUEHAM", "JO" }, { "DAKAR", "RUEHDK", "SG" },
	{ "VIENNA", "RUEHVI", "AU" }, { "SANTIAGO", "RUEHSG", "CI" },
};

static const char *const months[] = { "JAN", "FEB", "MAR", "APR", "MAY",
	"JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };

static const char *const tags[] = { "PREL", "PGOV", "ECON", "EPET", "ENRG",
	"MARR", "PTER", "ETRD", "EAID", "PHUM", "SNAR", "KCRM", "EWWT",
	"PINR", "MOPS", "KNNP", "EFIN", "SOCI" };

static const char *const first_names[] = { "Lorna", "Gerald", "Dana",
	"Martin", "Thomas", "Nathaniel", "Helen", "Ruth", "Owen", "Clara",
	"Simon", "Agnes", "Victor", "Miriam", "Arthur", "Judith" };
static const char *const surnames[] = { "Westbrook", "Ashcombe",
	"Whitcombe", "Osgerby", "Vellacott", "Orsborn", "Marlowe", "Tennant",
	"Hollis", "Brackley", "Fenwick", "Ravenscroft", "Pellow", "Cardew",
	"Thursby", "Ellerby" };
static const char *const titles[] = { "DCM", "Ambassador", "CDA",
	"Political Counselor", "Economic Counselor", "PolMil Officer",
	"Charge d'Affaires", "Deputy Political Counselor" };

static const char *const subjects_np[] = { "officials", "the ministry",
	"the deputy minister", "a senior adviser", "the director",
	"provincial officials", "the opposition leader", "the central bank",
	"customs officials", "the defence staff", "port authorities",
	"the governor", "a contact in the cabinet office", "the committee",
	"the security services", "industry representatives" };
static const char *const verbs[] = { "told", "briefed", "warned",
	"assured", "informed", "reminded", "asked" };
static const char *const objects[] = { "Poloff", "EconOff", "the DCM",
	"Emboffs", "the Ambassador", "visiting staff", "PolMilOff",
	"the delegation" };
static const char *const clauses[] = {
	"that the review would go to ministers before the summer",
	"that funding for the program had been cut by a third",
	"that the new rules would take effect in the autumn",
	"that exports through the northern route had fallen sharply",
	"that the government would not change its position on the dispute",
	"that the agreement could be signed at the next ministerial meeting",
	"that two contractors had been suspended pending an inquiry",
	"that the border crossing would reopen within a month",
	"that a second patrol rotation was under study",
	"that the budget would be presented to parliament in March",
	"that the coalition was divided on the cost of the plan",
	"that local elections had been postponed for security reasons",
	"that the data could be shared under existing arrangements",
	"that the inspection regime had found no violations",
	"that waiting times at the crossing had tripled since August",
	"that the tender would be reissued with new terms",
};
static const char *const tails[] = { "on Tuesday", "last week",
	"in a private meeting", "during a dinner hosted by the Embassy",
	"on the margins of the conference", "by telephone", "in writing",
	"at the ministry", "before the vote", "after the cabinet meeting" };
static const char *const remarks[] = {
	"He asked that his comments not be shared with the ministry.",
	"She noted that the figures had not been made public.",
	"Officials said the decision would rest with the prime minister.",
	"The director added that the timetable could still slip.",
	"He attributed the delay to competing demands on the budget.",
	"Contacts expect a formal announcement within weeks.",
	"The account could not be confirmed independently.",
	"Other diplomats in the capital have heard similar reports.",
	"The proposal would need the support of two coalition partners.",
	"Post will follow up with the working-level staff.",
};

/* ------------------------------------------------------------------ */
/* Marks */

enum { LV_U, LV_C, LV_S, LV_TS };

typedef struct cable {
	rng r;
	out *o;
	const struct station *st;
	unsigned serial;
	int level;        /* banner level */
	bool noforn;      /* banner carries NOFORN */
	bool rel;         /* banner carries REL TO */
	bool capco;       /* banner written SECRET//NOFORN */
	int lead_style;   /* 0 "1. ", 1 "[1](#)1. ", 2 "¶1. ", 3 "1.(C) ", 4 "- [1](#). " */
	bool long_lines;  /* one line per paragraph, web copy style */
	unsigned sections, section;
	unsigned para;
} cable;

/* A portion mark no higher than the banner. */
static void
mark(cable *c, char *buf, size_t n)
{
	int lv = (int)below(&c->r, (unsigned)c->level + 1);
	static const char *const low[] = { "U", "U", "U", "SBU" };
	static const char *const rel[] = { "REL TO USA, GBR",
		"REL TO USA, AUS, GBR", "REL TO USA, AUS, CAN, GBR, NZL",
		"REL TO USA, FVEY", "REL TO USA, NATO" };
	const char *sep = c->capco ? "//" : "/";

	if (chance(&c->r, 15))
		lv = c->level; /* keep the top level common */
	switch (lv) {
	case LV_U:
		snprintf(buf, n, "%s", c->level == LV_U ? PICK(&c->r, low) : "U");
		return;
	case LV_TS:
		snprintf(buf, n, "%s", chance(&c->r, 100) ? "TS//SI//NF" : "TS//NF");
		return;
	default:
		break;
	}
	if (c->noforn && chance(&c->r, 750))
		snprintf(buf, n, "%s%sNF", lv == LV_S ? "S" : "C", sep);
	else if (c->rel || chance(&c->r, 150))
		snprintf(buf, n, "%s//%s", lv == LV_S ? "S" : "C",
		    c->rel ? "REL TO USA, AUS, GBR" : PICK(&c->r, rel));
	else if (chance(&c->r, 60))
		snprintf(buf, n, "%s/REL UK", lv == LV_S ? "S" : "C");
	else
		snprintf(buf, n, "%s", lv == LV_S ? "S" : "C");
}

/* A mark with a small share of the quirks real cables have. */
static void
quirky_mark(cable *c, char *buf, size_t n)
{
	static const char *const odd[] = { "SNF", "N/SF", "/Rel UK", "c",
		" C ", "s/nf", "C NF", "S-NF", "C/NOFORN" };

	if (chance(&c->r, 8))
		snprintf(buf, n, "%s", PICK(&c->r, odd));
	else
		mark(c, buf, n);
}

/* ------------------------------------------------------------------ */
/* Text */

/* One sentence into buf (no trailing space). */
static void
sentence(cable *c, char *buf, size_t n)
{
	unsigned k = below(&c->r, 4);
	char name[64];

	snprintf(name, sizeof name, "%s %s", PICK(&c->r, first_names),
	    PICK(&c->r, surnames));
	switch (k) {
	case 0: {
		const char *who = PICK(&c->r, subjects_np);
		snprintf(buf, n, "%c%s %s %s %s %s.", who[0] - 32, who + 1,
		    PICK(&c->r, verbs), PICK(&c->r, objects), PICK(&c->r, tails),
		    PICK(&c->r, clauses));
		break;
	}
	case 1:
		snprintf(buf, n, "%s", PICK(&c->r, remarks));
		break;
	case 2:
		snprintf(buf, n, "%s added %s, according to %s.",
		    name, PICK(&c->r, clauses), PICK(&c->r, surnames));
		break;
	default:
		snprintf(buf, n, "In a separate conversation, %s said %s %s.",
		    PICK(&c->r, subjects_np), PICK(&c->r, clauses),
		    PICK(&c->r, tails));
		break;
	}
}

/* Words of `text` from `*at`, wrapped at `width` columns after a first
 * line that already holds `col` columns; stops at the end.  With
 * long_lines, the whole text goes on one line. */
static void
wrap(cable *c, const char *text, size_t col, size_t width)
{
	const char *s = text, *w;
	size_t wl;

	if (c->long_lines) {
		puts_(c->o, text);
		eol(c->o);
		return;
	}
	while (*s) {
		w = strchr(s, ' ');
		wl = w ? (size_t)(w - s) : strlen(s);
		if (col > 0 && col + 1 + wl > width) {
			eol(c->o);
			col = 0;
		} else if (col > 0 && s != text) {
			put(c->o, " ", 1);
			col++;
		}
		put(c->o, s, wl);
		col += wl;
		s += wl;
		while (*s == ' ')
			s++;
	}
	eol(c->o);
}

/* Text of a paragraph: `sentences` sentences, optionally an opening
 * word ("Summary:", "Comment:") and a closing one. */
static void
prose(cable *c, char *buf, size_t n, unsigned sentences, const char *open,
    const char *close)
{
	size_t len = 0;
	char s[512];
	unsigned i;

	buf[0] = '\0';
	if (open)
		len += (size_t)snprintf(buf + len, n - len, "%s ", open);
	for (i = 0; i < sentences && len < n - 1; i++) {
		sentence(c, s, sizeof s);
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i == 0 ? "" : c->long_lines ? " " : "  ", s);
		if (len >= n)
			len = n - 1;
	}
	if (close && len < n - 1)
		snprintf(buf + len, n - len, " %s", close);
}

static void
banner_line(cable *c, bool section_tail)
{
	static const char *const spaced[] = { "U N C L A S S I F I E D",
		"C O N F I D E N T I A L", "S E C R E T", "T O P S E C R E T" };
	char tail[96];
	out *o = c->o;

	if (section_tail && c->sections > 1)
		snprintf(tail, sizeof tail, "SECTION %02u OF %02u %s %06u",
		    c->section, c->sections, c->st->name, c->serial);
	else
		snprintf(tail, sizeof tail, "%s %06u", c->st->name, c->serial);
	if (c->capco) {
		static const char *const lv[] = { "UNCLASSIFIED", "CONFIDENTIAL",
			"SECRET", "TOP SECRET" };
		printf_(o, "%s", lv[c->level]);
		if (c->level == LV_TS && chance(&c->r, 100))
			puts_(o, "//SI"); /* SI: a control some policies lack */
		if (c->noforn)
			puts_(o, "//NOFORN");
		else if (c->rel)
			puts_(o, "//REL TO USA, AUS, GBR");
		eol(o);
		return;
	}
	if (c->level == LV_U) {
		line(o, "UNCLAS %s", tail);
		return;
	}
	if (c->level == LV_S && chance(&c->r, 5))
		line(o, "SS E C R E T %s", tail); /* damaged */
	else
		line(o, "%s %s", spaced[c->level], tail);
}

static void
page_break(cable *c)
{
	c->section++;
	if (c->section > c->sections)
		return;
	if (chance(&c->r, 500)) {
		line(c->o, "%s %08u  %03u OF %03u", c->st->name, c->serial,
		    c->section, c->sections);
	} else {
		banner_line(c, true);
	}
	eol(c->o);
}

static void
lead(cable *c, char *buf, size_t n, unsigned num)
{
	switch (c->lead_style) {
	case 1: snprintf(buf, n, "[1](#)%u. ", num); break;
	case 2: snprintf(buf, n, "\xc2\xb6%u. ", num); break;
	case 3: snprintf(buf, n, "%u.", num); break;
	case 4: snprintf(buf, n, "- [%u](#). ", num); break;
	default: snprintf(buf, n, "%u. ", num); break;
	}
}

static void
paragraph(cable *c, const char *open, const char *close)
{
	char ld[32], mk[64], text[4096], first[4200];
	unsigned ns = 2 + below(&c->r, 5);
	bool quirk = chance(&c->r, 15);

	c->para++;
	lead(c, ld, sizeof ld, c->para);
	quirky_mark(c, mk, sizeof mk);
	prose(c, text, sizeof text, ns, open, close);
	if (quirk && chance(&c->r, 300))
		snprintf(first, sizeof first, "%u. %s) %s", c->para, mk, text);
	else if (quirk && chance(&c->r, 400))
		snprintf(first, sizeof first, "%s%s", ld, text); /* unmarked */
	else
		snprintf(first, sizeof first, "%s(%s) %s", ld, mk, text);
	if (chance(&c->r, 90)) {
		/* Split: a blank line (and maybe a stray SIPDIS) inside the
		 * paragraph, continuing in lower case. */
		char *cut = strstr(first + strlen(first) / 2, " ");
		if (cut) {
			*cut = '\0';
			wrap(c, first, 0, 68);
			eol(c->o);
			if (chance(&c->r, 400)) {
				line(c->o, "SIPDIS");
			}
			snprintf(text, sizeof text, "%s", cut + 1);
			text[0] = (char)(text[0] >= 'A' && text[0] <= 'Z' ?
			    text[0] + 32 : text[0]);
			wrap(c, text, 0, 68);
			eol(c->o);
			return;
		}
	}
	wrap(c, first, 0, 68);
	eol(c->o);
}

static void
items(cable *c)
{
	char mk[64], text[2048], first[2200];
	unsigned k, n = 2 + below(&c->r, 3);
	int style = (int)below(&c->r, 3);

	for (k = 0; k < n; k++) {
		mark(c, mk, sizeof mk);
		prose(c, text, sizeof text, 1 + below(&c->r, 2), NULL, NULL);
		text[0] = (char)(text[0] >= 'A' && text[0] <= 'Z' ? text[0] + 32 :
		    text[0]);
		if (style == 0)
			snprintf(first, sizeof first, "%c. (%s) %s", 'A' + k, mk, text);
		else if (style == 1)
			snprintf(first, sizeof first, "(%c) (%s) %s", 'a' + k, mk, text);
		else
			snprintf(first, sizeof first, "-- (%s) %s", mk, text);
		wrap(c, first, 0, 68);
		eol(c->o);
	}
}

/* ------------------------------------------------------------------ */
/* One cable */

static void
cable_write(uint64_t seed, uint64_t k, out *o)
{
	cable c;
	static const char *const prec[] = { "O", "P", "R" };
	static const char *const precw[] = { "OO", "PP", "RR" };
	static const char *const letters = "UCST";
	char mk[64], text[4096];
	unsigned day, year, mon, hh, mm, i, npara, p;

	memset(&c, 0, sizeof c);
	c.r.s = seed * 0x2545f4914f6cdd1dULL ^ (k + 1) * 0x9e3779b97f4a7c15ULL;
	next64(&c.r);
	c.o = o;
	o->crlf = chance(&c.r, 3);
	c.st = &PICK(&c.r, stations);
	c.serial = 1 + below(&c.r, 9999);
	{
		unsigned w = below(&c.r, 100);
		c.level = w < 22 ? LV_U : w < 55 ? LV_C : w < 96 ? LV_S : LV_TS;
	}
	c.capco = c.level == LV_TS || chance(&c.r, 250);
	c.noforn = c.level != LV_U && chance(&c.r, 450);
	c.rel = c.level != LV_U && !c.noforn && c.capco && chance(&c.r, 400);
	c.lead_style = (int)(below(&c.r, 100) < 62 ? 0 : below(&c.r, 5));
	c.long_lines = c.lead_style == 1 || c.lead_style == 2 ||
	    c.lead_style == 4 || chance(&c.r, 100);
	c.sections = 1 + below(&c.r, 3);
	c.section = 1;
	day = 1 + below(&c.r, 28);
	mon = below(&c.r, 12);
	year = 2002 + below(&c.r, 15);
	hh = below(&c.r, 24);
	mm = below(&c.r, 60);
	i = below(&c.r, 3);

	/* Routing header */
	line(o, "VZCZCXYZ%04u", below(&c.r, 10000));
	line(o, "%s RUEHWEB", precw[i]);
	eol(o);
	line(o, "DE %s #%04u/01 %03u%02u%02u", c.st->ri, c.serial,
	    1 + below(&c.r, 365), hh, mm);
	{
		char cl = letters[c.level];
		if (chance(&c.r, 20))
			cl = letters[below(&c.r, 4)]; /* disagrees, sometimes */
		line(o, "ZN%c %c%c%c%c%c ZZH", cl == 'U' ? 'R' : 'Y', cl, cl, cl,
		    cl, cl);
	}
	line(o, "%s %02u%02u%02uZ %s %02u", prec[i], day, hh, mm, months[mon],
	    year % 100);
	line(o, "FM AMEMBASSY %s", c.st->name);
	line(o, "TO RUEHC/SECSTATE WASHDC %s%04u",
	    i == 0 ? "IMMEDIATE " : i == 1 ? "PRIORITY " : "", below(&c.r, 10000));
	for (p = 0, npara = below(&c.r, 4); p < npara; p++) {
		const struct station *s2 = &PICK(&c.r, stations);
		line(o, "%s%s/AMEMBASSY %s %04u", p == 0 ? "INFO " : "", s2->ri,
		    s2->name, below(&c.r, 10000));
	}
	eol(o);

	/* Banner and controls */
	banner_line(&c, true);
	eol(o);
	if (c.level == LV_U && chance(&c.r, 500)) {
		line(o, "SENSITIVE");
	}
	if (c.noforn && !c.capco) {
		if (chance(&c.r, 300)) {
			line(o, "NOFORN SIPDIS");
		} else {
			line(o, "NOFORN");
			line(o, "SIPDIS");
		}
	} else {
		line(o, "SIPDIS");
	}
	eol(o);
	if (chance(&c.r, 150)) {
		line(o, "DEPT FOR %s", PICK(&c.r, ((const char *const[]){
		    "EUR/WE", "NEA/MAG", "SCA/A", "WHA/BSC", "EAP/MTS" })));
		eol(o);
	}

	/* E.O. line, TAGS, SUBJECT, REF, authority */
	if (c.level == LV_U)
		line(o, "E.O. 12958: N/A");
	else if (year >= 2010)
		line(o, "E.O. 13526: DECL: %02u/%02u/%04u", mon + 1, day, year + 10);
	else
		line(o, "E.O. 12958: DECL: %u/%u/%04u", mon + 1, day, year + 10);
	printf_(o, "TAGS: %s %s %s %s", PICK(&c.r, tags), PICK(&c.r, tags),
	    PICK(&c.r, tags), c.st->tag);
	eol(o);
	mark(&c, mk, sizeof mk);
	if (chance(&c.r, 10))
		line(o, "SUBJECT: %s: %s", c.st->name, "TALKS ON THE PIPELINE REVIEW");
	else
		line(o, "SUBJECT: (%s) %s: OFFICIALS OUTLINE %s", mk, c.st->name,
		    PICK(&c.r, ((const char *const[]){ "PORT SECURITY REVIEW",
		    "BUDGET CUTS", "CUSTOMS RULES", "ELECTION TIMETABLE",
		    "ENERGY TENDER", "BORDER REOPENING" })));
	if (chance(&c.r, 500))
		line(o, "AND ASK FOR U.S. SUPPORT");
	eol(o);
	if (chance(&c.r, 300)) {
		line(o, "REF: A. %s %u", c.st->name, below(&c.r, 1000));
		line(o, "     B. STATE %u", below(&c.r, 100000));
		eol(o);
	}
	if (c.level != LV_U) {
		line(o, "Classified By: %s %s %s, %s 1.4 %s",
		    PICK(&c.r, titles), PICK(&c.r, first_names),
		    PICK(&c.r, surnames), chance(&c.r, 500) ? "reasons" : "Reasons",
		    PICK(&c.r, ((const char *const[]){ "(b,d)", "(b) and (d)",
		    "(b), (d)", "(c)", "(d)", "b/d" })));
		eol(o);
	}

	/* Body */
	npara = 4 + below(&c.r, 9);
	for (p = 0; p < npara; p++) {
		if (p == 0) {
			paragraph(&c, "Summary:", "End Summary.");
		} else if (p + 1 == npara) {
			paragraph(&c, "Comment:", "End Comment.");
		} else if (chance(&c.r, 70)) {
			/* Unmarked heading */
			line(o, "%s", PICK(&c.r, ((const char *const[]){
			    "Background", "Customs Delays", "Next Steps",
			    "Oversight Rules -----", "Funding" })));
			eol(o);
			paragraph(&c, NULL, NULL);
		} else if (chance(&c.r, 150)) {
			c.para++;
			lead(&c, text, sizeof text, c.para);
			mark(&c, mk, sizeof mk);
			line(o, "%s(%s) %s listed the following points:", text, mk,
			    c.level ? "Officials" : "Contacts");
			eol(o);
			items(&c);
		} else {
			paragraph(&c, NULL, NULL);
		}
		if (c.section < c.sections && p + 2 >= npara * c.section / c.sections)
			page_break(&c);
	}
	if (chance(&c.r, 600))
		line(o, "%s", PICK(&c.r, surnames));
	if (c.capco)
		banner_line(&c, false);
}

/* ------------------------------------------------------------------ */

static int
usage(void)
{
	fputs("usage: gen [-S SEED] -s SIZE FILE\n"
	    "       gen [-S SEED] -n COUNT DIR\n", stderr);
	return 2;
}

static bool
parse_size(const char *s, unsigned long long *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return false;
	*v = n;
	return true;
}

static int
write_file(const char *path, const out *o)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(o->buf, 1, o->len, f) != o->len ||
	    fclose(f) != 0) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long long seed = 7, size = 0, count = 0, k, bytes = 0;
	bool by_size = false, by_count = false;
	const char *target;
	out o = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "-S") == 0) {
			if (!parse_size(argv[++i], &seed))
				return usage();
		} else if (strcmp(argv[i], "-s") == 0) {
			if (!parse_size(argv[++i], &size))
				return usage();
			by_size = true;
		} else if (strcmp(argv[i], "-n") == 0) {
			if (!parse_size(argv[++i], &count))
				return usage();
			by_count = true;
		} else {
			return usage();
		}
	}
	if (i + 1 != argc || by_size == by_count)
		return usage();
	target = argv[i];

	if (by_size) {
		FILE *f = fopen(target, "wb");
		if (f == NULL) {
			fprintf(stderr, "gen: %s: %s\n", target, strerror(errno));
			return 2;
		}
		for (k = 0; bytes < size; k++) {
			o.len = 0;
			if (k > 0)
				put(&o, "\n", 1); /* a blank line between cables */
			cable_write(seed, k, &o);
			if (fwrite(o.buf, 1, o.len, f) != o.len)
				break;
			bytes += o.len;
		}
		if (ferror(f) || fclose(f) != 0) {
			fprintf(stderr, "gen: %s: %s\n", target, strerror(errno));
			return 2;
		}
		printf("cables %llu bytes %llu\n", k, bytes);
		return 0;
	}
	if (mkdir(target, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", target, strerror(errno));
		return 2;
	}
	for (k = 0; k < count; k++) {
		char path[4096];
		if (k % 1000 == 0) {
			snprintf(path, sizeof path, "%s/%03llu", target, k / 1000);
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
				return 2;
			}
		}
		snprintf(path, sizeof path, "%s/%03llu/cable-%07llu.txt", target,
		    k / 1000, k);
		o.len = 0;
		cable_write(seed, k, &o);
		if (write_file(path, &o) != 0)
			return 2;
		bytes += o.len;
	}
	printf("cables %llu bytes %llu\n", count, bytes);
	free(o.buf);
	return 0;
}
