/* SPDX-License-Identifier: MIT */
/*
 * registrant.h - a plain process that registers a name and gives the
 * port's receive right away, so that the port outlives it: whether the
 * name goes with the process or with the port can then be told apart.
 */
#ifndef BOOTSTRAPD_TEST_REGISTRANT_H
#define BOOTSTRAPD_TEST_REGISTRANT_H

#include <sys/types.h>

#include <mach/mach.h>

/**
 * registrant_start() - fork a child that registers a new port as @name,
 * plainly and as its per-PID name, then moves the port's receive right in
 * a message to the name @taker (which the caller checked in), and exits
 * once *@go is closed.  Return: its pid; fails the test if it could not.
 */
pid_t registrant_start(const char *name, const char *taker, int *go);

/** registrant_take() - receive the right on @taker (within 10 s): its name here. */
mach_port_t registrant_take(mach_port_t taker);

/** registrant_end() - close @go and reap @child, which must have succeeded. */
void registrant_end(pid_t child, int go);

/**
 * look_up_until_gone() - look @name up (bootstrap_look_up2() with @pid and
 * @flags) until it fails, for up to 5 s.  Return: the last answer.
 */
kern_return_t look_up_until_gone(const char *name, pid_t pid, uint64_t flags);

#endif
