/* SPDX-License-Identifier: MIT */
/* msg-descs.h - a received message's descriptors in the user's layout (internal). */
#ifndef BOOTSTRAP_MSG_DESCS_H
#define BOOTSTRAP_MSG_DESCS_H

#include <stddef.h>

#include <mach/message.h>
#include <mach/port.h>

/* What the receiver asked: its options, and where its buffer is. */
struct descs_rcv {
	mach_msg_option_t option;       /* MACH_RCV_GUARDED_DESC */
	mach_port_context_t addr;       /* the receive buffer: an IMMOVABLE_RECEIVE right's guard */
};

/**
 * descs_copyout() - write the body count and descriptors of validated,
 * checked datagram @buf at @out: rights named (rights_insert()), memory
 * mapped, port arrays in new vm_allocate'd memory.  Space lock held.
 * Takes every descriptor fd (@fds is the datagram's, reply right first).
 * @rcv: the receiver's options and buffer.
 * Return: the bytes written.
 */
size_t descs_copyout(char *out, const char *buf, int *fds, const struct descs_rcv *rcv);

#endif
