// SPDX-License-Identifier: GPL-2.0
/*
 * tc program of xtcp_faults: drop, duplicate or corrupt chosen IPv4 or
 * IPv6 packets of one protocol (next header, without extension
 * headers), by their count alone (xtcp_faults.h).
 * Attached by xtcp_faults to a device's egress (or ingress) hook.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "xtcp_faults.h"

const volatile struct xtcp_faults_cfg cfg = {};
struct xtcp_faults_stats stats = {};

SEC("tc")
int xtcp_faults(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	__u32 action = 0, flags;
	__u8 octet;
	__u64 n;
	int i;

	if ((void *)(ip6 + 1) <= end && eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		if (ip6->nexthdr != cfg.proto)
			return TC_ACT_OK;
	} else if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
		   ip->protocol != cfg.proto) {
		return TC_ACT_OK;
	}
	if (skb->mark == XTCP_FAULT_MARK)
		return TC_ACT_OK;

	n = __sync_fetch_and_add(&stats.packets, 1) + 1;
	for (i = 0; i < XTCP_FAULT_RULES; i++) {
		struct xtcp_fault_rule r = cfg.rule[i];

		if (xtcp_fault_hits(&r, n)) {
			action = r.action;
			break;
		}
	}

	switch (action) {
	case XTCP_FAULT_DROP:
		__sync_fetch_and_add(&stats.dropped, 1);
		return TC_ACT_SHOT;
	case XTCP_FAULT_DUP:
		/* The copy goes out first, marked so that it is not counted. */
		skb->mark = XTCP_FAULT_MARK;
		flags = cfg.ingress ? BPF_F_INGRESS : 0;
		if (!bpf_clone_redirect(skb, skb->ifindex, flags))
			__sync_fetch_and_add(&stats.duplicated, 1);
		skb->mark = 0;
		return TC_ACT_OK;
	case XTCP_FAULT_CORRUPT:
		/* Any flipped bit breaks the transport checksum. */
		if (bpf_skb_load_bytes(skb, skb->len - 1, &octet, 1))
			return TC_ACT_OK;
		octet ^= 0x01;
		if (!bpf_skb_store_bytes(skb, skb->len - 1, &octet, 1, 0))
			__sync_fetch_and_add(&stats.corrupted, 1);
		return TC_ACT_OK;
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
