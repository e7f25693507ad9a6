/* types_libdwarf.c — the DWARF type finder on libdwarf 20210528 (Debian 12)
 * and libdwarf 0.x (Debian 13: 0.11.1).
 *
 * Every libdwarf call of the project lives in this file. The two APIs differ
 * where we touch them: the object access layer (0.x renamed its types with
 * an _a suffix, its fields with as_/om_ prefixes, takes 64-bit section
 * indexes and asks for the file size), dwarf_object_finish (no error
 * argument in 0.x), and iteration (0.x: dwarf_next_cu_header_e returns the
 * CU DIE, dwarf_siblingof_c needs no Dwarf_Debug). The Makefile probes the
 * installed header and defines CTLEAK_LIBDWARF_0X for 0.x (a feature test,
 * not a distribution check); the small shims below hide the rest.
 *
 * Each debug file is one finder of the chain (types.h), with its own index.
 * Indexing: types repeat in every CU, so instead of indexing whole files up
 * front the finder scans CUs forward, one at a time, only until the name it
 * was asked for shows up; every top-level struct, union, enum, typedef, base
 * type and enumerator seen on the way is remembered (the first definition
 * wins; declarations are skipped). A file is scanned at most once, and only
 * when the finders before it do not know the name.
 *
 * Object access: every file goes through our own object access layer, never
 * libdwarf's ELF reader. vmlinux is linked with --emit-relocs, so Debian's
 * carries ~255 MB of .rela.debug_* whose effect is already in the section
 * bytes; libdwarf's reader would read and re-apply them all (~0.5 s and
 * ~560 MB for nothing), so linked files (ET_EXEC, ET_DYN) hide them. Modules
 * (ET_REL) do need theirs: we apply the x86-64 ones to each debug section as
 * libdwarf loads it. (libdwarf 20210528's ELF reader also sets a process-wide
 * hook, _dwarf_get_elf_flags_func_ptr, that later breaks any custom-layer
 * Dwarf_Debug: one more reason never to mix the two.)
 */
#include "types/types.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include "base/elf_file.h"
#include "base/strmap.h"
#include "types/type_path.h"

#ifdef CTLEAK_LIBDWARF_0X
typedef Dwarf_Obj_Access_Interface_a dw_iface;
typedef Dwarf_Obj_Access_Section_a dw_section;
typedef Dwarf_Obj_Access_Methods_a dw_methods;
typedef Dwarf_Unsigned dw_index;
#define SEC(field) as_##field
#define IFACE(field) ai_##field
#else
typedef Dwarf_Obj_Access_Interface dw_iface;
typedef Dwarf_Obj_Access_Section dw_section;
typedef Dwarf_Obj_Access_Methods dw_methods;
typedef Dwarf_Half dw_index;
#define SEC(field) field
#define IFACE(field) field
#endif

#define MAX_TYPE_DEPTH 64           /* typedef/qualifier chains */
#define MAX_ANON_DEPTH 8            /* nested anonymous struct/union members */
#define MAX_INFLATED (4ULL << 30)   /* cap on one decompressed section */

/* One debug file: one finder of the chain (types.h). */
struct dw_file {
	char *path;
	struct ct_elf *elf;       /* backs the access layer */
	dw_iface iface;
	unsigned char **inflated; /* per-section buffers of SHF_COMPRESSED data */
	unsigned char *relocated; /* ET_REL: per-section "relocations applied" */
	Dwarf_Debug dbg;
	int scan_done;
	/* Keys: "s:" struct, "u:" union, "t:" typedef, "e:" enum, "b:" base
	 * type → b = DIE offset; "E:" enumerator → a = value. */
	struct ct_strmap *index;
	struct ct_types_stats stats;
};

/* ---- object access layer for linked files ------------------------------ */

static int is_hidden(const struct ct_elf_section *s)
{
	return s->type == SHT_RELA || s->type == SHT_REL;
}

static int acc_section_info(void *obj, dw_index i, dw_section *ret, int *error)
{
	struct dw_file *f = obj;
	(void)error;
	if (i >= f->elf->nsections)
		return DW_DLV_NO_ENTRY;
	const struct ct_elf_section *s = &f->elf->sections[i];
	memset(ret, 0, sizeof(*ret));
	ret->SEC(name) = "";
	if (is_hidden(s))
		return DW_DLV_OK;
	ret->SEC(addr) = s->addr;
	ret->SEC(type) = s->type;
	ret->SEC(size) = s->size;
	ret->SEC(name) = s->name;
	ret->SEC(link) = s->link;
	ret->SEC(info) = s->info;
	ret->SEC(entrysize) = s->entsize;
	if ((s->flags & SHF_COMPRESSED) && s->size >= sizeof(Elf64_Chdr)) {
		Elf64_Chdr ch;
		memcpy(&ch, f->elf->map + s->offset, sizeof(ch));
		ret->SEC(size) = ch.ch_size;
	}
	return DW_DLV_OK;
}

#ifdef CTLEAK_LIBDWARF_0X
static Dwarf_Small acc_byte_order(void *obj)
{
	(void)obj;
	return DW_END_little;
}

static Dwarf_Unsigned acc_file_size(void *obj)
{
	struct dw_file *f = obj;
	return f->elf->map_size;
}
#else
static Dwarf_Endianness acc_byte_order(void *obj)
{
	(void)obj;
	return DW_OBJECT_LSB;
}
#endif

static Dwarf_Small acc_length_size(void *obj)
{
	(void)obj;
	return 4;
}

static Dwarf_Small acc_pointer_size(void *obj)
{
	(void)obj;
	return 8;
}

static Dwarf_Unsigned acc_section_count(void *obj)
{
	struct dw_file *f = obj;
	return f->elf->nsections;
}

/* Inflate one SHF_COMPRESSED (ELFCOMPRESS_ZLIB) section. */
static unsigned char *inflate_section(const struct ct_elf *elf,
				      const struct ct_elf_section *s)
{
	Elf64_Chdr ch;
	if (s->size < sizeof(ch))
		return NULL;
	memcpy(&ch, elf->map + s->offset, sizeof(ch));
	if (ch.ch_type != ELFCOMPRESS_ZLIB || ch.ch_size == 0 ||
	    ch.ch_size > MAX_INFLATED)
		return NULL;
	unsigned char *out = malloc(ch.ch_size);
	if (!out)
		return NULL;
	uLongf outlen = ch.ch_size;
	if (uncompress(out, &outlen, elf->map + s->offset + sizeof(ch),
		       s->size - sizeof(ch)) != Z_OK ||
	    outlen != ch.ch_size) {
		free(out);
		return NULL;
	}
	return out;
}

/* Apply the RELA sections that target section `target` (ET_REL only) to its
 * bytes. Debug sections of x86-64 modules use R_X86_64_32 and R_X86_64_64
 * (offsets into other debug sections, addresses); the value is S + A. */
static int relocate(struct dw_file *f, size_t target, unsigned char *data,
		    uint64_t size)
{
	const struct ct_elf *elf = f->elf;
	for (size_t r = 0; r < elf->nsections; r++) {
		const struct ct_elf_section *rs = &elf->sections[r];
		if (rs->type != SHT_RELA || rs->info != target)
			continue;
		if (rs->link >= elf->nsections || rs->entsize != sizeof(Elf64_Rela))
			return DW_DLE_RELOC_SECTION_MALLOC_FAIL;
		const struct ct_elf_section *symtab = &elf->sections[rs->link];
		uint64_t nsyms = symtab->size / sizeof(Elf64_Sym);
		for (uint64_t k = 0; k < rs->size / sizeof(Elf64_Rela); k++) {
			Elf64_Rela rel;
			Elf64_Sym sym;
			memcpy(&rel, elf->map + rs->offset + k * sizeof(rel), sizeof(rel));
			uint64_t si = ELF64_R_SYM(rel.r_info);
			unsigned type = (unsigned)ELF64_R_TYPE(rel.r_info);
			if (si >= nsyms)
				return DW_DLE_RELOC_SECTION_SYMBOL_INDEX_BAD;
			memcpy(&sym, elf->map + symtab->offset + si * sizeof(sym), sizeof(sym));
			uint64_t v = sym.st_value + (uint64_t)rel.r_addend;
			if (type == R_X86_64_32 || type == R_X86_64_32S) {
				if (rel.r_offset > size || size - rel.r_offset < 4)
					return DW_DLE_RELOC_INVALID;
				uint32_t v32 = (uint32_t)v;
				memcpy(data + rel.r_offset, &v32, 4);
			} else if (type == R_X86_64_64) {
				if (rel.r_offset > size || size - rel.r_offset < 8)
					return DW_DLE_RELOC_INVALID;
				memcpy(data + rel.r_offset, &v, 8);
			} else if (type != R_X86_64_NONE) {
				return DW_DLE_RELOC_SECTION_RELOC_TARGET_SIZE_UNKNOWN;
			}
		}
	}
	return 0;
}

static int acc_load_section(void *obj, dw_index i, Dwarf_Small **data, int *error)
{
	struct dw_file *f = obj;
	if (i >= f->elf->nsections)
		return DW_DLV_NO_ENTRY;
	const struct ct_elf_section *s = &f->elf->sections[i];
	if (is_hidden(s) || s->type == SHT_NOBITS || s->type == SHT_NULL)
		return DW_DLV_NO_ENTRY;
	uint64_t size = s->size;
	if (s->flags & SHF_COMPRESSED) {
		if (!f->inflated[i])
			f->inflated[i] = inflate_section(f->elf, s);
		if (!f->inflated[i]) {
			*error = DW_DLE_MDE;
			return DW_DLV_ERROR;
		}
		*data = f->inflated[i];
		Elf64_Chdr ch;
		memcpy(&ch, f->elf->map + s->offset, sizeof(ch));
		size = ch.ch_size;
	} else {
		*data = f->elf->map + s->offset;
	}
	if (f->elf->type == ET_REL && !f->relocated[i]) {
		int code = relocate(f, i, *data, size);
		if (code) {
			*error = code;
			return DW_DLV_ERROR;
		}
		f->relocated[i] = 1;
	}
	return DW_DLV_OK;
}

#ifdef CTLEAK_LIBDWARF_0X
static const dw_methods access_methods = {
	.om_get_section_info = acc_section_info,
	.om_get_byte_order = acc_byte_order,
	.om_get_length_size = acc_length_size,
	.om_get_pointer_size = acc_pointer_size,
	.om_get_filesize = acc_file_size,
	.om_get_section_count = acc_section_count,
	.om_load_section = acc_load_section,
	.om_relocate_a_section = NULL, /* ET_REL: applied in acc_load_section */
};
#else
static const dw_methods access_methods = {
	.get_section_info = acc_section_info,
	.get_byte_order = acc_byte_order,
	.get_length_size = acc_length_size,
	.get_pointer_size = acc_pointer_size,
	.get_section_count = acc_section_count,
	.load_section = acc_load_section,
	.relocate_a_section = NULL, /* ET_REL: applied in acc_load_section */
};
#endif

/* The calls whose shape changed in 0.x. */
static void dw_object_finish(Dwarf_Debug dbg)
{
#ifdef CTLEAK_LIBDWARF_0X
	dwarf_object_finish(dbg);
#else
	Dwarf_Error e = NULL;
	dwarf_object_finish(dbg, &e);
	if (e)
		dwarf_dealloc(NULL, e, DW_DLA_ERROR);
#endif
}

static int dw_sibling(Dwarf_Debug dbg, Dwarf_Die die, Dwarf_Die *next, Dwarf_Error *e)
{
#ifdef CTLEAK_LIBDWARF_0X
	(void)dbg;
	return dwarf_siblingof_c(die, next, e);
#else
	return dwarf_siblingof_b(dbg, die, 1, next, e);
#endif
}

/* The next unit header of .debug_info, and its CU DIE (*cu NULL if that
 * DIE cannot be read). */
static int dw_next_cu(Dwarf_Debug dbg, Dwarf_Die *cu, Dwarf_Error *e)
{
	Dwarf_Unsigned hdr_len, typeoff, next_cu;
	Dwarf_Off abbrev_off;
	Dwarf_Half version, addr_size, off_size, ext_size, hdr_type;
	Dwarf_Sig8 sig;
	*cu = NULL;
#ifdef CTLEAK_LIBDWARF_0X
	return dwarf_next_cu_header_e(dbg, 1, cu, &hdr_len, &version, &abbrev_off, &addr_size,
				      &off_size, &ext_size, &sig, &typeoff, &next_cu,
				      &hdr_type, e);
#else
	int rc = dwarf_next_cu_header_d(dbg, 1, &hdr_len, &version, &abbrev_off, &addr_size,
					&off_size, &ext_size, &sig, &typeoff, &next_cu,
					&hdr_type, e);
	if (rc == DW_DLV_OK) {
		Dwarf_Error se = NULL;
		if (dwarf_siblingof_b(dbg, NULL, 1, cu, &se) != DW_DLV_OK)
			*cu = NULL;
		if (se)
			dwarf_dealloc(dbg, se, DW_DLA_ERROR);
	}
	return rc;
#endif
}

/* ---- opening ------------------------------------------------------------ */

static void drop_error(Dwarf_Debug dbg, Dwarf_Error *e)
{
	if (*e)
		dwarf_dealloc(dbg, *e, DW_DLA_ERROR);
	*e = NULL;
}

static void close_file(struct dw_file *f)
{
	if (f->dbg)
		dw_object_finish(f->dbg);
	if (f->inflated && f->elf)
		for (size_t i = 0; i < f->elf->nsections; i++)
			free(f->inflated[i]);
	free(f->inflated);
	free(f->relocated);
	ct_elf_close(f->elf);
	ct_strmap_free(f->index);
	free(f->path);
	free(f);
}

/* The ELF file at path if it carries DWARF we read. */
static ct_status open_debug_elf(const char *path, struct ct_elf **out,
				struct ct_error *err)
{
	struct ct_elf *elf;
	ct_status st = ct_elf_open(path, &elf, err);
	if (st)
		return st;
	if (!ct_elf_section_by_name(elf, ".debug_info")) {
		ct_elf_close(elf);
		return ct_fail(err, CT_ERR_NOTFOUND,
			       "%s has no DWARF (.debug_info): not a debug file",
			       path);
	}
	if (elf->type == ET_REL && elf->machine != EM_X86_64) {
		ct_elf_close(elf);
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "%s: relocatable debug files are read for x86-64 only",
			       path);
	}
	*out = elf;
	return CT_OK;
}

/* Hand the file to libdwarf through our access layer. */
static ct_status open_dwarf(struct dw_file *f, const char *path,
			    struct ct_error *err)
{
	Dwarf_Error e = NULL;
	f->iface.IFACE(object) = f;
	f->iface.IFACE(methods) = &access_methods;
	if (!f->inflated || !f->relocated || !f->path || !f->index)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory opening %s", path);
	int rc = dwarf_object_init_b(&f->iface, NULL, NULL, DW_GROUPNUMBER_ANY,
				     &f->dbg, &e);
	if (rc == DW_DLV_OK)
		return CT_OK;
	char why[200] = "no DWARF";
	if (e)
		snprintf(why, sizeof(why), "%s", dwarf_errmsg(e));
	drop_error(NULL, &e);
	f->dbg = NULL;
	return ct_fail(err, CT_ERR_CORRUPT, "libdwarf cannot read %s: %s", path,
		       why);
}

static const struct ct_type_finder_ops dwarf_ops;

ct_status ct_types_add_dwarf(struct ct_types *t, const char *path,
			     struct ct_error *err)
{
	struct ct_elf *elf = NULL;
	ct_status st = open_debug_elf(path, &elf, err);
	if (st)
		return st;
	struct dw_file *f = calloc(1, sizeof(*f));
	if (!f) {
		ct_elf_close(elf);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	f->elf = elf;
	f->path = strdup(path);
	f->index = ct_strmap_new();
	f->inflated = calloc(elf->nsections, sizeof(*f->inflated));
	f->relocated = calloc(elf->nsections, 1);
	for (size_t i = 0; i < elf->nsections; i++)
		f->stats.hidden_sections += is_hidden(&elf->sections[i]);
	f->stats.files = 1;
	if ((st = open_dwarf(f, path, err))) {
		close_file(f);
		return st;
	}
	return ct_types_add_finder(t, &dwarf_ops, f, err);
}

static void dw_stats(const void *arg, struct ct_types_stats *sum)
{
	const struct dw_file *f = arg;
	sum->files += f->stats.files;
	sum->cus_scanned += f->stats.cus_scanned;
	sum->dies_indexed += ct_strmap_count(f->index);
	sum->hidden_sections += f->stats.hidden_sections;
}

static void dw_free(void *arg)
{
	close_file(arg);
}

/* ---- small DIE helpers -------------------------------------------------- */

static int die_has(Dwarf_Die die, Dwarf_Half attr)
{
	Dwarf_Bool yes = 0;
	Dwarf_Error e = NULL;
	if (dwarf_hasattr(die, attr, &yes, &e) != DW_DLV_OK) {
		drop_error(NULL, &e);
		return 0;
	}
	return yes != 0;
}

/* An unsigned constant of any form; returns a DW_DLV_ code. */
static int attr_udata(Dwarf_Attribute a, Dwarf_Unsigned *v)
{
	Dwarf_Error e = NULL;
	Dwarf_Half form = 0;
	int rc = dwarf_whatform(a, &form, &e);
	drop_error(NULL, &e);
	if (rc == DW_DLV_OK && form == DW_FORM_implicit_const) {
		/* DWARF 5 (gcc 11+): libdwarf 20210528's dwarf_formudata
		 * rejects this form; dwarf_formsdata reads it. */
		Dwarf_Signed s = 0;
		rc = dwarf_formsdata(a, &s, &e);
		if (s < 0)
			rc = DW_DLV_ERROR;
		*v = (Dwarf_Unsigned)s;
	} else if (rc == DW_DLV_OK) {
		rc = dwarf_formudata(a, v, &e);
	}
	drop_error(NULL, &e);
	return rc;
}

/* Unsigned constant attribute of a DIE; returns 0 on success. */
static int die_udata(Dwarf_Die die, Dwarf_Half attr, Dwarf_Unsigned *v)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	if (dwarf_attr(die, attr, &a, &e) != DW_DLV_OK) {
		drop_error(NULL, &e);
		return -1;
	}
	int rc = attr_udata(a, v);
	dwarf_dealloc_attribute(a);
	return rc == DW_DLV_OK ? 0 : -1;
}

/* Signed or unsigned constant (enumerator values come in either). */
static int die_sdata(Dwarf_Die die, Dwarf_Half attr, int64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	if (dwarf_attr(die, attr, &a, &e) != DW_DLV_OK) {
		drop_error(NULL, &e);
		return -1;
	}
	Dwarf_Half form = 0;
	int rc = dwarf_whatform(a, &form, &e);
	drop_error(NULL, &e);
	if (rc == DW_DLV_OK && (form == DW_FORM_sdata || form == DW_FORM_implicit_const)) {
		Dwarf_Signed s;
		rc = dwarf_formsdata(a, &s, &e);
		*v = s;
	} else {
		Dwarf_Unsigned u;
		rc = dwarf_formudata(a, &u, &e);
		*v = (int64_t)u;
	}
	drop_error(NULL, &e);
	dwarf_dealloc_attribute(a);
	return rc == DW_DLV_OK ? 0 : -1;
}

/* DW_AT_data_member_location: a constant, or (DWARF 2) DW_OP_plus_uconst. */
static int die_member_location(Dwarf_Die die, uint64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	*off = 0;
	if (dwarf_attr(die, DW_AT_data_member_location, &a, &e) != DW_DLV_OK) {
		drop_error(NULL, &e);
		return 0; /* union members and bitfields may have none */
	}
	Dwarf_Half form = 0;
	int rc = dwarf_whatform(a, &form, &e);
	drop_error(NULL, &e);
	if (rc == DW_DLV_OK && (form == DW_FORM_exprloc || form == DW_FORM_block1 ||
				form == DW_FORM_block)) {
		Dwarf_Unsigned len = 0;
		Dwarf_Ptr p = NULL;
		rc = dwarf_formexprloc(a, &len, &p, &e);
		drop_error(NULL, &e);
		const unsigned char *b = p;
		if (rc != DW_DLV_OK || len < 2 || b[0] != DW_OP_plus_uconst) {
			dwarf_dealloc_attribute(a);
			return -1;
		}
		uint64_t v = 0;
		unsigned shift = 0;
		for (Dwarf_Unsigned i = 1; i < len && shift < 64; i++, shift += 7) {
			v |= (uint64_t)(b[i] & 0x7f) << shift;
			if (!(b[i] & 0x80))
				break;
		}
		*off = v;
	} else {
		Dwarf_Unsigned v = 0;
		rc = attr_udata(a, &v);
		*off = v;
	}
	dwarf_dealloc_attribute(a);
	return rc == DW_DLV_OK ? 0 : -1;
}

static Dwarf_Half die_tag(Dwarf_Die die)
{
	Dwarf_Half tag = 0;
	Dwarf_Error e = NULL;
	if (dwarf_tag(die, &tag, &e) != DW_DLV_OK)
		drop_error(NULL, &e);
	return tag;
}

/* The DIE that DW_AT_type refers to, or NULL (void). */
static Dwarf_Die die_type(Dwarf_Debug dbg, Dwarf_Die die)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	Dwarf_Off off;
	Dwarf_Die out = NULL;
	if (dwarf_attr(die, DW_AT_type, &a, &e) != DW_DLV_OK) {
		drop_error(dbg, &e);
		return NULL;
	}
	if (dwarf_global_formref(a, &off, &e) == DW_DLV_OK &&
	    dwarf_offdie_b(dbg, off, 1, &out, &e) == DW_DLV_OK) {
		dwarf_dealloc_attribute(a);
		return out;
	}
	drop_error(dbg, &e);
	dwarf_dealloc_attribute(a);
	return NULL;
}

static int is_qualifier(Dwarf_Half tag)
{
	return tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
	       tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type ||
	       tag == DW_TAG_atomic_type;
}

/* Follow typedefs and qualifiers; consumes die, returns the underlying one. */
static Dwarf_Die strip(Dwarf_Debug dbg, Dwarf_Die die)
{
	for (int i = 0; die && i < MAX_TYPE_DEPTH; i++) {
		if (!is_qualifier(die_tag(die)))
			return die;
		Dwarf_Die next = die_type(dbg, die);
		dwarf_dealloc_die(die);
		die = next;
	}
	if (die)
		dwarf_dealloc_die(die);
	return NULL;
}

static enum ct_type_kind kind_of(Dwarf_Half tag)
{
	switch (tag) {
	case DW_TAG_base_type: return CT_KIND_BASE;
	case DW_TAG_pointer_type: return CT_KIND_POINTER;
	case DW_TAG_structure_type: return CT_KIND_STRUCT;
	case DW_TAG_union_type: return CT_KIND_UNION;
	case DW_TAG_array_type: return CT_KIND_ARRAY;
	case DW_TAG_enumeration_type: return CT_KIND_ENUM;
	default: return CT_KIND_OTHER;
	}
}

/* A readable name of a (declared) type DIE. */
static void describe_type(Dwarf_Die die, char *buf, size_t size)
{
	char *n = NULL;
	Dwarf_Error e = NULL;
	const char *prefix = "";
	if (!die) {
		snprintf(buf, size, "void");
		return;
	}
	Dwarf_Half tag = die_tag(die);
	if (tag == DW_TAG_structure_type)
		prefix = "struct ";
	else if (tag == DW_TAG_union_type)
		prefix = "union ";
	else if (tag == DW_TAG_enumeration_type)
		prefix = "enum ";
	else if (tag == DW_TAG_pointer_type) {
		snprintf(buf, size, "pointer");
		return;
	} else if (tag == DW_TAG_array_type) {
		snprintf(buf, size, "array");
		return;
	}
	if (dwarf_diename(die, &n, &e) != DW_DLV_OK) {
		drop_error(NULL, &e);
		n = "(anonymous)";
	}
	snprintf(buf, size, "%s%s", prefix, n);
}

static int array_count(Dwarf_Debug dbg, Dwarf_Die arr, uint64_t *count)
{
	Dwarf_Die sub = NULL;
	Dwarf_Error e = NULL;
	*count = 0;
	if (dwarf_child(arr, &sub, &e) != DW_DLV_OK) {
		drop_error(dbg, &e);
		return -1;
	}
	Dwarf_Unsigned v;
	int rc = 0;
	if (die_udata(sub, DW_AT_count, &v) == 0)
		*count = v;
	else if (die_udata(sub, DW_AT_upper_bound, &v) == 0)
		*count = v + 1;
	else
		rc = 1; /* flexible array */
	dwarf_dealloc_die(sub);
	return rc;
}

/* Size of an already stripped type DIE (not consumed). */
static int type_size(Dwarf_Debug dbg, Dwarf_Die die, uint64_t *size, int depth)
{
	Dwarf_Unsigned v;
	if (!die || depth > MAX_TYPE_DEPTH)
		return -1;
	Dwarf_Half tag = die_tag(die);
	if (tag == DW_TAG_pointer_type) {
		*size = die_udata(die, DW_AT_byte_size, &v) == 0 ? v : 8;
		return 0;
	}
	if (die_udata(die, DW_AT_byte_size, &v) == 0) {
		*size = v;
		return 0;
	}
	if (tag == DW_TAG_array_type) {
		uint64_t count, elem;
		Dwarf_Die et = strip(dbg, die_type(dbg, die));
		int rc = array_count(dbg, die, &count);
		if (rc < 0 || !et || type_size(dbg, et, &elem, depth + 1) != 0) {
			if (et)
				dwarf_dealloc_die(et);
			return -1;
		}
		dwarf_dealloc_die(et);
		*size = count * elem;
		return 0;
	}
	if (is_qualifier(tag)) {
		Dwarf_Die u = strip(dbg, die_type(dbg, die));
		int rc = type_size(dbg, u, size, depth + 1);
		if (u)
			dwarf_dealloc_die(u);
		return rc;
	}
	return -1;
}

/* ---- the forward CU scan ------------------------------------------------ */

static int index_add(struct dw_file *f, const char *prefix, const char *name,
		     uint64_t a, uint64_t b)
{
	return ct_strmap_add_joined(f->index, prefix, name, (struct ct_strmap_value){ a, b });
}

static int index_enumerators(struct dw_file *f, Dwarf_Die en)
{
	Dwarf_Debug dbg = f->dbg;
	Dwarf_Die c = NULL;
	Dwarf_Error e = NULL;
	if (dwarf_child(en, &c, &e) != DW_DLV_OK) {
		drop_error(dbg, &e);
		return 0;
	}
	while (c) {
		char *n = NULL;
		int64_t v;
		if (die_tag(c) == DW_TAG_enumerator &&
		    dwarf_diename(c, &n, &e) == DW_DLV_OK &&
		    die_sdata(c, DW_AT_const_value, &v) == 0 &&
		    index_add(f, "E:", n, (uint64_t)v, 0) < 0) {
			dwarf_dealloc_die(c);
			return -1;
		}
		drop_error(dbg, &e);
		Dwarf_Die next = NULL;
		int rc = dw_sibling(dbg, c, &next, &e);
		drop_error(dbg, &e);
		dwarf_dealloc_die(c);
		c = rc == DW_DLV_OK ? next : NULL;
	}
	return 0;
}

static int index_die(struct dw_file *f, Dwarf_Die die)
{
	const char *prefix;
	Dwarf_Half tag = die_tag(die);
	switch (tag) {
	case DW_TAG_structure_type: prefix = "s:"; break;
	case DW_TAG_union_type: prefix = "u:"; break;
	case DW_TAG_typedef: prefix = "t:"; break;
	case DW_TAG_enumeration_type: prefix = "e:"; break;
	case DW_TAG_base_type: prefix = "b:"; break;
	default: return 0;
	}
	if (die_has(die, DW_AT_declaration))
		return 0;
	if (tag == DW_TAG_enumeration_type && index_enumerators(f, die) < 0)
		return -1;
	char *n = NULL;
	Dwarf_Error e = NULL;
	if (dwarf_diename(die, &n, &e) != DW_DLV_OK) {
		drop_error(f->dbg, &e);
		return 0; /* anonymous */
	}
	Dwarf_Off off = 0;
	if (dwarf_dieoffset(die, &off, &e) != DW_DLV_OK) {
		drop_error(f->dbg, &e);
		return 0;
	}
	return index_add(f, prefix, n, 0, off);
}

/* Scan the next CU. Returns 1 when scanned, 0 at the end (or at a unit
 * header that cannot be read: the file is then treated as fully scanned),
 * -1 out of memory. */
static int scan_next_cu(struct dw_file *f, struct ct_error *err)
{
	Dwarf_Debug dbg = f->dbg;
	Dwarf_Error e = NULL;
	Dwarf_Die cu = NULL, die = NULL;
	int rc = dw_next_cu(dbg, &cu, &e);
	drop_error(dbg, &e);
	if (rc != DW_DLV_OK) {
		f->scan_done = 1;
		return 0;
	}
	f->stats.cus_scanned++;
	if (!cu)
		return 1;
	rc = dwarf_child(cu, &die, &e);
	drop_error(dbg, &e);
	dwarf_dealloc_die(cu);
	if (rc != DW_DLV_OK)
		return 1;
	while (die) {
		if (index_die(f, die) < 0) {
			dwarf_dealloc_die(die);
			ct_fail(err, CT_ERR_NOMEM, "out of memory indexing %s",
				f->path);
			return -1;
		}
		Dwarf_Die next = NULL;
		rc = dw_sibling(dbg, die, &next, &e);
		drop_error(dbg, &e);
		dwarf_dealloc_die(die);
		die = rc == DW_DLV_OK ? next : NULL;
	}
	return 1;
}

/* Look key up, scanning the file forward until it appears. NULL when the
 * file has no such name, or out of memory (then *nomem is set). */
static const struct ct_strmap_value *lookup(struct dw_file *f, const char *key,
					    int *nomem, struct ct_error *err)
{
	size_t n = strlen(key);
	const struct ct_strmap_value *v = ct_strmap_get(f->index, key, n);
	while (!v && !f->scan_done) {
		if (scan_next_cu(f, err) < 0) {
			*nomem = 1;
			return NULL;
		}
		v = ct_strmap_get(f->index, key, n);
	}
	return v;
}

/* The DIE of a named type: struct/union tag, else typedef, enum or base.
 * CT_ERR_NOTFOUND when this file does not define it. */
static ct_status find_type(struct dw_file *f, enum ct_path_root_kind kind,
			   const char *name, Dwarf_Die *die, struct ct_error *err)
{
	static const char *const any[] = { "s:", "u:", "t:", "e:", "b:", NULL };
	static const char *const st[] = { "s:", NULL };
	static const char *const un[] = { "u:", NULL };
	const char *const *prefixes =
		kind == CT_ROOT_STRUCT ? st : kind == CT_ROOT_UNION ? un : any;
	char key[CT_NAME_MAX + 4];
	int nomem = 0;
	/* Try every prefix in the index already built before scanning. */
	for (int pass = 0; pass < 2; pass++) {
		for (const char *const *p = prefixes; *p; p++) {
			snprintf(key, sizeof(key), "%s%s", *p, name);
			const struct ct_strmap_value *v =
				pass == 0 ? ct_strmap_get(f->index, key, strlen(key))
					  : lookup(f, key, &nomem, err);
			if (nomem)
				return CT_ERR_NOMEM;
			if (!v)
				continue;
			Dwarf_Error e = NULL;
			if (dwarf_offdie_b(f->dbg, v->b, 1, die, &e) != DW_DLV_OK) {
				drop_error(f->dbg, &e);
				return ct_fail(err, CT_ERR_CORRUPT,
					       "%s: cannot reread DIE of %s",
					       f->path, name);
			}
			return CT_OK;
		}
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "%s: no type %s", f->path, name);
}

/* ---- member lookup -------------------------------------------------------- */

/* Search the members of a struct/union DIE for name, looking through
 * anonymous struct/union members. On success *found is the member DIE and
 * *off its offset from the start of agg. Returns 1 found, 0 not, -1 error. */
static int find_member(Dwarf_Debug dbg, Dwarf_Die agg, const char *name,
		       Dwarf_Die *found, uint64_t *off, int depth)
{
	Dwarf_Die c = NULL;
	Dwarf_Error e = NULL;
	if (depth > MAX_ANON_DEPTH)
		return 0;
	if (dwarf_child(agg, &c, &e) != DW_DLV_OK) {
		drop_error(dbg, &e);
		return 0;
	}
	while (c) {
		if (die_tag(c) == DW_TAG_member) {
			uint64_t loc;
			if (die_member_location(c, &loc) != 0) {
				dwarf_dealloc_die(c);
				return -1;
			}
			char *n = NULL;
			if (dwarf_diename(c, &n, &e) == DW_DLV_OK) {
				if (strcmp(n, name) == 0) {
					*found = c;
					*off = loc;
					return 1;
				}
			} else {
				drop_error(dbg, &e);
				Dwarf_Die sub = strip(dbg, die_type(dbg, c));
				if (sub && (die_tag(sub) == DW_TAG_structure_type ||
					    die_tag(sub) == DW_TAG_union_type)) {
					uint64_t inner;
					int rc = find_member(dbg, sub, name, found,
							     &inner, depth + 1);
					if (rc != 0) {
						dwarf_dealloc_die(sub);
						dwarf_dealloc_die(c);
						*off = loc + inner;
						return rc;
					}
				}
				if (sub)
					dwarf_dealloc_die(sub);
			}
		}
		Dwarf_Die next = NULL;
		int rc = dw_sibling(dbg, c, &next, &e);
		drop_error(dbg, &e);
		dwarf_dealloc_die(c);
		c = rc == DW_DLV_OK ? next : NULL;
	}
	return 0;
}

/* Bit position of a bitfield member. base is the byte offset of the member
 * from the root type: its container's offset plus DW_AT_data_member_location
 * (absent, so 0, for DWARF 4+ bitfields). */
static void bitfield(Dwarf_Die m, uint64_t base, struct ct_member *out)
{
	Dwarf_Unsigned bits, v;
	if (die_udata(m, DW_AT_bit_size, &bits) != 0)
		return;
	out->bit_size = (uint32_t)bits;
	uint64_t abs_bit;
	if (die_udata(m, DW_AT_data_bit_offset, &v) == 0) {
		abs_bit = base * 8 + v; /* DWARF 4+: from the container start */
	} else if (die_udata(m, DW_AT_bit_offset, &v) == 0) {
		/* DWARF 2/3: counted from the MSB of a storage unit of
		 * DW_AT_byte_size bytes at loc (little-endian target). */
		Dwarf_Unsigned unit = 0;
		if (die_udata(m, DW_AT_byte_size, &unit) != 0)
			unit = out->size;
		abs_bit = base * 8 + unit * 8 - v - bits;
	} else {
		abs_bit = base * 8;
	}
	out->offset = abs_bit / 8;
	out->bit_offset = (uint32_t)(abs_bit % 8);
}

/* Where a member path has got to: cur is the (stripped) type reached,
 * member the DIE of the last member step, offset counts from the root. */
struct path_walk {
	Dwarf_Debug dbg;
	const char *text;
	Dwarf_Die cur;
	Dwarf_Die member;
	uint64_t offset;
	struct ct_member *out;
};

/* A step "[i]": cur must be an array; it becomes the element type. */
static ct_status step_index(struct path_walk *w, uint64_t index,
			    struct ct_error *err)
{
	uint64_t count, elem;
	if (!w->cur || die_tag(w->cur) != DW_TAG_array_type)
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: indexing a non-array",
			       w->text);
	int flex = array_count(w->dbg, w->cur, &count);
	Dwarf_Die et = strip(w->dbg, die_type(w->dbg, w->cur));
	if (flex < 0 || !et || type_size(w->dbg, et, &elem, 0) != 0) {
		if (et)
			dwarf_dealloc_die(et);
		return ct_fail(err, CT_ERR_CORRUPT, "%s: array without element size",
			       w->text);
	}
	if (flex == 0 && index >= count) {
		dwarf_dealloc_die(et);
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: index %llu beyond %llu elements",
			       w->text, (unsigned long long)index,
			       (unsigned long long)count);
	}
	w->offset += index * elem;
	dwarf_dealloc_die(w->cur);
	w->cur = et;
	struct ct_member *out = w->out;
	out->bit_size = 0;
	out->bit_offset = 0;
	out->size = elem;
	out->array_count = 0;
	out->kind = kind_of(die_tag(et));
	describe_type(et, out->type_name, sizeof(out->type_name));
	return CT_OK;
}

/* A step ".name": cur must be a struct or union; it becomes the member's
 * type, and out describes the member. */
static ct_status step_member(struct path_walk *w, const char *name,
			     struct ct_error *err)
{
	Dwarf_Half tag = w->cur ? die_tag(w->cur) : 0;
	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: .%s applied to a non-struct",
			       w->text, name);
	uint64_t loc;
	int rc = find_member(w->dbg, w->cur, name, &w->member, &loc, 0);
	if (rc < 0)
		return ct_fail(err, CT_ERR_CORRUPT, "%s: unreadable member location",
			       w->text);
	if (rc == 0)
		return ct_fail(err, CT_ERR_NOTFOUND, "no member %s in %s", name,
			       w->text);
	w->offset += loc;
	struct ct_member *out = w->out;
	Dwarf_Die declared = die_type(w->dbg, w->member);
	memset(out, 0, sizeof(*out));
	describe_type(declared, out->type_name, sizeof(out->type_name));
	dwarf_dealloc_die(w->cur);
	w->cur = strip(w->dbg, declared);
	if (w->cur) {
		out->kind = kind_of(die_tag(w->cur));
		if (type_size(w->dbg, w->cur, &out->size, 0) != 0)
			out->size = 0;
		if (out->kind == CT_KIND_ARRAY)
			array_count(w->dbg, w->cur, &out->array_count);
	}
	out->offset = w->offset;
	bitfield(w->member, w->offset, out);
	if (out->bit_size)
		w->offset = out->offset;
	return CT_OK;
}

/* ---- the finder's answers ------------------------------------------------ */

static ct_status dw_member(void *arg, const char *text, const struct ct_path *p,
			   struct ct_member *out, int *knows_root,
			   struct ct_error *err)
{
	struct dw_file *f = arg;
	Dwarf_Die root;
	ct_status st = find_type(f, p->root_kind, p->root, &root, err);
	if (st)
		return st;
	*knows_root = 1;
	struct path_walk w = { f->dbg, text, strip(f->dbg, root), NULL, 0, out };
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < p->nsteps && st == CT_OK; i++) {
		const struct ct_path_step *s = &p->steps[i];
		if (w.member) {
			dwarf_dealloc_die(w.member);
			w.member = NULL;
		}
		st = s->is_index ? step_index(&w, s->index, err)
				 : step_member(&w, s->name, err);
	}
	if (w.member)
		dwarf_dealloc_die(w.member);
	if (w.cur)
		dwarf_dealloc_die(w.cur);
	if (st == CT_OK)
		out->offset = w.offset;
	return st;
}

static ct_status dw_sizeof(void *arg, const char *text, const struct ct_path *p,
			   uint64_t *size, struct ct_error *err)
{
	struct dw_file *f = arg;
	Dwarf_Die die;
	ct_status st = find_type(f, p->root_kind, p->root, &die, err);
	if (st)
		return st;
	die = strip(f->dbg, die);
	int rc = die ? type_size(f->dbg, die, size, 0) : -1;
	if (die)
		dwarf_dealloc_die(die);
	if (rc != 0)
		return ct_fail(err, CT_ERR_CORRUPT, "type %s has no size", text);
	return CT_OK;
}

static ct_status dw_enum_value(void *arg, const char *enumerator,
			       int64_t *value, struct ct_error *err)
{
	struct dw_file *f = arg;
	char key[CT_NAME_MAX + 4];
	int nomem = 0;
	snprintf(key, sizeof(key), "E:%s", enumerator);
	const struct ct_strmap_value *v = lookup(f, key, &nomem, err);
	if (nomem)
		return CT_ERR_NOMEM;
	if (!v)
		return ct_fail(err, CT_ERR_NOTFOUND, "%s: no enumerator %s",
			       f->path, enumerator);
	*value = (int64_t)v->a;
	return CT_OK;
}

static const struct ct_type_finder_ops dwarf_ops = {
	.size_of = dw_sizeof,
	.member = dw_member,
	.enum_value = dw_enum_value,
	.stats = dw_stats,
	.free = dw_free,
};
