/* entry_store.h — the listed entries that are not suspects, kept small.
 *
 * `-a` and `-c` list every entry of a table that may hold millions. A
 * struct ct_entry is ~1 KB (room for reasons and holders only suspects
 * have), so a plain entry is kept here instead, as a variable-length record
 * of the fields it has: ~30 bytes for IPv4, ~55 for IPv6. Numbers are
 * varints; the address, the struct net and the namespace are stored as
 * the difference from the record before (the walk keeps entries in address
 * order, a namespace's together); the reply tuple is left out when it is
 * the original one reversed, as it is without NAT. Records live in
 * fixed-size chunks, each readable from its start, never moved or
 * doubled, so the peak is what is kept, not twice that.
 *
 * Only entries without reasons, holders, hooks or an age fit (no suspect
 * does: they stay full records, the holder search adds to them after the
 * walk); ct_entry_store_fits says which. Reading a record back gives the
 * entry exactly as it was added. Nothing here reads a dump.
 */
#ifndef CTLEAK_ENTRY_STORE_H
#define CTLEAK_ENTRY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ct_entry;

#define CT_STORE_CHUNK (1u << 20)    /* bytes per chunk */
#define CT_STORE_L4NAMES 64          /* distinct l4state strings named by index */
#define CT_STORE_L4LEN 16            /* as ct_entry.l4state */

struct ct_entry_store {
	unsigned char **chunks;
	size_t n_chunks, cap_chunks;
	size_t used;                 /* bytes used in the last chunk */
	uint64_t prev_addr, prev_net; /* of the last record (0 at a chunk's start) */
	uint32_t prev_inum;
	size_t n;                    /* records */
	uint64_t bytes;              /* record bytes in all chunks */
	/* l4state strings ("ESTABLISHED"), each record naming one by index;
	 * a string past the table is kept in the record itself. */
	char l4names[CT_STORE_L4NAMES][CT_STORE_L4LEN];
	unsigned n_l4names;
};

/* Where a walk through a store is: before the first record when zeroed. */
struct ct_entry_store_pos {
	size_t chunk, off;
	uint64_t prev_addr, prev_net; /* of the record before, as the writer had them */
	uint32_t prev_inum;
};

/* Can e be kept here (read back equal)? No for suspects. */
bool ct_entry_store_fits(const struct ct_entry *e);
/* Keep a copy of e (ct_entry_store_fits(e) must hold): false out of memory. */
bool ct_entry_store_add(struct ct_entry_store *s, const struct ct_entry *e);
/* The record at *pos into *out, *pos moved past it; false after the last. */
bool ct_entry_store_next(const struct ct_entry_store *s, struct ct_entry_store_pos *pos,
			 struct ct_entry *out);
/* No records and no memory: usable again. */
void ct_entry_store_free(struct ct_entry_store *s);

#endif
