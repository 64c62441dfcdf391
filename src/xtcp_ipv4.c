// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 glue: the AF_INET socket (struct proto, proto_ops, inet_protosw),
 * bind and connect with IPv4 addresses, the IP protocol handler, the
 * pseudo-header checksum (RFC 9293 3.1) and segments without a socket.
 * The protocol itself is in the other files; only what IPv4 does
 * differently is here.
 */
#include <linux/bpf-cgroup.h>
#include <linux/in.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/route.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_compat.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"

/* RFC 9293 3.1: the pseudo-header, with our protocol number. */
static void xtcp_v4_send_check(struct sock *sk, struct sk_buff *skb)
{
	struct xtcphdr *th = xtcp_hdr(skb);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct xtcphdr, check);
	th->check = ~csum_tcpudp_magic(sk->sk_rcv_saddr, sk->sk_daddr,
				       skb->len, xtcp_proto, 0);
}

/* The socket's route, looked up again as ip_queue_xmit() would. */
static struct dst_entry *xtcp_v4_reroute(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct rtable *rt;

	rt = ip_route_output_ports(sock_net(sk), &inet->cork.fl.u.ip4, sk,
				   inet->inet_daddr, inet->inet_saddr,
				   inet->inet_dport, inet->inet_sport,
				   sk->sk_protocol, ip_sock_rt_tos(sk),
				   sk->sk_bound_dev_if);
	if (IS_ERR(rt))
		return NULL;
	sk_setup_caps(sk, &rt->dst);
	return &rt->dst;
}

/* IP options (IP_OPTIONS) between the IP header and ours. */
static u16 xtcp_v4_ext_hdr_len(const struct sock *sk)
{
	const struct ip_options_rcu *opt;
	u16 len = 0;

	rcu_read_lock();
	opt = rcu_dereference(inet_sk(sk)->inet_opt);
	if (opt)
		len = opt->opt.optlen;
	rcu_read_unlock();
	return len;
}

const struct xtcp_af_ops xtcp_ipv4_ops = {
	.queue_xmit	= ip_queue_xmit,
	.send_check	= xtcp_v4_send_check,
	.reroute	= xtcp_v4_reroute,
	.ext_hdr_len	= xtcp_v4_ext_hdr_len,
	.net_header_len	= sizeof(struct iphdr),
	.family		= AF_INET,
};

/* Checksum, route and send a segment of xtcp_send_ctl(). */
int xtcp_v4_send_ctl(const struct xtcp_ctl *c, struct sk_buff *skb)
{
	struct sock *ctl = xtcp_pernet(c->net)->ctl_sk;
	struct xtcphdr *th = xtcp_hdr(skb);
	struct flowi4 fl4;
	struct rtable *rt;

	th->check = csum_tcpudp_magic(c->saddr, c->daddr, skb->len, xtcp_proto,
				      csum_partial(th, skb->len, 0));
	/* As ip_send_unicast_reply(): the socket's device and mark. */
	flowi4_init_output(&fl4, c->oif, c->mark, 0, RT_SCOPE_UNIVERSE,
			   xtcp_proto, 0, c->daddr, c->saddr, c->dport,
			   c->sport, sock_net_uid(c->net, NULL));
	rt = ip_route_output_key(c->net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	/* A listener's SYN-ACK has its TTL, DF and priority, as TCP's. */
	return ip_build_and_send_pkt(skb, c->sk ?: ctl, c->saddr, c->daddr,
				     NULL, c->tclass);
}

/* Check an IPv4 socket address as bind() and connect() take it. */
static int xtcp_check_sockaddr(const struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

static int xtcp_v4_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	u32 flags = BIND_WITH_LOCK;
	__be32 addr;
	u16 port;
	int err;

	/*
	 * A proto with its own bind skips inet_bind()'s cgroup/bind4 hook:
	 * run it here, first, as inet_bind_sk() does (it may rewrite the
	 * address, or refuse with EPERM).
	 */
	if (addr_len < (int)sizeof(*sin))
		return -EINVAL;
	err = xtcp_bpf_bind4_lock(sk, uaddr, &addr_len, &flags);
	if (err)
		return err;
	err = xtcp_check_sockaddr(uaddr, addr_len);
	if (err)
		return err;
	addr = sin->sin_addr.s_addr;
	port = ntohs(sin->sin_port);
	/* IP_FREEBIND, IP_TRANSPARENT, ip_nonlocal_bind, as __inet_bind(). */
	if (addr && inet_addr_type(net, addr) != RTN_LOCAL &&
	    !inet_can_nonlocal_bind(net, inet))
		return -EADDRNOTAVAIL;
	if (port && inet_port_requires_bind_service(net, port) &&
	    !(flags & BIND_NO_CAP_NET_BIND_SERVICE) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out;
	inet->inet_rcv_saddr = addr;
	inet->inet_saddr = addr;
	/* IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect(). */
	err = 0;
	if (port || !(xtcp_bind_no_port(sk) ||
		      (flags & BIND_FORCE_ADDRESS_NO_PORT))) {
		err = xtcp_bind_port(sk, port);
		if (err) {
			inet->inet_rcv_saddr = 0;
			inet->inet_saddr = 0;
			goto out;
		}
		/* cgroup/post_bind4 may still refuse the port (__inet_bind()). */
		err = BPF_CGROUP_RUN_PROG_INET4_POST_BIND(sk);
		if (err) {
			xtcp_put_port(sk);
			inet->inet_rcv_saddr = 0;
			inet->inet_saddr = 0;
			goto out;
		}
		xtcp_sk(sk)->bound_explicitly = 1;
	}
	if (addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
out:
	release_sock(sk);
	return err;
}

/*
 * cgroup/connect4 programs, as tcp_v4_pre_connect() runs them: before
 * connect(), with the socket locked; they may rewrite the address or
 * refuse with EPERM.
 */
static int xtcp_v4_pre_connect(struct sock *sk, struct sockaddr *uaddr,
			       int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	sock_owned_by_me(sk);
	return xtcp_bpf_connect4(sk, uaddr, &addr_len);
}

/**
 * xtcp_v4_connect_to() - an active open to an IPv4 address
 * @sk: socket, locked, in CLOSE
 * @daddr: the peer
 * @dport: its port
 *
 * RFC 9293 3.10.1 OPEN (active): route, local address and port, ISN,
 * then SYN.  An AF_INET6 socket connecting to a v4-mapped address comes
 * here too, its sk_v6_daddr already the mapped peer.
 *
 * Return: 0, or a negative errno with the socket back in CLOSE.
 */
int xtcp_v4_connect_to(struct sock *sk, __be32 daddr, __be16 dport)
{
	struct inet_sock *inet = inet_sk(sk);
	__be16 orig_sport, orig_dport;
	struct flowi4 *fl4;
	u32 isn;
	struct rtable *rt;
	int err;

	orig_sport = inet->inet_sport;
	orig_dport = dport;
	fl4 = &inet->cork.fl.u.ip4;
	rt = ip_route_connect(fl4, daddr, inet->inet_saddr,
			      sk->sk_bound_dev_if, xtcp_proto, orig_sport,
			      orig_dport, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_dport = dport;
	inet->inet_daddr = fl4->daddr;
	if (sk->sk_family == AF_INET6)
		xtcp_v6_set_mapped_saddr(sk);

	isn = 0;
	err = xtcp_connect_hash(sk, &isn);
	if (err)
		goto failure;
	rt = ip_route_newports(fl4, rt, orig_sport, orig_dport,
			       inet->inet_sport, inet->inet_dport, sk);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		rt = NULL;
		goto failure;
	}
	/* The socket owns the route from here on (as tcp_v4_connect). */
	sk_setup_caps(sk, &rt->dst);
	err = xtcp_connect_start(sk, &rt->dst,
				 isn ?: xtcp_isn(inet->inet_saddr,
						 inet->inet_daddr,
						 inet->inet_sport,
						 inet->inet_dport),
				 xtcp_ts_off(inet->inet_saddr,
					     inet->inet_daddr));
	rt = NULL;
	if (err)
		goto failure;
	return 0;

failure:
	xtcp_set_state(sk, TCP_CLOSE);
	if (rt)
		ip_rt_put(rt);
	sk_dst_reset(sk);
	sk->sk_route_caps = 0;
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	return err;
}

static int xtcp_v4_connect(struct sock *sk, struct sockaddr *uaddr,
			   int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	int err = xtcp_check_sockaddr(uaddr, addr_len);

	if (err)
		return err;
	return xtcp_v4_connect_to(sk, usin->sin_addr.s_addr, usin->sin_port);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.close		= xtcp_close,
	.pre_connect	= xtcp_v4_pre_connect,
	.get_port	= xtcp_get_port,
	.put_port	= xtcp_put_port,	/* post_bind4 of bpf_bind() */
	.connect	= xtcp_v4_connect,
	.disconnect	= xtcp_disconnect,
	.accept		= xtcp_accept,
	.init		= xtcp_init_sock,
	.destroy	= xtcp_destroy_sock,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.keepalive	= xtcp_keepalive,
	.ioctl		= xtcp_ioctl,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.bind		= xtcp_v4_bind,
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
	.obj_size	= sizeof(struct xtcp_sock),
};

static const struct proto_ops xtcp_v4_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_stream_accept,
	.getname	= inet_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
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
static struct inet_protosw xtcp_v4_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &xtcp_prot,
	.ops		= &xtcp_v4_stream_ops,
};

/* The IP protocol handler. */
static int xtcp_v4_rcv(struct sk_buff *skb)
{
	return xtcp_rcv(skb, inet_iif(skb), inet_sdif(skb));
}

static const struct net_protocol xtcp_v4_protocol = {
	.handler	= xtcp_v4_rcv,
	.err_handler	= xtcp_v4_err,
	.no_policy	= 1,
};

int xtcp_v4_net_init(struct net *net)
{
	return inet_ctl_sock_create(&xtcp_pernet(net)->ctl_sk, PF_INET,
				    SOCK_RAW, xtcp_proto, net);
}

void xtcp_v4_net_exit(struct net *net)
{
	inet_ctl_sock_destroy(xtcp_pernet(net)->ctl_sk);
}

/* Register IP protocol xtcp_proto and the AF_INET socket. */
int xtcp_v4_init(void)
{
	if (inet_add_protocol(&xtcp_v4_protocol, xtcp_proto) < 0) {
		pr_err("xtcp: IP protocol %d is taken\n", xtcp_proto);
		return -EBUSY;
	}
	xtcp_v4_protosw.protocol = xtcp_proto;
	inet_register_protosw(&xtcp_v4_protosw);
	return 0;
}

/* Stop new sockets and segments; the caller waits for the rest. */
void xtcp_v4_stop(void)
{
	inet_unregister_protosw(&xtcp_v4_protosw);
	inet_del_protocol(&xtcp_v4_protocol, xtcp_proto);
}
