#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile-peer tests (xtcp_hostile.py), in the same netns set-up as
# xtcp_peer.sh.
exec "$(dirname "$0")/xtcp_peer.sh" xtcp_hostile.py 4
