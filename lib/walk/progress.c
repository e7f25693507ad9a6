/* progress.c — the progress line's text (progress.h). */
#include "walk/progress.h"

#include <stdio.h>

void ct_progress_format(char *buf, size_t size, uint64_t done, uint64_t total,
			const char *unit, double secs)
{
	if (!size)
		return;
	int n;
	if (total) {
		/* A count is the kernel's, the walk finds what is there now: the
		 * total is approximate (~), the percent never claims the end. */
		unsigned pct = done >= total ? 99 : (unsigned)(done * 100 / total);
		n = snprintf(buf, size, "%llu of ~%llu %s (%u%%)", (unsigned long long)done,
			     (unsigned long long)total, unit, pct);
	} else {
		n = snprintf(buf, size, "%llu %s", (unsigned long long)done, unit);
	}
	if (n < 0 || (size_t)n >= size || secs <= 0)
		return;
	snprintf(buf + n, size - (size_t)n, ", %.0f %s/s", (double)done / secs, unit);
}
