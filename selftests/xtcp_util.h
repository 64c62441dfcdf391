/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the xtcp harness selftests.
 */
#ifndef _XTCP_UTIL_H
#define _XTCP_UTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/xtcp.h>

/* The module's reference count: its sockets (0 when it is not loaded). */
static inline int xtcp_refcnt(void)
{
	FILE *f = fopen("/sys/module/xtcp/refcnt", "r");
	int n = 0;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}


/* The protocol number the module was loaded with (XTCP_PROTO, or 253). */
static inline int proto(void)
{
	const char *p = getenv("XTCP_PROTO");

	return p ? atoi(p) : IPPROTO_XTCP;
}

/* Comparisons run TCP, then xtcp: protocol and name of turn @i. */
#define NPROTO	2
#define SA(a)	((struct sockaddr *)(a))

static inline int proto_at(int i)
{
	return i ? proto() : IPPROTO_TCP;
}

static inline const char *pname(int i)
{
	return i ? "xtcp" : "tcp";
}

/*
 * The address family the family-generic tests run over: AF_INET6 (over
 * ::1) if XTCP_FAMILY is "6", else AF_INET (over 127.0.0.1).
 */
static inline int family(void)
{
	const char *f = getenv("XTCP_FAMILY");

	return f && !strcmp(f, "6") ? AF_INET6 : AF_INET;
}

/*
 * An xtcp socket of family(): AF_INET unless XTCP_FAMILY=6, so the
 * IPv4-only programs, never run with it set, get what they always did.
 */
static inline int xsock(void)
{
	return socket(family(), SOCK_STREAM, proto());
}

/* The same, with SOCK_NONBLOCK or SOCK_CLOEXEC in @flags. */
static inline int xsock_flags(int flags)
{
	return socket(family(), SOCK_STREAM | flags, proto());
}

static inline struct sockaddr_in addr_of(unsigned short port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	return a;
}

/* An AF_INET6 xtcp socket. */
static inline int xsock6(void)
{
	return socket(AF_INET6, SOCK_STREAM, proto());
}

/* [::1]:port */
static inline struct sockaddr_in6 addr6_of(unsigned short port)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	return a;
}

/* A socket address of either family, big enough for both. */
union xaddr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/* The length of a sockaddr of family(). */
static inline socklen_t xaddr_len(void)
{
	return family() == AF_INET6 ? sizeof(struct sockaddr_in6) :
				      sizeof(struct sockaddr_in);
}

/* The loopback address of family() (127.0.0.1 or ::1) and @port. */
static inline union xaddr xaddr_of(unsigned short port)
{
	union xaddr a;

	memset(&a, 0, sizeof(a));
	if (family() == AF_INET6)
		a.v6 = addr6_of(port);
	else
		a.v4 = addr_of(port);
	return a;
}

/* The port of @a, in host order. */
static inline unsigned short xaddr_port(const union xaddr *a)
{
	return ntohs(a->sa.sa_family == AF_INET6 ? a->v6.sin6_port :
						   a->v4.sin_port);
}

/* Set the port of @a to @port (host order). */
static inline void xaddr_set_port(union xaddr *a, unsigned short port)
{
	if (a->sa.sa_family == AF_INET6)
		a->v6.sin6_port = htons(port);
	else
		a->v4.sin_port = htons(port);
}

/*
 * Are @a and @b the same endpoint: family, address and port (and for
 * AF_INET6 the scope; the flow label is no part of an endpoint)?
 */
static inline int xaddr_eq(const union xaddr *a, const union xaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return 0;
	if (a->sa.sa_family == AF_INET6)
		return a->v6.sin6_port == b->v6.sin6_port &&
		       a->v6.sin6_scope_id == b->v6.sin6_scope_id &&
		       !memcmp(&a->v6.sin6_addr, &b->v6.sin6_addr,
			       sizeof(a->v6.sin6_addr));
	return a->sa.sa_family == AF_INET &&
	       a->v4.sin_port == b->v4.sin_port &&
	       a->v4.sin_addr.s_addr == b->v4.sin_addr.s_addr;
}

/*
 * @host:@port into @ss, an AF_INET6 address if @host has a colon, else
 * AF_INET; returns the length of the address, 0 if @host is no address.
 */
static inline socklen_t addr_pton(struct sockaddr_storage *ss,
				  const char *host, unsigned short port)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(host, ':')) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return inet_pton(AF_INET6, host, &a6->sin6_addr) == 1 ?
		       sizeof(*a6) : 0;
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons(port);
	return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? sizeof(*a4) : 0;
}

/*
 * @host:@port as a union xaddr (AF_INET6 if @host has a colon); family
 * AF_UNSPEC if @host is no address.
 */
static inline union xaddr xaddr_at(const char *host, unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_pton(&ss, host, port);
	union xaddr a;

	memset(&a, 0, sizeof(a));
	if (len && len <= sizeof(a))
		memcpy(&a, &ss, len);
	else
		a.sa.sa_family = AF_UNSPEC;
	return a;
}

/* The local port of @fd (AF_INET or AF_INET6); 0 if it has none. */
static inline unsigned short local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * getsockname(), or getpeername() if @peer, of @fd; AF_UNSPEC if it
 * fails or the length is not that of a sockaddr of the family.
 */
static inline struct sockaddr_storage name_of(int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if ((peer ? getpeername(fd, SA(&ss), &len) : getsockname(fd, SA(&ss), &len)) ||
	    len != (ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					       sizeof(struct sockaddr_in)))
		ss.ss_family = AF_UNSPEC;
	return ss;
}

/* Is @ss @host:@port, of the family the form of @host gives? */
static inline int is_addr(struct sockaddr_storage ss, const char *host,
			  unsigned short port)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss, *w6;
	struct sockaddr_storage want;
	socklen_t len = addr_pton(&want, host, port);

	w6 = (struct sockaddr_in6 *)&want;
	if (!len || ss.ss_family != want.ss_family)
		return 0;
	if (ss.ss_family == AF_INET6)
		return a6->sin6_port == w6->sin6_port && !a6->sin6_flowinfo &&
		       !a6->sin6_scope_id &&
		       !memcmp(&a6->sin6_addr, &w6->sin6_addr, sizeof(w6->sin6_addr));
	return !memcmp(&ss, &want, len);
}

/* Milliseconds of CLOCK_MONOTONIC. */
static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SO_RCVTIMEO or SO_SNDTIMEO (@opt) of @ms milliseconds. */
static inline void set_timeo(int fd, int opt, long ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };

	setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* r, or -errno if r is negative: the result of a call, for comparisons. */
static inline int neg_errno(int r)
{
	return r < 0 ? -errno : r;
}

/* An int socket option: its value or -errno; setting: 0 or -errno. */
static inline int sockopt_get(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, level, opt, &v, &len) ? -errno : v;
}

static inline int sockopt_set(int fd, int level, int opt, int v)
{
	return neg_errno(setsockopt(fd, level, opt, &v, sizeof(v)));
}

/* Wait up to 30 s for @events on @fd: its revents, 0 on timeout. */
static inline int await_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 30000) == 1 ? p.revents : 0;
}

/*
 * A socket of protocol @p for @host (AF_INET6 if it has a colon), with
 * IPV6_V6ONLY set to @v6only unless that is negative, bound to
 * @host:*@port, listening if @backlog is positive; *@port is then the
 * port it has.  -1 with errno set on failure.
 */
static inline int bound_p(int p, const char *host, int v6only, int reuse,
			  int backlog, unsigned short *port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_pton(&ss, host, *port);
	int fd = socket(ss.ss_family, SOCK_STREAM, p), e;

	if (fd < 0)
		return -1;
	if ((v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
				       &v6only, sizeof(v6only))) ||
	    (reuse && sockopt_set(fd, SOL_SOCKET, SO_REUSEADDR, 1)) ||
	    bind(fd, (struct sockaddr *)&ss, len) ||
	    (backlog > 0 && listen(fd, backlog))) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	*port = local_port(fd);
	return fd;
}

/* A socket of protocol @p connected to @host:@port, as bound_p() makes. */
static inline int connected_p(int p, const char *host, int v6only,
			      unsigned short port)
{
	struct sockaddr_storage ss;
	socklen_t len = addr_pton(&ss, host, port);
	int fd = socket(ss.ss_family, SOCK_STREAM, p), e;

	if (fd < 0)
		return -1;
	if ((v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
				       &v6only, sizeof(v6only))) ||
	    connect(fd, (struct sockaddr *)&ss, len)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * "ADDR:PORT" of @sa (AF_INET or AF_INET6; NULL: 0.0.0.0:0 or [::]:0 by
 * @family) as /proc/net/tcp and tcp6 print it: uppercase hex, the
 * address as 32-bit words in host order, "%04X" of the port.
 */
static inline void proc_key(char *buf, int family, const struct sockaddr *sa)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)sa;
	unsigned int w[4] = { 0, 0, 0, 0 };

	if (family == AF_INET6) {
		if (sa)
			memcpy(w, &a6->sin6_addr, sizeof(w));
		sprintf(buf, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3],
			sa ? ntohs(a6->sin6_port) : 0);
	} else {
		if (sa)
			memcpy(w, &a4->sin_addr, sizeof(w[0]));
		sprintf(buf, "%08X:%04X", w[0], sa ? ntohs(a4->sin_port) : 0);
	}
}

/*
 * The st field of the line of @path (/proc/net/tcp's format) whose
 * local_address is @local and rem_address @remote (NULL: none, as a
 * listener has); -1 if no line has them, -2 if @path has no header.
 */
static inline int proc_state(const char *path, const struct sockaddr *local,
			     const struct sockaddr *remote)
{
	char line[512], l[64], r[64], want_l[64], want_r[64];
	int found = -1;
	unsigned int st;
	FILE *f = fopen(path, "r");

	if (!f)
		return -2;
	proc_key(want_l, local->sa_family, local);
	proc_key(want_r, local->sa_family, remote);
	if (!fgets(line, sizeof(line), f) || !strstr(line, "local_address"))
		found = -2;
	while (found == -1 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %63s %63s %x", l, r, &st) == 3 &&
		    !strcmp(l, want_l) && !strcmp(r, want_r))
			found = st;
	fclose(f);
	return found;
}

/* One counter of /proc/net/xtcp_stat in this netns; -1 if absent. */
static inline long counter(const char *name)
{
	char key[64];
	long val, found = -1;
	FILE *f = fopen("/proc/net/xtcp_stat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name))
			found = val;
	fclose(f);
	return found;
}

/*
 * Wait for a counter to reach @want (softirq may lag): up to 30 s, a
 * bound no loaded guest reaches, and no cost when the counter is there.
 */
static inline long await_counter(const char *name, long want)
{
	long v = counter(name);
	int i;

	for (i = 0; i < 3000 && v < want; i++) {
		usleep(10000);
		v = counter(name);
	}
	return v;
}

/* system() of a formatted command line. */
static inline int __attribute__((format(printf, 1, 2))) run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Move the calling process into a new netns with lo up. */
static inline int new_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, ret;

	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (!ret)
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return ret;
}

/*
 * xtcp_isolate() - run this test program in a network namespace of its
 * own, as lib.sh's xtcp_isolate does for the scripts: the process forks
 * before main(); the child unshares a fresh netns (lo up, default
 * sysctls, no time-wait minisocks of other tests) and runs the tests;
 * the parent waits for it and then for the module to hold no socket
 * (150 s, the longest an orphan lives), so that what one test leaves
 * cannot fail the next.  XTCP_ISOLATED set (by either) runs in place;
 * a helper that must not isolate defines XTCP_NO_ISOLATE.
 */
#ifndef XTCP_NO_ISOLATE
static void __attribute__((constructor)) xtcp_isolate(void)
{
	const char *name = program_invocation_short_name;
	int status, i, rc;
	struct timespec t0, t1;
	pid_t pid;

	if (getenv("XTCP_ISOLATED"))
		return;
	setenv("XTCP_ISOLATED", "1", 1);
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("xtcp_isolate: fork");
		return;
	}
	if (pid == 0) {
		rc = new_netns();
		if (rc)
			printf("# xtcp_isolate: a new netns: %s; running here\n",
			       strerror(-rc));
		return;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s took %ld s\n", name, (long)(t1.tv_sec - t0.tv_sec));
	if (xtcp_refcnt()) {
		printf("# %s left %d module references; waiting for them to close\n",
		       name, xtcp_refcnt());
		for (i = 0; i < 1500 && xtcp_refcnt(); i++)
			usleep(100000);
		if (xtcp_refcnt()) {
			printf("# %s left an xtcp socket behind: %d module references after 150 s\n",
			       name, xtcp_refcnt());
			rc = rc ? rc : 1;
		}
	}
	fflush(stdout);
	_exit(rc);
}
#endif

#endif /* _XTCP_UTIL_H */
