#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every xtcp test: static checks, builds against Debian's 6.1 and 6.12
# headers and the debug kernel, then the selftests (and KUnit on the
# debug kernel) in a guest of each kernel.  Ends with "N passed, N failed"
# and exits non-zero on any failure.
#   scripts/check.sh [--kernels "6.1 6.12 debug"] [--no-static]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
KERNELS="6.1 6.12 debug"
STATIC=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) KERNELS=$2; shift ;;
	--no-static) STATIC= ;;
	*) echo "usage: $0 [--kernels LIST] [--no-static]" >&2; exit 2 ;;
	esac
	shift
done

. scripts/kernels.sh
LOG=build/check
rm -rf "$LOG"
mkdir -p "$LOG"
pass=0 fail=0 skip=0
t0=$(date +%s)

# result OK|FAIL NAME [LOGFILE]
result() {
	if [ "$1" = OK ]; then
		pass=$((pass + 1))
		echo "ok - $2"
	else
		fail=$((fail + 1))
		echo "not ok - $2"
		echo "--- not ok - $2" >>"$LOG/failed"
		[ -n "${3:-}" ] && [ -s "$3" ] || return 0
		tail -40 "$3" | sed 's/^/#   /'
		tail -4 "$3" | sed 's/^/#   /' >>"$LOG/failed"
	fi
}
# step NAME CMD...: one result for CMD, its output kept in a log.
step() {
	local name=$1 log
	shift
	log="$LOG/$(echo "$name" | tr -c 'A-Za-z0-9.\n' '_').log"
	if "$@" >"$log" 2>&1; then result OK "$name"; else result FAIL "$name" "$log"; fi
}
elapsed() { echo "# $(($(date +%s) - t0))s: $*"; }
# failed_logs FILE: each failed case of FILE's TAP with the first lines
# of its own log: the comments just before its line (the kselftest
# harness logs a case before its result) and just after it (the shell
# tests comment after theirs).
failed_logs() {
	awk -v max=25 '
	function result(l) { return l ~ /^(# )?[ \t]*(not )?ok / }
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] !~ /^(# )?[ \t]*not ok /)
				continue
			print "--- " line[i]
			for (j = i - 1; j >= 1 && !result(line[j]); j--)
				;
			for (k = j + 1; k < i && k <= j + max; k++)
				print line[k]
			for (k = i + 1; k <= NR && !result(line[k]) && k <= i + max; k++)
				print line[k]
		}
	}' "$1" | sed 's/^/#   /'
}

# guest_tap NAME OUT RC: count the TAP lines of a guest's output, tagged
# [NAME]: run_guest.sh's own, each test's line from the kselftest runner,
# and the cases of each test (which the runner prefixes with "# ").
guest_tap() {
	local k=$1 out=$2 rc=$3 n_ok n_fail

	sed -En 's/^(# )?((not )?ok )/\2/p' "$out" | sed "s/^/[$k] /" >"$out.tap"
	cat "$out.tap"
	n_ok=$(grep -Ec '^\[[^]]*\] ok .*# SKIP' "$out.tap")
	skip=$((skip + n_ok))
	pass=$((pass + $(grep -Ec '^\[[^]]*\] ok ' "$out.tap") - n_ok))
	n_fail=$(grep -Ec '^\[[^]]*\] not ok ' "$out.tap")
	fail=$((fail + n_fail))
	if [ "$n_fail" -gt 0 ]; then
		failed_logs "$out" >"$out.failed"
		head -600 "$out.failed"
		# The head of each case's log again for the summary at the end.
		sed "s/^#   --- /--- [$k] /" "$out.failed" |
			awk '/^--- /{ n = 0 } n++ < 6' >>"$LOG/failed"
	fi
	if [ "$rc" -ne 0 ] || [ ! -s "$out.tap" ]; then
		result FAIL "[$k] guest ran to completion (status $rc)" "$out"
	fi
}

step "dependencies installed" scripts/deps.sh || true
elapsed "dependencies"

if [ -n "$STATIC" ]; then
	step "checkpatch --strict clean" scripts/static.sh checkpatch
	step "sparse clean (make C=1)" scripts/static.sh sparse
	elapsed "static checks"
fi

# The tests as kselftest installs them, run in each guest by the
# installed run_kselftest.sh (selftests/run_guest.sh).
KSFT=$top/build/selftests/kselftest
rm -rf "$KSFT"
step "selftests build and kselftest install" make -C selftests install INSTALL_PATH="$KSFT"
step "tools build (libxtcpize.so)" make -C tools/xtcpize
step "dkms build for 6.12 (build/dkms)" scripts/dkms-build.sh
# The debug kernel, if it is not cached, builds (about 12 minutes on 2
# cores) while the stock kernels are built for and tested.
debug_pid=
# Its result, with its build log for the failure report.
debug_kernel_ready() { wait "$debug_pid" && cat "$LOG/debug_kernel_build.log"; }
if [[ " $KERNELS " = *" debug "* ]]; then
	scripts/debug-kernel.sh >"$LOG/debug_kernel_build.log" 2>&1 &
	debug_pid=$!
fi
for k in $KERNELS; do
	[ "$k" = debug ] && continue
	step "module builds warning-free against $k" \
		scripts/build.sh "$(kernel_build_dir "$k")" "build/$k"
done
elapsed "builds"

# guest NAME KERNEL TIMEOUT RUN.SH-ARGS... -- CMD...: one guest run, its
# output in $LOG/guest-NAME.out and its status in .rc, counted later.
guest() {
	local name=$1 k=$2 tmo=$3 out=$LOG/guest-$1.out

	shift 3
	XTCP_VM_KEEP=$LOG/guest-$name scripts/vm/run.sh --kernel "$k" --timeout "$tmo" "$@" \
		>"$out" 2>&1
	echo $? >"$out.rc"
	echo "# $(($(date +%s) - t0))s: guest $name done"
}
# The guests run one after the other: the stock kernels (while the debug
# kernel, if it is not cached, builds), then the debug kernel.  Run side
# by side (a guest keeps only ~0.8 of a core busy) one 6.1 guest of two
# hung once with a vCPU that stopped taking interrupts (RCU stall, soft
# lockup in ftrace text patching), so they are not.  A passing guest
# takes 7 (stock) to 20 (debug) minutes on 2 cores, up to twice that on
# a loaded machine; the limits only guard against a hang, with room for
# a failed case to wait out its own limit and run_guest.sh's settle.
stock_lane() {
	local k

	for k in $KERNELS; do
		[ "$k" = debug ] && continue
		[ -e "build/$k/xtcp.ko" ] || continue
		guest "$k" "$k" 2400 -- selftests/run_guest.sh "build/$k" "$KSFT"
		# IPv6 disabled at boot: one short boot of 6.12.
		[ "$k" = 6.12 ] && guest noipv6 6.12 600 --append ipv6.disable=1 --smp 1 -- \
			selftests/xtcp_noipv6.sh build/6.12
	done
}
stock_lane
if [[ " $KERNELS " = *" debug "* ]]; then
	step "debug kernel available (cached or built)" debug_kernel_ready &&
		step "module builds warning-free against debug" \
			scripts/build.sh "$(kernel_build_dir debug)" build/debug
	elapsed "debug kernel"
	[ -e build/debug/xtcp.ko ] &&
		guest debug debug 3600 -- selftests/run_guest.sh build/debug "$KSFT"
fi
elapsed "guests"

# Each guest's TAP, in a fixed order.
for k in $KERNELS; do
	if [ ! -e "build/$k/xtcp.ko" ]; then
		result FAIL "[$k] no module to test"
		continue
	fi
	names=$k
	[ "$k" = 6.12 ] && names="6.12 noipv6"
	for n in $names; do
		out=$LOG/guest-$n.out
		tag=$n
		[ "$n" = noipv6 ] && tag="6.12 ipv6.disable=1"
		guest_tap "$tag" "$out" "$(cat "$out.rc" 2>/dev/null || echo 1)"
	done
done

echo "# logs in $LOG"
# CI shows the end of this output: the failures go last, just above the
# tally, each with the first lines of its own log.
if [ -s "$LOG/failed" ]; then
	echo "# FAILED, each with the first lines of its log:"
	head -60 "$LOG/failed"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
