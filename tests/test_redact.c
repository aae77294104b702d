/*
 * test_redact.c: the redaction writer.  A leak property over the corpus
 * and generated documents for every reader of the bundled policies,
 * released portions copied exactly once, banners recomputed, existing
 * outputs refused, interrupted runs leaving nothing behind.
 */
#include "tlcheck.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PORTIONS_MAX 4096

/* What the hooks saw of one document, for one or more targets. */
typedef struct seen {
	char *text[PORTIONS_MAX];   /* portion texts, by index */
	size_t len[PORTIONS_MAX];
	size_t prefix_words[PORTIONS_MAX]; /* words of lead and mark */
	int verdict[8][PORTIONS_MAX];
	unsigned long nportions;
	volatile int *cancel_at_begin; /* set to cancel at the first portion */
} seen;

static size_t words_of(const char *s, size_t n, char words[][32], size_t max);

static tl_status
h_text(void *ctx, const tl_portion *p, const char *bytes, size_t len)
{
	seen *s = ctx;
	unsigned long i = p->index;

	ck_assert_uint_lt(i, PORTIONS_MAX);
	s->text[i] = realloc(s->text[i], s->len[i] + len + 1);
	ck_assert(s->text[i] != NULL);
	memcpy(s->text[i] + s->len[i], bytes, len);
	s->len[i] += len;
	s->text[i][s->len[i]] = '\0';
	return TL_OK;
}

static tl_status
h_begin(void *ctx, const tl_portion *p)
{
	seen *s = ctx;

	static char w[64][32];

	if (s->cancel_at_begin)
		*s->cancel_at_begin = 1;
	ck_assert_uint_lt(p->index, PORTIONS_MAX);
	s->prefix_words[p->index] = words_of(p->lead, strlen(p->lead), w, 64) +
	    words_of(p->mark_text, strlen(p->mark_text), w, 64);
	if (p->index > s->nportions)
		s->nportions = p->index;
	return TL_OK;
}

static tl_status
h_decision(void *ctx, size_t target, const tl_portion *p, const tl_decision *d)
{
	seen *s = ctx;

	ck_assert_uint_lt(target, 8);
	s->verdict[target][p->index] = d->verdict == TL_RELEASE ? 1 : -1;
	return TL_OK;
}

static void
seen_free(seen *s)
{
	unsigned long i;

	for (i = 0; i < PORTIONS_MAX; i++)
		free(s->text[i]);
	memset(s, 0, sizeof *s);
}

static char tmpdir[] = "/tmp/tl-redact-XXXXXX";

static void
setup(void)
{
	ck_assert(mkdtemp(tmpdir) != NULL || tmpdir[0]);
}

/* Words of `s` (letters and digits only), lower-cased, into words[]. */
static size_t
words_of(const char *s, size_t n, char words[][32], size_t max)
{
	size_t i = 0, k = 0, w;

	while (i < n && k < max) {
		while (i < n && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			i++;
		for (w = 0; i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')); i++)
			if (w < 31)
				words[k][w++] = (char)(s[i] | (s[i] >= 'A' && s[i] <= 'Z' ? 0x20 : 0));
		if (w) {
			words[k][w] = '\0';
			k++;
		}
	}
	return k;
}

/* "w1 w2 w3 w4" at position i of words. */
static void
shingle(char words[][32], size_t i, char *out, size_t size)
{
	snprintf(out, size, " %.31s %.31s %.31s %.31s ", words[i], words[i + 1], words[i + 2],
	    words[i + 3]);
}

/* The text of `s` as " w1 w2 ... " for substring search of shingles. */
static char *
normalized(const char *s, size_t n)
{
	static char words[200000][32];
	size_t k = words_of(s, n, words, 200000), i;
	char *out = malloc(k * 33 + 2), *p = out;

	ck_assert(out != NULL);
	*p++ = ' ';
	for (i = 0; i < k; i++) {
		size_t wl = strlen(words[i]);
		memcpy(p, words[i], wl);
		p[wl] = ' ';
		p += wl + 1;
	}
	*p = '\0';
	return out;
}

/* The bytes of a copy without the section banners inside portions, which
 * the copy recomputes: what a released portion's text is compared with. */
typedef struct stripped {
	char *buf;
	size_t len, cap;
} stripped;

static tl_status
strip_event(void *ctx, const tl_event *ev)
{
	stripped *st = ctx;
	const tl_line *l = ev->line;

	if (ev->kind != TL_EV_LINE || (l->portion && l->role == TL_LINE_BANNER))
		return TL_OK;
	if (st->len + l->len + l->eol_len + 1 > st->cap) {
		st->cap = (st->len + l->len + l->eol_len + 1) * 2;
		st->buf = realloc(st->buf, st->cap);
		ck_assert(st->buf != NULL);
	}
	memcpy(st->buf + st->len, l->text, l->len);
	memcpy(st->buf + st->len + l->len, l->eol, l->eol_len);
	st->len += l->len + l->eol_len;
	st->buf[st->len] = '\0';
	return TL_OK;
}

static char *
copy_without_section_banners(const char *path)
{
	stripped st = { NULL, 0, 0 };
	tl_diag d;

	ck_assert_int_eq(tl_parse_file(path, strip_event, &st, &d), TL_OK);
	if (st.buf == NULL)
		st.buf = calloc(1, 1);
	ck_assert(st.buf != NULL);
	return st.buf;
}

/* The lines of portion `p` of the input (`pd` its parse) with their line
 * endings, but its section banners: what the copy must hold unchanged. */
static char *
portion_body(const char *text, size_t len, const tlcheck_doc *pd,
    unsigned long p)
{
	char *out = malloc(len + 1);
	size_t k, start, n = 0;
	unsigned long ln;

	ck_assert(out != NULL);
	for (k = 0, ln = 1, start = 0; k <= len; k++) {
		if (k < len && text[k] != '\n')
			continue;
		if (ln <= pd->nlines && pd->owner[ln - 1] == p &&
		    pd->roles[ln - 1] != TL_LINE_BANNER) {
			memcpy(out + n, text + start, k - start + (k < len));
			n += k - start + (k < len);
		}
		start = k + 1;
		ln++;
	}
	out[n] = '\0';
	return out;
}

/*
 * The property: for every withheld portion, no four-word sequence of it
 * that occurs nowhere else in the input (not in a released portion, not
 * in a header line) appears in the copy; every released portion appears
 * in the copy exactly as in the input (its section banners recomputed).
 */
static void
check_copy(const char *input, const seen *s, int target, const char *copy_path)
{
	size_t inlen, outlen, i, k;
	char *in = tlcheck_slurp(input, &inlen);
	char *out = tlcheck_slurp(copy_path, &outlen);
	char *out_body = copy_without_section_banners(copy_path);
	tlcheck_doc pd;
	char *out_norm = normalized(out, outlen);
	char *in_norm = normalized(in, inlen);
	static char words[20000][32];
	char sh[200];
	unsigned long p;

	tlcheck_parse(&pd, input, in, inlen, 0);
	for (p = 1; p <= s->nportions; p++) {
		if (s->text[p] == NULL)
			continue;
		if (s->verdict[target][p] > 0) {
			char *body = portion_body(in, inlen, &pd, p);
			char *first = strstr(out_body, body);
			ck_assert_msg(first != NULL, "%s: released portion %lu missing", input, p);
			free(body);
			continue;
		}
		ck_assert_msg(s->verdict[target][p] < 0, "%s: portion %lu has no decision", input, p);
		k = words_of(s->text[p], s->len[p], words, 20000);
		/* The placeholder keeps the number and the marking: shingles
		 * made of those alone are not text. */
		for (i = 0; i + 4 <= k; i++) {
			if (i + 4 <= s->prefix_words[p])
				continue;
			char *rest;
			long outside = 0;
			unsigned long q;
			shingle(words, i, sh, sizeof sh);
			/* Unique to this portion?  Count its occurrences in the
			 * whole input against those inside withheld portions. */
			rest = in_norm;
			for (char *hit = strstr(rest, sh); hit; hit = strstr(hit + 1, sh))
				outside++;
			for (q = 1; q <= s->nportions; q++) {
				char *pt;
				if (s->text[q] == NULL || s->verdict[target][q] > 0)
					continue;
				pt = normalized(s->text[q], s->len[q]);
				for (char *hit = strstr(pt, sh); hit; hit = strstr(hit + 1, sh))
					outside--;
				free(pt);
			}
			if (outside > 0)
				continue; /* also said where it may be released */
			ck_assert_msg(strstr(out_norm, sh) == NULL,
			    "%s: withheld portion %lu leaks \"%s\" into %s", input, p, sh, copy_path);
		}
	}
	tlcheck_doc_free(&pd);
	free(out_body);
	free(out_norm);
	free(in_norm);
	free(in);
	free(out);
}

static void
redact_all_readers(const char *input, const char *policy_path)
{
	tl_policy *pol = NULL;
	tl_diag d;
	tl_reader readers[8];
	tl_redact_target targets[8];
	tl_redact_report reports[8];
	char paths[8][256];
	tl_redact_hooks hooks = { 0 };
	tl_redact_options opt = { 0 };
	seen *s = calloc(1, sizeof *s);
	size_t n, i;

	ck_assert(s != NULL);
	if (policy_path)
		ck_assert_int_eq(tl_policy_load(policy_path, &pol, &d), TL_OK);
	else
		ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	n = tl_policy_reader_count(pol);
	if (n > 8)
		n = 8;
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(tl_reader_profile(pol, tl_policy_reader_name(pol, i),
		    &readers[i], &d), TL_OK);
		snprintf(paths[i], sizeof paths[i], "%s/copy.%zu.txt", tmpdir, i);
		unlink(paths[i]);
		targets[i].reader = &readers[i];
		targets[i].path = paths[i];
	}
	hooks.ctx = s;
	hooks.portion_text = h_text;
	hooks.portion_begin = h_begin;
	hooks.decision = h_decision;
	opt.hooks = &hooks;
	ck_assert_msg(tl_redact_file(pol, input, targets, n, &opt, reports, &d) == TL_OK,
	    "%s: %s", input, d.message);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(reports[i].portions, s->nportions);
		ck_assert_uint_eq(reports[i].released + reports[i].withheld, reports[i].portions);
		if (!reports[i].whole)
			check_copy(input, s, (int)i, paths[i]);
		unlink(paths[i]);
	}
	seen_free(s);
	free(s);
	tl_policy_free(pol);
}

START_TEST(leak_property_on_corpus)
{
	static const char *const policies[] = { NULL, "policies/capco.yaml",
		"policies/uk-gsc.yaml" };
	DIR *dir = opendir("corpus");
	struct dirent *e;
	char path[512];
	unsigned files = 0;
	size_t k;

	ck_assert(dir != NULL);
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		snprintf(path, sizeof path, "corpus/%s", e->d_name);
		for (k = 0; k < sizeof policies / sizeof policies[0]; k++)
			redact_all_readers(path, policies[k]);
		files++;
	}
	closedir(dir);
	ck_assert_uint_ge(files, 10);
}
END_TEST

/* Generated cables: random marks, continuations, stray lines, headings. */
START_TEST(leak_property_on_generated)
{
	static const char *const marks[] = { "U", "C", "S", "S/NF", "C/NF",
		"S//REL TO USA, GBR", "C/REL UK", "SBU", "TS//SI//NF", "U//FOUO",
		"SNF", "S//REL TO USA, FVEY", "S/NOFORN", "C//ORCON" };
	static const char *const vocab[] = { "alpha", "bravo", "charlie", "delta",
		"echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
		"mike", "november", "oscar", "papa", "quebec", "romeo", "sierra",
		"tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu" };
	char path[256];
	unsigned doc, para, w;
	unsigned seed = 12345;

	snprintf(path, sizeof path, "%s/gen.txt", tmpdir);
	for (doc = 0; doc < 40; doc++) {
		FILE *f = fopen(path, "w");
		ck_assert(f != NULL);
		fprintf(f, "S E C R E T ROME 00%04u\n\nNOFORN\nSIPDIS\n\n"
		    "E.O. 12958: DECL: 01/01/2030\nSUBJECT: (C) GENERATED %u\n\n"
		    "Classified By: DCM A. B, reasons 1.4 (b,d)\n\n", doc, doc);
		for (para = 1; para <= 12; para++) {
			seed = seed * 1103515245u + 12345u;
			fprintf(f, "%u. (%s)", para, marks[(seed >> 16) % (sizeof marks / sizeof marks[0])]);
			for (w = 0; w < 12; w++) {
				seed = seed * 1103515245u + 12345u;
				fprintf(f, " %s%u", vocab[(seed >> 16) % 26], (seed >> 8) % 1000);
			}
			/* A continuation after a stray SIPDIS line, now and then. */
			if ((seed >> 20) % 3 == 0) {
				fprintf(f, " and\n\nSIPDIS\nthen");
				for (w = 0; w < 6; w++) {
					seed = seed * 1103515245u + 12345u;
					fprintf(f, " %s%u", vocab[(seed >> 16) % 26], (seed >> 8) % 1000);
				}
			}
			fputs(".\n\n", f);
			if ((seed >> 24) % 5 == 0)
				fputs("Some Heading\n\n", f);
		}
		fputs("S E C R E T\n", f);
		ck_assert_int_eq(fclose(f), 0);
		redact_all_readers(path, NULL);
	}
	unlink(path);
}
END_TEST

static tl_policy *
builtin(void)
{
	tl_policy *pol = NULL;
	tl_diag d;

	ck_assert_int_eq(tl_policy_load_builtin(&pol, &d), TL_OK);
	return pol;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert(f != NULL);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static const char cable[] =
    "VZCZCXYZ0001\nRR RUEHWEB\n\nDE RUEHRO #0001/01 1231500\nZNY SSSSS ZZH\n"
    "R 031500Z MAY 08\nFM AMEMBASSY ROME\n\n"
    "S E C R E T ROME 000001\n\nNOFORN\nSIPDIS\n\nE.O. 12958: DECL: 01/02/2030\n"
    "SUBJECT: (U) A SUBJECT\n\nClassified By: DCM A. Person, reasons 1.4 (b,d)\n\n"
    "1. (S/NF) Secret noforn words here.\n\n2. (C) Confidential words here.\n\n"
    "3. (U) Unclassified words here.\n\nS E C R E T\n";

static void
redact_one(tl_policy *pol, const char *reader, const char *in, const char *out,
    tl_redact_report *rep, tl_status want)
{
	tl_reader r;
	tl_redact_target t;
	tl_diag d;

	ck_assert_int_eq(tl_reader_profile(pol, reader, &r, &d), TL_OK);
	t.reader = &r;
	t.path = out;
	ck_assert_msg(tl_redact_file(pol, in, &t, 1, NULL, rep, &d) == want,
	    "%s: %s", reader, d.message);
}

START_TEST(banner_recomputed)
{
	tl_policy *pol = builtin();
	tl_redact_report rep;
	char in[256], out[256], *text;

	snprintf(in, sizeof in, "%s/in.txt", tmpdir);
	snprintf(out, sizeof out, "%s/out.txt", tmpdir);
	write_file(in, cable);
	unlink(out);
	redact_one(pol, "us-confidential", in, out, &rep, TL_OK);
	text = tlcheck_slurp(out, NULL);
	ck_assert_msg(strstr(text, "C O N F I D E N T I A L ROME 000001\n") != NULL, "%s", text);
	ck_assert_ptr_null(strstr(text, "S E C R E T"));
	ck_assert_ptr_null(strstr(text, "Secret noforn words"));
	ck_assert_ptr_nonnull(strstr(text, "2. (C) Confidential words here.\n"));
	ck_assert_ptr_nonnull(strstr(text, "ZNY CCCCC ZZH"));
	ck_assert_ptr_null(strstr(text, "\nNOFORN\n")); /* no released NOFORN */
	ck_assert_ptr_nonnull(strstr(text, "\nSIPDIS\n"));
	ck_assert_ptr_nonnull(strstr(text, "Classified By:"));
	ck_assert_uint_eq(rep.released, 3);
	ck_assert_uint_eq(rep.withheld, 1);
	free(text);
	unlink(out);
	/* The public gets only unclassified text: no authority block. */
	redact_one(pol, "public", in, out, &rep, TL_OK);
	text = tlcheck_slurp(out, NULL);
	ck_assert_ptr_null(strstr(text, "Classified By"));
	ck_assert_ptr_null(strstr(text, "Confidential words"));
	ck_assert_ptr_nonnull(strstr(text, "3. (U) Unclassified words here.\n"));
	ck_assert_msg(strstr(text, "S E C R E T") == NULL && strstr(text, "C O N F") == NULL, "%s", text);
	free(text);
	unlink(out);
	unlink(in);
	tl_policy_free(pol);
}
END_TEST

START_TEST(existing_output_is_refused)
{
	tl_policy *pol = builtin();
	tl_redact_report rep;
	char in[256], out[256], *text;

	snprintf(in, sizeof in, "%s/in.txt", tmpdir);
	snprintf(out, sizeof out, "%s/out.txt", tmpdir);
	write_file(in, cable);
	write_file(out, "precious\n");
	redact_one(pol, "us-secret", in, out, &rep, TL_EEXIST);
	text = tlcheck_slurp(out, NULL);
	ck_assert_str_eq(text, "precious\n");
	free(text);
	unlink(out);
	unlink(in);
	tl_policy_free(pol);
}
END_TEST

static unsigned
count_files(const char *dirpath)
{
	DIR *d = opendir(dirpath);
	struct dirent *e;
	unsigned n = 0;

	ck_assert(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

START_TEST(interrupted_run_leaves_nothing)
{
	tl_policy *pol = builtin();
	tl_reader r;
	tl_redact_target t;
	tl_redact_options opt = { 0 };
	tl_redact_hooks hooks = { 0 };
	seen *s = calloc(1, sizeof *s);
	volatile int cancel = 0;
	tl_diag d;
	char in[256], out[256];
	unsigned before;

	snprintf(in, sizeof in, "%s/in.txt", tmpdir);
	snprintf(out, sizeof out, "%s/out.txt", tmpdir);
	write_file(in, cable);
	unlink(out);
	before = count_files(tmpdir);
	ck_assert_int_eq(tl_reader_profile(pol, "us-secret", &r, &d), TL_OK);
	t.reader = &r;
	t.path = out;
	s->cancel_at_begin = (volatile int *)&cancel;
	hooks.ctx = s;
	hooks.portion_begin = h_begin;
	opt.hooks = &hooks;
	opt.cancel = &cancel;
	ck_assert_int_eq(tl_redact_file(pol, in, &t, 1, &opt, NULL, &d), TL_EINTR);
	ck_assert_int_ne(access(out, F_OK), 0);
	ck_assert_uint_eq(count_files(tmpdir), before); /* no temporary files */
	seen_free(s);
	free(s);
	unlink(in);
	tl_policy_free(pol);
}
END_TEST

START_TEST(binary_input_withheld_whole)
{
	tl_policy *pol = builtin();
	tl_redact_report rep;
	char in[256], out[256], *text;
	FILE *f;

	snprintf(in, sizeof in, "%s/bin.txt", tmpdir);
	snprintf(out, sizeof out, "%s/out.txt", tmpdir);
	f = fopen(in, "wb");
	fwrite("SECRET\n\n1. (U) ok\0junk\n", 1, 24, f);
	fclose(f);
	unlink(out);
	redact_one(pol, "us-secret", in, out, &rep, TL_OK);
	ck_assert(rep.whole);
	text = tlcheck_slurp(out, NULL);
	ck_assert_str_eq(text, "[WITHHELD: entire document: binary input (NUL byte at line 3)]\n");
	free(text);
	unlink(out);
	unlink(in);
	tl_policy_free(pol);
}
END_TEST

/* tl_redact_stats: counts add up, a document withheld whole is listed,
 * the text of a parenthesis taken for a mark is not in the output. */
static tl_status
to_buf(void *ctx, const char *bytes, size_t len)
{
	FILE *f = ctx;

	return fwrite(bytes, 1, len, f) == len ? TL_OK : TL_EIO;
}

START_TEST(stats_count_and_mask)
{
	tl_policy *pol = builtin();
	tl_reader r[2];
	tl_redact_target t[2];
	tl_redact_options opt;
	tl_redact_stats *st;
	tl_redact_totals tot;
	tl_diag d;
	char in[256], bin[256], out[2][256], *json = NULL, *text = NULL;
	size_t jlen = 0, tlen = 0, i;
	FILE *f;

	snprintf(in, sizeof in, "%s/doc.txt", tmpdir);
	snprintf(bin, sizeof bin, "%s/bin.txt", tmpdir);
	/* Prose the parser takes for a mark: "//" makes a parenthesis one. */
	write_file(in, "SECRET\n\n1. (the plan//an attack on Tuesday) Text.\n"
	    "\n2. (S) Secret text\ngoes on.\n\n3. (U) Open text.\n");
	f = fopen(bin, "wb");
	fwrite("SECRET\n\n1. (U) ok\0junk\n", 1, 24, f);
	fclose(f);
	ck_assert_int_eq(tl_reader_profile(pol, "public", &r[0], &d), TL_OK);
	ck_assert_int_eq(tl_reader_profile(pol, "us-secret", &r[1], &d), TL_OK);
	ck_assert_ptr_null(tl_redact_stats_new(pol, r, 0));
	st = tl_redact_stats_new(pol, r, 2);
	ck_assert_ptr_nonnull(st);
	memset(&opt, 0, sizeof opt);
	opt.stats = st;
	for (i = 0; i < 2; i++) {
		snprintf(out[i], sizeof out[i], "%s/out%zu.txt", tmpdir, i);
		t[i].reader = &r[i];
		t[i].path = out[i];
	}
	ck_assert_int_eq(tl_redact_file(pol, in, t, 2, &opt, NULL, &d), TL_OK);
	for (i = 0; i < 2; i++)
		unlink(out[i]);
	ck_assert_int_eq(tl_redact_file(pol, bin, t, 2, &opt, NULL, &d), TL_OK);
	for (i = 0; i < 2; i++)
		unlink(out[i]);
	/* A failed document (its input is missing) counts as failed only. */
	ck_assert_int_ne(tl_redact_file(pol, "/nonexistent", t, 2, &opt, NULL,
	    &d), TL_OK);
	ck_assert_uint_eq(tl_redact_stats_failed(st), 1);

	ck_assert_int_eq(tl_redact_stats_totals(st, 0, &tot), TL_OK);
	ck_assert_uint_eq(tot.documents, 2);
	ck_assert_uint_eq(tot.whole, 1);
	ck_assert_uint_eq(tot.portions, 4);
	ck_assert_uint_eq(tot.released, 1);
	ck_assert_uint_eq(tot.withheld, 3);
	/* 4 lines, and 2 of the binary one (its last line is a NUL byte) */
	ck_assert_uint_eq(tot.lines, 6);
	ck_assert_uint_eq(tot.lines_released, 1);
	ck_assert_uint_eq(tot.lines_withheld, 5);
	ck_assert_int_eq(tl_redact_stats_totals(st, 1, &tot), TL_OK);
	ck_assert_uint_eq(tot.released, 2); /* (S) and (U) */
	ck_assert_int_eq(tl_redact_stats_totals(st, 2, &tot), TL_EUSAGE);

	f = open_memstream(&json, &jlen);
	ck_assert_int_eq(tl_redact_stats_write_json(st, to_buf, f), TL_OK);
	fclose(f);
	f = open_memstream(&text, &tlen);
	ck_assert_int_eq(tl_redact_stats_write_text(st, 5, to_buf, f), TL_OK);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(json, "\"tearline_stats\":1"));
	ck_assert_ptr_nonnull(strstr(json, "\"rule\":\"mark-malformed\""));
	ck_assert_ptr_nonnull(strstr(json, "mark '? ?//? ? ? ?' cannot be parsed"));
	ck_assert_ptr_nonnull(strstr(json, "\"rule\":\"document-binary\""));
	ck_assert_ptr_nonnull(strstr(text, "1 withheld whole"));
	ck_assert_ptr_nonnull(strstr(text, "bin.txt (document-binary)"));
	ck_assert_ptr_null(strstr(json, "Tuesday"));
	ck_assert_ptr_null(strstr(json, "attack"));
	ck_assert_ptr_null(strstr(text, "Tuesday"));
	free(json);
	free(text);
	tl_redact_stats_free(st);
	tl_redact_stats_free(NULL);
	unlink(in);
	unlink(bin);
	tl_policy_free(pol);
}
END_TEST

static void
teardown(void)
{
	rmdir(tmpdir);
}

static Suite *
suite(void)
{
	Suite *s = suite_create("redact");
	TCase *tc = tcase_create("redact");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, banner_recomputed);
	tcase_add_test(tc, existing_output_is_refused);
	tcase_add_test(tc, interrupted_run_leaves_nothing);
	tcase_add_test(tc, binary_input_withheld_whole);
	tcase_add_test(tc, stats_count_and_mask);
	tcase_add_test(tc, leak_property_on_corpus);
	tcase_add_test(tc, leak_property_on_generated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
