/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: the connection (struct xtcp_sock) and the functions the parts
 * of the module call across files.  Per-netns state is in xtcp_net.h,
 * request and time-wait minisocks in xtcp_reqsk.h and xtcp_tw.h.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <net/inet_sock.h>
#include <net/tcp_states.h>
#include <linux/poll.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "xtcp_net.h"
#include "xtcp_af.h"
#include "xtcp_autotune.h"
#include "xtcp_ofo.h"
#include "xtcp_compat.h"
#include "xtcp_ca.h"
#include "xtcp_cong.h"
#include "xtcp_options.h"
#include "xtcp_rtt.h"
#include "xtcp_rtxq.h"
#include "xtcp_sack.h"
#include "xtcp_skb.h"
#include "xtcp_wire.h"

/* The IP protocol number this module instance answers to (253 or 254). */
extern int xtcp_proto;

/* RFC 9293 3.7.1: MSS assumed when the peer sends no MSS option. */
#define XTCP_DEFAULT_MSS	536
#define XTCP_DEFAULT_SCALING_RATIO 128	/* half, until segments are measured */
/* Room for IP and xtcp headers with options in front of segment data. */
#define XTCP_MAX_HEADER		(MAX_HEADER + sizeof(struct ipv6hdr) + XTCP_HDR_MAX)
/* Segments of this many octets or more are built from page fragments. */
#define XTCP_LINEAR_MAX		2048
/* Page order of those fragments. */
#define XTCP_FRAG_ORDER		3

/**
 * struct xtcp_sock - an xtcp connection endpoint
 * @inet: the generic inet socket; must stay first (sk casts)
 * @af_ops: what the address family on the wire does (xtcp_af.h)
 * @snd_una: oldest unacknowledged sequence number (RFC 9293 3.3.1)
 * @snd_nxt: next sequence number to send (the highest sent)
 * @snd_wnd: send window offered by the peer, in octets
 * @snd_wl1: segment sequence number used for the last window update
 * @snd_wl2: segment acknowledgment number used for the last window update
 * @iss: initial send sequence number
 * @write_seq: sequence number after the last octet queued by the user
 * @pushed_seq: @write_seq when a segment was last marked PSH
 * @rcv_nxt: next sequence number expected from the peer
 * @rcv_wnd: receive window last advertised, in octets, less what has
 *	arrived since
 * @irs: initial receive sequence number
 * @copied_seq: sequence number of the next octet the user will read
 * @mss: largest segment payload to send (peer's MSS, route limited)
 * @advmss: MSS advertised to the peer
 * @user_mss: TCP_MAXSEG, 0 if not set
 * @rcv_mss: largest segment payload seen from the peer
 * @rcvq_space: what the reader took per round trip (autotuning)
 * @rcv_rtt: the receiver's round-trip estimate (autotuning)
 * @ext_hdr: octets of IP options or IPv6 extension headers @mss was cut
 *	by (TCP's icsk_ext_hdr_len)
 * @scaling_ratio: payload / truesize of received full-sized segments,
 *	in 256ths (the window is this share of the free buffer)
 * @snd_wscale: peer's window shift (RFC 7323 2.2), 0 if not negotiated
 * @rcv_wscale: our window shift, 0 if not negotiated
 * @fin_sent: a FIN is queued; @write_seq counts it
 * @bound_explicitly: the port was chosen by bind(), not by connect()
 * @tstamp_ok: timestamps offered (SYN_SENT) or negotiated (RFC 7323 3.2)
 * @sack_ok: SACK-permitted offered (SYN_SENT) or negotiated (RFC 2018 2)
 * @nodelay: TCP_NODELAY, Nagle's algorithm off
 * @cork: TCP_CORK, hold partial segments
 * @pingpong: TCP_QUICKACK 0: delay every ACK that can be delayed
 * @tw_handoff: a time-wait minisock took over; the socket's own move to
 *	CLOSE is not the connection's and is not traced
 * @retries: consecutive retransmission timeouts of the head segment
 * @quick: ACKs still to send at once (quick-ACK mode, RFC 1122 4.2.3.2)
 * @ack_pending: segments received since the last ACK sent
 * @probes_out: keepalive or window probes unanswered
 * @persist_backoff: window probes sent since the peer's window closed
 * @keepcnt: TCP_KEEPCNT, 0 for the default
 * @tlp_retrans: the outstanding tail loss probe resent old data
 * @pto_pending: @rtx_timer is armed as the probe timeout (RFC 8985 7.2)
 * @cwnd_limited: cwnd stopped the sender in the current window
 * @max_packets_out: the most in flight in the current window
 * @cwnd_usage_seq: SND.NXT when the current window began
 * @nagle_push: TCP_NODELAY was set (or TCP_CORK cleared under it): what
 *	is queued goes out whatever TCP_CORK says, until the next segment
 *	is queued (Linux's TCP_NAGLE_PUSH)
 * @tlp_high_seq: SND.NXT when a tail loss probe was sent, 0 when none is
 *	outstanding (RFC 8985 7.3: one probe until it is acknowledged)
 * @rto: current retransmission timeout, in jiffies
 * @rtt: RFC 6298 estimator
 * @cc: congestion control state
 * @ca_ops: the congestion control algorithm, referenced (xtcp_ca.c)
 * @ca_setsockopt: TCP_CONGESTION chose it (children inherit it)
 * @ca_initialized: its init ran, its release is due
 * @score: counts of the retransmission queue
 * @ts_recent: TS.Recent, the TSval to echo (RFC 7323 4.3)
 * @ts_recent_stamp: seconds when @ts_recent was set, for PAWS and reuse
 * @ts_off: offset of our TSval clock for this address pair (RFC 7323 5.4)
 * @retrans_stamp: jiffies when the head was first sent, once it had to
 *	be retransmitted (TCP_USER_TIMEOUT), else 0
 * @rcv_tstamp: jiffies when an acceptable ACK last arrived (keepalive)
 * @probes_stamp: jiffies when the first window probe of the current
 *	closed window was sent (TCP_USER_TIMEOUT)
 * @last_oow_ack_time: jiffies of the last ACK sent for an invalid or
 *	out-of-window segment, 0 if none (rate limit, as Linux's)
 * @max_window: largest window the peer offered (RFC 5961 5.2 MAX.SND.WND)
 * @mtu_info: next-hop MTU of the last fragmentation-needed message
 * @pmtu: the route MTU the MSS was last checked against (0: not yet)
 * @mtu_deferred: one came while the user owned the socket: act on it in
 *	release_sock() (only changed under the socket's spinlock)
 * @lsndtime: jiffies when data was last sent
 * @keepidle: TCP_KEEPIDLE in jiffies, 0 for the default
 * @keepintvl: TCP_KEEPINTVL in jiffies, 0 for the default
 * @user_timeout: TCP_USER_TIMEOUT in milliseconds, 0 if not set
 * @notsent_lowat: TCP_NOTSENT_LOWAT: writable only while fewer octets
 *	are unsent, 0 for no limit
 * @window_clamp: TCP_WINDOW_CLAMP: the largest window we offer, 0 for
 *	no clamp
 * @linger2: TCP_LINGER2: an orphan's FIN_WAIT2 lifetime in jiffies, 0
 *	for net.xtcp.fin_timeout, negative to reset at once
 * @fastopen_qlen: TCP_FASTOPEN's queue length; kept, no TFO is done
 * @syn_retries: TCP_SYNCNT, 0 for net.xtcp.syn_retries (a listener's
 *	also bounds its SYN-ACKs, as TCP's)
 * @defer_accept: TCP_DEFER_ACCEPT, in SYN-ACK timeouts: a listener
 *	drops bare final ACKs until then
 * @recvmsg_inq: TCP_INQ: recvmsg() adds a TCP_CM_INQ control message
 * @urg_data: urgent octet state (RFC 9293 3.8.5): 0, XTCP_URG_NOTYET,
 *	XTCP_URG_VALID | the octet, or XTCP_URG_READ
 * @urg_seq: sequence number of the urgent octet (Linux's one-octet
 *	reading of the urgent pointer)
 * @urg_mode: urgent data sent and not yet acknowledged (RFC 9293 3.8.5)
 * @snd_up: SND.UP: the sequence number after the last urgent octet sent
 * @total_retrans: segments retransmitted over the connection's life
 * @total_rto: retransmission timeouts over its life
 * @segs_in: segments received
 * @segs_out: segments sent
 * @data_segs_in: segments received with data
 * @data_segs_out: segments sent with data
 * @ofo_segs: segments that arrived out of order
 * @bytes_acked: octets acknowledged by the peer (RFC 4898)
 * @bytes_received: octets received in order (RFC 4898)
 * @bytes_sent: octets sent, retransmissions included
 * @bytes_retrans: octets retransmitted
 * @rtx_queue: sent segments awaiting acknowledgment, by sequence number,
 *	and the scoreboard's hints
 * @ofo: received segments beyond RCV.NXT, and their SACK blocks
 * @rtx_timer: retransmission and persist timer (see xtcp_timer.h)
 * @delack_timer: delayed ACK timer
 * @listen: SYN and accept queues while in LISTEN
 * @accept_node: link in the listener's accept queue
 */
struct xtcp_sock {
	struct inet_sock inet;
	const struct xtcp_af_ops *af_ops;
	u32	snd_una;
	u32	snd_nxt;
	u32	snd_wnd;
	u32	snd_wl1;
	u32	snd_wl2;
	u32	iss;
	u32	write_seq;
	u32	pushed_seq;
	u32	rcv_nxt;
	u32	rcv_wnd;
	u32	irs;
	u32	copied_seq;
	u16	mss;
	u16	advmss;
	u16	user_mss;
	u16	rcv_mss;
	u16	ext_hdr;
	struct xtcp_rcvq_space rcvq_space;
	struct xtcp_rcv_rtt rcv_rtt;
	u8	scaling_ratio;
	u8	snd_wscale;
	u8	rcv_wscale;
	u8	fin_sent:1,
		bound_explicitly:1,
		tstamp_ok:1,
		sack_ok:1,
		nodelay:1,
		cork:1,
		pingpong:1,
		tw_handoff:1;
	u8	retries;
	u8	quick;
	u8	ack_pending;
	u8	probes_out;
	u8	persist_backoff;
	u8	keepcnt;
	u8	tlp_retrans:1,
		pto_pending:1,
		nagle_push:1,
		cwnd_limited:1;
	u32	max_packets_out;
	u32	cwnd_usage_seq;
	u32	tlp_high_seq;
	u32	rto;
	struct xtcp_rtt rtt;
	struct xtcp_cc cc;
	const struct xtcp_congestion_ops *ca_ops;
	u8	ca_setsockopt:1,
		ca_initialized:1;
	struct xtcp_score score;
	u32	ts_recent;
	u32	ts_recent_stamp;
	u32	ts_off;
	unsigned long retrans_stamp;
	unsigned long rcv_tstamp;
	unsigned long probes_stamp;
	u32	last_oow_ack_time;
	u32	max_window;
	u32	mtu_info;
	u32	pmtu;
	u8	mtu_deferred;
	unsigned long lsndtime;
	u32	keepidle;
	u32	keepintvl;
	u32	user_timeout;
	u32	notsent_lowat;
	u32	window_clamp;
	int	linger2;
	int	fastopen_qlen;
	u8	syn_retries;
	u8	defer_accept;
	u8	recvmsg_inq:1,
		urg_mode:1;
	u16	urg_data;
	u32	urg_seq;
	u32	snd_up;
	u32	total_retrans;
	u32	total_rto;
	u32	segs_in;
	u32	segs_out;
	u32	data_segs_in;
	u32	data_segs_out;
	u32	ofo_segs;
	u64	bytes_acked;
	u64	bytes_received;
	u64	bytes_sent;
	u64	bytes_retrans;
	struct xtcp_rtxq rtx_queue;
	struct xtcp_ofo ofo;
	struct timer_list rtx_timer;
	struct timer_list delack_timer;
	struct xtcp_listen *listen;
	struct list_head accept_node;
};

/* @urg_data: the octet in the low byte once it has arrived. */
#define XTCP_URG_VALID		0x0100
#define XTCP_URG_NOTYET		0x0200	/* pointer seen, octet not yet */
#define XTCP_URG_READ		0x0400	/* read by recv(MSG_OOB) */

/* The timestamps clock: milliseconds (RFC 7323 5.4: 1 ms to 1 s a tick). */
static inline u32 xtcp_clock_ms(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC);
}

/* The RTT clock (struct xtcp_skb_cb.when): microseconds, wrapping. */
static inline u32 xtcp_clock_us(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

static inline u32 xtcp_seconds(void)
{
	return (u32)ktime_get_seconds();
}

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/*
 * An orphan's FIN_WAIT2 lifetime: TCP_LINGER2 or net.xtcp.fin_timeout,
 * at least 3.5 RTO, as tcp_fin_time().
 */
static inline int xtcp_fin_time(const struct sock *sk)
{
	int tmo = READ_ONCE(xtcp_sk(sk)->linger2) ?:
		  xtcp_fin_timeout(sock_net(sk));
	int rto = xtcp_sk(sk)->rto;

	return max(tmo, (rto << 2) - (rto >> 1));
}

static inline struct xtcphdr *xtcp_hdr(const struct sk_buff *skb)
{
	return (struct xtcphdr *)skb_transport_header(skb);
}

/* Octets of the receive buffer not yet taken by queued data. */
static inline int xtcp_space(const struct sock *sk)
{
	return READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
}

/*
 * Payload octets the free buffer can take: each skb costs its truesize,
 * so a window of the whole free buffer would let the peer send more
 * than fits.  @scaling_ratio is the payload share of recent full-sized
 * segments, as Linux's tcp_win_from_space() uses it.
 */
static inline u32 xtcp_win_from_space(const struct sock *sk, int space)
{
	return ((u64)space * xtcp_sk(sk)->scaling_ratio) >> 8;
}

static inline int xtcp_win_space(const struct sock *sk)
{
	int space = xtcp_space(sk);

	if (space <= 0)
		return space;
	return xtcp_win_from_space(sk, space);
}

/* The payload the whole receive buffer takes (tcp_full_space()). */
static inline u32 xtcp_full_space(const struct sock *sk)
{
	return xtcp_win_from_space(sk, READ_ONCE(sk->sk_rcvbuf));
}

/* Segments in flight (RFC 6675 "pipe"). */
static inline u32 xtcp_packets_in_flight(const struct xtcp_sock *xs)
{
	return xtcp_in_flight(&xs->score);
}

/**
 * struct xtcp_ctl - a header-only segment that has no socket (RST
 *	replies, time-wait ACKs, SYN-ACKs of request minisocks)
 * @net: namespace
 * @oif: device to route by: the SO_BINDTODEVICE of the socket the
 *	segment speaks for (listener, time-wait), or the device of a
 *	link-local peer, or 0
 * @mark: its SO_MARK, or 0
 * @sk: the listener a SYN-ACK speaks for, sent as its own (hop limit or
 *	TTL, IPv6 options, DF, priority, as TCP's SYN-ACKs are), or NULL:
 *	the netns control socket sends it
 * @family: AF_INET or AF_INET6, the family on the wire
 * @tclass: IPv6 traffic class, or IPv4 TOS
 * @flowlabel: IPv6 flow label (network order), 0 for an automatic one
 * @txhash: the hash of the flow the segment belongs to (sk_txhash), from
 *	which IPv6 makes an automatic flow label; 0 for none
 * @saddr: source (local) address, IPv4
 * @daddr: destination address, IPv4
 * @saddr6: source address, IPv6
 * @daddr6: destination address, IPv6
 * @sport: source port
 * @dport: destination port
 * @seq: sequence number
 * @ack: acknowledgment number, sent if @flags has ACK
 * @flags: control bits
 * @window: window field
 * @o: options, or NULL for none
 */
struct xtcp_ctl {
	struct net		*net;
	int			oif;
	u32			mark;
	const struct sock	*sk;
	u16			family;
	u8			tclass;
	__be32			flowlabel;
	u32			txhash;
	__be32			saddr;
	__be32			daddr;
	struct in6_addr		saddr6;
	struct in6_addr		daddr6;
	__be16			sport;
	__be16			dport;
	u32			seq;
	u32			ack;
	u8			flags;
	u16			window;
	const struct xtcp_opts	*o;
};

struct xtcp_request_sock;
struct xtcp_tw_sock;

/* xtcp_sock.c: the calls of both families' struct proto */
void xtcp_set_state(struct sock *sk, int state);
void xtcp_done(struct sock *sk);
void xtcp_destroy(struct sock *sk);
void xtcp_reset(struct sock *sk, int err);
void xtcp_init_xmit_state(struct sock *sk);
void xtcp_init_transfer(struct sock *sk);
int xtcp_init_sock(struct sock *sk);
int xtcp_sock_setsockopt(struct socket *sock, int level, int optname,
			 sockptr_t optval, unsigned int optlen);
#ifdef XTCP_CUSTOM_SOCKOPT
int xtcp_sock_accept(struct socket *sock, struct socket *newsock,
		     struct proto_accept_arg *arg);
#endif
bool xtcp_stream_memory_free(const struct sock *sk, int wake);
void xtcp_destroy_sock(struct sock *sk);
int xtcp_get_port(struct sock *sk, unsigned short snum);
int xtcp_connect_start(struct sock *sk, struct dst_entry *dst, u32 iss,
		       u32 ts_off);
int xtcp_disconnect(struct sock *sk, int flags);
#ifdef XTCP_HAVE_PROTO_ACCEPT_ARG
struct sock *xtcp_accept(struct sock *sk, struct proto_accept_arg *arg);
#else
struct sock *xtcp_accept(struct sock *sk, int flags, int *err, bool kern);
#endif
void xtcp_shutdown(struct sock *sk, int how);
void xtcp_close(struct sock *sk, long timeout);
int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len);
int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		 int flags, int *addr_len);
void xtcp_release_cb(struct sock *sk);
int xtcp_listen(struct socket *sock, int backlog);
__poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait);

/* xtcp_ipv4.c */
extern struct proto xtcp_prot;
int xtcp_v4_connect_to(struct sock *sk, __be32 daddr, __be16 dport);
int xtcp_v4_init(void);
void xtcp_v4_stop(void);
int xtcp_v4_net_init(struct net *net);
void xtcp_v4_net_exit(struct net *net);

/* xtcp_ipv6.c */
extern struct proto xtcpv6_prot;
int xtcp_v6_init(void);
void xtcp_v6_stop(void);
int xtcp_v6_net_init(struct net *net);
void xtcp_v6_net_exit(struct net *net);
bool xtcp_v6_enabled(void);
void xtcp_v6_init_child(struct sock *child, const struct sock *sk,
			const struct xtcp_request_sock *req);
void xtcp_v6_set_mapped_saddr(struct sock *sk);

/* xtcp_input.c */
int xtcp_rcv(struct sk_buff *skb, int dif, int sdif);
struct sock *xtcp_skb_lookup(struct net *net, const struct sk_buff *skb,
			     int dif, int sdif);
struct xtcp_tw_sock *xtcp_skb_lookup_tw(struct net *net,
					const struct sk_buff *skb, int dif,
					int sdif);
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_rcv_locked(struct sock *sk, struct sk_buff *skb);
void xtcp_rcv_child(struct sock *child, struct sk_buff *skb);
int xtcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void xtcp_parse_options(const struct sk_buff *skb, struct xtcp_opts *o);
void xtcp_rtt_update(struct sock *sk, const struct xtcp_skb_cb *cb,
		     long rtt_us);

/* xtcp_output.c */
int xtcp_transmit_skb(struct sock *sk, struct sk_buff *skb, u8 flags);
void xtcp_push(struct sock *sk);
void xtcp_bound_mss(struct sock *sk);
void __xtcp_push(struct sock *sk, bool more);
int xtcp_retransmit_head(struct sock *sk);
void xtcp_send_probe(struct sock *sk);
bool xtcp_write_wakeup(struct sock *sk);
void xtcp_simple_retransmit(struct sock *sk);
void xtcp_mtu_reduced(struct sock *sk);
void xtcp_send_loss_probe(struct sock *sk);
int xtcp_send_syn(struct sock *sk);
void xtcp_send_ack(struct sock *sk);
void xtcp_send_fin(struct sock *sk);
void xtcp_send_active_reset(struct sock *sk, gfp_t gfp);
int xtcp_send_ctl(const struct xtcp_ctl *c);
void xtcp_ctl_reply(struct xtcp_ctl *c, struct net *net,
		    const struct sk_buff *skb);
int xtcp_v4_send_ctl(const struct xtcp_ctl *c, struct sk_buff *skb);
int xtcp_v6_send_ctl(const struct xtcp_ctl *c, struct sk_buff *skb);
void xtcp_send_reset_reply(struct net *net, const struct sock *sk,
			   const struct sk_buff *skb);
u16 xtcp_select_window(struct sock *sk);
void xtcp_select_initial_window(const struct sock *sk, u32 mss,
				bool wscale_ok, u32 *wnd, u8 *wscale);

/* xtcp_icmp.c */
int xtcp_v4_err(struct sk_buff *skb, u32 info);
u16 xtcp_mtu_to_mss(const struct sock *sk, u32 mtu);

/* xtcp_sockopt.c */
int xtcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen);
int xtcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen);
void xtcp_keepalive(struct sock *sk, int val);
#ifdef XTCP_HAVE_IOCTL_KARG
int xtcp_ioctl(struct sock *sk, int cmd, int *karg);
#else
int xtcp_ioctl(struct sock *sk, int cmd, unsigned long arg);
#endif
void xtcp_update_mss(struct sock *sk);
void xtcp_sync_ext_hdr(struct sock *sk);

/* xtcp_trace.c */
void xtcp_note_state(struct sock *sk, int old, int new);
void xtcp_note_req_state(struct net *net,
			 const struct xtcp_request_sock *req, int old, int new);
void xtcp_note_synack_rtx(const struct xtcp_request_sock *req);
void xtcp_note_tw(const struct xtcp_tw_sock *tw, int old, int new, int event);
int xtcp_trace_net_init(struct net *net);
void xtcp_trace_net_exit(struct net *net);

/* xtcp_proc.c */
int xtcp_proc_net_init(struct net *net);
void xtcp_proc_net_exit(struct net *net);

/* xtcp_seqgen.c */
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u64 xtcp_port_hash(__be32 saddr, __be32 daddr, __be16 dport);
u32 xtcp_ts_off(__be32 saddr, __be32 daddr);
u32 xtcp_isn6(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport);
u32 xtcp_ts_off6(const struct in6_addr *saddr, const struct in6_addr *daddr);
u64 xtcp_port_hash6(const struct in6_addr *saddr, const struct in6_addr *daddr,
		    __be16 dport);
u32 xtcp_addr6_fold(const struct in6_addr *a);

#endif /* _XTCP_H */
