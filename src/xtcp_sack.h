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

/**
 * xtcp_sack_tag() - mark the segments one SACK block covers
 * @q: retransmission queue, in sequence order
 * @s: counts
 * @start: block start
 * @end: block end
 *
 * Only segments entirely inside the block are marked (RFC 2018 4 lets a
 * receiver report any part; the rest stays unmarked and is resent).
 *
 * Return: segments newly marked.
 */
static inline u32 xtcp_sack_tag(struct sk_buff_head *q, struct xtcp_score *s,
				u32 start, u32 end)
{
	struct sk_buff *skb;
	u32 n = 0;

	skb_queue_walk(q, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!xtcp_seq_after(end, cb->seq))
			break;
		if (xtcp_seq_before(cb->seq, start) ||
		    xtcp_seq_after(cb->end_seq, end) ||
		    (cb->sacked & XTCP_SACKED))
			continue;
		if (cb->sacked & XTCP_LOST)
			s->lost_out--;
		if (cb->sacked & XTCP_RETRANS)
			s->retrans_out--;
		cb->sacked = (cb->sacked & XTCP_EVER_RETRANS) | XTCP_SACKED;
		s->sacked_out++;
		n++;
	}
	return n;
}

/**
 * xtcp_sack_mark_lost() - RFC 6675 4 IsLost(): a hole with @dupthresh
 *	or more SACKed segments above it is lost
 * @q: retransmission queue
 * @s: counts
 * @dupthresh: DupThresh, 3
 *
 * Retransmitted segments keep their mark until a timeout.
 *
 * Return: segments newly marked lost.
 */
static inline u32 xtcp_sack_mark_lost(struct sk_buff_head *q,
				      struct xtcp_score *s, u32 dupthresh)
{
	struct sk_buff *skb;
	u32 above = 0, n = 0;

	for (skb = q->prev; skb != (struct sk_buff *)q; skb = skb->prev) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (cb->sacked & XTCP_SACKED) {
			above++;
			continue;
		}
		if (above < dupthresh)
			continue;
		if (cb->sacked & (XTCP_LOST | XTCP_RETRANS))
			break;	/* everything below was seen already */
		cb->sacked |= XTCP_LOST;
		s->lost_out++;
		n++;
	}
	return n;
}

/* Mark the first segment lost unless it is SACKed or already marked. */
static inline bool xtcp_mark_head_lost(struct sk_buff_head *q,
				       struct xtcp_score *s)
{
	struct sk_buff *skb = skb_peek(q);

	if (!skb || (XTCP_SKB_CB(skb)->sacked &
		     (XTCP_SACKED | XTCP_LOST | XTCP_RETRANS)))
		return false;
	XTCP_SKB_CB(skb)->sacked |= XTCP_LOST;
	s->lost_out++;
	return true;
}

/*
 * RFC 6298 5.4 after a timeout: every segment not SACKed is lost again,
 * retransmissions included.  SACK marks are kept, as Linux keeps them,
 * unless the first segment is SACKed: the peer has then reneged (RFC
 * 2018 8, it threw away data it SACKed and still wants the head), and
 * kept marks would hold back what it needs forever.  Then every mark
 * goes (Linux's tcp_timeout_mark_lost()).
 * Return: true if the peer reneged.
 */
static inline bool xtcp_mark_all_lost(struct sk_buff_head *q,
				      struct xtcp_score *s)
{
	struct sk_buff *skb = skb_peek(q);
	bool reneged = skb && (XTCP_SKB_CB(skb)->sacked & XTCP_SACKED);

	s->lost_out = 0;
	s->retrans_out = 0;
	if (reneged)
		s->sacked_out = 0;
	skb_queue_walk(q, skb) {
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
	return reneged;
}

#endif /* _XTCP_SACK_H */
