/* SPDX-License-Identifier: MIT */
/*
 * tput.c - throughput: N client processes, each with its own connection
 * (bootstrapd) or its own socket to one epoll server (floor), doing
 * look-ups or calls back to back for a fixed time after a common start.
 *
 * Workers are this program exec'd again (--worker), so that each has a
 * fresh libbootstrap and its own daemon connection.  Their fds:
 *   3 ready (write a byte when set up)   4 start (EOF = go)
 *   5 result (write the count)           6 the floor socket (floor kinds)
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bench-proto.h"

extern char **environ;

static const char *const kind_names[TPUT_KINDS] = {
	[TPUT_LOOKUP] = "lookup", [TPUT_CALL] = "call", [TPUT_FLOOR_LOOKUP] = "floor-lookup",
	[TPUT_FLOOR_CALL] = "floor-call", [TPUT_WIRE_LOOKUP] = "wire-lookup",
};

static int high(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 100);

	close(fd);
	return h;
}

/* One throughput (and latency) run: its pipes, workers and floor server. */
struct tput {
	const struct bench_cfg *cfg;
	enum tput_kind kind;
	unsigned clients;
	const char *name;       /* the service looked up or called */
	double seconds;
	unsigned cap;           /* latency samples kept per worker, 0: none */
	int ready[2], start[2], result[2];
	int memfd;              /* per worker: its count, then its last @cap samples */
	int *socks;             /* floor kinds: each worker's socket to the server */
	pid_t *pids, server;
	unsigned spawned;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static bool is_floor(enum tput_kind kind)
{
	return kind == TPUT_FLOOR_LOOKUP || kind == TPUT_FLOOR_CALL;
}

static int spawn_worker(struct tput *t, unsigned i)
{
	posix_spawn_file_actions_t fa;
	char ms[32], idx[16], cap[16];
	char *argv[] = { (char *)t->cfg->self, "--worker", (char *)kind_names[t->kind], ms,
			 (char *)t->name, idx, cap, NULL };
	int err;

	snprintf(ms, sizeof(ms), "%u", (unsigned)(t->seconds * 1000));
	snprintf(idx, sizeof(idx), "%u", i);
	snprintf(cap, sizeof(cap), "%u", t->cap);
	if (!t->cap)
		argv[4] = NULL;         /* throughput only: no latencies */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, t->ready[1], 3);
	posix_spawn_file_actions_adddup2(&fa, t->start[0], 4);
	posix_spawn_file_actions_adddup2(&fa, t->result[1], 5);
	if (t->socks)
		posix_spawn_file_actions_adddup2(&fa, t->socks[i], 6);
	if (t->memfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, t->memfd, 7);
	err = posix_spawn(&t->pids[i], t->cfg->self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return err ? -1 : 0;
}

/* The floor kinds: one socket per worker, all served by one epoll server. */
static int floor_start(struct tput *t)
{
	int *server_ends = calloc(t->clients, sizeof(int));

	t->socks = calloc(t->clients, sizeof(int));
	if (!server_ends || !t->socks) {
		free(server_ends);
		return -1;
	}
	for (unsigned i = 0; i < t->clients; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return -1;
		t->socks[i] = high(sv[0]);
		server_ends[i] = sv[1];
	}
	t->server = floor_mux_server_start(t->kind == TPUT_FLOOR_LOOKUP ? FLOOR_LOOKUP : FLOOR_CALL,
					   server_ends, t->clients);
	for (unsigned i = 0; i < t->clients; i++)
		close(server_ends[i]);
	free(server_ends);
	return 0;
}

static int tput_spawn(struct tput *t)
{
	int err = 0;

	if (pipe2(t->ready, O_CLOEXEC) || pipe2(t->start, O_CLOEXEC) || pipe2(t->result, O_CLOEXEC))
		return -1;
	t->ready[1] = high(t->ready[1]);
	t->start[0] = high(t->start[0]);
	t->result[1] = high(t->result[1]);
	if (is_floor(t->kind) && floor_start(t) < 0)
		return -1;
	for (unsigned i = 0; i < t->clients && !err; i++) {
		err = spawn_worker(t, i);
		if (!err)
			t->spawned++;
		if (t->socks)
			close(t->socks[i]);
	}
	close_fd(&t->ready[1]);
	close_fd(&t->start[0]);
	close_fd(&t->result[1]);
	return err;
}

/* Every worker is set up (connected, looked up, warmed) before the clock starts. */
static int tput_go(struct tput *t, uint64_t *total)
{
	unsigned got = 0;
	char c;

	for (unsigned i = 0; i < t->spawned; i++) {
		struct pollfd pfd = { .fd = t->ready[0], .events = POLLIN };

		if (poll(&pfd, 1, 30000) != 1 || read(t->ready[0], &c, 1) != 1)
			return -1;
	}
	/* With latencies, one deadline for all: 512 workers woken on one CPU
	 * start far apart, and a window of their own would overlap the others
	 * only in part. */
	if (t->cap) {
		uint64_t deadline = now_ns() + (uint64_t)(t->seconds * 1e9);

		for (unsigned i = 0; i < t->spawned; i++)
			if (write(t->start[1], &deadline, sizeof(deadline)) != sizeof(deadline))
				return -1;
	}
	close_fd(&t->start[1]); /* go */
	for (unsigned i = 0; i < t->spawned; i++) {
		struct pollfd pfd = { .fd = t->result[0], .events = POLLIN };
		uint64_t n;

		if (poll(&pfd, 1, 30000 + (int)(t->seconds * 1000)) != 1 ||
		    read(t->result[0], &n, sizeof(n)) != sizeof(n))
			return -1;
		*total += n;
		got++;
	}
	return got == t->clients ? 0 : -1;
}

static void tput_end(struct tput *t, int err)
{
	for (int i = 0; i < 2; i++) {
		close_fd(&t->ready[i]);
		close_fd(&t->start[i]);
		close_fd(&t->result[i]);
	}
	for (unsigned i = 0; i < t->spawned; i++) {
		if (err)
			kill(t->pids[i], SIGKILL);
		waitpid(t->pids[i], NULL, 0);
	}
	if (t->server > 0) {
		kill(t->server, SIGKILL);
		waitpid(t->server, NULL, 0);
	}
	close_fd(&t->memfd);
	free(t->socks);
	free(t->pids);
}

/* Every worker's last samples, pooled; the fewest and most operations of one worker. */
static int tput_latency(struct tput *t, struct tput_result *out)
{
	size_t slot = 1 + (size_t)t->cap, len = t->clients * slot * sizeof(uint64_t), n = 0;
	uint64_t *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, t->memfd, 0);
	uint64_t *all = calloc(t->clients * (size_t)t->cap, sizeof(uint64_t));

	if (m == MAP_FAILED || !all) {
		free(all);
		return -1;
	}
	out->min_ops = UINT64_MAX;
	for (unsigned i = 0; i < t->clients; i++) {
		uint64_t *w = m + i * slot, k = w[0] < t->cap ? w[0] : t->cap;

		out->min_ops = w[0] < out->min_ops ? w[0] : out->min_ops;
		out->max_ops = w[0] > out->max_ops ? w[0] : out->max_ops;
		memcpy(all + n, w + 1, k * sizeof(uint64_t));
		n += k;
	}
	munmap(m, len);
	out->lat = lat_of(all, n);
	free(all);
	return n ? 0 : -1;
}

int tput_measure(const struct bench_cfg *cfg, const struct tput_spec *spec, struct tput_result *out)
{
	struct tput t = { cfg, spec->kind, spec->clients, spec->name, spec->seconds, spec->cap,
			  .ready = { -1, -1 }, .start = { -1, -1 }, .result = { -1, -1 }, .memfd = -1 };
	uint64_t total = 0;
	int err = -1;

	memset(out, 0, sizeof(*out));
	t.pids = calloc(t.clients, sizeof(pid_t));
	if (!t.pids)
		return -1;
	if (t.cap) {
		t.memfd = memfd_create("bench-latency", MFD_CLOEXEC);
		if (t.memfd < 0 || ftruncate(t.memfd, (off_t)(t.clients * (1 + (size_t)t.cap) * 8)) < 0)
			goto out;
		t.memfd = high(t.memfd);
	}
	err = tput_spawn(&t);
	if (!err)
		err = tput_go(&t, &total);
	out->ops_s = (double)total / t.seconds;
	if (!err && t.cap)
		err = tput_latency(&t, out);
out:
	tput_end(&t, err);
	return err ? -1 : 0;
}

/* Return: operations per second summed over @clients, or -1. */
double tput_run(const struct bench_cfg *cfg, enum tput_kind kind, unsigned clients)
{
	struct tput_spec spec = { kind, clients, BENCH_SERVICE_NAME, cfg->tput_seconds, 0 };
	struct tput_result r;

	return tput_measure(cfg, &spec, &r) < 0 ? -1 : r.ops_s;
}

static int call_once(mach_port_t service, mach_port_t reply)
{
	return bench_call(service, reply, 0, NULL);
}

static int look_up(const char *name)
{
	mach_port_t port;

	if (bootstrap_look_up(bootstrap_port, name, &port) != KERN_SUCCESS)
		return -1;
	mach_port_deallocate(mach_task_self(), port);
	return 0;
}

struct worker {
	int kind;
	const char *name;
	mach_port_t service, reply;
	int sock;               /* TPUT_WIRE_LOOKUP: its own daemon connection */
	uint16_t seq;
};

static int worker_op(struct worker *w)
{
	switch (w->kind) {
	case TPUT_LOOKUP:
		return look_up(w->name);
	case TPUT_CALL:
		return call_once(w->service, w->reply);
	case TPUT_FLOOR_LOOKUP:
		return floor_round_trip(FLOOR_LOOKUP, 6);
	case TPUT_WIRE_LOOKUP:
		w->seq = w->seq % UINT16_MAX + 1;       /* 1 to 65535: 0 is "not on the connection" */
		return wire_look_up(w->sock, w->name, w->seq);
	default:
		return floor_round_trip(FLOOR_CALL, 6);
	}
}

/*
 * bench --worker KIND MS [NAME INDEX CAP]: with CAP, the last CAP latencies
 * go to fd 7 and the start pipe carries the common deadline.
 */
int worker_main(int argc, char **argv)
{
	struct worker w = { -1, BENCH_SERVICE_NAME, MACH_PORT_NULL, MACH_PORT_NULL, -1, 0 };
	uint64_t count = 0, deadline, *slot = NULL, cap = 0;
	char c = 'r';

	if (argc != 4 && argc != 7)
		return 2;
	for (int k = 0; k < TPUT_KINDS; k++)
		if (strcmp(argv[2], kind_names[k]) == 0)
			w.kind = k;
	if (w.kind < 0)
		return 2;
	if (argc == 7) {
		uint64_t i = strtoull(argv[5], NULL, 10);

		w.name = argv[4];
		cap = strtoull(argv[6], NULL, 10);
		slot = mmap(NULL, (i + 1) * (cap + 1) * 8, PROT_READ | PROT_WRITE, MAP_SHARED, 7, 0);
		if (slot == MAP_FAILED || cap == 0)
			return 1;
		slot += i * (cap + 1);
	}
	if (w.kind == TPUT_CALL &&
	    (bootstrap_look_up(bootstrap_port, w.name, &w.service) != KERN_SUCCESS ||
	     mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &w.reply) != KERN_SUCCESS))
		return 1;
	if (w.kind == TPUT_WIRE_LOOKUP && (w.sock = wire_client_connect()) < 0)
		return 1;
	if (worker_op(&w) || write(3, &c, 1) != 1)
		return 1;
	close(3);
	if (slot && read(4, &deadline, sizeof(deadline)) != sizeof(deadline))
		return 1;
	while (!slot && read(4, &c, 1) > 0)
		;
	if (!slot)
		deadline = now_ns() + strtoull(argv[3], NULL, 10) * 1000000u;
	for (uint64_t t = now_ns(), t1; t < deadline; t = t1, count++) {
		if (worker_op(&w))
			return 1;
		t1 = now_ns();
		if (slot)
			slot[1 + count % cap] = t1 - t;
	}
	if (slot)
		slot[0] = count;
	return write(5, &count, sizeof(count)) == sizeof(count) ? 0 : 1;
}

/* The once service's reply carries its pid: wait until the daemon reaped it. */
static int demand_once(mach_port_t service, mach_port_t reply)
{
	int32_t pid;

	if (bench_call(service, reply, 10000, &pid) < 0)
		return -1;
	return wait_pid_gone(pid, 5000);
}

/*
 * bench --loop lookup|call|demand|spawn N [SERVICE-PROGRAM]: N look-ups,
 * calls, demand launches (the once service; each waits until the daemon
 * reaped it) or floor spawns against $BOOTSTRAP_SOCKET, then the mean;
 * for profiling one end (strace -c, perf, valgrind) by hand.
 */
int loop_main(int argc, char **argv)
{
	static const char *const kinds[] = { "lookup", "call", "demand", "spawn" };
	mach_port_t service = MACH_PORT_NULL, reply = MACH_PORT_NULL;
	long n = argc >= 4 ? atol(argv[3]) : 0;
	int kind = -1, err = 0;
	uint64_t t0, ns;

	for (int k = 0; argc >= 4 && k < 4; k++)
		if (strcmp(argv[2], kinds[k]) == 0)
			kind = k;
	if (n <= 0 || kind < 0 || (kind == 3 && argc != 5)) {
		fprintf(stderr, "usage: bootstrapd-bench --loop lookup|call|demand N\n"
			"       bootstrapd-bench --loop spawn N BENCH-SERVICE\n");
		return 2;
	}
	if (kind == 1 || kind == 2) {
		const char *name = kind == 1 ? BENCH_SERVICE_NAME : BENCH_ONCE_NAME;

		if (bootstrap_look_up(bootstrap_port, name, &service) != KERN_SUCCESS ||
		    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply) != KERN_SUCCESS ||
		    (kind == 1 ? call_once(service, reply) : demand_once(service, reply))) {
			fprintf(stderr, "bench: cannot call %s\n", name);
			return 1;
		}
	}
	if (kind == 0 && look_up(BENCH_SERVICE_NAME)) {
		fprintf(stderr, "bench: cannot look up %s\n", BENCH_SERVICE_NAME);
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < n && !err; i++) {
		switch (kind) {
		case 0: err = look_up(BENCH_SERVICE_NAME); break;
		case 1: err = call_once(service, reply); break;
		case 2: err = demand_once(service, reply); break;
		default: err = floor_spawn_once(argv[4], &ns); break;
		}
	}
	if (err)
		return 1;
	printf("%s: %ld in %.3f s, %.2f us each\n", argv[2], n, (double)(now_ns() - t0) / 1e9,
	       (double)(now_ns() - t0) / 1e3 / (double)n);
	return 0;
}
