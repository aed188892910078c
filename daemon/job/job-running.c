/* SPDX-License-Identifier: MIT */
/*
 * job-running.c - the domain's running jobs: the list of them, and the
 * same jobs by their process's pid, so that a caller's job is found at
 * once however many run (every check-in and register asks, for callers
 * that are not on their job's own connection).  The list is the truth; the
 * index is a hash of chains through the jobs, made again from the list
 * when it grows, and where it could never be made the list is walked.
 * Only here do jobs go on or off the list.
 */
#include "job.h"

#include <stdlib.h>

#include "domain.h"
#include "inetd.h"

/* Chains before the first growth: a domain runs a few jobs, often. */
#define BY_PID_FIRST 64

/* Pids are handed out in order: their low bits spread them evenly already. */
static struct job **chain_of(const struct domain *d, pid_t pid)
{
	return &d->by_pid[(size_t)pid & (d->by_pid_cap - 1)];
}

static void index_add(struct domain *d, struct job *job)
{
	struct job **chain = chain_of(d, job->pid);

	job->next_by_pid = *chain;
	*chain = job;
}

/*
 * Make the index again with @cap chains, from the list.  Return: 0, or
 * -1 if there was no memory for it: the index stays as it was, whole
 * (its chains grow longer), or, never made, absent.
 */
static int index_remake(struct domain *d, size_t cap)
{
	struct job **chains = calloc(cap, sizeof(*chains));

	if (!chains)
		return -1;
	free(d->by_pid);
	d->by_pid = chains;
	d->by_pid_cap = cap;
	for (struct job *job = d->running; job; job = job->next_running)
		if (job->pid > 0)
			index_add(d, job);
	return 0;
}

void job_list_running(struct job *job)
{
	struct domain *d = job->domain;

	job->next_running = d->running;
	d->running = job;
	/* An inetd job's processes are its instances, found through it (job_find_child()). */
	if (job->pid <= 0)
		return;
	d->n_by_pid++;
	if (d->n_by_pid > d->by_pid_cap &&
	    index_remake(d, d->by_pid_cap ? d->by_pid_cap * 2 : BY_PID_FIRST) == 0)
		return;         /* made with it */
	if (d->by_pid_cap)
		index_add(d, job);
}

static void index_remove(struct domain *d, struct job *job)
{
	for (struct job **pp = chain_of(d, job->pid); *pp; pp = &(*pp)->next_by_pid) {
		if (*pp == job) {
			*pp = job->next_by_pid;
			d->n_by_pid--;
			break;
		}
	}
	job->next_by_pid = NULL;
}

void job_forget_pid(struct job *job)
{
	struct domain *d = job->domain;

	for (struct job **pp = &d->running; *pp; pp = &(*pp)->next_running) {
		if (*pp == job) {
			*pp = job->next_running;
			if (job->pid > 0 && d->by_pid_cap)
				index_remove(d, job);
			else if (job->pid > 0)
				d->n_by_pid--;
			break;
		}
	}
	job->next_running = NULL;
}

struct job *job_find_pid(struct domain *d, pid_t pid)
{
	struct job *job;

	if (pid <= 0)
		return NULL;
	if (d->by_pid_cap) {
		for (job = *chain_of(d, pid); job; job = job->next_by_pid)
			if (job->pid == pid)
				return job;
		return NULL;
	}
	for (job = d->running; job; job = job->next_running)
		if (job->pid == pid)
			return job;
	return NULL;
}

struct job *job_find_child(struct domain *d, pid_t pid, bool *instance)
{
	struct job *job = job_find_pid(d, pid);

	*instance = false;
	if (job)
		return job;
	/* An inetd instance: few jobs run them, but each is asked. */
	for (job = d->running; job; job = job->next_running) {
		if (inetd_is_instance(job->inetd, pid)) {
			*instance = true;
			return job;
		}
	}
	return NULL;
}

void job_running_deinit(struct domain *d)
{
	free(d->by_pid);
	d->by_pid = NULL;
	d->by_pid_cap = 0;
	d->n_by_pid = 0;
}
