/* test_synth.c — the DWARF type finder, the layout table and the kernel model
 * against one synthetic kernel generation (compiled with -include
 * tests/unit/synth/gen_X.h, which also gives this file the ground truth:
 * offsetof/sizeof of the very declarations gcc described in DWARF).
 *
 * usage: test_synth_X GEN.o GEN.vmlinux SCRATCH_DIR
 * GEN.o is an ET_REL object (read like a module .ko, relocations applied by
 * libdwarf); GEN.vmlinux is linked with --emit-relocs (read like vmlinux,
 * relocation sections hidden). A copy of GEN.vmlinux whose .rela.debug_info
 * is overwritten with garbage must give the same answers: proof that the
 * hidden relocations are never applied.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/elf_file.h"
#include "harness.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "types/types.h"

static struct ct_types *types;
static struct ct_layout layout;
static const char *source;
static int covered[CTL__COUNT];

static int layout_id(const char *q)
{
	for (int i = 0; i < CTL__COUNT; i++)
		if (strcmp(ct_layout_defs[i].question, q) == 0)
			return i;
	return -1;
}

static void truth_size(const char *q, uint64_t want)
{
	uint64_t got = 0;
	struct ct_error err = { 0 };
	ct_status st = ct_types_sizeof(types, q, &got, &err);
	CHECK(st == CT_OK, "%s: sizeof %s: %s", source, q, err.text);
	CHECK(got == want, "%s: sizeof %s = %" PRIu64 ", want %" PRIu64, source, q,
	      got, want);
	int id = layout_id(q);
	if (id >= 0) {
		covered[id] = 1;
		CHECK(layout.e[id].state == CTL_PRESENT &&
		      (uint64_t)layout.e[id].value == want,
		      "%s: layout %s = %" PRId64 " (state %u), want %" PRIu64, source,
		      q, layout.e[id].value, layout.e[id].state, want);
	}
}

static void truth_member(const char *q, uint64_t off, uint64_t size,
			 uint32_t bit_off, uint32_t bit_size)
{
	struct ct_member m;
	struct ct_error err = { 0 };
	ct_status st = ct_types_member(types, q, &m, &err);
	CHECK(st == CT_OK, "%s: member %s: %s", source, q, err.text);
	if (st)
		return;
	CHECK(m.offset == off && m.bit_offset == bit_off && m.bit_size == bit_size,
	      "%s: %s at %" PRIu64 " bits %u:%u, want %" PRIu64 " bits %u:%u",
	      source, q, m.offset, m.bit_offset, m.bit_size, off, bit_off,
	      bit_size);
	CHECK(bit_size || m.size == size, "%s: %s size %" PRIu64 ", want %" PRIu64,
	      source, q, m.size, size);
	int id = layout_id(q);
	if (id >= 0) {
		const struct ct_layout_entry *e = &layout.e[id];
		covered[id] = 1;
		CHECK(e->state == CTL_PRESENT && (uint64_t)e->value == off &&
		      e->bit_offset == bit_off && e->bit_size == bit_size,
		      "%s: layout %s = %" PRId64 " (state %u), want %" PRIu64, source,
		      q, e->value, e->state, off);
	}
}

static void truth_enum(const char *q, int64_t want)
{
	int64_t got = 0;
	struct ct_error err = { 0 };
	ct_status st = ct_types_enum_value(types, q, &got, &err);
	CHECK(st == CT_OK && got == want, "%s: %s = %" PRId64 " (%s), want %" PRId64,
	      source, q, got, err.text, want);
	int id = layout_id(q);
	if (id >= 0) {
		covered[id] = 1;
		CHECK(layout.e[id].state == CTL_PRESENT && layout.e[id].value == want,
		      "%s: layout %s", source, q);
	}
}

/* absent: the resolver must say NOTFOUND, and the layout either ABSENT or,
 * when its dependency ruled the question out, NOT_ASKED. */
static void truth_absent(const char *q)
{
	struct ct_member m;
	uint64_t size;
	int64_t v;
	struct ct_error err = { 0 };
	ct_status st;
	if (strchr(q, '.'))
		st = ct_types_member(types, q, &m, &err);
	else if (strncmp(q, "IP", 2) == 0)
		st = ct_types_enum_value(types, q, &v, &err);
	else
		st = ct_types_sizeof(types, q, &size, &err);
	CHECK(st == CT_ERR_NOTFOUND, "%s: %s should be absent, got %s", source, q,
	      ct_status_name(st));
	int id = layout_id(q);
	if (id >= 0) {
		covered[id] = 1;
		CHECK(layout.e[id].state != CTL_PRESENT, "%s: layout %s should not be present",
		      source, q);
	}
}

/* A question its dependency rules out for this generation: never asked. */
static void truth_not_asked(const char *q)
{
	int id = layout_id(q);
	CHECK(id >= 0, "%s: %s is not a layout question", source, q);
	if (id < 0)
		return;
	covered[id] = 1;
	CHECK(layout.e[id].state == CTL_NOT_ASKED, "%s: layout %s should not be asked (state %u)",
	      source, q, layout.e[id].state);
}

#define T_NOT_ASKED(q) truth_not_asked(q)
#define T_SIZE(q, T) truth_size(q, sizeof(T))
#define T_OFF(q, T, mem) truth_member(q, offsetof(T, mem), sizeof(((T *)0)->mem), 0, 0)
#define T_ENUM(q, v) truth_enum(q, v)
#define T_ABSENT(q) truth_absent(q)
/* Bitfields: set the field to all ones in a zeroed object and look. */
#define T_BITS(q, T, mem)                                                        \
	do {                                                                     \
		T x_;                                                            \
		memset(&x_, 0, sizeof(x_));                                      \
		x_.mem = 0;                                                      \
		x_.mem--;                                                        \
		const unsigned char *b_ = (const unsigned char *)&x_;            \
		size_t first_ = 0, n_ = 0;                                       \
		for (size_t i_ = 0; i_ < sizeof(x_) * 8; i_++)                   \
			if (b_[i_ / 8] >> (i_ % 8) & 1) {                        \
				if (!n_++)                                       \
					first_ = i_;                             \
			}                                                        \
		truth_member(q, first_ / 8, 0, (uint32_t)(first_ % 8), (uint32_t)n_); \
	} while (0)

/* Facts every generation shares: the tuple and its hash node. */
/* Questions about modules' private types (nfnetlink_queue's) are checked
 * against gdb on Debian's real module debug files by tests/system/real-debian.sh,
 * not on the synthetic kernels. */
static int real_only(const char *q)
{
	static const char *const prefixes[] = { "nfnl_queue_net.", "nfqnl_instance.", "nf_queue_entry." };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (strncmp(q, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void common_truths(void)
{
	T_OFF("nf_conntrack_expect.master", struct nf_conntrack_expect, master);
	T_OFF("sk_buff.sk", struct sk_buff, sk);
	T_OFF("nf_ct_ext.offset", struct nf_ct_ext, offset);
	T_ENUM("NF_CT_EXT_TSTAMP", NF_CT_EXT_TSTAMP);
	T_OFF("nf_conn_tstamp.start", struct nf_conn_tstamp, start);
	T_OFF("timekeeper.xtime_sec", struct timekeeper, xtime_sec);
#ifdef SYNTH_TK_DATA
	T_OFF("tk_data.timekeeper", struct tk_data, timekeeper);
	T_OFF("tk_data.timekeeper.xtime_sec", struct tk_data, timekeeper.xtime_sec);
#else
	T_ABSENT("tk_data.timekeeper");
#endif
#ifdef SYNTH_HAS_BTF_MODULES
	T_OFF("btf_module.list", struct btf_module, list);
	T_OFF("btf_module.btf", struct btf_module, btf);
	T_OFF("btf.data", struct btf, data);
	T_OFF("btf.data_size", struct btf, data_size);
	T_OFF("btf.name", struct btf, name);
#else
	T_ABSENT("btf_module.list");
	T_NOT_ASKED("btf_module.btf");
	T_NOT_ASKED("btf.data");
	T_NOT_ASKED("btf.data_size");
	T_NOT_ASKED("btf.name");
#endif
	T_SIZE("sk_buff", struct sk_buff);
	T_OFF("sk_buff.dev", struct sk_buff, dev);
	T_OFF("sk_buff.len", struct sk_buff, len);
	T_OFF("net_device.name", struct net_device, name);
	T_SIZE("nf_conn", struct nf_conn);
	T_OFF("nf_conn.ct_general.use", struct nf_conn, ct_general.use);
	T_OFF("nf_conn.timeout", struct nf_conn, timeout);
	T_OFF("nf_conn.tuplehash[0]", struct nf_conn, tuplehash[0]);
	T_OFF("nf_conn.tuplehash[1]", struct nf_conn, tuplehash[1]);
	T_OFF("nf_conn.tuplehash[1].tuple.dst.dir", struct nf_conn, tuplehash[1].tuple.dst.dir);
	T_OFF("nf_conn.status", struct nf_conn, status);
	T_OFF("nf_conn.ct_net", struct nf_conn, ct_net);
	T_OFF("nf_conn.master", struct nf_conn, master);
	T_OFF("nf_conn.mark", struct nf_conn, mark);
	T_OFF("nf_conn.ext", struct nf_conn, ext);
	T_OFF("nf_conn.proto.tcp.state", struct nf_conn, proto.tcp.state);
	T_SIZE("nf_conntrack_tuple_hash", struct nf_conntrack_tuple_hash);
	T_OFF("nf_conntrack_tuple_hash.hnnode", struct nf_conntrack_tuple_hash, hnnode);
	T_OFF("nf_conntrack_tuple_hash.tuple", struct nf_conntrack_tuple_hash, tuple);
	T_OFF("nf_conntrack_tuple.src.u3", struct nf_conntrack_tuple, src.u3);
	T_OFF("nf_conntrack_tuple.src.u.all", struct nf_conntrack_tuple, src.u.all);
	T_OFF("nf_conntrack_tuple.src.l3num", struct nf_conntrack_tuple, src.l3num);
	T_OFF("nf_conntrack_tuple.dst.u3", struct nf_conntrack_tuple, dst.u3);
	T_OFF("nf_conntrack_tuple.dst.u.all", struct nf_conntrack_tuple, dst.u.all);
	T_OFF("nf_conntrack_tuple.dst.u.icmp.code", struct nf_conntrack_tuple, dst.u.icmp.code);
	T_OFF("nf_conntrack_tuple.dst.protonum", struct nf_conntrack_tuple, dst.protonum);
	T_OFF("nf_conntrack_tuple.dst.dir", struct nf_conntrack_tuple, dst.dir);
	T_OFF("hlist_nulls_node.next", struct hlist_nulls_node, next);
	T_OFF("hlist_nulls_node.pprev", struct hlist_nulls_node, pprev);
	T_OFF("net.list", struct net, list);
	T_OFF("net.gen", struct net, gen);
	T_OFF("net.ct", struct net, ct);
	T_OFF("net_generic.ptr", struct net_generic, ptr);
	T_SIZE("struct net", struct net);
	T_SIZE("union nf_inet_addr", union nf_inet_addr);
	T_SIZE("atomic_t", atomic_t);
	T_ENUM("IPS_EXPECTED_BIT", IPS_EXPECTED_BIT);
	T_ENUM("IPS_SEEN_REPLY_BIT", IPS_SEEN_REPLY_BIT);
	T_ENUM("IPS_ASSURED_BIT", IPS_ASSURED_BIT);
	T_ENUM("IPS_CONFIRMED_BIT", IPS_CONFIRMED_BIT);
	T_ENUM("IPS_DYING_BIT", IPS_DYING_BIT);
	T_ENUM("IPS_TEMPLATE_BIT", IPS_TEMPLATE_BIT);
	T_ENUM("IPS_UNTRACKED_BIT", IPS_UNTRACKED_BIT);
	T_ENUM("IP_CT_DIR_REPLY", IP_CT_DIR_REPLY);
	/* Modules and a netns's devices and addresses. */
	T_OFF("module.list", struct module, list);
	T_OFF("module.name", struct module, name);
	T_OFF("module.state", struct module, state);
	T_OFF("net.dev_base_head", struct net, dev_base_head);
	T_OFF("net_device.dev_list", struct net_device, dev_list);
	T_OFF("net_device.ip_ptr", struct net_device, ip_ptr);
	T_OFF("net_device.ip6_ptr", struct net_device, ip6_ptr);
	T_OFF("in_device.ifa_list", struct in_device, ifa_list);
	T_OFF("in_ifaddr.ifa_next", struct in_ifaddr, ifa_next);
	T_OFF("in_ifaddr.ifa_local", struct in_ifaddr, ifa_local);
	T_OFF("inet6_dev.addr_list", struct inet6_dev, addr_list);
	T_OFF("inet6_ifaddr.if_list", struct inet6_ifaddr, if_list);
	T_OFF("inet6_ifaddr.addr", struct inet6_ifaddr, addr);
	T_SIZE("Elf64_Sym", Elf64_Sym);
	T_OFF("module.notes_attrs", struct module, notes_attrs);
#ifdef SYNTH_NOTES_BIN_ATTRS
	/* 7.x: no count; the group's NULL-terminated bin_attrs instead. */
	T_ABSENT("module_notes_attrs.notes");
	T_OFF("module_notes_attrs.grp.bin_attrs", struct module_notes_attrs, grp.bin_attrs);
#else
	T_OFF("module_notes_attrs.notes", struct module_notes_attrs, notes);
	T_NOT_ASKED("module_notes_attrs.grp.bin_attrs");
#endif
	truth_member("module_notes_attrs.attrs", offsetof(struct module_notes_attrs, attrs), 0, 0, 0);
	T_SIZE("bin_attribute", struct bin_attribute);
	T_OFF("bin_attribute.attr.name", struct bin_attribute, attr.name);
	T_OFF("bin_attribute.size", struct bin_attribute, size);
	T_OFF("bin_attribute.private", struct bin_attribute, private);
	/* Malformed and impossible questions. */
	T_ABSENT("nf_conn.no_such_member");
	T_ABSENT("nf_conn.tuplehash[2]");
	T_ABSENT("no_such_struct");
	T_ABSENT("IPS_NO_SUCH_BIT");
}

#if SYNTH_GEN != 310
/* 4.5+: the module's symbol table is in struct mod_kallsyms. */
static void kallsyms_truths(void)
{
	T_OFF("module.kallsyms", struct module, kallsyms);
	T_OFF("mod_kallsyms.symtab", struct mod_kallsyms, symtab);
	T_OFF("mod_kallsyms.num_symtab", struct mod_kallsyms, num_symtab);
	T_OFF("mod_kallsyms.strtab", struct mod_kallsyms, strtab);
	T_OFF("module.core_kallsyms.strtab", struct module, core_kallsyms.strtab);
	T_ABSENT("module.symtab");
	T_ABSENT("module.num_symtab");
	T_ABSENT("module.strtab");
}
#endif

/* SLUB and the memmap: what every generation has, and how it changed. */
static void slub_truths(void)
{
	T_OFF("kmem_cache.size", struct kmem_cache, size);
	T_OFF("kmem_cache.object_size", struct kmem_cache, object_size);
	T_OFF("kmem_cache.offset", struct kmem_cache, offset);
	T_OFF("kmem_cache.oo", struct kmem_cache, oo);
	T_OFF("kmem_cache.oo.x", struct kmem_cache, oo.x);
	T_OFF("kmem_cache.red_left_pad", struct kmem_cache, red_left_pad);
	T_OFF("kmem_cache.name", struct kmem_cache, name);
	T_OFF("kmem_cache.list", struct kmem_cache, list);
	T_SIZE("kmem_cache", struct kmem_cache);
#ifdef SYNTH_NO_CPU_SLAB
	/* 7.0+: no CPU slab at all. */
	T_ABSENT("kmem_cache.cpu_slab");
	T_ABSENT("kmem_cache_cpu");
	T_ABSENT("kmem_cache_cpu.freelist");
	T_ABSENT("kmem_cache_cpu.slab");
	T_ABSENT("kmem_cache_cpu.page");
#else
	T_OFF("kmem_cache.cpu_slab", struct kmem_cache, cpu_slab);
	T_OFF("kmem_cache_cpu.freelist", struct kmem_cache_cpu, freelist);
	T_SIZE("kmem_cache_cpu", struct kmem_cache_cpu);
#endif
#ifdef SYNTH_HAS_SHEAVES
	/* 6.18+: per-CPU sheaves and the barns of full and empty ones. */
	T_OFF("kmem_cache.cpu_sheaves", struct kmem_cache, cpu_sheaves);
	T_OFF("slub_percpu_sheaves.main", struct slub_percpu_sheaves, main);
	T_OFF("slub_percpu_sheaves.spare", struct slub_percpu_sheaves, spare);
	T_OFF("slub_percpu_sheaves.rcu_free", struct slub_percpu_sheaves, rcu_free);
	T_OFF("slab_sheaf.size", struct slab_sheaf, size);
	T_OFF("kmem_cache.sheaf_capacity", struct kmem_cache, sheaf_capacity);
	truth_member("slab_sheaf.objects", offsetof(struct slab_sheaf, objects), 0, 0, 0);
	T_OFF("slab_sheaf.barn_list", struct slab_sheaf, barn_list);
	T_OFF("slab_sheaf.cache", struct slab_sheaf, cache);
	T_OFF("node_barn.sheaves_full", struct node_barn, sheaves_full);
	T_OFF("node_barn.sheaves_empty", struct node_barn, sheaves_empty);
	T_SIZE("slab_sheaf", struct slab_sheaf);
#else
	T_ABSENT("kmem_cache.cpu_sheaves");
	T_NOT_ASKED("slub_percpu_sheaves.main");
	T_NOT_ASKED("slub_percpu_sheaves.spare");
	T_NOT_ASKED("slub_percpu_sheaves.rcu_free");
	T_NOT_ASKED("slab_sheaf.size");
	T_NOT_ASKED("kmem_cache.sheaf_capacity");
	T_NOT_ASKED("slab_sheaf.objects");
	T_NOT_ASKED("slab_sheaf.barn_list");
	T_NOT_ASKED("node_barn.sheaves_full");
	T_NOT_ASKED("kmem_cache.per_node");
	T_ABSENT("slab_sheaf");
#endif
#ifdef SYNTH_HAS_PER_NODE
	/* 7.1+: kmem_cache.node[] became per_node[] {barn, node}. */
	T_OFF("kmem_cache.per_node", struct kmem_cache, per_node);
	T_SIZE("kmem_cache_per_node_ptrs", struct kmem_cache_per_node_ptrs);
	T_OFF("kmem_cache_per_node_ptrs.barn", struct kmem_cache_per_node_ptrs, barn);
	T_OFF("kmem_cache.per_node[1].node", struct kmem_cache, per_node[1].node);
	T_NOT_ASKED("kmem_cache.node");
	T_NOT_ASKED("kmem_cache_node.barn");
#else
	/* Not present, or not asked (no sheaves): either way not present. */
	T_ABSENT("kmem_cache_per_node_ptrs");
	T_ABSENT("kmem_cache_per_node_ptrs.barn");
	T_OFF("kmem_cache.node", struct kmem_cache, node);
	T_OFF("kmem_cache.node[1]", struct kmem_cache, node[1]);
	T_ABSENT("kmem_cache_node.barn");
#endif
	T_SIZE("struct page", struct page);
	T_OFF("page.flags", struct page, flags);
	T_ENUM("PG_head", PG_head);
#ifdef SYNTH_PAGE_TYPE
	/* 6.12+: no PG_slab; page_type's top byte is PGTY_slab. */
	T_ABSENT("PG_slab");
	T_OFF("page.page_type", struct page, page_type);
	T_ENUM("PGTY_slab", PGTY_slab);
	CHECK(PGTY_slab == 0xf5, "%s: PGTY_slab is 0xf5", source);
#else
	T_ENUM("PG_slab", PG_slab);
	/* Asked only without PG_slab (6.12's page types). */
	T_NOT_ASKED("PGTY_slab");
	T_NOT_ASKED("page.page_type");
#endif
#ifdef SYNTH_COMPOUND_INFO
	/* 7.x: compound_head renamed compound_info; PG_tail never asked. */
	T_ABSENT("page.compound_head");
	T_OFF("page.compound_info", struct page, compound_info);
	T_NOT_ASKED("PG_tail");
#elif SYNTH_GEN != 310
	T_OFF("page.compound_head", struct page, compound_head);
	T_NOT_ASKED("page.compound_info");
	T_ABSENT("PG_tail");
#endif
#ifdef SYNTH_HAS_STRUCT_SLAB
	/* 5.17+: struct slab overlays struct page and has its slab fields. */
	T_SIZE("struct slab", struct slab);
	T_OFF("struct slab.slab_cache", struct slab, slab_cache);
	T_OFF("struct slab.freelist", struct slab, freelist);
	T_OFF("struct slab.counters", struct slab, counters);
	T_BITS("struct slab.objects", struct slab, objects);
	T_BITS("struct slab.inuse", struct slab, inuse);
#ifndef SYNTH_NO_CPU_SLAB
	T_OFF("kmem_cache_cpu.slab", struct kmem_cache_cpu, slab);
	T_ABSENT("kmem_cache_cpu.page");
#endif
	T_ABSENT("page.slab_cache");
	T_ABSENT("page.freelist");
	T_ABSENT("page.objects");
	CHECK(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");
#else
	T_OFF("page.slab_cache", struct page, slab_cache);
	T_OFF("page.freelist", struct page, freelist);
	T_BITS("page.objects", struct page, objects);
	T_BITS("page.frozen", struct page, frozen);
	T_OFF("kmem_cache_cpu.page", struct kmem_cache_cpu, page);
	T_ABSENT("kmem_cache_cpu.slab");
	T_ABSENT("struct slab");
	T_ABSENT("struct slab.slab_cache");
	T_ABSENT("struct slab.freelist");
	T_ABSENT("struct slab.objects");
#endif
	T_ABSENT("kmem_cache.no_such_member");
	T_ABSENT("page.no_such_member");
}

#if SYNTH_GEN == 310
static void gen_truths(void)
{
	T_OFF("nf_conn.timeout.expires", struct nf_conn, timeout.expires);
	T_OFF("nf_conn.cpu", struct nf_conn, cpu);
	T_OFF("net.proc_inum", struct net, proc_inum);
	T_ABSENT("net.ns.ops");
	T_OFF("netns_ct.count", struct netns_ct, count);
	T_OFF("netns_ct.pcpu_lists", struct netns_ct, pcpu_lists);
	T_OFF("netns_ct.unconfirmed", struct netns_ct, unconfirmed);
	T_OFF("netns_ct.dying", struct netns_ct, dying);
	T_OFF("netns_ct.tmpl", struct netns_ct, tmpl);
	T_OFF("netns_ct.hash", struct netns_ct, hash);
	T_OFF("netns_ct.htable_size", struct netns_ct, htable_size);
	T_OFF("netns_ct.nf_conntrack_cachep", struct netns_ct, nf_conntrack_cachep);
	T_SIZE("ct_pcpu", struct ct_pcpu);
	T_OFF("ct_pcpu.unconfirmed", struct ct_pcpu, unconfirmed);
	T_OFF("ct_pcpu.dying", struct ct_pcpu, dying);
	T_OFF("ct_pcpu.tmpl", struct ct_pcpu, tmpl);
	T_OFF("net_generic.len", struct net_generic, len);
	T_OFF("sk_buff.nfct", struct sk_buff, nfct);
	T_BITS("sk_buff.nfctinfo", struct sk_buff, nfctinfo);
	T_BITS("sk_buff.pkt_type", struct sk_buff, pkt_type);
	T_ABSENT("nf_conn.zone.id");
	T_ABSENT("net.ns.inum");
	T_ABSENT("net_generic.s");
	T_ABSENT("sk_buff._nfct");
	T_ABSENT("IPS_OFFLOAD_BIT");
	T_ABSENT("nf_conntrack_net.count");
	T_ABSENT("nf_conntrack_net.ecache.dying_list");
	T_ABSENT("net_generic.s.len");
	/* RHEL 7's module carries its symbol table itself. */
	T_OFF("module.symtab", struct module, symtab);
	T_OFF("module.num_symtab", struct module, num_symtab);
	T_OFF("module.strtab", struct module, strtab);
	T_ABSENT("module.kallsyms");
	T_ABSENT("mod_kallsyms.symtab");
	T_ABSENT("mod_kallsyms.num_symtab");
	T_ABSENT("mod_kallsyms.strtab");
	/* No freelist hardening (4.14), no compound_head (4.4): a tail page
	 * names its head in first_page, PG_tail marks it. */
	T_ABSENT("kmem_cache.random");
	T_ABSENT("page.compound_head");
	T_ABSENT("page.compound_info");
	T_OFF("page.first_page", struct page, first_page);
	T_ENUM("PG_tail", PG_tail);
	T_OFF("page.counters", struct page, counters);
}
#elif SYNTH_GEN == 418 || SYNTH_GEN == 510 || SYNTH_GEN == 514
static void gen_truths(void)
{
	T_OFF("nf_conn.cpu", struct nf_conn, cpu);
	T_OFF("nf_conn.zone.id", struct nf_conn, zone.id);
	T_OFF("net.ns.inum", struct net, ns.inum);
	T_OFF("net.ns.ops", struct net, ns.ops);
#ifdef SYNTH_COUNT_IN_CTNET
	/* 5.13-5.18: the count in nf_conntrack_net, the lists still per CPU. */
	T_OFF("nf_conntrack_net.count", struct nf_conntrack_net, count);
	T_ABSENT("netns_ct.count");
#else
	T_OFF("netns_ct.count", struct netns_ct, count);
	T_ABSENT("nf_conntrack_net.count");
#endif
	T_OFF("netns_ct.pcpu_lists", struct netns_ct, pcpu_lists);
	T_SIZE("ct_pcpu", struct ct_pcpu);
	T_OFF("ct_pcpu.unconfirmed", struct ct_pcpu, unconfirmed);
	T_OFF("ct_pcpu.dying", struct ct_pcpu, dying);
	T_OFF("net_generic.s", struct net_generic, s);
	T_OFF("net_generic.s.len", struct net_generic, s.len);
	T_OFF("sk_buff._nfct", struct sk_buff, _nfct);
	T_ENUM("IPS_OFFLOAD_BIT", IPS_OFFLOAD_BIT);
	T_ABSENT("nf_conn.timeout.expires");
	T_ABSENT("net.proc_inum");
	T_ABSENT("netns_ct.unconfirmed");
	T_ABSENT("netns_ct.dying");
	T_ABSENT("netns_ct.tmpl");
	T_ABSENT("netns_ct.hash");
	T_ABSENT("netns_ct.htable_size");
	T_ABSENT("netns_ct.nf_conntrack_cachep");
	T_ABSENT("ct_pcpu.tmpl");
	T_ABSENT("net_generic.len");
	T_ABSENT("sk_buff.nfct");
	T_ABSENT("sk_buff.nfctinfo");
	T_ABSENT("nf_conntrack_net.ecache.dying_list");
	kallsyms_truths();
	T_OFF("kmem_cache.random", struct kmem_cache, random);
	T_OFF("page.counters", struct page, counters);
}
#elif SYNTH_GEN == 601 || SYNTH_GEN == 612 || SYNTH_GEN == 703
/* 6.1 and later: conntrack as 6.1 (SLUB and the memmap in slub_truths). */
static void gen_truths(void)
{
	T_OFF("nf_conn.zone.id", struct nf_conn, zone.id);
	T_OFF("net.ns.inum", struct net, ns.inum);
	T_OFF("net.ns.ops", struct net, ns.ops);
	T_OFF("nf_conntrack_net.count", struct nf_conntrack_net, count);
	T_OFF("nf_conntrack_net.ecache.dying_list", struct nf_conntrack_net, ecache.dying_list);
	T_OFF("net_generic.s", struct net_generic, s);
	T_OFF("net_generic.s.len", struct net_generic, s.len);
	T_OFF("sk_buff._nfct", struct sk_buff, _nfct);
	T_ENUM("IPS_OFFLOAD_BIT", IPS_OFFLOAD_BIT);
	T_ABSENT("nf_conn.cpu");
	T_ABSENT("nf_conn.timeout.expires");
	T_ABSENT("net.proc_inum");
	T_ABSENT("netns_ct.count");
	T_ABSENT("netns_ct.pcpu_lists");
	T_ABSENT("netns_ct.unconfirmed");
	T_ABSENT("netns_ct.dying");
	T_ABSENT("netns_ct.tmpl");
	T_ABSENT("netns_ct.hash");
	T_ABSENT("netns_ct.htable_size");
	T_ABSENT("netns_ct.nf_conntrack_cachep");
	T_ABSENT("ct_pcpu");
	T_ABSENT("ct_pcpu.unconfirmed");
	T_ABSENT("ct_pcpu.dying");
	T_ABSENT("ct_pcpu.tmpl");
	T_ABSENT("net_generic.len");
	T_ABSENT("sk_buff.nfct");
	T_ABSENT("sk_buff.nfctinfo");
	kallsyms_truths();
	T_OFF("kmem_cache.random", struct kmem_cache, random);
	T_ABSENT("kmem_cache.max");
#if SYNTH_GEN == 703
	/* 7.x: ns_common's refcount moved into an anonymous struct; the
	 * identity ctleak reads (ops, inum) stayed by name. */
	T_OFF("net.ns.__ns_ref", struct net, ns.__ns_ref);
	T_ABSENT("net.ns.count");
#endif
}
#else
#error "unknown SYNTH_GEN"
#endif

/* What the kernel model must conclude about SLUB for this generation. */
static void slub_model_truths(const struct ct_kmodel *m)
{
	const struct ct_slub_model *s = &m->slub;
	CHECK(s->usable && s->why && !*s->why, "%s: the slab scan is usable (%s)", source,
	      s->why ? s->why : "");
	CHECK_EQ_U64(s->size, offsetof(struct kmem_cache, size), "slub.size");
	CHECK_EQ_U64(s->offset, offsetof(struct kmem_cache, offset), "slub.offset");
	CHECK_EQ_U64(s->oo, offsetof(struct kmem_cache, oo), "slub.oo");
	CHECK_EQ_U64(s->desc_size, sizeof(struct page), "slub.desc_size");
#ifdef SYNTH_HAS_STRUCT_SLAB
	CHECK(s->struct_slab, "%s: struct slab descriptors", source);
	CHECK_EQ_U64(s->slab_cache, offsetof(struct slab, slab_cache), "slub.slab_cache");
	CHECK_EQ_U64(s->freelist, offsetof(struct slab, freelist), "slub.freelist");
#else
	CHECK(!s->struct_slab, "%s: struct page descriptors", source);
	CHECK_EQ_U64(s->slab_cache, offsetof(struct page, slab_cache), "slub.slab_cache");
	CHECK_EQ_U64(s->freelist, offsetof(struct page, freelist), "slub.freelist");
#endif
#ifdef SYNTH_PAGE_TYPE
	CHECK(s->by_page_type && s->pgty_slab == PGTY_slab && s->pg_slab == -1 &&
	      s->page_type == offsetof(struct page, page_type),
	      "%s: slab pages by page type (%d, %d, %u)", source, s->by_page_type, s->pgty_slab,
	      s->page_type);
#else
	CHECK(!s->by_page_type && s->pg_slab == PG_slab, "%s: slab pages by PG_slab (%d)", source,
	      s->pg_slab);
#endif
#ifdef SYNTH_COMPOUND_INFO
	CHECK(s->has_compound_head && s->compound_head == offsetof(struct page, compound_info) &&
	      s->pg_tail == -1, "%s: tail pages by compound_info bit 0", source);
#elif SYNTH_GEN == 310
	CHECK(!s->has_compound_head && s->pg_tail == PG_tail, "%s: tail pages by PG_tail", source);
#else
	CHECK(s->has_compound_head && s->compound_head == offsetof(struct page, compound_head) &&
	      s->pg_tail == -1, "%s: tail pages by compound_head bit 0", source);
#endif
#ifdef SYNTH_NO_CPU_SLAB
	CHECK(!s->has_cpu_slab && s->cpu_slab == 0 && s->cpu_freelist == 0 && s->cpu_desc == 0,
	      "%s: no CPU slab", source);
#else
	CHECK(s->has_cpu_slab && s->cpu_slab == offsetof(struct kmem_cache, cpu_slab) &&
	      s->cpu_freelist == offsetof(struct kmem_cache_cpu, freelist),
	      "%s: the CPU slab's freelist", source);
#endif
#ifdef SYNTH_HAS_SHEAVES
	CHECK(s->sheaves.usable, "%s: sheaves usable", source);
	CHECK_EQ_U64(s->sheaves.cpu_sheaves, offsetof(struct kmem_cache, cpu_sheaves), "cpu_sheaves");
	CHECK_EQ_U64(s->sheaves.pcs[0], offsetof(struct slub_percpu_sheaves, main), "pcs main");
	CHECK_EQ_U64(s->sheaves.pcs[1], offsetof(struct slub_percpu_sheaves, spare), "pcs spare");
	CHECK_EQ_U64(s->sheaves.pcs[2], offsetof(struct slub_percpu_sheaves, rcu_free), "pcs rcu_free");
	CHECK_EQ_U64(s->sheaves.size, offsetof(struct slab_sheaf, size), "sheaf size");
	CHECK_EQ_U64(s->sheaves.objects, offsetof(struct slab_sheaf, objects), "sheaf objects");
	CHECK_EQ_U64(s->sheaves.barn_list, offsetof(struct slab_sheaf, barn_list), "sheaf barn_list");
	CHECK_EQ_U64(s->sheaves.sheaves_full, offsetof(struct node_barn, sheaves_full), "sheaves_full");
#ifdef SYNTH_HAS_PER_NODE
	CHECK(s->sheaves.barn_per_node && !s->sheaves.barn_in_node, "%s: barns in per_node[]", source);
	CHECK_EQ_U64(s->sheaves.nodes, offsetof(struct kmem_cache, per_node), "per_node");
	CHECK_EQ_U64(s->sheaves.node_stride, sizeof(struct kmem_cache_per_node_ptrs), "per_node stride");
	CHECK_EQ_U64(s->sheaves.barn, offsetof(struct kmem_cache_per_node_ptrs, barn), "per_node barn");
	CHECK_EQ_U64(s->sheaves.max_nodes, MAX_NUMNODES, "nodes");
#endif
#else
	CHECK(!s->sheaves.usable && !s->sheaves.barn_per_node && !s->sheaves.barn_in_node,
	      "%s: no sheaves", source);
#endif
}

/* What the kernel model must conclude for this generation. */
static void model_truths(void)
{
	struct ct_kmodel m;
	struct ct_error err = { 0 };
	CHECK(ct_kmodel_build(&layout, &m, &err) == CT_OK, "%s: model: %s", source,
	      err.text);
	CHECK_EQ_U64(m.nf_conn_size, sizeof(struct nf_conn), "sizeof nf_conn");
	CHECK_EQ_U64(m.nf_conn.status, offsetof(struct nf_conn, status), "status");
	CHECK_EQ_U64(m.nf_conn.tuplehash[1], offsetof(struct nf_conn, tuplehash[1]), "tuplehash[1]");
	CHECK_EQ_U64(m.t.dst_dir, offsetof(struct nf_conntrack_tuple, dst.dir), "dst.dir");
	CHECK_EQ_U64(m.net.ct, offsetof(struct net, ct), "net.ct");
	CHECK_EQ_U64(m.bits.confirmed, IPS_CONFIRMED_BIT, "confirmed bit");
	CHECK_EQ_U64(m.bits.dying, IPS_DYING_BIT, "dying bit");
	CHECK(!m.bits_from_uapi, "%s: status bits should come from DWARF", source);
	CHECK(m.netdev.v4 && m.netdev.v6, "%s: device addresses should be readable", source);
	CHECK_EQ_U64(m.netdev.dev_base_head, offsetof(struct net, dev_base_head), "net.dev_base_head");
	CHECK_EQ_U64(m.netdev.dev_list, offsetof(struct net_device, dev_list), "net_device.dev_list");
	CHECK_EQ_U64(m.netdev.ifa_local, offsetof(struct in_ifaddr, ifa_local), "in_ifaddr.ifa_local");
	CHECK_EQ_U64(m.netdev.if_list6, offsetof(struct inet6_ifaddr, if_list), "inet6_ifaddr.if_list");
	CHECK_EQ_U64(m.netdev.addr6, offsetof(struct inet6_ifaddr, addr), "inet6_ifaddr.addr");
#if SYNTH_GEN == 310
	CHECK(m.count_where == CT_COUNT_NETNS_CT, "3.10 count in netns_ct");
	CHECK_EQ_U64(m.netns_ct.count, offsetof(struct netns_ct, count), "netns_ct.count");
	CHECK(m.hash_scope == CT_HASH_PER_NETNS, "3.10 per-netns hash");
	CHECK_EQ_U64(m.netns_ct.hash, offsetof(struct netns_ct, hash), "netns_ct.hash");
	CHECK(m.lists == CT_LISTS_PER_CPU, "RHEL 7 uses its backported per-CPU lists");
	CHECK_EQ_U64(m.ct_pcpu.dying, offsetof(struct ct_pcpu, dying), "ct_pcpu.dying");
	CHECK(m.has_template_list, "3.10 has a template list");
	CHECK(m.refcount == CT_REF_ATOMIC, "3.10 atomic_t");
	CHECK(m.timeout == CT_TIMEOUT_TIMER, "3.10 timer_list timeout");
	CHECK_EQ_U64(m.nf_conn.timeout_expires, offsetof(struct nf_conn, timeout.expires), "expires");
	CHECK(m.skb_link == CT_SKB_NFCT_PTR, "3.10 skb->nfct");
	CHECK(m.skb.nfctinfo_bits == 3, "nfctinfo is 3 bits, got %u", m.skb.nfctinfo_bits);
	CHECK(m.netgen == CT_NETGEN_PTR_ID_MINUS_1, "3.10 old net_generic");
	CHECK_EQ_U64(m.net_generic.ptr, offsetof(struct net_generic, ptr), "net_generic.ptr");
	CHECK(m.per_netns_slab, "3.10 per-netns slab");
	CHECK(!m.has_ns_inum, "3.10 has proc_inum");
	CHECK_EQ_U64(m.net.inum, offsetof(struct net, proc_inum), "proc_inum");
	CHECK(m.has_cpu_field && !m.has_zone && !m.has_ecache_dying, "3.10 cpu/zone/ecache");
#elif SYNTH_GEN == 418 || SYNTH_GEN == 510 || SYNTH_GEN == 514
#ifdef SYNTH_COUNT_IN_CTNET
	/* The count through net_generic and the per-CPU lists together. */
	CHECK(m.count_where == CT_COUNT_NET_GENERIC, "count in nf_conntrack_net");
	CHECK_EQ_U64(m.ctnet.count, offsetof(struct nf_conntrack_net, count), "ctnet.count");
	CHECK_EQ_U64(m.net.gen, offsetof(struct net, gen), "net.gen");
	CHECK_EQ_U64(m.net_generic.ptr, offsetof(struct net_generic, ptr), "net_generic.ptr");
	CHECK_EQ_U64(m.net_generic.len, offsetof(struct net_generic, s.len), "net_generic.s.len");
#else
	CHECK(m.count_where == CT_COUNT_NETNS_CT, "count in netns_ct");
	CHECK_EQ_U64(m.netns_ct.count, offsetof(struct netns_ct, count), "netns_ct.count");
#endif
	CHECK(m.hash_scope == CT_HASH_GLOBAL, "global hash");
	CHECK(m.lists == CT_LISTS_PER_CPU, "per-CPU lists");
	CHECK_EQ_U64(m.netns_ct.pcpu_lists, offsetof(struct netns_ct, pcpu_lists), "pcpu_lists");
	CHECK_EQ_U64(m.ct_pcpu.unconfirmed, offsetof(struct ct_pcpu, unconfirmed), "ct_pcpu.unconfirmed");
	CHECK_EQ_U64(m.ct_pcpu.dying, offsetof(struct ct_pcpu, dying), "ct_pcpu.dying");
	CHECK_EQ_U64(m.ct_pcpu.size, sizeof(struct ct_pcpu), "sizeof ct_pcpu");
	CHECK_EQ_U64(m.nf_conn.cpu, offsetof(struct nf_conn, cpu), "nf_conn.cpu");
	CHECK(!m.has_template_list, "no template list");
	CHECK(m.refcount == CT_REF_ATOMIC, "atomic_t");
	CHECK(m.timeout == CT_TIMEOUT_U32, "u32 timeout");
	CHECK(m.skb_link == CT_SKB_NFCT_WORD, "skb->_nfct");
	CHECK(m.netgen == CT_NETGEN_PTR_ID, "union net_generic");
	CHECK(!m.per_netns_slab, "global slab");
	CHECK(m.has_ns_inum, "ns.inum");
	CHECK(m.has_cpu_field && m.has_zone && !m.has_ecache_dying, "cpu/zone/ecache");
#elif SYNTH_GEN == 601 || SYNTH_GEN == 612 || SYNTH_GEN == 703
	CHECK(m.count_where == CT_COUNT_NET_GENERIC, "6.1 count in nf_conntrack_net");
	CHECK_EQ_U64(m.ctnet.count, offsetof(struct nf_conntrack_net, count), "ctnet.count");
	CHECK(m.hash_scope == CT_HASH_GLOBAL, "global hash");
	CHECK(m.lists == CT_LISTS_NONE, "6.1 has no lists");
	CHECK(m.has_ecache_dying, "6.1 ecache dying list");
	CHECK_EQ_U64(m.ctnet.ecache_dying, offsetof(struct nf_conntrack_net, ecache.dying_list), "ecache.dying_list");
	CHECK(m.refcount == CT_REF_REFCOUNT, "6.1 refcount_t");
	CHECK(m.timeout == CT_TIMEOUT_U32, "u32 timeout");
	CHECK(m.skb_link == CT_SKB_NFCT_WORD, "skb->_nfct");
	CHECK(m.netgen == CT_NETGEN_PTR_ID, "union net_generic");
	CHECK(!m.has_cpu_field && m.has_zone, "no cpu, zone");
#endif
	slub_model_truths(&m);
	/* The dump's wall clock, for ages: shadow_timekeeper, or (6.13+)
	 * timekeeper_data[0].timekeeper. */
	CHECK(m.tstamp.usable && m.tstamp.xtime_sec == offsetof(struct timekeeper, xtime_sec),
	      "%s: timestamps usable", source);
#ifdef SYNTH_TK_DATA
	CHECK(m.tstamp.has_tk_data && m.tstamp.tk_data_timekeeper == offsetof(struct tk_data, timekeeper),
	      "%s: tk_data.timekeeper", source);
#else
	CHECK(!m.tstamp.has_tk_data, "%s: no tk_data", source);
#endif
}

static void run_source(const char *path, const char *label)
{
	struct ct_error err = { 0 };
	source = label;
	memset(covered, 0, sizeof(covered));
	CHECK(ct_types_new(&types, &err) == CT_OK, "new");
	CHECK(ct_types_add_file(types, path, &err) == CT_OK, "%s: %s", label, err.text);
	CHECK(ct_layout_resolve(types, &layout, &err) == CT_OK, "%s: layout: %s", label,
	      err.text);
	common_truths();
	slub_truths();
	gen_truths();
	/* Every question of the layout table has a ground truth here, so a new
	 * question cannot be added without one. */
	for (int i = 0; i < CTL__COUNT; i++)
		CHECK(covered[i] || real_only(ct_layout_defs[i].question),
		      "%s: layout question %s has no ground truth in this test",
		      label, ct_layout_defs[i].question);
	model_truths();
	struct ct_types_stats s;
	ct_types_get_stats(types, &s);
	if (strstr(label, "vmlinux"))
		CHECK(s.hidden_sections > 0, "%s: relocation sections should be hidden", label);
	ct_types_free(types);
}

/* Both files in one chain, the module-like one first (as ctleak orders
 * them): one finder each, and the answers of the first file alone. */
static void run_chain(const char *first, const char *second)
{
	struct ct_error err = { 0 };
	struct ct_layout alone, both;
	struct ct_types_stats s;
	struct ct_types *t = NULL;
	CHECK(ct_types_new(&t, &err) == CT_OK && ct_types_add_file(t, first, &err) == CT_OK &&
	      ct_layout_resolve(t, &alone, &err) == CT_OK, "first file alone: %s", err.text);
	ct_types_free(t);
	t = NULL;
	CHECK(ct_types_new(&t, &err) == CT_OK && ct_types_add_file(t, first, &err) == CT_OK &&
	      ct_types_add_file(t, second, &err) == CT_OK &&
	      ct_layout_resolve(t, &both, &err) == CT_OK, "two files: %s", err.text);
	ct_types_get_stats(t, &s);
	CHECK(s.files == 2, "two files, two finders (%u)", s.files);
	ct_types_free(t);
	CHECK(memcmp(alone.e, both.e, sizeof(alone.e)) == 0,
	      "two files answer as the first alone");
}

/* Copy src to dst and overwrite .rela.debug_info's bytes with 0xff. */
static int spoil_relocations(const char *src, const char *dst)
{
	struct ct_elf *elf;
	struct ct_error err = { 0 };
	if (ct_elf_open(src, &elf, &err))
		return -1;
	const struct ct_elf_section *s = ct_elf_section_by_name(elf, ".rela.debug_info");
	int rc = -1;
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (s && fd >= 0 && s->size > 0) {
		memset(elf->map + s->offset, 0xff, s->size);
		rc = write(fd, elf->map, elf->map_size) == (ssize_t)elf->map_size ? 0 : -1;
	}
	if (fd >= 0)
		close(fd);
	ct_elf_close(elf);
	return rc;
}

int main(int argc, char **argv)
{
	char name[64], spoiled[4096];
	snprintf(name, sizeof(name), "synthetic %s", SYNTH_NAME);
	if (argc != 4) {
		fprintf(stderr, "usage: %s GEN.o GEN.vmlinux SCRATCH_DIR\n", argv[0]);
		return 2;
	}
	run_source(argv[1], "module-like .o");
	run_source(argv[2], "vmlinux-like executable");
	run_chain(argv[1], argv[2]);
	snprintf(spoiled, sizeof(spoiled), "%s/spoiled-%d.vmlinux", argv[3], SYNTH_GEN);
	CHECK(spoil_relocations(argv[2], spoiled) == 0,
	      "could not make %s (no .rela.debug_info?)", spoiled);
	run_source(spoiled, "vmlinux with garbage relocations");
	unlink(spoiled);
	return harness_done(name);
}
