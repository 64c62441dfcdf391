// SPDX-License-Identifier: GPL-2.0
/*
 * libxtcpize.so: LD_PRELOAD'ed by `xtcpize run`, it turns every
 * socket(AF_INET or AF_INET6, SOCK_STREAM, 0 or IPPROTO_TCP) of the
 * program into one of xtcp's protocol, as mptcpize does for MPTCP.
 * SOCK_NONBLOCK and SOCK_CLOEXEC are kept; other sockets are untouched.
 * Programs that call syscall(SYS_socket, ...) are covered too.
 *
 * Env: XTCPIZE_PROTO, the protocol number (default 253);
 * XTCPIZE_ONLY_PORTS and XTCPIZE_EXCLUDE_PORTS, lists of ports and
 * ranges ("53,8000-8080"): a socket that binds or connects to a port
 * not in the first (when set) or in the second is given back to TCP, a
 * new TCP socket taking its descriptor, its flags, its usual options
 * and its bound address (so DNS over TCP or a control connection can
 * stay on TCP).
 * Children inherit LD_PRELOAD, and so the library, unless a program
 * clears its environment.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define XTCPIZE_DEFAULT_PROTO	253

static int xtcpize_proto(void)
{
	static int proto;
	const char *s;

	if (!proto) {
		s = getenv("XTCPIZE_PROTO");
		proto = s && atoi(s) > 0 ? atoi(s) : XTCPIZE_DEFAULT_PROTO;
	}
	return proto;
}

/* The protocol a socket() of these arguments gets. */
static int xtcpize_map(int domain, int type, int protocol)
{
	if ((domain == AF_INET || domain == AF_INET6) &&
	    (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM &&
	    (protocol == 0 || protocol == IPPROTO_TCP))
		return xtcpize_proto();
	return protocol;
}

typedef long (*xtcpize_syscall_t)(long, ...);

/* The C library's syscall(), which does not map the protocol. */
static xtcpize_syscall_t xtcpize_real_syscall(void)
{
	static xtcpize_syscall_t real;

	if (!real)
		real = (xtcpize_syscall_t)dlsym(RTLD_NEXT, "syscall");
	return real;
}

/* Is @port in @list ("a,b-c,...")? */
static bool xtcpize_listed(const char *list, unsigned long port)
{
	char *end;

	while (*list) {
		unsigned long lo = strtoul(list, &end, 10), hi = lo;

		if (end == list)
			return false;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (port >= lo && port <= hi)
			return true;
		list = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return false;
	}
	return false;
}

/* Does a socket to or at @port stay xtcp's? */
static bool xtcpize_wants(unsigned long port)
{
	const char *only = getenv("XTCPIZE_ONLY_PORTS");
	const char *excl = getenv("XTCPIZE_EXCLUDE_PORTS");

	if (only && *only && !xtcpize_listed(only, port))
		return false;
	return !(excl && xtcpize_listed(excl, port));
}

static int xtcpize_port(const struct sockaddr *sa, socklen_t len)
{
	if (sa && sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa && sa->sa_family == AF_INET6 &&
	    len >= sizeof(struct sockaddr_in6))
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return -1;
}

/* Options a program commonly sets before bind() or connect(). */
static const int xtcpize_opts[][2] = {
	{ SOL_SOCKET, SO_REUSEADDR }, { SOL_SOCKET, SO_REUSEPORT },
	{ SOL_SOCKET, SO_KEEPALIVE }, { IPPROTO_TCP, TCP_NODELAY },
	{ IPPROTO_IPV6, IPV6_V6ONLY },
};

/* Put a TCP socket in place of the xtcp socket @fd, if it is one. */
static void xtcpize_revert(int fd)
{
	int proto, domain, type, fl, fdfl, nfd, v;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int);
	unsigned int i;

	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
	    proto != xtcpize_proto() ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len))
		return;
	fl = fcntl(fd, F_GETFL);
	fdfl = fcntl(fd, F_GETFD);
	nfd = xtcpize_real_syscall()(SYS_socket, domain, type |
		      (fl > 0 && (fl & O_NONBLOCK) ? SOCK_NONBLOCK : 0),
		      IPPROTO_TCP);
	if (nfd < 0)
		return;
	for (i = 0; i < sizeof(xtcpize_opts) / sizeof(xtcpize_opts[0]); i++) {
		len = sizeof(v);
		if (!getsockopt(fd, xtcpize_opts[i][0], xtcpize_opts[i][1],
				&v, &len) && v)
			setsockopt(nfd, xtcpize_opts[i][0], xtcpize_opts[i][1],
				   &v, sizeof(v));
	}
	len = sizeof(ss);
	if (!getsockname(fd, (struct sockaddr *)&ss, &len) &&
	    xtcpize_port((struct sockaddr *)&ss, len) > 0)
		syscall(SYS_bind, nfd, (struct sockaddr *)&ss, len);
	dup3(nfd, fd, fdfl > 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0);
	close(nfd);
}

int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int port = xtcpize_port(sa, len);

	if (port >= 0 && !xtcpize_wants(port))
		xtcpize_revert(fd);
	return syscall(SYS_connect, fd, sa, len);
}

/* A bind to port 0 is a client's: connect() decides. */
int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int port = xtcpize_port(sa, len);

	if (port > 0 && !xtcpize_wants(port))
		xtcpize_revert(fd);
	return syscall(SYS_bind, fd, sa, len);
}

int socket(int domain, int type, int protocol)
{
	return syscall(SYS_socket, domain, type,
		       xtcpize_map(domain, type, protocol));
}

long syscall(long nr, ...)
{
	xtcpize_syscall_t real = xtcpize_real_syscall();
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_socket)
		a[2] = xtcpize_map(a[0], a[1], a[2]);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
