/* SPDX-License-Identifier: MIT */
/* msg-rights.h - turning received fds into names (internal). */
#ifndef BOOTSTRAP_MSG_RIGHTS_H
#define BOOTSTRAP_MSG_RIGHTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "wire.h"

/**
 * rights_insert() - give the right a received descriptor carries a name in
 * the task's space.  Space lock held.  Takes @fds (d->nfds of them) in
 * every case: on failure they are closed.
 * Return: the name (MACH_PORT_NULL / MACH_PORT_DEAD for those kinds), or
 * MACH_PORT_NULL with *err set to a negative errno.
 */
mach_port_name_t rights_insert(const struct wire_desc *d, int *fds, int *err);

/**
 * rights_insert_chan_reply() - name the reply right of channel call @seq,
 * answered up a channel of receive right @rcv whose B has inode @ino: a
 * send-once right on @b, a copy of B (taken; port.so_chan).  Space lock
 * held.  Return: the name, or MACH_PORT_NULL (then the caller is told up
 * B that the right died, and @b is closed).
 */
struct port;
mach_port_name_t rights_insert_chan_reply(struct port *rcv, int b, ino_t ino, uint16_t seq);

/** rights_port_fd() - whether @fd is what a right travels as: a SEQPACKET socket. */
bool rights_port_fd(int fd);

/**
 * rights_check() - check that every fd of a validated datagram @buf is what
 * its descriptor says (a SEQPACKET socket for a right; a shrink-sealed
 * memfd at least as large as the window for memory), before anything is
 * named or mapped, so that a hostile sender can neither plant other files
 * nor make a later access fault.
 * @fds: the datagram's fds, reply right first (see wire.h).
 * @from_daemon: @buf is the daemon's answer on our bootstrap connection,
 * whose send rights may come with an identity it vouches for (WIRE_F_INO);
 * on any other message such a right is refused.
 * Return: 0 or -EBADMSG.
 */
int rights_check(const void *buf, const int *fds, bool from_daemon);

#endif
