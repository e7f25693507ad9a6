/* huge_alloc.c — see huge_alloc.h. */
#include "base/huge_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/* The mapped length of a large region: whole huge pages. */
static size_t huge_length(size_t size)
{
	return (size + CT_HUGE_MIN - 1) & ~(CT_HUGE_MIN - 1);
}

void *ct_huge_calloc(size_t size)
{
	if (size == 0 || size > SIZE_MAX - 2 * CT_HUGE_MIN)
		return NULL;
	if (size < CT_HUGE_MIN)
		return calloc(1, size);
	size_t len = huge_length(size);
	/* Over-map by one huge page, then trim to a 2 MiB aligned start. */
	unsigned char *raw = mmap(NULL, len + CT_HUGE_MIN, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	uintptr_t start = ((uintptr_t)raw + CT_HUGE_MIN - 1) & ~(uintptr_t)(CT_HUGE_MIN - 1);
	unsigned char *p = (unsigned char *)start;
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	size_t tail = (size_t)(raw + len + CT_HUGE_MIN - (p + len));
	if (tail)
		munmap(p + len, tail);
	/* Advice only: plain pages if the kernel has no THP. */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void ct_huge_advise(void *p, size_t size)
{
	if (size < CT_HUGE_MIN)
		return;
	uintptr_t start = ((uintptr_t)p + CT_HUGE_MIN - 1) & ~(uintptr_t)(CT_HUGE_MIN - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(CT_HUGE_MIN - 1);
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}

void ct_huge_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size < CT_HUGE_MIN)
		free(p);
	else
		munmap(p, huge_length(size));
}
