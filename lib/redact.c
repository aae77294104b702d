/*
 * redact.c: the redaction writer.  One parse of the input drives one copy
 * per reader: released portions are copied byte for byte, withheld ones
 * become a placeholder line, and the lines that depend on the whole
 * document (banners, control lines, ZNY class, authority, header) are
 * rendered at the end, when every decision is known.
 */
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WBUF_SIZE (64u * 1024u)
/* A copy is spooled in memory up to this size and goes to an unlinked
 * file only past it: a single cable never touches the disk twice. */
#define SPOOL_MEM_MAX (256u * 1024u)
/* Lines kept for rendering at the end (header, control, banner lines)
 * are recorded in order, in memory up to this many bytes of records and
 * in an unlinked file past that: an archive of many cables in one file
 * has a banner every few kilobytes, and memory must not grow with it. */
#define ITEMS_MEM_MAX (256u * 1024u)
/* The longest record: an item, a complete line (at most a fragment), its
 * line ending and a banner tail. */
#define ITEM_RECORD_MAX (sizeof(item) + TL_FRAGMENT_MAX + 2 + \
	sizeof(((tl_banner *)0)->tail))

/* A piece of output that is not a plain copy of spooled bytes: inserted
 * at spool offset `at`, replacing `skip` spooled bytes.  In the record it
 * is followed by its text (len bytes), line ending and banner tail. */
typedef struct item {
	size_t at;
	size_t skip;
	bool literal;      /* text is final (a placeholder); else a line to render */
	tl_line_role role;
	size_t len;        /* of the text */
	size_t eol_len;    /* line ending, after the text */
	/* Banner lines: */
	bool spaced;
	bool capco;        /* written with // (CAPCO form) */
	size_t tail_len;   /* the station/serial tail, after the line ending */
	size_t lead_len;   /* leading white space of the line */
} item;

/* A remembered portion decision.  tl_decide_portion reads, of the
 * portion, only whether it is the subject, its mark, marking and error
 * count (with the policy, the reader and the document decision, fixed for
 * a run), and for an unmarked one in a document with page scopes its
 * line: portions that agree in those get the same decision.  Cables
 * repeat a few marks. */
#define DECISION_MEMO 64
typedef struct decision_memo {
	bool used;
	bool subject;
	bool marked;
	unsigned errors;
	char mark_text[TL_MARK_MAX + 1];
	tl_marking marking;
	tl_decision d;
} decision_memo;

typedef struct target {
	const tl_reader *reader;
	const char *path;
	bool stream;       /* path is "-" or a device, FIFO or socket */
	tl_redact_report *report;
	/* The spool: while `spool` is -1 the whole copy so far is in wbuf
	 * (up to SPOOL_MEM_MAX); after that wbuf buffers writes to the file. */
	int spool;
	char *spool_dir;
	size_t spooled;    /* bytes written to the spool file */
	char *wbuf;
	size_t wlen, wcap;
	/* Item records: the first ones in ilog_fd (when it is not -1), the
	 * newest in ilog. */
	tl_buf ilog;
	int ilog_fd;
	size_t ilog_spilled; /* bytes written to ilog_fd */
	/* The open portion */
	bool release;
	bool placeholder_written;
	tl_decision dec;
	size_t start;      /* output offset where the portion began */
	size_t start_items; /* item bytes (ilog_spilled + ilog.len) before the
	                       portion: its section banners follow */
	/* Roll-up of what was released */
	unsigned max_rank;
	tl_marking rollup;  /* union of released controls; REL TO = intersection */
	bool rel_seen;      /* some released classified portion has REL TO */
	bool rel_broken;    /* some released classified portion lacks it */
	/* DECISION_MEMO entries, apart from the target: 80 KB that a zeroed
	 * target would clear for every small file, where only their `used`
	 * flags need clearing. */
	decision_memo *memo;
	stats_tally *tally; /* opt->stats: this document's counts, or NULL */
} target;

typedef struct redactor {
	const tl_policy *pol;
	const tl_redact_options *opt;
	const tl_redact_hooks *hooks;
	target *t;
	size_t nt;
	tl_docdecision *dd; /* per target */
	bool decided;
	/* The whole document as the scan saw it (tl_doc_scan): text with no
	 * mark of its own is decided at the document's final evidence, not
	 * at what the stream has shown so far. */
	tl_docinfo scan;
	const char *doc_name; /* the input's name for the parser */
	bool binary;        /* a NUL byte: withheld whole */
	char whole_reason[200];
	const char *whole_rule; /* with `binary`: its rule id for the stats */
	const char *name;
	tl_diag *diag;
	tl_status failed;
	/* The open portion's placeholder ending: the line ending of its
	 * first whole line (the document's when that has none), and whether
	 * its last fragment ended mid-line, where the next cell's portion
	 * goes on (tlp_content's cell portions). */
	char peol[2];
	size_t peol_len;
	bool peol_set;
	bool pmid;
} redactor;

static bool
cancelled(const redactor *r)
{
	return r->opt && r->opt->cancel && *r->opt->cancel;
}

static tl_status
interrupted(redactor *r)
{
	return tl_diag_set(r->diag, TL_EINTR, TL_SEV_ERROR, r->name, 0, 0, NULL,
	    "interrupted");
}

static tl_status
fail(redactor *r, tl_status st)
{
	if (r->failed == TL_OK)
		r->failed = st;
	return st;
}

/* ---------------------------------------------------------------------
 * Spooling
 * ------------------------------------------------------------------- */

/* Writes wbuf to the spool file, opening it first if the copy was in
 * memory so far. */
static tl_status
spool_flush(redactor *r, target *t)
{
	tl_status st;

	if (t->spool < 0) {
		if ((t->spool = tl_spool_open(t->spool_dir)) < 0)
			return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0,
			    0, NULL, "cannot write in %s: %s", t->spool_dir,
			    strerror(errno));
	}
	if (t->wlen == 0)
		return TL_OK;
	st = tl_write_all(t->spool, t->wbuf, t->wlen, t->path, r->diag);
	t->spooled += t->wlen;
	t->wlen = 0;
	return st;
}

static tl_status
put(redactor *r, target *t, const char *bytes, size_t len)
{
	tl_status st;
	char *n;
	size_t cap;

	if (t->wcap - t->wlen >= len) {
		memcpy(t->wbuf + t->wlen, bytes, len);
		t->wlen += len;
		return TL_OK;
	}
	/* In memory still: grow the buffer while the copy stays small. */
	if (t->spool < 0 && t->wlen + len <= SPOOL_MEM_MAX) {
		for (cap = t->wcap; cap - t->wlen < len; cap *= 2)
			;
		if (cap > SPOOL_MEM_MAX)
			cap = SPOOL_MEM_MAX;
		if ((n = realloc(t->wbuf, cap)) == NULL)
			return TL_ENOMEM;
		t->wbuf = n;
		t->wcap = cap;
		memcpy(t->wbuf + t->wlen, bytes, len);
		t->wlen += len;
		return TL_OK;
	}
	if ((st = spool_flush(r, t)) != TL_OK)
		return st;
	if (len >= t->wcap) {
		st = tl_write_all(t->spool, bytes, len, t->path, r->diag);
		t->spooled += len;
		return st;
	}
	memcpy(t->wbuf, bytes, len);
	t->wlen = len;
	return TL_OK;
}

/* Forgets the item records from byte `from` of the item log on, in
 * memory or in the item file. */
static tl_status
drop_items(redactor *r, target *t, size_t from)
{
	if (from >= t->ilog_spilled) {
		t->ilog.len = from - t->ilog_spilled;
		return TL_OK;
	}
	if (ftruncate(t->ilog_fd, (off_t)from) != 0 ||
	    lseek(t->ilog_fd, (off_t)from, SEEK_SET) < 0)
		return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0, 0,
		    NULL, "item file: %s", strerror(errno));
	t->ilog_spilled = from;
	tl_buf_reset(&t->ilog);
	return TL_OK;
}

static size_t
offset(const target *t)
{
	return t->spooled + t->wlen;
}

/* Records item `it` with its text, line ending and banner tail (tail
 * may be NULL); moves the records to the item file past ITEMS_MEM_MAX. */
static tl_status
add_item(redactor *r, target *t, const item *it, const char *text,
    size_t len, const char *eol, size_t eol_len, const char *tail)
{
	item rec = *it;
	tl_status st;

	rec.len = len;
	rec.eol_len = eol_len;
	rec.tail_len = tail ? strlen(tail) : 0;
	if ((st = tl_buf_append(&t->ilog, &rec, sizeof rec)) != TL_OK ||
	    (st = tl_buf_append(&t->ilog, text, len)) != TL_OK ||
	    (st = tl_buf_append(&t->ilog, eol, eol_len)) != TL_OK ||
	    (st = tl_buf_append(&t->ilog, tail ? tail : "", rec.tail_len)) != TL_OK)
		return st;
	if (t->ilog.len < ITEMS_MEM_MAX)
		return TL_OK;
	if (t->ilog_fd < 0 && (t->ilog_fd = tl_spool_open(t->spool_dir)) < 0)
		return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0, 0,
		    NULL, "cannot write in %s: %s", t->spool_dir, strerror(errno));
	st = tl_write_all(t->ilog_fd, t->ilog.data, t->ilog.len, t->path, r->diag);
	t->ilog_spilled += t->ilog.len;
	tl_buf_reset(&t->ilog);
	return st;
}

/* Reads the item records back in order: the file's, then memory's. */
typedef struct item_reader {
	char *buf;        /* a window on the file: 2 * ITEM_RECORD_MAX */
	size_t len, off;  /* bytes in buf; first unread */
	size_t pos;       /* file offset after buf's bytes */
	bool memory;      /* the file is done: reading t->ilog at off */
} item_reader;

static tl_status
item_reader_open(const target *t, item_reader *ir)
{
	memset(ir, 0, sizeof *ir);
	ir->memory = t->ilog_fd < 0;
	if (!ir->memory && (ir->buf = malloc(2 * ITEM_RECORD_MAX)) == NULL)
		return TL_ENOMEM;
	return TL_OK;
}

/* The next record: *it and its bytes (text, line ending, tail) at
 * *bytes.  *more is false after the last. */
static tl_status
next_item(redactor *r, const target *t, item_reader *ir, item *it,
    const char **bytes, bool *more)
{
	size_t avail, need;
	ssize_t n;

	*more = false;
	if (!ir->memory && ir->off == ir->len && ir->pos == t->ilog_spilled) {
		ir->memory = true;
		ir->off = 0;
	}
	if (ir->memory) {
		if (ir->off >= t->ilog.len)
			return TL_OK;
		memcpy(it, t->ilog.data + ir->off, sizeof *it);
		*bytes = t->ilog.data + ir->off + sizeof *it;
		ir->off += sizeof *it + it->len + it->eol_len + it->tail_len;
		*more = true;
		return TL_OK;
	}
	/* From the file: slide the window until it holds the whole record. */
	for (;;) {
		avail = ir->len - ir->off;
		need = sizeof *it;
		if (avail >= need) {
			memcpy(it, ir->buf + ir->off, sizeof *it);
			need += it->len + it->eol_len + it->tail_len;
			if (need > ITEM_RECORD_MAX)
				break;
		}
		if (avail >= need) {
			*bytes = ir->buf + ir->off + sizeof *it;
			ir->off += need;
			*more = true;
			return TL_OK;
		}
		if (ir->pos >= t->ilog_spilled)
			break;
		memmove(ir->buf, ir->buf + ir->off, avail);
		ir->len = avail;
		ir->off = 0;
		n = pread(t->ilog_fd, ir->buf + ir->len, 2 * ITEM_RECORD_MAX - ir->len,
		    (off_t)ir->pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0,
			    0, NULL, "reading the spool: %s", n < 0 ?
			    strerror(errno) : "short read");
		ir->len += (size_t)n;
		ir->pos += (size_t)n;
	}
	return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0, 0, NULL,
	    "reading the spool: a broken record");
}

/* ---------------------------------------------------------------------
 * Input: read twice, so it must be a file that can be read again
 * ------------------------------------------------------------------- */

/* Opens the input for its two reads (the scan, then the stream) into
 * *fd: a regular file as it is; standard input, a pipe or a device is
 * first copied to an unlinked spool file beside the first copy. */
static tl_status
open_input(redactor *r, const char *input, int *fd)
{
	char buf[64 * 1024];
	ssize_t n;
	int in, spool;
	tl_status st = TL_OK;

	r->doc_name = strcmp(input, "-") == 0 ? "<stdin>" : input;
	if (strcmp(input, "-") == 0)
		in = STDIN_FILENO;
	else if ((in = open(input, O_RDONLY)) < 0)
		return tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, input, 0, 0,
		    NULL, "%s", strerror(errno));
	if (lseek(in, 0, SEEK_CUR) >= 0 && in != STDIN_FILENO) {
		*fd = in;
		return TL_OK;
	}
	if ((spool = tl_spool_open(r->t[0].spool_dir)) < 0) {
		st = tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, input, 0, 0, NULL,
		    "cannot spool the input in %s: %s", r->t[0].spool_dir,
		    strerror(errno));
		goto done;
	}
	for (;;) {
		if (cancelled(r)) {
			st = interrupted(r);
			break;
		}
		n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, input, 0,
			    0, NULL, "%s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if ((st = tl_write_all(spool, buf, (size_t)n, input,
		    r->diag)) != TL_OK)
			break;
	}
	if (st == TL_OK && lseek(spool, 0, SEEK_SET) != 0)
		st = tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, input, 0, 0, NULL,
		    "%s", strerror(errno));
	if (st == TL_OK)
		*fd = spool;
	else
		close(spool);
done:
	if (in != STDIN_FILENO)
		close(in);
	return st;
}

/* ---------------------------------------------------------------------
 * Decisions
 * ------------------------------------------------------------------- */

static void
decide_document(redactor *r, const tl_docinfo *doc)
{
	size_t i;

	if (r->decided)
		return;
	r->decided = true;
	(void)doc;
	for (i = 0; i < r->nt; i++)
		tl_decide_document(r->pol, r->t[i].reader, &r->scan, &r->dd[i]);
}

static void
decide(redactor *r, size_t i, const tl_portion *po, tl_decision *d)
{
	target *t = &r->t[i];
	decision_memo *m;
	bool subject = po->kind == TL_PORTION_SUBJECT;
	unsigned h = subject;
	size_t k;

	if (po->kind == TL_PORTION_SUBJECT &&
	    tl_policy_part(r->pol, TL_PART_SUBJECT) != TL_PART_PORTION) {
		tl_decide_part(r->pol, &r->dd[i], TL_PART_SUBJECT, d);
		return;
	}
	/* Buried marks and the page an unmarked portion is on are not in
	 * the memo's key: decided afresh. */
	if (po->nburied || (!po->marked && r->dd[i].nscopes > 0)) {
		tl_decide_portion(r->pol, t->reader, &r->dd[i], po, d);
		return;
	}
	for (k = 0; k < sizeof po->mark_text && po->mark_text[k]; k++)
		h = h * 31 + (unsigned char)po->mark_text[k];
	h ^= h >> 11;
	m = &t->memo[(h * 2654435761u) % DECISION_MEMO];
	if (m->used && m->subject == subject && m->marked == po->marked &&
	    m->errors == po->errors &&
	    strncmp(m->mark_text, po->mark_text, sizeof m->mark_text) == 0 &&
	    memcmp(&m->marking, &po->marking, sizeof m->marking) == 0) {
		*d = m->d;
		return;
	}
	tl_decide_portion(r->pol, t->reader, &r->dd[i], po, d);
	m->used = true;
	m->subject = subject;
	m->marked = po->marked;
	m->errors = po->errors;
	memcpy(m->mark_text, po->mark_text, sizeof m->mark_text);
	m->marking = po->marking;
	m->d = *d;
}

static tl_status
write_placeholder(redactor *r, target *t, const tl_portion *po,
    const char *eol, size_t eol_len)
{
	char line[1024];
	size_t n = tl_policy_placeholder(r->pol, po, &t->dec, line, sizeof line);
	tl_status st;

	if (n >= sizeof line)
		n = sizeof line - 1;
	if ((st = put(r, t, line, n)) != TL_OK)
		return st;
	return put(r, t, eol, eol_len);
}

/* True when `group`'s member list (tl_country_group) names `code`. */
static bool
group_has(const char *group, const char *code)
{
	const char *p = tl_country_group(group);
	size_t n, len = strlen(code);

	while (p && *p) {
		while (*p == ' ')
			p++;
		for (n = 0; p[n] && p[n] != ' '; n++)
			;
		if (n == len && memcmp(p, code, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* True when the REL TO list of `m` releases to `code`: named, in a named
 * group (GBR in FVEY), or USA, which every list of a US mark includes. */
static bool
rel_covers(const tl_marking *m, const char *code)
{
	unsigned i;

	if (strcmp(code, "USA") == 0)
		return true;
	for (i = 0; i < m->nrel && i < TL_MARK_REL_MAX; i++)
		if (strcmp(m->rel[i], code) == 0 || group_has(m->rel[i], code))
			return true;
	return false;
}

static void
rel_add(tl_marking *out, const char *code)
{
	unsigned i;

	for (i = 0; i < out->nrel; i++)
		if (strcmp(out->rel[i], code) == 0)
			return;
	/* A full list drops countries: a narrower banner, never a wider. */
	if (out->nrel < TL_MARK_REL_MAX)
		tl_strlcpy(out->rel[out->nrel++], code, strlen(code),
		    sizeof out->rel[0]);
}

/* The countries both REL TO lists release to, groups expanded where only
 * one side names the group ([USA, FVEY] and [USA, GBR] give [USA, GBR]). */
static void
rel_intersect(tl_marking *acc, const tl_marking *m)
{
	tl_marking out;
	const char *members, *p;
	char code[8];
	unsigned i;
	size_t n;

	out.nrel = 0;
	for (i = 0; i < acc->nrel && i < TL_MARK_REL_MAX; i++) {
		if (rel_covers(m, acc->rel[i])) {
			rel_add(&out, acc->rel[i]);
			continue;
		}
		if ((members = tl_country_group(acc->rel[i])) == NULL)
			continue;
		for (p = members; *p; p += n) {
			while (*p == ' ')
				p++;
			for (n = 0; p[n] && p[n] != ' '; n++)
				;
			if (n == 0 || n >= sizeof code)
				continue;
			memcpy(code, p, n);
			code[n] = '\0';
			if (rel_covers(m, code))
				rel_add(&out, code);
		}
	}
	acc->nrel = out.nrel;
	memcpy(acc->rel, out.rel, sizeof out.rel);
}

/* Adds a released portion to the roll-up that the banner is made of. */
static void
roll_up(target *t, const tl_portion *po, unsigned lowest)
{
	const tl_marking *m = &po->marking;
	unsigned i;

	if (t->dec.rank > t->max_rank)
		t->max_rank = t->dec.rank;
	for (i = 0; i < m->ncontrols; i++) {
		if (tl_marking_has(&t->rollup, m->controls[i]) ||
		    t->rollup.ncontrols >= TL_MARK_CONTROLS_MAX)
			continue;
		memcpy(t->rollup.controls[t->rollup.ncontrols++], m->controls[i],
		    TL_TOKEN_MAX);
	}
	if (t->dec.rank <= lowest)
		return;
	if (!m->rel_to) {
		t->rel_broken = true;
		return;
	}
	if (!t->rel_seen) {
		t->rel_seen = true;
		t->rollup.nrel = m->nrel;
		memcpy(t->rollup.rel, m->rel, sizeof m->rel);
		return;
	}
	rel_intersect(&t->rollup, m);
}

/* ---------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------- */

/* Notes the line ending a withheld portion's placeholder takes, from line
 * event l of the open portion (redactor.peol). */
static void
note_eol(redactor *r, const tl_line *l, const tl_docinfo *doc)
{
	r->pmid = !l->last;
	if (r->peol_set || !l->last)
		return;
	r->peol_set = true;
	if (l->eol_len > 0 && l->eol_len <= sizeof r->peol) {
		memcpy(r->peol, l->eol, l->eol_len);
		r->peol_len = l->eol_len;
	} else if (doc->crlf) {
		memcpy(r->peol, "\r\n", 2);
		r->peol_len = 2;
	} else {
		r->peol[0] = '\n';
		r->peol_len = 1;
	}
}

static tl_status
on_line(redactor *r, const tl_event *ev)
{
	const tl_line *l = ev->line;
	tl_status st = TL_OK;
	size_t i;

	if (r->hooks && l->portion && r->hooks->portion_text) {
		if ((st = r->hooks->portion_text(r->hooks->ctx, ev->portion,
		    l->text, l->len)) != TL_OK ||
		    (st = r->hooks->portion_text(r->hooks->ctx, ev->portion, l->eol,
		    l->eol_len)) != TL_OK)
			return st;
	}
	for (i = 0; i < r->nt && st == TL_OK; i++) {
		target *t = &r->t[i];

		if (l->portion && l->role == TL_LINE_BANNER) {
			/* A section banner inside a portion: rendered with
			 * the others if the portion is released, covered by
			 * its placeholder if not. */
			if (!t->release)
				continue;
		} else if (l->portion) {
			if (t->release) {
				st = put(r, t, l->text, l->len);
				if (st == TL_OK)
					st = put(r, t, l->eol, l->eol_len);
			} else if (!t->placeholder_written) {
				/* One line for the whole portion, ended when
				 * the portion ends (placeholder_end). */
				t->placeholder_written = true;
				st = write_placeholder(r, t, ev->portion, "", 0);
			}
			continue;
		}
		switch (l->role) {
		case TL_LINE_BLANK:
		case TL_LINE_STRAY:
		case TL_LINE_BODY:
			st = put(r, t, l->text, l->len);
			if (st == TL_OK)
				st = put(r, t, l->eol, l->eol_len);
			break;
		default: {
			item it;
			const tl_banner *b = NULL;
			memset(&it, 0, sizeof it);
			it.at = offset(t);
			it.role = l->role;
			if (l->role == TL_LINE_BANNER) {
				if (ev->doc->banner.line == l->number)
					b = &ev->doc->banner;
				else if (ev->doc->closing.line == l->number)
					b = &ev->doc->closing;
				it.spaced = b && b->spaced;
				it.capco = memchr(l->text, '/', l->len) != NULL;
			}
			while (it.lead_len < l->len && (l->text[it.lead_len] == ' ' ||
			    l->text[it.lead_len] == '\t'))
				it.lead_len++;
			/* What precedes the classification stays: markup ("# "),
			 * a label ("Overall Classification: "). */
			if (b && b->at > it.lead_len && b->at < l->len)
				it.lead_len = b->at;
			/* A banner keeps its station/serial tail to re-attach. */
			st = add_item(r, t, &it, l->text, l->len, l->eol, l->eol_len,
			    b && b->tail[0] ? b->tail : NULL);
			break;
		}
		}
	}
	return st;
}

/* Decides portion `po` for target i at the marking `hit` shows its
 * passage carries in another input; true (and *d set, rule consistency)
 * when that withholds it. */
static bool
consistency_decide(redactor *r, size_t i, const tl_portion *po,
    const tl_consist_hit *hit, tl_decision *d)
{
	tl_portion q = *po;
	tl_decision o;
	char why[1024];

	q.nburied = 0;
	q.errors = 0;
	tl_strlcpy(q.mark_text, hit->mark, strlen(hit->mark),
	    sizeof q.mark_text);
	if (tl_marking_parse(hit->mark, strlen(hit->mark), &q.marking, NULL,
	    0) != TL_OK && (q.marking.malformed || q.marking.nunknown))
		q.marking.malformed = true;
	tl_decide_portion(r->pol, r->t[i].reader, &r->dd[i], &q, &o);
	if (o.verdict == TL_RELEASE)
		return false;
	snprintf(why, sizeof why, "passage also in %s:%lu, marked (%s) "
	    "there: %s", hit->file, hit->line, hit->mark, o.reason);
	*d = o;
	tl_strlcpy(d->rule, "consistency", 11, sizeof d->rule);
	tl_strlcpy(d->reason, why, strlen(why), sizeof d->reason);
	return true;
}

/* The portion pointer of line events: kept from PORTION_BEGIN. */
/* Diagnostics kept until the portion they fell in ends (opt->stats). */
#define PEND_MAX 16

typedef struct run {
	redactor *r;
	tl_portion cur;
	bool in_portion;
	/* opt->consist: this document's questions to the run's passages. */
	tl_consist_probe *probe;
	/* opt->stats: text lines of the open portion, and the recent
	 * diagnostics (line, rule id) not yet given to a portion. */
	unsigned long lines;
	unsigned npend;
	struct { unsigned long line; char rule[STATS_RULE_MAX]; } pend[PEND_MAX];
} run;

/* Keeps diagnostic `d` for the portion it falls in; notes are not kept,
 * and past PEND_MAX the oldest goes. */
static void
pend_diag(run *rn, const tl_diag *d)
{
	if (d->severity == TL_SEV_NOTE || d->rule[0] == '\0' || d->line == 0)
		return;
	if (rn->npend == PEND_MAX) {
		memmove(&rn->pend[0], &rn->pend[1], (PEND_MAX - 1) *
		    sizeof rn->pend[0]);
		rn->npend--;
	}
	rn->pend[rn->npend].line = d->line;
	tl_strlcpy(rn->pend[rn->npend].rule, d->rule, strnlen(d->rule,
	    sizeof d->rule), sizeof rn->pend[0].rule);
	rn->npend++;
}

/* The distinct rule ids of the kept diagnostics that fell in portion
 * `po` into `out` (at most STATS_PORTION_DIAGS); forgets every kept
 * diagnostic up to its end. */
static unsigned
take_diags(run *rn, const tl_portion *po, char (*out)[STATS_RULE_MAX])
{
	unsigned long end = po->end_line > po->line ? po->end_line : po->line;
	unsigned i, k, n = 0, keep = 0;

	for (i = 0; i < rn->npend; i++) {
		if (rn->pend[i].line >= po->line && rn->pend[i].line <= end) {
			for (k = 0; k < n; k++)
				if (strcmp(out[k], rn->pend[i].rule) == 0)
					break;
			if (k == n && n < STATS_PORTION_DIAGS)
				memcpy(out[n++], rn->pend[i].rule, sizeof out[0]);
		}
		if (rn->pend[i].line > end)
			rn->pend[keep++] = rn->pend[i];
	}
	rn->npend = keep;
	return n;
}

static tl_status
on_event(void *ctx, const tl_event *ev)
{
	run *rn = ctx;
	redactor *r = rn->r;
	tl_status st = TL_OK;
	unsigned lowest = 1;
	size_t i;

	if (cancelled(r))
		return fail(r, interrupted(r));
	switch (ev->kind) {
	case TL_EV_LINE: {
		tl_event e = *ev;
		e.portion = ev->line->portion && rn->in_portion ? &rn->cur : NULL;
		if (ev->line->portion && !rn->in_portion)
			return fail(r, TL_EUSAGE);
		if (ev->line->portion && (ev->line->first || rn->lines == 0) &&
		    ev->line->role == TL_LINE_BODY)
			rn->lines++;
		if (ev->line->portion)
			note_eol(r, ev->line, ev->doc);
		if (rn->probe && ev->line->portion &&
		    ev->line->role == TL_LINE_BODY &&
		    tl_consist_probe_text(rn->probe, ev->line->text,
		    ev->line->len, ev->line->last) != TL_OK)
			return fail(r, TL_EIO);
		st = on_line(r, &e);
		break;
	}
	case TL_EV_PORTION_BEGIN:
		decide_document(r, ev->doc);
		rn->cur = *ev->portion;
		rn->in_portion = true;
		/* Text with no mark of its own is at the document's rank. */
		if (rn->probe)
			tl_consist_probe_portion(rn->probe, ev->portion,
			    !ev->portion->marked ? r->dd[0].rank :
			    ev->portion->marking.malformed ? 0 :
			    tl_policy_level_rank(r->pol, &ev->portion->marking));
		rn->lines = 0;
		r->peol_set = false;
		r->pmid = false;
		if (r->hooks && r->hooks->portion_begin)
			st = r->hooks->portion_begin(r->hooks->ctx, ev->portion);
		for (i = 0; i < r->nt; i++) {
			target *t = &r->t[i];
			decide(r, i, ev->portion, &t->dec);
			t->release = t->dec.verdict == TL_RELEASE;
			t->placeholder_written = false;
			t->start = offset(t);
			t->start_items = t->ilog_spilled + t->ilog.len;
		}
		break;
	case TL_EV_PORTION_END: {
		char diags[STATS_PORTION_DIAGS][STATS_RULE_MAX];
		unsigned nd = r->opt && r->opt->stats ?
		    take_diags(rn, ev->portion, diags) : 0;
		const tl_consist_hit *hit = NULL;
		/* rn->cur is not read again before the next PORTION_BEGIN. */
		rn->in_portion = false;
		if (rn->probe && tl_consist_probe_end(rn->probe, &hit) != TL_OK)
			return fail(r, TL_EIO);
		for (i = 0; i < r->nt && st == TL_OK; i++) {
			target *t = &r->t[i];
			bool again = false;
			if (hit)
				t->report->consistency++;
			/* Errors found after the portion began (a NUL byte),
			 * or a mark buried in a later line, may withhold it
			 * after all: decide again, and replace what was
			 * copied.  So may its passage's higher marking in
			 * another input (consistency: withhold). */
			if (t->release && (ev->portion->errors ||
			    ev->portion->nburied)) {
				decide(r, i, ev->portion, &t->dec);
				again = t->dec.verdict != TL_RELEASE;
			}
			if (!again && t->release && hit &&
			    r->opt->consistency == TL_CONSISTENCY_WITHHOLD)
				again = consistency_decide(r, i, ev->portion, hit,
				    &t->dec);
			if (again) {
				item it;
				char line[1024];
				size_t n;
				t->release = false;
				n = tl_policy_placeholder(r->pol, ev->portion, &t->dec, line, sizeof line);
				if (n >= sizeof line)
					n = sizeof line - 1;
				/* The portion's own section banners go with it. */
				if ((st = drop_items(r, t, t->start_items)) != TL_OK)
					break;
				memset(&it, 0, sizeof it);
				it.literal = true;
				it.at = t->start;
				it.skip = offset(t) - t->start;
				st = add_item(r, t, &it, line, n, r->pmid ? " " :
				    ev->doc->crlf ? "\r\n" : "\n", r->pmid ? 1 :
				    ev->doc->crlf ? 2 : 1, NULL);
				if (st != TL_OK)
					break;
			} else if (!t->release && t->placeholder_written) {
				/* Mid-line, the next cell's portion goes on
				 * after a blank. */
				st = r->pmid ? put(r, t, " ", 1) :
				    put(r, t, r->peol, r->peol_len);
				if (st != TL_OK)
					break;
			}
			t->report->portions++;
			if (t->release) {
				t->report->released++;
				roll_up(t, ev->portion, lowest);
			} else {
				t->report->withheld++;
			}
			if (t->tally)
				tl_stats_tally_portion(t->tally, ev->portion, &t->dec,
				    rn->lines, (const char (*)[STATS_RULE_MAX])diags,
				    nd);
			if (r->hooks && r->hooks->decision)
				st = r->hooks->decision(r->hooks->ctx, i, ev->portion, &t->dec);
		}
		break;
	}
	case TL_EV_DIAG:
		if (strcmp(ev->diag->rule, "input-nul") == 0 && !r->binary) {
			r->binary = true;
			snprintf(r->whole_reason, sizeof r->whole_reason,
			    "binary input (NUL byte at line %lu)", ev->diag->line);
			r->whole_rule = "document-binary";
		}
		if (r->opt && r->opt->stats)
			pend_diag(rn, ev->diag);
		break;
	case TL_EV_END:
		decide_document(r, ev->doc);
		/* What was decided on must be what was copied. */
		if (ev->doc->banner.line != r->scan.banner.line ||
		    memcmp(&ev->doc->banner.marking, &r->scan.banner.marking,
		    sizeof r->scan.banner.marking) != 0 ||
		    ev->doc->evidence_line != r->scan.evidence_line ||
		    memcmp(&ev->doc->evidence, &r->scan.evidence,
		    sizeof r->scan.evidence) != 0) {
			tl_diag_set(r->diag, TL_EIO, TL_SEV_ERROR, r->name, 0, 0,
			    NULL, "the input changed while it was read");
			st = TL_EIO;
		}
		break;
	}
	return st == TL_OK ? TL_OK : fail(r, st);
}

/* ---------------------------------------------------------------------
 * Assembly
 * ------------------------------------------------------------------- */

/* Output of one copy: every piece goes to the output hook as it comes
 * and is written in WBUF_SIZE blocks. */
typedef struct sink {
	redactor *r;
	size_t index;
	tl_outfile *out;
	char *buf;
	size_t len;
} sink;

static tl_status
sink_flush(sink *s)
{
	tl_status st = TL_OK;

	if (s->len)
		st = tl_outfile_write(s->out, s->buf, s->len, s->r->diag);
	s->len = 0;
	return st;
}

static tl_status
emit(sink *s, const char *bytes, size_t len)
{
	const tl_redact_hooks *h = s->r->hooks;
	tl_status st;

	if (len == 0)
		return TL_OK;
	/* A signal while the copies are assembled still leaves none. */
	if (cancelled(s->r))
		return interrupted(s->r);
	if (h && h->output && (st = h->output(h->ctx, s->index, bytes, len)) != TL_OK)
		return st;
	if (WBUF_SIZE - s->len < len && (st = sink_flush(s)) != TL_OK)
		return st;
	if (len >= WBUF_SIZE)
		return tl_outfile_write(s->out, bytes, len, s->r->diag);
	memcpy(s->buf + s->len, bytes, len);
	s->len += len;
	return TL_OK;
}

static tl_status
copy_spool(sink *s, target *t, size_t from, size_t to)
{
	char buf[WBUF_SIZE];
	ssize_t n;
	size_t want;
	tl_status st;

	if (t->spool < 0) /* the copy never left memory */
		return emit(s, t->wbuf + from, to - from);
	while (from < to) {
		want = to - from < sizeof buf ? to - from : sizeof buf;
		n = pread(t->spool, buf, want, (off_t)from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return tl_diag_set(s->r->diag, TL_EIO, TL_SEV_ERROR, t->path, 0,
			    0, NULL, "reading the spool: %s", n < 0 ? strerror(errno) :
			    "short read");
		if ((st = emit(s, buf, (size_t)n)) != TL_OK)
			return st;
		from += (size_t)n;
	}
	return TL_OK;
}

/* Control words that stay on a control line whatever was released. */
static bool
neutral_word(const char *w, size_t n)
{
	return tl_ieq(w, n, "SIPDIS") || tl_ieq(w, n, "STADIS") ||
	    tl_ieq(w, n, "NOT") || tl_ieq(w, n, "FOR") ||
	    tl_ieq(w, n, "INTERNET") || tl_ieq(w, n, "DISTRIBUTION") ||
	    tl_ieq(w, n, "CHEROKEE");
}

/* A control line rebuilt from the words that still apply: NOFORN only if
 * a released portion carries it, and so on.  Empty when none apply. */
static void
render_control(const target *t, const char *s, size_t n, tl_buf *out)
{
	size_t i = 0, j;
	bool any = false;
	char name[TL_TOKEN_MAX];

	if (n >= 4 && (tl_iprefix(s, n, "DEPT") || tl_iprefix(s, n, "DEPARTMENT") ||
	    tl_iprefix(s, n, "STATE") || tl_iprefix(s, n, "PASS"))) {
		tl_buf_append(out, s, n);
		return;
	}
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '\t'))
			i++;
		for (j = i; j < n && s[j] != ' ' && s[j] != ',' && s[j] != '\t'; j++)
			;
		if (j == i)
			break;
		tl_strlcpy(name, s + i, j - i, sizeof name);
		if (strcmp(name, "SENSITIVE") == 0)
			memcpy(name, "SBU", 4);
		if (neutral_word(s + i, j - i) || tl_marking_has(&t->rollup, name)) {
			if (any)
				tl_buf_putc(out, ' ');
			tl_buf_append(out, s + i, j - i);
			any = true;
		}
		i = j;
	}
}

/* "S E C R E T": a banner written in spaced letters. */
static bool
spaced_form(const char *s)
{
	return s[0] && s[1] == ' ' && s[2] && s[3] == ' ';
}

/* The controls and REL TO list of a rebuilt CAPCO banner.  A REL TO list
 * only when every released classified portion has one and none is
 * NOFORN, and only when it names someone besides USA; markings for
 * unclassified text (SBU, FOUO, LES) only on an unclassified copy. */
static void
banner_controls(const target *t, tl_marking *m, bool classified)
{
	unsigned i, k;

	m->rel_to = t->rel_seen && !t->rel_broken &&
	    !tl_marking_has(m, "NOFORN");
	for (i = 0, k = 0; m->rel_to && i < m->nrel && i < TL_MARK_REL_MAX; i++)
		if (strcmp(m->rel[i], "USA") != 0)
			k++;
	if (k == 0) {
		m->rel_to = false;
		m->nrel = 0;
	}
	if (!classified)
		return;
	for (i = 0, k = 0; i < m->ncontrols && i < TL_MARK_CONTROLS_MAX; i++) {
		const char *c = m->controls[i];
		if (strcmp(c, "SBU") == 0 || strcmp(c, "FOUO") == 0 ||
		    strcmp(c, "LES") == 0 || strcmp(c, "LOU") == 0)
			continue;
		if (k != i)
			memcpy(m->controls[k], c, TL_TOKEN_MAX);
		k++;
	}
	m->ncontrols = k;
}

/* The tail of a banner ("UK EYES ONLY", "NOFORN SIPDIS", "SECTION 01 OF
 * 02 LONDON 000415") without the control words that no released portion
 * carries; the rest, station and serial included, as written. */
static void
render_tail(const target *t, const char *s, size_t n, tl_buf *out)
{
	size_t i = 0, j, k, ws;
	bool first = true;
	char name[TL_TOKEN_MAX];

	while (i < n) {
		ws = i;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		for (j = i; j < n && s[j] != ' ' && s[j] != '\t'; j++)
			;
		if (j == i)
			break;
		/* "UK EYES ONLY", "AUS/CAN/GBR/USA EYES ONLY": three words. */
		k = j;
		while (k < n && s[k] == ' ')
			k++;
		if (n - k >= 9 && tl_iprefix(s + k, n - k, "EYES ONLY") &&
		    (n - k == 9 || s[k + 9] == ' ')) {
			size_t e = k + 9;
			tl_strlcpy(name, s + i, e - i, sizeof name);
			if (!tl_marking_has(&t->rollup, name)) {
				i = e;
				continue;
			}
			j = e;
		} else if ((tl_ieq(s + i, j - i, "NOFORN") &&
		    !tl_marking_has(&t->rollup, "NOFORN")) ||
		    (tl_ieq(s + i, j - i, "NODIS") &&
		    !tl_marking_has(&t->rollup, "NODIS")) ||
		    (tl_ieq(s + i, j - i, "EXDIS") &&
		    !tl_marking_has(&t->rollup, "EXDIS"))) {
			i = j;
			continue;
		}
		if (!first)
			tl_buf_append(out, s + ws, i - ws);
		/* Upper case, as a banner is written and as the parser
		 * reads one back ("S e c r e t berlin 001342" was re-typed). */
		for (k = i; k < j; k++)
			tl_buf_putc(out, (char)tl_toupper((unsigned char)s[k]));
		first = false;
		i = j;
	}
}

static tl_status
render_item(sink *s, target *t, const item *it, const char *text,
    const tl_docdecision *dd, unsigned rank, unsigned lowest)
{
	redactor *r = s->r;
	const char *eol = text + it->len;
	tl_policy_level lvl;
	tl_decision d;
	tl_buf line = { 0 };
	tl_status st = TL_OK;
	bool keep = false;

	if (it->literal)
		return emit(s, text, it->len + it->eol_len);
	memset(&lvl, 0, sizeof lvl);
	tl_policy_level_at(r->pol, rank ? rank : lowest, &lvl);
	switch (it->role) {
	case TL_LINE_ROUTING:
		keep = tl_decide_part(r->pol, dd, TL_PART_HEADER, &d) == TL_RELEASE;
		if (keep)
			tl_buf_append(&line, text, it->len);
		break;
	case TL_LINE_ROUTING_CLASS:
		keep = tl_decide_part(r->pol, dd, TL_PART_HEADER, &d) == TL_RELEASE;
		/* A level without a routing letter (uk-gsc) has no class
		 * to write: the line goes rather than claim UUUUU. */
		if (keep && !lvl.routing)
			keep = false;
		if (keep && it->len >= 9) {
			char c = lvl.routing;
			tl_buf_append(&line, text, it->len);
			line.data[2] = (rank <= lowest) ? 'R' : 'Y';
			memset(line.data + 4, c, 5);
		} else if (keep) {
			tl_buf_append(&line, text, it->len);
		}
		break;
	case TL_LINE_BANNER: {
		tl_marking m = t->rollup;
		char canon[512];
		bool header = tl_decide_part(r->pol, dd, TL_PART_HEADER, &d) ==
		    TL_RELEASE;
		tl_level lv = tl_level_lookup(lvl.name ? lvl.name : "",
		    lvl.name ? strlen(lvl.name) : 0);
		keep = true;
		tl_buf_append(&line, text, it->lead_len);
		/* A policy level that is no classification level ("SBU") has
		 * no CAPCO form: its own banner is written instead. */
		if ((it->capco || !header) && (lv != TL_LEVEL_UNKNOWN || !lvl.banner)) {
			/* With the control lines withheld (header: withhold)
			 * the banner carries the controls itself. */
			m.level = tl_level_lookup(lvl.name ? lvl.name : "", lvl.name ? strlen(lvl.name) : 0);
			banner_controls(t, &m, rank > lowest);
			tl_marking_format(&m, canon, sizeof canon);
			tl_buf_puts(&line, canon);
		} else if (it->spaced && lvl.banner) {
			tl_buf_puts(&line, lvl.banner);
		} else if (lvl.banner && !spaced_form(lvl.banner)) {
			/* "UNCLAS", "SENSITIVE BUT UNCLASSIFIED": the form a
			 * plain banner takes, which the parser reads back. */
			tl_buf_puts(&line, lvl.banner);
		} else {
			tl_buf_puts(&line, lvl.name ? lvl.name : "UNKNOWN");
		}
		if (it->tail_len) {
			size_t before = line.len;
			tl_buf_putc(&line, ' ');
			render_tail(t, eol + it->eol_len, it->tail_len, &line);
			if (line.len == before + 1)
				line.len = before; /* every word was dropped */
		}
		if (t->report->banner[0] == '\0')
			tl_strlcpy(t->report->banner, line.data, line.len,
			    sizeof t->report->banner);
		break;
	}
	case TL_LINE_CONTROL:
		keep = tl_decide_part(r->pol, dd, TL_PART_HEADER, &d) == TL_RELEASE;
		if (keep) {
			tl_buf_append(&line, text, it->lead_len);
			render_control(t, text + it->lead_len, it->len - it->lead_len, &line);
			keep = line.len > it->lead_len;
		}
		break;
	case TL_LINE_TAGS:
		keep = tl_decide_part(r->pol, dd, TL_PART_TAGS, &d) == TL_RELEASE;
		if (keep)
			tl_buf_append(&line, text, it->len);
		break;
	case TL_LINE_DECL:
	case TL_LINE_REF:
	case TL_LINE_AUTHORITY:
		/* Only while classified portions remain, and as the policy says. */
		keep = rank > lowest &&
		    tl_decide_part(r->pol, dd, TL_PART_AUTHORITY, &d) == TL_RELEASE;
		if (keep)
			tl_buf_append(&line, text, it->len);
		break;
	default:
		break;
	}
	if (keep && line.data)
		st = emit(s, line.data, line.len);
	if (keep && st == TL_OK)
		st = emit(s, eol, it->eol_len);
	tl_buf_free(&line);
	return st;
}

/* Writes target i's copy into `out` (opened here, committed by the
 * caller once every copy is written). */
static tl_status
assemble(redactor *r, size_t i, tl_outfile *out)
{
	target *t = &r->t[i];
	sink s = { r, i, out, NULL, 0 };
	item_reader ir;
	item it;
	const char *text;
	size_t pos = 0, end;
	tl_status st;
	bool more = true;
	const tl_docdecision *dd = &r->dd[i];
	bool whole = r->binary || dd->whole.verdict != TL_RELEASE;

	if (t->spool >= 0 && (st = spool_flush(r, t)) != TL_OK)
		return st;
	end = t->spool >= 0 ? t->spooled : t->wlen;
	if ((s.buf = malloc(WBUF_SIZE)) == NULL)
		return TL_ENOMEM;
	if ((st = tl_outfile_open(out, t->path,
	    (r->opt && r->opt->force ? TL_OUT_FORCE : 0) |
	    (r->opt && r->opt->no_sync ? TL_OUT_NOSYNC : 0) |
	    (t->stream ? 0 : TL_OUT_FILE), r->diag)) != TL_OK) {
		free(s.buf);
		return st;
	}
	if (whole) {
		char line[400];
		int n;
		t->report->whole = true;
		snprintf(t->report->reason, sizeof t->report->reason, "%s",
		    r->binary ? r->whole_reason : dd->whole.reason);
		t->report->released = 0;
		t->report->withheld = t->report->portions;
		t->report->rank = 0;
		n = snprintf(line, sizeof line, "[WITHHELD: entire document: %s]\n",
		    t->report->reason);
		st = emit(&s, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	} else {
		t->report->rank = t->max_rank;
		st = item_reader_open(t, &ir);
		while (st == TL_OK &&
		    (st = next_item(r, t, &ir, &it, &text, &more)) == TL_OK && more) {
			if (it.at > pos)
				st = copy_spool(&s, t, pos, it.at);
			if (st == TL_OK)
				st = render_item(&s, t, &it, text, dd, t->max_rank, 1);
			if (it.at + it.skip > pos)
				pos = it.at + it.skip;
		}
		free(ir.buf);
		if (st == TL_OK && end > pos)
			st = copy_spool(&s, t, pos, end);
	}
	if (st == TL_OK)
		st = sink_flush(&s);
	free(s.buf);
	return st;
}

/* ---------------------------------------------------------------------
 * Driver
 * ------------------------------------------------------------------- */

/* Directory for a target's spool: beside the output, so that nothing
 * crosses file systems; standard output and devices spool in
 * opt->spool_dir. */
static char *
spool_dir_for(const char *path, bool stream, const tl_redact_options *opt)
{
	const char *slash;
	char *d;

	if (stream)
		return strdup(opt && opt->spool_dir ? opt->spool_dir : "/tmp");
	if ((slash = strrchr(path, '/')) == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	if ((d = malloc((size_t)(slash - path) + 1)) == NULL)
		return NULL;
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

static tl_status
input_hook(void *ctx, const char *bytes, size_t len)
{
	redactor *r = ctx;

	return r->hooks->input(r->hooks->ctx, bytes, len);
}

tl_status
tl_redact_file(const tl_policy *pol, const char *input,
    const tl_redact_target *targets, size_t ntargets,
    const tl_redact_options *opt, tl_redact_report *reports, tl_diag *diag)
{
	redactor r;
	run rn;
	tl_redact_report *own = NULL;
	tl_outfile *outs = NULL;
	tl_status st = TL_OK;
	size_t i;
	int in_fd = -1;
	tl_diag scratch;

	if (diag == NULL)
		diag = &scratch;
	memset(diag, 0, sizeof *diag);
	if (pol == NULL || input == NULL || targets == NULL || ntargets == 0)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, input, 0, 0, NULL,
		    "nothing to redact");
	memset(&r, 0, sizeof r);
	memset(&rn, 0, sizeof rn);
	rn.r = &r;
	r.pol = pol;
	r.opt = opt;
	r.hooks = opt ? opt->hooks : NULL;
	r.nt = ntargets;
	r.diag = diag;
	r.name = input;
	if (reports == NULL && (reports = own = calloc(ntargets, sizeof *own)) == NULL)
		return TL_ENOMEM;
	memset(reports, 0, ntargets * sizeof *reports);
	r.t = calloc(ntargets, sizeof *r.t);
	r.dd = calloc(ntargets, sizeof *r.dd);
	if (r.t == NULL || r.dd == NULL)
		st = TL_ENOMEM;
	for (i = 0; i < ntargets; i++) {
		if (r.t)
			r.t[i].spool = r.t[i].ilog_fd = -1;
	}
	for (i = 0; i < ntargets && st == TL_OK; i++) {
		target *t = &r.t[i];
		char *dir;
		bool exists = false;
		size_t k;
		t->reader = targets[i].reader;
		t->path = targets[i].path;
		/* Looked at once: each system call counts in a run of many
		 * small files. */
		t->stream = strcmp(t->path, "-") == 0 ||
		    tl_outfile_is_stream(t->path, &exists);
		t->report = &reports[i];
		t->ilog.limit = ITEMS_MEM_MAX + ITEM_RECORD_MAX;
		if (!opt || !opt->force) {
			/* Refuse before any work when an output exists. */
			if (!t->stream && exists) {
				st = tl_diag_set(diag, TL_EEXIST, TL_SEV_ERROR, t->path,
				    0, 0, NULL, "output exists (use --force to overwrite)");
				break;
			}
		}
		if ((t->wbuf = malloc(WBUF_SIZE)) == NULL ||
		    (t->memo = malloc(DECISION_MEMO * sizeof *t->memo)) == NULL ||
		    (dir = spool_dir_for(t->path, t->stream, opt)) == NULL) {
			st = TL_ENOMEM;
			break;
		}
		for (k = 0; k < DECISION_MEMO; k++)
			t->memo[k].used = false;
		if (opt && opt->stats) {
			if ((t->tally = malloc(sizeof *t->tally)) == NULL) {
				free(dir);
				st = TL_ENOMEM;
				break;
			}
			tl_stats_tally_init(t->tally);
		}
		t->wcap = WBUF_SIZE;
		t->spool_dir = dir;
		/* The spool file is made only for a copy past SPOOL_MEM_MAX;
		 * a directory it could not be made in is refused now all
		 * the same, before any work. */
		if (access(dir, W_OK | X_OK) != 0) {
			/* Only a refusal is looked at closer: a file where
			 * the directory should be says so. */
			struct stat sb;
			int e = errno;
			if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
				e = ENOTDIR;
			st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, t->path, 0,
			    0, NULL, "cannot write in %s: %s", dir, strerror(e));
		}
	}
	if (st == TL_OK)
		st = open_input(&r, input, &in_fd);
	if (st == TL_OK) {
		st = tl_doc_scan_fd(in_fd, r.doc_name, &r.scan, diag);
		if (st == TL_ELIMIT || st == TL_ESYNTAX) {
			/* The second read says the same, and withholds. */
			memset(diag, 0, sizeof *diag);
			st = TL_OK;
		}
		if (st == TL_OK && lseek(in_fd, 0, SEEK_SET) != 0)
			st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, input, 0, 0,
			    NULL, "%s", strerror(errno));
	}
	if (st == TL_OK && opt && opt->consist &&
	    opt->consistency != TL_CONSISTENCY_OFF)
		st = tl_consist_probe_new(opt->consist, input, &rn.probe, diag);
	if (st == TL_OK) {
		st = tl_parse_fd_hooked(in_fd, r.doc_name, input, on_event, &rn,
		    r.hooks && r.hooks->input ? input_hook : NULL, &r, diag);
		if (r.failed != TL_OK)
			st = r.failed;
		else if (st == TL_ELIMIT || st == TL_ESYNTAX) {
			/* The structure could not be parsed: withhold whole. */
			r.binary = true;
			snprintf(r.whole_reason, sizeof r.whole_reason,
			    "the document could not be parsed: %.160s", diag->message);
			r.whole_rule = "document-unparsed";
			memset(diag, 0, sizeof *diag);
			st = TL_OK;
		}
	}
	/* Every copy is written before any is put in place: a run that fails
	 * for one reader leaves no copy for the others either. */
	if (st == TL_OK && (outs = calloc(ntargets, sizeof *outs)) == NULL)
		st = TL_ENOMEM;
	for (i = 0; outs && i < ntargets; i++)
		outs[i].fd = -1;
	for (i = 0; i < ntargets && st == TL_OK; i++)
		st = assemble(&r, i, &outs[i]);
	if (st == TL_OK && cancelled(&r))
		st = interrupted(&r);
	for (i = 0; i < ntargets && st == TL_OK; i++)
		st = tl_outfile_commit(&outs[i], diag);
	for (i = 0; outs && i < ntargets; i++)
		tl_outfile_abort(&outs[i]);
	free(outs);
	if (st == TL_ENOMEM && diag->message[0] == '\0')
		tl_diag_set(diag, st, TL_SEV_ERROR, input, 0, 0, NULL, "out of memory");
	if (opt && opt->stats && st == TL_OK) {
		for (i = 0; i < ntargets; i++)
			tl_stats_add(opt->stats, i, r.doc_name, r.t[i].tally,
			    !reports[i].whole ? NULL : r.binary ? r.whole_rule :
			    r.dd[i].whole.rule, reports[i].reason);
	} else if (opt && opt->stats && st != TL_EINTR) {
		tl_stats_add_failed(opt->stats);
	}
	for (i = 0; r.t && i < ntargets; i++) {
		if (r.t[i].spool >= 0)
			close(r.t[i].spool);
		free(r.t[i].spool_dir);
		free(r.t[i].wbuf);
		tl_buf_free(&r.t[i].ilog);
		if (r.t[i].ilog_fd >= 0)
			close(r.t[i].ilog_fd);
		free(r.t[i].memo);
		free(r.t[i].tally);
	}
	if (in_fd >= 0 && in_fd != STDIN_FILENO)
		close(in_fd);
	tl_consist_probe_free(rn.probe);
	free(r.t);
	free(r.dd);
	free(own);
	return st;
}
