// SPDX-License-Identifier: GPL-2.0
/*
 * How writes become segments, seen on the wire (a packet socket on lo,
 * offloads off, MTU 1500) and compared with in-tree TCP's on the same
 * calls:
 *  - PSH only on the last segment of a write (tcp_mark_push());
 *  - MSG_EOR: data written after the end of a record never joins the
 *    record's segment;
 *  - TCP_NODELAY set on a corked socket sends what is queued;
 *  - TCP_CORK gives up after an RTO with nothing in flight (tcp(7)'s
 *    200 ms ceiling);
 *  - a FIN rides on the data still queued (tcp_send_fin());
 *  - the first read sends no window update (tcp_cleanup_rbuf());
 *  - a sender that never fills cwnd does not grow it (RFC 7661).
 * Each test has a network namespace of its own.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_capture.h"
#include "xtcp_util.h"

/* lo as a NIC without offloads: one segment is one packet, as on a wire. */
FIXTURE(lo) {};

FIXTURE_SETUP(lo)
{
	ASSERT_EQ(0, new_netns());
	ASSERT_EQ(0, lo_mtu(1500));
	ASSERT_EQ(0, run("ethtool -K lo tso off gso off gro off >/dev/null 2>&1"));
}

FIXTURE_TEARDOWN(lo)
{
}

#define MAXSEG	64

/**
 * struct segs - the data (or FIN) segments one side sent, in order
 * @n: how many
 * @pay: octets of data of each
 * @flags: its PSH and FIN bits
 */
struct segs {
	int n, pay[MAXSEG], flags[MAXSEG];
};

/* A connection of protocol @p to @host, its client, server and ports. */
struct conn {
	int c, s, l;
	unsigned short cport, sport;
};

static int conn_open(int p, const char *host, struct conn *k)
{
	k->sport = 0;
	k->l = bound_p(p, host, -1, 0, 4, &k->sport);
	if (k->l < 0)
		return -1;
	k->c = connected_p(p, host, -1, k->sport);
	if (k->c < 0)
		return -1;
	k->s = accept(k->l, NULL, NULL);
	k->cport = local_port(k->c);
	return k->s < 0 ? -1 : 0;
}

static void conn_close(struct conn *k)
{
	close(k->s);
	close(k->c);
	close(k->l);
}

/* The client's segments with data or FIN, until @ms of silence. */
static void client_segs(int cap, int p, const struct conn *k, int ms,
			struct segs *g)
{
	struct xtcp_pkt x;

	memset(g, 0, sizeof(*g));
	while (capture_next(cap, p, k->cport, k->sport, ms, &x)) {
		if (x.side || !(x.pay || (x.flags & XTCP_FIN)) ||
		    g->n == MAXSEG)
			continue;
		g->pay[g->n] = x.pay;
		g->flags[g->n] = x.flags & (XTCP_PSH | XTCP_FIN);
		g->n++;
	}
}

/* Read @len octets from @fd, waiting up to @ms for each part. */
static int read_all(int fd, size_t len, int ms)
{
	static char buf[65536];
	size_t got = 0;
	ssize_t n;

	set_timeo(fd, SO_RCVTIMEO, ms);
	while (got < len) {
		n = read(fd, buf, len - got < sizeof(buf) ? len - got :
			 sizeof(buf));
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/*
 * @a (TCP's) and @b (xtcp's) the same, segment for segment: the data,
 * and the PSH and FIN bits if @flags.
 */
static void segs_compare(struct __test_metadata *_metadata, const char *what,
			 const struct segs *a, const struct segs *b, bool flags)
{
	int i;

	for (i = 0; i < a->n || i < b->n; i++)
		TH_LOG("%s %d: TCP %d%s%s, xtcp %d%s%s", what, i,
		       i < a->n ? a->pay[i] : -1,
		       i < a->n && (a->flags[i] & XTCP_PSH) ? " PSH" : "",
		       i < a->n && (a->flags[i] & XTCP_FIN) ? " FIN" : "",
		       i < b->n ? b->pay[i] : -1,
		       i < b->n && (b->flags[i] & XTCP_PSH) ? " PSH" : "",
		       i < b->n && (b->flags[i] & XTCP_FIN) ? " FIN" : "");
	ASSERT_EQ(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		EXPECT_EQ(a->pay[i], b->pay[i]);
		if (flags)
			EXPECT_EQ(a->flags[i], b->flags[i]);
	}
}

/* How many of @g's segments have PSH. */
static int psh_count(const struct segs *g)
{
	int i, n = 0;

	for (i = 0; i < g->n; i++)
		n += !!(g->flags[i] & XTCP_PSH);
	return n;
}

/*
 * One write of 10000 octets leaves as seven segments, and only the last
 * has PSH; the same write in two halves with MSG_MORE on the first
 * leaves with PSH on the last segment only, too.  TCP's segments are
 * the same; its PSH is on the last and not on the first, and now and
 * then on one in the middle too (a push while it waits for memory: run
 * to run, as on the host's kernel), so only xtcp's count is checked.
 */
TEST_F(lo, psh_last_of_write)
{
	static char buf[10000];
	struct segs g[2][NPROTO];
	struct conn k;
	int i, j, cap;

	for (i = 0; i < NPROTO; i++) {
		for (j = 0; j < 2; j++) {
			cap = capture_open();
			ASSERT_LE(0, cap);
			ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
			ASSERT_EQ(0, sockopt_set(k.c, SOL_SOCKET, SO_SNDBUF,
						 1 << 20));
			if (!j) {
				ASSERT_EQ(sizeof(buf), write(k.c, buf, sizeof(buf)));
			} else {
				ASSERT_EQ(5000, send(k.c, buf, 5000, MSG_MORE));
				ASSERT_EQ(5000, send(k.c, buf, 5000, 0));
			}
			ASSERT_EQ(0, read_all(k.s, sizeof(buf), 5000));
			client_segs(cap, proto_at(i), &k, 300, &g[j][i]);
			conn_close(&k);
			close(cap);
		}
	}
	for (j = 0; j < 2; j++) {
		const struct segs *t = &g[j][0], *x = &g[j][1];

		segs_compare(_metadata, j ? "MSG_MORE" : "one write", t, x,
			     false);
		EXPECT_LE(7, t->n);
		EXPECT_EQ(XTCP_PSH, t->flags[t->n - 1]);
		EXPECT_EQ(0, t->flags[0]);
		EXPECT_EQ(1, psh_count(x));
		EXPECT_EQ(XTCP_PSH, x->flags[x->n - 1]);
	}
}

/*
 * Corked, 800 octets sent with MSG_EOR and then 200: uncorked, they
 * leave as 800 and 200, where without MSG_EOR they leave as one 1000.
 */
TEST_F(lo, eor_ends_segment)
{
	struct segs g[2][NPROTO];
	static char buf[1000];
	struct conn k;
	int i, j, cap;

	for (i = 0; i < NPROTO; i++) {
		for (j = 0; j < 2; j++) {
			cap = capture_open();
			ASSERT_LE(0, cap);
			ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
			ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_CORK, 1));
			ASSERT_EQ(800, send(k.c, buf, 800, j ? MSG_EOR : 0));
			ASSERT_EQ(200, send(k.c, buf, 200, 0));
			ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_CORK, 0));
			ASSERT_EQ(0, read_all(k.s, 1000, 5000));
			client_segs(cap, proto_at(i), &k, 300, &g[j][i]);
			conn_close(&k);
			close(cap);
		}
	}
	EXPECT_EQ(1, g[0][0].n);
	EXPECT_EQ(2, g[1][0].n);
	EXPECT_EQ(800, g[1][0].pay[0]);
	segs_compare(_metadata, "no EOR", &g[0][0], &g[0][1], true);
	segs_compare(_metadata, "MSG_EOR", &g[1][0], &g[1][1], true);
}

/* Octets queued for reading on @fd. */
static int inq(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

/*
 * TCP_NODELAY set on a corked socket sends what is queued at once.
 * The RTO is made 20 s (a route's rto_min for TCP, net.xtcp.rto_min_ms
 * for xtcp) so that TCP_CORK's own timeout stays out of the way.
 */
TEST_F(lo, nodelay_pushes_corked)
{
	int i, before[NPROTO], got[NPROTO];
	struct conn k;

	ASSERT_EQ(0, run("ip route add local 127.0.0.2/32 dev lo table local rto_min 20s"));
	ASSERT_EQ(0, run("echo 20000 >/proc/sys/net/xtcp/rto_min_ms"));
	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.2", &k));
		ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_CORK, 1));
		ASSERT_EQ(100, write(k.c, (char[100]){0}, 100));
		usleep(200 * 1000);
		before[i] = inq(k.s);
		ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_NODELAY, 1));
		got[i] = read_all(k.s, 100, 5000) ? -1 : 100;
		TH_LOG("%s: corked %d queued at the server, after TCP_NODELAY %d read",
		       pname(i), before[i], got[i]);
		conn_close(&k);
	}
	EXPECT_EQ(0, before[0]);
	EXPECT_EQ(before[0], before[1]);
	EXPECT_EQ(100, got[0]);
	EXPECT_EQ(got[0], got[1]);
}

/*
 * TCP_CORK held with nothing in flight: the data leaves by itself after
 * an RTO (tcp(7): "a 200 millisecond ceiling"), still corked.
 */
TEST_F(lo, cork_ceiling)
{
	int i, got[NPROTO];
	struct conn k;
	long t0, ms[NPROTO];

	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
		ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_CORK, 1));
		t0 = now_ms();
		ASSERT_EQ(100, write(k.c, (char[100]){0}, 100));
		got[i] = read_all(k.s, 100, 10000) ? -1 : 100;
		ms[i] = now_ms() - t0;
		TH_LOG("%s: %d octets read after %ld ms, corked", pname(i),
		       got[i], ms[i]);
		conn_close(&k);
	}
	EXPECT_EQ(100, got[0]);
	EXPECT_EQ(got[0], got[1]);
}

/* Corked data and then shutdown(): one segment with the data and FIN. */
TEST_F(lo, fin_rides_on_data)
{
	struct segs g[NPROTO];
	struct conn k;
	int i, cap;

	for (i = 0; i < NPROTO; i++) {
		cap = capture_open();
		ASSERT_LE(0, cap);
		ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
		ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_CORK, 1));
		ASSERT_EQ(100, write(k.c, (char[100]){0}, 100));
		ASSERT_EQ(0, shutdown(k.c, SHUT_WR));
		ASSERT_EQ(0, read_all(k.s, 100, 5000));
		client_segs(cap, proto_at(i), &k, 300, &g[i]);
		conn_close(&k);
		close(cap);
	}
	EXPECT_EQ(1, g[0].n);
	EXPECT_EQ(XTCP_FIN, g[0].flags[0] & XTCP_FIN);
	segs_compare(_metadata, "data and FIN", &g[0], &g[1], true);
}

/* Pure ACKs (no data, SYN, FIN or RST) the client sent, until @ms of silence. */
static int client_acks(int cap, int p, const struct conn *k, int ms)
{
	struct xtcp_pkt x;
	int n = 0;

	while (capture_next(cap, p, k->cport, k->sport, ms, &x))
		n += !x.side && !x.pay &&
		     !(x.flags & (XTCP_SYN | XTCP_FIN | XTCP_RST));
	return n;
}

/*
 * The first read after the handshake sends no window update: the
 * client's ACKs are the handshake's and the one for the data, as TCP's
 * (tcp_cleanup_rbuf() announces a window only once it doubled).
 */
TEST_F(lo, read_no_window_update)
{
	int i, cap, acks[NPROTO];
	struct conn k;
	char x[100];

	for (i = 0; i < NPROTO; i++) {
		cap = capture_open();
		ASSERT_LE(0, cap);
		ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
		ASSERT_EQ(100, write(k.s, x, 100));
		ASSERT_EQ(0, read_all(k.c, 100, 5000));
		acks[i] = client_acks(cap, proto_at(i), &k, 300);
		TH_LOG("%s: %d pure ACKs from the client", pname(i), acks[i]);
		conn_close(&k);
		close(cap);
	}
	EXPECT_EQ(2, acks[0]);
	EXPECT_EQ(acks[0], acks[1]);
}

/* tcpi_snd_cwnd of @fd, -1 on error. */
static int snd_cwnd(int fd)
{
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof(ti);

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) ? -1 :
	       (int)ti.tcpi_snd_cwnd;
}

/*
 * A sender that never fills its window does not grow it (RFC 7661,
 * tcp_is_cwnd_limited()): 30 writes of 1000 octets, each acknowledged
 * before the next, leave cwnd at its initial 10, as TCP's.
 */
TEST_F(lo, app_limited_cwnd)
{
	int i, j, cwnd[NPROTO];
	char x[1000] = { 0 };
	struct conn k;

	for (i = 0; i < NPROTO; i++) {
		ASSERT_EQ(0, conn_open(proto_at(i), "127.0.0.1", &k));
		ASSERT_EQ(0, sockopt_set(k.c, IPPROTO_TCP, TCP_NODELAY, 1));
		for (j = 0; j < 30; j++) {
			ASSERT_EQ(sizeof(x), write(k.c, x, sizeof(x)));
			ASSERT_EQ(0, read_all(k.s, sizeof(x), 5000));
			usleep(20 * 1000);
		}
		cwnd[i] = snd_cwnd(k.c);
		TH_LOG("%s: cwnd %d after 30 lone segments", pname(i), cwnd[i]);
		conn_close(&k);
	}
	EXPECT_EQ(10, cwnd[0]);
	EXPECT_EQ(cwnd[0], cwnd[1]);
}

TEST_HARNESS_MAIN
