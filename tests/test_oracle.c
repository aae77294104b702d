/*
 * test_oracle.c: the leak oracle.  Thousands of generated cables, every
 * bundled policy, every reader of each, all recorded in signed logs; each
 * word of a portion is a token that occurs nowhere else ("zz" and six
 * letters), so "text unique to a withheld portion" is every token in it.
 *
 * For each copy, the log says which portions were withheld; the oracle
 * then checks that no token of a withheld portion is in the copy, that
 * every token of a released portion is, and that no token at all is in a
 * log or its signature.  It decides nothing itself: it only holds the log
 * and the copies to each other and to the text.
 */
#define _GNU_SOURCE /* memmem */
#include "tlcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEYS "tests/keys/"
#define DOCS 2000
#define TOKEN_LEN 8
#define READERS_MAX 12

static unsigned long long rng = 0x7ea71e5eedULL;
static unsigned long serial;

static unsigned
next(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

/* A token never used before: "zz" and the serial in six letters. */
static void
token(FILE *f)
{
	unsigned long s = serial++;
	char t[TOKEN_LEN + 1];
	int i;

	t[0] = t[1] = 'z';
	for (i = TOKEN_LEN - 1; i >= 2; i--, s /= 26)
		t[i] = (char)('a' + s % 26);
	t[TOKEN_LEN] = '\0';
	fputs(t, f);
}

static void
words(FILE *f, unsigned n)
{
	while (n--) {
		fputc(' ', f);
		token(f);
	}
}

/* One cable in the style of the corpus, with the quirks that matter to a
 * redactor: every banner form, good and bad marks, continuations after
 * SIPDIS lines and page breaks, headings, unmarked paragraphs. */
static void
generate(const char *path, unsigned doc)
{
	static const char *const banners[] = { "S E C R E T", "CONFIDENTIAL",
		"SECRET//NOFORN", "C O N F I D E N T I A L", "UNCLASSIFIED",
		"TOP SECRET//SI//NOFORN", "SECRET//REL TO USA, GBR", "S E C R E",
		"", "OFFICIAL-SENSITIVE", "SECRET UK EYES ONLY",
		"S E C R E T NODIS" };
	static const char *const marks[] = { "U", "C", "S", "S/NF", "C/NF",
		"S//REL TO USA, GBR", "C//REL TO USA, AUS, CAN, GBR, NZL", "SBU",
		"TS//SI//NF", "U//FOUO", "SNF", "S/NOFORN", "C//ORCON", "S//XYZ",
		"S/NF", "C", "U", "S", "OS", "UK S", "C/REL UK", "S//FGI DEU" };
	const size_t nb = sizeof banners / sizeof banners[0];
	const size_t nm = sizeof marks / sizeof marks[0];
	const char *banner = banners[next((unsigned)nb)];
	unsigned para, n = 3 + next(10);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	if (*banner)
		fprintf(f, "%s ROME 00%04u\n\n", banner, doc);
	if (next(2))
		fputs("NOFORN\n", f);
	fputs("SIPDIS\n\nE.O. 12958: DECL: 01/01/2031\nTAGS: PREL, PGOV\n", f);
	fprintf(f, "SUBJECT: (%s)", marks[next((unsigned)nm)]);
	words(f, 4);
	fputs("\n\n", f);
	if (next(4))
		fputs("REF: A. ROME 1234\n\n", f);
	if (next(5))
		fputs("Classified By: DCM A. B. Chancery, reasons 1.4 (b,d)\n\n", f);
	for (para = 1; para <= n; para++) {
		unsigned kind = next(20);
		if (kind == 0)
			fprintf(f, "%u.", para);          /* unmarked */
		else if (kind == 1)
			fprintf(f, "%u. (S/NF", para);    /* truncated mark */
		else
			fprintf(f, "%u. (%s)", para, marks[next((unsigned)nm)]);
		words(f, 3 + next(12));
		switch (next(6)) {
		case 0: /* a continuation after a stray SIPDIS line */
			fputs("\n\nSIPDIS\n", f);
			words(f, 1 + next(5));
			break;
		case 1: /* ... after a page break */
			fprintf(f, "\n\nROME 00%04u 002 OF 002\n\n", doc);
			words(f, 1 + next(5));
			break;
		case 2: /* a second line of the same paragraph */
			fputc('\n', f);
			words(f, 2 + next(5));
			break;
		}
		fputs(".\n\n", f);
		if (next(8) == 0)
			fputs("Background\n\n", f);
	}
	if (*banner && next(3))
		fprintf(f, "%s\n", banner);
	ck_assert_int_eq(fclose(f), 0);
}

/* Length of the token at `p` if there is one. */
static int
is_token(const char *p, const char *end)
{
	int i;

	if (end - p < TOKEN_LEN || p[0] != 'z' || p[1] != 'z')
		return 0;
	for (i = 2; i < TOKEN_LEN; i++)
		if (p[i] < 'a' || p[i] > 'z')
			return 0;
	return 1;
}

/* Decisions of one copy, read back from the log: verdict[p] is 1 for
 * release, -1 for withhold, 0 when the log says nothing of portion p. */
typedef struct copy_record {
	char output[512];
	int verdict[256];
	unsigned long nportions;
} copy_record;

/* Reads the next `max` documents of the log (their dec lines and doc
 * line): the copies of one input, one per reader. */
static size_t
read_records(FILE *log, copy_record *rec, size_t max)
{
	char line[70000];
	size_t k = 0;

	memset(rec, 0, max * sizeof *rec);
	while (k < max && fgets(line, sizeof line, log)) {
		long por = tlcheck_log_num(line, "portion");
		if (strstr(line, "\"type\":\"dec\"")) {
			ck_assert(por >= 1 && por < 256);
			rec[k].verdict[por] = strstr(line, "\"decision\":\"release\"") ? 1 : -1;
			if ((unsigned long)por > rec[k].nportions)
				rec[k].nportions = (unsigned long)por;
		} else if (strstr(line, "\"type\":\"doc\"")) {
			ck_assert(tlcheck_log_str(line, "output", rec[k].output,
			    sizeof rec[k].output));
			k++;
		}
	}
	return k;
}

/* Holds one copy to the text and the log's decisions. */
static unsigned long
check_copy(const char *text, size_t len, const tlcheck_doc *pd,
    const copy_record *rec, unsigned long *released)
{
	size_t clen, k, start;
	char *copy = tlcheck_slurp(rec->output, &clen);
	unsigned long ln, checked = 0;

	ck_assert_uint_eq(rec->nportions, pd->nportions);
	for (k = 0, ln = 1, start = 0; k <= len; k++) {
		const char *p, *end;
		unsigned long owner;
		if (k < len && text[k] != '\n')
			continue;
		owner = ln <= pd->nlines ? pd->owner[ln - 1] : 0;
		end = text + k;
		for (p = text + start; owner && p < end; p++) {
			bool in_copy;
			if (!is_token(p, end))
				continue;
			/* Plain tests, not ck_assert: Check reports the place
			 * of every assertion through a pipe, and there are
			 * hundreds of thousands of tokens. */
			in_copy = memmem(copy, clen, p, TOKEN_LEN) != NULL;
			if (rec->verdict[owner] == 0)
				ck_abort_msg("%s: no decision on portion %lu",
				    rec->output, owner);
			if (rec->verdict[owner] < 0 && in_copy)
				ck_abort_msg("%s: withheld portion %lu leaks %.8s",
				    rec->output, owner, p);
			if (rec->verdict[owner] > 0 && !in_copy)
				ck_abort_msg("%s: released portion %lu lost %.8s",
				    rec->output, owner, p);
			if (rec->verdict[owner] > 0)
				(*released)++;
			checked++;
			p += TOKEN_LEN - 1;
		}
		start = k + 1;
		ln++;
	}
	free(copy);
	return checked;
}

/* No token in the log or signature.  Names are blanked first: the paths
 * of the run are not text of the documents. */
static void
check_log(const char *logp, const char *sigp)
{
	size_t len, slen, i;
	char *log = tlcheck_slurp(logp, &len), *sig = tlcheck_slurp(sigp, &slen);
	static const char *const keys[] = { "\"input\":\"", "\"output\":\"" };

	for (i = 0; i < 2; i++) {
		char *p = log;
		while ((p = strstr(p, keys[i])) != NULL)
			for (p += strlen(keys[i]); *p && *p != '"'; p++)
				*p = '#';
	}
	ck_assert_msg(memmem(log, len, "zz", 2) == NULL, "a token is in %s", logp);
	/* Only the comment lines of the signature are text: its base64
	 * lines may hold "zz" by chance (one signature in twenty). */
	{
		char *line, *save = NULL;
		for (line = strtok_r(sig, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save))
			if (strstr(line, "comment: ") != NULL)
				ck_assert_msg(strstr(line, "zz") == NULL,
				    "a token is in %s", sigp);
	}
	free(log);
	free(sig);
}

START_TEST(test_oracle)
{
	static const char *const policies[] = { NULL, "policies/capco.yaml",
		"policies/uk-gsc.yaml" };
	enum { NPOL = 3 };
	tl_seckey *sk;
	tl_pubkey *pk;
	tl_commitkey *ck;
	tl_policy *pol[NPOL];
	tl_runlog *rl[NPOL];
	tl_reader readers[NPOL][READERS_MAX];
	size_t nreaders[NPOL], i, j;
	unsigned doc;
	unsigned long checked = 0, released = 0, copies = 0, withheld_docs = 0;
	tl_diag d;

	ck_assert(tl_seckey_load(KEYS "nopw.key", NULL, &sk, &d) == TL_OK);
	ck_assert(tl_pubkey_load(KEYS "nopw.pub", &pk, &d) == TL_OK);
	ck_assert(tl_commitkey_load(KEYS "commit.key", &ck, &d) == TL_OK);
	for (i = 0; i < NPOL; i++) {
		tl_log_params lp;
		char name[32];
		ck_assert(policies[i] ? tl_policy_load(policies[i], &pol[i], &d) == TL_OK :
		    tl_policy_load_builtin(&pol[i], &d) == TL_OK);
		nreaders[i] = tl_policy_reader_count(pol[i]);
		ck_assert_uint_le(nreaders[i], READERS_MAX);
		for (j = 0; j < nreaders[i]; j++)
			ck_assert(tl_reader_profile(pol[i], tl_policy_reader_name(pol[i], j),
			    &readers[i][j], &d) == TL_OK);
		memset(&lp, 0, sizeof lp);
		lp.reader = "all";
		snprintf(name, sizeof name, "log%zu", i);
		ck_assert(tl_runlog_open(tlcheck_tmp(name), sk, ck, &lp, &rl[i], &d) == TL_OK);
	}

	for (doc = 1; doc <= DOCS; doc++) {
		char in[512];
		size_t len;
		char *text;
		tlcheck_doc pd;

		snprintf(in, sizeof in, "%s/gen.txt", tlcheck_tmpdir());
		generate(in, doc);
		text = tlcheck_slurp(in, &len);
		tlcheck_parse(&pd, in, text, len, 0);
		for (i = 0; i < NPOL; i++) {
			tl_redact_target t[READERS_MAX];
			tl_redact_report rep[READERS_MAX];
			static char outs[READERS_MAX][512];
			for (j = 0; j < nreaders[i]; j++) {
				snprintf(outs[j], sizeof outs[j], "%s/d%u.p%zu.r%zu.txt",
				    tlcheck_tmpdir(), doc, i, j);
				t[j].reader = &readers[i][j];
				t[j].path = outs[j];
			}
			ck_assert_msg(tl_runlog_redact(rl[i], pol[i], in, t, nreaders[i],
			    NULL, rep, &d) == TL_OK, "doc %u: %s", doc, d.message);
			for (j = 0; j < nreaders[i]; j++)
				withheld_docs += rep[j].whole;
		}
		tlcheck_doc_free(&pd);
		free(text);
		/* Checked at the end against the logs; the copies stay until
		 * then, the input is kept per document below. */
		{
			char keep[512];
			snprintf(keep, sizeof keep, "%s/in%u.txt", tlcheck_tmpdir(), doc);
			ck_assert_int_eq(rename(in, keep), 0);
		}
	}

	for (i = 0; i < NPOL; i++) {
		char name[32], sig[40];
		tl_log_verify_opts o = { 0 };
		tl_log_report r;
		FILE *log;

		snprintf(name, sizeof name, "log%zu", i);
		snprintf(sig, sizeof sig, "log%zu.minisig", i);
		ck_assert(tl_runlog_close(rl[i], &d) == TL_OK);
		o.all_outputs = true;
		ck_assert_msg(tl_log_verify(pk, tlcheck_tmp(name), NULL, &o, &r, &d) ==
		    TL_OK, "%s", d.message);
		ck_assert_uint_eq(r.documents, DOCS * nreaders[i]);
		check_log(tlcheck_tmp(name), tlcheck_tmp(sig));
		log = fopen(tlcheck_tmp(name), "r");
		ck_assert_ptr_nonnull(log);
		for (doc = 1; doc <= DOCS; doc++) {
			static copy_record rec[READERS_MAX];
			char in[512];
			size_t len, n;
			char *text;
			tlcheck_doc pd;

			snprintf(in, sizeof in, "%s/in%u.txt", tlcheck_tmpdir(), doc);
			text = tlcheck_slurp(in, &len);
			tlcheck_parse(&pd, in, text, len, 0);
			n = read_records(log, rec, nreaders[i]);
			ck_assert_uint_eq(n, nreaders[i]);
			for (j = 0; j < n; j++) {
				checked += check_copy(text, len, &pd, &rec[j], &released);
				unlink(rec[j].output);
				copies++;
			}
			tlcheck_doc_free(&pd);
			free(text);
		}
		fclose(log);
		tl_policy_free(pol[i]);
	}
	/* Not vacuous: many tokens, both ways, some documents withheld whole. */
	ck_assert_uint_gt(checked, 100000);
	ck_assert_uint_gt(released, 10000);
	ck_assert_uint_gt(checked - released, 10000);
	ck_assert_uint_gt(withheld_docs, 0);
	fprintf(stderr, "oracle: %u documents, %lu copies, %lu tokens checked "
	    "(%lu released, %lu withheld)\n", DOCS, copies, checked, released,
	    checked - released);
	tl_seckey_free(sk);
	tl_pubkey_free(pk);
	tl_commitkey_free(ck);
}
END_TEST

static void
setup(void)
{
	tlcheck_tmpdir_setup_memory("oracle");
}

static Suite *
suite(void)
{
	Suite *s = suite_create("oracle");
	TCase *tc = tcase_create("oracle");

	tcase_add_unchecked_fixture(tc, setup, tlcheck_tmpdir_teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_oracle);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
