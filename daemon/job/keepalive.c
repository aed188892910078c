/* SPDX-License-Identifier: MIT */
/* keepalive.c - the KeepAlive policy: decides, changes nothing. */
#include "keepalive.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "job-spec.h"
#include "strmap.h"

bool keepalive_crash_signal(int sig)
{
	return sig == SIGILL || sig == SIGABRT || sig == SIGFPE || sig == SIGBUS ||
	       sig == SIGSEGV || sig == SIGSYS || sig == SIGTRAP;
}

static bool path_conditions(const struct keepalive *ka)
{
	struct stat st;

	for (size_t i = 0; i < ka->n_path_state; i++)
		if ((stat(ka->path_state[i].path, &st) == 0) == ka->path_state[i].exists)
			return true;
	return false;
}

/*
 * As launchd's job_keepalive(): OtherJobEnabled holds while the job named
 * is loaded (true) or not; OtherJobActive while it is loaded and runs
 * (true) or is loaded and does not, an unloaded job being neither.
 */
static bool other_job_conditions(const struct keepalive_facts *f, const struct keepalive *ka)
{
	for (size_t i = 0; i < ka->n_other_jobs; i++) {
		const struct other_job_state *o = &ka->other_jobs[i];
		const void *other = strmap_get(f->jobs, o->label);

		if (o->active ? other && f->runs(other) == o->enabled : (other != NULL) == o->enabled)
			return true;
	}
	return false;
}

/* NetworkState, as launchd's job_keepalive(): while the network is up (true) or down. */
static bool network_condition(const struct keepalive_facts *f, const struct keepalive *ka)
{
	return ka->has_network_state && f->network_up == ka->network_state;
}

/* Whether the dictionary's conditions apply now: not before a first demand it waits for. */
static bool conditions_apply(const struct keepalive_facts *f)
{
	const struct keepalive *ka = f->ka;

	return ka->mode == KEEPALIVE_CONDITIONAL && !keepalive_awaits_demand(f);
}

/* Any condition besides AfterInitialDemand (the ignored ones aside). */
static bool has_conditions(const struct keepalive *ka)
{
	return ka->has_successful_exit || ka->has_crashed || ka->n_path_state ||
	       ka->n_other_jobs || ka->has_network_state;
}

bool keepalive_awaits_demand(const struct keepalive_facts *f)
{
	return f->ka->mode == KEEPALIVE_CONDITIONAL && f->ka->after_initial_demand && !f->demanded;
}

bool keepalive_path_state_holds(const struct keepalive_facts *f)
{
	return conditions_apply(f) && path_conditions(f->ka);
}

bool keepalive_others_hold(const struct keepalive_facts *f)
{
	return conditions_apply(f) &&
	       (other_job_conditions(f, f->ka) || network_condition(f, f->ka));
}

bool keepalive_at_load(const struct keepalive_facts *f)
{
	const struct keepalive *ka = f->ka;

	if (ka->mode == KEEPALIVE_ALWAYS)
		return true;
	if (ka->mode != KEEPALIVE_CONDITIONAL || ka->after_initial_demand)
		return false;
	/* SuccessfulExit and Crashed imply a first run (launchd-842's
	 * semaphoreitem_setup() sets start_pending for both). */
	return ka->has_successful_exit || ka->has_crashed || path_conditions(ka) ||
	       other_job_conditions(f, ka) || network_condition(f, ka);
}

bool keepalive_after_exit(const struct keepalive_facts *f)
{
	const struct keepalive *ka = f->ka;
	int st = f->last_status;

	if (ka->mode == KEEPALIVE_NEVER)
		return false;
	if (keepalive_awaits_demand(f))
		return false;
	if (ka->mode == KEEPALIVE_ALWAYS || (ka->after_initial_demand && !has_conditions(ka)))
		return true;
	/* As launchd's job_keepalive(): a death by signal is no successful exit. */
	if (ka->has_successful_exit &&
	    (WIFEXITED(st) && WEXITSTATUS(st) == 0) == ka->successful_exit)
		return true;
	/* A crash signal while being stopped is no crash, as launchd's job_reap(). */
	if (ka->has_crashed &&
	    (WIFSIGNALED(st) && keepalive_crash_signal(WTERMSIG(st)) && !f->exit_asked) ==
	    ka->crashed)
		return true;
	return path_conditions(ka) || other_job_conditions(f, ka) || network_condition(f, ka);
}
