/* SPDX-License-Identifier: MIT */
/*
 * triggers.h - what starts a job besides demand: StartInterval,
 * StartCalendarInterval, WatchPaths and QueueDirectories.
 */
#ifndef BOOTSTRAPD_TRIGGERS_H
#define BOOTSTRAPD_TRIGGERS_H

#include <stdbool.h>

struct job;

/** triggers_arm() - set up the job's timers and path watches (failures are logged). */
void triggers_arm(struct job *job);

/** triggers_queue_pending() - whether a QueueDirectories directory is non-empty. */
bool triggers_queue_pending(const struct job *job);

/** triggers_disarm() - release them. */
void triggers_disarm(struct job *job);

#endif
