/* SPDX-License-Identifier: MIT */
/*
 * forward.h - a user domain asking the system domain for the names it
 * does not know (launchd: a per-user launchd forwards a look-up it cannot
 * resolve to PID 1).
 *
 * The daemon keeps one connection of its own to the system domain's
 * socket, sends it the look-up with a reply right of its own, and answers
 * the client when the system domain answers: the send right it got back,
 * or the system domain's error.  Nothing blocks: the client's reply right
 * waits in the forwarder meanwhile.
 */
#ifndef BOOTSTRAPD_FORWARD_H
#define BOOTSTRAPD_FORWARD_H

#include <stdint.h>

#include <mach/mach.h>

struct event_base;
struct forwarder;
struct ipc_request;

/** forwarder_new() - a forwarder to the socket at @path (connected on first use). */
struct forwarder *forwarder_new(struct event_base *base, const char *path);

/** forwarder_free() - answer every look-up still waiting (MIG_SERVER_DIED), free @f. */
void forwarder_free(struct forwarder *f);

/**
 * forwarder_look_up() - pass a look-up of @name to the parent domain and
 * answer @rq (whose reply right it takes) when it answers.
 * Return: MIG_NO_REPLY (the answer is the forwarder's), or the error to
 * reply now: BOOTSTRAP_UNKNOWN_SERVICE when the parent cannot be asked.
 */
kern_return_t forwarder_look_up(struct forwarder *f, struct ipc_request *rq, const char *name,
				uint64_t flags);

#endif
