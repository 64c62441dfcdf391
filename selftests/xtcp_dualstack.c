// SPDX-License-Identifier: GPL-2.0
/*
 * Dual-stack xtcp, each answer compared with the one in-tree TCP gives
 * to the same calls:
 *  - an AF_INET6 listener on [::] takes AF_INET clients, seen from it as
 *    ::ffff:127.0.0.1, unless IPV6_V6ONLY is set (ECONNREFUSED then);
 *  - an AF_INET6 socket reaches an AF_INET listener through a v4-mapped
 *    address and names itself by one; the errno of such a connect when
 *    it cannot (V6ONLY, nobody listening, no route);
 *  - bind() conflicts between AF_INET and AF_INET6 sockets on one port,
 *    with and without IPV6_V6ONLY, SO_REUSEADDR off;
 *  - IPV6_V6ONLY against a v4-mapped bind, either order;
 *  - /proc/net/xtcp6 shows v4-mapped connections of AF_INET6 sockets,
 *    /proc/net/xtcp the AF_INET ones (tcp6 and tcp with XTCP_PROTO=6).
 * Data crosses every connection made both ways.  A check of one
 * socket's own behaviour runs on TCP, then on xtcp, and tables hold
 * TCP's answers too: a check TCP fails is a wrong check.  Each test has
 * a network namespace of its own, with lo up.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#define ANY	1	/* in a table of results: not checked */
#define MAPPED	"::ffff:127.0.0.1"

/* "ping" from @a to @b, "pong" back: 0, or -1. */
static int ping(int a, int b)
{
	char buf[8];

	if (send(a, "ping", 4, 0) != 4 || !(await_fd(b, POLLIN) & POLLIN) ||
	    recv(b, buf, sizeof(buf), MSG_DONTWAIT) != 4 || memcmp(buf, "ping", 4))
		return -1;
	if (send(b, "pong", 4, 0) != 4 || !(await_fd(a, POLLIN) & POLLIN) ||
	    recv(a, buf, sizeof(buf), MSG_DONTWAIT) != 4 || memcmp(buf, "pong", 4))
		return -1;
	return 0;
}

/* accept() on @lfd, asserting the peer's address has @len bytes. */
static int accept_len(struct __test_metadata *_metadata, int lfd,
		      struct sockaddr_storage *ss, socklen_t want)
{
	socklen_t len = sizeof(*ss);
	int fd = accept(lfd, SA(ss), &len);

	EXPECT_LE(0, fd);
	EXPECT_EQ(want, len);
	return fd;
}

FIXTURE(ns) {};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, new_netns());
}

FIXTURE_TEARDOWN(ns)
{
}

/* One listener on [::], V6ONLY off: an AF_INET and an AF_INET6 client. */
TEST_F(ns, v4_client_v6_listener)
{
	struct sockaddr_storage acc;
	unsigned short port;
	int i, lfd, c4, s4, c6, s6;

	for (i = 0; i < NPROTO; i++) {
		TH_LOG("%s", pname(i));
		port = 0;
		lfd = bound_p(proto_at(i), "::", 0, 0, 16, &port);
		ASSERT_LE(0, lfd);
		c4 = connected_p(proto_at(i), "127.0.0.1", -1, port);
		ASSERT_LE(0, c4);
		s4 = accept_len(_metadata, lfd, &acc, sizeof(struct sockaddr_in6));
		ASSERT_LE(0, s4);
		EXPECT_TRUE(is_addr(acc, MAPPED, local_port(c4)));
		EXPECT_TRUE(is_addr(name_of(s4, 1), MAPPED, local_port(c4)));
		EXPECT_TRUE(is_addr(name_of(s4, 0), MAPPED, port));
		EXPECT_TRUE(is_addr(name_of(c4, 1), "127.0.0.1", port));
		EXPECT_EQ(AF_INET6, sockopt_get(s4, SOL_SOCKET, SO_DOMAIN));
		EXPECT_EQ(0, ping(c4, s4));

		c6 = connected_p(proto_at(i), "::1", -1, port);
		ASSERT_LE(0, c6);
		s6 = accept_len(_metadata, lfd, &acc, sizeof(struct sockaddr_in6));
		ASSERT_LE(0, s6);
		EXPECT_TRUE(is_addr(acc, "::1", local_port(c6)));
		EXPECT_EQ(0, ping(s6, c6));
		close(s6);
		close(c6);
		close(s4);
		close(c4);
		close(lfd);
	}
}

/* With IPV6_V6ONLY on, the [::] listener takes AF_INET6 clients only. */
TEST_F(ns, v6only_refuses_v4)
{
	static const int expect[2][2] = { { 0, 0 }, { -ECONNREFUSED, 0 } };
	int r[NPROTO][2][2], i, v6only, k;

	for (i = 0; i < NPROTO; i++) {
		for (v6only = 0; v6only < 2; v6only++) {
			unsigned short port = 0;
			int lfd = bound_p(proto_at(i), "::", v6only, 0, 16, &port);

			ASSERT_LE(0, lfd);
			for (k = 0; k < 2; k++) {
				int fd = connected_p(proto_at(i), k ? "::1" : "127.0.0.1",
						     -1, port);

				r[i][v6only][k] = fd < 0 ? -errno : 0;
				close(fd);
			}
			close(lfd);
		}
	}
	for (v6only = 0; v6only < 2; v6only++) {
		for (k = 0; k < 2; k++) {
			EXPECT_EQ(r[0][v6only][k], r[1][v6only][k])
				TH_LOG("v6only %d, %s client: tcp %d xtcp %d", v6only,
				       k ? "AF_INET6" : "AF_INET", r[0][v6only][k],
				       r[1][v6only][k]);
			EXPECT_EQ(expect[v6only][k], r[0][v6only][k]);
		}
	}
}

/* An AF_INET6 client reaches an AF_INET listener at ::ffff:127.0.0.1. */
TEST_F(ns, v6_client_v4_listener)
{
	struct sockaddr_storage acc;
	unsigned short port;
	int i, lfd, cfd, sfd;

	for (i = 0; i < NPROTO; i++) {
		TH_LOG("%s", pname(i));
		port = 0;
		lfd = bound_p(proto_at(i), "127.0.0.1", -1, 0, 16, &port);
		ASSERT_LE(0, lfd);
		cfd = connected_p(proto_at(i), MAPPED, -1, port);
		ASSERT_LE(0, cfd);
		sfd = accept_len(_metadata, lfd, &acc, sizeof(struct sockaddr_in));
		ASSERT_LE(0, sfd);
		EXPECT_TRUE(is_addr(name_of(cfd, 0), MAPPED, local_port(cfd)));
		EXPECT_TRUE(is_addr(name_of(cfd, 1), MAPPED, port));
		EXPECT_TRUE(is_addr(acc, "127.0.0.1", local_port(cfd)));
		EXPECT_NE(0, local_port(cfd));
		EXPECT_EQ(AF_INET6, sockopt_get(cfd, SOL_SOCKET, SO_DOMAIN));
		EXPECT_EQ(0, sockopt_get(cfd, IPPROTO_IPV6, IPV6_V6ONLY));
		EXPECT_EQ(0, ping(cfd, sfd));
		close(sfd);
		close(cfd);
		close(lfd);
	}
}

/*
 * A connect() from a client socket for @host (V6ONLY @v6only unless
 * negative) to a port of a target made for the case alone, so that
 * nothing else can hold the port: a listener or, with @bound_only, a
 * socket bound and not listening.
 */
static const struct conn_case {
	const char *name, *host;
	int v6only;
	const char *target;
	int target_v6only, bound_only;
	int expect;		/* TCP's answer: 0 or -errno */
} conn_cases[] = {
	{ "mapped to AF_INET", MAPPED, 0, "127.0.0.1", -1, 0, 0 },
	{ "mapped from V6ONLY", MAPPED, 1, "127.0.0.1", -1, 0, -ENETUNREACH },
	{ "mapped, nobody listens", MAPPED, 0, "127.0.0.1", -1, 1, -ECONNREFUSED },
	{ "mapped to [::]", MAPPED, 0, "::", 0, 0, 0 },
	{ "mapped to [::] V6ONLY", MAPPED, 0, "::", 1, 0, -ECONNREFUSED },
	{ "mapped, no route", "::ffff:192.0.2.1", 0, "127.0.0.1", -1, 0,
	  -ENETUNREACH },
	{ "AF_INET to [::]", "127.0.0.1", -1, "::", 0, 0, 0 },
	{ "AF_INET to [::] V6ONLY", "127.0.0.1", -1, "::", 1, 0, -ECONNREFUSED },
	{ "AF_INET to [::1]", "127.0.0.1", -1, "::1", -1, 0, -ECONNREFUSED },
	{ "::1 to AF_INET", "::1", 0, "127.0.0.1", -1, 0, -ECONNREFUSED },
	{ "::1 to mapped", "::1", 0, MAPPED, 0, 0, -ECONNREFUSED },
};

#define NCONN	ARRAY_SIZE(conn_cases)

static void conn_cases_run(struct __test_metadata *_metadata, int p, int *r)
{
	unsigned int i;

	for (i = 0; i < NCONN; i++) {
		const struct conn_case *c = &conn_cases[i];
		unsigned short port = 0;
		int lfd = bound_p(p, c->target, c->target_v6only, 0,
				  c->bound_only ? 0 : 4, &port), fd;

		ASSERT_LE(0, lfd) TH_LOG("%s", c->name);
		fd = connected_p(p, c->host, c->v6only, port);
		r[i] = fd < 0 ? -errno : 0;
		close(fd);
		close(lfd);
	}
}

TEST_F(ns, connect_errno_like_tcp)
{
	int rt[NCONN], rx[NCONN];
	unsigned int i;

	conn_cases_run(_metadata, IPPROTO_TCP, rt);
	conn_cases_run(_metadata, proto(), rx);
	for (i = 0; i < NCONN; i++) {
		EXPECT_EQ(rt[i], rx[i]) TH_LOG("%s: tcp %d xtcp %d",
					       conn_cases[i].name, rt[i], rx[i]);
		EXPECT_EQ(conn_cases[i].expect, rt[i]) TH_LOG("%s: tcp %d",
							      conn_cases[i].name, rt[i]);
	}
}

/*
 * A first socket bound to @host1:0 (V6ONLY @v6only1 unless negative),
 * then a second to @host2 on the port the first got; SO_REUSEADDR off.
 */
static const struct bind_case {
	const char *host1;
	int v6only1;
	const char *host2;
	int v6only2;
	int expect;		/* TCP's answer for the second bind */
} bind_cases[] = {
	{ "0.0.0.0", -1, "::", 0, -EADDRINUSE },
	{ "0.0.0.0", -1, "::", 1, 0 },
	{ "::", 0, "0.0.0.0", -1, -EADDRINUSE },
	{ "::", 1, "0.0.0.0", -1, 0 },
	{ "::1", -1, "127.0.0.1", -1, 0 },
	{ "127.0.0.1", -1, "::1", -1, 0 },
	{ "127.0.0.1", -1, "::", 0, -EADDRINUSE },
	{ "127.0.0.1", -1, "::", 1, 0 },
	{ "::", 0, "127.0.0.1", -1, -EADDRINUSE },
	{ "::", 1, "127.0.0.1", -1, 0 },
	{ MAPPED, 0, "127.0.0.1", -1, -EADDRINUSE },
	{ "127.0.0.1", -1, MAPPED, 0, -EADDRINUSE },
	{ MAPPED, 0, "::1", -1, 0 },
	{ "::", 0, MAPPED, 0, -EADDRINUSE },
	{ "::", 1, MAPPED, 0, 0 },
	{ "::", 0, "::1", -1, -EADDRINUSE },
	{ "::", 1, "::", 0, -EADDRINUSE },
	{ "::ffff:0.0.0.0", 0, "127.0.0.1", -1, ANY },
	{ "::ffff:0.0.0.0", 0, "::1", -1, ANY },
};

#define NBIND	ARRAY_SIZE(bind_cases)

static void bind_cases_run(struct __test_metadata *_metadata, int p, int *r)
{
	unsigned int i;

	for (i = 0; i < NBIND; i++) {
		const struct bind_case *c = &bind_cases[i];
		unsigned short port = 0;
		int fd1 = bound_p(p, c->host1, c->v6only1, 0, 0, &port), fd2;

		ASSERT_LE(0, fd1) TH_LOG("%s", c->host1);
		fd2 = bound_p(p, c->host2, c->v6only2, 0, 0, &port);
		r[i] = fd2 < 0 ? -errno : 0;
		close(fd2);
		close(fd1);
	}
}

TEST_F(ns, bind_conflicts_like_tcp)
{
	int rt[NBIND], rx[NBIND];
	unsigned int i;

	bind_cases_run(_metadata, IPPROTO_TCP, rt);
	bind_cases_run(_metadata, proto(), rx);
	for (i = 0; i < NBIND; i++) {
		const struct bind_case *c = &bind_cases[i];

		EXPECT_EQ(rt[i], rx[i]) TH_LOG("%s (v6only %d) then %s (v6only %d): tcp %d xtcp %d",
					       c->host1, c->v6only1, c->host2,
					       c->v6only2, rt[i], rx[i]);
		if (c->expect != ANY)
			EXPECT_EQ(c->expect, rt[i]) TH_LOG("case %u: tcp %d", i, rt[i]);
	}
}

/*
 * IPV6_V6ONLY and v4-mapped binds: the results, in order, of the calls
 * mapped_names[] names, for protocol @p.
 */
static const char * const mapped_names[] = {
	"V6ONLY, bind mapped", "bind mapped", "then set V6ONLY", "get V6ONLY",
	"its name", "bind ::ffff:192.0.2.1", "V6ONLY, bind ::", "get V6ONLY",
	"V6ONLY, bind ::ffff:0.0.0.0", "bind ::ffff:0.0.0.0",
	"mapped listener: AF_INET client", "mapped listener: ::1 client",
};

static const int mapped_expect[] = {
	-EINVAL, 0, -EINVAL, 0, 1, -EADDRNOTAVAIL, 0, 1, -EINVAL, ANY,
	0, -ECONNREFUSED,
};

#define NMAPPED	ARRAY_SIZE(mapped_expect)

static int res(int fd)
{
	return fd < 0 ? -errno : 0;
}

static void mapped_run(struct __test_metadata *_metadata, int p, int *r)
{
	unsigned short port = 0;
	int fd, k = 0;

	fd = bound_p(p, MAPPED, 1, 0, 0, &port);
	r[k++] = res(fd);
	close(fd);
	port = 0;
	fd = bound_p(p, MAPPED, 0, 0, 0, &port);
	r[k++] = res(fd);
	r[k++] = sockopt_set(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	r[k++] = sockopt_get(fd, IPPROTO_IPV6, IPV6_V6ONLY);
	r[k++] = is_addr(name_of(fd, 0), MAPPED, port);
	close(fd);
	port = 0;
	fd = bound_p(p, "::ffff:192.0.2.1", 0, 0, 0, &port);
	r[k++] = res(fd);
	close(fd);
	port = 0;
	fd = bound_p(p, "::", 1, 0, 0, &port);
	r[k++] = res(fd);
	r[k++] = sockopt_get(fd, IPPROTO_IPV6, IPV6_V6ONLY);
	close(fd);
	port = 0;
	fd = bound_p(p, "::ffff:0.0.0.0", 1, 0, 0, &port);
	r[k++] = res(fd);
	close(fd);
	port = 0;
	fd = bound_p(p, "::ffff:0.0.0.0", 0, 0, 0, &port);
	r[k++] = res(fd);
	close(fd);

	port = 0;
	fd = bound_p(p, MAPPED, 0, 0, 4, &port);
	ASSERT_LE(0, fd);
	for (; k < (int)NMAPPED; k++) {
		int c = connected_p(p, k == 10 ? "127.0.0.1" : "::1", -1, port);

		r[k] = res(c);
		close(c);
	}
	close(fd);
}

TEST_F(ns, v6only_mapped_bind_like_tcp)
{
	int rt[NMAPPED], rx[NMAPPED];
	unsigned int i;

	mapped_run(_metadata, IPPROTO_TCP, rt);
	mapped_run(_metadata, proto(), rx);
	for (i = 0; i < NMAPPED; i++) {
		EXPECT_EQ(rt[i], rx[i]) TH_LOG("%s: tcp %d xtcp %d",
					       mapped_names[i], rt[i], rx[i]);
		if (mapped_expect[i] != ANY)
			EXPECT_EQ(mapped_expect[i], rt[i]) TH_LOG("%s: tcp %d",
								  mapped_names[i], rt[i]);
	}
}

/*
 * An AF_INET client of a [::] listener: the accepted AF_INET6 socket is
 * listed by /proc/net/xtcp6 with v4-mapped addresses, the client by
 * /proc/net/xtcp; neither file lists what the other does.
 */
TEST_F(ns, proc_net_mapped)
{
	const char *path6 = proto() == IPPROTO_TCP ? "/proc/net/tcp6" :
						     "/proc/net/xtcp6";
	const char *path4 = proto() == IPPROTO_TCP ? "/proc/net/tcp" :
						     "/proc/net/xtcp";
	struct sockaddr_storage l6, s6, c6, l4, c4, s4;
	unsigned short port = 0, cport;
	int lfd, cfd, sfd;

	lfd = bound_p(proto(), "::", 0, 0, 16, &port);
	ASSERT_LE(0, lfd);
	cfd = connected_p(proto(), "127.0.0.1", -1, port);
	ASSERT_LE(0, cfd);
	sfd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	cport = local_port(cfd);
	addr_pton(&l6, "::", port);
	addr_pton(&s6, MAPPED, port);
	addr_pton(&c6, MAPPED, cport);
	addr_pton(&l4, "0.0.0.0", port);
	addr_pton(&s4, "127.0.0.1", port);
	addr_pton(&c4, "127.0.0.1", cport);
	EXPECT_EQ(0x0A, proc_state(path6, SA(&l6), NULL));	/* LISTEN */
	EXPECT_EQ(0x01, proc_state(path6, SA(&s6), SA(&c6)));	/* ESTABLISHED */
	EXPECT_EQ(0x01, proc_state(path4, SA(&c4), SA(&s4)));
	EXPECT_EQ(-1, proc_state(path6, SA(&c6), SA(&s6)));
	EXPECT_EQ(-1, proc_state(path4, SA(&l4), NULL));
	EXPECT_EQ(-1, proc_state(path4, SA(&s4), SA(&c4)));
	close(sfd);
	close(cfd);
	close(lfd);
}

TEST_HARNESS_MAIN
