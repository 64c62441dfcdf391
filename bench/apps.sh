#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real applications, in-tree TCP against xtcp (through tools/xtcpize),
# in the same guest boot, both with their defaults (offloads on, TCP's
# default congestion control): iperf3 (1 and 4 streams), wrk against
# nginx (keep-alive and Connection: close), redis-benchmark (set/get,
# pipelined 16).  Over loopback, and over a veth pair between two netns
# with default offloads.  The protocols alternate run by run, RUNS runs
# each; the table gives the median and xtcp/TCP.  Figures only, never a
# verdict: under TCG they are far below native, compare within a run.
# Run in a guest with xtcp loaded (bench/run.sh 6.12 apps does).
#   bench/apps.sh        Env: APPS_RUNS (3), APPS_SECS (4)
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"
XTCPIZE=$top/tools/xtcpize/xtcpize
export XTCPIZE_LIB=$top/build/tools/libxtcpize.so
RUNS=${APPS_RUNS:-3}
SECS=${APPS_SECS:-4}
A=apps-a-$$
B=apps-b-$$
TMP=$(mktemp -d /tmp/xtcp-bench.XXXXXX)
chmod 755 "$TMP"
cleanup() {
	bg_stop
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# Two netns: A (client) 10.77.0.1, B (servers) 10.77.0.2 on lo too.
veth_pair $A $B 10.77.0.1 10.77.0.2 || exit 1
inA() { nsenter --net=/run/netns/$A "$@"; }
inB() { nsenter --net=/run/netns/$B "$@"; }
# wrap tcp|xtcp CMD...: the command as is, or through xtcpize.
wrap() {
	local p=$1

	shift
	if [ "$p" = xtcp ]; then "$XTCPIZE" run "$@"; else "$@"; fi
}

nginx_site "$TMP" n-tcp 8080
nginx_site "$TMP" n-xtcp 8081
echo hello >"$TMP/www/small"
chmod 644 "$TMP/www/small"
# Servers: one TCP and one xtcp instance each, on their own ports.
start() { bg_start "$@" >/dev/null 2>&1; }
start inB iperf3 -s -p 5201
start inB "$XTCPIZE" run iperf3 -s -p 5202
start inB nginx -p "$TMP/n-tcp" -e "$TMP/n-tcp/error.log" -c "$TMP/n-tcp.conf"
start inB "$XTCPIZE" run nginx -p "$TMP/n-xtcp" -e "$TMP/n-xtcp/error.log" -c "$TMP/n-xtcp.conf"
start inB redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --save '' --appendonly no --dir "$TMP"
start inB "$XTCPIZE" run redis-server --port 6380 --bind 0.0.0.0 --protected-mode no --save '' --appendonly no --dir "$TMP"
sleep 3

port() { # NAME PROTO
	case $1 in
	iperf) [ "$2" = tcp ] && echo 5201 || echo 5202 ;;
	http) [ "$2" = tcp ] && echo 8080 || echo 8081 ;;
	redis) [ "$2" = tcp ] && echo 6379 || echo 6380 ;;
	esac
}
# One measurement: prints one number (higher is better).
measure() { # CASE PROTO HOST
	local c=$1 p=$2 h=$3 pt
	case $c in
	iperf1|iperf4)
		pt=$(port iperf "$p")
		wrap "$p" iperf3 -c "$h" -p "$pt" -t "$SECS" -P "${c#iperf}" -J 2>/dev/null |
			python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6, 1))'
		;;
	wrk-ka|wrk-close)
		pt=$(port http "$p")
		wrap "$p" wrk -t 2 -c 8 -d "${SECS}s" \
			$([ "$c" = wrk-close ] && echo "-H Connection:close") \
			"http://$h:$pt/small" 2>/dev/null | awk '/Requests\/sec/ { print $2 }'
		;;
	redis-set|redis-get)
		pt=$(port redis "$p")
		wrap "$p" redis-benchmark -h "$h" -p "$pt" -t "${c#redis-}" -n 50000 -P 16 -q 2>/dev/null |
			tr '\r' '\n' | awk '/requests per second/ { v = $2 } END { print v }'
		;;
	esac
}
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

echo "| path | case | unit | TCP | xtcp | xtcp/TCP |"
echo "|---|---|---|---|---|---|"
for path in loopback veth; do
	for c in iperf1 iperf4 wrk-ka wrk-close redis-set redis-get; do
		: >"$TMP/tcp" && : >"$TMP/xtcp"
		for _ in $(seq "$RUNS"); do
			for p in tcp xtcp; do
				if [ $path = loopback ]; then
					inB bash -c "$(declare -f wrap measure port); XTCPIZE=$XTCPIZE SECS=$SECS measure $c $p 127.0.0.1" >>"$TMP/$p"
				else
					inA bash -c "$(declare -f wrap measure port); XTCPIZE=$XTCPIZE SECS=$SECS measure $c $p 10.77.0.2" >>"$TMP/$p"
				fi
			done
		done
		t=$(median <"$TMP/tcp")
		x=$(median <"$TMP/xtcp")
		unit=Mbit/s
		case $c in wrk*) unit=req/s ;; redis*) unit=op/s ;; esac
		r=$(python3 -c "print('%.2f' % ($x / $t))" 2>/dev/null || echo -)
		echo "| $path | $c | $unit | $t | $x | $r |"
	done
done
echo
echo "Medians of $RUNS alternating runs of ${SECS} s each, one guest boot (TCG),"
echo "both protocols on defaults; xtcp through xtcpize (LD_PRELOAD)."
