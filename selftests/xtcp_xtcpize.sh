#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/xtcpize run: unmodified programs over xtcp by LD_PRELOAD.
# Python's and a child's sockets, syscall(SYS_socket), the flags kept,
# other sockets untouched, --proto, `xtcpize check`, and socat copying
# a file over xtcp, checked by hash.  Needs the module loaded and
# build/tools/libxtcpize.so.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

XTCPIZE=../tools/xtcpize/xtcpize
export XTCPIZE_LIB=${XTCPIZE_LIB:-../build/tools/libxtcpize.so}
NS=xtcp-ize-$$
ip netns add $NS
TMP=$(mktemp -d)
trap 'ip netns del $NS; rm -rf "$TMP"' EXIT
ip -n $NS link set lo up
in_ns() { ip netns exec $NS "$@"; }

# What socket() gives under xtcpize: SO_PROTOCOL of each kind.
PROBE='
import ctypes, fcntl, os, socket
def proto(fam, typ, p=0):
    s = socket.socket(fam, typ, p)
    r = s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL)
    s.close()
    return r
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(41, 2, 1, 0)              # SYS_socket AF_INET SOCK_STREAM
sys_p = socket.socket(fileno=fd).getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL)
nb = socket.socket(2, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
flags = fcntl.fcntl(nb.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK != 0
print(proto(2, 1), proto(10, 1), proto(2, 1, 6), proto(2, 2), proto(10, 2),
      sys_p, int(flags))
'

tap_plan 8
got=$(in_ns $XTCPIZE run python3 -c "$PROBE" 2>&1)
check "python: AF_INET, AF_INET6 and IPPROTO_TCP streams are $XTCP_PROTO, UDP 17, syscall(SYS_socket) $XTCP_PROTO, SOCK_NONBLOCK kept ($got)" \
	test "$got" = "$XTCP_PROTO $XTCP_PROTO $XTCP_PROTO 17 17 $XTCP_PROTO 1"
base=$(in_ns python3 -c "$PROBE" 2>&1)
check "without xtcpize the same calls give TCP ($base)" test "$base" = "6 6 6 17 17 6 1"
got=$(in_ns $XTCPIZE run bash -c "python3 -c '$PROBE'" 2>&1)
check "a child of the program inherits it ($got)" \
	test "$got" = "$XTCP_PROTO $XTCP_PROTO $XTCP_PROTO 17 17 $XTCP_PROTO 1"
other=$((XTCP_PROTO == 253 ? 254 : 253))
got=$(in_ns $XTCPIZE run --proto $other python3 -c \
	'import socket
try:
    socket.socket(); print("made")
except OSError as e:
    print(e.errno)' 2>&1)
check "--proto $other, which the module does not serve: EPROTONOSUPPORT ($got)" \
	test "$got" = 93

# --exclude and --only-port: a TCP listener on 5301 (not xtcpized) is
# reached over TCP; a socket bound to 5302 stays xtcp's.
FILTER='
import socket, sys
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.connect(("127.0.0.1", 5301))
b = socket.socket()
b.bind(("127.0.0.1", 5302))
print(c.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL),
      c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
      b.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
'
in_ns python3 -c '
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 5301)); l.listen(8); l.settimeout(60)
for _ in range(2):              # the two runs below
    l.accept()[0].close()' &
lsn=$!
await 30 sh -c "ip netns exec $NS grep -q ':14B5 ' /proc/net/tcp" || true
got=$(in_ns $XTCPIZE run --exclude 53,5301 python3 -c "$FILTER" 2>&1)
check "--exclude 53,5301: the connection to 5301 is TCP's, SO_KEEPALIVE kept; a bind to 5302 is xtcp's ($got)" \
	test "$got" = "6 1 $XTCP_PROTO"
got=$(in_ns $XTCPIZE run --only-port 5302 python3 -c "$FILTER" 2>&1)
check "--only-port 5302: the same ($got)" test "$got" = "6 1 $XTCP_PROTO"
wait $lsn

# socat: a server and a client, both xtcpized, copy 4 MiB.
head -c $((4 << 20)) /dev/urandom >"$TMP/in"
in_ns $XTCPIZE run socat -u TCP-LISTEN:5300,bind=127.0.0.1,reuseaddr \
	OPEN:"$TMP/out",creat,trunc &
srv=$!
await 30 sh -c "ip netns exec $NS grep -q ':14B4 ' /proc/net/xtcp" ||
	echo "# no xtcp listener on 5300"
pid=$(pgrep -f 'socat -u TCP-LISTEN:5300' | head -1)
check "xtcpize check: the socat server's listener is an xtcp socket" \
	sh -c "$XTCPIZE check ${pid:-none} | tee /dev/stderr | grep -q '^1 xtcp'"
in_ns $XTCPIZE run socat -u OPEN:"$TMP/in" TCP:127.0.0.1:5300
wait $srv
check "socat over xtcp copies 4 MiB byte-exact" \
	cmp -s "$TMP/in" "$TMP/out"
tap_done
