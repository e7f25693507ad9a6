/* types.h — answers questions about kernel types from DWARF debug files.
 *
 * A ct_types holds one or more debug files (vmlinux and module .ko files).
 * Questions: the size of a type, the offset (and bitfield position) of a
 * member path such as "nf_conn.tuplehash[1].tuple.dst.dir" or
 * "net.ct.pcpu_lists" (anonymous structs/unions, typedefs and array indices
 * are looked through), whether a type or member exists, and the value of an
 * enumerator ("IPS_CONFIRMED_BIT").
 *
 * The first file that defines a name answers for it. Files are searched in
 * the order they were added, so add small module files before vmlinux: most
 * conntrack questions are then answered without scanning vmlinux at all.
 *
 * This is a generic resolver: it knows no conntrack paths. The fixed set
 * ctleak needs lives in layout.h.
 */
#ifndef CTLEAK_TYPES_H
#define CTLEAK_TYPES_H

#include <stdint.h>

#include "ct_error.h"

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

struct ct_types_stats {
	unsigned files;
	unsigned cus_scanned;
	unsigned long dies_indexed;
	unsigned hidden_sections; /* .rela.debug_* not handed to libdwarf */
};

struct ct_types;

ct_status ct_types_new(struct ct_types **out, struct ct_error *err);
/* Add a debug file (ET_EXEC/ET_DYN like vmlinux, or ET_REL like a .ko). */
ct_status ct_types_add_file(struct ct_types *t, const char *path,
			    struct ct_error *err);
void ct_types_free(struct ct_types *t);

/* "nf_conn", "struct nf_conn", "union nf_inet_addr", "possible_net_t". */
ct_status ct_types_sizeof(struct ct_types *t, const char *type,
			  uint64_t *size, struct ct_error *err);
ct_status ct_types_member(struct ct_types *t, const char *path,
			  struct ct_member *out, struct ct_error *err);
ct_status ct_types_enum_value(struct ct_types *t, const char *enumerator,
			      int64_t *value, struct ct_error *err);

void ct_types_get_stats(const struct ct_types *t, struct ct_types_stats *s);

#endif
