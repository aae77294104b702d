/*
 * consist.c: one archive, one answer.  Fingerprints of the marked passages
 * of every document of a run, in an SQLite database on disk, and the
 * pairs of places where one passage carries two levels (audit rule
 * consistency-mark).
 *
 * A passage is a run of TL_CONSIST_WORDS consecutive words of a marked
 * portion's text: letters and digits, lower-cased; the portion's lead and
 * mark, and any mark-like "(S//NF)" inside, are not words; no run crosses
 * a web address, and a rule line ("*****") ends the portion's text (a
 * trailer follows).  Each run is
 * kept as an 8-byte hash keyed with a key random per run (each word by
 * SipHash-2-4, the run as a rolling polynomial of them), so the database
 * says nothing of the text it saw.
 * Memory holds one window of words; the database holds the rest, with a
 * bounded page cache.
 *
 * Common text is not content: a run found in more than
 * max(TL_CONSIST_COMMON_MIN, documents / 100) documents (a standard
 * trailer, a distribution line, boilerplate) raises nothing.
 */
#include "internal.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORD_MAX 24 /* bytes kept of a word */

/* The words of one portion as they stream by, and the run of the last
 * TL_CONSIST_WORDS of them: each full run goes to `emit` as a hash. */
typedef struct passages {
	const unsigned char *key;
	bool active;
	size_t skip;             /* bytes of its first line not text (lead, mark) */
	bool first_line;
	uint64_t words[TL_CONSIST_WORDS]; /* keyed hashes of the words */
	uint64_t sum;            /* the window's polynomial of them */
	unsigned nwords, head;
	char cur[WORD_MAX];
	size_t curlen;
	bool in_paren;           /* inside a mark-like "( ... )" */
	tl_status (*emit)(void *ctx, long long h);
	void *ctx;
} passages;

struct tl_consist {
	sqlite3 *db;
	sqlite3_stmt *ins_doc, *ins_run;
	char *path;              /* the database file, removed at close */
	unsigned char key[crypto_shorthash_KEYBYTES];
	long long doc;           /* current document's id, 0 before one */
	unsigned long ndocs;
	/* The open portion. */
	unsigned long portion, line;
	unsigned rank;
	char mark[TL_MARK_MAX + 1];
	passages w;
	tl_status failed;
	/* After tl_consist_seal: the runs found at two ranks in two
	 * documents, as a Bloom filter in front of the table `hot`. */
	bool sealed;
	unsigned char bloom[1u << 17];
};

static tl_status store(void *ctx, long long v);

static tl_status
db_fail(tl_consist *c, tl_diag *diag, const char *what)
{
	tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, c && c->path ? c->path : "",
	    0, 0, NULL, "consistency database: %s: %s", what,
	    c && c->db ? sqlite3_errmsg(c->db) : "cannot open");
	return TL_EIO;
}

static bool
exec(tl_consist *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

tl_status
tl_consist_open(tl_consist **out, const char *dir, tl_diag *diag)
{
	tl_consist *c;
	const char *tmp = dir ? dir : getenv("TMPDIR");
	int fd;

	*out = NULL;
	if (sodium_init() < 0)
		return tl_diag_set(diag, TL_ECRYPTO, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "libsodium cannot start");
	if ((c = calloc(1, sizeof *c)) == NULL)
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "out of memory");
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((c->path = malloc(strlen(tmp) + 32)) == NULL) {
		free(c);
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, NULL, 0, 0,
		    NULL, "out of memory");
	}
	snprintf(c->path, strlen(tmp) + 32, "%s/tearline-consist-XXXXXX", tmp);
	if ((fd = mkstemp(c->path)) < 0) {
		tl_status st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, tmp, 0,
		    0, NULL, "cannot create the consistency database here");
		free(c->path);
		free(c);
		return st;
	}
	close(fd);
	randombytes_buf(c->key, sizeof c->key);
	c->w.key = c->key;
	c->w.emit = store;
	c->w.ctx = c;
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK ||
	    /* A scratch database: no journal, no sync, 8 MiB of cache. */
	    !exec(c, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "PRAGMA cache_size=-8192; PRAGMA temp_store=FILE;"
	    "CREATE TABLE doc(id INTEGER PRIMARY KEY, file TEXT NOT NULL);"
	    "CREATE TABLE run(h INTEGER NOT NULL, doc INTEGER NOT NULL, "
	    "portion INTEGER NOT NULL, line INTEGER NOT NULL, "
	    "rank INTEGER NOT NULL, mark TEXT NOT NULL);"
	    "BEGIN;") ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO doc(file) VALUES (?)", -1,
	    &c->ins_doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO run VALUES (?,?,?,?,?,?)",
	    -1, &c->ins_run, NULL) != SQLITE_OK) {
		tl_status st = db_fail(c, diag, "cannot set up");
		tl_consist_close(c);
		return st;
	}
	*out = c;
	return TL_OK;
}

void
tl_consist_close(tl_consist *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->ins_doc);
	sqlite3_finalize(c->ins_run);
	sqlite3_close(c->db);
	if (c->path)
		unlink(c->path);
	free(c->path);
	sodium_memzero(c->key, sizeof c->key);
	free(c);
}

tl_status
tl_consist_doc(tl_consist *c, const char *file)
{
	c->w.active = false;
	sqlite3_reset(c->ins_doc);
	if (sqlite3_bind_text(c->ins_doc, 1, file, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK || sqlite3_step(c->ins_doc) != SQLITE_DONE)
		return c->failed = TL_EIO;
	c->doc = sqlite3_last_insert_rowid(c->db);
	c->ndocs++;
	return TL_OK;
}

/* Starts the passages of portion `po`: its lead and mark are no text. */
static void
pass_start(passages *w, const tl_portion *po, bool active)
{
	w->active = active;
	w->nwords = w->head = 0;
	w->sum = 0;
	w->curlen = 0;
	w->in_paren = false;
	w->first_line = true;
	w->skip = po->mark_col ? (size_t)po->mark_col - 1 : strlen(po->lead);
}

/* Each word is hashed once with the run's key (SipHash-2-4); a window is
 * the polynomial sum(h_i * P^(11 - i)) of its words' hashes, rolled in
 * O(1) per word; the key makes both unpredictable to whoever reads the
 * store. */
#define ROLL_P 0x100000001b3ULL
/* ROLL_P^(TL_CONSIST_WORDS - 1), the weight of the word that leaves the
 * window: a constant, so that threads share nothing. */
#define ROLL_P2 (ROLL_P * ROLL_P)
#define ROLL_TOP (ROLL_P2 * ROLL_P2 * ROLL_P2 * ROLL_P2 * ROLL_P2 * ROLL_P)
_Static_assert(TL_CONSIST_WORDS == 12, "ROLL_TOP is ROLL_P^11");

/* The word in w->cur ends: into the window, and a full window out. */
static tl_status
word_end(passages *w)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h, v;

	if (w->curlen == 0)
		return TL_OK;
	crypto_shorthash(out, (const unsigned char *)w->cur, w->curlen,
	    w->key);
	memcpy(&h, out, sizeof h);
	w->curlen = 0;
	if (w->nwords < TL_CONSIST_WORDS) {
		w->words[w->nwords++] = h;
		w->sum = w->sum * ROLL_P + h;
	} else {
		w->sum = (w->sum - w->words[w->head] * ROLL_TOP) * ROLL_P + h;
		w->words[w->head] = h;
		w->head = (w->head + 1) % TL_CONSIST_WORDS;
	}
	if (w->nwords < TL_CONSIST_WORDS)
		return TL_OK;
	/* A final mix, so that nearby windows spread over the filter. */
	v = w->sum ^ (w->sum >> 31);
	v *= 0x9e3779b97f4a7c15ULL;
	v ^= v >> 29;
	return w->emit(w->ctx, (long long)v);
}

/* A "(" opens something mark-like when upper-case letters, digits, "/",
 * ",", "-" and blanks follow up to a ")" within a mark's length. */
static bool
mark_like(const char *s, size_t n)
{
	size_t i;
	bool letter = false;

	for (i = 1; i < n && i <= TL_MARK_MAX; i++) {
		int ch = (unsigned char)s[i];
		if (ch == ')')
			return letter;
		if (tl_isupper(ch))
			letter = true;
		else if (!tl_isdigit(ch) && ch != '/' && ch != ',' && ch != '-' &&
		    ch != ' ')
			return false;
	}
	return false;
}

/* A line of five or more "*", "-", "=" or "_" and blanks only. */
static bool
rule_line(const char *s, size_t n)
{
	size_t i, marks = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '*' || s[i] == '-' || s[i] == '=' || s[i] == '_')
			marks++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	}
	return marks >= 5;
}

/* Text of the portion: words into the window, runs to w->emit. */
static tl_status
pass_text(passages *w, const char *s, size_t n, bool line_end)
{
	size_t i = 0;
	tl_status st;

	if (!w->active)
		return TL_OK;
	/* A rule of stars or dashes ends a portion's content: what follows
	 * is a trailer ("Visit Embassy ...'s Classified Website"). */
	if (rule_line(s, n)) {
		w->active = false;
		return word_end(w);
	}
	if (w->first_line) {
		i = w->skip < n ? w->skip : n;
		if (i < n && s[i] == '(')
			while (i < n && s[i++] != ')')
				;
		w->first_line = false;
	}
	for (; i < n; i++) {
		int ch = (unsigned char)s[i];
		if (w->in_paren) {
			if (ch == ')')
				w->in_paren = false;
			continue;
		}
		/* A web address is no text, and no passage runs across it:
		 * post trailers ("Visit ...'s Classified Web Site at
		 * http://...") differ from post to post around it. */
		if (w->curlen == 0 && (tl_iprefix(s + i, n - i, "http://") ||
		    tl_iprefix(s + i, n - i, "https://") ||
		    tl_iprefix(s + i, n - i, "www."))) {
			while (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t')
				i++;
			w->nwords = w->head = 0;
			w->sum = 0;
			continue;
		}
		if (ch == '(' && mark_like(s + i, n - i)) {
			if ((st = word_end(w)) != TL_OK)
				return st;
			w->in_paren = true;
			continue;
		}
		if (tl_isalpha(ch) || tl_isdigit(ch) || ch >= 0x80) {
			if (w->curlen < WORD_MAX)
				w->cur[w->curlen++] = (char)tl_tolower(ch);
			continue;
		}
		/* An apostrophe inside a word ("minister's") joins it. */
		if (ch == '\'' && w->curlen > 0 && i + 1 < n &&
		    tl_isalpha((unsigned char)s[i + 1]))
			continue;
		if ((st = word_end(w)) != TL_OK)
			return st;
	}
	if (line_end && (st = word_end(w)) != TL_OK)
		return st;
	return TL_OK;
}

/* A run of the open portion, stored. */
static tl_status
store(void *ctx, long long v)
{
	tl_consist *c = ctx;

	sqlite3_reset(c->ins_run);
	if (sqlite3_bind_int64(c->ins_run, 1, v) != SQLITE_OK ||
	    sqlite3_bind_int64(c->ins_run, 2, c->doc) != SQLITE_OK ||
	    sqlite3_bind_int64(c->ins_run, 3, (long long)c->portion) != SQLITE_OK ||
	    sqlite3_bind_int64(c->ins_run, 4, (long long)c->line) != SQLITE_OK ||
	    sqlite3_bind_int(c->ins_run, 5, (int)c->rank) != SQLITE_OK ||
	    sqlite3_bind_text(c->ins_run, 6, c->mark, -1, SQLITE_STATIC) !=
	    SQLITE_OK || sqlite3_step(c->ins_run) != SQLITE_DONE)
		return c->failed = TL_EIO;
	return TL_OK;
}

void
tl_consist_portion(tl_consist *c, const tl_portion *po, unsigned rank,
    const char *mark)
{
	c->portion = po->index;
	c->line = po->line;
	c->rank = rank;
	tl_strlcpy(c->mark, mark, strlen(mark), sizeof c->mark);
	pass_start(&c->w, po, c->doc != 0 && rank != 0 && !c->sealed);
}

tl_status
tl_consist_text(tl_consist *c, const char *s, size_t n, bool line_end)
{
	if (c->failed)
		return c->failed;
	return pass_text(&c->w, s, n, line_end);
}

/* After the last document: the table `hot` of the runs found at two
 * ranks in two documents, boilerplate (in more than max(5, 1%) of the
 * documents) aside.  The covering index lets the grouping stream in h's
 * order; only the hot runs are then read again. */
static tl_status
build_hot(tl_consist *c, tl_diag *diag)
{
	sqlite3_stmt *q = NULL;
	long long common = (long long)(c->ndocs / 100 > TL_CONSIST_COMMON_MIN ?
	    c->ndocs / 100 : TL_CONSIST_COMMON_MIN);

	if (c->failed)
		return db_fail(c, diag, "cannot store a passage");
	if (!exec(c, "COMMIT; CREATE INDEX run_h ON run(h, doc, rank);"))
		return db_fail(c, diag, "cannot index");
	if (sqlite3_prepare_v2(c->db, "CREATE TABLE hh AS SELECT h FROM run "
	    "GROUP BY h HAVING COUNT(DISTINCT doc) > 1 AND "
	    "COUNT(DISTINCT rank) > 1 AND COUNT(DISTINCT doc) <= ?1", -1, &q,
	    NULL) != SQLITE_OK || sqlite3_bind_int64(q, 1, common) !=
	    SQLITE_OK || sqlite3_step(q) != SQLITE_DONE) {
		sqlite3_finalize(q);
		return db_fail(c, diag, "cannot find the passages marked twice");
	}
	sqlite3_finalize(q);
	if (!exec(c, "CREATE TABLE hot AS SELECT run.h AS h, run.doc AS doc, "
	    "run.portion AS portion, run.rank AS rank, run.line AS line, "
	    "run.mark AS mark FROM hh JOIN run ON run.h = hh.h;"
	    "CREATE INDEX hot_h ON hot(h);"))
		return db_fail(c, diag, "cannot keep the passages marked twice");
	return TL_OK;
}

tl_status
tl_consist_pairs(tl_consist *c, tl_consist_fn fn, void *ctx, tl_diag *diag)
{
	sqlite3_stmt *q = NULL;
	tl_status st;
	int rc;

	if ((st = build_hot(c, diag)) != TL_OK)
		return st;
	/* Each pair of portions that share a run at two ranks, once, at
	 * the lower-marked place. */
	if (sqlite3_prepare_v2(c->db,
	    "SELECT lo.file, a.line, a.mark, hi.file, b.line, b.mark "
	    "FROM hot a JOIN hot b ON a.h = b.h AND a.rank < b.rank "
	    "AND a.doc <> b.doc "
	    "JOIN doc lo ON lo.id = a.doc JOIN doc hi ON hi.id = b.doc "
	    "GROUP BY a.doc, a.portion, b.doc, b.portion "
	    "ORDER BY a.doc, a.line, b.doc, b.line", -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return db_fail(c, diag, "cannot query");
	}
	st = TL_OK;
	while (st == TL_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		tl_consist_pair pr;
		pr.file = (const char *)sqlite3_column_text(q, 0);
		pr.line = (unsigned long)sqlite3_column_int64(q, 1);
		pr.mark = (const char *)sqlite3_column_text(q, 2);
		pr.other_file = (const char *)sqlite3_column_text(q, 3);
		pr.other_line = (unsigned long)sqlite3_column_int64(q, 4);
		pr.other_mark = (const char *)sqlite3_column_text(q, 5);
		st = fn(ctx, &pr);
	}
	if (st == TL_OK && rc != SQLITE_DONE)
		st = db_fail(c, diag, "query failed");
	sqlite3_finalize(q);
	return st;
}

/* ---------------------------------------------------------------------
 * A run of redact: the inputs first (tl_consist_add_file), then each copy
 * asks whether its portions' passages stand higher elsewhere.
 * ------------------------------------------------------------------- */

tl_status
tl_consist_new(tl_consist **out, tl_diag *diag)
{
	return tl_consist_open(out, NULL, diag);
}

void
tl_consist_free(tl_consist *c)
{
	tl_consist_close(c);
}

typedef struct adder {
	tl_consist *c;
	const tl_policy *pol;
} adder;

static tl_status
add_event(void *ctx, const tl_event *ev)
{
	adder *a = ctx;
	const tl_line *l = ev->line;

	const tl_portion *po = ev->portion;
	const tl_banner *b = &ev->doc->banner;
	char mark[TL_MARK_MAX + 1];

	switch (ev->kind) {
	case TL_EV_PORTION_BEGIN:
		/* Text with no mark of its own stands at its banner's level. */
		if (po->marked)
			tl_consist_portion(a->c, po, po->marking.malformed ? 0 :
			    tl_policy_level_rank(a->pol, &po->marking),
			    po->mark_text);
		else {
			tl_consist_mark_of(b, mark, sizeof mark);
			tl_consist_portion(a->c, po, b->line ?
			    tl_policy_level_rank(a->pol, &b->marking) : 0, mark);
		}
		break;
	case TL_EV_LINE:
		if (l->portion && l->role == TL_LINE_BODY)
			return tl_consist_text(a->c, l->text, l->len, l->last);
		break;
	default:
		break;
	}
	return TL_OK;
}

tl_status
tl_consist_add_file(tl_consist *c, const tl_policy *pol, const char *path,
    tl_diag *diag)
{
	adder a = { c, pol };

	if (c->sealed)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "tl_consist_add_file after tl_consist_seal");
	if (tl_consist_doc(c, path) != TL_OK)
		return db_fail(c, diag, "cannot store a document");
	/* An input that cannot be read is left out: its redaction says
	 * why. */
	if (tl_parse_file(path, add_event, &a, diag) != TL_OK && diag)
		memset(diag, 0, sizeof *diag);
	c->w.active = false;
	if (c->failed)
		return db_fail(c, diag, "cannot store a passage");
	return TL_OK;
}

static unsigned
bloom_bit(long long v, unsigned k)
{
	unsigned long long u = (unsigned long long)v;

	return (unsigned)((u >> (k * 20)) & ((sizeof ((tl_consist *)0)->bloom
	    * 8) - 1));
}

tl_status
tl_consist_seal(tl_consist *c, tl_diag *diag)
{
	sqlite3_stmt *q = NULL;
	tl_status st;
	unsigned k;
	int rc;

	if ((st = build_hot(c, diag)) != TL_OK)
		return st;
	if (sqlite3_prepare_v2(c->db, "SELECT h FROM hh", -1, &q, NULL) !=
	    SQLITE_OK)
		return db_fail(c, diag, "cannot index");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		long long v = sqlite3_column_int64(q, 0);
		for (k = 0; k < 3; k++)
			c->bloom[bloom_bit(v, k) / 8] |=
			    (unsigned char)(1u << (bloom_bit(v, k) % 8));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(c, diag, "cannot read the passages marked twice");
	c->sealed = true;
	return TL_OK;
}

struct tl_consist_probe {
	const tl_consist *c;
	sqlite3_stmt *q;
	long long doc;
	unsigned rank;
	passages w;
	tl_status failed;
	tl_consist_hit best;
};

static tl_status
probe_run(void *ctx, long long v)
{
	tl_consist_probe *p = ctx;
	unsigned k;
	int rc;

	for (k = 0; k < 3; k++)
		if (!(p->c->bloom[bloom_bit(v, k) / 8] &
		    (1u << (bloom_bit(v, k) % 8))))
			return TL_OK;
	sqlite3_reset(p->q);
	if (sqlite3_bind_int64(p->q, 1, v) != SQLITE_OK ||
	    sqlite3_bind_int64(p->q, 2, p->doc) != SQLITE_OK ||
	    sqlite3_bind_int(p->q, 3, (int)(p->best.rank > p->rank ?
	    p->best.rank : p->rank)) != SQLITE_OK)
		return p->failed = TL_EIO;
	rc = sqlite3_step(p->q);
	if (rc == SQLITE_ROW) {
		const char *file = (const char *)sqlite3_column_text(p->q, 1);
		const char *mark = (const char *)sqlite3_column_text(p->q, 3);
		p->best.rank = (unsigned)sqlite3_column_int(p->q, 0);
		tl_strlcpy(p->best.file, file ? file : "", file ? strlen(file) : 0,
		    sizeof p->best.file);
		p->best.line = (unsigned long)sqlite3_column_int64(p->q, 2);
		tl_strlcpy(p->best.mark, mark ? mark : "", mark ? strlen(mark) :
		    0, sizeof p->best.mark);
	} else if (rc != SQLITE_DONE) {
		return p->failed = TL_EIO;
	}
	return TL_OK;
}

tl_status
tl_consist_probe_new(const tl_consist *c, const char *path,
    tl_consist_probe **out, tl_diag *diag)
{
	tl_consist_probe *p;
	sqlite3_stmt *q = NULL;
	int rc;

	*out = NULL;
	if (!c->sealed)
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, path, 0, 0,
		    NULL, "tl_consist_probe_new before tl_consist_seal");
	if ((p = calloc(1, sizeof *p)) == NULL)
		return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, path, 0, 0,
		    NULL, "out of memory");
	p->c = c;
	p->w.key = c->key;
	p->w.emit = probe_run;
	p->w.ctx = p;
	/* The document as the first pass named it; a document it did not
	 * see (id 0) is compared with every one. */
	if (sqlite3_prepare_v2(c->db, "SELECT id FROM doc WHERE file = ?1 "
	    "ORDER BY id LIMIT 1", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC) != SQLITE_OK ||
	    ((rc = sqlite3_step(q)) != SQLITE_ROW && rc != SQLITE_DONE) ||
	    sqlite3_prepare_v2(c->db, "SELECT hot.rank, doc.file, hot.line, "
	    "hot.mark FROM hot JOIN doc ON doc.id = hot.doc WHERE hot.h = ?1 "
	    "AND hot.doc <> ?2 AND hot.rank > ?3 ORDER BY hot.rank DESC, "
	    "hot.doc, hot.line LIMIT 1", -1, &p->q, NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		tl_consist_probe_free(p);
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "consistency database: %s", sqlite3_errmsg(c->db));
	}
	p->doc = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	*out = p;
	return TL_OK;
}

void
tl_consist_probe_free(tl_consist_probe *p)
{
	if (p == NULL)
		return;
	sqlite3_finalize(p->q);
	free(p);
}

void
tl_consist_probe_portion(tl_consist_probe *p, const tl_portion *po,
    unsigned rank)
{
	memset(&p->best, 0, sizeof p->best);
	p->rank = rank;
	pass_start(&p->w, po, rank != 0);
}

tl_status
tl_consist_probe_text(tl_consist_probe *p, const char *s, size_t n,
    bool line_end)
{
	if (p->failed)
		return p->failed;
	return pass_text(&p->w, s, n, line_end);
}

tl_status
tl_consist_probe_end(tl_consist_probe *p, const tl_consist_hit **hit)
{
	*hit = NULL;
	if (word_end(&p->w) != TL_OK || p->failed)
		return TL_EIO;
	p->w.active = false;
	if (p->best.rank > p->rank)
		*hit = &p->best;
	return TL_OK;
}

void
tl_consist_mark_of(const tl_banner *b, char *out, size_t size)
{
	tl_strlcpy(out, b->line ? tl_level_name(b->marking.level) : "",
	    b->line ? strlen(tl_level_name(b->marking.level)) : 0, size);
}
