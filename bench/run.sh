#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the benchmarks in a guest of the stock 6.12 kernel (not the debug
# one: sanitizers would dominate).  Under TCG, absolute figures are far
# below native; compare xtcp and TCP from the same run.
#   bench/run.sh [6.12|6.1] [tail|mem|apps|paths]
# "tail" runs only bench/loss_tail.sh (small transfers under 20% loss,
# about 10 minutes); "mem" only bench/mem.py (memory per connection);
# "apps" only bench/apps.sh (iperf3, wrk+nginx, redis-benchmark through
# xtcpize, about 10 minutes).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-6.12}
what=${2:-all}
scripts/deps.sh
. scripts/kernels.sh
scripts/build.sh "$(kernel_build_dir "$k")" "build/$k" >/dev/null
make -s -C selftests >/dev/null
make -s -C tools/xtcpize >/dev/null
if [ "$what" = apps ]; then
	exec scripts/vm/run.sh --kernel "$k" --timeout 1800 -- bash -c \
		"insmod build/$k/xtcp.ko && bench/apps.sh"
fi
# "paths": bench/paths.sh, iperf3 over netem paths (about 3 minutes).
if [ "$what" = paths ]; then
	exec scripts/vm/run.sh --kernel "$k" --timeout 1800 -- bash -c \
		"insmod build/$k/xtcp.ko && bench/paths.sh"
fi
if [ "$what" = tail ]; then
	exec scripts/vm/run.sh --kernel "$k" --timeout 3000 -- bash -c \
		"insmod build/$k/xtcp.ko && bench/loss_tail.sh"
fi
# bench/mem.py needs the scripted peer's netns: lo, and d0 10.1.1.1/24.
mem="ip netns add xtcp-bm && ip -n xtcp-bm link set lo up &&
	ip -n xtcp-bm link add d0 type dummy &&
	ip -n xtcp-bm addr add 10.1.1.1/24 dev d0 && ip -n xtcp-bm link set d0 up &&
	nsenter --net=/run/netns/xtcp-bm python3 bench/mem.py; ip netns del xtcp-bm"
if [ "$what" = mem ]; then
	exec scripts/vm/run.sh --kernel "$k" --timeout 900 -- bash -c \
		"insmod build/$k/xtcp.ko && $mem"
fi
exec scripts/vm/run.sh --kernel "$k" --timeout 900 -- bash -c \
	"insmod build/$k/xtcp.ko && python3 bench/crr.py && echo &&
	 python3 bench/trace_cost.py && echo && $mem && echo && bench/xfer.sh"
