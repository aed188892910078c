/* SPDX-License-Identifier: MIT */
/* msg-recv.h - the receive half of mach_msg (internal). */
#ifndef BOOTSTRAP_MSG_RECV_H
#define BOOTSTRAP_MSG_RECV_H

#include <stdint.h>

#include <mach/message.h>

struct port;

/* msg_receive_conn(): the daemon asked for the request the ordinary way. */
#define MSG_RECV_RESEND ((mach_msg_return_t)2)

/**
 * msg_receive() - dequeue one message from the receive right or port set
 * @rcv_name into @msg (@rcv_size bytes, trailer included).
 * Return: MACH_MSG_SUCCESS or a MACH_RCV_* code.
 */
mach_msg_return_t msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			      mach_msg_timeout_t timeout);

/**
 * msg_receive_conn() - the answer to bootstrap call @seq, read from
 * connection @fd, into @msg as if it had come to receive right @p
 * (referenced by the caller): its sequence number, context and trailer.
 * Return: MACH_MSG_SUCCESS, a MACH_RCV_* code, or MSG_RECV_RESEND.
 */
mach_msg_return_t msg_receive_conn(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t rcv_size, struct port *p, int fd, uint16_t seq,
				   mach_msg_timeout_t timeout);

#endif
