/* btf_mem.h — the kernel's own BTF, where the running kernel keeps it.
 *
 * vmlinux's BTF lies in the kernel image between __start_BTF and
 * __stop_BTF (CONFIG_DEBUG_INFO_BTF, 5.2+); each module's, since 5.11
 * (CONFIG_DEBUG_INFO_BTF_MODULES, kernel commit 36e68442d1af "bpf: Load and
 * verify kernel module BTFs"), in a struct btf the kernel copied it into,
 * found through the btf_modules list (kernel/bpf/btf.c). A module's own
 * btf_data pointer is no use: it points into the module's load image and
 * is cleared once the module is initialised. A live kernel also shows both
 * as files under /sys/kernel/btf.
 *
 * What is read is hostile input like any other memory of a dump: sizes
 * are capped (CT_BTF_MAX_SIZE), the list walk is bounded and cycle-checked,
 * and the bytes are checked by the BTF finder (types.h) before any use.
 */
#ifndef CTLEAK_BTF_MEM_H
#define CTLEAK_BTF_MEM_H

#include "kernel/layout.h"
#include "kernel/program.h"
#include "types/types.h"

#define CT_BTF_MAX_MODULES 4096

/* vmlinux's BTF from memory. CT_ERR_NOTFOUND when the kernel has none. */
ct_status ct_btf_read_vmlinux(const struct ct_program *p, struct ct_btf_blob *out,
			      struct ct_error *err);
/* Module module's split BTF from memory; lv describes vmlinux (its
 * btf_module and struct btf). CT_ERR_NOTFOUND, with a sentence saying
 * which, when the kernel keeps no module BTF or none for this module. */
ct_status ct_btf_read_module(const struct ct_program *p, const struct ct_layout *lv,
			     const char *module, struct ct_btf_blob *out, struct ct_error *err);
/* dir/name (dir: /sys/kernel/btf), read whole, capped. */
ct_status ct_btf_read_file(const char *dir, const char *name, struct ct_btf_blob *out,
			   struct ct_error *err);

#endif
