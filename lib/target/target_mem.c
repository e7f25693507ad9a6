#include "target/target_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

/* Test images hold a few dozen segments; a runaway builder stops here. */
#define CT_MEM_MAX_SEGMENTS (1u << 20)

struct mem_segment {
	uint64_t start, len;
	unsigned char *bytes; /* NULL: excluded from the dump */
};

struct mem_image {
	struct ct_target target;
	struct mem_segment *segs; /* sorted by start */
	size_t nsegs, cap_segs;
};

static struct mem_image *image_of(struct ct_target *t)
{
	return t->impl;
}

/* Index of the segment containing addr, or -1. */
static long find_segment(const struct mem_image *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mem_segment *s = &m->segs[mid];
		if (addr < s->start)
			hi = mid;
		else if (addr - s->start >= s->len)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

static ct_status mem_read(struct ct_target *t, uint64_t addr, void *buf,
			  size_t len, size_t *done, struct ct_error *err)
{
	struct mem_image *m = image_of(t);
	unsigned char *out = buf;
	*done = 0;
	while (*done < len) {
		uint64_t a = addr + *done;
		long i = find_segment(m, a);
		if (i < 0)
			return ct_fail_at(err, CT_ERR_BADADDR, a,
					  "address %#llx is not mapped",
					  (unsigned long long)a);
		const struct mem_segment *s = &m->segs[i];
		if (!s->bytes)
			return ct_fail_at(err, CT_ERR_FAULT, a,
					  "address %#llx is not in the dump",
					  (unsigned long long)a);
		uint64_t off = a - s->start;
		size_t n = len - *done;
		if (n > s->len - off)
			n = (size_t)(s->len - off);
		memcpy(out + *done, s->bytes + off, n);
		*done += n;
	}
	return CT_OK;
}

static void mem_close(struct ct_target *t)
{
	struct mem_image *m = image_of(t);
	for (size_t i = 0; i < m->nsegs; i++)
		free(m->segs[i].bytes);
	free(m->segs);
	free(m);
}

static const struct ct_target_ops mem_ops = {
	.kind = "memory",
	.read = mem_read,
	.close = mem_close,
};

struct ct_target *ct_mem_target_new(const char *osrelease)
{
	struct mem_image *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->target.ops = &mem_ops;
	m->target.impl = m;
	m->target.page_size = 4096;
	if (osrelease)
		snprintf(m->target.osrelease, sizeof(m->target.osrelease),
			 "%s", osrelease);
	return &m->target;
}

static ct_status add_segment(struct ct_target *t, uint64_t addr,
			     unsigned char *bytes, size_t len,
			     struct ct_error *err)
{
	struct mem_image *m = image_of(t);
	if (len == 0 || addr + len < addr) {
		free(bytes);
		return ct_fail(err, CT_ERR_USAGE, "empty or wrapping segment");
	}
	size_t pos = 0;
	while (pos < m->nsegs && m->segs[pos].start < addr)
		pos++;
	/* Refuse overlaps with the neighbours on either side. */
	if ((pos > 0 && m->segs[pos - 1].start + m->segs[pos - 1].len > addr) ||
	    (pos < m->nsegs && addr + len > m->segs[pos].start)) {
		free(bytes);
		return ct_fail_at(err, CT_ERR_USAGE, addr,
				  "segment at %#llx overlaps another",
				  (unsigned long long)addr);
	}
	struct mem_segment *segs =
		ct_grow(m->segs, &m->cap_segs, m->nsegs, sizeof(*segs), CT_MEM_MAX_SEGMENTS);
	if (!segs) {
		free(bytes);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	m->segs = segs;
	memmove(&segs[pos + 1], &segs[pos], (m->nsegs - pos) * sizeof(*segs));
	segs[pos] = (struct mem_segment){ addr, len, bytes };
	m->nsegs++;
	return CT_OK;
}

ct_status ct_mem_map(struct ct_target *t, uint64_t addr, const void *data,
		     size_t len, struct ct_error *err)
{
	unsigned char *bytes = calloc(1, len ? len : 1);
	if (!bytes)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	if (data)
		memcpy(bytes, data, len);
	return add_segment(t, addr, bytes, len, err);
}

ct_status ct_mem_exclude(struct ct_target *t, uint64_t addr, size_t len,
			 struct ct_error *err)
{
	return add_segment(t, addr, NULL, len, err);
}

void *ct_mem_ptr(struct ct_target *t, uint64_t addr, size_t len)
{
	struct mem_image *m = image_of(t);
	long i = find_segment(m, addr);
	if (i < 0 || !m->segs[i].bytes)
		return NULL;
	const struct mem_segment *s = &m->segs[i];
	if (len > s->len - (addr - s->start))
		return NULL;
	return s->bytes + (addr - s->start);
}
