/* test_read_ahead.c — the page cache's read-ahead thread (page_cache.h):
 * with it, every read returns what the Target beneath holds, byte for
 * byte, faults included, whatever the hints and the timing; hinted pages
 * the thread has read are hits; a Target that cannot be cloned, or a
 * clone that cannot be made, leaves hints without effect; closing with a
 * full queue neither hangs nor leaks (ASan, valgrind).
 *
 * The Target beneath is a pattern: the byte at address a is a hash of a,
 * every page whose number is a multiple of FAULT_EVERY is left out of
 * the dump, and each page read takes a little time, as a decompression
 * does, so that the two threads overlap. */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "target/page_cache.h"

#define BASE 0xffff888000000000ULL
#define PAGES 1500
#define FAULT_EVERY 97
#define PS 4096

struct pattern {
	struct ct_target t;
	bool clonable;          /* its clone op gives a clone (else NULL) */
	unsigned long delay;    /* per page read, in turns of a busy loop */
	uint64_t page_reads;
};

static unsigned char byte_at(uint64_t a)
{
	return (unsigned char)((a * 0x9e3779b97f4a7c15ULL) >> 56);
}

static bool left_out(uint64_t a)
{
	return ((a - BASE) / PS) % FAULT_EVERY == 0;
}

static ct_status pat_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			  size_t *done, struct ct_error *err)
{
	struct pattern *p = t->impl;
	unsigned char *out = buf;
	for (volatile unsigned long spin = 0; spin < p->delay; spin++)
		;
	p->page_reads++;
	for (*done = 0; *done < len; (*done)++) {
		uint64_t a = addr + *done;
		if (a < BASE || a >= BASE + (uint64_t)PAGES * PS)
			return ct_fail_at(err, CT_ERR_BADADDR, a, "not mapped");
		if (left_out(a))
			return ct_fail_at(err, CT_ERR_FAULT, a, "not in the dump");
		out[*done] = byte_at(a);
	}
	return CT_OK;
}

static void pat_close(struct ct_target *t)
{
	free(t->impl);
}

static struct ct_target *pat_clone(struct ct_target *t);

static const struct ct_target_ops pat_ops = {
	.kind = "pattern", .read = pat_read, .close = pat_close, .clone = pat_clone,
};
static const struct ct_target_ops pat_ops_no_clone = {
	.kind = "pattern", .read = pat_read, .close = pat_close,
};

static struct ct_target *pattern_new(bool clonable, unsigned long delay)
{
	struct pattern *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->t = (struct ct_target){ .ops = &pat_ops, .impl = p, .page_size = PS };
	p->clonable = clonable;
	p->delay = delay;
	return &p->t;
}

static struct ct_target *pat_clone(struct ct_target *t)
{
	struct pattern *p = t->impl;
	return p->clonable ? pattern_new(true, p->delay) : NULL;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_rand(void)
{
	return harness_xorshift(&rng);
}

/* Read len bytes at a through c and compare with the pattern: the bytes,
 * or the fault at the first left-out byte. False on any difference. */
static bool read_matches(struct ct_target *c, uint64_t a, size_t len)
{
	unsigned char buf[3 * PS];
	struct ct_error err = { 0 };
	ct_status st = ct_target_read(c, a, buf, len, &err);
	uint64_t gap = 0;
	for (uint64_t x = a; x < a + len && !gap; x++)
		if (left_out(x))
			gap = x;
	if (gap)
		return st == CT_ERR_FAULT && err.addr == gap;
	if (st != CT_OK)
		return false;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != byte_at(a + i))
			return false;
	return true;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* A walk's pattern: objects in address order, each hinted 64 ahead. */
static void test_in_order(void)
{
	struct ct_target *c;
	struct ct_error err = { 0 };
	CHECK(ct_page_cache_open(pattern_new(true, 2000), 256, &c, &err) == CT_OK, "open");
	unsigned bad = 0, objects = PAGES * PS / 320 - 80;
	for (unsigned i = 0; i < objects; i++) {
		if (i + 64 < objects)
			ct_target_hint(c, BASE + (uint64_t)(i + 64) * 320, 320);
		bad += !read_matches(c, BASE + (uint64_t)i * 320, 320);
	}
	CHECK(bad == 0, "reads in address order, hinted ahead: %u differ", bad);
	CHECK(c->reads == objects, "only the callers' reads are counted: %llu",
	      (unsigned long long)c->reads);
	ct_target_close(c);
}

/* Pages hinted, and read by the thread before they are asked for: hits. */
static void test_hinted_pages_hit(void)
{
	struct ct_target *c;
	struct ct_error err = { 0 };
	CHECK(ct_page_cache_open(pattern_new(true, 0), 256, &c, &err) == CT_OK, "open");
	/* Pages 90..129: page 97 is left out. */
	ct_target_hint(c, BASE + 90 * PS, 40 * PS);
	unsigned present = 0;
	for (unsigned k = 90; k < 130; k++)
		present += !left_out(BASE + (uint64_t)k * PS);
	for (int tries = 0; tries < 500 && ct_page_cache_ahead_reads(c) < present; tries++)
		sleep_ms(10);
	CHECK_EQ_U64(ct_page_cache_ahead_reads(c), present, "every present hinted page read ahead");
	unsigned bad = 0;
	for (unsigned k = 90; k < 130; k++)
		bad += !read_matches(c, BASE + (uint64_t)k * PS + 8, 64);
	CHECK(bad == 0, "hinted pages read back equal: %u differ", bad);
	CHECK_EQ_U64(c->cache_hits, present, "each present page a hit");
	/* A left-out page is not cached by the thread: the caller's read tries
	 * it once itself and meets the fault. */
	CHECK_EQ_U64(c->cache_misses, 1, "the one left-out page (97) a miss");
	CHECK_EQ_U64(c->faults, 1, "its fault counted once, on the caller's read");
	ct_target_close(c);
}

/* Random reads of 1..3 pages and random hints, both threads racing. */
static void test_random(void)
{
	struct ct_target *c;
	struct ct_error err = { 0 };
	CHECK(ct_page_cache_open(pattern_new(true, 500), 64, &c, &err) == CT_OK, "open");
	unsigned bad = 0;
	for (unsigned i = 0; i < 10000; i++) {
		uint64_t a = BASE + next_rand() % ((uint64_t)(PAGES - 3) * PS);
		if (next_rand() % 3 == 0)
			ct_target_hint(c, a, 1 + next_rand() % (64 * PS));
		bad += !read_matches(c, a, 1 + next_rand() % (3 * PS - 1));
	}
	CHECK(bad == 0, "random reads with random hints: %u differ", bad);
	ct_target_close(c);
}

/* Nothing to clone from (no clone op, or one that gives nothing): hints
 * change nothing, reads are as before. */
static void test_without_clone(void)
{
	for (int has_op = 0; has_op < 2; has_op++) {
		struct ct_target *inner = pattern_new(false, 0), *c;
		struct ct_error err = { 0 };
		if (!has_op)
			inner->ops = &pat_ops_no_clone;
		CHECK(ct_page_cache_open(inner, 64, &c, &err) == CT_OK, "open");
		ct_target_hint(c, BASE, 100 * PS);
		unsigned bad = 0;
		for (unsigned k = 0; k < 100; k++)
			bad += !read_matches(c, BASE + (uint64_t)k * PS + 100, 200);
		CHECK(bad == 0 && ct_page_cache_ahead_reads(c) == 0,
		      "no clone: %u differ, %llu read ahead", bad,
		      (unsigned long long)ct_page_cache_ahead_reads(c));
		ct_target_close(c);
	}
}

/* Closed with the queue full and the thread busy: it stops at once. */
static void test_close_busy(void)
{
	struct ct_target *c;
	struct ct_error err = { 0 };
	CHECK(ct_page_cache_open(pattern_new(true, 200000), 64, &c, &err) == CT_OK, "open");
	ct_target_hint(c, BASE, (uint64_t)PAGES * PS);
	CHECK(read_matches(c, BASE + 5 * PS, 16), "a read while the queue is full");
	ct_target_close(c); /* must return: the test's own time limit is the check */
	CHECK(true, "closed while busy");
}

int main(void)
{
	test_in_order();
	test_hinted_pages_hit();
	test_random();
	test_without_clone();
	test_close_busy();
	return harness_done("test_read_ahead");
}
