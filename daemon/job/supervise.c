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

/* A child that has ended, left unreaped; 0 if none.  */
static pid_t peek_ended(void)
{
	siginfo_t info = { 0 };

	if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0)
		return 0;
	return info.si_pid;
}

void supervise_reap(struct domain *d)
{
	int status;
	pid_t pid;

	while ((pid = peek_ended()) > 0) {
		struct job *job = job_find_pid(d, pid);

		/* Before the reap: until then the zombie keeps its process
		 * group's number, so the signal cannot reach a stranger. */
		if (job)
			job_signal_leftovers(job);
		if (waitpid(pid, &status, WNOHANG) != pid)
			break;
		domain_changed(d);
		if (job)
			job_exited(job, status);
		else if (!job_reap_instance(d, pid, status))
			log_debug("reaped pid %d (not a job)", (int)pid);
	}
	domain_maybe_exit(d);
}
