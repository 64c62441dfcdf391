// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path's first checks, seen from outside: crafted segments
 * sent with a raw socket on xtcp's protocol number to 127.0.0.1 must be
 * counted in /proc/net/xtcp_stat as accepted, header errors or checksum
 * errors (RFC 9293 3.1).  Every test runs in a network namespace of its
 * own, so its counters start at zero and no other test disturbs them.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/xtcp.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* RFC 9293 3.1 checksum: pseudo-header (src, dst, 0, proto, length). */
static uint16_t seg_csum(const uint8_t *seg, size_t len, int ipproto)
{
	uint8_t ph[12] = { 127, 0, 0, 1, 127, 0, 0, 1, 0, ipproto,
			   len >> 8, len & 0xff };

	return csum_fold(csum_add(csum_add(0, ph, sizeof(ph)), seg, len));
}

/* A 20-octet SYN to port 80; checksum filled in for @ipproto. */
static void build_syn(uint8_t *seg, int ipproto)
{
	uint16_t c;

	memset(seg, 0, 20);
	seg[0] = 0x9c; seg[1] = 0x40;	/* source port 40000 */
	seg[3] = 80;			/* destination port 80 */
	seg[7] = 1;			/* sequence number 1 */
	seg[12] = 5 << 4;		/* data offset 5 words */
	seg[13] = 0x02;			/* SYN */
	seg[14] = 0xff; seg[15] = 0xff;	/* window */
	c = seg_csum(seg, 20, ipproto);
	seg[16] = c >> 8;
	seg[17] = c & 0xff;
}

static void send_raw(struct __test_metadata *_metadata, const void *seg,
		     size_t len)
{
	struct sockaddr_in dst = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_RAW, proto());

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, sendto(fd, seg, len, 0,
				       (struct sockaddr *)&dst, sizeof(dst)));
	close(fd);
}

FIXTURE(input) {
	uint8_t seg[64];
};

FIXTURE_SETUP(input)
{
	ASSERT_EQ(0, new_netns());
	/* A new namespace starts with every counter at zero. */
	ASSERT_EQ(0, counter("XtcpInSegs"));
	ASSERT_EQ(0, counter("XtcpInHdrErrors"));
	ASSERT_EQ(0, counter("XtcpInCsumErrors"));
	ASSERT_EQ(0, counter("XtcpNoSocketDrops"));
	build_syn(self->seg, proto());
}

FIXTURE_TEARDOWN(input)
{
}

/*
 * A valid SYN to a port nobody listens on is answered with a RST
 * (RFC 9293 3.10.7.1); the RST comes back to 127.0.0.1 and, having no
 * socket either, is dropped without an answer.
 */
TEST_F(input, valid_segment)
{
	send_raw(_metadata, self->seg, 20);
	EXPECT_EQ(1, await_counter("XtcpOutRsts", 1));
	EXPECT_EQ(2, await_counter("XtcpNoSocketDrops", 2));
	EXPECT_EQ(2, counter("XtcpInSegs"));
	EXPECT_EQ(1, counter("XtcpOutSegs"));
	EXPECT_EQ(0, counter("XtcpInHdrErrors"));
	EXPECT_EQ(0, counter("XtcpInCsumErrors"));
}

/* The pseudo-header must carry xtcp's number: a TCP (6) checksum fails. */
TEST_F(input, checksum_with_proto_6)
{
	build_syn(self->seg, IPPROTO_TCP);
	send_raw(_metadata, self->seg, 20);
	EXPECT_EQ(1, await_counter("XtcpInCsumErrors", 1));
	EXPECT_EQ(0, counter("XtcpNoSocketDrops"));
}

TEST_F(input, corrupt_checksum)
{
	self->seg[17] ^= 0x01;
	send_raw(_metadata, self->seg, 20);
	EXPECT_EQ(1, await_counter("XtcpInCsumErrors", 1));
	EXPECT_EQ(0, counter("XtcpNoSocketDrops"));
}

TEST_F(input, corrupt_payload)
{
	uint16_t c;

	memcpy(self->seg + 20, "payload!", 8);
	self->seg[16] = 0;
	self->seg[17] = 0;
	c = seg_csum(self->seg, 28, proto());
	self->seg[16] = c >> 8;
	self->seg[17] = c & 0xff;
	send_raw(_metadata, self->seg, 28);
	EXPECT_EQ(1, await_counter("XtcpOutRsts", 1));
	self->seg[25] ^= 0x20;
	send_raw(_metadata, self->seg, 28);
	EXPECT_EQ(1, await_counter("XtcpInCsumErrors", 1));
	EXPECT_EQ(1, counter("XtcpOutRsts"));	/* no answer to a bad segment */
	EXPECT_EQ(3, counter("XtcpInSegs"));
}

TEST_F(input, truncated_header)
{
	send_raw(_metadata, self->seg, 10);
	EXPECT_EQ(1, await_counter("XtcpInHdrErrors", 1));
	send_raw(_metadata, self->seg, 0);
	EXPECT_EQ(2, await_counter("XtcpInHdrErrors", 2));
	EXPECT_EQ(2, counter("XtcpInSegs"));
	EXPECT_EQ(0, counter("XtcpNoSocketDrops"));
}

TEST_F(input, data_offset_too_small)
{
	self->seg[12] = 4 << 4;
	send_raw(_metadata, self->seg, 20);
	EXPECT_EQ(1, await_counter("XtcpInHdrErrors", 1));
}

TEST_F(input, data_offset_past_end)
{
	self->seg[12] = 15 << 4;	/* claims 60 octets of header */
	send_raw(_metadata, self->seg, 40);
	EXPECT_EQ(1, await_counter("XtcpInHdrErrors", 1));
	EXPECT_EQ(0, counter("XtcpNoSocketDrops"));
}

TEST_HARNESS_MAIN
