/* SPDX-License-Identifier: MIT */
/*
 * launch-proto.h - launch_activate_socket() on the wire.
 *
 * Shared by libbootstrap and bootstrapd.  Ids 900-999 are the launch
 * requests (replies id + 100, 1000-1099): clear of launchd's bootstrap
 * subsystem (400-4xx, replies 500-5xx) and of bsctl's control requests
 * (700-799, replies 800-899).
 *
 * LAUNCH_MSG_ACTIVATE_SOCKET: the request is a struct bootstrap_name_request
 * naming the socket, sent by the job on the bootstrap port it inherited,
 * with a send-once reply right.  The daemon knows the job by the sender's
 * kernel credentials.  A successful reply is complex: one port descriptor
 * (WIRE_PORT_SEND, one fd) per socket of that name, in the plist's order,
 * each fd a copy of the daemon's socket; then NDR and 0.  A refusal is a
 * mig_reply_error_t whose RetCode is an errno value: ENOENT (no socket of
 * that name in the job), ESRCH (the sender is not a job's process),
 * EALREADY (that process asked for that name before).
 */
#ifndef BOOTSTRAP_LAUNCH_PROTO_H
#define BOOTSTRAP_LAUNCH_PROTO_H

#include "bootstrap-proto.h"

#define LAUNCH_MSG_ACTIVATE_SOCKET  900

#endif
