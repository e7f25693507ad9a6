/* test_entry_store.c — the compact store of plain listed entries: every
 * record reads back equal to the entry added (IPv4 and IPv6, NAT and not,
 * ICMP, extreme numbers, more l4state names than the table holds), across
 * chunks; suspects never fit; the report lists its full records first, then
 * the compact ones, each in the order added, and caps both together. */
#include <stdlib.h>

#include "harness.h"
#include "report/entry_store.h"
#include "report/report.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	return harness_xorshift(&rng);
}

static void random_tuple(struct ct_tuple *t, bool v6)
{
	t->l3num = v6 ? 10 : 2;
	t->protonum = (uint8_t[]){ 6, 17, 1, 58, 47, 132 }[next_rand() % 6];
	for (int i = 0; i < (v6 ? 16 : 4); i++) {
		t->src[i] = (uint8_t)next_rand();
		t->dst[i] = (uint8_t)next_rand();
	}
	for (int i = 0; i < 2; i++) {
		t->src_u[i] = (uint8_t)next_rand();
		t->dst_u[i] = (uint8_t)next_rand();
	}
}

static int64_t extreme_i64(void)
{
	switch (next_rand() % 5) {
	case 0: return INT64_MIN;
	case 1: return INT64_MAX;
	case 2: return -1;
	case 3: return 0;
	}
	return (int64_t)(next_rand() % 600) - 100;
}

/* Entry i of a walk: mostly what a hash walk meets (address order, one
 * namespace at a time, no NAT), with every kind of exception mixed in. */
static struct ct_entry plain_entry(size_t i, uint64_t *addr)
{
	struct ct_entry e;
	memset(&e, 0, sizeof(e));
	bool odd = next_rand() % 8 == 0;
	*addr = odd ? next_rand() : *addr + 320;
	e.addr = *addr;
	e.net = 0xffff888100000000ULL + (i / 5000) * 0x1000;
	e.netns_inum = 4026531840u + (uint32_t)(i / 5000);
	bool v6 = next_rand() % 4 == 0;
	random_tuple(&e.orig, v6);
	e.reply = e.orig;
	memcpy(e.reply.src, e.orig.dst, 16);
	memcpy(e.reply.dst, e.orig.src, 16);
	memcpy(e.reply.src_u, e.orig.dst_u, 2);
	memcpy(e.reply.dst_u, e.orig.src_u, 2);
	if (odd) /* NAT: a reply tuple of its own, maybe of the other family */
		random_tuple(&e.reply, next_rand() % 2);
	e.status = odd ? next_rand() : 0x188;
	e.flags = (unsigned)(next_rand() & 0xff);
	e.use = odd ? UINT32_MAX : 1;
	e.timeout_known = next_rand() % 3 != 0;
	/* Unknown yet set: kept as it is (the renderers print null). */
	e.timeout_secs = e.timeout_known || next_rand() % 4 == 0 ? extreme_i64() : 0;
	e.mark = odd ? UINT32_MAX : 0;
	e.zone = odd ? UINT16_MAX : 0;
	e.cpu = odd ? (int)(next_rand() % 4) * 1000 - 1 : -1;
	e.found_in = (enum ct_found_in)(next_rand() % 6);
	e.state = (enum ct_entry_state)(next_rand() % 6);
	/* 100 distinct names: more than the table's 64, some 15 bytes long. */
	unsigned s = (unsigned)(next_rand() % 101);
	if (s == 100)
		snprintf(e.l4state, sizeof(e.l4state), "%s", "ESTABLISHED_XYZ");
	else if (s)
		snprintf(e.l4state, sizeof(e.l4state), "STATE%u", s);
	return e;
}

static void check_roundtrip(void)
{
	enum { N = 200000 };
	struct ct_entry_store s;
	memset(&s, 0, sizeof(s));
	struct ct_entry *want = malloc(N * sizeof(*want));
	uint64_t addr = 0xffff888010000000ULL;
	bool all_fit = true, all_added = true;
	for (size_t i = 0; i < N; i++) {
		want[i] = plain_entry(i, &addr);
		all_fit &= ct_entry_store_fits(&want[i]);
		all_added &= ct_entry_store_add(&s, &want[i]);
	}
	CHECK(all_fit && all_added, "every plain entry fits and is added");
	CHECK_EQ_U64(s.n, N, "records");
	CHECK(s.n_chunks >= 3, "several chunks (%zu)", s.n_chunks);
	CHECK(s.n_l4names == CT_STORE_L4NAMES, "the l4state table filled (%u)", s.n_l4names);
	struct ct_entry_store_pos pos = { 0 };
	struct ct_entry got;
	size_t n = 0, bad = 0;
	while (n < N && ct_entry_store_next(&s, &pos, &got)) {
		if (memcmp(&got, &want[n], sizeof(got)) != 0 && bad++ < 3)
			CHECK(false, "record %zu reads back as added (addr 0x%llx, got 0x%llx)", n,
			      (unsigned long long)want[n].addr, (unsigned long long)got.addr);
		n++;
	}
	CHECK_EQ_U64(n, N, "records read back");
	CHECK_EQ_U64(bad, 0, "records that differ");
	CHECK(!ct_entry_store_next(&s, &pos, &got), "nothing after the last");
	CHECK(!ct_entry_store_next(&s, &pos, &got), "and still nothing");
	free(want);
	ct_entry_store_free(&s);
	CHECK(s.n == 0 && s.n_chunks == 0 && !s.chunks, "freed store is empty");
	memset(&pos, 0, sizeof(pos));
	CHECK(!ct_entry_store_next(&s, &pos, &got), "an empty store has no record");
}

/* What a million-entry hash walk keeps: IPv4, no NAT, in address order. */
static void check_size(void)
{
	struct ct_entry_store s;
	memset(&s, 0, sizeof(s));
	uint64_t addr = 0xffff888010000000ULL;
	for (size_t i = 0; i < 100000; i++) {
		struct ct_entry e;
		memset(&e, 0, sizeof(e));
		e.addr = addr += 320;
		e.net = 0xffffffff82d1a0c0ULL;
		e.netns_inum = 4026531840u;
		e.orig = (struct ct_tuple){ .l3num = 2, .protonum = 17,
			.src = { 10, 1, (uint8_t)(i >> 8), (uint8_t)i }, .dst = { 10, 0, 0, 2 },
			.src_u = { (uint8_t)(i >> 8), (uint8_t)i }, .dst_u = { 0x00, 0x35 } };
		e.reply = e.orig;
		memcpy(e.reply.src, e.orig.dst, 16);
		memcpy(e.reply.dst, e.orig.src, 16);
		memcpy(e.reply.src_u, e.orig.dst_u, 2);
		memcpy(e.reply.dst_u, e.orig.src_u, 2);
		e.status = 0x188;
		e.flags = CT_F_CONFIRMED;
		e.use = 1;
		e.timeout_known = true;
		e.timeout_secs = 25;
		e.cpu = -1;
		ct_entry_store_add(&s, &e);
	}
	double per = (double)s.bytes / (double)s.n;
	CHECK(per <= 32, "an IPv4 hash entry takes %.1f bytes (<= 32)", per);
	ct_entry_store_free(&s);
}

static void check_fits(void)
{
	struct ct_entry e;
	memset(&e, 0, sizeof(e));
	CHECK(ct_entry_store_fits(&e), "a plain entry fits");
	struct ct_entry x = e;
	x.suspect = true;
	CHECK(!ct_entry_store_fits(&x), "a suspect does not");
	x = e, x.nreasons = 1;
	CHECK(!ct_entry_store_fits(&x), "an entry with a reason does not");
	x = e, x.nholders = 1;
	CHECK(!ct_entry_store_fits(&x), "an entry with a holder does not");
	x = e, x.holders_total = 1;
	CHECK(!ct_entry_store_fits(&x), "an entry with holders counted does not");
	x = e, x.age_known = true;
	CHECK(!ct_entry_store_fits(&x), "an entry with an age does not");
	x = e, x.last_hook[0] = 'L';
	CHECK(!ct_entry_store_fits(&x), "an entry with a last hook does not");
	x = e, x.next_hook[0] = 'P';
	CHECK(!ct_entry_store_fits(&x), "an entry with a next hook does not");
	x = e, x.last_hook_evidence[0] = 'i';
	CHECK(!ct_entry_store_fits(&x), "an entry with hook evidence does not");
	x = e, x.nfqueued = true;
	CHECK(!ct_entry_store_fits(&x), "a queued entry does not");
	x = e, x.flags = 0x100;
	CHECK(!ct_entry_store_fits(&x), "flags past a byte do not");
	x = e, memset(x.l4state, 'A', sizeof(x.l4state));
	CHECK(!ct_entry_store_fits(&x), "an l4state without its NUL does not");
}

static struct ct_entry numbered(uint64_t addr, bool suspect)
{
	struct ct_entry e;
	memset(&e, 0, sizeof(e));
	e.addr = addr;
	e.cpu = -1;
	if (suspect)
		ct_entry_reason(&e, "planted %llu", (unsigned long long)addr);
	return e;
}

static void check_report_order(void)
{
	struct ct_report r;
	ct_report_init(&r, 7);
	/* Added: 1 2s 3 4s 5 6 7s 8 9 — the cap (7) leaves out 8 and 9. */
	bool kept = true;
	for (uint64_t a = 1; a <= 9; a++) {
		struct ct_entry e = numbered(a, a == 2 || a == 4 || a == 7);
		bool k = ct_report_add_entry(&r, &e);
		kept &= k == (a <= 7);
	}
	CHECK(kept, "the first 7 kept, the rest refused");
	CHECK_EQ_U64(ct_report_kept(&r), 7, "kept");
	CHECK_EQ_U64(r.n_entries, 3, "full records: the suspects");
	CHECK_EQ_U64(r.listed.n, 4, "compact records: the others");
	CHECK_EQ_U64(r.dropped_entries, 2, "dropped past the cap");
	uint64_t order[16];
	size_t n = 0;
	struct ct_entry_iter it = { 0 };
	for (const struct ct_entry *e; n < 16 && (e = ct_report_next_entry(&r, &it));)
		order[n++] = e->addr;
	const uint64_t want[] = { 2, 4, 7, 1, 3, 5, 6 };
	CHECK(n == 7 && memcmp(order, want, sizeof(want)) == 0,
	      "suspects first, then the others, each in the order added");
	ct_report_free(&r);
	struct ct_report empty;
	ct_report_init(&empty, 10);
	struct ct_entry_iter none = { 0 };
	CHECK(ct_report_next_entry(&empty, &none) == NULL, "an empty report lists nothing");
	ct_report_free(&empty);
}

int main(void)
{
	check_roundtrip();
	check_size();
	check_fits();
	check_report_order();
	return harness_done("compact entry store");
}
