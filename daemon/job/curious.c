/* SPDX-License-Identifier: MIT */
/*
 * curious.c - the jobs whose KeepAlive names other jobs (OtherJobEnabled,
 * OtherJobActive) or the network (NetworkState), looked at again whenever
 * a job is loaded or unloaded, starts or exits, or the network comes up or
 * goes down, as launchd's
 * job_dispatch_curious_jobs() does: a job kept alive while another is
 * loaded starts when that one comes, whatever the order they load in.
 * They are few, so they have a list of their own: loading 100,000 jobs
 * does not walk them all each time.
 */
#include "job.h"

#include <stdlib.h>

#include <event2/event.h>

#include "domain.h"
#include "job-spec.h"
#include "log.h"

/* Whether @job's KeepAlive has OtherJobActive: another job's start or exit concerns it. */
static bool watches_runs(const struct job *job)
{
	const struct keepalive *ka = &job->spec->keepalive;

	for (size_t i = 0; i < ka->n_other_jobs; i++)
		if (ka->other_jobs[i].active)
			return true;
	return false;
}

int job_curious_add(struct job *job)
{
	struct domain *d = job->domain;
	struct job **grown;

	if (job->spec->keepalive.n_other_jobs == 0 && !job->spec->keepalive.has_network_state)
		return 0;
	job_network_hold(job);
	grown = realloc(d->curious, (d->n_curious + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	d->curious = grown;
	d->curious[d->n_curious++] = job;
	if (watches_runs(job))
		d->n_curious_runs++;
	return 0;
}

void job_curious_remove(struct job *job)
{
	struct domain *d = job->domain;

	job_network_release(job);
	for (size_t i = 0; i < d->n_curious; i++) {
		if (d->curious[i] == job) {
			if (watches_runs(job))
				d->n_curious_runs--;
			d->curious[i] = d->curious[--d->n_curious];
			return;
		}
	}
}

/* One walk per loop turn, after whatever loaded or unloaded jobs in it. */
static void walk_curious(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)fd;
	(void)what;
	log_debug("looking at %zu job(s) whose KeepAlive names other jobs or the network",
		  d->n_curious);
	/* job_start() neither loads nor unloads a job: the list stands while it is walked. */
	for (size_t i = 0; i < d->n_curious; i++)
		job_other_jobs_changed(d->curious[i]);
}

void job_curious_deinit(struct domain *d)
{
	job_network_deinit(d);
	free(d->curious);
	d->curious = NULL;
	d->n_curious = 0;
	d->n_curious_runs = 0;
	if (d->curious_ev)
		event_free(d->curious_ev);
	d->curious_ev = NULL;
}

void job_others_changed(struct domain *d)
{
	struct timeval now = { 0, 0 };

	/* Not while a restart restores the jobs as they were (a restored
	 * job's state, not this rule, says whether it runs), nor at exit;
	 * and a domain's bootout is over before the walk. */
	if (d->n_curious == 0 || d->restore_job || d->shutting_down)
		return;
	if (!d->curious_ev)
		d->curious_ev = evtimer_new(d->base, walk_curious, d);
	if (d->curious_ev && !evtimer_pending(d->curious_ev, NULL))
		evtimer_add(d->curious_ev, &now);
}

void job_runs_changed(struct domain *d)
{
	/* Only OtherJobActive looks at whether a job runs: without one, a
	 * start or an exit changes nothing the curious jobs wait for. */
	if (d->n_curious_runs > 0)
		job_others_changed(d);
}
