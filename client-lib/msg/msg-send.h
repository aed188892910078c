/* SPDX-License-Identifier: MIT */
/* msg-send.h - the send half of mach_msg (internal). */
#ifndef BOOTSTRAP_MSG_SEND_H
#define BOOTSTRAP_MSG_SEND_H

#include <mach/message.h>

/**
 * msg_send() - translate @msg (@send_size bytes) into one datagram and
 * send it to msgh_remote_port.  Rights named in the message are consumed
 * only once the datagram is queued; on any error they stay with the caller.
 * Return: MACH_MSG_SUCCESS or a MACH_SEND_* code.
 */
mach_msg_return_t msg_send(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_timeout_t timeout);

/** msg_disposition_received() - the form a sent disposition arrives in. */
mach_msg_type_name_t msg_disposition_received(mach_msg_type_name_t disp);

#endif
