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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bench-proto.h"

extern char **environ;

static const char *const kind_names[] = { "lookup", "call", "floor-lookup", "floor-call" };

static int high(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 100);

	close(fd);
	return h;
}

static int spawn_worker(const struct bench_cfg *cfg, enum tput_kind kind, int ready, int start,
			int result, int sock, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char ms[32];
	char *argv[] = { (char *)cfg->self, "--worker", (char *)kind_names[kind], ms, NULL };
	int err;

	snprintf(ms, sizeof(ms), "%u", (unsigned)(cfg->tput_seconds * 1000));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ready, 3);
	posix_spawn_file_actions_adddup2(&fa, start, 4);
	posix_spawn_file_actions_adddup2(&fa, result, 5);
	if (sock >= 0)
		posix_spawn_file_actions_adddup2(&fa, sock, 6);
	err = posix_spawn(pid, cfg->self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return err ? -1 : 0;
}

/* Return: operations per second summed over @clients, or -1. */
double tput_run(const struct bench_cfg *cfg, enum tput_kind kind, unsigned clients)
{
	int ready[2], start[2], result[2], *socks = calloc(clients, sizeof(int));
	pid_t *pids = calloc(clients, sizeof(pid_t)), server = 0;
	bool floor = kind == TPUT_FLOOR_LOOKUP || kind == TPUT_FLOOR_CALL;
	uint64_t total = 0;
	unsigned spawned = 0, got = 0;
	char c;
	int err = 0;

	if (!socks || !pids || pipe2(ready, O_CLOEXEC) || pipe2(start, O_CLOEXEC) ||
	    pipe2(result, O_CLOEXEC))
		return -1;
	ready[1] = high(ready[1]);
	start[0] = high(start[0]);
	result[1] = high(result[1]);
	if (floor) {
		int *server_ends = calloc(clients, sizeof(int));

		for (unsigned i = 0; i < clients; i++) {
			int sv[2];

			if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
				return -1;
			socks[i] = high(sv[0]);
			server_ends[i] = sv[1];
		}
		server = floor_mux_server_start(kind == TPUT_FLOOR_LOOKUP ? FLOOR_LOOKUP : FLOOR_CALL,
						server_ends, clients);
		for (unsigned i = 0; i < clients; i++)
			close(server_ends[i]);
		free(server_ends);
	}
	for (unsigned i = 0; i < clients && !err; i++) {
		err = spawn_worker(cfg, kind, ready[1], start[0], result[1], floor ? socks[i] : -1,
				   &pids[i]);
		if (!err)
			spawned++;
		if (floor)
			close(socks[i]);
	}
	close(ready[1]);
	close(start[0]);
	close(result[1]);
	/* Every worker is set up (connected, looked up, warmed) before the clock starts. */
	for (unsigned i = 0; i < spawned && !err; i++) {
		struct pollfd pfd = { .fd = ready[0], .events = POLLIN };

		if (poll(&pfd, 1, 30000) != 1 || read(ready[0], &c, 1) != 1)
			err = -1;
	}
	close(start[1]);        /* go */
	for (unsigned i = 0; i < spawned && !err; i++) {
		struct pollfd pfd = { .fd = result[0], .events = POLLIN };
		uint64_t n;

		if (poll(&pfd, 1, 30000 + (int)(cfg->tput_seconds * 1000)) != 1 ||
		    read(result[0], &n, sizeof(n)) != sizeof(n)) {
			err = -1;
			break;
		}
		total += n;
		got++;
	}
	for (unsigned i = 0; i < spawned; i++) {
		if (err)
			kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	close(ready[0]);
	close(result[0]);
	free(socks);
	free(pids);
	if (err || got != clients)
		return -1;
	return (double)total / cfg->tput_seconds;
}

static int call_once(mach_port_t service, mach_port_t reply)
{
	return bench_call(service, reply, 0, NULL);
}

static int look_up(void)
{
	mach_port_t port;

	if (bootstrap_look_up(bootstrap_port, BENCH_SERVICE_NAME, &port) != KERN_SUCCESS)
		return -1;
	mach_port_deallocate(mach_task_self(), port);
	return 0;
}

/* bench --worker KIND MS */
int worker_main(int argc, char **argv)
{
	mach_port_t service = MACH_PORT_NULL, reply = MACH_PORT_NULL;
	uint64_t count = 0, deadline;
	int kind = -1, err = 0;
	char c = 'r';

	if (argc != 4)
		return 2;
	for (int k = 0; k < 4; k++)
		if (strcmp(argv[2], kind_names[k]) == 0)
			kind = k;
	switch (kind) {
	case TPUT_LOOKUP:
		err = look_up();
		break;
	case TPUT_CALL:
		err = bootstrap_look_up(bootstrap_port, BENCH_SERVICE_NAME, &service) != KERN_SUCCESS ||
		      mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply) != KERN_SUCCESS ||
		      call_once(service, reply);
		break;
	case TPUT_FLOOR_LOOKUP:
		err = floor_round_trip(FLOOR_LOOKUP, 6);
		break;
	case TPUT_FLOOR_CALL:
		err = floor_round_trip(FLOOR_CALL, 6);
		break;
	default:
		return 2;
	}
	if (err || write(3, &c, 1) != 1)
		return 1;
	close(3);
	while (read(4, &c, 1) > 0)
		;
	deadline = now_ns() + strtoull(argv[3], NULL, 10) * 1000000u;
	while (now_ns() < deadline) {
		switch (kind) {
		case TPUT_LOOKUP:
			err = look_up();
			break;
		case TPUT_CALL:
			err = call_once(service, reply);
			break;
		case TPUT_FLOOR_LOOKUP:
			err = floor_round_trip(FLOOR_LOOKUP, 6);
			break;
		default:
			err = floor_round_trip(FLOOR_CALL, 6);
			break;
		}
		if (err)
			return 1;
		count++;
	}
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
	if (kind == 0 && look_up()) {
		fprintf(stderr, "bench: cannot look up %s\n", BENCH_SERVICE_NAME);
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < n && !err; i++) {
		switch (kind) {
		case 0: err = look_up(); break;
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
