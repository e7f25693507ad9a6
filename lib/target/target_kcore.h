/* target_kcore.h — a Target over the running kernel's /proc/kcore.
 *
 * /proc/kcore is an ELF core file whose PT_LOAD segments carry kernel
 * virtual addresses (direct map, vmalloc and module space, the kernel
 * image), so reads need no page-table walk: our own small ELF reader
 * pread()s the segment that holds an address. libkdumpfile is not used for
 * it (see README: it opens kcore as a physical-address ELF dump).
 *
 * Since 4.19 kcore carries a VMCOREINFO note (OSRELEASE, BUILD-ID,
 * KERNELOFFSET, SYMBOL(...)); before that the KASLR offset comes from
 * /proc/kallsyms' _stext. Nothing is ever written: the file is opened
 * read-only and only pread() touches it.
 */
#ifndef CTLEAK_TARGET_KCORE_H
#define CTLEAK_TARGET_KCORE_H

#include "target/target.h"
#include "symbols/vmlinux_syms.h"

#define CT_KCORE_PATH "/proc/kcore"
#define CT_KALLSYMS_PATH "/proc/kallsyms"

/* Open path (CT_KCORE_PATH, or a copy for tests). CT_ERR_PERM when the
 * kernel or the file mode refuses it, with a sentence that says why. */
ct_status ct_kcore_open(const char *path, struct ct_target **out, struct ct_error *err);

/* vmlinux's symbols, moved by the KASLR offset: VMCOREINFO's KERNELOFFSET,
 * else kallsyms' _stext minus vmlinux's; checked against the kernel's
 * build-id and one symbol's runtime address. A symbol finder
 * (vmlinux_syms.h). offset_source (may be NULL) gets where the offset came
 * from: "vmcoreinfo" or "kallsyms". t is the Target ct_kcore_open made. */
ct_status ct_kcore_vmlinux_syms(struct ct_target *t, const char *vmlinux, const char *kallsyms,
				struct ct_vmlinux_syms **out, const char **offset_source,
				struct ct_error *err);

#endif
