// SPDX-License-Identifier: GPL-2.0
/*
 * The retransmission timer of a full socket (XTCP_TIMER_RTX).  The
 * request and time-wait minisock timers live with their minisocks.
 *
 * A timer that finds the socket owned by the user tries again shortly,
 * as Linux's TCP timers do.
 */
#include "xtcp.h"
#include "xtcp_timer.h"

void xtcp_reset_rtx_timer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	sk_reset_timer(sk, &xs->rtx_timer, jiffies + xs->rto);
}

void xtcp_stop_rtx_timer(struct sock *sk)
{
	sk_stop_timer(sk, &xtcp_sk(sk)->rtx_timer);
}

/*
 * RFC 6298 5.4-5.6: resend from the earliest unacknowledged segment
 * and double the RTO; after too many tries give up with ETIMEDOUT
 * (RFC 9293 3.8.3, R2).  With nothing in flight but data waiting, the
 * window is closed and this is a window probe (RFC 9293 3.8.6.1).
 */
static void xtcp_rtx_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, rtx_timer);
	struct sock *sk = &xs->inet.sk;
	int limit;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + HZ / 20);
		goto out;
	}
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		goto out;

	if (skb_queue_empty(&xs->rtx_queue)) {
		/* Persist: the window was closed when data was waiting. */
		if (!skb_queue_empty(&sk->sk_write_queue)) {
			xtcp_push(sk);
			if (skb_queue_empty(&xs->rtx_queue)) {
				xtcp_send_probe(sk);
				xs->rto = min_t(u32, xs->rto * 2, XTCP_RTO_MAX);
				xtcp_reset_rtx_timer(sk);
			}
		}
		goto out;
	}

	limit = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		READ_ONCE(xtcp_sysctl(sock_net(sk))->syn_retries) :
		XTCP_RETRIES2;
	if (xs->retries >= limit) {
		xtcp_reset(sk, ETIMEDOUT);
		goto out;
	}
	xs->retries++;
	xs->rto = min_t(u32, xs->rto * 2, XTCP_RTO_MAX);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		xtcp_retransmit_head(sk);
	else
		xtcp_rewind(sk);
	xtcp_reset_rtx_timer(sk);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

void xtcp_init_timers(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	timer_setup(&xs->rtx_timer, xtcp_rtx_timer_fn, 0);
	xs->rto = XTCP_TIMEOUT_INIT;
	xs->retries = 0;
}

void xtcp_clear_timers(struct sock *sk)
{
	xtcp_stop_rtx_timer(sk);
}
