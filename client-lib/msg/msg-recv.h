/* SPDX-License-Identifier: MIT */
/* msg-recv.h - the receive half of mach_msg (internal). */
#ifndef BOOTSTRAP_MSG_RECV_H
#define BOOTSTRAP_MSG_RECV_H

#include <mach/message.h>

/**
 * msg_receive() - dequeue one message from the receive right or port set
 * @rcv_name into @msg (@rcv_size bytes, trailer included).
 * Return: MACH_MSG_SUCCESS or a MACH_RCV_* code.
 */
mach_msg_return_t msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			      mach_msg_timeout_t timeout);

#endif
