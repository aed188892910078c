/* SPDX-License-Identifier: MIT */
/*
 * spawn-child.h - the child's side of a spawn (internal to spawn.c): apply
 * a plan between fork and exec, and tell the parent how it went.
 *
 * The child reports one record per event: a warning for a setup step that
 * failed and was carried on from (as launchd does for Nice, limits,
 * WorkingDirectory and the stdio paths), and at most one fatal record,
 * written just before _exit(127) (struct child_reports says where).
 */
#ifndef BOOTSTRAPD_SPAWN_CHILD_H
#define BOOTSTRAPD_SPAWN_CHILD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "spawn-plan.h"

/* The step a record is about. */
enum child_stage {
	STAGE_MOVE_FDS = 1,
	STAGE_SETSID,
	STAGE_SIGNALS,
	STAGE_RLIMIT,           /* detail: index in plan->rlimits */
	STAGE_NICE,
	/*
	 * detail: 0, 1 or 2.  A warning is about the key's own path, a fatal
	 * record about /dev/null, the default and the fallback.
	 */
	STAGE_STDIO,
	STAGE_STDIO_SOCKET,     /* inetdCompatibility; detail: 0, 1 or 2 */
	STAGE_CHROOT,
	/* A warning is about WorkingDirectory, a fatal record about "/". */
	STAGE_CHDIR,
	STAGE_SETGROUPS,
	STAGE_SETGID,
	STAGE_SETUID,
	STAGE_BOOTSTRAP_FD,
	STAGE_CLOSE_FDS,
	STAGE_EXEC,             /* detail: index in plan->exec_paths, or -1 */
	/* As STAGE_STDIO, when the user's file-system ids could not be taken. */
	STAGE_STDIO_IDS,
	/*
	 * As STAGE_STDIO, when the job's user was refused and root's rules
	 * (spawn-stdio.c) kept root from opening the path for it.
	 */
	STAGE_STDIO_UNTRUSTED,
};

struct child_report {
	int32_t stage;          /* enum child_stage */
	int32_t detail;
	int32_t err;            /* the errno of the step, > 0 */
	int32_t fatal;          /* 1: the child exits after it; 0: it carried on */
};

/*
 * The most records a child writes: a warning each for Nice, the three
 * stdio paths, WorkingDirectory and each limit (one per resource), and one
 * fatal record.  Together they fit in PIPE_BUF, which any pipe holds, so a
 * forked child's write never blocks on a parent that has not read yet.
 */
#define CHILD_MAX_REPORTS (1 + 3 + 1 + RLIM_NLIMITS + 1)
_Static_assert(CHILD_MAX_REPORTS * sizeof(struct child_report) <= PIPE_BUF,
	       "a child's reports must fit in a pipe it cannot wait on");

/*
 * Where a child's records go.  A forked child writes them to the pipe @fd;
 * one that shares the daemon's memory (fd -1) puts them in @rec, which the
 * daemon reads once the child exec'ed or exited, without a pipe to make
 * and close at each launch.
 */
struct child_reports {
	int fd;
	unsigned int n;
	struct child_report rec[CHILD_MAX_REPORTS];
};

/*
 * Add @r to @out's records (both sides: the child in shared memory, the
 * daemon reading the pipe).  A fatal record is never lost: it takes the
 * last slot if need be.  Counted only once whole, so that a child killed
 * between the two stores leaves no half record counted.
 */
static inline void child_reports_add(struct child_reports *out, const struct child_report *r)
{
	unsigned int i = out->n;

	if (i >= CHILD_MAX_REPORTS && !r->fatal)
		return;
	i = i < CHILD_MAX_REPORTS ? i : CHILD_MAX_REPORTS - 1;
	out->rec[i] = *r;
	__asm__ volatile("" ::: "memory");
	out->n = i + 1;
}

/**
 * spawn_child_run() - apply @plan and exec; never returns.
 * @plan: the plan, computed before the fork.
 * @out: where the records go; its pipe, if any, is close-on-exec.
 *
 * Async-signal-safe: it runs in a child that may share the daemon's
 * memory.  On a fatal failure it writes its record and exits with 127.
 */
__attribute__((noreturn)) void spawn_child_run(const struct spawn_plan *plan,
					       struct child_reports *out);

/**
 * spawn_open_stdio() - open a stdio path of the job of @p in the child,
 * as its user where it runs as one (spawn-stdio.c).  *@stage is the stage
 * a failure is reported as: STAGE_STDIO_IDS when that user's file-system
 * ids could not be taken (then nothing is opened, as root neither: EPERM),
 * STAGE_STDIO_UNTRUSTED when the user was refused and root may not step
 * in, STAGE_STDIO otherwise.  Return: the fd, or -1 with errno set.
 */
int spawn_open_stdio(const struct spawn_plan *p, const char *path, int flags,
		     enum child_stage *stage);

#endif
