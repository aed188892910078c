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
 *
 * Only a checked-in name has a request, so it lives in its own
 * allocation: a loaded service that nobody holds pays one pointer.
 */
#include "service.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "endpoint.h"
#include "fdpass.h"
#include "r-peek.h"

struct service_release {
	int rq;                 /* the daemon's end */
	int sq;                 /* the end handed out, until the reply carrying it is sent; or -1 */
	struct event *ev;
	service_notify_fn *released;
	void *arg;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void service_release_disarm(struct service *s)
{
	struct service_release *r = s->release;

	if (!r)
		return;
	if (r->ev)
		event_free(r->ev);
	close_fd(&r->rq);
	close_fd(&r->sq);
	free(r);
	s->release = NULL;
}

/* Whether what waits on Rq says the right was let go; never blocks. */
static bool let_go(const struct service *s)
{
	/* The right handed back, or end of file: its copy of R and S close
	 * here, the daemon's own stay. */
	return s->release && fdpass_discard(s->release->rq, NULL) != -EAGAIN;
}

/*
 * Tell the owner, once: the request is spent.  No process but the daemon
 * holds R now, so a WAKE left alone in it is no one's (r-peek.h).
 */
static void fire(struct service *s)
{
	service_notify_fn *released = s->release->released;
	void *arg = s->release->arg;

	service_release_disarm(s);
	r_drop_lone_wake(s->recv_fd);
	released(s, arg);
}

static void release_ready(evutil_socket_t fd, short what, void *arg)
{
	struct service *s = arg;

	(void)fd;
	(void)what;
	if (let_go(s))
		fire(s);
}

int service_release_adopt(struct service *s, int rq, service_notify_fn *released, void *arg)
{
	struct service_release *r = calloc(1, sizeof(*r));

	service_release_disarm(s);
	if (!r) {
		close(rq);
		return -ENOMEM;
	}
	*r = (struct service_release){ .rq = rq, .sq = -1, .released = released, .arg = arg };
	s->release = r;
	r->ev = event_new(s->base, rq, EV_READ | EV_PERSIST, release_ready, s);
	if (!r->ev || event_add(r->ev, NULL) < 0) {
		service_release_disarm(s);      /* closes @rq */
		return -ENOMEM;
	}
	return 0;
}

int service_release_arm(struct service *s, service_notify_fn *released, void *arg)
{
	int rq, sq, err = endpoint_socketpair(&rq, &sq);

	if (err < 0)
		return err;
	err = service_release_adopt(s, rq, released, arg);      /* takes @rq */
	if (err < 0) {
		close(sq);
		return err;
	}
	s->release->sq = sq;
	return sq;
}

void service_release_sent(struct service *s)
{
	if (s->release)
		close_fd(&s->release->sq);
}

int service_release_fd(const struct service *s)
{
	return s->release ? s->release->rq : -1;
}

void service_release_exited(struct service *s)
{
	/* A leftover process (a child, a task the right moved to) may still
	 * read R while it holds the request: only once none does. */
	if (let_go(s))
		r_drop_lone_wake(s->recv_fd);
	service_release_disarm(s);
}

bool service_release_settle(struct service *s)
{
	if (!let_go(s))
		return false;
	fire(s);
	return true;
}
