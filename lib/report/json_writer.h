/* json_writer.h — a streaming JSON writer (the idea of bpftool's): output of
 * any size costs no memory, and nesting and commas are tracked for the
 * caller, who never prints JSON punctuation by hand. Text is gathered in
 * the writer's own buffer and reaches out in large writes (a million
 * entries are half a gigabyte of JSON: stdio's per-character calls and
 * printf cost more than the walk); ct_json_finish flushes it, and nothing
 * else may write to out in between. */
#ifndef CTLEAK_JSON_WRITER_H
#define CTLEAK_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CT_JSON_MAX_DEPTH 32
#define CT_JSON_BUF 32768

struct ct_json {
	FILE *out;
	size_t len;                    /* bytes in buf */
	char buf[CT_JSON_BUF];
	bool pretty;
	int depth;
	bool first[CT_JSON_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_name;
};

void ct_json_init(struct ct_json *j, FILE *out, bool pretty);
void ct_json_name(struct ct_json *j, const char *name);
void ct_json_start_object(struct ct_json *j);
void ct_json_end_object(struct ct_json *j);
void ct_json_start_array(struct ct_json *j);
void ct_json_end_array(struct ct_json *j);
void ct_json_string(struct ct_json *j, const char *s);
void ct_json_u64(struct ct_json *j, uint64_t v);
void ct_json_i64(struct ct_json *j, int64_t v);
void ct_json_bool(struct ct_json *j, bool v);
void ct_json_null(struct ct_json *j);
/* Kernel addresses as "0xffff..." strings: JSON numbers lose 64-bit precision
 * in most consumers. */
void ct_json_addr(struct ct_json *j, uint64_t v);

/* name + value in one call */
void ct_json_kv_string(struct ct_json *j, const char *name, const char *s);
void ct_json_kv_u64(struct ct_json *j, const char *name, uint64_t v);
void ct_json_kv_i64(struct ct_json *j, const char *name, int64_t v);
void ct_json_kv_bool(struct ct_json *j, const char *name, bool v);
void ct_json_kv_addr(struct ct_json *j, const char *name, uint64_t v);

/* The value, or null when !known (JSON's "no such thing / unknown"). */
void ct_json_kv_u64_or_null(struct ct_json *j, const char *name, bool known,
			    uint64_t v);
void ct_json_kv_i64_or_null(struct ct_json *j, const char *name, bool known,
			    int64_t v);
/* The string, or null when it is empty. */
void ct_json_kv_string_or_null(struct ct_json *j, const char *name,
			       const char *s);

/* Ends the document with a newline. */
void ct_json_finish(struct ct_json *j);

#endif
