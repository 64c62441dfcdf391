#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the few files xtcp needs from Debian's linux-source-6.12 tarball
# (checkpatch, the kselftest harness, lib.mk and runner) into a cache;
# print that directory.
set -euo pipefail

TARBALL=/usr/src/linux-source-6.12.tar.xz
CACHE=${XTCP_CACHE:-$HOME/.cache/xtcp}
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
dir="$CACHE/ksrc-$ver"

if [ ! -e "$dir/.done-2" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	top=linux-source-6.12
	tar -C "$dir" --strip-components=1 -xJf "$TARBALL" \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" \
		"$top/tools/testing/selftests/kselftest_harness.h" \
		"$top/tools/testing/selftests/kselftest.h" \
		"$top/tools/testing/selftests/lib.mk" \
		"$top/tools/testing/selftests/run_kselftest.sh" \
		"$top/tools/testing/selftests/kselftest" >&2
	touch "$dir/.done-2"
fi
echo "$dir"
