#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In a guest booted with ipv6.disable=1: the module loads, serves IPv4
# only, refuses AF_INET6 as in-tree TCP does, and unloads.  TAP.
#   xtcp_noipv6.sh KO_DIR
KO=$(cd "$1" && pwd)/xtcp.ko || exit 1
cd "$(dirname "$0")" || exit 1
. ./lib.sh

tap_plan 8
check "booted with ipv6.disable=1" grep -qw ipv6.disable=1 /proc/cmdline
echo "xtcp-noipv6: start" >/dev/kmsg
check "insmod xtcp.ko with IPv6 disabled" insmod "$KO" proto="$XTCP_PROTO"
check "it says so: IPv4 only" sh -c "dmesg | grep -q 'registered as IP protocol $XTCP_PROTO, IPv4 only'"
check "/proc/net/xtcp, no /proc/net/xtcp6" sh -c '[ -e /proc/net/xtcp ] && [ ! -e /proc/net/xtcp6 ]'
check "socket(AF_INET6, SOCK_STREAM, $XTCP_PROTO) fails as TCP's does" python3 -c "
import socket, sys
def err(p):
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM, p).close()
        return 0
    except OSError as e:
        return e.errno
t, x = err(6), err($XTCP_PROTO)
print('# TCP errno %d, xtcp errno %d' % (t, x))
sys.exit(not (t and t == x))
"
check "an IPv4 connection over loopback carries data" python3 -c "
import socket
P = $XTCP_PROTO
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
l.bind(('127.0.0.1', 0)); l.listen(1)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
c.connect(l.getsockname())
s, _ = l.accept()
c.sendall(b'x' * 100000)
c.close()
n = 0
while True:
    b = s.recv(65536)
    if not b:
        break
    n += len(b)
assert n == 100000, n
"
xtcp_await_refs 0 150 2>/dev/null
check "rmmod xtcp" rmmod xtcp
check "no kernel warning" sh -c "! dmesg | sed -n '/xtcp-noipv6: start/,\$p' | grep -E -A12 'BUG:|WARNING:|Call Trace'"
tap_done
