/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial sequence numbers (RFC 6528) as a pure function of key, tuple
 * and clock, so KUnit checks the code the module runs.
 */
#ifndef _XTCP_SEQGEN_H
#define _XTCP_SEQGEN_H

#include <linux/siphash.h>
#include <linux/types.h>

/* RFC 6528 3: M ticks every 4 microseconds; here 2^12 ns, ~4.1 us. */
#define XTCP_ISN_TICK_SHIFT	12

/**
 * xtcp_isn_calc() - ISN = M + F(localip, localport, remoteip, remoteport, key)
 * @key: secret key
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @ns: clock, in nanoseconds
 *
 * Return: the initial sequence number.
 */
static inline u32 xtcp_isn_calc(const siphash_key_t *key, __be32 saddr,
				__be32 daddr, __be16 sport, __be16 dport, u64 ns)
{
	return (u32)siphash_3u32((__force u32)saddr, (__force u32)daddr,
				 (__force u32)sport << 16 | (__force u32)dport,
				 key) + (u32)(ns >> XTCP_ISN_TICK_SHIFT);
}

#endif /* _XTCP_SEQGEN_H */
