/* kcore_probe.c — does libkdumpfile read /proc/kcore? Run inside the guest.
 *
 * Opens /proc/kcore with libkdumpfile as ctleak opens a dump, then reads
 * init_uts_ns (its address from kcore's VMCOREINFO note) as a kernel
 * virtual address and looks for the running release (uname -r) in the
 * bytes. Prints one key=value line per fact; the live test records them,
 * and README's choice of our own kcore reader rests on them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

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
	printf(" release_found=%s\n", found ? "yes" : "no");
	kdump_free(ctx);
	return 0;
}
