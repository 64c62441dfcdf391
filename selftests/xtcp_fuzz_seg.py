#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Segment fuzzer: a fake peer (xtcp_peerlib.py) sends mutated segments
to a listener and to connections brought to each state of RFC 9293
3.3.2: flags, sequence and acknowledgment numbers around the ones
expected, windows, options with bad lengths, SACK blocks, timestamps,
data offsets, truncation, bad checksums; and ICMP errors that quote
the connection.  The peer tracks what xtcp answers, so later segments
stay near the connection's real numbers.

    XTCP_FUZZ_SEED=S [XTCP_FUZZ_ROUNDS=N] xtcp_fuzz_seg.py

The same seed sends the same mutations (only xtcp's own ISNs and
timestamps differ), so a failure reproduces.  The verdict: every round
ran, a connection on lo that was not attacked moved each chunk
byte-exact, and nothing but time-wait minisocks is left.  xtcp_fuzz.sh
then checks dmesg for KASAN, lockdep and UBSAN reports.  Run in the
netns of xtcp_peer.sh.  Prints TAP.
"""
import os
import random
import socket
import time

from xtcp_peerlib import *  # noqa: F401,F403

URG, ECE, CWR = 0x20, 0x40, 0x80
FLAGS = [ACK, ACK, ACK | PSH, ACK | PSH, SYN, SYN | ACK, FIN | ACK, RST,
         RST | ACK, FIN, SYN | FIN, SYN | RST, 0, ACK | URG, ACK | ECE | CWR,
         FIN | PSH | ACK, SYN | ECE | CWR]
SEQ_STEPS = [0, 0, 0, 0, 1, -1, 1000, -1000, 65535, -65536, 1 << 31]
ACK_STEPS = [0, 0, 0, 0, 1, -1, 1460, 2920, -2920, 1 << 30, 1 << 31]
PORT0 = 7400
rng = None
stats = {"sent": 0, "replies": 0, "rst": 0, "errors": 0}


class Target:
    """What one round fuzzes: the peer, xtcp's listener and socket (None
    once closed), and the numbers the peer expects to use next: SEQ is
    xtcp's RCV.NXT, ACK its SND.NXT, as xtcp's replies show them."""

    def __init__(self, name, peer, lst=None, sock=None, seq=0, ack=0):
        self.name, self.peer, self.lst, self.sock = name, peer, lst, sock
        self.lport = peer.dport
        self.seq, self.ack = seq, ack
        self.tsval = 1

    def heard(self, r):
        """Learn from a reply: its ACK is RCV.NXT, its end SND.NXT."""
        stats["replies"] += 1
        if r["flags"] & RST:
            stats["rst"] += 1
            return
        if r["flags"] & ACK:
            self.seq = r["ack"]
        self.ack = (r["seq"] + len(r["data"]) +
                    (1 if r["flags"] & (SYN | FIN) else 0)) & 0xffffffff

    def await_fin(self, secs=10):
        """Read answers until xtcp's FIN, so SND.NXT counts it, however
        slow the guest: a bound no FIN sent at once comes near."""
        end = time.monotonic() + secs
        while time.monotonic() < end:
            r = self.peer.recv(max(0.0, end - time.monotonic()))
            if not r:
                break
            self.heard(r)
            if r["flags"] & FIN:
                break
        self.listen(0.01)

    def listen(self, timeout):
        r = self.peer.recv(timeout)
        while r:
            self.heard(r)
            r = self.peer.recv(0.001)


def pick(base, steps):
    if rng.random() < 0.05:
        return rng.getrandbits(32)
    return (base + rng.choice(steps) + rng.randint(-2, 2) *
            (rng.random() < 0.3)) & 0xffffffff


def bad_len():
    return rng.choice([0, 1, 2, 3, 5, 9, 11, 39, 40, 255])


def option(t):
    """One option, well formed or not (RFC 9293 3.1, 7323, 2018)."""
    k = rng.randrange(12)
    if k == 0:
        return struct.pack("!BBH", 2, 4, rng.choice([0, 1, 47, 48, 536, 1460,
                                                     65535]))
    if k == 1:
        return struct.pack("!BBB", 3, 3, rng.choice([0, 7, 14, 15, 255]))
    if k == 2:
        return b"\x04\x02"
    if k in (3, 4):
        blocks = []
        for _ in range(rng.randint(0, 4)):
            a = (t.ack + rng.randint(-4000, 4000)) & 0xffffffff
            blocks.append((a, (a + rng.randint(-100, 3000)) & 0xffffffff))
        return bytes([5, 2 + 8 * len(blocks)]) + b"".join(
            struct.pack("!II", a, b) for a, b in blocks)
    if k in (5, 6):
        t.tsval += rng.choice([0, 1, 1, 1000, -5, 1 << 31])
        return struct.pack("!BBII", 8, 10, t.tsval & 0xffffffff,
                           rng.choice([0, rng.getrandbits(32)]))
    if k == 7:
        return b"\x01"
    if k == 8:
        return b"\x00"
    if k == 9:                       # a known kind with a bad length
        kind = rng.choice([2, 3, 4, 5, 8])
        n = bad_len()
        return bytes([kind, n]) + rng.randbytes(min(max(n - 2, 0), 38))
    if k == 10:
        return bytes([kind_unknown(), bad_len()])
    n = rng.randint(2, 12)
    return bytes([kind_unknown(), n]) + rng.randbytes(n - 2)


def kind_unknown():
    return rng.choice([6, 7, 9, 19, 28, 29, 30, 34, 253, 254, 255])


def options(t):
    o = b"".join(option(t) for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])))
    o = o[:40]
    return o + b"\x00" * (-len(o) % 4)


def mutant(t):
    """One mutated segment, as octets from the TCP header on."""
    sport, dport = t.peer.sport, t.peer.dport
    if rng.random() < 0.03:
        sport = rng.getrandbits(16)
    if rng.random() < 0.03:
        dport = rng.getrandbits(16)
    flags = rng.choice(FLAGS) if rng.random() < 0.85 else rng.getrandbits(8)
    opts = options(t)
    n = rng.choice([0, 0, 0, 1, 10, 100, 536, 1460, rng.randint(1, 2000)])
    doff = (20 + len(opts)) // 4
    if rng.random() < 0.08:
        doff = rng.randrange(16)
    res = rng.getrandbits(4) if rng.random() < 0.05 else 0
    hdr = struct.pack("!HHIIBBHHH", sport, dport, pick(t.seq, SEQ_STEPS),
                      pick(t.ack, ACK_STEPS), doff << 4 | res, flags,
                      rng.choice([0, 1, 512, 65535, rng.getrandbits(16)]), 0,
                      rng.getrandbits(16) if flags & URG else 0)
    seg = hdr + opts + rng.randbytes(n)
    if rng.random() < 0.05:
        seg = seg[:rng.randint(0, len(seg))]
    return seg


def icmp(t):
    """An ICMP error about the connection (xtcp_icmp.c): any type and
    code, the quoted sequence number near SND.NXT or anywhere, the quote
    cut short or behind IP options."""
    type_ = rng.choice([3, 3, 3, 11, 12, 4, 5, rng.randrange(256)])
    code = rng.choice([0, 1, 2, 3, 4, 13, rng.randrange(256)])
    seq = t.ack + pick(0, [0, 0, -1, 1, -1000, 1 << 31])
    t.peer.send_icmp(type_, code, seq, info=rng.choice([0, 68, 576, 1280]),
                     quote=rng.choice([8, 8, 8, 4, 0]),
                     ihl=rng.choice([5, 5, 5, 6, 15]))


def valid(t):
    """An in-order segment that moves the connection on."""
    flags = rng.choice([ACK, ACK | PSH, ACK | PSH, FIN | ACK])
    data = rng.randbytes(rng.choice([0, 1, 100, 1000]))
    opts = ts_opt(t.tsval & 0xffffffff) if rng.random() < 0.5 else b""
    t.peer.send(flags, t.seq, t.ack, data=data, opts=opts)


def poke(t):
    """What xtcp's user might do meanwhile."""
    s = t.sock
    if s is None:
        return
    try:
        a = rng.randrange(10)
        if a < 4:
            recv_now(s, 65536)
        elif a < 7:
            s.setblocking(False)
            s.send(rng.randbytes(rng.choice([1, 100, 3000])))
        elif a == 7:
            s.shutdown(rng.choice([socket.SHUT_RD, socket.SHUT_WR]))
        elif a == 8:
            s.getsockopt(socket.IPPROTO_TCP, 11, 232)       # TCP_INFO
    except OSError:
        stats["errors"] += 1
    finally:
        s.setblocking(True)


# Bring a new connection to a state.  Each returns its Target.
def est(port, sport):
    lst, c, peer, seq, ack = passive_open(port, sport)
    return Target("ESTABLISHED", peer, lst, c, seq, ack)


def s_listen(port, sport):
    lst = xsock()
    lst.bind((LOCAL, port))
    lst.listen(8)
    return Target("LISTEN", Peer(sport, port), lst, None,
                  rng.getrandbits(32), rng.getrandbits(32))


def s_syn_recv(port, sport):
    t = s_listen(port, sport)
    t.name = "SYN_RECV"
    t.peer.send(SYN, 1000, opts=MSS_OPT + SACKPERM_OPT + ts_opt(1))
    t.seq = 1001
    t.listen(3.0)
    return t


def s_est_inflight(port, sport):
    t = est(port, sport)
    t.name = "ESTABLISHED, data in flight"
    t.sock.send(b"d" * 4000)
    t.listen(0.2)
    t.ack -= 4000                   # nothing of it acknowledged yet
    return t


def s_close_wait(port, sport):
    t = est(port, sport)
    t.name = "CLOSE_WAIT"
    t.peer.send(FIN | ACK, t.seq, t.ack)
    t.listen(0.3)
    return t


def s_last_ack(port, sport):
    t = s_close_wait(port, sport)
    t.name = "LAST_ACK (orphan)"
    t.sock.close()
    t.sock = None
    t.await_fin()
    t.ack -= 1
    return t


def s_fin_wait1(port, sport):
    t = est(port, sport)
    t.name = "FIN_WAIT1"
    t.sock.shutdown(socket.SHUT_WR)
    t.await_fin()
    t.ack -= 1
    return t


def s_fin_wait2(port, sport):
    t = s_fin_wait1(port, sport)
    t.name = "FIN_WAIT2"
    t.peer.send(ACK, t.seq, t.ack + 1)
    t.ack += 1
    return t


def s_closing(port, sport):
    t = s_fin_wait1(port, sport)
    t.name = "CLOSING"
    t.peer.send(FIN | ACK, t.seq, t.ack)
    t.listen(0.3)
    return t


def s_time_wait(port, sport):
    t = s_fin_wait2(port, sport)
    t.name = "TIME_WAIT"
    t.peer.send(FIN | ACK, t.seq, t.ack)
    t.listen(0.3)
    return t


def s_orphan_fin_wait2(port, sport):
    t = est(port, sport)
    t.name = "FIN_WAIT2 (orphan)"
    t.sock.close()
    t.sock = None
    t.await_fin()
    t.peer.send(ACK, t.seq, t.ack)
    return t


def s_syn_sent(port, sport):
    """xtcp connects to the peer; the peer answers (or not) as it likes."""
    c = xsock()
    c.bind((LOCAL, sport))
    c.setblocking(False)
    try:
        c.connect((PEER, port))
    except BlockingIOError:
        pass
    c.setblocking(True)
    t = Target("SYN_SENT", Peer(port, sport), None, c, rng.getrandbits(32), 0)
    syn = t.peer.recv()
    assert syn and syn["flags"] == SYN, syn
    t.ack = syn["seq"] + 1
    return t


STATES = [s_listen, s_syn_recv, est, s_est_inflight, s_close_wait, s_last_ack,
          s_fin_wait1, s_fin_wait2, s_closing, s_time_wait, s_orphan_fin_wait2,
          s_syn_sent]


def cleanup(t):
    """Reset what is left of the round's connection: the socket with
    SO_LINGER 0; an orphan with a RST at the RCV.NXT it last showed."""
    if t.sock is not None:
        abort(t.sock)
    if t.lst is not None:
        t.lst.close()
    for seq in (t.seq, t.seq + 1):
        t.peer.send(RST, seq)
    t.peer.close()


def witness_pair():
    lst = xsock()
    lst.bind(("127.0.0.1", PORT0 - 1))
    lst.listen(1)
    c = xsock()
    c.connect(("127.0.0.1", PORT0 - 1))
    s, _ = lst.accept()
    lst.close()
    for x in (c, s):
        x.settimeout(30)
    return c, s


def witness_moves(c, s, r):
    """One chunk from @c to @s on lo, byte-exact."""
    chunk = r.randbytes(4096)
    c.sendall(chunk)
    got = b""
    while len(got) < len(chunk):
        b = s.recv(len(chunk) - len(got))
        if not b:
            break
        got += b
    return got == chunk


def left_on_fuzzed_ports(rounds):
    out = []
    with open("/proc/net/xtcp") as f:
        next(f)
        for line in f:
            cols = line.split()
            port = int(cols[1].split(":")[1], 16)
            state = ST.get(cols[3], cols[3])
            if PORT0 <= port < PORT0 + 2 * rounds + 2 and state != "TIME_WAIT":
                out.append("%d %s" % (port, state))
    return out


def main():
    global rng
    seed = int(os.environ.get("XTCP_FUZZ_SEED", "1"))
    rounds = int(os.environ.get("XTCP_FUZZ_ROUNDS", 3 * len(STATES)))
    per_round = 40
    rng = random.Random(seed)
    print("# segment fuzzer: seed %d, %d rounds of %d segments" %
          (seed, rounds, per_round))
    # Orphans left by a round give up after one retransmission, and a
    # FIN_WAIT2 orphan after 2 s, so the end check waits seconds, not
    # minutes; this netns is the fuzzer's own.
    for name, val in (("orphan_retries", 1), ("fin_timeout", 2)):
        try:
            set_sysctl(name, val)
        except OSError as e:        # an older module: the end waits longer
            print("# net.xtcp.%s: %r" % (name, e))
    wc, ws = witness_pair()
    wrng = random.Random(seed)
    moved, setups, failed_setups = 0, {}, []
    for i in range(rounds):
        state = STATES[i % len(STATES)]
        port, sport = PORT0 + 2 * i, PORT0 + 2 * i + 1
        try:
            t = state(port, sport)
        except Exception as e:        # noqa: BLE001: a state not reached
            failed_setups.append("%s: %r" % (state.__name__, e))
            continue
        want = t.name.split()[0].rstrip(",")
        t1 = time.monotonic() + 10      # the peer's last segment is in
        while want not in proc_states(t.lport) and time.monotonic() < t1:
            time.sleep(0.02)
        if want not in proc_states(t.lport):
            failed_setups.append("%s: %s" % (want, proc_states(t.lport)))
        setups[t.name] = setups.get(t.name, 0) + 1
        for _ in range(per_round):
            if rng.random() < 0.25:
                valid(t)
            elif rng.random() < 0.1:
                icmp(t)
            else:
                t.peer.send_seg(mutant(t), bad_csum=rng.random() < 0.05)
            stats["sent"] += 1
            if rng.random() < 0.15:
                poke(t)
            t.listen(0.01)
        cleanup(t)
        moved += witness_moves(wc, ws, wrng)
    check("seed %d: each of %d rounds reached its state" % (seed, rounds),
          not failed_setups, failed_setups[:3])
    print("# states fuzzed: %s" % ", ".join("%s x%d" % kv for kv in
                                              sorted(setups.items())))
    print("# %(sent)d segments sent, %(replies)d answers (%(rst)d RST), "
          "%(errors)d socket calls failed" % stats)
    check("a connection on lo that was not attacked moved all %d chunks "
          "byte-exact" % rounds, moved == rounds, "%d of %d" % (moved, rounds))
    abort(wc)
    abort(ws)
    # Orphans: 1 retry from an RTO of at most a few seconds; 60 s is
    # ten times that.
    t0 = time.monotonic()
    while left_on_fuzzed_ports(rounds) and time.monotonic() - t0 < 60:
        time.sleep(0.2)
    left = left_on_fuzzed_ports(rounds)
    check("nothing but time-wait minisocks is left on the fuzzed ports",
          not left, left[:5])


if __name__ == "__main__":
    run([main])
