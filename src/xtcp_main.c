// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp module glue: registration with the socket layer, IP and network
 * namespaces.  Only plumbing lives here; protocol logic is in the other
 * files of src/.
 */
#include <linux/module.h>
#include <net/protocol.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_hash.h"
#include "xtcp_mem.h"
#include "xtcp_tw.h"

int xtcp_proto = IPPROTO_XTCP;
module_param_named(proto, xtcp_proto, int, 0444);
MODULE_PARM_DESC(proto, "IP protocol number to use: 253 (default) or 254 (RFC 3692)");

unsigned int xtcp_net_id __read_mostly;

static int __net_init xtcp_net_init(struct net *net)
{
	int err;

	xtcp_hash_init(xtcp_pernet(net));
	err = xtcp_mib_net_init(net);
	if (err)
		return err;
	err = xtcp_sysctl_net_init(net);
	if (err)
		goto out_mib;
	err = xtcp_proc_net_init(net);
	if (err)
		goto out_sysctl;
	err = xtcp_trace_net_init(net);
	if (err)
		goto out_proc;
	err = xtcp_v4_net_init(net);
	if (err)
		goto out_trace;
	if (xtcp_v6_enabled()) {
		err = xtcp_v6_net_init(net);
		if (err)
			goto out_v4;
	}
	return 0;

out_v4:
	xtcp_v4_net_exit(net);
out_trace:
	xtcp_trace_net_exit(net);
out_proc:
	xtcp_proc_net_exit(net);
out_sysctl:
	xtcp_sysctl_net_exit(net);
out_mib:
	xtcp_mib_net_exit(net);
	return err;
}

/* No socket of @net is left; time-wait minisocks may be. */
static void __net_exit xtcp_net_exit(struct net *net)
{
	xtcp_tw_purge_net(net);
	if (xtcp_v6_enabled())
		xtcp_v6_net_exit(net);
	xtcp_v4_net_exit(net);
	xtcp_trace_net_exit(net);
	xtcp_proc_net_exit(net);
	xtcp_sysctl_net_exit(net);
	xtcp_mib_net_exit(net);
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init,
	.exit	= xtcp_net_exit,
	.id	= &xtcp_net_id,
	.size	= sizeof(struct xtcp_net),
};

static int __init xtcp_init(void)
{
	int err;

	if (xtcp_proto != IPPROTO_XTCP && xtcp_proto != IPPROTO_XTCP_ALT) {
		pr_err("xtcp: proto=%d, must be %d or %d\n", xtcp_proto,
		       IPPROTO_XTCP, IPPROTO_XTCP_ALT);
		return -EINVAL;
	}

	xtcp_hash_seed();
	err = xtcp_mem_init();
	if (err)
		return err;
	err = xtcp_minisocks_init();
	if (err)
		goto out_mem;
	err = xtcp_ca_module_init();
	if (err)
		goto out_minisocks;
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto out_ca;
	if (xtcp_v6_enabled()) {
		err = proto_register(&xtcpv6_prot, 1);
		if (err)
			goto out_proto;
	}
	err = register_pernet_subsys(&xtcp_net_ops);
	if (err)
		goto out_proto6;
	err = xtcp_mem_sysctl_init();
	if (err)
		goto out_pernet;
	err = xtcp_v4_init();
	if (err)
		goto out_sysctl;
	/* IPv6 disabled at boot (ipv6.disable=1): IPv4 only. */
	if (xtcp_v6_enabled()) {
		err = xtcp_v6_init();
		if (err)
			goto out_v4;
	}

	pr_info("xtcp: registered as IP protocol %d%s\n", xtcp_proto,
		xtcp_v6_enabled() ? ", IPv4 and IPv6" : ", IPv4 only");
	return 0;

out_v4:
	xtcp_v4_stop();
out_sysctl:
	xtcp_mem_sysctl_exit();
out_pernet:
	unregister_pernet_subsys(&xtcp_net_ops);
out_proto6:
	if (xtcp_v6_enabled())
		proto_unregister(&xtcpv6_prot);
out_proto:
	proto_unregister(&xtcp_prot);
out_ca:
	xtcp_ca_module_exit();
out_minisocks:
	xtcp_minisocks_exit();
out_mem:
	xtcp_mem_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	if (xtcp_v6_enabled())
		xtcp_v6_stop();
	xtcp_v4_stop();
	xtcp_mem_sysctl_exit();
	unregister_pernet_subsys(&xtcp_net_ops);
	rcu_barrier();	/* sockets are freed after a grace period */
	if (xtcp_v6_enabled())
		proto_unregister(&xtcpv6_prot);
	proto_unregister(&xtcp_prot);
	xtcp_ca_module_exit();
	xtcp_minisocks_exit();
	xtcp_mem_exit();
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp: a TCP-compatible transport as a loadable module");
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_XTCP, 1 /* SOCK_STREAM */);
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET6, IPPROTO_XTCP, 1 /* SOCK_STREAM */);
