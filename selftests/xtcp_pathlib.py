#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Real paths for the ICMP scenarios (xtcp_icmp.py, xtcp_icmp6.py): a
client and a server netns with a router netns between them, and the
programs that move data across them or try to connect through them.
Either family: an address with a colon is IPv6.
"""
import os
import subprocess
import time

from xtcp_peerlib import debug_kernel  # noqa: F401 (theirs too)

# argv: proto DST...  -> one errno name (or "connected") per proto and DST,
# in-tree TCP first.
ROUTED = r'''
import errno, socket, sys
res = []
for proto in (6, int(sys.argv[1])):
    for dst in sys.argv[2:]:
        s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET,
                          socket.SOCK_STREAM, proto)
        s.settimeout(10)
        try:
            s.connect((dst, 80))
            res.append("connected")
        except OSError as e:
            res.append(errno.errorcode.get(e.errno, str(e.errno)))
        s.close()
print(" ".join(res))
'''

# argv: proto addr [secs].  Prints "ready", then the octets and SHA-256
# of what one connection carried: up to its FIN, a reset, or @secs
# (120) without data.
SERVER = r"""
import hashlib, socket, sys
addr = sys.argv[2]
l = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                  socket.SOCK_STREAM, int(sys.argv[1]))
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((addr, 5001))
l.listen(1)
print("ready", flush=True)
c, _ = l.accept()
c.settimeout(int(sys.argv[3]) if len(sys.argv) > 3 else 120)
h, n = hashlib.sha256(), 0
while True:
    try:
        b = c.recv(65536)
    except OSError:             # a reset, or the time is up (t_blackhole)
        break
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest(), flush=True)
"""

# argv: proto size addr.  Sends @size seeded octets; prints the size,
# their SHA-256, the MSS (TCP_INFO) and the path MTU (IP_MTU, IPV6_MTU).
CLIENT = r"""
import hashlib, random, socket, struct, sys
data = random.Random(7).randbytes(int(sys.argv[2]))
addr = sys.argv[3]
v6 = ":" in addr
c = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                  socket.SOCK_STREAM, int(sys.argv[1]))
c.settimeout(120)
c.connect((addr, 5001))
try:
    c.sendall(data)
    info = c.getsockopt(socket.IPPROTO_TCP, 11, 104)    # TCP_INFO
    mss = struct.unpack("=I", info[16:20])[0]            # tcpi_snd_mss
    mtu = (c.getsockopt(socket.IPPROTO_IPV6, 24) if v6 else  # IPV6_MTU
           c.getsockopt(socket.SOL_IP, 14))              # IP_MTU
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    print(len(data), hashlib.sha256(data).hexdigest(), mss, mtu)
except OSError as e:
    print("error", e)
"""


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


# The addresses of pmtu_path(): client and router on net c, router and
# server on net s; the prefix length; what ip addr add takes after them.
PATHS = {
    4: dict(c="10.5.0.", s="10.8.0.", plen=24, host=32, opts="",
            sysctl="net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0"),
    6: dict(c="fd05::", s="fd08::", plen=64, host=128, opts=" nodad",
            sysctl="net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0"),
}


def pmtu_path(ns, family):
    """Client ns[0] (10.5.0.2, fd05::2) -- router ns[1] -- server ns[2]
    (10.8.0.2, fd08::2), the router's route to the server with MTU 1280,
    every link 1500; @family 4 or 6."""
    a = PATHS[family]
    for n in ns:
        sh("ip netns add %s && ip -n %s link set lo up" % (n, n))
    sh("ip link add vc netns %s type veth peer name vr netns %s" %
       (ns[0], ns[1]))
    sh("ip link add vs netns %s type veth peer name vt netns %s" %
       (ns[2], ns[1]))
    for n, dev, net in ((ns[0], "vc", a["c"]), (ns[2], "vs", a["s"])):
        sh("ip -n {0} link set {1} up && ip -n {0} addr add {2}2/{3} dev {1}"
           "{4} && ip -n {0} route add default via {2}1".format(
               n, dev, net, a["plen"], a["opts"]))
    sh("ip -n {0} link set vr up && ip -n {0} addr add {1}1/{3} dev vr{4}"
       " && ip -n {0} link set vt up && "
       "ip -n {0} addr add {2}1/{3} dev vt{4} && "
       "ip -n {0} route add {2}2/{5} dev vt mtu 1280 && "
       "ip netns exec {0} sysctl -qw {6}".format(
           ns[1], a["c"], a["s"], a["plen"], a["opts"], a["host"],
           a["sysctl"]))


def del_netns(ns):
    for n in ns:
        subprocess.run(["ip", "netns", "del", n], stderr=subprocess.DEVNULL)


def counter_in(ns, name):
    """A counter of /proc/net/xtcp_stat in netns @ns."""
    stat = subprocess.run(["ip", "netns", "exec", ns, "cat",
                           "/proc/net/xtcp_stat"],
                          capture_output=True, text=True).stdout
    return int(dict(line.split() for line in stat.splitlines()).get(name, 0))


def transfer(ns, proto, size, addr, client=None, timeout=240,
             idle=120):
    """SERVER on @addr in ns[2] (giving up after @idle s without data),
    a client (CLIENT unless given) in ns[0]: -> (client's words,
    server's words)."""
    srv = subprocess.Popen(["ip", "netns", "exec", ns[2], "python3", "-c",
                            SERVER, str(proto), addr, str(idle)],
                           stdout=subprocess.PIPE, text=True)
    srv.stdout.readline()
    cli = subprocess.run(["ip", "netns", "exec", ns[0], "python3", "-c",
                          client or CLIENT, str(proto), str(size), addr],
                         capture_output=True, text=True, timeout=timeout)
    try:
        out = srv.communicate(timeout=120)[0].split()
    except subprocess.TimeoutExpired:
        srv.kill()
        out = srv.communicate()[0].split()
    return cli.stdout.split(), out


def routed(ns_c, proto, dsts):
    """ROUTED from netns @ns_c: -> its words."""
    return subprocess.run(["ip", "netns", "exec", ns_c, "python3", "-c",
                           ROUTED, str(proto)] + dsts, capture_output=True,
                          text=True, timeout=60).stdout.split()


def netns_names(tag, n):
    return ["xtcp-%s%s%d" % (tag, x, os.getpid()) for x in "crs"[:n]]


# argv: proto size addr.  Sends @size octets with 6 s to go at each step:
# -> "done", or "stalled"; then resets (a black hole leaves it nothing
# else to do).
STALL_CLIENT = r"""
import socket, struct, sys
addr = sys.argv[3]
c = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                  socket.SOCK_STREAM, int(sys.argv[1]))
c.connect((addr, 5001))
c.settimeout(6)
try:
    c.sendall(b"s" * int(sys.argv[2]))
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    print("done")
except OSError:
    print("stalled")
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
"""


def link_addr(ns, dev):
    out = subprocess.run(["ip", "-n", ns, "-o", "link", "show", dev],
                         capture_output=True, text=True, check=True).stdout
    return out.split("link/ether ")[1].split()[0]


def static_neighbours(ns_a, dev_a, ns_b, dev_b, net):
    """Permanent neighbour entries on both ends of the veth pair
    @dev_a (in @ns_a, address @net + "2") -- @dev_b (@ns_b, @net + "1")."""
    sh("ip -n %s neigh replace %s1 lladdr %s dev %s nud permanent" %
       (ns_a, net, link_addr(ns_b, dev_b), dev_a))
    sh("ip -n %s neigh replace %s2 lladdr %s dev %s nud permanent" %
       (ns_b, net, link_addr(ns_a, dev_a), dev_b))


def t_blackhole():
    """RFC 4821 4: pmtu_path() with the router's ICMP (ICMPv6 for
    XTCP_FAMILY=6) dropped by a tc program on its side of the client's
    link, so no "fragmentation needed" or Packet Too Big comes back.
    With net.xtcp.mtu_probing 0 (the default, as Linux's
    tcp_mtu_probing) the transfer stalls: the black hole.  With 1,
    after 3 timeouts in a row the MSS falls to base_mss (1024) and the
    transfer completes, as in-tree TCP's does with tcp_mtu_probing 1 on
    the same path."""
    from xtcp_peerlib import P, V6, check
    family = 6 if V6 else 4
    addr = PATHS[family]["s"] + "2"
    ns = netns_names("bh", 3)
    size = (256 if debug_kernel() else 1024) << 10
    try:
        pmtu_path(ns, family)
        if V6:
            # Neighbour discovery is ICMPv6 too: fix the link's
            # addresses first, so only the errors are lost below.
            static_neighbours(ns[0], "vc", ns[1], "vr", PATHS[6]["c"])
        # Every ICMP packet the router sends the client's way is lost:
        # xtcp_faults' tc program (cls_bpf, which every kernel here has).
        faults = os.path.join(os.environ.get("XTCP_BIN", "../build/selftests"),
                              "xtcp_faults")
        sh("ip netns exec %s %s vr -e -p %d drop@1+1" %
           (ns[1], faults, 58 if V6 else 1))
        t0 = time.monotonic()
        # The client's reset is out of the server's window (RFC 5961:
        # it sent nothing the server got), so the server gives up alone.
        got, out = transfer(ns, P, 64 << 10, addr, client=STALL_CLIENT,
                            idle=8)
        took = [round(time.monotonic() - t0, 1)]
        check("ICMP filtered, mtu_probing 0: the transfer stalls (black "
              "hole), nothing reaches the server", got == ["stalled"] and
              out[:1] == ["0"], (got, out))
        sh("ip netns exec %s sysctl -qw net.xtcp.mtu_probing=1 "
           "net.ipv4.tcp_mtu_probing=1" % ns[0])
        t0 = time.monotonic()
        got, out = transfer(ns, P, size, addr)
        took.append(round(time.monotonic() - t0, 1))
        holes = counter_in(ns[0], "XtcpPMTUBlackholes")
        check("  mtu_probing 1: %d KiB arrive byte-exact, the MSS at most "
              "base_mss 1024, XtcpPMTUBlackholes counted" % (size >> 10),
              len(got) == 4 and out == got[:2] and int(got[2]) <= 1024 and
              holes >= 1, (got, out, holes))
        t0 = time.monotonic()
        got, out = transfer(ns, 6, size, addr)
        took.append(round(time.monotonic() - t0, 1))
        check("  TCP with tcp_mtu_probing 1 on the same path: byte-exact",
              len(got) == 4 and out == got[:2], (got, out, "s:", took))
    finally:
        del_netns(ns)
