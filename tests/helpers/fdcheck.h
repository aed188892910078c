/* SPDX-License-Identifier: MIT */
/* fdcheck.h - count the process's open fds, for leak checks in tests. */
#ifndef BOOTSTRAPD_TEST_FDCHECK_H
#define BOOTSTRAPD_TEST_FDCHECK_H

#include <sys/types.h>

/**
 * fdcheck_count() - number of entries in /proc/self/fd, excluding the
 * directory fd used to read it.  Return: the count, or -1 on error.
 */
int fdcheck_count(void);

/**
 * fdcheck_dump() - print the open fds and their targets to stderr, to
 * explain a failed leak check.
 */
void fdcheck_dump(void);

/** fdcheck_lowest_free() - the lowest fd number process @pid does not hold (every fd below is open). */
int fdcheck_lowest_free(pid_t pid);

#endif
