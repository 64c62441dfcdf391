// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xtcp's self-contained helpers.  Built only against a
 * kernel with CONFIG_KUNIT (the project's debug kernel); loading the
 * module runs the suites and prints KTAP to the kernel log.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "xtcp_seq.h"
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

static struct kunit_case xtcp_seq_cases[] = {
	KUNIT_CASE(xtcp_seq_order_test),
	KUNIT_CASE(xtcp_seq_wrap_test),
	KUNIT_CASE(xtcp_seq_between_test),
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

kunit_test_suites(&xtcp_seq_suite, &xtcp_wire_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
