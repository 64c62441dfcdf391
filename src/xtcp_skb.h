/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What xtcp keeps about a segment in skb->cb.
 */
#ifndef _XTCP_SKB_H
#define _XTCP_SKB_H

#include <linux/skbuff.h>
#include <linux/types.h>

/* Scoreboard bits of a sent segment (xtcp_skb_cb.sacked). */
#define XTCP_SACKED	0x01	/* covered by a SACK block (RFC 2018) */
#define XTCP_LOST	0x02	/* deemed lost, to be retransmitted */
#define XTCP_RETRANS	0x04	/* retransmitted, not yet acknowledged */
#define XTCP_EVER_RETRANS 0x08	/* retransmitted at least once (Karn) */

/**
 * struct xtcp_skb_cb - per-segment state kept in skb->cb
 * @seq: sequence number of the first octet (of the SYN or FIN if set);
 *	on the receive and out-of-order queues, of the first data octet
 * @end_seq: @seq plus data length plus one for SYN and one for FIN
 * @ack_seq: acknowledgment number (received segments)
 * @flags: xtcphdr control bits, byte 13 of the header (XTCPHDR_*)
 * @has_ts: the segment has a timestamps option (received segments)
 * @window: raw window field (received segments)
 * @tsval: its TSval
 * @tsecr: its TSecr
 * @when: microseconds clock when last sent (sent segments)
 * @sacked: XTCP_SACKED, XTCP_LOST, XTCP_RETRANS bits (sent segments)
 * @uncharged: a SYN or FIN queued without memory accounting (xtcp_mem.c)
 * @eor: the last segment of a MSG_EOR write: later data never joins it
 * @iif: index of the device it arrived on (received segments)
 * @sdif: index of the VRF slave it arrived on, 0 if none (received)
 */
struct xtcp_skb_cb {
	u32	seq;
	u32	end_seq;
	u32	ack_seq;
	u8	flags;
	u8	has_ts;
	u16	window;
	u32	tsval;
	u32	tsecr;
	u32	when;
	u8	sacked;
	u8	uncharged;
	u8	eor;
	int	iif;
	int	sdif;
};

#define XTCP_SKB_CB(skb)	((struct xtcp_skb_cb *)&((skb)->cb[0]))

#endif /* _XTCP_SKB_H */
