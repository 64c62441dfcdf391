// SPDX-License-Identifier: GPL-2.0
/*
 * The socket layer face of xtcp: struct proto, struct proto_ops and the
 * inet_protosw that binds them to (AF_INET, SOCK_STREAM, xtcp_proto).
 *
 * Generic inet_* helpers do the parts that do not depend on the
 * transport (release, getname, the connect and accept wait loops); the
 * transport hooks below are xtcp's own.  An operation xtcp does not
 * implement yet fails with -EOPNOTSUPP after its arguments are checked
 * as the finished operation will check them; none pretends to succeed.
 */
#include <linux/in.h>
#include <linux/poll.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_compat.h"

/* Check an IPv4 socket address as bind() and connect() take it. */
static int xtcp_check_sockaddr(const struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

/* Sockets per netns show in the "sockets" column of /proc/net/protocols. */
static int xtcp_init_sock(struct sock *sk)
{
	sk->sk_state = TCP_CLOSE;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

static void xtcp_destroy_sock(struct sock *sk)
{
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
}

/* No lookup table holds a socket yet: nothing to add or remove. */
static int xtcp_hash(struct sock *sk)
{
	return 0;
}

static void xtcp_unhash(struct sock *sk)
{
}

static void xtcp_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	inet_sk_set_state(sk, TCP_CLOSE);
	release_sock(sk);
	sk_common_release(sk);
}

static int xtcp_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	int err = xtcp_check_sockaddr(uaddr, addr_len);

	return err ? err : -EOPNOTSUPP;
}

static int xtcp_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	int err = xtcp_check_sockaddr(uaddr, addr_len);

	return err ? err : -EOPNOTSUPP;
}

/* connect(AF_UNSPEC): an unconnected socket has nothing to undo. */
static int xtcp_disconnect(struct sock *sk, int flags)
{
	return sk->sk_state == TCP_CLOSE ? 0 : -EOPNOTSUPP;
}

static struct sock *xtcp_accept(XTCP_ACCEPT_PARAMS)
{
	/* accept() needs a listening socket (POSIX: EINVAL otherwise). */
	XTCP_ACCEPT_SET_ERR(sk->sk_state == TCP_LISTEN ? -EOPNOTSUPP : -EINVAL);
	return NULL;
}

static int xtcp_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	if (level != SOL_TCP && level != SOL_XTCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	return -ENOPROTOOPT;
}

static int xtcp_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	int len;

	if (level != SOL_TCP && level != SOL_XTCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	return -ENOPROTOOPT;
}

static int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	return -EOPNOTSUPP;
}

static int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			int flags, int *addr_len)
{
	return -EOPNOTSUPP;
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.close		= xtcp_close,
	.connect	= xtcp_connect,
	.disconnect	= xtcp_disconnect,
	.accept		= xtcp_accept,
	.init		= xtcp_init_sock,
	.destroy	= xtcp_destroy_sock,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.bind		= xtcp_bind,
	.hash		= xtcp_hash,
	.unhash		= xtcp_unhash,
	.no_autobind	= true,
	.obj_size	= sizeof(struct xtcp_sock),
};

static int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state == SS_UNCONNECTED && sock->type == SOCK_STREAM)
		err = -EOPNOTSUPP;
	release_sock(sk);
	return err;
}

/* Readiness as in-tree TCP reports it for the states xtcp has so far. */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (READ_ONCE(sk->sk_err) || !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

static const struct proto_ops xtcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
};

/* .protocol is filled in from the "proto" module parameter at load. */
struct inet_protosw xtcp_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &xtcp_prot,
	.ops		= &xtcp_stream_ops,
};
