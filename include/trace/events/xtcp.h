/* SPDX-License-Identifier: GPL-2.0 */
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
#define xtcp_trace_src(p, e)						\
	({ typeof(e) __e = (e);						\
	   xtcp_trace_print_addr(p, __e->family, __e->saddr,		\
				 __e->saddr_v6, __e->sport); })
#define xtcp_trace_dst(p, e)						\
	({ typeof(e) __e = (e);						\
	   xtcp_trace_print_addr(p, __e->family, __e->daddr,		\
				 __e->daddr_v6, __e->dport); })

#define xtcp_state_name(s)					\
	__print_symbolic(s,					\
			 { 0, "NONE" },				\
			 { TCP_ESTABLISHED, "ESTABLISHED" },	\
			 { TCP_SYN_SENT, "SYN_SENT" },		\
			 { TCP_SYN_RECV, "SYN_RECV" },		\
			 { TCP_FIN_WAIT1, "FIN_WAIT1" },	\
			 { TCP_FIN_WAIT2, "FIN_WAIT2" },	\
			 { TCP_TIME_WAIT, "TIME_WAIT" },	\
			 { TCP_CLOSE, "CLOSE" },		\
			 { TCP_CLOSE_WAIT, "CLOSE_WAIT" },	\
			 { TCP_LAST_ACK, "LAST_ACK" },		\
			 { TCP_LISTEN, "LISTEN" },		\
			 { TCP_CLOSING, "CLOSING" })

/**
 * xtcp_state - a socket or minisock changes state
 * @skaddr: the object, to follow one connection
 * @a: addresses and ports, local first
 * @oldstate: TCP_* state it leaves, as in /proc/net/xtcp
 * @newstate: TCP_* state it enters
 * @bytes_acked: octets the peer acknowledged (0 for minisocks)
 * @bytes_received: octets received in order (0 for minisocks)
 */
TRACE_EVENT(xtcp_state,
	    TP_PROTO(const void *skaddr, const struct xtcp_trace_addr *a,
		     int oldstate, int newstate, u64 bytes_acked,
		     u64 bytes_received),
	    TP_ARGS(skaddr, a, oldstate, newstate, bytes_acked, bytes_received),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)
			     __field(__u64, bytes_acked)
			     __field(__u64, bytes_received)),
	    TP_fast_assign(__entry->skaddr = skaddr;
			   xtcp_trace_store(__entry, a);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;
			   __entry->bytes_acked = bytes_acked;
			   __entry->bytes_received = bytes_received;),
	    TP_printk("sk=%p %s -> %s %s -> %s tx=%llu rx=%llu",
		      __entry->skaddr, xtcp_trace_src(p, __entry),
		      xtcp_trace_dst(p, __entry),
		      xtcp_state_name(__entry->oldstate),
		      xtcp_state_name(__entry->newstate), __entry->bytes_acked,
		      __entry->bytes_received)
);

/**
 * xtcp_rst_class - a RST is sent or received
 * @a: addresses and ports, local first
 * @state: state of the socket or minisock, 0 when none had the segment
 * @seq: the RST's sequence number
 */
DECLARE_EVENT_CLASS(xtcp_rst_class,
		    TP_PROTO(const struct xtcp_trace_addr *a, int state, u32 seq),
		    TP_ARGS(a, state, seq),
		    TP_STRUCT__entry(__field(__u16, family)
				     __array(__u8, saddr, 4)
				     __array(__u8, daddr, 4)
				     __array(__u8, saddr_v6, 16)
				     __array(__u8, daddr_v6, 16)
				     __field(__u16, sport)
				     __field(__u16, dport)
				     __field(int, state)
				     __field(__u32, seq)),
		    TP_fast_assign(xtcp_trace_store(__entry, a);
				   __entry->state = state;
				   __entry->seq = seq;),
		    TP_printk("%s -> %s state=%s seq=%u",
			      xtcp_trace_src(p, __entry),
			      xtcp_trace_dst(p, __entry),
			      xtcp_state_name(__entry->state), __entry->seq)
);

DEFINE_EVENT(xtcp_rst_class, xtcp_send_reset,
	     TP_PROTO(const struct xtcp_trace_addr *a, int state, u32 seq),
	     TP_ARGS(a, state, seq));

DEFINE_EVENT(xtcp_rst_class, xtcp_receive_reset,
	     TP_PROTO(const struct xtcp_trace_addr *a, int state, u32 seq),
	     TP_ARGS(a, state, seq));

/**
 * xtcp_retransmit - a segment is sent again
 * @sk: the socket
 * @seq: first sequence number of the segment
 * @end_seq: sequence number after it
 * @reason: 0 timeout (RFC 6298 5.4), 1 fast retransmit or SACK hole
 * (RFC 6582, RFC 6675), 2 SYN or SYN-ACK, 3 tail loss probe (RFC 8985 7.3)
 */
TRACE_EVENT(xtcp_retransmit,
	    TP_PROTO(const struct sock *sk, u32 seq, u32 end_seq, int reason),
	    TP_ARGS(sk, seq, end_seq, reason),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u32, seq)
			     __field(__u32, end_seq)
			     __field(int, reason)),
	    TP_fast_assign(__entry->skaddr = sk;
			   xtcp_trace_store_sk(__entry, sk);
			   __entry->state = sk->sk_state;
			   __entry->seq = seq;
			   __entry->end_seq = end_seq;
			   __entry->reason = reason;),
	    TP_printk("sk=%p %s -> %s state=%s seq=%u end_seq=%u reason=%s",
		      __entry->skaddr, xtcp_trace_src(p, __entry),
		      xtcp_trace_dst(p, __entry),
		      xtcp_state_name(__entry->state), __entry->seq,
		      __entry->end_seq,
		      __print_symbolic(__entry->reason,
				       { 0, "timeout" },
				       { 1, "fast" },
				       { 2, "syn" },
				       { 3, "probe" }))
);

/**
 * xtcp_retransmit_synack - a request minisock's SYN-ACK is sent again
 * @req: the request minisock
 * @a: the listener's address and port, then the peer's
 * @iss: our initial sequence number, the SYN-ACK's
 * @retries: SYN-ACKs resent so far, this one included
 */
TRACE_EVENT(xtcp_retransmit_synack,
	    TP_PROTO(const void *req, const struct xtcp_trace_addr *a, u32 iss,
		     int retries),
	    TP_ARGS(req, a, iss, retries),
	    TP_STRUCT__entry(__field(const void *, reqaddr)
			     __field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, iss)
			     __field(int, retries)),
	    TP_fast_assign(__entry->reqaddr = req;
			   xtcp_trace_store(__entry, a);
			   __entry->iss = iss;
			   __entry->retries = retries;),
	    TP_printk("req=%p %s -> %s iss=%u retries=%d",
		      __entry->reqaddr, xtcp_trace_src(p, __entry),
		      xtcp_trace_dst(p, __entry), __entry->iss, __entry->retries)
);

/**
 * xtcp_probe - the connection's variables after an incoming ACK
 * @sk: the socket
 * @snd_nxt: SND.NXT (RFC 9293 3.3.1)
 * @snd_una: SND.UNA
 * @rcv_nxt: RCV.NXT
 * @snd_cwnd: congestion window, in segments
 * @ssthresh: slow start threshold, in segments
 * @srtt: smoothed RTT, in microseconds (RFC 6298)
 * @snd_wnd: the peer's window, in octets
 * @rcv_wnd: our window, in octets
 * @length: the segment's length, header included
 */
TRACE_EVENT(xtcp_probe,
	    TP_PROTO(const struct sock *sk, u32 snd_nxt, u32 snd_una,
		     u32 rcv_nxt, u32 snd_cwnd, u32 ssthresh, u32 srtt,
		     u32 snd_wnd, u32 rcv_wnd, u32 length),
	    TP_ARGS(sk, snd_nxt, snd_una, rcv_nxt, snd_cwnd, ssthresh, srtt,
		    snd_wnd, rcv_wnd, length),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, state)
			     __field(__u32, snd_nxt)
			     __field(__u32, snd_una)
			     __field(__u32, rcv_nxt)
			     __field(__u32, snd_cwnd)
			     __field(__u32, ssthresh)
			     __field(__u32, srtt)
			     __field(__u32, snd_wnd)
			     __field(__u32, rcv_wnd)
			     __field(__u32, length)),
	    TP_fast_assign(__entry->skaddr = sk;
			   xtcp_trace_store_sk(__entry, sk);
			   __entry->state = sk->sk_state;
			   __entry->snd_nxt = snd_nxt;
			   __entry->snd_una = snd_una;
			   __entry->rcv_nxt = rcv_nxt;
			   __entry->snd_cwnd = snd_cwnd;
			   __entry->ssthresh = ssthresh;
			   __entry->srtt = srtt;
			   __entry->snd_wnd = snd_wnd;
			   __entry->rcv_wnd = rcv_wnd;
			   __entry->length = length;),
	    TP_printk("%s -> %s state=%s len=%u snd_nxt=%u snd_una=%u rcv_nxt=%u cwnd=%u ssthresh=%u srtt=%u snd_wnd=%u rcv_wnd=%u",
		      xtcp_trace_src(p, __entry), xtcp_trace_dst(p, __entry),
		      xtcp_state_name(__entry->state), __entry->length,
		      __entry->snd_nxt, __entry->snd_una, __entry->rcv_nxt,
		      __entry->snd_cwnd, __entry->ssthresh, __entry->srtt,
		      __entry->snd_wnd, __entry->rcv_wnd)
);

/**
 * xtcp_listen_drop - a listener drops a SYN or a final ACK
 * @a: the listener's address and port, then the peer's
 * @reason: 0 SYN queue full, 1 accept queue full, 2 no memory
 */
TRACE_EVENT(xtcp_listen_drop,
	    TP_PROTO(const struct xtcp_trace_addr *a, int reason),
	    TP_ARGS(a, reason),
	    TP_STRUCT__entry(__field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, reason)),
	    TP_fast_assign(xtcp_trace_store(__entry, a);
			   __entry->reason = reason;),
	    TP_printk("%s -> %s reason=%s",
		      xtcp_trace_src(p, __entry), xtcp_trace_dst(p, __entry),
		      __print_symbolic(__entry->reason,
				       { 0, "syn_queue_full" },
				       { 1, "accept_queue_full" },
				       { 2, "no_memory" }))
);

/**
 * xtcp_syncookie - a SYN cookie is sent, or an ACK's cookie checked
 * @a: the listener's address and port, then the peer's
 * @cookie: the cookie (our ISN)
 * @result: 0 sent, 1 valid, 2 invalid or stale
 */
TRACE_EVENT(xtcp_syncookie,
	    TP_PROTO(const struct xtcp_trace_addr *a, u32 cookie, int result),
	    TP_ARGS(a, cookie, result),
	    TP_STRUCT__entry(__field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, cookie)
			     __field(int, result)),
	    TP_fast_assign(xtcp_trace_store(__entry, a);
			   __entry->cookie = cookie;
			   __entry->result = result;),
	    TP_printk("%s -> %s cookie=%08x %s",
		      xtcp_trace_src(p, __entry), xtcp_trace_dst(p, __entry),
		      __entry->cookie,
		      __print_symbolic(__entry->result,
				       { 0, "sent" },
				       { 1, "valid" },
				       { 2, "invalid" }))
);

/**
 * xtcp_tw - a time-wait minisock is created, killed or reused
 * @twaddr: the minisock
 * @a: addresses and ports, local first
 * @substate: TIME_WAIT, or FIN_WAIT2 for an orphan awaiting FIN
 * @event: 0 created, 1 killed (timer, RST or unload), 2 reused (RFC 6191 SYN
 * or tw_reuse)
 */
TRACE_EVENT(xtcp_tw,
	    TP_PROTO(const void *twaddr, const struct xtcp_trace_addr *a,
		     int substate, int event),
	    TP_ARGS(twaddr, a, substate, event),
	    TP_STRUCT__entry(__field(const void *, twaddr)
			     __field(__u16, family)
			     __array(__u8, saddr, 4)
			     __array(__u8, daddr, 4)
			     __array(__u8, saddr_v6, 16)
			     __array(__u8, daddr_v6, 16)
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, substate)
			     __field(int, event)),
	    TP_fast_assign(__entry->twaddr = twaddr;
			   xtcp_trace_store(__entry, a);
			   __entry->substate = substate;
			   __entry->event = event;),
	    TP_printk("tw=%p %s -> %s substate=%s %s",
		      __entry->twaddr, xtcp_trace_src(p, __entry),
		      xtcp_trace_dst(p, __entry),
		      xtcp_state_name(__entry->substate),
		      __print_symbolic(__entry->event,
				       { 0, "created" },
				       { 1, "killed" },
				       { 2, "reused" }))
);

#endif /* _TRACE_XTCP_H */

/* Out of tree: Kbuild sets the path, under the module's -I$(src)/include. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH XTCP_TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xtcp
#include <trace/define_trace.h>
