/* SPDX-License-Identifier: MIT */
/*
 * mach-port-guard.c - a receive right's context and guard:
 * mach_port_construct/destruct, mach_port_guard/unguard,
 * mach_port_get/set_context, and the task's EXC_GUARD behaviour.  The
 * checks and their order are xnu's (osfmk/ipc/mach_port.c).  A guard
 * violation returns xnu's code; no EXC_GUARD exception is ever raised.
 */
#include <mach/mach.h>

#include "mach-port.h"
#include "port.h"

/* What task_set_exc_guard_behavior() stored; delivery itself is not done. */
static task_exc_guard_behavior_t exc_guard_behavior = TASK_EXC_GUARD_NONE;

/*
 * As xnu, flags other than these are accepted and have no effect here
 * (importance, tempowner, de-nap and service-port flags: see mach_port(3));
 * MPO_IMMOVABLE_RECEIVE counts only with MPO_CONTEXT_AS_GUARD, as xnu.
 */
static kern_return_t construct_options(struct port *p, const mach_port_options_t *o,
				       mach_port_context_t context)
{
	if (o->flags & MPO_QLIMIT)
		port_set_qlimit(p, o->mpl.mpl_qlimit);
	if (o->flags & MPO_CONTEXT_AS_GUARD)
		port_guard(p, context, o->flags & MPO_STRICT, o->flags & MPO_IMMOVABLE_RECEIVE);
	else
		port_set_context(p, context);
	return (o->flags & MPO_INSERT_SEND_RIGHT) ? port_make_send(p) : KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
					 mach_port_context_t context, mach_port_name_t *name)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!options || !name)
		return KERN_INVALID_ARGUMENT;
	if ((options->flags & MPO_QLIMIT) && options->mpl.mpl_qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	p = port_new_receive();
	if (!p)
		return KERN_RESOURCE_SHORTAGE;
	space_lock();
	kr = construct_options(p, options, context);
	if (kr == KERN_SUCCESS)
		kr = port_name(p) == MACH_PORT_NULL ? KERN_NO_SPACE : KERN_SUCCESS;
	if (kr == KERN_SUCCESS)
		*name = p->name;
	space_unlock();
	if (kr != KERN_SUCCESS)
		port_unref(p);
	return kr;
}

EXPORT kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
					mach_port_delta_t srdelta, mach_port_context_t guard)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	kr = mach_port_lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = port_destruct(p, srdelta, guard);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name,
				     mach_port_context_t guard, boolean_t strict)
{
	struct port *p;
	kern_return_t kr = mach_port_lookup_receive(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = port_guard(p, guard, strict, false);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard)
{
	struct port *p;
	kern_return_t kr = mach_port_lookup_receive(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = port_unguard(p, guard);
	space_unlock();
	return kr;
}

/* xnu answers KERN_INVALID_RIGHT, not KERN_INVALID_NAME, for NULL and DEAD here. */
static kern_return_t lookup_context(ipc_space_t task, mach_port_name_t name, struct port **p)
{
	if (task == mach_task_self() && !MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	return mach_port_lookup_receive(task, name, p);
}

EXPORT kern_return_t mach_port_get_context(ipc_space_t task, mach_port_name_t name,
					   mach_port_context_t *context)
{
	struct port *p;
	kern_return_t kr;

	if (!context)
		return KERN_INVALID_ARGUMENT;
	kr = lookup_context(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	/* A strict guard is not disclosed: it reads as 0. */
	*context = p->u.recv.strict_guard ? 0 : p->u.recv.context;
	space_unlock();
	return KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name,
					   mach_port_context_t context)
{
	struct port *p;
	kern_return_t kr = lookup_context(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = port_set_context(p, context);
	space_unlock();
	return kr;
}

EXPORT kern_return_t task_get_exc_guard_behavior(task_inspect_t task, task_exc_guard_behavior_t *behavior)
{
	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!behavior)
		return KERN_INVALID_ARGUMENT;
	*behavior = __atomic_load_n(&exc_guard_behavior, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}

EXPORT kern_return_t task_set_exc_guard_behavior(task_t task, task_exc_guard_behavior_t behavior)
{
	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (behavior & ~(task_exc_guard_behavior_t)TASK_EXC_GUARD_ALL)
		return KERN_INVALID_VALUE;
	__atomic_store_n(&exc_guard_behavior, behavior, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}
