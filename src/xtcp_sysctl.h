/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net.xtcp.* sysctls, one set per network namespace.
 */
#ifndef _XTCP_SYSCTL_H
#define _XTCP_SYSCTL_H

struct net;
struct ctl_table_header;

/**
 * struct xtcp_sysctl - tunables of one network namespace
 * @syn_retries: SYN retransmissions before connect() fails (ETIMEDOUT)
 * @synack_retries: SYN-ACK retransmissions before a request is dropped
 * @fin_timeout: seconds an orphaned FIN_WAIT2 minisock waits for FIN
 * @tw_timeout: seconds a TIME_WAIT minisock lives (2MSL)
 * @max_tw_buckets: time-wait minisocks allowed; beyond, none is made
 * @syncookies: 0 never, 1 when the SYN queue overflows, 2 always
 * @tw_reuse_mode: net.xtcp.tw_reuse, connect() may reuse a time-wait tuple: 0 never, 1 always,
 *	2 between loopback addresses (Linux's default)
 * @rto_min_ms: lower bound of the retransmission timeout (RFC 6298 2.4)
 * @rto_max_ms: upper bound of the retransmission timeout (RFC 6298 2.5)
 * @sack: offer and accept SACK (RFC 2018)
 * @tlp: send tail loss probes (RFC 8985 7), as Linux's tcp_early_retrans >= 3
 * @keepalive_time: seconds idle before the first keepalive probe
 * @keepalive_intvl: seconds between keepalive probes
 * @keepalive_probes: unanswered probes before the connection is reset
 * @min_snd_mss: smallest MSS taken from a peer, as Linux's tcp_min_snd_mss
 * @invalid_ratelimit: ms between ACKs a socket sends for invalid or
 *	out-of-window segments, as Linux's tcp_invalid_ratelimit
 * @challenge_ack_limit: challenge ACKs per second in the namespace
 *	(RFC 5961 7), as Linux's tcp_challenge_ack_limit
 * @orphan_retries: retransmissions or window probes of an orphan before
 *	it is given up; 0 as Linux's tcp_orphan_retries (8 while alive)
 * @mtu_probing: 1: after XTCP_RETRIES1 timeouts in a row the path is
 *	taken for an ICMP black hole and the MSS lowered (RFC 4821 4 and
 *	tcp_mtu_probing()); 0 off, as Linux's default
 * @base_mss: the MSS a black hole lowers it to first (tcp_base_mss)
 * @ca_name: the congestion control new sockets get
 *	(net.xtcp.congestion_control), changed under the registry's lock
 * @moderate_rcvbuf: 1: receive buffers grow to the reader's pace
 *	(xtcp_rcv_space_adjust()), as Linux's tcp_moderate_rcvbuf
 * @reflect_tos: 1: a listener answers with the SYN's TOS or traffic
 *	class (its ECN bits its own), and so does the connection it makes,
 *	as Linux's tcp_reflect_tos; 0 off, as Linux's default
 * @hdr: the registered table
 */
struct xtcp_sysctl {
	int syn_retries;
	int synack_retries;
	int fin_timeout;
	int tw_timeout;
	int max_tw_buckets;
	int syncookies;
	int tw_reuse_mode;
	int rto_min_ms;
	int rto_max_ms;
	int sack;
	int tlp;
	int keepalive_time;
	int keepalive_intvl;
	int keepalive_probes;
	int min_snd_mss;
	int invalid_ratelimit;
	int challenge_ack_limit;
	int orphan_retries;
	int mtu_probing;
	int base_mss;
	int reflect_tos;
	int moderate_rcvbuf;
	char ca_name[16];
	struct ctl_table_header *hdr;
};

int xtcp_sysctl_net_init(struct net *net);
void xtcp_sysctl_net_exit(struct net *net);

#endif /* _XTCP_SYSCTL_H */
