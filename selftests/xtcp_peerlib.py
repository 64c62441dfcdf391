#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The scripted peer's library: a fake host that sends crafted segments
and reads the replies off the wire, option builders and parsers, /proc
readers, and a TAP runner.  Scenario files (xtcp_peer.py,
xtcp_hostile.py) import it.

Run inside a netns prepared by xtcp_peer.sh: lo up, dummy device d0 with
10.1.1.1/24 and fd00:1::1/64.  The peer is 10.1.1.2 (fd00:1::2 with
XTCP_FAMILY=6): segments to xtcp are sent through a raw socket with our
own IP (IPv6) header; xtcp's answers to the peer leave through d0, where
an AF_PACKET socket reads them.
"""
import os
import select
import socket
import struct
import sys
import time

P = int(os.environ.get("XTCP_PROTO", "253"))
V6 = os.environ.get("XTCP_FAMILY") == "6"
FAMILY = socket.AF_INET6 if V6 else socket.AF_INET
LOCAL, PEER = ("fd00:1::1", "fd00:1::2") if V6 else ("10.1.1.1", "10.1.1.2")
ROUTER = "fd00:1::3" if V6 else "10.1.1.3"
LOOPBACK = "::1" if V6 else "127.0.0.1"
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
ST = {"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV",
      "04": "FIN_WAIT1", "05": "FIN_WAIT2", "06": "TIME_WAIT",
      "07": "CLOSE", "08": "CLOSE_WAIT", "09": "LAST_ACK", "0A": "LISTEN",
      "0B": "CLOSING"}


def addr(a):
    """The octets of address @a, IPv4 or IPv6."""
    return socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a)


def pseudo(src, dst, nh, length):
    """The pseudo-header of RFC 9293 3.1 or RFC 8200 8.1."""
    if ":" in src:
        return addr(src) + addr(dst) + struct.pack("!IxxxB", length, nh)
    return addr(src) + addr(dst) + struct.pack("!BBH", 0, nh, length)


def ip_header(src, dst, nh, length, df=True):
    """An IPv4 (DF set) or IPv6 header for @length octets of payload."""
    if ":" in src:
        return struct.pack("!IHBB16s16s", 6 << 28, length, nh, 64,
                           addr(src), addr(dst))
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0,
                       0x4000 if df else 0, 64, nh, 0, addr(src), addr(dst))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Peer:
    """One fake remote endpoint PEER:sport talking to LOCAL:dport; or,
    with @src, @dst and @dev, any endpoint, e.g. a forger on lo."""

    def __init__(self, sport, dport, src=PEER, dst=LOCAL, dev="d0"):
        self.sport, self.dport = sport, dport
        self.src, self.dst = src, dst
        # IPPROTO_RAW: we write the IP header (IPv6 too, RFC 3542 3.1).
        self.tx = socket.socket(socket.AF_INET6 if ":" in dst else
                                socket.AF_INET, socket.SOCK_RAW,
                                socket.IPPROTO_RAW)
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                socket.htons(0x0003))  # ETH_P_ALL: outgoing too
        self.rx.bind((dev, 0))

    def close(self):
        self.tx.close()
        self.rx.close()

    def send(self, flags, seq, ack=0, win=65535, data=b"", opts=b"",
             bad_csum=False):
        doff = (20 + len(opts)) // 4
        hdr = struct.pack("!HHIIBBHHH", self.sport, self.dport,
                          seq & 0xffffffff, ack & 0xffffffff, doff << 4,
                          flags, win, 0, 0) + opts
        self.send_seg(hdr + data, bad_csum)

    def send_seg(self, seg, bad_csum=False):
        """Send @seg, a header and payload as they are (any data offset,
        any length, even shorter than a header), with its checksum
        filled in when there is room for one."""
        if len(seg) >= 18:
            seg = seg[:16] + b"\0\0" + seg[18:]
            c = csum(pseudo(self.src, self.dst, P, len(seg)) + seg) ^ \
                (0xffff if bad_csum else 0)
            seg = seg[:16] + struct.pack("!H", c) + seg[18:]
        ip = ip_header(self.src, self.dst, P, len(seg))
        self.tx.sendto(ip + seg, (self.dst, 0))

    def send_icmp(self, type_, code, seq, lport=None, info=0,
                  src=None, quote=8, ihl=5):
        """An ICMP (ICMPv6) error from @src (a router) to xtcp that
        quotes its segment LOCAL:@lport (default: our dport) -> us with
        sequence number @seq: an IP header (of @ihl words, IPv4), then
        @quote octets of our header (8: the ports and the sequence
        number)."""
        src = src or ROUTER
        ours = struct.pack("!HHI", lport or self.dport, self.sport,
                           seq & 0xffffffff)[:quote]
        if ":" in src:
            q = ip_header(self.dst, self.src, P, 20) + ours
            icmp = struct.pack("!BBHI", type_, code, 0, info) + q
            c = csum(pseudo(src, self.dst, socket.IPPROTO_ICMPV6, len(icmp)) +
                     icmp)
            icmp = icmp[:2] + struct.pack("!H", c) + icmp[4:]
            ip = ip_header(src, self.dst, socket.IPPROTO_ICMPV6, len(icmp))
        else:
            q = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 40, 0, 0x4000,
                            64, P, 0, addr(self.dst), addr(self.src)) + \
                b"\1" * (ihl * 4 - 20) + ours
            icmp = struct.pack("!BBHI", type_, code, 0, info) + q
            icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
            ip = ip_header(src, self.dst, socket.IPPROTO_ICMP, len(icmp),
                           df=False)
        self.tx.sendto(ip + icmp, (self.dst, 0))

    def recv(self, timeout=3.0):
        """The next xtcp segment to this peer, as a dict, or None."""
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.rx], [], [],
                                    max(0.0, end - time.time()))
            if not r:
                return None
            frame = self.rx.recv(65535)
            ip = frame[14:]
            if len(ip) < 40:
                continue
            if ip[0] >> 4 == 6:
                if ip[6] != P or len(ip) < 60:
                    continue
                seg = ip[40:]
            else:
                if ip[9] != P:
                    continue
                seg = ip[(ip[0] & 15) * 4:]
            sp, dp, seq, ack, off, flags, win = struct.unpack(
                "!HHIIBBH", seg[:16])
            if dp != self.sport or sp != self.dport:
                continue
            return {"flags": flags, "seq": seq, "ack": ack, "win": win,
                    "data": seg[(off >> 4) * 4:], "opts": seg[20:(off >> 4) * 4]}
        return None

    def drain(self):
        while self.recv(0.05):
            pass


def opt_kinds(opts):
    """Kinds of the options in an option list (RFC 9293 3.2)."""
    kinds, i = [], 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        kinds.append(kind)
        i += max(opts[i + 1], 2) if i + 1 < len(opts) else len(opts)
    return kinds


def proc_states(port):
    """States in /proc/net/xtcp (xtcp6) of sockets with local port @port."""
    out = []
    with open("/proc/net/xtcp6" if V6 else "/proc/net/xtcp") as f:
        next(f)
        for line in f:
            cols = line.split()
            if int(cols[1].split(":")[1], 16) == port:
                out.append(ST.get(cols[3], cols[3]))
    return out


def counter(name):
    with open("/proc/net/xtcp_stat") as f:
        for line in f:
            k, v = line.split()
            if k == name:
                return int(v)
    return -1


def await_counter(name, want, secs=30):
    """Poll a counter until it reaches @want, for at most @secs: for
    what the protocol's own timers do in about a second.  -> its value"""
    t0 = time.monotonic()
    while counter(name) < want and time.monotonic() - t0 < secs:
        time.sleep(0.05)
    return counter(name)


def xsock():
    s = socket.socket(FAMILY, socket.SOCK_STREAM, P)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def abort(s):
    """Close with RST: the fake peer would never acknowledge a FIN, and
    an orphan retransmitting it would hold the module for minutes."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def connecting(pport):
    """A non-blocking xtcp connect to PEER:@pport; -> (sock, peer, SYN)."""
    c = xsock()
    c.setblocking(False)
    c.bind((LOCAL, 0))
    c.connect_ex((PEER, pport))
    peer = Peer(pport, c.getsockname()[1])
    return c, peer, peer.recv(3)


def wait_error(c, secs=3.0):
    """SO_ERROR once the connect completes or fails, at most @secs."""
    select.select([], [c], [], secs)
    return c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)


def established(pport, mss=1460):
    """An active open the peer completes, its SYN-ACK offering @mss;
    -> (sock, peer, SND.NXT)."""
    c, peer, syn = connecting(pport)
    peer.send(SYN | ACK, 5000, syn["seq"] + 1,
              opts=struct.pack("!BBH", 2, 4, mss))
    ack = peer.recv(3)
    c.setblocking(True)
    return c, peer, ack["seq"]


def close_both(c, peer):
    """Abort our socket @c and close the fake @peer."""
    abort(c)
    peer.close()


MSS_OPT = struct.pack("!BBH", 2, 4, 1460)


def ts_opt(tsval, tsecr=0):
    return struct.pack("!BBBBII", 1, 1, 8, 10, tsval, tsecr)


def opt_body(seg, kind):
    """The octets after kind and length of option @kind, or None."""
    o, i = seg["opts"], 0
    while i + 1 < len(o):
        if o[i] == 0:
            break
        if o[i] == 1:
            i += 1
            continue
        if o[i] == kind and i + o[i + 1] <= len(o):
            return o[i + 2:i + o[i + 1]]
        i += max(o[i + 1], 2)
    return None


def ts_of(seg):
    """(TSval, TSecr) of a received segment, or None."""
    b = opt_body(seg, 8)
    return struct.unpack("!II", b) if b and len(b) == 8 else None
results = []
cur = {}


def check(name, cond, info=""):
    results.append((name, bool(cond), info))


def skip(name, why):
    """A check this kernel cannot make (TAP SKIP, not a pass)."""
    results.append((name, None, why))


def handshake(peer, opts=MSS_OPT):
    """The peer's side of a passive open: a SYN (ISN 1000) with @opts,
    the SYN-ACK checked, the final ACK.  -> the next sequence number to
    acknowledge (the SYN-ACK's plus one)"""
    peer.send(SYN, 1000, opts=opts)
    sa = peer.recv()
    assert sa and sa["flags"] == SYN | ACK and sa["ack"] == 1001, sa
    peer.send(ACK, 1001, sa["seq"] + 1)
    return sa["seq"] + 1


def passive_open(port, sport, listen=True):
    """Listener on @port; the peer completes a handshake. -> (l, c, peer, seq, ack)"""
    lst = xsock()
    lst.bind((LOCAL, port))
    lst.listen(4)
    peer = Peer(sport, port)
    ack = handshake(peer)
    conn, _ = lst.accept()
    return lst, conn, peer, 1001, ack


def recv_now(s, n):
    """What socket @s has to read now (at most @n octets), or None;
    leaves it blocking."""
    s.setblocking(False)
    try:
        return s.recv(n)
    except BlockingIOError:
        return None
    finally:
        s.setblocking(True)


def read_queued(s):
    """All that socket @s holds now (up to its EOF); leaves it blocking."""
    got = b""
    while True:
        b = recv_now(s, 65536)
        if not b:
            return got
        got += b


def set_sysctl(name, val):
    with open("/proc/sys/net/xtcp/" + name, "w") as f:
        f.write(str(val))


SACKPERM_OPT = struct.pack("!BBBB", 1, 1, 4, 2)


def sack_of(seg):
    """SACK blocks of a received segment, as (start, end) pairs."""
    b = opt_body(seg, 5) or b""
    return [struct.unpack("!II", b[8 * k:8 * k + 8]) for k in range(len(b) // 8)]


def sack_opt(blocks):
    return struct.pack("!BBBB", 1, 1, 5, 2 + 8 * len(blocks)) + b"".join(
        struct.pack("!II", a & 0xffffffff, b & 0xffffffff) for a, b in blocks)


def data_segs(peer, n):
    """The next @n segments with data that reach @peer (fewer on a timeout)."""
    segs = []
    while len(segs) < n:
        d = peer.recv()
        if not d:
            break
        if d["data"]:
            segs.append(d)
    return segs


def debug_kernel():
    """The KASAN kernel, several times slower (as lib.sh's)."""
    with open("/proc/kallsyms") as f:
        return any(line.endswith(" kasan_report\n") for line in f)


def heavy_kernel():
    """Does this kernel run the heavy tier (lib.sh's heavy_kernel)?"""
    env = os.environ.get("XTCP_HEAVY")
    if env in ("0", "1"):
        return env == "1"
    return os.uname().release.startswith("6.12.") and not debug_kernel()


def run(tests, heavy=()):
    """Run each scenario, print TAP of all checks, exit 1 on a failure.
    XTCP_ONLY="t_a t_b" runs only those; those in @heavy (minutes of
    transfers) only where heavy_kernel() says."""
    only = os.environ.get("XTCP_ONLY", "").split()
    for t in list(tests) + list(heavy):
        if only and t.__name__ not in only:
            continue
        if t in heavy and not only and not heavy_kernel():
            skip(t.__name__, "heavy tier: runs on stock 6.12 "
                 "(XTCP_HEAVY=1 runs it here)")
            continue
        try:
            t()
        except Exception as e:            # a broken scenario is a failure
            results.append((t.__name__ + " ran to completion", False, repr(e)))
    print("TAP version 13")
    print("1..%d" % len(results))
    failed = 0
    tag = "[ipv6] " if V6 else ""
    for i, (name, good, info) in enumerate(results, 1):
        name = tag + name
        if good is None:
            print("ok %d %s # SKIP %s" % (i, name, info))
            continue
        print("%s %d %s" % ("ok" if good else "not ok", i, name))
        if not good:
            failed += 1
            print("#   got: %s" % (info,))
        elif info != "":
            print("#   %s" % (info,))
    sys.exit(1 if failed else 0)
