/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segment options (RFC 9293 3.2): MSS, window scale (RFC 7323 2),
 * SACK-permitted and SACK (RFC 2018), timestamps (RFC 7323 3).
 *
 * Pure functions over bytes, so KUnit tests what the module runs.
 */
#ifndef _XTCP_OPTIONS_H
#define _XTCP_OPTIONS_H

#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#include "xtcp_wire.h"

/* RFC 2018 3: at most 4 blocks fit; 3 next to a timestamps option. */
#define XTCP_MAX_SACK		4
#define XTCP_MAX_SACK_TS	3

/* Length of NOP, NOP, timestamps: what the option costs every segment. */
#define XTCP_TS_OPTLEN		12

/**
 * struct xtcp_sack_block - one SACK block, [start, end) in sequence space
 * @start: first sequence number of the block
 * @end: sequence number after its last octet
 */
struct xtcp_sack_block {
	u32	start;
	u32	end;
};

/**
 * struct xtcp_opts - options of a segment, parsed or to be sent
 * @mss: MSS option, 0 if absent
 * @wscale: window scale shift, -1 if absent
 * @ts: timestamps option present (RFC 7323 3)
 * @sack_ok: SACK-permitted option present (RFC 2018 2)
 * @nr_sack: number of SACK blocks in @sack
 * @tsval: TSval
 * @tsecr: TSecr
 * @sack: SACK blocks, first one first (RFC 2018 4)
 */
struct xtcp_opts {
	u16	mss;
	s8	wscale;
	bool	ts;
	bool	sack_ok;
	u8	nr_sack;
	u32	tsval;
	u32	tsecr;
	struct xtcp_sack_block sack[XTCP_MAX_SACK];
};

static inline u32 xtcp_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/**
 * xtcp_parse_opts() - read an option list
 * @p: first octet after the fixed header
 * @len: octets of options (data offset * 4 - 20)
 * @o: filled in: mss 0, wscale -1, no timestamps, no SACK when absent
 *
 * The window scale shift is capped at 14 (RFC 7323 2.3).  An option of a
 * wrong length is skipped; a list that runs past its end stops the parse
 * and what was read before stands (RFC 9293 3.1, robustness).
 */
static inline void xtcp_parse_opts(const u8 *p, int len, struct xtcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->wscale = -1;
	while (len > 0) {
		int kind = *p++, size, i;

		if (kind == XTCPOPT_EOL)
			return;
		if (kind == XTCPOPT_NOP) {
			len--;
			continue;
		}
		if (len < 2)
			return;
		size = *p++;
		if (size < 2 || size > len)
			return;
		switch (kind) {
		case XTCPOPT_MSS:
			if (size == XTCPOLEN_MSS)
				o->mss = (p[0] << 8) | p[1];
			break;
		case XTCPOPT_WINDOW:
			if (size == XTCPOLEN_WINDOW)
				o->wscale = min_t(int, *p, 14);
			break;
		case XTCPOPT_SACK_PERM:
			if (size == XTCPOLEN_SACK_PERM)
				o->sack_ok = true;
			break;
		case XTCPOPT_SACK:
			if ((size - 2) % 8 || size == 2)
				break;
			o->nr_sack = min_t(int, (size - 2) / 8, XTCP_MAX_SACK);
			for (i = 0; i < o->nr_sack; i++) {
				o->sack[i].start = xtcp_get_be32(p + 8 * i);
				o->sack[i].end = xtcp_get_be32(p + 8 * i + 4);
			}
			break;
		case XTCPOPT_TIMESTAMP:
			if (size == XTCPOLEN_TIMESTAMP) {
				o->ts = true;
				o->tsval = xtcp_get_be32(p);
				o->tsecr = xtcp_get_be32(p + 4);
			}
			break;
		}
		p += size - 2;
		len -= size;
	}
}

/**
 * xtcp_peer_mss() - the MSS to send with, from the peer's SYN
 * @opt_mss: the peer's MSS option, 0 if absent
 * @min_mss: net.xtcp.min_snd_mss
 *
 * Without the option, 536 (RFC 9293 3.7.1, RFC 1122 4.2.2.6).  A tiny
 * MSS would cut the stream into one-octet segments and underflow once
 * option space is taken off (the CVE-2019-11479 class): raise it to
 * @min_mss first, as Linux's tcp_min_snd_mss does.
 *
 * Return: the MSS before option space is taken off.
 */
static inline u16 xtcp_peer_mss(u16 opt_mss, u16 min_mss)
{
	return max_t(u16, opt_mss ?: 536, min_mss);
}

/**
 * xtcp_sack_room() - SACK blocks a segment can carry and still fit
 * @mss: the sender's MSS, the room for payload beside the options that
 *	every segment carries (timestamps)
 * @len: payload of this segment
 * @max: the most blocks the option space allows (XTCP_MAX_SACK or,
 *	with timestamps, XTCP_MAX_SACK_TS)
 *
 * RFC 6691 2: options come out of the MSS, so a full-sized segment has
 * no room left for SACK blocks.  Linux makes room by cutting the segment
 * (tcp_current_mss()); xtcp's segments are cut when they are written,
 * so the blocks give way: sent anyway, the datagram would exceed the
 * path MTU and be dropped at the sender, every time it is resent.  The
 * ACK sent at once for out-of-order data carries them all.
 *
 * Return: the number of blocks, 0 to @max.
 */
static inline int xtcp_sack_room(u32 mss, u32 len, int max)
{
	/* NOP, NOP, kind, length, then 8 octets a block (RFC 2018 3). */
	int room = len < mss ? (int)(mss - len) : 0;

	return room < 4 + 8 ? 0 : min(max, (room - 4) / 8);
}

/* Octets the options of @o take, NOP padding included; a multiple of 4. */
static inline int xtcp_opts_len(const struct xtcp_opts *o)
{
	if (!o)
		return 0;
	return (o->mss ? XTCPOLEN_MSS : 0) +
	       (o->ts ? XTCP_TS_OPTLEN : (o->sack_ok ? 4 : 0)) +
	       (o->wscale >= 0 ? 4 : 0) +
	       (o->nr_sack ? 4 + 8 * o->nr_sack : 0);
}

/*
 * Write @o at @p in Linux's layout (RFC 7323 appendix A): MSS;
 * SACK-permitted and timestamps sharing a word, else NOP-padded; NOP,
 * window scale; NOP, NOP, SACK blocks.
 */
static inline void xtcp_write_opts(__be32 *p, const struct xtcp_opts *o)
{
	int i;

	if (o->mss)
		*p++ = htonl((XTCPOPT_MSS << 24) | (XTCPOLEN_MSS << 16) | o->mss);
	if (o->ts) {
		if (o->sack_ok)
			*p++ = htonl((XTCPOPT_SACK_PERM << 24) |
				     (XTCPOLEN_SACK_PERM << 16) |
				     (XTCPOPT_TIMESTAMP << 8) |
				     XTCPOLEN_TIMESTAMP);
		else
			*p++ = htonl((XTCPOPT_NOP << 24) | (XTCPOPT_NOP << 16) |
				     (XTCPOPT_TIMESTAMP << 8) |
				     XTCPOLEN_TIMESTAMP);
		*p++ = htonl(o->tsval);
		*p++ = htonl(o->tsecr);
	} else if (o->sack_ok) {
		*p++ = htonl((XTCPOPT_NOP << 24) | (XTCPOPT_NOP << 16) |
			     (XTCPOPT_SACK_PERM << 8) | XTCPOLEN_SACK_PERM);
	}
	if (o->wscale >= 0)
		*p++ = htonl((XTCPOPT_NOP << 24) | (XTCPOPT_WINDOW << 16) |
			     (XTCPOLEN_WINDOW << 8) | o->wscale);
	if (o->nr_sack) {
		*p++ = htonl((XTCPOPT_NOP << 24) | (XTCPOPT_NOP << 16) |
			     (XTCPOPT_SACK << 8) | (2 + 8 * o->nr_sack));
		for (i = 0; i < o->nr_sack; i++) {
			*p++ = htonl(o->sack[i].start);
			*p++ = htonl(o->sack[i].end);
		}
	}
}

#endif /* _XTCP_OPTIONS_H */
