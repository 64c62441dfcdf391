// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options at level SOL_TCP (and SOL_XTCP) that unmodified TCP
 * programs use, TCP_INFO in struct tcp_info's layout, and the SIOCINQ /
 * SIOCOUTQ ioctls.  Ranges and errors follow in-tree TCP.
 */
#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/xtcp.h>

#include "xtcp.h"
#include "xtcp_seq.h"
#include "xtcp_timer.h"

#define XTCP_MIN_MSS		88	/* as Linux's TCP_MIN_MSS */
#define XTCP_MAX_WINDOW		32767	/* as Linux's MAX_TCP_WINDOW */
#define XTCP_MAX_KEEPIDLE	32767
#define XTCP_MAX_KEEPINTVL	32767
#define XTCP_MAX_KEEPCNT	127
#define XTCP_MAX_SYNCNT		127	/* as Linux's MAX_TCP_SYNCNT */
#define XTCP_FIN_TIMEOUT_MAX	(120 * HZ)	/* as Linux's TCP_FIN_TIMEOUT_MAX */
/* TCP_WINDOW_CLAMP's floor, as TCP's SOCK_MIN_RCVBUF / 2. */
#define XTCP_MIN_WINDOW_CLAMP	(SOCK_MIN_RCVBUF / 2)

/*
 * TCP_DEFER_ACCEPT takes seconds and keeps SYN-ACK timeouts: the first
 * that covers them on the backoff schedule (1 s doubling up to 120 s),
 * and reads them back as the seconds they cover, as TCP does.
 */
static u8 xtcp_secs_to_retrans(int seconds)
{
	int timeout = XTCP_TIMEOUT_INIT / HZ, period = timeout;
	u8 res = 0;

	if (seconds > 0) {
		res = 1;
		while (seconds > period && res < 255) {
			res++;
			timeout = min(timeout << 1, XTCP_RTO_MAX / HZ);
			period += timeout;
		}
	}
	return res;
}

static int xtcp_retrans_to_secs(u8 retrans)
{
	int timeout = XTCP_TIMEOUT_INIT / HZ, period = 0;

	if (retrans > 0) {
		period = timeout;
		while (--retrans) {
			timeout = min(timeout << 1, XTCP_RTO_MAX / HZ);
			period += timeout;
		}
	}
	return period;
}

/*
 * The MSS to send with once the handshake is done: the peer's, our
 * route's and TCP_MAXSEG's least, less the IP options or IPv6 extension
 * headers each segment carries (as TCP's __tcp_mtu_to_mss()).
 */
void xtcp_update_mss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int ext;

	if (xs->user_mss && xs->user_mss < xs->mss)
		xs->mss = max_t(u16, xs->user_mss -
				(xs->tstamp_ok ? XTCP_TS_OPTLEN : 0), 64);
	/* min_snd_mss bounds it before the options, as in TCP. */
	ext = xs->af_ops->ext_hdr_len(sk);
	xs->ext_hdr = ext;
	if (ext)
		xs->mss = max_t(int, xs->mss - ext,
				xtcp_min_snd_mss(sock_net(sk)) -
				(xs->tstamp_ok ? XTCP_TS_OPTLEN : 0));
}

/**
 * xtcp_sync_ext_hdr() - follow IP options or extension headers set later
 * @sk: socket, not locked
 *
 * IP_OPTIONS, IPV6_DSTOPTS and the like on a connection change what
 * each segment carries in front of ours: the MSS moves by the
 * difference, as ip_setsockopt() and ipv6_update_options() resync TCP's
 * (icsk_sync_mss), never above what the path allows.
 */
void xtcp_sync_ext_hdr(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int ext, mss;

	lock_sock(sk);
	if ((1 << sk->sk_state) &
	    (TCPF_LISTEN | TCPF_CLOSE | TCPF_SYN_SENT))
		goto out;
	ext = xs->af_ops->ext_hdr_len(sk);
	if (ext == xs->ext_hdr)
		goto out;
	mss = xs->mss + xs->ext_hdr - ext;
	if (xs->pmtu)
		mss = min_t(int, mss, xtcp_mtu_to_mss(sk, xs->pmtu));
	xs->mss = max_t(int, mss, xtcp_min_snd_mss(sock_net(sk)) -
			(xs->tstamp_ok ? XTCP_TS_OPTLEN : 0));
	xs->ext_hdr = ext;
out:
	release_sock(sk);
}

static int xtcp_set_congestion(struct sock *sk, sockptr_t optval,
			       unsigned int optlen)
{
	char name[XTCP_CA_NAME_MAX];
	int len = min_t(unsigned int, optlen, sizeof(name) - 1), err;

	if ((int)optlen < 1)
		return -EINVAL;
	if (copy_from_sockptr(name, optval, len))
		return -EFAULT;
	name[len] = 0;
	lock_sock(sk);
	err = xtcp_ca_set(sk, name);
	release_sock(sk);
	return err;
}

int xtcp_setsockopt(struct sock *sk, int level, int optname,
		    sockptr_t optval, unsigned int optlen)
{
	int somaxconn = READ_ONCE(sock_net(sk)->core.sysctl_somaxconn);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, err = 0;

	if (level != SOL_TCP && level != SOL_XTCP) {
		err = sk->sk_family == AF_INET6 ?
		      ipv6_setsockopt(sk, level, optname, optval, optlen) :
		      ip_setsockopt(sk, level, optname, optval, optlen);
		if (!err && (level == SOL_IP || level == SOL_IPV6))
			xtcp_sync_ext_hdr(sk);
		return err;
	}
	switch (optname) {
	case TCP_CONGESTION:
		return xtcp_set_congestion(sk, optval, optlen);
	case TCP_ULP:
		/* Upper layers (kTLS, ...) attach to in-tree TCP only. */
		return -EOPNOTSUPP;
	case TCP_REPAIR:
	case TCP_REPAIR_QUEUE:
	case TCP_QUEUE_SEQ:
	case TCP_REPAIR_OPTIONS:
	case TCP_REPAIR_WINDOW:
		/* Checkpoint/restore of xtcp connections does not exist. */
		return -EOPNOTSUPP;
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		/* What is queued goes out now, corked or not (tcp.c). */
		xs->nodelay = !!val;
		if (val) {
			xs->nagle_push = 1;
			xtcp_push(sk);
		}
		break;
	case TCP_CORK:
		xs->cork = !!val;
		if (!val) {
			if (xs->nodelay)
				xs->nagle_push = 1;
			xtcp_push(sk);
		}
		break;
	case TCP_MAXSEG:
		if (val && (val < XTCP_MIN_MSS || val > XTCP_MAX_WINDOW)) {
			err = -EINVAL;
			break;
		}
		xs->user_mss = val;
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > XTCP_MAX_KEEPIDLE) {
			err = -EINVAL;
			break;
		}
		xs->keepidle = val * HZ;
		xtcp_keepalive_reset(sk);
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > XTCP_MAX_KEEPINTVL)
			err = -EINVAL;
		else
			xs->keepintvl = val * HZ;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > XTCP_MAX_KEEPCNT)
			err = -EINVAL;
		else
			xs->keepcnt = val;
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			xs->user_timeout = val;
		break;
	case TCP_QUICKACK:
		/* 1: ACK at once for a while; 0: delay ACKs (RFC 1122 4.2.3.2). */
		xs->pingpong = !val;
		if (val) {
			xs->quick = XTCP_QUICKACKS;
			if (xs->ack_pending &&
			    (1 << sk->sk_state) & (TCPF_ESTABLISHED |
						   TCPF_FIN_WAIT1 |
						   TCPF_FIN_WAIT2))
				xtcp_send_ack(sk);
		}
		break;
	case TCP_DEFER_ACCEPT:
		xs->defer_accept = xtcp_secs_to_retrans(val);
		break;
	case TCP_NOTSENT_LOWAT:
		WRITE_ONCE(xs->notsent_lowat, val);
		sk->sk_write_space(sk);
		break;
	case TCP_WINDOW_CLAMP:
		/* 0 lifts the clamp, only before a connection (as TCP). */
		if (!val) {
			if (sk->sk_state != TCP_CLOSE)
				err = -EINVAL;
			else
				xs->window_clamp = 0;
		} else {
			/* Compared unsigned, as TCP: a negative value is huge. */
			xs->window_clamp = (unsigned int)val <
					   XTCP_MIN_WINDOW_CLAMP ?
					   XTCP_MIN_WINDOW_CLAMP : val;
		}
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > XTCP_MAX_SYNCNT)
			err = -EINVAL;
		else
			WRITE_ONCE(xs->syn_retries, val);
		break;
	case TCP_LINGER2:
		if (val < 0)
			WRITE_ONCE(xs->linger2, -1);
		else if (val > XTCP_FIN_TIMEOUT_MAX / HZ)
			WRITE_ONCE(xs->linger2, XTCP_FIN_TIMEOUT_MAX);
		else
			WRITE_ONCE(xs->linger2, val * HZ);
		break;
	case TCP_FASTOPEN:
		/* Accepted and kept; the handshake stays a plain one. */
		if (val >= 0 &&
		    (1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
			xs->fastopen_qlen = min(val, somaxconn);
		else
			err = -EINVAL;
		break;
	case TCP_FASTOPEN_CONNECT:
		/* As TCP with client TFO off (net.ipv4.tcp_fastopen 0). */
		err = val < 0 || val > 1 ? -EINVAL : -EOPNOTSUPP;
		break;
	case TCP_INQ:
		if (val < 0 || val > 1)
			err = -EINVAL;
		else
			xs->recvmsg_inq = val;
		break;
	case TCP_TIMESTAMP:
		/* TCP allows it in repair mode only, which xtcp lacks. */
		err = -EPERM;
		break;
	default:
		err = -ENOPROTOOPT;
	}
	release_sock(sk);
	return err;
}

/* TCP_INFO: xtcp's own values in struct tcp_info's layout. */
static void xtcp_get_info(struct sock *sk, struct tcp_info *info)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = jiffies;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = inet_sk_state_load(sk);
	if (info->tcpi_state == TCP_LISTEN) {
		info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
		return;
	}
	lock_sock(sk);
	info->tcpi_ca_state = xs->cc.state;
	info->tcpi_retransmits = xs->retries;
	info->tcpi_probes = xs->probes_out;
	info->tcpi_backoff = xs->retries;
	if (xs->tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (xs->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (xs->snd_wscale || xs->rcv_wscale) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = xs->snd_wscale;
		info->tcpi_rcv_wscale = xs->rcv_wscale;
	}
	info->tcpi_rto = jiffies_to_usecs(xs->rto);
	info->tcpi_ato = jiffies_to_usecs(XTCP_DELACK);
	info->tcpi_snd_mss = xs->mss;
	info->tcpi_rcv_mss = xs->rcv_mss;
	info->tcpi_unacked = xs->score.packets_out;
	info->tcpi_sacked = xs->score.sacked_out;
	info->tcpi_lost = xs->score.lost_out;
	info->tcpi_retrans = xs->score.retrans_out;
	info->tcpi_last_data_sent = jiffies_to_msecs(now - xs->lsndtime);
	info->tcpi_last_data_recv = jiffies_to_msecs(now - xs->rcv_tstamp);
	info->tcpi_last_ack_recv = jiffies_to_msecs(now - xs->rcv_tstamp);
	info->tcpi_pmtu = xs->advmss + xs->af_ops->net_header_len +
			  sizeof(struct xtcphdr);
	info->tcpi_rcv_ssthresh = xs->rcv_wnd;
	info->tcpi_rtt = xs->rtt.srtt_us;
	info->tcpi_rttvar = xs->rtt.rttvar_us;
	info->tcpi_snd_ssthresh = xs->cc.ssthresh;
	info->tcpi_snd_cwnd = xs->cc.cwnd;
	info->tcpi_advmss = xs->advmss;
	info->tcpi_reordering = XTCP_DUPTHRESH;
	info->tcpi_rcv_space = max(xtcp_space(sk), 0);
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_bytes_acked = xs->bytes_acked;
	info->tcpi_bytes_received = xs->bytes_received;
	info->tcpi_segs_out = xs->segs_out;
	info->tcpi_segs_in = xs->segs_in;
	info->tcpi_notsent_bytes = xs->write_seq - xs->snd_nxt;
	info->tcpi_min_rtt = xs->rtt.min_us;
	info->tcpi_data_segs_in = xs->data_segs_in;
	info->tcpi_data_segs_out = xs->data_segs_out;
	info->tcpi_bytes_sent = xs->bytes_sent;
	info->tcpi_bytes_retrans = xs->bytes_retrans;
	info->tcpi_rcv_ooopack = xs->ofo_segs;
	info->tcpi_snd_wnd = xs->snd_wnd;
	release_sock(sk);
}

static int xtcp_put_opt(char __user *optval, int __user *optlen,
			const void *val, int len)
{
	if (put_user(len, optlen) || copy_to_user(optval, val, len))
		return -EFAULT;
	return 0;
}

int xtcp_getsockopt(struct sock *sk, int level, int optname,
		    char __user *optval, int __user *optlen)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct tcp_info info;
	int len, val;

	if (level != SOL_TCP && level != SOL_XTCP)
		return sk->sk_family == AF_INET6 ?
		       ipv6_getsockopt(sk, level, optname, optval, optlen) :
		       ip_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case TCP_INFO:
		xtcp_get_info(sk, &info);
		return xtcp_put_opt(optval, optlen, &info,
				    min_t(int, len, sizeof(info)));
	case TCP_CONGESTION: {
		char name[XTCP_CA_NAME_MAX] = {};

		strscpy(name, xtcp_ca_name(sk), sizeof(name));

		return xtcp_put_opt(optval, optlen, name,
				    min_t(int, len, sizeof(name)));
	}
	case TCP_NODELAY:
		val = xs->nodelay;
		break;
	case TCP_CORK:
		val = xs->cork;
		break;
	case TCP_MAXSEG:
		val = (1 << inet_sk_state_load(sk)) & (TCPF_CLOSE | TCPF_LISTEN) ?
		      (xs->user_mss ?: XTCP_DEFAULT_MSS) : xs->mss;
		break;
	case TCP_KEEPIDLE:
		val = xtcp_keepidle(sk) / HZ;
		break;
	case TCP_KEEPINTVL:
		val = xtcp_keepintvl(sk) / HZ;
		break;
	case TCP_KEEPCNT:
		val = xtcp_keepcnt(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = xs->user_timeout;
		break;
	case TCP_QUICKACK:
		val = !xs->pingpong;
		break;
	case TCP_DEFER_ACCEPT:
		val = xtcp_retrans_to_secs(READ_ONCE(xs->defer_accept));
		break;
	case TCP_NOTSENT_LOWAT:
		val = READ_ONCE(xs->notsent_lowat);
		break;
	case TCP_WINDOW_CLAMP:
		/* Unset on a connection: the most its window can say. */
		val = READ_ONCE(xs->window_clamp);
		if (!val && !((1 << inet_sk_state_load(sk)) &
			      (TCPF_CLOSE | TCPF_LISTEN)))
			val = 65535U << xs->rcv_wscale;
		break;
	case TCP_SYNCNT:
		val = READ_ONCE(xs->syn_retries) ?:
		      READ_ONCE(xtcp_sysctl(sock_net(sk))->syn_retries);
		break;
	case TCP_LINGER2:
		val = READ_ONCE(xs->linger2);
		if (val >= 0)
			val = (val ?: xtcp_fin_timeout(sock_net(sk))) / HZ;
		break;
	case TCP_FASTOPEN:
		val = READ_ONCE(xs->fastopen_qlen);
		break;
	case TCP_FASTOPEN_CONNECT:
		val = 0;
		break;
	case TCP_INQ:
		val = xs->recvmsg_inq;
		break;
	case TCP_TIMESTAMP:
		/* Our TSval clock (ms) with this connection's offset. */
		val = xtcp_clock_ms() + READ_ONCE(xs->ts_off);
		break;
	case TCP_ULP:
		/* No upper layer: an empty name, as TCP without one. */
		return put_user(0, optlen) ? -EFAULT : 0;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	return xtcp_put_opt(optval, optlen, &val, len);
}

/*
 * SO_KEEPALIVE (struct proto::keepalive), under the socket lock.  The
 * core sets SOCK_KEEPOPEN only after this returns, so arm the timer
 * without looking at it; the timer checks it when it fires.
 */
void xtcp_keepalive(struct sock *sk, int val)
{
	if (!val)
		sk_stop_timer(sk, &sk->sk_timer);
	else if (!((1 << sk->sk_state) &
		   (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		sk_reset_timer(sk, &sk->sk_timer, jiffies + xtcp_keepidle(sk));
}

/*
 * SIOCINQ: unread octets; SIOCOUTQ: unacknowledged; SIOCOUTQNSD: unsent;
 * SIOCATMARK: the next octet read is the urgent one.
 */
int xtcp_ioctl(XTCP_IOCTL_PARAMS)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
			answ = 0;
		} else if (sock_flag(sk, SOCK_URGINLINE) || !xs->urg_data ||
			   xtcp_seq_before(xs->urg_seq, xs->copied_seq) ||
			   !xtcp_seq_before(xs->urg_seq, xs->rcv_nxt)) {
			answ = xs->rcv_nxt - xs->copied_seq;
			/* the peer's FIN takes a sequence number, not an octet */
			if (answ && sock_flag(sk, SOCK_DONE))
				answ--;
		} else {
			/* Up to the urgent mark, as tcp_inq(). */
			answ = xs->urg_seq - xs->copied_seq;
		}
		release_sock(sk);
		break;
	case SIOCATMARK:
		answ = READ_ONCE(xs->urg_data) &&
		       READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return XTCP_IOCTL_RETURN(answ);
}
