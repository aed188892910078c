/* SPDX-License-Identifier: MIT */
/*
 * restart.h - bootstrapd restarting without losing a port, a queued
 * message, a name or a job.
 *
 * The state (state-format.h) is collected from the domain
 * (state-collect.c); it travels in a memfd across a re-exec (reexec.c) or
 * sits in systemd's fd store with every port (fdstore.c); a daemon
 * started again finds it, puts every kept fd back at its old number
 * (state-fds.c), loads its job directories as usual and gives each job
 * its state back by label (state-restore.c).
 */
#ifndef BOOTSTRAPD_RESTART_H
#define BOOTSTRAPD_RESTART_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct domain;
struct state;

/* The environment variable naming the state memfd across a re-exec. */
#define RESTART_ENV_STATE_FD "BOOTSTRAPD_STATE_FD"

/**
 * restart_collect() - the domain's state in *@st (state_free() it);
 * @with_clients: the client connections too (a re-exec keeps them).
 * Return: 0 or -ENOMEM.
 */
int restart_collect(struct domain *d, bool with_clients, struct state *st);

/**
 * restart_kept_ids() - the fd ids of @st a store keeps (ports, the
 * listening socket, jobs' bootstrap ports and Sockets listeners,
 * registrants' pidfds; not clients), sorted, unique.
 * Return: 0 or -ENOMEM.
 */
int restart_kept_ids(const struct state *st, int **ids, size_t *n);

/**
 * restart_find() - a state left by the daemon before us: after a re-exec
 * (RESTART_ENV_STATE_FD) or from systemd's fd store (LISTEN_FDS); every
 * fd it names is moved to its old number.  Call first thing, before any
 * fd is opened.  Return: 1 if there is one, 0 if there is none, or a
 * negative errno (a state refused: the daemon starts afresh).  From then
 * on, until restart_end(), each job loaded gets its state back.
 */
int restart_find(struct domain *d);

/**
 * restart_end() - after loading: registered names and clients back, the
 * ports of jobs that are gone closed, processes that ended reaped.
 */
void restart_end(struct domain *d);

/**
 * restart_listen_fd() - the listening socket the state kept, or -1;
 * call between restart_begin() and restart_end().
 */
int restart_listen_fd(struct domain *d);

/**
 * restart_save() - if the state changed, store it (fd store only): at
 * once, or for a large state at most every FDSTORE_GAP_MS (fdstore.h).
 */
void restart_save(struct domain *d);

/**
 * restart_reexec() - execute our binary again, keeping every port, name,
 * job and client.  Returns only on failure (logged): the daemon goes on.
 */
void restart_reexec(struct domain *d, char *const argv[]);

/**
 * restart_stop_signals() - the signals a re-exec holds back until the new
 * image watches them (SIGTERM, SIGINT, SIGHUP), in @set.
 */
void restart_stop_signals(sigset_t *set);

/** restart_self_exe() - remember the binary we were started from (call at start). */
void restart_self_exe(void);

#endif
