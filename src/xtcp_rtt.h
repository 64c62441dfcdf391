/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The retransmission timeout estimator of RFC 6298 2, in microseconds.
 * Pure functions, so KUnit tests what the module runs.
 */
#ifndef _XTCP_RTT_H
#define _XTCP_RTT_H

#include <linux/minmax.h>
#include <linux/types.h>

/**
 * struct xtcp_rtt - smoothed round-trip time state
 * @srtt_us: SRTT, 0 until the first measurement
 * @rttvar_us: RTTVAR
 * @min_us: smallest measurement seen, 0 until the first
 */
struct xtcp_rtt {
	u32	srtt_us;
	u32	rttvar_us;
	u32	min_us;
};

/* RFC 6298 2.2 (first measurement) and 2.3 (alpha 1/8, beta 1/4). */
static inline void xtcp_rtt_sample(struct xtcp_rtt *r, u32 m)
{
	m = max(m, 1U);
	if (!r->min_us || m < r->min_us)
		r->min_us = m;
	if (!r->srtt_us) {
		r->srtt_us = m;
		r->rttvar_us = m / 2;
		return;
	}
	r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 +
		       (r->srtt_us > m ? r->srtt_us - m : m - r->srtt_us) / 4;
	r->srtt_us = r->srtt_us - r->srtt_us / 8 + m / 8;
}

/**
 * xtcp_rtt_rto_us() - RTO = SRTT + max(G, 4 * RTTVAR), clamped
 * @r: estimator
 * @g_us: clock granularity G
 * @min_us: lower bound (RFC 6298 2.4 says 1 s; Linux and xtcp use 200 ms)
 * @max_us: upper bound (RFC 6298 2.5: at least 60 s)
 * @init_us: RTO before the first measurement (RFC 6298 2.1: 1 s)
 *
 * Return: the RTO in microseconds.
 */
static inline u32 xtcp_rtt_rto_us(const struct xtcp_rtt *r, u32 g_us,
				  u32 min_us, u32 max_us, u32 init_us)
{
	u64 rto;

	if (!r->srtt_us)
		return clamp(init_us, min_us, max_us);
	rto = (u64)r->srtt_us + max_t(u64, g_us, 4ULL * r->rttvar_us);
	return (u32)clamp_t(u64, rto, min_us, max_us);
}

#endif /* _XTCP_RTT_H */
