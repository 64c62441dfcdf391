/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tail loss probe (RFC 8985 7): the probe timeout, as a pure function so
 * that KUnit checks it unmodified.  The socket side is in xtcp_timer.c
 * (scheduling), xtcp_output.c (the probe) and xtcp_input.c (its ACK).
 */
#ifndef _XTCP_TLP_H
#define _XTCP_TLP_H

#include <linux/minmax.h>
#include <linux/types.h>

#define XTCP_TLP_WCDELACKT_US	200000	/* RFC 8985 7.2: worst-case delayed ACK */
#define XTCP_TLP_NO_SRTT_US	1000000	/* RFC 8985 7.2: PTO without an RTT */

/**
 * xtcp_pto_us() - the probe timeout (RFC 8985 7.2)
 * @srtt_us: smoothed RTT, 0 if there is no sample yet
 * @flight: segments in flight (FlightSize)
 * @rto_us: time until the retransmission timer would fire
 * @tick_us: one timer tick
 *
 * 2 * SRTT, plus the worst-case delayed ACK when one segment is in
 * flight (its ACK may be delayed), else two ticks as Linux adds; 1 s
 * without an RTT sample; never later than the RTO.
 *
 * Return: the timeout in microseconds.
 */
static inline u32 xtcp_pto_us(u32 srtt_us, u32 flight, u32 rto_us, u32 tick_us)
{
	u32 pto;

	if (!srtt_us)
		pto = XTCP_TLP_NO_SRTT_US;
	else
		pto = 2 * srtt_us + (flight == 1 ? XTCP_TLP_WCDELACKT_US :
					      2 * tick_us);
	return min(pto, rto_us);
}

#endif /* _XTCP_TLP_H */
