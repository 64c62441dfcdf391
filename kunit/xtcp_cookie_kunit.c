// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_cookie, for src/xtcp_cookie.h: SYN cookies.
 */
#include <kunit/test.h>

#include "xtcp_cookie.h"
#include "xtcp_kunit.h"

static u32 make(u32 irs, u32 now, u16 *mss)
{
	return xtcp_cookie_make(&xtcp_test_key, A1, A2, P1, P2, irs, now, mss);
}

static void xtcp_cookie_roundtrip_test(struct kunit *test)
{
	u16 mss = 1460;
	u32 c = make(12345, 1000, &mss);

	KUNIT_EXPECT_EQ(test, mss, 1440);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						12345, c, 1000), 1440);
	KUNIT_EXPECT_EQ(test, c >> 24, 1000U & 0xff);
}

/* The cookie carries the largest table MSS not above the client's. */
static void xtcp_cookie_mss_test(struct kunit *test)
{
	static const u16 in[] = { 100, 536, 1299, 1300, 1500, 8960, 65495 };
	static const u16 out[] = { 536, 536, 536, 1300, 1440, 8960, 8960 };
	int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		u16 mss = in[i];
		u32 c = make(1, 7, &mss);

		KUNIT_EXPECT_EQ(test, mss, out[i]);
		KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2,
							P1, P2, 1, c, 7),
				out[i]);
	}
}

/* Any change of tuple, client ISN or cookie bits invalidates it. */
static void xtcp_cookie_tamper_test(struct kunit *test)
{
	u16 mss = 1460;
	u32 c = make(555, 40, &mss);
	const siphash_key_t other = {{ 1, 2 }};

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A2, A2, P1, P2,
						555, c, 40), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P2, P2,
						555, c, 40), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						556, c, 40), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						555, c ^ 1, 40), 0);
	/* Claiming a larger MSS index breaks the hash. */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						555, c | 3U << 22, 40), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&other, A1, A2, P1, P2,
						555, c, 40), 0);
}

/*
 * A client that saw one cookie cannot move it to another tick or MSS
 * index by choosing its ISN: with the ISN XORed into one hash input,
 * irs ^ t' ^ t kept the hash, and the cookie lived for ever.
 */
static void xtcp_cookie_refresh_test(struct kunit *test)
{
	u16 mss = 536;
	u32 c = make(0x1000, 40, &mss), t, idx;

	for (t = 41; t < 44; t++)
		for (idx = 0; idx < 4; idx++) {
			u32 irs = 0x1000 ^ (40 << 8) ^ (t << 8 | idx);
			u32 forged = t << 24 | idx << XTCP_COOKIE_HASH_BITS |
				     (c & XTCP_COOKIE_HASH_MASK);

			KUNIT_EXPECT_EQ(test, 0,
					xtcp_cookie_check(&xtcp_test_key, A1,
							  A2, P1, P2, irs,
							  forged, t));
		}
}

/* Good for two ticks (64 s each), across the 8-bit counter's wrap. */
static void xtcp_cookie_age_test(struct kunit *test)
{
	u16 mss = 536;
	u32 c = make(9, 255, &mss);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						9, c, 255), 536);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						9, c, 256), 536);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						9, c, 257), 536);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						9, c, 258), 0);
	/* A cookie from the future is not accepted either. */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&xtcp_test_key, A1, A2, P1, P2,
						9, c, 254), 0);
}

static struct kunit_case xtcp_cookie_cases[] = {
	KUNIT_CASE(xtcp_cookie_roundtrip_test),
	KUNIT_CASE(xtcp_cookie_mss_test),
	KUNIT_CASE(xtcp_cookie_tamper_test),
	KUNIT_CASE(xtcp_cookie_refresh_test),
	KUNIT_CASE(xtcp_cookie_age_test),
	{}
};

static struct kunit_suite xtcp_cookie_suite = {
	.name = "xtcp_cookie",
	.test_cases = xtcp_cookie_cases,
};

kunit_test_suite(xtcp_cookie_suite);
