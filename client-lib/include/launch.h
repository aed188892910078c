/* SPDX-License-Identifier: MIT */
/*
 * <launch.h> - a launchd job takes the sockets its plist declares.
 *
 * launch_activate_socket() is the one liblaunch call that macOS still
 * documents; the launch_data_t / launch_msg() interfaces it replaced are
 * not provided.
 */
#ifndef BOOTSTRAP_LAUNCH_H
#define BOOTSTRAP_LAUNCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * launch_activate_socket() - the sockets of one Sockets entry of the
 * calling job's plist, made by bootstrapd when the job was loaded.
 * @name: the key under Sockets.
 * @fds: out: a malloc'ed array of *@cnt file descriptors (close-on-exec),
 *       in the plist's order; the caller closes them and frees the array.
 * @cnt: out: how many (an entry may expand to several, e.g. an IPv4 and an
 *       IPv6 socket when SockFamily is not given).
 *
 * The request goes to bootstrapd over the bootstrap port the job inherited
 * ($BOOTSTRAP_FD); bootstrapd knows the caller by its kernel credentials.
 * Each call returns new descriptors for the same sockets.
 *
 * Return: 0 on success (*@fds and *@cnt set), or an errno value (*@fds and
 * *@cnt untouched):
 * ENOENT   the job has no socket of that name (an inetdCompatibility job
 *          has none: its connection or socket is its stdin);
 * ESRCH    the calling process is not a job's process (not started by
 *          bootstrapd, or a child of a job), or bootstrapd is gone;
 * EALREADY this process asked for @name before;
 * EINVAL   a NULL argument, or a name longer than 127 bytes;
 * EPERM    bootstrapd refused the request (not the domain's owner);
 * ENOMEM, EMFILE and other errors of the request itself.
 */
int launch_activate_socket(const char *name, int **fds, size_t *cnt);

#ifdef __cplusplus
}
#endif

#endif
