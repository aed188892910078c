/* SPDX-License-Identifier: MIT */
/*
 * mach-port.c - the mach_port_* calls on the task's IPC space: argument
 * checks and look-ups over port-rights.c, port-set.c and notify.c.
 */
#include <bootstrap/linux.h>

#include "mach-port.h"
#include "notify.h"
#include "port.h"

static struct port *allocate_right(mach_port_right_t right, kern_return_t *kr)
{
	struct port *p = NULL;

	*kr = KERN_SUCCESS;
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		p = port_new_receive();
		break;
	case MACH_PORT_RIGHT_PORT_SET:
		p = port_new_set();
		break;
	case MACH_PORT_RIGHT_DEAD_NAME:
		p = port_new_dead_name();
		break;
	default:
		*kr = KERN_INVALID_VALUE;
		return NULL;
	}
	if (!p)
		*kr = KERN_RESOURCE_SHORTAGE;
	return p;
}

EXPORT kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
					mach_port_name_t *name)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!name)
		return KERN_INVALID_ARGUMENT;
	p = allocate_right(right, &kr);
	if (!p)
		return kr;
	*name = port_name_new(p);
	return *name == MACH_PORT_NULL ? KERN_NO_SPACE : KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
					     mach_port_name_t name)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	p = allocate_right(right, &kr);
	if (!p)
		return kr;
	space_lock();
	kr = port_name_at(p, name);
	space_unlock();
	if (kr != KERN_SUCCESS)
		port_unref(p);
	return kr;
}

kern_return_t mach_port_lookup(ipc_space_t task, mach_port_name_t name, struct port **out)
{
	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	space_lock();
	*out = space_get(name);
	if (!*out) {
		space_unlock();
		return KERN_INVALID_NAME;
	}
	return KERN_SUCCESS;
}

kern_return_t mach_port_lookup_receive(ipc_space_t task, mach_port_name_t name, struct port **out)
{
	kern_return_t kr = mach_port_lookup(task, name, out);

	if (kr == KERN_SUCCESS && !((*out)->type & MACH_PORT_TYPE_RECEIVE)) {
		space_unlock();
		kr = KERN_INVALID_RIGHT;
	}
	return kr;
}

/* xnu's ipc_object_insert_send_right(): MAKE_SEND or COPY_SEND onto the port's own name. */
static kern_return_t insert_send(struct port *p, mach_msg_type_name_t poly)
{
	port_check_dead(p);
	if (p->type & MACH_PORT_TYPE_DEAD_NAME)
		return KERN_INVALID_CAPABILITY;
	if (!(p->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND_ONCE)))
		return KERN_INVALID_RIGHT;
	if (poly == MACH_MSG_TYPE_MAKE_SEND)
		return port_make_send(p);
	return port_mod_urefs(p, MACH_PORT_TYPE_SEND, 1);
}

/*
 * Any other case: xnu copies the right in from @poly's entry (checks of
 * ipc_right_copyin(), as the trap asks them: a dead name goes as
 * MACH_PORT_DEAD), before anything is decided about @name.
 */
static kern_return_t insert_copyin(struct port *p, mach_msg_type_name_t disp)
{
	port_check_dead(p);
	if ((p->type & MACH_PORT_TYPE_DEAD_NAME) && port_right_needed(disp) &
	    (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE))
		return KERN_SUCCESS;
	if (!(p->type & port_right_needed(disp)))
		return KERN_INVALID_RIGHT;
	if (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE && port_send_once_in_flight(p))
		return KERN_INVALID_RIGHT;      /* a send took it: port_send_once_in_flight() */
	if (disp == MACH_MSG_TYPE_MOVE_RECEIVE && p->u.recv.immovable)
		return KERN_INVALID_CAPABILITY;
	return KERN_SUCCESS;
}

/* Whether @p's entry still names its port once @disp took its right out of it. */
static bool still_named(const struct port *p, mach_msg_type_name_t disp)
{
	if (disp == MACH_MSG_TYPE_MOVE_SEND)
		return (p->type & MACH_PORT_TYPE_RECEIVE) || p->urefs > 1;
	if (disp == MACH_MSG_TYPE_MOVE_RECEIVE)
		return p->type & MACH_PORT_TYPE_SEND;
	return true;    /* MAKE_SEND, COPY_SEND */
}

/*
 * Then xnu copies the right out under @name (mach_port_insert_right(),
 * ipc_object_copyout_name()).  One port has one name in a space, so a send
 * or receive right lands back under @poly's name (a no-op) or is refused; a
 * send-once right takes a free name.  *@kept: refused with nothing taken,
 * where xnu would rename the right (see mach_port(3) CAVEATS).
 */
static kern_return_t insert_copyout(struct port *p, mach_port_name_t name, mach_port_name_t poly,
				    mach_msg_type_name_t disp, bool *kept)
{
	bool in_use;
	kern_return_t kr;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_VALUE;
	if (p->type & MACH_PORT_TYPE_DEAD_NAME)
		return KERN_INVALID_CAPABILITY;         /* MACH_PORT_DEAD names nothing */
	if (name == poly && disp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return KERN_SUCCESS;    /* out of the name and back into it */
	kr = space_check_name(name, &in_use);
	if (kr != KERN_SUCCESS)
		return kr;
	if (disp == MACH_MSG_TYPE_MAKE_SEND_ONCE || disp == MACH_MSG_TYPE_MOVE_SEND_ONCE) {
		if (in_use)
			return KERN_NAME_EXISTS;
		if (disp == MACH_MSG_TYPE_MAKE_SEND_ONCE)
			return port_make_send_once_at(p, name);
		return port_move_send_once_to(p, name);
	}
	if (name == poly)
		return KERN_SUCCESS;
	if (still_named(p, disp))
		return KERN_RIGHT_EXISTS;
	if (in_use)
		return KERN_NAME_EXISTS;
	*kept = true;
	return KERN_RIGHT_EXISTS;
}

static kern_return_t insert_other(struct port *p, mach_port_name_t name, mach_port_name_t poly,
				  mach_msg_type_name_t disp)
{
	bool kept = false;
	kern_return_t kr = insert_copyin(p, disp);

	if (kr != KERN_SUCCESS)
		return kr;      /* nothing taken */
	kr = insert_copyout(p, name, poly, disp, &kept);
	/* Copied in and not copied out: destroyed, as xnu's trap does (and its
	 * MIG request message with it, the same way). */
	if (kr != KERN_SUCCESS && !kept)
		port_destroy_taken(p, disp);
	return kr;
}

EXPORT kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
					    mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (polyPoly < MACH_MSG_TYPE_MOVE_RECEIVE || polyPoly > MACH_MSG_TYPE_MAKE_SEND_ONCE)
		return KERN_INVALID_VALUE;
	kr = mach_port_lookup(task, poly, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	if (name == poly && (polyPoly == MACH_MSG_TYPE_MAKE_SEND || polyPoly == MACH_MSG_TYPE_COPY_SEND))
		kr = insert_send(p, polyPoly);
	else
		kr = insert_other(p, name, poly, polyPoly);
	space_unlock();
	return kr;
}

/*
 * The order of the checks is xnu's ipc_right_delta(): a missing right is
 * KERN_INVALID_RIGHT whatever the delta; single rights take 0 or -1 only.
 */
static kern_return_t mod_refs(struct port *p, mach_port_right_t right, mach_port_delta_t delta)
{
	if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME) {
		mach_port_type_t kind = MACH_PORT_TYPE(right);

		return port_mod_urefs(p, kind, delta);
	}
	if (!(p->type & MACH_PORT_TYPE(right)))
		return KERN_INVALID_RIGHT;      /* LABELH included: nobody holds one */
	if (delta == 0)
		return KERN_SUCCESS;
	if (delta != -1)
		return KERN_INVALID_VALUE;
	if (right == MACH_PORT_RIGHT_RECEIVE && p->u.recv.guarded)
		return KERN_INVALID_RIGHT;      /* xnu: kGUARD_EXC_DESTROY */
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		return port_destroy_receive(p);
	case MACH_PORT_RIGHT_SEND_ONCE:
		return port_drop_send_once(p);
	default:
		return port_destroy_set(p);
	}
}

EXPORT kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
					mach_port_right_t right, mach_port_delta_t delta)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	/* As xnu: dropping a send(-once) right on MACH_PORT_NULL/DEAD is a no-op. */
	if (!MACH_PORT_VALID(name))
		return right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_SEND_ONCE ?
			KERN_SUCCESS : KERN_INVALID_NAME;
	kr = mach_port_lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	port_check_dead(p);
	kr = mod_refs(p, right, delta);
	space_unlock();
	return kr;
}

/*
 * Apply @release to @name's entry, space lock held.  As xnu, MACH_PORT_NULL
 * and MACH_PORT_DEAD hold nothing to release: KERN_SUCCESS.
 */
static kern_return_t release_name(ipc_space_t task, mach_port_name_t name,
				  kern_return_t (*release)(struct port *))
{
	struct port *p;
	kern_return_t kr;

	if (task == mach_task_self() && !MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	kr = mach_port_lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = release(p);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return release_name(task, name, port_deallocate);
}

EXPORT kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return release_name(task, name, port_destroy);
}

static mach_port_urefs_t refs_of(const struct port *p, mach_port_right_t right)
{
	switch (right) {
	case MACH_PORT_RIGHT_SEND:
		return (p->type & MACH_PORT_TYPE_SEND) ? p->urefs : 0;
	case MACH_PORT_RIGHT_DEAD_NAME:
		return (p->type & MACH_PORT_TYPE_DEAD_NAME) ? p->urefs : 0;
	default:
		return (p->type & MACH_PORT_TYPE(right)) ? 1 : 0;
	}
}

EXPORT kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
					mach_port_right_t right, mach_port_urefs_t *refs)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER || !refs)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name)) {
		/* As xnu: MACH_PORT_NULL and MACH_PORT_DEAD stand for one send(-once) right. */
		if (right != MACH_PORT_RIGHT_SEND && right != MACH_PORT_RIGHT_SEND_ONCE)
			return KERN_INVALID_NAME;
		*refs = 1;
		return KERN_SUCCESS;
	}
	kr = mach_port_lookup(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	port_check_dead(p);
	*refs = refs_of(p, right);
	space_unlock();
	return KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	struct port *p;
	kern_return_t kr;

	if (!ptype)
		return KERN_INVALID_ARGUMENT;
	if (task == mach_task_self() && name == MACH_PORT_DEAD) {
		*ptype = MACH_PORT_TYPE_DEAD_NAME;      /* as xnu */
		return KERN_SUCCESS;
	}
	kr = mach_port_lookup(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	port_check_dead(p);
	*ptype = port_type(p);
	space_unlock();
	return KERN_SUCCESS;
}

EXPORT kern_return_t bootstrap_port_get_fd(mach_port_name_t name, int *fd)
{
	struct port *p;
	kern_return_t kr = mach_port_lookup(mach_task_self(), name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	if (p->type & MACH_PORT_TYPE_RECEIVE) {
		/* Not R alone: replies and notifications arrive on send-once queues. */
		*fd = port_rcv_epoll(p);
		if (*fd < 0)
			kr = KERN_RESOURCE_SHORTAGE;
	} else if (p->type & MACH_PORT_TYPE_PORT_SET)
		*fd = port_set_epfd(p);
	else
		kr = KERN_INVALID_RIGHT;
	space_unlock();
	return kr;
}

/* Run @op (port-set.c) on @name and @set under the space lock. */
static kern_return_t locked(ipc_space_t task, mach_port_name_t name, mach_port_name_t set,
			    kern_return_t (*op)(mach_port_name_t, mach_port_name_t))
{
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	space_lock();
	kr = op(name, set);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
					   mach_port_name_t after)
{
	return locked(task, member, after, port_set_move);
}

EXPORT kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
					     mach_port_name_t pset)
{
	return locked(task, name, pset, port_set_insert);
}

EXPORT kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
					      mach_port_name_t pset)
{
	return locked(task, name, pset, port_set_extract);
}

EXPORT kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
						    mach_msg_id_t msgid, mach_port_mscount_t sync,
						    mach_port_t notify, mach_msg_type_name_t notifyPoly,
						    mach_port_t *previous)
{
	struct notify_req rq = { name, msgid, sync, notify, notifyPoly };
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (notify == MACH_PORT_DEAD)
		return KERN_INVALID_CAPABILITY;
	kr = notify_request(&rq, &prev);
	if (previous && kr == KERN_SUCCESS)
		*previous = prev;       /* as a MIG reply: untouched on failure */
	else if (prev != MACH_PORT_NULL)
		mach_port_deallocate(task, prev);
	return kr;
}
