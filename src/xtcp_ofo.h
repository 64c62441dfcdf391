/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order queue of a receiver (RFC 9293 3.10.7.4 seventh:
 * segments beyond RCV.NXT are held for later processing) and the SACK
 * blocks that describe it (RFC 2018 3, 4).
 *
 * Segments are kept sorted by sequence number, headers pulled, each
 * adding something no other covers; partial overlaps stay and are
 * skipped by octet offset when delivered.  Pure functions of the queue,
 * so KUnit tests what the module runs.
 */
#ifndef _XTCP_OFO_H
#define _XTCP_OFO_H

#include "xtcp_options.h"
#include "xtcp_seq.h"
#include "xtcp_skb.h"

/**
 * xtcp_ofo_insert() - add a segment to the out-of-order queue
 * @q: queue, sorted by seq
 * @skb: segment, cb seq and end_seq set
 *
 * Segments the new one covers entirely are removed and freed.
 *
 * Return: false if @skb adds nothing (the caller frees it).
 */
static inline bool xtcp_ofo_insert(struct sk_buff_head *q, struct sk_buff *skb)
{
	u32 seq = XTCP_SKB_CB(skb)->seq, end = XTCP_SKB_CB(skb)->end_seq;
	struct sk_buff *prev, *next;

	/* The last segment that starts at or before the new one. */
	for (prev = q->prev; prev != (struct sk_buff *)q; prev = prev->prev)
		if (!xtcp_seq_after(XTCP_SKB_CB(prev)->seq, seq))
			break;
	if (prev != (struct sk_buff *)q &&
	    !xtcp_seq_after(end, XTCP_SKB_CB(prev)->end_seq))
		return false;
	if (prev != (struct sk_buff *)q && XTCP_SKB_CB(prev)->seq == seq) {
		/* Same start, reaches further: it replaces @prev. */
		next = prev;
		prev = prev->prev;
		__skb_unlink(next, q);
		kfree_skb(next);
	}
	__skb_queue_after(q, prev, skb);
	while ((next = skb->next) != (struct sk_buff *)q &&
	       !xtcp_seq_after(XTCP_SKB_CB(next)->end_seq, end)) {
		__skb_unlink(next, q);
		kfree_skb(next);
	}
	return true;
}

/* Put a finished block in slot 0 if it holds @recent, else append it. */
static inline void xtcp_ofo_place(struct xtcp_sack_block *b, int max, int *n,
				  int *first, u32 recent,
				  struct xtcp_sack_block cur)
{
	if (!*first && !xtcp_seq_before(recent, cur.start) &&
	    xtcp_seq_before(recent, cur.end)) {
		b[0] = cur;
		*first = 1;
	} else if (*n < max) {
		b[(*n)++] = cur;
	}
}

/**
 * xtcp_ofo_blocks() - SACK blocks describing the queue (RFC 2018 4)
 * @q: queue, sorted by seq
 * @recent: a sequence number of the most recently queued segment: its
 *	block goes first
 * @b: blocks out
 * @max: room in @b
 *
 * Contiguous and overlapping segments merge into one block.
 *
 * Return: number of blocks written.
 */
static inline int xtcp_ofo_blocks(const struct sk_buff_head *q, u32 recent,
				  struct xtcp_sack_block *b, int max)
{
	struct xtcp_sack_block cur = { 0, 0 };
	const struct sk_buff *skb;
	int n = 1, first = 0;
	bool open = false;

	if (max < 1 || skb_queue_empty(q))
		return 0;
	/* Slot 0 is kept for the block holding @recent. */
	skb_queue_walk(q, skb) {
		u32 s = XTCP_SKB_CB(skb)->seq, e = XTCP_SKB_CB(skb)->end_seq;

		if (open && !xtcp_seq_after(s, cur.end)) {
			if (xtcp_seq_after(e, cur.end))
				cur.end = e;
			continue;
		}
		if (open)
			xtcp_ofo_place(b, max, &n, &first, recent, cur);
		cur.start = s;
		cur.end = e;
		open = true;
	}
	xtcp_ofo_place(b, max, &n, &first, recent, cur);
	if (!first) {
		/* @recent not found: close the gap at slot 0. */
		memmove(&b[0], &b[1], (n - 1) * sizeof(*b));
		n--;
	}
	return n;
}

#endif /* _XTCP_OFO_H */
