/* SPDX-License-Identifier: MIT */
/*
 * spawn-request.h - what the daemon asks of a spawn (spawn-job.h): the job
 * and what it inherits.  Types only, shared by spawn.c and its plan.
 */
#ifndef BOOTSTRAPD_SPAWN_REQUEST_H
#define BOOTSTRAPD_SPAWN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <bootstrap/linux.h>     /* BOOTSTRAP_ENV_FD{,_PID}: what the job's library reads */

#include "job-spec.h"

/* The first inherited fd (SD_LISTEN_FDS_START): the sockets, then the
 * bootstrap port, named by the environment variable. */
#define SPAWN_BOOTSTRAP_FD 3
/* At most this many sockets are passed (the plist allows fewer). */
#define SPAWN_MAX_SOCKET_FDS 64
#define SPAWN_ENV_JOB_LABEL "BOOTSTRAP_JOB_LABEL"

/*
 * Used for $PATH before the job's EnvironmentVariables are applied.  With
 * the sbin directories, as launchd's _PATH_STDPATH: a daemon's plist may
 * name sshd or a script may call an sbin tool by its bare name.
 */
#define SPAWN_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct spawn_request {
	const struct job_spec *spec;    /* borrowed */
	/*
	 * The job's bootstrap port, or -1.  Borrowed: the child gets a copy
	 * as fd 3 (CLOEXEC cleared) and $BOOTSTRAP_FD=3; the caller keeps and
	 * closes its own fd.  Any fd number is fine, including 0-3.
	 */
	int bootstrap_fd;
	/*
	 * The daemon is root: apply UserName/GroupName/InitGroups and allow
	 * RootDirectory.  Otherwise UserName and GroupName are ignored, as in
	 * launchd (a per-user domain runs its jobs as its user).
	 */
	bool as_root;
	/*
	 * The soft RLIMIT_NOFILE the job starts with, or 0 to inherit the
	 * daemon's.  The daemon raises its own limit to hold thousands of
	 * ports; jobs get the limit the daemon was started with, unless their
	 * plist says otherwise.
	 */
	unsigned long nofile_soft;
	/*
	 * The domain's environment (bsctl setenv): "K=V" strings, NULL-
	 * terminated, or NULL.  Borrowed.  Applied after the user's variables
	 * and before EnvironmentVariables, so the plist wins.
	 */
	char *const *domain_env;
	/*
	 * The job's sockets (borrowed, at most SPAWN_MAX_SOCKET_FDS): copies
	 * at fds 3, 4, ... in this order, and the bootstrap port after them.
	 * With @socket_names (the LISTEN_FDNAMES value, names joined by ':'),
	 * the child gets LISTEN_FDS, LISTEN_FDNAMES and its own LISTEN_PID.
	 */
	const int *socket_fds;
	size_t n_socket_fds;
	const char *socket_names;
	/* More "K=V" variables (SecureSocketWithKey), NULL-terminated, or NULL. */
	char *const *extra_env;
	/* inetdCompatibility: @stdio_fd (borrowed) is stdin, stdout and stderr. */
	bool use_stdio_fd;
	int stdio_fd;
};

#endif
