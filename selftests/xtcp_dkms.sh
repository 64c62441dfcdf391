#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS packaging: the module scripts/dkms-build.sh built with `dkms build`
# (build/dkms) is installed with `dkms install` into this guest's
# /lib/modules (a tmpfs overlay; a copy without the kernel's modules is
# mounted over it, so that depmod is quick), `modprobe xtcp` loads it, and after
# `modprobe -r` the first socket(AF_INET, SOCK_STREAM, 253) loads it again
# by its alias.  Only on the kernel it was built for (Debian's 6.12); it
# leaves the module loaded as it found it (insmod of $XTCP_KO).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
heavy_kernel || ksft_skip "heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"

DKMS=${XTCP_DKMS:-$XTCP_SRC/build/dkms}
K=$(uname -r)
tap_plan 4
if [ ! -d "$DKMS/tree/xtcp" ] || ! ls "$DKMS"/tree/xtcp/*/"$K"/x86_64/module/xtcp.ko* >/dev/null 2>&1 ||
	! command -v dkms >/dev/null; then
	for n in "dkms install" "modprobe xtcp" "socket() of the DKMS module" "autoload by alias"; do
		ok "$n # SKIP no DKMS build for $K"
	done
	exit 0
fi
ver=$(ls "$DKMS/tree/xtcp" | grep -v '^source$' | head -1)
ko=${XTCP_KO:-}
was_loaded=0
[ -d /sys/module/xtcp ] && was_loaded=1
xtcp_await_refs 0 && rmmod xtcp 2>/dev/null

# depmod over the kernel's 4000-odd modules takes minutes under TCG:
# the install goes to a copy of /lib/modules/$K with its index files and
# build link but no modules, mounted over it for the test and removed
# after (xtcp needs no other module).
mods=/lib/modules/$K
mini=$(mktemp -d)
# (dkms reads the compression, .ko.xz, from the old modules.dep.)
cp -a "$mods"/modules.* "$mini"/
[ -e "$mods/build" ] && ln -s "$(readlink -f "$mods/build")" "$mini/build"
mount --bind "$mini" "$mods" || { echo "# cannot mount over $mods"; exit 1; }
trap 'umount "$mods"; rm -rf "$mini"' EXIT

check "dkms install xtcp/$ver for $K" dkms install --dkmstree "$(readlink -f "$DKMS/tree")" \
	--sourcetree "$(readlink -f "$DKMS/src")" "xtcp/$ver" -k "$K"
check "modprobe xtcp loads the DKMS module (updates/dkms)" sh -c \
	"modprobe xtcp && modinfo -n xtcp | grep -q updates/dkms && test -d /sys/module/xtcp"
check "socket(AF_INET, SOCK_STREAM, 253) of the DKMS module" xtcp_socket_ok 253
xtcp_await_refs 0
modprobe -r xtcp
check "after modprobe -r, socket(..., 253) loads it by its alias" sh -c \
	"! test -d /sys/module/xtcp && python3 -c 'import socket; socket.socket(2, 1, 253)' && test -d /sys/module/xtcp"
xtcp_await_refs 0
modprobe -r xtcp 2>/dev/null
umount "$mods" && rm -rf "$mini"
trap - EXIT
if [ "$was_loaded" = 1 ] && [ -n "$ko" ]; then
	insmod "$ko" proto="$XTCP_PROTO"
fi
tap_done
