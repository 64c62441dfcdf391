/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp: a TCP-compatible transport under its own IP protocol number.
 *
 * User-visible constants.  socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP)
 * opens an xtcp socket.  Options of level SOL_TCP that programs written
 * for TCP use are understood on xtcp sockets; options specific to xtcp
 * live at level SOL_XTCP.
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/* RFC 3692 experimental protocol numbers; the module parameter "proto"
 * selects which one the running module answers to.
 */
#define IPPROTO_XTCP		253
#define IPPROTO_XTCP_ALT	254

/* Socket option level for xtcp-specific options (like SOL_UDP == 17). */
#define SOL_XTCP		IPPROTO_XTCP

/*
 * xtcp-specific socket options, level SOL_XTCP.  Numbers below 64 are
 * reserved for options that mirror a TCP_* option of the same meaning;
 * xtcp's own options start at 64.  None is implemented yet: every
 * option of this level currently fails with ENOPROTOOPT.
 */
#define XTCP_OPT_BASE		64

/*
 * Connection states, numbered as Linux numbers TCP states (the values
 * of include/net/tcp_states.h), so /proc/net/xtcp reads like
 * /proc/net/tcp and tools written for TCP understand them.
 */
enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT,
	XTCP_SYN_RECV,
	XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2,
	XTCP_TIME_WAIT,
	XTCP_CLOSE,
	XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK,
	XTCP_LISTEN,
	XTCP_CLOSING,
	XTCP_NEW_SYN_RECV,
	XTCP_MAX_STATES,
};

#endif /* _UAPI_LINUX_XTCP_H */
