#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job: install what is needed, build xtcp, boot a test guest,
# load the module there and show it at work.
#   scripts/demo.sh [6.12|6.1|debug]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
k=${1:-6.12}

scripts/deps.sh
. scripts/kernels.sh
scripts/build.sh "$(kernel_build_dir "$k")" "build/$k"
echo "==> booting a $k guest (QEMU, TCG)"
XTCP_VM_OUT=build/demo scripts/vm/run.sh --kernel "$k" --timeout 600 -- \
	scripts/demo-guest.sh "build/$k/xtcp.ko"
echo "==> the picture of this run: build/demo/xtcp-states.svg"
