#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks of the kernel code: checkpatch (--strict, from Debian's
# linux-source-6.12) and sparse (make C=1 against the 6.12 headers).
#   scripts/static.sh checkpatch|sparse
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/kernels.sh

files=$(git ls-files -co --exclude-standard src include kunit | grep -E '\.[ch]$')

case ${1:-} in
checkpatch)
	ksrc=$(scripts/ksrc.sh)
	# --no-tree: not inside a kernel tree; -f: whole files, not patches.
	# shellcheck disable=SC2086
	"$ksrc/scripts/checkpatch.pl" --no-tree --strict --quiet --terse \
		--show-types -f $files
	;;
sparse)
	out=build/sparse
	scripts/build.sh "$(kernel_build_dir 6.12)" "$out" C=1 >/dev/null
	if grep -E "(warning|error):" "$out/build.log"; then
		echo "sparse: warnings above"
		exit 1
	fi
	grep -q 'CHECK' "$out/build.log" || { echo "sparse did not run"; exit 1; }
	echo "sparse: clean"
	;;
*)
	echo "usage: $0 checkpatch|sparse" >&2
	exit 2
	;;
esac
