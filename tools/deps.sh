#!/usr/bin/env bash
# deps.sh — install the Debian packages ctleak needs to build and test.
# Idempotent and quick when everything is present (no apt call at all then).
set -euo pipefail

packages=(
	gcc make libc6-dev pkgconf    # toolchain
	libdwarf-dev zlib1g-dev       # the DWARF resolver
	libbpf-dev                    # the BTF resolver (libbpf)
	libkdumpfile-dev              # the standalone twin's dump reader
	crash                         # defs.h for the extension, and crash itself
	gdb                           # independent DWARF oracle in the tests
	valgrind                      # memory checking in make check
	python3 jq                    # JSON checks in the tests; the demo
	binutils bc apt dpkg ca-certificates  # nm/strings, timing, kernel package fetch
	qemu-system-x86 busybox-static kmod cpio file  # the test guest (make vmcores)
	makedumpfile libelf1                  # unflattening kdump files; kbuild's objtool
	qemu-system-common                    # virtiofsd: debug files for the live guest
	python3-drgn time                     # make bench: the drgn peer; GNU time
	debootstrap                           # the Debian 13 build-and-test root
)

missing=()
for p in "${packages[@]}"; do
	# python3 may come from elsewhere (pyenv); a working one is enough.
	if [ "$p" = python3 ] && command -v python3 >/dev/null 2>&1; then continue; fi
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: need root to install ${missing[*]} (run: apt-get install ${missing[*]})" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet.
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
