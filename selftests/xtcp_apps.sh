#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real applications over xtcp, unmodified, through tools/xtcpize: iperf3
# (4 streams, both directions), nginx serving a 32 MiB file to curl
# (sha256) and to wrk, redis-server with redis-benchmark (set/get,
# pipelined) and a redis-cli round trip, sshd with ssh running a command
# and scp copying a file (a key made here), and a static binary (busybox
# wget) through `xtcpize run --bpf`.  socat is in xtcp_xtcpize.sh.  Each
# server's listener must be in /proc/net/xtcp and not in /proc/net/tcp:
# nothing falls back to TCP unseen.  Verdicts are on data and exit
# status, never on speed (bench/apps.sh measures that).  Runs in the
# netns run_guest.sh gives it; heavy tier (stock 6.12).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
heavy_kernel || ksft_skip "heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
xtcp_isolate "$@"

XTCPIZE=$(readlink -f $XTCP_SRC/tools/xtcpize/xtcpize)
export XTCPIZE_LIB=${XTCPIZE_LIB:-$(readlink -f $XTCP_SRC/build/tools/libxtcpize.so)}
TMP=$(mktemp -d /tmp/xtcp-apps.XXXXXX)
chmod 755 "$TMP"
trap 'bg_stop; rm -rf "$TMP"' EXIT
ip link set lo up
ize() { "$XTCPIZE" run "$@"; }

# listener_ok PORT: an xtcp listener on PORT (IPv4 or IPv6), and no TCP one?
hexport() { printf '%04X' "$1"; }
listens_in() {
	awk -v p=":$(hexport "$2")\$" '$2 ~ p && $4 == "0A" { f = 1 } END { exit !f }' "$1"
}
xtcp_listens() { listens_in /proc/net/xtcp "$1" || listens_in /proc/net/xtcp6 "$1"; }
tcp_listens() { listens_in /proc/net/tcp "$1" || listens_in /proc/net/tcp6 "$1"; }
listener_ok() {
	await 30 xtcp_listens "$1" && ! tcp_listens "$1"
}
# start NAME CMD...: a server in the background.
start() {
	local name=$1

	shift
	bg_start "$@" >"$TMP/log.$name" 2>&1
}
sum() { sha256sum <"$1" | cut -d' ' -f1; }

N_IPERF=3 N_NGINX=4 N_REDIS=3 N_SSH=3 N_BPF=1
tap_plan $((N_IPERF + N_NGINX + N_REDIS + N_SSH + N_BPF))

# --- iperf3 ---
start iperf3 ize iperf3 -s -p 5201
check "iperf3 -s: its listener is xtcp's" listener_ok 5201
check "iperf3 -P 4 over xtcp: exit 0, 4 streams, octets received" sh -c "
	$XTCPIZE run iperf3 -c 127.0.0.1 -p 5201 -t 2 -P 4 -J >$TMP/iperf.json &&
	python3 -c '
import json, sys
j = json.load(open(\"$TMP/iperf.json\"))
assert len(j[\"end\"][\"streams\"]) == 4
assert j[\"end\"][\"sum_received\"][\"bytes\"] > 0
print(j[\"end\"][\"sum_received\"][\"bits_per_second\"])'"
check "iperf3 -R -P 4 (server to client) over xtcp: exit 0, octets received" sh -c "
	$XTCPIZE run iperf3 -c 127.0.0.1 -p 5201 -t 2 -P 4 -R -J >$TMP/iperf.json &&
	python3 -c '
import json
j = json.load(open(\"$TMP/iperf.json\"))
assert j[\"end\"][\"sum_received\"][\"bytes\"] > 0
print(j[\"end\"][\"sum_received\"][\"bits_per_second\"])'"

# --- nginx, curl, wrk ---
nginx_site "$TMP" nginx 127.0.0.1:8080
head -c $((32 << 20)) /dev/urandom >"$TMP/www/big"
echo hello >"$TMP/www/small"
chmod 644 "$TMP/www/"*
start nginx ize nginx -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx.conf"
check "nginx: its listener is xtcp's" listener_ok 8080
check "curl fetches 32 MiB from nginx (sendfile) over xtcp, sha256 equal" sh -c "
	$XTCPIZE run curl -sS --max-time 120 -o $TMP/got http://127.0.0.1:8080/big &&
	test \"\$(sha256sum <$TMP/got | cut -d' ' -f1)\" = $(sum "$TMP/www/big")"
check "wrk -c 8 keep-alive against nginx over xtcp: requests done, no socket errors, all 2xx" sh -c "
	$XTCPIZE run wrk -t 2 -c 8 -d 2s http://127.0.0.1:8080/small >$TMP/wrk.out 2>&1;
	cat $TMP/wrk.out;
	grep -q 'requests in' $TMP/wrk.out && ! grep -qE 'Socket errors|Non-2xx' $TMP/wrk.out"
check "wrk with Connection: close (a connection per request) over xtcp: no socket errors" sh -c "
	$XTCPIZE run wrk -t 2 -c 4 -d 2s -H 'Connection: close' http://127.0.0.1:8080/small >$TMP/wrk.out 2>&1;
	cat $TMP/wrk.out;
	grep -q 'requests in' $TMP/wrk.out && ! grep -qE 'Socket errors|Non-2xx' $TMP/wrk.out"

# --- redis ---
start redis ize redis-server --port 6380 --bind 127.0.0.1 --save '' \
	--appendonly no --daemonize no --dir "$TMP"
check "redis-server: its listener is xtcp's" listener_ok 6380
val=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
check "redis-cli SET then GET over xtcp returns the value" sh -c "
	$XTCPIZE run redis-cli -p 6380 set xtcpkey $val | grep -q OK &&
	test \"\$($XTCPIZE run redis-cli -p 6380 get xtcpkey)\" = $val"
check "redis-benchmark -t set,get -P 16 over xtcp: both tests complete" sh -c "
	$XTCPIZE run redis-benchmark -p 6380 -t set,get -n 20000 -P 16 -q >$TMP/rb.out 2>&1;
	tr '\\r' '\\n' <$TMP/rb.out | grep 'requests per second';
	tr '\\r' '\\n' <$TMP/rb.out | grep -q 'SET: [0-9.]* requests per second' &&
	tr '\\r' '\\n' <$TMP/rb.out | grep -q 'GET: [0-9.]* requests per second'"

# --- sshd, ssh, scp ---
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/id"
cp "$TMP/id.pub" "$TMP/authorized_keys"
start sshd ize /usr/sbin/sshd -D -e -f /dev/null -o Port=2222 \
	-o ListenAddress=127.0.0.1 -o HostKey="$TMP/hostkey" \
	-o AuthorizedKeysFile="$TMP/authorized_keys" -o StrictModes=no \
	-o PidFile=none -o UsePAM=no -o PermitRootLogin=prohibit-password \
	-o "Subsystem=sftp internal-sftp"
check "sshd: its listener is xtcp's" listener_ok 2222
SSH_OPTS="-i $TMP/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o ConnectTimeout=30"
check "ssh runs a remote command over xtcp" sh -c "
	test \"\$($XTCPIZE run ssh -p 2222 $SSH_OPTS root@127.0.0.1 echo over-xtcp)\" = over-xtcp"
head -c $((4 << 20)) /dev/urandom >"$TMP/scp.in"
check "scp copies 4 MiB over xtcp, sha256 equal" sh -c "
	$XTCPIZE run scp -q -P 2222 $SSH_OPTS $TMP/scp.in root@127.0.0.1:$TMP/scp.out &&
	test \"\$(sha256sum <$TMP/scp.out | cut -d' ' -f1)\" = $(sum "$TMP/scp.in")"

# --- a static binary through --bpf ---
if why=$($XTCP_SRC/build/tools/xtcpize-bpf probe 2>&1); then
	check "busybox wget (static) through xtcpize run --bpf fetches 32 MiB from nginx, sha256 equal" sh -c "
		$XTCPIZE run --bpf busybox wget -q -O $TMP/got.bpf http://127.0.0.1:8080/big &&
		test \"\$(sha256sum <$TMP/got.bpf | cut -d' ' -f1)\" = $(sum "$TMP/www/big")"
else
	ok "busybox wget through --bpf # SKIP ${why#xtcpize-bpf: }"
fi
tap_done
