/* SPDX-License-Identifier: MIT */
/*
 * inetd.h - inetdCompatibility with Wait false: the daemon accepts each
 * connection and starts one instance of the job for it, the connection
 * on its stdin, stdout and stderr (as launchproxy did for launchd).
 *
 * Such a job never runs as itself (its state stays waiting); it has a
 * list of instance pids instead, each with its own bootstrap port.  While
 * any instance runs the job is on the domain's running list, so that
 * shutdown waits for the instances.  Instances are not throttled and do
 * not count towards crash loops (launchd did not throttle inetd jobs); at
 * most INETD_MAX_INSTANCES run at once, further connections wait in the
 * listen queue until one exits.  Stopping or unloading the job sends
 * SIGTERM to every instance, SIGKILL after ExitTimeOut.
 */
#ifndef BOOTSTRAPD_INETD_H
#define BOOTSTRAPD_INETD_H

#include <stdbool.h>
#include <sys/types.h>

struct conn;
struct event_base;
struct inetd;
struct job_spec;

#define INETD_MAX_INSTANCES 64

/* What the instances need of their job (the job module gives it). */
struct inetd_owner {
	void *job;
	const struct job_spec *spec;    /* borrowed */
	struct event_base *base;
	/* Start one instance with @fd (borrowed) as its stdio: as job_spawn_process(). */
	int (*spawn)(void *job, int fd, pid_t *pid, struct conn **conn, char *why,
		     size_t why_len);
	void (*started)(void *job, bool first);         /* @first: the only one running */
	void (*exited)(void *job, int status, bool last); /* @last: none left; may free all */
	void (*accepting)(void *job, bool on);          /* watch the listening sockets, or not */
};

/** inetd_new() - no instance yet.  Return: the list, or NULL (out of memory). */
struct inetd *inetd_new(const struct inetd_owner *owner);

/** inetd_accept() - @listen_fd is readable: accept and start an instance. */
void inetd_accept(struct inetd *st, int listen_fd);

/**
 * inetd_reap() - @pid exited with @status: if it is an instance, forget it
 * (the owner's exited() may then free the job and @st).
 */
void inetd_reap(struct inetd *st, pid_t pid, int status);

/** inetd_running() - how many instances run (@st may be NULL). */
size_t inetd_running(const struct inetd *st);

/** inetd_is_instance() - whether @pid is an instance (@st may be NULL). */
bool inetd_is_instance(const struct inetd *st, pid_t pid);

/** inetd_stop() - SIGTERM every instance, SIGKILL after ExitTimeOut. */
void inetd_stop(struct inetd *st);

/** inetd_free() - release the instance list (the processes are left alone).  Return: NULL. */
struct inetd *inetd_free(struct inetd *st);

#endif
