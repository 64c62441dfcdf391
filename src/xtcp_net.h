/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's per network namespace state: the lookup tables, counters,
 * sysctls and the control socket of each namespace.
 */
#ifndef _XTCP_NET_H
#define _XTCP_NET_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/tcp_states.h>

#include "xtcp_mib.h"
#include "xtcp_sysctl.h"

#define XTCP_HTABLE_BITS	10
/* Entries of the ephemeral port table (RFC 6056 3.3.4, algorithm 4). */
#define XTCP_PORT_PERTURB	256

/* TCP_* states 1..11 index the transition matrix. */
#define XTCP_NSTATES		(TCP_CLOSING + 1)

/**
 * struct xtcp_net - xtcp's per network namespace state
 * @mib: per-cpu counters, see &enum xtcp_mib_item
 * @lock: serializes changes to all four tables; lookups use RCU
 * @bhash: bind table, by local port: full sockets (sk_bind_node)
 * @twbhash: bind table of time-wait minisocks, by local port
 * @lhash: listening sockets, by local port
 * @ehash: synchronized full sockets, by 4-tuple
 * @twhash: time-wait minisocks, by 4-tuple
 * @ctl_sk: raw socket used to send segments that have no socket (RST,
 *	time-wait ACKs, SYN-ACKs of request minisocks)
 * @ctl_sk6: the same for IPv6, NULL if IPv6 is disabled
 * @tw_count: live time-wait minisocks
 * @port_perturb: where the ephemeral port search of each group of
 *	destinations starts next (RFC 6056 3.3.4, the table of algorithm 4)
 * @challenge_stamp: second of the current challenge ACK budget (RFC 5961 7)
 * @challenge_count: challenge ACKs left in that second
 * @sysctl: net.xtcp.* values of this namespace
 * @transitions: count of every state change, [from][to]
 */
struct xtcp_net {
	DEFINE_SNMP_STAT(struct xtcp_mib, mib);
	spinlock_t		lock;	/* table writers */
	struct hlist_head	bhash[1 << XTCP_HTABLE_BITS];
	struct hlist_head	twbhash[1 << XTCP_HTABLE_BITS];
	struct hlist_head	lhash[1 << XTCP_HTABLE_BITS];
	struct hlist_head	ehash[1 << XTCP_HTABLE_BITS];
	struct hlist_head	twhash[1 << XTCP_HTABLE_BITS];
	struct sock		*ctl_sk;
	struct sock		*ctl_sk6;
	atomic_t		tw_count;
	u32			port_perturb[XTCP_PORT_PERTURB];
	u32			challenge_stamp;
	u32			challenge_count;
	struct xtcp_sysctl	sysctl;
	atomic_long_t		transitions[XTCP_NSTATES][XTCP_NSTATES];
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline const struct xtcp_sysctl *xtcp_sysctl(const struct net *net)
{
	return &xtcp_pernet(net)->sysctl;
}

/* 2MSL and the orphan FIN_WAIT2 lifetime of @net, in jiffies. */
static inline int xtcp_tw_len(const struct net *net)
{
	return READ_ONCE(xtcp_sysctl(net)->tw_timeout) * HZ;
}

static inline int xtcp_fin_timeout(const struct net *net)
{
	return READ_ONCE(xtcp_sysctl(net)->fin_timeout) * HZ;
}

static inline u16 xtcp_min_snd_mss(const struct net *net)
{
	return READ_ONCE(xtcp_sysctl(net)->min_snd_mss);
}

#endif /* _XTCP_NET_H */
