// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_isn, for src/xtcp_seqgen.c: initial sequence numbers
 * (RFC 6528).
 */
#include <kunit/test.h>

#include "xtcp_kunit.h"
#include "xtcp_seqgen.h"

/* RFC 6528: per tuple, the ISN advances with the clock, one per ~4 us. */
static void xtcp_isn_clock_test(struct kunit *test)
{
	u32 a = xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2, 1000000000ULL);
	u32 b = xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2,
			      1000000000ULL + 4096);
	u32 c = xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2,
			      1000000000ULL + 4096 * 1000);

	KUNIT_EXPECT_EQ(test, b - a, 1U);
	KUNIT_EXPECT_EQ(test, c - a, 1000U);
	/* Wraps modulo 2^32 without a jump. */
	KUNIT_EXPECT_EQ(test, xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2,
					    (1ULL << 44) + 4096) -
			      xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2,
					    1ULL << 44), 1U);
}

/* RFC 6528: the offset depends on every element of the tuple and the key. */
static void xtcp_isn_tuple_test(struct kunit *test)
{
	const siphash_key_t other = {{ 3, 4 }};
	u32 base = xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P2, 0);

	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&xtcp_test_key, A2, A2, P1, P2, 0));
	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&xtcp_test_key, A1, A1, P1, P2, 0));
	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&xtcp_test_key, A1, A2, P2, P2, 0));
	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&xtcp_test_key, A1, A2, P1, P1, 0));
	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&other, A1, A2, P1, P2, 0));
	/* The two directions of a connection get unrelated numbers. */
	KUNIT_EXPECT_NE(test, base, xtcp_isn_calc(&xtcp_test_key, A2, A1, P2, P1, 0));
}

static struct kunit_case xtcp_isn_cases[] = {
	KUNIT_CASE(xtcp_isn_clock_test),
	KUNIT_CASE(xtcp_isn_tuple_test),
	{}
};

static struct kunit_suite xtcp_isn_suite = {
	.name = "xtcp_isn",
	.test_cases = xtcp_isn_cases,
};

kunit_test_suite(xtcp_isn_suite);
