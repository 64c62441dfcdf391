#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Concurrency: forked server workers accept from one listener while
forked clients open connections in parallel, echo random payloads
(checked byte for byte), and close normally, half-close first, or abort
with RST.  Prints TAP.
"""
import os
import random
import socket
import struct
import sys
import time

P = int(os.environ.get("XTCP_PROTO", "253"))
WORKERS, CLIENTS = 4, 4
PER_CLIENT = int(os.environ.get("STRESS_N", "150"))
PORT = 7700


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            break
        buf += d
    return buf


def worker(lst):
    while True:
        try:
            c, _ = lst.accept()
        except OSError:
            os._exit(0)
        try:
            hdr = recv_exact(c, 4)
            if len(hdr) == 4:
                n = struct.unpack("!I", hdr)[0]
                c.sendall(recv_exact(c, n))
            c.close()
        except OSError:
            c.close()


def client(seed):
    rnd = random.Random(seed)
    bad = 0
    for i in range(PER_CLIENT):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
        s.settimeout(30)
        try:
            s.connect(("127.0.0.1", PORT))
            data = rnd.randbytes(rnd.choice((1, 100, 1500, 20000, 70000)))
            s.sendall(struct.pack("!I", len(data)) + data)
            how = rnd.randrange(3)
            if how == 1:
                s.shutdown(socket.SHUT_WR)
            if recv_exact(s, len(data)) != data:
                bad += 1
            if how == 2:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        except OSError as e:
            print("# client %d conn %d: %s" % (seed, i, e), flush=True)
            bad += 1
        s.close()
    os._exit(min(bad, 100))


lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, P)
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(("127.0.0.1", PORT))
lst.listen(64)
workers = []
for _ in range(WORKERS):
    pid = os.fork()
    if not pid:
        worker(lst)
    workers.append(pid)
clients = []
for n in range(CLIENTS):
    pid = os.fork()
    if not pid:
        client(n)
    clients.append(pid)
failures = 0
for pid in clients:
    _, status = os.waitpid(pid, 0)
    failures += os.waitstatus_to_exitcode(status)
lst.close()
for pid in workers:
    os.kill(pid, 15)
    os.waitpid(pid, 0)


def table_states():
    st = {}
    with open("/proc/net/xtcp") as f:
        next(f)
        for line in f:
            k = line.split()[3]
            st[k] = st.get(k, 0) + 1
    return st


# Closes still in flight finish within an RTO or two (1 s each before
# backoff, RFC 6298 2.1): poll for up to 30 s instead of guessing.
t0 = time.monotonic()
while True:
    states = table_states()
    if set(states) <= {"06"} or time.monotonic() - t0 > 30:
        break
    time.sleep(0.2)
print("TAP version 13")
with open("/proc/net/xtcp_stat") as f:
    print("# " + " ".join(l.strip() for l in f if not l.strip().endswith(" 0")))
print("1..2")
print("%s 1 %d parallel connections echoed intact, %d failed" %
      ("ok" if failures == 0 else "not ok", CLIENTS * PER_CLIENT, failures))
left = {k: v for k, v in states.items() if k not in ("06",)}
if left:
    with open("/proc/net/xtcp") as f:
        print("".join("# " + l for l in list(f)[1:] if l.split()[3] != "06")[:2000])
print("%s 2 afterwards only time-wait minisocks remain %s" %
      ("ok" if not left else "not ok", states))
sys.exit(0)
