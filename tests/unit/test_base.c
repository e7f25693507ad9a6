/* test_base.c — the shared containers of lib/base: the bounded vector
 * (caps, doubling, failures that leave it as it was), the u64 map and set
 * (collisions, growth, several values, key 0, the cap) and the chain step (Brent's cycle
 * check against the walker's former copy, cycles of every length at every
 * offset, the step limit). */
#include <stdint.h>
#include <stdlib.h>

#include "base/chain.h"
#include "base/u64map.h"
#include "base/vec.h"
#include "harness.h"

struct pair {
	uint64_t a, b;
};

static void test_vec_growth(void)
{
	struct ct_vec v = CT_VEC_INIT(uint64_t, 1u << 20);
	unsigned grows = 0;
	size_t cap = 0;
	bool ok = true;
	for (uint64_t i = 0; i < 100000; i++) {
		ok &= CT_VEC_PUSH(&v, uint64_t, i * 3);
		if (v.cap != cap) {
			ok &= cap == 0 ? v.cap == CT_VEC_FIRST : v.cap == 2 * cap;
			cap = v.cap;
			grows++;
		}
	}
	CHECK(ok, "every push kept, capacity doubling from CT_VEC_FIRST");
	CHECK_EQ_U64(v.n, 100000, "elements");
	CHECK(grows <= 14, "doubling: %u allocations for 100000 elements", grows);
	bool same = true;
	for (uint64_t i = 0; i < v.n; i++)
		same &= CT_VEC_AT(&v, uint64_t, i) == i * 3;
	CHECK(same, "contents survive growth");
	ct_vec_clear(&v);
	CHECK(v.n == 0 && v.cap == cap && v.data, "clear keeps the memory");
	ct_vec_free(&v);
	CHECK(v.n == 0 && v.cap == 0 && !v.data && v.esize == 8, "free empties, keeps the kind");
	CHECK(CT_VEC_PUSH(&v, uint64_t, 7) && v.n == 1, "usable after free");
	ct_vec_free(&v);
}

static void test_vec_cap(void)
{
	struct ct_vec v;
	ct_vec_init(&v, sizeof(struct pair), 20);
	for (uint64_t i = 0; i < 20; i++)
		CHECK(CT_VEC_PUSH(&v, struct pair, i, ~i), "push %llu of 20", (unsigned long long)i);
	CHECK_EQ_U64(v.cap, 20, "capacity clamped to the cap");
	void *data = v.data;
	CHECK(!CT_VEC_PUSH(&v, struct pair, 99, 99), "push past the cap fails");
	CHECK(v.n == 20 && v.cap == 20 && v.data == data, "a failed push leaves the vector");
	CHECK(CT_VEC_AT(&v, struct pair, 19).b == ~19ull, "last element intact");
	CHECK(!ct_vec_reserve(&v, 21), "reserve past the cap fails");
	CHECK(ct_vec_reserve(&v, 20), "reserve within the capacity");
	CHECK(!ct_vec_push_sized(&v, &(uint64_t){ 1 }, sizeof(uint64_t)), "wrong element size refused");
	size_t n;
	struct pair *p = ct_vec_take(&v, &n);
	CHECK(p && n == 20 && p[3].a == 3, "take hands the array over");
	CHECK(!v.data && v.n == 0 && v.cap == 0, "take leaves the vector empty");
	free(p);
	CHECK(ct_vec_take(&v, &n) == NULL && n == 0, "take of an empty vector: NULL");

	struct ct_vec z;
	ct_vec_init(&z, 8, 0);
	CHECK(!CT_VEC_PUSH(&z, uint64_t, 1) && !z.data, "cap 0: nothing held, nothing allocated");
}

/* Sizes that would overflow fail without allocating (no OOM needed). */
static void test_vec_overflow(void)
{
	struct ct_vec v;
	ct_vec_init(&v, SIZE_MAX / 4, 64);
	CHECK(!ct_vec_push(&v, "x") && !v.data && v.cap == 0, "element bytes overflow: refused");
	ct_vec_init(&v, 8, SIZE_MAX);
	CHECK(!ct_vec_reserve(&v, SIZE_MAX / 2) && !v.data, "total bytes overflow: refused");
	CHECK(ct_vec_reserve(&v, 1000) && v.cap == 1024 && v.data, "reserve rounds up by doubling");
	void *data = v.data;
	for (uint64_t i = 0; i < 1000; i++)
		ct_vec_push(&v, &i);
	CHECK(v.data == data && v.cap == 1024, "pushes within a reservation do not move it");
	ct_vec_free(&v);
}

/* ct_grow on plain fields, as a public struct keeps them. */
static void test_grow(void)
{
	struct pair *xs = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;
	for (;;) {
		struct pair *p = ct_grow(xs, &cap, n, sizeof(*p), 100);
		if (!p)
			break;
		xs = p;
		xs[n] = (struct pair){ n, n * n };
		n++;
		ok &= cap >= n && cap <= 100;
	}
	CHECK(ok, "capacity within bounds");
	CHECK_EQ_U64(n, 100, "grows to the cap");
	CHECK_EQ_U64(cap, 100, "capacity clamped");
	CHECK(xs[99].b == 99 * 99 && xs[0].a == 0, "contents kept");
	CHECK(ct_grow(xs, &cap, n, sizeof(*xs), 100) == NULL && cap == 100, "at the cap: NULL");
	free(xs);
	size_t c = 0;
	CHECK(ct_grow(NULL, &c, 0, SIZE_MAX / 2, 10) == NULL && c == 0, "overflow: NULL");
}

/* The map's first slot of a key in 64 slots (Fibonacci hashing), to make
 * keys that share one (if the hash changes, they merely collide less). */
static unsigned slot64(uint64_t k)
{
	return (unsigned)((k * 0x9e3779b97f4a7c15ULL) >> 58);
}

static void test_map_collisions(void)
{
	struct ct_u64map m;
	ct_u64map_init(&m, 1000);
	uint64_t keys[24];
	unsigned nk = 0;
	for (uint64_t k = 1; nk < 24; k++)
		if (slot64(k) == 5)
			keys[nk++] = k;
	bool ok = true;
	for (unsigned i = 0; i < nk; i++)
		ok &= ct_u64map_insert(&m, keys[i], i + 100) == CT_U64MAP_ADDED;
	CHECK(ok, "24 keys of one slot added");
	CHECK_EQ_U64(m.cap, 64, "no growth under half full");
	ok = true;
	for (unsigned i = 0; i < nk; i++) {
		uint64_t v = 0;
		ok &= ct_u64map_lookup(&m, keys[i], &v) && v == i + 100;
	}
	CHECK(ok, "every colliding key found with its value");
	CHECK(!ct_u64map_lookup(&m, keys[nk - 1] + 1, NULL), "an absent key");
	/* Past half full: doubled, everything rehashed. */
	for (uint64_t k = 1; k <= 200; k++)
		ct_u64map_insert(&m, k << 32, k);
	CHECK_EQ_U64(ct_u64map_size(&m), 224, "size");
	CHECK(m.cap >= 2 * 224 && (m.cap & (m.cap - 1)) == 0, "cap %zu: a power of two, at most half full",
	      m.cap);
	ok = true;
	for (unsigned i = 0; i < nk; i++) {
		uint64_t v = 0;
		ok &= ct_u64map_lookup(&m, keys[i], &v) && v == i + 100;
	}
	for (uint64_t k = 1; k <= 200; k++) {
		uint64_t v = 0;
		ok &= ct_u64map_lookup(&m, k << 32, &v) && v == k;
	}
	CHECK(ok, "every key found after growth");
	CHECK(ct_u64map_insert(&m, keys[0], 7) == CT_U64MAP_EXISTS, "a second insert: exists");
	uint64_t v = 0;
	ct_u64map_lookup(&m, keys[0], &v);
	CHECK_EQ_U64(v, 100, "the first value stays");
	ct_u64map_free(&m);
	CHECK(ct_u64map_size(&m) == 0 && !ct_u64map_lookup(&m, keys[0], NULL), "free empties");
	CHECK(ct_u64map_insert(&m, 5, 6) == CT_U64MAP_ADDED, "usable after free");
	ct_u64map_free(&m);
}

/* Several values per key, in the key's slot. */
static void test_map_words(void)
{
	struct ct_u64map m;
	ct_u64map_init_words(&m, 100000, 3);
	bool ok = true;
	for (uint64_t i = 0; i < 50000; i++) {
		uint64_t obj = 0xffff888100000000ULL + 320 * i;
		ok &= ct_u64map_insert_words(&m, obj, (uint64_t[]){ obj + 1, obj + 2, i }) ==
		      CT_U64MAP_ADDED;
	}
	CHECK(ok, "50000 keys of three values");
	ok = true;
	for (uint64_t i = 0; i < 50000; i++) {
		uint64_t obj = 0xffff888100000000ULL + 320 * i, v = 0;
		const uint64_t *w = ct_u64map_values(&m, obj);
		ok &= w && w[0] == obj + 1 && w[1] == obj + 2 && w[2] == i;
		ok &= ct_u64map_lookup(&m, obj, &v) && v == obj + 1;
		ok &= !ct_u64map_values(&m, obj + 56);
	}
	CHECK(ok, "every key's values, the first by lookup; no neighbour invented");
	CHECK(ct_u64map_insert(&m, 0, 7) == CT_U64MAP_ADDED, "key 0, one value given");
	const uint64_t *z = ct_u64map_values(&m, 0);
	CHECK(z && z[0] == 7 && z[1] == 0 && z[2] == 0, "key 0's values: the one given, then zeros");
	ct_u64map_free(&m);
	CHECK(m.words == 3 && !ct_u64map_values(&m, 0), "free keeps the kind, drops the keys");

	struct ct_u64map s;
	ct_u64set_init(&s, 10);
	ct_u64map_insert_words(&s, 5, NULL);
	CHECK(ct_u64map_lookup(&s, 5, NULL) && !ct_u64map_values(&s, 5), "a set has no values");
	ct_u64map_free(&s);
}

static void test_map_many(void)
{
	struct ct_u64map s;
	ct_u64set_init(&s, 1u << 20);
	bool ok = true;
	/* Kernel-like addresses: one slab object every 320 bytes. */
	for (uint64_t i = 0; i < 100000; i++)
		ok &= ct_u64map_insert(&s, 0xffff888000000000ULL + 320 * i, 1) == CT_U64MAP_ADDED;
	CHECK(ok, "100000 addresses added");
	ok = true;
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t v = 9;
		ok &= ct_u64map_lookup(&s, 0xffff888000000000ULL + 320 * i, &v) && v == 0;
		ok &= !ct_u64map_lookup(&s, 0xffff888000000000ULL + 320 * i + 8, NULL);
	}
	CHECK(ok, "all found (a set's values read as 0), none invented");
	CHECK_EQ_U64(ct_u64map_size(&s), 100000, "set size");
	ct_u64map_free(&s);
}

static void test_map_zero_and_cap(void)
{
	struct ct_u64map m;
	ct_u64map_init(&m, 3);
	CHECK(!ct_u64map_lookup(&m, 0, NULL), "key 0 absent at first");
	CHECK(ct_u64map_insert(&m, 0, 42) == CT_U64MAP_ADDED, "key 0 storable");
	uint64_t v = 0;
	CHECK(ct_u64map_lookup(&m, 0, &v) && v == 42, "key 0 found with its value");
	CHECK(ct_u64map_insert(&m, 0, 43) == CT_U64MAP_EXISTS, "key 0 twice: exists");
	CHECK_EQ_U64(ct_u64map_size(&m), 1, "key 0 counts");
	CHECK(ct_u64map_insert(&m, 1, 1) == CT_U64MAP_ADDED, "key 1");
	CHECK(ct_u64map_insert(&m, 2, 2) == CT_U64MAP_ADDED, "key 2");
	CHECK(ct_u64map_insert(&m, 3, 3) == CT_U64MAP_FULL, "past the cap: full");
	CHECK(ct_u64map_insert(&m, 2, 9) == CT_U64MAP_EXISTS, "a held key when full: exists");
	CHECK(!ct_u64map_lookup(&m, 3, NULL) && ct_u64map_size(&m) == 3, "full: nothing added");
	CHECK(!ct_u64map_reserve(&m, 4), "reserve past the cap fails");
	ct_u64map_free(&m);
	CHECK(!ct_u64map_lookup(&m, 0, NULL), "key 0 gone after free");

	ct_u64map_init(&m, 2);
	CHECK(ct_u64map_insert(&m, 1, 1) == CT_U64MAP_ADDED, "key 1 of 2");
	CHECK(ct_u64map_insert(&m, 2, 2) == CT_U64MAP_ADDED, "key 2 of 2");
	CHECK(ct_u64map_insert(&m, 0, 0) == CT_U64MAP_FULL, "key 0 obeys the cap too");
	ct_u64map_free(&m);

	struct ct_u64map s;
	ct_u64set_init(&s, 10);
	CHECK(ct_u64map_insert(&s, 0, 5) == CT_U64MAP_ADDED, "set: key 0");
	v = 9;
	CHECK(ct_u64map_lookup(&s, 0, &v) && v == 0, "set: key 0 held, value 0");
	ct_u64map_free(&s);

	struct ct_u64map z = { 0 };
	CHECK(ct_u64map_insert(&z, 1, 1) == CT_U64MAP_FULL && !z.slots, "zeroed: holds nothing");
	CHECK(!ct_u64map_lookup(&z, 1, NULL) && !ct_u64map_lookup(&z, 0, NULL), "zeroed: lookups");
	ct_u64map_free(&z);

	ct_u64map_init(&m, SIZE_MAX);
	CHECK(!ct_u64map_reserve(&m, SIZE_MAX) && !m.slots, "slot count overflow: refused");
	CHECK(ct_u64map_reserve(&m, 1000) && m.cap == 2048, "reserve: twice the keys, a power of two");
	uint64_t *slots = m.slots;
	for (uint64_t k = 1; k <= 1000; k++)
		ct_u64map_insert(&m, k * 4096, k);
	CHECK(m.slots == slots, "inserts within a reservation do not move it");
	ct_u64map_free(&m);
}

/* The walker's former cycle check (walk_tables.c before lib/base): the
 * step at which it stopped a chain, 0 if it did not within max. */
static uint64_t old_check(const uint64_t *next_of, uint64_t first, uint64_t max)
{
	uint64_t node = first, tortoise = first, power = 1, lam = 0;
	for (uint64_t steps = 1; steps <= max; steps++) {
		uint64_t next = next_of[node];
		if (next == tortoise || next == node)
			return steps + 1; /* the node refused is the next one */
		if (++lam == power) {
			tortoise = next;
			power *= 2;
			lam = 0;
		}
		node = next;
	}
	return 0;
}

#define NODES 200

static void test_chain_cycles(void)
{
	uint64_t next_of[NODES];
	bool same = true, caught = true, bounded = true, right = true;
	for (uint64_t mu = 0; mu < 60; mu++) {
		for (uint64_t len = 1; mu + len < NODES; len++) {
			/* Nodes 0..mu+len-1: 0 -> 1 -> ... -> mu+len-1 -> mu. */
			for (uint64_t i = 0; i < mu + len; i++)
				next_of[i] = i + 1 < mu + len ? i + 1 : mu;
			struct ct_chain c;
			ct_chain_init(&c, UINT64_MAX);
			uint64_t node = 0, step = 0;
			enum ct_chain_step r = CT_CHAIN_OK;
			while (step < 10 * NODES && (r = ct_chain_step(&c, node)) == CT_CHAIN_OK) {
				step++;
				node = next_of[node];
			}
			caught &= r == CT_CHAIN_CYCLE;
			/* The refused node closes the loop: it follows last, in the cycle. */
			right &= node >= mu && next_of[c.last] == node && c.steps == step;
			bounded &= step <= 2 * mu + 3 * len;
			same &= old_check(next_of, 0, 10 * NODES) == step + 1;
		}
	}
	CHECK(caught, "every cycle caught (offsets 0..59, lengths 1..199)");
	CHECK(right, "the node refused closes the loop, last is its predecessor");
	CHECK(bounded, "caught within 2 * offset + 3 * length steps");
	CHECK(same, "caught at the very step the walker's former check caught it");
}

static void test_chain_limit(void)
{
	struct ct_chain c;
	ct_chain_init(&c, 5);
	bool ok = true;
	for (uint64_t i = 1; i <= 5; i++)
		ok &= ct_chain_step(&c, i * 64) == CT_CHAIN_OK;
	CHECK(ok, "a chain of exactly limit nodes");
	CHECK(ct_chain_step(&c, 6 * 64) == CT_CHAIN_TOO_LONG, "node limit + 1: too long");
	CHECK(c.last == 6 * 64 && c.steps == 6, "the refused node is last");

	/* A loop closing on node limit + 1: a cycle, not too long. */
	ct_chain_init(&c, 2);
	ct_chain_step(&c, 64);
	ct_chain_step(&c, 128);
	CHECK(ct_chain_step(&c, 128) == CT_CHAIN_CYCLE, "a cycle wins over the limit");
	CHECK(c.last == 128 && c.steps == 2, "a cycle leaves last and steps");

	ct_chain_init(&c, 0);
	CHECK(ct_chain_step(&c, 64) == CT_CHAIN_TOO_LONG, "limit 0: no node");
	ct_chain_init(&c, UINT64_MAX);
	ok = true;
	for (uint64_t i = 1; i <= 100000; i++)
		ok &= ct_chain_step(&c, i * 64) == CT_CHAIN_OK;
	CHECK(ok, "a long chain without a loop: no false cycle");
	ct_chain_init(&c, 10);
	CHECK(ct_chain_step(&c, 0) == CT_CHAIN_OK && ct_chain_step(&c, 0) == CT_CHAIN_CYCLE,
	      "node 0 is a node like any other");
}

int main(void)
{
	test_vec_growth();
	test_vec_cap();
	test_vec_overflow();
	test_grow();
	test_map_collisions();
	test_map_words();
	test_map_many();
	test_map_zero_and_cap();
	test_chain_cycles();
	test_chain_limit();
	return harness_done("base containers");
}
