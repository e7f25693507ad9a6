/* ctleak_crash.c — ctleak as a crash command: `extend ctleak.so`, then
 * `ctleak`. The only file of the project that includes crash's defs.h; it
 * gathers what crash knows (the vmlinux it loaded, the kernel release, its
 * output stream fp) and calls the same lib/command.c as the standalone twin.
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

#include "cli.h"
#include "command.h"
#include "target.h"

#ifndef CTLEAK_CRASH_VERSION
#error "build with -DCTLEAK_CRASH_VERSION=\"<crash --version>\""
#endif

static void ctleak_cmd(void);

static char *ctleak_help[] = {
	"ctleak",
	"account for every netfilter conntrack entry",
	"[-c] [-u] [-d] [-o] [-a] [-s] [-n inum] [-p proto] [-j [--pretty]] [--no-slab] [--max-entries n] [-D dir]... | -m",
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
	"  found under /usr/lib/debug/lib/modules/<release> and every -D folder.",
	"  The output is byte for byte that of the standalone ctleak program.",
	"  It also runs in crash --minimal, for dumps crash cannot fully",
	"  initialise (it needs only memory, symbols and the module list;",
	"  crash 8.0.2 needs --kaslr=auto there for 6.12 and 7.x dumps).",
	"  When the account cannot close (no usable slab model, the module's",
	"  debug file not checked, memory left out of the dump, a count unknown",
	"  or unequal to what was found), the first lines say INCOMPLETE: and",
	"  why, and JSON says \"complete\": false.",
	"",
	"  (no option)          the per-netns table and every suspect entry",
	"  -c, --confirmed      also list the entries of the confirmed hash",
	"  -u, --unconfirmed    also list the entries of the unconfirmed lists",
	"  -d, --dying          also list the entries of the dying lists",
	"  -o, --orphans        also list orphans: confirmed and alive, in no table",
	"  -a, --all            list every entry found",
	"  -s, --summary        also group the suspects by state, protocol and port,",
	"                       by source address (top 10) and by namespace",
	"  -n, --netns inum     only entries of that namespace (its inode number)",
	"  -p, --proto proto    only entries of that protocol (tcp, udp, icmp, 17)",
	"  -j, --json           JSON (the contract in ctleak's README and ctleak(1))",
	"      --pretty         indented JSON",
	"  -D, --debug-dir dir  also search dir for debug files; repeatable",
	"  -m, --model          print the conntrack layout of this kernel and stop",
	"      --no-cache       read DWARF even if a cached layout exists",
	"      --no-slab        skip the slab scan and the search for holders",
	"      --max-entries n  stop after n entries: a report marked partial",
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
	NULL
};

static struct command_table_entry ctleak_commands[] = {
	/* MINIMAL: ctleak needs no task or panic context, so it also runs
	 * when crash can open a dump only with --minimal (crash 8.0.6 on
	 * QEMU dumps of Debian's 5.10, for one). */
	{ "ctleak", ctleak_cmd, ctleak_help, MINIMAL },
	{ NULL, NULL, NULL, 0 },
};

/* ---- a Target over crash's own view of the dump ---------------------- */

/* crash --minimal translates only the kernel image and the direct map:
 * module and vmalloc memory (where nf_conntrack's variables and the hash
 * live) are read by walking the kernel's own x86-64 4-level page tables,
 * from init_top_pgt, through physical reads. */
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
	if (readmem(addr, KVADDR, buf, (long)len, "ctleak", RETURN_ON_ERROR | QUIET)) {
		*done = len;
		return CT_OK;
	}
	/* readmem() is all or nothing; the Target says how much was read
	 * before the gap, as libkdumpfile does (a module's string table read
	 * past its end into the unmapped page after it, for one): page by page. */
	if (pc->flags & MINIMAL_MODE) {
		if (minimal_read(addr, buf, len, done))
			return CT_OK;
	} else {
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
	}
	/* Tell "not in the dump" from "not mapped": can crash translate it? */
	uint64_t at = addr + *done;
	physaddr_t pa;
	if (kvtop(NULL, at, &pa, 0))
		return ct_fail_at(err, CT_ERR_FAULT, at, "address %#llx is not in the dump",
				  (unsigned long long)at);
	return ct_fail_at(err, CT_ERR_BADADDR, at, "address %#llx is not mapped",
			  (unsigned long long)at);
}

static ct_status ctleak_crash_symbol(struct ct_target *t, const char *name,
				     uint64_t *addr, struct ct_error *err)
{
	(void)t;
	struct syment *sp = symbol_search((char *)name);
	if (!sp)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s", name);
	*addr = sp->value;
	return CT_OK;
}

static ct_status ctleak_crash_percpu(struct ct_target *t, unsigned cpu,
				     uint64_t *base, struct ct_error *err)
{
	if (cpu >= NR_CPUS)
		return ct_fail(err, CT_ERR_NOTFOUND, "no per-CPU offset for CPU %u", cpu);
	if (kt->flags & PER_CPU_OFF) {
		*base = (uint64_t)kt->__per_cpu_offset[cpu];
		return CT_OK;
	}
	/* --minimal: crash did not read the offsets; the kernel's array. */
	struct syment *sp = symbol_search("__per_cpu_offset");
	if (!sp)
		return ct_fail(err, CT_ERR_NOTFOUND, "no per-CPU offset for CPU %u", cpu);
	return ct_target_read_u64(t, sp->value + 8ull * cpu, base, err);
}

/* crash's SIGINT handler only sets a flag while a command runs. */
static bool ctleak_crash_interrupted(struct ct_target *t)
{
	(void)t;
	return received_SIGINT();
}

static const struct ct_target_ops ctleak_crash_ops = {
	.kind = "crash",
	.read = ctleak_crash_read,
	.symbol = ctleak_crash_symbol,
	.percpu_base = ctleak_crash_percpu,
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
	ct_command_analyse(&o, &t, vmlinux, ctleak_dump_format(), fp, fp);
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
	register_extension(ctleak_commands);
}
