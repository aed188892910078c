/* SPDX-License-Identifier: MIT */
/*
 * job-inetd.c - the job's side of its inetd instances (inetd.h): starting
 * one per connection, and the job's state as they start and exit.
 */
#include "job.h"

#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include "domain.h"
#include "inetd.h"
#include "job-spec.h"
#include "log.h"
#include "sockets.h"

static int instance_spawn(void *arg, int fd, pid_t *pid, struct conn **conn, char *why,
			  size_t why_len)
{
	struct job *job = arg;

	/* A client held through a shortage gets no instance once the job or the daemon goes. */
	if (job->unload_when_stopped || job->domain->shutting_down) {
		snprintf(why, why_len, job->unload_when_stopped ? "the job is unloaded" :
			 "the daemon is stopping");
		return -ECANCELED;
	}
	return job_spawn_process(job, fd, pid, conn, why, why_len);
}

static void instance_started(void *arg, bool first)
{
	struct job *job = arg;

	if (first)
		job_list_running(job);
	job->runs++;
	job->blame.last_reason = REASON_DEMAND;
}

static void instance_exited(void *arg, int status, bool last)
{
	struct job *job = arg;

	job->has_exited = true;
	job->last_status = status;
	if (!last)
		return;
	job_forget_pid(job);    /* the last instance is gone: off the running list */
	if (job->unload_when_stopped)
		job_free(job);
}

static void instance_accepting(void *arg, bool on)
{
	struct job *job = arg;

	if (on && !job->domain->shutting_down)
		sockets_watch(job->sockets);
	else if (!on)
		sockets_unwatch(job->sockets);
}

static void accept_instance(struct job *job, int fd)
{
	if (job->domain->shutting_down) {
		sockets_unwatch(job->sockets);  /* no new instance delays the exit */
		return;
	}
	if (!job->inetd)
		job->inetd = inetd_new(&(struct inetd_owner){
			.job = job, .spec = job->spec, .base = job->domain->base,
			.spawn = instance_spawn, .started = instance_started,
			.exited = instance_exited, .accepting = instance_accepting });
	if (!job->inetd) {
		log_job(LOG_ERR, job->spec->label, "cannot start an instance: out of memory");
		return;
	}
	inetd_accept(job->inetd, fd);
}

void job_socket_ready(void *arg, const char *name, int fd)
{
	struct job *job = arg;

	if (job->spec->inetd && !job->spec->inetd_wait)
		accept_instance(job, fd);
	else
		job_demand_socket(job, name);
}
