/* SPDX-License-Identifier: MIT */
/*
 * inetd.c - one instance of a job per accepted connection (inetd.h).
 */
#include "inetd.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "conn.h"
#include "job-spec.h"
#include "log.h"
#include "spawn-job.h"

struct inetd_instance {
	pid_t pid;
	struct conn *conn;      /* its bootstrap port */
	uint64_t kill_at_ms;    /* stopping: when ExitTimeOut's SIGKILL is due; else 0 */
};

struct inetd {
	struct inetd_owner owner;
	struct inetd_instance list[INETD_MAX_INSTANCES];
	size_t n;
	struct event *kill_ev;  /* SIGKILL after ExitTimeOut */
	struct event *retry_ev; /* accept again after running out of fds */
	int held_fd;            /* a client accepted when no instance could start, or -1 */
};

struct inetd *inetd_new(const struct inetd_owner *owner)
{
	struct inetd *st = calloc(1, sizeof(*st));

	if (st) {
		st->owner = *owner;
		st->held_fd = -1;
	}
	return st;
}

size_t inetd_running(const struct inetd *st)
{
	return st ? st->n : 0;
}

bool inetd_is_instance(const struct inetd *st, pid_t pid)
{
	for (size_t i = 0; st && i < st->n; i++)
		if (st->list[i].pid == pid)
			return true;
	return false;
}

static void start_instance(struct inetd *st, int fd);

/* A second after running short: the client held first, then the listening sockets again. */
static void retry(evutil_socket_t fd, short what, void *arg)
{
	struct inetd *st = arg;
	int held = st->held_fd;

	(void)fd;
	(void)what;
	st->held_fd = -1;
	if (held >= 0)
		start_instance(st, held);
	if (st->held_fd < 0 && st->n < INETD_MAX_INSTANCES)
		st->owner.accepting(st->owner.job, true);
}

/* Out of fds is a state: stop accepting for a second (the queue keeps the clients). */
static void pause_accepting(struct inetd *st)
{
	struct timeval tv = { .tv_sec = 1 };

	st->owner.accepting(st->owner.job, false);
	if (!st->retry_ev)
		st->retry_ev = evtimer_new(st->owner.base, retry, st);
	if (st->retry_ev)
		evtimer_add(st->retry_ev, &tv);
}

static void add_instance(struct inetd *st, pid_t pid, struct conn *conn)
{
	st->owner.started(st->owner.job, st->n == 0);
	st->list[st->n++] = (struct inetd_instance){ pid, conn, 0 };
	if (st->n == INETD_MAX_INSTANCES)
		st->owner.accepting(st->owner.job, false);      /* resumed when one exits */
	log_job(LOG_INFO, st->owner.spec->label, "instance started (pid %d, %zu running)",
		(int)pid, st->n);
}

/*
 * An instance for client @fd (taken).  Out of fds or processes, the client
 * is held, not dropped, and accepting pauses: retry() starts it first.
 */
static void start_instance(struct inetd *st, int fd)
{
	const char *label = st->owner.spec->label;
	struct conn *conn;
	char why[512];
	pid_t pid;
	int err = st->owner.spawn(st->owner.job, fd, &pid, &conn, why, sizeof(why));

	if (err < 0 && spawn_shortage(err)) {
		log_job(LOG_WARNING, label, "cannot start an instance now (%s): its client waits, "
			"accepting paused", why);
		st->held_fd = fd;
		pause_accepting(st);
		return;
	}
	if (err < 0)
		log_job(LOG_ERR, label, "cannot start an instance: %s", why);
	else
		add_instance(st, pid, conn);
	close(fd);              /* the instance has its copy; a failure closes the connection */
}

void inetd_accept(struct inetd *st, int listen_fd)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_job(LOG_WARNING, st->owner.spec->label, "accept: %s: pausing",
				strerror(errno));
			pause_accepting(st);
		}
		return;         /* EAGAIN, ECONNABORTED: the client gave up */
	}
	start_instance(st, fd);
}

static void forget(struct inetd *st, size_t i, int status)
{
	const struct job_spec *spec = st->owner.spec;
	struct inetd_instance *in = &st->list[i];

	if (WIFSIGNALED(status))
		log_job(LOG_NOTICE, spec->label, "instance %d exited on signal %d",
			(int)in->pid, WTERMSIG(status));
	else
		log_job(LOG_INFO, spec->label, "instance %d exited with status %d",
			(int)in->pid, WEXITSTATUS(status));
	conn_close(in->conn);
	*in = st->list[--st->n];
	if (st->n == INETD_MAX_INSTANCES - 1)
		st->owner.accepting(st->owner.job, true);
	if (st->n == 0 && st->kill_ev)
		event_del(st->kill_ev);
	st->owner.exited(st->owner.job, status, st->n == 0);     /* may free @st */
}

void inetd_reap(struct inetd *st, pid_t pid, int status)
{
	for (size_t i = 0; st && i < st->n; i++) {
		if (st->list[i].pid == pid) {
			forget(st, i, status);
			return;
		}
	}
}

static void kill_timeout(evutil_socket_t fd, short what, void *arg);

/* The kill timer set for the first SIGKILL due, if any is. */
static void arm_kill(struct inetd *st)
{
	uint64_t first = 0, now = clock_monotonic_ms();
	struct timeval tv;

	for (size_t i = 0; i < st->n; i++)
		if (st->list[i].kill_at_ms && (!first || st->list[i].kill_at_ms < first))
			first = st->list[i].kill_at_ms;
	if (!first)
		return;
	if (!st->kill_ev)
		st->kill_ev = evtimer_new(st->owner.base, kill_timeout, st);
	tv = timeval_from_ms(first > now ? (long long)(first - now) : 0);
	if (st->kill_ev)
		evtimer_add(st->kill_ev, &tv);
}

/*
 * SIGKILL for the instances whose ExitTimeOut ran out since their
 * SIGTERM: those alone, not one that a connection started since the stop
 * (the listening sockets stay watched).  The process alone: what it
 * leaves lives on, as launchd abandons an instance's group.
 */
static void kill_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct inetd *st = arg;
	uint64_t now = clock_monotonic_ms();
	size_t due = 0;

	(void)fd;
	(void)what;
	for (size_t i = 0; i < st->n; i++) {
		if (st->list[i].kill_at_ms && st->list[i].kill_at_ms <= now) {
			kill(st->list[i].pid, SIGKILL);
			st->list[i].kill_at_ms = 0;
			due++;
		}
	}
	if (due)
		log_job(LOG_WARNING, st->owner.spec->label,
			"%zu instance(s) did not exit after SIGTERM: SIGKILL", due);
	arm_kill(st);
}

void inetd_stop(struct inetd *st)
{
	const struct job_spec *spec = st ? st->owner.spec : NULL;
	uint64_t kill_at;

	if (!st || !st->n)
		return;
	log_job(LOG_INFO, spec->label, "stopping %zu instance(s) (SIGTERM)", st->n);
	kill_at = spec->exit_timeout > 0 ?
		  clock_monotonic_ms() + (uint64_t)spec->exit_timeout * 1000u : 0;
	for (size_t i = 0; i < st->n; i++) {
		kill(st->list[i].pid, SIGTERM);
		if (kill_at && !st->list[i].kill_at_ms)
			st->list[i].kill_at_ms = kill_at;       /* an earlier stop's stays */
	}
	arm_kill(st);
}

struct inetd *inetd_free(struct inetd *st)
{
	if (!st)
		return NULL;
	for (size_t i = 0; i < st->n; i++)
		conn_close(st->list[i].conn);
	if (st->kill_ev)
		event_free(st->kill_ev);
	if (st->retry_ev)
		event_free(st->retry_ev);
	if (st->held_fd >= 0)
		close(st->held_fd);
	free(st);
	return NULL;
}
