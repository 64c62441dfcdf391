// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_faults: deterministic loss, duplication and corruption on a
 * link, for tests whose verdict must not depend on chance.  It loads
 * xtcp_faults.bpf.o with its rules and attaches it to DEV's tc ingress
 * hook (egress with -e), replacing any earlier rules there; then it
 * exits and the program stays until detached.  A helper of the shell
 * tests, not a test by itself.
 *
 *   xtcp_faults DEV [-e] [-p PROTO] RULE...   attach
 *   xtcp_faults DEV [-e] -s                   print what it did
 *   xtcp_faults DEV -d                        detach (drops the clsact qdisc)
 *
 * The receiving end's ingress is the place for corruption: a sender on
 * a device without checksum offload computes the checksum after the
 * egress hook, so a packet corrupted there would still verify.
 *
 * RULE is ACTION@FIRST[+EVERY[xCOUNT]] with ACTION drop, dup or corrupt:
 * "drop@1" loses the first packet (a SYN), "drop@5+5" every fifth
 * packet, "corrupt@3+50x4" packets 3, 53, 103 and 153.  Packets are the
 * IPv4 or IPv6 packets of PROTO ($XTCP_PROTO or 253) through the hook,
 * counted from 1; the first rule that hits a packet decides.
 * Exit: 0 done, 1 error.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xtcp_faults.h"

#define TC_HANDLE	1
#define TC_PRIORITY	1

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xtcp_faults: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void)
{
	die("usage: xtcp_faults DEV [-e] [-p PROTO] RULE... | DEV [-e] -s | DEV -d\n"
	    "  RULE: drop|dup|corrupt@FIRST[+EVERY[xCOUNT]]");
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void parse_rule(const char *s, struct xtcp_fault_rule *r)
{
	static const char *const names[] = {
		[XTCP_FAULT_DROP] = "drop",
		[XTCP_FAULT_DUP] = "dup",
		[XTCP_FAULT_CORRUPT] = "corrupt",
	};
	const char *at = strchr(s, '@');
	unsigned int a;
	char *end;

	if (!at)
		die("rule %s: no @", s);
	for (a = XTCP_FAULT_DROP; a <= XTCP_FAULT_CORRUPT; a++)
		if (strlen(names[a]) == (size_t)(at - s) &&
		    !strncmp(s, names[a], at - s))
			r->action = a;
	if (!r->action)
		die("rule %s: unknown action", s);
	r->first = strtoul(at + 1, &end, 10);
	if (*end == '+')
		r->every = strtoul(end + 1, &end, 10);
	if (*end == 'x' && r->every)
		r->count = strtoul(end + 1, &end, 10);
	if (*end || !r->first)
		die("rule %s: want ACTION@FIRST[+EVERY[xCOUNT]], FIRST >= 1", s);
}

static void hook_of(struct bpf_tc_hook *hook, const char *dev, int egress)
{
	hook->sz = sizeof(*hook);
	hook->ifindex = if_nametoindex(dev);
	if (!hook->ifindex)
		die("no device %s", dev);
	hook->attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
}

static void attach(const char *obj_path, const char *dev, int egress,
		   const struct xtcp_faults_cfg *cfg)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE,
			    .priority = TC_PRIORITY, .flags = BPF_TC_F_REPLACE);
	struct bpf_tc_hook hook = {};
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	int err;

	hook_of(&hook, dev, egress);
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj)
		die("open %s: %s", obj_path, strerror(errno));
	map = bpf_object__find_map_by_name(obj, ".rodata");
	if (!map || bpf_map__set_initial_value(map, cfg, sizeof(*cfg)))
		die("%s: no .rodata of %zu octets", obj_path, sizeof(*cfg));
	err = bpf_object__load(obj);
	if (err)
		die("load %s: %s", obj_path, strerror(-err));
	prog = bpf_object__find_program_by_name(obj, "xtcp_faults");
	if (!prog)
		die("%s: no program xtcp_faults", obj_path);

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		die("clsact on %s: %s", dev, strerror(-err));
	opts.prog_fd = bpf_program__fd(prog);
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		die("attach to %s: %s", dev, strerror(-err));
	bpf_object__close(obj);
}

/* The stats of the program on @dev's hook, found through its maps. */
static void stats(const char *dev, int egress)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = TC_HANDLE,
			    .priority = TC_PRIORITY);
	struct bpf_prog_info info = {};
	struct bpf_tc_hook hook = {};
	__u32 len = sizeof(info), ids[4], i, zero = 0;
	struct xtcp_faults_stats st;
	int fd, err;

	hook_of(&hook, dev, egress);
	err = bpf_tc_query(&hook, &opts);
	if (err)
		die("no program on %s: %s", dev, strerror(-err));
	fd = bpf_prog_get_fd_by_id(opts.prog_id);
	info.nr_map_ids = 4;
	info.map_ids = (unsigned long)ids;
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		die("program %u: %s", opts.prog_id, strerror(errno));
	for (i = 0; i < info.nr_map_ids && i < 4; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(ids[i]);
		size_t n;

		if (mfd < 0 || bpf_obj_get_info_by_fd(mfd, &mi, &mlen))
			die("map %u: %s", ids[i], strerror(errno));
		n = strlen(mi.name);
		if (n < 4 || strcmp(mi.name + n - 4, ".bss") ||
		    mi.value_size != sizeof(st))
			continue;
		if (bpf_map_lookup_elem(mfd, &zero, &st))
			die("read stats: %s", strerror(errno));
		printf("packets %llu dropped %llu duplicated %llu corrupted %llu\n",
		       (unsigned long long)st.packets,
		       (unsigned long long)st.dropped,
		       (unsigned long long)st.duplicated,
		       (unsigned long long)st.corrupted);
		return;
	}
	die("program %u has no stats map", opts.prog_id);
}

int main(int argc, char **argv)
{
	struct xtcp_faults_cfg cfg = {};
	int opt, egress = 0, show = 0, detach = 0, n = 0;
	char obj[PATH_MAX], self[PATH_MAX];
	const char *dev, *env;
	struct bpf_tc_hook hook = {};
	ssize_t len;

	if (argc < 2 || argv[1][0] == '-')
		usage();
	dev = argv[1];
	env = getenv("XTCP_PROTO");
	cfg.proto = env ? atoi(env) : 253;
	optind = 2;
	while ((opt = getopt(argc, argv, "dep:s")) != -1) {
		switch (opt) {
		case 'd':
			detach = 1;
			break;
		case 'e':
			egress = 1;
			break;
		case 'p':
			cfg.proto = atoi(optarg);
			break;
		case 's':
			show = 1;
			break;
		default:
			usage();
		}
	}
	libbpf_set_print(quiet);
	if (detach) {
		hook_of(&hook, dev, 0);
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		return bpf_tc_hook_destroy(&hook) ? 1 : 0;
	}
	if (show) {
		stats(dev, egress);
		return 0;
	}
	if (optind == argc)
		usage();
	for (; optind < argc; optind++) {
		if (n == XTCP_FAULT_RULES)
			die("at most %d rules", XTCP_FAULT_RULES);
		parse_rule(argv[optind], &cfg.rule[n++]);
	}
	cfg.ingress = !egress;

	/* The object lives beside this program. */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		die("/proc/self/exe: %s", strerror(errno));
	self[len] = 0;
	snprintf(obj, sizeof(obj), "%s/xtcp_faults.bpf.o", dirname(self));
	attach(obj, dev, egress, &cfg);
	return 0;
}
