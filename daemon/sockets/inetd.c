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

#include "conn.h"
#include "job-spec.h"
#include "log.h"
#include "spawn-job.h"

struct inetd_instance {
	pid_t pid;
	struct conn *conn;      /* its bootstrap port */
};

struct inetd {
	struct inetd_owner owner;
	struct inetd_instance list[INETD_MAX_INSTANCES];
	size_t n;
	struct event *kill_ev;  /* SIGKILL after ExitTimeOut */
	struct event *retry_ev; /* accept again after running out of fds */
};

struct inetd *inetd_new(const struct inetd_owner *owner)
{
	struct inetd *st = calloc(1, sizeof(*st));

	if (st)
		st->owner = *owner;
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

static void retry(evutil_socket_t fd, short what, void *arg)
{
	struct inetd *st = arg;

	(void)fd;
	(void)what;
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
	st->list[st->n++] = (struct inetd_instance){ pid, conn };
	if (st->n == INETD_MAX_INSTANCES)
		st->owner.accepting(st->owner.job, false);      /* resumed when one exits */
	log_job(LOG_INFO, st->owner.spec->label, "instance started (pid %d, %zu running)",
		(int)pid, st->n);
}

void inetd_accept(struct inetd *st, int listen_fd)
{
	const char *label = st->owner.spec->label;
	struct conn *conn;
	char why[512];
	pid_t pid;
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_job(LOG_WARNING, label, "accept: %s: pausing", strerror(errno));
			pause_accepting(st);
		}
		return;         /* EAGAIN, ECONNABORTED: the client gave up */
	}
	if (st->owner.spawn(st->owner.job, fd, &pid, &conn, why, sizeof(why)) < 0)
		log_job(LOG_ERR, label, "cannot start an instance: %s", why);
	else
		add_instance(st, pid, conn);
	close(fd);              /* the instance has its copy; a failure closes the connection */
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

/* The instances' processes alone: what they leave lives on, as launchd abandons their groups. */
static void signal_all(struct inetd *st, int sig)
{
	for (size_t i = 0; i < st->n; i++)
		kill(st->list[i].pid, sig);
}

static void kill_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct inetd *st = arg;

	(void)fd;
	(void)what;
	log_job(LOG_WARNING, st->owner.spec->label,
		"%zu instance(s) did not exit after SIGTERM: SIGKILL", st->n);
	signal_all(st, SIGKILL);
}

void inetd_stop(struct inetd *st)
{
	const struct job_spec *spec = st ? st->owner.spec : NULL;
	struct timeval tv;

	if (!st || !st->n)
		return;
	log_job(LOG_INFO, spec->label, "stopping %zu instance(s) (SIGTERM)", st->n);
	signal_all(st, SIGTERM);
	if (spec->exit_timeout <= 0)
		return;
	tv = (struct timeval){ .tv_sec = spec->exit_timeout };
	if (!st->kill_ev)
		st->kill_ev = evtimer_new(st->owner.base, kill_timeout, st);
	if (st->kill_ev)
		evtimer_add(st->kill_ev, &tv);
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
	free(st);
	return NULL;
}
