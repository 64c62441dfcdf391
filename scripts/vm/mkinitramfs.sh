#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the xtcp test VM's initramfs: busybox-static, /init (scripts/vm/init)
# and, for a stock kernel, the decompressed modules needed to mount the host's
# root (virtio_pci if modular, netfs, 9pnet, 9pnet_virtio, 9p, overlay, and
# their dependencies) plus /modules/order, the order /init insmods them in.
#
# Usage: scripts/vm/mkinitramfs.sh <kernel-version|builtin> <out.cpio.gz>
#   kernel-version: a directory under /lib/modules (e.g. 6.12.107+deb12-amd64);
#   builtin: no modules (a kernel with 9p/overlay built in, e.g. the debug one).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}
# Roots of the dependency walk; built-in ones are skipped.
WANT=(virtio_pci netfs 9pnet 9pnet_virtio 9p overlay)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

[ $# -eq 2 ] || { echo "usage: $0 <kernel-version|builtin> <out.cpio.gz>" >&2; exit 2; }
kver=$1
out=$2

[ -x "$BUSYBOX" ] || die "no $BUSYBOX (apt-get install busybox-static)"
if [[ $(LC_ALL=C ldd "$BUSYBOX" 2>&1 || true) != *"not a dynamic executable"* ]]; then
	die "$BUSYBOX is not statically linked (apt-get install busybox-static)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
cp "$BUSYBOX" "$tmp/bin/busybox"
install -m 0755 "$HERE/init" "$tmp/init"

declare -A seen=()
order=()

# add_module NAME: add NAME's dependencies, then NAME itself, to $order.
add_module() {
	local name=$1 file dep deps
	name=${name//-/_}
	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	file=$(modinfo -k "$kver" -n "$name") || die "module $name not found for $kver"
	[ "$file" != "(builtin)" ] || return 0
	deps=$(modinfo -k "$kver" -F depends "$name")
	for dep in ${deps//,/ }; do
		add_module "$dep"
	done
	case "$file" in
	*.ko.xz) xz -dc "$file" >"$tmp/modules/$name.ko" ;;
	*.ko.zst) zstd -qdc "$file" >"$tmp/modules/$name.ko" ;;
	*.ko.gz) gzip -dc "$file" >"$tmp/modules/$name.ko" ;;
	*.ko) cp "$file" "$tmp/modules/$name.ko" ;;
	*) die "unexpected module file $file" ;;
	esac
	order+=("$name")
}

if [ "$kver" != builtin ]; then
	[ -d "/lib/modules/$kver" ] || die "no /lib/modules/$kver"
	for m in "${WANT[@]}"; do
		add_module "$m"
	done
	printf '%s\n' "${order[@]}" >"$tmp/modules/order"
fi

mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out (${order[*]:-no modules})" >&2
