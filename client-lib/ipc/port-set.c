/* SPDX-License-Identifier: MIT */
/*
 * port-set.c - port sets: an epoll fd watching every member's receive
 * queues, and moving receive rights in and out of sets.  epoll data carries (member name << 32 | fd), so a receive on the
 * set knows which member and which of its queues is ready.
 */
#include "port.h"

#include <errno.h>
#include <sys/epoll.h>

static int watch(int epfd, mach_port_name_t name, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ((uint64_t)name << 32) | (uint32_t)fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void unwatch_member(int epfd, const struct port_recv *rv)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, rv->fd, NULL);
	for (size_t i = 0; i < rv->n_so; i++)
		epoll_ctl(epfd, EPOLL_CTL_DEL, rv->so[i].fd, NULL);
}

int port_set_add_member(struct port *set, struct port *p)
{
	struct port_recv *rv = &p->u.recv;
	int epfd = port_set_epfd(set);
	/* R at end of file would always be ready: it is watched again once renewed. */
	int err = rv->eof ? 0 : watch(epfd, p->name, rv->fd);

	for (size_t i = 0; !err && i < rv->n_so; i++)
		err = watch(epfd, p->name, rv->so[i].fd);
	if (err) {
		unwatch_member(epfd, rv);
		return err;
	}
	rv->pset = set->name;
	port_direct_kick(p, false);     /* the set's receivers read R too now */
	return 0;
}

void port_set_remove_member(struct port *p)
{
	struct port *set;

	if (p->kind != PORT_KIND_RECEIVE)
		return;
	set = p->u.recv.pset ? space_get(p->u.recv.pset) : NULL;
	if (set)
		unwatch_member(port_set_epfd(set), &p->u.recv);
	p->u.recv.pset = 0;
}

void port_set_forget(mach_port_name_t set)
{
	struct port *p;

	for (size_t i = 0; (p = space_next(&i));)
		if (p->kind == PORT_KIND_RECEIVE && p->u.recv.pset == set)
			p->u.recv.pset = 0;
}

/* The set @p is in, or 0. */
static mach_port_name_t set_of(const struct port *p)
{
	return p->kind == PORT_KIND_RECEIVE ? p->u.recv.pset : 0;
}

kern_return_t port_set_move(mach_port_name_t member, mach_port_name_t after)
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

kern_return_t port_set_insert(mach_port_name_t name, mach_port_name_t pset)
{
	struct port *p = space_get(name);

	if (p && set_of(p) == pset)
		return KERN_ALREADY_IN_SET;
	return pset == MACH_PORT_NULL ? KERN_INVALID_NAME : port_set_move(name, pset);
}

kern_return_t port_set_extract(mach_port_name_t name, mach_port_name_t pset)
{
	struct port *p = space_get(name);

	if (!p || !space_get(pset))
		return KERN_INVALID_NAME;
	if (set_of(p) != pset)
		return KERN_NOT_IN_SET;
	return port_set_move(name, MACH_PORT_NULL);
}
