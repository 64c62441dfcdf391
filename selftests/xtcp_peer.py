#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Protocol scenarios with the scripted peer (xtcp_peerlib.py): handshake,
RST and challenge ACKs, the close states, SYN cookies, timestamps, SACK,
tail loss probes, time-wait reuse.  Prints TAP.
"""
import socket
import struct
import time

from xtcp_peerlib import *  # noqa: F401,F403


def t_handshake():
    lst = xsock()
    lst.bind((LOCAL, 7000))
    lst.listen(4)
    peer = Peer(40000, 7000)
    check("LISTEN shown in /proc/net/xtcp", proc_states(7000) == ["LISTEN"],
          proc_states(7000))
    peer.send(SYN, 1000, opts=MSS_OPT)
    sa = peer.recv()
    check("SYN answered by SYN-ACK acking ISN+1",
          sa and sa["flags"] == SYN | ACK and sa["ack"] == 1001, sa)
    check("SYN-ACK carries MSS, and window scale as the SYN had none: not",
          sa and opt_kinds(sa["opts"]) == [2], sa and opt_kinds(sa["opts"]))
    check("request minisock in SYN_RECV in /proc/net/xtcp",
          proc_states(7000) == ["LISTEN", "SYN_RECV"], proc_states(7000))
    peer.send(SYN, 1000, opts=MSS_OPT)   # retransmitted SYN
    sa2 = peer.recv()
    check("retransmitted SYN gets the same SYN-ACK",
          sa2 and sa2["seq"] == sa["seq"] and sa2["flags"] == SYN | ACK, sa2)
    peer.send(ACK, 1001, sa["seq"] + 2)  # wrong ACK number
    r = peer.recv()
    check("final ACK with a wrong number gets RST(seq=SEG.ACK)",
          r and r["flags"] & RST and r["seq"] == sa["seq"] + 2, r)
    peer.send(ACK, 1001, sa["seq"] + 1)
    c, _ = lst.accept()
    check("final ACK: ESTABLISHED child accepted",
          "ESTABLISHED" in proc_states(7000), proc_states(7000))
    abort(c)
    lst.close()


def t_synack_retries():
    with open("/proc/sys/net/xtcp/synack_retries", "w") as f:
        f.write("1")
    lst = xsock()
    lst.bind((LOCAL, 7001))
    lst.listen(4)
    peer = Peer(40001, 7001)
    peer.send(SYN, 5000)
    first = peer.recv()
    second = peer.recv(4)
    check("SYN-ACK retransmitted after ~1 s",
          first and second and second["seq"] == first["seq"], (first, second))
    third = peer.recv(4)
    time.sleep(0.5)
    check("synack_retries=1: no third SYN-ACK, request dropped",
          third is None and proc_states(7001) == ["LISTEN"],
          (third, proc_states(7001)))
    lst.close()
    with open("/proc/sys/net/xtcp/synack_retries", "w") as f:
        f.write("5")


def t_rst_and_challenge():
    # A 10 s rate limit for the first two RSTs, so a slow guest cannot
    # take longer than it between them; 500 ms again for the SYN.
    set_sysctl("invalid_ratelimit", 10000)
    lst, c, peer, seq, ack = passive_open(7002, 40002)
    before = counter("XtcpChallengeACKs")
    peer.send(RST, seq + 100)            # in window, not RCV.NXT
    r = peer.recv()
    check("in-window RST gets a challenge ACK (RFC 5961 3.2)",
          r and r["flags"] == ACK and r["ack"] == seq, r)
    skipped = counter("XtcpACKSkippedChallenge")
    peer.send(RST, seq + 100)
    r = peer.recv(0.2)
    check("a second within net.xtcp.invalid_ratelimit gets none, counted",
          r is None and counter("XtcpACKSkippedChallenge") == skipped + 1, r)
    set_sysctl("invalid_ratelimit", 500)
    time.sleep(0.6)
    peer.send(SYN, seq + 5)
    r = peer.recv()
    check("SYN in ESTABLISHED gets a challenge ACK (RFC 5961 4.2)",
          r and r["flags"] == ACK and r["ack"] == seq, r)
    check("challenge ACKs counted", counter("XtcpChallengeACKs") == before + 2)
    check("connection survives both", proc_states(7002).count("ESTABLISHED") == 1,
          proc_states(7002))
    peer.send(ACK, seq + 10 ** 6, ack, data=b"x")   # far outside window
    r = peer.recv()
    check("out-of-window segment answered by an ACK",
          r and r["flags"] == ACK and r["ack"] == seq, r)
    peer.send(ACK, seq, ack, data=b"hello")
    r = peer.recv()
    check("in-order data acknowledged", r and r["ack"] == seq + 5, r)
    check("data delivered", c.recv(10) == b"hello")
    peer.send(RST, seq + 5)              # exactly RCV.NXT
    time.sleep(0.2)
    try:
        c.recv(1)
        ok = False
    except ConnectionResetError:
        ok = True
    check("RST at RCV.NXT resets: ECONNRESET", ok)
    check("reset connection leaves the tables",
          proc_states(7002) == ["LISTEN"], proc_states(7002))
    c.close()
    lst.close()


def t_active_close_time_wait():
    lst, c, peer, seq, ack = passive_open(7003, 40003)
    c.shutdown(socket.SHUT_WR)
    fin = peer.recv()
    check("shutdown sends FIN (ESTABLISHED -> FIN_WAIT1)",
          fin and fin["flags"] & FIN and proc_states(7003)[-1] == "FIN_WAIT1",
          (fin, proc_states(7003)))
    peer.send(ACK, seq, ack + 1)
    time.sleep(0.1)
    check("ACK of FIN: FIN_WAIT2", proc_states(7003)[-1] == "FIN_WAIT2",
          proc_states(7003))
    peer.send(FIN | ACK, seq, ack + 1)
    r = peer.recv()
    check("peer FIN acknowledged", r and r["ack"] == seq + 1, r)
    check("FIN_WAIT2 -> TIME_WAIT minisock", proc_states(7003)[-1] == "TIME_WAIT",
          proc_states(7003))
    peer.send(FIN | ACK, seq, ack + 1)  # retransmitted FIN
    r = peer.recv()
    check("TIME_WAIT re-ACKs a retransmitted FIN",
          r and r["flags"] == ACK and r["ack"] == seq + 1, r)
    check("with the window the socket left, not 0 (Linux's tw_rcv_wnd)",
          r and r["win"] > 0, r)
    peer.send(SYN, seq + 100000, opts=MSS_OPT)   # RFC 6191: new SYN
    r = peer.recv()
    check("new SYN above the old sequence ends TIME_WAIT and reaches the listener",
          r and r["flags"] == SYN | ACK and r["ack"] == seq + 100001, r)
    c.close()
    lst.close()


def t_fin_wait1_to_time_wait():
    lst, c, peer, seq, ack = passive_open(7004, 40004)
    c.shutdown(socket.SHUT_WR)
    peer.recv()
    peer.send(FIN | ACK, seq, ack + 1)   # FIN that also acks ours
    r = peer.recv()
    check("FIN+ACK in FIN_WAIT1: straight to TIME_WAIT",
          r and r["ack"] == seq + 1 and proc_states(7004)[-1] == "TIME_WAIT",
          (r, proc_states(7004)))
    c.close()
    lst.close()


def t_closing():
    lst, c, peer, seq, ack = passive_open(7005, 40005)
    c.shutdown(socket.SHUT_WR)
    peer.recv()
    peer.send(FIN | ACK, seq, ack)       # FIN, not acking ours
    r = peer.recv()
    check("FIN in FIN_WAIT1 without ACK of ours: CLOSING",
          r and proc_states(7005)[-1] == "CLOSING", (r, proc_states(7005)))
    peer.send(ACK, seq + 1, ack + 1)
    time.sleep(0.1)
    check("ACK of our FIN in CLOSING: TIME_WAIT",
          proc_states(7005)[-1] == "TIME_WAIT", proc_states(7005))
    c.close()
    lst.close()


def t_passive_close():
    lst, c, peer, seq, ack = passive_open(7006, 40006)
    peer.send(FIN | ACK, seq, ack)
    r = peer.recv()
    check("peer FIN: CLOSE_WAIT, FIN acknowledged",
          r and r["ack"] == seq + 1 and proc_states(7006)[-1] == "CLOSE_WAIT",
          (r, proc_states(7006)))
    check("reader sees EOF", c.recv(1) == b"")
    c.sendall(b"late")                   # half-close: we can still send
    r = peer.recv()
    check("CLOSE_WAIT still sends data", r and r["data"] == b"late", r)
    peer.send(ACK, seq + 1, ack + 4)
    c.close()
    fin = peer.recv()
    check("close in CLOSE_WAIT: LAST_ACK, FIN sent",
          fin and fin["flags"] & FIN and proc_states(7006)[-1] == "LAST_ACK",
          (fin, proc_states(7006)))
    peer.send(ACK, seq + 1, fin["seq"] + 1)
    time.sleep(0.1)
    check("ACK of FIN in LAST_ACK: CLOSED (gone)",
          proc_states(7006) == ["LISTEN"], proc_states(7006))
    lst.close()


def t_orphan_fin_wait2():
    lst, c, peer, seq, ack = passive_open(7007, 40007)
    c.close()                            # orphan
    peer.recv()
    peer.send(ACK, seq, ack + 1)
    time.sleep(0.1)
    check("orphan after ACK of FIN: minisock in FIN_WAIT2 substate",
          proc_states(7007)[-1] == "FIN_WAIT2", proc_states(7007))
    peer.send(ACK, seq, ack + 1, data=b"late data")
    r = peer.recv()
    check("data to an orphan gets RST", r and r["flags"] & RST, r)
    check("and the minisock is gone", proc_states(7007) == ["LISTEN"],
          proc_states(7007))
    lst.close()


def t_bad_segments():
    lst = xsock()
    lst.bind((LOCAL, 7008))
    lst.listen(4)
    peer = Peer(40008, 7008)
    peer.send(SYN, 1, bad_csum=True)
    check("bad checksum: no answer", peer.recv(0.5) is None)
    peer2 = Peer(40009, 7999)
    peer2.send(SYN, 1)
    r = peer2.recv()
    check("SYN to a closed port: RST,ACK with ACK=SEQ+1",
          r and r["flags"] == RST | ACK and r["ack"] == 2, r)
    peer2.send(ACK, 1, 12345)
    r = peer2.recv()
    check("ACK to a closed port: RST with SEQ=SEG.ACK",
          r and r["flags"] == RST and r["seq"] == 12345, r)
    peer2.send(RST, 1)
    check("RST to a closed port: no answer", peer2.recv(0.5) is None)
    lst.close()


def t_syncookies():
    set_sysctl("syncookies", 1)
    lst = xsock()
    lst.bind((LOCAL, 7010))
    lst.listen(2)                        # SYN queue holds 2 requests
    flood = [Peer(41000 + i, 7010) for i in range(12)]
    sent = counter("XtcpSyncookiesSent")
    for i, p in enumerate(flood):
        p.send(SYN, 100 + i)
    time.sleep(0.3)
    check("SYN flood fills the SYN queue (2 requests)",
          proc_states(7010).count("SYN_RECV") == 2, proc_states(7010))
    check("beyond it, SYN-ACKs carry cookies",
          counter("XtcpSyncookiesSent") - sent == 10,
          counter("XtcpSyncookiesSent") - sent)
    recv = counter("XtcpSyncookiesRecv")
    c = xsock()
    c.settimeout(5)
    c.connect((LOCAL, 7010))
    s, _ = lst.accept()
    c.sendall(b"through")
    check("a legitimate client connects during the flood",
          s.recv(16) == b"through")
    check("its connection was made from a cookie",
          counter("XtcpSyncookiesRecv") == recv + 1)
    p = Peer(42001, 7010)
    p.send(SYN, 7000, opts=MSS_OPT)
    sa = p.recv()
    kinds = sa and opt_kinds(sa["opts"])
    check("cookie SYN-ACK: MSS option, no window scale",
          kinds and 2 in kinds and 3 not in kinds, kinds)
    p.send(ACK, 7001, sa["seq"] + 1)
    conn, peer_addr = lst.accept()
    check("raw peer completes its handshake with the cookie",
          peer_addr[:2] == (PEER, 42001), peer_addr)
    failed = counter("XtcpSyncookiesFailed")
    f = Peer(42002, 7010)
    f.send(ACK, 5000, 0x12345678)
    r = f.recv()
    check("forged cookie ACK: RST, counted as failed",
          r and r["flags"] & RST and
          counter("XtcpSyncookiesFailed") == failed + 1, r)
    for sk in (conn, s, c):
        abort(sk)
    lst.close()

    set_sysctl("syncookies", 0)
    lst = xsock()
    lst.bind((LOCAL, 7011))
    lst.listen(1)
    drops = counter("XtcpListenDrops")
    for i in range(4):
        Peer(43000 + i, 7011).send(SYN, 100 + i)
    time.sleep(0.2)
    c = xsock()
    c.settimeout(2.5)
    try:
        c.connect((LOCAL, 7011))
        blocked = False
    except (socket.timeout, TimeoutError):
        blocked = True
    check("syncookies=0: the flood shuts out a legitimate client", blocked)
    check("syncookies=0: dropped SYNs counted",
          counter("XtcpListenDrops") - drops >= 3)
    abort(c)
    lst.close()

    set_sysctl("syncookies", 2)
    lst = xsock()
    lst.bind((LOCAL, 7012))
    lst.listen(8)
    p = Peer(44000, 7012)
    p.send(SYN, 1)
    sa = p.recv()
    check("syncookies=2: cookies always, no request minisock",
          sa and proc_states(7012) == ["LISTEN"], (sa, proc_states(7012)))
    lst.close()
    set_sysctl("syncookies", 1)


def t_timestamps():
    lst = xsock()
    lst.bind((LOCAL, 7020))
    lst.listen(4)
    peer = Peer(45000, 7020)
    peer.send(SYN, 1000, opts=MSS_OPT + ts_opt(5000))
    sa = peer.recv()
    check("SYN with timestamps: SYN-ACK echoes TSval (RFC 7323 3.2)",
          sa and ts_of(sa) and ts_of(sa)[1] == 5000, sa and ts_of(sa))
    my_ts = ts_of(sa)[0]
    peer.send(ACK, 1001, sa["seq"] + 1, opts=ts_opt(5001, my_ts))
    c, _ = lst.accept()
    c.send(b"x")
    d = peer.recv()
    check("data carries timestamps echoing TS.Recent",
          d and ts_of(d) and ts_of(d)[1] == 5001, d and ts_of(d))
    seq, ack = 1001, sa["seq"] + 2
    drops = counter("XtcpPAWSDrops")
    peer.send(ACK, seq, ack, data=b"old", opts=ts_opt(4000, my_ts))
    r = peer.recv()
    got = recv_now(c, 10)
    check("PAWS: an older TSval is dropped and ACKed (RFC 7323 5.3)",
          r and r["ack"] == seq and got is None and
          counter("XtcpPAWSDrops") == drops + 1, (r, got))
    peer.drain()
    peer.send(ACK, seq, ack, data=b"new", opts=ts_opt(6000, my_ts))
    r = peer.recv()
    time.sleep(0.1)
    check("a newer TSval is accepted and becomes TS.Recent",
          recv_now(c, 10) == b"new" and r and ts_of(r)[1] == 6000, r and ts_of(r))
    seq += 3
    # Active close from xtcp, then TIME_WAIT with TS.Recent 7000.
    peer.drain()
    c.shutdown(socket.SHUT_WR)
    fin = peer.recv()
    while fin and not fin["flags"] & FIN:
        fin = peer.recv()
    peer.send(FIN | ACK, seq, fin["seq"] + 1, opts=ts_opt(7000, my_ts))
    time.sleep(0.1)
    peer.drain()
    check("TIME_WAIT reached with timestamps", proc_states(7020)[-1] == "TIME_WAIT",
          proc_states(7020))
    peer.drain()
    peer.send(SYN, seq - 50000, opts=MSS_OPT + ts_opt(6500))
    r = peer.recv()
    check("RFC 6191: SYN with an older TSval does not end TIME_WAIT",
          r and r["flags"] == ACK and proc_states(7020)[-1] == "TIME_WAIT", r)
    check("the time-wait ACK carries timestamps echoing TS.Recent (RFC 7323 3.2)",
          r and ts_of(r) and ts_of(r)[1] == 7000, r and ts_of(r))
    peer.drain()
    peer.send(SYN, seq - 50000, opts=MSS_OPT + ts_opt(8000))
    r = peer.recv()
    check("RFC 6191: SYN with a newer TSval ends TIME_WAIT despite a lower seq",
          r and r["flags"] == SYN | ACK and r["ack"] == (seq - 50000 + 1) & 0xffffffff, r)
    abort(c)
    lst.close()


def t_sack():
    """RFC 2018: SACK-permitted negotiation, SACK blocks sent for
    out-of-order data, and SACK blocks received steering retransmission."""
    set_sysctl("sack", 0)
    lst = xsock()
    lst.bind((LOCAL, 7040))
    lst.listen(4)
    peer = Peer(46000, 7040)
    peer.send(SYN, 1000, opts=MSS_OPT + SACKPERM_OPT)
    sa = peer.recv()
    check("sack=0: SYN-ACK without SACK-permitted",
          sa and 4 not in opt_kinds(sa["opts"]), sa and opt_kinds(sa["opts"]))
    peer.send(RST, 1001)
    set_sysctl("sack", 1)
    peer.drain()

    peer = Peer(46001, 7040)
    mss100 = struct.pack("!BBH", 2, 4, 100)
    peer.send(SYN, 1000, opts=mss100 + SACKPERM_OPT)
    sa = peer.recv()
    check("SYN with SACK-permitted: the SYN-ACK echoes it (RFC 2018 2)",
          sa and 4 in opt_kinds(sa["opts"]), sa and opt_kinds(sa["opts"]))
    iss = sa["seq"]
    peer.send(ACK, 1001, iss + 1)
    c, _ = lst.accept()
    base = 1001
    body = bytes(range(256)) + bytes(range(144))   # 400 octets

    # Receiver: a hole at base..base+100.
    peer.send(ACK, base + 100, iss + 1, data=body[100:200])
    r = peer.recv()
    check("out-of-order data: immediate duplicate ACK with its SACK block",
          r and r["ack"] == base and sack_of(r) == [(base + 100, base + 200)],
          r and (r["ack"] - base, sack_of(r)))
    peer.send(ACK, base + 300, iss + 1, data=body[300:400])
    r = peer.recv()
    check("two holes: the newest block first (RFC 2018 4)",
          r and sack_of(r) == [(base + 300, base + 400),
                               (base + 100, base + 200)],
          r and sack_of(r))
    peer.send(ACK, base, iss + 1, data=body[0:100])
    r = peer.recv()
    check("first hole filled: ACK advances to the next hole",
          r and r["ack"] == base + 200 and
          sack_of(r) == [(base + 300, base + 400)], r and (r["ack"] - base, sack_of(r)))
    peer.send(ACK, base + 200, iss + 1, data=body[200:300])
    r = peer.recv()
    check("last hole filled: everything acknowledged, no SACK",
          r and r["ack"] == base + 400 and sack_of(r) == [],
          r and (r["ack"] - base, sack_of(r)))
    got = b""
    c.settimeout(2)
    while len(got) < 400:
        got += c.recv(400)
    check("reassembled octets reach the reader in order", got == body)

    # Sender: five 100-octet segments; the second is "lost".  A tail
    # loss probe could fire while this peer reads them (t_tlp tests it).
    set_sysctl("tlp", 0)
    peer.drain()
    fr = counter("XtcpFastRetrans")
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.send(bytes(500))
    segs = data_segs(peer, 5)
    check("five segments of the peer's MSS sent",
          [len(d["data"]) for d in segs] == [100] * 5,
          [len(d["data"]) for d in segs])
    s0 = iss + 1
    ack = base + 400
    peer.send(ACK, ack, s0 + 100)
    for k in (2, 3, 4):
        peer.send(ACK, ack, s0 + 100,
                  opts=sack_opt([(s0 + 200, s0 + 100 * (k + 1))]))
    r = peer.recv()
    while r and not r["data"]:
        r = peer.recv()
    check("three SACKed segments above a hole: fast retransmit of the hole",
          r and r["seq"] == s0 + 100 and
          counter("XtcpFastRetrans") == fr + 1,
          r and (r["seq"] - s0, counter("XtcpFastRetrans") - fr))
    peer.send(ACK, ack, s0 + 500)
    time.sleep(0.3)
    r = peer.recv(0.5)
    check("SACKed segments are not resent", not (r and r["data"]),
          r and (r["seq"] - s0, len(r["data"])))
    abort(c)
    lst.close()


def t_tlp():
    """RFC 8985 7: with the tail of a flight unacknowledged, a tail loss
    probe resends the last segment, before any timeout; with
    net.xtcp.tlp=0 the RTO resends the first."""
    for on in (1, 0):
        set_sysctl("tlp", on)
        port = 7060 + on
        lst = xsock()
        lst.bind((LOCAL, port))
        lst.listen(4)
        peer = Peer(46100 + on, port)
        peer.send(SYN, 1000, opts=struct.pack("!BBH", 2, 4, 100) +
                  SACKPERM_OPT)
        sa = peer.recv()
        s0 = sa["seq"] + 1
        peer.send(ACK, 1001, s0)
        c, _ = lst.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        probes, rtos = counter("XtcpLossProbes"), counter("XtcpTimeouts")
        c.send(bytes(300))
        data_segs(peer, 3)
        peer.send(ACK, 1001, s0 + 100)      # the tail, 2 segments, unacked
        r = peer.recv()
        while r and not r["data"]:
            r = peer.recv()
        p, t = counter("XtcpLossProbes") - probes, counter("XtcpTimeouts") - rtos
        if on:
            check("tlp=1: a probe resends the last segment before any RTO",
                  r and r["seq"] == s0 + 200 and p >= 1 and t == 0,
                  r and (r["seq"] - s0, p, t))
        else:
            check("tlp=0: no probe; the RTO resends the first unacknowledged",
                  r and r["seq"] == s0 + 100 and p == 0 and t == 1,
                  r and (r["seq"] - s0, p, t))
        abort(c)
        lst.close()


def t_tw_reuse():
    srv = xsock()
    srv.bind((LOOPBACK, 7030))
    srv.listen(8)

    def conn_from(port):
        c = xsock()
        c.bind((LOOPBACK, port))
        c.connect((LOOPBACK, 7030))
        s_, _ = srv.accept()
        return c, s_

    c, s_ = conn_from(7031)
    c.close()                            # the client keeps TIME_WAIT
    s_.recv(1)
    s_.close()
    time.sleep(0.2)
    rec = counter("XtcpTimeWaitRecycled")
    try:
        conn_from(7031)
        early = "connected"
    except OSError as e:
        early = e.errno
    check("tw_reuse: not within a second of the last timestamp",
          early == 99, early)              # EADDRNOTAVAIL
    time.sleep(2.2)                      # > 1 s in whole seconds
    c2, s2 = conn_from(7031)
    c2.send(b"again")
    check("tw_reuse=2 (loopback): the time-wait tuple is reused",
          s2.recv(5) == b"again" and counter("XtcpTimeWaitRecycled") == rec + 1)
    c2.close()
    s2.recv(1)
    s2.close()
    set_sysctl("tw_reuse", 0)
    time.sleep(2.2)
    try:
        conn_from(7031)
        late = "connected"
    except OSError as e:
        late = e.errno
    check("tw_reuse=0: the tuple stays in TIME_WAIT", late == 99, late)
    set_sysctl("tw_reuse", 2)
    srv.close()


def t_v6_bad_sources():
    """IPv6 only (RFC 4291 2.5.5.2): a SYN from a v4-mapped source is not
    answered and makes no request, as tcp_v6_conn_request() drops it;
    it counts as a header error.  A listener on :: that takes IPv4 must
    not take IPv4 disguised as IPv6."""
    if not V6:
        return
    lst = xsock()
    lst.bind(("::", 7050))
    lst.listen(4)
    hdr = counter("XtcpInHdrErrors")
    p = Peer(47050, 7050, src="::ffff:10.1.1.2")
    p.send(SYN, 1000, opts=MSS_OPT)
    time.sleep(0.3)
    check("SYN from ::ffff:10.1.1.2: no request, a header error counted",
          proc_states(7050) == ["LISTEN"] and
          counter("XtcpInHdrErrors") == hdr + 1,
          (proc_states(7050), counter("XtcpInHdrErrors") - hdr))
    p.close()
    good = Peer(47051, 7050)
    good.send(SYN, 1000, opts=MSS_OPT)
    sa = good.recv()
    check("  while a SYN from fd00:1::2 gets its SYN-ACK",
          sa and sa["flags"] == SYN | ACK, sa)
    good.close()
    lst.close()


TESTS = [t_handshake, t_synack_retries, t_rst_and_challenge,
         t_active_close_time_wait, t_fin_wait1_to_time_wait, t_closing,
         t_passive_close, t_orphan_fin_wait2, t_bad_segments, t_syncookies,
         t_timestamps, t_sack, t_tlp, t_tw_reuse, t_v6_bad_sources]

run(TESTS)
