#include "kernel/modsyms.h"

#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"

#define MODULE_NAME_LEN 56
#define MODULE_STATE_UNFORMED 3
#define MAX_STRTAB (8u << 20)

struct ct_modsyms {
	struct ct_strmap *syms;     /* symbol -> runtime address */
	struct ct_strmap *modules;  /* names of LIVE modules */
	char broken[600];           /* where the list stopped being followable, or "" */
};

static void warnf(void (*warn)(void *, uint64_t, const char *), void *arg,
		  uint64_t addr, const char *fmt, const char *name)
{
	char buf[768];
	if (!warn)
		return;
	snprintf(buf, sizeof(buf), fmt, name);
	warn(arg, addr, buf);
}

/* Index one module's symbol table (symtab: num Elf64_Sym at symtab_addr). */
static ct_status index_module(struct ct_target *t, struct ct_modsyms *ms,
			      uint64_t symtab_addr, uint64_t num, uint64_t strtab_addr,
			      struct ct_error *err)
{
	if (num > CT_MAX_MODULE_SYMBOLS)
		return ct_fail(err, CT_ERR_CORRUPT, "%llu symbols", (unsigned long long)num);
	Elf64_Sym *syms = malloc((num ? num : 1) * sizeof(*syms));
	if (!syms)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	ct_status st = ct_target_read(t, symtab_addr, syms, num * sizeof(*syms), err);
	uint32_t strmax = 0;
	for (uint64_t i = 0; st == CT_OK && i < num; i++)
		if (syms[i].st_name > strmax)
			strmax = syms[i].st_name;
	char *strtab = NULL;
	size_t strsize = (size_t)strmax + 256;
	if (st == CT_OK && strsize > MAX_STRTAB)
		st = ct_fail(err, CT_ERR_CORRUPT, "string table of %zu bytes", strsize);
	if (st == CT_OK && !(strtab = malloc(strsize + 1)))
		st = ct_fail(err, CT_ERR_NOMEM, "out of memory");
	if (st == CT_OK) {
		/* The last name may end before the 256 bytes read past it do:
		 * read what can be read. */
		size_t done = 0;
		st = ct_target_read_partial(t, strtab_addr, strtab, strsize, &done, err);
		if (st != CT_OK && done > strmax) {
			st = CT_OK;
			strsize = done;
		}
		strtab[strsize] = '\0';
	}
	for (uint64_t i = 0; st == CT_OK && i < num; i++) {
		if (syms[i].st_shndx == SHN_UNDEF || syms[i].st_name == 0 ||
		    syms[i].st_name >= strsize)
			continue;
		const char *name = strtab + syms[i].st_name;
		size_t len = strnlen(name, strsize - syms[i].st_name);
		if (len && ct_strmap_add(ms->syms, name, len,
					 (struct ct_strmap_value){ syms[i].st_value, 0 }) < 0)
			st = ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	free(strtab);
	free(syms);
	return st;
}

/* Where one module's symbol table is: mod->kallsyms (4.5+), else the
 * symtab fields of struct module itself (RHEL 7). */
static ct_status module_symtab(struct ct_target *t, const struct ct_layout *l, uint64_t mod,
			       uint64_t *symtab, uint32_t *num, uint64_t *strtab,
			       struct ct_error *e)
{
	ct_status rs;
	if (ct_layout_has(l, CTL_MODULE_KALLSYMS)) {
		uint64_t ks = 0;
		rs = ct_target_read_u64(t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_KALLSYMS), &ks, e);
		if (!rs) rs = ct_target_read_u64(t, ks + (uint64_t)ct_layout_val(l, CTL_MOD_KALLSYMS_SYMTAB), symtab, e);
		if (!rs) rs = ct_target_read_u32(t, ks + (uint64_t)ct_layout_val(l, CTL_MOD_KALLSYMS_NUM), num, e);
		if (!rs) rs = ct_target_read_u64(t, ks + (uint64_t)ct_layout_val(l, CTL_MOD_KALLSYMS_STRTAB), strtab, e);
		return rs;
	}
	rs = ct_target_read_u64(t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_SYMTAB), symtab, e);
	if (!rs) rs = ct_target_read_u32(t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_NUM_SYMTAB), num, e);
	if (!rs) rs = ct_target_read_u64(t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_STRTAB), strtab, e);
	return rs;
}

struct module_walk {
	struct ct_target *t;
	const struct ct_layout *l;
	struct ct_modsyms *ms;
	void (*warn)(void *arg, uint64_t addr, const char *what);
	void *warn_arg;
};

/* One struct module of the list. CT_OK to go on; 1 (not a status) when
 * the list cannot be followed past it; else the error that stops all. */
static int add_module(struct module_walk *mw, uint64_t mod, struct ct_error *err)
{
	const struct ct_layout *l = mw->l;
	char name[MODULE_NAME_LEN + 1] = "";
	uint32_t state = 0;
	struct ct_error e = { 0 };
	if (ct_target_read(mw->t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_NAME),
			   name, MODULE_NAME_LEN, &e) ||
	    (ct_layout_has(l, CTL_MODULE_STATE) &&
	     ct_target_read_u32(mw->t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_STATE),
				&state, &e))) {
		warnf(mw->warn, mw->warn_arg, mod, "unreadable struct module: %s", e.text);
		return 1;
	}
	name[MODULE_NAME_LEN] = '\0';
	if (state == MODULE_STATE_UNFORMED)
		return CT_OK;
	uint64_t symtab = 0, strtab = 0;
	uint32_t num = 0;
	ct_status rs = module_symtab(mw->t, l, mod, &symtab, &num, &strtab, &e);
	if (!rs)
		rs = index_module(mw->t, mw->ms, symtab, num, strtab, &e);
	if (rs == CT_ERR_NOMEM)
		return ct_fail(err, rs, "%s", e.text);
	if (rs)
		warnf(mw->warn, mw->warn_arg, mod, "symbols of module %s unreadable", name);
	if (ct_strmap_add(mw->ms->modules, name, strlen(name),
			  (struct ct_strmap_value){ mod, 0 }) < 0)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	return CT_OK;
}

static ct_status walk_module_list(struct module_walk *mw, uint64_t head, struct ct_error *err)
{
	uint64_t off_list = (uint64_t)ct_layout_val(mw->l, CTL_MODULE_LIST);
	uint64_t node, prev = head;
	ct_status st = ct_target_read_u64(mw->t, head, &node, err);
	unsigned n = 0;
	while (st == CT_OK && node != head) {
		if (++n > CT_MAX_MODULES)
			return ct_fail_at(err, CT_ERR_CORRUPT, head,
					  "the module list does not end after %d modules",
					  CT_MAX_MODULES);
		/* list_head {next, prev}: a node whose prev is not the node
		 * before it is no list entry (corruption, or memory read as
		 * something else: crash 8.0 in --minimal reads module memory as
		 * zeros). Past it nothing can be trusted. */
		uint64_t back = 0;
		struct ct_error e = { 0 };
		if (ct_target_read_u64(mw->t, node + 8, &back, &e) || back != prev) {
			if (e.text[0])
				snprintf(mw->ms->broken, sizeof(mw->ms->broken),
					 "the module list is broken at %#llx (%s)",
					 (unsigned long long)node, e.text);
			else
				snprintf(mw->ms->broken, sizeof(mw->ms->broken),
					 "the module list is broken at %#llx (its prev is %#llx, "
					 "not %#llx)", (unsigned long long)node,
					 (unsigned long long)back, (unsigned long long)prev);
			warnf(mw->warn, mw->warn_arg, node, "%s", mw->ms->broken);
			break;
		}
		int rc = add_module(mw, node - off_list, err);
		if (rc == 1)
			break; /* the list cannot be followed past it */
		if (rc)
			return (ct_status)rc;
		prev = node;
		st = ct_target_read_u64(mw->t, node, &node, err);
	}
	return st;
}

ct_status ct_modsyms_load(const struct ct_program *p, const struct ct_layout *l,
			  struct ct_modsyms **out,
			  void (*warn)(void *arg, uint64_t addr, const char *what),
			  void *warn_arg, struct ct_error *err)
{
	if (!ct_layout_has(l, CTL_MODULE_LIST) || !ct_layout_has(l, CTL_MODULE_NAME))
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "struct module is not described by the debug files");
	if (!ct_layout_has(l, CTL_MODULE_KALLSYMS) &&
	    !(ct_layout_has(l, CTL_MODULE_SYMTAB) && ct_layout_has(l, CTL_MODULE_NUM_SYMTAB) &&
	      ct_layout_has(l, CTL_MODULE_STRTAB)))
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "struct module has neither kallsyms nor symtab");
	uint64_t head;
	ct_status st = ct_program_symbol(p, "modules", &head, err);
	if (st)
		return st;
	struct ct_modsyms *ms = calloc(1, sizeof(*ms));
	if (!ms || !(ms->syms = ct_strmap_new()) || !(ms->modules = ct_strmap_new())) {
		ct_modsyms_free(ms);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	struct module_walk mw = { p->mem, l, ms, warn, warn_arg };
	st = walk_module_list(&mw, head, err);
	if (st) {
		ct_modsyms_free(ms);
		return st;
	}
	*out = ms;
	return CT_OK;
}

ct_status ct_modsyms_lookup(const struct ct_modsyms *m, const char *name,
			    uint64_t *addr)
{
	const struct ct_strmap_value *v = ct_strmap_get(m->syms, name, strlen(name));
	if (!v)
		return CT_ERR_NOTFOUND;
	*addr = v->a;
	return CT_OK;
}

ct_status ct_modsyms_find(void *arg, const char *name, uint64_t *addr, struct ct_error *err)
{
	if (ct_modsyms_lookup(arg, name, addr) == CT_OK)
		return CT_OK;
	return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in the loaded modules", name);
}

const char *ct_modsyms_broken(const struct ct_modsyms *m)
{
	return m->broken[0] ? m->broken : NULL;
}

int ct_modsyms_has_module(const struct ct_modsyms *m, const char *module)
{
	return ct_strmap_get(m->modules, module, strlen(module)) != NULL;
}

void ct_modsyms_free(struct ct_modsyms *m)
{
	if (!m)
		return;
	ct_strmap_free(m->syms);
	ct_strmap_free(m->modules);
	free(m);
}

ct_status ct_modsyms_module_addr(const struct ct_modsyms *m, const char *module,
				 uint64_t *addr)
{
	const struct ct_strmap_value *v = ct_strmap_get(m->modules, module, strlen(module));
	if (!v)
		return CT_ERR_NOTFOUND;
	*addr = v->a;
	return CT_OK;
}
