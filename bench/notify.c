/* SPDX-License-Identifier: MIT */
/*
 * notify.c - the cost of a notification request when the task has many:
 * a no-senders request on one port and its cancellation, timed while the
 * task holds a few requests (floor) and while it holds MANY_REQUESTS on
 * other ports (bsd).  A server that watches each client's name pays this
 * per client.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/notify.h>

static kern_return_t request(mach_port_t port, mach_port_t notify, mach_port_t *prev)
{
	return mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 0,
					      notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, prev);
}

/* A port holding a receive and a send right: its no-senders request stays armed. */
static mach_port_t port_with_sender(void)
{
	mach_port_t p;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* @n request-and-cancel pairs on @probe, timed into @ns; each cancelled right's notice drained. */
static int time_requests(mach_port_t probe, mach_port_t notify, uint64_t *ns, size_t n)
{
	mach_msg_empty_rcv_t r;

	for (size_t i = 0; i < n; i++) {
		uint64_t t = now_ns();
		mach_port_t prev;

		if (request(probe, notify, &prev) != KERN_SUCCESS ||
		    request(probe, MACH_PORT_NULL, &prev) != KERN_SUCCESS)
			return -1;
		ns[i] = now_ns() - t;
		mach_port_deallocate(mach_task_self(), prev);
		if (mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), notify, 1000,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			return -1;
	}
	return 0;
}

static int child_notify(void *a, void *o)
{
	const struct bench_cfg *cfg = a;
	struct pair *out = o;
	size_t n = cfg->quick ? 1000 : 5000;
	uint64_t *few = calloc(n, sizeof(uint64_t)), *many = calloc(n, sizeof(uint64_t));
	mach_port_t notify, probe = port_with_sender(), prev;
	int err = !few || !many || probe == MACH_PORT_NULL ||
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify) != KERN_SUCCESS;

	/* Each held request: its port (2 fds), the watch (1), the send-once pair (2). */
	raise_nofile(5 * MANY_REQUESTS + 256);
	err = err || time_requests(probe, notify, few, n) < 0;
	for (unsigned i = 0; i < MANY_REQUESTS && !err; i++) {
		mach_port_t p = port_with_sender();

		err = p == MACH_PORT_NULL || request(p, notify, &prev) != KERN_SUCCESS;
	}
	err = err || time_requests(probe, notify, many, n) < 0;
	*out = (struct pair){ .bsd = lat_of(many, err ? 0 : n), .floor = lat_of(few, err ? 0 : n),
			      .ok = !err };
	free(few);
	free(many);
	return err;
}

int notify_many_requests(const struct bench_cfg *cfg, struct pair *out)
{
	memset(out, 0, sizeof(*out));
	return run_child(child_notify, (void *)cfg, out, sizeof(*out), 120);
}
