/* vec.h — a growable array, bounded.
 *
 * Dumps are hostile: a corrupt list can claim any number of elements, so
 * every array here has a hard cap on its elements (max), given at init, and
 * grows by doubling (from CT_VEC_FIRST elements) up to it. A push past the
 * cap or out of memory fails and leaves the array as it was: the caller
 * decides what losing the element means.
 *
 *	struct ct_vec v = CT_VEC_INIT(uint64_t, 1u << 20);
 *	if (!CT_VEC_PUSH(&v, uint64_t, addr))
 *		...;
 *	for (size_t i = 0; i < v.n; i++)
 *		use(CT_VEC_AT(&v, uint64_t, i));
 *	ct_vec_free(&v);
 *
 * Arrays that must stay plain (pointer, count, capacity) fields of a
 * public struct grow with ct_grow, the same rule without the struct.
 */
#ifndef CTLEAK_BASE_VEC_H
#define CTLEAK_BASE_VEC_H

#include <stdbool.h>
#include <stddef.h>

#define CT_VEC_FIRST 16         /* elements of the first allocation */

struct ct_vec {
	void *data;             /* n elements of esize bytes, room for cap */
	size_t n, cap;
	size_t esize;           /* bytes per element */
	size_t max;             /* the most elements it ever holds */
};

#define CT_VEC_INIT(type, max_elems) \
	((struct ct_vec){ .esize = sizeof(type), .max = (max_elems) })

void ct_vec_init(struct ct_vec *v, size_t esize, size_t max);
/* Append a copy of the esize bytes at elem: false at max or out of memory. */
bool ct_vec_push(struct ct_vec *v, const void *elem);
/* The same, false too when size is not the vector's element size. */
bool ct_vec_push_sized(struct ct_vec *v, const void *elem, size_t size);
/* Room for total elements (no allocation after, up to total): false when
 * total > max or out of memory. */
bool ct_vec_reserve(struct ct_vec *v, size_t total);
/* Element i (i < n). */
void *ct_vec_at(const struct ct_vec *v, size_t i);
/* No elements; the memory is kept for the next pushes. */
void ct_vec_clear(struct ct_vec *v);
/* No elements and no memory; esize and max kept: usable again. */
void ct_vec_free(struct ct_vec *v);
/* The array itself, for the caller to free(); *n gets its length. The
 * vector is left empty (as after ct_vec_free). NULL when empty. */
void *ct_vec_take(struct ct_vec *v, size_t *n);

/* Typed access: type must be the element type the vector was made for. */
#define CT_VEC_DATA(v, type) ((type *)(v)->data)
#define CT_VEC_AT(v, type, i) (((type *)(v)->data)[i])
/* Push a value of type (a compound literal: CT_VEC_PUSH(&v, struct x, a, b)). */
#define CT_VEC_PUSH(v, type, ...) \
	ct_vec_push_sized((v), &(type){ __VA_ARGS__ }, sizeof(type))

/* Room for element number n of an array held elsewhere as (data, n used,
 * *cap allocated) of esize-byte elements: doubles *cap (from CT_VEC_FIRST)
 * up to max elements. Returns the array to keep — data itself when there
 * was room — or NULL when n >= max or out of memory; data is then
 * untouched and still the caller's.
 *
 *	struct x *p = ct_grow(r->xs, &r->cap_xs, r->n_xs, sizeof(*p), MAX_XS);
 *	if (!p)
 *		return false;
 *	r->xs = p;
 *	r->xs[r->n_xs++] = x;
 */
void *ct_grow(void *data, size_t *cap, size_t n, size_t esize, size_t max);

#endif
