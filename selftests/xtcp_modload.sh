#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module life: refused unload while a socket lives, bad parameters,
# protocol 254, and 100 load/unload cycles (20 on the debug kernel).
# XTCP_KO names xtcp.ko; the module is loaded on entry and left loaded
# on exit.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"

KO=${XTCP_KO:?XTCP_KO must name xtcp.ko}
BIN=$XTCP_BIN
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null' EXIT

loaded() { [ -d /sys/module/xtcp ]; }
unloaded_clean() {
	! loaded && ! grep -q '^XTCP ' /proc/net/protocols &&
		[ ! -e /proc/net/xtcp_stat ] && ! xtcp_socket_ok 2>/dev/null
}
# Run a harness binary; its TAP becomes comments, its status one line.
harness() { "$BIN/$1" 2>&1 | sed 's/^/# /'; return "${PIPESTATUS[0]}"; }

# Preconditions, proved before anything is unloaded: xtcp is loaded with
# $XTCP_PROTO and no xtcp socket is open anywhere (run_guest.sh waits
# out what earlier files left).  If one fails, say which, skip the rest.
preconditions() {
	local n

	loaded || { echo "xtcp is not loaded"; return 1; }
	n=$(cat /sys/module/xtcp/parameters/proto)
	[ "$n" = "$XTCP_PROTO" ] || { echo "loaded with proto=$n"; return 1; }
	n=$(xtcp_refs)
	[ "$n" -eq 0 ] ||
		{ echo "$n module references: a socket of an earlier test is still open"; return 1; }
}

tap_plan 11
if ! why=$(preconditions); then
	not_ok "preconditions: $why"
	for i in $(seq 2 11); do echo "ok $i # SKIP preconditions do not hold"; done
	exit 1
fi
ok "preconditions: loaded with proto=$XTCP_PROTO, no xtcp socket open"

holder=$(xtcp_holder) || { not_ok "holder socket"; tap_done; }
check "rmmod refused while a socket is open" bash -c '! rmmod xtcp'
check "module still works after refused rmmod" xtcp_socket_ok
kill "$holder"
await_gone "$holder"
holder=
# Only a time-wait minisock is left: unload must free it.
tw_left() {
	python3 -c "
import socket
P = $XTCP_PROTO
l = socket.socket(2, 1, P); l.bind(('127.0.0.1', 7990)); l.listen(1)
c = socket.socket(2, 1, P); c.connect(('127.0.0.1', 7990))
s, _ = l.accept(); c.close(); s.recv(1); s.close(); l.close()
" && [ "$(xtcp_stat XtcpTimeWaitCreated)" -ge 1 ]
}
check "a time-wait minisock is left" tw_left
check "rmmod with only minisocks left" eval 'xtcp_await_refs && rmmod xtcp'
check "unload removes protocol, proc file and socket type" unloaded_clean

check "proto=6 rejected" bash -c "! insmod $KO proto=6 && ! test -d /sys/module/xtcp"
check "proto=300 rejected" bash -c "! insmod $KO proto=300 && ! test -d /sys/module/xtcp"

alt() {
	insmod "$KO" proto=254 || return 1
	XTCP_PROTO=254 harness xtcp_socket && XTCP_PROTO=254 harness xtcp_input
	local rc=$?
	xtcp_await_refs && rmmod xtcp && return $rc
}
check "proto=254: socket and input selftests pass" alt

# 100 cycles; 20 on the debug kernel, where one costs about 2 s and
# kmemleak would find what a single cycle leaks.
n_cycles=100
debug_kernel && n_cycles=20
cycles() {
	local i
	dmesg | grep -cE 'BUG:|WARNING:' >/tmp/xtcp-warn-before
	for i in $(seq $n_cycles); do
		insmod "$KO" proto="$XTCP_PROTO" || { echo "insmod $i failed"; return 1; }
		if [ $((i % 10)) -eq 0 ]; then
			xtcp_socket_ok || { echo "socket $i failed"; return 1; }
			xtcp_await_refs || return 1
		fi
		rmmod xtcp || { echo "rmmod $i failed"; return 1; }
	done
	unloaded_clean || { echo "not clean after cycles"; return 1; }
	[ "$(dmesg | grep -cE 'BUG:|WARNING:')" = "$(cat /tmp/xtcp-warn-before)" ] ||
		{ echo "kernel warnings during cycles"; return 1; }
}
check "$n_cycles load/unload cycles, clean" cycles

check "reload for the remaining tests" insmod "$KO" proto="$XTCP_PROTO"
tap_done
