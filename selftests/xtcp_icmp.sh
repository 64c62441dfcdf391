#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMP and ICMPv6 error tests (xtcp_icmp.py, xtcp_icmp6.py), in the same
# netns set-up as xtcp_peer.sh.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"
rc=0
./xtcp_peer.sh xtcp_icmp.py 4 || rc=1
if v6_pass light; then
	./xtcp_peer.sh xtcp_icmp6.py 6 || rc=1
fi
exit $rc
