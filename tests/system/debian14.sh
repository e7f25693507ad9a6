#!/usr/bin/env bash
# debian14.sh BUILD — ctleak built and tested with Debian 14's toolchain
# (sid: gcc 16, libdwarf 0.11, libkdumpfile 0.5.6, crash 9.0.2 on gdb 16),
# from a Debian 12 machine, on the same real dumps. tests/system/debian13.sh's
# twin for sid.
#
# A `debootstrap --variant=minbase sid` root lives in the cache outside the
# checkout (<cache>/sid/root, ~30 s once, reused; its packages are installed
# again only when the list below changes). sid's Release is often past its
# Valid-Until: debootstrap does not check it, apt-get update is told not to.
# The checkout is bound read-only at /src and the cache at its own path
# inside, so dump paths stay the same; the build goes to /build14 inside the
# root. In it:
#   * make all tests (-Werror, gcc 16, the libdwarf 0.x adapter, crash 9's
#     defs.h with the gdb flag the Makefile reads from it);
#   * the synthetic unit tests of the resolver and walkers (every generation
#     of tests/tests.mk's SYNTH_GENS);
#   * tests/system/check_ctleak_dumps.py: the Debian 14 twin against the ground truth;
#   * tests/system/check_crash_ext.py: crash 9.0.2 loads the extension built there,
#     and its output equals that twin's byte for byte (crash --minimal on the
#     dumps crash 9.0.2 cannot initialise);
# and outside, tests/system/check_toolchains.py: the Debian 12 twin and the Debian
# 14 twin print the same bytes on every dump. Prints (on stderr, and into
# <cache>/sid/run.log, since make check shows only failures) the versions
# and how long each step took, and "Debian 14 toolchain: N passed, N failed".
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}
root=$cache/sid/root
packages="gcc make libc6-dev libdwarf-dev libbpf-dev zlib1g-dev libkdumpfile-dev crash python3 binutils file"
mirror=${CTLEAK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
pass=0 fail=0 t0=$SECONDS
mkdir -p "$cache/sid" && : >"$cache/sid/run.log"
say() { echo "debian14: $*" | tee -a "$cache/sid/run.log" >&2; }
failed() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() {
	say "whole run: $((SECONDS - t0)) s"
	echo "Debian 14 toolchain: $pass passed, $fail failed"
	[[ $fail == 0 ]]
	exit
}
# step NAME: print how long the step since the last one took.
t=$SECONDS
step() { say "$1: $((SECONDS - t)) s"; t=$SECONDS; }

if [[ $(id -u) != 0 ]]; then
	failed "needs root (debootstrap, chroot, bind mounts)"
	finish
fi
if [[ ! -x $root/usr/bin/apt-get ]]; then
	say "making a Debian 14 (sid) root in $root"
	rm -rf "$root.tmp"
	mkdir -p "$(dirname "$root")"
	if ! debootstrap --variant=minbase sid "$root.tmp" "$mirror" >"$cache/sid/debootstrap.log" 2>&1; then
		failed "debootstrap sid failed (see $cache/sid/debootstrap.log)"
		finish
	fi
	rm -rf "$root"
	mv "$root.tmp" "$root"
	step "root made"
fi

mounts=()
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null; done
}
trap cleanup EXIT
bind() { # bind SRC DST [ro]
	mkdir -p "$2"
	mount --bind "$1" "$2" && mounts+=("$2") || return 1
	[[ ${3:-} != ro ]] || mount -o remount,bind,ro "$2"
}
bind /proc "$root/proc" && bind /dev "$root/dev" && bind "$here" "$root/src" ro &&
	bind "$cache" "$root$cache" && cp /etc/resolv.conf "$root/etc/resolv.conf" || {
	failed "cannot bind-mount into $root"
	finish
}
in14() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	CTLEAK_CACHE="$cache" LANG=C.UTF-8 "$@"; }

if [[ $(cat "$root/.ctleak-packages" 2>/dev/null) != "$packages" ]]; then
	say "installing $packages"
	# shellcheck disable=SC2086
	if in14 apt-get -o Acquire::Check-Valid-Until=false update -q >"$cache/sid/apt.log" 2>&1 &&
		in14 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$packages >>"$cache/sid/apt.log" 2>&1; then
		echo "$packages" >"$root/.ctleak-packages"
	else
		failed "installing the Debian 14 packages failed (see $cache/sid/apt.log)"
		finish
	fi
	step "packages installed"
fi
# shellcheck disable=SC2086
versions=$(in14 dpkg-query -W -f='${Package} ${Version}\n' $packages "$(in14 readlink -f /usr/bin/gcc | sed 's|.*/x86_64-linux-gnu-||')" |
	tr '\n' ',')
gdb=$(in14 crash --version 2>/dev/null | sed -n 's/^GNU gdb (GDB) //p')
say "toolchain: ${versions%,}, crash's gdb ${gdb:-?}"

# add OUTPUT: add up the "N passed, N failed" line of a check, show failures.
add() {
	local line p f
	grep -E '^FAIL|runtime error|Sanitizer|Traceback' <<<"$1" | head -20
	# Dumps crash 9 could open only with --minimal (check_crash_ext.py).
	while read -r line; do say "$line"; done < <(grep 'crash cannot initialise' <<<"$1")
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' <<<"$1" | tail -1)
	if [[ -z $line ]]; then
		failed "no summary from: $(tail -3 <<<"$1")"
		return
	fi
	p=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	say "$line"
	pass=$((pass + p)) fail=$((fail + f))
}

if out=$(in14 make -C /src --no-print-directory BUILD=/build14 -j2 all tests 2>&1); then
	pass=$((pass + 1))
else
	failed "the build with Debian 14's toolchain: $(grep -E 'error' <<<"$out" | head -5)"
	finish
fi
step "build"
in14 make -C /src -n -B BUILD=/build14 /build14/lib/types/types_libdwarf.o 2>&1 | grep -q -- -DCTLEAK_LIBDWARF_0X &&
	pass=$((pass + 1)) || failed "the Makefile's probe did not pick libdwarf 0.x's API"
# crash 9 is built on gdb 16: its defs.h must be compiled with that gdb's flag.
flag=$(in14 make -C /src -n -B BUILD=/build14 /build14/ctleak.so 2>&1 | grep -oE -- '-DGDB_[0-9_]+' | head -1)
[[ $flag == -DGDB_16_* ]] && pass=$((pass + 1)) ||
	failed "the Makefile's probe of crash 9's defs.h chose ${flag:-no gdb flag}, not GDB_16_*"

# The synthetic generations the Makefile builds (tests/tests.mk).
gens=$(make -s -C "$here" --no-print-directory --eval 'ctleak-synth-gens: ; @echo $(SYNTH_GENS)' \
	ctleak-synth-gens)
[[ -n $gens ]] || failed "no SYNTH_GENS in tests/tests.mk"
scratch=$(in14 mktemp -d)
for g in $gens; do
	add "$(in14 /build14/tests/test_synth_$g /build14/synth/gen_$g.o /build14/synth/gen_$g.vmlinux "$scratch" 2>&1)"
	add "$(in14 /build14/tests/test_walk_synth_$g /build14/synth/gen_$g.o 2>&1)"
	add "$(in14 /build14/tests/test_slab_synth_$g /build14/synth/gen_$g.o 2>&1)"
done
add "$(in14 /build14/tests/test_target_kcore /build14/synth/gen_6_1.vmlinux "$scratch" 2>&1)"
# The BTF finder on this libbpf (1.2+: btf__new_split, the Makefile's link probe).
add "$(in14 /build14/tests/test_types_btf "$scratch" 2>&1)"
in14 rm -rf "$scratch"
step "unit tests"

mapfile -t dumps < <(bash "$here/vmcores/all.sh")
# shellcheck disable=SC2046
add "$(in14 sh -c 'cd /src/tests/system && python3 check_ctleak_dumps.py "$@"' - \
	/build14/ctleak $(printf '%s ' "${dumps[@]}") 2>&1)"
step "twin on the dumps"
# And with no debug file: types from the dumps' BTF through this libbpf.
# shellcheck disable=SC2046
add "$(in14 sh -c 'cd /src/tests/system && python3 check_ctleak_dumps.py --no-debug "$@"' - \
	/build14/ctleak $(printf '%s ' "${dumps[@]}") 2>&1)"
step "twin on the dumps, no debug files"
# shellcheck disable=SC2046
add "$(in14 sh -c 'cd /src/tests/system && python3 check_crash_ext.py "$@"' - \
	/build14/ctleak /build14/ctleak.so $(printf '%s ' "${dumps[@]}") 2>&1)"
step "crash 9 extension on the dumps"
# shellcheck disable=SC2046
add "$(python3 "$here/tests/system/check_toolchains.py" "$BUILD/ctleak" "$root" /build14/ctleak \
	$(printf '%s ' "${dumps[@]}") 2>&1)"
step "Debian 12 twin against Debian 14 twin"
finish
