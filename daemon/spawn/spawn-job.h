/* SPDX-License-Identifier: MIT */
/*
 * spawn-job.h - start one job: fork, set up everything its plist asks for,
 * exec.  The child gets its own session and process group, the job's
 * rlimits, nice, umask, stdio, root and working directory, user and
 * groups, its sockets from fd 3 up (with systemd's LISTEN_FDS,
 * LISTEN_FDNAMES and LISTEN_PID), its bootstrap port after them (fd 3 for
 * a job without sockets) and no other inherited fd.
 */
#ifndef BOOTSTRAPD_SPAWN_H
#define BOOTSTRAPD_SPAWN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spawn-request.h"


/**
 * spawn_job() - fork and exec the job described by @req.
 * @req: what to run; see struct spawn_request.
 * @pid: set to the child's pid on success, untouched on failure.
 * @reason: filled on failure with a one-line reason naming the step and the
 *          path or name involved, e.g. "exec /no/such: No such file or
 *          directory" or "unknown user nobodyx"; set to "" on success.
 *          May be NULL when @reason_len is 0.
 * @reason_len: size of @reason.
 *
 * Returns only once the child has exec'ed or failed, so every setup
 * failure (missing binary, unknown user, RootDirectory, ...) is reported
 * here rather than as an exit status of 127.  A child that failed has been
 * reaped already.  The caller owns the child on success and must reap it.
 *
 * As in launchd, some keys are preferences the job starts without: a Nice
 * or a limit that cannot be set (or a soft limit above the hard one), a
 * WorkingDirectory that cannot be entered (the job runs in "/") and a
 * stdio path that cannot be opened (the job gets /dev/null there).  Each
 * is logged with the job's label, and the spawn succeeds.
 *
 * Return: 0 on success, or a negative errno:
 * -EINVAL a malformed spec (no program);
 * -EPERM RootDirectory without @req->as_root;
 * -ENOENT an unknown UserName or GroupName;
 * -ENOMEM, -EAGAIN preparing or forking failed;
 * any other -errno the child hit in setup or exec (e.g. -ENOENT, -EACCES).
 */
int spawn_job(const struct spawn_request *req, pid_t *pid, char *reason, size_t reason_len);

/*
 * spawn_shortage() - whether a failed start (-errno) ran out of something
 * shared (fds, memory, processes): a state to wait out, not the job's
 * fault.
 */
static inline bool spawn_shortage(int err)
{
	return err == -EMFILE || err == -ENFILE || err == -ENOMEM || err == -EAGAIN;
}

/**
 * spawn_kill_group() - signal a job's whole process group.
 * @pid: the job's pid, which spawn_job() made a process group leader.
 * @sig: the signal.
 *
 * Signals -@pid, so that the job's own children die with it (unless the
 * caller honours AbandonProcessGroup by not calling this).  Never @pid
 * alone: once the group is gone, the number may be another process's.
 *
 * Return: 0 on success; -EINVAL for @pid <= 1 (kill(-1) and kill(0) would
 * hit far more than a job); -ESRCH if the group is gone;
 * -EPERM.
 */
int spawn_kill_group(pid_t pid, int sig);

#endif
