#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Observability seen from outside: each xtcp tracepoint fires with the
# right fields for a driven scenario (tracefs); the transition matrix
# counts a scripted lifecycle exactly; tools/xtcp-fig draws a valid SVG
# of that real run; module functions are ftrace-able; tools/xss lists a
# connection; the shipped bpftrace tools print the expected lines.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
debug_kernel && [ "${XTCP_HEAVY:-}" != 1 ] &&
	ksft_skip "on the debug kernel: runs on stock 6.1 (XTCP_HEAVY=1 runs it here)"
# Enabling tracepoints rewrites kernel text; under multi-threaded TCG a
# 6.12 guest oopsed on a stale int3 in __schedule three times on
# 2026-12-04 during this test, never in xtcp.  It runs on 6.1 there.
case $(uname -r) in 6.12.*)
	[ "${XTCP_HEAVY:-}" != 1 ] &&
		ksft_skip "on 6.12: text patching under TCG oopses; runs on stock 6.1 (XTCP_HEAVY=1 runs it here)" ;;
esac
xtcp_isolate "$@"
TOOLS=$XTCP_SRC/tools

T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs none $T 2>/dev/null
E=$T/events/xtcp
[ -d $E ] || { tap_plan 1; echo "ok 1 trace # SKIP no xtcp events"; exit 0; }
NS=xtcp-tr-$$
NS2=xtcp-tr2-$$
for n in $NS $NS2; do
	ip netns add $n
	ip -n $n link set lo up
done
# 10.1.1.2 sits behind a dummy device: it never answers.
ip -n $NS link add d0 type dummy
ip -n $NS addr add 10.1.1.1/24 dev d0
ip -n $NS link set d0 up
cleanup() {
	echo 0 >$E/enable
	echo nop >$T/current_tracer 2>/dev/null
	: >$T/set_ftrace_filter 2>/dev/null
	ip netns del $NS
	ip netns del $NS2
}
trap cleanup EXIT
in_ns() { ip netns exec $NS "$@"; }
sysctl_() { ip netns exec "$1" sh -c "echo $3 > /proc/sys/net/xtcp/$2"; }
PYLIB="
import socket, struct, time, errno, os
from xtcp_peerlib import counter, await_counter
P = $XTCP_PROTO
def sock():
    s = socket.socket(2, 1, P)
    s.setsockopt(1, 2, 1)
    return s
def pair(port, backlog=8):
    l = sock(); l.bind(('127.0.0.1', port)); l.listen(backlog)
    c = sock(); c.connect(('127.0.0.1', port))
    s, _ = l.accept()
    return l, c, s
def silent_syn(port):
    \"\"\"connect() to 10.1.1.2, which never answers: the SYN is resent.\"\"\"
    n = counter('XtcpRetransSegs')
    c = sock(); c.setblocking(False)
    try:
        c.connect(('10.1.1.2', port))
    except BlockingIOError:
        pass
    await_counter('XtcpRetransSegs', n + 1)
    c.close()
"
py() { in_ns python3 -c "$PYLIB$1"; }
# traced "EVENTS" SCRIPT: the trace lines of EVENTS while SCRIPT runs in $NS.
traced() {
	local ev
	: >$T/trace
	for ev in $1; do echo 1 >$E/$ev/enable; done
	py "$2" >/dev/null || echo "scenario failed"
	sleep 0.3
	for ev in $1; do echo 0 >$E/$ev/enable; done
	grep -v '^#' $T/trace
}
has() {
	local name=$1 pat=$2
	if grep -qE -- "$pat" <<<"$out"; then ok "$name"; else
		not_ok "$name"
		echo "#   no line matching: $pat"
		grep -v '^$' <<<"$out" | head -20 | sed 's/^/#   /'
	fi
}

tap_plan 32
sysctl_ $NS tw_timeout 1

out=$(traced "xtcp_state xtcp_probe xtcp_tw" "
k = counter('XtcpTimeWaitKilled')
l, c, s = pair(7200)
c.sendall(b'x' * 3000)
n = 0
while n < 3000:
    n += len(s.recv(4096))
c.close()
s.recv(1)
s.close()
l.close()
await_counter('XtcpTimeWaitKilled', k + 1)
")
has "xtcp_state: listener CLOSE -> LISTEN" \
	'xtcp_state: sk=[^ ]+ 127\.0\.0\.1:7200 -> 0\.0\.0\.0:0 CLOSE -> LISTEN'
has "xtcp_state: client CLOSE -> SYN_SENT -> ESTABLISHED" \
	'127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:7200 SYN_SENT -> ESTABLISHED'
has "xtcp_state: request minisock LISTEN -> SYN_RECV" \
	'127\.0\.0\.1:7200 -> 127\.0\.0\.1:[0-9]+ LISTEN -> SYN_RECV'
has "xtcp_state: server ESTABLISHED -> CLOSE_WAIT with rx=3000" \
	'127\.0\.0\.1:7200 -> 127\.0\.0\.1:[0-9]+ ESTABLISHED -> CLOSE_WAIT tx=0 rx=3000'
has "xtcp_state: time-wait minisock FIN_WAIT2 -> TIME_WAIT -> CLOSE" \
	'-> 127\.0\.0\.1:7200 TIME_WAIT -> CLOSE tx=0 rx=0'
has "xtcp_probe: ESTABLISHED with cwnd and srtt" \
	'xtcp_probe: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:7200 state=ESTABLISHED len=[0-9]+ snd_nxt=[0-9]+ snd_una=[0-9]+ rcv_nxt=[0-9]+ cwnd=1[0-9] ssthresh=2147483647 srtt=[1-9]'
has "xtcp_tw: created for the orphan (FIN_WAIT2 substate)" \
	'xtcp_tw: tw=[^ ]+ 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:7200 substate=FIN_WAIT2 created'
has "xtcp_tw: killed by its timer" \
	'-> 127\.0\.0\.1:7200 substate=TIME_WAIT killed'

out=$(traced "xtcp_send_reset xtcp_receive_reset" "
c = sock()
try:
    c.connect(('127.0.0.1', 7299))
except ConnectionRefusedError:
    pass
")
has "xtcp_send_reset: from the closed port, no socket" \
	'xtcp_send_reset: 127\.0\.0\.1:7299 -> 127\.0\.0\.1:[0-9]+ state=NONE'
has "xtcp_receive_reset: at the client in SYN_SENT" \
	'xtcp_receive_reset: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:7299 state=SYN_SENT'

# IPv6, and an IPv4 client of an AF_INET6 listener on :: (v4-mapped,
# IPv4 on the wire): addresses as the family on the wire has them.
out=$(traced "xtcp_state xtcp_send_reset" "
def sock6():
    s = socket.socket(10, 1, P)
    s.setsockopt(1, 2, 1)
    return s
l = sock6(); l.bind(('::1', 7210)); l.listen(8)
c = sock6(); c.connect(('::1', 7210))
s, _ = l.accept()
m = sock6(); m.bind(('::', 7211)); m.listen(8)
c4 = sock(); c4.connect(('127.0.0.1', 7211))
s4, _ = m.accept()
r = sock6()
try:
    r.connect(('::1', 7298))
except ConnectionRefusedError:
    pass
")
has "xtcp_state (IPv6): listener CLOSE -> LISTEN" \
	'xtcp_state: sk=[^ ]+ \[::1\]:7210 -> \[::\]:0 CLOSE -> LISTEN'
has "xtcp_state (IPv6): client SYN_SENT -> ESTABLISHED" \
	'\[::1\]:[0-9]+ -> \[::1\]:7210 SYN_SENT -> ESTABLISHED'
has "xtcp_state (v4-mapped): the request of an IPv4 client of [::]:7211 is IPv4" \
	'127\.0\.0\.1:7211 -> 127\.0\.0\.1:[0-9]+ LISTEN -> SYN_RECV'
has "xtcp_send_reset (IPv6): from the closed port, no socket" \
	'xtcp_send_reset: \[::1\]:7298 -> \[::1\]:[0-9]+ state=NONE'

out=$(traced "xtcp_retransmit" "
silent_syn(80)
")
has "xtcp_retransmit: SYN to a silent host, reason=syn" \
	'xtcp_retransmit: sk=[^ ]+ 10\.1\.1\.1:[0-9]+ -> 10\.1\.1\.2:80 state=SYN_SENT seq=[0-9]+ end_seq=[0-9]+ reason=syn'

# A SYN from 10.1.1.2 (behind the dummy device): the SYN-ACK goes
# nowhere, so the request resends it after 1 s.
out=$(traced "xtcp_retransmit_synack" "
from xtcp_peerlib import Peer
l = sock(); l.bind(('10.1.1.1', 7204)); l.listen(8)
n = counter('XtcpRetransSegs')
Peer(40000, 7204).send(0x02, 1000)
await_counter('XtcpRetransSegs', n + 1)
")
has "xtcp_retransmit_synack: a request's SYN-ACK resent" \
	'xtcp_retransmit_synack: req=[^ ]+ 10\.1\.1\.1:7204 -> 10\.1\.1\.2:40000 iss=[0-9]+ retries=1'

out=$(traced "xtcp_retransmit" "
l, c, s = pair(7201)
os.system('tc qdisc add dev lo root netem loss 100%')
c.send(b'y' * 100)
time.sleep(1.0)
os.system('tc qdisc del dev lo root')
assert s.recv(100) == b'y' * 100
")
has "xtcp_retransmit: data lost on the wire, reason=timeout" \
	'127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:7201 state=ESTABLISHED seq=[0-9]+ end_seq=[0-9]+ reason=timeout'

sysctl_ $NS syncookies 0
out=$(traced "xtcp_listen_drop" "
l = sock(); l.bind(('127.0.0.1', 7202)); l.listen(1)
cs = []
for i in range(5):
    c = sock(); c.setblocking(False)
    try:
        c.connect(('127.0.0.1', 7202))
    except BlockingIOError:
        pass
    cs.append(c)
    time.sleep(0.1)
")
has "xtcp_listen_drop: accept queue full" \
	'xtcp_listen_drop: 127\.0\.0\.1:7202 -> 127\.0\.0\.1:[0-9]+ reason=accept_queue_full'

sysctl_ $NS syncookies 2
out=$(traced "xtcp_syncookie" "
l, c, s = pair(7203)
")
has "xtcp_syncookie: sent" \
	'xtcp_syncookie: 127\.0\.0\.1:7203 -> 127\.0\.0\.1:[0-9]+ cookie=[0-9a-f]{8} sent'
has "xtcp_syncookie: validated" \
	'xtcp_syncookie: 127\.0\.0\.1:7203 -> 127\.0\.0\.1:[0-9]+ cookie=[0-9a-f]{8} valid'
sysctl_ $NS syncookies 1

# The transition matrix of one scripted lifecycle, in a fresh netns.
sysctl_ $NS2 tw_timeout 1
ip netns exec $NS2 python3 -c "$PYLIB
l, c, s = pair(7300)
c.sendall(b'ping'); s.recv(4)
c.close(); s.recv(1); s.close(); l.close()
await_counter('XtcpTimeWaitKilled', 1)
"
want="CLOSED LISTEN 1
CLOSED SYN_SENT 1
CLOSE_WAIT LAST_ACK 1
ESTABLISHED CLOSE_WAIT 1
ESTABLISHED FIN_WAIT1 1
FIN_WAIT1 FIN_WAIT2 1
FIN_WAIT2 TIME_WAIT 1
LAST_ACK CLOSED 1
LISTEN CLOSED 1
LISTEN SYN_RECV 1
SYN_RECV ESTABLISHED 1
SYN_SENT ESTABLISHED 1
TIME_WAIT CLOSED 1"
got=$(ip netns exec $NS2 cat /proc/net/xtcp_transitions | sort)
if [ "$got" = "$want" ]; then ok "transition matrix: exactly one lifecycle's edges"; else
	not_ok "transition matrix: exactly one lifecycle's edges"
	diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
fi

svg=$(mktemp --suffix=.svg)
ip netns exec $NS2 "$TOOLS/xtcp-fig" -o "$svg"
check "xtcp-fig: a valid SVG of that run, edges labelled with counts" python3 -c "
import sys, xml.dom.minidom as m
d = m.parse('$svg')
text = ' '.join(t.firstChild.data for t in d.getElementsByTagName('text') if t.firstChild)
assert 'TIME_WAIT' in text and 'LAST_ACK' in text, text
assert text.count('1') >= 13, text
"
rm -f "$svg"

# ftrace: module functions can be traced, their call sites are known
# to ftrace.  Turning the function tracer on and off rewrites kernel
# text; under multi-threaded TCG that twice hung or oopsed a guest
# (a vCPU stuck in the patching, RCU stalls), so it is not done here:
# XTCP_FTRACE=1 runs it.
if ! grep -q function $T/available_tracers; then
	ok "function tracer # SKIP not in this kernel"
elif [ "${XTCP_FTRACE:-}" = 1 ]; then
	echo xtcp_v4_rcv >$T/set_ftrace_filter
	echo function >$T/current_tracer
	: >$T/trace
	ip netns exec $NS2 python3 -c "$PYLIB
l, c, s = pair(7301)
"
	# Read before switching back: a tracer change empties the buffer.
	echo 0 >$T/tracing_on
	check "function tracer: xtcp_v4_rcv is traced" grep -q 'xtcp_v4_rcv' $T/trace
	echo nop >$T/current_tracer
	echo 1 >$T/tracing_on
	: >$T/set_ftrace_filter
else
	check "function tracer: xtcp_v4_rcv can be traced (available_filter_functions)" \
		grep -q '^xtcp_v4_rcv \[xtcp\]' $T/available_filter_functions
fi

out=$(py "
l, c, s = pair(7204)
l6 = socket.socket(10, 1, P); l6.bind(('::1', 7215)); l6.listen(1)
c6 = socket.socket(10, 1, P); c6.connect(('::1', 7215))
s6, _ = l6.accept()
os.system('$TOOLS/xss; $TOOLS/xss -l; $TOOLS/xss -a -e; $TOOLS/xss -s')
")
has "xss: the connection, both ends" 'ESTAB +0 +0 +127\.0\.0\.1:7204 +127\.0\.0\.1:[0-9]+'
has "xss: an IPv6 connection, from /proc/net/xtcp6" 'ESTAB +0 +0 +\[::1\]:7215 +\[::1\]:[0-9]+'
has "xss -l / -e: the listener; cwnd and rto of connections" 'rto:[0-9]+ cwnd:1[0-9] ssthresh:inf'

# tshark decodes xtcp as TCP (-d ip.proto==253,tcp), from a capture of lo.
pcap=$(mktemp --suffix=.pcap)
# The capture socket queues every frame from its bind() on, so it is
# read after the exchange: nothing depends on how long the exchange took.
py "
cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
cap.bind(('lo', 0))
l, c, s = pair(7207)
c.sendall(b'hello')
s.recv(5)
cap.settimeout(0.5)
frames = []
while True:
    try:
        frames.append(cap.recv(65535))
    except socket.timeout:
        break
with open('$pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for fr in frames:
        if len(fr) > 23 and fr[23] == P:
            f.write(struct.pack('<IIII', 0, 0, len(fr), len(fr)) + fr)
"
if command -v tshark >/dev/null; then
	out=$(tshark -r "$pcap" -d ip.proto==$XTCP_PROTO,tcp -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' \
		-T fields -e tcp.dstport -e tcp.options.mss_val -e tcp.options.sack_perm \
		-e tcp.options.wscale.shift -e tcp.options.timestamp.tsecr 2>&1)
	has "tshark: the SYN decodes as TCP with MSS, SACK-permitted, window scale, timestamps" \
		'^7207	[0-9]+	[^	]+	[0-9]+	0$'
	out=$(tshark -r "$pcap" -d ip.proto==$XTCP_PROTO,tcp -Y tcp.payload \
		-T fields -e tcp.dstport -e tcp.len -e tcp.payload 2>&1)
	has "tshark: the data segment's payload" '^7207	5	68:?65:?6c:?6c:?6f$'
else
	for i in 1 2; do ok "tshark # SKIP not installed"; done
fi
rm -f "$pcap"

# bpftrace: each shipped script, driven by a scenario in $NS, once the
# script has printed its header (it is attached then).  Attaching takes
# ~5 s under TCG and has taken over 30 s on a busy debug guest, so the
# wait is not a guess that a slow guest can exceed: up to 300 s, and if
# the header never comes the log says so instead of a missing line.
bt() {
	local script=$1 scenario=$2 want=$3 log
	log=$(mktemp)
	# SIGINT ends it after 400 s (300 to attach, 60 for the events),
	# SIGKILL 10 s later if it ignores that: nothing below waits longer.
	timeout -s INT -k 10 400 bpftrace "$TOOLS/$script" >"$log" 2>&1 &
	local pid=$! end=$((SECONDS + 300))
	while [ $SECONDS -lt $end ]; do
		grep -q 'TIME(ms)\|PID' "$log" && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.25
	done
	grep -q 'TIME(ms)\|PID' "$log" ||
		echo "# $script did not attach within 300 s" >>"$log"
	py "$scenario" >/dev/null
	# Events reach the log a little later: wait for the line (60 s).
	end=$((SECONDS + 60))
	while [ $SECONDS -lt $end ]; do
		grep -qE -- "$want" "$log" && break
		sleep 0.25
	done
	kill -INT $pid 2>/dev/null
	wait $pid
	cat "$log"
	rm -f "$log"
}
if debug_kernel; then
	# Attaching takes 30 s and more under KASAN, three times; the
	# tracepoints themselves are checked above on this kernel too.
	for i in 1 2 3 4; do ok "bpftrace # SKIP on the debug kernel: checked on 6.1 and 6.12"; done
elif command -v bpftrace >/dev/null; then
	want='127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:7205 +SYN_SENT +-> ESTABLISHED +[0-9]+'
	want6=' ::1:7216 +::1:[0-9]+ +SYN_RECV +-> ESTABLISHED'
	out=$(bt xtcpstates.bt "
l, c, s = pair(7205)
c.close(); s.close()
l6 = socket.socket(10, 1, P); l6.bind(('::1', 7216)); l6.listen(1)
c6 = socket.socket(10, 1, P); c6.connect(('::1', 7216))
s6, _ = l6.accept()
c6.close(); s6.close()
" "$want6")
	has "xtcpstates.bt: transitions with addresses and time in state" "$want"
	has "xtcpstates.bt: IPv6 addresses" "$want6"
	want='127\.0\.0\.1:7206 +127\.0\.0\.1:[0-9]+ +4 +0 +[0-9]+'
	out=$(bt xtcplife.bt "
k = counter('XtcpTimeWaitKilled')
l, c, s = pair(7206)
s.sendall(b'z' * 5000)
n = 0
while n < 5000:
    n += len(c.recv(8192))
c.close(); s.recv(1); s.close()
await_counter('XtcpTimeWaitKilled', k + 1)
" "$want")
	has "xtcplife.bt: the connection's lifespan and octets" "$want"
	want='10\.1\.1\.1:[0-9]+ +10\.1\.1\.2:81 +SYN_SENT .* syn'
	out=$(bt xtcpretrans.bt "
silent_syn(81)
" "$want")
	has "xtcpretrans.bt: the SYN retransmission" "$want"
else
	for i in 1 2 3 4; do ok "bpftrace # SKIP not installed"; done
fi
tap_done
