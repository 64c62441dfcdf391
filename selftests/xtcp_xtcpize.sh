#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/xtcpize run: unmodified programs over xtcp by LD_PRELOAD.
# Python's and a child's sockets, syscall(SYS_socket), the flags kept,
# other sockets untouched, --proto, `xtcpize check`, and socat copying
# a file over xtcp, checked by hash.  Then the BPF mode where the kernel
# has its hook (else each check says it is skipped, and why): `run
# --bpf` for Python and for a static binary (busybox nc) sending a file
# to an xtcp listener; `enable`/`disable` for a cgroup and for a netns,
# with a process outside the scope untouched.  Needs the module loaded
# and build/tools (make -C tools/xtcpize).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
heavy_kernel || ksft_skip "heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"

XTCPIZE=$XTCP_SRC/tools/xtcpize/xtcpize
export XTCPIZE_LIB=${XTCPIZE_LIB:-$XTCP_SRC/build/tools/libxtcpize.so}
NS=xtcp-ize-$$
ip netns add $NS
TMP=$(mktemp -d)
trap 'ip netns del $NS; rm -rf "$TMP"' EXIT
ip -n $NS link set lo up
# nsenter, not ip netns exec: that mounts a sysfs of its own, without
# /sys/fs/cgroup and /sys/fs/bpf, which the BPF mode needs.
in_ns() { nsenter --net=/run/netns/$NS "$@"; }

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

tap_plan 14
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

# The BPF mode (fmod_ret on update_socket_protocol, Linux 6.6+).
BPF_CHECKS=6
if ! why=$($XTCP_SRC/build/tools/xtcpize-bpf probe 2>&1); then
	for _ in $(seq $BPF_CHECKS); do
		ok "xtcpize --bpf # SKIP ${why#xtcpize-bpf: }"
	done
	tap_done
	exit 0
fi
got=$(in_ns $XTCPIZE run --bpf python3 -c "$PROBE" 2>&1)
check "run --bpf: python's streams (also by syscall) are $XTCP_PROTO, UDP 17, the flags kept ($got)" \
	test "$got" = "$XTCP_PROTO $XTCP_PROTO $XTCP_PROTO 17 17 $XTCP_PROTO 1"
check "run --bpf leaves no cgroup and no program behind" sh -c \
	"! ls -d /sys/fs/cgroup/xtcpize-* 2>/dev/null && test \"\$(python3 -c 'import socket; print(socket.socket().getsockopt(1, 38))')\" = 6"

# A static binary: busybox nc sends 1 MiB to an xtcp listener (no TCP
# listener exists, so a TCP socket could not connect).
head -c $((1 << 20)) /dev/urandom >"$TMP/bin"
in_ns python3 -c '
import hashlib, socket, sys
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(sys.argv[1]))
l.bind(("127.0.0.1", 5303)); l.listen(1); l.settimeout(60)
c = l.accept()[0]; c.settimeout(60)
h = hashlib.sha256()
while True:
    d = c.recv(65536)
    if not d:
        break
    h.update(d)
print(h.hexdigest())' "$XTCP_PROTO" >"$TMP/bin.sum" &
srv=$!
await 30 sh -c "ip netns exec $NS grep -q ':14B7 ' /proc/net/xtcp" ||
	echo "# no xtcp listener on 5303"
in_ns $XTCPIZE run --bpf busybox nc -w 30 127.0.0.1 5303 <"$TMP/bin"
wait $srv
check "run --bpf: a static binary (busybox nc) sends 1 MiB over xtcp, sha256 equal" \
	test "$(cat "$TMP/bin.sum")" = "$(sha256sum <"$TMP/bin" | cut -d' ' -f1)"

# enable/disable for a cgroup: a shell in it gets xtcp, one outside TCP.
CG=/sys/fs/cgroup/xtcpize-test-$$
mkdir "$CG"
P1='import socket; print(socket.socket().getsockopt(1, 38))'
$XTCPIZE enable --cgroup "$CG" >/dev/null
inside=$(sh -c "echo \$\$ >$CG/cgroup.procs && exec python3 -c '$P1'")
outside=$(python3 -c "$P1")
$XTCPIZE disable --cgroup "$CG" >/dev/null
after=$(sh -c "echo \$\$ >$CG/cgroup.procs && exec python3 -c '$P1'")
rmdir "$CG"
check "enable --cgroup: inside $XTCP_PROTO, outside 6; after disable 6 ($inside $outside $after)" \
	test "$inside $outside $after" = "$XTCP_PROTO 6 6"

# ... and for a network namespace.
$XTCPIZE enable --netns /run/netns/$NS >/dev/null
inside=$(in_ns python3 -c "$P1")
outside=$(python3 -c "$P1")
st=$($XTCPIZE status | grep -c '^ns-')
$XTCPIZE disable --netns /run/netns/$NS >/dev/null
after=$(in_ns python3 -c "$P1")
check "enable --netns: inside $XTCP_PROTO, outside 6, listed by status; after disable 6 ($inside $outside $st $after)" \
	test "$inside $outside $st $after" = "$XTCP_PROTO 6 1 6"
got=$($XTCPIZE enable --cgroup /tmp 2>&1 || true)
check "enable --cgroup of a directory that is not a cgroup is refused ($got)" \
	sh -c "echo '$got' | grep -q 'not a cgroup v2 directory'"
tap_done
