/*
 * label.c: a STANAG 4774 confidentiality label in its XML form (ADatP-4774,
 * namespace urn:nato:stanag:4774:confidentialitymetadatalabel:1:0) read as
 * a document's overall marking, and the binding of one label to the one
 * document of a run (tl_label_use).
 *
 * The label's ConfidentialityInformation becomes a marking the register
 * reads: its PolicyIdentifier and Classification the level ("NATO" with
 * "SECRET": NATO SECRET), each RESTRICTIVE category's values controls, a
 * PERMISSIVE "Releasable To" category a REL TO list; another PERMISSIVE
 * category's values are taken as controls too (a reader must hold them:
 * more than the label asks, never less), and INFORMATIVE ones are left
 * out (they restrict nothing).  Only what this needs of XML is read:
 * elements, attributes, character data, the five predefined entities and
 * character references; a DOCTYPE (and so any entity of its own) is
 * refused.
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LABEL_MAX (64 * 1024) /* a label is a few hundred bytes */
#define NS_4774 "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"

typedef struct lread {
	const char *path;
	const char *s;
	size_t n, i;
	tl_diag *diag;
	/* What the label says, as marking words. */
	char policy[64];
	char classification[96];
	char controls[512];
	char rel[512];
	bool ns_ok, root_ok, info_seen;
	/* The open Category: 'R', 'P' (Releasable To), 'C' (another
	 * permissive one, read as controls), 'I' (informative), 0. */
	int cat;
} lread;

/* The first `lit` in s[0..n), or NULL (memmem is not POSIX). */
static const char *
find(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit), i;

	for (i = 0; m <= n && i + m <= n; i++)
		if (s[i] == lit[0] && memcmp(s + i, lit, m) == 0)
			return s + i;
	return NULL;
}

/* Line and column of offset `at`. */
static void
where(const lread *L, size_t at, unsigned long *line, unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < at && i < L->n; i++) {
		if (L->s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static tl_status bad(lread *L, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tl_status
bad(lread *L, size_t at, const char *fmt, ...)
{
	unsigned long line, col;
	va_list ap;

	where(L, at, &line, &col);
	va_start(ap, fmt);
	tl_diag_vset(L->diag, TL_ESYNTAX, TL_SEV_ERROR, L->path, line, col,
	    "label-syntax", fmt, ap);
	va_end(ap);
	return TL_ESYNTAX;
}

/* Appends `w` to the words list `dst` after `sep` (none when empty). */
static bool
add_word(char *dst, size_t size, const char *sep, const char *w)
{
	size_t a = strlen(dst), b = strlen(w), c = a ? strlen(sep) : 0;

	if (a + c + b + 1 > size)
		return false;
	memcpy(dst + a, sep, c);
	memcpy(dst + a + c, w, b + 1);
	return true;
}

/* Character data s[a..b) decoded into out (whitespace runs as one blank,
 * trimmed); false for an entity that is not one of XML's or a character
 * reference, a character that is no marking text, or too much. */
static bool
chardata(const char *s, size_t a, size_t b, char *out, size_t size)
{
	size_t k = 0, i;
	bool blank = false;

	for (i = a; i < b; i++) {
		char c = s[i];
		if (c == '&') {
			static const struct { const char *e; char c; } ents[] = {
				{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
				{ "quot;", '"' }, { "apos;", '\'' } };
			size_t e;
			for (e = 0; e < 5; e++)
				if (b - i - 1 >= strlen(ents[e].e) &&
				    memcmp(s + i + 1, ents[e].e, strlen(ents[e].e)) == 0)
					break;
			if (e == 5)
				return false;
			c = ents[e].c;
			i += strlen(ents[e].e);
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			blank = k > 0;
			continue;
		}
		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			return false;
		if (k + (blank ? 2 : 1) >= size)
			return false;
		if (blank)
			out[k++] = ' ';
		blank = false;
		out[k++] = c;
	}
	out[k] = '\0';
	return true;
}

/* The value of attribute `name` in the start tag s[a..b) into out; false
 * when absent. */
static bool
attr(const char *s, size_t a, size_t b, const char *name, char *out,
    size_t size)
{
	size_t m = strlen(name), i, j;

	for (i = a; i + m + 2 < b; i++) {
		if ((s[i - 1] != ' ' && s[i - 1] != '\t' && s[i - 1] != '\n' &&
		    s[i - 1] != '\r') || memcmp(s + i, name, m) != 0)
			continue;
		j = i + m;
		while (j < b && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= b || s[j] != '=')
			continue;
		j++;
		while (j < b && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= b || (s[j] != '"' && s[j] != '\''))
			continue;
		for (i = j + 1; i < b && s[i] != s[j]; i++)
			;
		return chardata(s, j + 1, i, out, size);
	}
	return false;
}

/* The local name of the tag at s[a..) (after "<" or "</"): without its
 * namespace prefix. */
static void
local_name(const char *s, size_t a, size_t b, char *out, size_t size)
{
	size_t i = a, k = 0, start = a;

	for (; i < b && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
	    s[i] != '\r' && s[i] != '/' && s[i] != '>'; i++)
		if (s[i] == ':')
			start = i + 1;
	for (i = start; i < b && k + 1 < size && s[i] != ' ' && s[i] != '\t' &&
	    s[i] != '\n' && s[i] != '\r' && s[i] != '/' && s[i] != '>'; i++)
		out[k++] = s[i];
	out[k] = '\0';
}

static bool
ieq(const char *a, const char *b)
{
	return tl_ieq(a, strlen(a), b);
}

/* One element: its start tag s[a..b) (inside "<" and ">"), its text up
 * to the next tag at `text_end`. */
static tl_status
element(lread *L, size_t a, size_t b, size_t text_end, bool empty)
{
	char name[48], v[160];

	local_name(L->s, a, b, name, sizeof name);
	if (!L->root_ok) {
		if (!ieq(name, "originatorConfidentialityLabel") &&
		    !ieq(name, "ConfidentialityLabel"))
			return bad(L, a, "not a STANAG 4774 confidentiality label: "
			    "the root element is <%s>", name);
		L->root_ok = true;
		/* The namespace, declared on the root. */
		L->ns_ok = find(L->s + a, b - a, NS_4774) != NULL;
		if (!L->ns_ok)
			return bad(L, a, "the label's root does not declare the "
			    "STANAG 4774 namespace %s", NS_4774);
		return TL_OK;
	}
	if (ieq(name, "ConfidentialityInformation")) {
		if (L->info_seen)
			return bad(L, a, "a second <%s>", name);
		L->info_seen = true;
		return TL_OK;
	}
	if (ieq(name, "Category")) {
		char type[24], tag[96];
		if (!attr(L->s, a, b, "Type", type, sizeof type))
			return bad(L, a, "<Category> without its Type");
		if (!attr(L->s, a, b, "TagName", tag, sizeof tag))
			tag[0] = '\0';
		if (ieq(type, "RESTRICTIVE"))
			L->cat = 'R';
		else if (ieq(type, "INFORMATIVE"))
			L->cat = 'I';
		else if (ieq(type, "PERMISSIVE"))
			L->cat = tl_ieq(tag, strlen(tag), "Releasable To") ||
			    tl_ieq(tag, strlen(tag), "Releasable") ? 'P' : 'C';
		else
			return bad(L, a, "<Category> of Type \"%s\": RESTRICTIVE, "
			    "PERMISSIVE or INFORMATIVE", type);
		if (empty)
			L->cat = 0;
		return TL_OK;
	}
	if (!ieq(name, "PolicyIdentifier") && !ieq(name, "Classification") &&
	    !ieq(name, "GenericValue"))
		return TL_OK; /* CreationDateTime, OriginatorID, PrivacyMark... */
	if (!chardata(L->s, b + 1, text_end, v, sizeof v) || v[0] == '\0')
		return bad(L, b + 1, "<%s> holds no marking text a register "
		    "can read", name);
	if (ieq(name, "PolicyIdentifier"))
		tl_strlcpy(L->policy, v, strlen(v), sizeof L->policy);
	else if (ieq(name, "Classification"))
		tl_strlcpy(L->classification, v, strlen(v),
		    sizeof L->classification);
	else if (L->cat == 'R' || L->cat == 'C') {
		if (!add_word(L->controls, sizeof L->controls, "/", v))
			return bad(L, b + 1, "too many category values");
	} else if (L->cat == 'P') {
		if (!add_word(L->rel, sizeof L->rel, ", ", v))
			return bad(L, b + 1, "too many countries");
	}
	return TL_OK;
}

static tl_status
read_xml(lread *L)
{
	const char *s = L->s;
	size_t n = L->n, i = 0, b, next;
	tl_status st;

	if (memchr(s, '\0', n) != NULL)
		return bad(L, (size_t)((const char *)memchr(s, '\0', n) - s),
		    "a NUL byte");
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (lt == NULL)
			break;
		i = (size_t)(lt - s);
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = find(s + i + 4, n - i - 4, "-->");
			if (e == NULL)
				return bad(L, i, "a comment that does not end");
			i = (size_t)(e - s) + 3;
			continue;
		}
		if (n - i >= 2 && s[i + 1] == '!')
			return bad(L, i, "a DOCTYPE or CDATA section is not read "
			    "in a label");
		for (b = i + 1; b < n && s[b] != '>'; b++)
			if (s[b] == '"' || s[b] == '\'') {
				char q = s[b];
				for (b++; b < n && s[b] != q; b++)
					;
			}
		if (b >= n)
			return bad(L, i, "a tag that does not end");
		if (s[i + 1] == '?' || s[i + 1] == '/') {
			if (s[i + 1] == '/') {
				char name[48];
				local_name(s, i + 2, b, name, sizeof name);
				if (ieq(name, "Category"))
					L->cat = 0;
			}
			i = b + 1;
			continue;
		}
		next = b + 1;
		while (next < n && s[next] != '<')
			next++;
		if ((st = element(L, i + 1, b, next, s[b - 1] == '/')) != TL_OK)
			return st;
		i = b + 1;
	}
	if (!L->root_ok)
		return bad(L, 0, "not a STANAG 4774 confidentiality label: no "
		    "element");
	if (L->classification[0] == '\0')
		return bad(L, 0, "the label has no <Classification>");
	return TL_OK;
}

tl_status
tl_label_read(const char *path, tl_marking *out, char *text, size_t textlen,
    tl_diag *diag)
{
	lread L;
	char buf[LABEL_MAX + 1], mark[1280], why[160];
	ssize_t r;
	size_t n = 0;
	tl_status st;
	int fd;

	memset(out, 0, sizeof *out);
	if (text && textlen)
		text[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "%s", strerror(errno));
	for (;;) {
		r = read(fd, buf + n, sizeof buf - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (n += (size_t)r) == sizeof buf)
			break;
	}
	close(fd);
	if (r < 0)
		return tl_diag_set(diag, TL_EIO, TL_SEV_ERROR, path, 0, 0, NULL,
		    "%s", strerror(errno));
	if (n > LABEL_MAX)
		return tl_diag_set(diag, TL_ELIMIT, TL_SEV_ERROR, path, 0, 0,
		    "label-limit", "a label of more than %d bytes", LABEL_MAX);
	memset(&L, 0, sizeof L);
	L.path = path;
	L.s = buf;
	L.n = n;
	L.diag = diag;
	if ((st = read_xml(&L)) != TL_OK)
		return st;

	/* The marking the label says, in the register's words. */
	snprintf(mark, sizeof mark, "%s%s%s%s%s%s",
	    tl_ieq(L.policy, strlen(L.policy), "NATO") &&
	    !tl_iprefix(L.classification, strlen(L.classification), "NATO") &&
	    !tl_iprefix(L.classification, strlen(L.classification), "COSMIC") ?
	    "NATO " : "", L.classification,
	    L.controls[0] ? "//" : "", L.controls,
	    L.rel[0] ? "//REL TO " : "", L.rel);
	if (text && textlen)
		tl_strlcpy(text, mark, strlen(mark), textlen);
	st = tl_marking_parse(mark, strlen(mark), out, why, sizeof why);
	if (out->level == TL_LEVEL_UNKNOWN || out->malformed)
		return tl_diag_set(diag, TL_ESYNTAX, TL_SEV_ERROR, path, 0, 0,
		    "label-marking", "the label's marking \"%s\" cannot be read: "
		    "%s", mark, why);
	(void)st; /* unknown tokens are kept: they withhold what inherits */
	return TL_OK;
}

/* ---------------------------------------------------------------------
 * The one document a label is given for
 * ------------------------------------------------------------------- */

static struct {
	bool set;
	tl_marking m;
	char source[256];
	char *doc; /* the name of the document that took it; NULL until one */
} bound;

void
tl_label_use(const tl_marking *m, const char *source)
{
	free(bound.doc);
	memset(&bound, 0, sizeof bound);
	if (m == NULL)
		return;
	bound.set = true;
	bound.m = *m;
	tl_strlcpy(bound.source, source ? source : "", source ?
	    strlen(source) : 0, sizeof bound.source);
}

tl_status
tl_label_for(const char *name, const tl_marking **m, tl_diag *diag)
{
	*m = NULL;
	if (!bound.set)
		return TL_OK;
	if (bound.doc == NULL) {
		if ((bound.doc = strdup(name)) == NULL)
			return tl_diag_set(diag, TL_ENOMEM, TL_SEV_ERROR, name, 0,
			    0, NULL, "out of memory");
	} else if (strcmp(bound.doc, name) != 0) {
		return tl_diag_set(diag, TL_EUSAGE, TL_SEV_ERROR, name, 0, 0,
		    NULL, "the label %s is %s's overall marking: give --label "
		    "with one document", bound.source, bound.doc);
	}
	*m = &bound.m;
	return TL_OK;
}
