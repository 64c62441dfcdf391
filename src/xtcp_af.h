/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between IPv4 and IPv6: one small ops table per socket,
 * as TCP's inet_connection_sock_af_ops, and the helpers that tell the
 * two apart.  The state machine, queues, timers and tables are shared;
 * the family glue lives in xtcp_ipv4.c and xtcp_ipv6.c.
 *
 * An AF_INET6 socket connected to a v4-mapped address (RFC 4291
 * 2.5.5.2) speaks IPv4 on the wire and uses the IPv4 ops, as TCP's
 * ipv6_mapped ops do.
 */
#ifndef _XTCP_AF_H
#define _XTCP_AF_H

#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/flow.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

struct dst_entry;

/**
 * struct xtcp_af_ops - the address family's part of a socket
 * @queue_xmit: send a segment of the socket, routed by the socket's
 *	cached route (ip_queue_xmit(), inet6_csk_xmit())
 * @send_check: seed the checksum with the pseudo-header (RFC 9293 3.1,
 *	RFC 8200 8.1), next header / protocol xtcp_proto
 * @reroute: look the socket's route up again and cache it, or NULL
 * @ext_hdr_len: octets of IP options or IPv6 extension headers the
 *	socket puts between the IP header and ours (TCP's icsk_ext_hdr_len)
 * @net_header_len: octets of the IP header in front of ours
 * @family: AF_INET or AF_INET6, the family on the wire
 */
struct xtcp_af_ops {
	int	(*queue_xmit)(struct sock *sk, struct sk_buff *skb,
			      struct flowi *fl);
	void	(*send_check)(struct sock *sk, struct sk_buff *skb);
	struct dst_entry *(*reroute)(struct sock *sk);
	u16	(*ext_hdr_len)(const struct sock *sk);
	u16	net_header_len;
	u16	family;
};

extern const struct xtcp_af_ops xtcp_ipv4_ops;
extern const struct xtcp_af_ops xtcp_ipv6_ops;

/* Did @skb come by IPv6? */
static inline bool xtcp_skb_v6(const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IPV6);
}

/* @skb's TOS or traffic class, ECN bits included. */
static inline u8 xtcp_skb_dsfield(const struct sk_buff *skb)
{
	return xtcp_skb_v6(skb) ? ipv6_get_dsfield(ipv6_hdr(skb)) :
				  ip_hdr(skb)->tos;
}

/*
 * Is the 4-tuple of a socket of @family, connected to @daddr, an IPv6
 * one?  A v4-mapped peer makes it IPv4.
 */
static inline bool xtcp_tuple_v6(u16 family, const struct in6_addr *daddr)
{
	return IS_ENABLED(CONFIG_IPV6) && family == AF_INET6 &&
	       !ipv6_addr_v4mapped(daddr);
}

static inline bool xtcp_sk_v6(const struct sock *sk)
{
	return xtcp_tuple_v6(sk->sk_family, &sk->sk_v6_daddr);
}

#endif /* _XTCP_AF_H */
