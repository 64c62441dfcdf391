// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xtcp's self-contained helpers.  Built only against a
 * kernel with CONFIG_KUNIT (the project's debug kernel); loading the
 * module runs the suites and prints KTAP to the kernel log.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "xtcp_cookie.h"
#include "xtcp_seq.h"
#include "xtcp_seqgen.h"
#include "xtcp_state.h"
#include "xtcp_wire.h"

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

/* RFC 9293 3.1: the header is 20 octets, fields at fixed offsets. */
static void xtcp_hdr_layout_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct xtcphdr), (size_t)XTCP_HDR_MIN);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcphdr, seq), (size_t)4);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcphdr, ack_seq), (size_t)8);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcphdr, window), (size_t)14);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcphdr, check), (size_t)16);
	KUNIT_EXPECT_EQ(test, offsetof(struct xtcphdr, urg_ptr), (size_t)18);
}

/* Byte 12 is Data Offset and reserved bits, byte 13 the control bits. */
static void xtcp_hdr_bits_test(struct kunit *test)
{
	struct xtcphdr th = {};
	const u8 *b = (const u8 *)&th;

	th.doff = 15;
	KUNIT_EXPECT_EQ(test, b[12], 0xf0);
	KUNIT_EXPECT_EQ(test, b[13], 0x00);
	th.doff = 0;
	th.fin = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x01);
	th.fin = 0;
	th.syn = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x02);
	th.syn = 0;
	th.rst = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x04);
	th.rst = 0;
	th.psh = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x08);
	th.psh = 0;
	th.ack = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x10);
	th.ack = 0;
	th.urg = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x20);
	th.urg = 0;
	th.ece = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x40);
	th.ece = 0;
	th.cwr = 1;
	KUNIT_EXPECT_EQ(test, b[13], 0x80);
	KUNIT_EXPECT_EQ(test, b[12], 0x00);
}

static struct kunit_case xtcp_wire_cases[] = {
	KUNIT_CASE(xtcp_hdr_layout_test),
	KUNIT_CASE(xtcp_hdr_bits_test),
	{}
};

static struct kunit_suite xtcp_wire_suite = {
	.name = "xtcp_wire",
	.test_cases = xtcp_wire_cases,
};

static const siphash_key_t xtcp_test_key = {{ 0x0706050403020100ULL,
					       0x0f0e0d0c0b0a0908ULL }};
#define A1 cpu_to_be32(0x0a010102)
#define A2 cpu_to_be32(0x0a010101)
#define P1 cpu_to_be16(40000)
#define P2 cpu_to_be16(80)

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
	KUNIT_CASE(xtcp_cookie_age_test),
	{}
};

static struct kunit_suite xtcp_cookie_suite = {
	.name = "xtcp_cookie",
	.test_cases = xtcp_cookie_cases,
};

/* RFC 9293 3.10.4 CLOSE, for each of the eleven states. */
static void xtcp_close_rule_test(struct kunit *test)
{
	static const struct { int from, to; bool fin; } rules[] = {
		{ TCP_CLOSE, TCP_CLOSE, false },
		{ TCP_LISTEN, TCP_LISTEN, false },	/* handled by listen_stop */
		{ TCP_SYN_SENT, TCP_CLOSE, false },
		{ TCP_SYN_RECV, TCP_FIN_WAIT1, true },
		{ TCP_ESTABLISHED, TCP_FIN_WAIT1, true },
		{ TCP_FIN_WAIT1, TCP_FIN_WAIT1, false },
		{ TCP_FIN_WAIT2, TCP_FIN_WAIT2, false },
		{ TCP_CLOSING, TCP_CLOSING, false },
		{ TCP_TIME_WAIT, TCP_TIME_WAIT, false },
		{ TCP_CLOSE_WAIT, TCP_LAST_ACK, true },
		{ TCP_LAST_ACK, TCP_LAST_ACK, false },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		bool fin = !rules[i].fin;

		KUNIT_EXPECT_EQ_MSG(test, xtcp_state_after_close(rules[i].from, &fin),
				    rules[i].to, "from state %d", rules[i].from);
		KUNIT_EXPECT_EQ_MSG(test, fin, rules[i].fin,
				    "FIN from state %d", rules[i].from);
	}
}

#define F XTCPHDR_FIN
#define S XTCPHDR_SYN
#define R XTCPHDR_RST
#define K XTCPHDR_ACK
#define TW TCP_TIME_WAIT
#define FW2 TCP_FIN_WAIT2

/* The time-wait minisock's rules, each branch (RFC 9293, 6191; Linux). */
static void xtcp_tw_rule_test(struct kunit *test)
{
	static const struct {
		int sub; bool ts_ok; u8 flags; u32 seq, end; bool has_ts;
		u32 tsval; enum xtcp_tw_verdict want;
	} c[] = {
		/* TIME_WAIT, rcv_nxt 1000, ts_recent 500 */
		{ TW, false, R, 1234, 1234, false, 0, XTCP_TW_KILL },
		{ TW, false, F | K, 999, 1000, false, 0, XTCP_TW_ACK_RESTART },
		{ TW, false, K, 900, 900, false, 0, XTCP_TW_ACK },
		{ TW, false, K, 990, 1000, false, 0, XTCP_TW_ACK },
		{ TW, false, S, 2000, 2001, false, 0, XTCP_TW_SYN },
		{ TW, false, S, 900, 901, false, 0, XTCP_TW_ACK },
		{ TW, false, S | K, 2000, 2001, false, 0, XTCP_TW_ACK },
		/* with timestamps, the TSval decides, not the sequence */
		{ TW, true, S, 900, 901, true, 600, XTCP_TW_SYN },
		{ TW, true, S, 2000, 2001, true, 400, XTCP_TW_ACK },
		{ TW, true, S, 2000, 2001, true, 500, XTCP_TW_ACK },
		/* a SYN without timestamps falls back to the sequence rule */
		{ TW, true, S, 2000, 2001, false, 0, XTCP_TW_SYN },
		/* FIN_WAIT2 substate */
		{ FW2, false, F | K, 1000, 1001, false, 0, XTCP_TW_FIN },
		{ FW2, false, F | K, 1001, 1002, false, 0, XTCP_TW_IGNORE },
		{ FW2, false, K, 1000, 1005, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, F | K, 1000, 1005, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, S, 5000, 5001, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, K, 1000, 1000, false, 0, XTCP_TW_IGNORE },
		{ FW2, false, R, 1000, 1000, false, 0, XTCP_TW_KILL },
		{ FW2, false, R, 1001, 1001, false, 0, XTCP_TW_IGNORE },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    xtcp_tw_verdict(c[i].sub, 1000, c[i].ts_ok, 500,
						    c[i].flags, c[i].seq, c[i].end,
						    c[i].has_ts, c[i].tsval),
				    c[i].want, "case %d", i);
}

static struct kunit_case xtcp_state_cases[] = {
	KUNIT_CASE(xtcp_close_rule_test),
	KUNIT_CASE(xtcp_tw_rule_test),
	{}
};

static struct kunit_suite xtcp_state_suite = {
	.name = "xtcp_state",
	.test_cases = xtcp_state_cases,
};

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

kunit_test_suites(&xtcp_seq_suite, &xtcp_wire_suite, &xtcp_cookie_suite,
		  &xtcp_state_suite, &xtcp_isn_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
