#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Parallel connections on all CPUs (xtcp_stress.py) in a netns of its own.
cd "$(dirname "$0")" || exit 1
NS=xtcp-stress-$$
ip netns add $NS || exit 1
trap 'ip netns del $NS' EXIT
ip netns exec $NS ip link set lo up
ip netns exec $NS python3 ./xtcp_stress.py
