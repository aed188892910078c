/* SPDX-License-Identifier: MIT */
/*
 * sockets.h - a job's Sockets: made when the job loads, kept by the daemon
 * for as long as the job is loaded.
 *
 * The daemon binds and listens on every socket before the job runs and
 * keeps its own copies across the job's exits and crashes: a connection
 * made while the job is down or restarting waits in the listen queue (a
 * datagram in the receive queue), and its arrival starts the job, as a
 * message does for MachServices.  The job gets copies: fds 3 and up
 * (LISTEN_FDS), or launch_activate_socket(), or stdin for inetd jobs.
 * Unloading closes them and removes the Unix socket paths made here.
 */
#ifndef BOOTSTRAPD_SOCKETS_H
#define BOOTSTRAPD_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spawn-job.h"

struct event_base;
struct job_sockets;

/*
 * A connection or datagram waits on socket @name (@fd) while the sockets
 * are watched.  For inetdCompatibility Wait false the sockets stay
 * watched and the callee accepts; otherwise they are unwatched first.
 */
typedef void sockets_ready_fn(void *arg, const char *name, int fd);

/*
 * After a restart: the listener the daemon before held for entry @entry
 * of socket @name (its index in the name's array, 0 for a lone
 * dictionary), the @pos'th fd that entry opened (an IPv4v6 entry opens
 * one per address), or -1.  The fd is the caller's then.
 */
typedef int sockets_kept_fn(void *arg, const char *name, unsigned int entry, unsigned int pos);

/* A listener @kept gave, refused: @fd is the callee's to close. */
typedef void sockets_refused_fn(void *arg, int fd);

/*
 * What a job's sockets call back: @ready always, @kept and @refused (may
 * be NULL: then a refused listener is closed) while opening.
 */
struct sockets_hooks {
	sockets_ready_fn *ready;
	sockets_kept_fn *kept;
	sockets_refused_fn *refused;
	void *arg;
};

/* Every fd of a job, all names together (a name may expand to several). */
#define SOCKETS_MAX_FDS 62

/* A listener of a job, as a restart keeps it. */
struct sockets_listener {
	const char *name;       /* the Sockets name (borrowed) */
	unsigned int entry, pos;        /* as sockets_kept_fn */
	int fd;                 /* borrowed */
};

/**
 * sockets_open() - create, bind and listen on (or connect) every socket
 * of @spec, in *@out (NULL for a job without Sockets); @hooks->ready when
 * one is ready while watched.  A listener @hooks->kept gives back is used
 * in place of a new one if it still is what the entry asks for (socket
 * type, family, bound address or path); otherwise it is closed, saying
 * why, and a new one opened.  A SecureSocketWithKey listener kept keeps
 * its path, and its directory.
 * @reason: filled on failure, naming the socket, the address and the error
 *          ("Sockets \"listener\": bind 127.0.0.1:8080: Address already in use").
 * Return: 0, or a negative errno with nothing left open or on disk.
 */
int sockets_open(struct job_sockets **out, const struct job_spec *spec, struct event_base *base,
		 bool as_root, const struct sockets_hooks *hooks, char *reason, size_t reason_len);

/**
 * sockets_listeners() - the listening (SockPassive) sockets of @js, at
 * most @max, in @out.  @js may be NULL.  Return: how many.
 */
size_t sockets_listeners(const struct job_sockets *js, struct sockets_listener *out, size_t max);

/**
 * sockets_close() - close the daemon's copies and remove the paths made at
 * load (only those that are still the sockets or directories made here).
 * Running processes keep their own copies.  Return: NULL.
 */
struct job_sockets *sockets_close(struct job_sockets *js);

/**
 * sockets_watch() - while the job is down: the first connection or datagram
 * on any socket calls the ready callback.  inetdCompatibility Wait false:
 * watched always, and each connection is accepted (inetd.c).  @js may be NULL.
 */
void sockets_watch(struct job_sockets *js);

/**
 * sockets_env() - the variables SecureSocketWithKey sets, "KEY=PATH",
 * NULL-terminated (borrowed from @js), or NULL.
 */
const char *const *sockets_env(const struct job_sockets *js);

/** sockets_unwatch() - the job runs: it reads its sockets itself. */
void sockets_unwatch(struct job_sockets *js);

/**
 * sockets_fill_request() - the sockets and variables of a new process of
 * the job in @req (borrowed from @js, valid until it is closed):
 * LISTEN_FDS for a plain job, the ready socket as stdio for an inetd job
 * with Wait true.  Clears what launch_activate_socket() remembered.
 */
void sockets_fill_request(struct job_sockets *js, struct spawn_request *req);

/**
 * sockets_activate() - the fds of socket @name for process @pid of the job.
 * @fds, @n: out: borrowed from @js.
 * Return: 0; -ENOENT when the job has no socket of that name (or none at
 * all: an inetd instance); -EALREADY when @pid asked for @name before.
 */
int sockets_activate(struct job_sockets *js, pid_t pid, const char *name, const int **fds,
		     size_t *n);

#endif
