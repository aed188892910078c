/* SPDX-License-Identifier: MIT */
/*
 * curious.c - the jobs whose KeepAlive names other jobs (OtherJobEnabled),
 * looked at again whenever a job is loaded or unloaded, as launchd's
 * job_dispatch_curious_jobs() does: a job kept alive while another is
 * loaded starts when that one comes, whatever the order they load in.
 * They are few, so they have a list of their own: loading 100,000 jobs
 * does not walk them all each time.
 */
#include "job.h"

#include <stdlib.h>

#include "domain.h"
#include "job-spec.h"
#include "keepalive.h"

int job_curious_add(struct job *job)
{
	struct domain *d = job->domain;
	struct job **grown;

	if (job->spec->keepalive.n_other_job_enabled == 0)
		return 0;
	grown = realloc(d->curious, (d->n_curious + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	d->curious = grown;
	d->curious[d->n_curious++] = job;
	return 0;
}

void job_curious_remove(struct job *job)
{
	struct domain *d = job->domain;

	for (size_t i = 0; i < d->n_curious; i++) {
		if (d->curious[i] == job) {
			d->curious[i] = d->curious[--d->n_curious];
			return;
		}
	}
}

void job_others_changed(struct domain *d)
{
	/* job_start() neither loads nor unloads a job: the list stands while it is walked. */
	for (size_t i = 0; i < d->n_curious; i++) {
		struct job *job = d->curious[i];
		struct keepalive_facts f = { .ka = &job->spec->keepalive, .jobs = &d->jobs,
					     .stopping = job->stop_requested,
					     .demanded = job->blame.demanded };

		if (job->state == JOB_WAITING && keepalive_other_jobs_hold(&f))
			job_start(job, REASON_KEEPALIVE);
	}
}
