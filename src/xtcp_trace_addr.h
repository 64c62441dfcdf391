/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The addresses and ports a tracepoint records (include/trace/events/
 * xtcp.h), filled from a socket, a minisock, a control segment or a
 * received segment, either family.
 */
#ifndef _XTCP_TRACE_ADDR_H
#define _XTCP_TRACE_ADDR_H

#include <linux/in6.h>
#include <linux/string.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "xtcp_af.h"

struct trace_seq;

/**
 * struct xtcp_trace_addr - one end pair of a connection, local first
 * @family: AF_INET or AF_INET6, the family on the wire
 * @sport: local port
 * @dport: remote port
 * @saddr: local address (IPv4; 0 for IPv6)
 * @daddr: remote address (IPv4; 0 for IPv6)
 * @saddr6: local address (IPv6; v4-mapped for IPv4)
 * @daddr6: remote address (IPv6; v4-mapped for IPv4)
 */
struct xtcp_trace_addr {
	u16		family;
	__be16		sport;
	__be16		dport;
	__be32		saddr;
	__be32		daddr;
	struct in6_addr	saddr6;
	struct in6_addr	daddr6;
};

/* Fill @a's IPv4 or IPv6 half from the other one; -> @a. */
static inline const struct xtcp_trace_addr *
xtcp_trace_addr_done(struct xtcp_trace_addr *a, bool v6)
{
	a->family = v6 ? AF_INET6 : AF_INET;
	if (v6) {
		a->saddr = 0;
		a->daddr = 0;
	} else {
		ipv6_addr_set_v4mapped(a->saddr, &a->saddr6);
		ipv6_addr_set_v4mapped(a->daddr, &a->daddr6);
	}
	return a;
}

static inline const struct xtcp_trace_addr *
xtcp_trace_addr_sk(struct xtcp_trace_addr *a, const struct sock *sk)
{
	a->sport = inet_sk(sk)->inet_sport;
	a->dport = inet_sk(sk)->inet_dport;
	a->saddr = inet_sk(sk)->inet_saddr;
	a->daddr = inet_sk(sk)->inet_daddr;
	a->saddr6 = sk->sk_v6_rcv_saddr;
	a->daddr6 = sk->sk_v6_daddr;
	return xtcp_trace_addr_done(a, xtcp_sk_v6(sk));
}

/* The segment @skb came from the remote end: its destination is ours. */
static inline const struct xtcp_trace_addr *
xtcp_trace_addr_skb(struct xtcp_trace_addr *a, const struct sk_buff *skb,
		    __be16 sport, __be16 dport)
{
	a->sport = dport;
	a->dport = sport;
	if (xtcp_skb_v6(skb)) {
		a->saddr6 = ipv6_hdr(skb)->daddr;
		a->daddr6 = ipv6_hdr(skb)->saddr;
		return xtcp_trace_addr_done(a, true);
	}
	a->saddr = ip_hdr(skb)->daddr;
	a->daddr = ip_hdr(skb)->saddr;
	return xtcp_trace_addr_done(a, false);
}

/* Copy @a into a tracepoint entry's address fields. */
#define xtcp_trace_store(e, a)						\
	do {								\
		const struct xtcp_trace_addr *__ta = (a);		\
		typeof(e) __te = (e);					\
									\
		__te->family = __ta->family;				\
		memcpy(__te->saddr, &__ta->saddr, 4);			\
		memcpy(__te->daddr, &__ta->daddr, 4);			\
		memcpy(__te->saddr_v6, &__ta->saddr6, 16);		\
		memcpy(__te->daddr_v6, &__ta->daddr6, 16);		\
		__te->sport = ntohs(__ta->sport);			\
		__te->dport = ntohs(__ta->dport);			\
	} while (0)

/* The same from a socket. */
#define xtcp_trace_store_sk(e, sk)					\
	do {								\
		struct xtcp_trace_addr __tsa;				\
									\
		xtcp_trace_store(e, xtcp_trace_addr_sk(&__tsa, sk));	\
	} while (0)

const char *xtcp_trace_print_addr(struct trace_seq *p, u16 family,
				  const u8 *a4, const u8 *a6, u16 port);

#endif /* _XTCP_TRACE_ADDR_H */
