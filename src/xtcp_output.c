// SPDX-License-Identifier: GPL-2.0
/*
 * Segment output: headers and options (RFC 9293 3.1, 3.2), the send
 * loop over the write queue, ACKs, FIN and RST, and segments that have
 * no socket (RST replies, time-wait ACKs, SYN-ACKs), which go out
 * through a per-netns control socket.
 */
#include <net/inet_common.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/route.h>

#include "xtcp.h"
#include "xtcp_mem.h"
#include "xtcp_ofo.h"
#include "xtcp_seq.h"
#include "xtcp_timer.h"
#include "xtcp_window.h"
#include <trace/events/xtcp.h>

/* Push a header with options @o (may be NULL) in front of skb->data. */
static struct xtcphdr *xtcp_push_header(struct sk_buff *skb, __be16 sport,
					__be16 dport, u32 seq, u32 ack,
					u8 flags, u16 window,
					const struct xtcp_opts *o)
{
	int hlen = sizeof(struct xtcphdr) + xtcp_opts_len(o);
	struct xtcphdr *th;

	skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	th = xtcp_hdr(skb);
	memset(th, 0, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = (flags & XTCPHDR_ACK) ? htonl(ack) : 0;
	th->doff = hlen / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(window);
	if (o)
		xtcp_write_opts((__be32 *)(th + 1), o);
	return th;
}

/**
 * xtcp_select_window() - the window to advertise, as the header field
 * @sk: socket
 *
 * The window is the payload the free receive buffer can take (see
 * xtcp_win_space()), never less than what was offered before (RFC 9293
 * 3.8.6.2.2: do not shrink the window).
 *
 * Return: the window, scaled by our shift.
 */
u16 xtcp_select_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int space = xtcp_win_space(sk);

	/*
	 * Under memory pressure (net.xtcp.mem[1]) the window stops growing,
	 * as TCP clamps rcv_ssthresh to four segments.
	 */
	if (sk_under_memory_pressure(sk))
		space = min_t(int, space, 4 * xs->advmss);
	/* TCP_WINDOW_CLAMP bounds the window too. */
	if (xs->window_clamp)
		space = min_t(int, space, xs->window_clamp);
	xs->rcv_wnd = xtcp_window_for(space, xs->rcv_wnd, xs->rcv_wscale);
	return xs->rcv_wnd >> xs->rcv_wscale;
}

/**
 * xtcp_select_initial_window() - the first window and shift of @sk
 * @sk: the connecting socket, or the listener a SYN came to
 * @mss: our MSS less the options every segment will carry
 * @wscale_ok: a window scale option is sent
 * @wnd: set to the first RCV.WND
 * @wscale: set to our window shift
 *
 * xtcp_initial_window() for the whole receive buffer, bounded by
 * TCP_WINDOW_CLAMP and, when SO_RCVBUF fixed the buffer, by it (as
 * tcp_connect_init() and tcp_openreq_init_rwin()).
 */
void xtcp_select_initial_window(const struct sock *sk, u32 mss,
				bool wscale_ok, u32 *wnd, u8 *wscale)
{
	u32 full = xtcp_full_space(sk);
	u32 clamp = READ_ONCE(xtcp_sk(sk)->window_clamp);

	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    (!clamp || clamp > full))
		clamp = full;
	xtcp_initial_window(full, mss, clamp,
			    max_t(u32, READ_ONCE(xtcp_sysctl_rmem[2]),
				  READ_ONCE(sysctl_rmem_max)),
			    wscale_ok, wnd, wscale);
}

/**
 * xtcp_transmit_skb() - send one queued segment
 * @sk: socket, locked
 * @skb: segment whose control block holds seq and end_seq; it stays on
 *	its queue, a clone goes out
 * @flags: control bits for the header
 *
 * Return: 0 or a negative errno from the IP layer.
 */
int xtcp_transmit_skb(struct sock *sk, struct sk_buff *skb, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	bool syn = flags & XTCPHDR_SYN;
	struct xtcp_opts o = { .wscale = -1 };
	u32 seq = XTCP_SKB_CB(skb)->seq;
	struct xtcp_trace_addr ta;
	struct xtcphdr *th;
	u16 window;
	int err;

	skb = skb_cloned(skb) ? pskb_copy(skb, GFP_ATOMIC) :
				skb_clone(skb, GFP_ATOMIC);
	if (!skb)
		return -ENOBUFS;
	/* On the retransmission queue, dev shares its words with rbnode. */
	skb->dev = NULL;

	/* RFC 7323 2.2: the window field of a SYN is never scaled. */
	window = syn ? min_t(u32, xs->rcv_wnd, 65535U) :
		       xtcp_select_window(sk);
	if (syn) {
		o.mss = xs->advmss;
		o.wscale = xs->rcv_wscale;
		o.sack_ok = xs->sack_ok;
	} else if (xs->sack_ok && !xtcp_ofo_empty(&xs->ofo)) {
		/* RFC 2018 4: report what is held beyond RCV.NXT. */
		o.nr_sack = xtcp_ofo_blocks(&xs->ofo, o.sack,
					    xtcp_sack_room(xs->mss, skb->len,
							   xs->tstamp_ok ?
							   XTCP_MAX_SACK_TS :
							   XTCP_MAX_SACK));
	}
	if (xs->tstamp_ok) {
		o.ts = true;
		o.tsval = xtcp_clock_ms() + xs->ts_off;
		o.tsecr = xs->ts_recent;	/* 0 on our SYN */
	}
	th = xtcp_push_header(skb, inet->inet_sport, inet->inet_dport, seq,
			      xs->rcv_nxt, flags, window, &o);
	/*
	 * RFC 9293 3.8.5: while urgent data is unacknowledged, segments
	 * before SND.UP point at it, or as far as 16 bits reach (as
	 * tcp_transmit_skb()).
	 */
	if (unlikely(xs->urg_mode) && xtcp_seq_before(seq, xs->snd_up)) {
		if (xtcp_seq_before(xs->snd_up, seq + 0x10000)) {
			th->urg_ptr = htons(xs->snd_up - seq);
			th->urg = 1;
		} else if (xtcp_seq_after(seq + 0xFFFF, xs->snd_nxt)) {
			th->urg_ptr = htons(0xFFFF);
			th->urg = 1;
		}
	}

	/* RFC 9293 3.1 checksum, finished by the device or the stack. */
	xs->af_ops->send_check(sk, skb);

	/* Every segment but our SYN carries the ACK a delayed one owed. */
	if (flags & XTCPHDR_ACK)
		xtcp_delack_stop(sk);
	xs->segs_out++;

	skb_set_owner_w(skb, sk);
	skb_set_hash_from_sk(skb, sk);	/* the IPv6 flow label's source */
	skb_set_dst_pending_confirm(skb, READ_ONCE(sk->sk_dst_pending_confirm));
	memset(skb->cb, 0, max(sizeof(struct inet_skb_parm),
			       sizeof(struct inet6_skb_parm)));
	err = xs->af_ops->queue_xmit(sk, skb, &inet->cork.fl);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTSEGS);
	if (flags & XTCPHDR_RST) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_OUTRSTS);
		/* the clone is gone: use what was read before sending it */
		trace_xtcp_send_reset(xtcp_trace_addr_sk(&ta, sk),
				      sk->sk_state, seq);
	}
	return net_xmit_eval(err);
}

/* A header-only segment that is not queued: ACK, RST. */
static void xtcp_send_bare(struct sock *sk, u32 seq, u8 flags, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(XTCP_MAX_HEADER, gfp);

	if (!skb)
		return;
	skb_reserve(skb, XTCP_MAX_HEADER);
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq;
	xtcp_transmit_skb(sk, skb, flags);
	kfree_skb(skb);
}

void xtcp_send_ack(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_nxt, XTCPHDR_ACK, GFP_ATOMIC);
}

/* RFC 9293 3.10.4 ABORT: <SEQ=SND.NXT><CTL=RST>. */
void xtcp_send_active_reset(struct sock *sk, gfp_t gfp)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_nxt, XTCPHDR_RST | XTCPHDR_ACK, gfp);
}

/* Control bits a queued segment goes out with. */
static u8 xtcp_skb_flags(const struct sock *sk, const struct sk_buff *skb)
{
	u8 flags = XTCP_SKB_CB(skb)->flags;

	if (!(flags & XTCPHDR_SYN) || sk->sk_state != TCP_SYN_SENT)
		flags |= XTCPHDR_ACK;
	return flags;
}

/* Send (or resend) the head of the retransmission queue: SYN, SYN-ACK. */
int xtcp_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = xtcp_rtxq_head(&xtcp_sk(sk)->rtx_queue);

	if (!skb)
		return 0;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
	xtcp_sk(sk)->total_retrans++;
	XTCP_SKB_CB(skb)->sacked |= XTCP_EVER_RETRANS;	/* Karn */
	trace_xtcp_retransmit(sk, XTCP_SKB_CB(skb)->seq,
			      XTCP_SKB_CB(skb)->end_seq, 2);
	return xtcp_transmit_skb(sk, skb, xtcp_skb_flags(sk, skb));
}

/* Octets of data in a queued segment. */
static u32 xtcp_skb_data_len(const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	return cb->end_seq - cb->seq - !!(cb->flags & XTCPHDR_FIN) -
	       !!(cb->flags & XTCPHDR_SYN);
}

/*
 * Split @skb after @len octets of data, as Linux's tcp_fragment(): the
 * rest goes to a new skb queued after it, on the write queue or (@rtx)
 * the retransmission queue, charged as any queued segment and, there,
 * with the same scoreboard marks.  Octets of the linear part are
 * copied, page fragments move with their share of the truesize.
 * Return: 0, or -ENOBUFS if memory is short (nothing changed).
 */
static int xtcp_fragment(struct sock *sk, struct sk_buff *skb, u32 len,
			 bool rtx)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 linear, moved;
	struct sk_buff *buff;

	/*
	 * A clone still in flight shares the data: split once it is gone
	 * (the next ACK or the timer tries again).  Linux unclones with
	 * skb_unclone_keeptruesize(), which is not exported to modules.
	 */
	if (rtx && skb_cloned(skb))
		return -EBUSY;
	if (WARN_ON_ONCE(skb_cloned(skb) || cb->uncharged || len >= skb->len))
		return -EINVAL;
	linear = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	moved = skb->len - len - linear;
	buff = alloc_skb(XTCP_MAX_HEADER + linear, GFP_ATOMIC);
	if (!buff)
		return -ENOBUFS;
	skb_reserve(buff, XTCP_MAX_HEADER);
	if (!xtcp_wmem_charge(sk, buff, false)) {
		kfree_skb(buff);
		return -ENOBUFS;
	}
	skb_split(skb, buff, len);
	skb->truesize -= moved;
	buff->truesize += moved;
	*XTCP_SKB_CB(buff) = *cb;
	XTCP_SKB_CB(buff)->seq = cb->seq + len;
	cb->end_seq = cb->seq + len;
	cb->flags &= ~(XTCPHDR_FIN | XTCPHDR_PSH);
	cb->eor = 0;
	if (rtx)
		xtcp_rtxq_add_after(&xtcp_sk(sk)->rtx_queue,
				    &xtcp_sk(sk)->score, skb, buff);
	else
		__skb_queue_after(&sk->sk_write_queue, skb, buff);
	return 0;
}

/*
 * Resend a segment deemed lost (RFC 6675 5 NextSeg rule 1), or the last
 * one as a tail loss probe; @reason is the xtcp_retransmit tracepoint's.
 */
/*
 * The route's MTU may have shrunk since the MSS was chosen: another
 * socket's path MTU discovery, a lower route or device MTU.  TCP reads
 * it again on every send (tcp_current_mss()); over IPv6 nothing else
 * would tell, as ip6_xmit() drops what does not fit without an ICMP.
 * The MSS only falls here.
 */
static void xtcp_sync_mss(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mtu;
	u16 mss;

	if (!dst)
		return;
	mtu = dst_mtu(dst);
	if (mtu == xs->pmtu)
		return;
	xs->pmtu = mtu;
	mss = xtcp_mtu_to_mss(sk, mtu);
	if (mss < xs->mss) {
		xs->mss = mss;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_PMTUREDUCED);
	}
}

/**
 * xtcp_bound_mss() - cut the send MSS to half the peer's largest window
 * @sk: socket, locked, its window from the handshake known
 *
 * See xtcp_bound_to_half_wnd(); as TCP, once, when the connection is
 * set up.  The floor is 68 octets less the header (RFC 791's minimum
 * datagram, as Linux).
 */
void xtcp_bound_mss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 hdr = sizeof(struct xtcphdr) + (xs->tstamp_ok ? XTCP_TS_OPTLEN : 0);

	xs->mss = xtcp_bound_to_half_wnd(xs->max_window, xs->mss, 68U - hdr);
}

static void xtcp_retransmit_skb(struct sock *sk, struct sk_buff *skb,
				int reason)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_sync_mss(sk);
	/* Sent before the path MTU shrank (RFC 1191): resend in pieces. */
	if (skb->len > xs->mss && xtcp_fragment(sk, skb, xs->mss, true))
		return;
	if (xtcp_transmit_skb(sk, skb, xtcp_skb_flags(sk, skb)))
		return;	/* still lost; the timer or the next ACK tries again */
	trace_xtcp_retransmit(sk, cb->seq, cb->end_seq, reason);
	if (!(cb->sacked & XTCP_RETRANS))
		xs->score.retrans_out++;
	cb->sacked |= XTCP_RETRANS | XTCP_EVER_RETRANS;
	cb->when = xtcp_clock_us();
	xs->total_retrans++;
	xs->bytes_retrans += xtcp_skb_data_len(skb);
	xs->bytes_sent += xtcp_skb_data_len(skb);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
}

/* Move @skb from the write queue to the retransmission queue and send it. */
static void xtcp_send_new(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len = xtcp_skb_data_len(skb);
	bool idle = !xs->score.packets_out;

	__skb_unlink(skb, &sk->sk_write_queue);
	xtcp_rtxq_add_tail(&xs->rtx_queue, skb);
	XTCP_SKB_CB(skb)->sacked = 0;
	XTCP_SKB_CB(skb)->when = xtcp_clock_us();
	/* Nothing in flight: sending again after an idle time. */
	if (len && idle)
		xtcp_ca_event(sk, XTCP_CA_EVENT_TX_START);
	xs->score.packets_out++;
	xs->snd_nxt = XTCP_SKB_CB(skb)->end_seq;
	if (len) {
		xs->data_segs_out++;
		xs->bytes_sent += len;
		xs->lsndtime = jiffies;
	}
	xtcp_transmit_skb(sk, skb, xtcp_skb_flags(sk, skb));
	/*
	 * The first segment in flight starts the RTO afresh (as
	 * tcp_event_new_data_sent()): a pending timer was the persist or
	 * the cork timer, armed for another purpose and time.
	 */
	if (idle || !timer_pending(&xs->rtx_timer))
		xtcp_reset_rtx_timer(sk);
}

/**
 * xtcp_write_wakeup() - send what a window too small for the next segment
 *	takes
 * @sk: socket, locked, nothing in flight
 *
 * RFC 9293 3.8.6.1: the persist timer's probe may carry data.  A window
 * that has room, but less than the next queued segment, would otherwise
 * be probed for ever: cut the segment to the window (and the MSS) and
 * send it, as Linux's tcp_write_wakeup() does.
 *
 * Return: true if data was sent.
 */
bool xtcp_write_wakeup(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	u32 wnd_end = xs->snd_una + xs->snd_wnd, room;

	if (!skb || !xtcp_seq_before(XTCP_SKB_CB(skb)->seq, wnd_end))
		return false;
	room = min_t(u32, wnd_end - XTCP_SKB_CB(skb)->seq, xs->mss);
	if (room < skb->len && xtcp_fragment(sk, skb, room, false))
		return false;
	xtcp_send_new(sk, skb);
	return true;
}

/*
 * RFC 6675 5 NextSeg rule 1: resend the segments deemed lost, lowest
 * first, while cwnd allows.  The walk starts at the retransmit hint and
 * leaves it at the first segment still waiting.
 * Return: false if cwnd stopped it.
 */
static bool xtcp_retransmit_lost(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rtxq *q = &xs->rtx_queue;
	struct sk_buff *skb, *waiting = NULL;
	bool room = true;

	for (skb = xtcp_rtxq_first_lost(q); skb;
	     skb = xtcp_rtxq_next_lost(skb)) {
		if (xtcp_packets_in_flight(xs) >= xs->cc.cwnd) {
			room = false;
			break;
		}
		xtcp_retransmit_skb(sk, skb,
				    xs->cc.state == XTCP_CA_LOSS ? 0 : 1);
		if (!waiting && xtcp_skb_wants_rtx(skb))
			waiting = skb;	/* not sent: memory was short */
	}
	q->retransmit_hint = waiting ?: skb ?: xtcp_rtxq_tail(q);
	return room;
}

/**
 * xtcp_simple_retransmit() - the MSS shrank: resend what no longer fits
 * @sk: socket, locked
 *
 * As Linux's tcp_simple_retransmit() after a path MTU decrease (RFC
 * 1191): each segment in flight larger than the new MSS was dropped on
 * the path, so it is marked lost and resent now, cut to the MSS.  The
 * congestion window is left alone: this is no congestion.
 */
void xtcp_simple_retransmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	for (skb = xtcp_rtxq_head(&xs->rtx_queue); skb; skb = skb_rb_next(skb))
		xtcp_mark_oversized_lost(&xs->rtx_queue, &xs->score, skb,
					 xs->mss);
	__xtcp_push(sk, false);
}

/* Does @skb fit the peer's window (RFC 9293 3.8.6.2.1)?  FIN takes none. */
static bool xtcp_fits_window(const struct xtcp_sock *xs,
			     const struct sk_buff *skb)
{
	u32 end = XTCP_SKB_CB(skb)->end_seq;

	if (XTCP_SKB_CB(skb)->flags & XTCPHDR_FIN)
		end--;
	return !xtcp_seq_after(end, xs->snd_una + xs->snd_wnd);
}

/*
 * Nagle (RFC 9293 3.7.4, RFC 896): a short last segment waits while
 * data is unacknowledged, unless TCP_NODELAY; with TCP_CORK or MSG_MORE
 * it waits until it is full or the user says no more is coming.
 */
static bool xtcp_nagle_hold(const struct sock *sk, const struct sk_buff *skb,
			    bool more)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	/* Urgent data is not held back, nor the FIN (tcp_nagle_test()). */
	if (skb->len >= xs->mss || (XTCP_SKB_CB(skb)->flags & XTCPHDR_FIN) ||
	    skb != skb_peek_tail(&sk->sk_write_queue) || xs->urg_mode)
		return false;
	if (xs->nagle_push)
		return false;
	if (xs->cork || more)
		return true;
	return !xs->nodelay && xs->score.packets_out;
}

/*
 * How much of cwnd the sender uses, as tcp_cwnd_validate() tracks it:
 * whether cwnd stopped it in the current window, or else the most it
 * had in flight (RFC 7661: an application-limited sender does not
 * grow cwnd).
 */
static void xtcp_cwnd_validate(struct xtcp_sock *xs, bool cwnd_limited)
{
	if (!xtcp_seq_before(xs->snd_una, xs->cwnd_usage_seq) || cwnd_limited ||
	    (!xs->cwnd_limited &&
	     xs->score.packets_out > xs->max_packets_out)) {
		xs->cwnd_limited = cwnd_limited;
		xs->max_packets_out = xs->score.packets_out;
		xs->cwnd_usage_seq = xs->snd_nxt;
	}
}

/**
 * __xtcp_push() - send what the windows allow
 * @sk: socket, locked
 * @more: the user has more to write (MSG_MORE): hold a short last segment
 *
 * First segments deemed lost, then new data from the write queue, while
 * the segments in flight stay below cwnd (RFC 5681, RFC 6675 5) and new
 * data fits the peer's window (RFC 9293 3.8.6.2.1).  When the window is
 * closed and nothing is in flight, the retransmission timer doubles as
 * the persist timer and sends a window probe when it fires.
 */
void __xtcp_push(struct sock *sk, bool more)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool sent = false, cwnd_limited = false;
	struct sk_buff *skb;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE |
				   TCPF_LISTEN))
		return;
	xtcp_sync_mss(sk);

	if (xs->score.lost_out > xs->score.retrans_out &&
	    !xtcp_retransmit_lost(sk))
		return;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		if (xtcp_packets_in_flight(xs) >= xs->cc.cwnd) {
			cwnd_limited = true;
			break;	/* the next ACK clocks out more */
		}
		if (!xtcp_fits_window(xs, skb)) {
			if (!timer_pending(&xs->rtx_timer))
				xtcp_reset_rtx_timer(sk);
			break;
		}
		if (xtcp_nagle_hold(sk, skb, more)) {
			/*
			 * Corked with nothing in flight: the timer sends it
			 * after an RTO (Linux's probe timer, the 200 ms
			 * ceiling of TCP_CORK in tcp(7)).
			 */
			if (!xs->score.packets_out &&
			    !timer_pending(&xs->rtx_timer))
				xtcp_reset_rtx_timer(sk);
			break;
		}
		/* Queued before the path MTU shrank (RFC 1191). */
		if (skb->len > xs->mss && xtcp_fragment(sk, skb, xs->mss, false))
			break;
		xtcp_send_new(sk, skb);
		sent = true;
	}
	cwnd_limited |= xtcp_packets_in_flight(xs) >= xs->cc.cwnd;
	if (sent || cwnd_limited)
		xtcp_cwnd_validate(xs, cwnd_limited);
	/* RFC 8985 7.2: after new data, the timer waits for the PTO. */
	if (sent)
		xtcp_schedule_loss_probe(sk);
}

void xtcp_push(struct sock *sk)
{
	__xtcp_push(sk, false);
}

/**
 * xtcp_send_loss_probe() - the probe timeout fired (RFC 8985 7.3)
 * @sk: socket, locked
 *
 * Send one new segment if the peer's window allows, whatever cwnd and
 * Nagle say, else resend the last segment not yet SACKed, so that the
 * peer's ACK shows what the tail of the flight lost.  One probe is
 * outstanding until it is acknowledged (@tlp_high_seq).  Then the RTO is
 * armed again, not the PTO.
 */
void xtcp_send_loss_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	xs->pto_pending = 0;
	/* Queued before the path MTU shrank: cut as __xtcp_push() does. */
	if (skb && skb->len > xs->mss && xtcp_fragment(sk, skb, xs->mss, false))
		skb = NULL;
	if (skb && xtcp_fits_window(xs, skb)) {
		xtcp_send_new(sk, skb);
		xs->tlp_retrans = 0;
	} else {
		skb = xtcp_rtxq_tail(&xs->rtx_queue);
		if (!skb || (XTCP_SKB_CB(skb)->sacked & XTCP_SACKED))
			goto rearm;
		xtcp_retransmit_skb(sk, skb, 3);
		xs->tlp_retrans = 1;
	}
	xs->tlp_high_seq = xs->snd_nxt;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_LOSSPROBES);
rearm:
	xtcp_reset_rtx_timer(sk);
}

/*
 * Window probe from the persist timer (RFC 9293 3.8.6.1), also the
 * keepalive probe (RFC 1122 4.2.3.6).  As Linux does, it carries an old
 * sequence number (SND.UNA - 1) and no data, so the receiver answers
 * with an ACK that shows its current window.
 */
void xtcp_send_probe(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_una - 1, XTCPHDR_ACK, GFP_ATOMIC);
}

/* SYN (SYN_SENT) or SYN-ACK (simultaneous open, SYN_RECV). */
int xtcp_send_syn(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = alloc_skb(XTCP_MAX_HEADER, sk->sk_allocation);

	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, XTCP_MAX_HEADER);
	XTCP_SKB_CB(skb)->seq = xs->iss;
	XTCP_SKB_CB(skb)->end_seq = xs->iss + 1;
	XTCP_SKB_CB(skb)->flags = XTCPHDR_SYN;
	XTCP_SKB_CB(skb)->sacked = 0;
	XTCP_SKB_CB(skb)->when = xtcp_clock_us();
	xtcp_wmem_charge(sk, skb, true);
	xtcp_rtxq_add_tail(&xs->rtx_queue, skb);
	xs->score.packets_out = 1;
	xs->snd_nxt = xs->iss + 1;
	xtcp_transmit_skb(sk, skb, xtcp_skb_flags(sk, skb));
	xtcp_reset_rtx_timer(sk);
	return 0;
}

/* Queue a FIN after all queued data (RFC 9293 3.10.4 CLOSE) and push. */
void xtcp_send_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	if (xs->fin_sent)
		return;
	xs->fin_sent = 1;
	/* Data not sent yet takes the FIN along, as tcp_send_fin(). */
	skb = skb_peek_tail(&sk->sk_write_queue);
	if (skb && !(XTCP_SKB_CB(skb)->flags & (XTCPHDR_SYN | XTCPHDR_FIN))) {
		XTCP_SKB_CB(skb)->flags |= XTCPHDR_FIN;
		XTCP_SKB_CB(skb)->end_seq++;
		xs->write_seq++;
		xtcp_push(sk);
		return;
	}
	skb = alloc_skb(XTCP_MAX_HEADER, sk->sk_allocation | __GFP_NOFAIL);
	skb_reserve(skb, XTCP_MAX_HEADER);
	XTCP_SKB_CB(skb)->seq = xs->write_seq;
	XTCP_SKB_CB(skb)->end_seq = xs->write_seq + 1;
	XTCP_SKB_CB(skb)->flags = XTCPHDR_FIN;
	xs->write_seq++;
	xtcp_wmem_charge(sk, skb, true);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	xtcp_push(sk);
}

/**
 * xtcp_send_ctl() - send a header-only segment that has no socket
 * @c: what to send, and where
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_ctl(const struct xtcp_ctl *c)
{
	struct sk_buff *skb;
	int err;

	skb = alloc_skb(XTCP_MAX_HEADER, GFP_ATOMIC);
	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, XTCP_MAX_HEADER);
	xtcp_push_header(skb, c->sport, c->dport, c->seq, c->ack, c->flags,
			 c->window, c->o);
	skb->ip_summed = CHECKSUM_NONE;
	skb->mark = c->mark;
	err = c->family == AF_INET6 ? xtcp_v6_send_ctl(c, skb) :
				      xtcp_v4_send_ctl(c, skb);
	xtcp_mib_inc(c->net, XTCP_MIB_OUTSEGS);
	if (c->flags & XTCPHDR_RST) {
		xtcp_mib_inc(c->net, XTCP_MIB_OUTRSTS);
		struct xtcp_trace_addr ta = {
			.sport = c->sport, .dport = c->dport,
			.saddr = c->saddr, .daddr = c->daddr,
			.saddr6 = c->saddr6, .daddr6 = c->daddr6,
		};

		trace_xtcp_send_reset(xtcp_trace_addr_done(&ta,
							   c->family == AF_INET6),
				      0, c->seq);
	}
	return net_xmit_eval(err);
}

/**
 * xtcp_ctl_reply() - address a segment that answers @skb
 * @c: filled with @skb's addresses and ports, swapped
 * @net: namespace
 * @skb: a received segment
 */
void xtcp_ctl_reply(struct xtcp_ctl *c, struct net *net,
		    const struct sk_buff *skb)
{
	const struct xtcphdr *th = xtcp_hdr(skb);

	memset(c, 0, sizeof(*c));
	c->net = net;
	if (xtcp_skb_v6(skb)) {
		c->family = AF_INET6;
		c->saddr6 = ipv6_hdr(skb)->daddr;
		c->daddr6 = ipv6_hdr(skb)->saddr;
		/* A link-local peer is reached by the device it came by. */
		if (ipv6_addr_type(&c->daddr6) & IPV6_ADDR_LINKLOCAL)
			c->oif = XTCP_SKB_CB(skb)->iif;
	} else {
		c->family = AF_INET;
		c->saddr = ip_hdr(skb)->daddr;
		c->daddr = ip_hdr(skb)->saddr;
	}
	c->sport = th->dest;
	c->dport = th->source;
}

/**
 * xtcp_send_reset_reply() - answer a segment that has no connection
 * @net: namespace
 * @sk: the socket that refuses it (routed by its device and mark, as
 *	tcp_v4_send_reset() does), or NULL if none
 * @skb: the offending segment, its control block filled in; with
 *	net.ipv4.fwmark_reflect its mark is the reply's (IP4_REPLY_MARK)
 *
 * RFC 9293 3.10.7.1: a RST is never answered; if the segment has ACK,
 * send <SEQ=SEG.ACK><CTL=RST>, otherwise
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 */
void xtcp_send_reset_reply(struct net *net, const struct sock *sk,
			   const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_ctl c;

	if (cb->flags & XTCPHDR_RST)
		return;
	xtcp_ctl_reply(&c, net, skb);
	if (sk && READ_ONCE(sk->sk_bound_dev_if))
		c.oif = READ_ONCE(sk->sk_bound_dev_if);
	c.mark = (c.family == AF_INET6 ? IP6_REPLY_MARK(net, skb->mark) :
				     IP4_REPLY_MARK(net, skb->mark)) ?:
		 (sk ? READ_ONCE(sk->sk_mark) : 0);
	/*
	 * The segment's own TOS or class, as tcp_v{4,6}_send_reset(), less
	 * its ECN bits (ip_send_unicast_reply(), tcp_v6_send_response()).
	 */
	c.tclass = xtcp_skb_dsfield(skb) & ~INET_ECN_MASK;
	if (sk)
		c.txhash = READ_ONCE(sk->sk_txhash);
	/*
	 * Its flow label: with REPFLOW on the socket, or, with no socket,
	 * with net.ipv6.flowlabel_reflect's bit 2 (RFC 6437 allows either).
	 */
	if (c.family == AF_INET6 &&
	    (sk ? sk->sk_family == AF_INET6 && xtcp_repflow6(sk) :
	     READ_ONCE(net->ipv6.sysctl.flowlabel_reflect) &
	     FLOWLABEL_REFLECT_TCP_RESET))
		c.flowlabel = ip6_flowlabel(ipv6_hdr(skb));
	if (cb->flags & XTCPHDR_ACK) {
		c.seq = cb->ack_seq;
		c.flags = XTCPHDR_RST;
	} else {
		c.ack = cb->end_seq;
		c.flags = XTCPHDR_RST | XTCPHDR_ACK;
	}
	xtcp_send_ctl(&c);
}
