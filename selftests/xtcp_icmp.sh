#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMP error tests (xtcp_icmp.py), in the same netns set-up as
# xtcp_peer.sh.
exec "$(dirname "$0")/xtcp_peer.sh" xtcp_icmp.py
