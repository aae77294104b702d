/*
 * log.c: writes the signed redaction log.  The writer appends compact JSON
 * lines (head, then per document its dec lines and a closing doc line,
 * then end), chains each to the previous one, counts them into an RFC 6962
 * Merkle tree and signs the file once.  No portion text is ever written,
 * only keyed tags (sign.c computes them).  The line format is logline.c's;
 * verify.c reads a log back.
 */
#include "logline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* tl_diag_set returns its `status` argument.  Saying so here lets the
 * static analyzer, which does not look into util.c, follow error paths. */
#define tl_diag_set(d, status, ...) \
	((void)(tl_diag_set)((d), (status), __VA_ARGS__), (status))

struct tl_log {
	FILE *f;
	char *path, *sig_path, *tmp_path;
	const tl_seckey *sk;
	const tl_commitkey *ck;
	char log_id[TL_LOG_ID_HEX + 1];
	char *reader;
	char *policy; /* NULL: none */
	char *untrusted;
	char prev[TL_HASH_HEX + 1];
	unsigned long seq;          /* lines written */
	unsigned long doc;          /* current or last document */
	unsigned long pending;      /* dec lines of the current document */
	unsigned long last_portion;
	bool in_doc, force;
	tl_merkle *mt;
	/* minisign's prehash of the file, of the bytes as they are written:
	 * what is signed is what tearline wrote, and the log is not read
	 * back to sign it. */
	tl_b2b prehash;
	tl_buf line;
	tl_status failed; /* first error; the log can only be dropped */
	char iobuf[64 * 1024]; /* f's buffer: a large run has many short lines */
};

static void
log_release(tl_log *log)
{
	if (log->f)
		fclose(log->f);
	if (log->tmp_path)
		unlink(log->tmp_path);
	free(log->path);
	free(log->sig_path);
	free(log->tmp_path);
	free(log->reader);
	free(log->policy);
	free(log->untrusted);
	tl_merkle_free(log->mt);
	tl_buf_free(&log->line);
	free(log);
}

static tl_status
log_fail(tl_log *log, tl_diag *d, tl_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static tl_status
log_fail(tl_log *log, tl_diag *d, tl_status st, const char *fmt, ...)
{
	va_list ap;

	/* Usage errors leave the log intact; anything else poisons it. */
	if (st != TL_EUSAGE)
		log->failed = st;
	va_start(ap, fmt);
	tl_diag_vset(d, st, TL_SEV_ERROR, log->path, log->seq + 1, 0, NULL,
	    fmt, ap);
	va_end(ap);
	return st;
}

/* Writes one line: seq and prev filled in here; chained and counted. */
static tl_status
emit(tl_log *log, int type, struct value *v, tl_diag *d)
{
	tl_status st;

	if (log->failed)
		return tl_diag_set(d, log->failed, TL_SEV_ERROR, log->path, 0,
		    0, NULL, "the log failed earlier and cannot be written");
	set_uint(&v[F_SEQ], log->seq + 1);
	set_str(&v[F_PREV], log->prev);
	if ((st = tl_logline_write(&log->line, type, v)) != TL_OK ||
	    log->line.len > TL_LOG_LINE_MAX)
		return log_fail(log, d, st == TL_ENOMEM ? st : TL_ELIMIT,
		    "log line longer than %d bytes", TL_LOG_LINE_MAX);
	if (fwrite(log->line.data, 1, log->line.len, log->f) != log->line.len ||
	    putc('\n', log->f) == EOF)
		return log_fail(log, d, TL_EIO, "cannot write: %s",
		    strerror(errno));
	tl_b2b_update(&log->prehash, log->line.data, log->line.len);
	tl_b2b_update(&log->prehash, "\n", 1);
	if (type != T_END)
		tl_merkle_add(log->mt, log->line.data, log->line.len);
	tl_chain_hash(log->line.data, log->line.len, log->prev);
	log->seq++;
	return TL_OK;
}

tl_status
tl_log_open(const char *path, const tl_seckey *sk, const tl_commitkey *ck,
    const tl_log_params *p, tl_log **out, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char kid[TL_KEYID_BYTES];
	char key_id[TL_KEYID_HEX + 1], ck_id[TL_KEYID_HEX + 1];
	char *tool = NULL;
	tl_log *log;
	tl_status st;
	int fd;

	*out = NULL;
	if (path == NULL || sk == NULL || ck == NULL || p == NULL ||
	    p->reader == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "tl_log_open: path, keys and reader are required");
	if (p->policy_sha256 && !tl_logline_hex(p->policy_sha256, 64))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "policy hash: expected 64 lower-case hex digits");
	if (p->log_id && !tl_logline_hex(p->log_id, TL_LOG_ID_HEX))
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "log id: expected %d lower-case hex digits",
		    TL_LOG_ID_HEX);
	if ((log = calloc(1, sizeof *log)) == NULL)
		return tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	log->sk = sk;
	log->ck = ck;
	log->force = p->force;
	log->line.limit = TL_LOG_LINE_MAX + 1;
	memcpy(log->prev, ZERO_HASH, sizeof log->prev);
	log->path = strdup(path);
	log->sig_path = p->sig_path ? strdup(p->sig_path) :
	    tl_logfile_concat(path, ".minisig");
	log->tmp_path = NULL;
	log->reader = strdup(p->reader);
	log->policy = p->policy_sha256 ? strdup(p->policy_sha256) : NULL;
	log->untrusted = p->untrusted_comment ? strdup(p->untrusted_comment) :
	    NULL;
	log->mt = tl_merkle_new();
	tool = p->tool ? strdup(p->tool) : tl_logfile_concat("tearline ", tl_version());
	if (log->path == NULL || log->sig_path == NULL ||
	    log->reader == NULL || log->mt == NULL || tool == NULL ||
	    (p->policy_sha256 && log->policy == NULL) ||
	    (p->untrusted_comment && log->untrusted == NULL)) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto fail;
	}
	if (p->log_id)
		memcpy(log->log_id, p->log_id, sizeof log->log_id);
	else if (tl_random_hex(log->log_id, TL_LOG_ID_HEX / 2) != TL_OK) {
		st = tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "no randomness for the log id");
		goto fail;
	}
	if (!p->force && (tl_logfile_exists(log->path) ||
	    tl_logfile_exists(log->sig_path))) {
		st = tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
		    tl_logfile_exists(log->path) ? log->path : log->sig_path, 0, 0,
		    NULL, "file exists (use force to replace it)");
		goto fail;
	}
	if ((log->tmp_path = tl_logfile_concat(path, ".XXXXXX")) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0, NULL,
		    "out of memory");
		goto fail;
	}
	if ((fd = mkstemp(log->tmp_path)) < 0) {
		st = tl_logfile_error(d, path, "cannot create a temporary file");
		free(log->tmp_path);
		log->tmp_path = NULL;
		goto fail;
	}
	if (fchmod(fd, 0644) != 0 || (log->f = fdopen(fd, "w")) == NULL) {
		st = tl_logfile_error(d, path, "cannot open the temporary file");
		close(fd);
		goto fail;
	}
	(void)setvbuf(log->f, log->iobuf, _IOFBF, sizeof log->iobuf);
	tl_b2b_init(&log->prehash, TL_PREHASH_BYTES, NULL, 0, NULL, NULL);

	tl_seckey_keyid(sk, kid);
	tl_keyid_hex(kid, key_id);
	tl_commitkey_id(ck, ck_id);
	set_str(&v[H_FORMAT], TL_LOG_FORMAT);
	set_str(&v[H_LOGID], log->log_id);
	set_str(&v[H_KEYID], key_id);
	set_str(&v[H_CKID], ck_id);
	set_str(&v[H_READER], log->reader);
	set_str(&v[H_POLICY], log->policy);
	set_str(&v[H_TOOL], tool);
	set_str(&v[H_CREATED], p->created);
	if ((st = emit(log, T_HEAD, v, d)) != TL_OK)
		goto fail;
	free(tool);
	*out = log;
	return TL_OK;
fail:
	free(tool);
	log_release(log);
	return st;
}

const char *
tl_log_id(const tl_log *log)
{
	return log->log_id;
}

tl_status
tl_log_doc_begin(tl_log *log, unsigned long *doc)
{
	if (log->failed)
		return log->failed;
	if (log->in_doc)
		return TL_EUSAGE;
	log->in_doc = true;
	log->doc++;
	log->pending = 0;
	log->last_portion = 0;
	*doc = log->doc;
	return TL_OK;
}

tl_status
tl_log_doc_skip(tl_log *log)
{
	if (log->failed)
		return log->failed;
	if (log->in_doc)
		return TL_EUSAGE;
	log->doc++;
	return TL_OK;
}

tl_status
tl_log_tag_begin(tl_log *log, unsigned long portion, tl_tag **out)
{
	*out = NULL;
	if (!log->in_doc)
		return TL_EUSAGE;
	return tl_tag_begin(log->ck, log->log_id, log->doc, portion, out);
}

tl_status
tl_log_decision(tl_log *log, const tl_log_dec_fields *dec, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	tl_status st;

	if (log->failed)
		return emit(log, T_DEC, v, d);
	if (!log->in_doc)
		return log_fail(log, d, TL_EUSAGE, "decision outside a "
		    "document (call tl_log_doc_begin)");
	if (dec->portion <= log->last_portion)
		return log_fail(log, d, TL_EUSAGE, "portion %lu after portion "
		    "%lu: indices must increase from 1", dec->portion,
		    log->last_portion);
	if (!tl_logline_hex(dec->tag, 64))
		return log_fail(log, d, TL_EUSAGE, "decision tag: expected 64 "
		    "lower-case hex digits");
	set_uint(&v[D_DOC], log->doc);
	set_uint(&v[D_PORTION], dec->portion);
	set_uint(&v[D_LINE], dec->line);
	set_str(&v[D_MARK], dec->mark);
	set_str(&v[D_DECISION], dec->release ? "release" : "withhold");
	set_str(&v[D_RULE], dec->rule);
	set_str(&v[D_TAG], dec->tag);
	if ((st = emit(log, T_DEC, v, d)) != TL_OK)
		return st;
	log->pending++;
	log->last_portion = dec->portion;
	return TL_OK;
}

tl_status
tl_log_doc_end(tl_log *log, const tl_log_doc_fields *doc, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	const char *policy;
	tl_status st;

	if (log->failed)
		return emit(log, T_DOC, v, d);
	if (!log->in_doc)
		return log_fail(log, d, TL_EUSAGE, "no document to end");
	if (doc->input == NULL || !tl_logline_hex(doc->input_tag, 64))
		return log_fail(log, d, TL_EUSAGE, "doc line: input name and "
		    "input tag (64 lower-case hex digits) are required");
	if ((doc->output == NULL) != (doc->output_sha256 == NULL) ||
	    (doc->output_sha256 && !tl_logline_hex(doc->output_sha256, 64)))
		return log_fail(log, d, TL_EUSAGE, "doc line: an output name "
		    "goes with its SHA-256 (64 lower-case hex digits)");
	policy = doc->policy_sha256 ? doc->policy_sha256 : log->policy;
	if (policy && !tl_logline_hex(policy, 64))
		return log_fail(log, d, TL_EUSAGE, "doc line: policy hash: "
		    "expected 64 lower-case hex digits");
	set_uint(&v[C_DOC], log->doc);
	set_str(&v[C_INPUT], doc->input);
	set_str(&v[C_ITAG], doc->input_tag);
	set_str(&v[C_OUTPUT], doc->output);
	set_str(&v[C_OSHA], doc->output_sha256);
	set_str(&v[C_READER], doc->reader ? doc->reader : log->reader);
	set_str(&v[C_POLICY], policy);
	set_uint(&v[C_PORTIONS], log->pending);
	if ((st = emit(log, T_DOC, v, d)) != TL_OK)
		return st;
	log->in_doc = false;
	return TL_OK;
}

/* Puts the signed temporary files in place: rename when replacing is
 * allowed, else link, which refuses to replace. */
static tl_status
publish(tl_log *log, const char *tmp_sig, tl_diag *d)
{
	if (log->force) {
		if (rename(log->tmp_path, log->path) != 0)
			return tl_logfile_error(d, log->path, "cannot rename into place");
		if (rename(tmp_sig, log->sig_path) != 0) {
			tl_status st = tl_logfile_error(d, log->sig_path,
			    "cannot rename into place");

			/* A log beside a stale signature helps nobody. */
			unlink(log->path);
			return st;
		}
		return TL_OK;
	}
	if (link(log->tmp_path, log->path) != 0) {
		if (errno == EEXIST)
			return tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR,
			    log->path, 0, 0, NULL,
			    "file exists (use force to replace it)");
		return tl_logfile_error(d, log->path, "cannot link into place");
	}
	if (link(tmp_sig, log->sig_path) != 0) {
		tl_status st = errno == EEXIST ?
		    tl_diag_set(d, TL_EEXIST, TL_SEV_ERROR, log->sig_path, 0, 0,
		    NULL, "file exists (use force to replace it)") :
		    tl_logfile_error(d, log->sig_path, "cannot link into place");

		unlink(log->path); /* ours: linked just above */
		return st;
	}
	return TL_OK;
}

tl_status
tl_log_close(tl_log *log, tl_diag *d)
{
	struct value v[MAX_FIELDS] = { { 0 } };
	unsigned char root[TL_MERKLE_HASH_BYTES], prehash[TL_PREHASH_BYTES];
	char roothex[TL_HASH_HEX + 1], *tc = NULL, *tmp_sig = NULL;
	tl_buf tcb = { 0 };
	tl_status st;
	FILE *f;

	if (log == NULL)
		return tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "tl_log_close: no log");
	if (log->failed) {
		st = tl_diag_set(d, log->failed, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: an earlier call failed (%s)",
		    tl_strerror(log->failed));
		goto out;
	}
	if (log->in_doc) {
		st = tl_diag_set(d, TL_EUSAGE, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: document %lu was not ended",
		    log->doc);
		goto out;
	}
	if (tl_merkle_root(log->mt, root) != TL_OK) {
		st = tl_diag_set(d, TL_ECRYPTO, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "log not written: SHA-256 failed");
		goto out;
	}
	tl_hex_lower(root, sizeof root, roothex);
	set_uint(&v[E_ENTRIES], log->seq);
	set_str(&v[E_ROOT], roothex);
	if ((st = emit(log, T_END, v, d)) != TL_OK)
		goto out;
	f = log->f;
	log->f = NULL;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		st = tl_logfile_error(d, log->path, "cannot write");
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		st = tl_logfile_error(d, log->path, "cannot write");
		goto out;
	}
	if (tl_buf_printf(&tcb, "format:%s\tlog:%s\tentries:%lu\troot:%s",
	    TL_LOG_FORMAT, log->log_id, log->seq - 1, roothex) != TL_OK ||
	    (tmp_sig = tl_logfile_concat(log->tmp_path, ".minisig")) == NULL) {
		st = tl_diag_set(d, TL_ENOMEM, TL_SEV_ERROR, log->path, 0, 0,
		    NULL, "out of memory");
		goto out;
	}
	tc = tcb.data;
	tl_b2b_final(&log->prehash, prehash);
	if ((st = tl_sign_prehashed(log->sk, prehash, log->tmp_path, tc,
	    log->untrusted, tmp_sig, d)) != TL_OK)
		goto out;
	st = publish(log, tmp_sig, d);
	unlink(tmp_sig);
	if (st == TL_OK) {
		tl_sync_dir(log->path);
		tl_sync_dir(log->sig_path);
	}
out:
	free(tmp_sig);
	tl_buf_free(&tcb);
	log_release(log);
	return st;
}

void
tl_log_abort(tl_log *log)
{
	if (log)
		log_release(log);
}

