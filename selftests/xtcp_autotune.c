// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer autotuning, xtcp against in-tree TCP on the same calls, over
 * loopback with netem delaying each direction 50 ms (a 100 ms round
 * trip, where a fixed default buffer caps the rate):
 *  - the receiver's SO_RCVBUF grows while the reader keeps up
 *    (tcp_rcv_space_adjust(); XtcpRcvBufGrown), and the sender's
 *    SO_SNDBUF is twice ten segments at least, past the default
 *    (tcp_sndbuf_expand(), which TCP runs already at the handshake);
 *  - a SO_RCVBUF the user set stays as set;
 *  - net.xtcp.moderate_rcvbuf 0 (TCP: tcp_moderate_rcvbuf 0) keeps the
 *    default.
 * The times are printed, never judged.  Each test has a network
 * namespace of its own.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#define XFER	(2 << 20)

FIXTURE(delayed) {};

FIXTURE_SETUP(delayed)
{
	ASSERT_EQ(0, new_netns());
	ASSERT_EQ(0, run("tc qdisc add dev lo root netem delay 50ms limit 10000"));
}

FIXTURE_TEARDOWN(delayed)
{
}

/* Write XFER octets to the socket in @arg. */
static void *writer(void *arg)
{
	static char buf[65536];
	int fd = *(int *)arg;
	size_t left = XFER;
	ssize_t n;

	while (left) {
		n = write(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (n <= 0)
			break;
		left -= n;
	}
	*(int *)arg = left ? -1 : 0;
	return NULL;
}

/**
 * struct tuned - one transfer's buffers
 * @rcv0: the receiver's SO_RCVBUF when accepted
 * @rcv: after the transfer
 * @snd0: the sender's SO_SNDBUF when connected
 * @snd: after
 * @ms: how long it took
 */
struct tuned {
	int rcv0, rcv, snd0, snd;
	long ms;
};

/*
 * XFER octets from a client to a server of protocol @p on 127.0.0.1,
 * the listener's SO_RCVBUF @rcvbuf first if it is not 0.
 */
static int xfer(int p, int rcvbuf, struct tuned *t)
{
	static char buf[65536];
	unsigned short port = 0;
	int l, c, s, arg, got = 0;
	pthread_t th;
	long t0;
	ssize_t n;

	l = bound_p(p, "127.0.0.1", -1, 0, 0, &port);
	if (l < 0 || (rcvbuf && sockopt_set(l, SOL_SOCKET, SO_RCVBUF, rcvbuf)) ||
	    listen(l, 1))
		return -1;
	c = connected_p(p, "127.0.0.1", -1, port);
	s = accept(l, NULL, NULL);
	if (c < 0 || s < 0)
		return -1;
	t->rcv0 = sockopt_get(s, SOL_SOCKET, SO_RCVBUF);
	t->snd0 = sockopt_get(c, SOL_SOCKET, SO_SNDBUF);
	set_timeo(s, SO_RCVTIMEO, 30000);
	t0 = now_ms();
	arg = c;
	if (pthread_create(&th, NULL, writer, &arg))
		return -1;
	while (got < XFER && (n = read(s, buf, sizeof(buf))) > 0)
		got += n;
	pthread_join(th, NULL);
	t->ms = now_ms() - t0;
	t->rcv = sockopt_get(s, SOL_SOCKET, SO_RCVBUF);
	t->snd = sockopt_get(c, SOL_SOCKET, SO_SNDBUF);
	close(s);
	close(c);
	close(l);
	return got == XFER && !arg ? 0 : -1;
}

static void show(struct __test_metadata *_metadata, int i, const char *what,
		 const struct tuned *t)
{
	TH_LOG("%s %s: SO_RCVBUF %d -> %d, SO_SNDBUF %d -> %d, %d KiB in %ld ms",
	       pname(i), what, t->rcv0, t->rcv, t->snd0, t->snd, XFER >> 10,
	       t->ms);
}

/*
 * The receiver's buffer grows past its default, and the sender's is
 * past the largest default (net.core.wmem_default, xtcp's wmem[1]).
 */
TEST_F(delayed, buffers_grow)
{
	long grown = counter("XtcpRcvBufGrown");
	struct tuned t[NPROTO];
	int i;

	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, xfer(proto_at(i), 0, &t[i]));
		show(_metadata, i, "default", &t[i]);
		EXPECT_LT(t[i].rcv0, t[i].rcv);
		EXPECT_LT(212992, t[i].snd);
	}
	EXPECT_LT(grown, counter("XtcpRcvBufGrown"));
}

/* A SO_RCVBUF the user set (inherited from the listener) stays. */
TEST_F(delayed, rcvbuf_locked)
{
	struct tuned t[NPROTO];
	int i;

	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, xfer(proto_at(i), 131072, &t[i]));
		show(_metadata, i, "SO_RCVBUF 131072", &t[i]);
		EXPECT_EQ(262144, t[i].rcv0);
		EXPECT_EQ(t[i].rcv0, t[i].rcv);
	}
}

/* Autotuning off: the receive buffer keeps its default. */
TEST_F(delayed, moderate_off)
{
	struct tuned t[NPROTO];
	int i;

	ASSERT_EQ(0, run("echo 0 >/proc/sys/net/ipv4/tcp_moderate_rcvbuf"));
	ASSERT_EQ(0, run("echo 0 >/proc/sys/net/xtcp/moderate_rcvbuf"));
	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, xfer(proto_at(i), 0, &t[i]));
		show(_metadata, i, "moderate_rcvbuf 0", &t[i]);
		EXPECT_EQ(t[i].rcv0, t[i].rcv);
	}
}

TEST_HARNESS_MAIN
