#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Data transfer end to end: xtcp_xfer moves a seeded pseudo-random
# stream and checks every octet and a hash on both ends.  On loopback:
# sizes around segment and buffer boundaries, sent by write() in random
# chunks, by non-blocking write() with epoll, and by sendfile(); 64 MiB
# once; both directions at once.  Over a veth pair between two netns:
# loss, duplication and corruption, all deterministic (xtcp_faults: the
# Nth packets of a direction, the same ones every run), reordering and
# delay (netem with no random element), with the send modes and both
# directions spread over them.  Each case has a time limit derived from
# the retransmission schedule; segment and fault counters follow each
# case as comments; a datagram over the path MTU (IP FragFails) fails it.
#
# Env: XTCP_PROTO (6 checks the test itself against in-tree TCP),
#      XTCP_BIN (where xtcp_xfer is), XTCP_XFER_SCALE (divides the
#      large sizes; 8 by default on a KASAN kernel, else 1).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
heavy_kernel || ksft_skip "heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"

XFER=$XTCP_BIN/xtcp_xfer
FAULTS=$XTCP_BIN/xtcp_faults
if [ -z "${XTCP_XFER_SCALE:-}" ]; then
	XTCP_XFER_SCALE=1
	debug_kernel && XTCP_XFER_SCALE=8
fi
KiB=1024
MiB=$((1024 * KiB))
LO=xfer-lo-$$
A=xfer-a-$$
B=xfer-b-$$
port=20000
spid=
declare -A holder	# a process in each netns, to read its /proc/PID/net

cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	for p in "${holder[@]}"; do kill "$p" 2>/dev/null; done
	ip netns del "$LO" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT

# big SIZE: a large size divided by the scale.
big() { echo $(($1 / XTCP_XFER_SCALE)); }

# segs NS: segments sent, retransmitted, and checksum errors in NS, and
# IP's FragFails: datagrams over the path MTU, with DF, dropped at the
# sender.  Bash builtins only: each process costs a lot under TCG.
segs() {
	local net=/proc/${holder[$1]}/net k v i
	local -A c
	local -a f names

	while read -ra f; do
		[ "${f[0]}" = Tcp: ] || [ "${f[0]}" = Ip: ] || continue
		[ "${names[0]}" != "${f[0]}" ] && names=("${f[@]}") && continue
		for i in "${!names[@]}"; do c[${names[i]}]=${f[i]}; done
	done <"$net/snmp"
	while read -r k v; do
		[ "$k" = Ip6FragFails ] && c[FragFails]=$((c[FragFails] + v))
	done <"$net/snmp6"
	if [ "$XTCP_PROTO" = 6 ]; then
		echo "${c[OutSegs]} ${c[RetransSegs]} ${c[InCsumErrors]} ${c[FragFails]}"
	else
		while read -r k v; do c[$k]=$v; done <"$net/xtcp_stat"
		echo "${c[XtcpOutSegs]} ${c[XtcpRetransSegs]} ${c[XtcpInCsumErrors]} ${c[FragFails]}"
	fi
}

# comment FILE: FILE's lines as TAP comments.
comment() {
	local l

	while IFS= read -r l; do echo "# $l"; done <"$1"
}

# xfer NAME SERVER_NS CLIENT_NS ADDR SIZE TIMEOUT [CLIENT OPTS...]
# One transfer, one TAP line: both ends must verify within TIMEOUT s,
# and no segment may exceed the path MTU (a segment over it is dropped
# at the sender, every time it is resent).
xfer() {
	local name=$1 sns=$2 cns=$3 addr=$4 size=$5 tmo=$6 out crc src t0 secs
	local c0 s0 c1 s1 big
	shift 6
	read -ra c0 <<<"$(segs "$cns")"
	read -ra s0 <<<"$(segs "$sns")"
	port=$((port + 1))
	out=$(mktemp)
	# An IPv6 client's server listens on :: (0.0.0.0 otherwise).
	ip netns exec "$sns" "$XFER" server $port -p "$XTCP_PROTO" \
		-t $((tmo + 5)) -a "$([[ $addr = *:* ]] && echo :: || echo 0.0.0.0)" \
		2>>"$out" &
	spid=$!
	t0=${EPOCHREALTIME/./}
	ip netns exec "$cns" "$XFER" client "$addr" $port "$size" \
		-p "$XTCP_PROTO" -s $port -t "$tmo" "$@" 2>>"$out"
	crc=$?
	t0=$((${EPOCHREALTIME/./} - t0))
	secs=$(printf '%d.%02d' $((t0 / 1000000)) $((t0 % 1000000 / 10000)))
	[ $crc -eq 0 ] || kill "$spid" 2>/dev/null
	wait "$spid"
	src=$?
	spid=
	read -ra c1 <<<"$(segs "$cns")"
	read -ra s1 <<<"$(segs "$sns")"
	name="$name, $size B ($secs s)"
	big=$((c1[3] - c0[3]))
	[ "$sns" = "$cns" ] || big=$((big + s1[3] - s0[3]))
	if [ $crc -eq 0 ] && [ $src -eq 0 ] && [ $big -eq 0 ]; then
		ok "$name"
	elif [ $crc -eq 0 ] && [ $src -eq 0 ]; then
		not_ok "$name: $big datagrams over the path MTU (Ip FragFails)"
	else
		case $crc in
		1) name="$name: data or length mismatch" ;;
		3) name="$name: timeout after $tmo s" ;;
		*) name="$name: client status $crc, server $src" ;;
		esac
		not_ok "$name"
	fi
	comment "$out"
	rm -f "$out"
	if [ "$sns" = "$cns" ]; then
		echo "# segments sent, resent, bad checksums: $((c1[0] - c0[0])) $((c1[1] - c0[1])) $((c1[2] - c0[2]))"
	else
		echo "# segments sent, resent, bad checksums: client $((c1[0] - c0[0])) $((c1[1] - c0[1])) $((c1[2] - c0[2])), server $((s1[0] - s0[0])) $((s1[1] - s0[1])) $((s1[2] - s0[2]))"
	fi
}

# What the fault rules did on each end's ingress, as a comment.
fault_stats() {
	local a b

	a=$(ip netns exec "$B" "$FAULTS" vb -s 2>/dev/null) || return 0
	b=$(ip netns exec "$A" "$FAULTS" va -s 2>/dev/null)
	echo "# faults, client to server: $a"
	echo "# faults, server to client: $b"
}

# faults C2S S2C: the rules of each direction (words of xtcp_faults
# rules, "-" for none) at the receiving end's ingress; none without args.
faults_set() {
	ip netns exec "$B" "$FAULTS" vb -d 2>/dev/null
	ip netns exec "$A" "$FAULTS" va -d 2>/dev/null
	[ $# -eq 0 ] && return
	# shellcheck disable=SC2086 # rules are words
	{ [ "$1" = - ] || ip netns exec "$B" "$FAULTS" vb -p "$XTCP_PROTO" $1; } &&
		{ [ "$2" = - ] || ip netns exec "$A" "$FAULTS" va -p "$XTCP_PROTO" $2; }
}

setup() {
	modprobe -q sch_netem 2>/dev/null
	ip netns add "$LO" && ip -n "$LO" link set lo up &&
		veth_netns "$A" "$B" || return 1
	for ns in "$LO" "$A" "$B"; do
		ip netns exec "$ns" sleep 100000 &
		holder[$ns]=$!
	done
	netem_set "$A" "$B" delay 0ms || { echo "no netem qdisc"; return 1; }
	netem_set "$A" "$B"
	faults_set drop@1000000 - || { echo "no tc-BPF fault injection"; return 1; }
	faults_set
}

# Loopback: each size with each send mode, then the big ones.
LO_SIZES="1 $KiB $((64 * KiB + 1)) $MiB $(big $((16 * MiB)))"
LO_MODES="blocking epoll sendfile"
# Over veth: NAME|SIZE|NETEM|CLIENT TO SERVER RULES|SERVER TO CLIENT
# RULES|CLIENT OPTS.  Rules are xtcp_faults': ACTION@FIRST[+EVERY],
# counting a direction's packets (SYN, data and ACKs) from 1.  Netem is
# used only for what is deterministic in it: a fixed delay, and a
# reorder of 100% with a gap (every 5th packet skips the delay).
NETEM_CASES=(
	"no faults|$(big $((4 * MiB)))||-|-|"
	"SYN and SYN-ACK lost|$(big $((64 * KiB)))||drop@1|drop@1|"
	"loss 1% (every 100th)|$(big $MiB)||drop@50+100|drop@50+100|-m epoll"
	"loss 5% (every 20th)|$(big $((256 * KiB)))||drop@10+20|drop@10+20|-m sendfile"
	"loss 20% (every 5th)|$(big $((32 * KiB)))||drop@3+5|drop@4+5|"
	"loss both ways (every 50th)|$(big $MiB)||drop@40+50|drop@45+50|-b -m epoll"
	"burst of 6 lost|$(big $((256 * KiB)))||drop@20+1x6|drop@12+1x3|-m epoll"
	"reorder (every 5th first)|$(big $MiB)|delay 2ms reorder 100% gap 5|-|-|-m epoll"
	"duplicate 5% (every 20th)|$(big $((2 * MiB)))||dup@7+20|dup@9+20|-b"
	"corrupt 1% (every 100th)|$(big $MiB)||corrupt@30+100|corrupt@60+100|-m sendfile"
	"delay 10ms|$(big $((2 * MiB)))|delay 10ms|-|-|-b"
)
# The same over IPv6 (fd53::/64), on fewer cases: ADDRESS is the 7th.
v6_pass heavy && NETEM_CASES+=(
	"IPv6, no faults|$(big $((4 * MiB)))||-|-||$VETH_B6"
	"IPv6, loss 1% (every 100th)|$(big $MiB)||drop@50+100|drop@50+100|-m epoll|$VETH_B6"
	"IPv6, reorder (every 5th first)|$(big $MiB)|delay 2ms reorder 100% gap 5|-|-|-m epoll|$VETH_B6"
	"IPv6, corrupt 1% (every 100th)|$(big $MiB)||corrupt@30+100|corrupt@60+100|-m sendfile|$VETH_B6"
)

# limit SIZE RULES...: the time limit of a veth case, from the
# retransmission schedule rather than a guess.  A lost packet costs at
# most one timeout of the initial RTO, 1 s (RFC 6298 2.1; the RTO of
# these sub-millisecond paths is lower), twice that if the
# retransmission is lost too: 3 s.  A direction carries at most one
# packet per 900 octets of SIZE (full segments and an ACK for every
# second one, both ways with -b) plus 50 for the handshake, the close
# and quick ACKs, so a rule hitting every Nth costs 3 s per N of them
# (without +EVERY: one packet, or its xCOUNT); a duplicate costs
# nothing.  Add 60 s for the
# transfer itself (the slowest, 4 MiB on the debug kernel, takes about
# 10 s) and double the sum.
limit() {
	local pkts=$(($1 / 900 + 50)) drops=0 r count
	shift
	for r in "$@"; do
		[[ $r = drop@* || $r = corrupt@* ]] || continue
		count=1
		[[ $r =~ \+([0-9]+) ]] && count=$((pkts / BASH_REMATCH[1] + 1))
		[[ $r =~ x([0-9]+) ]] && count=${BASH_REMATCH[1]}
		drops=$((drops + count))
	done
	echo $((2 * (60 + 3 * drops)))
}

read -ra lo_sizes <<<"$LO_SIZES"
read -ra lo_modes <<<"$LO_MODES"
n_lo=$((${#lo_sizes[@]} * ${#lo_modes[@]}))
tap_plan $((1 + n_lo + 3 + ${#NETEM_CASES[@]} + 1))
echo "# proto $XTCP_PROTO, large sizes divided by $XTCP_XFER_SCALE"
echo "xtcp_xfer.sh: start" >/dev/kmsg

start=$SECONDS
out=$(mktemp)
if ! setup >"$out" 2>&1; then
	not_ok "netns, veth and netem set up"
	comment "$out"
	tap_done
fi
ok "netns, veth and netem set up"
rm -f "$out"

for size in $LO_SIZES; do
	for mode in $LO_MODES; do
		xfer "loopback $mode" "$LO" "$LO" 127.0.0.1 "$size" 30 -m "$mode"
	done
done
xfer "loopback both directions" "$LO" "$LO" 127.0.0.1 "$(big $((8 * MiB)))" 30 -b -m epoll
xfer "loopback" "$LO" "$LO" 127.0.0.1 "$(big $((64 * MiB)))" 60
if v6_pass heavy; then
	xfer "loopback IPv6" "$LO" "$LO" ::1 "$(big $((16 * MiB)))" 60 -b -m epoll
else
	ok "loopback IPv6 # SKIP on this kernel (lib.sh v6_pass)"
fi

for c in "${NETEM_CASES[@]}"; do
	IFS='|' read -r name size spec c2s s2c opts addr <<<"$c"
	# shellcheck disable=SC2086 # netem arguments, rules and options are words
	if ! netem_set "$A" "$B" $spec || ! faults_set "$c2s" "$s2c"; then
		not_ok "veth $name: netem $spec, faults $c2s / $s2c"
		continue
	fi
	tmo=$(limit "$size" $c2s $s2c)
	# shellcheck disable=SC2086
	xfer "veth $name${opts:+ ($opts)}" "$B" "$A" "${addr:-$VETH_B}" "$size" "$tmo" $opts
	fault_stats
done
netem_set "$A" "$B"
faults_set

# Oopses, warnings and sanitizer reports since the start marker.
reports=$(dmesg | sed -n '/xtcp_xfer.sh: start/,$p' |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|Oops|Call Trace' || true)
echo "# all transfers: $((SECONDS - start)) s"
check "dmesg: no oops or warning during the transfers" test -z "$reports"
[ -z "$reports" ] || dmesg | sed -n '/xtcp_xfer.sh: start/,$p' | tail -60 |
	sed 's/^/# /'
tap_done
