/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp wire format: only what travels in a segment.
 *
 * The header is the RFC 9293 section 3.1 TCP header byte for byte, so
 * packet tools decode xtcp as TCP (tshark -d ip.proto==253,tcp).  The
 * checksum covers the RFC 9293 section 3.1 pseudo-header, whose
 * protocol field carries xtcp's IP protocol number, not 6.
 */
#ifndef _XTCP_WIRE_H
#define _XTCP_WIRE_H

#include <linux/types.h>
#include <asm/byteorder.h>

/**
 * struct xtcphdr - xtcp segment header (RFC 9293 section 3.1)
 * @source: source port
 * @dest: destination port
 * @seq: sequence number of the first data octet (or the ISN with SYN)
 * @ack_seq: next sequence number the sender expects, valid with @ack
 * @res1: reserved bits, sent as zero
 * @doff: data offset, header length in 32-bit words (5..15)
 * @fin: FIN control bit, no more data from sender
 * @syn: SYN control bit, synchronize sequence numbers
 * @rst: RST control bit, reset the connection
 * @psh: PSH control bit, push function
 * @ack: ACK control bit, @ack_seq is significant
 * @urg: URG control bit, @urg_ptr is significant
 * @ece: ECN-Echo (RFC 3168)
 * @cwr: Congestion Window Reduced (RFC 3168)
 * @window: receive window, scaled by the peer's shift (RFC 7323)
 * @check: ones' complement checksum over pseudo-header, header and data
 * @urg_ptr: urgent pointer, offset from @seq
 */
struct xtcphdr {
	__be16	source;
	__be16	dest;
	__be32	seq;
	__be32	ack_seq;
#if defined(__LITTLE_ENDIAN_BITFIELD)
	__u16	res1:4,
		doff:4,
		fin:1,
		syn:1,
		rst:1,
		psh:1,
		ack:1,
		urg:1,
		ece:1,
		cwr:1;
#elif defined(__BIG_ENDIAN_BITFIELD)
	__u16	doff:4,
		res1:4,
		cwr:1,
		ece:1,
		urg:1,
		ack:1,
		psh:1,
		rst:1,
		syn:1,
		fin:1;
#else
#error "Adjust your <asm/byteorder.h> defines"
#endif
	__be16	window;
	__sum16	check;
	__be16	urg_ptr;
};

/* Control bits as they sit in header byte 13 (RFC 9293 3.1). */
#define XTCPHDR_FIN	0x01
#define XTCPHDR_SYN	0x02
#define XTCPHDR_RST	0x04
#define XTCPHDR_PSH	0x08
#define XTCPHDR_ACK	0x10

/* Header length bounds, in octets (RFC 9293 section 3.1, Data Offset). */
#define XTCP_HDR_MIN		20
#define XTCP_HDR_MAX		60

/* Option kinds (RFC 9293 section 3.2; RFC 7323; RFC 2018). */
enum xtcp_opt_kind {
	XTCPOPT_EOL		= 0,	/* end of option list */
	XTCPOPT_NOP		= 1,	/* no-operation, padding */
	XTCPOPT_MSS		= 2,	/* maximum segment size, SYN only */
	XTCPOPT_WINDOW		= 3,	/* window scale shift, SYN only */
	XTCPOPT_SACK_PERM	= 4,	/* SACK permitted, SYN only */
	XTCPOPT_SACK		= 5,	/* SACK blocks */
	XTCPOPT_TIMESTAMP	= 8,	/* TSval and TSecr */
};

/* Option lengths, kind and length octets included. */
#define XTCPOLEN_MSS		4
#define XTCPOLEN_WINDOW		3
#define XTCPOLEN_SACK_PERM	2
#define XTCPOLEN_TIMESTAMP	10

#endif /* _XTCP_WIRE_H */
