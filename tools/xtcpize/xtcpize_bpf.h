/* SPDX-License-Identifier: GPL-2.0 */
/* What xtcpize-bpf tells xtcpize.bpf.c, in its cfg map. */
#ifndef _XTCPIZE_BPF_H
#define _XTCPIZE_BPF_H

enum {
	XTCPIZE_SCOPE_CGROUP = 1,	/* the cgroup in the cgroup map */
	XTCPIZE_SCOPE_NETNS = 2,	/* tasks whose netns has netns_ino */
};

/**
 * struct xtcpize_cfg - one instance's settings
 * @proto: the protocol sockets get (253 or 254), 0: off
 * @scope: XTCPIZE_SCOPE_*
 * @netns_ino: the network namespace's inode, for XTCPIZE_SCOPE_NETNS
 * @converted: sockets made xtcp's so far
 */
struct xtcpize_cfg {
	__u32 proto;
	__u32 scope;
	__u32 netns_ino;
	__u32 converted;
};

#endif /* _XTCPIZE_BPF_H */
