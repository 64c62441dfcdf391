/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive memory: what a socket's receive and out-of-order queues may
 * hold, and how room is made when a peer fills them.
 */
#ifndef _XTCP_RCVMEM_H
#define _XTCP_RCVMEM_H

#include <linux/types.h>

struct sock;
struct sk_buff;

bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb, bool in_order);

#endif /* _XTCP_RCVMEM_H */
