/* SPDX-License-Identifier: MIT */
/*
 * bootstrap-proto.h - where bootstrapd listens, and the ids of its
 * requests.
 *
 * Shared by libbootstrap, bootstrapd and bsctl.  The requests and replies
 * themselves are generated from bootstrap.defs (bsmig): launchd's ids
 * (subsystem job 400: check_in2 402, register2 403, look_up2 404; replies
 * id + 100), so that a traced conversation reads like launchd's.  The ids
 * here are for the tests and tools that speak the wire by hand.
 */
#ifndef BOOTSTRAP_PROTO_H
#define BOOTSTRAP_PROTO_H

#include <mach/mach.h>
#include <servers/bootstrap.h>

#define BOOTSTRAP_MSG_CHECK_IN      402
#define BOOTSTRAP_MSG_REGISTER      403
#define BOOTSTRAP_MSG_LOOK_UP       404
#define BOOTSTRAP_MSG_REPLY_OFFSET  100

/* Default rendezvous, relative to $XDG_RUNTIME_DIR (user) or absolute (system). */
#define BOOTSTRAP_USER_SOCKET       "bootstrapd/socket"
#define BOOTSTRAP_SYSTEM_SOCKET     "/run/bootstrapd/socket"
/* The user domain's socket when XDG_RUNTIME_DIR is not set (%d: the uid). */
#define BOOTSTRAP_USER_SOCKET_FALLBACK "/tmp/bootstrapd-%d/socket"

#endif
