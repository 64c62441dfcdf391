#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing xtcp needs on a Debian 12 host.
# Idempotent: does nothing when every package is already installed.
set -euo pipefail

K612=6.12.107+deb12-amd64

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves kmod cpio
	xz-utils zstd gzip python3 git
	qemu-system-x86 busybox-static sparse
	linux-image-amd64 linux-headers-amd64
	"linux-image-$K612" "linux-headers-$K612"
	linux-source-6.12
	iproute2 ethtool tshark bpftrace trace-cmd iperf3 graphviz
	clang libbpf-dev util-linux socat dkms
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
