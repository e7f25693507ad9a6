/* ctleak_crash.c — ctleak as a crash command: `extend ctleak.so`, then
 * `ctleak`. The only file of the project that includes crash's defs.h; it
 * gathers what crash knows (the vmlinux it loaded, the kernel release, its
 * output stream fp) and calls the same lib/app/command.c as the standalone twin.
 *
 * crash's defs.h fills the global namespace (show_symbol, error, …), so
 * every symbol here starts with ctleak_.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "defs.h"
#pragma GCC diagnostic pop

#include "app/cli.h"
#include "app/command.h"
#include "app/options.h"
#include "kernel/program.h"
#include "target/page_cache.h"
#include "target/target.h"

#ifndef CTLEAK_CRASH_VERSION
#error "build with -DCTLEAK_CRASH_VERSION=\"<crash --version>\""
#endif

static void ctleak_cmd(void);

/* `help ctleak`: crash wants one NULL-terminated array (name, summary,
 * synopsis, then the description); ctleak_init() builds it from these and
 * the option table (lib/app/options.h), which also makes ctleak --help. */
static char *ctleak_about[] = {
	"  Walks the conntrack state of the dumped kernel: every network namespace,",
	"  its nf_conntrack_count, the confirmed hash (every bucket, nulls markers",
	"  checked), the unconfirmed and dying lists in whatever form the kernel",
	"  has (per-netns, per-CPU, the 5.19+ event-redelivery dying list), and",
	"  every allocated object of the nf_conntrack slab cache, so that entries",
	"  on no list are found too; then prints per namespace what was found and",
	"  what is unaccounted for, and every suspect entry (unconfirmed, dying,",
	"  orphaned, a refcount above what its place explains, failed sanity",
	"  checks) with its reasons, its holders (skbs, NFQUEUE packets, related",
	"  entries, expectations) and its last hook: from the NFQUEUE entry",
	"  holding it, else inferred from the namespace's addresses. Layouts come",
	"  from DWARF: the vmlinux crash loaded and nf_conntrack's debug file,",
	"  found under /usr/lib/debug/lib/modules/<release> and every -D folder;",
	"  without that file, from the BTF the kernel keeps for the module in its",
	"  own memory (5.11+ with CONFIG_DEBUG_INFO_BTF_MODULES, as Debian's):",
	"  then no -D is needed at all. --types dwarf|btf forces one source.",
	"  The output is byte for byte that of the standalone ctleak program.",
	"  It also runs in crash --minimal, for dumps crash cannot fully",
	"  initialise (it needs only memory, symbols and the module list;",
	"  crash 8.0.2 needs --kaslr=auto there for 6.12 and 7.x dumps).",
	"  When the account cannot close (no usable slab model, the module's",
	"  debug file not checked, memory left out of the dump, a count unknown",
	"  or unequal to what was found), the first lines say INCOMPLETE: and",
	"  why, and JSON says \"complete\": false.",
	NULL
};

static char *ctleak_examples[] = {
	"",
	"EXAMPLES",
	"  Debian 11's 5.10 kernel with planted leaks (make vmcores in ctleak):",
	"",
	"    crash> ctleak -D /root/.cache/ctleak/kernels/5.10.0-43-cloud-amd64",
	"    kernel 5.10.0-43-cloud-amd64 (elf dump), nf_conntrack_max 262144, 4096 buckets",
	"    layout: count in net.ct.count, global hash, unconfirmed/dying lists: per-cpu, refcount_t, u32 timeout",
	"",
	"    NETNS       ADDRESS                COUNT CONFIRMED UNCONFIRMED     DYING SLAB-ONLY ORPHANED UNACCOUNTED SUSPECTS",
	"    4026531992  0xffffffffb3a1a4c0     19923     19905          13         5         0        0           0       23",
	"    4026532120  0xffff934842aab540      1607      1602           3         2         0        0           0        7",
	"    slab cache: 1795 slabs, 21540 objects, 21530 allocated",
	"    nfqueue 0 (netns 4026531992): peer port id 96, 5 packets waiting",
	"",
	"    30 suspects; 30 entries listed:",
	"    0xffff934842aed780 netns 4026532120 hash confirmed use 2 status CONFIRMED timeout 86389s zone 0 mark 0",
	"      ipv4     2 udp      17 86389 src=127.0.0.1 dst=127.0.0.1 sport=10001 dport=7002 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=7002 dport=10001 mark=0 zone=0 use=2",
	"      why: refcount 2 above the 1 the table holds",
	"      why: no holder found: reference leaked",
	"    0xffff934842aeddc0 netns 4026532120 unconfirmed_list cpu 1 unconfirmed use 1 status - timeout - zone 0 mark 0",
	"      ipv4     2 udp      17 0 src=127.0.0.1 dst=127.0.0.1 sport=10002 dport=7001 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=7001 dport=10002 mark=0 zone=0 use=1",
	"      last hook LOCAL_OUT, next POST_ROUTING (inferred from the netns's addresses)",
	"      held by skb 0xffff93484288f200 (len 36 dev lo)",
	"      why: unconfirmed: created at LOCAL_OUT, its confirm hook at POST_ROUTING never ran",
	"    ...",
	"",
	"  Only the suspects of one namespace, as JSON:",
	"",
	"    crash> ctleak -n 4026532120 -j | jq -r '.entries[].address'",
	"",
	"  One line per entry as /proc/net/nf_conntrack prints it, after its",
	"  address, place and state (the table comes first as # lines):",
	"",
	"    crash> ctleak --format proc --dport 7001 | grep -v '^#'",
	NULL
};

#define CTLEAK_HELP_MAX 128
static char *ctleak_help[CTLEAK_HELP_MAX];

/* The option lines, kept for the life of the extension. */
static char ctleak_option_lines[CTLEAK_HELP_MAX][CT_OPTION_LINE_MAX];

struct ctleak_help_fill {
	unsigned n;  /* ctleak_help entries so far */
	unsigned nopt;
	bool full;
};

static void ctleak_help_add(struct ctleak_help_fill *f, char *line)
{
	if (f->n + 1 >= CTLEAK_HELP_MAX) {
		f->full = true;
		return;
	}
	ctleak_help[f->n++] = line;
}

static void ctleak_help_option(const char *line, void *ctx)
{
	struct ctleak_help_fill *f = ctx;
	if (f->nopt == CTLEAK_HELP_MAX) {
		f->full = true;
		return;
	}
	char *copy = ctleak_option_lines[f->nopt++];
	snprintf(copy, CT_OPTION_LINE_MAX, "%s", line);
	ctleak_help_add(f, copy);
}

/* ctleak_help: the prose and examples above, the synopsis and the option
 * lines of the crash command from the table; false when it does not fit. */
static bool ctleak_help_build(void)
{
	static char synopsis[512];
	struct ctleak_help_fill f = { 0 };
	if (!ct_options_synopsis(CT_FRONT_CRASH, synopsis, sizeof(synopsis)))
		return false;
	ctleak_help_add(&f, "ctleak");
	ctleak_help_add(&f, "account for every netfilter conntrack entry");
	ctleak_help_add(&f, synopsis);
	for (char **l = ctleak_about; *l; l++)
		ctleak_help_add(&f, *l);
	ctleak_help_add(&f, "");
	ct_options_help(CT_FRONT_CRASH, ctleak_help_option, &f);
	for (char **l = ctleak_examples; *l; l++)
		ctleak_help_add(&f, *l);
	ctleak_help[f.n] = NULL;
	return !f.full;
}

static struct command_table_entry ctleak_commands[] = {
	/* MINIMAL: ctleak needs no task or panic context, so it also runs
	 * when crash can open a dump only with --minimal (crash 8.0.6 on
	 * QEMU dumps of Debian's 5.10, for one). */
	{ "ctleak", ctleak_cmd, ctleak_help, MINIMAL },
	{ NULL, NULL, NULL, 0 },
};

/* ---- a Target over crash's own view of the dump ---------------------- */

/* crash --minimal translates only the kernel image and the direct map
 * reliably: memory is read by walking the kernel's own x86-64 4-level page
 * tables, from init_top_pgt, through physical reads (module and vmalloc
 * memory hold nf_conntrack's variables and the hash). */
static bool minimal_kvtop(uint64_t va, uint64_t *pa)
{
	static uint64_t pgd;
	if (!pgd) {
		struct syment *sp = symbol_search("init_top_pgt");
		uint64_t phys_base = 0;
		if (!sp || !readmem(symbol_value("phys_base"), KVADDR, &phys_base, 8, "phys_base",
				    RETURN_ON_ERROR | QUIET))
			return false;
		pgd = sp->value - 0xffffffff80000000ULL + phys_base; /* __START_KERNEL_map */
	}
	const uint64_t frame = 0x000ffffffffff000ULL;
	uint64_t table = pgd, e = 0;
	for (int level = 3; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		if (!readmem(table + ((va >> shift) & 511) * 8, PHYSADDR, &e, 8, "page table",
			     RETURN_ON_ERROR | QUIET) || !(e & 1))
			return false;
		uint64_t span = 1ULL << shift;
		if (level == 0 || ((level == 1 || level == 2) && (e & 0x80))) { /* PS: 2M/1G */
			*pa = (e & frame & ~(span - 1)) | (va & (span - 1));
			return true;
		}
		table = e & frame;
	}
	return false;
}

static bool minimal_read(uint64_t addr, unsigned char *buf, size_t len, size_t *done)
{
	while (*done < len) {
		uint64_t va = addr + *done, pa;
		size_t n = 4096 - (va & 4095);
		if (n > len - *done)
			n = len - *done;
		if (!minimal_kvtop(va, &pa) ||
		    !readmem(pa, PHYSADDR, buf + *done, (long)n, "ctleak", RETURN_ON_ERROR | QUIET))
			return false;
		*done += n;
	}
	return true;
}

static ct_status ctleak_crash_read(struct ct_target *t, uint64_t addr, void *buf,
				   size_t len, size_t *done, struct ct_error *err)
{
	(void)t;
	*done = 0;
	/* In --minimal every address goes through the page tables: crash's
	 * own KVADDR reads of module memory there can succeed with zeros
	 * (crash 8.0.2 on 6.12, 8.0.6 on 5.10 dumps), not fail. */
	if (pc->flags & MINIMAL_MODE) {
		if (minimal_read(addr, buf, len, done))
			return CT_OK;
		uint64_t at = addr + *done, pa;
		if (minimal_kvtop(at, &pa))
			return ct_fail_at(err, CT_ERR_FAULT, at, "address %#llx is not in the dump",
					  (unsigned long long)at);
		return ct_fail_at(err, CT_ERR_BADADDR, at, "address %#llx is not mapped",
				  (unsigned long long)at);
	}
	if (readmem(addr, KVADDR, buf, (long)len, "ctleak", RETURN_ON_ERROR | QUIET)) {
		*done = len;
		return CT_OK;
	}
	/* readmem() is all or nothing; the Target says how much was read
	 * before the gap, as libkdumpfile does (a module's string table read
	 * past its end into the unmapped page after it, for one): page by page. */
	while (*done < len) {
		uint64_t va = addr + *done;
		size_t n = (size_t)PAGESIZE() - (va & ((uint64_t)PAGESIZE() - 1));
		if (n > len - *done)
			n = len - *done;
		if (!readmem(va, KVADDR, (unsigned char *)buf + *done, (long)n, "ctleak",
			     RETURN_ON_ERROR | QUIET))
			break;
		*done += n;
	}
	if (*done == len)
		return CT_OK;
	/* Tell "not in the dump" from "not mapped": can crash translate it? */
	uint64_t at = addr + *done;
	physaddr_t pa;
	if (kvtop(NULL, at, &pa, 0))
		return ct_fail_at(err, CT_ERR_FAULT, at, "address %#llx is not in the dump",
				  (unsigned long long)at);
	return ct_fail_at(err, CT_ERR_BADADDR, at, "address %#llx is not mapped",
			  (unsigned long long)at);
}

/* ---- crash's symbol table as a symbol finder (symbols.h) ------------- */

/* vmlinux and, once crash loaded them (mod -S), module symbols. */
static ct_status ctleak_crash_symbol(void *arg, const char *name, uint64_t *addr,
				     struct ct_error *err)
{
	(void)arg;
	struct syment *sp = symbol_search((char *)name);
	if (!sp)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s", name);
	*addr = sp->value;
	return CT_OK;
}

/* crash's SIGINT handler only sets a flag while a command runs. */
static bool ctleak_crash_interrupted(struct ct_target *t)
{
	(void)t;
	return received_SIGINT();
}

#define CTLEAK_CRASH_CACHE_PAGES 4096 /* 16 MiB of 4 KiB pages */

static const struct ct_target_ops ctleak_crash_ops = {
	.kind = "crash",
	.read = ctleak_crash_read,
	.interrupted = ctleak_crash_interrupted,
};

/* The format names libkdumpfile uses, so that both front ends print the
 * same header. */
static const char *ctleak_dump_format(void)
{
	if (pc->flags & DISKDUMP)
		return "diskdump";
	if (pc->flags & (KDUMP | NETDUMP))
		return "elf";
	return "";
}

/* The release: crash's utsname, which --minimal leaves empty; then the
 * dump's VMCOREINFO OSRELEASE. */
static const char *ctleak_release(void)
{
	static char rel[65];
	if (kt->utsname.release[0])
		return kt->utsname.release;
	char *v = pc->read_vmcoreinfo ? pc->read_vmcoreinfo("OSRELEASE") : NULL;
	snprintf(rel, sizeof(rel), "%s", v ? v : "");
	free(v);
	return rel;
}

static void ctleak_cmd(void)
{
	struct ct_options o;
	struct ct_error err = { 0 };
	if (ct_cli_parse(argcnt, args, &o, &err) != CT_OK) {
		fprintf(fp, "ctleak: %s\n", err.text);
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	if (o.help) {
		cmd_usage(pc->curcmd, COMPLETE_HELP);
		return;
	}
	/* Wrong uses once the options are known: under -j fp gets the one
	 * JSON document with "error", nothing else (it may be `> file`). */
	if (o.live)
		ct_fail(&err, CT_ERR_USAGE, "--live and --kcore are the standalone ctleak's: crash "
			"started without a dump is live already");
	else if (o.npositional)
		ct_fail(&err, CT_ERR_USAGE, "no file arguments inside crash (the dump is crash's)");
	if (err.status) {
		ct_command_fail(&o, &err, fp, fp);
		if (!o.json)
			cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	const char *vmlinux = pc->namelist_debug ? pc->namelist_debug : pc->namelist;
	if (o.model) {
		ct_command_model(&o, vmlinux, ctleak_release(), NULL, 0, fp, fp);
		return;
	}
	struct ct_target t = { .ops = &ctleak_crash_ops, .page_size = (uint32_t)PAGESIZE() };
	snprintf(t.osrelease, sizeof(t.osrelease), "%s", ctleak_release());
	t.live = ACTIVE(); /* crash on the running kernel (/proc/kcore, /dev/crash) */
	/* Every readmem() costs crash a translation and a search of its own
	 * caches (~1 µs; a million entries take two million reads): a dump is
	 * read by whole pages through a cache of CTLEAK_CRASH_CACHE_PAGES, and
	 * the hash walk gets the nodes from one pass over the slab in memory
	 * order, as the twin does on every dump (a 1M-entry ELF: 9.4 s a
	 * run without, 2.7 s with; README "Performance"). Never live: a cached
	 * page is a stale page. Without memory for it, reads go to crash. */
	struct ct_target *mem = &t;
	if (!t.live) {
		struct ct_error cerr = { 0 };
		if (ct_page_cache_open(&t, CTLEAK_CRASH_CACHE_PAGES, &mem, &cerr) != CT_OK)
			mem = &t;
	}
	struct ct_program p;
	ct_program_init(&p, mem);
	ct_program_add_symbols(&p, "crash", ctleak_crash_symbol, NULL, NULL);
	/* In --minimal ctleak translates every address itself (see
	 * ctleak_crash_read): said with what such reads may explain. */
	if (pc->flags & MINIMAL_MODE)
		p.read_caveat = "in crash --minimal ctleak walks the page tables itself (x86-64, "
				"4-level only): the standalone ctleak reads this dump through "
				"libkdumpfile";
	struct ct_analysis_input in = { .vmlinux = vmlinux, .dump_format = ctleak_dump_format() };
	ct_command_analyse(&o, &p, &in, fp, fp);
	if (mem != &t)
		ct_target_close(mem);
}

__attribute__((constructor)) static void ctleak_init(void)
{
	/* Field offsets of crash's own tables differ between versions of
	 * defs.h, and extend does not check: refuse a foreign crash. */
	if (strcmp(pc->program_version, CTLEAK_CRASH_VERSION) != 0) {
		fprintf(fp, "ctleak: built for crash %s, not %s: not loaded "
			"(rebuild ctleak.so against this crash's defs.h)\n",
			CTLEAK_CRASH_VERSION, pc->program_version);
		return;
	}
	if (!ctleak_help_build()) {
		fprintf(fp, "ctleak: its help text does not fit: not loaded\n");
		return;
	}
	register_extension(ctleak_commands);
}
