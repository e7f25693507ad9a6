#!/usr/bin/env bash
# real-debian.sh BUILD — the DWARF resolver and the kernel model on Debian's
# real debug files (6.1 from bookworm, 5.10 from bullseye), checked against
# gdb's answers to the same questions (an independent DWARF reader), against
# offsets measured with pahole on 6.1, and for the build-id layout cache.
# Downloads the -dbg packages into the cache outside the checkout on first use.
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() { # expect WHAT GOT WANT
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# gdb expression for a question: "nf_conn.a.b[1]" -> &((struct nf_conn *)0)->a.b[1]
gdb_expr() {
	case $1 in
	sizeof:*) echo "print sizeof(struct ${1#sizeof:})" ;;
	enum:*) echo "print (long)${1#enum:}" ;;
	member:*)
		local p=${1#member:}
		echo "print (long)&((struct ${p%%.*} *)0)->${p#*.}" ;;
	esac
}

# typeq prints "sizeof X N", "offset P N size ...", "enum E N", "absent P";
# reduce each to its number (or "absent").
typeq_numbers() {
	awk '{ if ($1 == "absent") print "absent"; else print $3 }'
}

check_series() {
	local series=$1 questions=("${@:2}")
	local out
	if ! out=$(bash "$here/vmcores/fetch-kernel.sh" "$series" dbg); then
		bad "$series: could not fetch the debug package"
		return
	fi
	local vmlinux modules root release
	vmlinux=$(sed -n 's/^vmlinux=//p' <<<"$out")
	modules=$(sed -n 's/^modules=//p' <<<"$out")
	root=$(sed -n 's/^root=//p' <<<"$out")
	release=$(sed -n 's/^release=//p' <<<"$out")
	local ko=$modules/kernel/net/netfilter/nf_conntrack.ko
	echo "$series: $release"

	# 1. Resolver on nf_conntrack.ko (relocations applied by us) vs gdb.
	local gdb_args=() q
	for q in "${questions[@]}"; do gdb_args+=(-ex "$(gdb_expr "$q")"); done
	mapfile -t want < <(gdb -batch -nx "${gdb_args[@]}" "$ko" 2>/dev/null |
		sed -n 's/^\$[0-9]* = \([0-9]*\)$/\1/p')
	mapfile -t got < <("$BUILD/tests/typeq" "$ko" -- "${questions[@]}" 2>/dev/null | typeq_numbers)
	expect "$series: gdb answered every question" "${#want[@]}" "${#questions[@]}"
	local i
	for i in "${!questions[@]}"; do
		expect "$series nf_conntrack.ko ${questions[$i]}" "${got[$i]:-none}" "${want[$i]:-none}"
	done

	# 1b. nfnetlink_queue's private types (not modelled synthetically).
	local nfq=$modules/kernel/net/netfilter/nfnetlink_queue.ko
	local nq=(member:nfnl_queue_net.instance_table member:nfqnl_instance.hlist
		member:nfqnl_instance.queue_list member:nfqnl_instance.queue_num
		member:nfqnl_instance.peer_portid member:nfqnl_instance.queue_total
		member:nf_queue_entry.list member:nf_queue_entry.skb member:nf_queue_entry.id
		member:nf_queue_entry.state.hook)
	gdb_args=()
	for q in "${nq[@]}"; do gdb_args+=(-ex "$(gdb_expr "$q")"); done
	mapfile -t nwant < <(gdb -batch -nx "${gdb_args[@]}" "$nfq" 2>/dev/null |
		sed -n 's/^\$[0-9]* = \([0-9]*\)$/\1/p')
	mapfile -t ngot < <("$BUILD/tests/typeq" "$nfq" -- "${nq[@]}" 2>/dev/null | typeq_numbers)
	expect "$series: gdb answered every nfnetlink_queue question" "${#nwant[@]}" "${#nq[@]}"
	for i in "${!nq[@]}"; do
		expect "$series nfnetlink_queue.ko ${nq[$i]}" "${ngot[$i]:-none}" "${nwant[$i]:-none}"
	done

	# 2. The same questions on vmlinux alone (its .rela.debug_* hidden):
	# where vmlinux describes the type it must agree with gdb.
	mapfile -t vgot < <("$BUILD/tests/typeq" "$vmlinux" -- "${questions[@]}" 2>"$scratch/typeq.err" | typeq_numbers)
	local agree=0 absent=0
	for i in "${!questions[@]}"; do
		if [ "${vgot[$i]:-}" = absent ]; then absent=$((absent + 1));
		else expect "$series vmlinux ${questions[$i]}" "${vgot[$i]:-none}" "${want[$i]:-none}"; agree=$((agree + 1)); fi
	done
	echo "  vmlinux answered $agree questions like gdb; $absent are module-only types ($(tail -1 "$scratch/typeq.err" | sed 's/^typeq: //'))"

	# 3. Kernel model and layout cache through the ctleak binary.
	local cache=$scratch/cache-$series t0 t1 t2
	t0=$(date +%s.%N)
	CTLEAK_CACHE=$cache "$BUILD/ctleak" -m -j -D "$root" "$vmlinux" >"$scratch/model1.json" 2>"$scratch/model.err" ||
		bad "$series: ctleak -m failed: $(cat "$scratch/model.err")"
	t1=$(date +%s.%N)
	CTLEAK_CACHE=$cache "$BUILD/ctleak" -m -j -D "$root" "$vmlinux" >"$scratch/model2.json" 2>>"$scratch/model.err" ||
		bad "$series: cached ctleak -m failed"
	t2=$(date +%s.%N)
	python3 - "$series" "$scratch/model1.json" "$scratch/model2.json" <<'PY' && ok || bad "$series: model (see above)"
import json, sys
series, first, second = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
m = first["model"]
want = {
    "6.1": dict(count_in="nf_conntrack_net.count", hash="global", lists="none",
                ecache_dying_list=True, refcount="refcount_t", timeout="u32",
                skb_link="skb->_nfct", net_generic="ptr[id]", nf_conn_cpu=False,
                per_netns_slab=False, status_bits_from_uapi=False, sizeof_nf_conn=248),
    # Debian's 5.10.251 carries the refcount_t backport (719774377622).
    "5.10": dict(count_in="net.ct.count", hash="global", lists="per-cpu",
                 ecache_dying_list=False, refcount="refcount_t", timeout="u32",
                 skb_link="skb->_nfct", net_generic="ptr[id]", nf_conn_cpu=True,
                 per_netns_slab=False, status_bits_from_uapi=False, sizeof_nf_conn=256),
}[series]
bad = {k: (m.get(k), v) for k, v in want.items() if m.get(k) != v}
if first["types_from"] != "dwarf": bad["first run"] = (first["types_from"], "dwarf")
if second["types_from"] != "cache": bad["second run"] = (second["types_from"], "cache")
if first["layout"] != second["layout"] or first["model"] != second["model"]:
    bad["cache"] = ("differs", "equal")
for k, (got, w) in bad.items():
    print(f"FAIL {series} model {k}: got {got!r}, want {w!r}")
sys.exit(1 if bad else 0)
PY
	printf '  ctleak -m (vmlinux + nf_conntrack.ko): first run %.3f s, cached %.3f s\n' \
		"$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"

	# 4. vmlinux alone, the expensive case: every question a scan of its
	# 2000+ CUs; the second run must come from the build-id cache.
	cache=$scratch/cache-alone-$series
	CTLEAK_CACHE=$cache /usr/bin/time -o "$scratch/t1" -f '%e s, %M KB' \
		"$BUILD/ctleak" -m -j "$vmlinux" >/dev/null 2>&1
	CTLEAK_CACHE=$cache /usr/bin/time -o "$scratch/t2" -f '%e s, %M KB' \
		"$BUILD/ctleak" -m -j "$vmlinux" >/dev/null 2>"$scratch/alone.err"
	echo "  vmlinux alone: first run $(tail -1 "$scratch/t1"), cached $(tail -1 "$scratch/t2")"
	if ls "$cache"/layouts/layout-*.txt >/dev/null 2>&1; then ok; else bad "$series: no cache written for vmlinux alone"; fi
	# 6.1 keeps its count in a module-only type: vmlinux alone must say so.
	if [ "$series" = 6.1 ]; then
		if grep -q "no debug file nf_conntrack.ko.*vmlinux alone does not describe nf_conntrack" \
			"$scratch/alone.err" && [ "$(wc -l <"$scratch/alone.err")" = 1 ]; then ok;
		else bad "6.1 vmlinux alone: no clear sentence: $(cat "$scratch/alone.err")"; fi
	fi
}

# Questions every generation answers.
common=(sizeof:nf_conn sizeof:nf_conntrack_tuple_hash
	member:nf_conn.ct_general.use member:nf_conn.timeout member:nf_conn.zone.id
	"member:nf_conn.tuplehash[0]" "member:nf_conn.tuplehash[1]"
	"member:nf_conn.tuplehash[1].tuple.dst.dir" "member:nf_conn.tuplehash[1].tuple.src.u.all"
	member:nf_conn.status member:nf_conn.ct_net member:nf_conn.master member:nf_conn.mark
	member:nf_conn.ext member:nf_conn.proto.tcp.state
	member:nf_conntrack_tuple.src.l3num member:nf_conntrack_tuple.dst.protonum
	member:net.list member:net.ns.inum member:net.gen member:net.ct member:sk_buff._nfct
	enum:IPS_CONFIRMED_BIT enum:IPS_DYING_BIT enum:IPS_TEMPLATE_BIT enum:IP_CT_DIR_REPLY)

check_series 6.1 "${common[@]}" member:nf_conntrack_net.count member:nf_conntrack_net.ecache.dying_list
check_series 5.10 "${common[@]}" member:net.ct.count member:net.ct.pcpu_lists member:nf_conn.cpu \
	member:ct_pcpu.unconfirmed member:ct_pcpu.dying sizeof:ct_pcpu

# 6.1 offsets measured with pahole (../shared/docs/toolchain-notes.md).
out=$(bash "$here/vmcores/fetch-kernel.sh" --print 6.1 dbg)
ko=$(sed -n 's/^modules=//p' <<<"$out")/kernel/net/netfilter/nf_conntrack.ko
mapfile -t got < <("$BUILD/tests/typeq" "$ko" -- sizeof:nf_conn member:nf_conn.ct_general.use \
	member:nf_conn.lock member:nf_conn.timeout member:nf_conn.tuplehash member:nf_conn.status \
	member:nf_conn.ct_net member:nf_conn.mark member:nf_conn.ext member:nf_conn.proto \
	member:net.ct member:net.gen 2>/dev/null | typeq_numbers)
expect "6.1 pahole offsets" "${got[*]}" "248 0 4 8 16 128 136 168 176 184 2856 3104"

# The resolver on real files is clean under valgrind too (no cache: DWARF).
out=$(bash "$here/vmcores/fetch-kernel.sh" --print 6.1 dbg)
if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	"$BUILD/ctleak" -m --no-cache -D "$(sed -n 's/^root=//p' <<<"$out")" \
	"$(sed -n 's/^vmlinux=//p' <<<"$out")" >/dev/null 2>"$scratch/vg.err"; then ok;
else bad "valgrind ctleak -m on 6.1: $(head -20 "$scratch/vg.err")"; fi

echo "real debug files: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
