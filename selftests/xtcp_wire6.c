// SPDX-License-Identifier: GPL-2.0
/*
 * What the IP header of each segment says, seen on the wire (a packet
 * socket on lo), xtcp's compared with in-tree TCP's on the same calls:
 *  - traffic class and hop limit: the client's own (IPV6_TCLASS,
 *    IPV6_UNICAST_HOPS), the listener's on the SYN-ACK and on the
 *    accepted connection; with net.xtcp.reflect_tos (TCP's
 *    tcp_reflect_tos) the SYN's, over IPv6 and IPv4;
 *  - the automatic flow label (RFC 6437, net.ipv6.auto_flowlabels): set,
 *    the same on every segment of one side, the SYN-ACK's the server's;
 *  - a leased label sent by IPV6_FLOWINFO_SEND, and connect() refused a
 *    label another socket holds exclusively; a new automatic label for a
 *    SYN sent again after a timeout; the client's label sent back with
 *    net.ipv6.flowlabel_reflect;
 *  - a RST to a closed port: the SYN's TOS or traffic class, and with
 *    flowlabel_reflect's bit 2 its label;
 *  - the window field and the options of the SYN and the SYN-ACK, octet
 *    for octet, with the same buffer settings (tcp_select_initial_window());
 *  - destination options (IPV6_DSTOPTS) on every segment, the
 *    listener's inherited by the accepted socket, and the MSS (TCP_MAXSEG)
 *    smaller by their length, also when set on a connected socket.
 * Each test has a network namespace of its own, with lo up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/in6.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_capture.h"
#include "xtcp_util.h"

FIXTURE(ns) {};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, new_netns());
}

FIXTURE_TEARDOWN(ns)
{
}

/*
 * The segments told apart: who sent them, and what they carry.  The
 * first NCONN are those of every connection; K_RST is the server side's.
 */
enum { K_SYN, K_SYNACK, K_CDATA, K_SDATA, NCONN, K_RST = NCONN, NK };

static const char *const kname[NK] = { "SYN", "SYN-ACK", "client data",
				       "server data", "RST" };

/**
 * struct seg6 - the IP header of one kind of segment
 * @got: seen at all
 * @tclass: traffic class, or IPv4 TOS
 * @hops: hop limit, or TTL
 * @label: flow label (0 for IPv4)
 * @ext: a destination options header (IPv4: options) came before ours
 * @win: our header's window field
 * @optlen: octets of our header's options
 * @opt: the options, timestamp values zeroed
 */
struct seg6 {
	int got, tclass, hops, label, ext, win, optlen;
	unsigned char opt[40];
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

/* Read what @fd captured of protocol @p between ports @cport and @sport. */
static void capture_read(int fd, int p, unsigned short cport,
			 unsigned short sport, struct wire *w)
{
	int first[2] = { -1, -1 }, kind;
	struct xtcp_pkt k;

	memset(w, 0, sizeof(*w));
	w->stable[0] = w->stable[1] = 1;
	while (capture_next(fd, p, cport, sport, 200, &k)) {
		if (first[k.side] < 0)
			first[k.side] = k.label;
		else if (first[k.side] != k.label)
			w->stable[k.side] = 0;
		if (k.flags & XTCP_RST)
			kind = k.side ? K_RST : -1;
		else if (k.flags & XTCP_SYN)
			kind = k.side ? K_SYNACK : K_SYN;
		else if (k.pay > 0)
			kind = k.side ? K_SDATA : K_CDATA;
		else
			kind = -1;
		if (kind < 0 || w->k[kind].got)
			continue;
		w->k[kind] = (struct seg6){
			.got = 1, .tclass = k.tclass, .hops = k.hops,
			.label = k.label, .ext = k.ext, .win = k.win,
			.optlen = k.optlen,
		};
		memcpy(w->k[kind].opt, k.opt, sizeof(k.opt));
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
 * @rcvbuf: SO_RCVBUF of both ends, or 0
 * @clamp: TCP_WINDOW_CLAMP of both ends, or 0
 */
struct setup {
	int l_tclass, l_hops, c_tclass, c_hops, l_dstopts, c_dstopts;
	int rcvbuf, clamp;
};

/*
 * IPV6_TCLASS, IPV6_UNICAST_HOPS (each unless -1), IPV6_DSTOPTS on @fd;
 * on an AF_INET socket (@v4) IP_TOS and IP_TTL.
 */
static int set_opts(int fd, int v4, int tclass, int hops, int dst)
{
	if (v4)
		return (tclass >= 0 && sockopt_set(fd, IPPROTO_IP, IP_TOS,
						   tclass)) ||
		       (hops >= 0 && sockopt_set(fd, IPPROTO_IP, IP_TTL, hops));
	return (tclass >= 0 && sockopt_set(fd, IPPROTO_IPV6, IPV6_TCLASS,
					   tclass)) ||
	       (hops >= 0 && sockopt_set(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
					 hops)) ||
	       (dst && setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts,
				  sizeof(dstopts)));
}

/* SO_RCVBUF and TCP_WINDOW_CLAMP of @o on @fd, those not 0. */
static int set_buf(int fd, const struct setup *o)
{
	return (o->rcvbuf && sockopt_set(fd, SOL_SOCKET, SO_RCVBUF,
					 o->rcvbuf)) ||
	       (o->clamp && sockopt_set(fd, IPPROTO_TCP, TCP_WINDOW_CLAMP,
					o->clamp));
}

/*
 * Listener and client of protocol @p on @host (::1 or 127.0.0.1) made
 * as @o says, a byte each way: what the wire showed in @w, the MSS
 * (TCP_MAXSEG) of the client and the accepted socket in @mss.
 */
static void exchange(struct __test_metadata *_metadata, int p,
		     const char *host, const struct setup *o, struct wire *w,
		     int *mss)
{
	int cap, l, c, s, v4 = !strchr(host, ':');
	struct sockaddr_storage a;
	socklen_t alen;

	cap = capture_open();
	ASSERT_LE(0, cap);
	alen = addr_pton(&a, host, 0);
	ASSERT_LT(0, alen);
	l = socket(a.ss_family, SOCK_STREAM, p);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, set_opts(l, v4, o->l_tclass, o->l_hops, o->l_dstopts));
	ASSERT_EQ(0, set_buf(l, o));
	ASSERT_EQ(0, bind(l, SA(&a), alen));
	ASSERT_EQ(0, listen(l, 4));
	c = socket(a.ss_family, SOCK_STREAM, p);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, set_opts(c, v4, o->c_tclass, o->c_hops, o->c_dstopts));
	ASSERT_EQ(0, set_buf(c, o));
	addr_pton(&a, host, local_port(l));
	ASSERT_EQ(0, connect(c, SA(&a), alen));
	s = accept(l, NULL, NULL);
	ASSERT_LE(0, s);
	ping(_metadata, c, s);
	mss[0] = sockopt_get(c, IPPROTO_TCP, TCP_MAXSEG);
	mss[1] = sockopt_get(s, IPPROTO_TCP, TCP_MAXSEG);
	capture_read(cap, p, local_port(c), local_port(l), w);
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

	for (i = 0; i < NCONN; i++) {
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
		exchange(_metadata, proto_at(i), "::1", &o, &w[i], mss);
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
		exchange(_metadata, proto_at(i), "::1", &none, &w0, mss0[i]);
		EXPECT_EQ(0, w0.k[K_SYNACK].ext + w0.k[K_SDATA].ext);
		exchange(_metadata, proto_at(i), "::1", &o, &w[i], mss[i]);
		TH_LOG("%s: MSS client %d then %d, server %d then %d",
		       pname(i), mss0[i][0], mss[i][0], mss0[i][1], mss[i][1]);
	}
	for (i = 0; i < NCONN; i++)
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
 * A listener of protocol @p on [::1] and a client connected to it with
 * the label @want, leased and sent by IPV6_FLOWINFO_SEND (its address,
 * port and flow info in *@a), accepted, a byte each way.
 */
static void leased_pair(struct __test_metadata *_metadata, int p,
			unsigned int want, struct sockaddr_in6 *a, int *l,
			int *c, int *s)
{
	unsigned short port = 0;

	*l = bound_p(p, "::1", -1, 0, 4, &port);
	ASSERT_LE(0, *l);
	*c = socket(AF_INET6, SOCK_STREAM, p);
	ASSERT_LE(0, *c);
	ASSERT_EQ(0, lease(*c, want));
	ASSERT_EQ(0, sockopt_set(*c, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, 1));
	a->sin6_port = htons(port);
	a->sin6_flowinfo = htonl(want);
	ASSERT_EQ(0, connect(*c, SA(a), sizeof(*a)));
	*s = accept(*l, NULL, NULL);
	ASSERT_LE(0, *s);
	ping(_metadata, *c, *s);
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
		leased_pair(_metadata, proto_at(i), want, &a, &l, &c, &s);
		port = ntohs(a.sin6_port);
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

/* Write @val to /proc/sys/@path (this test's netns). */
static int sysctl_set(const char *path, const char *val)
{
	char name[128];
	FILE *f;
	int ok;

	snprintf(name, sizeof(name), "/proc/sys/%s", path);
	f = fopen(name, "w");
	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/*
 * net.xtcp.reflect_tos and TCP's tcp_reflect_tos: the SYN-ACK and the
 * accepted connection carry the client's traffic class (IPv4: TOS), not
 * the listener's, over IPv6 and IPv4.
 */
TEST_F(ns, reflect_tos)
{
	static const struct setup o = { .l_tclass = 0x20, .l_hops = -1,
					.c_tclass = 0x48, .c_hops = -1 };
	static const char *const host[] = { "::1", "127.0.0.1" };
	struct wire w[NPROTO];
	int f, i, mss[2];

	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_reflect_tos", "1"));
	ASSERT_EQ(0, sysctl_set("net/xtcp/reflect_tos", "1"));
	for (f = 0; f < 2; f++) {
		for (i = 0; i < NPROTO; i++)
			exchange(_metadata, proto_at(i), host[f], &o, &w[i], mss);
		for (i = 0; i < NPROTO; i++) {
			TH_LOG("%s %s: SYN-ACK %#x, server data %#x", host[f],
			       pname(i), w[i].k[K_SYNACK].tclass,
			       w[i].k[K_SDATA].tclass);
			EXPECT_EQ(0x48, w[i].k[K_SYNACK].tclass);
			EXPECT_EQ(0x48, w[i].k[K_SDATA].tclass);
		}
		wire_compare(_metadata, &w[0], &w[1]);
	}
	/* Off again: the listener's own, as before. */
	ASSERT_EQ(0, sysctl_set("net/xtcp/reflect_tos", "0"));
	exchange(_metadata, proto_at(1), "::1", &o, &w[1], mss);
	EXPECT_EQ(0x20, w[1].k[K_SYNACK].tclass);
	EXPECT_EQ(0x20, w[1].k[K_SDATA].tclass);
}

/*
 * net.ipv6.flowlabel_reflect 1 (REPFLOW, set on sockets made after it):
 * the listener sends the client's leased label back on its SYN-ACK and
 * on the accepted connection's segments.
 */
TEST_F(ns, flowlabel_reflect)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	unsigned short port;
	int i, cap, l, c, s;
	struct wire w;

	ASSERT_EQ(0, sysctl_set("net/ipv6/flowlabel_reflect", "1"));
	for (i = 0; i < NPROTO; i++) {
		unsigned int want = 0x23456 + i;	/* a lease lingers */

		cap = capture_open();
		ASSERT_LE(0, cap);
		leased_pair(_metadata, proto_at(i), want, &a, &l, &c, &s);
		port = ntohs(a.sin6_port);
		capture_read(cap, proto_at(i), local_port(c), port, &w);
		TH_LOG("%s: SYN %#x, SYN-ACK %#x, server data %#x", pname(i),
		       w.k[K_SYN].label, w.k[K_SYNACK].label,
		       w.k[K_SDATA].label);
		EXPECT_EQ((int)want, w.k[K_SYN].label);
		EXPECT_EQ((int)want, w.k[K_SYNACK].label);
		EXPECT_EQ((int)want, w.k[K_SDATA].label);
		close(s);
		close(c);
		close(l);
		close(cap);
	}
}

/*
 * A SYN to a port nobody listens on: the RST has the SYN's TOS or
 * traffic class (its ECN bits cleared), over IPv4 and IPv6; with
 * net.ipv6.flowlabel_reflect's bit 2, the SYN's flow label too.
 */
TEST_F(ns, rst_reflects_syn)
{
	static const char *const host[] = { "::1", "127.0.0.1" };
	int f, i, cap, c, tclass[2][NPROTO], label[NPROTO];
	struct sockaddr_storage a;
	unsigned short cport;
	socklen_t alen;
	struct wire w;

	ASSERT_EQ(0, sysctl_set("net/ipv6/flowlabel_reflect", "2"));
	for (f = 0; f < 2; f++) {
		for (i = 0; i < NPROTO; i++) {
			cap = capture_open();
			ASSERT_LE(0, cap);
			alen = addr_pton(&a, host[f], 0);
			c = socket(a.ss_family, SOCK_STREAM, proto_at(i));
			ASSERT_LE(0, c);
			ASSERT_EQ(0, set_opts(c, f, 0x28, -1, 0));
			ASSERT_EQ(0, bind(c, SA(&a), alen));
			cport = local_port(c);
			addr_pton(&a, host[f], 9);	/* discard: closed */
			EXPECT_EQ(-ECONNREFUSED,
				  neg_errno(connect(c, SA(&a), alen)));
			capture_read(cap, proto_at(i), cport, 9, &w);
			tclass[f][i] = w.k[K_RST].tclass;
			TH_LOG("%s %s: SYN class %#x label %#x, RST class %#x label %#x",
			       host[f], pname(i), w.k[K_SYN].tclass,
			       w.k[K_SYN].label, w.k[K_RST].tclass,
			       w.k[K_RST].label);
			EXPECT_EQ(1, w.k[K_RST].got);
			if (!f) {
				EXPECT_NE(0, w.k[K_SYN].label);
				EXPECT_EQ(w.k[K_SYN].label, w.k[K_RST].label);
				label[i] = w.k[K_RST].label != 0;
			}
			close(c);
			close(cap);
		}
		EXPECT_EQ(0x28, tclass[f][0]);
		EXPECT_EQ(tclass[f][0], tclass[f][1]);
	}
	EXPECT_EQ(label[0], label[1]);
}

/*
 * Destination options set on a connected socket: its MSS shrinks by
 * their length at once, as TCP's (ipv6_update_options() ->
 * icsk_sync_mss), and its next segments carry them.
 */
TEST_F(ns, dstopts_after_connect)
{
	int i, l, c, s, before[NPROTO], after[NPROTO];
	unsigned short port;
	struct wire w;
	char x;

	ASSERT_EQ(0, lo_mtu(1500));
	for (i = 0; i < NPROTO; i++) {
		int cap = capture_open();

		ASSERT_LE(0, cap);
		port = 0;
		l = bound_p(proto_at(i), "::1", -1, 0, 4, &port);
		ASSERT_LE(0, l);
		c = connected_p(proto_at(i), "::1", -1, port);
		ASSERT_LE(0, c);
		s = accept(l, NULL, NULL);
		ASSERT_LE(0, s);
		before[i] = sockopt_get(c, IPPROTO_TCP, TCP_MAXSEG);
		ASSERT_EQ(0, setsockopt(c, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts,
					sizeof(dstopts)));
		after[i] = sockopt_get(c, IPPROTO_TCP, TCP_MAXSEG);
		ASSERT_EQ(1, write(c, "c", 1));
		ASSERT_EQ(1, read(s, &x, 1));
		capture_read(cap, proto_at(i), local_port(c), port, &w);
		TH_LOG("%s: MSS %d then %d, data with options %d", pname(i),
		       before[i], after[i], w.k[K_CDATA].ext);
		EXPECT_EQ(1, w.k[K_CDATA].ext);
		close(s);
		close(c);
		close(l);
		close(cap);
	}
	EXPECT_EQ(8, before[0] - after[0]);
	EXPECT_EQ(before[0], before[1]);
	EXPECT_EQ(after[0], after[1]);
}

/*
 * net.xtcp.rmem, in the initial netns (it is global): *@old gets the
 * value it had (if @old), then it is set to @val (if @val).
 */
static int xtcp_rmem(const char *val, char *old, size_t len)
{
	FILE *f;

	if (old) {
		f = popen("nsenter -t 1 -n cat /proc/sys/net/xtcp/rmem", "r");
		if (!f || !fgets(old, len, f)) {
			if (f)
				pclose(f);
			return -1;
		}
		pclose(f);
		old[strcspn(old, "\n")] = 0;
	}
	return val ? run("nsenter -t 1 -n sh -c 'echo \"%s\" >/proc/sys/net/xtcp/rmem'",
			 val) : 0;
}

/* The options of @a and @b, octet for octet, timestamp values aside. */
static int opts_equal(const struct seg6 *a, const struct seg6 *b)
{
	return a->optlen == b->optlen && !memcmp(a->opt, b->opt, a->optlen);
}

/* The window scale option's shift in @a, or -1. */
static int opt_wscale(const struct seg6 *a)
{
	int i;

	for (i = 0; i + 2 < a->optlen; i++)
		if (a->opt[i] == 3 && a->opt[i + 1] == 3)
			return a->opt[i + 2];
	return -1;
}

/*
 * With the same buffer settings (net.xtcp.rmem as net.ipv4.tcp_rmem),
 * the SYN and the SYN-ACK carry what in-tree TCP's carry: the window
 * field (the buffer's payload in whole segments, as
 * tcp_select_initial_window()) and the options octet for octet, the
 * window scale included; over IPv4 and IPv6, on an MTU of 1500.  Then
 * again with SO_RCVBUF and TCP_WINDOW_CLAMP set on both ends.
 */
TEST_F(ns, syn_window_options)
{
	static const char *const host[] = { "127.0.0.1", "::1" };
	static const char rmem[] = "4096 131072 16777216";
	static const struct setup plain = { -1, -1, -1, -1 };
	static const struct setup small = { -1, -1, -1, -1, 0, 0, 8192, 20000 };
	const struct setup *const o[] = { &plain, &small };
	int f, i, j, k, mss[2];
	struct wire w[NPROTO];
	char old[128];

	ASSERT_EQ(0, lo_mtu(1500));
	ASSERT_EQ(0, sysctl_set("net/ipv4/tcp_rmem", rmem));
	ASSERT_EQ(0, xtcp_rmem(rmem, old, sizeof(old)));
	for (j = 0; j < 2; j++) {
		for (f = 0; f < 2; f++) {
			for (i = 0; i < NPROTO; i++)
				exchange(_metadata, proto_at(i), host[f], o[j],
					 &w[i], mss);
			for (k = K_SYN; k <= K_SYNACK; k++) {
				const struct seg6 *t = &w[0].k[k], *x = &w[1].k[k];

				TH_LOG("%s %s %s: window TCP %d xtcp %d, wscale TCP %d xtcp %d",
				       j ? "clamped" : "plain", host[f], kname[k],
				       t->win, x->win, opt_wscale(t),
				       opt_wscale(x));
				EXPECT_EQ(t->win, x->win);
				EXPECT_TRUE(opts_equal(t, x));
			}
		}
		/* TCP's own figures, so that the comparison means something. */
		if (!j) {
			EXPECT_EQ(64800, w[0].k[K_SYN].win);	/* ::1, MSS 1440 */
			EXPECT_EQ(9, opt_wscale(&w[0].k[K_SYN]));
		} else {
			EXPECT_EQ(0, opt_wscale(&w[0].k[K_SYN]));
		}
	}
	EXPECT_EQ(0, xtcp_rmem(old, NULL, 0));
}

TEST_HARNESS_MAIN
