/* progress.h — the progress line of a long walk (stderr, a terminal only).
 *
 * One line, rewritten in place ("\r"): what is done, of how many where the
 * total is known (the namespaces' own counts, the hash's buckets, the
 * memory map's pages), and the rate. The caller decides whether there is a
 * terminal to write it to; nothing here reads the dump.
 */
#ifndef CTLEAK_WALK_PROGRESS_H
#define CTLEAK_WALK_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* "412000 of ~1100000 entries (37%), 210000 entries/s" into buf (always
 * NUL-terminated). total 0: unknown, so no total and no percent; a done
 * past the total (entries freed or added while counted) shows 99% until
 * the end. secs <= 0: no rate. unit names what is counted ("entries"). */
void ct_progress_format(char *buf, size_t size, uint64_t done, uint64_t total,
			const char *unit, double secs);

#endif
