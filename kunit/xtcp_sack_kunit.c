// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_sack, for src/xtcp_sack.h and src/xtcp_rtxq.h: the
 * retransmission queue and its scoreboard.
 */
#include <kunit/test.h>

#include "xtcp_kunit.h"
#include "xtcp_sack.h"

/* Ten segments of 100 octets from 1000, all in flight. */
static void xtcp_test_rtx_queue(struct kunit *test, struct xtcp_rtxq *q,
				struct xtcp_score *s)
{
	int i;

	xtcp_rtxq_init(q);
	memset(s, 0, sizeof(*s));
	for (i = 0; i < 10; i++) {
		xtcp_rtxq_add_tail(q, xtcp_test_seg(test, 1000 + 100 * i,
						    1100 + 100 * i));
		s->packets_out++;
	}
}

static void xtcp_test_rtxq_purge(struct xtcp_rtxq *q)
{
	struct sk_buff *skb;

	while ((skb = xtcp_rtxq_head(q))) {
		xtcp_rtxq_unlink(q, skb);
		kfree_skb(skb);
	}
}

/* RFC 2018 4, RFC 6675 4: tagging, IsLost(), pipe. */
static void xtcp_sack_scoreboard_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;
	struct sk_buff *skb;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 10U, xtcp_in_flight(&s));
	/* A block covering segments 3..4 and half of 5: two tagged. */
	KUNIT_EXPECT_EQ(test, 2U, xtcp_sack_tag(&q, &s, 1300, 1550, NULL));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_sack_tag(&q, &s, 1300, 1500, NULL));
	KUNIT_EXPECT_EQ(test, 2U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 8U, xtcp_in_flight(&s));
	/* Two SACKed above: not yet lost (DupThresh 3). */
	KUNIT_EXPECT_EQ(test, 0U, xtcp_sack_mark_lost(&q, &s, 3));
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag(&q, &s, 1600, 1700, NULL));
	/* Three above: segments 0..2 are lost; 5 is not (one above it). */
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_mark_lost(&q, &s, 3));
	KUNIT_EXPECT_EQ(test, 3U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 4U, xtcp_in_flight(&s));
	/* A retransmission is in flight again. */
	skb = xtcp_rtxq_head(&q);
	XTCP_SKB_CB(skb)->sacked |= XTCP_RETRANS;
	s.retrans_out++;
	KUNIT_EXPECT_EQ(test, 5U, xtcp_in_flight(&s));
	KUNIT_EXPECT_FALSE(test, xtcp_mark_head_lost(&q, &s));
	/* Its cumulative ACK clears every count it held. */
	xtcp_rtxq_unlink(&q, skb);
	xtcp_score_remove(&s, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, 9U, s.packets_out);
	KUNIT_EXPECT_EQ(test, 2U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 0U, s.retrans_out);
	/* A timeout: everything not SACKed is lost; the head is not SACKed. */
	KUNIT_EXPECT_FALSE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 6U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 3U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 0U, xtcp_in_flight(&s));
	/* A SACK of a lost segment takes it off the lost count. */
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag(&q, &s, 1900, 2000, NULL));
	KUNIT_EXPECT_EQ(test, 5U, s.lost_out);
	xtcp_test_rtxq_purge(&q);
}

/* Without SACK information the head alone is marked. */
static void xtcp_sack_head_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_TRUE(test, xtcp_mark_head_lost(&q, &s));
	KUNIT_EXPECT_FALSE(test, xtcp_mark_head_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 1U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 9U, xtcp_in_flight(&s));
	xtcp_test_rtxq_purge(&q);
}

/*
 * RFC 2018 8: a peer that SACKed the head and still wants it reneged;
 * the timeout forgets every mark, so all is resent.
 */
static void xtcp_sack_renege_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_tag(&q, &s, 1000, 1300, NULL));
	KUNIT_EXPECT_TRUE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 0U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 10U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 0U, xtcp_in_flight(&s));
	xtcp_test_rtxq_purge(&q);
}

/*
 * A segment split after the path MTU shrank: the tail goes right after
 * it, wherever it sits in the tree, with its marks counted.
 */
static void xtcp_sack_split_test(struct kunit *test)
{
	struct sk_buff *skb, *buff;
	struct xtcp_rtxq q;
	struct xtcp_score s;
	u32 want = 1000;
	int i = 0;

	xtcp_test_rtx_queue(test, &q, &s);
	xtcp_mark_head_lost(&q, &s);
	/* Split each of the ten segments in two, head first. */
	for (skb = xtcp_rtxq_head(&q); skb; skb = skb_rb_next(buff)) {
		buff = xtcp_test_seg(test, XTCP_SKB_CB(skb)->seq + 50,
				     XTCP_SKB_CB(skb)->end_seq);
		XTCP_SKB_CB(buff)->sacked = XTCP_SKB_CB(skb)->sacked;
		XTCP_SKB_CB(skb)->end_seq -= 50;
		xtcp_rtxq_add_after(&q, &s, skb, buff);
	}
	skb_rbtree_walk(skb, &q.root) {
		KUNIT_EXPECT_EQ(test, want, XTCP_SKB_CB(skb)->seq);
		want = XTCP_SKB_CB(skb)->end_seq;
		i++;
	}
	KUNIT_EXPECT_EQ(test, 20, i);
	KUNIT_EXPECT_EQ(test, 20U, s.packets_out);
	/* The lost head's two halves are both lost. */
	KUNIT_EXPECT_EQ(test, 2U, s.lost_out);
	skb = xtcp_rtxq_first_lost(&q);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_rtxq_head(&q), skb);
	skb = xtcp_rtxq_next_lost(skb);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, 1050U, XTCP_SKB_CB(skb)->seq);
	xtcp_test_rtxq_purge(&q);
}

/* A block that grows by one segment per ACK skips what it tagged before. */
static void xtcp_sack_cache_test(struct kunit *test)
{
	struct xtcp_sack_block b[2] = { { 1300, 1400 }, { 1800, 1900 } };
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 2U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 2, (int)q.nr_cache);
	/* The first block grows over segment 4 and half of 5. */
	b[0].end = 1550;
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 3U, s.sacked_out);
	/* Now it covers 5 entirely: the straddler is marked, not skipped. */
	b[0].end = 1600;
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 4U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 1800U,
			XTCP_SKB_CB(q.highest_sack)->seq);
	/* After reneging the cache is forgotten: the same blocks tag again. */
	b[0].start = 1000;
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_tag_blocks(&q, &s, b, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 0, (int)q.nr_cache);
	KUNIT_EXPECT_EQ(test, 6U, xtcp_sack_tag_blocks(&q, &s, b, 1));
	xtcp_test_rtxq_purge(&q);
}

#define XTCP_MODEL_SEGS	48

/**
 * struct xtcp_model - the scoreboard computed the long way
 * @seq: start of each segment in the queue, head first
 * @end: its end
 * @f: its XTCP_SACKED, XTCP_LOST, XTCP_RETRANS bits
 * @n: segments queued
 * @nxt: SND.NXT
 * @rnd: pseudo-random state, so a run is the same every time
 */
struct xtcp_model {
	u32	seq[XTCP_MODEL_SEGS];
	u32	end[XTCP_MODEL_SEGS];
	u8	f[XTCP_MODEL_SEGS];
	int	n;
	u32	nxt;
	u32	rnd;
};

static u32 xtcp_model_rand(struct xtcp_model *m, u32 range)
{
	m->rnd ^= m->rnd << 13;
	m->rnd ^= m->rnd >> 17;
	m->rnd ^= m->rnd << 5;
	return m->rnd % range;
}

/* RFC 2018 4 and RFC 6675 4 IsLost(), by looking at every segment. */
static void xtcp_model_tag(struct xtcp_model *m, u32 start, u32 end)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!xtcp_seq_before(m->seq[i], start) &&
		    !xtcp_seq_after(m->end[i], end))
			m->f[i] = XTCP_SACKED;
}

static void xtcp_model_mark_lost(struct xtcp_model *m)
{
	int i, j, above;

	for (i = 0; i < m->n; i++) {
		for (above = 0, j = i + 1; j < m->n; j++)
			above += !!(m->f[j] & XTCP_SACKED);
		if (above >= 3 && !(m->f[i] & (XTCP_SACKED | XTCP_LOST)))
			m->f[i] |= XTCP_LOST;
	}
}

/* The queue and its counts agree with the model segment by segment. */
static void xtcp_model_check(struct kunit *test, struct xtcp_model *m,
			     struct xtcp_rtxq *q, struct xtcp_score *s)
{
	struct xtcp_score want = { .packets_out = m->n };
	struct sk_buff *skb, *high = NULL;
	int i = 0;

	skb_rbtree_walk(skb, &q->root) {
		u8 f = XTCP_SKB_CB(skb)->sacked & ~XTCP_EVER_RETRANS;

		KUNIT_ASSERT_LT(test, i, m->n);
		KUNIT_EXPECT_EQ(test, m->seq[i], XTCP_SKB_CB(skb)->seq);
		KUNIT_EXPECT_EQ(test, (int)m->f[i], (int)f);
		if (f & XTCP_SACKED)
			high = skb;
		i++;
	}
	KUNIT_EXPECT_EQ(test, m->n, i);
	for (i = 0; i < m->n; i++) {
		want.sacked_out += !!(m->f[i] & XTCP_SACKED);
		want.lost_out += !!(m->f[i] & XTCP_LOST);
		want.retrans_out += !!(m->f[i] & XTCP_RETRANS);
	}
	KUNIT_EXPECT_EQ(test, want.sacked_out, s->sacked_out);
	KUNIT_EXPECT_EQ(test, want.lost_out, s->lost_out);
	KUNIT_EXPECT_EQ(test, want.retrans_out, s->retrans_out);
	KUNIT_EXPECT_PTR_EQ(test, high, q->highest_sack);
}

/* One ACK with up to four blocks, often the last ones grown. */
static void xtcp_model_sack(struct xtcp_model *m, struct xtcp_rtxq *q,
			    struct xtcp_score *s)
{
	struct xtcp_sack_block b[XTCP_MAX_SACK];
	int i, nr = 1 + xtcp_model_rand(m, XTCP_MAX_SACK);
	u32 una = m->seq[0], span = m->nxt - una;

	for (i = 0; i < nr; i++) {
		if (i < q->nr_cache && xtcp_model_rand(m, 3) &&
		    xtcp_seq_after(q->sack_cache[i].end, una)) {
			b[i] = q->sack_cache[i];
			if (xtcp_seq_before(b[i].start, una))
				b[i].start = una;
			b[i].end += 50 * xtcp_model_rand(m, 4);
			if (xtcp_seq_after(b[i].end, m->nxt))
				b[i].end = m->nxt;
		} else {
			b[i].start = una + 50 * xtcp_model_rand(m, span / 50);
			b[i].end = b[i].start + 50 +
				   50 * xtcp_model_rand(m, 8);
			if (xtcp_seq_after(b[i].end, m->nxt))
				b[i].end = m->nxt;
		}
		xtcp_model_tag(m, b[i].start, b[i].end);
	}
	xtcp_sack_tag_blocks(q, s, b, nr);
}

/*
 * Random sends, SACKs, cumulative ACKs, retransmissions, losses and
 * timeouts, with every hint in use, give the marks and counts that a
 * walk over every segment gives.
 */
static void xtcp_sack_model_test(struct kunit *test)
{
	struct xtcp_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct xtcp_rtxq q;
	struct xtcp_score s = {};
	struct sk_buff *skb;
	int step, i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	xtcp_rtxq_init(&q);
	m->rnd = 2463534242U;
	m->nxt = 0xfffff000;	/* wraps during the run */
	for (step = 0; step < 20000; step++) {
		u32 op = xtcp_model_rand(m, 16);

		if (op < 4 || !m->n) {			/* send new data */
			if (m->n == XTCP_MODEL_SEGS)
				continue;
			m->seq[m->n] = m->nxt;
			m->nxt += 100;
			m->end[m->n] = m->nxt;
			m->f[m->n++] = 0;
			skb = xtcp_test_seg(test, m->seq[m->n - 1], m->nxt);
			xtcp_rtxq_add_tail(&q, skb);
			s.packets_out++;
		} else if (op < 9) {			/* SACK, IsLost() */
			xtcp_model_sack(m, &q, &s);
			xtcp_model_mark_lost(m);
			xtcp_sack_mark_lost(&q, &s, 3);
		} else if (op < 11) {			/* cumulative ACK */
			int k = 1 + xtcp_model_rand(m, 3);

			for (; k && m->n; k--) {
				skb = xtcp_rtxq_head(&q);
				xtcp_score_remove(&s, skb);
				xtcp_rtxq_unlink(&q, skb);
				kfree_skb(skb);
				m->n--;
				memmove(m->seq, m->seq + 1, m->n * 4);
				memmove(m->end, m->end + 1, m->n * 4);
				memmove(m->f, m->f + 1, m->n);
			}
		} else if (op < 14) {			/* resend, cwnd permitting */
			int budget = xtcp_model_rand(m, 4), failed = -1;
			struct sk_buff *waiting = NULL;

			for (i = 0; i < m->n && budget; i++) {
				if ((m->f[i] & (XTCP_LOST | XTCP_RETRANS |
						XTCP_SACKED)) != XTCP_LOST)
					continue;
				if (failed < 0 && !xtcp_model_rand(m, 8)) {
					failed = i;
					continue;
				}
				m->f[i] |= XTCP_RETRANS;
				budget--;
			}
			for (i = 0, skb = xtcp_rtxq_first_lost(&q); skb;
			     skb = xtcp_rtxq_next_lost(skb)) {
				int idx = 0;

				while (idx < m->n - 1 &&
				       m->seq[idx] != XTCP_SKB_CB(skb)->seq)
					idx++;
				if (idx == failed) {
					if (!waiting)
						waiting = skb;
					continue;
				}
				if (!(m->f[idx] & XTCP_RETRANS))
					break;	/* the model's budget ran out */
				XTCP_SKB_CB(skb)->sacked |= XTCP_RETRANS;
				s.retrans_out++;
			}
			q.retransmit_hint = waiting ?: skb ?: xtcp_rtxq_tail(&q);
		} else if (op < 15) {			/* partial ACK: head lost */
			if (!(m->f[0] & (XTCP_SACKED | XTCP_LOST | XTCP_RETRANS)))
				m->f[0] |= XTCP_LOST;
			xtcp_mark_head_lost(&q, &s);
		} else {				/* timeout */
			bool reneged = m->f[0] & XTCP_SACKED;

			for (i = 0; i < m->n; i++) {
				if (reneged)
					m->f[i] = 0;
				m->f[i] = m->f[i] & XTCP_SACKED ?: XTCP_LOST;
			}
			KUNIT_EXPECT_EQ(test, reneged,
					xtcp_mark_all_lost(&q, &s));
		}
		xtcp_model_check(test, m, &q, &s);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "diverged at step %d, op %u", step, op);
			break;
		}
	}
	xtcp_test_rtxq_purge(&q);
}

static struct kunit_case xtcp_sack_cases[] = {
	KUNIT_CASE(xtcp_sack_scoreboard_test),
	KUNIT_CASE(xtcp_sack_head_test),
	KUNIT_CASE(xtcp_sack_renege_test),
	KUNIT_CASE(xtcp_sack_split_test),
	KUNIT_CASE(xtcp_sack_cache_test),
	KUNIT_CASE_SLOW(xtcp_sack_model_test),
	{}
};

static struct kunit_suite xtcp_sack_suite = {
	.name = "xtcp_sack",
	.test_cases = xtcp_sack_cases,
};

kunit_test_suite(xtcp_sack_suite);
