/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp timers and their defaults.
 */
#ifndef _XTCP_TIMER_H
#define _XTCP_TIMER_H

#include <linux/jiffies.h>
#include <linux/minmax.h>

enum xtcp_timer {
	XTCP_TIMER_RTX,		/* sock: resend SYN, data or FIN (RFC 6298 5);
				 * armed as the probe timeout, send a tail loss
				 * probe (RFC 8985 7); with nothing in flight and
				 * the peer's window closed, the persist timer
				 * (RFC 9293 3.8.6.1)
				 */
	XTCP_TIMER_DELACK,	/* sock: send a delayed ACK (RFC 9293 3.8.6.3) */
	XTCP_TIMER_KEEPALIVE,	/* sock (sk_timer): probe an idle peer
				 * (RFC 9293 3.8.4, RFC 1122 4.2.3.6)
				 */
	XTCP_TIMER_SYNACK,	/* request minisock: resend SYN-ACK, then drop */
	XTCP_TIMER_TW,		/* time-wait minisock: 2MSL (RFC 9293 3.6.1), or
				 * fin_timeout in the FIN_WAIT2 substate
				 */
};

#define XTCP_TIMEOUT_INIT	(1 * HZ)	/* RFC 6298 2.1: initial RTO */
#define XTCP_RTO_MAX		(120 * HZ)	/* RFC 6298 2.5 allows a cap >= 60 s */
#define XTCP_RTO_MIN_MS		200	/* Linux's TCP_RTO_MIN (RFC 6298 2.4: 1 s) */
#define XTCP_RTO_MAX_MS		120000
#define XTCP_DELACK		(HZ / 25)	/* 40 ms, Linux's TCP_DELACK_MIN */
#define XTCP_QUICKACKS		16	/* ACKs sent at once after an open */
#define XTCP_SYN_RETRIES	6	/* connect() gives up after ~127 s */
#define XTCP_SYNACK_RETRIES	5	/* a request minisock lives ~63 s */
#define XTCP_RETRIES1		3	/* timeouts before a black hole is suspected */
#define XTCP_RETRIES2		15	/* data or FIN: abort after ~15 min */
#define XTCP_ORPHAN_RETRIES	8	/* an orphan's data or FIN: ~100 s */
#define XTCP_TIMEWAIT_LEN	(60 * HZ)	/* 2MSL, as Linux's TCP_TIMEWAIT_LEN */
#define XTCP_FIN_TIMEOUT	(60 * HZ)	/* orphaned FIN_WAIT2 lifetime */
#define XTCP_MAX_TW_BUCKETS	262144		/* as Linux's default for 4 GB */
#define XTCP_KEEPALIVE_TIME	7200	/* seconds idle before probing */
#define XTCP_KEEPALIVE_INTVL	75	/* seconds between probes */
#define XTCP_KEEPALIVE_PROBES	9	/* unanswered probes before abort */

/* RFC 6298 5.5: the wait after the @n-th retransmission of a SYN-ACK. */
static inline unsigned long xtcp_synack_backoff(unsigned int n)
{
	return n >= 8 ? XTCP_RTO_MAX :
	       min_t(unsigned long, XTCP_TIMEOUT_INIT << n, XTCP_RTO_MAX);
}

struct sock;

void xtcp_init_timers(struct sock *sk);
void xtcp_clear_timers(struct sock *sk);
void xtcp_reset_rtx_timer(struct sock *sk);
void xtcp_stop_rtx_timer(struct sock *sk);
void xtcp_schedule_loss_probe(struct sock *sk);
void xtcp_set_rto(struct sock *sk);
void xtcp_delack_schedule(struct sock *sk);
void xtcp_delack_stop(struct sock *sk);
void xtcp_keepalive_reset(struct sock *sk);
u32 xtcp_keepidle(const struct sock *sk);
u32 xtcp_keepintvl(const struct sock *sk);
int xtcp_keepcnt(const struct sock *sk);

#endif /* _XTCP_TIMER_H */
