/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sender's scoreboard (RFC 2018, RFC 6675): which segments of the
 * retransmission queue the peer holds (SACKed), which are deemed lost,
 * which were retransmitted, and the counts that give the amount of data
 * in flight ("pipe", RFC 6675 4).  Pure functions of the queue, so KUnit
 * tests what the module runs.
 */
#ifndef _XTCP_SACK_H
#define _XTCP_SACK_H

#include "xtcp_rtxq.h"
#include "xtcp_seq.h"
#include "xtcp_skb.h"

/**
 * struct xtcp_score - segment counts of the retransmission queue
 * @packets_out: segments sent and not cumulatively acknowledged
 * @sacked_out: of those, SACKed (or, without SACK, duplicate ACKs seen)
 * @lost_out: deemed lost and not SACKed
 * @retrans_out: retransmitted and neither acknowledged nor SACKed
 */
struct xtcp_score {
	u32	packets_out;
	u32	sacked_out;
	u32	lost_out;
	u32	retrans_out;
};

/* RFC 6675 4 "pipe": segments believed to be in the network. */
static inline u32 xtcp_in_flight(const struct xtcp_score *s)
{
	u32 left = s->sacked_out + s->lost_out;

	return (s->packets_out > left ? s->packets_out - left : 0) +
	       s->retrans_out;
}

/* A segment leaves the queue (cumulatively acknowledged or purged). */
static inline void xtcp_score_remove(struct xtcp_score *s,
				     const struct sk_buff *skb)
{
	u8 f = XTCP_SKB_CB(skb)->sacked;

	s->packets_out--;
	if (f & XTCP_SACKED)
		s->sacked_out--;
	if (f & XTCP_LOST)
		s->lost_out--;
	if (f & XTCP_RETRANS)
		s->retrans_out--;
}

/* A segment that waits for a retransmission (RFC 6675 5 NextSeg rule 1). */
static inline bool xtcp_skb_wants_rtx(const struct sk_buff *skb)
{
	return (XTCP_SKB_CB(skb)->sacked &
		(XTCP_LOST | XTCP_RETRANS | XTCP_SACKED)) == XTCP_LOST;
}

/* @skb now waits to be resent: the retransmission walk must reach it. */
static inline void xtcp_rtxq_lower_hint(struct xtcp_rtxq *q,
					struct sk_buff *skb)
{
	struct sk_buff *hint = q->retransmit_hint;

	if (hint && xtcp_seq_before(XTCP_SKB_CB(skb)->seq,
				    XTCP_SKB_CB(hint)->seq))
		q->retransmit_hint = skb;
}

/* Mark @skb lost; the retransmission walk must see it. */
static inline void xtcp_skb_mark_lost(struct xtcp_rtxq *q,
				      struct xtcp_score *s, struct sk_buff *skb)
{
	XTCP_SKB_CB(skb)->sacked |= XTCP_LOST;
	s->lost_out++;
	xtcp_rtxq_lower_hint(q, skb);
}

/*
 * Mark the segments one SACK block [@start, @end) covers entirely (RFC
 * 2018 4 lets a receiver report any part; the rest stays unmarked and
 * is resent).  The walk begins at the block's first segment and jumps
 * over the segments inside @skip, a block already tagged, if not NULL.
 * Return: segments newly marked.
 */
static inline u32 xtcp_sack_tag(struct xtcp_rtxq *q, struct xtcp_score *s,
				u32 start, u32 end,
				const struct xtcp_sack_block *skip)
{
	struct sk_buff *skb = xtcp_rtxq_find(q, start);
	u32 n = 0;

	while (skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!xtcp_seq_after(end, cb->seq))
			break;
		if (skip && !xtcp_seq_before(cb->seq, skip->start) &&
		    !xtcp_seq_after(cb->end_seq, skip->end)) {
			skb = xtcp_rtxq_find(q, skip->end);
			skip = NULL;
			continue;
		}
		if (!xtcp_seq_before(cb->seq, start) &&
		    !xtcp_seq_after(cb->end_seq, end) &&
		    !(cb->sacked & XTCP_SACKED)) {
			if (cb->sacked & XTCP_LOST)
				s->lost_out--;
			if (cb->sacked & XTCP_RETRANS)
				s->retrans_out--;
			cb->sacked = (cb->sacked & XTCP_EVER_RETRANS) |
				     XTCP_SACKED;
			s->sacked_out++;
			n++;
			if (!q->highest_sack ||
			    xtcp_seq_after(cb->seq,
					   XTCP_SKB_CB(q->highest_sack)->seq))
				q->highest_sack = skb;
		}
		skb = skb_rb_next(skb);
	}
	return n;
}

/**
 * xtcp_sack_tag_blocks() - mark what one ACK's SACK blocks cover
 * @q: retransmission queue
 * @s: counts
 * @b: the ACK's blocks, each valid (inside SND.UNA..SND.NXT)
 * @nr: how many
 *
 * A block usually repeats or grows one of the last ACK's (RFC 2018 4):
 * the part already tagged is skipped, as Linux's recv_sack_cache is, so
 * a block that grows by one segment per ACK costs O(log n) per ACK, not
 * O(n).  The cache is trusted only while some segment is SACKed: a
 * reneging peer's marks are cleared with it (xtcp_mark_all_lost()).
 *
 * Return: segments newly marked.
 */
static inline u32 xtcp_sack_tag_blocks(struct xtcp_rtxq *q,
				       struct xtcp_score *s,
				       const struct xtcp_sack_block *b, int nr)
{
	int i, j, nc = s->sacked_out ? q->nr_cache : 0;
	u32 n = 0;

	for (i = 0; i < nr; i++) {
		const struct xtcp_sack_block *skip = NULL;

		for (j = 0; j < nc; j++) {
			const struct xtcp_sack_block *c = &q->sack_cache[j];

			if (xtcp_seq_before(b[i].start, c->end) &&
			    xtcp_seq_before(c->start, b[i].end)) {
				skip = c;
				break;
			}
		}
		n += xtcp_sack_tag(q, s, b[i].start, b[i].end, skip);
	}
	for (i = 0; i < nr; i++)
		q->sack_cache[i] = b[i];
	q->nr_cache = nr;
	return n;
}

/**
 * xtcp_sack_mark_lost() - RFC 6675 4 IsLost(): a segment with @dupthresh
 *	or more SACKed segments above it is lost
 * @q: retransmission queue
 * @s: counts
 * @dupthresh: DupThresh, 3
 *
 * The walk goes down from the highest SACKed segment to the lost hint,
 * which it then raises: below the @dupthresh-th SACKed segment from the
 * top, everything is SACKed or lost.  A retransmitted segment is marked
 * too (its retransmission stays in flight), as tcp_skb_mark_lost() does.
 *
 * Return: segments newly marked lost.
 */
static inline u32 xtcp_sack_mark_lost(struct xtcp_rtxq *q,
				      struct xtcp_score *s, u32 dupthresh)
{
	struct sk_buff *skb = q->highest_sack, *point = NULL;
	u32 above = 0, n = 0;

	if (!skb || (q->lost_hint &&
		     !xtcp_seq_before(XTCP_SKB_CB(q->lost_hint)->seq,
				      XTCP_SKB_CB(skb)->seq)))
		return 0;	/* nothing SACKed above what is known */
	for (; skb && skb != q->lost_hint; skb = skb_rb_prev(skb)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (cb->sacked & XTCP_SACKED) {
			if (++above == dupthresh)
				point = skb;
			continue;
		}
		if (above < dupthresh || (cb->sacked & XTCP_LOST))
			continue;
		xtcp_skb_mark_lost(q, s, skb);
		n++;
	}
	if (point)
		q->lost_hint = point;
	return n;
}

/* Mark the first segment lost unless it is SACKed or already marked. */
static inline bool xtcp_mark_head_lost(struct xtcp_rtxq *q,
				       struct xtcp_score *s)
{
	struct sk_buff *skb = xtcp_rtxq_head(q);

	if (!skb || (XTCP_SKB_CB(skb)->sacked &
		     (XTCP_SACKED | XTCP_LOST | XTCP_RETRANS)))
		return false;
	xtcp_skb_mark_lost(q, s, skb);
	return true;
}

/*
 * RFC 6298 5.4 after a timeout: every segment not SACKed is lost again,
 * retransmissions included.  SACK marks are kept, as Linux keeps them,
 * unless the first segment is SACKed: the peer has then reneged (RFC
 * 2018 8, it threw away data it SACKed and still wants the head), and
 * kept marks would hold back what it needs forever.  Then every mark
 * goes (Linux's tcp_timeout_mark_lost()), and the hints with them.
 * Return: true if the peer reneged.
 */
static inline bool xtcp_mark_all_lost(struct xtcp_rtxq *q,
				      struct xtcp_score *s)
{
	struct sk_buff *skb = xtcp_rtxq_head(q);
	bool reneged = skb && (XTCP_SKB_CB(skb)->sacked & XTCP_SACKED);

	s->lost_out = 0;
	s->retrans_out = 0;
	if (reneged) {
		s->sacked_out = 0;
		q->highest_sack = NULL;
		q->nr_cache = 0;
	}
	for (; skb; skb = skb_rb_next(skb)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		cb->sacked &= ~XTCP_RETRANS;
		if (reneged)
			cb->sacked &= ~XTCP_SACKED;
		if (cb->sacked & XTCP_SACKED) {
			cb->sacked &= ~XTCP_LOST;
			continue;
		}
		cb->sacked |= XTCP_LOST;
		s->lost_out++;
	}
	q->lost_hint = xtcp_rtxq_tail(q);
	q->retransmit_hint = NULL;
	return reneged;
}

/*
 * Queue @buff, split off the end of @skb (xtcp_fragment()), right after
 * it, with the same marks counted.
 */
static inline void xtcp_rtxq_add_after(struct xtcp_rtxq *q,
				       struct xtcp_score *s,
				       struct sk_buff *skb, struct sk_buff *buff)
{
	struct rb_node **p = &skb->rbnode.rb_right, *parent = &skb->rbnode;
	u8 f = XTCP_SKB_CB(buff)->sacked;

	while (*p) {
		parent = *p;
		p = &parent->rb_left;
	}
	rb_link_node(&buff->rbnode, parent, p);
	rb_insert_color(&buff->rbnode, &q->root);
	/* A piece may now lie inside a cached block it was never in. */
	q->nr_cache = 0;
	s->packets_out++;
	if (f & XTCP_SACKED)
		s->sacked_out++;
	if (f & XTCP_LOST)
		s->lost_out++;
	if (f & XTCP_RETRANS)
		s->retrans_out++;
}

/*
 * After the path MTU shrank: @skb, if larger than @mss and not SACKed,
 * was dropped on the path; it waits to be resent (tcp_simple_retransmit()).
 */
static inline void xtcp_mark_oversized_lost(struct xtcp_rtxq *q,
					    struct xtcp_score *s,
					    struct sk_buff *skb, u32 mss)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (skb->len <= mss || (cb->sacked & XTCP_SACKED))
		return;
	if (cb->sacked & XTCP_RETRANS) {
		cb->sacked &= ~XTCP_RETRANS;
		s->retrans_out--;
	}
	if (!(cb->sacked & XTCP_LOST))
		xtcp_skb_mark_lost(q, s, skb);
	else
		xtcp_rtxq_lower_hint(q, skb);	/* its RETRANS mark went */
}

/* The first segment, from the retransmit hint on, that waits to be resent. */
static inline struct sk_buff *xtcp_rtxq_first_lost(const struct xtcp_rtxq *q)
{
	struct sk_buff *skb = q->retransmit_hint ?: xtcp_rtxq_head(q);

	while (skb && !xtcp_skb_wants_rtx(skb))
		skb = skb_rb_next(skb);
	return skb;
}

/* The next segment after @skb that waits to be resent. */
static inline struct sk_buff *xtcp_rtxq_next_lost(struct sk_buff *skb)
{
	do
		skb = skb_rb_next(skb);
	while (skb && !xtcp_skb_wants_rtx(skb));
	return skb;
}

#endif /* _XTCP_SACK_H */
