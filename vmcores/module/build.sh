#!/usr/bin/env bash
# build.sh KROOT OUTDIR - build ctleak_plant.ko for one extracted Debian kernel.
#
#   KROOT   extraction root of one kernel release, as made by
#           vmcores/fetch-kernel.sh SERIES headers, e.g.
#           ~/.cache/ctleak/kernels/6.1.0-56-cloud-amd64; must hold
#           usr/src/linux-headers-<release> (flavour),
#           usr/src/linux-headers-<abi>-common and usr/lib/linux-kbuild-<ver>
#   OUTDIR  where ctleak_plant.ko is written (created if missing)
#
# Environment:
#   CTLEAK_PLANT_BUILDDIR  scratch directory (default OUTDIR/.build); it is
#                          wiped and rebuilt on every run
#   CTLEAK_PLANT_CC        compiler to use (default: the gcc-NN named in the
#                          headers' .kernelvariables if installed, else gcc-12,
#                          else gcc)
#
# KROOT is never written to.  The flavour headers' Makefile is
# "include /usr/src/linux-headers-<base>-common/Makefile" (and, from Debian
# 13, "KBUILD_OUTPUT=/usr/src/linux-headers-<release>") with absolute paths
# that only work once the packages are installed; the build therefore uses a
# shadow object tree in the scratch directory: symlinks to every entry of the
# flavour directory plus a copy of its Makefile whose include points into
# KROOT and whose KBUILD_OUTPUT is the shadow tree itself.
# Every run rebuilds from a fresh copy of the sources (a few seconds).
#
# Where it builds is a feature check, not a version check: when the
# prebuilt kbuild tools of linux-kbuild (fixdep, modpost, objtool, ...) cannot
# run on this machine's glibc (Debian 13's kernels need glibc 2.38; Debian 12
# has 2.36), the build runs in the Debian 13 root of vmcores/trixie-root.sh
# (KROOT read-only, OUTDIR, the scratch directory and /proc bind-mounted at
# their own paths in a private mount namespace), with that root's gcc-14.
# Otherwise on the host.
#
# Host tools needed (Debian packages): make, gcc-12 (gcc), binutils,
# libelf1 + zlib1g (run time of the prebuilt objtool in linux-kbuild);
# debootstrap for the Debian 13 root.
# On success the last stdout line is  ko=<OUTDIR>/ctleak_plant.ko
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }
usage() { sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

case ${1-} in -h | --help) usage; exit 0 ;; esac
[[ $# -eq 2 ]] || { usage >&2; die "expected 2 arguments (KROOT OUTDIR), got $#"; }

[[ -d $1 ]] || die "KROOT '$1' is not a directory"
kroot=$(realpath -e "$1")
mkdir -p "$2" || die "cannot create OUTDIR '$2'"
outdir=$(realpath -e "$2")

for f in ctleak_plant.c Kbuild; do
	[[ -r $here/$f ]] || die "missing source $here/$f"
done

# ------------------------------------------------------------ the headers
# The flavour directory is the linux-headers-* one with a .config.
flavour=
if [[ -f $kroot/usr/src/linux-headers-${kroot##*/}/.config ]]; then
	flavour=$kroot/usr/src/linux-headers-${kroot##*/}
else
	shopt -s nullglob
	cands=()
	for d in "$kroot"/usr/src/linux-headers-*/; do
		[[ -f $d.config ]] && cands+=("${d%/}")
	done
	shopt -u nullglob
	((${#cands[@]} == 1)) ||
		die "expected exactly one usr/src/linux-headers-<release> with a .config in $kroot, found ${#cands[@]}" \
			"(extract the headers with: vmcores/fetch-kernel.sh SERIES headers)"
	flavour=${cands[0]}
fi
release=${flavour##*/linux-headers-}
for f in Makefile .config Module.symvers; do
	[[ -f $flavour/$f ]] || die "$flavour/$f is missing (incomplete linux-headers-$release extraction?)"
done
[[ -e $flavour/scripts/basic/fixdep ]] ||
	die "$flavour/scripts does not lead to an extracted linux-kbuild (need the linux-kbuild-* package extracted into $kroot)"

# "include /usr/src/linux-headers-<base>-common/Makefile" -> path inside KROOT
inc=$(sed -n 's/^[[:space:]]*include[[:space:]]\{1,\}\([^[:space:]]\{1,\}\)[[:space:]]*$/\1/p' "$flavour/Makefile" | head -n 1)
[[ -n $inc ]] || die "$flavour/Makefile has no 'include <common Makefile>' line"
if [[ $inc == "$kroot"/* && -f $inc ]]; then
	common_mk=$inc # already rewritten into KROOT by someone
elif [[ $inc == /* && -f $kroot$inc ]]; then
	common_mk=$kroot$inc
else
	die "common Makefile '$inc' (included by $flavour/Makefile) not found under $kroot" \
		"(need the linux-headers-<abi>-common package extracted into the same root)"
fi
common_mk=$(realpath -e "$common_mk")

# ------------------------------------------------------ host or Debian 13 root
# The kbuild tools that run during a module build; any one that needs
# libraries (or symbol versions) this machine lacks sends the build into the
# Debian 13 root.
kbuild_tools_missing() {
	local t f
	for t in scripts/basic/fixdep scripts/mod/modpost scripts/mod/modpost.real-lsb-64 \
		tools/objtool/objtool tools/objtool/objtool.real-x86 tools/bpf/resolve_btfids/resolve_btfids \
		tools/bpf/resolve_btfids; do
		f=$flavour/$t
		[[ -f $f ]] || continue
		head -c 4 "$f" | grep -q ELF || continue
		if ldd "$f" 2>&1 | grep -q 'not found'; then
			printf '%s: %s\n' "$t" "$(ldd "$f" 2>&1 | grep 'not found' | head -n 2 | tr -s ' \t\n' ' ')"
			return 0
		fi
	done
	return 1
}
if [[ -z ${CTLEAK_PLANT_IN_ROOT:-} ]] && why=$(kbuild_tools_missing); then
	note "the kbuild tools of $release do not run here ($why): building in the Debian 13 root"
	bdir=${CTLEAK_PLANT_BUILDDIR:-$outdir/.build}
	mkdir -p "$bdir"
	bdir=$(realpath -e "$bdir")
	binds=(--bind-ro "$kroot" --bind-ro "$here" --bind "$outdir")
	[[ $bdir == "$outdir" || $bdir == "$outdir"/* ]] || binds+=(--bind "$bdir")
	exec bash "$here/../trixie-root.sh" run "${binds[@]}" -- \
		CTLEAK_PLANT_IN_ROOT=1 CTLEAK_PLANT_BUILDDIR="$bdir" ${CTLEAK_PLANT_CC:+CTLEAK_PLANT_CC="$CTLEAK_PLANT_CC"} \
		bash "$here/build.sh" "$kroot" "$outdir"
fi

# --------------------------------------------------------------- the tools
cc=${CTLEAK_PLANT_CC:-}
if [[ -z $cc ]]; then
	want=$(sed -n 's/^CC[[:space:]]*=.*\(gcc-[0-9][0-9]*\).*/\1/p' "$flavour/.kernelvariables" 2>/dev/null | head -n 1)
	for c in $want gcc-12 gcc; do
		if command -v "$c" >/dev/null; then cc=$c; break; fi
	done
	[[ -n $cc ]] || die "no C compiler found (apt-get install gcc-12)"
	[[ -z $want || $cc == "$want" ]] ||
		note "the kernel was built with $want, which is not installed; using $cc"
fi
command -v "$cc" >/dev/null || die "compiler '$cc' not found (apt-get install gcc-12)"
command -v make >/dev/null || die "make not found (apt-get install make)"
command -v ld >/dev/null || die "ld not found (apt-get install binutils)"
objtool=$flavour/tools/objtool/objtool
if [[ -x $objtool ]] && ldd "$objtool" 2>/dev/null | grep -q 'not found'; then
	die "$objtool lacks shared libraries (apt-get install libelf1 zlib1g):" \
		"$(ldd "$objtool" | grep 'not found' | tr -s ' \t\n' ' ')"
fi

# ------------------------------------------------ shadow tree and sources
bdir=${CTLEAK_PLANT_BUILDDIR:-$outdir/.build}
mkdir -p "$bdir"
bdir=$(realpath -e "$bdir")
case $bdir in
"$kroot" | "$kroot"/*) die "build directory $bdir must not be inside KROOT" ;;
esac
kdir=$bdir/kdir-$release
src=$bdir/src-$release
rm -rf "$kdir" "$src"
mkdir -p "$kdir" "$src"

shopt -s dotglob nullglob
for e in "$flavour"/*; do
	name=${e##*/}
	[[ $name == Makefile ]] && continue
	target=$(realpath -e "$e") || die "dangling link $e (incomplete extraction?)"
	ln -s "$target" "$kdir/$name"
done
shopt -u dotglob nullglob
# The flavour Makefile, its include pointed into KROOT and its KBUILD_OUTPUT
# (the installed headers directory) replaced by the shadow tree: the kernel
# Makefile re-runs make in KBUILD_OUTPUT unless that is where it runs.
{
	printf '# generated by %s: %s with its include pointed into KROOT\n' "$prog" "$flavour/Makefile"
	while IFS= read -r line; do
		if [[ $line =~ ^[[:space:]]*include[[:space:]]+[^[:space:]]+[[:space:]]*$ ]]; then
			printf 'include %s\n' "$common_mk"
		elif [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?KBUILD_OUTPUT[[:space:]]*[:?]?= ]]; then
			printf '%sKBUILD_OUTPUT = %s\n' "${BASH_REMATCH[1]}" "$kdir"
		else
			printf '%s\n' "$line"
		fi
	done <"$flavour/Makefile"
} >"$kdir/Makefile"

cp "$here/ctleak_plant.c" "$here/Kbuild" "$src/"

# ------------------------------------------------------------------ build
note "building ctleak_plant.ko for $release with $cc ($("$cc" -dumpfullversion 2>/dev/null || echo '?'))${CTLEAK_PLANT_IN_ROOT:+ in the Debian 13 root}"
log=$bdir/build-$release.log
start=$SECONDS
set +e
make -C "$kdir" M="$src" CC="$cc" KBUILD_VERBOSE=0 -j"$(nproc)" modules </dev/null >"$log" 2>&1
rc=$?
set -e
cat "$log" >&2
((rc == 0)) || die "make failed (exit $rc) for $release; log: $log"

# Any diagnostic is an error: the module must build cleanly on every kernel.
if grep -E '(^|[^[:alnum:]_])([Ww]arning|WARNING|[Ee]rror|ERROR):' "$log" >&2; then
	die "the build printed the warnings above (log: $log)"
fi

ko=$src/ctleak_plant.ko
[[ -f $ko ]] || die "make succeeded but $ko is missing"
grep -aq "vermagic=$release " "$ko" ||
	die "$ko has no vermagic for $release: $(grep -ao 'vermagic=[^[:cntrl:]]*' "$ko" || echo none)"

tmp=$(mktemp "$outdir/.ctleak_plant.ko.XXXXXX")
cp "$ko" "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$outdir/ctleak_plant.ko"
note "built $outdir/ctleak_plant.ko for $release in $((SECONDS - start))s"
printf 'ko=%s\n' "$outdir/ctleak_plant.ko"
