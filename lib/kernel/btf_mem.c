/* btf_mem.c — the kernel's own BTF from its memory or /sys/kernel/btf
 * (btf_mem.h). */
#include "kernel/btf_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/chain.h"

#define BTF_NAME_LEN 56 /* MODULE_NAME_LEN: struct btf's name[] */

/* The size a BTF header (struct btf_header) describes must be the size
 * the kernel gave: the kernel's own btf_check_sec_info refuses BTF with
 * bytes past its sections or sections past its end, so what it loaded
 * has neither. Checked before the blob is allocated: a garbage size under
 * CT_BTF_MAX_SIZE made a 200 MiB allocation before any byte was seen. */
static ct_status check_header(const struct ct_program *p, const char *name, uint64_t addr,
			      uint64_t size, struct ct_error *err)
{
	uint32_t h[6]; /* magic|version|flags, hdr_len, type_off, type_len, str_off, str_len */
	struct ct_error e = { 0 };
	ct_status st = ct_target_read(p->mem, addr, h, sizeof(h), &e);
	if (st)
		return ct_fail_at(err, st, e.addr ? e.addr : addr, "the BTF of %s (%llu bytes at "
				  "%#llx) is unreadable: %s", name, (unsigned long long)size,
				  (unsigned long long)addr, e.text);
	if ((h[0] & 0xffff) != 0xeb9f)
		return ct_fail_at(err, CT_ERR_CORRUPT, addr, "the BTF of %s at %#llx is not BTF "
				  "(magic %#x, not 0xeb9f)", name, (unsigned long long)addr,
				  h[0] & 0xffff);
	uint32_t hdr_len = h[1], type_off = h[2], type_len = h[3], str_off = h[4], str_len = h[5];
	uint64_t types = (uint64_t)type_off + type_len, strs = (uint64_t)str_off + str_len;
	uint64_t total = hdr_len + (types > strs ? types : strs);
	if (total != size)
		return ct_fail_at(err, CT_ERR_CORRUPT, addr, "the BTF of %s at %#llx is %llu bytes, "
				  "but its header describes %llu", name, (unsigned long long)addr,
				  (unsigned long long)size, (unsigned long long)total);
	return CT_OK;
}

static ct_status read_blob(const struct ct_program *p, const char *name, uint64_t addr,
			   uint64_t size, struct ct_btf_blob *out, struct ct_error *err)
{
	memset(out, 0, sizeof(*out));
	if (size == 0 || size > CT_BTF_MAX_SIZE)
		return ct_fail_at(err, CT_ERR_CORRUPT, addr, "the BTF of %s says it is %llu bytes "
				  "(at most %u are read)", name, (unsigned long long)size,
				  CT_BTF_MAX_SIZE);
	ct_status st = check_header(p, name, addr, size, err);
	if (st)
		return st;
	unsigned char *data = malloc(size);
	if (!data)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	struct ct_error e = { 0 };
	st = ct_target_read(p->mem, addr, data, size, &e);
	if (st) {
		free(data);
		return ct_fail_at(err, st, e.addr ? e.addr : addr, "the BTF of %s (%llu bytes at "
				  "%#llx) is unreadable: %s", name, (unsigned long long)size,
				  (unsigned long long)addr, e.text);
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->data = data;
	out->size = size;
	return CT_OK;
}

ct_status ct_btf_read_vmlinux(const struct ct_program *p, struct ct_btf_blob *out,
			      struct ct_error *err)
{
	uint64_t start, stop;
	if (ct_program_symbol(p, "__start_BTF", &start, NULL) != CT_OK ||
	    ct_program_symbol(p, "__stop_BTF", &stop, NULL) != CT_OK)
		return ct_fail(err, CT_ERR_NOTFOUND, "the kernel carries no BTF (no __start_BTF "
			       "symbol: built without CONFIG_DEBUG_INFO_BTF)");
	if (stop <= start)
		return ct_fail_at(err, CT_ERR_CORRUPT, start, "__stop_BTF (%#llx) is not past "
				  "__start_BTF (%#llx)", (unsigned long long)stop,
				  (unsigned long long)start);
	return read_blob(p, "vmlinux", start, stop - start, out, err);
}

static uint64_t off(const struct ct_layout *l, enum ct_layout_id id)
{
	return (uint64_t)ct_layout_val(l, id);
}

/* The struct btf of one btf_modules node whose name is module: 1 found
 * (*btf set), 0 another module's, or the read's error. */
static int node_btf(const struct ct_program *p, const struct ct_layout *lv, uint64_t node,
		    const char *module, uint64_t *btf, struct ct_error *e)
{
	char name[BTF_NAME_LEN + 1] = "";
	uint64_t name_size = lv->e[CTL_BTF_NAME].size;
	if (name_size == 0 || name_size > BTF_NAME_LEN)
		name_size = BTF_NAME_LEN;
	ct_status st = ct_target_read_u64(p->mem, node - off(lv, CTL_BTF_MODULE_LIST) +
					  off(lv, CTL_BTF_MODULE_BTF), btf, e);
	if (!st)
		st = ct_target_read(p->mem, *btf + off(lv, CTL_BTF_NAME), name, name_size, e);
	if (st)
		return -(int)st;
	name[name_size] = '\0';
	return strcmp(name, module) == 0;
}

/* Walks btf_modules to module's struct btf. */
static ct_status find_module_btf(const struct ct_program *p, const struct ct_layout *lv,
				 uint64_t head, const char *module, uint64_t *btf,
				 struct ct_error *err)
{
	struct ct_chain c;
	uint64_t node = 0;
	struct ct_error e = { 0 };
	ct_chain_init(&c, CT_BTF_MAX_MODULES);
	ct_status st = ct_target_read_u64(p->mem, head, &node, &e);
	while (st == CT_OK && node != head) {
		enum ct_chain_step step = ct_chain_step(&c, node);
		if (step != CT_CHAIN_OK)
			return ct_fail_at(err, CT_ERR_CORRUPT, node, "the btf_modules list %s",
					  step == CT_CHAIN_CYCLE ? "loops" : "does not end");
		int rc = node_btf(p, lv, node, module, btf, &e);
		if (rc < 0)
			return ct_fail_at(err, (ct_status)-rc, node, "the btf_modules list is "
					  "unreadable at %#llx: %s", (unsigned long long)node, e.text);
		if (rc == 1)
			return CT_OK;
		st = ct_target_read_u64(p->mem, node, &node, &e);
	}
	if (st)
		return ct_fail_at(err, st, node, "the btf_modules list is unreadable: %s", e.text);
	return ct_fail(err, CT_ERR_NOTFOUND, "the kernel keeps no BTF for %s (not loaded, or "
		       "built without it)", module);
}

ct_status ct_btf_read_module(const struct ct_program *p, const struct ct_layout *lv,
			     const char *module, struct ct_btf_blob *out, struct ct_error *err)
{
	uint64_t head, btf = 0, data = 0;
	uint32_t size = 0;
	if (!ct_layout_has(lv, CTL_BTF_MODULE_LIST) || !ct_layout_has(lv, CTL_BTF_DATA) ||
	    !ct_layout_has(lv, CTL_BTF_DATA_SIZE) || !ct_layout_has(lv, CTL_BTF_NAME) ||
	    ct_program_symbol(p, "btf_modules", &head, NULL) != CT_OK)
		return ct_fail(err, CT_ERR_NOTFOUND, "the kernel keeps no module BTF (no "
			       "btf_modules: before 5.11, or built without "
			       "CONFIG_DEBUG_INFO_BTF_MODULES)");
	ct_status st = find_module_btf(p, lv, head, module, &btf, err);
	if (st)
		return st;
	struct ct_error e = { 0 };
	if ((st = ct_target_read_u64(p->mem, btf + off(lv, CTL_BTF_DATA), &data, &e)) ||
	    (st = ct_target_read_u32(p->mem, btf + off(lv, CTL_BTF_DATA_SIZE), &size, &e)))
		return ct_fail_at(err, st, btf, "the struct btf of %s is unreadable: %s", module,
				  e.text);
	return read_blob(p, module, data, size, out, err);
}

ct_status ct_btf_read_file(const char *dir, const char *name, struct ct_btf_blob *out,
			   struct ct_error *err)
{
	char path[4096];
	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ct_fail(err, errno == ENOENT ? CT_ERR_NOTFOUND : CT_ERR_IO,
			       "cannot open %s: %s", path, strerror(errno));
	/* sysfs files say 4096 or the true size in st_size: read to the end. */
	size_t cap = 1 << 20, used = 0;
	unsigned char *buf = malloc(cap);
	ssize_t n = 1;
	while (buf && n > 0 && used <= CT_BTF_MAX_SIZE) {
		if (used == cap) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used);
		if (n > 0)
			used += (size_t)n;
	}
	int saved = errno;
	close(fd);
	ct_status st = CT_OK;
	if (!buf)
		st = ct_fail(err, CT_ERR_NOMEM, "out of memory");
	else if (n > 0)
		st = ct_fail(err, used > CT_BTF_MAX_SIZE ? CT_ERR_CORRUPT : CT_ERR_NOMEM,
			     "%s is over %u bytes, or memory ran out", path, CT_BTF_MAX_SIZE);
	else if (n < 0 || used == 0)
		st = ct_fail(err, CT_ERR_IO, "cannot read %s: %s", path,
			     n < 0 ? strerror(saved) : "empty");
	if (st) {
		free(buf);
		return st;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->data = buf;
	out->size = used;
	return CT_OK;
}
