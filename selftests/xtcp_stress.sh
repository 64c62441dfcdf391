#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Parallel connections on all CPUs (xtcp_stress.py) in a netns of its own.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
xtcp_isolate "$@"
python3 ./xtcp_stress.py
