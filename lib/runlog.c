/*
 * runlog.c: redaction recorded in a signed log, for a run of many
 * documents on many threads.
 *
 * A call of tl_runlog_redact watches tl_redact_file through its hooks:
 * it feeds the keyed tags of the input and of each portion, hashes each
 * copy as it is written, and keeps one packed record per decision per
 * target: in memory up to SPOOL_MEM bytes (a long cable's worth), then in
 * an unlinked spool file.  The log is a single stream, so the
 * calls take turns: each reserves its document numbers when it starts
 * (the tags are bound to them) and writes its lines once every call that
 * started before it has written or skipped its own.  The thread whose
 * turn it is writes without holding the lock; the others only wait.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tl_runlog {
	pthread_mutex_t mu;
	pthread_cond_t turn;
	tl_log *log;
	const tl_commitkey *ck;
	char log_id[TL_LOG_ID_HEX + 1];
	/* What every input tag, and every portion tag, of the log starts
	 * with (tl_tag_proto); read-only once open. */
	tl_tag *itag_proto, *ptag_proto;
	unsigned long reserved;  /* last document number handed out */
	/* Last document number written or skipped: written under mu, and
	 * also read without it while a call waits for its turn. */
	_Atomic unsigned long done;
	unsigned long documents; /* doc lines written */
	tl_status failed;        /* the log's first error, TL_OK until then */
	tl_diag fail_diag;
};

/* One decision, as it waits in the spool for its turn.  Packed, it is
 * the portion and the line as LEB128 numbers, a flags byte, the mark and
 * the rule each as a length byte and that many bytes, and the tag: about
 * 52 bytes for a cable's decision, where the log line takes 270. */
typedef struct record {
	unsigned long portion, line;
	bool release, marked;
	char mark[TL_MARK_MAX + 1];
	char rule[sizeof ((tl_decision *)0)->rule];
	unsigned char tag[TL_TAG_BYTES];
} record;

_Static_assert(TL_MARK_MAX <= 255 && sizeof ((tl_decision *)0)->rule <= 256,
    "a mark's and a rule's length fit in a byte");

#define REC_RELEASE 1u
#define REC_MARKED 2u
#define VARINT_MAX 10 /* bytes of a 64-bit LEB128 number */
#define RECORD_MAX (2 * VARINT_MAX + 1 + 1 + TL_MARK_MAX + 1 + \
	sizeof ((record *)0)->rule + TL_TAG_BYTES)

/* Bytes of records a slot holds in memory: the decisions of a long cable
 * (a thousand or so).  A document with more spills them to a file. */
#define SPOOL_MEM (64u * 1024u)

/* What one call keeps for one target (one document of the log). */
typedef struct slot {
	tl_tag *input_tag;
	tl_tag *portion_tag;    /* reused from portion to portion */
	bool portion_open;      /* portion_tag has a portion to finish */
	tl_sha256 *output;
	unsigned long records;  /* in all */
	int fd;                 /* the spool file, once memory is full; or -1 */
	size_t nmem;            /* bytes in mem: the newest records */
	unsigned char mem[SPOOL_MEM];
} slot;

typedef struct call {
	tl_runlog *rl;
	const char *spool_dir;
	int spool_errno;    /* the spool file could not be made or written */
	unsigned long base; /* document number of target 0 */
	unsigned long portion;
	size_t n;
	slot *s;
} call;

tl_status
tl_runlog_open(const char *path, const tl_seckey *sk, const tl_commitkey *ck,
    const tl_log_params *params, tl_runlog **out, tl_diag *diag)
{
	tl_runlog *rl;
	tl_status st;

	*out = NULL;
	if ((rl = calloc(1, sizeof *rl)) == NULL)
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	if ((st = tl_log_open(path, sk, ck, params, &rl->log, diag)) != TL_OK) {
		free(rl);
		return st;
	}
	if (pthread_mutex_init(&rl->mu, NULL) != 0) {
		tl_log_abort(rl->log);
		free(rl);
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "cannot create a lock");
	}
	if (pthread_cond_init(&rl->turn, NULL) != 0) {
		pthread_mutex_destroy(&rl->mu);
		tl_log_abort(rl->log);
		free(rl);
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "cannot create a condition variable");
	}
	rl->ck = ck;
	atomic_init(&rl->done, 0);
	memcpy(rl->log_id, tl_log_id(rl->log), sizeof rl->log_id);
	if (tl_tag_proto(ck, rl->log_id, true, &rl->itag_proto) != TL_OK ||
	    tl_tag_proto(ck, rl->log_id, false, &rl->ptag_proto) != TL_OK) {
		tl_runlog_abort(rl);
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	}
	*out = rl;
	return TL_OK;
}

const char *
tl_runlog_id(const tl_runlog *rl)
{
	return rl->log_id;
}

unsigned long
tl_runlog_documents(tl_runlog *rl)
{
	unsigned long n;

	pthread_mutex_lock(&rl->mu);
	n = rl->documents;
	pthread_mutex_unlock(&rl->mu);
	return n;
}

/* ---------------------------------------------------------------------
 * Hooks
 * ------------------------------------------------------------------- */

static tl_status
on_input(void *ctx, const char *bytes, size_t len)
{
	call *c = ctx;
	size_t i;

	for (i = 0; i < c->n; i++)
		tl_tag_update(c->s[i].input_tag, bytes, len);
	return TL_OK;
}

static tl_status
on_portion_begin(void *ctx, const tl_portion *p)
{
	call *c = ctx;
	size_t i;

	(void)p;
	c->portion++;
	for (i = 0; i < c->n; i++) {
		c->s[i].portion_open = false;
		if (tl_tag_restart(&c->s[i].portion_tag, c->rl->ptag_proto,
		    c->base + i, c->portion) != TL_OK)
			return TL_ENOMEM;
		c->s[i].portion_open = true;
	}
	return TL_OK;
}

static tl_status
on_portion_text(void *ctx, const tl_portion *p, const char *bytes, size_t len)
{
	call *c = ctx;
	size_t i;

	(void)p;
	for (i = 0; i < c->n; i++)
		if (c->s[i].portion_open)
			tl_tag_update(c->s[i].portion_tag, bytes, len);
	return TL_OK;
}

/* Moves the records in memory to the end of the spool file, making it
 * the first time.  A failure is kept in c->spool_errno for the message. */
static tl_status
spill(call *c, slot *s)
{
	tl_diag scratch;

	if (s->fd < 0 && (s->fd = tl_spool_open(c->spool_dir)) < 0) {
		c->spool_errno = errno;
		return TL_EIO;
	}
	errno = 0;
	if (tl_write_all(s->fd, s->mem, s->nmem, "spool", &scratch) != TL_OK) {
		c->spool_errno = errno ? errno : EIO;
		return TL_EIO;
	}
	s->nmem = 0;
	return TL_OK;
}

static size_t
put_varint(unsigned char *o, unsigned long v)
{
	size_t n = 0;

	while (v >= 0x80) {
		o[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	o[n++] = (unsigned char)v;
	return n;
}

/* The number at in[*i], at most VARINT_MAX bytes of the n; false when
 * it does not end by then. */
static bool
get_varint(const unsigned char *in, size_t n, size_t *i, unsigned long *v)
{
	unsigned shift = 0;
	size_t k;

	*v = 0;
	for (k = 0; *i + k < n && k < VARINT_MAX; k++, shift += 7) {
		unsigned char b = in[*i + k];
		*v |= (unsigned long)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*i += k + 1;
			return true;
		}
	}
	return false;
}

/* Packs the decision d on portion p (number `portion`, its tag finished
 * here) at o, which has room for RECORD_MAX bytes; returns the bytes. */
static size_t
pack(unsigned char *o, const tl_portion *p, const tl_decision *d,
    unsigned long portion, tl_tag *tag)
{
	size_t n = 0, k;

	n += put_varint(o + n, portion);
	n += put_varint(o + n, p->line);
	o[n++] = (unsigned char)((d->verdict == TL_RELEASE ? REC_RELEASE : 0) |
	    (p->marked ? REC_MARKED : 0));
	/* The log never holds withheld text: a mark that does not read
	 * (it may be prose) is masked, as copies show it. */
	k = 0;
	if (p->marked) {
		char shown[TL_MARK_MAX + 1];
		k = tl_mark_shown(p, shown, sizeof shown);
		if (k > TL_MARK_MAX)
			k = TL_MARK_MAX;
		memcpy(o + n + 1, shown, k);
	}
	o[n++] = (unsigned char)k;
	n += k;
	k = strnlen(d->rule, sizeof d->rule - 1);
	o[n++] = (unsigned char)k;
	memcpy(o + n, d->rule, k);
	n += k;
	tl_tag_digest(tag, o + n);
	return n + TL_TAG_BYTES;
}

/* Unpacks the record at in[0..n): its size, or 0 when the bytes end
 * before it does or do not make a record. */
static size_t
unpack(const unsigned char *in, size_t n, record *r)
{
	size_t i = 0, k;

	if (!get_varint(in, n, &i, &r->portion) ||
	    !get_varint(in, n, &i, &r->line) || n - i < 2)
		return 0;
	r->release = (in[i] & REC_RELEASE) != 0;
	r->marked = (in[i] & REC_MARKED) != 0;
	k = in[++i];
	if (k > TL_MARK_MAX || n - ++i < k + 1)
		return 0;
	memcpy(r->mark, in + i, k);
	r->mark[k] = '\0';
	i += k;
	k = in[i++];
	if (k >= sizeof r->rule || n - i < k + TL_TAG_BYTES)
		return 0;
	memcpy(r->rule, in + i, k);
	r->rule[k] = '\0';
	i += k;
	memcpy(r->tag, in + i, TL_TAG_BYTES);
	return i + TL_TAG_BYTES;
}

/* Keeps the unread bytes mem[*pos..nmem) and fills the rest of mem from
 * the spool file; false on a read error or when nothing was left to read. */
static bool
read_more(slot *s, size_t *pos)
{
	size_t got = 0;
	ssize_t n;

	memmove(s->mem, s->mem + *pos, s->nmem - *pos);
	s->nmem -= *pos;
	*pos = 0;
	while (s->nmem < sizeof s->mem) {
		n = read(s->fd, s->mem + s->nmem, sizeof s->mem - s->nmem);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s->nmem += (size_t)n;
		got += (size_t)n;
	}
	return got > 0;
}

static tl_status
on_decision(void *ctx, size_t target, const tl_portion *p,
    const tl_decision *d)
{
	call *c = ctx;
	slot *s = &c->s[target];

	if (!s->portion_open)
		return TL_EUSAGE; /* a decision without its portion */
	if (sizeof s->mem - s->nmem < RECORD_MAX && spill(c, s) != TL_OK)
		return TL_EIO;
	s->nmem += pack(s->mem + s->nmem, p, d, c->portion, s->portion_tag);
	s->portion_open = false;
	s->records++;
	return TL_OK;
}

static tl_status
on_output(void *ctx, size_t target, const char *bytes, size_t len)
{
	call *c = ctx;

	tl_sha256_update(c->s[target].output, bytes, len);
	return TL_OK;
}

/* ---------------------------------------------------------------------
 * Writing a call's documents when its turn comes
 * ------------------------------------------------------------------- */

static tl_status
write_document(tl_runlog *rl, call *c, size_t i, const char *input,
    const tl_redact_target *target, tl_diag *diag)
{
	slot *s = &c->s[i];
	char itag[TL_HASH_HEX + 1], osha[TL_HASH_HEX + 1], tag[TL_HASH_HEX + 1];
	tl_log_doc_fields doc;
	tl_log_dec_fields dec;
	unsigned long docno, k;
	size_t pos = 0, used;
	record r;
	tl_status st;

	if ((st = tl_log_doc_begin(rl->log, &docno)) != TL_OK)
		return st;
	if (docno != c->base + i)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, input, 0, 0,
		    NULL, "log: document %lu written as %lu", c->base + i, docno);
	/* A spilled document: the newest records join the file, and all
	 * come back from it a memory's worth at a time, oldest first. */
	if (s->fd >= 0 && (s->nmem > 0 && spill(c, s) != TL_OK))
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, input, 0, 0, NULL,
		    "log spool: %s", strerror(c->spool_errno));
	if (s->fd >= 0 && lseek(s->fd, 0, SEEK_SET) != 0)
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, input, 0, 0, NULL,
		    "log spool: %s", strerror(errno));
	for (k = 0; k < s->records; k++) {
		if ((used = unpack(s->mem + pos, s->nmem - pos, &r)) == 0 &&
		    s->fd >= 0 && read_more(s, &pos))
			used = unpack(s->mem, s->nmem, &r);
		if (used == 0)
			return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, input, 0, 0,
			    NULL, "log spool: cannot read decision %lu back", k + 1);
		pos += used;
		tl_hex_lower(r.tag, sizeof r.tag, tag);
		memset(&dec, 0, sizeof dec);
		dec.portion = r.portion;
		dec.line = r.line;
		dec.mark = r.marked ? r.mark : NULL;
		dec.release = r.release;
		dec.rule = r.rule[0] ? r.rule : NULL;
		dec.tag = tag;
		if ((st = tl_log_decision(rl->log, &dec, diag)) != TL_OK)
			return st;
	}
	s->nmem = 0;
	tl_tag_final(s->input_tag, itag);
	s->input_tag = NULL;
	st = tl_sha256_final(s->output, osha);
	s->output = NULL;
	if (st != TL_OK)
		return tl_diag_set(diag, st, TL_SEV_ERROR, target->path, 0, 0,
		    NULL, "log: SHA-256 of the copy failed");
	memset(&doc, 0, sizeof doc);
	doc.input = input;
	doc.input_tag = itag;
	doc.output = target->path;
	doc.output_sha256 = osha;
	doc.reader = target->reader->name[0] ? target->reader->name : NULL;
	return tl_log_doc_end(rl->log, &doc, diag);
}

/* Times a call waiting for its turn yields the processor before it
 * sleeps.  The call before it is usually writing its last lines, a few
 * microseconds from done: a sleep and a wake-up cost more than that on a
 * small file, and a broadcast wakes every sleeper.  With 10,000 small
 * files, -j 2 and -j 8, 200 yields did as well as 20,000. */
#define TURN_SPINS 200

/* Waits for the call's turn, writes or skips its documents, and passes
 * the turn on.  `outcome` is what the redaction returned. */
static tl_status
take_turn(tl_runlog *rl, call *c, tl_status outcome, const char *input,
    const tl_redact_target *targets, tl_diag *diag)
{
	tl_status st = TL_OK;
	unsigned long written = 0;
	tl_diag scratch;
	size_t i;

	memset(&scratch, 0, sizeof scratch);
	/* Only a hint: the turn is taken under the lock below. */
	for (i = 0; i < TURN_SPINS && rl->done != c->base - 1; i++)
		sched_yield();
	pthread_mutex_lock(&rl->mu);
	while (rl->done != c->base - 1)
		pthread_cond_wait(&rl->turn, &rl->mu);
	st = rl->failed;
	pthread_mutex_unlock(&rl->mu);

	for (i = 0; i < c->n && st == TL_OK; i++) {
		if (outcome != TL_OK)
			st = tl_log_doc_skip(rl->log);
		else if ((st = write_document(rl, c, i, input, &targets[i],
		    &scratch)) == TL_OK)
			written++;
	}

	pthread_mutex_lock(&rl->mu);
	if (st != TL_OK && rl->failed == TL_OK) {
		if (scratch.message[0] == '\0')
			tl_diag_set(&scratch, st, TL_SEV_ERROR, input, 0, 0, NULL,
			    "log: %s", tl_strerror(st));
		rl->failed = st;
		rl->fail_diag = scratch;
	}
	if (st != TL_OK && diag)
		*diag = rl->fail_diag;
	rl->documents += written;
	rl->done = c->base + c->n - 1;
	pthread_cond_broadcast(&rl->turn);
	pthread_mutex_unlock(&rl->mu);
	return st;
}

static void
release_slots(call *c)
{
	size_t i;

	for (i = 0; c->s && i < c->n; i++) {
		if (c->s[i].fd >= 0)
			close(c->s[i].fd);
		tl_tag_free(c->s[i].input_tag);
		tl_tag_free(c->s[i].portion_tag);
		tl_sha256_free(c->s[i].output);
	}
	free(c->s);
}

static tl_status
make_slots(call *c, const tl_redact_options *opt, const char *input,
    tl_diag *diag)
{
	size_t i;

	c->spool_dir = opt && opt->spool_dir ? opt->spool_dir : "/tmp";
	/* malloc: the record memory is written before it is read. */
	if ((c->s = malloc(c->n * sizeof *c->s)) == NULL)
		goto nomem;
	for (i = 0; i < c->n; i++) {
		slot *s = &c->s[i];
		s->input_tag = s->portion_tag = NULL;
		s->portion_open = false;
		s->output = NULL;
		s->records = 0;
		s->fd = -1;
		s->nmem = 0;
	}
	for (i = 0; i < c->n; i++) {
		slot *s = &c->s[i];
		if (tl_tag_restart(&s->input_tag, c->rl->itag_proto,
		    c->base + i, 0) != TL_OK ||
		    tl_sha256_begin(&s->output) != TL_OK)
			goto nomem;
	}
	return TL_OK;
nomem:
	return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, input, 0, 0, NULL,
	    "out of memory");
}

tl_status
tl_runlog_redact(tl_runlog *rl, const tl_policy *pol, const char *input,
    const tl_redact_target *targets, size_t ntargets,
    const tl_redact_options *opt, tl_redact_report *reports, tl_diag *diag)
{
	tl_redact_options o;
	tl_redact_hooks h;
	tl_status st, logst;
	call c;
	tl_diag scratch;

	if (diag == NULL)
		diag = &scratch;
	memset(diag, 0, sizeof *diag);
	if (rl == NULL || ntargets == 0 || (opt && opt->hooks))
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, input, 0, 0,
		    NULL, "tl_runlog_redact: no log, no target, or hooks given");
	memset(&c, 0, sizeof c);
	c.rl = rl;
	c.n = ntargets;
	pthread_mutex_lock(&rl->mu);
	c.base = rl->reserved + 1;
	rl->reserved += ntargets;
	pthread_mutex_unlock(&rl->mu);

	if ((st = make_slots(&c, opt, input, diag)) == TL_OK) {
		if (opt)
			o = *opt;
		else
			memset(&o, 0, sizeof o);
		memset(&h, 0, sizeof h);
		h.ctx = &c;
		h.input = on_input;
		h.portion_begin = on_portion_begin;
		h.portion_text = on_portion_text;
		h.decision = on_decision;
		h.output = on_output;
		o.hooks = &h;
		st = tl_redact_file(pol, input, targets, ntargets, &o, reports,
		    diag);
		if (st != TL_OK && c.spool_errno != 0)
			st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, input, 0, 0,
			    NULL, "log spool: cannot write a file in %s: %s",
			    c.spool_dir, strerror(c.spool_errno));
	}
	logst = take_turn(rl, &c, st, input, targets, st == TL_OK ? diag : NULL);
	release_slots(&c);
	return st != TL_OK ? st : logst;
}

/* Frees what tl_runlog_open made, the log aside (closed or dropped). */
static void
destroy(tl_runlog *rl)
{
	pthread_cond_destroy(&rl->turn);
	pthread_mutex_destroy(&rl->mu);
	tl_tag_free(rl->itag_proto);
	tl_tag_free(rl->ptag_proto);
	free(rl);
}

tl_status
tl_runlog_close(tl_runlog *rl, tl_diag *diag)
{
	tl_status st;
	bool busy;

	if (rl == NULL)
		return TL_EUSAGE;
	pthread_mutex_lock(&rl->mu);
	st = rl->failed;
	busy = rl->done != rl->reserved;
	pthread_mutex_unlock(&rl->mu);
	if (st != TL_OK) {
		tl_log_abort(rl->log);
		if (diag)
			*diag = rl->fail_diag;
	} else if (busy) {
		tl_log_abort(rl->log);
		st = tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, NULL, 0, 0, NULL,
		    "log closed while a redaction was under way");
	} else {
		st = tl_log_close(rl->log, diag);
	}
	destroy(rl);
	return st;
}

void
tl_runlog_abort(tl_runlog *rl)
{
	if (rl == NULL)
		return;
	tl_log_abort(rl->log);
	destroy(rl);
}
