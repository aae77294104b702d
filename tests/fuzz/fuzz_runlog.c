/*
 * fuzz_runlog.c: a signed redaction run (tl_runlog_open, tl_runlog_redact,
 * tl_runlog_close) on any document, for two fixed readers of the built-in
 * policy, then tl_log_verify on the log it wrote.
 *
 * Invariants: the run succeeds; its copies are byte for byte those of
 * tl_redact_file; the log verifies with the test public key, with both
 * copies, the input (its keyed tag, with the commitment key) and the
 * policy, and counts one document per reader and every portion; no text
 * line of the document (16 bytes or more, a lower-case letter and a
 * space, no quote, backslash or control character, not part of a mark)
 * appears in the log, which holds keyed tags, never text.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREADERS 2
static const char *const reader_names[NREADERS] = { "gbr-secret", "public" };

static tl_policy *policy;
static tl_reader readers[NREADERS];
static tl_seckey *sk;
static tl_pubkey *pk;
static tl_commitkey *ck;
static char *in_path, *log_path, *out_path[NREADERS], *plain_path[NREADERS];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_load_readers(&policy, reader_names, readers, NREADERS);
	fuzz_load_keys(&sk, &pk, &ck);
	for (i = 0; i < NREADERS; i++) {
		char name[32];

		snprintf(name, sizeof name, "copy%zu.txt", i);
		out_path[i] = fuzz_path(name);
		snprintf(name, sizeof name, "plain%zu.txt", i);
		plain_path[i] = fuzz_path(name);
	}
	in_path = fuzz_path("in.txt");
	log_path = fuzz_path("run.log");
	return 0;
}

/* Marks as written, to tell a line that is a mark apart from text. */
typedef struct marks {
	char *s;
	size_t len, cap;
	unsigned long portions;
} marks;

static tl_status
on_event(void *ctx, const tl_event *ev)
{
	marks *m = ctx;
	size_t n;

	if (ev->kind != TL_EV_PORTION_BEGIN)
		return TL_OK;
	m->portions++;
	n = strlen(ev->portion->mark_text);
	if (m->len + n + 2 > m->cap) {
		m->cap = (m->len + n + 2) * 2;
		m->s = realloc(m->s, m->cap);
		FUZZ_CHECK(m->s != NULL, "out of memory");
	}
	memcpy(m->s + m->len, ev->portion->mark_text, n);
	m->len += n;
	m->s[m->len++] = '\n';
	m->s[m->len] = '\0';
	return TL_OK;
}

/* A line of text as the log could only hold it inside a string: long
 * enough, a lower-case letter and a space, and nothing that JSON escapes
 * or that the log's own syntax is made of (a document may well contain
 * a line copied from a log). */
static bool
is_text_line(const char *s, size_t n)
{
	bool lower = false, space = false;
	size_t i;

	if (n < 16)
		return false;
	for (i = 0; i < n; i++) {
		lower |= s[i] >= 'a' && s[i] <= 'z';
		space |= s[i] == ' ';
		if ((unsigned char)s[i] < 0x20 || s[i] == '"' || s[i] == '\\' ||
		    s[i] == 0x7f)
			return false;
	}
	return lower && space;
}

static bool
contains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; nlen <= hlen && i <= hlen - nlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return true;
	return false;
}

static void
check_log_text(const uint8_t *data, size_t size, const marks *m)
{
	const char *s = (const char *)data;
	size_t start = 0, i, n, llen;
	char *log = fuzz_slurp(log_path, &llen);

	FUZZ_CHECK(log != NULL, "no log");
	for (i = 0; i <= size; i++) {
		if (i < size && s[i] != '\n')
			continue;
		n = i - start;
		if (n && s[start + n - 1] == '\r')
			n--;
		if (is_text_line(s + start, n) &&
		    !(m->s && contains(m->s, m->len, s + start, n)))
			FUZZ_CHECK(!contains(log, llen, s + start, n), "the log "
			    "holds the text \"%.*s\"", (int)(n < 200 ? n : 200),
			    s + start);
		start = i + 1;
	}
	free(log);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_redact_target targets[NREADERS], plain[NREADERS];
	tl_redact_report reports[NREADERS], preports[NREADERS];
	tl_redact_options opt;
	tl_log_file outputs[NREADERS], inputs[1];
	tl_log_verify_opts vo;
	tl_log_report r;
	tl_log_params lp;
	tl_runlog *rl = NULL;
	tl_parser *p;
	marks m = { 0 };
	char *a, *b;
	size_t i, alen, blen;
	tl_diag d;
	tl_status st;

	if (policy == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	fuzz_write(in_path, data, size);
	p = tl_parser_new("in.txt", on_event, &m);
	FUZZ_CHECK(p != NULL && tl_parser_feed(p, (const char *)data, size) ==
	    TL_OK && tl_parser_finish(p) == TL_OK, "parser failed");
	tl_parser_free(p);

	memset(&opt, 0, sizeof opt);
	opt.force = true;
	opt.spool_dir = fuzz_dir();
	for (i = 0; i < NREADERS; i++) {
		targets[i].reader = plain[i].reader = &readers[i];
		targets[i].path = out_path[i];
		plain[i].path = plain_path[i];
	}
	st = tl_redact_file(policy, in_path, plain, NREADERS, &opt, preports,
	    &d);
	FUZZ_CHECK(st == TL_OK, "tl_redact_file: %s", d.message);

	memset(&lp, 0, sizeof lp);
	lp.reader = "gbr-secret,public";
	lp.policy_sha256 = tl_policy_hash(policy);
	lp.created = "2024-05-01T12:00:00Z";
	lp.force = true;
	st = tl_runlog_open(log_path, sk, ck, &lp, &rl, &d);
	FUZZ_CHECK(st == TL_OK, "tl_runlog_open: %s", d.message);
	st = tl_runlog_redact(rl, policy, in_path, targets, NREADERS, &opt,
	    reports, &d);
	FUZZ_CHECK(st == TL_OK, "tl_runlog_redact: %s: %s", tl_strerror(st),
	    d.message);
	FUZZ_CHECK(tl_runlog_documents(rl) == NREADERS, "%lu documents "
	    "recorded", tl_runlog_documents(rl));
	st = tl_runlog_close(rl, &d);
	FUZZ_CHECK(st == TL_OK, "tl_runlog_close: %s", d.message);

	for (i = 0; i < NREADERS; i++) {
		FUZZ_CHECK(reports[i].portions == m.portions &&
		    reports[i].released == preports[i].released &&
		    reports[i].whole == preports[i].whole, "%s: the signed run "
		    "reports otherwise", reader_names[i]);
		a = fuzz_slurp(out_path[i], &alen);
		b = fuzz_slurp(plain_path[i], &blen);
		FUZZ_CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0,
		    "%s: the signed run's copy differs from tl_redact_file's",
		    reader_names[i]);
		free(a);
		free(b);
		outputs[i].name = out_path[i];
		outputs[i].path = out_path[i];
	}
	inputs[0].name = in_path;
	inputs[0].path = in_path;
	memset(&vo, 0, sizeof vo);
	vo.outputs = outputs;
	vo.noutputs = NREADERS;
	vo.inputs = inputs;
	vo.ninputs = 1;
	vo.commit_key = ck;
	/* The built-in policy's hash is that of the file it is made from. */
	vo.policy_path = "policies/us-cables.yaml";
	st = tl_log_verify(pk, log_path, NULL, &vo, &r, &d);
	FUZZ_CHECK(st == TL_OK && r.valid, "the run's log does not verify: "
	    "check %s, line %lu: %s", r.check, r.line, r.message);
	FUZZ_CHECK(r.documents == NREADERS && r.outputs_checked == NREADERS &&
	    r.inputs_checked == NREADERS && r.released + r.withheld ==
	    NREADERS * m.portions, "counts: %lu documents, %lu + %lu "
	    "portions, %lu copies, %lu inputs checked", r.documents,
	    r.released, r.withheld, r.outputs_checked, r.inputs_checked);
	check_log_text(data, size, &m);
	free(m.s);
	return 0;
}
