/* SPDX-License-Identifier: MIT */
/*
 * registry.h - who may hold a name in a domain's bootstrap namespace.
 *
 * The rules, and nothing else: no sockets, no replies, no logging.  The
 * request handlers (server.c) ask, then reply; jobs (job-load.c) add and
 * remove their MachServices names; a registered port's death removes it
 * (service.c).
 *
 *   - A user domain answers only its owner and root (registry_may_ask).
 *   - Look-up finds any name, except a HideUntilCheckIn name whose job
 *     does not hold it.
 *   - Check-in: only the job that declares a MachServices name, and not
 *     while it holds the right (until it lets it go or exits).  A name
 *     nobody holds is created on the spot for the calling process (a
 *     dynamic service, as launchd's; in the system domain only for root
 *     and the domain's jobs); it goes when that process exits, which may
 *     check it in again once it let it go.  A name another process holds
 *     (registered or dynamic) is refused; a process checking in the name
 *     it registered is told it is already active (launchd's answer).
 *   - Register: in the system domain only root and the domain's jobs; a
 *     job's name never (it checks in instead; its own held name is
 *     active); another process's name never; over the caller's own name,
 *     launchd's answers: active while it holds it (registered, or a right
 *     it took), and a dynamic name it let go is undeclared by a null port.
 *   - Names are unique: a second job declaring a taken name conflicts.
 *   - Per-PID names (BOOTSTRAP_PER_PID_SERVICE) are each process's own,
 *     apart from the domain's: found only by a per-PID look-up naming
 *     that process, made or bound once by it, and by any process.
 *   - Status (bootstrap_info): a name held by a process is active; a job's
 *     name whose job does not hold it waits for it: on demand, or
 *     inactive if the job has KeepAlive true (launchd's rule).
 *
 * The codes are positive; the edge (server.c) maps them to bootstrap
 * errors.  The registry does not own the services: whoever removes one
 * frees it.
 */
#ifndef BOOTSTRAPD_REGISTRY_H
#define BOOTSTRAPD_REGISTRY_H

#include <stdbool.h>
#include <sys/types.h>

#include "strmap.h"

struct job;
struct service;

enum registry_code {
	REGISTRY_OK = 0,
	REGISTRY_E_UNKNOWN,             /* no such name (or hidden until check-in) */
	REGISTRY_E_NOT_OWNER,           /* not this user domain's owner nor root */
	REGISTRY_E_NOT_ROOT,            /* binding a name in the system domain */
	REGISTRY_E_NOT_JOB,             /* check-in by someone else than the name's job */
	REGISTRY_E_JOB_NAME,            /* register over a job's name */
	REGISTRY_E_OTHER_PROCESS,       /* register over another process's name */
	REGISTRY_E_ACTIVE,              /* already checked in, or already registered */
	REGISTRY_E_LET_GO,              /* register a port over one's own name let go: check it in */
	REGISTRY_E_NO_MEMORY,
	REGISTRY_CREATE,                /* check-in of a free name: create it for the caller */
};

/* A name's status, launchd's BOOTSTRAP_STATUS_* values. */
enum registry_status {
	REGISTRY_STATUS_INACTIVE = 0,
	REGISTRY_STATUS_ACTIVE = 1,
	REGISTRY_STATUS_ON_DEMAND = 2,
};

struct registry {
	struct strmap names;    /* name -> struct service */
	struct strmap per_pid;  /* "PID:NAME" -> a process's per-PID name (service_key()) */
	bool system;            /* the system domain: only root binds names */
	uid_t owner;            /* a user domain's owner */
};

void registry_init(struct registry *r, bool system, uid_t owner);

/** registry_deinit() - forget every name (the services are not freed). */
void registry_deinit(struct registry *r);

/** registry_may_ask() - whether @uid may use this domain's bootstrap requests. */
enum registry_code registry_may_ask(const struct registry *r, uid_t uid);

/** registry_look_up() - the service a look-up of @name returns, in *@out. */
enum registry_code registry_look_up(const struct registry *r, const char *name,
				    struct service **out);

/**
 * registry_look_up_pid() - process @pid's per-PID name @name, in *@out:
 * as launchd, a per-PID look-up finds only those, a plain one never.
 */
enum registry_code registry_look_up_pid(const struct registry *r, const char *name, pid_t pid,
					struct service **out);

/**
 * registry_check_in_pid() - whether process @pid of @uid (@is_job: a
 * job's process) may check in its per-PID @name: REGISTRY_CREATE if it
 * has none (a dynamic per-PID name is made; in the system domain only for
 * root and the domain's jobs),
 * REGISTRY_OK if it has let it go, REGISTRY_E_ACTIVE if it holds it or
 * registered it.  The service in *@out, or NULL.
 */
enum registry_code registry_check_in_pid(const struct registry *r, const char *name, pid_t pid,
					 uid_t uid, bool is_job, struct service **out);

/**
 * registry_may_register_pid() - whether process @pid may bind its per-PID
 * @name (@unregister: to a null port).  Per-PID names are private to their
 * process: no other process's name is in the way; the system domain's
 * rule of who binds names holds as for the domain's names, and the rule
 * over one's own name as for registry_may_register().  On REGISTRY_OK with
 * @unregister, *@out is the name to remove, or NULL.
 */
enum registry_code registry_may_register_pid(const struct registry *r, const char *name,
					     pid_t pid, uid_t uid, bool is_job, bool unregister,
					     struct service **out);

/**
 * registry_check_in() - whether @caller (the asking job, or NULL), process
 * @pid of @uid, may check in @name; the service in *@out whatever the
 * answer, or NULL.  On REGISTRY_OK the caller hands the receive right
 * over, then calls registry_checked_in(); on REGISTRY_CREATE it makes a
 * dynamic service owned by @pid and adds it.
 */
enum registry_code registry_check_in(const struct registry *r, const char *name,
				     const struct job *caller, pid_t pid, uid_t uid,
				     struct service **out);

/** registry_checked_in() - the job now holds the receive right of @s. */
void registry_checked_in(struct service *s);

/** registry_released() - the holder of @s let its right go, or exited. */
void registry_released(struct service *s);

/**
 * registry_may_register() - whether process @pid of @uid (@caller: the
 * job it is the process of, or NULL) may bind @name (@unregister: to a
 * null port).  On REGISTRY_OK with @unregister, *@out is the name to
 * remove (a dynamic name of the caller's that it let go), or NULL.
 */
enum registry_code registry_may_register(const struct registry *r, const char *name,
					 const struct job *caller, pid_t pid, uid_t uid,
					 bool unregister, struct service **out);

/**
 * registry_add() - bind @s->name to @s.  REGISTRY_E_ACTIVE if the name
 * is taken (a conflict, for a job's MachServices).
 */
enum registry_code registry_add(struct registry *r, struct service *s);

/** registry_remove() - unbind @s->name, if it is still bound to @s. */
void registry_remove(struct registry *r, struct service *s);

/** registry_bound() - whether @name is bound (to anyone, hidden or not). */
bool registry_bound(const struct registry *r, const char *name);

/** registry_next() - iterate the names; *@i starts at 0. */
struct service *registry_next(const struct registry *r, size_t *i);

/**
 * registry_status() - the status of @s; @kept_alive: its job has KeepAlive
 * true, so that a job's name it does not hold is inactive, not on demand.
 */
enum registry_status registry_status(const struct service *s, bool kept_alive);

/**
 * registry_next_pid() - the per-PID names, as registry_next() the
 * domain's (a separate cursor, starting at 0).
 */
struct service *registry_next_pid(const struct registry *r, size_t *i);

/** registry_count() - how many of the domain's names are bound (per-PID ones not counted). */
size_t registry_count(const struct registry *r);

/** registry_count_pid() - how many per-PID names are bound. */
size_t registry_count_pid(const struct registry *r);

#endif
