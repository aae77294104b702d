/*
 * test_runlog.c: redaction recorded in a signed log (runlog.c).  Every tag
 * in the log is recomputed from the portion's text as the parser sees it;
 * nothing of a withheld portion (words, common hashes, base64) and no
 * unkeyed hash of an input reaches the log or its signature; several
 * threads share one log; a failed document leaves a gap.
 */
#define _GNU_SOURCE /* memmem */
#include "tlcheck.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#define KEYS "tests/keys/"

static tl_seckey *sk;
static tl_pubkey *pk;
static tl_commitkey *ck;
static tl_policy *pol;

static void
setup(void)
{
	tl_diag d;

	tlcheck_tmpdir_setup("runlog");
	ck_assert(sodium_init() >= 0);
	ck_assert(tl_seckey_load(tlcheck_path(KEYS "nopw.key"), NULL, &sk, &d) == TL_OK);
	ck_assert(tl_pubkey_load(tlcheck_path(KEYS "nopw.pub"), &pk, &d) == TL_OK);
	ck_assert(tl_commitkey_load(tlcheck_path(KEYS "commit.key"), &ck, &d) == TL_OK);
	ck_assert(tl_policy_load_builtin(&pol, &d) == TL_OK);
}

static void
teardown(void)
{
	tl_seckey_free(sk);
	tl_pubkey_free(pk);
	tl_commitkey_free(ck);
	tl_policy_free(pol);
	tlcheck_tmpdir_teardown();
}

/* The corpus cables, sorted (the news article included). */
static size_t
corpus(char names[][256], size_t max)
{
	struct dirent **e;
	int n, i;
	size_t k = 0;

	n = scandir(tlcheck_path("corpus"), &e, NULL, alphasort);
	ck_assert_int_ge(n, 0);
	for (i = 0; i < n; i++) {
		size_t len = strlen(e[i]->d_name);
		if (k < max && len > 4 && len < 200 &&
		    strcmp(e[i]->d_name + len - 4, ".txt") == 0) {
			int w = snprintf(names[k], 256, "corpus/%s", e[i]->d_name);
			ck_assert(w > 0 && w < 256);
			k++;
		}
		free(e[i]);
	}
	free(e);
	return k;
}

static tl_runlog *
open_log(const char *path)
{
	tl_log_params lp;
	tl_runlog *rl;
	tl_diag d;

	memset(&lp, 0, sizeof lp);
	lp.reader = "public";
	lp.policy_sha256 = tl_policy_hash(pol);
	ck_assert_msg(tl_runlog_open(path, sk, ck, &lp, &rl, &d) == TL_OK, "%s",
	    d.message);
	return rl;
}

static void
hexify(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, b, n);
}

/* Fails when `needle` occurs in the log or its signature. */
static void
assert_absent(const char *log, size_t loglen, const char *sig,
    const void *needle, size_t n, const char *what, const char *file)
{
	ck_assert_msg(n == 0 || memmem(log, loglen, needle, n) == NULL,
	    "%s of %s is in the log", what, file);
	ck_assert_msg(n == 0 || memmem(sig, strlen(sig), needle, n) == NULL,
	    "%s of %s is in the signature", what, file);
}

/* Every common unkeyed hash of `text`, in hex, must be absent. */
static void
assert_no_hashes(const char *log, size_t loglen, const char *sig,
    const char *text, size_t len, const char *file)
{
	unsigned char h[64];
	char hex[129];
	const unsigned char *t = (const unsigned char *)text;

	crypto_hash_sha256(h, t, len);
	hexify(h, 32, hex);
	assert_absent(log, loglen, sig, hex, 64, "SHA-256", file);
	crypto_hash_sha512(h, t, len);
	hexify(h, 64, hex);
	assert_absent(log, loglen, sig, hex, 128, "SHA-512", file);
	crypto_generichash(h, 32, t, len, NULL, 0);
	hexify(h, 32, hex);
	assert_absent(log, loglen, sig, hex, 64, "BLAKE2b-256", file);
	crypto_generichash(h, 64, t, len, NULL, 0);
	hexify(h, 64, hex);
	assert_absent(log, loglen, sig, hex, 128, "BLAKE2b-512", file);
}

/* Blanks the values of "mark" fields: marks are meant to be in the log. */
static void
blank_marks(char *log)
{
	char *p = log, *q;

	while ((p = strstr(p, "\"mark\":\"")) != NULL) {
		p += 8;
		for (q = p; *q && *q != '"'; q++)
			*q = '#';
		p = q;
	}
}

/* The tag that portion `por` of document `doc` of log `log_id` should
 * have: over the portion's lines of `text` (parsed in pd), newlines
 * included. */
static void
tag_of(const char *log_id, long doc, long por, const char *text, size_t len,
    const tlcheck_doc *pd, char want[TL_HASH_HEX + 1])
{
	size_t k, start;
	unsigned long ln;
	tl_tag *tt;

	ck_assert(tl_tag_begin(ck, log_id, (unsigned long)doc,
	    (unsigned long)por, &tt) == TL_OK);
	for (k = 0, ln = 1, start = 0; k <= len; k++) {
		if (k < len && text[k] != '\n')
			continue;
		if (ln <= pd->nlines && pd->owner[ln - 1] == (unsigned long)por)
			tl_tag_update(tt, text + start, k - start + (k < len));
		start = k + 1;
		ln++;
	}
	tl_tag_final(tt, want);
}
/* Redacts each corpus cable for `public` into one log, then checks every
 * dec line: its tag is the keyed tag of the text the parser gives the
 * portion; and nothing of a withheld portion is in the log. */
START_TEST(test_tags_and_leaks)
{
	static char names[64][256];
	size_t n = corpus(names, 64), i, loglen, inlen;
	/* A copy: tlcheck_tmp's buffers are reused after 16 calls, and the
	 * loop below makes one per corpus document. */
	char logp[256];
	tl_runlog *rl;
	tl_reader reader;
	tl_diag d;
	char *log, *sig, *line, *save = NULL, log_id[TL_LOG_ID_HEX + 1];
	unsigned long withheld = 0, checked = 0;

	snprintf(logp, sizeof logp, "%s", tlcheck_tmp("all.log"));
	rl = open_log(logp);
	ck_assert_uint_ge(n, 10);
	ck_assert(tl_reader_profile(pol, "public", &reader, &d) == TL_OK);
	snprintf(log_id, sizeof log_id, "%s", tl_runlog_id(rl));
	for (i = 0; i < n; i++) {
		tl_redact_target t = { &reader, NULL };
		char out[64];
		snprintf(out, sizeof out, "copy%zu.txt", i);
		t.path = tlcheck_tmp(out);
		ck_assert_msg(tl_runlog_redact(rl, pol, names[i], &t, 1, NULL, NULL,
		    &d) == TL_OK, "%s: %s", names[i], d.message);
	}
	ck_assert_uint_eq(tl_runlog_documents(rl), n);
	ck_assert_msg(tl_runlog_close(rl, &d) == TL_OK, "%s", d.message);
	{
		tl_log_verify_opts o = { 0 };
		tl_log_report r;
		o.all_outputs = true;
		ck_assert_msg(tl_log_verify(pk, logp, NULL, &o, &r, &d) == TL_OK,
		    "%s", d.message);
		ck_assert_uint_eq(r.documents, n);
		ck_assert_uint_eq(r.outputs_checked, n);
	}
	log = tlcheck_slurp(logp, &loglen);
	sig = tlcheck_slurp(tlcheck_tmp("all.log.minisig"), &inlen);

	/* Tags, recomputed from the parse of each input. */
	{
		char *copy = strdup(log);
		ck_assert_ptr_nonnull(copy);
		for (line = strtok_r(copy, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			long doc = tlcheck_log_num(line, "doc"), por = tlcheck_log_num(line, "portion");
			char tag[65], want[65], *text;
			tlcheck_doc pd;
			size_t len, k, j, start;
			unsigned long ln;

			if (strstr(line, "\"type\":\"dec\"") == NULL)
				continue;
			ck_assert(doc >= 1 && (size_t)doc <= n && por >= 1);
			ck_assert(tlcheck_log_str(line, "tag", tag, sizeof tag));
			text = tlcheck_slurp(names[doc - 1], &len);
			tlcheck_parse(&pd, names[doc - 1], text, len, 0);
			tag_of(log_id, doc, por, text, len, &pd, want);
			ck_assert_msg(strcmp(tag, want) == 0,
			    "%s portion %ld: tag differs", names[doc - 1], por);
			checked++;

			/* A withheld portion: none of its text, no hash of it. */
			if (strstr(line, "\"decision\":\"withhold\"")) {
				char *blanked = strdup(log);
				ck_assert_ptr_nonnull(blanked);
				blank_marks(blanked);
				withheld++;
				for (k = 0, ln = 1, start = 0; k <= len; k++) {
					if (k < len && text[k] != '\n')
						continue;
					if (ln <= pd.nlines &&
					    pd.owner[ln - 1] == (unsigned long)por) {
						for (j = start; j + 16 <= k; j += 4)
							assert_absent(blanked, loglen, sig,
							    text + j, 16, "16 bytes", names[doc - 1]);
						assert_no_hashes(log, loglen, sig, text + start,
						    k - start, names[doc - 1]);
						if (k - start >= 12) {
							char b64[4096];
							sodium_bin2base64(b64, sizeof b64,
							    (const unsigned char *)text + start,
							    k - start > 2000 ? 2000 : k - start,
							    sodium_base64_VARIANT_ORIGINAL);
							assert_absent(log, loglen, sig, b64,
							    16, "base64", names[doc - 1]);
						}
					}
					start = k + 1;
					ln++;
				}
				free(blanked);
			}
			tlcheck_doc_free(&pd);
			free(text);
		}
		free(copy);
	}
	ck_assert_uint_gt(checked, 50);
	ck_assert_uint_gt(withheld, 20);
	/* No unkeyed hash of any whole input. */
	for (i = 0; i < n; i++) {
		size_t len;
		char *text = tlcheck_slurp(names[i], &len);
		assert_no_hashes(log, loglen, sig, text, len, names[i]);
		free(text);
	}
	free(log);
	free(sig);
}
END_TEST

/* Two portions with the same text get different tags. */
START_TEST(test_equal_texts_differ)
{
	static const char doc[] =
	    "CONFIDENTIAL\n\nSUBJECT: (U) TWINS\n\n"
	    "1. (C) The same words in two paragraphs.\n\n"
	    "2. (C) The same words in two paragraphs.\n\n"
	    "CONFIDENTIAL\n";
	const char *in = tlcheck_tmp("twins.txt"), *logp = tlcheck_tmp("twins.log");
	tl_runlog *rl;
	tl_reader reader;
	tl_redact_target t;
	tl_diag d;
	char *log, *p, tags[3][65];
	size_t len;
	int k = 0;

	tlcheck_write(in, doc, sizeof doc - 1);
	rl = open_log(logp);
	ck_assert(tl_reader_profile(pol, "public", &reader, &d) == TL_OK);
	t.reader = &reader;
	t.path = tlcheck_tmp("twins.out");
	ck_assert(tl_runlog_redact(rl, pol, in, &t, 1, NULL, NULL, &d) == TL_OK);
	ck_assert(tl_runlog_close(rl, &d) == TL_OK);
	log = tlcheck_slurp(logp, &len);
	for (p = log; k < 3 && (p = strstr(p, "\"type\":\"dec\"")) != NULL; p++) {
		ck_assert(tlcheck_log_str(p, "tag", tags[k], sizeof tags[k]));
		k++;
	}
	ck_assert_int_eq(k, 3); /* the subject and the two paragraphs */
	ck_assert_str_ne(tags[1], tags[2]);
	free(log);
}
END_TEST

/* Several threads share one log: every document is recorded once, the
 * numbers run 1..n without gaps, and the log verifies. */
struct worker {
	tl_runlog *rl;
	const tl_reader *reader;
	char (*names)[256];
	size_t from, to, step;
	int failures;
	const char *dir;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->from; i < w->to; i += w->step) {
		tl_redact_target t[2];
		tl_diag d;
		char out[2][512];
		/* tlcheck_tmp's buffers are shared: not for threads. */
		snprintf(out[0], sizeof out[0], "%s/t%zu.a.txt", w->dir, i);
		snprintf(out[1], sizeof out[1], "%s/t%zu.b.txt", w->dir, i);
		t[0].reader = t[1].reader = w->reader;
		t[0].path = out[0];
		t[1].path = out[1];
		if (tl_runlog_redact(w->rl, pol, w->names[i % 15], t, 2, NULL,
		    NULL, &d) != TL_OK)
			w->failures++;
	}
	return NULL;
}

START_TEST(test_threads)
{
	static char names[64][256];
	const char *logp = tlcheck_tmp("mt.log");
	struct worker w[4];
	pthread_t th[4];
	tl_runlog *rl;
	tl_reader reader;
	tl_log_verify_opts o = { 0 };
	tl_log_report r;
	tl_diag d;
	char *log, *p;
	size_t len, i, docs = 60;
	long expect = 1;

	ck_assert_uint_ge(corpus(names, 64), 15);
	ck_assert(tl_reader_profile(pol, "gbr-secret", &reader, &d) == TL_OK);
	rl = open_log(logp);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ rl, &reader, names, i, docs, 4, 0,
		    tlcheck_tmpdir() };
		ck_assert(pthread_create(&th[i], NULL, work, &w[i]) == 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(w[i].failures, 0);
	}
	ck_assert_uint_eq(tl_runlog_documents(rl), 2 * docs);
	ck_assert(tl_runlog_close(rl, &d) == TL_OK);
	o.all_outputs = true;
	ck_assert_msg(tl_log_verify(pk, logp, NULL, &o, &r, &d) == TL_OK, "%s",
	    d.message);
	ck_assert_uint_eq(r.documents, 2 * docs);
	ck_assert_uint_eq(r.outputs_checked, 2 * docs);
	log = tlcheck_slurp(logp, &len);
	for (p = log; (p = strstr(p, "\"type\":\"doc\"")) != NULL; p++)
		ck_assert_int_eq(tlcheck_log_num(p, "doc"), expect++);
	ck_assert_int_eq(expect, (long)(2 * docs) + 1);
	free(log);
}
END_TEST

/* A document that fails records nothing and leaves a gap; the log of the
 * others is still valid.  Hooks of the caller are refused. */
START_TEST(test_failure_gap)
{
	static char names[64][256];
	const char *logp = tlcheck_tmp("gap.log");
	tl_runlog *rl;
	tl_reader reader;
	tl_redact_target t;
	tl_redact_options opt;
	tl_redact_hooks h;
	tl_log_report r;
	tl_diag d;
	char *log;
	size_t len;

	ck_assert_uint_ge(corpus(names, 64), 2);
	ck_assert(tl_reader_profile(pol, "public", &reader, &d) == TL_OK);
	rl = open_log(logp);
	t.reader = &reader;
	t.path = tlcheck_tmp("g1.txt");
	ck_assert(tl_runlog_redact(rl, pol, names[0], &t, 1, NULL, NULL, &d) == TL_OK);
	t.path = tlcheck_tmp("g2.txt");
	ck_assert(tl_runlog_redact(rl, pol, tlcheck_tmp("absent.txt"), &t, 1, NULL,
	    NULL, &d) == TL_EIO);
	memset(&opt, 0, sizeof opt);
	memset(&h, 0, sizeof h);
	opt.hooks = &h;
	ck_assert(tl_runlog_redact(rl, pol, names[1], &t, 1, &opt, NULL, &d) ==
	    TL_EUSAGE);
	t.path = tlcheck_tmp("g3.txt");
	ck_assert(tl_runlog_redact(rl, pol, names[1], &t, 1, NULL, NULL, &d) == TL_OK);
	ck_assert(tl_runlog_close(rl, &d) == TL_OK);
	ck_assert(tl_log_verify(pk, logp, NULL, NULL, &r, &d) == TL_OK);
	ck_assert_uint_eq(r.documents, 2);
	log = tlcheck_slurp(logp, &len);
	ck_assert_ptr_nonnull(strstr(log, "\"doc\":1,"));
	ck_assert_ptr_null(strstr(log, "\"doc\":2,"));
	ck_assert_ptr_nonnull(strstr(log, "\"doc\":3,"));
	free(log);
}
END_TEST

/* A document with more decisions than a slot keeps in memory (a thousand
 * or so): its records go through the spool file, several memory-fulls of
 * them, and come back in order and intact (line, mark, rule, tag), for
 * each of two readers.  With a spool directory that cannot be
 * written, the same document fails with a message naming it, while a
 * short one, which needs no file, is still recorded. */
START_TEST(test_long_document)
{
	static const char *const marks[] = { "U", "C", "S//NF" };
	const char *in = tlcheck_tmp("long.txt"), *logp = tlcheck_tmp("long.log");
	tl_reader readers[2];
	tl_redact_target t[2];
	tl_redact_options opt;
	tl_runlog *rl;
	tl_log_report r;
	tl_diag d;
	FILE *f;
	char *log, *p, *text, log_id[TL_LOG_ID_HEX + 1];
	long want[3] = { 0, 0, 0 };
	unsigned i, n = 3000;
	size_t len;
	tlcheck_doc pd;

	f = fopen(in, "w");
	ck_assert_ptr_nonnull(f);
	fputs("SECRET\n\nSUBJECT: (U) A LONG CABLE\n\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "%u. (%s) Paragraph %u of the long cable.\n\n", i,
		    marks[i % 3], i);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert(tl_reader_profile(pol, "gbr-secret", &readers[0], &d) == TL_OK);
	ck_assert(tl_reader_profile(pol, "public", &readers[1], &d) == TL_OK);
	t[0].reader = &readers[0];
	t[0].path = tlcheck_tmp("long.gbr.txt");
	t[1].reader = &readers[1];
	t[1].path = tlcheck_tmp("long.public.txt");

	rl = open_log(logp);
	snprintf(log_id, sizeof log_id, "%s", tl_runlog_id(rl));
	memset(&opt, 0, sizeof opt);
	opt.spool_dir = tlcheck_tmp("no-such-dir");
	ck_assert(tl_runlog_redact(rl, pol, in, t, 2, &opt, NULL, &d) == TL_EIO);
	ck_assert_msg(strstr(d.message, "log spool") != NULL &&
	    strstr(d.message, "no-such-dir") != NULL, "%s", d.message);
	ck_assert(access(t[0].path, F_OK) != 0 && access(t[1].path, F_OK) != 0);
	{
		tl_redact_target one = { &readers[1], tlcheck_tmp("short.txt") };
		ck_assert_msg(tl_runlog_redact(rl, pol,
		    "corpus/cable-tbilisi-2006-unclassified.txt", &one, 1, &opt,
		    NULL, &d) == TL_OK, "%s", d.message);
	}
	opt.spool_dir = NULL;
	ck_assert(tl_runlog_redact(rl, pol, in, t, 2, &opt, NULL, &d) == TL_OK);
	ck_assert(tl_runlog_close(rl, &d) == TL_OK);
	ck_assert_msg(tl_log_verify(pk, logp, NULL, NULL, &r, &d) == TL_OK, "%s",
	    d.message);
	ck_assert_uint_eq(r.documents, 3);

	/* Documents 4 and 5 (the failed call held 1 and 2, the short one 3)
	 * list portions 1..n+1 (the subject first), in order, each with the
	 * line and mark the parser gives it, a rule, and (every 97th, the
	 * last one too) the tag recomputed from the text. */
	text = tlcheck_slurp(in, &len);
	tlcheck_parse(&pd, in, text, len, 0);
	ck_assert_uint_eq(pd.nportions, n + 1);
	log = tlcheck_slurp(logp, NULL);
	for (p = log; (p = strstr(p, "\"type\":\"dec\"")) != NULL; p++) {
		long doc = tlcheck_log_num(p, "doc");
		if (doc == 4 || doc == 5) {
			long portion = tlcheck_log_num(p, "portion");
			const tl_portion *po = &pd.portions[portion - 1];
			char mark[TL_MARK_MAX + 1], rule[64], tag[65], t2[65];
			if (portion != want[doc - 3] + 1)
				ck_abort_msg("doc %ld: portion %ld after %ld", doc,
				    portion, want[doc - 3]);
			want[doc - 3] = portion;
			ck_assert_int_eq(tlcheck_log_num(p, "line"), (long)po->line);
			/* (Paragraphs from 1000 on have no lead the parser
			 * takes, so no mark: null.) */
			if (po->marked) {
				ck_assert(tlcheck_log_str(p, "mark", mark, sizeof mark));
				ck_assert_msg(strcmp(mark, po->mark_text) == 0,
				    "doc %ld portion %ld: mark %s, parsed %s", doc,
				    portion, mark, po->mark_text);
			} else {
				const char *null = strstr(p, "\"mark\":null");
				ck_assert(null && null < strchr(p, '\n'));
			}
			ck_assert(tlcheck_log_str(p, "rule", rule, sizeof rule));
			ck_assert(rule[0] != '\0');
			if (portion % 97 == 0 || portion == (long)n + 1) {
				ck_assert(tlcheck_log_str(p, "tag", tag, sizeof tag));
				tag_of(log_id, doc, portion, text, len, &pd, t2);
				ck_assert_str_eq(tag, t2);
			}
		}
	}
	ck_assert_int_eq(want[1], (long)n + 1);
	ck_assert_int_eq(want[2], (long)n + 1);
	tlcheck_doc_free(&pd);
	free(text);
	free(log);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("runlog");
	TCase *tc = tcase_create("runlog");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_tags_and_leaks);
	tcase_add_test(tc, test_equal_texts_differ);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_failure_gap);
	tcase_add_test(tc, test_long_document);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
