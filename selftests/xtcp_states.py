#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive one lifecycle scenario on xtcp sockets over loopback.

Usage: xtcp_states.py SCENARIO BASEPORT
Ports BASEPORT.. are used; the caller reads the state changes from the
sock:inet_sock_set_state tracepoint.
"""
import os
import socket
import struct
import sys
import time

P = int(os.environ.get("XTCP_PROTO", "253"))
V6 = os.environ.get("XTCP_FAMILY") == "6"
LO = "::1" if V6 else "127.0.0.1"


def xsock(nonblock=False):
    s = socket.socket(socket.AF_INET6 if V6 else socket.AF_INET,
                      socket.SOCK_STREAM, P)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setblocking(not nonblock)
    return s


def normal(base):
    lst = xsock()
    lst.bind((LO, base))
    lst.listen(1)
    cli = xsock()
    cli.bind((LO, base + 1))
    cli.connect((LO, base))
    srv, _ = lst.accept()
    cli.sendall(b"ping")
    assert srv.recv(4) == b"ping"
    cli.shutdown(socket.SHUT_WR)      # client: active close, still open
    assert srv.recv(4) == b""
    srv.close()                       # server: passive close
    assert cli.recv(4) == b""
    time.sleep(0.3)
    cli.close()
    lst.close()


def orphan(base):
    lst = xsock()
    lst.bind((LO, base))
    lst.listen(1)
    cli = xsock()
    cli.bind((LO, base + 1))
    cli.connect((LO, base))
    srv, _ = lst.accept()
    cli.close()                       # orphaned in FIN_WAIT1/FIN_WAIT2
    assert srv.recv(4) == b""
    srv.close()
    time.sleep(0.3)
    lst.close()


def wait_connected(s):
    import select
    select.select([], [s], [], 5)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0


def simultaneous_open(base):
    a, b = xsock(True), xsock(True)
    a.bind((LO, base))
    b.bind((LO, base + 1))
    a.connect_ex((LO, base + 1))
    b.connect_ex((LO, base))
    wait_connected(a)
    wait_connected(b)
    a.setblocking(True)
    b.setblocking(True)
    a.close()
    b.close()
    time.sleep(1)


def simultaneous_close(base):
    lst = xsock()
    lst.bind((LO, base))
    lst.listen(1)
    cli = xsock()
    cli.bind((LO, base + 1))
    cli.connect((LO, base))
    srv, _ = lst.accept()
    # Each FIN is sent before the other arrives if the two shutdowns
    # are less than the delay apart: 300 ms leaves a slow guest room.
    os.system("tc qdisc add dev lo root netem delay 300ms")
    cli.shutdown(socket.SHUT_WR)
    srv.shutdown(socket.SHUT_WR)
    assert cli.recv(1) == b"" and srv.recv(1) == b""
    time.sleep(1)                     # the ACKs of both FINs, 300 ms each
    os.system("tc qdisc del dev lo root")
    cli.close()
    srv.close()
    lst.close()


def refused(base):
    cli = xsock()
    cli.bind((LO, base + 1))
    try:
        cli.connect((LO, base))
        raise SystemExit("connect succeeded")
    except ConnectionRefusedError:
        pass
    cli.close()


def abort(base):
    lst = xsock()
    lst.bind((LO, base))
    lst.listen(1)
    cli = xsock()
    cli.bind((LO, base + 1))
    cli.connect((LO, base))
    srv, _ = lst.accept()
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    cli.close()                       # RST
    try:
        srv.recv(1)
        raise SystemExit("no reset")
    except ConnectionResetError:
        pass
    srv.close()
    lst.close()


globals()[sys.argv[1]](int(sys.argv[2]))
