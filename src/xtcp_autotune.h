/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffer autotuning, as Linux's TCP does it: the receive buffer grows
 * to what the reader takes per round trip (dynamic right-sizing,
 * tcp_rcv_space_adjust()), the send buffer to twice the congestion
 * window (tcp_sndbuf_expand()).  The formulas are pure functions, so
 * KUnit tests what the module runs; the socket glue is xtcp_autotune.c.
 */
#ifndef _XTCP_AUTOTUNE_H
#define _XTCP_AUTOTUNE_H

#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/types.h>

struct sock;
struct sk_buff;

/* Segments the first measured window is at most (Linux's TCP_INIT_CWND). */
#define XTCP_AUTOTUNE_INIT_SEGS	10

/**
 * struct xtcp_rcvq_space - what the reader took in the last round trip
 * @space: octets copied in the last measured round trip, at least the
 *	first window
 * @seq: copied_seq when this measure began
 * @time_us: xtcp_clock_us() when it began
 */
struct xtcp_rcvq_space {
	u32	space;
	u32	seq;
	u32	time_us;
};

/**
 * struct xtcp_rcv_rtt - the receiver's round-trip estimate
 * @rtt_us8: the estimate in microseconds, times 8; 0 while unknown
 * @seq: the sequence number that ends the window being timed
 * @time_us: when that window began, 0 before the first
 * @last_tsecr: the TSecr last sampled (one sample per echo)
 */
struct xtcp_rcv_rtt {
	u32	rtt_us8;
	u32	seq;
	u32	time_us;
	u32	last_tsecr;
};

/**
 * xtcp_rcv_rtt_sample() - fold a sample into the receiver's estimate
 * @est8: the estimate times 8, 0 if none yet
 * @sample_us: the new sample
 * @win_dep: the sample times a whole window (an upper bound): keep the
 *	smaller; else (a timestamp echo) average 1/8 in, as tcp_rcv_rtt_update()
 *
 * Return: the new estimate, times 8.
 */
static inline u32 xtcp_rcv_rtt_sample(u32 est8, u32 sample_us, bool win_dep)
{
	u64 m = sample_us;

	if (!est8)
		return min_t(u64, m << 3, U32_MAX);
	if (win_dep)
		return min_t(u64, est8, m << 3);
	return est8 - (est8 >> 3) + sample_us;
}

/**
 * xtcp_rcvwin_need() - the window a reader's pace asks for
 * @copied: octets the reader took in the last round trip
 * @prev: what it took in the one before (less than @copied)
 * @advmss: our MSS
 *
 * Twice what was taken, for losses, plus 16 segments of cushion, grown
 * by the rate's increase for a sender still in slow start, as
 * tcp_rcv_space_adjust() computes it.
 *
 * Return: the window in octets.
 */
static inline u64 xtcp_rcvwin_need(u32 copied, u32 prev, u32 advmss)
{
	u64 rcvwin = ((u64)copied << 1) + 16 * (u64)advmss;
	u64 grow;

	if (!prev || copied <= prev)
		return rcvwin;
	grow = div_u64(rcvwin * (copied - prev), prev);
	return rcvwin + (grow << 1);
}

/**
 * xtcp_space_from_win() - the buffer a window needs
 * @win: window in octets
 * @ratio: payload share of the buffer, in 256ths (scaling_ratio)
 *
 * Return: buffer octets, as tcp_space_from_win().
 */
static inline u64 xtcp_space_from_win(u64 win, u8 ratio)
{
	return div_u64(win << 8, ratio ?: 1);
}

/**
 * xtcp_sndbuf_need() - the send buffer for a congestion window
 * @mss: the larger of our send MSS and the peer's
 * @cwnd: congestion window in segments
 * @hdr: the header room of each segment (XTCP_MAX_HEADER)
 * @shinfo: SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
 * @skb: SKB_DATA_ALIGN(sizeof(struct sk_buff))
 *
 * Twice the window (fast recovery keeps it in flight while the
 * retransmissions go out), at least 10 segments, each costed as a
 * linear skb of a power-of-two size, as tcp_sndbuf_expand() costs it.
 *
 * Return: octets.
 */
static inline u64 xtcp_sndbuf_need(u32 mss, u32 cwnd, u32 hdr, u32 shinfo,
				   u32 skb)
{
	u64 per_mss = roundup_pow_of_two(mss + hdr + shinfo) + skb;

	return 2 * (u64)max_t(u32, cwnd, XTCP_AUTOTUNE_INIT_SEGS) * per_mss;
}

void xtcp_autotune_init(struct sock *sk);
void xtcp_rcv_rtt_measure(struct sock *sk, const struct sk_buff *skb,
			  u32 len);
void xtcp_rcv_space_adjust(struct sock *sk);
void xtcp_sndbuf_moderate(struct sock *sk);

#endif /* _XTCP_AUTOTUNE_H */
