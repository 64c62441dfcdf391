#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Completion time of small transfers under heavy random loss, xtcp
# against in-tree TCP in the same guest: RUNS transfers of SIZE octets
# for each protocol (xtcp_xfer, every octet checked) over a veth pair
# with netem dropping LOSS of the packets on both ends, at random: this
# is a benchmark, figures only, never pass or fail.  The time of one
# run is the client's, from connect() to the server's FIN after its
# verdict, so handshake and close losses count as a user sees them.
# The two protocols alternate run by run, WORKERS runs at a time, so
# both meet the same load.  Prints a markdown table: median, p90, p99,
# max and runs that hit the LIMIT s time limit.  Run in a guest with
# xtcp loaded (bench/run.sh loss does).
#   bench/loss_tail.sh [BIN_DIR]      (default build/selftests)
# Env: TAIL_RUNS (200), TAIL_SIZE (32768), TAIL_LOSS (20%),
#      TAIL_WORKERS (4), TAIL_LIMIT (120).
top=$(cd "$(dirname "$0")/.." && pwd)
XFER=$(cd "${1:-$top/build/selftests}" && pwd)/xtcp_xfer
. "$top/selftests/lib.sh"
[ -x "$XFER" ] || { echo "loss_tail.sh: no $XFER" >&2; exit 1; }

RUNS=${TAIL_RUNS:-200}
SIZE=${TAIL_SIZE:-32768}
LOSS=${TAIL_LOSS:-20%}
WORKERS=${TAIL_WORKERS:-4}
LIMIT=${TAIL_LIMIT:-120}
A=tail-a-$$
B=tail-b-$$
OUT=$(mktemp -d)

cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$OUT"
}
trap cleanup EXIT
modprobe -q sch_netem 2>/dev/null
if ! veth_netns "$A" "$B" || ! netem_set "$A" "$B" loss "$LOSS"; then
	echo "loss_tail.sh: netns or netem setup failed" >&2
	exit 1
fi

# worker W: runs W, W + WORKERS, ... each with both protocols in turn
# (which goes first alternates); one line "PROTO SECONDS STATUS" a run.
worker() {
	local w=$1 i p port t0 t rc first second

	for ((i = w; i < RUNS; i += WORKERS)); do
		if ((i % 2)); then first=6 second=253; else first=253 second=6; fi
		for p in $first $second; do
			port=$((30000 + 2 * i + (p == 6)))
			ip netns exec "$B" "$XFER" server $port -p $p \
				-t $((LIMIT + 10)) 2>/dev/null &
			t0=${EPOCHREALTIME/./}
			ip netns exec "$A" "$XFER" client $VETH_B $port "$SIZE" \
				-p $p -s $port -t "$LIMIT" 2>/dev/null
			rc=$?
			t=$((${EPOCHREALTIME/./} - t0))
			wait
			echo "$p $t $rc"
		done
	done >"$OUT/w$w"
}

echo "# $RUNS runs of $SIZE octets per protocol, netem loss $LOSS on both" \
	"ends of a veth pair, $WORKERS at a time, limit $LIMIT s; kernel $(uname -r)"
start=$SECONDS
for ((w = 0; w < WORKERS; w++)); do worker $w & done
wait
echo "# took $((SECONDS - start)) s"
cat "$OUT"/w* | python3 -c '
import sys
runs = {253: [], 6: []}
bad = {253: 0, 6: 0}
for line in sys.stdin:
    p, us, rc = map(int, line.split())
    runs[p].append(us / 1e6)
    bad[p] += rc != 0
def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]
print("| protocol | runs | median s | p90 s | p99 s | max s | failed |")
print("|---|---|---|---|---|---|---|")
for p, name in ((253, "xtcp"), (6, "TCP")):
    v = runs[p]
    if not v:
        continue
    print("| %s | %d | %.2f | %.2f | %.2f | %.2f | %d |" % (name, len(v),
          pct(v, .5), pct(v, .9), pct(v, .99), max(v), bad[p]))
'
