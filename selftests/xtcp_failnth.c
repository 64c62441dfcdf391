// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures, one at a time: for each socket call, make the
 * 1st, 2nd, ... allocation the call makes fail (fail-nth, see
 * Documentation/fault-injection/fault-injection.rst) until the call
 * completes with none left to fail.  Each failure must give a defined
 * error or be recovered from; the kernel must not warn, and data that
 * send() reports as sent arrives byte-exact.  run_guest.sh then checks
 * dmesg for KASAN, refcount and lockdep reports and kmemleak for leaks.
 *
 * Needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB (the debug kernel);
 * skips elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"
/* A call makes far fewer allocations than this; more means a loop. */
#define MAX_SITES	1000

static int fail_nth_fd = -1;

/* Fail the @n-th fault-injection site this thread reaches (0: none). */
static void arm(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		abort();
}

/* Disarm; true if the armed failure was injected. */
static int disarm(void)
{
	char buf[16] = "";
	int left;

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		abort();
	left = atoi(buf);
	arm(0);
	return left == 0;
}

static int knob(const char *name, const char *val, char *old, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), FAILSLAB "%s", name);
	if (old) {
		f = fopen(path, "r");
		if (!f || !fgets(old, len, f))
			return -1;
		fclose(f);
		old[strcspn(old, "\n")] = 0;
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(val, f);
	return fclose(f);
}

static int defined_error(int e)
{
	return e == ENOMEM || e == ENOBUFS || e == ENFILE || e == EAGAIN;
}

static int listener(unsigned short *port)
{
	struct sockaddr_in a = addr_of(0);
	socklen_t len = sizeof(a);
	int fd = xsock();

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 64) || getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* Close the children queued on @lfd. */
static void drain(int lfd)
{
	int c;

	set_nonblock(lfd, 1);
	while ((c = accept(lfd, NULL, NULL)) >= 0)
		close(c);
	set_nonblock(lfd, 0);
}

FIXTURE(failnth) {
	char gfp_wait[8], verbose[8];
	unsigned short port;
	int lfd;
};

FIXTURE_SETUP(failnth)
{
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0 || access(FAILSLAB, W_OK))
		SKIP(return, "no fail-nth or failslab in this kernel");
	/*
	 * Fail sleeping allocations too.  No stack dump per injected
	 * failure (dmesg must stay clean) unless XTCP_FAILNTH_VERBOSE=2
	 * asks for one, to see where each failure was.
	 */
	ASSERT_EQ(0, knob("ignore-gfp-wait", "N", self->gfp_wait,
			  sizeof(self->gfp_wait)));
	ASSERT_EQ(0, knob("verbose", getenv("XTCP_FAILNTH_VERBOSE") ?: "0",
			  self->verbose, sizeof(self->verbose)));
	ASSERT_EQ(0, new_netns());
	self->lfd = listener(&self->port);
	ASSERT_LE(0, self->lfd);
}

FIXTURE_TEARDOWN(failnth)
{
	if (fail_nth_fd < 0)
		return;
	arm(0);
	knob("ignore-gfp-wait", self->gfp_wait, NULL, 0);
	knob("verbose", self->verbose, NULL, 0);
	close(self->lfd);
	close(fail_nth_fd);
}

TEST_F(failnth, socket)
{
	int n, fd, hit;

	for (n = 1; n < MAX_SITES; n++) {
		arm(n);
		fd = xsock();
		hit = disarm();
		if (fd >= 0)
			close(fd);
		else
			EXPECT_TRUE(defined_error(errno))
				TH_LOG("socket() failure %d: %s", n, strerror(errno));
		if (!hit)
			break;
	}
	TH_LOG("socket(): %d allocation sites", n - 1);
	ASSERT_LT(n, MAX_SITES);
}

/*
 * connect() whose SYN, route or port cannot be allocated fails with
 * ENOBUFS or ENOMEM and leaves the socket reusable; the route it had
 * is put once (a second put frees a route other sockets still use).
 */
TEST_F(failnth, connect)
{
	struct sockaddr_in a = addr_of(self->port);
	struct pollfd p;
	int n, fd, r, e, hit;

	for (n = 1; n < MAX_SITES; n++) {
		fd = xsock();
		ASSERT_LE(0, fd);
		set_nonblock(fd, 1);
		arm(n);
		r = connect(fd, (struct sockaddr *)&a, sizeof(a));
		e = errno;
		hit = disarm();
		if (r && e != EINPROGRESS) {
			TH_LOG("connect() failure %d: %s", n, strerror(e));
			EXPECT_TRUE(defined_error(e))
				TH_LOG("connect() failure %d: %s", n, strerror(e));
			/* Retry on the same socket: it must be reusable. */
			set_nonblock(fd, 0);
			EXPECT_EQ(0, connect(fd, (struct sockaddr *)&a, sizeof(a)))
				TH_LOG("connect() again after failure %d: %s", n,
				       strerror(errno));
		} else {
			/* A lost SYN costs one initial RTO (1 s): wait 3. */
			p = (struct pollfd){ .fd = fd, .events = POLLOUT };
			EXPECT_EQ(1, poll(&p, 1, 3000));
		}
		close(fd);
		drain(self->lfd);
		if (!hit)
			break;
	}
	TH_LOG("connect(): %d allocation sites", n - 1);
	ASSERT_LT(n, MAX_SITES);
}

TEST_F(failnth, listen)
{
	struct sockaddr_in a = addr_of(0);
	int n, fd, r, hit;

	for (n = 1; n < MAX_SITES; n++) {
		fd = xsock();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
		arm(n);
		r = listen(fd, 8);
		hit = disarm();
		if (r)
			EXPECT_TRUE(defined_error(errno))
				TH_LOG("listen() failure %d: %s", n, strerror(errno));
		close(fd);
		if (!hit)
			break;
	}
	TH_LOG("listen(): %d allocation sites", n - 1);
	ASSERT_LT(n, MAX_SITES);
}

/* What send() reports as sent arrives, in order, whatever failed. */
TEST_F(failnth, send)
{
	struct sockaddr_in a = addr_of(self->port);
	static char out[16384], in[sizeof(out) * 2];
	size_t sent = 0, got = 0;
	int n, c, s, hit;
	ssize_t r;

	c = xsock();
	ASSERT_LE(0, c);
	ASSERT_EQ(0, connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(self->lfd, NULL, NULL);
	ASSERT_LE(0, s);
	for (n = 1; n < MAX_SITES; n++) {
		memset(out, n, sizeof(out));
		arm(n);
		r = send(c, out, sizeof(out), MSG_DONTWAIT);
		hit = disarm();
		if (r < 0) {
			EXPECT_TRUE(defined_error(errno))
				TH_LOG("send() failure %d: %s", n, strerror(errno));
			r = 0;
		}
		sent = r;
		/* Read exactly what was sent: a lost clone is retransmitted. */
		for (got = 0; got < sent; got += r) {
			r = recv(s, in + got, sent - got, 0);
			ASSERT_LT(0, r);
		}
		ASSERT_EQ(0, memcmp(in, out, sent)) TH_LOG("data after failure %d", n);
		if (!hit)
			break;
	}
	TH_LOG("send(): %d allocation sites", n - 1);
	ASSERT_LT(n, MAX_SITES);
	close(s);
	close(c);
}

TEST_HARNESS_MAIN
