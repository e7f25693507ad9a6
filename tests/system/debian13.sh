#!/usr/bin/env bash
# debian13.sh BUILD — ctleak built and tested with Debian 13's toolchain
# (crash 8.0.6, libdwarf 0.11, libkdumpfile 0.5.4, gcc 14), from a Debian 12
# machine, on the same real dumps.
#
# A `debootstrap --variant=minbase trixie` root lives in the cache outside
# the checkout (<cache>/trixie/root, ~30 s once, reused; its packages are
# installed again only when the list below changes). The checkout is bound
# read-only at /src and the cache at its own path inside, so dump paths stay
# the same; the build goes to /build13 inside the root. In it:
#   * make all tests (-Werror, gcc 14, the libdwarf 0.x adapter);
#   * the synthetic unit tests of the resolver and walkers;
#   * tests/system/check_ctleak_dumps.py: the Debian 13 twin against the ground truth;
#   * tests/system/check_crash_ext.py: crash 8.0.6 loads the extension built there,
#     and its output equals that twin's byte for byte;
# and outside, tests/system/check_toolchains.py: the Debian 12 twin and the Debian
# 13 twin print the same bytes on every dump. With the extension checks on
# both sides, the four builds agree. Prints "Debian 13 toolchain: N passed,
# N failed".
set -u
BUILD=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}
root=$cache/trixie/root
packages="gcc make libc6-dev libdwarf-dev libbpf-dev zlib1g-dev libkdumpfile-dev crash python3 binutils file"
mirror=${CTLEAK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
pass=0 fail=0
say() { echo "debian13: $*" >&2; }
failed() { echo "FAIL $*"; fail=$((fail + 1)); }

if [[ $(id -u) != 0 ]]; then
	failed "needs root (debootstrap, chroot, bind mounts)"
	echo "Debian 13 toolchain: $pass passed, $fail failed"
	exit 1
fi
if [[ ! -x $root/usr/bin/apt-get ]]; then
	say "making a Debian 13 (trixie) root in $root"
	rm -rf "$root.tmp"
	mkdir -p "$(dirname "$root")"
	if ! debootstrap --variant=minbase trixie "$root.tmp" "$mirror" >"$cache/trixie/debootstrap.log" 2>&1; then
		failed "debootstrap trixie failed (see $cache/trixie/debootstrap.log)"
		echo "Debian 13 toolchain: $pass passed, $fail failed"
		exit 1
	fi
	rm -rf "$root"
	mv "$root.tmp" "$root"
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
	echo "Debian 13 toolchain: $pass passed, $fail failed"
	exit 1
}
in13() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	CTLEAK_CACHE="$cache" LANG=C.UTF-8 "$@"; }

if [[ $(cat "$root/.ctleak-packages" 2>/dev/null) != "$packages" ]]; then
	say "installing $packages"
	# shellcheck disable=SC2086
	if in13 apt-get update -q >"$cache/trixie/apt.log" 2>&1 &&
		in13 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$packages >>"$cache/trixie/apt.log" 2>&1; then
		echo "$packages" >"$root/.ctleak-packages"
	else
		failed "installing the Debian 13 packages failed (see $cache/trixie/apt.log)"
		echo "Debian 13 toolchain: $pass passed, $fail failed"
		exit 1
	fi
fi
versions=$(in13 dpkg-query -W -f='${Package} ${Version}\n' crash libdwarf-dev libbpf-dev libkdumpfile-dev gcc-14 | tr '\n' ',')
say "toolchain: ${versions%,}"

# add OUTPUT: add up the "N passed, N failed" line of a check, show failures.
add() {
	local line p f
	grep -E '^FAIL|runtime error|Sanitizer|Traceback' <<<"$1" | head -20
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' <<<"$1" | tail -1)
	if [[ -z $line ]]; then
		failed "no summary from: $(tail -3 <<<"$1")"
		return
	fi
	p=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
	echo "debian13: $line" >&2
	pass=$((pass + p)) fail=$((fail + f))
}

if out=$(in13 make -C /src --no-print-directory BUILD=/build13 -j2 all tests 2>&1); then
	pass=$((pass + 1))
else
	failed "the build with Debian 13's toolchain: $(grep -E 'error' <<<"$out" | head -5)"
	echo "Debian 13 toolchain: $pass passed, $fail failed"
	exit 1
fi
in13 make -C /src -n -B BUILD=/build13 /build13/lib/types/types_libdwarf.o 2>&1 | grep -q -- -DCTLEAK_LIBDWARF_0X &&
	pass=$((pass + 1)) || failed "the Makefile's probe did not pick libdwarf 0.x's API"
make -C "$here" -n -B "$BUILD/lib/types/types_libdwarf.o" 2>&1 | grep -q -- -DCTLEAK_LIBDWARF_0X &&
	failed "the Makefile's probe picked libdwarf 0.x's API on Debian 12" || pass=$((pass + 1))

# The synthetic generations the Makefile builds (tests/tests.mk).
gens=$(make -s -C "$here" --no-print-directory --eval 'ctleak-synth-gens: ; @echo $(SYNTH_GENS)' \
	ctleak-synth-gens)
[[ -n $gens ]] || failed "no SYNTH_GENS in tests/tests.mk"
scratch=$(in13 mktemp -d)
for g in $gens; do
	add "$(in13 /build13/tests/test_synth_$g /build13/synth/gen_$g.o /build13/synth/gen_$g.vmlinux "$scratch" 2>&1)"
	add "$(in13 /build13/tests/test_walk_synth_$g /build13/synth/gen_$g.o 2>&1)"
	add "$(in13 /build13/tests/test_slab_synth_$g /build13/synth/gen_$g.o 2>&1)"
done
add "$(in13 /build13/tests/test_target_kcore /build13/synth/gen_6_1.vmlinux "$scratch" 2>&1)"
# The BTF finder on this libbpf (1.2+: btf__new_split, the Makefile's link probe).
add "$(in13 /build13/tests/test_types_btf "$scratch" 2>&1)"

mapfile -t dumps < <(bash "$here/vmcores/all.sh")
# shellcheck disable=SC2046
add "$(in13 sh -c 'cd /src/tests/system && python3 check_ctleak_dumps.py "$@"' - \
	/build13/ctleak $(printf '%s ' "${dumps[@]}") 2>&1)"
# And with no debug file: types from the dumps' BTF through this libbpf.
# shellcheck disable=SC2046
add "$(in13 sh -c 'cd /src/tests/system && python3 check_ctleak_dumps.py --no-debug "$@"' - \
	/build13/ctleak $(printf '%s ' "${dumps[@]}") 2>&1)"
# shellcheck disable=SC2046
add "$(in13 sh -c 'cd /src/tests/system && python3 check_crash_ext.py "$@"' - \
	/build13/ctleak /build13/ctleak.so $(printf '%s ' "${dumps[@]}") 2>&1)"
# shellcheck disable=SC2046
add "$(python3 "$here/tests/system/check_toolchains.py" "$BUILD/ctleak" "$root" /build13/ctleak \
	$(printf '%s ' "${dumps[@]}") 2>&1)"

echo "Debian 13 toolchain: $pass passed, $fail failed"
[[ $fail == 0 ]]
