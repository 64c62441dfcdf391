// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of congestion control algorithms (see xtcp_ca.h), each
 * socket's choice of one, and NewReno, built in.  The list is written
 * under xtcp_ca_lock and read under RCU, as tcp_cong.c keeps its own;
 * a socket holds a reference on the module of its algorithm.
 */
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_ca.h"

static DEFINE_SPINLOCK(xtcp_ca_lock);
static LIST_HEAD(xtcp_ca_list);

/* An algorithm by name; RCU or xtcp_ca_lock held. */
static struct xtcp_congestion_ops *xtcp_ca_find(const char *name)
{
	struct xtcp_congestion_ops *ca;

	list_for_each_entry_rcu(ca, &xtcp_ca_list, list,
				lockdep_is_held(&xtcp_ca_lock))
		if (!strcmp(ca->name, name))
			return ca;
	return NULL;
}

/**
 * xtcp_register_congestion_control() - add an algorithm
 * @ca: its callbacks and name; ssthresh, cong_avoid and undo_cwnd set
 *
 * Return: 0, -EINVAL for a table without the required callbacks, or
 * -EEXIST if the name is taken.
 */
int xtcp_register_congestion_control(struct xtcp_congestion_ops *ca)
{
	int err = 0;

	if (!ca->ssthresh || !ca->cong_avoid || !ca->undo_cwnd || !ca->name[0] ||
	    !memchr(ca->name, 0, sizeof(ca->name)))
		return -EINVAL;
	spin_lock_bh(&xtcp_ca_lock);
	if (xtcp_ca_find(ca->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ca->list, &xtcp_ca_list);
	spin_unlock_bh(&xtcp_ca_lock);
	return err;
}
EXPORT_SYMBOL_GPL(xtcp_register_congestion_control);

/**
 * xtcp_unregister_congestion_control() - remove an algorithm
 * @ca: as registered
 *
 * Sockets using it hold its module, so none is left when its module
 * goes; a namespace default naming it falls back to XTCP_CA_DEFAULT.
 */
void xtcp_unregister_congestion_control(struct xtcp_congestion_ops *ca)
{
	spin_lock_bh(&xtcp_ca_lock);
	list_del_rcu(&ca->list);
	spin_unlock_bh(&xtcp_ca_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(xtcp_unregister_congestion_control);

/* A reference on @ca, or false if its module is going away. */
static bool xtcp_ca_get(const struct xtcp_congestion_ops *ca)
{
	return !ca->owner || try_module_get(ca->owner);
}

static void xtcp_ca_put(const struct xtcp_congestion_ops *ca)
{
	if (ca && ca->owner)
		module_put(ca->owner);
}

/* The algorithm called @name, referenced; NULL if there is none. */
static const struct xtcp_congestion_ops *xtcp_ca_get_by_name(const char *name)
{
	const struct xtcp_congestion_ops *ca;

	rcu_read_lock();
	ca = xtcp_ca_find(name);
	if (ca && !xtcp_ca_get(ca))
		ca = NULL;
	rcu_read_unlock();
	return ca;
}

/**
 * xtcp_ca_assign() - give a new socket its algorithm
 * @sk: a new socket, or a listener's new child
 * @parent: the listener, or NULL
 *
 * A child keeps what TCP_CONGESTION set on its listener; any other
 * socket takes its namespace's default (tcp_assign_congestion_control()).
 */
void xtcp_ca_assign(struct sock *sk, const struct sock *parent)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_congestion_ops *ca = NULL;
	char name[XTCP_CA_NAME_MAX];

	xs->ca_initialized = 0;
	if (parent && xtcp_sk(parent)->ca_setsockopt &&
	    xtcp_ca_get(xtcp_sk(parent)->ca_ops)) {
		xs->ca_ops = xtcp_sk(parent)->ca_ops;
		xs->ca_setsockopt = 1;
		return;
	}
	xs->ca_setsockopt = 0;
	spin_lock_bh(&xtcp_ca_lock);
	strscpy(name, xtcp_sysctl(sock_net(sk))->ca_name, sizeof(name));
	spin_unlock_bh(&xtcp_ca_lock);
	ca = xtcp_ca_get_by_name(name);
	xs->ca_ops = ca ?: xtcp_ca_get_by_name(XTCP_CA_DEFAULT);
}

/**
 * xtcp_ca_init() - start the algorithm on an established connection
 * @sk: socket, locked, its congestion state fresh (xtcp_cc_init())
 */
void xtcp_ca_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_ops)
		return;
	xtcp_ca_release(sk);	/* a simultaneous open may have begun it */
	memset(xs->cc.priv, 0, sizeof(xs->cc.priv));
	if (xs->ca_ops->init)
		xs->ca_ops->init(sk);
	xs->ca_initialized = 1;
}

/**
 * xtcp_ca_release() - stop the algorithm (its release), keeping the
 *	choice: a disconnect, or a change of algorithm
 * @sk: socket
 */
void xtcp_ca_release(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_initialized && xs->ca_ops->release)
		xs->ca_ops->release(sk);
	xs->ca_initialized = 0;
}

/**
 * xtcp_ca_destroy() - the socket goes: release its algorithm
 * @sk: socket
 */
void xtcp_ca_destroy(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_ca_release(sk);
	xtcp_ca_put(xs->ca_ops);
	xs->ca_ops = NULL;
}

/**
 * xtcp_ca_set() - TCP_CONGESTION
 * @sk: socket, locked
 * @name: the algorithm's name
 *
 * An established connection changes algorithm at once, keeping cwnd
 * and ssthresh (tcp_reinit_congestion_control()).
 *
 * Return: 0, or -ENOENT if no algorithm has that name.
 */
int xtcp_ca_set(struct sock *sk, const char *name)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_congestion_ops *ca;

	/* NewReno is "reno", as in Linux; its own name is taken too. */
	ca = xtcp_ca_get_by_name(strcmp(name, "newreno") ? name : "reno");
	if (!ca)
		return -ENOENT;
	if (ca == xs->ca_ops) {		/* as it is: nothing starts again */
		xtcp_ca_put(ca);
		xs->ca_setsockopt = 1;
		return 0;
	}
	xtcp_ca_release(sk);
	xtcp_ca_put(xs->ca_ops);
	xs->ca_ops = ca;
	xs->ca_setsockopt = 1;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		xtcp_ca_init(sk);
	return 0;
}

/* The socket's algorithm's name. */
const char *xtcp_ca_name(const struct sock *sk)
{
	const struct xtcp_congestion_ops *ca = READ_ONCE(xtcp_sk(sk)->ca_ops);

	return ca ? ca->name : XTCP_CA_DEFAULT;
}

/* The sender enters @state (&enum xtcp_ca_state). */
void xtcp_ca_set_state(struct sock *sk, u8 state)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_initialized && xs->ca_ops->set_state)
		xs->ca_ops->set_state(sk, state);
	xs->cc.state = state;
}

void xtcp_ca_event(struct sock *sk, enum xtcp_ca_event ev)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_initialized && xs->ca_ops->cwnd_event)
		xs->ca_ops->cwnd_event(sk, ev);
}

/* The slow start threshold after a loss, as the algorithm sets it. */
u32 xtcp_ca_ssthresh(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_initialized)
		return xtcp_reno_ssthresh(sk);
	return xs->ca_ops->ssthresh(sk);
}

/* @acked segments acknowledged by @ack, outside fast recovery. */
void xtcp_ca_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ca_initialized)
		xtcp_reno_cong_avoid(sk, ack, acked);
	else
		xs->ca_ops->cong_avoid(sk, ack, acked);
}

/* @acked segments acknowledged, an RTT sample of @rtt_us (or -1). */
void xtcp_ca_pkts_acked(struct sock *sk, u32 acked, s32 rtt_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->ca_initialized && xs->ca_ops->pkts_acked)
		xs->ca_ops->pkts_acked(sk, acked, rtt_us);
}

/**
 * xtcp_ca_set_default() - net.xtcp.congestion_control written
 * @dflt: the namespace's default name, changed under xtcp_ca_lock
 * @name: the name written
 *
 * Return: 0, or -ENOENT if no algorithm has that name.
 */
int xtcp_ca_set_default(char *dflt, const char *name)
{
	int err = -ENOENT;

	spin_lock_bh(&xtcp_ca_lock);
	if (xtcp_ca_find(name)) {
		strscpy(dflt, name, XTCP_CA_NAME_MAX);
		err = 0;
	}
	spin_unlock_bh(&xtcp_ca_lock);
	return err;
}

/**
 * xtcp_ca_available() - the registered names, space-separated
 * @buf: where to write them
 * @len: its size
 *
 * Return: the length written.
 */
int xtcp_ca_available(char *buf, size_t len)
{
	const struct xtcp_congestion_ops *ca;
	size_t off = 0;

	*buf = 0;
	rcu_read_lock();
	list_for_each_entry_rcu(ca, &xtcp_ca_list, list)
		off += scnprintf(buf + off, len - off, "%s%s", off ? " " : "",
				 ca->name);
	rcu_read_unlock();
	return off;
}

/* --- What an algorithm sees of its socket --- */

/** xtcp_ca_cc() - the congestion state of @sk */
struct xtcp_cc *xtcp_ca_cc(struct sock *sk)
{
	return &xtcp_sk(sk)->cc;
}
EXPORT_SYMBOL_GPL(xtcp_ca_cc);

/** xtcp_ca_priv() - the algorithm's private area of @sk (104 octets) */
void *xtcp_ca_priv(struct sock *sk)
{
	return xtcp_sk(sk)->cc.priv;
}
EXPORT_SYMBOL_GPL(xtcp_ca_priv);

/** xtcp_ca_flight() - segments sent and not yet acknowledged (FlightSize) */
u32 xtcp_ca_flight(const struct sock *sk)
{
	return xtcp_sk(sk)->score.packets_out;
}
EXPORT_SYMBOL_GPL(xtcp_ca_flight);

/** xtcp_ca_snd_nxt() - SND.NXT of @sk */
u32 xtcp_ca_snd_nxt(const struct sock *sk)
{
	return xtcp_sk(sk)->snd_nxt;
}
EXPORT_SYMBOL_GPL(xtcp_ca_snd_nxt);

/** xtcp_ca_srtt_us() - the smoothed RTT of @sk in microseconds, 0 if none */
u32 xtcp_ca_srtt_us(const struct sock *sk)
{
	return xtcp_sk(sk)->rtt.srtt_us >> 3;
}
EXPORT_SYMBOL_GPL(xtcp_ca_srtt_us);

/** xtcp_ca_lsndtime() - jiffies when @sk last sent data */
unsigned long xtcp_ca_lsndtime(const struct sock *sk)
{
	return xtcp_sk(sk)->lsndtime;
}
EXPORT_SYMBOL_GPL(xtcp_ca_lsndtime);

/**
 * xtcp_ca_slow_start() - RFC 5681 3.1 slow start, as Linux's (one more
 *	segment per segment acknowledged, up to ssthresh)
 * @cc: congestion state
 * @acked: segments newly acknowledged
 *
 * Return: the segments left over once cwnd reached ssthresh, for
 * congestion avoidance.
 */
u32 xtcp_ca_slow_start(struct xtcp_cc *cc, u32 acked)
{
	u32 cwnd = min(cc->cwnd + acked, cc->ssthresh);

	acked -= cwnd - cc->cwnd;
	cc->cwnd = min_t(u32, cwnd, XTCP_CWND_CLAMP);
	return acked;
}
EXPORT_SYMBOL_GPL(xtcp_ca_slow_start);

/**
 * xtcp_ca_cong_avoid_ai() - one segment more per @w acknowledged
 * @cc: congestion state
 * @w: segments to acknowledge for one more
 * @acked: segments newly acknowledged
 */
void xtcp_ca_cong_avoid_ai(struct xtcp_cc *cc, u32 w, u32 acked)
{
	w = max(w, 1U);
	if (cc->cnt >= w) {
		cc->cnt = 0;
		cc->cwnd++;
	}
	cc->cnt += acked;
	if (cc->cnt >= w) {
		u32 delta = cc->cnt / w;

		cc->cnt -= delta * w;
		cc->cwnd += delta;
	}
	cc->cwnd = min_t(u32, cc->cwnd, XTCP_CWND_CLAMP);
}
EXPORT_SYMBOL_GPL(xtcp_ca_cong_avoid_ai);

/* --- NewReno --- */

/** xtcp_reno_ssthresh() - RFC 5681 (4): half the flight, at least 2 */
u32 xtcp_reno_ssthresh(struct sock *sk)
{
	return xtcp_cc_ssthresh(xtcp_ca_flight(sk));
}
EXPORT_SYMBOL_GPL(xtcp_reno_ssthresh);

/** xtcp_reno_cong_avoid() - RFC 5681 3.1: slow start, then one a window */
void xtcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	xtcp_cc_on_ack(xtcp_ca_cc(sk), acked);
}
EXPORT_SYMBOL_GPL(xtcp_reno_cong_avoid);

/** xtcp_reno_undo_cwnd() - back to the cwnd before the reduction */
u32 xtcp_reno_undo_cwnd(struct sock *sk)
{
	struct xtcp_cc *cc = xtcp_ca_cc(sk);

	return max(cc->cwnd, cc->prior_cwnd);
}
EXPORT_SYMBOL_GPL(xtcp_reno_undo_cwnd);

static struct xtcp_congestion_ops xtcp_newreno = {
	.ssthresh	= xtcp_reno_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
	.name		= "reno",
};

int xtcp_ca_module_init(void)
{
	int err = xtcp_register_congestion_control(&xtcp_newreno);

	if (err)
		return err;
	err = xtcp_cubic_register();
	if (err)
		xtcp_unregister_congestion_control(&xtcp_newreno);
	return err;
}

void xtcp_ca_module_exit(void)
{
	xtcp_cubic_unregister();
	xtcp_unregister_congestion_control(&xtcp_newreno);
}
