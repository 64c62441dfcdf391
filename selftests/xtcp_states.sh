#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# State transitions seen from outside: each scenario's state changes, read
# from the sock:inet_sock_set_state tracepoint, must be exactly those of
# RFC 9293 / the seeds' Figure 61-4.  Runs in a netns of its own.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"

T=/sys/kernel/tracing
E=$T/events/sock/inet_sock_set_state
[ -d "$E" ] || { tap_plan 1; echo "ok 1 states # SKIP no tracefs"; exit 0; }
NS=xtcp-st-$$
ip netns add $NS
ip netns exec $NS ip link set lo up
cleanup() {
	echo 0 >$E/enable
	echo 0 >$E/filter
	ip netns del $NS 2>/dev/null
}
trap cleanup EXIT
echo "protocol == $XTCP_PROTO" >$E/filter

# run SCENARIO BASE: prints "sport>dport OLD>NEW" lines for the scenario.
run() {
	: >$T/trace
	echo 1 >$E/enable
	ip netns exec $NS python3 ./xtcp_states.py "$1" "$2" || echo "scenario $1 failed"
	sleep 0.2
	echo 0 >$E/enable
	sed -n 's/.*sport=\([0-9]*\) dport=\([0-9]*\).*oldstate=TCP_\([A-Z_0-9]*\) newstate=TCP_\([A-Z_0-9]*\).*/\1>\2 \3>\4/p' $T/trace
}
# path LINES PORT: the transitions of the socket whose local port is PORT.
path() { awk -v p="$2" '{ split($1, a, ">"); if (a[1] == p) printf "%s ", $2 }' <<<"$1"; }
expect() {
	local name=$1 got=$2 want=$3
	if [ "$got" = "$want" ]; then ok "$name"; else
		not_ok "$name"
		echo "#   want: $want"
		echo "#   got:  $got"
	fi
}

# One pass per family: $1 4 or 6, ports offset by $2, names tagged.
suite() {
	local fam=$1 O=$2 B out srv lst p TAG=
	[ "$fam" = 6 ] && TAG="[ipv6] "
	export XTCP_FAMILY=$fam
	B=$((7100 + O))
	out=$(run normal $B)
	expect "${TAG}client: CLOSE-SYN_SENT-ESTABLISHED-FIN_WAIT1-FIN_WAIT2-TIME_WAIT" \
		"$(path "$out" $((B + 1)))" \
		"CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>TIME_WAIT TIME_WAIT>CLOSE "
	# Listener and accepted child share the local port; split them by peer.
	srv=$(awk -v p=$B '{ split($1, a, ">"); if (a[1] == p && a[2] != 0) printf "%s ", $2 }' <<<"$out")
	expect "${TAG}server: SYN_RECV-ESTABLISHED-CLOSE_WAIT-LAST_ACK-CLOSE" "$srv" \
		"SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSE "
	lst=$(awk -v p=$B '{ split($1, a, ">"); if (a[1] == p && a[2] == 0) printf "%s ", $2 }' <<<"$out")
	expect "${TAG}listener: CLOSE-LISTEN-CLOSE" "$lst" "CLOSE>LISTEN LISTEN>CLOSE "

	B=$((7600 + O))
	out=$(run orphan $B)
	expect "${TAG}orphan: FIN_WAIT2 handed to a time-wait minisock" \
		"$(path "$out" $((B + 1)))" \
		"CLOSE>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT1 FIN_WAIT1>FIN_WAIT2 FIN_WAIT2>CLOSE "

	# Each SYN leaves before the other arrives if the two connect()s are
	# less than the delay apart: 300 ms leaves a slow guest room.
	B=$((7200 + O))
	ip netns exec $NS tc qdisc add dev lo root netem delay 300ms
	out=$(run simultaneous_open $B)
	ip netns exec $NS tc qdisc del dev lo root
	for p in $B $((B + 1)); do
		expect "${TAG}simultaneous open ($p): SYN_SENT-SYN_RECV-ESTABLISHED" \
			"$(path "$out" $p | cut -d' ' -f1-3) " \
			"CLOSE>SYN_SENT SYN_SENT>SYN_RECV SYN_RECV>ESTABLISHED "
	done

	B=$((7300 + O))
	out=$(run simultaneous_close $B)
	expect "${TAG}simultaneous close: FIN_WAIT1-CLOSING-TIME_WAIT (client)" \
		"$(path "$out" $((B + 1)) | cut -d' ' -f3-5) " \
		"ESTABLISHED>FIN_WAIT1 FIN_WAIT1>CLOSING CLOSING>TIME_WAIT "

	B=$((7400 + O))
	out=$(run refused $B)
	expect "${TAG}refused: SYN_SENT-CLOSE" "$(path "$out" $((B + 1)))" \
		"CLOSE>SYN_SENT SYN_SENT>CLOSE "

	B=$((7500 + O))
	out=$(run abort $B)
	expect "${TAG}SO_LINGER 0 abort: ESTABLISHED-CLOSE" \
		"$(path "$out" $((B + 1)) | cut -d' ' -f3) " "ESTABLISHED>CLOSE "
	srv=$(awk -v p=$B '{ split($1, a, ">"); if (a[1] == p && a[2] != 0) printf "%s ", $2 }' <<<"$out")
	expect "${TAG}RST received: ESTABLISHED-CLOSE" "$srv" \
		"SYN_RECV>ESTABLISHED ESTABLISHED>CLOSE "
}

if v6_pass light; then
	tap_plan 20
	suite 4 0
	suite 6 1000
else
	tap_plan 10
	suite 4 0
fi
tap_done
