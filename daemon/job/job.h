/* SPDX-License-Identifier: MIT */
/*
 * job.h - a loaded job and its state machine.
 *
 *   WAITING --demand/RunAtLoad/KeepAlive/timer/start--> RUNNING --exit--> WAITING
 *   WAITING --started too soon after the last start--> THROTTLED --timer--> RUNNING
 *   THROTTLED --kickstart--> RUNNING
 *   RUNNING --stop/unload--> STOPPING (SIGTERM, SIGKILL after ExitTimeOut) --exit--> WAITING
 *   any --spawn failure or crash loop--> FAILED (queued messages destroyed)
 *   FAILED --start/kickstart--> RUNNING or THROTTLED
 *
 * An exit is followed by the job's own policy (KeepAlive, pending timers,
 * queued messages), whatever caused it, as in launchd.
 */
#ifndef BOOTSTRAPD_JOB_H
#define BOOTSTRAPD_JOB_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "jobdir-source.h"
#include "triggers.h"

struct domain;
struct service;
struct conn;
struct event;
struct job_spec;
struct job_sockets;
struct inetd;

enum job_state {
	JOB_WAITING,
	JOB_THROTTLED,
	JOB_RUNNING,
	JOB_STOPPING,
	JOB_FAILED,
};

/* Why a job was started, for logs, bsctl print and blame. */
enum job_reason {
	REASON_NONE,
	REASON_DEMAND,
	REASON_RUN_AT_LOAD,
	REASON_KEEPALIVE,
	REASON_INTERVAL,
	REASON_CALENDAR,
	REASON_WATCH_PATH,
	REASON_CONTROL,         /* bsctl start / kickstart */
};

/* Why the job last ran, for bsctl print and blame. */
struct job_blame {
	enum job_reason last_reason;
	bool demanded;          /* AfterInitialDemand: kicked off by a demand or bsctl */
	char *demand_service;   /* the name (or "socket NAME") whose message asked last, or NULL */
};

/* Consecutive early failures that mark a job failed (as StartLimitBurst). */
#define JOB_CRASH_LOOP_LIMIT 5

/* A start that ran out of fds or processes is tried again after this long. */
#define JOB_SHORTAGE_RETRY_MS 1000

struct job {
	struct domain *domain;
	struct job_spec *spec;
	enum job_state state;
	bool disabled;          /* disabled (plist or override) but loaded with load -F */
	bool unload_when_stopped;
	bool restart_requested; /* kickstart -k: start again once it exited */

	pid_t pid;
	struct conn *conn;      /* the running process's bootstrap port */
	struct timespec start_time;
	unsigned int runs;
	enum job_reason pending_reason; /* the start waiting: while throttled, or a
					 * timer that fired while it ran (launchd's
					 * start_pending); else REASON_NONE */
	bool has_exited;
	bool exit_asked;        /* the last exit was asked for: a stop, kickstart -k */
	int last_status;        /* wait status of the last exit */
	unsigned int early_failures;
	char *failure;          /* why FAILED, or NULL (heap: most jobs never fail) */
	struct job_blame blame;
	struct jobdir_source source;    /* the plist file it came from (jobdir-source.h) */
	struct job *next_detached; /* unloaded but still stopping: see domain.detached */
	struct job *next_running;  /* see domain.running */
	struct job *next_by_pid;   /* see domain.by_pid */

	struct service **services;
	size_t n_services;
	struct job_sockets *sockets;    /* Sockets, or NULL (sockets.h) */
	struct inetd *inetd;            /* instances of inetd Wait false, or NULL (inetd.h) */

	struct event *throttle_ev;
	struct event *kill_ev;
	int pidfd;              /* an adopted process that is not our child, else -1 */
	struct event *pidfd_ev; /* its exit */
	struct job_triggers *triggers;  /* timers and path watches (triggers.h), or NULL */
};

/**
 * job_new() - load @spec (taken) into @d: register its services, arm its
 * triggers, and start it if RunAtLoad or KeepAlive says so.
 * Return: the job, or NULL with *reason filled (spec freed).
 */
struct job *job_new(struct domain *d, struct job_spec *spec, char *reason, size_t reason_len);

/** job_unload() - stop the job (if running) and free it once it exited. */
void job_unload(struct job *job);

/** job_free() - release a job that is not running. */
void job_free(struct job *job);

/*
 * Starting a job: job_start() is the one way in, and job_kickstart() the
 * one way past the throttle.  Their callers are the triggers of a start:
 * load (job_loaded), timers and path watches (job_triggered), messages and
 * connections (job_demand, job_demand_socket), bsctl (REASON_CONTROL), and
 * the job's own exit (KeepAlive, kickstart -k, job_exited).
 */

/**
 * job_start() - start now, or once its ThrottleInterval since the last
 * start is past, as launchd, bsctl start included.  Return: 0 or a
 * negative errno.
 */
int job_start(struct job *job, enum job_reason reason);

/**
 * job_kickstart() - bsctl kickstart: start now, a throttled start too,
 * and give a failed job a new chance.  Return: 0 or a negative errno.
 */
int job_kickstart(struct job *job);

/**
 * job_curious_add() - list @job among those whose KeepAlive names other
 * jobs or the network, if it is one (curious.c); the network is watched
 * from the first such job on.  Return: 0, or -1 out of memory.
 */
int job_curious_add(struct job *job);
/** job_curious_remove() - take @job off that list (freed). */
void job_curious_remove(struct job *job);
/** job_curious_deinit() - free @d's list and its walk's event, at the domain's end. */
void job_curious_deinit(struct domain *d);
/**
 * job_network_up() - whether the network is up, for KeepAlive
 * NetworkState: as last seen by the domain's watch, or now without one.
 */
bool job_network_up(struct domain *d);
/**
 * job_network_hold() - @job, if its KeepAlive names the network, is one
 * more user of the domain's watch of it (job-network.c): the first makes
 * it, unless making it failed already (logged then, once).
 */
void job_network_hold(struct job *job);
/** job_network_release() - undo job_network_hold(): the last user frees the watch. */
void job_network_release(struct job *job);
/**
 * job_network_retry() - a rescan of the job directories: if jobs need the
 * watch and making it failed, try once more.
 */
void job_network_retry(struct domain *d);
/** job_network_deinit() - free the watch at the domain's end. */
void job_network_deinit(struct domain *d);

/**
 * job_others_changed() - a job was loaded or unloaded: the curious jobs are
 * looked at once this loop turn is over (job_other_jobs_changed()).
 */
void job_others_changed(struct domain *d);
/**
 * job_runs_changed() - a job started or exited: job_others_changed(), if
 * a loaded job's KeepAlive has OtherJobActive (none other cares).
 */
void job_runs_changed(struct domain *d);
/**
 * job_other_jobs_changed() - start @job if it waits and a KeepAlive
 * condition on other jobs or the network now holds.
 */
void job_other_jobs_changed(struct job *job);

/** job_loaded() - just loaded: RunAtLoad or KeepAlive start it. */
void job_loaded(struct job *job);

/** job_triggered() - a trigger of @arg (the job) fired: triggers_fire_fn. */
void job_triggered(void *arg, enum trigger what);

/**
 * job_restart() - kickstart -k: SIGKILL the running process; job_exited()
 * starts it again, unless a job_stop() came in between.
 */
int job_restart(struct job *job);

/** job_stop() - SIGTERM, then SIGKILL after ExitTimeOut; a job_restart()'s start is called off. */
void job_stop(struct job *job);

/** job_demand() - a message arrived on @s while the job was not running. */
void job_demand(struct job *job, struct service *s);

/**
 * job_demand_socket() - a connection or datagram arrived on socket @name
 * while the job was not running.
 */
void job_demand_socket(struct job *job, const char *name);

/**
 * job_spawn_process() - start one process of @job: its bootstrap port (a
 * new connection, *@conn), its sockets and, if @stdio_fd >= 0 (borrowed),
 * that fd as stdin, stdout and stderr.  The caller records *@pid.
 * Return: 0, or a negative errno with @why filled.
 */
int job_spawn_process(struct job *job, int stdio_fd, pid_t *pid, struct conn **conn,
		      char *why, size_t why_len);

/* The wait status given for a process that ended while the daemon could not see it. */
#define JOB_STATUS_UNKNOWN 0

/** job_drop_pidfd() - stop watching an adopted process that is not our child. */
void job_drop_pidfd(struct job *job);

/**
 * job_signal_leftovers() - the job's process, or its inetd instance, @pid
 * has ended: send SIGTERM to what is left of its process group, unless
 * AbandonProcessGroup or inetdCompatibility (whose groups launchd abandons,
 * an instance's too).  For a
 * child of ours, called before the reap, while its zombie holds the
 * group's number; for an adopted process (not our child), once its pidfd
 * says it ended, when the number is still the group's as long as a
 * member lives.
 */
void job_signal_leftovers(struct job *job, pid_t pid);

/** job_exited() - the job's process ended with wait status @status. */
void job_exited(struct job *job, int status);

/**
 * job_find_child() - the running job whose process, or one of whose inetd
 * instances (*@instance true), is @pid; NULL if none.
 */
struct job *job_find_child(struct domain *d, pid_t pid, bool *instance);

/**
 * job_kept_alive() - whether @job (or NULL) has KeepAlive true, launchd's
 * "not on demand": a message does not start it.
 */
bool job_kept_alive(const struct job *job);

/** job_find_pid() - the running job whose process is @pid, or NULL. */
struct job *job_find_pid(struct domain *d, pid_t pid);

/*
 * The running jobs (job-running.c).  job_list_running() puts @job, whose
 * pid is set (or 0 for an inetd job, whose instances run), on the running
 * list and in the index by pid; job_forget_pid(), before the pid is
 * cleared, takes it off both (a job not on them is left as it is).
 */
void job_list_running(struct job *job);

/** job_forget_pid() - the job's process is gone: take it off the running list. */
void job_forget_pid(struct job *job);

/** job_running_deinit() - free the index by pid, once no job runs (domain teardown). */
void job_running_deinit(struct domain *d);

/** job_socket_ready() - sockets_ready_fn of the job @arg: accept (inetd) or demand. */
void job_socket_ready(void *arg, const char *name, int fd);

/** job_fail() - mark failed with @why and destroy the messages waiting for it. */
void job_fail(struct job *job, const char *why);

/** job_is_running() - whether the job has a process (running or stopping). */
bool job_is_running(const struct job *job);

/*
 * What a restarted or re-executed daemon knew of a job (restart/): the
 * loader restores it in place of job_loaded().
 */
struct job_saved {
	enum job_state state;
	enum job_reason pending_reason; /* while throttled */
	enum job_reason last_reason;
	bool has_exited;
	bool demanded;
	pid_t pid;              /* the process still runs (checked by the caller), or 0 */
	bool exited_while_down; /* it ran, and is gone now */
	int pidfd;              /* for a process that is not our child (taken), else -1 */
	int conn_fd;            /* the daemon's end of its bootstrap port (taken), or -1 */
	struct timespec start_time;
	unsigned int runs;
	unsigned int early_failures;
	int last_status;
	const char *failure;
};

/**
 * job_restore() - give a just loaded @job the state of @sv: a running
 * process is adopted (never started twice), a throttled job waits out the
 * rest of its delay, a failed job stays failed, a process gone while the
 * daemon was down is an exit with an unknown status (KeepAlive applies).
 */
void job_restore(struct job *job, const struct job_saved *sv);

/**
 * job_throttle_left_ms() - how long until @job's ThrottleInterval since its
 * last start is past (0: it is): what a throttled start waits for.
 */
long long job_throttle_left_ms(const struct job *job);

const char *job_state_name(enum job_state state);
const char *job_reason_name(enum job_reason reason);

#endif
