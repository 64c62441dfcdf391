// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_reqsk, for src/xtcp_timer.h: a request minisock's
 * timer.
 */
#include <kunit/test.h>

#include "xtcp_timer.h"

/*
 * A request minisock's life: the SYN-ACK is resent after 1, 2, 4 ... s
 * (RFC 6298 5.5), capped, so with synack_retries = 5 it lives 63 s.
 */
static void xtcp_reqsk_lifetime_test(struct kunit *test)
{
	unsigned long total = XTCP_TIMEOUT_INIT;
	unsigned int n;

	for (n = 1; n <= XTCP_SYNACK_RETRIES; n++)
		total += xtcp_synack_backoff(n);
	KUNIT_EXPECT_EQ(test, 63UL * HZ, total);
	KUNIT_EXPECT_EQ(test, (unsigned long)XTCP_RTO_MAX, xtcp_synack_backoff(7));
	KUNIT_EXPECT_EQ(test, (unsigned long)XTCP_RTO_MAX, xtcp_synack_backoff(255));
}

static struct kunit_case xtcp_reqsk_cases[] = {
	KUNIT_CASE(xtcp_reqsk_lifetime_test),
	{}
};

static struct kunit_suite xtcp_reqsk_suite = {
	.name = "xtcp_reqsk",
	.test_cases = xtcp_reqsk_cases,
};

kunit_test_suite(xtcp_reqsk_suite);
