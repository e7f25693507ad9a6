/* kcore_probe.c [PATH [JIFFIES_ADDR]] — does libkdumpfile read /proc/kcore?
 * Run inside the guest.
 *
 * Opens /proc/kcore with libkdumpfile as ctleak opens a dump, then reads
 * init_uts_ns (its address from kcore's VMCOREINFO note) as a kernel
 * virtual address and looks for the running release (uname -r) in the
 * bytes. With JIFFIES_ADDR (from /proc/kallsyms) it reads jiffies_64 twice,
 * 100 ms apart, through the same context: a page cache inside the library
 * would return the same value twice on a running kernel. Prints one
 * key=value line per fact; the live test records them, and README's choice
 * of our own kcore reader rests on them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <libkdumpfile/kdumpfile.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/kcore";
	struct utsname u;
	uname(&u);
	kdump_ctx_t *ctx = kdump_new();
	if (!ctx) {
		puts("open=no error=kdump_new");
		return 1;
	}
	int fd = open(path, O_RDONLY);
	kdump_status st = fd < 0 ? KDUMP_ERR_SYSTEM : kdump_open_fd(ctx, fd);
	printf("open=%s", st == KDUMP_OK ? "yes" : "no");
	if (st != KDUMP_OK) {
		printf(" error=\"%s\"\n", fd < 0 ? "cannot open" : kdump_get_err(ctx));
		return 0;
	}
	const char *fmt = NULL, *sym = NULL;
	kdump_get_string_attr(ctx, "file.format", &fmt);
	printf(" format=%s", fmt ? fmt : "?");
	const char *arch = NULL;
	if (kdump_get_string_attr(ctx, "arch.name", &arch) != KDUMP_OK || !arch)
		kdump_set_string_attr(ctx, "arch.name", "x86_64");
	st = kdump_set_string_attr(ctx, "addrxlat.ostype", "linux");
	printf(" ostype=%s", st == KDUMP_OK ? "yes" : "no");
	if (st != KDUMP_OK)
		printf(" ostype_error=\"%s\"", kdump_get_err(ctx));
	if (kdump_get_string_attr(ctx, "linux.vmcoreinfo.lines.SYMBOL(init_uts_ns)", &sym) != KDUMP_OK ||
	    !sym) {
		printf(" vmcoreinfo=no\n");
		return 0;
	}
	unsigned long long addr = strtoull(sym, NULL, 16);
	char buf[512];
	size_t len = sizeof(buf);
	st = kdump_read(ctx, KDUMP_KVADDR, addr, buf, &len);
	int found = 0;
	for (size_t i = 0; st == KDUMP_OK && i + strlen(u.release) <= len; i++)
		if (memcmp(buf + i, u.release, strlen(u.release)) == 0)
			found = 1;
	printf(" vmcoreinfo=yes read_init_uts_ns=%s", st == KDUMP_OK ? "yes" : "no");
	if (st != KDUMP_OK)
		printf(" read_error=\"%s\"", kdump_get_err(ctx));
	printf(" release_found=%s", found ? "yes" : "no");
	if (argc > 2) {
		unsigned long long jaddr = strtoull(argv[2], NULL, 16), j1 = 0, j2 = 0;
		size_t n1 = 8, n2 = 8;
		kdump_status s1 = kdump_read(ctx, KDUMP_KVADDR, jaddr, &j1, &n1);
		struct timespec pause = { 0, 100000000L };
		nanosleep(&pause, NULL);
		kdump_status s2 = kdump_read(ctx, KDUMP_KVADDR, jaddr, &j2, &n2);
		if (s1 == KDUMP_OK && s2 == KDUMP_OK)
			printf(" jiffies_moved=%s", j1 != j2 ? "yes" : "no");
		else
			printf(" jiffies_read=no");
		/* The control: a fresh context must see time pass. */
		kdump_ctx_t *fresh = kdump_new();
		int fd2 = open(path, O_RDONLY);
		unsigned long long j3 = 0;
		size_t n3 = 8;
		if (fresh && fd2 >= 0 && kdump_open_fd(fresh, fd2) == KDUMP_OK &&
		    kdump_set_string_attr(fresh, "addrxlat.ostype", "linux") == KDUMP_OK &&
		    kdump_read(fresh, KDUMP_KVADDR, jaddr, &j3, &n3) == KDUMP_OK)
			printf(" fresh_context_moved=%s", j3 != j1 ? "yes" : "no");
		if (fresh)
			kdump_free(fresh);
	}
	putchar('\n');
	kdump_free(ctx);
	return 0;
}
