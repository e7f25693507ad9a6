// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctgen.c — traffic generator for the ctleak test guest.
 *
 * Runs inside the tiny QEMU guest (busybox initramfs, root, loopback only)
 * and makes the netfilter conntrack entries that the vmcore tests look for:
 * UDP flows (unreplied, replied, assured), TCP connections kept open, ICMP
 * echo flows, an NFQUEUE that is bound and never read, and a second network
 * namespace. Built statically with nothing but glibc:
 *
 *   gcc -static -O2 -Wall -Wextra -Werror -std=gnu11 ctgen.c -o ctgen
 *
 * Every count is capped and every wait has a deadline; only the servers
 * (udp-echo, tcp-listen), nfq-bind and an open tcp4/tcp6 client stay on
 * forever, by design: the guest's init script backgrounds them.
 * Errors are one line on stderr and exit status 1; success prints one
 * summary line on stdout and exits 0. Run without arguments for the usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/netlink.h>

/* --- netfilter netlink constants (from the uapi headers when present) ---- */
#if defined(__has_include)
#if __has_include(<linux/netfilter/nfnetlink_queue.h>)
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#define CTGEN_HAVE_NFQ_H 1
#endif
#endif
#ifndef CTGEN_HAVE_NFQ_H
#define NFNETLINK_V0 0
#define NFNL_SUBSYS_QUEUE 3
#define NFQNL_MSG_CONFIG 2
#define NFQNL_CFG_CMD_BIND 1
#define NFQNL_COPY_PACKET 2
#define NFQA_CFG_CMD 1
#define NFQA_CFG_PARAMS 2
struct nfgenmsg {
	uint8_t nfgen_family;
	uint8_t version;
	uint16_t res_id; /* big endian */
};
struct nfqnl_msg_config_cmd {
	uint8_t command;
	uint8_t _pad;
	uint16_t pf; /* big endian */
};
struct nfqnl_msg_config_params {
	uint32_t copy_range; /* big endian */
	uint8_t copy_mode;
} __attribute__((packed));
#endif
#ifndef NETLINK_NETFILTER
#define NETLINK_NETFILTER 12
#endif

/* Raw IPv4 ICMP type filter (linux/icmp.h clashes with netinet headers). */
#ifndef SOL_RAW
#define SOL_RAW 255
#endif
#define CTGEN_ICMP_FILTER 1
struct ctgen_icmp_filter {
	uint32_t data; /* bit T set: drop ICMP type T */
};

/* --- caps and defaults ----------------------------------------------------- */
#define UDP_MAX_FLOWS 200000u    /* udp4 (several 127.0.0.x sources) */
#define UDP_MAX_ADDRS 8u         /* 127.0.0.1 .. 127.0.0.8 */
#define UDP_MAX_REPEAT 100u
#define UDP_DEFAULT_SPORT 10000u
#define PAIRS_MAX 8192u
#define PAIRS_DEFAULT_WAIT_MS 2500u
#define PAIRS_MAX_WAIT_MS 60000u
#define PAIRS_WINDOW 128u        /* first/second packets outstanding at once */
#define PAIRS_REPLY_MS 8000      /* deadline for each round of echoes */
#define TCP_MAX_CONNS 4096u      /* per tcp4/tcp6 client */
#define LISTEN_MAX_CONNS 8192u   /* per tcp-listen server */
#define TCP_CONNECT_TIMEOUT_S 5
#define TCP_ECHO_MS 15000
#define ICMP_MAX 65535u
#define ICMP_REPLY_MS 5000
#define BATCH 256u               /* packets per sendmmsg() */
#define PAYLOAD "ctgen-pk"       /* 8 bytes */
#define PAYLOAD_LEN 8u
#define SERVER_RCVBUF (8 << 20)

static const char *g_cmd = "";

/* --- messages -------------------------------------------------------------- */
static void verr(int with_errno, const char *fmt, va_list ap)
{
	int e = errno;

	fprintf(stderr, "ctgen%s%s: error: ", *g_cmd ? " " : "", g_cmd);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
}

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(0, fmt, ap);
	va_end(ap);
	exit(1);
}

__attribute__((noreturn, format(printf, 1, 2))) static void die_errno(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(1, fmt, ap);
	va_end(ap);
	exit(1);
}

static const char usage_text[] =
	"usage: ctgen COMMAND ARGS...   (root; all traffic stays on the loopback)\n"
	"  udp4 N PORT [--repeat K] [--sport P]\n"
	"  udp6 N PORT [--repeat K] [--sport P]\n"
	"      N new UDP flows to 127.0.0.1:PORT / [::1]:PORT, one per source port\n"
	"      P, P+1, ... 65535 (default P=10000); udp4 goes on from 127.0.0.2\n"
	"      when the ports run out. K datagrams per flow (default 1), sent in\n"
	"      K rounds over all flows. N <= 200000 (udp6: N <= 65536-P), K <= 100.\n"
	"  udp-echo PORT [--v6]\n"
	"      UDP server on 0.0.0.0:PORT / [::]:PORT echoing every datagram; forever.\n"
	"  udp4-pairs N PORT [--wait-ms MS]\n"
	"  udp6-pairs N PORT [--wait-ms MS]\n"
	"      N UDP flows to a udp-echo server: first datagram, wait for its echo,\n"
	"      then, MS ms after the last first datagram (default 2500, <= 60000),\n"
	"      a second datagram and its echo: the flows end SEEN_REPLY and ASSURED.\n"
	"      MS=0 sends the second datagram at once. N <= 8192.\n"
	"  tcp-listen PORT [--v6]\n"
	"      TCP server on 0.0.0.0:PORT / [::]:PORT; echoes what it reads and keeps\n"
	"      up to 8192 connections open; forever.\n"
	"  tcp4 N PORT [--close]\n"
	"  tcp6 N PORT [--close]\n"
	"      N TCP connections to a tcp-listen server on 127.0.0.1 / ::1, a few bytes\n"
	"      each way; prints a line ending in \"ready\" and keeps them open forever,\n"
	"      or closes them and exits with --close. N <= 4096.\n"
	"  icmp4 N [--id-base B]\n"
	"  icmp6 N [--id-base B]\n"
	"      N ICMP echo requests to 127.0.0.1 / ::1 with ids B..B+N-1 (default\n"
	"      B=1, B+N-1 <= 65535) and waits for the kernel's N echo replies.\n"
	"  nfq-bind QUEUE\n"
	"      binds NFQUEUE number QUEUE (copy-packet mode, 64 bytes), prints\n"
	"      \"nfq-bind: queue QUEUE bound\" once the kernel acknowledged, then never\n"
	"      reads the socket: queued packets stay queued. Forever.\n"
	"  netns -- CMD [ARGS...]\n"
	"      new network namespace, loopback up, then execv(CMD, [CMD, ARGS...]);\n"
	"      CMD is an absolute path.\n"
	"  netns-inum\n"
	"      the inode number of the current network namespace.\n"
	"  as-user UID -- CMD [ARGS...]\n"
	"      drop every privilege (groups, gid and uid UID), then execv(CMD, ...).\n";

static void usage_exit(int code)
{
	fputs(usage_text, code ? stderr : stdout);
	exit(code);
}

/* --- small helpers --------------------------------------------------------- */
static unsigned long parse_num(const char *s, unsigned long min, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		die("%s: expected a number from %lu to %lu, got '%s'", what, min, max, s ? s : "");
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		die("%s: expected a number from %lu to %lu, got '%s'", what, min, max, s);
	return v;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts, rem;
	int i;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	for (i = 0; i < 1000 && nanosleep(&ts, &rem) != 0 && errno == EINTR; i++)
		ts = rem;
}

__attribute__((noreturn)) static void sleep_forever(void)
{
	fflush(stdout);
	for (;;) /* by design: keeps sockets / queue / connections alive */
		pause();
}

static void raise_nofile(unsigned long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		die_errno("getrlimit(RLIMIT_NOFILE)");
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
		return;
	if (rl.rlim_cur == RLIM_INFINITY)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		rl.rlim_max = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		die_errno("setrlimit(RLIMIT_NOFILE, %lu)", need);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die_errno("fcntl(O_NONBLOCK)");
}

/* Big receive buffer for servers (SO_RCVBUFFORCE as root, else best effort). */
static void big_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

/* A socket filter that accepts nothing: raw senders never queue input. */
static void drop_all_input(int fd)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &insn };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0)
		die_errno("setsockopt(SO_ATTACH_FILTER)");
}

/* Loopback address of a family (127.0.0.1 + idx for IPv4, ::1) with a port. */
static socklen_t loop_addr(int v6, unsigned idx, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons((uint16_t)port);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK + idx);
		s4->sin_port = htons((uint16_t)port);
		return sizeof(*s4);
	}
}

/* Wildcard address (0.0.0.0 / ::) with a port. */
static socklen_t any_addr(int v6, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_any;
		s6->sin6_port = htons((uint16_t)port);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		s4->sin_port = htons((uint16_t)port);
		return sizeof(*s4);
	}
}

/* Internet checksum over big-endian 16-bit words. */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* --- options --------------------------------------------------------------- */
enum {
	OPT_REPEAT = 1 << 0,
	OPT_SPORT = 1 << 1,
	OPT_WAIT = 1 << 2,
	OPT_V6 = 1 << 3,
	OPT_CLOSE = 1 << 4,
	OPT_IDBASE = 1 << 5,
};

struct opts {
	const char *pos[4];
	unsigned npos;
	unsigned long repeat, sport, wait_ms, id_base;
	int v6, close;
};

/* argv[2..]: exactly npos positionals and the options in allowed. */
static void parse_opts(int argc, char **argv, unsigned npos, unsigned allowed, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->repeat = 1;
	o->sport = UDP_DEFAULT_SPORT;
	o->wait_ms = PAIRS_DEFAULT_WAIT_MS;
	o->id_base = 1;
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strncmp(a, "--", 2) != 0) {
			if (o->npos >= npos)
				die("unexpected argument '%s' (run ctgen without arguments for the usage)", a);
			o->pos[o->npos++] = a;
		} else if (!strcmp(a, "--repeat") && (allowed & OPT_REPEAT)) {
			o->repeat = parse_num(val, 1, UDP_MAX_REPEAT, "--repeat");
			i++;
		} else if (!strcmp(a, "--sport") && (allowed & OPT_SPORT)) {
			o->sport = parse_num(val, 1, 65535, "--sport");
			i++;
		} else if (!strcmp(a, "--wait-ms") && (allowed & OPT_WAIT)) {
			o->wait_ms = parse_num(val, 0, PAIRS_MAX_WAIT_MS, "--wait-ms");
			i++;
		} else if (!strcmp(a, "--id-base") && (allowed & OPT_IDBASE)) {
			o->id_base = parse_num(val, 0, 65535, "--id-base");
			i++;
		} else if (!strcmp(a, "--v6") && (allowed & OPT_V6)) {
			o->v6 = 1;
		} else if (!strcmp(a, "--close") && (allowed & OPT_CLOSE)) {
			o->close = 1;
		} else {
			die("unknown option '%s' (run ctgen without arguments for the usage)", a);
		}
	}
	if (o->npos != npos)
		die("expected %u argument%s, got %u (run ctgen without arguments for the usage)",
		    npos, npos == 1 ? "" : "s", o->npos);
}

static const char *fam_lo(int v6)
{
	return v6 ? "[::1]" : "127.0.0.1";
}

/* --- udp4 / udp6: many new flows from one raw socket ------------------------ */
struct udp_batch {
	unsigned char pkt[BATCH][8 + PAYLOAD_LEN];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	unsigned n;
};

/* Sends the batch; a packet refused with EPERM (dropped by a netfilter hook)
 * is counted and skipped. Each call of sendmmsg() advances by >= 1 packet. */
static void udp_flush(int fd, struct udp_batch *b, struct sockaddr_storage *dst, socklen_t dlen,
		      unsigned long *sent, unsigned long *refused)
{
	unsigned off = 0, i;

	for (i = 0; i < b->n; i++) {
		b->iov[i].iov_base = b->pkt[i];
		b->iov[i].iov_len = sizeof(b->pkt[i]);
		memset(&b->msg[i], 0, sizeof(b->msg[i]));
		b->msg[i].msg_hdr.msg_name = dst;
		b->msg[i].msg_hdr.msg_namelen = dlen;
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i <= b->n && off < b->n; i++) {
		int r = sendmmsg(fd, b->msg + off, b->n - off, 0);

		if (r > 0) {
			off += (unsigned)r;
			*sent += (unsigned)r;
		} else if (r < 0 && errno == EPERM) {
			off++;
			(*refused)++;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else {
			die_errno("sendmmsg");
		}
	}
	if (off < b->n)
		die("sendmmsg made no progress");
	b->n = 0;
}

static int cmd_udp(int argc, char **argv, int v6)
{
	struct opts o;
	unsigned long n, port, span, naddr, a, r, sent = 0, refused = 0;
	struct udp_batch *b = xcalloc(1, sizeof(*b));
	int fds[UDP_MAX_ADDRS];
	char srcs[64];
	int64_t t0;

	parse_opts(argc, argv, 2, OPT_REPEAT | OPT_SPORT, &o);
	n = parse_num(o.pos[0], 1, UDP_MAX_FLOWS, "N");
	port = parse_num(o.pos[1], 1, 65535, "PORT");
	span = 65536 - o.sport;
	naddr = (n + span - 1) / span;
	if (v6 && naddr > 1)
		die("at most %lu flows from [::1] with source ports %lu-65535 (lower --sport)", span, o.sport);
	if (naddr > UDP_MAX_ADDRS)
		die("at most %lu flows with source ports %lu-65535 (lower --sport)",
		    span * UDP_MAX_ADDRS, o.sport);

	for (a = 0; a < naddr; a++) {
		struct sockaddr_storage src;
		socklen_t slen = loop_addr(v6, (unsigned)a, 0, &src);

		fds[a] = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP);
		if (fds[a] < 0)
			die_errno("socket(SOCK_RAW, IPPROTO_UDP) (needs root)");
		drop_all_input(fds[a]);
		if (bind(fds[a], (struct sockaddr *)&src, slen) != 0)
			die_errno("bind raw socket to %s", v6 ? "::1" : "127.0.0.x");
	}

	t0 = now_ms();
	for (r = 0; r < o.repeat; r++) {
		unsigned long i = 0;

		for (a = 0; a < naddr; a++) {
			struct sockaddr_storage src, dst;
			socklen_t dlen;
			uint32_t pseudo;
			unsigned long end = (a + 1) * span < n ? (a + 1) * span : n;

			loop_addr(v6, (unsigned)a, 0, &src);
			dlen = loop_addr(v6, 0, 0, &dst); /* raw: port must be 0 */
			/* Pseudo-header sum: addresses, protocol, UDP length. */
			if (v6) {
				pseudo = csum_add(0, &((struct sockaddr_in6 *)&src)->sin6_addr, 16);
				pseudo = csum_add(pseudo, &((struct sockaddr_in6 *)&dst)->sin6_addr, 16);
			} else {
				pseudo = csum_add(0, &((struct sockaddr_in *)&src)->sin_addr, 4);
				pseudo = csum_add(pseudo, &((struct sockaddr_in *)&dst)->sin_addr, 4);
			}
			pseudo += IPPROTO_UDP + 8 + PAYLOAD_LEN;
			for (; i < end; i++) {
				unsigned char *p = b->pkt[b->n];
				uint16_t sp = (uint16_t)(o.sport + i % span), ck;

				p[0] = (uint8_t)(sp >> 8);
				p[1] = (uint8_t)sp;
				p[2] = (uint8_t)(port >> 8);
				p[3] = (uint8_t)port;
				p[4] = 0;
				p[5] = 8 + PAYLOAD_LEN;
				p[6] = p[7] = 0;
				memcpy(p + 8, PAYLOAD, PAYLOAD_LEN);
				ck = csum_fold(csum_add(pseudo, p, 8 + PAYLOAD_LEN));
				if (ck == 0)
					ck = 0xffff;
				p[6] = (uint8_t)(ck >> 8);
				p[7] = (uint8_t)ck;
				if (++b->n == BATCH)
					udp_flush(fds[a], b, &dst, dlen, &sent, &refused);
			}
			if (b->n)
				udp_flush(fds[a], b, &dst, dlen, &sent, &refused);
		}
	}
	for (a = 0; a < naddr; a++)
		close(fds[a]);
	free(b);

	if (naddr > 1)
		snprintf(srcs, sizeof(srcs), "127.0.0.1-127.0.0.%lu", naddr);
	else
		snprintf(srcs, sizeof(srcs), "%s", fam_lo(v6));
	printf("ctgen %s: %lu flow%s to %s:%lu from %s ports %lu-%lu, %lu datagram%s each, %lu sent",
	       argv[1], n, n == 1 ? "" : "s", fam_lo(v6), port, srcs, o.sport,
	       naddr > 1 ? 65535 : o.sport + n - 1, o.repeat, o.repeat == 1 ? "" : "s", sent);
	if (refused)
		printf(", %lu refused by netfilter (EPERM)", refused);
	printf(", %lld ms\n", (long long)(now_ms() - t0));
	return 0;
}

/* --- udp-echo ---------------------------------------------------------------- */
static int cmd_udp_echo(int argc, char **argv)
{
	struct opts o;
	unsigned long port;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	parse_opts(argc, argv, 1, OPT_V6, &o);
	port = parse_num(o.pos[0], 1, 65535, "PORT");
	fd = socket(o.v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("socket(SOCK_DGRAM)");
	if (o.v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0)
		die_errno("setsockopt(IPV6_V6ONLY)");
	big_rcvbuf(fd, SERVER_RCVBUF);
	len = any_addr(o.v6, (unsigned)port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) != 0)
		die_errno("bind %s:%lu", o.v6 ? "[::]" : "0.0.0.0", port);
	printf("ctgen udp-echo: listening on %s:%lu\n", o.v6 ? "[::]" : "0.0.0.0", port);
	fflush(stdout);
	for (;;) { /* server: runs until killed */
		char buf[2048];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t k = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);

		if (k < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			die_errno("recvfrom");
		}
		/* A failed echo (e.g. dropped by a hook) is not fatal. */
		(void)sendto(fd, buf, (size_t)k, 0, (struct sockaddr *)&from, flen);
	}
	return 0;
}

/* --- udp4-pairs / udp6-pairs ------------------------------------------------- */
enum { PS_NEW, PS_SENT1, PS_GOT1, PS_SENT2, PS_GOT2 };

/* One round: send one datagram on each socket in state from (at most
 * PAIRS_WINDOW unanswered at once), collect the echoes (state from+2) until
 * all came or the deadline. Resends (at most 3 times) what stays unanswered
 * for a second. Returns the number of echoes; *last_send = time of the last
 * first send of the round. */
static unsigned long pairs_round(int *fds, unsigned char *st, unsigned long n, unsigned char from,
				 int64_t *last_send, const char *what, const char *server)
{
	struct pollfd *pfd = xcalloc(n, sizeof(*pfd));
	unsigned long *idx = xcalloc(n, sizeof(*idx));
	unsigned long next = 0, outstanding = 0, done = 0, total = 0, i, iter;
	int64_t deadline = now_ms() + PAIRS_REPLY_MS, progress = now_ms();
	int resends = 0;

	for (i = 0; i < n; i++)
		total += st[i] == from;
	for (iter = 0; iter < 4 * n + 100000 && done < total; iter++) {
		unsigned long k = 0;
		int64_t now;
		int pr;

		while (outstanding < PAIRS_WINDOW && next < n) {
			if (st[next] == from) {
				if (send(fds[next], PAYLOAD, PAYLOAD_LEN, 0) != (ssize_t)PAYLOAD_LEN)
					die_errno("send (%s datagram)", what);
				st[next] = from + 1;
				outstanding++;
				*last_send = now_ms();
			}
			next++;
		}
		now = now_ms();
		if (now >= deadline)
			break;
		if (now - progress > 1000 && resends < 3) {
			for (i = 0; i < next; i++)
				if (st[i] == from + 1)
					(void)send(fds[i], PAYLOAD, PAYLOAD_LEN, 0);
			resends++;
			progress = now;
		}
		for (i = 0; i < next; i++) {
			if (st[i] != from + 1)
				continue;
			pfd[k].fd = fds[i];
			pfd[k].events = POLLIN;
			pfd[k].revents = 0;
			idx[k++] = i;
		}
		if (k == 0)
			continue;
		pr = poll(pfd, k, (int)(deadline - now < 100 ? deadline - now : 100));
		if (pr < 0 && errno != EINTR)
			die_errno("poll");
		for (i = 0; pr > 0 && i < k; i++) {
			char buf[64];
			ssize_t got;

			if (!pfd[i].revents)
				continue;
			got = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (got < 0 && errno == ECONNREFUSED)
				die("nothing listens on %s (ICMP port unreachable): start 'ctgen udp-echo' there first",
				    server);
			if (got < 0)
				continue;
			st[idx[i]] = from + 2;
			outstanding--;
			done++;
			progress = now_ms();
			while (recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				; /* duplicates from resends: bounded by what was sent */
		}
	}
	free(pfd);
	free(idx);
	return done;
}

static int cmd_udp_pairs(int argc, char **argv, int v6)
{
	struct opts o;
	unsigned long n, port, i, got1, got2;
	int *fds;
	unsigned char *st;
	int64_t t0, last1 = 0, last2 = 0, waited;
	char server[64];

	parse_opts(argc, argv, 2, OPT_WAIT, &o);
	n = parse_num(o.pos[0], 1, PAIRS_MAX, "N");
	port = parse_num(o.pos[1], 1, 65535, "PORT");
	raise_nofile(n + 64);
	fds = xcalloc(n, sizeof(*fds));
	st = xcalloc(n, 1);
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		struct sockaddr_storage dst;
		socklen_t dlen = loop_addr(v6, 0, (unsigned)port, &dst);

		fds[i] = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fds[i] < 0)
			die_errno("socket(SOCK_DGRAM) #%lu", i + 1);
		if (connect(fds[i], (struct sockaddr *)&dst, dlen) != 0)
			die_errno("connect UDP socket #%lu to %s:%lu", i + 1, fam_lo(v6), port);
	}
	snprintf(server, sizeof(server), "%s:%lu", fam_lo(v6), port);
	got1 = pairs_round(fds, st, n, PS_NEW, &last1, "first", server);
	if (got1 < n)
		die("only %lu of %lu flows got an echo from %s:%lu within %d ms (is 'ctgen udp-echo %lu%s' running?)",
		    got1, n, fam_lo(v6), port, PAIRS_REPLY_MS, port, v6 ? " --v6" : "");
	/* The second datagram must come after the reply and, for the stream
	 * (ASSURED) rule of newer kernels, more than 2 s after the flow's
	 * first packet: wait MS after the last first datagram. */
	waited = last1 + (int64_t)o.wait_ms - now_ms();
	sleep_ms(waited);
	got2 = pairs_round(fds, st, n, PS_GOT1, &last2, "second", server);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	free(st);
	if (got2 < got1)
		die("only %lu of %lu flows got an echo for their second datagram", got2, got1);
	printf("ctgen %s: %lu flows to %s:%lu, %lu echoed, second datagram %lu ms after the first ones, %lu echoed, %lld ms\n",
	       argv[1], n, fam_lo(v6), port, got1, o.wait_ms, got2, (long long)(now_ms() - t0));
	return 0;
}

/* --- tcp-listen ---------------------------------------------------------------- */
static int cmd_tcp_listen(int argc, char **argv)
{
	struct opts o;
	unsigned long port, nconn = 0, i;
	struct sockaddr_storage ss;
	socklen_t len;
	struct pollfd *pfd;
	int lfd, one = 1;

	parse_opts(argc, argv, 1, OPT_V6, &o);
	port = parse_num(o.pos[0], 1, 65535, "PORT");
	raise_nofile(LISTEN_MAX_CONNS + 64);
	pfd = xcalloc(LISTEN_MAX_CONNS + 1, sizeof(*pfd));
	lfd = socket(o.v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (lfd < 0)
		die_errno("socket(SOCK_STREAM)");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		die_errno("setsockopt(SO_REUSEADDR)");
	if (o.v6 && setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0)
		die_errno("setsockopt(IPV6_V6ONLY)");
	len = any_addr(o.v6, (unsigned)port, &ss);
	if (bind(lfd, (struct sockaddr *)&ss, len) != 0)
		die_errno("bind %s:%lu", o.v6 ? "[::]" : "0.0.0.0", port);
	if (listen(lfd, LISTEN_MAX_CONNS) != 0)
		die_errno("listen");
	printf("ctgen tcp-listen: listening on %s:%lu, at most %u connections\n",
	       o.v6 ? "[::]" : "0.0.0.0", port, LISTEN_MAX_CONNS);
	fflush(stdout);
	pfd[0].fd = lfd;
	for (;;) { /* server: runs until killed */
		int pr;

		pfd[0].events = nconn < LISTEN_MAX_CONNS ? POLLIN : 0;
		pr = poll(pfd, nconn + 1, -1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			die_errno("poll");
		}
		for (i = 1; i <= nconn; i++) {
			char buf[512];
			ssize_t k;

			if (!pfd[i].revents)
				continue;
			pfd[i].revents = 0;
			k = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (k > 0) {
				(void)send(pfd[i].fd, buf, (size_t)k, MSG_DONTWAIT | MSG_NOSIGNAL);
				continue;
			}
			if (k < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			close(pfd[i].fd); /* EOF or error: forget it */
			pfd[i] = pfd[nconn--];
			i--;
		}
		if (pfd[0].revents & POLLIN) {
			int k;

			for (k = 0; k < 256 && nconn < LISTEN_MAX_CONNS; k++) {
				int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

				if (c < 0) {
					if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
						break;
					if (errno == EMFILE || errno == ENFILE)
						break;
					die_errno("accept");
				}
				nconn++;
				pfd[nconn].fd = c;
				pfd[nconn].events = POLLIN;
				pfd[nconn].revents = 0;
			}
		}
		pfd[0].revents = 0;
	}
	return 0;
}

/* --- tcp4 / tcp6 clients --------------------------------------------------------- */
static int cmd_tcp(int argc, char **argv, int v6)
{
	struct opts o;
	unsigned long n, port, i, echoed = 0, iter;
	struct sockaddr_storage dst;
	socklen_t dlen;
	struct timeval tv = { .tv_sec = TCP_CONNECT_TIMEOUT_S };
	int *fds;
	unsigned char *got;
	struct pollfd *pfd;
	unsigned long *idx;
	int64_t t0, deadline;

	parse_opts(argc, argv, 2, OPT_CLOSE, &o);
	n = parse_num(o.pos[0], 1, TCP_MAX_CONNS, "N");
	port = parse_num(o.pos[1], 1, 65535, "PORT");
	raise_nofile(n + 64);
	signal(SIGPIPE, SIG_IGN);
	fds = xcalloc(n, sizeof(*fds));
	got = xcalloc(n, 1);
	pfd = xcalloc(n, sizeof(*pfd));
	idx = xcalloc(n, sizeof(*idx));
	dlen = loop_addr(v6, 0, (unsigned)port, &dst);
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		fds[i] = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			die_errno("socket(SOCK_STREAM) #%lu", i + 1);
		/* SO_SNDTIMEO bounds a blocking connect(). */
		if (setsockopt(fds[i], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
			die_errno("setsockopt(SO_SNDTIMEO)");
		if (connect(fds[i], (struct sockaddr *)&dst, dlen) != 0)
			die_errno("connection #%lu to %s:%lu (is 'ctgen tcp-listen %lu%s' running?)",
				  i + 1, fam_lo(v6), port, port, v6 ? " --v6" : "");
		set_nonblock(fds[i]);
		if (send(fds[i], PAYLOAD, PAYLOAD_LEN, MSG_NOSIGNAL) != (ssize_t)PAYLOAD_LEN)
			die_errno("send on connection #%lu", i + 1);
	}
	/* Collect every echo (PAYLOAD_LEN bytes each, maybe in pieces). */
	deadline = now_ms() + TCP_ECHO_MS;
	for (iter = 0; iter < 4 * n + 100000 && echoed < n; iter++) {
		unsigned long k = 0;
		int64_t now = now_ms();
		int pr;

		if (now >= deadline)
			break;
		for (i = 0; i < n; i++) {
			if (got[i] >= PAYLOAD_LEN)
				continue;
			pfd[k].fd = fds[i];
			pfd[k].events = POLLIN;
			pfd[k].revents = 0;
			idx[k++] = i;
		}
		pr = poll(pfd, k, (int)(deadline - now < 200 ? deadline - now : 200));
		if (pr < 0 && errno != EINTR)
			die_errno("poll");
		for (i = 0; pr > 0 && i < k; i++) {
			char buf[64];
			ssize_t r;

			if (!pfd[i].revents)
				continue;
			r = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				die("connection #%lu to %s:%lu closed by the server before its echo",
				    idx[i] + 1, fam_lo(v6), port);
			if (r > 0) {
				got[idx[i]] += (unsigned char)(r > (ssize_t)PAYLOAD_LEN ? PAYLOAD_LEN : r);
				if (got[idx[i]] >= PAYLOAD_LEN)
					echoed++;
			}
		}
	}
	free(pfd);
	free(idx);
	free(got);
	if (echoed < n)
		die("only %lu of %lu connections to %s:%lu got their echo within %d ms",
		    echoed, n, fam_lo(v6), port, TCP_ECHO_MS);
	if (o.close) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		free(fds);
		printf("ctgen %s: %lu connections to %s:%lu established, echoed and closed, %lld ms\n",
		       argv[1], n, fam_lo(v6), port, (long long)(now_ms() - t0));
		return 0;
	}
	printf("ctgen %s: %lu connections to %s:%lu established and echoed, %lld ms, ready\n",
	       argv[1], n, fam_lo(v6), port, (long long)(now_ms() - t0));
	sleep_forever();
}

/* --- icmp4 / icmp6 ------------------------------------------------------------- */
/* Reads pending echo replies (bounded); marks their ids in seen[]. */
static void icmp_drain(int fd, int v6, unsigned long base, unsigned long n, unsigned char *seen,
		       unsigned long *replies)
{
	unsigned long k;

	for (k = 0; k < 2 * n + 16; k++) {
		unsigned char buf[256];
		ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		const unsigned char *ic = buf;
		unsigned long id;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!v6) { /* raw IPv4 sockets see the IP header too */
			size_t ihl = r > 0 ? (size_t)(buf[0] & 0xf) * 4 : 0;

			if (ihl < 20 || (size_t)r < ihl + 8)
				continue;
			ic = buf + ihl;
			r -= (ssize_t)ihl;
		}
		if (r < 8 || ic[0] != (v6 ? ICMP6_ECHO_REPLY : 0) || ic[1] != 0)
			continue;
		id = (unsigned long)ic[4] << 8 | ic[5];
		if (id < base || id >= base + n || seen[id - base])
			continue;
		seen[id - base] = 1;
		(*replies)++;
	}
}

static int cmd_icmp(int argc, char **argv, int v6)
{
	struct opts o;
	unsigned long n, i, sent = 0, replies = 0, refused = 0;
	struct sockaddr_storage dst;
	socklen_t dlen;
	unsigned char *seen;
	int fd, bufsz = SERVER_RCVBUF;
	int64_t t0, deadline;
	struct udp_batch *b = xcalloc(1, sizeof(*b)); /* same packet size: 8 + 8 */

	parse_opts(argc, argv, 1, OPT_IDBASE, &o);
	n = parse_num(o.pos[0], 1, ICMP_MAX, "N");
	if (o.id_base + n - 1 > 65535)
		die("ids %lu..%lu do not fit in 16 bits", o.id_base, o.id_base + n - 1);
	seen = xcalloc(n, 1);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0)
		die_errno("socket(SOCK_RAW, %s) (needs root)", v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP");
	if (v6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) != 0)
			die_errno("setsockopt(ICMP6_FILTER)");
	} else {
		struct ctgen_icmp_filter f = { .data = ~(1u << 0) }; /* pass echo reply only */

		if (setsockopt(fd, SOL_RAW, CTGEN_ICMP_FILTER, &f, sizeof(f)) != 0)
			die_errno("setsockopt(ICMP_FILTER)");
	}
	big_rcvbuf(fd, bufsz);
	dlen = loop_addr(v6, 0, 0, &dst);
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		unsigned char *p = b->pkt[b->n];
		unsigned long id = o.id_base + i;

		p[0] = v6 ? ICMP6_ECHO_REQUEST : 8;
		p[1] = 0;
		p[2] = p[3] = 0;
		p[4] = (uint8_t)(id >> 8);
		p[5] = (uint8_t)id;
		p[6] = 0;
		p[7] = 1; /* sequence 1 */
		memcpy(p + 8, PAYLOAD, PAYLOAD_LEN);
		if (!v6) { /* the kernel computes the ICMPv6 checksum itself */
			uint16_t ck = csum_fold(csum_add(0, p, 8 + PAYLOAD_LEN));

			p[2] = (uint8_t)(ck >> 8);
			p[3] = (uint8_t)ck;
		}
		if (++b->n == BATCH || i + 1 == n) {
			udp_flush(fd, b, &dst, dlen, &sent, &refused);
			icmp_drain(fd, v6, o.id_base, n, seen, &replies);
		}
	}
	deadline = now_ms() + ICMP_REPLY_MS;
	for (i = 0; i < 1000 && replies < sent; i++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();

		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left < 100 ? left : 100)) < 0 && errno != EINTR)
			die_errno("poll");
		icmp_drain(fd, v6, o.id_base, n, seen, &replies);
	}
	close(fd);
	free(seen);
	free(b);
	if (refused)
		die("%lu of %lu echo requests refused by netfilter (EPERM)", refused, n);
	if (replies < n)
		die("only %lu of %lu echo replies from %s within %d ms", replies, n, fam_lo(v6), ICMP_REPLY_MS);
	printf("ctgen %s: %lu echo requests to %s (ids %lu-%lu), %lu replies, %lld ms\n", argv[1], n,
	       fam_lo(v6), o.id_base, o.id_base + n - 1, replies, (long long)(now_ms() - t0));
	return 0;
}

/* --- nfq-bind ---------------------------------------------------------------------- */
struct nfq_req {
	struct nlmsghdr nh;
	struct nfgenmsg nfg;
	unsigned char attrs[64];
};

static void nla_put(struct nfq_req *req, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *na = (struct nlattr *)((unsigned char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));

	if (NLMSG_ALIGN(req->nh.nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(*req))
		die("netlink request too long");
	na->nla_type = type;
	na->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((unsigned char *)na + NLA_HDRLEN, data, len);
	memset((unsigned char *)na + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len);
}

/* Sends one NFQNL_MSG_CONFIG request with NLM_F_ACK and checks the ack. */
static void nfq_config(int fd, unsigned queue, uint32_t seq, uint16_t attr, const void *data, uint16_t len,
		       const char *what)
{
	struct nfq_req req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int tries;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
	req.nh.nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = seq;
	req.nfg.nfgen_family = AF_UNSPEC;
	req.nfg.version = NFNETLINK_V0;
	req.nfg.res_id = htons((uint16_t)queue);
	nla_put(&req, attr, data, len);
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		die_errno("queue %u: sending %s", queue, what);
	for (tries = 0; tries < 64; tries++) {
		union {
			unsigned char b[8192];
			struct nlmsghdr align;
		} buf;
		ssize_t r = recv(fd, buf.b, sizeof(buf.b), 0);
		struct nlmsghdr *nh;
		size_t left;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				die("queue %u: no answer from the kernel to %s within 5 s", queue, what);
			die_errno("queue %u: reading the ack of %s", queue, what);
		}
		left = (size_t)r;
		for (nh = (struct nlmsghdr *)buf.b; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_ERROR || nh->nlmsg_seq != seq)
				continue; /* e.g. a packet already queued to us */
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				die("queue %u: short ack of %s", queue, what);
			if (e->error == 0)
				return;
			errno = -e->error;
			if (errno == EOPNOTSUPP || errno == ENOENT)
				die_errno("queue %u: %s refused (is nfnetlink_queue loaded?)", queue, what);
			if (errno == EBUSY || errno == EPERM)
				die_errno("queue %u: %s refused (is the queue bound by another socket?)", queue, what);
			die_errno("queue %u: %s refused", queue, what);
		}
	}
	die("queue %u: no ack of %s", queue, what);
}

static int cmd_nfq_bind(int argc, char **argv)
{
	struct opts o;
	unsigned long queue;
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	struct nfqnl_msg_config_cmd cmd;
	struct nfqnl_msg_config_params params;
	int fd;

	parse_opts(argc, argv, 1, 0, &o);
	queue = parse_num(o.pos[0], 0, 65535, "QUEUE");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		die_errno("socket(AF_NETLINK, NETLINK_NETFILTER)");
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0)
		die_errno("bind netlink socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		die_errno("setsockopt(SO_RCVTIMEO)");
	/* Room for many queued-packet messages: a full socket makes the kernel
	 * drop the packet instead of keeping it queued. */
	big_rcvbuf(fd, 16 << 20);

	/* Kernels >= 3.8 ignore the old per-family PF_BIND/PF_UNBIND (and
	 * answer ENODEV to them before the queue exists): bind the queue only. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.command = NFQNL_CFG_CMD_BIND;
	cmd.pf = htons(AF_UNSPEC);
	nfq_config(fd, (unsigned)queue, 1, NFQA_CFG_CMD, &cmd, sizeof(cmd), "the bind command");

	memset(&params, 0, sizeof(params));
	params.copy_range = htonl(64);
	params.copy_mode = NFQNL_COPY_PACKET;
	nfq_config(fd, (unsigned)queue, 2, NFQA_CFG_PARAMS, &params, sizeof(params), "the copy mode");

	printf("ctgen nfq-bind: queue %lu bound (copy packet, 64 bytes); never reading it\n", queue);
	sleep_forever(); /* the socket stays open and unread */
}

/* --- netns, netns-inum --------------------------------------------------------------- */
static int cmd_netns(int argc, char **argv)
{
	struct ifreq ifr;
	int fd;

	if (argc < 4 || strcmp(argv[2], "--") != 0)
		die("usage: ctgen netns -- CMD [ARGS...]");
	if (argv[3][0] != '/')
		die("CMD must be an absolute path, got '%s'", argv[3]);
	if (unshare(CLONE_NEWNET) != 0)
		die_errno("unshare(CLONE_NEWNET) (needs root)");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("socket(AF_INET, SOCK_DGRAM)");
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
		die_errno("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
		die_errno("SIOCSIFFLAGS lo up");
	close(fd);
	fflush(stdout);
	execv(argv[3], argv + 3);
	die_errno("execv %s", argv[3]);
}

static int cmd_netns_inum(int argc, char **argv)
{
	struct opts o;
	struct stat sb;

	parse_opts(argc, argv, 0, 0, &o);
	if (stat("/proc/self/ns/net", &sb) != 0)
		die_errno("stat /proc/self/ns/net");
	printf("%llu\n", (unsigned long long)sb.st_ino);
	return 0;
}

/* --- as-user ------------------------------------------------------------------------ */
static int cmd_as_user(int argc, char **argv)
{
	unsigned long uid;

	if (argc < 5 || strcmp(argv[3], "--") != 0)
		die("usage: ctgen as-user UID -- CMD [ARGS...]");
	uid = parse_num(argv[2], 1, 65534, "UID");
	if (argv[4][0] != '/')
		die("CMD must be an absolute path, got '%s'", argv[4]);
	if (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 || setuid((uid_t)uid) != 0)
		die_errno("dropping privileges to uid %lu", uid);
	fflush(stdout);
	execv(argv[4], argv + 4);
	die_errno("execv %s", argv[4]);
}

/* --- main --------------------------------------------------------------------------- */
int main(int argc, char **argv)
{
	const char *c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage_exit(1);
	c = argv[1];
	if (!strcmp(c, "-h") || !strcmp(c, "--help") || !strcmp(c, "help"))
		usage_exit(0);
	g_cmd = c;
	if (!strcmp(c, "udp4"))
		return cmd_udp(argc, argv, 0);
	if (!strcmp(c, "udp6"))
		return cmd_udp(argc, argv, 1);
	if (!strcmp(c, "udp-echo"))
		return cmd_udp_echo(argc, argv);
	if (!strcmp(c, "udp4-pairs"))
		return cmd_udp_pairs(argc, argv, 0);
	if (!strcmp(c, "udp6-pairs"))
		return cmd_udp_pairs(argc, argv, 1);
	if (!strcmp(c, "tcp-listen"))
		return cmd_tcp_listen(argc, argv);
	if (!strcmp(c, "tcp4"))
		return cmd_tcp(argc, argv, 0);
	if (!strcmp(c, "tcp6"))
		return cmd_tcp(argc, argv, 1);
	if (!strcmp(c, "icmp4"))
		return cmd_icmp(argc, argv, 0);
	if (!strcmp(c, "icmp6"))
		return cmd_icmp(argc, argv, 1);
	if (!strcmp(c, "nfq-bind"))
		return cmd_nfq_bind(argc, argv);
	if (!strcmp(c, "netns"))
		return cmd_netns(argc, argv);
	if (!strcmp(c, "netns-inum"))
		return cmd_netns_inum(argc, argv);
	if (!strcmp(c, "as-user"))
		return cmd_as_user(argc, argv);
	g_cmd = "";
	die("unknown command '%s' (run ctgen without arguments for the usage)", c);
}
