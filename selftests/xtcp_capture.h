/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lo carries, for the tests that compare segments on the wire with
 * in-tree TCP's: a packet socket sees every IPv4 and IPv6 packet lo
 * receives, and capture_next() hands out those of one connection with
 * their IP header fields and ours.
 */
#ifndef _XTCP_CAPTURE_H
#define _XTCP_CAPTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/**
 * struct xtcp_pkt - one segment of a connection, as lo carried it
 * @side: 0 from the client (@cport) to the server, 1 back
 * @tclass: traffic class, or IPv4 TOS
 * @hops: hop limit, or TTL
 * @label: flow label (0 for IPv4)
 * @ext: a destination options header (IPv4: options) came before ours
 * @flags: our header's control bits (byte 13)
 * @win: our header's window field
 * @pay: octets of data
 * @seq: sequence number
 * @optlen: octets of our header's options
 * @opt: the options, timestamp values zeroed
 */
struct xtcp_pkt {
	int side, tclass, hops, label, ext, flags, win, pay;
	uint32_t seq;
	int optlen;
	unsigned char opt[40];
};

#define XTCP_FIN	0x01
#define XTCP_SYN	0x02
#define XTCP_RST	0x04
#define XTCP_PSH	0x08

/* lo's MTU, which TCP bounds its MSS by, not the window (half of it). */
static inline int lo_mtu(int mtu)
{
	struct ifreq ifr = { .ifr_name = "lo", .ifr_mtu = mtu };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, SIOCSIFMTU, &ifr);
	close(fd);
	return ret;
}

/* Every IP packet lo receives (not its outgoing copies), from now. */
static inline int capture_open(void)
{
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = if_nametoindex("lo"),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK,
			htons(ETH_P_ALL));

	if (fd >= 0 && bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The IP header at @b (@n octets) into @k; *@off where our header
 * starts, *@end where the packet ends; the next header returned, -1 if
 * it is no IP packet.
 */
static inline int capture_ip(const unsigned char *b, int n,
			     struct xtcp_pkt *k, int *off, int *end)
{
	uint32_t w0;
	int nh;

	memset(k, 0, sizeof(*k));
	if (n >= 40 && b[0] >> 4 == 6) {
		memcpy(&w0, b, 4);
		w0 = ntohl(w0);
		k->tclass = (w0 >> 20) & 0xff;
		k->label = w0 & 0xfffff;
		k->hops = b[7];
		*end = ntohs(*(uint16_t *)(b + 4)) + 40;
		nh = b[6];
		*off = 40;
		while (nh == IPPROTO_DSTOPTS && n >= *off + 8) {
			k->ext = 1;
			nh = b[*off];
			*off += (b[*off + 1] + 1) * 8;
		}
		return nh;
	}
	if (n >= 20 && b[0] >> 4 == 4) {
		k->tclass = b[1];
		k->hops = b[8];
		*off = (b[0] & 15) * 4;
		k->ext = *off > 20;
		*end = ntohs(*(uint16_t *)(b + 2));
		return b[9];
	}
	return -1;
}

/* Zero the values of a timestamps option in the options @o (@len octets). */
static inline void capture_zero_ts(unsigned char *o, int len)
{
	int i = 0;

	while (i < len && o[i]) {
		if (o[i] == 1) {		/* NOP */
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2)
			return;
		if (o[i] == 8 && o[i + 1] == 10 && i + 10 <= len)
			memset(o + i + 2, 0, 8);
		i += o[i + 1];
	}
}

/*
 * The next segment @fd captured of protocol @p between ports @cport and
 * @sport, waiting up to @ms for one: 1 and @k filled, or 0.
 */
static inline int capture_next(int fd, int p, unsigned short cport,
			       unsigned short sport, int ms,
			       struct xtcp_pkt *k)
{
	unsigned char b[2048];
	struct sockaddr_ll ll;
	socklen_t len;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n, off = 0, end = 0;
		unsigned short src, dst;

		if (poll(&pfd, 1, ms) <= 0)
			return 0;
		len = sizeof(ll);
		n = recvfrom(fd, b, sizeof(b), MSG_TRUNC,
			     (struct sockaddr *)&ll, &len);
		if (n < 0 || ll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (n > (int)sizeof(b))
			n = sizeof(b);
		if (capture_ip(b, n, k, &off, &end) != p || n < off + 20)
			continue;
		src = ntohs(*(uint16_t *)(b + off));
		dst = ntohs(*(uint16_t *)(b + off + 2));
		if (src == cport && dst == sport)
			k->side = 0;
		else if (src == sport && dst == cport)
			k->side = 1;
		else
			continue;
		k->seq = ntohl(*(uint32_t *)(b + off + 4));
		k->flags = b[off + 13];
		k->win = ntohs(*(uint16_t *)(b + off + 14));
		k->pay = end - off - (b[off + 12] >> 4) * 4;
		k->optlen = (b[off + 12] >> 4) * 4 - 20;
		if (k->optlen > 0 && n >= off + 20 + k->optlen)
			memcpy(k->opt, b + off + 20, k->optlen);
		capture_zero_ts(k->opt, k->optlen);
		return 1;
	}
}

#endif /* _XTCP_CAPTURE_H */
