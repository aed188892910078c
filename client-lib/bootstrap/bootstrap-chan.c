/* SPDX-License-Identifier: MIT */
/*
 * bootstrap-chan.c - asking bootstrapd for a channel (bootstrap-chan.h):
 * the routine, and A taken out of the send right it came as.
 */
#include "bootstrap-chan.h"

#include <fcntl.h>

#include <servers/bootstrap.h>

#include "bootstrap-mig.h"
#include "bootstrap-port.h"
#include "port.h"

/* The fd behind send right @name, a copy of the caller's; the name goes. */
static int take_fd(mach_port_name_t name)
{
	struct port *p;
	int fd = -1;

	space_lock();
	p = space_get(name);
	if (p && (p->type & MACH_PORT_TYPE_SEND) && !(p->type & MACH_PORT_TYPE_RECEIVE) &&
	    p->send_fd >= 0)
		fd = fcntl(p->send_fd, F_DUPFD_CLOEXEC, 0);
	space_unlock();
	mach_port_deallocate(mach_task_self(), name);
	return fd;
}

int bootstrap_chan_ask(mach_port_name_t service)
{
	mach_port_t bp = bootstrap_port, chan = MACH_PORT_NULL;
	kern_return_t kr = bootstrap_port_resolve(&bp);

	if (kr == KERN_SUCCESS)
		kr = bs_mig_channel(bp, service, &chan);
	if (kr != KERN_SUCCESS || !MACH_PORT_VALID(chan))
		return -1;
	return take_fd(chan);
}
