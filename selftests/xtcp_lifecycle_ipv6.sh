#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The IPv6 pass of xtcp_lifecycle (XTCP_FAMILY=6), each case's TAP name
# tagged [ipv6].
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"
XTCP_FAMILY=6 "$XTCP_BIN/xtcp_lifecycle" | sed -E 's/^((not )?ok [0-9]+ )/\1[ipv6] /'
exit "${PIPESTATUS[0]}"
