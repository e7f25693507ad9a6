/* test_layout_cache.c — the build-id keyed layout cache: the first load reads
 * DWARF and writes the cache; the second is served from it without reading
 * DWARF at all (proven by spoiling the file's DWARF in between); broken or
 * stale caches are ignored and rewritten; files without a build-id are not
 * cached.
 * usage: test_layout_cache GEN.o GEN.vmlinux SCRATCH_DIR */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/elf_file.h"
#include "harness.h"
#include "kernel/layout.h"

static int copy_file(const char *src, const char *dst)
{
	struct ct_elf *elf;
	struct ct_error err = { 0 };
	if (ct_elf_open(src, &elf, &err))
		return -1;
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = fd >= 0 && write(fd, elf->map, elf->map_size) == (ssize_t)elf->map_size ? 0 : -1;
	if (fd >= 0)
		close(fd);
	ct_elf_close(elf);
	return rc;
}

/* Zero .debug_info and .debug_abbrev in place: no DWARF can be read. */
static int spoil_dwarf(const char *path)
{
	struct ct_elf *elf;
	struct ct_error err = { 0 };
	if (ct_elf_open(path, &elf, &err))
		return -1;
	int fd = open(path, O_WRONLY);
	int rc = fd >= 0 ? 0 : -1;
	const char *names[] = { ".debug_info", ".debug_abbrev" };
	for (int i = 0; i < 2 && rc == 0; i++) {
		const struct ct_elf_section *s = ct_elf_section_by_name(elf, names[i]);
		char *zero = s ? calloc(1, s->size) : NULL;
		if (!zero || pwrite(fd, zero, s->size, (off_t)s->offset) != (ssize_t)s->size)
			rc = -1;
		free(zero);
	}
	if (fd >= 0)
		close(fd);
	ct_elf_close(elf);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s GEN.o GEN.vmlinux SCRATCH_DIR\n", argv[0]);
		return 2;
	}
	char dir[4096], copy[4096], path[4096];
	struct ct_error err = { 0 };
	snprintf(dir, sizeof(dir), "%s/cache-%d", argv[3], (int)getpid());
	snprintf(copy, sizeof(copy), "%s/copy-%d.vmlinux", argv[3], (int)getpid());
	CHECK(copy_file(argv[2], copy) == 0, "copy %s", argv[2]);
	const char *files[] = { copy };

	/* No build-id, no cache. */
	const char *obj[] = { argv[1] };
	CHECK(ct_layout_cache_path(obj, 1, dir, path, sizeof(path), &err) == CT_ERR_NOTFOUND,
	      "an object without build-id has no cache path");
	struct ct_layout a, b;
	CHECK(ct_layout_load(obj, 1, dir, &a, &err) == CT_OK, "load .o: %s", err.text);
	CHECK_STR(a.source, "dwarf", "no build-id: from DWARF");
	CHECK(a.cache_path[0] == '\0', "no build-id: not cached");

	/* First run: DWARF, cache written under the build-id. */
	CHECK(ct_layout_cache_path(files, 1, dir, path, sizeof(path), &err) == CT_OK,
	      "cache path: %s", err.text);
	CHECK(strstr(path, "/layout-") != NULL, "cache file name %s", path);
	CHECK(ct_layout_load(files, 1, dir, &a, &err) == CT_OK, "first load: %s", err.text);
	CHECK_STR(a.source, "dwarf", "first load source");
	CHECK_STR(a.cache_path, path, "cache written");
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size > 0, "cache file exists");

	/* Second run: from the cache; the DWARF is spoiled so any read of it
	 * would fail. */
	CHECK(spoil_dwarf(copy) == 0, "spoil DWARF");
	CHECK(ct_layout_load(files, 1, dir, &b, &err) == CT_OK, "cached load: %s", err.text);
	CHECK_STR(b.source, "cache", "second load source");
	CHECK(memcmp(a.e, b.e, sizeof(a.e)) == 0, "cached answers equal DWARF answers");
	/* Proof that the DWARF really is unreadable now: read without the
	 * cache, it describes no nf_conn at all. */
	struct ct_layout c;
	CHECK(ct_layout_load(files, 1, NULL, &c, &err) != CT_OK ||
	      c.e[CTL_NF_CONN].state != CTL_PRESENT,
	      "without the cache the spoiled file yields no nf_conn");

	/* A damaged cache is ignored: the DWARF of the original is read again
	 * and the cache rewritten. */
	CHECK(copy_file(argv[2], copy) == 0, "restore copy");
	FILE *f = fopen(path, "w");
	fputs("ctleak-layout 1 0000000000000000\nNF_CONN 9 9 9\n", f);
	fclose(f);
	CHECK(ct_layout_cache_read(path, &b, &err) == CT_ERR_CORRUPT, "stale cache refused");
	CHECK(ct_layout_load(files, 1, dir, &b, &err) == CT_OK, "reload: %s", err.text);
	CHECK_STR(b.source, "dwarf", "damaged cache: back to DWARF");
	CHECK(ct_layout_cache_read(path, &b, &err) == CT_OK, "cache rewritten: %s", err.text);
	CHECK(memcmp(a.e, b.e, sizeof(a.e)) == 0, "rewritten cache is right");

	/* A cache with a line out of range is refused. */
	ct_layout_cache_write(path, &a, &err);
	f = fopen(path, "r+");
	char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	char *line = strstr(buf, "\nNF_CONN_USE ");
	if (line)
		line[13] = '7'; /* state 7 does not exist */
	rewind(f);
	fwrite(buf, 1, n, f);
	fclose(f);
	CHECK(ct_layout_cache_read(path, &b, &err) == CT_ERR_CORRUPT, "bad state refused");

	/* Two files: the key names both build-ids, in order. */
	const char *two[] = { copy, argv[2] };
	char path2[4096];
	CHECK(ct_layout_cache_path(two, 2, dir, path2, sizeof(path2), &err) == CT_OK, "two");
	CHECK(strchr(strstr(path2, "layout-") + 7, '-') != NULL, "two ids in %s", path2);

	unlink(path);
	unlink(copy);
	rmdir(dir);
	return harness_done("layout cache");
}
