/* vmlinux_syms.h — the symbol table of a debug vmlinux, moved by KASLR.
 *
 * Both file Targets (a dump through libkdumpfile, a live /proc/kcore) take
 * vmlinux symbols from the debug vmlinux and add the kernel's KASLR offset.
 * Opening checks the vmlinux belongs to the kernel: by the build-id the
 * kernel published (VMCOREINFO BUILD-ID, 5.9+), and by one symbol whose
 * runtime address is known (VMCOREINFO SYMBOL(init_uts_ns), or kallsyms).
 */
#ifndef CTLEAK_VMLINUX_SYMS_H
#define CTLEAK_VMLINUX_SYMS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ct_error.h"

struct ct_vmlinux_syms;

/* Open vmlinux. kernel_build_id is the kernel's ("" if unknown); whose
 * names the kernel in messages ("this dump", "the running kernel") and
 * release is its release. CT_ERR_MISMATCH: another kernel's vmlinux. */
ct_status ct_vmlinux_syms_open(const char *vmlinux, const char *kernel_build_id,
			       const char *whose, const char *release,
			       struct ct_vmlinux_syms **out, struct ct_error *err);
void ct_vmlinux_syms_set_offset(struct ct_vmlinux_syms *s, uint64_t kernel_offset);
/* The link-time value of name, KASLR not applied. */
bool ct_vmlinux_syms_value(const struct ct_vmlinux_syms *s, const char *name, uint64_t *value);
/* The runtime address of name: image symbols move by the KASLR offset,
 * absolute symbols and zero-based per-CPU offsets do not. */
ct_status ct_vmlinux_syms_lookup(const struct ct_vmlinux_syms *s, const char *name,
				 uint64_t *addr, struct ct_error *err);
/* ct_vmlinux_syms_lookup as a symbol finder (symbols.h): arg is the table. */
ct_status ct_vmlinux_syms_find(void *arg, const char *name, uint64_t *addr,
			       struct ct_error *err);
/* Does name land on runtime_addr once moved? CT_ERR_MISMATCH (with a
 * sentence naming the vmlinux, the symbol and both addresses) if not. */
ct_status ct_vmlinux_syms_check(const struct ct_vmlinux_syms *s, const char *name,
				uint64_t runtime_addr, const char *source, struct ct_error *err);
void ct_vmlinux_syms_close(struct ct_vmlinux_syms *s);

#endif
