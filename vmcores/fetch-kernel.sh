#!/usr/bin/env bash
# fetch-kernel.sh - download and extract a pinned Debian kernel for the tests.
#
# Usage: vmcores/fetch-kernel.sh [--print] SERIES [PARTS...]
#        vmcores/fetch-kernel.sh --list SERIES
#
#   SERIES  6.1, 5.10, 6.12 or 7.3 (pins live in vmcores/kernels.conf)
#   PARTS   any of: dbg image headers   (default: dbg)
#             dbg      linux-image-<release>-dbg  (vmlinux + debug modules)
#             image    linux-image-<release>-unsigned, else (7.x packaging)
#                      linux-binary-unsigned-<release> + linux-modules-<release>
#                      + linux-base-<release>, else linux-image-<release>
#             headers  linux-headers-<release>, linux-headers-<base>-common,
#                      linux-kbuild-<base> (else linux-kbuild-<series>), and
#                      linux-base-<release> where it exists (7.x: the config)
#   --print  print the result lines if the parts are already extracted,
#            exit 1 otherwise; never touches the network
#   --list   show the ABIs/versions of SERIES the mirror currently offers
#
# Cache root: ${CTLEAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ctleak}
#   debs/                    downloaded .deb files (kept for re-extraction)
#   kernels/<release>/       one extraction root per release, all parts
#   apt/<series>/            private apt configuration, lists and cache
#
# The packages are fetched with a private apt setup (own sources list, lists,
# status and cache; system apt state is never modified).  The mirror URIs are
# taken from the system's apt sources, the archive key from
# /usr/share/keyrings/debian-archive-keyring.gpg.  Packages are unpacked with
# `dpkg-deb -x`, never installed.
#
# Release names: up to Debian 12 <series>.0-<ABI>-<flavour> (6.1.0-56-cloud-amd64);
# since Debian 13 <upstream version>+deb<N>[.M]-<flavour>
# (6.12.118+deb13-cloud-amd64, 7.3.4+deb13-cloud-amd64). <base> is the
# release without -<flavour> (6.1.0-56, 6.12.118+deb13).
#
# On success stdout gets key=value lines:
#   release=<release>  version=<package version>  root=<extraction root>
#   dbg:     vmlinux=<root>/usr/lib/debug/boot/vmlinux-<release>, or
#                    <root>/usr/lib/debug/lib/modules/<release>/vmlinux where
#                    that is the file and boot/ only a link to it (7.x)
#            modules=<root>/usr/lib/debug/lib/modules/<release>
#   image:   vmlinuz=<root>/boot/vmlinuz-<release>, or (7.x)
#                    <root>/usr/lib/modules/<release>/vmlinuz.unsigned
#            kmodules=<root>/lib/modules/<release>, or <root>/usr/lib/modules/<release>
#                    (the installed modules: .ko, or .ko.xz from 6.12)
#   headers: headers=<root>/usr/src/linux-headers-<release>
# Everything else (progress, warnings, errors) goes to stderr.
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
conf=${CTLEAK_KERNELS_CONF:-$here/kernels.conf}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }
usage() { sed -n '4,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------- arguments
mode=fetch
series=
parts=()
for arg in "$@"; do
	case $arg in
	--print) mode=print ;;
	--list) mode=list ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option: $arg" ;;
	*)
		if [[ -z $series ]]; then
			series=$arg
		else
			case $arg in
			dbg | image | headers) ;;
			*) die "unknown part '$arg' (expected: dbg image headers)" ;;
			esac
			# keep the first occurrence only
			[[ " ${parts[*]-} " == *" $arg "* ]] || parts+=("$arg")
		fi
		;;
	esac
done
[[ -n $series ]] || { usage >&2; die "missing SERIES (e.g. 6.1, 5.10, 6.12, 7.3)"; }
((${#parts[@]})) || parts=(dbg)

[[ $series =~ ^[0-9]+\.[0-9]+$ ]] || die "bad series '$series' (expected e.g. 6.1)"
pfx=CTLEAK_K${series//./}

[[ -r $conf ]] || die "cannot read pin file $conf"
# shellcheck source=vmcores/kernels.conf
. "$conf"
cn="${pfx}_CODENAME"
[[ -n ${!cn:-} ]] || die "unknown series '$series': no ${pfx}_* block in $conf"

pin() {
	local n="${pfx}_$1"
	[[ -n ${!n:-} ]] || die "$conf: $n is not set"
	printf '%s' "${!n}"
}
codename=$(pin CODENAME)
flavour=$(pin FLAVOUR)
pin_abi=$(pin ABI)
# Further suites to search besides <codename>(-updates, -security), e.g.
# trixie-backports.
sname="${pfx}_SUITES"
extra_suites=${!sname:-}
# VERSION may be empty when the ABI was overridden from the environment
# (CTLEAK_K61_ABI=50 make vmcores): it is then looked up on the mirror.
vname="${pfx}_VERSION"
pin_version=${!vname:-}

if [[ -n ${CTLEAK_CACHE:-} ]]; then
	root=$CTLEAK_CACHE
elif [[ -n ${XDG_CACHE_HOME:-} ]]; then
	root=$XDG_CACHE_HOME/ctleak
elif [[ -n ${HOME:-} ]]; then
	root=$HOME/.cache/ctleak
else
	die "neither CTLEAK_CACHE, XDG_CACHE_HOME nor HOME is set"
fi
[[ $root == /* ]] || root=$PWD/$root # apt and the printed paths need it absolute
debs=$root/debs
aptdir=$root/apt/$series
# Written when the pin was gone and another ABI was used instead:
#   "<pinned abi> <pinned version> <used abi> <used version>"
fallback_file=$aptdir/fallback

# release_of ABI: a number is an old-style ABI (6.1.0-56-cloud-amd64); anything
# else is the release's own version part (6.12.118+deb13-cloud-amd64).
release_of() {
	if [[ $1 =~ ^[0-9]+$ ]]; then
		printf '%s.0-%s-%s' "$series" "$1" "$flavour"
	else
		printf '%s-%s' "$1" "$flavour"
	fi
}
base_of() { local r; r=$(release_of "$1"); printf '%s' "${r%-"$flavour"}"; }
# The first of the given paths that is a regular file (not a link), else the
# first that exists, else the first.
pick() {
	local f
	for f in "$@"; do [[ -f $f && ! -L $f ]] && { printf '%s' "$f"; return; }; done
	for f in "$@"; do [[ -e $f ]] && { printf '%s' "$f"; return; }; done
	printf '%s' "$1"
}

# ------------------------------------------------------------ cache checks
stamp_of() { printf '%s/.ctleak-%s.stamp' "$1" "$2"; }

# have ABI VERSION: all requested parts of that kernel are extracted
have() {
	local kroot part s rel
	rel=$(release_of "$1")
	kroot=$root/kernels/$rel
	for part in "${parts[@]}"; do
		s=$(stamp_of "$kroot" "$part")
		[[ -f $s ]] || return 1
		# An unknown (empty) version matches what was extracted before.
		[[ -z $2 || "$(<"$s")" == "$2" ]] || return 1
	done
	if [[ " ${parts[*]} " == *" dbg "* ]]; then
		[[ -f $kroot/usr/lib/debug/boot/vmlinux-$rel ]] || return 1
	fi
	return 0
}

# sets abi/version to what is already extracted (pin, or recorded fallback)
cached() {
	if have "$pin_abi" "$pin_version"; then
		abi=$pin_abi version=$pin_version
		[[ -n $version ]] || version=$(<"$(stamp_of "$root/kernels/$(release_of "$abi")" "${parts[0]}")")
		return 0
	fi
	local pa pv fa fv
	[[ -f $fallback_file ]] || return 1
	read -r pa pv fa fv <"$fallback_file" || return 1
	[[ $pa == "$pin_abi" && $pv == "$pin_version" && -n $fv ]] || return 1
	have "$fa" "$fv" || return 1
	note "pinned $(release_of "$pin_abi") ($pin_version) is gone from the mirror;" \
		"using the cached $(release_of "$fa") ($fv) -- update $conf"
	abi=$fa version=$fv
}

# pick_dir DIR...: the first one holding a kernel/ folder of modules
pick_dir() {
	local d
	for d in "$@"; do [[ -d $d/kernel ]] && { printf '%s' "$d"; return; }; done
	printf '%s' "$1"
}

report() {
	local rel kroot part
	rel=$(release_of "$abi")
	kroot=$root/kernels/$rel
	printf 'release=%s\nversion=%s\nroot=%s\n' "$rel" "$version" "$kroot"
	for part in "${parts[@]}"; do
		case $part in
		dbg)
			printf 'vmlinux=%s\n' "$(pick "$kroot/usr/lib/debug/boot/vmlinux-$rel" \
				"$kroot/usr/lib/debug/lib/modules/$rel/vmlinux")"
			printf 'modules=%s\n' "$kroot/usr/lib/debug/lib/modules/$rel"
			;;
		image)
			printf 'vmlinuz=%s\n' "$(pick "$kroot/boot/vmlinuz-$rel" \
				"$kroot/usr/lib/modules/$rel/vmlinuz.unsigned")"
			printf 'kmodules=%s\n' "$(pick_dir "$kroot/lib/modules/$rel" "$kroot/usr/lib/modules/$rel")"
			;;
		headers) printf 'headers=%s\n' "$kroot/usr/src/linux-headers-$rel" ;;
		esac
	done
}

if [[ $mode != list ]] && cached; then
	report
	exit 0
fi
if [[ $mode == print ]]; then
	note "$(release_of "$pin_abi") ($pin_version) part(s) '${parts[*]}' are not in $root;" \
		"run: $0 $series ${parts[*]}"
	exit 1
fi

# ------------------------------------------------------------- private apt
for tool in apt-get apt-cache dpkg-deb sha256sum flock; do
	command -v "$tool" >/dev/null || die "required tool '$tool' not found"
done
[[ -r $keyring ]] || die "archive keyring $keyring not found (install debian-archive-keyring)"
[[ $root != *'"'* ]] || die "cache root must not contain a double quote: $root"

# The cache must live outside the checkout.
checkout=$(cd "$here/.." && pwd -P)
realroot=$(realpath -m "$root")
case $realroot/ in
"$checkout"/*) die "cache root $realroot is inside the checkout $checkout; set CTLEAK_CACHE" ;;
esac
mkdir -p "$debs" "$root/kernels" "$aptdir"

exec 9>"$aptdir/lock"
if ! flock -n 9; then
	note "waiting for another fetch-kernel.sh $series (lock $aptdir/lock)"
	flock 9
fi
# Someone else may have finished the job while we waited.
if [[ $mode != list ]] && cached; then
	report
	exit 0
fi

# Mirror URIs: asked from apt itself, so deb822 .sources and one-line .list
# files are both understood.  No host name is hard-coded here.
sys_codename=$(
	# shellcheck disable=SC1091
	. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}"
) || sys_codename=
# shellcheck disable=SC2016 # $(...) are apt format fields, not shell
targets=$(apt-get indextargets --no-release-info \
	--format '$(TARGET_OF) $(REPO_URI) $(RELEASE)' 2>/dev/null | awk '$1 == "deb"' | sort -u) ||
	die "cannot read the system's apt sources (apt-get indextargets failed)"
main_uri=$(awk -v c="$sys_codename" 'c != "" && $3 == c { print $2; exit }' <<<"$targets")
if [[ -z $main_uri ]]; then
	# e.g. sources that say "stable" instead of the codename
	main_uri=$(awk '$3 !~ /-/ && $2 !~ /-security\/?$/ { print $2; exit }' <<<"$targets")
fi
[[ -n $main_uri ]] || die "no Debian archive found in the system's apt sources"
sec_uri=$(awk '$3 ~ /-security$/ { print $2; exit }' <<<"$targets")
has_updates=$(awk '$3 ~ /-updates$/ { print "y"; exit }' <<<"$targets")

mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/empty.d" "$aptdir/state"
: >"$aptdir/status"
{
	printf '# generated by %s; mirror taken from the system apt sources\n' "$prog"
	printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$main_uri" "$codename"
	if [[ -n $has_updates ]]; then
		printf 'deb [signed-by=%s] %s %s-updates main\n' "$keyring" "$main_uri" "$codename"
	fi
	if [[ -n $sec_uri ]]; then
		printf 'deb [signed-by=%s] %s %s-security main\n' "$keyring" "$sec_uri" "$codename"
	fi
	for s in $extra_suites; do
		printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$main_uri" "$s"
	done
} >"$aptdir/sources.list"

# apt reads $APT_CONFIG first, then /etc/apt/apt.conf.d/, then Dir::Etc::main.
# Pointing Dir::Etc::main at our file lets it come last: the system settings
# (proxies, Check-Valid-Until, ...) still apply, but every Dir:: path is
# private and the system's update/dpkg hooks are dropped.
cat >"$aptdir/apt.conf" <<EOF
// generated by $prog
Dir::Etc::main "$aptdir/apt-main.conf";
EOF
{
	printf '// generated by %s\n' "$prog"
	[[ ! -f /etc/apt/apt.conf ]] || printf '#include "/etc/apt/apt.conf";\n'
	cat <<EOF
Dir::Etc::sourcelist "$aptdir/sources.list";
Dir::Etc::sourceparts "$aptdir/empty.d";
Dir::Etc::preferences "$aptdir/preferences";
Dir::Etc::preferencesparts "$aptdir/empty.d";
Dir::State "$aptdir/state";
Dir::State::Lists "$aptdir/lists";
Dir::State::status "$aptdir/status";
Dir::State::extended_states "$aptdir/state/extended_states";
Dir::Cache "$aptdir/cache";
Dir::Cache::archives "$aptdir/cache/archives";
Dir::Cache::pkgcache "pkgcache.bin";
Dir::Cache::srcpkgcache "";
Dir::Log "$aptdir/state";
Acquire::Languages "none";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
EOF
	# root: the _apt sandbox user cannot read a cache under /root
	if ((EUID == 0)); then
		printf 'APT::Sandbox::User "root";\n'
	fi
} >"$aptdir/apt-main.conf"

papt() { APT_CONFIG=$aptdir/apt.conf "$@"; }

note "updating private package lists for $codename${has_updates:+ + $codename-updates}${sec_uri:+ + $codename-security}${extra_suites:+ + $extra_suites} ($aptdir)"
papt apt-get -q update >&2 || die "apt-get update (private, $aptdir) failed"

# available ABI VERSION pairs of the flavour's -dbg package, newest ABI last;
# ABI is a number (<series>.0-N-<flavour>) or, since Debian 13, the
# release's version part (<series>.P+debN[.M]-<flavour>)
available() {
	local re1 re2 s=${series//./\\.}
	re1="^linux-image-${s}\\.0-([0-9]+)-${flavour}-dbg\$"
	re2="^linux-image-(${s}\\.[0-9]+\\+deb[0-9]+(\\.[0-9]+)?)-${flavour}-dbg\$"
	papt apt-cache pkgnames "linux-image-$series." |
		{ grep -E "$re1|$re2" || true; } | sed -E "s/$re1/\\1/; s/$re2/\\1/" | sort -V |
		while read -r a; do
			v=$(candidate "linux-image-$(release_of "$a")-dbg")
			[[ -z $v ]] || printf '%s %s\n' "$a" "$v"
		done
}
# candidate PKG: newest version of PKG in the private lists (empty if none)
candidate() {
	papt apt-cache show --no-all-versions "$1" 2>/dev/null |
		awk '/^Version: / { print $2; exit }'
}
# exists PKG VERSION (apt-cache show exits 0 for an unknown version of a
# known package, so look at what it prints)
exists() {
	papt apt-cache show "$1=$2" 2>/dev/null |
		awk -v want="Version: $2" '$0 == want { found = 1 } END { exit !found }'
}

if [[ $mode == list ]]; then
	avail=$(available)
	[[ -n $avail ]] || die "no linux-image-$series.*-$flavour-dbg on the mirror ($codename${extra_suites:+ $extra_suites})"
	while read -r a v; do
		mark=
		[[ $a != "$pin_abi" || $v != "$pin_version" ]] || mark='  (pinned)'
		printf '%s %s%s\n' "$(release_of "$a")" "$v" "$mark"
	done <<<"$avail"
	exit 0
fi

# ----------------------------------------------------------------- download
# Note: fetch and packages_of run in `if`/`||` context, where `set -e` does
# not apply, so every step checks its own status.

# packages of a part for kernel ABI VERSION, as "PKG VERSION" lines;
# returns 1 (with a note) when one is not on the mirror
packages_of() {
	local part=$1 a=$2 ver=$3 rel base p kb
	rel=$(release_of "$a")
	base=$(base_of "$a")
	case $part in
	dbg)
		exists "linux-image-$rel-dbg" "$ver" || {
			note "linux-image-$rel-dbg=$ver is not on the mirror"
			return 1
		}
		printf '%s %s\n' "linux-image-$rel-dbg" "$ver"
		;;
	image)
		if exists "linux-image-$rel-unsigned" "$ver"; then
			printf '%s %s\n' "linux-image-$rel-unsigned" "$ver"
		elif exists "linux-binary-unsigned-$rel" "$ver"; then
			# 7.x: linux-image-<release> is a meta package; the kernel, its
			# modules and its config are three packages
			for p in "linux-binary-unsigned-$rel" "linux-modules-$rel" "linux-base-$rel"; do
				exists "$p" "$ver" || {
					note "$p=$ver is not on the mirror"
					return 1
				}
				printf '%s %s\n' "$p" "$ver"
			done
		elif exists "linux-image-$rel" "$ver"; then
			printf '%s %s\n' "linux-image-$rel" "$ver"
		else
			note "none of linux-image-$rel-unsigned, linux-binary-unsigned-$rel, linux-image-$rel is on the mirror at $ver"
			return 1
		fi
		;;
	headers)
		for p in "linux-headers-$rel" "linux-headers-$base-common"; do
			exists "$p" "$ver" || {
				note "$p=$ver is not on the mirror"
				return 1
			}
			printf '%s %s\n' "$p" "$ver"
		done
		# 7.x: the headers depend on linux-base-<release> (config, System.map)
		if exists "linux-base-$rel" "$ver"; then
			printf '%s %s\n' "linux-base-$rel" "$ver"
		fi
		# Since Debian 13 linux-kbuild-<base> matches the headers exactly.
		p=linux-kbuild-$base
		if exists "$p" "$ver"; then
			printf '%s %s\n' "$p" "$ver"
			return 0
		fi
		# linux-kbuild-<series> has no ABI in its name, so the archive only
		# keeps the newest build of it; any build will do for the headers.
		p=linux-kbuild-$series
		if exists "$p" "$ver"; then
			printf '%s %s\n' "$p" "$ver"
		else
			kb=$(candidate "$p")
			[[ -n $kb ]] || {
				note "$p is not on the mirror"
				return 1
			}
			note "$p=$ver is not on the mirror, using $p=$kb"
			printf '%s %s\n' "$p" "$kb"
		fi
		;;
	esac
}

# fetch PKG VERSION: make sure $debs holds a verified copy of the package
# and set $fetched to its path.  Returns 2 when the mirror lists the package
# but answers 404 for it.
fetch() {
	local pkg=$1 ver=$2 info file sha size deb tmp t0 rc got
	info=$(papt apt-cache show --no-all-versions "$pkg=$ver") ||
		die "$pkg=$ver not found in the private package lists"
	file=$(awk '/^Filename: / { print $2; exit }' <<<"$info")
	sha=$(awk '/^SHA256: / { print $2; exit }' <<<"$info")
	size=$(awk '/^Size: / { print $2; exit }' <<<"$info")
	[[ -n $file && -n $sha && -n $size ]] || die "no Filename/SHA256/Size for $pkg=$ver"
	deb=$debs/${file##*/}
	fetched=$deb
	if [[ -f $deb ]]; then
		if [[ $(stat -c %s "$deb") == "$size" &&
			$(sha256sum "$deb" | cut -d' ' -f1) == "$sha" ]]; then
			note "have ${deb##*/}"
			return 0
		fi
		note "discarding corrupt ${deb##*/}"
		rm -f "$deb" || die "cannot remove $deb"
	fi
	note "downloading $pkg=$ver ($((size / 1048576)) MiB)"
	tmp=$(mktemp -d "$debs/.download.XXXXXX") || die "mktemp in $debs failed"
	t0=$SECONDS
	rc=0
	(cd "$tmp" && papt apt-get -q download "$pkg=$ver") 2>&1 | tee "$tmp/log" >&2 || rc=$?
	if ((rc != 0)); then
		if grep -q ' 404 ' "$tmp/log"; then
			rm -rf "$tmp"
			return 2
		fi
		rm -rf "$tmp"
		die "apt-get download $pkg=$ver failed"
	fi
	got=("$tmp"/*.deb)
	if [[ ${#got[@]} -ne 1 || ! -f ${got[0]} ]]; then
		rm -rf "$tmp"
		die "apt-get download $pkg=$ver produced no single .deb"
	fi
	if [[ $(sha256sum "${got[0]}" | cut -d' ' -f1) != "$sha" ]]; then
		rm -rf "$tmp"
		die "SHA256 mismatch for $pkg=$ver"
	fi
	mv "${got[0]}" "$deb" || die "cannot move the download to $deb"
	rm -rf "$tmp"
	note "downloaded ${deb##*/} in $((SECONDS - t0))s"
}

# try ABI VERSION: download every package of the requested parts; sets
# $plan to "PART DEB" lines.  Returns non-zero when the mirror
# cannot provide one of them.
plan=
try() {
	local a=$1 ver=$2 part pkgs pkg v rc
	plan=
	if have "$a" "$ver"; then
		return 0
	fi
	for part in "${parts[@]}"; do
		pkgs=$(packages_of "$part" "$a" "$ver") || return 1
		while read -r pkg v; do
			# a package two parts need (linux-base on 7.x) is fetched and
			# extracted once
			[[ $plan != *"/${pkg}_"* ]] || continue
			rc=0
			fetch "$pkg" "$v" || rc=$?
			if ((rc == 2)); then
				note "$pkg=$v is listed but the mirror answers 404 for it"
				return 1
			elif ((rc != 0)); then
				exit "$rc"
			fi
			plan+="$part $fetched"$'\n'
		done <<<"$pkgs"
	done
}

# ------------------------------------------------------- resolve the kernel
if [[ -z $pin_version ]]; then
	pin_version=$(candidate "linux-image-$(release_of "$pin_abi")-dbg")
	[[ -n $pin_version ]] || die "$(release_of "$pin_abi") is not on the mirror ($codename); see: $0 --list $series"
	note "using $(release_of "$pin_abi") at $pin_version (ABI from the environment)"
fi
abi=$pin_abi version=$pin_version
if try "$abi" "$version"; then
	rm -f "$fallback_file"
else
	why="$(release_of "$pin_abi") ($pin_version)"
	found=
	avail=$(available | sort -rV) # newest ABI first
	while read -r a v; do
		[[ -n $a ]] || continue
		[[ $a != "$pin_abi" || $v != "$pin_version" ]] || continue
		note "trying $(release_of "$a") ($v)"
		if try "$a" "$v"; then
			abi=$a version=$v found=y
			break
		fi
	done <<<"$avail"
	[[ -n $found ]] || die "pinned $why is gone and no other $series.*-$flavour kernel" \
		"on the mirror ($codename) provides: ${parts[*]}"
	note "pinned $why is gone from the mirror, using $(release_of "$abi") ($version)" \
		"-- update ${pfx}_ABI/${pfx}_VERSION in $conf"
	printf '%s %s %s %s\n' "$pin_abi" "$pin_version" "$abi" "$version" >"$fallback_file"
fi
release=$(release_of "$abi")
kroot=$root/kernels/$release

# ------------------------------------------------------------------ extract
if [[ -n $plan ]]; then
	# A release directory holding another package version of the same ABI
	# is stale: start it afresh.
	mkdir -p "$kroot"
	for s in "$kroot"/.ctleak-*.stamp; do
		[[ -f $s ]] || continue
		if [[ "$(<"$s")" != "$version" ]]; then
			note "$kroot holds version $(<"$s"), not $version: removing it"
			rm -rf "$kroot"
			mkdir -p "$kroot"
			break
		fi
	done
	for part in "${parts[@]}"; do
		stamp=$(stamp_of "$kroot" "$part")
		if [[ -f $stamp && "$(<"$stamp")" == "$version" ]]; then
			note "$part of $release already extracted"
			continue
		fi
		rm -f "$stamp"
		while read -r p deb; do
			[[ $p == "$part" ]] || continue
			note "extracting ${deb##*/} into $kroot"
			t0=$SECONDS
			dpkg-deb -x "$deb" "$kroot" || die "dpkg-deb -x $deb failed"
			note "extracted ${deb##*/} in $((SECONDS - t0))s"
		done <<<"$plan"
		printf '%s\n' "$version" >"$stamp"
	done
fi

if [[ " ${parts[*]} " == *" dbg "* && ! -f $kroot/usr/lib/debug/boot/vmlinux-$release ]]; then
	die "vmlinux-$release missing after extracting the dbg package"
fi
report
