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
	clang libbpf-dev util-linux socat dkms rsync
	nginx-light wrk redis-server redis-tools openssh-server openssh-client curl
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
# The servers (nginx, redis, sshd) are for the guests: keep their
# packages from starting them on this machine.
rcd=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod 755 /usr/sbin/policy-rc.d
	rcd=1
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ -z "$rcd" ] || $SUDO rm -f /usr/sbin/policy-rc.d
