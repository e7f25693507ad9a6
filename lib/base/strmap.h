/* strmap.h — a string-keyed open-addressing hash map owning copies of its
 * keys; values are two 64-bit words. Used for the DWARF name index. */
#ifndef CTLEAK_STRMAP_H
#define CTLEAK_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct ct_strmap_value {
	uint64_t a, b;
};

struct ct_strmap;

struct ct_strmap *ct_strmap_new(void);
void ct_strmap_free(struct ct_strmap *m);
/* Insert key unless present. Returns 1 if inserted, 0 if it was already
 * there (value unchanged), -1 when out of memory. */
int ct_strmap_add(struct ct_strmap *m, const char *key, size_t keylen,
		  struct ct_strmap_value v);
/* Insert prefix followed by name (a name index's "struct nf_conn", say):
 * 0 when added, present already, or longer than CT_STRMAP_JOINED_MAX
 * (never asked for); -1 when out of memory. */
#define CT_STRMAP_JOINED_MAX 256
int ct_strmap_add_joined(struct ct_strmap *m, const char *prefix, const char *name,
			 struct ct_strmap_value v);
/* Room for n keys without growing: 0, or -1 when out of memory. */
int ct_strmap_reserve(struct ct_strmap *m, size_t n);
const struct ct_strmap_value *ct_strmap_get(const struct ct_strmap *m,
					    const char *key, size_t keylen);
size_t ct_strmap_count(const struct ct_strmap *m);

#endif
