#include "kernel/modcheck.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

#define MAX_NOTES 64
#define MAX_NOTE_BYTES 1024

/* Find NT_GNU_BUILD_ID "GNU" in a note section's bytes. */
static int note_build_id(const unsigned char *b, size_t n, char *hex, size_t size)
{
	size_t pos = 0;
	while (pos + sizeof(Elf64_Nhdr) <= n) {
		Elf64_Nhdr nh;
		memcpy(&nh, b + pos, sizeof(nh));
		size_t name = pos + sizeof(nh);
		size_t desc = name + ((nh.n_namesz + 3u) & ~3u);
		size_t next = desc + ((nh.n_descsz + 3u) & ~3u);
		if (next > n || next <= pos)
			return -1;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    memcmp(b + name, "GNU", 4) == 0 && nh.n_descsz * 2 < size) {
			for (size_t i = 0; i < nh.n_descsz; i++)
				snprintf(hex + 2 * i, size - 2 * i, "%02x", b[desc + i]);
			return 0;
		}
		pos = next;
	}
	return -1;
}

ct_status ct_module_build_id(struct ct_target *t, const struct ct_layout *l,
			     uint64_t mod, char *hex, size_t size,
			     struct ct_error *err)
{
	static const enum ct_layout_id need[] = {
		CTL_MODULE_NOTES_ATTRS, CTL_NOTES_ATTRS_ATTRS,
		CTL_BIN_ATTRIBUTE, CTL_BIN_ATTRIBUTE_NAME, CTL_BIN_ATTRIBUTE_SIZE,
		CTL_BIN_ATTRIBUTE_PRIVATE,
	};
	/* How many notes: module_notes_attrs.notes, or (7.x, which dropped
	 * the count) the NULL-terminated grp.bin_attrs pointer array. */
	bool counted = ct_layout_has(l, CTL_NOTES_ATTRS_NOTES);
	if (!counted && !ct_layout_has(l, CTL_NOTES_ATTRS_BIN_ATTRS))
		return ct_fail(err, CT_ERR_UNSUPPORTED, "module notes are not described (%s)",
			       ct_layout_defs[CTL_NOTES_ATTRS_NOTES].question);
	for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++)
		if (!ct_layout_has(l, need[i]))
			return ct_fail(err, CT_ERR_UNSUPPORTED, "module notes are not described (%s)",
				       ct_layout_defs[need[i]].question);
	uint64_t notes;
	uint32_t n;
	ct_status st = ct_target_read_u64(t, mod + (uint64_t)ct_layout_val(l, CTL_MODULE_NOTES_ATTRS),
					  &notes, err);
	if (st)
		return st;
	if (!notes)
		return ct_fail(err, CT_ERR_NOTFOUND, "the module keeps no notes");
	uint64_t bin_attrs = 0;
	if (counted) {
		if ((st = ct_target_read_u32(t, notes + (uint64_t)ct_layout_val(l, CTL_NOTES_ATTRS_NOTES),
					     &n, err)))
			return st;
		if (n > MAX_NOTES)
			return ct_fail(err, CT_ERR_CORRUPT, "%u note sections", n);
	} else {
		if ((st = ct_target_read_u64(t, notes + (uint64_t)ct_layout_val(l, CTL_NOTES_ATTRS_BIN_ATTRS),
					     &bin_attrs, err)))
			return st;
		n = MAX_NOTES + 1; /* until the NULL pointer */
	}
	uint64_t stride = (uint64_t)ct_layout_val(l, CTL_BIN_ATTRIBUTE);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = notes + (uint64_t)ct_layout_val(l, CTL_NOTES_ATTRS_ATTRS) + i * stride;
		if (!counted) {
			if (i == MAX_NOTES)
				return ct_fail(err, CT_ERR_CORRUPT, "more than %u note sections", MAX_NOTES);
			if ((st = ct_target_read_u64(t, bin_attrs + 8ull * i, &a, err)))
				return st;
			if (!a)
				break;
		}
		uint64_t name_ptr, priv, len;
		char name[32] = "";
		if ((st = ct_target_read_u64(t, a + (uint64_t)ct_layout_val(l, CTL_BIN_ATTRIBUTE_NAME), &name_ptr, err)) ||
		    (st = ct_target_read(t, name_ptr, name, sizeof(name) - 1, err)))
			return st;
		if (strcmp(name, ".note.gnu.build-id") != 0)
			continue;
		if ((st = ct_target_read_u64(t, a + (uint64_t)ct_layout_val(l, CTL_BIN_ATTRIBUTE_PRIVATE), &priv, err)) ||
		    (st = ct_target_read_u64(t, a + (uint64_t)ct_layout_val(l, CTL_BIN_ATTRIBUTE_SIZE), &len, err)))
			return st;
		unsigned char buf[MAX_NOTE_BYTES];
		if (len > sizeof(buf))
			return ct_fail(err, CT_ERR_CORRUPT, "a build-id note of %llu bytes",
				       (unsigned long long)len);
		if ((st = ct_target_read(t, priv, buf, len, err)))
			return st;
		if (note_build_id(buf, len, hex, size) == 0)
			return CT_OK;
		return ct_fail(err, CT_ERR_CORRUPT, "the module's build-id note is malformed");
	}
	return ct_fail(err, CT_ERR_NOTFOUND, "the module has no build-id note");
}
