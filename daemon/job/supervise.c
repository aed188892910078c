/* SPDX-License-Identifier: MIT */
/*
 * supervise.c - reaping: every exited child goes to its job (job_exited(),
 * which decides what follows) or to its inetd instance.
 */
#include "supervise.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "domain.h"
#include "inetd.h"
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

/* Reap @pid, which peek_ended() found.  Return: 0, or -1 (logged). */
static int reap(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == pid)
		return 0;
	log_warnx("cannot reap pid %d: %s", (int)pid, r < 0 ? strerror(errno) : "not ended");
	return -1;
}

void supervise_reap(struct domain *d)
{
	int status;
	pid_t pid;

	while ((pid = peek_ended()) > 0) {
		bool instance = false;
		struct job *job = job_find_child(d, pid, &instance);

		/* Before the reap: until then the zombie keeps its process
		 * group's number, so the signal cannot reach a stranger. */
		if (job)
			job_signal_leftovers(job, pid);
		if (reap(pid, &status) < 0)
			break;
		domain_changed(d);
		if (!job)
			log_debug("reaped pid %d (not a job)", (int)pid);
		else if (instance)
			inetd_reap(job->inetd, pid, status);    /* may free @job */
		else
			job_exited(job, status);
	}
	domain_maybe_exit(d);
}
