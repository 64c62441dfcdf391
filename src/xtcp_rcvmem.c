// SPDX-License-Identifier: GPL-2.0
/*
 * Receive memory.  Every queued segment is charged its truesize to
 * sk_rmem_alloc, and the queues together may hold sk_rcvbuf (and the
 * segment that crossed it).  A peer
 * that sends tiny segments makes each octet cost a whole skb; when the
 * buffer is full, room is made as Linux's tcp_prune_queue() makes it:
 * wasteful skbs of the receive queue are copied into compact ones
 * (collapse), then out-of-order data is dropped from its far end
 * (RFC 2018 8 lets a receiver renege on it), and only then is the new
 * segment dropped, unacknowledged, for the peer to send again.
 */
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_mem.h"
#include "xtcp_rcvmem.h"
#include "xtcp_seq.h"

/* Payload under half of what the skb costs (tcp_win_from_space at 50%). */
static bool xtcp_skb_wasteful(const struct sk_buff *skb)
{
	return 2 * skb->len < skb->truesize;
}

/* Largest payload of one collapsed skb: one page with its overhead. */
#define XTCP_COLLAPSE_MAX	SKB_WITH_OVERHEAD(PAGE_SIZE)

/*
 * Copy @len unread octets from @seq on, held by @skb and the skbs after
 * it, into skbs of at most a page each, placed where they were; free
 * each original once it is copied.  An allocation failure leaves the
 * rest as it was: recvmsg() finds octets by sequence number, so a partly
 * copied skb is read from where its copy ends.
 */
static void xtcp_collapse_run(struct sock *sk, struct sk_buff *skb, u32 seq,
			      u32 len)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	u32 end = seq + len;

	while (xtcp_seq_before(seq, end)) {
		u32 size = min_t(u32, end - seq, XTCP_COLLAPSE_MAX);
		struct sk_buff *n = alloc_skb(size, GFP_ATOMIC);

		if (!n)
			return;
		XTCP_SKB_CB(n)->seq = seq;
		XTCP_SKB_CB(n)->end_seq = seq;
		XTCP_SKB_CB(n)->flags = 0;
		__skb_queue_before(q, skb, n);
		skb_set_owner_r(n, sk);
		while (n->len < size) {
			u32 start = XTCP_SKB_CB(skb)->seq;
			u32 copy = min_t(u32, start + skb->len - seq,
					 size - n->len);
			struct sk_buff *next = skb->next;

			if (WARN_ON_ONCE(skb_copy_bits(skb, seq - start,
						       skb_put(n, copy), copy))) {
				__skb_trim(n, n->len - copy);
				return;
			}
			seq += copy;
			XTCP_SKB_CB(n)->end_seq = seq;
			if (seq == start + skb->len) {
				__skb_unlink(skb, q);
				kfree_skb(skb);
				xtcp_mib_inc(sock_net(sk), XTCP_MIB_RCVCOLLAPSED);
				skb = next;
			}
		}
	}
}

/*
 * Collapse the runs of wasteful skbs of the receive queue whose copy
 * would cost less (each new skb costs a page): a single small skb, or
 * a run that is compact already, is left alone, so collapsing never
 * grows the queue and is not redone for nothing (tcp_collapse() keeps
 * the same rule).
 */
static void xtcp_collapse_rcv(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	u32 seq = xtcp_sk(sk)->copied_seq, run_seq = 0;
	struct sk_buff *skb, *first = NULL;
	unsigned int cost = 0;

	for (skb = skb_peek(q); ; skb = skb->next) {
		bool last = skb == (struct sk_buff *)q || !skb;
		u32 end = 0;

		if (!last) {
			end = XTCP_SKB_CB(skb)->seq + skb->len;
			if (!xtcp_seq_after(end, seq))
				continue;	/* read already */
			if (xtcp_skb_wasteful(skb)) {
				if (!first) {
					first = skb;
					run_seq = seq;
					cost = 0;
				}
				cost += skb->truesize;
				seq = end;
				continue;
			}
		}
		if (first && DIV_ROUND_UP(seq - run_seq, XTCP_COLLAPSE_MAX) *
			     SKB_TRUESIZE(PAGE_SIZE) < cost)
			xtcp_collapse_run(sk, first, run_seq, seq - run_seq);
		first = NULL;
		if (last)
			break;
		seq = end;
	}
}

/*
 * Room while what is queued is within sk_rcvbuf, so the queues hold at
 * most sk_rcvbuf plus one segment, as tcp_try_rmem_schedule() decides:
 * a segment as large as the buffer (64 KB on loopback) still goes in
 * behind another.
 */
static bool xtcp_rmem_fits(struct sock *sk, const struct sk_buff *skb)
{
	return atomic_read(&sk->sk_rmem_alloc) <= READ_ONCE(sk->sk_rcvbuf) &&
	       sk_rmem_schedule(sk, (struct sk_buff *)skb, skb->truesize);
}

/* Drop out-of-order data from its far end until @skb fits. */
static void xtcp_prune_ofo(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *last;

	while (!xtcp_rmem_fits(sk, skb) && !xtcp_ofo_empty(&xs->ofo)) {
		last = xs->ofo.last;
		xtcp_ofo_unlink(&xs->ofo, last);
		kfree_skb(last);
		/* The blocks may name what is gone (tcp_prune_ofo_queue()). */
		xs->ofo.nr_blocks = 0;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_OFOPRUNED);
	}
}

/**
 * xtcp_rmem_schedule() - make room on @sk's receive side for @skb
 * @sk: socket, locked
 * @skb: an arriving segment with new data
 * @in_order: @skb starts at or before RCV.NXT
 *
 * An empty receive queue always takes an in-order segment, so that a
 * tiny buffer, or protocol memory at its limit (net.xtcp.mem), still
 * moves data: it is charged whatever the limits, as tcp_data_queue()
 * forces it (xtcp_rmem_force()).  Out-of-order data never displaces
 * in-order data.
 *
 * Return: true if @skb may be queued; false if it must be dropped.
 */
bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb, bool in_order)
{
	if (xtcp_rmem_fits(sk, skb))
		return true;
	xtcp_collapse_rcv(sk);
	if (xtcp_rmem_fits(sk, skb))
		return true;
	if (in_order) {
		xtcp_prune_ofo(sk, skb);
		if (xtcp_rmem_fits(sk, skb) ||
		    (skb_queue_empty(&sk->sk_receive_queue) &&
		     xtcp_rmem_force(sk, skb->truesize)))
			return true;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_RCVPRUNED);
		return false;
	}
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_OFODROP);
	return false;
}
