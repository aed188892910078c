/* SPDX-License-Identifier: MIT */
/* keepalive.h - launchd's KeepAlive conditions, evaluated (the job module asks). */
#ifndef BOOTSTRAPD_KEEPALIVE_H
#define BOOTSTRAPD_KEEPALIVE_H

#include <stdbool.h>

struct keepalive;
struct strmap;

/* What KeepAlive decides on: the plist's conditions and the job's state. */
struct keepalive_facts {
	const struct keepalive *ka;     /* the job's KeepAlive */
	const struct strmap *jobs;      /* the loaded jobs, for OtherJobEnabled and OtherJobActive */
	bool (*runs)(const void *job);  /* whether a job of @jobs has a process (OtherJobActive) */
	bool demanded;                  /* kicked off: started by demand or bsctl (AfterInitialDemand) */
	int last_status;                /* wait status of the last exit */
	bool exit_asked;                /* that exit was asked for (bsctl stop, kickstart -k) */
	bool network_up;                /* NetworkState: the network is up (netstate.h) */
};

/**
 * keepalive_awaits_demand() - whether AfterInitialDemand holds every start
 * back but a demand's or bsctl's: RunAtLoad, timers, paths and KeepAlive
 * wait, as launchd's needs_kickoff makes them.
 */
bool keepalive_awaits_demand(const struct keepalive_facts *f);

/** keepalive_at_load() - whether KeepAlive starts the job as soon as it is loaded. */
bool keepalive_at_load(const struct keepalive_facts *f);

/**
 * keepalive_after_exit() - whether KeepAlive restarts the job after the exit
 * @f->last_status.  The dictionary's conditions are ORed; a dictionary
 * with AfterInitialDemand and no condition keeps the job alive once it was
 * kicked off, as launchd turns such a job from on-demand to always.  An exit that
 * bsctl stop asked for is no exception, as in launchd: to keep a job from
 * running, unload it.
 */
bool keepalive_after_exit(const struct keepalive_facts *f);

/**
 * keepalive_path_state_holds() - whether a KeepAlive PathState condition
 * holds now.
 */
bool keepalive_path_state_holds(const struct keepalive_facts *f);

/**
 * keepalive_others_hold() - whether a KeepAlive condition on something
 * outside the job holds now: OtherJobEnabled, OtherJobActive, NetworkState.
 */
bool keepalive_others_hold(const struct keepalive_facts *f);

/** keepalive_crash_signal() - whether @sig counts as a crash (launchd's list). */
bool keepalive_crash_signal(int sig);

#endif
