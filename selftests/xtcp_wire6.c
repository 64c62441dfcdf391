// SPDX-License-Identifier: GPL-2.0
/*
 * What the IPv6 header of each segment says, seen on the wire (a packet
 * socket on lo), xtcp's compared with in-tree TCP's on the same calls:
 *  - traffic class and hop limit: the client's own (IPV6_TCLASS,
 *    IPV6_UNICAST_HOPS), the listener's on the SYN-ACK and on the
 *    accepted connection;
 *  - the automatic flow label (RFC 6437, net.ipv6.auto_flowlabels): set,
 *    the same on every segment of one side, the SYN-ACK's the server's;
 *  - a leased label sent by IPV6_FLOWINFO_SEND, and connect() refused a
 *    label another socket holds exclusively; a new automatic label for a
 *    SYN sent again after a timeout;
 *  - destination options (IPV6_DSTOPTS) on every segment, the
 *    listener's inherited by the accepted socket, and the MSS (TCP_MAXSEG)
 *    smaller by their length.
 * Each test has a network namespace of its own, with lo up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in6.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

FIXTURE(ns) {};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, new_netns());
}

FIXTURE_TEARDOWN(ns)
{
}

/* The segments told apart: who sent them, and what they carry. */
enum { K_SYN, K_SYNACK, K_CDATA, K_SDATA, NK };

static const char *const kname[NK] = { "SYN", "SYN-ACK", "client data",
				       "server data" };

/**
 * struct seg6 - the IPv6 header of one kind of segment
 * @got: seen at all
 * @tclass: traffic class
 * @hops: hop limit
 * @label: flow label
 * @ext: a destination options header came before ours
 */
struct seg6 {
	int got, tclass, hops, label, ext;
};

/**
 * struct wire - what one exchange showed
 * @k: the first segment of each kind
 * @stable: every segment of the client ([0]) or the server ([1]) had
 *	the label of its first
 */
struct wire {
	struct seg6 k[NK];
	int stable[2];
};

/* lo's MTU, which TCP bounds its MSS by, not the window (half of it). */
static int lo_mtu(int mtu)
{
	struct ifreq ifr = { .ifr_name = "lo", .ifr_mtu = mtu };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, SIOCSIFMTU, &ifr);
	close(fd);
	return ret;
}

/* Every IPv6 packet lo receives (not its outgoing copies), from now. */
static int capture_open(void)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = if_nametoindex("lo"),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK,
			htons(ETH_P_IPV6));

	if (fd >= 0 && bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read what @fd captured of protocol @p between ports @cport and @sport. */
static void capture_read(int fd, int p, unsigned short cport,
			 unsigned short sport, struct wire *w)
{
	int first[2] = { -1, -1 };
	unsigned char b[2048];
	struct sockaddr_ll ll;
	socklen_t len;

	memset(w, 0, sizeof(*w));
	w->stable[0] = w->stable[1] = 1;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n, off = 40, nh, ext = 0, side, kind, pay;
		uint32_t w0;

		if (poll(&pfd, 1, 200) <= 0)
			break;
		len = sizeof(ll);
		n = recvfrom(fd, b, sizeof(b), 0, (struct sockaddr *)&ll, &len);
		if (n < 40 || ll.sll_pkttype == PACKET_OUTGOING)
			continue;
		nh = b[6];
		while (nh == IPPROTO_DSTOPTS && n >= off + 8) {
			ext = 1;
			nh = b[off];
			off += (b[off + 1] + 1) * 8;
		}
		if (nh != p || n < off + 20)
			continue;
		if (ntohs(*(uint16_t *)(b + off)) == cport &&
		    ntohs(*(uint16_t *)(b + off + 2)) == sport)
			side = 0;
		else if (ntohs(*(uint16_t *)(b + off)) == sport &&
			 ntohs(*(uint16_t *)(b + off + 2)) == cport)
			side = 1;
		else
			continue;
		pay = ntohs(*(uint16_t *)(b + 4)) + 40 - off -
		      (b[off + 12] >> 4) * 4;
		memcpy(&w0, b, 4);
		w0 = ntohl(w0);
		if (first[side] < 0)
			first[side] = w0 & 0xfffff;
		else if (first[side] != (int)(w0 & 0xfffff))
			w->stable[side] = 0;
		if (b[off + 13] & 0x02)		/* SYN */
			kind = side ? K_SYNACK : K_SYN;
		else if (pay > 0)
			kind = side ? K_SDATA : K_CDATA;
		else
			continue;
		if (w->k[kind].got)
			continue;
		w->k[kind] = (struct seg6){
			.got = 1, .tclass = (w0 >> 20) & 0xff,
			.hops = b[7], .label = w0 & 0xfffff, .ext = ext,
		};
	}
}

/* A byte each way between @c and @s. */
static void ping(struct __test_metadata *_metadata, int c, int s)
{
	char x;

	ASSERT_EQ(1, write(c, "c", 1));
	ASSERT_EQ(1, read(s, &x, 1));
	ASSERT_EQ(1, write(s, "s", 1));
	ASSERT_EQ(1, read(c, &x, 1));
}

static const unsigned char dstopts[8] = { 0, 0, 1, 4 };	/* PadN */

/**
 * struct setup - how one exchange is made
 * @l_tclass: the listener's IPV6_TCLASS, or -1
 * @l_hops: the listener's IPV6_UNICAST_HOPS, or -1
 * @c_tclass: the client's IPV6_TCLASS, or -1
 * @c_hops: the client's IPV6_UNICAST_HOPS, or -1
 * @l_dstopts: the listener has destination options
 * @c_dstopts: the client has them
 */
struct setup {
	int l_tclass, l_hops, c_tclass, c_hops, l_dstopts, c_dstopts;
};

/* IPV6_TCLASS, IPV6_UNICAST_HOPS (each unless -1), IPV6_DSTOPTS on @fd. */
static int set_opts(int fd, int tclass, int hops, int dst)
{
	return (tclass >= 0 && sockopt_set(fd, IPPROTO_IPV6, IPV6_TCLASS,
					   tclass)) ||
	       (hops >= 0 && sockopt_set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
					 hops)) ||
	       (dst && setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts,
				  sizeof(dstopts)));
}

/*
 * Listener and client of protocol @p on [::1] made as @o says, a byte
 * each way: what the wire showed in @w, the MSS (TCP_MAXSEG) of the
 * client and the accepted socket in @mss.
 */
static void exchange(struct __test_metadata *_metadata, int p,
		     const struct setup *o, struct wire *w, int *mss)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	unsigned short port = 0;
	int cap, l, c, s;

	cap = capture_open();
	ASSERT_LE(0, cap);
	l = socket(AF_INET6, SOCK_STREAM, p);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, set_opts(l, o->l_tclass, o->l_hops, o->l_dstopts));
	ASSERT_EQ(0, bind(l, SA(&a), sizeof(a)));
	ASSERT_EQ(0, listen(l, 4));
	port = local_port(l);
	c = socket(AF_INET6, SOCK_STREAM, p);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, set_opts(c, o->c_tclass, o->c_hops, o->c_dstopts));
	a.sin6_port = htons(port);
	ASSERT_EQ(0, connect(c, SA(&a), sizeof(a)));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	ping(_metadata, c, s);
	mss[0] = sockopt_get(c, IPPROTO_TCP, TCP_MAXSEG);
	mss[1] = sockopt_get(s, IPPROTO_TCP, TCP_MAXSEG);
	capture_read(cap, p, local_port(c), port, w);
	close(s);
	close(c);
	close(l);
	close(cap);
}

/* @w of xtcp against @t of TCP: the same on every field. */
static void wire_compare(struct __test_metadata *_metadata,
			 const struct wire *t, const struct wire *w)
{
	int i;

	for (i = 0; i < NK; i++) {
		const struct seg6 *a = &t->k[i], *b = &w->k[i];

		EXPECT_EQ(1, a->got) TH_LOG("TCP sent no %s", kname[i]);
		EXPECT_EQ(a->got, b->got) TH_LOG("%s seen", kname[i]);
		EXPECT_EQ(a->tclass, b->tclass) TH_LOG("%s tclass", kname[i]);
		EXPECT_EQ(a->hops, b->hops) TH_LOG("%s hop limit", kname[i]);
		EXPECT_EQ(a->ext, b->ext) TH_LOG("%s dst options", kname[i]);
		EXPECT_EQ(!a->label, !b->label) TH_LOG("%s label %#x, TCP's %#x",
						       kname[i], b->label, a->label);
	}
	EXPECT_EQ(t->stable[0], w->stable[0]) TH_LOG("client label stable");
	EXPECT_EQ(t->stable[1], w->stable[1]) TH_LOG("server label stable");
	EXPECT_EQ(t->k[K_SYNACK].label == t->k[K_SDATA].label,
		  w->k[K_SYNACK].label == w->k[K_SDATA].label)
		TH_LOG("the SYN-ACK's label the connection's");
}

/*
 * The client's traffic class and hop limit on its segments; the
 * listener's on the SYN-ACK and on what the accepted socket sends; an
 * automatic flow label on each, one per side for the connection.
 */
TEST_F(ns, tclass_hops_label)
{
	static const struct setup o = { .l_tclass = 0x20, .l_hops = 40,
					.c_tclass = 0x48, .c_hops = 33 };
	struct wire w[NPROTO];
	int i, mss[2];

	for (i = 0; i < NPROTO; i++)
		exchange(_metadata, proto_at(i), &o, &w[i], mss);
	/* TCP's answers, so that the comparison below means something. */
	EXPECT_EQ(0x48, w[0].k[K_SYN].tclass);
	EXPECT_EQ(33, w[0].k[K_SYN].hops);
	EXPECT_EQ(0x20, w[0].k[K_SYNACK].tclass);
	EXPECT_EQ(40, w[0].k[K_SYNACK].hops);
	EXPECT_EQ(0x20, w[0].k[K_SDATA].tclass);
	EXPECT_EQ(40, w[0].k[K_SDATA].hops);
	EXPECT_NE(0, w[0].k[K_CDATA].label);
	EXPECT_EQ(1, w[0].stable[0]);
	EXPECT_EQ(w[0].k[K_SYNACK].label, w[0].k[K_SDATA].label);
	wire_compare(_metadata, &w[0], &w[1]);
}

/*
 * Destination options on every segment of the socket that set them,
 * the listener's on its SYN-ACK and inherited by the accepted socket;
 * each side's MSS 8 octets smaller for them, as TCP's (on an MTU of
 * 1500, where the MSS is the path's).
 */
TEST_F(ns, dstopts_inherited)
{
	static const struct setup none = { -1, -1, -1, -1 };
	static const struct setup o = { -1, -1, -1, -1, 1, 1 };
	int i, mss0[NPROTO][2], mss[NPROTO][2];
	struct wire w[NPROTO], w0;

	ASSERT_EQ(0, lo_mtu(1500));
	for (i = 0; i < NPROTO; i++) {
		exchange(_metadata, proto_at(i), &none, &w0, mss0[i]);
		EXPECT_EQ(0, w0.k[K_SYNACK].ext + w0.k[K_SDATA].ext);
		exchange(_metadata, proto_at(i), &o, &w[i], mss[i]);
		TH_LOG("%s: MSS client %d then %d, server %d then %d",
		       pname(i), mss0[i][0], mss[i][0], mss0[i][1], mss[i][1]);
	}
	for (i = 0; i < NK; i++)
		EXPECT_EQ(1, w[0].k[i].ext) TH_LOG("TCP's segment kind %d", i);
	EXPECT_EQ(8, mss0[0][0] - mss[0][0]);
	EXPECT_EQ(8, mss0[0][1] - mss[0][1]);
	wire_compare(_metadata, &w[0], &w[1]);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(mss0[0][i], mss0[1][i]) TH_LOG("MSS side %d", i);
		EXPECT_EQ(mss[0][i], mss[1][i]) TH_LOG("MSS side %d, dstopts", i);
	}
}

/* Lease @label for [::1] on @fd, exclusively (RFC 6437 3). */
static int lease(int fd, unsigned int label)
{
	struct in6_flowlabel_req fr = {
		.flr_dst = IN6ADDR_LOOPBACK_INIT,
		.flr_label = htonl(label),
		.flr_action = IPV6_FL_A_GET,
		.flr_share = IPV6_FL_S_EXCL,
		.flr_flags = IPV6_FL_F_CREATE,
		.flr_expires = 60,
	};

	return setsockopt(fd, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &fr,
			  sizeof(fr));
}

/*
 * IPV6_FLOWINFO_SEND: connect() takes sin6_flowinfo's label, which the
 * socket leased, and every segment of the client carries it; another
 * socket connecting with that label is refused (EINVAL).
 */
TEST_F(ns, flowinfo_send_lease)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int i, cap, l, c, s, d, label[NPROTO], data[NPROTO], refused[NPROTO];
	unsigned short port;
	struct wire w;

	for (i = 0; i < NPROTO; i++) {
		unsigned int want = 0x12345 + i;	/* a lease lingers */

		cap = capture_open();
		ASSERT_LE(0, cap);
		port = 0;
		l = bound_p(proto_at(i), "::1", -1, 0, 4, &port);
		ASSERT_LE(0, l);
		c = socket(AF_INET6, SOCK_STREAM, proto_at(i));
		ASSERT_LE(0, c);
		ASSERT_EQ(0, lease(c, want));
		ASSERT_EQ(0, sockopt_set(c, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, 1));
		a.sin6_port = htons(port);
		a.sin6_flowinfo = htonl(want);
		ASSERT_EQ(0, connect(c, SA(&a), sizeof(a)));
		s = accept(l, NULL, NULL);
		ASSERT_LE(0, s);
		ping(_metadata, c, s);
		d = socket(AF_INET6, SOCK_STREAM, proto_at(i));
		ASSERT_LE(0, d);
		ASSERT_EQ(0, sockopt_set(d, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, 1));
		refused[i] = neg_errno(connect(d, SA(&a), sizeof(a)));
		capture_read(cap, proto_at(i), local_port(c), port, &w);
		label[i] = w.k[K_SYN].label;
		data[i] = w.k[K_CDATA].label;
		TH_LOG("%s: SYN label %#x, data %#x, another socket's connect %d",
		       pname(i), label[i], data[i], refused[i]);
		EXPECT_EQ((int)want, label[i]);
		EXPECT_EQ((int)want, data[i]);
		close(d);
		close(s);
		close(c);
		close(l);
		close(cap);
	}
	EXPECT_EQ(-EINVAL, refused[0]);
	EXPECT_EQ(refused[0], refused[1]);
}

/* SYNs or segments resent in a row (TCP_INFO). */
static int retransmits(int fd)
{
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_retransmits;
}

/*
 * RFC 6438 / Linux's sk_rethink_txhash(): a SYN that times out is sent
 * again with a new flow label, in case the path its label hashed to is
 * the broken one.  The SYN is lost to a full accept queue (backlog 0,
 * one connection queued), which TCP and xtcp both drop silently.
 */
TEST_F(ns, label_rehash_on_timeout)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int i, n, cap, l, c1, c2, stable[NPROTO];
	long rehash = counter("XtcpTimeoutRehash");
	unsigned short port;
	struct wire w;

	for (i = 0; i < NPROTO; i++) {
		cap = capture_open();
		ASSERT_LE(0, cap);
		port = 0;
		l = bound_p(proto_at(i), "::1", -1, 0, 0, &port);
		ASSERT_LE(0, l);
		ASSERT_EQ(0, listen(l, 0));
		c1 = connected_p(proto_at(i), "::1", -1, port);
		ASSERT_LE(0, c1);
		c2 = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, proto_at(i));
		ASSERT_LE(0, c2);
		a.sin6_port = htons(port);
		ASSERT_EQ(-EINPROGRESS, neg_errno(connect(c2, SA(&a), sizeof(a))));
		/* One resend, at the 1 s RTO: as soon as TCP_INFO says so. */
		for (n = 0; n < 100 && retransmits(c2) < 1; n++)
			usleep(100 * 1000);
		EXPECT_LE(1, retransmits(c2));
		capture_read(cap, proto_at(i), local_port(c2), port, &w);
		stable[i] = w.stable[0];
		TH_LOG("%s: SYN label %#x, stable %d", pname(i), w.k[K_SYN].label,
		       stable[i]);
		EXPECT_EQ(1, w.k[K_SYN].got);
		close(c2);
		close(c1);
		close(l);
		close(cap);
	}
	EXPECT_EQ(0, stable[0]);
	EXPECT_EQ(stable[0], stable[1]);
	EXPECT_LT(rehash, counter("XtcpTimeoutRehash"));
}

TEST_HARNESS_MAIN
