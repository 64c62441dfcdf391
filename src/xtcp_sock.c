// SPDX-License-Identifier: GPL-2.0
/*
 * The socket layer face of xtcp, for both address families: the user
 * calls listen, connect, accept, send, receive, shutdown and close
 * (RFC 9293 3.10.1-3.10.5) that struct proto and struct proto_ops of
 * xtcp_ipv4.c and xtcp_ipv6.c point to.
 *
 * Generic inet_* helpers do the parts that do not depend on the
 * transport (release, getname, the connect wait loop, accept's graft).
 */
#include <linux/bpf-cgroup.h>
#include <linux/in.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/tcp.h>
#include <net/busy_poll.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/route.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_compat.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"
#include "xtcp_state.h"
#include "xtcp_timer.h"

/**
 * xtcp_set_state() - move @sk to @state
 * @sk: socket, locked
 * @state: new state
 *
 * Entering CLOSE takes the socket out of the lookup tables, and gives
 * back a port that bind() did not fix, as Linux does.
 */
void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	/* First, so the state-change tracepoints still see the ports. */
	if (old != state && !(state == TCP_CLOSE && xtcp_sk(sk)->tw_handoff))
		xtcp_note_state(sk, old, state);
	inet_sk_set_state(sk, state);
	if (state == TCP_ESTABLISHED)
		xtcp_keepalive_reset(sk);
	if (state == TCP_CLOSE) {
		xtcp_unhash(sk);
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) && sk->sk_num)
			xtcp_put_port(sk);
	}
}

static void xtcp_purge_write_queues(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		xtcp_wmem_free_skb(sk, skb);
	while ((skb = xtcp_rtxq_head(&xs->rtx_queue))) {
		xtcp_rtxq_unlink(&xs->rtx_queue, skb);
		xtcp_wmem_free_skb(sk, skb);
	}
	xtcp_rtxq_init(&xs->rtx_queue);
	memset(&xs->score, 0, sizeof(xs->score));
	xtcp_ofo_purge(&xs->ofo);
}

/* Free an orphaned socket that has reached CLOSE. */
void xtcp_destroy(struct sock *sk)
{
	WARN_ON_ONCE(sk->sk_state != TCP_CLOSE);
	WARN_ON_ONCE(!sock_flag(sk, SOCK_DEAD));
	sk->sk_prot->destroy(sk);
	xtcp_unhash(sk);
	sk_stream_kill_queues(sk);
	xtcp_orphan_freed();
	sock_put(sk);
}

/* The connection is over (RFC 9293 "delete the TCB"). */
void xtcp_done(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ATTEMPTFAILS);
	xtcp_set_state(sk, TCP_CLOSE);
	xtcp_clear_timers(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		xtcp_destroy(sk);
}

/* A RST or a timeout ended the connection with @err. */
void xtcp_reset(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	smp_wmb();	/* sk_err before the state, as sk_stream_* read them */
	xtcp_purge_write_queues(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	xtcp_done(sk);
}

/* Send-side state of a socket that has not connected yet. */
void xtcp_init_xmit_state(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_rtxq_init(&xs->rtx_queue);
	xtcp_ofo_init(&xs->ofo);
	INIT_LIST_HEAD(&xs->accept_node);
	xtcp_init_timers(sk);
	xs->mss = XTCP_DEFAULT_MSS;
	xs->advmss = XTCP_DEFAULT_MSS;
	xs->scaling_ratio = XTCP_DEFAULT_SCALING_RATIO;
	xtcp_cc_init(&xs->cc);
}

/* Entering ESTABLISHED: fresh congestion state, quick ACKs, clocks. */
void xtcp_init_transfer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_cc_init(&xs->cc);
	xtcp_ca_init(sk);
	xs->quick = XTCP_QUICKACKS;
	xs->rcv_tstamp = jiffies;
	xs->lsndtime = jiffies;
	xs->rcv_mss = min_t(u16, xs->advmss, XTCP_DEFAULT_MSS);
	xtcp_autotune_init(sk);
	xs->cwnd_limited = 0;
	xs->max_packets_out = 0;
	xs->cwnd_usage_seq = xs->snd_nxt;
}

/* Wake writers once the send buffer has room again (sk_write_space). */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * struct proto::stream_memory_free: with TCP_NOTSENT_LOWAT, writable only
 * while fewer octets than that wait unsent (twice fewer to wake a
 * writer), as tcp_stream_memory_free().
 */
bool xtcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 lowat = READ_ONCE(xs->notsent_lowat);
	u32 notsent = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);

	return !lowat || (notsent << wake) < lowat;
}

/*
 * SO_REUSEPORT groups steered by BPF (SO_ATTACH_REUSEPORT_CBPF/EBPF) are
 * TCP's and UDP's; xtcp's listeners do not have them.  Refused where the
 * kernel lets the protocol see SOL_SOCKET options, else at listen().
 */
static bool xtcp_reuseport_prog(int level, int optname)
{
	return level == SOL_SOCKET &&
	       (optname == SO_ATTACH_REUSEPORT_CBPF ||
		optname == SO_ATTACH_REUSEPORT_EBPF ||
		optname == SO_DETACH_REUSEPORT_BPF);
}

/* struct proto_ops::setsockopt of both families. */
int xtcp_sock_setsockopt(struct socket *sock, int level, int optname,
			 sockptr_t optval, unsigned int optlen)
{
	if (xtcp_reuseport_prog(level, optname))
		return -EOPNOTSUPP;
	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, optname, optval, optlen);
	return sock_common_setsockopt(sock, level, optname, optval, optlen);
}

#ifdef XTCP_CUSTOM_SOCKOPT
/* struct proto_ops::accept: the new socket's options come to us too. */
int xtcp_sock_accept(struct socket *sock, struct socket *newsock,
		     struct proto_accept_arg *arg)
{
	int err = inet_accept(sock, newsock, arg);

	if (!err)
		set_bit(SOCK_CUSTOM_SOCKOPT, &newsock->flags);
	return err;
}
#endif

int xtcp_init_sock(struct sock *sk)
{
#ifdef XTCP_CUSTOM_SOCKOPT
	if (sk->sk_socket)
		set_bit(SOCK_CUSTOM_SOCKOPT, &sk->sk_socket->flags);
#endif
	xtcp_init_xmit_state(sk);
	xtcp_ca_assign(sk, NULL);
	xtcp_sk(sk)->af_ops = &xtcp_ipv4_ops;	/* xtcp_v6_init_sock() changes it */
	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = xtcp_write_space;
	sock_set_flag(sk, SOCK_RCU_FREE);	/* lookups run under RCU */
	/* net.xtcp.rmem[1] and wmem[1], as tcp_init_sock() takes TCP's. */
	WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(xtcp_sysctl_wmem[1]));
	WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(xtcp_sysctl_rmem[1]));
	sk_sockets_allocated_inc(sk);
	/* Sockets per netns show in the "sockets" column of /proc/net/protocols. */
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

void xtcp_destroy_sock(struct sock *sk)
{
	xtcp_ca_destroy(sk);
	xtcp_clear_timers(sk);
	xtcp_purge_write_queues(sk);
	if (sk->sk_num)
		xtcp_put_port(sk);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sk_sockets_allocated_dec(sk);
}

/*
 * What __inet_bind() calls when a cgroup/connect4 program binds the
 * socket with bpf_bind(): the address is set, take the port.
 */
int xtcp_get_port(struct sock *sk, unsigned short snum)
{
	int err = xtcp_bind_port(sk, snum);

	if (!err)
		xtcp_sk(sk)->bound_explicitly = 1;
	return err;
}

/**
 * xtcp_connect_start() - the common part of an active open
 * @sk: socket, locked, addresses and ports set, hashed
 * @dst: its route, already the socket's (sk_setup_caps())
 * @iss: our initial sequence number
 * @ts_off: our timestamp clock offset for the address pair
 *
 * RFC 9293 3.10.1 OPEN: choose the MSS for the route, offer the options,
 * enter SYN_SENT and send the SYN.
 *
 * Return: 0, or the errno of sending the SYN.
 */
int xtcp_connect_start(struct sock *sk, struct dst_entry *dst, u32 iss,
		       u32 ts_off)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->advmss = min_t(u32, dst_mtu(dst) - xs->af_ops->net_header_len -
			   sizeof(struct xtcphdr), 65535U);
	if (xs->user_mss)	/* TCP_MAXSEG lowers what we offer */
		xs->advmss = min(xs->advmss, xs->user_mss);
	xs->mss = xs->advmss;
	xtcp_select_initial_window(sk, xs->advmss, true, &xs->rcv_wnd,
				   &xs->rcv_wscale);
	sk_set_txhash(sk);	/* the connection's flow, for IPv6 labels */
	xs->iss = iss;
	/* RFC 7323: offer timestamps; kept only if the SYN-ACK has them. */
	xs->tstamp_ok = 1;
	xs->sack_ok = !!READ_ONCE(xtcp_sysctl(sock_net(sk))->sack);
	xs->ts_recent = 0;
	xs->ts_off = ts_off;
	xs->snd_una = xs->iss;
	xs->write_seq = xs->iss + 1;
	xs->pushed_seq = xs->write_seq;
	xs->fin_sent = 0;

	xtcp_set_state(sk, TCP_SYN_SENT);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_ACTIVEOPENS);
	return xtcp_send_syn(sk);
}

/*
 * connect(AF_UNSPEC), or cleanup after a failed connect: abort what is
 * there (RFC 9293 3.10.5 ABORT sends RST from a synchronized state) and
 * make the socket reusable.
 */
int xtcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int old = sk->sk_state;

	if (old == TCP_LISTEN) {
		xtcp_listen_stop(sk);
	} else if (old != TCP_CLOSE) {
		/*
		 * As tcp_disconnect(): a RST where the peer holds state for
		 * us, and ECONNRESET for whoever waits, a connect() in
		 * SYN_SENT too.
		 */
		if ((1 << old) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				  TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 |
				  TCPF_SYN_RECV) ||
		    (xs->snd_nxt != xs->write_seq &&
		     (1 << old) & (TCPF_CLOSING | TCPF_LAST_ACK))) {
			xtcp_send_active_reset(sk, gfp_any());
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		} else if (old == TCP_SYN_SENT) {
			WRITE_ONCE(sk->sk_err, ECONNRESET);
		}
		xtcp_set_state(sk, TCP_CLOSE);
	}
	xtcp_clear_timers(sk);
	xtcp_purge_write_queues(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	xs->fin_sent = 0;
	WRITE_ONCE(xs->urg_data, 0);
	xs->urg_mode = 0;
	xs->retries = 0;
	xs->retrans_stamp = 0;
	/* What the last connection learned, as tcp_disconnect() clears it. */
	xs->probes_out = 0;
	xs->persist_backoff = 0;
	xs->probes_stamp = 0;
	xs->max_window = 0;
	xs->pmtu = 0;
	xs->bytes_acked = 0;
	xs->last_oow_ack_time = 0;
	xs->scaling_ratio = XTCP_DEFAULT_SCALING_RATIO;
	xs->rcv_mss = min_t(u16, xs->advmss, XTCP_DEFAULT_MSS);
	xs->rto = XTCP_TIMEOUT_INIT;
	memset(&xs->rtt, 0, sizeof(xs->rtt));
	xtcp_ca_release(sk);
	xtcp_cc_init(&xs->cc);
	sk_dst_reset(sk);
	return 0;
}

/* Wait for a child on the accept queue; the caller owns the listener. */
static int xtcp_accept_wait(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err;

	add_wait_queue_exclusive(sk_sleep(sk), &wait);
	for (;;) {
		release_sock(sk);
		if (!READ_ONCE(sk->sk_ack_backlog))
			timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		err = 0;
		if (READ_ONCE(sk->sk_ack_backlog))
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			break;
		err = -EAGAIN;
		if (!timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

struct sock *xtcp_accept(XTCP_ACCEPT_PARAMS)
{
	struct sock *newsk = NULL;
	long timeo;
	int rc;

	lock_sock(sk);
	/* accept() needs a listening socket (POSIX: EINVAL otherwise). */
	rc = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	if (!READ_ONCE(sk->sk_ack_backlog)) {
		timeo = sock_rcvtimeo(sk, XTCP_ACCEPT_FLAGS & O_NONBLOCK);
		rc = -EAGAIN;
		if (!timeo)
			goto out;
		rc = xtcp_accept_wait(sk, timeo);
		if (rc)
			goto out;
	}
	newsk = xtcp_accept_dequeue(sk);
	rc = newsk ? 0 : -EAGAIN;
out:
	release_sock(sk);
	XTCP_ACCEPT_SET_ERR(rc);
	return newsk;
}

/* Apply CLOSE to the state (RFC 9293 3.10.4); true: send FIN. */
static bool xtcp_close_state(struct sock *sk)
{
	bool fin;
	int next = xtcp_state_after_close(sk->sk_state, &fin);

	if (next != sk->sk_state)
		xtcp_set_state(sk, next);
	return fin;
}

/* shutdown(SHUT_WR) is half of a close: FIN after the queued data. */
void xtcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) &
	    (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT) &&
	    xtcp_close_state(sk))
		xtcp_send_fin(sk);
}

void xtcp_close(struct sock *sk, long timeout)
{
	bool unread;
	int state;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	if (sk->sk_state == TCP_LISTEN) {
		xtcp_listen_stop(sk);
		goto adjudge;
	}
	/* RFC 2525 2.17: closing with unread data resets the connection. */
	unread = !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);

	if (sk->sk_state == TCP_CLOSE) {
		goto adjudge;
	} else if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
		/* Abortive close, also SO_LINGER with a zero timeout. */
		xtcp_disconnect(sk, 0);
	} else if (xtcp_close_state(sk)) {
		xtcp_send_fin(sk);
	}
	sk_stream_wait_close(sk, timeout);

adjudge:
	sock_hold(sk);
	xtcp_orphan(sk);
	/*
	 * As __tcp_close(): too many orphans, or no memory left for them,
	 * and this one is reset rather than left to finish.
	 */
	if (sk->sk_state != TCP_CLOSE && xtcp_check_oom(sk, 0)) {
		xtcp_send_active_reset(sk, sk->sk_allocation);
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONMEMORY);
		xtcp_set_state(sk, TCP_CLOSE);
		xtcp_clear_timers(sk);
	}
	state = sk->sk_state;
	release_sock(sk);

	local_bh_disable();
	bh_lock_sock(sk);
	/* A segment or timer processed meanwhile may have freed it already. */
	if (state != TCP_CLOSE && sk->sk_state == TCP_CLOSE)
		goto out;
	if (sk->sk_state == TCP_FIN_WAIT2 && xtcp_sk(sk)->linger2 < 0) {
		/* TCP_LINGER2 < 0: reset rather than wait for the FIN. */
		xtcp_send_active_reset(sk, GFP_ATOMIC);
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONLINGER);
		xtcp_done(sk);
	} else if (sk->sk_state == TCP_FIN_WAIT2) {
		xtcp_time_wait(sk, TCP_FIN_WAIT2, xtcp_fin_time(sk));
	} else if (sk->sk_state == TCP_CLOSE) {
		xtcp_destroy(sk);
	}
out:
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

/* The unsent tail segment, if short data can still be copied into it. */
static struct sk_buff *xtcp_tail_room(struct sock *sk, size_t *room)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	u16 mss = xtcp_sk(sk)->mss;

	if (!skb || (XTCP_SKB_CB(skb)->flags & XTCPHDR_FIN) ||
	    XTCP_SKB_CB(skb)->eor || skb_is_nonlinear(skb) || skb->len >= mss)
		return NULL;
	*room = min_t(size_t, mss - skb->len, skb_tailroom(skb));
	return *room ? skb : NULL;
}

/*
 * A new segment holding @size octets from @msg: page fragments for a
 * large one, a linear buffer with room for short writes to join
 * (Nagle's coalescing) otherwise.
 */
static struct sk_buff *xtcp_new_seg(struct sock *sk, struct msghdr *msg,
				    size_t size, int *err)
{
	struct sk_buff *skb;

	if (size >= XTCP_LINEAR_MAX) {
		skb = alloc_skb_with_frags(XTCP_MAX_HEADER, size,
					   XTCP_FRAG_ORDER, err,
					   sk->sk_allocation);
		if (!skb)
			return NULL;
		skb_reserve(skb, XTCP_MAX_HEADER);
		if (!xtcp_wmem_charge(sk, skb, false))
			goto nomem;
		skb->len = size;
		skb->data_len = size;
		*err = skb_copy_datagram_from_iter(skb, 0, &msg->msg_iter, size);
	} else {
		size_t cap = max_t(size_t, size,
				   min_t(size_t, xtcp_sk(sk)->mss,
					 XTCP_LINEAR_MAX));

		*err = -ENOBUFS;
		skb = alloc_skb(XTCP_MAX_HEADER + cap, sk->sk_allocation);
		if (!skb)
			return NULL;
		skb_reserve(skb, XTCP_MAX_HEADER);
		if (!xtcp_wmem_charge(sk, skb, false))
			goto nomem;
		*err = copy_from_iter(skb_put(skb, size), size,
				      &msg->msg_iter) == size ? 0 : -EFAULT;
	}
	if (*err) {
		xtcp_wmem_free_skb(sk, skb);
		return NULL;
	}
	return skb;

nomem:
	kfree_skb(skb);
	*err = -ENOBUFS;
	return NULL;
}

/*
 * MSG_OOB: the last octet written is urgent; SND.UP points past it
 * (RFC 9293 3.8.5, Linux's reading), as tcp_mark_urg().
 */
static void xtcp_mark_urg(struct sock *sk, int flags, size_t copied)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (likely(!(flags & MSG_OOB)) || !copied)
		return;
	xs->snd_up = xs->write_seq;
	xs->urg_mode = 1;
}

/*
 * PSH (RFC 9293 3.9.1.2) as Linux sets it: on the last segment of a
 * write (unless MSG_MORE), and on the one that takes the data queued
 * since the last push beyond half the peer's largest window.
 */
static void xtcp_mark_push(struct xtcp_sock *xs, struct sk_buff *skb)
{
	XTCP_SKB_CB(skb)->flags |= XTCPHDR_PSH;
	xs->pushed_seq = xs->write_seq;
}

static bool xtcp_forced_push(const struct xtcp_sock *xs)
{
	return xtcp_seq_after(xs->write_seq,
			      xs->pushed_seq + (xs->max_window >> 1));
}

/* The end of a write: mark the tail segment PSH, then send. */
static void xtcp_push_write(struct sock *sk, bool more)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (skb && (!more || xtcp_forced_push(xs)))
		xtcp_mark_push(xs, skb);
	__xtcp_push(sk, more);
}

/*
 * RFC 9293 3.10.2 SEND: copy into segments of at most the MSS on the
 * write queue, then push.  A short write joins the unsent tail segment,
 * unless that one ended a MSG_EOR write.
 */
int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool more = msg->msg_flags & MSG_MORE;
	size_t copied = 0, size;
	struct sk_buff *skb;
	long timeo;
	int err;

	/* No TFO: as TCP with net.ipv4.tcp_fastopen's client bit off. */
	if (msg->msg_flags & MSG_FASTOPEN)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}

	while (msg_data_left(msg)) {
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;

		skb = xtcp_tail_room(sk, &size);
		if (skb) {
			size = min(size, msg_data_left(msg));
			if (copy_from_iter(skb_put(skb, size), size,
					   &msg->msg_iter) != size) {
				skb_trim(skb, skb->len - size);
				err = -EFAULT;
				goto out_err;
			}
			XTCP_SKB_CB(skb)->end_seq += size;
			/* A new write: the old end is no longer one. */
			if (!copied)
				XTCP_SKB_CB(skb)->flags &= ~XTCPHDR_PSH;
			goto copied;
		}

		if (!sk_stream_memory_free(sk))
			goto wait_for_space;
		size = min_t(size_t, msg_data_left(msg), xs->mss);
		skb = xtcp_new_seg(sk, msg, size, &err);
		if (!skb) {
			/* No memory (the protocol's, or the system's): wait. */
			if (err == -ENOBUFS)
				goto wait_for_space;
			goto out_err;
		}
		XTCP_SKB_CB(skb)->seq = xs->write_seq;
		XTCP_SKB_CB(skb)->end_seq = xs->write_seq + size;
		XTCP_SKB_CB(skb)->flags = 0;
		__skb_queue_tail(&sk->sk_write_queue, skb);
		xs->nagle_push = 0;
copied:
		xs->write_seq += size;
		copied += size;
		/* The last segment goes out from xtcp_push_write(), marked. */
		if (!msg_data_left(msg)) {
			if (msg->msg_flags & MSG_EOR)
				XTCP_SKB_CB(skb)->eor = 1;
			break;
		}
		if (xtcp_forced_push(xs))
			xtcp_mark_push(xs, skb);
		__xtcp_push(sk, true);
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		if (copied)
			xtcp_push_write(sk, false);
		else
			__xtcp_push(sk, false);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto out_err;
	}
	xtcp_mark_urg(sk, msg->msg_flags, copied);
	xtcp_push_write(sk, more);
	release_sock(sk);
	return copied;

out_err:
	xtcp_mark_urg(sk, msg->msg_flags, copied);
	if (copied)
		xtcp_push_write(sk, more);
	else
		err = sk_stream_error(sk, msg->msg_flags, err);
	release_sock(sk);
	return copied ? copied : err;
}

/*
 * After reading: announce the window if it grew enough (RFC 9293
 * 3.8.6.2.2, receiver SWS avoidance), as tcp_cleanup_rbuf() decides:
 * when what is left of the window offered is at most half the largest
 * it can be, and the window now is at least twice that.
 */
static void xtcp_rcv_window_update(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 clamp = min(xtcp_full_space(sk), 65535U << xs->rcv_wscale);
	int space = xtcp_win_space(sk);

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	if (xs->window_clamp)
		clamp = min(clamp, xs->window_clamp);
	space = min_t(int, space, clamp);
	/*
	 * RFC 9293 3.8.6.2.2: below half the buffer, less than a segment
	 * (or a sixteenth) is no window worth offering (__tcp_select_window()).
	 */
	if ((u32)space < clamp / 2 &&
	    ((u32)space < xs->rcv_mss || (u32)space < clamp / 16))
		return;
	if (2 * xs->rcv_wnd <= clamp && space > 0 &&
	    (u32)space >= 2 * xs->rcv_wnd)
		xtcp_send_ack(sk);
}

/* release_sock(): what softirq left for when the user let go. */
void xtcp_release_cb(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->mtu_deferred) {
		xs->mtu_deferred = 0;
		xtcp_mtu_reduced(sk);	/* RFC 1191, from xtcp_v4_err() */
	}
}

/*
 * recv(MSG_OOB): the urgent octet, once, if it is not read inline; it
 * never waits (as tcp_recv_urg()).
 */
static int xtcp_recv_urg(struct sock *sk, struct msghdr *msg, int len,
			 int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u16 urg = xs->urg_data;
	char c = urg;

	if (sock_flag(sk, SOCK_URGINLINE) || !urg || urg == XTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == TCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (urg & XTCP_URG_VALID) {
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(xs->urg_data, XTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (len <= 0) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &c, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == TCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

/* TCP_INQ's hint: octets left to read, 1 for a FIN still to be seen. */
static int xtcp_inq_hint(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	int inq = READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq);

	if (inq < 0)
		inq = 0;
	if (!inq && sock_flag(sk, SOCK_DONE))
		inq = 1;
	return inq;
}

/* RFC 9293 3.10.3 RECEIVE. */
int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		 int flags, int *addr_len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb, *tmp;
	u32 peek_seq, *seq;
	int copied = 0, target;
	long timeo;

	/* ICMP errors (IP_RECVERR) and timestamps, as tcp_recvmsg(). */
	if (flags & MSG_ERRQUEUE)
		return inet_recv_error(sk, msg, len, addr_len);
	/* Busy polling (SO_BUSY_POLL), as tcp_recvmsg(). */
	if (sk_can_busy_loop(sk) &&
	    skb_queue_empty_lockless(&sk->sk_receive_queue) &&
	    READ_ONCE(sk->sk_state) == TCP_ESTABLISHED)
		sk_busy_loop(sk, flags & MSG_DONTWAIT);

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	if (flags & MSG_OOB) {
		copied = xtcp_recv_urg(sk, msg, len, flags);
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = xs->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &xs->copied_seq;

	while (copied < len) {
		u32 offset = 0, used;
		bool found = false;

		/* Reads stop at the urgent mark (tcp_recvmsg()). */
		if (unlikely(xs->urg_data) && xs->urg_seq == *seq) {
			if (copied)
				break;
			if (signal_pending(current)) {
				copied = timeo ? sock_intr_errno(timeo) : -EAGAIN;
				break;
			}
		}
		skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
			offset = *seq - XTCP_SKB_CB(skb)->seq;
			if (offset < skb->len) {
				found = true;
				break;
			}
			/* Read up to its end, but for a skipped urgent octet. */
			if (!(flags & MSG_PEEK) &&
			    !xtcp_seq_after(XTCP_SKB_CB(skb)->seq + skb->len,
					    *seq)) {
				__skb_unlink(skb, &sk->sk_receive_queue);
				kfree_skb(skb);
			}
		}
		if (!found) {
			if (copied >= target)
				break;
			if (copied) {
				if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
				    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
				    signal_pending(current))
					break;
			} else {
				if (sock_flag(sk, SOCK_DONE))
					break;
				if (sk->sk_err) {
					copied = sock_error(sk);
					break;
				}
				if (sk->sk_shutdown & RCV_SHUTDOWN)
					break;
				if (sk->sk_state == TCP_CLOSE) {
					copied = -ENOTCONN;
					break;
				}
				if (!timeo) {
					copied = -EAGAIN;
					break;
				}
				if (signal_pending(current)) {
					copied = sock_intr_errno(timeo);
					break;
				}
			}
			xtcp_rcv_window_update(sk);
			sk_wait_data(sk, &timeo, NULL);
			continue;
		}

		used = min_t(u32, skb->len - offset, len - copied);
		/* The urgent octet: skipped unless SO_OOBINLINE, or a stop. */
		if (unlikely(xs->urg_data)) {
			u32 urg_offset = xs->urg_seq - *seq;

			if (urg_offset < used) {
				if (urg_offset) {
					used = urg_offset;
				} else if (!sock_flag(sk, SOCK_URGINLINE)) {
					(*seq)++;
					offset++;
					used--;
					if (!used)
						goto skip_copy;
				}
			}
		}
		if (!(flags & MSG_TRUNC) &&
		    skb_copy_datagram_msg(skb, offset, msg, used)) {
			if (!copied)
				copied = -EFAULT;
			break;
		}
		*seq += used;
		copied += used;
skip_copy:
		if (unlikely(xs->urg_data) &&
		    xtcp_seq_after(xs->copied_seq, xs->urg_seq))
			WRITE_ONCE(xs->urg_data, 0);
		if (!(flags & MSG_PEEK) && offset + used >= skb->len) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			kfree_skb(skb);
		}
	}
	if (!(flags & MSG_PEEK)) {
		xtcp_rcv_space_adjust(sk);
		xtcp_rcv_window_update(sk);
	}
	/* TCP_INQ: what is left, as a control message (TCP_CM_INQ). */
	if (xs->recvmsg_inq && copied >= 0) {
		int inq = xtcp_inq_hint(sk);

		put_cmsg(msg, SOL_TCP, TCP_CM_INQ, sizeof(inq), &inq);
	}
out:
	release_sock(sk);
	return copied;
}

int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;
	/* A reuseport program the kernel let through (see above). */
	err = -EOPNOTSUPP;
	if (rcu_access_pointer(sk->sk_reuseport_cb))
		goto out;
	err = -EINVAL;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	err = 0;
	if (sk->sk_state == TCP_LISTEN)
		goto out;
	/* listen() on an unbound socket takes an ephemeral port. */
	if (!sk->sk_num) {
		err = xtcp_bind_port(sk, 0);
		if (err)
			goto out;
		xtcp_sk(sk)->bound_explicitly = 1;
	}
	err = xtcp_listen_start(sk, backlog);
out:
	release_sock(sk);
	return err;
}

/* Readiness as in-tree TCP reports it (tcp_poll). */
__poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	int state;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);

	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return READ_ONCE(sk->sk_ack_backlog) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		struct xtcp_sock *xs = xtcp_sk(sk);
		int target = sock_rcvlowat(sk, 0, INT_MAX);
		u16 urg = READ_ONCE(xs->urg_data);

		/* An urgent octet at the mark is not in-band data. */
		if (unlikely(urg) &&
		    READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq) &&
		    !sock_flag(sk, SOCK_URGINLINE))
			target++;
		/* Readable once SO_RCVLOWAT octets are queued, as tcp_poll. */
		if ((int)(READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq)) >=
		    target)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (shutdown & SEND_SHUTDOWN) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else if (sk_stream_is_writeable(sk)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			smp_mb__after_atomic();	/* see tcp_poll() */
			if (sk_stream_is_writeable(sk))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
		if (urg & XTCP_URG_VALID)
			mask |= EPOLLPRI;
	}
	smp_rmb();	/* sk_err after the state, paired in xtcp_reset() */
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

