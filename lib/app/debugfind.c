#include "app/debugfind.h"

#include "base/elf_file.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 10
#define MAX_ENTRIES 200000

/* A debug file is an ELF file with DWARF: installed kernels and modules
 * (stripped) often sit in the same trees as their debug twins. */
static int is_debug_file(const char *p)
{
	struct stat st;
	struct ct_elf *elf;
	struct ct_error err;
	if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
	    ct_elf_open(p, &elf, &err) != CT_OK)
		return 0;
	int yes = ct_elf_section_by_name(elf, ".debug_info") != NULL;
	ct_elf_close(elf);
	return yes;
}

/* Try fmt (with %1$s = dir, %2$s = release) and store the hit in out. */
static int try_path(char *out, size_t size, const char *fmt, const char *dir,
		    const char *rel)
{
	char p[4096];
	int n = snprintf(p, sizeof(p), fmt, dir, rel);
	if (n < 0 || (size_t)n >= sizeof(p) || !is_debug_file(p) || strlen(p) >= size)
		return 0;
	snprintf(out, size, "%s", p);
	return 1;
}

static unsigned all_dirs(const char *const *dirs, unsigned ndirs,
			 const char **out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < ndirs && n < CT_MAX_DEBUG_DIRS; i++)
		out[n++] = dirs[i];
	out[n++] = "/";
	return n;
}

ct_status ct_find_vmlinux(const char *release, const char *const *dirs,
			  unsigned ndirs, char *out, size_t size,
			  struct ct_error *err)
{
	static const char *const with_rel[] = {
		"%1$s/boot/vmlinux-%2$s",
		"%1$s/usr/lib/debug/boot/vmlinux-%2$s",
		"%1$s/usr/lib/debug/lib/modules/%2$s/vmlinux",
		"%1$s/lib/modules/%2$s/vmlinux",
		"%1$s/vmlinux-%2$s",
	};
	const char *d[CT_MAX_DEBUG_DIRS + 1];
	unsigned nd = all_dirs(dirs, ndirs, d);
	if (!release || !*release)
		return ct_fail(err, CT_ERR_NOTFOUND,
			       "the kernel release is unknown: name VMLINUX");
	for (unsigned i = 0; i < nd; i++) {
		for (size_t k = 0; k < sizeof(with_rel) / sizeof(*with_rel); k++)
			if (try_path(out, size, with_rel[k], d[i], release))
				return CT_OK;
		/* A flat folder that holds just this kernel's vmlinux. */
		if (i < nd - 1 && try_path(out, size, "%1$s/vmlinux", d[i], release))
			return CT_OK;
	}
	return ct_fail(err, CT_ERR_NOTFOUND,
		       "no debug vmlinux for %s (looked in /usr/lib/debug and %u -D folders): "
		       "install linux-image-%s-dbg or name VMLINUX",
		       release, ndirs, release);
}

struct search {
	const char *names[2];
	const char *release;
	unsigned entries;
	char best[4096];
	int best_has_rel;
};

static void walk(struct search *s, const char *dir, int depth)
{
	if (depth > MAX_DEPTH || s->entries > MAX_ENTRIES)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && s->entries++ <= MAX_ENTRIES) {
		if (de->d_name[0] == '.')
			continue;
		char p[4096];
		int n = snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(p))
			continue;
		struct stat st;
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(s, p, depth + 1);
		} else if (S_ISREG(st.st_mode) &&
			   (strcmp(de->d_name, s->names[0]) == 0 ||
			    strcmp(de->d_name, s->names[1]) == 0) &&
			   is_debug_file(p)) {
			int has_rel = s->release && *s->release &&
				      strstr(p, s->release) != NULL;
			if (!s->best[0] || (has_rel && !s->best_has_rel)) {
				snprintf(s->best, sizeof(s->best), "%s", p);
				s->best_has_rel = has_rel;
			}
		}
	}
	closedir(d);
}

ct_status ct_find_module_debug(const char *module, const char *release,
			       const char *const *dirs, unsigned ndirs,
			       char *out, size_t size, struct ct_error *err)
{
	char ko[256], kodebug[256];
	snprintf(ko, sizeof(ko), "%s.ko", module);
	snprintf(kodebug, sizeof(kodebug), "%s.ko.debug", module);
	const char *d[CT_MAX_DEBUG_DIRS + 1];
	unsigned nd = all_dirs(dirs, ndirs, d);
	/* Fast paths for a release-shaped tree under each folder. */
	if (release && *release) {
		for (unsigned i = 0; i < nd; i++) {
			static const char *const roots[] = {
				"%s/usr/lib/debug/lib/modules/%s", "%s/lib/modules/%s",
			};
			for (size_t r = 0; r < 2; r++) {
				char base[4096];
				snprintf(base, sizeof(base), roots[r], d[i], release);
				struct search s = { { ko, kodebug }, release, 0, "", 0 };
				struct stat st;
				if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
					continue;
				walk(&s, base, 0);
				if (s.best[0] && strlen(s.best) < size) {
					snprintf(out, size, "%s", s.best);
					return CT_OK;
				}
			}
		}
	}
	/* Then each -D folder as a whole (not the system root: too big). */
	for (unsigned i = 0; i < ndirs && i < CT_MAX_DEBUG_DIRS; i++) {
		struct search s = { { ko, kodebug }, release, 0, "", 0 };
		walk(&s, dirs[i], 0);
		if (s.best[0] && strlen(s.best) < size) {
			snprintf(out, size, "%s", s.best);
			return CT_OK;
		}
	}
	return ct_fail(err, CT_ERR_NOTFOUND,
		       "no debug file %s for %s (looked in /usr/lib/debug and %u -D folders)",
		       ko, release && *release ? release : "this kernel", ndirs);
}
