/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the xtcp harness selftests.
 */
#ifndef _XTCP_UTIL_H
#define _XTCP_UTIL_H

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/xtcp.h>

/* The protocol number the module was loaded with (XTCP_PROTO, or 253). */
static inline int proto(void)
{
	const char *p = getenv("XTCP_PROTO");

	return p ? atoi(p) : IPPROTO_XTCP;
}

static inline int xsock(void)
{
	return socket(AF_INET, SOCK_STREAM, proto());
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

#endif /* _XTCP_UTIL_H */
