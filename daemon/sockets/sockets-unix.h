/* SPDX-License-Identifier: MIT */
/*
 * sockets-unix.h - Unix-domain Sockets entries: SockPathName with its mode
 * and owner, and SecureSocketWithKey (internal to sockets.c).
 */
#ifndef BOOTSTRAPD_SOCKETS_UNIX_H
#define BOOTSTRAPD_SOCKETS_UNIX_H

#include <stddef.h>

#include "sockets.h"

struct job_socket;

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
