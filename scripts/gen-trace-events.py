#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Regenerate include/trace/events/xtcp.h:
#   scripts/gen-trace-events.py include/trace/events/xtcp.h
# The layout it writes is checkpatch --strict clean, which TRACE_EVENT
# macros written by hand rarely are.
STATES = ["ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
          "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"]
addr_fields = ["__field(__u16, family)", "__array(__u8, saddr, 4)", "__array(__u8, daddr, 4)",
               "__array(__u8, saddr_v6, 16)", "__array(__u8, daddr_v6, 16)",
               "__field(__u16, sport)", "__field(__u16, dport)"]
addr_fmt = "%s -> %s"
addr_args = ["xtcp_trace_src(p, __entry)", "xtcp_trace_dst(p, __entry)"]

def event(name, doc, proto, args, fields, assign, fmt, pargs, cls=None):
    out = ["/**", " * %s - %s" % (name, doc[0])] + [" * " + d if d else " *" for d in doc[1:]] + [" */"]
    head = "TRACE_EVENT(%s," % name if not cls else "DECLARE_EVENT_CLASS(%s," % name
    ind = " " * (len(head.split("(")[0]) + 1)
    ind = "\t" * (len(ind) // 8) + " " * (len(ind) % 8)
    out.append(head)
    def block(kw, items, sep, last):
        pre = ind + kw + "("
        col = len(head.split("(")[0]) + 1 + len(kw) + 1
        pad = "\t" * (col // 8) + " " * (col % 8)
        lines = []
        cur = pre
        for i, it in enumerate(items):
            piece = it + (sep if i < len(items) - 1 else "")
            if "@@" in piece:
                c2 = col + len("__print_symbolic(")
                piece = piece.replace("@@", "\t" * (c2 // 8) + " " * (c2 % 8))
                lines.append(cur.rstrip())
                cur = pad + piece
                continue
            vis = len(cur.expandtabs(8)) + len(piece) + (1 if cur != pre else 0)
            if cur != pre and (vis > 80 or sep == "" or (kw == "TP_printk" and i == 1)):
                lines.append(cur.rstrip())
                cur = pad + piece
            else:
                cur = cur + (" " if cur != pre and sep != "" else "") + piece
        lines.append(cur + ")" + last)
        return lines
    out += block("TP_PROTO", proto, ",", ",")
    out += block("TP_ARGS", args, ",", ",")
    out += block("TP_STRUCT__entry", fields, "", ",")
    out += block("TP_fast_assign", assign, "", ",")
    out += block("TP_printk", [fmt] + pargs, ",", "")
    out.append(");")
    return "\n".join(out) + "\n"

def sym(expr, pairs):
    if pairs is None:
        return "xtcp_state_name(%s)" % expr
    return "__print_symbolic(%s,\n@@" % expr + ",\n@@".join('{ %s, "%s" }' % p for p in pairs) + ")"

states = None
hdr = '''/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp tracepoints (system "xtcp"): what the transport does, with the
 * connection's addresses, ports and state, for ftrace, trace-cmd, perf
 * and bpftrace (tracepoint:xtcp:*).  Addresses are kept as tcp's
 * tracepoints keep them, for bpftrace's ntop(): family (AF_INET or
 * AF_INET6, the family on the wire), saddr and daddr (4 octets, IPv4;
 * 0 for IPv6) and saddr_v6 and daddr_v6 (16 octets; v4-mapped for
 * IPv4).  Generated layout: see scripts/gen-trace-events.py.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_TRACE_XTCP_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_XTCP_H

#include <linux/tracepoint.h>
#include <net/inet_sock.h>
#include <net/tcp_states.h>

#include "xtcp_trace_addr.h"

/* "a.b.c.d:port" or "[v6]:port", as the entry's family is. */
#define xtcp_trace_src(p, e)						\\
	({ typeof(e) __e = (e);						\\
	   xtcp_trace_print_addr(p, __e->family, __e->saddr,		\\
				 __e->saddr_v6, __e->sport); })
#define xtcp_trace_dst(p, e)						\\
	({ typeof(e) __e = (e);						\\
	   xtcp_trace_print_addr(p, __e->family, __e->daddr,		\\
				 __e->daddr_v6, __e->dport); })

#define xtcp_state_name(s)					\\
	__print_symbolic(s,					\\
			 { 0, "NONE" },				\\
			 { TCP_ESTABLISHED, "ESTABLISHED" },	\\
			 { TCP_SYN_SENT, "SYN_SENT" },		\\
			 { TCP_SYN_RECV, "SYN_RECV" },		\\
			 { TCP_FIN_WAIT1, "FIN_WAIT1" },	\\
			 { TCP_FIN_WAIT2, "FIN_WAIT2" },	\\
			 { TCP_TIME_WAIT, "TIME_WAIT" },	\\
			 { TCP_CLOSE, "CLOSE" },		\\
			 { TCP_CLOSE_WAIT, "CLOSE_WAIT" },	\\
			 { TCP_LAST_ACK, "LAST_ACK" },		\\
			 { TCP_LISTEN, "LISTEN" },		\\
			 { TCP_CLOSING, "CLOSING" })

'''
sk_addr = ["xtcp_trace_store_sk(__entry, sk);"]
p_addr = ["xtcp_trace_store(__entry, a);"]
addr_proto = ["const struct xtcp_trace_addr *a"]
addr_a = ["a"]

body = hdr
body += event("xtcp_state", ["a socket or minisock changes state",
    "@skaddr: the object, to follow one connection",
    "@a: addresses and ports, local first",
    "@oldstate: TCP_* state it leaves, as in /proc/net/xtcp",
    "@newstate: TCP_* state it enters",
    "@bytes_acked: octets the peer acknowledged (0 for minisocks)",
    "@bytes_received: octets received in order (0 for minisocks)"],
    ["const void *skaddr"] + addr_proto + ["int oldstate", "int newstate", "u64 bytes_acked", "u64 bytes_received"],
    ["skaddr"] + addr_a + ["oldstate", "newstate", "bytes_acked", "bytes_received"],
    ["__field(const void *, skaddr)"] + addr_fields + ["__field(int, oldstate)", "__field(int, newstate)",
     "__field(__u64, bytes_acked)", "__field(__u64, bytes_received)"],
    ["__entry->skaddr = skaddr;"] + p_addr + ["__entry->oldstate = oldstate;", "__entry->newstate = newstate;",
     "__entry->bytes_acked = bytes_acked;", "__entry->bytes_received = bytes_received;"],
    '"sk=%p ' + addr_fmt + ' %s -> %s tx=%llu rx=%llu"',
    ["__entry->skaddr"] + addr_args + [sym("__entry->oldstate", states), sym("__entry->newstate", states),
     "__entry->bytes_acked", "__entry->bytes_received"])
body += "\n"
body += event("xtcp_rst_class", ["a RST is sent or received",
    "@a: addresses and ports, local first",
    "@state: state of the socket or minisock, 0 when none had the segment",
    "@seq: the RST's sequence number"],
    addr_proto + ["int state", "u32 seq"], addr_a + ["state", "seq"],
    addr_fields + ["__field(int, state)", "__field(__u32, seq)"],
    p_addr + ["__entry->state = state;", "__entry->seq = seq;"],
    '"' + addr_fmt + ' state=%s seq=%u"',
    addr_args + [sym("__entry->state", None), "__entry->seq"], cls=True)
for n in ("xtcp_send_reset", "xtcp_receive_reset"):
    body += "\nDEFINE_EVENT(xtcp_rst_class, %s,\n\t     TP_PROTO(const struct xtcp_trace_addr *a, int state, u32 seq),\n\t     TP_ARGS(a, state, seq));\n" % n
body += "\n"
body += event("xtcp_retransmit", ["a segment is sent again",
    "@sk: the socket", "@seq: first sequence number of the segment",
    "@end_seq: sequence number after it",
    "@reason: 0 timeout (RFC 6298 5.4), 1 fast retransmit or SACK hole",
    "(RFC 6582, RFC 6675), 2 SYN or SYN-ACK, 3 tail loss probe (RFC 8985 7.3)"],
    ["const struct sock *sk", "u32 seq", "u32 end_seq", "int reason"], ["sk", "seq", "end_seq", "reason"],
    ["__field(const void *, skaddr)"] + addr_fields + ["__field(int, state)", "__field(__u32, seq)",
     "__field(__u32, end_seq)", "__field(int, reason)"],
    ["__entry->skaddr = sk;"] + sk_addr + ["__entry->state = sk->sk_state;", "__entry->seq = seq;",
     "__entry->end_seq = end_seq;", "__entry->reason = reason;"],
    '"sk=%p ' + addr_fmt + ' state=%s seq=%u end_seq=%u reason=%s"',
    ["__entry->skaddr"] + addr_args + [sym("__entry->state", states), "__entry->seq", "__entry->end_seq",
     sym("__entry->reason", [("0", "timeout"), ("1", "fast"), ("2", "syn"), ("3", "probe")])])
body += "\n"
body += event("xtcp_retransmit_synack", ["a request minisock's SYN-ACK is sent again",
    "@req: the request minisock", "@a: the listener's address and port, then the peer's",
    "@iss: our initial sequence number, the SYN-ACK's",
    "@retries: SYN-ACKs resent so far, this one included"],
    ["const void *req"] + addr_proto + ["u32 iss", "int retries"], ["req"] + addr_a + ["iss", "retries"],
    ["__field(const void *, reqaddr)"] + addr_fields + ["__field(__u32, iss)", "__field(int, retries)"],
    ["__entry->reqaddr = req;"] + p_addr + ["__entry->iss = iss;", "__entry->retries = retries;"],
    '"req=%p ' + addr_fmt + ' iss=%u retries=%d"',
    ["__entry->reqaddr"] + addr_args + ["__entry->iss", "__entry->retries"])
body += "\n"
pf = ["snd_nxt", "snd_una", "rcv_nxt", "snd_cwnd", "ssthresh", "srtt", "snd_wnd", "rcv_wnd", "length"]
body += event("xtcp_probe", ["the connection's variables after an incoming ACK",
    "@sk: the socket", "@snd_nxt: SND.NXT (RFC 9293 3.3.1)", "@snd_una: SND.UNA", "@rcv_nxt: RCV.NXT",
    "@snd_cwnd: congestion window, in segments", "@ssthresh: slow start threshold, in segments",
    "@srtt: smoothed RTT, in microseconds (RFC 6298)", "@snd_wnd: the peer's window, in octets",
    "@rcv_wnd: our window, in octets", "@length: the segment's length, header included"],
    ["const struct sock *sk"] + ["u32 " + f for f in pf], ["sk"] + pf,
    ["__field(const void *, skaddr)"] + addr_fields + ["__field(int, state)"] + ["__field(__u32, %s)" % f for f in pf],
    ["__entry->skaddr = sk;"] + sk_addr + ["__entry->state = sk->sk_state;"] + ["__entry->%s = %s;" % (f, f) for f in pf],
    '"' + addr_fmt + ' state=%s len=%u snd_nxt=%u snd_una=%u rcv_nxt=%u cwnd=%u ssthresh=%u srtt=%u snd_wnd=%u rcv_wnd=%u"',
    addr_args + [sym("__entry->state", states)] + ["__entry->" + f for f in ["length"] + pf[:-1]])
body += "\n"
body += event("xtcp_listen_drop", ["a listener drops a SYN or a final ACK",
    "@a: the listener's address and port, then the peer's",
    "@reason: 0 SYN queue full, 1 accept queue full, 2 no memory"],
    addr_proto + ["int reason"], addr_a + ["reason"], addr_fields + ["__field(int, reason)"],
    p_addr + ["__entry->reason = reason;"], '"' + addr_fmt + ' reason=%s"',
    addr_args + [sym("__entry->reason", [("0", "syn_queue_full"), ("1", "accept_queue_full"), ("2", "no_memory")])])
body += "\n"
body += event("xtcp_syncookie", ["a SYN cookie is sent, or an ACK's cookie checked",
    "@a: the listener's address and port, then the peer's",
    "@cookie: the cookie (our ISN)", "@result: 0 sent, 1 valid, 2 invalid or stale"],
    addr_proto + ["u32 cookie", "int result"], addr_a + ["cookie", "result"],
    addr_fields + ["__field(__u32, cookie)", "__field(int, result)"],
    p_addr + ["__entry->cookie = cookie;", "__entry->result = result;"], '"' + addr_fmt + ' cookie=%08x %s"',
    addr_args + ["__entry->cookie", sym("__entry->result", [("0", "sent"), ("1", "valid"), ("2", "invalid")])])
body += "\n"
body += event("xtcp_tw", ["a time-wait minisock is created, killed or reused",
    "@twaddr: the minisock", "@a: addresses and ports, local first",
    "@substate: TIME_WAIT, or FIN_WAIT2 for an orphan awaiting FIN",
    "@event: 0 created, 1 killed (timer, RST or unload), 2 reused (RFC 6191 SYN",
    "or tw_reuse)"],
    ["const void *twaddr"] + addr_proto + ["int substate", "int event"], ["twaddr"] + addr_a + ["substate", "event"],
    ["__field(const void *, twaddr)"] + addr_fields + ["__field(int, substate)", "__field(int, event)"],
    ["__entry->twaddr = twaddr;"] + p_addr + ["__entry->substate = substate;", "__entry->event = event;"],
    '"tw=%p ' + addr_fmt + ' substate=%s %s"',
    ["__entry->twaddr"] + addr_args + [sym("__entry->substate", states),
     sym("__entry->event", [("0", "created"), ("1", "killed"), ("2", "reused")])])
body += '''
#endif /* _TRACE_XTCP_H */

/* Out of tree: Kbuild sets the path, under the module's -I$(src)/include. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH XTCP_TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xtcp
#include <trace/define_trace.h>
'''
import sys
open(sys.argv[1], "w").write(body)
