#include "symbols/vmlinux_syms.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/elf_file.h"
#include "base/strmap.h"

struct ct_vmlinux_syms {
	struct ct_elf *elf;
	struct ct_strmap *syms;
	uint64_t kernel_offset;
	char path[4096];
	char whose[64];
	char release[65];
};

ct_status ct_vmlinux_syms_open(const char *vmlinux, const char *kernel_build_id,
			       const char *whose, const char *release,
			       struct ct_vmlinux_syms **out, struct ct_error *err)
{
	struct ct_vmlinux_syms *s = calloc(1, sizeof(*s));
	if (!s)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	snprintf(s->path, sizeof(s->path), "%s", vmlinux);
	snprintf(s->whose, sizeof(s->whose), "%s", whose);
	snprintf(s->release, sizeof(s->release), "%s", release ? release : "");
	ct_status st = ct_elf_open(vmlinux, &s->elf, err);
	if (st) {
		ct_vmlinux_syms_close(s);
		return st;
	}
	char hex[129];
	ct_elf_build_id_hex(s->elf, hex, sizeof(hex));
	if (kernel_build_id && kernel_build_id[0] && hex[0] &&
	    strncmp(kernel_build_id, hex, strlen(hex)) != 0) {
		ct_fail(err, CT_ERR_MISMATCH, "%s (build-id %s) is not the kernel of %s "
			"(build-id %s, %s)", vmlinux, hex, whose, kernel_build_id, s->release);
		ct_vmlinux_syms_close(s);
		return CT_ERR_MISMATCH;
	}
	st = ct_elf_symbols(s->elf, &s->syms, err);
	if (st) {
		ct_vmlinux_syms_close(s);
		return st;
	}
	*out = s;
	return CT_OK;
}

void ct_vmlinux_syms_set_offset(struct ct_vmlinux_syms *s, uint64_t kernel_offset)
{
	s->kernel_offset = kernel_offset;
}

static const struct ct_strmap_value *find(const struct ct_vmlinux_syms *s, const char *name)
{
	return s->syms ? ct_strmap_get(s->syms, name, strlen(name)) : NULL;
}

bool ct_vmlinux_syms_value(const struct ct_vmlinux_syms *s, const char *name, uint64_t *value)
{
	const struct ct_strmap_value *v = find(s, name);
	if (v)
		*value = v->a;
	return v != NULL;
}

ct_status ct_vmlinux_syms_lookup(const struct ct_vmlinux_syms *s, const char *name,
				 uint64_t *addr, struct ct_error *err)
{
	const struct ct_strmap_value *v = find(s, name);
	if (!v)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in vmlinux", name);
	/* KASLR moves the kernel image; absolute symbols and the zero-based
	 * per-CPU offsets (CONFIG_KALLSYMS_ABSOLUTE_PERCPU) stay put. */
	bool image = v->a >= 0xffffffff80000000ULL;
	*addr = v->b == SHN_ABS || !image ? v->a : v->a + s->kernel_offset;
	return CT_OK;
}

ct_status ct_vmlinux_syms_find(void *arg, const char *name, uint64_t *addr,
			       struct ct_error *err)
{
	return ct_vmlinux_syms_lookup(arg, name, addr, err);
}

ct_status ct_vmlinux_syms_check(const struct ct_vmlinux_syms *s, const char *name,
				uint64_t runtime_addr, const char *source, struct ct_error *err)
{
	uint64_t addr;
	if (ct_vmlinux_syms_lookup(s, name, &addr, NULL) != CT_OK || addr == runtime_addr)
		return CT_OK;
	return ct_fail(err, CT_ERR_MISMATCH, "%s does not match %s (%s): %s is at %#llx in it, "
		       "at %#llx in %s", s->path, s->whose, s->release, name,
		       (unsigned long long)addr, (unsigned long long)runtime_addr, source);
}

void ct_vmlinux_syms_close(struct ct_vmlinux_syms *s)
{
	if (!s)
		return;
	ct_strmap_free(s->syms);
	ct_elf_close(s->elf);
	free(s);
}
