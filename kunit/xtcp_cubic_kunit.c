// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_cubic, for src/xtcp_cubic.h: CUBIC's arithmetic
 * against RFC 9438's formulas, and HyStart++'s threshold (RFC 9406).
 */
#include <kunit/test.h>

#include "xtcp_cubic.h"

static void xtcp_cubic_root_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0U, xtcp_cubic_root(0));
	KUNIT_EXPECT_EQ(test, 1U, xtcp_cubic_root(7));
	KUNIT_EXPECT_EQ(test, 2U, xtcp_cubic_root(8));
	KUNIT_EXPECT_EQ(test, 2U, xtcp_cubic_root(26));
	KUNIT_EXPECT_EQ(test, 3U, xtcp_cubic_root(27));
	KUNIT_EXPECT_EQ(test, 1000000U, xtcp_cubic_root(1000000000000000000ULL));
	KUNIT_EXPECT_EQ(test, 2097152U, xtcp_cubic_root(1ULL << 63));
	KUNIT_EXPECT_EQ(test, 2642245U, xtcp_cubic_root(U64_MAX));
}

/*
 * RFC 9438 4.2: after a loss at W_max = 100 the window restarts at
 * 0.7 W_max = 70, and K = cbrt((100 - 70) / 0.4) = 4.218 s, 4318 in
 * 1024ths (C is 410/1024 here, so a little less).  W_cubic(0) is the
 * restart window, W_cubic(K) = W_max, and the curve is symmetric.
 */
static void xtcp_cubic_curve_test(struct kunit *test)
{
	u32 k = xtcp_cubic_k(100, 70);

	KUNIT_EXPECT_GE(test, k, 4300U);
	KUNIT_EXPECT_LE(test, k, 4330U);
	KUNIT_EXPECT_EQ(test, 0U, xtcp_cubic_k(100, 100));
	KUNIT_EXPECT_GE(test, xtcp_cubic_target(100, k, 0), 69U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_target(100, k, 0), 71U);
	KUNIT_EXPECT_EQ(test, 100U, xtcp_cubic_target(100, k, k));
	KUNIT_EXPECT_GE(test, xtcp_cubic_target(100, k, 2 * k), 129U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_target(100, k, 2 * k), 131U);
	/* One second past K: W_max + C = 100.4, still 100. */
	KUNIT_EXPECT_EQ(test, 100U, xtcp_cubic_target(100, k, k + 1024));
	/* Ten seconds: 100 + 0.4 * 1000 = 500. */
	KUNIT_EXPECT_GE(test, xtcp_cubic_target(100, k, k + 10240), 499U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_target(100, k, k + 10240), 501U);
	/* Far out it saturates instead of wrapping. */
	KUNIT_EXPECT_GT(test, xtcp_cubic_target(100, 0, 1ULL << 40), 1000000U);
}

/* RFC 9438 4.4-4.7: the increase rate, beta_cubic, fast convergence. */
static void xtcp_cubic_rules_test(struct kunit *test)
{
	/* To grow from 100 to 110 in a round trip: one per 10 acked. */
	KUNIT_EXPECT_EQ(test, 10U, xtcp_cubic_cnt(100, 110));
	KUNIT_EXPECT_EQ(test, 10000U, xtcp_cubic_cnt(100, 90));
	KUNIT_EXPECT_EQ(test, 70U, xtcp_cubic_ssthresh(100));
	KUNIT_EXPECT_EQ(test, 2U, xtcp_cubic_ssthresh(2));
	/* Below the last W_max: W_max = cwnd (1 + beta) / 2. */
	KUNIT_EXPECT_EQ(test, 68U, xtcp_cubic_wmax(80, 100));
	KUNIT_EXPECT_EQ(test, 120U, xtcp_cubic_wmax(120, 100));
	/* RFC 9438 4.3: alpha_cubic = 0.529, one per 1.875 cwnd acked. */
	KUNIT_EXPECT_EQ(test, 15, XTCP_CUBIC_FRIENDLY_SCALE);
}

/* RFC 9406 4.3: RttThresh = clamp(lastRoundMinRTT / 8, 4 ms, 16 ms). */
static void xtcp_hystart_thresh_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 4000U, xtcp_hystart_thresh(10000));
	KUNIT_EXPECT_EQ(test, 10000U, xtcp_hystart_thresh(80000));
	KUNIT_EXPECT_EQ(test, 16000U, xtcp_hystart_thresh(200000));
}

static struct kunit_case xtcp_cubic_cases[] = {
	KUNIT_CASE(xtcp_cubic_root_test),
	KUNIT_CASE(xtcp_cubic_curve_test),
	KUNIT_CASE(xtcp_cubic_rules_test),
	KUNIT_CASE(xtcp_hystart_thresh_test),
	{}
};

static struct kunit_suite xtcp_cubic_suite = {
	.name = "xtcp_cubic",
	.test_cases = xtcp_cubic_cases,
};

kunit_test_suite(xtcp_cubic_suite);
