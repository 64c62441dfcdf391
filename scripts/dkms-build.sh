#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build xtcp with DKMS, as a user would (dkms add + build), for Debian's
# 6.12 headers, in a DKMS tree of its own (build/dkms), so that the
# guest's selftests/xtcp_dkms.sh can `dkms install` it and `modprobe xtcp`.
# Nothing is installed on this machine.
#   scripts/dkms-build.sh [KERNELRELEASE]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kernels.sh"
kver=${1:-$XTCP_K612}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
out=$top/build/dkms
rm -rf "$out"
mkdir -p "$out/tree" "$out/src/xtcp-$ver"
(cd "$top" && git ls-files -z 2>/dev/null || find . -path ./build -prune -o \
	-type f -print0) | (cd "$top" && xargs -0 cp --parents -t "$out/src/xtcp-$ver/")
cp "$top/dkms.conf" "$out/src/xtcp-$ver/"
dkms add --dkmstree "$out/tree" --sourcetree "$out/src" "xtcp/$ver" >/dev/null
dkms build --dkmstree "$out/tree" --sourcetree "$out/src" "xtcp/$ver" \
	-k "$kver" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
ls "$out/tree/xtcp/$ver/$kver/x86_64/module/"xtcp.ko*
