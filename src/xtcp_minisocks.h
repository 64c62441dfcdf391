/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minisockets: small objects that stand in for a full socket where one
 * would be wasteful.  A request minisock is a half-open connection in a
 * listener's SYN queue (SYN_RECV); a time-wait minisock is what is left
 * of a connection after an active close (TIME_WAIT, or FIN_WAIT2 for an
 * orphan, as Linux does).
 */
#ifndef _XTCP_MINISOCKS_H
#define _XTCP_MINISOCKS_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <net/net_namespace.h>

/**
 * struct xtcp_request_sock - a connection in SYN_RECV on a listener
 * @node: link in the listener's SYN queue, oldest first
 * @hnode: link in the listener's SYN queue hash, by the SYN's addresses
 * @timer: SYN-ACK retransmission (XTCP_TIMER_SYNACK)
 * @listener: the listening socket, holding a reference
 * @refcnt: one for the SYN queue, one while the timer is pending
 * @laddr: local address, the SYN's destination
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 * @iss: our initial sequence number, sent in the SYN-ACK
 * @irs: the peer's initial sequence number, from its SYN
 * @mss: the peer's MSS option, or the default
 * @advmss: our MSS, sent in the SYN-ACK
 * @snd_wscale: the peer's window shift
 * @rcv_wscale: our window shift
 * @wscale_ok: both sides sent a window scale option
 * @ts_ok: the SYN had a timestamps option, so the SYN-ACK has one too
 * @sack_ok: the SYN had SACK-permitted and net.xtcp.sack is on
 * @ts_recent: the SYN's TSval, echoed in the SYN-ACK
 * @ts_off: our TSval clock offset for this address pair
 * @retries: SYN-ACKs resent so far
 * @queued: still on the SYN queue
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
	__be16			lport;
	__be16			rport;
	u32			iss;
	u32			irs;
	u16			mss;
	u16			advmss;
	u8			snd_wscale;
	u8			rcv_wscale;
	u8			wscale_ok:1,
				ts_ok:1,
				sack_ok:1,
				queued:1;
	u8			retries;
	u32			ts_recent;
	u32			ts_off;
	u32			snt_synack;
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

/**
 * struct xtcp_tw_sock - time-wait minisock
 * @node: link in the netns time-wait table, by 4-tuple
 * @bind_node: link in the netns time-wait bind table, by local port
 * @rcu: frees the minisock after RCU readers are done; shares storage
 *	with @bind_node, which is unlinked first and never read under RCU
 * @timer: lifetime (XTCP_TIMER_TW)
 * @net: network namespace
 * @saddr: local address
 * @daddr: remote address
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

/* Listener side (xtcp_reqsk.c). */
int xtcp_listen_start(struct sock *sk, int backlog);
void xtcp_listen_stop(struct sock *sk);
int xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
bool xtcp_reqsk_err(struct sock *sk, __be32 raddr, __be16 rport,
		    __be32 laddr, u32 seq, bool abort);
struct sock *xtcp_accept_dequeue(struct sock *sk);

/* Time-wait (xtcp_minisocks.c). */
void xtcp_time_wait(struct sock *sk, int substate, int timeo);
bool xtcp_tw_rcv(struct xtcp_tw_sock *tw, struct sk_buff *skb);
void xtcp_tw_put(struct xtcp_tw_sock *tw);
void xtcp_tw_purge_net(struct net *net);
struct kmem_cache *xtcp_req_cache(void);
int xtcp_minisocks_init(void);
void xtcp_minisocks_exit(void);

#endif /* _XTCP_MINISOCKS_H */
