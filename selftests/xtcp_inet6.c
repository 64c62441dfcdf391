// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_INET6 socket contract of xtcp, each answer compared with the
 * one in-tree TCP gives to the same calls:
 *  - socket(): SO_DOMAIN, SO_PROTOCOL, SO_TYPE, SOCK_NONBLOCK/CLOEXEC;
 *  - the errno of bind() and connect() given bad lengths, families and
 *    addresses (non-local, multicast, link-local, unrouted, refused);
 *  - listen/accept/connect on ::1 and the names each side reports;
 *  - 1 MiB echoed byte exact, then half-close by shutdown(SHUT_WR);
 *  - IPPROTO_IPV6 options (V6ONLY, TCLASS, UNICAST_HOPS, RECVERR, MTU)
 *    and IPPROTO_TCP ones (NODELAY, MAXSEG, TCP_INFO) on v6 sockets;
 *  - /proc/net/xtcp6 in the format of /proc/net/tcp6, and no AF_INET6
 *    socket in /proc/net/xtcp (XTCP_PROTO=6 reads tcp6 and tcp);
 *  - poll() revents of fresh, listening and connected sockets;
 *  - SO_REUSEADDR over a connection in TIME_WAIT, the server's or the
 *    client's.
 * A check of one socket's own behaviour runs on TCP, then on xtcp, and
 * tables hold TCP's answers too: a check TCP fails is a wrong check.
 * Each test has a network namespace of its own, with lo up.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#define ANY	1	/* in a table of results: not checked */

FIXTURE(ns) {};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, new_netns());
}

FIXTURE_TEARDOWN(ns)
{
}

TEST_F(ns, socket_identity)
{
	int i, fd;

	for (i = 0; i < NPROTO; i++) {
		fd = socket(AF_INET6, SOCK_STREAM, proto_at(i));
		ASSERT_LE(0, fd) TH_LOG("%s: %s", pname(i), strerror(errno));
		EXPECT_EQ(AF_INET6, sockopt_get(fd, SOL_SOCKET, SO_DOMAIN));
		EXPECT_EQ(proto_at(i), sockopt_get(fd, SOL_SOCKET, SO_PROTOCOL));
		EXPECT_EQ(SOCK_STREAM, sockopt_get(fd, SOL_SOCKET, SO_TYPE));
		EXPECT_EQ(0, sockopt_get(fd, SOL_SOCKET, SO_ERROR));
		EXPECT_EQ(0, sockopt_get(fd, SOL_SOCKET, SO_ACCEPTCONN));
		EXPECT_EQ(0, close(fd));
		/* No datagram socket of the protocol, for either. */
		EXPECT_EQ(-1, socket(AF_INET6, SOCK_DGRAM, proto_at(i)));
		EXPECT_EQ(EPROTONOSUPPORT, errno);
	}
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto());
	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/*
 * One bind() or connect() on a fresh AF_INET6 socket: the address is
 * @host in a sockaddr_in6 (NULL: a sockaddr_in of 127.0.0.1) whose
 * family is then @family, given with length @len (-1: sizeof(struct
 * sockaddr_in6)).  A connect goes to a port held by a bound socket
 * nobody listens on, or with @to_listener to a listener, both of the
 * socket's protocol.  @twice makes the same call first.
 */
struct addr_case {
	const char *name, *host;
	int family, len;
	unsigned int scope;
	int twice, to_listener;
	int expect;		/* TCP's answer: 0 or -errno */
};

static const struct addr_case bind_cases[] = {
	{ "len 0", "::1", AF_INET6, 0, .expect = -EINVAL },
	{ "len 8", "::1", AF_INET6, 8, .expect = -EINVAL },
	{ "len 23", "::1", AF_INET6, 23, .expect = -EINVAL },
	{ "len 24 (SIN6_LEN_RFC2133)", "::1", AF_INET6, 24, .expect = 0 },
	{ "::1", "::1", AF_INET6, -1, .expect = 0 },
	{ "::", "::", AF_INET6, -1, .expect = 0 },
	{ "len 128", "::1", AF_INET6, 128, .expect = 0 },
	{ "len 129", "::1", AF_INET6, 129, .expect = -EINVAL },
	{ "a sockaddr_in", NULL, AF_INET, .expect = -EINVAL },
	{ "family AF_INET", "::1", AF_INET, -1, .expect = -EAFNOSUPPORT },
	{ "family AF_UNSPEC", "::1", AF_UNSPEC, -1, .expect = -EAFNOSUPPORT },
	{ "2001:db8::1", "2001:db8::1", AF_INET6, -1, .expect = -EADDRNOTAVAIL },
	{ "link-local, no scope", "fe80::1", AF_INET6, -1, .expect = -EINVAL },
	{ "link-local, no device", "fe80::1", AF_INET6, -1, 9999, .expect = -ENODEV },
	/* lo is ifindex 1 in a new netns; it has no link-local address. */
	{ "link-local, lo", "fe80::1", AF_INET6, -1, 1, .expect = -EADDRNOTAVAIL },
	{ "ff02::1, no scope", "ff02::1", AF_INET6, -1, .expect = -EINVAL },
	{ "second bind", "::1", AF_INET6, -1, .twice = 1, .expect = -EINVAL },
};

static const struct addr_case connect_cases[] = {
	{ "len 0", "::1", AF_INET6, 0, .expect = -EINVAL },
	{ "len 1", "::1", AF_INET6, 1, .expect = -EINVAL },
	{ "AF_UNSPEC, unconnected", "::1", AF_UNSPEC, 2, .expect = 0 },
	{ "len 8", "::1", AF_INET6, 8, .expect = -EINVAL },
	{ "len 23", "::1", AF_INET6, 23, .expect = -EINVAL },
	{ "a sockaddr_in", NULL, AF_INET, .expect = -EINVAL },
	{ "family AF_INET", "::1", AF_INET, -1, .expect = -EAFNOSUPPORT },
	{ "multicast", "ff0e::1", AF_INET6, -1, .expect = -ENETUNREACH },
	{ "link-local, no scope", "fe80::1", AF_INET6, -1, .expect = -EINVAL },
	{ "no route", "2001:db8::1", AF_INET6, -1, .expect = -ENETUNREACH },
	{ "nobody listens", "::1", AF_INET6, -1, .expect = -ECONNREFUSED },
	{ "nobody, len 24", "::1", AF_INET6, 24, .expect = -ECONNREFUSED },
	{ ":: is loopback", "::", AF_INET6, -1, .expect = -ECONNREFUSED },
	{ "a listener", "::1", AF_INET6, -1, .to_listener = 1, .expect = 0 },
	{ "connected", "::1", AF_INET6, -1, .twice = 1, .to_listener = 1,
	  .expect = -EISCONN },
};

static int addr_call(int fd, const struct addr_case *c, int is_bind,
		     unsigned short port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = addr_pton(&ss, c->host ?: "127.0.0.1", port);

	if (c->host) {
		a6->sin6_family = c->family;
		a6->sin6_scope_id = c->scope;
		len = c->len < 0 ? sizeof(*a6) : c->len;
	}
	return neg_errno(is_bind ? bind(fd, SA(&ss), len) :
			 connect(fd, SA(&ss), len));
}

static void addr_cases_run(struct __test_metadata *_metadata, int p,
			   const struct addr_case *tab, int n, int is_bind,
			   int *res)
{
	unsigned short lport = 0, nport = 0;
	int lfd = bound_p(p, "::1", -1, 0, 16, &lport);
	int nfd = bound_p(p, "::1", -1, 0, 0, &nport);
	int i, fd;

	ASSERT_LE(0, lfd);
	ASSERT_LE(0, nfd);
	for (i = 0; i < n; i++) {
		unsigned short port = is_bind ? 0 :
				      tab[i].to_listener ? lport : nport;

		fd = socket(AF_INET6, SOCK_STREAM, p);
		ASSERT_LE(0, fd);
		if (tab[i].twice)
			res[i] = addr_call(fd, &tab[i], is_bind, port);
		ASSERT_EQ(0, tab[i].twice ? res[i] : 0);
		res[i] = addr_call(fd, &tab[i], is_bind, port);
		close(fd);
	}
	close(nfd);
	close(lfd);
}

static void addr_cases_compare(struct __test_metadata *_metadata,
			       const struct addr_case *tab, int n, int is_bind)
{
	int rt[32], rx[32], i;

	ASSERT_GE(32, n);
	addr_cases_run(_metadata, IPPROTO_TCP, tab, n, is_bind, rt);
	addr_cases_run(_metadata, proto(), tab, n, is_bind, rx);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(rt[i], rx[i]) TH_LOG("%s: tcp %d xtcp %d",
					       tab[i].name, rt[i], rx[i]);
		EXPECT_EQ(tab[i].expect, rt[i]) TH_LOG("%s: tcp %d",
							 tab[i].name, rt[i]);
	}
}

TEST_F(ns, bind_errno_like_tcp)
{
	addr_cases_compare(_metadata, bind_cases, ARRAY_SIZE(bind_cases), 1);
}

TEST_F(ns, connect_errno_like_tcp)
{
	addr_cases_compare(_metadata, connect_cases, ARRAY_SIZE(connect_cases), 0);
}

/*
 * @fd: a listener of protocol @p on [::1], a client connected to it, the
 * socket accepted, whose peer accept() gave is in *@acc.
 */
enum { L, C, S };

static void pair6(struct __test_metadata *_metadata, int p, int reuse,
		  int *fd, struct sockaddr_storage *acc)
{
	socklen_t len = sizeof(*acc);
	unsigned short port = 0;

	fd[L] = bound_p(p, "::1", -1, reuse, 16, &port);
	ASSERT_LE(0, fd[L]);
	fd[C] = connected_p(p, "::1", -1, port);
	ASSERT_LE(0, fd[C]);
	fd[S] = accept(fd[L], acc ? SA(acc) : NULL, acc ? &len : NULL);
	ASSERT_LE(0, fd[S]);
	ASSERT_EQ(acc ? sizeof(struct sockaddr_in6) : sizeof(*acc), len);
}

static void close3(const int *fd)
{
	close(fd[S]);
	close(fd[C]);
	close(fd[L]);
}

/* What accept(), getsockname() and getpeername() say, on both sides. */
TEST_F(ns, accept_names)
{
	struct sockaddr_storage acc;
	unsigned short port, cport;
	int i, fd[3];

	for (i = 0; i < NPROTO; i++) {
		TH_LOG("%s", pname(i));
		pair6(_metadata, proto_at(i), 0, fd, &acc);
		port = local_port(fd[L]);
		cport = local_port(fd[C]);
		EXPECT_NE(0, cport);
		EXPECT_TRUE(is_addr(acc, "::1", cport));
		EXPECT_TRUE(is_addr(name_of(fd[C], 0), "::1", cport));
		EXPECT_TRUE(is_addr(name_of(fd[S], 1), "::1", cport));
		EXPECT_TRUE(is_addr(name_of(fd[C], 1), "::1", port));
		EXPECT_TRUE(is_addr(name_of(fd[S], 0), "::1", port));
		EXPECT_TRUE(is_addr(name_of(fd[L], 0), "::1", port));
		EXPECT_EQ(AF_INET6, sockopt_get(fd[S], SOL_SOCKET, SO_DOMAIN));
		EXPECT_EQ(proto_at(i), sockopt_get(fd[S], SOL_SOCKET, SO_PROTOCOL));
		close3(fd);
	}
}

#define ECHO_LEN	(1 << 20)

/* Account a nonblocking send() or recv() of @n bytes: 0, or -errno. */
static int moved(ssize_t n, size_t *off)
{
	if (n > 0)
		*off += n;
	return n < 0 && errno != EAGAIN ? -errno : 0;
}

/*
 * @len bytes from @cfd to @sfd and back, both ends driven by one poll
 * loop: 0, or -errno (-ETIMEDOUT after 30 s without progress, -EPIPE
 * on an early EOF or error).
 */
static int echo(int cfd, int sfd, const unsigned char *tx, unsigned char *mid,
		unsigned char *rx, size_t len)
{
	size_t ctx = 0, srx = 0, stx = 0, crx = 0;
	int err = 0;

	while (!err && crx < len) {
		struct pollfd p[2] = { { .fd = cfd, .events = POLLIN | POLLRDHUP },
				       { .fd = sfd, .events = POLLRDHUP } };

		p[0].events |= ctx < len ? POLLOUT : 0;
		p[1].events |= (srx < len ? POLLIN : 0) | (stx < srx ? POLLOUT : 0);
		if (poll(p, 2, 30000) <= 0)
			return -ETIMEDOUT;
		if ((p[0].revents | p[1].revents) &
		    (POLLERR | POLLHUP | POLLNVAL | POLLRDHUP))
			return -EPIPE;
		if (p[0].revents & POLLOUT)
			err = moved(send(cfd, tx + ctx, len - ctx, MSG_DONTWAIT), &ctx);
		if (!err && p[1].revents & POLLIN)
			err = moved(recv(sfd, mid + srx, len - srx, MSG_DONTWAIT), &srx);
		if (!err && p[1].revents & POLLOUT)
			err = moved(send(sfd, mid + stx, srx - stx, MSG_DONTWAIT), &stx);
		if (!err && p[0].revents & POLLIN)
			err = moved(recv(cfd, rx + crx, len - crx, MSG_DONTWAIT), &crx);
	}
	return err;
}

/* 1 MiB there and back on ::1, then half-close (RFC 9293 3.6). */
TEST_F_TIMEOUT(ns, data_echo_half_close, 300)
{
	static unsigned char tx[ECHO_LEN], mid[ECHO_LEN], rx[ECHO_LEN];
	int i, fd[3], cfd, sfd;
	char buf[16];
	size_t k;

	for (k = 0; k < ECHO_LEN; k++)
		tx[k] = (unsigned char)(k * 7 + (k >> 11));
	for (i = 0; i < NPROTO; i++) {
		TH_LOG("%s", pname(i));
		pair6(_metadata, proto_at(i), 0, fd, NULL);
		close(fd[L]);
		cfd = fd[C];
		sfd = fd[S];
		memset(rx, 0, sizeof(rx));
		ASSERT_EQ(0, echo(cfd, sfd, tx, mid, rx, ECHO_LEN));
		EXPECT_EQ(0, memcmp(tx, mid, ECHO_LEN));
		EXPECT_EQ(0, memcmp(tx, rx, ECHO_LEN));

		ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
		EXPECT_TRUE(await_fd(sfd, POLLIN) & POLLIN);
		EXPECT_EQ(0, recv(sfd, buf, sizeof(buf), MSG_DONTWAIT));	/* EOF */
		EXPECT_EQ(-1, send(cfd, "x", 1, MSG_NOSIGNAL));
		EXPECT_EQ(EPIPE, errno);
		ASSERT_EQ(4, send(sfd, "tail", 4, 0));	/* the other way works */
		EXPECT_TRUE(await_fd(cfd, POLLIN) & POLLIN);
		ASSERT_EQ(4, recv(cfd, buf, sizeof(buf), MSG_DONTWAIT));
		EXPECT_EQ(0, memcmp(buf, "tail", 4));
		close(sfd);
		EXPECT_TRUE(await_fd(cfd, POLLIN) & POLLIN);
		EXPECT_EQ(0, recv(cfd, buf, sizeof(buf), MSG_DONTWAIT));
		close(cfd);
	}
}

/*
 * Option calls in sequence on one socket, and TCP's answers: the value
 * got, 0, or -errno.  S_BIND binds the socket to [::1]:0.
 */
enum sop { S_GET, S_SET, S_BIND };

#define GET6(o, e)	{ S_GET, IPPROTO_IPV6, o, 0, 0, e }
#define SET6(o, v, e)	{ S_SET, IPPROTO_IPV6, o, v, 0, e }

static const struct sockopt_step {
	enum sop op;
	int level, name, val, len;	/* len 0: sizeof(int) */
	int expect;
} sockopt_steps[] = {
	GET6(IPV6_V6ONLY, 0), SET6(IPV6_V6ONLY, 1, 0), GET6(IPV6_V6ONLY, 1),
	SET6(IPV6_V6ONLY, 0, 0), GET6(IPV6_V6ONLY, 0),
	{ S_SET, IPPROTO_IPV6, IPV6_V6ONLY, 1, 1, -EINVAL },	/* optlen 1 */
	GET6(IPV6_TCLASS, 0), SET6(IPV6_TCLASS, 0x28, 0), GET6(IPV6_TCLASS, 0x28),
	SET6(IPV6_TCLASS, 256, -EINVAL), SET6(IPV6_TCLASS, -1, 0),
	GET6(IPV6_TCLASS, 0),
	GET6(IPV6_UNICAST_HOPS, 64), SET6(IPV6_UNICAST_HOPS, 10, 0),
	GET6(IPV6_UNICAST_HOPS, 10), SET6(IPV6_UNICAST_HOPS, 256, -EINVAL),
	SET6(IPV6_UNICAST_HOPS, -2, -EINVAL), SET6(IPV6_UNICAST_HOPS, -1, 0),
	GET6(IPV6_UNICAST_HOPS, 64),
	GET6(IPV6_RECVERR, 0), SET6(IPV6_RECVERR, 1, 0), GET6(IPV6_RECVERR, 1),
	GET6(IPV6_MTU, -ENOTCONN),
	SET6(9999, 1, -ENOPROTOOPT), GET6(9999, -ENOPROTOOPT),
	{ S_SET, SOL_IP, IP_TOS, 0x10, 0, 0 }, { S_GET, SOL_IP, IP_TOS, 0, 0, 0x10 },
	{ S_BIND },
	/* Bound: too late to set; a bind to a v6 address but :: sets it. */
	SET6(IPV6_V6ONLY, 0, -EINVAL), GET6(IPV6_V6ONLY, 1),
	SET6(IPV6_TCLASS, 0x10, 0), GET6(IPV6_TCLASS, 0x10),
};

#define NSTEPS	ARRAY_SIZE(sockopt_steps)

/* Each step's result in @res, and the optlen after it in @lens. */
static void sockopt_run(struct __test_metadata *_metadata, int p, int *res,
			int *lens)
{
	struct sockaddr_in6 a = addr6_of(0);
	int fd = socket(AF_INET6, SOCK_STREAM, p);
	unsigned int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < NSTEPS; i++) {
		const struct sockopt_step *s = &sockopt_steps[i];
		socklen_t len = s->len ?: sizeof(int);
		int v = s->val;

		if (s->op == S_BIND)
			res[i] = neg_errno(bind(fd, SA(&a), sizeof(a)));
		else if (s->op == S_SET)
			res[i] = neg_errno(setsockopt(fd, s->level, s->name, &v, len));
		else
			res[i] = getsockopt(fd, s->level, s->name, &v, &len) ? -errno : v;
		lens[i] = len;
	}
	close(fd);
}

TEST_F(ns, sockopt_ipv6_like_tcp)
{
	int rt[NSTEPS], rx[NSTEPS], lt[NSTEPS], lx[NSTEPS];
	unsigned int i;

	sockopt_run(_metadata, IPPROTO_TCP, rt, lt);
	sockopt_run(_metadata, proto(), rx, lx);
	for (i = 0; i < NSTEPS; i++) {
		EXPECT_EQ(rt[i], rx[i]) TH_LOG("step %u (level %d option %d): tcp %d xtcp %d",
					       i, sockopt_steps[i].level,
					       sockopt_steps[i].name, rt[i], rx[i]);
		EXPECT_EQ(lt[i], lx[i]) TH_LOG("step %u: optlen tcp %d xtcp %d",
					       i, lt[i], lx[i]);
		EXPECT_EQ(sockopt_steps[i].expect, rt[i]) TH_LOG("step %u: tcp %d",
								 i, rt[i]);
	}
}

/* Options of a connected v6 socket: TCP level, and what the route gives. */
TEST_F(ns, sockopt_connected)
{
	int mtu[NPROTO], hops[NPROTO], i, fd[3], cfd, mss;
	struct tcp_info ti;
	socklen_t len;

	for (i = 0; i < NPROTO; i++) {
		TH_LOG("%s", pname(i));
		pair6(_metadata, proto_at(i), 0, fd, NULL);
		cfd = fd[C];
		EXPECT_EQ(0, sockopt_set(cfd, IPPROTO_TCP, TCP_NODELAY, 1));
		EXPECT_EQ(1, sockopt_get(cfd, IPPROTO_TCP, TCP_NODELAY));
		mss = sockopt_get(cfd, IPPROTO_TCP, TCP_MAXSEG);
		EXPECT_LT(0, mss);
		EXPECT_GE(65535, mss);
		memset(&ti, 0, sizeof(ti));
		len = sizeof(ti);
		ASSERT_EQ(0, getsockopt(cfd, IPPROTO_TCP, TCP_INFO, &ti, &len));
		EXPECT_EQ(TCP_ESTABLISHED, ti.tcpi_state);
		EXPECT_LT(0, ti.tcpi_snd_mss);
		EXPECT_GE(65535, ti.tcpi_snd_mss);
		mtu[i] = sockopt_get(cfd, IPPROTO_IPV6, IPV6_MTU);
		hops[i] = sockopt_get(cfd, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
		close3(fd);
	}
	EXPECT_EQ(mtu[0], mtu[1]);
	EXPECT_EQ(hops[0], hops[1]);
}

/*
 * /proc/net/xtcp6 lists the listener and both ends of a connection in
 * the format of /proc/net/tcp6; /proc/net/xtcp, as /proc/net/tcp, has
 * none of them: it lists AF_INET sockets only.
 */
TEST_F(ns, proc_net_xtcp6)
{
	const char *path6 = proto() == IPPROTO_TCP ? "/proc/net/tcp6" :
						     "/proc/net/xtcp6";
	const char *path4 = proto() == IPPROTO_TCP ? "/proc/net/tcp" :
						     "/proc/net/xtcp";
	int fd[3], lines = 0, hits = 0;
	struct sockaddr_storage l, c, s;
	unsigned int lp, rp;
	char line[512];
	FILE *f;

	ASSERT_EQ(0, access(path6, R_OK));
	pair6(_metadata, proto(), 0, fd, NULL);
	l = name_of(fd[L], 0);
	c = name_of(fd[C], 0);
	s = name_of(fd[S], 0);
	EXPECT_EQ(0x0A, proc_state(path6, SA(&l), NULL));	/* LISTEN */
	EXPECT_EQ(0x01, proc_state(path6, SA(&c), SA(&s)));	/* ESTABLISHED */
	EXPECT_EQ(0x01, proc_state(path6, SA(&s), SA(&c)));
	f = fopen(path4, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f) && ++lines)
		if (sscanf(line, "%*s %*[0-9A-F]:%X %*[0-9A-F]:%X", &lp, &rp) == 2)
			hits += lp == local_port(fd[L]) || lp == local_port(fd[C]);
	fclose(f);
	EXPECT_LE(1, lines);	/* the header */
	EXPECT_EQ(0, hits);
	close3(fd);
}

/*
 * revents for protocol @p of a fresh socket, a listener, a listener with
 * a connection queued, the connected client and the accepted socket.
 */
static void poll_stages(struct __test_metadata *_metadata, int p, short *rev)
{
	unsigned short port = 0;
	struct pollfd pf[5];
	int fd[3], k, c2;

	pair6(_metadata, p, 0, fd, NULL);
	pf[0].fd = socket(AF_INET6, SOCK_STREAM, p);
	pf[1].fd = bound_p(p, "::1", -1, 0, 4, &port);
	pf[2].fd = fd[L];
	pf[3].fd = fd[C];
	pf[4].fd = fd[S];
	c2 = connected_p(p, "::1", -1, local_port(fd[L]));
	ASSERT_LE(0, c2);
	EXPECT_TRUE(await_fd(fd[L], POLLIN) & POLLIN);
	for (k = 0; k < 5; k++) {
		ASSERT_LE(0, pf[k].fd);
		pf[k].events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP;
	}
	EXPECT_LE(0, poll(pf, 5, 0));
	for (k = 0; k < 5; k++)
		rev[k] = pf[k].revents;
	close(c2);
	close(pf[1].fd);
	close(pf[0].fd);
	close3(fd);
}

TEST_F(ns, poll_like_tcp)
{
	static const char * const stage[] = { "fresh", "listening", "queued",
		"connected", "accepted" };
	short rt[5], rx[5];
	int i;

	poll_stages(_metadata, IPPROTO_TCP, rt);
	poll_stages(_metadata, proto(), rx);
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(rt[i], rx[i]) TH_LOG("%s: tcp %#x xtcp %#x", stage[i],
					       rt[i], rx[i]);
	}
	EXPECT_EQ(POLLOUT | POLLHUP, rt[0]);
	EXPECT_EQ(0, rt[1]);
	EXPECT_EQ(POLLIN, rt[2]);
	EXPECT_EQ(POLLOUT, rt[3]);
}

/*
 * Close a connection [::1]:C - [::1]:P whose server end has SO_REUSEADDR
 * (from its listener) and whose client has not, then bind new sockets
 * without and with SO_REUSEADDR.  With @server_first the server is the
 * active closer and its time-wait minisock holds P, else the client's
 * holds C.  Each close follows the read of the other end's FIN, so the
 * minisock exists when the binds run.  @r: bind P plain, bind P reuse,
 * listen on it, bind C plain, bind C reuse.  A bind whose @expect is
 * ANY is not made: the passive closer's LAST_ACK may still hold its
 * port or not.
 */
static void time_wait_binds(struct __test_metadata *_metadata, int p,
			    int server_first, const int *expect, int *r)
{
	int fd[3], nfd[4], first, second, k;
	unsigned short ports[2];
	struct sockaddr_in6 a;
	char buf[4];

	pair6(_metadata, p, 1, fd, NULL);
	ports[0] = local_port(fd[L]);
	ports[1] = local_port(fd[C]);
	close(fd[L]);
	first = fd[server_first ? S : C];
	second = fd[server_first ? C : S];
	ASSERT_EQ(0, shutdown(first, SHUT_WR));
	ASSERT_TRUE(await_fd(second, POLLIN) & POLLIN);
	ASSERT_EQ(0, recv(second, buf, sizeof(buf), MSG_DONTWAIT));
	close(second);
	ASSERT_TRUE(await_fd(first, POLLIN) & POLLIN);
	ASSERT_EQ(0, recv(first, buf, sizeof(buf), MSG_DONTWAIT));
	close(first);

	for (k = 0; k < 4; k++) {
		int slot = k < 2 ? k : k + 1;

		nfd[k] = socket(AF_INET6, SOCK_STREAM, p);
		ASSERT_LE(0, nfd[k]);
		ASSERT_EQ(0, sockopt_set(nfd[k], SOL_SOCKET, SO_REUSEADDR, k & 1));
		a = addr6_of(ports[k / 2]);
		r[slot] = expect[slot] == ANY ? ANY :
			  neg_errno(bind(nfd[k], SA(&a), sizeof(a)));
	}
	r[2] = neg_errno(listen(nfd[1], 4));
	for (k = 0; k < 4; k++)
		close(nfd[k]);
}

/*
 * The client closes first: P is bound again with SO_REUSEADDR, and the
 * client's TIME_WAIT holds C even for SO_REUSEADDR: the client had not
 * set it, and both must have.  The server closes first: its TIME_WAIT
 * holds P but for SO_REUSEADDR.
 */
TEST_F(ns, reuseaddr_time_wait)
{
	static const char * const what[] = { "bind P", "bind P reuse",
		"listen P", "bind C", "bind C reuse" };
	static const int expect[2][5] = {
		{ ANY, 0, 0, -EADDRINUSE, -EADDRINUSE },	/* client first */
		{ -EADDRINUSE, 0, 0, ANY, ANY },		/* server first */
	};
	int rt[5], rx[5], k, sf;

	for (sf = 0; sf < 2; sf++) {
		time_wait_binds(_metadata, IPPROTO_TCP, sf, expect[sf], rt);
		time_wait_binds(_metadata, proto(), sf, expect[sf], rx);
		for (k = 0; k < 5; k++) {
			EXPECT_EQ(rt[k], rx[k]) TH_LOG("%s first, %s: tcp %d xtcp %d",
						       sf ? "server" : "client",
						       what[k], rt[k], rx[k]);
			EXPECT_EQ(expect[sf][k], rt[k]) TH_LOG("%s: tcp %d",
							       what[k], rt[k]);
		}
	}
}

TEST_HARNESS_MAIN
