/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns xtcp counters, shown in /proc/net/xtcp_stat.
 */
#ifndef _XTCP_MIB_H
#define _XTCP_MIB_H

#include <net/snmp.h>

/* One counter per item; names in xtcp_mib_names[] must follow this order. */
enum xtcp_mib_item {
	XTCP_MIB_INSEGS,	/* segments handed to xtcp by IP */
	XTCP_MIB_INHDRERRS,	/* truncated header or bad data offset */
	XTCP_MIB_INCSUMERRS,	/* bad checksum */
	XTCP_MIB_NOSOCKDROPS,	/* valid segment, no socket to take it */
	XTCP_MIB_OUTSEGS,	/* segments sent, retransmissions included */
	XTCP_MIB_RETRANSSEGS,	/* segments retransmitted */
	XTCP_MIB_OUTRSTS,	/* segments sent with RST */
	XTCP_MIB_ACTIVEOPENS,	/* connect() sent a SYN (CLOSED -> SYN_SENT) */
	XTCP_MIB_PASSIVEOPENS,	/* SYN_RECV -> ESTABLISHED on a listener */
	XTCP_MIB_ATTEMPTFAILS,	/* SYN_SENT/SYN_RECV -> CLOSED */
	XTCP_MIB_ESTABRESETS,	/* ESTABLISHED/CLOSE_WAIT -> CLOSED by RST */
	XTCP_MIB_LISTENOVERFLOWS, /* final ACK dropped: accept queue full */
	XTCP_MIB_LISTENDROPS,	/* SYN dropped by a listener */
	XTCP_MIB_TWCREATED,	/* time-wait minisocks created */
	XTCP_MIB_TWKILLED,	/* time-wait minisocks expired or replaced */
	XTCP_MIB_TWOVERFLOW,	/* no time-wait minisock: limit or memory */
	XTCP_MIB_CHALLENGEACKS,	/* RFC 5961 challenge ACKs sent */
	XTCP_MIB_SYNCOOKIESSENT, /* SYN-ACKs sent with a cookie */
	XTCP_MIB_SYNCOOKIESRECV, /* connections made from a valid cookie */
	XTCP_MIB_SYNCOOKIESFAILED, /* ACKs with an invalid or stale cookie */
	XTCP_MIB_PAWSDROPS,	/* segments dropped by PAWS (RFC 7323 5) */
	XTCP_MIB_TWRECYCLED,	/* time-wait tuples reused by connect() */
	XTCP_MIB_TIMEOUTS,	/* retransmission timeouts (RFC 6298 5.4) */
	XTCP_MIB_TIMEOUTABORTS,	/* connections given up: retries or user timeout */
	XTCP_MIB_FASTRETRANS,	/* fast retransmits: recovery entered (RFC 6582) */
	XTCP_MIB_LOSSPROBES,	/* tail loss probes sent (RFC 8985 7.3) */
	XTCP_MIB_LOSSPROBERECOVERY,	/* losses a probe repaired (RFC 8985 7.4) */
	XTCP_MIB_SACKBLOCKSRECV, /* SACK blocks received and used (RFC 2018) */
	XTCP_MIB_OFOQUEUE,	/* segments queued out of order */
	XTCP_MIB_OFODROP,	/* out-of-order segments dropped: no buffer room */
	XTCP_MIB_DELAYEDACKS,	/* ACKs sent by the delayed-ACK timer */
	XTCP_MIB_KEEPALIVEPROBES, /* keepalive probes sent */
	XTCP_MIB_KEEPALIVEABORTS, /* connections reset by keepalive */
	XTCP_MIB_BACKLOGDROP,	/* segments dropped: socket backlog full */
	XTCP_MIB_RCVPRUNED,	/* in-order segments dropped: receive buffer full */
	XTCP_MIB_OFOPRUNED,	/* out-of-order segments dropped to make room */
	XTCP_MIB_RCVCOLLAPSED,	/* skbs copied into compact ones to make room */
	XTCP_MIB_ACKSKIPPEDSEQ,	/* no ACK for an out-of-window segment: rate limit */
	XTCP_MIB_ACKSKIPPEDPAWS, /* no ACK for a PAWS-rejected segment: rate limit */
	XTCP_MIB_ACKSKIPPEDCHALLENGE, /* challenge ACKs not sent: rate limit */
	XTCP_MIB_OLDACKDROPS,	/* ACKs below SND.UNA - MAX.SND.WND (RFC 5961 5.2) */
	XTCP_MIB_ABORTONDATA,	/* connections reset: data after close */
	XTCP_MIB_FILTERDROPS,	/* segments a socket filter or cgroup program dropped */
	XTCP_MIB_SACKRENEGING,	/* timeouts that found the peer reneged on SACKs */
	XTCP_MIB_MEMORYPRESSURES, /* times net.xtcp.mem[1] was crossed upwards */
	XTCP_MIB_MEMORYPRESSURESCHRONO, /* ms spent under memory pressure */
	XTCP_MIB_ABORTONMEMORY,	/* orphans reset: too many, or out of memory */
	XTCP_MIB_RCVCOALESCE,	/* in-order segments appended to the queue's last skb */
	XTCP_MIB_ICMPUNREACH,	/* ICMP destination unreachable, but fragmentation */
	XTCP_MIB_ICMPFRAGNEEDED, /* ICMP fragmentation needed (RFC 1191) */
	XTCP_MIB_ICMPTIMEEXCEEDED, /* ICMP time exceeded */
	XTCP_MIB_ICMPPARAMPROB,	/* ICMP parameter problem */
	XTCP_MIB_ICMPREDIRECT,	/* ICMP redirects */
	XTCP_MIB_ICMPIGNORED,	/* ICMP of other types: source quench, ... */
	XTCP_MIB_ICMPNOSOCKET,	/* ICMP errors that quoted no connection */
	XTCP_MIB_OUTOFWINDOWICMPS, /* ICMP quoting a sequence number not in flight */
	XTCP_MIB_LOCKDROPPEDICMPS, /* ICMP errors that found the socket owned */
	XTCP_MIB_ICMPABORTS,	/* connection attempts ended by an ICMP error */
	XTCP_MIB_PMTUREDUCED,	/* MSS lowered by a smaller path MTU (RFC 1191) */
	XTCP_MIB_PMTUBLACKHOLE,	/* MSS lowered after timeouts (RFC 4821 black hole) */
	XTCP_MIB_TIMEOUTREHASH,	/* new flow hash (IPv6 flow label) after a timeout */
	XTCP_MIB_ABORTONLINGER,	/* orphans reset in FIN_WAIT2: TCP_LINGER2 < 0 */
	XTCP_MIB_DEFERACCEPTDROP, /* bare final ACKs dropped: TCP_DEFER_ACCEPT */
	XTCP_MIB_RCVBUFGROWN,	/* receive buffers grown to the reader's pace */
	XTCP_MIB_MAX
};

/**
 * struct xtcp_mib - per-cpu counter block
 * @mibs: one counter per &enum xtcp_mib_item
 */
struct xtcp_mib {
	unsigned long mibs[XTCP_MIB_MAX];
};

struct net;

void xtcp_mib_inc(struct net *net, enum xtcp_mib_item item);
void xtcp_mib_add(struct net *net, enum xtcp_mib_item item, unsigned long n);
int xtcp_mib_net_init(struct net *net);
void xtcp_mib_net_exit(struct net *net);

#endif /* _XTCP_MIB_H */
