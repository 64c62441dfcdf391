/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The library of the socket-option tests (xtcp_sockopt.c, what each
 * option answers; xtcp_sockopt_effect.c, what it does to the
 * connection): each case runs the same calls on an in-tree TCP socket
 * and then on an xtcp socket, in the same process, records each step
 * (return value or -errno, value read back) and compares the two runs
 * step by step (run_both).  Nothing that differs between kernels is
 * written down in a test, only what TCP answers at run time.
 */
#ifndef _XTCP_SOCKOPT_LIB_H
#define _XTCP_SOCKOPT_LIB_H

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <linux/xtcp.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#ifndef TCP_REPAIR
#define TCP_REPAIR		19
#endif
#ifndef TCP_TIMESTAMP
#define TCP_TIMESTAMP		24
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT	30
#endif
#ifndef TCP_ULP
#define TCP_ULP			31
#endif
#ifndef TCP_INQ
#define TCP_INQ			36
#endif
#ifndef TCP_CM_INQ
#define TCP_CM_INQ		TCP_INQ
#endif
#ifndef SO_PEEK_OFF
#define SO_PEEK_OFF		42
#endif
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL		46
#endif
#ifndef SO_INCOMING_CPU
#define SO_INCOMING_CPU		49
#endif
#ifndef SO_ATTACH_REUSEPORT_CBPF
#define SO_ATTACH_REUSEPORT_CBPF 51
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY		60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY		0x4000000
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT	24
#endif
#ifndef ENOTSUPP
#define ENOTSUPP		524	/* the kernel's, not in <errno.h> */
#endif

#define WAIT_MS		5000		/* the hang guard of every wait */
#define TEST_NET_1	0xc0000201	/* 192.0.2.1: no address of ours */
#define CHUNK		65536
#define FILL_MAX	(64 << 20)	/* a writer that never blocks fails */

/* --- the record of one run, and the comparison of two --- */

#define MAXREC		128

/*
 * The results of one case on one protocol, in order, each with a name
 * for the log.  A case records the same number of steps whatever they
 * return, so that the two runs stay aligned step by step.
 */
struct rec {
	int n;
	long v[MAXREC];
	char what[MAXREC][72];
};

static inline void __attribute__((format(printf, 3, 4)))
put(struct rec *r, long v, const char *fmt, ...)
{
	va_list ap;

	if (r->n < MAXREC) {
		r->v[r->n] = v;
		va_start(ap, fmt);
		vsnprintf(r->what[r->n], sizeof(r->what[0]), fmt, ap);
		va_end(ap);
	}
	r->n++;
}

/* The value of the first step named @what; LONG_MIN if there is none. */
static inline long rec_val(const struct rec *r, const char *what)
{
	int i;

	for (i = 0; i < r->n && i < MAXREC; i++)
		if (!strcmp(r->what[i], what))
			return r->v[i];
	return LONG_MIN;
}

/* Every step of the xtcp run must give what the TCP run gave. */
static inline void compare(struct __test_metadata *_metadata,
			   const struct rec *r)
{
	int i, n = r[0].n < r[1].n ? r[0].n : r[1].n;

	EXPECT_GE(MAXREC, r[0].n);
	EXPECT_GE(MAXREC, r[1].n);
	for (i = 0; i < n && i < MAXREC; i++) {
		EXPECT_EQ(r[0].v[i], r[1].v[i]) {
			TH_LOG("step %d, %s: tcp %ld (%#lx), xtcp %ld (%#lx)", i,
			       r[0].what[i], r[0].v[i], r[0].v[i], r[1].v[i],
			       r[1].v[i]);
		}
		EXPECT_STREQ(r[0].what[i], r[1].what[i]);
	}
	EXPECT_EQ(r[0].n, r[1].n) {
		TH_LOG("tcp recorded %d steps, xtcp %d", r[0].n, r[1].n);
	}
	if (getenv("XTCP_SOCKOPT_TRACE"))
		for (i = 0; i < r[0].n && i < MAXREC; i++)
			TH_LOG("step %d, %s: tcp %ld", i, r[0].what[i], r[0].v[i]);
}

typedef void (*case_fn)(struct __test_metadata *_metadata, int p,
			struct rec *r);

/* The run in progress (0 TCP, 1 xtcp), for the logs of a case. */
static int turn __attribute__((unused));

/* Run @fn on TCP, then on xtcp, into @r[0] and @r[1]; compare them. */
static inline void run_both(struct __test_metadata *_metadata, case_fn fn,
			    struct rec *r)
{
	memset(r, 0, NPROTO * sizeof(*r));
	for (turn = 0; turn < NPROTO; turn++)
		fn(_metadata, proto_at(turn), &r[turn]);
	compare(_metadata, r);
}

/* TCP behaviour of every kernel in question: both runs must show it. */
static inline void expect_both(struct __test_metadata *_metadata,
			       const struct rec *r, const char *what, long want)
{
	int i;

	for (i = 0; i < NPROTO; i++) {
		EXPECT_EQ(want, rec_val(&r[i], what)) {
			TH_LOG("%s, %s", pname(i), what);
		}
	}
}

/* --- small helpers --- */

static inline int sock_of(int p)
{
	return socket(AF_INET, SOCK_STREAM, p);
}

static inline int ioctl_int(int fd, unsigned long req)
{
	int v = -1;

	return ioctl(fd, req, &v) ? -errno : v;
}

/* poll() of one fd: its revents, 0 on timeout, or -errno. */
static inline int revents(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n = poll(&pfd, 1, ms);

	return n < 0 ? -errno : n ? pfd.revents : 0;
}

#define ALL_EVENTS	(POLLIN | POLLPRI | POLLOUT | POLLRDHUP | POLLERR | POLLHUP)

/* Wait until SIOCINQ of @fd reaches @n; returns the last value. */
static inline int wait_inq(int fd, int n)
{
	int i, v = ioctl_int(fd, SIOCINQ);

	for (i = 0; i < WAIT_MS / 10 && v >= 0 && v < n; i++) {
		usleep(10000);
		v = ioctl_int(fd, SIOCINQ);
	}
	return v;
}

/*
 * Wait until everything written on @fd is acknowledged, so the peer has
 * processed it; returns the bytes left unacknowledged (SIOCOUTQ).
 */
static inline int wait_acked(int fd)
{
	int i, v = ioctl_int(fd, SIOCOUTQ);

	for (i = 0; i < WAIT_MS / 10 && v > 0; i++) {
		usleep(10000);
		v = ioctl_int(fd, SIOCOUTQ);
	}
	return v;
}

/* Up to 7 bytes as one number, the first byte highest: "012" 0x303132. */
static inline long bytes_val(const char *b, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n && i < 7; i++)
		v = v << 8 | (unsigned char)b[i];
	return v;
}

/* A digest of @n bytes, order included (FNV-1a); 0 for none. */
static inline long digest(const char *b, int n)
{
	unsigned int h = 2166136261u;
	int i;

	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)b[i]) * 16777619u;
	return h;
}

/* The TCP state of @fd (TCP_INFO's tcpi_state), or -errno. */
static inline int sk_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len))
		return -errno;
	return ti.tcpi_state;
}

/* Record setsockopt(@v) of an int option: 0 or -errno. */
static inline void put_set(struct rec *r, int fd, int level, int opt,
			   int v, const char *name)
{
	put(r, sockopt_set(fd, level, opt, v), "%s: set %d", name, v);
}

/*
 * Record getsockopt of an int option: 0 or -errno, the length and the
 * value (-1 and INT_MIN if it failed).
 */
static inline void put_get(struct rec *r, int fd, int level, int opt,
			   const char *name)
{
	socklen_t len = sizeof(int);
	int v = INT_MIN, ret;

	ret = getsockopt(fd, level, opt, &v, &len) ? -errno : 0;
	put(r, ret, "%s: get", name);
	put(r, ret ? -1 : (long)len, "%s: get length", name);
	put(r, ret ? INT_MIN : v, "%s: get value", name);
}

/* Set each of @vals in turn, reading the option back after each. */
static inline void put_set_get(struct rec *r, int fd, int level, int opt,
			       const int *vals, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++) {
		put_set(r, fd, level, opt, vals[i], name);
		put_get(r, fd, level, opt, name);
	}
}

/* A listener of protocol @p on 127.0.0.1, an ephemeral port: *@port. */
static inline int listener(int p, int backlog, unsigned short *port)
{
	struct sockaddr_in a = addr_of(0);
	int fd = sock_of(p);

	if (fd < 0)
		return -1;
	if (bind(fd, SA(&a), sizeof(a)) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	*port = local_port(fd);
	return fd;
}

static inline int connect_port(int fd, unsigned short port)
{
	struct sockaddr_in a = addr_of(port);

	return neg_errno(connect(fd, SA(&a), sizeof(a)));
}

/* accept() once @l is readable (WAIT_MS at most): the fd, or -errno. */
static inline int accept_wait(int l)
{
	int fd;

	if (revents(l, POLLIN, WAIT_MS) <= 0)
		return -ETIMEDOUT;
	fd = accept(l, NULL, NULL);
	return fd < 0 ? -errno : fd;
}

/* recv of exactly @n bytes (WAIT_MS at most): the count or -errno. */
static inline int recv_all(int fd, char *buf, int n)
{
	set_timeo(fd, SO_RCVTIMEO, WAIT_MS);
	return neg_errno(recv(fd, buf, n, MSG_WAITALL));
}

/* A connected pair over loopback: listener l, client c, accepted s. */
struct pair {
	int l, c, s;
	unsigned short port;
};

static inline void pair_open(struct __test_metadata *_metadata,
			     struct pair *pr, int p)
{
	pr->l = listener(p, 16, &pr->port);
	ASSERT_LE(0, pr->l) {
		TH_LOG("listener of protocol %d: %s", p, strerror(errno));
	}
	pr->c = sock_of(p);
	ASSERT_LE(0, pr->c);
	ASSERT_EQ(0, connect_port(pr->c, pr->port)) {
		TH_LOG("connect, protocol %d", p);
	}
	pr->s = accept_wait(pr->l);
	ASSERT_LE(0, pr->s) {
		TH_LOG("accept, protocol %d: %d", p, pr->s);
	}
}

static inline void pair_close(struct pair *pr)
{
	close(pr->c);
	close(pr->s);
	close(pr->l);
}

/*
 * Write without blocking until the socket takes no more (EAGAIN): the
 * bytes written, or -errno on another error or a writer that never
 * blocks.
 */
static inline long fill(int fd)
{
	static char buf[CHUNK];
	long total = 0;
	ssize_t n;

	memset(buf, 'f', sizeof(buf));
	for (;;) {
		n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? total : -errno;
		total += n;
		if (total > FILL_MAX)
			return -EFBIG;
	}
}

/*
 * Write without blocking, in rounds 50 ms apart, until two rounds in a
 * row take nothing: the peer's window and our buffer are full then, and
 * stay so while the reader does not read.  *@total adds what was
 * written.  Return: true if it stalled, false on an error or WAIT_MS.
 */
static inline bool fill_stalled(int fd, long *total)
{
	int round, idle = 0;
	long n;

	for (round = 0; round < WAIT_MS / 50 && idle < 2; round++) {
		if (round)
			usleep(50000);
		n = fill(fd);
		if (n < 0)
			return false;
		*total += n;
		idle = n ? 0 : idle + 1;
	}
	return idle >= 2;
}

#define BIG_SNDBUF	(4 << 20)

/* A send buffer of BIG_SNDBUF: exact as root, else capped by wmem_max. */
static inline int big_sndbuf(int fd)
{
	if (!sockopt_set(fd, SOL_SOCKET, SO_SNDBUFFORCE, BIG_SNDBUF))
		return 0;
	return sockopt_set(fd, SOL_SOCKET, SO_SNDBUF, BIG_SNDBUF);
}

#endif /* _XTCP_SOCKOPT_LIB_H */
