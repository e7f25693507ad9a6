/* elf_file.h — a read-only, bounds-checked view of one 64-bit ELF file.
 *
 * Used to identify debug files (type, GNU build-id) and to hand section bytes
 * to the DWARF reader. It maps the file privately; every header and section is
 * checked against the file size before use, because debug files can be
 * truncated or simply not ELF.
 */
#ifndef CTLEAK_ELF_FILE_H
#define CTLEAK_ELF_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/ct_error.h"

struct ct_elf_section {
	const char *name;
	uint32_t type;   /* sh_type */
	uint64_t flags;  /* sh_flags */
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link, info;
	uint64_t entsize;
};

struct ct_elf {
	char *path;
	unsigned char *map;       /* private writable mapping of the file */
	size_t map_size;
	uint16_t type;            /* ET_REL, ET_EXEC, ET_DYN */
	uint16_t machine;
	struct ct_elf_section *sections;
	size_t nsections;
	unsigned char build_id[64];
	size_t build_id_len;      /* 0: the file has no GNU build-id note */
};

ct_status ct_elf_open(const char *path, struct ct_elf **out,
		      struct ct_error *err);
void ct_elf_close(struct ct_elf *elf);

const struct ct_elf_section *ct_elf_section_by_name(const struct ct_elf *elf,
						    const char *name);

struct ct_strmap;
/* Every defined symbol of .symtab: name -> {st_value, st_shndx}. The first
 * definition of a name wins (local duplicates are rare and irrelevant here).
 * Sized from the file, so capped by it. */
ct_status ct_elf_symbols(const struct ct_elf *elf, struct ct_strmap **out,
			 struct ct_error *err);

/* Lower-case hex of the build-id into buf (at least 129 bytes); "" if none. */
void ct_elf_build_id_hex(const struct ct_elf *elf, char *buf, size_t size);

#endif
