/* huge_alloc.h — zeroed memory for large tables, on huge pages when the
 * kernel gives them.
 *
 * The maps of a walk (a node index of 64 MB, a seen set of 16 MB at a
 * million entries) are touched at random: on 4 KiB pages every touch is a
 * TLB miss and every first touch a page fault (measured: a fifth of a run
 * on an ELF dump in a VM, where faults are dear). A region of
 * CT_HUGE_MIN bytes or more is mapped on its own, 2 MiB aligned, and
 * marked MADV_HUGEPAGE (transparent huge pages in "madvise" mode, the
 * Debian default); smaller ones, or when the kernel says no, are plain
 * pages. Either way the memory reads as zero.
 */
#ifndef CTLEAK_BASE_HUGE_ALLOC_H
#define CTLEAK_BASE_HUGE_ALLOC_H

#include <stddef.h>

#define CT_HUGE_MIN ((size_t)2 << 20)

/* size bytes of zeros (NULL when out of memory, or size 0). */
void *ct_huge_calloc(size_t size);
/* Ask for huge pages under the whole 2 MiB pages of [p, p + size), memory
 * from malloc (glibc maps large blocks on their own). Advice only. */
void ct_huge_advise(void *p, size_t size);
/* Release p, allocated by ct_huge_calloc with this same size. */
void ct_huge_free(void *p, size_t size);

#endif
