/* u64map.c — open addressing, linear probing, Fibonacci hashing (u64map.h). */
#include "base/u64map.h"

#include <stdlib.h>

#include "base/huge_alloc.h"
#include <string.h>

#define FIRST_BITS 6            /* 64 slots at first */

static void init(struct ct_u64map *m, size_t max, unsigned words)
{
	*m = (struct ct_u64map){ .max = max, .words = words };
}

void ct_u64map_init(struct ct_u64map *m, size_t max)
{
	init(m, max, 1);
}

void ct_u64set_init(struct ct_u64map *m, size_t max)
{
	init(m, max, 0);
}

void ct_u64map_init_words(struct ct_u64map *m, size_t max, unsigned words)
{
	init(m, max, words < 1 ? 1 : words > CT_U64MAP_MAX_WORDS ? CT_U64MAP_MAX_WORDS : words);
}

/* The bytes of m's table (on huge pages when large: huge_alloc.h). */
static size_t table_bytes(const struct ct_u64map *m)
{
	return m->cap * (1 + m->words) * sizeof(uint64_t);
}

/* The slot of key (not 0) in a table of 1 << bits slots of stride words:
 * where it is, or the empty one where it would go. */
/* key's first slot in a table of 1 << bits slots. */
static inline size_t home(unsigned bits, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

static inline size_t probe_in(const uint64_t *slots, unsigned bits, unsigned stride, uint64_t key)
{
	size_t mask = ((size_t)1 << bits) - 1;
	size_t j = home(bits, key);
	while (slots[j * stride] && slots[j * stride] != key)
		j = (j + 1) & mask;
	return j;
}

/* The same, made for each stride (a constant there): lookups are the
 * walker's hottest path. */
static size_t probe(const uint64_t *slots, unsigned bits, unsigned stride, uint64_t key)
{
	switch (stride) {
	case 1: return probe_in(slots, bits, 1, key);
	case 2: return probe_in(slots, bits, 2, key);
	case 3: return probe_in(slots, bits, 3, key);
	default: return probe_in(slots, bits, 4, key);
	}
}

void ct_u64map_prefetch(const struct ct_u64map *m, uint64_t key)
{
	if (!m->cap || !key)
		return;
	__builtin_prefetch(&m->slots[home(m->bits, key) * (1 + m->words)]);
}

/* The slot holding key (not 0), or NULL. */
static uint64_t *find(const struct ct_u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	unsigned stride = 1 + m->words;
	uint64_t *slot = &m->slots[probe(m->slots, m->bits, stride, key) * stride];
	return *slot ? slot : NULL;
}

/* Keys in the table proper (key 0 is held beside it). */
static size_t in_table(const struct ct_u64map *m)
{
	return m->n - m->has_zero;
}

/* The table grown to 1 << bits slots. */
static bool rehash(struct ct_u64map *m, unsigned bits)
{
	unsigned stride = 1 + m->words;
	size_t cap = (size_t)1 << bits;
	if (cap > SIZE_MAX / (stride * sizeof(uint64_t)))
		return false;
	uint64_t *slots = ct_huge_calloc(cap * stride * sizeof(uint64_t));
	if (!slots)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		const uint64_t *old = &m->slots[i * stride];
		if (old[0])
			memcpy(&slots[probe(slots, bits, stride, old[0]) * stride], old,
			       stride * sizeof(uint64_t));
	}
	ct_huge_free(m->slots, table_bytes(m));
	m->slots = slots;
	m->cap = cap;
	m->bits = bits;
	return true;
}

bool ct_u64map_reserve(struct ct_u64map *m, size_t n)
{
	if (n > m->max)
		return false;
	if (n <= m->cap / 2)
		return true;
	unsigned bits = m->cap ? m->bits : FIRST_BITS;
	while (((size_t)1 << bits) / 2 < n) {
		if (bits + 1 >= sizeof(size_t) * 8)
			return false;
		bits++;
	}
	return rehash(m, bits);
}

enum ct_u64map_insert ct_u64map_insert_words(struct ct_u64map *m, uint64_t key,
					     const uint64_t *vals)
{
	if (key == 0 ? m->has_zero : find(m, key) != NULL)
		return CT_U64MAP_EXISTS;
	if (m->n >= m->max)
		return CT_U64MAP_FULL;
	uint64_t *to = m->zero_vals;
	if (key == 0) {
		m->has_zero = true;
	} else {
		if (!ct_u64map_reserve(m, in_table(m) + 1))
			return CT_U64MAP_NOMEM;
		unsigned stride = 1 + m->words;
		uint64_t *slot = &m->slots[probe(m->slots, m->bits, stride, key) * stride];
		slot[0] = key;
		to = slot + 1;
	}
	if (m->words)
		memcpy(to, vals, m->words * sizeof(uint64_t));
	m->n++;
	return CT_U64MAP_ADDED;
}

enum ct_u64map_insert ct_u64map_insert(struct ct_u64map *m, uint64_t key, uint64_t val)
{
	uint64_t vals[CT_U64MAP_MAX_WORDS] = { val };
	return ct_u64map_insert_words(m, key, vals);
}

const uint64_t *ct_u64map_values(const struct ct_u64map *m, uint64_t key)
{
	if (!m->words)
		return NULL;
	if (key == 0)
		return m->has_zero ? m->zero_vals : NULL;
	const uint64_t *slot = find(m, key);
	return slot ? slot + 1 : NULL;
}

bool ct_u64map_lookup(const struct ct_u64map *m, uint64_t key, uint64_t *val)
{
	const uint64_t *vals = m->zero_vals;
	if (key == 0) {
		if (!m->has_zero)
			return false;
	} else {
		const uint64_t *slot = find(m, key);
		if (!slot)
			return false;
		vals = slot + 1;
	}
	if (val)
		*val = m->words ? vals[0] : 0;
	return true;
}

size_t ct_u64map_size(const struct ct_u64map *m)
{
	return m->n;
}

void ct_u64map_free(struct ct_u64map *m)
{
	ct_huge_free(m->slots, table_bytes(m));
	init(m, m->max, m->words);
}
