#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The IPv6 pass of xtcp_data (XTCP_FAMILY=6), each case's TAP name
# tagged [ipv6].
cd "$(dirname "$0")" || exit 1
. ./lib.sh
v6_pass heavy || ksft_skip "heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"
XTCP_FAMILY=6 "$XTCP_BIN/xtcp_data" | sed -E 's/^((not )?ok [0-9]+ )/\1[ipv6] /'
exit "${PIPESTATUS[0]}"
