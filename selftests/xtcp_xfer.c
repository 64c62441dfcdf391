// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_xfer: move a deterministic pseudo-random stream over one
 * connection and check it end to end.  A helper of xtcp_xfer.sh and of
 * the benchmarks, not a test by itself.
 *
 *   xtcp_xfer server PORT [-n CONNS] [-a ADDR] [opts]
 *   xtcp_xfer client ADDR PORT SIZE [-m blocking|epoll|sendfile] [-b]
 *                    [-r COUNT] [opts]
 *   opts: -p PROTO (default $XTCP_PROTO or 253), -s SEED, -t TIMEOUT_SECS
 *
 * The client sends a header (seed, size, flags), then SIZE octets of
 * the stream of SEED in chunks of random size, then shuts down its
 * write side.  The server reads with random sizes, checks each octet
 * against the same stream, hashes them, and answers with what it got
 * (length, hash, first bad offset) before it closes.  The client
 * compares that with its own length and hash, then expects EOF.
 *
 * -b: the server also sends SIZE octets of a stream of its own while
 *     it receives; the client checks them the same way.
 * -r COUNT: first COUNT 1-octet requests, each echoed by the server
 *     (latency, for the benchmarks).
 *
 * One line per connection on stderr: bytes, seconds, MB/s.
 * Exit: 0 verified, 1 data or length mismatch, 2 error, 3 timeout.
 * On a timeout or SIGTERM its connections are reset, not closed, so
 * that no orphaned socket outlives a failed transfer.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/xtcp.h>

#define XFER_MAGIC	0x58464552u	/* "XFER", client to server */
#define XFER_REPLY	0x58465253u	/* "XFRS", server to client */
#define FLAG_BIDIR	1u
#define CHUNK_MAX	(256 * 1024)
#define SERVER_SEED_XOR	0x5eed5eed5eed5eedull
#define FNV_OFFSET	0xcbf29ce484222325ull
#define FNV_PRIME	0x100000001b3ull
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

enum { EXIT_MISMATCH = 1, EXIT_ERROR = 2, EXIT_TIMEOUT = 3 };

struct header {
	uint32_t magic;
	uint32_t flags;
	uint64_t seed;
	uint64_t size;
	uint64_t rr;
};

struct reply {
	uint32_t magic;
	uint32_t pad;
	uint64_t len;
	uint64_t hash;
	uint64_t bad;		/* first offset that differed, or ~0 */
};

static const char *role = "xfer";
static int proto_num;
/* How far the transfer got, for the timeout message. */
static uint64_t progress_sent, progress_rcvd;

/*
 * Reset every connection of this process: a transfer that gives up must
 * leave no orphan retransmitting behind it (SO_LINGER with a zero
 * timeout makes close() abortive).  Async-signal-safe.
 */
static void abort_sockets(void)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd;

	for (fd = 3; fd < 1024; fd++)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "xtcp_xfer %s: ", role);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", e ? strerror(e) : "failed");
	abort_sockets();
	exit(EXIT_ERROR);
}

/* SIGALRM: say how far we got, reset the connections, and fail. */
static void on_alarm(int sig)
{
	char msg[160];
	int n;

	n = snprintf(msg, sizeof(msg),
		     "xtcp_xfer %s: timeout: sent %llu, received %llu octets\n",
		     role, (unsigned long long)progress_sent,
		     (unsigned long long)progress_rcvd);
	abort_sockets();
	if (write(2, msg, n) < 0)
		_exit(EXIT_TIMEOUT);
	_exit(EXIT_TIMEOUT);
}

/* SIGTERM or SIGINT: the caller gave up on us; leave no orphan either. */
static void on_term(int sig)
{
	abort_sockets();
	_exit(EXIT_ERROR);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64: word @k of the stream of @seed. */
static uint64_t stream_word(uint64_t seed, uint64_t k)
{
	uint64_t z = seed + (k + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Octets [off, off + n) of the stream of @seed, little-endian words. */
static void stream_fill(uint64_t seed, uint64_t off, unsigned char *buf,
			size_t n)
{
	while (n) {
		uint64_t w = stream_word(seed, off >> 3);
		unsigned int b = off & 7;

		if (!b && n >= 8) {
			w = htole64(w);
			memcpy(buf, &w, 8);
			buf += 8;
			off += 8;
			n -= 8;
			continue;
		}
		*buf++ = w >> (8 * b);
		off++;
		n--;
	}
}

/*
 * FNV-1a over the stream as 64-bit little-endian words (octet offsets
 * from the start), the last one zero-padded, then the length.  Any
 * read sizes give the same hash.
 */
struct hash {
	uint64_t h, len, carry;
};

static void hash_init(struct hash *s)
{
	s->h = FNV_OFFSET;
	s->len = 0;
	s->carry = 0;
}

static void hash_mix(struct hash *s, uint64_t w)
{
	s->h = (s->h ^ w) * FNV_PRIME;
}

static void hash_update(struct hash *s, const unsigned char *p, size_t n)
{
	while (n) {
		uint64_t w;

		if (!(s->len & 7) && n >= 8) {
			memcpy(&w, p, 8);
			hash_mix(s, le64toh(w));
			p += 8;
			s->len += 8;
			n -= 8;
			continue;
		}
		s->carry |= (uint64_t)*p++ << (8 * (s->len & 7));
		n--;
		if (!(++s->len & 7)) {
			hash_mix(s, s->carry);
			s->carry = 0;
		}
	}
}

static uint64_t hash_final(struct hash *s)
{
	struct hash t = *s;

	if (t.len & 7)
		hash_mix(&t, t.carry);
	hash_mix(&t, t.len);
	return t.h;
}

/* Random chunk sizes, log-uniform in [1, CHUNK_MAX]. */
static uint64_t rnd(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ull;
	return stream_word(*state, 0);
}

static size_t chunk(uint64_t *state, uint64_t left)
{
	uint64_t r = rnd(state);
	size_t n = 1 + (r >> 8) % (1u << (r % 19));

	return n < left ? n : left;
}

/* Block in poll() until @fd is ready for @events (non-blocking sockets). */
static void wait_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			die("poll");
}

static ssize_t read_some(int fd, void *buf, size_t n)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);

		if (r >= 0)
			return r;
		if (errno == EAGAIN)
			wait_fd(fd, POLLIN);
		else if (errno != EINTR)
			return -1;
	}
}

/* Read exactly @n octets; 0 on success, -1 on error or early EOF. */
static int read_exact(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n) {
		ssize_t r = read_some(fd, p, n);

		if (r <= 0) {
			if (!r)
				errno = 0;
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EAGAIN)
				wait_fd(fd, POLLOUT);
			else if (errno != EINTR)
				die("write");
			continue;
		}
		p += w;
		n -= w;
	}
}

/* Receive @size octets (or up to EOF if @to_eof), checking each one. */
struct rx {
	uint64_t seed, size, bad;
	int fd, to_eof, err;
	struct hash h;
};

static void *rx_run(void *arg)
{
	static __thread unsigned char buf[CHUNK_MAX], want[CHUNK_MAX];
	struct rx *rx = arg;
	uint64_t off = 0, cs = rx->seed ^ 0xc0ffee;

	hash_init(&rx->h);
	rx->bad = ~0ull;
	rx->err = 0;
	while (rx->to_eof || off < rx->size) {
		size_t n = chunk(&cs, rx->to_eof ? CHUNK_MAX : rx->size - off);
		ssize_t r = read_some(rx->fd, buf, n);

		if (r <= 0) {
			if (r < 0 || !rx->to_eof)
				rx->err = r < 0 ? errno : EPIPE;
			break;
		}
		stream_fill(rx->seed, off, want, r);
		if (rx->bad == ~0ull && memcmp(buf, want, r)) {
			size_t i = 0;

			while (buf[i] == want[i])
				i++;
			rx->bad = off + i;
		}
		hash_update(&rx->h, buf, r);
		off += r;
		progress_rcvd += r;
	}
	return NULL;
}

/* Send @size octets of the stream of @seed in random chunks. */
static void tx_blocking(int fd, uint64_t seed, uint64_t size,
			struct hash *h, int use_epoll)
{
	static __thread unsigned char buf[CHUNK_MAX];
	uint64_t off = 0, cs = seed ^ 0xfeed;
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	int ep = -1;

	if (use_epoll) {
		ep = epoll_create1(0);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			die("epoll");
	}
	while (off < size) {
		size_t n = chunk(&cs, size - off);
		ssize_t w;

		stream_fill(seed, off, buf, n);
		w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN || !use_epoll)
				die("write at offset %llu", (unsigned long long)off);
			while (epoll_wait(ep, &ev, 1, -1) < 0)
				if (errno != EINTR)
					die("epoll_wait");
			continue;
		}
		hash_update(h, buf, w);
		off += w;
		progress_sent += w;
	}
	if (ep >= 0)
		close(ep);
}

/* sendfile() from a temporary file that holds the stream. */
static int stream_file(uint64_t seed, uint64_t size, struct hash *h)
{
	static unsigned char buf[CHUNK_MAX];
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	uint64_t off = 0;
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		/* 6.1's overlayfs (the guest's /tmp) has no O_TMPFILE. */
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/xtcp_xfer.XXXXXX", dir);
		fd = mkstemp(path);
		if (fd < 0)
			die("temporary file in %s", dir);
		unlink(path);
	}
	while (off < size) {
		size_t n = size - off < CHUNK_MAX ? size - off : CHUNK_MAX;

		stream_fill(seed, off, buf, n);
		hash_update(h, buf, n);
		if (pwrite(fd, buf, n, off) != (ssize_t)n)
			die("pwrite");
		off += n;
	}
	return fd;
}

static void tx_sendfile(int fd, int file, uint64_t seed, uint64_t size)
{
	uint64_t cs = seed ^ 0xfeed;
	off_t off = 0;

	while ((uint64_t)off < size) {
		size_t n = chunk(&cs, size - off);
		ssize_t w = sendfile(fd, file, &off, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("sendfile at offset %llu", (unsigned long long)off);
		}
		progress_sent += w;
	}
}

static void summary(const char *what, uint64_t bytes, double secs,
		    const char *result)
{
	fprintf(stderr,
		"xtcp_xfer %s: proto %d %s: %llu bytes in %.3f s, %.2f MB/s: %s\n",
		role, proto_num, what, (unsigned long long)bytes, secs,
		secs > 0 ? bytes / secs / 1e6 : 0.0, result);
}

/* 1-octet exchanges; the server echoes each request. */
static void rr_client(int fd, uint64_t count)
{
	double t0 = now(), secs;
	unsigned char c, r;
	uint64_t i;

	for (i = 0; i < count; i++) {
		c = i;
		write_all(fd, &c, 1);
		if (read_exact(fd, &r, 1) || r != c)
			die("echo %llu", (unsigned long long)i);
	}
	secs = now() - t0;
	fprintf(stderr, "xtcp_xfer %s: proto %d rr: %llu in %.3f s, %.0f per s\n",
		role, proto_num, (unsigned long long)count, secs,
		secs > 0 ? count / secs : 0.0);
}

static void set_nodelay(int fd)
{
	int one = 1;

	/* In-tree TCP only: xtcp has no Nagle and no TCP_NODELAY. */
	if (proto_num == IPPROTO_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

struct tx_args {
	int fd;
	uint64_t seed, size;
	struct hash h;
};

static void *tx_thread(void *arg)
{
	struct tx_args *t = arg;

	hash_init(&t->h);
	tx_blocking(t->fd, t->seed, t->size, &t->h, 0);
	return NULL;
}

static int serve_one(int fd)
{
	struct tx_args tx = { .fd = fd };
	struct reply rep = { .magic = htonl(XFER_REPLY) };
	struct rx rx = { .fd = fd, .to_eof = 1 };
	struct header hd;
	pthread_t th;
	uint64_t i;
	double t0;
	int bidir;
	char what[64];

	if (read_exact(fd, &hd, sizeof(hd)) || ntohl(hd.magic) != XFER_MAGIC)
		die("header");
	bidir = ntohl(hd.flags) & FLAG_BIDIR;
	rx.seed = be64toh(hd.seed);
	rx.size = be64toh(hd.size);
	set_nodelay(fd);
	for (i = 0; i < be64toh(hd.rr); i++) {
		unsigned char c;

		if (read_exact(fd, &c, 1))
			die("request %llu", (unsigned long long)i);
		write_all(fd, &c, 1);
	}
	t0 = now();
	if (bidir) {
		tx.seed = rx.seed ^ SERVER_SEED_XOR;
		tx.size = rx.size;
		if (pthread_create(&th, NULL, tx_thread, &tx))
			die("pthread_create");
	}
	rx_run(&rx);
	if (rx.err) {
		errno = rx.err;
		die("read after %llu octets", (unsigned long long)rx.h.len);
	}
	if (bidir)
		pthread_join(th, NULL);
	rep.len = htobe64(rx.h.len);
	rep.hash = htobe64(hash_final(&rx.h));
	rep.bad = htobe64(rx.bad);
	write_all(fd, &rep, sizeof(rep));
	snprintf(what, sizeof(what), "received%s", bidir ? " and sent" : "");
	summary(what, rx.h.len, now() - t0,
		rx.h.len == rx.size && rx.bad == ~0ull ? "ok" : "MISMATCH");
	if (rx.bad != ~0ull)
		fprintf(stderr, "xtcp_xfer %s: first bad octet at %llu\n", role,
			(unsigned long long)rx.bad);
	close(fd);
	return rx.h.len == rx.size && rx.bad == ~0ull ? 0 : EXIT_MISMATCH;
}

/* @addr (IPv4, or IPv6 if it has a colon) and @port; its length. */
static socklen_t xfer_addr(struct sockaddr_storage *ss, const char *addr,
			   int port)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &a6->sin6_addr) != 1)
			die("bad address %s", addr);
		return sizeof(*a6);
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &a4->sin_addr) != 1)
		die("bad address %s", addr);
	return sizeof(*a4);
}

static int server(const char *addr, int port, int conns)
{
	struct sockaddr_storage a;
	socklen_t alen = xfer_addr(&a, addr, port);
	int lfd, fd, one = 1, ret = 0;

	lfd = socket(a.ss_family, SOCK_STREAM, proto_num);
	if (lfd < 0)
		die("socket(proto %d)", proto_num);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, alen) || listen(lfd, 16))
		die("bind/listen on port %d", port);
	while (conns--) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		ret |= serve_one(fd);
	}
	close(lfd);
	return ret;
}

/* Connect, retrying while the server is not listening yet. */
static int connect_retry(const char *addr, int port)
{
	struct sockaddr_storage a;
	socklen_t alen = xfer_addr(&a, addr, port);
	int fd;

	for (;;) {
		fd = socket(a.ss_family, SOCK_STREAM, proto_num);
		if (fd < 0)
			die("socket(proto %d)", proto_num);
		if (!connect(fd, (struct sockaddr *)&a, alen))
			return fd;
		if (errno != ECONNREFUSED)
			die("connect to %s:%d", addr, port);
		close(fd);
		usleep(50000);
	}
}

static int client(const char *addr, int port, uint64_t size, uint64_t seed,
		  const char *mode, int bidir, uint64_t rr)
{
	struct header hd = {
		.magic = htonl(XFER_MAGIC),
		.flags = htonl(bidir ? FLAG_BIDIR : 0),
		.seed = htobe64(seed),
		.size = htobe64(size),
		.rr = htobe64(rr),
	};
	struct rx rx = { .seed = seed ^ SERVER_SEED_XOR, .size = size };
	int fd, file = -1, ok = 1;
	struct reply rep;
	struct hash h;
	pthread_t th;
	char extra;
	double t0;

	hash_init(&h);
	if (!strcmp(mode, "sendfile"))
		file = stream_file(seed, size, &h);
	else if (strcmp(mode, "blocking") && strcmp(mode, "epoll"))
		die("unknown mode %s", mode);
	fd = connect_retry(addr, port);
	set_nodelay(fd);
	write_all(fd, &hd, sizeof(hd));
	if (rr)
		rr_client(fd, rr);
	if (!strcmp(mode, "epoll") &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		die("O_NONBLOCK");

	t0 = now();
	rx.fd = fd;
	if (bidir && pthread_create(&th, NULL, rx_run, &rx))
		die("pthread_create");
	if (file >= 0)
		tx_sendfile(fd, file, seed, size);
	else
		tx_blocking(fd, seed, size, &h, !strcmp(mode, "epoll"));
	if (shutdown(fd, SHUT_WR))
		die("shutdown");
	if (bidir) {
		pthread_join(th, NULL);
		if (rx.err) {
			errno = rx.err;
			die("read after %llu octets", (unsigned long long)rx.h.len);
		}
		if (rx.bad != ~0ull) {
			fprintf(stderr, "xtcp_xfer %s: first bad octet from the server at %llu\n",
				role, (unsigned long long)rx.bad);
			ok = 0;
		}
	}
	if (read_exact(fd, &rep, sizeof(rep)))
		die("no reply");
	if (ntohl(rep.magic) != XFER_REPLY)
		die("bad reply");
	if (read_some(fd, &extra, 1) != 0)
		die("no EOF after the reply");
	if (be64toh(rep.len) != size || be64toh(rep.hash) != hash_final(&h)) {
		fprintf(stderr,
			"xtcp_xfer %s: server got %llu octets, hash %016llx; sent %llu, hash %016llx\n",
			role, (unsigned long long)be64toh(rep.len),
			(unsigned long long)be64toh(rep.hash),
			(unsigned long long)size,
			(unsigned long long)hash_final(&h));
		ok = 0;
	}
	if (be64toh(rep.bad) != ~0ull) {
		fprintf(stderr, "xtcp_xfer %s: server saw a bad octet at %llu\n",
			role, (unsigned long long)be64toh(rep.bad));
		ok = 0;
	}
	summary(bidir ? "sent and received" : "sent", size, now() - t0,
		ok ? "ok" : "MISMATCH");
	close(fd);
	if (file >= 0)
		close(file);
	return ok ? 0 : EXIT_MISMATCH;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xtcp_xfer server PORT [-n CONNS] [-a ADDR] [opts]\n"
		"       xtcp_xfer client ADDR PORT SIZE [-m blocking|epoll|sendfile]\n"
		"                 [-b] [-r COUNT] [opts]\n"
		"opts:  -p PROTO  -s SEED  -t TIMEOUT_SECS\n");
	exit(EXIT_ERROR);
}

/* SIZE with an optional K, M or G suffix (powers of 1024). */
static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G':
		v <<= 10;
		fallthrough;
	case 'M':
		v <<= 10;
		fallthrough;
	case 'K':
		v <<= 10;
		end++;
		break;
	case 0:
		break;
	default:
		usage();
	}
	if (*end)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	const char *mode = "blocking", *bind_addr = "0.0.0.0", *env;
	int opt, conns = 1, timeout = 0, bidir = 0, npos;
	uint64_t seed = 1, rr = 0;

	env = getenv("XTCP_PROTO");
	proto_num = env ? atoi(env) : IPPROTO_XTCP;
	if (argc < 2)
		usage();
	role = argv[1];
	if (!strcmp(role, "server"))
		npos = 1;
	else if (!strcmp(role, "client"))
		npos = 3;
	else
		usage();
	if (argc < 2 + npos)
		usage();
	optind = 2 + npos;
	while ((opt = getopt(argc, argv, "a:bm:n:p:r:s:t:")) != -1) {
		switch (opt) {
		case 'a':
			bind_addr = optarg;
			break;
		case 'b':
			bidir = 1;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'n':
			conns = atoi(optarg);
			break;
		case 'p':
			proto_num = atoi(optarg);
			break;
		case 'r':
			rr = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	alarm(timeout);
	if (npos == 1)
		return server(bind_addr, atoi(argv[2]), conns);
	return client(argv[2], atoi(argv[3]), parse_size(argv[4]), seed, mode,
		      bidir, rr);
}
