// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_seq, for src/xtcp_seq.h: RFC 9293 3.4 sequence
 * arithmetic.
 */
#include <kunit/test.h>

#include "xtcp_seq.h"

/* RFC 9293 3.4: ordering is modulo 2^32. */
static void xtcp_seq_order_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(7, 7));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(2, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(7, 7));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(6, 7));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_leq(8, 7));
}

static void xtcp_seq_wrap_test(struct kunit *test)
{
	/* 0xfffffff0 comes before 0x10: the space wrapped between them. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x10, 0xfffffff0U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xffffffffU, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0xffffffffU, 0));
	/* Just under half the space ahead is still "after". */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x7fffffffU, 0));
	/* Exactly 2^31 apart: the signed distance rule says "before". */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0x80000000U, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0, 0x80000000U));
}

/* RFC 9293 3.4: window test lo <= seq <= hi, across the wrap. */
static void xtcp_seq_between_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 5, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 5, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(4, 5, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(11, 5, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xffffffffU, 0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0x3, 0xfffffff0U, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0x11, 0xfffffff0U, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xffffffefU, 0xfffffff0U, 0x10));
}

/* RFC 9293 3.10.7.4: the four cases of the acceptability test. */
static void xtcp_seq_acceptable_test(struct kunit *test)
{
	/* Zero length, zero window: only SEG.SEQ = RCV.NXT. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 0, 100, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 0, 101, 101));
	/* Zero length, open window: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 10, 109, 109));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 10, 110, 110));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 10, 99, 99));
	/* Data, zero window: never. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 0, 100, 101));
	/* Data, open window: first or last octet inside. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 10, 95, 101));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(100, 10, 109, 120));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 10, 90, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(100, 10, 110, 111));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(0xfffffffaU, 16, 2, 4));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(0xfffffffaU, 16, 10, 12));
}

static struct kunit_case xtcp_seq_cases[] = {
	KUNIT_CASE(xtcp_seq_order_test),
	KUNIT_CASE(xtcp_seq_wrap_test),
	KUNIT_CASE(xtcp_seq_between_test),
	KUNIT_CASE(xtcp_seq_acceptable_test),
	{}
};

static struct kunit_suite xtcp_seq_suite = {
	.name = "xtcp_seq",
	.test_cases = xtcp_seq_cases,
};

kunit_test_suite(xtcp_seq_suite);
