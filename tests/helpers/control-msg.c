/* SPDX-License-Identifier: MIT */
#include "control-msg.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "control-proto.h"

void control_send(mach_port_t to, mach_msg_id_t id, const char *label, uint32_t flags,
		  mach_port_t reply)
{
	struct {
		mach_msg_header_t head;
		struct control_request body;
	} m;

	memset(&m, 0, sizeof(m));
	m.body.ndr = NDR_record;
	m.body.flags = flags;
	snprintf(m.body.arg, sizeof(m.body.arg), "%s", label);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = to;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = id;
	ck_assert_int_eq(mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
				  MACH_PORT_NULL, 10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
}

kern_return_t control_answer(mach_msg_id_t id, mach_port_t reply)
{
	union {
		mig_reply_error_t error;
		char buf[sizeof(mig_reply_error_t) + 8192 + MAX_TRAILER_SIZE];
	} u;

	ck_assert_int_eq(mach_msg(&u.error.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), reply,
				  15000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(u.error.Head.msgh_id, id + 100);
	mach_msg_destroy(&u.error.Head);
	return u.error.RetCode;
}
