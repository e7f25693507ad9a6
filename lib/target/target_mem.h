/* target_mem.h — an in-memory Target for tests and fuzzing.
 *
 * The image is a set of non-overlapping segments, each either holding bytes
 * or "excluded" (valid kernel memory the dump did not keep, as makedumpfile
 * -d 31 does). Addresses in no segment are bad addresses. Its symbols
 * are a separate table (symtab.h) added to a program (program.h).
 */
#ifndef CTLEAK_TARGET_MEM_H
#define CTLEAK_TARGET_MEM_H

#include "target/target.h"

struct ct_target *ct_mem_target_new(const char *osrelease);

/* Map len bytes at addr, copied from data (zero-filled when data is NULL). */
ct_status ct_mem_map(struct ct_target *t, uint64_t addr, const void *data,
		     size_t len, struct ct_error *err);
/* A range that exists in the kernel but not in the dump. */
ct_status ct_mem_exclude(struct ct_target *t, uint64_t addr, size_t len,
			 struct ct_error *err);
/* Direct pointer into a mapped range, for tests that build structures in
 * place; NULL unless [addr, addr+len) lies inside one mapped segment. */
void *ct_mem_ptr(struct ct_target *t, uint64_t addr, size_t len);

#endif
