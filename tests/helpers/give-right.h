/* SPDX-License-Identifier: MIT */
/* give-right.h - move a receive right to the holder of a name (tests' processes). */
#ifndef BOOTSTRAPD_TEST_GIVE_RIGHT_H
#define BOOTSTRAPD_TEST_GIVE_RIGHT_H

#include <mach/mach.h>

#pragma pack(push, 4)
/* The message: one port descriptor. */
struct right_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};
#pragma pack(pop)

/**
 * give_receive_right() - look @taker up and move the receive right @p to
 * it in a struct right_msg.  Return: the look-up's or the send's error.
 */
kern_return_t give_receive_right(mach_port_t p, const char *taker);

/**
 * make_registered_port() - a new port, with a send right, registered as
 * @name (also as the caller's per-PID @name with @per_pid), in *@p.
 */
kern_return_t make_registered_port(const char *name, bool per_pid, mach_port_t *p);

#endif
