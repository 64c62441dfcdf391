// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about xtcp segments (RFC 9293 3.9.1.3 and RFC 1122
 * 4.2.3.9), handled as tcp_v4_err() handles them:
 *
 * - The quoted header names the connection: a socket, a request of a
 *   listener's SYN queue, or a time-wait minisock (ignored).  The error
 *   counts only if the quoted sequence number is in flight, SND.UNA to
 *   SND.NXT (RFC 5927 4.1), so a blind attacker must guess it.
 * - Before the connection is synchronized, "unreachable" ends the
 *   attempt at once with its errno; a request is dropped silently.
 * - After, errors are soft (RFC 1122 4.2.3.9): kept in sk_err_soft for
 *   SO_ERROR and for the errno of an eventual timeout, or reported at
 *   once with IP_RECVERR.
 *
 * - Fragmentation needed (RFC 1191) lowers the route's path MTU and
 *   the MSS, and resends at once what no longer fits, as
 *   tcp_v4_mtu_reduced() does; deferred to release_sock() while the
 *   user owns the socket (TCP's TCP_MTU_REDUCED_DEFERRED).
 */
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "xtcp.h"
#include "xtcp_hash.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"
#include "xtcp_seq.h"

/*
 * The errno an ICMP error gives, negated, or 0 to ignore it (as
 * tcp_v4_err()'s switch).  A protocol unreachable means the host has no xtcp: to a
 * user that is a refused connection, where TCP's table says ENOPROTOOPT.
 */
static int xtcp_icmp_errno(struct net *net, int type, int code)
{
	switch (type) {
	case ICMP_PARAMETERPROB:
		xtcp_mib_inc(net, XTCP_MIB_ICMPPARAMPROB);
		return -EPROTO;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			break;
		if (code == ICMP_FRAG_NEEDED)
			return 0;	/* the caller's: path MTU */
		xtcp_mib_inc(net, XTCP_MIB_ICMPUNREACH);
		if (code == ICMP_PROT_UNREACH)
			return -ECONNREFUSED;
		return -icmp_err_convert[code].errno;
	case ICMP_TIME_EXCEEDED:
		xtcp_mib_inc(net, XTCP_MIB_ICMPTIMEEXCEEDED);
		return -EHOSTUNREACH;
	}
	xtcp_mib_inc(net, XTCP_MIB_ICMPIGNORED);
	return 0;
}

/* RFC 9293 3.7.1: the data a segment carries on a path of @mtu. */
u16 xtcp_mtu_to_mss(const struct sock *sk, u32 mtu)
{
	const struct xtcp_af_ops *af = xtcp_sk(sk)->af_ops;
	int mss = mtu - af->net_header_len - af->ext_hdr_len(sk) -
		  sizeof(struct xtcphdr);

	if (xtcp_sk(sk)->tstamp_ok)
		mss -= XTCP_TS_OPTLEN;
	return max_t(int, mss, xtcp_min_snd_mss(sock_net(sk)));
}

/**
 * xtcp_mtu_reduced() - act on a fragmentation-needed message
 * @sk: socket, locked (by its owner, or in softirq when not owned)
 *
 * RFC 1191: the route learns the next-hop MTU of @sk's mtu_info (an
 * exception other sockets to the same host share), the MSS shrinks to
 * it, and segments in flight that no longer fit are resent cut to it
 * (xtcp_simple_retransmit()).  IP_PMTUDISC_DONT, and a route whose MTU
 * is locked, keep the MSS.
 */
void xtcp_mtu_reduced(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mtu = READ_ONCE(xs->mtu_info), cookie = 0;
	struct dst_entry *dst;
	u16 mss;

	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	/* An IPv6 route is checked against the cookie it was stored with. */
	if (xs->af_ops->family == AF_INET6) {
		if (!ip6_sk_accept_pmtu(sk))
			return;
		cookie = inet6_sk(sk)->dst_cookie;
	}
	dst = __sk_dst_check(sk, cookie) ?: xs->af_ops->reroute(sk);
	if (!dst)
		return;
	dst->ops->update_pmtu(dst, sk, NULL, mtu, true);
	if (xs->af_ops->family == AF_INET6)
		cookie = inet6_sk(sk)->dst_cookie;
	dst = __sk_dst_check(sk, cookie) ?: xs->af_ops->reroute(sk);
	if (!dst)
		return;
	mss = xtcp_mtu_to_mss(sk, dst_mtu(dst));
	if (xs->af_ops->family == AF_INET) {
		/* Not lowered that far (ip_rt_min_pmtu): say why we may fail. */
		if (mtu < dst_mtu(dst) && ip_dont_fragment(sk, dst))
			WRITE_ONCE(sk->sk_err_soft, EMSGSIZE);
		if (inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT ||
		    !ip_sk_accept_pmtu(sk))
			return;
	}
	if (mss >= xs->mss)
		return;
	xs->mss = mss;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_PMTUREDUCED);
	xtcp_simple_retransmit(sk);
}

/* As tcp_v4_err()'s do_redirect(): the socket's route learns it. */
static void xtcp_icmp_redirect(struct sk_buff *skb, struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_check(sk, 0);

	if (dst)
		dst->ops->redirect(dst, sk, skb);
}

/* An error that quotes a SYN-ACK of a listener's request. */
static int xtcp_icmp_listener(struct net *net, const struct iphdr *iph,
			      const struct xtcphdr *th, int type, int code,
			      int dif)
{
	bool abort = type == ICMP_PARAMETERPROB ||
		     type == ICMP_TIME_EXCEEDED ||
		     (type == ICMP_DEST_UNREACH &&
		      (code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH));
	struct xtcp_req_key k = {};
	struct sock *lsk;

	lsk = xtcp_lookup_listener(net, iph->daddr, th->dest, iph->saddr,
				   th->source, dif, 0);
	if (!lsk) {
		xtcp_mib_inc(net, XTCP_MIB_ICMPNOSOCKET);
		__ICMP_INC_STATS(net, ICMP_MIB_INERRORS);
		return -ENOENT;
	}
	k.family = AF_INET;
	k.raddr = iph->daddr;
	k.rport = th->dest;
	k.laddr = iph->saddr;
	if (!xtcp_reqsk_err(lsk, &k, ntohl(th->seq), abort))
		xtcp_mib_inc(net, XTCP_MIB_OUTOFWINDOWICMPS);
	sock_put(lsk);
	return 0;
}

/**
 * xtcp_v4_err() - an ICMP error quoted one of our segments
 * @skb: the ICMP message, at the quoted IP header; at least 8 octets of
 *	our header follow it (icmp_socket_deliver() pulled them): the ports
 *	and the sequence number
 * @info: the ICMP's extra word (the next-hop MTU for fragmentation needed)
 *
 * Return: 0, or -ENOENT if no connection matches.
 */
int xtcp_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct xtcphdr *th = (const void *)(skb->data + (iph->ihl << 2));
	struct net *net = dev_net(skb->dev);
	int type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;
	int dif = inet_iif(skb), err;
	struct xtcp_tw_sock *tw;
	struct xtcp_sock *xs;
	struct sock *sk;
	u32 seq;

	/* The quoted segment went from iph->saddr to iph->daddr. */
	sk = xtcp_lookup_established(net, iph->daddr, th->dest, iph->saddr,
				     th->source, dif, 0);
	if (!sk) {
		tw = xtcp_lookup_tw(net, iph->daddr, th->dest, iph->saddr,
				    th->source, dif, 0);
		if (tw) {
			xtcp_tw_put(tw);	/* nothing left to tell */
			return 0;
		}
		return xtcp_icmp_listener(net, iph, th, type, code, dif);
	}

	bh_lock_sock(sk);
	/*
	 * Not backlogged: an owned socket takes the error as soft only;
	 * fragmentation needed waits for release_sock() instead.
	 */
	if (sock_owned_by_user(sk) &&
	    !(type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED))
		xtcp_mib_inc(net, XTCP_MIB_LOCKDROPPEDICMPS);
	if (sk->sk_state == TCP_CLOSE)
		goto out;

	xs = xtcp_sk(sk);
	seq = ntohl(th->seq);
	if (!xtcp_seq_between(seq, xs->snd_una, xs->snd_nxt)) {
		xtcp_mib_inc(net, XTCP_MIB_OUTOFWINDOWICMPS);
		goto out;
	}

	if (type == ICMP_REDIRECT) {
		xtcp_mib_inc(net, XTCP_MIB_ICMPREDIRECT);
		if (!sock_owned_by_user(sk))
			xtcp_icmp_redirect(skb, sk);
		goto out;
	}
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		xtcp_mib_inc(net, XTCP_MIB_ICMPFRAGNEEDED);
		WRITE_ONCE(xs->mtu_info, info);
		if (!sock_owned_by_user(sk))
			xtcp_mtu_reduced(sk);
		else
			xs->mtu_deferred = 1;	/* xtcp_release_cb() */
		goto out;
	}
	err = -xtcp_icmp_errno(net, type, code);
	if (!err)
		goto out;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		/* RFC 1122 4.2.3.9: abort an attempt that cannot succeed. */
		xtcp_ip_icmp_error(sk, skb, err, th->dest, info, (u8 *)th);
		if (!sock_owned_by_user(sk)) {
			xtcp_mib_inc(net, XTCP_MIB_ICMPABORTS);
			xtcp_reset(sk, err);
		} else {
			WRITE_ONCE(sk->sk_err_soft, err);
		}
		goto out;
	}

	/* RFC 1122 4.2.3.9: synchronized, the error is soft. */
	if (!sock_owned_by_user(sk) && xtcp_recverr(sk)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);	/* for the timeout */
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
}
