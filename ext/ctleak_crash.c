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
	"-m [-j|-p] [-D dir]... [--no-cache]",
	"  Shows where this kernel keeps its netfilter conntrack state: the",
	"  per-netns count, the confirmed hash, the unconfirmed and dying lists",
	"  (per-netns, per-CPU or none, depending on the kernel) and the layout",
	"  of struct nf_conn, all resolved from DWARF debug files. The vmlinux",
	"  is the one crash loaded; nf_conntrack's debug file is searched under",
	"  /usr/lib/debug/lib/modules/<release> and every -D folder.",
	"",
	"  This version answers -m only; the walk of the conntrack tables is",
	"  not part of it yet.",
	"",
	"  -m, --model          print the conntrack layout of this kernel",
	"  -j, --json           JSON output (schema in ctleak's README)",
	"  -p, --pretty         indented JSON",
	"  -D, --debug-dir DIR  also search DIR for debug files; repeatable",
	"      --no-cache       read DWARF even if a cached layout exists",
	"",
	"EXAMPLES",
	"  The layout of Debian 12's 6.1.0-56-cloud-amd64 kernel (debug files",
	"  from linux-image-6.1.0-56-cloud-amd64-dbg):",
	"",
	"    crash> ctleak -m",
	"    debug files: /usr/lib/debug/lib/modules/6.1.0-56-cloud-amd64/kernel/net/netfilter/nf_conntrack.ko /usr/lib/debug/boot/vmlinux-6.1.0-56-cloud-amd64",
	"    conntrack layout (types from DWARF, cached in /root/.cache/ctleak/layouts/layout-0c10b0d2...-3b43fad5....txt)",
	"      per-netns count:     nf_conntrack_net.count",
	"      confirmed hash:      global",
	"      unconfirmed/dying:   none",
	"      ecache dying list:   yes",
	"      refcount:            refcount_t",
	"      timeout:             u32",
	"      skb link:            skb->_nfct",
	"      net_generic:         ptr[id]",
	"      slab cache:          global nf_conntrack",
	"      status bits:         confirmed=3 dying=9 template=11",
	"      sizeof(nf_conn):     248",
	"      ...",
	NULL
};

static struct command_table_entry ctleak_commands[] = {
	{ "ctleak", ctleak_cmd, ctleak_help, 0 },
	{ NULL, NULL, NULL, 0 },
};

/* ---- a Target over crash's own view of the dump ---------------------- */

static ct_status ctleak_crash_read(struct ct_target *t, uint64_t addr, void *buf,
				   size_t len, size_t *done, struct ct_error *err)
{
	(void)t;
	*done = 0;
	if (readmem(addr, KVADDR, buf, (long)len, "ctleak", RETURN_ON_ERROR | QUIET)) {
		*done = len;
		return CT_OK;
	}
	/* Tell "not in the dump" from "not mapped": can crash translate it? */
	physaddr_t pa;
	if (kvtop(NULL, addr, &pa, 0))
		return ct_fail_at(err, CT_ERR_FAULT, addr, "address %#llx is not in the dump",
				  (unsigned long long)addr);
	return ct_fail_at(err, CT_ERR_BADADDR, addr, "address %#llx is not mapped",
			  (unsigned long long)addr);
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
	(void)t;
	if (!(kt->flags & PER_CPU_OFF) || cpu >= NR_CPUS)
		return ct_fail(err, CT_ERR_NOTFOUND, "no per-CPU offset for CPU %u", cpu);
	*base = (uint64_t)kt->__per_cpu_offset[cpu];
	return CT_OK;
}

static const struct ct_target_ops ctleak_crash_ops = {
	.kind = "crash",
	.read = ctleak_crash_read,
	.symbol = ctleak_crash_symbol,
	.percpu_base = ctleak_crash_percpu,
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
	if (o.npositional) {
		fprintf(fp, "ctleak: no arguments are taken inside crash (the dump is crash's)\n");
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	const char *vmlinux = pc->namelist_debug ? pc->namelist_debug : pc->namelist;
	if (o.model) {
		ct_command_model(&o, vmlinux, kt->utsname.release, NULL, 0, fp, fp);
		return;
	}
	struct ct_target t = { .ops = &ctleak_crash_ops, .page_size = (uint32_t)PAGESIZE() };
	snprintf(t.osrelease, sizeof(t.osrelease), "%s", kt->utsname.release);
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
