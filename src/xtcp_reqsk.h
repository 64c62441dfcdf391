/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request minisocks: a half-open connection in a listener's SYN queue
 * (SYN_RECV), small where a full socket would be wasteful, and the
 * queues of a listening socket.
 */
#ifndef _XTCP_REQSK_H
#define _XTCP_REQSK_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/in6.h>
#include <net/net_namespace.h>

/**
 * struct xtcp_request_sock - a connection in SYN_RECV on a listener
 * @node: link in the listener's SYN queue, oldest first
 * @hnode: link in the listener's SYN queue hash, by the SYN's addresses
 * @timer: SYN-ACK retransmission (XTCP_TIMER_SYNACK)
 * @listener: the listening socket, holding a reference
 * @refcnt: one for the SYN queue, one while the timer is pending
 * @laddr: local address, the SYN's destination (IPv4)
 * @raddr: remote address (IPv4)
 * @laddr6: local address (IPv6)
 * @raddr6: remote address (IPv6)
 * @family: the SYN's address family; AF_INET on an AF_INET6 listener
 *	makes a v4-mapped connection
 * @iif: the SYN's device, for the SYN-ACK to a link-local address
 * @lport: local port
 * @rport: remote port
 * @iss: our initial sequence number, sent in the SYN-ACK
 * @irs: the peer's initial sequence number, from its SYN
 * @mss: the peer's MSS option, or the default
 * @advmss: our MSS, sent in the SYN-ACK
 * @snd_wscale: the peer's window shift
 * @rcv_wscale: our window shift
 * @rcv_wnd: our first window, the SYN-ACK's (at most 65535 of it) and
 *	then the connection's (xtcp_select_initial_window())
 * @wscale_ok: both sides sent a window scale option
 * @ts_ok: the SYN had a timestamps option, so the SYN-ACK has one too
 * @sack_ok: the SYN had SACK-permitted and net.xtcp.sack is on
 * @ts_recent: the SYN's TSval, echoed in the SYN-ACK
 * @ts_off: our TSval clock offset for this address pair
 * @retries: SYN-ACKs resent so far
 * @queued: still on the SYN queue
 * @acked: a bare final ACK came and was dropped (TCP_DEFER_ACCEPT)
 * @txhash: the flow hash of the SYN-ACK and then of the connection
 * @syn_tos: the SYN's TOS or traffic class, for net.xtcp.reflect_tos
 * @flowlabel: the SYN's IPv6 flow label, which a listener with
 *	net.ipv6.flowlabel_reflect's bit 1 (REPFLOW) sends back
 *	(sk_txhash), drawn anew when the SYN-ACK is resent, as TCP's
 * @snt_synack: xtcp_clock_us() when the first SYN-ACK left, 0 if unknown
 *	(a cookie): the final ACK's RTT sample unless the SYN-ACK was resent
 */
struct xtcp_request_sock {
	struct list_head	node;
	struct hlist_node	hnode;
	struct timer_list	timer;
	struct sock		*listener;
	refcount_t		refcnt;
	__be32			laddr;
	__be32			raddr;
	struct in6_addr		laddr6;
	struct in6_addr		raddr6;
	u16			family;
	int			iif;
	__be16			lport;
	__be16			rport;
	u32			iss;
	u32			irs;
	u16			mss;
	u16			advmss;
	u8			snd_wscale;
	u8			rcv_wscale;
	u32			rcv_wnd;
	u8			wscale_ok:1,
				ts_ok:1,
				sack_ok:1,
				queued:1,
				acked:1;
	u8			retries;
	u32			ts_recent;
	u32			ts_off;
	u32			txhash;
	__be32			flowlabel;
	u8			syn_tos;
	u32			snt_synack;
};

/**
 * struct xtcp_req_key - what finds a request in its listener's queue:
 *	the addresses and the peer's port of the SYN
 * @family: AF_INET or AF_INET6, the SYN's family
 * @rport: the peer's port
 * @laddr: local address (IPv4)
 * @raddr: peer address (IPv4)
 * @laddr6: local address (IPv6)
 * @raddr6: peer address (IPv6)
 */
struct xtcp_req_key {
	u16			family;
	__be16			rport;
	__be32			laddr;
	__be32			raddr;
	struct in6_addr		laddr6;
	struct in6_addr		raddr6;
};

/* Buckets of a listener's SYN queue hash: 16 requests each at somaxconn. */
#define XTCP_SYNQ_HASH_BITS	8

/**
 * struct xtcp_listen - the queues of a listening socket
 * @syn_queue: request minisocks, half-open connections
 * @syn_qlen: length of @syn_queue
 * @syn_hash: the same, hashed by remote address and port and local
 *	address, so that a segment finds its request in constant time
 *	however many SYNs a peer has queued
 * @accept_queue: established children not yet accepted
 * @accept_qlen: length of @accept_queue
 * @last_overflow: jiffies when the SYN queue last overflowed (cookies
 *	are accepted for two minutes after, with syncookies=1)
 */
struct xtcp_listen {
	struct list_head	syn_queue;
	int			syn_qlen;
	struct hlist_head	syn_hash[1 << XTCP_SYNQ_HASH_BITS];
	struct list_head	accept_queue;
	int			accept_qlen;
	unsigned long		last_overflow;
};

struct sock;
struct sk_buff;
struct kmem_cache;

/* Listener side (xtcp_reqsk.c). */
int xtcp_listen_start(struct sock *sk, int backlog);
void xtcp_listen_stop(struct sock *sk);
int xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
bool xtcp_reqsk_err(struct sock *sk, const struct xtcp_req_key *k, u32 seq,
		    bool abort);
struct sock *xtcp_accept_dequeue(struct sock *sk);

struct kmem_cache *xtcp_req_cache(void);

#endif /* _XTCP_REQSK_H */
