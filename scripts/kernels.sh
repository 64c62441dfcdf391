#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernels xtcp is built and tested for (sourced by other scripts).
#   6.12:  Debian 12's linux-image-6.12.107+deb12-amd64
#   6.1:   Debian 12's linux-image-amd64 (6.1.0-N-amd64)
#   debug: 6.12 from linux-source-6.12 with KUnit and sanitizers

XTCP_K612=6.12.107+deb12-amd64

xtcp_k61() {
	local v
	v=$(ls -d /lib/modules/6.1.0-*-amd64/build 2>/dev/null | sort -V | tail -1)
	v=${v%/build}
	echo "${v#/lib/modules/}"
}

# kernel_build_dir NAME: the tree external modules are built against.
kernel_build_dir() {
	case $1 in
	6.12) echo "/lib/modules/$XTCP_K612/build" ;;
	6.1) echo "/lib/modules/$(xtcp_k61)/build" ;;
	debug) "$(dirname "${BASH_SOURCE[0]}")/debug-kernel.sh" ;;
	*) echo "unknown kernel $1" >&2; return 1 ;;
	esac
}
