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

/**
 * xtcp_seq_acceptable() - RFC 9293 3.10.7.4 "first, check sequence number"
 * @nxt: RCV.NXT
 * @wnd: RCV.WND
 * @seq: SEG.SEQ
 * @end: SEG.SEQ + SEG.LEN
 *
 * Return: true if the segment is at least partly in the receive window.
 */
static inline bool xtcp_seq_acceptable(u32 nxt, u32 wnd, u32 seq, u32 end)
{
	if (seq == end)
		return wnd ? xtcp_seq_between(seq, nxt, nxt + wnd - 1) :
			     seq == nxt;
	if (!wnd)
		return false;
	return xtcp_seq_between(seq, nxt, nxt + wnd - 1) ||
	       xtcp_seq_between(end - 1, nxt, nxt + wnd - 1);
}

#endif /* _XTCP_SEQ_H */
