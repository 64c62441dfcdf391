/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CUBIC's arithmetic (RFC 9438), in segments and in 1024ths of a
 * second, fixed point as Linux's tcp_cubic.c computes it.  Pure
 * functions, so KUnit checks them against the RFC's formulas; the
 * algorithm around them is xtcp_cubic.c.
 */
#ifndef _XTCP_CUBIC_H
#define _XTCP_CUBIC_H

#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

#define XTCP_CUBIC_BETA		717	/* RFC 9438 4.6: beta_cubic 0.7, /1024 */
#define XTCP_CUBIC_BETA_SCALE	1024
#define XTCP_CUBIC_C		410	/* RFC 9438 5: C = 0.4, /1024 */
/* Time unit: 1/1024 s, so that K and t - K fit the fixed point below. */
#define XTCP_CUBIC_HZ_SHIFT	10
/*
 * RFC 9438 4.3: W_est grows by alpha_cubic = 3 (1 - beta) / (1 + beta)
 * segments a round trip: one segment per cwnd * (1 + beta) / (3 (1 -
 * beta)) acknowledged, in 8ths (Linux's beta_scale).
 */
#define XTCP_CUBIC_FRIENDLY_SCALE \
	(8 * (XTCP_CUBIC_BETA_SCALE + XTCP_CUBIC_BETA) / 3 / \
	 (XTCP_CUBIC_BETA_SCALE - XTCP_CUBIC_BETA))

/* The cube root of @a, rounded down (Newton's method from above). */
static inline u32 xtcp_cubic_root(u64 a)
{
	u64 x, y;

	if (a < 2)
		return a;
	x = 1ULL << DIV_ROUND_UP(fls64(a), 3);
	for (;;) {
		y = (2 * x + div64_u64(a, x * x)) / 3;
		if (y >= x)
			return x;
		x = y;
	}
}

/**
 * xtcp_cubic_k() - K (RFC 9438 4.2, eq. 2), in 1024ths of a second
 * @wmax: W_max, segments
 * @cwnd: cwnd at the start of the epoch, below @wmax
 *
 * K = cbrt((W_max - cwnd) / C): the time the window takes to grow back
 * to W_max.
 */
static inline u32 xtcp_cubic_k(u32 wmax, u32 cwnd)
{
	if (wmax <= cwnd)
		return 0;
	return xtcp_cubic_root(div_u64((u64)(wmax - cwnd) <<
				       (3 * XTCP_CUBIC_HZ_SHIFT + 10),
				       XTCP_CUBIC_C));
}

/**
 * xtcp_cubic_target() - W_cubic(t) (RFC 9438 4.2, eq. 1), segments
 * @origin: the window the curve is centred on (W_max), segments
 * @k: K, in 1024ths of a second
 * @t: time since the epoch began plus the minimum RTT, 1024ths of a s
 */
static inline u32 xtcp_cubic_target(u32 origin, u32 k, u64 t)
{
	/* Beyond 256 s from K the window is past any clamp anyway. */
	u64 offs = min_t(u64, t < k ? k - t : t - k, 1ULL << 18);
	u64 delta = (XTCP_CUBIC_C * offs * offs * offs) >>
		    (3 * XTCP_CUBIC_HZ_SHIFT + 10);

	if (t < k)
		return origin - min_t(u64, delta, origin);
	return min_t(u64, (u64)origin + delta, U32_MAX);
}

/**
 * xtcp_cubic_cnt() - segments to acknowledge for one more of cwnd
 * @cwnd: cwnd, segments
 * @target: W_cubic one round trip ahead
 *
 * RFC 9438 4.4 and 4.5: (target - cwnd) / cwnd more a segment
 * acknowledged; a target not above cwnd grows it very slowly.
 */
static inline u32 xtcp_cubic_cnt(u32 cwnd, u32 target)
{
	if (target > cwnd)
		return cwnd / (target - cwnd);
	return 100 * cwnd;
}

/* RFC 9438 4.6: ssthresh = cwnd * beta_cubic, at least 2. */
static inline u32 xtcp_cubic_ssthresh(u32 cwnd)
{
	return max((cwnd * XTCP_CUBIC_BETA) / XTCP_CUBIC_BETA_SCALE, 2U);
}

/*
 * RFC 9438 4.7 fast convergence: a loss below the last W_max lowers
 * W_max further, to cwnd * (1 + beta) / 2, to leave room for new flows.
 */
static inline u32 xtcp_cubic_wmax(u32 cwnd, u32 last_wmax)
{
	if (cwnd < last_wmax)
		return (cwnd * (XTCP_CUBIC_BETA_SCALE + XTCP_CUBIC_BETA)) /
		       (2 * XTCP_CUBIC_BETA_SCALE);
	return cwnd;
}

/*
 * HyStart++ (RFC 9406 4.3): the RTT rise that ends slow start, an
 * eighth of the last round's minimum RTT within 4 and 16 ms.
 */
#define XTCP_HYSTART_MIN_RTT_THRESH	4000U	/* us */
#define XTCP_HYSTART_MAX_RTT_THRESH	16000U	/* us */
#define XTCP_HYSTART_N_RTT_SAMPLE	8
#define XTCP_HYSTART_CSS_GROWTH_DIVISOR	4
#define XTCP_HYSTART_CSS_ROUNDS		5

static inline u32 xtcp_hystart_thresh(u32 last_round_min_rtt)
{
	return clamp(last_round_min_rtt / 8, XTCP_HYSTART_MIN_RTT_THRESH,
		     XTCP_HYSTART_MAX_RTT_THRESH);
}

#endif /* _XTCP_CUBIC_H */
