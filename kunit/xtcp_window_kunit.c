// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_window, for src/xtcp_window.h: receive window
 * arithmetic.
 */
#include <kunit/test.h>

#include "xtcp_window.h"

/* RFC 7323 2.3, RFC 9293 3.8.6.2.2. */
static void xtcp_window_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1000U, xtcp_window_for(1000, 0, 0));
	KUNIT_EXPECT_EQ(test, 65535U, xtcp_window_for(1 << 20, 0, 0));
	KUNIT_EXPECT_EQ(test, 65535U << 7, xtcp_window_for(1 << 30, 0, 7));
	/* Rounded down to what the shift can carry. */
	KUNIT_EXPECT_EQ(test, 896U, xtcp_window_for(1000, 0, 7));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_window_for(100, 0, 7));
	/* Never shrinks; a full buffer (negative space) offers what was left. */
	KUNIT_EXPECT_EQ(test, 5000U, xtcp_window_for(1000, 5000, 0));
	KUNIT_EXPECT_EQ(test, 0U, xtcp_window_for(-4096, 0, 7));
	KUNIT_EXPECT_EQ(test, 1280U, xtcp_window_for(-4096, 1280, 7));
}

/* RFC 9293 3.8.6.2.1, as tcp_bound_to_half_wnd(). */
static void xtcp_half_wnd_test(struct kunit *test)
{
	/* No window seen yet, or a large one: the MSS as it is. */
	KUNIT_EXPECT_EQ(test, 1460U, xtcp_bound_to_half_wnd(0, 1460, 48));
	KUNIT_EXPECT_EQ(test, 1460U, xtcp_bound_to_half_wnd(65535, 1460, 48));
	KUNIT_EXPECT_EQ(test, 1460U, xtcp_bound_to_half_wnd(2920, 1460, 48));
	/* A clamped window of 20000 on loopback's MSS: half of it. */
	KUNIT_EXPECT_EQ(test, 10000U, xtcp_bound_to_half_wnd(20000, 65483, 48));
	KUNIT_EXPECT_EQ(test, 1000U, xtcp_bound_to_half_wnd(2001, 1460, 48));
	/* Up to 536 the whole window; never below the floor. */
	KUNIT_EXPECT_EQ(test, 536U, xtcp_bound_to_half_wnd(536, 1460, 48));
	KUNIT_EXPECT_EQ(test, 48U, xtcp_bound_to_half_wnd(20, 1460, 48));
}

/*
 * As tcp_select_initial_window(), with Linux's own figures: a 131072
 * buffer (65536 of payload at the default half), MSS 1460 gives its
 * SYN window of 64240, 1448 (timestamps) its SYN-ACK's 65160.
 */
static void xtcp_initial_window_test(struct kunit *test)
{
	u32 wnd;
	u8 ws;

	xtcp_initial_window(65536, 1460, 0, 6291456, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 64240U, wnd);
	KUNIT_EXPECT_EQ(test, 7, ws);	/* tcp_rmem[2] 6 MiB */
	xtcp_initial_window(65536, 1448, 0, 6291456, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 65160U, wnd);
	xtcp_initial_window(65536, 65483, 0, 16 << 20, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 65483U, wnd);	/* loopback's MSS */
	KUNIT_EXPECT_EQ(test, 9, ws);
	xtcp_initial_window(65536, 1460, 0, 212992, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 2, ws);		/* rmem_max alone */
	/* A clamp bounds both: TCP_WINDOW_CLAMP 20000, SO_RCVBUF 8192. */
	xtcp_initial_window(65536, 1460, 20000, 6291456, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 18980U, wnd);
	KUNIT_EXPECT_EQ(test, 0, ws);
	xtcp_initial_window(8192, 1460, 8192, 6291456, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 7300U, wnd);
	KUNIT_EXPECT_EQ(test, 0, ws);
	/* Beyond 1 GiB the shift stops at 14; no option, no shift. */
	xtcp_initial_window(65536, 1460, 0, 1U << 31, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 14, ws);
	xtcp_initial_window(65536, 1460, 0, 6291456, false, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 0, ws);
	/* Less than one segment of buffer: offered as it is. */
	xtcp_initial_window(1000, 1460, 0, 6291456, true, &wnd, &ws);
	KUNIT_EXPECT_EQ(test, 1000U, wnd);
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE(xtcp_window_test),
	KUNIT_CASE(xtcp_half_wnd_test),
	KUNIT_CASE(xtcp_initial_window_test),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

kunit_test_suite(xtcp_window_suite);
