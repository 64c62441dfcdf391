/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies (RFC 4987 3.6): when the SYN queue is full, the listener
 * keeps no state and encodes what it needs in its ISN instead.
 *
 *   bits 31..24  time counter t, one tick per 64 s (mod 256)
 *   bits 23..22  index into xtcp_cookie_mss[] (the MSS, rounded down)
 *   bits 21..0   SipHash(key; addresses, ports, client ISN, t, index)
 *
 * The final ACK acknowledges cookie + 1; a cookie is good for two
 * ticks.  Without timestamps there is nowhere to keep the window scale,
 * so a connection made from a cookie does not scale its window.
 *
 * Pure functions of their arguments, so KUnit tests what the module runs.
 */
#ifndef _XTCP_COOKIE_H
#define _XTCP_COOKIE_H

#include <linux/siphash.h>
#include <linux/types.h>

static const u16 xtcp_cookie_mss[] = { 536, 1300, 1440, 8960 };

#define XTCP_COOKIE_HASH_BITS	22
#define XTCP_COOKIE_HASH_MASK	((1U << XTCP_COOKIE_HASH_BITS) - 1)
#define XTCP_COOKIE_MAX_AGE	2	/* ticks */

/*
 * The client's ISN, the tick and the MSS index are separate inputs: were
 * they combined (say, XORed), a client that saw one cookie could make
 * the same hash valid for another tick by choosing its next ISN, and
 * refresh the cookie for ever without a new SYN.
 */
static inline u32 xtcp_cookie_hash(const siphash_key_t *key, __be32 saddr,
				   __be32 daddr, __be16 sport, __be16 dport,
				   u32 irs, u32 t, u32 idx)
{
	const u32 in[6] __aligned(SIPHASH_ALIGNMENT) = {
		(__force u32)saddr, (__force u32)daddr,
		(__force u32)sport << 16 | (__force u32)dport, irs, t, idx,
	};

	return (u32)siphash(in, sizeof(in), key) & XTCP_COOKIE_HASH_MASK;
}

/**
 * xtcp_cookie_make() - the ISN of a SYN-ACK that keeps no state
 * @key: secret
 * @saddr: client address
 * @daddr: listener address
 * @sport: client port
 * @dport: listener port
 * @irs: the client's ISN, from its SYN
 * @now: current tick
 * @mss: the client's MSS; set to the value the cookie encodes
 *
 * Return: the cookie, to be sent as our ISN.
 */
static inline u32 xtcp_cookie_make(const siphash_key_t *key, __be32 saddr,
				   __be32 daddr, __be16 sport, __be16 dport,
				   u32 irs, u32 now, u16 *mss)
{
	u32 idx = 0, t = now & 0xff;

	while (idx + 1 < ARRAY_SIZE(xtcp_cookie_mss) &&
	       xtcp_cookie_mss[idx + 1] <= *mss)
		idx++;
	*mss = xtcp_cookie_mss[idx];
	return t << 24 | idx << XTCP_COOKIE_HASH_BITS |
	       xtcp_cookie_hash(key, saddr, daddr, sport, dport, irs, t, idx);
}

/**
 * xtcp_cookie_check() - validate the cookie a final ACK returns
 * @key: secret
 * @saddr: client address
 * @daddr: listener address
 * @sport: client port
 * @dport: listener port
 * @irs: the client's ISN (the ACK's sequence number - 1)
 * @cookie: the ACK's acknowledgment number - 1
 * @now: current tick
 *
 * Return: the MSS the cookie encodes, or 0 if it is not ours or too old.
 */
static inline u16 xtcp_cookie_check(const siphash_key_t *key, __be32 saddr,
				    __be32 daddr, __be16 sport, __be16 dport,
				    u32 irs, u32 cookie, u32 now)
{
	u32 t = cookie >> 24, idx = (cookie >> XTCP_COOKIE_HASH_BITS) & 3;

	if (((now - t) & 0xff) > XTCP_COOKIE_MAX_AGE)
		return 0;
	if ((cookie & XTCP_COOKIE_HASH_MASK) !=
	    xtcp_cookie_hash(key, saddr, daddr, sport, dport, irs, t, idx))
		return 0;
	return xtcp_cookie_mss[idx];
}

#endif /* _XTCP_COOKIE_H */
