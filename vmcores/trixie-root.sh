#!/usr/bin/env bash
# trixie-root.sh — the Debian 13 (trixie) root the vmcore scripts build in.
#
#   trixie-root.sh ensure
#       make <cache>/trixie/root if it is missing (debootstrap --variant=minbase,
#       the same root tests/system/debian13.sh uses) and install the kbuild packages
#       below in it; prints root=<path>
#   trixie-root.sh run [--bind DIR | --bind-ro DIR]... -- COMMAND...
#       ensure, then run COMMAND chrooted in the root with /proc and every
#       DIR bind-mounted at its own path, in a private mount namespace
#       (unshare -m): the mounts vanish with it, whatever COMMAND does.
#
# Why: Debian 13's kernels (6.12, 7.x) ship kbuild tools linked against
# trixie's glibc (2.38+) and were built with gcc-14; Debian 12 has neither.
# Building an out-of-tree module in the root needs no flag overrides.
#
# The packages live under their own stamp, ROOT/.ctleak-kbuild-packages
# (tests/system/debian13.sh keeps ROOT/.ctleak-packages for its own list and
# compares it for equality: it is never touched here). apt runs inside the
# root only, never on the host's apt state; the mirror is the one the
# system's apt sources name (deb.debian.org by default), or
# CTLEAK_DEBIAN_MIRROR. Needs root (debootstrap, chroot, mount).
set -euo pipefail

prog=${0##*/}
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

packages="gcc-14 make libc6-dev libelf1t64 libssl3t64 zlib1g bc xz-utils pahole binutils"

cache=${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}
[[ $cache == /* ]] || cache=$PWD/$cache
top=$cache/trixie
root=$top/root
((EUID == 0)) || die "needs root (debootstrap, chroot, bind mounts)"
for t in debootstrap chroot unshare mount flock; do
	command -v "$t" >/dev/null || die "$t is missing (apt-get install debootstrap util-linux)"
done

mirror() {
	local m
	m=${CTLEAK_DEBIAN_MIRROR:-}
	if [[ -z $m ]]; then
		# shellcheck disable=SC2016 # apt format fields
		m=$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(REPO_URI) $(RELEASE)' 2>/dev/null |
			awk '$1 == "deb" && $3 !~ /-/ && $2 ~ /debian\/?$/ { print $2; exit }') || m=
	fi
	printf '%s' "${m:-http://deb.debian.org/debian}"
}

# in_root CMD...: chroot with /proc (apt and objtool need it)
in_root() {
	unshare -m --propagation private /bin/sh -c '
		root=$1; shift
		mount --bind /proc "$root/proc" || exit 1
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
	' - "$root" "$@"
}

ensure() {
	mkdir -p "$top"
	exec 8>"$top/vmcores-root.lock"
	flock 8
	if [[ ! -x $root/usr/bin/apt-get ]]; then
		local m t0=$SECONDS
		m=$(mirror)
		note "making a Debian 13 (trixie) root in $root from $m"
		rm -rf "$top/root.vmcores.tmp"
		debootstrap --variant=minbase trixie "$top/root.vmcores.tmp" "${m%/}" \
			>"$top/debootstrap-vmcores.log" 2>&1 ||
			die "debootstrap trixie failed (see $top/debootstrap-vmcores.log)"
		# tests/system/debian13.sh may have made it meanwhile: keep theirs then
		if [[ -x $root/usr/bin/apt-get ]]; then
			rm -rf "$top/root.vmcores.tmp"
		else
			rm -rf "$root"
			mv "$top/root.vmcores.tmp" "$root"
		fi
		note "made $root in $((SECONDS - t0)) s"
	fi
	if [[ $(cat "$root/.ctleak-kbuild-packages" 2>/dev/null) != "$packages" ]]; then
		local i ok= t0=$SECONDS
		note "installing the kbuild packages in $root: $packages"
		cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
		# tests/system/debian13.sh may be using apt in the same root: wait for its lock.
		for ((i = 0; i < 30; i++)); do
			# shellcheck disable=SC2086
			if in_root apt-get -q -o DPkg::Lock::Timeout=300 update >"$top/apt-kbuild.log" 2>&1 &&
				in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					-o DPkg::Lock::Timeout=300 --no-install-recommends $packages >>"$top/apt-kbuild.log" 2>&1; then
				ok=y
				break
			fi
			grep -q 'Could not get lock\|Unable to lock' "$top/apt-kbuild.log" || break
			sleep 10
		done
		[[ -n $ok ]] || die "installing the kbuild packages in $root failed (see $top/apt-kbuild.log)"
		echo "$packages" >"$root/.ctleak-kbuild-packages"
		note "installed in $((SECONDS - t0)) s"
	fi
	exec 8>&-
}

case ${1-} in
ensure)
	ensure
	printf 'root=%s\n' "$root"
	;;
run)
	shift
	binds=()
	while (($#)); do
		case $1 in
		--bind | --bind-ro)
			[[ $# -ge 2 && $2 == /* && -d $2 ]] || die "$1 needs an existing absolute directory"
			binds+=("${1#--}" "$2")
			shift 2
			;;
		--) shift; break ;;
		*) die "unknown argument '$1' (expected --bind DIR, --bind-ro DIR, --)" ;;
		esac
	done
	(($#)) || die "run: no command"
	ensure
	# The mounts live in a private mount namespace: they are gone when it
	# ends, on success, failure or kill; nothing to clean up on the host.
	exec unshare -m --propagation private /bin/bash -c '
		set -e
		root=$1 n=$2
		shift 2
		mount --bind /proc "$root/proc"
		while ((n > 0)); do
			kind=$1 dir=$2
			shift 2
			n=$((n - 1))
			mkdir -p "$root$dir"
			mount --bind "$dir" "$root$dir"
			[[ $kind != bind-ro ]] || mount -o remount,bind,ro "$root$dir"
		done
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
	' - "$root" $((${#binds[@]} / 2)) "${binds[@]}" "$@"
	;;
*) die "usage: $prog ensure | run [--bind DIR | --bind-ro DIR]... -- COMMAND..." ;;
esac
