// SPDX-License-Identifier: GPL-2.0
/*
 * The timers of a full socket: retransmission, tail loss probe and
 * persist (XTCP_TIMER_RTX), delayed ACK (XTCP_TIMER_DELACK) and keepalive
 * (XTCP_TIMER_KEEPALIVE).  The request and time-wait minisock timers
 * live with their minisocks.
 *
 * A timer that finds the socket owned by the user tries again shortly,
 * as Linux's TCP timers do.
 */
#include "xtcp.h"
#include "xtcp_mem.h"
#include "xtcp_timer.h"
#include "xtcp_tlp.h"

/* The RTO from now, cut short by a TCP_USER_TIMEOUT deadline. */
static unsigned long xtcp_rtx_when(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long when = xs->rto;

	if (xs->user_timeout && xs->retrans_stamp) {
		long left = (long)(xs->retrans_stamp +
				   msecs_to_jiffies(xs->user_timeout) - jiffies);

		when = clamp_t(long, left, 1, when);
	}
	return when;
}

void xtcp_reset_rtx_timer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->pto_pending = 0;
	sk_reset_timer(sk, &xs->rtx_timer, jiffies + xtcp_rtx_when(sk));
}

void xtcp_stop_rtx_timer(struct sock *sk)
{
	xtcp_sk(sk)->pto_pending = 0;
	sk_stop_timer(sk, &xtcp_sk(sk)->rtx_timer);
}

/**
 * xtcp_schedule_loss_probe() - arm the probe timeout instead of the RTO
 * @sk: socket, locked, with data in flight
 *
 * RFC 8985 7.2: with SACK, outside recovery and with no probe already
 * outstanding, the retransmission timer fires after the PTO (about two
 * RTTs) rather than the RTO, so that a lost tail is found by the probe's
 * ACK instead of a timeout.  net.xtcp.tlp turns it off.
 */
void xtcp_schedule_loss_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 pto;

	if (!READ_ONCE(xtcp_sysctl(sock_net(sk))->tlp) || !xs->sack_ok ||
	    !xs->score.packets_out || xs->cc.state != XTCP_CA_OPEN ||
	    xs->tlp_high_seq ||
	    !((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				     TCPF_FIN_WAIT1 | TCPF_CLOSING |
				     TCPF_LAST_ACK)))
		return;
	pto = xtcp_pto_us(xs->rtt.srtt_us, xs->score.packets_out,
			  jiffies_to_usecs(xtcp_rtx_when(sk)),
			  jiffies_to_usecs(1));
	xs->pto_pending = 1;
	sk_reset_timer(sk, &xs->rtx_timer,
		       jiffies + max(usecs_to_jiffies(pto), 1UL));
}

/* RFC 6298 2.2-2.5: RTO from the estimator and the sysctl bounds. */
void xtcp_set_rto(struct sock *sk)
{
	const struct xtcp_sysctl *s = xtcp_sysctl(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 us;

	us = xtcp_rtt_rto_us(&xs->rtt, jiffies_to_usecs(1),
			     READ_ONCE(s->rto_min_ms) * USEC_PER_MSEC,
			     READ_ONCE(s->rto_max_ms) * USEC_PER_MSEC,
			     jiffies_to_usecs(XTCP_TIMEOUT_INIT));
	xs->rto = usecs_to_jiffies(us);
}

static u32 xtcp_rto_max(const struct sock *sk)
{
	return msecs_to_jiffies(READ_ONCE(xtcp_sysctl(sock_net(sk))->rto_max_ms));
}

/*
 * Retries of an orphan (net.xtcp.orphan_retries), as tcp_orphan_retries():
 * 0 means XTCP_ORPHAN_RETRIES while the connection is alive (its timeout
 * below the maximum), none once it is not.
 */
static int xtcp_orphan_retries(struct sock *sk, bool alive)
{
	int retries = READ_ONCE(xtcp_sysctl(sock_net(sk))->orphan_retries);

	if (READ_ONCE(sk->sk_err_soft) && !alive)
		retries = 0;
	if (!retries && alive)
		retries = XTCP_ORPHAN_RETRIES;
	return retries;
}

/*
 * An orphan is reset when orphans are too many or memory is short, as
 * tcp_out_of_resources() decides: the longer it has retried, and the
 * longer since it sent, the sooner.  Return: true if it is gone.
 */
static bool xtcp_out_of_resources(struct sock *sk, int backoff, bool do_reset)
{
	int shift = backoff;

	if (time_after(jiffies, xtcp_sk(sk)->lsndtime + 2 * xtcp_rto_max(sk)) ||
	    !do_reset)
		shift++;
	if (READ_ONCE(sk->sk_err_soft))
		shift++;
	if (!xtcp_check_oom(sk, shift))
		return false;
	if (do_reset)
		xtcp_send_active_reset(sk, GFP_ATOMIC);
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_ABORTONMEMORY);
	xtcp_done(sk);
	return true;
}

/* Give up with the last soft (ICMP) error, else ETIMEDOUT (tcp_write_err). */
static void xtcp_write_err(struct sock *sk)
{
	xtcp_reset(sk, READ_ONCE(sk->sk_err_soft) ?: ETIMEDOUT);
}

/* RFC 9293 3.8.3 R2, or TCP_USER_TIMEOUT: give up?  Then abort. */
static bool xtcp_write_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int limit;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		limit = READ_ONCE(xs->syn_retries) ?:
			READ_ONCE(xtcp_sysctl(sock_net(sk))->syn_retries);
	} else if (sock_flag(sk, SOCK_DEAD)) {
		bool alive = xs->rto < xtcp_rto_max(sk);

		limit = xtcp_orphan_retries(sk, alive);
		if (xtcp_out_of_resources(sk, xs->retries,
					  alive || xs->retries < limit))
			return true;
	} else {
		limit = XTCP_RETRIES2;
	}

	if (xs->user_timeout && xs->retrans_stamp ?
	    time_after_eq(jiffies, xs->retrans_stamp +
			  msecs_to_jiffies(xs->user_timeout)) :
	    xs->retries >= limit) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEOUTABORTS);
		xtcp_write_err(sk);
		return true;
	}
	/* Maybe another path: a new flow hash, so IPv6 flow label. */
	if (sk_rethink_txhash(sk))
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEOUTREHASH);
	return false;
}

/*
 * The persist timer (RFC 9293 3.8.6.1): probe a closed window, waiting
 * twice as long each time (the RTO itself is left as it was).  RFC 1122
 * 4.2.2.17 keeps a connection open while the peer answers its probes;
 * as Linux's tcp_probe_timer() decides, a peer that stays silent is
 * given up after as many probes as a retransmission would be, or at
 * TCP_USER_TIMEOUT, and an orphan after net.xtcp.orphan_retries probes
 * even if they are answered: nobody will ever read or write it again.
 */
static void xtcp_persist_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int max_probes = XTCP_RETRIES2;
	bool dead_and_done = false;

	if (!xs->persist_backoff)
		xs->probes_stamp = jiffies;
	if (sock_flag(sk, SOCK_DEAD)) {
		bool alive = (xs->rto << xs->persist_backoff) < xtcp_rto_max(sk);

		max_probes = xtcp_orphan_retries(sk, alive);
		dead_and_done = !alive && xs->persist_backoff >= max_probes;
		if (!dead_and_done &&
		    xtcp_out_of_resources(sk, xs->persist_backoff, true))
			return;
	}
	if ((xs->user_timeout &&
	     time_after_eq(jiffies, xs->probes_stamp +
			   msecs_to_jiffies(xs->user_timeout))) ||
	    xs->probes_out >= max_probes || dead_and_done) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEOUTABORTS);
		xtcp_write_err(sk);
		return;
	}
	if (xtcp_write_wakeup(sk)) {
		/* The window took data; the RTO watches it now. */
		xs->persist_backoff = 0;
		xs->probes_out = 0;
		return;
	}
	xtcp_send_probe(sk);
	xs->probes_out++;
	if (xs->persist_backoff < 16)
		xs->persist_backoff++;
	sk_reset_timer(sk, &xs->rtx_timer,
		       jiffies + min_t(unsigned long,
				       xs->rto << xs->persist_backoff,
				       xtcp_rto_max(sk)));
}

/*
 * RFC 6298 5.4-5.6: resend from the earliest unacknowledged segment and
 * back off; RFC 5681 3.1: ssthresh halves and cwnd drops to one segment;
 * everything not SACKed is lost and resent as the window reopens.  With
 * nothing in flight but data waiting, the peer's window is closed and
 * this is the persist timer: send a window probe (RFC 9293 3.8.6.1).
 */
/*
 * RFC 4821 4 (black hole detection, as tcp_mtu_probing() does it with
 * net.ipv4.tcp_mtu_probing 1): segments that time out again and again
 * may be too big for a path whose ICMP errors are filtered.  With
 * net.xtcp.mtu_probing the MSS falls to net.xtcp.base_mss, then by
 * halves on each further run of timeouts, never below min_snd_mss; the
 * retransmissions are cut to it.  It stays there: no upward search.
 */
static void xtcp_mtu_blackhole(struct sock *sk)
{
	const struct xtcp_sysctl *s = xtcp_sysctl(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	int base = READ_ONCE(s->base_mss), mss;

	if (!READ_ONCE(s->mtu_probing))
		return;
	mss = xs->mss > base ? base : xs->mss / 2;
	mss = max_t(int, mss, READ_ONCE(s->min_snd_mss));
	if (mss >= xs->mss)
		return;
	xs->mss = mss;
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_PMTUBLACKHOLE);
}

static void xtcp_rtx_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->pto_pending) {
		xtcp_send_loss_probe(sk);
		return;
	}
	if (!xs->score.packets_out) {
		if (skb_queue_empty(&sk->sk_write_queue))
			return;
		__xtcp_push(sk, false);
		if (!xs->score.packets_out)
			xtcp_persist_timeout(sk);
		else
			xs->persist_backoff = 0;	/* the window opened */
		return;
	}

	if (!xs->retrans_stamp)
		xs->retrans_stamp = jiffies - xs->rto;
	if (xtcp_write_timeout(sk))
		return;
	xs->retries++;
	xs->total_rto++;
	xs->tlp_high_seq = 0;	/* the timeout ends any probe episode */
	xtcp_mib_inc(sock_net(sk), XTCP_MIB_TIMEOUTS);
	xs->rto = min(xs->rto * 2, xtcp_rto_max(sk));

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		xtcp_retransmit_head(sk);
	} else {
		if (xs->retries >= XTCP_RETRIES1)
			xtcp_mtu_blackhole(sk);
		xtcp_cc_loss_begin(&xs->cc, xs->cc.state == XTCP_CA_LOSS ?
				   xs->cc.ssthresh : xtcp_ca_ssthresh(sk),
				   xs->snd_nxt);
		xtcp_ca_set_state(sk, XTCP_CA_LOSS);
		xtcp_ca_event(sk, XTCP_CA_EVENT_LOSS);
		if (!xs->sack_ok)
			xs->score.sacked_out = 0;
		if (xtcp_mark_all_lost(&xs->rtx_queue, &xs->score))
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_SACKRENEGING);
		__xtcp_push(sk, false);
	}
	xtcp_reset_rtx_timer(sk);
}

static void xtcp_rtx_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, rtx_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, t, jiffies + HZ / 20);
	else if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		xtcp_rtx_timeout(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

/*
 * RFC 9293 3.8.6.3 (RFC 1122 4.2.3.2): ACK at least every second
 * segment, and never later than 500 ms; xtcp waits 40 ms as Linux.
 */
void xtcp_delack_schedule(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!timer_pending(&xs->delack_timer))
		sk_reset_timer(sk, &xs->delack_timer, jiffies + XTCP_DELACK);
}

void xtcp_delack_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ack_pending = 0;
	if (timer_pending(&xs->delack_timer))
		sk_stop_timer(sk, &xs->delack_timer);
}

static void xtcp_delack_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, delack_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + 1);
	} else if (xs->ack_pending &&
		   (1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
					  TCPF_FIN_WAIT2 | TCPF_CLOSE_WAIT |
					  TCPF_CLOSING | TCPF_LAST_ACK)) {
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_DELAYEDACKS);
		xtcp_send_ack(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

u32 xtcp_keepidle(const struct sock *sk)
{
	return xtcp_sk(sk)->keepidle ?:
	       READ_ONCE(xtcp_sysctl(sock_net(sk))->keepalive_time) * HZ;
}

u32 xtcp_keepintvl(const struct sock *sk)
{
	return xtcp_sk(sk)->keepintvl ?:
	       READ_ONCE(xtcp_sysctl(sock_net(sk))->keepalive_intvl) * HZ;
}

int xtcp_keepcnt(const struct sock *sk)
{
	return xtcp_sk(sk)->keepcnt ?:
	       READ_ONCE(xtcp_sysctl(sock_net(sk))->keepalive_probes);
}

/* Start (or restart) the keepalive clock of a connected socket. */
void xtcp_keepalive_reset(struct sock *sk)
{
	if (sock_flag(sk, SOCK_KEEPOPEN) &&
	    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		sk_reset_timer(sk, &sk->sk_timer, jiffies + xtcp_keepidle(sk));
}

/*
 * RFC 1122 4.2.3.6: after keepidle without a segment from the peer,
 * send a probe (an old sequence number, so the peer must ACK) every
 * keepintvl; after keepcnt unanswered probes, or TCP_USER_TIMEOUT,
 * reset the connection with ETIMEDOUT, as Linux does.
 */
static void xtcp_keepalive_timer_fn(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 idle, next;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + HZ / 20);
		goto out;
	}
	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    (1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT))
		goto out;
	next = xtcp_keepidle(sk);
	if (xs->score.packets_out || !skb_queue_empty(&sk->sk_write_queue))
		goto resched;	/* the retransmission timer watches the peer */
	idle = jiffies - xs->rcv_tstamp;
	if (idle >= next) {
		if (xs->user_timeout ?
		    idle >= msecs_to_jiffies(xs->user_timeout) &&
		    xs->probes_out :
		    xs->probes_out >= xtcp_keepcnt(sk)) {
			xtcp_mib_inc(sock_net(sk), XTCP_MIB_KEEPALIVEABORTS);
			xtcp_send_active_reset(sk, GFP_ATOMIC);
			xtcp_write_err(sk);
			goto out;
		}
		xtcp_send_probe(sk);
		xs->probes_out++;
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_KEEPALIVEPROBES);
		next = xtcp_keepintvl(sk);
	} else {
		next -= idle;
	}
resched:
	sk_reset_timer(sk, t, jiffies + next);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

void xtcp_init_timers(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	timer_setup(&xs->rtx_timer, xtcp_rtx_timer_fn, 0);
	timer_setup(&xs->delack_timer, xtcp_delack_timer_fn, 0);
	timer_setup(&sk->sk_timer, xtcp_keepalive_timer_fn, 0);
	xs->rto = XTCP_TIMEOUT_INIT;
	xs->retries = 0;
}

void xtcp_clear_timers(struct sock *sk)
{
	xtcp_stop_rtx_timer(sk);
	xtcp_delack_stop(sk);
	sk_stop_timer(sk, &sk->sk_timer);
}
