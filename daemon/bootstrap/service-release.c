/* SPDX-License-Identifier: MIT */
/*
 * service-release.c - learning that the holder of a service's receive
 * right let it go, as launchd does: launchd asks for a port-destroyed
 * notification on each right it hands out, and the right comes back to it
 * when its holder destroys it.  Here the request is the send-once end Sq
 * of a socketpair, which travels with the receive right (WIRE_F_PDREQUEST);
 * the daemon keeps the other end, Rq.  Anything on Rq, the right handed
 * back or end of file (every holder of Sq is gone), means released.  The
 * daemon's own copy of R stays where it is: queued messages are not lost.
 */
#include "service.h"

#include <errno.h>
#include <unistd.h>

#include <event2/event.h>

#include "endpoint.h"
#include "fdpass.h"

static void disarm(struct service *s)
{
	if (s->release_ev)
		event_free(s->release_ev);
	s->release_ev = NULL;
	if (s->release_fd >= 0)
		close(s->release_fd);
	s->release_fd = -1;
}

/* Whether what waits on Rq says the right was let go; never blocks. */
static bool let_go(struct service *s)
{
	struct fdpass_creds cr;

	/* The right handed back, or end of file: its copy of R and S close
	 * here, the daemon's own stay. */
	return s->release_fd >= 0 && fdpass_discard(s->release_fd, &cr) != -EAGAIN;
}

static void release_ready(evutil_socket_t fd, short what, void *arg)
{
	struct service *s = arg;

	(void)fd;
	(void)what;
	if (!let_go(s))
		return;         /* a spurious wake-up: still held */
	disarm(s);
	s->released(s, s->released_arg);
}

/* Watch @rq, the daemon's end of the request (taken). */
static int watch(struct service *s, int rq, service_notify_fn *released, void *arg)
{
	s->release_ev = event_new(s->base, rq, EV_READ | EV_PERSIST, release_ready, s);
	if (!s->release_ev || event_add(s->release_ev, NULL) < 0) {
		if (s->release_ev)
			event_free(s->release_ev);
		s->release_ev = NULL;
		close(rq);
		return -ENOMEM;
	}
	s->release_fd = rq;
	s->released = released;
	s->released_arg = arg;
	return 0;
}

int service_release_adopt(struct service *s, int rq, service_notify_fn *released, void *arg)
{
	disarm(s);
	return watch(s, rq, released, arg);
}

int service_release_arm(struct service *s, service_notify_fn *released, void *arg)
{
	int rq, sq, err;

	disarm(s);
	err = endpoint_socketpair(&rq, &sq);
	if (err < 0)
		return err;
	err = watch(s, rq, released, arg);
	if (err < 0) {
		close(sq);
		return err;
	}
	return sq;
}

void service_release_disarm(struct service *s)
{
	disarm(s);
	service_release_sent(s);
}

void service_release_sent(struct service *s)
{
	if (s->release_out >= 0)
		close(s->release_out);
	s->release_out = -1;
}

bool service_release_settle(struct service *s)
{
	if (!let_go(s))
		return false;
	disarm(s);
	s->released(s, s->released_arg);
	return true;
}
