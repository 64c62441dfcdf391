#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Data transfer end to end: xtcp_xfer moves a seeded pseudo-random
# stream and checks every octet and a hash on both ends.  On loopback:
# sizes around segment and buffer boundaries, sent by write() in random
# chunks, by non-blocking write() with epoll, and by sendfile(); 64 MiB
# once; both directions at once.  Over a veth pair between two netns
# with netem on both ends: loss, reordering, duplication, corruption
# and delay, with the send modes and both directions spread over them.
# Each case has a time limit; segment and netem counters follow each
# case as comments.
#
# Env: XTCP_PROTO (6 checks the test itself against in-tree TCP),
#      XTCP_BIN (where xtcp_xfer is), XTCP_XFER_SCALE (divides the
#      large sizes; 8 by default on a KASAN kernel, else 1).
cd "$(dirname "$0")" || exit 1
. ./lib.sh

XFER=${XTCP_BIN:-../build/selftests}/xtcp_xfer
if [ -z "${XTCP_XFER_SCALE:-}" ]; then
	XTCP_XFER_SCALE=1
	grep -q ' kasan_report$' /proc/kallsyms 2>/dev/null && XTCP_XFER_SCALE=8
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

# segs NS: segments sent, retransmitted, and checksum errors in NS.
# Bash builtins only: each process costs a lot under TCG.
segs() {
	local net=/proc/${holder[$1]}/net k v i
	local -A c

	if [ "$XTCP_PROTO" = 6 ]; then
		local -a f names
		while read -ra f; do
			[ "${f[0]}" = Tcp: ] || continue
			[ ${#names[@]} -eq 0 ] && names=("${f[@]}") && continue
			for i in "${!names[@]}"; do c[${names[i]}]=${f[i]}; done
		done <"$net/snmp"
		echo "${c[OutSegs]} ${c[RetransSegs]} ${c[InCsumErrors]}"
	else
		while read -r k v; do c[$k]=$v; done <"$net/xtcp_stat"
		echo "${c[XtcpOutSegs]} ${c[XtcpRetransSegs]} ${c[XtcpInCsumErrors]}"
	fi
}

# comment FILE: FILE's lines as TAP comments.
comment() {
	local l

	while IFS= read -r l; do echo "# $l"; done <"$1"
}

# xfer NAME SERVER_NS CLIENT_NS ADDR SIZE TIMEOUT [CLIENT OPTS...]
# One transfer, one TAP line: both ends must verify within TIMEOUT s.
xfer() {
	local name=$1 sns=$2 cns=$3 addr=$4 size=$5 tmo=$6 out crc src t0 secs
	local c0 s0 c1 s1
	shift 6
	read -ra c0 <<<"$(segs "$cns")"
	read -ra s0 <<<"$(segs "$sns")"
	port=$((port + 1))
	out=$(mktemp)
	ip netns exec "$sns" "$XFER" server $port -p "$XTCP_PROTO" \
		-t $((tmo + 5)) 2>>"$out" &
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
	if [ $crc -eq 0 ] && [ $src -eq 0 ]; then
		ok "$name"
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

# What netem did on each end: packets sent and dropped, as a comment.
netem_stats() {
	local re='Sent [0-9]+ bytes ([0-9]+) pkt \(dropped ([0-9]+)' a b

	[[ $(tc -s -n "$A" qdisc show dev va) =~ $re ]] &&
		a="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	[[ $(tc -s -n "$B" qdisc show dev vb) =~ $re ]] &&
		b="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
	echo "# netem packets sent, dropped: client $a, server $b"
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
}

# Loopback: each size with each send mode, then the big ones.
LO_SIZES="1 $KiB $((64 * KiB + 1)) $MiB $(big $((16 * MiB)))"
LO_MODES="blocking epoll sendfile"
# Over veth, netem on both ends: NAME|SIZE|TIMEOUT|NETEM|CLIENT OPTS.
NETEM_CASES=(
	"no netem|$(big $((4 * MiB)))|30||"
	"loss 1%|$(big $MiB)|30|loss 1%|-m epoll"
	"loss 5%|$(big $((256 * KiB)))|30|loss 5%|-m sendfile"
	"loss 20%|$(big $((32 * KiB)))|60|loss 20%|"
	"reorder|$(big $MiB)|30|delay 2ms reorder 25% 50%|-m epoll"
	"duplicate 5%|$(big $((2 * MiB)))|30|duplicate 5%|-b"
	"corrupt 1%|$(big $MiB)|30|corrupt 1%|-m sendfile"
	"delay 10ms|$(big $((2 * MiB)))|30|delay 10ms|-b"
)
read -ra lo_sizes <<<"$LO_SIZES"
read -ra lo_modes <<<"$LO_MODES"
n_lo=$((${#lo_sizes[@]} * ${#lo_modes[@]}))
tap_plan $((1 + n_lo + 2 + ${#NETEM_CASES[@]} + 1))
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

for c in "${NETEM_CASES[@]}"; do
	IFS='|' read -r name size tmo spec opts <<<"$c"
	# shellcheck disable=SC2086 # netem arguments and options are words
	if ! netem_set "$A" "$B" $spec; then
		not_ok "veth $name: netem $spec"
		continue
	fi
	# shellcheck disable=SC2086
	xfer "veth $name${opts:+ ($opts)}" "$B" "$A" $VETH_B "$size" "$tmo" $opts
	netem_stats
done
netem_set "$A" "$B"

# Oopses, warnings and sanitizer reports since the start marker.
reports=$(dmesg | sed -n '/xtcp_xfer.sh: start/,$p' |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|Oops|Call Trace' || true)
echo "# all transfers: $((SECONDS - start)) s"
check "dmesg: no oops or warning during the transfers" test -z "$reports"
[ -z "$reports" ] || dmesg | sed -n '/xtcp_xfer.sh: start/,$p' | tail -60 |
	sed 's/^/# /'
tap_done
