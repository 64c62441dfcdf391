// SPDX-License-Identifier: GPL-2.0
/*
 * xtcpize-bpf: loads xtcpize.bpf.o (an fmod_ret program on
 * update_socket_protocol) for one cgroup or network namespace, so that
 * programs LD_PRELOAD cannot reach (static binaries, Go) get xtcp sockets.
 * Needs root (CAP_BPF and CAP_SYS_ADMIN) and a kernel with the hook
 * (Linux 6.6 and later; Debian's 6.12 has it, its 6.1 does not).
 *
 *   xtcpize-bpf probe
 *   xtcpize-bpf run [--proto N] CMD [ARGS...]
 *       CMD in a new cgroup (under /sys/fs/cgroup), the program attached
 *       for that cgroup while CMD runs; exits with CMD's status.
 *   xtcpize-bpf enable [--proto N] (--cgroup DIR | --netns FILE)
 *   xtcpize-bpf disable (--cgroup DIR | --netns FILE)
 *       Attach, or detach, for a cgroup v2 directory or a network
 *       namespace (/run/netns/NAME, /proc/PID/ns/net) until disabled:
 *       the link is pinned under /sys/fs/bpf/xtcpize.
 *   xtcpize-bpf status
 *       What is enabled, and how many sockets each instance converted.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xtcpize_bpf.h"

#define BPFFS		"/sys/fs/bpf"
#define PIN_DIR		BPFFS "/xtcpize"
#define CGROOT		"/sys/fs/cgroup"

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xtcpize-bpf: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* The hook exists in this kernel? 0, or 3 with the reason printed. */
static int probe(int quiet)
{
	char line[256];
	int found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		die("cannot read /proc/kallsyms");
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " update_socket_protocol\n") != NULL;
	fclose(f);
	if (!found) {
		if (!quiet)
			fprintf(stderr, "xtcpize-bpf: this kernel has no update_socket_protocol() hook (Linux 6.6 and later have it; Debian's 6.1 does not): use xtcpize run without --bpf\n");
		return 3;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		if (!quiet)
			fprintf(stderr, "xtcpize-bpf: this kernel has no BTF (/sys/kernel/btf/vmlinux), which fmod_ret programs need\n");
		return 3;
	}
	return 0;
}

static const char *obj_path(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("XTCPIZE_BPF_OBJ");
	char self[PATH_MAX];
	ssize_t n;

	if (env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	snprintf(buf, sizeof(buf), "%s/xtcpize.bpf.o", dirname(self));
	return buf;
}

/* An instance for @scope, loaded; its link in *@link, cfg map fd returned. */
static int load(int proto, int scope, int cg_fd,
		unsigned int netns_ino, struct bpf_link **link)
{
	struct xtcpize_cfg c = { .proto = proto, .scope = scope,
				 .netns_ino = netns_ino };
	struct bpf_program *prog;
	struct bpf_object *obj;
	__u32 key = 0;
	int cfg_fd, err;

	if (probe(0))
		exit(3);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	obj = bpf_object__open_file(obj_path(), NULL);
	if (!obj)
		die("open %s: %s", obj_path(), strerror(errno));
	err = bpf_object__load(obj);
	if (err)
		die("load %s: %s (root needed)", obj_path(), strerror(-err));
	cfg_fd = bpf_object__find_map_fd_by_name(obj, "cfg");
	if (cfg_fd < 0 || bpf_map_update_elem(cfg_fd, &key, &c, BPF_ANY))
		die("cfg map: %s", strerror(errno));
	if (scope == XTCPIZE_SCOPE_CGROUP) {
		int map = bpf_object__find_map_fd_by_name(obj, "cgroup");

		if (map < 0 || bpf_map_update_elem(map, &key, &cg_fd, BPF_ANY))
			die("cgroup map: %s", strerror(errno));
	}
	prog = bpf_object__find_program_by_name(obj, "xtcpize");
	if (!prog)
		die("no program xtcpize in %s", obj_path());
	*link = bpf_program__attach(prog);
	if (!*link)
		die("attach to update_socket_protocol: %s", strerror(errno));
	return cfg_fd;
}

static int parse_proto(const char *s)
{
	int p = atoi(s);

	if (p != 253 && p != 254)
		die("--proto is 253 or 254");
	return p;
}

static int run(int proto, char **cmd)
{
	char cg[PATH_MAX - 32], procs[PATH_MAX];
	struct bpf_link *link;
	int cg_fd, status;
	pid_t pid;

	snprintf(cg, sizeof(cg), CGROOT "/xtcpize-%d", getpid());
	if (mkdir(cg, 0755))
		die("mkdir %s: %s (cgroup v2 at " CGROOT " and root needed)",
		    cg, strerror(errno));
	cg_fd = open(cg, O_RDONLY | O_DIRECTORY);
	if (cg_fd < 0)
		die("open %s: %s", cg, strerror(errno));
	load(proto, XTCPIZE_SCOPE_CGROUP, cg_fd, 0, &link);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);

	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		FILE *f = fopen(procs, "w");

		if (!f || fprintf(f, "0\n") < 0 || fclose(f))
			die("join %s: %s", cg, strerror(errno));
		execvp(cmd[0], cmd);
		fprintf(stderr, "xtcpize-bpf: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	bpf_link__destroy(link);
	close(cg_fd);
	/* Busy if CMD left processes behind; they keep the cgroup. */
	if (rmdir(cg) && errno != EBUSY)
		fprintf(stderr, "xtcpize-bpf: rmdir %s: %s\n", cg, strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The pin name of a scope: cg-<cgroup id> or ns-<netns inode>. */
static void pin_name(char *buf, size_t len, const char *cgroup,
		     const char *netns, int *scope, int *fd, unsigned int *ino)
{
	struct stat st;
	const char *path = cgroup ? cgroup : netns;

	if (!path || (cgroup && netns))
		die("give one of --cgroup DIR and --netns FILE");
	if (stat(path, &st))
		die("%s: %s", path, strerror(errno));
	*scope = cgroup ? XTCPIZE_SCOPE_CGROUP : XTCPIZE_SCOPE_NETNS;
	*ino = st.st_ino;
	*fd = -1;
	if (cgroup) {
		struct statfs sf;

		*fd = open(cgroup, O_RDONLY | O_DIRECTORY);
		if (*fd < 0 || fstatfs(*fd, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC)
			die("%s is not a cgroup v2 directory", cgroup);
	}
	snprintf(buf, len, PIN_DIR "/%s-%llu", cgroup ? "cg" : "ns",
		 (unsigned long long)st.st_ino);
}

static void bpffs(void)
{
	struct statfs sf;

	if (statfs(BPFFS, &sf) || sf.f_type != BPF_FS_MAGIC)
		if (mount("bpf", BPFFS, "bpf", 0, NULL))
			die("mount bpffs at " BPFFS ": %s", strerror(errno));
	if (mkdir(PIN_DIR, 0700) && errno != EEXIST)
		die("mkdir " PIN_DIR ": %s", strerror(errno));
}

static int enable(int proto, const char *cgroup,
		  const char *netns)
{
	char pin[PATH_MAX], cfg_pin[PATH_MAX + 8];
	struct bpf_link *link;
	unsigned int ino;
	int scope, fd, cfg_fd;

	pin_name(pin, sizeof(pin), cgroup, netns, &scope, &fd, &ino);
	bpffs();
	if (!access(pin, F_OK))
		die("already enabled for %s (%s)", cgroup ?: netns, pin);
	cfg_fd = load(proto, scope, fd, ino, &link);
	/* bpffs takes no '.' in names. */
	snprintf(cfg_pin, sizeof(cfg_pin), "%s_cfg", pin);
	if (bpf_obj_pin(cfg_fd, cfg_pin))
		die("pin %s: %s", cfg_pin, strerror(errno));
	if (bpf_link__pin(link, pin))
		die("pin %s: %s", pin, strerror(errno));
	printf("xtcpize: enabled for %s (%s)\n", cgroup ?: netns, pin);
	return 0;
}

static int disable(const char *cgroup, const char *netns)
{
	char pin[PATH_MAX], cfg_pin[PATH_MAX + 8];
	unsigned int ino;
	int scope, fd;

	pin_name(pin, sizeof(pin), cgroup, netns, &scope, &fd, &ino);
	snprintf(cfg_pin, sizeof(cfg_pin), "%s_cfg", pin);
	if (unlink(pin))
		die("not enabled for %s (%s: %s)", cgroup ?: netns, pin,
		    strerror(errno));
	unlink(cfg_pin);
	printf("xtcpize: disabled for %s\n", cgroup ?: netns);
	return 0;
}

static int status(void)
{
	struct dirent *d;
	DIR *dir = opendir(PIN_DIR);
	int n = 0;

	while (dir && (d = readdir(dir))) {
		struct xtcpize_cfg c;
		char path[PATH_MAX];
		__u32 key = 0;
		int fd;
		size_t l = strlen(d->d_name);

		if (l < 4 || strcmp(d->d_name + l - 4, "_cfg"))
			continue;
		snprintf(path, sizeof(path), PIN_DIR "/%s", d->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0 || bpf_map_lookup_elem(fd, &key, &c))
			continue;
		printf("%.*s proto %u converted %u\n", (int)(l - 4), d->d_name,
		       c.proto, c.converted);
		close(fd);
		n++;
	}
	if (dir)
		closedir(dir);
	printf("%d enabled\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cgroup = NULL, *netns = NULL, *cmd;
	int proto = 253, i;

	if (argc < 2)
		die("usage: xtcpize-bpf probe|run|enable|disable|status ...");
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--proto") && i + 1 < argc)
			proto = parse_proto(argv[++i]);
		else if (!strcmp(argv[i], "--cgroup") && i + 1 < argc)
			cgroup = argv[++i];
		else if (!strcmp(argv[i], "--netns") && i + 1 < argc)
			netns = argv[++i];
		else if (!strcmp(argv[i], "--") && ++i)
			break;
		else
			break;
	}
	if (!strcmp(cmd, "probe"))
		return probe(0);
	if (!strcmp(cmd, "run")) {
		if (i >= argc)
			die("run: no command");
		return run(proto, argv + i);
	}
	if (!strcmp(cmd, "enable"))
		return enable(proto, cgroup, netns);
	if (!strcmp(cmd, "disable"))
		return disable(cgroup, netns);
	if (!strcmp(cmd, "status"))
		return status();
	die("unknown command %s", cmd);
	return 2;
}
