// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_ofo, for src/xtcp_ofo.h: the out-of-order queue and
 * its SACK blocks.
 */
#include <kunit/test.h>

#include "xtcp_kunit.h"
#include "xtcp_ofo.h"

/* The out-of-order queue holds exactly @want's n [seq, end) pairs. */
static void xtcp_test_ofo_is(struct kunit *test, struct xtcp_ofo *q,
			     const u32 *want, int n)
{
	struct sk_buff *skb, *last = NULL;
	int i = 0;

	skb_rbtree_walk(skb, &q->root) {
		if (i < n) {
			KUNIT_EXPECT_EQ(test, want[2 * i], XTCP_SKB_CB(skb)->seq);
			KUNIT_EXPECT_EQ(test, want[2 * i + 1], XTCP_SKB_CB(skb)->end_seq);
		}
		last = skb;
		i++;
	}
	KUNIT_EXPECT_EQ(test, n, i);
	if (n)
		KUNIT_EXPECT_PTR_EQ(test, last, q->last);
}

/* Sorted insertion, covered and covering segments, wrap-around. */
static void xtcp_ofo_insert_test(struct kunit *test)
{
	struct xtcp_ofo q;
	struct sk_buff *skb;
	static const u32 a[] = { 100, 200, 300, 400 };
	static const u32 b[] = { 50, 250, 300, 400 };
	static const u32 c[] = { 50, 250, 260, 280, 300, 400 };
	static const u32 d[] = { 0xffffff00, 0xffffff80, 0x10, 0x20 };
	static const u32 e[] = { 50, 500 };

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 300, 400)));
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 100, 200)));
	xtcp_test_ofo_is(test, &q, a, 2);
	/* Duplicates and segments inside others add nothing. */
	skb = xtcp_test_seg(test, 100, 200);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	skb = xtcp_test_seg(test, 320, 380);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	/* A segment covering one replaces it. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 50, 250)));
	xtcp_test_ofo_is(test, &q, b, 2);
	/* Partial overlaps stay, sorted. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 260, 280)));
	xtcp_test_ofo_is(test, &q, c, 3);
	/* Same start, reaching further: replaces it and all it covers. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 50, 500)));
	xtcp_test_ofo_is(test, &q, e, 1);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_empty(&q));

	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 0x10, 0x20)));
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 0xffffff00,
								  0xffffff80)));
	xtcp_test_ofo_is(test, &q, d, 2);
	xtcp_ofo_purge(&q);
}

/*
 * CVE-2019-11478 class: 2000 one-octet segments in descending order,
 * then every other gap filled in ascending order.  The queue stays
 * sorted, its last segment known, and the blocks describe it.
 */
static void xtcp_ofo_descending_test(struct kunit *test)
{
	struct xtcp_ofo q;
	struct sk_buff *skb;
	u32 i, prev = 0, n = 0;

	xtcp_ofo_init(&q);
	for (i = 4000; i > 0; i -= 2) {
		skb = xtcp_test_seg(test, 1000 + i, 1001 + i);
		KUNIT_ASSERT_TRUE(test, xtcp_ofo_insert(&q, skb));
	}
	KUNIT_EXPECT_EQ(test, 5000U, XTCP_SKB_CB(q.last)->seq);
	skb_rbtree_walk(skb, &q.root) {
		KUNIT_EXPECT_GT(test, XTCP_SKB_CB(skb)->seq, prev);
		prev = XTCP_SKB_CB(skb)->seq;
		n++;
	}
	KUNIT_EXPECT_EQ(test, 2000U, n);
	/* Each segment was its own block; the 4 most recent are kept. */
	KUNIT_ASSERT_EQ(test, 4, (int)q.nr_blocks);
	KUNIT_EXPECT_EQ(test, 1002U, q.blocks[0].start);
	KUNIT_EXPECT_EQ(test, 1004U, q.blocks[1].start);
	/* Filling 1003 joins 1002 and 1004 into the first block. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 1003, 1004)));
	KUNIT_EXPECT_EQ(test, 1002U, q.blocks[0].start);
	KUNIT_EXPECT_EQ(test, 1005U, q.blocks[0].end);
	KUNIT_EXPECT_EQ(test, 3, (int)q.nr_blocks);
	xtcp_ofo_purge(&q);
}

/* RFC 2018 4: the block of the latest segment first, then the others. */
static void xtcp_ofo_blocks_test(struct kunit *test)
{
	struct xtcp_sack_block b[4];
	struct xtcp_ofo q;
	struct sk_buff *skb;
	int n;

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_EQ(test, 0, xtcp_ofo_blocks(&q, b, 4));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 100, 200));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 200, 300));	/* contiguous */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 250, 350));	/* overlapping */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 700, 800));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 500, 600));
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 3, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	KUNIT_EXPECT_EQ(test, 600U, b[0].end);
	KUNIT_EXPECT_EQ(test, 700U, b[1].start);
	KUNIT_EXPECT_EQ(test, 100U, b[2].start);
	KUNIT_EXPECT_EQ(test, 350U, b[2].end);
	/* Room for two: the most recent two. */
	KUNIT_EXPECT_EQ(test, 2, xtcp_ofo_blocks(&q, b, 2));
	KUNIT_EXPECT_EQ(test, 700U, b[1].start);
	/* A duplicate inside 100..350 brings its block to the front. */
	skb = xtcp_test_seg(test, 120, 130);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 3, n);
	KUNIT_EXPECT_EQ(test, 100U, b[0].start);
	KUNIT_EXPECT_EQ(test, 500U, b[1].start);
	/* A segment joining two blocks leaves one, first. */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 600, 700));
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 2, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	KUNIT_EXPECT_EQ(test, 800U, b[0].end);
	KUNIT_EXPECT_EQ(test, 100U, b[1].start);
	/* RCV.NXT reaching 350 delivers the first; its block goes. */
	xtcp_ofo_sack_trim(&q, 350);
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 1, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_EQ(test, 0, xtcp_ofo_blocks(&q, b, 4));
}

static struct kunit_case xtcp_ofo_cases[] = {
	KUNIT_CASE(xtcp_ofo_insert_test),
	KUNIT_CASE(xtcp_ofo_descending_test),
	KUNIT_CASE(xtcp_ofo_blocks_test),
	{}
};

static struct kunit_suite xtcp_ofo_suite = {
	.name = "xtcp_ofo",
	.test_cases = xtcp_ofo_cases,
};

kunit_test_suite(xtcp_ofo_suite);
