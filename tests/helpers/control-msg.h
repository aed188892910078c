/* SPDX-License-Identifier: MIT */
/*
 * control-msg.h - bsctl's requests sent by a test itself, as raw Mach
 * messages (daemon/control/control-proto.h), so that several can be
 * queued before the daemon reads the first.
 */
#ifndef BOOTSTRAPD_TEST_CONTROL_MSG_H
#define BOOTSTRAPD_TEST_CONTROL_MSG_H

#include <stdint.h>

#include <mach/mach.h>

/**
 * control_send() - control request @id for @label (@flags: CONTROL_F_*)
 * to the daemon behind @to, sent without waiting; its answer comes to
 * @reply.  Fails the test if it cannot be sent.
 */
void control_send(mach_port_t to, mach_msg_id_t id, const char *label, uint32_t flags,
		  mach_port_t reply);

/** control_answer() - the return code of the answer to request @id, waited for on @reply. */
kern_return_t control_answer(mach_msg_id_t id, mach_port_t reply);

#endif
