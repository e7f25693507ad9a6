#include "base/elf_file.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strmap.h"

/* Does [off, off+len) lie inside the file? */
static int in_file(const struct ct_elf *elf, uint64_t off, uint64_t len)
{
	return off <= elf->map_size && len <= elf->map_size - off;
}

static void read_build_id(struct ct_elf *elf, const struct ct_elf_section *s)
{
	uint64_t pos = s->offset, end = s->offset + s->size;
	while (pos + sizeof(Elf64_Nhdr) <= end) {
		Elf64_Nhdr nh;
		memcpy(&nh, elf->map + pos, sizeof(nh));
		uint64_t name_off = pos + sizeof(nh);
		uint64_t desc_off = name_off + ((nh.n_namesz + 3ULL) & ~3ULL);
		uint64_t next = desc_off + ((nh.n_descsz + 3ULL) & ~3ULL);
		if (next > end || next <= pos)
			return;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp(elf->map + name_off, "GNU", 4) == 0 &&
		    nh.n_descsz > 0 && nh.n_descsz <= sizeof(elf->build_id)) {
			memcpy(elf->build_id, elf->map + desc_off, nh.n_descsz);
			elf->build_id_len = nh.n_descsz;
			return;
		}
		pos = next;
	}
}

static ct_status parse(struct ct_elf *elf, struct ct_error *err)
{
	const char *path = elf->path;
	if (elf->map_size < sizeof(Elf64_Ehdr) ||
	    memcmp(elf->map, ELFMAG, SELFMAG) != 0)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "%s is not an ELF file",
			       path);
	Elf64_Ehdr eh;
	memcpy(&eh, elf->map, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "%s is not a 64-bit little-endian ELF file", path);
	elf->type = eh.e_type;
	elf->machine = eh.e_machine;
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 ||
	    !in_file(elf, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr)))
		return ct_fail(err, CT_ERR_CORRUPT,
			       "%s: section headers lie outside the file (truncated?)",
			       path);
	if (eh.e_shstrndx >= eh.e_shnum)
		return ct_fail(err, CT_ERR_CORRUPT,
			       "%s: bad section-name table index", path);

	elf->nsections = eh.e_shnum;
	elf->sections = calloc(elf->nsections, sizeof(*elf->sections));
	if (!elf->sections)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");

	Elf64_Shdr strtab;
	memcpy(&strtab, elf->map + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr),
	       sizeof(strtab));
	if (!in_file(elf, strtab.sh_offset, strtab.sh_size) || strtab.sh_size == 0)
		return ct_fail(err, CT_ERR_CORRUPT,
			       "%s: section-name table lies outside the file", path);
	const char *names = (const char *)elf->map + strtab.sh_offset;

	for (size_t i = 0; i < elf->nsections; i++) {
		Elf64_Shdr sh;
		memcpy(&sh, elf->map + eh.e_shoff + i * sizeof(Elf64_Shdr),
		       sizeof(sh));
		struct ct_elf_section *s = &elf->sections[i];
		/* A name must end inside the table; else it is nameless. */
		s->name = "";
		if (sh.sh_name < strtab.sh_size &&
		    memchr(names + sh.sh_name, '\0', strtab.sh_size - sh.sh_name))
			s->name = names + sh.sh_name;
		s->type = sh.sh_type;
		s->flags = sh.sh_flags;
		s->addr = sh.sh_addr;
		s->offset = sh.sh_offset;
		s->size = sh.sh_size;
		s->link = sh.sh_link;
		s->info = sh.sh_info;
		s->entsize = sh.sh_entsize;
		if (s->type != SHT_NOBITS && s->type != SHT_NULL &&
		    !in_file(elf, s->offset, s->size))
			return ct_fail(err, CT_ERR_CORRUPT,
				       "%s: section %s lies outside the file (truncated?)",
				       path, s->name);
		if (s->type == SHT_NOTE && elf->build_id_len == 0)
			read_build_id(elf, s);
	}
	return CT_OK;
}

ct_status ct_elf_open(const char *path, struct ct_elf **out,
		      struct ct_error *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ct_fail(err, errno == ENOENT ? CT_ERR_NOTFOUND : CT_ERR_IO,
			       "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ct_fail(err, CT_ERR_IO, "%s is not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return ct_fail(err, CT_ERR_UNSUPPORTED, "%s is empty", path);
	}
	struct ct_elf *elf = calloc(1, sizeof(*elf));
	if (!elf) {
		close(fd);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	elf->path = strdup(path);
	elf->map_size = (size_t)st.st_size;
	/* Private and writable: libdwarf may relocate sections in place; the
	 * file itself is never changed. */
	void *map = mmap(NULL, elf->map_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED || !elf->path) {
		if (map != MAP_FAILED)
			munmap(map, elf->map_size);
		free(elf->path);
		free(elf);
		return ct_fail(err, CT_ERR_IO, "cannot map %s", path);
	}
	elf->map = map;
	ct_status rc = parse(elf, err);
	if (rc) {
		ct_elf_close(elf);
		return rc;
	}
	*out = elf;
	return CT_OK;
}

void ct_elf_close(struct ct_elf *elf)
{
	if (!elf)
		return;
	if (elf->map)
		munmap(elf->map, elf->map_size);
	free(elf->sections);
	free(elf->path);
	free(elf);
}

const struct ct_elf_section *ct_elf_section_by_name(const struct ct_elf *elf,
						    const char *name)
{
	for (size_t i = 0; i < elf->nsections; i++)
		if (strcmp(elf->sections[i].name, name) == 0)
			return &elf->sections[i];
	return NULL;
}

void ct_elf_build_id_hex(const struct ct_elf *elf, char *buf, size_t size)
{
	size_t pos = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < elf->build_id_len && pos + 3 <= size; i++)
		pos += (size_t)snprintf(buf + pos, size - pos, "%02x",
					elf->build_id[i]);
}

ct_status ct_elf_symbols(const struct ct_elf *elf, struct ct_strmap **out,
			 struct ct_error *err)
{
	const struct ct_elf_section *sym = NULL;
	for (size_t i = 0; i < elf->nsections && !sym; i++)
		if (elf->sections[i].type == SHT_SYMTAB)
			sym = &elf->sections[i];
	if (!sym)
		return ct_fail(err, CT_ERR_NOTFOUND, "%s has no symbol table", elf->path);
	/* parse() checks only sections that hold bytes: a link to a NOBITS or
	 * NULL section names an offset and size that may lie outside the file. */
	const struct ct_elf_section *str =
		sym->link < elf->nsections ? &elf->sections[sym->link] : NULL;
	if (!str || !in_file(elf, str->offset, str->size))
		return ct_fail(err, CT_ERR_CORRUPT, "%s: bad symbol string table", elf->path);
	uint64_t n = sym->size / sizeof(Elf64_Sym);
	/* Sized at once: the symbol table is in the file, n is bounded by it. */
	struct ct_strmap *m = ct_strmap_new();
	if (!m || ct_strmap_reserve(m, n) < 0) {
		ct_strmap_free(m);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	for (uint64_t i = 1; i < n; i++) {
		Elf64_Sym s;
		memcpy(&s, elf->map + sym->offset + i * sizeof(s), sizeof(s));
		if (s.st_shndx == SHN_UNDEF || s.st_name >= str->size)
			continue;
		const char *name = (const char *)elf->map + str->offset + s.st_name;
		size_t len = strnlen(name, str->size - s.st_name);
		if (len == 0 || len == str->size - s.st_name)
			continue;
		if (ct_strmap_add(m, name, len,
				  (struct ct_strmap_value){ s.st_value, s.st_shndx }) < 0) {
			ct_strmap_free(m);
			return ct_fail(err, CT_ERR_NOMEM, "out of memory");
		}
	}
	*out = m;
	return CT_OK;
}
