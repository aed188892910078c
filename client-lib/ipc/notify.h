/* SPDX-License-Identifier: MIT */
/* notify.h - notification requests (internal; the call is mach_port_request_notification). */
#ifndef BOOTSTRAP_NOTIFY_H
#define BOOTSTRAP_NOTIFY_H

#include <mach/mach.h>

/**
 * notify_request() - ask for notification @id about @name, sent through
 * @notify with disposition @poly.  Takes the space lock.
 * Return: KERN_SUCCESS or the KERN_* code of mach_port_request_notification(3).
 */
kern_return_t notify_request(mach_port_name_t name, mach_msg_id_t id, mach_port_t notify,
			     mach_msg_type_name_t poly);

#endif
