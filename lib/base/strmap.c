#include "base/strmap.h"
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

struct slot {
	char *key; /* NULL: empty */
	size_t keylen;
	uint64_t hash;
	struct ct_strmap_value v;
};

/* Keys live in large chunks, not one malloc each: a vmlinux index holds
 * hundreds of thousands of them. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct ct_strmap {
	struct slot *slots;
	size_t cap, count;
	struct chunk *chunks;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

struct ct_strmap *ct_strmap_new(void)
{
	struct ct_strmap *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->cap = 1024;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void ct_strmap_free(struct ct_strmap *m)
{
	if (!m)
		return;
	for (struct chunk *c = m->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(m->slots);
	free(m);
}

static char *store_key(struct ct_strmap *m, const char *key, size_t n)
{
	struct chunk *c = m->chunks;
	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > 65536 ? n + 1 : 65536;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	char *p = c->data + c->used;
	memcpy(p, key, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

static struct slot *find_slot(struct slot *slots, size_t cap, const char *key,
			      size_t n, uint64_t h)
{
	size_t i = h & (cap - 1);
	for (;;) {
		struct slot *s = &slots[i];
		if (!s->key || (s->hash == h && s->keylen == n &&
				memcmp(s->key, key, n) == 0))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

/* The table rebuilt at cap slots (a power of two above count * 4 / 3). */
static int rehash(struct ct_strmap *m, size_t cap)
{
	struct slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find_slot(slots, cap, m->slots[i].key,
				   m->slots[i].keylen, m->slots[i].hash) =
				m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

static int grow(struct ct_strmap *m)
{
	return rehash(m, m->cap * 2);
}

int ct_strmap_reserve(struct ct_strmap *m, size_t n)
{
	if (n > SIZE_MAX / 8 / sizeof(struct slot))
		return -1;
	size_t cap = m->cap;
	while (n * 4 > cap * 3)
		cap *= 2;
	return cap == m->cap ? 0 : rehash(m, cap);
}

int ct_strmap_add(struct ct_strmap *m, const char *key, size_t n,
		  struct ct_strmap_value v)
{
	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0)
		return -1;
	uint64_t h = fnv1a(key, n);
	struct slot *s = find_slot(m->slots, m->cap, key, n, h);
	if (s->key)
		return 0;
	char *copy = store_key(m, key, n);
	if (!copy)
		return -1;
	*s = (struct slot){ copy, n, h, v };
	m->count++;
	return 1;
}

const struct ct_strmap_value *ct_strmap_get(const struct ct_strmap *m,
					    const char *key, size_t n)
{
	struct slot *s = find_slot(m->slots, m->cap, key, n, fnv1a(key, n));
	return s->key ? &s->v : NULL;
}

size_t ct_strmap_count(const struct ct_strmap *m)
{
	return m->count;
}

int ct_strmap_add_joined(struct ct_strmap *m, const char *prefix, const char *name,
			 struct ct_strmap_value v)
{
	char key[CT_STRMAP_JOINED_MAX];
	int n = snprintf(key, sizeof(key), "%s%s", prefix, name);
	if (n < 0 || (size_t)n >= sizeof(key))
		return 0;
	return ct_strmap_add(m, key, (size_t)n, v) < 0 ? -1 : 0;
}
