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

struct domain;
struct job;

#define INETD_MAX_INSTANCES 64

/** inetd_accept() - @listen_fd is readable: accept and start an instance. */
void inetd_accept(struct job *job, int listen_fd);

/**
 * inetd_reap() - @pid exited with @status: if it is an instance, forget it
 * (and free its job if that was unloaded and this was the last instance).
 * Return: true if @pid was an instance.
 */
bool inetd_reap(struct domain *d, pid_t pid, int status);

/** inetd_running() - how many instances of @job run. */
size_t inetd_running(const struct job *job);

/** inetd_is_instance() - whether @pid is an instance of @job. */
bool inetd_is_instance(const struct job *job, pid_t pid);

/** inetd_stop() - SIGTERM every instance, SIGKILL after ExitTimeOut. */
void inetd_stop(struct job *job);

/** inetd_free() - release the instance list (the processes are left alone). */
void inetd_free(struct job *job);

#endif
