// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup socket policy applies to xtcp as to TCP: with cgroup/connect4
 * and cgroup/bind4 programs that refuse stream sockets attached to the
 * cgroup this test moves into, connect() and bind() fail with EPERM for
 * both protocols; outside the cgroup, and once the programs are
 * detached, both succeed.  Needs root, cgroup v2 at /sys/fs/cgroup and
 * xtcp_cgroup.bpf.o beside the program.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kselftest_harness.h"
#include "xtcp_util.h"

#define CGROOT	"/sys/fs/cgroup"

static int enter_cgroup(const char *path)
{
	char procs[PATH_MAX];
	int fd, ok;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = dprintf(fd, "%d\n", getpid()) > 0;
	close(fd);
	return ok ? 0 : -1;
}

static int try_connect(int protocol, unsigned short port)
{
	struct sockaddr_in a = addr_of(port);
	int fd = socket(AF_INET, SOCK_STREAM, protocol), r, e;

	if (fd < 0)
		return -errno;
	r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	close(fd);
	return r ? -e : 0;
}

static int try_bind(int protocol)
{
	struct sockaddr_in a = addr_of(0);
	int fd = socket(AF_INET, SOCK_STREAM, protocol), r, e;

	if (fd < 0)
		return -errno;
	r = bind(fd, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	close(fd);
	return r ? -e : 0;
}

static int listen_on(int protocol, unsigned short *port)
{
	struct sockaddr_in a = addr_of(0);
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, protocol);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 16) || getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

FIXTURE(cg) {
	char path[PATH_MAX];
	struct bpf_object *obj;
	int cgfd, lx, lt;
	unsigned short px, pt;
};

FIXTURE_SETUP(cg)
{
	char exe[PATH_MAX], bpfo[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct bpf_program *prog;

	self->cgfd = -1;
	self->obj = NULL;
	self->lx = self->lt = -1;
	ASSERT_EQ(0, new_netns());
	/* Listeners first: bind() is refused inside the cgroup. */
	self->lx = listen_on(proto(), &self->px);
	self->lt = listen_on(IPPROTO_TCP, &self->pt);
	ASSERT_LE(0, self->lx);
	ASSERT_LE(0, self->lt);
	if (access(CGROOT "/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup v2 at " CGROOT);
	snprintf(self->path, sizeof(self->path), CGROOT "/xtcp-test-%d", getpid());
	ASSERT_EQ(0, mkdir(self->path, 0755));
	self->cgfd = open(self->path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->cgfd);
	ASSERT_LT(0, n);
	exe[n] = 0;
	snprintf(bpfo, sizeof(bpfo), "%s/xtcp_cgroup.bpf.o", dirname(exe));
	self->obj = bpf_object__open_file(bpfo, NULL);
	ASSERT_EQ(0, libbpf_get_error(self->obj)) TH_LOG("open %s", bpfo);
	if (bpf_object__load(self->obj))
		SKIP(return, "cannot load cgroup programs (no CONFIG_CGROUP_BPF?)");
	bpf_object__for_each_program(prog, self->obj) {
		if (bpf_prog_attach(bpf_program__fd(prog), self->cgfd,
				    bpf_program__expected_attach_type(prog), 0))
			SKIP(return, "cannot attach cgroup programs: %s",
			     strerror(errno));	/* no CONFIG_CGROUP_BPF */
	}
}

FIXTURE_TEARDOWN(cg)
{
	close(self->lx);
	close(self->lt);
	if (self->cgfd < 0)
		return;
	enter_cgroup(CGROOT);
	if (self->obj)
		bpf_object__close(self->obj);	/* detaches the programs */
	close(self->cgfd);
	rmdir(self->path);
}

TEST_F(cg, connect_and_bind_refused_in_cgroup)
{
	/* Outside the cgroup both protocols connect and bind. */
	EXPECT_EQ(0, try_connect(proto(), self->px));
	EXPECT_EQ(0, try_connect(IPPROTO_TCP, self->pt));
	EXPECT_EQ(0, try_bind(proto()));
	ASSERT_EQ(0, enter_cgroup(self->path));
	EXPECT_EQ(-EPERM, try_connect(IPPROTO_TCP, self->pt));
	EXPECT_EQ(-EPERM, try_connect(proto(), self->px))
		TH_LOG("xtcp connect() in the cgroup must be refused as TCP's");
	EXPECT_EQ(-EPERM, try_bind(IPPROTO_TCP));
	EXPECT_EQ(-EPERM, try_bind(proto()))
		TH_LOG("xtcp bind() in the cgroup must be refused as TCP's");
	ASSERT_EQ(0, enter_cgroup(CGROOT));
	EXPECT_EQ(0, try_connect(proto(), self->px));
}

TEST_HARNESS_MAIN
