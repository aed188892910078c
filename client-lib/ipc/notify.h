/* SPDX-License-Identifier: MIT */
/* notify.h - notification requests (internal; the call is mach_port_request_notification). */
#ifndef BOOTSTRAP_NOTIFY_H
#define BOOTSTRAP_NOTIFY_H

#include <mach/mach.h>

/* One mach_port_request_notification() call's arguments. */
struct notify_req {
	mach_port_name_t name;          /* the subject */
	mach_msg_id_t id;               /* MACH_NOTIFY_* */
	mach_port_mscount_t sync;
	mach_port_t notify;             /* MACH_PORT_NULL: cancel */
	mach_msg_type_name_t poly;
};

/**
 * notify_request() - ask for notification @rq->id about @rq->name, sent
 * through @rq->notify with disposition @rq->poly; *@previous is the
 * send-once right of the request it replaces (MACH_PORT_NULL: none).  Takes
 * the space lock.  Return: KERN_SUCCESS or the KERN_* code of
 * mach_port_request_notification(3).
 */
kern_return_t notify_request(const struct notify_req *rq, mach_port_t *previous);

#endif
