// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_wire, for src/xtcp_wire.h: the header on the wire.
 */
#include <kunit/test.h>

#include "xtcp_wire.h"

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

kunit_test_suite(xtcp_wire_suite);
