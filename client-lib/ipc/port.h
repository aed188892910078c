/* SPDX-License-Identifier: MIT */
/* port.h - making and converting the fds behind rights (internal). */
#ifndef BOOTSTRAP_PORT_INTERNAL_H
#define BOOTSTRAP_PORT_INTERNAL_H

#include "space.h"

/* The name of the task's own IPC space; index 0 is never a table entry. */
#define TASK_SELF_NAME ((mach_port_name_t)0x7)

/**
 * port_socketpair() - a fresh port: *r (receive end, SO_PASSCRED set so
 * that every message carries its sender's credentials) and *s.
 * Return: 0 or a negative errno.
 */
int port_socketpair(int *r, int *s);

/** port_is_dead_send() - whether a send end's receiver has gone. */
bool port_is_dead_send(int fd);

/**
 * port_make_send_fd() - the receiver's S for MAKE_SEND, recreating the
 * port if it had reached no-senders.  Space lock held.
 * Return: the fd (still owned by @p), or a negative errno.
 */
int port_make_send_fd(struct port *p);

/** port_set_add_member() - put receive right @p in port set @set.  Space lock held. */
int port_set_add_member(struct port *set, struct port *p);

/** port_set_remove_member() - take @p out of its set, if any.  Space lock held. */
void port_set_remove_member(struct port *p);

/**
 * port_to_dead_name() - turn the send or send-once right of @p, whose port
 * died, into a dead name (send references become dead-name references).
 * Space lock held.
 */
void port_to_dead_name(struct port *p);

/** port_check_dead() - port_to_dead_name() if @p's port has died.  Space lock held. */
void port_check_dead(struct port *p);

#endif
