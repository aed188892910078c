/* SPDX-License-Identifier: MIT */
/*
 * job.c - loading, starting and stopping one job.  What happens when it
 * exits (KeepAlive, throttling, crash loops) is in supervise.c.
 */
#include "job.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "conn.h"
#include "domain.h"
#include "job-spec.h"
#include "keepalive.h"
#include "log.h"
#include "service.h"
#include "spawn.h"
#include "triggers.h"

const char *job_state_name(enum job_state state)
{
	static const char *const names[] = { "waiting", "throttled", "running", "stopping", "failed" };

	return state <= JOB_FAILED ? names[state] : "unknown";
}

const char *job_reason_name(enum job_reason reason)
{
	static const char *const names[] = { "none", "demand", "RunAtLoad", "KeepAlive",
					     "StartInterval", "StartCalendarInterval", "WatchPaths",
					     "bsctl" };

	return reason <= REASON_CONTROL ? names[reason] : "unknown";
}

/* Register every MachServices name; a name another job owns is a conflict. */
static int add_services(struct job *job, char *reason, size_t len)
{
	const struct job_spec *spec = job->spec;

	job->services = calloc(spec->n_services ? spec->n_services : 1, sizeof(*job->services));
	if (!job->services)
		return -ENOMEM;
	for (size_t i = 0; i < spec->n_services; i++) {
		const struct job_machservice *ms = &spec->services[i];
		struct service *s;

		if (strmap_get(&job->domain->services, ms->name)) {
			snprintf(reason, len, "conflict over Mach service %s: already registered",
				 ms->name);
			return -EEXIST;
		}
		s = service_new_machservice(job->domain, job, ms->name, ms->reset_at_close,
					    ms->hide_until_checkin);
		if (!s || strmap_put(&job->domain->services, s->name, s) < 0) {
			service_free(s);
			snprintf(reason, len, "cannot create port for %s: %s", ms->name, strerror(errno));
			return -ENOMEM;
		}
		job->services[job->n_services++] = s;
		service_watch(s);
	}
	return 0;
}

/* Take the job's names out of the registry (only those still its own). */
static void unregister_services(struct job *job)
{
	for (size_t i = 0; i < job->n_services; i++)
		if (strmap_get(&job->domain->services, job->services[i]->name) == job->services[i])
			strmap_del(&job->domain->services, job->services[i]->name);
}

static void remove_services(struct job *job)
{
	unregister_services(job);
	for (size_t i = 0; i < job->n_services; i++)
		service_free(job->services[i]);
	free(job->services);
	job->services = NULL;
	job->n_services = 0;
}

struct job *job_new(struct domain *d, struct job_spec *spec, char *reason, size_t reason_len)
{
	struct job *job;

	if (strmap_get(&d->jobs, spec->label)) {
		snprintf(reason, reason_len, "duplicate Label %s", spec->label);
		job_spec_free(spec);
		return NULL;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		job_spec_free(spec);
		snprintf(reason, reason_len, "out of memory");
		return NULL;
	}
	job->domain = d;
	job->spec = spec;
	job->inotify_fd = -1;
	if (add_services(job, reason, reason_len) < 0 ||
	    strmap_put(&d->jobs, spec->label, job) < 0) {
		remove_services(job);
		job_spec_free(spec);
		free(job);
		return NULL;
	}
	log_job(LOG_INFO, spec->label, "loaded from %s", spec->path ? spec->path : "(control)");
	triggers_arm(job);
	if (spec->run_at_load)
		job_start(job, REASON_RUN_AT_LOAD);
	else if (keepalive_at_load(job))
		job_start(job, REASON_KEEPALIVE);
	return job;
}

/* Forget the plist path of a job loaded from a job directory. */
static void forget_path(struct job *job)
{
	struct strmap *paths = &job->domain->job_paths;

	if (job->from_dir && job->spec->path && strmap_get(paths, job->spec->path) == job)
		strmap_del(paths, job->spec->path);
}

void job_free(struct job *job)
{
	if (!job)
		return;
	job_forget_pid(job);        /* freed while running only at daemon exit */
	triggers_disarm(job);
	if (job->throttle_ev)
		event_free(job->throttle_ev);
	if (job->kill_ev)
		event_free(job->kill_ev);
	if (job->conn)
		conn_close(job->conn);
	forget_path(job);
	remove_services(job);
	if (strmap_get(&job->domain->jobs, job->spec->label) == job)
		strmap_del(&job->domain->jobs, job->spec->label);
	for (struct job **pp = &job->domain->detached; *pp; pp = &(*pp)->next_detached) {
		if (*pp == job) {
			*pp = job->next_detached;
			break;
		}
	}
	job_spec_free(job->spec);
	free(job);
}

/*
 * An unloaded job that is still stopping leaves the label and its names
 * free at once, so that a reloaded version can take them.
 */
static void detach(struct job *job)
{
	forget_path(job);
	unregister_services(job);
	if (strmap_get(&job->domain->jobs, job->spec->label) == job)
		strmap_del(&job->domain->jobs, job->spec->label);
	job->next_detached = job->domain->detached;
	job->domain->detached = job;
}

void job_unload(struct job *job)
{
	log_job(LOG_INFO, job->spec->label, "unloading");
	if (job->state == JOB_RUNNING || job->state == JOB_STOPPING) {
		job->unload_when_stopped = true;
		job_stop(job);
		detach(job);
		return;
	}
	job_free(job);
}

/* The running list holds few jobs however many are loaded: walking it is cheap. */
struct job *job_find_pid(struct domain *d, pid_t pid)
{
	for (struct job *job = d->running; job; job = job->next_running)
		if (job->pid == pid)
			return job;
	return NULL;
}

void job_forget_pid(struct job *job)
{
	for (struct job **pp = &job->domain->running; *pp; pp = &(*pp)->next_running) {
		if (*pp == job) {
			*pp = job->next_running;
			break;
		}
	}
	job->next_running = NULL;
}

static void throttle_done(evutil_socket_t fd, short what, void *arg)
{
	struct job *job = arg;

	(void)fd;
	(void)what;
	if (job->state == JOB_THROTTLED) {
		job->state = JOB_WAITING;
		job_start(job, job->pending_reason);
	}
}

/*
 * Return: milliseconds until the job may start again (ThrottleInterval
 * after its previous start, to the millisecond), 0 if now.
 */
static long long throttle_left_ms(const struct job *job)
{
	long long ran_ns, min_ns = job->spec->throttle_interval * 1000000000LL;
	struct timespec now;

	if (job->runs == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ran_ns = (now.tv_sec - job->start_time.tv_sec) * 1000000000LL +
		 (now.tv_nsec - job->start_time.tv_nsec);
	return ran_ns < min_ns ? (min_ns - ran_ns + 999999) / 1000000 : 0;
}

static int throttle(struct job *job, enum job_reason reason, long long wait_ms)
{
	struct timeval tv = { .tv_sec = wait_ms / 1000, .tv_usec = wait_ms % 1000 * 1000 };

	if (!job->throttle_ev)
		job->throttle_ev = evtimer_new(job->domain->base, throttle_done, job);
	if (!job->throttle_ev)
		return -ENOMEM;
	job->state = JOB_THROTTLED;
	job->pending_reason = reason;
	/* The timer counts from now, not from when this loop iteration began. */
	event_base_update_cache_time(job->domain->base);
	evtimer_add(job->throttle_ev, &tv);
	log_job(LOG_NOTICE, job->spec->label, "throttling respawn: will start in %lld seconds",
		(wait_ms + 999) / 1000);
	return 0;
}

/* The job's bootstrap port: a socketpair whose daemon end is a connection bound to the job. */
static int bootstrap_pair(struct job *job, int *child_fd)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	job->conn = conn_new(job->domain, sv[0], job);
	if (!job->conn) {
		close(sv[1]);
		return -ENOMEM;
	}
	*child_fd = sv[1];
	return 0;
}

static int spawn(struct job *job, enum job_reason reason)
{
	struct spawn_request req = { .spec = job->spec, .as_root = job->domain->as_root,
				     .nofile_soft = job->domain->nofile_soft };
	char why[512];
	int err;

	err = bootstrap_pair(job, &req.bootstrap_fd);
	if (err < 0) {
		snprintf(why, sizeof(why), "cannot make bootstrap port: %s", strerror(-err));
		job_fail(job, why);
		return err;
	}
	err = spawn_job(&req, &job->pid, why, sizeof(why));
	close(req.bootstrap_fd);
	if (err < 0) {
		conn_close(job->conn);
		job->conn = NULL;
		job_fail(job, why);
		return err;
	}
	job->state = JOB_RUNNING;
	job->next_running = job->domain->running;
	job->domain->running = job;
	job->runs++;
	job->last_reason = reason;
	job->stop_requested = false;
	clock_gettime(CLOCK_MONOTONIC, &job->start_time);
	for (size_t i = 0; i < job->n_services; i++)
		service_unwatch(job->services[i]);
	log_job(LOG_INFO, job->spec->label, "started (pid %d, reason %s)", (int)job->pid,
		job_reason_name(reason));
	return 0;
}

int job_start(struct job *job, enum job_reason reason)
{
	long long wait;

	if (job->state == JOB_RUNNING || job->state == JOB_STOPPING || job->domain->shutting_down)
		return 0;
	if (job->state == JOB_FAILED && reason != REASON_CONTROL)
		return -EPERM;
	if (job->state == JOB_THROTTLED)
		return 0;       /* already waiting to start */
	if (job->spec->launch_only_once && job->runs > 0 && reason != REASON_CONTROL) {
		log_job(LOG_DEBUG, job->spec->label, "LaunchOnlyOnce: not started again (%s)",
			job_reason_name(reason));
		return -EALREADY;
	}
	if (reason == REASON_DEMAND)
		job->demanded = true;
	if (reason == REASON_CONTROL) {
		job->early_failures = 0;
		job->failure[0] = '\0';
	}
	wait = reason == REASON_CONTROL ? 0 : throttle_left_ms(job);
	if (wait > 0)
		return throttle(job, reason, wait);
	return spawn(job, reason);
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
	spawn_kill_group(job->pid, SIGKILL);
}

void job_stop(struct job *job)
{
	struct timeval tv = { .tv_sec = job->spec->exit_timeout };

	job->stop_requested = true;
	if (job->state == JOB_THROTTLED) {
		event_del(job->throttle_ev);
		job->state = JOB_WAITING;
	}
	if (job->state != JOB_RUNNING)
		return;
	job->state = JOB_STOPPING;
	kill(job->pid, SIGTERM);
	if (job->spec->exit_timeout > 0) {
		if (!job->kill_ev)
			job->kill_ev = evtimer_new(job->domain->base, kill_timeout, job);
		if (job->kill_ev)
			evtimer_add(job->kill_ev, &tv);
	}
	log_job(LOG_INFO, job->spec->label, "stopping (pid %d, SIGTERM)", (int)job->pid);
}

void job_demand(struct job *job, struct service *s)
{
	if (job->state == JOB_FAILED) {
		unsigned int n = service_drain(s);

		log_job(LOG_WARNING, job->spec->label, "failed (%s): destroyed %u message(s) for %s",
			job->failure, n, s->name);
		service_watch(s);
		return;
	}
	log_job(LOG_DEBUG, job->spec->label, "message waiting on %s", s->name);
	snprintf(job->demand_service, sizeof(job->demand_service), "%s", s->name);
	job_start(job, REASON_DEMAND);
}

void job_fail(struct job *job, const char *why)
{
	snprintf(job->failure, sizeof(job->failure), "%s", why);
	job->state = JOB_FAILED;
	log_job(LOG_ERR, job->spec->label, "failed: %s", why);
	for (size_t i = 0; i < job->n_services; i++) {
		unsigned int n = service_drain(job->services[i]);

		if (n)
			log_job(LOG_WARNING, job->spec->label, "destroyed %u message(s) waiting on %s",
				n, job->services[i]->name);
		/* Keep destroying what arrives while failed, so no caller hangs. */
		service_watch(job->services[i]);
	}
}
