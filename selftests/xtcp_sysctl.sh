#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# net.xtcp.* sysctls: defaults, range checks (EINVAL, value unchanged),
# per-netns values, and what each one does.  Needs the module loaded.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
debug_kernel && [ "${XTCP_HEAVY:-}" != 1 ] &&
	ksft_skip "on the debug kernel: runs on stock 6.1 and 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"

NS=xtcp-sc-$$
NS2=xtcp-sc2-$$
ip netns add $NS && ip netns add $NS2
trap 'ip netns del $NS; ip netns del $NS2' EXIT
ip netns exec $NS ip link set lo up
ip netns exec $NS2 ip link set lo up
in_ns() { ip netns exec $NS "$@"; }
get() { in_ns cat /proc/sys/net/xtcp/"$1"; }
set_() { in_ns sh -c "echo $2 > /proc/sys/net/xtcp/$1" 2>/dev/null; }
stat_() { in_ns awk -v n="$1" '$1 == n { print $2 }' /proc/net/xtcp_stat; }

# py SCRIPT: run python with an xtcp listener helper in the test netns.
py() {
	in_ns python3 -c "
import socket, struct, time, errno
P = $XTCP_PROTO
def pair(port):
    l = socket.socket(2, 1, P); l.bind(('127.0.0.1', port)); l.listen(4)
    c = socket.socket(2, 1, P); c.connect(('127.0.0.1', port))
    s, _ = l.accept()
    return l, c, s
$1"
}

tap_plan 19
check "defaults: 6 5 60 60 262144 1 2" test \
	"$(get syn_retries) $(get synack_retries) $(get fin_timeout) $(get tw_timeout) $(get max_tw_buckets) $(get syncookies) $(get tw_reuse)" = \
	"6 5 60 60 262144 1 2"
check "defaults: rto_min_ms 200, rto_max_ms 120000, sack 1, keepalive 7200 75 9, tlp 0, min_snd_mss 48" test \
	"$(get rto_min_ms) $(get rto_max_ms) $(get sack) $(get keepalive_time) $(get keepalive_intvl) $(get keepalive_probes) $(get tlp) $(get min_snd_mss)" = \
	"200 120000 1 7200 75 9 0 48"
# mem, rmem, wmem and max_orphans are global, as SCTP's sctp_mem: they
# exist in the initial netns only.
# (This file itself runs in a netns: PID 1's is the initial one.)
global_ok() {
	local f a b c
	[ "$(get orphan_retries)" = 0 ] || { echo "orphan_retries $(get orphan_retries)"; return 1; }
	[ "$(get mtu_probing) $(get base_mss) $(get reflect_tos) $(get moderate_rcvbuf)" = "0 1024 0 1" ] ||
		{ echo "mtu_probing $(get mtu_probing) base_mss $(get base_mss) reflect_tos $(get reflect_tos) moderate_rcvbuf $(get moderate_rcvbuf)"; return 1; }
	for f in mem rmem wmem max_orphans; do
		nsenter -t 1 -n test -e /proc/sys/net/xtcp/$f || { echo "no $f"; return 1; }
		! in_ns test -e /proc/sys/net/xtcp/$f || { echo "$f in a netns"; return 1; }
	done
	read -r a b c < <(nsenter -t 1 -n cat /proc/sys/net/xtcp/mem)
	[ "$a" -gt 0 ] && [ "$b" -gt "$a" ] && [ "$c" -gt "$b" ] || { echo "mem $a $b $c"; return 1; }
	read -r a b c < <(nsenter -t 1 -n cat /proc/sys/net/xtcp/rmem)
	[ "$b" = 212992 ] || { echo "rmem $a $b $c"; return 1; }
}
check "defaults: orphan_retries 0, mtu_probing 0, base_mss 1024, reflect_tos 0, moderate_rcvbuf 1; mem (ascending), rmem, wmem, max_orphans in the initial netns only" global_ok

range_ok() {
	local name bad before
	for spec in syn_retries:0 syn_retries:128 synack_retries:-1 \
		    synack_retries:256 fin_timeout:0 fin_timeout:3601 \
		    tw_timeout:0 tw_timeout:3601 max_tw_buckets:-1 \
		    syncookies:3 syncookies:-1 tw_reuse:3 syn_retries:abc \
		    rto_min_ms:0 rto_min_ms:120001 rto_max_ms:999 \
		    rto_max_ms:120001 sack:2 sack:-1 keepalive_time:0 \
		    keepalive_time:32768 keepalive_intvl:0 \
		    keepalive_probes:0 keepalive_probes:128 tlp:2 tlp:-1 \
		    min_snd_mss:47 min_snd_mss:65536 orphan_retries:-1 \
		    orphan_retries:256 mtu_probing:2 mtu_probing:-1 \
		    base_mss:47 base_mss:65536 reflect_tos:2 reflect_tos:-1 moderate_rcvbuf:2; do
		name=${spec%%:*} bad=${spec#*:}
		before=$(get "$name")
		if set_ "$name" "$bad"; then echo "$name=$bad accepted"; return 1; fi
		[ "$(get "$name")" = "$before" ] || { echo "$name changed"; return 1; }
	done
	set_ syn_retries 127 && set_ syn_retries 6
}
check "out-of-range values rejected, nothing changes" range_ok

set_ tw_timeout 7
check "values are per netns" test "$(get tw_timeout) $(ip netns exec $NS2 cat /proc/sys/net/xtcp/tw_timeout)" = "7 60"

set_ tw_timeout 1
py "
l, c, s = pair(7000)
c.close(); s.recv(1); s.close()          # client is the active closer
" 
check "TIME_WAIT minisock created" test "$(stat_ XtcpTimeWaitCreated)" = 1
# Its 1 s timer, polled for up to 30 s.
stat_ge() { [ "$(stat_ "$1")" -ge "$2" ]; }
await 30 stat_ge XtcpTimeWaitKilled 1
check "tw_timeout=1: minisock gone after 1 s" test "$(stat_ XtcpTimeWaitKilled)" = 1

set_ max_tw_buckets 0
py "
l, c, s = pair(7001)
c.close(); s.recv(1); s.close()
"
check "max_tw_buckets=0: no minisock, overflow counted" test \
	"$(stat_ XtcpTimeWaitCreated) $(stat_ XtcpTimeWaitOverflow)" = "1 1"
set_ max_tw_buckets 262144

set_ syn_retries 1
before=$(stat_ XtcpRetransSegs)
in_ns tc qdisc add dev lo root netem loss 100%
out=$(py "
c = socket.socket(2, 1, P)
try:
    c.connect(('127.0.0.1', 7002)); print('connected')
except OSError as e:
    print(errno.errorcode[e.errno])
")
in_ns tc qdisc del dev lo root
check "syn_retries=1: connect fails with ETIMEDOUT" test "$out" = ETIMEDOUT
check "syn_retries=1: exactly one SYN retransmitted" \
	test "$(($(stat_ XtcpRetransSegs) - before))" = 1

set_ fin_timeout 1
before=$(stat_ XtcpTimeWaitKilled)
rsts=$(stat_ XtcpOutRsts)
py "
from xtcp_peerlib import await_counter
l, c, s = pair(7003)
c.close()                 # orphan; the server never closes
await_counter('XtcpTimeWaitKilled', $before + 1)   # its 1 s FIN_WAIT2 timer
s.close()
"
check "fin_timeout=1: orphaned FIN_WAIT2 minisock expires" \
	test "$(($(stat_ XtcpTimeWaitKilled) - before))" = 1
check "after it, the peer's late FIN is answered with RST" \
	test "$(($(stat_ XtcpOutRsts) - rsts))" = 1
# TCP_INFO (level 6, optname 11): tcpi_rto (us) at offset 8, tcpi_options at 5.
info='
def info(sk):
    b = sk.getsockopt(6, 11, 104)
    return {"options": b[5], "rto": struct.unpack_from("I", b, 8)[0]}'
set_ rto_min_ms 1500
out=$(py "$info
l, c, s = pair(7004)
c.sendall(b'x' * 1000); s.recv(1000)
print(info(c)['rto'] >= 1500000)")
set_ rto_min_ms 200
check "rto_min_ms=1500: a connection's RTO is at least 1.5 s" test "$out" = True
set_ sack 0
out=$(py "$info
l, c, s = pair(7005)
print(info(c)['options'] & 2, info(s)['options'] & 2)")
set_ sack 1
check "sack=0: neither side negotiates SACK (TCPI_OPT_SACK clear)" test "$out" = "0 0"
set_ keepalive_time 100
set_ keepalive_probes 3
out=$(py "
c = socket.socket(2, 1, P)
print(c.getsockopt(6, 4), c.getsockopt(6, 6))")
check "keepalive_time/probes: TCP_KEEPIDLE and TCP_KEEPCNT defaults follow" \
	test "$out" = "100 3"

# Congestion control: the registry and the namespace's default, as
# net.ipv4.tcp_congestion_control and tcp_available_congestion_control.
check "congestion_control: cubic by default; available_congestion_control: reno cubic" \
	test "$(get congestion_control) / $(get available_congestion_control)" = "cubic / reno cubic"
cc='
def cc(sk):
    return sk.getsockopt(6, 13, 16).split(b"\0")[0].decode()'
ca_default() {
	local out
	set_ congestion_control reno || { echo "reno refused"; return 1; }
	out=$(py "$cc
print(cc(socket.socket(2, 1, P)))")
	[ "$out" = reno ] || { echo "a new socket has $out"; return 1; }
	if set_ congestion_control nosuchcc; then echo "nosuchcc accepted"; return 1; fi
	[ "$(get congestion_control)" = reno ] || { echo "changed to $(get congestion_control)"; return 1; }
	[ "$(ip netns exec $NS2 cat /proc/sys/net/xtcp/congestion_control)" = cubic ] ||
		{ echo "not per netns"; return 1; }
	set_ congestion_control cubic
}
check "congestion_control=reno: new sockets take it; an unknown name is refused, per netns" ca_default
out=$(py "$cc
l = socket.socket(2, 1, P); l.setsockopt(6, 13, b'reno')
l.bind(('127.0.0.1', 7010)); l.listen(4)
c = socket.socket(2, 1, P); c.connect(('127.0.0.1', 7010))
s, _ = l.accept()
print(cc(l), cc(s), cc(c))")
check "a listener's TCP_CONGESTION is its children's; the client has the default" \
	test "$out" = "reno reno cubic"
check "net.xtcp exists in the initial netns too" test -d /proc/sys/net/xtcp
tap_done
