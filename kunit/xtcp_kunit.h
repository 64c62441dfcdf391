/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What more than one KUnit suite uses.
 */
#ifndef _XTCP_KUNIT_H
#define _XTCP_KUNIT_H

#include <kunit/test.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>

#include "xtcp_skb.h"

/* A fixed key and tuple for the cookie and ISN suites. */
static const siphash_key_t __maybe_unused xtcp_test_key = {{
	0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }};
#define A1 cpu_to_be32(0x0a010102)
#define A2 cpu_to_be32(0x0a010101)
#define P1 cpu_to_be16(40000)
#define P2 cpu_to_be16(80)

/* A bare segment [seq, end) for the queue tests. */
static inline struct sk_buff *xtcp_test_seg(struct kunit *test, u32 seq, u32 end)
{
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = end;
	return skb;
}

#endif /* _XTCP_KUNIT_H */
