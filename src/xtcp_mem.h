/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory of all xtcp sockets together (net.xtcp.mem, rmem, wmem), the
 * orphan limit, and the charging of send queues.
 */
#ifndef _XTCP_MEM_H
#define _XTCP_MEM_H

#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/types.h>

#include "xtcp_compat.h"

struct sock;
struct sk_buff;

extern atomic_long_t xtcp_memory_allocated;
DECLARE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
extern struct percpu_counter xtcp_sockets_allocated;
DECLARE_PER_CPU(unsigned int, xtcp_orphan_count);
extern unsigned long xtcp_memory_pressure;
extern long xtcp_sysctl_mem[3];
extern int xtcp_sysctl_rmem[3];
extern int xtcp_sysctl_wmem[3];

int xtcp_mem_init(void);
void xtcp_mem_exit(void);
int xtcp_mem_sysctl_init(void);
void xtcp_mem_sysctl_exit(void);

void xtcp_enter_memory_pressure(struct sock *sk);
void xtcp_leave_memory_pressure(struct sock *sk);
long xtcp_memory_pages(void);
int xtcp_orphans(void);
void xtcp_orphan(struct sock *sk);
void xtcp_orphan_freed(void);
bool xtcp_check_oom(struct sock *sk, int shift);

bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb, bool force);
void xtcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb);
bool xtcp_rmem_force(struct sock *sk, int size);

#endif /* _XTCP_MEM_H */
