/* SPDX-License-Identifier: MIT */
/*
 * supervise.c - reaping: every exited child goes to its job (job_exited(),
 * which decides what follows) or to its inetd instance.
 */
#include "supervise.h"

#include <sys/wait.h>

#include "domain.h"
#include "job.h"
#include "log.h"

void supervise_reap(struct domain *d)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct job *job = job_find_pid(d, pid);

		domain_changed(d);
		if (job)
			job_exited(job, status);
		else if (!job_reap_instance(d, pid, status))
			log_debug("reaped pid %d (not a job)", (int)pid);
	}
	domain_maybe_exit(d);
}
