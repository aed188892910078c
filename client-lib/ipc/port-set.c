/* SPDX-License-Identifier: MIT */
/*
 * port-set.c - port sets: an epoll fd watching every member's receive
 * queues.  epoll data carries (member name << 32 | fd), so a receive on the
 * set knows which member and which of its queues is ready.
 */
#include "port.h"

#include <errno.h>
#include <sys/epoll.h>

#define EXPORT __attribute__((visibility("default")))

static int watch(int epfd, mach_port_name_t name, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ((uint64_t)name << 32) | (uint32_t)fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int port_set_add_member(struct port *set, struct port *p)
{
	/* R at end of file would always be ready: it is watched again once renewed. */
	int err = p->recv_eof ? 0 : watch(set->epfd, p->name, p->recv_fd);

	for (size_t i = 0; !err && i < p->n_so; i++)
		err = watch(set->epfd, p->name, p->so[i].fd);
	if (err) {
		epoll_ctl(set->epfd, EPOLL_CTL_DEL, p->recv_fd, NULL);
		for (size_t i = 0; i < p->n_so; i++)
			epoll_ctl(set->epfd, EPOLL_CTL_DEL, p->so[i].fd, NULL);
		return err;
	}
	p->pset = set->name;
	return 0;
}

void port_set_remove_member(struct port *p)
{
	struct port *set = p->pset ? space_get(p->pset) : NULL;

	if (set) {
		epoll_ctl(set->epfd, EPOLL_CTL_DEL, p->recv_fd, NULL);
		for (size_t i = 0; i < p->n_so; i++)
			epoll_ctl(set->epfd, EPOLL_CTL_DEL, p->so[i].fd, NULL);
	}
	p->pset = 0;
}

/* Space lock held.  @after == MACH_PORT_NULL takes @member out of its set. */
static kern_return_t move_member(mach_port_name_t member, mach_port_name_t after)
{
	struct port *p = space_get(member), *set = NULL;

	if (!p)
		return KERN_INVALID_NAME;
	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	if (after != MACH_PORT_NULL) {
		set = space_get(after);
		if (!set)
			return KERN_INVALID_NAME;
		if (!(set->type & MACH_PORT_TYPE_PORT_SET))
			return KERN_INVALID_RIGHT;
	}
	port_set_remove_member(p);
	if (set && port_set_add_member(set, p) < 0)
		return KERN_RESOURCE_SHORTAGE;
	return KERN_SUCCESS;
}

EXPORT kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
					   mach_port_name_t after)
{
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	space_lock();
	kr = move_member(member, after);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name,
					     mach_port_name_t pset)
{
	kern_return_t kr;
	struct port *p;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	space_lock();
	p = space_get(name);
	if (p && p->pset == pset)
		kr = KERN_ALREADY_IN_SET;
	else
		kr = pset == MACH_PORT_NULL ? KERN_INVALID_NAME : move_member(name, pset);
	space_unlock();
	return kr;
}

EXPORT kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name,
					      mach_port_name_t pset)
{
	kern_return_t kr;
	struct port *p;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	space_lock();
	p = space_get(name);
	if (!p || !space_get(pset))
		kr = KERN_INVALID_NAME;
	else if (p->pset != pset)
		kr = KERN_NOT_IN_SET;
	else
		kr = move_member(name, MACH_PORT_NULL);
	space_unlock();
	return kr;
}
