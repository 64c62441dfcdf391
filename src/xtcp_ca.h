/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pluggable congestion control, as Linux's tcp_congestion_ops: an
 * algorithm is a table of callbacks registered under a name; each
 * socket runs one (TCP_CONGESTION), new sockets the namespace's default
 * (net.xtcp.congestion_control); net.xtcp.available_congestion_control
 * lists them.  Loss detection and recovery stay in the core
 * (xtcp_input.c, xtcp_timer.c), which calls the algorithm to set
 * ssthresh on a loss and to grow cwnd on ACKs.  Built in, as in Linux:
 * "reno" (NewReno, RFC 6582; xtcp_ca.c) and "cubic" (xtcp_cubic.c), the
 * default.  A
 * separate module adds one with xtcp_register_congestion_control().
 */
#ifndef _XTCP_CA_H
#define _XTCP_CA_H

#include <linux/list.h>
#include <linux/types.h>

#include "xtcp_cong.h"

struct module;
struct sock;

#define XTCP_CA_NAME_MAX	16	/* as Linux's TCP_CA_NAME_MAX */
#define XTCP_CA_DEFAULT		"cubic"

/* What happened, for &struct xtcp_congestion_ops.cwnd_event. */
enum xtcp_ca_event {
	XTCP_CA_EVENT_TX_START,	/* data sent again after an idle time */
	XTCP_CA_EVENT_LOSS,	/* a retransmission timeout */
};

/**
 * struct xtcp_congestion_ops - a congestion control algorithm
 * @list: on the list of registered algorithms
 * @ssthresh: the slow start threshold after a loss (required)
 * @cong_avoid: grow cwnd for @acked segments newly acknowledged by
 *	@ack, outside fast recovery (required)
 * @undo_cwnd: the cwnd to go back to when a loss proves spurious
 *	(required)
 * @set_state: the sender enters &enum xtcp_ca_state @new_state
 * @cwnd_event: an &enum xtcp_ca_event
 * @pkts_acked: @acked segments acknowledged, with an RTT sample in
 *	microseconds (-1 if none)
 * @init: set up the algorithm's state when the connection is
 *	established (the private area is zeroed)
 * @release: the socket goes away, or changes algorithm
 * @name: the TCP_CONGESTION name
 * @owner: the module that registered it
 */
struct xtcp_congestion_ops {
	struct list_head list;
	u32	(*ssthresh)(struct sock *sk);
	void	(*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	u32	(*undo_cwnd)(struct sock *sk);
	void	(*set_state)(struct sock *sk, u8 new_state);
	void	(*cwnd_event)(struct sock *sk, enum xtcp_ca_event ev);
	void	(*pkts_acked)(struct sock *sk, u32 acked, s32 rtt_us);
	void	(*init)(struct sock *sk);
	void	(*release)(struct sock *sk);
	char	name[XTCP_CA_NAME_MAX];
	struct module *owner;
};

int xtcp_register_congestion_control(struct xtcp_congestion_ops *ca);
void xtcp_unregister_congestion_control(struct xtcp_congestion_ops *ca);

/* What an algorithm sees of its socket. */
struct xtcp_cc *xtcp_ca_cc(struct sock *sk);
void *xtcp_ca_priv(struct sock *sk);
u32 xtcp_ca_flight(const struct sock *sk);
u32 xtcp_ca_snd_nxt(const struct sock *sk);
u32 xtcp_ca_srtt_us(const struct sock *sk);
unsigned long xtcp_ca_lsndtime(const struct sock *sk);
u32 xtcp_ca_slow_start(struct xtcp_cc *cc, u32 acked);
void xtcp_ca_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked);

/* NewReno's callbacks, for algorithms that keep some of them. */
u32 xtcp_reno_ssthresh(struct sock *sk);
void xtcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked);
u32 xtcp_reno_undo_cwnd(struct sock *sk);

/* For the core. */
void xtcp_ca_assign(struct sock *sk, const struct sock *parent);
void xtcp_ca_init(struct sock *sk);
void xtcp_ca_destroy(struct sock *sk);
int xtcp_ca_set(struct sock *sk, const char *name);
const char *xtcp_ca_name(const struct sock *sk);
void xtcp_ca_release(struct sock *sk);
void xtcp_ca_set_state(struct sock *sk, u8 state);
void xtcp_ca_event(struct sock *sk, enum xtcp_ca_event ev);
u32 xtcp_ca_ssthresh(struct sock *sk);
void xtcp_ca_cong_avoid(struct sock *sk, u32 ack, u32 acked);
void xtcp_ca_pkts_acked(struct sock *sk, u32 acked, s32 rtt_us);
int xtcp_ca_set_default(char *dflt, const char *name);
int xtcp_ca_available(char *buf, size_t len);
int xtcp_ca_module_init(void);
void xtcp_ca_module_exit(void);
int xtcp_cubic_register(void);
void xtcp_cubic_unregister(void);

#endif /* _XTCP_CA_H */
