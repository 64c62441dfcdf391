/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State rules that depend on nothing but the state, kept pure so KUnit
 * checks the code the module runs.
 */
#ifndef _XTCP_STATE_H
#define _XTCP_STATE_H

#include <linux/types.h>
#include <net/tcp_states.h>

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

#endif /* _XTCP_STATE_H */
