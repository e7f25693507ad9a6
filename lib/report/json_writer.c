#include "report/json_writer.h"

#include <inttypes.h>

void ct_json_init(struct ct_json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->pretty = pretty;
	j->depth = 0;
	j->first[0] = true;
	j->after_name = false;
}

static void indent(struct ct_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Separator before a new value or name at the current level. */
static void begin_value(struct ct_json *j)
{
	if (j->after_name) {
		j->after_name = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	if (j->depth > 0)
		indent(j);
	j->first[j->depth] = false;
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			/* Control bytes and non-ASCII (dump strings are not
			 * guaranteed UTF-8) are escaped. */
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

void ct_json_name(struct ct_json *j, const char *name)
{
	begin_value(j);
	put_string(j->out, name);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_name = true;
}

static void open_level(struct ct_json *j, char c)
{
	begin_value(j);
	fputc(c, j->out);
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
	fputc(c, j->out);
}

void ct_json_start_object(struct ct_json *j) { open_level(j, '{'); }
void ct_json_end_object(struct ct_json *j) { close_level(j, '}'); }
void ct_json_start_array(struct ct_json *j) { open_level(j, '['); }
void ct_json_end_array(struct ct_json *j) { close_level(j, ']'); }

void ct_json_string(struct ct_json *j, const char *s)
{
	begin_value(j);
	put_string(j->out, s ? s : "");
}

void ct_json_u64(struct ct_json *j, uint64_t v)
{
	begin_value(j);
	fprintf(j->out, "%" PRIu64, v);
}

void ct_json_i64(struct ct_json *j, int64_t v)
{
	begin_value(j);
	fprintf(j->out, "%" PRId64, v);
}

void ct_json_bool(struct ct_json *j, bool v)
{
	begin_value(j);
	fputs(v ? "true" : "false", j->out);
}

void ct_json_null(struct ct_json *j)
{
	begin_value(j);
	fputs("null", j->out);
}

void ct_json_addr(struct ct_json *j, uint64_t v)
{
	begin_value(j);
	fprintf(j->out, "\"0x%016" PRIx64 "\"", v);
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
	fputc('\n', j->out);
	fflush(j->out);
}
