#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crafted-segment tests with a scripted peer (xtcp_peer.py, or the
# scenario file given as $1) in a netns of its own: lo, and a dummy
# device d0 (10.1.1.1/24) behind which the fake peer 10.1.1.2 lives.
cd "$(dirname "$0")" || exit 1
NS=xtcp-peer-$$
ip netns add $NS || exit 1
trap 'ip netns del $NS' EXIT
ip netns exec $NS sh -e -c '
	ip link set lo up
	ip link add d0 type dummy
	ip addr add 10.1.1.1/24 dev d0
	ip link set d0 up'
ip netns exec $NS python3 "./${1:-xtcp_peer.py}"
