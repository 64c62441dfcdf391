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


def proc_lines(chunk):
    """/proc/net/xtcp read @chunk octets at a time, without its header."""
    fd = os.open("/proc/net/xtcp", os.O_RDONLY)
    out = b""
    while True:
        d = os.read(fd, chunk)
        if not d:
            break
        out += d
    os.close(fd)
    return out.decode().splitlines()[1:]


def sockstat_tw():
    with open("/proc/net/xtcp_sockstat") as f:
        w = f.readline().split()
    return int(w[w.index("tw") + 1])


# The time-wait minisocks left make a table of hundreds of lines: read
# in 100-octet pieces, each read() resumes the walk where the last one
# stopped; it must give each line once, the same as one large read.
tw0 = sockstat_tw()
small, large = proc_lines(100), proc_lines(1 << 20)
tw1 = sockstat_tw()
keys = [tuple(l.split()[1:3]) for l in small]
n_tw = sum(1 for l in small if l.split()[5].startswith("03:"))
read_ok = (tw0 == tw1 and len(set(keys)) == len(keys) == len(large) and
           set(keys) == set(tuple(l.split()[1:3]) for l in large) and
           n_tw == tw0 and tw0 >= 100)

print("TAP version 13")
with open("/proc/net/xtcp_stat") as f:
    print("# " + " ".join(l.strip() for l in f if not l.strip().endswith(" 0")))
print("1..3")
print("%s 1 %d parallel connections echoed intact, %d failed" %
      ("ok" if failures == 0 else "not ok", CLIENTS * PER_CLIENT, failures))
left = {k: v for k, v in states.items() if k not in ("06",)}
if left:
    with open("/proc/net/xtcp") as f:
        print("".join("# " + l for l in list(f)[1:] if l.split()[3] != "06")[:2000])
print("%s 2 afterwards only time-wait minisocks remain %s" %
      ("ok" if not left else "not ok", states))
print("%s 3 /proc/net/xtcp read 100 octets at a time: %d lines, each once, "
      "as one read gives; %d time-wait minisocks as xtcp_sockstat counts" %
      ("ok" if read_ok else "not ok", len(small), n_tw))
if not read_ok:
    print("# sockstat tw %d then %d; %d lines in pieces, %d distinct; %d in one read"
          % (tw0, tw1, len(small), len(set(keys)), len(large)))
sys.exit(0)
