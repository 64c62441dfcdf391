/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive window to advertise (RFC 9293 3.8.6.2.2, RFC 7323 2).
 * A pure function, so KUnit tests what the module runs.
 */
#ifndef _XTCP_WINDOW_H
#define _XTCP_WINDOW_H

#include <linux/minmax.h>
#include <linux/types.h>

/**
 * xtcp_window_for() - the window for @space free octets
 * @space: free receive buffer, may be negative
 * @cur: the window last advertised, in octets
 * @wscale: our window shift
 *
 * The window is what fits the header field at @wscale, rounded down to
 * a multiple of 1 << @wscale so it survives the shift, and never less
 * than @cur: the right edge does not move left (RFC 9293 3.8.6.2.2).
 *
 * Return: the window in octets.
 */
static inline u32 xtcp_window_for(int space, u32 cur, u8 wscale)
{
	u32 w = max(space, 0);

	w = min_t(u32, w, 65535U << wscale);
	w &= ~((1U << wscale) - 1);
	return max(w, cur);
}

#endif /* _XTCP_WINDOW_H */
