// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp and /proc/net/xtcp6: one line per AF_INET (AF_INET6)
 * socket of the namespace, minisocks included, in the format of
 * /proc/net/tcp (tcp6): listeners with their request minisocks,
 * connections, then time-wait minisocks, one hash bucket at a time as
 * tcp_seq_start() walks them: a table of any size is read in pieces,
 * never rendered whole under one RCU read section.  As Linux
 * does, a time-wait minisock shows its substate, so an orphan waiting
 * for the peer's FIN reads FIN_WAIT2 (05).
 *
 * Timer codes (tr): 0 none, 1 retransmission, 3 time-wait.
 *
 * /proc/net/xtcp_sockstat: the line /proc/net/sockstat has for TCP,
 * "XTCP: inuse N orphan N tw N alloc N mem N": AF_INET sockets and
 * time-wait minisocks of the namespace; orphans, sockets allocated and
 * pages of memory (net.xtcp.mem) of all namespaces, as TCP's line
 * counts them.  Then "XTCP6: inuse N", AF_INET6 sockets, as
 * /proc/net/sockstat6 has "TCP6: inuse N".
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "xtcp.h"
#include "xtcp_mem.h"
#include "xtcp_reqsk.h"
#include "xtcp_tw.h"
#include "xtcp_timer.h"

static void xtcp_proc_header(struct seq_file *f, int family)
{
	if (family == AF_INET6)
		seq_puts(f, "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	else
		seq_puts(f, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
}

/**
 * struct xtcp_proc_ends - the addresses of one line
 * @src: local address (/proc/net/xtcp)
 * @dst: remote address
 * @src6: local address (/proc/net/xtcp6)
 * @dst6: remote address
 * @sp: local port
 * @dp: remote port
 */
struct xtcp_proc_ends {
	__be32			src;
	__be32			dst;
	const struct in6_addr	*src6;
	const struct in6_addr	*dst6;
	__be16			sp;
	__be16			dp;
};

/* The format of /proc/net/tcp6: each address as four 32-bit words. */
static void xtcp_proc_addr6(struct seq_file *f, const struct in6_addr *a,
			    __be16 port)
{
	seq_printf(f, "%08X%08X%08X%08X:%04X", a->s6_addr32[0],
		   a->s6_addr32[1], a->s6_addr32[2], a->s6_addr32[3],
		   ntohs(port));
}

static void xtcp_proc_line(struct seq_file *f, int *i,
			   const struct xtcp_proc_ends *e, int st, u32 txq,
			   u32 rxq, int tr, long when, int retr, uid_t uid,
			   unsigned long ino)
{
	if (e->src6) {
		seq_printf(f, "%4d: ", (*i)++);
		xtcp_proc_addr6(f, e->src6, e->sp);
		seq_putc(f, ' ');
		xtcp_proc_addr6(f, e->dst6, e->dp);
	} else {
		seq_printf(f, "%4d: %08X:%04X %08X:%04X", (*i)++,
			   (__force u32)e->src, ntohs(e->sp),
			   (__force u32)e->dst, ntohs(e->dp));
	}
	seq_printf(f, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu",
		   st, txq, rxq, tr,
		   (unsigned long)jiffies_delta_to_clock_t(when), retr, uid, 0,
		   ino);
}

static void xtcp_proc_sock(struct seq_file *f, int *i, struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int state = inet_sk_state_load(sk);
	bool rtx = timer_pending(&xs->rtx_timer);
	u32 txq, rxq;

	if (state == TCP_LISTEN) {
		txq = READ_ONCE(sk->sk_max_ack_backlog);
		rxq = READ_ONCE(sk->sk_ack_backlog);
	} else {
		txq = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		rxq = max_t(int, READ_ONCE(xs->rcv_nxt) -
			    READ_ONCE(xs->copied_seq), 0);
	}
	struct xtcp_proc_ends e = {
		.src = sk->sk_rcv_saddr,
		.dst = sk->sk_daddr,
		.sp = inet_sk(sk)->inet_sport,
		.dp = sk->sk_dport,
	};

	if (sk->sk_family == AF_INET6) {
		e.src6 = &sk->sk_v6_rcv_saddr;
		e.dst6 = &sk->sk_v6_daddr;
	}
	xtcp_proc_line(f, i, &e, state, txq, rxq,
		       rtx ? 1 : 0,
		       rtx ? xs->rtx_timer.expires - jiffies : 0,
		       READ_ONCE(xs->retries),
		       from_kuid_munged(seq_user_ns(f), sock_i_uid(sk)),
		       sock_i_ino(sk));
	/* As /proc/net/tcp: refs, address, rto, ato, quick, cwnd, ssthresh. */
	seq_printf(f, " %d %pK %lu %lu %u %u %d\n", refcount_read(&sk->sk_refcnt),
		   sk, jiffies_to_clock_t(READ_ONCE(xs->rto)),
		   jiffies_to_clock_t(XTCP_DELACK),
		   (READ_ONCE(xs->quick) << 1) | xs->pingpong,
		   READ_ONCE(xs->cc.cwnd),
		   READ_ONCE(xs->cc.ssthresh) >= XTCP_INFINITE_SSTHRESH ? -1 :
		   (int)READ_ONCE(xs->cc.ssthresh));
}

/* A listener's request minisocks, if its queue can be read right now. */
static void xtcp_proc_requests(struct seq_file *f, int *i, struct sock *sk)
{
	struct xtcp_request_sock *req;
	struct in6_addr l6, r6;
	struct xtcp_proc_ends e;

	spin_lock_bh(&sk->sk_lock.slock);
	if (!sock_owned_by_user(sk) && xtcp_sk(sk)->listen) {
		list_for_each_entry(req, &xtcp_sk(sk)->listen->syn_queue, node) {
			e = (struct xtcp_proc_ends) {
				.src = req->laddr, .dst = req->raddr,
				.sp = req->lport, .dp = req->rport,
			};
			if (sk->sk_family == AF_INET6) {
				/* An IPv4 SYN to an AF_INET6 listener: v4-mapped. */
				l6 = req->laddr6;
				r6 = req->raddr6;
				if (req->family == AF_INET) {
					ipv6_addr_set_v4mapped(req->laddr, &l6);
					ipv6_addr_set_v4mapped(req->raddr, &r6);
				}
				e.src6 = &l6;
				e.dst6 = &r6;
			}
			xtcp_proc_line(f, i, &e, TCP_SYN_RECV,
				       0, 0, 1, req->timer.expires - jiffies,
				       req->retries, 0, 0);
			seq_printf(f, " %d %pK\n",
				   refcount_read(&req->refcnt), req);
		}
	}
	spin_unlock_bh(&sk->sk_lock.slock);
}

/* The tables /proc/net/xtcp walks, in the order it shows them. */
enum xtcp_iter_table {
	XTCP_ITER_LISTEN,	/* listeners, each with its request minisocks */
	XTCP_ITER_EST,		/* connections */
	XTCP_ITER_TW,		/* time-wait minisocks */
	XTCP_ITER_END,
};

/**
 * struct xtcp_iter - where a read of /proc/net/xtcp stands
 * @p: the namespace, for seq_file_net()
 * @family: AF_INET (/proc/net/xtcp) or AF_INET6 (/proc/net/xtcp6): the
 *	family of the sockets shown
 * @table: the table of the current entry, &enum xtcp_iter_table
 * @bucket: its bucket
 * @offset: its place in the bucket
 * @num: its line number ("sl"); a listener's request minisocks share it
 * @last_pos: the position the entry is at, so that the next read()
 *	resumes there instead of walking from the start
 */
struct xtcp_iter {
	struct seq_net_private	p;
	int			family;
	int			table;
	int			bucket;
	int			offset;
	int			num;
	loff_t			last_pos;
};

static struct hlist_head *xtcp_iter_head(struct xtcp_net *xn, int table,
					 int bucket)
{
	switch (table) {
	case XTCP_ITER_LISTEN:
		return &xn->lhash[bucket];
	case XTCP_ITER_EST:
		return &xn->ehash[bucket];
	default:
		return &xn->twhash[bucket];
	}
}

/* The address family of the socket or minisock of @n. */
static int xtcp_iter_family(int table, struct hlist_node *n)
{
	if (table == XTCP_ITER_TW)
		return hlist_entry(n, struct xtcp_tw_sock, node)->family;
	return hlist_entry(n, struct sock, sk_node)->sk_family;
}

/*
 * The entry at @st's place or, if its bucket has fewer entries now, the
 * first one after it; NULL past the last table.  Under rcu_read_lock():
 * one bucket at a time, so a read() never walks more than it shows.
 */
static struct hlist_node *xtcp_iter_find(struct seq_file *f)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_net(f));
	struct xtcp_iter *st = f->private;

	for (; st->table < XTCP_ITER_END; st->table++, st->bucket = 0) {
		for (; st->bucket < ARRAY_SIZE(xn->ehash);
		     st->bucket++, st->offset = 0) {
			struct hlist_head *h = xtcp_iter_head(xn, st->table,
							     st->bucket);
			struct hlist_node *n;
			int i = 0;

			for (n = rcu_dereference(hlist_first_rcu(h)); n;
			     n = rcu_dereference(hlist_next_rcu(n))) {
				if (xtcp_iter_family(st->table, n) != st->family)
					continue;
				if (i++ == st->offset)
					return n;
			}
		}
	}
	return NULL;
}

/* Back to the first entry of the first table. */
static void *xtcp_iter_rewind(struct seq_file *f)
{
	struct xtcp_iter *st = f->private;

	st->table = 0;
	st->bucket = 0;
	st->offset = 0;
	st->num = 0;
	return xtcp_iter_find(f);
}

static void *xtcp_iter_next_entry(struct seq_file *f)
{
	struct xtcp_iter *st = f->private;

	st->offset++;
	st->num++;
	return xtcp_iter_find(f);
}

/* Position 0 is the header; position N the entry N - 1. */
static void *xtcp_seq_start(struct seq_file *f, loff_t *pos)
	__acquires(RCU)
{
	struct xtcp_iter *st = f->private;
	void *v;
	loff_t i;

	rcu_read_lock();
	st->family = (uintptr_t)pde_data(file_inode(f->file));
	if (!*pos)
		return SEQ_START_TOKEN;
	if (*pos == st->last_pos)
		return xtcp_iter_find(f);
	v = xtcp_iter_rewind(f);
	for (i = 1; v && i < *pos; i++)
		v = xtcp_iter_next_entry(f);
	st->last_pos = *pos;
	return v;
}

static void *xtcp_seq_next(struct seq_file *f, void *v, loff_t *pos)
{
	struct xtcp_iter *st = f->private;

	++*pos;
	st->last_pos = *pos;
	if (v != SEQ_START_TOKEN)
		return xtcp_iter_next_entry(f);
	return xtcp_iter_rewind(f);
}

static void xtcp_seq_stop(struct seq_file *f, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int xtcp_seq_show(struct seq_file *f, void *v)
{
	struct xtcp_iter *st = f->private;
	struct xtcp_proc_ends e;
	struct xtcp_tw_sock *tw;
	int i = st->num;
	struct sock *sk;

	if (v == SEQ_START_TOKEN) {
		xtcp_proc_header(f, st->family);
		return 0;
	}
	switch (st->table) {
	case XTCP_ITER_LISTEN:
		sk = hlist_entry(v, struct sock, sk_node);
		xtcp_proc_sock(f, &i, sk);
		i = st->num;
		xtcp_proc_requests(f, &i, sk);
		break;
	case XTCP_ITER_EST:
		xtcp_proc_sock(f, &i, hlist_entry(v, struct sock, sk_node));
		break;
	default:
		tw = hlist_entry(v, struct xtcp_tw_sock, node);
		e = (struct xtcp_proc_ends) {
			.src = tw->saddr, .dst = tw->daddr,
			.sp = tw->sport, .dp = tw->dport,
		};
		if (tw->family == AF_INET6) {
			e.src6 = &tw->v6_saddr;
			e.dst6 = &tw->v6_daddr;
		}
		xtcp_proc_line(f, &i, &e, READ_ONCE(tw->substate), 0, 0,
			       3, tw->timer.expires - jiffies, 0, 0, 0);
		seq_printf(f, " %d %pK\n", refcount_read(&tw->refcnt), tw);
	}
	return 0;
}

static const struct seq_operations xtcp_seq_ops = {
	.start	= xtcp_seq_start,
	.next	= xtcp_seq_next,
	.stop	= xtcp_seq_stop,
	.show	= xtcp_seq_show,
};

static int xtcp_sockstat_show(struct seq_file *f, void *v)
{
	struct net *net = seq_file_single_net(f);

	seq_printf(f, "XTCP: inuse %d orphan %d tw %d alloc %lld mem %ld\n",
		   sock_prot_inuse_get(net, &xtcp_prot), xtcp_orphans(),
		   atomic_read(&xtcp_pernet(net)->tw_count),
		   percpu_counter_sum_positive(&xtcp_sockets_allocated),
		   xtcp_memory_pages());
	/* As /proc/net/sockstat6's "TCP6: inuse N". */
	if (xtcp_v6_enabled())
		seq_printf(f, "XTCP6: inuse %d\n",
			   sock_prot_inuse_get(net, &xtcpv6_prot));
	return 0;
}

int xtcp_proc_net_init(struct net *net)
{
	if (!proc_create_net_data("xtcp", 0444, net->proc_net, &xtcp_seq_ops,
				  sizeof(struct xtcp_iter), (void *)AF_INET))
		return -ENOMEM;
	if (xtcp_v6_enabled() &&
	    !proc_create_net_data("xtcp6", 0444, net->proc_net, &xtcp_seq_ops,
				  sizeof(struct xtcp_iter), (void *)AF_INET6))
		goto out;
	if (!proc_create_net_single("xtcp_sockstat", 0444, net->proc_net,
				    xtcp_sockstat_show, NULL))
		goto out6;
	return 0;
out6:
	if (xtcp_v6_enabled())
		remove_proc_entry("xtcp6", net->proc_net);
out:
	remove_proc_entry("xtcp", net->proc_net);
	return -ENOMEM;
}

void xtcp_proc_net_exit(struct net *net)
{
	remove_proc_entry("xtcp_sockstat", net->proc_net);
	/* Absent with IPv6 disabled: removing it would warn. */
	if (xtcp_v6_enabled())
		remove_proc_entry("xtcp6", net->proc_net);
	remove_proc_entry("xtcp", net->proc_net);
}
