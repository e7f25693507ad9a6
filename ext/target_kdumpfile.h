/* target_kdumpfile.h — a Target over a dump file read by libkdumpfile
 * (ELF, kdump compressed, and every other format it knows), and the
 * dump's facts that place the debug vmlinux's symbols: its build-id and
 * KASLR offset (VMCOREINFO). */
#ifndef CTLEAK_TARGET_KDUMPFILE_H
#define CTLEAK_TARGET_KDUMPFILE_H

#include <stdbool.h>

#include "target/target.h"
#include "symbols/vmlinux_syms.h"

struct ct_kdump_info {
	char format[32];        /* libkdumpfile's file.format */
	char build_id[129];     /* VMCOREINFO BUILD-ID, "" if the kernel gave none */
	uint64_t kernel_offset; /* KASLR: VMCOREINFO KERNELOFFSET */
	bool vmcoreinfo;        /* the dump has a VMCOREINFO note */
};

/* Open dump; osrelease and build-id come from the dump alone. */
ct_status ct_kdump_open(const char *dump, struct ct_target **out,
			struct ct_kdump_info *info, struct ct_error *err);
/* The symbol table of vmlinux, moved by the dump's KASLR offset, once
 * checked to be the dump's kernel (a symbol finder: vmlinux_syms.h). t is
 * the Target ct_kdump_open made. */
ct_status ct_kdump_vmlinux_syms(struct ct_target *t, const char *vmlinux,
				struct ct_vmlinux_syms **out, struct ct_error *err);
/* The dump's VMCOREINFO text (libkdumpfile's linux.vmcoreinfo.raw), NUL-
 * terminated, NULL when it has none; owned by t. t is the Target ct_kdump_open made (not
 * the page cache ct_kdump_cache_pages may put in front of it). */
const char *ct_kdump_vmcoreinfo(struct ct_target *t);
/* Compressed dumps decompress a page on every read that misses
 * libkdumpfile's small cache: mark the target so that the walk reads in
 * memory order where it can (walk_index.c), and put a page cache of
 * CT_KDUMP_CACHE_PAGES (16 MiB; $CTLEAK_DUMP_CACHE_PAGES, 0 for none) in
 * front for the reads that stay scattered. ELF dumps are mmap()ed: neither
 * is needed. *t becomes the cache, which owns the dump's Target. */
#define CT_KDUMP_CACHE_PAGES 4096
ct_status ct_kdump_cache_pages(struct ct_target **t, const struct ct_kdump_info *info,
			       struct ct_error *err);
/* Is path a dump libkdumpfile can open? (for telling arguments apart) */
int ct_kdump_is_dump(const char *path);
/* Reads of t (a kdump Target) served from the file directly, not through
 * libkdumpfile (kdump_direct.h); 0 for any other Target. */
uint64_t ct_kdump_direct_reads(const struct ct_target *t);

#endif
