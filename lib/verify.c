/*
 * verify.c: reads a signed log back once, strictly, and checks every
 * link: the signature, each line canonical and chained to the previous
 * one, the Merkle root, and the copies and inputs the log names.
 */
#include "logline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tl_diag_set returns its `status` argument.  Saying so here lets the
 * static analyzer, which does not look into util.c, follow error paths. */
#define tl_diag_set(d, status, ...) \
	((void)(tl_diag_set)((d), (status), __VA_ARGS__), (status))

/* ------------------------------------------------------------------------
 * The verifier
 * ---------------------------------------------------------------------- */

struct vstate {
	const tl_pubkey *pk;
	const tl_log_verify_opts *o;
	tl_log_report *r;
	tl_diag *d;
	const char *path;
	char key_id[TL_KEYID_HEX + 1];
	char prev[TL_HASH_HEX + 1];
	char policy[TL_HASH_HEX + 1]; /* "" when not checked */
	unsigned long n;            /* lines so far */
	unsigned long docs;         /* doc lines so far */
	unsigned long last_doc;     /* number of the last doc line, 0: none */
	unsigned long open_doc;     /* number of the open document, 0: none */
	unsigned long pending;      /* dec lines of the open document */
	unsigned long last_portion;
	bool end_seen;
	tl_merkle *mt;
	bool *out_seen, *in_seen;
	char *arena;
	tl_buf ser;
};

static tl_status
vfail(struct vstate *s, tl_status st, const char *file, unsigned long line,
    size_t col, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Records the first failed check in the report and the diagnostic. */
static tl_status
vfail(struct vstate *s, tl_status st, const char *file, unsigned long line,
    size_t col, const char *check, const char *fmt, ...)
{
	char rule[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->r->message, sizeof s->r->message, fmt, ap);
	va_end(ap);
	s->r->valid = false;
	s->r->line = line;
	tl_strlcpy(s->r->check, check, strlen(check), sizeof s->r->check);
	snprintf(rule, sizeof rule, "log-%s", check);
	return tl_diag_set(s->d, st, TL_SEV_ERROR, file, line, col, rule, "%s",
	    s->r->message);
}

/* True when a name given to the verifier is the one the log wrote: both
 * go through the writer's escaping (invalid UTF-8 becomes U+FFFD). */
static bool
name_matches(const char *given, const struct value *v)
{
	tl_buf a = { 0 }, b = { 0 };
	bool same;

	if (v->null)
		return false;
	same = tl_buf_json_str(&a, given, strlen(given)) == TL_OK &&
	    tl_buf_json_str(&b, v->s, v->len) == TL_OK && a.len == b.len &&
	    memcmp(a.data, b.data, a.len) == 0;
	tl_buf_free(&a);
	tl_buf_free(&b);
	return same;
}

/* --all-outputs: hashes the output a doc line names, under outputs_dir
 * when the name is relative. */
static tl_status
check_named_output(struct vstate *s, const struct value *name,
    const struct value *sha)
{
	char hex[TL_HASH_HEX + 1];
	const char *dir = s->o->outputs_dir;
	tl_buf path = { 0 };
	tl_status st;

	if (memchr(name->s, '\0', name->len) != NULL)
		return vfail(s, TL_EVERIFY, s->path, s->n, name->col, "output",
		    "output name with a NUL byte");
	if (name->s[0] != '/' && dir && *dir &&
	    (tl_buf_append(&path, dir, strlen(dir)) != TL_OK ||
	    tl_buf_putc(&path, '/') != TL_OK))
		goto nomem;
	if (tl_buf_append(&path, name->s, name->len) != TL_OK ||
	    tl_buf_putc(&path, '\0') != TL_OK)
		goto nomem;
	st = tl_sha256_file(path.data, hex, s->d);
	if (st != TL_OK) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, name->col, "output",
		    "output \"%.*s\" named on line %lu cannot be read: %s",
		    (int)name->len, name->s, s->n, s->d->message);
	} else if (!tl_logline_is(sha, hex)) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, sha->col, "output",
		    "output \"%.*s\" is not the file the log describes on "
		    "line %lu", (int)name->len, name->s, s->n);
	} else {
		s->r->outputs_checked++;
	}
	tl_buf_free(&path);
	return st;
nomem:
	tl_buf_free(&path);
	return tl_diag_set(s->d, TL_ENOMEM, TL_SEV_ERROR, s->path, 0, 0, NULL,
	    "out of memory");
}

static tl_status
check_head(struct vstate *s, const struct value *v)
{
	char ck_id[TL_KEYID_HEX + 1];
	unsigned long n = s->n;

	if (!tl_logline_is(&v[H_FORMAT], TL_LOG_FORMAT))
		return vfail(s, TL_ESYNTAX, s->path, n, v[H_FORMAT].col,
		    "format", "unsupported log format (this verifier reads "
		    "%s)", TL_LOG_FORMAT);
	memcpy(s->r->log_id, v[H_LOGID].s, TL_LOG_ID_HEX + 1);
	memcpy(s->r->key_id, v[H_KEYID].s, TL_KEYID_HEX + 1);
	if (!tl_logline_is(&v[H_KEYID], s->key_id))
		return vfail(s, TL_EVERIFY, s->path, n, v[H_KEYID].col,
		    "key-id", "the log names signing key %s, the public key "
		    "is %s", v[H_KEYID].s, s->key_id);
	if (s->o->commit_key) {
		tl_commitkey_id(s->o->commit_key, ck_id);
		if (!tl_logline_is(&v[H_CKID], ck_id))
			return vfail(s, TL_EVERIFY, s->path, n, v[H_CKID].col,
			    "commit-key", "the log was written with commitment "
			    "key %s, the key given is %s", v[H_CKID].s, ck_id);
	}
	if (s->policy[0] && !tl_logline_is(&v[H_POLICY], s->policy))
		return vfail(s, TL_EVERIFY, s->path, n, v[H_POLICY].col,
		    "policy", "the policy given (SHA-256 %s) is not the "
		    "policy of the log", s->policy);
	return TL_OK;
}

static tl_status
check_doc(struct vstate *s, const struct value *v)
{
	char hex[TL_HASH_HEX + 1];
	unsigned long n = s->n;
	tl_tag *t;
	tl_status st;
	size_t i;

	if (s->open_doc ? v[C_DOC].u != s->open_doc : v[C_DOC].u <= s->last_doc)
		return vfail(s, TL_EVERIFY, s->path, n, v[C_DOC].col, "order",
		    "doc line for document %llu after %s %lu", v[C_DOC].u,
		    s->open_doc ? "the decisions of document" : "document",
		    s->open_doc ? s->open_doc : s->last_doc);
	if (v[C_PORTIONS].u != s->pending)
		return vfail(s, TL_EVERIFY, s->path, n, v[C_PORTIONS].col,
		    "count", "doc line counts %llu decisions, %lu precede it",
		    v[C_PORTIONS].u, s->pending);
	if (v[C_OUTPUT].null != v[C_OSHA].null)
		return vfail(s, TL_ESYNTAX, s->path, n, v[C_OSHA].col, "syntax",
		    "output and output_sha256 must both be null or both set");
	if (s->policy[0] && !tl_logline_is(&v[C_POLICY], s->policy))
		return vfail(s, TL_EVERIFY, s->path, n, v[C_POLICY].col,
		    "policy", "the policy given (SHA-256 %s) is not the "
		    "policy of document %llu", s->policy, v[C_DOC].u);
	for (i = 0; i < s->o->noutputs; i++) {
		if (!name_matches(s->o->outputs[i].name, &v[C_OUTPUT]))
			continue;
		if ((st = tl_sha256_file(s->o->outputs[i].path, hex, s->d)) !=
		    TL_OK)
			return st;
		if (!tl_logline_is(&v[C_OSHA], hex))
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[C_OSHA].col, "output", "output \"%s\" (%s) is "
			    "not the file the log describes on line %lu",
			    s->o->outputs[i].name, s->o->outputs[i].path, n);
		s->out_seen[i] = true;
		s->r->outputs_checked++;
	}
	if (s->o->all_outputs && !v[C_OUTPUT].null &&
	    !tl_logline_is(&v[C_OUTPUT], "-") &&
	    (st = check_named_output(s, &v[C_OUTPUT], &v[C_OSHA])) != TL_OK)
		return st;
	for (i = 0; i < s->o->ninputs; i++) {
		if (!name_matches(s->o->inputs[i].name, &v[C_INPUT]))
			continue;
		if (tl_tag_begin(s->o->commit_key, s->r->log_id, v[C_DOC].u, 0,
		    &t) != TL_OK)
			return tl_diag_set(s->d, TL_ENOMEM, TL_SEV_ERROR,
			    s->path, 0, 0, NULL, "out of memory");
		if ((st = tl_logfile_tag(t, s->o->inputs[i].path, s->d)) != TL_OK) {
			tl_tag_free(t);
			return st;
		}
		tl_tag_final(t, hex);
		if (!tl_logline_is(&v[C_ITAG], hex))
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[C_ITAG].col, "input-tag", "input \"%s\" (%s) "
			    "does not match its tag on line %lu",
			    s->o->inputs[i].name, s->o->inputs[i].path, n);
		s->in_seen[i] = true;
		s->r->inputs_checked++;
	}
	s->docs++;
	s->last_doc = (unsigned long)v[C_DOC].u;
	s->open_doc = 0;
	s->r->documents++;
	s->pending = 0;
	s->last_portion = 0;
	return TL_OK;
}

/* Checks one line (newline excluded); counts it into the chain and the
 * tree when it passes. */
static tl_status
verify_line(struct vstate *s, const char *line, size_t len)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char root[TL_MERKLE_HASH_BYTES];
	char roothex[TL_HASH_HEX + 1];
	struct cursor c = { 0 };
	const char *why = "";
	unsigned long n = ++s->n;
	tl_status st;
	size_t i;
	int type, bad;

	s->r->lines = n;
	if (s->end_seen)
		return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
		    "line after the end line");
	c.s = line;
	c.len = len;
	c.arena = s->arena;
	if (!tl_logline_read(&c, &type, v))
		return vfail(s, TL_ESYNTAX, s->path, n, c.pos + 1, "syntax",
		    "%s", c.why);
	if ((bad = tl_logline_check(type, v, &why)) >= 0)
		return vfail(s, TL_ESYNTAX, s->path, n, v[bad].col, "syntax",
		    "\"%s\": expected %s", tl_logline_key(type, (size_t)bad), why);
	if ((st = tl_logline_write(&s->ser, type, v)) != TL_OK)
		return tl_diag_set(s->d, st, TL_SEV_ERROR, s->path, n, 0, NULL,
		    "out of memory");
	if (s->ser.len != len || memcmp(s->ser.data, line, len) != 0) {
		for (i = 0; i < len && i < s->ser.len && line[i] ==
		    s->ser.data[i]; i++)
			;
		return vfail(s, TL_ESYNTAX, s->path, n, i + 1, "canonical",
		    "line is not in canonical form (differs from its "
		    "re-serialization at byte %zu)", i + 1);
	}
	if (v[F_SEQ].u != n)
		return vfail(s, TL_EVERIFY, s->path, n, v[F_SEQ].col, "sequence",
		    "seq is %llu on line %lu: a line was removed, added or "
		    "moved", v[F_SEQ].u, n);
	if (n == 1 && !tl_logline_is(&v[F_PREV], ZERO_HASH))
		return vfail(s, TL_EVERIFY, s->path, n, v[F_PREV].col, "chain",
		    "prev of the first line must be all zeros");
	if (n > 1 && !tl_logline_is(&v[F_PREV], s->prev))
		return vfail(s, TL_EVERIFY, s->path, n, v[F_PREV].col, "chain",
		    "prev does not match the hash of line %lu (line %lu or "
		    "%lu was altered)", n - 1, n - 1, n);
	if (n == 1 && type != T_HEAD)
		return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
		    "the first line must be the head line");
	switch (type) {
	case T_HEAD:
		if (n != 1)
			return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
			    "head line after line 1");
		if ((st = check_head(s, v)) != TL_OK)
			return st;
		break;
	case T_DEC:
		if (s->open_doc ? v[D_DOC].u != s->open_doc :
		    v[D_DOC].u <= s->last_doc)
			return vfail(s, TL_EVERIFY, s->path, n, v[D_DOC].col,
			    "order", "decision for document %llu after %s %lu",
			    v[D_DOC].u, s->open_doc ? "the decisions of "
			    "document" : "document", s->open_doc ? s->open_doc :
			    s->last_doc);
		s->open_doc = (unsigned long)v[D_DOC].u;
		if (v[D_PORTION].u <= s->last_portion)
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[D_PORTION].col, "order", "portion %llu after "
			    "portion %lu", v[D_PORTION].u, s->last_portion);
		s->last_portion = (unsigned long)v[D_PORTION].u;
		s->pending++;
		if (tl_logline_is(&v[D_DECISION], "release"))
			s->r->released++;
		else
			s->r->withheld++;
		break;
	case T_DOC:
		if ((st = check_doc(s, v)) != TL_OK)
			return st;
		break;
	case T_END:
		if (s->pending)
			return vfail(s, TL_EVERIFY, s->path, n, 1, "order",
			    "document %lu has decisions but no doc line",
			    s->open_doc);
		if (v[E_ENTRIES].u != n - 1)
			return vfail(s, TL_EVERIFY, s->path, n,
			    v[E_ENTRIES].col, "count", "end line counts %llu "
			    "entries, %lu precede it", v[E_ENTRIES].u, n - 1);
		if (tl_merkle_root(s->mt, root) != TL_OK)
			return vfail(s, TL_ECRYPTO, s->path, n, 1, "root",
			    "SHA-256 failed");
		tl_hex_lower(root, sizeof root, roothex);
		if (!tl_logline_is(&v[E_ROOT], roothex))
			return vfail(s, TL_EVERIFY, s->path, n, v[E_ROOT].col,
			    "root", "the Merkle root of lines 1-%lu is %s, "
			    "not the root of the end line", n - 1, roothex);
		memcpy(s->r->root, roothex, sizeof roothex);
		s->end_seen = true;
		break;
	}
	if (type != T_END)
		tl_merkle_add(s->mt, line, len);
	tl_chain_hash(line, len, s->prev);
	return TL_OK;
}

/* The first NUL or CR of s[0..n), or NULL. */
static const char *
nul_or_cr(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	const char *cr = memchr(s, '\r', nul ? (size_t)(nul - s) : n);

	return cr ? cr : nul;
}

/* Reads the log line by line with bounded memory, feeding every byte to
 * the signature check. */
static tl_status
verify_lines(struct vstate *s, FILE *f, tl_sigcheck *sc)
{
	tl_buf line = { 0 };
	char blk[65536];
	const char *nl, *bad;
	size_t blen, start, end;
	tl_status st = TL_OK;

	line.limit = TL_LOG_LINE_MAX + 1;
	for (;;) {
		blen = fread(blk, 1, sizeof blk, f);
		if (blen == 0)
			break;
		tl_sigcheck_update(sc, blk, blen);
		for (start = 0; start < blen; start = end + 1) {
			nl = memchr(blk + start, '\n', blen - start);
			end = nl ? (size_t)(nl - blk) : blen;
			if ((bad = nul_or_cr(blk + start, end - start)) != NULL) {
				st = vfail(s, TL_ESYNTAX, s->path, s->n + 1,
				    line.len + (size_t)(bad - (blk + start)) + 1,
				    "syntax", *bad ? "carriage return (CRLF line "
				    "endings are not allowed)" : "NUL byte");
				goto out;
			}
			if (line.len + (end - start) > TL_LOG_LINE_MAX ||
			    ((nl == NULL || line.len > 0) &&
			    tl_buf_append(&line, blk + start, end - start) != TL_OK)) {
				st = vfail(s, TL_ESYNTAX, s->path, s->n + 1,
				    TL_LOG_LINE_MAX + 1, "syntax", "line longer "
				    "than %d bytes", TL_LOG_LINE_MAX);
				goto out;
			}
			if (nl == NULL)
				break; /* the line goes on in the next block */
			/* A line inside the block is checked where it lies. */
			st = line.len > 0 ? verify_line(s, line.data, line.len) :
			    verify_line(s, blk + start, end - start);
			if (st != TL_OK)
				goto out;
			tl_buf_reset(&line);
		}
	}
	if (ferror(f)) {
		st = tl_logfile_error(s->d, s->path, "cannot read");
		goto out;
	}
	if (line.len > 0)
		st = vfail(s, TL_ESYNTAX, s->path, s->n + 1, line.len + 1,
		    "syntax", "the last line has no newline (truncated?)");
out:
	tl_buf_free(&line);
	return st;
}

static tl_status
verify_run(struct vstate *s, const char *sig_path)
{
	unsigned char kid[TL_KEYID_BYTES];
	char hex[TL_HASH_HEX + 1];
	tl_sigcheck *sc = NULL;
	tl_sig *sig = NULL;
	tl_buf tc = { 0 };
	tl_status st;
	FILE *f = NULL;
	size_t i;

	tl_pubkey_keyid(s->pk, kid);
	tl_keyid_hex(kid, s->key_id);
	if (s->o->policy_path) {
		if ((st = tl_sha256_file(s->o->policy_path, hex, s->d)) != TL_OK)
			return st;
		memcpy(s->policy, hex, sizeof hex);
	}
	if ((st = tl_sig_load(sig_path, &sig, s->d)) != TL_OK) {
		if (st == TL_ESYNTAX)
			tl_strlcpy(s->r->check, "syntax", 6,
			    sizeof s->r->check);
		return st;
	}
	if ((st = tl_sigcheck_new(s->pk, sig, &sc, s->d)) != TL_OK) {
		if (st == TL_EVERIFY)
			st = vfail(s, st, sig_path, 0, 0, "key-id",
			    "%s", s->d ? s->d->message : "key id mismatch");
		goto out;
	}
	if ((f = fopen(s->path, "rb")) == NULL) {
		st = tl_logfile_error(s->d, s->path, "cannot open");
		goto out;
	}
	if ((st = verify_lines(s, f, sc)) != TL_OK)
		goto out;
	if (s->n == 0) {
		st = vfail(s, TL_EVERIFY, s->path, 0, 0, "truncated",
		    "the log is empty");
		goto out;
	}
	if (!s->end_seen) {
		st = vfail(s, TL_EVERIFY, s->path, s->n, 0, "truncated",
		    "no end line after line %lu: the log is truncated", s->n);
		goto out;
	}
	for (i = 0; i < s->o->noutputs; i++)
		if (!s->out_seen[i]) {
			st = vfail(s, TL_EVERIFY, s->o->outputs[i].path, 0, 0,
			    "output", "output \"%s\" is not in the log",
			    s->o->outputs[i].name);
			goto out;
		}
	for (i = 0; i < s->o->ninputs; i++)
		if (!s->in_seen[i]) {
			st = vfail(s, TL_EVERIFY, s->o->inputs[i].path, 0, 0,
			    "input-tag", "input \"%s\" is not in the log",
			    s->o->inputs[i].name);
			goto out;
		}
	st = tl_sigcheck_final(sc, s->d);
	sc = NULL;
	if (st == TL_EVERIFY) {
		char rule[24];

		tl_strlcpy(rule, s->d ? s->d->rule : "signature",
		    s->d ? strlen(s->d->rule) : 9, sizeof rule);
		st = vfail(s, st, sig_path, 0, 0, rule[0] ? rule : "signature",
		    "%s", s->d ? s->d->message : "signature verification "
		    "failed");
	}
	if (st != TL_OK)
		goto out;
	if ((st = tl_buf_printf(&tc, "format:%s\tlog:%s\tentries:%lu\t"
	    "root:%s", TL_LOG_FORMAT, s->r->log_id, s->n - 1, s->r->root)) !=
	    TL_OK) {
		st = tl_diag_set(s->d, st, TL_SEV_ERROR, s->path, 0, 0, NULL,
		    "out of memory");
		goto out;
	}
	if (strcmp(tc.data, tl_sig_trusted_comment(sig)) != 0) {
		st = vfail(s, TL_EVERIFY, sig_path, 3, 0, "trusted-comment",
		    "the trusted comment does not describe this log (expected "
		    "\"%s\")", tc.data);
		goto out;
	}
	tl_strlcpy(s->r->trusted_comment, tc.data, tc.len,
	    sizeof s->r->trusted_comment);
	s->r->valid = true;
out:
	if (f)
		fclose(f);
	tl_sigcheck_free(sc);
	tl_sig_free(sig);
	tl_buf_free(&tc);
	return st;
}

tl_status
tl_log_verify(const tl_pubkey *pk, const char *log_path,
    const char *sig_path, const tl_log_verify_opts *opts,
    tl_log_report *report, tl_diag *d)
{
	static const tl_log_verify_opts none;
	struct vstate s;
	char *sp = NULL;
	tl_status st;

	if (report == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "tl_log_verify: a report is required");
	memset(report, 0, sizeof *report);
	if (pk == NULL || log_path == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "tl_log_verify: public key and log are required");
	if (opts == NULL)
		opts = &none;
	if (opts->ninputs && opts->commit_key == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "checking inputs needs the commitment key");
	memset(&s, 0, sizeof s);
	s.pk = pk;
	s.o = opts;
	s.r = report;
	s.d = d;
	s.path = log_path;
	s.mt = tl_merkle_new();
	s.arena = malloc(TL_LOG_LINE_MAX + 1);
	s.out_seen = calloc(opts->noutputs + 1, sizeof *s.out_seen);
	s.in_seen = calloc(opts->ninputs + 1, sizeof *s.in_seen);
	s.ser.limit = TL_LOG_LINE_MAX + 1;
	if (sig_path == NULL)
		sig_path = sp = tl_logfile_concat(log_path, ".minisig");
	if (s.mt == NULL || s.arena == NULL || s.out_seen == NULL ||
	    s.in_seen == NULL || sig_path == NULL)
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, log_path, 0, 0,
		    NULL, "out of memory");
	else
		st = verify_run(&s, sig_path);
	if (st != TL_OK && report->check[0] == '\0') {
		/* Not a check of the log: an I/O or memory failure. */
		tl_strlcpy(report->check, "io", 2, sizeof report->check);
		if (d)
			tl_strlcpy(report->message, d->message,
			    strlen(d->message), sizeof report->message);
	}
	tl_merkle_free(s.mt);
	free(s.arena);
	free(s.out_seen);
	free(s.in_seen);
	tl_buf_free(&s.ser);
	free(sp);
	return st;
}
