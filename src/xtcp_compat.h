/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels xtcp builds for (Debian 12's 6.1 and
 * 6.12), in one place.  Kbuild probes the kernel headers for what exists
 * and defines XTCP_HAVE_*; nothing here guesses from version numbers,
 * because Debian's 6.1 carries backports of later APIs.
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* 6.10 moved the protocol memory helpers out of sock.h. */
#ifdef XTCP_HAVE_PROTO_MEMORY_H
#include <net/proto_memory.h>
#endif

/*
 * struct proto::accept: 6.10 folded flags, err and kern into
 * struct proto_accept_arg.
 */
#ifdef XTCP_HAVE_PROTO_ACCEPT_ARG
#define XTCP_ACCEPT_PARAMS	struct sock *sk, struct proto_accept_arg *arg
#define XTCP_ACCEPT_FLAGS	(arg->flags)
#define XTCP_ACCEPT_SET_ERR(e)	(arg->err = (e))
#else
#define XTCP_ACCEPT_PARAMS	struct sock *sk, int flags, int *err, bool kern
#define XTCP_ACCEPT_FLAGS	(flags)
#define XTCP_ACCEPT_SET_ERR(e)	(*err = (e))
#endif

/*
 * SOCK_CUSTOM_SOCKOPT (6.12; 6.1 keeps it to MPTCP): SOL_SOCKET options
 * reach struct proto_ops::setsockopt, which can refuse some of them.  An
 * accepted socket needs the flag too: proto_ops::accept sets it.
 */
#if defined(XTCP_HAVE_CUSTOM_SOCKOPT) && defined(XTCP_HAVE_PROTO_ACCEPT_ARG)
#define XTCP_CUSTOM_SOCKOPT	1
#define xtcp_stream_accept	xtcp_sock_accept
#else
#define xtcp_stream_accept	inet_accept
#endif

/*
 * struct proto::ioctl: 6.4 passes an int the core copies to the user;
 * before, the protocol wrote to the user pointer itself.
 */
#ifdef XTCP_HAVE_IOCTL_KARG
#define XTCP_IOCTL_PARAMS	struct sock *sk, int cmd, int *karg
#define XTCP_IOCTL_RETURN(v)	(*karg = (v), 0)
#else
#define XTCP_IOCTL_PARAMS	struct sock *sk, int cmd, unsigned long arg
#define XTCP_IOCTL_RETURN(v)	put_user((v), (int __user *)arg)
#endif

/* inet_sock flags: 6.6 moved the bitfields to inet_test_bit(). */
#ifdef XTCP_HAVE_INET_TEST_BIT
#define xtcp_bind_no_port(sk)	inet_test_bit(BIND_ADDRESS_NO_PORT, sk)
#define xtcp_recverr(sk)	inet_test_bit(RECVERR, sk)
#else
#define xtcp_bind_no_port(sk)	(inet_sk(sk)->bind_address_no_port)
#define xtcp_recverr(sk)	(inet_sk(sk)->recverr)
#endif

/* The same for IPv6 sockets (6.6: inet6_test_bit()). */
#ifdef XTCP_HAVE_INET6_TEST_BIT
#define xtcp_recverr6(sk)	inet6_test_bit(RECVERR6, sk)
#define xtcp_sndflow6(sk)	inet6_test_bit(SNDFLOW, sk)
#define xtcp_repflow6(sk)	inet6_test_bit(REPFLOW, sk)
#else
#define xtcp_recverr6(sk)	(inet6_sk(sk)->recverr)
#define xtcp_sndflow6(sk)	(inet6_sk(sk)->sndflow)
#define xtcp_repflow6(sk)	(inet6_sk(sk)->repflow)
#endif

/*
 * ip_icmp_error() (IP_RECVERR's error queue) is exported to modules by
 * 6.12, not by Debian's 6.1: there an ICMP error reaches the user
 * through sk_err only.
 */
static inline void xtcp_ip_icmp_error(struct sock *sk, struct sk_buff *skb,
				      int err, __be16 port, u32 info,
				      u8 *payload)
{
#ifdef XTCP_HAVE_IP_ICMP_ERROR
	ip_icmp_error(sk, skb, err, port, info, payload);
#endif
}

/* The same for ipv6_icmp_error() (IPV6_RECVERR). */
static inline void xtcp_ipv6_icmp_error(struct sock *sk, struct sk_buff *skb,
					int err, __be16 port, u32 info,
					u8 *payload)
{
#ifdef XTCP_HAVE_IPV6_ICMP_ERROR
	ipv6_icmp_error(sk, skb, err, port, info, payload);
#endif
}

/* A sysctl's proc_handler takes a const table from 6.11 on. */
#ifdef XTCP_HAVE_CONST_CTL_TABLE
#define XTCP_CTL_TABLE	const struct ctl_table
#else
#define XTCP_CTL_TABLE	struct ctl_table
#endif

/*
 * Sized net sysctl registration came in 6.6; before it, the empty entry
 * after the @n real ones ends the table.
 */
static inline struct ctl_table_header *
xtcp_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *tbl, size_t n)
{
#ifdef XTCP_HAVE_REGISTER_NET_SYSCTL_SZ
	return register_net_sysctl_sz(net, path, tbl, n);
#else
	return register_net_sysctl(net, path, tbl);
#endif
}

/*
 * cgroup socket-address programs: 6.7 passes the address length too
 * (so that programs may rewrite AF_UNIX paths).
 */
#ifdef XTCP_HAVE_BPF_SA_UADDRLEN
#define xtcp_bpf_connect4(sk, a, lenp) \
	BPF_CGROUP_RUN_PROG_INET4_CONNECT(sk, a, lenp)
#define xtcp_bpf_bind4_lock(sk, a, lenp, flagsp) \
	BPF_CGROUP_RUN_PROG_INET_BIND_LOCK(sk, a, lenp, CGROUP_INET4_BIND, flagsp)
#define xtcp_bpf_connect6(sk, a, lenp) \
	BPF_CGROUP_RUN_PROG_INET6_CONNECT(sk, a, lenp)
#else
#define xtcp_bpf_connect4(sk, a, lenp) \
	({ (void)(lenp); BPF_CGROUP_RUN_PROG_INET4_CONNECT(sk, a); })
#define xtcp_bpf_bind4_lock(sk, a, lenp, flagsp) \
	({ (void)(lenp); \
	   BPF_CGROUP_RUN_PROG_INET_BIND_LOCK(sk, a, CGROUP_INET4_BIND, flagsp); })
#define xtcp_bpf_connect6(sk, a, lenp) \
	({ (void)(lenp); BPF_CGROUP_RUN_PROG_INET6_CONNECT(sk, a); })
#endif

#endif /* _XTCP_COMPAT_H */
