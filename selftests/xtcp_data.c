// SPDX-License-Identifier: GPL-2.0
/*
 * The data-transfer contract of a connected socket, as in-tree TCP
 * defines it: SOL_TCP options, TCP_INFO, SIOCINQ/SIOCOUTQ, recv flags,
 * SO_RCVLOWAT and timeouts, flow control against a reader that stops,
 * Nagle, cork and MSG_MORE, keepalive and TCP_USER_TIMEOUT against a
 * silent peer, sendfile and splice.
 *
 * Every test runs in a network namespace of its own.  XTCP_PROTO=6
 * runs the same tests against in-tree TCP, which must pass them all.
 * XTCP_FAMILY=6 runs them over IPv6: ::1, and fd00:99::/64 between the
 * two hosts, in place of 127.0.0.1 and 10.99.0.0/24.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <linux/xtcp.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#ifndef SOL_TCP
#define SOL_TCP		6	/* <netinet/tcp.h>, whose tcp_info clashes */
#endif

#define MIB		(1024 * 1024)
#define CHUNK		65536
#define FILL_MAX	(64 << 20)	/* a writer that never blocks fails */

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

/* An int option's value, or -errno. */
static int get_int(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, opt, &v, &len))
		return -errno;
	return v;
}

/* The set result of an int option at SOL_TCP: 0 or -errno. */
static int tcp_set(int fd, int opt, int v)
{
	return set_int(fd, SOL_TCP, opt, v) ? -errno : 0;
}

static int ioctl_int(int fd, unsigned long req)
{
	int v = -1;

	if (ioctl(fd, req, &v))
		return -errno;
	return v;
}

static int inq(int fd)
{
	return ioctl_int(fd, SIOCINQ);
}

static int outq(int fd)
{
	return ioctl_int(fd, SIOCOUTQ);
}

/* Wait up to 2 s for SIOCINQ to reach @n; return the last value. */
static int await_inq(int fd, int n)
{
	int i, v = inq(fd);

	for (i = 0; i < 200 && v >= 0 && v < n; i++) {
		usleep(10000);
		v = inq(fd);
	}
	return v;
}

/*
 * Wait up to 2 s for @n bytes (at most 256) to be readable on @fd,
 * counted by peeking; returns the count or -errno.
 */
static int await_queued(int fd, int n)
{
	char buf[256];
	int i, v = 0;

	for (i = 0; i < 200; i++) {
		v = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
		if (v < 0 && errno != EAGAIN)
			return -errno;
		if (v >= n)
			break;
		usleep(10000);
	}
	return v < 0 ? 0 : v;
}

/*
 * Wait up to 2 s for everything sent on @fd to be acknowledged; returns
 * the bytes left unacknowledged.  Without SIOCOUTQ, waits 200 ms and
 * returns -errno.
 */
static int await_acked(int fd)
{
	int i, v = outq(fd);

	if (v < 0)
		usleep(200000);
	for (i = 0; i < 200 && v > 0; i++) {
		usleep(10000);
		v = outq(fd);
	}
	return v;
}

static int tinfo(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, ti, &len))
		return -errno;
	return len;
}

/* tcpi_segs_out, or -errno. */
static long segs_out(int fd)
{
	struct tcp_info ti;
	int len = tinfo(fd, &ti);

	if (len < 0)
		return len;
	if (len < (int)(offsetof(struct tcp_info, tcpi_segs_out) +
			sizeof(ti.tcpi_segs_out)))
		return -EMSGSIZE;
	return ti.tcpi_segs_out;
}

/* The byte at stream offset @i of every patterned transfer. */
static unsigned char pat(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 11));
}

static void fill_pat(unsigned char *buf, size_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = pat(off + i);
}

/* How many of @n bytes match the pattern from stream offset @off. */
static size_t good(const unsigned char *buf, size_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n && buf[i] == pat(off + i); i++)
		;
	return i;
}

/*
 * Write the pattern from *@off without blocking until the socket takes
 * no more (EAGAIN).  Returns 0, or -1 on another error or when the
 * writer never blocks.
 */
static int fill(int fd, size_t *off)
{
	static unsigned char buf[CHUNK];
	size_t start = *off;

	for (;;) {
		ssize_t n;

		fill_pat(buf, *off, sizeof(buf));
		n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		*off += n;
		if (*off - start > FILL_MAX)
			return -1;
	}
}

/*
 * Read exactly @n bytes and check them against the pattern from stream
 * offset @off.  Returns the number of good bytes before the first
 * wrong one, a short read, an error or EOF.
 */
static size_t drain(int fd, size_t off, size_t n)
{
	static unsigned char buf[CHUNK];
	size_t got = 0, i;

	while (got < n) {
		size_t want = n - got < sizeof(buf) ? n - got : sizeof(buf);
		ssize_t r = recv(fd, buf, want, 0);

		if (r <= 0)
			break;
		i = good(buf, off + got, r);
		got += i;
		if (i < (size_t)r)
			break;
	}
	return got;
}

/*
 * Move @total patterned bytes from @w to @r in one process: both
 * sides non-blocking, driven by poll.  Returns the good bytes read.
 */
static size_t pump(int w, int r, size_t total)
{
	static unsigned char wbuf[CHUNK], rbuf[CHUNK];
	size_t sent = 0, got = 0, i;

	while (got < total) {
		struct pollfd p[2] = { { .fd = r, .events = POLLIN },
				       { .fd = w, .events = POLLOUT } };
		ssize_t n;

		if (sent < total) {
			size_t k = total - sent < CHUNK ? total - sent : CHUNK;

			fill_pat(wbuf, sent, k);
			n = send(w, wbuf, k, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n > 0)
				sent += n;
			else if (errno != EAGAIN)
				break;
		}
		n = recv(r, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n > 0) {
			i = good(rbuf, got, n);
			got += i;
			if (i < (size_t)n)
				break;
			continue;
		}
		if (n == 0 || errno != EAGAIN)
			break;
		if (poll(p, sent < total ? 2 : 1, 2000) <= 0)
			break;
	}
	return got;
}

/*
 * A listener on @a, an address of family(), with port *@port (0:
 * ephemeral); returns fd, sets *port.
 */
static int listener_on(union xaddr a, unsigned short *port)
{
	socklen_t len = sizeof(a);
	int fd = xsock();

	xaddr_set_port(&a, *port);
	if (fd < 0)
		return -1;
	if (bind(fd, &a.sa, xaddr_len()) || listen(fd, 16) ||
	    getsockname(fd, &a.sa, &len)) {
		close(fd);
		return -1;
	}
	*port = xaddr_port(&a);
	return fd;
}

/* Connect @c (a fresh socket) to @a:@port and accept it on @lfd. */
static int join(int c, int lfd, union xaddr a, unsigned short port)
{
	xaddr_set_port(&a, port);
	if (c < 0 || connect(c, &a.sa, xaddr_len()))
		return -1;
	return accept(lfd, NULL, NULL);
}

/* Put a delay on lo, so that an ACK takes a while to come back. */
static int delay_lo(int ms)
{
	return run("tc qdisc add dev lo root netem delay %dms 2>/dev/null", ms);
}

/*
 * A fresh netns with a listener on 127.0.0.1 (::1 with XTCP_FAMILY=6);
 * connect_pair() adds the client c and the accepted s.  A test may
 * create c first, to set options before connect.
 */
FIXTURE(data) {
	unsigned short port;
	int lfd, c, s;
};

FIXTURE_SETUP(data)
{
	self->c = -1;
	self->s = -1;
	self->port = 0;
	ASSERT_EQ(0, new_netns());
	self->lfd = listener_on(xaddr_of(0), &self->port);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(data)
{
	close(self->c);
	close(self->s);
	close(self->lfd);
}

/* Connect a fresh client, or the one in self->c if already created. */
static int connect_pair(FIXTURE_DATA(data) *self)
{
	if (self->c < 0)
		self->c = xsock();
	self->s = join(self->c, self->lfd, xaddr_of(0), self->port);
	return self->s < 0 ? -1 : 0;
}

/* --- socket options at SOL_TCP --- */

TEST_F_TIMEOUT(data, sockopt_nodelay_cork, 10)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_NODELAY));
	EXPECT_EQ(0, tcp_set(fd, TCP_NODELAY, 1));
	EXPECT_EQ(1, get_int(fd, SOL_TCP, TCP_NODELAY));
	EXPECT_EQ(0, tcp_set(fd, TCP_NODELAY, 0));
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_NODELAY));
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_CORK));
	EXPECT_EQ(0, tcp_set(fd, TCP_CORK, 1));
	EXPECT_EQ(1, get_int(fd, SOL_TCP, TCP_CORK));
	EXPECT_EQ(0, tcp_set(fd, TCP_CORK, 0));
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_CORK));
	close(fd);
}

/* 0 (no clamp) or 88..32767 before connect; the clamp then holds. */
TEST_F_TIMEOUT(data, sockopt_maxseg, 10)
{
	int tcp = socket(family(), SOCK_STREAM, IPPROTO_TCP);
	int fd = xsock(), v;

	ASSERT_LE(0, tcp);
	ASSERT_LE(0, fd);
	/* Unconnected and unset: TCP answers its default MSS (536). */
	EXPECT_EQ(get_int(tcp, SOL_TCP, TCP_MAXSEG),
		  get_int(fd, SOL_TCP, TCP_MAXSEG));
	EXPECT_EQ(-EINVAL, tcp_set(fd, TCP_MAXSEG, 87));
	EXPECT_EQ(-EINVAL, tcp_set(fd, TCP_MAXSEG, 32768));
	EXPECT_EQ(-EINVAL, tcp_set(fd, TCP_MAXSEG, -1));
	EXPECT_EQ(0, tcp_set(fd, TCP_MAXSEG, 88));
	EXPECT_EQ(88, get_int(fd, SOL_TCP, TCP_MAXSEG));
	EXPECT_EQ(0, tcp_set(fd, TCP_MAXSEG, 32767));
	EXPECT_EQ(32767, get_int(fd, SOL_TCP, TCP_MAXSEG));
	EXPECT_EQ(0, tcp_set(fd, TCP_MAXSEG, 0));
	EXPECT_EQ(0, tcp_set(fd, TCP_MAXSEG, 1000));
	EXPECT_EQ(1000, get_int(fd, SOL_TCP, TCP_MAXSEG));
	close(tcp);
	self->c = fd;
	ASSERT_EQ(0, connect_pair(self));
	v = get_int(fd, SOL_TCP, TCP_MAXSEG);
	EXPECT_LT(0, v);
	EXPECT_GE(1000, v);
}

TEST_F_TIMEOUT(data, sockopt_keepalive_params, 10)
{
	static const int opts[] = { TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT };
	static const int max[] = { 32767, 32767, 127 };
	int tcp = socket(family(), SOCK_STREAM, IPPROTO_TCP);
	int fd = xsock(), i;

	ASSERT_LE(0, tcp);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		/* The defaults are TCP's (7200 s, 75 s, 9). */
		EXPECT_EQ(get_int(tcp, SOL_TCP, opts[i]),
			  get_int(fd, SOL_TCP, opts[i]));
		EXPECT_EQ(-EINVAL, tcp_set(fd, opts[i], 0));
		EXPECT_EQ(-EINVAL, tcp_set(fd, opts[i], -1));
		EXPECT_EQ(-EINVAL, tcp_set(fd, opts[i], max[i] + 1));
		EXPECT_EQ(0, tcp_set(fd, opts[i], 1));
		EXPECT_EQ(1, get_int(fd, SOL_TCP, opts[i]));
		EXPECT_EQ(0, tcp_set(fd, opts[i], max[i]));
		EXPECT_EQ(max[i], get_int(fd, SOL_TCP, opts[i]));
	}
	close(tcp);
	close(fd);
}

TEST_F_TIMEOUT(data, sockopt_user_timeout, 10)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_USER_TIMEOUT));
	EXPECT_EQ(-EINVAL, tcp_set(fd, TCP_USER_TIMEOUT, -1));
	EXPECT_EQ(0, tcp_set(fd, TCP_USER_TIMEOUT, 2000));
	EXPECT_EQ(2000, get_int(fd, SOL_TCP, TCP_USER_TIMEOUT));
	EXPECT_EQ(0, tcp_set(fd, TCP_USER_TIMEOUT, 0));
	EXPECT_EQ(0, get_int(fd, SOL_TCP, TCP_USER_TIMEOUT));
	close(fd);
}

/* TCP answers 1 unless delayed-ACK (pingpong) mode was asked for. */
TEST_F_TIMEOUT(data, sockopt_quickack, 10)
{
	ASSERT_EQ(0, connect_pair(self));
	EXPECT_EQ(1, get_int(self->c, SOL_TCP, TCP_QUICKACK));
	EXPECT_EQ(0, tcp_set(self->c, TCP_QUICKACK, 0));
	EXPECT_EQ(0, get_int(self->c, SOL_TCP, TCP_QUICKACK));
	EXPECT_EQ(0, tcp_set(self->c, TCP_QUICKACK, 1));
	EXPECT_EQ(1, get_int(self->c, SOL_TCP, TCP_QUICKACK));
}

TEST_F_TIMEOUT(data, sockopt_congestion, 10)
{
	char name[16] = "";
	socklen_t len = sizeof(name);
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len));
	EXPECT_EQ(sizeof(name), len);
	name[sizeof(name) - 1] = 0;
	/* Linux's default, and xtcp's (net.xtcp.congestion_control). */
	EXPECT_STREQ("cubic", name);
	EXPECT_EQ(0, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "reno", 4));
	len = sizeof(name);
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len));
	EXPECT_STREQ("reno", name);
	EXPECT_EQ(0, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "cubic", 5));
	if (proto() != IPPROTO_TCP)	/* xtcp's alias for reno */
		EXPECT_EQ(0, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "newreno", 7));
	EXPECT_EQ(-1, setsockopt(fd, SOL_TCP, TCP_CONGESTION, "no-such-cc", 10));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
}

/*
 * setsockopt of an int option wants a whole int; getsockopt truncates
 * to the length given, as TCP does, and refuses only a negative one.
 */
TEST_F_TIMEOUT(data, sockopt_lengths_and_names, 10)
{
	static const int opts[] = { TCP_NODELAY, TCP_CORK, TCP_MAXSEG,
				    TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT,
				    TCP_USER_TIMEOUT, TCP_QUICKACK };
	int fd = xsock(), one = 1, i;
	unsigned char v[4];
	socklen_t len;

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, setsockopt(fd, SOL_TCP, 9999, &one, sizeof(one)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	len = sizeof(v);
	EXPECT_EQ(-1, getsockopt(fd, SOL_TCP, 9999, v, &len));
	EXPECT_EQ(ENOPROTOOPT, errno);
	for (i = 0; i < (int)ARRAY_SIZE(opts); i++) {
		EXPECT_EQ(-EINVAL, setsockopt(fd, SOL_TCP, opts[i], &one, 3) ?
			  -errno : 0) {
			TH_LOG("option %d", opts[i]);
		}
	}
	EXPECT_EQ(0, tcp_set(fd, TCP_NODELAY, 1));
	memset(v, 0xaa, sizeof(v));
	len = 1;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_NODELAY, v, &len));
	EXPECT_EQ(1, len);
	EXPECT_EQ(1, v[0]);
	EXPECT_EQ(0xaa, v[1]);
	len = -1;
	EXPECT_EQ(-1, getsockopt(fd, SOL_TCP, TCP_NODELAY, v, &len));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F_TIMEOUT(data, so_keepalive, 10)
{
	int fd = xsock();

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 0));
	EXPECT_EQ(0, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
	/* Set on a connected socket too, where it arms a timer. */
	self->c = fd;
	ASSERT_EQ(0, connect_pair(self));
	EXPECT_EQ(0, set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_KEEPALIVE));
}

/* --- TCP_INFO --- */

/* The length copied is min(len, the kernel's struct), as TCP's. */
TEST_F_TIMEOUT(data, tcp_info_length_and_state, 10)
{
	int tcp = socket(family(), SOCK_STREAM, IPPROTO_TCP);
	int fd = xsock();
	char big[1024];
	socklen_t len, tcp_len;
	struct tcp_info ti;

	ASSERT_LE(0, tcp);
	ASSERT_LE(0, fd);
	tcp_len = sizeof(big);
	ASSERT_EQ(0, getsockopt(tcp, SOL_TCP, TCP_INFO, big, &tcp_len));
	len = sizeof(big);
	ASSERT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, big, &len));
	EXPECT_EQ(tcp_len, len);
	EXPECT_LE(sizeof(ti), len);
	len = 8;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, big, &len));
	EXPECT_EQ(8, len);
	len = 0;
	EXPECT_EQ(0, getsockopt(fd, SOL_TCP, TCP_INFO, big, &len));
	EXPECT_EQ(0, len);
	EXPECT_EQ(sizeof(ti), tinfo(fd, &ti));
	EXPECT_EQ(XTCP_CLOSE, ti.tcpi_state);
	EXPECT_EQ(sizeof(ti), tinfo(self->lfd, &ti));
	EXPECT_EQ(XTCP_LISTEN, ti.tcpi_state);
	close(tcp);
	close(fd);
}

TEST_F_TIMEOUT(data, tcp_info_after_1mib, 20)
{
	struct tcp_info ti;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(MIB, pump(self->c, self->s, MIB));
	await_acked(self->c);

	ASSERT_EQ(sizeof(ti), tinfo(self->c, &ti));
	EXPECT_EQ(XTCP_ESTABLISHED, ti.tcpi_state);
	EXPECT_LT(0, ti.tcpi_snd_mss);
	EXPECT_LT(0, ti.tcpi_rcv_mss);
	EXPECT_LT(0, ti.tcpi_rtt);
	EXPECT_LE(200000, ti.tcpi_rto);
	EXPECT_LT(0, ti.tcpi_snd_cwnd);
	EXPECT_TRUE(ti.tcpi_options & TCPI_OPT_TIMESTAMPS);
	EXPECT_TRUE(ti.tcpi_options & TCPI_OPT_SACK);
	EXPECT_TRUE(ti.tcpi_options & TCPI_OPT_WSCALE);
	EXPECT_LE(MIB, ti.tcpi_bytes_acked);
	EXPECT_LT(0, ti.tcpi_segs_out);
	TH_LOG("sender: mss %u rtt %u us rto %u us cwnd %u segs_out %u",
	       ti.tcpi_snd_mss, ti.tcpi_rtt, ti.tcpi_rto, ti.tcpi_snd_cwnd,
	       ti.tcpi_segs_out);

	ASSERT_EQ(sizeof(ti), tinfo(self->s, &ti));
	EXPECT_EQ(XTCP_ESTABLISHED, ti.tcpi_state);
	EXPECT_LT(0, ti.tcpi_rcv_mss);
	EXPECT_LE(MIB, ti.tcpi_bytes_received);
	EXPECT_LT(0, ti.tcpi_segs_out);	/* its ACKs */
}

/*
 * RFC 6298 2.2: the handshake gives both ends their first RTT sample,
 * so neither waits out the initial 1 s RTO for its first lost segment.
 * The accepted end takes it from the SYN-ACK and the final ACK.
 */
TEST_F_TIMEOUT(data, handshake_rtt_both_ends, 10)
{
	struct tcp_info ti;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(sizeof(ti), tinfo(self->c, &ti));
	EXPECT_GT(1000000, ti.tcpi_rto);
	TH_LOG("client: rtt %u us rto %u us", ti.tcpi_rtt, ti.tcpi_rto);
	ASSERT_EQ(sizeof(ti), tinfo(self->s, &ti));
	EXPECT_GT(1000000, ti.tcpi_rto);
	TH_LOG("accepted: rtt %u us rto %u us", ti.tcpi_rtt, ti.tcpi_rto);
}

/* --- SIOCINQ / SIOCOUTQ --- */

TEST_F_TIMEOUT(data, siocinq, 10)
{
	static unsigned char buf[1000];
	unsigned char peek[100];

	ASSERT_EQ(0, connect_pair(self));
	EXPECT_EQ(0, inq(self->s));
	fill_pat(buf, 0, sizeof(buf));
	ASSERT_EQ(sizeof(buf), send(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(1000, await_inq(self->s, 1000));
	EXPECT_EQ(100, recv(self->s, peek, sizeof(peek), MSG_PEEK));
	EXPECT_EQ(1000, inq(self->s));	/* a peek consumes nothing */
	EXPECT_EQ(300, recv(self->s, buf, 300, 0));
	EXPECT_EQ(700, inq(self->s));
	EXPECT_EQ(0, await_acked(self->c));
	/* A listener has no stream to count. */
	EXPECT_EQ(-EINVAL, inq(self->lfd));
	EXPECT_EQ(-EINVAL, outq(self->lfd));
}

/* --- recv flags --- */

TEST_F_TIMEOUT(data, recv_peek, 10)
{
	char buf[16] = "";

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(10, send(self->c, "0123456789", 10, 0));
	ASSERT_EQ(10, await_queued(self->s, 10));
	EXPECT_EQ(5, recv(self->s, buf, 5, MSG_PEEK));
	EXPECT_EQ(0, memcmp(buf, "01234", 5));
	EXPECT_EQ(10, recv(self->s, buf, sizeof(buf), MSG_PEEK));
	EXPECT_EQ(10, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	EXPECT_EQ(-1, recv(self->s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

/* MSG_WAITALL returns only once both chunks (100 ms apart) are in. */
TEST_F_TIMEOUT(data, recv_waitall, 10)
{
	unsigned char buf[400];
	int status;
	pid_t pid;

	ASSERT_EQ(0, connect_pair(self));
	fill_pat(buf, 0, sizeof(buf));
	ASSERT_EQ(200, send(self->c, buf, 200, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(100000);
		_exit(send(self->c, buf + 200, 200, 0) != 200);
	}
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(400, recv(self->s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(400, good(buf, 0, 400));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F_TIMEOUT(data, recv_dontwait, 10)
{
	char buf[8];

	ASSERT_EQ(0, connect_pair(self));
	EXPECT_EQ(-1, recv(self->s, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

/* tcp(7): MSG_TRUNC discards the data instead of copying it out. */
TEST_F_TIMEOUT(data, recv_trunc, 10)
{
	char buf[16];

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(10, send(self->c, "0123456789", 10, 0));
	ASSERT_EQ(10, await_queued(self->s, 10));
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(4, recv(self->s, buf, 4, MSG_TRUNC));
	EXPECT_EQ('x', buf[0]);
	EXPECT_EQ(6, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "456789", 6));
}

/* POLLIN only once SO_RCVLOWAT bytes are queued, as TCP's poll. */
TEST_F_TIMEOUT(data, rcvlowat_poll, 10)
{
	unsigned char buf[200];
	struct pollfd p = { .events = POLLIN };

	ASSERT_EQ(0, connect_pair(self));
	p.fd = self->s;
	ASSERT_EQ(0, set_int(self->s, SOL_SOCKET, SO_RCVLOWAT, 100));
	EXPECT_EQ(100, get_int(self->s, SOL_SOCKET, SO_RCVLOWAT));
	fill_pat(buf, 0, sizeof(buf));
	ASSERT_EQ(50, send(self->c, buf, 50, 0));
	ASSERT_EQ(50, await_queued(self->s, 50));
	usleep(50000);
	EXPECT_EQ(0, poll(&p, 1, 100));
	ASSERT_EQ(60, send(self->c, buf + 50, 60, 0));
	EXPECT_EQ(1, poll(&p, 1, 2000));
	EXPECT_TRUE(p.revents & POLLIN);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(110, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(110, good(buf, 0, 110));
}

/*
 * A blocking recv waits for SO_RCVLOWAT bytes, not just for one.  TCP
 * wakes the reader only when lowat bytes are queued beyond those it
 * already copied, so the second write alone reaches lowat.
 */
TEST_F_TIMEOUT(data, rcvlowat_recv, 10)
{
	unsigned char buf[200];
	int status;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, set_int(self->s, SOL_SOCKET, SO_RCVLOWAT, 100));
	fill_pat(buf, 0, sizeof(buf));
	ASSERT_EQ(30, send(self->c, buf, 30, 0));
	ASSERT_EQ(30, await_queued(self->s, 30));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		usleep(150000);
		_exit(send(self->c, buf + 30, 100, 0) != 100);
	}
	memset(buf, 0, sizeof(buf));
	set_timeo(self->s, SO_RCVTIMEO, 5000);
	n = recv(self->s, buf, sizeof(buf), 0);
	EXPECT_LE(100, n);
	EXPECT_EQ(n, good(buf, 0, n));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F_TIMEOUT(data, rcvtimeo, 10)
{
	char buf[8];
	long t;

	ASSERT_EQ(0, connect_pair(self));
	set_timeo(self->s, SO_RCVTIMEO, 300);
	t = now_ms();
	EXPECT_EQ(-1, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	t = now_ms() - t;
	EXPECT_LE(250, t);
	EXPECT_GT(3000, t);
}

/*
 * SO_ATTACH_FILTER sees received segments, as on TCP: a filter that
 * keeps nothing holds the data back (unacknowledged, so the peer sends
 * it again), and once it is detached the data arrives.  The wait covers
 * the retransmission schedule: 6 doublings of a 200 ms RTO is 12.8 s.
 */
TEST_F_TIMEOUT(data, socket_filter, 30)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	char buf[8];
	int zero = 0;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
				sizeof(prog)));
	ASSERT_EQ(5, send(self->c, "hello", 5, 0));
	set_timeo(self->s, SO_RCVTIMEO, 500);
	EXPECT_EQ(-1, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, setsockopt(self->s, SOL_SOCKET, SO_DETACH_FILTER, &zero,
				sizeof(zero)));
	set_timeo(self->s, SO_RCVTIMEO, 20000);
	EXPECT_EQ(5, recv(self->s, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
}

/* On a pair whose reader stopped, a blocking send gives up after SO_SNDTIMEO. */
TEST_F_TIMEOUT(data, sndtimeo, 15)
{
	static unsigned char buf[CHUNK];
	size_t off = 0;
	ssize_t n = 0;
	long t = 0;
	int i;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, fill(self->c, &off));
	set_timeo(self->c, SO_SNDTIMEO, 300);
	/* Space freed by late ACKs may take part of a first call. */
	for (i = 0; i < 10; i++) {
		t = now_ms();
		n = send(self->c, buf, sizeof(buf), MSG_NOSIGNAL);
		t = now_ms() - t;
		if (n < 0)
			break;
	}
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_LE(250, t);
	EXPECT_GT(3000, t);
}

TEST_F_TIMEOUT(data, eof_after_shutdown, 10)
{
	struct pollfd p = { .events = POLLIN | POLLRDHUP };
	char buf[8];

	ASSERT_EQ(0, connect_pair(self));
	p.fd = self->s;
	ASSERT_EQ(3, send(self->c, "end", 3, 0));
	ASSERT_EQ(0, shutdown(self->c, SHUT_WR));
	EXPECT_EQ(3, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(1, poll(&p, 1, 2000));
	EXPECT_TRUE(p.revents & POLLRDHUP);
	EXPECT_EQ(0, recv(self->s, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(self->s, buf, sizeof(buf), MSG_DONTWAIT));
}

/*
 * Flow control: the reader stops, the writer fills the window and its
 * send buffer, then blocks (EAGAIN, no POLLOUT) and nothing is lost.
 * Once the reader drains, every byte arrives intact and the writer is
 * writable again.
 */
TEST_F_TIMEOUT(data, zero_window, 20)
{
	struct pollfd p = { .events = POLLOUT };
	size_t off = 0;
	char c;

	ASSERT_EQ(0, connect_pair(self));
	p.fd = self->c;
	ASSERT_EQ(0, fill(self->c, &off));
	/* Late ACKs may free some space: fill again until it stays full. */
	usleep(300000);
	ASSERT_EQ(0, fill(self->c, &off));
	EXPECT_EQ(0, poll(&p, 1, 300));
	TH_LOG("%zu bytes written before the writer blocked", off);
	set_timeo(self->s, SO_RCVTIMEO, 5000);
	EXPECT_EQ(off, drain(self->s, 0, off));
	EXPECT_EQ(-1, recv(self->s, &c, 1, MSG_DONTWAIT));	/* no more */
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, poll(&p, 1, 2000));
	EXPECT_TRUE(p.revents & POLLOUT);
}

/*
 * A blocked pair: the bytes written are either queued unread at the
 * reader (SIOCINQ) or unacknowledged at the writer (SIOCOUTQ).
 */
TEST_F_TIMEOUT(data, siocoutq_blocked, 20)
{
	size_t off = 0;
	int i, in = 0, out = 0;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, fill(self->c, &off));
	usleep(300000);
	ASSERT_EQ(0, fill(self->c, &off));
	for (i = 0; i < 100; i++) {
		in = inq(self->s);
		out = outq(self->c);
		if (in >= 0 && out >= 0 && (size_t)in + out == off)
			break;
		usleep(10000);
	}
	EXPECT_LT(0, in);
	EXPECT_LT(0, out);
	EXPECT_EQ(off, (size_t)in + out);
	set_timeo(self->s, SO_RCVTIMEO, 5000);
	EXPECT_EQ(off, drain(self->s, 0, off));
	EXPECT_EQ(0, await_acked(self->c));
	EXPECT_EQ(0, inq(self->s));
}

/* --- Nagle, TCP_NODELAY, TCP_CORK, MSG_MORE --- */

#define SMALL_WRITES	10
#define SMALL		10

/* SMALL_WRITES writes of SMALL bytes; the segments sent meanwhile. */
static long small_writes(int c, int s, int more)
{
	unsigned char buf[SMALL_WRITES * SMALL];
	long before = segs_out(c), after;
	int i, total = SMALL_WRITES * SMALL;

	if (before < 0)
		return -1;
	fill_pat(buf, 0, sizeof(buf));
	for (i = 0; i < SMALL_WRITES; i++) {
		int flags = more && i < SMALL_WRITES - 1 ? MSG_MORE : 0;

		if (send(c, buf + i * SMALL, SMALL, flags) != SMALL)
			return -1;
	}
	if (more < 0 && set_int(c, SOL_TCP, TCP_CORK, 0))
		return -1;
	set_timeo(s, SO_RCVTIMEO, 5000);
	if (drain(s, 0, total) != (size_t)total)
		return -1;
	after = segs_out(c);
	return after < 0 ? -1 : after - before;
}

/* With TCP_NODELAY each small write leaves at once, as a segment. */
TEST_F_TIMEOUT(data, nodelay_segments, 10)
{
	long n;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, tcp_set(self->c, TCP_NODELAY, 1));
	ASSERT_LE(0, segs_out(self->c));
	n = small_writes(self->c, self->s, 0);
	TH_LOG("%d writes, %ld segments", SMALL_WRITES, n);
	EXPECT_LE(SMALL_WRITES * 4 / 5, n);
}

/* Corked, the writes leave together when the cork is pulled. */
TEST_F_TIMEOUT(data, cork_segments, 10)
{
	long n;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, tcp_set(self->c, TCP_CORK, 1));
	ASSERT_LE(0, segs_out(self->c));
	n = small_writes(self->c, self->s, -1);
	TH_LOG("%d writes, %ld segments", SMALL_WRITES, n);
	EXPECT_LT(0, n);
	EXPECT_GT(SMALL_WRITES / 2, n);
}

/* MSG_MORE corks each call; the last call without it sends. */
TEST_F_TIMEOUT(data, msg_more_segments, 10)
{
	long n;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_LE(0, segs_out(self->c));
	n = small_writes(self->c, self->s, 1);
	TH_LOG("%d writes, %ld segments", SMALL_WRITES, n);
	EXPECT_LT(0, n);
	EXPECT_GT(SMALL_WRITES / 2, n);
}

/*
 * Nagle (the default): while a small segment is unacknowledged, later
 * small writes wait and leave together.  A 50 ms netem delay on lo
 * keeps the first one in flight long enough.
 */
TEST_F_TIMEOUT(data, nagle_coalesces, 10)
{
	long n;

	if (delay_lo(50))
		SKIP(return, "no netem");
	ASSERT_EQ(0, connect_pair(self));
	ASSERT_LE(0, segs_out(self->c));
	n = small_writes(self->c, self->s, 0);
	TH_LOG("%d writes, %ld segments", SMALL_WRITES, n);
	EXPECT_LT(0, n);
	EXPECT_GT(SMALL_WRITES / 2, n);
}

/* --- sendfile and splice --- */

TEST_F_TIMEOUT(data, sendfile_1mib, 20)
{
	static unsigned char buf[CHUNK];
	int mfd, status;
	size_t off;
	pid_t pid;

	ASSERT_EQ(0, connect_pair(self));
	mfd = memfd_create("xtcp_data", 0);
	ASSERT_LE(0, mfd);
	for (off = 0; off < MIB; off += CHUNK) {
		fill_pat(buf, off, CHUNK);
		ASSERT_EQ(CHUNK, write(mfd, buf, CHUNK));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		off_t pos = 0;

		while (pos < MIB)
			if (sendfile(self->c, mfd, &pos, MIB - pos) <= 0)
				_exit(1);
		_exit(0);
	}
	set_timeo(self->s, SO_RCVTIMEO, 5000);
	EXPECT_EQ(MIB, drain(self->s, 0, MIB));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(mfd);
}

TEST_F_TIMEOUT(data, splice_from_pipe, 20)
{
	const size_t total = 256 << 10;
	int pfd[2], status;
	pid_t pid;

	ASSERT_EQ(0, connect_pair(self));
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static unsigned char buf[16384];
		size_t off;

		for (off = 0; off < total; off += sizeof(buf)) {
			ssize_t left = sizeof(buf);

			fill_pat(buf, off, sizeof(buf));
			if (write(pfd[1], buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
			while (left > 0) {
				ssize_t n = splice(pfd[0], NULL, self->c, NULL,
						   left, SPLICE_F_MOVE);

				if (n <= 0)
					_exit(2);
				left -= n;
			}
		}
		_exit(0);
	}
	set_timeo(self->s, SO_RCVTIMEO, 5000);
	EXPECT_EQ(total, drain(self->s, 0, total));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(pfd[0]);
	close(pfd[1]);
}

/* --- a silent peer: keepalive and TCP_USER_TIMEOUT --- */

/*
 * The address of host A (@b 0, the client) or B (@b 1, the server) in
 * family(), and the prefix length of their link.
 */
static const char *host(int b)
{
	if (family() == AF_INET6)
		return b ? "fd00:99::2" : "fd00:99::1";
	return b ? "10.99.0.2" : "10.99.0.1";
}

static int host_plen(void)
{
	return family() == AF_INET6 ? 64 : 24;
}

/*
 * Add host(@b) to @dev.  An IPv6 address skips duplicate address
 * detection: tentative, it could not be bound or reached for a while.
 */
static int host_addr_add(int b, const char *dev)
{
	return run("ip addr add %s/%d dev %s%s", host(b), host_plen(), dev,
		   family() == AF_INET6 ? " nodad" : "");
}

/*
 * Two netns joined by a veth pair: the test runs in A, the listener
 * lives in B.  Later, netem on B's end drops all B sends: the peer
 * goes silent while the client's segments still reach it.
 */
FIXTURE(hosts) {
	int nsa, nsb, lfd, c, s;
	unsigned short port;
};

static int in_ns(int ns, int back, const char *cmd)
{
	int ret;

	if (setns(ns, CLONE_NEWNET))
		return -1;
	ret = system(cmd);
	if (setns(back, CLONE_NEWNET))
		return -1;
	return ret;
}

/*
 * Wait up to 30 s for @dev to run, so its qdisc passes traffic: the
 * link watch that sets it takes RTNL, which a namespace being deleted
 * by an earlier test may hold for a while on the debug kernel.
 */
static int await_running(const char *dev)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i, ret = -1;

	for (i = 0; i < 3000 && fd >= 0; i++) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
		if (!ioctl(fd, SIOCGIFFLAGS, &ifr) && ifr.ifr_flags & IFF_RUNNING) {
			ret = 0;
			break;
		}
		usleep(10000);
	}
	close(fd);
	return ret;
}

FIXTURE_SETUP(hosts)
{
	self->c = -1;
	self->s = -1;
	self->lfd = -1;
	ASSERT_EQ(0, new_netns());
	self->nsb = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->nsb);
	ASSERT_EQ(0, new_netns());
	self->nsa = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->nsa);
	ASSERT_EQ(0, run("ip link add xa type veth peer name xb netns /proc/%d/fd/%d",
			 getpid(), self->nsb));
	ASSERT_EQ(0, host_addr_add(0, "xa"));
	ASSERT_EQ(0, run("ip link set xa up"));
	ASSERT_EQ(0, setns(self->nsb, CLONE_NEWNET));
	ASSERT_EQ(0, host_addr_add(1, "xb"));
	ASSERT_EQ(0, run("ip link set xb up"));
	ASSERT_EQ(0, await_running("xb"));
	self->port = 0;
	self->lfd = listener_on(xaddr_at(host(1), 0), &self->port);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, setns(self->nsa, CLONE_NEWNET));
	ASSERT_EQ(0, await_running("xa"));
	self->c = xsock();
	ASSERT_LE(0, self->c);
}

FIXTURE_TEARDOWN(hosts)
{
	close(self->c);
	close(self->s);
	close(self->lfd);
	close(self->nsa);
	close(self->nsb);
}

/* Connect, swap a byte each way, wait for the ACKs, then silence B. */
static int connect_then_silence(FIXTURE_DATA(hosts) *self)
{
	char x;

	self->s = join(self->c, self->lfd, xaddr_at(host(1), 0), self->port);
	if (self->s < 0 ||
	    send(self->c, "x", 1, 0) != 1 || recv(self->s, &x, 1, 0) != 1 ||
	    send(self->s, "y", 1, 0) != 1 || recv(self->c, &x, 1, 0) != 1 ||
	    await_acked(self->c) > 0 || await_acked(self->s) > 0)
		return -1;
	return in_ns(self->nsb, self->nsa,
		     "tc qdisc add dev xb root netem loss 100% 2>/dev/null");
}

/*
 * Idle 1 s, two probes 1 s apart unanswered: ETIMEDOUT 3 s after the
 * last segment received, which comes after @t0 below, so at least 3 s
 * from it (less a jiffy of timer rounding).  SO_KEEPALIVE is set before
 * connect(), or only once the peer is silent: then the socket has been
 * idle for the first probe already, and the two probes take 2 s.  The
 * upper bound is only there to catch a hang.
 */
static void keepalive_case(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hosts) *self, bool late)
{
	long t, t0 = now_ms();
	char buf[8];

	if (!late)
		ASSERT_EQ(0, set_int(self->c, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(0, tcp_set(self->c, TCP_KEEPIDLE, 1));
	ASSERT_EQ(0, tcp_set(self->c, TCP_KEEPINTVL, 1));
	ASSERT_EQ(0, tcp_set(self->c, TCP_KEEPCNT, 2));
	ASSERT_EQ(0, connect_then_silence(self));
	if (late)
		ASSERT_EQ(0, set_int(self->c, SOL_SOCKET, SO_KEEPALIVE, 1));
	set_timeo(self->c, SO_RCVTIMEO, 40000);
	EXPECT_EQ(-1, recv(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	t = now_ms() - t0;
	TH_LOG("recv failed %ld ms after the connection was made", t);
	EXPECT_LE(late ? 1950 : 2950, t);
	EXPECT_GE(30000, t);
}

TEST_F_TIMEOUT(hosts, keepalive_timeout, 90)
{
	keepalive_case(_metadata, self, false);
}

TEST_F_TIMEOUT(hosts, keepalive_enabled_late, 90)
{
	keepalive_case(_metadata, self, true);
}

/* Unacknowledged data for TCP_USER_TIMEOUT (2 s) ends the connection. */
TEST_F_TIMEOUT(hosts, user_timeout, 90)
{
	char buf[8];
	long t;

	ASSERT_EQ(0, tcp_set(self->c, TCP_USER_TIMEOUT, 2000));
	ASSERT_EQ(0, connect_then_silence(self));
	set_timeo(self->c, SO_RCVTIMEO, 40000);
	t = now_ms();
	ASSERT_EQ(5, send(self->c, "hello", 5, 0));
	EXPECT_EQ(-1, recv(self->c, buf, sizeof(buf), 0));
	EXPECT_EQ(ETIMEDOUT, errno);
	t = now_ms() - t;
	TH_LOG("recv failed after %ld ms", t);
	/* The user timeout runs from the first unacknowledged send. */
	EXPECT_LE(1950, t);
	EXPECT_GE(30000, t);
}

TEST_HARNESS_MAIN
