#include "report/json_writer.h"

#include <stdbool.h>
#include <string.h>

void ct_json_init(struct ct_json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->len = 0;
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
	j->after_name = false;
}

static void flush(struct ct_json *j)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, j->out);
	j->len = 0;
}

/* Room for n more bytes (n <= CT_JSON_BUF). */
static char *room(struct ct_json *j, size_t n)
{
	if (j->len + n > sizeof(j->buf))
		flush(j);
	return j->buf + j->len;
}

static void put_char(struct ct_json *j, char c)
{
	*room(j, 1) = c;
	j->len++;
}

static void put_bytes(struct ct_json *j, const char *s, size_t n)
{
	while (n) {
		size_t k = n < sizeof(j->buf) ? n : sizeof(j->buf);
		memcpy(room(j, k), s, k);
		j->len += k;
		s += k;
		n -= k;
	}
}

static void put_text(struct ct_json *j, const char *s)
{
	put_bytes(j, s, strlen(s));
}

static void indent(struct ct_json *j)
{
	if (!j->pretty)
		return;
	put_char(j, '\n');
	for (int i = 0; i < j->depth; i++)
		put_bytes(j, "  ", 2);
}

/* Separator before a new value or name at the current level. */
static void begin_value(struct ct_json *j)
{
	if (j->after_name) {
		j->after_name = false;
		return;
	}
	if (!j->first[j->depth])
		put_char(j, ',');
	if (j->depth > 0)
		indent(j);
	j->first[j->depth] = false;
}

/* One byte of a string as JSON has it: at most 6 bytes at p; how many. */
static size_t escape(unsigned char c, char *p)
{
	static const char hex[] = "0123456789abcdef";
	const char *two = NULL;
	switch (c) {
	case '"': two = "\\\""; break;
	case '\\': two = "\\\\"; break;
	case '\n': two = "\\n"; break;
	case '\r': two = "\\r"; break;
	case '\t': two = "\\t"; break;
	default:
		/* Control bytes and non-ASCII (dump strings are not guaranteed
		 * UTF-8) are escaped. */
		if (c >= 0x20 && c < 0x7f) {
			*p = (char)c;
			return 1;
		}
		memcpy(p, "\\u00", 4);
		p[4] = hex[c >> 4];
		p[5] = hex[c & 15];
		return 6;
	}
	memcpy(p, two, 2);
	return 2;
}

/* Printable ASCII but the quote and the backslash: copied as is. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void put_string(struct ct_json *j, const char *s)
{
	put_char(j, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		/* Runs that need no escaping go in one copy (a million listed
		 * entries are tens of millions of such bytes). */
		const unsigned char *run = p;
		while (plain(*p))
			p++;
		if (p > run)
			put_bytes(j, (const char *)run, (size_t)(p - run));
		if (*p) {
			char *d = room(j, 6);
			j->len += escape(*p++, d);
		}
	}
	put_char(j, '"');
}

/* v in decimal. */
static void put_u64(struct ct_json *j, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_bytes(j, tmp + sizeof(tmp) - n, n);
}

void ct_json_name(struct ct_json *j, const char *name)
{
	begin_value(j);
	put_string(j, name);
	put_text(j, j->pretty ? ": " : ":");
	j->after_name = true;
}

static void open_level(struct ct_json *j, char c)
{
	begin_value(j);
	put_char(j, c);
	if (j->depth + 1 < CT_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct ct_json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	put_char(j, c);
}

void ct_json_start_object(struct ct_json *j) { open_level(j, '{'); }
void ct_json_end_object(struct ct_json *j) { close_level(j, '}'); }
void ct_json_start_array(struct ct_json *j) { open_level(j, '['); }
void ct_json_end_array(struct ct_json *j) { close_level(j, ']'); }

void ct_json_string(struct ct_json *j, const char *s)
{
	begin_value(j);
	put_string(j, s ? s : "");
}

void ct_json_u64(struct ct_json *j, uint64_t v)
{
	begin_value(j);
	put_u64(j, v);
}

void ct_json_i64(struct ct_json *j, int64_t v)
{
	begin_value(j);
	if (v < 0)
		put_char(j, '-');
	/* -INT64_MIN does not fit an int64_t; its magnitude fits a uint64_t. */
	put_u64(j, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void ct_json_bool(struct ct_json *j, bool v)
{
	begin_value(j);
	put_text(j, v ? "true" : "false");
}

void ct_json_null(struct ct_json *j)
{
	begin_value(j);
	put_text(j, "null");
}

void ct_json_addr(struct ct_json *j, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char s[20] = "\"0x";
	for (int i = 0; i < 16; i++)
		s[3 + i] = hex[(v >> (60 - 4 * i)) & 15];
	s[19] = '"';
	begin_value(j);
	put_bytes(j, s, sizeof(s));
}

void ct_json_kv_string(struct ct_json *j, const char *n, const char *s)
{
	ct_json_name(j, n);
	ct_json_string(j, s);
}

void ct_json_kv_u64(struct ct_json *j, const char *n, uint64_t v)
{
	ct_json_name(j, n);
	ct_json_u64(j, v);
}

void ct_json_kv_i64(struct ct_json *j, const char *n, int64_t v)
{
	ct_json_name(j, n);
	ct_json_i64(j, v);
}

void ct_json_kv_bool(struct ct_json *j, const char *n, bool v)
{
	ct_json_name(j, n);
	ct_json_bool(j, v);
}

void ct_json_kv_addr(struct ct_json *j, const char *n, uint64_t v)
{
	ct_json_name(j, n);
	ct_json_addr(j, v);
}

void ct_json_kv_u64_or_null(struct ct_json *j, const char *n, bool known,
			    uint64_t v)
{
	ct_json_name(j, n);
	if (known)
		ct_json_u64(j, v);
	else
		ct_json_null(j);
}

void ct_json_kv_i64_or_null(struct ct_json *j, const char *n, bool known,
			    int64_t v)
{
	ct_json_name(j, n);
	if (known)
		ct_json_i64(j, v);
	else
		ct_json_null(j);
}

void ct_json_kv_string_or_null(struct ct_json *j, const char *n, const char *s)
{
	ct_json_name(j, n);
	if (s && *s)
		ct_json_string(j, s);
	else
		ct_json_null(j);
}

void ct_json_finish(struct ct_json *j)
{
	put_char(j, '\n');
	flush(j);
	fflush(j->out);
}
