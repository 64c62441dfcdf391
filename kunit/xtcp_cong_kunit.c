// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_cong, for src/xtcp_cong.h: NewReno congestion
 * control.
 */
#include <kunit/test.h>

#include "xtcp_cong.h"

/* RFC 5681 3.1: slow start to ssthresh, then one segment per window. */
static void xtcp_cong_growth_test(struct kunit *test)
{
	struct xtcp_cc cc;
	int i;

	xtcp_cc_init(&cc);
	KUNIT_EXPECT_EQ(test, 10U, cc.cwnd);	/* RFC 6928 */
	xtcp_cc_on_ack(&cc, 1);
	KUNIT_EXPECT_EQ(test, 11U, cc.cwnd);
	xtcp_cc_on_ack(&cc, 5);			/* RFC 3465: at most L = 2 */
	KUNIT_EXPECT_EQ(test, 13U, cc.cwnd);
	cc.ssthresh = 14;
	xtcp_cc_on_ack(&cc, 2);
	KUNIT_EXPECT_EQ(test, 14U, cc.cwnd);	/* not past ssthresh */
	for (i = 0; i < 13; i++)
		xtcp_cc_on_ack(&cc, 1);
	KUNIT_EXPECT_EQ(test, 14U, cc.cwnd);
	xtcp_cc_on_ack(&cc, 1);			/* the 14th: a window's worth */
	KUNIT_EXPECT_EQ(test, 15U, cc.cwnd);
	xtcp_cc_on_ack(&cc, 0);
	KUNIT_EXPECT_EQ(test, 15U, cc.cwnd);
}

/* RFC 6582 3.2 and RFC 5681 3.1 (4), (5). */
static void xtcp_cong_loss_test(struct kunit *test)
{
	struct xtcp_cc cc;

	xtcp_cc_init(&cc);
	cc.cwnd = 40;
	xtcp_cc_enter_recovery(&cc, 40, 5000);
	KUNIT_EXPECT_EQ(test, (u8)XTCP_CA_RECOVERY, cc.state);
	KUNIT_EXPECT_EQ(test, 20U, cc.ssthresh);
	KUNIT_EXPECT_EQ(test, 20U, cc.cwnd);
	KUNIT_EXPECT_EQ(test, 5000U, cc.recover);
	xtcp_cc_on_ack(&cc, 3);			/* no growth in recovery */
	KUNIT_EXPECT_EQ(test, 20U, cc.cwnd);
	xtcp_cc_exit_recovery(&cc);
	KUNIT_EXPECT_EQ(test, (u8)XTCP_CA_OPEN, cc.state);
	KUNIT_EXPECT_EQ(test, 20U, cc.cwnd);

	xtcp_cc_on_timeout(&cc, 3, 6000);
	KUNIT_EXPECT_EQ(test, 1U, cc.cwnd);
	KUNIT_EXPECT_EQ(test, 2U, cc.ssthresh);	/* max(FlightSize / 2, 2) */
	/* A second timeout of the same loss keeps ssthresh. */
	cc.ssthresh = 7;
	xtcp_cc_on_timeout(&cc, 1, 6000);
	KUNIT_EXPECT_EQ(test, 7U, cc.ssthresh);
	xtcp_cc_on_ack(&cc, 1);			/* slow start again */
	KUNIT_EXPECT_EQ(test, 2U, cc.cwnd);
}

static struct kunit_case xtcp_cong_cases[] = {
	KUNIT_CASE(xtcp_cong_growth_test),
	KUNIT_CASE(xtcp_cong_loss_test),
	{}
};

static struct kunit_suite xtcp_cong_suite = {
	.name = "xtcp_cong",
	.test_cases = xtcp_cong_cases,
};

kunit_test_suite(xtcp_cong_suite);
