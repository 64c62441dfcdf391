#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every xtcp selftest inside a test guest, as TAP on stdout.
#   run_guest.sh KO_DIR BIN_DIR
# KO_DIR holds xtcp.ko (and xtcp_kunit.ko on a kernel with KUnit);
# BIN_DIR the harness programs.  Never run this on a machine you work on:
# it loads and unloads kernel modules.
KO_DIR=$(cd "$1" && pwd) && XTCP_BIN=$(cd "$2" && pwd) || exit 1
export XTCP_KO=$KO_DIR/xtcp.ko XTCP_BIN
cd "$(dirname "$0")" || exit 1
. ./lib.sh
DBG=/sys/kernel/debug
mountpoint -q $DBG || mount -t debugfs none $DBG 2>/dev/null

echo "# kernel $(uname -r), proto $XTCP_PROTO"
echo "xtcp-selftests: start" >/dev/kmsg
# kmemleak scans once, at the end: its thread's scans every 10 minutes
# cost minutes of CPU under TCG.
[ -w $DBG/kmemleak ] && echo clear >$DBG/kmemleak && echo scan=off >$DBG/kmemleak

# settle FILE: once FILE is done the module must hold no socket, so
# that what one file leaves cannot fail the next.  Its processes are
# gone by then; an orphan (a closed socket whose data or FIN is still
# unacknowledged) gives up after 8 timeouts (XTCP_ORPHAN_RETRIES), about
# 0.2 s x (2^9 - 1) = 102 s from the lowest RTO.  Wait up to 150 s.
settle() {
	local n

	n=$(xtcp_refs)
	[ "$n" -eq 0 ] ||
		echo "# $1 left $n module references; waiting for them to close"
	if xtcp_await_refs 0 150 2>/dev/null; then
		ok "$1 leaves no xtcp socket behind"
	else
		not_ok "$1 leaves no xtcp socket behind: $(xtcp_refs) module references after 150 s"
	fi
}

# run_file FILE CMD...: FILE in a network namespace of its own (lo up,
# default sysctls, no time-wait minisocks of earlier files), entered
# with nsenter so that /sys and debugfs stay mounted; the namespace is
# deleted afterwards, which frees its time-wait minisocks.
run_file() {
	local f=$1 ns=xtcp-st-${1%.sh} t0

	shift
	echo "# selftest $f"
	if ! ip netns add "$ns" || ! ip -n "$ns" link set lo up; then
		not_ok "$f: a network namespace of its own"
		return
	fi
	t0=$SECONDS
	nsenter --net="/run/netns/$ns" "$@"
	echo "# $f took $((SECONDS - t0)) s"
	ip netns del "$ns"
	settle "$f"
}

# TAP of programs and scripts below is counted line by line by the host.
heavy_kernel && export XTCP_HEAVY=1 || export XTCP_HEAVY=0
echo "# heavy tier: $([ $XTCP_HEAVY = 1 ] && echo runs || echo skipped) on this kernel"
check "insmod xtcp.ko" insmod "$XTCP_KO" proto="$XTCP_PROTO"
for t in xtcp_socket xtcp_sockopt xtcp_inet6 xtcp_dualstack xtcp_wire6 xtcp_input xtcp_lifecycle xtcp_data xtcp_failnth \
	 xtcp_cgroup; do
	run_file "$t" "$XTCP_BIN/$t"
done
# The IPv6 passes of the family-generic programs (XTCP_FAMILY=6), their
# TAP names tagged; xtcp_data's where lib.sh's v6_pass says so.
V6TAG='s/^((not )?ok [0-9]+ )/\1[ipv6] /'
v6_tests=xtcp_lifecycle
v6_pass heavy && v6_tests="$v6_tests xtcp_data"
for t in $v6_tests; do
	run_file "$t-ipv6" bash -c 'XTCP_FAMILY=6 "$0" | sed -E "$1"; exit "${PIPESTATUS[0]}"' \
		"$XTCP_BIN/$t" "$V6TAG"
done
# The heavy tier (lib.sh's heavy_kernel) runs on one kernel; the others
# say where.  xtcp_dkms.sh goes last: xtcp_modload.sh's unload checks
# would find the installed module's alias.
# The debug kernel leaves out the sysctl and trace suites too: what
# they drive is the same code on every kernel, and the other suites run
# it under the sanitizers.
heavy="xtcp_xfer.sh xtcp_xtcpize.sh xtcp_apps.sh xtcp_dkms.sh"
stock="xtcp_sysctl.sh xtcp_trace.sh"
for t in xtcp_netns.sh xtcp_states.sh xtcp_peer.sh xtcp_hostile.sh xtcp_icmp.sh xtcp_sysctl.sh xtcp_trace.sh \
	 xtcp_stress.sh xtcp_fuzz.sh xtcp_xfer.sh xtcp_xtcpize.sh xtcp_apps.sh xtcp_modload.sh xtcp_dkms.sh; do
	if [[ " $heavy " = *" $t "* ]] && ! heavy_kernel; then
		ok "$t # SKIP heavy tier: runs on stock 6.12 (XTCP_HEAVY=1 runs it here)"
		continue
	fi
	if [[ " $stock " = *" $t "* ]] && debug_kernel && [ "$XTCP_HEAVY" != 1 ]; then
		ok "$t # SKIP on the debug kernel: runs on stock 6.1 and 6.12"
		continue
	fi
	run_file "$t" "./$t"
done

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
		 xtcp_bind; do
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
