/* SPDX-License-Identifier: MIT */
/*
 * spawn-rlimits.c - the plan's resource limits: what Soft/HardResourceLimits
 * ask for, and the NumberOfFiles a job gets without the key (the soft
 * limit the daemon started with, before it raised its own for its many
 * connections: select() breaks above 1024).
 */
#include "spawn-plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "job-spec.h"
#include "log.h"

const char *spawn_plan_rlimit_name(int resource)
{
	/* The keys of Soft/HardResourceLimits, for reasons users recognise. */
	static const struct {
		int resource;
		const char *name;
	} names[] = {
		{ RLIMIT_CORE, "Core" },
		{ RLIMIT_CPU, "CPU" },
		{ RLIMIT_DATA, "Data" },
		{ RLIMIT_FSIZE, "FileSize" },
		{ RLIMIT_MEMLOCK, "MemoryLock" },
		{ RLIMIT_NOFILE, "NumberOfFiles" },
		{ RLIMIT_NPROC, "NumberOfProcesses" },
		{ RLIMIT_RSS, "ResidentSetSize" },
		{ RLIMIT_STACK, "Stack" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].resource == resource)
			return names[i].name;
	return "resource";
}

/*
 * The daemon's NumberOfFiles with its soft limit lowered back, once for
 * the plan; none when the daemon did not raise it (the job's limit is
 * then its own already, and the child makes no setrlimit() for it).
 */
static void plan_nofile_unnamed(struct spawn_plan *p)
{
	p->has_nofile_unnamed = p->nofile_soft && getrlimit(RLIMIT_NOFILE, &p->nofile_unnamed) == 0 &&
				p->nofile_soft < p->nofile_unnamed.rlim_cur;
	if (p->has_nofile_unnamed)
		p->nofile_unnamed.rlim_cur = (rlim_t)p->nofile_soft;
}

/* Where the limit of @resource starts from, before the plist's values. */
static int rlimit_base(const struct spawn_plan *p, int resource, struct rlimit *rl)
{
	if (resource == RLIMIT_NOFILE && p->has_nofile_unnamed) {
		*rl = p->nofile_unnamed;
		return 0;
	}
	if (getrlimit(resource, rl) == 0)
		return 0;
	return spawn_plan_fail(p, -errno, "getrlimit %s: %s", spawn_plan_rlimit_name(resource),
			       strerror(errno));
}

/* Unless the plist sets NumberOfFiles: the one it gets without the key. */
static void restore_nofile(struct spawn_plan *p)
{
	if (!p->has_nofile_unnamed)
		return;
	for (size_t i = 0; i < p->n_rlimits; i++)
		if (p->rlimits[i].resource == RLIMIT_NOFILE)
			return;
	p->rlimits[p->n_rlimits++] = (struct spawn_rlimit){ RLIMIT_NOFILE, p->nofile_unnamed };
}

/*
 * Soft/HardResourceLimits change only what they name.  Lowering just the
 * hard limit below the current soft one lowers the soft one with it, which
 * is what the plist means and what setrlimit() would otherwise refuse.  A
 * soft limit still above the hard one is left out with a warning: launchd
 * would start the job, its setrlimit() having failed.
 */
int spawn_plan_rlimits(struct spawn_plan *p)
{
	const struct job_spec *s = p->spec;

	plan_nofile_unnamed(p);
	p->rlimits = calloc(s->n_rlimits + 1, sizeof(*p->rlimits));
	if (!p->rlimits)
		return -ENOMEM;
	for (size_t i = 0; i < s->n_rlimits; i++) {
		const struct job_rlimit *l = &s->rlimits[i];
		struct spawn_rlimit *o = &p->rlimits[p->n_rlimits++];
		int r = rlimit_base(p, l->resource, &o->rl);

		if (r < 0)
			return r;
		o->resource = l->resource;
		if (l->has_hard)
			o->rl.rlim_max = (rlim_t)l->hard;
		if (l->has_soft)
			o->rl.rlim_cur = (rlim_t)l->soft;
		else if (o->rl.rlim_cur > o->rl.rlim_max)
			o->rl.rlim_cur = o->rl.rlim_max;
		if (o->rl.rlim_cur > o->rl.rlim_max) {
			log_job(LOG_WARNING, s->label, "soft %s limit above the hard one: "
				"leaving the limit as it was", spawn_plan_rlimit_name(l->resource));
			p->n_rlimits--;
		}
	}
	restore_nofile(p);
	return 0;
}
