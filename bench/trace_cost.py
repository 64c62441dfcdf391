#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What xtcp's tracepoints cost: the connect/request/response/close rate
and the 1-byte request/response rate with every xtcp:* event disabled,
then enabled (recording to the ftrace buffer), then disabled again.
Disabled tracepoints are static-key no-ops; the two "off" runs bound the
noise.  Figures only.  Run in a guest with xtcp loaded."""
import os

import crr

T = "/sys/kernel/tracing"


def events(on):
    with open(T + "/events/xtcp/enable", "w") as f:
        f.write("1" if on else "0")
    with open(T + "/trace", "w") as f:
        f.write("")


def main():
    if not os.path.isdir(T + "/events"):
        os.system("mount -t tracefs none " + T)
    xp = int(os.environ.get("XTCP_PROTO", "253"))
    print("%-28s %12s %12s %12s" % ("xtcp tracepoints", "off", "on", "off"))
    for mode, port, label in (("crr", 9300, "connect/req/resp/close per s"),
                              ("rr", 9400, "1-byte req/resp per s")):
        rates = []
        for i, on in enumerate((False, True, False)):
            events(on)
            rates.append(crr.run(xp, port + i, mode))
        events(False)
        print("%-28s %12.0f %12.0f %12.0f" % (label, *rates))


if __name__ == "__main__":
    main()
