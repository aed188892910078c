/* SPDX-License-Identifier: MIT */
/* unix-connect.h - a client connection to a Unix socket, for socket activation tests. */
#ifndef BOOTSTRAPD_TEST_UNIX_CONNECT_H
#define BOOTSTRAPD_TEST_UNIX_CONNECT_H

/**
 * test_connect_unix() - connect() a new socket of @type (SOCK_STREAM,
 * SOCK_DGRAM...) to the Unix socket at @path.
 * Return: the fd (close-on-exec), or -errno.
 */
int test_connect_unix(const char *path, int type);

#endif
