/* SPDX-License-Identifier: MIT */
/* control.h - bsctl's requests (list, load, unload, start, stop, ...). */
#ifndef BOOTSTRAPD_CONTROL_H
#define BOOTSTRAPD_CONTROL_H

#include <stdbool.h>
#include <mach/mach.h>

struct conn;
struct ipc_request;

/** control_owns() - whether @id is a control request. */
bool control_owns(mach_msg_id_t id);

/** control_dispatch() - check the caller's authority, answer the request. */
void control_dispatch(struct conn *c, struct ipc_request *rq);

#endif
