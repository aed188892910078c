/* SPDX-License-Identifier: MIT */
/*
 * sockets-internal.h - the sockets module's own state (struct job_sockets)
 * and what sockets.c and sockets-unix.c (Unix-domain entries: SockPathName
 * with its mode and owner, SecureSocketWithKey) share.  Nothing outside
 * sockets/ includes it.
 */
#ifndef BOOTSTRAPD_SOCKETS_INTERNAL_H
#define BOOTSTRAPD_SOCKETS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sockets.h"

struct event;
struct job_socket;

/* Every fd of a job, all names together (a name may expand to several). */
#define SOCKETS_MAX_FDS 62

/* One Sockets name and where its fds sit in job_sockets.fds. */
struct sockets_group {
	const char *name;       /* borrowed from the spec */
	size_t first, n;
	pid_t activated_by;     /* launch_activate_socket() already answered this pid */
};

/* A socket path or directory made at load, removed at unload if still ours. */
struct sockets_path {
	char *path;
	dev_t dev;
	ino_t ino;
	bool dir;
};

struct sockets_watch {
	struct job_sockets *js;
	size_t i;               /* index in fds */
	struct event *ev;
};

struct job_sockets {
	const struct job_spec *spec;    /* borrowed */
	struct event_base *base;
	bool as_root;           /* the daemon runs the job as its UserName */
	sockets_ready_fn *ready;
	void *arg;
	int fds[SOCKETS_MAX_FDS];       /* owned */
	size_t n_fds;
	struct sockets_watch watches[SOCKETS_MAX_FDS];
	struct sockets_group *groups;
	size_t n_groups;
	char *names;            /* LISTEN_FDNAMES: each fd's name, joined by ':' */
	char **env;             /* SecureSocketWithKey "K=PATH", NULL-terminated */
	size_t n_env;
	struct sockets_path *paths;     /* in creation order: removed in reverse */
	size_t n_paths;
	int ready_fd;           /* the fd whose readability started the job, or -1 */
};


/**
 * sockets_unix_open() - make the Unix socket @s of group @name and add it
 * to @js.  A passive socket replaces a stale socket file (nobody listens)
 * but never a live socket or any other file; the paths it makes are
 * recorded in @js for sockets_unix_remove().
 * Return: 0, or a negative errno with @reason filled.
 */
int sockets_unix_open(struct job_sockets *js, const struct job_socket *s,
		      const char *name, char *reason, size_t len);

/** sockets_unix_remove() - remove the recorded paths that are still ours, newest first. */
void sockets_unix_remove(struct job_sockets *js);

/**
 * sockets_add_fd() - keep @fd (taken) as the next socket of @js.
 * Return: 0, or -E2BIG (fd closed, @reason filled) beyond SOCKETS_MAX_FDS.
 */
int sockets_add_fd(struct job_sockets *js, int fd, const char *name, char *reason, size_t len);

#endif
