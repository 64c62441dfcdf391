#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Connection benchmarks, xtcp against in-tree TCP in the same kernel.

crr: connect, 1-byte request, 1-byte response, close; connections/s.
rr:  1-byte request/response on one connection; transactions/s.
Figures only: this is a benchmark, not a test.
"""
import os
import socket
import sys
import threading
import time

N_CRR = int(os.environ.get("CRR_N", "2000"))
N_RR = int(os.environ.get("RR_N", "20000"))


def server(proto, port, ready, mode):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(128)
    ready.set()
    if mode == "rr":
        c, _ = s.accept()
        while c.recv(1):
            c.send(b"r")
        c.close()
    else:
        for _ in range(N_CRR):
            c, _ = s.accept()
            c.recv(1)
            c.send(b"r")
            c.close()
    s.close()


def run(proto, port, mode):
    ready = threading.Event()
    t = threading.Thread(target=server, args=(proto, port, ready, mode))
    t.start()
    ready.wait()
    start = time.perf_counter()
    if mode == "rr":
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.connect(("127.0.0.1", port))
        for _ in range(N_RR):
            c.send(b"q")
            c.recv(1)
        c.close()
        n = N_RR
    else:
        for _ in range(N_CRR):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
            c.connect(("127.0.0.1", port))
            c.send(b"q")
            c.recv(1)
            c.close()
        n = N_CRR
    elapsed = time.perf_counter() - start
    t.join()
    return n / elapsed


def slab(name):
    try:
        with open("/sys/kernel/slab/%s/slab_size" % name) as f:
            return int(f.read())
    except OSError:
        return None


def main():
    xp = int(os.environ.get("XTCP_PROTO", "253"))
    rows = []
    for mode, port in (("crr", 9100), ("rr", 9200)):
        tcp = run(6, port, mode)
        xt = run(xp, port + 1, mode)
        rows.append((mode, tcp, xt))

    print("%-28s %12s %12s %8s" % ("benchmark (loopback)", "TCP", "xtcp", "ratio"))
    for mode, tcp, xt in rows:
        label = {"crr": "connect/req/resp/close per s",
                 "rr": "1-byte req/resp per s"}[mode]
        print("%-28s %12.0f %12.0f %8.2f" % (label, tcp, xt, xt / tcp))
    print()
    print("%-28s %12s %12s" % ("slab bytes per object", "TCP", "xtcp"))
    for label, t, x in (("TIME_WAIT entry", "tw_sock_TCP", "xtcp_tw_sock"),
                        ("request minisock", "request_sock_TCP",
                         "xtcp_request_sock"),
                        ("established socket", "TCP", "XTCP")):
        print("%-28s %12s %12s" % (label, slab(t), slab(x)))


if __name__ == "__main__":
    main()
