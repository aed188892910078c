/* SPDX-License-Identifier: MIT */
/* job-names.c - the words bsctl and the log use for a job's states and start reasons. */
#include "job.h"

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
