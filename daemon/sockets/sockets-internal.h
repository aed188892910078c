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

struct addrinfo;
struct event;
struct job_socket;

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

/* The entry of the spec a socket is opened for. */
struct sockets_at {
	const char *name;       /* its Sockets name (borrowed from the spec) */
	unsigned int entry;     /* its index in the name's array, 0 for a lone dictionary */
	size_t first;           /* where its first fd goes in job_sockets.fds */
	bool passive;           /* a listener: a restart keeps it */
};

/* Which entry an fd was opened for: a restart finds its listener again by it. */
struct sockets_origin {
	const char *name;       /* borrowed from the spec */
	unsigned int entry, pos;
	bool listener;
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
	struct sockets_hooks hooks;
	int fds[SOCKETS_MAX_FDS];       /* owned */
	struct sockets_origin origins[SOCKETS_MAX_FDS];
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
 * sockets_unix_open() - make the Unix socket @s of entry @at and add it
 * to @js, or take the one kept across a restart.  A passive socket
 * replaces a stale socket file (nobody listens) but never a live socket
 * or any other file; the paths it makes are recorded in @js for
 * sockets_unix_remove().
 * Return: 0, or a negative errno with @reason filled.
 */
int sockets_unix_open(struct job_sockets *js, const struct job_socket *s,
		      const struct sockets_at *at, char *reason, size_t len);

/** sockets_unix_remove() - remove the recorded paths that are still ours, newest first. */
void sockets_unix_remove(struct job_sockets *js);

/**
 * sockets_add_fd() - keep @fd (taken) as the next socket of @js, opened for @at.
 * Return: 0, or -E2BIG (fd closed, @reason filled) beyond SOCKETS_MAX_FDS.
 */
int sockets_add_fd(struct job_sockets *js, int fd, const struct sockets_at *at, char *reason,
		   size_t len);

/**
 * sockets_kept_take() - the listener kept across a restart for the next
 * fd of @at; *@why says why it does not do if it is no listening @family
 * @type socket (then sockets_kept_refuse() it), else NULL.
 * Return: the fd (the caller's), or -1 if none was kept.
 */
int sockets_kept_take(struct job_sockets *js, const struct sockets_at *at, int family, int type,
		      const char **why);

/**
 * sockets_kept_take_ip() - sockets_kept_take() for an IP entry resolved
 * to @ai: the kept listener only if it is bound to that address and port.
 */
int sockets_kept_take_ip(struct job_sockets *js, const struct sockets_at *at,
			 const struct addrinfo *ai);

/**
 * sockets_kept_refuse() - a kept listener @fd of @at that does not do for
 * the entry (@why): closed, and logged, as a new one takes its place.
 * Return: -1.
 */
int sockets_kept_refuse(const struct job_sockets *js, const struct sockets_at *at, int fd,
			const char *why);

#endif
