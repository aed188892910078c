/* SPDX-License-Identifier: MIT */
/* bootstrap-port.h - finding bootstrapd (internal). */
#ifndef BOOTSTRAP_PORT_DISCOVERY_H
#define BOOTSTRAP_PORT_DISCOVERY_H

#include <stdbool.h>

#include <mach/mach.h>

/* bootstrap_port before its first use; index 0 is never a table entry. */
#define BOOTSTRAP_LAZY_NAME ((mach_port_name_t)0xb)

/**
 * bootstrap_port_inherited() - the send right a job inherited from
 * bootstrapd ($BOOTSTRAP_FD), named in the space, or MACH_PORT_NULL.
 */
mach_port_t bootstrap_port_inherited(void);

/**
 * bootstrap_port_resolve() - if *@port is BOOTSTRAP_LAZY_NAME, connect to
 * the daemon ($BOOTSTRAP_SOCKET, the user domain, then the system domain)
 * and replace it with the connection's name.
 * Return: KERN_SUCCESS, or MACH_SEND_INVALID_DEST when no daemon answers.
 */
kern_return_t bootstrap_port_resolve(mach_port_t *port);

/**
 * bootstrap_port_connect_fd() - a new connection to the domain listening
 * on @path (the socket, not yet a port name).  Return: the fd, or a
 * negative errno.
 */
int bootstrap_port_connect_fd(const char *path);

/**
 * bootstrap_port_retry() - after a request on *@port ended with @kr:
 * whether to send it again, on a new connection now in *@port (and in
 * bootstrap_port).  Only for bootstrap_port whose connection died (the
 * daemon restarted): a request that could not be sent
 * (MACH_SEND_INVALID_DEST), or with @idempotent one whose reply never came
 * (MIG_SERVER_DIED).
 */
bool bootstrap_port_retry(mach_port_t *port, kern_return_t kr, bool idempotent);

/** bootstrap_fork_child() - forget the calling thread's reply port and the parent's bootstrap connection in a forked child (bootstrap.c, task.c). */
void bootstrap_fork_child(void);

#endif
