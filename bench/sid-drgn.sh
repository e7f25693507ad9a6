#!/usr/bin/env bash
# sid-drgn.sh --version | TIMEFILE VMCORE VMLINUX [MODULE_DEBUG...] — make
# bench's second drgn: bench/drgn_ctleak.py run by Debian 14's python3-drgn
# (0.3.0) in the sid root tests/system/debian14.sh makes (<cache>/sid/root).
#
#   --version   make sure the root has python3-drgn (apt-get install
#               --no-install-recommends, only when `import drgn` fails
#               there) and print its version, then the packages under it:
#               "0.3.0 (python3-drgn 0.3.0-1, libkdumpfile 0.5.6-1, ...)"
#   TIMEFILE    run drgn_ctleak.py on the dump under the host's GNU time
#               ("%e %U %S %M": wall, user, sys seconds, peak RSS KiB, as
#               bench/run.sh's timed writes), its JSON on stdout
#
# The mounts are made in a mount namespace of this script's own (unshare):
# nobody else sees them, so a debian14.sh running at the same time keeps its
# own, and they go when the script ends (the EXIT trap unmounts them too).
# Bound: /proc and /dev (apt, python), the checkout read-only at
# /ctleak-bench, and the cache at its own path, so dump and debug file paths
# are the same inside. drgn_ctleak.py's timing covers python alone: time
# runs chroot, which runs env, which runs python3 (one process).
# Exit 2 with one sentence when the root is not made or drgn cannot be
# installed in it.
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}
root=$cache/sid/root
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 2; }

[[ $# -ge 1 ]] || die "usage: $prog --version | TIMEFILE VMCORE VMLINUX [MODULE_DEBUG...]"
[[ -x $root/usr/bin/apt-get ]] ||
	die "there is no Debian 14 root in $root: run \`bash tests/system/debian14.sh build\` first."
[[ $(id -u) == 0 ]] || die "needs root (chroot, bind mounts)"

# Everything below runs in a private mount namespace.
if [[ -z ${CTLEAK_SID_DRGN_NS:-} ]]; then
	CTLEAK_SID_DRGN_NS=1 exec unshare --mount --propagation private "$BASH" "${BASH_SOURCE[0]}" "$@"
fi

mounts=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() { # bind SRC DST [ro]
	mkdir -p "$2"
	mount --bind "$1" "$2"
	mounts+=("$2")
	[[ ${3:-} != ro ]] || mount -o remount,bind,ro "$2"
}
bind /proc "$root/proc"
bind /dev "$root/dev"
bind "$here" "$root/ctleak-bench" ro
bind "$cache" "$root$cache"
in14() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

if ! in14 python3 -c 'import drgn' 2>/dev/null; then
	printf '%s: installing python3-drgn in %s\n' "$prog" "$root" >&2
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	log=$cache/sid/apt-drgn.log
	if ! in14 apt-get -o Acquire::Check-Valid-Until=false update -q >"$log" 2>&1 ||
		! in14 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			python3-drgn >>"$log" 2>&1; then
		die "installing python3-drgn in $root failed (see $log)"
	fi
	in14 python3 -c 'import drgn' || die "python3-drgn is installed in $root but does not import"
fi

if [[ $1 == --version ]]; then
	# "0.3.0 (python3-drgn 0.3.0-1, libkdumpfile 0.5.6-1, libdw 0.196-1, Python 3.14.10)"
	in14 python3 -c 'import drgn, platform; print(drgn.__version__, end=" ")'
	# shellcheck disable=SC2016  # dpkg-query's own ${...}
	in14 dpkg-query -W -f='${Package} ${Version}\n' | awk '
		$1 == "python3-drgn" { d = $2 } $1 ~ /^libkdumpfile[0-9]/ { k = $2 } $1 ~ /^libdw1/ { w = $2 }
		END { printf "(python3-drgn %s, libkdumpfile %s, libdw %s, ", d, k, w }'
	in14 python3 -c 'import platform; print("Python " + platform.python_version() + ")")'
	exit 0
fi
[[ $# -ge 3 ]] || die "usage: $prog --version | TIMEFILE VMCORE VMLINUX [MODULE_DEBUG...]"
timefile=$1
shift
# Not exec: the trap unmounts after python3 ends.
rc=0
/usr/bin/time -f "%e %U %S %M" -o "$timefile" \
	chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
	python3 /ctleak-bench/bench/drgn_ctleak.py "$@" || rc=$?
exit "$rc"
