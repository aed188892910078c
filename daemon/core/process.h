/* SPDX-License-Identifier: MIT */
/*
 * process.h - what the kernel says of another process by its pid: when it
 * started.  With a pidfd taken first, the start time read after it tells
 * whether a pid still names the process it did (a later process given
 * that pid starts later).
 */
#ifndef BOOTSTRAPD_PROCESS_H
#define BOOTSTRAPD_PROCESS_H

#include <stdint.h>
#include <sys/types.h>

/**
 * process_start_time() - when @pid started (/proc/PID/stat, clock ticks
 * since boot), in *@start.
 * Return: 0, -ENOENT (no such process) or another negative errno.
 */
int process_start_time(pid_t pid, uint64_t *start);

/**
 * process_pidfd_pid() - the pid that pidfd @fd names (its "Pid:" line in
 * /proc/self/fdinfo), in *@pid: -1 once that process has exited.
 * Return: 0, -EBADF if @fd is no pidfd (no such line), or another
 * negative errno (no /proc).
 */
int process_pidfd_pid(int fd, pid_t *pid);

#endif
