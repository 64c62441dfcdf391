#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the benchmarks in a guest of the stock 6.12 kernel (not the debug
# one: sanitizers would dominate).  Under TCG, absolute figures are far
# below native; compare xtcp and TCP from the same run.
#   bench/run.sh [6.12|6.1] [tail]
# "tail" runs only bench/loss_tail.sh (small transfers under 20% loss,
# about 10 minutes).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-6.12}
what=${2:-all}
scripts/deps.sh
. scripts/kernels.sh
scripts/build.sh "$(kernel_build_dir "$k")" "build/$k" >/dev/null
make -s -C selftests >/dev/null
if [ "$what" = tail ]; then
	exec scripts/vm/run.sh --kernel "$k" --timeout 3000 -- bash -c \
		"insmod build/$k/xtcp.ko && bench/loss_tail.sh"
fi
exec scripts/vm/run.sh --kernel "$k" --timeout 900 -- bash -c \
	"insmod build/$k/xtcp.ko && python3 bench/crr.py && echo &&
	 python3 bench/trace_cost.py && echo && bench/xfer.sh"
