// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_options, for src/xtcp_options.h: option building and
 * parsing.
 */
#include <kunit/test.h>

#include "xtcp_options.h"

/* What Linux sends in a SYN: MSS, SACK-permitted + TS, NOP + WS. */
static void xtcp_options_roundtrip_test(struct kunit *test)
{
	struct xtcp_opts o = { .mss = 1460, .wscale = 7, .ts = true,
			       .sack_ok = true, .tsval = 0x01020304,
			       .tsecr = 0xa0b0c0d0 }, r;
	static const u8 linux_syn[20] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4,
		0xa0, 0xb0, 0xc0, 0xd0, 1, 3, 3, 7 };
	u8 buf[40];

	KUNIT_ASSERT_EQ(test, 20, xtcp_opts_len(&o));
	xtcp_write_opts((__be32 *)buf, &o);
	KUNIT_EXPECT_EQ(test, 0, memcmp(buf, linux_syn, 20));
	xtcp_parse_opts(buf, 20, &r);
	KUNIT_EXPECT_EQ(test, 1460, r.mss);
	KUNIT_EXPECT_EQ(test, 7, r.wscale);
	KUNIT_EXPECT_TRUE(test, r.ts && r.sack_ok);
	KUNIT_EXPECT_EQ(test, 0x01020304U, r.tsval);
	KUNIT_EXPECT_EQ(test, 0xa0b0c0d0U, r.tsecr);

	/* Three SACK blocks fill the 40 octets next to timestamps. */
	o = (struct xtcp_opts){ .wscale = -1, .ts = true, .nr_sack = 3,
				.sack = { { 1, 2 }, { 3, 4 }, { 0xfffffff0, 5 } } };
	KUNIT_ASSERT_EQ(test, 40, xtcp_opts_len(&o));
	xtcp_write_opts((__be32 *)buf, &o);
	xtcp_parse_opts(buf, 40, &r);
	KUNIT_EXPECT_EQ(test, 3, r.nr_sack);
	KUNIT_EXPECT_EQ(test, 0xfffffff0U, r.sack[2].start);
	KUNIT_EXPECT_EQ(test, 5U, r.sack[2].end);
	KUNIT_EXPECT_EQ(test, -1, r.wscale);
	KUNIT_EXPECT_FALSE(test, r.sack_ok);
}

/* RFC 9293 3.1: malformed lists stop the parse; what came before stands. */
static void xtcp_options_malformed_test(struct kunit *test)
{
	static const u8 zero_len[] = { 2, 4, 1, 0, 8, 0, 1, 1 };
	static const u8 overrun[] = { 3, 3, 20, 8, 10, 0, 0, 0, 1, 0 };
	static const u8 bad_sizes[] = { 2, 3, 9, 3, 4, 9, 4, 3, 0, 5, 7,
					0, 0, 0, 0, 0 };
	static const u8 eol[] = { 0, 2, 4, 1, 0 };
	static const u8 odd_sack[] = { 5, 6, 0, 0, 0, 1, 1, 1 };
	struct xtcp_opts o;

	xtcp_parse_opts(zero_len, sizeof(zero_len), &o);
	KUNIT_EXPECT_EQ(test, 256, o.mss);
	KUNIT_EXPECT_FALSE(test, o.ts);
	xtcp_parse_opts(overrun, sizeof(overrun), &o);
	KUNIT_EXPECT_EQ(test, 14, o.wscale);	/* shift 20 capped, RFC 7323 2.3 */
	KUNIT_EXPECT_FALSE(test, o.ts);		/* length 10 > 7 left */
	xtcp_parse_opts(bad_sizes, sizeof(bad_sizes), &o);
	KUNIT_EXPECT_EQ(test, 0, o.mss);
	KUNIT_EXPECT_EQ(test, -1, o.wscale);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_EQ(test, 0, o.nr_sack);
	xtcp_parse_opts(eol, sizeof(eol), &o);
	KUNIT_EXPECT_EQ(test, 0, o.mss);
	xtcp_parse_opts(odd_sack, sizeof(odd_sack), &o);
	KUNIT_EXPECT_EQ(test, 0, o.nr_sack);
	xtcp_parse_opts(eol, 0, &o);
	KUNIT_EXPECT_EQ(test, -1, o.wscale);
}

/* A peer's MSS: 536 without the option; never below min_snd_mss. */
static void xtcp_options_peer_mss_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(0, 48), 536);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(1, 48), 48);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(87, 48), 87);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(1460, 48), 1460);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(100, 536), 536);
	/* With timestamps the payload stays positive: 48 - 12. */
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(1, 48) - XTCP_TS_OPTLEN, 36);
}

/*
 * SACK blocks beside payload (RFC 6691 2): none beside a full segment,
 * which a datagram at the path MTU would otherwise exceed; all beside a
 * bare ACK; the header stays within the MSS the segment was cut for.
 */
static void xtcp_options_sack_room_test(struct kunit *test)
{
	u32 mss = 1448, len;

	KUNIT_EXPECT_EQ(test, 0, xtcp_sack_room(mss, mss, XTCP_MAX_SACK_TS));
	KUNIT_EXPECT_EQ(test, 0, xtcp_sack_room(mss, mss + 1, XTCP_MAX_SACK));
	KUNIT_EXPECT_EQ(test, 0, xtcp_sack_room(mss, mss - 11, XTCP_MAX_SACK));
	KUNIT_EXPECT_EQ(test, 1, xtcp_sack_room(mss, mss - 12, XTCP_MAX_SACK));
	KUNIT_EXPECT_EQ(test, 3, xtcp_sack_room(mss, 0, XTCP_MAX_SACK_TS));
	KUNIT_EXPECT_EQ(test, 4, xtcp_sack_room(mss, 0, XTCP_MAX_SACK));
	KUNIT_EXPECT_EQ(test, 0, xtcp_sack_room(8, 0, XTCP_MAX_SACK));
	for (len = 0; len <= mss + 40; len++) {
		struct xtcp_opts o = { .wscale = -1, .ts = true };

		o.nr_sack = xtcp_sack_room(mss, len, XTCP_MAX_SACK_TS);
		if (len > mss)
			KUNIT_EXPECT_EQ(test, 0, o.nr_sack);
		else
			KUNIT_EXPECT_LE(test, len + xtcp_opts_len(&o),
					mss + XTCP_TS_OPTLEN);
	}
}

static struct kunit_case xtcp_options_cases[] = {
	KUNIT_CASE(xtcp_options_roundtrip_test),
	KUNIT_CASE(xtcp_options_malformed_test),
	KUNIT_CASE(xtcp_options_peer_mss_test),
	KUNIT_CASE(xtcp_options_sack_room_test),
	{}
};

static struct kunit_suite xtcp_options_suite = {
	.name = "xtcp_options",
	.test_cases = xtcp_options_cases,
};

kunit_test_suite(xtcp_options_suite);
