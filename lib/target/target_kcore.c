#include "target/target_kcore.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/vmcoreinfo.h"
#include "symbols/vmlinux_syms.h"

#define MAX_SEGMENTS 65536        /* one per RAM range, vmalloc, modules, text */
#define MAX_NOTES (1u << 20)      /* kcore's notes are a few KiB */

struct segment {
	uint64_t start, end;      /* kernel virtual [start, end) */
	uint64_t offset;          /* file offset of start */
};

struct kcore_target {
	struct ct_target target;
	int fd;
	struct segment *seg;
	size_t nseg;
	char *vmcoreinfo;         /* the note's text, NUL-terminated; NULL if none */
	size_t vmcoreinfo_len;
	char build_id[129];
	uint64_t kernel_offset;
	char path[256];
};

static struct kcore_target *kc_of(struct ct_target *t)
{
	return t->impl;
}

/* The segment holding addr, by binary search over the sorted segments. */
static const struct segment *segment_of(const struct kcore_target *k, uint64_t addr)
{
	size_t lo = 0, hi = k->nseg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < k->seg[mid].start)
			hi = mid;
		else if (addr >= k->seg[mid].end)
			lo = mid + 1;
		else
			return &k->seg[mid];
	}
	return NULL;
}

static ct_status kc_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
			 size_t *done, struct ct_error *err)
{
	struct kcore_target *k = kc_of(t);
	unsigned char *out = buf;
	*done = 0;
	while (*done < len) {
		uint64_t at = addr + *done;
		const struct segment *s = segment_of(k, at);
		if (!s)
			return ct_fail_at(err, CT_ERR_BADADDR, at, "address %#llx is not in %s",
					  (unsigned long long)at, k->path);
		size_t n = len - *done;
		if (n > s->end - at)
			n = (size_t)(s->end - at);
		ssize_t got = pread(k->fd, out + *done, n, (off_t)(s->offset + (at - s->start)));
		if (got <= 0) {
			int e = got < 0 ? errno : EIO;
			if (e == EINTR)
				continue;
			return ct_fail_at(err, CT_ERR_FAULT, at, "reading %#llx from %s: %s",
					  (unsigned long long)at, k->path, strerror(e));
		}
		*done += (size_t)got;
	}
	return CT_OK;
}

static void kc_close(struct ct_target *t)
{
	struct kcore_target *k = kc_of(t);
	if (k->fd >= 0)
		close(k->fd);
	free(k->seg);
	free(k->vmcoreinfo);
	free(k);
}

static const struct ct_target_ops kcore_ops = {
	.kind = "kcore",
	.read = kc_read,
	.close = kc_close,
};

static int by_start(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static bool read_exact(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* Keep the VMCOREINFO note of a PT_NOTE segment (4-byte aligned notes). */
static void find_vmcoreinfo(struct kcore_target *k, const unsigned char *notes, size_t size)
{
	size_t p = 0;
	while (size - p >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		memcpy(&nh, notes + p, sizeof(nh));
		p += sizeof(nh);
		size_t name = (nh.n_namesz + 3u) & ~(size_t)3, desc = (nh.n_descsz + 3u) & ~(size_t)3;
		if (nh.n_namesz > size - p || name > size - p || nh.n_descsz > size - p - name)
			return;
		if (nh.n_namesz == sizeof("VMCOREINFO") &&
		    memcmp(notes + p, "VMCOREINFO", sizeof("VMCOREINFO")) == 0 && !k->vmcoreinfo) {
			k->vmcoreinfo = malloc(nh.n_descsz + 1u);
			if (!k->vmcoreinfo)
				return;
			memcpy(k->vmcoreinfo, notes + p + name, nh.n_descsz);
			k->vmcoreinfo[nh.n_descsz] = '\0';
			k->vmcoreinfo_len = nh.n_descsz;
		}
		if (desc > size - p - name)
			return;
		p += name + desc;
	}
}

static bool info(const struct kcore_target *k, const char *key, char *out, size_t size)
{
	return k->vmcoreinfo &&
	       ct_vmcoreinfo_get(k->vmcoreinfo, k->vmcoreinfo_len, key, out, size);
}

static ct_status parse_headers(struct kcore_target *k, struct ct_error *err)
{
	Elf64_Ehdr eh;
	if (!read_exact(k->fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return ct_fail(err, CT_ERR_UNSUPPORTED, "%s is not an ELF core file", k->path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_type != ET_CORE || eh.e_machine != EM_X86_64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return ct_fail(err, CT_ERR_UNSUPPORTED, "%s is not a 64-bit x86-64 ELF core file "
			       "(class %u, type %u, machine %u)", k->path, eh.e_ident[EI_CLASS],
			       eh.e_type, eh.e_machine);
	uint64_t phnum = eh.e_phnum;
	if (phnum == PN_XNUM) { /* the real count is in section header 0's sh_info */
		Elf64_Shdr sh;
		if (eh.e_shoff == 0 || !read_exact(k->fd, &sh, sizeof(sh), eh.e_shoff))
			return ct_fail(err, CT_ERR_CORRUPT, "%s: program header count unreadable",
				       k->path);
		phnum = sh.sh_info;
	}
	if (phnum == 0 || phnum > MAX_SEGMENTS)
		return ct_fail(err, CT_ERR_CORRUPT, "%s: %llu program headers is not plausible",
			       k->path, (unsigned long long)phnum);
	Elf64_Phdr *ph = calloc(phnum, sizeof(*ph));
	k->seg = calloc(phnum, sizeof(*k->seg));
	if (!ph || !k->seg) {
		free(ph);
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	}
	if (!read_exact(k->fd, ph, phnum * sizeof(*ph), eh.e_phoff)) {
		free(ph);
		return ct_fail(err, CT_ERR_CORRUPT, "%s: program headers unreadable", k->path);
	}
	for (uint64_t i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_NOTE && ph[i].p_filesz > 0 && ph[i].p_filesz <= MAX_NOTES) {
			unsigned char *notes = malloc(ph[i].p_filesz);
			if (notes && read_exact(k->fd, notes, ph[i].p_filesz, ph[i].p_offset))
				find_vmcoreinfo(k, notes, ph[i].p_filesz);
			free(notes);
		}
		/* A segment must not wrap, nor point past what off_t holds. */
		if (ph[i].p_type != PT_LOAD || ph[i].p_filesz == 0 ||
		    ph[i].p_vaddr + ph[i].p_filesz < ph[i].p_vaddr ||
		    ph[i].p_offset > INT64_MAX - ph[i].p_filesz)
			continue;
		k->seg[k->nseg++] = (struct segment){ ph[i].p_vaddr, ph[i].p_vaddr + ph[i].p_filesz,
						      ph[i].p_offset };
	}
	free(ph);
	if (k->nseg == 0)
		return ct_fail(err, CT_ERR_CORRUPT, "%s has no loadable segment", k->path);
	qsort(k->seg, k->nseg, sizeof(*k->seg), by_start);
	/* Overlapping segments would make reads ambiguous: clip each to the
	 * start of the next (kcore's own segments never overlap). */
	for (size_t i = 0; i + 1 < k->nseg; i++)
		if (k->seg[i].end > k->seg[i + 1].start)
			k->seg[i].end = k->seg[i + 1].start;
	return CT_OK;
}

ct_status ct_kcore_open(const char *path, struct ct_target **out, struct ct_error *err)
{
	struct kcore_target *k = calloc(1, sizeof(*k));
	if (!k)
		return ct_fail(err, CT_ERR_NOMEM, "out of memory");
	k->target.ops = &kcore_ops;
	k->target.impl = k;
	k->target.live = true;
	snprintf(k->path, sizeof(k->path), "%s", path);
	k->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (k->fd < 0) {
		int e = errno;
		kc_close(&k->target);
		if (e == ENOENT)
			return ct_fail(err, CT_ERR_NOTFOUND, "%s does not exist: this kernel has no "
				       "/proc/kcore (CONFIG_PROC_KCORE is off), so it cannot be read live",
				       path);
		if ((e == EPERM || e == EACCES) && geteuid() != 0)
			return ct_fail(err, CT_ERR_PERM, "reading the running kernel needs root (or "
				       "CAP_SYS_RAWIO): cannot open %s: %s", path, strerror(e));
		if (e == EPERM)
			return ct_fail(err, CT_ERR_PERM, "the kernel refuses %s even to root: kernel "
				       "lockdown (Secure Boot) or a missing CAP_SYS_RAWIO", path);
		return ct_fail(err, e == EACCES ? CT_ERR_PERM : CT_ERR_IO, "cannot open %s: %s",
			       path, strerror(e));
	}
	ct_status st = parse_headers(k, err);
	if (st) {
		kc_close(&k->target);
		return st;
	}
	char v[130];
	if (info(k, "OSRELEASE", v, sizeof(k->target.osrelease)))
		memcpy(k->target.osrelease, v, sizeof(k->target.osrelease));
	else {
		struct utsname u;
		if (uname(&u) == 0)
			snprintf(k->target.osrelease, sizeof(k->target.osrelease), "%s", u.release);
	}
	if (info(k, "BUILD-ID", v, sizeof(k->build_id)))
		memcpy(k->build_id, v, sizeof(k->build_id));
	long ps = sysconf(_SC_PAGESIZE);
	k->target.page_size = ps > 0 ? (uint32_t)ps : 4096;
	*out = &k->target;
	return CT_OK;
}

/* _stext's runtime address from kallsyms ("ffffffff9a000000 T _stext"). */
static ct_status kallsyms_address(const char *path, const char *name, uint64_t *addr,
				  struct ct_error *err)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return ct_fail(err, CT_ERR_NOTFOUND, "cannot open %s: %s", path, strerror(errno));
	char line[512], sym[256], type;
	unsigned long long a;
	bool found = false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && strcmp(sym, name) == 0) {
			found = true;
			break;
		}
	fclose(f);
	if (!found)
		return ct_fail(err, CT_ERR_NOTFOUND, "%s has no %s", path, name);
	if (a == 0)
		return ct_fail(err, CT_ERR_PERM, "%s hides addresses (kptr_restrict; run as root)",
			       path);
	*addr = a;
	return CT_OK;
}

/* Before 4.19 kcore has no VMCOREINFO: kallsyms tells where _stext is. */
static ct_status offset_from_kallsyms(struct kcore_target *k, struct ct_vmlinux_syms *syms,
				      const char *vmlinux, const char *kallsyms,
				      struct ct_error *err)
{
	uint64_t runtime, linked;
	struct ct_error e = { 0 };
	if (!ct_vmlinux_syms_value(syms, "_stext", &linked))
		return ct_fail(err, CT_ERR_NOTFOUND, "%s has no _stext symbol", vmlinux);
	if (kallsyms_address(kallsyms, "_stext", &runtime, &e) != CT_OK)
		return ct_fail(err, e.status == CT_ERR_PERM ? CT_ERR_PERM : CT_ERR_NOTFOUND,
			       "cannot tell where the running kernel is (KASLR): %s has %s and %s",
			       k->path, k->vmcoreinfo ? "no KERNELOFFSET in its VMCOREINFO"
						      : "no VMCOREINFO note", e.text);
	k->kernel_offset = runtime - linked;
	ct_vmlinux_syms_set_offset(syms, k->kernel_offset);
	if (kallsyms_address(kallsyms, "init_uts_ns", &runtime, NULL) == CT_OK)
		return ct_vmlinux_syms_check(syms, "init_uts_ns", runtime, kallsyms, err);
	return CT_OK;
}

static ct_status place_vmlinux(struct kcore_target *k, struct ct_vmlinux_syms *syms,
			       const char *vmlinux, const char *kallsyms, const char **source,
			       struct ct_error *err)
{
	char v[64];
	if (!info(k, "KERNELOFFSET", v, sizeof(v))) {
		*source = "kallsyms";
		return offset_from_kallsyms(k, syms, vmlinux, kallsyms, err);
	}
	*source = "vmcoreinfo";
	k->kernel_offset = strtoull(v, NULL, 16);
	ct_vmlinux_syms_set_offset(syms, k->kernel_offset);
	if (info(k, "SYMBOL(init_uts_ns)", v, sizeof(v)))
		return ct_vmlinux_syms_check(syms, "init_uts_ns", strtoull(v, NULL, 16),
					     "the kernel's VMCOREINFO", err);
	return CT_OK;
}

ct_status ct_kcore_vmlinux_syms(struct ct_target *t, const char *vmlinux, const char *kallsyms,
				struct ct_vmlinux_syms **out, const char **offset_source,
				struct ct_error *err)
{
	struct kcore_target *k = kc_of(t);
	struct ct_vmlinux_syms *syms;
	const char *source = "";
	ct_status st = ct_vmlinux_syms_open(vmlinux, k->build_id, "the running kernel",
					    t->osrelease, &syms, err);
	if (st)
		return st;
	st = place_vmlinux(k, syms, vmlinux, kallsyms, &source, err);
	if (st) {
		ct_vmlinux_syms_close(syms);
		return st;
	}
	if (offset_source)
		*offset_source = source;
	*out = syms;
	return CT_OK;
}
