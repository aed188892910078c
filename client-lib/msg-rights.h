/* SPDX-License-Identifier: MIT */
/* msg-rights.h - turning received fds into names (internal). */
#ifndef BOOTSTRAP_MSG_RIGHTS_H
#define BOOTSTRAP_MSG_RIGHTS_H

#include <stddef.h>

#include "wire.h"

/**
 * rights_insert() - give the right a received descriptor carries a name in
 * the task's space.  Space lock held.  Takes @fds (d->nfds of them) in
 * every case: on failure they are closed.
 * Return: the name (MACH_PORT_NULL / MACH_PORT_DEAD for those kinds), or
 * MACH_PORT_NULL with *err set to a negative errno.
 */
mach_port_name_t rights_insert(const struct wire_desc *d, int *fds, int *err);

#endif
