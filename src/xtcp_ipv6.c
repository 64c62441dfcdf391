// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 glue: the AF_INET6 socket (struct proto, proto_ops,
 * inet_protosw), connect with IPv6 addresses, the next-header handler
 * and its ICMPv6 errors, the pseudo-header checksum (RFC 8200 8.1, next
 * header xtcp_proto) and segments without a socket.  bind() is
 * inet6_bind()'s, which calls xtcp_get_port().
 *
 * Dual stack (RFC 4291 2.5.5.2, RFC 3493 3.7): an AF_INET6 socket that
 * connects to a v4-mapped address, or that a listener on :: accepts
 * from an IPv4 peer, speaks IPv4 with the IPv4 ops (xtcp_ipv4_ops), as
 * TCP's ipv6_mapped ops; IPV6_V6ONLY keeps a socket to IPv6.
 *
 * A SYN-ACK and the connection it makes carry the listener's traffic
 * class, hop limit and IPv6 options; the connection's flow label comes
 * from IPV6_FLOWINFO_SEND and a leased label (RFC 6437), or from its
 * flow hash, drawn at random and again after a timeout (RFC 6438), as
 * TCP's.
 */
#include <linux/bpf-cgroup.h>
#include <linux/icmpv6.h>
#include <linux/in6.h>
#include <linux/security.h>
#include <net/addrconf.h>
#include <net/inet6_connection_sock.h>
#include <net/inet_common.h>
#include <net/inet_ecn.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/protocol.h>
#include <net/transp_v6.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_compat.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"
#include "xtcp_reqsk.h"
#include "xtcp_seq.h"
#include "xtcp_tw.h"

/**
 * struct xtcp6_sock - an AF_INET6 xtcp socket
 * @xs: the connection; must stay first
 * @inet6: IPv6 socket state; must stay last (inet6_sk_generic() of
 *	kernels before 6.5 finds it at the end of the object)
 */
struct xtcp6_sock {
	struct xtcp_sock	xs;
	struct ipv6_pinfo	inet6;
};

static_assert(offsetof(struct xtcp6_sock, inet6) + sizeof(struct ipv6_pinfo) ==
	      sizeof(struct xtcp6_sock));

/* False with ipv6.disable=1: then the module serves IPv4 only. */
bool xtcp_v6_enabled(void)
{
	return ipv6_mod_enabled();
}

/* RFC 8200 8.1: the pseudo-header, next header xtcp_proto. */
static void xtcp_v6_send_check(struct sock *sk, struct sk_buff *skb)
{
	struct xtcphdr *th = xtcp_hdr(skb);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct xtcphdr, check);
	th->check = ~csum_ipv6_magic(&inet6_sk(sk)->saddr, &sk->sk_v6_daddr,
				     skb->len, xtcp_proto, 0);
}

/* The socket's flow, as inet6_csk_route_socket() builds it. */
static void xtcp_v6_flow(struct sock *sk, struct flowi6 *fl6)
{
	struct ipv6_pinfo *np = inet6_sk(sk);

	memset(fl6, 0, sizeof(*fl6));
	fl6->flowi6_proto = xtcp_proto;
	fl6->daddr = sk->sk_v6_daddr;
	fl6->saddr = np->saddr;
	fl6->flowlabel = np->flow_label;
	fl6->flowi6_oif = sk->sk_bound_dev_if;
	fl6->flowi6_mark = sk->sk_mark;
	fl6->fl6_sport = inet_sk(sk)->inet_sport;
	fl6->fl6_dport = inet_sk(sk)->inet_dport;
	fl6->flowi6_uid = sk->sk_uid;
	security_sk_classify_flow(sk, flowi6_to_flowi_common(fl6));
}

/* Extension headers (IPV6_HOPOPTS, _RTHDR, _DSTOPTS) in front of ours. */
static u16 xtcp_v6_ext_hdr_len(const struct sock *sk)
{
	const struct ipv6_txoptions *opt;
	u16 len = 0;

	rcu_read_lock();
	opt = rcu_dereference(inet6_sk(sk)->opt);
	if (opt)
		len = opt->opt_flen + opt->opt_nflen;
	rcu_read_unlock();
	return len;
}

/* The socket's route, looked up again and cached. */
static struct dst_entry *xtcp_v6_reroute(struct sock *sk)
{
	struct in6_addr *final_p, final;
	struct dst_entry *dst;
	struct flowi6 fl6;

	xtcp_v6_flow(sk, &fl6);
	rcu_read_lock();
	final_p = fl6_update_dst(&fl6, rcu_dereference(inet6_sk(sk)->opt),
				 &final);
	rcu_read_unlock();
	dst = ip6_dst_lookup_flow(sock_net(sk), sk, &fl6, final_p);
	if (IS_ERR(dst))
		return NULL;
	ip6_dst_store(sk, dst, NULL, NULL);
	return dst;
}

const struct xtcp_af_ops xtcp_ipv6_ops = {
	.queue_xmit	= inet6_csk_xmit,
	.send_check	= xtcp_v6_send_check,
	.reroute	= xtcp_v6_reroute,
	.ext_hdr_len	= xtcp_v6_ext_hdr_len,
	.net_header_len	= sizeof(struct ipv6hdr),
	.family		= AF_INET6,
};

/* Checksum, route and send a segment of xtcp_send_ctl(). */
int xtcp_v6_send_ctl(const struct xtcp_ctl *c, struct sk_buff *skb)
{
	const struct sock *sk = c->sk ?: xtcp_pernet(c->net)->ctl_sk6;
	struct in6_addr *final_p = NULL, final;
	struct xtcphdr *th = xtcp_hdr(skb);
	struct ipv6_txoptions *opt = NULL;
	struct dst_entry *dst;
	struct flowi6 fl6;
	int err;

	th->check = csum_ipv6_magic(&c->saddr6, &c->daddr6, skb->len,
				    xtcp_proto, csum_partial(th, skb->len, 0));
	/* As tcp_v6_send_response(): the socket's device and mark. */
	memset(&fl6, 0, sizeof(fl6));
	fl6.daddr = c->daddr6;
	fl6.saddr = c->saddr6;
	fl6.flowlabel = c->flowlabel;
	fl6.flowi6_proto = xtcp_proto;
	fl6.flowi6_oif = c->oif;
	fl6.flowi6_mark = c->mark;
	fl6.fl6_dport = c->dport;
	fl6.fl6_sport = c->sport;
	fl6.flowi6_uid = sock_net_uid(c->net, NULL);
	rcu_read_lock();
	/* A listener's SYN-ACK carries its options (tcp_v6_send_synack()). */
	if (c->sk) {
		opt = rcu_dereference(inet6_sk(c->sk)->opt);
		final_p = fl6_update_dst(&fl6, opt, &final);
	}
	dst = ip6_dst_lookup_flow(c->net, sk, &fl6, final_p);
	if (IS_ERR(dst)) {
		rcu_read_unlock();
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	skb_dst_set(skb, dst);
	memset(IP6CB(skb), 0, sizeof(struct inet6_skb_parm));
	if (c->txhash)	/* the flow label follows it (ip6_make_flowlabel()) */
		skb_set_hash(skb, c->txhash, PKT_HASH_TYPE_L4);
	err = ip6_xmit(sk, skb, &fl6, c->mark, opt, c->tclass,
		       c->sk ? READ_ONCE(c->sk->sk_priority) : 0);
	rcu_read_unlock();
	return err;
}

/* Forget the peer (and the local address bind() did not fix). */
static void xtcp_v6_clear_addrs(struct sock *sk)
{
	sk->sk_v6_daddr = in6addr_any;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		sk->sk_v6_rcv_saddr = in6addr_any;
		inet6_sk(sk)->saddr = in6addr_any;
	}
	xtcp_sk(sk)->af_ops = &xtcp_ipv6_ops;
}

/*
 * cgroup/connect6 programs, as tcp_v6_pre_connect() runs them: before
 * connect(), with the socket locked.
 */
static int xtcp_v6_pre_connect(struct sock *sk, struct sockaddr *uaddr,
			       int addr_len)
{
	if (addr_len < SIN6_LEN_RFC2133)
		return -EINVAL;
	sock_owned_by_me(sk);
	return xtcp_bpf_connect6(sk, uaddr, &addr_len);
}

/*
 * An AF_INET6 socket connecting to a v4-mapped peer has its IPv4 source
 * now: its IPv6 one is the same address, mapped, before the socket is
 * hashed (bind conflicts read it).
 */
void xtcp_v6_set_mapped_saddr(struct sock *sk)
{
	ipv6_addr_set_v4mapped(inet_sk(sk)->inet_saddr, &inet6_sk(sk)->saddr);
	ipv6_addr_set_v4mapped(inet_sk(sk)->inet_rcv_saddr,
			       &sk->sk_v6_rcv_saddr);
}

/* An AF_INET6 socket to a v4-mapped peer: connect by IPv4. */
static int xtcp_v6_connect_mapped(struct sock *sk,
				  const struct sockaddr_in6 *usin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int err;

	if (ipv6_only_sock(sk))
		return -ENETUNREACH;
	xs->af_ops = &xtcp_ipv4_ops;
	err = xtcp_v4_connect_to(sk, usin->sin6_addr.s6_addr32[3],
				 usin->sin6_port);
	if (err)
		xtcp_v6_clear_addrs(sk);
	return err;
}

/* RFC 9293 3.10.1 OPEN (active), as tcp_v6_connect(). */
static int xtcp_v6_connect(struct sock *sk, struct sockaddr *uaddr,
			   int addr_len)
{
	struct sockaddr_in6 *usin = (struct sockaddr_in6 *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct in6_addr *saddr = NULL, *final_p, final;
	struct ipv6_txoptions *opt;
	struct dst_entry *dst;
	struct flowi6 fl6;
	int addr_type, err;
	u32 isn = 0;

	if (addr_len < SIN6_LEN_RFC2133)
		return -EINVAL;
	if (usin->sin6_family != AF_INET6)
		return -EAFNOSUPPORT;

	/*
	 * RFC 6437 3: IPV6_FLOWINFO_SEND sends sin6_flowinfo's label, which
	 * must be one the socket leased if leases are exclusive here.
	 */
	memset(&fl6, 0, sizeof(fl6));
	if (xtcp_sndflow6(sk)) {
		fl6.flowlabel = usin->sin6_flowinfo & IPV6_FLOWINFO_MASK;
		IP6_ECN_flow_init(fl6.flowlabel);
		if (fl6.flowlabel & IPV6_FLOWLABEL_MASK) {
			struct ip6_flowlabel *flowlabel;

			flowlabel = fl6_sock_lookup(sk, fl6.flowlabel);
			if (IS_ERR(flowlabel))
				return -EINVAL;
			fl6_sock_release(flowlabel);
		}
	}

	/* connect(::) is a connect to the loopback address, as TCP's. */
	if (ipv6_addr_any(&usin->sin6_addr)) {
		if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK),
					       &usin->sin6_addr);
		else
			usin->sin6_addr = in6addr_loopback;
	}
	addr_type = ipv6_addr_type(&usin->sin6_addr);
	if (addr_type & IPV6_ADDR_MULTICAST)
		return -ENETUNREACH;
	if (addr_type & IPV6_ADDR_LINKLOCAL) {
		if (addr_len >= sizeof(struct sockaddr_in6) &&
		    usin->sin6_scope_id) {
			/* RFC 4007 11.7: the zone names the link. */
			if (!sk_dev_equal_l3scope(sk, usin->sin6_scope_id))
				return -EINVAL;
			sk->sk_bound_dev_if = usin->sin6_scope_id;
		}
		if (!sk->sk_bound_dev_if)
			return -EINVAL;
	}

	sk->sk_v6_daddr = usin->sin6_addr;
	np->flow_label = fl6.flowlabel;
	if (addr_type & IPV6_ADDR_MAPPED)
		return xtcp_v6_connect_mapped(sk, usin);
	xtcp_sk(sk)->af_ops = &xtcp_ipv6_ops;

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		saddr = &sk->sk_v6_rcv_saddr;
	fl6.flowi6_proto = xtcp_proto;
	fl6.daddr = sk->sk_v6_daddr;
	fl6.saddr = saddr ? *saddr : np->saddr;
	fl6.flowi6_oif = sk->sk_bound_dev_if;
	fl6.flowi6_mark = sk->sk_mark;
	fl6.fl6_dport = usin->sin6_port;
	fl6.fl6_sport = inet->inet_sport;
	fl6.flowi6_uid = sk->sk_uid;
	opt = rcu_dereference_protected(np->opt, lockdep_sock_is_held(sk));
	final_p = fl6_update_dst(&fl6, opt, &final);
	security_sk_classify_flow(sk, flowi6_to_flowi_common(&fl6));
	dst = ip6_dst_lookup_flow(sock_net(sk), sk, &fl6, final_p);
	if (IS_ERR(dst)) {
		err = PTR_ERR(dst);
		goto failure;
	}
	if (!saddr) {
		saddr = &fl6.saddr;
		sk->sk_v6_rcv_saddr = *saddr;
	}
	np->saddr = *saddr;
	/* No IPv4 lookup may find a native IPv6 socket (as TCP marks it). */
	inet->inet_rcv_saddr = LOOPBACK4_IPV6;
	inet->inet_daddr = 0;
	inet->inet_dport = usin->sin6_port;
	ip6_dst_store(sk, dst, NULL, NULL);

	err = xtcp_connect_hash(sk, &isn);
	if (err)
		goto late_failure;
	err = xtcp_connect_start(sk, dst,
				 isn ?: xtcp_isn6(&np->saddr, &sk->sk_v6_daddr,
						  inet->inet_sport,
						  inet->inet_dport),
				 xtcp_ts_off6(&np->saddr, &sk->sk_v6_daddr));
	if (err)
		goto late_failure;
	return 0;

late_failure:
	xtcp_set_state(sk, TCP_CLOSE);
	sk_dst_reset(sk);
failure:
	inet->inet_dport = 0;
	sk->sk_route_caps = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet->inet_rcv_saddr = 0;
	xtcp_v6_clear_addrs(sk);
	return err;
}

/* connect(AF_UNSPEC) and an abortive close forget the v6 peer too. */
static int xtcp_v6_disconnect(struct sock *sk, int flags)
{
	int err = xtcp_disconnect(sk, flags);

	xtcp_v6_clear_addrs(sk);
	return err;
}

/**
 * xtcp_v6_init_child() - the IPv6 part of a connection a listener made
 * @child: the listener's clone
 * @sk: the AF_INET6 listener
 * @req: the request, IPv6 or (v4-mapped) IPv4
 *
 * As tcp_v6_syn_recv_sock(): the clone shares no IPv6 state with the
 * listener (memberships, flow labels, options, received options).
 */
void xtcp_v6_init_child(struct sock *child, const struct sock *sk,
			const struct xtcp_request_sock *req)
{
	struct ipv6_pinfo *np;

	inet_sk(child)->pinet6 = &((struct xtcp6_sock *)child)->inet6;
	np = inet6_sk(child);
	RCU_INIT_POINTER(np->ipv6_mc_list, NULL);
	np->ipv6_ac_list = NULL;
#ifdef XTCP_HAVE_INET_FL_LIST
	RCU_INIT_POINTER(inet_sk(child)->ipv6_fl_list, NULL);
#else
	RCU_INIT_POINTER(np->ipv6_fl_list, NULL);
#endif
	np->pktoptions = NULL;
	RCU_INIT_POINTER(np->opt, NULL);
	if (req->family == AF_INET6) {
		struct ipv6_txoptions *opt;

		/* The listener's options, a copy of its own (as TCP's). */
		opt = rcu_dereference(inet6_sk(sk)->opt);
		if (opt)
			RCU_INIT_POINTER(np->opt, ipv6_dup_options(child, opt));
		/* As tcp_v6_syn_recv_sock(): the SYN's label and class. */
		if (xtcp_repflow6(sk))
			np->flow_label = req->flowlabel;
		if (READ_ONCE(xtcp_sysctl(sock_net(sk))->reflect_tos))
			np->tclass = req->syn_tos & ~INET_ECN_MASK;
		child->sk_v6_daddr = req->raddr6;
		child->sk_v6_rcv_saddr = req->laddr6;
		np->saddr = req->laddr6;
		inet_sk(child)->inet_rcv_saddr = LOOPBACK4_IPV6;
		inet_sk(child)->inet_saddr = LOOPBACK4_IPV6;
		inet_sk(child)->inet_daddr = 0;
		if (req->iif)
			child->sk_bound_dev_if = req->iif;
		xtcp_sk(child)->af_ops = &xtcp_ipv6_ops;
	} else {
		ipv6_addr_set_v4mapped(req->raddr, &child->sk_v6_daddr);
		ipv6_addr_set_v4mapped(req->laddr, &child->sk_v6_rcv_saddr);
		np->saddr = child->sk_v6_rcv_saddr;
		xtcp_sk(child)->af_ops = &xtcp_ipv4_ops;
	}
}

static int xtcp_v6_init_sock(struct sock *sk)
{
	int err = xtcp_init_sock(sk);

	xtcp_sk(sk)->af_ops = &xtcp_ipv6_ops;
	return err;
}

static void xtcp_v6_destroy_sock(struct sock *sk)
{
	xtcp_destroy_sock(sk);
#ifdef XTCP_HAVE_INET6_DESTROY_SOCK
	inet6_destroy_sock(sk);	/* later kernels do it in sk_destruct */
#endif
}

/* Errors of the SYN_SENT and SYN_RECV states abort the attempt. */
static void xtcp_v6_icmp_sock(struct sock *sk, struct sk_buff *skb, u8 type,
			      u8 code, __be32 info, const struct xtcphdr *th)
{
	struct net *net = sock_net(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;
	int err;

	if (sock_owned_by_user(sk) && type != ICMPV6_PKT_TOOBIG)
		xtcp_mib_inc(net, XTCP_MIB_LOCKDROPPEDICMPS);
	if (sk->sk_state == TCP_CLOSE)
		return;
	if (!xtcp_seq_between(ntohl(th->seq), xs->snd_una, xs->snd_nxt)) {
		xtcp_mib_inc(net, XTCP_MIB_OUTOFWINDOWICMPS);
		return;
	}
	if (type == NDISC_REDIRECT) {
		xtcp_mib_inc(net, XTCP_MIB_ICMPREDIRECT);
		if (!sock_owned_by_user(sk)) {
			dst = __sk_dst_check(sk, inet6_sk(sk)->dst_cookie);
			if (dst)
				dst->ops->redirect(dst, sk, skb);
		}
		return;
	}
	if (type == ICMPV6_PKT_TOOBIG) {
		/* RFC 8201 4: never below the IPv6 minimum MTU. */
		if (ntohl(info) < IPV6_MIN_MTU)
			return;
		xtcp_mib_inc(net, XTCP_MIB_ICMPFRAGNEEDED);
		WRITE_ONCE(xs->mtu_info, ntohl(info));
		if (!sock_owned_by_user(sk))
			xtcp_mtu_reduced(sk);
		else
			xs->mtu_deferred = 1;	/* xtcp_release_cb() */
		return;
	}
	/* Unreachable port: no xtcp there, which a user sees as refused. */
	if (type == ICMPV6_PARAMPROB && code == ICMPV6_UNK_NEXTHDR)
		err = ECONNREFUSED;
	else
		icmpv6_err_convert(type, code, &err);
	xtcp_mib_inc(net, type == ICMPV6_DEST_UNREACH ? XTCP_MIB_ICMPUNREACH :
		     type == ICMPV6_TIME_EXCEED ? XTCP_MIB_ICMPTIMEEXCEEDED :
		     XTCP_MIB_ICMPPARAMPROB);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		/* RFC 1122 4.2.3.9: abort an attempt that cannot succeed. */
		xtcp_ipv6_icmp_error(sk, skb, err, th->dest, ntohl(info),
				     (u8 *)th);
		if (!sock_owned_by_user(sk)) {
			xtcp_mib_inc(net, XTCP_MIB_ICMPABORTS);
			xtcp_reset(sk, err);
		} else {
			WRITE_ONCE(sk->sk_err_soft, err);
		}
		return;
	}
	if (!sock_owned_by_user(sk) && xtcp_recverr6(sk)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/*
 * An ICMPv6 error about one of our segments (RFC 4443 3, RFC 8201),
 * handled as xtcp_v4_err() handles ICMP: validated by the quoted
 * sequence number (RFC 5927 4.1), hard before the connection is
 * synchronized, soft after; Packet Too Big lowers the path MTU.
 */
static int xtcp_v6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
		       u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *hdr = (const struct ipv6hdr *)skb->data;
	const struct xtcphdr *th = (const void *)(skb->data + offset);
	struct net *net = dev_net(skb->dev);
	int dif = skb->dev->ifindex;
	struct xtcp_req_key k = {};
	struct xtcp_tw_sock *tw;
	struct sock *sk;
	bool abort;
	int err;

	sk = xtcp6_lookup_established(net, &hdr->daddr, th->dest, &hdr->saddr,
				      th->source, dif, inet6_sdif(skb));
	if (sk) {
		bh_lock_sock(sk);
		xtcp_v6_icmp_sock(sk, skb, type, code, info, th);
		bh_unlock_sock(sk);
		sock_put(sk);
		return 0;
	}
	tw = xtcp6_lookup_tw(net, &hdr->daddr, th->dest, &hdr->saddr,
			     th->source, dif, inet6_sdif(skb));
	if (tw) {
		xtcp_tw_put(tw);	/* nothing left to tell */
		return 0;
	}
	sk = xtcp6_lookup_listener(net, &hdr->daddr, th->dest, &hdr->saddr,
				   th->source, dif, inet6_sdif(skb));
	if (!sk) {
		xtcp_mib_inc(net, XTCP_MIB_ICMPNOSOCKET);
		return -ENOENT;
	}
	/* A SYN-ACK of a request: as tcp_v6_err(), drop it on fatal ones. */
	abort = icmpv6_err_convert(type, code, &err);
	k.family = AF_INET6;
	k.raddr6 = hdr->daddr;
	k.laddr6 = hdr->saddr;
	k.rport = th->dest;
	if (type != ICMPV6_PKT_TOOBIG && type != NDISC_REDIRECT &&
	    !xtcp_reqsk_err(sk, &k, ntohl(th->seq), abort))
		xtcp_mib_inc(net, XTCP_MIB_OUTOFWINDOWICMPS);
	sock_put(sk);
	return 0;
}

/* The next-header handler. */
static int xtcp_v6_rcv(struct sk_buff *skb)
{
	return xtcp_rcv(skb, inet6_iif(skb), inet6_sdif(skb));
}

struct proto xtcpv6_prot = {
	.name		= "XTCPv6",
	.owner		= THIS_MODULE,
	.close		= xtcp_close,
	.pre_connect	= xtcp_v6_pre_connect,
	.get_port	= xtcp_get_port,
	.put_port	= xtcp_put_port,	/* post_bind6 refused it */
	.connect	= xtcp_v6_connect,
	.disconnect	= xtcp_v6_disconnect,
	.accept		= xtcp_accept,
	.init		= xtcp_v6_init_sock,
	.destroy	= xtcp_v6_destroy_sock,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.keepalive	= xtcp_keepalive,
	.ioctl		= xtcp_ioctl,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.backlog_rcv	= xtcp_do_rcv,
	.stream_memory_free	= xtcp_stream_memory_free,
	.release_cb	= xtcp_release_cb,
	.hash		= NULL,
	.unhash		= xtcp_unhash,
	.no_autobind	= true,
	.enter_memory_pressure	= xtcp_enter_memory_pressure,
	.leave_memory_pressure	= xtcp_leave_memory_pressure,
	.sockets_allocated	= &xtcp_sockets_allocated,
	.orphan_count		= &xtcp_orphan_count,
	.memory_allocated	= &xtcp_memory_allocated,
	.per_cpu_fw_alloc	= &xtcp_memory_per_cpu_fw_alloc,
	.memory_pressure	= &xtcp_memory_pressure,
	.sysctl_mem		= xtcp_sysctl_mem,
	.sysctl_wmem		= xtcp_sysctl_wmem,
	.sysctl_rmem		= xtcp_sysctl_rmem,
	.max_header		= XTCP_MAX_HEADER,
	.obj_size	= sizeof(struct xtcp6_sock),
#ifdef XTCP_HAVE_IPV6_PINFO_OFFSET
	.ipv6_pinfo_offset = offsetof(struct xtcp6_sock, inet6),
#endif
};

static const struct proto_ops xtcp_v6_stream_ops = {
	.family		= PF_INET6,
	.owner		= THIS_MODULE,
	.release	= inet6_release,
	.bind		= inet6_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_stream_accept,
	.getname	= inet6_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet6_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= xtcp_sock_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
};

/* .protocol is filled in from the "proto" module parameter at load. */
static struct inet_protosw xtcp_v6_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &xtcpv6_prot,
	.ops		= &xtcp_v6_stream_ops,
};

static const struct inet6_protocol xtcp_v6_protocol = {
	.handler	= xtcp_v6_rcv,
	.err_handler	= xtcp_v6_err,
	.flags		= INET6_PROTO_NOPOLICY | INET6_PROTO_FINAL,
};

int xtcp_v6_net_init(struct net *net)
{
	return inet_ctl_sock_create(&xtcp_pernet(net)->ctl_sk6, PF_INET6,
				    SOCK_RAW, xtcp_proto, net);
}

void xtcp_v6_net_exit(struct net *net)
{
	inet_ctl_sock_destroy(xtcp_pernet(net)->ctl_sk6);
}

/* Register next header xtcp_proto and the AF_INET6 socket. */
int xtcp_v6_init(void)
{
	int err;

	if (inet6_add_protocol(&xtcp_v6_protocol, xtcp_proto) < 0) {
		pr_err("xtcp: IPv6 next header %d is taken\n", xtcp_proto);
		return -EBUSY;
	}
	xtcp_v6_protosw.protocol = xtcp_proto;
	err = inet6_register_protosw(&xtcp_v6_protosw);
	if (err)
		inet6_del_protocol(&xtcp_v6_protocol, xtcp_proto);
	return err;
}

/* Stop new sockets and segments; the caller waits for the rest. */
void xtcp_v6_stop(void)
{
	inet6_unregister_protosw(&xtcp_v6_protosw);
	inet6_del_protocol(&xtcp_v6_protocol, xtcp_proto);
}
