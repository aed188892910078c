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
#include "domain.h"
#include "job.h"
#include "job-spec.h"
#include "log.h"
#include "sockets.h"
#include "spawn-job.h"

struct inetd_instance {
	pid_t pid;
	struct conn *conn;      /* its bootstrap port */
};

struct inetd {
	struct inetd_instance list[INETD_MAX_INSTANCES];
	size_t n;
	struct event *kill_ev;  /* SIGKILL after ExitTimeOut */
	struct event *retry_ev; /* accept again after running out of fds */
};

static struct inetd *state(struct job *job)
{
	if (!job->inetd)
		job->inetd = calloc(1, sizeof(*job->inetd));
	return job->inetd;
}

size_t inetd_running(const struct job *job)
{
	return job->inetd ? job->inetd->n : 0;
}

bool inetd_is_instance(const struct job *job, pid_t pid)
{
	for (size_t i = 0; job->inetd && i < job->inetd->n; i++)
		if (job->inetd->list[i].pid == pid)
			return true;
	return false;
}

static void retry(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;

	(void)fd;
	(void)what;
	sockets_watch(job->sockets);
}

/* Out of fds is a state: stop accepting for a second (the queue keeps the clients). */
static void pause_accepting(struct job *job, struct inetd *st)
{
	struct timeval tv = { .tv_sec = 1 };

	sockets_unwatch(job->sockets);
	if (!st->retry_ev)
		st->retry_ev = evtimer_new(job->domain->base, retry, job);
	if (st->retry_ev)
		evtimer_add(st->retry_ev, &tv);
}

static void add_instance(struct job *job, struct inetd *st, pid_t pid, struct conn *conn)
{
	job_instance_started(job, st->n == 0);
	st->list[st->n++] = (struct inetd_instance){ pid, conn };
	if (st->n == INETD_MAX_INSTANCES)
		sockets_unwatch(job->sockets);   /* resumed when one exits */
	log_job(LOG_INFO, job->spec->label, "instance started (pid %d, %zu running)", (int)pid,
		st->n);
}

void inetd_accept(struct job *job, int listen_fd)
{
	struct inetd *st = state(job);
	struct conn *conn;
	char why[512];
	pid_t pid;
	int fd;

	if (job->domain->shutting_down) {
		sockets_unwatch(job->sockets);   /* no new instance delays the exit */
		return;
	}
	if (!st) {
		log_job(LOG_ERR, job->spec->label, "cannot start an instance: out of memory");
		return;
	}
	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_job(LOG_WARNING, job->spec->label, "accept: %s: pausing", strerror(errno));
			pause_accepting(job, st);
		}
		return;         /* EAGAIN, ECONNABORTED: the client gave up */
	}
	if (job_spawn_process(job, fd, &pid, &conn, why, sizeof(why)) < 0)
		log_job(LOG_ERR, job->spec->label, "cannot start an instance: %s", why);
	else
		add_instance(job, st, pid, conn);
	close(fd);              /* the instance has its copy; a failure closes the connection */
}

static void forget(struct job *job, size_t i, int status)
{
	struct inetd *st = job->inetd;
	struct inetd_instance *in = &st->list[i];

	if (WIFSIGNALED(status))
		log_job(LOG_NOTICE, job->spec->label, "instance %d exited on signal %d",
			(int)in->pid, WTERMSIG(status));
	else
		log_job(LOG_INFO, job->spec->label, "instance %d exited with status %d",
			(int)in->pid, WEXITSTATUS(status));
	if (!job->spec->abandon_process_group)
		spawn_kill_group(in->pid, SIGKILL);
	conn_close(in->conn);
	*in = st->list[--st->n];
	if (st->n == INETD_MAX_INSTANCES - 1)
		sockets_watch(job->sockets);
	if (st->n == 0 && st->kill_ev)
		event_del(st->kill_ev);
	job_instance_exited(job, status, st->n == 0);   /* may free the job */
}

bool inetd_reap(struct domain *d, pid_t pid, int status)
{
	for (struct job *job = d->running; job; job = job->next_running) {
		for (size_t i = 0; job->inetd && i < job->inetd->n; i++) {
			if (job->inetd->list[i].pid == pid) {
				forget(job, i, status);
				return true;
			}
		}
	}
	return false;
}

static void signal_all(struct job *job, int sig)
{
	for (size_t i = 0; job->inetd && i < job->inetd->n; i++)
		spawn_kill_group(job->inetd->list[i].pid, sig);
}

static void kill_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;

	(void)fd;
	(void)what;
	log_job(LOG_WARNING, job->spec->label, "%zu instance(s) did not exit after SIGTERM: SIGKILL",
		inetd_running(job));
	signal_all(job, SIGKILL);
}

void inetd_stop(struct job *job)
{
	struct inetd *st = job->inetd;
	struct timeval tv = { .tv_sec = job->spec->exit_timeout };

	if (!st || !st->n)
		return;
	log_job(LOG_INFO, job->spec->label, "stopping %zu instance(s) (SIGTERM)", st->n);
	signal_all(job, SIGTERM);
	if (job->spec->exit_timeout <= 0)
		return;
	if (!st->kill_ev)
		st->kill_ev = evtimer_new(job->domain->base, kill_timeout, job);
	if (st->kill_ev)
		evtimer_add(st->kill_ev, &tv);
}

void inetd_free(struct job *job)
{
	struct inetd *st = job->inetd;

	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++)
		conn_close(st->list[i].conn);
	if (st->kill_ev)
		event_free(st->kill_ev);
	if (st->retry_ev)
		event_free(st->retry_ev);
	free(st);
	job->inetd = NULL;
}
