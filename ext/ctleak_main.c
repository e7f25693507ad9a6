/* ctleak_main.c — the standalone ctleak program on libkdumpfile.
 *
 * A thin adapter: it tells VMLINUX from VMCORE, opens the dump, checks the
 * vmlinux belongs to it, and hands the work to lib/app/command.c exactly as the
 * crash command does.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/command.h"
#include "app/debugfind.h"
#include "base/elf_file.h"
#include "app/options.h"
#include "kernel/kallsyms.h"
#include "kernel/program.h"
#include "base/strmap.h"
#include "symbols/proc_kallsyms.h"
#include "target/target_kcore.h"
#include "target_kdumpfile.h"
#include "target/page_cache.h"

static void usage_line(const char *line, void *out)
{
	fprintf(out, "%s\n", line);
}

static void usage(FILE *out)
{
	fputs("usage: ctleak [OPTIONS] [VMLINUX] VMCORE\n"
	      "       ctleak [--live] [OPTIONS] [VMLINUX]\n"
	      "       ctleak -m [OPTIONS] VMLINUX [MODULE_DEBUG_FILE...]\n"
	      "\n"
	      "Account for every netfilter conntrack entry of the kernel in VMCORE\n"
	      "(any dump format libkdumpfile reads): per network namespace the kernel's\n"
	      "count, the confirmed hash, the unconfirmed and dying lists, what is\n"
	      "unaccounted for, and every suspect entry with its reasons.\n"
	      "VMLINUX and VMCORE may come in either order; without VMLINUX the debug\n"
	      "vmlinux is looked up from the dump's release under /usr/lib/debug and -D.\n"
	      "Without VMCORE (or with --live) ctleak reads the running kernel through\n"
	      "/proc/kcore (root only): a sample of a moving system.\n"
	      "\n"
	      "Exit status: 0 no suspects, 1 suspects found, 2 could not analyse,\n"
	      "3 incomplete report (its first lines say why).\n"
	      "\n"
	      "options:\n", out);
	ct_options_help(CT_FRONT_STANDALONE, usage_line, out);
}

/* $CTLEAK_STATS: one line on stderr about the reads and the memory a run
 * took (make bench reads it): the dump's pages libkdumpfile maps count in
 * the resident set as file pages, apart from ctleak's own (anonymous). */
static void print_stats(const struct ct_target *t)
{
	if (!getenv("CTLEAK_STATS"))
		return;
	unsigned long hwm = 0, anon = 0, file = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "VmHWM: %lu", &hwm);
		sscanf(line, "RssAnon: %lu", &anon);
		sscanf(line, "RssFile: %lu", &file);
	}
	if (f)
		fclose(f);
	bool cached = strcmp(t->ops->kind, "page cache") == 0;
	fprintf(stderr, "ctleak: stats: reads %llu, bytes %llu, page cache hits %llu misses %llu "
		"read ahead %llu, direct %llu, peak rss %lu MB, anon %lu MB, file %lu MB at exit\n",
		(unsigned long long)t->reads, (unsigned long long)t->bytes_read,
		(unsigned long long)t->cache_hits, (unsigned long long)t->cache_misses,
		(unsigned long long)(cached ? ct_page_cache_ahead_reads(t) : 0),
		(unsigned long long)ct_kdump_direct_reads(t), hwm / 1024, anon / 1024,
		file / 1024);
}

/* Failed before the analysis: one sentence on stderr, and under -j one
 * JSON document on stdout (command.h). t, if any, is closed. */
static int fail(const struct ct_options *o, const struct ct_error *err, struct ct_target *t)
{
	if (t)
		ct_target_close(t);
	return ct_command_fail(o, err, stdout, stderr);
}

/* The program: the Target's memory and vmlinux's symbols (from the debug
 * vmlinux, else the kernel's own kallsyms); the module list's are added
 * by the analysis. */
static int analyse(const struct ct_options *o, struct ct_target *t, const char *finder,
		   ct_symbol_find_fn find, void *syms, const struct ct_analysis_input *in)
{
	struct ct_program p;
	struct ct_error err = { 0 };
	ct_program_init(&p, t);
	if (ct_program_add_symbols(&p, finder, find, syms, &err) != CT_OK)
		return fail(o, &err, NULL);
	return ct_command_analyse(o, &p, in, stdout, stderr);
}

/* No debug vmlinux (or --types btf): the running kernel's symbols from
 * /proc/kallsyms, its types from /sys/kernel/btf. */
static int analyse_live_btf(const struct ct_options *o, struct ct_target *t,
			    struct ct_analysis_input *in)
{
	struct ct_strmap *ks;
	struct ct_error err = { 0 };
	if (ct_proc_kallsyms_load(CT_KALLSYMS_PATH, &ks, &err) != CT_OK) {
		struct ct_error why = err;
		if (in->no_vmlinux)
			ct_fail(&err, why.status, "%s; and the kernel's own symbols cannot stand "
				"in: %s", in->no_vmlinux, why.text);
		return fail(o, &err, t);
	}
	/* (--kcore FILE, a copy: its own memory holds its BTF) */
	in->btf_dir = o->kcore ? NULL : "/sys/kernel/btf";
	int rc = analyse(o, t, "kallsyms", ct_proc_kallsyms_find, ks, in);
	ct_proc_kallsyms_free(ks);
	ct_target_close(t);
	return rc;
}

/* The running kernel: /proc/kcore, vmlinux found from its release. */
static int analyse_live(const struct ct_options *o, const char *vmlinux)
{
	struct ct_target *t;
	struct ct_error err = { 0 };
	struct ct_analysis_input in = { 0 };
	if (ct_kcore_open(o->kcore ? o->kcore : CT_KCORE_PATH, &t, &err) != CT_OK)
		return fail(o, &err, NULL);
	char found[4096], why[sizeof(err.text)];
	if (!vmlinux && o->types != CT_TYPES_BTF) {
		if (ct_find_vmlinux(t->osrelease, o->debug_dirs, o->ndebug_dirs, found,
				    sizeof(found), &err) == CT_OK)
			vmlinux = found;
		else if (o->types == CT_TYPES_DWARF)
			return fail(o, &err, t);
		else
			in.no_vmlinux = strcpy(why, err.text);
	}
	if (!vmlinux || o->types == CT_TYPES_BTF)
		return analyse_live_btf(o, t, &in);
	struct ct_vmlinux_syms *syms;
	if (ct_kcore_vmlinux_syms(t, vmlinux, CT_KALLSYMS_PATH, &syms, NULL, &err) != CT_OK)
		return fail(o, &err, t);
	in.vmlinux = vmlinux;
	int rc = analyse(o, t, "vmlinux", ct_vmlinux_syms_find, syms, &in);
	ct_vmlinux_syms_close(syms);
	ct_target_close(t);
	return rc;
}

/* A debug vmlinux is an ELF file with DWARF; a dump is anything else. */
static int is_debug_elf(const char *path)
{
	struct ct_elf *elf;
	struct ct_error err;
	if (ct_elf_open(path, &elf, &err) != CT_OK)
		return 0;
	int yes = elf->type != ET_CORE && ct_elf_section_by_name(elf, ".debug_info");
	ct_elf_close(elf);
	return yes;
}

/* VMLINUX and VMCORE in either order: the debug ELF file is VMLINUX. */
static int sort_arguments(const struct ct_options *o, const char **vmlinux, const char **dump,
			  struct ct_error *err)
{
	*vmlinux = *dump = NULL;
	if (o->npositional > 2) {
		ct_fail(err, CT_ERR_USAGE, "give VMCORE, or VMLINUX and VMCORE (see ctleak --help)");
		return -1;
	}
	for (unsigned i = 0; i < o->npositional; i++) {
		if (is_debug_elf(o->positional[i]) && !*vmlinux)
			*vmlinux = o->positional[i];
		else if (!*dump)
			*dump = o->positional[i];
		else {
			ct_fail(err, CT_ERR_USAGE, "neither %s nor %s is a debug vmlinux",
				o->positional[0], o->positional[1]);
			return -1;
		}
	}
	if (!*dump) {
		ct_fail(err, CT_ERR_USAGE, "%s is a debug vmlinux; the dump is missing", *vmlinux);
		return -1;
	}
	return 0;
}

/* The debug vmlinux of the dump's release, unless named. NULL, err set,
 * when none is found. */
static const char *dump_vmlinux(const struct ct_options *o, struct ct_target *t,
				const struct ct_kdump_info *info, const char *dump,
				const char *vmlinux, char *found, size_t found_size,
				struct ct_error *err)
{
	if (vmlinux)
		return vmlinux;
	if (!t->osrelease[0] && !info->vmcoreinfo) {
		ct_fail(err, CT_ERR_NOTFOUND, "%s has no VMCOREINFO note: its kernel release is "
			"unknown (name VMLINUX; without VMCOREINFO that works only for a kernel "
			"without KASLR)", dump);
		return NULL;
	}
	if (ct_find_vmlinux(t->osrelease, o->debug_dirs, o->ndebug_dirs, found, found_size,
			    err) != CT_OK)
		return NULL;
	return found;
}

/* No debug vmlinux (or --types btf): vmlinux's symbols from the kernel's
 * own kallsyms, which VMCOREINFO names (6.0+); the types from its BTF. */
static int analyse_dump_btf(const struct ct_options *o, struct ct_target *t,
			    const struct ct_kdump_info *info, struct ct_analysis_input *in)
{
	struct ct_kallsyms *ks;
	struct ct_error err = { 0 };
	const char *vmcoreinfo = ct_kdump_vmcoreinfo(t);
	if (ct_kdump_cache_pages(&t, info, &err) != CT_OK)
		return fail(o, &err, t);
	if (!vmcoreinfo)
		ct_fail(&err, CT_ERR_NOTFOUND, "the dump has no VMCOREINFO to find the kernel's "
			"own symbols with");
	if (!vmcoreinfo || ct_kallsyms_load(t, vmcoreinfo, &ks, &err) != CT_OK) {
		struct ct_error why = err;
		if (in->no_vmlinux)
			ct_fail(&err, why.status, "%s; the dump cannot stand in for it: %s",
				in->no_vmlinux, why.text);
		return fail(o, &err, t);
	}
	int rc = analyse(o, t, "kallsyms", ct_kallsyms_find, ks, in);
	print_stats(t);
	ct_kallsyms_free(ks);
	ct_target_close(t);
	return rc;
}

static int analyse_dump(const struct ct_options *o)
{
	const char *vmlinux, *dump;
	struct ct_error err = { 0 };
	if (sort_arguments(o, &vmlinux, &dump, &err))
		return fail(o, &err, NULL);
	struct ct_target *t;
	struct ct_kdump_info info;
	if (ct_kdump_open(dump, &t, &info, &err) != CT_OK)
		return fail(o, &err, NULL);
	char found[4096], why[sizeof(err.text)];
	struct ct_analysis_input in = { .dump_format = info.format };
	if (o->types != CT_TYPES_BTF || vmlinux) {
		vmlinux = dump_vmlinux(o, t, &info, dump, vmlinux, found, sizeof(found), &err);
		if (!vmlinux && o->types == CT_TYPES_DWARF)
			return fail(o, &err, t);
		if (!vmlinux)
			in.no_vmlinux = strcpy(why, err.text);
	}
	if (!vmlinux)
		return analyse_dump_btf(o, t, &info, &in);
	struct ct_vmlinux_syms *syms = NULL;
	if (ct_kdump_vmlinux_syms(t, vmlinux, &syms, &err) != CT_OK ||
	    ct_kdump_cache_pages(&t, &info, &err) != CT_OK) {
		ct_vmlinux_syms_close(syms);
		return fail(o, &err, t);
	}
	in.vmlinux = vmlinux;
	int rc = analyse(o, t, "vmlinux", ct_vmlinux_syms_find, syms, &in);
	print_stats(t);
	ct_vmlinux_syms_close(syms);
	ct_target_close(t);
	return rc;
}

int main(int argc, char **argv)
{
	struct ct_options o;
	struct ct_error err = { 0 };
	if (ct_cli_parse(argc, argv, &o, &err) != CT_OK) {
		fprintf(stderr, "ctleak: %s (see ctleak --help)\n", err.text);
		return CT_EXIT_FAILED;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (o.model) {
		if (o.npositional < 1) {
			ct_fail(&err, CT_ERR_USAGE, "-m needs VMLINUX (see ctleak --help)");
			return fail(&o, &err, NULL);
		}
		return ct_command_model(&o, o.positional[0], NULL, o.positional + 1,
					o.npositional - 1, stdout, stderr) ? CT_EXIT_FAILED : 0;
	}
	if (o.live || o.npositional == 0) {
		if (o.npositional > 1 || (o.npositional == 1 && !is_debug_elf(o.positional[0]))) {
			ct_fail(&err, CT_ERR_USAGE, "--live takes at most a debug VMLINUX, not a "
				"dump (see ctleak --help)");
			return fail(&o, &err, NULL);
		}
		return analyse_live(&o, o.npositional ? o.positional[0] : NULL);
	}
	return analyse_dump(&o);
}
