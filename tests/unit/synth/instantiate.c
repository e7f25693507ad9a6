/* instantiate.c — compiled with -include gen_X.h and -g, it makes gcc emit
 * DWARF for every synthetic type: as an ET_REL object (like a module .ko)
 * and as an executable linked with --emit-relocs (like vmlinux). */
struct nf_conn synth_conn;
struct nf_conntrack_expect synth_expect;
struct nf_ct_ext *synth_ext;
enum nf_ct_ext_id synth_ext_id;
struct nf_conn_tstamp synth_tstamp;
struct timekeeper synth_timekeeper;
struct net synth_net;
struct sk_buff synth_skb;
struct net_generic *synth_gen;
enum ip_conntrack_status synth_status;
enum ip_conntrack_dir synth_dir;
struct net_device synth_netdev;
struct in_device synth_in_dev;
struct in_ifaddr synth_ifa;
struct inet6_dev synth_in6_dev;
struct inet6_ifaddr synth_ifa6;
struct module synth_module;
#ifdef SYNTH_HAS_BTF_MODULES
struct btf_module synth_btf_module;
#endif
#ifdef SYNTH_HAS_CT_PCPU
struct ct_pcpu synth_pcpu;
#endif
#ifdef SYNTH_HAS_CTNET
struct nf_conntrack_net synth_ctnet;
#endif
struct kmem_cache synth_kmem_cache;
#ifndef SYNTH_NO_CPU_SLAB
struct kmem_cache_cpu synth_kmem_cache_cpu;
#endif
#ifdef SYNTH_HAS_SHEAVES
struct slub_percpu_sheaves synth_pcs;
struct slab_sheaf *synth_sheaf;
struct node_barn synth_barn;
struct kmem_cache_node synth_kmem_cache_node;
#endif
struct page synth_page;
#ifdef SYNTH_HAS_STRUCT_SLAB
struct slab synth_slab;
#endif
enum pageflags synth_pageflag;
#ifdef SYNTH_PAGE_TYPE
enum pagetype synth_pagetype;
#endif
#ifdef SYNTH_TK_DATA
struct tk_data synth_tk_data[1];
#endif

int main(void)
{
	return 0;
}
