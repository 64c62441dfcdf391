#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fuzzers for longer, with new seeds, in a guest of the debug kernel
# (KASAN, lockdep, UBSAN, failslab): a soak run that reports the seeds
# it tried, not a verdict for make check (which runs fixed seeds).
#   scripts/fuzz.sh [KERNEL] [N]   N seeds of each fuzzer (default 5)
# A failing seed reproduces with
#   XTCP_FUZZ_SEG_SEEDS=S XTCP_FUZZ_SYS_SEEDS=S selftests/xtcp_fuzz.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-debug}
n=${2:-5}
scripts/deps.sh
. scripts/kernels.sh
[ "$k" = debug ] && scripts/debug-kernel.sh
scripts/build.sh "$(kernel_build_dir "$k")" "build/$k" >/dev/null
make -s -C selftests >/dev/null
seeds=$(for i in $(seq "$n"); do echo $((RANDOM * 32768 + RANDOM)); done | xargs)
echo "# seeds: $seeds"
exec scripts/vm/run.sh --kernel "$k" --timeout $((600 + n * 600)) -- bash -c \
	"mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	 insmod build/$k/xtcp.ko && cd selftests &&
	 XTCP_FUZZ=1 XTCP_KO=$top/build/$k/xtcp.ko XTCP_BIN=$top/build/selftests \
	 XTCP_FUZZ_SEG_SEEDS='$seeds' XTCP_FUZZ_SYS_SEEDS='$seeds' ./xtcp_fuzz.sh"
