/* SPDX-License-Identifier: MIT */
/*
 * msg-chan.h - a send right's channel, the client's side (internal).
 *
 * A port the daemon vouched for in its answer (a MachServices port it
 * holds) may take a channel (wire.h "Channels"): at the task's first
 * MIG-shaped call to it, the task makes a socketpair (A, B) and hands B
 * to the daemon, which offers it to the port's receiver.  From then on a
 * MIG-shaped call goes through S like any message, but with no reply
 * right: its answer comes up B to A, where the caller waits in recvmsg.
 * Nothing else changes: every other message goes through S as before, so
 * no order between them is at stake.  When the channel ends (end of file
 * on A: the port went), A goes and the task goes the ordinary way for 16
 * calls before it asks again.
 */
#ifndef BOOTSTRAP_MSG_CHAN_H
#define BOOTSTRAP_MSG_CHAN_H

#include <mach/message.h>

#include "msg-recv.h"

struct port;

/* msg_chan_call(): nothing sent; send @msg the ordinary way. */
#define MSG_CHAN_ORDINARY MSG_RECV_RESEND
/* msg_chan_call(): sent; its answer comes to the reply port the ordinary way. */
#define MSG_CHAN_RECEIVE MSG_RECV_ORDINARY

/**
 * msg_chan_call() - mach_msg(SEND|RCV) of @msg, MIG-shaped
 * (msg_call_shape()), to its destination, answered up the destination's
 * channel into @rcv_msg; the channel asked for first if the
 * destination may take one and has not asked yet.
 * Return: MSG_CHAN_ORDINARY (no channel, another call on
 * it), MSG_CHAN_RECEIVE (then *@timeout is what is left of it), or what
 * mach_msg returns.
 */
mach_msg_return_t msg_chan_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t *timeout,
				mach_msg_header_t *rcv_msg);

#endif
