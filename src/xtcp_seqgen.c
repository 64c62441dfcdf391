// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed numbers an off-path attacker must not guess: initial sequence
 * numbers (RFC 6528) and the start of the ephemeral port search
 * (RFC 6056 3.3.4).  Both use SipHash with a boot-time random key.
 */
#include <linux/ktime.h>
#include <linux/siphash.h>
#include <net/net_namespace.h>

#include "xtcp.h"
#include "xtcp_seqgen.h"

static siphash_aligned_key_t xtcp_isn_key;
static siphash_aligned_key_t xtcp_port_key;
static siphash_aligned_key_t xtcp_ts_key;

/* RFC 6528 3, see xtcp_isn_calc(). */
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	net_get_random_once(&xtcp_isn_key, sizeof(xtcp_isn_key));
	return xtcp_isn_calc(&xtcp_isn_key, saddr, daddr, sport, dport,
			     ktime_get_real_ns());
}

/*
 * RFC 7323 5.4: a random offset for the TSval clock, the same for every
 * connection of an address pair, so TSvals keep growing across
 * incarnations of a 4-tuple (what tw_reuse and RFC 6191 rely on).
 */
u32 xtcp_ts_off(__be32 saddr, __be32 daddr)
{
	net_get_random_once(&xtcp_ts_key, sizeof(xtcp_ts_key));
	return siphash_2u32((__force u32)saddr, (__force u32)daddr, &xtcp_ts_key);
}

/*
 * RFC 6056 3.3.4: F(local IP, remote IP, remote port, secret key) in the
 * high 32 bits, G (the table index) in the low ones.
 */
u64 xtcp_port_hash(__be32 saddr, __be32 daddr, __be16 dport)
{
	net_get_random_once(&xtcp_port_key, sizeof(xtcp_port_key));
	return siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    (__force u32)dport, &xtcp_port_key);
}

/*
 * IPv6: the same three, keyed over the whole addresses as Linux's
 * secure_tcpv6_seq() and secure_tcpv6_ts_off() hash them.
 */
struct xtcp_v6_key {
	struct in6_addr	saddr;
	struct in6_addr	daddr;
	__be16		sport;
	__be16		dport;
} __aligned(SIPHASH_ALIGNMENT);

u32 xtcp_isn6(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport)
{
	const struct xtcp_v6_key k = {
		.saddr = *saddr, .daddr = *daddr, .sport = sport, .dport = dport,
	};

	net_get_random_once(&xtcp_isn_key, sizeof(xtcp_isn_key));
	return (u32)siphash(&k, offsetofend(struct xtcp_v6_key, dport),
			    &xtcp_isn_key) +
	       (u32)(ktime_get_real_ns() >> XTCP_ISN_TICK_SHIFT);
}

u32 xtcp_ts_off6(const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	const struct xtcp_v6_key k = { .saddr = *saddr, .daddr = *daddr };

	net_get_random_once(&xtcp_ts_key, sizeof(xtcp_ts_key));
	return (u32)siphash(&k, offsetofend(struct xtcp_v6_key, daddr),
			    &xtcp_ts_key);
}

u64 xtcp_port_hash6(const struct in6_addr *saddr, const struct in6_addr *daddr,
		    __be16 dport)
{
	const struct xtcp_v6_key k = {
		.saddr = *saddr, .daddr = *daddr, .dport = dport,
	};

	net_get_random_once(&xtcp_port_key, sizeof(xtcp_port_key));
	return siphash(&k, offsetofend(struct xtcp_v6_key, dport),
		       &xtcp_port_key);
}

static siphash_aligned_key_t xtcp_fold_key;

/*
 * A keyed 32-bit digest of an IPv6 address, where a hash built for
 * IPv4 addresses (the SYN cookie's) takes one: finding two addresses
 * with one digest takes the key.
 */
u32 xtcp_addr6_fold(const struct in6_addr *a)
{
	net_get_random_once(&xtcp_fold_key, sizeof(xtcp_fold_key));
	return (u32)siphash(a, sizeof(*a), &xtcp_fold_key);
}
