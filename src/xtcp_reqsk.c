// SPDX-License-Identifier: GPL-2.0
/*
 * The passive side of the three-way handshake (RFC 9293 3.5): a SYN to
 * a listener creates a request minisock in its SYN queue and is answered
 * with a SYN-ACK; the final ACK turns the request into a full socket on
 * the accept queue.  Backlog semantics follow Linux: when the accept
 * queue is full, SYNs and final ACKs are dropped and counted.
 *
 * The queues are changed under the listener's bh lock, or by its owner.
 */
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "xtcp.h"
#include "xtcp_cookie.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"
#include "xtcp_reqsk.h"
#include "xtcp_seq.h"
#include "xtcp_timer.h"
#include <trace/events/xtcp.h>

enum { XTCP_DROP_SYNQ, XTCP_DROP_ACCEPTQ, XTCP_DROP_NOMEM };

/* Count and trace a SYN or final ACK the listener drops. */
static void xtcp_listen_drop(struct sock *sk, const struct sk_buff *skb,
			     enum xtcp_mib_item item, int reason)
{
	const struct xtcphdr *th = xtcp_hdr(skb);
	struct xtcp_trace_addr a;

	xtcp_mib_inc(sock_net(sk), item);
	trace_xtcp_listen_drop(xtcp_trace_addr_skb(&a, skb, th->source,
						   th->dest), reason);
}

static siphash_aligned_key_t xtcp_cookie_key;

/* One call site only: net_get_random_once() keeps its flag per site. */
static const siphash_key_t *xtcp_cookie_secret(void)
{
	net_get_random_once(&xtcp_cookie_key, sizeof(xtcp_cookie_key));
	return &xtcp_cookie_key;
}

/* One tick of the cookie clock: 64 s. */
static u32 xtcp_cookie_now(void)
{
	return (u32)(ktime_get_seconds() >> 6);
}

static void xtcp_reqsk_put(struct xtcp_request_sock *req)
{
	if (refcount_dec_and_test(&req->refcnt)) {
		sock_put(req->listener);
		kmem_cache_free(xtcp_req_cache(), req);
	}
}

/* Take @req off the SYN queue; the queue's reference goes with it. */
static void xtcp_reqsk_unlink(struct sock *sk, struct xtcp_request_sock *req);

/* The request ends without a connection: SYN_RECV -> CLOSED. */
static void xtcp_reqsk_drop(struct sock *sk, struct xtcp_request_sock *req)
{
	if (req->queued)
		xtcp_note_req_state(sock_net(sk), req, TCP_SYN_RECV, TCP_CLOSE);
	xtcp_reqsk_unlink(sk, req);
}

static void xtcp_reqsk_unlink(struct sock *sk, struct xtcp_request_sock *req)
{
	struct xtcp_listen *l = xtcp_sk(sk)->listen;

	if (!req->queued)
		return;
	req->queued = 0;
	list_del(&req->node);
	hlist_del(&req->hnode);
	l->syn_qlen--;
	if (timer_delete(&req->timer))
		xtcp_reqsk_put(req);
	xtcp_reqsk_put(req);
}

/*
 * A SYN-ACK is the listener's segment: its TTL or hop limit, TOS or
 * traffic class, IPv6 options, DF and priority, as TCP sends it.  With
 * net.xtcp.reflect_tos it has the SYN's @syn_tos but its own ECN bits;
 * with REPFLOW (net.ipv6.flowlabel_reflect 1) the SYN's @label, as
 * tcp_v6_send_synack().
 */
static void xtcp_ctl_listener(struct xtcp_ctl *c, const struct sock *sk,
			      u8 syn_tos, __be32 label)
{
	u8 tos = c->family == AF_INET6 ? inet6_sk(sk)->tclass :
					 READ_ONCE(inet_sk(sk)->tos);

	c->sk = sk;
	if (READ_ONCE(xtcp_sysctl(sock_net(sk))->reflect_tos))
		tos = (syn_tos & ~INET_ECN_MASK) | (tos & INET_ECN_MASK);
	c->tclass = tos;
	if (c->family == AF_INET6 && xtcp_repflow6(sk))
		c->flowlabel = label;
}

static void xtcp_send_synack(const struct sock *sk,
			     const struct xtcp_request_sock *req)
{
	struct xtcp_opts o = {
		.mss = req->advmss,
		.wscale = req->wscale_ok ? req->rcv_wscale : -1,
		.ts = req->ts_ok,
		.sack_ok = req->sack_ok,	/* RFC 2018 2: echo it */
		.tsval = xtcp_clock_ms() + req->ts_off,
		.tsecr = req->ts_recent,
	};

	struct xtcp_ctl c = {
		.net = sock_net(sk),
		.oif = READ_ONCE(sk->sk_bound_dev_if) ?: req->iif,
		.mark = READ_ONCE(sk->sk_mark),
		.family = req->family,
		.saddr = req->laddr,
		.daddr = req->raddr,
		.saddr6 = req->laddr6,
		.daddr6 = req->raddr6,
		.sport = req->lport,
		.dport = req->rport,
		.seq = req->iss,
		.ack = req->irs + 1,
		.flags = XTCPHDR_SYN | XTCPHDR_ACK,
		.window = min_t(u32, req->rcv_wnd, 65535U),
		.txhash = req->txhash,
		.o = &o,
	};

	xtcp_ctl_listener(&c, sk, req->syn_tos, req->flowlabel);
	xtcp_send_ctl(&c);
}

/* XTCP_TIMER_SYNACK: resend the SYN-ACK with backoff, then give up. */
static void xtcp_reqsk_timer_fn(struct timer_list *t)
{
	struct xtcp_request_sock *req = from_timer(req, t, timer);
	struct sock *sk = req->listener;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		mod_timer(&req->timer, jiffies + HZ / 20);
		bh_unlock_sock(sk);
		return;	/* the pending timer keeps its reference */
	}
	if (req->queued && sk->sk_state == TCP_LISTEN) {
		struct xtcp_sock *lxs = xtcp_sk(sk);
		/* The listener's TCP_SYNCNT bounds SYN-ACKs, as in TCP. */
		int max = READ_ONCE(lxs->syn_retries) ?:
			  READ_ONCE(xtcp_sysctl(sock_net(sk))->synack_retries);
		int defer = READ_ONCE(lxs->defer_accept);
		bool expire, resend;

		/*
		 * As syn_ack_recalc(): a request whose bare ACK was dropped
		 * for TCP_DEFER_ACCEPT lives out the deferral, and gets a
		 * SYN-ACK again only at its end, a last chance for data.
		 */
		expire = req->retries >= max &&
			 (!defer || !req->acked || req->retries >= defer);
		resend = !defer || !req->acked || req->retries >= defer - 1;
		if (!expire) {
			req->retries++;
			if (resend) {
				xtcp_mib_inc(sock_net(sk), XTCP_MIB_RETRANSSEGS);
				/* Another path, maybe (tcp_rtx_synack()). */
				if (READ_ONCE(sk->sk_txrehash) ==
				    SOCK_TXREHASH_ENABLED)
					req->txhash = net_tx_rndhash();
				xtcp_send_synack(sk, req);
				xtcp_note_synack_rtx(req);
			}
			mod_timer(&req->timer, jiffies +
				  xtcp_synack_backoff(req->retries));
			bh_unlock_sock(sk);
			return;
		}
		xtcp_reqsk_drop(sk, req);
	}
	bh_unlock_sock(sk);
	xtcp_reqsk_put(req);
}

/* The key of the request a segment of @skb would belong to. */
static void xtcp_req_key_skb(struct xtcp_req_key *k, const struct sk_buff *skb)
{
	memset(k, 0, sizeof(*k));
	k->rport = xtcp_hdr(skb)->source;
	if (xtcp_skb_v6(skb)) {
		k->family = AF_INET6;
		k->laddr6 = ipv6_hdr(skb)->daddr;
		k->raddr6 = ipv6_hdr(skb)->saddr;
	} else {
		k->family = AF_INET;
		k->laddr = ip_hdr(skb)->daddr;
		k->raddr = ip_hdr(skb)->saddr;
	}
}

static bool xtcp_req_match(const struct xtcp_request_sock *req,
			   const struct xtcp_req_key *k)
{
	if (req->family != k->family || req->rport != k->rport)
		return false;
	if (k->family == AF_INET6)
		return ipv6_addr_equal(&req->raddr6, &k->raddr6) &&
		       ipv6_addr_equal(&req->laddr6, &k->laddr6);
	return req->raddr == k->raddr && req->laddr == k->laddr;
}

/*
 * The SYN queue hash, keyed with a boot-time secret so that a peer
 * cannot choose addresses and ports that fill one bucket (as the
 * secret of inet_ehashfn() keeps TCP's tables).
 */
static struct hlist_head *xtcp_synq_bucket(struct xtcp_listen *l,
					   const struct xtcp_req_key *k)
{
	static u32 xtcp_synq_secret __read_mostly;
	u32 raddr, laddr;

	net_get_random_once(&xtcp_synq_secret, sizeof(xtcp_synq_secret));
	if (k->family == AF_INET6) {
		raddr = jhash2((const u32 *)&k->raddr6, 4, xtcp_synq_secret);
		laddr = jhash2((const u32 *)&k->laddr6, 4, xtcp_synq_secret);
	} else {
		raddr = (__force u32)k->raddr;
		laddr = (__force u32)k->laddr;
	}
	return &l->syn_hash[hash_32(jhash_3words(raddr, (__force u32)k->rport,
						 laddr, xtcp_synq_secret),
				    XTCP_SYNQ_HASH_BITS)];
}

static struct xtcp_request_sock *xtcp_reqsk_lookup(struct sock *sk,
						   const struct xtcp_req_key *k)
{
	struct xtcp_listen *l = xtcp_sk(sk)->listen;
	struct xtcp_request_sock *req;

	hlist_for_each_entry(req, xtcp_synq_bucket(l, k), hnode)
		if (xtcp_req_match(req, k))
			return req;
	return NULL;
}

static struct xtcp_request_sock *xtcp_reqsk_find(struct sock *sk,
						 const struct sk_buff *skb)
{
	struct xtcp_req_key k;

	xtcp_req_key_skb(&k, skb);
	return xtcp_reqsk_lookup(sk, &k);
}

/* The key of a request, for its place in the SYN queue hash. */
static void xtcp_req_key_of(struct xtcp_req_key *k,
			    const struct xtcp_request_sock *req)
{
	memset(k, 0, sizeof(*k));
	k->family = req->family;
	k->rport = req->rport;
	k->laddr = req->laddr;
	k->raddr = req->raddr;
	k->laddr6 = req->laddr6;
	k->raddr6 = req->raddr6;
}

/**
 * xtcp_reqsk_err() - an ICMP error quoted a SYN-ACK of the listener
 * @sk: listener, referenced by the caller
 * @k: the SYN-ACK's addresses and destination port
 * @seq: its sequence number
 * @abort: the error says the peer cannot be reached
 *
 * As tcp_req_err(): only an error that quotes the request's ISS counts,
 * and then the request goes silently (POSIX wants no network error from
 * accept()).  The SYN queue changes under the listener's lock only, so
 * an error that finds the listener owned by its user is dropped.
 *
 * Return: false if the quoted sequence number did not match a request.
 */
bool xtcp_reqsk_err(struct sock *sk, const struct xtcp_req_key *k, u32 seq,
		    bool abort)
{
	struct xtcp_request_sock *req;
	bool ok = true;

	bh_lock_sock(sk);
	if (sk->sk_state != TCP_LISTEN)
		goto out;	/* closed meanwhile: its requests are gone */
	if (sock_owned_by_user(sk)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_LOCKDROPPEDICMPS);
		goto out;
	}
	req = xtcp_reqsk_lookup(sk, k);
	if (!req || seq != req->iss)
		ok = false;
	else if (abort)
		xtcp_reqsk_drop(sk, req);
out:
	bh_unlock_sock(sk);
	return ok;
}

/* Our MSS for a SYN that arrived on @skb's device (RFC 9293 3.7.1). */
static u16 xtcp_syn_advmss(const struct sk_buff *skb)
{
	int hdrs = (xtcp_skb_v6(skb) ? sizeof(struct ipv6hdr) :
				       sizeof(struct iphdr)) +
		   sizeof(struct xtcphdr);

	return clamp_t(int, READ_ONCE(skb->dev->mtu) - hdrs, XTCP_DEFAULT_MSS,
		       65535);
}

/*
 * The addresses a SYN cookie covers: an IPv6 address enters the IPv4
 * formula of xtcp_cookie.h as its keyed digest (xtcp_addr6_fold()).
 */
static void xtcp_cookie_addrs(const struct sk_buff *skb, __be32 *saddr,
			      __be32 *daddr)
{
	if (xtcp_skb_v6(skb)) {
		*saddr = (__force __be32)xtcp_addr6_fold(&ipv6_hdr(skb)->saddr);
		*daddr = (__force __be32)xtcp_addr6_fold(&ipv6_hdr(skb)->daddr);
	} else {
		*saddr = ip_hdr(skb)->saddr;
		*daddr = ip_hdr(skb)->daddr;
	}
}

/* Fill a request's addresses and ports from its SYN (or cookie ACK). */
static void xtcp_req_addrs(struct xtcp_request_sock *req,
			   const struct sk_buff *skb)
{
	struct xtcp_req_key k;

	xtcp_req_key_skb(&k, skb);
	req->family = k.family;
	req->laddr = k.laddr;
	req->raddr = k.raddr;
	req->laddr6 = k.laddr6;
	req->raddr6 = k.raddr6;
	req->lport = xtcp_hdr(skb)->dest;
	req->rport = k.rport;
	/* RFC 4007 6: a link-local peer is only reachable by that link. */
	req->iif = k.family == AF_INET6 &&
		   (ipv6_addr_type(&k.raddr6) & IPV6_ADDR_LINKLOCAL) ?
		   XTCP_SKB_CB(skb)->iif : 0;
	req->syn_tos = xtcp_skb_dsfield(skb);
	req->flowlabel = k.family == AF_INET6 ?
			 ip6_flowlabel(ipv6_hdr(skb)) : 0;
}

/* Answer a SYN with a cookie SYN-ACK and keep nothing. */
static void xtcp_send_cookie(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcphdr *th = xtcp_hdr(skb);
	struct xtcp_trace_addr a;
	struct xtcp_opts o;
	__be32 saddr, daddr;
	struct xtcp_ctl c;
	u32 cookie, wnd;
	u8 ws;

	xtcp_parse_options(skb, &o);
	o.mss = min_t(u16, o.mss ?: XTCP_DEFAULT_MSS, xtcp_syn_advmss(skb));
	xtcp_cookie_addrs(skb, &saddr, &daddr);
	cookie = xtcp_cookie_make(xtcp_cookie_secret(), saddr, daddr,
				  th->source, th->dest, cb->seq,
				  xtcp_cookie_now(), &o.mss);
	/* No state to keep window scale, SACK or timestamps in: no offer. */
	o.wscale = -1;
	o.ts = false;
	o.sack_ok = false;
	xtcp_ctl_reply(&c, sock_net(sk), skb);
	if (READ_ONCE(sk->sk_bound_dev_if))
		c.oif = READ_ONCE(sk->sk_bound_dev_if);
	c.mark = READ_ONCE(sk->sk_mark);
	c.seq = cookie;
	c.ack = cb->seq + 1;
	c.flags = XTCPHDR_SYN | XTCPHDR_ACK;
	xtcp_select_initial_window(sk, xtcp_syn_advmss(skb), false, &wnd, &ws);
	c.window = min_t(u32, wnd, 65535U);
	c.o = &o;
	c.txhash = net_tx_rndhash();
	xtcp_ctl_listener(&c, sk, xtcp_skb_dsfield(skb),
			  c.family == AF_INET6 ?
			  ip6_flowlabel(ipv6_hdr(skb)) : 0);
	xtcp_send_ctl(&c);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESSENT);
	trace_xtcp_syncookie(xtcp_trace_addr_skb(&a, skb, th->source, th->dest),
			     cookie, 0);
}

/*
 * A final ACK that matches no request: is it the answer to a cookie?
 * If so, fill @req as the request would have been.
 */
static bool xtcp_cookie_ack(struct sock *sk, const struct sk_buff *skb,
			    struct xtcp_request_sock *req)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcphdr *th = xtcp_hdr(skb);
	int mode = READ_ONCE(xtcp_sysctl(sock_net(sk))->syncookies);
	struct xtcp_trace_addr a;
	__be32 saddr, daddr;
	u16 mss;

	if (!mode || (mode == 1 &&
		      time_after(jiffies, xtcp_sk(sk)->listen->last_overflow +
				 120 * HZ)))
		return false;
	xtcp_cookie_addrs(skb, &saddr, &daddr);
	mss = xtcp_cookie_check(xtcp_cookie_secret(), saddr, daddr,
				th->source, th->dest, cb->seq - 1,
				cb->ack_seq - 1, xtcp_cookie_now());
	trace_xtcp_syncookie(xtcp_trace_addr_skb(&a, skb, th->source, th->dest),
			     cb->ack_seq - 1, mss ? 1 : 2);
	if (!mss) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESFAILED);
		return false;
	}
	memset(req, 0, sizeof(*req));
	xtcp_req_addrs(req, skb);
	req->txhash = net_tx_rndhash();
	req->iss = cb->ack_seq - 1;
	req->irs = cb->seq - 1;
	req->mss = mss;
	req->advmss = xtcp_syn_advmss(skb);
	xtcp_select_initial_window(sk, req->advmss, false, &req->rcv_wnd,
				   &req->rcv_wscale);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_SYNCOOKIESRECV);
	return true;
}

/* A SYN for the listener: queue a request and answer SYN-ACK. */
static void xtcp_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_listen *l = xtcp_sk(sk)->listen;
	int mode = READ_ONCE(xtcp_sysctl(sock_net(sk))->syncookies);
	struct xtcp_request_sock *req;
	struct xtcp_req_key k;
	struct xtcp_opts o;

	req = xtcp_reqsk_find(sk, skb);
	if (req) {
		/* A retransmitted SYN: the SYN-ACK was lost. */
		if (cb->seq == req->irs)
			xtcp_send_synack(sk, req);
		return;
	}
	if (sk_acceptq_is_full(sk)) {
		xtcp_listen_drop(sk, skb, XTCP_MIB_LISTENDROPS,
				 XTCP_DROP_ACCEPTQ);
		return;
	}
	if (mode == 2 ||
	    l->syn_qlen >= max_t(u32, READ_ONCE(sk->sk_max_ack_backlog), 1)) {
		if (mode) {
			l->last_overflow = jiffies;
			xtcp_send_cookie(sk, skb);
		} else {
			xtcp_listen_drop(sk, skb, XTCP_MIB_LISTENDROPS,
					 XTCP_DROP_SYNQ);
		}
		return;
	}
	req = kmem_cache_alloc(xtcp_req_cache(), GFP_ATOMIC);
	if (!req) {
		xtcp_listen_drop(sk, skb, XTCP_MIB_LISTENDROPS,
				 XTCP_DROP_NOMEM);
		return;
	}
	req->listener = sk;
	sock_hold(sk);
	refcount_set(&req->refcnt, 2);	/* the queue's and the timer's */
	xtcp_req_addrs(req, skb);
	req->irs = cb->seq;
	if (req->family == AF_INET6) {
		req->iss = xtcp_isn6(&req->laddr6, &req->raddr6, req->lport,
				     req->rport);
		req->ts_off = xtcp_ts_off6(&req->laddr6, &req->raddr6);
	} else {
		req->iss = xtcp_isn(req->laddr, req->raddr, req->lport,
				    req->rport);
		req->ts_off = xtcp_ts_off(req->laddr, req->raddr);
	}
	req->advmss = xtcp_syn_advmss(skb);
	xtcp_parse_options(skb, &o);
	req->mss = xtcp_peer_mss(o.mss, xtcp_min_snd_mss(sock_net(sk)));
	req->wscale_ok = o.wscale >= 0;
	req->snd_wscale = req->wscale_ok ? o.wscale : 0;
	req->ts_ok = o.ts;
	req->sack_ok = o.sack_ok &&
		       READ_ONCE(xtcp_sysctl(sock_net(sk))->sack);
	req->ts_recent = o.tsval;
	xtcp_select_initial_window(sk, req->advmss -
				   (req->ts_ok ? XTCP_TS_OPTLEN : 0),
				   req->wscale_ok, &req->rcv_wnd,
				   &req->rcv_wscale);
	req->retries = 0;
	req->txhash = net_tx_rndhash();
	req->queued = 1;
	timer_setup(&req->timer, xtcp_reqsk_timer_fn, 0);
	list_add_tail(&req->node, &l->syn_queue);
	xtcp_req_key_of(&k, req);
	hlist_add_head(&req->hnode, xtcp_synq_bucket(l, &k));
	l->syn_qlen++;
	xtcp_note_req_state(sock_net(sk), req, TCP_LISTEN, TCP_SYN_RECV);
	req->snt_synack = xtcp_clock_us();
	xtcp_send_synack(sk, req);
	mod_timer(&req->timer, jiffies + XTCP_TIMEOUT_INIT);
}

/*
 * The final ACK: turn a clone of the listener into the connection, in
 * ESTABLISHED, hashed, not yet on the accept queue.
 */
static void xtcp_init_child(struct sock *sk, struct sock *child,
			    struct xtcp_request_sock *req,
			    const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_sock *lxs = xtcp_sk(sk);
	struct inet_sock *newinet;
	struct xtcp_sock *xs;

	newinet = inet_sk(child);
	newinet->inet_daddr = req->raddr;
	newinet->inet_rcv_saddr = req->laddr;
	newinet->inet_saddr = req->laddr;
	newinet->inet_dport = req->rport;
	RCU_INIT_POINTER(newinet->inet_opt, NULL);
	newinet->mc_list = NULL;
	/* The SYN's TOS, its ECN bits not (tcp_v4_syn_recv_sock()). */
	if (READ_ONCE(xtcp_sysctl(sock_net(sk))->reflect_tos))
		newinet->tos = req->syn_tos & ~INET_ECN_MASK;
	if (sk->sk_family == AF_INET6)
		xtcp_v6_init_child(child, sk, req);

	xs = xtcp_sk(child);
	/* Nothing of the listener's transport state carries over ... */
	memset((u8 *)xs + offsetof(struct xtcp_sock, snd_una), 0,
	       sizeof(*xs) - offsetof(struct xtcp_sock, snd_una));
	xtcp_init_xmit_state(child);
	xtcp_ca_assign(child, sk);
	/* ... but its SOL_TCP options do, as in-tree TCP's. */
	xs->user_mss = lxs->user_mss;
	xs->nodelay = lxs->nodelay;
	xs->cork = lxs->cork;
	xs->pingpong = lxs->pingpong;
	xs->keepidle = lxs->keepidle;
	xs->keepintvl = lxs->keepintvl;
	xs->notsent_lowat = lxs->notsent_lowat;
	xs->window_clamp = lxs->window_clamp;
	xs->linger2 = lxs->linger2;
	xs->syn_retries = lxs->syn_retries;
	xs->recvmsg_inq = lxs->recvmsg_inq;
	xs->keepcnt = lxs->keepcnt;
	xs->user_timeout = lxs->user_timeout;
	child->sk_txhash = req->txhash;	/* the SYN-ACK's flow label */
	xs->iss = req->iss;
	xs->irs = req->irs;
	xs->snd_una = req->iss + 1;
	xs->snd_nxt = req->iss + 1;
	xs->write_seq = req->iss + 1;
	xs->pushed_seq = xs->write_seq;
	xs->rcv_nxt = req->irs + 1;
	xs->copied_seq = req->irs + 1;
	xs->snd_wscale = req->snd_wscale;
	xs->rcv_wscale = req->rcv_wscale;
	xs->snd_wnd = (u32)cb->window << xs->snd_wscale;
	xs->max_window = xs->snd_wnd;
	xs->rcv_tstamp = jiffies;
	xs->last_oow_ack_time = 0;
	xs->snd_wl1 = cb->seq;
	xs->snd_wl2 = cb->ack_seq;
	xs->rcv_wnd = req->rcv_wnd;
	xs->advmss = req->advmss;
	xs->mss = min_t(u16, req->mss, xs->advmss);
	xs->tstamp_ok = req->ts_ok;
	xs->sack_ok = req->sack_ok;
	if (xs->tstamp_ok) {
		xs->ts_recent = req->ts_recent;
		xs->ts_recent_stamp = xtcp_seconds();
		xs->ts_off = req->ts_off;
		xs->mss -= XTCP_TS_OPTLEN;
	}
	xtcp_update_mss(child);
	xtcp_bound_mss(child);
	xtcp_init_transfer(child);
	/*
	 * RFC 6298 2.2: the SYN-ACK's round trip is the first RTT sample,
	 * as Linux's tcp_synack_rtt_meas() takes it: by the clock unless
	 * the SYN-ACK was resent (Karn), else by the timestamp echo.
	 * Without it the RTO stays at the initial 1 s and backs off from
	 * there when the first reply is lost.
	 */
	xtcp_rtt_update(child, cb, req->snt_synack && !req->retries ?
			(long)(xtcp_clock_us() - req->snt_synack) : -1);

	sock_prot_inuse_add(sock_net(child), child->sk_prot, 1);
	child->sk_state = TCP_SYN_RECV;
	xtcp_inherit_port(child, sk);	/* the clone's second reference */
	xtcp_set_state(child, TCP_ESTABLISHED);
}

/* The final ACK of a handshake, or something else that carries ACK. */
static void xtcp_listen_ack(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_listen *l = xtcp_sk(sk)->listen;
	struct xtcp_request_sock *req, cookie_req;
	struct sock *child;

	req = xtcp_reqsk_find(sk, skb);
	if (!req) {
		/*
		 * The ACK that made the connection may have been processed
		 * after this segment's lookup (listener backlog, or the other
		 * CPU): the segment belongs to the child now.
		 */
		rcu_read_lock();
		child = xtcp_skb_lookup(sock_net(sk), skb,
					XTCP_SKB_CB(skb)->iif,
					XTCP_SKB_CB(skb)->sdif);
		rcu_read_unlock();
		if (child) {
			xtcp_rcv_child(child, skb);
			sock_put(child);
			return;
		}
		if (xtcp_cookie_ack(sk, skb, &cookie_req))
			req = &cookie_req;	/* not queued: unlink is a no-op */
	}
	/* RFC 9293 3.10.7.4: in SYN_RECV an unacceptable ACK gets a RST. */
	if (!req || cb->ack_seq != req->iss + 1) {
		xtcp_send_reset_reply(sock_net(sk), sk, skb);
		kfree_skb(skb);
		return;
	}
	if (cb->seq != req->irs + 1) {
		kfree_skb(skb);
		return;
	}
	/* TCP_DEFER_ACCEPT: no child for a bare ACK yet (as tcp_check_req). */
	if (req->queued && cb->end_seq == req->irs + 1 &&
	    req->retries < READ_ONCE(xtcp_sk(sk)->defer_accept)) {
		req->acked = 1;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_DEFERACCEPTDROP);
		kfree_skb(skb);
		return;
	}
	if (sk_acceptq_is_full(sk)) {
		/* Linux drops the ACK; the SYN-ACK timer tries again. */
		xtcp_listen_drop(sk, skb, XTCP_MIB_LISTENOVERFLOWS,
				 XTCP_DROP_ACCEPTQ);
		kfree_skb(skb);
		return;
	}
	child = sk_clone_lock(sk, GFP_ATOMIC);
	if (!child) {
		xtcp_listen_drop(sk, skb, XTCP_MIB_LISTENDROPS,
				 XTCP_DROP_NOMEM);
		kfree_skb(skb);
		return;
	}
	__acquire(&child->sk_lock.slock);	/* sk_clone_lock() locked it */
	xtcp_init_child(sk, child, req, skb);
	xtcp_reqsk_unlink(sk, req);
	list_add_tail(&xtcp_sk(child)->accept_node, &l->accept_queue);
	l->accept_qlen++;
	sk_acceptq_added(sk);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_PASSIVEOPENS);

	/* The ACK may carry data or FIN for the new connection. */
	xtcp_rcv_state_process(child, skb);
	bh_unlock_sock(child);
	sk->sk_data_ready(sk);
}

/**
 * xtcp_listen_rcv() - a segment for a listening socket
 * @sk: listener, locked
 * @skb: segment; consumed
 *
 * RFC 9293 3.10.7.2: a RST matters only to a request (3.10.7.4: back to
 * LISTEN); an ACK is for a request (or gets a RST); a SYN starts one.
 *
 * Return: 0.
 */
int xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	u8 flags = XTCP_SKB_CB(skb)->flags;
	struct xtcp_request_sock *req;

	if (flags & XTCPHDR_RST) {
		/* SYN_RECV (passive) -> LISTEN: the request is dropped. */
		req = xtcp_reqsk_find(sk, skb);
		if (req && XTCP_SKB_CB(skb)->seq == req->irs + 1)
			xtcp_reqsk_drop(sk, req);
		goto drop;
	}
	if (flags & XTCPHDR_ACK) {
		if (flags & XTCPHDR_SYN) {
			xtcp_send_reset_reply(sock_net(sk), sk, skb);
			goto drop;
		}
		xtcp_listen_ack(sk, skb);
		return 0;
	}
	if (flags & XTCPHDR_SYN)
		xtcp_listen_syn(sk, skb);
drop:
	kfree_skb(skb);
	return 0;
}

/**
 * xtcp_listen_start() - move a bound socket to LISTEN
 * @sk: socket, locked, bound
 * @backlog: accept queue limit
 *
 * Return: 0, -ENOMEM, or -EADDRINUSE if another listener has the port.
 */
int xtcp_listen_start(struct sock *sk, int backlog)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_listen *l;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	INIT_LIST_HEAD(&l->syn_queue);
	INIT_LIST_HEAD(&l->accept_queue);
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	xs->listen = l;
	xtcp_set_state(sk, TCP_LISTEN);
	err = xtcp_listen_hash(sk);
	if (err) {
		xtcp_note_state(sk, TCP_LISTEN, TCP_CLOSE);
		inet_sk_set_state(sk, TCP_CLOSE);
		xs->listen = NULL;
		kfree(l);
	}
	return err;
}

/* Abort a child that will never be accepted: RST, then free it. */
static void xtcp_abort_child(struct sock *child)
{
	/* Ours until unlocked: destroying it drops the queue's reference. */
	sock_hold(child);
	local_bh_disable();
	bh_lock_sock(child);
	xtcp_orphan(child);
	if (child->sk_state != TCP_CLOSE) {
		xtcp_send_active_reset(child, GFP_ATOMIC);
		xtcp_done(child);
	} else {
		xtcp_destroy(child);
	}
	bh_unlock_sock(child);
	local_bh_enable();
	sock_put(child);
}

/**
 * xtcp_listen_stop() - close a listener: drop its requests, reset its
 * unaccepted children
 * @sk: listener, owned by the caller (lock_sock)
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_listen *l = xs->listen;
	struct xtcp_request_sock *req, *rtmp;
	struct xtcp_sock *cs, *ctmp;

	xtcp_set_state(sk, TCP_CLOSE);
	if (!l)
		return;
	list_for_each_entry_safe(req, rtmp, &l->syn_queue, node)
		xtcp_reqsk_drop(sk, req);
	list_for_each_entry_safe(cs, ctmp, &l->accept_queue, accept_node) {
		list_del_init(&cs->accept_node);
		l->accept_qlen--;
		sk_acceptq_removed(sk);
		xtcp_abort_child(&cs->inet.sk);
	}
	xs->listen = NULL;
	kfree(l);
}

/* Take the oldest child off the accept queue, or NULL. */
struct sock *xtcp_accept_dequeue(struct sock *sk)
{
	struct xtcp_listen *l = xtcp_sk(sk)->listen;
	struct xtcp_sock *cs;

	if (!l || list_empty(&l->accept_queue))
		return NULL;
	cs = list_first_entry(&l->accept_queue, struct xtcp_sock, accept_node);
	list_del_init(&cs->accept_node);
	l->accept_qlen--;
	sk_acceptq_removed(sk);
	return &cs->inet.sk;
}
