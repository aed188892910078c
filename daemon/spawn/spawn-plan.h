/* SPDX-License-Identifier: MIT */
/*
 * spawn-plan.h - everything a child needs between fork and exec, computed
 * in the parent (internal to spawn.c).
 *
 * The child may only make async-signal-safe calls, so it must not
 * allocate, glob, read the environment or ask NSS about users.  The plan
 * holds the outcome of all that: final argv and envp, the candidate paths
 * of the executable, the rlimits to set and the numeric ids to take.
 */
#ifndef BOOTSTRAPD_SPAWN_PLAN_H
#define BOOTSTRAPD_SPAWN_PLAN_H

#include <glob.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "spawn-request.h"

struct spawn_rlimit {
	int resource;           /* RLIMIT_* */
	struct rlimit rl;       /* the final soft and hard values */
};

struct spawn_plan {
	const struct job_spec *spec;    /* borrowed from the request */
	int bootstrap_fd;               /* borrowed from the request, or -1 */
	const int *socket_fds;          /* borrowed from the request */
	size_t n_socket_fds;
	bool use_stdio_fd;              /* see spawn_request */
	int stdio_fd;
	/*
	 * "LISTEN_PID=" and "BOOTSTRAP_FD_PID=", each with room for a pid, in
	 * envp (NULL: not set): the child writes its pid after the '='.
	 */
	char *pid_kv[2];
	bool chroot;                    /* RootDirectory applies */

	char *const *argv;      /* spec->argv, glob.gl_pathv or own_argv */
	glob_t glob;            /* owned when globbed */
	bool globbed;
	char *own_argv[2];      /* { Program, NULL } when there are no arguments */
	const char *program;    /* Program, else argv[0]: used in reasons */
	char **exec_paths;      /* owned: execve() candidates, in $PATH order */

	char **envp;            /* owned, NULL-terminated "K=V" */
	size_t n_env, cap_env;

	struct spawn_rlimit *rlimits;   /* owned */
	unsigned long nofile_soft;      /* see spawn_request */
	struct rlimit nofile_unnamed;   /* NumberOfFiles without the key (spawn-rlimits.c) */
	bool has_nofile_unnamed;        /* else left as the daemon's */
	char *const *domain_env;        /* see spawn_request */
	size_t n_rlimits;

	bool set_groups, set_gid, set_uid;
	gid_t *groups;          /* owned: supplementary groups (InitGroups) */
	size_t n_groups;
	gid_t gid;
	uid_t uid;

	const sigset_t *reset_signals;  /* dispositions the child sets back to SIG_DFL */

	char *reason;           /* the caller's buffer for failure reasons */
	size_t reason_len;
};

/**
 * spawn_plan_init() - prepare the child's work for @req.
 * @plan: uninitialised storage; on success release it with
 *        spawn_plan_deinit(), on failure it holds nothing.
 * @req: the request; borrowed for the lifetime of @plan.
 * @reason: where failure reasons go (see spawn_job()); may be NULL if
 *          @reason_len is 0.  Kept in @plan for later failures.
 * @reason_len: size of @reason.
 *
 * Return: 0, or the negative errno spawn_job() documents for preparation
 * failures, with @reason filled.
 */
int spawn_plan_init(struct spawn_plan *plan, const struct spawn_request *req,
		    char *reason, size_t reason_len);

/**
 * spawn_plan_deinit() - free what spawn_plan_init() allocated.
 * @plan: an initialised plan; its borrowed pointers are left alone.
 */
void spawn_plan_deinit(struct spawn_plan *plan);

/**
 * spawn_plan_fail() - write a failure reason into the plan's buffer.
 * @plan: the plan (only reason and reason_len are used).
 * @err: the negative errno to hand back.
 * @fmt: printf format of the reason.
 *
 * Return: @err, so that callers can `return spawn_plan_fail(...)`.
 */
int spawn_plan_fail(const struct spawn_plan *plan, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * spawn_plan_rlimits() - the plan's rlimits from the spec's
 * Soft/HardResourceLimits, and the NumberOfFiles without the key.
 * Return: 0, -ENOMEM, or another -errno with the reason filled.
 */
int spawn_plan_rlimits(struct spawn_plan *plan);

/**
 * spawn_plan_rlimit_name() - the plist name of a resource ("NumberOfFiles").
 * Return: a static string; "resource" for one with no plist name.
 */
const char *spawn_plan_rlimit_name(int resource);

/**
 * spawn_close_from() - close every fd >= @first except @keep (-1: none; async-signal-safe:
 * close_range(), else /proc/self/fd read with getdents64(), else every fd
 * below RLIMIT_NOFILE).
 * Return: 0, or -1 with errno set.
 */
int spawn_close_from(int first, int keep);

#endif
