#!/usr/bin/python3
"""drgn_ctleak.py VMCORE VMLINUX MODULE_DEBUG... — the bench's drgn peer.

The same work as `ctleak -j` (default summary with the slab scan), written
the way a careful drgn user would, with drgn's own helpers: for every
network namespace its nf_conntrack_count; every bucket of the confirmed
hash (entries counted at their ORIGINAL node, per namespace); the
unconfirmed/dying lists this kernel has (per-CPU on 5.10, the ecache dying
list on 5.19+); every allocated object of the nf_conntrack slab cache
(slab_cache_for_each_allocated_object); entries met on no list or table;
suspects (unconfirmed, dying, a refcount above the table's one, slab-only).
Prints one JSON object: per netns count/confirmed/unconfirmed/dying/
slab_only/unaccounted/suspects, and the suspects' addresses. Run with
Debian's python3-drgn (0.0.22 on Debian 12)."""
import json
import sys

import drgn
from drgn import Object, cast, container_of
from drgn.helpers.linux.list_nulls import hlist_nulls_for_each_entry
from drgn.helpers.linux.net import for_each_net
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.slab import find_slab_cache, slab_cache_for_each_allocated_object

IPS_CONFIRMED = 1 << 3
IPS_DYING = 1 << 9


def main(vmcore, vmlinux, modules):
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux] + modules)

    nets = {}
    for net in for_each_net(prog):
        nets[net.value_()] = {"inum": net.ns.inum.value_(), "count": 0, "confirmed": 0,
                              "unconfirmed": 0, "dying": 0, "slab_only": 0, "suspects": 0}
    # The count: net->ct.count before 5.13, nf_conntrack_net.count after.
    net_id = None
    if prog.type("struct nf_conntrack_net").has_member("count"):
        net_id = prog["nf_conntrack_net_id"].value_()
    for addr, n in nets.items():
        net = Object(prog, "struct net *", addr)
        if net_id is None:
            n["count"] = net.ct.count.counter.value_()
        else:
            cnet = cast("struct nf_conntrack_net *", net.gen.ptr[net_id])
            n["count"] = cnet.count.counter.value_()

    seen = set()
    suspects = []

    def account(ct, where):
        addr = ct.value_()
        if addr in seen:
            return
        seen.add(addr)
        n = nets.get(ct.ct_net.net.value_())
        if n is None:
            return
        n[where] += 1
        status = ct.status.value_()
        use = ct.ct_general.use.refs.counter.value_() if prog.type("struct nf_conntrack").member(
            "use").type.type_name() == "refcount_t" else ct.ct_general.use.counter.value_()
        bad = (where != "confirmed" or use > 1 or not status & IPS_CONFIRMED
               or status & IPS_DYING)
        if bad:
            n["suspects"] += 1
            suspects.append(hex(addr))

    hash_ = prog["nf_conntrack_hash"]
    size = prog["nf_conntrack_htable_size"].value_()
    for i in range(size):
        for h in hlist_nulls_for_each_entry("struct nf_conntrack_tuple_hash",
                                            hash_[i].address_of_(), "hnnode"):
            if h.tuple.dst.dir.value_() == 0:
                account(container_of(h, "struct nf_conn", "tuplehash[0]"), "confirmed")

    def walk_list(head, where):
        for h in hlist_nulls_for_each_entry("struct nf_conntrack_tuple_hash",
                                            head.address_of_(), "hnnode"):
            account(container_of(h, "struct nf_conn", "tuplehash[0]"), where)

    for addr in nets:
        net = Object(prog, "struct net *", addr)
        if prog.type("struct netns_ct").has_member("pcpu_lists"):
            for cpu in for_each_possible_cpu(prog):
                pcpu = per_cpu_ptr(net.ct.pcpu_lists, cpu)
                walk_list(pcpu.unconfirmed, "unconfirmed")
                walk_list(pcpu.dying, "dying")
        elif net_id is not None and prog.type("struct nf_conntrack_net").has_member("ecache"):
            cnet = cast("struct nf_conntrack_net *", net.gen.ptr[net_id])
            walk_list(cnet.ecache.dying_list, "dying")

    cache = find_slab_cache(prog, "nf_conntrack")
    for ct in slab_cache_for_each_allocated_object(cache, "struct nf_conn"):
        account(ct, "slab_only")

    out = []
    for n in nets.values():
        found = n["confirmed"] + n["unconfirmed"] + n["dying"] + n["slab_only"]
        n["unaccounted"] = n["count"] - found
        out.append(n)
    json.dump({"netns": out, "suspects": len(suspects), "entries": suspects}, sys.stdout)
    print()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: drgn_ctleak.py VMCORE VMLINUX [MODULE_DEBUG...]")
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
