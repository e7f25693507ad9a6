/* minijson.h — the smallest JSON reader the C tests need: parse a whole
 * document into a tree, look up keys and indices. Only for tests: ctleak's
 * own JSON and the guest's truth.json. Numbers keep their integer value
 * when they have one. NULL (never a crash) on malformed input. */
#ifndef CTLEAK_TEST_MINIJSON_H
#define CTLEAK_TEST_MINIJSON_H

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	bool b;
	int64_t i;              /* J_NUM: the integer value (truncated) */
	char *s;                /* J_STR */
	size_t n;               /* J_ARR, J_OBJ: items */
	struct jv **items;
	char **keys;            /* J_OBJ */
};

struct jparse {
	const char *p, *end;
	int depth;
};

static void jfree(struct jv *v)
{
	if (!v)
		return;
	for (size_t k = 0; k < v->n; k++) {
		jfree(v->items[k]);
		if (v->keys)
			free(v->keys[k]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	free(v);
}

static void jskip(struct jparse *j)
{
	while (j->p < j->end && isspace((unsigned char)*j->p))
		j->p++;
}

static char *jstring(struct jparse *j)
{
	if (j->p >= j->end || *j->p != '"')
		return NULL;
	j->p++;
	size_t cap = 16, n = 0;
	char *s = malloc(cap);
	while (s && j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\' && j->p < j->end) {
			c = *j->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': /* \uXXXX: kept as '?' (tests compare ASCII) */
				j->p += j->end - j->p >= 4 ? 4 : j->end - j->p;
				c = '?';
				break;
			default: break; /* \" \\ \/ */
			}
		}
		if (n + 2 > cap) {
			char *t = realloc(s, cap *= 2);
			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
		s[n++] = c;
	}
	if (!s || j->p >= j->end) {
		free(s);
		return NULL;
	}
	j->p++;
	s[n] = '\0';
	return s;
}

static struct jv *jvalue(struct jparse *j);

static bool jpush(struct jv *v, struct jv *item, char *key)
{
	struct jv **items = realloc(v->items, (v->n + 1) * sizeof(*items));
	if (!items)
		return false;
	v->items = items;
	if (v->t == J_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));
		if (!keys)
			return false;
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return true;
}

static struct jv *jvalue(struct jparse *j)
{
	jskip(j);
	if (j->p >= j->end || j->depth > 64)
		return NULL;
	struct jv *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	char c = *j->p;
	if (c == '{' || c == '[') {
		v->t = c == '{' ? J_OBJ : J_ARR;
		char close = c == '{' ? '}' : ']';
		j->p++;
		j->depth++;
		jskip(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return v;
		}
		for (;;) {
			char *key = NULL;
			if (v->t == J_OBJ) {
				jskip(j);
				key = jstring(j);
				jskip(j);
				if (!key || j->p >= j->end || *j->p != ':') {
					free(key);
					goto bad;
				}
				j->p++;
			}
			struct jv *item = jvalue(j);
			if (!item || !jpush(v, item, key)) {
				jfree(item);
				free(key);
				goto bad;
			}
			jskip(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				j->depth--;
				return v;
			}
			goto bad;
		}
	}
	if (c == '"') {
		v->t = J_STR;
		if (!(v->s = jstring(j)))
			goto bad;
		return v;
	}
	if (j->end - j->p >= 4 && strncmp(j->p, "null", 4) == 0) {
		v->t = J_NULL;
		j->p += 4;
		return v;
	}
	if (j->end - j->p >= 4 && strncmp(j->p, "true", 4) == 0) {
		v->t = J_BOOL;
		v->b = true;
		j->p += 4;
		return v;
	}
	if (j->end - j->p >= 5 && strncmp(j->p, "false", 5) == 0) {
		v->t = J_BOOL;
		j->p += 5;
		return v;
	}
	if (c == '-' || isdigit((unsigned char)c)) {
		char *endp;
		v->t = J_NUM;
		v->i = strtoll(j->p, &endp, 10);
		if (endp == j->p)
			goto bad;
		j->p = endp;
		/* a fraction or an exponent: skipped (tests use integers) */
		while (j->p < j->end && strchr(".eE+-0123456789", *j->p))
			j->p++;
		return v;
	}
bad:
	jfree(v);
	return NULL;
}

/* The document in text[0..len), or NULL. */
static struct jv *jparse(const char *text, size_t len)
{
	struct jparse j = { text, text + len, 0 };
	struct jv *v = jvalue(&j);
	jskip(&j);
	if (v && j.p != j.end) {
		jfree(v);
		return NULL;
	}
	return v;
}

/* obj[key], or NULL (also when obj is NULL or not an object). */
static struct jv *jget(const struct jv *obj, const char *key)
{
	if (!obj || obj->t != J_OBJ)
		return NULL;
	for (size_t k = 0; k < obj->n; k++)
		if (strcmp(obj->keys[k], key) == 0)
			return obj->items[k];
	return NULL;
}

static struct jv *jat(const struct jv *arr, size_t k)
{
	return arr && (arr->t == J_ARR || arr->t == J_OBJ) && k < arr->n ? arr->items[k] : NULL;
}

static size_t jlen(const struct jv *v)
{
	return v && (v->t == J_ARR || v->t == J_OBJ) ? v->n : 0;
}

/* Integer value of obj[key]; def when absent, null or not a number. */
static int64_t jint(const struct jv *obj, const char *key, int64_t def)
{
	const struct jv *v = jget(obj, key);
	return v && v->t == J_NUM ? v->i : def;
}

static bool jisnull(const struct jv *obj, const char *key)
{
	const struct jv *v = jget(obj, key);
	return v && v->t == J_NULL;
}

/* obj[key] is the boolean b. */
static bool jistrue(const struct jv *obj, const char *key, bool b)
{
	const struct jv *v = jget(obj, key);
	return v && v->t == J_BOOL && v->b == b;
}

static const char *jstr(const struct jv *obj, const char *key)
{
	const struct jv *v = jget(obj, key);
	return v && v->t == J_STR ? v->s : "";
}

#endif
