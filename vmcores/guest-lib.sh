# guest-lib.sh — the test guest's pieces, shared by make-vmcore.sh (dumps)
# and live-test.sh (ctleak run inside the guest on its own /proc/kcore).
# Sourced, not run. Callers set: here (vmcores/), prog, and use die/note.

# guest_kernel SERIES [--print]: fetch (or find) the kernel; sets release
# version kroot vmlinux modules_dbg vmlinuz kmodules cache. With --print,
# only find it: returns 1 when it is not extracted (never downloads).
guest_kernel() {
	local out
	if [[ ${2:-} == --print ]]; then
		out=$(bash "$here/fetch-kernel.sh" --print "$1" dbg image headers) || return 1
	else
		out=$(bash "$here/fetch-kernel.sh" "$1" dbg image headers)
	fi
	kv() { sed -n "s/^$1=//p" <<<"$out"; }
	release=$(kv release) version=$(kv version) kroot=$(kv root)
	vmlinux=$(kv vmlinux) modules_dbg=$(kv modules) vmlinuz=$(kv vmlinuz)
	kmodules=$(kv kmodules)
	[[ -n $kmodules ]] || kmodules=$kroot/lib/modules/$release
	cache=$(cd "$kroot/../.." && pwd)
}

# The files that make a guest; callers hash them into their cache keys.
guest_sources() {
	cat "$here/guest-lib.sh" "$here/qmp.py" "$here/truth.py" \
		"$here/fetch-kernel.sh" "$here/trixie-root.sh" \
		"$here/guest/init.sh" "$here/guest/netns2.sh" "$here/guest/netns3.sh" \
		"$here/guest/scale-ns.sh" \
		"$here/guest/ctgen.c" "$here"/module/*.c "$here/module/build.sh" "$here/module/Kbuild"
}

guest_check_tools() {
	local tool
	for tool in qemu-system-x86_64 makedumpfile busybox modinfo cpio gzip xz python3 gcc; do
		command -v "$tool" >/dev/null || [[ -x /bin/$tool ]] ||
			die "$tool is missing: run 'make deps'"
	done
	[[ -x /bin/busybox ]] || die "/bin/busybox (busybox-static) is missing: run 'make deps'"
	file /bin/busybox 2>/dev/null | grep -q "statically linked" ||
		die "/bin/busybox is not statically linked: install busybox-static"
}

# guest_rootfs WORK ROOTFS MODULE...: the planting module and ctgen built,
# busybox, the guest scripts, and the named kernel modules with their
# dependencies (in load order, listed in ROOTFS/modules.list). A module the
# kernel has built in (its modules.builtin) is skipped. Compressed modules
# (.ko.xz, Debian 13 on) are decompressed here, so the guest's insmod only
# ever sees ELF (whatever busybox and the kernel would make of .xz).
guest_rootfs() {
	local work=$1 rootfs=$2
	shift 2
	bash "$here/module/build.sh" "$kroot" "$work/module" >"$work/module.log" 2>&1 ||
		die "building ctleak_plant.ko failed (see $work/module.log)"
	gcc -static -O2 -Wall -Wextra -Werror -std=gnu11 "$here/guest/ctgen.c" -o "$work/ctgen" ||
		die "building ctgen failed"
	mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,root,lib/modules}
	cp /bin/busybox "$rootfs/bin/busybox"
	ln -s busybox "$rootfs/bin/sh"
	cp "$here/guest/init.sh" "$rootfs/init"
	cp "$here/guest/netns2.sh" "$here/guest/netns3.sh" "$here/guest/scale-ns.sh" \
		"$work/ctgen" "$rootfs/"
	chmod 755 "$rootfs/init" "$rootfs/netns2.sh" "$rootfs/netns3.sh" "$rootfs/scale-ns.sh" \
		"$rootfs/ctgen"

	# Debian ships no modules.dep: order the modules by their .modinfo depends=.
	local moddir=$kmodules/kernel f n m
	declare -A modpath=() loaded=() builtin=()
	[[ -d $moddir ]] || die "no kernel modules under $moddir"
	while IFS= read -r -d '' f; do
		n=${f##*/}
		n=${n%.xz}
		n=${n%.ko}
		modpath[${n//-/_}]=$f
	done < <(find "$moddir" \( -name '*.ko' -o -name '*.ko.xz' \) -print0)
	if [[ -f $kmodules/modules.builtin ]]; then
		while IFS= read -r f; do
			n=${f##*/}
			n=${n%.ko}
			builtin[${n//-/_}]=1
		done <"$kmodules/modules.builtin"
	fi
	local order=()
	add_module() { # depth-first: dependencies first
		local m=${1//-/_} d
		[[ -n ${loaded[$m]:-} ]] && return 0
		loaded[$m]=1
		if [[ -z ${modpath[$m]:-} && -n ${builtin[$m]:-} ]]; then
			note "$m is built into $release: not loaded"
			return 0
		fi
		[[ -n ${modpath[$m]:-} ]] || die "module $m not found under $moddir (nor built in)"
		for d in $(modinfo -F depends "${modpath[$m]}" | tr ',' ' '); do add_module "$d"; done
		order+=("$m")
	}
	for m in "$@"; do add_module "$m"; done
	: >"$rootfs/modules.list"
	for m in "${order[@]}"; do
		f=${modpath[$m]}
		n=${f##*/}
		n=${n%.xz}
		case $f in
		*.xz) xz -dc "$f" >"$rootfs/lib/modules/$n" || die "xz -d $f failed" ;;
		*) cp "$f" "$rootfs/lib/modules/" ;;
		esac
		echo "$n" >>"$rootfs/modules.list"
	done
	cp "$work/module/ctleak_plant.ko" "$rootfs/lib/modules/"
	echo ctleak_plant.ko >>"$rootfs/modules.list"
}

# guest_add_binary ROOTFS PROGRAM NAME: a dynamically linked program at
# /NAME, with its shared libraries and the loader at their own paths.
guest_add_binary() {
	local rootfs=$1 prog=$2 name=$3 lib
	cp "$prog" "$rootfs/$name"
	chmod 755 "$rootfs/$name"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		mkdir -p "$rootfs$(dirname "$lib")"
		cp -L "$lib" "$rootfs$lib"
	done
}

guest_initrd() { # guest_initrd ROOTFS OUT
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"
}

# guest_boot WORK SCENARIO MEM_MB [QEMU_ARGS...]: start QEMU in the
# background (TCG, 2 vCPUs, KASLR on); sets qpid. $guest_append, if set,
# is added to the kernel command line. Console on
# WORK/console.log, the guest's transcript on WORK/truth.raw, QMP on
# WORK/qmp.sock.
guest_boot() {
	local work=$1 scenario=$2 mem=$3
	shift 3
	qemu-system-x86_64 -accel tcg -machine pc -m "$mem" -smp 2 -no-reboot \
		-kernel "$vmlinuz" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet ctleak.scenario=$scenario ${guest_append:-}" \
		-device vmcoreinfo -display none -monitor none -nodefaults \
		-serial "file:$work/console.log" -serial "file:$work/truth.raw" \
		-qmp "unix:$work/qmp.sock,server=on,wait=off" "$@" >"$work/qemu.log" 2>&1 &
	qpid=$!
}

# guest_wait WORK MARK LIMIT: until the transcript has MARK (bounded).
guest_wait() {
	local work=$1 mark=$2 limit=$3 i
	for ((i = 0; i < limit; i++)); do
		grep -q "$mark" "$work/truth.raw" 2>/dev/null && return 0
		kill -0 "$qpid" 2>/dev/null || die "QEMU exited before $mark (see $work/console.log)"
		sleep 1
	done
	die "no $mark from the guest after ${limit}s (see $work/console.log)"
}
