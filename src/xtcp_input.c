// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival (RFC 9293 3.10.7): header and checksum checks, the
 * lookup (connection, time-wait minisock, listener), then the state
 * machine for a synchronized or SYN_SENT socket.  Listeners are handled
 * in xtcp_reqsk.c, time-wait minisocks in xtcp_minisocks.c.
 */
#include <linux/filter.h>
#include <net/busy_poll.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/xfrm.h>

#include "xtcp.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"
#include "xtcp_ofo.h"
#include "xtcp_rcvmem.h"
#include "xtcp_seq.h"
#include "xtcp_timer.h"
#include <trace/events/xtcp.h>

/**
 * xtcp_parse_options() - read a segment's options (RFC 9293 3.2)
 * @skb: segment, header in the linear area
 * @o: filled in, see xtcp_parse_opts()
 */
void xtcp_parse_options(const struct sk_buff *skb, struct xtcp_opts *o)
{
	const struct xtcphdr *th = xtcp_hdr(skb);

	xtcp_parse_opts((const u8 *)(th + 1), th->doff * 4 - sizeof(*th), o);
}

/* RFC 7323 5.3: TSval older than TS.Recent (valid for 24 days); not RSTs. */
static bool xtcp_paws_reject(const struct xtcp_sock *xs,
			     const struct xtcp_skb_cb *cb)
{
	return xs->tstamp_ok && cb->has_ts && !(cb->flags & XTCPHDR_RST) &&
	       (s32)(cb->tsval - xs->ts_recent) < 0 &&
	       xtcp_seconds() - xs->ts_recent_stamp < 24 * 24 * 3600;
}

/*
 * At most one ACK per net.xtcp.invalid_ratelimit ms for segments that
 * cannot move the connection: two ends that disagree about the window
 * (a forged segment, an ACK of unsent data) would otherwise answer
 * each other without end.  Data without SYN is not part of such a loop
 * and is always answered, as Linux's tcp_oow_rate_limited() decides.
 */
static bool __xtcp_oow_rate_limited(struct sock *sk, enum xtcp_mib_item mib)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = (u32)jiffies, last = xs->last_oow_ack_time;
	s32 elapsed = (s32)(now - last);

	if (last && elapsed >= 0 &&
	    elapsed < msecs_to_jiffies(READ_ONCE(xtcp_sysctl(sock_net(sk))->invalid_ratelimit))) {
		xtcp_mib_inc(sock_net(sk), mib);
		return true;
	}
	xs->last_oow_ack_time = now ?: 1;
	return false;
}

static bool xtcp_oow_rate_limited(struct sock *sk, const struct sk_buff *skb,
				  enum xtcp_mib_item mib)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->seq != cb->end_seq && !(cb->flags & XTCPHDR_SYN))
		return false;
	return __xtcp_oow_rate_limited(sk, mib);
}

/*
 * RFC 5961 3.2, 4.2, 5.2: answer a suspicious RST, SYN or ACK with an
 * ACK, within the socket's rate limit and a per-namespace budget of
 * net.xtcp.challenge_ack_limit a second (RFC 5961 7).  The budget is
 * drawn at random each second so that its use does not tell an
 * off-path attacker what another connection does (CVE-2016-5696).
 */
static void xtcp_challenge_ack(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	u32 limit = READ_ONCE(xtcp_sysctl(sock_net(sk))->challenge_ack_limit);
	u32 now = (u32)(jiffies / HZ), count;

	if (__xtcp_oow_rate_limited(sk, XTCP_MIB_ACKSKIPPEDCHALLENGE))
		return;
	if (READ_ONCE(xn->challenge_stamp) != now) {
		WRITE_ONCE(xn->challenge_stamp, now);
		WRITE_ONCE(xn->challenge_count,
			   limit / 2 + get_random_u32_below(limit + 1));
	}
	count = READ_ONCE(xn->challenge_count);
	if (!count) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ACKSKIPPEDCHALLENGE);
		return;
	}
	WRITE_ONCE(xn->challenge_count, count - 1);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_CHALLENGEACKS);
	xtcp_send_ack(sk);
}

/*
 * Remove what @ack acknowledges from the retransmission queue.
 * Return: segments removed; *@rtt_us is set from the newest removed
 * segment never retransmitted (Karn's rule, RFC 6298 3), else -1.
 */
static u32 xtcp_clean_rtx_queue(struct sock *sk, u32 ack, long *rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	u32 acked = 0, now = xtcp_clock_us();

	*rtt_us = -1;
	while ((skb = xtcp_rtxq_head(&xs->rtx_queue)) &&
	       !xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, ack)) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!(cb->sacked & XTCP_EVER_RETRANS))
			*rtt_us = (s32)(now - cb->when);
		else
			*rtt_us = -1;
		xtcp_score_remove(&xs->score, skb);
		xtcp_rtxq_unlink(&xs->rtx_queue, skb);
		xtcp_wmem_free_skb(sk, skb);
		acked++;
	}
	return acked;
}

/* RFC 6298 2, 3: take a round-trip measurement. */
void xtcp_rtt_update(struct sock *sk, const struct xtcp_skb_cb *cb,
		     long rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* RFC 7323 4.1: a timestamp echo times retransmissions too. */
	if (rtt_us < 0 && xs->tstamp_ok && cb->has_ts && cb->tsecr)
		rtt_us = (long)(s32)(xtcp_clock_ms() + xs->ts_off - cb->tsecr) *
			 USEC_PER_MSEC;
	if (rtt_us < 0)
		return;
	xtcp_rtt_sample(&xs->rtt, rtt_us);
	xtcp_set_rto(sk);
}

/* RFC 2018 4: mark what the ACK's SACK blocks cover. */
static u32 xtcp_sack_rcv(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_opts o;
	u32 n = 0;
	int i;

	if (!xs->sack_ok || xtcp_hdr(skb)->doff * 4 <=
	    sizeof(struct xtcphdr) + (xs->tstamp_ok ? XTCP_TS_OPTLEN : 0))
		return 0;
	xtcp_parse_options(skb, &o);
	for (i = 0; i < o.nr_sack; i++) {
		u32 start = o.sack[i].start, end = o.sack[i].end;

		/* Blocks must lie in SND.UNA..SND.NXT; others are D-SACK or junk. */
		if (!xtcp_seq_before(start, end) ||
		    xtcp_seq_before(start, xs->snd_una) ||
		    xtcp_seq_after(end, xs->snd_nxt))
			continue;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_SACKBLOCKSRECV);
		o.sack[n++] = o.sack[i];
	}
	if (!n)
		return 0;
	return xtcp_sack_tag_blocks(&xs->rtx_queue, &xs->score, o.sack, n);
}

/*
 * Does the sender use its cwnd (tcp_is_cwnd_limited())?  In slow start
 * while it had more than half of it in flight; after, if cwnd stopped
 * it in the last window.  Only then does cwnd grow (RFC 7661).
 */
static bool xtcp_is_cwnd_limited(const struct xtcp_sock *xs)
{
	if (xs->cc.cwnd < xs->cc.ssthresh)
		return xs->cc.cwnd < 2 * xs->max_packets_out;
	return xs->cwnd_limited;
}

/*
 * Loss detection and congestion response to one ACK (RFC 5681 3.2,
 * RFC 6582 3.2, RFC 6675 5).  Without SACK, duplicate ACKs are counted
 * in sacked_out as Linux does, so "pipe" works the same for both.
 */
static void xtcp_cong_ack(struct sock *sk, u32 acked, bool dupack,
			  u32 newly_sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_score *s = &xs->score;

	if (!xs->sack_ok) {
		if (acked)	/* the peer's hold shrinks with the ACK */
			s->sacked_out -= min(s->sacked_out, acked - 1);
		if (dupack && s->sacked_out + 1 < s->packets_out)
			s->sacked_out++;
	}

	if (xs->cc.state != XTCP_CA_OPEN &&
	    !xtcp_seq_before(xs->snd_una, xs->cc.recover)) {
		/* RFC 6582 3.2 step 3: a full acknowledgment. */
		xtcp_cc_exit_recovery(&xs->cc);
		xtcp_ca_set_state(sk, XTCP_CA_OPEN);
	} else if (xs->cc.state == XTCP_CA_RECOVERY && acked) {
		/* RFC 6582 3.2 step 3: a partial acknowledgment. */
		xtcp_mark_head_lost(&xs->rtx_queue, s);
	}

	if (xs->cc.state == XTCP_CA_OPEN &&
	    ((xs->sack_ok && newly_sacked &&
	      xtcp_sack_mark_lost(&xs->rtx_queue, s, XTCP_DUPTHRESH)) ||
	     (!xs->sack_ok && s->sacked_out >= XTCP_DUPTHRESH))) {
		/* RFC 6582 3.2 step 2: fast retransmit, fast recovery. */
		xtcp_cc_recovery_begin(&xs->cc, xtcp_ca_ssthresh(sk),
				       xs->snd_nxt);
		xtcp_ca_set_state(sk, XTCP_CA_RECOVERY);
		xtcp_mark_head_lost(&xs->rtx_queue, s);
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_FASTRETRANS);
	} else if (xs->cc.state != XTCP_CA_OPEN && xs->sack_ok &&
		   newly_sacked) {
		xtcp_sack_mark_lost(&xs->rtx_queue, s, XTCP_DUPTHRESH);
	}
	if (acked && xs->cc.state != XTCP_CA_RECOVERY &&
	    xtcp_is_cwnd_limited(xs))
		xtcp_ca_cong_avoid(sk, xs->snd_una, acked);
}

/*
 * RFC 8985 7.4: the ACK of a tail loss probe ends its episode.  If the
 * probe resent old data and the ACK covers data sent after it, the
 * probe repaired a loss: reduce cwnd as fast recovery would have
 * (Linux's tcp_process_tlp_ack()).  Without DSACK an ACK of exactly the
 * probe cannot tell a repaired loss from a needless probe; it counts as
 * the latter.
 */
static void xtcp_tlp_ack(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->tlp_high_seq || xtcp_seq_before(ack, xs->tlp_high_seq))
		return;
	if (xs->tlp_retrans && xtcp_seq_after(ack, xs->tlp_high_seq) &&
	    xs->cc.state == XTCP_CA_OPEN) {
		xs->cc.prior_cwnd = xs->cc.cwnd;
		xs->cc.ssthresh = xtcp_ca_ssthresh(sk);
		xs->cc.cwnd = xs->cc.ssthresh;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_LOSSPROBERECOVERY);
	}
	xs->tlp_high_seq = 0;
}

/*
 * RFC 9293 3.10.7.4 fifth, for ESTABLISHED and later states.
 * Return: false if the segment must be dropped.
 */
static bool xtcp_ack(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ack = cb->ack_seq, acked = 0, newly_sacked, wnd;
	bool dupack;
	long rtt_us;

	if (xtcp_seq_after(ack, xs->snd_nxt)) {
		/* Acknowledges something not yet sent (RFC 9293 3.10.7.4). */
		xtcp_challenge_ack(sk);
		return false;
	}
	if (xtcp_seq_before(ack, xs->snd_una)) {
		/* RFC 5961 5.2: older than any window the peer saw, a blind
		 * injection: challenge and drop.  Else ignore the ACK, keep
		 * the text.
		 */
		if (xtcp_seq_before(ack, xs->snd_una -
				    min_t(u64, xs->max_window, xs->bytes_acked))) {
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_OLDACKDROPS);
			xtcp_challenge_ack(sk);
			return false;
		}
		return true;
	}

	wnd = (u32)cb->window << xs->snd_wscale;
	/* RFC 5681 2: no data, same ACK, same window, data outstanding. */
	dupack = ack == xs->snd_una && cb->seq == cb->end_seq &&
		 wnd == xs->snd_wnd && xs->score.packets_out;

	/* Window update: SND.WL1 < SEG.SEQ or (= and SND.WL2 =< SEG.ACK). */
	if (xtcp_seq_before(xs->snd_wl1, cb->seq) ||
	    (xs->snd_wl1 == cb->seq && !xtcp_seq_after(xs->snd_wl2, ack))) {
		xs->snd_wnd = wnd;
		xs->max_window = max(xs->max_window, wnd);
		if (wnd)
			xs->persist_backoff = 0;
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = ack;
	}
	xs->probes_out = 0;
	xs->rcv_tstamp = jiffies;	/* only an acceptable ACK: keepalive */
	WRITE_ONCE(sk->sk_err_soft, 0);	/* something got through */

	newly_sacked = xtcp_sack_rcv(sk, skb);
	if (xtcp_seq_after(ack, xs->snd_una)) {
		xs->bytes_acked += ack - xs->snd_una;
		xs->snd_una = ack;
		/* Urgent data acknowledged: out of urgent mode (RFC 9293 3.8.5). */
		if (unlikely(xs->urg_mode) && !xtcp_seq_before(ack, xs->snd_up))
			xs->urg_mode = 0;
		acked = xtcp_clean_rtx_queue(sk, ack, &rtt_us);
		xtcp_rtt_update(sk, cb, rtt_us);
		if (acked)
			xtcp_ca_pkts_acked(sk, acked, rtt_us > 0 ?
					   min_t(long, rtt_us, S32_MAX) : -1);
		/*
		 * Forward progress proves the next hop reachable (RFC 1122
		 * 2.3.2.1), as tcp_ack() tells the neighbour layer: without
		 * it the entry goes stale and is probed, and a lost probe
		 * drops what is queued behind it.
		 */
		sk_dst_confirm(sk);
		xs->retries = 0;
		if (!xs->score.retrans_out)
			xs->retrans_stamp = 0;
		if (!xs->rtt.srtt_us)
			xs->rto = XTCP_TIMEOUT_INIT;
		if (!xs->score.packets_out)
			xtcp_stop_rtx_timer(sk);
		else
			xtcp_reset_rtx_timer(sk);
		xtcp_sndbuf_moderate(sk);
		sk->sk_write_space(sk);
	}
	xtcp_tlp_ack(sk, ack);
	if (acked || dupack || newly_sacked)
		xtcp_cong_ack(sk, acked, dupack, newly_sacked);
	/* RFC 8985 7.2: progress re-arms the PTO rather than the RTO. */
	if (acked && xs->score.packets_out)
		xtcp_schedule_loss_probe(sk);
	trace_xtcp_probe(sk, xs->snd_nxt, xs->snd_una, xs->rcv_nxt,
			 xs->cc.cwnd, xs->cc.ssthresh, xs->rtt.srtt_us,
			 xs->snd_wnd, xs->rcv_wnd, skb->len);
	return true;
}

/* Is our FIN sent and acknowledged? */
static bool xtcp_fin_acked(const struct xtcp_sock *xs)
{
	return xs->fin_sent && xs->snd_una == xs->write_seq;
}

/* Give the reader @skb's octets up to @end, which start at or before RCV.NXT. */
/* What became of a received segment, for the one who frees it. */
enum {
	XTCP_FREE,		/* not kept: kfree_skb() */
	XTCP_KEPT,		/* on a queue now */
	XTCP_EATEN,		/* data copied to another skb */
	XTCP_EATEN_STOLEN,	/* head taken by another skb */
};

/*
 * Append @skb's data to the last skb of the receive queue when it
 * continues it, as tcp_try_coalesce() does: a peer's small in-order
 * segments then cost their octets, not an skb each.  @skb is uncharged
 * here and the growth of the last skb charged; the caller frees @skb
 * with kfree_skb_partial(skb, *@stolen).
 * Return: true if @skb's data was taken.
 */
static bool xtcp_try_coalesce(struct sock *sk, struct sk_buff *skb,
			      bool *stolen)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	int delta;

	if (!tail ||
	    XTCP_SKB_CB(skb)->seq != XTCP_SKB_CB(tail)->seq + tail->len ||
	    !skb_try_coalesce(tail, skb, stolen, &delta))
		return false;
	/* Its charge goes now, not when it is freed: the window and
	 * forward allocation computed meanwhile must not count it twice.
	 */
	skb_orphan(skb);
	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	XTCP_SKB_CB(tail)->end_seq = XTCP_SKB_CB(skb)->end_seq;
	XTCP_SKB_CB(tail)->flags |= XTCP_SKB_CB(skb)->flags;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_RCVCOALESCE);
	return true;
}

/*
 * In-order data up to @end for the reader.  Return: XTCP_KEPT if @skb
 * went to the receive queue, else how to free it: XTCP_EATEN or
 * XTCP_EATEN_STOLEN, its data taken by the queue's last skb.
 */
static int xtcp_deliver(struct sock *sk, struct sk_buff *skb, u32 end)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 len = end - xs->rcv_nxt;
	int ret = XTCP_KEPT;
	bool stolen;

	if (xtcp_try_coalesce(sk, skb, &stolen))
		ret = stolen ? XTCP_EATEN_STOLEN : XTCP_EATEN;
	else
		__skb_queue_tail(&sk->sk_receive_queue, skb);
	xs->bytes_received += len;
	xs->rcv_wnd = xs->rcv_wnd > len ? xs->rcv_wnd - len : 0;
	WRITE_ONCE(xs->rcv_nxt, end);
	return ret;
}

/*
 * A new urgent pointer (RFC 9293 3.8.5), read as Linux reads it: it
 * points just past the urgent octet, and only the last one counts, as
 * tcp_check_urg().
 */
static void xtcp_check_urg(struct sock *sk, const struct xtcphdr *th)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ptr = ntohs(th->urg_ptr);

	if (ptr)
		ptr--;
	ptr += ntohl(th->seq);
	/* Already read past, replayed, or not newer than the one we have. */
	if (xtcp_seq_after(xs->copied_seq, ptr) ||
	    xtcp_seq_before(ptr, xs->rcv_nxt) ||
	    (xs->urg_data && !xtcp_seq_after(ptr, xs->urg_seq)))
		return;
	sk_send_sigurg(sk);
	/*
	 * The reader stands on an urgent octet it skips: step over it now,
	 * or the new one would be read at its place.
	 */
	if (xs->urg_seq == xs->copied_seq && xs->urg_data &&
	    !sock_flag(sk, SOCK_URGINLINE) && xs->copied_seq != xs->rcv_nxt) {
		struct sk_buff *skb = skb_peek(&sk->sk_receive_queue);

		WRITE_ONCE(xs->copied_seq, xs->copied_seq + 1);
		if (skb && !xtcp_seq_before(xs->copied_seq,
					    XTCP_SKB_CB(skb)->end_seq)) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			kfree_skb(skb);
		}
	}
	WRITE_ONCE(xs->urg_data, XTCP_URG_NOTYET);
	WRITE_ONCE(xs->urg_seq, ptr);
}

/* The urgent octet, once the segment holding it arrives (tcp_urg()). */
static void xtcp_urg(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcphdr *th = xtcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ptr;
	u8 c;

	if (unlikely(th->urg))
		xtcp_check_urg(sk, th);
	if (likely(xs->urg_data != XTCP_URG_NOTYET))
		return;
	/* skb->data is the header here. */
	ptr = xs->urg_seq - ntohl(th->seq) + th->doff * 4 - th->syn;
	if (ptr < skb->len && !skb_copy_bits(skb, ptr, &c, 1)) {
		WRITE_ONCE(xs->urg_data, XTCP_URG_VALID | c);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	}
}

/* Free @skb as xtcp_deliver() or xtcp_data_queue() said. */
static void xtcp_free_eaten(struct sk_buff *skb, int how)
{
	if (how != XTCP_KEPT)
		kfree_skb_partial(skb, how == XTCP_EATEN_STOLEN);
}

/*
 * RFC 9293 3.10.7.4 seventh: queue in-order data for the reader, hold
 * segments beyond RCV.NXT in the out-of-order queue, and move what a
 * segment makes contiguous.  Duplicate octets are skipped by offset.
 * Return: XTCP_KEPT if @skb was kept, else how to free it (XTCP_FREE,
 * XTCP_EATEN...); *@fin is set if a FIN became in order.
 */
static int xtcp_data_queue(struct sock *sk, struct sk_buff *skb, bool *fin)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 seq = cb->seq + !!(cb->flags & XTCPHDR_SYN);
	u32 end = cb->end_seq - !!(cb->flags & XTCPHDR_FIN);
	struct sk_buff *o;
	int ret;

	xs->data_segs_in++;
	if (end - seq >= xs->rcv_mss) {
		/* A full-sized segment: what its payload costs (Linux's
		 * tcp_measure_rcv_mss()), for the window.
		 */
		xs->scaling_ratio = clamp_t(u32, div_u64((u64)skb->len << 8,
							 skb->truesize), 1, 255);
	}
	xs->rcv_mss = max_t(u32, xs->rcv_mss, min(end - seq, 65535U));
	if (!xtcp_seq_after(end, xs->rcv_nxt))
		return XTCP_FREE;	/* nothing new */

	__skb_pull(skb, xtcp_hdr(skb)->doff * 4);
	cb->seq = seq;
	if (xtcp_seq_after(seq, xs->rcv_nxt)) {
		/* A hole before it (RFC 9293 3.10.7.4: hold for later). */
		xs->ofo_segs++;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_OFOQUEUE);
		if (!xtcp_rmem_schedule(sk, skb, false))
			return XTCP_FREE;
		skb_set_owner_r(skb, sk);
		/* Not kept if others cover it; the caller's free uncharges it. */
		return xtcp_ofo_insert(&xs->ofo, skb) ? XTCP_KEPT : XTCP_FREE;
	}

	if (!xtcp_rmem_schedule(sk, skb, true))
		return XTCP_FREE;
	skb_set_owner_r(skb, sk);
	ret = xtcp_deliver(sk, skb, end);
	xtcp_rcv_rtt_measure(sk, skb, end - seq);
	*fin = cb->flags & XTCPHDR_FIN;

	/* Segments the new one made contiguous (RFC 9293 3.10.7.4). */
	while (!*fin && (o = xtcp_ofo_first(&xs->ofo)) &&
	       !xtcp_seq_after(XTCP_SKB_CB(o)->seq, xs->rcv_nxt)) {
		u32 oend = XTCP_SKB_CB(o)->end_seq -
			   !!(XTCP_SKB_CB(o)->flags & XTCPHDR_FIN);

		xtcp_ofo_unlink(&xs->ofo, o);
		if (!xtcp_seq_after(oend, xs->rcv_nxt)) {
			kfree_skb(o);
			continue;
		}
		*fin = XTCP_SKB_CB(o)->flags & XTCPHDR_FIN;
		xtcp_free_eaten(o, xtcp_deliver(sk, o, oend));
	}
	xtcp_ofo_sack_trim(&xs->ofo, xs->rcv_nxt);
	return ret;
}

/*
 * ACK policy (RFC 9293 3.8.6.3, RFC 5681 4.2): at once for out-of-order
 * data and for data that fills a hole, in quick-ACK mode and for every
 * second segment; otherwise after the delayed-ACK timer.
 */
static void xtcp_ack_policy(struct sock *sk, bool now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ack_pending++;
	if (now || xs->ack_pending >= 2 || (xs->quick && !xs->pingpong) ||
	    !xtcp_ofo_empty(&xs->ofo)) {
		if (xs->quick)
			xs->quick--;
		xtcp_send_ack(sk);
		return;
	}
	xtcp_delack_schedule(sk);
}

/* RFC 9293 3.10.7.4 eighth: the peer's FIN, once all before it is in. */
static void xtcp_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_nxt++;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	/* Nothing comes after the FIN: out-of-order data and its SACK
	 * blocks go (tcp_fin()).
	 */
	xtcp_ofo_purge(&xs->ofo);

	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		xtcp_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		/* Simultaneous close; or FIN+ACK covering our FIN. */
		if (xtcp_fin_acked(xs)) {
			xtcp_send_ack(sk);
			xtcp_time_wait(sk, TCP_TIME_WAIT, xtcp_tw_len(sock_net(sk)));
			return;
		}
		xtcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		xtcp_send_ack(sk);
		xtcp_time_wait(sk, TCP_TIME_WAIT, xtcp_tw_len(sock_net(sk)));
		return;
	default:
		break;
	}
	xtcp_send_ack(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

/* A segment that reached a socket after it closed. */
static void xtcp_rcv_closed(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_tw_sock *tw;

	/* From the backlog this runs with BHs on; tw->lock is a softirq lock. */
	local_bh_disable();
	rcu_read_lock();
	tw = xtcp_skb_lookup_tw(sock_net(sk), skb, XTCP_SKB_CB(skb)->iif,
				XTCP_SKB_CB(skb)->sdif);
	rcu_read_unlock();
	if (tw) {
		xtcp_tw_rcv(tw, skb);	/* a new SYN is left to the retransmission */
		xtcp_tw_put(tw);
	}
	local_bh_enable();
}

/* RFC 9293 3.10.7.3: SYN_SENT. */
static void xtcp_rcv_synsent(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_opts o;
	bool ack_ok = false;

	if (cb->flags & XTCPHDR_ACK) {
		/* First: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable. */
		if (!xtcp_seq_after(cb->ack_seq, xs->iss) ||
		    xtcp_seq_after(cb->ack_seq, xs->snd_nxt)) {
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			return;
		}
		ack_ok = true;
	}
	if (cb->flags & XTCPHDR_RST) {
		/* Second: a RST counts only with an acceptable ACK. */
		if (ack_ok)
			xtcp_reset(sk, ECONNREFUSED);
		return;
	}
	if (!(cb->flags & XTCPHDR_SYN))
		return;

	/* Fourth: the peer's SYN. */
	xs->irs = cb->seq;
	xs->rcv_nxt = cb->seq + 1;
	xs->copied_seq = xs->rcv_nxt;
	xtcp_parse_options(skb, &o);
	xs->mss = min_t(u16, xtcp_peer_mss(o.mss, xtcp_min_snd_mss(sock_net(sk))),
			xs->advmss);
	/* RFC 2018 2: SACK only if both SYNs carry SACK-permitted. */
	xs->sack_ok = xs->sack_ok && o.sack_ok;
	if (o.wscale >= 0) {
		xs->snd_wscale = o.wscale;	/* RFC 7323 2.2: both or none */
	} else {
		xs->snd_wscale = 0;
		xs->rcv_wscale = 0;
		xs->rcv_wnd = min(xs->rcv_wnd, 65535U);
	}
	/* RFC 7323 3.2: timestamps only if both SYNs carry them. */
	xs->tstamp_ok = xs->tstamp_ok && o.ts;
	if (xs->tstamp_ok) {
		xs->ts_recent = o.tsval;
		xs->ts_recent_stamp = xtcp_seconds();
		xs->mss -= XTCP_TS_OPTLEN;
	}
	xtcp_update_mss(sk);
	xs->snd_wnd = cb->window;	/* a SYN's window is never scaled */
	xs->max_window = xs->snd_wnd;
	xtcp_bound_mss(sk);
	xs->rcv_tstamp = jiffies;
	xs->snd_wl1 = cb->seq;
	xs->snd_wl2 = cb->ack_seq;

	if (ack_ok) {
		long rtt_us;

		xs->snd_una = cb->ack_seq;
		xtcp_clean_rtx_queue(sk, xs->snd_una, &rtt_us);
		WRITE_ONCE(sk->sk_err_soft, 0);	/* the SYN got through */
		xtcp_stop_rtx_timer(sk);
		xs->retries = 0;
		xs->retrans_stamp = 0;
		xtcp_rtt_update(sk, cb, rtt_us);
		xtcp_init_transfer(sk);
		xtcp_set_state(sk, TCP_ESTABLISHED);
		xtcp_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		xtcp_push(sk);
		return;
	}

	/* Simultaneous open: SYN_SENT -> SYN_RECV, resend our SYN with ACK. */
	xtcp_set_state(sk, TCP_SYN_RECV);
	xtcp_retransmit_head(sk);
}

/**
 * xtcp_rcv_state_process() - one segment for a non-listening socket
 * @sk: socket, locked (bh lock or owned by the caller)
 * @skb: segment, control block filled in; consumed
 *
 * Return: 0.
 */
int xtcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int queued = XTCP_FREE;
	bool fin = false;

	switch (sk->sk_state) {
	case TCP_CLOSE:
		/*
		 * Queued on the backlog before the socket closed; if a
		 * time-wait minisock took over the 4-tuple, it is its segment
		 * (Linux drops it and waits for the retransmission).
		 */
		xtcp_rcv_closed(sk, skb);
		goto drop;
	case TCP_SYN_SENT:
		xtcp_rcv_synsent(sk, skb);
		goto drop;
	}

	xs->segs_in++;

	/* RFC 7323 5.3 R1: PAWS, an old duplicate by its timestamp. */
	if (xtcp_paws_reject(xs, cb)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_PAWSDROPS);
		if (!xtcp_oow_rate_limited(sk, skb, XTCP_MIB_ACKSKIPPEDPAWS))
			xtcp_send_ack(sk);
		goto drop;
	}

	/* First: sequence number. */
	if (!xtcp_seq_acceptable(xs->rcv_nxt, xs->rcv_wnd, cb->seq,
				 cb->end_seq)) {
		if (!(cb->flags & XTCPHDR_RST) &&
		    !xtcp_oow_rate_limited(sk, skb, XTCP_MIB_ACKSKIPPEDSEQ))
			xtcp_send_ack(sk);
		goto drop;
	}

	/* RFC 7323 4.3 (2): remember the TSval to echo. */
	if (xs->tstamp_ok && cb->has_ts &&
	    !xtcp_seq_after(cb->seq, xs->rcv_nxt) &&
	    (s32)(cb->tsval - xs->ts_recent) >= 0) {
		xs->ts_recent = cb->tsval;
		xs->ts_recent_stamp = xtcp_seconds();
	}

	/* Second: RST (RFC 5961 3.2: exact match resets, else challenge). */
	if (cb->flags & XTCPHDR_RST) {
		if (cb->seq != xs->rcv_nxt) {
			xtcp_challenge_ack(sk);
			goto drop;
		}
		if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_ESTABRESETS);
		switch (sk->sk_state) {
		case TCP_SYN_RECV:
			xtcp_reset(sk, ECONNREFUSED);
			break;
		case TCP_CLOSE_WAIT:
			xtcp_reset(sk, EPIPE);
			break;
		case TCP_CLOSING:
		case TCP_LAST_ACK:
			xtcp_done(sk);
			break;
		default:
			xtcp_reset(sk, ECONNRESET);
		}
		goto drop;
	}

	/* Fourth: SYN in a synchronized state (RFC 5961 4.2). */
	if (cb->flags & XTCPHDR_SYN) {
		xtcp_challenge_ack(sk);
		goto drop;
	}

	/* Fifth: ACK. */
	if (!(cb->flags & XTCPHDR_ACK))
		goto drop;

	if (sk->sk_state == TCP_SYN_RECV) {
		/* Simultaneous open completes; SND.UNA < SEG.ACK =< SND.NXT. */
		if (!xtcp_seq_after(cb->ack_seq, xs->snd_una) ||
		    xtcp_seq_after(cb->ack_seq, xs->snd_nxt)) {
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			goto drop;
		}
		xtcp_init_transfer(sk);
		xtcp_set_state(sk, TCP_ESTABLISHED);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_state_change(sk);
	}
	if (!xtcp_ack(sk, skb))
		goto drop;

	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		if (!xtcp_fin_acked(xs))
			break;
		xtcp_set_state(sk, TCP_FIN_WAIT2);
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
		} else if (xs->linger2 < 0) {
			/* TCP_LINGER2 < 0: no FIN_WAIT2 for an orphan; the
			 * peer is reset, as tcp_rcv_state_process() does.
			 */
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONDATA);
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			xtcp_done(sk);
			goto drop;
		} else if (cb->end_seq != cb->seq &&
			   xtcp_seq_after(cb->end_seq -
					  !!(cb->flags & XTCPHDR_FIN),
					  xs->rcv_nxt)) {
			/* New data for an orphan: nobody will read it
			 * (RFC 1122 4.2.2.13), as tcp_rcv_state_process().
			 */
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONDATA);
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			xtcp_done(sk);
			goto drop;
		} else if (!(cb->flags & XTCPHDR_FIN)) {
			/* Orphan: the time-wait minisock waits for the FIN. */
			xtcp_time_wait(sk, TCP_FIN_WAIT2, xtcp_fin_time(sk));
			goto drop;
		}
		break;
	case TCP_CLOSING:
		if (xtcp_fin_acked(xs)) {
			xtcp_time_wait(sk, TCP_TIME_WAIT,
				       xtcp_tw_len(sock_net(sk)));
			goto drop;
		}
		break;
	case TCP_LAST_ACK:
		if (xtcp_fin_acked(xs)) {
			xtcp_done(sk);
			goto drop;
		}
		break;
	}

	/* Sixth: the URG bit (RFC 9293 3.10.7.4). */
	xtcp_urg(sk, skb);

	/* Seventh: segment text, in states that still receive. */
	if ((1 << sk->sk_state) &
	    (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) {
		u32 data_end = cb->end_seq - !!(cb->flags & XTCPHDR_FIN);

		/*
		 * RFC 1122 4.2.2.13: new data for a socket closed for
		 * reading (close(), or shutdown(SHUT_RD) after SHUT_WR)
		 * cannot be delivered: reset, as Linux does.
		 */
		if (sk->sk_state != TCP_ESTABLISHED &&
		    (sk->sk_shutdown & RCV_SHUTDOWN) &&
		    xtcp_seq_after(data_end, xs->rcv_nxt)) {
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONDATA);
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			xtcp_reset(sk, ECONNRESET);
			goto drop;
		}

		if (data_end != cb->seq) {
			bool hole = !xtcp_ofo_empty(&xs->ofo);
			u32 prior = xs->rcv_nxt;

			queued = xtcp_data_queue(sk, skb, &fin);
			if (xs->rcv_nxt != prior && !sock_flag(sk, SOCK_DEAD))
				sk->sk_data_ready(sk);
			if (!fin)
				xtcp_ack_policy(sk, xs->rcv_nxt == prior || hole);
		}
	}

	/* Eighth: FIN, once everything before it has arrived. */
	if ((1 << sk->sk_state) & (TCPF_SYN_RECV | TCPF_ESTABLISHED |
				   TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) {
		if (!fin && (cb->flags & XTCPHDR_FIN) &&
		    cb->end_seq - 1 == xs->rcv_nxt)
			fin = true;
		if (fin)
			xtcp_fin(sk);
		else if (cb->flags & XTCPHDR_FIN)
			xtcp_send_ack(sk);	/* a FIN beyond a hole */
	}

	xtcp_push(sk);
drop:
	if (queued == XTCP_FREE)
		kfree_skb(skb);
	else
		xtcp_free_eaten(skb, queued);
	return 0;
}

/*
 * Also the backlog handler: release_sock() runs it in process context
 * with BHs enabled.  A listener clones children there, taking their
 * socket spinlock, which softirq takes too; so that part runs with BHs
 * off, as it does when called from xtcp_v4_rcv().
 */
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	int ret;

	if (sk->sk_state != TCP_LISTEN)
		return xtcp_rcv_state_process(sk, skb);
	local_bh_disable();
	ret = xtcp_listen_rcv(sk, skb);
	local_bh_enable();
	return ret;
}

/*
 * Memory the backlog may hold while the user owns the socket.  The window
 * promises octets of data, but each segment costs its buffer's truesize,
 * up to about twice as much; Linux adds 64 KB to rcvbuf + sndbuf, xtcp
 * allows for the overhead so that data sent within the window is kept.
 */
static u32 xtcp_backlog_limit(const struct sock *sk)
{
	return 2 * (READ_ONCE(sk->sk_rcvbuf) + READ_ONCE(sk->sk_sndbuf)) +
	       64 * 1024;
}

/* Process @skb now, or queue it to the backlog of a socket its user owns. */
static void __xtcp_rcv_locked(struct sock *sk, struct sk_buff *skb)
{
	/* SO_INCOMING_CPU and busy polling, as tcp_v4_rcv() records them. */
	sk_incoming_cpu_update(sk);
	sk_mark_napi_id(sk, skb);
	if (!sock_owned_by_user(sk)) {
		xtcp_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, xtcp_backlog_limit(sk))) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_BACKLOGDROP);
		kfree_skb(skb);
	}
}

/**
 * xtcp_rcv_locked() - hand a segment to @sk under its lock
 * @sk: socket, referenced by the caller
 * @skb: segment; consumed
 *
 * Processed now, or queued to the backlog if the user owns the socket
 * (dropped and counted if the backlog is full; the peer will resend).
 */
void xtcp_rcv_locked(struct sock *sk, struct sk_buff *skb)
{
	bh_lock_sock_nested(sk);
	__xtcp_rcv_locked(sk, skb);
	bh_unlock_sock(sk);
}

/*
 * The same for a child found while its listener's lock is held: the
 * listener's is taken nested (SINGLE_DEPTH_NESTING), the child's plain,
 * as tcp_child_process() does, so lockdep sees an order, not recursion.
 */
void xtcp_rcv_child(struct sock *child, struct sk_buff *skb)
{
	bh_lock_sock(child);
	__xtcp_rcv_locked(child, skb);
	bh_unlock_sock(child);
}

/* Fill the control block from a checked header, over IP's. */
static void xtcp_fill_cb(struct sk_buff *skb, int dif, int sdif)
{
	const struct xtcphdr *th = xtcp_hdr(skb);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 flags = ((const u8 *)th)[13];

	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + skb->len - th->doff * 4 +
		      !!(flags & XTCPHDR_SYN) + !!(flags & XTCPHDR_FIN);
	cb->ack_seq = ntohl(th->ack_seq);
	cb->flags = flags;
	cb->window = ntohs(th->window);
	cb->iif = dif;
	cb->sdif = sdif;
	cb->has_ts = 0;
	if (th->doff > 5) {
		struct xtcp_opts o;

		xtcp_parse_options(skb, &o);
		cb->has_ts = o.ts;
		cb->tsval = o.tsval;
		cb->tsecr = o.tsecr;
	}
}

/**
 * xtcp_skb_lookup() - the connection a received segment belongs to
 * @net: namespace
 * @skb: segment, IP and our header in place
 * @dif: device it arrived on
 * @sdif: VRF slave it arrived on, 0 if none
 *
 * Context: RCU read side.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *xtcp_skb_lookup(struct net *net, const struct sk_buff *skb,
			     int dif, int sdif)
{
	const struct xtcphdr *th = xtcp_hdr(skb);

	if (xtcp_skb_v6(skb))
		return xtcp6_lookup_established(net, &ipv6_hdr(skb)->saddr,
						th->source,
						&ipv6_hdr(skb)->daddr,
						th->dest, dif, sdif);
	return xtcp_lookup_established(net, ip_hdr(skb)->saddr, th->source,
				       ip_hdr(skb)->daddr, th->dest, dif, sdif);
}

/* As xtcp_skb_lookup(), for time-wait minisocks. */
struct xtcp_tw_sock *xtcp_skb_lookup_tw(struct net *net,
					const struct sk_buff *skb, int dif,
					int sdif)
{
	const struct xtcphdr *th = xtcp_hdr(skb);

	if (xtcp_skb_v6(skb))
		return xtcp6_lookup_tw(net, &ipv6_hdr(skb)->saddr, th->source,
				       &ipv6_hdr(skb)->daddr, th->dest, dif,
				       sdif);
	return xtcp_lookup_tw(net, ip_hdr(skb)->saddr, th->source,
			      ip_hdr(skb)->daddr, th->dest, dif, sdif);
}

static struct sock *xtcp_skb_lookup_listener(struct net *net,
					     const struct sk_buff *skb,
					     int dif, int sdif)
{
	const struct xtcphdr *th = xtcp_hdr(skb);

	if (xtcp_skb_v6(skb))
		return xtcp6_lookup_listener(net, &ipv6_hdr(skb)->saddr,
					     th->source, &ipv6_hdr(skb)->daddr,
					     th->dest, dif, sdif);
	return xtcp_lookup_listener(net, ip_hdr(skb)->saddr, th->source,
				    ip_hdr(skb)->daddr, th->dest, dif, sdif);
}

/* IPsec policy for a segment to @sk (NULL: to no socket). */
static bool xtcp_policy_check(struct sock *sk, struct sk_buff *skb)
{
	if (xtcp_skb_v6(skb))
		return xfrm6_policy_check(sk, XFRM_POLICY_IN, skb);
	return xfrm4_policy_check(sk, XFRM_POLICY_IN, skb);
}

/* The xtcp_receive_reset tracepoint. */
static void xtcp_trace_rst_in(const struct sk_buff *skb, int state)
{
	const struct xtcphdr *th = xtcp_hdr(skb);
	struct xtcp_trace_addr a;

	if (!(XTCP_SKB_CB(skb)->flags & XTCPHDR_RST))
		return;
	trace_xtcp_receive_reset(xtcp_trace_addr_skb(&a, skb, th->source,
						     th->dest),
				 state, XTCP_SKB_CB(skb)->seq);
}

/* The IP layer's control block, kept across the time-wait check. */
union xtcp_ip_cb {
	struct inet_skb_parm	h4;
	struct inet6_skb_parm	h6;
};

/*
 * RFC 9293 3.1, RFC 8200 8.1: the checksum covers a pseudo-header with
 * our protocol number.
 */
static __sum16 xtcp_checksum_init(struct sk_buff *skb)
{
	if (xtcp_skb_v6(skb))
		return skb_checksum_init(skb, xtcp_proto, ip6_compute_pseudo);
	return skb_checksum_init(skb, xtcp_proto, inet_compute_pseudo);
}

/**
 * xtcp_rcv() - a received segment, either family
 * @skb: the segment, at our header
 * @dif: device it arrived on
 * @sdif: VRF slave it arrived on, 0 if none
 *
 * Checks the header and the checksum, finds who the segment is for and
 * hands it over.
 *
 * Return: 0; @skb is consumed.
 */
int xtcp_rcv(struct sk_buff *skb, int dif, int sdif)
{
	struct net *net = dev_net(skb->dev);
	const struct xtcphdr *th;
	struct xtcp_tw_sock *tw;
	struct sock *sk;

	if (skb->pkt_type != PACKET_HOST)
		goto discard;

	xtcp_mib_inc(net, XTCP_MIB_INSEGS);

	/* RFC 9293 3.1: Data Offset counts 32-bit words, at least 5. */
	if (!pskb_may_pull(skb, XTCP_HDR_MIN))
		goto hdr_error;
	th = xtcp_hdr(skb);
	if (th->doff * 4 < XTCP_HDR_MIN)
		goto hdr_error;
	if (!pskb_may_pull(skb, th->doff * 4))
		goto hdr_error;

	if (xtcp_checksum_init(skb))
		goto csum_error;
	if (!skb_csum_unnecessary(skb) && __skb_checksum_complete(skb))
		goto csum_error;
	/*
	 * RFC 4291 2.5.5.2: a v4-mapped source is not on an IPv6 wire, and
	 * a SYN to an anycast or multicast address is not ours to answer
	 * (as tcp_v6_conn_request() drops both).
	 */
	if (xtcp_skb_v6(skb) &&
	    (ipv6_addr_v4mapped(&ipv6_hdr(skb)->saddr) ||
	     ((((const u8 *)xtcp_hdr(skb))[13] & XTCPHDR_SYN) &&
	      !ipv6_unicast_destination(skb))))
		goto hdr_error;

	/*
	 * Until the socket's policy is checked, skb->cb is still IP's
	 * (xfrm reads IPCB's flags) and the route still attached (its
	 * device selects policies): the lookups use only the header and
	 * the devices, and the control block is filled after the checks,
	 * as tcp_v4_rcv() orders them.
	 */
	sk = xtcp_skb_lookup(net, skb, dif, sdif);
	if (!sk) {
		tw = xtcp_skb_lookup_tw(net, skb, dif, sdif);
		if (tw) {
			union xtcp_ip_cb h;

			memcpy(&h, skb->cb, sizeof(h));
			if (!xtcp_policy_check(NULL, skb)) {
				xtcp_tw_put(tw);
				goto discard;
			}
			xtcp_fill_cb(skb, dif, sdif);
			xtcp_trace_rst_in(skb, tw->substate);
			if (!xtcp_tw_rcv(tw, skb)) {
				xtcp_tw_put(tw);
				goto discard;
			}
			/* RFC 6191: a new SYN ended the time-wait state. */
			xtcp_tw_put(tw);
			memcpy(skb->cb, &h, sizeof(h));	/* for the listener */
		}
		sk = xtcp_skb_lookup_listener(net, skb, dif, sdif);
	}
	if (!sk) {
		if (!xtcp_policy_check(NULL, skb))
			goto discard;
		xtcp_fill_cb(skb, dif, sdif);
		xtcp_trace_rst_in(skb, 0);
		xtcp_mib_inc(net, XTCP_MIB_NOSOCKDROPS);
		xtcp_send_reset_reply(net, NULL, skb);
		goto discard;
	}

	/*
	 * The socket's policy: IPsec, then conntrack let go, then
	 * SO_ATTACH_FILTER / cgroup skb programs, which may trim the
	 * segment but never below its header.
	 */
	if (!xtcp_policy_check(sk, skb))
		goto discard_put;
	nf_reset_ct(skb);
	if (sk_filter_trim_cap(sk, skb, xtcp_hdr(skb)->doff * 4)) {
		xtcp_mib_inc(net, XTCP_MIB_FILTERDROPS);
		goto discard_put;
	}
	xtcp_fill_cb(skb, dif, sdif);
	xtcp_trace_rst_in(skb, sk->sk_state);
	skb_dst_drop(skb);

	xtcp_rcv_locked(sk, skb);
	sock_put(sk);
	return 0;

discard_put:
	sock_put(sk);
	goto discard;

csum_error:
	xtcp_mib_inc(net, XTCP_MIB_INCSUMERRS);
	goto discard;
hdr_error:
	xtcp_mib_inc(net, XTCP_MIB_INHDRERRS);
discard:
	kfree_skb(skb);
	return 0;
}
