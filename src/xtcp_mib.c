// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns counters: one per-cpu block per namespace, folded and shown
 * in /proc/net/xtcp_stat as "name value" lines.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/ip.h>

#include "xtcp_net.h"

static const char * const xtcp_mib_names[XTCP_MIB_MAX] = {
	[XTCP_MIB_INSEGS]	= "XtcpInSegs",
	[XTCP_MIB_INHDRERRS]	= "XtcpInHdrErrors",
	[XTCP_MIB_INCSUMERRS]	= "XtcpInCsumErrors",
	[XTCP_MIB_NOSOCKDROPS]	= "XtcpNoSocketDrops",
	[XTCP_MIB_OUTSEGS]	= "XtcpOutSegs",
	[XTCP_MIB_RETRANSSEGS]	= "XtcpRetransSegs",
	[XTCP_MIB_OUTRSTS]	= "XtcpOutRsts",
	[XTCP_MIB_ACTIVEOPENS]	= "XtcpActiveOpens",
	[XTCP_MIB_PASSIVEOPENS]	= "XtcpPassiveOpens",
	[XTCP_MIB_ATTEMPTFAILS]	= "XtcpAttemptFails",
	[XTCP_MIB_ESTABRESETS]	= "XtcpEstabResets",
	[XTCP_MIB_LISTENOVERFLOWS] = "XtcpListenOverflows",
	[XTCP_MIB_LISTENDROPS]	= "XtcpListenDrops",
	[XTCP_MIB_TWCREATED]	= "XtcpTimeWaitCreated",
	[XTCP_MIB_TWKILLED]	= "XtcpTimeWaitKilled",
	[XTCP_MIB_TWOVERFLOW]	= "XtcpTimeWaitOverflow",
	[XTCP_MIB_CHALLENGEACKS] = "XtcpChallengeACKs",
	[XTCP_MIB_SYNCOOKIESSENT] = "XtcpSyncookiesSent",
	[XTCP_MIB_SYNCOOKIESRECV] = "XtcpSyncookiesRecv",
	[XTCP_MIB_SYNCOOKIESFAILED] = "XtcpSyncookiesFailed",
	[XTCP_MIB_PAWSDROPS]	= "XtcpPAWSDrops",
	[XTCP_MIB_TWRECYCLED]	= "XtcpTimeWaitRecycled",
	[XTCP_MIB_TIMEOUTS]	= "XtcpTimeouts",
	[XTCP_MIB_TIMEOUTABORTS] = "XtcpAbortOnTimeout",
	[XTCP_MIB_FASTRETRANS]	= "XtcpFastRetrans",
	[XTCP_MIB_LOSSPROBES]	= "XtcpLossProbes",
	[XTCP_MIB_LOSSPROBERECOVERY] = "XtcpLossProbeRecovery",
	[XTCP_MIB_SACKBLOCKSRECV] = "XtcpSACKBlocksRecv",
	[XTCP_MIB_OFOQUEUE]	= "XtcpOFOQueue",
	[XTCP_MIB_OFODROP]	= "XtcpOFODrop",
	[XTCP_MIB_DELAYEDACKS]	= "XtcpDelayedACKs",
	[XTCP_MIB_KEEPALIVEPROBES] = "XtcpKeepAliveProbes",
	[XTCP_MIB_KEEPALIVEABORTS] = "XtcpAbortOnKeepalive",
	[XTCP_MIB_BACKLOGDROP]	= "XtcpBacklogDrop",
	[XTCP_MIB_RCVPRUNED]	= "XtcpRcvPruned",
	[XTCP_MIB_OFOPRUNED]	= "XtcpOFOPruned",
	[XTCP_MIB_RCVCOLLAPSED]	= "XtcpRcvCollapsed",
	[XTCP_MIB_ACKSKIPPEDSEQ] = "XtcpACKSkippedSeq",
	[XTCP_MIB_ACKSKIPPEDPAWS] = "XtcpACKSkippedPAWS",
	[XTCP_MIB_ACKSKIPPEDCHALLENGE] = "XtcpACKSkippedChallenge",
	[XTCP_MIB_OLDACKDROPS]	= "XtcpOldACKDrops",
	[XTCP_MIB_ABORTONDATA]	= "XtcpAbortOnData",
	[XTCP_MIB_FILTERDROPS]	= "XtcpFilterDrops",
	[XTCP_MIB_SACKRENEGING]	= "XtcpSACKReneging",
	[XTCP_MIB_MEMORYPRESSURES] = "XtcpMemoryPressures",
	[XTCP_MIB_MEMORYPRESSURESCHRONO] = "XtcpMemoryPressuresChrono",
	[XTCP_MIB_ABORTONMEMORY] = "XtcpAbortOnMemory",
	[XTCP_MIB_RCVCOALESCE]	= "XtcpRcvCoalesce",
	[XTCP_MIB_ICMPUNREACH]	= "XtcpIcmpUnreach",
	[XTCP_MIB_ICMPFRAGNEEDED] = "XtcpIcmpFragNeeded",
	[XTCP_MIB_ICMPTIMEEXCEEDED] = "XtcpIcmpTimeExceeded",
	[XTCP_MIB_ICMPPARAMPROB] = "XtcpIcmpParamProb",
	[XTCP_MIB_ICMPREDIRECT]	= "XtcpIcmpRedirect",
	[XTCP_MIB_ICMPIGNORED]	= "XtcpIcmpIgnored",
	[XTCP_MIB_ICMPNOSOCKET]	= "XtcpIcmpNoSocket",
	[XTCP_MIB_OUTOFWINDOWICMPS] = "XtcpOutOfWindowIcmps",
	[XTCP_MIB_LOCKDROPPEDICMPS] = "XtcpLockDroppedIcmps",
	[XTCP_MIB_ICMPABORTS]	= "XtcpIcmpAborts",
	[XTCP_MIB_PMTUREDUCED]	= "XtcpPMTUReduced",
	[XTCP_MIB_PMTUBLACKHOLE] = "XtcpPMTUBlackholes",
	[XTCP_MIB_TIMEOUTREHASH] = "XtcpTimeoutRehash",
	[XTCP_MIB_ABORTONLINGER] = "XtcpAbortOnLinger",
	[XTCP_MIB_DEFERACCEPTDROP] = "XtcpDeferAcceptDrop",
	[XTCP_MIB_RCVBUFGROWN]	= "XtcpRcvBufGrown",
};

void xtcp_mib_inc(struct net *net, enum xtcp_mib_item item)
{
	SNMP_INC_STATS(xtcp_pernet(net)->mib, item);
}

void xtcp_mib_add(struct net *net, enum xtcp_mib_item item, unsigned long n)
{
	SNMP_ADD_STATS(xtcp_pernet(net)->mib, item, n);
}

static int xtcp_stat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct xtcp_net *xn = xtcp_pernet(net);
	int i;

	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", xtcp_mib_names[i],
			   snmp_fold_field(xn->mib, i));
	return 0;
}

int xtcp_mib_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);

	xn->mib = alloc_percpu(struct xtcp_mib);
	if (!xn->mib)
		return -ENOMEM;
	if (!proc_create_net_single("xtcp_stat", 0444, net->proc_net,
				    xtcp_stat_show, NULL)) {
		free_percpu(xn->mib);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_mib_net_exit(struct net *net)
{
	remove_proc_entry("xtcp_stat", net->proc_net);
	free_percpu(xtcp_pernet(net)->mib);
}
