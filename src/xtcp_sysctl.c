// SPDX-License-Identifier: GPL-2.0
/*
 * net.xtcp.* sysctls.  Each namespace gets a copy of the table pointing
 * at its own values; proc_dointvec_minmax() rejects an out-of-range
 * write with EINVAL and leaves the value as it was.
 */
#include <linux/slab.h>
#include <linux/ip.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "xtcp.h"
#include "xtcp_compat.h"
#include "xtcp_timer.h"

static int xtcp_one = 1;
static int xtcp_max_syn_retries = 127;		/* as Linux's MAX_TCP_SYNCNT */
static int xtcp_max_synack_retries = 255;
static int xtcp_max_timeout = 3600;		/* seconds */
static int xtcp_zero;
static int xtcp_int_max = INT_MAX;
static int xtcp_two = 2;
static int xtcp_rto_lo = 1;			/* ms */
static int xtcp_rto_hi = 120000;		/* ms, Linux's TCP_RTO_MAX */
static int xtcp_rto_max_lo = 1000;		/* ms: RFC 6298 2.5 wants >= 60 s */
static int xtcp_keepidle_max = 32767;		/* as Linux's MAX_TCP_KEEPIDLE */
static int xtcp_keepcnt_max = 127;		/* as Linux's MAX_TCP_KEEPCNT */
static int xtcp_min_snd_mss_lo = 48;		/* as Linux's TCP_MIN_SND_MSS */
static int xtcp_min_snd_mss_hi = 65535 - XTCP_MAX_HEADER;
static int xtcp_max_ratelimit = 60000;		/* ms */
static int xtcp_max_orphan_retries = 255;

#define XTCP_SYSCTL(name, lo, hi) {				\
	.procname	= name,					\
	.maxlen		= sizeof(int),				\
	.mode		= 0644,					\
	.proc_handler	= proc_dointvec_minmax,			\
	.extra1		= lo,					\
	.extra2		= hi,					\
}

/* net.xtcp.congestion_control: one of the registered names. */
static int xtcp_proc_ca(XTCP_CTL_TABLE *table, int write, void *buffer,
			size_t *lenp, loff_t *ppos)
{
	char val[XTCP_CA_NAME_MAX];
	struct ctl_table tbl = { .data = val, .maxlen = sizeof(val) };
	int err;

	strscpy(val, table->data, sizeof(val));
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && !err)
		err = xtcp_ca_set_default(table->data, val);
	return err;
}

/* net.xtcp.available_congestion_control: the registered names. */
static int xtcp_proc_ca_available(XTCP_CTL_TABLE *table, int write,
				  void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = 256 };
	int err;

	tbl.data = kmalloc(tbl.maxlen, GFP_USER);
	if (!tbl.data)
		return -ENOMEM;
	xtcp_ca_available(tbl.data, tbl.maxlen);
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(tbl.data);
	return err;
}

/* Order matches the fields of struct xtcp_sysctl: the ints, then names. */
static struct ctl_table xtcp_sysctl_template[] = {
	XTCP_SYSCTL("syn_retries", &xtcp_one, &xtcp_max_syn_retries),
	XTCP_SYSCTL("synack_retries", &xtcp_zero, &xtcp_max_synack_retries),
	XTCP_SYSCTL("fin_timeout", &xtcp_one, &xtcp_max_timeout),
	XTCP_SYSCTL("tw_timeout", &xtcp_one, &xtcp_max_timeout),
	XTCP_SYSCTL("max_tw_buckets", &xtcp_zero, &xtcp_int_max),
	XTCP_SYSCTL("syncookies", &xtcp_zero, &xtcp_two),
	XTCP_SYSCTL("tw_reuse", &xtcp_zero, &xtcp_two),
	XTCP_SYSCTL("rto_min_ms", &xtcp_rto_lo, &xtcp_rto_hi),
	XTCP_SYSCTL("rto_max_ms", &xtcp_rto_max_lo, &xtcp_rto_hi),
	XTCP_SYSCTL("sack", &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL("keepalive_time", &xtcp_one, &xtcp_keepidle_max),
	XTCP_SYSCTL("keepalive_intvl", &xtcp_one, &xtcp_keepidle_max),
	XTCP_SYSCTL("keepalive_probes", &xtcp_one, &xtcp_keepcnt_max),
	XTCP_SYSCTL("tlp", &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL("min_snd_mss", &xtcp_min_snd_mss_lo, &xtcp_min_snd_mss_hi),
	XTCP_SYSCTL("invalid_ratelimit", &xtcp_zero, &xtcp_max_ratelimit),
	XTCP_SYSCTL("challenge_ack_limit", &xtcp_zero, &xtcp_int_max),
	XTCP_SYSCTL("orphan_retries", &xtcp_zero, &xtcp_max_orphan_retries),
	XTCP_SYSCTL("mtu_probing", &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL("base_mss", &xtcp_min_snd_mss_lo, &xtcp_min_snd_mss_hi),
	XTCP_SYSCTL("reflect_tos", &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL("moderate_rcvbuf", &xtcp_zero, &xtcp_one),
	{
		.procname	= "congestion_control",
		.maxlen		= XTCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= xtcp_proc_ca,
	},
	{
		.procname	= "available_congestion_control",
		.maxlen		= 256,
		.mode		= 0444,
		.proc_handler	= xtcp_proc_ca_available,
	},
	{ }
};

#define XTCP_SYSCTL_COUNT	(ARRAY_SIZE(xtcp_sysctl_template) - 1)
#define XTCP_SYSCTL_INTS	(XTCP_SYSCTL_COUNT - 2)

int xtcp_sysctl_net_init(struct net *net)
{
	struct xtcp_sysctl *s = &xtcp_pernet(net)->sysctl;
	int *vals[XTCP_SYSCTL_INTS] = {
		&s->syn_retries, &s->synack_retries, &s->fin_timeout,
		&s->tw_timeout, &s->max_tw_buckets, &s->syncookies,
		&s->tw_reuse_mode, &s->rto_min_ms, &s->rto_max_ms, &s->sack,
		&s->keepalive_time, &s->keepalive_intvl, &s->keepalive_probes,
		&s->tlp, &s->min_snd_mss, &s->invalid_ratelimit,
		&s->challenge_ack_limit, &s->orphan_retries, &s->mtu_probing,
		&s->base_mss, &s->reflect_tos, &s->moderate_rcvbuf,
	};
	struct ctl_table *tbl;
	int i;

	s->syn_retries = XTCP_SYN_RETRIES;
	s->synack_retries = XTCP_SYNACK_RETRIES;
	s->fin_timeout = XTCP_FIN_TIMEOUT / HZ;
	s->tw_timeout = XTCP_TIMEWAIT_LEN / HZ;
	s->max_tw_buckets = XTCP_MAX_TW_BUCKETS;
	s->syncookies = 1;
	s->tw_reuse_mode = 2;
	s->rto_min_ms = XTCP_RTO_MIN_MS;
	s->rto_max_ms = XTCP_RTO_MAX_MS;
	s->sack = 1;
	s->tlp = 0;	/* off until a 6.1 guest lockup is understood */
	s->keepalive_time = XTCP_KEEPALIVE_TIME;
	s->keepalive_intvl = XTCP_KEEPALIVE_INTVL;
	s->keepalive_probes = XTCP_KEEPALIVE_PROBES;
	s->min_snd_mss = xtcp_min_snd_mss_lo;
	s->invalid_ratelimit = 500;	/* Linux's HZ / 2 */
	s->challenge_ack_limit = 1000;
	s->orphan_retries = 0;	/* as Linux: XTCP_ORPHAN_RETRIES while alive */
	s->mtu_probing = 0;	/* as Linux's tcp_mtu_probing */
	s->base_mss = 1024;	/* as Linux's tcp_base_mss */
	s->reflect_tos = 0;	/* as Linux's tcp_reflect_tos */
	s->moderate_rcvbuf = 1;	/* as Linux's tcp_moderate_rcvbuf */

	tbl = kmemdup(xtcp_sysctl_template, sizeof(xtcp_sysctl_template),
		      GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < XTCP_SYSCTL_INTS; i++)
		tbl[i].data = vals[i];
	strscpy(s->ca_name, XTCP_CA_DEFAULT, sizeof(s->ca_name));
	tbl[XTCP_SYSCTL_INTS].data = s->ca_name;
	s->hdr = xtcp_register_net_sysctl(net, "net/xtcp", tbl,
					  XTCP_SYSCTL_COUNT);
	if (!s->hdr) {
		kfree(tbl);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_sysctl_net_exit(struct net *net)
{
	struct xtcp_sysctl *s = &xtcp_pernet(net)->sysctl;
	const struct ctl_table *tbl = s->hdr->ctl_table_arg;

	unregister_net_sysctl_table(s->hdr);
	kfree(tbl);
}
