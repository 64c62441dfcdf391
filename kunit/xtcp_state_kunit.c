// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_state, for src/xtcp_state.h: the close and time-wait
 * rules.
 */
#include <kunit/test.h>

#include "xtcp_state.h"
#include "xtcp_wire.h"

/* RFC 9293 3.10.4 CLOSE, for each of the eleven states. */
static void xtcp_close_rule_test(struct kunit *test)
{
	static const struct { int from, to; bool fin; } rules[] = {
		{ TCP_CLOSE, TCP_CLOSE, false },
		{ TCP_LISTEN, TCP_LISTEN, false },	/* handled by listen_stop */
		{ TCP_SYN_SENT, TCP_CLOSE, false },
		{ TCP_SYN_RECV, TCP_FIN_WAIT1, true },
		{ TCP_ESTABLISHED, TCP_FIN_WAIT1, true },
		{ TCP_FIN_WAIT1, TCP_FIN_WAIT1, false },
		{ TCP_FIN_WAIT2, TCP_FIN_WAIT2, false },
		{ TCP_CLOSING, TCP_CLOSING, false },
		{ TCP_TIME_WAIT, TCP_TIME_WAIT, false },
		{ TCP_CLOSE_WAIT, TCP_LAST_ACK, true },
		{ TCP_LAST_ACK, TCP_LAST_ACK, false },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		bool fin = !rules[i].fin;

		KUNIT_EXPECT_EQ_MSG(test, xtcp_state_after_close(rules[i].from, &fin),
				    rules[i].to, "from state %d", rules[i].from);
		KUNIT_EXPECT_EQ_MSG(test, fin, rules[i].fin,
				    "FIN from state %d", rules[i].from);
	}
}

#define F XTCPHDR_FIN
#define S XTCPHDR_SYN
#define R XTCPHDR_RST
#define K XTCPHDR_ACK
#define TW TCP_TIME_WAIT
#define FW2 TCP_FIN_WAIT2

/* The time-wait minisock's rules, each branch (RFC 9293, 6191; Linux). */
static void xtcp_tw_rule_test(struct kunit *test)
{
	static const struct {
		int sub; bool ts_ok; u8 flags; u32 seq, end; bool has_ts;
		u32 tsval; enum xtcp_tw_verdict want;
	} c[] = {
		/* TIME_WAIT, rcv_nxt 1000, ts_recent 500 */
		{ TW, false, R, 1234, 1234, false, 0, XTCP_TW_KILL },
		{ TW, false, F | K, 999, 1000, false, 0, XTCP_TW_ACK_RESTART },
		{ TW, false, K, 900, 900, false, 0, XTCP_TW_ACK },
		{ TW, false, K, 990, 1000, false, 0, XTCP_TW_ACK },
		{ TW, false, S, 2000, 2001, false, 0, XTCP_TW_SYN },
		{ TW, false, S, 900, 901, false, 0, XTCP_TW_ACK },
		{ TW, false, S | K, 2000, 2001, false, 0, XTCP_TW_ACK },
		/* with timestamps, the TSval decides, not the sequence */
		{ TW, true, S, 900, 901, true, 600, XTCP_TW_SYN },
		{ TW, true, S, 2000, 2001, true, 400, XTCP_TW_ACK },
		{ TW, true, S, 2000, 2001, true, 500, XTCP_TW_ACK },
		/* a SYN without timestamps falls back to the sequence rule */
		{ TW, true, S, 2000, 2001, false, 0, XTCP_TW_SYN },
		/* FIN_WAIT2 substate */
		{ FW2, false, F | K, 1000, 1001, false, 0, XTCP_TW_FIN },
		{ FW2, false, F | K, 1001, 1002, false, 0, XTCP_TW_IGNORE },
		{ FW2, false, K, 1000, 1005, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, F | K, 1000, 1005, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, S, 5000, 5001, false, 0, XTCP_TW_RST_KILL },
		{ FW2, false, K, 1000, 1000, false, 0, XTCP_TW_IGNORE },
		{ FW2, false, R, 1000, 1000, false, 0, XTCP_TW_KILL },
		{ FW2, false, R, 1001, 1001, false, 0, XTCP_TW_IGNORE },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    xtcp_tw_verdict(c[i].sub, 1000, c[i].ts_ok, 500,
						    c[i].flags, c[i].seq, c[i].end,
						    c[i].has_ts, c[i].tsval),
				    c[i].want, "case %d", i);
}

static struct kunit_case xtcp_state_cases[] = {
	KUNIT_CASE(xtcp_close_rule_test),
	KUNIT_CASE(xtcp_tw_rule_test),
	{}
};

static struct kunit_suite xtcp_state_suite = {
	.name = "xtcp_state",
	.test_cases = xtcp_state_cases,
};

kunit_test_suite(xtcp_state_suite);
