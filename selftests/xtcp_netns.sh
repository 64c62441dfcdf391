#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xtcp in several network namespaces: sockets in each, counters and
# socket counts kept per namespace, a namespace deleted under a live
# socket.  Needs the module loaded and root.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"

A=xtcp-a-$$
B=xtcp-b-$$
cleanup() {
	[ -n "${holder:-}" ] && kill "$holder" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT

inns() { ip netns exec "$1" bash -c ". ./lib.sh; ${*:2}"; }

tap_plan 7
ip netns add "$A" && ip netns add "$B" || { not_ok "netns setup"; tap_done; }
inns "$A" ip link set lo up
inns "$B" ip link set lo up

check "socket in netns A" inns "$A" xtcp_socket_ok
check "socket in netns B" inns "$B" xtcp_socket_ok

# Each socket holds module references (its proto and its ops); those of
# the sockets just closed go after a grace period.
xtcp_await_refs
base=$(xtcp_refs)
holder=$(xtcp_holder ip netns exec "$A") || { not_ok "holder socket in A"; tap_done; }
check "socket count is per netns (A 1, B 0)" \
	test "$(inns "$A" xtcp_inuse) $(inns "$B" xtcp_inuse)" = "1 0"

before=$(inns "$B" xtcp_stat XtcpInSegs)
inns "$A" xtcp_send_raw
a_segs_is() { [ "$(inns "$A" xtcp_stat XtcpInSegs)" = "$1" ]; }
await 10 a_segs_is 1
check "segment counted in netns A" test "$(inns "$A" xtcp_stat XtcpInSegs)" = 1
check "counters are per netns (B unchanged)" \
	test "$(inns "$B" xtcp_stat XtcpInSegs)" = "$before"

# Delete A while its socket lives: the socket keeps the namespace alive
# and the module pinned until it closes.
ip netns del "$A"
check "live socket pins the module after netns deletion" \
	test "$(xtcp_refs)" -gt "$base"
kill "$holder"
await_gone "$holder"
holder=
xtcp_await_refs "$base"
check "socket of a deleted netns is freed on close" test "$(xtcp_refs)" -eq "$base"
tap_done
