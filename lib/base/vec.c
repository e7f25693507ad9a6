/* vec.c — a growable array, bounded (vec.h). */
#include "base/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/huge_alloc.h"

/* The capacity after cap for need elements: doubled until need fits,
 * never past max; 0 when need > max or the bytes would overflow. */
static size_t next_cap(size_t cap, size_t need, size_t esize, size_t max)
{
	if (need > max || esize == 0)
		return 0;
	size_t c = cap ? cap : CT_VEC_FIRST;
	while (c < need)
		c = c > SIZE_MAX / 2 ? SIZE_MAX : c * 2;
	if (c > max)
		c = max;
	return c > SIZE_MAX / esize ? 0 : c;
}

/* Make room for need elements in *data (holding *cap). */
static void *reserve(void *data, size_t *cap, size_t need, size_t esize, size_t max)
{
	if (need <= *cap)
		return data;
	size_t c = next_cap(*cap, need, esize, max);
	if (!c)
		return NULL;
	void *p = realloc(data, c * esize);
	if (!p)
		return NULL;
	ct_huge_advise(p, c * esize); /* a large array: fewer faults and TLB misses */
	*cap = c;
	return p;
}

void *ct_grow(void *data, size_t *cap, size_t n, size_t esize, size_t max)
{
	if (n >= max)
		return NULL;
	return reserve(data, cap, n + 1, esize, max);
}

void ct_vec_init(struct ct_vec *v, size_t esize, size_t max)
{
	*v = (struct ct_vec){ .esize = esize, .max = max };
}

bool ct_vec_reserve(struct ct_vec *v, size_t total)
{
	if (total <= v->cap)
		return true;
	void *p = reserve(v->data, &v->cap, total, v->esize, v->max);
	if (!p)
		return false;
	v->data = p;
	return true;
}

bool ct_vec_push(struct ct_vec *v, const void *elem)
{
	if (v->n >= v->max || !ct_vec_reserve(v, v->n + 1))
		return false;
	memcpy((unsigned char *)v->data + v->n * v->esize, elem, v->esize);
	v->n++;
	return true;
}

bool ct_vec_push_sized(struct ct_vec *v, const void *elem, size_t size)
{
	return size == v->esize && ct_vec_push(v, elem);
}

void *ct_vec_at(const struct ct_vec *v, size_t i)
{
	return (unsigned char *)v->data + i * v->esize;
}

void ct_vec_clear(struct ct_vec *v)
{
	v->n = 0;
}

void ct_vec_free(struct ct_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->n = v->cap = 0;
}

void *ct_vec_take(struct ct_vec *v, size_t *n)
{
	void *p = v->data;
	*n = v->n;
	if (!v->n) {
		free(p);
		p = NULL;
	}
	v->data = NULL;
	v->n = v->cap = 0;
	return p;
}
