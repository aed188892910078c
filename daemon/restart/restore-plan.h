/* SPDX-License-Identifier: MIT */
/*
 * restore-plan.h - a state being restored: the decoded state, which of
 * its fd ids are really there, and which have been taken.
 */
#ifndef BOOTSTRAPD_RESTORE_PLAN_H
#define BOOTSTRAPD_RESTORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "state-format.h"
#include "strmap.h"

struct domain;
struct job;

struct restore_plan {
	struct state st;
	bool same_process;      /* a re-exec: running jobs are still our children */
	int *present;           /* fd ids that are open at their number, sorted */
	bool *used;             /* taken by what was restored */
	size_t n_present;
	struct strmap jobs;     /* label -> struct state_job */
	struct strmap names;    /* name -> struct state_service (not per-PID names) */
	/* key -> struct state_env a job published, until that job is restored */
	struct strmap published;
};

/**
 * restore_plan_new() - a plan for @st (taken), whose fds @present (taken,
 * sorted) are at their numbers.  Return: the plan or NULL (all closed).
 */
struct restore_plan *restore_plan_new(struct state *st, int *present, size_t n, bool same);

/** restore_plan_take() - the fd of id @id if it is there and not taken yet, else -1. */
int restore_plan_take(struct restore_plan *p, int id);

/**
 * restore_env() - the variables of the domain's environment set by hand
 * back, before any job is loaded: a job publishing its SecureSocketWithKey
 * path finds them set, as it did before the restart.
 */
void restore_env(struct domain *d, struct restore_plan *p);

/** restore_job() - domain.restore_job: give @job its saved state. */
bool restore_job(struct domain *d, struct job *job);

/**
 * restore_listener() - domain.restore_listener: the listener @label held
 * for entry @entry, fd @pos, of its socket @name, taken; or -1.
 */
int restore_listener(struct domain *d, const char *label, const char *name, unsigned int entry,
		     unsigned int pos);

/**
 * restore_drop() - close @fd, kept across the restart and not used, and
 * remove it from the fd store at once (not at the next save).
 */
void restore_drop(struct domain *d, int fd);

/**
 * restore_drop_listener() - domain.restore_drop: restore_drop() a refused
 * listener, waiting until the fd store closed its copy: the address is
 * free then for the new one.
 */
void restore_drop_listener(struct domain *d, int fd);

/** restore_plan_free() - close every fd not taken and free the plan. */
void restore_plan_free(struct restore_plan *p);

#endif
