// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer autotuning for a connection (see xtcp_autotune.h): the
 * receiver's round-trip estimate, the receive buffer grown after reads
 * (net.xtcp.moderate_rcvbuf, up to net.xtcp.rmem[2]), the send buffer
 * grown on ACKs (up to net.xtcp.wmem[2]).  A buffer the user fixed with
 * SO_RCVBUF or SO_SNDBUF is left alone, as Linux leaves it.
 */
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_autotune.h"
#include "xtcp_mem.h"
#include "xtcp_seq.h"

/**
 * xtcp_autotune_init() - start measuring at establishment
 * @sk: socket, locked, its first window chosen
 *
 * As tcp_init_buffer_space(): the first measured window is at most ten
 * segments, and the send buffer takes the initial window.
 */
void xtcp_autotune_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(&xs->rcv_rtt, 0, sizeof(xs->rcv_rtt));
	xs->rcvq_space.time_us = xtcp_clock_us();
	xs->rcvq_space.seq = xs->copied_seq;
	xs->rcvq_space.space = min_t(u32, xs->rcv_wnd,
				     XTCP_AUTOTUNE_INIT_SEGS * xs->advmss);
	xtcp_sndbuf_moderate(sk);
}

/**
 * xtcp_rcv_rtt_measure() - time the round trip from the receiving side
 * @sk: socket, locked
 * @skb: an in-order segment with data
 * @len: its octets of data
 *
 * Two ways, as tcp_rcv_rtt_measure() and tcp_rcv_rtt_measure_ts(): the
 * echo of our timestamp in a full-sized segment, and the time the
 * sender took to fill the window offered when the last measure began.
 */
void xtcp_rcv_rtt_measure(struct sock *sk, const struct sk_buff *skb, u32 len)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rcv_rtt *r = &xs->rcv_rtt;
	u32 now = xtcp_clock_us();

	if (xs->tstamp_ok && cb->has_ts && cb->tsecr &&
	    cb->tsecr != r->last_tsecr) {
		s32 ms = xtcp_clock_ms() + xs->ts_off - cb->tsecr;

		r->last_tsecr = cb->tsecr;
		if (len >= xs->rcv_mss && ms >= 0 && ms < S32_MAX / 1000)
			r->rtt_us8 = xtcp_rcv_rtt_sample(r->rtt_us8,
							 max(ms, 1) * 1000,
							 false);
	}
	if (r->time_us) {
		if (xtcp_seq_before(xs->rcv_nxt, r->seq))
			return;
		r->rtt_us8 = xtcp_rcv_rtt_sample(r->rtt_us8,
						 max(now - r->time_us, 1U),
						 true);
	}
	r->seq = xs->rcv_nxt + xs->rcv_wnd;
	r->time_us = now ?: 1;
}

/**
 * xtcp_rcv_space_adjust() - grow the receive buffer to the reader's pace
 * @sk: socket, locked, after the reader took data
 *
 * Once a round trip has passed, what the reader took in it, if more
 * than in the one before, sets the buffer to what xtcp_rcvwin_need()
 * asks for (tcp_rcv_space_adjust(), RFC 7323 2's large windows).
 */
void xtcp_rcv_space_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rcvq_space *q = &xs->rcvq_space;
	u32 now = xtcp_clock_us(), copied;

	if (!xs->rcv_rtt.rtt_us8 || now - q->time_us < xs->rcv_rtt.rtt_us8 >> 3)
		return;
	copied = xs->copied_seq - q->seq;
	if (copied <= q->space)
		goto new_measure;
	if (READ_ONCE(xtcp_sysctl(sock_net(sk))->moderate_rcvbuf) &&
	    !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		u64 win = xtcp_rcvwin_need(copied, q->space, xs->advmss);
		int rcvbuf = min_t(u64, xtcp_space_from_win(win,
							    xs->scaling_ratio),
				   READ_ONCE(xtcp_sysctl_rmem[2]));

		if (rcvbuf > READ_ONCE(sk->sk_rcvbuf)) {
			WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_RCVBUFGROWN);
		}
	}
	q->space = copied;
new_measure:
	q->seq = xs->copied_seq;
	q->time_us = now;
}

/**
 * xtcp_sndbuf_moderate() - grow the send buffer to the congestion window
 * @sk: socket, locked, after an ACK freed some of it
 *
 * As tcp_should_expand_sndbuf() and tcp_sndbuf_expand(): not when the
 * user fixed it, not under memory pressure, not while the window is
 * full (the sender is not the limit then).
 */
void xtcp_sndbuf_moderate(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 need;

	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) ||
	    sk_under_memory_pressure(sk) ||
	    sk_memory_allocated(sk) >= sk_prot_mem_limits(sk, 0) ||
	    xtcp_packets_in_flight(xs) >= xs->cc.cwnd)
		return;
	/* The larger MSS of the two ends, as Linux's mss_clamp. */
	need = xtcp_sndbuf_need(max(xs->mss, xs->advmss), xs->cc.cwnd,
				XTCP_MAX_HEADER,
				SKB_DATA_ALIGN(sizeof(struct skb_shared_info)),
				SKB_DATA_ALIGN(sizeof(struct sk_buff)));
	if (READ_ONCE(sk->sk_sndbuf) < need)
		WRITE_ONCE(sk->sk_sndbuf,
			   min_t(u64, need, READ_ONCE(xtcp_sysctl_wmem[2])));
}
