// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xtcp's self-contained helpers.  Built only against a
 * kernel with CONFIG_KUNIT (the project's debug kernel); loading the
 * module runs the suites and prints KTAP to the kernel log.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "xtcp_cong.h"
#include "xtcp_cookie.h"
#include "xtcp_ofo.h"
#include "xtcp_options.h"
#include "xtcp_rtt.h"
#include "xtcp_sack.h"
#include "xtcp_seq.h"
#include "xtcp_seqgen.h"
#include "xtcp_state.h"
#include "xtcp_timer.h"
#include "xtcp_tlp.h"
#include "xtcp_window.h"
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

/* RFC 7323 2.3, RFC 9293 3.8.6.2.2. */
static void xtcp_window_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1000U, xtcp_window_for(1000, 0, 0));
	KUNIT_EXPECT_EQ(test, 65535U, xtcp_window_for(1 << 20, 0, 0));
	KUNIT_EXPECT_EQ(test, 65535U << 7, xtcp_window_for(1 << 30, 0, 7));
	/* Rounded down to what the shift can carry. */
	KUNIT_EXPECT_EQ(test, 896U, xtcp_window_for(1000, 0, 7));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_window_for(100, 0, 7));
	/* Never shrinks; a full buffer (negative space) offers what was left. */
	KUNIT_EXPECT_EQ(test, 5000U, xtcp_window_for(1000, 5000, 0));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_window_for(-4096, 0, 7));
	KUNIT_EXPECT_EQ(test, 1280U, xtcp_window_for(-4096, 1280, 7));
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE(xtcp_window_test),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

/* A bare segment [seq, end) for the queue tests. */
static struct sk_buff *xtcp_test_seg(struct kunit *test, u32 seq, u32 end)
{
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = end;
	return skb;
}

/* The out-of-order queue holds exactly @want's n [seq, end) pairs. */
static void xtcp_test_ofo_is(struct kunit *test, struct xtcp_ofo *q,
			     const u32 *want, int n)
{
	struct sk_buff *skb, *last = NULL;
	int i = 0;

	skb_rbtree_walk(skb, &q->root) {
		if (i < n) {
			KUNIT_EXPECT_EQ(test, want[2 * i], XTCP_SKB_CB(skb)->seq);
			KUNIT_EXPECT_EQ(test, want[2 * i + 1], XTCP_SKB_CB(skb)->end_seq);
		}
		last = skb;
		i++;
	}
	KUNIT_EXPECT_EQ(test, n, i);
	if (n)
		KUNIT_EXPECT_PTR_EQ(test, last, q->last);
}

/* Sorted insertion, covered and covering segments, wrap-around. */
static void xtcp_ofo_insert_test(struct kunit *test)
{
	struct xtcp_ofo q;
	struct sk_buff *skb;
	static const u32 a[] = { 100, 200, 300, 400 };
	static const u32 b[] = { 50, 250, 300, 400 };
	static const u32 c[] = { 50, 250, 260, 280, 300, 400 };
	static const u32 d[] = { 0xffffff00, 0xffffff80, 0x10, 0x20 };
	static const u32 e[] = { 50, 500 };

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 300, 400)));
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 100, 200)));
	xtcp_test_ofo_is(test, &q, a, 2);
	/* Duplicates and segments inside others add nothing. */
	skb = xtcp_test_seg(test, 100, 200);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	skb = xtcp_test_seg(test, 320, 380);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	/* A segment covering one replaces it. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 50, 250)));
	xtcp_test_ofo_is(test, &q, b, 2);
	/* Partial overlaps stay, sorted. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 260, 280)));
	xtcp_test_ofo_is(test, &q, c, 3);
	/* Same start, reaching further: replaces it and all it covers. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 50, 500)));
	xtcp_test_ofo_is(test, &q, e, 1);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_empty(&q));

	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 0x10, 0x20)));
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 0xffffff00,
								  0xffffff80)));
	xtcp_test_ofo_is(test, &q, d, 2);
	xtcp_ofo_purge(&q);
}

/*
 * CVE-2019-11478 class: 2000 one-octet segments in descending order,
 * then every other gap filled in ascending order.  The queue stays
 * sorted, its last segment known, and the blocks describe it.
 */
static void xtcp_ofo_descending_test(struct kunit *test)
{
	struct xtcp_ofo q;
	struct sk_buff *skb;
	u32 i, prev = 0, n = 0;

	xtcp_ofo_init(&q);
	for (i = 4000; i > 0; i -= 2) {
		skb = xtcp_test_seg(test, 1000 + i, 1001 + i);
		KUNIT_ASSERT_TRUE(test, xtcp_ofo_insert(&q, skb));
	}
	KUNIT_EXPECT_EQ(test, 5000U, XTCP_SKB_CB(q.last)->seq);
	skb_rbtree_walk(skb, &q.root) {
		KUNIT_EXPECT_GT(test, XTCP_SKB_CB(skb)->seq, prev);
		prev = XTCP_SKB_CB(skb)->seq;
		n++;
	}
	KUNIT_EXPECT_EQ(test, 2000U, n);
	/* Each segment was its own block; the 4 most recent are kept. */
	KUNIT_ASSERT_EQ(test, 4, (int)q.nr_blocks);
	KUNIT_EXPECT_EQ(test, 1002U, q.blocks[0].start);
	KUNIT_EXPECT_EQ(test, 1004U, q.blocks[1].start);
	/* Filling 1003 joins 1002 and 1004 into the first block. */
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_insert(&q, xtcp_test_seg(test, 1003, 1004)));
	KUNIT_EXPECT_EQ(test, 1002U, q.blocks[0].start);
	KUNIT_EXPECT_EQ(test, 1005U, q.blocks[0].end);
	KUNIT_EXPECT_EQ(test, 3, (int)q.nr_blocks);
	xtcp_ofo_purge(&q);
}

/* RFC 2018 4: the block of the latest segment first, then the others. */
static void xtcp_ofo_blocks_test(struct kunit *test)
{
	struct xtcp_sack_block b[4];
	struct xtcp_ofo q;
	struct sk_buff *skb;
	int n;

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_EQ(test, 0, xtcp_ofo_blocks(&q, b, 4));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 100, 200));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 200, 300));	/* contiguous */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 250, 350));	/* overlapping */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 700, 800));
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 500, 600));
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 3, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	KUNIT_EXPECT_EQ(test, 600U, b[0].end);
	KUNIT_EXPECT_EQ(test, 700U, b[1].start);
	KUNIT_EXPECT_EQ(test, 100U, b[2].start);
	KUNIT_EXPECT_EQ(test, 350U, b[2].end);
	/* Room for two: the most recent two. */
	KUNIT_EXPECT_EQ(test, 2, xtcp_ofo_blocks(&q, b, 2));
	KUNIT_EXPECT_EQ(test, 700U, b[1].start);
	/* A duplicate inside 100..350 brings its block to the front. */
	skb = xtcp_test_seg(test, 120, 130);
	KUNIT_EXPECT_FALSE(test, xtcp_ofo_insert(&q, skb));
	kfree_skb(skb);
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 3, n);
	KUNIT_EXPECT_EQ(test, 100U, b[0].start);
	KUNIT_EXPECT_EQ(test, 500U, b[1].start);
	/* A segment joining two blocks leaves one, first. */
	xtcp_ofo_insert(&q, xtcp_test_seg(test, 600, 700));
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 2, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	KUNIT_EXPECT_EQ(test, 800U, b[0].end);
	KUNIT_EXPECT_EQ(test, 100U, b[1].start);
	/* RCV.NXT reaching 350 delivers the first; its block goes. */
	xtcp_ofo_sack_trim(&q, 350);
	n = xtcp_ofo_blocks(&q, b, 4);
	KUNIT_ASSERT_EQ(test, 1, n);
	KUNIT_EXPECT_EQ(test, 500U, b[0].start);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_EQ(test, 0, xtcp_ofo_blocks(&q, b, 4));
}

static struct kunit_case xtcp_ofo_cases[] = {
	KUNIT_CASE(xtcp_ofo_insert_test),
	KUNIT_CASE(xtcp_ofo_descending_test),
	KUNIT_CASE(xtcp_ofo_blocks_test),
	{}
};

static struct kunit_suite xtcp_ofo_suite = {
	.name = "xtcp_ofo",
	.test_cases = xtcp_ofo_cases,
};

/* Ten segments of 100 octets from 1000, all in flight. */
static void xtcp_test_rtx_queue(struct kunit *test, struct xtcp_rtxq *q,
				struct xtcp_score *s)
{
	int i;

	xtcp_rtxq_init(q);
	memset(s, 0, sizeof(*s));
	for (i = 0; i < 10; i++) {
		xtcp_rtxq_add_tail(q, xtcp_test_seg(test, 1000 + 100 * i,
						    1100 + 100 * i));
		s->packets_out++;
	}
}

static void xtcp_test_rtxq_purge(struct xtcp_rtxq *q)
{
	struct sk_buff *skb;

	while ((skb = xtcp_rtxq_head(q))) {
		xtcp_rtxq_unlink(q, skb);
		kfree_skb(skb);
	}
}

/* RFC 2018 4, RFC 6675 4: tagging, IsLost(), pipe. */
static void xtcp_sack_scoreboard_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;
	struct sk_buff *skb;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 10U, xtcp_in_flight(&s));
	/* A block covering segments 3..4 and half of 5: two tagged. */
	KUNIT_EXPECT_EQ(test, 2U, xtcp_sack_tag(&q, &s, 1300, 1550, NULL));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_sack_tag(&q, &s, 1300, 1500, NULL));
	KUNIT_EXPECT_EQ(test, 2U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 8U, xtcp_in_flight(&s));
	/* Two SACKed above: not yet lost (DupThresh 3). */
	KUNIT_EXPECT_EQ(test, 0U, xtcp_sack_mark_lost(&q, &s, 3));
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag(&q, &s, 1600, 1700, NULL));
	/* Three above: segments 0..2 are lost; 5 is not (one above it). */
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_mark_lost(&q, &s, 3));
	KUNIT_EXPECT_EQ(test, 3U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 4U, xtcp_in_flight(&s));
	/* A retransmission is in flight again. */
	skb = xtcp_rtxq_head(&q);
	XTCP_SKB_CB(skb)->sacked |= XTCP_RETRANS;
	s.retrans_out++;
	KUNIT_EXPECT_EQ(test, 5U, xtcp_in_flight(&s));
	KUNIT_EXPECT_FALSE(test, xtcp_mark_head_lost(&q, &s));
	/* Its cumulative ACK clears every count it held. */
	xtcp_rtxq_unlink(&q, skb);
	xtcp_score_remove(&s, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, 9U, s.packets_out);
	KUNIT_EXPECT_EQ(test, 2U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 0U, s.retrans_out);
	/* A timeout: everything not SACKed is lost; the head is not SACKed. */
	KUNIT_EXPECT_FALSE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 6U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 3U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 0U, xtcp_in_flight(&s));
	/* A SACK of a lost segment takes it off the lost count. */
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag(&q, &s, 1900, 2000, NULL));
	KUNIT_EXPECT_EQ(test, 5U, s.lost_out);
	xtcp_test_rtxq_purge(&q);
}

/* Without SACK information the head alone is marked. */
static void xtcp_sack_head_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_TRUE(test, xtcp_mark_head_lost(&q, &s));
	KUNIT_EXPECT_FALSE(test, xtcp_mark_head_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 1U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 9U, xtcp_in_flight(&s));
	xtcp_test_rtxq_purge(&q);
}

/*
 * RFC 2018 8: a peer that SACKed the head and still wants it reneged;
 * the timeout forgets every mark, so all is resent.
 */
static void xtcp_sack_renege_test(struct kunit *test)
{
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_tag(&q, &s, 1000, 1300, NULL));
	KUNIT_EXPECT_TRUE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 0U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 10U, s.lost_out);
	KUNIT_EXPECT_EQ(test, 0U, xtcp_in_flight(&s));
	xtcp_test_rtxq_purge(&q);
}

/* A block that grows by one segment per ACK skips what it tagged before. */
static void xtcp_sack_cache_test(struct kunit *test)
{
	struct xtcp_sack_block b[2] = { { 1300, 1400 }, { 1800, 1900 } };
	struct xtcp_rtxq q;
	struct xtcp_score s;

	xtcp_test_rtx_queue(test, &q, &s);
	KUNIT_EXPECT_EQ(test, 2U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 2, (int)q.nr_cache);
	/* The first block grows over segment 4 and half of 5. */
	b[0].end = 1550;
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 3U, s.sacked_out);
	/* Now it covers 5 entirely: the straddler is marked, not skipped. */
	b[0].end = 1600;
	KUNIT_EXPECT_EQ(test, 1U, xtcp_sack_tag_blocks(&q, &s, b, 2));
	KUNIT_EXPECT_EQ(test, 4U, s.sacked_out);
	KUNIT_EXPECT_EQ(test, 1800U,
			XTCP_SKB_CB(q.highest_sack)->seq);
	/* After reneging the cache is forgotten: the same blocks tag again. */
	b[0].start = 1000;
	KUNIT_EXPECT_EQ(test, 3U, xtcp_sack_tag_blocks(&q, &s, b, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_mark_all_lost(&q, &s));
	KUNIT_EXPECT_EQ(test, 0, (int)q.nr_cache);
	KUNIT_EXPECT_EQ(test, 6U, xtcp_sack_tag_blocks(&q, &s, b, 1));
	xtcp_test_rtxq_purge(&q);
}

#define XTCP_MODEL_SEGS	48

/**
 * struct xtcp_model - the scoreboard computed the long way
 * @seq: start of each segment in the queue, head first
 * @end: its end
 * @f: its XTCP_SACKED, XTCP_LOST, XTCP_RETRANS bits
 * @n: segments queued
 * @nxt: SND.NXT
 * @rnd: pseudo-random state, so a run is the same every time
 */
struct xtcp_model {
	u32	seq[XTCP_MODEL_SEGS];
	u32	end[XTCP_MODEL_SEGS];
	u8	f[XTCP_MODEL_SEGS];
	int	n;
	u32	nxt;
	u32	rnd;
};

static u32 xtcp_model_rand(struct xtcp_model *m, u32 range)
{
	m->rnd ^= m->rnd << 13;
	m->rnd ^= m->rnd >> 17;
	m->rnd ^= m->rnd << 5;
	return m->rnd % range;
}

/* RFC 2018 4 and RFC 6675 4 IsLost(), by looking at every segment. */
static void xtcp_model_tag(struct xtcp_model *m, u32 start, u32 end)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!xtcp_seq_before(m->seq[i], start) &&
		    !xtcp_seq_after(m->end[i], end))
			m->f[i] = XTCP_SACKED;
}

static void xtcp_model_mark_lost(struct xtcp_model *m)
{
	int i, j, above;

	for (i = 0; i < m->n; i++) {
		for (above = 0, j = i + 1; j < m->n; j++)
			above += !!(m->f[j] & XTCP_SACKED);
		if (above >= 3 && !(m->f[i] & (XTCP_SACKED | XTCP_LOST)))
			m->f[i] |= XTCP_LOST;
	}
}

/* The queue and its counts agree with the model segment by segment. */
static void xtcp_model_check(struct kunit *test, struct xtcp_model *m,
			     struct xtcp_rtxq *q, struct xtcp_score *s)
{
	struct xtcp_score want = { .packets_out = m->n };
	struct sk_buff *skb, *high = NULL;
	int i = 0;

	skb_rbtree_walk(skb, &q->root) {
		u8 f = XTCP_SKB_CB(skb)->sacked & ~XTCP_EVER_RETRANS;

		KUNIT_ASSERT_LT(test, i, m->n);
		KUNIT_EXPECT_EQ(test, m->seq[i], XTCP_SKB_CB(skb)->seq);
		KUNIT_EXPECT_EQ(test, (int)m->f[i], (int)f);
		if (f & XTCP_SACKED)
			high = skb;
		i++;
	}
	KUNIT_EXPECT_EQ(test, m->n, i);
	for (i = 0; i < m->n; i++) {
		want.sacked_out += !!(m->f[i] & XTCP_SACKED);
		want.lost_out += !!(m->f[i] & XTCP_LOST);
		want.retrans_out += !!(m->f[i] & XTCP_RETRANS);
	}
	KUNIT_EXPECT_EQ(test, want.sacked_out, s->sacked_out);
	KUNIT_EXPECT_EQ(test, want.lost_out, s->lost_out);
	KUNIT_EXPECT_EQ(test, want.retrans_out, s->retrans_out);
	KUNIT_EXPECT_PTR_EQ(test, high, q->highest_sack);
}

/* One ACK with up to four blocks, often the last ones grown. */
static void xtcp_model_sack(struct xtcp_model *m, struct xtcp_rtxq *q,
			    struct xtcp_score *s)
{
	struct xtcp_sack_block b[XTCP_MAX_SACK];
	int i, nr = 1 + xtcp_model_rand(m, XTCP_MAX_SACK);
	u32 una = m->seq[0], span = m->nxt - una;

	for (i = 0; i < nr; i++) {
		if (i < q->nr_cache && xtcp_model_rand(m, 3) &&
		    xtcp_seq_after(q->sack_cache[i].end, una)) {
			b[i] = q->sack_cache[i];
			if (xtcp_seq_before(b[i].start, una))
				b[i].start = una;
			b[i].end += 50 * xtcp_model_rand(m, 4);
			if (xtcp_seq_after(b[i].end, m->nxt))
				b[i].end = m->nxt;
		} else {
			b[i].start = una + 50 * xtcp_model_rand(m, span / 50);
			b[i].end = b[i].start + 50 +
				   50 * xtcp_model_rand(m, 8);
			if (xtcp_seq_after(b[i].end, m->nxt))
				b[i].end = m->nxt;
		}
		xtcp_model_tag(m, b[i].start, b[i].end);
	}
	xtcp_sack_tag_blocks(q, s, b, nr);
}

/*
 * Random sends, SACKs, cumulative ACKs, retransmissions, losses and
 * timeouts, with every hint in use, give the marks and counts that a
 * walk over every segment gives.
 */
static void xtcp_sack_model_test(struct kunit *test)
{
	struct xtcp_model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct xtcp_rtxq q;
	struct xtcp_score s = {};
	struct sk_buff *skb;
	int step, i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	xtcp_rtxq_init(&q);
	m->rnd = 2463534242U;
	m->nxt = 0xfffff000;	/* wraps during the run */
	for (step = 0; step < 20000; step++) {
		u32 op = xtcp_model_rand(m, 16);

		if (op < 4 || !m->n) {			/* send new data */
			if (m->n == XTCP_MODEL_SEGS)
				continue;
			m->seq[m->n] = m->nxt;
			m->nxt += 100;
			m->end[m->n] = m->nxt;
			m->f[m->n++] = 0;
			xtcp_rtxq_add_tail(&q, xtcp_test_seg(test,
				m->seq[m->n - 1], m->nxt));
			s.packets_out++;
		} else if (op < 9) {			/* SACK, IsLost() */
			xtcp_model_sack(m, &q, &s);
			xtcp_model_mark_lost(m);
			xtcp_sack_mark_lost(&q, &s, 3);
		} else if (op < 11) {			/* cumulative ACK */
			int k = 1 + xtcp_model_rand(m, 3);

			for (; k && m->n; k--) {
				skb = xtcp_rtxq_head(&q);
				xtcp_score_remove(&s, skb);
				xtcp_rtxq_unlink(&q, skb);
				kfree_skb(skb);
				m->n--;
				memmove(m->seq, m->seq + 1, m->n * 4);
				memmove(m->end, m->end + 1, m->n * 4);
				memmove(m->f, m->f + 1, m->n);
			}
		} else if (op < 14) {			/* resend, cwnd permitting */
			int budget = xtcp_model_rand(m, 4), failed = -1;
			struct sk_buff *waiting = NULL;

			for (i = 0; i < m->n && budget; i++) {
				if ((m->f[i] & (XTCP_LOST | XTCP_RETRANS |
						XTCP_SACKED)) != XTCP_LOST)
					continue;
				if (failed < 0 && !xtcp_model_rand(m, 8)) {
					failed = i;
					continue;
				}
				m->f[i] |= XTCP_RETRANS;
				budget--;
			}
			for (i = 0, skb = xtcp_rtxq_first_lost(&q); skb;
			     skb = xtcp_rtxq_next_lost(skb)) {
				int idx = 0;

				while (idx < m->n - 1 &&
				       m->seq[idx] != XTCP_SKB_CB(skb)->seq)
					idx++;
				if (idx == failed) {
					if (!waiting)
						waiting = skb;
					continue;
				}
				if (!(m->f[idx] & XTCP_RETRANS))
					break;	/* the model's budget ran out */
				XTCP_SKB_CB(skb)->sacked |= XTCP_RETRANS;
				s.retrans_out++;
			}
			q.retransmit_hint = waiting ?: skb ?: xtcp_rtxq_tail(&q);
		} else if (op < 15) {			/* partial ACK: head lost */
			if (!(m->f[0] & (XTCP_SACKED | XTCP_LOST | XTCP_RETRANS)))
				m->f[0] |= XTCP_LOST;
			xtcp_mark_head_lost(&q, &s);
		} else {				/* timeout */
			bool reneged = m->f[0] & XTCP_SACKED;

			for (i = 0; i < m->n; i++) {
				if (reneged)
					m->f[i] = 0;
				m->f[i] = m->f[i] & XTCP_SACKED ?: XTCP_LOST;
			}
			KUNIT_EXPECT_EQ(test, reneged,
					xtcp_mark_all_lost(&q, &s));
		}
		xtcp_model_check(test, m, &q, &s);
		if (test->status == KUNIT_FAILURE) {
			kunit_info(test, "diverged at step %d, op %u", step, op);
			break;
		}
	}
	xtcp_test_rtxq_purge(&q);
}

static struct kunit_case xtcp_sack_cases[] = {
	KUNIT_CASE(xtcp_sack_scoreboard_test),
	KUNIT_CASE(xtcp_sack_head_test),
	KUNIT_CASE(xtcp_sack_renege_test),
	KUNIT_CASE(xtcp_sack_cache_test),
	KUNIT_CASE_SLOW(xtcp_sack_model_test),
	{}
};

static struct kunit_suite xtcp_sack_suite = {
	.name = "xtcp_sack",
	.test_cases = xtcp_sack_cases,
};

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

kunit_test_suites(&xtcp_seq_suite, &xtcp_wire_suite, &xtcp_cookie_suite,
		  &xtcp_state_suite, &xtcp_isn_suite, &xtcp_rtt_suite,
		  &xtcp_cong_suite, &xtcp_options_suite, &xtcp_window_suite,
		  &xtcp_ofo_suite, &xtcp_sack_suite, &xtcp_reqsk_suite,
		  &xtcp_tlp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
