#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build xtcp.ko (and xtcp_kunit.ko where the kernel has KUnit) against one
# kernel build tree, in an output directory of its own, so builds for
# several kernels do not share object files.
#   scripts/build.sh KDIR OUTDIR [make args...]
# Fails if the compiler prints any warning.
set -euo pipefail

kdir=$1 out=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/src" "$out/include" "$out/kunit"
cp -a "$top/Kbuild" "$top/src" "$top/include" "$top/kunit" "$out/"

log="$out/build.log"
if ! make -C "$kdir" M="$out" W=1 "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build: FAILED against $kdir" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build: warnings against $kdir (see $log)" >&2
	exit 1
fi
echo "build: $(cd "$out" && ls ./*.ko | tr '\n' ' ')against $kdir"
