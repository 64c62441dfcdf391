#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Single-stream throughput and 1-octet request/response, xtcp against
# in-tree TCP in the same guest, with selftests/xtcp_xfer (which checks
# every octet).  Loopback, a veth pair between two netns, and the same
# pair with netem dropping 1% of packets on both ends.  Prints a
# markdown table of medians over XFER_REPEAT runs; figures only, never
# pass or fail.  Run in a guest with
# xtcp loaded (bench/run.sh does).
#   bench/xfer.sh [BIN_DIR]      (default build/selftests)
# Env: XTCP_PROTO (253), XFER_LO_SIZE, XFER_VETH_SIZE, XFER_LOSS_SIZE,
#      XFER_RR, XFER_LOSS_RR (sizes in octets, K/M suffixes allowed),
#      XFER_REPEAT (3).
top=$(cd "$(dirname "$0")/.." && pwd)
XFER=$(cd "${1:-$top/build/selftests}" && pwd)/xtcp_xfer
. "$top/selftests/lib.sh"
[ -x "$XFER" ] || { echo "xfer.sh: no $XFER" >&2; exit 1; }

LO_SIZE=${XFER_LO_SIZE:-64M}
VETH_SIZE=${XFER_VETH_SIZE:-16M}
LOSS_SIZE=${XFER_LOSS_SIZE:-1M}
RR=${XFER_RR:-2000}
LOSS_RR=${XFER_LOSS_RR:-500}
REPEAT=${XFER_REPEAT:-3}
A=bench-a-$$
B=bench-b-$$
L=bench-lo-$$
port=21000

cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	ip netns del "$L" 2>/dev/null
}
trap cleanup EXIT
modprobe -q sch_netem 2>/dev/null
if ! { ip netns add "$L" && ip -n "$L" link set lo up && veth_netns "$A" "$B"; }; then
	echo "xfer.sh: netns setup failed" >&2
	exit 1
fi

# once PROTO SERVER_NS CLIENT_NS ADDR SIZE TIMEOUT [OPTS]: the client's
# MB/s, or its request/response rate with -r; "failed" or "timeout".
once() {
	local proto=$1 sns=$2 cns=$3 addr=$4 size=$5 tmo=$6 out rc spid
	local re='([0-9.]+) MB/s: ok'
	shift 6
	port=$((port + 1))
	ip netns exec "$sns" "$XFER" server $port -p "$proto" -t $((tmo + 5)) \
		2>/dev/null &
	spid=$!
	out=$(ip netns exec "$cns" "$XFER" client "$addr" $port "$size" \
		-p "$proto" -t "$tmo" "$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || kill $spid 2>/dev/null
	wait $spid 2>/dev/null
	case $rc in
	0) ;;
	3) echo timeout; return ;;
	*) echo failed; return ;;
	esac
	case " $* " in
	*" -r "*) re='rr: [0-9]+ in [0-9.]+ s, ([0-9]+) per s' ;;
	esac
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}" || echo "?"
}

# run ARGS...: the median of REPEAT runs of once ARGS, or how one failed.
run() {
	local i v vals=()

	for ((i = 0; i < REPEAT; i++)); do
		v=$(once "$@")
		[[ $v =~ ^[0-9.]+$ ]] || { echo "$v"; return; }
		vals+=("$v")
	done
	printf '%s\n' "${vals[@]}" | sort -n | sed -n "$(((REPEAT + 1) / 2))p"
}

# row LABEL SERVER_NS CLIENT_NS ADDR SIZE TIMEOUT [OPTS]: TCP, then xtcp.
row() {
	local label=$1 tcp xt ratio
	shift
	tcp=$(run 6 "$@")
	xt=$(run "$XTCP_PROTO" "$@")
	ratio=$(awk -v a="$tcp" -v b="$xt" \
		'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", b / a; else print "-" }')
	echo "| $label | $tcp | $xt | $ratio |"
}

echo "| benchmark (one flow, xtcp_xfer, median of $REPEAT) | TCP | xtcp | xtcp / TCP |"
echo "|---|---|---|---|"
row "throughput, loopback, $LO_SIZE (MB/s)" "$L" "$L" 127.0.0.1 "$LO_SIZE" 120
row "1-octet request/response, loopback, $RR (per s)" "$L" "$L" 127.0.0.1 0 120 -r "$RR"
row "throughput, veth, $VETH_SIZE (MB/s)" "$B" "$A" $VETH_B "$VETH_SIZE" 120
row "1-octet request/response, veth, $RR (per s)" "$B" "$A" $VETH_B 0 120 -r "$RR"
netem_set "$A" "$B" loss 1%
row "throughput, veth, 1% loss, $LOSS_SIZE (MB/s)" "$B" "$A" $VETH_B "$LOSS_SIZE" 120
row "1-octet request/response, veth, 1% loss, $LOSS_RR (per s)" "$B" "$A" $VETH_B 0 120 -r "$LOSS_RR"
netem_set "$A" "$B"
