// SPDX-License-Identifier: GPL-2.0
/*
 * libxtcpize.so: LD_PRELOAD'ed by `xtcpize run`, it turns every
 * socket(AF_INET or AF_INET6, SOCK_STREAM, 0 or IPPROTO_TCP) of the
 * program into one of xtcp's protocol, as mptcpize does for MPTCP.
 * SOCK_NONBLOCK and SOCK_CLOEXEC are kept; other sockets are untouched.
 * Programs that call syscall(SYS_socket, ...) are covered too.
 *
 * Env: XTCPIZE_PROTO, the protocol number (default 253).
 * Children inherit LD_PRELOAD, and so the library, unless a program
 * clears its environment.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
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

int socket(int domain, int type, int protocol)
{
	return syscall(SYS_socket, domain, type,
		       xtcpize_map(domain, type, protocol));
}

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;
	int i;

	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_socket)
		a[2] = xtcpize_map(a[0], a[1], a[2]);
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
