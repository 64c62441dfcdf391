// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC (RFC 9438) with HyStart++ (RFC 9406): xtcp's default
 * congestion control, as CUBIC is Linux's.  The window follows
 * W_cubic(t) = C (t - K)^3 + W_max after a loss (xtcp_cubic.h), never
 * slower than Reno would grow (the Reno-friendly region, RFC 9438 4.3);
 * a loss sets ssthresh to 0.7 cwnd.  Slow start ends early when the
 * round trip rises (HyStart++), through a conservative slow start that
 * grows a quarter as fast for up to five rounds.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_ca.h"
#include "xtcp_cubic.h"
#include "xtcp_seq.h"

/**
 * struct xtcp_cubic - a connection's CUBIC state (in &struct xtcp_cc priv)
 * @cnt: segments to acknowledge for one more of cwnd
 * @last_max_cwnd: W_max, segments
 * @last_cwnd: cwnd when @cnt was last computed
 * @last_time: jiffies then
 * @origin: the window the curve is centred on
 * @k: K, in 1024ths of a second
 * @delay_min: the smallest RTT seen, microseconds
 * @epoch_start: jiffies when the epoch (growth since the last loss)
 *	began, 0 before it
 * @ack_cnt: segments acknowledged in the epoch, for W_est
 * @tcp_cwnd: W_est, what Reno would have now
 * @window_end: HyStart++: SND.NXT when the round began
 * @last_round_min_rtt: HyStart++: the last round's minimum RTT, us
 * @cur_round_min_rtt: HyStart++: this round's so far
 * @rtt_samples: HyStart++: RTT samples in this round
 * @css_baseline: HyStart++: the minimum RTT that began CSS
 * @css_acked: HyStart++: acknowledged segments not yet grown by in CSS
 * @css_rounds: HyStart++: rounds in CSS so far, 0 outside CSS
 * @hystart_done: slow start ended or a loss came: HyStart++ is over
 */
struct xtcp_cubic {
	u32	cnt;
	u32	last_max_cwnd;
	u32	last_cwnd;
	u32	last_time;
	u32	origin;
	u32	k;
	u32	delay_min;
	u32	epoch_start;
	u32	ack_cnt;
	u32	tcp_cwnd;
	u32	window_end;
	u32	last_round_min_rtt;
	u32	cur_round_min_rtt;
	u32	rtt_samples;
	u32	css_baseline;
	u32	css_acked;
	u8	css_rounds;
	u8	hystart_done;
};

static struct xtcp_cubic *xtcp_cubic_of(struct sock *sk)
{
	BUILD_BUG_ON(sizeof(struct xtcp_cubic) >
		     sizeof(((struct xtcp_cc *)0)->priv));
	return xtcp_ca_priv(sk);
}

/* RFC 9406 4.2: a new round, its minimum RTT not yet known. */
static void xtcp_hystart_round(struct sock *sk, struct xtcp_cubic *ca)
{
	ca->last_round_min_rtt = ca->cur_round_min_rtt;
	ca->cur_round_min_rtt = U32_MAX;
	ca->rtt_samples = 0;
	ca->window_end = xtcp_ca_snd_nxt(sk);
}

/* The epoch and the curve start again (a loss, or a new connection). */
static void xtcp_cubic_reset(struct xtcp_cubic *ca)
{
	u8 done = ca->hystart_done;
	u32 wend = ca->window_end;

	memset(ca, 0, sizeof(*ca));
	ca->hystart_done = done;
	ca->window_end = wend;
	ca->last_round_min_rtt = U32_MAX;
	ca->cur_round_min_rtt = U32_MAX;
}

static void xtcp_cubic_init(struct sock *sk)
{
	struct xtcp_cubic *ca = xtcp_cubic_of(sk);

	xtcp_cubic_reset(ca);
	ca->hystart_done = 0;
	ca->window_end = xtcp_ca_snd_nxt(sk);
}

/* RFC 9438 4.2-4.5: how fast cwnd grows toward W_cubic one RTT ahead. */
static void xtcp_cubic_update(struct xtcp_cubic *ca, u32 cwnd, u32 acked)
{
	u32 now = jiffies, target, delta, max_cnt;
	u64 t;

	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (s32)(now - ca->last_time) <= HZ / 32)
		return;
	/* W_cubic moves at most once a jiffy. */
	if (ca->epoch_start && now == ca->last_time)
		goto reno_friendly;
	ca->last_cwnd = cwnd;
	ca->last_time = now;
	if (!ca->epoch_start) {
		ca->epoch_start = now ?: 1;
		ca->ack_cnt = acked;
		ca->tcp_cwnd = cwnd;
		if (ca->last_max_cwnd <= cwnd) {
			ca->k = 0;
			ca->origin = cwnd;
		} else {
			ca->k = xtcp_cubic_k(ca->last_max_cwnd, cwnd);
			ca->origin = ca->last_max_cwnd;
		}
	}
	/* t: since the epoch began, plus the RTT (the target is ahead). */
	t = div_u64((u64)(now - ca->epoch_start) << XTCP_CUBIC_HZ_SHIFT, HZ) +
	    div_u64((u64)ca->delay_min << XTCP_CUBIC_HZ_SHIFT, USEC_PER_SEC);
	target = xtcp_cubic_target(ca->origin, ca->k, t);
	ca->cnt = xtcp_cubic_cnt(cwnd, target);
	/* No W_max yet: at most 5% a round trip until one is known. */
	if (!ca->last_max_cwnd && ca->cnt > 20)
		ca->cnt = 20;

reno_friendly:
	/* RFC 9438 4.3: never slower than Reno's W_est. */
	delta = (cwnd * XTCP_CUBIC_FRIENDLY_SCALE) >> 3;
	while (delta && ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		max_cnt = cwnd / (ca->tcp_cwnd - cwnd);
		ca->cnt = min(ca->cnt, max_cnt);
	}
	/* RFC 9438 4.4: at most 1.5 times cwnd a round trip. */
	ca->cnt = max(ca->cnt, 2U);
}

/*
 * HyStart++ (RFC 9406 4.2) on an ACK in slow start: rounds, the RTT
 * rise that enters conservative slow start (CSS), the fall that leaves
 * it, and the end of CSS, which ends slow start.
 */
static void xtcp_hystart_ack(struct sock *sk, struct xtcp_cubic *ca, u32 ack)
{
	struct xtcp_cc *cc = xtcp_ca_cc(sk);
	bool enough = ca->rtt_samples >= XTCP_HYSTART_N_RTT_SAMPLE &&
		      ca->cur_round_min_rtt != U32_MAX;

	if (ca->hystart_done)
		return;
	if (!ca->css_rounds && enough && ca->last_round_min_rtt != U32_MAX &&
	    ca->cur_round_min_rtt >= ca->last_round_min_rtt +
	    xtcp_hystart_thresh(ca->last_round_min_rtt)) {
		ca->css_baseline = ca->cur_round_min_rtt;
		ca->css_rounds = 1;
	} else if (ca->css_rounds && enough &&
		   ca->cur_round_min_rtt < ca->css_baseline) {
		ca->css_rounds = 0;	/* the rise was spurious */
	}
	if (xtcp_seq_before(ack, ca->window_end))
		return;
	xtcp_hystart_round(sk, ca);
	if (ca->css_rounds && ++ca->css_rounds > XTCP_HYSTART_CSS_ROUNDS) {
		/* Slow start is over: congestion avoidance from here. */
		cc->ssthresh = cc->cwnd;
		ca->hystart_done = 1;
		ca->css_rounds = 0;
	}
}

static void xtcp_cubic_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_cubic *ca = xtcp_cubic_of(sk);
	struct xtcp_cc *cc = xtcp_ca_cc(sk);

	if (cc->cwnd < cc->ssthresh) {
		xtcp_hystart_ack(sk, ca, ack);
		if (cc->cwnd >= cc->ssthresh)
			goto avoid;
		if (ca->css_rounds) {
			/* RFC 9406 4.2: CSS grows a quarter as fast. */
			u32 grow;

			ca->css_acked += acked;
			grow = ca->css_acked / XTCP_HYSTART_CSS_GROWTH_DIVISOR;
			ca->css_acked -= grow * XTCP_HYSTART_CSS_GROWTH_DIVISOR;
			cc->cwnd = min_t(u32, cc->cwnd + grow, XTCP_CWND_CLAMP);
			return;
		}
		acked = xtcp_ca_slow_start(cc, acked);
		if (!acked)
			return;
	}
avoid:
	xtcp_cubic_update(ca, cc->cwnd, acked);
	xtcp_ca_cong_avoid_ai(cc, ca->cnt, acked);
}

/* RFC 9438 4.6, 4.7: the loss ends the epoch; W_max; 0.7 cwnd. */
static u32 xtcp_cubic_ssthresh_cb(struct sock *sk)
{
	struct xtcp_cubic *ca = xtcp_cubic_of(sk);
	u32 cwnd = xtcp_ca_cc(sk)->cwnd;

	ca->epoch_start = 0;
	ca->last_max_cwnd = xtcp_cubic_wmax(cwnd, ca->last_max_cwnd);
	ca->hystart_done = 1;	/* RFC 9406 4.2: a loss ends HyStart++ */
	ca->css_rounds = 0;
	return xtcp_cubic_ssthresh(cwnd);
}

static void xtcp_cubic_set_state(struct sock *sk, u8 state)
{
	if (state == XTCP_CA_LOSS)
		xtcp_cubic_reset(xtcp_cubic_of(sk));
}

/* Idle time does not count as growth time (Linux's cubictcp_cwnd_event). */
static void xtcp_cubic_cwnd_event(struct sock *sk, enum xtcp_ca_event ev)
{
	struct xtcp_cubic *ca = xtcp_cubic_of(sk);
	u32 now = jiffies;
	s32 delta;

	if (ev != XTCP_CA_EVENT_TX_START || !ca->epoch_start)
		return;
	delta = now - (u32)xtcp_ca_lsndtime(sk);
	if (delta > 0) {
		ca->epoch_start += delta;
		if ((s32)(ca->epoch_start - now) > 0)
			ca->epoch_start = now;
	}
}

static void xtcp_cubic_pkts_acked(struct sock *sk, u32 acked, s32 rtt_us)
{
	struct xtcp_cubic *ca = xtcp_cubic_of(sk);

	if (rtt_us <= 0)
		return;
	if (!ca->delay_min || (u32)rtt_us < ca->delay_min)
		ca->delay_min = rtt_us;
	if (!ca->hystart_done) {
		ca->cur_round_min_rtt = min_t(u32, ca->cur_round_min_rtt, rtt_us);
		ca->rtt_samples++;
	}
}

static struct xtcp_congestion_ops xtcp_cubic = {
	.init		= xtcp_cubic_init,
	.ssthresh	= xtcp_cubic_ssthresh_cb,
	.cong_avoid	= xtcp_cubic_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
	.set_state	= xtcp_cubic_set_state,
	.cwnd_event	= xtcp_cubic_cwnd_event,
	.pkts_acked	= xtcp_cubic_pkts_acked,
	.name		= "cubic",
};

int xtcp_cubic_register(void)
{
	return xtcp_register_congestion_control(&xtcp_cubic);
}

void xtcp_cubic_unregister(void)
{
	xtcp_unregister_congestion_control(&xtcp_cubic);
}
