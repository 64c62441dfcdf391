// SPDX-License-Identifier: GPL-2.0
/*
 * xtcpize --bpf: an fmod_ret program on update_socket_protocol(), the
 * hook MPTCP's mptcpify uses (Linux 6.6), that makes stream sockets of
 * AF_INET and AF_INET6 with protocol 0 or IPPROTO_TCP xtcp's, for the
 * tasks of one cgroup (and its descendants) or of one network namespace.
 * It reaches what LD_PRELOAD cannot: static binaries, Go.
 *
 * Loaded and configured by xtcpize-bpf (xtcpize_bpf.c): cfg[0] holds the
 * protocol and the scope, cgroup[0] the cgroup.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "xtcpize_bpf.h"

#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_TYPE_MASK	0xf
#define IPPROTO_TCP	6

/* Only what is read, found in the running kernel's BTF (CO-RE). */
struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct nsproxy {
	struct net *net_ns;
} __attribute__((preserve_access_index));

struct task_struct {
	struct nsproxy *nsproxy;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xtcpize_cfg);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup SEC(".maps");

/* Is the calling task in the scope this instance was given? */
static int in_scope(const struct xtcpize_cfg *c)
{
	struct task_struct *task;

	if (c->scope == XTCPIZE_SCOPE_CGROUP)
		return bpf_current_task_under_cgroup(&cgroup, 0) == 1;
	if (c->scope == XTCPIZE_SCOPE_NETNS) {
		task = (struct task_struct *)bpf_get_current_task();
		return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum) ==
		       c->netns_ino;
	}
	return 0;
}

/*
 * A non-zero return replaces update_socket_protocol()'s result; 0 lets
 * it return the protocol asked for, and lets other instances (other
 * cgroups) decide in turn.
 */
SEC("fmod_ret/update_socket_protocol")
int BPF_PROG(xtcpize, int family, int type, int protocol)
{
	__u32 key = 0;
	struct xtcpize_cfg *c = bpf_map_lookup_elem(&cfg, &key);

	if (!c || !c->proto)
		return 0;
	if ((family != AF_INET && family != AF_INET6) ||
	    (type & SOCK_TYPE_MASK) != SOCK_STREAM ||
	    (protocol && protocol != IPPROTO_TCP))
		return 0;
	if (!in_scope(c))
		return 0;
	__sync_fetch_and_add(&c->converted, 1);
	return c->proto;
}

char LICENSE[] SEC("license") = "GPL";
