/* fuzz_walk.c — libFuzzer target: the walkers (lib/walk*.c), the module
 * list reader (lib/kernel/modsyms.c, lib/kernel/modcheck.c), the page cache and the
 * renderers over a corrupted in-memory kernel image.
 *
 * The image is the slab scan's standard image of one synthetic generation
 * (tests/unit/test_slab_synth.c, included below with its main renamed: the same
 * builder, not a copy; compiled with -include tests/unit/synth/gen_X.h and
 * -DFUZZ_GEN=\"gen_X\": fuzz_walk is 6.1, fuzz_walk_5_10 is 5.10):
 * three namespaces (one in teardown, found through its objects only), the
 * global hash with chains, the ecache dying list (6.1) or the per-CPU
 * unconfirmed and dying lists (5.10), SLUB caches with struct slab (6.1)
 * or struct page (5.10) descriptors in a memmap, hardened freelists on
 * slabs and CPUs, skbs, an fclone pair and an expectation holding entries,
 * on 6.1 an NFQUEUE instance with two queued packets (add_nfqueue: its
 * layout is given by hand, the synthetic kernels do not declare
 * nfnetlink_queue). On top of it: devices
 * with addresses (last-hook inference), timestamps (ages), and a module list with
 * nf_conntrack's kallsyms and build-id note and an UNFORMED module. The
 * kernel model is read from GEN.o's DWARF once.
 *
 * Each input is a 2-byte header and a sequence of patches applied to the
 * image's memory, walked, then undone (no copy per input):
 *   header[0]  bit 0 image variant (0: 5.7+ freelists; 1: pre-5.7, free
 *              objects on CPU freelists only, memmap with a hole), bit 1
 *              live (re-walks, second look; its 200 ms pause is skipped),
 *              bit 2 compressed dump (walk_index + a small page cache), bit 3
 *              few kept entries, bit 4 --max-entries, bit 5 a netns filter,
 *              bit 6 a protocol filter, bit 7 interrupted after N reads
 *   header[1]  the parameter of those options
 *   patch      op (bits 0-2 kind, 3-4 width 1/2/4/8, 5-7 where), 3 bytes
 *              index, then the kind's operand bytes. where 0-1: a word of
 *              the image that is not zero (a pointer, a count, a flag);
 *              2-7: an offset in one of the regions (heap, slabs, memmap,
 *              globals, strings, hash). Kinds: raw value, zero, bit flip,
 *              add a small delta, pointer near another non-zero word, copy
 *              another non-zero word, a nulls marker, a magic value.
 * Must never crash, hang or leak, whatever the patches.
 *
 * GEN.o is build/synth/gen_X.o (make tests): $CTLEAK_FUZZ_GEN, else
 * ../synth/gen_X.o next to this binary (it lives in build/fuzz/).
 * CTLEAK_FUZZ_SHOW=1 writes the patches and the reports to stderr (to see
 * what an input does).
 */
#define main ctleak_slab_synth_main
#include "../unit/test_slab_synth.c"
#undef main

#include <limits.h>
#include <libgen.h>
#include <time.h>
#include <unistd.h>

#include "kernel/modcheck.h"
#include "kernel/modsyms.h"
#include "target/page_cache.h"
#include "report/summary.h"

#define KEXCL_FZ 0xffff888180000000ULL  /* excluded from the dump */
#define MAX_PATCHES 128
#define NVARIANTS 2
#define NREGIONS 6

struct region {
	uint64_t start, len;
};

struct variant {
	struct ct_target *t;
	struct ct_symtab *syms;
	struct region reg[NREGIONS];
	uint64_t *live;           /* addresses of the image's non-zero words */
	size_t nlive;
	uint32_t inum[2];         /* of namespaces A and B, for the filter */
};

static struct variant var[NVARIANTS];
static struct ct_layout fz_layout;
static struct ct_kmodel fz_model;
static FILE *devnull;
static bool skip_sleep;       /* inside a walk: nanosleep returns at once */

/* The live walk's second look pauses 200 ms: not for a fuzzer (linked with
 * -Wl,--wrap=nanosleep). */
int __real_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (skip_sleep)
		return 0;
	return __real_nanosleep(req, rem);
}

/* --- additions to the standard image ------------------------------------ */

static const u8 FZ_LO4[4] = { 127, 0, 0, 1 }, FZ_ETH0B[4] = { 10, 0, 0, 2 };
static const u8 FZ_LO6[16] = { [15] = 1 }, FZ_ETH6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* A device with up to two IPv4 addresses and one IPv6 address. */
static void fz_device(int ns, const u8 *v4a, const u8 *v4b, const u8 *v6)
{
	uint64_t d = kalloc(sizeof(struct net_device));
	struct net_device *dev = K(struct net_device, d);
	memcpy(dev->name, "fz0", 4);
	list_add_tail(d + offsetof(struct net_device, dev_list),
		      im.ns[ns].net + offsetof(struct net, dev_base_head));
	if (v4a) {
		uint64_t idev = kalloc(sizeof(struct in_device)), next = 0;
		for (const u8 *v4 = v4b ? v4b : v4a; v4; v4 = v4 == v4b ? v4a : NULL) {
			uint64_t ifa = kalloc(sizeof(struct in_ifaddr));
			memcpy(&K(struct in_ifaddr, ifa)->ifa_local, v4, 4);
			K(struct in_ifaddr, ifa)->ifa_next = KADDR(struct in_ifaddr, next);
			K(struct in_ifaddr, ifa)->ifa_dev = KADDR(struct in_device, idev);
			next = ifa;
		}
		K(struct in_device, idev)->ifa_list = KADDR(struct in_ifaddr, next);
		K(struct in_device, idev)->dev = KADDR(struct net_device, d);
		dev->ip_ptr = KADDR(struct in_device, idev);
	}
	if (v6) {
		uint64_t idev = kalloc(sizeof(struct inet6_dev));
		uint64_t ifa = kalloc(sizeof(struct inet6_ifaddr));
		list_init(idev + offsetof(struct inet6_dev, addr_list));
		memcpy(&K(struct inet6_ifaddr, ifa)->addr, v6, 16);
		list_add_tail(ifa + offsetof(struct inet6_ifaddr, if_list),
			      idev + offsetof(struct inet6_dev, addr_list));
		dev->ip6_ptr = KADDR(struct inet6_dev, idev);
	}
}

/* Ages: the wall clock, and a timestamp extension on two suspects. */
static void fz_tstamp(void)
{
	uint64_t tk = global("shadow_timekeeper", sizeof(struct timekeeper));
	K(struct timekeeper, tk)->xtime_sec = 1700000000;
	const uint64_t cts[2] = { std.u1->ct, std.d1->ct };
	for (int i = 0; i < 2; i++) {
		uint64_t ext = kalloc(16 + sizeof(struct nf_conn_tstamp));
		K(struct nf_ct_ext, ext)->offset[NF_CT_EXT_TSTAMP] = 16;
		K(struct nf_conn_tstamp, ext + 16)->start = (1700000000ULL - 90 - 4000 * (u64)i) *
							    1000000000ULL;
		K(struct nf_conn, cts[i])->ext = KADDR(struct nf_ct_ext, ext);
	}
}

/* The module list: nf_conntrack (LIVE: kallsyms, notes with a build-id),
 * an UNFORMED one, and nfnetlink_queue whose symbol table alone names
 * nfnl_queue_net_id (a module's variable, found through the list). */
static uint64_t fz_module(uint64_t head, const char *name, int state)
{
	uint64_t a = kalloc(sizeof(struct module));
	struct module *mod = K(struct module, a);
	mod->state = state;
	snprintf(mod->name, sizeof(mod->name), "%s", name);
	list_add_tail(a + offsetof(struct module, list), head);
	mod->kallsyms = KADDR(struct mod_kallsyms, a + offsetof(struct module, core_kallsyms));
	return a;
}

static void fz_symtab(uint64_t mod, const char *const *names, const uint64_t *values, int n)
{
	char str[256];
	size_t len = 1;
	str[0] = '\0';
	uint64_t syms = kalloc((size_t)(n + 1) * sizeof(Elf64_Sym));
	Elf64_Sym *s = kmem(syms, (size_t)(n + 1) * sizeof(Elf64_Sym));
	for (int i = 0; i < n; i++) {
		size_t k = strlen(names[i]) + 1;
		memcpy(str + len, names[i], k);
		s[i + 1] = (Elf64_Sym){ .st_name = (u32)len, .st_info = 0x11, .st_shndx = 3,
					.st_value = values[i] };
		len += k;
	}
	uint64_t strtab = kalloc(len);
	memcpy(kmem(strtab, len), str, len);
	struct module *m = K(struct module, mod);
	m->core_kallsyms.symtab = KADDR(Elf64_Sym, syms);
	m->core_kallsyms.num_symtab = (unsigned)n + 1;
	m->core_kallsyms.strtab = KADDR(char, strtab);
}

static void fz_modules(uint64_t qid_addr)
{
	uint64_t head = global("modules", sizeof(struct list_head));
	list_init(head);
	uint64_t ct = fz_module(head, "nf_conntrack", MODULE_STATE_LIVE);
	const char *ct_names[] = { "nf_conntrack_hash", "nf_conntrack_fuzz_marker" };
	uint64_t ct_vals[] = { KHASH, 0xffffffffc0001234ULL };
	fz_symtab(ct, ct_names, ct_vals, 2);
	/* /sys/module/nf_conntrack/notes: two note sections, the build-id second. */
	uint64_t na = kalloc(sizeof(struct module_notes_attrs) + 2 * sizeof(struct bin_attribute));
	struct module_notes_attrs *n = kmem(na, sizeof(struct module_notes_attrs) +
						2 * sizeof(struct bin_attribute));
	n->notes = 2;
	static const unsigned char note[36] = { 4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0,
						0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
						11, 12, 13, 14, 15, 16 };
	uint64_t nb = kalloc(sizeof(note));
	memcpy(kmem(nb, sizeof(note)), note, sizeof(note));
	n->attrs[0].attr.name = KADDR(const char, kstring(".note.Linux"));
	n->attrs[0].size = 24;
	n->attrs[0].private = KADDR(void, nb);
	n->attrs[1].attr.name = KADDR(const char, kstring(".note.gnu.build-id"));
	n->attrs[1].size = sizeof(note);
	n->attrs[1].private = KADDR(void, nb);
	K(struct module, ct)->notes_attrs = KADDR(struct module_notes_attrs, na);
	fz_module(head, "half_loaded", MODULE_STATE_UNFORMED);
	uint64_t q = fz_module(head, "nfnetlink_queue", MODULE_STATE_LIVE);
	const char *q_names[] = { "nfnl_queue_net_id" };
	fz_symtab(q, q_names, &qid_addr, 1);
}

/* --- the variants --------------------------------------------------------- */

static void build_variant(struct variant *v, unsigned flags)
{
	struct ct_error err = { 0 };
	build_standard(flags);
	fz_device(NS_A, FZ_LO4, NULL, FZ_LO6);
	fz_device(NS_A, ETH0, FZ_ETH0B, FZ_ETH6);
	fz_device(NS_B, ETH_B, NULL, NULL);
	/* nfnl_queue_net_id lives in module memory: no symbol of the image. */
	uint64_t qid_addr = kalloc(8);
#ifdef SYNTH_COUNT_IN_CTNET
	add_nfqueue(qid_addr, true);
#endif
	fz_tstamp();
	fz_modules(qid_addr);
	if (ct_mem_exclude(im.t, KEXCL_FZ, PAGE, &err))
		abort();
	v->t = im.t;
	v->syms = im.syms;
	v->inum[0] = NET_INUM(K(struct net, im.ns[NS_A].net));
	v->inum[1] = NET_INUM(K(struct net, im.ns[NS_B].net));
	const struct region reg[NREGIONS] = {
		{ KDIRECT + PAGE, im.heap_next - KDIRECT - PAGE },
		{ KDIRECT + SLAB_PFN0 * PAGE, (im.next_pfn - SLAB_PFN0) * PAGE },
		{ VMEMMAP + SLAB_PFN0 * sizeof(struct page),
		  (701 - SLAB_PFN0) * sizeof(struct page) },
		{ KDATA, im.data_next - KDATA },
		{ KRODATA, im.rodata_next - KRODATA },
		{ im.hash, 8ULL * im.hsize },
	};
	memcpy(v->reg, reg, sizeof(reg));
	size_t cap = 0;
	for (int r = 0; r < NREGIONS; r++)
		cap += reg[r].len / 8;
	v->live = malloc(cap * sizeof(*v->live));
	if (!v->live)
		abort();
	for (int r = 0; r < NREGIONS; r++)
		for (uint64_t a = reg[r].start; a + 8 <= reg[r].start + reg[r].len; a += 8)
			if (*K(u64, a))
				v->live[v->nlive++] = a;
	im.t = NULL;
	im.syms = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char path[PATH_MAX + 32];
	const char *gen = getenv("CTLEAK_FUZZ_GEN");
	if (!gen || !*gen) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			abort();
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/../synth/" FUZZ_GEN ".o", dirname(exe));
		gen = path;
	}
	struct ct_types *types;
	struct ct_error err = { 0 };
	if (ct_types_new(&types, &err) || ct_types_add_file(types, gen, &err) ||
	    ct_layout_resolve(types, &fz_layout, &err)) {
		fprintf(stderr, "fuzz_walk: %s: %s (set CTLEAK_FUZZ_GEN to build/synth/" FUZZ_GEN
			".o)\n",
			gen, err.text);
		exit(1);
	}
	ct_types_free(types);
#ifdef SYNTH_COUNT_IN_CTNET
	nfq_layout(&fz_layout);
	bool nfq = true;
#else
	bool nfq = false;
#endif
	if (ct_kmodel_build(&fz_layout, &fz_model, &err) || !fz_model.slub.usable ||
	    fz_model.nfq.usable != nfq || !fz_model.tstamp.usable ||
	    fz_model.nf_conn_size != sizeof(struct nf_conn)) {
		fprintf(stderr, "fuzz_walk: %s: not the " SYNTH_NAME " model this image needs (%s)\n", gen,
			err.text);
		exit(1);
	}
	build_variant(&var[0], B_SWAB);
	build_variant(&var[1], B_CPU_ONLY | B_MEMMAP_HOLE);
	/* CTLEAK_FUZZ_SHOW=1: the reports on stderr, to see what an input does. */
	const char *show = getenv("CTLEAK_FUZZ_SHOW");
	devnull = show && *show == '1' ? stderr : fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* --- patches ----------------------------------------------------------------- */

struct undo {
	unsigned char *at;
	unsigned char old[8];
	unsigned len;
};

enum { P_RAW, P_ZERO, P_FLIP, P_ADD, P_PTR, P_COPY, P_NULLS, P_MAGIC };

static const uint64_t magic[] = {
	0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
	0x80000000ULL, 0xc0000000ULL, 0xffffffffULL, 1ULL << 28, (1ULL << 28) + 1, 1ULL << 40,
	(1ULL << 40) + 1, 0x7fffffffffffffffULL, 0x8000000000000000ULL, UINT64_MAX,
	UINT64_MAX - 7, KNOWHERE, KEXCL_FZ, KDIRECT, VMEMMAP, KHASH, KDATA,
	0xdead000000000100ULL, 0xdead000000000122ULL, KDIRECT + SLAB_PFN0 * PAGE,
	0xf0000000ULL, 0xf0000098ULL,
};

static size_t take(const uint8_t **p, const uint8_t *end, size_t n, uint64_t *v)
{
	if ((size_t)(end - *p) < n)
		return 0;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v |= (uint64_t)(*p)[i] << (8 * i);
	*p += n;
	return n;
}

/* Apply the patches of one input; the undo log restores the image. */
static size_t apply(const struct variant *v, const uint8_t *p, const uint8_t *end,
		    struct undo *log)
{
	size_t n = 0;
	uint64_t op, idx, x;
	while (n < MAX_PATCHES && take(&p, end, 1, &op) && take(&p, end, 3, &idx)) {
		unsigned kind = op & 7, width = 1u << ((op >> 3) & 3), where = (unsigned)(op >> 5);
		if (kind == P_PTR || kind == P_COPY || kind == P_NULLS)
			width = 8;
		uint64_t addr;
		if (where < 2) {
			addr = v->live[idx % v->nlive];
		} else {
			const struct region *r = &v->reg[(where - 2) % NREGIONS];
			addr = r->start + ((idx % r->len) & ~(uint64_t)(width - 1));
		}
		unsigned char *at = ct_mem_ptr(v->t, addr, width);
		if (!at)
			continue;
		uint64_t old = 0, val = 0;
		memcpy(&old, at, width);
		switch (kind) {
		case P_RAW:
			if (!take(&p, end, width, &val))
				return n;
			break;
		case P_ZERO:
			break;
		case P_FLIP:
			if (!take(&p, end, 1, &x))
				return n;
			val = old ^ (1ULL << (x % (8 * width)));
			break;
		case P_ADD:
			if (!take(&p, end, 1, &x))
				return n;
			val = old + (uint64_t)(int64_t)(int8_t)x;
			break;
		case P_PTR: /* up to 63 words before a non-zero word: its object */
			if (!take(&p, end, 3, &x))
				return n;
			val = v->live[(x & 0xffff) % v->nlive] - 8 * ((x >> 16) & 63);
			break;
		case P_COPY:
			if (!take(&p, end, 2, &x))
				return n;
			memcpy(&val, ct_mem_ptr(v->t, v->live[x % v->nlive], 8), 8);
			break;
		case P_NULLS:
			if (!take(&p, end, 2, &x))
				return n;
			val = x << 1 | 1;
			break;
		default: /* P_MAGIC */
			if (!take(&p, end, 1, &x))
				return n;
			val = magic[x % (sizeof(magic) / sizeof(*magic))];
			break;
		}
		if (devnull == stderr)
			fprintf(stderr, "patch %#llx: %#llx -> %#llx (%u bytes)\n",
				(unsigned long long)addr, (unsigned long long)old,
				(unsigned long long)(width == 8 ? val : val & ((1ULL << (8 * width)) - 1)),
				width);
		log[n].at = at;
		log[n].len = width;
		memcpy(log[n].old, at, width);
		memcpy(at, &val, width);
		n++;
	}
	return n;
}

static void undo(struct undo *log, size_t n)
{
	while (n--)
		memcpy(log[n].at, log[n].old, log[n].len);
}

/* --- one run ------------------------------------------------------------------ */

static uint64_t interrupt_after;

static bool fz_interrupted(struct ct_target *t)
{
	return t->reads >= interrupt_after;
}

static void fz_warn(void *arg, uint64_t addr, const char *what)
{
	(void)arg, (void)addr, (void)what;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t flags = data[0], param = data[1];
	struct variant *v = &var[flags & 1];
	struct ct_target *t = v->t;
	struct undo log[MAX_PATCHES];
	size_t nlog = apply(v, data + 2, data + size, log);

	struct ct_target saved = *t;
	struct ct_target_ops ops = *t->ops;
	struct ct_error err = { 0 };
	t->live = flags & 2;
	if (flags & 128) {
		interrupt_after = 50ULL * param;
		ops.interrupted = fz_interrupted;
	}
	/* The page cache's close would close the image: it closes nothing. */
	ops.close = NULL;
	t->ops = &ops;
	struct ct_target *rt = t; /* what the walk reads: the image, or a cache over it */
	if (flags & 4) {
		if (ct_page_cache_open(t, 16 + param % 64, &rt, &err) != CT_OK)
			rt = t;
	}
	struct ct_program p;
	ct_program_init(&p, rt);
	ct_program_add_symbols(&p, "image", ct_symtab_find, v->syms, NULL);

	struct ct_modsyms *ms = NULL;
	if (ct_modsyms_load(&p, &fz_layout, &ms, fz_warn, NULL, &err) == CT_OK) {
		uint64_t mod, a;
		char hex[129];
		if (ct_modsyms_module_addr(ms, "nf_conntrack", &mod) == CT_OK)
			ct_module_build_id(rt, &fz_layout, mod, hex, sizeof(hex), &err);
		ct_modsyms_lookup(ms, "nf_conntrack_hash", &a);
		(void)ct_modsyms_has_module(ms, "nfnetlink_queue");
		ct_program_add_symbols(&p, "modules", ct_modsyms_find, ms, NULL);
	}

	struct ct_walk_opts o = { .filter = { .show = CT_SHOW_ALL | CT_SHOW_SUSPECTS |
					      CT_SHOW_ORPHANED },
				  .slab = true, .holders = true };
	if (flags & 16)
		o.max_entries = 1 + param % 32;
	if (flags & 32) {
		o.filter.netns[o.filter.n_netns++] = param & 1 ? v->inum[1] : v->inum[0];
	}
	if (flags & 64)
		o.filter.proto[o.filter.n_proto++] = (uint8_t)param;
	struct ct_report r;
	ct_report_init(&r, flags & 8 ? param % 8 : 10000);
	skip_sleep = true;
	ct_status st = ct_walk(&p, &fz_model, &o, &r, &err);
	skip_sleep = false;
	if (st == CT_OK) {
		struct ct_filter f = o.filter;
		f.show |= CT_SHOW_GROUPS;
		ct_render_report_json(devnull, &r, &f, param & 1);
		ct_render_report_text(devnull, &r, &f);
		/* --format proc/csv, through matches on the tuples it read. */
		struct ct_filter m = f;
		m.src[m.n_src++] = (struct ct_filter_addr){ .l3num = 2, .prefix = param % 33,
							    .addr = { 127, 0, 0, 1 } };
		m.dport[m.n_dport++] = (uint16_t)(param * 29u);
		ct_render_report_lines(devnull, devnull, &r, param & 2 ? &m : &f,
				       param & 4 ? CT_FORMAT_CSV : CT_FORMAT_PROC);
		struct ct_summary s;
		if (ct_summary_build(&r, &s)) {
			ct_summary_text(devnull, &s);
			ct_summary_free(&s);
		}
	}
	fflush(devnull);
	ct_report_free(&r);
	ct_modsyms_free(ms);
	if (rt != t)
		ct_target_close(rt); /* frees the cache, then the image's no-op close */
	*t = saved;
	undo(log, nlog);
	return 0;
}
