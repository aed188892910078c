/* SPDX-License-Identifier: MIT */
/* keepalive.h - launchd's KeepAlive conditions, evaluated. */
#ifndef BOOTSTRAPD_KEEPALIVE_H
#define BOOTSTRAPD_KEEPALIVE_H

#include <stdbool.h>

struct job;

/** keepalive_at_load() - whether KeepAlive starts the job as soon as it is loaded. */
bool keepalive_at_load(const struct job *job);

/**
 * keepalive_after_exit() - whether KeepAlive restarts the job after the exit
 * recorded in job->last_status.  The dictionary's conditions are ORed.
 */
bool keepalive_after_exit(const struct job *job);

/**
 * keepalive_path_state_holds() - whether a KeepAlive PathState condition
 * holds now (the job is not being stopped).
 */
bool keepalive_path_state_holds(const struct job *job);

/** keepalive_crash_signal() - whether @sig counts as a crash (launchd's list). */
bool keepalive_crash_signal(int sig);

#endif
