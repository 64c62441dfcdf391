// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_autotune, for src/xtcp_autotune.h: the formulas of
 * receive and send buffer autotuning, against Linux's figures.
 */
#include <kunit/test.h>

#include "xtcp_autotune.h"

/* tcp_rcv_rtt_update(): a first sample, a timed window, an echo. */
static void xtcp_rcv_rtt_test(struct kunit *test)
{
	u32 est = xtcp_rcv_rtt_sample(0, 100000, true);

	KUNIT_EXPECT_EQ(test, 800000U, est);
	/* A window timed longer is an upper bound only: kept smaller. */
	KUNIT_EXPECT_EQ(test, 800000U, xtcp_rcv_rtt_sample(est, 150000, true));
	KUNIT_EXPECT_EQ(test, 640000U, xtcp_rcv_rtt_sample(est, 80000, true));
	/* An echo averages 1/8 in: 100 ms and 180 ms give 110 ms. */
	KUNIT_EXPECT_EQ(test, 880000U, xtcp_rcv_rtt_sample(est, 180000, false));
}

/* tcp_rcv_space_adjust()'s window: 2 x copied + 16 MSS, grown by pace. */
static void xtcp_rcvwin_test(struct kunit *test)
{
	/* Steady: 100 KB a round trip, as before. */
	KUNIT_EXPECT_EQ(test, 2ULL * 100000 + 16 * 1448,
			xtcp_rcvwin_need(100000, 100000, 1448));
	/* Doubled since the last (slow start): 4 x the steady window. */
	KUNIT_EXPECT_EQ(test, 3ULL * (2 * 200000 + 16 * 1448),
			xtcp_rcvwin_need(200000, 100000, 1448));
	/* The buffer for it at the default half payload: twice. */
	KUNIT_EXPECT_EQ(test, 200000ULL, xtcp_space_from_win(100000, 128));
	KUNIT_EXPECT_EQ(test, 100000ULL << 8, xtcp_space_from_win(100000, 1));
}

/* tcp_sndbuf_expand(): twice cwnd, at least ten, power-of-two skbs. */
static void xtcp_sndbuf_test(struct kunit *test)
{
	/* MSS 1448 + 320 + 320 rounds to 4096, + 256 per skb. */
	KUNIT_EXPECT_EQ(test, 2ULL * 10 * (4096 + 256),
			xtcp_sndbuf_need(1448, 4, 320, 320, 256));
	KUNIT_EXPECT_EQ(test, 2ULL * 100 * (4096 + 256),
			xtcp_sndbuf_need(1448, 100, 320, 320, 256));
}

static struct kunit_case xtcp_autotune_cases[] = {
	KUNIT_CASE(xtcp_rcv_rtt_test),
	KUNIT_CASE(xtcp_rcvwin_test),
	KUNIT_CASE(xtcp_sndbuf_test),
	{}
};

static struct kunit_suite xtcp_autotune_suite = {
	.name = "xtcp_autotune",
	.test_cases = xtcp_autotune_cases,
};

kunit_test_suite(xtcp_autotune_suite);
