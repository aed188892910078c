/* SPDX-License-Identifier: MIT */
/*
 * msg-conn.h - bootstrap calls answered on the bootstrap connection itself
 * (internal).
 *
 * The bootstrap port is a connected SOCK_SEQPACKET socket into which only
 * bootstrapd writes.  A call to it shaped as MIG makes one (SEND|RCV,
 * COPY_SEND of the connection, MAKE_SEND_ONCE of the receive right P then
 * read) travels with WIRE_BITS_ONCONN and a call number instead of a reply
 * right, and its answer is read from the connection and given to the
 * caller as if it had come to P.  Only the process that made the
 * connection reads answers from it (a forked child, a process given the
 * right, a job's children: the ordinary path), one call at a time (a
 * second thread: the ordinary path); an answer whose call gave up (timed
 * out) is dropped by the next call, by its number.
 */
#ifndef BOOTSTRAP_MSG_CONN_H
#define BOOTSTRAP_MSG_CONN_H

#include <stdbool.h>
#include <sys/uio.h>

#include <mach/message.h>

#include "msg-recv.h"
#include "wire.h"

/* msg_conn_call()'s answer when the call is to go the ordinary way: the
 * same as the daemon's asking for it (MSG_RECV_RESEND). */
#define MSG_CONN_ORDINARY MSG_RECV_RESEND

/**
 * msg_call_send_flags() - how a MIG-shaped call's request is sent on a
 * connection or into a channel's port: with MACH_SEND_TIMEOUT it never
 * waits (MSG_DONTWAIT), and a request that would have waited goes the
 * ordinary way instead, whose send honours the timeout.
 */
int msg_call_send_flags(mach_msg_option_t option);

/**
 * msg_call_shape() - whether mach_msg(@msg, @option, ...) is a MIG-shaped
 * call: a simple request of at most 4 KiB to a send right (COPY_SEND),
 * its reply right made from receive right @rcv_name, which the answer is
 * then read from (MAKE_SEND_ONCE).  Such a call may go without a reply
 * right: on the bootstrap connection, or down a channel (msg-chan.h).
 */
bool msg_call_shape(const mach_msg_header_t *msg, mach_msg_option_t option,
		    mach_msg_size_t send_size, mach_port_name_t rcv_name);

/**
 * msg_call_wire() - such a call's datagram, its number not set: header
 * @h (WIRE_BITS_ONCONN, the reply right's type in its bits) and body, as
 * @iov.
 */
void msg_call_wire(struct wire_hdr *h, struct iovec iov[2], const mach_msg_header_t *msg,
		   mach_msg_size_t send_size);

/**
 * msg_conn_own() - send right @name is a connection to bootstrapd that
 * this process has just made (@connected_here: by connect(), not
 * inherited from the daemon): answers may come on it.  It replaces any
 * connection owned before.
 */
void msg_conn_own(mach_port_name_t name, bool connected_here);

/** msg_conn_fork_child() - in a forked child: the parent's connection is not ours. */
void msg_conn_fork_child(void);

/**
 * msg_conn_call() - mach_msg(SEND|RCV) of @msg, MIG-shaped
 * (msg_call_shape()), answered on the bootstrap connection, received into
 * @rcv_msg.
 * Return: MSG_CONN_ORDINARY when nothing was sent (not ours, busy) or the daemon asked for the ordinary way: then the caller
 * sends @msg, unchanged, the ordinary way; else what mach_msg returns.
 */
mach_msg_return_t msg_conn_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				mach_msg_header_t *rcv_msg);

#endif
