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
 * kept as an 8-byte keyed BLAKE2b hash (a key random per run unless the
 * caller gives one), so the database says nothing of the text it saw.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORD_MAX 24 /* bytes kept of a word */

struct tl_consist {
	sqlite3 *db;
	sqlite3_stmt *ins_doc, *ins_run;
	char *path;              /* the database file, removed at close */
	unsigned char key[crypto_generichash_KEYBYTES];
	long long doc;           /* current document's id, 0 before one */
	unsigned long ndocs;
	/* The open portion. */
	bool active;
	unsigned long portion, line;
	unsigned rank;
	char mark[TL_MARK_MAX + 1];
	size_t skip;             /* bytes of its first line not text (lead, mark) */
	bool first_line;
	/* The window: the last TL_CONSIST_WORDS words, a ring. */
	char words[TL_CONSIST_WORDS][WORD_MAX];
	unsigned char lens[TL_CONSIST_WORDS];
	unsigned nwords, head;
	char cur[WORD_MAX];
	size_t curlen;
	bool in_paren;           /* inside a mark-like "( ... )" */
	size_t paren_len;
	tl_status failed;
};

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
	sprintf(c->path, "%s/tearline-consist-XXXXXX", tmp);
	if ((fd = mkstemp(c->path)) < 0) {
		tl_status st = tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, tmp, 0,
		    0, NULL, "cannot create the consistency database here");
		free(c->path);
		free(c);
		return st;
	}
	close(fd);
	randombytes_buf(c->key, sizeof c->key);
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
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
	c->active = false;
	sqlite3_reset(c->ins_doc);
	if (sqlite3_bind_text(c->ins_doc, 1, file, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK || sqlite3_step(c->ins_doc) != SQLITE_DONE)
		return c->failed = TL_EIO;
	c->doc = sqlite3_last_insert_rowid(c->db);
	c->ndocs++;
	return TL_OK;
}

void
tl_consist_portion(tl_consist *c, const tl_portion *po, unsigned rank)
{
	c->active = c->doc != 0 && rank != 0 && po->marked;
	c->portion = po->index;
	c->line = po->line;
	c->rank = rank;
	tl_strlcpy(c->mark, po->mark_text, strlen(po->mark_text),
	    sizeof c->mark);
	c->nwords = c->head = 0;
	c->curlen = 0;
	c->in_paren = false;
	c->first_line = true;
	/* The lead and the mark are not text of the passage. */
	c->skip = po->mark_col ? (size_t)po->mark_col - 1 : strlen(po->lead);
}

/* The window's words as one hash, stored. */
static tl_status
store(tl_consist *c)
{
	crypto_generichash_state h;
	unsigned char out[8];
	unsigned i, k;
	long long v;

	crypto_generichash_init(&h, c->key, sizeof c->key, sizeof out);
	for (i = 0; i < TL_CONSIST_WORDS; i++) {
		k = (c->head + i) % TL_CONSIST_WORDS;
		crypto_generichash_update(&h, (const unsigned char *)c->words[k],
		    c->lens[k]);
		crypto_generichash_update(&h, (const unsigned char *)" ", 1);
	}
	crypto_generichash_final(&h, out, sizeof out);
	memcpy(&v, out, sizeof v);
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

/* The word in c->cur ends. */
static tl_status
word_end(tl_consist *c)
{
	unsigned k;

	if (c->curlen == 0)
		return TL_OK;
	if (c->nwords < TL_CONSIST_WORDS) {
		k = c->nwords++;
	} else {
		k = c->head;
		c->head = (c->head + 1) % TL_CONSIST_WORDS;
	}
	memcpy(c->words[k], c->cur, c->curlen);
	c->lens[k] = (unsigned char)c->curlen;
	c->curlen = 0;
	return c->nwords == TL_CONSIST_WORDS ? store(c) : TL_OK;
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

tl_status
tl_consist_text(tl_consist *c, const char *s, size_t n, bool line_end)
{
	size_t i = 0;
	tl_status st;

	if (!c->active || c->failed)
		return c->failed;
	/* A rule of stars or dashes ends a portion's content: what follows
	 * is a trailer ("Visit Embassy ...'s Classified Website"). */
	if (rule_line(s, n)) {
		c->active = false;
		return word_end(c);
	}
	if (c->first_line) {
		i = c->skip < n ? c->skip : n;
		if (i < n && s[i] == '(')
			while (i < n && s[i++] != ')')
				;
		c->first_line = false;
	}
	for (; i < n; i++) {
		int ch = (unsigned char)s[i];
		if (c->in_paren) {
			if (ch == ')')
				c->in_paren = false;
			continue;
		}
		/* A web address is no text, and no passage runs across it:
		 * post trailers ("Visit ...'s Classified Web Site at
		 * http://...") differ from post to post around it. */
		if (c->curlen == 0 && (tl_iprefix(s + i, n - i, "http://") ||
		    tl_iprefix(s + i, n - i, "https://") ||
		    tl_iprefix(s + i, n - i, "www."))) {
			while (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t')
				i++;
			c->nwords = c->head = 0;
			continue;
		}
		if (ch == '(' && mark_like(s + i, n - i)) {
			if ((st = word_end(c)) != TL_OK)
				return st;
			c->in_paren = true;
			continue;
		}
		if (tl_isalpha(ch) || tl_isdigit(ch) || ch >= 0x80) {
			if (c->curlen < WORD_MAX)
				c->cur[c->curlen++] = (char)tl_tolower(ch);
			continue;
		}
		/* An apostrophe inside a word ("minister's") joins it. */
		if (ch == '\'' && c->curlen > 0 && i + 1 < n &&
		    tl_isalpha((unsigned char)s[i + 1]))
			continue;
		if ((st = word_end(c)) != TL_OK)
			return st;
	}
	if (line_end && (st = word_end(c)) != TL_OK)
		return st;
	return TL_OK;
}

tl_status
tl_consist_pairs(tl_consist *c, tl_consist_fn fn, void *ctx, tl_diag *diag)
{
	sqlite3_stmt *q = NULL;
	long long common;
	tl_status st = TL_OK;
	int rc;

	if (c->failed)
		return db_fail(c, diag, "cannot store a passage");
	common = (long long)(c->ndocs / 100 > TL_CONSIST_COMMON_MIN ?
	    c->ndocs / 100 : TL_CONSIST_COMMON_MIN);
	if (!exec(c, "COMMIT; CREATE INDEX run_h ON run(h);"))
		return db_fail(c, diag, "cannot index");
	/* Each pair of portions that share a run at two ranks, once, at
	 * the lower-marked place; runs in more than `common` documents
	 * are boilerplate. */
	if (sqlite3_prepare_v2(c->db,
	    "SELECT lo.file, a.line, a.mark, hi.file, b.line, b.mark "
	    "FROM run a JOIN run b ON a.h = b.h AND a.rank < b.rank "
	    "AND a.doc <> b.doc "
	    "JOIN doc lo ON lo.id = a.doc JOIN doc hi ON hi.id = b.doc "
	    "WHERE a.h NOT IN (SELECT h FROM run GROUP BY h "
	    "HAVING COUNT(DISTINCT doc) > ?1) "
	    "GROUP BY a.doc, a.portion, b.doc, b.portion "
	    "ORDER BY a.doc, a.line, b.doc, b.line", -1, &q, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(q, 1, common) != SQLITE_OK) {
		sqlite3_finalize(q);
		return db_fail(c, diag, "cannot query");
	}
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
