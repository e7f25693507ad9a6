/* test_types_btf.c — the BTF finder (lib/types/types_btf.c) on blobs made
 * in memory with libbpf's writer API: a vmlinux-like base and a module's
 * split BTF on it. The answers are those the DWARF finder gives for the
 * same C (types_libdwarf.c): sizes, member paths through anonymous members,
 * typedef roots, array indices, bitfields, enumerators, declarations; then
 * split BTF (modules first, CT_BTF_MODULES_ONLY), hostile blobs, the .BTF
 * of an ELF file and the identity digest.
 *
 *   test_types_btf SCRATCH-DIR
 */
#include <elf.h>
#include <stdlib.h>

#include <bpf/btf.h>

#include "harness.h"
#include "types/types.h"

/* Type ids of the base, for the module to refer to. */
static int id_u32, id_refcount_t;

static int add_int(struct btf *b, const char *name, size_t size, int enc)
{
	return btf__add_int(b, name, size, enc);
}

/* struct nf_conntrack_tuple_hash { u32 a; u32 b; } (8), struct nf_conn:
 *   0 struct nf_conntrack ct_general (refcount_t use)   4
 *   4 union { u32 timeout; struct { u16 lo; u16 hi; }; }  anonymous
 *   8 struct nf_conntrack_tuple_hash tuplehash[2]        16
 *  24 u32 flags:3 (bit 0), mark:5 (bit 3), zone:10 (bit 37 → byte 4 bit 5)
 *  32 unsigned long status                               8
 *  40 enum ip_conntrack_dir dir                          4
 *  48 void *ext; 56 const u32 c; 60 u8 proto[0]         flexible
 * size 64. */
static void add_nf_conn(struct btf *b, int u8, int u16, int u32, int ul, int ref_t, int dir)
{
	int ct = btf__add_struct(b, "nf_conntrack", 4);
	btf__add_field(b, "use", ref_t, 0, 0);
	int th = btf__add_struct(b, "nf_conntrack_tuple_hash", 8);
	btf__add_field(b, "a", u32, 0, 0);
	btf__add_field(b, "b", u32, 32, 0);
	int halves = btf__add_struct(b, NULL, 4);
	btf__add_field(b, "lo", u16, 0, 0);
	btf__add_field(b, "hi", u16, 16, 0);
	int un = btf__add_union(b, NULL, 4);
	btf__add_field(b, "timeout", u32, 0, 0);
	btf__add_field(b, NULL, halves, 0, 0);
	int arr = btf__add_array(b, u32, th, 2);
	int ptr = btf__add_ptr(b, 0);
	int cu32 = btf__add_const(b, u32);
	int flex = btf__add_array(b, u32, u8, 0);
	btf__add_struct(b, "nf_conn", 64);
	btf__add_field(b, "ct_general", ct, 0, 0);
	btf__add_field(b, NULL, un, 32, 0);
	btf__add_field(b, "tuplehash", arr, 64, 0);
	btf__add_field(b, "flags", u32, 192, 3);
	btf__add_field(b, "mark", u32, 195, 5);
	btf__add_field(b, "zone", u32, 229, 10);
	btf__add_field(b, "status", ul, 256, 0);
	btf__add_field(b, "dir", dir, 320, 0);
	btf__add_field(b, "ext", ptr, 384, 0);
	btf__add_field(b, "c", cu32, 448, 0);
	btf__add_field(b, "proto", flex, 480, 0);
}

/* The base: vmlinux's part. */
static struct btf *make_base(void)
{
	struct btf *b = btf__new_empty();
	int u8 = add_int(b, "u8", 1, 0);
	int u16 = add_int(b, "u16", 2, 0);
	id_u32 = add_int(b, "u32", 4, 0);
	int ul = add_int(b, "long unsigned int", 8, 0);
	int i32 = add_int(b, "int", 4, BTF_INT_SIGNED);
	int rs = btf__add_struct(b, "refcount_struct", 4);
	btf__add_field(b, "refs", i32, 0, 0);
	id_refcount_t = btf__add_typedef(b, "refcount_t", rs);
	int dir = btf__add_enum(b, "ip_conntrack_dir", 4);
	btf__add_enum_value(b, "IP_CT_DIR_ORIGINAL", 0);
	btf__add_enum_value(b, "IP_CT_DIR_REPLY", 1);
	btf__add_enum(b, NULL, 4); /* anonymous, signed */
	btf__add_enum_value(b, "NEG_ONE", -1);
	btf__add_enum_value(b, "BASE_ENUM", 5);
	btf__add_enum(b, "unsigned_big", 4);
	btf__add_enum_value(b, "U32_TOP", (int64_t)0xfffffff0u);
	btf__add_enum64(b, "e64", 8, true);
	btf__add_enum64_value(b, "E64_NEG", (uint64_t)-5LL);
	btf__add_enum64(b, "u64e", 8, false);
	btf__add_enum64_value(b, "E64_BIG", 0x123456789abcdefULL);
	add_nf_conn(b, u8, u16, id_u32, ul, id_refcount_t, dir);
	int vp = btf__add_ptr(b, 0);
	int pn = btf__add_struct(b, NULL, 8);
	btf__add_field(b, "net", vp, 0, 0);
	btf__add_typedef(b, "possible_net_t", pn);
	btf__add_typedef(b, "nf_conn_t", btf__find_by_name_kind(b, "nf_conn", BTF_KIND_STRUCT));
	btf__add_fwd(b, "fwd_only", BTF_FWD_STRUCT);
	btf__add_struct(b, "shadowed", 4);
	btf__add_field(b, "base", i32, 0, 0);
	int all = btf__add_array(b, id_u32, id_u32, 4);
	btf__add_union(b, "nf_inet_addr", 16);
	btf__add_field(b, "all", all, 0, 0);
	btf__add_field(b, "ip", id_u32, 0, 0);
	return b;
}

/* The module's part: its own struct, a shadow of a base name, and an enum. */
static struct btf *make_module(struct btf *base)
{
	struct btf *m = btf__new_empty_split(base);
	btf__add_struct(m, "nf_conntrack_net", 8);
	btf__add_field(m, "count", id_u32, 0, 0);
	btf__add_field(m, "use", id_refcount_t, 32, 0);
	btf__add_struct(m, "shadowed", 8);
	btf__add_field(m, "mod", id_u32, 32, 0);
	btf__add_enum(m, "mod_enum", 4);
	btf__add_enum_value(m, "MOD_ENUM", 7);
	btf__add_enum_value(m, "BASE_ENUM", 6); /* shadows the base's 5 */
	return m;
}

static struct ct_btf_blob blob_of(const char *name, const struct btf *b)
{
	struct ct_btf_blob r;
	uint32_t size;
	const void *raw = btf__raw_data(b, &size);
	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", name);
	r.data = malloc(size);
	memcpy(r.data, raw, size);
	r.size = size;
	return r;
}

static struct ct_types *types_of(const struct ct_btf_blob *b, unsigned n, unsigned flags)
{
	struct ct_types *t;
	struct ct_error err = { 0 };
	if (ct_types_new(&t, &err))
		exit(1);
	ct_status st = ct_types_add_btf(t, b, n, flags, &err);
	CHECK(st == CT_OK, "ct_types_add_btf: %s", err.text);
	return t;
}

static void check_size(struct ct_types *t, const char *type, ct_status want_st, uint64_t want)
{
	uint64_t size = 0;
	struct ct_error err = { 0 };
	ct_status st = ct_types_sizeof(t, type, &size, &err);
	CHECK(st == want_st, "sizeof %s: status %d (%s), want %d", type, st, err.text, want_st);
	if (st == CT_OK && want_st == CT_OK)
		CHECK(size == want, "sizeof %s: %llu, want %llu", type,
		      (unsigned long long)size, (unsigned long long)want);
}

/* path → offset size bit_offset bit_size array_count kind type_name */
static void check_member(struct ct_types *t, const char *path, uint64_t off, uint64_t size,
			 unsigned bo, unsigned bs, uint64_t count, enum ct_type_kind kind,
			 const char *name)
{
	struct ct_member m;
	struct ct_error err = { 0 };
	ct_status st = ct_types_member(t, path, &m, &err);
	CHECK(st == CT_OK, "%s: %s", path, err.text);
	if (st)
		return;
	CHECK(m.offset == off && m.size == size && m.bit_offset == bo && m.bit_size == bs &&
	      m.array_count == count && m.kind == kind && strcmp(m.type_name, name) == 0,
	      "%s: got off %llu size %llu bits %u+%u count %llu kind %d \"%s\"", path,
	      (unsigned long long)m.offset, (unsigned long long)m.size, m.bit_offset,
	      m.bit_size, (unsigned long long)m.array_count, m.kind, m.type_name);
}

static void check_no_member(struct ct_types *t, const char *path, ct_status want)
{
	struct ct_member m;
	struct ct_error err = { 0 };
	ct_status st = ct_types_member(t, path, &m, &err);
	CHECK(st == want, "%s: status %d (%s), want %d", path, st, err.text, want);
}

static void check_enum(struct ct_types *t, const char *name, ct_status want_st, int64_t want)
{
	int64_t v = 0;
	struct ct_error err = { 0 };
	ct_status st = ct_types_enum_value(t, name, &v, &err);
	CHECK(st == want_st, "enum %s: status %d (%s)", name, st, err.text);
	if (st == CT_OK && want_st == CT_OK)
		CHECK(v == want, "enum %s: %lld, want %lld", name, (long long)v, (long long)want);
}

static void test_base(const struct ct_btf_blob *base)
{
	struct ct_types *t = types_of(base, 1, 0);
	check_size(t, "nf_conn", CT_OK, 64);
	check_size(t, "struct nf_conn", CT_OK, 64);
	check_size(t, "union nf_conn", CT_ERR_NOTFOUND, 0);
	check_size(t, "union nf_inet_addr", CT_OK, 16);
	check_size(t, "possible_net_t", CT_OK, 8);
	check_size(t, "refcount_t", CT_OK, 4);
	check_size(t, "u32", CT_OK, 4);
	check_size(t, "ip_conntrack_dir", CT_OK, 4);
	check_size(t, "fwd_only", CT_ERR_NOTFOUND, 0);
	check_size(t, "struct fwd_only", CT_ERR_NOTFOUND, 0);
	check_size(t, "no_such_type", CT_ERR_NOTFOUND, 0);
	check_size(t, "shadowed", CT_OK, 4);
	check_member(t, "nf_conn.ct_general", 0, 4, 0, 0, 0, CT_KIND_STRUCT, "struct nf_conntrack");
	check_member(t, "nf_conn.ct_general.use", 0, 4, 0, 0, 0, CT_KIND_STRUCT, "refcount_t");
	check_member(t, "nf_conn.ct_general.use.refs", 0, 4, 0, 0, 0, CT_KIND_BASE, "int");
	check_member(t, "nf_conn.timeout", 4, 4, 0, 0, 0, CT_KIND_BASE, "u32");
	check_member(t, "nf_conn.hi", 6, 2, 0, 0, 0, CT_KIND_BASE, "u16");
	check_member(t, "nf_conn.tuplehash", 8, 16, 0, 0, 2, CT_KIND_ARRAY, "array");
	check_member(t, "nf_conn.tuplehash[1]", 16, 8, 0, 0, 0, CT_KIND_STRUCT,
		     "struct nf_conntrack_tuple_hash");
	check_member(t, "nf_conn.tuplehash[1].b", 20, 4, 0, 0, 0, CT_KIND_BASE, "u32");
	check_member(t, "nf_conn.flags", 24, 4, 0, 3, 0, CT_KIND_BASE, "u32");
	check_member(t, "nf_conn.mark", 24, 4, 3, 5, 0, CT_KIND_BASE, "u32");
	check_member(t, "nf_conn.zone", 28, 4, 5, 10, 0, CT_KIND_BASE, "u32");
	check_member(t, "nf_conn.status", 32, 8, 0, 0, 0, CT_KIND_BASE, "long unsigned int");
	check_member(t, "nf_conn.dir", 40, 4, 0, 0, 0, CT_KIND_ENUM, "enum ip_conntrack_dir");
	check_member(t, "nf_conn.ext", 48, 8, 0, 0, 0, CT_KIND_POINTER, "pointer");
	check_member(t, "nf_conn.c", 56, 4, 0, 0, 0, CT_KIND_BASE, "(anonymous)");
	check_member(t, "nf_conn.proto", 60, 0, 0, 0, 0, CT_KIND_ARRAY, "array");
	check_member(t, "nf_conn.proto[9]", 69, 1, 0, 0, 0, CT_KIND_BASE, "u8");
	check_member(t, "nf_conn_t.status", 32, 8, 0, 0, 0, CT_KIND_BASE, "long unsigned int");
	check_member(t, "possible_net_t.net", 0, 8, 0, 0, 0, CT_KIND_POINTER, "pointer");
	check_member(t, "union nf_inet_addr.all[3]", 12, 4, 0, 0, 0, CT_KIND_BASE, "u32");
	check_no_member(t, "nf_conn.tuplehash[2]", CT_ERR_NOTFOUND);
	check_no_member(t, "nf_conn.status[0]", CT_ERR_NOTFOUND);
	check_no_member(t, "nf_conn.status.x", CT_ERR_NOTFOUND);
	check_no_member(t, "nf_conn.nosuch", CT_ERR_NOTFOUND);
	check_no_member(t, "nf_conn.lo.x", CT_ERR_NOTFOUND);
	check_no_member(t, "fwd_only.x", CT_ERR_NOTFOUND);
	check_enum(t, "IP_CT_DIR_REPLY", CT_OK, 1);
	check_enum(t, "NEG_ONE", CT_OK, -1);
	check_enum(t, "BASE_ENUM", CT_OK, 5);
	check_enum(t, "U32_TOP", CT_OK, 0xfffffff0LL);
	check_enum(t, "E64_NEG", CT_OK, -5);
	check_enum(t, "E64_BIG", CT_OK, 0x123456789abcdefLL);
	check_enum(t, "MOD_ENUM", CT_ERR_NOTFOUND, 0);
	struct ct_types_stats s;
	ct_types_get_stats(t, &s);
	CHECK_EQ_U64(s.files, 1, "files");
	CHECK(s.dies_indexed > 10, "names indexed: %lu", s.dies_indexed);
	ct_types_free(t);
}

static void test_split(const struct ct_btf_blob *b)
{
	struct ct_types *t = types_of(b, 2, 0);
	check_size(t, "nf_conntrack_net", CT_OK, 8);
	check_size(t, "shadowed", CT_OK, 8); /* the module's, first */
	check_size(t, "nf_conn", CT_OK, 64);
	check_member(t, "nf_conntrack_net.use", 4, 4, 0, 0, 0, CT_KIND_STRUCT, "refcount_t");
	check_member(t, "shadowed.mod", 4, 4, 0, 0, 0, CT_KIND_BASE, "u32");
	check_no_member(t, "shadowed.base", CT_ERR_NOTFOUND); /* final: module knows the root */
	check_enum(t, "MOD_ENUM", CT_OK, 7);
	check_enum(t, "BASE_ENUM", CT_OK, 6);
	check_enum(t, "NEG_ONE", CT_OK, -1);
	struct ct_types_stats s;
	ct_types_get_stats(t, &s);
	CHECK_EQ_U64(s.files, 2, "files");
	ct_types_free(t);

	t = types_of(b, 2, CT_BTF_MODULES_ONLY);
	check_size(t, "nf_conntrack_net", CT_OK, 8);
	check_size(t, "nf_conn", CT_ERR_NOTFOUND, 0);
	check_size(t, "u32", CT_ERR_NOTFOUND, 0);
	check_member(t, "nf_conntrack_net.use.refs", 4, 4, 0, 0, 0, CT_KIND_BASE, "int");
	check_no_member(t, "nf_conn.status", CT_ERR_NOTFOUND);
	check_enum(t, "MOD_ENUM", CT_OK, 7);
	check_enum(t, "NEG_ONE", CT_ERR_NOTFOUND, 0);
	ct_types_free(t);
	t = types_of(b, 1, CT_BTF_MODULES_ONLY); /* no modules: knows nothing */
	check_size(t, "nf_conn", CT_ERR_NOTFOUND, 0);
	ct_types_free(t);
}

/* A blob that must be refused (CT_ERR_CORRUPT naming it) or, if libbpf
 * takes it, answer without crashing. */
static void check_refused(const struct ct_btf_blob *b, unsigned n, const char *what)
{
	struct ct_types *t;
	struct ct_error err = { 0 };
	ct_types_new(&t, &err);
	ct_status st = ct_types_add_btf(t, b, n, 0, &err);
	CHECK(st == CT_ERR_CORRUPT, "%s: status %d (%s)", what, st, err.text);
	CHECK(st != CT_ERR_CORRUPT || strstr(err.text, b[n - 1].name), "%s: \"%s\"", what,
	      err.text);
	ct_types_free(t);
}

static void test_corrupt(const struct ct_btf_blob *good)
{
	struct ct_btf_blob b[2];
	b[0] = *good;
	snprintf(b[0].name, sizeof(b[0].name), "vmlinux");
	b[0].size = good->size / 2;
	check_refused(b, 1, "truncated");
	b[0].size = 10;
	check_refused(b, 1, "header only");
	b[0].size = CT_BTF_MAX_SIZE + 1u;
	check_refused(b, 1, "huge");
	b[0].size = 0;
	check_refused(b, 1, "empty");
	unsigned char *copy = malloc(good->size);
	memcpy(copy, good->data, good->size);
	copy[0] ^= 0xff;
	b[0].data = copy;
	b[0].size = good->size;
	check_refused(b, 1, "bad magic");
	/* A module that is not split BTF on this base (its own header is a
	 * second base). */
	b[0] = *good;
	b[1] = *good;
	b[1].data = copy;
	snprintf(b[1].name, sizeof(b[1].name), "nf_conntrack");
	check_refused(b, 2, "module with bad magic");
	free(copy);
}

/* Loops libbpf lets through: typedefs that refer to each other, an array
 * of itself, a struct made of anonymous copies of itself, a member of an
 * id beyond the last. */
static void test_loops(void)
{
	struct btf *b = btf__new_empty();
	int u32 = add_int(b, "u32", 4, 0);
	int ta = btf__type_cnt(b);
	btf__add_typedef(b, "loop_a", ta + 1);
	btf__add_typedef(b, "loop_b", ta);
	int arr = btf__type_cnt(b);
	btf__add_array(b, u32, arr, 3);
	btf__add_struct(b, "holder", 8);
	btf__add_field(b, "arr", arr, 0, 0);
	btf__add_field(b, "lp", ta, 32, 0);
	int self = btf__type_cnt(b);
	btf__add_struct(b, "fan", 4);
	for (int i = 0; i < 16; i++)
		btf__add_field(b, NULL, self, 0, 0);
	btf__add_struct(b, "bad_ref", 4);
	btf__add_field(b, "x", 60000, 0, 0);
	struct ct_btf_blob blob = blob_of("vmlinux", b);
	btf__free(b);
	struct ct_types *t;
	struct ct_error err = { 0 };
	ct_types_new(&t, &err);
	ct_status st = ct_types_add_btf(t, &blob, 1, 0, &err);
	CHECK(st == CT_OK || st == CT_ERR_CORRUPT, "loops: %d %s", st, err.text);
	if (st == CT_OK) {
		check_size(t, "loop_a", CT_ERR_CORRUPT, 0);
		check_member(t, "holder.arr", 0, 0, 0, 0, 3, CT_KIND_ARRAY, "array");
		check_no_member(t, "holder.arr[1]", CT_ERR_CORRUPT);
		check_member(t, "holder.lp", 4, 0, 0, 0, 0, CT_KIND_OTHER, "loop_a");
		check_no_member(t, "holder.lp.x", CT_ERR_NOTFOUND);
		check_no_member(t, "fan.nothing", CT_ERR_NOTFOUND);
		struct ct_member m;
		st = ct_types_member(t, "bad_ref.x", &m, &err);
		CHECK(st == CT_OK && m.size == 0 && m.kind == CT_KIND_OTHER,
		      "bad_ref.x: %d %s", st, err.text);
	} else {
		printf("libbpf refuses the loop blob: %s\n", err.text);
	}
	ct_types_free(t);
	ct_btf_blob_free(&blob);
}

/* A minimal ELF64 file: null, .BTF and .shstrtab sections. */
static void write_elf(const char *path, const struct ct_btf_blob *b, int with_btf)
{
	static const char shstr[] = "\0.BTF\0.shstrtab\0.other";
	Elf64_Ehdr eh = { .e_type = ET_REL, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_ehsize = sizeof(Elf64_Ehdr), .e_shentsize = sizeof(Elf64_Shdr),
			  .e_shnum = 3, .e_shstrndx = 2 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	uint64_t data_off = sizeof(eh), str_off = data_off + b->size;
	eh.e_shoff = str_off + sizeof(shstr);
	Elf64_Shdr sh[3] = { { 0 } };
	sh[1] = (Elf64_Shdr){ .sh_name = with_btf ? 1 : 17, .sh_type = SHT_PROGBITS,
			      .sh_offset = data_off, .sh_size = b->size, .sh_addralign = 1 };
	sh[2] = (Elf64_Shdr){ .sh_name = 6, .sh_type = SHT_STRTAB, .sh_offset = str_off,
			      .sh_size = sizeof(shstr), .sh_addralign = 1 };
	FILE *f = fopen(path, "wb");
	if (!f)
		exit(1);
	fwrite(&eh, sizeof(eh), 1, f);
	fwrite(b->data, 1, b->size, f);
	fwrite(shstr, sizeof(shstr), 1, f);
	fwrite(sh, sizeof(sh), 1, f);
	fclose(f);
}

static void test_elf(const char *dir, const struct ct_btf_blob *base)
{
	char path[512];
	struct ct_btf_blob b;
	struct ct_error err = { 0 };
	snprintf(path, sizeof(path), "%s/nf_conntrack.ko", dir);
	write_elf(path, base, 1);
	ct_status st = ct_btf_blob_from_elf(path, &b, &err);
	CHECK(st == CT_OK, "%s: %s", path, err.text);
	if (st == CT_OK) {
		CHECK_STR(b.name, "nf_conntrack", "blob name");
		CHECK(b.size == base->size && memcmp(b.data, base->data, b.size) == 0,
		      "blob bytes");
		ct_btf_blob_free(&b);
	}
	snprintf(path, sizeof(path), "%s/vmlinux-6.1.0-56-cloud-amd64", dir);
	write_elf(path, base, 1);
	CHECK(ct_btf_blob_from_elf(path, &b, &err) == CT_OK, "%s: %s", path, err.text);
	CHECK_STR(b.name, "vmlinux-6.1.0-56-cloud-amd64", "vmlinux blob name");
	ct_btf_blob_free(&b);
	snprintf(path, sizeof(path), "%s/nobtf.ko", dir);
	write_elf(path, base, 0);
	CHECK(ct_btf_blob_from_elf(path, &b, &err) == CT_ERR_NOTFOUND, "no .BTF");
	CHECK(strstr(err.text, "no BTF") != NULL, "sentence: %s", err.text);
	CHECK(b.data == NULL, "no data");
}

static void test_identity(const struct ct_btf_blob *b)
{
	char h1[65], h2[65], h3[65], h4[65];
	struct ct_btf_blob swapped[2] = { b[1], b[0] };
	ct_btf_identity(b, 2, h1, sizeof(h1));
	ct_btf_identity(b, 2, h2, sizeof(h2));
	ct_btf_identity(swapped, 2, h3, sizeof(h3));
	CHECK_EQ_U64(strlen(h1), 32, "identity length");
	CHECK_STR(h1, h2, "identity stable");
	CHECK(strcmp(h1, h3) != 0, "order changes the identity");
	b[1].data[b[1].size - 1] ^= 1;
	ct_btf_identity(b, 2, h4, sizeof(h4));
	b[1].data[b[1].size - 1] ^= 1;
	CHECK(strcmp(h1, h4) != 0, "a byte changes the identity");
	ct_btf_identity(b, 1, h4, sizeof(h4));
	CHECK(strcmp(h1, h4) != 0, "the blob count changes the identity");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_types_btf SCRATCH-DIR\n");
		return 2;
	}
	struct btf *base = make_base(), *mod = make_module(base);
	struct ct_btf_blob b[2] = { blob_of("vmlinux", base), blob_of("nf_conntrack", mod) };
	btf__free(mod);
	btf__free(base);
	test_base(&b[0]);
	test_split(b);
	test_corrupt(&b[0]);
	test_loops();
	test_elf(argv[1], &b[0]);
	test_identity(b);
	ct_btf_blob_free(&b[0]);
	ct_btf_blob_free(&b[1]);
	return harness_done("btf finder");
}
