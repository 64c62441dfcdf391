// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival from IP: header and checksum checks (RFC 9293
 * section 3.1), then delivery.  No connection can exist yet, so every
 * valid segment is counted as a drop for want of a socket.
 */
#include <net/ip.h>
#include <net/udp.h>

#include "xtcp.h"

int xtcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct xtcphdr *th;

	if (skb->pkt_type != PACKET_HOST)
		goto discard;

	xtcp_mib_inc(net, XTCP_MIB_INSEGS);

	/* RFC 9293 3.1: Data Offset counts 32-bit words, at least 5. */
	if (!pskb_may_pull(skb, XTCP_HDR_MIN))
		goto hdr_error;
	th = xtcp_hdr(skb);
	if (th->doff * 4 < XTCP_HDR_MIN)
		goto hdr_error;
	if (!pskb_may_pull(skb, th->doff * 4))
		goto hdr_error;

	/* RFC 9293 3.1: the checksum covers a pseudo-header with our protocol. */
	if (skb_checksum_init(skb, xtcp_proto, inet_compute_pseudo))
		goto csum_error;
	if (!skb_csum_unnecessary(skb) && __skb_checksum_complete(skb))
		goto csum_error;

	xtcp_mib_inc(net, XTCP_MIB_NOSOCKDROPS);
	goto discard;

csum_error:
	xtcp_mib_inc(net, XTCP_MIB_INCSUMERRS);
	goto discard;
hdr_error:
	xtcp_mib_inc(net, XTCP_MIB_INHDRERRS);
discard:
	kfree_skb(skb);
	return 0;
}

/* ICMP errors (RFC 9293 3.9.1.1 hooks) arrive for no connection yet. */
int xtcp_v4_err(struct sk_buff *skb, u32 info)
{
	return 0;
}
