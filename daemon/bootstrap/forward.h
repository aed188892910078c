/* SPDX-License-Identifier: MIT */
/*
 * forward.h - a user domain asking the system domain for the names it
 * does not know.
 *
 * As launchd's per-user launchd forwards a look-up it cannot resolve to
 * PID 1 and answers MIG_NO_REPLY: the daemon passes the request, with the
 * client's own send-once reply right, on a connection of its own to the
 * system domain's socket, which answers the client directly (its send
 * right, or its error, from a sender whose credentials are the system
 * domain's).  Nothing waits in the user domain.
 */
#ifndef BOOTSTRAPD_FORWARD_H
#define BOOTSTRAPD_FORWARD_H

#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

struct forwarder;
struct ipc_request;

/** forwarder_new() - a forwarder to the socket at @path (connected on first use). */
struct forwarder *forwarder_new(const char *path);

void forwarder_free(struct forwarder *f);

/**
 * forwarder_look_up() - pass a look-up of @name (@target_pid, @flags, as
 * asked) to the parent domain, with @rq's reply right (taken on success).
 * Return: MIG_NO_REPLY (the parent answers), or the error to reply now:
 * BOOTSTRAP_UNKNOWN_SERVICE when the parent cannot be asked.
 */
kern_return_t forwarder_look_up(struct forwarder *f, struct ipc_request *rq, const char *name,
				pid_t target_pid, uint64_t flags);

#endif
