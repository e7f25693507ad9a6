/* types.h — answers questions about kernel types from an ordered chain of
 * type finders.
 *
 * Questions: the size of a type, the offset (and bitfield position) of a
 * member path such as "nf_conn.tuplehash[1].tuple.dst.dir" or
 * "net.ct.pcpu_lists" (anonymous structs/unions, typedefs and array indices
 * are looked through), whether a type or member exists, and the value of an
 * enumerator ("IPS_CONFIRMED_BIT").
 *
 * A ct_types is a list of finders, each one source of type information (one
 * DWARF debug file: vmlinux or a module .ko). The first finder that knows a
 * name answers for it; the others are not asked. Finders are asked in the
 * order they were added, so add small module files before vmlinux: most
 * conntrack questions are then answered without scanning vmlinux at all.
 *
 * This is generic: it knows no conntrack paths. The fixed set ctleak needs
 * lives in layout.h.
 */
#ifndef CTLEAK_TYPES_H
#define CTLEAK_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "base/ct_error.h"
#include "types/type_path.h"

enum ct_type_kind {
	CT_KIND_OTHER = 0,
	CT_KIND_BASE,
	CT_KIND_POINTER,
	CT_KIND_STRUCT,
	CT_KIND_UNION,
	CT_KIND_ARRAY,
	CT_KIND_ENUM,
};

struct ct_member {
	uint64_t offset;      /* byte offset from the start of the root type */
	uint64_t size;        /* byte size of the member's type; 0 if unknown */
	uint32_t bit_offset;  /* bitfields: first bit, counted from offset*8 (LSB first) */
	uint32_t bit_size;    /* 0 unless a bitfield */
	uint64_t array_count; /* for arrays: elements (0 for flexible arrays) */
	enum ct_type_kind kind;  /* the member type after typedefs and qualifiers */
	char type_name[64];   /* the declared type: "refcount_t", "struct timer_list", "u32" */
};

/* Summed over the finders; each counts what applies to it. */
struct ct_types_stats {
	unsigned files;
	unsigned cus_scanned;
	unsigned long dies_indexed;
	unsigned hidden_sections; /* .rela.debug_* not handed to libdwarf */
};

struct ct_types;

ct_status ct_types_new(struct ct_types **out, struct ct_error *err);
void ct_types_free(struct ct_types *t);

/* Add a debug file: the first type source that can read it (today DWARF:
 * ET_EXEC/ET_DYN like vmlinux, or ET_REL like a .ko) appends its finder.
 * CT_ERR_NOTFOUND when no source finds type information in it. */
ct_status ct_types_add_file(struct ct_types *t, const char *path,
			    struct ct_error *err);

/* "nf_conn", "struct nf_conn", "union nf_inet_addr", "possible_net_t". */
ct_status ct_types_sizeof(struct ct_types *t, const char *type,
			  uint64_t *size, struct ct_error *err);
ct_status ct_types_member(struct ct_types *t, const char *path,
			  struct ct_member *out, struct ct_error *err);
ct_status ct_types_enum_value(struct ct_types *t, const char *enumerator,
			      int64_t *value, struct ct_error *err);

void ct_types_get_stats(const struct ct_types *t, struct ct_types_stats *s);

/* ---- for type finders ------------------------------------------------------
 *
 * A finder answers CT_ERR_NOTFOUND for "I do not know this name": the chain
 * then asks the next one. Any other error stops the chain and is the answer.
 * The chain parses and checks the question first; text is the question as
 * asked, for messages. */
struct ct_type_finder_ops {
	ct_status (*size_of)(void *arg, const char *text, const struct ct_path *type,
			     uint64_t *size, struct ct_error *err);
	/* The finder that knows the root type answers for the whole path: it
	 * sets *knows_root, and then its CT_ERR_NOTFOUND (no such member) is
	 * final. */
	ct_status (*member)(void *arg, const char *text, const struct ct_path *path,
			    struct ct_member *out, int *knows_root,
			    struct ct_error *err);
	ct_status (*enum_value)(void *arg, const char *enumerator, int64_t *value,
				struct ct_error *err);
	void (*stats)(const void *arg, struct ct_types_stats *sum); /* adds; may be NULL */
	void (*free)(void *arg);
};

/* Append a finder. The chain owns arg from here on, also when this fails
 * (it is then freed at once). */
ct_status ct_types_add_finder(struct ct_types *t, const struct ct_type_finder_ops *ops,
			      void *arg, struct ct_error *err);

/* The type sources, in the order ct_types_add_file tries them. Each reads
 * one file into one finder and answers CT_ERR_NOTFOUND when the file holds
 * nothing it reads. */
ct_status ct_types_add_dwarf(struct ct_types *t, const char *path,
			     struct ct_error *err); /* types_libdwarf.c */

/* ---- BTF (types_btf.c, on libbpf) -------------------------------------------
 *
 * The kernel keeps its own types as BTF: vmlinux's between __start_BTF and
 * __stop_BTF, each module's as split BTF on vmlinux's (type ids continue
 * from the base). A blob is one of them, from a dump's memory, /sys/kernel/btf
 * or an ELF file's .BTF section. */
struct ct_btf_blob {
	char name[64];          /* "vmlinux", "nf_conntrack": for messages */
	unsigned char *data;    /* malloc'd; ct_btf_blob_free frees it */
	size_t size;
};

#define CT_BTF_MAX_SIZE (256u << 20) /* Debian's 7.3 vmlinux BTF: 5.3 MB */

/* Flags of ct_types_add_btf. */
#define CT_BTF_MODULES_ONLY 1u  /* answer only for names the modules define */

/* One finder over blobs[0] (vmlinux's BTF) and blobs[1..n-1] (modules'
 * split BTF on it); a name is looked up in the modules first. The data is
 * copied. With CT_BTF_MODULES_ONLY the finder answers only for types and
 * enumerators a module defines, so that vmlinux's DWARF (a finder after
 * it) answers the rest. A blob libbpf refuses, or over CT_BTF_MAX_SIZE:
 * CT_ERR_CORRUPT, one sentence naming the blob. */
ct_status ct_types_add_btf(struct ct_types *t, const struct ct_btf_blob *blobs, unsigned n,
			   unsigned flags, struct ct_error *err);
/* The .BTF section of an ELF file (a vmlinux, or a stripped .ko). */
ct_status ct_btf_blob_from_elf(const char *path, struct ct_btf_blob *out,
			       struct ct_error *err);
/* The BTF's own identity, for the layout cache key: a hex digest of every
 * blob's bytes (and their order), at most 64 characters. */
void ct_btf_identity(const struct ct_btf_blob *blobs, unsigned n, char *hex, size_t size);
void ct_btf_blob_free(struct ct_btf_blob *b);

#endif
