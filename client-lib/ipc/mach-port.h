/* SPDX-License-Identifier: MIT */
/*
 * mach-port.h - the look-ups the mach_port_* calls share (mach-port.c,
 * mach-port-attr.c, mach-port-guard.c; internal).
 */
#ifndef BOOTSTRAP_MACH_PORT_H
#define BOOTSTRAP_MACH_PORT_H

#include <mach/mach.h>

#include "port.h"

#define EXPORT __attribute__((visibility("default")))

/**
 * mach_port_lookup() - @name's entry for a call on @task.  Return:
 * KERN_SUCCESS with the space lock held, KERN_INVALID_TASK or
 * KERN_INVALID_NAME.
 */
kern_return_t mach_port_lookup(ipc_space_t task, mach_port_name_t name, struct port **out);

/**
 * mach_port_lookup_receive() - as xnu's ipc_port_translate_receive():
 * @name must hold a receive right (KERN_INVALID_RIGHT otherwise).  Space
 * lock held on success.
 */
kern_return_t mach_port_lookup_receive(ipc_space_t task, mach_port_name_t name, struct port **out);

#endif
