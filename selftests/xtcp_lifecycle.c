// SPDX-License-Identifier: GPL-2.0
/*
 * Connection lifecycle seen from outside: handshake, data both ways,
 * half-close, the four-way close and TIME_WAIT, RST cases, backlog and
 * bind rules, simultaneous open and close (RFC 9293 3.5, 3.6, 3.10).
 * Every test runs in a network namespace of its own, over 127.0.0.1, or
 * over ::1 with XTCP_FAMILY=6.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/xtcp.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

/*
 * A listener on the loopback address of family() and an ephemeral
 * port; returns fd, sets *port.
 */
static int listener(unsigned short *port, int reuse)
{
	union xaddr a = xaddr_of(0);
	socklen_t len = sizeof(a);
	int fd = xsock();

	if (fd < 0)
		return -1;
	if (reuse && set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1))
		return -1;
	if (bind(fd, &a.sa, xaddr_len()) || listen(fd, 16) ||
	    getsockname(fd, &a.sa, &len))
		return -1;
	*port = xaddr_port(&a);
	return fd;
}

static int connect_to(unsigned short port)
{
	union xaddr a = xaddr_of(port);
	int fd = xsock();

	if (fd < 0 || connect(fd, &a.sa, xaddr_len()))
		return -1;
	return fd;
}

static int sock_error(int fd)
{
	int e = -1;
	socklen_t len = sizeof(e);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
	return e;
}

/* Put a delay on lo, so segments in flight cross each other. */
/*
 * Segments cross if the two calls that send them are less than the
 * delay apart: 300 ms leaves room for a preempted test on a slow guest.
 */
static int delay_lo(void)
{
	return system("tc qdisc add dev lo root netem delay 300ms");
}

FIXTURE(conn) {
	unsigned short port;
	int lfd;
};

FIXTURE_SETUP(conn)
{
	ASSERT_EQ(0, new_netns());
	self->lfd = listener(&self->port, 1);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(conn)
{
	close(self->lfd);
}

TEST_F(conn, handshake_and_names)
{
	union xaddr c, p, want = xaddr_of(self->port);
	socklen_t len = sizeof(p);
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, &p.sa, &len);
	ASSERT_LE(0, sfd);
	EXPECT_EQ(xaddr_len(), len);
	len = sizeof(c);
	ASSERT_EQ(0, getsockname(cfd, &c.sa, &len));
	EXPECT_EQ(xaddr_len(), len);
	/* accept() names the client */
	EXPECT_EQ(xaddr_port(&c), xaddr_port(&p));
	EXPECT_TRUE(xaddr_eq(&c, &p));
	len = sizeof(p);
	ASSERT_EQ(0, getpeername(cfd, &p.sa, &len));
	EXPECT_EQ(xaddr_len(), len);
	EXPECT_EQ(self->port, xaddr_port(&p));
	EXPECT_TRUE(xaddr_eq(&want, &p));
	EXPECT_EQ(1, counter("XtcpActiveOpens"));
	EXPECT_EQ(1, counter("XtcpPassiveOpens"));
	close(sfd);
	close(cfd);
}

TEST_F(conn, data_both_ways)
{
	char buf[64];
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(5, send(cfd, "hello", 5, 0));
	ASSERT_EQ(5, recv(sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(6, send(sfd, "world!", 6, 0));
	ASSERT_EQ(6, recv(cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "world!", 6));
	/* MSG_PEEK leaves the data; the next read gets it again. */
	ASSERT_EQ(3, send(cfd, "xyz", 3, 0));
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), MSG_PEEK));
	ASSERT_EQ(3, recv(sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "xyz", 3));
	close(sfd);
	close(cfd);
}

/* shutdown(SHUT_WR): the peer reads EOF and can still send. */
TEST_F(conn, half_close)
{
	char buf[64];
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(4, send(cfd, "last", 4, 0));
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_EQ(4, recv(sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(sfd, buf, sizeof(buf), 0));	/* EOF after data */
	EXPECT_EQ(-1, send(cfd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(5, send(sfd, "reply", 5, 0));
	ASSERT_EQ(5, recv(cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "reply", 5));
	close(sfd);
	EXPECT_EQ(0, recv(cfd, buf, sizeof(buf), 0));
	close(cfd);
	/* The client closed first: its side holds TIME_WAIT. */
	EXPECT_EQ(1, await_counter("XtcpTimeWaitCreated", 1));
}

/* 4 MiB with a checksum, writer and reader in two processes. */
TEST_F(conn, bulk_transfer)
{
	const size_t total = 4 << 20;
	unsigned long sum_sent = 0, sum_got = 0;
	static unsigned char buf[65536];
	size_t got = 0, i;
	int cfd, sfd, status;
	pid_t pid;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	for (i = 0; i < total; i++)
		sum_sent = sum_sent * 31 + (unsigned char)(i * 7 + (i >> 11));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		size_t off = 0;

		close(sfd);
		while (off < total) {
			size_t n = total - off < sizeof(buf) ? total - off : sizeof(buf);
			ssize_t w;

			for (i = 0; i < n; i++)
				buf[i] = (unsigned char)((off + i) * 7 + ((off + i) >> 11));
			w = send(cfd, buf, n, 0);
			if (w <= 0)
				_exit(1);
			off += w;
		}
		close(cfd);
		_exit(0);
	}
	close(cfd);
	for (;;) {
		ssize_t r = recv(sfd, buf, sizeof(buf), 0);

		ASSERT_LE(0, r);
		if (!r)
			break;
		for (i = 0; i < (size_t)r; i++)
			sum_got = sum_got * 31 + buf[i];
		got += r;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(total, got);
	EXPECT_EQ(sum_sent, sum_got);
	close(sfd);
}

TEST_F(conn, refused)
{
	union xaddr a = xaddr_of(self->port + 1);
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, connect(fd, &a.sa, xaddr_len()));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_EQ(1, counter("XtcpOutRsts"));
	EXPECT_EQ(1, counter("XtcpAttemptFails"));
	/* The socket can try again, as a TCP socket can. */
	a = xaddr_of(self->port);
	EXPECT_EQ(0, connect(fd, &a.sa, xaddr_len()));
	close(fd);
}

TEST_F(conn, nonblocking_connect_and_poll)
{
	union xaddr a = xaddr_of(self->port);
	struct pollfd p = { .events = POLLIN };
	int fd = xsock_flags(SOCK_NONBLOCK);
	int sfd;

	ASSERT_LE(0, fd);
	p.fd = self->lfd;
	EXPECT_EQ(0, poll(&p, 1, 0));	/* nothing to accept yet */
	ASSERT_EQ(-1, connect(fd, &a.sa, xaddr_len()));
	ASSERT_EQ(EINPROGRESS, errno);
	EXPECT_EQ(1, poll(&p, 1, 5000));
	EXPECT_TRUE(p.revents & POLLIN);
	p.fd = fd;
	p.events = POLLOUT;
	EXPECT_EQ(1, poll(&p, 1, 5000));
	EXPECT_TRUE(p.revents & POLLOUT);
	EXPECT_EQ(0, sock_error(fd));
	sfd = accept(self->lfd, NULL, NULL);
	EXPECT_LE(0, sfd);
	close(sfd);
	close(fd);
}

/* SO_LINGER with zero timeout: close() aborts and the peer sees a RST. */
TEST_F(conn, linger_zero_resets)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };
	char buf[8];
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	close(cfd);
	EXPECT_EQ(-1, recv(sfd, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	EXPECT_EQ(0, counter("XtcpTimeWaitCreated"));
	close(sfd);
}

/* RFC 2525 2.17: close() with unread data resets the connection. */
TEST_F(conn, close_with_unread_data_resets)
{
	char buf[8];
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(4, send(cfd, "data", 4, 0));
	/* The data must be there, unread, when the server closes. */
	struct pollfd p = { .fd = sfd, .events = POLLIN };

	ASSERT_EQ(1, poll(&p, 1, 30000));
	close(sfd);
	EXPECT_EQ(-1, recv(cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(ECONNRESET, errno);
	close(cfd);
}

/* A full accept queue: further connections wait, none is lost. */
TEST_F(conn, backlog_overflow_counted)
{
	unsigned short port;
	int lfd, fds[4], i, n = 0;

	lfd = listener(&port, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, listen(lfd, 1));
	for (i = 0; i < 3; i++) {
		fds[i] = xsock_flags(SOCK_NONBLOCK);
		ASSERT_LE(0, fds[i]);
		union xaddr a = xaddr_of(port);

		connect(fds[i], &a.sa, xaddr_len());
	}
	for (i = 0; i < 3000; i++) {
		if (counter("XtcpListenDrops") + counter("XtcpListenOverflows") > 0)
			break;
		usleep(10000);
	}
	EXPECT_LT(0, counter("XtcpListenDrops") + counter("XtcpListenOverflows"));
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	/*
	 * Dropped SYNs are retried after 1, 3 and 7 s (RTO 1 s doubling,
	 * RFC 6298 2.1, 5.5): all three get through within 30 s.
	 */
	for (i = 0; i < 300 && n < 3; i++) {
		int s = accept(lfd, NULL, NULL);

		if (s >= 0) {
			n++;
			close(s);
		} else {
			usleep(100000);
		}
	}
	EXPECT_EQ(3, n);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	close(lfd);
}

TEST_F(conn, bind_rules)
{
	union xaddr a = xaddr_of(self->port);
	int a1 = xsock(), a2 = xsock(), a3 = xsock();

	ASSERT_LE(0, a1);
	/* The listener holds the port. */
	EXPECT_EQ(-1, bind(a1, &a.sa, xaddr_len()));
	EXPECT_EQ(EADDRINUSE, errno);
	/* Two non-listening sockets with SO_REUSEADDR share a port ... */
	a = xaddr_of(self->port + 1);
	ASSERT_EQ(0, set_int(a2, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, set_int(a3, SOL_SOCKET, SO_REUSEADDR, 1));
	EXPECT_EQ(0, bind(a2, &a.sa, xaddr_len()));
	EXPECT_EQ(0, bind(a3, &a.sa, xaddr_len()));
	/* ... but only one of them may listen. */
	EXPECT_EQ(0, listen(a2, 1));
	EXPECT_EQ(-1, listen(a3, 1));
	EXPECT_EQ(EADDRINUSE, errno);
	close(a1);
	close(a2);
	close(a3);
}

/* The active closer keeps TIME_WAIT; SO_REUSEADDR may bind over it. */
TEST_F(conn, time_wait_holds_port)
{
	union xaddr a = xaddr_of(self->port);
	char buf[4];
	int cfd, sfd, n1, n2;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	close(sfd);				/* server closes first */
	EXPECT_EQ(0, recv(cfd, buf, sizeof(buf), 0));
	close(cfd);
	EXPECT_EQ(1, await_counter("XtcpTimeWaitCreated", 1));
	close(self->lfd);
	self->lfd = -1;

	n1 = xsock();
	n2 = xsock();
	EXPECT_EQ(-1, bind(n1, &a.sa, xaddr_len()));
	EXPECT_EQ(EADDRINUSE, errno);
	ASSERT_EQ(0, set_int(n2, SOL_SOCKET, SO_REUSEADDR, 1));
	EXPECT_EQ(0, bind(n2, &a.sa, xaddr_len()));
	EXPECT_EQ(0, listen(n2, 1));
	close(n1);
	close(n2);
}

/* SYNs cross (netem delay): SYN_SENT -> SYN_RECV -> ESTABLISHED. */
TEST_F(conn, simultaneous_open)
{
	union xaddr a = xaddr_of(self->port + 2), b = xaddr_of(self->port + 3);
	struct pollfd p[2] = { { .events = POLLOUT }, { .events = POLLOUT } };
	char buf[8];
	int x, y;

	if (delay_lo())
		SKIP(return, "no netem");
	x = xsock_flags(SOCK_NONBLOCK);
	y = xsock_flags(SOCK_NONBLOCK);
	ASSERT_EQ(0, bind(x, &a.sa, xaddr_len()));
	ASSERT_EQ(0, bind(y, &b.sa, xaddr_len()));
	ASSERT_EQ(-1, connect(x, &b.sa, xaddr_len()));
	ASSERT_EQ(EINPROGRESS, errno);
	ASSERT_EQ(-1, connect(y, &a.sa, xaddr_len()));
	ASSERT_EQ(EINPROGRESS, errno);
	p[0].fd = x;
	p[1].fd = y;
	EXPECT_EQ(1, poll(&p[0], 1, 5000));
	EXPECT_EQ(1, poll(&p[1], 1, 5000));
	EXPECT_EQ(0, sock_error(x));
	EXPECT_EQ(0, sock_error(y));
	EXPECT_EQ(2, counter("XtcpActiveOpens"));
	EXPECT_EQ(0, counter("XtcpPassiveOpens"));
	ASSERT_EQ(2, send(x, "hi", 2, 0));
	p[1].events = POLLIN;
	EXPECT_EQ(1, poll(&p[1], 1, 5000));
	EXPECT_EQ(2, recv(y, buf, sizeof(buf), 0));
	close(x);
	close(y);
}

/* FINs cross: FIN_WAIT1 -> CLOSING -> TIME_WAIT on both sides. */
TEST_F(conn, simultaneous_close)
{
	char buf[4];
	int cfd, sfd;

	cfd = connect_to(self->port);
	ASSERT_LE(0, cfd);
	sfd = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, sfd);
	if (delay_lo())
		SKIP(return, "no netem");
	ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
	ASSERT_EQ(0, shutdown(sfd, SHUT_WR));
	EXPECT_EQ(0, recv(cfd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(sfd, buf, sizeof(buf), 0));
	/* Both sides were active closers: two time-wait minisocks. */
	EXPECT_EQ(2, await_counter("XtcpTimeWaitCreated", 2));
	close(cfd);
	close(sfd);
}

/*
 * RFC 6056 3.3.4: ephemeral ports to one destination move on by a
 * random step, not one by one (algorithm 3 with a global counter gave
 * 40 consecutive ports here), and stay within ip_local_port_range.
 */
TEST_F(conn, ephemeral_ports_unpredictable)
{
	int i, steps[9] = { 0 }, distinct = 0, lo, hi;
	unsigned short port[40];
	FILE *f;

	/* One range for both families: IPv6 has no sysctl of its own. */
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(2, fscanf(f, "%d %d", &lo, &hi));
	fclose(f);
	for (i = 0; i < 40; i++) {
		union xaddr c;
		socklen_t len = sizeof(c);
		int cfd = connect_to(self->port), sfd;

		ASSERT_LE(0, cfd);
		ASSERT_EQ(0, getsockname(cfd, &c.sa, &len));
		port[i] = xaddr_port(&c);
		EXPECT_LE(lo, port[i]);
		EXPECT_GE(hi, port[i]);
		sfd = accept(self->lfd, NULL, NULL);
		ASSERT_LE(0, sfd);
		close(sfd);
		close(cfd);
	}
	for (i = 1; i < 40; i++) {
		int d = (port[i] - port[i - 1] + (hi - lo + 1)) % (hi - lo + 1);

		if (d < 9 && !steps[d]++)
			distinct++;
	}
	TH_LOG("ports %u %u %u %u ..., %d distinct steps", port[0], port[1],
	       port[2], port[3], distinct);
	EXPECT_LT(1, distinct);
	EXPECT_EQ(0, steps[0]);
}

/* SO_REUSEPORT listeners on one port share the incoming connections. */
TEST_F(conn, reuseport_spreads)
{
	union xaddr a = xaddr_of(self->port + 5);
	int l[2], got[2] = { 0, 0 }, i, k;

	for (k = 0; k < 2; k++) {
		l[k] = xsock();
		ASSERT_EQ(0, set_int(l[k], SOL_SOCKET, SO_REUSEPORT, 1));
		ASSERT_EQ(0, bind(l[k], &a.sa, xaddr_len()));
		ASSERT_EQ(0, listen(l[k], 64));
		ASSERT_EQ(0, fcntl(l[k], F_SETFL, O_NONBLOCK));
	}
	for (i = 0; i < 32; i++) {
		int c = xsock();

		ASSERT_EQ(0, connect(c, &a.sa, xaddr_len()));
		close(c);
	}
	/*
	 * connect() returns on the SYN-ACK; the child is queued when the
	 * listener has taken the final ACK, which a loaded guest may do
	 * later: poll both listeners until all 32 are in, 30 s at most.
	 */
	for (i = 0; i < 300 && got[0] + got[1] < 32; i++) {
		struct pollfd p[2] = { { .fd = l[0], .events = POLLIN },
				       { .fd = l[1], .events = POLLIN } };

		poll(p, 2, 100);
		for (k = 0; k < 2; k++) {
			int s;

			while ((s = accept(l[k], NULL, NULL)) >= 0) {
				got[k]++;
				close(s);
			}
		}
	}
	close(l[0]);
	close(l[1]);
	EXPECT_EQ(32, got[0] + got[1]);
	EXPECT_LT(0, got[0]);
	EXPECT_LT(0, got[1]);
	TH_LOG("listener 0: %d, listener 1: %d", got[0], got[1]);
}

TEST_HARNESS_MAIN
