/*
 * html.c: an HTML document read as the text a reader sees, for the
 * parser (tl_parser_feed): tags removed, block elements and <br> ending
 * lines, a paragraph's end a blank line, table rows as "| cell | cell |"
 * (the markdown form the body parser reads cell portions in), entities
 * decoded, white space collapsed outside <pre>, comments, <script> and
 * <style> dropped.  A byte at a time, with a few dozen bytes of state:
 * memory does not grow with the document.
 */
#include "parse.h"

enum { H_TEXT = 0, H_LT, H_TAG, H_ATTR_Q, H_SKIP, H_COMMENT, H_RAW,
	H_ENTITY };

/* Elements that end the line before and after them, and those whose end
 * is also a paragraph's (a blank line). */
static const char *const lines_of[] = { "br", "li", "tr", "dt", "dd",
	"hr", "caption", "option", NULL };
static const char *const paragraphs_of[] = { "p", "div", "h1", "h2", "h3",
	"h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre",
	"section", "article", "header", "footer", "main", "nav", "aside",
	"title", "form", "figure", "figcaption", "address", "center", "body",
	"head", "html", "thead", "tbody", "tfoot", NULL };

static bool
among(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static tl_status
put(tlp_html *h, tl_buf *out, char c)
{
	if (c == '\n')
		h->nl_run++;
	else
		h->nl_run = 0;
	h->col0 = c == '\n';
	return tl_buf_putc(out, c);
}

/* Emits the line ends asked for: up to `want` in a row. */
static tl_status
breaks(tlp_html *h, tl_buf *out)
{
	tl_status st = TL_OK;

	if (!h->any)
		h->want = 0;
	while (st == TL_OK && h->nl_run < h->want)
		st = put(h, out, '\n');
	h->want = 0;
	if (h->nl_run > 0)
		h->space = false;
	return st;
}

/* A character of text (UTF-8 bytes pass one by one). */
static tl_status
text(tlp_html *h, tl_buf *out, char c)
{
	tl_status st;

	if (!h->pre && (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f')) {
		if (!h->col0)
			h->space = true;
		return TL_OK;
	}
	if (h->pre && c == '\r')
		return TL_OK;
	if ((st = breaks(h, out)) != TL_OK)
		return st;
	if (h->space && !h->col0 && (st = put(h, out, ' ')) != TL_OK)
		return st;
	h->space = false;
	h->any = true;
	return put(h, out, c);
}

static tl_status
text_str(tlp_html *h, tl_buf *out, const char *s)
{
	tl_status st = TL_OK;

	while (*s && st == TL_OK)
		st = text(h, out, *s++);
	return st;
}

/* Code point cp as UTF-8 text; U+FFFD for one that is no character. */
static tl_status
text_cp(tlp_html *h, tl_buf *out, unsigned long cp)
{
	char u[5] = { 0 };

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp == 0xA0)
		return text(h, out, ' ');
	if (cp < 0x80) {
		u[0] = (char)cp;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
	}
	return text_str(h, out, u);
}

/* The entity collected in h->ent ("amp", "#167", "#xA7"), ended by ';'
 * or not: its character, or its text as written when it is none. */
static tl_status
entity(tlp_html *h, tl_buf *out, bool semi)
{
	static const struct { const char *name; unsigned long cp; } named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
		{ "apos", '\'' }, { "nbsp", 0xA0 }, { "sect", 0xA7 },
		{ "para", 0xB6 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
		{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C },
		{ "rdquo", 0x201D }, { "hellip", 0x2026 }, { "bull", 0x2022 },
		{ "middot", 0xB7 }, { "copy", 0xA9 }, { "reg", 0xAE },
		{ "deg", 0xB0 }, { "times", 0xD7 }, { "shy", 0 },
	};
	size_t i;
	tl_status st;

	h->ent[h->entlen] = '\0';
	if (h->ent[0] == '#' && h->entlen > 1) {
		bool hex = h->ent[1] == 'x' || h->ent[1] == 'X';
		unsigned long cp = 0;
		bool ok = h->entlen > (hex ? 2u : 1u);
		for (i = hex ? 2 : 1; i < h->entlen && ok; i++) {
			int c = (unsigned char)h->ent[i];
			int v = tl_isdigit(c) ? c - '0' : hex && c >= 'a' &&
			    c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ?
			    c - 'A' + 10 : -1;
			ok = v >= 0 && cp <= 0x10FFFF;
			cp = cp * (hex ? 16 : 10) + (unsigned long)(v < 0 ? 0 : v);
		}
		if (ok)
			return text_cp(h, out, cp);
	} else {
		for (i = 0; i < sizeof named / sizeof named[0]; i++)
			if (strcmp(h->ent, named[i].name) == 0)
				return named[i].cp ? text_cp(h, out, named[i].cp) :
				    TL_OK;
	}
	/* Not an entity: the text as written. */
	if ((st = text(h, out, '&')) != TL_OK ||
	    (st = text_str(h, out, h->ent)) != TL_OK)
		return st;
	return semi ? text(h, out, ';') : TL_OK;
}

/* The tag named in h->tag has ended ('>'). */
static tl_status
tag_done(tlp_html *h, tl_buf *out)
{
	const char *t = h->tag;
	tl_status st = TL_OK;

	if (!h->closing && (strcmp(t, "script") == 0 || strcmp(t, "style") == 0)) {
		tl_strlcpy(h->raw, t, strlen(t), sizeof h->raw);
		h->state = H_RAW;
		h->rawlen = 0;
		return TL_OK;
	}
	h->state = H_TEXT;
	if (strcmp(t, "pre") == 0)
		h->pre = !h->closing;
	if (strcmp(t, "br") == 0) {
		if ((st = breaks(h, out)) == TL_OK && h->any)
			st = put(h, out, '\n');
		h->space = false;
		return st;
	}
	if (strcmp(t, "td") == 0 || strcmp(t, "th") == 0) {
		if (h->closing || !h->row)
			return TL_OK;
		/* A cell: "| " before the first, " | " between. */
		h->space = false;
		if (h->cells++ == 0) {
			if ((st = breaks(h, out)) != TL_OK)
				return st;
			h->any = true;
			if ((st = put(h, out, '|')) != TL_OK)
				return st;
		} else if ((st = text_str(h, out, " |")) != TL_OK) {
			return st;
		}
		h->space = true;
		return TL_OK;
	}
	if (strcmp(t, "tr") == 0) {
		if (h->row && h->cells > 0) {
			h->space = false;
			if ((st = text_str(h, out, " |")) != TL_OK)
				return st;
		}
		h->row = !h->closing;
		h->cells = 0;
	}
	if (among(t, paragraphs_of))
		h->want = h->want > 2 ? h->want : 2;
	else if (among(t, lines_of))
		h->want = h->want > 1 ? h->want : 1;
	return TL_OK;
}

tl_status
tlp_html_feed(tlp_html *h, const char *s, size_t n, tl_buf *out)
{
	tl_status st = TL_OK;
	size_t i;

	for (i = 0; i < n && st == TL_OK; i++) {
		char c = s[i];
		switch (h->state) {
		case H_TEXT:
			if (c == '<')
				h->state = H_LT;
			else if (c == '&') {
				h->state = H_ENTITY;
				h->entlen = 0;
			} else
				st = text(h, out, c);
			break;
		case H_ENTITY:
			if (c == ';' || !(tl_isalpha((unsigned char)c) ||
			    tl_isdigit((unsigned char)c) || (c == '#' &&
			    h->entlen == 0)) || h->entlen == sizeof h->ent - 1) {
				h->state = H_TEXT;
				st = entity(h, out, c == ';');
				if (st == TL_OK && c != ';')
					i--; /* this byte again, as text */
			} else {
				h->ent[h->entlen++] = c;
			}
			break;
		case H_LT:
			h->taglen = 0;
			h->closing = c == '/';
			if (c == '!' || c == '?') {
				h->state = H_SKIP;
				h->dashes = 0;
			} else if (c == '/' || tl_isalpha((unsigned char)c)) {
				h->state = H_TAG;
				h->named = false;
				if (c != '/')
					i--;
			} else {
				/* "a < b": text. */
				h->state = H_TEXT;
				if ((st = text(h, out, '<')) == TL_OK)
					i--;
			}
			break;
		case H_TAG:
			if (c == '>') {
				h->tag[h->taglen] = '\0';
				st = tag_done(h, out);
			} else if (c == '"' || c == '\'') {
				h->named = true;
				h->quote = c;
				h->state = H_ATTR_Q;
			} else if (!h->named && (tl_isalpha((unsigned char)c) ||
			    tl_isdigit((unsigned char)c))) {
				if (h->taglen < sizeof h->tag - 1)
					h->tag[h->taglen++] =
					    (char)tl_tolower((unsigned char)c);
			} else {
				h->named = true;
			}
			break;
		case H_ATTR_Q:
			if (c == h->quote)
				h->state = H_TAG;
			break;
		case H_SKIP:
			/* "<!-- ... -->", "<!DOCTYPE ...>", "<?xml ...?>". */
			if (c == '-' && h->dashes < 4) {
				h->dashes++;
				if (h->dashes == 2 && !h->comment_seen) {
					h->state = H_COMMENT;
					h->dashes = 0;
				}
			} else if (c == '>') {
				h->state = H_TEXT;
			} else {
				h->comment_seen = true;
			}
			break;
		case H_COMMENT:
			if (c == '-')
				h->dashes++;
			else if (c == '>' && h->dashes >= 2)
				h->state = H_TEXT;
			else
				h->dashes = 0;
			break;
		case H_RAW: {
			/* Up to "</script" or "</style". */
			size_t want = strlen(h->raw) + 2;
			char expect = h->rawlen == 0 ? '<' : h->rawlen == 1 ? '/' :
			    h->raw[h->rawlen - 2];
			if (tl_tolower((unsigned char)c) == expect) {
				if (++h->rawlen == want) {
					h->state = H_TAG;
					h->closing = true;
					h->named = true;
					tl_strlcpy(h->tag, h->raw, strlen(h->raw),
					    sizeof h->tag);
					h->taglen = strlen(h->tag);
				}
			} else {
				h->rawlen = c == '<' ? 1 : 0;
			}
			break;
		}
		}
		if (h->state != H_SKIP)
			h->comment_seen = false;
	}
	return st;
}

tl_status
tlp_html_finish(tlp_html *h, tl_buf *out)
{
	tl_status st = TL_OK;

	if (h->state == H_ENTITY)
		st = entity(h, out, false);
	else if (h->state == H_LT)
		st = text(h, out, '<');
	h->state = H_TEXT;
	if (st == TL_OK && h->any && !h->col0)
		st = put(h, out, '\n');
	return st;
}
