// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup socket-address programs for xtcp_cgroup: refuse every
 * connect() and bind() of a stream socket in the cgroup they are
 * attached to.  0 refuses (EPERM), 1 allows.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup/connect4")
int xtcp_deny_connect4(struct bpf_sock_addr *ctx)
{
	return ctx->type == 1 ? 0 : 1;	/* SOCK_STREAM */
}

SEC("cgroup/bind4")
int xtcp_deny_bind4(struct bpf_sock_addr *ctx)
{
	return ctx->type == 1 ? 0 : 1;
}

char _license[] SEC("license") = "GPL";
