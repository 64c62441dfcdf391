/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time-wait minisocks: what is left of a connection after an active
 * close (TIME_WAIT, or FIN_WAIT2 for an orphan, as Linux does), small
 * where a full socket would be wasteful.
 */
#ifndef _XTCP_TW_H
#define _XTCP_TW_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/in6.h>
#include <net/net_namespace.h>

/**
 * struct xtcp_tw_sock - time-wait minisock
 * @node: link in the netns time-wait table, by 4-tuple
 * @bind_node: link in the netns time-wait bind table, by local port
 * @rcu: frees the minisock after RCU readers are done; shares storage
 *	with @bind_node, which is unlinked first and never read under RCU
 * @timer: lifetime (XTCP_TIMER_TW)
 * @net: network namespace
 * @saddr: local address (IPv4, or v4-mapped)
 * @daddr: remote address (IPv4, or v4-mapped)
 * @v6_saddr: local address of an AF_INET6 socket
 * @v6_daddr: remote address of an AF_INET6 socket
 * @family: the socket's address family
 * @ipv6only: the socket had IPV6_V6ONLY (bind conflicts)
 * @tclass: the socket's traffic class (IPv6) or TOS (IPv4), for its
 *	ACKs and RSTs
 * @flowlabel: the socket's IPv6 flow label (IPV6_FLOWINFO_SEND), or 0
 * @txhash: the socket's flow hash, so that its automatic IPv6 flow
 *	label stays the connection's (as Linux's tw_txhash)
 * @sport: local port
 * @dport: remote port
 * @snd_nxt: our sequence number after the FIN
 * @rcv_nxt: next sequence number expected (after the peer's FIN)
 * @ts_recent: the peer's last TSval (RFC 7323 4.3), for RFC 6191
 * @ts_recent_stamp: seconds when @ts_recent was set, for tw_reuse
 * @ts_off: our TSval clock offset, for the timestamps of our ACKs
 * @refcnt: one for the tables, one per user of a lookup
 * @lock: serializes segment processing and the timer
 * @substate: TCP_TIME_WAIT, or TCP_FIN_WAIT2 before the peer's FIN
 * @reuse: the socket had SO_REUSEADDR (bind may take the port)
 * @hashed: still in the tables
 * @tstamp_ok: the connection used timestamps
 * @rcv_wnd: the window field of our ACKs: what was left of the last
 *	window the socket offered, as Linux's tw_rcv_wnd
 * @bound_dev_if: the socket's SO_BINDTODEVICE, 0 if none
 * @mark: the socket's SO_MARK, for its ACKs and RSTs
 */
struct xtcp_tw_sock {
	struct hlist_node	node;
	union {
		struct hlist_node bind_node;
		struct rcu_head	rcu;
	};
	struct timer_list	timer;
	possible_net_t		net;
	__be32			saddr;
	__be32			daddr;
	struct in6_addr		v6_saddr;
	struct in6_addr		v6_daddr;
	u16			family;
	u8			ipv6only;
	u8			tclass;
	__be32			flowlabel;
	u32			txhash;
	__be16			sport;
	__be16			dport;
	u32			snd_nxt;
	u32			rcv_nxt;
	u32			ts_recent;
	u32			ts_recent_stamp;
	u32			ts_off;
	refcount_t		refcnt;
	spinlock_t		lock;	/* segment processing vs timer */
	u8			substate;
	u8			reuse:1,
				hashed:1,
				tstamp_ok:1;
	u16			rcv_wnd;
	int			bound_dev_if;
	u32			mark;
};

/* Events of the xtcp_tw tracepoint. */
enum { XTCP_TW_EV_CREATED, XTCP_TW_EV_KILLED, XTCP_TW_EV_REUSED };

struct sock;
struct sk_buff;

/* Time-wait (xtcp_minisocks.c). */
void xtcp_time_wait(struct sock *sk, int substate, int timeo);
bool xtcp_tw_rcv(struct xtcp_tw_sock *tw, struct sk_buff *skb);
void xtcp_tw_put(struct xtcp_tw_sock *tw);
void xtcp_tw_purge_net(struct net *net);
int xtcp_minisocks_init(void);
void xtcp_minisocks_exit(void);

#endif /* _XTCP_TW_H */
