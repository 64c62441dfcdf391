#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every xtcp selftest inside a test guest, as TAP on stdout.
#   run_guest.sh KO_DIR KSFT_DIR
# KO_DIR holds xtcp.ko (and xtcp_kunit.ko on a kernel with KUnit);
# KSFT_DIR the tests as make -C selftests install INSTALL_PATH=KSFT_DIR
# puts them.  Never run this on a machine you work on: it loads and
# unloads kernel modules.
KO_DIR=$(cd "$1" && pwd) && KSFT_DIR=$(cd "$2" && pwd) || exit 1
export XTCP_KO=$KO_DIR/xtcp.ko
cd "$(dirname "$0")" || exit 1
. ./lib.sh
DBG=/sys/kernel/debug
mountpoint -q $DBG || mount -t debugfs none $DBG 2>/dev/null

echo "# kernel $(uname -r), proto $XTCP_PROTO"
echo "xtcp-selftests: start" >/dev/kmsg
# kmemleak scans once, at the end: its thread's scans every 10 minutes
# cost minutes of CPU under TCG.
[ -w $DBG/kmemleak ] && echo clear >$DBG/kmemleak && echo scan=off >$DBG/kmemleak

# The tests, through the kernel's kselftest runner as installed by
# make -C selftests install (KSFT_DIR); each isolates itself (lib.sh's
# xtcp_isolate) and skips itself where it does not run (the heavy tier
# on stock 6.12 only: lib.sh's heavy_kernel).  The host counts the TAP
# lines of each test (one "# " deep) and each test's own line.
check "insmod xtcp.ko" insmod "$XTCP_KO" proto="$XTCP_PROTO"
"$KSFT_DIR/run_kselftest.sh" -c xtcp
# The other ways in: the list, one test by name, and make run_tests.
n_tests=$(grep -c '^xtcp:' "$KSFT_DIR/kselftest-list.txt")
check "run_kselftest.sh -l lists the $n_tests xtcp tests" \
	test "$("$KSFT_DIR/run_kselftest.sh" -l | grep -c '^xtcp:xtcp_')" -eq "$n_tests" -a "$n_tests" -gt 20
by_name() {
	local out

	out=$("$@" 2>&1)
	printf '%s\n' "$out" | grep -E '^(not )?ok |^1\.\.' | sed 's/^/  /'
	printf '%s\n' "$out" | grep -qx '1\.\.1' &&
		printf '%s\n' "$out" | grep -qx 'ok 1 selftests: xtcp: xtcp_socket'
}
check "run_kselftest.sh -t xtcp:xtcp_socket runs that test alone, and it passes" \
	by_name "$KSFT_DIR/run_kselftest.sh" -t xtcp:xtcp_socket
check "make -C selftests run_tests KSFT_ARGS=\"-t xtcp:xtcp_socket\" does the same" \
	by_name make -s -C . run_tests KSFT_ARGS="-t xtcp:xtcp_socket"

# KUnit: each case of each suite becomes one line.
kunit() {
	local suite=$1 f=$DBG/kunit/$1/results
	[ -r "$f" ] || { not_ok "kunit $suite: no results"; return; }
	sed 's/^/# /' "$f"
	grep -E '^[[:space:]]+(not )?ok [0-9]+ ' "$f" | while read -r line; do
		case $line in
		"not ok"*) echo "not ok - kunit $suite.${line#not ok * }" ;;
		*) echo "ok - kunit $suite.${line#ok * }" ;;
		esac
	done
	grep -qE "^ok [0-9]+ $suite\$" "$f" || not_ok "kunit suite $suite"
}
if [ -e "$KO_DIR/xtcp_kunit.ko" ] && [ -d $DBG/kunit ]; then
	check "insmod xtcp_kunit.ko" insmod "$KO_DIR/xtcp_kunit.ko"
	for s in xtcp_seq xtcp_wire xtcp_cookie xtcp_state xtcp_isn xtcp_rtt \
		 xtcp_cong xtcp_options xtcp_window xtcp_ofo xtcp_sack xtcp_reqsk xtcp_tlp \
		 xtcp_bind xtcp_autotune xtcp_cubic; do
		kunit $s
	done
	rmmod xtcp_kunit
fi

check "rmmod xtcp" rmmod xtcp

# kmemleak reports objects unreferenced for 5 s or more.  A leak whose
# allocation backtrace passes through xtcp fails: a frame named xtcp, or
# a bare module address (the module is unloaded by now, and the debug
# kernel has no other modules).  Others, the kernel's own, are shown:
# they are no verdict on xtcp.
if [ -w $DBG/kmemleak ]; then
	sleep 6
	echo scan >$DBG/kmemleak
	echo scan >$DBG/kmemleak
	leaks=$(cat $DBG/kmemleak)
	ours=$(printf '%s\n' "$leaks" | awk '
		function ours(r) { return r ~ /xtcp|\] 0xffffffffc/ }
		/^unreferenced object/ { if (ours(rec)) print rec; rec = "" }
		{ rec = rec $0 "\n" }
		END { if (ours(rec)) printf "%s", rec }')
	check "kmemleak: no suspected leak allocated through xtcp" test -z "$ours"
	[ -z "$ours" ] || printf '%s\n' "$ours" | head -60 | sed 's/^/# /'
	[ -z "$leaks" ] || [ -n "$ours" ] ||
		printf '%s\n' "$leaks" | head -30 | sed 's/^/# not xtcp: /'
fi

# Sanitizer, lockdep and WARN reports since the start marker.
reports=$(dmesg | sed -n '/xtcp-selftests: start/,$p' |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|possible circular locking|possible recursive locking|suspected memory leak|Call Trace' || true)
check "dmesg: no BUG/WARNING/KASAN/UBSAN/lockdep report" test -z "$reports"
[ -z "$reports" ] || dmesg | sed -n '/xtcp-selftests: start/,$p' | tail -80 | sed 's/^/# /'
exit 0
