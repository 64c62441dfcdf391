// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_tlp, for src/xtcp_tlp.h: the tail loss probe timeout
 * (RFC 8985).
 */
#include <kunit/test.h>

#include "xtcp_tlp.h"

/*
 * RFC 8985 7.2: PTO = 2 * SRTT, plus WCDelAckT (200 ms) with one segment
 * in flight, else two ticks; 1 s without an RTT; never after the RTO.
 */
static void xtcp_tlp_pto_test(struct kunit *test)
{
	const u32 tick = 4000, rto = 1000000;

	KUNIT_EXPECT_EQ(test, 2 * 10000 + 2 * tick,
			xtcp_pto_us(10000, 5, rto, tick));
	KUNIT_EXPECT_EQ(test, 2 * 10000 + 200000,
			xtcp_pto_us(10000, 1, rto, tick));
	KUNIT_EXPECT_EQ(test, 1000000U, xtcp_pto_us(0, 3, 3000000, tick));
	/* Never later than the RTO would fire. */
	KUNIT_EXPECT_EQ(test, 200000U, xtcp_pto_us(0, 3, 200000, tick));
	KUNIT_EXPECT_EQ(test, 210000U, xtcp_pto_us(10000, 1, 210000, tick));
	KUNIT_EXPECT_EQ(test, 300000U, xtcp_pto_us(400000, 4, 300000, tick));
}

static struct kunit_case xtcp_tlp_cases[] = {
	KUNIT_CASE(xtcp_tlp_pto_test),
	{}
};

static struct kunit_suite xtcp_tlp_suite = {
	.name = "xtcp_tlp",
	.test_cases = xtcp_tlp_cases,
};

kunit_test_suite(xtcp_tlp_suite);
