// SPDX-License-Identifier: GPL-2.0
/*
 * Time-wait minisocks.  After an active close the full socket is freed
 * and a small object keeps the 4-tuple for 2MSL (RFC 9293 3.6.1),
 * re-acknowledging a retransmitted FIN.  An orphaned socket whose FIN
 * was acknowledged becomes one too, in the FIN_WAIT2 substate, bounded
 * by fin_timeout, as Linux does (seed 001).
 */
#include <linux/slab.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "xtcp.h"
#include "xtcp_hash.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"
#include "xtcp_seq.h"
#include "xtcp_state.h"
#include "xtcp_timer.h"

static struct kmem_cache *xtcp_tw_cachep __read_mostly;
static struct kmem_cache *xtcp_req_cachep __read_mostly;

struct kmem_cache *xtcp_req_cache(void)
{
	return xtcp_req_cachep;
}

static void xtcp_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(xtcp_tw_cachep,
			container_of(head, struct xtcp_tw_sock, rcu));
}

void xtcp_tw_put(struct xtcp_tw_sock *tw)
{
	if (refcount_dec_and_test(&tw->refcnt))
		call_rcu(&tw->rcu, xtcp_tw_free_rcu);
}

/* XTCP_TIMER_TW: the minisock's time is up. */
static void xtcp_tw_timer_fn(struct timer_list *t)
{
	struct xtcp_tw_sock *tw = from_timer(tw, t, timer);

	spin_lock(&tw->lock);
	if (tw->hashed) {
		xtcp_mib_inc(read_pnet(&tw->net), XTCP_MIB_TWKILLED);
		xtcp_note_tw(tw, tw->substate, TCP_CLOSE, XTCP_TW_EV_KILLED);
	}
	xtcp_tw_unhash(tw);
	spin_unlock(&tw->lock);
	xtcp_tw_put(tw);
}

/* (Re)start the timer; a pending timer holds a reference. */
static void xtcp_tw_schedule(struct xtcp_tw_sock *tw, int timeo)
{
	if (!mod_timer(&tw->timer, jiffies + timeo))
		refcount_inc(&tw->refcnt);
}

/* Remove the minisock now (XTCP_TW_EV_*); called with tw->lock held. */
static void xtcp_tw_kill(struct xtcp_tw_sock *tw, int why)
{
	if (timer_delete(&tw->timer))
		xtcp_tw_put(tw);
	if (tw->hashed) {
		xtcp_mib_inc(read_pnet(&tw->net), XTCP_MIB_TWKILLED);
		xtcp_note_tw(tw, tw->substate, TCP_CLOSE, why);
	}
	xtcp_tw_unhash(tw);
}

/**
 * xtcp_time_wait() - hand a closing connection to a time-wait minisock
 * @sk: socket, locked, in FIN_WAIT1/FIN_WAIT2/CLOSING
 * @substate: TCP_TIME_WAIT, or TCP_FIN_WAIT2 for an orphan awaiting FIN
 * @timeo: lifetime, in jiffies
 *
 * The socket goes to CLOSE (and is freed if orphaned); the minisock takes
 * over its 4-tuple and port.  Past net.xtcp.max_tw_buckets, or with no
 * memory, the connection just closes (counted), as Linux does.
 */
void xtcp_time_wait(struct sock *sk, int substate, int timeo)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_tw_sock *tw = NULL;

	if (atomic_read(&xn->tw_count) < READ_ONCE(xn->sysctl.max_tw_buckets))
		tw = kmem_cache_alloc(xtcp_tw_cachep, GFP_ATOMIC);
	if (!tw)
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_TWOVERFLOW);
	if (tw) {
		write_pnet(&tw->net, sock_net(sk));
		tw->saddr = sk->sk_rcv_saddr;
		tw->daddr = sk->sk_daddr;
		tw->family = sk->sk_family;
		tw->v6_saddr = sk->sk_v6_rcv_saddr;
		tw->v6_daddr = sk->sk_v6_daddr;
		tw->ipv6only = ipv6_only_sock(sk);
		tw->tclass = xtcp_sk_v6(sk) ? inet6_sk(sk)->tclass :
					      READ_ONCE(inet_sk(sk)->tos);
		tw->flowlabel = xtcp_sk_v6(sk) ? inet6_sk(sk)->flow_label : 0;
		tw->txhash = sk->sk_txhash;
		tw->sport = inet_sk(sk)->inet_sport;
		tw->dport = sk->sk_dport;
		tw->snd_nxt = xs->snd_nxt;
		tw->rcv_nxt = xs->rcv_nxt;
		tw->substate = substate;
		tw->tstamp_ok = xs->tstamp_ok;
		tw->ts_recent = xs->ts_recent;
		tw->ts_recent_stamp = xs->ts_recent_stamp;
		tw->ts_off = xs->ts_off;
		tw->rcv_wnd = min_t(u32, xs->rcv_wnd >> xs->rcv_wscale, 65535U);
		tw->bound_dev_if = sk->sk_bound_dev_if;
		tw->mark = READ_ONCE(sk->sk_mark);
		tw->reuse = sk->sk_reuse != SK_NO_REUSE;
		tw->hashed = 0;
		/*
		 * The tables' reference and the timer's, the timer armed
		 * before the minisock is published: once hashed, another CPU
		 * may end it at once (RST, tw_reuse).
		 */
		refcount_set(&tw->refcnt, 2);
		spin_lock_init(&tw->lock);
		timer_setup(&tw->timer, xtcp_tw_timer_fn, 0);
		mod_timer(&tw->timer, jiffies + timeo);
		xtcp_note_tw(tw, 0, substate, XTCP_TW_EV_CREATED);
		xtcp_ehash_replace(sk, tw);
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_TWCREATED);
		xs->tw_handoff = 1;
	}
	if (sk->sk_state != substate) {
		xtcp_note_state(sk, sk->sk_state, substate);
		inet_sk_set_state(sk, substate);
	}
	xtcp_done(sk);
}

/*
 * <SEQ=SND.NXT><ACK=RCV.NXT> with @flags, from the minisock, in answer
 * to @skb: with net.ipv4.fwmark_reflect, marked as @skb was.
 */
static void xtcp_tw_send(struct xtcp_tw_sock *tw, const struct sk_buff *skb,
			 u8 flags)
{
	struct net *net = read_pnet(&tw->net);
	/* RFC 7323 3.2: once negotiated, every segment but a RST has TSopt. */
	struct xtcp_opts o = {
		.wscale = -1,
		.ts = true,
		.tsval = xtcp_clock_ms() + tw->ts_off,
		.tsecr = tw->ts_recent,
	};
	struct xtcp_ctl c = {
		.net = net,
		.oif = tw->bound_dev_if,
		.saddr = tw->saddr,
		.daddr = tw->daddr,
		.saddr6 = tw->v6_saddr,
		.daddr6 = tw->v6_daddr,
		/* A RST has the segment's class, as tcp_v{4,6}_send_reset(). */
		.tclass = (flags & XTCPHDR_RST ? xtcp_skb_dsfield(skb) :
			   tw->tclass) & ~INET_ECN_MASK,
		.flowlabel = tw->flowlabel,
		.txhash = tw->txhash,
		.sport = tw->sport,
		.dport = tw->dport,
		.seq = tw->snd_nxt,
		.ack = tw->rcv_nxt,
		.flags = flags,
		.window = flags & XTCPHDR_RST ? 0 : tw->rcv_wnd,
		.o = tw->tstamp_ok && !(flags & XTCPHDR_RST) ? &o : NULL,
	};

	if (xtcp_tuple_v6(tw->family, &tw->v6_daddr)) {
		c.family = AF_INET6;
		c.mark = IP6_REPLY_MARK(net, skb->mark) ?: tw->mark;
		if (!c.oif && ipv6_addr_type(&c.daddr6) & IPV6_ADDR_LINKLOCAL)
			c.oif = XTCP_SKB_CB(skb)->iif;
	} else {
		c.family = AF_INET;
		c.mark = IP4_REPLY_MARK(net, skb->mark) ?: tw->mark;
	}
	xtcp_send_ctl(&c);
}

/**
 * xtcp_tw_rcv() - a segment for a time-wait minisock
 * @tw: minisock, referenced by the caller
 * @skb: segment, control block filled in; the caller frees it
 *
 * Applies xtcp_tw_verdict().
 *
 * Return: true if the segment should be offered to a listener.
 */
bool xtcp_tw_rcv(struct xtcp_tw_sock *tw, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct net *net = read_pnet(&tw->net);
	bool to_listener = false;

	spin_lock(&tw->lock);
	if (!tw->hashed)
		goto out;

	switch (xtcp_tw_verdict(tw->substate, tw->rcv_nxt, tw->tstamp_ok,
				tw->ts_recent, cb->flags, cb->seq, cb->end_seq,
				cb->has_ts, cb->tsval)) {
	case XTCP_TW_IGNORE:
		break;
	case XTCP_TW_ACK_RESTART:
		xtcp_tw_schedule(tw, xtcp_tw_len(net));
		fallthrough;
	case XTCP_TW_ACK:
		xtcp_tw_send(tw, skb, XTCPHDR_ACK);
		break;
	case XTCP_TW_FIN:
		tw->rcv_nxt++;
		xtcp_note_tw(tw, tw->substate, TCP_TIME_WAIT, -1);
		tw->substate = TCP_TIME_WAIT;
		xtcp_tw_send(tw, skb, XTCPHDR_ACK);
		xtcp_tw_schedule(tw, xtcp_tw_len(net));
		break;
	case XTCP_TW_RST_KILL:
		xtcp_tw_send(tw, skb, XTCPHDR_RST | XTCPHDR_ACK);
		fallthrough;
	case XTCP_TW_KILL:
		xtcp_tw_kill(tw, XTCP_TW_EV_KILLED);
		break;
	case XTCP_TW_SYN:
		xtcp_tw_kill(tw, XTCP_TW_EV_REUSED);
		to_listener = true;
		break;
	}
out:
	spin_unlock(&tw->lock);
	return to_listener;
}

/* Namespace exit: no connection is left, only minisocks. */
void xtcp_tw_purge_net(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	struct xtcp_tw_sock *tw;
	int i;

	for (i = 0; i < ARRAY_SIZE(xn->twhash); i++) {
		for (;;) {
			spin_lock_bh(&xn->lock);
			tw = hlist_entry_safe(xn->twhash[i].first,
					      struct xtcp_tw_sock, node);
			if (tw)
				refcount_inc(&tw->refcnt);
			spin_unlock_bh(&xn->lock);
			if (!tw)
				break;
			if (timer_delete_sync(&tw->timer))
				xtcp_tw_put(tw);
			if (tw->hashed)
				xtcp_note_tw(tw, tw->substate, TCP_CLOSE,
					     XTCP_TW_EV_KILLED);
			xtcp_tw_unhash(tw);
			xtcp_tw_put(tw);
		}
	}
}

int xtcp_minisocks_init(void)
{
	xtcp_tw_cachep = kmem_cache_create("xtcp_tw_sock",
					   sizeof(struct xtcp_tw_sock), 0,
					   SLAB_ACCOUNT, NULL);
	xtcp_req_cachep = kmem_cache_create("xtcp_request_sock",
					    sizeof(struct xtcp_request_sock),
					    0, SLAB_ACCOUNT, NULL);
	if (!xtcp_tw_cachep || !xtcp_req_cachep) {
		xtcp_minisocks_exit();
		return -ENOMEM;
	}
	return 0;
}

void xtcp_minisocks_exit(void)
{
	rcu_barrier();	/* time-wait minisocks freed with call_rcu() */
	kmem_cache_destroy(xtcp_tw_cachep);
	kmem_cache_destroy(xtcp_req_cachep);
}
