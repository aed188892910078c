/* SPDX-License-Identifier: MIT */
/*
 * mach-port-attr.c - what a space and its receive rights tell about
 * themselves: mach_port_names, mach_port_get_attributes,
 * mach_port_set_attributes and mach_port_set_seqno, with xnu's checks in
 * xnu's order.
 */
#include <mach/mach.h>

#include "mach-port.h"
#include "notifier.h"
#include "port.h"

/* How many names the table holds.  Space lock held. */
static size_t count_names(void)
{
	size_t n = 0;

	for (size_t i = 0; space_next(&i);)
		n++;
	return n;
}

/* Fill up to @room names and types; return how many the table holds.  Space lock held. */
static size_t fill_names(mach_port_name_t *names, mach_port_type_t *types, size_t room)
{
	struct port *p;
	size_t n = 0;

	for (size_t i = 0; (p = space_next(&i)); n++) {
		port_check_dead(p);
		if (n < room) {
			names[n] = p->name;
			types[n] = port_type(p);
		}
	}
	return n;
}

static kern_return_t names_alloc(size_t n, mach_port_name_t **names, mach_port_type_t **types)
{
	vm_address_t a = 0, b = 0;
	vm_size_t size = (n ? n : 1) * sizeof(natural_t);

	if (vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	if (vm_allocate(mach_task_self(), &b, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS) {
		vm_deallocate(mach_task_self(), a, size);
		return KERN_RESOURCE_SHORTAGE;
	}
	*names = (mach_port_name_t *)a;
	*types = (mach_port_type_t *)b;
	return KERN_SUCCESS;
}

/* The arrays are the caller's, to vm_deallocate() as on macOS. */
EXPORT kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
				     mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
				     mach_msg_type_number_t *typesCnt)
{
	size_t room, n;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!names || !namesCnt || !types || !typesCnt)
		return KERN_INVALID_ARGUMENT;
	for (;;) {
		space_lock();
		room = count_names() + 8;
		space_unlock();
		kr = names_alloc(room, names, types);
		if (kr != KERN_SUCCESS)
			return kr;
		space_lock();
		n = fill_names(*names, *types, room);
		space_unlock();
		if (n <= room)
			break;
		vm_deallocate(mach_task_self(), (vm_address_t)*names, room * sizeof(natural_t));
		vm_deallocate(mach_task_self(), (vm_address_t)*types, room * sizeof(natural_t));
	}
	*namesCnt = *typesCnt = (mach_msg_type_number_t)n;
	return KERN_SUCCESS;
}

static void receive_status(struct port *p, mach_port_status_t *st)
{
	const struct port_recv *rv = &p->u.recv;

	*st = (mach_port_status_t){
		.mps_pset = rv->pset != MACH_PORT_NULL,
		.mps_seqno = rv->seqno,         /* the next message's, as its trailer will say */
		.mps_qlimit = rv->qlimit,
		.mps_msgcount = port_msgcount(p),
		.mps_srights = p->send_fd >= 0 || (p->type & MACH_PORT_TYPE_SEND),
		.mps_nsrequest = rv->ns_armed,
		.mps_pdrequest = rv->pd_fd >= 0,
	};
	for (size_t i = 0; i < rv->n_so; i++)
		st->mps_sorights += rv->so[i].parked_s < 0;
	if (rv->guarded)
		st->mps_flags |= MACH_PORT_STATUS_FLAG_GUARDED |
			(rv->strict_guard ? MACH_PORT_STATUS_FLAG_STRICT_GUARD : 0) |
			(rv->immovable ? MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE : 0);
}

static kern_return_t get_receive(ipc_space_t task, mach_port_name_t name, int flavor,
				 mach_port_info_t info)
{
	struct port *p;
	kern_return_t kr = mach_port_lookup_receive(task, name, &p);

	if (kr != KERN_SUCCESS)
		return kr;
	if (flavor == MACH_PORT_LIMITS_INFO)
		((mach_port_limits_t *)info)->mpl_qlimit = p->u.recv.qlimit;
	else if (flavor == MACH_PORT_RECEIVE_STATUS)
		receive_status(p, (mach_port_status_t *)info);
	else
		*info = p->watched ? 1 : 0;     /* requests are not kept in a table */
	space_unlock();
	return KERN_SUCCESS;
}

static natural_t flavor_count(int flavor)
{
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO:
		return MACH_PORT_LIMITS_INFO_COUNT;
	case MACH_PORT_RECEIVE_STATUS:
		return MACH_PORT_RECEIVE_STATUS_COUNT;
	case MACH_PORT_DNREQUESTS_SIZE:
		return MACH_PORT_DNREQUESTS_SIZE_COUNT;
	default:
		return 0;
	}
}

EXPORT kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
					      mach_port_flavor_t flavor, mach_port_info_t info,
					      mach_msg_type_number_t *count)
{
	natural_t need = flavor_count(flavor);
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (need == 0)
		return KERN_INVALID_ARGUMENT;
	if (!info || !count || *count < need)
		return KERN_FAILURE;
	if (!MACH_PORT_VALID(name)) {
		/* xnu: the defaults for NULL and DEAD, except the status of no port. */
		if (flavor == MACH_PORT_RECEIVE_STATUS)
			return KERN_INVALID_RIGHT;
		*info = flavor == MACH_PORT_LIMITS_INFO ? MACH_PORT_QLIMIT_DEFAULT : 0;
		*count = need;
		return KERN_SUCCESS;
	}
	kr = get_receive(task, name, flavor, info);
	if (kr == KERN_SUCCESS)
		*count = need;
	return kr;
}

EXPORT kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
					      mach_port_flavor_t flavor, mach_port_info_t info,
					      mach_msg_type_number_t count)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (flavor != MACH_PORT_LIMITS_INFO && flavor != MACH_PORT_DNREQUESTS_SIZE)
		return KERN_INVALID_ARGUMENT;
	if (!info || count < flavor_count(flavor))
		return KERN_FAILURE;
	if (flavor == MACH_PORT_LIMITS_INFO &&
	    ((const mach_port_limits_t *)info)->mpl_qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	kr = mach_port_lookup_receive(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	/* DNREQUESTS_SIZE: requests are not kept in a table, nothing to size. */
	if (flavor == MACH_PORT_LIMITS_INFO)
		port_set_qlimit(p, ((const mach_port_limits_t *)info)->mpl_qlimit);
	space_unlock();
	return KERN_SUCCESS;
}

/* As xnu: the next message dequeued from receive right @name has sequence number @seqno. */
EXPORT kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
					 mach_port_seqno_t seqno)
{
	struct port *p;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_RIGHT;
	kr = mach_port_lookup_receive(task, name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	port_set_seqno(p, seqno);
	space_unlock();
	return KERN_SUCCESS;
}
