/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp timers and their defaults.
 */
#ifndef _XTCP_TIMER_H
#define _XTCP_TIMER_H

#include <linux/jiffies.h>

enum xtcp_timer {
	XTCP_TIMER_RTX,		/* sock: resend SYN, data or FIN (RFC 6298 5) */
	XTCP_TIMER_SYNACK,	/* request minisock: resend SYN-ACK, then drop */
	XTCP_TIMER_TW,		/* time-wait minisock: 2MSL (RFC 9293 3.6.1), or
				 * fin_timeout in the FIN_WAIT2 substate
				 */
};

#define XTCP_TIMEOUT_INIT	(1 * HZ)	/* RFC 6298 2.1: initial RTO */
#define XTCP_RTO_MAX		(120 * HZ)	/* RFC 6298 2.5 allows a cap >= 60 s */
#define XTCP_SYN_RETRIES	6	/* connect() gives up after ~127 s */
#define XTCP_SYNACK_RETRIES	5	/* a request minisock lives ~63 s */
#define XTCP_RETRIES2		15	/* data or FIN: abort after ~15 min */
#define XTCP_TIMEWAIT_LEN	(60 * HZ)	/* 2MSL, as Linux's TCP_TIMEWAIT_LEN */
#define XTCP_FIN_TIMEOUT	(60 * HZ)	/* orphaned FIN_WAIT2 lifetime */
#define XTCP_MAX_TW_BUCKETS	262144		/* as Linux's default for 4 GB */

struct sock;

void xtcp_init_timers(struct sock *sk);
void xtcp_clear_timers(struct sock *sk);
void xtcp_reset_rtx_timer(struct sock *sk);
void xtcp_stop_rtx_timer(struct sock *sk);

#endif /* _XTCP_TIMER_H */
