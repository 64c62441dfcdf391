#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bulk transfer over paths with delay and loss, in-tree TCP against
# xtcp (through tools/xtcpize) in the same guest boot, both on their
# defaults (TCP: CUBIC and its autotuning; xtcp: the same since issue
# 13): iperf3, one stream, over a veth pair between two netns whose
# egress qdiscs are netem (half the RTT each way, rate on the sender's
# side).  The paths are the ones issue 13 measured.  The protocols
# alternate run by run, RUNS runs each; the table gives the median, the
# spread and xtcp/TCP.  Figures only, never a verdict.
# Run in a guest with xtcp loaded (bench/run.sh 6.12 paths does).
#   bench/paths.sh        Env: PATHS_RUNS (3), PATHS_SECS (8)
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"
XTCPIZE=$top/tools/xtcpize/xtcpize
export XTCPIZE_LIB=$top/build/tools/libxtcpize.so
RUNS=${PATHS_RUNS:-3}
SECS=${PATHS_SECS:-8}
A=paths-a-$$
B=paths-b-$$
TMP=$(mktemp -d /tmp/xtcp-bench.XXXXXX)
cleanup() {
	bg_stop
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

veth_pair $A $B 10.78.0.1 10.78.0.2 || exit 1
inA() { nsenter --net=/run/netns/$A "$@"; }
inB() { nsenter --net=/run/netns/$B "$@"; }
bg_start inB iperf3 -s -p 5201 >/dev/null 2>&1
bg_start inB "$XTCPIZE" run iperf3 -s -p 5202 >/dev/null 2>&1
sleep 2

# path RTT_MS RATE LOSS: netem on both ends (the data's side has the
# rate and the loss), half the RTT each way.
path() {
	local half=$(($1 / 2))

	tc -n $A qdisc replace dev va root netem delay ${half}ms \
		rate "$2" loss "$3" limit 100000
	tc -n $B qdisc replace dev vb root netem delay ${half}ms limit 100000
}
# One run: Mbit/s received, client in A sending to B.
run() { # tcp|xtcp
	local pt=5201 pre=()

	[ "$1" = xtcp ] && pt=5202 pre=("$XTCPIZE" run)
	inA "${pre[@]}" iperf3 -c 10.78.0.2 -p $pt -t "$SECS" -J 2>/dev/null |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6, 1))' ||
		echo 0
}
stats() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "- -"; exit }
	printf "%s %s-%s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

echo "| path | TCP Mbit/s (range) | xtcp Mbit/s (range) | xtcp/TCP |"
echo "|---|---|---|---|"
while read -r rtt rate loss; do
	path "$rtt" "$rate" "$loss"
	: >"$TMP/tcp" && : >"$TMP/xtcp"
	for _ in $(seq "$RUNS"); do
		for p in tcp xtcp; do run $p >>"$TMP/$p"; done
	done
	read -r t tr < <(stats <"$TMP/tcp")
	read -r x xr < <(stats <"$TMP/xtcp")
	r=$(python3 -c "print('%.2f' % ($x / $t))" 2>/dev/null || echo -)
	echo "| RTT ${rtt} ms, $rate, loss $loss | $t ($tr) | $x ($xr) | $r |"
done <<'PATHS'
20 100mbit 0%
20 100mbit 0.5%
50 50mbit 1%
PATHS
echo
echo "Medians of $RUNS alternating runs of ${SECS} s each, one guest boot (TCG),"
echo "veth with netem both ways, both protocols on defaults; xtcp through xtcpize."
