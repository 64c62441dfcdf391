#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Memory per connection, xtcp against in-tree TCP in the same kernel.

idle:  N established pairs on lo; kernel slab memory (/proc/meminfo
       Slab) added per connection (two sockets), taken after a settle.
flood: a fake peer (selftests/xtcp_peerlib.py) sends 3000 in-order
       one-octet segments to a child nobody accepts; what the child's
       receive queue holds (SO_MEMINFO rmem_alloc) against its
       sk_rcvbuf, and the protocol's pages (sockstat "mem").
Run in the netns of selftests/xtcp_peer.sh (lo, d0 10.1.1.1/24).
Figures only: this is a benchmark, not a test.
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "selftests"))
import xtcp_peerlib as pl  # noqa: E402

XTCP = int(os.environ.get("XTCP_PROTO", "253"))
N_IDLE = int(os.environ.get("MEM_N", "300"))
SO_MEMINFO = 55


def slab_kb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("Slab:"):
                return int(line.split()[1])
    return 0


def pages(proto):
    """The protocol's charged pages (sockstat's "mem")."""
    path, key = (("/proc/net/sockstat", "TCP:") if proto == 6 else
                 ("/proc/net/xtcp_sockstat", "XTCP:"))
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    cols = line.split()
                    return int(cols[cols.index("mem") + 1])
    except OSError:             # a module without its sockstat file
        pass
    return -1


def idle(proto, port):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", port))
    lst.listen(N_IDLE)
    time.sleep(1)
    before = slab_kb()
    socks = []
    for _ in range(N_IDLE):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        c.connect(("127.0.0.1", port))
        s, _ = lst.accept()
        socks += [c, s]
    time.sleep(1)
    per = (slab_kb() - before) * 1024 / N_IDLE
    for s in socks:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    lst.close()
    return per


def flood(proto, port, n=3000):
    pl.P = proto
    lst = pl.xsock()
    lst.bind((pl.LOCAL, port))
    lst.listen(4)
    peer = pl.Peer(40000 + port % 1000, port)
    ack = pl.handshake(peer)
    time.sleep(0.2)
    base = pages(proto)
    for i in range(n):
        peer.send(pl.ACK | pl.PSH, 1001 + i, ack, data=b"x")
    time.sleep(1)
    c, _ = lst.accept()
    m = struct.unpack("9I", c.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))
    held = pages(proto) - base if base >= 0 else -1
    pl.abort(c)
    lst.close()
    return m[0], m[1], held


def main():
    print("memory per connection, loopback, %d idle pairs" % N_IDLE)
    for name, proto, port in (("TCP", 6, 7600), ("xtcp", XTCP, 7601)):
        print("  idle  %-4s: %6.0f slab bytes per connection (2 sockets)" %
              (name, idle(proto, port)))
    for name, proto, port in (("TCP", 6, 7602), ("xtcp", XTCP, 7603)):
        rmem, rcvbuf, held = flood(proto, port)
        print("  flood %-4s: 3000 one-octet segments: rmem_alloc %d of "
              "sk_rcvbuf %d, %d pages charged" % (name, rmem, rcvbuf, held))


if __name__ == "__main__":
    main()
