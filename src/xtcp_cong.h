/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion state and NewReno (RFC 5681, RFC 6582), counted in
 * segments.  Pure functions of struct xtcp_cc, so KUnit tests what the
 * module runs; xtcp_input.c and xtcp_timer.c decide when each applies,
 * and the socket's algorithm (xtcp_ca.h) what ssthresh and cwnd become.
 */
#ifndef _XTCP_CONG_H
#define _XTCP_CONG_H

#include <linux/minmax.h>
#include <linux/types.h>

#define XTCP_INIT_CWND		10	/* RFC 6928 */
#define XTCP_INFINITE_SSTHRESH	0x7fffffff
#define XTCP_CWND_CLAMP		65535
#define XTCP_DUPTHRESH		3	/* RFC 5681 3.2 */

/* Where the sender is, as Linux's tcp_ca_state (tcpi_ca_state). */
enum xtcp_ca_state {
	XTCP_CA_OPEN = 0,	/* no loss seen */
	XTCP_CA_RECOVERY = 3,	/* fast recovery (RFC 6582 3.2) */
	XTCP_CA_LOSS = 4,	/* after a retransmission timeout */
};

/**
 * struct xtcp_cc - congestion state of a connection
 * @cwnd: congestion window, in segments
 * @ssthresh: slow start threshold, in segments
 * @cnt: segments acknowledged toward the next increase in avoidance
 * @state: &enum xtcp_ca_state
 * @recover: RFC 6582 "recover": SND.NXT when recovery began
 * @prior_cwnd: cwnd when the last reduction began, for undo
 * @priv: the congestion control algorithm's own state
 */
struct xtcp_cc {
	u32	cwnd;
	u32	ssthresh;
	u32	cnt;
	u8	state;
	u32	recover;
	u32	prior_cwnd;
	u64	priv[13];
};

static inline void xtcp_cc_init(struct xtcp_cc *cc)
{
	cc->cwnd = XTCP_INIT_CWND;
	cc->ssthresh = XTCP_INFINITE_SSTHRESH;
	cc->cnt = 0;
	cc->state = XTCP_CA_OPEN;
}

/*
 * RFC 5681 3.1: @acked new segments acknowledged.  Slow start grows by
 * at most 2 segments an ACK (RFC 3465 2.3, L = 2), congestion avoidance
 * by one segment a window.
 */
static inline void xtcp_cc_on_ack(struct xtcp_cc *cc, u32 acked)
{
	if (cc->state == XTCP_CA_RECOVERY || !acked)
		return;
	if (cc->cwnd < cc->ssthresh) {
		cc->cwnd = min(cc->cwnd + min(acked, 2U), cc->ssthresh);
		return;
	}
	cc->cnt += acked;
	if (cc->cnt >= cc->cwnd) {
		cc->cnt -= cc->cwnd;
		cc->cwnd = min_t(u32, cc->cwnd + 1, XTCP_CWND_CLAMP);
	}
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static inline u32 xtcp_cc_ssthresh(u32 flight)
{
	return max(flight / 2, 2U);
}

/* RFC 6582 3.2 step 2: fast recovery, with the algorithm's @ssthresh. */
static inline void xtcp_cc_recovery_begin(struct xtcp_cc *cc, u32 ssthresh,
					  u32 snd_nxt)
{
	cc->prior_cwnd = cc->cwnd;
	cc->ssthresh = ssthresh;
	cc->cwnd = cc->ssthresh;
	cc->cnt = 0;
	cc->recover = snd_nxt;
	cc->state = XTCP_CA_RECOVERY;
}

/* RFC 6582 3.2 step 2: three duplicate ACKs, fast retransmit (NewReno). */
static inline void xtcp_cc_enter_recovery(struct xtcp_cc *cc, u32 flight,
					  u32 snd_nxt)
{
	xtcp_cc_recovery_begin(cc, xtcp_cc_ssthresh(flight), snd_nxt);
}

/* RFC 6582 3.2 step 3, full acknowledgment: leave recovery. */
static inline void xtcp_cc_exit_recovery(struct xtcp_cc *cc)
{
	if (cc->state == XTCP_CA_RECOVERY)
		cc->cwnd = cc->ssthresh;
	cc->state = XTCP_CA_OPEN;
}

/*
 * RFC 5681 3.1 (4) and (5): a retransmission timeout, @ssthresh the
 * algorithm's (kept if the timeout repeats).
 */
static inline void xtcp_cc_loss_begin(struct xtcp_cc *cc, u32 ssthresh,
				      u32 snd_nxt)
{
	if (cc->state != XTCP_CA_LOSS) {
		cc->prior_cwnd = cc->cwnd;
		cc->ssthresh = ssthresh;
	}
	cc->cwnd = 1;
	cc->cnt = 0;
	cc->recover = snd_nxt;
	cc->state = XTCP_CA_LOSS;
}

/* The same with NewReno's ssthresh. */
static inline void xtcp_cc_on_timeout(struct xtcp_cc *cc, u32 flight,
				      u32 snd_nxt)
{
	xtcp_cc_loss_begin(cc, xtcp_cc_ssthresh(flight), snd_nxt);
}

#endif /* _XTCP_CONG_H */
