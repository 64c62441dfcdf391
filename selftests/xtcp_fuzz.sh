#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fuzzers, for a bounded time, with fixed seeds so that the verdict
# is the same every run: the segment fuzzer (xtcp_fuzz_seg.py) and the
# syscall fuzzer (xtcp_fuzz_sys), the latter once with failslab making
# 10% of its threads' slab allocations fail.  After each, dmesg must
# hold no KASAN, lockdep, UBSAN or WARN report and the module no
# socket; at the end the module must unload.  A failure names its seed:
#   XTCP_FUZZ_SEG_SEEDS="..." XTCP_FUZZ_SYS_SEEDS="..." ./xtcp_fuzz.sh
# runs other seeds (make fuzz runs random ones).
#
# A heavy suite: it runs on the debug kernel (the sanitizers are the
# point), or wherever XTCP_FUZZ=1.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"

if [ -z "${XTCP_FUZZ:-}" ] && ! debug_kernel; then
	tap_plan 1
	ok "fuzzers # SKIP run on the debug kernel only (XTCP_FUZZ=1 runs them here)"
	exit 0
fi
BIN=$XTCP_BIN
SEG_SEEDS=${XTCP_FUZZ_SEG_SEEDS:-1 2}
SYS_SEEDS=${XTCP_FUZZ_SYS_SEEDS:-1}
NS=xtcp-fuzz-$$
tap_plan $((5 * $(echo $SEG_SEEDS | wc -w) + 8 * $(echo $SYS_SEEDS | wc -w) + 2))

# reports MARK: KASAN, lockdep, UBSAN and WARN lines since MARK.
reports() {
	dmesg | sed -n "/$1/,\$p" |
		grep -E 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|possible recursive locking|Call Trace' |
		head -20
}

# after NAME MARK: what each fuzzer run must leave: no kernel report and,
# once its netns is gone, no socket.  Its orphans give up after one
# retransmission and FIN_WAIT2 after 2 s (the netns sysctls below), so
# 60 s is ten times what they can take.
after() {
	local r
	r=$(reports "$2")
	if [ -z "$r" ]; then
		ok "$1: no KASAN, lockdep, UBSAN or WARN report"
	else
		not_ok "$1: no KASAN, lockdep, UBSAN or WARN report"
		printf '%s\n' "$r" | sed 's/^/# /'
	fi
	if xtcp_await_refs 0 60 2>/dev/null; then
		ok "$1: the module holds no socket afterwards"
	else
		not_ok "$1: the module holds no socket afterwards: $(xtcp_refs) references"
	fi
}

for seed in $SEG_SEEDS; do
	mark="xtcp-fuzz: segments seed $seed $$"
	echo "$mark" >/dev/kmsg
	t0=$SECONDS
	XTCP_FUZZ_SEED=$seed ./xtcp_peer.sh xtcp_fuzz_seg.py 4 |
		grep -v -E '^(TAP version|1\.\.)'
	echo "# took $((SECONDS - t0)) s"
	after "segment fuzzer, seed $seed" "$mark"
done

for seed in $SYS_SEEDS; do
	for fail in 0 10; do
		name="syscall fuzzer, seed $seed, failslab $fail%"
		mark="xtcp-fuzz: syscalls seed $seed fail $fail $$"
		echo "$mark" >/dev/kmsg
		ip netns add $NS && ip -n $NS link set lo up &&
			ip netns exec $NS sh -c 'echo 1 >/proc/sys/net/xtcp/orphan_retries &&
				echo 2 >/proc/sys/net/xtcp/fin_timeout'
		# 4 threads x 4000 calls: about a minute on the debug kernel.
		t0=$SECONDS
		# nsenter, not ip netns exec, keeps /sys and debugfs (failslab).
		nsenter --net=/run/netns/$NS "$BIN/xtcp_fuzz_sys" -s "$seed" -n 4000 -t 4 -f $fail |
			grep -v -E '^(TAP version|1\.\.)'
		echo "# took $((SECONDS - t0)) s"
		ip netns del $NS
		after "$name" "$mark"
	done
done

check "the module unloads after the fuzzers" rmmod xtcp
check "and loads again" insmod "$XTCP_KO" proto="$XTCP_PROTO"
tap_done
