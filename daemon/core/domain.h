/* SPDX-License-Identifier: MIT */
/*
 * domain.h - one bootstrap domain: the system domain or a user's.
 *
 * A domain owns its jobs (by label), its service registry (by name), its
 * listening socket and its client connections.  There is one per daemon
 * process; it is passed down explicitly, never reached through a global.
 */
#ifndef BOOTSTRAPD_DOMAIN_H
#define BOOTSTRAPD_DOMAIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "ipc.h"
#include "registry.h"
#include "strmap.h"

struct event_base;
struct event;
struct fdstore;
struct forwarder;
struct job;
struct netstate;

struct domain {
	struct event_base *base;
	bool system;            /* the system domain (root, LaunchDaemons) */
	uid_t owner;            /* who may control it: root, or the user */
	bool as_root;           /* the daemon runs as root: UserName applies */
	unsigned long nofile_soft; /* RLIMIT_NOFILE we were started with: jobs get it back */

	char *socket_path;
	char *parent_socket;    /* a user domain's parent (the system domain), or NULL */
	struct forwarder *parent; /* look-ups it passes there (forward.c), or NULL */
	char **job_dirs;
	size_t n_job_dirs;
	char *state_dir;

	struct strmap jobs;     /* label -> struct job */
	struct registry registry; /* name -> struct service, and who may hold one */
	struct strmap job_paths; /* plist path -> job loaded from a job directory */
	struct job *detached;   /* unloaded jobs still stopping: out of both maps */
	struct job *running;    /* jobs with a process, for finding one by pid */
	/* The same jobs by their process's pid: chains through job.next_by_pid
	 * (job/job-running.c); NULL (by_pid_cap 0) until first made. */
	struct job **by_pid;
	size_t by_pid_cap;      /* chains, a power of two */
	size_t n_by_pid;        /* running jobs with a pid of their own */
	struct job **curious;   /* jobs whose KeepAlive names others (job/curious.c) */
	size_t n_curious;
	size_t n_curious_runs;  /* of them, those with OtherJobActive: a start or exit concerns them */
	struct event *curious_ev; /* the walk of them after a load or unload, or NULL */
	/* The network's state, watched while a job's KeepAlive names it
	 * (job/job-network.c), or NULL. */
	struct netstate *net;
	size_t n_net_users;     /* loaded jobs with KeepAlive NetworkState */
	bool net_failed;        /* making the watch failed (logged): not tried per job */
	char **env;             /* bsctl setenv: "K=V", sorted, NULL-terminated (domain-env.c) */
	size_t n_env;

	int listen_fd;
	struct event *accept_ev;
	bool accept_paused;     /* out of fds: resumes when a connection closes */
	int spare_fd;           /* given up to refuse a client when out of fds (conn.c) */
	struct conn *conns;     /* every connection, clients' and jobs' */
	unsigned int n_conns;
	unsigned int max_conns;

	struct ipc_request request; /* the one being handled: requests are handled one at a time */
	/* Answers each request of a connection (set by main: server_dispatch). */
	void (*dispatch)(struct conn *c, struct ipc_request *rq);

	struct event *sigchld_ev, *sigterm_ev, *sigint_ev, *sighup_ev;
	struct event *save_ev;  /* a deferred fd-store save (restart_save()), or NULL */
	bool shutting_down;

	/* Restarting (restart/): the state is saved when it changed, once per
	 * turn of the loop, while an fd store keeps it; bsctl reexec asks for
	 * a re-exec, made once its reply has gone. */
	bool state_dirty;
	bool listen_take_over;          /* a refused state's socket may still answer: bind over it */
	bool reexec_requested;
	struct fdstore *fdstore;        /* systemd's fd store, or NULL */
	/* While loading jobs after a restart: restores a job's state, in place of
	 * job_loaded().  Return: true if it had one. */
	bool (*restore_job)(struct domain *d, struct job *job);
	/* Meanwhile: the listener job @label held for entry @entry of its
	 * socket @name (sockets_kept_fn), or -1. */
	int (*restore_listener)(struct domain *d, const char *label, const char *name,
				unsigned int entry, unsigned int pos);
	/* Meanwhile: close @fd, a listener it gave that was refused, and let
	 * the fd store let go of it before a new one is bound. */
	void (*restore_drop)(struct domain *d, int fd);
	void *restore;                  /* the state being restored */
};

/** domain_changed() - something the saved state holds changed. */
static inline void domain_changed(struct domain *d)
{
	d->state_dirty = true;
}

/** domain_maybe_exit() - leave the loop if shutting down and no job runs. */
void domain_maybe_exit(struct domain *d);

#endif
