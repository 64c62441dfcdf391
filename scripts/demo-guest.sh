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

say "socket(AF_INET, SOCK_STREAM, 253) in two network namespaces"
for ns in red blue; do
	ip netns add "$ns"
	ip netns exec "$ns" ip link set lo up
	printf '[%s] ' "$ns"
	ip netns exec "$ns" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
print("fd", s.fileno(), "SO_PROTOCOL", s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL),
      "name", s.getsockname(), end="; ")
print("sockets in this netns:", [l.split()[2] for l in open("/proc/net/protocols") if l.startswith("XTCP ")][0])
try:
    s.connect(("127.0.0.1", 80))
except OSError as e:
    print("     connect():", e.strerror, "(the handshake is the next step of the project)")
'
done

say "a crafted segment on protocol 253 in netns red, and its counters"
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
print("sent one valid SYN and one with a zeroed checksum")
'
sleep 0.2
printf '[red]  '; ip netns exec red cat /proc/net/xtcp_stat | tr '\n' ' '; echo
printf '[blue] '; ip netns exec blue cat /proc/net/xtcp_stat | tr '\n' ' '; echo

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
