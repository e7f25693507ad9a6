/* test_slab_synth.c — the slab scan (lib/walk/walk_slab.c) and the holders it
 * feeds (lib/walk/walk_holders.c) on in-memory kernel images of one synthetic
 * generation (compiled with -include tests/unit/synth/gen_X.h).
 *
 * The kernel model comes from gcc's DWARF of the very declarations this file
 * uses to lay out the image (GEN.o): struct kmem_cache, kmem_cache_cpu, page
 * (or struct slab from 5.17) are placed at fake kernel addresses as the
 * kernel has them — a memmap at vmemmap_base, slab objects in the direct map
 * at page_offset_base + pfn * 4096, freelists encoded as
 * CONFIG_SLAB_FREELIST_HARDENED does (with and without the 5.7 byte swap),
 * one CPU's lockless freelist beside the slab's own — on 7.x, which has no
 * CPU slabs, per-CPU sheaves and the full sheaves of node barns instead
 * (slabs by page type, tails by compound_info). Entries live in slab
 * objects: some in the hash and lists, some on no list at all (the 5.19+
 * case), some of a namespace being torn down; free objects keep stale but
 * valid-looking contents (SLAB_TYPESAFE_BY_RCU), so a free object taken for
 * an allocated one shows up as an unexpected entry. Hostile images then
 * break one thing: a freelist, a slab's object count, the memmap.
 *
 * usage: test_slab_synth_X GEN.o
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "report/render.h"
#include "symbols/symtab.h"
#include "target/target_mem.h"
#include "types/types.h"
#include "walk/walk.h"

#define PAGE 4096ULL
#define KDIRECT 0xffff888000000000ULL   /* page_offset_base: the direct map */
#define HEAP_PAGES 512                  /* pfn 0..511: nets, caches, per-CPU areas */
#define SLAB_PFN0 600                   /* pfn of the first slab page */
#define SLAB_PAGES 64
#define NPFN 1024                       /* max_pfn of the standard image */
#define VMEMMAP 0xffffea0000000000ULL   /* vmemmap_base */
#define KNOWHERE 0xffff888100000000ULL  /* mapped by nothing */
#define KHASH 0xffffc90000000000ULL     /* vmalloc: one segment per hash table */
#define KDATA 0xffffffff82000000ULL     /* kernel globals */
#define DATA_SIZE 8192
#define KRODATA 0xffffffff81e00000ULL   /* string literals: cache names */

#define HZ 250
#define TICK_NSEC 3999991ULL
#define JIFFIES 0x1fffff000ULL
#define NR_CPUS 8
#define POSSIBLE 0xb7ULL                /* CPUs 3 and 6 are not possible */
#define NET_ID 5                        /* nf_conntrack_net_id (5.13+) */
#define GEN_LEN 8
#define MAX_PLANT 64
#define MAX_NS 4
#define MAX_SLABS 16
#define MAX_OBJS 64
#define IP_CT_NEW 2                     /* enum ip_conntrack_info */

#define UNCONFIRMED_NULLS_VAL ((1 << 30) + 0)
#define DYING_NULLS_VAL ((1 << 30) + 1)
#define TEMPLATE_NULLS_VAL ((1 << 30) + 2)

#define ST(bit) (1UL << IPS_##bit##_BIT)
#define ST_HASHED (ST(CONFIRMED) | ST(SEEN_REPLY) | ST(ASSURED))

#if SYNTH_GEN == 310
#define CT_NET(ct) ((ct)->ct_net)
#define NET_INUM(net) ((net)->proc_inum)
#else
#define CT_NET(ct) ((ct)->ct_net.net)
#define NET_INUM(net) ((net)->ns.inum)
#define HAS_NS_OPS 1                    /* net.ns.ops: a netns is recognisable */
#define HAS_RANDOM 1                    /* kmem_cache.random: hardened freelists */
#define HAS_COMPOUND_HEAD 1             /* page.compound_head (4.4+; 7.x compound_info) */
#endif
#ifdef SYNTH_COMPOUND_INFO
/* 7.x: a tail page's word holds a mask (bit 0 set), not head + 1: the
 * head's struct page is the tail's address & (info & ~1), and for an
 * order-1 folio info is 0xffffffffffffff81 (as seen on a 7.3 dump). */
#define TAIL_WORD compound_info
#define TAIL_VALUE(head, order) (~(((uint64_t)sizeof(struct page) << (order)) - 1) | 1)
#else
#define TAIL_WORD compound_head
#define TAIL_VALUE(head, order) ((head) | 1)
#endif
#if SYNTH_GEN >= 601
#define CT_USE(ct) ((ct)->ct_general.use.refs.counter)
#else
#define CT_USE(ct) ((ct)->ct_general.use.counter)
#endif

/* The slab descriptor: struct slab from 5.17, struct page before. */
#ifdef SYNTH_HAS_STRUCT_SLAB
typedef struct slab desc_t;
#ifdef SYNTH_MEMDESC_FLAGS
#define DESC_FLAGS(d) ((d)->flags.f)    /* 7.x: memdesc_flags_t */
#else
#define DESC_FLAGS(d) ((d)->__page_flags)
#endif
#define CPU_DESC_MEMBER slab
#define CPU_DESC(c) ((c)->slab)
#else
typedef struct page desc_t;
#define DESC_FLAGS(d) ((d)->flags)
#define CPU_DESC_MEMBER page
#define CPU_DESC(c) ((c)->page)
#endif

/* How a slab page says so: the PG_slab flag, or (6.12+) the page type. */
#ifdef SYNTH_PAGE_TYPE
#define SLAB_FLAG 0UL
#define MARK_SLAB(d) ((d)->__page_type = (unsigned)PGTY_slab << 24)
#else
#define SLAB_FLAG (1UL << PG_slab)
#define MARK_SLAB(d) ((void)(d))
#endif

/* --- the image ---------------------------------------------------------- */

/* nf_conntrack caches: one (4.7+), or one per namespace (before 4.7:
 * "nf_conntrack_%p" of its struct net, SLAB_DESTROY_BY_RCU, never merged). */
enum { C_CT, C_CT_B, C_CT_C, C_SKB, C_FCLONE, C_EXPECT, C_DECOY, NCACHES };
enum fl_policy { FL_SLAB, FL_SPLIT, FL_CPU };   /* where a slab's free objects are */

struct kcache {
	uint64_t addr;
	const char *name;
	uint32_t size, offset, order, nobj, red_left_pad, cpu_off;
	uint64_t random;
};

struct kslab {
	int cache;
	uint64_t pfn, desc, base;
	uint32_t nobj;          /* what the descriptor claims */
	bool used[MAX_OBJS];
	enum fl_policy policy;
	int cpu;                /* FL_SPLIT / FL_CPU: the CPU whose slab it is */
	uint64_t fl[2][MAX_OBJS]; /* [0] the slab's freelist, [1] the CPU's, in order */
	int nfl[2];
	bool lost;              /* a hostile image makes the scan skip it */
};

#ifdef SYNTH_HAS_SHEAVES
/* 6.18+: where a cache's free objects that left their slabs wait. Six
 * sheaves hold them (round robin): CPU 1's main and spare, CPU 2's
 * rcu_free, two full sheaves in node 0's barn, one in node 1's. Every
 * other possible CPU's main sheaf is empty, node 0's barn also keeps an
 * empty sheaf; beyond their size, sheaves hold stale pointers to
 * allocated objects (the slots a sheaf once used). */
#define SHEAF_CAP 8
#define NR_NODES 2
enum { SL_CPU1_MAIN, SL_CPU1_SPARE, SL_CPU2_RCU, SL_BARN0_A, SL_BARN0_B, SL_BARN1_A, NSLOTS };
#define MAX_POOL (NSLOTS * SHEAF_CAP)
struct ksheaves {
	uint64_t pool[MAX_POOL];    /* free objects to put in sheaves, in order */
	int npool;
	uint64_t sheaf[NSLOTS];
	uint64_t obj[NSLOTS][SHEAF_CAP];
	int n[NSLOTS];
	uint64_t barn[NR_NODES], empty, cpu_main[NR_CPUS];
};
#endif

struct hold {
	const char *kind;
	uint64_t addr;
	const char *detail;     /* a phrase the detail must contain, or NULL */
	int slab;               /* the slab the holder lives in, -1 for an entry */
};

/* What was planted, and what the walk must say about it. */
struct plant {
	uint64_t ct;
	int ns;                 /* index in im.ns, -1: in no namespace */
	uint64_t net;
	int slab;
	enum ct_found_in where;
	enum ct_entry_state state;
	bool suspect;
	bool counted;           /* in its namespace's count */
	int lists;              /* -1, or the only ct_lists_kind that finds it */
	const char *why;        /* a reason it must be given, or NULL */
	bool no_reasons;        /* it must have none */
	int nhold;
	struct hold hold[4];
};

static struct img {
	struct ct_target *t;
	struct ct_symtab *syms;   /* the image's symbols */
	struct ct_program prog;   /* t and syms */
	bool swab;              /* 5.7+ freelist encoding (byte-swapped slot address) */
	uint64_t heap_next, data_next, rodata_next, hash_next, pcpu_next;
	uint64_t nsl, ops;      /* &net_namespace_list, &netns_operations */
	uint64_t slab_caches, cachep_var, max_pfn_var, vmemmap_var;
	uint64_t cpu_base[NR_CPUS];
	uint64_t per_cpu_offset;
	uint64_t hash;
	uint32_t hsize;
	unsigned nhashed;
	struct {
		uint64_t net, hash, pcpu, ctnet;
		uint32_t hsize;
		bool off_list;      /* being torn down: not on net_namespace_list */
		int64_t count;
	} ns[MAX_NS];
	int nns;
	struct kcache c[NCACHES];
	struct kslab s[MAX_SLABS];
	int ns_slabs;
	uint64_t next_pfn;
	struct plant p[MAX_PLANT];
	int np;
	uint64_t unreadable;    /* memmap pages the scan must count unreadable */
	bool no_scan;           /* the scan must not run (model or setup) */
	uint64_t dead_net;      /* a struct net no longer on the list */
#ifdef SYNTH_HAS_SHEAVES
	struct ksheaves sh[NCACHES];
	uint64_t lost_free[MAX_POOL]; /* free objects the scan cannot know free */
	int nlost_free;
#endif
} im;

static const char *label = "";

#include "image.h"

static void img_close(void)
{
	ct_target_close(im.t);
	ct_symtab_free(im.syms);
	im.syms = NULL;
}

static uint64_t kalloc(size_t size)
{
	uint64_t a = im.heap_next;
	im.heap_next += (size + 63) & ~(size_t)63;
	if (im.heap_next > KDIRECT + HEAP_PAGES * PAGE)
		abort();
	return a;
}

static uint64_t global(const char *name, size_t size)
{
	struct ct_error err = { 0 };
	uint64_t a = im.data_next;
	im.data_next += (size + 7) & ~(size_t)7;
	if (im.data_next > KDATA + DATA_SIZE || ct_symtab_add(im.syms, name, a, &err))
		abort();
	return a;
}

static uint64_t kstring(const char *s)
{
	uint64_t a = im.rodata_next;
	size_t n = strlen(s) + 1;
	im.rodata_next += (n + 7) & ~(size_t)7;
	memcpy(kmem(a, n), s, n);
	return a;
}

/* --- SLUB ------------------------------------------------------------------ */

static void new_cache(int i, const char *name, uint32_t size, uint32_t offset, uint32_t order,
		      uint32_t red_left_pad, uint32_t cpu_off, uint64_t random)
{
	struct kcache *c = &im.c[i];
	*c = (struct kcache){ .addr = kalloc(sizeof(struct kmem_cache)), .name = name, .size = size,
			      .offset = offset, .order = order,
			      .nobj = (uint32_t)((PAGE << order) / size), .red_left_pad = red_left_pad,
			      .cpu_off = cpu_off, .random = random };
	struct kmem_cache *k = K(struct kmem_cache, c->addr);
#ifdef SYNTH_NO_CPU_SLAB
	k->cpu_sheaves = KADDR(struct slub_percpu_sheaves, cpu_off);
#else
	k->cpu_slab = KADDR(struct kmem_cache_cpu, cpu_off);
#endif
#ifdef SYNTH_HAS_SHEAVES
	k->sheaf_capacity = SHEAF_CAP;
	for (int n = 0; n < NR_NODES; n++)
		k->per_node[n].node = KADDR(struct kmem_cache_node, kalloc(sizeof(struct kmem_cache_node)));
#endif
	k->size = (int)size;
	k->object_size = (int)(size - red_left_pad - 8);
	k->offset = (int)offset;
	k->oo.x = order << 16 | c->nobj;
	k->min.x = c->nobj;
	k->red_left_pad = (int)red_left_pad;
	k->name = KADDR(const char, kstring(name));
#ifdef HAS_RANDOM
	k->random = random;
#endif
	list_add_tail(c->addr + offsetof(struct kmem_cache, list), im.slab_caches);
}

static bool ct_cache(int cache)
{
	return cache == C_CT || cache == C_CT_B || cache == C_CT_C;
}

static int new_slab(int cache, enum fl_policy policy, int cpu)
{
	const struct kcache *c = &im.c[cache];
	uint64_t pages = 1ULL << c->order;
	uint64_t pfn = (im.next_pfn + pages - 1) & ~(pages - 1);
	im.next_pfn = pfn + pages;
	if (im.next_pfn > SLAB_PFN0 + SLAB_PAGES || im.ns_slabs == MAX_SLABS || c->nobj > MAX_OBJS)
		abort();
	int i = im.ns_slabs++;
	im.s[i] = (struct kslab){ .cache = cache, .pfn = pfn, .desc = VMEMMAP + pfn * sizeof(struct page),
				  .base = KDIRECT + pfn * PAGE, .nobj = c->nobj, .policy = policy,
				  .cpu = cpu };
	return i;
}

static uint64_t obj_addr(int slab, uint32_t i)
{
	const struct kslab *s = &im.s[slab];
	const struct kcache *c = &im.c[s->cache];
	return s->base + c->red_left_pad + (uint64_t)i * c->size;
}

/* The next free object of a slab, scattered (stride 3), zeroed. */
static uint64_t obj_alloc(int slab)
{
	struct kslab *s = &im.s[slab];
	for (uint32_t k = 0; k < 2 * s->nobj; k++) {
		uint32_t i = k < s->nobj ? (k * 3) % s->nobj : k - s->nobj;
		if (!s->used[i]) {
			s->used[i] = true;
			uint64_t a = obj_addr(slab, i);
			memset(kmem(a, im.c[s->cache].size - im.c[s->cache].red_left_pad), 0,
			       im.c[s->cache].size - im.c[s->cache].red_left_pad);
			return a;
		}
	}
	fprintf(stderr, "image: slab %d is full\n", slab);
	abort();
}

static uint32_t used_objects(const struct kslab *s)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < s->nobj; i++)
		n += s->used[i];
	return n;
}

/* CONFIG_SLAB_FREELIST_HARDENED: ptr ^ random ^ address of the slot, the
 * address byte-swapped from 5.7 (1ad53d9fa3f6). */
static uint64_t encode(const struct kcache *c, uint64_t next, uint64_t slot)
{
#ifdef HAS_RANDOM
	return next ^ c->random ^ (im.swab ? __builtin_bswap64(slot) : slot);
#else
	(void)c, (void)slot;
	return next;
#endif
}

static void write_chain(const struct kcache *c, const uint64_t *objs, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t slot = objs[i] + c->offset;
		*K(u64, slot) = encode(c, i + 1 < n ? objs[i + 1] : 0, slot);
	}
}

#ifndef SYNTH_NO_CPU_SLAB
static struct kmem_cache_cpu *cpu_slab(int cache, int cpu)
{
	return K(struct kmem_cache_cpu, im.cpu_base[cpu] + im.c[cache].cpu_off);
}
#endif

static void (*stale_fill[NCACHES])(uint64_t obj);

#ifdef SYNTH_HAS_SHEAVES
/* What a free object in a sheaf looks like (k: its place in the pool). */
static void (*sheaf_fill[NCACHES])(uint64_t obj, int k);

static struct slub_percpu_sheaves *pcs(int cache, int cpu)
{
	return K(struct slub_percpu_sheaves, im.cpu_base[cpu] + im.c[cache].cpu_off);
}

/* A sheaf of the cache holding objs; its slots past n hold stale. */
static uint64_t new_sheaf(int cache, int node, const uint64_t *objs, int n, uint64_t stale)
{
	uint64_t a = kalloc(sizeof(struct slab_sheaf) + SHEAF_CAP * sizeof(void *));
	struct slab_sheaf *sf = K(struct slab_sheaf, a);
	sf->cache = KADDR(struct kmem_cache, im.c[cache].addr);
	sf->size = (unsigned)n;
	sf->node = node;
	u64 *o = kmem(a + offsetof(struct slab_sheaf, objects), SHEAF_CAP * sizeof(void *));
	for (int i = 0; i < SHEAF_CAP; i++)
		o[i] = i < n ? objs[i] : stale;
	return a;
}

/* An allocated object of the cache (0: none), for stale sheaf slots. */
static uint64_t some_allocated(int cache)
{
	for (int i = 0; i < im.ns_slabs; i++)
		for (uint32_t k = 0; im.s[i].cache == cache && k < im.s[i].nobj; k++)
			if (im.s[i].used[k])
				return obj_addr(i, k);
	return 0;
}

/* Every cache's sheaves and barns; the pooled free objects round robin
 * into the six sheaves that hold objects. */
static void sheaves_finish(void)
{
	for (int c = 0; c < NCACHES; c++) {
		struct ksheaves *sh = &im.sh[c];
		if (!im.c[c].addr)
			continue;
		struct kmem_cache *k = K(struct kmem_cache, im.c[c].addr);
		uint64_t stale = some_allocated(c);
		memset(sh->n, 0, sizeof(sh->n));
		for (int i = 0; i < sh->npool; i++) {
			int slot = i % NSLOTS;
			sh->obj[slot][sh->n[slot]++] = sh->pool[i];
		}
		bool any = sh->npool > 0;
		for (int n = 0; n < (any ? NR_NODES : 1); n++) {
			uint64_t b = sh->barn[n] = kalloc(sizeof(struct node_barn));
			list_init(b + offsetof(struct node_barn, sheaves_full));
			list_init(b + offsetof(struct node_barn, sheaves_empty));
			k->per_node[n].barn = KADDR(struct node_barn, b);
		}
		for (int slot = 0; any && slot < NSLOTS; slot++) {
			int node = slot == SL_BARN1_A;
			uint64_t a = sh->sheaf[slot] = new_sheaf(c, node, sh->obj[slot], sh->n[slot], stale);
			struct slab_sheaf *sf = KADDR(struct slab_sheaf, a);
			if (slot == SL_CPU1_MAIN) {
				pcs(c, 1)->main = sf;
			} else if (slot == SL_CPU1_SPARE) {
				pcs(c, 1)->spare = sf;
			} else if (slot == SL_CPU2_RCU) {
				pcs(c, 2)->rcu_free = sf;
			} else {
				list_add_tail(a + offsetof(struct slab_sheaf, barn_list),
					      sh->barn[node] + offsetof(struct node_barn, sheaves_full));
				K(struct node_barn, sh->barn[node])->nr_full++;
			}
		}
		/* Every possible CPU has a main sheaf, most of them empty. */
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			if (POSSIBLE >> cpu & 1 && !pcs(c, cpu)->main) {
				sh->cpu_main[cpu] = new_sheaf(c, 0, NULL, 0, stale);
				pcs(c, cpu)->main = KADDR(struct slab_sheaf, sh->cpu_main[cpu]);
			}
		sh->empty = new_sheaf(c, 0, NULL, 0, stale);
		list_add_tail(sh->empty + offsetof(struct slab_sheaf, barn_list),
			      sh->barn[0] + offsetof(struct node_barn, sheaves_empty));
		K(struct node_barn, sh->barn[0])->nr_empty++;
	}
}

/* A hostile image hides a sheaf's objects from the scan: they are free
 * but will be counted as allocated. */
static void lose_sheaf(int cache, int slot)
{
	const struct ksheaves *sh = &im.sh[cache];
	for (int i = 0; i < sh->n[slot]; i++) {
		if (im.nlost_free == MAX_POOL)
			abort();
		im.lost_free[im.nlost_free++] = sh->obj[slot][i];
	}
}
#endif

static bool lost_free(uint64_t obj)
{
#ifdef SYNTH_HAS_SHEAVES
	for (int i = 0; i < im.nlost_free; i++)
		if (im.lost_free[i] == obj)
			return true;
#else
	(void)obj;
#endif
	return false;
}

/* Descriptors, stale contents of free objects and both freelists (7.x: the
 * slab's freelist and the sheaves). */
static void slabs_finish(void)
{
	for (int i = 0; i < im.ns_slabs; i++) {
		struct kslab *s = &im.s[i];
		const struct kcache *c = &im.c[s->cache];
		s->nfl[0] = s->nfl[1] = 0;
		/* Free objects, last first, alternating between the slab's
		 * and the CPU's lists (7.x: the sheaves) for a split slab. */
		for (int k = (int)s->nobj - 1; k >= 0; k--) {
			if (s->used[k])
				continue;
			uint64_t a = obj_addr(i, (uint32_t)k);
			memset(kmem(a, c->size - c->red_left_pad), 0, c->size - c->red_left_pad);
			if (stale_fill[s->cache])
				stale_fill[s->cache](a);
			int which = s->policy == FL_CPU ? 1 : s->policy == FL_SPLIT ? (k & 1) : 0;
#ifdef SYNTH_HAS_SHEAVES
			if (which == 1) {
				struct ksheaves *sh = &im.sh[s->cache];
				if (sh->npool == MAX_POOL)
					abort();
				if (sheaf_fill[s->cache])
					sheaf_fill[s->cache](a, sh->npool);
				sh->pool[sh->npool++] = a;
			}
#endif
			s->fl[which][s->nfl[which]++] = a;
		}
		/* (In sheaves, objects keep the free pointer they had.) */
		write_chain(c, s->fl[0], s->nfl[0]);
		write_chain(c, s->fl[1], s->nfl[1]);
		desc_t *d = K(desc_t, s->desc);
		DESC_FLAGS(d) = SLAB_FLAG | (c->order ? 1UL << PG_head : 0);
		MARK_SLAB(d);
		d->slab_cache = KADDR(struct kmem_cache, c->addr);
		d->freelist = s->nfl[0] ? KADDR(void, s->fl[0][0]) : NULL;
		d->objects = s->nobj & 0x7fff;
#ifdef SYNTH_NO_CPU_SLAB
		/* No CPU slabs: objects in sheaves are in use as far as their
		 * slab knows. */
		d->inuse = s->nobj - (uint32_t)s->nfl[0];
		d->frozen = 0;
#else
		d->inuse = s->policy == FL_SLAB ? used_objects(s) : s->nobj;
		d->frozen = s->policy != FL_SLAB;
		if (s->policy != FL_SLAB) {
			struct kmem_cache_cpu *kc = cpu_slab(s->cache, s->cpu);
			CPU_DESC(kc) = KADDR(desc_t, s->desc);
			kc->freelist = s->nfl[1] ? KADDR(void *, s->fl[1][0]) : NULL;
		}
#endif
		/* Tail pages look like slab pages too (PG_slab or the slab page
		 * type, the cache, a count): only compound_head's bit 0
		 * (compound_info's in 7.x, PG_tail before 4.4) tells them
		 * apart, and they must be skipped. (From 6.2 slab_cache shares
		 * that word: it is overwritten below, as in the kernel.) */
		for (uint64_t t = 1; t < 1ULL << c->order; t++) {
			uint64_t ta = s->desc + t * sizeof(struct page);
			desc_t *td = K(desc_t, ta);
			DESC_FLAGS(td) = SLAB_FLAG;
			MARK_SLAB(td);
			td->slab_cache = KADDR(struct kmem_cache, c->addr);
			td->objects = s->nobj & 0x7fff;
			td->freelist = NULL;
#ifdef HAS_COMPOUND_HEAD
			K(struct page, ta)->TAIL_WORD = TAIL_VALUE(s->desc, c->order);
#else
			/* first_page would share slab_cache's word: left out,
			 * so that only PG_tail tells. */
			K(struct page, ta)->flags |= 1UL << PG_tail;
#endif
		}
	}
#ifdef SYNTH_HAS_SHEAVES
	sheaves_finish();
#endif
}

/* --- the kernel --------------------------------------------------------- */

enum {
	B_SWAB = 1,             /* the 5.7+ encoding */
	B_MEMMAP_HOLE = 2,      /* max_pfn 2048, memmap [1024,1536) unmapped, [1536,2048) excluded */
	B_NO_VMEMMAP = 4,       /* no vmemmap_base symbol */
	B_CPU_ONLY = 8,         /* free nf_conntrack objects only on CPU freelists (7.x: in sheaves) */
};

static void img_new(unsigned flags)
{
	struct ct_error err = { 0 };
	memset(&im, 0, sizeof(im));
	im.swab = flags & B_SWAB;
	im.t = ct_mem_target_new(SYNTH_NAME ".0-synthetic");
	im.syms = ct_symtab_new();
	ct_program_init(&im.prog, im.t);
	if (!im.syms || ct_program_add_symbols(&im.prog, "image", ct_symtab_find, im.syms, &err))
		abort();
	im.heap_next = KDIRECT + PAGE; /* pfn 0 stays empty */
	im.data_next = KDATA;
	im.rodata_next = KRODATA;
	im.hash_next = KHASH;
	im.next_pfn = SLAB_PFN0;
	uint64_t npfn = flags & B_MEMMAP_HOLE ? 2 * NPFN : NPFN;
	if (!im.t || ct_mem_map(im.t, KDIRECT, NULL, HEAP_PAGES * PAGE, &err) ||
	    ct_mem_map(im.t, KDIRECT + SLAB_PFN0 * PAGE, NULL, SLAB_PAGES * PAGE, &err) ||
	    ct_mem_map(im.t, VMEMMAP, NULL, NPFN * sizeof(struct page), &err) ||
	    ct_mem_map(im.t, KDATA, NULL, DATA_SIZE, &err) ||
	    ct_mem_map(im.t, KRODATA, NULL, PAGE, &err))
		abort();
	if (flags & B_MEMMAP_HOLE) {
		/* [1024,1536) is a hole (not mapped at all); [1536,2048) is
		 * memmap the dump left out. */
		if (ct_mem_exclude(im.t, VMEMMAP + (NPFN + NPFN / 2) * sizeof(struct page),
				   NPFN / 2 * sizeof(struct page), &err))
			abort();
		im.unreadable = NPFN;
	}
	im.nsl = global("net_namespace_list", sizeof(struct list_head));
	list_init(im.nsl);
	im.ops = global("netns_operations", 64);
	*K(u32, global("nf_conntrack_max", 4)) = 65536;
	*K(u64, global("jiffies_64", 8)) = JIFFIES;
#ifdef SYNTH_NO_TICK_NSEC
	/* 7.x: HZ from the uptime tick_next_period and jiffies_64 give. */
	*K(u64, global("tick_next_period", 8)) =
		(JIFFIES - (u64)(u32)(-300 * HZ) + 1) * (1000000000ULL / HZ);
#else
	*K(u64, global("tick_nsec", 8)) = TICK_NSEC;
#endif
#ifdef SYNTH_HAS_SHEAVES
	*K(u32, global("nr_node_ids", 4)) = NR_NODES;
#endif
	*K(u32, global("nr_cpu_ids", 4)) = NR_CPUS;
	*K(u64, global("__cpu_possible_mask", 8)) = POSSIBLE;
	im.per_cpu_offset = global("__per_cpu_offset", 8 * NR_CPUS);
	for (int c = 0; c < NR_CPUS; c++) {
		im.cpu_base[c] = POSSIBLE >> c & 1 ? kalloc(PAGE) : KNOWHERE + 0x10000ULL * c;
		K(u64, im.per_cpu_offset)[c] = im.cpu_base[c];
	}
	im.pcpu_next = 0x40;
#ifndef SYNTH_HAS_NETNS_HASH
	im.hsize = 16;
	im.hash = new_hash(im.hsize);
	*K(u64, global("nf_conntrack_hash", 8)) = im.hash;
	*K(u32, global("nf_conntrack_htable_size", 4)) = im.hsize;
#endif
#ifdef SYNTH_COUNT_IN_CTNET
	*K(u32, global("nf_conntrack_net_id", 4)) = NET_ID;
#endif
	/* SLUB and the memmap. */
#ifndef SYNTH_HAS_NETNS_HASH
	im.cachep_var = global("nf_conntrack_cachep", 8);
#endif
	if (!(flags & B_NO_VMEMMAP)) {
		im.vmemmap_var = global("vmemmap_base", 8);
		*K(u64, im.vmemmap_var) = VMEMMAP;
	}
	*K(u64, global("page_offset_base", 8)) = KDIRECT;
	im.max_pfn_var = global("max_pfn", 8);
	*K(u64, im.max_pfn_var) = npfn;
	im.slab_caches = global("slab_caches", sizeof(struct list_head));
	list_init(im.slab_caches);
	/* A cache nobody scans comes first in slab_caches. */
	new_cache(C_DECOY, "kmalloc-1k", 1024, 512, 0, 0, 0x900, 0x5eed0000decafbadULL);
	/* nf_conntrack is SLAB_TYPESAFE_BY_RCU: the free pointer lies past
	 * the object. 1024-byte objects, order 1: 8 per slab. */
	new_cache(C_CT, "nf_conntrack", 1024, (sizeof(struct nf_conn) + 7) & ~7u, 1, 0, 0x800,
		  0x0123456789abcdefULL);
#ifdef SYNTH_HAS_NETNS_HASH
	new_cache(C_CT_B, "nf_conntrack_b", 1024, (sizeof(struct nf_conn) + 7) & ~7u, 1, 0, 0x940,
		  0x0123456789abcdefULL);
	new_cache(C_CT_C, "nf_conntrack_c", 1024, (sizeof(struct nf_conn) + 7) & ~7u, 1, 0, 0x980,
		  0x0123456789abcdefULL);
#else
	*K(u64, im.cachep_var) = im.c[C_CT].addr;
#endif
	/* The free pointer inside cb[], as 5.7+ places it mid-object. */
	new_cache(C_SKB, "skbuff_head_cache", 256, 64, 0, 0, 0x840, 0xfedcba9876543210ULL);
	new_cache(C_FCLONE, "skbuff_fclone_cache", 2 * 256, 64, 0, 0, 0x880, 0x1111222233334444ULL);
	/* Red zoning: objects start red_left_pad into each size-byte slot;
	 * 4096 / 256 = 16 objects fill the page exactly. Free pointer at 0. */
	new_cache(C_EXPECT, "nf_conntrack_expect", 256, 0, 0, 64, 0x8c0, 0xa5a5a5a55a5a5a5aULL);
}

#ifdef SYNTH_HAS_CT_PCPU
static uint64_t pcpu_list(int ns, int cpu, size_t member)
{
	return im.cpu_base[cpu] + im.ns[ns].pcpu + member;
}
#endif

static int new_net(uint32_t inum, bool on_list)
{
	int i = im.nns++;
	uint64_t a = kalloc(sizeof(struct net));
	struct net *net = K(struct net, a);
	im.ns[i].net = a;
	im.ns[i].off_list = !on_list;
	NET_INUM(net) = inum;
#ifdef HAS_NS_OPS
	net->ns.ops = KADDR(const void, im.ops);
#endif
	if (on_list)
		list_add_tail(a + offsetof(struct net, list), im.nsl);
	list_init(a + offsetof(struct net, dev_base_head));
#ifdef SYNTH_HAS_NETNS_HASH
	im.ns[i].hash = new_hash(8);
	im.ns[i].hsize = 8;
	net->ct.hash = KADDR(struct hlist_nulls_head, im.ns[i].hash);
	net->ct.htable_size = 8;
	/* Its own cache, named after it. */
	static const int cache_of[] = { C_CT, C_CT_B, C_CT_C };
	const struct kcache *kc = &im.c[cache_of[i]];
	char slabname[64];
	snprintf(slabname, sizeof(slabname), "nf_conntrack_%llx", (unsigned long long)a);
	K(struct kmem_cache, kc->addr)->name = KADDR(const char, kstring(slabname));
	net->ct.nf_conntrack_cachep = KADDR(struct kmem_cache, kc->addr);
	net->ct.slabname = KADDR(char, ADDR(K(struct kmem_cache, kc->addr)->name));
#endif
#ifdef SYNTH_HAS_NETNS_LISTS
	net->ct.unconfirmed.first = NULLS(UNCONFIRMED_NULLS_VAL);
	net->ct.dying.first = NULLS(DYING_NULLS_VAL);
	net->ct.tmpl.first = NULLS(TEMPLATE_NULLS_VAL);
#endif
#ifdef SYNTH_HAS_CT_PCPU
	im.ns[i].pcpu = im.pcpu_next;
	im.pcpu_next += (sizeof(struct ct_pcpu) + 63) & ~(size_t)63;
	net->ct.pcpu_lists = KADDR(struct ct_pcpu, im.ns[i].pcpu);
	for (int c = 0; c < NR_CPUS; c++) {
		if (!(POSSIBLE >> c & 1))
			continue;
		struct ct_pcpu *pc = K(struct ct_pcpu, pcpu_list(i, c, 0));
		pc->unconfirmed.first = NULLS(UNCONFIRMED_NULLS_VAL);
		pc->dying.first = NULLS(DYING_NULLS_VAL);
#ifdef SYNTH_HAS_PCPU_TMPL
		pc->tmpl.first = NULLS(TEMPLATE_NULLS_VAL);
#endif
	}
#endif
#ifdef SYNTH_COUNT_IN_CTNET
	im.ns[i].ctnet = kalloc(sizeof(struct nf_conntrack_net));
#ifdef SYNTH_HAS_ECACHE_DYING
	K(struct nf_conntrack_net, im.ns[i].ctnet)->ecache.dying_list.first = NULLS(0);
#endif
	uint64_t g = kalloc(GEN_LEN * sizeof(void *));
	struct net_generic *gen = kmem(g, GEN_LEN * sizeof(void *));
	gen->s.len = GEN_LEN;
	gen->ptr[NET_ID] = KADDR(void, im.ns[i].ctnet);
	net->gen = KADDR(struct net_generic, g);
#endif
	return i;
}

/* Something that looks like a struct net but is not on the list. */
static uint64_t fake_net(uint32_t inum, bool right_ops)
{
	uint64_t a = kalloc(sizeof(struct net));
	NET_INUM(K(struct net, a)) = inum;
#ifdef HAS_NS_OPS
	K(struct net, a)->ns.ops = KADDR(const void, right_ops ? im.ops : im.ops + 0x40);
#else
	(void)right_ops;
#endif
	return a;
}

/* --- conntrack entries -------------------------------------------------- */

struct flow {
	u16 l3;
	u8 proto;
	const u8 *src, *dst;
	u16 sport, dport;
};

static u16 be16(u16 v)
{
	u8 b[2] = { (u8)(v >> 8), (u8)v };
	u16 r;
	memcpy(&r, b, 2);
	return r;
}

static void fill_tuple(struct nf_conntrack_tuple *t, const struct flow *f, int dir)
{
	size_t alen = f->l3 == 2 ? 4 : 16;
	memcpy(&t->src.u3, dir ? f->dst : f->src, alen);
	memcpy(&t->dst.u3, dir ? f->src : f->dst, alen);
	t->src.u.all = be16(dir ? f->dport : f->sport);
	t->dst.u.all = be16(dir ? f->sport : f->dport);
	t->src.l3num = f->l3;
	t->dst.protonum = f->proto;
	t->dst.dir = (u8)dir;
}

static void fill_conn(uint64_t a, uint64_t net, const struct flow *f, unsigned long status, int use,
		      u32 mark)
{
	struct nf_conn *ct = K(struct nf_conn, a);
	CT_USE(ct) = use;
	fill_tuple(&ct->tuplehash[0].tuple, f, 0);
	fill_tuple(&ct->tuplehash[1].tuple, f, 1);
	ct->tuplehash[0].hnnode.next = NULLS(0);
	ct->tuplehash[1].hnnode.next = NULLS(0);
	ct->status = status;
	ct->mark = mark;
	CT_NET(ct) = KADDR(struct net, net);
}

/* An nf_conn in slab `slab` of netns ns (-1: of the struct net at net). */
static struct plant *conn(int slab, int ns, uint64_t net, const struct flow *f,
			  unsigned long status, int use)
{
	uint64_t a = obj_alloc(slab);
	if (ns >= 0)
		net = im.ns[ns].net;
	fill_conn(a, net, f, status, use, 0x100u + (u32)im.np);
	if (im.np >= MAX_PLANT)
		abort();
	struct plant *p = &im.p[im.np++];
	*p = (struct plant){ .ct = a, .ns = ns, .net = net, .slab = slab, .counted = ns >= 0,
			     .lists = -1 };
	return p;
}

static struct plant *hashed(int slab, int ns, const struct flow *f, int use)
{
	struct plant *p = conn(slab, ns, 0, f, ST_HASHED, use);
	uint64_t hash = im.hash;
	uint32_t size = im.hsize;
#ifdef SYNTH_HAS_NETNS_HASH
	hash = im.ns[ns].hash;
	size = im.ns[ns].hsize;
#endif
	unsigned k = im.nhashed++;
	nulls_push(hash + 8ULL * ((k * 5 + 1) % size), node_of(p->ct, 0));
	nulls_push(hash + 8ULL * ((k * 3 + 6) % size), node_of(p->ct, 1));
	p->where = CT_FOUND_HASH;
	p->state = CT_STATE_CONFIRMED;
	p->suspect = use != 1;
	return p;
}

/* On no list: only the slab scan finds it. */
static struct plant *slab_only(int slab, int ns, uint64_t net, const struct flow *f,
			       unsigned long status, int use, enum ct_entry_state state,
			       const char *why)
{
	struct plant *p = conn(slab, ns, net, f, status, use);
	p->where = CT_FOUND_SLAB;
	p->state = state;
	p->suspect = state != CT_STATE_TRANSITION;
	p->why = why;
	return p;
}

/* The list (this generation's) where a dying entry of netns ns waits. */
static struct plant *dying_listed(int slab, int ns, const struct flow *f)
{
	struct plant *p = conn(slab, ns, 0, f, ST_HASHED | ST(DYING), 1);
	p->state = CT_STATE_DYING;
	p->suspect = true;
	p->why = "dying: deleted but still referenced";
#if defined(SYNTH_HAS_CT_PCPU)
	nulls_push(pcpu_list(ns, 4, offsetof(struct ct_pcpu, dying)), node_of(p->ct, 0));
	K(struct nf_conn, p->ct)->cpu = 4;
	p->where = CT_FOUND_DYING;
	p->lists = CT_LISTS_PER_CPU;
#elif defined(SYNTH_HAS_ECACHE_DYING)
	nulls_push(im.ns[ns].ctnet + offsetof(struct nf_conntrack_net, ecache.dying_list),
		   node_of(p->ct, 0));
	p->where = CT_FOUND_ECACHE_DYING;
#endif
	return p;
}

static void img_finish(void)
{
	for (int i = 0; i < im.nns; i++) {
		int64_t c = 0;
		for (int k = 0; k < im.np; k++)
			c += im.p[k].ns == i && im.p[k].counted;
		im.ns[i].count = c;
#ifdef SYNTH_COUNT_IN_CTNET
		K(struct nf_conntrack_net, im.ns[i].ctnet)->count.counter = (int)c;
#else
		K(struct net, im.ns[i].net)->ct.count.counter = (int)c;
#endif
	}
	slabs_finish();
}

/* --- the standard image ------------------------------------------------- */

static const u8 ETH0[4] = { 10, 0, 0, 1 }, ETH_B[4] = { 10, 0, 1, 1 },
		REMOTE[4] = { 192, 0, 2, 7 }, PEER[4] = { 198, 51, 100, 9 },
		WEB[4] = { 93, 184, 216, 34 };

enum { NS_A, NS_B, NS_C };    /* C: being torn down */
enum { S_A, S_FULL, S_B, S_C };   /* the nf_conntrack slabs */

/* The nf_conntrack cache that holds the entries of netns ns. */
static int cache_of_ns(int ns)
{
#ifdef SYNTH_HAS_NETNS_HASH
	return ns == NS_B ? C_CT_B : ns == NS_C ? C_CT_C : C_CT;
#else
	(void)ns;
	return C_CT;
#endif
}

/* Interesting plants, by role, for the checks. */
static struct {
	struct plant *u1, *d1, *o1, *t1, *h1, *h4, *ub, *c_slab, *c_list, *fake_ops, *fake_inum;
	int skb_slab, fclone_slab, expect_slab;
	uint64_t skb1, skb2, skb3, fclone1, exp1, dev;
} std;

/* Free objects keep what they held (SLAB_TYPESAFE_BY_RCU for entries):
 * valid-looking entries, skbs and expectations referring to suspects. */
static void stale_conn(uint64_t a)
{
	struct flow f = { 2, 6, REMOTE, PEER, 1234, 80 };
	fill_conn(a, im.ns[NS_A].net, &f, ST_HASHED, 1, 0xdead);
	if (std.o1)
		K(struct nf_conn, a)->master = KADDR(struct nf_conn, std.o1->ct);
}

#ifdef SYNTH_HAS_SHEAVES
/* What kernels-7x.md saw in the sheaves of a real 7.3 dump: freed entries
 * that look like dying ones of a namespace already gone (still holding a
 * reference, as if leaked), and some whose ct_net is zero. */
static void stale_sheaf_conn(uint64_t a, int k)
{
	struct flow f = { 2, 17, REMOTE, PEER, (u16)(2000 + k), 53 };
	if (k % 3 != 2)
		fill_conn(a, im.dead_net, &f, ST_HASHED | ST(DYING), 1, 0xdead);
	else
		fill_conn(a, 0, &f, ST_HASHED, 0, 0xdead);
}
#endif

static void stale_skb(uint64_t a)
{
	if (!std.u1)
		return;
	struct sk_buff *skb = K(struct sk_buff, a);
	skb->len = 99;
#if SYNTH_GEN == 310
	skb->nfct = KADDR(struct nf_conntrack, std.u1->ct);
#else
	skb->_nfct = std.u1->ct | IP_CT_NEW;
#endif
}

static void stale_expect(uint64_t a)
{
	if (std.o1)
		K(struct nf_conntrack_expect, a)->master = KADDR(struct nf_conn, std.o1->ct);
}

static uint64_t new_skb(int slab, uint64_t at, uint64_t ct, uint64_t dev)
{
	uint64_t a = at ? at : obj_alloc(slab);
	struct sk_buff *skb = K(struct sk_buff, a);
	skb->len = 60;
	skb->dev = KADDR(struct net_device, dev);
#if SYNTH_GEN == 310
	skb->nfct = KADDR(struct nf_conntrack, ct);
	skb->nfctinfo = IP_CT_NEW;
#else
	skb->_nfct = ct ? ct | IP_CT_NEW : 0;
#endif
	return a;
}

static void add_hold(struct plant *p, const char *kind, uint64_t addr, const char *detail, int slab)
{
	p->hold[p->nhold++] = (struct hold){ kind, addr, detail, slab };
}

/*
 * Namespaces A and B on the list, C being torn down (off the list: found
 * through its objects only). nf_conntrack slabs of order 1, 8 objects each
 * (before 4.7 each namespace's in its own cache):
 *   S_A    A's; CPU 1's slab, its free objects split between its freelist
 *          and CPU 1's (B_CPU_ONLY: all on CPU 1's)
 *   S_FULL A's; full: no freelist, on no CPU
 *   S_B    B's; its free objects on its freelist (B_CPU_ONLY: CPU 5's)
 *   S_C    C's, and two objects whose ct_net is no namespace; CPU 2's
 *          slab, its free objects all on CPU 2's freelist
 * 7.x has no CPU slabs: what would be on a CPU's freelist is in the
 * cache's sheaves and barns instead (sheaves_finish), looking like dying
 * entries of a dead namespace or with no namespace at all.
 */
static void build_standard(unsigned flags)
{
	memset(&std, 0, sizeof(std));
	for (int c = 0; c < NCACHES; c++)
		stale_fill[c] = stale_conn;
	stale_fill[C_SKB] = stale_skb;
	stale_fill[C_FCLONE] = stale_skb;
	stale_fill[C_EXPECT] = stale_expect;
	img_new(flags);
#ifdef SYNTH_HAS_SHEAVES
	memset(sheaf_fill, 0, sizeof(sheaf_fill));
	sheaf_fill[C_CT] = stale_sheaf_conn;
#endif
	/* A namespace already freed: only stale objects still point at it. */
	im.dead_net = fake_net(0xf0000400, true);
	new_net(0xf0000098, true);
	new_net(0xf00001b9, true);
	new_net(0xf0000200, false);
	bool cpu_only = flags & B_CPU_ONLY;
	int sa = new_slab(cache_of_ns(NS_A), cpu_only ? FL_CPU : FL_SPLIT, 1);
	int sf = new_slab(cache_of_ns(NS_A), FL_SLAB, -1);
	int sb = new_slab(cache_of_ns(NS_B), cpu_only ? FL_CPU : FL_SLAB, 5);
	int sc = new_slab(cache_of_ns(NS_C), FL_CPU, 2);
	if (sa != S_A || sf != S_FULL || sb != S_B || sc != S_C)
		abort();
	std.skb_slab = new_slab(C_SKB, FL_SPLIT, 0);
	std.fclone_slab = new_slab(C_FCLONE, FL_SLAB, -1);
	std.expect_slab = new_slab(C_EXPECT, FL_SLAB, -1);
	int decoy = new_slab(C_DECOY, FL_SLAB, -1);

	struct flow web = { 2, 6, ETH0, WEB, 40000, 443 };
	struct flow dns = { 2, 17, ETH_B, PEER, 50000, 53 };
	struct flow in = { 2, 17, REMOTE, ETH0, 33001, 7001 };
	struct flow gone = { 2, 17, ETH0, PEER, 33005, 7003 };

	/* S_A: 5 of 8 allocated. */
	std.h1 = hashed(S_A, NS_A, &web, 1);
	std.u1 = slab_only(S_A, NS_A, 0, &in, 0, 1, CT_STATE_UNCONFIRMED, "unconfirmed: created at ");
	web.sport++;
	std.o1 = slab_only(S_A, NS_A, 0, &web, ST_HASHED, 1, CT_STATE_ORPHANED,
			   "confirmed and alive but in no table");
	web.sport++;
	/* Refcount 0: being built or freed right now: not a suspect. */
	std.t1 = slab_only(S_A, NS_A, 0, &web, ST_HASHED, 0, CT_STATE_TRANSITION, NULL);
	std.t1->no_reasons = true;
	gone.sport++;
	dying_listed(S_A, NS_A, &gone);

	/* S_FULL: all 8 allocated. */
	for (int k = 0; k < 6; k++) {
		web.sport++;
		struct plant *h = hashed(S_FULL, NS_A, &web, k == 2 ? 2 : 1);
		if (k == 2) {
			std.h4 = h;
			h->why = "refcount 2 above the 1 the table holds";
		}
	}
	gone.sport++;
	std.d1 = slab_only(S_FULL, NS_A, 0, &gone, ST_HASHED | ST(DYING), 1, CT_STATE_DYING,
			   "dying: deleted but still referenced");
	web.sport++;
	/* A related entry: holds a reference on its master o1. */
	struct plant *c1 = hashed(S_FULL, NS_A, &web, 1);
	K(struct nf_conn, c1->ct)->master = KADDR(struct nf_conn, std.o1->ct);
	add_hold(std.o1, "child", c1->ct, NULL, -1);

	/* S_B: 3 of 8. */
	hashed(S_B, NS_B, &dns, 1);
	dns.sport++;
	hashed(S_B, NS_B, &dns, 1);
	dns.sport++;
	std.ub = slab_only(S_B, NS_B, 0, &dns, 0, 1, CT_STATE_UNCONFIRMED, "unconfirmed");

	/* S_C: 4 of 8 (3 before 4.4); the torn-down namespace, and objects
	 * whose ct_net is no namespace. */
	web.sport++;
	std.c_slab = slab_only(S_C, NS_C, 0, &web, ST_HASHED, 1, CT_STATE_ORPHANED, "being torn down");
	gone.sport++;
	std.c_list = dying_listed(S_C, NS_C, &gone);
	std.c_list->why = "being torn down";
	web.sport++;
#ifdef HAS_NS_OPS
	/* Without net.ns.ops anything with a plausible inum passes for a netns. */
	std.fake_ops = slab_only(S_C, -1, fake_net(0xf0000300, false), &web, ST_HASHED, 1,
				 CT_STATE_ORPHANED, "is not on net_namespace_list");
	web.sport++;
#endif
	std.fake_inum = slab_only(S_C, -1, fake_net(7, true), &web, ST_HASHED, 1, CT_STATE_ORPHANED,
				  "is not on net_namespace_list");

	/* Holders. */
	std.dev = kalloc(sizeof(struct net_device));
	memcpy(K(struct net_device, std.dev)->name, "eth0", 5);
	std.skb1 = new_skb(std.skb_slab, 0, std.u1->ct, std.dev);
	add_hold(std.u1, "skb", std.skb1, "len 60 dev eth0", std.skb_slab);
	std.skb2 = new_skb(std.skb_slab, 0, std.h4->ct, 0);
	add_hold(std.h4, "skb", std.skb2, "len 60 dev -", std.skb_slab);
	std.skb3 = new_skb(std.skb_slab, 0, std.h1->ct, std.dev); /* h1 is no suspect */
	new_skb(std.skb_slab, 0, 0, std.dev);
	/* An fclone pair: the second skb holds ub. */
	std.fclone1 = obj_alloc(std.fclone_slab);
	new_skb(-1, std.fclone1, 0, std.dev);
	new_skb(-1, std.fclone1 + sizeof(struct sk_buff), std.ub->ct, std.dev);
	add_hold(std.ub, "skb", std.fclone1 + sizeof(struct sk_buff), "len 60 dev eth0",
		 std.fclone_slab);
	/* An expectation whose master is d1. */
	std.exp1 = obj_alloc(std.expect_slab);
	K(struct nf_conntrack_expect, std.exp1)->master = KADDR(struct nf_conn, std.d1->ct);
	add_hold(std.d1, "expect", std.exp1, NULL, std.expect_slab);
	/* Objects of a cache nobody scans, looking like entries. */
	stale_conn(obj_alloc(decoy));
	/* A page that is no slab page though its slab_cache word says so. */
	desc_t *np = K(desc_t, VMEMMAP + 700 * sizeof(struct page));
	np->slab_cache = KADDR(struct kmem_cache, im.c[C_CT].addr);
	np->objects = 8;
	img_finish();
}

#ifdef SYNTH_COUNT_IN_CTNET
/* --- NFQUEUE ----------------------------------------------------------------- */

/* The synthetic kernels do not declare nfnetlink_queue: its layout is given
 * by hand (nfq_layout) and the image built to match it:
 * nfnl_queue_net.instance_table at 0 (16 hlist heads); nfqnl_instance.hlist
 * at 0, queue_list 16, queue_num 32 (u16), peer_portid 36, queue_total 40;
 * nf_queue_entry.list at 0, skb 16, id 24, state.hook 28 (u8). */
#define NFQ_ID 6                          /* nfnl_queue_net_id: a net_generic slot */

static void nfq_layout(struct ct_layout *l)
{
	static const struct { enum ct_layout_id id; int64_t off; uint64_t size; } f[] = {
		{ CTL_NFQ_NET_TABLE, 0, 128 }, { CTL_NFQ_INST_HLIST, 0, 16 },
		{ CTL_NFQ_INST_LIST, 16, 16 }, { CTL_NFQ_INST_NUM, 32, 2 },
		{ CTL_NFQ_INST_PORTID, 36, 4 }, { CTL_NFQ_INST_TOTAL, 40, 4 },
		{ CTL_NFQ_ENTRY_LIST, 0, 16 }, { CTL_NFQ_ENTRY_SKB, 16, 8 },
		{ CTL_NFQ_ENTRY_ID, 24, 4 }, { CTL_NFQ_ENTRY_HOOK, 28, 1 },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
		l->e[f[i].id] = (struct ct_layout_entry){ .state = CTL_PRESENT, .value = f[i].off,
							  .size = f[i].size };
}

static struct {
	uint64_t gen, qnet, inst, entry[2];
} nfq;

/* Namespace A's queue 7004 (peer port id 4242, in bucket 3) with two
 * packets: u1's at POST_ROUTING, h4's at LOCAL_IN; their skbs live outside
 * the skb caches. qid_addr holds nfnl_queue_net_id. With holds, the two
 * entries are planted as held by their queue entries. After build_standard. */
static void add_nfqueue(uint64_t qid_addr, bool holds)
{
	*K(u32, qid_addr) = NFQ_ID;
	nfq.gen = ADDR(K(struct net, im.ns[NS_A].net)->gen);
	nfq.qnet = kalloc(16 * 8);
	((u64 *)kmem(nfq.gen, GEN_LEN * 8))[NFQ_ID] = nfq.qnet;
	nfq.inst = kalloc(64);
	*K(u64, nfq.qnet + 3 * 8) = nfq.inst;          /* hlist_add_head_rcu */
	*K(u64, nfq.inst + 8) = nfq.qnet + 3 * 8;
	list_init(nfq.inst + 16);
	*K(u16, nfq.inst + 32) = 7004;
	*K(u32, nfq.inst + 36) = 4242;
	*K(u32, nfq.inst + 40) = 2;
	struct plant *held[2] = { std.u1, std.h4 };
	static const char *const detail[2] = { "queue 7004 packet id 100 hook POST_ROUTING",
					       "queue 7004 packet id 101 hook LOCAL_IN" };
	for (int i = 0; i < 2; i++) {
		uint64_t e = nfq.entry[i] = kalloc(64);
		list_add_tail(e, nfq.inst + 16);
		*K(u64, e + 16) = new_skb(-1, kalloc(sizeof(struct sk_buff)), held[i]->ct, std.dev);
		*K(u32, e + 24) = 100u + (u32)i;
		*K(u8, e + 28) = i ? 1 : 4;                /* NF_INET_LOCAL_IN, _POST_ROUTING */
		if (holds)
			add_hold(held[i], "nfqueue", e, detail[i], -1);
	}
}
#endif

/* --- walking and checking ----------------------------------------------- */

static void walk(const struct ct_kmodel *m, struct ct_report *r)
{
	struct ct_walk_opts o = { .filter = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS },
				  .slab = true, .holders = true };
	struct ct_error err = { 0 };
	ct_report_init(r, 10000);
	ct_status st = ct_walk(&im.prog, m, &o, r, &err);
	CHECK(st == CT_OK, "%s: ct_walk: %s", label, err.text);
	flatten_kept(r);
}

static bool has_problem(const struct ct_report *r, const char *what)
{
	for (size_t i = 0; i < r->n_problems; i++)
		if (strstr(r->problems[i].what, what))
			return true;
	return false;
}

static bool has_reason(const struct ct_entry *e, const char *what)
{
	for (unsigned i = 0; i < e->nreasons; i++)
		if (strstr(e->reasons[i], what))
			return true;
	return false;
}

static const struct ct_entry *entry_of(const struct ct_report *r, uint64_t ct)
{
	for (size_t i = 0; i < r->n_entries; i++)
		if (r->entries[i].addr == ct)
			return &r->entries[i];
	return NULL;
}

static const struct ct_netns *netns_of(const struct ct_report *r, uint64_t net)
{
	for (size_t i = 0; i < r->n_netns; i++)
		if (r->netns[i].net == net)
			return &r->netns[i];
	return NULL;
}

static bool plant_lost(const struct plant *p)
{
	return p->where == CT_FOUND_SLAB && (im.no_scan || im.s[p->slab].lost);
}

/* A namespace off the list is found only through a slab object of its own. */
static bool ns_found(int i)
{
	if (!im.ns[i].off_list)
		return true;
	for (int k = 0; k < im.np; k++)
		if (im.p[k].ns == i && im.p[k].where == CT_FOUND_SLAB && !plant_lost(&im.p[k]))
			return true;
	return false;
}

static bool visible(const struct plant *p, const struct ct_kmodel *m)
{
	return !plant_lost(p) && (p->ns < 0 || ns_found(p->ns)) &&
	       (p->lists < 0 || p->lists == (int)m->lists);
}

static const struct plant *plant_of(uint64_t ct)
{
	for (int k = 0; k < im.np; k++)
		if (im.p[k].ct == ct)
			return &im.p[k];
	return NULL;
}

/* Namespaces, counts, slab totals, every entry and its holders against the
 * plan; problem: NULL for a walk without problems, else a phrase one of
 * them must contain. */
static const char ANY_PROBLEMS[] = "(any)";  /* problems not checked */

static void check_walk(const struct ct_kmodel *m, const struct ct_report *r, const char *problem)
{
	size_t want_ns = 0;
	/* Free objects the scan could not know free (a hostile image hid the
	 * sheaves holding them) are counted allocated: they are reported, and
	 * the dead namespace of some of them with them. */
	int nlost = 0;
#ifdef SYNTH_HAS_SHEAVES
	nlost = im.nlost_free;
#endif
	for (int i = 0; i < im.nns; i++)
		want_ns += ns_found(i);
	CHECK(r->n_netns == want_ns ||
	      (nlost && r->n_netns == want_ns + 1 && netns_of(r, im.dead_net)),
	      "%s: %zu namespaces, want %zu", label, r->n_netns, want_ns);
	uint64_t all_suspects = 0;
	for (int k = 0; k < im.np; k++)
		all_suspects += visible(&im.p[k], m) && im.p[k].suspect;
	CHECK(nlost ? r->suspects >= all_suspects : r->suspects == all_suspects,
	      "%s: %llu suspects, want %llu", label, (unsigned long long)r->suspects,
	      (unsigned long long)all_suspects);
	for (int i = 0; i < im.nns; i++) {
		if (!ns_found(i))
			continue;
		const struct ct_netns *rn = netns_of(r, im.ns[i].net);
		CHECK(rn != NULL, "%s: netns %d (%#llx) not reported", label, i,
		      (unsigned long long)im.ns[i].net);
		if (!rn)
			continue;
		uint64_t n[CT_FOUND_SLAB + 1] = { 0 }, suspects = 0, found = 0;
		for (int k = 0; k < im.np; k++)
			if (im.p[k].ns == i && visible(&im.p[k], m)) {
				n[im.p[k].where]++;
				suspects += im.p[k].suspect;
				found++;
			}
		CHECK(rn->inum == NET_INUM(K(struct net, im.ns[i].net)) && rn->cleanup == im.ns[i].off_list,
		      "%s: netns %d inum %u cleanup %d", label, i, rn->inum, rn->cleanup);
		CHECK(rn->count_known && rn->count == im.ns[i].count,
		      "%s: netns %d count %lld (known %d), want %lld", label, i,
		      (long long)rn->count, rn->count_known, (long long)im.ns[i].count);
		CHECK(rn->hashed == n[CT_FOUND_HASH] && rn->unconfirmed == n[CT_FOUND_UNCONFIRMED] &&
		      rn->dying == n[CT_FOUND_DYING] && rn->ecache_dying == n[CT_FOUND_ECACHE_DYING] &&
		      rn->templates == n[CT_FOUND_TEMPLATE_LIST] && rn->slab_only == n[CT_FOUND_SLAB],
		      "%s: netns %d hashed/unconf/dying/ecache/tmpl/slab %llu/%llu/%llu/%llu/%llu/%llu, "
		      "want %llu/%llu/%llu/%llu/%llu/%llu", label, i,
		      (unsigned long long)rn->hashed, (unsigned long long)rn->unconfirmed,
		      (unsigned long long)rn->dying, (unsigned long long)rn->ecache_dying,
		      (unsigned long long)rn->templates, (unsigned long long)rn->slab_only,
		      (unsigned long long)n[CT_FOUND_HASH], (unsigned long long)n[CT_FOUND_UNCONFIRMED],
		      (unsigned long long)n[CT_FOUND_DYING], (unsigned long long)n[CT_FOUND_ECACHE_DYING],
		      (unsigned long long)n[CT_FOUND_TEMPLATE_LIST], (unsigned long long)n[CT_FOUND_SLAB]);
		CHECK(ct_netns_unaccounted(rn) == im.ns[i].count - (int64_t)found,
		      "%s: netns %d unaccounted %lld, want %lld", label, i,
		      (long long)ct_netns_unaccounted(rn), (long long)(im.ns[i].count - (int64_t)found));
		CHECK(rn->suspects == suspects, "%s: netns %d suspects %llu, want %llu", label, i,
		      (unsigned long long)rn->suspects, (unsigned long long)suspects);
	}

	/* Slab totals: the nf_conntrack slabs the scan could classify. */
	uint64_t slabs = 0, objects = 0, allocated = 0;
	for (int i = 0; i < im.ns_slabs; i++)
		if (ct_cache(im.s[i].cache) && !im.s[i].lost) {
			slabs++;
			objects += im.s[i].nobj;
			allocated += used_objects(&im.s[i]);
		}
	allocated += (uint64_t)nlost;
	if (im.no_scan) {
		CHECK(!r->slab.scanned && r->slab.slabs == 0 && r->slab.allocated == 0,
		      "%s: no slab scan, yet scanned %d, %llu slabs", label, r->slab.scanned,
		      (unsigned long long)r->slab.slabs);
	} else {
		CHECK(r->slab.scanned, "%s: slab scanned", label);
		CHECK(r->slab.slabs == slabs && r->slab.objects == objects && r->slab.allocated == allocated,
		      "%s: slabs/objects/allocated %llu/%llu/%llu, want %llu/%llu/%llu", label,
		      (unsigned long long)r->slab.slabs, (unsigned long long)r->slab.objects,
		      (unsigned long long)r->slab.allocated, (unsigned long long)slabs,
		      (unsigned long long)objects, (unsigned long long)allocated);
		CHECK(r->slab.unreadable_pages == im.unreadable, "%s: unreadable pages %llu, want %llu",
		      label, (unsigned long long)r->slab.unreadable_pages,
		      (unsigned long long)im.unreadable);
		CHECK(r->holders_searched, "%s: holders searched", label);
	}

	/* Every visible entry exactly once, as planted, with its holders. */
	for (int k = 0; k < im.np; k++) {
		const struct plant *p = &im.p[k];
		if (!visible(p, m))
			continue;
		const struct ct_entry *e = NULL;
		int times = 0;
		for (size_t i = 0; i < r->n_entries; i++)
			if (r->entries[i].addr == p->ct) {
				e = &r->entries[i];
				times++;
			}
		CHECK(times == 1, "%s: entry %#llx (%s) reported %d times", label,
		      (unsigned long long)p->ct, ct_found_in_name(p->where), times);
		if (!e)
			continue;
		CHECK(e->found_in == p->where && e->state == p->state && e->suspect == p->suspect &&
		      e->net == p->net,
		      "%s: entry %#llx: %s %s suspect %d net %#llx (%s), want %s %s suspect %d net %#llx",
		      label, (unsigned long long)p->ct, ct_found_in_name(e->found_in),
		      ct_entry_state_name(e->state), e->suspect, (unsigned long long)e->net,
		      e->nreasons ? e->reasons[0] : "", ct_found_in_name(p->where),
		      ct_entry_state_name(p->state), p->suspect, (unsigned long long)p->net);
		if (p->why)
			CHECK(has_reason(e, p->why), "%s: entry %#llx: no reason says \"%s\" (%u: %s)",
			      label, (unsigned long long)p->ct, p->why, e->nreasons,
			      e->nreasons ? e->reasons[0] : "");
		if (p->no_reasons)
			CHECK(e->nreasons == 0, "%s: entry %#llx: reason \"%s\"", label,
			      (unsigned long long)p->ct, e->nreasons ? e->reasons[0] : "");
		CHECK(e->mark == K(struct nf_conn, p->ct)->mark, "%s: mark", label);
		/* Holders: those planted and still visible, nothing else. */
		unsigned want = 0;
		for (int h = 0; h < p->nhold; h++) {
			const struct hold *ph = &p->hold[h];
			const struct plant *hp = plant_of(ph->addr);
			if ((hp && !visible(hp, m)) ||
			    (ph->slab >= 0 && (im.no_scan || im.s[ph->slab].lost)))
				continue;
			want++;
			bool ok = false;
			for (unsigned j = 0; j < e->nholders; j++)
				ok |= strcmp(e->holders[j].kind, ph->kind) == 0 &&
				      e->holders[j].addr == ph->addr &&
				      (!ph->detail || strstr(e->holders[j].detail, ph->detail));
			CHECK(ok, "%s: entry %#llx: no holder %s %#llx%s%s (%u holders%s%s %s)", label,
			      (unsigned long long)p->ct, ph->kind, (unsigned long long)ph->addr,
			      ph->detail ? " " : "", ph->detail ? ph->detail : "", e->nholders,
			      e->nholders ? ", first: " : "", e->nholders ? e->holders[0].kind : "",
			      e->nholders ? e->holders[0].detail : "");
		}
		/* Free objects counted allocated may name it their master. */
		for (unsigned j = 0; j < e->nholders; j++)
			want += lost_free(e->holders[j].addr);
		CHECK(e->nholders == want && e->holders_total == want,
			      "%s: entry %#llx: %u holders (%u in all), want %u%s%s", label,
			      (unsigned long long)p->ct, e->nholders, e->holders_total, want,
			      e->nholders ? ", first: " : "",
			      e->nholders ? e->holders[0].detail : "");
	}
	for (size_t i = 0; i < r->n_entries; i++) {
		const struct plant *p = plant_of(r->entries[i].addr);
		CHECK((p && visible(p, m)) || lost_free(r->entries[i].addr),
		      "%s: unexpected entry %#llx (%s, %s)", label,
		      (unsigned long long)r->entries[i].addr, ct_found_in_name(r->entries[i].found_in),
		      r->entries[i].nreasons ? r->entries[i].reasons[0] : "");
	}
	if (!problem)
		CHECK(r->n_problems == 0, "%s: %zu problems, first: %s", label, r->n_problems,
		      r->n_problems ? r->problems[0].what : "");
	else if (problem != ANY_PROBLEMS)
		CHECK(has_problem(r, problem), "%s: no problem says \"%s\" (%zu problems%s%s)",
		      label, problem, r->n_problems, r->n_problems ? ", first: " : "",
		      r->n_problems ? r->problems[0].what : "");
}

static void walk_and_check(const struct ct_kmodel *m, const char *problem)
{
	struct ct_report r;
	walk(m, &r);
	check_walk(m, &r, problem);
	ct_report_free(&r);
	img_close();
	im.t = NULL;
}

static void lose_slab(int slab)
{
	im.s[slab].lost = true;
}

/* --- the tests ---------------------------------------------------------- */

static void test_standard(const struct ct_kmodel *m, bool swab)
{
	struct ct_report r;
	label = swab ? "standard image (5.7+ freelists)" : "standard image (pre-5.7 freelists)";
	build_standard(swab ? B_SWAB : 0);
	walk(m, &r);
	check_walk(m, &r, NULL);
	/* What the brief of the scan promises, spelled out. */
	const struct ct_netns *c = netns_of(&r, im.ns[NS_C].net);
	CHECK(r.n_netns == 3 && c && c->cleanup && c == &r.netns[2],
	      "%s: the namespace in teardown comes third, marked cleanup", label);
	CHECK(netns_of(&r, std.fake_inum->net) == NULL &&
	      (!std.fake_ops || netns_of(&r, std.fake_ops->net) == NULL),
	      "%s: a ct_net that is no netns makes no namespace", label);
	const struct ct_entry *t1 = entry_of(&r, std.t1->ct);
	CHECK(t1 && t1->state == CT_STATE_TRANSITION && !t1->suspect,
	      "%s: refcount 0 in the slab is a transition, not a suspect", label);
	const struct ct_entry *d1 = entry_of(&r, std.d1->ct);
	CHECK(d1 && !has_reason(d1, "no holder found"), "%s: d1 is held by its expectation", label);
	const struct ct_entry *cl = entry_of(&r, std.c_list->ct);
	CHECK(cl && cl->found_in != CT_FOUND_SLAB,
	      "%s: the torn-down namespace's list was walked before the slab leftovers", label);
	for (int i = 0; i < im.nns; i++) {
		const struct ct_netns *rn = netns_of(&r, im.ns[i].net);
		CHECK(rn && rn->count_known && ct_netns_unaccounted(rn) == 0,
		      "%s: netns %d: every counted entry accounted for", label, i);
	}
	bool free_seen = false;
	for (size_t i = 0; i < r.n_entries; i++)
		free_seen |= r.entries[i].mark == 0xdead;
	CHECK(!free_seen, "%s: a free object was reported", label);
	CHECK(netns_of(&r, im.dead_net) == NULL, "%s: the dead namespace is not reported", label);
#ifdef SYNTH_HAS_SHEAVES
	/* The objects in sheaves: free, though their slabs count them in use. */
	const struct ksheaves *sh = &im.sh[C_CT];
	int in_sheaves = 0, reported = 0;
	for (int slot = 0; slot < NSLOTS; slot++)
		for (int i = 0; i < sh->n[slot]; i++) {
			in_sheaves++;
			reported += entry_of(&r, sh->obj[slot][i]) != NULL;
		}
	CHECK(in_sheaves >= NSLOTS && reported == 0,
	      "%s: %d of the %d nf_conn in sheaves reported", label, reported, in_sheaves);
#endif
	CHECK(ct_report_complete(&r), "%s: the account is complete (%zu: %s)", label,
	      r.n_incomplete, r.n_incomplete ? r.incomplete[0].what : "");
	ct_report_free(&r);
	img_close();
}

/* Replace the stored next pointer of the i-th object of a freelist. */
static void set_next(int slab, int which, int i, uint64_t next)
{
	struct kslab *s = &im.s[slab];
	const struct kcache *c = &im.c[s->cache];
	if (i >= s->nfl[which])
		abort();
	uint64_t slot = s->fl[which][i] + c->offset;
	*K(u64, slot) = encode(c, next, slot);
}

static void test_broken_freelists(const struct ct_kmodel *m)
{
	char what[160];
	for (int v = 1; v >= 0; v--) {
		unsigned f = v ? B_SWAB : 0;
		const char *enc = v ? " (5.7+)" : " (pre-5.7)";
		char lbl[96];
		label = lbl;
		/* S_A comes first in the memmap: on a pre-5.7 image it is the
		 * first freelist the encoding could be learnt from. */
		snprintf(lbl, sizeof(lbl), "slab freelist leaves the slab%s", enc);
		build_standard(f);
		set_next(S_A, 0, 0, obj_addr(S_FULL, 2));
		lose_slab(S_A);
		snprintf(what, sizeof(what), "slab at %#llx: freelist broken, its objects not classified",
			 (unsigned long long)im.s[S_A].base);
		walk_and_check(m, what);

#ifndef SYNTH_NO_CPU_SLAB
		snprintf(lbl, sizeof(lbl), "CPU freelist into the middle of an object%s", enc);
		build_standard(f);
		set_next(S_A, 1, 0, obj_addr(S_A, 5) + 8);
		lose_slab(S_A);
		snprintf(what, sizeof(what), "slab at %#llx: freelist broken",
			 (unsigned long long)im.s[S_A].base);
		walk_and_check(m, what);

		snprintf(lbl, sizeof(lbl), "CPU freelist loops%s", enc);
		build_standard(f);
		set_next(S_C, 1, im.s[S_C].nfl[1] - 1, im.s[S_C].fl[1][0]);
		lose_slab(S_C);
		snprintf(what, sizeof(what), "slab at %#llx: freelist broken",
			 (unsigned long long)im.s[S_C].base);
		walk_and_check(m, what);
#endif

		snprintf(lbl, sizeof(lbl), "skb freelist leaves the slab%s", enc);
		build_standard(f);
		set_next(std.skb_slab, 0, 0, KNOWHERE);
		lose_slab(std.skb_slab); /* u1 and h4 lose their skb holders */
		snprintf(what, sizeof(what), "skbuff_head_cache slab at %#llx: freelist broken",
			 (unsigned long long)im.s[std.skb_slab].base);
		walk_and_check(m, what);

		/* The CPU's slab usually has an empty freelist of its own: the
		 * CPU's lockless freelist holds all its free objects (7.x: the
		 * sheaves hold them). */
		snprintf(lbl, sizeof(lbl), "free objects only on CPU freelists or in sheaves%s", enc);
		build_standard(f | B_CPU_ONLY);
		walk_and_check(m, NULL);
	}
}

static void test_bad_counts(const struct ct_kmodel *m)
{
	/* 40000 does not fit the 15-bit field: what it would leave, 7232,
	 * is as implausible. */
	static const uint32_t counts[] = { 0, 9, 0x7fff, 40000 & 0x7fff };
	char what[128], lbl[64];
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		snprintf(lbl, sizeof(lbl), "slab claiming %u objects", counts[i]);
		label = lbl;
		build_standard(B_SWAB);
		K(desc_t, im.s[S_FULL].desc)->objects = counts[i];
		lose_slab(S_FULL);
		snprintf(what, sizeof(what), "slab at %#llx claims %u objects: skipped",
			 (unsigned long long)im.s[S_FULL].base, counts[i]);
		walk_and_check(m, what);
	}
}

static void test_memmap(const struct ct_kmodel *m)
{
	label = "memmap with a hole and an excluded part";
	build_standard(B_SWAB | B_MEMMAP_HOLE);
	walk_and_check(m, NULL);

	label = "max_pfn not plausible";
	build_standard(B_SWAB);
	*K(u64, im.max_pfn_var) = 1ULL << 41;
	im.no_scan = true;
	walk_and_check(m, "max_pfn 0x20000000000 not plausible");

	/* Plausible by itself, but the memmap ends long before it (nothing is
	 * mapped at its last struct page): scanning up to it would take hours
	 * of failed reads (found by tests/fuzz/fuzz_walk). */
	label = "max_pfn beyond the memmap";
	build_standard(B_SWAB);
	*K(u64, im.max_pfn_var) = 1ULL << 39;
	im.no_scan = true;
	walk_and_check(m, "max_pfn 0x8000000000 not plausible: no memmap at its last struct page");

	label = "no vmemmap_base";
	build_standard(B_SWAB | B_NO_VMEMMAP);
	im.no_scan = true;
	walk_and_check(m, "slab scan impossible: no symbol vmemmap_base");

#ifndef SYNTH_HAS_NETNS_HASH
	label = "nf_conntrack_cachep unreadable";
	build_standard(B_SWAB);
	*K(u64, im.cachep_var) = KNOWHERE;
	im.no_scan = true;
	walk_and_check(m, "slab scan: cache nf_conntrack unreadable");
#endif

	/* Namespace A's cache (the only one from 4.7): not scanned; before
	 * 4.7 the other namespaces' caches still are. */
	label = "nf_conntrack cache geometry";
	build_standard(B_SWAB);
	K(struct kmem_cache, im.c[C_CT].addr)->size = 0;
#ifdef SYNTH_HAS_NETNS_HASH
	lose_slab(S_A);
	lose_slab(S_FULL);
#else
	im.no_scan = true;
#endif
	walk_and_check(m, "geometry not plausible (size 0, offset");
}

/* slab_caches is a list of caches found by name: a name that cannot be
 * read in full (the string ends just before unmapped memory) must not
 * hide the caches after it. */
static void test_cache_names(const struct ct_kmodel *m)
{
	label = "cache name at the end of mapped memory";
	build_standard(B_SWAB);
	struct kmem_cache *decoy = K(struct kmem_cache, im.c[C_DECOY].addr);
	uint64_t end = KRODATA + PAGE - 11; /* "kmalloc-1k\0" ends the segment */
	memcpy(kmem(end, 11), "kmalloc-1k", 11);
	decoy->name = KADDR(const char, end);
	walk_and_check(m, NULL);

	label = "cache name unreadable";
	build_standard(B_SWAB);
	decoy = K(struct kmem_cache, im.c[C_DECOY].addr);
	decoy->name = KADDR(const char, KNOWHERE);
	walk_and_check(m, NULL);

	/* The first cache of slab_caches points back to itself: the lookups
	 * end, the caches after it are not found, the entries are. */
	label = "slab_caches loops";
	build_standard(B_SWAB);
	decoy = K(struct kmem_cache, im.c[C_DECOY].addr);
	decoy->list.next = KADDR(struct list_head, im.c[C_DECOY].addr + offsetof(struct kmem_cache, list));
	lose_slab(std.skb_slab);
	lose_slab(std.fclone_slab);
	lose_slab(std.expect_slab);
#ifdef SYNTH_HAS_NETNS_HASH
	lose_slab(S_C); /* C's cache is found only by name */
#endif
	walk_and_check(m, ANY_PROBLEMS);
}

/* A kernel whose slab pages ctleak cannot tell (no compound_head and no
 * PG_tail; or no SLUB at all): the scan says so in one sentence — exactly
 * one problem — and the rest of the walk goes on. */
static void test_unusable(const struct ct_layout *l)
{
	static const char *const sentences[] = {
		"slab scan impossible: tail pages are marked in a way ctleak does not read (no "
		"compound_head, no PG_tail): objects on no list cannot be found",
		"slab scan impossible: CPUs keep free objects in a way ctleak does not read (no "
		"kmem_cache_cpu freelist, no sheaves): objects on no list cannot be found",
		"slab scan impossible: the debug files describe no SLUB allocator (a SLAB or SLOB "
		"kernel?): objects on no list cannot be found",
	};
	static const char *const labels[] = {
		"slab pages not recognisable", "no CPU freelist, no sheaves", "no SLUB",
	};
	for (int v = 0; v < 3; v++) {
		struct ct_layout ul = *l;
		struct ct_kmodel um;
		struct ct_error err = { 0 };
		if (v == 0) {
			ul.e[CTL_PAGE_COMPOUND_HEAD].state = CTL_ABSENT;
			ul.e[CTL_PAGE_COMPOUND_INFO].state = CTL_ABSENT;
			ul.e[CTL_PG_TAIL].state = CTL_ABSENT;
		} else if (v == 1) {
			ul.e[CTL_KMEM_CACHE_CPU_SLAB].state = CTL_ABSENT;
			ul.e[CTL_KMEM_CACHE_CPU_SHEAVES].state = CTL_ABSENT;
		} else {
			ul.e[CTL_KMEM_CACHE_OBJECT_SIZE].state = CTL_ABSENT;
		}
		label = labels[v];
		CHECK(ct_kmodel_build(&ul, &um, &err) == CT_OK && !um.slub.usable,
		      "%s: model unusable for the slab scan (%s)", label, err.text);
		struct ct_report r;
		build_standard(0);
		im.no_scan = true;
		walk(&um, &r);
		check_walk(&um, &r, sentences[v]);
		CHECK(r.n_problems == 1 && strcmp(r.problems[0].what, sentences[v]) == 0,
		      "%s: exactly one problem, the scan's sentence (%zu: %s)", label, r.n_problems,
		      r.n_problems ? r.problems[0].what : "");
		CHECK(!r.slab.scanned && r.slab.unreadable_pages == 0, "%s: nothing scanned", label);
		/* The verdict says it first: no slab scan, no full account. */
		CHECK(r.n_incomplete >= 1 && strcmp(r.incomplete[0].code, CT_INC_SLAB_SCAN) == 0 &&
		      strncmp(r.incomplete[0].what, "slab scan impossible: ", 22) == 0,
		      "%s: incomplete for the slab scan (%zu: %s)", label, r.n_incomplete,
		      r.n_incomplete ? r.incomplete[0].what : "");
		ct_report_free(&r);
		img_close();
	}
}

#if defined(HAS_COMPOUND_HEAD) && !defined(SYNTH_PAGE_TYPE)
/* 6.12 marks slab pages by page type (page_type's top byte == PGTY_slab)
 * instead of the PG_slab flag: the same image, marked that way, must give
 * the same answers with a model that has no PG_slab. */
#define PGTY_SLAB_VALUE 0xf5u
/* Mark every slab page of the standard image by page type, not PG_slab. */
static void mark_by_page_type(void)
{
	build_standard(B_SWAB);
	for (int i = 0; i < im.ns_slabs; i++) {
		const struct kslab *sl = &im.s[i];
		for (uint64_t t = 0; t < 1ULL << im.c[sl->cache].order; t++) {
			uint64_t a = sl->desc + t * sizeof(struct page);
			K(struct page, a)->flags &= ~(1UL << PG_slab);
			if (t == 0)
				K(struct page, a)->page_type = PGTY_SLAB_VALUE << 24;
		}
	}
}

static void test_page_type(const struct ct_layout *l, const struct ct_kmodel *flag_model)
{
	struct ct_layout pl = *l;
	struct ct_kmodel pm;
	struct ct_error err = { 0 };
	pl.e[CTL_PG_SLAB].state = CTL_ABSENT;
	pl.e[CTL_PAGE_TYPE] = (struct ct_layout_entry){ .state = CTL_PRESENT,
		.value = offsetof(struct page, page_type), .size = 4 };
	pl.e[CTL_PGTY_SLAB] = (struct ct_layout_entry){ .state = CTL_PRESENT,
		.value = PGTY_SLAB_VALUE };
	label = "slab pages marked by page type (6.12)";
	CHECK(ct_kmodel_build(&pl, &pm, &err) == CT_OK && pm.slub.usable && pm.slub.by_page_type,
	      "%s: model (%s)", label, err.text);
	if (!pm.slub.usable)
		return;
	struct ct_report r;
	mark_by_page_type();
	walk(&pm, &r);
	check_walk(&pm, &r, NULL);
	ct_report_free(&r);
	img_close();
	/* The marking is what the scan goes by: a PG_slab model finds none. */
	label = "page-type image read with a PG_slab model";
	mark_by_page_type();
	walk(flag_model, &r);
	CHECK(r.slab.scanned && r.slab.slabs == 0 && r.slab.allocated == 0,
	      "%s: no slab recognised (%llu)", label, (unsigned long long)r.slab.slabs);
	ct_report_free(&r);
	img_close();
}
#endif

#ifndef SYNTH_HAS_NETNS_HASH
/* A running kernel, its bucket count read after a resize and far beyond
 * the table read before it (found by tests/fuzz/fuzz_walk): the buckets
 * past the table are unreadable, and reading them one by one cost a read
 * each (2^28 at most). A page that cannot be read is skipped whole. */
static void test_live_oversized_hash(const struct ct_kmodel *m)
{
	struct ct_report r;
	uint64_t size_var;
	label = "live: bucket count far beyond the table";
	build_standard(B_SWAB);
	if (ct_program_symbol(&im.prog, "nf_conntrack_htable_size", &size_var, NULL) != CT_OK)
		abort();
	*K(u32, size_var) = 1u << 19;   /* max_pfn 1024 bounds a table to ~2^19 buckets */
	im.t->live = true;
	uint64_t before = im.t->reads;
	walk(m, &r);
	check_walk(m, &r, "hash buckets 16-65535 unreadable");
	CHECK(im.t->reads - before < 20000, "%s: %llu reads (one per bucket: over 2^19)", label,
	      (unsigned long long)(im.t->reads - before));
	ct_report_free(&r);
	img_close();
}
#endif

#ifdef SYNTH_COUNT_IN_CTNET
/* NFQUEUE: packets parked in a queue hold their entries and tell their last
 * hook. Hostile images (found by tests/fuzz/fuzz_walk): the queue table
 * pointer leads into a struct net, whose list_heads make instance chains
 * that go round net_namespace_list for ever; a queue list loops back on
 * itself (its last entry points at itself). Both walks must end, say so, and
 * still find the rest. */
static void test_nfqueue(const struct ct_layout *l)
{
	struct ct_layout ql = *l;
	struct ct_kmodel qm;
	struct ct_error err = { 0 };
	struct ct_report r;
	nfq_layout(&ql);
	label = "NFQUEUE model";
	CHECK(ct_kmodel_build(&ql, &qm, &err) == CT_OK && qm.nfq.usable, "%s (%s)", label,
	      err.text);
	if (!qm.nfq.usable)
		return;

	label = "NFQUEUE holders";
	build_standard(B_SWAB);
	add_nfqueue(global("nfnl_queue_net_id", 4), true);
	walk(&qm, &r);
	check_walk(&qm, &r, NULL);
	CHECK(r.n_nfqueues == 1 && r.nfqueues[0].queue == 7004 && r.nfqueues[0].portid == 4242 &&
	      r.nfqueues[0].total == 2 && r.nfqueues[0].netns_inum == NET_INUM(K(struct net, im.ns[NS_A].net)),
	      "%s: one queue, 7004, port id 4242, 2 queued (%zu)", label, r.n_nfqueues);
	const struct ct_entry *u1 = entry_of(&r, std.u1->ct);
	CHECK(u1 && strcmp(u1->last_hook, "POST_ROUTING") == 0 &&
	      strcmp(u1->last_hook_evidence, "nfqueue 7004, packet id 100") == 0,
	      "%s: u1's last hook from its queue entry (%s, %s)", label, u1 ? u1->last_hook : "",
	      u1 ? u1->last_hook_evidence : "");
	ct_report_free(&r);
	img_close();

	label = "NFQUEUE table inside a struct net";
	build_standard(B_SWAB);
	add_nfqueue(global("nfnl_queue_net_id", 4), false);
	((u64 *)kmem(nfq.gen, GEN_LEN * 8))[NFQ_ID] = im.ns[NS_B].net + offsetof(struct net, list);
	walk_and_check(&qm, "NFQUEUE instance chain loops back on itself");

	label = "NFQUEUE queue list loops";
	build_standard(B_SWAB);
	add_nfqueue(global("nfnl_queue_net_id", 4), true);
	K(struct list_head, nfq.entry[1])->next = KADDR(struct list_head, nfq.entry[1]);
	walk_and_check(&qm, "NFQUEUE 7004: queue list loops back on itself");
}
#endif

#ifdef SYNTH_PAGE_TYPE
/* 6.12+: slab pages are known by their page type alone. A model that
 * expects another type, or the PG_slab flag of older kernels, finds no
 * slab in the same image. */
static void test_page_type(const struct ct_layout *l)
{
	struct ct_report r;
	struct ct_error err = { 0 };
	for (int v = 0; v < 2; v++) {
		struct ct_layout wl = *l;
		struct ct_kmodel wm;
		if (v == 0) {
			label = "page-type image read as if slabs were PGTY_table";
			wl.e[CTL_PGTY_SLAB].value = PGTY_table;
		} else {
			label = "page-type image read with a PG_slab model";
			wl.e[CTL_PG_SLAB] = (struct ct_layout_entry){ .state = CTL_PRESENT, .value = 9 };
			wl.e[CTL_PAGE_TYPE].state = CTL_NOT_ASKED;
			wl.e[CTL_PGTY_SLAB].state = CTL_NOT_ASKED;
		}
		CHECK(ct_kmodel_build(&wl, &wm, &err) == CT_OK && wm.slub.usable &&
		      wm.slub.by_page_type == (v == 0), "%s: model (%s)", label, err.text);
		build_standard(B_SWAB);
		walk(&wm, &r);
		CHECK(r.slab.scanned && r.slab.slabs == 0 && r.slab.allocated == 0,
		      "%s: no slab recognised (%llu)", label, (unsigned long long)r.slab.slabs);
		ct_report_free(&r);
		img_close();
	}
}
#endif

#ifdef SYNTH_HAS_SHEAVES
/* Damaged sheaves: the walk ends, one problem line names the damage, the
 * account is marked incomplete (slab_scan), the objects the damaged
 * sheaves held are counted allocated (they are reported, nothing else
 * is lost), and the rest is as planted. */
static void sheaf_damage_is(const struct ct_kmodel *m, const char *phrase, uint64_t max_reads)
{
	struct ct_report r;
	uint64_t before = im.t->reads;
	walk(m, &r);
	check_walk(m, &r, phrase);
	int about = 0;
	for (size_t i = 0; i < r.n_problems; i++)
		about += strstr(r.problems[i].what, "sheaf") || strstr(r.problems[i].what, "sheaves") ||
			 strstr(r.problems[i].what, "barn");
	if (getenv("CTLEAK_TEST_SHOW"))
		for (size_t i = 0; i < r.n_problems; i++)
			printf("  %s: problem: %s\n", label, r.problems[i].what);
	CHECK(about == 1, "%s: %d problems about sheaves (%zu in all, first: %s)", label, about,
	      r.n_problems, r.n_problems ? r.problems[0].what : "");
	bool inc = false;
	for (size_t i = 0; i < r.n_incomplete; i++)
		inc |= strcmp(r.incomplete[i].code, CT_INC_SLAB_SCAN) == 0 &&
		       strstr(r.incomplete[i].what, phrase) &&
		       strstr(r.incomplete[i].what, "may be counted as allocated");
	CHECK(inc && !ct_report_complete(&r), "%s: incomplete (slab_scan) for \"%s\" (%zu: %s)",
	      label, phrase, r.n_incomplete, r.n_incomplete ? r.incomplete[0].what : "");
	CHECK(im.t->reads - before < max_reads, "%s: %llu reads", label,
	      (unsigned long long)(im.t->reads - before));
	ct_report_free(&r);
	img_close();
	im.t = NULL;
}

static struct slab_sheaf *sheaf_at(int cache, int slot)
{
	return K(struct slab_sheaf, im.sh[cache].sheaf[slot]);
}

static void test_sheaves(const struct ct_kmodel *m, const struct ct_layout *layout)
{
	char what[160];
	/* All free objects in sheaves (no slab freelist at all): the
	 * freelist encoding cannot be learnt, and need not be. */
	label = "free nf_conn only in sheaves";
	build_standard(B_SWAB | B_CPU_ONLY);
	CHECK(im.sh[C_CT].npool >= 2 * NSLOTS, "%s: every sheaf holds two or more (%d)", label,
	      im.sh[C_CT].npool);
	walk_and_check(m, NULL);

	label = "sheaf size absurd";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_CPU1_MAIN)->size = 0x40000000;
	lose_sheaf(C_CT, SL_CPU1_MAIN);
	snprintf(what, sizeof(what), "sheaf at %#llx claims more objects than the cache's sheaf "
		 "capacity", (unsigned long long)im.sh[C_CT].sheaf[SL_CPU1_MAIN]);
	sheaf_damage_is(m, what, 100000);

	/* Plausible, yet one past the capacity: the stale slot after the
	 * last object points at an allocated one, which must stay allocated. */
	label = "sheaf size one past its capacity";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_CPU1_MAIN)->size = SHEAF_CAP + 1;
	lose_sheaf(C_CT, SL_CPU1_MAIN);
	sheaf_damage_is(m, what, 100000);

	label = "rcu_free sheaf pointer unreadable";
	build_standard(B_SWAB);
	pcs(C_CT, 2)->rcu_free = KADDR(struct slab_sheaf, KNOWHERE);
	lose_sheaf(C_CT, SL_CPU2_RCU);
	snprintf(what, sizeof(what), "sheaf at %#llx unreadable", (unsigned long long)KNOWHERE);
	sheaf_damage_is(m, what, 100000);

	/* The header readable, the objects past the end of mapped memory. */
	label = "sheaf objects unreadable";
	build_standard(B_SWAB);
	uint64_t edge = KDIRECT + HEAP_PAGES * PAGE - sizeof(struct slab_sheaf);
	K(struct slab_sheaf, edge)->size = 2;
	pcs(C_CT, 1)->spare = KADDR(struct slab_sheaf, edge);
	lose_sheaf(C_CT, SL_CPU1_SPARE);
	snprintf(what, sizeof(what), "objects of the sheaf at %#llx unreadable",
		 (unsigned long long)edge);
	sheaf_damage_is(m, what, 100000);

	label = "per-CPU sheaves unreadable";
	build_standard(B_SWAB);
	K(struct kmem_cache, im.c[C_CT].addr)->cpu_sheaves =
		KADDR(struct slub_percpu_sheaves, 0x100000000000ULL);
	lose_sheaf(C_CT, SL_CPU1_MAIN);
	lose_sheaf(C_CT, SL_CPU1_SPARE);
	lose_sheaf(C_CT, SL_CPU2_RCU);
	sheaf_damage_is(m, "the sheaves of CPU 0 unreadable", 100000);

	label = "barn unreadable";
	build_standard(B_SWAB);
	K(struct kmem_cache, im.c[C_CT].addr)->per_node[1].barn = KADDR(struct node_barn, KNOWHERE);
	lose_sheaf(C_CT, SL_BARN1_A);
	snprintf(what, sizeof(what), "barn at %#llx unreadable", (unsigned long long)KNOWHERE);
	sheaf_damage_is(m, what, 100000);

	/* The barn's list of full sheaves: A then B. */
	label = "barn list runs into unmapped memory";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_BARN0_A)->barn_list.next = KADDR(struct list_head, KNOWHERE);
	lose_sheaf(C_CT, SL_BARN0_B);
	snprintf(what, sizeof(what), "sheaf at %#llx unreadable", (unsigned long long)KNOWHERE);
	sheaf_damage_is(m, what, 100000);

	label = "barn list broken by a NULL";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_BARN0_A)->barn_list.next = NULL;
	lose_sheaf(C_CT, SL_BARN0_B);
	snprintf(what, sizeof(what), "the full sheaves of the barn at %#llx do not end",
		 (unsigned long long)im.sh[C_CT].barn[0]);
	sheaf_damage_is(m, what, 100000);

	/* B points back at A: the list never returns to its head. Every
	 * object was seen (many times): none is lost. */
	label = "barn list loops";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_BARN0_B)->barn_list.next =
		KADDR(struct list_head, im.sh[C_CT].sheaf[SL_BARN0_A] +
					offsetof(struct slab_sheaf, barn_list));
	snprintf(what, sizeof(what), "the full sheaves of the barn at %#llx do not end",
		 (unsigned long long)im.sh[C_CT].barn[0]);
	sheaf_damage_is(m, what, 1000000);

	label = "barn list loops on one sheaf";
	build_standard(B_SWAB);
	sheaf_at(C_CT, SL_BARN0_B)->barn_list.next =
		KADDR(struct list_head, im.sh[C_CT].sheaf[SL_BARN0_B] +
					offsetof(struct slab_sheaf, barn_list));
	sheaf_damage_is(m, what, 1000000);

	/* 6.18-7.0 kept the barn in struct kmem_cache_node (kmem_cache.node[n]
	 * ->barn; 7.1 made per_node[]): the same image, its per_node[] turned
	 * into node[] pointers to nodes with a barn pointer, read with that
	 * model. */
	label = "barns in kmem_cache_node (6.18-7.0)";
	struct ct_layout nl = *layout;
	struct ct_kmodel nm;
	struct ct_error err = { 0 };
	enum { NODE_BARN = 64 };
	nl.e[CTL_KMEM_CACHE_PER_NODE].state = CTL_ABSENT;
	nl.e[CTL_PER_NODE_PTRS].state = nl.e[CTL_PER_NODE_BARN].state = CTL_NOT_ASKED;
	nl.e[CTL_KMEM_CACHE_NODE] = (struct ct_layout_entry){ .state = CTL_PRESENT,
		.value = offsetof(struct kmem_cache, per_node), .size = 8 * MAX_NUMNODES };
	nl.e[CTL_KMEM_CACHE_NODE_BARN] = (struct ct_layout_entry){ .state = CTL_PRESENT,
		.value = NODE_BARN, .size = 8 };
	CHECK(ct_kmodel_build(&nl, &nm, &err) == CT_OK && nm.slub.usable &&
	      nm.slub.sheaves.barn_in_node && !nm.slub.sheaves.barn_per_node &&
	      nm.slub.sheaves.node_stride == 8 && nm.slub.sheaves.max_nodes == MAX_NUMNODES,
	      "%s: model (%s)", label, err.text);
	for (int v = 0; v < 2; v++) {
		build_standard(B_SWAB);
		for (int c = 0; c < NCACHES; c++) {
			if (!im.c[c].addr)
				continue;
			uint64_t nodes = im.c[c].addr + offsetof(struct kmem_cache, per_node);
			for (int n = 0; n < NR_NODES; n++) {
				uint64_t kn = kalloc(NODE_BARN + 8);
				*K(u64, kn + NODE_BARN) = im.sh[c].barn[n];
				K(u64, nodes)[n] = kn;
			}
		}
		if (v == 0) {
			walk_and_check(&nm, NULL);
			continue;
		}
		label = "barns in kmem_cache_node: node 1 unreadable";
		K(u64, im.c[C_CT].addr + offsetof(struct kmem_cache, per_node))[1] = KNOWHERE;
		lose_sheaf(C_CT, SL_BARN1_A);
		sheaf_damage_is(&nm, "the barn of node 1 unreadable", 100000);
	}

	/* The skb cache's sheaves: skbs there are free, and hold nothing. */
	label = "skb sheaf unreadable";
	build_standard(B_SWAB);
	CHECK(im.sh[C_SKB].npool > 0, "%s: skbs in sheaves", label);
	sheaf_at(C_SKB, SL_CPU1_MAIN)->size = 0x40000000;
	{
		struct ct_report r;
		walk(m, &r);
		snprintf(what, sizeof(what), "skbuff_head_cache: sheaf at %#llx claims more objects than the cache's "
			 "sheaf capacity",
			 (unsigned long long)im.sh[C_SKB].sheaf[SL_CPU1_MAIN]);
		CHECK(has_problem(&r, what), "%s: no problem says \"%s\" (%zu: %s)", label, what,
		      r.n_problems, r.n_problems ? r.problems[0].what : "");
		/* Not conntrack's cache: holders may be wrong, the account is not. */
		CHECK(ct_report_complete(&r), "%s: the account is complete (%zu: %s)", label,
		      r.n_incomplete, r.n_incomplete ? r.incomplete[0].what : "");
		ct_report_free(&r);
		img_close();
		im.t = NULL;
	}
}
#endif

int main(int argc, char **argv)
{
	char name[64];
	snprintf(name, sizeof(name), "slab scan on synthetic %s", SYNTH_NAME);
	if (argc != 2) {
		fprintf(stderr, "usage: %s GEN.o\n", argv[0]);
		return 2;
	}
	struct ct_types *types;
	struct ct_layout layout;
	struct ct_kmodel m;
	struct ct_error err = { 0 };
	if (ct_types_new(&types, &err) || ct_types_add_file(types, argv[1], &err) ||
	    ct_layout_resolve(types, &layout, &err) || ct_kmodel_build(&layout, &m, &err)) {
		printf("FAIL %s: %s\n", argv[1], err.text);
		return harness_done(name) | 1;
	}
	ct_types_free(types);
	CHECK_EQ_U64(m.nf_conn_size, sizeof(struct nf_conn), "model from DWARF: sizeof nf_conn");
	CHECK(m.skbinfo.usable && m.expect_master == offsetof(struct nf_conntrack_expect, master),
	      "model: skbs and expectations readable");
	CHECK(m.slub.usable, "model: the slab scan is usable");
#ifdef HAS_COMPOUND_HEAD
	bool tails = m.slub.has_compound_head &&
		     m.slub.compound_head == offsetof(struct page, TAIL_WORD) && m.slub.has_random;
#else
	bool tails = !m.slub.has_compound_head && m.slub.pg_tail == PG_tail && !m.slub.has_random &&
		     m.per_netns_slab;
#endif
#ifdef SYNTH_NO_CPU_SLAB
	bool cpus = !m.slub.has_cpu_slab && m.slub.sheaves.usable;
#else
	bool cpus = m.slub.has_cpu_slab && !m.slub.sheaves.usable &&
		    m.slub.cpu_desc == offsetof(struct kmem_cache_cpu, CPU_DESC_MEMBER);
#endif
#ifdef SYNTH_PAGE_TYPE
	bool marked = m.slub.by_page_type && m.slub.pgty_slab == PGTY_slab;
#else
	bool marked = !m.slub.by_page_type && m.slub.pg_slab == PG_slab;
#endif
	CHECK(tails && cpus && marked && m.slub.desc_size == sizeof(struct page) &&
	      m.slub.freelist == offsetof(desc_t, freelist) &&
	      m.slub.slab_cache == offsetof(desc_t, slab_cache),
	      "model: SLUB offsets from DWARF");
	test_unusable(&layout);
	if (!m.slub.usable)
		return harness_done(name);
	test_standard(&m, true);
	test_standard(&m, false);
	test_broken_freelists(&m);
	test_bad_counts(&m);
	test_memmap(&m);
	test_cache_names(&m);
#ifdef SYNTH_COUNT_IN_CTNET
	test_nfqueue(&layout);
#endif
#ifndef SYNTH_HAS_NETNS_HASH
	test_live_oversized_hash(&m);
#endif
#if defined(HAS_COMPOUND_HEAD) && !defined(SYNTH_PAGE_TYPE)
	test_page_type(&layout, &m);
#endif
#ifdef SYNTH_PAGE_TYPE
	test_page_type(&layout);
#endif
#ifdef SYNTH_HAS_SHEAVES
	test_sheaves(&m, &layout);
#endif
	return harness_done(name);
}
