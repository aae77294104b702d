/*
 * util.c: status names, diagnostics, the capped growable buffer and small
 * text helpers that every stage uses.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
tl_version(void)
{
	return TEARLINE_VERSION;
}

const char *
tl_strerror(tl_status status)
{
	switch (status) {
	case TL_OK: return "success";
	case TL_ENOMEM: return "out of memory";
	case TL_EIO: return "input/output error";
	case TL_ELIMIT: return "input exceeds a size limit";
	case TL_ESYNTAX: return "malformed input";
	case TL_EPOLICY: return "invalid policy";
	case TL_EUSAGE: return "invalid argument";
	case TL_ECRYPTO: return "unusable key";
	case TL_EVERIFY: return "verification failed";
	case TL_EEXIST: return "output exists";
	case TL_EINTR: return "interrupted";
	case TL_ENOTFOUND: return "not found";
	}
	return "unknown status";
}

const char *
tl_severity_name(tl_severity severity)
{
	switch (severity) {
	case TL_SEV_WARNING: return "warning";
	case TL_SEV_NOTE: return "note";
	case TL_SEV_ERROR: break;
	}
	return "error";
}

size_t
tl_diag_format(const tl_diag *d, char *buf, size_t size)
{
	char pos[64] = "";
	int n;

	if (d->line && d->col)
		snprintf(pos, sizeof pos, ":%lu:%lu", d->line, d->col);
	else if (d->line)
		snprintf(pos, sizeof pos, ":%lu", d->line);
	n = snprintf(buf, size, "%s%s%s%s: %s%s%s%s",
	    d->file, pos, d->file[0] || pos[0] ? ": " : "",
	    tl_severity_name(d->severity), d->message,
	    d->rule[0] ? " [" : "", d->rule, d->rule[0] ? "]" : "");
	return n < 0 ? 0 : (size_t)n;
}

tl_status
tl_diag_vset(tl_diag *d, tl_status status, tl_severity sev, const char *file,
    unsigned long line, unsigned long col, const char *rule, const char *fmt,
    va_list ap)
{
	if (d == NULL)
		return status;
	memset(d, 0, sizeof *d);
	d->status = status;
	d->severity = sev;
	d->line = line;
	d->col = col;
	if (file)
		tl_strlcpy(d->file, file, strlen(file), sizeof d->file);
	if (rule)
		tl_strlcpy(d->rule, rule, strlen(rule), sizeof d->rule);
	vsnprintf(d->message, sizeof d->message, fmt, ap);
	return status;
}

tl_status
tl_diag_set(tl_diag *d, tl_status status, tl_severity sev, const char *file,
    unsigned long line, unsigned long col, const char *rule, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	tl_diag_vset(d, status, sev, file, line, col, rule, fmt, ap);
	va_end(ap);
	return status;
}

void
tl_strlcpy(char *dst, const char *src, size_t len, size_t size)
{
	if (size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Grows to hold `need` bytes plus the NUL; doubles so that appends are
 * amortized O(1).  Leaves the buffer untouched on failure. */
static tl_status
buf_reserve(tl_buf *b, size_t need)
{
	size_t limit = b->limit ? b->limit : TL_BUF_DEFAULT_LIMIT;
	size_t cap;
	char *p;

	if (need > limit)
		return TL_ELIMIT;
	if (need + 1 <= b->cap)
		return TL_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need + 1)
		cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return TL_ENOMEM;
	b->data = p;
	b->cap = cap;
	return TL_OK;
}

tl_status
tl_buf_grow_append(tl_buf *b, const void *bytes, size_t len)
{
	tl_status st;

	if (len > SIZE_MAX - b->len - 1)
		return TL_ELIMIT;
	if ((st = buf_reserve(b, b->len + len)) != TL_OK)
		return st;
	if (len)
		memcpy(b->data + b->len, bytes, len);
	b->len += len;
	b->data[b->len] = '\0';
	return TL_OK;
}

tl_status
tl_buf_printf(tl_buf *b, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return TL_ELIMIT;
	return tl_buf_append(b, tmp, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if the
 * bytes there are not one.  Rejects overlongs, surrogates, > U+10FFFF. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

size_t
tl_utf8_decode(const char *s, size_t len, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = len > 0 ? utf8_seq(u, len) : 0, i;

	if (k == 0)
		return 0;
	*cp = k == 1 ? u[0] : u[0] & (0x7fu >> k);
	for (i = 1; i < k; i++)
		*cp = *cp << 6 | (u[i] & 0x3fu);
	return k;
}

/* Bytes of ASCII at the start of s[0..len), eight at a time. */
static size_t
ascii_run(const unsigned char *u, size_t len)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, u + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
	}
	while (i < len && u[i] < 0x80)
		i++;
	return i;
}

size_t
tl_utoa(unsigned long long v, char *out)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324252627282930"
	    "31323334353637383940414243444546474849505152535455565758596061"
	    "6263646566676869707172737475767778798081828384858687888990919293"
	    "949596979899";
	unsigned long long t;
	size_t len = 1;
	char *o;

	for (t = v; t >= 10; t /= 10)
		len++;
	/* From the last digit, two at a time. */
	o = out + len;
	while (v >= 100) {
		o -= 2;
		memcpy(o, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		o -= 2;
		memcpy(o, pairs + 2 * v, 2);
	} else {
		*--o = (char)('0' + v);
	}
	return len;
}

/* Eight bytes at a time.  Per word:
 * (x - ones) & ~x has a high bit set exactly when some byte of x is 0
 * (x = w ^ '"' and w ^ '\\'), (w - 0x20 * ones) & ~w when some byte is
 * below 0x20; w itself for a byte from 0x80. */
size_t
tl_json_plain_run(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
	size_t i = 0;
	uint64_t w, q, b;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, u + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		if ((w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) |
		    ((b - ones) & ~b)) & highs)
			break;
	}
	while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' &&
	    u[i] != '\\')
		i++;
	return i;
}

size_t
tl_utf8_check(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < len) {
		if (u[i] < 0x80) {
			i += ascii_run(u + i, len - i);
			continue;
		}
		if ((k = utf8_seq(u + i, len - i)) == 0)
			return i;
		i += k;
	}
	return len;
}

unsigned long
tl_utf8_width(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long w = 0;
	size_t i = 0, k;

	while (i < len) {
		if (u[i] < 0x80) {
			k = ascii_run(u + i, len - i);
			i += k;
			w += k;
			continue;
		}
		k = utf8_seq(u + i, len - i);
		i += k ? k : 1;
		w++;
	}
	return w;
}

tl_status
tl_buf_json_str(tl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	tl_status st = tl_buf_putc(b, '"');
	size_t i = 0, run, k;

	while (st == TL_OK && i < len) {
		/* Copy the longest run that needs no escaping in one call. */
		run = i + tl_json_plain_run(s + i, len - i);
		if (run > i) {
			st = tl_buf_append(b, s + i, run - i);
			i = run;
			continue;
		}
		if (u[i] >= 0x80) {
			k = utf8_seq(u + i, len - i);
			if (k) {
				st = tl_buf_append(b, s + i, k);
				i += k;
			} else {
				st = tl_buf_puts(b, "\xef\xbf\xbd");
				i++;
			}
			continue;
		}
		switch (u[i]) {
		case '"': st = tl_buf_puts(b, "\\\""); break;
		case '\\': st = tl_buf_puts(b, "\\\\"); break;
		case '\n': st = tl_buf_puts(b, "\\n"); break;
		case '\r': st = tl_buf_puts(b, "\\r"); break;
		case '\t': st = tl_buf_puts(b, "\\t"); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[u[i] >> 4],
				hex[u[i] & 15] };
			st = tl_buf_append(b, esc, sizeof esc);
		}
		}
		i++;
	}
	return st == TL_OK ? tl_buf_putc(b, '"') : st;
}

void
tl_buf_reset(tl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
tl_buf_free(tl_buf *b)
{
	size_t limit = b->limit;

	free(b->data);
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

bool
tl_ieq(const char *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || tl_toupper((unsigned char)s[i]) !=
		    tl_toupper((unsigned char)lit[i]))
			return false;
	return lit[len] == '\0';
}

bool
tl_iprefix(const char *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; lit[i]; i++)
		if (i >= len || tl_toupper((unsigned char)s[i]) !=
		    tl_toupper((unsigned char)lit[i]))
			return false;
	return true;
}
