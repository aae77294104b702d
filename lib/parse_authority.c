/*
 * parse_authority.c: the authority block of the header: "Classified By"
 * with its reasons, and the E.O./DECL line with its declassification date.
 */
#include "parse.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------- */

/* Reads 1 to maxdigits digits at s[*i]; returns the value or -1. */
int
tlp_read_num(const char *s, size_t n, size_t *i, size_t maxdigits)
{
	size_t k = 0;
	int v = 0;

	while (*i < n && k < maxdigits && tl_isdigit((unsigned char)s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

/* Writes YYYY-MM-DD; the caller has checked the ranges (tlp_valid_date). */
void
tlp_iso_date(char iso[11], int y, int m, int d)
{
	iso[0] = (char)('0' + y / 1000 % 10);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
}

bool
tlp_valid_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };

	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return true;
}

/* Parses m/d/yyyy, m/d/yy, yyyy/mm/dd or yyyy-mm-dd (the whole of
 * s[0..n) but trailing punctuation) into ISO form.  False if none. */
static bool
parse_date(const char *s, size_t n, char iso[11])
{
	size_t i = 0;
	int a, b, c, y, m, d;
	char sep;

	n = rtrim(s, n);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ','))
		n--;
	/* CAPCO's YYYYMMDD: "20380401". */
	if (n == 8 && (a = tlp_read_num(s, n, &i, 8)) >= 0 && i == 8) {
		y = a / 10000, m = a / 100 % 100, d = a % 100;
		if (!tlp_valid_date(y, m, d))
			return false;
		tlp_iso_date(iso, y, m, d);
		return true;
	}
	i = 0;
	if ((a = tlp_read_num(s, n, &i, 4)) < 0 || i >= n)
		return false;
	size_t alen = i;
	sep = s[i++];
	if (sep != '/' && sep != '-')
		return false;
	if ((b = tlp_read_num(s, n, &i, 2)) < 0 || i >= n || s[i++] != sep)
		return false;
	size_t cstart = i;
	if ((c = tlp_read_num(s, n, &i, 4)) < 0 || i != n)
		return false;
	if (alen == 4) {
		y = a, m = b, d = c;
		if (i - cstart > 2)
			return false;
	} else {
		if (alen > 2)
			return false;
		m = a, d = b;
		if (i - cstart == 2)
			y = c < 70 ? 2000 + c : 1900 + c;
		else if (i - cstart == 4)
			y = c;
		else
			return false;
	}
	if (!tlp_valid_date(y, m, d))
		return false;
	tlp_iso_date(iso, y, m, d);
	return true;
}

/* ---------------------------------------------------------------------
 * Authority block
 * ------------------------------------------------------------------- */

/* Reads reasons after "1.4"/"1.5" at s[0..n): single letters, however
 * written: "(b,d)", "(b) and (d)", "(b),(d)", "b/d", "(B/D)". */
void
tlp_parse_reasons(tl_authority *a, const char *s, size_t n)
{
	size_t i = 0, j;
	size_t at = n;
	char section[4];

	for (i = 0; i + 3 <= n; i++)
		if (s[i] == '1' && s[i + 1] == '.' &&
		    (s[i + 2] == '4' || s[i + 2] == '5') &&
		    (i == 0 || !tl_isdigit((unsigned char)s[i - 1]))) {
			at = i;
			break;
		}
	if (at == n)
		return;
	memcpy(section, s + at, 3);
	section[3] = '\0';
	for (i = at + 3; i < n;) {
		if (!tl_isalpha((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && tl_isalpha((unsigned char)s[j]); j++)
			;
		if (j - i == 1) {
			if (a->nreasons < sizeof a->reasons / sizeof a->reasons[0])
				snprintf(a->reasons[a->nreasons++],
				    sizeof a->reasons[0], "%s(%c)", section,
				    (char)(s[i] | 0x20));
		} else if (!tl_ieq(s + i, j - i, "and") &&
		    !tl_ieq(s + i, j - i, "or")) {
			break;
		}
		i = j;
	}
}

/* Fills the authority from "Classified By: NAME, reasons 1.4 (b,d)"
 * starting at s[0] ("Classified By" itself). */
void
tlp_parse_classified_by(tl_authority *a, const char *s, size_t n)
{
	size_t i = strlen("classified by"), end, r;

	n = rtrim(s, n);
	if (tl_iprefix(s, n, "derived from"))
		i = strlen("derived from");
	while (i < n && (s[i] == ':' || s[i] == ' ' || s[i] == '\t'))
		i++;
	r = ifind(s + i, n - i, "reason");
	end = i + r;
	/* Drop ", " / " for " / "; " before "reasons". */
	while (end > i && (s[end - 1] == ' ' || s[end - 1] == ',' ||
	    s[end - 1] == ';' || s[end - 1] == ':'))
		end--;
	if (end - i >= 4 && tl_ieq(s + end - 4, 4, " for"))
		end -= 4;
	tl_strlcpy(a->classified_by, s + i, end - i, sizeof a->classified_by);
	if (r < n - i)
		tlp_parse_reasons(a, s + i + r, n - i - r);
}

/* E.O. line: "E.O. 12958: DECL: 11/18/2027", "EO 12958 DECL: 2020/02/23",
 * "decl: 6/30/08", "E.O. 12958: N/A", "E.O. 13526". */
bool
tlp_is_eo(const char *s, size_t n)
{
	size_t i = skip_ws(s, n, 0);

	if (tl_iprefix(s + i, n - i, "DECLASSIFY ON"))
		return true;
	if (tl_iprefix(s + i, n - i, "DECL"))
		return i + 4 < n && (s[i + 4] == ':' || s[i + 4] == ' ');
	if (tl_iprefix(s + i, n - i, "E.O.") || tl_iprefix(s + i, n - i, "E. O.") ||
	    tl_iprefix(s + i, n - i, "E.0."))
		return true;
	return tl_iprefix(s + i, n - i, "EO ") && i + 3 < n &&
	    tl_isdigit((unsigned char)s[skip_ws(s, n, i + 3)]);
}

void
tlp_parse_eo(tl_parser *p, const char *s, size_t n, unsigned long number)
{
	tl_declassify *d = &p->doc.declassify;
	size_t i = skip_ws(s, n, 0), j, k;

	n = rtrim(s, n);
	if (d->line == 0) {
		d->line = number;
		d->col = col_at(s, i);
	}
	/* Order number: the first run of 5 digits. */
	for (j = i; j < n && !tl_isdigit((unsigned char)s[j]); j++)
		if (tl_iprefix(s + j, n - j, "DECL"))
			break;
	for (k = j; k < n && tl_isdigit((unsigned char)s[k]); k++)
		;
	if (k - j == 5 && !d->order[0])
		tl_strlcpy(d->order, s + j, k - j, sizeof d->order);
	j = ifind(s, n, "DECL");
	if (tl_iprefix(s + i, n - i, "DECLASSIFY ON")) {
		/* The CAPCO authority block's "Declassify On: 20380401". */
		j = i + strlen("DECLASSIFY ON");
		while (j < n && (s[j] == ':' || s[j] == ' '))
			j++;
	} else if (j < n) {
		j += 4;
		while (j < n && (s[j] == ':' || s[j] == ' '))
			j++;
	} else {
		/* "E.O. 12958: N/A": what follows the order's colon. */
		j = ifind(s, n, ":");
		j = j < n ? skip_ws(s, n, j + 1) : n;
	}
	if (j < n) {
		tl_strlcpy(d->text, s + j, n - j, sizeof d->text);
		if (!parse_date(s + j, n - j, d->date))
			d->date[0] = '\0';
		d->col = col_at(s, j);
	}
}

/* The field that starts s[0..n) after markup, with its colon: "Classified
 * By:", "Derived From:", "Declassify On:", "Dated:", "Reason:"; 0 when
 * none, else the offset of the field's name. */
static const char *const fields[] = { "CLASSIFIED BY", "DERIVED FROM",
	"DECLASSIFY ON", "DATED", "REASON" };

static int
authority_field(const char *s, size_t n, size_t *at)
{
	size_t i = markup_prefix(s, n), k, c;

	/* Written as a field: a capital, then the colon ("Classified By:"),
	 * never the middle of a sentence ("classified by the ministry"). */
	if (i >= n || !tl_isupper((unsigned char)s[i]))
		return -1;
	for (k = 0; k < sizeof fields / sizeof fields[0]; k++) {
		size_t m = strlen(fields[k]);
		if (n - i < m || !tl_iprefix(s + i, n - i, fields[k]))
			continue;
		c = skip_ws(s, n, i + m);
		if (c < n && s[c] == ':') {
			*at = i;
			return (int)k;
		}
	}
	return -1;
}

bool
tlp_authority_line_ahead(tl_parser *p, const linebuf *L)
{
	size_t at;
	int k;

	if (!L->complete || L->nul)
		return false;
	k = authority_field(L->s, L->n, &at);
	/* Dated and Reason only inside a block begun by the others. */
	return k >= 0 && (k <= 2 || p->hctx == HCTX_AUTHORITY);
}

tl_status
tlp_authority_line(tl_parser *p, const linebuf *L)
{
	const char *s = L->s;
	size_t n = L->n, at = 0;
	int k = authority_field(s, n, &at);
	tl_line_role role = TL_LINE_AUTHORITY;

	switch (k) {
	case 0: /* Classified By */
	case 1: /* Derived From */
		if (p->doc.authority.line == 0) {
			p->doc.authority.line = L->number;
			p->doc.authority.col = col_at(s, at);
			tlp_parse_classified_by(&p->doc.authority, s + at, n - at);
		}
		break;
	case 2: /* Declassify On */
		tlp_parse_eo(p, s, n, L->number);
		role = TL_LINE_DECL;
		break;
	case 4: /* Reason */
		if (p->doc.authority.nreasons == 0)
			tlp_parse_reasons(&p->doc.authority, s + at, n - at);
		break;
	default: /* Dated */
		break;
	}
	p->hctx = HCTX_AUTHORITY;
	return tlp_emit_line(p, role, L->number, 0, s, n, L->eol, L->eol_len,
	    true, true);
}
