/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive window to advertise (RFC 9293 3.8.6.2.2, RFC 7323 2).
 * A pure function, so KUnit tests what the module runs.
 */
#ifndef _XTCP_WINDOW_H
#define _XTCP_WINDOW_H

#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/types.h>

/* RFC 7323 2.3: the largest window shift. */
#define XTCP_MAX_WSCALE		14

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

/* RFC 9293 3.8.1's default send MSS: below it, no half-window cutoff. */
#define XTCP_MSS_DEFAULT	536U

/**
 * xtcp_bound_to_half_wnd() - the send MSS for a peer's largest window
 * @max_window: the largest window the peer offered, 0 if none yet
 * @mss: the send MSS from the path and the peer's MSS option
 * @floor: the smallest segment to send (68 octets less the header)
 *
 * RFC 9293 3.8.6.2.1 (sender SWS avoidance) sends a segment once it is
 * a fraction of the largest window seen.  As Linux's
 * tcp_bound_to_half_wnd(), segments are cut to half that window (the
 * whole of a window below 536), so a window smaller than the MSS (a
 * TCP_WINDOW_CLAMP, a small buffer) still takes full-sized segments
 * instead of waiting for the persist timer.
 *
 * Return: the MSS to send with.
 */
static inline u32 xtcp_bound_to_half_wnd(u32 max_window, u32 mss, u32 floor)
{
	u32 cutoff = max_window > XTCP_MSS_DEFAULT ? max_window >> 1 : max_window;

	if (cutoff && mss > cutoff)
		return max(cutoff, floor);
	return mss;
}

/**
 * xtcp_initial_window() - the window a SYN or SYN-ACK offers, and our shift
 * @space: payload the whole receive buffer takes
 * @mss: our MSS, less the options every segment will carry
 * @clamp: the largest window to offer (TCP_WINDOW_CLAMP, or the buffer
 *	when SO_RCVBUF fixes it), 0 for none
 * @max_space: the largest the buffer may grow to: net.xtcp.rmem[2] or
 *	net.core.rmem_max, whichever is larger
 * @wscale_ok: a window scale option is sent
 * @wnd: set to the first RCV.WND (a SYN's header field takes 65535 of
 *	it)
 * @wscale: set to our window shift, 0 without @wscale_ok
 *
 * As Linux's tcp_select_initial_window(), so that with the same buffer
 * settings the handshake carries the same values as in-tree TCP's: the
 * window is the buffer's payload rounded down to whole segments, and
 * the shift is the one the largest buffer the socket may grow to needs
 * (RFC 7323 2.3), bounded by @clamp.
 */
static inline void xtcp_initial_window(u32 space, u32 mss, u32 clamp,
				       u32 max_space, bool wscale_ok,
				       u32 *wnd, u8 *wscale)
{
	if (!clamp)
		clamp = 65535U << XTCP_MAX_WSCALE;
	space = min(space, clamp);
	if (mss && space > mss)
		space = rounddown(space, mss);
	/* Unscaled, the header field is all there is (RFC 7323 2.3). */
	*wnd = wscale_ok ? space : min(space, 65535U);
	*wscale = 0;
	if (wscale_ok) {
		space = min(max(space, max_space), clamp);
		*wscale = space ? clamp_t(int, ilog2(space) - 15, 0,
					  XTCP_MAX_WSCALE) : 0;
	}
}

#endif /* _XTCP_WINDOW_H */
