/* SPDX-License-Identifier: MIT */
/*
 * task.c - the task's special ports and the bootstrap_port global.
 *
 * bootstrap_port holds BOOTSTRAP_LAZY_NAME until the first use, so that a
 * process that never talks to bootstrapd never connects to it; the
 * bootstrap calls, task_get_special_port() and mach_msg() resolve it.
 */
#include <stdlib.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bootstrap-port.h"
#include "port.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT mach_port_t bootstrap_port = MACH_PORT_NULL;

__attribute__((constructor)) static void bootstrap_port_init(void)
{
	bootstrap_port = bootstrap_port_inherited();
	if (bootstrap_port == MACH_PORT_NULL)
		bootstrap_port = BOOTSTRAP_LAZY_NAME;
}

EXPORT kern_return_t task_get_special_port(task_inspect_t task, int which_port,
					   mach_port_t *special_port)
{
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_ARGUMENT;
	if (which_port != TASK_BOOTSTRAP_PORT || !special_port)
		return KERN_INVALID_ARGUMENT;
	kr = bootstrap_port_resolve(&bootstrap_port);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_mod_refs(mach_task_self(), bootstrap_port, MACH_PORT_RIGHT_SEND, 1);
	if (kr == KERN_SUCCESS)
		*special_port = bootstrap_port;
	return kr;
}

EXPORT kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	if (task != mach_task_self() || which_port != TASK_BOOTSTRAP_PORT)
		return KERN_INVALID_ARGUMENT;
	if (special_port != MACH_PORT_NULL &&
	    mach_port_mod_refs(mach_task_self(), special_port, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS)
		return KERN_INVALID_RIGHT;
	bootstrap_port = special_port;
	space_set_fork_keep(special_port);
	return KERN_SUCCESS;
}
