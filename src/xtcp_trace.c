// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp tracepoints (include/trace/events/xtcp.h) are instantiated
 * here, with the state-transition matrix that counts every from -> to
 * of every socket and minisock per netns (/proc/net/xtcp_transitions).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/trace_seq.h>

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
	const struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_trace_addr a;

	if (trace_xtcp_state_enabled())
		trace_xtcp_state(sk, xtcp_trace_addr_sk(&a, sk), old, new,
				 xs->bytes_acked, xs->bytes_received);
	xtcp_count_transition(sock_net(sk), old, new);
}

/* The addresses of a request minisock, local first; -> @a. */
static const struct xtcp_trace_addr *
xtcp_trace_addr_req(struct xtcp_trace_addr *a,
		    const struct xtcp_request_sock *req)
{
	*a = (struct xtcp_trace_addr){
		.sport = req->lport, .dport = req->rport,
		.saddr = req->laddr, .daddr = req->raddr,
		.saddr6 = req->laddr6, .daddr6 = req->raddr6,
	};
	return xtcp_trace_addr_done(a, req->family == AF_INET6);
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
	struct xtcp_trace_addr a;

	trace_xtcp_state(req, xtcp_trace_addr_req(&a, req), old, new, 0, 0);
	xtcp_count_transition(net, old, new);
}

/**
 * xtcp_note_synack_rtx() - trace a request's SYN-ACK sent again
 * @req: the request, its retries counted already
 *
 * As TCP's tcp_retransmit_synack tracepoint (a request has no socket
 * for xtcp_retransmit).
 */
void xtcp_note_synack_rtx(const struct xtcp_request_sock *req)
{
	struct xtcp_trace_addr a;

	trace_xtcp_retransmit_synack(req, xtcp_trace_addr_req(&a, req), req->iss,
				     req->retries);
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
	struct xtcp_trace_addr a = {
		.sport = tw->sport, .dport = tw->dport,
		.saddr = tw->saddr, .daddr = tw->daddr,
		.saddr6 = tw->v6_saddr, .daddr6 = tw->v6_daddr,
	};

	xtcp_trace_addr_done(&a, xtcp_tuple_v6(tw->family, &tw->v6_daddr));
	if (event >= 0)
		trace_xtcp_tw(tw, &a, old ?: new, event);
	if (old) {
		trace_xtcp_state(tw, &a, old, new, 0, 0);
		xtcp_count_transition(read_pnet(&tw->net), old, new);
	}
}

/**
 * xtcp_trace_print_addr() - an address and port of a tracepoint entry
 * @p: the trace_seq being printed into
 * @family: AF_INET or AF_INET6
 * @a4: the IPv4 address, 4 octets
 * @a6: the IPv6 address, 16 octets
 * @port: the port, host order
 *
 * Return: "a.b.c.d:port" or "[v6]:port", NUL-terminated in @p's buffer
 * (as the kernel's __print_* helpers return theirs).
 */
const char *xtcp_trace_print_addr(struct trace_seq *p, u16 family,
				  const u8 *a4, const u8 *a6, u16 port)
{
	const char *ret = trace_seq_buffer_ptr(p);

	if (family == AF_INET6)
		trace_seq_printf(p, "[%pI6c]:%u", a6, port);
	else
		trace_seq_printf(p, "%pI4:%u", a4, port);
	trace_seq_putc(p, 0);
	return ret;
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
