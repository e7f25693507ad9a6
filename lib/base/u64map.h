/* u64map.h — an open-addressing map from u64 keys to one or a few u64
 * values, or a set of u64.
 *
 * Linear probing in a power-of-two table kept at most half full, grown by
 * doubling; Fibonacci hashing (the key times 2^64 / phi, its top bits), so
 * keys in arithmetic progression, as slab objects are, fall at a nearly
 * constant stride: walks in address order probe in a pattern the caches
 * follow. A key's values sit in its slot: a lookup touches one cache line.
 * Every key is storable, 0 included (held beside the table, whose empty
 * slots are 0). A hard cap on the keys (max, given at init) keeps a
 * corrupt dump from making it as big as it likes: an insert past it fails,
 * as one out of memory does, and the map is left as it was. Nothing walks
 * the table: lookups only, so its order never shows.
 */
#ifndef CTLEAK_BASE_U64MAP_H
#define CTLEAK_BASE_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CT_U64MAP_MAX_WORDS 3   /* values per key at most */

struct ct_u64map {
	uint64_t *slots;        /* cap slots of 1 + words u64: the key, then its values */
	size_t cap;             /* slots, a power of two (0: nothing allocated) */
	size_t n;               /* keys held, key 0 included */
	size_t max;             /* the most keys it ever holds */
	unsigned words;         /* values per key: 0 for a set */
	unsigned bits;          /* cap is 1 << bits */
	bool has_zero;          /* key 0 is held, its values in zero_vals */
	uint64_t zero_vals[CT_U64MAP_MAX_WORDS];
};

enum ct_u64map_insert {
	CT_U64MAP_ADDED,        /* the key is new */
	CT_U64MAP_EXISTS,       /* the key was there: its values are left as they were */
	CT_U64MAP_FULL,         /* max keys held already: not added */
	CT_U64MAP_NOMEM,        /* out of memory: not added */
};

/* An empty map of one value per key, a set, or a map of words values per
 * key (1..CT_U64MAP_MAX_WORDS, clamped), of at most max keys. Nothing is allocated
 * before the first insert. A zeroed struct holds nothing and takes nothing. */
void ct_u64map_init(struct ct_u64map *m, size_t max);
void ct_u64set_init(struct ct_u64map *m, size_t max);
void ct_u64map_init_words(struct ct_u64map *m, size_t max, unsigned words);

/* Add key with the value val (a set ignores it; a map of several values
 * gets val first, then zeros). */
enum ct_u64map_insert ct_u64map_insert(struct ct_u64map *m, uint64_t key, uint64_t val);
/* Add key with the map's words values from vals (NULL for a set; not
 * inside the map itself). */
enum ct_u64map_insert ct_u64map_insert_words(struct ct_u64map *m, uint64_t key,
					     const uint64_t *vals);
/* Is key held? *val (if val is not NULL) gets its first value, 0 in a set. */
bool ct_u64map_lookup(const struct ct_u64map *m, uint64_t key, uint64_t *val);
/* The values of key, NULL when it is not held (or the map is a set); good
 * until the next insert. */
const uint64_t *ct_u64map_values(const struct ct_u64map *m, uint64_t key);
/* Ask the CPU to fetch key's first slot now, for a lookup soon after: a
 * walk that knows its next keys overlaps their cache misses. */
void ct_u64map_prefetch(const struct ct_u64map *m, uint64_t key);
/* Room for n keys without growing again: false when n > max or out of memory. */
bool ct_u64map_reserve(struct ct_u64map *m, size_t n);
size_t ct_u64map_size(const struct ct_u64map *m);
/* Empty again, memory released; still the same kind of map, of the same max. */
void ct_u64map_free(struct ct_u64map *m);

#endif
