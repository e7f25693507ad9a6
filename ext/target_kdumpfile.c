#include "target_kdumpfile.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <libkdumpfile/kdumpfile.h>

#include "kdump_direct.h"
#include "kdump_presence.h"
#include "target/page_cache.h"
#include "symbols/vmlinux_syms.h"

struct kdump_target {
	struct ct_target target;
	kdump_ctx_t *ctx;
	struct kdump_presence present; /* of ctx: see kdump_presence.h */
	struct kdump_direct direct;     /* an ELF dump's linear reads: kdump_direct.h */
	int fd;
	uint64_t kernel_offset;
	char build_id[129];
	bool vmcoreinfo;        /* the dump carries a VMCOREINFO note */
	unsigned reopened;      /* new contexts made by fresh_context */
	char *vmcoreinfo_text;  /* ct_kdump_vmcoreinfo's copy, made when asked */
	char path[4096];
};

static struct kdump_target *kt_of(struct ct_target *t)
{
	return t->impl;
}

/* libkdumpfile's own cache, in entries. Every lookup there scans its
 * entries one by one (0.5.1's cache.c), and its default holds 1024: on a
 * compressed dump that scan was a fifth of ctleak's time (-d 31 kdump of
 * 1M entries: 3.1 s with 1024 entries, 2.5 s with 64, the output the
 * same). ctleak's page cache (page_cache.h) holds the pages it reads
 * again; this one keeps what libkdumpfile itself reads twice (page-table
 * pages). Set before the file is opened: after, it breaks translation. */
#define CT_KDUMP_LIB_CACHE 64

static void small_cache(kdump_ctx_t *ctx)
{
	kdump_set_number_attr(ctx, "cache.size", CT_KDUMP_LIB_CACHE);
}

/* A libkdumpfile context on the dump open at fd, in *ctx (NULL: out of
 * memory), reading the file with read(2) only when no_mmap; on failure its
 * error says why, and the caller frees it. */
static kdump_status open_context_as(int fd, bool no_mmap, kdump_ctx_t **ctx)
{
	*ctx = kdump_new();
	if (!*ctx)
		return KDUMP_ERR_SYSTEM;
	small_cache(*ctx);
	if (no_mmap)
		kdump_set_number_attr(*ctx, "file.mmap_policy", KDUMP_MMAP_NEVER);
	return kdump_open_fd(*ctx, fd);
}

static kdump_status open_context(int fd, kdump_ctx_t **ctx)
{
	return open_context_as(fd, false, ctx);
}

/* libkdumpfile 0.5.1 pitfalls (../shared/docs/toolchain-notes.md): an ELF
 * dump needs the OS type, set after opening, for virtual reads; a kdump
 * file made by makedumpfile -R from QEMU's output has no arch. */
static kdump_status translate(kdump_ctx_t *ctx)
{
	const char *arch = NULL;
	if (kdump_get_string_attr(ctx, "arch.name", &arch) != KDUMP_OK || !arch)
		kdump_set_string_attr(ctx, "arch.name", "x86_64");
	return kdump_set_string_attr(ctx, "addrxlat.ostype", "linux");
}

/* The second guard against libkdumpfile's broken cache (kdump_presence.h
 * is the first): should a read that the bitmap let through still break it
 * (a left-out page-table page, say), the page fails to decompress and
 * keeps failing. Its cache cannot be rebuilt in place (libaddrxlat keeps
 * page-table pages of it: setting cache.size crashes the next
 * translation), so a read that fails for any reason but "not in the dump"
 * or "not mapped" is tried once more on a new context, which tells the bug
 * apart from a page that is really corrupt. Bounded: a dump that is
 * corrupt all over costs at most this many reopenings. */
#define CT_KDUMP_MAX_REOPEN 256

static bool fresh_context(struct kdump_target *k)
{
	if (k->reopened >= CT_KDUMP_MAX_REOPEN)
		return false;
	k->reopened++;
	kdump_ctx_t *ctx;
	if (open_context(k->fd, &ctx) != KDUMP_OK || translate(ctx) != KDUMP_OK) {
		if (ctx)
			kdump_free(ctx);
		return false;
	}
	kdump_presence_free(&k->present);
	kdump_free(k->ctx);
	k->ctx = ctx;
	kdump_presence_init(&k->present, ctx, k->target.page_size,
			    k->direct.map ? &k->direct : NULL);
	return true;
}

static ct_status kd_read(struct ct_target *t, uint64_t addr, void *buf,
			 size_t len, size_t *done, struct ct_error *err)
{
	struct kdump_target *k = kt_of(t);
	/* Up to the first page the dump left out, which libkdumpfile is
	 * never asked for (kdump_presence.h). */
	size_t want = (size_t)(kdump_presence_first_missing(&k->present, addr, len) - addr);
	if (want == len && kdump_direct_read(&k->direct, addr, buf, len)) {
		*done = len;
		return CT_OK;
	}
	size_t n = want;
	kdump_status st = want ? kdump_read(k->ctx, KDUMP_KVADDR, addr, buf, &n) : KDUMP_OK;
	if (st != KDUMP_OK && st != KDUMP_ERR_NODATA && st != KDUMP_ERR_ADDRXLAT &&
	    fresh_context(k)) {
		n = want;
		st = kdump_read(k->ctx, KDUMP_KVADDR, addr, buf, &n);
	}
	*done = n;
	if (st == KDUMP_OK && want < len)
		st = KDUMP_ERR_NODATA;
	if (st == KDUMP_OK)
		return CT_OK;
	uint64_t at = addr + n;
	if (st == KDUMP_ERR_NODATA)
		return ct_fail_at(err, CT_ERR_FAULT, at, "address %#llx is not in the dump",
				  (unsigned long long)at);
	if (st == KDUMP_ERR_ADDRXLAT)
		return ct_fail_at(err, CT_ERR_BADADDR, at, "address %#llx is not mapped",
				  (unsigned long long)at);
	return ct_fail_at(err, CT_ERR_IO, at, "reading %#llx: %s", (unsigned long long)at,
			  kdump_get_err(k->ctx));
}

static void kd_close(struct ct_target *t)
{
	struct kdump_target *k = kt_of(t);
	kdump_presence_free(&k->present);
	kdump_direct_free(&k->direct);
	if (k->ctx)
		kdump_free(k->ctx);
	if (k->fd >= 0)
		close(k->fd);
	free(k->vmcoreinfo_text);
	free(k);
}

static struct ct_target *kd_clone(struct ct_target *t);

static const struct ct_target_ops kdump_ops = {
	.kind = "kdumpfile",
	.read = kd_read,
	.close = kd_close,
	.clone = kd_clone,
};

/* A second Target on the same dump for the page cache's read-ahead
 * thread: a context of its own on a file description of its own (no
 * shared file offset, cache or lock), so the two threads share nothing of
 * libkdumpfile's. None on one CPU, or with CTLEAK_READ_AHEAD=0. */
static struct ct_target *kd_clone(struct ct_target *t)
{
	struct kdump_target *k = kt_of(t);
	const char *env = getenv("CTLEAK_READ_AHEAD");
	if ((env && strcmp(env, "0") == 0) || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return NULL;
	struct kdump_target *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", k->fd);
	c->fd = open(self, O_RDONLY | O_CLOEXEC);
	c->target = (struct ct_target){ .ops = &kdump_ops, .impl = c,
					.page_size = k->target.page_size };
	memcpy(c->target.osrelease, k->target.osrelease, sizeof(c->target.osrelease));
	c->kernel_offset = k->kernel_offset;
	/* read(2), not mmap(2): the walker's context maps the file already,
	 * a second mapping would count its pages twice in the peak RSS. */
	if (c->fd < 0 || open_context_as(c->fd, true, &c->ctx) != KDUMP_OK ||
	    translate(c->ctx) != KDUMP_OK) {
		kd_close(&c->target);
		return NULL;
	}
	kdump_presence_init(&c->present, c->ctx, c->target.page_size, NULL);
	return &c->target;
}

static const char *vmcoreinfo(kdump_ctx_t *ctx, const char *key)
{
	char attr[128];
	const char *v = NULL;
	snprintf(attr, sizeof(attr), "linux.vmcoreinfo.lines.%s", key);
	if (kdump_get_string_attr(ctx, attr, &v) != KDUMP_OK)
		return NULL;
	return v;
}

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, (off_t)off);
	return n >= 0 && (size_t)n == len;
}

/* How many bytes the dump's own headers say the file holds: the end of
 * the last ELF segment, or of the last page of a diskdump (kdump
 * compressed) file; 0 when that cannot be told. */
static uint64_t described_size(int fd, const char *format)
{
	uint64_t need = 0;
	if (strcmp(format, "elf") == 0) {
		Elf64_Ehdr eh;
		if (!pread_all(fd, &eh, sizeof(eh), 0) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
		    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == PN_XNUM)
			return 0;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			if (!pread_all(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)))
				return 0;
			if (ph.p_filesz && ph.p_offset + ph.p_filesz > need)
				need = ph.p_offset + ph.p_filesz;
		}
		return need;
	}
	if (strcmp(format, "diskdump") != 0)
		return 0;
	/* makedumpfile's layout: header block, sub-header blocks, two
	 * bitmaps (the second: pages dumped), one 24-byte descriptor per
	 * dumped page {offset, size, flags, page_flags}, the pages. */
	unsigned char h[448];
	uint32_t block, sub, bitmap_blocks;
	if (!pread_all(fd, h, sizeof(h), 0) || memcmp(h, "KDUMP   ", 8) != 0)
		return 0;
	memcpy(&block, h + 428, 4);
	memcpy(&sub, h + 432, 4);
	memcpy(&bitmap_blocks, h + 436, 4);
	uint64_t half = (uint64_t)bitmap_blocks * block / 2;
	if (block < 512 || block > (1u << 20) || (block & (block - 1)) || half == 0 ||
	    half > (256u << 20))
		return 0;
	unsigned char *bm = malloc(half);
	uint64_t pages = 0;
	if (!bm || !pread_all(fd, bm, half, (1 + (uint64_t)sub) * block + half)) {
		free(bm);
		return 0;
	}
	for (uint64_t i = 0; i < half; i++)
		pages += (uint64_t)__builtin_popcount(bm[i]);
	free(bm);
	uint64_t table = (1 + (uint64_t)sub + bitmap_blocks) * block;
	need = table + pages * 24;
	/* Zero pages share one copy near the table: the last page with data
	 * is among the last descriptors. */
	uint64_t from = pages > 4096 ? pages - 4096 : 0;
	unsigned char *d = malloc((pages - from) * 24 + 1);
	if (d && pread_all(fd, d, (pages - from) * 24, table + from * 24))
		for (uint64_t k = 0; k < pages - from; k++) {
			uint64_t off;
			uint32_t size;
			memcpy(&off, d + k * 24, 8);
			memcpy(&size, d + k * 24 + 8, 4);
			if (off + size > need)
				need = off + size;
		}
	free(d);
	return need;
}

int ct_kdump_is_dump(const char *path)
{
	struct ct_target *t;
	struct ct_kdump_info info;
	struct ct_error err;
	if (ct_kdump_open(path, &t, &info, &err) != CT_OK)
		return 0;
	ct_target_close(t);
	return 1;
}

ct_status ct_kdump_open(const char *dump, struct ct_target **out,
			struct ct_kdump_info *info, struct ct_error *err)
{
	memset(info, 0, sizeof(*info));
	struct kdump_target *k = calloc(1, sizeof(*k));
	if (!k)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	k->fd = open(dump, O_RDONLY | O_CLOEXEC);
	k->target.ops = &kdump_ops;
	k->target.impl = k;
	if (k->fd < 0) {
		int e = errno;
		kd_close(&k->target);
		return ct_fail(err, e == ENOENT ? CT_ERR_NOTFOUND : CT_ERR_IO,
			       "cannot open %s: %s", dump, strerror(e));
	}
	kdump_status opened = open_context(k->fd, &k->ctx);
	if (!k->ctx) {
		kd_close(&k->target);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	if (opened != KDUMP_OK) {
		ct_fail(err, CT_ERR_UNSUPPORTED, "%s is not a dump libkdumpfile can read: %s",
			dump, kdump_get_err(k->ctx));
		kd_close(&k->target);
		return CT_ERR_UNSUPPORTED;
	}
	const char *fmt = NULL;
	kdump_get_string_attr(k->ctx, "file.format", &fmt);
	snprintf(info->format, sizeof(info->format), "%s", fmt ? fmt : "?");
	snprintf(k->path, sizeof(k->path), "%s", dump);
	/* A file cut short (a copy that did not finish, a full disk): past
	 * its end libkdumpfile 0.5.1 reads an ELF dump as zeros and fails on
	 * a diskdump one with a decompression error. Say so instead. */
	struct stat sb;
	uint64_t need = described_size(k->fd, info->format);
	if (fstat(k->fd, &sb) == 0 && need > (uint64_t)sb.st_size) {
		ct_fail(err, CT_ERR_CORRUPT, "%s is truncated: it has %llu bytes, its headers describe "
			"%llu (an incomplete copy?)", dump, (unsigned long long)sb.st_size,
			(unsigned long long)need);
		kd_close(&k->target);
		return CT_ERR_CORRUPT;
	}
	if (translate(k->ctx) != KDUMP_OK) {
		ct_fail(err, CT_ERR_UNSUPPORTED, "%s: cannot set up address translation: %s",
			dump, kdump_get_err(k->ctx));
		kd_close(&k->target);
		return CT_ERR_UNSUPPORTED;
	}
	/* (a blob in libkdumpfile 0.5.x: asking for a string always failed) */
	const char *raw = ct_kdump_vmcoreinfo(&k->target);
	k->vmcoreinfo = raw && *raw;
	info->vmcoreinfo = k->vmcoreinfo;
	const char *rel = NULL;
	if (kdump_get_string_attr(k->ctx, "linux.uts.release", &rel) != KDUMP_OK || !rel || !*rel)
		rel = vmcoreinfo(k->ctx, "OSRELEASE");
	snprintf(k->target.osrelease, sizeof(k->target.osrelease), "%s", rel ? rel : "");
	const char *off = vmcoreinfo(k->ctx, "KERNELOFFSET");
	if (off)
		k->kernel_offset = strtoull(off, NULL, 16);
	const char *bid = vmcoreinfo(k->ctx, "BUILD-ID");
	snprintf(k->build_id, sizeof(k->build_id), "%s", bid ? bid : "");
	kdump_num_t ps = 4096;
	if (kdump_get_number_attr(k->ctx, "arch.page_size", &ps) != KDUMP_OK)
		ps = 4096;
	k->target.page_size = (uint32_t)ps;
	if (strcmp(info->format, "elf") == 0)
		kdump_direct_init(&k->direct, k->fd, k->ctx);
	kdump_presence_init(&k->present, k->ctx, k->target.page_size,
			    k->direct.map ? &k->direct : NULL);
	info->kernel_offset = k->kernel_offset;
	snprintf(info->build_id, sizeof(info->build_id), "%s", k->build_id);
	*out = &k->target;
	return CT_OK;
}

/* May vmlinux's symbols, moved by the dump's KASLR offset, be trusted? */
static ct_status check_vmlinux(struct kdump_target *k, struct ct_vmlinux_syms *syms,
			       struct ct_error *err)
{
	struct ct_target *t = &k->target;
	/* Without VMCOREINFO the KASLR offset is unknown: go on only when the
	 * kernel sits at its link address, i.e. init_uts_ns reads "Linux"
	 * there (uts_namespace.name is at 0, or at 4 behind a kref). */
	uint64_t uts;
	char name[16];
	if (!k->vmcoreinfo) {
		if (ct_vmlinux_syms_lookup(syms, "init_uts_ns", &uts, NULL) != CT_OK ||
		    ct_target_read(t, uts, name, sizeof(name), NULL) != CT_OK ||
		    (memcmp(name, "Linux", 6) != 0 && memcmp(name + 4, "Linux", 6) != 0))
			return ct_fail(err, CT_ERR_UNSUPPORTED, "%s has no VMCOREINFO note and its kernel "
				       "is not at its link address (KASLR): where its symbols are is "
				       "unknown (make the dump with VMCOREINFO: makedumpfile, or QEMU's "
				       "-device vmcoreinfo)", k->path);
		if (!t->osrelease[0])
			ct_target_read(t, uts + (name[0] == 'L' ? 0 : 4) + 2 * 65, t->osrelease,
				       sizeof(t->osrelease) - 1, NULL);
	}
	/* Without a build-id, check that the symbol VMCOREINFO names lands on
	 * the same address once moved by KERNELOFFSET. */
	const char *sym = vmcoreinfo(k->ctx, "SYMBOL(init_uts_ns)");
	if (sym)
		return ct_vmlinux_syms_check(syms, "init_uts_ns", strtoull(sym, NULL, 16),
					     "the dump", err);
	return CT_OK;
}

ct_status ct_kdump_vmlinux_syms(struct ct_target *t, const char *vmlinux,
				struct ct_vmlinux_syms **out, struct ct_error *err)
{
	struct kdump_target *k = kt_of(t);
	struct ct_vmlinux_syms *syms;
	ct_status st = ct_vmlinux_syms_open(vmlinux, k->build_id, "this dump", t->osrelease,
					    &syms, err);
	if (st)
		return st;
	ct_vmlinux_syms_set_offset(syms, k->kernel_offset);
	st = check_vmlinux(k, syms, err);
	if (st) {
		ct_vmlinux_syms_close(syms);
		return st;
	}
	*out = syms;
	return CT_OK;
}

const char *ct_kdump_vmcoreinfo(struct ct_target *t)
{
	struct kdump_target *k = kt_of(t);
	kdump_attr_t attr;
	if (k->vmcoreinfo_text)
		return k->vmcoreinfo_text;
	if (kdump_get_attr(k->ctx, "linux.vmcoreinfo.raw", &attr) != KDUMP_OK)
		return NULL;
	/* A blob in libkdumpfile 0.5.x (not NUL-terminated), once a string. */
	if (attr.type == KDUMP_STRING && attr.val.string) {
		k->vmcoreinfo_text = strdup(attr.val.string);
	} else if (attr.type == KDUMP_BLOB && attr.val.blob) {
		size_t n = kdump_blob_size(attr.val.blob);
		const char *data = kdump_blob_pin(attr.val.blob);
		k->vmcoreinfo_text = data ? strndup(data, n) : NULL;
		kdump_blob_unpin(attr.val.blob);
	}
	return k->vmcoreinfo_text;
}

uint64_t ct_kdump_direct_reads(const struct ct_target *t)
{
	const struct kdump_target *k = t->impl;
	return t->ops == &kdump_ops ? k->direct.reads : 0;
}

ct_status ct_kdump_cache_pages(struct ct_target **t, const struct ct_kdump_info *info,
			       struct ct_error *err)
{
	const char *pages = getenv("CTLEAK_DUMP_CACHE_PAGES");
	size_t n = pages ? strtoull(pages, NULL, 0) : CT_KDUMP_CACHE_PAGES;
	if (strcmp(info->format, "elf") == 0 || n == 0)
		return CT_OK;
	return ct_page_cache_open(*t, n, t, err);
}
