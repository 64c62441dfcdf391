/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns xtcp counters, shown in /proc/net/xtcp_stat.
 */
#ifndef _XTCP_MIB_H
#define _XTCP_MIB_H

#include <net/snmp.h>

/* One counter per item; names in xtcp_mib_names[] must follow this order. */
enum xtcp_mib_item {
	XTCP_MIB_INSEGS,	/* segments handed to xtcp by IP */
	XTCP_MIB_INHDRERRS,	/* truncated header or bad data offset */
	XTCP_MIB_INCSUMERRS,	/* bad checksum */
	XTCP_MIB_NOSOCKDROPS,	/* valid segment, no socket to take it */
	XTCP_MIB_MAX
};

/**
 * struct xtcp_mib - per-cpu counter block
 * @mibs: one counter per &enum xtcp_mib_item
 */
struct xtcp_mib {
	unsigned long mibs[XTCP_MIB_MAX];
};

struct net;

void xtcp_mib_inc(struct net *net, enum xtcp_mib_item item);
int xtcp_mib_net_init(struct net *net);
void xtcp_mib_net_exit(struct net *net);

#endif /* _XTCP_MIB_H */
