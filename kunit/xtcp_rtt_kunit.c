// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_rtt, for src/xtcp_rtt.h: the RFC 6298 estimator.
 */
#include <kunit/test.h>

#include "xtcp_rtt.h"

/* RFC 6298 2.2: the first measurement sets SRTT = R, RTTVAR = R/2. */
static void xtcp_rtt_first_test(struct kunit *test)
{
	struct xtcp_rtt r = {};

	KUNIT_EXPECT_EQ(test, 1000000U,
			xtcp_rtt_rto_us(&r, 4000, 200000, 120000000, 1000000));
	xtcp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, 100000U, r.srtt_us);
	KUNIT_EXPECT_EQ(test, 50000U, r.rttvar_us);
	/* RTO = SRTT + 4 * RTTVAR = 300 ms. */
	KUNIT_EXPECT_EQ(test, 300000U,
			xtcp_rtt_rto_us(&r, 4000, 200000, 120000000, 1000000));
}

/* RFC 6298 2.3: alpha = 1/8, beta = 1/4; 2.4, 2.5: the bounds. */
static void xtcp_rtt_update_test(struct kunit *test)
{
	struct xtcp_rtt r = {};
	int i;

	xtcp_rtt_sample(&r, 100000);
	xtcp_rtt_sample(&r, 200000);
	/* RTTVAR = 3/4 * 50000 + 1/4 * 100000; SRTT = 7/8 * 1e5 + 1/8 * 2e5 */
	KUNIT_EXPECT_EQ(test, 62500U, r.rttvar_us);
	KUNIT_EXPECT_EQ(test, 112500U, r.srtt_us);
	KUNIT_EXPECT_EQ(test, 100000U, r.min_us);
	/* Steady small samples: RTTVAR decays, the minimum holds the RTO. */
	for (i = 0; i < 100; i++)
		xtcp_rtt_sample(&r, 1000);
	KUNIT_EXPECT_LT(test, r.srtt_us, 2000U);
	KUNIT_EXPECT_EQ(test, 200000U,
			xtcp_rtt_rto_us(&r, 4000, 200000, 120000000, 1000000));
	/* A huge sample is capped at the maximum. */
	xtcp_rtt_sample(&r, 2000000000U);
	KUNIT_EXPECT_EQ(test, 120000000U,
			xtcp_rtt_rto_us(&r, 4000, 200000, 120000000, 1000000));
	/* G: with no variance the clock granularity still counts. */
	r = (struct xtcp_rtt){ .srtt_us = 300000, .rttvar_us = 0 };
	KUNIT_EXPECT_EQ(test, 304000U,
			xtcp_rtt_rto_us(&r, 4000, 200000, 120000000, 1000000));
	/* A zero sample counts as 1 us, so SRTT stays "measured". */
	r = (struct xtcp_rtt){};
	xtcp_rtt_sample(&r, 0);
	KUNIT_EXPECT_EQ(test, 1U, r.srtt_us);
}

static struct kunit_case xtcp_rtt_cases[] = {
	KUNIT_CASE(xtcp_rtt_first_test),
	KUNIT_CASE(xtcp_rtt_update_test),
	{}
};

static struct kunit_suite xtcp_rtt_suite = {
	.name = "xtcp_rtt",
	.test_cases = xtcp_rtt_cases,
};

kunit_test_suite(xtcp_rtt_suite);
