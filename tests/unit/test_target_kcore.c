/* test_target_kcore.c — the /proc/kcore Target (lib/target/target_kcore.c) on
 * hand-made ELF core files, and the VMCOREINFO lookup (lib/base/vmcoreinfo.h).
 *
 * Every kcore here is built byte by byte: an ELF64 ET_CORE header, a
 * PT_NOTE segment ("CORE" notes and a "VMCOREINFO" note of type 0, as the
 * kernel writes them) and PT_LOAD segments at kernel virtual addresses.
 * Segment bytes are a function of their address and a per-segment seed, so
 * a read that lands in the wrong segment or at the wrong file offset shows.
 * Hostile files (not ELF, wrong class/type/machine, absurd or unreadable
 * program headers, notes larger than their segment, truncated data) must
 * each be refused or survived with a status and a sentence.
 *
 * vmlinux symbols come from two files: the synthetic GEN61.vmlinux the
 * suite builds (a user-space executable: its symbols are low and must not
 * move, and it has no _stext), and a tiny ET_EXEC written here whose
 * symbols sit in the kernel image range (_stext, init_uts_ns), one low
 * per-CPU-like symbol and one SHN_ABS symbol.
 *
 * usage: test_target_kcore GEN61.vmlinux [SCRATCH_DIR]   (default /tmp)
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/elf_file.h"
#include "harness.h"
#include "base/strmap.h"
#include "target/target_kcore.h"
#include "kernel/program.h"
#include "base/vmcoreinfo.h"

#define DIRECT 0xffff888000000000ULL   /* direct map */
#define VMALLOC 0xffffc90000000000ULL
#define TEXT 0xffffffff81000000ULL      /* the kernel image, unmoved */
#define OFFSET 0x1e000000ULL            /* the KASLR offset of the fake kernels */
#define RTEXT (TEXT + OFFSET)           /* the kernel image, moved */

/* The mini vmlinux's symbols (link-time). */
#define V_STEXT TEXT
#define V_UTS 0xffffffff82612340ULL
#define V_LOW 0x4000ULL                 /* zero-based per-CPU style: never moves */
#define V_ABS 0xffffffff81abc000ULL     /* SHN_ABS: never moves */
static const uint8_t MINI_ID[20] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
				     0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05 };
#define MINI_ID_HEX "112233445566778899aabbccddeeff0102030405"

#define MAX_FILES 256
static char dir[4096];
static char *files[MAX_FILES];
static int nfile;

/* --- bytes ------------------------------------------------------------ */

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		memset(b->p + b->cap, 0, cap - b->cap);
		b->cap = cap;
	}
	if (data)
		memcpy(b->p + b->len, data, len);
	else
		memset(b->p + b->len, 0, len);
	b->len += len;
}

static void pad4(struct buf *b)
{
	put(b, NULL, (4 - b->len % 4) % 4);
}

/* The byte a fake kernel holds at addr in a segment made with seed. */
static uint8_t pat(uint64_t addr, uint8_t seed)
{
	return (uint8_t)((addr * 131) ^ (addr >> 9) ^ seed);
}

static bool is_pat(const unsigned char *p, uint64_t addr, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pat(addr + i, seed))
			return false;
	return true;
}

/* A fresh path in the scratch directory, kept until cleanup() removes it. */
static const char *new_path(const char *what)
{
	if (nfile == MAX_FILES)
		abort();
	char *s = malloc(strlen(dir) + strlen(what) + 8);
	if (!s)
		abort();
	sprintf(s, "%s/%03d-%s", dir, nfile, what);
	files[nfile++] = s;
	return s;
}

static const char *write_file(const char *what, const void *data, size_t len)
{
	const char *path = new_path(what);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (len && write(fd, data, len) != (ssize_t)len) || close(fd) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* --- fake kcore files ---------------------------------------------------- */

struct kseg {
	uint64_t vaddr, len;
	uint8_t seed;
	uint64_t offset;          /* 0: placed by the builder */
};

struct kspec {
	const char *vmcoreinfo;   /* NULL: no VMCOREINFO note */
	const void *raw_notes;    /* instead of the standard notes */
	size_t raw_notes_len;
	uint64_t notes_filesz;    /* 0: as built; else the PT_NOTE's claimed size */
	int nseg;
	struct kseg seg[8];
};

static void note(struct buf *b, const char *name, uint32_t type, const void *desc,
		 size_t descsz)
{
	Elf64_Nhdr nh = { (Elf64_Word)strlen(name) + 1, (Elf64_Word)descsz, type };
	put(b, &nh, sizeof(nh));
	put(b, name, strlen(name) + 1);
	pad4(b);
	put(b, desc, descsz);
	pad4(b);
}

/* ELF header, PT_NOTE, then the PT_LOADs; the notes; the segments' bytes
 * in reverse order of their program headers (so that neighbours in memory
 * are not neighbours in the file). */
static void build_kcore(const struct kspec *s, struct buf *b)
{
	memset(b, 0, sizeof(*b));
	size_t phnum = 1 + (size_t)s->nseg;
	put(b, NULL, sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr));
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (Elf64_Half)phnum };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(b->p, &eh, sizeof(eh));

	size_t notes_at = b->len;
	if (s->raw_notes) {
		put(b, s->raw_notes, s->raw_notes_len);
	} else {
		unsigned char prstatus[336] = { 0 }, prpsinfo[136] = { 0 };
		note(b, "CORE", NT_PRSTATUS, prstatus, sizeof(prstatus));
		note(b, "CORE", NT_PRPSINFO, prpsinfo, sizeof(prpsinfo));
		if (s->vmcoreinfo)
			note(b, "VMCOREINFO", 0, s->vmcoreinfo, strlen(s->vmcoreinfo));
	}
	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = notes_at,
			  .p_filesz = s->notes_filesz ? s->notes_filesz : b->len - notes_at };
	memcpy(b->p + sizeof(Elf64_Ehdr), &ph, sizeof(ph));

	uint64_t off[8];
	for (int i = s->nseg - 1; i >= 0; i--) {
		const struct kseg *g = &s->seg[i];
		off[i] = g->offset ? g->offset : b->len;
		if (g->offset)
			continue;
		size_t at = b->len;
		put(b, NULL, g->len);
		for (uint64_t k = 0; k < g->len; k++)
			b->p[at + k] = pat(g->vaddr + k, g->seed);
	}
	for (int i = 0; i < s->nseg; i++) {
		const struct kseg *g = &s->seg[i];
		Elf64_Phdr lp = { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
				  .p_offset = off[i], .p_vaddr = g->vaddr, .p_paddr = UINT64_MAX,
				  .p_filesz = g->len, .p_memsz = g->len, .p_align = 4096 };
		memcpy(b->p + sizeof(Elf64_Ehdr) + (size_t)(i + 1) * sizeof(Elf64_Phdr), &lp,
		       sizeof(lp));
	}
}

static Elf64_Ehdr get_ehdr(const struct buf *b)
{
	Elf64_Ehdr eh;
	memcpy(&eh, b->p, sizeof(eh));
	return eh;
}

static void set_ehdr(struct buf *b, const Elf64_Ehdr *eh)
{
	memcpy(b->p, eh, sizeof(*eh));
}

static const char *write_kcore(const char *what, const struct kspec *s)
{
	struct buf b;
	build_kcore(s, &b);
	const char *p = write_file(what, b.p, b.len);
	free(b.p);
	return p;
}

/* The usual layout: two adjacent direct-map pages (not adjacent in the
 * file), a vmalloc page after a gap, the moved kernel text. */
static struct kspec std_spec(const char *vmcoreinfo)
{
	struct kspec s = { .vmcoreinfo = vmcoreinfo, .nseg = 4 };
	s.seg[0] = (struct kseg){ RTEXT, 0x1000, 0x30, 0 };
	s.seg[1] = (struct kseg){ DIRECT, 0x1000, 0x10, 0 };
	s.seg[2] = (struct kseg){ DIRECT + 0x1000, 0x1000, 0x20, 0 };
	s.seg[3] = (struct kseg){ VMALLOC, 0x800, 0x40, 0 };
	return s;
}

/* --- a tiny vmlinux: kernel-image symbols and a build-id -------------------- */

static const char *write_mini_vmlinux(const char *what, bool with_id)
{
	static const char shstr[] = "\0.shstrtab\0.symtab\0.strtab\0.note.gnu.build-id\0.text";
	static const char str[] = "\0_stext\0init_uts_ns\0fixed_percpu_data\0abs_marker";
	enum { SH_SHSTR = 1, SH_SYM, SH_STR, SH_NOTE, SH_TEXT, NSEC };
	struct buf b = { 0 };
	put(&b, NULL, sizeof(Elf64_Ehdr));
	uint64_t shstr_at = b.len;
	put(&b, shstr, sizeof(shstr));
	uint64_t str_at = b.len;
	put(&b, str, sizeof(str));
	put(&b, NULL, (8 - b.len % 8) % 8);
	uint64_t sym_at = b.len;
	Elf64_Sym syms[] = {
		{ 0 },
		{ .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = SH_TEXT,
		  .st_value = V_STEXT },
		{ .st_name = 8, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = SH_TEXT,
		  .st_value = V_UTS, .st_size = 0x186 },
		{ .st_name = 20, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
		  .st_shndx = SH_TEXT, .st_value = V_LOW },
		{ .st_name = 38, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE),
		  .st_shndx = SHN_ABS, .st_value = V_ABS },
	};
	put(&b, syms, sizeof(syms));
	uint64_t note_at = b.len;
	if (with_id)
		note(&b, "GNU", NT_GNU_BUILD_ID, MINI_ID, sizeof(MINI_ID));
	uint64_t note_len = b.len - note_at;
	put(&b, NULL, (8 - b.len % 8) % 8);
	uint64_t sh_at = b.len;
	Elf64_Shdr sh[NSEC] = {
		[SH_SHSTR] = { .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = shstr_at,
			       .sh_size = sizeof(shstr), .sh_addralign = 1 },
		[SH_SYM] = { .sh_name = 11, .sh_type = SHT_SYMTAB, .sh_offset = sym_at,
			     .sh_size = sizeof(syms), .sh_link = SH_STR, .sh_info = 1,
			     .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym) },
		[SH_STR] = { .sh_name = 19, .sh_type = SHT_STRTAB, .sh_offset = str_at,
			     .sh_size = sizeof(str), .sh_addralign = 1 },
		[SH_NOTE] = { .sh_name = 27, .sh_type = SHT_NOTE, .sh_flags = SHF_ALLOC,
			      .sh_offset = note_at, .sh_size = note_len, .sh_addralign = 4 },
		[SH_TEXT] = { .sh_name = 46, .sh_type = SHT_NOBITS,
			      .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_addr = TEXT,
			      .sh_offset = sh_at, .sh_size = 0x2000000, .sh_addralign = 4096 },
	};
	put(&b, sh, sizeof(sh));
	Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_entry = TEXT, .e_shoff = sh_at, .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_shentsize = sizeof(Elf64_Shdr), .e_shnum = NSEC,
			  .e_shstrndx = SH_SHSTR };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(b.p, &eh, sizeof(eh));
	const char *p = write_file(what, b.p, b.len);
	free(b.p);
	return p;
}

/* --- ct_vmcoreinfo_get ------------------------------------------------------ */

static bool vget(const char *text, size_t len, const char *key, char *out, size_t size)
{
	return ct_vmcoreinfo_get(text, len, key, out, size);
}
#define VGET(text, key, out, size) vget((text), sizeof(text) - 1, (key), (out), (size))

static void test_vmcoreinfo_get(void)
{
	char v[64];
	static const char info[] = "OSRELEASE=6.1.0-13-amd64\nPAGESIZE=4096\n"
				   "SYMBOL(init_uts_ns)=ffffffff82612340\nKERNELOFFSET=1e000000\n";
	CHECK(VGET(info, "KERNELOFFSET", v, sizeof(v)) && strcmp(v, "1e000000") == 0,
	      "KERNELOFFSET: \"%s\"", v);
	CHECK(VGET(info, "OSRELEASE", v, sizeof(v)) && strcmp(v, "6.1.0-13-amd64") == 0,
	      "first line: \"%s\"", v);
	CHECK(VGET(info, "SYMBOL(init_uts_ns)", v, sizeof(v)) &&
	      strcmp(v, "ffffffff82612340") == 0, "a key with parentheses: \"%s\"", v);
	CHECK(!VGET(info, "BUILD-ID", v, sizeof(v)), "absent key");

	/* Whole keys at the start of a line only. */
	static const char pre[] = "KERNELOFFSETX=5\nXKERNELOFFSET=6\nKERNELOFFSET=7\n";
	CHECK(VGET(pre, "KERNELOFFSET", v, sizeof(v)) && strcmp(v, "7") == 0,
	      "longer key and key inside a line skipped: \"%s\"", v);
	static const char only_longer[] = "KERNELOFFSETX=5\n";
	CHECK(!VGET(only_longer, "KERNELOFFSET", v, sizeof(v)),
	      "\"KERNELOFFSET\" does not match \"KERNELOFFSETX=\"");
	CHECK(!VGET(info, "KERNEL", v, sizeof(v)), "a key's prefix is not the key");
	CHECK(!VGET(info, "SYMBOL", v, sizeof(v)), "SYMBOL is not SYMBOL(init_uts_ns)");
	static const char no_eq[] = "PAGESIZE\nPAGESIZE 4096\nPAGESIZE=8192";
	CHECK(VGET(no_eq, "PAGESIZE", v, sizeof(v)) && strcmp(v, "8192") == 0,
	      "lines without '=' skipped: \"%s\"", v);

	/* Values: empty, exactly fitting, one too long; size 0 writes nothing. */
	static const char vals[] = "EMPTY=\nSIX=abcdef\n";
	CHECK(VGET(vals, "EMPTY", v, sizeof(v)) && v[0] == '\0', "empty value");
	char small[7];
	CHECK(VGET(vals, "SIX", small, sizeof(small)) && strcmp(small, "abcdef") == 0,
	      "six characters fit in 7 bytes");
	memset(small, 'Z', sizeof(small));
	CHECK(!VGET(vals, "SIX", small, 6), "six characters do not fit in 6 bytes");
	CHECK(!VGET(vals, "SIX", small, 0), "size 0");
	CHECK(small[0] == 'Z' && small[6] == 'Z', "a refused value writes nothing");

	/* The last line without a newline; len, not NUL, ends the text. */
	static const char last[] = "A=1\nB=22";
	CHECK(VGET(last, "B", v, sizeof(v)) && strcmp(v, "22") == 0, "last line unterminated: %s",
	      v);
	CHECK(vget(last, 7, "B", v, sizeof(v)) && strcmp(v, "2") == 0,
	      "the value ends at len: \"%s\"", v);
	CHECK(!vget(last, 5, "B", v, sizeof(v)), "a key cut at len (\"B\") has no value");
	CHECK(!vget(last, 0, "A", v, sizeof(v)), "empty text");
	CHECK(vget("A=1\n", 2, "A", v, sizeof(v)) && v[0] == '\0',
	      "\"A=\" cut at len reads as an empty value");

	/* Embedded NULs: a value holding one is refused; one elsewhere in
	 * the text does not stop the search. */
	static const char nul_val[] = "A=1\0002\nB=3\n";
	CHECK(!VGET(nul_val, "A", v, sizeof(v)), "a value with a NUL is refused");
	CHECK(VGET(nul_val, "B", v, sizeof(v)) && strcmp(v, "3") == 0,
	      "a key after a NUL is still found: \"%s\"", v);
	static const char nul_line[] = "JUNK\000JUNK\nOSRELEASE=5.4\n";
	CHECK(VGET(nul_line, "OSRELEASE", v, sizeof(v)) && strcmp(v, "5.4") == 0,
	      "a NUL in another line: \"%s\"", v);
	static const char nul_key[] = "OSREL\000ASE=x\n";
	CHECK(!VGET(nul_key, "OSRELEASE", v, sizeof(v)), "a NUL inside the key");
}

/* --- opening and reading ------------------------------------------------------ */

#define INFO_STD                                                                      \
	"OSRELEASE=6.1.0-kcore-test\nBUILD-ID=" MINI_ID_HEX "\nPAGESIZE=4096\n"       \
	"SYMBOL(init_uts_ns)=ffffffffa0612340\nKERNELOFFSET=1e000000\n"

static void test_open_and_read(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	struct kspec s = std_spec(INFO_STD);
	const char *path = write_kcore("std", &s);
	ct_status st = ct_kcore_open(path, &t, &err);
	CHECK(st == CT_OK && t, "open: %s", err.text);
	if (st != CT_OK)
		return;
	CHECK(t->live, "a kcore target is live");
	CHECK_STR(t->ops->kind, "kcore", "kind");
	CHECK_STR(t->osrelease, "6.1.0-kcore-test", "osrelease from VMCOREINFO");
	CHECK_EQ_U64(t->page_size, (uint64_t)sysconf(_SC_PAGESIZE), "page size");
	uint64_t a = 0;
	struct ct_program bare;
	ct_program_init(&bare, t);
	CHECK(ct_program_symbol(&bare, "init_uts_ns", &a, &err) == CT_ERR_NOTFOUND &&
	      strstr(err.text, "no symbol source"), "symbols need a vmlinux: %s", err.text);

	/* Inside one segment, at its first and last bytes. */
	unsigned char buf[0x3000];
	CHECK(ct_target_read(t, DIRECT + 0x123, buf, 64, &err) == CT_OK &&
	      is_pat(buf, DIRECT + 0x123, 64, 0x10), "read inside a segment: %s", err.text);
	CHECK(ct_target_read(t, DIRECT, buf, 1, &err) == CT_OK && buf[0] == pat(DIRECT, 0x10),
	      "first byte");
	CHECK(ct_target_read(t, VMALLOC + 0x7f8, buf, 8, &err) == CT_OK &&
	      is_pat(buf, VMALLOC + 0x7f8, 8, 0x40), "last bytes of the vmalloc segment");
	uint64_t v = 0, want;
	CHECK(ct_target_read_u64(t, RTEXT + 0x40, &v, &err) == CT_OK, "u64: %s", err.text);
	memcpy(&want, (unsigned char[8]){ pat(RTEXT + 0x40, 0x30), pat(RTEXT + 0x41, 0x30),
					  pat(RTEXT + 0x42, 0x30), pat(RTEXT + 0x43, 0x30),
					  pat(RTEXT + 0x44, 0x30), pat(RTEXT + 0x45, 0x30),
					  pat(RTEXT + 0x46, 0x30), pat(RTEXT + 0x47, 0x30) }, 8);
	CHECK_EQ_U64(v, want, "u64 in the text segment (little-endian)");

	/* Across two adjacent segments whose bytes are apart in the file. */
	CHECK(ct_target_read(t, DIRECT + 0xff0, buf, 32, &err) == CT_OK, "spanning: %s", err.text);
	CHECK(is_pat(buf, DIRECT + 0xff0, 16, 0x10) && is_pat(buf + 16, DIRECT + 0x1000, 16, 0x20),
	      "a spanning read takes each part from its own segment");
	CHECK(ct_target_read(t, DIRECT, buf, 0x2000, &err) == CT_OK &&
	      is_pat(buf, DIRECT, 0x1000, 0x10) && is_pat(buf + 0x1000, DIRECT + 0x1000, 0x1000, 0x20),
	      "both segments whole in one read");
	CHECK(ct_target_read(t, DIRECT, buf, 0, &err) == CT_OK, "empty read");

	/* Into the gap after them: BADADDR, and the bytes before the gap. */
	size_t done = 99;
	ct_error_clear(&err);
	memset(buf, 0, 64);
	st = t->ops->read(t, DIRECT + 0x1ff0, buf, 32, &done, &err);
	CHECK(st == CT_ERR_BADADDR && done == 16, "read into the gap: %s done %zu",
	      ct_status_name(st), done);
	CHECK(is_pat(buf, DIRECT + 0x1ff0, 16, 0x20), "the bytes before the gap were delivered");
	CHECK_EQ_U64(err.addr, DIRECT + 0x2000, "the gap's address");
	CHECK(strstr(err.text, "0xffff888000002000") && strstr(err.text, path),
	      "the sentence names address and file: %s", err.text);
	uint64_t before = t->bytes_read, reads = t->reads;
	CHECK(ct_target_read(t, DIRECT + 0x1ff0, buf, 32, &err) == CT_ERR_BADADDR,
	      "ct_target_read into the gap");
	CHECK(t->bytes_read == before + 16 && t->reads == reads + 1,
	      "statistics count the 16 bytes read before the gap");
	CHECK(ct_target_read(t, DIRECT - 8, buf, 8, &err) == CT_ERR_BADADDR,
	      "below the first segment");
	CHECK(ct_target_read(t, 0xffffffffff600000ULL, buf, 8, &err) == CT_ERR_BADADDR,
	      "above the last segment");
	CHECK(ct_target_read(t, 0, buf, 8, &err) == CT_ERR_BADADDR, "address 0");
	CHECK(ct_target_read(t, VMALLOC + 0x7fc, buf, 8, &err) == CT_ERR_BADADDR &&
	      err.addr == VMALLOC + 0x800, "past a segment's end");
	CHECK(ct_target_read(t, UINT64_MAX - 3, buf, 8, &err) == CT_ERR_BADADDR,
	      "a wrapping read");
	ct_target_close(t);
}

/* A segment whose bytes the file does not hold: FAULT, never a crash. */
static void test_truncated(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	struct kspec s = std_spec(INFO_STD);
	struct buf b;
	build_kcore(&s, &b);
	/* Segment 0 (the text) is the last one in the file: cut it in half. */
	Elf64_Phdr ph;
	memcpy(&ph, b.p + sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr), sizeof(ph));
	CHECK(ph.p_vaddr == RTEXT && ph.p_offset + ph.p_filesz == b.len, "layout as planned");
	const char *path = write_file("truncated", b.p, (size_t)ph.p_offset + 0x800);
	free(b.p);
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK, "a truncated kcore opens: %s", err.text);
	if (!t)
		return;
	unsigned char buf[64];
	CHECK(ct_target_read(t, RTEXT + 0x100, buf, 16, &err) == CT_OK &&
	      is_pat(buf, RTEXT + 0x100, 16, 0x30), "the part that is there reads");
	ct_error_clear(&err);
	ct_status st = ct_target_read(t, RTEXT + 0x900, buf, 16, &err);
	CHECK(st == CT_ERR_FAULT && err.addr == RTEXT + 0x900 && strstr(err.text, path),
	      "past the end of the file: %s (%s)", ct_status_name(st), err.text);
	size_t done = 0;
	st = t->ops->read(t, RTEXT + 0x7f8, buf, 16, &done, &err);
	CHECK(st == CT_ERR_FAULT && done == 8 && err.addr == RTEXT + 0x800,
	      "a read across the end of the file: %s done %zu", ct_status_name(st), done);
	CHECK(ct_target_read(t, DIRECT + 8, buf, 8, &err) == CT_OK, "other segments still read");
	ct_target_close(t);

	/* A segment whose offset lies far past the end of the file. */
	s = std_spec(INFO_STD);
	s.seg[3].offset = 1ULL << 40;
	path = write_kcore("far-offset", &s);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK, "open: %s", err.text);
	if (t) {
		CHECK(ct_target_read(t, VMALLOC, buf, 8, &err) == CT_ERR_FAULT,
		      "data beyond the file: %s", ct_status_name(err.status));
		ct_target_close(t);
	}
}

/* Odd but valid layouts: overlapping segments are clipped, degenerate ones
 * skipped, extended program-header numbering honoured. */
static void test_layouts(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	unsigned char buf[64];
	struct kspec s = { .vmcoreinfo = INFO_STD, .nseg = 5 };
	s.seg[0] = (struct kseg){ DIRECT + 0x1000, 0x2000, 0x55, 0 };  /* overlaps the next */
	s.seg[1] = (struct kseg){ DIRECT, 0x2000, 0x66, 0 };
	s.seg[2] = (struct kseg){ VMALLOC, 0, 0x77, 0 };                /* empty: skipped */
	s.seg[3] = (struct kseg){ 0xfffffffffffff000ULL, 0x2000, 0x11, 0 }; /* wraps: skipped */
	s.seg[4] = (struct kseg){ VMALLOC + 0x1000, 0x1000, 0x22, 0 };
	struct buf b;
	build_kcore(&s, &b);
	/* And one whose offset would overflow off_t: skipped. */
	Elf64_Phdr ph;
	memcpy(&ph, b.p + sizeof(Elf64_Ehdr) + 5 * sizeof(Elf64_Phdr), sizeof(ph));
	ph.p_offset = INT64_MAX - 0x10;
	memcpy(b.p + sizeof(Elf64_Ehdr) + 5 * sizeof(Elf64_Phdr), &ph, sizeof(ph));
	const char *path = write_file("layouts", b.p, b.len);
	free(b.p);
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK, "open: %s", err.text);
	if (t) {
		CHECK(ct_target_read(t, DIRECT + 0x800, buf, 8, &err) == CT_OK &&
		      is_pat(buf, DIRECT + 0x800, 8, 0x66), "before the overlap");
		CHECK(ct_target_read(t, DIRECT + 0x1800, buf, 8, &err) == CT_OK &&
		      is_pat(buf, DIRECT + 0x1800, 8, 0x55),
		      "in the overlap the later segment wins");
		CHECK(ct_target_read(t, DIRECT + 0xffc, buf, 8, &err) == CT_OK &&
		      is_pat(buf, DIRECT + 0xffc, 4, 0x66) && is_pat(buf + 4, DIRECT + 0x1000, 4, 0x55),
		      "across the clip");
		CHECK(ct_target_read(t, DIRECT + 0x2ff8, buf, 8, &err) == CT_OK &&
		      is_pat(buf, DIRECT + 0x2ff8, 8, 0x55), "the later segment's tail");
		CHECK(ct_target_read(t, VMALLOC, buf, 8, &err) == CT_ERR_BADADDR,
		      "an empty segment maps nothing");
		CHECK(ct_target_read(t, 0xfffffffffffff800ULL, buf, 8, &err) == CT_ERR_BADADDR,
		      "a wrapping segment maps nothing");
		CHECK(ct_target_read(t, VMALLOC + 0x1000, buf, 8, &err) == CT_ERR_BADADDR,
		      "an off_t-overflowing segment maps nothing");
		ct_target_close(t);
	}

	/* PN_XNUM: the count is in section header 0's sh_info. */
	s = std_spec(INFO_STD);
	build_kcore(&s, &b);
	Elf64_Ehdr eh = get_ehdr(&b);
	eh.e_phnum = PN_XNUM;
	eh.e_shoff = b.len;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 0;
	set_ehdr(&b, &eh);
	Elf64_Shdr sh0 = { .sh_info = 5 };
	put(&b, &sh0, sizeof(sh0));
	path = write_file("pn-xnum", b.p, b.len);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK, "PN_XNUM: %s", err.text);
	if (t) {
		CHECK(ct_target_read(t, VMALLOC, buf, 8, &err) == CT_OK &&
		      is_pat(buf, VMALLOC, 8, 0x40), "PN_XNUM: segments read");
		CHECK_STR(t->osrelease, "6.1.0-kcore-test", "PN_XNUM: notes read");
		ct_target_close(t);
	}
	/* PN_XNUM with an absurd real count. */
	sh0.sh_info = 100000;
	memcpy(b.p + eh.e_shoff, &sh0, sizeof(sh0));
	path = write_file("pn-xnum-absurd", b.p, b.len);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_ERR_CORRUPT && !t &&
	      strstr(err.text, "100000 program headers is not plausible"), "PN_XNUM 100000: %s",
	      err.text);
	/* PN_XNUM without section headers. */
	eh.e_shoff = 0;
	set_ehdr(&b, &eh);
	path = write_file("pn-xnum-noshdr", b.p, b.len);
	CHECK(ct_kcore_open(path, &t, &err) == CT_ERR_CORRUPT && !t &&
	      strstr(err.text, "program header count unreadable"), "PN_XNUM, no shdr: %s",
	      err.text);
	free(b.p);
}

/* Files that are no x86-64 kcore: refused, one sentence each, nothing leaked. */
static void test_refused(void)
{
	struct ct_error err;
	struct ct_target *t;
	struct kspec s = std_spec(INFO_STD);
	struct buf good;
	build_kcore(&s, &good);
	struct {
		const char *name;
		int field;   /* what to break */
		uint64_t value;
		ct_status want;
		const char *says;
	} cases[] = {
		{ "class32", 1, ELFCLASS32, CT_ERR_UNSUPPORTED, "not a 64-bit x86-64 ELF core" },
		{ "bigendian", 2, ELFDATA2MSB, CT_ERR_UNSUPPORTED, "not a 64-bit x86-64 ELF core" },
		{ "exec", 3, ET_EXEC, CT_ERR_UNSUPPORTED, "type 2" },
		{ "aarch64", 4, EM_AARCH64, CT_ERR_UNSUPPORTED, "machine 183" },
		{ "phentsize", 5, 32, CT_ERR_UNSUPPORTED, "not a 64-bit x86-64 ELF core" },
		{ "phnum0", 6, 0, CT_ERR_CORRUPT, "0 program headers is not plausible" },
		{ "phnum60000", 6, 60000, CT_ERR_CORRUPT, "program headers unreadable" },
		{ "phoff", 7, 1ULL << 40, CT_ERR_CORRUPT, "program headers unreadable" },
		{ "magic", 8, 0, CT_ERR_UNSUPPORTED, "is not an ELF core file" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		Elf64_Ehdr eh = get_ehdr(&good);
		switch (cases[i].field) {
		case 1: eh.e_ident[EI_CLASS] = (unsigned char)cases[i].value; break;
		case 2: eh.e_ident[EI_DATA] = (unsigned char)cases[i].value; break;
		case 3: eh.e_type = (Elf64_Half)cases[i].value; break;
		case 4: eh.e_machine = (Elf64_Half)cases[i].value; break;
		case 5: eh.e_phentsize = (Elf64_Half)cases[i].value; break;
		case 6: eh.e_phnum = (Elf64_Half)cases[i].value; break;
		case 7: eh.e_phoff = cases[i].value; break;
		case 8: eh.e_ident[EI_MAG1] = 'X'; break;
		}
		struct buf b = { 0 };
		put(&b, good.p, good.len);
		set_ehdr(&b, &eh);
		const char *path = write_file(cases[i].name, b.p, b.len);
		free(b.p);
		t = NULL;
		ct_error_clear(&err);
		ct_status st = ct_kcore_open(path, &t, &err);
		CHECK(st == cases[i].want && !t && strstr(err.text, path) &&
		      strstr(err.text, cases[i].says), "%s: %s (%s)", cases[i].name,
		      ct_status_name(st), err.text);
	}
	free(good.p);

	/* No loadable segment at all (only the notes). */
	s = std_spec(INFO_STD);
	s.nseg = 0;
	const char *path = write_kcore("no-load", &s);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_ERR_CORRUPT && !t &&
	      strstr(err.text, "no loadable segment"), "no PT_LOAD: %s", err.text);

	/* Not ELF, empty, shorter than an ELF header, a directory. */
	struct { const char *name; const char *data; size_t len; } junk[] = {
		{ "text", "hello, world\n", 13 },
		{ "empty", "", 0 },
		{ "short", "\177ELF\002\001\001", 7 },
	};
	for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
		path = write_file(junk[i].name, junk[i].data, junk[i].len);
		t = NULL;
		ct_status st = ct_kcore_open(path, &t, &err);
		CHECK(st == CT_ERR_UNSUPPORTED && !t && strstr(err.text, path) &&
		      strstr(err.text, "is not an ELF core file"), "%s: %s (%s)", junk[i].name,
		      ct_status_name(st), err.text);
	}
	t = NULL;
	ct_status st = ct_kcore_open(dir, &t, &err);
	CHECK(st != CT_OK && !t && err.text[0], "a directory: %s (%s)", ct_status_name(st),
	      err.text);

	/* No such file: the kernel has no /proc/kcore. */
	char missing[4200];
	snprintf(missing, sizeof(missing), "%s/no-such-kcore", dir);
	t = NULL;
	st = ct_kcore_open(missing, &t, &err);
	CHECK(st == CT_ERR_NOTFOUND && !t && strstr(err.text, "CONFIG_PROC_KCORE") &&
	      strstr(err.text, missing), "missing file: %s (%s)", ct_status_name(st), err.text);

	/* Mode 0000: refused to a user, not to root (who always may open it). */
	path = write_kcore("mode0000", &s);
	chmod(path, 0);
	t = NULL;
	st = ct_kcore_open(path, &t, &err);
	if (geteuid() != 0)
		CHECK(st == CT_ERR_PERM && strstr(err.text, "needs root"), "mode 0000 as a user: %s",
		      err.text);
	else
		printf("note: running as root: the mode-0000 refusal is not tested\n");
	if (t)
		ct_target_close(t);
}

/* Notes that lie about their sizes: ignored, never read past. */
static void test_hostile_notes(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t;
	struct utsname u;
	uname(&u);
	static const char text[] = "OSRELEASE=9.9.9-hostile\nKERNELOFFSET=1e000000\n";
	struct {
		const char *name;
		Elf64_Nhdr first;    /* a note before the VMCOREINFO one */
		bool vmcoreinfo_huge; /* VMCOREINFO's own descsz too large */
		bool found;          /* is the VMCOREINFO note still found */
	} cases[] = {
		{ "sane", { 5, 8, NT_PRSTATUS }, false, true },
		{ "namesz-huge", { 0x7fffffff, 8, NT_PRSTATUS }, false, false },
		{ "namesz-wraps", { 0xffffffff, 8, NT_PRSTATUS }, false, false },
		{ "descsz-huge", { 5, 0x7ffffff0, NT_PRSTATUS }, false, false },
		{ "descsz-wraps", { 5, 0xfffffffe, NT_PRSTATUS }, false, false },
		{ "descsz-past-end", { 5, 4096, NT_PRSTATUS }, false, false },
		{ "own-descsz-huge", { 5, 8, NT_PRSTATUS }, true, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf n = { 0 };
		put(&n, &cases[i].first, sizeof(Elf64_Nhdr));
		put(&n, "CORE", 5);
		pad4(&n);
		put(&n, NULL, 8);
		Elf64_Nhdr vh = { 11, cases[i].vmcoreinfo_huge ? 0x10000 : sizeof(text) - 1, 0 };
		put(&n, &vh, sizeof(vh));
		put(&n, "VMCOREINFO", 11);
		pad4(&n);
		put(&n, text, sizeof(text) - 1);
		pad4(&n);
		struct kspec s = std_spec(NULL);
		s.raw_notes = n.p;
		s.raw_notes_len = n.len;
		const char *path = write_kcore(cases[i].name, &s);
		free(n.p);
		t = NULL;
		ct_status st = ct_kcore_open(path, &t, &err);
		CHECK(st == CT_OK && t, "%s: open: %s", cases[i].name, err.text);
		if (!t)
			continue;
		const char *want = cases[i].found ? "9.9.9-hostile" : u.release;
		CHECK(strcmp(t->osrelease, want) == 0, "%s: osrelease \"%s\", want \"%s\"",
		      cases[i].name, t->osrelease, want);
		unsigned char buf[8];
		CHECK(ct_target_read(t, DIRECT, buf, 8, &err) == CT_OK, "%s: still reads",
		      cases[i].name);
		ct_target_close(t);
	}

	/* A PT_NOTE larger than the file, or than any kcore's notes: skipped. */
	const uint64_t sizes[] = { 1ULL << 19, 1ULL << 21, UINT64_MAX };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		struct kspec s = std_spec(text);
		s.notes_filesz = sizes[i];
		const char *path = write_kcore("notes-too-big", &s);
		t = NULL;
		CHECK(ct_kcore_open(path, &t, &err) == CT_OK && t &&
		      strcmp(t->osrelease, u.release) == 0, "PT_NOTE of %#llx bytes: %s",
		      (unsigned long long)sizes[i], t ? t->osrelease : err.text);
		if (t)
			ct_target_close(t);
	}

	/* No VMCOREINFO (before 4.19), or an OSRELEASE too long for
	 * utsname: the running system's release. Two VMCOREINFO notes: the
	 * first counts. */
	struct kspec s = std_spec(NULL);
	const char *path = write_kcore("no-vmcoreinfo", &s);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK && t && strcmp(t->osrelease, u.release) == 0,
	      "no VMCOREINFO: osrelease %s", t ? t->osrelease : err.text);
	if (t)
		ct_target_close(t);
	char longrel[200];
	snprintf(longrel, sizeof(longrel), "OSRELEASE=%070d\n", 6);
	s = std_spec(longrel);
	path = write_kcore("long-osrelease", &s);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK && t && strcmp(t->osrelease, u.release) == 0,
	      "OSRELEASE of 70 characters: osrelease %s", t ? t->osrelease : err.text);
	if (t)
		ct_target_close(t);
	struct buf n = { 0 };
	note(&n, "VMCOREINFO", 0, "OSRELEASE=first\n", 16);
	note(&n, "VMCOREINFO", 0, "OSRELEASE=second\n", 17);
	s = std_spec(NULL);
	s.raw_notes = n.p;
	s.raw_notes_len = n.len;
	path = write_kcore("two-vmcoreinfo", &s);
	free(n.p);
	t = NULL;
	CHECK(ct_kcore_open(path, &t, &err) == CT_OK && t && strcmp(t->osrelease, "first") == 0,
	      "two VMCOREINFO notes: osrelease %s", t ? t->osrelease : err.text);
	if (t)
		ct_target_close(t);
}

/* --- attaching a vmlinux ------------------------------------------------------ */

static struct ct_target *open_kcore(const char *what, const char *vmcoreinfo)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	struct kspec s = std_spec(vmcoreinfo);
	if (ct_kcore_open(write_kcore(what, &s), &t, &err) != CT_OK) {
		printf("FAIL %s: open: %s\n", what, err.text);
		harness_failed++;
		return NULL;
	}
	return t;
}

static const char *kallsyms(const char *what, const char *text)
{
	return write_file(what, text, strlen(text));
}

/* What the last successful attach() made: the symbols, where their
 * offset came from, and a program over the kcore Target and them. */
static struct ct_vmlinux_syms *SYMS;
static const char *SOURCE = "";
static struct ct_program PROG;

static void detach(struct ct_target *t)
{
	ct_vmlinux_syms_close(SYMS);
	SYMS = NULL;
	SOURCE = "";
	ct_target_close(t);
}

static void check_sym(struct ct_target *t, const char *name, uint64_t want, const char *what)
{
	struct ct_error err = { 0 };
	uint64_t a = 0;
	(void)t;
	ct_status st = ct_program_symbol(&PROG, name, &a, &err);
	CHECK(st == CT_OK && a == want, "%s: %s at %#llx (%s), want %#llx", what, name,
	      (unsigned long long)a, st ? err.text : "ok", (unsigned long long)want);
}

/* attach: the status it returns, its sentence in err. */
static ct_status attach(const char *what, const char *vmcoreinfo, const char *vmlinux,
			const char *ksyms, struct ct_error *err, struct ct_target **keep)
{
	struct ct_target *t = open_kcore(what, vmcoreinfo);
	if (!t)
		return CT_ERR_IO;
	ct_error_clear(err);
	struct ct_vmlinux_syms *syms = NULL;
	const char *source = "";
	ct_status st = ct_kcore_vmlinux_syms(t, vmlinux, ksyms, &syms, &source, err);
	if (st == CT_OK && keep) {
		SYMS = syms;
		SOURCE = source;
		ct_program_init(&PROG, t);
		ct_program_add_symbols(&PROG, "vmlinux", ct_vmlinux_syms_find, syms, NULL);
	} else {
		ct_vmlinux_syms_close(syms);
	}
	if (keep)
		*keep = t;
	else
		ct_target_close(t);
	return st;
}

static void test_attach_synthetic(const char *synth)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	/* Its build-id and the link-time value of a symbol, read from the file. */
	struct ct_elf *elf = NULL;
	struct ct_strmap *syms = NULL;
	char id[129] = "", info[512];
	uint64_t main_at = 0;
	if (ct_elf_open(synth, &elf, &err) == CT_OK) {
		ct_elf_build_id_hex(elf, id, sizeof(id));
		if (ct_elf_symbols(elf, &syms, &err) == CT_OK) {
			const struct ct_strmap_value *v = ct_strmap_get(syms, "main", 4);
			main_at = v ? v->a : 0;
			CHECK(!ct_strmap_get(syms, "_stext", 6), "the synthetic vmlinux has no _stext");
			ct_strmap_free(syms);
		}
		ct_elf_close(elf);
	}
	CHECK(id[0] && main_at && main_at < 0xffffffff80000000ULL,
	      "%s: build-id \"%s\", main at %#llx (low)", synth, id, (unsigned long long)main_at);

	/* VMCOREINFO's offset is applied to image symbols only: main is low. */
	snprintf(info, sizeof(info), "OSRELEASE=6.1.0-synth\nBUILD-ID=%s\nKERNELOFFSET=%llx\n", id,
		 (unsigned long long)OFFSET);
	CHECK(attach("synth-vmcoreinfo", info, synth, "/nonexistent", &err, &t) == CT_OK,
	      "synthetic vmlinux with VMCOREINFO: %s", err.text);
	if (t) {
		CHECK_STR(SOURCE, "vmcoreinfo", "offset source");
		check_sym(t, "main", main_at, "a low symbol does not move");
		uint64_t a;
		CHECK(ct_program_symbol(&PROG, "no_such_symbol", &a, &err) == CT_ERR_NOTFOUND,
		      "missing symbol");
		detach(t);
		t = NULL;
	}
	/* Another kernel's build-id. */
	ct_status st = attach("synth-other-id",
			      "OSRELEASE=6.1.0-other\nBUILD-ID=0123456789abcdef0123456789abcdef01234567\n"
			      "KERNELOFFSET=0\n", synth, "/nonexistent", &err, NULL);
	CHECK(st == CT_ERR_MISMATCH && strstr(err.text, "the running kernel") &&
	      strstr(err.text, id) && strstr(err.text, "6.1.0-other"),
	      "another kernel's build-id: %s (%s)", ct_status_name(st), err.text);
	/* No VMCOREINFO: kallsyms's _stext is needed, and this vmlinux has none. */
	const char *ks = kallsyms("kallsyms-ok", "ffffffff9a000000 T _stext\n");
	st = attach("synth-no-vmcoreinfo", NULL, synth, ks, &err, NULL);
	CHECK(st == CT_ERR_NOTFOUND && strstr(err.text, "_stext") && strstr(err.text, synth),
	      "no _stext in the vmlinux: %s (%s)", ct_status_name(st), err.text);
	/* A vmlinux that does not exist, or is not ELF. */
	st = attach("synth-missing", info, "/nonexistent/vmlinux", ks, &err, NULL);
	CHECK(st == CT_ERR_NOTFOUND && strstr(err.text, "/nonexistent/vmlinux"),
	      "missing vmlinux: %s (%s)", ct_status_name(st), err.text);
	st = attach("synth-not-elf", info, ks, ks, &err, NULL);
	CHECK(st == CT_ERR_UNSUPPORTED, "a text file as vmlinux: %s (%s)", ct_status_name(st),
	      err.text);
}

static void test_attach_mini(void)
{
	struct ct_error err = { 0 };
	struct ct_target *t = NULL;
	const char *vml = write_mini_vmlinux("mini.vmlinux", true);
	const char *noid = write_mini_vmlinux("mini-noid.vmlinux", false);

	/* VMCOREINFO: KERNELOFFSET moves the image; SYMBOL(init_uts_ns) agrees. */
	CHECK(attach("mini-vmcoreinfo", INFO_STD, vml, "/nonexistent", &err, &t) == CT_OK,
	      "VMCOREINFO: %s", err.text);
	if (t) {
		CHECK_STR(SOURCE, "vmcoreinfo", "offset source");
		check_sym(t, "_stext", V_STEXT + OFFSET, "VMCOREINFO");
		check_sym(t, "init_uts_ns", V_UTS + OFFSET, "VMCOREINFO");
		check_sym(t, "fixed_percpu_data", V_LOW, "VMCOREINFO: a low symbol");
		check_sym(t, "abs_marker", V_ABS, "VMCOREINFO: an absolute symbol");
		/* The moved symbol lands in the kcore's text segment. */
		uint64_t v = 0;
		unsigned char want[8];
		for (int i = 0; i < 8; i++)
			want[i] = pat(RTEXT + (uint64_t)i, 0x30);
		CHECK(ct_program_symbol_u64(&PROG, "_stext", &v, &err) == CT_OK &&
		      memcmp(&v, want, 8) == 0, "reading _stext through its moved address: %s",
		      err.text);
		detach(t);
		t = NULL;
	}
	/* KERNELOFFSET=0 (nokaslr), no build-id published (before 5.9). */
	CHECK(attach("mini-nokaslr", "OSRELEASE=5.4.0\nKERNELOFFSET=0\n"
		     "SYMBOL(init_uts_ns)=ffffffff82612340\n", vml, "/nonexistent", &err, &t) == CT_OK,
	      "nokaslr: %s", err.text);
	if (t) {
		check_sym(t, "_stext", V_STEXT, "nokaslr");
		detach(t);
		t = NULL;
	}
	/* SYMBOL(init_uts_ns) elsewhere: this vmlinux is not that kernel's. */
	ct_status st = attach("mini-bad-uts",
			      "OSRELEASE=6.1.0-x\nKERNELOFFSET=1e000000\n"
			      "SYMBOL(init_uts_ns)=ffffffffa0612380\n", vml, "/nonexistent", &err, NULL);
	CHECK(st == CT_ERR_MISMATCH && strstr(err.text, "init_uts_ns") &&
	      strstr(err.text, "VMCOREINFO") && strstr(err.text, "0xffffffffa0612380") &&
	      strstr(err.text, "0xffffffffa0612340"), "init_uts_ns elsewhere: %s (%s)",
	      ct_status_name(st), err.text);
	/* A build-id the vmlinux does not have, and a vmlinux without one. */
	st = attach("mini-other-id", "BUILD-ID=ffff\nKERNELOFFSET=0\n", vml, "/nonexistent", &err,
		    NULL);
	CHECK(st == CT_ERR_MISMATCH && strstr(err.text, MINI_ID_HEX), "other build-id: %s",
	      err.text);
	CHECK(attach("mini-noid", INFO_STD, noid, "/nonexistent", &err, NULL) == CT_OK,
	      "a vmlinux without build-id is not refused for it: %s", err.text);

	/* No VMCOREINFO (or none with KERNELOFFSET): kallsyms's _stext. */
	const char *ks = kallsyms("kallsyms", "ffffffff9a000000 T _stext\n"
				  "ffffffff9a000100 t some_function\n"
				  "ffffffff9b612340 D init_uts_ns\n"
				  "ffffffffc0a01000 t nf_ct_foo\t[nf_conntrack]\n");
	const uint64_t koff = 0xffffffff9a000000ULL - V_STEXT;
	CHECK(attach("mini-kallsyms", NULL, vml, ks, &err, &t) == CT_OK, "kallsyms: %s", err.text);
	if (t) {
		CHECK_STR(SOURCE, "kallsyms", "offset source");
		check_sym(t, "_stext", V_STEXT + koff, "kallsyms");
		check_sym(t, "init_uts_ns", V_UTS + koff, "kallsyms");
		check_sym(t, "fixed_percpu_data", V_LOW, "kallsyms: a low symbol");
		detach(t);
		t = NULL;
	}
	CHECK(attach("mini-no-kerneloffset", "OSRELEASE=4.19.0\n", vml, ks, &err, &t) == CT_OK,
	      "VMCOREINFO without KERNELOFFSET: %s", err.text);
	if (t) {
		CHECK_STR(SOURCE, "kallsyms", "falls back to kallsyms");
		check_sym(t, "_stext", V_STEXT + koff, "kallsyms fallback");
		detach(t);
		t = NULL;
	}
	ks = kallsyms("kallsyms-no-uts", "ffffffff9a000000 T _stext\n");
	CHECK(attach("mini-kallsyms-no-uts", NULL, vml, ks, &err, NULL) == CT_OK,
	      "kallsyms without init_uts_ns: no check, no failure: %s", err.text);
	ks = kallsyms("kallsyms-bad-uts", "ffffffff9a000000 T _stext\n"
		      "ffffffff9b000000 D init_uts_ns\n");
	st = attach("mini-kallsyms-bad-uts", NULL, vml, ks, &err, NULL);
	CHECK(st == CT_ERR_MISMATCH && strstr(err.text, "init_uts_ns") && strstr(err.text, ks),
	      "kallsyms's init_uts_ns elsewhere: %s (%s)", ct_status_name(st), err.text);
	/* kptr_restrict: every address reads 0. */
	ks = kallsyms("kallsyms-hidden", "0000000000000000 T _stext\n"
		      "0000000000000000 D init_uts_ns\n");
	st = attach("mini-kallsyms-hidden", NULL, vml, ks, &err, NULL);
	CHECK(st == CT_ERR_PERM && strstr(err.text, "kptr_restrict") &&
	      strstr(err.text, "VMCOREINFO"), "hidden addresses: %s (%s)", ct_status_name(st),
	      err.text);
	/* No _stext line, a similar name only, no file. */
	ks = kallsyms("kallsyms-no-stext", "ffffffff9a000000 T _stext_other\n"
		      "ffffffff9a000000 T stext\n");
	st = attach("mini-kallsyms-no-stext", NULL, vml, ks, &err, NULL);
	CHECK(st == CT_ERR_NOTFOUND && strstr(err.text, "has no _stext") &&
	      strstr(err.text, "KASLR"), "kallsyms without _stext: %s (%s)", ct_status_name(st),
	      err.text);
	st = attach("mini-kallsyms-missing", NULL, vml, "/nonexistent/kallsyms", &err, NULL);
	CHECK(st == CT_ERR_NOTFOUND && strstr(err.text, "/nonexistent/kallsyms"),
	      "no kallsyms file: %s (%s)", ct_status_name(st), err.text);
	/* Lines that are not "ADDR TYPE NAME" are skipped. */
	ks = kallsyms("kallsyms-junk", "\n garbage\nzzzz T _stext\nffffffff9a000000 T _stext\n");
	CHECK(attach("mini-kallsyms-junk", NULL, vml, ks, &err, &t) == CT_OK, "junk lines: %s",
	      err.text);
	if (t) {
		check_sym(t, "_stext", V_STEXT + koff, "junk lines");
		detach(t);
	}
}

/* --- the ELF file reader on hostile files (found by tests/fuzz/fuzz_parse) ---- */

/* A copy of file `from` with len bytes at off replaced by bytes. */
static const char *patched_copy(const char *what, const char *from, uint64_t off,
				const void *bytes, size_t len)
{
	struct stat st;
	int fd = open(from, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0 || off + len > (uint64_t)st.st_size)
		abort();
	unsigned char *b = malloc((size_t)st.st_size);
	if (!b || read(fd, b, (size_t)st.st_size) != st.st_size)
		abort();
	close(fd);
	memcpy(b + off, bytes, len);
	const char *p = write_file(what, b, (size_t)st.st_size);
	free(b);
	return p;
}

static void test_elf_hostile(void)
{
	enum { SH_STR = 3 }; /* write_mini_vmlinux's .strtab */
	struct ct_error err = { 0 };
	struct ct_elf *e = NULL;
	struct ct_strmap *syms = NULL;
	const char *vml = write_mini_vmlinux("elf-ok.vmlinux", true);
	CHECK(ct_elf_open(vml, &e, &err) == CT_OK, "mini vmlinux opens: %s", err.text);
	if (!e)
		return;
	CHECK(ct_elf_symbols(e, &syms, &err) == CT_OK && syms &&
	      ct_strmap_get(syms, "init_uts_ns", strlen("init_uts_ns")), "its symbols: %s",
	      err.text);
	ct_strmap_free(syms);
	Elf64_Ehdr eh;
	memcpy(&eh, e->map, sizeof(eh));
	ct_elf_close(e);
	/* .symtab links to a string table that holds no bytes (SHT_NULL,
	 * SHT_NOBITS), whose offset and size lie far outside the file: the
	 * section checks skip such sections, so the symbol reader must check
	 * what it reads (it read past the mapping). */
	static const uint32_t types[] = { SHT_NULL, SHT_NOBITS };
	for (int v = 0; v < 2; v++) {
		Elf64_Shdr sh = { .sh_name = 19, .sh_type = types[v], .sh_offset = 0x1000000,
				  .sh_size = 0x1e00030000000000ULL };
		const char *p = patched_copy(v ? "elf-nobits-strtab" : "elf-null-strtab", vml,
					     eh.e_shoff + SH_STR * sizeof(Elf64_Shdr), &sh, sizeof(sh));
		e = NULL;
		syms = NULL;
		CHECK(ct_elf_open(p, &e, &err) == CT_OK, "%s string table: opens: %s",
		      v ? "NOBITS" : "NULL", err.text);
		if (!e)
			continue;
		ct_status st = ct_elf_symbols(e, &syms, &err);
		CHECK(st == CT_ERR_CORRUPT && !syms && strstr(err.text, "bad symbol string table"),
		      "%s string table outside the file: %s (%s)", v ? "NOBITS" : "NULL",
		      ct_status_name(st), err.text);
		ct_strmap_free(syms);
		ct_elf_close(e);
	}
}

/* --- main ---------------------------------------------------------------------- */

static void cleanup(void)
{
	for (int i = 0; i < nfile; i++) {
		unlink(files[i]);
		free(files[i]);
	}
	if (rmdir(dir) != 0)
		printf("FAIL cleanup: rmdir %s: %s\n", dir, strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s GEN61.vmlinux [SCRATCH_DIR]\n", argv[0]);
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/kcore-XXXXXX", argc == 3 ? argv[2] : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return 2;
	}
	test_vmcoreinfo_get();
	test_open_and_read();
	test_truncated();
	test_layouts();
	test_refused();
	test_hostile_notes();
	test_attach_synthetic(argv[1]);
	test_attach_mini();
	test_elf_hostile();
	cleanup();
	return harness_done("kcore target");
}
