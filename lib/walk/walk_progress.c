/* walk_progress.c — the walk's progress line on stderr (walk_opts.progress:
 * the front end turns it on only where stderr is a terminal, and never
 * inside crash's redirected output). At most four lines a second; the
 * total is the sum of the namespaces' own counts where they are known. */
#include <stdio.h>
#include <time.h>

#include "walk/progress.h"
#include "walk/walk_internal.h"

#define PRINT_INTERVAL 0.25 /* seconds between two lines */
#define CHECK_EVERY 1024    /* entries between two looks at the clock */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void walk_progress_start(struct walk *w)
{
	if (w->o->progress)
		w->started = w->last_print = now();
}

/* One line: done of total unit, and the rate since `since`, when done
 * was `base` (counted from the first entries, not the set-up before). */
static void print_line(struct walk *w, const char *phase, uint64_t done, uint64_t total,
		       const char *unit, double t, double since, uint64_t base)
{
	char line[160];
	ct_progress_format(line, sizeof line, done, total, unit, 0);
	fprintf(stderr, "\rctleak: %s%s", phase, line);
	if (t > since)
		fprintf(stderr, ", %.0f %s/s", (double)(done - base) / (t - since), unit);
	/* Padded: a shorter line than the last must not leave its tail. */
	fprintf(stderr, "%-12s", "");
	w->last_print = t;
	w->printed = true;
}

void walk_progress_entry(struct walk *w)
{
	if (!w->o->progress || w->entries_seen % CHECK_EVERY)
		return;
	double t = now();
	if (!w->rate_started) {
		w->rate_started = t;
		w->rate_base = w->entries_seen;
	}
	if (t - w->last_print >= PRINT_INTERVAL)
		print_line(w, "", w->entries_seen, w->expected, "entries", t, w->rate_started,
			   w->rate_base);
}

void walk_progress_pages(struct walk *w, uint64_t pfn, uint64_t max_pfn)
{
	if (!w->o->progress)
		return;
	double t = now();
	if (t - w->last_print >= PRINT_INTERVAL)
		print_line(w, "slab scan, ", pfn, max_pfn, "pages", t, w->started, 0);
}

void walk_progress_end(struct walk *w)
{
	if (!w->o->progress || !w->printed)
		return;
	double secs = now() - w->started;
	fprintf(stderr, "\rctleak: %llu entries walked in %.1f s (%.0f entries/s)%-20s\n",
		(unsigned long long)w->entries_seen, secs,
		secs > 0 ? (double)w->entries_seen / secs : 0.0, "");
}
