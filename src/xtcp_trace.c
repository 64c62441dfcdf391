// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp tracepoints (include/trace/events/xtcp.h) are instantiated
 * here, with the state-transition matrix that counts every from -> to
 * of every socket and minisock per netns (/proc/net/xtcp_transitions).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "xtcp.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"

#define CREATE_TRACE_POINTS
#include <trace/events/xtcp.h>

static const char * const xtcp_state_names[XTCP_NSTATES] = {
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV",
	[TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TCP_TIME_WAIT] = "TIME_WAIT",
	[TCP_CLOSE] = "CLOSED",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_LAST_ACK] = "LAST_ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

static void xtcp_count_transition(struct net *net, int from, int to)
{
	if (from > 0 && from < XTCP_NSTATES && to > 0 && to < XTCP_NSTATES &&
	    from != to)
		atomic_long_inc(&xtcp_pernet(net)->transitions[from][to]);
}

/**
 * xtcp_note_state() - trace and count a socket's state change
 * @sk: socket
 * @old: state it leaves
 * @new: state it enters
 */
void xtcp_note_state(struct sock *sk, int old, int new)
{
	const struct inet_sock *inet = inet_sk(sk);
	const struct xtcp_sock *xs = xtcp_sk(sk);

	trace_xtcp_state(sk, inet->inet_saddr, inet->inet_daddr,
			 inet->inet_sport, inet->inet_dport, old, new,
			 xs->bytes_acked, xs->bytes_received);
	xtcp_count_transition(sock_net(sk), old, new);
}

/**
 * xtcp_note_req_state() - trace and count a request minisock's change
 * @net: namespace
 * @req: the request
 * @old: LISTEN (created) or SYN_RECV
 * @new: SYN_RECV or CLOSE (dropped)
 */
void xtcp_note_req_state(struct net *net,
			 const struct xtcp_request_sock *req, int old, int new)
{
	trace_xtcp_state(req, req->laddr, req->raddr, req->lport, req->rport,
			 old, new, 0, 0);
	xtcp_count_transition(net, old, new);
}

/**
 * xtcp_note_tw() - trace and count a time-wait minisock's change
 * @tw: the minisock
 * @old: its substate before, or 0 when it is created
 * @new: its substate after, or TCP_CLOSE when it goes
 * @event: XTCP_TW_EV_* for the xtcp_tw tracepoint, or -1 for none
 */
void xtcp_note_tw(const struct xtcp_tw_sock *tw, int old, int new, int event)
{
	if (event >= 0)
		trace_xtcp_tw(tw, tw->saddr, tw->daddr, tw->sport, tw->dport,
			      old ?: new, event);
	if (old) {
		trace_xtcp_state(tw, tw->saddr, tw->daddr, tw->sport,
				 tw->dport, old, new, 0, 0);
		xtcp_count_transition(read_pnet(&tw->net), old, new);
	}
}

static int xtcp_transitions_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_single_net(seq));
	int from, to;

	for (from = 1; from < XTCP_NSTATES; from++)
		for (to = 1; to < XTCP_NSTATES; to++) {
			long n = atomic_long_read(&xn->transitions[from][to]);

			if (n)
				seq_printf(seq, "%s %s %ld\n",
					   xtcp_state_names[from],
					   xtcp_state_names[to], n);
		}
	return 0;
}

int xtcp_trace_net_init(struct net *net)
{
	if (!proc_create_net_single("xtcp_transitions", 0444, net->proc_net,
				    xtcp_transitions_show, NULL))
		return -ENOMEM;
	return 0;
}

void xtcp_trace_net_exit(struct net *net)
{
	remove_proc_entry("xtcp_transitions", net->proc_net);
}
