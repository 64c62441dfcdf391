#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse from the cache) the debug 6.12 kernel for the test VM:
# Debian's linux-source-6.12 configured with allnoconfig + kvm_guest.config +
# scripts/vm/debug-kernel.config (KUnit, KASAN, lockdep, kmemleak, UBSAN, ...).
#
# Usage: scripts/debug-kernel.sh [--print-key]
#   Prints only the absolute path of the build (obj) directory on stdout; the
#   kernel image is <obj>/arch/x86/boot/bzImage and external modules build with
#   `make -C <obj> M=<dir> modules`. Logs go to stderr and <cache>/build.log.
#   --print-key prints only the cache key.
# Env: XTCP_CACHE (default ~/.cache/xtcp), XTCP_JOBS (default: nproc).
set -euo pipefail

# Bump when the build steps below change in a way that changes the result.
VERSION=1

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FRAGMENT=$HERE/vm/debug-kernel.config
TARBALL=/usr/src/linux-source-6.12.tar.xz
SRCPKG=linux-source-6.12
CACHE=${XTCP_CACHE:-$HOME/.cache/xtcp}
JOBS=${XTCP_JOBS:-$(nproc)}

# Options whose absence makes the kernel useless for xtcp's tests.
REQUIRED=(KUNIT KASAN PROVE_LOCKING DEBUG_KMEMLEAK UBSAN NET_NS VETH 9P_FS
	OVERLAY_FS PROC_SYSCTL SYSCTL)

log() { echo "debug-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

srcver() { dpkg-query -W -f='${Version}' "$SRCPKG" 2>/dev/null; }

key() {
	local ver
	ver=$(srcver) || die "$SRCPKG is not installed (run scripts/deps.sh)"
	{
		echo "xtcp-debug-kernel v$VERSION"
		echo "$ver"
		cat "$FRAGMENT"
	} | sha256sum | cut -c1-16
}

case "${1:-}" in
--print-key) key; exit 0 ;;
"") ;;
*) echo "usage: $0 [--print-key]" >&2; exit 2 ;;
esac

[ -r "$FRAGMENT" ] || die "missing $FRAGMENT"
[ -r "$TARBALL" ] || die "missing $TARBALL (apt-get install $SRCPKG)"

K=$(key)
DIR=$CACHE/kernel-$K
SRC=$DIR/src
OBJ=$DIR/obj
LOG=$DIR/build.log
STAMP=$DIR/.done

if [ -e "$STAMP" ] && [ -e "$OBJ/arch/x86/boot/bzImage" ]; then
	echo "$OBJ"
	exit 0
fi

mkdir -p "$DIR"
# One builder at a time per key (e.g. two test runs starting together).
exec 9>"$DIR/.lock"
if ! flock -n 9; then
	log "another build of $DIR is running; waiting for it"
	flock 9
fi
if [ -e "$STAMP" ] && [ -e "$OBJ/arch/x86/boot/bzImage" ]; then
	echo "$OBJ"
	exit 0
fi

# Keep the environment from redirecting or cross-compiling the build.
unset KBUILD_OUTPUT KCONFIG_CONFIG ARCH CROSS_COMPILE O M W C LLVM CC
export KBUILD_BUILD_USER=xtcp KBUILD_BUILD_HOST=testvm

start=$(date +%s)
log "building debug kernel in $DIR (log: $LOG); ~15 min on 2 cores"
: >"$LOG"

if [ ! -e "$SRC/.xtcp-untarred" ]; then
	log "unpacking $TARBALL"
	rm -rf "$SRC" "$OBJ"
	mkdir -p "$SRC"
	tar -C "$SRC" --strip-components=1 -xJf "$TARBALL"
	touch "$SRC/.xtcp-untarred"
fi

run() {
	if ! "$@" >>"$LOG" 2>&1; then
		log "failed: $*"
		tail -n 40 "$LOG" >&2
		exit 1
	fi
}

log "configuring"
mkdir -p "$OBJ"
# -n: allnoconfig as the base. Writes $OBJ/.config.
(cd "$SRC" && run scripts/kconfig/merge_config.sh -n -O "$OBJ" \
	kernel/configs/kvm_guest.config "$FRAGMENT")
run make -C "$SRC" O="$OBJ" olddefconfig

# Check that every option of the fragment survived olddefconfig.
fail=0
while IFS= read -r line; do
	name="" want=""
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		name=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		name=${BASH_REMATCH[1]} want=n
	else
		continue
	fi
	got=$(sed -n "s/^$name=//p" "$OBJ/.config")
	[ -n "$got" ] || got=n
	[ "$got" = "$want" ] && continue
	log "warning: $name: fragment wants $want, .config has $got"
done <"$FRAGMENT"
for opt in "${REQUIRED[@]}"; do
	if ! grep -qx "CONFIG_$opt=y" "$OBJ/.config"; then
		log "error: CONFIG_$opt is not =y in $OBJ/.config"
		fail=1
	fi
done
[ "$fail" = 0 ] || exit 1

log "compiling with -j$JOBS"
run make -C "$SRC" O="$OBJ" -j"$JOBS"
[ -e "$OBJ/arch/x86/boot/bzImage" ] || die "no bzImage after the build"
[ -e "$OBJ/Module.symvers" ] || die "no Module.symvers after the build"

touch "$STAMP"
log "done in $(($(date +%s) - start)) s: $OBJ"
echo "$OBJ"
