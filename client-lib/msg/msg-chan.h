/* SPDX-License-Identifier: MIT */
/*
 * msg-chan.h - a send right's channel, the client's side (internal).
 *
 * A port the daemon vouched for in its answer (a MachServices port it
 * holds) may take a channel (wire.h "Channels"): at the task's first
 * MIG-shaped call to it, the task asks the daemon once; the daemon writes
 * the OFFER into the port's queue and answers A.  From then on every
 * message the task sends to the port goes down A, in order, numbered; a
 * MIG-shaped call goes with no reply right and is answered up the channel.
 * The receiver adds B when it reads the OFFER, after everything the task
 * sent before it, so no message overtakes another: the task asks only
 * while no message is being sent to the port, and while the ask is out
 * other sends to it wait.  When the channel takes no more (the job went:
 * EPIPE, RETIRED, end of file), A goes and the task goes through S for 16
 * calls before it asks again.
 */
#ifndef BOOTSTRAP_MSG_CHAN_H
#define BOOTSTRAP_MSG_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <sys/uio.h>

#include <mach/message.h>

#include "msg-recv.h"
#include "wire.h"

struct port;

/* msg_chan_call(): nothing sent; send @msg the ordinary way. */
#define MSG_CHAN_ORDINARY MSG_RECV_RESEND
/* msg_chan_call(): sent; its answer comes to the reply port the ordinary way. */
#define MSG_CHAN_RECEIVE MSG_RECV_ORDINARY

/**
 * msg_chan_call() - mach_msg(SEND|RCV) of @msg down the channel of its
 * destination, received into @rcv_msg; the channel asked for first if the
 * destination may take one and has not asked yet.
 * Return: MSG_CHAN_ORDINARY (not that shape, no channel, another call on
 * it), MSG_CHAN_RECEIVE (then *@timeout is what is left of it), or what
 * mach_msg returns.
 */
mach_msg_return_t msg_chan_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t *timeout,
				mach_msg_header_t *rcv_msg);

/**
 * msg_chan_wait_ask() - while send right @p's ask is out, wait: a message
 * sent meanwhile could land after the OFFER and be overtaken.  A timed
 * send waits until its monotonic @deadline at most (NULL: for ever), then
 * *@timed_out.  Space lock held (released while waiting).
 * Return: what @name names once the ask is over, or NULL if nothing (or
 * the wait timed out).
 */
struct port *msg_chan_wait_ask(struct port *p, mach_port_name_t name,
			       const struct timespec *deadline, bool *timed_out);

/**
 * msg_chan_send() - send datagram @iov (header @h, first) with @fds down
 * @p's A @fd, numbered in order with whatever else goes down it.
 * Return: fdpass_send()'s.
 */
int msg_chan_send(struct port *p, int fd, struct wire_hdr *h, const struct iovec *iov, int niov,
		  const int *fds, size_t nfds, int flags);

/**
 * msg_chan_gone() - @p's channel @fd (its A, pinned by the caller) takes
 * no more: A goes, S is used until the next ask.  Space lock held.
 */
void msg_chan_gone(struct port *p, int fd);

#endif
