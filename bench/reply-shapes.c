/* SPDX-License-Identifier: MIT */
/*
 * reply-shapes.c - what a call costs in the kernel, shape by shape, with
 * no library on top: the floor every design of the reply right is
 * measured against (bench/README.md, item 5).
 *
 *   raw:      a blocking send and recv on one SEQPACKET pair (the call
 *             figure's floor)
 *   channel:  a reply channel: the request and the reply on a pair of
 *             the client's own, each side waiting in epoll over that
 *             pair and one more (idle) queue, SO_PASSCRED on, no fd
 *   channel-nocred: the same, credentials off
 *   fds:      today's shape: the reply pair's send end goes out with the
 *             request and comes back with the reply (each side closes
 *             its copy), epoll on both sides, credentials on, the
 *             returned end checked with fstat and the received one with
 *             getsockopt
 *
 * Usage: bootstrapd-bench-reply-shapes [ROUNDS]; pin it to one CPU
 * (taskset -c 0), as both ends of a latency figure must be.  Each round
 * measures the shapes in turn, 20,000 round trips each after 1,000 to
 * warm up, and prints the medians and their ratio to the raw one.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum shape { SHAPE_RAW, SHAPE_CHANNEL, SHAPE_CHANNEL_NOCRED, SHAPE_FDS, N_SHAPES };

static const char *const shape_names[N_SHAPES] = { "raw", "channel", "channel-nocred", "fds" };

#define ROUND_TRIPS 20000
#define WARM_UP 1000
#define MSG_BYTES 64

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One datagram into @buf; *@fd (if asked) the fd it carried, or -1. */
static ssize_t recv_one(int sock, void *buf, size_t len, int *fd, int flags)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(sock, &m, flags | MSG_CMSG_CLOEXEC);

	if (fd)
		*fd = -1;
	for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&m) : NULL; fd && c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

/* One datagram of @len bytes, carrying @fd unless it is -1. */
static int send_one(int sock, const void *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static void pass_credentials(int sock)
{
	int one = 1;

	setsockopt(sock, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
}

/* An epoll set over @a and @b: a port with two queues. */
static int wait_set(int a, int b)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e = { .events = EPOLLIN };

	e.data.fd = a;
	epoll_ctl(ep, EPOLL_CTL_ADD, a, &e);
	e.data.fd = b;
	epoll_ctl(ep, EPOLL_CTL_ADD, b, &e);
	return ep;
}

/* The server's turn: one request in, one reply out.  Return: -1 at end of file. */
static int serve_one(enum shape s, int service, int ep)
{
	char buf[256];
	struct epoll_event ev;
	int fd, reply_fd, type;
	socklen_t len = sizeof(type);

	if (s == SHAPE_RAW)
		return recv_one(service, buf, sizeof(buf), NULL, 0) <= 0 ? -1 :
		       send_one(service, buf, MSG_BYTES, -1);
	if (epoll_wait(ep, &ev, 1, -1) < 1)
		return 0;
	fd = ev.data.fd;
	if (s != SHAPE_FDS)
		return recv_one(fd, buf, sizeof(buf), NULL, MSG_DONTWAIT) <= 0 ? -1 :
		       send_one(fd, buf, MSG_BYTES, -1);
	if (recv_one(service, buf, sizeof(buf), &reply_fd, MSG_DONTWAIT) <= 0 || reply_fd < 0)
		return -1;
	getsockopt(reply_fd, SOL_SOCKET, SO_TYPE, &type, &len);
	send_one(reply_fd, buf, MSG_BYTES, reply_fd);
	close(reply_fd);
	return 0;
}

/* The server process, on @service and the channel's far end @far. */
static pid_t start_server(enum shape s, int service, int far, const int *close_fds, int n_close)
{
	pid_t pid = fork();
	int ep;

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int i = 0; i < n_close; i++)
		close(close_fds[i]);
	ep = s == SHAPE_RAW ? -1 : wait_set(service, far);

	while (serve_one(s, service, ep) == 0)
		;
	_exit(0);
}

/* The client's round trip; *@kept is the reply pair's send end it holds (SHAPE_FDS). */
static int round_trip(enum shape s, int service, int channel, int reply_rcv, int ep, int *kept)
{
	char buf[256] = { 1 };
	struct epoll_event ev;
	struct stat st;
	int back;

	switch (s) {
	case SHAPE_RAW:
		return send_one(service, buf, MSG_BYTES, -1) < 0 ||
		       recv_one(service, buf, sizeof(buf), NULL, 0) <= 0 ? -1 : 0;
	case SHAPE_FDS:
		if (send_one(service, buf, MSG_BYTES, *kept) < 0)
			return -1;
		close(*kept);
		epoll_wait(ep, &ev, 1, -1);
		if (recv_one(reply_rcv, buf, sizeof(buf), &back, MSG_DONTWAIT) <= 0 || back < 0)
			return -1;
		fstat(back, &st);
		*kept = back;
		return 0;
	default:
		if (send_one(channel, buf, MSG_BYTES, -1) < 0)
			return -1;
		epoll_wait(ep, &ev, 1, -1);
		return recv_one(channel, buf, sizeof(buf), NULL, MSG_DONTWAIT) <= 0 ? -1 : 0;
	}
}

/* The median round trip of @s, in µs, or a negative number on failure. */
static double measure(enum shape s, uint64_t *samples)
{
	int svc[2], chan[2], idle[2], pair[2], ep, kept, err = 0;
	bool creds = s == SHAPE_CHANNEL || s == SHAPE_FDS;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, svc) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, idle) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return -1;
	if (creds) {
		pass_credentials(svc[0]);
		pass_credentials(chan[0]);
		pass_credentials(chan[1]);
		pass_credentials(pair[0]);
	}
	pid = start_server(s, svc[0], chan[1], (int[]){ svc[1], chan[0] }, 2);
	close(svc[0]);
	close(chan[1]);
	/* The client's reply port: its own queue (idle) and the channel or the pair. */
	ep = wait_set(idle[0], s == SHAPE_FDS ? pair[0] : chan[0]);
	kept = pair[1];
	for (int i = 0; i < WARM_UP + ROUND_TRIPS && !err; i++) {
		uint64_t t0 = now_ns();

		err = round_trip(s, svc[1], chan[0], pair[0], ep, &kept);
		if (i >= WARM_UP)
			samples[i - WARM_UP] = now_ns() - t0;
	}
	close(svc[1]);
	close(chan[0]);
	waitpid(pid, NULL, 0);
	close(ep);
	close(kept);
	close(pair[0]);
	close(idle[0]);
	close(idle[1]);
	if (err)
		return -1;
	qsort(samples, ROUND_TRIPS, sizeof(*samples), cmp_u64);
	return (double)samples[ROUND_TRIPS / 2] / 1e3;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	uint64_t *samples = calloc(ROUND_TRIPS, sizeof(*samples));

	if (!samples || rounds <= 0) {
		fprintf(stderr, "usage: bootstrapd-bench-reply-shapes [ROUNDS]\n");
		return 2;
	}
	for (int r = 0; r < rounds; r++) {
		double raw = measure(SHAPE_RAW, samples);

		if (raw <= 0)
			return 1;
		printf("round %d: raw %.2f us", r + 1, raw);
		for (int s = SHAPE_RAW + 1; s < N_SHAPES; s++) {
			double us = measure((enum shape)s, samples);

			if (us <= 0)
				return 1;
			printf(" | %s %.2f us (%.2fx)", shape_names[s], us, us / raw);
		}
		printf("\n");
		fflush(stdout);
	}
	free(samples);
	return 0;
}
