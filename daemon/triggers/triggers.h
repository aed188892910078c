/* SPDX-License-Identifier: MIT */
/*
 * triggers.h - what starts a job besides demand: StartInterval,
 * StartCalendarInterval, WatchPaths and QueueDirectories.
 */
#ifndef BOOTSTRAPD_TRIGGERS_H
#define BOOTSTRAPD_TRIGGERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct job;
struct event;
struct path_watch;

/* A job's trigger state: owned here, embedded in struct job. */
struct job_triggers {
	struct event *interval_ev;
	struct event *calendar_ev;
	time_t calendar_checked;        /* StartCalendarInterval looked up to here */
	struct event *watch_ev;
	int inotify_fd;
	struct path_watch *path_watches;
	size_t n_path_watches;
};

/** triggers_init() - no timer, no watch yet. */
void triggers_init(struct job_triggers *t);

/** triggers_arm() - set up the job's timers and path watches (failures are logged). */
void triggers_arm(struct job *job);

/** triggers_queue_pending() - whether a QueueDirectories directory is non-empty. */
bool triggers_queue_pending(const struct job *job);

/** triggers_disarm() - release them. */
void triggers_disarm(struct job *job);

#endif
