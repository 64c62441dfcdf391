/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The retransmission queue of a sender (RFC 9293 3.7.1: sent segments
 * are kept until acknowledged) and the hints its scoreboard walks from.
 *
 * The queue is an rbtree keyed by sequence number, as Linux's
 * tcp_rtx_queue: a SACK block finds its first segment in O(log n), not
 * by a walk from the head.  Segments do not overlap and only ever join
 * at the tail (SND.NXT), so their starts and ends both increase.
 *
 * The hints let each ACK start where the last one stopped (Linux keeps
 * lost_skb_hint, retransmit_skb_hint and recv_sack_cache for the same
 * reason): with them, SACK tagging costs O(log n) plus the segments a
 * block newly covers, and a hole-by-hole recovery walks each segment a
 * bounded number of times (the CVE-2019-11478 class).  One pattern is
 * left linear: SACKs that leave unSACKed segments among the three
 * highest SACKed make IsLost() walk that gap on each ACK that SACKs
 * something.  Each hint is a pointer into the queue and goes back to
 * "unknown" when its segment leaves it.
 *
 * Pure functions of the queue, so KUnit tests what the module runs.
 */
#ifndef _XTCP_RTXQ_H
#define _XTCP_RTXQ_H

#include <linux/rbtree.h>

#include "xtcp_options.h"
#include "xtcp_seq.h"
#include "xtcp_skb.h"

/**
 * struct xtcp_rtxq - the retransmission queue
 * @root: sent segments not cumulatively acknowledged, by sequence
 *	number (skb->rbnode)
 * @highest_sack: the highest segment marked SACKed, NULL if none
 * @lost_hint: every segment at or below it is SACKed or marked lost
 *	(RFC 6675 4 IsLost() need not look there again); NULL if no such
 *	segment is known
 * @retransmit_hint: no segment below it waits for a retransmission (deemed
 *	lost, neither resent nor SACKed); NULL to start from the head
 * @nr_cache: blocks in @sack_cache
 * @sack_cache: the SACK blocks of the last ACK that carried any, as
 *	tagged: every segment entirely inside one of them is SACKed
 */
struct xtcp_rtxq {
	struct rb_root	root;
	struct sk_buff	*highest_sack;
	struct sk_buff	*lost_hint;
	struct sk_buff	*retransmit_hint;
	u8		nr_cache;
	struct xtcp_sack_block sack_cache[XTCP_MAX_SACK];
};

static inline void xtcp_rtxq_init(struct xtcp_rtxq *q)
{
	q->root = RB_ROOT;
	q->highest_sack = NULL;
	q->lost_hint = NULL;
	q->retransmit_hint = NULL;
	q->nr_cache = 0;
}

static inline bool xtcp_rtxq_empty(const struct xtcp_rtxq *q)
{
	return RB_EMPTY_ROOT(&q->root);
}

static inline struct sk_buff *xtcp_rtxq_head(const struct xtcp_rtxq *q)
{
	return skb_rb_first(&q->root);
}

static inline struct sk_buff *xtcp_rtxq_tail(const struct xtcp_rtxq *q)
{
	return skb_rb_last(&q->root);
}

/* Queue @skb, sent from SND.NXT, after every other segment. */
static inline void xtcp_rtxq_add_tail(struct xtcp_rtxq *q, struct sk_buff *skb)
{
	struct rb_node **p = &q->root.rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &q->root);
}

/* Take @skb out of the queue; the caller owns it.  Hints on it go. */
static inline void xtcp_rtxq_unlink(struct xtcp_rtxq *q, struct sk_buff *skb)
{
	if (skb == q->highest_sack)
		q->highest_sack = NULL;
	if (skb == q->lost_hint)
		q->lost_hint = NULL;
	if (skb == q->retransmit_hint)
		q->retransmit_hint = NULL;
	rb_erase(&skb->rbnode, &q->root);
	skb->dev = NULL;	/* shares its words with rbnode */
}

/* The first segment that ends after @seq, NULL if none: O(log n). */
static inline struct sk_buff *xtcp_rtxq_find(const struct xtcp_rtxq *q,
					     u32 seq)
{
	struct rb_node *p = q->root.rb_node;
	struct sk_buff *found = NULL;

	while (p) {
		struct sk_buff *skb = rb_to_skb(p);

		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, seq)) {
			found = skb;
			p = p->rb_left;
		} else {
			p = p->rb_right;
		}
	}
	return found;
}

#endif /* _XTCP_RTXQ_H */
