/* SPDX-License-Identifier: MIT */
/*
 * job.c - the job's state machine (job.h): every transition, starting,
 * throttling, stopping, exiting and failing, is made here.  Loading and
 * freeing a job is in job-load.c; reaping its process in supervise.c.
 */
#include "job.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "channels.h"
#include "clock.h"
#include "conn.h"
#include "domain.h"
#include "inetd.h"
#include "job-spec.h"
#include "keepalive.h"
#include "log.h"
#include "registry.h"
#include "service.h"
#include "sockets.h"
#include "spawn-job.h"
#include "triggers.h"

static void throttle_done(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;
	long long left;

	(void)fd;
	(void)what;
	if (job->state != JOB_THROTTLED)
		return;
	/* The loop keeps time on the coarse clock (no timerfd to set on every
	 * turn), so a timer may fire a tick early: wait out the rest. */
	left = job_throttle_left_ms(job);
	if (left > 0) {
		struct timeval tv = timeval_from_ms(left);

		evtimer_add(job->throttle_ev, &tv);
		return;
	}
	job->state = JOB_WAITING;
	job_start(job, job->pending_reason);
}

/* Nanoseconds of ThrottleInterval left since the job's last start (<= 0: none). */
static long long throttle_left_ns(const struct job *job)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return job->spec->throttle_interval * 1000000000LL -
	       ((now.tv_sec - job->start_time.tv_sec) * 1000000000LL +
		(now.tv_nsec - job->start_time.tv_nsec));
}

/*
 * Return: milliseconds until the job may start again (ThrottleInterval
 * after its previous start, to the millisecond), 0 if now.
 */
long long job_throttle_left_ms(const struct job *job)
{
	long long left = job->runs ? throttle_left_ns(job) : 0;

	return left > 0 ? (left + 999999) / 1000000 : 0;
}

/* A throttled start that is not to come after all. */
static void cancel_throttle(struct job *job)
{
	if (job->state != JOB_THROTTLED)
		return;
	event_del(job->throttle_ev);
	job->state = JOB_WAITING;
}

static int throttle(struct job *job, enum job_reason reason, long long wait_ms)
{
	struct timeval tv = timeval_from_ms(wait_ms);

	if (!job->throttle_ev)
		job->throttle_ev = evtimer_new(job->domain->base, throttle_done, job);
	if (!job->throttle_ev)
		return -ENOMEM;
	job->state = JOB_THROTTLED;
	job->pending_reason = reason;
	/* The timer counts from now, not from when this loop iteration began. */
	event_base_update_cache_time(job->domain->base);
	evtimer_add(job->throttle_ev, &tv);
	domain_changed(job->domain);
	if (wait_ms > 0)        /* else held while a restart is restored: start() */
		log_job(LOG_NOTICE, job->spec->label, "throttling respawn: will start in "
			"%lld seconds", (wait_ms + 999) / 1000);
	return 0;
}

static int spawn(struct job *job, enum job_reason reason)
{
	char why[512];
	int err;

	job->pending_reason = REASON_NONE;      /* this start serves it */
	err = job_spawn_process(job, -1, &job->pid, &job->conn, why, sizeof(why));
	if (err < 0 && spawn_shortage(err)) {
		/* Out of fds or processes is a state, not the job's fault: the
		 * messages that asked for it wait in its ports for the retry. */
		log_job(LOG_WARNING, job->spec->label, "cannot start now (%s): trying again in %d ms",
			why, JOB_SHORTAGE_RETRY_MS);
		return throttle(job, reason, JOB_SHORTAGE_RETRY_MS);
	}
	if (err < 0) {
		job_fail(job, why);
		return err;
	}
	job->state = JOB_RUNNING;
	job_list_running(job);
	job->runs++;
	job->blame.last_reason = reason;
	clock_gettime(CLOCK_MONOTONIC, &job->start_time);
	domain_changed(job->domain);
	for (size_t i = 0; i < job->n_services; i++)
		service_unwatch(job->services[i]);
	sockets_unwatch(job->sockets);
	log_job(LOG_INFO, job->spec->label, "started (pid %d, reason %s)", (int)job->pid,
		job_reason_name(reason));
	job_runs_changed(job->domain);          /* OtherJobActive: it runs now */
	return 0;
}

static bool runs_now(const void *job)
{
	return job_is_running(job);
}

static struct keepalive_facts keepalive_facts(const struct job *job)
{
	return (struct keepalive_facts){ .ka = &job->spec->keepalive, .jobs = &job->domain->jobs,
					 .runs = runs_now, .demanded = job->blame.demanded,
					 .last_status = job->last_status,
					 .exit_asked = job->exit_asked,
					 .network_up = job->spec->keepalive.has_network_state &&
						       job_network_up(job->domain) };
}

void job_other_jobs_changed(struct job *job)
{
	struct keepalive_facts f = keepalive_facts(job);

	if (job->state == JOB_WAITING && keepalive_others_hold(&f))
		job_start(job, REASON_KEEPALIVE);
}

void job_loaded(struct job *job)
{
	struct keepalive_facts f = keepalive_facts(job);

	if (job->spec->run_at_load)
		job_start(job, REASON_RUN_AT_LOAD);
	else if (keepalive_at_load(&f))
		job_start(job, REASON_KEEPALIVE);
}

void job_triggered(void *arg, enum trigger what)
{
	static const enum job_reason reasons[] = {
		[TRIGGER_INTERVAL] = REASON_INTERVAL, [TRIGGER_CALENDAR] = REASON_CALENDAR,
		[TRIGGER_PATH] = REASON_WATCH_PATH, [TRIGGER_PATH_STATE] = REASON_KEEPALIVE,
	};
	struct job *job = arg;
	struct keepalive_facts f = keepalive_facts(job);

	if (what == TRIGGER_PATH_STATE && !keepalive_path_state_holds(&f))
		return;
	job_start(job, reasons[what]);
}

bool job_is_running(const struct job *job)
{
	return job->state == JOB_RUNNING || job->state == JOB_STOPPING;
}

/*
 * AfterInitialDemand, as launchd's needs_kickoff: a demand or bsctl kicks
 * the job off; until then every other start waits.  Return: whether
 * @reason's start waits.
 */
static bool awaits_kickoff(struct job *job, enum job_reason reason)
{
	struct keepalive_facts f = keepalive_facts(job);

	if (reason == REASON_DEMAND || reason == REASON_CONTROL) {
		job->blame.demanded = true;
		return false;
	}
	if (!keepalive_awaits_demand(&f))
		return false;
	log_job(LOG_DEBUG, job->spec->label, "AfterInitialDemand: %s waits for a first demand",
		job_reason_name(reason));
	return true;
}

/* job_start(), or with @now job_kickstart(): at once, whatever the throttle. */
static int start(struct job *job, enum job_reason reason, bool now)
{
	long long wait;

	if (job->state == JOB_RUNNING && (reason == REASON_INTERVAL || reason == REASON_CALENDAR)) {
		/* As launchd: a timer that fires while the job runs starts it
		 * again once it exits, rather than being lost. */
		if (job->pending_reason == REASON_NONE)
			log_job(LOG_DEBUG, job->spec->label, "%s: running; starts again once it exits",
				job_reason_name(reason));
		job->pending_reason = reason;
		return 0;
	}
	if (job_is_running(job) || job->domain->shutting_down)
		return 0;
	if (job->state == JOB_FAILED && reason != REASON_CONTROL)
		return -EPERM;
	if (job->state == JOB_THROTTLED)
		return 0;       /* already waiting to start */
	if (job->spec->inetd && !job->spec->inetd_wait) {
		log_job(LOG_DEBUG, job->spec->label, "inetdCompatibility: instances start per connection (%s)",
			job_reason_name(reason));
		return 0;
	}
	if (job->spec->launch_only_once && job->runs > 0 && reason != REASON_CONTROL) {
		log_job(LOG_DEBUG, job->spec->label, "LaunchOnlyOnce: not started again (%s)",
			job_reason_name(reason));
		job->pending_reason = REASON_NONE;
		return -EALREADY;
	}
	if (awaits_kickoff(job, reason))
		return 0;
	if (reason == REASON_CONTROL) {
		job->early_failures = 0;
		free(job->failure);
		job->failure = NULL;
	}
	wait = now ? 0 : job_throttle_left_ms(job);
	if (wait > 0)
		return throttle(job, reason, wait);
	/* While a restart is restored, a start waits for the loop, which runs once
	 * every job is loaded: one loaded later may publish a SecureSocketWithKey
	 * variable (it comes back only with its job) that this job must get. */
	if (job->domain->restore)
		return throttle(job, reason, 0);
	return spawn(job, reason);
}

int job_start(struct job *job, enum job_reason reason)
{
	return start(job, reason, false);
}

int job_kickstart(struct job *job)
{
	cancel_throttle(job);
	return start(job, REASON_CONTROL, true);
}

int job_restart(struct job *job)
{
	job->restart_requested = true;
	if (kill(job->pid, SIGKILL) < 0) {
		job->restart_requested = false;
		return -errno;
	}
	log_job(LOG_INFO, job->spec->label, "kickstart -k: killed pid %d", (int)job->pid);
	return 0;
}

static void kill_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;

	(void)fd;
	(void)what;
	if (job->state != JOB_STOPPING)
		return;
	log_job(LOG_WARNING, job->spec->label, "did not exit %d s after SIGTERM: sending SIGKILL",
		job->spec->exit_timeout);
	/* The process alone, as launchd: what is left of its group gets
	 * SIGTERM once it is gone (job_signal_leftovers()). */
	kill(job->pid, SIGKILL);
}

/* ExitTimeOut, counted from now: SIGKILL if the stopping process is still there. */
static void arm_kill_timeout(struct job *job)
{
	struct timeval tv = { .tv_sec = job->spec->exit_timeout };

	if (job->spec->exit_timeout <= 0)
		return;
	if (!job->kill_ev)
		job->kill_ev = evtimer_new(job->domain->base, kill_timeout, job);
	if (job->kill_ev)
		evtimer_add(job->kill_ev, &tv);
}

void job_stop(struct job *job)
{
	inetd_stop(job->inetd);
	/* The last thing asked for wins: the start a kickstart -k asked of
	 * the exit it caused does not come after a later stop. */
	job->restart_requested = false;
	/* At exit no throttled start may come.  Otherwise, as in launchd, a
	 * stop acts on a process only: a start already due still comes. */
	if (job->domain->shutting_down)
		cancel_throttle(job);
	if (job->state != JOB_RUNNING)
		return;
	job->state = JOB_STOPPING;
	kill(job->pid, SIGTERM);
	arm_kill_timeout(job);
	log_job(LOG_INFO, job->spec->label, "stopping (pid %d, SIGTERM)", (int)job->pid);
}

/* *@slot = the text (heap; a previous one freed), or unchanged if out of memory. */
static void __attribute__((format(printf, 2, 3))) set_text(char **slot, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	free(*slot);
	*slot = t;
}

static void refuse_demand(struct job *job, struct service *s, const char *why)
{
	if (channels_count(s))
		domain_changed(job->domain);    /* its dead channels close: the fd store lets them go */
	log_job(LOG_WARNING, job->spec->label, "%s: destroyed %u message(s) for %s", why,
		service_refuse(s), s->name);
}

void job_demand(struct job *job, struct service *s)
{
	char why[160];

	if (job->state == JOB_FAILED) {
		snprintf(why, sizeof(why), "failed (%s)", job->failure ? job->failure : "?");
		refuse_demand(job, s, why);
		return;
	}
	log_job(LOG_DEBUG, job->spec->label, "message waiting on %s", s->name);
	set_text(&job->blame.demand_service, "%s", s->name);
	/* LaunchOnlyOnce after its run: launchd would have unloaded it. */
	if (job_start(job, REASON_DEMAND) == -EALREADY)
		refuse_demand(job, s, "LaunchOnlyOnce: has run");
}

void job_demand_socket(struct job *job, const char *name)
{
	/* A failed job's sockets are not watched: connections wait for bsctl start. */
	if (job->state == JOB_FAILED) {
		log_job(LOG_WARNING, job->spec->label, "failed (%s): connection on socket %s waits",
			job->failure ? job->failure : "?", name);
		return;
	}
	log_job(LOG_DEBUG, job->spec->label, "connection waiting on socket %s", name);
	set_text(&job->blame.demand_service, "socket %s", name);
	/* As a failed job's: the connection waits for bsctl start.  Accepting
	 * it here could take it from a process of the job that still holds the
	 * listener (AbandonProcessGroup), and would block the loop if that
	 * process took it first. */
	if (job_start(job, REASON_DEMAND) == -EALREADY)
		log_job(LOG_WARNING, job->spec->label, "LaunchOnlyOnce: has run: connection on "
			"socket %s waits", name);
}

void job_fail(struct job *job, const char *why)
{
	set_text(&job->failure, "%s", why);
	job->state = JOB_FAILED;
	domain_changed(job->domain);
	log_job(LOG_ERR, job->spec->label, "failed: %s", why);
	for (size_t i = 0; i < job->n_services; i++) {
		unsigned int n = service_refuse(job->services[i]);

		if (n)
			log_job(LOG_WARNING, job->spec->label, "destroyed %u message(s) waiting on %s",
				n, job->services[i]->name);
	}
}

static void log_exit(const struct job *job, int status)
{
	if (job->pidfd >= 0 || job->pid == 0) {
		log_job(LOG_NOTICE, job->spec->label, "exited while not our child: status unknown");
		return;
	}
	if (WIFSIGNALED(status))
		log_job(LOG_NOTICE, job->spec->label, "exited on signal %d (%s)%s",
			WTERMSIG(status), strsignal(WTERMSIG(status)),
			keepalive_crash_signal(WTERMSIG(status)) ? ", crashed" : "");
	else
		log_job(WEXITSTATUS(status) ? LOG_NOTICE : LOG_INFO, job->spec->label,
			"exited with status %d", WEXITSTATUS(status));
}

/*
 * An exit within ThrottleInterval of the start that was not clean, nor
 * asked for (bsctl stop, kickstart -k), counts towards a crash loop.  The
 * time run is measured, as launchd's: not the seconds of the clock, by
 * which a run of 10 ms across a second's turn would have lasted one.
 */
static bool early_failure(const struct job *job, int status)
{
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	return !clean && job->state != JOB_STOPPING && !job->restart_requested &&
	       throttle_left_ns(job) > 0;
}

static void release_ports(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++) {
		struct service *s = job->services[i];
		/* ResetAtClose, as launchd's: the right that comes back with the
		 * exit is reset, a name the job never took keeps its port and
		 * what waits in it.  A new port is made when next needed. */
		bool reset = s->reset_at_close && s->checked_in;

		service_release_exited(s);
		registry_released(s);
		if (reset)
			service_reset_port(s);  /* its channels die with it */
		else
			channels_job_gone(s);
	}
}

static void rewatch(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++)
		service_watch(job->services[i]);
	sockets_watch(job->sockets);
}

/* The restart policy: what starts the job again after an exit, if anything. */
static enum job_reason restart_reason(struct job *job)
{
	struct keepalive_facts f = keepalive_facts(job);

	if (keepalive_after_exit(&f))
		return REASON_KEEPALIVE;
	if (triggers_queue_pending(job->triggers))
		return REASON_WATCH_PATH;       /* QueueDirectories: while non-empty */
	return job->pending_reason;
}

void job_signal_leftovers(struct job *job, pid_t pid)
{
	/* As launchd: SIGTERM, once, and a process that ignores it stays;
	 * none for inetdCompatibility, whose process group launchd abandons. */
	if (!job->spec->abandon_process_group && !job->spec->inetd)
		spawn_kill_group(pid, SIGTERM);
}

void job_exited(struct job *job, int status)
{
	enum job_reason reason;
	bool kickstart;
	char why[128];

	log_exit(job, status);
	if (job->kill_ev)
		event_del(job->kill_ev);
	job_drop_pidfd(job);
	domain_changed(job->domain);
	conn_close(job->conn);
	job->conn = NULL;
	job_forget_pid(job);
	job->pid = 0;
	job->has_exited = true;
	job->exit_asked = job->state == JOB_STOPPING || job->restart_requested;
	job->last_status = status;
	job->early_failures = early_failure(job, status) ? job->early_failures + 1 : 0;
	kickstart = job->restart_requested;     /* this exit's, and no later one's */
	job->restart_requested = false;
	job->state = JOB_WAITING;
	job_runs_changed(job->domain);          /* OtherJobActive: it runs no more */
	release_ports(job);
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
	if (job->spec->launch_only_once)
		log_job(LOG_INFO, job->spec->label, "LaunchOnlyOnce: its one run is over");
	if (kickstart)
		job_kickstart(job);
	else if ((reason = restart_reason(job)) != REASON_NONE)
		job_start(job, reason);
	if (job->state == JOB_WAITING)
		rewatch(job);   /* a message already waiting starts it again at once */
}

void job_drop_pidfd(struct job *job)
{
	if (job->pidfd_ev)
		event_free(job->pidfd_ev);
	job->pidfd_ev = NULL;
	if (job->pidfd >= 0)
		close(job->pidfd);
	job->pidfd = -1;
}

/* An adopted process that is not our child ended: its status is unknown. */
static void pidfd_exited(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;
	struct domain *d = job->domain;

	(void)fd;
	(void)what;
	job_signal_leftovers(job, job->pid);
	job_exited(job, JOB_STATUS_UNKNOWN);
	domain_maybe_exit(d);   /* as supervise_reap() after a child */
}

static void adopt(struct job *job, const struct job_saved *sv)
{
	job->pid = sv->pid;
	job->state = sv->state == JOB_STOPPING ? JOB_STOPPING : JOB_RUNNING;
	job->pending_reason = sv->pending_reason;       /* a timer that fired while it ran */
	job_list_running(job);
	if (sv->conn_fd >= 0)
		job->conn = conn_new(job->domain, sv->conn_fd, job);
	if (job->conn)
		conn_set_owner(job->conn, sv->pid);
	if (sv->pidfd >= 0) {
		job->pidfd = sv->pidfd;
		job->pidfd_ev = event_new(job->domain->base, sv->pidfd, EV_READ, pidfd_exited, job);
		if (!job->pidfd_ev || event_add(job->pidfd_ev, NULL) < 0)
			log_job(LOG_ERR, job->spec->label, "cannot watch adopted pid %d", (int)sv->pid);
	}
	/* Its ExitTimeOut starts again: when the stop came is not saved. */
	if (job->state == JOB_STOPPING)
		arm_kill_timeout(job);
	for (size_t i = 0; i < job->n_services; i++)
		service_unwatch(job->services[i]);
	sockets_unwatch(job->sockets);
	log_job(LOG_INFO, job->spec->label, "adopted running pid %d", (int)sv->pid);
}

void job_restore(struct job *job, const struct job_saved *sv)
{
	job->runs = sv->runs;
	job->start_time = sv->start_time;
	job->early_failures = sv->early_failures;
	job->has_exited = sv->has_exited;
	job->last_status = sv->last_status;
	job->blame.last_reason = sv->last_reason;
	job->blame.demanded = sv->demanded;
	if (sv->state == JOB_FAILED) {
		job_fail(job, sv->failure);
	} else if (sv->pid > 0) {
		adopt(job, sv);
	} else if (sv->exited_while_down) {
		job->state = JOB_RUNNING;       /* it was: its exit is what follows */
		job_exited(job, JOB_STATUS_UNKNOWN);
	} else if (sv->state == JOB_THROTTLED) {
		long long wait = job_throttle_left_ms(job);

		throttle(job, sv->pending_reason, wait > 0 ? wait : 0);
	}
}
