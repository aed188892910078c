/* SPDX-License-Identifier: MIT */
/*
 * conn.c - accepting clients and reading their requests.
 *
 * Running out of fds is a state, not a crash.  Clients may hold all fds
 * but a reserve (conn_fd_reserve()), kept for the rights a request brings,
 * the ports made for requests (its first half only), the replies, spawns,
 * plists and the log: a connection beyond that is
 * accepted only to be refused, its first request answered with
 * KERN_RESOURCE_SHORTAGE, so that no caller waits in the backlog.  Should
 * accept() still fail with EMFILE or ENFILE, a spare fd is given up to let
 * the client in and refuse it; without one, accept pauses and resumes when
 * a connection closes.  A request whose rights could not all be received
 * closes its connection (the kernel destroyed its reply right, so the
 * caller already has its error); a connection that breaks the protocol is
 * closed, and only that one.
 */
#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "bootstrap-proto.h"
#include "domain.h"
#include "ipc.h"
#include "log.h"
#include "log-limit.h"

static void conn_readable(evutil_socket_t fd, short what, void *arg);

struct conn *conn_new(struct domain *d, int fd, struct job *job)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int one = 1;

	/* Every request then carries its real sender's credentials, and an
	 * empty datagram is told from end of file by them (ipc_recv()). */
	if (c && setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		log_warnx("cannot ask for a connection's credentials: %s: closed", strerror(errno));
		free(c);
		c = NULL;
	}
	if (!c) {
		close(fd);
		return NULL;
	}
	c->domain = d;
	c->fd = fd;
	c->job = job;
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
	/* A request being handled may borrow the fd to be answered on: its
	 * number may be another file's once closed. */
	if (d->request.conn_fd == c->fd)
		d->request.conn_fd = -1;
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

/* The connection cannot carry requests any more: a job's port lives as long as the job. */
static void conn_end(struct conn *c)
{
	if (c->job)
		event_del(c->ev);
	else
		conn_close(c);
}

/*
 * An answer written into a connection can be read by every process holding
 * it: only the process that made it (connect(), SO_PEERCRED) may ask for
 * one, so that no answer reaches a process that shares the connection by
 * fork, exec or a passed right.  A job's connection was made by the daemon
 * for the job's process (conn_set_owner()); its children share it, and get
 * none.
 */
static bool may_answer_on_conn(const struct conn *c, const struct ipc_request *rq)
{
	return rq->creds.valid && rq->creds.pid == c->peer_pid && c->peer_pid > 0;
}

/* A request that asks for its answer on @c: whether it gets it, said in the log. */
static bool admit_on_conn(struct conn *c, const struct ipc_request *rq)
{
	if (!may_answer_on_conn(c, rq)) {
		log_warnx_limited("request %d from pid %d uid %d asks for its answer on a connection "
				  "it did not make: dropped", rq->hdr->id, (int)rq->creds.pid,
				  (int)rq->creds.uid);
		return false;
	}
	if (!c->on_conn_said) {
		c->on_conn_said = true;
		log_debug("pid %d: answered on its connection%s", (int)c->peer_pid,
			  c->job ? " (a job's)" : "");
	}
	return true;
}

void conn_set_owner(struct conn *c, pid_t pid)
{
	c->peer_pid = pid;
}

/*
 * What ipc_recv() read that is no request, and not the end either: said
 * and dropped.  Return: whether @n was such a read (then @c may be closed).
 */
static bool dropped_read(struct conn *c, const struct ipc_request *rq, int n)
{
	switch (n) {
	case -EBADMSG:
		log_warnx_limited("malformed request from pid %d uid %d: dropped", (int)rq->creds.pid,
				  (int)rq->creds.uid);
		return true;
	case -ENOBUFS:
		log_warnx_limited("request from pid %d uid %d: its rights could not all be received "
				  "(too many, or out of fds): %s", (int)c->peer_pid, (int)c->peer_uid,
				  c->job ? "dropped" : "closing the connection");
		if (!c->job)
			conn_close(c);
		return true;
	case -ENOMSG:
		/* Not the end: requests sent after it are still queued, even
		 * once every sender has hung up. */
		log_warnx_limited("empty request from pid %d: dropped", (int)c->peer_pid);
		return true;
	}
	return false;
}

static void conn_readable(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct domain *d = c->domain;
	struct ipc_request *rq = &d->request;
	int n;

	(void)what;
	/* One request per wake-up: the event is level-triggered, and a busy
	 * client cannot starve the others. */
	n = ipc_recv(fd, rq);
	if (n == -EAGAIN || dropped_read(c, rq, n))
		return;
	if (n <= 0) {
		if (n < 0 && n != -ECONNRESET)
			log_debug("connection of pid %d: %s", (int)c->peer_pid, strerror(-n));
		conn_end(c);
		return;
	}
	if (rq->conn_fd >= 0 && !admit_on_conn(c, rq)) {
		ipc_request_release(rq);
		return;
	}
	/* The handler may free @c (a job unloaded through its own port): do not touch it after. */
	/* A check-in, a registration, a bsctl request: the next save has it.  A
	 * look-up, the common request, changes nothing. */
	if (rq->hdr->id != BOOTSTRAP_MSG_LOOK_UP)
		domain_changed(d);
	d->dispatch(c, rq);
	/* Not answered (later, or never): its caller sends it again with a reply right. */
	ipc_reply_resend(rq);
	ipc_request_release(rq);
}

unsigned int conn_fd_reserve(unsigned long limit)
{
	unsigned long r = limit / 4;

	return (unsigned int)(r < CONN_FD_RESERVE_MIN ? CONN_FD_RESERVE_MIN :
			      r > CONN_FD_RESERVE_MAX ? CONN_FD_RESERVE_MAX : r);
}

/* The soft fd limit now (prlimit(1) may change it under us), at most INT_MAX. */
static unsigned long fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > INT_MAX)
		return INT_MAX;
	return (unsigned long)rl.rlim_cur;
}

bool conn_fd_in_daemon_reserve(int fd)
{
	unsigned long limit = fd_limit();

	return (unsigned long)fd + conn_fd_reserve(limit) / 2 >= limit;
}

/*
 * Whether client @cfd, just accepted, may stay.  accept() returns the
 * lowest free fd, so every fd below @cfd is in use: past the limit less
 * the reserve, only the reserve is left.
 */
static bool room_for(struct domain *d, int cfd, unsigned long limit)
{
	unsigned long reserve = conn_fd_reserve(limit);

	return d->n_conns < d->max_conns && d->n_conns + reserve < limit &&
	       (unsigned long)cfd + reserve < limit;
}

/* Answer what the refused client already sent, then hang up: an error, never a wait. */
static void refuse(struct domain *d, int cfd)
{
	struct ipc_request *rq = &d->request;

	if (ipc_recv(cfd, rq) == 1) {
		ipc_reply_error(rq, KERN_RESOURCE_SHORTAGE);
		ipc_request_release(rq);
	}
	close(cfd);
}

/*
 * Out of fds all the same, with a client in the backlog: let it in through
 * the spare fd only to refuse it, so that no caller waits there for an fd
 * that may never come.  Return: the client's fd, -EAGAIN (nobody waits) or
 * -EMFILE (no spare: pause instead).
 */
static int accept_spare(struct domain *d, int lfd)
{
	int cfd;

	if (d->spare_fd < 0)
		return -EMFILE;
	close(d->spare_fd);
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	d->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return cfd >= 0 ? cfd : -EAGAIN;
}

/* accept(), or past the fd limit a client to refuse.  Return: the fd, or a negative errno. */
static int accept_one(struct domain *d, int lfd, bool *starved)
{
	int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (cfd >= 0 || (errno != EMFILE && errno != ENFILE))
		return cfd >= 0 ? cfd : -errno;
	*starved = true;
	cfd = accept_spare(d, lfd);
	if (cfd == -EMFILE) {
		d->accept_paused = true;
		event_del(d->accept_ev);
	}
	return cfd;
}

static void accept_ready(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;
	unsigned long limit = fd_limit();
	unsigned int refused = 0;
	bool starved = false;

	(void)what;
	for (int i = 0; i < 64; i++) {
		int cfd = accept_one(d, fd, &starved);

		if (cfd < 0) {
			if (cfd != -EAGAIN && cfd != -EINTR && cfd != -ECONNABORTED && cfd != -EMFILE)
				log_warnx("accept: %s", strerror(-cfd));
			break;
		}
		if (starved || !room_for(d, cfd, limit)) {
			refuse(d, cfd);
			refused++;
			continue;
		}
		conn_new(d, cfd, NULL);
	}
	if (d->accept_paused)
		log_warnx("out of file descriptors (%u connections): pausing accept", d->n_conns);
	else if (refused)
		log_warnx_limited("too many clients (%u connections, fd limit %lu, %u kept in "
				  "reserve%s): refused %u", d->n_conns, limit,
				  conn_fd_reserve(limit), starved ? ", out of file descriptors" : "",
				  refused);
}

int conn_accept_start(struct domain *d)
{
	/* Kept for refusing clients when fds run out all the same; without it, accept pauses. */
	d->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	d->accept_ev = event_new(d->base, d->listen_fd, EV_READ | EV_PERSIST, accept_ready, d);
	if (!d->accept_ev)
		return -ENOMEM;
	return event_add(d->accept_ev, NULL) < 0 ? -EIO : 0;
}

void conn_accept_stop(struct domain *d)
{
	if (d->accept_ev)
		event_free(d->accept_ev);
	d->accept_ev = NULL;
	if (d->spare_fd >= 0)
		close(d->spare_fd);
	d->spare_fd = -1;
}
