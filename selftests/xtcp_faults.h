/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministic faults on a link: what xtcp_faults (the loader) and
 * xtcp_faults.bpf.c (the tc program) share.  The program counts the
 * IPv4 packets of one protocol that pass its hook, 1, 2, 3, ..., and a
 * rule decides the fate of packet n from n alone, so one case meets the
 * same faults on every run.
 */
#ifndef _XTCP_FAULTS_H
#define _XTCP_FAULTS_H

#include <linux/types.h>

#define XTCP_FAULT_RULES	8
/* skb->mark of the copy a dup rule makes, so the hook lets it pass. */
#define XTCP_FAULT_MARK		0x58464c54	/* "XFLT" */

enum xtcp_fault_action {
	XTCP_FAULT_DROP = 1,	/* the packet is not sent */
	XTCP_FAULT_DUP,		/* the packet is sent twice */
	XTCP_FAULT_CORRUPT,	/* its last octet is flipped, checksum kept */
};

/**
 * struct xtcp_fault_rule - packets @first, @first + @every, ... (@count of them)
 * @action: an enum xtcp_fault_action; 0 ends the list
 * @first: the first packet the rule hits, counted from 1
 * @every: the distance to the next one; 0 hits @first alone
 * @count: how many it hits; 0 has no end
 */
struct xtcp_fault_rule {
	__u32 action;
	__u32 first;
	__u32 every;
	__u32 count;
};

/**
 * struct xtcp_faults_cfg - the program's constants, set before load
 * @proto: IP protocol counted and hit (253 for xtcp, 6 for TCP)
 * @ingress: attached to the ingress hook (copies are received again)
 * @rule: the rules, the first that hits a packet decides
 */
struct xtcp_faults_cfg {
	__u32 proto;
	__u32 ingress;
	struct xtcp_fault_rule rule[XTCP_FAULT_RULES];
};

/**
 * struct xtcp_faults_stats - what the program did (its .bss)
 * @packets: packets of @proto seen, copies excluded
 * @dropped: packets dropped
 * @duplicated: packets sent twice
 * @corrupted: packets corrupted
 */
struct xtcp_faults_stats {
	__u64 packets;
	__u64 dropped;
	__u64 duplicated;
	__u64 corrupted;
};

/* Does @r hit packet @n? */
static inline int xtcp_fault_hits(const struct xtcp_fault_rule *r, __u64 n)
{
	__u64 k;

	if (!r->action || n < r->first)
		return 0;
	if (!r->every)
		return n == r->first;
	if ((n - r->first) % r->every)
		return 0;
	k = (n - r->first) / r->every;
	return !r->count || k < r->count;
}

#endif /* _XTCP_FAULTS_H */
