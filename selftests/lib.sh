#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP helpers for xtcp's shell selftests.

XTCP_PROTO=${XTCP_PROTO:-253}

# Where things are.  XTCP_DIR: these scripts.  XTCP_SRC: the source tree
# (tools/, build/), which an installed copy names in its xtcp_src file.
# XTCP_BIN: the test programs (beside the scripts when installed).
# XTCP_KO: xtcp.ko built for the running kernel.
XTCP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -r "$XTCP_DIR/xtcp_src" ]; then
	XTCP_SRC=$(cat "$XTCP_DIR/xtcp_src")
else
	XTCP_SRC=$(cd "$XTCP_DIR/.." && pwd)
fi
[ -x "$XTCP_DIR/xtcp_xfer" ] && : "${XTCP_BIN:=$XTCP_DIR}"
: "${XTCP_BIN:=$XTCP_SRC/build/selftests}"
if [ -z "${XTCP_KO:-}" ]; then
	if grep -q ' kasan_report$' /proc/kallsyms 2>/dev/null; then
		XTCP_KO=$XTCP_SRC/build/debug/xtcp.ko
	else
		XTCP_KO=$XTCP_SRC/build/$(uname -r | cut -d. -f1,2)/xtcp.ko
	fi
fi
export XTCP_SRC XTCP_BIN XTCP_KO
TAP_N=0
TAP_FAILED=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N $*"; }
not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N $*"
}
# check NAME CMD...: one TAP line for CMD's exit status; its output as comments.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name"
	fi
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
}
tap_done() { [ "$TAP_FAILED" -eq 0 ]; exit; }

# A process holding one xtcp socket until killed; prints its pid once
# the socket exists, or fails.  Args: a command prefix (ip netns exec X).
xtcp_holder() {
	local fifo state fd pid
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	exec {fd}<>"$fifo"
	"$@" python3 -c "
import socket, time
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, $XTCP_PROTO)
    state = 'ready'
except OSError as e:
    state = 'failed:' + str(e.errno)
open('$fifo', 'w').write(state + '\\n')
if state == 'ready':
    time.sleep(3600)
" >/dev/null 2>&1 &
	pid=$!
	read -r -t 30 -u "$fd" state
	exec {fd}<&-
	rm -f "$fifo"
	if [ "$state" != ready ]; then
		kill "$pid" 2>/dev/null
		echo "xtcp_holder: ${state:-timeout}" >&2
		return 1
	fi
	echo "$pid"
}

# xtcp_socket_ok [PROTO]: can an xtcp socket be created here?
xtcp_socket_ok() {
	python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, ${1:-$XTCP_PROTO})
assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == ${1:-$XTCP_PROTO}
"
}

# Module references held now: each open xtcp socket, request or
# time-wait minisock pins the module.  0 when it is not loaded.
xtcp_refs() { cat /sys/module/xtcp/refcnt 2>/dev/null || echo 0; }

# await SECS CMD...: poll CMD every 0.1 s until it succeeds, for at most
# SECS seconds; the status of its last run.  For events the protocol's
# own timers bring in about a second, or a grace period in milliseconds.
await() {
	local secs=$1 i

	shift
	for i in $(seq $((secs * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# xtcp_await_refs [N [SECS]]: wait until the module holds at most N (0)
# references, 30 s at most.  A closed socket drops its module reference
# only after an RCU grace period (SOCK_RCU_FREE), so rmmod just after
# close() can find it still held.
xtcp_refs_le() { [ "$(xtcp_refs)" -le "$1" ]; }
xtcp_await_refs() {
	await "${2:-30}" xtcp_refs_le "${1:-0}" && return 0
	echo "xtcp_await_refs: $(xtcp_refs) references after ${2:-30} s" >&2
	return 1
}

# await_gone PID: wait (30 s at most) until PID, not our child, is gone.
pid_gone() { ! kill -0 "$1" 2>/dev/null; }
await_gone() { await 30 pid_gone "$1"; }

# ksft_skip REASON: skip this whole test, as kselftest's runner counts it.
ksft_skip() {
	echo "1..0 # SKIP $*"
	exit 4
}

# xtcp_isolate "$@": run this test in a network namespace of its own (lo
# up, default sysctls, no time-wait minisocks of other tests), entered
# with nsenter so that /sys and debugfs stay mounted, and deleted after
# it (which frees its time-wait minisocks).  Once it is done the module
# must hold no socket, so that what one test leaves cannot fail the
# next: its processes are gone by then, and an orphan (data or FIN still
# unacknowledged) gives up after 8 timeouts (XTCP_ORPHAN_RETRIES), about
# 0.2 s x (2^9 - 1) = 102 s from the lowest RTO: wait up to 150 s.
# Inside, XTCP_ISOLATED=1 (set here, and for a test already isolated).
# xtcp_util.h does the same for the C programs.
xtcp_isolate() {
	local self ns rc t0=$SECONDS

	[ -n "${XTCP_ISOLATED:-}" ] && return 0
	self=$XTCP_DIR/$(basename "$0")
	ns=xtcp-$(basename "$0" .sh)-$$
	if ! ip netns add "$ns" || ! ip -n "$ns" link set lo up; then
		ip netns del "$ns" 2>/dev/null
		echo "not ok 1 a network namespace of its own (root?)"
		exit 1
	fi
	XTCP_ISOLATED=1 nsenter --net="/run/netns/$ns" "$self" "$@"
	rc=$?
	ip netns del "$ns"
	echo "# $(basename "$0") took $((SECONDS - t0)) s"
	xtcp_settle || [ "$rc" -ne 0 ] || rc=1
	exit "$rc"
}
xtcp_settle() {
	local n

	n=$(xtcp_refs)
	[ "$n" -eq 0 ] && return 0
	echo "# $(basename "$0") left $n module references; waiting for them to close"
	xtcp_await_refs 0 150 2>/dev/null && return 0
	echo "# $(basename "$0") left an xtcp socket behind: $(xtcp_refs) module references after 150 s"
	return 1
}

# The debug kernel (KASAN): several times slower than the stock ones.
debug_kernel() { grep -q ' kasan_report$' /proc/kallsyms 2>/dev/null; }

# heavy_kernel: does this kernel run the heavy tier, the suites that
# take minutes and add nothing kernel-specific (bulk and path MTU
# transfers, the IPv6 data pass, the runner and applications, DKMS)?
# One kernel does, Debian's stock 6.12, to keep a cold run of all three
# kernels within CI's budget.  XTCP_HEAVY=1 (or 0) says otherwise.
heavy_kernel() {
	case ${XTCP_HEAVY:-} in 1) return 0 ;; 0) return 1 ;; esac
	case $(uname -r) in 6.12.*) ! debug_kernel ;; *) return 1 ;; esac
}

# v6_pass light|heavy: does this kernel run the IPv6 pass of a suite
# that also runs over IPv4?  Stock 6.12 runs all; the debug kernel the
# light ones (the raw-socket peer, states, ICMPv6: IPv6 code under the
# sanitizers), the heavy ones where heavy_kernel says; 6.1 none (its IPv6 is
# checked by xtcp_inet6, xtcp_dualstack, xtcp_lifecycle and the trace
# tests), to keep a run of every kernel within CI's budget.
v6_pass() {
	[ "$1" = heavy ] && { heavy_kernel; return; }
	case $(uname -r) in 6.1.*) return 1 ;; esac
	return 0
}

# The "sockets" column of /proc/net/protocols for XTCP in this netns.
xtcp_inuse() { awk '$1 == "XTCP" { print $3 }' /proc/net/protocols; }

# xtcp_stat NAME: one counter of /proc/net/xtcp_stat in this netns.
xtcp_stat() { awk -v n="$1" '$1 == n { print $2 }' /proc/net/xtcp_stat; }

# Send one 20-octet segment (checksum not computed) on xtcp's protocol.
xtcp_send_raw() {
	python3 -c "
import socket
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, $XTCP_PROTO)
r.sendto(bytes([0x9c, 0x40, 0, 80] + [0] * 8 + [0x50, 2] + [0] * 6), ('127.0.0.1', 0))
"
}

# veth_pair A B ADDR_A ADDR_B: new netns A and B, lo up, joined by veth
# va (ADDR_A/24) and vb (ADDR_B/24) with the default offloads, as a user
# has them (the benchmarks); the tests use veth_netns below.
veth_pair() {
	ip netns add "$1" && ip netns add "$2" &&
		ip -n "$1" link set lo up && ip -n "$2" link set lo up &&
		ip link add va netns "$1" type veth peer name vb netns "$2" &&
		ip -n "$1" addr add "$3/24" dev va &&
		ip -n "$2" addr add "$4/24" dev vb &&
		ip -n "$1" link set va up && ip -n "$2" link set vb up
}

# veth_netns A B: new netns A and B joined by veth va ($VETH_A,
# $VETH_A6) and vb ($VETH_B, $VETH_B6), lo up in both.  Checksums are computed and checked in
# software on both ends, so a packet netem corrupts is caught by the
# receiver (veth would otherwise mark it as verified), and each packet
# carries one segment, even TCP's (it uses software GSO anyway), so
# netem acts on single segments.  Needs ethtool.
VETH_A=10.253.0.1
VETH_B=10.253.0.2
VETH_A6=fd53::1
VETH_B6=fd53::2
veth_netns() {
	ip netns add "$1" && ip netns add "$2" &&
		ip link add va netns "$1" type veth peer name vb netns "$2" &&
		ip -n "$1" addr add $VETH_A/24 dev va &&
		ip -n "$2" addr add $VETH_B/24 dev vb &&
		ip -n "$1" addr add $VETH_A6/64 dev va nodad &&
		ip -n "$2" addr add $VETH_B6/64 dev vb nodad &&
		ip netns exec "$1" ethtool -K va rx off tx off tso off gso off gro off >/dev/null &&
		ip netns exec "$2" ethtool -K vb rx off tx off tso off gso off gro off >/dev/null &&
		ip -n "$1" link set va gso_max_segs 1 up &&
		ip -n "$2" link set vb gso_max_segs 1 up &&
		ip -n "$1" link set lo up && ip -n "$2" link set lo up
}

# netem_set A B [NETEM ARGS...]: the same netem qdisc on va and vb, or
# none without arguments.
netem_set() {
	local a=$1 b=$2
	shift 2
	tc -n "$a" qdisc del dev va root 2>/dev/null
	tc -n "$b" qdisc del dev vb root 2>/dev/null
	[ $# -eq 0 ] && return
	tc -n "$a" qdisc add dev va root netem limit 100000 "$@" &&
		tc -n "$b" qdisc add dev vb root netem limit 100000 "$@"
}

# nginx_site DIR NAME LISTEN: a foreground nginx config DIR/NAME.conf
# serving DIR/www on LISTEN (port or addr:port), its pid, logs and temp
# files under DIR/NAME; DIR/www made readable for its worker.  Run it
# with: nginx -p DIR/NAME -e DIR/NAME/error.log -c DIR/NAME.conf
nginx_site() {
	mkdir -p "$1/www" "$1/$2"
	chmod 755 "$1" "$1/www"
	cat >"$1/$2.conf" <<EOF
worker_processes 1;
daemon off;
pid $1/$2/nginx.pid;
error_log $1/$2/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	client_body_temp_path $1/$2/body;
	server { listen $3; root $1/www; }
}
EOF
}

# bg_start CMD...: a server in the background; bg_stop kills each with
# all its descendants (CMD may be a shell function or a wrapper whose
# child is the server: killing $! alone would orphan it, and its sockets
# would hold the module) and waits until they are gone.
BG_PIDS=()
bg_start() { "$@" & BG_PIDS+=($!); }
bg_tree() {
	local c

	for c in $(pgrep -P "$1"); do bg_tree "$c"; done
	echo "$1"
}
bg_stop() {
	local p pids=() i

	for p in "${BG_PIDS[@]}"; do pids+=($(bg_tree "$p")); done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill "${pids[@]}" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && break; done ||
			break
		sleep 0.1
	done
	kill -KILL "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	BG_PIDS=()
}
