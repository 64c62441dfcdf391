/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When two local addresses overlap for bind(), across IPv4 and IPv6:
 * Linux's inet_rcv_saddr_equal() with wildcards matching.  Pure, so
 * that kunit/xtcp_bind_kunit.c tests it unmodified.
 */
#ifndef _XTCP_BIND_H
#define _XTCP_BIND_H

#include <linux/in6.h>
#include <linux/socket.h>
#include <net/ipv6.h>

/**
 * struct xtcp_bound - the local address of a socket or time-wait
 *	minisock, as bind conflicts compare them
 * @family: the socket's family
 * @v6only: IPV6_V6ONLY
 * @addr: the IPv4 address (of an AF_INET6 socket: of a v4-mapped one)
 * @addr6: the IPv6 address of an AF_INET6 socket
 */
struct xtcp_bound {
	u16			family;
	bool			v6only;
	__be32			addr;
	const struct in6_addr	*addr6;
};

/*
 * Do two local addresses overlap for bind()?  Linux's
 * inet_rcv_saddr_equal() with wildcards matching: an AF_INET6 socket
 * on :: without IPV6_V6ONLY also holds the IPv4 wildcard, a v4-mapped
 * address is its IPv4 address, and a V6ONLY socket holds no IPv4.
 */
static inline bool xtcp_addr_overlap(const struct xtcp_bound *a,
				     const struct xtcp_bound *b)
{
	int ta, tb;

	if (a->family != AF_INET6) {
		if (b->family == AF_INET6 && b->v6only)
			return false;
		return !a->addr || !b->addr || a->addr == b->addr;
	}
	ta = ipv6_addr_type(a->addr6);
	tb = b->family == AF_INET6 ? ipv6_addr_type(b->addr6) : IPV6_ADDR_MAPPED;
	if (ta == IPV6_ADDR_MAPPED && tb == IPV6_ADDR_MAPPED)
		return !b->v6only &&
		       (!a->addr || !b->addr || a->addr == b->addr);
	if (ta == IPV6_ADDR_ANY && tb == IPV6_ADDR_ANY)
		return true;
	if (tb == IPV6_ADDR_ANY && !(b->v6only && ta == IPV6_ADDR_MAPPED))
		return true;
	if (ta == IPV6_ADDR_ANY && !(a->v6only && tb == IPV6_ADDR_MAPPED))
		return true;
	return b->family == AF_INET6 && ipv6_addr_equal(a->addr6, b->addr6);
}

#endif /* _XTCP_BIND_H */
