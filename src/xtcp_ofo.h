/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order queue of a receiver (RFC 9293 3.10.7.4 seventh:
 * segments beyond RCV.NXT are held for later processing) and the SACK
 * blocks that describe it (RFC 2018 3, 4).
 *
 * The queue is an rbtree keyed by sequence number, with its last
 * segment kept aside, as tcp_data_queue_ofo() keeps it: an insert costs
 * O(log n) and an append O(1), whatever order a peer sends in (the
 * CVE-2019-11478 class).  Each segment adds something no other covers;
 * partial overlaps stay and are skipped by octet offset when delivered,
 * so both the starts and the ends of the queue's segments increase.
 *
 * The SACK blocks are kept beside the queue and updated per segment, as
 * Linux's selective_acks[] are, so that no ACK walks the queue.
 *
 * Pure functions of the queue and the blocks, so KUnit tests what the
 * module runs.
 */
#ifndef _XTCP_OFO_H
#define _XTCP_OFO_H

#include <linux/rbtree.h>

#include "xtcp_options.h"
#include "xtcp_seq.h"
#include "xtcp_skb.h"

/**
 * struct xtcp_ofo - the out-of-order queue
 * @root: segments beyond RCV.NXT by sequence number (skb->rbnode)
 * @last: its last segment, valid while @root is not empty
 * @nr_blocks: blocks in use in @blocks
 * @blocks: what the queue holds as SACK blocks, the one holding the most
 *	recent segment first (RFC 2018 4); at most XTCP_MAX_SACK of them
 */
struct xtcp_ofo {
	struct rb_root	root;
	struct sk_buff	*last;
	u8		nr_blocks;
	struct xtcp_sack_block blocks[XTCP_MAX_SACK];
};

static inline void xtcp_ofo_init(struct xtcp_ofo *q)
{
	q->root = RB_ROOT;
	q->last = NULL;
	q->nr_blocks = 0;
}

static inline bool xtcp_ofo_empty(const struct xtcp_ofo *q)
{
	return RB_EMPTY_ROOT(&q->root);
}

static inline struct sk_buff *xtcp_ofo_first(const struct xtcp_ofo *q)
{
	return skb_rb_first(&q->root);
}

/* Take @skb out of the queue; the caller owns it. */
static inline void xtcp_ofo_unlink(struct xtcp_ofo *q, struct sk_buff *skb)
{
	if (skb == q->last)
		q->last = skb_rb_prev(skb);
	rb_erase(&skb->rbnode, &q->root);
	skb->dev = NULL;	/* shares its words with rbnode */
}

/* Free every segment; the blocks go too (skb_rbtree_purge() is not
 * exported to modules).
 */
static inline void xtcp_ofo_purge(struct xtcp_ofo *q)
{
	struct rb_node *p = rb_first(&q->root);

	while (p) {
		struct sk_buff *skb = rb_to_skb(p);

		p = rb_next(p);
		rb_erase(&skb->rbnode, &q->root);
		kfree_skb(skb);
	}
	xtcp_ofo_init(q);
}

/* Block @a and [@start, @end) overlap or touch: one block holds both. */
static inline bool xtcp_sack_touch(const struct xtcp_sack_block *a,
				   u32 start, u32 end)
{
	return !xtcp_seq_after(start, a->end) && !xtcp_seq_before(end, a->start);
}

/**
 * xtcp_ofo_sack_add() - account a newly queued segment in the blocks
 * @q: queue whose blocks to update
 * @seq: first sequence number of the segment
 * @end: sequence number after it
 *
 * The block that holds it goes first (RFC 2018 4: "the first SACK block
 * MUST specify the contiguous block of data containing the segment which
 * triggered this ACK"), grown to hold it and merged with any block it
 * now touches; the others keep their order (they repeat the most recent
 * blocks).  A segment that touches none starts a new first block and
 * the oldest falls off if all are in use, as tcp_sack_new_ofo_skb() does.
 */
static inline void xtcp_ofo_sack_add(struct xtcp_ofo *q, u32 seq, u32 end)
{
	struct xtcp_sack_block cur = { seq, end }, *b = q->blocks;
	int i, n = q->nr_blocks, k = 0;

	/* Merge every block @cur touches into @cur; keep the others. */
	for (i = 0; i < n; i++) {
		if (xtcp_sack_touch(&b[i], cur.start, cur.end)) {
			if (xtcp_seq_before(b[i].start, cur.start))
				cur.start = b[i].start;
			if (xtcp_seq_after(b[i].end, cur.end))
				cur.end = b[i].end;
			continue;
		}
		b[k++] = b[i];
	}
	if (k == XTCP_MAX_SACK)
		k--;		/* the oldest falls off */
	memmove(&b[1], &b[0], k * sizeof(*b));
	b[0] = cur;
	q->nr_blocks = k + 1;
}

/**
 * xtcp_ofo_sack_trim() - drop the blocks RCV.NXT has reached
 * @q: queue whose blocks to update
 * @rcv_nxt: RCV.NXT after in-order delivery
 *
 * Delivery from the queue takes everything contiguous with RCV.NXT, so
 * a block that starts at or before it was delivered whole
 * (tcp_sack_remove()).
 */
static inline void xtcp_ofo_sack_trim(struct xtcp_ofo *q, u32 rcv_nxt)
{
	int i, k = 0;

	for (i = 0; i < q->nr_blocks; i++)
		if (xtcp_seq_after(q->blocks[i].start, rcv_nxt))
			q->blocks[k++] = q->blocks[i];
	q->nr_blocks = k;
}

/**
 * xtcp_ofo_insert() - add a segment to the out-of-order queue
 * @q: queue
 * @skb: segment, cb seq and end_seq set
 *
 * Segments the new one covers entirely are removed and freed; the SACK
 * block holding it goes first, even when it adds nothing.
 *
 * Return: false if @skb adds nothing (the caller frees it).
 */
static inline bool xtcp_ofo_insert(struct xtcp_ofo *q, struct sk_buff *skb)
{
	u32 seq = XTCP_SKB_CB(skb)->seq, end = XTCP_SKB_CB(skb)->end_seq;
	struct rb_node **p = &q->root.rb_node, *parent = NULL;
	struct sk_buff *o;

	/* The common case: beyond the last segment. */
	if (q->last && !xtcp_seq_before(seq, XTCP_SKB_CB(q->last)->end_seq)) {
		parent = &q->last->rbnode;
		p = &parent->rb_right;
		goto insert;
	}
	while (*p) {
		parent = *p;
		o = rb_to_skb(parent);
		if (xtcp_seq_before(seq, XTCP_SKB_CB(o)->seq)) {
			p = &parent->rb_left;
			continue;
		}
		if (xtcp_seq_before(seq, XTCP_SKB_CB(o)->end_seq)) {
			/* Ends increase: only this one can cover @skb.  Its
			 * block still goes first (tcp_data_queue_ofo()).
			 */
			if (!xtcp_seq_after(end, XTCP_SKB_CB(o)->end_seq)) {
				xtcp_ofo_sack_add(q, seq, end);
				return false;
			}
			if (XTCP_SKB_CB(o)->seq == seq) {
				/* Same start, reaches further: replaces @o. */
				rb_replace_node(&o->rbnode, &skb->rbnode, &q->root);
				if (q->last == o)
					q->last = skb;
				kfree_skb(o);
				goto merge;
			}
		}
		p = &parent->rb_right;
	}
insert:
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &q->root);
merge:
	/* Later segments the new one covers entirely. */
	while ((o = skb_rb_next(skb)) &&
	       !xtcp_seq_after(XTCP_SKB_CB(o)->end_seq, end)) {
		rb_erase(&o->rbnode, &q->root);
		kfree_skb(o);
	}
	if (!o)
		q->last = skb;
	xtcp_ofo_sack_add(q, seq, end);
	return true;
}

/**
 * xtcp_ofo_blocks() - the SACK blocks to send (RFC 2018 4)
 * @q: queue
 * @b: blocks out
 * @max: room in @b
 *
 * Return: number of blocks written, the most recent first.
 */
static inline int xtcp_ofo_blocks(const struct xtcp_ofo *q,
				  struct xtcp_sack_block *b, int max)
{
	int n = min_t(int, q->nr_blocks, max);

	if (n <= 0)
		return 0;
	memcpy(b, q->blocks, n * sizeof(*b));
	return n;
}

#endif /* _XTCP_OFO_H */
