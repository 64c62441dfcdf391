/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic modulo 2^32 (RFC 9293 section 3.4).
 *
 * Sequence numbers wrap, so "a before b" means b - a, taken as a
 * signed 32-bit distance, is positive.  Two numbers exactly 2^31 apart
 * are ordered by that rule too; RFC 1982 leaves that case undefined.
 */
#ifndef _XTCP_SEQ_H
#define _XTCP_SEQ_H

#include <linux/types.h>

/* a < b in sequence space */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b in sequence space */
static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* a <= b in sequence space */
static inline bool xtcp_seq_leq(u32 a, u32 b)
{
	return !xtcp_seq_after(a, b);
}

/* lo <= seq <= hi, the window test of RFC 9293 section 3.4 */
static inline bool xtcp_seq_between(u32 seq, u32 lo, u32 hi)
{
	return hi - lo >= seq - lo;
}

#endif /* _XTCP_SEQ_H */
