/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State rules that depend on nothing but the state, kept pure so KUnit
 * checks the code the module runs.
 */
#ifndef _XTCP_STATE_H
#define _XTCP_STATE_H

#include <linux/types.h>
#include <net/tcp_states.h>

#include "xtcp_seq.h"
#include "xtcp_wire.h"

/**
 * xtcp_state_after_close() - where CLOSE leads (RFC 9293 3.10.4)
 * @state: current state
 * @fin: set true if a FIN must be sent
 *
 * SYN_SENT just closes; SYN_RECV and ESTABLISHED go to FIN_WAIT1 and
 * CLOSE_WAIT to LAST_ACK, each sending FIN; every other state is
 * already closing (or closed) and stays.
 *
 * Return: the new state.
 */
static inline int xtcp_state_after_close(int state, bool *fin)
{
	*fin = false;
	switch (state) {
	case TCP_SYN_SENT:
		return TCP_CLOSE;
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		*fin = true;
		return TCP_FIN_WAIT1;
	case TCP_CLOSE_WAIT:
		*fin = true;
		return TCP_LAST_ACK;
	default:
		return state;
	}
}

/* What a time-wait minisock does with a segment. */
enum xtcp_tw_verdict {
	XTCP_TW_IGNORE,		/* drop it, send nothing */
	XTCP_TW_ACK,		/* acknowledge again (old duplicate) */
	XTCP_TW_ACK_RESTART,	/* retransmitted FIN: ACK, restart 2MSL */
	XTCP_TW_FIN,		/* FIN_WAIT2 substate: the FIN; to TIME_WAIT */
	XTCP_TW_KILL,		/* RST: end the minisock */
	XTCP_TW_RST_KILL,	/* send RST, end the minisock */
	XTCP_TW_SYN,		/* newer SYN: end it, offer the SYN to a listener */
};

/**
 * xtcp_tw_verdict() - the rules of a time-wait minisock
 * @substate: TCP_TIME_WAIT, or TCP_FIN_WAIT2 for an orphan awaiting FIN
 * @rcv_nxt: next sequence number expected from the peer
 * @ts_ok: the connection used timestamps
 * @ts_recent: the peer's last TSval
 * @flags: the segment's control bits (XTCPHDR_*)
 * @seq: SEG.SEQ
 * @end_seq: SEG.SEQ + SEG.LEN (SYN and FIN count)
 * @has_ts: the segment has a timestamps option
 * @tsval: its TSval
 *
 * RFC 9293 3.10.7.4 for TIME_WAIT: a retransmitted FIN is acknowledged
 * and restarts 2MSL, other segments are acknowledged; a RST ends the
 * minisock (Linux's default; RFC 1337 would ignore it).  A SYN newer
 * than the old connection ends it and goes to a listener: by TSval
 * when both used timestamps, else by sequence number (RFC 6191 2).
 * FIN_WAIT2 substate (orphan): the peer's FIN leads to TIME_WAIT; data
 * or a SYN get a RST, as in Linux; only an exact RST ends it.
 *
 * Return: the verdict.
 */
static inline enum xtcp_tw_verdict
xtcp_tw_verdict(int substate, u32 rcv_nxt, bool ts_ok, u32 ts_recent,
		u8 flags, u32 seq, u32 end_seq, bool has_ts, u32 tsval)
{
	bool fin = flags & XTCPHDR_FIN;

	if (flags & XTCPHDR_RST)
		return seq == rcv_nxt || substate == TCP_TIME_WAIT ?
		       XTCP_TW_KILL : XTCP_TW_IGNORE;
	if (substate == TCP_FIN_WAIT2) {
		if ((flags & XTCPHDR_SYN) || end_seq - fin != seq)
			return XTCP_TW_RST_KILL;
		return fin && seq == rcv_nxt ? XTCP_TW_FIN : XTCP_TW_IGNORE;
	}
	if ((flags & XTCPHDR_SYN) && !(flags & XTCPHDR_ACK) &&
	    (ts_ok && has_ts ? (s32)(tsval - ts_recent) > 0 :
			       xtcp_seq_after(seq, rcv_nxt)))
		return XTCP_TW_SYN;
	if (fin && end_seq == rcv_nxt)
		return XTCP_TW_ACK_RESTART;
	return XTCP_TW_ACK;
}

#endif /* _XTCP_STATE_H */
