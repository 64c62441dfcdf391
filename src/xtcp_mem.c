// SPDX-License-Identifier: GPL-2.0
/*
 * Memory of all xtcp sockets together, accounted as TCP accounts it
 * (tcp_mem): each queued skb is charged to its socket's forward
 * allocation, whose pages the core takes from xtcp_memory_allocated and
 * from the socket's memory cgroup (sk_wmem_schedule, sk_rmem_schedule).
 * Above net.xtcp.mem[1] pages the protocol is under pressure: windows
 * stop growing and send buffers shrink; above mem[2] no socket gets
 * more, except its first rmem[0] / wmem[0] octets.  The limits are sized
 * as SCTP sizes sctp_mem, and like SCTP's they are global, in the
 * initial namespace only.
 *
 * Orphans (closed sockets still sending) are limited as TCP limits them:
 * beyond net.xtcp.max_orphans, or when memory is exhausted, a closing
 * socket is reset instead of being left to finish (tcp_check_oom()).
 *
 * Two control skbs per socket, its SYN and its FIN, must be sent
 * whatever the pressure: when no memory can be had they are queued
 * uncharged (counted in sk_wmem_queued only), as TCP forces them in with
 * sk_forced_mem_schedule().  A module cannot charge a memory cgroup by
 * itself, so the receive side forces only a socket outside one.
 */
#include <linux/mm.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_compat.h"
#include "xtcp_mem.h"

atomic_long_t xtcp_memory_allocated ____cacheline_aligned_in_smp;
DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
struct percpu_counter xtcp_sockets_allocated;
DEFINE_PER_CPU(unsigned int, xtcp_orphan_count);
unsigned long xtcp_memory_pressure;
long xtcp_sysctl_mem[3];
int xtcp_sysctl_rmem[3];
int xtcp_sysctl_wmem[3];
static int xtcp_max_orphans;
static struct ctl_table_header *xtcp_mem_hdr;

static int xtcp_one = 1;

static struct ctl_table xtcp_mem_table[] = {
	{
		.procname	= "mem",
		.data		= &xtcp_sysctl_mem,
		.maxlen		= sizeof(xtcp_sysctl_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	{
		.procname	= "rmem",
		.data		= &xtcp_sysctl_rmem,
		.maxlen		= sizeof(xtcp_sysctl_rmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &xtcp_one,
	},
	{
		.procname	= "wmem",
		.data		= &xtcp_sysctl_wmem,
		.maxlen		= sizeof(xtcp_sysctl_wmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &xtcp_one,
	},
	{
		.procname	= "max_orphans",
		.data		= &xtcp_max_orphans,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec,
	},
	{ }
};

/* Sized as sctp_init() sizes sctp_mem, sctp_rmem and sctp_wmem. */
static void xtcp_mem_size(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 8, 128UL);
	int max_share;

	xtcp_sysctl_mem[0] = limit / 4 * 3;
	xtcp_sysctl_mem[1] = limit;
	xtcp_sysctl_mem[2] = xtcp_sysctl_mem[0] * 2;
	max_share = min(4UL * 1024 * 1024,
			(unsigned long)xtcp_sysctl_mem[1] << (PAGE_SHIFT - 7));
	/*
	 * The defaults are the buffers sockets had before accounting (the
	 * core's net.core.[rw]mem_default), so windows stay as they were.
	 */
	xtcp_sysctl_rmem[0] = PAGE_SIZE;
	xtcp_sysctl_rmem[1] = 212992;
	xtcp_sysctl_rmem[2] = max(xtcp_sysctl_rmem[1], max_share);
	xtcp_sysctl_wmem[0] = PAGE_SIZE;
	xtcp_sysctl_wmem[1] = 212992;
	xtcp_sysctl_wmem[2] = max(xtcp_sysctl_wmem[1], max_share);
	/* As tcp_init(): half a hash entry per 128 KB of memory. */
	xtcp_max_orphans = max_t(unsigned long,
				 (totalram_pages() >> (17 - PAGE_SHIFT)) / 2,
				 128);
}

int xtcp_mem_init(void)
{
	xtcp_mem_size();
	return percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
}

void xtcp_mem_exit(void)
{
	percpu_counter_destroy(&xtcp_sockets_allocated);
}

int xtcp_mem_sysctl_init(void)
{
	xtcp_mem_hdr = xtcp_register_net_sysctl(&init_net, "net/xtcp",
						xtcp_mem_table,
						ARRAY_SIZE(xtcp_mem_table) - 1);
	return xtcp_mem_hdr ? 0 : -ENOMEM;
}

void xtcp_mem_sysctl_exit(void)
{
	unregister_net_sysctl_table(xtcp_mem_hdr);
}

/* proto.enter_memory_pressure, as tcp_enter_memory_pressure(). */
void xtcp_enter_memory_pressure(struct sock *sk)
{
	unsigned long val;

	if (READ_ONCE(xtcp_memory_pressure))
		return;
	val = jiffies ?: 1;
	if (!cmpxchg(&xtcp_memory_pressure, 0, val))
		xtcp_mib_inc(sock_net(sk), XTCP_MIB_MEMORYPRESSURES);
}

/* proto.leave_memory_pressure. */
void xtcp_leave_memory_pressure(struct sock *sk)
{
	unsigned long val = READ_ONCE(xtcp_memory_pressure);

	if (val && cmpxchg(&xtcp_memory_pressure, val, 0) == val)
		xtcp_mib_add(sock_net(sk), XTCP_MIB_MEMORYPRESSURESCHRONO,
			     jiffies_to_msecs(jiffies - val));
}

/*
 * Pages all xtcp sockets hold: what was flushed to the protocol's
 * counter plus what each CPU still caches, which the core's own checks
 * leave out (up to net.core.mem_pcpu_rsv pages per CPU).
 */
long xtcp_memory_pages(void)
{
	long pages = atomic_long_read(&xtcp_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		pages += per_cpu(xtcp_memory_per_cpu_fw_alloc, cpu);
	return max(pages, 0L);
}

/* Orphans of all namespaces. */
int xtcp_orphans(void)
{
	int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += per_cpu(xtcp_orphan_count, cpu);
	return max(n, 0);
}

/* Orphan @sk (sock_orphan()) and count it, until xtcp_orphan_freed(). */
void xtcp_orphan(struct sock *sk)
{
	sock_orphan(sk);
	this_cpu_inc(xtcp_orphan_count);
}

/* An orphan is being freed. */
void xtcp_orphan_freed(void)
{
	this_cpu_dec(xtcp_orphan_count);
}

/**
 * xtcp_check_oom() - should an orphan be reset rather than kept?
 * @sk: an orphaned socket
 * @shift: how much more the orphans weigh, for one that has been
 *	retrying long (its backoff)
 *
 * As tcp_check_oom(): too many orphans, or protocol memory above its
 * hard limit while @sk holds more than a minimal send buffer.
 *
 * Return: true if @sk should be reset.
 */
bool xtcp_check_oom(struct sock *sk, int shift)
{
	bool too_many = (u64)xtcp_orphans() << shift >
			(u64)READ_ONCE(xtcp_max_orphans);
	bool oom = sk->sk_wmem_queued > SOCK_MIN_SNDBUF &&
		   sk_memory_allocated(sk) > sk_prot_mem_limits(sk, 2);

	if (too_many)
		net_info_ratelimited("xtcp: too many orphaned sockets\n");
	if (oom)
		net_info_ratelimited("xtcp: out of memory -- consider tuning net.xtcp.mem\n");
	return too_many || oom;
}

/**
 * xtcp_wmem_charge() - charge @skb, about to be queued for sending
 * @sk: socket, locked
 * @skb: a new segment for the write or retransmission queue
 * @force: a SYN or FIN, queued uncharged if no memory can be had
 *
 * Return: false if @skb must not be queued: memory is short, the
 * protocol is now under pressure and @sk's send buffer was shrunk
 * (as tcp_stream_alloc_skb() does); the writer waits for room.
 */
bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb, bool force)
{
	XTCP_SKB_CB(skb)->uncharged = 0;
	if (sk_wmem_schedule(sk, skb->truesize)) {
		sk_mem_charge(sk, skb->truesize);
	} else if (force) {
		XTCP_SKB_CB(skb)->uncharged = 1;
	} else {
		sk->sk_prot->enter_memory_pressure(sk);
		sk_stream_moderate_sndbuf(sk);
		return false;
	}
	sk_wmem_queued_add(sk, skb->truesize);
	return true;
}

/* Free @skb, taken off the write or retransmission queue. */
void xtcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	if (!XTCP_SKB_CB(skb)->uncharged)
		sk_mem_uncharge(sk, skb->truesize);
	kfree_skb(skb);
}

/**
 * xtcp_rmem_force() - charge @size octets to @sk whatever the limits
 * @sk: socket, locked, whose receive queue is empty
 * @size: truesize of the segment it must take to make progress
 *
 * As sk_forced_mem_schedule(); not for a socket in a memory cgroup,
 * which a module cannot charge without its limits.
 *
 * Return: true if charged.
 */
bool xtcp_rmem_force(struct sock *sk, int size)
{
	int delta = size - sk->sk_forward_alloc, amt;

	if (delta <= 0)
		return true;
	if (mem_cgroup_sockets_enabled && sk->sk_memcg)
		return false;
	amt = sk_mem_pages(delta);
	sk_forward_alloc_add(sk, amt << PAGE_SHIFT);
	/* Not sk_memory_allocated_add(): 6.1 does not export its reserve. */
	atomic_long_add(amt, &xtcp_memory_allocated);
	return true;
}
