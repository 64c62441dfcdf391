#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of "make demo": narrate xtcp's life in a test guest.
#   demo-guest.sh path/to/xtcp.ko
set -euo pipefail
KO=$1
say() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "kernel $(uname -r); load xtcp"
run insmod "$KO"
dmesg | grep 'xtcp:' | tail -1
run cat /sys/module/xtcp/parameters/proto
grep -E '^(protocol|XTCP) ' /proc/net/protocols | cut -c1-40

say "two hosts: netns red (10.0.0.1) and blue (10.0.0.2) joined by a veth pair"
for ns in red blue; do
	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
done
ip link add veth-red netns red type veth peer name veth-blue netns blue
ip netns exec red ip addr add 10.0.0.1/24 dev veth-red
ip netns exec blue ip addr add 10.0.0.2/24 dev veth-blue
ip netns exec red ip link set veth-red up
ip netns exec blue ip link set veth-blue up

say "trace every xtcp state change (tracepoint xtcp:xtcp_state)"
T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs none $T
echo 1 >$T/events/xtcp/xtcp_state/enable
: >$T/trace
cat $T/trace_pipe | sed -u -n 's/.*xtcp_state: sk=[^ ]* \(.*\)/  [state] \1/p' &
tracer=$!

say "server in blue: listen on 10.0.0.2:7000; client in red: connect, talk, close"
ip netns exec blue python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.0.0.2", 7000)); s.listen(4)
c, peer = s.accept()
print("  [blue] accepted", peer)
msg = c.recv(100)
print("  [blue] got", msg)
c.sendall(b"hello from blue")
print("  [blue] recv after peer FIN:", c.recv(100))
c.close(); s.close()
' &
server=$!
sleep 1
ip netns exec red python3 -c '
import socket, time
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
c.connect(("10.0.0.2", 7000))
print("  [red] connected from", c.getsockname())
c.sendall(b"hello from red")
print("  [red] got", c.recv(100))
c.shutdown(socket.SHUT_WR)
time.sleep(0.5)
print("  [red] recv after peer FIN:", c.recv(100))
c.close()
'
wait $server
sleep 1
kill $tracer 2>/dev/null
echo 0 >$T/events/xtcp/xtcp_state/enable
printf '[red]  '; ip netns exec red cat /proc/net/xtcp_stat | grep -E 'Opens|Segs|TimeWait' | tr '\n' ' '; echo
printf '[blue] '; ip netns exec blue cat /proc/net/xtcp_stat | grep -E 'Opens|Segs|TimeWait' | tr '\n' ' '; echo
echo "  red closed first, so red keeps the connection's 4-tuple in a time-wait minisock for 60 s"

say "crafted segments on protocol 253 in netns red"
ip netns exec red python3 -c '
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
hdr = struct.pack("!HHIIBBHHH", 40000, 80, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
pseudo = socket.inet_aton("127.0.0.1") * 2 + struct.pack("!BBH", 0, 253, len(hdr))
seg = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
r.sendto(seg, ("127.0.0.1", 0))
r.sendto(seg[:16] + b"\0\0" + seg[18:], ("127.0.0.1", 0))
print("sent one SYN to a closed port (answered by RST) and one with a zeroed checksum")
'
sleep 0.2
printf '[red]  '; ip netns exec red cat /proc/net/xtcp_stat | grep -E 'InSegs|Csum|NoSocket|OutRsts' | tr '\n' ' '; echo

say "the picture: Figure 61-4 with the transitions both hosts took"
for ns in red blue; do
	echo "  [$ns] /proc/net/xtcp_transitions:"
	ip netns exec $ns cat /proc/net/xtcp_transitions | sed 's/^/    /'
	ip netns exec $ns cat /proc/net/xtcp_transitions >/tmp/xtcp-$ns.tr
done
out=/mnt/share/out
[ -d $out ] || out=/tmp
tools/xtcp-fig -i /tmp/xtcp-red.tr -i /tmp/xtcp-blue.tr -o $out/xtcp-states.svg &&
	echo "  wrote xtcp-states.svg"

say "unload"
ip netns del red
ip netns del blue
run rmmod xtcp
grep -q '^XTCP ' /proc/net/protocols && echo "XTCP still registered!" || echo "XTCP unregistered"
python3 -c '
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
except OSError as e:
    print("socket(..., 253) now:", e.strerror)
'
