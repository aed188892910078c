/* SPDX-License-Identifier: MIT */
/*
 * task.c - the task: its own name, its special ports and the
 * bootstrap_port global, and what fork() does to it.
 *
 * bootstrap_port holds BOOTSTRAP_LAZY_NAME until the first use, so that a
 * process that never talks to bootstrapd never connects to it; the
 * bootstrap calls, task_get_special_port() and mach_msg() resolve it.
 *
 * fork(): every handler of the library, in one place and in order.  The
 * space lock is taken first and the region lock nests inside it (OOL
 * memory is mapped under the space lock), so both are held across fork()
 * and no table or region is copied half-changed.  In the child, as on
 * macOS, only the special ports survive: every other right is closed, so
 * that the child cannot read a parent's queue or keep a parent's port
 * alive by accident; each region gets what its inheritance says; the
 * notification thread, idle send-once pairs and reply ports were the
 * parent's.  They live here, with mach_task_self_, which every caller of
 * the library references, so that a static link never leaves them out.
 */
#include <pthread.h>
#include <stdlib.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bootstrap-port.h"
#include "notifier.h"
#include "port.h"
#include "sopool.h"
#include "space.h"
#include "vm-region.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT mach_port_t mach_task_self_ = TASK_SELF_NAME;
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
	__atomic_store_n(&bootstrap_port, special_port, __ATOMIC_RELEASE);
	space_set_fork_keep(special_port);
	return KERN_SUCCESS;
}

static void task_fork_prepare(void)
{
	space_fork_prepare();
	vm_fork_prepare();
}

static void task_fork_parent(void)
{
	vm_fork_parent();
	space_fork_parent();
}

static void task_fork_child(void)
{
	vm_fork_child();
	space_fork_child();
	port_fork_child();      /* closes parked send-once pairs too */
	sopool_fork_child();
	notifier_fork_child();
	bootstrap_fork_child();
}

__attribute__((constructor)) static void task_fork_init(void)
{
	pthread_atfork(task_fork_prepare, task_fork_parent, task_fork_child);
}
