/* fuzz_parse.c — libFuzzer target: the file parsers ctleak owns, each on
 * the whole input:
 *   - the /proc/kcore ELF reader (lib/target/target_kcore.c): ct_kcore_open, then
 *     reads at the addresses its program headers name (first, last and
 *     across the end of each PT_LOAD) and at a few fixed ones; nothing is
 *     attached;
 *   - ct_vmcoreinfo_get (lib/base/vmcoreinfo.c) on the input as note text;
 *   - the ELF file reader (lib/base/elf_file.c): ct_elf_open (headers, sections,
 *     build-id note), ct_elf_symbols, ct_elf_section_by_name;
 *   - the layout cache reader (lib/kernel/layout.c: ct_layout_cache_read), and a
 *     kernel model built from what it accepted (lib/kernel/kmodel.c).
 * The input lives in one memfd per process, reopened through
 * /proc/self/fd/N by each parser (they take paths).
 * Must never crash, hang or leak (file descriptors included).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/elf_file.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "base/strmap.h"
#include "target/target_kcore.h"
#include "base/vmcoreinfo.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fd = memfd_create("ctleak-fuzz-parse", MFD_CLOEXEC);
	if (fd < 0) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static void put_input(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0)
		abort();
	size_t done = 0;
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

/* Reads around the PT_LOADs the input declares (as far as it holds them). */
static void kcore_reads(struct ct_target *t, const uint8_t *data, size_t size)
{
	unsigned char buf[4096];
	static const uint64_t fixed[] = { 0, 0xffff888000000000ULL, 0xffffc90000000000ULL,
					  0xffffffff9f000000ULL, UINT64_MAX - 7 };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		ct_target_read(t, fixed[i], buf, 8, NULL);
	Elf64_Ehdr eh;
	if (size < sizeof(eh))
		return;
	memcpy(&eh, data, sizeof(eh));
	for (unsigned i = 0; i < eh.e_phnum && i < 64; i++) {
		Elf64_Phdr ph;
		uint64_t at = eh.e_phoff + (uint64_t)i * sizeof(ph);
		if (at < eh.e_phoff || at > size || size - at < sizeof(ph))
			break;
		memcpy(&ph, data + at, sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		uint64_t v = ph.p_vaddr, len = ph.p_filesz;
		uint64_t n = len < sizeof(buf) ? len : sizeof(buf);
		ct_target_read(t, v, buf, n ? n : 1, NULL);
		if (len >= 8) {
			ct_target_read(t, v + len - 8, buf, 8, NULL);
			ct_target_read(t, v + len - 8, buf, 16, NULL); /* across the end */
		}
		uint64_t word;
		ct_target_read_u64(t, v + len / 2, &word, NULL);
	}
}

static void kcore(const uint8_t *data, size_t size)
{
	struct ct_target *t = NULL;
	struct ct_error err = { 0 };
	if (ct_kcore_open(path, &t, &err) != CT_OK)
		return;
	struct ct_vmlinux_syms *syms = NULL;
	if (ct_kcore_vmlinux_syms(t, "/nonexistent/vmlinux", "/nonexistent", &syms, NULL,
				  &err) == CT_OK)
		ct_vmlinux_syms_close(syms);
	kcore_reads(t, data, size);
	ct_target_close(t);
}

static void vmcoreinfo(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "OSRELEASE", "BUILD-ID", "KERNELOFFSET",
					    "SYMBOL(init_uts_ns)", "PAGESIZE", "" };
	char out[130], tiny[4];
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		ct_vmcoreinfo_get((const char *)data, size, keys[i], out, sizeof(out));
		ct_vmcoreinfo_get((const char *)data, size, keys[i], tiny, sizeof(tiny));
	}
	ct_vmcoreinfo_get((const char *)data, size, "A", out, 0);
}

static void elf(void)
{
	struct ct_elf *e;
	struct ct_error err = { 0 };
	if (ct_elf_open(path, &e, &err) != CT_OK)
		return;
	char hex[129];
	ct_elf_build_id_hex(e, hex, sizeof(hex));
	ct_elf_build_id_hex(e, hex, 5);
	(void)ct_elf_section_by_name(e, ".debug_info");
	(void)ct_elf_section_by_name(e, ".symtab");
	struct ct_strmap *syms;
	if (ct_elf_symbols(e, &syms, &err) == CT_OK) {
		(void)ct_strmap_get(syms, "init_uts_ns", strlen("init_uts_ns"));
		ct_strmap_free(syms);
	}
	ct_elf_close(e);
}

static void layout_cache(void)
{
	struct ct_layout l;
	struct ct_kmodel m;
	struct ct_error err = { 0 };
	if (ct_layout_cache_read(path, &l, &err) != CT_OK)
		return;
	ct_kmodel_build(&l, &m, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	put_input(data, size);
	kcore(data, size);
	vmcoreinfo(data, size);
	elf();
	layout_cache();
	return 0;
}
