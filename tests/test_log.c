/*
 * test_log.c: the signed log, written with synthetic documents and read
 * back: happy path (also by minisign), a byte-for-byte known-good log,
 * every line flipped, deleted, duplicated, swapped, truncated, appended;
 * a forger who rechains but cannot sign; other keys and signatures;
 * outputs, policy and inputs; leaks of withheld text; malformed input.
 */
#define _DEFAULT_SOURCE /* mkdtemp */

#include "tlcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#define KEYS "tests/keys/"
#define GOLDEN_ID "0123456789abcdef0123456789abcdef"

/* ------------------------------------------------------------------------
 * Helpers
 * ---------------------------------------------------------------------- */

/* Each test gets a fresh directory (tests/support). */
static void
setup(void)
{
	tlcheck_tmpdir_setup("log");
}

static void
teardown(void)
{
	tlcheck_tmpdir_teardown();
}

static int
have_minisign(void)
{
	if (system("command -v minisign >/dev/null 2>&1") == 0)
		return 1;
	fprintf(stderr, "skip: minisign is not installed\n");
	return 0;
}

/* ------------------------------------------------------------------------
 * A synthetic run: three documents, written as the redaction stage will
 * drive the writer.  The texts are made up for the tests.
 * ---------------------------------------------------------------------- */

struct portion_spec {
	unsigned long line;
	const char *mark;
	const char *text;
	bool release;
	const char *rule;
};

struct doc_spec {
	const char *input;  /* name in the log and file in tlcheck_tmpdir() */
	const char *output; /* NULL: withheld whole, nothing written */
	const struct portion_spec *portions;
	size_t n;
};

static const struct portion_spec doc1[] = {
	{ 7, "U", "(U) The embassy is closed on the national holiday.\n",
	    true, "level-ok" },
	{ 9, "S//NF", "(S//NF) The attache counted forty vehicles at the "
	    "northern crossing before dawn.\n", false, "noforn" },
	{ 12, "C", "(C) 42\n", false, "level-too-high" },
	{ 14, "U", "(U) Visa hours are unchanged.\n", true, "level-ok" },
};
static const struct portion_spec doc2[] = {
	{ 5, NULL, "Unmarked remarks of the deputy about \"quiet talks\".\n",
	    false, "unmarked" },
};
/* Two portions with the same text: their tags must differ. */
static const struct portion_spec doc3[] = {
	{ 4, "C", "(C) Repeat after me: the plan holds.\n", false,
	    "level-too-high" },
	{ 6, "C", "(C) Repeat after me: the plan holds.\n", false,
	    "level-too-high" },
	{ 8, "U//SBU", "(U//SBU) Contact list attached.\n", true, NULL },
};
static const struct doc_spec docs[] = {
	{ "in1.txt", "out1.txt", doc1, 4 },
	{ "in2.txt", NULL, doc2, 1 },
	{ "in3.txt", "out3.txt", doc3, 3 },
};
#define NDOCS 3
/* head + (4 + 1) + (1 + 1) + (3 + 1) + end */
#define NLINES 13

static const char *const withheld[] = {
	"(S//NF) The attache counted forty vehicles at the northern crossing "
	    "before dawn.\n",
	"(C) 42\n",
	"Unmarked remarks of the deputy about \"quiet talks\".\n",
	"(C) Repeat after me: the plan holds.\n",
	"The attache counted forty vehicles",
	"quiet talks",
};

static void
write_inputs(void)
{
	size_t i, k;

	for (i = 0; i < NDOCS; i++) {
		FILE *in = fopen(tlcheck_tmp(docs[i].input), "wb");
		FILE *out = docs[i].output ? fopen(tlcheck_tmp(docs[i].output), "wb") :
		    NULL;

		ck_assert_ptr_nonnull(in);
		fprintf(in, "SECRET//NOFORN\nSUBJECT: test document %zu\n\n", i);
		if (out)
			fprintf(out, "SECRET//NOFORN\nSUBJECT: test document "
			    "%zu\n\n", i);
		for (k = 0; k < docs[i].n; k++) {
			fputs(docs[i].portions[k].text, in);
			if (out)
				fputs(docs[i].portions[k].release ?
				    docs[i].portions[k].text :
				    "[portion withheld]\n", out);
		}
		ck_assert_int_eq(fclose(in), 0);
		if (out)
			ck_assert_int_eq(fclose(out), 0);
	}
	tlcheck_write(tlcheck_tmp("policy.yaml"), "reader: test-reader\n", 20);
}

static void
tag_text(tl_log *log, unsigned long portion, const char *text, size_t len,
    char hex[TL_HASH_HEX + 1])
{
	tl_tag *t;
	size_t half = len / 2;

	ck_assert_int_eq(tl_log_tag_begin(log, portion, &t), TL_OK);
	tl_tag_update(t, text, half);
	tl_tag_update(t, text + half, len - half);
	tl_tag_final(t, hex);
}

/*
 * Writes the run's log to `path` with the key `seckey`.  `golden` fixes
 * the log id, time stamp and tool so that the bytes are reproducible.
 */
static void
write_run(const char *path, const char *seckey, bool golden)
{
	tl_seckey *sk;
	tl_commitkey *ck;
	tl_log *log;
	tl_log_params p = { 0 };
	char policy[TL_HASH_HEX + 1], itag[TL_HASH_HEX + 1];
	char ptag[TL_HASH_HEX + 1], osha[TL_HASH_HEX + 1];
	char *input;
	size_t i, k, len;
	unsigned long docno;
	tl_diag d;

	write_inputs();
	ck_assert_int_eq(tl_seckey_load(seckey, NULL, &sk, &d), TL_OK);
	ck_assert_int_eq(tl_commitkey_load(KEYS "commit.key", &ck, &d), TL_OK);
	ck_assert_int_eq(tl_sha256_file(tlcheck_tmp("policy.yaml"), policy, &d),
	    TL_OK);
	p.reader = "test-reader";
	p.policy_sha256 = policy;
	if (golden) {
		p.log_id = GOLDEN_ID;
		p.created = "2024-05-01T12:00:00Z";
		p.tool = "tearline test";
	}
	ck_assert_msg(tl_log_open(path, sk, ck, &p, &log, &d) == TL_OK, "%s",
	    d.message);
	for (i = 0; i < NDOCS; i++) {
		ck_assert_int_eq(tl_log_doc_begin(log, &docno), TL_OK);
		ck_assert_uint_eq(docno, i + 1);
		for (k = 0; k < docs[i].n; k++) {
			const struct portion_spec *ps = &docs[i].portions[k];
			tl_log_dec_fields dec = { 0 };

			tag_text(log, k + 1, ps->text, strlen(ps->text), ptag);
			dec.portion = k + 1;
			dec.line = ps->line;
			dec.mark = ps->mark;
			dec.release = ps->release;
			dec.rule = ps->rule;
			dec.tag = ptag;
			ck_assert_msg(tl_log_decision(log, &dec, &d) == TL_OK,
			    "%s", d.message);
		}
		input = tlcheck_slurp(tlcheck_tmp(docs[i].input), &len);
		tag_text(log, 0, input, len, itag);
		free(input);
		{
			tl_log_doc_fields df = { 0 };

			df.input = docs[i].input;
			df.input_tag = itag;
			if (docs[i].output) {
				ck_assert_int_eq(tl_sha256_file(
				    tlcheck_tmp(docs[i].output), osha, &d), TL_OK);
				df.output = docs[i].output;
				df.output_sha256 = osha;
			}
			ck_assert_msg(tl_log_doc_end(log, &df, &d) == TL_OK,
			    "%s", d.message);
		}
	}
	ck_assert_msg(tl_log_close(log, &d) == TL_OK, "%s", d.message);
	tl_seckey_free(sk);
	tl_commitkey_free(ck);
}

static tl_status
verify(const char *log, const char *sig, const tl_log_verify_opts *o,
    tl_log_report *r, tl_diag *d)
{
	tl_pubkey *pk;
	tl_status st;

	ck_assert_int_eq(tl_pubkey_load(KEYS "nopw.pub", &pk, d), TL_OK);
	st = tl_log_verify(pk, log, sig, o, r, d);
	tl_pubkey_free(pk);
	return st;
}

/* The lines of a file, newline excluded, for rearranging. */
struct lines {
	char *buf;
	size_t len, n;
	size_t off[64], llen[64];
};

static void
lines_load(struct lines *L, const char *path)
{
	size_t i, start = 0;

	L->buf = tlcheck_slurp(path, &L->len);
	L->n = 0;
	for (i = 0; i < L->len; i++)
		if (L->buf[i] == '\n') {
			ck_assert_uint_lt(L->n, 64);
			L->off[L->n] = start;
			L->llen[L->n] = i - start;
			L->n++;
			start = i + 1;
		}
}

/* Writes the lines idx[0..n) (0-based) of L, each with its newline. */
static void
lines_write(const struct lines *L, const char *path, const int *idx,
    size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < n; i++) {
		fwrite(L->buf + L->off[idx[i]], 1, L->llen[idx[i]], f);
		fputc('\n', f);
	}
	ck_assert_int_eq(fclose(f), 0);
}

/* Verifies `path` against the run's signature; returns the status. */
static tl_status
verify_copy(const char *path, tl_log_report *r)
{
	tl_diag d;

	return verify(path, tlcheck_tmp("run.log.minisig"), NULL, r, &d);
}

/* ------------------------------------------------------------------------
 * 1. Happy path; 7. known answers: the known-good log
 * ---------------------------------------------------------------------- */

START_TEST(test_happy_path)
{
	tl_log_file outs[2], ins[3];
	tl_log_verify_opts o = { 0 };
	tl_log_report r;
	tl_commitkey *ck;
	struct stat sb;
	char cmd[512];
	tl_diag d;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, NULL, &r, &d), TL_OK);
	ck_assert(r.valid);
	ck_assert_str_eq(r.check, "");
	ck_assert_uint_eq(r.lines, NLINES);
	ck_assert_uint_eq(r.documents, 3);
	ck_assert_uint_eq(r.released, 3);
	ck_assert_uint_eq(r.withheld, 5);
	ck_assert_str_eq(r.key_id, "53ABB9082C9DFA25");
	ck_assert(strstr(r.trusted_comment, r.root) != NULL);
	ck_assert(strstr(r.trusted_comment, "entries:12") != NULL);
	ck_assert_int_eq(stat(tlcheck_tmp("run.log"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0644);
	/* Only the log, its signature and the test's own files. */
	ck_assert_int_eq(tlcheck_sh("test $(ls '%s' | wc -l) -eq 8", tlcheck_tmpdir()), 0);

	/* With every optional check. */
	outs[0].name = "out1.txt";
	outs[0].path = tlcheck_tmp("out1.txt");
	outs[1].name = "out3.txt";
	outs[1].path = tlcheck_tmp("out3.txt");
	ins[0].name = "in1.txt";
	ins[0].path = tlcheck_tmp("in1.txt");
	ins[1].name = "in2.txt";
	ins[1].path = tlcheck_tmp("in2.txt");
	ins[2].name = "in3.txt";
	ins[2].path = tlcheck_tmp("in3.txt");
	ck_assert_int_eq(tl_commitkey_load(KEYS "commit.key", &ck, &d), TL_OK);
	o.outputs = outs;
	o.noutputs = 2;
	o.policy_path = tlcheck_tmp("policy.yaml");
	o.commit_key = ck;
	o.inputs = ins;
	o.ninputs = 3;
	ck_assert_msg(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d) == TL_OK, "%s",
	    d.message);
	ck_assert_uint_eq(r.outputs_checked, 2);
	ck_assert_uint_eq(r.inputs_checked, 3);
	tl_commitkey_free(ck);

	/* Stock minisign verifies the log and prints the root. */
	if (have_minisign()) {
		ck_assert_int_eq(tlcheck_sh("minisign -Vm '%s' -p " KEYS "nopw.pub -q",
		    tlcheck_tmp("run.log")), 0);
		snprintf(cmd, sizeof cmd, "minisign -QVm '%s' -p " KEYS
		    "nopw.pub | grep -q 'root:%s'", tlcheck_tmp("run.log"), r.root);
		ck_assert_int_eq(tlcheck_sh("%s", cmd), 0);
	}
}
END_TEST

START_TEST(test_golden_log)
{
	char *want, *got;
	size_t wlen, glen;
	tl_log_report r;
	tl_diag d;
	const char *regen = getenv("TEARLINE_REGEN_GOLDEN");

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", true);
	if (regen && *regen) {
		/* Deliberate, by hand: refresh the fixture after a format
		 * change, then review the diff. */
		ck_assert_int_eq(tlcheck_sh("cp '%s' '%s.minisig' " KEYS,
		    tlcheck_tmp("run.log"), tlcheck_tmp("run.log")), 0);
		ck_assert_int_eq(tlcheck_sh("mv " KEYS "run.log " KEYS "golden.log && "
		    "mv " KEYS "run.log.minisig " KEYS "golden.log.minisig"),
		    0);
	}
	want = tlcheck_slurp(KEYS "golden.log", &wlen);
	got = tlcheck_slurp(tlcheck_tmp("run.log"), &glen);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_msg(memcmp(want, got, wlen) == 0, "the log differs from "
	    KEYS "golden.log");
	free(want);
	free(got);
	want = tlcheck_slurp(KEYS "golden.log.minisig", &wlen);
	got = tlcheck_slurp(tlcheck_tmp("run.log.minisig"), &glen);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_msg(memcmp(want, got, wlen) == 0, "the signature differs "
	    "from " KEYS "golden.log.minisig");
	free(want);
	free(got);
	/* The fixture itself verifies, whatever the writer does later. */
	ck_assert_int_eq(verify(KEYS "golden.log", NULL, NULL, &r, &d), TL_OK);
	ck_assert_str_eq(r.log_id, GOLDEN_ID);
}
END_TEST

/* ------------------------------------------------------------------------
 * 2. Every line: flip, delete, duplicate, swap, truncate, append
 * ---------------------------------------------------------------------- */

/* A change to line k (1-based) is caught on line k, or on line k + 1
 * whose prev no longer matches. */
static void
expect_caught(tl_status st, const tl_log_report *r, size_t k,
    const char *what)
{
	ck_assert_msg(st == TL_EVERIFY || st == TL_ESYNTAX,
	    "%s line %zu: status %d", what, k, st);
	ck_assert_msg(!r->valid, "%s line %zu: valid", what, k);
	ck_assert_msg(r->line == k || (r->line == k + 1 &&
	    strcmp(r->check, "chain") == 0), "%s line %zu: reported line "
	    "%lu (%s: %s)", what, k, r->line, r->check, r->message);
}

START_TEST(test_flip_every_byte)
{
	struct lines L;
	tl_log_report r;
	size_t k, pos;
	char *copy;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	lines_load(&L, tlcheck_tmp("run.log"));
	ck_assert_uint_eq(L.n, NLINES);
	copy = malloc(L.len);
	for (k = 0; k < L.n; k++) {
		/* Every byte of the line and its newline. */
		for (pos = L.off[k]; pos <= L.off[k] + L.llen[k]; pos++) {
			memcpy(copy, L.buf, L.len);
			copy[pos] ^= 0x01;
			tlcheck_write(tlcheck_tmp("t.log"), copy, L.len);
			expect_caught(verify_copy(tlcheck_tmp("t.log"), &r), &r, k + 1,
			    "flip");
		}
	}
	free(copy);
	free(L.buf);
}
END_TEST

START_TEST(test_rearrange_lines)
{
	struct lines L;
	tl_log_report r;
	int idx[64];
	size_t k, i, n;
	tl_status st;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	lines_load(&L, tlcheck_tmp("run.log"));
	for (k = 0; k < L.n; k++) {
		/* Delete line k. */
		for (n = i = 0; i < L.n; i++)
			if (i != k)
				idx[n++] = (int)i;
		lines_write(&L, tlcheck_tmp("t.log"), idx, n);
		st = verify_copy(tlcheck_tmp("t.log"), &r);
		if (k + 1 == L.n) {
			ck_assert_int_eq(st, TL_EVERIFY);
			ck_assert_str_eq(r.check, "truncated");
		} else
			expect_caught(st, &r, k + 1, "delete");

		/* Duplicate line k. */
		for (n = i = 0; i < L.n; i++) {
			idx[n++] = (int)i;
			if (i == k)
				idx[n++] = (int)i;
		}
		lines_write(&L, tlcheck_tmp("t.log"), idx, n);
		expect_caught(verify_copy(tlcheck_tmp("t.log"), &r), &r, k + 2,
		    "duplicate");

		/* Swap lines k and k + 1. */
		if (k + 1 < L.n) {
			for (i = 0; i < L.n; i++)
				idx[i] = (int)i;
			idx[k] = (int)k + 1;
			idx[k + 1] = (int)k;
			lines_write(&L, tlcheck_tmp("t.log"), idx, L.n);
			expect_caught(verify_copy(tlcheck_tmp("t.log"), &r), &r, k + 1,
			    "swap");
		}

		/* Truncate after line k, then inside line k. */
		if (k + 1 < L.n) {
			tlcheck_write(tlcheck_tmp("t.log"), L.buf, L.off[k + 1]);
			ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r),
			    TL_EVERIFY);
			ck_assert_str_eq(r.check, "truncated");
		}
		tlcheck_write(tlcheck_tmp("t.log"), L.buf, L.off[k] + L.llen[k] / 2);
		ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
		ck_assert_uint_eq(r.line, k + 1);
	}

	/* Append: a copy of a line, or a whole valid-looking end line. */
	for (i = 0; i < L.n; i++)
		idx[i] = (int)i;
	idx[L.n] = 1;
	lines_write(&L, tlcheck_tmp("t.log"), idx, L.n + 1);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_EVERIFY);
	ck_assert_uint_eq(r.line, L.n + 1);
	ck_assert_str_eq(r.check, "order");
	idx[L.n] = (int)L.n - 1;
	lines_write(&L, tlcheck_tmp("t.log"), idx, L.n + 1);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_EVERIFY);
	ck_assert_uint_eq(r.line, L.n + 1);
	/* Empty log. */
	tlcheck_write(tlcheck_tmp("t.log"), "", 0);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_EVERIFY);
	ck_assert_str_eq(r.check, "truncated");
	free(L.buf);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3. Forgers; 4. signatures and comments
 * ---------------------------------------------------------------------- */

/* Rewrites the log as a forger would after changing some line: every
 * prev recomputed, the end line's root recomputed.  Returns the new
 * trusted comment in `tc`. */
static void
rechain(struct lines *L, const char *path, char *tc, size_t tcsize)
{
	tl_merkle *m = tl_merkle_new();
	unsigned char root[32];
	char prev[TL_HASH_HEX + 1], rhex[65], *p;
	FILE *f = fopen(path, "wb");
	size_t k, i;

	ck_assert_ptr_nonnull(f);
	for (k = 0; k < L->n; k++) {
		char *line = L->buf + L->off[k];

		if (k > 0) {
			p = strstr(line, "\"prev\":\"");
			ck_assert_ptr_nonnull(p);
			memcpy(p + 8, prev, 64);
		}
		if (k + 1 == L->n) {
			tl_merkle_root(m, root);
			for (i = 0; i < 32; i++)
				snprintf(rhex + 2 * i, 3, "%02x", root[i]);
			p = strstr(line, "\"root\":\"");
			ck_assert_ptr_nonnull(p);
			memcpy(p + 8, rhex, 64);
		} else
			tl_merkle_add(m, line, L->llen[k]);
		tl_chain_hash(line, L->llen[k], prev);
		fwrite(line, 1, L->llen[k], f);
		fputc('\n', f);
	}
	ck_assert_int_eq(fclose(f), 0);
	tl_merkle_free(m);
	p = strstr(L->buf, "\"log_id\":\"");
	snprintf(tc, tcsize, "format:" TL_LOG_FORMAT "\tlog:%.32s\t"
	    "entries:%zu\troot:%s", p + 10, L->n - 1, rhex);
}

START_TEST(test_forgers)
{
	struct lines L;
	tl_log_report r;
	tl_seckey *other;
	tl_pubkey *opk;
	char tc[256], *p;
	tl_diag d;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	/* Turn the first withheld decision into a release. */
	lines_load(&L, tlcheck_tmp("run.log"));
	p = strstr(L.buf, "\"decision\":\"withhold\"");
	ck_assert_ptr_nonnull(p);
	memcpy(p + 12, "release", 7);
	memmove(p + 19, p + 20, L.len - (size_t)(p + 20 - L.buf));
	tlcheck_write(tlcheck_tmp("t.log"), L.buf, L.len - 1);
	free(L.buf);
	lines_load(&L, tlcheck_tmp("t.log"));
	/* As edited, the chain breaks on the next line. */
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_EVERIFY);
	ck_assert_str_eq(r.check, "chain");
	/* Rechained, rerooted: only the signature can tell. */
	rechain(&L, tlcheck_tmp("f.log"), tc, sizeof tc);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("f.log"), &r), TL_EVERIFY);
	ck_assert_str_eq(r.check, "signature");
	ck_assert_uint_eq(r.line, 0);

	/* Re-signed with the forger's own key. */
	ck_assert_int_eq(tl_seckey_load(KEYS "other.key", NULL, &other, &d),
	    TL_OK);
	ck_assert_int_eq(tl_sign_file(other, tlcheck_tmp("f.log"), tc, NULL,
	    tlcheck_tmp("f.log.minisig"), &d), TL_OK);
	tl_seckey_free(other);
	ck_assert_int_eq(verify(tlcheck_tmp("f.log"), NULL, NULL, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "key-id");
	ck_assert(strstr(d.message, "C08054682387413A") != NULL);
	/* Even checked with the forger's public key, the head names the
	 * genuine signing key. */
	ck_assert_int_eq(tl_pubkey_load(KEYS "other.pub", &opk, &d), TL_OK);
	ck_assert_int_eq(tl_log_verify(opk, tlcheck_tmp("f.log"), NULL, NULL, &r, &d),
	    TL_EVERIFY);
	ck_assert_str_eq(r.check, "key-id");
	ck_assert_uint_eq(r.line, 1);
	tl_pubkey_free(opk);
	free(L.buf);
}
END_TEST

START_TEST(test_signature_files)
{
	struct lines S;
	tl_log_report r;
	char *tcline;
	int idx[4] = { 0, 1, 2, 3 };
	tl_diag d;
	FILE *f;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	write_run(tlcheck_tmp("two.log"), KEYS "nopw.key", false);
	/* The .minisig of another log by the same key. */
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("two.log.minisig"), NULL,
	    &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "signature");

	/* Untrusted comment edited: still valid (it is not signed). */
	lines_load(&S, tlcheck_tmp("run.log.minisig"));
	ck_assert_uint_eq(S.n, 4);
	f = fopen(tlcheck_tmp("u.minisig"), "wb");
	fputs("untrusted comment: edited by anyone\n", f);
	fclose(f);
	f = fopen(tlcheck_tmp("u.minisig"), "ab");
	fwrite(S.buf + S.off[1], 1, S.len - S.off[1], f);
	fclose(f);
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("u.minisig"), NULL, &r,
	    &d), TL_OK);

	/* Trusted comment edited: the global signature fails. */
	tcline = S.buf + S.off[2];
	ck_assert(strncmp(tcline, "trusted comment: format:", 24) == 0);
	tcline[24] = 'F';
	lines_write(&S, tlcheck_tmp("t.minisig"), idx, 4);
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("t.minisig"), NULL, &r,
	    &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "comment-signature");
	free(S.buf);

	/* A genuine signature whose trusted comment describes another log:
	 * signed by the right key, but it is not this log's summary. */
	{
		tl_seckey *sk;

		ck_assert_int_eq(tl_seckey_load(KEYS "nopw.key", NULL, &sk,
		    &d), TL_OK);
		ck_assert_int_eq(tl_sign_file(sk, tlcheck_tmp("run.log"),
		    "format:" TL_LOG_FORMAT "\tlog:x\tentries:1\troot:y", NULL,
		    tlcheck_tmp("w.minisig"), &d), TL_OK);
		tl_seckey_free(sk);
		ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("w.minisig"), NULL,
		    &r, &d), TL_EVERIFY);
		ck_assert_str_eq(r.check, "trusted-comment");
	}
	/* No signature at all. */
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("absent.minisig"), NULL,
	    &r, &d), TL_EIO);
	ck_assert(!r.valid);
}
END_TEST

/* ------------------------------------------------------------------------
 * 5. Outputs, policy and inputs
 * ---------------------------------------------------------------------- */

START_TEST(test_outputs_policy_inputs)
{
	tl_log_file f1 = { "out1.txt", NULL }, in = { "in1.txt", NULL };
	tl_log_verify_opts o = { 0 };
	tl_log_report r;
	tl_commitkey *ck, *wrong;
	char *text;
	size_t len;
	tl_diag d;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	o.outputs = &f1;
	o.noutputs = 1;

	/* One byte changed in the redacted output. */
	text = tlcheck_slurp(tlcheck_tmp("out1.txt"), &len);
	text[len - 2] ^= 0x20;
	tlcheck_write(tlcheck_tmp("bad-out1.txt"), text, len);
	free(text);
	f1.path = tlcheck_tmp("bad-out1.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "output");
	ck_assert_uint_eq(r.line, 6);
	/* Swapped with another document's output. */
	f1.path = tlcheck_tmp("out3.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "output");
	/* A name the log does not know. */
	f1.name = "elsewhere.txt";
	f1.path = tlcheck_tmp("out1.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "output");
	ck_assert_uint_eq(r.line, 0);
	/* An unreadable output is an I/O error. */
	f1.name = "out1.txt";
	f1.path = tlcheck_tmp("absent.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EIO);
	ck_assert(!r.valid);

	/* The policy changed by one byte. */
	o.noutputs = 0;
	tlcheck_write(tlcheck_tmp("policy2.yaml"), "reader: test-reader \n", 21);
	o.policy_path = tlcheck_tmp("policy2.yaml");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "policy");
	ck_assert_uint_eq(r.line, 1);
	o.policy_path = NULL;

	/* Inputs: the originals verify against their keyed tags; a changed
	 * original does not; the wrong commitment key is named. */
	ck_assert_int_eq(tl_commitkey_load(KEYS "commit.key", &ck, &d), TL_OK);
	o.commit_key = ck;
	o.inputs = &in;
	o.ninputs = 1;
	in.path = tlcheck_tmp("in1.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_OK);
	ck_assert_uint_eq(r.inputs_checked, 1);
	in.path = tlcheck_tmp("in3.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "input-tag");
	ck_assert_uint_eq(r.line, 6);
	ck_assert_int_eq(tl_commitkey_generate(tlcheck_tmp("wrong.ck"), false, &wrong,
	    &d), TL_OK);
	o.commit_key = wrong;
	in.path = tlcheck_tmp("in1.txt");
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EVERIFY);
	ck_assert_str_eq(r.check, "commit-key");
	/* Inputs without a commitment key: a usage error. */
	o.commit_key = NULL;
	ck_assert_int_eq(verify(tlcheck_tmp("run.log"), NULL, &o, &r, &d), TL_EUSAGE);
	tl_commitkey_free(ck);
	tl_commitkey_free(wrong);
}
END_TEST

/* ------------------------------------------------------------------------
 * 6. Leak check
 * ---------------------------------------------------------------------- */

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Asserts that none of the spellings of `bytes` occurs in `hay`. */
static void
assert_absent(const char *hay, const unsigned char *bytes, size_t len,
    const char *what)
{
	char *hex = malloc(2 * len + 1), *b64;
	size_t b64len = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL);
	size_t i;

	b64 = malloc(b64len);
	sodium_bin2hex(hex, 2 * len + 1, bytes, len);
	ck_assert_msg(strstr(hay, hex) == NULL, "%s in hex", what);
	for (i = 0; hex[i]; i++)
		if (hex[i] >= 'a' && hex[i] <= 'f')
			hex[i] = (char)(hex[i] - 'a' + 'A');
	ck_assert_msg(strstr(hay, hex) == NULL, "%s in HEX", what);
	sodium_bin2base64(b64, b64len, bytes, len,
	    sodium_base64_VARIANT_ORIGINAL);
	/* Drop the padding: the encoding may sit inside a longer one. */
	while (b64[0] && b64[strlen(b64) - 1] == '=')
		b64[strlen(b64) - 1] = '\0';
	ck_assert_msg(len < 3 || strstr(hay, b64) == NULL, "%s in base64",
	    what);
	free(hex);
	free(b64);
}

static bool
contains(const char *hay, const char *needle, size_t len)
{
	size_t n = strlen(hay), i;

	for (i = 0; len <= n && i <= n - len; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return true;
	return false;
}

/* Asserts that `text` and its unkeyed hashes are nowhere in `hay`. */
static void
assert_no_trace(const char *hay, const char *text, size_t len)
{
	unsigned char h[64];

	ck_assert_msg(!contains(hay, text, len), "raw text \"%.40s\" in the "
	    "log", text);
	assert_absent(hay, (const unsigned char *)text, len, "text");
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	assert_absent(hay, h, 32, "SHA-256");
	crypto_hash_sha512(h, (const unsigned char *)text, len);
	assert_absent(hay, h, 64, "SHA-512");
	crypto_generichash(h, 32, (const unsigned char *)text, len, NULL, 0);
	assert_absent(hay, h, 32, "BLAKE2b-256");
	crypto_generichash(h, 64, (const unsigned char *)text, len, NULL, 0);
	assert_absent(hay, h, 64, "BLAKE2b-512");
}

START_TEST(test_no_leaks)
{
	char *log, *sig, *both, *input, *tag1, *tag2;
	size_t llen, slen, i, len;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	log = tlcheck_slurp(tlcheck_tmp("run.log"), &llen);
	sig = tlcheck_slurp(tlcheck_tmp("run.log.minisig"), &slen);
	both = malloc(llen + slen + 1);
	memcpy(both, log, llen);
	memcpy(both + llen, sig, slen + 1);
	for (i = 0; i < sizeof withheld / sizeof withheld[0]; i++) {
		assert_no_trace(both, withheld[i], strlen(withheld[i]));
		/* Without its newline, too. */
		assert_no_trace(both, withheld[i], strlen(withheld[i]) - 1);
	}
	/* Nor an unkeyed hash of any whole input. */
	for (i = 0; i < NDOCS; i++) {
		input = tlcheck_slurp(tlcheck_tmp(docs[i].input), &len);
		assert_no_trace(both, input, len);
		free(input);
	}
	/* A case-insensitive look for the guessable words. */
	lower(both);
	ck_assert(strstr(both, "vehicles") == NULL);
	ck_assert(strstr(both, "quiet") == NULL);
	ck_assert(strstr(both, "plan holds") == NULL);
	/* Equal texts in two portions: two different tags. */
	tag1 = strstr(log, "\"doc\":3,\"portion\":1,");
	tag2 = strstr(log, "\"doc\":3,\"portion\":2,");
	ck_assert_ptr_nonnull(tag1);
	ck_assert_ptr_nonnull(tag2);
	tag1 = strstr(tag1, "\"tag\":\"");
	tag2 = strstr(tag2, "\"tag\":\"");
	ck_assert(strncmp(tag1, tag2, 7 + 64) != 0);
	free(log);
	free(sig);
	free(both);
}
END_TEST

/* ------------------------------------------------------------------------
 * 9. Malformed logs and signatures: TL_ESYNTAX, no crash
 * ---------------------------------------------------------------------- */

/* Replaces line k (1-based) of the run's log by `line` and verifies. */
static tl_status
with_line(struct lines *L, size_t k, const char *line, tl_log_report *r)
{
	FILE *f = fopen(tlcheck_tmp("t.log"), "wb");
	size_t i;

	for (i = 0; i < L->n; i++) {
		if (i + 1 == k)
			fputs(line, f);
		else
			fwrite(L->buf + L->off[i], 1, L->llen[i], f);
		fputc('\n', f);
	}
	fclose(f);
	return verify_copy(tlcheck_tmp("t.log"), r);
}

START_TEST(test_malformed_logs)
{
	struct lines L;
	tl_log_report r;
	char *copy, *big, *line2;
	size_t i, n;
	tl_status st;
	tl_diag d;

	write_run(tlcheck_tmp("run.log"), KEYS "nopw.key", false);
	lines_load(&L, tlcheck_tmp("run.log"));

	/* CRLF line endings. */
	copy = malloc(2 * L.len);
	for (i = n = 0; i < L.len; i++) {
		if (L.buf[i] == '\n')
			copy[n++] = '\r';
		copy[n++] = L.buf[i];
	}
	tlcheck_write(tlcheck_tmp("t.log"), copy, n);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, 1);
	ck_assert(strstr(r.message, "carriage return") != NULL);
	free(copy);
	/* No final newline. */
	tlcheck_write(tlcheck_tmp("t.log"), L.buf, L.len - 1);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, NLINES);
	/* A NUL byte in line 3. */
	copy = malloc(L.len);
	memcpy(copy, L.buf, L.len);
	copy[L.off[2] + 5] = '\0';
	tlcheck_write(tlcheck_tmp("t.log"), copy, L.len);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, 3);
	ck_assert(strstr(r.message, "NUL") != NULL);
	free(copy);
	/* A 1 MB line in place of line 2, and appended. */
	big = malloc((1u << 20) + 1);
	memset(big, 'x', 1u << 20);
	big[1u << 20] = '\0';
	ck_assert_int_eq(with_line(&L, 2, big, &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, 2);
	ck_assert(strstr(r.message, "longer") != NULL);
	copy = malloc(L.len + (1u << 20) + 1);
	memcpy(copy, L.buf, L.len);
	memcpy(copy + L.len, big, 1u << 20);
	copy[L.len + (1u << 20)] = '\n';
	tlcheck_write(tlcheck_tmp("t.log"), copy, L.len + (1u << 20) + 1);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, NLINES + 1);
	free(copy);
	free(big);

	/* Lines that are JSON but not the canonical bytes of line 2. */
	line2 = malloc(L.llen[1] + 16);
	{
		static const struct {
			const char *from, *to;
		} edits[] = {
			{ "\"seq\":2", "\"seq\": 2" },       /* a space */
			{ "\"seq\":2", "\"seq\":02" },       /* leading zero */
			{ "{\"type\"", "{ \"type\"" },
			{ "\"type\":\"dec\"", "\"type\":\"d\\u0065c\"" },
			{ "\"decision\":\"release\"",
			    "\"decision\":\"rel\\/ease\"" },
			{ "\"mark\":\"U\"", "\"mark\":null" }, /* changes data */
			{ "\"seq\":2", "\"seq\":-2" },
			{ "\"seq\":2", "\"seq\":2.0" },
			{ "\"seq\":2", "\"seq\":\"2\"" },
			{ "\"seq\":2,", "" },                /* key missing */
			{ "\"type\":\"dec\"", "\"type\":\"memo\"" },
			{ "}", "}}" },
			{ "}", "" },
		};
		size_t e;

		for (e = 0; e < sizeof edits / sizeof edits[0]; e++) {
			char *at;
			size_t pre;

			memcpy(line2, L.buf + L.off[1], L.llen[1]);
			line2[L.llen[1]] = '\0';
			at = strstr(line2, edits[e].from);
			ck_assert_msg(at != NULL, "edit %zu", e);
			pre = (size_t)(at - line2);
			copy = malloc(L.llen[1] + 32);
			memcpy(copy, line2, pre);
			memcpy(copy + pre, edits[e].to, strlen(edits[e].to));
			snprintf(copy + pre + strlen(edits[e].to), L.llen[1] + 32 -
			    pre - strlen(edits[e].to), "%s", line2 + pre +
			    strlen(edits[e].from));
			st = with_line(&L, 2, copy, &r);
			ck_assert_msg(st == TL_ESYNTAX || (st == TL_EVERIFY &&
			    r.line == 3), "edit %zu: status %d", e, (int)st);
			ck_assert_msg(r.line == 2 || r.line == 3, "edit %zu: "
			    "line %lu", e, r.line);
			free(copy);
		}
	}
	free(line2);
	/* Binary garbage and an empty object. */
	tlcheck_write(tlcheck_tmp("t.log"), "\x01\x02\xff\n", 4);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	tlcheck_write(tlcheck_tmp("t.log"), "{}\n", 3);
	ck_assert_int_eq(verify_copy(tlcheck_tmp("t.log"), &r), TL_ESYNTAX);
	ck_assert_uint_eq(r.line, 1);

	/* Bad base64 in the signature. */
	{
		struct lines S;
		int idx[4] = { 0, 1, 2, 3 };

		lines_load(&S, tlcheck_tmp("run.log.minisig"));
		S.buf[S.off[1] + 10] = '*';
		lines_write(&S, tlcheck_tmp("b.minisig"), idx, 4);
		ck_assert_int_eq(verify(tlcheck_tmp("run.log"), tlcheck_tmp("b.minisig"), NULL,
		    &r, &d), TL_ESYNTAX);
		ck_assert_uint_eq(d.line, 2);
		ck_assert_str_eq(r.check, "syntax");
		free(S.buf);
	}
	free(L.buf);
}
END_TEST

/* ------------------------------------------------------------------------
 * The writer's contract
 * ---------------------------------------------------------------------- */

START_TEST(test_writer_contract)
{
	tl_seckey *sk;
	tl_commitkey *ck;
	tl_log *log;
	tl_log_params p = { 0 };
	tl_log_dec_fields dec = { 0 };
	tl_log_doc_fields df = { 0 };
	tl_log_report r;
	char tag[TL_HASH_HEX + 1];
	unsigned long docno;
	tl_tag *t;
	tl_diag d;

	ck_assert_int_eq(tl_seckey_load(KEYS "nopw.key", NULL, &sk, &d), TL_OK);
	ck_assert_int_eq(tl_commitkey_load(KEYS "commit.key", &ck, &d), TL_OK);
	p.reader = "r";

	/* Bad parameters. */
	p.log_id = "XYZ";
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_EUSAGE);
	p.log_id = NULL;
	p.policy_sha256 = "00";
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_EUSAGE);
	p.policy_sha256 = NULL;
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("no/such/dir/a.log"), sk, ck, &p,
	    &log, &d), TL_EIO);
	ck_assert_ptr_null(log);

	/* Misuse inside a log does not poison it... */
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_OK);
	ck_assert_uint_eq(strlen(tl_log_id(log)), TL_LOG_ID_HEX);
	ck_assert_int_eq(tl_log_tag_begin(log, 1, &t), TL_EUSAGE);
	dec.portion = 1;
	dec.tag = "not hex";
	ck_assert_int_eq(tl_log_decision(log, &dec, &d), TL_EUSAGE);
	ck_assert_int_eq(tl_log_doc_begin(log, &docno), TL_OK);
	ck_assert_int_eq(tl_log_doc_begin(log, &docno), TL_EUSAGE);
	ck_assert_int_eq(tl_log_decision(log, &dec, &d), TL_EUSAGE);
	ck_assert_int_eq(tl_log_tag_begin(log, 1, &t), TL_OK);
	tl_tag_final(t, tag);
	dec.tag = tag;
	dec.portion = 2;
	ck_assert_int_eq(tl_log_decision(log, &dec, &d), TL_OK);
	dec.portion = 2;
	ck_assert_int_eq(tl_log_decision(log, &dec, &d), TL_EUSAGE);
	df.input = "x";
	df.input_tag = tag;
	df.output = "y";
	ck_assert_int_eq(tl_log_doc_end(log, &df, &d), TL_EUSAGE);
	/* ...but closing with a document open writes nothing at all. */
	ck_assert_int_eq(tl_log_close(log, &d), TL_EUSAGE);
	ck_assert_int_ne(access(tlcheck_tmp("a.log"), F_OK), 0);
	ck_assert_int_ne(access(tlcheck_tmp("a.log.minisig"), F_OK), 0);
	ck_assert_int_eq(tlcheck_sh("test -z \"$(ls '%s')\"", tlcheck_tmpdir()), 0);

	/* An over-long line poisons the log: close fails, nothing left. */
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_OK);
	ck_assert_int_eq(tl_log_doc_begin(log, &docno), TL_OK);
	{
		char *huge = malloc(TL_LOG_LINE_MAX + 2);

		memset(huge, 'n', TL_LOG_LINE_MAX + 1);
		huge[TL_LOG_LINE_MAX + 1] = '\0';
		df.input = huge;
		df.output = NULL;
		ck_assert_int_eq(tl_log_doc_end(log, &df, &d), TL_ELIMIT);
		free(huge);
	}
	df.input = "x";
	ck_assert_int_eq(tl_log_doc_end(log, &df, &d), TL_ELIMIT);
	ck_assert_int_eq(tl_log_close(log, &d), TL_ELIMIT);
	ck_assert_int_eq(tlcheck_sh("test -z \"$(ls '%s')\"", tlcheck_tmpdir()), 0);

	/* Abort leaves nothing either. */
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_OK);
	tl_log_abort(log);
	tl_log_abort(NULL);
	ck_assert_int_eq(tlcheck_sh("test -z \"$(ls '%s')\"", tlcheck_tmpdir()), 0);

	/* An empty run is a valid log; it is never silently replaced. */
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_OK);
	ck_assert_int_eq(tl_log_close(log, &d), TL_OK);
	ck_assert_int_eq(verify(tlcheck_tmp("a.log"), NULL, NULL, &r, &d), TL_OK);
	ck_assert_uint_eq(r.lines, 2);
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_EEXIST);
	p.force = true;
	p.sig_path = tlcheck_tmp("elsewhere.sig");
	ck_assert_int_eq(tl_log_open(tlcheck_tmp("a.log"), sk, ck, &p, &log, &d),
	    TL_OK);
	ck_assert_int_eq(tl_log_doc_begin(log, &docno), TL_OK);
	ck_assert_int_eq(tl_log_doc_end(log, &df, &d), TL_OK);
	ck_assert_int_eq(tl_log_close(log, &d), TL_OK);
	ck_assert_int_eq(verify(tlcheck_tmp("a.log"), tlcheck_tmp("elsewhere.sig"), NULL, &r,
	    &d), TL_OK);
	ck_assert_uint_eq(r.documents, 1);
	/* The old signature no longer matches the replaced log. */
	ck_assert_int_eq(verify(tlcheck_tmp("a.log"), NULL, NULL, &r, &d), TL_EVERIFY);
	ck_assert_int_eq(tlcheck_sh("test $(ls '%s' | wc -l) -eq 3", tlcheck_tmpdir()), 0);
	ck_assert_int_eq(tl_log_close(NULL, &d), TL_EUSAGE);

	tl_seckey_free(sk);
	tl_commitkey_free(ck);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_happy_path);
	tcase_add_test(tc, test_golden_log);
	tcase_add_test(tc, test_flip_every_byte);
	tcase_add_test(tc, test_rearrange_lines);
	tcase_add_test(tc, test_forgers);
	tcase_add_test(tc, test_signature_files);
	tcase_add_test(tc, test_outputs_policy_inputs);
	tcase_add_test(tc, test_no_leaks);
	tcase_add_test(tc, test_malformed_logs);
	tcase_add_test(tc, test_writer_contract);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tlcheck_run(suite());
}
