/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: shared declarations of the module's parts.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/tcp_states.h>
#include <linux/skbuff.h>

#include "xtcp_mib.h"
#include "xtcp_wire.h"

/* The IP protocol number this module instance answers to (253 or 254). */
extern int xtcp_proto;

/**
 * struct xtcp_sock - an xtcp connection endpoint
 * @inet: the generic inet socket; must stay first (sk casts)
 *
 * Grows with the connection state of RFC 9293 section 3.3.1 as the
 * lifecycle is built.
 */
struct xtcp_sock {
	struct inet_sock inet;
};

/**
 * struct xtcp_net - xtcp's per network namespace state
 * @mib: per-cpu counters, see &enum xtcp_mib_item
 */
struct xtcp_net {
	DEFINE_SNMP_STAT(struct xtcp_mib, mib);
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

static inline struct xtcphdr *xtcp_hdr(const struct sk_buff *skb)
{
	return (struct xtcphdr *)skb_transport_header(skb);
}

/* xtcp_sock.c */
extern struct proto xtcp_prot;
extern struct inet_protosw xtcp_protosw;

/* xtcp_input.c */
int xtcp_v4_rcv(struct sk_buff *skb);
int xtcp_v4_err(struct sk_buff *skb, u32 info);

#endif /* _XTCP_H */
