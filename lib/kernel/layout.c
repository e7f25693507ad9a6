#include "kernel/layout.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/elf_file.h"


const struct ct_layout_def ct_layout_defs[CTL__COUNT] = {
#define CT_LAYOUT_DEF(id, kind, q, dep, want) \
	[CTL_##id] = { #id, CTL_KIND_##kind, q, CTL_##dep, want },
	CT_LAYOUT_FIELDS(CT_LAYOUT_DEF)
#undef CT_LAYOUT_DEF
};

#define CACHE_FORMAT 2 /* 2: the origin of the answers on the first line */

/* Hash of the question table: a cache written for other questions is stale. */
static uint64_t schema_hash(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_def *d = &ct_layout_defs[i];
		char line[256];
		snprintf(line, sizeof(line), "%s|%d|%s|%d|%d;", d->key, d->kind,
			 d->question, d->depends_on, d->depends_present);
		for (const char *p = line; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 0x100000001b3ULL;
		}
	}
	return h;
}

static ct_status ask(struct ct_types *t, const struct ct_layout_def *d,
		     struct ct_layout_entry *e, struct ct_error *err)
{
	ct_status st;
	memset(e, 0, sizeof(*e));
	if (d->kind == CTL_KIND_SIZE) {
		uint64_t size;
		st = ct_types_sizeof(t, d->question, &size, err);
		e->value = (int64_t)size;
		e->size = size;
	} else if (d->kind == CTL_KIND_MEMBER) {
		struct ct_member m;
		st = ct_types_member(t, d->question, &m, err);
		if (st == CT_OK) {
			e->value = (int64_t)m.offset;
			e->size = m.size;
			e->bit_offset = m.bit_offset;
			e->bit_size = m.bit_size;
			e->kind = (uint8_t)m.kind;
			snprintf(e->type_name, sizeof(e->type_name), "%s",
				 m.type_name);
		}
	} else {
		st = ct_types_enum_value(t, d->question, &e->value, err);
	}
	if (st == CT_OK)
		e->state = CTL_PRESENT;
	else if (st == CT_ERR_NOTFOUND)
		e->state = CTL_ABSENT;
	else
		return st;
	return CT_OK;
}

ct_status ct_layout_resolve(struct ct_types *t, struct ct_layout *out,
			    struct ct_error *err)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_def *d = &ct_layout_defs[i];
		if (d->depends_on != CTL_NONE &&
		    (out->e[d->depends_on].state == CTL_PRESENT) !=
			    d->depends_present) {
			out->e[i].state = CTL_NOT_ASKED;
			continue;
		}
		struct ct_error why = { 0 };
		ct_status st = ask(t, d, &out->e[i], &why);
		if (st)
			return ct_fail(err, st, "resolving %s: %s", d->question,
				       why.text);
	}
	snprintf(out->source, sizeof(out->source), "dwarf");
	snprintf(out->origin, sizeof(out->origin), "dwarf");
	return CT_OK;
}

void ct_layout_default_cache_dir(char *buf, size_t size)
{
	/* The same root as the test kernels' cache (vmcores/fetch-kernel.sh). */
	const char *v;
	if ((v = getenv("CTLEAK_CACHE")) && *v)
		snprintf(buf, size, "%s/layouts", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && *v)
		snprintf(buf, size, "%s/ctleak/layouts", v);
	else if ((v = getenv("HOME")) && *v)
		snprintf(buf, size, "%s/.cache/ctleak/layouts", v);
	else
		snprintf(buf, size, "/tmp/ctleak-cache/layouts");
}

/* Appends "-" (unless first) and text to ids. */
static ct_status key_part(char *ids, size_t *used, const char *text, struct ct_error *err)
{
	int n = snprintf(ids + *used, CT_LAYOUT_MAX_KEY - *used, "%s%s", *used ? "-" : "", text);
	if (n < 0 || (size_t)n >= CT_LAYOUT_MAX_KEY - *used)
		return ct_fail(err, CT_ERR_USAGE, "too many debug files to cache");
	*used += (size_t)n;
	return CT_OK;
}

ct_status ct_layout_cache_path_of(const struct ct_type_sources *src, const char *dir,
				  char *path, size_t size, struct ct_error *err)
{
	/* "layout-" + one build-id per file (at most 128 hex chars each), then
	 * "btf" + the BTF's digest (with the flags that shaped the answers). */
	char ids[CT_LAYOUT_MAX_KEY] = "";
	size_t used = 0;
	for (unsigned i = 0; i < src->nfiles; i++) {
		struct ct_elf *elf;
		ct_status st = ct_elf_open(src->files[i], &elf, err);
		if (st)
			return st;
		char hex[129];
		ct_elf_build_id_hex(elf, hex, sizeof(hex));
		ct_elf_close(elf);
		if (!hex[0])
			return ct_fail(err, CT_ERR_NOTFOUND,
				       "%s has no GNU build-id: its layout is not cached",
				       src->files[i]);
		if ((st = key_part(ids, &used, hex, err)))
			return st;
	}
	if (src->nbtf) {
		char hex[80], part[96];
		ct_btf_identity(src->btf, src->nbtf, hex, sizeof(hex));
		snprintf(part, sizeof(part), "btf%u%s", src->btf_flags, hex);
		ct_status st = key_part(ids, &used, part, err);
		if (st)
			return st;
	}
	int n = snprintf(path, size, "%s/layout-%s.txt", dir, ids);
	if (n < 0 || (size_t)n >= size)
		return ct_fail(err, CT_ERR_USAGE, "cache path too long");
	return CT_OK;
}

ct_status ct_layout_cache_path(const char *const *files, unsigned nfiles,
			       const char *dir, char *path, size_t size,
			       struct ct_error *err)
{
	struct ct_type_sources src = { .files = files, .nfiles = nfiles };
	return ct_layout_cache_path_of(&src, dir, path, size, err);
}

ct_status ct_layout_cache_write(const char *path, const struct ct_layout *l,
				struct ct_error *err)
{
	char dir[512], tmp[600];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		/* mkdir -p */
		for (char *p = dir + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(dir, 0755);
				*p = '/';
			}
		mkdir(dir, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return ct_fail(err, CT_ERR_IO, "cannot write %s: %s", tmp,
			       strerror(errno));
	fprintf(f, "ctleak-layout %d %016" PRIx64 " %s\n", CACHE_FORMAT,
		schema_hash(), l->origin[0] ? l->origin : "dwarf");
	for (int i = 0; i < CTL__COUNT; i++) {
		const struct ct_layout_entry *e = &l->e[i];
		fprintf(f, "%s %u %u %" PRId64 " %" PRIu64 " %u %u %s\n",
			ct_layout_defs[i].key, e->state, e->kind, e->value,
			e->size, e->bit_offset, e->bit_size,
			e->type_name[0] ? e->type_name : "-");
	}
	int bad = ferror(f);
	bad |= fclose(f);
	if (bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return ct_fail(err, CT_ERR_IO, "cannot write %s", path);
	}
	return CT_OK;
}

ct_status ct_layout_cache_read(const char *path, struct ct_layout *out,
			       struct ct_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ct_fail(err, CT_ERR_NOTFOUND, "no cache %s", path);
	memset(out, 0, sizeof(*out));
	char line[512];
	int format = 0;
	uint64_t hash = 0;
	ct_status st = CT_OK;
	char origin[12];
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "ctleak-layout %d %" SCNx64 " %11s", &format, &hash, origin) != 3 ||
	    format != CACHE_FORMAT || hash != schema_hash() ||
	    (strcmp(origin, "dwarf") && strcmp(origin, "btf") && strcmp(origin, "dwarf+btf")))
		st = ct_fail(err, CT_ERR_CORRUPT, "%s is stale or not a layout cache",
			     path);
	for (int i = 0; st == CT_OK && i < CTL__COUNT; i++) {
		struct ct_layout_entry *e = &out->e[i];
		char key[64], type[64];
		unsigned state, kind;
		if (!fgets(line, sizeof(line), f) ||
		    sscanf(line, "%63s %u %u %" SCNd64 " %" SCNu64 " %u %u %63[^\n]",
			   key, &state, &kind, &e->value, &e->size,
			   &e->bit_offset, &e->bit_size, type) != 8 ||
		    strcmp(key, ct_layout_defs[i].key) != 0 || state > CTL_NOT_ASKED ||
		    kind > CT_KIND_ENUM || e->bit_offset > 64 || e->bit_size > 64) {
			st = ct_fail(err, CT_ERR_CORRUPT, "%s: bad line %d", path,
				     i + 2);
			break;
		}
		e->state = (uint8_t)state;
		e->kind = (uint8_t)kind;
		snprintf(e->type_name, sizeof(e->type_name), "%s",
			 strcmp(type, "-") ? type : "");
	}
	fclose(f);
	if (st == CT_OK) {
		snprintf(out->source, sizeof(out->source), "cache");
		snprintf(out->origin, sizeof(out->origin), "%s", origin);
		snprintf(out->cache_path, sizeof(out->cache_path), "%s", path);
	}
	return st;
}

/* The chain for src: the BTF finder first, then the DWARF files. */
static ct_status resolve_sources(const struct ct_type_sources *src, struct ct_layout *out,
				 struct ct_error *err)
{
	struct ct_types *t;
	ct_status st = ct_types_new(&t, err);
	if (st == CT_OK && src->nbtf)
		st = ct_types_add_btf(t, src->btf, src->nbtf, src->btf_flags, err);
	for (unsigned i = 0; st == CT_OK && i < src->nfiles; i++)
		st = ct_types_add_file(t, src->files[i], err);
	if (st == CT_OK)
		st = ct_layout_resolve(t, out, err);
	ct_types_free(t);
	if (st == CT_OK) {
		const char *o = !src->nbtf ? "dwarf" : src->nfiles ? "dwarf+btf" : "btf";
		snprintf(out->source, sizeof(out->source), "%s", o);
		snprintf(out->origin, sizeof(out->origin), "%s", o);
	}
	return st;
}

ct_status ct_layout_load_sources(const struct ct_type_sources *src, const char *cache_dir,
				 struct ct_layout *out, struct ct_error *err)
{
	char path[1024] = "";
	if (src->nfiles == 0 && src->nbtf == 0)
		return ct_fail(err, CT_ERR_USAGE, "no debug files given");
	if (cache_dir) {
		struct ct_error ignore = { 0 };
		ct_status st = ct_layout_cache_path_of(src, cache_dir, path, sizeof(path), &ignore);
		if (st == CT_ERR_NOTFOUND || st == CT_ERR_USAGE)
			path[0] = '\0'; /* no build-id: resolve without caching */
		else if (st)
			return ct_fail(err, st, "%s", ignore.text);
		if (path[0] && ct_layout_cache_read(path, out, &ignore) == CT_OK)
			return CT_OK;
	}
	ct_status st = resolve_sources(src, out, err);
	if (st)
		return st;
	if (path[0]) {
		/* A cache that cannot be written only costs the next run time. */
		struct ct_error ignore = { 0 };
		if (ct_layout_cache_write(path, out, &ignore) == CT_OK)
			snprintf(out->cache_path, sizeof(out->cache_path), "%s",
				 path);
	}
	return CT_OK;
}

ct_status ct_layout_load(const char *const *files, unsigned nfiles,
			 const char *cache_dir, struct ct_layout *out,
			 struct ct_error *err)
{
	struct ct_type_sources src = { .files = files, .nfiles = nfiles };
	return ct_layout_load_sources(&src, cache_dir, out, err);
}
