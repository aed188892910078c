/* SPDX-License-Identifier: MIT */
/*
 * supervise.c - what follows a job's exit: logging it, cleaning up its
 * process group, resetting or keeping its ports, counting crash loops, and
 * restarting it for KeepAlive or for the messages that wait for it.
 */
#include "supervise.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>

#include <event2/event.h>

#include "conn.h"
#include "domain.h"
#include "job.h"
#include "job-spec.h"
#include "keepalive.h"
#include "log.h"
#include "inetd.h"
#include "service.h"
#include "sockets.h"
#include "spawn.h"
#include "triggers.h"

static void log_exit(const struct job *job, int status)
{
	if (WIFSIGNALED(status))
		log_job(LOG_NOTICE, job->spec->label, "exited on signal %d (%s)%s",
			WTERMSIG(status), strsignal(WTERMSIG(status)),
			keepalive_crash_signal(WTERMSIG(status)) ? ", crashed" : "");
	else
		log_job(WEXITSTATUS(status) ? LOG_NOTICE : LOG_INFO, job->spec->label,
			"exited with status %d", WEXITSTATUS(status));
}

/* An exit soon after the start that was not clean counts towards a crash loop. */
static bool early_failure(const struct job *job, int status)
{
	struct timespec now;
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return !clean && !job->stop_requested &&
	       now.tv_sec - job->start_time.tv_sec < job->spec->throttle_interval;
}

static void release_ports(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++) {
		struct service *s = job->services[i];

		s->checked_in = false;
		if (s->reset_at_close && service_reset_port(s) < 0)
			log_job(LOG_ERR, job->spec->label, "cannot reset port of %s", s->name);
	}
}

static void rewatch(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++)
		service_watch(job->services[i]);
	sockets_watch(job);
}

void job_exited(struct job *job, int status)
{
	char why[128];

	log_exit(job, status);
	if (!job->spec->abandon_process_group)
		spawn_kill_group(job->pid, SIGKILL);
	if (job->kill_ev)
		event_del(job->kill_ev);
	conn_close(job->conn);
	job->conn = NULL;
	job_forget_pid(job);
	job->pid = 0;
	job->has_exited = true;
	job->last_status = status;
	job->state = JOB_WAITING;
	release_ports(job);
	job->early_failures = early_failure(job, status) ? job->early_failures + 1 : 0;
	if (job->unload_when_stopped) {
		job_free(job);
		return;
	}
	if (job->early_failures >= JOB_CRASH_LOOP_LIMIT) {
		snprintf(why, sizeof(why), "exited early %u times in a row (crash loop)",
			 job->early_failures);
		job_fail(job, why);
		return;
	}
	if (job->spec->launch_only_once) {
		log_job(LOG_INFO, job->spec->label, "LaunchOnlyOnce: not restarted");
		return;
	}
	if (job->restart_requested) {
		job->restart_requested = false;
		job_start(job, REASON_CONTROL);
	} else if (keepalive_after_exit(job)) {
		job_start(job, REASON_KEEPALIVE);
	} else if (!job->stop_requested && triggers_queue_pending(job)) {
		job_start(job, REASON_WATCH_PATH);      /* QueueDirectories: while non-empty */
	}
	if (job->state == JOB_WAITING)
		rewatch(job);   /* a message already waiting starts it again at once */
}

void supervise_reap(struct domain *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct job *job = job_find_pid(d, pid);

		if (job)
			job_exited(job, status);
		else if (!inetd_reap(d, pid, status))
			log_debug("reaped pid %d (not a job)", (int)pid);
	}
	domain_maybe_exit(d);
}
