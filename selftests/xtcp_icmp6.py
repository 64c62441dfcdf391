#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMPv6 errors about xtcp segments (RFC 4443, RFC 5927, RFC 8201), as
tcp_v6_err() takes them: the scripted peer of xtcp_peerlib.py (in IPv6,
XTCP_FAMILY=6) quotes xtcp's own segments in forged errors from a
"router" fd00:1::3; real router netns answer for unreachable
destinations and for a path with a smaller MTU, the same calls made
with in-tree TCP for comparison.  Prints TAP.
"""
import errno
import os
import socket
import struct
import subprocess
import time

from xtcp_pathlib import (debug_kernel, del_netns, pmtu_path, routed,
                          sh, t_blackhole, transfer)
from xtcp_peerlib import *  # noqa: F401,F403

UNREACH, TOOBIG, TIME_EXCEED, PARAMPROB = 1, 2, 3, 4
SO_ERROR, TCP_INFO, IPV6_MTU = 4, 11, 24


def t_connect_errors():
    """SYN_SENT: an ICMPv6 error ends the attempt at once with the errno
    tcp_v6_err() gives (icmpv6_err_convert()); an unknown next header
    means the host has no xtcp, which a user sees as refused."""
    cases = [(UNREACH, 4, errno.ECONNREFUSED, "port unreachable"),
             (UNREACH, 0, errno.ENETUNREACH, "no route"),
             (UNREACH, 3, errno.EHOSTUNREACH, "address unreachable"),
             (UNREACH, 1, errno.EACCES, "administratively prohibited"),
             (TIME_EXCEED, 0, errno.EHOSTUNREACH, "hop limit exceeded"),
             (PARAMPROB, 1, errno.ECONNREFUSED, "unknown next header")]
    for i, (type_, code, want, what) in enumerate(cases):
        aborts = counter("XtcpIcmpAborts")
        c, peer, syn = connecting(7300 + i)
        t0 = time.monotonic()
        peer.send_icmp(type_, code, syn["seq"], lport=peer.dport)
        err = wait_error(c)
        took = time.monotonic() - t0
        check("SYN_SENT, %s: %s within 3 s, counted" %
              (what, errno.errorcode[want]),
              err == want and took < 3 and
              counter("XtcpIcmpAborts") == aborts + 1,
              (errno.errorcode.get(err, err), round(took, 2)))
        close_both(c, peer)


def t_out_of_window():
    """RFC 5927 4.1: an error quoting a sequence number not in flight is
    dropped and counted; the attempt goes on."""
    oow = counter("XtcpOutOfWindowIcmps")
    c, peer, syn = connecting(7320)
    peer.send_icmp(UNREACH, 4, syn["seq"] + 1000, lport=peer.dport)
    peer.send_icmp(UNREACH, 4, syn["seq"] - 1, lport=peer.dport)
    time.sleep(0.2)
    check("SYN_SENT: errors quoting ISS+1000 and ISS-1 are ignored, counted",
          proc_states(peer.dport) == ["SYN_SENT"] and
          c.getsockopt(socket.SOL_SOCKET, SO_ERROR) == 0 and
          counter("XtcpOutOfWindowIcmps") == oow + 2,
          (proc_states(peer.dport), counter("XtcpOutOfWindowIcmps") - oow))
    close_both(c, peer)


def t_soft_errors():
    """Synchronized, an error is soft: SO_ERROR reports it once and the
    connection stays."""
    c, peer, _ = established(7330, mss=1440)
    c.send(b"x" * 100)
    d = peer.recv(3)
    peer.send_icmp(UNREACH, 3, d["seq"], lport=peer.dport)
    time.sleep(0.2)
    e1 = c.getsockopt(socket.SOL_SOCKET, SO_ERROR)
    e2 = c.getsockopt(socket.SOL_SOCKET, SO_ERROR)
    check("ESTABLISHED, address unreachable: the connection stays, "
          "SO_ERROR gives EHOSTUNREACH once",
          proc_states(peer.dport) == ["ESTABLISHED"] and
          e1 == errno.EHOSTUNREACH and e2 == 0, (e1, e2))
    close_both(c, peer)


def t_packet_too_big():
    """RFC 8201 4: Packet Too Big lowers the path MTU and the MSS, and
    what no longer fits is sent again, cut to it; one below the IPv6
    minimum MTU (1280) is ignored."""
    c, peer, _ = established(7340, mss=1440)
    info = c.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
    mss0 = struct.unpack("=I", info[16:20])[0]
    c.send(b"y" * 1400)
    d = peer.recv(3)
    small = counter("XtcpPMTUReduced")
    peer.send_icmp(TOOBIG, 0, d["seq"], lport=peer.dport, info=1000)
    time.sleep(0.2)
    ignored = counter("XtcpPMTUReduced") == small
    peer.send_icmp(TOOBIG, 0, d["seq"], lport=peer.dport, info=1280)
    segs = data_segs(peer, 2)
    info = c.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 104)
    mss = struct.unpack("=I", info[16:20])[0]
    mtu = c.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU)
    check("Packet Too Big 1000 (below 1280) is ignored", ignored)
    check("Packet Too Big 1280: IPV6_MTU 1280, MSS from %d to 1220, counted"
          % mss0, mtu == 1280 and mss == 1220 and
          counter("XtcpPMTUReduced") == small + 1, (mtu, mss0, mss))
    check("  the 1400 octets are sent again in segments of at most 1220",
          [len(s["data"]) for s in segs] == [1220, 180] and
          segs[0]["seq"] == d["seq"], [(s["seq"], len(s["data"]))
                                       for s in segs])
    close_both(c, peer)


def t_router():
    """A real IPv6 router with an unreachable route to fd06::/64 and
    none to fd07::/64: xtcp's connect ends as TCP's does."""
    ns_c, ns_r = "xtcp-i6c%d" % os.getpid(), "xtcp-i6r%d" % os.getpid()
    try:
        sh("ip netns add %s && ip netns add %s" % (ns_c, ns_r))
        sh("ip link add vc netns %s type veth peer name vr netns %s" %
           (ns_c, ns_r))
        sh("ip -n {0} link set lo up && ip -n {0} link set vc up && "
           "ip -n {0} addr add fd05::2/64 dev vc nodad && "
           "ip -n {0} route add default via fd05::1".format(ns_c))
        sh("ip -n {0} link set lo up && ip -n {0} link set vr up && "
           "ip -n {0} addr add fd05::1/64 dev vr nodad && "
           "ip -n {0} route add unreachable fd06::/64 && "
           "ip netns exec {0} sysctl -qw net.ipv6.conf.all.forwarding=1 "
           "net.ipv6.icmp.ratelimit=0".format(ns_r))
        out = routed(ns_c, P, ["fd06::9", "fd07::9"])
        # xtcp's two answers are the verdict: an unreachable errno each,
        # TCP's where TCP's is one (TCP is the reference, not judged).
        unreach = ("EHOSTUNREACH", "ENETUNREACH", "EACCES")
        check("through an IPv6 router: xtcp gets TCP's errnos for an "
              "unreachable route and for no route",
              len(out) == 4 and
              all(x in unreach and (t == x or t not in unreach)
                  for t, x in zip(out[:2], out[2:])), out)
    finally:
        subprocess.run("ip netns del %s; ip netns del %s" % (ns_c, ns_r),
                       shell=True, stderr=subprocess.DEVNULL)


def t_pmtu():
    """RFC 8201: the router's route to the server has MTU 1280 while
    both ends are on 1500; its Packet Too Big messages lower xtcp's path
    MTU and MSS, and the transfer completes byte-exact.  Then in-tree
    TCP on the same path."""
    ns = ["xtcp-p6%s%d" % (x, os.getpid()) for x in "crs"]
    size = int(os.environ.get("XTCP_PMTU_MB",
                              1 if debug_kernel() else 4)) << 20
    try:
        pmtu_path(ns, 6)
        for proto, name in ((P, "xtcp"), (6, "TCP")):
            got, out = transfer(ns, proto, size, "fd08::2")
            ok_ = len(got) == 4 and out == got[:2] and got[3] == "1280"
            if proto == P:
                check("xtcp over IPv6: %d MiB across a 1280-octet hop arrive "
                      "byte-exact; IPV6_MTU 1280, MSS 1208 at most"
                      % (size >> 20), ok_ and int(got[2]) <= 1208,
                      (got, out))
            else:
                check("TCP on the same path: byte-exact, IPV6_MTU 1280",
                      ok_, (got, out))
    finally:
        del_netns(ns)


# argv: proto.  Two connections; reads each to its end, prints its size.
SHARED_SERVER = r"""
import socket, sys, threading
l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, int(sys.argv[1]))
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("fd08::2", 5002))
l.listen(2)
print("ready", flush=True)
got = [0, 0]
def drain(c, i):
    c.settimeout(120)
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            got[i] += len(b)
    except OSError:
        pass
    c.close()                   # the client waits for this FIN
ts = []
for i in range(2):
    c, _ = l.accept()
    ts.append(threading.Thread(target=drain, args=(c, i)))
    ts[-1].start()
for t in ts:
    t.join()
print(got[0], got[1], flush=True)
"""

# argv: proto.  A connects and idles while B crosses the hop (and the
# route learns its MTU), then A sends: -> "sent" and A's MSS, or "error".
SHARED_CLIENT = r"""
import socket, struct, sys
P = int(sys.argv[1])
a = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, P)
a.connect(("fd08::2", 5002))
b = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, P)
b.connect(("fd08::2", 5002))
b.sendall(b"b" * (1 << 20))
b.shutdown(socket.SHUT_WR)
b.settimeout(60)
b.recv(1)
a.settimeout(60)
try:
    a.sendall(b"a" * (256 << 10))
    a.shutdown(socket.SHUT_WR)
    a.recv(1)
    info = a.getsockopt(socket.IPPROTO_TCP, 11, 104)
    print("sent", struct.unpack("=I", info[16:20])[0])
except OSError as e:
    print("error", e.errno)
"""


def t_pmtu_shared():
    """Connection A idles while B, to the same host, learns the path MTU
    from Packet Too Big; then A sends.  ip6_xmit() drops A's segments
    that no longer fit without telling anyone, so A must see the
    route's lower MTU itself, as tcp_current_mss() does: its 256 KiB
    arrive and its MSS is 1208 at most.  TCP the same."""
    ns = ["xtcp-ps%s%d" % (x, os.getpid()) for x in "crs"]
    try:
        pmtu_path(ns, 6)
        for proto, name in ((P, "xtcp"), (6, "TCP")):
            srv = subprocess.Popen(["ip", "netns", "exec", ns[2], "python3",
                                    "-c", SHARED_SERVER, str(proto)],
                                   stdout=subprocess.PIPE, text=True)
            srv.stdout.readline()
            cli = subprocess.run(["ip", "netns", "exec", ns[0], "python3",
                                  "-c", SHARED_CLIENT, str(proto)],
                                 capture_output=True, text=True, timeout=180)
            try:
                out = srv.communicate(timeout=120)[0].split()
            except subprocess.TimeoutExpired:
                srv.kill()
                out = srv.communicate()[0].split()
            got = cli.stdout.split()
            check("%s: an idle connection to a host whose path MTU another "
                  "one learned sends 256 KiB, at MSS 1208 at most" % name,
                  len(got) == 2 and got[0] == "sent" and
                  int(got[1]) <= 1208 and
                  sorted(out) == sorted([str(1 << 20), str(256 << 10)]),
                  (got, out))
    finally:
        del_netns(ns)


if not V6:
    raise SystemExit("xtcp_icmp6.py runs with XTCP_FAMILY=6 (xtcp_icmp.sh)")
run([t_connect_errors, t_out_of_window, t_soft_errors, t_packet_too_big,
     t_router], heavy=[t_pmtu, t_pmtu_shared, t_blackhole])
