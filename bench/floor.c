/* floor.c — the read floor of make bench: how long it takes just to read,
 * once each, the bytes ctleak reads.
 *
 *   floor VMLINUX VMCORE [DEBUG_DIR]
 *
 * 1. Runs ctleak's whole analysis (default summary with the slab scan, as
 *    `ctleak -j` does) on VMCORE through the libkdumpfile Target, with the
 *    Target's read op wrapped to record every (address, length) it asks.
 * 2. Merges the recorded ranges (sorted, overlaps and neighbours joined):
 *    the kernel memory the analysis cannot do without — each nf_conn, each
 *    bucket head, each slab page's metadata, list heads, holders.
 * 3. Opens VMCORE afresh and times reading exactly those ranges once, in
 *    address order (the friendliest order there is) through the same
 *    Target. That time is the floor: no analysis of those bytes can be
 *    faster than reading them.
 * Prints key=value lines: ranges= bytes= reads= floor_s= (reads: how many
 * reads the analysis made; bytes: unique bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cli.h"
#include "app/command.h"
#include "kernel/program.h"
#include "target_kdumpfile.h"

struct range {
	uint64_t start, end;
};

static struct range *ranges;
static size_t nranges, cap;
static ct_status (*real_read)(struct ct_target *, uint64_t, void *, size_t, size_t *,
			      struct ct_error *);

static ct_status recording_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
				size_t *done, struct ct_error *err)
{
	if (nranges == cap) {
		cap = cap ? cap * 2 : 1 << 20;
		ranges = realloc(ranges, cap * sizeof(*ranges));
		if (!ranges) {
			fprintf(stderr, "floor: out of memory\n");
			exit(2);
		}
	}
	ranges[nranges++] = (struct range){ addr, addr + len };
	return real_read(t, addr, buf, len, done, err);
}

static int by_start(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct ct_target *open_dump(const char *vmlinux, const char *dump,
				    struct ct_vmlinux_syms **syms, struct ct_kdump_info *info_out)
{
	struct ct_target *t;
	struct ct_kdump_info info;
	struct ct_error err = { 0 };
	if (ct_kdump_open(dump, &t, &info, &err) != CT_OK ||
	    ct_kdump_vmlinux_syms(t, vmlinux, syms, &err) != CT_OK ||
	    ct_kdump_cache_pages(&t, &info, &err) != CT_OK) {
		fprintf(stderr, "floor: %s\n", err.text);
		exit(2);
	}
	if (info_out)
		*info_out = info;
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: floor VMLINUX VMCORE [DEBUG_DIR]\n");
		return 2;
	}
	const char *vmlinux = argv[1], *dump = argv[2];
	char *args[] = { "ctleak", "-j", "-D", argc > 3 ? argv[3] : "/usr/lib/debug", NULL };
	struct ct_options o;
	struct ct_error err = { 0 };
	if (ct_cli_parse(4, args, &o, &err) != CT_OK) {
		fprintf(stderr, "floor: %s\n", err.text);
		return 2;
	}

	/* 1. The analysis, recorded. Its report goes nowhere. */
	struct ct_vmlinux_syms *syms;
	struct ct_kdump_info info;
	struct ct_target *t = open_dump(vmlinux, dump, &syms, &info);
	struct ct_target_ops ops = *t->ops;
	real_read = ops.read;
	ops.read = recording_read;
	t->ops = &ops;
	FILE *null = fopen("/dev/null", "w");
	struct ct_program p;
	ct_program_init(&p, t);
	ct_program_add_symbols(&p, "vmlinux", ct_vmlinux_syms_find, syms, NULL);
	struct ct_analysis_input in = { .vmlinux = vmlinux, .dump_format = info.format };
	int rc = ct_command_analyse(&o, &p, &in, null, null);
	fclose(null);
	uint64_t analysis_reads = t->reads;
	ct_target_close(t);
	ct_vmlinux_syms_close(syms);
	if (rc == CT_EXIT_FAILED) {
		fprintf(stderr, "floor: the analysis failed\n");
		return 2;
	}

	/* 2. Unique memory, in address order. */
	qsort(ranges, nranges, sizeof(*ranges), by_start);
	size_t n = 0;
	for (size_t i = 0; i < nranges; i++) {
		if (n && ranges[i].start <= ranges[n - 1].end) {
			if (ranges[i].end > ranges[n - 1].end)
				ranges[n - 1].end = ranges[i].end;
		} else {
			ranges[n++] = ranges[i];
		}
	}
	uint64_t bytes = 0, biggest = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t len = ranges[i].end - ranges[i].start;
		bytes += len;
		if (len > biggest)
			biggest = len;
	}

	/* 3. Read each once, timed, through a fresh Target. */
	t = open_dump(vmlinux, dump, &syms, NULL);
	ct_vmlinux_syms_close(syms);
	unsigned char *buf = malloc(biggest ? biggest : 1);
	if (!buf)
		return 2;
	uint64_t failed = 0;
	double t0 = now();
	for (size_t i = 0; i < n; i++)
		if (ct_target_read(t, ranges[i].start, buf, ranges[i].end - ranges[i].start, NULL))
			failed++;
	double t1 = now();
	ct_target_close(t);
	printf("ranges=%zu bytes=%llu reads=%llu failed=%llu floor_s=%.4f\n", n,
	       (unsigned long long)bytes, (unsigned long long)analysis_reads,
	       (unsigned long long)failed, t1 - t0);
	free(buf);
	free(ranges);
	return 0;
}
