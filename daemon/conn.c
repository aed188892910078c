/* SPDX-License-Identifier: MIT */
/*
 * conn.c - accepting clients and reading their requests.
 *
 * Running out of fds is a state, not a crash: accept() pauses on EMFILE or
 * ENFILE and resumes when a connection closes; a request whose rights could
 * not all be received is dropped with a log line; a connection that breaks
 * the protocol is closed, and only that one.
 */
#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "domain.h"
#include "ipc.h"
#include "log.h"
#include "server.h"

static void conn_readable(evutil_socket_t fd, short what, void *arg);

struct conn *conn_new(struct domain *d, int fd, struct job *job)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int one = 1;

	if (!c) {
		close(fd);
		return NULL;
	}
	c->domain = d;
	c->fd = fd;
	c->job = job;
	/* Every request then carries its real sender's credentials. */
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0) {
		c->peer_pid = uc.pid;
		c->peer_uid = uc.uid;
	}
	c->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, conn_readable, c);
	if (!c->ev || event_add(c->ev, NULL) < 0) {
		if (c->ev)
			event_free(c->ev);
		close(fd);
		free(c);
		return NULL;
	}
	c->next = d->conns;
	if (d->conns)
		d->conns->prev = c;
	d->conns = c;
	d->n_conns++;
	return c;
}

void conn_close(struct conn *c)
{
	struct domain *d;

	if (!c)
		return;
	d = c->domain;
	event_free(c->ev);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		d->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	d->n_conns--;
	free(c);
	if (d->accept_paused && d->accept_ev) {
		d->accept_paused = false;
		event_add(d->accept_ev, NULL);
		log_info("accepting connections again");
	}
}

/* A zero-length read is end of file only once the peer hung up; otherwise it
 * was an empty datagram (malformed, and already consumed). */
static bool peer_gone(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

static void conn_readable(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct ipc_request *rq = &c->domain->request;
	int n;

	(void)what;
	/* One request per wake-up: the event is level-triggered, and a busy
	 * client cannot starve the others. */
	n = ipc_recv(fd, rq);
	if (n == -EAGAIN)
		return;
	if (n == -EBADMSG) {
		log_warnx("malformed request from pid %d uid %d: dropped", (int)rq->creds.pid,
			  (int)rq->creds.uid);
		return;
	}
	if (n == 0 && !peer_gone(fd)) {
		log_warnx("empty request from pid %d: dropped", (int)c->peer_pid);
		return;
	}
	if (n <= 0) {
		if (n < 0 && n != -ECONNRESET)
			log_debug("connection of pid %d: %s", (int)c->peer_pid, strerror(-n));
		if (c->job)
			event_del(c->ev);       /* the job's port lives as long as the job */
		else
			conn_close(c);
		return;
	}
	/* The handler may free @c (a job unloaded through its own port): do not touch it after. */
	server_dispatch(c, rq);
	ipc_request_release(rq);
}

static void accept_ready(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)what;
	for (int i = 0; i < 64; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				log_warnx("out of file descriptors (%u connections): pausing accept",
					  d->n_conns);
				d->accept_paused = true;
				event_del(d->accept_ev);
			} else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
				log_warn("accept");
			}
			return;
		}
		if (d->n_conns >= d->max_conns) {
			log_warnx("too many clients (%u): refusing a connection", d->n_conns);
			close(cfd);
			continue;
		}
		conn_new(d, cfd, NULL);
	}
}

int conn_accept_start(struct domain *d)
{
	d->accept_ev = event_new(d->base, d->listen_fd, EV_READ | EV_PERSIST, accept_ready, d);
	if (!d->accept_ev)
		return -ENOMEM;
	return event_add(d->accept_ev, NULL) < 0 ? -EIO : 0;
}
