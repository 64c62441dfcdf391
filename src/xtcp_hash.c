// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup tables: bind (by port), listen (by port), established and
 * time-wait (by 4-tuple), per network namespace.  Writers take the
 * namespace's table lock; the receive path looks up under RCU and takes
 * a reference.  Full sockets are freed after an RCU grace period
 * (SOCK_RCU_FREE), time-wait minisocks with kfree_rcu().
 *
 * Bind rules follow Linux: a port is shared only if both sockets set
 * SO_REUSEADDR and neither listens, or both set SO_REUSEPORT under one
 * uid; SO_REUSEADDR also lets bind() take a port held by TIME_WAIT.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/in.h>
#include <net/ip.h>

#include "xtcp_bind.h"
#include "xtcp_hash.h"

static u32 xtcp_hash_secret __read_mostly;

void xtcp_hash_seed(void)
{
	xtcp_hash_secret = get_random_u32();
}

void xtcp_hash_init(struct xtcp_net *xn)
{
	spin_lock_init(&xn->lock);
}

#define XTCP_HMASK	((1U << XTCP_HTABLE_BITS) - 1)

static u32 xtcp_port_slot(const struct net *net, u16 port)
{
	return jhash_1word(port, net_hash_mix(net) ^ xtcp_hash_secret) & XTCP_HMASK;
}

static u32 xtcp_ehash_slot(const struct net *net, __be32 laddr, __be16 lport,
			   __be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((u32)(__force u16)lport << 16) | (__force u16)rport,
			    net_hash_mix(net) ^ xtcp_hash_secret) & XTCP_HMASK;
}

static u32 xtcp_ehash_slot6(const struct net *net, const struct in6_addr *laddr,
			    __be16 lport, const struct in6_addr *raddr,
			    __be16 rport)
{
	u32 seed = net_hash_mix(net) ^ xtcp_hash_secret;

	return jhash_3words(jhash2((const u32 *)laddr, 4, seed),
			    jhash2((const u32 *)raddr, 4, seed),
			    ((u32)(__force u16)lport << 16) | (__force u16)rport,
			    seed) & XTCP_HMASK;
}

/* The established-table slot of a connected socket, by its tuple's family. */
static u32 xtcp_sk_slot(const struct sock *sk)
{
	if (xtcp_sk_v6(sk))
		return xtcp_ehash_slot6(sock_net(sk), &sk->sk_v6_rcv_saddr,
					inet_sk(sk)->inet_sport,
					&sk->sk_v6_daddr, sk->sk_dport);
	return xtcp_ehash_slot(sock_net(sk), sk->sk_rcv_saddr,
			       inet_sk(sk)->inet_sport, sk->sk_daddr,
			       sk->sk_dport);
}

static bool xtcp_tw_v6(const struct xtcp_tw_sock *tw)
{
	return xtcp_tuple_v6(tw->family, &tw->v6_daddr);
}

static u32 xtcp_tw_slot(const struct xtcp_tw_sock *tw)
{
	struct net *net = read_pnet(&tw->net);

	if (xtcp_tw_v6(tw))
		return xtcp_ehash_slot6(net, &tw->v6_saddr, tw->sport,
					&tw->v6_daddr, tw->dport);
	return xtcp_ehash_slot(net, tw->saddr, tw->sport, tw->daddr, tw->dport);
}

/*
 * SO_BINDTODEVICE: a bound socket takes only segments that arrived on
 * its device (or its VRF's slave); an unbound one all but VRF traffic,
 * as Linux's inet_bound_dev_eq() with l3mdev_accept off.
 */
static bool xtcp_dev_match(int bound, int dif, int sdif)
{
	return inet_bound_dev_eq(false, bound, dif, sdif);
}

/* An IPv4 tuple: of an AF_INET socket, or of a v4-mapped AF_INET6 one. */
static bool xtcp_sk_match(const struct sock *sk, __be32 laddr, __be16 lport,
			  __be32 raddr, __be16 rport)
{
	return sk->sk_rcv_saddr == laddr && sk->sk_num == ntohs(lport) &&
	       sk->sk_daddr == raddr && sk->sk_dport == rport &&
	       !xtcp_sk_v6(sk);
}

static bool xtcp_sk_match6(const struct sock *sk, const struct in6_addr *laddr,
			   __be16 lport, const struct in6_addr *raddr,
			   __be16 rport)
{
	return sk->sk_num == ntohs(lport) && sk->sk_dport == rport &&
	       xtcp_sk_v6(sk) && ipv6_addr_equal(&sk->sk_v6_daddr, raddr) &&
	       ipv6_addr_equal(&sk->sk_v6_rcv_saddr, laddr);
}

static bool xtcp_tw_match(const struct xtcp_tw_sock *tw, __be32 laddr,
			  __be16 lport, __be32 raddr, __be16 rport)
{
	return tw->saddr == laddr && tw->sport == lport &&
	       tw->daddr == raddr && tw->dport == rport && !xtcp_tw_v6(tw);
}

static bool xtcp_tw_match6(const struct xtcp_tw_sock *tw,
			   const struct in6_addr *laddr, __be16 lport,
			   const struct in6_addr *raddr, __be16 rport)
{
	return tw->sport == lport && tw->dport == rport && xtcp_tw_v6(tw) &&
	       ipv6_addr_equal(&tw->v6_daddr, raddr) &&
	       ipv6_addr_equal(&tw->v6_saddr, laddr);
}

/* Does a connected socket's tuple equal @tw's? */
static bool xtcp_tw_match_sk(const struct xtcp_tw_sock *tw,
			     const struct sock *sk, __be16 lport)
{
	if (xtcp_sk_v6(sk))
		return xtcp_tw_match6(tw, &sk->sk_v6_rcv_saddr, lport,
				      &sk->sk_v6_daddr, sk->sk_dport);
	return xtcp_tw_match(tw, sk->sk_rcv_saddr, lport, sk->sk_daddr,
			     sk->sk_dport);
}

static bool xtcp_sk_match_sk(const struct sock *sk2, const struct sock *sk,
			     __be16 lport)
{
	if (xtcp_sk_v6(sk))
		return xtcp_sk_match6(sk2, &sk->sk_v6_rcv_saddr, lport,
				      &sk->sk_v6_daddr, sk->sk_dport);
	return xtcp_sk_match(sk2, sk->sk_rcv_saddr, lport, sk->sk_daddr,
			     sk->sk_dport);
}

static struct xtcp_bound xtcp_sk_bound(const struct sock *sk)
{
	struct xtcp_bound b = {
		.family = sk->sk_family,
		.v6only = ipv6_only_sock(sk),
		.addr = sk->sk_rcv_saddr,
		.addr6 = &sk->sk_v6_rcv_saddr,
	};
	return b;
}

static struct xtcp_bound xtcp_tw_bound(const struct xtcp_tw_sock *tw)
{
	struct xtcp_bound b = {
		.family = tw->family,
		.v6only = tw->ipv6only,
		.addr = tw->saddr,
		.addr6 = &tw->v6_saddr,
	};
	return b;
}

/*
 * May connect() take over this time-wait tuple?  RFC 7323 timestamps
 * make it safe: the peer's PAWS tells new segments from old ones once
 * the clock has moved on; like Linux's tcp_tw_reuse, the last timestamp
 * must be more than one whole second old.
 */
static bool xtcp_tw_reusable(const struct xtcp_tw_sock *tw, struct net *net)
{
	int mode = READ_ONCE(xtcp_sysctl(net)->tw_reuse_mode);

	if (!mode || !tw->tstamp_ok || tw->substate != TCP_TIME_WAIT)
		return false;
	if (mode == 2 && !(xtcp_tw_v6(tw) ?
			   ipv6_addr_loopback(&tw->v6_saddr) &&
			   ipv6_addr_loopback(&tw->v6_daddr) :
			   ipv4_is_loopback(tw->saddr) &&
			   ipv4_is_loopback(tw->daddr)))
		return false;
	return xtcp_seconds() - tw->ts_recent_stamp > 1;
}

/*
 * Is @sk's 4-tuple, with local port @lport, free for a new connection?
 * A reusable time-wait minisock on it is returned in @reuse.
 */
static bool xtcp_tuple_free(struct xtcp_net *xn, struct net *net,
			    const struct sock *sk, __be16 lport,
			    struct xtcp_tw_sock **reuse)
{
	u32 slot = xtcp_sk_v6(sk) ?
		xtcp_ehash_slot6(net, &sk->sk_v6_rcv_saddr, lport,
				 &sk->sk_v6_daddr, sk->sk_dport) :
		xtcp_ehash_slot(net, sk->sk_rcv_saddr, lport, sk->sk_daddr,
				sk->sk_dport);
	struct xtcp_tw_sock *tw;
	struct sock *sk2;

	lockdep_assert_held(&xn->lock);
	*reuse = NULL;
	sk_for_each(sk2, &xn->ehash[slot])
		if (xtcp_sk_match_sk(sk2, sk, lport))
			return false;
	hlist_for_each_entry(tw, &xn->twhash[slot], node) {
		if (!xtcp_tw_match_sk(tw, sk, lport))
			continue;
		if (!xtcp_tw_reusable(tw, net))
			return false;
		*reuse = tw;
	}
	return true;
}

/* Take @tw out of the tables for connect(); the caller drops its refs. */
static void xtcp_tw_unlink_locked(struct xtcp_net *xn, struct xtcp_tw_sock *tw)
{
	hlist_del_rcu(&tw->node);
	hlist_del(&tw->bind_node);
	tw->hashed = 0;
	atomic_dec(&xn->tw_count);
}

/*
 * Would @sk, its local address set, bound to @port clash with a socket
 * or minisock there?
 */
static bool xtcp_bind_conflict(struct xtcp_net *xn, struct sock *sk,
			       u16 port, bool listening)
{
	u32 slot = xtcp_port_slot(sock_net(sk), port);
	struct xtcp_bound me = xtcp_sk_bound(sk), other;
	struct xtcp_tw_sock *tw;
	struct sock *sk2;

	lockdep_assert_held(&xn->lock);
	sk_for_each_bound(sk2, &xn->bhash[slot]) {
		if (sk2 == sk || sk2->sk_num != port)
			continue;
		other = xtcp_sk_bound(sk2);
		if (!xtcp_addr_overlap(&me, &other))
			continue;
		/* Bound to different devices, they never see each other's. */
		if (sk->sk_bound_dev_if && sk2->sk_bound_dev_if &&
		    sk->sk_bound_dev_if != sk2->sk_bound_dev_if)
			continue;
		if (sk->sk_reuseport && sk2->sk_reuseport &&
		    uid_eq(sock_i_uid(sk), sock_i_uid(sk2)))
			continue;
		/* listen(): only another listener is in the way. */
		if (listening) {
			if (sk2->sk_state == TCP_LISTEN)
				return true;
			continue;
		}
		if (sk->sk_reuse && sk2->sk_reuse &&
		    sk2->sk_state != TCP_LISTEN)
			continue;
		return true;
	}
	if (listening)
		return false;
	hlist_for_each_entry(tw, &xn->twbhash[slot], bind_node) {
		if (ntohs(tw->sport) != port)
			continue;
		other = xtcp_tw_bound(tw);
		if (!xtcp_addr_overlap(&me, &other))
			continue;
		if (sk->sk_bound_dev_if && tw->bound_dev_if &&
		    sk->sk_bound_dev_if != tw->bound_dev_if)
			continue;
		if (sk->sk_reuse && tw->reuse)
			continue;
		return true;
	}
	return false;
}

/* Does any socket or minisock hold @port at all? */
static bool xtcp_port_used(struct xtcp_net *xn, struct net *net, u16 port)
{
	u32 slot = xtcp_port_slot(net, port);
	struct xtcp_tw_sock *tw;
	struct sock *sk2;

	sk_for_each_bound(sk2, &xn->bhash[slot])
		if (sk2->sk_num == port)
			return true;
	hlist_for_each_entry(tw, &xn->twbhash[slot], bind_node)
		if (ntohs(tw->sport) == port)
			return true;
	return false;
}

/* Is @port held by a bind() (which connect() must not share)? */
static bool xtcp_port_bound(struct xtcp_net *xn, struct net *net, u16 port)
{
	u32 slot = xtcp_port_slot(net, port);
	struct sock *sk2;

	sk_for_each_bound(sk2, &xn->bhash[slot])
		if (sk2->sk_num == port && xtcp_sk(sk2)->bound_explicitly)
			return true;
	return false;
}

static bool xtcp_bind_hashed(const struct sock *sk)
{
	return !hlist_unhashed(&sk->sk_bind_node);
}

static void xtcp_bhash_add(struct xtcp_net *xn, struct sock *sk, u16 port)
{
	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
	sk_add_bind_node(sk, &xn->bhash[xtcp_port_slot(sock_net(sk), port)]);
}

/**
 * xtcp_bind_port() - bind @sk to a local port
 * @sk: socket, locked, not bound yet, its local address set (or the
 *	wildcard)
 * @port: local port in host order, or 0 for any free ephemeral port
 *
 * Return: 0, or -EADDRINUSE.
 */
int xtcp_bind_port(struct sock *sk, u16 port)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	int low, high, range, i, err = 0;
	u32 offset;

	spin_lock_bh(&xn->lock);
	if (port) {
		if (xtcp_bind_conflict(xn, sk, port, false))
			err = -EADDRINUSE;
	} else {
		inet_get_local_port_range(net, &low, &high);
		range = high - low + 1;
		offset = get_random_u32_below(range);
		err = -EADDRINUSE;
		for (i = 0; i < range; i++) {
			port = low + (offset + i) % range;
			if (!xtcp_port_used(xn, net, port)) {
				err = 0;
				break;
			}
		}
	}
	if (!err)
		xtcp_bhash_add(xn, sk, port);
	spin_unlock_bh(&xn->lock);
	return err;
}

/* Release @sk's port; a socket that is not bound keeps inet_num 0. */
void xtcp_put_port(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	spin_lock_bh(&xn->lock);
	if (xtcp_bind_hashed(sk))
		__sk_del_bind_node(sk);
	sk_node_init(&sk->sk_bind_node);
	inet_sk(sk)->inet_num = 0;
	inet_sk(sk)->inet_sport = 0;
	spin_unlock_bh(&xn->lock);
}

/* The child of a listener shares its port (RFC 9293 3.5: a listener
 * spawns connections on its own port).
 */
void xtcp_inherit_port(struct sock *child, struct sock *parent)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(parent));
	u32 slot;

	spin_lock_bh(&xn->lock);
	sk_node_init(&child->sk_bind_node);
	xtcp_bhash_add(xn, child, parent->sk_num);
	slot = xtcp_sk_slot(child);
	/* No sock_hold(): sk_clone_lock() gave the table its reference. */
	hlist_add_head_rcu(&child->sk_node, &xn->ehash[slot]);
	spin_unlock_bh(&xn->lock);
}

/**
 * xtcp_listen_hash() - put a bound socket in the listen table
 * @sk: socket, locked, bound
 *
 * Return: 0, or -EADDRINUSE if another listener holds the address.
 */
int xtcp_listen_hash(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	int err = 0;

	spin_lock_bh(&xn->lock);
	if (xtcp_bind_conflict(xn, sk, sk->sk_num, true))
		err = -EADDRINUSE;
	else
		sk_add_node_rcu(sk, &xn->lhash[xtcp_port_slot(net, sk->sk_num)]);
	spin_unlock_bh(&xn->lock);
	return err;
}

/**
 * xtcp_connect_hash() - choose the local port if needed and hash @sk
 * @sk: socket, locked, with local and remote addresses set
 * @isn: set to a sequence number above the old connection's when a
 *	time-wait tuple is reused (tw_reuse), else left alone
 *
 * Ephemeral ports follow RFC 6056 3.3.4 (algorithm 4, double-hash), as
 * Linux's __inet_hash_connect() does: the search starts at a keyed hash
 * of the addresses plus the entry a second hash picks in a per-netns
 * table, and takes the first port that no bind() holds and whose
 * 4-tuple is free.  The entry then moves on by a random step, so ports
 * to one destination do not count up by one, and connections to others
 * do not move them at all.
 *
 * Return: 0, or -EADDRNOTAVAIL.
 */
int xtcp_connect_hash(struct sock *sk, u32 *isn)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	int low, high, range, i, err = -EADDRNOTAVAIL;
	struct xtcp_tw_sock *tw = NULL;
	u32 offset, index;
	u64 hash;
	u16 port;

	spin_lock_bh(&xn->lock);
	if (sk->sk_num) {
		if (xtcp_tuple_free(xn, net, sk, htons(sk->sk_num), &tw))
			err = 0;
		goto out;
	}
	inet_get_local_port_range(net, &low, &high);
	range = high - low + 1;
	hash = xtcp_sk_v6(sk) ?
		xtcp_port_hash6(&sk->sk_v6_rcv_saddr, &sk->sk_v6_daddr,
				sk->sk_dport) :
		xtcp_port_hash(sk->sk_rcv_saddr, sk->sk_daddr, sk->sk_dport);
	index = hash & (XTCP_PORT_PERTURB - 1);
	offset = xn->port_perturb[index] + (u32)(hash >> 32);
	for (i = 0; i < range; i++) {
		port = low + (offset + i) % range;
		if (xtcp_port_bound(xn, net, port) ||
		    !xtcp_tuple_free(xn, net, sk, htons(port), &tw))
			continue;
		xtcp_bhash_add(xn, sk, port);
		/* Random under low contention, as Linux steps it. */
		xn->port_perturb[index] += max_t(u32, i,
						 get_random_u32_below(8)) + 1;
		err = 0;
		break;
	}
out:
	if (!err) {
		if (tw) {
			/* RFC 9293 3.4.1: start above the old incarnation. */
			*isn = tw->snd_nxt + 65535 + 2;
			xtcp_note_tw(tw, tw->substate, TCP_CLOSE,
				     XTCP_TW_EV_REUSED);
			xtcp_tw_unlink_locked(xn, tw);
		}
		sk_add_node_rcu(sk, &xn->ehash[xtcp_sk_slot(sk)]);
	} else {
		tw = NULL;
	}
	spin_unlock_bh(&xn->lock);
	if (tw) {
		xtcp_mib_inc(net, XTCP_MIB_TWRECYCLED);
		if (timer_delete(&tw->timer))
			xtcp_tw_put(tw);
		xtcp_tw_put(tw);	/* the tables' reference */
	}
	return err;
}

/* Remove @sk from the listen or established table (not from bind). */
void xtcp_unhash(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	if (sk_unhashed(sk))
		return;
	spin_lock_bh(&xn->lock);
	sk_del_node_init_rcu(sk);
	spin_unlock_bh(&xn->lock);
}

/**
 * xtcp_ehash_replace() - swap a closing socket for its time-wait minisock
 * @sk: the socket, in the established table
 * @tw: its minisock, taking over the 4-tuple and the port
 *
 * Both changes happen under one lock hold, so a lookup always finds one
 * of the two.
 */
void xtcp_ehash_replace(struct sock *sk, struct xtcp_tw_sock *tw)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	u32 slot = xtcp_tw_slot(tw);

	spin_lock_bh(&xn->lock);
	hlist_add_head_rcu(&tw->node, &xn->twhash[slot]);
	hlist_add_head(&tw->bind_node,
		       &xn->twbhash[xtcp_port_slot(net, ntohs(tw->sport))]);
	tw->hashed = 1;
	atomic_inc(&xn->tw_count);
	sk_del_node_init_rcu(sk);
	if (xtcp_bind_hashed(sk))
		__sk_del_bind_node(sk);
	sk_node_init(&sk->sk_bind_node);
	spin_unlock_bh(&xn->lock);
}

void xtcp_tw_unhash(struct xtcp_tw_sock *tw)
{
	struct xtcp_net *xn = xtcp_pernet(read_pnet(&tw->net));
	bool was = false;

	spin_lock_bh(&xn->lock);
	if (tw->hashed) {
		hlist_del_rcu(&tw->node);
		hlist_del(&tw->bind_node);
		tw->hashed = 0;
		atomic_dec(&xn->tw_count);
		was = true;
	}
	spin_unlock_bh(&xn->lock);
	if (was)
		xtcp_tw_put(tw);
}

/**
 * xtcp_lookup_established() - find the connection a segment belongs to
 * @net: namespace
 * @saddr: segment source (remote) address
 * @sport: segment source port
 * @daddr: segment destination (local) address
 * @dport: segment destination port
 * @dif: device the segment arrived on
 * @sdif: VRF slave it arrived on, 0 if none
 *
 * Context: RCU read side.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *xtcp_lookup_established(struct net *net, __be32 saddr,
				     __be16 sport, __be32 daddr, __be16 dport,
				     int dif, int sdif)
{
	u32 slot = xtcp_ehash_slot(net, daddr, dport, saddr, sport);
	struct sock *sk;

	sk_for_each_rcu(sk, &xtcp_pernet(net)->ehash[slot]) {
		if (!xtcp_sk_match(sk, daddr, dport, saddr, sport) ||
		    !xtcp_dev_match(READ_ONCE(sk->sk_bound_dev_if), dif, sdif))
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			return NULL;
		if (unlikely(!xtcp_sk_match(sk, daddr, dport, saddr, sport))) {
			sock_put(sk);
			return NULL;
		}
		return sk;
	}
	return NULL;
}

/* As xtcp_lookup_established(), for time-wait minisocks. */
struct xtcp_tw_sock *xtcp_lookup_tw(struct net *net, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport,
				    int dif, int sdif)
{
	u32 slot = xtcp_ehash_slot(net, daddr, dport, saddr, sport);
	struct xtcp_tw_sock *tw;

	hlist_for_each_entry_rcu(tw, &xtcp_pernet(net)->twhash[slot], node) {
		if (!xtcp_tw_match(tw, daddr, dport, saddr, sport) ||
		    !xtcp_dev_match(tw->bound_dev_if, dif, sdif))
			continue;
		return refcount_inc_not_zero(&tw->refcnt) ? tw : NULL;
	}
	return NULL;
}

/* As xtcp_lookup_established(), for an IPv6 segment. */
struct sock *xtcp6_lookup_established(struct net *net,
				      const struct in6_addr *saddr,
				      __be16 sport,
				      const struct in6_addr *daddr,
				      __be16 dport, int dif, int sdif)
{
	u32 slot = xtcp_ehash_slot6(net, daddr, dport, saddr, sport);
	struct sock *sk;

	sk_for_each_rcu(sk, &xtcp_pernet(net)->ehash[slot]) {
		if (!xtcp_sk_match6(sk, daddr, dport, saddr, sport) ||
		    !xtcp_dev_match(READ_ONCE(sk->sk_bound_dev_if), dif, sdif))
			continue;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			return NULL;
		if (unlikely(!xtcp_sk_match6(sk, daddr, dport, saddr, sport))) {
			sock_put(sk);
			return NULL;
		}
		return sk;
	}
	return NULL;
}

/* As xtcp_lookup_tw(), for an IPv6 segment. */
struct xtcp_tw_sock *xtcp6_lookup_tw(struct net *net,
				     const struct in6_addr *saddr,
				     __be16 sport,
				     const struct in6_addr *daddr,
				     __be16 dport, int dif, int sdif)
{
	u32 slot = xtcp_ehash_slot6(net, daddr, dport, saddr, sport);
	struct xtcp_tw_sock *tw;

	hlist_for_each_entry_rcu(tw, &xtcp_pernet(net)->twhash[slot], node) {
		if (!xtcp_tw_match6(tw, daddr, dport, saddr, sport) ||
		    !xtcp_dev_match(tw->bound_dev_if, dif, sdif))
			continue;
		return refcount_inc_not_zero(&tw->refcnt) ? tw : NULL;
	}
	return NULL;
}

/*
 * How well listener @sk matches a segment for @daddr:@port; 0 not at
 * all.  The exact address wins over INADDR_ANY, then a listener bound
 * to the segment's device over an unbound one (as Linux's
 * compute_score()).
 */
static int xtcp_listen_score(const struct sock *sk, __be32 daddr, u16 port,
			     int dif, int sdif)
{
	int bound = READ_ONCE(sk->sk_bound_dev_if), score;

	if (sk->sk_num != port || READ_ONCE(sk->sk_state) != TCP_LISTEN ||
	    !xtcp_dev_match(bound, dif, sdif))
		return 0;
	/* An AF_INET6 listener takes IPv4 unless IPV6_V6ONLY (v4-mapped). */
	if (sk->sk_family == AF_INET6 && ipv6_only_sock(sk))
		return 0;
	if (sk->sk_rcv_saddr && sk->sk_rcv_saddr != daddr)
		return 0;
	score = sk->sk_rcv_saddr ? (bound ? 7 : 5) : (bound ? 3 : 1);
	/* As compute_score(): an AF_INET listener before an AF_INET6 one. */
	return score + (sk->sk_family == AF_INET);
}

/* The same for an IPv6 segment: only AF_INET6 listeners take it. */
static int xtcp_listen_score6(const struct sock *sk,
			      const struct in6_addr *daddr, u16 port, int dif,
			      int sdif)
{
	int bound = READ_ONCE(sk->sk_bound_dev_if);

	if (sk->sk_num != port || sk->sk_family != AF_INET6 ||
	    READ_ONCE(sk->sk_state) != TCP_LISTEN ||
	    !xtcp_dev_match(bound, dif, sdif))
		return 0;
	if (ipv6_addr_equal(&sk->sk_v6_rcv_saddr, daddr))
		return bound ? 4 : 3;
	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		return 0;
	return bound ? 2 : 1;
}

/* Which listener of @port's bucket a segment goes to; see below. */
struct xtcp_listen_key {
	__be32			daddr;
	const struct in6_addr	*daddr6;
	u16			port;
	int			dif;
	int			sdif;
};

static int xtcp_key_score(const struct sock *sk, const struct xtcp_listen_key *k)
{
	if (k->daddr6)
		return xtcp_listen_score6(sk, k->daddr6, k->port, k->dif,
					  k->sdif);
	return xtcp_listen_score(sk, k->daddr, k->port, k->dif, k->sdif);
}

static struct sock *xtcp_pick_listener(struct net *net,
				       const struct xtcp_listen_key *k,
				       u32 flow_hash)
{
	struct hlist_head *head;
	struct sock *sk, *best = NULL;
	int score, best_score = 0, n = 0, pick;

	head = &xtcp_pernet(net)->lhash[xtcp_port_slot(net, k->port)];
	sk_for_each_rcu(sk, head) {
		score = xtcp_key_score(sk, k);
		if (score > best_score) {
			best = sk;
			best_score = score;
			n = 1;
		} else if (score && score == best_score && sk->sk_reuseport &&
			   best->sk_reuseport) {
			n++;
		}
	}
	if (best && n > 1) {
		pick = reciprocal_scale(flow_hash, n);
		sk_for_each_rcu(sk, head) {
			if (xtcp_key_score(sk, k) != best_score ||
			    !sk->sk_reuseport)
				continue;
			if (!pick--) {
				best = sk;
				break;
			}
		}
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	return best;
}

/**
 * xtcp_lookup_listener() - find the listener for a segment
 * @net: namespace
 * @saddr: segment source address
 * @sport: segment source port
 * @daddr: local address the segment is sent to
 * @dport: local port
 * @dif: device the segment arrived on
 * @sdif: VRF slave it arrived on, 0 if none
 *
 * A listener bound to the exact address wins over one bound to
 * INADDR_ANY.  Among equally good listeners that all set SO_REUSEPORT,
 * a keyed hash of the source address and port picks one, so a group
 * shares the connections and one client always lands on the same one.
 *
 * Context: RCU read side.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *xtcp_lookup_listener(struct net *net, __be32 saddr,
				  __be16 sport, __be32 daddr, __be16 dport,
				  int dif, int sdif)
{
	struct xtcp_listen_key k = {
		.daddr = daddr, .port = ntohs(dport), .dif = dif, .sdif = sdif,
	};

	return xtcp_pick_listener(net, &k,
				  jhash_2words((__force u32)saddr,
					       (__force u32)sport,
					       xtcp_hash_secret));
}

/* As xtcp_lookup_listener(), for an IPv6 segment. */
struct sock *xtcp6_lookup_listener(struct net *net,
				   const struct in6_addr *saddr, __be16 sport,
				   const struct in6_addr *daddr, __be16 dport,
				   int dif, int sdif)
{
	struct xtcp_listen_key k = {
		.daddr6 = daddr, .port = ntohs(dport), .dif = dif, .sdif = sdif,
	};

	return xtcp_pick_listener(net, &k,
				  jhash_2words(jhash2((const u32 *)saddr, 4,
						      xtcp_hash_secret),
					       (__force u32)sport,
					       xtcp_hash_secret));
}
