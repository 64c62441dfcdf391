// SPDX-License-Identifier: GPL-2.0
/*
 * The socket API contract of an xtcp socket: creation, wrong types and
 * protocol numbers, and the errno of every call given bad arguments.
 * Where in-tree TCP defines the answer (poll of a fresh socket), xtcp's
 * answer is compared against a TCP socket's.
 *
 * XTCP_PROTO in the environment names the protocol number the module
 * was loaded with (default 253).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <linux/xtcp.h>

#include "kselftest_harness.h"

#include "xtcp_util.h"

static int other_proto(void)
{
	return proto() == IPPROTO_XTCP ? IPPROTO_XTCP_ALT : IPPROTO_XTCP;
}

static int getint(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, opt, &v, &len))
		return -errno;
	return v;
}

TEST(socket_identity)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(proto(), getint(fd, SOL_SOCKET, SO_PROTOCOL));
	EXPECT_EQ(SOCK_STREAM, getint(fd, SOL_SOCKET, SO_TYPE));
	EXPECT_EQ(AF_INET, getint(fd, SOL_SOCKET, SO_DOMAIN));
	EXPECT_EQ(0, getint(fd, SOL_SOCKET, SO_ERROR));
	EXPECT_EQ(0, getint(fd, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(0, close(fd));
}

TEST(socket_flags)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			proto());

	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

TEST(socket_many)
{
	int fds[512], i;

	for (i = 0; i < 512; i++) {
		fds[i] = xsock();
		ASSERT_LE(0, fds[i]);
	}
	for (i = 0; i < 512; i++)
		ASSERT_EQ(0, close(fds[i]));
}

TEST(wrong_type)
{
	EXPECT_EQ(-1, socket(AF_INET, SOCK_DGRAM, proto()));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST(wrong_protocol)
{
	/* The number the module was not loaded with is not xtcp. */
	EXPECT_EQ(-1, socket(AF_INET, SOCK_STREAM, other_proto()));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
	/* 256 is IPPROTO_SMC on 6.12; numbers past IPPROTO_MAX are invalid. */
	EXPECT_EQ(-1, socket(AF_INET, SOCK_STREAM, 1000));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, socket(AF_INET, SOCK_STREAM, -1));
	EXPECT_EQ(EINVAL, errno);
}

TEST(socketpair_unsupported)
{
	int sv[2];

	EXPECT_EQ(-1, socketpair(AF_INET, SOCK_STREAM, proto(), sv));
	EXPECT_EQ(EOPNOTSUPP, errno);
}

TEST(bind_bad_args)
{
	struct sockaddr_in a = addr_of(4000);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a6, sizeof(a6)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	EXPECT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);	/* already bound */
	close(fd);
}

TEST(bind_nonlocal_address)
{
	struct sockaddr_in a = addr_of(4000);
	int fd = xsock();

	ASSERT_LE(0, fd);
	a.sin_addr.s_addr = htonl(0xc0000201);	/* 192.0.2.1, TEST-NET-1 */
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	close(fd);
}

TEST(connect_bad_args)
{
	struct sockaddr_in a = addr_of(4000);
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a, sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, connect(fd, (struct sockaddr *)&a6, sizeof(a6)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	/* AF_UNSPEC dissolves an association; an unconnected socket has none. */
	EXPECT_EQ(0, connect(fd, &unspec, sizeof(unspec)));
	close(fd);
}

TEST(listen_accept)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno);	/* not listening */
	EXPECT_EQ(0, listen(fd, 16));
	EXPECT_EQ(1, getint(fd, SOL_SOCKET, SO_ACCEPTCONN));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno);	/* nobody connected */
	close(fd);
}

TEST(names_unconnected)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, getpeername(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(ENOTCONN, errno);
	len = sizeof(a);
	memset(&a, 0xff, sizeof(a));
	EXPECT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
	EXPECT_EQ(sizeof(a), len);
	EXPECT_EQ(AF_INET, a.sin_family);
	EXPECT_EQ(0, a.sin_port);
	EXPECT_EQ(0U, a.sin_addr.s_addr);
	close(fd);
}

TEST(shutdown_unconnected)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, shutdown(fd, 99));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shutdown(fd, SHUT_RDWR));
	EXPECT_EQ(ENOTCONN, errno);
	close(fd);
}

TEST(sockopt_tcp_level)
{
	int one = 1, v;
	socklen_t len = sizeof(v);
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TCP, 9999, &one, sizeof(one)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(fd, SOL_XTCP, XTCP_OPT_BASE, &one, sizeof(one)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, getsockopt(fd, SOL_TCP, 9999, &v, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	len = -1;
	EXPECT_EQ(-1, getsockopt(fd, SOL_TCP, TCP_NODELAY, &v, &len));
	EXPECT_EQ(EINVAL, errno);
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(fd, SOL_TCP, TCP_NODELAY, NULL, &len));
	EXPECT_NE(0, errno);
	close(fd);
}

/* Options of other levels reach the IP and socket layers and work. */
TEST(sockopt_other_levels)
{
	int tos = 0x10, rcvbuf = 65536;
	int fd = xsock();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_IP, IP_TOS, &tos, sizeof(tos)));
	EXPECT_EQ(0x10, getint(fd, SOL_IP, IP_TOS));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	EXPECT_EQ(2 * rcvbuf, getint(fd, SOL_SOCKET, SO_RCVBUF));
	EXPECT_EQ(-1, setsockopt(fd, SOL_IP, 9999, &tos, sizeof(tos)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	close(fd);
}

TEST(io_unconnected)
{
	int v, fd = xsock();

	ASSERT_LE(0, fd);
	/* As in-tree TCP: nothing queued yet; a listener has no queue. */
	v = -1;
	EXPECT_EQ(0, ioctl(fd, SIOCINQ, &v));
	EXPECT_EQ(0, v);
	v = -1;
	EXPECT_EQ(0, ioctl(fd, SIOCOUTQ, &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, listen(fd, 1));
	EXPECT_EQ(-1, ioctl(fd, SIOCINQ, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, SIOCOUTQ, &v));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * One step of a call sequence run on a TCP and an xtcp socket alike;
 * the result is the return value, or -errno.
 */
enum step { S_SEND, S_RECV, S_SHUT_WR, S_LISTEN, S_CONNECT_REFUSED,
	    S_GETPEERNAME, S_BIND_ANY, S_CONNECT_UNSPEC, S_END };

static int do_step(int fd, enum step st)
{
	struct sockaddr_in a = addr_of(1);	/* port 1: nobody listens */
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(a);
	char buf[4] = "abc";
	int r;

	switch (st) {
	case S_SEND: r = send(fd, buf, 3, MSG_NOSIGNAL | MSG_DONTWAIT); break;
	case S_RECV: r = recv(fd, buf, 3, MSG_DONTWAIT); break;
	case S_SHUT_WR: r = shutdown(fd, SHUT_WR); break;
	case S_LISTEN: r = listen(fd, 4); break;
	case S_CONNECT_REFUSED: r = connect(fd, (struct sockaddr *)&a, len); break;
	case S_GETPEERNAME: r = getpeername(fd, (struct sockaddr *)&a, &len); break;
	case S_BIND_ANY:
		a.sin_addr.s_addr = 0;
		a.sin_port = 0;
		r = bind(fd, (struct sockaddr *)&a, len);
		break;
	case S_CONNECT_UNSPEC: r = connect(fd, &unspec, sizeof(unspec)); break;
	default: r = 0;
	}
	return r < 0 ? -errno : r;
}

/* Each sequence runs on fresh sockets; every step must match TCP's. */
TEST(errno_like_tcp)
{
	static const enum step seqs[][6] = {
		{ S_SEND, S_RECV, S_SHUT_WR, S_GETPEERNAME, S_END },
		{ S_CONNECT_REFUSED, S_SEND, S_RECV, S_CONNECT_REFUSED,
		  S_GETPEERNAME, S_END },
		{ S_BIND_ANY, S_LISTEN, S_SEND, S_RECV, S_CONNECT_UNSPEC, S_END },
		{ S_LISTEN, S_LISTEN, S_SHUT_WR, S_RECV, S_END },
		{ S_CONNECT_REFUSED, S_CONNECT_UNSPEC, S_BIND_ANY, S_SEND, S_END },
	};
	int i, j;

	for (i = 0; i < (int)(sizeof(seqs) / sizeof(seqs[0])); i++) {
		int t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
		int x = xsock();

		ASSERT_LE(0, t);
		ASSERT_LE(0, x);
		for (j = 0; seqs[i][j] != S_END; j++) {
			int rt = do_step(t, seqs[i][j]);
			int rx = do_step(x, seqs[i][j]);

			EXPECT_EQ(rt, rx) {
				TH_LOG("sequence %d step %d: tcp %d xtcp %d",
				       i, j, rt, rx);
			}
		}
		close(t);
		close(x);
	}
}

/* A fresh socket polls as a fresh in-tree TCP socket does. */
TEST(poll_like_tcp)
{
	struct pollfd p[2] = {
		{ .fd = xsock(), .events = POLLIN | POLLOUT | POLLRDHUP },
		{ .fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP),
		  .events = POLLIN | POLLOUT | POLLRDHUP },
	};

	ASSERT_LE(0, p[0].fd);
	ASSERT_LE(0, p[1].fd);
	ASSERT_EQ(2, poll(p, 2, 0));
	EXPECT_EQ(p[1].revents, p[0].revents);
	EXPECT_TRUE(p[0].revents & POLLHUP);
	close(p[0].fd);
	close(p[1].fd);
}

TEST(close_with_linger)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	int fd = xsock();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
