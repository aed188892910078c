/* SPDX-License-Identifier: MIT */
#include <stdbool.h>

#include "give-right.h"

#include <servers/bootstrap.h>
#include <bootstrap_priv.h>

kern_return_t give_receive_right(mach_port_t p, const char *taker)
{
	struct right_msg m = { 0 };
	mach_port_t to;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, taker, &to);

	if (kr)
		return kr;
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = to;
	m.body.msgh_descriptor_count = 1;
	m.port.name = p;
	m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	kr = mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	mach_port_deallocate(mach_task_self(), to);
	return kr;
}

kern_return_t make_registered_port(const char *name, bool per_pid, mach_port_t *p)
{
	kern_return_t kr;

	if ((kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, p)) ||
	    (kr = mach_port_insert_right(mach_task_self(), *p, *p, MACH_MSG_TYPE_MAKE_SEND)) ||
	    (kr = bootstrap_register(bootstrap_port, (char *)name, *p)))
		return kr;
	return per_pid ? bootstrap_register2(bootstrap_port, (char *)name, *p,
					     BOOTSTRAP_PER_PID_SERVICE) : KERN_SUCCESS;
}
