#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crafted-segment tests with a scripted peer (xtcp_peer.py, or the
# scenario file given as $1) in a netns of its own: lo, and a dummy
# device d0 (10.1.1.1/24, fd00:1::1/64) behind which the fake peer
# 10.1.1.2 (fd00:1::2) lives.  $2 names the families to run the
# scenarios in, by default 4, and 6 where lib.sh's v6_pass says so:
# each family in a fresh netns.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"
script=${1:-xtcp_peer.py}
families=${2:-4 $(v6_pass light && echo 6)}
rc=0
for fam in $families; do
	NS=xtcp-peer-$$-$fam
	ip netns add $NS || exit 1
	ip netns exec $NS sh -e -c '
		ip link set lo up
		ip link add d0 type dummy
		ip addr add 10.1.1.1/24 dev d0
		ip addr add fd00:1::1/64 dev d0 nodad
		ip link set d0 up'
	XTCP_FAMILY=$fam ip netns exec $NS python3 "./$script" || rc=1
	ip netns del $NS
done
exit $rc
