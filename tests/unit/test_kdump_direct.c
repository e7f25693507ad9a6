/* test_kdump_direct.c — ELF dumps read straight from the file
 * (ext/kdump_direct.c): segments and what they leave out, from ELF files
 * made here, with the linear range set by hand (libaddrxlat gives it in a
 * real run).
 *
 *   test_kdump_direct SCRATCH_DIR
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "kdump_direct.h"

#define DIRECT_BASE 0xffff888000000000ULL /* a direct map: virtual = physical + this */

struct seg {
	uint64_t paddr, filesz, memsz;
};

static char path[4096];

/* An ELF file of PT_LOADs segs (their file bytes: byte i of the file is
 * i * 7 + 3, low byte), e_phnum as given (PN_XNUM: the count in section
 * header 0). The file descriptor, or -1. */
static int make_elf(const struct seg *segs, unsigned n, bool xnum)
{
	size_t phoff = sizeof(Elf64_Ehdr), shoff = phoff + n * sizeof(Elf64_Phdr);
	size_t data = shoff + sizeof(Elf64_Shdr), total = data;
	for (unsigned i = 0; i < n; i++)
		total += segs[i].filesz;
	unsigned char *f = calloc(1, total);
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_phoff = phoff, .e_ehsize = sizeof(eh), .e_phentsize = sizeof(Elf64_Phdr),
			  .e_phnum = xnum ? PN_XNUM : (Elf64_Half)n };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	if (xnum) {
		eh.e_shoff = shoff;
		eh.e_shentsize = sizeof(Elf64_Shdr);
		eh.e_shnum = 1;
		Elf64_Shdr sh = { .sh_info = n };
		memcpy(f + shoff, &sh, sizeof(sh));
	}
	memcpy(f, &eh, sizeof(eh));
	size_t off = data;
	for (unsigned i = 0; i < n; i++) {
		Elf64_Phdr ph = { .p_type = PT_LOAD, .p_offset = off, .p_paddr = segs[i].paddr,
				  .p_vaddr = 0, .p_filesz = segs[i].filesz, .p_memsz = segs[i].memsz };
		memcpy(f + phoff + i * sizeof(ph), &ph, sizeof(ph));
		off += segs[i].filesz;
	}
	for (size_t i = data; i < total; i++)
		f[i] = (unsigned char)(i * 7 + 3);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && write(fd, f, total) != (ssize_t)total) {
		close(fd);
		fd = -1;
	}
	free(f);
	return fd;
}

/* d on the file of segs, its direct map over all of physical memory. */
static bool open_direct(struct kdump_direct *d, const struct seg *segs, unsigned n, bool xnum)
{
	memset(d, 0, sizeof(*d));
	d->ranges[0] = (struct kdump_direct_range){ DIRECT_BASE, DIRECT_BASE + (1ULL << 40) - 1,
						     (uint64_t)0 - DIRECT_BASE };
	d->nranges = 1;
	int fd = make_elf(segs, n, xnum);
	bool ok = fd >= 0 && kdump_direct_open_file(d, fd);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The file byte at offset off, as make_elf wrote it. */
static unsigned char file_byte(size_t off)
{
	return (unsigned char)(off * 7 + 3);
}

static void test_reads(void)
{
	/* Out of physical order, with a gap (memsz past filesz) in the first. */
	const struct seg segs[] = { { 0x200000, 0x3000, 0x5000 }, { 0x1000, 0x2000, 0x2000 } };
	struct kdump_direct d;
	CHECK(open_direct(&d, segs, 2, false), "two segments read");
	CHECK_EQ_U64(d.nsegs, 2, "file-backed segments");
	CHECK_EQ_U64(d.ngaps, 1, "gaps");
	size_t data = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) + sizeof(Elf64_Shdr);
	unsigned char buf[64];
	/* Physical 0x1000 is the second segment, after the first's 0x3000 bytes. */
	CHECK(kdump_direct_read(&d, DIRECT_BASE + 0x1010, buf, sizeof(buf)), "read in segment 2");
	bool same = true;
	for (size_t i = 0; i < sizeof(buf); i++)
		same &= buf[i] == file_byte(data + 0x3000 + 0x10 + i);
	CHECK(same, "segment 2's bytes are its file bytes");
	CHECK(kdump_direct_read(&d, DIRECT_BASE + 0x200000, buf, 8) && buf[0] == file_byte(data),
	      "segment 1's first byte");
	CHECK(kdump_direct_read(&d, DIRECT_BASE + 0x202ff8, buf, 8), "last 8 file bytes of segment 1");
	CHECK(!kdump_direct_read(&d, DIRECT_BASE + 0x202ffc, buf, 8),
	      "a read past a segment's file bytes goes to libkdumpfile");
	CHECK(!kdump_direct_read(&d, DIRECT_BASE + 0x2ff8, buf, 16),
	      "a read across segments goes to libkdumpfile");
	CHECK(!kdump_direct_read(&d, DIRECT_BASE + 0x100000, buf, 8), "no segment: not read here");
	CHECK(!kdump_direct_read(&d, 0xffffc90000000000ULL, buf, 8), "outside the linear range");
	CHECK(!kdump_direct_read(&d, UINT64_MAX - 3, buf, 8), "a read wrapping past 2^64");
	CHECK(!kdump_direct_read(&d, DIRECT_BASE + 0x1000, buf, 0), "an empty read");
	CHECK_EQ_U64(d.reads, 3, "reads counted");
	/* What the file left out. */
	CHECK(kdump_direct_left_out(&d, 0x203000), "first page past p_filesz: left out");
	CHECK(kdump_direct_left_out(&d, 0x204fff), "last byte of p_memsz: left out");
	CHECK(!kdump_direct_left_out(&d, 0x205000), "past p_memsz: not this file's to say");
	CHECK(!kdump_direct_left_out(&d, 0x202fff), "file bytes: held");
	CHECK(!kdump_direct_left_out(&d, 0x1800), "other segment: held");
	d.reads_off = true;
	CHECK(!kdump_direct_read(&d, DIRECT_BASE + 0x1010, buf, 8), "reads off: nothing read here");
	CHECK(kdump_direct_left_out(&d, 0x203000), "reads off: still knows what is left out");
	kdump_direct_free(&d);
	CHECK(!d.map && !kdump_direct_read(&d, DIRECT_BASE + 0x1010, buf, 8), "freed: nothing read");
}

static void test_gap_covered(void)
{
	/* One segment's gap is another's file bytes: held (as libkdumpfile
	 * has them), and gaps that overlap are joined. */
	const struct seg segs[] = { { 0x10000, 0x1000, 0x4000 }, { 0x12000, 0x1000, 0x1000 },
				    { 0x11000, 0x0, 0x6000 } };
	struct kdump_direct d;
	CHECK(open_direct(&d, segs, 3, false), "three segments");
	CHECK_EQ_U64(d.ngaps, 1, "overlapping gaps joined");
	CHECK(kdump_direct_left_out(&d, 0x11000), "gap");
	CHECK(!kdump_direct_left_out(&d, 0x12800), "gap covered by another segment's file bytes");
	CHECK(kdump_direct_left_out(&d, 0x16fff), "the joined gap's end");
	CHECK(!kdump_direct_left_out(&d, 0x17000), "past it");
	kdump_direct_free(&d);
}

static void test_xnum(void)
{
	struct seg segs[3];
	for (unsigned i = 0; i < 3; i++)
		segs[i] = (struct seg){ 0x100000 * (i + 1), 0x1000, 0x1000 };
	struct kdump_direct d;
	CHECK(open_direct(&d, segs, 3, true), "PN_XNUM: the count from section header 0");
	CHECK_EQ_U64(d.nsegs, 3, "PN_XNUM segments");
	unsigned char b;
	CHECK(kdump_direct_read(&d, DIRECT_BASE + 0x300fff, &b, 1), "the third segment's last byte");
	kdump_direct_free(&d);
}

/* Headers that do not hold together: nothing is read from the file. */
static void test_refused(void)
{
	struct kdump_direct d;
	const struct seg overlap[] = { { 0x1000, 0x2000, 0x2000 }, { 0x2000, 0x1000, 0x1000 } };
	CHECK(!open_direct(&d, overlap, 2, false) && !d.map, "overlapping file bytes: refused");
	const struct seg inverted[] = { { 0x1000, 0x2000, 0x1000 } };
	CHECK(!open_direct(&d, inverted, 1, false) && !d.map, "p_filesz > p_memsz: refused");
	const struct seg wrap[] = { { UINT64_MAX - 0xfff, 0x1000, 0x2000 } };
	CHECK(!open_direct(&d, wrap, 1, false), "a segment wrapping past 2^64: refused");
	/* Truncated: the program headers run past the end of the file. */
	const struct seg one[] = { { 0x1000, 0x10, 0x10 } };
	int fd = make_elf(one, 1, false);
	CHECK(fd >= 0 && ftruncate(fd, sizeof(Elf64_Ehdr) + 8) == 0, "truncate");
	memset(&d, 0, sizeof(d));
	CHECK(!kdump_direct_open_file(&d, fd) && !d.map, "truncated headers: refused");
	close(fd);
	/* A segment whose bytes lie past the end of the file. */
	fd = make_elf(one, 1, false);
	size_t data = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + sizeof(Elf64_Shdr);
	CHECK(fd >= 0 && ftruncate(fd, data + 8) == 0, "truncate");
	CHECK(!kdump_direct_open_file(&d, fd) && !d.map, "segment past the file's end: refused");
	close(fd);
	/* Not ELF; empty; a directory. */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "KDUMP   not an elf file", 23) == 23, "write");
	CHECK(!kdump_direct_open_file(&d, fd), "not ELF: refused");
	CHECK(ftruncate(fd, 0) == 0 && !kdump_direct_open_file(&d, fd), "empty: refused");
	close(fd);
	fd = open("/", O_RDONLY);
	CHECK(fd >= 0 && !kdump_direct_open_file(&d, fd), "a directory: refused");
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_kdump_direct SCRATCH_DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/direct.elf", argv[1]);
	test_reads();
	test_gap_covered();
	test_xnum();
	test_refused();
	unlink(path);
	return harness_done("ELF direct reads");
}
