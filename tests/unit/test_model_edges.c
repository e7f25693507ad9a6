/* test_model_edges.c — the kernel model refuses or adapts, with one clear
 * sentence, when the layout table lacks what it needs; and the resolver
 * rejects malformed questions and files that are not debug files.
 * usage: test_model_edges GEN61.vmlinux SCRATCH_DIR */
#include <stdlib.h>
#include <unistd.h>

#include "base/elf_file.h"
#include "harness.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "types/types.h"

static struct ct_layout base;

static ct_status build_without(enum ct_layout_id id, struct ct_kmodel *m,
			       struct ct_error *err)
{
	struct ct_layout l = base;
	l.e[id].state = CTL_ABSENT;
	return ct_kmodel_build(&l, m, err);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s GEN61.vmlinux SCRATCH_DIR\n", argv[0]);
		return 2;
	}
	struct ct_types *t;
	struct ct_error err = { 0 };
	struct ct_kmodel m;
	CHECK(ct_types_new(&t, &err) == CT_OK, "new");
	CHECK(ct_types_add_file(t, argv[1], &err) == CT_OK, "add: %s", err.text);
	CHECK(ct_layout_resolve(t, &base, &err) == CT_OK, "resolve: %s", err.text);
	CHECK(ct_kmodel_build(&base, &m, &err) == CT_OK, "base model: %s", err.text);

	/* Essentials missing: a sentence naming what is missing. */
	CHECK(build_without(CTL_NF_CONN, &m, &err) == CT_ERR_UNSUPPORTED &&
	      strstr(err.text, "nf_conn") && strstr(err.text, "nf_conntrack"),
	      "missing nf_conn: %s", err.text);
	CHECK(build_without(CTL_CTNET_COUNT, &m, &err) == CT_ERR_UNSUPPORTED &&
	      strstr(err.text, "count"), "no counter: %s", err.text);
	/* Status bits not in DWARF: the uapi values, and it says so. */
	CHECK(build_without(CTL_IPS_CONFIRMED_BIT, &m, &err) == CT_OK && m.bits_from_uapi &&
	      m.bits.confirmed == 3 && m.bits.dying == 9, "uapi fallback");
	/* Inconsistent files: tuplehash stride differs from the node size. */
	struct ct_layout l = base;
	l.e[CTL_TUPLE_HASH].value += 8;
	CHECK(ct_kmodel_build(&l, &m, &err) == CT_ERR_CORRUPT && strstr(err.text, "stride"),
	      "stride: %s", err.text);
	/* pcpu_lists without struct ct_pcpu. */
	l = base;
	l.e[CTL_NETNS_CT_PCPU_LISTS].state = CTL_PRESENT;
	CHECK(ct_kmodel_build(&l, &m, &err) == CT_ERR_UNSUPPORTED && strstr(err.text, "ct_pcpu"),
	      "pcpu without ct_pcpu: %s", err.text);

	/* Malformed questions. */
	struct ct_member mem;
	uint64_t size;
	static const char *const bad_paths[] = {
		"", "1abc", "nf_conn..status", "nf_conn.", "nf_conn[", "nf_conn.tuplehash[x]",
		"nf_conn.tuplehash[1", "nf_conn.status!", "nf_conn",
		"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r",
	};
	for (size_t i = 0; i < sizeof(bad_paths) / sizeof(*bad_paths); i++)
		CHECK(ct_types_member(t, bad_paths[i], &mem, &err) == CT_ERR_USAGE,
		      "bad path \"%s\" is a usage error", bad_paths[i]);
	CHECK(ct_types_sizeof(t, "nf_conn.status", &size, &err) == CT_ERR_USAGE,
	      "sizeof of a member path is a usage error");
	CHECK(ct_types_member(t, "nf_conn.status.x", &mem, &err) == CT_ERR_NOTFOUND,
	      "member of a non-struct");
	CHECK(ct_types_member(t, "nf_conn.status[0]", &mem, &err) == CT_ERR_NOTFOUND,
	      "index of a non-array");
	ct_types_free(t);

	/* Files that are no debug files: one sentence each, no crash. */
	char p[4096];
	struct { const char *name; const char *data; size_t len; ct_status want; } cases[] = {
		{ "empty", "", 0, CT_ERR_UNSUPPORTED },
		{ "text", "hello, world\n", 13, CT_ERR_UNSUPPORTED },
		{ "elf32", "\177ELF\001\001\001", 7, CT_ERR_UNSUPPORTED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(p, sizeof(p), "%s/%s-%d", argv[2], cases[i].name, (int)getpid());
		write_file(p, cases[i].data, cases[i].len);
		ct_types_new(&t, &err);
		ct_status st = ct_types_add_file(t, p, &err);
		CHECK(st == cases[i].want && strstr(err.text, p), "%s: %s (%s)", cases[i].name,
		      ct_status_name(st), err.text);
		ct_types_free(t);
		unlink(p);
	}
	/* A truncated ELF: its section headers are past the end. */
	struct ct_elf *elf;
	CHECK(ct_elf_open(argv[1], &elf, &err) == CT_OK, "open");
	snprintf(p, sizeof(p), "%s/truncated-%d", argv[2], (int)getpid());
	write_file(p, elf->map, elf->map_size / 2);
	ct_elf_close(elf);
	ct_types_new(&t, &err);
	CHECK(ct_types_add_file(t, p, &err) == CT_ERR_CORRUPT && strstr(err.text, "truncated"),
	      "truncated: %s", err.text);
	ct_types_free(t);
	unlink(p);
	/* An ELF without DWARF (this very test binary, when stripped, would do;
	 * /bin/true is one on Debian). */
	ct_types_new(&t, &err);
	CHECK(ct_types_add_file(t, "/bin/true", &err) == CT_ERR_NOTFOUND &&
	      strstr(err.text, "no DWARF"), "no DWARF: %s", err.text);
	CHECK(ct_types_add_file(t, "/nonexistent/vmlinux", &err) == CT_ERR_NOTFOUND,
	      "missing file");
	ct_types_free(t);
	return harness_done("model edges and bad input");
}
