/* SPDX-License-Identifier: MIT */
/*
 * bench-service - the job the bench talks to.
 *
 *   bench-service serve NAME    check NAME in and answer every request, forever;
 *                               BENCH_LOOKUPS_ID: time look-ups of NAME from here
 *   bench-service once NAME     check NAME in, answer one request, exit 0
 *                               (the demand-launch figure: the next message
 *                               starts it again)
 *   bench-service byte FD       write one byte to FD and exit 0: the
 *                               demand-launch floor spawns the same program
 *
 * A reply carries the service's pid, so that the bench can wait until the
 * daemon has seen a "once" service exit before the next iteration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bench-proto.h"
#include "bench.h"

/* BENCH_LOOKUPS_ID: time look-ups of @name from inside the job, answer median and p99. */
static void answer_lookups(const char *name, const struct bench_lookups_request *req)
{
	static uint64_t ns[BENCH_LOOKUPS_MAX];
	struct bench_lookups_reply out = { .head = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
		.msgh_size = sizeof(out), .msgh_remote_port = req->head.msgh_remote_port,
		.msgh_id = BENCH_LOOKUPS_ID + 100 } };
	uint32_t n = req->count < BENCH_LOOKUPS_MAX ? req->count : BENCH_LOOKUPS_MAX, done = 0;
	struct lat lat;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t t = now_ns();
		mach_port_t port;

		if (bootstrap_look_up(bootstrap_port, name, &port) != KERN_SUCCESS)
			break;
		mach_port_deallocate(mach_task_self(), port);
		ns[done++] = now_ns() - t;
	}
	lat = lat_of(ns, done);
	out.median_us = lat.med_us;
	out.p99_us = lat.p99_us;
	out.done = done;
	mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

static int serve(const char *name, int once)
{
	mach_port_t port;
	kern_return_t kr = bootstrap_check_in(bootstrap_port, name, &port);
	int32_t pid = getpid();        /* once: a raw server would not ask per request */

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "bench-service: check in %s: %s\n", name, bootstrap_strerror(kr));
		return 1;
	}
	for (;;) {
		union {
			struct bench_request req;
			char buf[sizeof(struct bench_request) + MAX_TRAILER_SIZE];
		} in;
		struct bench_reply out;

		kr = mach_msg(&in.req.head, MACH_RCV_MSG, 0, sizeof(in), port,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr == MACH_RCV_INTERRUPTED)
			continue;       /* a debugger or strace attached */
		if (kr != KERN_SUCCESS) {
			mach_error("bench-service: receive:", kr);
			return 1;
		}
		if (in.req.head.msgh_id == BENCH_LOOKUPS_ID && in.req.head.msgh_remote_port &&
		    in.req.head.msgh_size >= sizeof(struct bench_lookups_request)) {
			answer_lookups(name, (const void *)&in.req);
			continue;
		}
		if (in.req.head.msgh_id != BENCH_MSG_ID || in.req.head.msgh_remote_port == MACH_PORT_NULL) {
			mach_msg_destroy(&in.req.head);
			continue;
		}
		out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		out.head.msgh_size = sizeof(out);
		out.head.msgh_remote_port = in.req.head.msgh_remote_port;
		out.head.msgh_local_port = MACH_PORT_NULL;
		out.head.msgh_voucher_port = MACH_PORT_NULL;
		out.head.msgh_id = BENCH_MSG_ID + 100;
		out.pid = pid;
		memcpy(out.text, in.req.text, sizeof(out.text));
		kr = mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != KERN_SUCCESS)
			mach_error("bench-service: reply:", kr);
		if (once)
			return 0;
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0) {
		/* Never outlive the daemon of a bench run that was killed. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return serve(argv[2], 0);
	}
	if (argc == 3 && strcmp(argv[1], "once") == 0)
		return serve(argv[2], 1);
	if (argc == 3 && strcmp(argv[1], "byte") == 0) {
		char c = '!';

		return write(atoi(argv[2]), &c, 1) == 1 ? 0 : 1;
	}
	fprintf(stderr, "usage: bench-service serve|once NAME | byte FD\n");
	return 2;
}
